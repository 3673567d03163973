/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The transport core: exchanges under the link's timeouts on an in-memory
 * line with a manual clock (no sleeps), open with retries and a connect
 * timeout, and a TCP transport against an echo peer on loopback.
 *
 * The frames of these tests are STX (0x02), a length byte, then that many
 * bytes: "\x02\x03ABC" is one whole frame of 5 bytes. */
#include <check.h>
#include <lers.h>
#include <string.h>

#include "lers-check.h"

static gboolean guard_fired;

static gboolean
guard_cb (gpointer user_data)
{
  guard_fired = TRUE;
  return G_SOURCE_REMOVE;
}

/* runs the main context until *done; a real 10 s guard fails a test that
 * would otherwise hang (it is a bound, never a wait the test relies on) */
static void
wait_for (gboolean *done)
{
  guint guard = g_timeout_add_seconds (10, guard_cb, NULL);

  guard_fired = FALSE;
  while (!*done && !guard_fired)
    g_main_context_iteration (NULL, TRUE);
  ck_assert_msg (*done, "nothing happened within 10 s");
  g_source_remove (guard);
}

/* dispatches what is ready, without blocking */
static void
settle (void)
{
  for (guint i = 0; i < 100; i++)
    if (!g_main_context_iteration (NULL, FALSE))
      break;
}

static gssize
scan_stx (const guint8 *data, gsize len, gpointer user_data)
{
  gsize i = 0;

  while (i < len && data[i] != 0x02)
    i++;
  if (i > 0)
    return -(gssize) i; /* line noise before the frame */
  if (len < 2 || len < 2u + data[1])
    return 0;
  return 2 + data[1];
}

typedef struct
{
  gboolean done;
  GBytes *answer;
  GError *error;
} Result;

static void
result_clear (Result *r)
{
  g_clear_pointer (&r->answer, g_bytes_unref);
  g_clear_error (&r->error);
  r->done = FALSE;
}

static void
exchanged_cb (GObject *source, GAsyncResult *result, gpointer user_data)
{
  Result *r = user_data;

  r->answer = lers_transport_exchange_finish (LERS_TRANSPORT (source), result, &r->error);
  r->done = TRUE;
}

static void
opened_cb (GObject *source, GAsyncResult *result, gpointer user_data)
{
  Result *r = user_data;

  lers_transport_open_finish (LERS_TRANSPORT (source), result, &r->error);
  r->done = TRUE;
}

static GBytes *
bytes_of (const gchar *data, gsize len)
{
  return g_bytes_new (data, len);
}

static void
assert_bytes (GBytes *got, const gchar *expected, gsize len)
{
  ck_assert_msg (got != NULL, "no answer");
  ck_assert_uint_eq (g_bytes_get_size (got), len);
  ck_assert_msg (memcmp (g_bytes_get_data (got, NULL), expected, len) == 0, "other bytes");
}

/* a memory line on a manual clock, opened */
static LersTransport *
memory_line (LersClock *clock)
{
  LersTransport *t = lers_memory_transport_new ();
  g_autoptr (GError) error = NULL;

  lers_transport_set_clock (t, clock);
  ck_assert (lers_transport_open_sync (t, NULL, &error));
  lers_check_assert_no_error (error);
  return t;
}

static void
push (LersTransport *t, const gchar *data, gsize len)
{
  g_autoptr (GBytes) b = bytes_of (data, len);
  lers_memory_transport_push_input (LERS_MEMORY_TRANSPORT (t), b);
}

/* the device answers every request with these bytes */
static void
answer_with_cb (LersMemoryTransport *t, GBytes *request, GBytes *answer)
{
  lers_memory_transport_push_input (t, answer);
}

static void
answer_with (LersTransport *t, const gchar *data, gsize len)
{
  g_signal_connect_data (t, "written", G_CALLBACK (answer_with_cb), bytes_of (data, len),
                         (GClosureNotify) (void (*) (void)) g_bytes_unref, 0);
}

