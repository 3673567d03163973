/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "logika4l-test-util.h"

#include "lers-logika4l-driver.h"
#include "lers-logika4l-session.h"

void
l4l_test_register_types (void)
{
  lers_check_register_types (lers_logika4l_driver_register, lers_logika4l_simulator_register,
                             lers_logika4l_session_register, NULL);
}

void
l4l_test_peer_start (L4lTestPeer *peer, LersLogika4lSimulator *sim)
{
  lers_check_socketpair (&peer->server, &peer->client);
  peer->sim = g_object_ref (sim);
  peer->transport = lers_stream_transport_new (peer->client, "socketpair");
  lers_transport_set_answer_timeout_ms (peer->transport, 2000);
  lers_transport_set_first_byte_timeout_ms (peer->transport, 2000);
  peer->thread = lers_check_serve_in_thread (LERS_DEVICE_SIMULATOR (sim), peer->server, NULL);
}

void
l4l_test_peer_stop (L4lTestPeer *peer)
{
  g_io_stream_close (peer->client, NULL, NULL);
  g_thread_join (peer->thread);
  g_clear_object (&peer->transport);
  g_clear_object (&peer->client);
  g_clear_object (&peer->server);
  g_clear_object (&peer->sim);
}
