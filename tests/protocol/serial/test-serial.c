/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* LersSerialTransport on a pseudo-terminal pair: the far end is a peer in
 * this process (serial-peer.c) reading the master side, and the line's
 * settings are read back with tcgetattr() on the test's own slave fd. */
#include <check.h>
#include <dlfcn.h>
#include <lers.h>
#include <string.h>
#include <sys/ioctl.h>
#include <termios.h>
#include <unistd.h>

#include "lers-check.h"
#include "serial-peer.h"

/* Linux pseudo-terminals keep CS8 and no parity whatever is asked
 * (pty_set_termios() in drivers/tty/pty.c), so for the character size and
 * parity the test reads what the line asked the kernel for: this
 * tcsetattr() stands in front of the C library's and records it. Speed,
 * stop bits and flow control are read back from the kernel. */
static GMutex requested_lock;
static struct termios requested;

int
tcsetattr (int fd, int optional_actions, const struct termios *tio)
{
  static int (*real) (int, int, const struct termios *) = NULL;

  if (real == NULL)
    real = (int (*) (int, int, const struct termios *)) dlsym (RTLD_NEXT, "tcsetattr");
  g_mutex_lock (&requested_lock);
  requested = *tio;
  g_mutex_unlock (&requested_lock);
  return real (fd, optional_actions, tio);
}

static tcflag_t
requested_cflag (void)
{
  tcflag_t cflag;

  g_mutex_lock (&requested_lock);
  cflag = requested.c_cflag;
  g_mutex_unlock (&requested_lock);
  return cflag;
}

static void
result_cb (GObject *source, GAsyncResult *result, gpointer user_data)
{
  *(GAsyncResult **) user_data = g_object_ref (result);
}

/* runs the default main context (where the peer lives) until @result is set */
static GAsyncResult *
wait_for (GAsyncResult **result)
{
  while (*result == NULL)
    g_main_context_iteration (NULL, TRUE);
  return *result;
}

static void
drain_context (void)
{
  while (g_main_context_iteration (NULL, FALSE))
    ;
}

static gboolean
open_line (LersTransport *t, GError **error)
{
  g_autoptr (GAsyncResult) result = NULL;

  lers_transport_open_async (t, NULL, result_cb, &result);
  return lers_transport_open_finish (t, wait_for (&result), error);
}

static void
close_line (LersTransport *t)
{
  g_autoptr (GAsyncResult) result = NULL;
  g_autoptr (GError) error = NULL;

  lers_transport_close_async (t, NULL, result_cb, &result);
  ck_assert (lers_transport_close_finish (t, wait_for (&result), &error));
  lers_check_assert_no_error (error);
}

static gssize
fixed_scanner (const guint8 *data, gsize len, gpointer user_data)
{
  gsize want = GPOINTER_TO_SIZE (user_data);
  return len >= want ? (gssize) want : 0;
}

static GBytes *
exchange_n (LersTransport *t, const gchar *request, gsize len, gsize answer_len, GError **error)
{
  g_autoptr (GAsyncResult) result = NULL;
  g_autoptr (GBytes) bytes = g_bytes_new (request, len);

  lers_transport_exchange_async (t, bytes, fixed_scanner, GSIZE_TO_POINTER (answer_len), NULL, NULL,
                                 result_cb, &result);
  return lers_transport_exchange_finish (t, wait_for (&result), error);
}

static GBytes *
exchange (LersTransport *t, const gchar *request, gsize answer_len, GError **error)
{
  return exchange_n (t, request, strlen (request), answer_len, error);
}

static void
assert_bytes (GBytes *bytes, const gchar *expected)
{
  gsize len = 0;
  const gchar *data = bytes != NULL ? g_bytes_get_data (bytes, &len) : NULL;

  ck_assert_msg (bytes != NULL, "no answer");
  ck_assert_uint_eq (len, strlen (expected));
  ck_assert (memcmp (data, expected, len) == 0);
}

/* ---- settings ------------------------------------------------------------ */

