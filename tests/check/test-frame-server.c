/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* LersFrameServer, the serve loop of the device simulators, over a socket
 * pair with a toy protocol of this test:
 *   request  02 N payload[N]            (the scanner: anything but 02 at
 *                                        the start is noise, −1)
 *   answer   06 N payload reversed      ("S" as payload: stay silent;
 *                                        "D" first: answer after 100 ms)
 * Every expected answer below is written out by hand from that rule. */
#include <check.h>
#include <lers.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include "lers-check.h"

#define DELAY_MS 100

static gssize
toy_scan (const guint8 *data, gsize len, gpointer user_data)
{
  guint *calls = user_data;

  (*calls)++;
  if (len == 0)
    return 0;
  if (data[0] != 0x02)
    return -1;
  if (len < 2 || len < 2u + data[1])
    return 0;
  return 2 + data[1];
}

static GBytes *
toy_answer (gpointer user_data, const guint8 *frame, gsize len, guint *delay_ms)
{
  guint *answered = user_data;
  guint8 out[258];
  gsize n = frame[1];

  ck_assert_uint_eq (len, 2 + n);
  ck_assert_uint_eq (*delay_ms, 0); /* the default */
  if (n == 1 && frame[2] == 'S')
    return NULL;
  if (n > 0 && frame[2] == 'D')
    *delay_ms = DELAY_MS;
  out[0] = 0x06;
  out[1] = (guint8) n;
  for (gsize i = 0; i < n; i++)
    out[2 + i] = frame[2 + n - 1 - i];
  (*answered)++;
  return g_bytes_new (out, 2 + n);
}

typedef struct
{
  GSocket *client;
  GIOStream *server_stream;
  LersFrameServer *server;
  GCancellable *cancellable;
  guint scans, answered;
  gboolean done, ok;
  GError *error;
} Fixture;

static void
run_cb (GObject *source, GAsyncResult *result, gpointer user_data)
{
  Fixture *f = user_data;

  f->ok = lers_frame_server_run_finish (LERS_FRAME_SERVER (source), result, &f->error);
  f->done = TRUE;
}

static GIOStream *
stream_from_fd (int fd)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (GSocket) socket = g_socket_new_from_fd (fd, &error);

  ck_assert_msg (socket != NULL, "%s", error ? error->message : "");
  return G_IO_STREAM (g_socket_connection_factory_create_connection (socket));
}

static void
fixture_start (Fixture *f)
{
  int fds[2];
  g_autoptr (GError) error = NULL;

  memset (f, 0, sizeof *f);
  ck_assert_int_eq (socketpair (AF_UNIX, SOCK_STREAM, 0, fds), 0);
  f->client = g_socket_new_from_fd (fds[0], &error);
  ck_assert_msg (f->client != NULL, "%s", error ? error->message : "");
  g_socket_set_blocking (f->client, FALSE);
  f->server_stream = stream_from_fd (fds[1]);
  f->cancellable = g_cancellable_new ();
  f->server = lers_frame_server_new (f->server_stream, toy_scan, &f->scans, NULL, toy_answer,
                                     &f->answered, NULL);
  lers_frame_server_run_async (f->server, f->cancellable, run_cb, f);
}

static void
fixture_stop (Fixture *f)
{
  if (!f->done)
    g_cancellable_cancel (f->cancellable);
  while (!f->done)
    g_main_context_iteration (NULL, TRUE);
  g_clear_object (&f->server);
  g_clear_object (&f->server_stream);
  g_clear_object (&f->client);
  g_clear_object (&f->cancellable);
  g_clear_error (&f->error);
}

static void
send_bytes (Fixture *f, const void *data, gsize len)
{
  g_autoptr (GError) error = NULL;

  ck_assert_int_eq (g_socket_send (f->client, data, len, NULL, &error), (gssize) len);
}

/* runs the main context for @ms and returns what the server wrote then */
static GByteArray *
receive_for (Fixture *f, guint ms)
{
  GByteArray *got = g_byte_array_new ();
  gint64 end = g_get_monotonic_time () + (gint64) ms * 1000;

  while (g_get_monotonic_time () < end)
    {
      guint8 buf[256];
      g_autoptr (GError) error = NULL;
      gssize n;

      while (g_main_context_iteration (NULL, FALSE))
        ;
      n = g_socket_receive (f->client, (gchar *) buf, sizeof buf, NULL, &error);
      if (n > 0)
        g_byte_array_append (got, buf, (guint) n);
      else
        g_usleep (1000);
    }
  return got;
}

