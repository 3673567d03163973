/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The HTTP API of lersd, in-process on 127.0.0.1 port 0, against a throwaway
 * PostgreSQL: answers checked with a real libsoup client, hostile requests
 * sent as raw bytes, and a real database outage. */
#include "config.h"

#include <check.h>
#include <ftw.h>
#include <glib/gstdio.h>
#include <json-glib/json-glib.h>
#include <libsoup/soup.h>
#include <lers.h>
#include <stdlib.h>

#include "lers-check-http.h"
#include "lers-check.h"
#include "lersd-server.h"

#define N_RECORDS 48

typedef struct
{
  LersdServer *server;
  SoupSession *session;
  guint port;
  gint64 node_id;
  gint64 device_id;
  gint64 point_id;
  GDateTime *base; /* the first record; then one an hour */
  gchar *token;    /* an admin's API token: every request carries it */
} Fixture;

static Fixture fx;

typedef struct
{
  guint status;
  gchar *content_type;
  gchar *allow;
  gchar *retry_after;
  gchar *cache_control;
  gchar *csp;
  GBytes *body;
  gchar *what;
} Response;

static void
response_free (Response *r)
{
  g_free (r->content_type);
  g_free (r->allow);
  g_free (r->retry_after);
  g_free (r->cache_control);
  g_free (r->csp);
  g_clear_pointer (&r->body, g_bytes_unref);
  g_free (r->what);
  g_free (r);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Response, response_free)

static const gchar *
response_text (Response *r)
{
  return r->body != NULL ? g_bytes_get_data (r->body, NULL) : "";
}

/* ---- async plumbing: the server runs in this thread's main context ------ */

static void
store_result_cb (GObject *source, GAsyncResult *res, gpointer user_data)
{
  GAsyncResult **out = user_data;
  *out = g_object_ref (res);
}

static GAsyncResult *
wait_result (GAsyncResult **slot)
{
  while (*slot == NULL)
    g_main_context_iteration (NULL, TRUE);
  return *slot;
}

/* ---- seeding ------------------------------------------------------------ */

static gdouble
t_in_of (guint i)
{
  return 60.0 + i * 0.1;
}

static void
seed (LersStore *store, Fixture *f)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (LersNode) node = lers_node_new ();
  g_autoptr (LersDevice) device = lers_device_new ();
  g_autoptr (LersMeasurePoint) point = lers_measure_point_new ();
  g_autoptr (GPtrArray) records = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr (GDateTime) hour = lers_check_this_hour ();

  lers_node_set_title (node, "Котельная №1");
  ck_assert_msg (lers_store_save_node_sync (store, node, NULL, &error), "%s", error->message);
  g_object_set (device, "protocol", "mbus", "model", "SKU-42", "serial-number", "10000042", NULL);
  ck_assert_msg (lers_store_save_device_sync (store, device, NULL, &error), "%s", error->message);
  g_object_set (point, "title", "Отопление", "node-id", lers_node_get_id (node), "device-id",
                lers_device_get_id (device), "resource", LERS_RESOURCE_HEAT, "channel", 1,
                "poll-interval", 3600, NULL);
  ck_assert_msg (lers_store_save_measure_point_sync (store, point, NULL, &error), "%s",
                 error->message);

  /* 48 hourly records, the last one in the current hour. */
  f->base = g_date_time_add_hours (hour, -(N_RECORDS - 1));
  for (guint i = 0; i < N_RECORDS; i++)
    {
      g_autoptr (GDateTime) ts = g_date_time_add_hours (f->base, i);
      LersRecord *record = lers_record_new (ts, LERS_ARCHIVE_KIND_HOUR);

      lers_record_set_value (record, LERS_PARAMETER_T_IN, t_in_of (i), LERS_VALUE_FLAG_NONE);
      lers_record_set_value (record, LERS_PARAMETER_T_OUT, 45.5,
                             i == 5 ? LERS_VALUE_FLAG_BAD | LERS_VALUE_FLAG_CALCULATED
                                    : LERS_VALUE_FLAG_NONE);
      lers_record_set_value (record, LERS_PARAMETER_M_IN, 1.25 * i, LERS_VALUE_FLAG_NONE);
      lers_record_set_value (record, LERS_PARAMETER_Q_IN, 0.0625, LERS_VALUE_FLAG_NONE);
      g_ptr_array_add (records, record);
    }
  ck_assert_msg (lers_store_write_records_sync (store, lers_measure_point_get_id (point), records,
                                                NULL, &error),
                 "%s", error->message);

  f->node_id = lers_node_get_id (node);
  f->device_id = lers_device_get_id (device);
  f->point_id = lers_measure_point_get_id (point);
}

static void
start_server (LersStore *store, Fixture *f)
{
  g_autoptr (GError) error = NULL;

  f->server = lersd_server_new (store);
  ck_assert_msg (lersd_server_listen (f->server, "127.0.0.1:0", &error), "%s", error->message);
  f->port = lersd_server_get_port (f->server);
  ck_assert_uint_ne (f->port, 0);
  /* No proxy from the environment between us and 127.0.0.1. */
  f->session = soup_session_new_with_options ("proxy-resolver", NULL, "timeout", 30, NULL);
  g_free (f->token);
  f->token = lers_check_http_admin_token_on (store);
  lers_check_http_authorize (f->session, f->token);
}

static void
set_true_cb (gpointer user_data)
{
  *(gboolean *) user_data = TRUE;
}

static void
stop_server (Fixture *f)
{
  gboolean done = FALSE;

  /* Close the client side first and give the server a moment to see it, as
   * a daemon would; then stop listening. */
  g_clear_object (&f->session);
  g_timeout_add_once (100, set_true_cb, &done);
  while (!done)
    g_main_context_iteration (NULL, TRUE);
  if (f->server != NULL)
    lersd_server_disconnect (f->server);
  g_clear_object (&f->server);
  while (g_main_context_iteration (NULL, FALSE))
    ;
  g_clear_pointer (&f->base, g_date_time_unref);
  g_clear_pointer (&f->token, g_free);
}

static void
http_setup (void)
{
  lers_check_store_setup ();
  seed (lers_check_get_store (), &fx);
  start_server (lers_check_get_store (), &fx);
}

static void
http_teardown (void)
{
  stop_server (&fx);
  lers_check_store_teardown ();
}

/* ---- clients ------------------------------------------------------------ */