static const struct
{
  guint baud;
  speed_t speed;
  guint data_bits;
  LersParity parity;
  guint stop_bits;
  LersFlowControl flow;
  tcflag_t csize;
} line_table[] = {
  /* M-Bus: 2400 8E1 */
  { 2400, B2400, 8, LERS_PARITY_EVEN, 1, LERS_FLOW_CONTROL_NONE, CS8 },
  /* IEC 62056-21 opening: 300 7E1 */
  { 300, B300, 7, LERS_PARITY_EVEN, 1, LERS_FLOW_CONTROL_NONE, CS7 },
  { 9600, B9600, 8, LERS_PARITY_NONE, 1, LERS_FLOW_CONTROL_HARDWARE, CS8 },
  { 19200, B19200, 7, LERS_PARITY_ODD, 2, LERS_FLOW_CONTROL_SOFTWARE, CS7 },
  { 115200, B115200, 6, LERS_PARITY_NONE, 2, LERS_FLOW_CONTROL_NONE, CS6 },
  { 230400, B230400, 5, LERS_PARITY_ODD, 1, LERS_FLOW_CONTROL_NONE, CS5 },
};

static void
assert_line (SerialPeer *peer, speed_t speed, tcflag_t csize, LersParity parity, guint stop_bits)
{
  struct termios tio;

  tcflag_t asked = requested_cflag ();

  serial_peer_get_termios (peer, &tio);
  ck_assert_uint_eq (cfgetospeed (&tio), speed);
  ck_assert_uint_eq (cfgetispeed (&tio), speed);
  ck_assert_uint_eq ((tio.c_cflag & CSTOPB) != 0, stop_bits == 2);
  ck_assert_uint_eq (asked & CSIZE, csize);
  ck_assert_uint_eq ((asked & PARENB) != 0, parity != LERS_PARITY_NONE);
  ck_assert_uint_eq ((asked & PARODD) != 0, parity == LERS_PARITY_ODD);
  ck_assert_uint_eq (asked & CBAUD, speed);
  /* raw: no echo, no line editing, no output processing */
  ck_assert_uint_eq (tio.c_lflag & (ECHO | ICANON | ISIG), 0);
  ck_assert_uint_eq (tio.c_oflag & OPOST, 0);
}

START_TEST (test_serial_settings_and_bytes)
{
  SerialPeer *peer = serial_peer_new ();
  g_autoptr (LersTransport) t = lers_serial_transport_new (peer->path);
  LersSerialTransport *serial = LERS_SERIAL_TRANSPORT (t);
  g_autoptr (GError) error = NULL;
  g_autoptr (GBytes) answer = NULL;
  struct termios tio;

  ck_assert (lers_serial_transport_set_baud_rate (serial, line_table[_i].baud, &error));
  lers_check_assert_no_error (error);
  lers_serial_transport_set_data_bits (serial, line_table[_i].data_bits);
  lers_serial_transport_set_parity (serial, line_table[_i].parity);
  lers_serial_transport_set_stop_bits (serial, line_table[_i].stop_bits);
  lers_serial_transport_set_flow_control (serial, line_table[_i].flow);
  ck_assert (lers_transport_get_line_configured (t));
  ck_assert (open_line (t, &error));
  lers_check_assert_no_error (error);
  ck_assert (lers_transport_is_open (t));
  assert_line (peer, line_table[_i].speed, line_table[_i].csize, line_table[_i].parity,
               line_table[_i].stop_bits);
  serial_peer_get_termios (peer, &tio);
  ck_assert_uint_eq ((tio.c_cflag & CRTSCTS) != 0,
                     line_table[_i].flow == LERS_FLOW_CONTROL_HARDWARE);
  ck_assert_uint_eq ((tio.c_iflag & IXON) != 0, line_table[_i].flow == LERS_FLOW_CONTROL_SOFTWARE);

  /* bytes both ways, 0x00 and 0xff and CR LF untouched */
  serial_peer_set_answer (peer, 6, "pong\r\n\0\xff", 8);
  answer = exchange (t, "ping\r\n", 8, &error);
  lers_check_assert_no_error (error);
  ck_assert_uint_eq (g_bytes_get_size (answer), 8);
  ck_assert (memcmp (g_bytes_get_data (answer, NULL), "pong\r\n\0\xff", 8) == 0);
  ck_assert_uint_eq (peer->received->len, 6);
  ck_assert (memcmp (peer->received->data, "ping\r\n", 6) == 0);
  ck_assert_uint_eq (lers_transport_get_bytes_sent (t), 6);
  ck_assert_uint_eq (lers_transport_get_bytes_received (t), 8);
  close_line (t);
  ck_assert (!lers_transport_is_open (t));
  serial_peer_free (peer);
}
END_TEST

