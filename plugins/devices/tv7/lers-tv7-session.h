/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

#include <lers.h>

G_BEGIN_DECLS

/**
 * LersTv7Session:
 *
 * One readout of a ТВ7 heat computer. See README.md.
 *
 * Since: 0.4
 */
#define LERS_TYPE_TV7_SESSION (lers_tv7_session_get_type ())
G_DECLARE_FINAL_TYPE (LersTv7Session, lers_tv7_session, LERS, TV7_SESSION, LersDeviceSession)

void lers_tv7_session_register (GTypeModule *module);
LersDeviceSession *lers_tv7_session_new (LersTransport *transport, LersDevice *device);

G_END_DECLS
