/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

#include <lers.h>

G_BEGIN_DECLS

/**
 * LersVkt7Session:
 *
 * One session with a ВКТ-7: open (session start, server version, service
 * information, properties), archives, НС events, clock.
 *
 * Since: 0.4
 */
#define LERS_TYPE_VKT7_SESSION (lers_vkt7_session_get_type ())
G_DECLARE_FINAL_TYPE (LersVkt7Session, lers_vkt7_session, LERS, VKT7_SESSION, LersDeviceSession)

void lers_vkt7_session_register (GTypeModule *module);
LersDeviceSession *lers_vkt7_session_new (LersTransport *transport, LersDevice *device);
gssize lers_vkt7_scan_frame (const guint8 *data, gsize len, gpointer user_data);
const gchar *lers_vkt7_session_get_model (LersVkt7Session *self);

G_END_DECLS
