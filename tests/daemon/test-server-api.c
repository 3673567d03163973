/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * What the web workstation asks the server (issue 15): GET /server (the
 * status bar), node and point states, a point's schedule written back,
 * authorising a polling service, and field errors of the generic
 * resources. The server runs in Asia/Vladivostok (UTC+10 all year, TZ set
 * in main()), so times carry +10:00.
 */
#include "config.h"

#include "auth-test-util.h"

static void
server_setup (void)
{
  lers_check_store_setup ();
  poll_seed_points ();
  poll_server_start ();
}

static void
server_teardown (void)
{
  poll_server_stop ();
  auth_strings_clear ();
  lers_check_store_teardown ();
}

/* @method @target with @body as @token's user ("Bearer …") */
static PollResponse *
request_with_token (const gchar *method, const gchar *target, const gchar *body, const gchar *token)
{
  g_autofree gchar *bearer = auth_bearer (token);
  return poll_request_as (method, target, body, bearer);
}

static JsonObject *
response_object (PollResponse *r, guint status, JsonNode **root)
{
  ck_assert_msg (r->status == status, "expected %u, got %u: %s", status, r->status, r->body);
  *root = poll_response_json (r);
  ck_assert_msg (JSON_NODE_HOLDS_OBJECT (*root), "%s", r->body);
  return json_node_get_object (*root);
}

/* A subscriber who sees node @node_id only */
static gchar *
subscriber_token (const gchar *login, gint64 node_id)
{
  g_autoptr (LersAccounts) accounts = lers_accounts_new (lers_check_get_store ());
  g_autoptr (GError) error = NULL;
  g_autofree gchar *sql = g_strdup_printf ("SELECT id FROM users WHERE login = '%s'", login);
  gchar *token = lers_check_http_user_token (login, LERS_USER_ROLE_SUBSCRIBER, NULL);
  gint64 user_id = lers_check_sql_int (sql);

  ck_assert_msg (
      lers_accounts_add_scope_sync (accounts, user_id, LERS_SCOPE_KIND_NODE, node_id, NULL, &error),
      "%s", error != NULL ? error->message : "");
  return token;
}

/* ---------------------------------------------------------------------------
 * GET /server
 * ------------------------------------------------------------------------- */

/* The admin over poll_seed_situation() (see poll-test-util.h), worked out
 * by hand from its rows:
 *   services 4 rows (north, south, east, dead); south is not authorised → 3
 *   ports: max_links of the authorised ones: north 8 + east 4 + dead 16 = 28
 *   ports_active: the running services' (north; dead's heartbeat is 300 s
 *     old, beyond the 60 s lease) = 8
 *   ports_free: 8 − 1 link leased to north = 7
 *   jobs_queued: the two jobs of state 0 = 2 */
