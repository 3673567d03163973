/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

#include <lers.h>

#include "lers-mbus-simulator.h"

G_BEGIN_DECLS

void mbus_test_register_types (void);
GBytes *mbus_test_load_hex (const gchar *path);

/* the main loop and async results */

typedef struct
{
  GAsyncResult *result;
} MbusTestWait;

void mbus_test_drain (void);
void mbus_test_wait_cb (GObject *source, GAsyncResult *result, gpointer user_data);
void mbus_test_wait_for (MbusTestWait *w, LersClock *clock, guint step_ms);

/* values and frames */

gdouble mbus_test_value_of (LersRecord *r, LersParameter p);
GBytes *mbus_test_hex (const gchar *text);
GBytes *mbus_test_rsp_ud (guint8 address, guint8 access_number, const gchar *records);

/* memory transport: a scripted meter */

typedef struct
{
  LersTransport *transport;
  LersClock *clock;
  GPtrArray *answers; /* GBytes or NULL (silence), one per write, in order */
  guint n_writes;
} MbusTestScript;

void mbus_test_script_init (MbusTestScript *s);
void mbus_test_script_clear (MbusTestScript *s);
void mbus_test_script_answer (MbusTestScript *s, GBytes *answer);
void mbus_test_assert_output (MbusTestScript *s, const gchar *expected_hex);

/* the simulator over a socket pair */

typedef struct
{
  LersMbusSimulator *sim;
  GIOStream *server;
  LersTransport *transport;
  GCancellable *cancel;
  LersClock *clock;
} MbusTestLink;

void mbus_test_link_open (MbusTestLink *l, LersMbusSimulator *sim, gboolean manual);
void mbus_test_link_close (MbusTestLink *l);

/* libmbus's normalised XML for a telegram */

typedef struct
{
  gchar *function;
  gchar *storage_number;
  gchar *tariff;
  gchar *device;
  gchar *unit;
  gchar *quantity;
  gchar *value;
} MbusTestRefRecord;

void mbus_test_ref_record_free (MbusTestRefRecord *r);
GPtrArray *mbus_test_ref_load (const gchar *path, gchar **medium);

G_END_DECLS