START_TEST (test_exchange_one_frame)
{
  g_autoptr (LersClock) clock = lers_clock_new_manual ();
  g_autoptr (LersTransport) t = memory_line (clock);
  g_autoptr (GBytes) request = bytes_of ("\x10\x5B", 2);
  Result r = { 0 };
  guint64 sent = 0, received = 0;

  /* noise (2), the frame (5), the start of the next one (3) */
  answer_with (t,
               "\xFF\xFE\x02\x03"
               "ABC\x02\x01Z",
               10);
  lers_transport_exchange_async (t, request, scan_stx, NULL, NULL, NULL, exchanged_cb, &r);
  wait_for (&r.done);
  lers_check_assert_no_error (r.error);
  assert_bytes (r.answer,
                "\x02\x03"
                "ABC",
                5);
  g_object_get (t, "bytes-sent", &sent, "bytes-received", &received, NULL);
  ck_assert_uint_eq (sent, 2);
  ck_assert_uint_eq (received, 10);
  ck_assert_uint_eq (lers_transport_get_bytes_received (t), 10);

  /* listening only: the bytes after the frame are the next answer */
  g_signal_handlers_disconnect_matched (t, G_SIGNAL_MATCH_FUNC, 0, 0, NULL, answer_with_cb, NULL);
  result_clear (&r);
  lers_transport_exchange_async (t, NULL, scan_stx, NULL, NULL, NULL, exchanged_cb, &r);
  wait_for (&r.done);
  lers_check_assert_no_error (r.error);
  assert_bytes (r.answer, "\x02\x01Z", 3);

  /* a late byte stays over; a new request drops it first */
  push (t, "\x02\x01Q", 3);
  result_clear (&r);
  answer_with (t, "\x02\x01Y", 3);
  lers_transport_exchange_async (t, request, scan_stx, NULL, NULL, NULL, exchanged_cb, &r);
  wait_for (&r.done);
  lers_check_assert_no_error (r.error);
  assert_bytes (r.answer, "\x02\x01Y", 3);
  ck_assert_uint_eq (lers_transport_get_bytes_sent (t), 4);
  result_clear (&r);
}
END_TEST

START_TEST (test_leftover_dropped_before_request)
{
  g_autoptr (LersClock) clock = lers_clock_new_manual ();
  g_autoptr (LersTransport) t = memory_line (clock);
  g_autoptr (GBytes) request = bytes_of ("\x10\x5B", 2);
  Result r = { 0 };

  /* an answer, and a duplicate of it that came late */
  answer_with (t,
               "\x02\x01"
               "A\x02\x01"
               "A",
               6);
  lers_transport_exchange_async (t, request, scan_stx, NULL, NULL, NULL, exchanged_cb, &r);
  wait_for (&r.done);
  assert_bytes (r.answer,
                "\x02\x01"
                "A",
                3);
  g_signal_handlers_disconnect_matched (t, G_SIGNAL_MATCH_FUNC, 0, 0, NULL, answer_with_cb, NULL);
  answer_with (t,
               "\x02\x01"
               "B",
               3);
  result_clear (&r);
  lers_transport_exchange_async (t, request, scan_stx, NULL, NULL, NULL, exchanged_cb, &r);
  wait_for (&r.done);
  lers_check_assert_no_error (r.error);
  /* the late duplicate "A" was never taken as the answer to the second request */
  assert_bytes (r.answer,
                "\x02\x01"
                "B",
                3);
  result_clear (&r);
}
END_TEST

START_TEST (test_first_byte_timeout)
{
  g_autoptr (LersClock) clock = lers_clock_new_manual ();
  g_autoptr (LersTransport) t = memory_line (clock);
  g_autoptr (GBytes) request = bytes_of ("\x10\x5B", 2);
  Result r = { 0 };

  lers_transport_set_first_byte_timeout_ms (t, 500);
  lers_transport_set_inter_byte_timeout_ms (t, 100);
  lers_transport_set_answer_timeout_ms (t, 10000);
  lers_transport_exchange_async (t, request, scan_stx, NULL, NULL, NULL, exchanged_cb, &r);
  settle ();
  lers_clock_advance (clock, 499);
  settle ();
  ck_assert_msg (!r.done, "timed out before 500 ms");
  lers_clock_advance (clock, 1);
  wait_for (&r.done);
  lers_check_assert_error (r.error, LERS_ERROR, LERS_ERROR_TIMED_OUT);
  ck_assert_str_eq (r.error->message, "memory: no answer within 500 ms");
  ck_assert_int_eq (lers_clock_get_monotonic_ms (clock), 500);
  result_clear (&r);
}
END_TEST