START_TEST (test_serial_set_line_mid_session)
{
  SerialPeer *peer = serial_peer_new ();
  g_autoptr (LersTransport) t = lers_serial_transport_new (peer->path);
  g_autoptr (GError) error = NULL;
  g_autoptr (GBytes) first = NULL;
  g_autoptr (GBytes) second = NULL;

  /* not chosen: opens at 9600 8N1 and the driver's default may apply */
  ck_assert_uint_eq (lers_serial_transport_get_baud_rate (LERS_SERIAL_TRANSPORT (t)), 0);
  ck_assert (!lers_transport_get_line_configured (t));
  ck_assert (open_line (t, &error));
  assert_line (peer, B9600, CS8, LERS_PARITY_NONE, 1);
  /* IEC 62056-21 opens at 300 7E1 (the driver's usual line) */
  ck_assert (lers_transport_set_line_default (t, 300, 7, LERS_PARITY_EVEN, 1, &error));
  lers_check_assert_no_error (error);
  ck_assert (lers_transport_get_line_configured (t));
  assert_line (peer, B300, CS7, LERS_PARITY_EVEN, 1);
  serial_peer_set_answer (peer, 5, "/LRS5\r\n", 7);
  first = exchange (t, "/?!\r\n", 7, &error);
  lers_check_assert_no_error (error);
  assert_bytes (first, "/LRS5\r\n");

  /* after the acknowledge, 9600 in the same session */
  ck_assert (lers_transport_set_line (t, 9600, 7, LERS_PARITY_EVEN, 1, &error));
  lers_check_assert_no_error (error);
  assert_line (peer, B9600, CS7, LERS_PARITY_EVEN, 1);
  ck_assert_uint_eq (lers_serial_transport_get_baud_rate (LERS_SERIAL_TRANSPORT (t)), 9600);
  serial_peer_set_answer (peer, 4, "DATA", 4);
  second = exchange (t, "R1\r\n", 4, &error);
  lers_check_assert_no_error (error);
  assert_bytes (second, "DATA");

  /* a default no longer applies once the line was chosen */
  ck_assert (lers_transport_set_line_default (t, 2400, 8, LERS_PARITY_EVEN, 1, &error));
  assert_line (peer, B9600, CS7, LERS_PARITY_EVEN, 1);

  /* a speed not in the table, bad framing: clear errors, the line unchanged */
  ck_assert (!lers_transport_set_line (t, 12345, 8, LERS_PARITY_NONE, 1, &error));
  lers_check_assert_error (error, LERS_ERROR, LERS_ERROR_INVALID_ARGUMENT);
  ck_assert_msg (strstr (error->message, "12345 baud") != NULL, "%s", error->message);
  g_clear_error (&error);
  ck_assert (!lers_transport_set_line (t, 9600, 9, LERS_PARITY_NONE, 1, &error));
  lers_check_assert_error (error, LERS_ERROR, LERS_ERROR_INVALID_ARGUMENT);
  g_clear_error (&error);
  ck_assert (!lers_transport_set_line (t, 9600, 8, LERS_PARITY_NONE, 3, &error));
  lers_check_assert_error (error, LERS_ERROR, LERS_ERROR_INVALID_ARGUMENT);
  g_clear_error (&error);
  assert_line (peer, B9600, CS7, LERS_PARITY_EVEN, 1);
  close_line (t);
  serial_peer_free (peer);
}
END_TEST

/* ---- RS-485 echo --------------------------------------------------------- */

START_TEST (test_serial_echo_suppressed)
{
  SerialPeer *peer = serial_peer_new ();
  g_autoptr (LersTransport) t = lers_serial_transport_new (peer->path);
  g_autoptr (GError) error = NULL;
  g_autoptr (GBytes) answer = NULL;
  g_autoptr (GBytes) mangled = NULL;

  lers_serial_transport_set_echo (LERS_SERIAL_TRANSPORT (t), TRUE);
  ck_assert (open_line (t, &error));
  /* the peer sends the request back, then answers: the answer alone
   * comes out (a scanner that takes the first 9 bytes would otherwise see
   * "\x10\x5b\x07\x62\x16" first) */
  peer->echo = TRUE;
  serial_peer_set_answer (peer, 5, "ANSWER-OK", 9);
  answer = exchange (t, "\x10\x5b\x07\x62\x16", 9, &error);
  lers_check_assert_no_error (error);
  assert_bytes (answer, "ANSWER-OK");
  /* the echo counts as received traffic: 5 + 9 */
  ck_assert_uint_eq (lers_transport_get_bytes_received (t), 9);

  /* a collision: the echo differs */
  peer->mangle_echo = TRUE;
  mangled = exchange (t, "\x10\x5b\x07\x62\x16", 9, &error);
  ck_assert (mangled == NULL);
  lers_check_assert_error (error, LERS_ERROR, LERS_ERROR_INVALID_DATA);
  close_line (t);
  serial_peer_free (peer);
}
END_TEST

