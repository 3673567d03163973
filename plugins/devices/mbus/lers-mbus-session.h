/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

#include <lers.h>

G_BEGIN_DECLS

/**
 * LersMbusSession:
 *
 * One conversation with one M-Bus slave over a #LersTransport: SND_NKE or
 * secondary select, then REQ_UD2/RSP_UD telegrams with FCB and
 * access-number matching.
 *
 * Since: 0.3
 */
#define LERS_TYPE_MBUS_SESSION (lers_mbus_session_get_type ())
G_DECLARE_FINAL_TYPE (LersMbusSession, lers_mbus_session, LERS, MBUS_SESSION, LersDeviceSession)

void lers_mbus_session_register (GTypeModule *module);
LersDeviceSession *lers_mbus_session_new (LersTransport *transport, LersDevice *device);
GKeyFile *lers_mbus_session_load_quirks (void);
gssize lers_mbus_scan_frame (const guint8 *data, gsize len, gpointer user_data);

G_END_DECLS