START_TEST (test_inter_byte_timeout)
{
  g_autoptr (LersClock) clock = lers_clock_new_manual ();
  g_autoptr (LersTransport) t = memory_line (clock);
  g_autoptr (GBytes) request = bytes_of ("\x10\x5B", 2);
  Result r = { 0 };

  lers_transport_set_first_byte_timeout_ms (t, 500);
  lers_transport_set_inter_byte_timeout_ms (t, 100);
  /* a frame of 7 bytes of which 4 come */
  answer_with (t,
               "\x02\x05"
               "AB",
               4);
  lers_transport_exchange_async (t, request, scan_stx, NULL, NULL, NULL, exchanged_cb, &r);
  settle ();
  lers_clock_advance (clock, 99);
  settle ();
  ck_assert (!r.done);
  lers_clock_advance (clock, 1);
  wait_for (&r.done);
  lers_check_assert_error (r.error, LERS_ERROR, LERS_ERROR_TIMED_OUT);
  ck_assert_str_eq (r.error->message,
                    "memory: the answer stopped after 4 bytes (silent for 100 ms)");
  result_clear (&r);
}
END_TEST

START_TEST (test_answer_timeout)
{
  g_autoptr (LersClock) clock = lers_clock_new_manual ();
  g_autoptr (LersTransport) t = memory_line (clock);
  g_autoptr (GBytes) request = bytes_of ("\x10\x5B", 2);
  Result r = { 0 };

  lers_transport_set_first_byte_timeout_ms (t, 500);
  lers_transport_set_inter_byte_timeout_ms (t, 300);
  lers_transport_set_answer_timeout_ms (t, 1000);
  lers_transport_exchange_async (t, request, scan_stx, NULL, NULL, NULL, exchanged_cb, &r);
  settle ();
  /* a frame of 22 bytes trickles in: two bytes at 0 ms, then one every
   * 200 ms (200, 400, 600, 800), never 300 ms apart; the whole-answer limit
   * ends it at 1000 ms with 6 bytes */
  push (t, "\x02", 1);
  settle ();
  push (t, "\x14", 1);
  for (guint i = 0; i < 4; i++)
    {
      settle ();
      lers_clock_advance (clock, 200);
      settle ();
      ck_assert (!r.done);
      push (t, "x", 1);
    }
  settle ();
  lers_clock_advance (clock, 199);
  settle ();
  ck_assert (!r.done);
  lers_clock_advance (clock, 1);
  wait_for (&r.done);
  lers_check_assert_error (r.error, LERS_ERROR, LERS_ERROR_TIMED_OUT);
  ck_assert_str_eq (r.error->message, "memory: the answer took longer than 1000 ms (6 bytes came)");
  result_clear (&r);
}
END_TEST

START_TEST (test_silence_ends_answer_without_scanner)
{
  g_autoptr (LersClock) clock = lers_clock_new_manual ();
  g_autoptr (LersTransport) t = memory_line (clock);
  /* Modbus RTU: read holding register 0 of slave 1; the answer 0x000A with its CRC */
  g_autoptr (GBytes) request = bytes_of ("\x01\x03\x00\x00\x00\x01\x84\x0A", 8);
  Result r = { 0 };

  lers_transport_set_inter_byte_timeout_ms (t, 50);
  answer_with (t, "\x01\x03\x02\x00\x0A\x38\x43", 7);
  lers_transport_exchange_async (t, request, NULL, NULL, NULL, NULL, exchanged_cb, &r);
  settle ();
  lers_clock_advance (clock, 49);
  settle ();
  ck_assert_msg (!r.done, "the answer ended before 50 ms of silence");
  lers_clock_advance (clock, 1);
  wait_for (&r.done);
  lers_check_assert_no_error (r.error);
  assert_bytes (r.answer, "\x01\x03\x02\x00\x0A\x38\x43", 7);
  result_clear (&r);
}
END_TEST

