/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Live current values (issue 15): GET /api/v1/current and its Server-Sent
 * Events stream /api/v1/current/stream, in-process lersd on 127.0.0.1 port
 * 0 against a throwaway PostgreSQL. Records go in through LersStore, as the
 * poller stores them; what is checked is what a client reads. */
#include "config.h"

#include "poll-test-util.h"
#include "lersd-auth.h"
#include "routes/lersd-routes.h"

/* poll-test-util.h's seed is not this test's */
static void (*const current_unused_seed) (void) G_GNUC_UNUSED = poll_seed_points;

/* Territory 1 on Europe/Moscow (UTC+3 all year, no DST since 2014):
 *   node 1 "ИТП 1": point 1 "Отопление" (heat, poll interval 600 s),
 *                   point 2 "ГВС" (hot water, interval 3600 s, never read)
 *   node 2 "ИТП 2": point 3 "ХВС" (cold water, no interval) */
static void
current_seed (void)
{
  lers_check_sql_exec ("INSERT INTO territories (id, title, timezone) VALUES "
                       "(1, 'Москва', 'Europe/Moscow')");
  lers_check_sql_exec ("INSERT INTO nodes (id, territory_id, title) VALUES "
                       "(1, 1, 'ИТП 1'), (2, 1, 'ИТП 2')");
  lers_check_sql_exec ("INSERT INTO measure_points (id, node_id, title, resource, poll_interval) "
                       "VALUES (1, 1, 'Отопление', 0, 600), (2, 1, 'ГВС', 1, 3600), "
                       "(3, 2, 'ХВС', 2, 0)");
}

static void
current_setup (void)
{
  lers_check_store_setup ();
  current_seed ();
  poll_server_start ();
}

static void
current_teardown (void)
{
  poll_server_stop ();
  lers_check_store_teardown ();
}

/* Stores one current record of @point_id at @ts with T_in = @t_in (and
 * Q_in = @q_in, calculated, unless NAN) through the store */
static void
current_write (gint64 point_id, GDateTime *ts, gdouble t_in, gdouble q_in)
{
  g_autoptr (GPtrArray) records = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr (GError) error = NULL;
  LersRecord *record = lers_record_new (ts, LERS_ARCHIVE_KIND_CURRENT);

  lers_record_set_value (record, LERS_PARAMETER_T_IN, t_in, LERS_VALUE_FLAG_NONE);
  if (!isnan (q_in))
    lers_record_set_value (record, LERS_PARAMETER_Q_IN, q_in, LERS_VALUE_FLAG_CALCULATED);
  g_ptr_array_add (records, record);
  ck_assert_msg (
      lers_store_write_records_sync (lers_check_get_store (), point_id, records, NULL, &error),
      "%s", error != NULL ? error->message : "");
}

static GDateTime *
current_ago (GTimeSpan span)
{
  g_autoptr (GDateTime) now = g_date_time_new_now_utc ();

  return g_date_time_add (now, -span);
}

/* GET @target as the admin: the items of the list */
static JsonArray *
current_items (PollResponse *r, JsonNode **root)
{
  JsonObject *obj;

  ck_assert_msg (r->status == 200, "%u %s", r->status, r->body);
  *root = poll_response_json (r);
  obj = json_node_get_object (*root);
  ck_assert (json_object_has_member (obj, "next"));
  ck_assert (json_object_get_null_member (obj, "next"));
  return json_object_get_array_member (obj, "items");
}

/* The ids of the items, as "1,2" */
static gchar *
current_ids (JsonArray *items)
{
  GString *out = g_string_new ("");

  for (guint i = 0; i < json_array_get_length (items); i++)
    g_string_append_printf (
        out, "%s%" G_GINT64_FORMAT, i > 0 ? "," : "",
        json_object_get_int_member (json_array_get_object_element (items, i), "point_id"));
  return g_string_free (out, FALSE);
}

static void
current_assert_ids (JsonArray *items, const gchar *expected)
{
  g_autofree gchar *ids = current_ids (items);

  ck_assert_str_eq (ids, expected);
}