/* A request through libsoup; @target is the path and query, as sent. */
static Response *
http_request (const gchar *method, const gchar *target)
{
  g_autofree gchar *url = g_strdup_printf ("http://127.0.0.1:%u%s", fx.port, target);
  g_autoptr (SoupMessage) msg = soup_message_new (method, url);
  g_autoptr (GAsyncResult) res = NULL;
  g_autoptr (GError) error = NULL;
  Response *r = g_new0 (Response, 1);
  SoupMessageHeaders *headers;

  ck_assert_msg (msg != NULL, "libsoup cannot parse %s", url);
  soup_session_send_and_read_async (fx.session, msg, G_PRIORITY_DEFAULT, NULL, store_result_cb,
                                    &res);
  r->body = soup_session_send_and_read_finish (fx.session, wait_result (&res), &error);
  ck_assert_msg (r->body != NULL, "%s %s: %s", method, target, error ? error->message : "");
  headers = soup_message_get_response_headers (msg);
  r->status = soup_message_get_status (msg);
  r->content_type = g_strdup (soup_message_headers_get_one (headers, "Content-Type"));
  r->allow = g_strdup (soup_message_headers_get_one (headers, "Allow"));
  r->retry_after = g_strdup (soup_message_headers_get_one (headers, "Retry-After"));
  r->cache_control = g_strdup (soup_message_headers_get_one (headers, "Cache-Control"));
  r->csp = g_strdup (soup_message_headers_get_one (headers, "Content-Security-Policy"));
  r->what = g_strdup_printf ("%s %s", method, target);
  return r;
}

static Response *
http_get (const gchar *target)
{
  return http_request ("GET", target);
}

/* Raw bytes on a socket, for requests libsoup's client would refuse to make.
 * Returns NULL if the server closed the connection without answering. */
static Response *
raw_request (const gchar *request_line_target)
{
  g_autoptr (GSocketClient) client = g_socket_client_new ();
  g_autoptr (GSocketConnection) conn = NULL;
  g_autoptr (GOutputStream) sink = g_memory_output_stream_new_resizable ();
  g_autoptr (GAsyncResult) res = NULL;
  g_autoptr (GError) error = NULL;
  g_autofree gchar *request = g_strdup_printf (
      "GET %s HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer %s\r\nConnection: close\r\n\r\n",
      request_line_target, fx.token);
  g_autoptr (GBytes) all = NULL;
  g_auto (GStrv) head_lines = NULL;
  g_autofree gchar *head = NULL;
  const gchar *text, *body;
  Response *r;

  g_socket_client_connect_to_host_async (client, "127.0.0.1", fx.port, NULL, store_result_cb, &res);
  conn = g_socket_client_connect_to_host_finish (client, wait_result (&res), &error);
  ck_assert_msg (conn != NULL, "%s", error ? error->message : "");
  g_clear_object (&res);

  g_output_stream_write_all_async (g_io_stream_get_output_stream (G_IO_STREAM (conn)), request,
                                   strlen (request), G_PRIORITY_DEFAULT, NULL, store_result_cb,
                                   &res);
  if (!g_output_stream_write_all_finish (g_io_stream_get_output_stream (G_IO_STREAM (conn)),
                                         wait_result (&res), NULL, &error))
    return NULL; /* the server hung up before reading it all */
  g_clear_object (&res);

  g_output_stream_splice_async (sink, g_io_stream_get_input_stream (G_IO_STREAM (conn)),
                                G_OUTPUT_STREAM_SPLICE_CLOSE_TARGET, G_PRIORITY_DEFAULT, NULL,
                                store_result_cb, &res);
  if (g_output_stream_splice_finish (sink, wait_result (&res), &error) < 0)
    return NULL;
  g_output_stream_write (sink, "", 1, NULL, NULL); /* NUL-terminate */
  all = g_memory_output_stream_steal_as_bytes (G_MEMORY_OUTPUT_STREAM (sink));
  text = g_bytes_get_data (all, NULL);
  if (text[0] == '\0')
    return NULL;

  body = strstr (text, "\r\n\r\n");
  ck_assert_msg (body != NULL, "no end of headers in: %s", text);
  head = g_strndup (text, body - text);
  body += 4;
  head_lines = g_strsplit (head, "\r\n", -1);
  ck_assert_msg (g_str_has_prefix (head_lines[0], "HTTP/1.1 "), "%s", head_lines[0]);

  r = g_new0 (Response, 1);
  r->status = (guint) g_ascii_strtoull (head_lines[0] + 9, NULL, 10);
  for (guint i = 1; head_lines[i] != NULL; i++)
    if (g_ascii_strncasecmp (head_lines[i], "Content-Type:", 13) == 0)
      r->content_type = g_strstrip (g_strdup (head_lines[i] + 13));
  r->body = g_bytes_new (body, strlen (body) + 1);
  r->what = g_strdup_printf ("raw GET %.200s", request_line_target);
  return r;
}

/* ---- assertions --------------------------------------------------------- */

static JsonNode *
response_json (Response *r)
{
  g_autoptr (JsonParser) parser = json_parser_new ();
  g_autoptr (GError) error = NULL;

  ck_assert_msg (r->content_type != NULL && g_str_has_prefix (r->content_type, "application/json"),
                 "%s: Content-Type %s", r->what, r->content_type);
  ck_assert_msg (json_parser_load_from_data (parser, response_text (r), -1, &error),
                 "%s: invalid JSON (%s): %.300s", r->what, error->message, response_text (r));
  return json_node_copy (json_parser_get_root (parser));
}

static void
assert_status (Response *r, guint status)
{
  ck_assert_msg (r->status == status, "%s: expected %u, got %u: %.300s", r->what, status, r->status,
                 response_text (r));
}

static void
assert_error (Response *r, guint status, const gchar *code)
{
  g_autoptr (JsonNode) root = NULL;
  JsonObject *error;

  assert_status (r, status);
  root = response_json (r);
  ck_assert_msg (JSON_NODE_HOLDS_OBJECT (root), "%s: %.300s", r->what, response_text (r));
  error = json_object_get_object_member (json_node_get_object (root), "error");
  ck_assert_msg (error != NULL, "%s: no error member: %.300s", r->what, response_text (r));
  ck_assert_msg (g_strcmp0 (json_object_get_string_member (error, "code"), code) == 0,
                 "%s: expected code %s: %.300s", r->what, code, response_text (r));
  ck_assert_msg (strlen (json_object_get_string_member (error, "message")) > 0, "%s", r->what);
}

static gchar *
iso (GDateTime *dt)
{
  g_autoptr (GDateTime) utc = g_date_time_to_utc (dt);
  return g_date_time_format_iso8601 (utc);
}

/* GET the archive of the seeded point from base+@from_h to base+@to_h hours. */
static Response *
get_archive_hours (gint from_h, gint to_h)
{
  g_autoptr (GDateTime) from = g_date_time_add_hours (fx.base, from_h);
  g_autoptr (GDateTime) to = g_date_time_add_hours (fx.base, to_h);
  g_autofree gchar *from_s = iso (from);
  g_autofree gchar *to_s = iso (to);
  g_autofree gchar *target
      = g_strdup_printf ("/api/v1/points/%" G_GINT64_FORMAT "/archive?kind=hour&from=%s&to=%s",
                         fx.point_id, from_s, to_s);
  return http_get (target);
}

static JsonArray *
archive_records (JsonNode *root)
{
  return json_object_get_array_member (json_node_get_object (root), "records");
}