START_TEST (test_cancel)
{
  g_autoptr (LersClock) clock = lers_clock_new_manual ();
  g_autoptr (LersTransport) t = memory_line (clock);
  g_autoptr (GBytes) request = bytes_of ("\x10\x5B", 2);
  g_autoptr (GCancellable) cancellable = g_cancellable_new ();
  Result r = { 0 };

  lers_transport_exchange_async (t, request, scan_stx, NULL, NULL, cancellable, exchanged_cb, &r);
  settle ();
  g_cancellable_cancel (cancellable);
  wait_for (&r.done);
  /* the exchange says so in our own domain */
  lers_check_assert_error (r.error, LERS_ERROR, LERS_ERROR_CANCELLED);
  ck_assert_str_eq (r.error->message, "memory: cancelled");
  /* and the link is free again */
  result_clear (&r);
  answer_with (t, "\x02\x00", 2);
  lers_transport_exchange_async (t, request, scan_stx, NULL, NULL, NULL, exchanged_cb, &r);
  wait_for (&r.done);
  lers_check_assert_no_error (r.error);
  assert_bytes (r.answer, "\x02\x00", 2);
  result_clear (&r);
}
END_TEST

START_TEST (test_busy)
{
  g_autoptr (LersClock) clock = lers_clock_new_manual ();
  g_autoptr (LersTransport) t = memory_line (clock);
  g_autoptr (GBytes) request = bytes_of ("\x10\x5B", 2);
  Result first = { 0 }, second = { 0 };

  lers_transport_exchange_async (t, request, scan_stx, NULL, NULL, NULL, exchanged_cb, &first);
  settle ();
  lers_transport_exchange_async (t, request, scan_stx, NULL, NULL, NULL, exchanged_cb, &second);
  wait_for (&second.done);
  lers_check_assert_error (second.error, LERS_ERROR, LERS_ERROR_BUSY);
  ck_assert_str_eq (second.error->message, "The link memory is busy with another exchange");
  ck_assert (!first.done);
  /* only the first request went out, and it still gets its answer */
  {
    g_autoptr (GBytes) out = lers_memory_transport_take_output (LERS_MEMORY_TRANSPORT (t));
    ck_assert_uint_eq (g_bytes_get_size (out), 2);
  }
  push (t,
        "\x02\x01"
        "K",
        3);
  wait_for (&first.done);
  lers_check_assert_no_error (first.error);
  assert_bytes (first.answer,
                "\x02\x01"
                "K",
                3);
  result_clear (&first);
  result_clear (&second);
}
END_TEST

/* A driver's loop: the same request up to 3 times, each under the link's
 * first-byte timeout of 1000 ms. The meter answers only at 1500 ms: too
 * late for the 1st try (0…1000 ms), within the 2nd (1000…2000 ms). */
typedef struct
{
  LersTransport *transport;
  GBytes *request;
  guint tries;
  Result result;
} Driver;

static void driver_try (Driver *d);

static void
driver_exchanged_cb (GObject *source, GAsyncResult *result, gpointer user_data)
{
  Driver *d = user_data;
  g_autoptr (GError) error = NULL;
  GBytes *answer = lers_transport_exchange_finish (LERS_TRANSPORT (source), result, &error);

  if (answer == NULL && g_error_matches (error, LERS_ERROR, LERS_ERROR_TIMED_OUT) && d->tries < 3)
    {
      driver_try (d);
      return;
    }
  d->result.answer = answer;
  d->result.error = g_steal_pointer (&error);
  d->result.done = TRUE;
}

static void
driver_try (Driver *d)
{
  d->tries++;
  lers_transport_exchange_async (d->transport, d->request, scan_stx, NULL, NULL, NULL,
                                 driver_exchanged_cb, d);
}