static void
assert_bytes (GByteArray *got, const guint8 *want, gsize len)
{
  ck_assert_uint_eq (got->len, len);
  if (len > 0)
    ck_assert_mem_eq (got->data, want, len);
  g_byte_array_unref (got);
}

START_TEST (test_one_frame)
{
  Fixture f;
  const guint8 req[] = { 0x02, 0x03, 'a', 'b', 'c' };
  const guint8 want[] = { 0x06, 0x03, 'c', 'b', 'a' };

  fixture_start (&f);
  send_bytes (&f, req, sizeof req);
  assert_bytes (receive_for (&f, 50), want, sizeof want);
  fixture_stop (&f);
}
END_TEST

START_TEST (test_split_frame)
{
  Fixture f;
  const guint8 part1[] = { 0x02, 0x04, 'w' };
  const guint8 part2[] = { 'x', 'y', 'z' };
  const guint8 want[] = { 0x06, 0x04, 'z', 'y', 'x', 'w' };

  fixture_start (&f);
  send_bytes (&f, part1, sizeof part1);
  /* half a frame: nothing yet */
  assert_bytes (receive_for (&f, 50), NULL, 0);
  ck_assert_uint_ge (f.scans, 1);
  send_bytes (&f, part2, sizeof part2);
  assert_bytes (receive_for (&f, 50), want, sizeof want);
  fixture_stop (&f);
}
END_TEST

START_TEST (test_two_frames_one_read)
{
  Fixture f;
  const guint8 req[] = { 0x02, 0x02, '1', '2', 0x02, 0x01, 'q' };
  const guint8 want[] = { 0x06, 0x02, '2', '1', 0x06, 0x01, 'q' };

  fixture_start (&f);
  send_bytes (&f, req, sizeof req);
  assert_bytes (receive_for (&f, 80), want, sizeof want);
  ck_assert_uint_eq (f.answered, 2);
  fixture_stop (&f);
}
END_TEST

START_TEST (test_noise_before_frame)
{
  Fixture f;
  const guint8 req[] = { 0xFF, 0x00, 0x13, 0x02, 0x01, 'k' };
  const guint8 want[] = { 0x06, 0x01, 'k' };

  fixture_start (&f);
  send_bytes (&f, req, sizeof req);
  assert_bytes (receive_for (&f, 50), want, sizeof want);
  fixture_stop (&f);
}
END_TEST

START_TEST (test_silence)
{
  Fixture f;
  const guint8 req[] = { 0x02, 0x01, 'S', 0x02, 0x02, 'o', 'k' };
  const guint8 want[] = { 0x06, 0x02, 'k', 'o' };

  fixture_start (&f);
  send_bytes (&f, req, sizeof req);
  /* the silent request consumed, the next one answered */
  assert_bytes (receive_for (&f, 80), want, sizeof want);
  ck_assert_uint_eq (f.answered, 1);
  fixture_stop (&f);
}
END_TEST

START_TEST (test_delay)
{
  Fixture f;
  const guint8 req[] = { 0x02, 0x02, 'D', '!' };
  const guint8 want[] = { 0x06, 0x02, '!', 'D' };

  fixture_start (&f);
  send_bytes (&f, req, sizeof req);
  /* within 60 ms of 100: still quiet; by 100 ms + slack: there */
  assert_bytes (receive_for (&f, 60), NULL, 0);
  assert_bytes (receive_for (&f, 200), want, sizeof want);
  fixture_stop (&f);
}
END_TEST

START_TEST (test_cancel)
{
  Fixture f;

  fixture_start (&f);
  g_byte_array_unref (receive_for (&f, 10));
  g_cancellable_cancel (f.cancellable);
  while (!f.done)
    g_main_context_iteration (NULL, TRUE);
  ck_assert (!f.ok);
  ck_assert (g_error_matches (f.error, G_IO_ERROR, G_IO_ERROR_CANCELLED));
  fixture_stop (&f);
}
END_TEST