static void
assert_record_at (JsonArray *records, guint index, guint hour)
{
  JsonObject *record = json_array_get_object_element (records, index);
  g_autoptr (GDateTime) ts = g_date_time_add_hours (fx.base, hour);
  g_autofree gchar *expected = iso (ts);
  JsonArray *values = json_object_get_array_member (record, "values");
  JsonObject *t_in = json_array_get_object_element (values, 0);

  ck_assert_str_eq (json_object_get_string_member (record, "timestamp"), expected);
  ck_assert_str_eq (json_object_get_string_member (t_in, "parameter"), "T_in");
  ck_assert (json_object_get_double_member (t_in, "value") == t_in_of (hour));
}

/* ---- the web page ------------------------------------------------------- */

/* The web application: index.html names the entry script, which is served
 * with a long cache life (its name carries its content hash); index.html
 * itself must be revalidated, and both carry the page's security policy. */
START_TEST (test_index)
{
  g_autoptr (Response) r = http_get ("/");
  g_autoptr (Response) r2 = http_get ("/index.html");
  g_autoptr (Response) head = http_request ("HEAD", "/");
  g_autoptr (Response) script = NULL;
  g_autoptr (Response) missing = http_get ("/assets/no-such-file.js");
  g_autoptr (Response) hidden = http_get ("/.hidden.js");
  g_autoptr (Response) post = http_request ("POST", "/");
  g_autofree gchar *src = NULL;
  const gchar *text = response_text (r);
  const gchar *at = strstr (text, "src=\"/assets/app-");
  const gchar *end;

  assert_status (r, SOUP_STATUS_OK);
  ck_assert_msg (g_str_has_prefix (r->content_type, "text/html"), "%s", r->content_type);
  ck_assert (g_str_has_prefix (text, "<!doctype html>"));
  ck_assert (strstr (text, "<div id=\"app\"></div>") != NULL);
  ck_assert_str_eq (r->cache_control, "no-cache");
  ck_assert_msg (r->csp != NULL && strstr (r->csp, "script-src 'self'") != NULL, "%s", r->csp);
  ck_assert_msg (at != NULL, "%s", text);
  at += strlen ("src=\"");
  end = strchr (at, '"');
  src = g_strndup (at, (gsize) (end - at));
  script = http_get (src);
  assert_status (script, SOUP_STATUS_OK);
  ck_assert_msg (g_str_has_prefix (script->content_type, "text/javascript"), "%s",
                 script->content_type);
  ck_assert_str_eq (script->cache_control, "public, max-age=31536000, immutable");
  ck_assert_uint_gt (g_bytes_get_size (script->body), 1000);
  assert_status (r2, SOUP_STATUS_OK);
  ck_assert_uint_eq (g_bytes_get_size (r2->body), g_bytes_get_size (r->body));
  assert_status (head, SOUP_STATUS_OK);
  ck_assert_uint_eq (g_bytes_get_size (head->body), 0);
  assert_status (missing, SOUP_STATUS_NOT_FOUND);
  assert_status (hidden, SOUP_STATUS_NOT_FOUND);
  assert_status (post, SOUP_STATUS_METHOD_NOT_ALLOWED);
  ck_assert_str_eq (post->allow, "GET, HEAD");

  /* other methods to a web file, or any path outside /api that no route
   * takes: 405, GET and HEAD allowed (review of issue 15) */
  {
    static const gchar *const targets[]
        = { "/index.html", "/assets/no-such-file.js", "/objects/12", NULL };

    for (guint i = 0; targets[i] != NULL; i++)
      {
        g_autoptr (Response) put = http_request ("PUT", targets[i]);
        g_autoptr (Response) del = http_request ("DELETE", targets[i]);

        ck_assert_msg (put->status == SOUP_STATUS_METHOD_NOT_ALLOWED, "PUT %s: %u", targets[i],
                       put->status);
        ck_assert_str_eq (put->allow, "GET, HEAD");
        ck_assert_msg (del->status == SOUP_STATUS_METHOD_NOT_ALLOWED, "DELETE %s: %u", targets[i],
                       del->status);
      }
  }
  /* a path under /api that names nothing stays 404 */
  {
    g_autoptr (Response) api = http_request ("POST", "/api/no-such");

    assert_status (api, SOUP_STATUS_NOT_FOUND);
  }
  /* without index.html (an empty web root), GET / is 404 not-found */
  {
    g_autofree gchar *dir = g_dir_make_tmp ("lers-web-XXXXXX", NULL);
    g_autofree gchar *ini = NULL;
    g_autoptr (LersdConfig) config = lersd_config_new ();
    g_autoptr (GError) error = NULL;
    g_autoptr (Response) none = NULL;

    ck_assert_ptr_nonnull (dir);
    ini = g_strdup_printf ("[lersd]\nweb-root=%s\n", dir);
    ck_assert_msg (lersd_config_load_data (config, ini, &error), "%s", error->message);
    ck_assert_msg (lersd_server_configure (fx.server, config, &error), "%s", error->message);
    none = http_get ("/");
    assert_status (none, SOUP_STATUS_NOT_FOUND);
    ck_assert_msg (strstr (response_text (none), "\"not-found\"") != NULL, "%s",
                   response_text (none));
    g_rmdir (dir);
  }
}
END_TEST

/* ---- points ------------------------------------------------------------- */

/* The items of a list answer, {"items": [...], "next": null} (one page) */
static JsonArray *
list_items (JsonNode *root)
{
  JsonObject *obj;

  ck_assert (JSON_NODE_HOLDS_OBJECT (root));
  obj = json_node_get_object (root);
  ck_assert (json_object_has_member (obj, "next"));
  ck_assert (json_node_is_null (json_object_get_member (obj, "next")));
  return json_object_get_array_member (obj, "items");
}

static void
assert_seeded_point (JsonObject *p)
{
  ck_assert_int_eq (json_object_get_int_member (p, "id"), fx.point_id);
  ck_assert_int_eq (json_object_get_int_member (p, "node_id"), fx.node_id);
  ck_assert_str_eq (json_object_get_string_member (p, "title"), "Отопление");
  ck_assert_str_eq (json_object_get_string_member (p, "resource"), "heat");
  ck_assert_int_eq (json_object_get_int_member (p, "device_id"), fx.device_id);
  ck_assert_int_eq (json_object_get_int_member (p, "channel"), 1);
  ck_assert_int_eq (json_object_get_int_member (p, "poll_interval"), 3600);
}

START_TEST (test_points_list)
{
  g_autoptr (Response) r = http_get ("/api/v1/points");
  g_autoptr (JsonNode) root = NULL;
  JsonArray *points;

  assert_status (r, SOUP_STATUS_OK);
  root = response_json (r);
  points = list_items (root);
  ck_assert_uint_eq (json_array_get_length (points), 1);
  assert_seeded_point (json_array_get_object_element (points, 0));
}
END_TEST

