/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Replays tests/replay-*.txt against the driver: a peer on a socket pair
 * checks that each request is byte for byte the scripted one (`>` lines)
 * and answers with the scripted reply (`<` lines). Where the bytes come
 * from is written at the top of each file.
 */
#include <math.h>
#include <sys/socket.h>

#include "tv7-test-util.h"

#include "lers-tv7-driver.h"
#include "tv7-frame.h"

static GAsyncResult *
wait_for (GAsyncResult **slot)
{
  while (*slot == NULL)
    g_main_context_iteration (NULL, TRUE);
  return *slot;
}

static void
store_cb (GObject *source, GAsyncResult *result, gpointer user_data)
{
  *(GAsyncResult **) user_data = g_object_ref (result);
}

static GIOStream *
stream_from_fd (int fd)
{
  g_autoptr (GSocket) socket = g_socket_new_from_fd (fd, NULL);
  return G_IO_STREAM (g_socket_connection_factory_create_connection (socket));
}

static void
test_replay_01 (void)
{
  g_autofree gchar *path = g_build_filename (TV7_TEST_DIR, "replay-01.txt", NULL);
  g_autoptr (LersTv7Driver) driver = lers_tv7_driver_new ();
  g_autoptr (LersDevice) device = lers_device_new ();
  g_autoptr (LersTransport) transport = NULL;
  g_autoptr (LersDeviceSession) session = NULL;
  g_autoptr (GAsyncResult) r1 = NULL;
  g_autoptr (GAsyncResult) r2 = NULL;
  g_autoptr (GError) error = NULL;
  g_autoptr (GPtrArray) records = NULL;
  g_autoptr (GDateTime) from = g_date_time_new_from_iso8601 ("2026-11-30T12:00:00Z", NULL);
  /* [12:00, 14:00): the hours 12 and 13, as replay-01.txt asks for them */
  g_autoptr (GDateTime) to = g_date_time_new_from_iso8601 ("2026-11-30T14:00:00Z", NULL);
  g_autoptr (GIOStream) client = NULL;
  g_autoptr (GIOStream) server = NULL;
  LersRecord *r;
  gdouble v = 0;
  LersValueFlags flags = 0;
  Tv7TestPeer peer = { 0 };
  g_autofree gchar *script = NULL;
  int fds[2];

  g_assert_true (g_file_get_contents (path, &script, NULL, NULL));
  tv7_test_peer_load (&peer, script);
  g_assert_cmpint (socketpair (AF_UNIX, SOCK_STREAM, 0, fds), ==, 0);
  server = stream_from_fd (fds[0]);
  client = stream_from_fd (fds[1]);
  tv7_test_peer_start (&peer, server);
  transport = lers_stream_transport_new (client, "replay");
  g_assert_true (lers_transport_open_sync (transport, NULL, NULL));
  lers_device_set_network_address (device, "0");
  session
      = lers_device_driver_create_session (LERS_DEVICE_DRIVER (driver), transport, device, NULL);
  lers_device_session_open_async (session, NULL, store_cb, &r1);
  g_assert_true (lers_device_session_open_finish (session, wait_for (&r1), &error));
  g_assert_no_error (error);
  lers_device_session_read_archive_async (session, LERS_ARCHIVE_KIND_HOUR, from, to, NULL, NULL,
                                          store_cb, &r2);
  records = lers_device_session_read_archive_finish (session, wait_for (&r2), &error);
  g_assert_no_error (error);
  g_assert_null (peer.mismatch);
  g_assert_cmpuint (peer.next, ==, peer.requests->len);
  /* one record: 12:00, heat input 0; 13:00 had none, heat input 1 NaN */
  g_assert_cmpuint (records->len, ==, 1);
  r = g_ptr_array_index (records, 0);
  g_assert_cmpuint (lers_record_get_channel (r), ==, 0);
  g_assert_cmpint (g_date_time_to_unix (lers_record_get_timestamp (r)), ==,
                   g_date_time_to_unix (from));
  g_assert_true (lers_record_get_value (r, LERS_PARAMETER_T_IN, &v, NULL));
  g_assert_cmpfloat (v, ==, 70.5);
  g_assert_true (lers_record_get_value (r, LERS_PARAMETER_P_IN, &v, NULL));
  g_assert_cmpfloat (v, ==, 0.5);
  g_assert_true (lers_record_get_value (r, LERS_PARAMETER_V_IN, &v, NULL));
  g_assert_cmpfloat (v, ==, 2.5);
  g_assert_true (lers_record_get_value (r, LERS_PARAMETER_M_IN, &v, NULL));
  g_assert_cmpfloat (v, ==, 1234.5);
  g_assert_true (lers_record_get_value (r, LERS_PARAMETER_T_OUT, &v, NULL));
  g_assert_cmpfloat (v, ==, 45.0);
  g_assert_true (lers_record_get_value (r, LERS_PARAMETER_Q_DELTA, &v, NULL));
  g_assert_cmpfloat (v, ==, 0.125);
  g_assert_true (lers_record_get_value (r, LERS_PARAMETER_NORMAL_OPERATION_DURATION, &v, &flags));
  g_assert_cmpfloat (v, ==, 1.0);
  g_assert_cmpint (flags, ==, LERS_VALUE_FLAG_NONE);
  g_clear_object (&session);
  lers_transport_close_sync (transport, NULL, NULL);
  tv7_test_peer_clear (&peer);
}

int
main (int argc, char **argv)
{
  tv7_test_init (&argc, &argv);
  g_test_add_func ("/tv7/replay/01", test_replay_01);
  return g_test_run ();
}
