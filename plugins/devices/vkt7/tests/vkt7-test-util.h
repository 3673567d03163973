/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

#include <lers.h>

#include "lers-vkt7-simulator.h"

G_BEGIN_DECLS

void vkt7_test_register_types (void);
GBytes *vkt7_test_hex (const gchar *text);
void vkt7_test_assert_bytes (GBytes *got, const gchar *expected_hex);
GBytes *vkt7_test_exchange (LersVkt7Simulator *sim, const gchar *request_hex);

/* the simulator over a socket pair */
typedef struct
{
  LersVkt7Simulator *sim;
  GIOStream *server;
  LersTransport *transport;
  GCancellable *cancel;
  GThread *thread;
  gint served;
} Vkt7TestLink;

void vkt7_test_link_open (Vkt7TestLink *l, LersVkt7Simulator *sim);
void vkt7_test_link_close (Vkt7TestLink *l);
LersDeviceSession *vkt7_test_open (Vkt7TestLink *l, const gchar *address, const gchar *options,
                                   GError **error);
gdouble vkt7_test_value (LersRecord *r, LersParameter p);

G_END_DECLS