START_TEST (test_link_timeout_never_preempts_driver_retry)
{
  g_autoptr (LersClock) clock = lers_clock_new_manual ();
  g_autoptr (LersTransport) t = memory_line (clock);
  g_autoptr (GBytes) request = bytes_of ("\x10\x5B\x01\x5C\x16", 5);
  g_autoptr (GBytes) out = NULL;
  Driver d = { t, request, 0, { 0 } };

  lers_transport_set_first_byte_timeout_ms (t, 1000);
  driver_try (&d);
  settle ();
  lers_clock_advance (clock, 1000);
  settle ();
  ck_assert_uint_eq (d.tries, 2);
  ck_assert (!d.result.done);
  lers_clock_advance (clock, 500);
  push (t,
        "\x02\x02"
        "OK",
        4);
  wait_for (&d.result.done);
  lers_check_assert_no_error (d.result.error);
  assert_bytes (d.result.answer,
                "\x02\x02"
                "OK",
                4);
  ck_assert_uint_eq (d.tries, 2);
  /* the same request twice, nothing else */
  out = lers_memory_transport_take_output (LERS_MEMORY_TRANSPORT (t));
  assert_bytes (out, "\x10\x5B\x01\x5C\x16\x10\x5B\x01\x5C\x16", 10);
  result_clear (&d.result);
}
END_TEST

/* ---- open: retries and the connect timeout ------------------------------- */

START_TEST (test_open_retries)
{
  g_autoptr (GSocket) socket
      = g_socket_new (G_SOCKET_FAMILY_IPV4, G_SOCKET_TYPE_STREAM, G_SOCKET_PROTOCOL_TCP, NULL);
  g_autoptr (GInetAddress) loopback = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4);
  g_autoptr (GSocketAddress) any = g_inet_socket_address_new (loopback, 0);
  g_autoptr (GSocketAddress) bound = NULL;
  g_autoptr (LersTransport) t = NULL;
  g_autoptr (GError) error = NULL;
  guint16 port;

  /* a port that was just free and is closed again: nobody listens there */
  ck_assert (g_socket_bind (socket, any, FALSE, NULL));
  bound = g_socket_get_local_address (socket, NULL);
  port = g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (bound));
  g_socket_close (socket, NULL);

  t = lers_tcp_transport_new ("127.0.0.1", port);
  lers_transport_set_retries (t, 2);
  ck_assert (!lers_transport_open_sync (t, NULL, &error));
  lers_check_assert_error (error, LERS_ERROR, LERS_ERROR_CONNECTION);
  ck_assert_msg (g_str_has_prefix (error->message, "3 attempts: "), "%s", error->message);
  ck_assert (!lers_transport_is_open (t));
}
END_TEST

/* A link whose opening never completes unless cancelled: a modem that never
 * answers, a host that drops SYN packets. */
#define TYPE_NEVER_TRANSPORT (never_transport_get_type ())
G_DECLARE_FINAL_TYPE (NeverTransport, never_transport, NEVER, TRANSPORT, LersTransport)

struct _NeverTransport
{
  LersTransport parent_instance;
  guint attempts;
  GTask *task;
  GCancellable *cancellable;
  gulong handler;
};

G_DEFINE_FINAL_TYPE (NeverTransport, never_transport, LERS_TYPE_TRANSPORT)

static gboolean
never_cancelled_idle (gpointer user_data)
{
  NeverTransport *self = user_data;
  g_autoptr (GTask) task = g_steal_pointer (&self->task);

  g_cancellable_disconnect (self->cancellable, self->handler);
  self->handler = 0;
  g_clear_object (&self->cancellable);
  g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_CANCELLED, "cancelled");
  return G_SOURCE_REMOVE;
}

static void
never_cancelled_cb (GCancellable *cancellable, gpointer user_data)
{
  g_idle_add_full (G_PRIORITY_DEFAULT, never_cancelled_idle, g_object_ref (user_data),
                   g_object_unref);
}

static void
never_open_async (LersTransport *transport, GCancellable *cancellable, GAsyncReadyCallback callback,
                  gpointer user_data)
{
  NeverTransport *self = NEVER_TRANSPORT (transport);

  self->attempts++;
  self->task = g_task_new (self, cancellable, callback, user_data);
  self->cancellable = g_object_ref (cancellable);
  self->handler = g_cancellable_connect (cancellable, G_CALLBACK (never_cancelled_cb), self, NULL);
}

static gboolean
never_open_finish (LersTransport *transport, GAsyncResult *result, GError **error)
{
  return g_task_propagate_boolean (G_TASK (result), error);
}

