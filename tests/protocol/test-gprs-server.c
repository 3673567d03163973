/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The GPRS server: modems (GSocketClients of this test) call in on
 * loopback, port 0, and identify themselves; the server's timeouts run on
 * a manual clock. Also the handshake rules and their matcher, as tables.
 *
 * The IMEIs are made-up 15-digit numbers; what each rule must find in what
 * a modem sends is worked out by hand in the tables. */
#include <check.h>
#include <lers.h>
#include <string.h>

#include "lers-check.h"

/* ---- handshake rules ----------------------------------------------------- */

START_TEST (test_rules_parse)
{
  static const struct
  {
    const gchar *text;
    const gchar *canonical; /* NULL: the rule is refused */
  } cases[] = {
    { "id", "id" },
    { "  id\n", "id" },
    { "id:LERS-", "id:LERS-" },
    { "regex:^ID=(\\w+);", "regex:^ID=(\\w+);" },
    { "request:41 54 49 0d;answer-regex:IMEI (\\d{15})",
      "request:4154490D;answer-regex:IMEI (\\d{15})" },
    { "request:ff;answer-regex:(.)", "request:FF;answer-regex:(.)" },
    { "", NULL },
    { "imei", NULL },
    { "id:", NULL },
    { "id:A B", NULL },
    { "regex:", NULL },
    { "regex:IMEI\\d+", NULL }, /* no group for the identity */
    { "regex:(unclosed", NULL },
    { "request:41", NULL }, /* no answer pattern */
    { "request:;answer-regex:(x)", NULL },
    { "request:4G;answer-regex:(x)", NULL },
    { "request:414;answer-regex:(x)", NULL },
    { "request:4 1;answer-regex:(x)", NULL },
    { "request:41;answer-regex:x", NULL },
    { "request:41;regex:(x)", NULL },
  };

  for (gsize i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr (GError) error = NULL;
      g_autoptr (LersGprsHandshake) rule
          = lers_gprs_handshake_new_from_string (cases[i].text, &error);

      if (cases[i].canonical == NULL)
        {
          ck_assert_msg (rule == NULL, "rule “%s” was accepted", cases[i].text);
          lers_check_assert_error (error, LERS_ERROR, LERS_ERROR_INVALID_ARGUMENT);
        }
      else
        {
          g_autofree gchar *text = NULL;
          g_autoptr (LersGprsHandshake) again = NULL;

          ck_assert_msg (rule != NULL, "rule “%s”: %s", cases[i].text, error->message);
          text = lers_gprs_handshake_to_string (rule);
          ck_assert_str_eq (text, cases[i].canonical);
          again = lers_gprs_handshake_new_from_string (text, NULL);
          ck_assert (again != NULL);
        }
    }
}
END_TEST

