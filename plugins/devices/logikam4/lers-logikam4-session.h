/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

#include <lers.h>

G_BEGIN_DECLS

/**
 * LersLogikam4Session:
 *
 * One conversation with one Logika meter over the M4 protocol: the session
 * request (3F), parameter reads (72), archive reads (61), clock.
 */
#define LERS_TYPE_LOGIKAM4_SESSION (lers_logikam4_session_get_type ())
G_DECLARE_FINAL_TYPE (LersLogikam4Session, lers_logikam4_session, LERS, LOGIKAM4_SESSION,
                      LersDeviceSession)

void lers_logikam4_session_register (GTypeModule *module);
LersDeviceSession *lers_logikam4_session_new (LersTransport *transport, LersDevice *device);
const gchar *lers_logikam4_session_get_model_name (LersLogikam4Session *self);

G_END_DECLS