START_TEST (test_server_admin)
{
  g_autoptr (PollResponse) r = NULL;
  g_autoptr (JsonNode) root = NULL;
  g_autoptr (LersdConfig) config = lersd_config_new ();
  g_autoptr (GError) error = NULL;
  JsonObject *o, *map, *user, *polling;
  const gchar *time;
  g_autoptr (GDateTime) parsed = NULL;
  g_autoptr (GDateTime) now = g_date_time_new_now_utc ();

  poll_seed_situation ();
  ck_assert (lersd_config_load_data (config,
                                     "[lersd]\nserver-name=ТСК Восток\n"
                                     "map-tile-url=https://tile.example.org/{z}/{x}/{y}.png\n"
                                     "map-attribution=© OpenStreetMap\n",
                                     &error));
  ck_assert (lersd_server_configure (pfx.server, config, &error));

  r = poll_request ("GET", "/api/v1/server", NULL);
  o = response_object (r, 200, &root);
  ck_assert_str_eq (json_object_get_string_member (o, "name"), "ТСК Восток");
  ck_assert_str_eq (json_object_get_string_member (o, "version"), "0.6.0");
  ck_assert_str_eq (json_object_get_string_member (o, "time_zone"), "Asia/Vladivostok");
  time = json_object_get_string_member (o, "time");
  ck_assert_msg (g_str_has_suffix (time, "+10:00"), "%s", time);
  parsed = g_date_time_new_from_iso8601 (time, NULL);
  ck_assert (parsed != NULL);
  ck_assert (ABS (g_date_time_difference (parsed, now)) < 60 * G_TIME_SPAN_SECOND);
  map = json_object_get_object_member (o, "map");
  ck_assert_str_eq (json_object_get_string_member (map, "tile_url"),
                    "https://tile.example.org/{z}/{x}/{y}.png");
  ck_assert_str_eq (json_object_get_string_member (map, "attribution"), "© OpenStreetMap");
  user = json_object_get_object_member (o, "user");
  ck_assert_str_eq (json_object_get_string_member (user, "login"), "lers-test-admin");
  ck_assert_str_eq (json_object_get_string_member (user, "role"), "admin");
  polling = json_object_get_object_member (o, "polling");
  ck_assert_msg (polling != NULL, "%s", r->body);
  ck_assert_int_eq (json_object_get_int_member (polling, "services"), 4);
  ck_assert_int_eq (json_object_get_int_member (polling, "services_authorised"), 3);
  ck_assert_int_eq (json_object_get_int_member (polling, "ports"), 28);
  ck_assert_int_eq (json_object_get_int_member (polling, "ports_active"), 8);
  ck_assert_int_eq (json_object_get_int_member (polling, "ports_free"), 7);
  ck_assert_int_eq (json_object_get_int_member (polling, "jobs_queued"), 2);
}
END_TEST

/* A subscriber: no polling figures; no tiles configured → ""; no
 * credentials → 401 */
START_TEST (test_server_subscriber)
{
  g_autofree gchar *token = subscriber_token ("abonent", 1);
  g_autoptr (PollResponse) r = request_with_token ("GET", "/api/v1/server", NULL, token);
  g_autoptr (PollResponse) anonymous = poll_request_as ("GET", "/api/v1/server", NULL, "");
  g_autoptr (JsonNode) root = NULL;
  JsonObject *o = response_object (r, 200, &root);
  JsonObject *user = json_object_get_object_member (o, "user");

  ck_assert_str_eq (json_object_get_string_member (user, "login"), "abonent");
  ck_assert_str_eq (json_object_get_string_member (user, "role"), "subscriber");
  ck_assert_msg (!json_object_has_member (o, "polling"), "%s", r->body);
  ck_assert_str_eq (
      json_object_get_string_member (json_object_get_object_member (o, "map"), "tile_url"), "");
  /* the host name when server-name is not set */
  ck_assert_str_eq (json_object_get_string_member (o, "name"), g_get_host_name ());
  poll_assert_error (anonymous, 401, "unauthorized");
}
END_TEST

/* ---------------------------------------------------------------------------
 * States
 * ------------------------------------------------------------------------- */

/* Inserts an archive record (its month's partition first); @ts is SQL */
static void
insert_record (gint64 point_id, gint kind, const gchar *ts, const gchar *hex)
{
  g_autofree gchar *part = g_strdup_printf ("SELECT lers_archive_ensure_partition (%s)", ts);
  g_autofree gchar *sql
      = g_strdup_printf ("INSERT INTO archive (point_id, kind, ts, data) VALUES (%" G_GINT64_FORMAT
                         ", %d, %s, decode ('%s', 'hex'))",
                         point_id, kind, ts, hex);

  lers_check_sql_exec (part);
  lers_check_sql_exec (sql);
}

/* One value: parameter 1, flags 0 (GOOD) or 1 (BAD), 1.0 as little-endian
 * binary64 (0x3FF0000000000000) */
#define GOOD "0100000000000000f03f"
#define BAD "0101000000000000f03f"