START_TEST (test_rules_match)
{
  static const struct
  {
    const gchar *rule;
    const gchar *sent;
    gsize len;
    gssize consumed; /* 0: waits for more, -1: never */
    const gchar *identity;
  } cases[] = {
    /* Teleofis / iRZ style: 22 bytes with CR LF */
    { "id", "IMEI:356938035643809\r\n", 22, 22, "356938035643809" },
    { "id", "imei=356938035643809\n", 21, 21, "356938035643809" },
    /* a bare IMEI needs no line end; a short number does */
    { "id", "356938035643809", 15, 15, "356938035643809" },
    { "id", "35693803564380", 14, 0, NULL },
    { "id", "IMEI:356938035643809", 20, 20, "356938035643809" },
    { "id", "IMEI:3569", 9, 0, NULL },
    { "id", "", 0, 0, NULL },
    /* an empty line first, then the ID; what follows the line stays */
    { "id", "\r\nMODEM-7\rxyz", 13, 10, "MODEM-7" },
    { "id", "IMEI:\r\n", 7, -1, NULL },
    { "id", "IMEI:3569 3803\r\n", 16, -1, NULL },
    { "id", "\x01\x02\x03\r\n", 5, -1, NULL },
    { "id:LERS-", "LERS-0042\r\n", 11, 11, "0042" },
    { "id:LERS-", "LER", 3, 0, NULL },
    { "id:LERS-", "LERS-0042", 9, 0, NULL },
    { "id:LERS-", "XERS-0042\r\n", 11, -1, NULL },
    { "id:LERS-", "LE\r\n", 4, -1, NULL },
    { "regex:^ID=(\\w+);", "ID=meter42;", 11, 11, "meter42" },
    { "regex:^ID=(\\w+);", "ID=meter", 8, 0, NULL },
    /* more word characters could still come: wait */
    { "regex:ID=(\\w+)", "ID=meter42", 10, 0, NULL },
    { "regex:ID=(\\w+)", "ID=meter42\r", 11, 10, "meter42" },
    { "regex:(\\d{15})",
      "\xFF\xFE"
      "356938035643809",
      17, 17, "356938035643809" },
    { "request:4154490D;answer-regex:IMEI (\\d{15})", "ATI\r\r\nIMEI 356938035643809\r\nOK\r\n", 32,
      26, "356938035643809" },
    /* a group that matched nothing */
    { "regex:A(x*)B", "AB", 2, -1, NULL },
  };

  for (gsize i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr (GError) error = NULL;
      g_autoptr (LersGprsHandshake) rule
          = lers_gprs_handshake_new_from_string (cases[i].rule, NULL);
      g_autofree gchar *identity = NULL;
      gssize n;

      ck_assert (rule != NULL);
      n = lers_gprs_handshake_match (rule, (const guint8 *) cases[i].sent, cases[i].len, &identity,
                                     &error);
      ck_assert_msg (n == cases[i].consumed, "case %zu (%s): %zd, not %zd", i, cases[i].rule, n,
                     cases[i].consumed);
      if (n < 0)
        lers_check_assert_error (error, LERS_ERROR, LERS_ERROR_INVALID_DATA);
      else
        lers_check_assert_no_error (error);
      ck_assert_pstr_eq (identity, cases[i].identity);
    }
}
END_TEST

START_TEST (test_rules_give_up)
{
  g_autoptr (LersGprsHandshake) id = lers_gprs_handshake_new_from_string ("id", NULL);
  g_autoptr (LersGprsHandshake) re = lers_gprs_handshake_new_from_string ("regex:X(\\d+)Y", NULL);
  guint8 noise[LERS_GPRS_HANDSHAKE_MAX_BYTES];
  g_autoptr (GError) error = NULL;
  g_autoptr (GError) error2 = NULL;

  memset (noise, 'a', sizeof noise);
  ck_assert_int_eq (lers_gprs_handshake_match (id, noise, sizeof noise - 1, NULL, NULL), 0);
  ck_assert_int_eq (lers_gprs_handshake_match (id, noise, sizeof noise, NULL, &error), -1);
  lers_check_assert_error (error, LERS_ERROR, LERS_ERROR_INVALID_DATA);
  ck_assert_str_eq (error->message, "The modem sent 256 bytes without identifying itself");
  ck_assert_int_eq (lers_gprs_handshake_match (re, noise, sizeof noise, NULL, &error2), -1);
  lers_check_assert_error (error2, LERS_ERROR, LERS_ERROR_INVALID_DATA);
}
END_TEST

/* ---- the server ---------------------------------------------------------- */

static gboolean guard_fired;

static gboolean
guard_cb (gpointer user_data)
{
  guard_fired = TRUE;
  return G_SOURCE_REMOVE;
}

static void
settle (void)
{
  for (guint i = 0; i < 1000; i++)
    if (!g_main_context_iteration (NULL, FALSE))
      break;
}

typedef struct
{
  LersGprsServer *server;
  LersClock *clock;
  GPtrArray *identities; /* of modem-connected */
  GPtrArray *transports; /* the same order */
  GPtrArray *ended;      /* "identity reason" of modem-disconnected */
  GString *log;          /* g_message()s */
  gboolean keep;         /* keep the transports handed over */
  guint log_handler;
} Fixture;

static Fixture fx;

static void
unref_nullable (gpointer object)
{
  if (object != NULL)
    g_object_unref (object);
}

static void
connected_cb (LersGprsServer *server, const gchar *identity, LersTransport *transport,
              gpointer data)
{
  g_ptr_array_add (fx.identities, g_strdup (identity));
  g_ptr_array_add (fx.transports, fx.keep ? g_object_ref (transport) : NULL);
}

