/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

#include <lers.h>

G_BEGIN_DECLS

/**
 * LersPulsarSession:
 *
 * One conversation with one Pulsar-M device over a #LersTransport: request
 * frames with a fresh ID each, answers matched by address and ID.
 */
#define LERS_TYPE_PULSAR_SESSION (lers_pulsar_session_get_type ())
G_DECLARE_FINAL_TYPE (LersPulsarSession, lers_pulsar_session, LERS, PULSAR_SESSION,
                      LersDeviceSession)

void lers_pulsar_session_register (GTypeModule *module);
LersDeviceSession *lers_pulsar_session_new (LersTransport *transport, LersDevice *device);
/* tests: the request IDs to use next, in order, before the counter's */
void lers_pulsar_session_queue_ids (LersPulsarSession *self, const guint16 *ids, guint n);

G_END_DECLS
