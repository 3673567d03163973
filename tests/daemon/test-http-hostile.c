/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* lersd's HTTP front as a stranger on the Internet meets it: requests sent as
 * raw bytes on sockets (what libsoup's client will not send), the server
 * in-process on 127.0.0.1 port 0 against a throwaway PostgreSQL, with its
 * timeouts shortened through LersdConfig. Each test also checks that the
 * server still answers a normal request afterwards. */
#include "config.h"

#include <check.h>
#include <errno.h>
#include <glib-unix.h>
#include <glib/gi18n.h>
#include <glib/gstdio.h>
#include <json-glib/json-glib.h>
#include <lers.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "lers-check.h"
#include "lersd-server.h"

static LersdServer *server;
static guint port;

/* head-timeout and body-timeout 1 s, idle-timeout 2 s: short enough for a
 * test, long enough for a loaded machine to send a request in time.
 * Messages in English, the msgids (test_language checks the Russian). */
#define TEST_CONFIG                                                                                \
  "[lersd]\nhead-timeout=1\nbody-timeout=1\nidle-timeout=2\nmax-connections=20\n"                  \
  "server-names=api.example.org;\nlanguage=en\n"

static void
start_server (const gchar *config_text)
{
  g_autoptr (LersdConfig) config = lersd_config_new ();
  g_autoptr (GError) error = NULL;

  ck_assert_msg (lersd_config_load_data (config, config_text, &error), "%s",
                 error ? error->message : "");
  server = lersd_server_new (lers_check_get_store ());
  ck_assert_msg (lersd_server_configure (server, config, &error), "%s",
                 error ? error->message : "");
  ck_assert_msg (lersd_server_listen (server, "127.0.0.1:0", &error), "%s",
                 error ? error->message : "");
  port = lersd_server_get_port (server);
}

static void
stop_server (void)
{
  if (server != NULL)
    lersd_server_disconnect (server);
  g_clear_object (&server);
  while (g_main_context_iteration (NULL, FALSE))
    ;
}

static void
setup (void)
{
  lers_check_store_setup ();
  start_server (TEST_CONFIG);
}

static void
teardown (void)
{
  stop_server ();
  lers_check_store_teardown ();
}

/* ---- raw clients -------------------------------------------------------- */

/* Runs the server's main context for a moment. */
static void
spin (void)
{
  if (!g_main_context_iteration (NULL, FALSE))
    g_usleep (500);
}

static GSocket *
raw_connect_to (guint to_port)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (GInetAddress) lo = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4);
  g_autoptr (GSocketAddress) addr = g_inet_socket_address_new (lo, (guint16) to_port);
  GSocket *sock
      = g_socket_new (G_SOCKET_FAMILY_IPV4, G_SOCKET_TYPE_STREAM, G_SOCKET_PROTOCOL_TCP, &error);

  ck_assert_msg (sock != NULL, "%s", error ? error->message : "");
  /* the kernel completes the handshake without the server's accept() */
  ck_assert_msg (g_socket_connect (sock, addr, NULL, &error), "%s", error ? error->message : "");
  g_socket_set_blocking (sock, FALSE);
  return sock;
}

static GSocket *
raw_connect (void)
{
  return raw_connect_to (port);
}

/* Sends all of @data unless the server hangs up first; %FALSE then. */
static gboolean
raw_send (GSocket *sock, const gchar *data, gsize len)
{
  gsize done = 0;
  gint64 end = g_get_monotonic_time () + 10 * G_USEC_PER_SEC;

  while (done < len)
    {
      g_autoptr (GError) error = NULL;
      gssize n = g_socket_send (sock, data + done, len - done, NULL, &error);

      if (n > 0)
        done += (gsize) n;
      else if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_WOULD_BLOCK))
        spin ();
      else
        return FALSE;
      ck_assert_msg (g_get_monotonic_time () < end, "sending took over 10 s");
    }
  return TRUE;
}

/* Reads until the server closes the connection or @usec pass; *closed says
 * which. Returns what was read, NUL-terminated. */
static gchar *
raw_read (GSocket *sock, gint64 usec, gboolean *closed)
{
  g_autoptr (GString) got = g_string_new (NULL);
  gint64 end = g_get_monotonic_time () + usec;

  *closed = FALSE;
  while (g_get_monotonic_time () < end)
    {
      gchar buf[8192];
      g_autoptr (GError) error = NULL;
      gssize n = g_socket_receive (sock, buf, sizeof buf, NULL, &error);

      if (n > 0)
        g_string_append_len (got, buf, n);
      else if (n == 0 || (n < 0 && !g_error_matches (error, G_IO_ERROR, G_IO_ERROR_WOULD_BLOCK)))
        {
          *closed = TRUE;
          break;
        }
      else
        spin ();
    }
  return g_string_free (g_steal_pointer (&got), FALSE);
}

typedef struct
{
  guint status;
  gchar *head;
  gchar *body;
  gboolean closed; /* the server closed the connection after answering */
} Answer;