static void
disconnected_cb (LersGprsServer *server, const gchar *identity, const gchar *reason, gpointer data)
{
  g_ptr_array_add (fx.ended, g_strdup_printf ("%s %s", identity, reason));
}

static void
log_cb (const gchar *domain, GLogLevelFlags level, const gchar *message, gpointer data)
{
  g_string_append_printf (fx.log, "%s\n", message);
}

static void
server_setup (void)
{
  g_autoptr (GError) error = NULL;

  fx.clock = lers_clock_new_manual ();
  fx.server = lers_gprs_server_new ();
  fx.identities = g_ptr_array_new_with_free_func (g_free);
  fx.transports = g_ptr_array_new_with_free_func (unref_nullable);
  fx.ended = g_ptr_array_new_with_free_func (g_free);
  fx.log = g_string_new (NULL);
  fx.keep = TRUE;
  fx.log_handler = g_log_set_handler ("Lers", G_LOG_LEVEL_MESSAGE, log_cb, NULL);
  lers_gprs_server_set_clock (fx.server, fx.clock);
  g_signal_connect (fx.server, "modem-connected", G_CALLBACK (connected_cb), NULL);
  g_signal_connect (fx.server, "modem-disconnected", G_CALLBACK (disconnected_cb), NULL);
  ck_assert (lers_gprs_server_listen (fx.server, "127.0.0.1", 0, &error));
  lers_check_assert_no_error (error);
  ck_assert_uint_ne (lers_gprs_server_get_port (fx.server), 0);
}

static void
server_teardown (void)
{
  g_clear_object (&fx.server);
  settle ();
  g_clear_pointer (&fx.transports, g_ptr_array_unref);
  settle ();
  g_clear_pointer (&fx.identities, g_ptr_array_unref);
  g_clear_pointer (&fx.ended, g_ptr_array_unref);
  g_log_remove_handler ("Lers", fx.log_handler);
  g_string_free (fx.log, TRUE);
  g_clear_object (&fx.clock);
}

/* runs the main context until @count modem-connected (or -disconnected)
 * came; a real 10 s guard fails a test that would otherwise hang */
static void
wait_for_count (GPtrArray **array, guint count)
{
  guint guard = g_timeout_add_seconds (10, guard_cb, NULL);

  guard_fired = FALSE;
  while ((*array)->len < count && !guard_fired)
    g_main_context_iteration (NULL, TRUE);
  ck_assert_msg ((*array)->len >= count, "only %u of %u within 10 s", (*array)->len, count);
  g_source_remove (guard);
}

static GSocketConnection *
modem_connect (void)
{
  g_autoptr (GSocketClient) client = g_socket_client_new ();
  g_autoptr (GError) error = NULL;
  GSocketConnection *connection = g_socket_client_connect_to_host (
      client, "127.0.0.1", lers_gprs_server_get_port (fx.server), NULL, &error);

  lers_check_assert_no_error (error);
  return connection;
}

static void
modem_send (GSocketConnection *modem, const gchar *text)
{
  g_autoptr (GError) error = NULL;

  g_output_stream_write_all (g_io_stream_get_output_stream (G_IO_STREAM (modem)), text,
                             strlen (text), NULL, NULL, &error);
  lers_check_assert_no_error (error);
}

static gboolean
readable_cb (GObject *stream, gpointer user_data)
{
  *(gboolean *) user_data = TRUE;
  return G_SOURCE_REMOVE;
}

/* what the modem receives: @want bytes, or fewer when the server hangs up
 * (then *eof) */
static gchar *
modem_receive (GSocketConnection *modem, gsize want, gboolean *eof)
{
  GPollableInputStream *in
      = G_POLLABLE_INPUT_STREAM (g_io_stream_get_input_stream (G_IO_STREAM (modem)));
  GString *got = g_string_new (NULL);
  guint guard = g_timeout_add_seconds (10, guard_cb, NULL);

  guard_fired = FALSE;
  *eof = FALSE;
  while (got->len < want && !guard_fired)
    {
      gchar buffer[256];
      g_autoptr (GError) error = NULL;
      gssize n = g_pollable_input_stream_read_nonblocking (
          in, buffer, MIN (sizeof buffer, want - got->len), NULL, &error);

      if (n > 0)
        g_string_append_len (got, buffer, n);
      else if (n == 0)
        {
          *eof = TRUE;
          break;
        }
      else if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_WOULD_BLOCK))
        {
          gboolean ready = FALSE;
          GSource *source = g_pollable_input_stream_create_source (in, NULL);

          g_source_set_callback (source, (GSourceFunc) (void (*) (void)) readable_cb, &ready, NULL);
          g_source_attach (source, NULL);
          while (!ready && !guard_fired)
            g_main_context_iteration (NULL, TRUE);
          g_source_destroy (source);
          g_source_unref (source);
        }
      else
        {
          /* a reset counts as the server hanging up */
          *eof = TRUE;
          break;
        }
    }
  ck_assert_msg (!guard_fired, "the modem got nothing within 10 s");
  g_source_remove (guard);
  return g_string_free (got, FALSE);
}