static JsonObject *
current_find (JsonArray *items, gint64 point_id)
{
  for (guint i = 0; i < json_array_get_length (items); i++)
    {
      JsonObject *item = json_array_get_object_element (items, i);

      if (json_object_get_int_member (item, "point_id") == point_id)
        return item;
    }
  ck_abort_msg ("point %" G_GINT64_FORMAT " is not listed", point_id);
  return NULL;
}

/* The newest current record, its values with their units and flags, in
 * the node's zone; an hourly record later than it does not count */
START_TEST (test_values_and_units)
{
  g_autoptr (GDateTime) older = g_date_time_new_from_iso8601 ("2026-11-30T08:00:00Z", NULL);
  g_autoptr (GDateTime) newest = g_date_time_new_from_iso8601 ("2026-11-30T09:00:00Z", NULL);
  g_autoptr (GDateTime) hour = g_date_time_new_from_iso8601 ("2026-11-30T10:00:00Z", NULL);
  g_autoptr (GPtrArray) hourly = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr (PollResponse) r = NULL;
  g_autoptr (JsonNode) root = NULL;
  g_autoptr (GError) error = NULL;
  LersRecord *hour_record = lers_record_new (hour, LERS_ARCHIVE_KIND_HOUR);
  JsonArray *items, *values;
  JsonObject *item, *value;

  current_write (1, older, 60.0, 0.5);
  current_write (1, newest, 71.3, 0.125);
  lers_record_set_value (hour_record, LERS_PARAMETER_T_IN, 99.0, LERS_VALUE_FLAG_NONE);
  g_ptr_array_add (hourly, hour_record);
  ck_assert (lers_store_write_records_sync (lers_check_get_store (), 1, hourly, NULL, &error));

  r = poll_request ("GET", "/api/v1/current", NULL);
  items = current_items (r, &root);
  current_assert_ids (items, "1,2,3");
  item = current_find (items, 1);
  ck_assert_int_eq (json_object_get_int_member (item, "node_id"), 1);
  ck_assert_str_eq (json_object_get_string_member (item, "point_title"), "Отопление");
  ck_assert_str_eq (json_object_get_string_member (item, "node_title"), "ИТП 1");
  ck_assert_str_eq (json_object_get_string_member (item, "resource"), "heat");
  /* 09:00 UTC is 12:00 in Moscow (UTC+3) */
  ck_assert_str_eq (json_object_get_string_member (item, "time"), "2026-11-30T12:00:00+03:00");
  values = json_object_get_array_member (item, "values");
  ck_assert_int_eq (json_array_get_length (values), 2);
  value = json_array_get_object_element (values, 0);
  ck_assert_str_eq (json_object_get_string_member (value, "parameter"), "T_in");
  ck_assert_double_eq (json_object_get_double_member (value, "value"), 71.3);
  ck_assert_str_eq (json_object_get_string_member (value, "unit"), "degC");
  ck_assert_int_eq (json_array_get_length (json_object_get_array_member (value, "flags")), 0);
  value = json_array_get_object_element (values, 1);
  ck_assert_str_eq (json_object_get_string_member (value, "parameter"), "Q_in");
  ck_assert_double_eq (json_object_get_double_member (value, "value"), 0.125);
  ck_assert_str_eq (json_object_get_string_member (value, "unit"), "Gcal");
  ck_assert_str_eq (
      json_array_get_string_element (json_object_get_array_member (value, "flags"), 0),
      "calculated");
  /* the exact text too: 71.3, not 71.299999999999997 */
  ck_assert_msg (strstr (r->body, "\"value\":71.3,") != NULL, "%s", r->body);
}
END_TEST

/* ?node= and ?point=, alone and together; a bad id is 400 */
START_TEST (test_filters)
{
  g_autoptr (PollResponse) by_node = poll_request ("GET", "/api/v1/current?node=1", NULL);
  g_autoptr (PollResponse) by_point = poll_request ("GET", "/api/v1/current?point=3,2", NULL);
  g_autoptr (PollResponse) both = poll_request ("GET", "/api/v1/current?point=1,3&node=1", NULL);
  g_autoptr (PollResponse) missing = poll_request ("GET", "/api/v1/current?point=99", NULL);
  g_autoptr (PollResponse) bad = poll_request ("GET", "/api/v1/current?point=1,x", NULL);
  g_autoptr (PollResponse) bad_node = poll_request ("GET", "/api/v1/current?node=-1", NULL);
  g_autoptr (JsonNode) r1 = NULL, r2 = NULL, r3 = NULL, r4 = NULL;

  current_assert_ids (current_items (by_node, &r1), "1,2");
  current_assert_ids (current_items (by_point, &r2), "2,3");
  current_assert_ids (current_items (both, &r3), "1");
  current_assert_ids (current_items (missing, &r4), "");
  poll_assert_error (bad, 400, "invalid-argument");
  poll_assert_error (bad_node, 400, "invalid-argument");
}
END_TEST