static void
answer_free (Answer *a)
{
  g_free (a->head);
  g_free (a->body);
  g_free (a);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Answer, answer_free)

static Answer *
parse_answer (const gchar *text, gboolean closed)
{
  Answer *a = g_new0 (Answer, 1);
  const gchar *end = strstr (text, "\r\n\r\n");

  a->closed = closed;
  if (!g_str_has_prefix (text, "HTTP/1.1 ") || end == NULL)
    {
      a->head = g_strdup (text);
      a->body = g_strdup ("");
      return a;
    }
  a->status = (guint) g_ascii_strtoull (text + 9, NULL, 10);
  a->head = g_strndup (text, (gsize) (end - text));
  a->body = g_strdup (end + 4);
  return a;
}

/* One request on a fresh connection; the answer and whether the server
 * closed the connection within 5 s. */
static Answer *
raw_exchange (const gchar *request, gsize len)
{
  g_autoptr (GSocket) sock = raw_connect ();
  g_autofree gchar *text = NULL;
  gboolean closed;

  raw_send (sock, request, len);
  text = raw_read (sock, 5 * G_USEC_PER_SEC, &closed);
  g_socket_close (sock, NULL);
  return parse_answer (text, closed);
}

static Answer *
raw_request (const gchar *request)
{
  return raw_exchange (request, strlen (request));
}

/* The value of header @name in @a's head, or NULL. */
static gchar *
answer_header (Answer *a, const gchar *name)
{
  g_auto (GStrv) lines = g_strsplit (a->head, "\r\n", -1);
  gsize n = strlen (name);

  for (guint i = 1; lines[i] != NULL; i++)
    if (g_ascii_strncasecmp (lines[i], name, n) == 0 && lines[i][n] == ':')
      return g_strstrip (g_strdup (lines[i] + n + 1));
  return NULL;
}

/* Asserts @a is status @status with the JSON error @code; returns the
 * message. */
static gchar *
assert_error (Answer *a, guint status, const gchar *code)
{
  g_autoptr (JsonParser) parser = json_parser_new ();
  g_autoptr (GError) error = NULL;
  g_autofree gchar *type = answer_header (a, "Content-Type");
  JsonObject *err;

  ck_assert_msg (a->status == status, "expected %u, got %u: %.300s", status, a->status, a->head);
  ck_assert_msg (type != NULL && g_str_has_prefix (type, "application/json"), "Content-Type %s",
                 type);
  ck_assert_msg (json_parser_load_from_data (parser, a->body, -1, &error), "%s: %.300s",
                 error ? error->message : "", a->body);
  err = json_object_get_object_member (json_node_get_object (json_parser_get_root (parser)),
                                       "error");
  ck_assert_msg (err != NULL, "no error member: %s", a->body);
  ck_assert_str_eq (json_object_get_string_member (err, "code"), code);
  return g_strdup (json_object_get_string_member (err, "message"));
}

/* The server still answers: GET / (public) is 200 with the web page. */
static void
assert_still_serves (void)
{
  g_autoptr (Answer) a = raw_request ("GET / HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n");

  ck_assert_msg (a->status == 200, "after: %u %.300s", a->status, a->head);
  ck_assert_msg (strstr (a->body, "<html") != NULL || strstr (a->body, "<!") != NULL, "%.300s",
                 a->body);
}

static guint
count_fds (void)
{
  g_autoptr (GDir) dir = g_dir_open ("/proc/self/fd", 0, NULL);
  guint n = 0;

  while (g_dir_read_name (dir) != NULL)
    n++;
  return n;
}

/* Resident memory of this process (server and client), in kB */
static gint64
rss_kb (void)
{
  g_autofree gchar *status = NULL;
  const gchar *line;

  ck_assert (g_file_get_contents ("/proc/self/status", &status, NULL, NULL));
  line = strstr (status, "VmRSS:");
  ck_assert (line != NULL);
  return g_ascii_strtoll (line + 6, NULL, 10);
}

/* Waits (running the server) until no connection is open, at most 5 s. */
static void
wait_no_connections (void)
{
  gint64 end = g_get_monotonic_time () + 5 * G_USEC_PER_SEC;

  while (lersd_server_get_n_connections (server) > 0 && g_get_monotonic_time () < end)
    spin ();
  ck_assert_uint_eq (lersd_server_get_n_connections (server), 0);
}

/* ---- the defects of issue 14 item 5 --------------------------------------- */

/* `OPTIONS *` left each socket in CLOSE_WAIT until lersd ran out of
 * descriptors. After 1000 of them, as many descriptors are open as before. */
START_TEST (test_options_star)
{
  guint before;

  /* one normal request first: whatever libsoup or GLib open once */
  assert_still_serves ();
  wait_no_connections ();
  before = count_fds ();
  for (guint i = 0; i < 1000; i++)
    {
      g_autoptr (Answer) a = raw_request ("OPTIONS * HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n");
      g_autofree gchar *allow = answer_header (a, "Allow");

      ck_assert_msg (a->status == 204, "OPTIONS *: %u %.300s", a->status, a->head);
      ck_assert_str_eq (allow, "GET, HEAD, POST, PUT, PATCH, DELETE");
      ck_assert_msg (a->closed, "the server kept the connection");
    }
  wait_no_connections ();
  ck_assert_uint_eq (count_fds (), before);
  assert_still_serves ();
}
END_TEST