START_TEST (test_points_by_node)
{
  g_autofree gchar *mine = g_strdup_printf ("/api/v1/points?node_id=%" G_GINT64_FORMAT, fx.node_id);
  g_autofree gchar *other
      = g_strdup_printf ("/api/v1/points?node_id=%" G_GINT64_FORMAT, fx.node_id + 1000);
  g_autoptr (Response) r1 = http_get (mine);
  g_autoptr (Response) r2 = http_get (other);
  g_autoptr (Response) r3 = http_get ("/api/v1/points?node_id=abc");
  g_autoptr (JsonNode) root1 = NULL;
  g_autoptr (JsonNode) root2 = NULL;

  assert_status (r1, SOUP_STATUS_OK);
  root1 = response_json (r1);
  ck_assert_uint_eq (json_array_get_length (list_items (root1)), 1);
  assert_status (r2, SOUP_STATUS_OK);
  root2 = response_json (r2);
  ck_assert_uint_eq (json_array_get_length (list_items (root2)), 0);
  assert_error (r3, SOUP_STATUS_BAD_REQUEST, "invalid-argument");
}
END_TEST

START_TEST (test_point_get)
{
  g_autofree gchar *target = g_strdup_printf ("/api/v1/points/%" G_GINT64_FORMAT, fx.point_id);
  g_autoptr (Response) r = http_get (target);
  g_autoptr (Response) missing = http_get ("/api/v1/points/424242");
  g_autoptr (JsonNode) root = NULL;

  assert_status (r, SOUP_STATUS_OK);
  root = response_json (r);
  ck_assert (JSON_NODE_HOLDS_OBJECT (root));
  assert_seeded_point (json_node_get_object (root));
  assert_error (missing, SOUP_STATUS_NOT_FOUND, "not-found");
}
END_TEST

/* ---- archives ----------------------------------------------------------- */

START_TEST (test_archive_all)
{
  g_autoptr (Response) r = get_archive_hours (0, N_RECORDS);
  g_autoptr (JsonNode) root = NULL;
  g_autoptr (GDateTime) to = g_date_time_add_hours (fx.base, N_RECORDS);
  g_autofree gchar *from_s = iso (fx.base);
  g_autofree gchar *to_s = iso (to);
  JsonObject *obj;
  JsonArray *records, *values;
  JsonObject *v;

  assert_status (r, SOUP_STATUS_OK);
  root = response_json (r);
  obj = json_node_get_object (root);
  ck_assert_int_eq (json_object_get_int_member (obj, "point_id"), fx.point_id);
  ck_assert_str_eq (json_object_get_string_member (obj, "kind"), "hour");
  ck_assert_str_eq (json_object_get_string_member (obj, "from"), from_s);
  ck_assert_str_eq (json_object_get_string_member (obj, "to"), to_s);
  records = archive_records (root);
  ck_assert_uint_eq (json_array_get_length (records), N_RECORDS);
  for (guint i = 0; i < N_RECORDS; i++)
    assert_record_at (records, i, i);

  /* every value: parameter, value, unit, flags */
  values = json_object_get_array_member (json_array_get_object_element (records, 5), "values");
  ck_assert_uint_eq (json_array_get_length (values), 4);
  v = json_array_get_object_element (values, 0);
  ck_assert_str_eq (json_object_get_string_member (v, "unit"), "degC");
  ck_assert_uint_eq (json_array_get_length (json_object_get_array_member (v, "flags")), 0);
  v = json_array_get_object_element (values, 1);
  ck_assert_str_eq (json_object_get_string_member (v, "parameter"), "T_out");
  ck_assert (json_object_get_double_member (v, "value") == 45.5);
  ck_assert_str_eq (json_object_get_string_member (v, "unit"), "degC");
  {
    JsonArray *flags = json_object_get_array_member (v, "flags");
    ck_assert_uint_eq (json_array_get_length (flags), 2);
    ck_assert_str_eq (json_array_get_string_element (flags, 0), "bad");
    ck_assert_str_eq (json_array_get_string_element (flags, 1), "calculated");
  }
  v = json_array_get_object_element (values, 2);
  ck_assert_str_eq (json_object_get_string_member (v, "parameter"), "M_in");
  ck_assert (json_object_get_double_member (v, "value") == 1.25 * 5);
  ck_assert_str_eq (json_object_get_string_member (v, "unit"), "t");
  v = json_array_get_object_element (values, 3);
  ck_assert_str_eq (json_object_get_string_member (v, "parameter"), "Q_in");
  ck_assert_str_eq (json_object_get_string_member (v, "unit"), "Gcal");

  /* numbers in their shortest exact form */
  ck_assert_msg (strstr (response_text (r), "\"value\":60.5,") != NULL, "%s", response_text (r));
}
END_TEST

START_TEST (test_archive_range_edges)
{
  g_autoptr (Response) r = get_archive_hours (10, 20);
  g_autoptr (Response) one = get_archive_hours (47, 48);
  g_autoptr (Response) before = get_archive_hours (-30, 0);
  g_autoptr (JsonNode) root = NULL;
  g_autoptr (JsonNode) root_one = NULL;
  g_autoptr (JsonNode) root_before = NULL;
  JsonArray *records;

  /* [from, to): 10:00 … 19:00, not 20:00 */
  assert_status (r, SOUP_STATUS_OK);
  root = response_json (r);
  records = archive_records (root);
  ck_assert_uint_eq (json_array_get_length (records), 10);
  assert_record_at (records, 0, 10);
  assert_record_at (records, 9, 19);

  assert_status (one, SOUP_STATUS_OK);
  root_one = response_json (one);
  ck_assert_uint_eq (json_array_get_length (archive_records (root_one)), 1);
  assert_record_at (archive_records (root_one), 0, 47);

  /* ends right at the first record: it is excluded */
  assert_status (before, SOUP_STATUS_OK);
  root_before = response_json (before);
  ck_assert_uint_eq (json_array_get_length (archive_records (root_before)), 0);
}
END_TEST