/* Node 1 (poll_seed_points): points 1, 2, 4 with devices, 3 without, no
 * record at all                                          → unknown
 * Node 2, point 10: hourly 1 h ago, good; a BAD day record 30 min ago
 *   (only hourly and current records count); an alarm 25 h ago (older than
 *   24 h) and a warning-severity event 1 h ago; last job done → normal
 * Node 3, point 11: newest record 2026-01-01T00:00:00Z, more than 26 h
 *   ago, and a device                                    → warning (stale)
 * Node 4, point 12: hourly 1 h ago good; the newest finished job (1 h ago)
 *   failed "No answer", an older one (3 h ago) was done    → warning
 * Node 5, point 13: hourly 2 h ago good, 1 h ago BAD      → critical
 * Node 6, point 14: hourly 1 h ago good, an alarm "power-off" 2 h ago
 *   → critical; point 15 (no record) leaves the node critical */
static void
seed_states (void)
{
  lers_check_sql_exec (
      "INSERT INTO nodes (id, territory_id, title) VALUES (2, 1, 'Норма'), (3, 1, 'Старые'), "
      "(4, 1, 'Сбой опроса'), (5, 1, 'НС'), (6, 1, 'Авария')");
  lers_check_sql_exec ("INSERT INTO connections (id, kind, host, port) VALUES "
                       "(10, 0, '127.0.0.1', 15010)");
  lers_check_sql_exec ("INSERT INTO devices (id, protocol, serial_number, connection_id) VALUES "
                       "(10, 'mbus', '20000010', 10), (11, 'mbus', '20000011', 10), "
                       "(12, 'mbus', '20000012', 10), (13, 'mbus', '20000013', 10), "
                       "(14, 'mbus', '20000014', 10), (15, 'mbus', '20000015', 10)");
  lers_check_sql_exec ("INSERT INTO measure_points (id, node_id, title, device_id) VALUES "
                       "(10, 2, 'Отопление', 10), (11, 3, 'Отопление', 11), "
                       "(12, 4, 'Отопление', 12), (13, 5, 'Отопление', 13), "
                       "(14, 6, 'Отопление', 14), (15, 6, 'ГВС', 15)");
  insert_record (10, 1, "date_trunc ('hour', now ()) - interval '1 hour'", GOOD);
  insert_record (10, 2, "now () - interval '30 minutes'", BAD);
  insert_record (11, 1, "'2026-01-01T00:00:00Z'::timestamptz", GOOD);
  insert_record (12, 1, "date_trunc ('hour', now ()) - interval '1 hour'", GOOD);
  insert_record (13, 1, "date_trunc ('hour', now ()) - interval '2 hours'", GOOD);
  insert_record (13, 1, "date_trunc ('hour', now ()) - interval '1 hour'", BAD);
  insert_record (14, 1, "date_trunc ('hour', now ()) - interval '1 hour'", GOOD);
  lers_check_sql_exec ("INSERT INTO meter_events (point_id, code, started_at, severity) VALUES "
                       "(10, 'power-off', now () - interval '25 hours', 2), "
                       "(10, 'clock-set', now () - interval '1 hour', 1), "
                       "(14, 'power-off', now () - interval '2 hours', 2)");
  lers_check_sql_exec (
      "INSERT INTO poll_jobs (connection_id, point_id, kind, state, created_at, finished_at, "
      "error) VALUES "
      "(10, 10, 1, 2, now () - interval '1 hour', now () - interval '1 hour', NULL), "
      "(10, 12, 1, 2, now () - interval '3 hours', now () - interval '3 hours', NULL), "
      "(10, 12, 1, 3, now () - interval '1 hour', now () - interval '1 hour', 'No answer')");
}

/* The item of @items whose @key is @id */
static JsonObject *
find_item (JsonArray *items, const gchar *key, gint64 id)
{
  for (guint i = 0; i < json_array_get_length (items); i++)
    {
      JsonObject *o = json_array_get_object_element (items, i);
      if (json_object_get_int_member (o, key) == id)
        return o;
    }
  ck_abort_msg ("no %s %" G_GINT64_FORMAT, key, id);
  return NULL;
}