/* ---- inter-frame silence ------------------------------------------------- */

START_TEST (test_serial_inter_frame_silence)
{
  SerialPeer *peer = serial_peer_new ();
  g_autoptr (LersTransport) t = lers_serial_transport_new (peer->path);
  g_autoptr (GError) error = NULL;
  /* 200 ms: far above scheduling noise, so a missing pause shows */
  const guint silence_us = 200000;

  lers_serial_transport_set_inter_frame_silence_us (LERS_SERIAL_TRANSPORT (t), silence_us);
  ck_assert (open_line (t, &error));
  serial_peer_set_answer (peer, 8, "\x01\x03\x02\x00\x2a\x38\x5b", 7);
  for (guint i = 0; i < 3; i++)
    {
      g_autoptr (GBytes) answer = exchange_n (t, "\x01\x03\x00\x00\x00\x01\x84\x0a", 8, 7, &error);

      lers_check_assert_no_error (error);
      ck_assert_uint_eq (g_bytes_get_size (answer), 7);
    }
  ck_assert_uint_eq (peer->requests, 3);
  /* the peer measured, from writing its answer to the first byte of the
   * next request, at least the silence (our last byte came after its
   * write, and we waited the silence after our last byte) */
  ck_assert_msg (peer->gap_us >= silence_us, "gap %" G_GINT64_FORMAT " us", peer->gap_us);
  close_line (t);
  serial_peer_free (peer);
}
END_TEST

/* ---- timeouts and cancellation ------------------------------------------- */

START_TEST (test_serial_first_byte_timeout)
{
  SerialPeer *peer = serial_peer_new ();
  g_autoptr (LersTransport) t = lers_serial_transport_new (peer->path);
  g_autoptr (LersClock) clock = lers_clock_new_manual ();
  g_autoptr (GError) error = NULL;
  g_autoptr (GAsyncResult) result = NULL;
  g_autoptr (GBytes) request = g_bytes_new_static ("REQ", 3);
  g_autoptr (GBytes) answer = NULL;

  lers_transport_set_clock (t, clock);
  lers_transport_set_first_byte_timeout_ms (t, 500);
  ck_assert (open_line (t, &error));
  serial_peer_set_answer (peer, 0, NULL, 0); /* silent */
  lers_transport_exchange_async (t, request, fixed_scanner, GSIZE_TO_POINTER (4), NULL, NULL,
                                 result_cb, &result);
  /* the request went out, and the exchange listens */
  while (lers_transport_get_bytes_sent (t) < 3 || peer->received->len < 3)
    g_main_context_iteration (NULL, TRUE);
  drain_context ();
  lers_clock_advance (clock, 499);
  drain_context ();
  ck_assert (result == NULL);
  lers_clock_advance (clock, 1);
  answer = lers_transport_exchange_finish (t, wait_for (&result), &error);
  ck_assert (answer == NULL);
  lers_check_assert_error (error, LERS_ERROR, LERS_ERROR_TIMED_OUT);
  ck_assert_msg (strstr (error->message, "no answer within 500 ms") != NULL, "%s", error->message);
  /* the line still works */
  g_clear_error (&error);
  serial_peer_set_answer (peer, 3, "ANS", 3);
  g_clear_pointer (&answer, g_bytes_unref);
  answer = exchange (t, "REQ", 3, &error);
  lers_check_assert_no_error (error);
  assert_bytes (answer, "ANS");
  close_line (t);
  serial_peer_free (peer);
}
END_TEST