static void
never_transport_class_init (NeverTransportClass *klass)
{
  LERS_TRANSPORT_CLASS (klass)->open_async = never_open_async;
  LERS_TRANSPORT_CLASS (klass)->open_finish = never_open_finish;
}

static void
never_transport_init (NeverTransport *self)
{
}

START_TEST (test_connect_timeout)
{
  g_autoptr (LersClock) clock = lers_clock_new_manual ();
  g_autoptr (NeverTransport) t
      = g_object_new (TYPE_NEVER_TRANSPORT, "description", "never", "clock", clock,
                      "connect-timeout-ms", 1000, "retries", 1, NULL);
  Result r = { 0 };

  lers_transport_open_async (LERS_TRANSPORT (t), NULL, opened_cb, &r);
  settle ();
  lers_clock_advance (clock, 999);
  settle ();
  ck_assert (!r.done);
  ck_assert_uint_eq (t->attempts, 1);
  /* the 1st attempt gives up at 1000 ms, the 2nd starts at once */
  lers_clock_advance (clock, 1);
  settle ();
  ck_assert (!r.done);
  ck_assert_uint_eq (t->attempts, 2);
  lers_clock_advance (clock, 999);
  settle ();
  ck_assert (!r.done);
  lers_clock_advance (clock, 1);
  wait_for (&r.done);
  lers_check_assert_error (r.error, LERS_ERROR, LERS_ERROR_TIMED_OUT);
  ck_assert_str_eq (r.error->message, "2 attempts: never did not open within 1000 ms");
  ck_assert_uint_eq (t->attempts, 2);
  ck_assert_int_eq (lers_clock_get_monotonic_ms (clock), 2000);
  ck_assert (!lers_transport_is_open (LERS_TRANSPORT (t)));
  result_clear (&r);
}
END_TEST

START_TEST (test_open_cancel)
{
  g_autoptr (LersClock) clock = lers_clock_new_manual ();
  g_autoptr (NeverTransport) t = g_object_new (TYPE_NEVER_TRANSPORT, "description", "never",
                                               "clock", clock, "retries", 3, NULL);
  g_autoptr (GCancellable) cancellable = g_cancellable_new ();
  Result r = { 0 };

  lers_transport_open_async (LERS_TRANSPORT (t), cancellable, opened_cb, &r);
  settle ();
  g_cancellable_cancel (cancellable);
  wait_for (&r.done);
  /* a cancel is not retried, and says so in our own domain */
  lers_check_assert_error (r.error, LERS_ERROR, LERS_ERROR_CANCELLED);
  ck_assert_str_eq (r.error->message, "Opening never was cancelled");
  ck_assert_uint_eq (t->attempts, 1);
  result_clear (&r);
}
END_TEST

/* ---- TCP on loopback ----------------------------------------------------- */

typedef struct
{
  GSocketConnection *connection;
  guint8 buffer[256];
} Echo;

static void echo_read (Echo *e);

static void
echo_written_cb (GObject *source, GAsyncResult *result, gpointer user_data)
{
  Echo *e = user_data;

  if (!g_output_stream_write_all_finish (G_OUTPUT_STREAM (source), result, NULL, NULL))
    {
      g_object_unref (e->connection);
      g_free (e);
      return;
    }
  echo_read (e);
}

static void
echo_read_cb (GObject *source, GAsyncResult *result, gpointer user_data)
{
  Echo *e = user_data;
  gssize n = g_input_stream_read_finish (G_INPUT_STREAM (source), result, NULL);

  if (n <= 0)
    {
      g_object_unref (e->connection);
      g_free (e);
      return;
    }
  g_output_stream_write_all_async (g_io_stream_get_output_stream (G_IO_STREAM (e->connection)),
                                   e->buffer, (gsize) n, G_PRIORITY_DEFAULT, NULL, echo_written_cb,
                                   e);
}

static void
echo_read (Echo *e)
{
  g_input_stream_read_async (g_io_stream_get_input_stream (G_IO_STREAM (e->connection)), e->buffer,
                             sizeof e->buffer, G_PRIORITY_DEFAULT, NULL, echo_read_cb, e);
}