/* A subscriber of node 1 sees points 1 and 2 only; asking for point 3 or
 * node 2 gives an empty list, not an error that reveals them */
START_TEST (test_subscriber)
{
  g_autoptr (LersAccounts) accounts = lers_accounts_new (lers_check_get_store ());
  g_autoptr (GError) error = NULL;
  g_autofree gchar *token = lers_check_http_user_token ("sub1", LERS_USER_ROLE_SUBSCRIBER, NULL);
  g_autofree gchar *bearer = g_strdup_printf ("Bearer %s", token);
  gint64 sub_id = lers_check_sql_int ("SELECT id FROM users WHERE login = 'sub1'");
  g_autoptr (PollResponse) all = NULL, other = NULL, other_node = NULL, mixed = NULL;
  g_autoptr (JsonNode) r1 = NULL, r2 = NULL, r3 = NULL, r4 = NULL;

  ck_assert_msg (
      lers_accounts_add_scope_sync (accounts, sub_id, LERS_SCOPE_KIND_NODE, 1, NULL, &error), "%s",
      error != NULL ? error->message : "");
  all = poll_request_as ("GET", "/api/v1/current", NULL, bearer);
  other = poll_request_as ("GET", "/api/v1/current?point=3", NULL, bearer);
  other_node = poll_request_as ("GET", "/api/v1/current?node=2", NULL, bearer);
  mixed = poll_request_as ("GET", "/api/v1/current?point=1,3", NULL, bearer);
  current_assert_ids (current_items (all, &r1), "1,2");
  current_assert_ids (current_items (other, &r2), "");
  current_assert_ids (current_items (other_node, &r3), "");
  current_assert_ids (current_items (mixed, &r4), "1");
  ck_assert_msg (strstr (all->body, "ХВС") == NULL, "%s", all->body);
}
END_TEST

/* Stale: point 1 (interval 600 s) read 25 min ago: older than 2 × 10 min;
 * point 3 (no interval) read 30 min ago: within the hour; point 2 never
 * read: time null, no values */
START_TEST (test_stale)
{
  g_autoptr (GDateTime) ago25 = current_ago (25 * G_TIME_SPAN_MINUTE);
  g_autoptr (GDateTime) ago30 = current_ago (30 * G_TIME_SPAN_MINUTE);
  g_autoptr (PollResponse) r = NULL;
  g_autoptr (JsonNode) root = NULL;
  JsonArray *items;
  JsonObject *never;

  current_write (1, ago25, 70.0, NAN);
  current_write (3, ago30, 8.5, NAN);
  r = poll_request ("GET", "/api/v1/current", NULL);
  items = current_items (r, &root);
  ck_assert (json_object_get_boolean_member (current_find (items, 1), "stale"));
  ck_assert (!json_object_get_boolean_member (current_find (items, 3), "stale"));
  never = current_find (items, 2);
  ck_assert (json_object_get_null_member (never, "time"));
  ck_assert_int_eq (json_array_get_length (json_object_get_array_member (never, "values")), 0);
  ck_assert (json_object_get_boolean_member (never, "stale"));
  ck_assert_str_eq (json_object_get_string_member (never, "resource"), "hot-water");

  /* read again now: point 1 is fresh */
  {
    g_autoptr (GDateTime) now = g_date_time_new_now_utc ();
    g_autoptr (PollResponse) again = NULL;
    g_autoptr (JsonNode) root2 = NULL;

    current_write (1, now, 70.5, NAN);
    again = poll_request ("GET", "/api/v1/current?point=1", NULL);
    ck_assert (
        !json_object_get_boolean_member (current_find (current_items (again, &root2), 1), "stale"));
  }
}
END_TEST

