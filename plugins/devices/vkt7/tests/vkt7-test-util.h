/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

#include <lers.h>

#include "lers-check-device.h"

#include "lers-vkt7-simulator.h"

G_BEGIN_DECLS

void vkt7_test_register_types (void);
#define vkt7_test_hex lers_check_hex
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
} Vkt7TestLink;

void vkt7_test_link_open (Vkt7TestLink *l, LersVkt7Simulator *sim);
void vkt7_test_link_close (Vkt7TestLink *l);
LersDeviceSession *vkt7_test_open (Vkt7TestLink *l, const gchar *address, const gchar *options,
                                   GError **error);
gdouble vkt7_test_value (LersRecord *r, LersParameter p);

G_END_DECLS

G_BEGIN_DECLS

/* a memory transport that checks each request against the script and
 * answers with the script's reply (NULL: silence) */
typedef struct
{
  LersTransport *transport;
  GPtrArray *tx; /* GBytes or NULL (any request) */
  GPtrArray *rx; /* GBytes or NULL (silence) */
  guint n_writes;
} Vkt7TestScript;

void vkt7_test_script_init (Vkt7TestScript *s);
void vkt7_test_script_clear (Vkt7TestScript *s);
void vkt7_test_script_add (Vkt7TestScript *s, const gchar *tx_hex, GBytes *rx);
void vkt7_test_script_load (Vkt7TestScript *s, const gchar *path);
LersDeviceSession *vkt7_test_script_open (Vkt7TestScript *s, const gchar *options, GError **error);

G_END_DECLS
