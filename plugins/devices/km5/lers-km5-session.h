/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

#include <lers.h>

G_BEGIN_DECLS

/**
 * LersKm5Session:
 *
 * One conversation with one КМ-5 or РМ-5 over a #LersTransport.
 */
#define LERS_TYPE_KM5_SESSION (lers_km5_session_get_type ())
G_DECLARE_FINAL_TYPE (LersKm5Session, lers_km5_session, LERS, KM5_SESSION, LersDeviceSession)

void lers_km5_session_register (GTypeModule *module);
LersDeviceSession *lers_km5_session_new (LersTransport *transport, LersDevice *device);

G_END_DECLS