START_TEST (test_archive_time_forms)
{
  /* base+10h written with a +03:00 offset; +, not a space */
  g_autoptr (GDateTime) from = g_date_time_add_hours (fx.base, 10);
  g_autoptr (GTimeZone) msk = g_time_zone_new_offset (3 * 3600);
  g_autoptr (GDateTime) from_msk = g_date_time_to_timezone (from, msk);
  g_autofree gchar *from_msk_s = g_date_time_format_iso8601 (from_msk);
  g_autofree gchar *from_utc_s = iso (from);
  g_autoptr (GDateTime) to = g_date_time_add_hours (fx.base, 12);
  g_autofree gchar *to_s = iso (to);
  g_autofree gchar *escaped = g_uri_escape_string (from_msk_s, NULL, FALSE);
  g_autofree gchar *t1 = g_strdup_printf (
      "/api/v1/points/%" G_GINT64_FORMAT "/archive?from=%s&to=%s", fx.point_id, from_msk_s, to_s);
  g_autofree gchar *t2
      = g_strdup_printf ("/api/v1/points/%" G_GINT64_FORMAT "/archive?from=%s&to=%s&kind=hour",
                         fx.point_id, escaped, to_s);
  g_autofree gchar *t3 = g_strdup_printf ("/api/v1/points/%" G_GINT64_FORMAT
                                          "/archive?from=2020-01-01&to=2020-01-02&kind=day",
                                          fx.point_id);
  g_autoptr (Response) r1 = http_get (t1);
  g_autoptr (Response) r2 = http_get (t2);
  g_autoptr (Response) r3 = http_get (t3);
  g_autoptr (JsonNode) root1 = NULL;
  g_autoptr (JsonNode) root2 = NULL;
  g_autoptr (JsonNode) root3 = NULL;

  ck_assert (strchr (from_msk_s, '+') != NULL);
  assert_status (r1, SOUP_STATUS_OK);
  root1 = response_json (r1);
  ck_assert_str_eq (json_object_get_string_member (json_node_get_object (root1), "from"),
                    from_utc_s);
  ck_assert_uint_eq (json_array_get_length (archive_records (root1)), 2);
  assert_record_at (archive_records (root1), 0, 10);

  assert_status (r2, SOUP_STATUS_OK);
  root2 = response_json (r2);
  ck_assert_uint_eq (json_array_get_length (archive_records (root2)), 2);

  /* a bare date is midnight UTC; no daily records were written */
  assert_status (r3, SOUP_STATUS_OK);
  root3 = response_json (r3);
  ck_assert_str_eq (json_object_get_string_member (json_node_get_object (root3), "from"),
                    "2020-01-01T00:00:00Z");
  ck_assert_str_eq (json_object_get_string_member (json_node_get_object (root3), "to"),
                    "2020-01-02T00:00:00Z");
  ck_assert_str_eq (json_object_get_string_member (json_node_get_object (root3), "kind"), "day");
  ck_assert_uint_eq (json_array_get_length (archive_records (root3)), 0);
}
END_TEST

START_TEST (test_archive_defaults)
{
  g_autofree gchar *target
      = g_strdup_printf ("/api/v1/points/%" G_GINT64_FORMAT "/archive", fx.point_id);
  g_autoptr (GDateTime) before = g_date_time_new_now_utc ();
  g_autoptr (Response) r = http_get (target);
  g_autoptr (GDateTime) after = g_date_time_new_now_utc ();
  g_autoptr (JsonNode) root = NULL;
  g_autoptr (GDateTime) from = NULL;
  g_autoptr (GDateTime) to = NULL;
  JsonObject *obj;
  JsonArray *records;
  guint expected = 0;

  assert_status (r, SOUP_STATUS_OK);
  root = response_json (r);
  obj = json_node_get_object (root);
  ck_assert_str_eq (json_object_get_string_member (obj, "kind"), "hour");
  from = g_date_time_new_from_iso8601 (json_object_get_string_member (obj, "from"), NULL);
  to = g_date_time_new_from_iso8601 (json_object_get_string_member (obj, "to"), NULL);
  ck_assert (from != NULL && to != NULL);
  /* to = now (to the second at worst), from = to − 24 h */
  ck_assert_int_ge (g_date_time_difference (to, before), -G_TIME_SPAN_SECOND);
  ck_assert_int_le (g_date_time_difference (to, after), 0);
  ck_assert_int_eq (g_date_time_difference (to, from), G_TIME_SPAN_DAY);

  /* exactly the seeded records inside [from, to) */
  for (guint i = 0; i < N_RECORDS; i++)
    {
      g_autoptr (GDateTime) ts = g_date_time_add_hours (fx.base, i);
      if (g_date_time_compare (ts, from) >= 0 && g_date_time_compare (ts, to) < 0)
        expected++;
    }
  records = archive_records (root);
  ck_assert_uint_ge (expected, 23);
  ck_assert_uint_eq (json_array_get_length (records), expected);
}
END_TEST

/* ---- 4xx ---------------------------------------------------------------- */

START_TEST (test_bad_requests)
{
  g_autoptr (GDateTime) year_ago = g_date_time_add_days (fx.base, -367);
  g_autofree gchar *year_ago_s = iso (year_ago);
  g_autofree gchar *base_s = iso (fx.base);
  g_autoptr (GDateTime) later = g_date_time_add_hours (fx.base, 1);
  g_autofree gchar *later_s = iso (later);
  struct
  {
    const gchar *target; /* %1$s is the point id */
    guint status;
    const gchar *code;
  } cases[] = {
    /* bad ids */
    { "/api/v1/points/abc", 400, "invalid-argument" },
    { "/api/v1/points/0", 400, "invalid-argument" },
    { "/api/v1/points/-1", 400, "invalid-argument" },
    { "/api/v1/points/+1", 400, "invalid-argument" },
    { "/api/v1/points/007", 400, "invalid-argument" },
    { "/api/v1/points/1.5", 400, "invalid-argument" },
    { "/api/v1/points/0x10", 400, "invalid-argument" },
    { "/api/v1/points/2147483648", 400, "invalid-argument" },
    { "/api/v1/points/99999999999999999999999999999999", 400, "invalid-argument" },
    { "/api/v1/points/%20%201", 400, "invalid-argument" },
    { "/api/v1/points/abc/archive", 400, "invalid-argument" },
    /* bad kinds */
    { "/api/v1/points/%1$s/archive?kind=minute", 400, "invalid-argument" },
    { "/api/v1/points/%1$s/archive?kind=", 400, "invalid-argument" },
    { "/api/v1/points/%1$s/archive?kind=HOUR", 400, "invalid-argument" },
    /* bad times */
    { "/api/v1/points/%1$s/archive?from=yesterday", 400, "invalid-argument" },
    { "/api/v1/points/%1$s/archive?to=2026-13-01T00:00:00Z", 400, "invalid-argument" },
    { "/api/v1/points/%1$s/archive?from=2026-02-30T00:00:00Z", 400, "invalid-argument" },
    { "/api/v1/points/%1$s/archive?from=", 400, "invalid-argument" },
    { "/api/v1/points/%1$s/archive?to=0001-01-01T00:00:00Z", 400, "invalid-argument" },
    /* reversed, empty and too long ranges */
    { "/api/v1/points/%1$s/archive?from=%3$s&to=%2$s", 400, "invalid-argument" },
    { "/api/v1/points/%1$s/archive?from=%2$s&to=%2$s", 400, "invalid-argument" },
    { "/api/v1/points/%1$s/archive?from=%4$s&to=%2$s", 400, "invalid-argument" },
    /* unknown point, unknown routes */
    { "/api/v1/points/424242/archive", 404, "not-found" },
    { "/api/v1/points/424242/archive?kind=day", 404, "not-found" },
    { "/api/v1/nothing", 404, "not-found" },
    { "/api/v2/points", 404, "not-found" },
    { "/api/v1", 404, "not-found" },
    { "/api", 404, "not-found" },
    { "/api/v1/points/", 404, "not-found" },
    { "/api/v1//points", 404, "not-found" },
    { "/api/v1/points/%1$s/archive/extra", 404, "not-found" },
    { "/api/v1/points/%1$s/current", 404, "not-found" },
    { "/favicon.ico", 404, "not-found" },
    { "/index.htm", 404, "not-found" },
  };
  g_autofree gchar *id = g_strdup_printf ("%" G_GINT64_FORMAT, fx.point_id);

  for (gsize i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr (GString) target = g_string_new (cases[i].target);
      g_autoptr (Response) r = NULL;

      g_string_replace (target, "%1$s", id, 0);
      g_string_replace (target, "%2$s", base_s, 0);
      g_string_replace (target, "%3$s", later_s, 0);
      g_string_replace (target, "%4$s", year_ago_s, 0);
      r = http_get (target->str);
      assert_error (r, cases[i].status, cases[i].code);
    }
}
END_TEST