/* Thousands of ranges made a 24 KB request a 200 MB answer: Range is
 * ignored, the whole page comes once, and no Accept-Ranges is offered. */
START_TEST (test_range_ignored)
{
  g_autoptr (GString) req = g_string_new ("GET / HTTP/1.1\r\nHost: 127.0.0.1\r\nRange: bytes=0-");
  g_autoptr (Answer) plain = raw_request ("GET / HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n");
  g_autoptr (Answer) a = NULL;
  g_autofree gchar *accept = NULL;
  g_autofree gchar *content_range = NULL;

  ck_assert_uint_eq (plain->status, 200);
  for (guint i = 0; i < 3000; i++)
    g_string_append (req, ",0-");
  g_string_append (req, "\r\n\r\n");
  ck_assert_uint_gt (req->len, 9000);
  a = raw_exchange (req->str, req->len);
  ck_assert_msg (a->status == 200, "%u %.300s", a->status, a->head);
  /* the same body as without Range: the page once */
  ck_assert_uint_eq (strlen (a->body), strlen (plain->body));
  ck_assert_str_eq (a->body, plain->body);
  accept = answer_header (a, "Accept-Ranges");
  content_range = answer_header (a, "Content-Range");
  ck_assert_ptr_null (accept);
  ck_assert_ptr_null (content_range);
  assert_still_serves ();
}
END_TEST

/* A chunked body is refused with 411 before it is read. */
START_TEST (test_chunked_refused)
{
  g_autoptr (Answer) a
      = raw_request ("POST /api/v1/points HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                     "Transfer-Encoding: chunked\r\nContent-Type: application/json\r\n\r\n"
                     "2\r\n{}\r\n0\r\n\r\n");
  g_autofree gchar *message = assert_error (a, 411, "invalid-argument");

  ck_assert_str_eq (message, "A request body must have a Content-Length");
  assert_still_serves ();
}
END_TEST

/* A 200 MB chunked POST: 411 at once, and memory does not grow with what
 * the client keeps sending (bound: 20 MB). */
START_TEST (test_chunked_200mb)
{
  static gchar chunk[65536 + 16];
  g_autoptr (GSocket) sock = raw_connect ();
  const gchar *head = "POST /api/v1/points HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                      "Transfer-Encoding: chunked\r\n\r\n";
  gint64 rss_before = rss_kb ();
  gint64 sent = 0;
  g_autofree gchar *text = NULL;
  g_autoptr (Answer) a = NULL;
  g_autofree gchar *message = NULL;
  gboolean closed;
  gint hdr = g_snprintf (chunk, sizeof chunk, "10000\r\n");

  memset (chunk + hdr, 'x', 65536);
  memcpy (chunk + hdr + 65536, "\r\n", 2);
  ck_assert (raw_send (sock, head, strlen (head)));
  while (sent < 200 * 1024 * 1024)
    {
      if (!raw_send (sock, chunk, (gsize) hdr + 65536 + 2))
        break; /* the server hung up: fine */
      sent += 65536;
    }
  text = raw_read (sock, 5 * G_USEC_PER_SEC, &closed);
  a = parse_answer (text, closed);
  message = assert_error (a, 411, "invalid-argument");
  ck_assert_msg (rss_kb () - rss_before < 20 * 1024, "RSS grew by %" G_GINT64_FORMAT " kB",
                 rss_kb () - rss_before);
  g_socket_close (sock, NULL);
  assert_still_serves ();
}
END_TEST