static gboolean
echo_incoming_cb (GSocketService *service, GSocketConnection *connection, GObject *source,
                  gpointer user_data)
{
  Echo *e = g_new0 (Echo, 1);

  e->connection = g_object_ref (connection);
  echo_read (e);
  return TRUE;
}

static gssize
scan_five (const guint8 *data, gsize len, gpointer user_data)
{
  return len >= 5 ? 5 : 0;
}

static void
closed_cb (GObject *source, GAsyncResult *result, gpointer user_data)
{
  Result *r = user_data;

  lers_transport_close_finish (LERS_TRANSPORT (source), result, &r->error);
  r->done = TRUE;
}

START_TEST (test_tcp_echo)
{
  g_autoptr (GSocketService) service = g_socket_service_new ();
  g_autoptr (LersTransport) t = NULL;
  g_autoptr (GBytes) request = bytes_of ("hello", 5);
  g_autoptr (GError) error = NULL;
  g_autofree gchar *description = NULL;
  Result r = { 0 };
  guint16 port;

  port = g_socket_listener_add_any_inet_port (G_SOCKET_LISTENER (service), NULL, &error);
  lers_check_assert_no_error (error);
  g_signal_connect (service, "incoming", G_CALLBACK (echo_incoming_cb), NULL);
  g_socket_service_start (service);

  t = lers_tcp_transport_new ("127.0.0.1", port);
  description = g_strdup_printf ("tcp:127.0.0.1:%u", port);
  ck_assert_str_eq (lers_transport_get_description (t), description);
  lers_transport_open_async (t, NULL, opened_cb, &r);
  wait_for (&r.done);
  lers_check_assert_no_error (r.error);
  ck_assert (lers_transport_is_open (t));
  result_clear (&r);

  lers_transport_exchange_async (t, request, scan_five, NULL, NULL, NULL, exchanged_cb, &r);
  wait_for (&r.done);
  lers_check_assert_no_error (r.error);
  assert_bytes (r.answer, "hello", 5);
  ck_assert_uint_eq (lers_transport_get_bytes_sent (t), 5);
  ck_assert_uint_eq (lers_transport_get_bytes_received (t), 5);
  result_clear (&r);

  lers_transport_close_async (t, NULL, closed_cb, &r);
  wait_for (&r.done);
  lers_check_assert_no_error (r.error);
  ck_assert (!lers_transport_is_open (t));
  result_clear (&r);
  /* closed: an exchange is refused, not attempted */
  lers_transport_exchange_async (t, request, scan_five, NULL, NULL, NULL, exchanged_cb, &r);
  wait_for (&r.done);
  lers_check_assert_error (r.error, LERS_ERROR, LERS_ERROR_CONNECTION);
  {
    g_autofree gchar *expected = g_strdup_printf ("The link %s is not open", description);
    ck_assert_str_eq (r.error->message, expected);
  }
  result_clear (&r);
  g_socket_service_stop (service);
  g_socket_listener_close (G_SOCKET_LISTENER (service));
  settle ();
}
END_TEST

/* A meter that answers after the link gave up: its late answer sits in the
 * socket when the next request goes out, and must not be taken as the
 * answer to that request. */
static gboolean
keep_connection_cb (GSocketService *service, GSocketConnection *connection, GObject *source,
                    gpointer user_data)
{
  *(GSocketConnection **) user_data = g_object_ref (connection);
  return TRUE;
}

static void
peer_expect (GSocketConnection *peer, const gchar *expected)
{
  GSocket *socket = g_socket_connection_get_socket (peer);
  gchar buf[16] = { 0 };
  gssize n;

  /* the client writes from the main loop: run it until the bytes are here */
  for (guint i = 0; i < 1000 && !g_socket_condition_check (socket, G_IO_IN); i++)
    {
      g_main_context_iteration (NULL, FALSE);
      g_usleep (1000);
    }
  n = g_socket_receive (socket, buf, sizeof buf - 1, NULL, NULL);
  ck_assert_int_eq (n, (gssize) strlen (expected));
  ck_assert_str_eq (buf, expected);
}