/* The codes of an item's problems, joined by "," */
static gchar *
problem_codes (JsonObject *item)
{
  JsonArray *problems = json_object_get_array_member (item, "problems");
  GString *out = g_string_new (NULL);

  for (guint i = 0; i < json_array_get_length (problems); i++)
    {
      JsonObject *p = json_array_get_object_element (problems, i);
      if (i > 0)
        g_string_append_c (out, ',');
      g_string_append (out, json_object_get_string_member (p, "code"));
      ck_assert (strlen (json_object_get_string_member (p, "message")) > 0);
    }
  return g_string_free (out, FALSE);
}

static void
assert_state (JsonArray *items, const gchar *key, gint64 id, const gchar *state, const gchar *codes)
{
  JsonObject *o = find_item (items, key, id);
  g_autofree gchar *got = problem_codes (o);

  ck_assert_msg (g_str_equal (json_object_get_string_member (o, "state"), state),
                 "%s %" G_GINT64_FORMAT ": %s, expected %s", key, id,
                 json_object_get_string_member (o, "state"), state);
  ck_assert_str_eq (got, codes);
}

START_TEST (test_nodes_states)
{
  g_autoptr (PollResponse) r = NULL;
  g_autoptr (JsonNode) root = NULL;
  g_autoptr (GDateTime) now = g_date_time_new_now_utc ();
  g_autoptr (GDateTime) last = NULL;
  JsonObject *o;
  JsonArray *items;

  seed_states ();
  r = poll_request ("GET", "/api/v1/nodes/states", NULL);
  o = response_object (r, 200, &root);
  items = json_object_get_array_member (o, "items");
  ck_assert_uint_eq (json_array_get_length (items), 6);
  ck_assert (JSON_NODE_HOLDS_NULL (json_object_get_member (o, "next")));
  assert_state (items, "node_id", 1, "unknown", "");
  ck_assert (JSON_NODE_HOLDS_NULL (
      json_object_get_member (find_item (items, "node_id", 1), "last_reading")));
  assert_state (items, "node_id", 2, "normal", "");
  assert_state (items, "node_id", 3, "warning", "stale");
  /* 2026-01-01T00:00:00Z in UTC+10 */
  ck_assert_str_eq (json_object_get_string_member (find_item (items, "node_id", 3), "last_reading"),
                    "2026-01-01T10:00:00+10:00");
  assert_state (items, "node_id", 4, "warning", "poll-failed");
  assert_state (items, "node_id", 5, "critical", "bad-value");
  assert_state (items, "node_id", 6, "critical", "alarm-event");
  /* node 2's newest record is the day record of 30 minutes ago */
  last = g_date_time_new_from_iso8601 (
      json_object_get_string_member (find_item (items, "node_id", 2), "last_reading"), NULL);
  ck_assert (last != NULL);
  ck_assert_int_ge (g_date_time_difference (now, last), 29 * G_TIME_SPAN_MINUTE);
  ck_assert_int_le (g_date_time_difference (now, last), 31 * G_TIME_SPAN_MINUTE);
  /* the problem names its point */
  ck_assert_int_eq (
      json_object_get_int_member (
          json_array_get_object_element (
              json_object_get_array_member (find_item (items, "node_id", 6), "problems"), 0),
          "point_id"),
      14);
}
END_TEST

START_TEST (test_points_states)
{
  g_autoptr (PollResponse) r = NULL;
  g_autoptr (JsonNode) root = NULL;
  JsonArray *items;

  seed_states ();
  r = poll_request ("GET", "/api/v1/points/states", NULL);
  items = json_object_get_array_member (response_object (r, 200, &root), "items");
  /* points 1–4 and 10–15 */
  ck_assert_uint_eq (json_array_get_length (items), 10);
  assert_state (items, "point_id", 3, "unknown", "");
  assert_state (items, "point_id", 10, "normal", "");
  assert_state (items, "point_id", 11, "warning", "stale");
  assert_state (items, "point_id", 12, "warning", "poll-failed");
  assert_state (items, "point_id", 13, "critical", "bad-value");
  assert_state (items, "point_id", 14, "critical", "alarm-event");
  assert_state (items, "point_id", 15, "unknown", "");
  ck_assert_int_eq (json_object_get_int_member (find_item (items, "point_id", 15), "node_id"), 6);
}
END_TEST