START_TEST (test_cancel_during_delay)
{
  Fixture f;
  const guint8 req[] = { 0x02, 0x01, 'D' };

  fixture_start (&f);
  send_bytes (&f, req, sizeof req);
  g_byte_array_unref (receive_for (&f, 20));
  g_cancellable_cancel (f.cancellable);
  while (!f.done)
    g_main_context_iteration (NULL, TRUE);
  ck_assert (!f.ok);
  ck_assert (g_error_matches (f.error, G_IO_ERROR, G_IO_ERROR_CANCELLED));
  /* the delayed answer never went out */
  assert_bytes (receive_for (&f, 10), NULL, 0);
  fixture_stop (&f);
}
END_TEST

START_TEST (test_peer_close)
{
  Fixture f;
  const guint8 req[] = { 0x02, 0x01, 'z', 0x02, 0x05, 'h' }; /* the 2nd frame cut short */
  const guint8 want[] = { 0x06, 0x01, 'z' };
  g_autoptr (GError) error = NULL;

  fixture_start (&f);
  send_bytes (&f, req, sizeof req);
  assert_bytes (receive_for (&f, 50), want, sizeof want);
  ck_assert (g_socket_shutdown (f.client, FALSE, TRUE, &error));
  while (!f.done)
    g_main_context_iteration (NULL, TRUE);
  /* the peer closed: success, the partial frame dropped unanswered */
  ck_assert (f.ok);
  ck_assert (f.error == NULL);
  ck_assert_uint_eq (f.answered, 1);
  fixture_stop (&f);
}
END_TEST

static void
serve_cb (GObject *source, GAsyncResult *result, gpointer user_data)
{
  Fixture *f = user_data;

  /* the result is the simulator's, tagged with its serve_async */
  ck_assert (g_task_is_valid (result, source));
  ck_assert (g_task_get_source_tag (G_TASK (result)) == (gpointer) serve_cb);
  f->ok = g_task_propagate_boolean (G_TASK (result), &f->error);
  f->done = TRUE;
}

START_TEST (test_serve_for_simulator)
{
  Fixture f;
  int fds[2];
  const guint8 req[] = { 0x02, 0x01, 'm' };
  const guint8 want[] = { 0x06, 0x01, 'm' };
  g_autoptr (GObject) simulator = g_object_new (G_TYPE_OBJECT, NULL);
  g_autoptr (GError) error = NULL;

  memset (&f, 0, sizeof f);
  ck_assert_int_eq (socketpair (AF_UNIX, SOCK_STREAM, 0, fds), 0);
  f.client = g_socket_new_from_fd (fds[0], &error);
  g_socket_set_blocking (f.client, FALSE);
  f.server_stream = stream_from_fd (fds[1]);
  f.server = lers_frame_server_new (f.server_stream, toy_scan, &f.scans, NULL, toy_answer,
                                    &f.answered, NULL);
  lers_frame_server_serve_async (f.server, simulator, serve_cb, NULL, serve_cb, &f);
  send_bytes (&f, req, sizeof req);
  assert_bytes (receive_for (&f, 50), want, sizeof want);
  ck_assert (g_socket_shutdown (f.client, FALSE, TRUE, &error));
  while (!f.done)
    g_main_context_iteration (NULL, TRUE);
  ck_assert (f.ok);
  fixture_stop (&f);
}
END_TEST

static Suite *
frame_server_suite (void)
{
  Suite *s = suite_create ("frame-server");
  TCase *tc = tcase_create ("serve");

  tcase_add_test (tc, test_one_frame);
  tcase_add_test (tc, test_split_frame);
  tcase_add_test (tc, test_two_frames_one_read);
  tcase_add_test (tc, test_noise_before_frame);
  tcase_add_test (tc, test_silence);
  tcase_add_test (tc, test_delay);
  tcase_add_test (tc, test_cancel);
  tcase_add_test (tc, test_cancel_during_delay);
  tcase_add_test (tc, test_peer_close);
  tcase_add_test (tc, test_serve_for_simulator);
  suite_add_tcase (s, tc);
  return s;
}

int
main (int argc, char **argv)
{
  lers_check_init (&argc, &argv);
  return lers_check_run_suite (frame_server_suite ());
}
