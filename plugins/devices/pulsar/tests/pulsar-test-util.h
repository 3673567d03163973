/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

#include <lers.h>

#include "lers-check-device.h"

#include "lers-pulsar-simulator.h"

G_BEGIN_DECLS

void pulsar_test_register_types (void);
#define pulsar_test_hex lers_check_hex
#define pulsar_test_to_hex lers_check_to_hex
#define pulsar_test_utc lers_check_utc

/* runs the default main context until *result is set */
#define pulsar_test_wait_cb lers_check_wait_cb
#define pulsar_test_wait lers_check_wait

/* a session over a transport, its calls run to completion */
typedef struct
{
  LersTransport *transport;
  LersDevice *device;
  LersDeviceSession *session;
  /* the simulator's side (NULL for a scripted memory transport) */
  LersPulsarSimulator *sim;
  GIOStream *server;
  GCancellable *cancel;
  /* memory transport: one answer a write, in order (NULL = silence) */
  GPtrArray *answers;
  guint n_writes;
  GString *written;
} PulsarTestSession;

void pulsar_test_session_sim (PulsarTestSession *t, LersPulsarSimulator *sim, const gchar *address);
void pulsar_test_session_script (PulsarTestSession *t, const gchar *address);
void pulsar_test_session_create (PulsarTestSession *t);
void pulsar_test_set_zone (PulsarTestSession *t, const gchar *zone);
void pulsar_test_session_clear (PulsarTestSession *t);
void pulsar_test_script_answer (PulsarTestSession *t, const gchar *hex);

gboolean pulsar_test_open (PulsarTestSession *t, GError **error);
GPtrArray *pulsar_test_read (PulsarTestSession *t, LersArchiveKind kind, const gchar *from,
                             const gchar *to, GError **error);
GPtrArray *pulsar_test_events (PulsarTestSession *t, const gchar *from, const gchar *to,
                               GError **error);
GDateTime *pulsar_test_clock (PulsarTestSession *t, GError **error);
gboolean pulsar_test_set_clock (PulsarTestSession *t, const gchar *time, GError **error);

#define pulsar_test_find lers_check_find
#define pulsar_test_value lers_check_value

G_END_DECLS