/* A subscriber of node 5 sees node 5 and its point only */
START_TEST (test_states_subscriber)
{
  g_autofree gchar *token = NULL;
  g_autoptr (PollResponse) nodes = NULL;
  g_autoptr (PollResponse) points = NULL;
  g_autoptr (JsonNode) root1 = NULL;
  g_autoptr (JsonNode) root2 = NULL;
  JsonArray *items;

  seed_states ();
  token = subscriber_token ("abonent5", 5);
  nodes = request_with_token ("GET", "/api/v1/nodes/states", NULL, token);
  items = json_object_get_array_member (response_object (nodes, 200, &root1), "items");
  ck_assert_uint_eq (json_array_get_length (items), 1);
  assert_state (items, "node_id", 5, "critical", "bad-value");
  points = request_with_token ("GET", "/api/v1/points/states", NULL, token);
  items = json_object_get_array_member (response_object (points, 200, &root2), "items");
  ck_assert_uint_eq (json_array_get_length (items), 1);
  assert_state (items, "point_id", 13, "critical", "bad-value");
}
END_TEST

/* The message of the first problem of @items' item @key = @id */
static const gchar *
problem_message (JsonArray *items, const gchar *key, gint64 id)
{
  JsonArray *problems = json_object_get_array_member (find_item (items, key, id), "problems");

  ck_assert_uint_ge (json_array_get_length (problems), 1);
  return json_object_get_string_member (json_array_get_object_element (problems, 0), "message");
}

/* The poll's error text ("No answer", seeded) goes to staff; a subscriber
 * of node 4 gets the code and the generic message only (review of issue 15) */
START_TEST (test_states_poll_error_text)
{
  g_autofree gchar *token = NULL;
  g_autoptr (PollResponse) staff = NULL;
  g_autoptr (PollResponse) nodes = NULL;
  g_autoptr (PollResponse) points = NULL;
  g_autoptr (JsonNode) root0 = NULL;
  g_autoptr (JsonNode) root1 = NULL;
  g_autoptr (JsonNode) root2 = NULL;
  JsonArray *items;
  const gchar *message;

  seed_states ();
  staff = poll_request ("GET", "/api/v1/points/states", NULL);
  items = json_object_get_array_member (response_object (staff, 200, &root0), "items");
  message = problem_message (items, "point_id", 12);
  ck_assert_msg (strstr (message, "No answer") != NULL, "%s", message);

  token = subscriber_token ("abonent4", 4);
  nodes = request_with_token ("GET", "/api/v1/nodes/states", NULL, token);
  items = json_object_get_array_member (response_object (nodes, 200, &root1), "items");
  assert_state (items, "node_id", 4, "warning", "poll-failed");
  message = problem_message (items, "node_id", 4);
  ck_assert_msg (strstr (message, "No answer") == NULL, "%s", message);
  points = request_with_token ("GET", "/api/v1/points/states", NULL, token);
  items = json_object_get_array_member (response_object (points, 200, &root2), "items");
  assert_state (items, "point_id", 12, "warning", "poll-failed");
  message = problem_message (items, "point_id", 12);
  ck_assert_msg (strstr (message, "No answer") == NULL, "%s", message);
  ck_assert_msg (strstr (nodes->body, "No answer") == NULL
                     && strstr (points->body, "No answer") == NULL,
                 "%s", points->body);
}
END_TEST

/* ---------------------------------------------------------------------------
 * PUT /points/{id}/schedule
 * ------------------------------------------------------------------------- */

static JsonObject *
schedule_entry (JsonArray *schedule, const gchar *kind)
{
  for (guint i = 0; i < json_array_get_length (schedule); i++)
    {
      JsonObject *o = json_array_get_object_element (schedule, i);
      if (g_str_equal (json_object_get_string_member (o, "kind"), kind))
        return o;
    }
  ck_abort_msg ("no %s", kind);
  return NULL;
}

