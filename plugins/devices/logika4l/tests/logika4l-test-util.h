/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

#include <lers.h>

#include "lers-check-device.h"

#include "lers-logika4l-simulator.h"

G_BEGIN_DECLS

void l4l_test_register_types (void);
#define l4l_test_hex lers_check_hex

/* a simulator served in a thread of its own over a socket pair, and a
 * stream transport on the other end */
typedef struct
{
  LersLogika4lSimulator *sim;
  LersTransport *transport;
  GThread *thread;
  GIOStream *server;
  GIOStream *client;
} L4lTestPeer;

void l4l_test_peer_start (L4lTestPeer *peer, LersLogika4lSimulator *sim);
void l4l_test_peer_stop (L4lTestPeer *peer);

G_END_DECLS
