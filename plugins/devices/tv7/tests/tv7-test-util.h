/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

#include <lers.h>

#include "lers-check-device.h"

#include "lers-tv7-simulator.h"

G_BEGIN_DECLS

void tv7_test_init (int *argc, char ***argv);
#define tv7_test_hex lers_check_hex
#define tv7_test_to_hex lers_check_to_hex

typedef struct
{
  LersTv7Simulator *sim;
  GIOStream *server;
  LersTransport *transport;
  GCancellable *cancel;
} Tv7TestLink;

void tv7_test_link_open (Tv7TestLink *l, LersTv7Simulator *sim);
void tv7_test_link_close (Tv7TestLink *l);
#define tv7_test_drain lers_check_drain

/* a scripted meter on a stream: checks requests, sends replies */
typedef struct
{
  GPtrArray *requests; /* GBytes */
  GPtrArray *replies;  /* GBytes or NULL (silence) */
  guint next;
  GByteArray *rx;
  GIOStream *stream;
  guint8 chunk[512];
  gchar *mismatch;
} Tv7TestPeer;

void tv7_test_peer_load (Tv7TestPeer *p, const gchar *text);
void tv7_test_peer_start (Tv7TestPeer *p, GIOStream *stream);
void tv7_test_peer_clear (Tv7TestPeer *p);

G_END_DECLS