static void
assert_modem_dropped (GSocketConnection *modem)
{
  gboolean eof = FALSE;
  g_autofree gchar *rest = modem_receive (modem, 1, &eof);

  ck_assert_msg (eof, "the server did not hang up");
  ck_assert_str_eq (rest, "");
}

static void
assert_modem_still_connected (GSocketConnection *modem)
{
  GPollableInputStream *in
      = G_POLLABLE_INPUT_STREAM (g_io_stream_get_input_stream (G_IO_STREAM (modem)));
  g_autoptr (GError) error = NULL;
  gchar c;

  settle ();
  ck_assert_int_eq (g_pollable_input_stream_read_nonblocking (in, &c, 1, NULL, &error), -1);
  lers_check_assert_error (error, G_IO_ERROR, G_IO_ERROR_WOULD_BLOCK);
}

typedef struct
{
  gboolean done;
  GBytes *answer;
  GError *error;
} Result;

static void
exchanged_cb (GObject *source, GAsyncResult *result, gpointer user_data)
{
  Result *r = user_data;

  r->answer = lers_transport_exchange_finish (LERS_TRANSPORT (source), result, &r->error);
  r->done = TRUE;
}

static gssize
scan_len (const guint8 *data, gsize len, gpointer user_data)
{
  gsize want = GPOINTER_TO_SIZE (user_data);
  return len >= want ? (gssize) want : 0;
}

static void
wait_result (Result *r)
{
  guint guard = g_timeout_add_seconds (10, guard_cb, NULL);

  guard_fired = FALSE;
  while (!r->done && !guard_fired)
    g_main_context_iteration (NULL, TRUE);
  ck_assert_msg (r->done, "no answer within 10 s");
  g_source_remove (guard);
}

/* the reader sends @request over the transport, the modem reads it and
 * answers @answer, which the reader receives */
static void
talk (LersTransport *transport, GSocketConnection *modem, const gchar *request, const gchar *answer)
{
  g_autoptr (GBytes) req = g_bytes_new (request, strlen (request));
  g_autofree gchar *got = NULL;
  gboolean eof = FALSE;
  Result r = { 0 };

  lers_transport_exchange_async (transport, req, scan_len, GSIZE_TO_POINTER (strlen (answer)), NULL,
                                 NULL, exchanged_cb, &r);
  got = modem_receive (modem, strlen (request), &eof);
  ck_assert (!eof);
  ck_assert_str_eq (got, request);
  modem_send (modem, answer);
  wait_result (&r);
  lers_check_assert_no_error (r.error);
  ck_assert_uint_eq (g_bytes_get_size (r.answer), strlen (answer));
  ck_assert (memcmp (g_bytes_get_data (r.answer, NULL), answer, strlen (answer)) == 0);
  g_bytes_unref (r.answer);
}

static void
close_transport (LersTransport *transport)
{
  g_autoptr (GError) error = NULL;

  ck_assert (lers_transport_close_sync (transport, NULL, &error));
  lers_check_assert_no_error (error);
}