START_TEST (test_schedule_put)
{
  g_autoptr (PollResponse) put = NULL;
  g_autoptr (PollResponse) get = NULL;
  g_autoptr (PollResponse) reset = NULL;
  g_autoptr (PollResponse) viewer = NULL;
  g_autoptr (PollResponse) bad = NULL;
  g_autoptr (JsonNode) root = NULL;
  g_autoptr (JsonNode) get_root = NULL;
  g_autofree gchar *viewer_token = NULL;
  JsonArray *schedule;
  JsonObject *current, *day;

  put = poll_request ("PUT", "/api/v1/points/1/schedule",
                      "[{\"kind\": \"current\", \"enabled\": true, \"every_minutes\": 15, "
                      "\"at_minutes\": 5}, {\"kind\": \"day\", \"enabled\": false, "
                      "\"every_minutes\": 1440, \"at_minutes\": 30, \"polled\": true}]");
  ck_assert_msg (put->status == 200, "%u %s", put->status, put->body);
  root = poll_response_json (put);
  schedule = json_node_get_array (root);
  current = schedule_entry (schedule, "current");
  ck_assert (json_object_get_boolean_member (current, "enabled"));
  ck_assert_int_eq (json_object_get_int_member (current, "every_minutes"), 15);
  ck_assert_int_eq (json_object_get_int_member (current, "at_minutes"), 5);
  ck_assert (!json_object_get_boolean_member (current, "default"));
  day = schedule_entry (schedule, "day");
  ck_assert (!json_object_get_boolean_member (day, "enabled"));
  ck_assert_str_eq (
      auth_sql ("SELECT string_agg (kind || ':' || enabled || ':' || every_minutes || ':' || "
                "at_minutes, ' ' ORDER BY kind) FROM poll_schedules WHERE point_id = 1"),
      "0:true:15:5 2:false:1440:30");
  /* GET gives back what was put */
  get = poll_request ("GET", "/api/v1/points/1/schedule", NULL);
  ck_assert_uint_eq (get->status, 200);
  get_root = poll_response_json (get);
  ck_assert_int_eq (
      json_object_get_int_member (schedule_entry (json_node_get_array (get_root), "current"),
                                  "every_minutes"),
      15);
  ck_assert_int_eq (lers_check_sql_int ("SELECT count(*) FROM audit_log WHERE action = 'update' "
                                        "AND entity = 'schedule' AND entity_id = 1 AND login = "
                                        "'lers-test-admin' AND jsonb_array_length (after -> "
                                        "'schedules') = 6"),
                    1);

  /* back to the default: the row goes */
  reset = poll_request ("PUT", "/api/v1/points/1/schedule",
                        "[{\"kind\": \"current\", \"default\": true}]");
  ck_assert_msg (reset->status == 200, "%u %s", reset->status, reset->body);
  ck_assert_str_eq (auth_sql ("SELECT string_agg (kind::text, ' ') FROM poll_schedules WHERE "
                              "point_id = 1"),
                    "2");

  /* a bad entry stores nothing: 7 does not divide a day */
  bad = poll_request ("PUT", "/api/v1/points/1/schedule",
                      "[{\"kind\": \"hour\", \"every_minutes\": 60}, "
                      "{\"kind\": \"month\", \"every_minutes\": 7}]");
  poll_assert_error (bad, 400, "invalid-argument");
  ck_assert_int_eq (lers_check_sql_int ("SELECT count(*) FROM poll_schedules WHERE point_id = 1"),
                    1);

  /* an empty array changes nothing: 400 */
  {
    g_autoptr (PollResponse) empty = poll_request ("PUT", "/api/v1/points/1/schedule", "[]");
    poll_assert_error (empty, 400, "invalid-argument");
  }

  /* a viewer may read but not change */
  viewer_token = lers_check_http_user_token ("viewer1", LERS_USER_ROLE_VIEWER, NULL);
  viewer = request_with_token ("PUT", "/api/v1/points/1/schedule",
                               "[{\"kind\": \"hour\", \"every_minutes\": 60}]", viewer_token);
  poll_assert_error (viewer, 403, "forbidden");
  ck_assert_int_eq (lers_check_sql_int ("SELECT count(*) FROM poll_schedules WHERE point_id = 1"),
                    1);
}
END_TEST

