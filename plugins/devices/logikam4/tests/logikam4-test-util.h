/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

#include <check.h>
#include <lers.h>

#include "lers-check-device.h"

#include "lers-logikam4-simulator.h"

G_BEGIN_DECLS

void m4_test_register_types (void);
#define m4_test_drain lers_check_drain
#define m4_test_hex lers_check_hex
#define m4_test_to_hex lers_check_to_hex

/* an async call's result */
typedef struct
{
  GAsyncResult *result;
} M4TestWait;

void m4_test_wait_cb (GObject *source, GAsyncResult *result, gpointer user_data);
void m4_test_wait_for (M4TestWait *w);

/* a simulator served on one end of a socket pair, a transport on the other */
typedef struct
{
  LersLogikam4Simulator *sim;
  GIOStream *server;
  GCancellable *cancel;
  LersTransport *transport;
} M4TestLink;

void m4_test_link_open (M4TestLink *l, LersLogikam4Simulator *sim);
void m4_test_link_close (M4TestLink *l);

/* the session calls, waited for */
LersDeviceSession *m4_test_open (LersTransport *transport, LersDevice *device, GError **error);
GPtrArray *m4_test_read (LersDeviceSession *s, LersArchiveKind kind, GDateTime *from, GDateTime *to,
                         GError **error);
GPtrArray *m4_test_events (LersDeviceSession *s, GDateTime *from, GDateTime *to, GError **error);
GDateTime *m4_test_clock (LersDeviceSession *s, GError **error);
gboolean m4_test_set_clock (LersDeviceSession *s, GDateTime *t, GError **error);
void m4_test_close (LersDeviceSession *s);

LersRecord *m4_test_find (GPtrArray *records, const gchar *utc_iso, guint channel);
gdouble m4_test_value (LersRecord *r, LersParameter p);

G_END_DECLS