START_TEST (test_three_modems)
{
  static const gchar *imeis[] = { "356938035643809", "490154203237518", "861234567890123" };
  GSocketConnection *modems[3];

  for (guint i = 0; i < 3; i++)
    lers_gprs_server_add_modem (fx.server, imeis[i]);
  /* all three call before any is served */
  for (guint i = 0; i < 3; i++)
    modems[i] = modem_connect ();
  for (guint i = 0; i < 3; i++)
    {
      g_autofree gchar *line = g_strdup_printf ("IMEI:%s\r\n", imeis[i]);
      modem_send (modems[i], line);
    }
  wait_for_count (&fx.identities, 3);
  ck_assert_uint_eq (lers_gprs_server_get_n_sessions (fx.server), 3);
  ck_assert_uint_eq (fx.ended->len, 0);
  for (guint i = 0; i < 3; i++)
    {
      guint j;
      g_autofree gchar *description = g_strconcat ("gprs:", imeis[i], NULL);
      g_autofree gchar *request = g_strdup_printf ("PING %u", i);
      g_autofree gchar *answer = g_strdup_printf ("PONG from %s", imeis[i]);
      LersTransport *transport;

      ck_assert_msg (g_ptr_array_find_with_equal_func (fx.identities, imeis[i], g_str_equal, &j),
                     "%s not connected", imeis[i]);
      transport = g_ptr_array_index (fx.transports, j);
      ck_assert_str_eq (lers_transport_get_description (transport), description);
      ck_assert (lers_transport_is_open (transport));
      talk (transport, modems[i], request, answer);
      ck_assert_uint_eq (lers_transport_get_bytes_sent (transport), strlen (request));
      ck_assert_uint_eq (lers_transport_get_bytes_received (transport), strlen (answer));
    }
  /* done: the reader closes each; the modem sees the end */
  for (guint i = 0; i < 3; i++)
    {
      guint j;

      g_ptr_array_find_with_equal_func (fx.identities, imeis[i], g_str_equal, &j);
      close_transport (g_ptr_array_index (fx.transports, j));
      assert_modem_dropped (modems[i]);
      g_object_unref (modems[i]);
    }
  ck_assert_uint_eq (fx.ended->len, 3);
  for (guint i = 0; i < 3; i++)
    {
      g_autofree gchar *line = g_strdup_printf ("%s done", imeis[i]);
      ck_assert_str_eq (g_ptr_array_index (fx.ended, i), line);
    }
  ck_assert_uint_eq (lers_gprs_server_get_n_sessions (fx.server), 0);
}
END_TEST

START_TEST (test_unknown_modem_dropped)
{
  g_autoptr (GSocketConnection) modem = NULL;
  g_autofree gchar *peer = NULL;
  g_autoptr (GSocketAddress) local = NULL;

  lers_gprs_server_add_modem (fx.server, "356938035643809");
  modem = modem_connect ();
  local = g_socket_connection_get_local_address (modem, NULL);
  peer = g_strdup_printf ("127.0.0.1:%u",
                          g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (local)));
  modem_send (modem, "IMEI:111111111111111\r\n");
  assert_modem_dropped (modem);
  settle ();
  ck_assert_uint_eq (fx.identities->len, 0);
  ck_assert_uint_eq (fx.ended->len, 0);
  {
    g_autofree gchar *expected
        = g_strdup_printf ("GPRS: dropped the connection from %s: unknown modem 111111111111111; "
                           "it sent “IMEI:111111111111111\\r\\n”\n",
                           peer);
    ck_assert_str_eq (fx.log->str, expected);
  }
}
END_TEST

START_TEST (test_dropped_transport_ends_session)
{
  g_autoptr (GSocketConnection) modem = NULL;

  /* a receiver that keeps nothing: the session is done at once */
  fx.keep = FALSE;
  lers_gprs_server_add_modem (fx.server, "356938035643809");
  modem = modem_connect ();
  modem_send (modem, "356938035643809");
  wait_for_count (&fx.identities, 1);
  ck_assert_uint_eq (fx.ended->len, 1);
  ck_assert_str_eq (g_ptr_array_index (fx.ended, 0), "356938035643809 done");
  assert_modem_dropped (modem);
}
END_TEST

START_TEST (test_regex_rule)
{
  g_autoptr (GSocketConnection) modem = NULL;
  g_autoptr (LersGprsHandshake) rule
      = lers_gprs_handshake_new_from_string ("regex:^ID=(\\w+);", NULL);

  lers_gprs_server_set_handshake (fx.server, rule);
  lers_gprs_server_add_modem (fx.server, "meter42");
  modem = modem_connect ();
  modem_send (modem, "ID=meter42;");
  wait_for_count (&fx.identities, 1);
  ck_assert_str_eq (g_ptr_array_index (fx.identities, 0), "meter42");
  talk (g_ptr_array_index (fx.transports, 0), modem, "?", "!");
}
END_TEST

