/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Test helpers: the plugin's dynamic types without libpeas, hex frames, and
 * a simulator serving one end of a socket pair in a thread of its own. */
#include "km5-test-util.h"

#include <check.h>

#include "lers-km5-driver.h"
#include "lers-km5-session.h"
#include "lers-km5-simulator.h"

void
km5_test_register_types (void)
{
  lers_check_register_types (lers_km5_driver_register, lers_km5_simulator_register,
                             lers_km5_session_register, NULL);
}

/* the test's own checksum (XOR, then sum mod 256 of all bytes before them),
 * written apart from km5_checksum() */
void
km5_test_checksum (guint8 *frame, gsize len)
{
  guint x = 0, s = 0;

  for (gsize i = 0; i + 2 < len; i++)
    {
      x ^= frame[i];
      s += frame[i];
    }
  frame[len - 2] = (guint8) x;
  frame[len - 1] = (guint8) (s % 256);
}

void
km5_test_pair_start (Km5TestPair *pair, LersDeviceSimulator *sim)
{
  lers_check_socketpair (&pair->server, &pair->client);
  pair->sim = g_object_ref (sim);
  pair->thread = lers_check_serve_in_thread (sim, pair->server, NULL);
}

void
km5_test_pair_stop (Km5TestPair *pair)
{
  g_io_stream_close (pair->client, NULL, NULL);
  g_thread_join (pair->thread);
  g_io_stream_close (pair->server, NULL, NULL);
  g_clear_object (&pair->server);
  g_clear_object (&pair->client);
  g_clear_object (&pair->sim);
}