/* ---- a raw event-stream client ------------------------------------------ */

typedef struct
{
  GSocketConnection *conn;
  GString *in;
} Sse;

static void
sse_close (Sse *s)
{
  if (s->conn != NULL)
    g_io_stream_close (G_IO_STREAM (s->conn), NULL, NULL);
  g_clear_object (&s->conn);
  g_string_free (s->in, TRUE);
  g_free (s);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Sse, sse_close)

static Sse *sse_open_with (const gchar *target, const gchar *accept, const gchar *credentials);

static Sse *
sse_open_as (const gchar *target, const gchar *accept, const gchar *token)
{
  g_autofree gchar *credentials = g_strdup_printf ("Authorization: Bearer %s", token);

  return sse_open_with (target, accept, credentials);
}

/* Opens @target with the header line @credentials */
static Sse *
sse_open_with (const gchar *target, const gchar *accept, const gchar *credentials)
{
  g_autoptr (GSocketClient) client = g_socket_client_new ();
  g_autoptr (GError) error = NULL;
  g_autofree gchar *head = NULL;
  Sse *s = g_new0 (Sse, 1);

  s->in = g_string_new ("");
  s->conn = g_socket_client_connect_to_host (client, "127.0.0.1", pfx.port, NULL, &error);
  lers_check_assert_no_error (error);
  head = g_strdup_printf ("GET %s HTTP/1.1\r\nHost: 127.0.0.1\r\n%s\r\n"
                          "%s%s%s\r\n",
                          target, credentials, accept != NULL ? "Accept: " : "",
                          accept != NULL ? accept : "", accept != NULL ? "\r\n" : "");
  ck_assert (g_output_stream_write_all (g_io_stream_get_output_stream (G_IO_STREAM (s->conn)), head,
                                        strlen (head), NULL, NULL, &error));
  lers_check_assert_no_error (error);
  g_socket_set_blocking (g_socket_connection_get_socket (s->conn), FALSE);
  return s;
}

static Sse *
sse_open (const gchar *target, const gchar *accept)
{
  return sse_open_as (target, accept, pfx.token);
}

static gboolean
sse_wake_cb (gpointer user_data)
{
  return G_SOURCE_CONTINUE;
}

/* Runs the main loop (the in-process server) until @needle is in what was
 * read after @from, or @seconds pass, or the server closes: where it starts,
 * or -1 */
static gssize
sse_wait_for (Sse *s, gsize from, const gchar *needle, guint seconds)
{
  gint64 deadline = g_get_monotonic_time () + seconds * G_USEC_PER_SEC;
  guint wake = g_timeout_add (10, sse_wake_cb, NULL);
  GSocket *socket = g_socket_connection_get_socket (s->conn);
  gssize found = -1;
  gboolean closed = FALSE;

  while (g_get_monotonic_time () < deadline)
    {
      gchar buf[4096];
      g_autoptr (GError) error = NULL;
      gssize n;
      const gchar *hit;

      hit = s->in->len > from ? strstr (s->in->str + from, needle) : NULL;
      if (hit != NULL)
        {
          found = hit - s->in->str;
          break;
        }
      if (closed)
        break;
      n = g_socket_receive (socket, buf, sizeof buf, NULL, &error);
      if (n > 0)
        g_string_append_len (s->in, buf, n);
      else if (n == 0)
        closed = TRUE;
      else
        g_main_context_iteration (NULL, TRUE);
    }
  g_source_remove (wake);
  return found;
}

/* Runs the main loop until the server counts @n streams, for 5 s at most */
static guint
sse_wait_streams (guint n)
{
  gint64 deadline = g_get_monotonic_time () + 5 * G_USEC_PER_SEC;
  guint wake = g_timeout_add (10, sse_wake_cb, NULL);

  while (lersd_current_get_n_streams (pfx.server) != n && g_get_monotonic_time () < deadline)
    g_main_context_iteration (NULL, TRUE);
  g_source_remove (wake);
  return lersd_current_get_n_streams (pfx.server);
}