/* ---------------------------------------------------------------------------
 * POST /poll/services/{name}/authorise
 * ------------------------------------------------------------------------- */

START_TEST (test_authorise)
{
  g_autoptr (PollResponse) r = NULL;
  g_autoptr (PollResponse) off = NULL;
  g_autoptr (PollResponse) missing = NULL;
  g_autoptr (PollResponse) bad = NULL;
  g_autoptr (PollResponse) op = NULL;
  g_autoptr (JsonNode) root = NULL;
  g_autofree gchar *op_token = NULL;
  JsonObject *o;

  poll_seed_situation ();
  r = poll_request ("POST", "/api/v1/poll/services/south/authorise", "{\"authorised\": true}");
  o = response_object (r, 200, &root);
  ck_assert_str_eq (json_object_get_string_member (o, "name"), "south");
  ck_assert (json_object_get_boolean_member (o, "authorised"));
  ck_assert_str_eq (auth_sql ("SELECT authorised FROM poll_services WHERE name = 'south'"), "t");
  ck_assert_str_eq (auth_sql ("SELECT after::text FROM audit_log WHERE action = 'authorise' "
                              "AND entity = 'poll-service' AND entity_id = (SELECT id FROM "
                              "poll_services WHERE name = 'south')"),
                    "{\"authorised\": true}");

  off = poll_request ("POST", "/api/v1/poll/services/north/authorise", "{\"authorised\": false}");
  ck_assert_msg (off->status == 200, "%u %s", off->status, off->body);
  ck_assert_str_eq (auth_sql ("SELECT authorised FROM poll_services WHERE name = 'north'"), "f");
  ck_assert_int_eq (lers_check_sql_int ("SELECT count(*) FROM audit_log WHERE action = "
                                        "'unauthorise' AND entity = 'poll-service'"),
                    1);

  missing = poll_request ("POST", "/api/v1/poll/services/west/authorise", "{\"authorised\": true}");
  poll_assert_error (missing, 404, "not-found");
  bad = poll_request ("POST", "/api/v1/poll/services/east/authorise", "{\"authorised\": 1}");
  poll_assert_error (bad, 400, "invalid-argument");

  /* an operator may not */
  op_token = lers_check_http_user_token ("operator1", LERS_USER_ROLE_OPERATOR, NULL);
  op = request_with_token ("POST", "/api/v1/poll/services/south/authorise",
                           "{\"authorised\": false}", op_token);
  poll_assert_error (op, 403, "forbidden");
  ck_assert_str_eq (auth_sql ("SELECT authorised FROM poll_services WHERE name = 'south'"), "t");
}
END_TEST

/* ---------------------------------------------------------------------------
 * Field errors
 * ------------------------------------------------------------------------- */

/* Fails unless @r is a 400 invalid-argument naming @field */
static void
assert_field_error (PollResponse *r, const gchar *field)
{
  g_autoptr (JsonNode) root = NULL;
  JsonObject *error;

  poll_assert_error (r, 400, "invalid-argument");
  root = poll_response_json (r);
  error = json_object_get_object_member (json_node_get_object (root), "error");
  ck_assert_msg (json_object_has_member (error, "field"), "%s", r->body);
  ck_assert_str_eq (json_object_get_string_member (error, "field"), field);
}