START_TEST (test_range_limit)
{
  /* 366 days is allowed, a second more is not */
  g_autoptr (GDateTime) from = g_date_time_add_days (fx.base, -366);
  g_autoptr (GDateTime) from2 = g_date_time_add_seconds (from, -1);
  g_autofree gchar *from_s = iso (from);
  g_autofree gchar *from2_s = iso (from2);
  g_autofree gchar *to_s = iso (fx.base);
  g_autofree gchar *t1 = g_strdup_printf (
      "/api/v1/points/%" G_GINT64_FORMAT "/archive?from=%s&to=%s", fx.point_id, from_s, to_s);
  g_autofree gchar *t2 = g_strdup_printf (
      "/api/v1/points/%" G_GINT64_FORMAT "/archive?from=%s&to=%s", fx.point_id, from2_s, to_s);
  g_autoptr (Response) r1 = http_get (t1);
  g_autoptr (Response) r2 = http_get (t2);

  assert_status (r1, SOUP_STATUS_OK);
  assert_error (r2, SOUP_STATUS_BAD_REQUEST, "invalid-argument");
}
END_TEST

START_TEST (test_methods)
{
  g_autofree gchar *point = g_strdup_printf ("/api/v1/points/%" G_GINT64_FORMAT, fx.point_id);
  g_autofree gchar *archive = g_strdup_printf ("%s/archive", point);
  struct
  {
    const gchar *method;
    const gchar *target;
    const gchar *allow;
  } cases[] = {
    { "PUT", point, "GET, HEAD, PATCH, DELETE" },
    { "POST", archive, "GET, HEAD" },
    { "DELETE", "/", "GET, HEAD" },
    { "OPTIONS", "/api/v1/points", "GET, HEAD, POST" },
  };
  g_autoptr (Response) head = http_request ("HEAD", "/api/v1/points");
  g_autoptr (Response) unknown = http_request ("DELETE", "/api/v1/nothing");

  for (gsize i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr (Response) r = http_request (cases[i].method, cases[i].target);

      assert_error (r, SOUP_STATUS_METHOD_NOT_ALLOWED, "method-not-allowed");
      ck_assert_msg (g_strcmp0 (r->allow, cases[i].allow) == 0, "%s: Allow: %s", r->what, r->allow);
    }

  assert_status (head, SOUP_STATUS_OK);
  ck_assert_uint_eq (g_bytes_get_size (head->body), 0);
  ck_assert (g_str_has_prefix (head->content_type, "application/json"));
  /* an unknown route is 404 whatever the method */
  assert_error (unknown, SOUP_STATUS_NOT_FOUND, "not-found");
}
END_TEST

/* ---- hostile input ------------------------------------------------------ */

START_TEST (test_hostile)
{
  g_autofree gchar *long_query = NULL;
  g_autofree gchar *long_id = NULL;
  g_autofree gchar *huge = NULL;
  g_autofree gchar *id = g_strdup_printf ("%" G_GINT64_FORMAT, fx.point_id);
  g_autoptr (GString) s = g_string_new (NULL);
  struct
  {
    const gchar *target; /* %1$s is the point id */
    guint status;
    const gchar *code; /* NULL: not a JSON answer from us */
  } cases[] = {
    /* NUL bytes */
    { "/api/v1/points/%00", 400, "invalid-argument" },
    { "/api/v1/points/%1$s%00", 400, "invalid-argument" },
    { "/api/v1/points/%1$s%00/archive", 400, "invalid-argument" },
    { "/api/v1/points/%1$s/archive?kind=hour%00evil", 400, "invalid-argument" },
    { "/api/v1/points/%1$s/archive?kind%00=x", 400, "invalid-argument" },
    { "/%00", 400, "invalid-argument" },
    /* traversal: dot segments (even encoded) resolve within the URL, to a
     * path that is no route; an encoded slash is refused */
    { "/api/v1/points/%2e%2e/%2e%2e/%2e%2e/etc/passwd", 404, "not-found" },
    { "/%2e%2e/%2e%2e/etc/passwd", 404, "not-found" },
    { "/api/v1/points/%2E%2E/%2E%2E/%2E%2E/%2E%2E/%2E%2E/etc/shadow", 404, "not-found" },
    { "/api/v1/points/..%2F..%2Fetc%2Fpasswd", 400, "invalid-argument" },
    { "/api/v1/points/%1$s%2Farchive", 400, "invalid-argument" },
    { "/api/v1/points/%1$s%2farchive", 400, "invalid-argument" },
    { "/../../../../etc/passwd", 404, "not-found" },
    { "/api/v1/points/%1$s/../../../../etc/passwd", 404, "not-found" },
    { "/index.html/..%5c..%5cetc%5cpasswd", 404, "not-found" },
    /* broken escapes and bytes that are not UTF-8 */
    /* (libsoup itself refuses escapes that are not %XX, before any handler) */
    { "/api/v1/points/%zz", 400, NULL },
    { "/api/v1/points/%", 400, NULL },
    { "/api/v1/points/%FF%FE", 400, "invalid-argument" },
    { "/api/v1/points/%1$s/archive?kind=%FF%FE%C0%AF", 400, "invalid-argument" },
    { "/api/v1/points/%1$s/archive?from=%FF%FE%C0%AF", 400, "invalid-argument" },
    { "/api/v1/points/%1$s/archive?kind=%", 400, NULL },
    { "/api/v1/points/%1$s/archive?kind=%G0", 400, NULL },
    { "/api/v1/points/%1$s/archive?from=%22%3Cscript%3E", 400, "invalid-argument" },
    /* injection attempts are just bad values */
    { "/api/v1/points/1;DROP%20TABLE%20archive", 400, "invalid-argument" },
    { "/api/v1/points/1%27%20OR%20%271%27=%271", 400, "invalid-argument" },
    { "/api/v1/points/%1$s/archive?kind=hour%27;DROP%20TABLE%20archive;--", 400,
      "invalid-argument" },
  };

  for (gsize i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr (GString) target = g_string_new (cases[i].target);
      g_autoptr (Response) r = NULL;

      g_string_replace (target, "%1$s", id, 0);
      r = raw_request (target->str);
      ck_assert_msg (r != NULL, "%s: no answer", target->str);
      if (cases[i].code != NULL)
        assert_error (r, cases[i].status, cases[i].code);
      else
        assert_status (r, cases[i].status);
    }

  /* An overlong query, an overlong id: 414 from us. */
  for (guint i = 0; i < 5000; i++)
    g_string_append_c (s, 'a');
  long_query = g_strdup_printf ("/api/v1/points/%s/archive?kind=hour&x=%s", id, s->str);
  long_id = g_strdup_printf ("/api/v1/points/%s", s->str);
  {
    g_autoptr (Response) r1 = raw_request (long_query);
    g_autoptr (Response) r2 = raw_request (long_id);

    ck_assert (r1 != NULL && r2 != NULL);
    assert_error (r1, SOUP_STATUS_REQUEST_URI_TOO_LONG, "invalid-argument");
    assert_error (r2, SOUP_STATUS_REQUEST_URI_TOO_LONG, "invalid-argument");
  }
  /* A request line beyond what libsoup reads at all: refused before any
   * route runs, with a 4xx or a closed connection. */
  while (s->len < 256 * 1024)
    g_string_append (s, s->str);
  huge = g_strdup_printf ("/api/v1/points?x=%s", s->str);
  {
    g_autoptr (Response) r = raw_request (huge);

    if (r != NULL)
      ck_assert_msg (r->status >= 400 && r->status < 500, "huge request: %u", r->status);
  }
  /* A long id within the limit: 400, and no overflow. */
  {
    g_autoptr (Response) r = NULL;

    g_string_truncate (s, 0);
    for (guint i = 0; i < 1000; i++)
      g_string_append_c (s, '9');
    g_string_prepend (s, "/api/v1/points/");
    r = raw_request (s->str);
    ck_assert (r != NULL);
    assert_error (r, SOUP_STATUS_BAD_REQUEST, "invalid-argument");
  }

  /* and the server still serves */
  {
    g_autoptr (Response) r = http_get ("/api/v1/points");
    assert_status (r, SOUP_STATUS_OK);
  }
}
END_TEST