/* The JSON of the data line of the event that starts at @at */
static JsonNode *
sse_event_data (Sse *s, gssize at)
{
  g_autoptr (JsonParser) parser = json_parser_new ();
  g_autoptr (GError) error = NULL;
  const gchar *data = strstr (s->in->str + at, "data: ");
  const gchar *end;
  g_autofree gchar *json = NULL;

  ck_assert (data != NULL);
  data += strlen ("data: ");
  end = strstr (data, "\n\n");
  ck_assert (end != NULL);
  json = g_strndup (data, end - data);
  ck_assert_msg (json_parser_load_from_data (parser, json, -1, &error), "not JSON: %s", json);
  return json_node_copy (json_parser_get_root (parser));
}

/* The stream: headers, a snapshot, then a record stored afterwards arrives
 * as an update with its value within 2 s (plus the test's slack) */
START_TEST (test_stream_update)
{
  g_autoptr (Sse) s = sse_open ("/api/v1/current/stream?node=1", "text/event-stream");
  g_autoptr (GDateTime) now = NULL;
  g_autoptr (JsonNode) snapshot = NULL;
  g_autoptr (JsonNode) update = NULL;
  gssize at, upd;
  JsonArray *items;
  JsonObject *item;
  gint64 t0;

  at = sse_wait_for (s, 0, "event: snapshot\ndata: ", 10);
  ck_assert_msg (at >= 0, "no snapshot: %s", s->in->str);
  ck_assert_int_ge (sse_wait_for (s, at, "}\n\n", 5), 0);
  ck_assert_msg (strstr (s->in->str, "HTTP/1.1 200") == s->in->str, "%s", s->in->str);
  ck_assert_msg (strcasestr (s->in->str, "Content-Type: text/event-stream") != NULL, "%s",
                 s->in->str);
  ck_assert_msg (strcasestr (s->in->str, "Cache-Control: no-store") != NULL, "%s", s->in->str);
  snapshot = sse_event_data (s, at);
  items = json_object_get_array_member (json_node_get_object (snapshot), "items");
  current_assert_ids (items, "1,2");
  ck_assert_uint_eq (lersd_current_get_n_streams (pfx.server), 1);

  /* point 3 is of node 2: not this stream's; point 1 is */
  now = g_date_time_new_now_utc ();
  current_write (3, now, 9.25, NAN);
  current_write (1, now, 55.5, NAN);
  t0 = g_get_monotonic_time ();
  upd = sse_wait_for (s, at, "event: update\ndata: ", 5);
  ck_assert_msg (upd >= 0, "no update: %s", s->in->str);
  ck_assert_int_ge (sse_wait_for (s, upd, "}\n\n", 5), 0);
  /* the brief's bound is 2 s after the commit; one timer tick is 1 s */
  ck_assert_int_le (g_get_monotonic_time () - t0, 3 * G_USEC_PER_SEC);
  update = sse_event_data (s, upd);
  item = json_node_get_object (update);
  ck_assert_int_eq (json_object_get_int_member (item, "point_id"), 1);
  ck_assert (!json_object_get_boolean_member (item, "stale"));
  {
    JsonObject *value
        = json_array_get_object_element (json_object_get_array_member (item, "values"), 0);
    ck_assert_str_eq (json_object_get_string_member (value, "parameter"), "T_in");
    ck_assert_double_eq (json_object_get_double_member (value, "value"), 55.5);
    ck_assert_str_eq (json_object_get_string_member (value, "unit"), "degC");
  }
  /* one update only: point 3's record is not sent, point 1's not twice */
  ck_assert_int_lt (sse_wait_for (s, upd + 1, "event: update", 2), 0);
  ck_assert_msg (strstr (s->in->str, "9.25") == NULL, "%s", s->in->str);
}
END_TEST

/* A client that goes away leaves no stream behind */
START_TEST (test_stream_disconnect)
{
  g_autoptr (Sse) first = sse_open ("/api/v1/current/stream", "text/event-stream");
  Sse *second = sse_open ("/api/v1/current/stream?point=2", "text/event-stream");

  ck_assert_int_ge (sse_wait_for (first, 0, "event: snapshot", 10), 0);
  ck_assert_int_ge (sse_wait_for (second, 0, "event: snapshot", 10), 0);
  ck_assert_uint_eq (lersd_current_get_n_streams (pfx.server), 2);
  sse_close (second);
  ck_assert_uint_eq (sse_wait_streams (1), 1);
  /* the first still gets its updates */
  {
    g_autoptr (GDateTime) now = g_date_time_new_now_utc ();
    current_write (3, now, 7.75, NAN);
  }
  ck_assert_int_ge (sse_wait_for (first, 0, "7.75", 5), 0);
}
END_TEST