START_TEST (test_request_rule)
{
  g_autoptr (GSocketConnection) modem = NULL;
  g_autoptr (LersGprsHandshake) rule = lers_gprs_handshake_new_from_string (
      "request:41 54 49 0D;answer-regex:IMEI (\\d{15})", NULL);
  g_autofree gchar *asked = NULL;
  gboolean eof = FALSE;

  lers_gprs_server_set_handshake (fx.server, rule);
  lers_gprs_server_add_modem (fx.server, "356938035643809");
  modem = modem_connect ();
  /* the server asks first: ATI CR */
  asked = modem_receive (modem, 4, &eof);
  ck_assert (!eof);
  ck_assert_str_eq (asked, "ATI\r");
  modem_send (modem, "\r\nIMEI 356938035643809\r\nOK\r\n");
  wait_for_count (&fx.identities, 1);
  ck_assert_str_eq (g_ptr_array_index (fx.identities, 0), "356938035643809");
}
END_TEST

/* connects a known modem with the `id` rule and returns it served */
static GSocketConnection *
served_modem (const gchar *imei)
{
  GSocketConnection *modem = modem_connect ();
  g_autofree gchar *line = g_strdup_printf ("IMEI:%s\r\n", imei);
  guint before = fx.identities->len;

  lers_gprs_server_add_modem (fx.server, imei);
  modem_send (modem, line);
  wait_for_count (&fx.identities, before + 1);
  return modem;
}

START_TEST (test_idle_timeout)
{
  g_autoptr (GSocketConnection) modem = NULL;
  LersTransport *transport;
  Result r = { 0 };
  g_autoptr (GBytes) ping = g_bytes_new ("P", 1);

  lers_gprs_server_set_idle_timeout_ms (fx.server, 60000);
  lers_gprs_server_set_max_session_ms (fx.server, 0);
  modem = served_modem ("356938035643809");
  transport = g_ptr_array_index (fx.transports, 0);
  /* traffic at 59 s starts the quiet time again */
  lers_clock_advance (fx.clock, 59000);
  talk (transport, modem, "Q", "A");
  lers_clock_advance (fx.clock, 59999);
  assert_modem_still_connected (modem);
  ck_assert_uint_eq (fx.ended->len, 0);
  /* 60 s after the last byte (at 59 s): 119 s */
  lers_clock_advance (fx.clock, 1);
  settle ();
  ck_assert_uint_eq (fx.ended->len, 1);
  ck_assert_str_eq (g_ptr_array_index (fx.ended, 0), "356938035643809 idle");
  ck_assert_int_eq (lers_clock_get_monotonic_ms (fx.clock), 119000);
  assert_modem_dropped (modem);
  ck_assert_msg (
      strstr (fx.log->str, "GPRS modem 356938035643809: no traffic for 60000 ms, the session ends")
          != NULL,
      "%s", fx.log->str);
  /* the reader's next exchange fails at the link */
  lers_transport_exchange_async (transport, ping, scan_len, GSIZE_TO_POINTER (1), NULL, NULL,
                                 exchanged_cb, &r);
  wait_result (&r);
  lers_check_assert_error (r.error, LERS_ERROR, LERS_ERROR_CONNECTION);
  g_clear_error (&r.error);
}
END_TEST

START_TEST (test_max_session)
{
  g_autoptr (GSocketConnection) modem = NULL;

  lers_gprs_server_set_idle_timeout_ms (fx.server, 0);
  lers_gprs_server_set_max_session_ms (fx.server, 10000);
  modem = served_modem ("356938035643809");
  /* traffic does not make a session longer */
  lers_clock_advance (fx.clock, 9000);
  talk (g_ptr_array_index (fx.transports, 0), modem, "Q", "A");
  lers_clock_advance (fx.clock, 999);
  assert_modem_still_connected (modem);
  lers_clock_advance (fx.clock, 1);
  settle ();
  ck_assert_uint_eq (fx.ended->len, 1);
  ck_assert_str_eq (g_ptr_array_index (fx.ended, 0), "356938035643809 max-session");
  assert_modem_dropped (modem);
}
END_TEST

