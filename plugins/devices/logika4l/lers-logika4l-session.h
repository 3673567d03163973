/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

#include <lers.h>

G_BEGIN_DECLS

/**
 * LersLogika4lSession:
 *
 * One session with a Logika СПТ941/942/943 on the 4L protocol.
 *
 * Since: 0.4
 */
#define LERS_TYPE_LOGIKA4L_SESSION (lers_logika4l_session_get_type ())
G_DECLARE_FINAL_TYPE (LersLogika4lSession, lers_logika4l_session, LERS, LOGIKA4L_SESSION,
                      LersDeviceSession)

void lers_logika4l_session_register (GTypeModule *module);
LersDeviceSession *lers_logika4l_session_new (LersTransport *transport, LersDevice *device);

G_END_DECLS