START_TEST (test_field_errors)
{
  g_autoptr (PollResponse) latitude = NULL;
  g_autoptr (PollResponse) unknown = NULL;
  g_autoptr (PollResponse) number = NULL;
  g_autoptr (PollResponse) patch = NULL;
  g_autoptr (PollResponse) not_json = NULL;
  g_autoptr (JsonNode) root = NULL;

  latitude = poll_request ("POST", "/api/v1/nodes", "{\"title\": \"ИТП 2\", \"latitude\": \"x\"}");
  assert_field_error (latitude, "latitude");
  unknown = poll_request ("POST", "/api/v1/points", "{\"title\": \"x\", \"colour\": \"red\"}");
  assert_field_error (unknown, "colour");
  /* nodes.number is unique (0002-natural-keys.sql); node 1 was inserted
   * with its id, so the identity starts past it */
  lers_check_sql_exec ("UPDATE nodes SET number = 'A-1' WHERE id = 1");
  lers_check_sql_exec ("SELECT setval (pg_get_serial_sequence ('nodes', 'id'), 100)");
  number = poll_request ("POST", "/api/v1/nodes", "{\"title\": \"Копия\", \"number\": \"A-1\"}");
  assert_field_error (number, "number");
  patch = poll_request ("PATCH", "/api/v1/nodes/1", "{\"longitude\": true}");
  assert_field_error (patch, "longitude");
  /* nothing was stored */
  ck_assert_int_eq (lers_check_sql_int ("SELECT count(*) FROM nodes"), 1);
  ck_assert_str_eq (auth_sql ("SELECT longitude FROM nodes WHERE id = 1"), "0");
  /* users: a taken login is 409 naming login, a bad role 400 naming role */
  {
    g_autoptr (PollResponse) first
        = poll_request ("POST", "/api/v1/users", "{\"login\": \"dup\", \"role\": \"viewer\"}");
    g_autoptr (PollResponse) again
        = poll_request ("POST", "/api/v1/users", "{\"login\": \"dup\", \"role\": \"admin\"}");
    g_autoptr (PollResponse) role
        = poll_request ("POST", "/api/v1/users", "{\"login\": \"new\", \"role\": \"king\"}");
    g_autoptr (PollResponse) email = poll_request ("POST", "/api/v1/users",
                                                   "{\"login\": \"new\", \"role\": \"viewer\", "
                                                   "\"email\": 5}");
    g_autoptr (JsonNode) again_root = NULL;

    ck_assert_msg (first->status == 201, "%u %s", first->status, first->body);
    poll_assert_error (again, 409, "conflict");
    again_root = poll_response_json (again);
    ck_assert_str_eq (
        json_object_get_string_member (
            json_object_get_object_member (json_node_get_object (again_root), "error"), "field"),
        "login");
    assert_field_error (role, "role");
    assert_field_error (email, "email");
    ck_assert_int_eq (lers_check_sql_int ("SELECT count(*) FROM users WHERE login = 'new'"), 0);
  }
  /* an error about no one member has no field */
  not_json = poll_request ("POST", "/api/v1/nodes", "{");
  poll_assert_error (not_json, 400, "invalid-argument");
  root = poll_response_json (not_json);
  ck_assert (!json_object_has_member (
      json_object_get_object_member (json_node_get_object (root), "error"), "field"));
}
END_TEST

static Suite *
server_suite (void)
{
  Suite *s = suite_create ("server-api");
  TCase *tc = tcase_create ("server-api");

  tcase_set_timeout (tc, 120);
  tcase_add_unchecked_fixture (tc, lers_check_cluster_setup, lers_check_cluster_teardown);
  tcase_add_checked_fixture (tc, server_setup, server_teardown);
  tcase_add_test (tc, test_server_admin);
  tcase_add_test (tc, test_server_subscriber);
  tcase_add_test (tc, test_nodes_states);
  tcase_add_test (tc, test_points_states);
  tcase_add_test (tc, test_states_subscriber);
  tcase_add_test (tc, test_states_poll_error_text);
  tcase_add_test (tc, test_schedule_put);
  tcase_add_test (tc, test_authorise);
  tcase_add_test (tc, test_field_errors);
  suite_add_tcase (s, tc);
  return s;
}

int
main (int argc, char **argv)
{
  /* before anything reads the local zone */
  g_setenv ("TZ", "Asia/Vladivostok", TRUE);
  lers_check_init (&argc, &argv);
  return lers_check_run_suite (server_suite ());
}