START_TEST (test_serial_cancel_blocked_read)
{
  SerialPeer *peer = serial_peer_new ();
  g_autoptr (LersTransport) t = lers_serial_transport_new (peer->path);
  g_autoptr (GCancellable) cancellable = g_cancellable_new ();
  g_autoptr (GError) error = NULL;
  g_autoptr (GAsyncResult) result = NULL;
  g_autoptr (GAsyncResult) closed = NULL;
  g_autoptr (GBytes) bytes = NULL;
  gint64 start;

  ck_assert (open_line (t, &error));
  lers_transport_read_async (t, cancellable, result_cb, &result);
  drain_context ();
  ck_assert (result == NULL);
  start = g_get_monotonic_time ();
  g_cancellable_cancel (cancellable);
  bytes = lers_transport_read_finish (t, wait_for (&result), &error);
  ck_assert (bytes == NULL);
  lers_check_assert_error (error, LERS_ERROR, LERS_ERROR_CANCELLED);
  /* promptly: the wait watches the cancellable (nothing else would end it) */
  ck_assert_int_lt (g_get_monotonic_time () - start, 2 * G_USEC_PER_SEC);

  /* a read still waiting when the line closes ends, and close returns */
  g_clear_error (&error);
  g_clear_object (&result);
  g_clear_pointer (&bytes, g_bytes_unref);
  lers_transport_read_async (t, NULL, result_cb, &result);
  drain_context ();
  lers_transport_close_async (t, NULL, result_cb, &closed);
  ck_assert (lers_transport_close_finish (t, wait_for (&closed), &error));
  lers_check_assert_no_error (error);
  bytes = lers_transport_read_finish (t, wait_for (&result), &error);
  ck_assert (bytes == NULL);
  lers_check_assert_error (error, LERS_ERROR, LERS_ERROR_CONNECTION);
  serial_peer_free (peer);
}
END_TEST

/* ---- opening ------------------------------------------------------------- */

START_TEST (test_serial_open_errors)
{
  g_autoptr (LersTransport) missing = lers_serial_transport_new ("/dev/lers-test-no-such-tty9");
  g_autoptr (LersTransport) not_tty = lers_serial_transport_new ("/dev/null");
  g_autoptr (GError) error = NULL;
  SerialPeer *peer = serial_peer_new ();
  g_autoptr (LersTransport) first = lers_serial_transport_new (peer->path);
  g_autoptr (LersTransport) second = lers_serial_transport_new (peer->path);
  gint excl = -1;

  lers_transport_set_retries (missing, 0);
  ck_assert (!open_line (missing, &error));
  lers_check_assert_error (error, LERS_ERROR, LERS_ERROR_NOT_FOUND);
  ck_assert_msg (strstr (error->message, "/dev/lers-test-no-such-tty9: no such device") != NULL,
                 "%s", error->message);
  g_clear_error (&error);

  lers_transport_set_retries (not_tty, 0);
  ck_assert (!open_line (not_tty, &error));
  lers_check_assert_error (error, LERS_ERROR, LERS_ERROR_INVALID_ARGUMENT);
  ck_assert_msg (strstr (error->message, "/dev/null is not a serial line") != NULL, "%s",
                 error->message);
  g_clear_error (&error);

  /* exclusive while open (root may open an exclusive tty all the same, so
   * the flag itself is read back) */
  ck_assert (open_line (first, &error));
  ck_assert_int_eq (ioctl (peer->slave, TIOCGEXCL, &excl), 0);
  ck_assert_int_eq (excl, 1);
  if (geteuid () != 0)
    {
      lers_transport_set_retries (second, 0);
      ck_assert (!open_line (second, &error));
      lers_check_assert_error (error, LERS_ERROR, LERS_ERROR_BUSY);
      g_clear_error (&error);
    }
  close_line (first);
  ck_assert_int_eq (ioctl (peer->slave, TIOCGEXCL, &excl), 0);
  ck_assert_int_eq (excl, 0);
  ck_assert (open_line (second, &error));
  lers_check_assert_no_error (error);
  close_line (second);
  serial_peer_free (peer);
}
END_TEST

static Suite *
serial_suite (void)
{
  Suite *s = suite_create ("serial");
  TCase *tc = tcase_create ("pty");

  tcase_add_loop_test (tc, test_serial_settings_and_bytes, 0, G_N_ELEMENTS (line_table));
  tcase_add_test (tc, test_serial_set_line_mid_session);
  tcase_add_test (tc, test_serial_echo_suppressed);
  tcase_add_test (tc, test_serial_inter_frame_silence);
  tcase_add_test (tc, test_serial_first_byte_timeout);
  tcase_add_test (tc, test_serial_cancel_blocked_read);
  tcase_add_test (tc, test_serial_open_errors);
  suite_add_tcase (s, tc);
  return s;
}

int
main (int argc, char **argv)
{
  lers_check_init (&argc, &argv);
  return lers_check_run_suite (serial_suite ());
}