/* max-streams 1: the second stream gets 503 busy; once the first leaves,
 * a new one is served */
START_TEST (test_stream_limit)
{
  g_autoptr (LersdConfig) config = lersd_config_new ();
  g_autoptr (GError) error = NULL;
  g_autoptr (Sse) first = NULL;
  g_autoptr (Sse) second = NULL;
  g_autoptr (Sse) third = NULL;
  gssize body;
  g_autoptr (JsonParser) parser = json_parser_new ();
  JsonObject *err;

  ck_assert (lersd_config_load_data (config, "[lersd]\nmax-streams=1\n", &error));
  ck_assert (lersd_server_configure (pfx.server, config, &error));
  first = sse_open ("/api/v1/current/stream", "text/event-stream");
  ck_assert_int_ge (sse_wait_for (first, 0, "event: snapshot", 10), 0);
  second = sse_open ("/api/v1/current/stream", "text/event-stream");
  body = sse_wait_for (second, 0, "\r\n\r\n", 10);
  ck_assert_int_ge (body, 0);
  ck_assert_msg (g_str_has_prefix (second->in->str, "HTTP/1.1 503"), "%s", second->in->str);
  ck_assert_int_ge (sse_wait_for (second, body, "}}", 5), 0);
  ck_assert (
      json_parser_load_from_data (parser, strstr (second->in->str, "{\"error\""), -1, &error));
  err = json_object_get_object_member (json_node_get_object (json_parser_get_root (parser)),
                                       "error");
  ck_assert_str_eq (json_object_get_string_member (err, "code"), "busy");
  ck_assert_uint_eq (lersd_current_get_n_streams (pfx.server), 1);

  g_clear_pointer (&first, sse_close);
  ck_assert_uint_eq (sse_wait_streams (0), 0);
  third = sse_open ("/api/v1/current/stream", "text/event-stream");
  ck_assert_int_ge (sse_wait_for (third, 0, "event: snapshot", 10), 0);
}
END_TEST

/* One user may have 8 streams open: the ninth gets 503 busy; another user
 * is still served; once one of the eight closes, the user may open one
 * again (review of issue 15) */
START_TEST (test_stream_user_limit)
{
  g_autofree gchar *token = lers_check_http_user_token ("viewer3", LERS_USER_ROLE_VIEWER, NULL);
  Sse *streams[8];
  g_autoptr (Sse) ninth = NULL;
  g_autoptr (Sse) other = NULL;
  g_autoptr (Sse) again = NULL;

  for (guint i = 0; i < G_N_ELEMENTS (streams); i++)
    {
      streams[i] = sse_open_as ("/api/v1/current/stream", "text/event-stream", token);
      ck_assert_int_ge (sse_wait_for (streams[i], 0, "event: snapshot", 10), 0);
    }
  ck_assert_uint_eq (lersd_current_get_n_streams (pfx.server), 8);
  ninth = sse_open_as ("/api/v1/current/stream", "text/event-stream", token);
  ck_assert_int_ge (sse_wait_for (ninth, 0, "}}", 10), 0);
  ck_assert_msg (g_str_has_prefix (ninth->in->str, "HTTP/1.1 503"), "%s", ninth->in->str);
  ck_assert_msg (strstr (ninth->in->str, "\"code\":\"busy\"") != NULL, "%s", ninth->in->str);
  ck_assert_uint_eq (lersd_current_get_n_streams (pfx.server), 8);
  /* the admin (another user) */
  other = sse_open ("/api/v1/current/stream", "text/event-stream");
  ck_assert_int_ge (sse_wait_for (other, 0, "event: snapshot", 10), 0);
  ck_assert_uint_eq (lersd_current_get_n_streams (pfx.server), 9);
  sse_close (streams[0]);
  ck_assert_uint_eq (sse_wait_streams (8), 8);
  again = sse_open_as ("/api/v1/current/stream", "text/event-stream", token);
  ck_assert_int_ge (sse_wait_for (again, 0, "event: snapshot", 10), 0);
  for (guint i = 1; i < G_N_ELEMENTS (streams); i++)
    sse_close (streams[i]);
}
END_TEST