/* A client that hangs up while its request waits for the database. */
START_TEST (test_client_gone)
{
  g_autofree gchar *request
      = g_strdup_printf ("GET /api/v1/points/%" G_GINT64_FORMAT
                         "/archive HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer %s\r\n\r\n",
                         fx.point_id, fx.token);

  for (guint i = 0; i < 20; i++)
    {
      g_autoptr (GSocketClient) client = g_socket_client_new ();
      g_autoptr (GSocketConnection) conn = NULL;
      g_autoptr (GAsyncResult) res = NULL;
      g_autoptr (GError) error = NULL;
      GOutputStream *out;

      g_socket_client_connect_to_host_async (client, "127.0.0.1", fx.port, NULL, store_result_cb,
                                             &res);
      conn = g_socket_client_connect_to_host_finish (client, wait_result (&res), &error);
      ck_assert_msg (conn != NULL, "%s", error ? error->message : "");
      out = g_io_stream_get_output_stream (G_IO_STREAM (conn));
      ck_assert (g_output_stream_write_all (out, request, strlen (request), NULL, NULL, &error));
      /* let the server read it and pause on the database, then vanish */
      for (guint j = 0; j < i % 5; j++)
        g_main_context_iteration (NULL, FALSE);
      ck_assert (g_io_stream_close (G_IO_STREAM (conn), NULL, &error));
    }

  {
    g_autofree gchar *target
        = g_strdup_printf ("/api/v1/points/%" G_GINT64_FORMAT "/archive", fx.point_id);
    g_autoptr (Response) r = http_get (target);
    assert_status (r, SOUP_STATUS_OK);
  }
}
END_TEST

static guint
count_fds (void)
{
  g_autoptr (GDir) dir = g_dir_open ("/proc/self/fd", 0, NULL);
  guint n = 0;

  ck_assert (dir != NULL);
  while (g_dir_read_name (dir) != NULL)
    n++;
  return n;
}

/* Connections do not pile up: every answer closes its connection (libsoup
 * 3.2 would keep a kept-alive one the client closed in CLOSE_WAIT forever). */
START_TEST (test_connections_closed)
{
  guint before, after;
  gboolean done = FALSE;

  {
    g_autoptr (Response) warm = http_get ("/api/v1/points");
    assert_status (warm, SOUP_STATUS_OK);
  }
  before = count_fds ();
  for (guint i = 0; i < 100; i++)
    {
      g_autoptr (Response) r1 = NULL;
      g_autoptr (Response) r2 = raw_request ("/api/v1/points/abc");

      /* a client that would keep the connection alive, then goes away */
      g_clear_object (&fx.session);
      fx.session = soup_session_new_with_options ("proxy-resolver", NULL, "timeout", 30, NULL);
      lers_check_http_authorize (fx.session, fx.token);
      r1 = http_get (i % 2 ? "/api/v1/points" : "/");
      assert_status (r1, SOUP_STATUS_OK);
      ck_assert (r2 != NULL);
      assert_status (r2, SOUP_STATUS_BAD_REQUEST);
    }
  g_clear_object (&fx.session);
  fx.session = soup_session_new_with_options ("proxy-resolver", NULL, "timeout", 30, NULL);
  lers_check_http_authorize (fx.session, fx.token);
  g_timeout_add_once (100, set_true_cb, &done);
  while (!done)
    g_main_context_iteration (NULL, TRUE);
  after = count_fds ();
  ck_assert_msg (after <= before + 4, "%u file descriptors before, %u after 200 requests", before,
                 after);
}
END_TEST

/* ---- a database outage -------------------------------------------------- */

/* A cluster of this test's own: the shared one is temporary, and stopping it
 * would remove it. The unchecked fixture stops and removes it whatever
 * happens in the test. */
static LersCluster *outage_cluster;
static gchar *outage_dir;

static int
remove_cb (const char *path, const struct stat *sb, int flag, struct FTW *ftw)
{
  return remove (path);
}

static void
outage_setup (void)
{
  g_autoptr (GError) error = NULL;
  g_autofree gchar *datadir = NULL;

  outage_dir = g_dir_make_tmp ("lersd-outage-XXXXXX", &error);
  ck_assert_msg (outage_dir != NULL, "%s", error ? error->message : "");
  /* as root, the server runs as postgres and must reach its data directory */
  ck_assert_int_eq (g_chmod (outage_dir, 0755), 0);
  datadir = g_build_filename (outage_dir, "data", NULL);
  outage_cluster = lers_cluster_new (datadir);
  if (!lers_cluster_start (outage_cluster, NULL, &error))
    ck_abort_msg ("could not start a PostgreSQL cluster: %s", error->message);
}

static void
outage_teardown (void)
{
  g_autoptr (GError) error = NULL;

  /* A failed test may have left it stopped. */
  if (outage_cluster != NULL && !lers_cluster_stop (outage_cluster, &error))
    g_printerr ("test-http: %s\n", error->message);
  g_clear_object (&outage_cluster);
  if (outage_dir != NULL)
    nftw (outage_dir, remove_cb, 16, FTW_DEPTH | FTW_PHYS);
  g_clear_pointer (&outage_dir, g_free);
}