/* Content-Length: -1 made libsoup wait forever: 400 now. */
START_TEST (test_content_length_negative)
{
  g_autoptr (Answer) a = raw_request ("POST /api/v1/points HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                                      "Content-Length: -1\r\n\r\n{}");
  g_autofree gchar *message = assert_error (a, 400, "invalid-argument");

  ck_assert_str_eq (message, "Content-Length must be a number of bytes");
  ck_assert (a->closed);
  assert_still_serves ();
}
END_TEST

/* A head that never ends is cut off after head-timeout (1 s here). */
START_TEST (test_slow_head)
{
  g_autoptr (GSocket) sock = raw_connect ();
  g_autofree gchar *text = NULL;
  gint64 start;
  gboolean closed;
  const gchar *part = "GET /api/v1/points HTTP/1.1\r\nHost: 127";

  ck_assert (raw_send (sock, part, strlen (part)));
  start = g_get_monotonic_time ();
  text = raw_read (sock, 5 * G_USEC_PER_SEC, &closed);
  ck_assert_msg (closed, "still open after 5 s");
  /* 1 s of head-timeout; the closing may take up to 1 s of lingering */
  ck_assert_msg (g_get_monotonic_time () - start < 3 * G_USEC_PER_SEC,
                 "closed after %" G_GINT64_FORMAT " us", g_get_monotonic_time () - start);
  ck_assert_msg (g_get_monotonic_time () - start >= 900 * 1000, "closed too early");
  wait_no_connections ();
  assert_still_serves ();
}
END_TEST

/* A connection that sends nothing is closed after idle-timeout (2 s). */
START_TEST (test_idle)
{
  g_autoptr (GSocket) sock = raw_connect ();
  g_autofree gchar *text = NULL;
  gint64 start = g_get_monotonic_time ();
  gboolean closed;

  text = raw_read (sock, 6 * G_USEC_PER_SEC, &closed);
  ck_assert_msg (closed, "still open after 6 s");
  ck_assert_msg (g_get_monotonic_time () - start >= 1900 * 1000, "closed too early");
  ck_assert_msg (g_get_monotonic_time () - start < 4 * G_USEC_PER_SEC, "closed too late");
  ck_assert_str_eq (text, "");
  wait_no_connections ();
  assert_still_serves ();
}
END_TEST

/* A body that stops coming is cut off after body-timeout (1 s). */
START_TEST (test_slow_body)
{
  g_autoptr (GSocket) sock = raw_connect ();
  g_autofree gchar *text = NULL;
  const gchar *part = "POST /api/v1/points HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                      "Content-Type: application/json\r\nContent-Length: 100\r\n\r\n{\"na";
  gint64 start;
  gboolean closed;

  ck_assert (raw_send (sock, part, strlen (part)));
  start = g_get_monotonic_time ();
  text = raw_read (sock, 5 * G_USEC_PER_SEC, &closed);
  ck_assert_msg (closed, "still open after 5 s");
  ck_assert_msg (g_get_monotonic_time () - start < 3 * G_USEC_PER_SEC, "closed too late");
  wait_no_connections ();
  assert_still_serves ();
}
END_TEST

/* A head over 64 KB gets 431 (libsoup reset the connection). */
START_TEST (test_head_too_large)
{
  g_autoptr (GString) req = g_string_new ("GET /api/v1/points HTTP/1.1\r\nHost: 127.0.0.1\r\n");
  g_autoptr (Answer) a = NULL;
  g_autofree gchar *message = NULL;

  for (guint i = 0; i < 80; i++)
    {
      g_string_append_printf (req, "X-Filler-%u: ", i);
      for (guint j = 0; j < 1000; j++)
        g_string_append_c (req, 'a');
      g_string_append (req, "\r\n");
    }
  g_string_append (req, "\r\n");
  ck_assert_uint_gt (req->len, 64 * 1024);
  a = raw_exchange (req->str, req->len);
  message = assert_error (a, 431, "invalid-argument");
  ck_assert_str_eq (message, "The request headers are too large");
  assert_still_serves ();
}
END_TEST

/* DNS rebinding: a Host that is not ours gets 421; ours are served. */
START_TEST (test_host)
{
  const gchar *ok[] = { "127.0.0.1", "127.0.0.1:8080",  "localhost",          "LocalHost:1",
                        "[::1]:80",  "api.example.org", "API.example.org:443" };

  {
    g_autoptr (Answer) a
        = raw_request ("GET /api/v1/points HTTP/1.1\r\nHost: evil.example.com\r\n\r\n");
    g_autofree gchar *message = assert_error (a, 421, "misdirected");

    ck_assert_str_eq (message, "This server does not answer to that host name");
  }
  {
    g_autoptr (Answer) a = raw_request ("GET / HTTP/1.1\r\nHost: 10.1.2.3\r\n\r\n");
    g_autofree gchar *message = assert_error (a, 421, "misdirected");
  }
  for (guint i = 0; i < G_N_ELEMENTS (ok); i++)
    {
      g_autofree gchar *req = g_strdup_printf ("GET / HTTP/1.1\r\nHost: %s\r\n\r\n", ok[i]);
      g_autoptr (Answer) a = raw_request (req);

      ck_assert_msg (a->status == 200, "Host %s: %u %s", ok[i], a->status, a->body);
    }
}
END_TEST

/* A bad escape in the query or path got an empty 400: JSON now. */
START_TEST (test_bad_escape)
{
  const gchar *targets[] = { "/api/v1/points?limit=%zz", "/api/v1/poi%2nts", "/api/v1/points?a=%" };

  for (guint i = 0; i < G_N_ELEMENTS (targets); i++)
    {
      g_autofree gchar *req
          = g_strdup_printf ("GET %s HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n", targets[i]);
      g_autoptr (Answer) a = raw_request (req);
      g_autofree gchar *message = assert_error (a, 400, "invalid-argument");

      ck_assert_str_eq (message, "The request path or query has an invalid percent-escape");
    }
  /* a bad escape past the first 2,112 bytes of the request line: the line
   * is too long for any route, 414 in JSON (it was libsoup's empty 400) */
  {
    g_autofree gchar *filler = g_strnfill (2100, 'a');
    g_autofree gchar *req = g_strdup_printf (
        "GET /api/v1/points?x=%s%%zz HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n", filler);
    g_autoptr (Answer) a = raw_request (req);
    g_autofree gchar *message = assert_error (a, 414, "invalid-argument");

    ck_assert_str_eq (message, "The request path and query are too long");
  }
  assert_still_serves ();
}
END_TEST

/* Beyond max-connections (20 here) a new connection gets 503 and is closed. */
START_TEST (test_max_connections)
{
  GSocket *held[20];
  g_autoptr (GSocket) extra = NULL;
  g_autofree gchar *text = NULL;
  g_autoptr (Answer) a = NULL;
  g_autofree gchar *message = NULL;
  g_autofree gchar *retry = NULL;
  gboolean closed;

  for (guint i = 0; i < G_N_ELEMENTS (held); i++)
    {
      held[i] = raw_connect ();
      while (lersd_server_get_n_connections (server) < i + 1)
        spin ();
    }
  extra = raw_connect ();
  text = raw_read (extra, 5 * G_USEC_PER_SEC, &closed);
  a = parse_answer (text, closed);
  message = assert_error (a, 503, "busy");
  retry = answer_header (a, "Retry-After");
  ck_assert_str_eq (retry, "5");
  ck_assert (a->closed);
  for (guint i = 0; i < G_N_ELEMENTS (held); i++)
    g_object_unref (held[i]);
  wait_no_connections ();
  assert_still_serves ();
}
END_TEST

/* ---- Accept-Language ------------------------------------------------------ */

static gchar *
not_found_message (const gchar *accept_language)
{
  g_autofree gchar *req = g_strdup_printf (
      "GET /api/v1/no-such-thing HTTP/1.1\r\nHost: 127.0.0.1\r\n%s%s%s\r\n",
      accept_language != NULL ? "Accept-Language: " : "",
      accept_language != NULL ? accept_language : "", accept_language != NULL ? "\r\n" : "");
  g_autoptr (Answer) a = raw_request (req);

  return assert_error (a, 404, "not-found");
}

/* A route that needs a user, with a token nobody issued: the credentials
 * are checked on a worker thread and the 401 is made after the request's
 * handler has returned, still in the request's language. */
static gchar *
unauthorized_message (const gchar *accept_language)
{
  g_autofree gchar *req
      = g_strdup_printf ("GET /api/v1/nodes HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                         "Authorization: Bearer AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA\r\n"
                         "Accept-Language: %s\r\n\r\n",
                         accept_language);
  g_autoptr (Answer) a = raw_request (req);

  return assert_error (a, 401, "unauthorized");
}

/* A login refused on the accounts routes' worker thread. */
static gchar *
login_refused_message (const gchar *accept_language)
{
  const gchar *body = "{\"login\": \"nobody\", \"password\": \"not-a-password\"}";
  g_autofree gchar *req
      = g_strdup_printf ("POST /api/v1/auth/login HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                         "Content-Type: application/json\r\nContent-Length: %zu\r\n"
                         "Accept-Language: %s\r\n\r\n%s",
                         strlen (body), accept_language, body);
  g_autoptr (Answer) a = raw_request (req);

  return assert_error (a, 401, "unauthorized");
}

/* The msgids and their translations in po/ru.po:
 *   msgid "No such resource"
 *   msgstr "Такого ресурса нет"
 *   msgid "The session or API token is unknown or has expired; log in again"
 *   msgstr "Сеанс или API-токен неизвестен либо истёк; войдите снова"
 *   msgid "Wrong login or password, or the session has ended"
 *   msgstr "Неверный логин или пароль, или сеанс завершён" */
START_TEST (test_language)
{
  g_autofree gchar *en = NULL;
  g_autofree gchar *ru = NULL;
  g_autofree gchar *none = NULL;
  g_autofree gchar *en_q = NULL;
  g_autofree gchar *ru_q = NULL;
  g_autofree gchar *other = NULL;

  /* the server's language left as it is: Russian */
  stop_server ();
  start_server ("[lersd]\n");
  en = not_found_message ("en");
  ru = not_found_message ("ru");
  none = not_found_message (NULL);
  en_q = not_found_message ("ru;q=0.3, en-GB;q=0.8, de");
  ru_q = not_found_message ("en;q=0.5, ru-RU");
  other = not_found_message ("de, fr;q=0.9");

  ck_assert_str_eq (en, "No such resource");
  ck_assert_str_eq (ru, "Такого ресурса нет");
  ck_assert_str_eq (none, "Такого ресурса нет");
  ck_assert_str_eq (en_q, "No such resource");
  ck_assert_str_eq (ru_q, "Такого ресурса нет");
  ck_assert_str_eq (other, "Такого ресурса нет");
  {
    g_autofree gchar *late_en = unauthorized_message ("en");
    g_autofree gchar *late_ru = unauthorized_message ("ru");
    ck_assert_str_eq (late_en, "The session or API token is unknown or has expired; log in again");
    ck_assert_str_eq (late_ru, "Сеанс или API-токен неизвестен либо истёк; войдите снова");
  }
  {
    g_autofree gchar *refused_en = login_refused_message ("en");
    g_autofree gchar *refused_ru = login_refused_message ("ru");
    ck_assert_str_eq (refused_en, "Wrong login or password, or the session has ended");
    ck_assert_str_eq (refused_ru, "Неверный логин или пароль, или сеанс завершён");
  }

  /* language=en: the server's own when the request names neither */
  stop_server ();
  start_server ("[lersd]\nlanguage=en\n");
  {
    g_autofree gchar *d = not_found_message (NULL);
    g_autofree gchar *r = not_found_message ("ru");
    ck_assert_str_eq (d, "No such resource");
    ck_assert_str_eq (r, "Такого ресурса нет");
  }
}
END_TEST

/* ---- TLS ------------------------------------------------------------------ */

static gchar *tls_dir;

static void
make_certificate (void)
{
  g_autofree gchar *openssl = lers_check_require_program ("openssl");
  g_autofree gchar *out = NULL;
  g_autofree gchar *err = NULL;
  g_autoptr (GError) error = NULL;
  gint status = 0;
  g_autofree gchar *cert = NULL;
  g_autofree gchar *key = NULL;

  tls_dir = g_dir_make_tmp ("lersd-tls-XXXXXX", NULL);
  cert = g_build_filename (tls_dir, "cert.pem", NULL);
  key = g_build_filename (tls_dir, "key.pem", NULL);
  {
    const gchar *argv[] = { openssl,    "req",
                            "-x509",    "-newkey",
                            "rsa:2048", "-nodes",
                            "-days",    "1",
                            "-subj",    "/CN=localhost",
                            "-addext",  "subjectAltName=DNS:localhost,IP:127.0.0.1",
                            "-keyout",  key,
                            "-out",     cert,
                            NULL };
    ck_assert_msg (g_spawn_sync (NULL, (gchar **) argv, NULL, G_SPAWN_DEFAULT, NULL, NULL, &out,
                                 &err, &status, &error),
                   "%s", error ? error->message : "");
    ck_assert_msg (g_spawn_check_wait_status (status, NULL), "openssl: %s", err);
  }
}

/* Runs @argv while the server answers; returns its stdout. */
static gchar *
run_while_serving (const gchar *const *argv, gint *exit_status)
{
  g_autoptr (GError) error = NULL;
  GPid pid;
  gint out_fd;
  g_autoptr (GString) out = g_string_new (NULL);
  gint64 end = g_get_monotonic_time () + 20 * G_USEC_PER_SEC;
  int wstatus = 0;

  ck_assert_msg (g_spawn_async_with_pipes (NULL, (gchar **) argv, NULL,
                                           G_SPAWN_DO_NOT_REAP_CHILD | G_SPAWN_STDERR_TO_DEV_NULL,
                                           NULL, NULL, &pid, NULL, &out_fd, NULL, &error),
                 "%s", error ? error->message : "");
  g_unix_set_fd_nonblocking (out_fd, TRUE, NULL);
  for (;;)
    {
      gchar buf[4096];
      gssize n = read (out_fd, buf, sizeof buf);

      if (n > 0)
        g_string_append_len (out, buf, n);
      if (waitpid (pid, &wstatus, WNOHANG) == pid)
        break;
      ck_assert_msg (g_get_monotonic_time () < end, "%s did not finish", argv[0]);
      spin ();
    }
  {
    gchar buf[4096];
    gssize n;
    while ((n = read (out_fd, buf, sizeof buf)) > 0)
      g_string_append_len (out, buf, n);
  }
  close (out_fd);
  g_spawn_close_pid (pid);
  *exit_status = WIFEXITED (wstatus) ? WEXITSTATUS (wstatus) : -1;
  return g_string_free (g_steal_pointer (&out), FALSE);
}

/* HTTPS with a self-signed certificate: curl --cacert gets 200; plain HTTP
 * to the TLS port is closed without an answer, and the port still serves. */
START_TEST (test_tls)
{
  g_autofree gchar *curl = lers_check_require_program ("curl");
  g_autofree gchar *config_text = NULL;
  g_autofree gchar *cert = NULL;
  g_autofree gchar *url = NULL;
  g_autofree gchar *out = NULL;
  g_autofree gchar *server_url = NULL;
  gint status = -1;

  make_certificate ();
  cert = g_build_filename (tls_dir, "cert.pem", NULL);
  config_text = g_strdup_printf (
      "[lersd]\nhead-timeout=2\ntls-certificate=%s\ntls-key=%s/key.pem\n", cert, tls_dir);
  stop_server ();
  start_server (config_text);
  server_url = lersd_server_get_url (server);
  ck_assert_msg (g_str_has_prefix (server_url, "https://"), "%s", server_url);

  url = g_strdup_printf ("https://localhost:%u/", port);
  {
    const gchar *argv[]
        = { curl, "-sS", "--cacert", cert, "-o", "/dev/stdout", "-w", "\n%{http_code}", url, NULL };
    out = run_while_serving (argv, &status);
    ck_assert_msg (status == 0, "curl failed (%d): %s", status, out);
    ck_assert_msg (g_str_has_suffix (out, "\n200"), "%s", out);
  }
  {
    /* without the CA, curl refuses the certificate (exit 60) */
    const gchar *argv[] = { curl, "-sS", "-o", "/dev/null", url, NULL };
    g_autofree gchar *o = run_while_serving (argv, &status);
    ck_assert_int_eq (status, 60);
  }
  {
    /* plain HTTP: the handshake fails, the connection is closed, no hang */
    g_autoptr (Answer) a = raw_request ("GET /api/v1/points HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n");
    ck_assert_msg (a->closed, "plain HTTP to the TLS port: still open");
    ck_assert_uint_eq (a->status, 0);
  }
  wait_no_connections ();
  {
    const gchar *argv[]
        = { curl, "-sS", "--cacert", cert, "-o", "/dev/null", "-w", "%{http_code}", url, NULL };
    g_autofree gchar *o = run_while_serving (argv, &status);
    ck_assert_str_eq (o, "200");
  }
  lers_check_remove_tree (tls_dir);
  g_clear_pointer (&tls_dir, g_free);
}
END_TEST

/* Plain HTTP only on loopback unless allow-plain-http. */
START_TEST (test_plain_http_policy)
{
  g_autoptr (LersStore) store = lers_store_new ("host=/nonexistent dbname=none");
  g_autoptr (LersdServer) s = lersd_server_new (store);
  g_autoptr (LersdServer) t = lersd_server_new (store);
  g_autoptr (LersdConfig) allow = lersd_config_new ();
  g_autoptr (GError) error = NULL;

  ck_assert (!lersd_server_listen (s, "*:0", &error));
  ck_assert (g_error_matches (error, LERS_ERROR, LERS_ERROR_PERMISSION_DENIED));
  ck_assert_msg (strstr (error->message, "tls-certificate") != NULL
                     && strstr (error->message, "allow-plain-http=true") != NULL,
                 "%s", error->message);
  g_clear_error (&error);
  ck_assert (lersd_server_listen (s, "localhost:0", &error));
  ck_assert (lersd_server_listen (s, "[::1]:0", &error) || error != NULL);
  g_clear_error (&error);

  ck_assert (lersd_config_load_data (allow, "[lersd]\nallow-plain-http=true\n", &error));
  ck_assert (lersd_server_configure (t, allow, &error));
  ck_assert_msg (lersd_server_listen (t, "*:0", &error), "%s", error ? error->message : "");
  lersd_server_disconnect (s);
  lersd_server_disconnect (t);
}
END_TEST

/* ---- the config file ------------------------------------------------------ */

START_TEST (test_config)
{
  g_autoptr (LersdConfig) c = lersd_config_new ();
  g_autoptr (GError) error = NULL;
  g_autofree gchar *dir = g_dir_make_tmp ("lersd-conf-XXXXXX", NULL);
  g_autofree gchar *path = g_build_filename (dir, "lersd.conf", NULL);
  g_autofree gchar *pw = g_build_filename (dir, "pw", NULL);
  g_autofree gchar *uri = NULL;

  /* the command line (already set) beats the file */
  c->listen = g_strdup ("127.0.0.1:9000");
  c->head_timeout = 5;
  ck_assert (lersd_config_load_data (c,
                                     "[lersd]\nlisten=0.0.0.0:80\nhead-timeout=7\nbody-timeout=9\n"
                                     "server-names=a.example;b.example\nmax-body=1000\n",
                                     &error));
  ck_assert_str_eq (c->listen, "127.0.0.1:9000");
  ck_assert_int_eq (c->head_timeout, 5);
  ck_assert_int_eq (c->body_timeout, 9);
  ck_assert_int_eq (c->max_body, 1000);
  ck_assert_str_eq (c->server_names[1], "b.example");
  ck_assert_int_eq (c->idle_timeout, LERSD_CONFIG_UNSET);

  ck_assert (!lersd_config_load_data (c, "[lersd]\nno-such-key=1\n", &error));
  ck_assert (g_error_matches (error, LERS_ERROR, LERS_ERROR_INVALID_ARGUMENT));
  ck_assert_msg (strstr (error->message, "no-such-key") != NULL, "%s", error->message);
  g_clear_error (&error);
  ck_assert (!lersd_config_load_data (c, "[lersd]\nidle-timeout=0\n", &error));
  g_clear_error (&error);
  ck_assert (!lersd_config_load_data (c, "[lersd]\nlanguage=de\n", &error));
  g_clear_error (&error);

  /* passwords */
  ck_assert (lersd_config_db_has_password ("postgresql://u:secret@host/db"));
  ck_assert (lersd_config_db_has_password ("host=x user=u PassWord=secret"));
  ck_assert (!lersd_config_db_has_password ("postgresql://u@host/db"));
  ck_assert (!lersd_config_db_has_password ("postgresql://host:5432/db"));
  ck_assert (!lersd_config_db_has_password ("host=/tmp dbname=lers"));

  /* a db with a password in a file others can read is refused... */
  ck_assert (g_file_set_contents (path, "[lersd]\ndb=postgresql://u:secret@h/db\n", -1, NULL));
  g_chmod (path, 0644);
  {
    g_autoptr (LersdConfig) d = lersd_config_new ();
    ck_assert (!lersd_config_load_file (d, path, &error));
    ck_assert (g_error_matches (error, LERS_ERROR, LERS_ERROR_PERMISSION_DENIED));
    ck_assert_msg (strstr (error->message, "db-password-file") != NULL, "%s", error->message);
    g_clear_error (&error);
  }
  /* ...and accepted from a file only its owner reads */
  g_chmod (path, 0600);
  {
    g_autoptr (LersdConfig) d = lersd_config_new ();
    ck_assert_msg (lersd_config_load_file (d, path, &error), "%s", error ? error->message : "");
    ck_assert_str_eq (d->db, "postgresql://u:secret@h/db");
  }

  /* db-password-file: owner-only, added to the connection string */
  ck_assert (g_file_set_contents (pw, "s3cr'et\n", -1, NULL));
  g_chmod (pw, 0640);
  {
    g_autoptr (LersdConfig) d = lersd_config_new ();
    d->db = g_strdup ("host=/tmp dbname=lers");
    d->db_password_file = g_strdup (pw);
    ck_assert (lersd_config_get_db_uri (d, &error) == NULL);
    ck_assert (g_error_matches (error, LERS_ERROR, LERS_ERROR_PERMISSION_DENIED));
    g_clear_error (&error);
    g_chmod (pw, 0600);
    uri = lersd_config_get_db_uri (d, &error);
    ck_assert_str_eq (uri, "host=/tmp dbname=lers password='s3cr\\'et'");
    g_free (d->db);
    d->db = g_strdup ("postgresql://u@h/db?sslmode=require");
    g_free (uri);
    uri = lersd_config_get_db_uri (d, &error);
    ck_assert_str_eq (uri, "postgresql://u@h/db?sslmode=require&password=s3cr%27et");
  }
  lers_check_remove_tree (dir);
}
END_TEST

/* lersd refuses a password on its command line and says where to put it. */
START_TEST (test_lersd_db_password)
{
  const gchar *lersd = g_getenv ("LERSD");
  const gchar *argv[] = { lersd, "--db=postgresql://lers:secret@127.0.0.1/lers", NULL };
  g_autofree gchar *out = NULL;
  g_autofree gchar *err = NULL;
  gint status = 0;

  ck_assert_msg (lersd != NULL, "LERSD is not set");
  ck_assert (g_spawn_sync (NULL, (gchar **) argv, NULL, G_SPAWN_DEFAULT, NULL, NULL, &out, &err,
                           &status, NULL));
  ck_assert (!g_spawn_check_wait_status (status, NULL));
  ck_assert_msg (strstr (err, "db-password-file") != NULL && strstr (err, "PGPASSFILE") != NULL,
                 "%s", err);
}
END_TEST

static Suite *
hostile_suite (void)
{
  Suite *s = suite_create ("http-hostile");
  TCase *tc = tcase_create ("hostile");

  tcase_set_timeout (tc, 60);
  tcase_add_unchecked_fixture (tc, lers_check_cluster_setup, lers_check_cluster_teardown);
  tcase_add_checked_fixture (tc, setup, teardown);
  tcase_add_test (tc, test_options_star);
  tcase_add_test (tc, test_range_ignored);
  tcase_add_test (tc, test_chunked_refused);
  tcase_add_test (tc, test_chunked_200mb);
  tcase_add_test (tc, test_content_length_negative);
  tcase_add_test (tc, test_slow_head);
  tcase_add_test (tc, test_idle);
  tcase_add_test (tc, test_slow_body);
  tcase_add_test (tc, test_head_too_large);
  tcase_add_test (tc, test_host);
  tcase_add_test (tc, test_bad_escape);
  tcase_add_test (tc, test_max_connections);
  tcase_add_test (tc, test_language);
  tcase_add_test (tc, test_tls);
  suite_add_tcase (s, tc);

  /* no server, no database */
  tc = tcase_create ("config");
  tcase_add_test (tc, test_plain_http_policy);
  tcase_add_test (tc, test_config);
  tcase_add_test (tc, test_lersd_db_password);
  suite_add_tcase (s, tc);
  return s;
}

int
main (int argc, char **argv)
{
  lers_check_init (&argc, &argv);
  /* the process speaks Russian, as lersd does (C.UTF-8, LANGUAGE=ru);
   * requests ask for English */
  g_setenv ("LANGUAGE", "ru", TRUE);
  lers_i18n_init ();
  textdomain (GETTEXT_PACKAGE); /* lersd's _() is gettext(): the default domain */
  g_thread_pool_set_max_unused_threads (0);
  return lers_check_run_suite (hostile_suite ());
}