/* A client that does not ask for an event stream gets the snapshot alone,
 * and the answer ends */
START_TEST (test_stream_snapshot_only)
{
  g_autoptr (PollResponse) r = poll_request ("GET", "/api/v1/current/stream?point=1", NULL);

  ck_assert_msg (r->status == 200, "%u %s", r->status, r->body);
  ck_assert_str_eq (r->content_type, "text/event-stream; charset=utf-8");
  ck_assert_msg (g_str_has_prefix (r->body, "event: snapshot\ndata: {\"items\":[{\"point_id\":1,"),
                 "%s", r->body);
  ck_assert (g_str_has_suffix (r->body, "\n\n"));
  ck_assert_uint_eq (lersd_current_get_n_streams (pfx.server), 0);
}
END_TEST

/* Stopping the server ends the streams */
START_TEST (test_stream_server_stop)
{
  g_autoptr (Sse) s = sse_open ("/api/v1/current/stream", "text/event-stream");

  ck_assert_int_ge (sse_wait_for (s, 0, "event: snapshot", 10), 0);
  lersd_current_stop (pfx.server);
  ck_assert_uint_eq (lersd_current_get_n_streams (pfx.server), 0);
  /* the chunked body's end */
  ck_assert_int_ge (sse_wait_for (s, 0, "\r\n0\r\n\r\n", 5), 0);
}
END_TEST

/* The caller's session ends (its token is revoked): the stream ends at the
 * next ping, 15 s later */
START_TEST (test_stream_session_end)
{
  g_autofree gchar *token = lers_check_http_user_token ("viewer1", LERS_USER_ROLE_VIEWER, NULL);
  g_autoptr (Sse) s = sse_open_as ("/api/v1/current/stream", "text/event-stream", token);

  ck_assert_int_ge (sse_wait_for (s, 0, "event: snapshot", 10), 0);
  ck_assert_uint_eq (lersd_current_get_n_streams (pfx.server), 1);
  lers_check_sql_exec ("DELETE FROM user_sessions WHERE user_id = "
                       "(SELECT id FROM users WHERE login = 'viewer1')");
  /* the ping, then the chunked body's end */
  ck_assert_int_ge (sse_wait_for (s, 0, ": ping\n\n", 20), 0);
  ck_assert_int_ge (sse_wait_for (s, 0, "\r\n0\r\n\r\n", 10), 0);
  ck_assert_uint_eq (sse_wait_streams (0), 0);
}
END_TEST

/* A stream's pings check the browser session without extending it: its
 * expires_at and last_used_at (set by SQL after the stream opened) are the
 * same after three pings, one a second (review of issue 15) */
START_TEST (test_stream_ping_keeps_expiry)
{
  g_autofree gchar *token = lers_check_http_user_token ("viewer2", LERS_USER_ROLE_VIEWER, NULL);
  g_autoptr (LersAccounts) accounts = lers_accounts_new (lers_check_get_store ());
  g_autoptr (LersUser) user = NULL;
  g_autoptr (GError) error = NULL;
  g_autofree gchar *secret = NULL;
  g_autofree gchar *cookie = NULL;
  g_autofree gchar *before = NULL;
  g_autofree gchar *after = NULL;
  g_autoptr (Sse) s = NULL;
  gint64 session_id = 0;
  gssize at = 0;
  const gchar *when = "SELECT expires_at::text || ' ' || last_used_at::text FROM user_sessions "
                      "WHERE kind = 0 AND user_id = (SELECT id FROM users WHERE login = 'viewer2')";

  user = lers_accounts_authenticate_sync (accounts, token, LERS_SESSION_KIND_TOKEN, NULL, NULL,
                                          NULL, &error);
  lers_check_assert_no_error (error);
  secret = lers_accounts_create_session_sync (accounts, lers_user_get_id (user),
                                              LERS_SESSION_KIND_BROWSER, NULL, NULL, NULL,
                                              &session_id, NULL, NULL, &error);
  lers_check_assert_no_error (error);
  lersd_current_set_ping_interval (pfx.server, 1);
  cookie = g_strdup_printf ("Cookie: %s=%s", LERSD_SESSION_COOKIE, secret);
  s = sse_open_with ("/api/v1/current/stream", "text/event-stream", cookie);
  ck_assert_int_ge (sse_wait_for (s, 0, "event: snapshot", 10), 0);
  /* an hour left, last used 2 minutes ago: authenticating would move both */
  lers_check_sql_exec ("UPDATE user_sessions SET expires_at = now() + interval '1 hour', "
                       "last_used_at = now() - interval '2 minutes' WHERE kind = 0");
  before = lers_check_sql_value (when);
  ck_assert_ptr_nonnull (before);
  for (guint i = 0; i < 3; i++)
    {
      at = sse_wait_for (s, at, ": ping\n\n", 5);
      ck_assert_int_ge (at, 0);
      at++;
    }
  ck_assert_uint_eq (lersd_current_get_n_streams (pfx.server), 1);
  after = lers_check_sql_value (when);
  ck_assert_str_eq (after, before);
}
END_TEST

