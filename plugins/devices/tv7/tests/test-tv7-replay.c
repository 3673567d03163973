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

typedef struct
{
  GPtrArray *requests; /* GBytes */
  GPtrArray *replies;  /* GBytes or NULL (silence) */
  guint next;
  GByteArray *rx;
  GIOStream *stream;
  guint8 chunk[512];
  gchar *mismatch;
} Peer;

static void peer_read (Peer *p);

static void
peer_written_cb (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_output_stream_write_all_finish (G_OUTPUT_STREAM (source), result, NULL, NULL);
}

static void
peer_process (Peer *p)
{
  while (p->next < p->requests->len)
    {
      GBytes *want = g_ptr_array_index (p->requests, p->next);
      GBytes *reply = g_ptr_array_index (p->replies, p->next);
      gsize n = g_bytes_get_size (want);
      g_autoptr (GBytes) got = NULL;

      if (p->rx->len < n)
        break;
      got = g_bytes_new (p->rx->data, n);
      g_byte_array_remove_range (p->rx, 0, (guint) n);
      if (!g_bytes_equal (got, want) && p->mismatch == NULL)
        {
          g_autofree gchar *g = tv7_test_to_hex (got);
          g_autofree gchar *w = tv7_test_to_hex (want);
          p->mismatch = g_strdup_printf ("request %u: got %s, want %s", p->next, g, w);
        }
      p->next++;
      if (reply != NULL)
        g_output_stream_write_all_async (g_io_stream_get_output_stream (p->stream),
                                         g_bytes_get_data (reply, NULL), g_bytes_get_size (reply),
                                         G_PRIORITY_DEFAULT, NULL, peer_written_cb, NULL);
    }
}

static void
peer_read_cb (GObject *source, GAsyncResult *result, gpointer user_data)
{
  Peer *p = user_data;
  gssize n = g_input_stream_read_finish (G_INPUT_STREAM (source), result, NULL);

  if (n <= 0)
    return;
  g_byte_array_append (p->rx, p->chunk, (guint) n);
  peer_process (p);
  peer_read (p);
}

static void
peer_read (Peer *p)
{
  g_input_stream_read_async (g_io_stream_get_input_stream (p->stream), p->chunk, sizeof p->chunk,
                             G_PRIORITY_DEFAULT, NULL, peer_read_cb, p);
}

static void
peer_load (Peer *p, const gchar *path)
{
  g_autofree gchar *text = NULL;
  g_auto (GStrv) lines = NULL;
  g_autoptr (GError) error = NULL;

  g_assert_true (g_file_get_contents (path, &text, NULL, &error));
  p->requests = g_ptr_array_new_with_free_func ((GDestroyNotify) g_bytes_unref);
  p->replies = g_ptr_array_new_with_free_func ((GDestroyNotify) g_bytes_unref);
  lines = g_strsplit (text, "\n", -1);
  for (guint i = 0; lines[i] != NULL; i++)
    {
      if (lines[i][0] == '>')
        {
          g_ptr_array_add (p->requests, tv7_test_hex (lines[i] + 1));
          g_ptr_array_add (p->replies, NULL);
        }
      else if (lines[i][0] == '<')
        {
          g_assert_cmpuint (p->replies->len, >, 0);
          g_assert_null (g_ptr_array_index (p->replies, p->replies->len - 1));
          p->replies->pdata[p->replies->len - 1] = tv7_test_hex (lines[i] + 1);
        }
    }
}

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
  g_autoptr (GDateTime) to = g_date_time_new_from_iso8601 ("2026-11-30T13:00:00Z", NULL);
  g_autoptr (GIOStream) client = NULL;
  LersRecord *r;
  gdouble v = 0;
  LersValueFlags flags = 0;
  Peer peer = { 0 };
  int fds[2];

  peer_load (&peer, path);
  g_assert_cmpint (socketpair (AF_UNIX, SOCK_STREAM, 0, fds), ==, 0);
  peer.stream = stream_from_fd (fds[0]);
  peer.rx = g_byte_array_new ();
  client = stream_from_fd (fds[1]);
  peer_read (&peer);
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
  g_io_stream_close (peer.stream, NULL, NULL);
  tv7_test_drain ();
  g_clear_object (&peer.stream);
  g_ptr_array_unref (peer.requests);
  g_ptr_array_unref (peer.replies);
  g_byte_array_unref (peer.rx);
  g_free (peer.mismatch);
}

int
main (int argc, char **argv)
{
  tv7_test_init (&argc, &argv);
  g_test_add_func ("/tv7/replay/01", test_replay_01);
  return g_test_run ();
}
