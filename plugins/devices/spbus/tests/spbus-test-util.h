/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

#include <lers.h>

#include "lers-check-device.h"

#include "lers-spbus-simulator.h"

G_BEGIN_DECLS

void spbus_test_register_types (void);
#define spbus_test_hex lers_check_hex
#define spbus_test_to_hex lers_check_to_hex
#define spbus_test_utc lers_check_utc

/* runs the default main context until *result is set */
#define spbus_test_wait_cb lers_check_wait_cb
#define spbus_test_wait lers_check_wait

/* a session over a transport, its calls run to completion */
typedef struct
{
  LersTransport *transport;
  LersDevice *device;
  LersDeviceSession *session;
  /* the simulator's side (NULL for a scripted memory transport) */
  LersSpbusSimulator *sim;
  GIOStream *server;
  GCancellable *cancel;
  /* memory transport: one answer a write, in order (NULL = silence) */
  GPtrArray *answers;
  guint n_writes;
  GString *written;
} SpbusTestSession;

void spbus_test_session_sim (SpbusTestSession *t, LersSpbusSimulator *sim, const gchar *address);
void spbus_test_session_script (SpbusTestSession *t, const gchar *address);
void spbus_test_session_create (SpbusTestSession *t);
void spbus_test_set_zone (SpbusTestSession *t, const gchar *zone);
void spbus_test_session_clear (SpbusTestSession *t);
void spbus_test_script_answer (SpbusTestSession *t, const gchar *hex);
void spbus_test_script_identity (SpbusTestSession *t, guint8 address, const gchar *model,
                                 const gchar *report_hour);

gboolean spbus_test_open (SpbusTestSession *t, GError **error);
GPtrArray *spbus_test_read (SpbusTestSession *t, LersArchiveKind kind, const gchar *from,
                            const gchar *to, GError **error);
GPtrArray *spbus_test_events (SpbusTestSession *t, const gchar *from, const gchar *to,
                              GError **error);
GDateTime *spbus_test_clock (SpbusTestSession *t, GError **error);
gboolean spbus_test_set_clock (SpbusTestSession *t, const gchar *time, GError **error);

#define spbus_test_find lers_check_find
#define spbus_test_value lers_check_value

G_END_DECLS