START_TEST (test_database_outage)
{
  g_autoptr (GError) error = NULL;
  g_autofree gchar *uri = lers_cluster_get_uri (outage_cluster);
  g_autoptr (LersStore) store = lers_store_new (uri);
  g_autofree gchar *point = NULL;
  g_autofree gchar *archive = NULL;

  ck_assert_msg (lers_store_open_sync (store, NULL, &error), "%s", error->message);
  seed (store, &fx);
  start_server (store, &fx);
  point = g_strdup_printf ("/api/v1/points/%" G_GINT64_FORMAT, fx.point_id);
  archive = g_strdup_printf ("%s/archive", point);

  {
    g_autoptr (Response) r = http_get ("/api/v1/points");
    assert_status (r, SOUP_STATUS_OK);
  }

  /* The database stops: 503 with a JSON error, for every route that needs it. */
  ck_assert_msg (lers_cluster_stop (outage_cluster, &error), "%s", error->message);
  for (guint round = 0; round < 2; round++)
    {
      g_autoptr (Response) r1 = http_get ("/api/v1/points");
      g_autoptr (Response) r2 = http_get (point);
      g_autoptr (Response) r3 = http_get (archive);
      g_autoptr (Response) web = http_get ("/");
      g_autoptr (Response) bad = http_get ("/api/v1/points/abc");

      assert_status (r1, SOUP_STATUS_SERVICE_UNAVAILABLE);
      assert_status (r2, SOUP_STATUS_SERVICE_UNAVAILABLE);
      assert_status (r3, SOUP_STATUS_SERVICE_UNAVAILABLE);
      ck_assert_str_eq (r1->retry_after, "5");
      {
        g_autoptr (JsonNode) root = response_json (r1);
        JsonObject *e = json_object_get_object_member (json_node_get_object (root), "error");
        ck_assert (e != NULL);
        /* no libpq text or socket path for the client */
        ck_assert_msg (strstr (json_object_get_string_member (e, "message"), outage_dir) == NULL,
                       "%s", response_text (r1));
      }
      /* what does not need the database still works */
      assert_status (web, SOUP_STATUS_OK);
      /* the caller of an API route is looked up in the database first, so
       * even a bad id waits for it (503, not 401: the token may be good) */
      assert_status (bad, SOUP_STATUS_SERVICE_UNAVAILABLE);
    }

  /* It comes back: the very next requests succeed. */
  ck_assert_msg (lers_cluster_start (outage_cluster, NULL, &error), "%s", error->message);
  {
    g_autoptr (Response) r1 = http_get ("/api/v1/points");
    g_autoptr (Response) r2 = http_get (archive);
    g_autoptr (JsonNode) root = NULL;

    assert_status (r1, SOUP_STATUS_OK);
    root = response_json (r1);
    ck_assert_uint_eq (json_array_get_length (list_items (root)), 1);
    assert_status (r2, SOUP_STATUS_OK);
  }

  stop_server (&fx);
}
END_TEST

/* ---- lersd_parse_id: exact errors --------------------------------------- */

START_TEST (test_parse_id)
{
  const struct
  {
    const gchar *str;
    gint64 id; /* 0: must fail with LERS_ERROR_INVALID_ARGUMENT */
  } cases[] = {
    { "1", 1 },
    { "42", 42 },
    { "2147483647", G_MAXINT32 },
    { "", 0 },
    { "0", 0 },
    { "00", 0 },
    { "01", 0 },
    { "-1", 0 },
    { "+1", 0 },
    { " 1", 0 },
    { "1 ", 0 },
    { "1a", 0 },
    { "2147483648", 0 },
    { "18446744073709551617", 0 },
    { "99999999999", 0 },
  };

  for (gsize i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr (GError) error = NULL;
      gint64 id = -1;
      gboolean ok = lersd_parse_id (cases[i].str, &id, &error);

      if (cases[i].id != 0)
        {
          ck_assert_msg (ok, "“%s”: %s", cases[i].str, error ? error->message : "");
          ck_assert_int_eq (id, cases[i].id);
        }
      else
        {
          ck_assert_msg (!ok, "“%s” parsed", cases[i].str);
          ck_assert_msg (g_error_matches (error, LERS_ERROR, LERS_ERROR_INVALID_ARGUMENT),
                         "“%s”: %s", cases[i].str, error ? error->message : "no error");
          ck_assert_int_eq (id, -1);
        }
    }
}
END_TEST

static Suite *
http_suite (void)
{
  Suite *s = suite_create ("daemon");
  TCase *tc = tcase_create ("http");
  TCase *tc_unit = tcase_create ("unit");

  tcase_add_unchecked_fixture (tc, lers_check_cluster_setup, lers_check_cluster_teardown);
  tcase_add_checked_fixture (tc, http_setup, http_teardown);
  tcase_add_test (tc, test_index);
  tcase_add_test (tc, test_points_list);
  tcase_add_test (tc, test_points_by_node);
  tcase_add_test (tc, test_point_get);
  tcase_add_test (tc, test_archive_all);
  tcase_add_test (tc, test_archive_range_edges);
  tcase_add_test (tc, test_archive_time_forms);
  tcase_add_test (tc, test_archive_defaults);
  tcase_add_test (tc, test_bad_requests);
  tcase_add_test (tc, test_range_limit);
  tcase_add_test (tc, test_methods);
  tcase_add_test (tc, test_hostile);
  tcase_add_test (tc, test_client_gone);
  tcase_add_test (tc, test_connections_closed);
  suite_add_tcase (s, tc);

  tcase_add_test (tc_unit, test_parse_id);
  suite_add_tcase (s, tc_unit);
  return s;
}

static Suite *
outage_suite (void)
{
  Suite *s = suite_create ("daemon-outage");
  TCase *tc = tcase_create ("outage");

  tcase_add_unchecked_fixture (tc, outage_setup, outage_teardown);
  tcase_add_test (tc, test_database_outage);
  suite_add_tcase (s, tc);
  return s;
}

int
main (int argc, char **argv)
{
  SRunner *runner;
  int status;

  lers_check_init (&argc, &argv);
  /* Check forks a process per test. A GThreadPool thread that went idle in
   * the parent (LersStore's, after the template migration) would count as
   * "unused" in the child too, where it does not exist: the child's first
   * pool job would be handed to it and never run. Idle pool threads exit
   * instead. */
  g_thread_pool_set_max_unused_threads (0);
  status = lers_check_run_suite (http_suite ());

  /* The outage test runs in this process, not a forked one: it stops and
   * starts PostgreSQL with pg_ctl through GSubprocess, whose child watch needs
   * GLib's worker thread, and a forked process has no threads but its own. */
  runner = srunner_create (outage_suite ());
  srunner_set_fork_status (runner, CK_NOFORK);
  srunner_run_all (runner, CK_ENV);
  if (srunner_ntests_failed (runner) != 0)
    status = EXIT_FAILURE;
  srunner_free (runner);
  return status;
}