/* A subscriber's scope is removed while its stream is open: the stream
 * ends at the next ping (one a second here) rather than keep sending the
 * node's values (review of issue 15) */
START_TEST (test_stream_scope_removed)
{
  g_autoptr (LersAccounts) accounts = lers_accounts_new (lers_check_get_store ());
  g_autoptr (GError) error = NULL;
  g_autofree gchar *token = lers_check_http_user_token ("sub2", LERS_USER_ROLE_SUBSCRIBER, NULL);
  gint64 sub_id = lers_check_sql_int ("SELECT id FROM users WHERE login = 'sub2'");
  g_autoptr (Sse) s = NULL;

  ck_assert_msg (
      lers_accounts_add_scope_sync (accounts, sub_id, LERS_SCOPE_KIND_NODE, 1, NULL, &error), "%s",
      error != NULL ? error->message : "");
  lersd_current_set_ping_interval (pfx.server, 1);
  s = sse_open_as ("/api/v1/current/stream", "text/event-stream", token);
  ck_assert_int_ge (sse_wait_for (s, 0, "event: snapshot", 10), 0);
  ck_assert_uint_eq (lersd_current_get_n_streams (pfx.server), 1);
  /* two pings: the rights are unchanged, the stream stays */
  ck_assert_int_ge (sse_wait_for (s, sse_wait_for (s, 0, ": ping\n\n", 5) + 1, ": ping\n\n", 5), 0);
  ck_assert_uint_eq (lersd_current_get_n_streams (pfx.server), 1);
  ck_assert_msg (
      lers_accounts_remove_scope_sync (accounts, sub_id, LERS_SCOPE_KIND_NODE, 1, NULL, &error),
      "%s", error != NULL ? error->message : "");
  /* the chunked body's end */
  ck_assert_int_ge (sse_wait_for (s, 0, "\r\n0\r\n\r\n", 5), 0);
  ck_assert_uint_eq (sse_wait_streams (0), 0);
}
END_TEST

static Suite *
current_suite (void)
{
  Suite *s = suite_create ("current-api");
  TCase *tc = tcase_create ("current");

  tcase_set_timeout (tc, 120);
  tcase_add_unchecked_fixture (tc, lers_check_cluster_setup, lers_check_cluster_teardown);
  tcase_add_checked_fixture (tc, current_setup, current_teardown);
  tcase_add_test (tc, test_values_and_units);
  tcase_add_test (tc, test_filters);
  tcase_add_test (tc, test_subscriber);
  tcase_add_test (tc, test_stale);
  tcase_add_test (tc, test_stream_update);
  tcase_add_test (tc, test_stream_disconnect);
  tcase_add_test (tc, test_stream_limit);
  tcase_add_test (tc, test_stream_snapshot_only);
  tcase_add_test (tc, test_stream_server_stop);
  tcase_add_test (tc, test_stream_session_end);
  tcase_add_test (tc, test_stream_ping_keeps_expiry);
  tcase_add_test (tc, test_stream_scope_removed);
  tcase_add_test (tc, test_stream_user_limit);
  suite_add_tcase (s, tc);
  return s;
}

int
main (int argc, char **argv)
{
  lers_check_init (&argc, &argv);
  return lers_check_run_suite (current_suite ());
}