START_TEST (test_handshake_timeout)
{
  g_autoptr (GSocketConnection) modem = NULL;
  g_autofree gchar *peer = NULL;
  g_autoptr (GSocketAddress) local = NULL;

  lers_gprs_server_set_handshake_timeout_ms (fx.server, 5000);
  lers_gprs_server_add_modem (fx.server, "356938035643809");
  modem = modem_connect ();
  local = g_socket_connection_get_local_address (modem, NULL);
  peer = g_strdup_printf ("127.0.0.1:%u",
                          g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (local)));
  /* the start of an identification that never ends */
  modem_send (modem, "IMEI:3569");
  settle ();
  lers_clock_advance (fx.clock, 4999);
  assert_modem_still_connected (modem);
  lers_clock_advance (fx.clock, 1);
  assert_modem_dropped (modem);
  settle ();
  ck_assert_uint_eq (fx.identities->len, 0);
  {
    g_autofree gchar *expected = g_strdup_printf (
        "GPRS: dropped the connection from %s: no identification within 5000 ms; it sent "
        "“IMEI:3569”\n",
        peer);
    ck_assert_str_eq (fx.log->str, expected);
  }
}
END_TEST

START_TEST (test_reconnect_replaces)
{
  g_autoptr (GSocketConnection) first = NULL;
  g_autoptr (GSocketConnection) second = NULL;

  first = served_modem ("356938035643809");
  second = served_modem ("356938035643809");
  ck_assert_uint_eq (fx.identities->len, 2);
  ck_assert_uint_eq (fx.ended->len, 1);
  ck_assert_str_eq (g_ptr_array_index (fx.ended, 0), "356938035643809 replaced");
  assert_modem_dropped (first);
  ck_assert_uint_eq (lers_gprs_server_get_n_sessions (fx.server), 1);
  talk (g_ptr_array_index (fx.transports, 1), second, "Q", "A");
  ck_assert (strstr (fx.log->str, "GPRS modem 356938035643809 called again: the new connection "
                                  "replaces the old one")
             != NULL);
  /* stopping the server ends the rest */
  lers_gprs_server_stop (fx.server);
  ck_assert_uint_eq (fx.ended->len, 2);
  ck_assert_str_eq (g_ptr_array_index (fx.ended, 1), "356938035643809 stopped");
  assert_modem_dropped (second);
}
END_TEST

START_TEST (test_listen_errors)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (GError) error2 = NULL;
  g_autoptr (LersGprsServer) other = lers_gprs_server_new ();

  ck_assert (!lers_gprs_server_listen (other, "not-an-address", 0, &error));
  lers_check_assert_error (error, LERS_ERROR, LERS_ERROR_INVALID_ARGUMENT);
  ck_assert_uint_eq (lers_gprs_server_get_port (other), 0);
  /* the port the fixture's server holds */
  ck_assert (!lers_gprs_server_listen (other, "127.0.0.1", lers_gprs_server_get_port (fx.server),
                                       &error2));
  ck_assert (error2 != NULL && error2->domain == LERS_ERROR);
}
END_TEST

static Suite *
gprs_suite (void)
{
  Suite *s = suite_create ("gprs");
  TCase *tc = tcase_create ("handshake");

  tcase_add_test (tc, test_rules_parse);
  tcase_add_test (tc, test_rules_match);
  tcase_add_test (tc, test_rules_give_up);
  suite_add_tcase (s, tc);
  tc = tcase_create ("server");
  tcase_add_checked_fixture (tc, server_setup, server_teardown);
  tcase_add_test (tc, test_three_modems);
  tcase_add_test (tc, test_unknown_modem_dropped);
  tcase_add_test (tc, test_dropped_transport_ends_session);
  tcase_add_test (tc, test_regex_rule);
  tcase_add_test (tc, test_request_rule);
  tcase_add_test (tc, test_idle_timeout);
  tcase_add_test (tc, test_max_session);
  tcase_add_test (tc, test_handshake_timeout);
  tcase_add_test (tc, test_reconnect_replaces);
  tcase_add_test (tc, test_listen_errors);
  suite_add_tcase (s, tc);
  return s;
}

int
main (int argc, char **argv)
{
  lers_check_init (&argc, &argv);
  return lers_check_run_suite (gprs_suite ());
}