START_TEST (test_tcp_late_answer_dropped)
{
  g_autoptr (GSocketService) service = g_socket_service_new ();
  g_autoptr (GSocketConnection) peer = NULL;
  g_autoptr (LersTransport) t = NULL;
  g_autoptr (GBytes) req1 = bytes_of ("REQ1x", 5);
  g_autoptr (GBytes) req2 = bytes_of ("REQ2x", 5);
  g_autoptr (GError) error = NULL;
  GSocket *socket;
  Result r = { 0 };
  guint16 port;

  port = g_socket_listener_add_any_inet_port (G_SOCKET_LISTENER (service), NULL, &error);
  lers_check_assert_no_error (error);
  g_signal_connect (service, "incoming", G_CALLBACK (keep_connection_cb), &peer);
  g_socket_service_start (service);
  t = lers_tcp_transport_new ("127.0.0.1", port);
  lers_transport_set_first_byte_timeout_ms (t, 100);
  lers_transport_open_async (t, NULL, opened_cb, &r);
  wait_for (&r.done);
  lers_check_assert_no_error (r.error);
  result_clear (&r);
  while (peer == NULL)
    g_main_context_iteration (NULL, TRUE);
  socket = g_socket_connection_get_socket (peer);

  /* request 1: the meter is slow, the link gives up after 100 ms */
  lers_transport_exchange_async (t, req1, scan_five, NULL, NULL, NULL, exchanged_cb, &r);
  peer_expect (peer, "REQ1x");
  wait_for (&r.done);
  lers_check_assert_error (r.error, LERS_ERROR, LERS_ERROR_TIMED_OUT);
  result_clear (&r);

  /* its answer comes late and waits in the client's socket */
  ck_assert_int_eq (g_socket_send (socket, "ANS1x", 5, NULL, NULL), 5);
  for (guint i = 0; i < 1000; i++)
    {
      GSocket *client
          = g_socket_connection_get_socket (G_SOCKET_CONNECTION (lers_transport_get_stream (t)));
      if (g_socket_condition_check (client, G_IO_IN))
        break;
      g_usleep (1000);
    }

  /* request 2 gets its own answer, not the late one */
  lers_transport_exchange_async (t, req2, scan_five, NULL, NULL, NULL, exchanged_cb, &r);
  peer_expect (peer, "REQ2x");
  ck_assert_int_eq (g_socket_send (socket, "ANS2x", 5, NULL, NULL), 5);
  wait_for (&r.done);
  lers_check_assert_no_error (r.error);
  assert_bytes (r.answer, "ANS2x", 5);
  /* the late bytes were received and counted, then dropped */
  ck_assert_uint_eq (lers_transport_get_bytes_received (t), 10);
  result_clear (&r);
  lers_transport_close_sync (t, NULL, NULL);
  g_socket_service_stop (service);
  g_socket_listener_close (G_SOCKET_LISTENER (service));
  settle ();
}
END_TEST

static Suite *
transport_suite (void)
{
  Suite *s = suite_create ("transport");
  TCase *tc = tcase_create ("memory");

  tcase_add_test (tc, test_exchange_one_frame);
  tcase_add_test (tc, test_leftover_dropped_before_request);
  tcase_add_test (tc, test_first_byte_timeout);
  tcase_add_test (tc, test_inter_byte_timeout);
  tcase_add_test (tc, test_answer_timeout);
  tcase_add_test (tc, test_silence_ends_answer_without_scanner);
  tcase_add_test (tc, test_cancel);
  tcase_add_test (tc, test_busy);
  tcase_add_test (tc, test_link_timeout_never_preempts_driver_retry);
  suite_add_tcase (s, tc);
  tc = tcase_create ("open");
  tcase_add_test (tc, test_open_retries);
  tcase_add_test (tc, test_connect_timeout);
  tcase_add_test (tc, test_open_cancel);
  tcase_add_test (tc, test_tcp_echo);
  tcase_add_test (tc, test_tcp_late_answer_dropped);
  suite_add_tcase (s, tc);
  return s;
}

int
main (int argc, char **argv)
{
  lers_check_init (&argc, &argv);
  return lers_check_run_suite (transport_suite ());
}
