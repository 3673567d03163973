/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The objects as REST resources (lersd-resource.c, routes/resources.c,
 * routes/points.c): their JSON, partial updates, and lists with filters,
 * ordering and keyset pages, checked against what SQL says. */
#include "config.h"

#include <check.h>
#include <json-glib/json-glib.h>
#include <libsoup/soup.h>
#include <lers.h>

#include "lers-check.h"
#include "lersd-resource.h"

/* ---- an in-process lersd on port 0 ------------------------------------- */

typedef struct
{
  LersdServer *server;
  SoupSession *session;
  guint port;
  gchar *token; /* sent as Authorization: Bearer, when set */
} Fixture;

static Fixture fx;

typedef struct
{
  guint status;
  gchar *location;
  gchar *text;
  JsonNode *json; /* NULL when the body is not JSON */
  gchar *what;
} Response;

static void
response_free (Response *r)
{
  g_free (r->location);
  g_free (r->text);
  g_clear_pointer (&r->json, json_node_unref);
  g_free (r->what);
  g_free (r);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Response, response_free)

static void
result_cb (GObject *source, GAsyncResult *res, gpointer user_data)
{
  *(GAsyncResult **) user_data = g_object_ref (res);
}

static Response *
http (const gchar *method, const gchar *target, const gchar *body)
{
  g_autofree gchar *url = g_strdup_printf ("http://127.0.0.1:%u/api/v1%s", fx.port, target);
  g_autoptr (SoupMessage) msg = soup_message_new (method, url);
  g_autoptr (GAsyncResult) res = NULL;
  g_autoptr (GError) error = NULL;
  g_autoptr (GBytes) bytes = NULL;
  Response *r = g_new0 (Response, 1);

  ck_assert_msg (msg != NULL, "libsoup cannot parse %s", url);
  if (fx.token != NULL)
    {
      g_autofree gchar *auth = g_strdup_printf ("Bearer %s", fx.token);
      soup_message_headers_replace (soup_message_get_request_headers (msg), "Authorization", auth);
    }
  if (body != NULL)
    {
      g_autoptr (GBytes) b = g_bytes_new (body, strlen (body));
      soup_message_set_request_body_from_bytes (msg, "application/json", b);
    }
  soup_session_send_and_read_async (fx.session, msg, G_PRIORITY_DEFAULT, NULL, result_cb, &res);
  while (res == NULL)
    g_main_context_iteration (NULL, TRUE);
  bytes = soup_session_send_and_read_finish (fx.session, res, &error);
  ck_assert_msg (bytes != NULL, "%s %s: %s", method, target, error ? error->message : "");
  r->status = soup_message_get_status (msg);
  r->location = g_strdup (
      soup_message_headers_get_one (soup_message_get_response_headers (msg), "Location"));
  r->text = g_bytes_get_size (bytes) > 0
                ? g_strndup (g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes))
                : g_strdup ("");
  r->json = r->text[0] != '\0' ? json_from_string (r->text, NULL) : NULL;
  r->what = g_strdup_printf ("%s %s", method, target);
  return r;
}

static Response *
get (const gchar *target)
{
  return http ("GET", target, NULL);
}

static void
assert_status (Response *r, guint status)
{
  ck_assert_msg (r->status == status, "%s: expected %u, got %u: %.400s", r->what, status, r->status,
                 r->text);
}

/* An error answer with @status and @code whose message contains @part */
static void
assert_error (Response *r, guint status, const gchar *code, const gchar *part)
{
  JsonObject *error;

  assert_status (r, status);
  ck_assert_msg (r->json != NULL && JSON_NODE_HOLDS_OBJECT (r->json), "%s: %s", r->what, r->text);
  error = json_object_get_object_member (json_node_get_object (r->json), "error");
  ck_assert_msg (error != NULL, "%s: %s", r->what, r->text);
  ck_assert_msg (g_strcmp0 (json_object_get_string_member (error, "code"), code) == 0, "%s: %s",
                 r->what, r->text);
  ck_assert_msg (part == NULL || strstr (json_object_get_string_member (error, "message"), part),
                 "%s: no “%s” in %s", r->what, part, r->text);
}

static JsonObject *
obj (Response *r)
{
  ck_assert_msg (r->json != NULL && JSON_NODE_HOLDS_OBJECT (r->json), "%s: %s", r->what, r->text);
  return json_node_get_object (r->json);
}

/* The ids of all the pages of a list, comma-separated, in order */
static gchar *
list_ids (const gchar *target)
{
  g_autoptr (GString) ids = g_string_new (NULL);
  g_autofree gchar *next = NULL;

  for (guint page = 0; page < 100; page++)
    {
      g_autofree gchar *t = next != NULL
                                ? g_strdup_printf ("%s%cafter=%s", target,
                                                   strchr (target, '?') != NULL ? '&' : '?', next)
                                : g_strdup (target);
      g_autoptr (Response) r = get (t);
      JsonArray *items;
      JsonNode *n;

      assert_status (r, SOUP_STATUS_OK);
      items = json_object_get_array_member (obj (r), "items");
      for (guint i = 0; i < json_array_get_length (items); i++)
        g_string_append_printf (
            ids, "%s%" G_GINT64_FORMAT, ids->len > 0 ? "," : "",
            json_object_get_int_member (json_array_get_object_element (items, i), "id"));
      n = json_object_get_member (obj (r), "next");
      g_clear_pointer (&next, g_free);
      if (json_node_is_null (n))
        return g_string_free (g_steal_pointer (&ids), FALSE);
      next = g_uri_escape_string (json_node_get_string (n), NULL, FALSE);
    }
  ck_abort_msg ("%s: more than 100 pages", target);
  return NULL;
}

/* SQL's answer: the ids of @table WHERE @where ORDER BY @order, id */
static gchar *
sql_ids (const gchar *table, const gchar *where, const gchar *order)
{
  g_autofree gchar *sql = g_strdup_printf (
      "SELECT coalesce(string_agg(id::text, ',' ORDER BY %s%sid), '') FROM %s WHERE %s",
      order != NULL ? order : "", order != NULL ? ", " : "", table, where);
  return lers_check_sql_value (sql);
}

static void
assert_list (const gchar *target, const gchar *table, const gchar *where, const gchar *order)
{
  g_autofree gchar *got = list_ids (target);
  g_autofree gchar *want = sql_ids (table, where, order);

  /* every list compared here has rows: an empty answer proves nothing */
  ck_assert_msg (want[0] != '\0', "%s: SQL finds no rows", target);
  ck_assert_msg (g_strcmp0 (got, want) == 0, "%s: got [%s], SQL says [%s]", target, got, want);
}

/* A user with @role and an API token of theirs; its id in @user_id */
static gchar *
make_token (const gchar *login, LersUserRole role, gint64 *user_id)
{
  g_autoptr (LersAccounts) accounts = lers_accounts_new (lers_check_get_store ());
  g_autoptr (LersUser) user = NULL;
  g_autoptr (GError) error = NULL;
  g_autofree gchar *password = g_strconcat (login, "-pass-2026", NULL);
  gchar *token;

  user = lers_accounts_add_user_sync (accounts, login, role, password, NULL, &error);
  ck_assert_msg (user != NULL, "%s", error->message);
  token = lers_accounts_create_session_sync (accounts, lers_user_get_id (user),
                                             LERS_SESSION_KIND_TOKEN, "test", NULL, NULL, NULL,
                                             NULL, NULL, &error);
  ck_assert_msg (token != NULL, "%s", error->message);
  if (user_id != NULL)
    *user_id = lers_user_get_id (user);
  return token;
}

static void
http_setup (void)
{
  g_autoptr (GError) error = NULL;

  lers_check_store_setup ();
  /* every request as an admin unless a test says otherwise */
  fx.token = make_token ("test-admin", LERS_USER_ROLE_ADMIN, NULL);
  fx.server = lersd_server_new (lers_check_get_store ());
  ck_assert_msg (lersd_server_listen (fx.server, "127.0.0.1:0", &error), "%s", error->message);
  fx.port = lersd_server_get_port (fx.server);
  fx.session = soup_session_new_with_options ("proxy-resolver", NULL, "timeout", 60, NULL);
}

static void
http_teardown (void)
{
  g_clear_object (&fx.session);
  lersd_server_disconnect (fx.server);
  g_clear_object (&fx.server);
  while (g_main_context_iteration (NULL, FALSE))
    ;
  g_clear_pointer (&fx.token, g_free);
  lers_check_store_teardown ();
}

/* ---- the JSON of one object, without a server ---------------------------- */

START_TEST (test_object_json_device)
{
  g_autoptr (LersDevice) device = lers_device_new ();
  g_autoptr (GDateTime) cal = g_date_time_new_from_iso8601 ("2026-03-01T09:30:00+10:00", NULL);
  g_autoptr (JsonNode) node = NULL;
  g_autofree gchar *text = NULL;
  JsonObject *obj;

  g_object_set (device, "id", (gint64) 7, "protocol", "mbus", "serial-number", "10000042",
                "password", "s3cret", "calibration-date", cal, "calibration-interval", 4u, NULL);
  node = lersd_object_to_json (G_OBJECT (device));
  text = json_to_string (node, FALSE);
  obj = json_node_get_object (node);
  ck_assert_int_eq (json_object_get_int_member (obj, "id"), 7);
  ck_assert_str_eq (json_object_get_string_member (obj, "protocol"), "mbus");
  ck_assert_str_eq (json_object_get_string_member (obj, "serial_number"), "10000042");
  /* a secret is never shown */
  ck_assert_msg (!json_object_has_member (obj, "password"), "%s", text);
  ck_assert_msg (strstr (text, "s3cret") == NULL, "%s", text);
  /* no connection: the reference is null, not 0 */
  ck_assert_msg (json_object_has_member (obj, "connection_id"), "%s", text);
  ck_assert (json_node_is_null (json_object_get_member (obj, "connection_id")));
  /* the time with its own offset */
  ck_assert_str_eq (json_object_get_string_member (obj, "calibration_date"),
                    "2026-03-01T09:30:00+10:00");
  ck_assert_int_eq (json_object_get_int_member (obj, "calibration_interval"), 4);
  /* unset text is null */
  ck_assert (json_node_is_null (json_object_get_member (obj, "model")));
}
END_TEST

START_TEST (test_object_json_node_enum_strv)
{
  g_autoptr (LersNode) n = lers_node_new ();
  const gchar *groups[] = { "Север", "ТСЖ", NULL };
  g_autoptr (JsonNode) node = NULL;
  g_autofree gchar *text = NULL;

  g_object_set (n, "id", (gint64) 3, "title", "Котельная", "node-type", LERS_NODE_TYPE_NODE,
                "groups", groups, NULL);
  node = lersd_object_to_json (G_OBJECT (n));
  text = json_to_string (node, FALSE);
  ck_assert_msg (strstr (text, "\"node_type\":\"node\"") != NULL, "%s", text);
  ck_assert_msg (strstr (text, "\"groups\":[\"Север\",\"ТСЖ\"]") != NULL, "%s", text);
  ck_assert_msg (strstr (text, "\"territory_id\":null") != NULL, "%s", text);
  /* "id" comes first */
  ck_assert_msg (g_str_has_prefix (text, "{\"id\":3,"), "%s", text);
}
END_TEST

static JsonObject *
parse_object (const gchar *json)
{
  g_autoptr (JsonNode) node = json_from_string (json, NULL);

  ck_assert_msg (node != NULL && JSON_NODE_HOLDS_OBJECT (node), "%s", json);
  return json_object_ref (json_node_get_object (node));
}

START_TEST (test_object_patch)
{
  g_autoptr (LersDevice) device = lers_device_new ();
  g_autoptr (JsonObject) ok = NULL;
  g_autoptr (GError) error = NULL;
  struct
  {
    const gchar *json;
    const gchar *message_part;
  } bad[] = {
    { "{\"id\": 5}", "id" },
    { "{\"colour\": \"red\"}", "colour" },
    { "{\"model\": 5}", "model" },
    { "{\"calibration_interval\": -1}", "calibration_interval" },
    { "{\"calibration_interval\": \"4\"}", "calibration_interval" },
    { "{\"calibration_date\": \"yesterday\"}", "calibration_date" },
    { "{\"effective_clock_zone\": \"UTC\"}", "effective_clock_zone" },
    { "{\"serial-number\": \"1\"}", "serial-number" },
  };

  g_object_set (device, "protocol", "mbus", "model", "SKU-42", NULL);
  ok = parse_object ("{\"model\": \"SKU-43\", \"password\": \"p\", \"connection_id\": null,"
                     " \"calibration_date\": \"2026-01-31T10:00:00Z\"}");
  ck_assert_msg (lersd_object_patch (G_OBJECT (device), ok, &error), "%s", error->message);
  ck_assert_str_eq (lers_device_get_model (device), "SKU-43");
  ck_assert_str_eq (lers_device_get_password (device), "p");
  ck_assert_str_eq (lers_device_get_protocol (device), "mbus"); /* not named: kept */
  ck_assert_int_eq (g_date_time_to_unix (lers_device_get_calibration_date (device)),
                    1769853600); /* date -d 2026-01-31T10:00:00Z +%s */

  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_autoptr (JsonObject) members = parse_object (bad[i].json);
      g_autoptr (GError) e = NULL;

      /* all or nothing: a good member before a bad one is not applied */
      json_object_set_string_member (members, "network_address", "99");
      ck_assert_msg (!lersd_object_patch (G_OBJECT (device), members, &e), "%s", bad[i].json);
      ck_assert_msg (g_error_matches (e, LERS_ERROR, LERS_ERROR_INVALID_ARGUMENT), "%s",
                     bad[i].json);
      ck_assert_msg (strstr (e->message, bad[i].message_part) != NULL, "%s: %s", bad[i].json,
                     e->message);
      ck_assert (lers_device_get_network_address (device) == NULL);
      ck_assert_str_eq (lers_device_get_model (device), "SKU-43");
    }
}
END_TEST

START_TEST (test_list_json)
{
  g_autoptr (GPtrArray) objects = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr (JsonNode) last = NULL;
  g_autoptr (JsonNode) page = NULL;
  g_autofree gchar *last_text = NULL;
  g_autofree gchar *page_text = NULL;
  LersTerritory *t = lers_territory_new ();

  g_object_set (t, "id", (gint64) 2, "title", "Приморье", NULL);
  g_ptr_array_add (objects, t);
  last = lersd_list_to_json (objects, NULL);
  last_text = json_to_string (last, FALSE);
  ck_assert_msg (g_str_has_prefix (last_text, "{\"items\":[{\"id\":2,"), "%s", last_text);
  ck_assert_msg (g_str_has_suffix (last_text, "}],\"next\":null}"), "%s", last_text);
  page = lersd_list_to_json (objects, "WyIyIl0");
  page_text = json_to_string (page, FALSE);
  ck_assert_msg (g_str_has_suffix (page_text, ",\"next\":\"WyIyIl0\"}"), "%s", page_text);
}
END_TEST

/* ---- lists ----------------------------------------------------------------- */

/* 250 nodes, titles repeating every 37 so the order needs id to be total */
static void
seed_nodes (void)
{
  lers_check_sql_exec ("INSERT INTO nodes (title, node_type, comment)"
                       " SELECT 'Узел ' || (g % 37), g % 3,"
                       "        CASE WHEN g % 10 = 0 THEN NULL ELSE 'к' || g END"
                       " FROM generate_series (1, 250) g");
}

START_TEST (test_paging)
{
  g_autoptr (GHashTable) seen = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_autoptr (GString) got = g_string_new (NULL);
  g_autofree gchar *want = NULL;
  g_autofree gchar *next = NULL;
  const guint sizes[] = { 100, 100, 50 };

  seed_nodes ();
  for (guint page = 0; page < G_N_ELEMENTS (sizes); page++)
    {
      g_autofree gchar *t = next != NULL
                                ? g_strdup_printf ("/nodes?limit=100&order=title&after=%s", next)
                                : g_strdup ("/nodes?limit=100&order=title");
      g_autoptr (Response) r = get (t);
      JsonArray *items;
      JsonNode *n;

      assert_status (r, SOUP_STATUS_OK);
      items = json_object_get_array_member (obj (r), "items");
      ck_assert_uint_eq (json_array_get_length (items), sizes[page]);
      for (guint i = 0; i < json_array_get_length (items); i++)
        {
          gint64 id = json_object_get_int_member (json_array_get_object_element (items, i), "id");
          g_autofree gchar *key = g_strdup_printf ("%" G_GINT64_FORMAT, id);
          ck_assert_msg (!g_hash_table_contains (seen, key), "id %s twice", key);
          g_string_append_printf (got, "%s%s", got->len > 0 ? "," : "", key);
          g_hash_table_add (seen, g_steal_pointer (&key));
        }
      n = json_object_get_member (obj (r), "next");
      g_clear_pointer (&next, g_free);
      if (page < 2)
        {
          ck_assert_msg (!json_node_is_null (n), "page %u: no next", page);
          next = g_uri_escape_string (json_node_get_string (n), NULL, FALSE);
        }
      else
        ck_assert_msg (json_node_is_null (n), "last page has a next: %s", r->text);
    }
  want = sql_ids ("nodes", "TRUE", "title");
  ck_assert_msg (g_strcmp0 (got->str, want) == 0, "got %s\nSQL %s", got->str, want);
  ck_assert_uint_eq (g_hash_table_size (seen), 250);

  /* the default page is 100, ordered by id */
  {
    g_autoptr (Response) r = get ("/nodes");
    assert_status (r, SOUP_STATUS_OK);
    ck_assert_uint_eq (json_array_get_length (json_object_get_array_member (obj (r), "items")),
                       100);
  }
  /* descending, two keys, small pages */
  assert_list ("/nodes?limit=7&order=-title,node_type", "nodes", "TRUE", "title DESC, node_type");
  assert_list ("/nodes?limit=1000&order=-id", "nodes", "TRUE", "id DESC");
}
END_TEST

START_TEST (test_filters)
{
  g_autofree gchar *t1 = NULL;
  g_autofree gchar *t2 = NULL;
  g_autofree gchar *target = NULL;
  g_autofree gchar *where = NULL;
  gint64 point;

  seed_nodes ();
  lers_check_sql_exec ("INSERT INTO territories (title) VALUES ('Север'), ('Юг')");
  t1 = lers_check_sql_value ("SELECT min(id) FROM territories");
  t2 = lers_check_sql_value ("SELECT max(id) FROM territories");
  where = g_strdup_printf ("UPDATE nodes SET territory_id = CASE WHEN id %% 4 = 0 THEN %s"
                           " WHEN id %% 4 = 1 THEN %s END",
                           t1, t2);
  lers_check_sql_exec (where);
  g_clear_pointer (&where, g_free);

  /* text: = ne like lt gt null (the value is URL-encoded: "Узел 5") */
  assert_list ("/nodes?title=%D0%A3%D0%B7%D0%B5%D0%BB%205&limit=1000", "nodes", "title = 'Узел 5'",
               NULL);
  assert_list ("/nodes?title.ne=%D0%A3%D0%B7%D0%B5%D0%BB%205&limit=1000", "nodes",
               "title <> 'Узел 5'", NULL);
  assert_list ("/nodes?title.like=%D0%A3%D0%B7%D0%B5%D0%BB%201%25&order=title&limit=10", "nodes",
               "title LIKE 'Узел 1%'", "title");
  assert_list ("/nodes?title.gt=%D0%A3%D0%B7%D0%B5%D0%BB%203&limit=1000", "nodes",
               "title > 'Узел 3'", NULL);
  assert_list ("/nodes?title.le=%D0%A3%D0%B7%D0%B5%D0%BB%203&limit=1000", "nodes",
               "title <= 'Узел 3'", NULL);
  assert_list ("/nodes?comment.null=true&limit=1000", "nodes", "comment IS NULL", NULL);
  assert_list ("/nodes?comment.null=false&limit=1000", "nodes", "comment IS NOT NULL", NULL);
  /* enum by its nick: house is 1 */
  assert_list ("/nodes?node_type=house&limit=1000", "nodes", "node_type = 1", NULL);
  assert_list ("/nodes?node_type.ne=power-source&order=-node_type&limit=30", "nodes",
               "node_type <> 2", "node_type DESC");
  /* a reference */
  target = g_strdup_printf ("/nodes?territory_id=%s&limit=1000", t1);
  where = g_strdup_printf ("territory_id = %s", t1);
  assert_list (target, "nodes", where, NULL);
  g_clear_pointer (&target, g_free);
  g_clear_pointer (&where, g_free);
  assert_list ("/nodes?territory_id.null=true&limit=1000", "nodes", "territory_id IS NULL", NULL);
  target = g_strdup_printf ("/nodes?territory_id.ge=%s&node_type=node&limit=1000", t2);
  where = g_strdup_printf ("territory_id >= %s AND node_type = 0", t2);
  assert_list (target, "nodes", where, NULL);
  g_clear_pointer (&target, g_free);
  g_clear_pointer (&where, g_free);

  /* a time: meter events of a point, an hour apart from 2026-11-01T00:00Z */
  point = lers_check_make_point ();
  where = g_strdup_printf ("INSERT INTO meter_events (point_id, code, started_at, severity)"
                           " SELECT %" G_GINT64_FORMAT
                           ", 'power-off', '2026-11-01T00:00:00Z'::timestamptz"
                           "  + g * interval '1 hour', g %% 3 FROM generate_series (0, 47) g",
                           point);
  lers_check_sql_exec (where);
  g_clear_pointer (&where, g_free);
  assert_list ("/events?start.ge=2026-11-01T10:00:00Z&start.lt=2026-11-02T03:00:00%2B03:00"
               "&limit=5",
               "meter_events",
               "started_at >= '2026-11-01T10:00:00Z' AND started_at < '2026-11-02T00:00:00Z'",
               NULL);
  assert_list ("/events?start.gt=2026-11-01T10:00:00Z&order=-start&limit=1000", "meter_events",
               "started_at > '2026-11-01T10:00:00Z'", "started_at DESC");
  assert_list ("/events?severity=alarm&limit=1000", "meter_events", "severity = 2", NULL);
  target
      = g_strdup_printf ("/events?point_id=%" G_GINT64_FORMAT "&code=power-off&limit=1000", point);
  assert_list (target, "meter_events", "code = 'power-off'", NULL);
  ck_assert_int_eq (lers_check_sql_int ("SELECT count(*) FROM meter_events WHERE started_at >= "
                                        "'2026-11-01T10:00:00Z' AND started_at < "
                                        "'2026-11-02T00:00:00Z'"),
                    14); /* 10:00 … 23:00 */
}
END_TEST

START_TEST (test_list_bad_requests)
{
  struct
  {
    const gchar *target;
    const gchar *part;
  } bad[] = {
    { "/nodes?colour=red", "colour" },
    { "/nodes?title.near=x", "near" },
    { "/nodes?order=colour", "colour" },
    { "/nodes?order=title,", "“”" },
    { "/nodes?limit=0", "limit" },
    { "/nodes?limit=1001", "limit" },
    { "/nodes?limit=ten", "limit" },
    { "/nodes?node_type=castle", "castle" },
    { "/nodes?territory_id=north", "territory_id" },
    { "/nodes?node_type.like=h%25", "like" },
    { "/nodes?comment.null=maybe", "comment.null" },
    { "/nodes?after=not-a-cursor", "cursor" },
    { "/events?start.ge=yesterday", "yesterday" },
    { "/devices?password=x", "password" },
    { "/devices?order=password", "password" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_autoptr (Response) r = get (bad[i].target);
      assert_error (r, SOUP_STATUS_BAD_REQUEST, "invalid-argument", bad[i].part);
    }
}
END_TEST

/* ---- writes ------------------------------------------------------------------ */

START_TEST (test_create_patch_delete)
{
  g_autoptr (Response) created = NULL;
  g_autoptr (Response) patched = NULL;
  g_autoptr (Response) point = NULL;
  g_autoptr (Response) points = NULL;
  g_autoptr (Response) gone = NULL;
  g_autoptr (Response) deleted = NULL;
  g_autofree gchar *path = NULL;
  g_autofree gchar *sql = NULL;
  g_autofree gchar *row = NULL;
  g_autofree gchar *body = NULL;
  gint64 id;

  created = http ("POST", "/nodes",
                  "{\"title\": \"Котельная\", \"address\": \"ул. Ленина, 1\","
                  " \"comment\": \"старый\", \"node_type\": \"house\", \"groups\": [\"ТСЖ\"]}");
  assert_status (created, SOUP_STATUS_CREATED);
  id = json_object_get_int_member (obj (created), "id");
  path = g_strdup_printf ("/nodes/%" G_GINT64_FORMAT, id);
  {
    g_autofree gchar *location = g_strconcat ("/api/v1", path, NULL);
    ck_assert_str_eq (created->location, location);
  }

  patched = http ("PATCH", path, "{\"comment\": \"новый\", \"latitude\": 43.1}");
  assert_status (patched, SOUP_STATUS_OK);
  ck_assert_str_eq (json_object_get_string_member (obj (patched), "comment"), "новый");
  /* only the named members changed: the row as psql would print it */
  sql = g_strdup_printf ("SELECT concat_ws ('|', title, address, comment, node_type, latitude,"
                         " array_to_string (groups, ';')) FROM nodes WHERE id = %" G_GINT64_FORMAT,
                         id);
  row = lers_check_sql_value (sql);
  ck_assert_str_eq (row, "Котельная|ул. Ленина, 1|новый|1|43.1|ТСЖ");

  /* a point of it, through POST /points; then GET /nodes/{id}/points */
  body = g_strdup_printf ("{\"title\": \"Отопление\", \"node_id\": %" G_GINT64_FORMAT
                          ", \"resource\": \"heat\", \"poll_interval\": 3600}",
                          id);
  point = http ("POST", "/points", body);
  assert_status (point, SOUP_STATUS_CREATED);
  {
    g_autofree gchar *t = g_strdup_printf ("%s/points", path);
    points = get (t);
    assert_status (points, SOUP_STATUS_OK);
    ck_assert_uint_eq (json_array_get_length (json_object_get_array_member (obj (points), "items")),
                       1);
  }

  deleted = http ("DELETE", path, NULL);
  assert_status (deleted, SOUP_STATUS_NO_CONTENT);
  ck_assert_uint_eq (strlen (deleted->text), 0);
  gone = get (path);
  assert_error (gone, SOUP_STATUS_NOT_FOUND, "not-found", NULL);
  /* the store deletes a node with its points */
  g_clear_pointer (&sql, g_free);
  sql = g_strdup_printf ("SELECT count(*) FROM measure_points WHERE node_id = %" G_GINT64_FORMAT,
                         id);
  ck_assert_int_eq (lers_check_sql_int (sql), 0);
  ck_assert_int_eq (lers_check_sql_int ("SELECT count(*) FROM nodes"), 0);

  /* every write in the audit log, by the caller, with the object before
   * and after (worked out: the PATCH changed the comment only) */
  g_clear_pointer (&sql, g_free);
  sql = g_strdup_printf ("SELECT string_agg (concat_ws (':', action, login, before->>'comment',"
                         " after->>'comment'), ',' ORDER BY id) FROM audit_log"
                         " WHERE entity = 'node' AND entity_id = %" G_GINT64_FORMAT,
                         id);
  g_clear_pointer (&row, g_free);
  row = lers_check_sql_value (sql);
  ck_assert_str_eq (row, "create:test-admin:старый,update:test-admin:старый:новый,"
                         "delete:test-admin:новый");
}
END_TEST

START_TEST (test_device_password)
{
  g_autoptr (Response) created
      = http ("POST", "/devices", "{\"protocol\": \"mbus\", \"serial_number\": \"10000042\"}");
  g_autoptr (Response) patched = NULL;
  g_autoptr (Response) one = NULL;
  g_autoptr (Response) list = NULL;
  g_autofree gchar *path = NULL;
  g_autofree gchar *sql = NULL;
  g_autofree gchar *stored = NULL;
  gint64 id;

  assert_status (created, SOUP_STATUS_CREATED);
  id = json_object_get_int_member (obj (created), "id");
  path = g_strdup_printf ("/devices/%" G_GINT64_FORMAT, id);
  patched = http ("PATCH", path, "{\"password\": \"Zx9-секрет\"}");
  assert_status (patched, SOUP_STATUS_OK);
  sql = g_strdup_printf ("SELECT password FROM devices WHERE id = %" G_GINT64_FORMAT, id);
  stored = lers_check_sql_value (sql);
  ck_assert_str_eq (stored, "Zx9-секрет");
  one = get (path);
  list = get ("/devices");
  assert_status (one, SOUP_STATUS_OK);
  assert_status (list, SOUP_STATUS_OK);
  ck_assert_str_eq (json_object_get_string_member (obj (one), "serial_number"), "10000042");
  ck_assert_msg (strstr (one->text, "password") == NULL && strstr (one->text, "Zx9") == NULL, "%s",
                 one->text);
  ck_assert_msg (strstr (list->text, "password") == NULL && strstr (list->text, "Zx9") == NULL,
                 "%s", list->text);
  ck_assert_msg (strstr (patched->text, "Zx9") == NULL, "%s", patched->text);
}
END_TEST

START_TEST (test_patch_bad)
{
  g_autoptr (Response) t1 = http ("POST", "/territories", "{\"title\": \"Край\"}");
  g_autoptr (Response) t2 = NULL;
  g_autofree gchar *t1_path = NULL;
  g_autofree gchar *t2_path = NULL;
  g_autofree gchar *body = NULL;
  g_autofree gchar *point_path = NULL;
  g_autofree gchar *sql = NULL;
  gint64 t1_id, t2_id, point;
  struct
  {
    const gchar *body;
    const gchar *part;
  } bad[] = {
    { "{\"colour\": \"red\"}", "colour" },
    { "{\"id\": 5}", "id" },
    { "{\"title\": 5}", "title" },
    { "{\"poll_interval\": \"1h\"}", "poll_interval" },
    { "{\"reporting_hour\": 24}", "reporting_hour" },
    { "{\"resource\": \"beer\"}", "beer" },
    { "[1, 2]", "JSON object" },
    { "{\"title\": ", "JSON" },
    { "", "JSON" },
    /* a NUL would cut the stored string short */
    { "{\"title\": \"a\\u0000b\"}", "NUL" },
    /* a reference to a missing object: the store's (PostgreSQL's) refusal */
    { "{\"node_id\": 999999}", "foreign key" },
  };

  assert_status (t1, SOUP_STATUS_CREATED);
  t1_id = json_object_get_int_member (obj (t1), "id");
  body = g_strdup_printf ("{\"title\": \"Район\", \"parent_id\": %" G_GINT64_FORMAT "}", t1_id);
  t2 = http ("POST", "/territories", body);
  assert_status (t2, SOUP_STATUS_CREATED);
  t2_id = json_object_get_int_member (obj (t2), "id");
  t1_path = g_strdup_printf ("/territories/%" G_GINT64_FORMAT, t1_id);
  t2_path = g_strdup_printf ("/territories/%" G_GINT64_FORMAT, t2_id);

  /* loops: the territory into its own child, and into itself */
  g_clear_pointer (&body, g_free);
  body = g_strdup_printf ("{\"parent_id\": %" G_GINT64_FORMAT "}", t2_id);
  {
    g_autoptr (Response) r = http ("PATCH", t1_path, body);
    assert_error (r, SOUP_STATUS_BAD_REQUEST, "invalid-argument", "parent_id");
  }
  g_clear_pointer (&body, g_free);
  body = g_strdup_printf ("{\"parent_id\": %" G_GINT64_FORMAT "}", t2_id);
  {
    g_autoptr (Response) r = http ("PATCH", t2_path, body);
    assert_error (r, SOUP_STATUS_BAD_REQUEST, "invalid-argument", "parent_id");
  }
  g_clear_pointer (&sql, g_free);
  sql = g_strdup_printf ("SELECT count(*) FROM territories WHERE parent_id IS NULL AND id = "
                         "%" G_GINT64_FORMAT,
                         t1_id);
  ck_assert_int_eq (lers_check_sql_int (sql), 1);

  point = lers_check_make_point ();
  point_path = g_strdup_printf ("/points/%" G_GINT64_FORMAT, point);
  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_autoptr (Response) r = http ("PATCH", point_path, bad[i].body);
      assert_error (r, SOUP_STATUS_BAD_REQUEST, "invalid-argument", bad[i].part);
    }
  /* nothing changed */
  g_clear_pointer (&sql, g_free);
  sql = g_strdup_printf ("SELECT concat_ws ('|', title, node_id, resource, reporting_hour)"
                         " FROM measure_points WHERE id = %" G_GINT64_FORMAT,
                         point);
  {
    g_autofree gchar *row = lers_check_sql_value (sql);
    g_autoptr (Response) r = http ("PATCH", "/points/424242", "{\"title\": \"x\"}");
    g_autoptr (Response) d = http ("DELETE", "/points/424242", NULL);
    ck_assert_str_eq (row, "ТУ отопление|0|0");
    assert_error (r, SOUP_STATUS_NOT_FOUND, "not-found", "424242");
    assert_error (d, SOUP_STATUS_NOT_FOUND, "not-found", "424242");
  }
  /* POST may not choose the id either */
  {
    g_autoptr (Response) r = http ("POST", "/nodes", "{\"id\": 77, \"title\": \"x\"}");
    assert_error (r, SOUP_STATUS_BAD_REQUEST, "invalid-argument", "id");
    ck_assert_int_eq (lers_check_sql_int ("SELECT count(*) FROM nodes"), 0);
  }
}
END_TEST

START_TEST (test_connection_sessions)
{
  g_autoptr (Response) c = http ("POST", "/connections",
                                 "{\"title\": \"GSM 1\", \"kind\": \"tcp-client\", \"host\": "
                                 "\"10.0.0.5\", \"port\": 4001}");
  g_autoptr (Response) missing = get ("/connections/424242/sessions");
  g_autoptr (GDateTime) started = g_date_time_new_from_iso8601 ("2026-11-24T02:00:00Z", NULL);
  g_autoptr (GDateTime) ended = g_date_time_add_seconds (started, 42);
  g_autoptr (LersLinkSession) session = NULL;
  g_autoptr (GError) error = NULL;
  g_autofree gchar *target = NULL;
  g_autofree gchar *want = NULL;
  gint64 id;

  assert_status (c, SOUP_STATUS_CREATED);
  id = json_object_get_int_member (obj (c), "id");
  target = g_strdup_printf ("/connections/%" G_GINT64_FORMAT "/sessions", id);
  {
    g_autoptr (Response) r = get (target);
    assert_status (r, SOUP_STATUS_OK);
    ck_assert_str_eq (r->text, "{\"items\":[],\"next\":null}");
  }

  /* one modem session: 42 s, CSQ as -79 dBm, 1200 bytes in, 96 out */
  session = lers_link_session_new (id, started);
  g_object_set (session, "ended", ended, "end-reason", "done", "signal-level", -79, "firmware",
                "1.04", NULL);
  lers_link_session_set_bytes (session, 1200, 96);
  ck_assert_msg (lers_poll_queue_record_session_sync (lersd_server_get_queue (fx.server), session,
                                                      NULL, &error),
                 "%s", error->message);
  want = g_strdup_printf (
      "{\"items\":[{\"id\":%" G_GINT64_FORMAT ",\"connection_id\":%" G_GINT64_FORMAT
      ",\"service_id\":null,\"started\":\"2026-11-24T02:00:00Z\",\"ended\":"
      "\"2026-11-24T02:00:42Z\",\"duration\":42,\"bytes_in\":1200,\"bytes_out\":96,"
      "\"end_reason\":\"done\",\"error\":null,\"signal_level\":-79,\"firmware\":\"1.04\","
      "\"sim_id\":null,\"modem_identity\":null}],\"next\":null}",
      lers_link_session_get_id (session), id);
  {
    g_autoptr (Response) r = get (target);
    g_autofree gchar *ranged
        = g_strdup_printf ("%s?from=2026-11-25T00:00:00Z&to=2026-11-26", target);
    g_autoptr (Response) none = get (ranged);
    assert_status (r, SOUP_STATUS_OK);
    ck_assert_str_eq (r->text, want);
    assert_status (none, SOUP_STATUS_OK);
    ck_assert_str_eq (none->text, "{\"items\":[],\"next\":null}");
  }
  assert_error (missing, SOUP_STATUS_NOT_FOUND, "not-found", "424242");
}
END_TEST

/* ---- archives: every kind, values with units and flags ---------------------- */

static void
add_record (GPtrArray *records, const gchar *ts, LersArchiveKind kind, LersParameter p1, gdouble v1,
            LersValueFlags f1, LersParameter p2, gdouble v2, LersValueFlags f2)
{
  g_autoptr (GDateTime) dt = g_date_time_new_from_iso8601 (ts, NULL);
  LersRecord *record;

  ck_assert_msg (dt != NULL, "%s", ts);
  record = lers_record_new (dt, kind);
  lers_record_set_value (record, p1, v1, f1);
  lers_record_set_value (record, p2, v2, f2);
  g_ptr_array_add (records, record);
}

START_TEST (test_archive_kinds)
{
  g_autoptr (GPtrArray) records = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr (GError) error = NULL;
  g_autofree gchar *sql = NULL;
  gint64 point = lers_check_make_point ();
  /* The expected records worked out by hand: the unit is the parameter
   * table's (T_in °C "degC", M_in tonnes "t", Q_in "Gcal", V_in "m3",
   * Ap "kWh", Pp "kW"); the flags are the nicks of what was written; times
   * are shown in the point's zone, Asia/Vladivostok (+10:00). */
  struct
  {
    const gchar *kind;
    const gchar *records;
  } want[] = {
    { "current", "[{\"timestamp\":\"2026-11-10T05:17:00+10:00\",\"values\":["
                 "{\"parameter\":\"T_in\",\"value\":71.3,\"unit\":\"degC\",\"flags\":[]},"
                 "{\"parameter\":\"V_in\",\"value\":12.5,\"unit\":\"m3\",\"flags\":[\"bad\"]}]}]" },
    { "hour", "[{\"timestamp\":\"2026-11-10T05:00:00+10:00\",\"values\":["
              "{\"parameter\":\"T_in\",\"value\":70.25,\"unit\":\"degC\",\"flags\":[]},"
              "{\"parameter\":\"M_in\",\"value\":1.5,\"unit\":\"t\",\"flags\":"
              "[\"bad\",\"calculated\"]}]}]" },
    { "day", "[{\"timestamp\":\"2026-11-10T00:00:00+10:00\",\"values\":["
             "{\"parameter\":\"M_in\",\"value\":36,\"unit\":\"t\",\"flags\":[\"interpolated\"]},"
             "{\"parameter\":\"Q_in\",\"value\":2.125,\"unit\":\"Gcal\",\"flags\":[]}]}]" },
    { "month",
      "[{\"timestamp\":\"2026-11-01T00:00:00+10:00\",\"values\":["
      "{\"parameter\":\"M_in\",\"value\":1080,\"unit\":\"t\",\"flags\":[]},"
      "{\"parameter\":\"Q_in\",\"value\":63.75,\"unit\":\"Gcal\",\"flags\":[\"reset\"]}]}]" },
    { "totals", "[{\"timestamp\":\"2026-11-10T05:00:00+10:00\",\"values\":["
                "{\"parameter\":\"V_in\",\"value\":123456.5,\"unit\":\"m3\",\"flags\":[]},"
                "{\"parameter\":\"Q_in\",\"value\":4321.25,\"unit\":\"Gcal\",\"flags\":"
                "[\"calculated\"]}]}]" },
    { "power-profile", "[{\"timestamp\":\"2026-11-10T05:30:00+10:00\",\"values\":["
                       "{\"parameter\":\"Ap\",\"value\":0.75,\"unit\":\"kWh\",\"flags\":[]},"
                       "{\"parameter\":\"Pp\",\"value\":1.5,\"unit\":\"kW\",\"flags\":"
                       "[\"interpolated\"]}]}]" },
    { "events", "[]" },
  };

  sql = g_strdup_printf (
      "WITH t AS (INSERT INTO territories (title, timezone) VALUES ('Приморье',"
      " 'Asia/Vladivostok') RETURNING id),"
      " n AS (INSERT INTO nodes (title, territory_id) SELECT 'Котельная', id FROM t RETURNING id)"
      " UPDATE measure_points SET node_id = (SELECT id FROM n) WHERE id = %" G_GINT64_FORMAT,
      point);
  lers_check_sql_exec (sql);

  add_record (records, "2026-11-10T05:17:00+10:00", LERS_ARCHIVE_KIND_CURRENT, LERS_PARAMETER_T_IN,
              71.3, LERS_VALUE_FLAG_NONE, LERS_PARAMETER_V_IN, 12.5, LERS_VALUE_FLAG_BAD);
  add_record (records, "2026-11-10T05:00:00+10:00", LERS_ARCHIVE_KIND_HOUR, LERS_PARAMETER_T_IN,
              70.25, LERS_VALUE_FLAG_NONE, LERS_PARAMETER_M_IN, 1.5,
              LERS_VALUE_FLAG_BAD | LERS_VALUE_FLAG_CALCULATED);
  add_record (records, "2026-11-10T00:00:00+10:00", LERS_ARCHIVE_KIND_DAY, LERS_PARAMETER_M_IN, 36,
              LERS_VALUE_FLAG_INTERPOLATED, LERS_PARAMETER_Q_IN, 2.125, LERS_VALUE_FLAG_NONE);
  add_record (records, "2026-11-01T00:00:00+10:00", LERS_ARCHIVE_KIND_MONTH, LERS_PARAMETER_M_IN,
              1080, LERS_VALUE_FLAG_NONE, LERS_PARAMETER_Q_IN, 63.75, LERS_VALUE_FLAG_RESET);
  add_record (records, "2026-11-10T05:00:00+10:00", LERS_ARCHIVE_KIND_TOTALS, LERS_PARAMETER_V_IN,
              123456.5, LERS_VALUE_FLAG_NONE, LERS_PARAMETER_Q_IN, 4321.25,
              LERS_VALUE_FLAG_CALCULATED);
  add_record (records, "2026-11-10T05:30:00+10:00", LERS_ARCHIVE_KIND_POWER_PROFILE,
              LERS_PARAMETER_AP, 0.75, LERS_VALUE_FLAG_NONE, LERS_PARAMETER_PP, 1.5,
              LERS_VALUE_FLAG_INTERPOLATED);
  ck_assert_msg (
      lers_store_write_records_sync (lers_check_get_store (), point, records, NULL, &error), "%s",
      error->message);

  for (guint i = 0; i < G_N_ELEMENTS (want); i++)
    {
      g_autofree gchar *target = g_strdup_printf ("/points/%" G_GINT64_FORMAT
                                                  "/archive?kind=%s&from=2026-11-01&to=2026-11-11",
                                                  point, want[i].kind);
      g_autoptr (Response) r = get (target);
      g_autofree gchar *got = NULL;
      const gchar *start;

      assert_status (r, SOUP_STATUS_OK);
      ck_assert_str_eq (json_object_get_string_member (obj (r), "kind"), want[i].kind);
      ck_assert_str_eq (json_object_get_string_member (obj (r), "time_zone"), "Asia/Vladivostok");
      /* the text as sent (json-glib would print 71.3 as 71.299999999999997):
       * "records" is the last member */
      start = strstr (r->text, ",\"records\":");
      ck_assert_msg (start != NULL && g_str_has_suffix (r->text, "]}"), "%s", r->text);
      start += strlen (",\"records\":");
      got = g_strndup (start, strlen (start) - 1);
      ck_assert_msg (g_strcmp0 (got, want[i].records) == 0, "kind %s:\n got %s\nwant %s",
                     want[i].kind, got, want[i].records);
    }
}
END_TEST

/* ---- node groups, users, the audit log (read-only here) ------------------- */

START_TEST (test_accounts_lists)
{
  g_autofree gchar *admin = NULL;
  g_autofree gchar *target = NULL;
  g_autofree gchar *where = NULL;

  lers_check_sql_exec ("INSERT INTO node_groups (title, comment) VALUES ('Север', 'к1'),"
                       " ('Юг', NULL), ('Запад', 'к3')");
  lers_check_sql_exec ("INSERT INTO users (login, display_name, role, password_hash, language)"
                       " VALUES ('admin', 'Админ', 0, 'argon2-secret-hash', 'ru'),"
                       " ('sub1', 'Абонент', 3, 'argon2-other-hash', NULL)");
  admin = lers_check_sql_value ("SELECT id FROM users WHERE login = 'admin'");
  where = g_strdup_printf (
      "INSERT INTO audit_log (at, user_id, login, action, entity, entity_id, after)"
      " SELECT '2026-11-01T00:00:00Z'::timestamptz + g * interval '1 hour', %s, 'admin',"
      " CASE WHEN g %% 2 = 0 THEN 'create' ELSE 'update' END,"
      " CASE WHEN g %% 3 = 0 THEN 'node' ELSE 'device' END, g, '{\"title\": \"x\"}'"
      " FROM generate_series (0, 29) g",
      admin);
  lers_check_sql_exec (where);
  g_clear_pointer (&where, g_free);

  assert_list ("/groups?order=title&limit=2", "node_groups", "TRUE", "title");
  assert_list ("/groups?comment.null=true", "node_groups", "comment IS NULL", NULL);
  assert_list ("/users?role=subscriber", "users", "role = 3", NULL);
  assert_list ("/audit?entity=node&action=create&limit=3", "audit_log",
               "entity = 'node' AND action = 'create'", NULL);
  assert_list ("/audit?time.ge=2026-11-01T05:00:00Z&time.lt=2026-11-01T12:00:00Z&order=-time",
               "audit_log", "at >= '2026-11-01T05:00:00Z' AND at < '2026-11-01T12:00:00Z'",
               "at DESC");
  target = g_strdup_printf ("/audit?user_id=%s&entity_id.gt=20", admin);
  assert_list (target, "audit_log", "entity_id > 20", NULL);
  g_clear_pointer (&target, g_free);

  /* a user: its members, never the password hash */
  target = g_strdup_printf ("/users/%s", admin);
  {
    g_autoptr (Response) r = get (target);
    g_autoptr (Response) list = get ("/users");
    g_autoptr (Response) missing = get ("/users/424242");

    assert_status (r, SOUP_STATUS_OK);
    ck_assert_str_eq (json_object_get_string_member (obj (r), "login"), "admin");
    ck_assert_str_eq (json_object_get_string_member (obj (r), "role"), "admin");
    ck_assert_str_eq (json_object_get_string_member (obj (r), "language"), "ru");
    ck_assert_msg (strstr (r->text, "argon2") == NULL && strstr (r->text, "hash") == NULL, "%s",
                   r->text);
    assert_status (list, SOUP_STATUS_OK);
    ck_assert_msg (strstr (list->text, "argon2") == NULL, "%s", list->text);
    assert_error (missing, SOUP_STATUS_NOT_FOUND, "not-found", "424242");
  }
}
END_TEST

/* ---- a subscriber sees only its nodes ------------------------------------------ */

START_TEST (test_subscriber_visibility)
{
  g_autoptr (LersAccounts) accounts = lers_accounts_new (lers_check_get_store ());
  g_autoptr (GError) error = NULL;
  g_autofree gchar *admin_token = NULL;
  g_autofree gchar *mine = NULL;
  g_autofree gchar *other = NULL;
  g_autofree gchar *my_point = NULL;
  g_autofree gchar *other_point = NULL;
  g_autofree gchar *where = NULL;
  g_autofree gchar *target = NULL;
  gint64 sub_id = 0;

  /* nodes A and B with two points each, an event on each point */
  lers_check_sql_exec ("INSERT INTO nodes (title) VALUES ('Дом А'), ('Дом Б')");
  mine = lers_check_sql_value ("SELECT id FROM nodes WHERE title = 'Дом А'");
  other = lers_check_sql_value ("SELECT id FROM nodes WHERE title = 'Дом Б'");
  lers_check_sql_exec ("INSERT INTO measure_points (node_id, title)"
                       " SELECT n.id, n.title || ' ' || g FROM nodes n, generate_series (1, 2) g");
  lers_check_sql_exec ("INSERT INTO meter_events (point_id, code, started_at)"
                       " SELECT id, 'power-off', '2026-11-23T05:00:00Z' FROM measure_points");
  where = g_strdup_printf ("SELECT min(id) FROM measure_points WHERE node_id = %s", mine);
  my_point = lers_check_sql_value (where);
  g_clear_pointer (&where, g_free);
  where = g_strdup_printf ("SELECT min(id) FROM measure_points WHERE node_id = %s", other);
  other_point = lers_check_sql_value (where);
  g_clear_pointer (&where, g_free);

  admin_token = g_steal_pointer (&fx.token);
  fx.token = make_token ("sub1", LERS_USER_ROLE_SUBSCRIBER, &sub_id);
  ck_assert_msg (lers_accounts_add_scope_sync (accounts, sub_id, LERS_SCOPE_KIND_NODE,
                                               g_ascii_strtoll (mine, NULL, 10), NULL, &error),
                 "%s", error->message);

  /* lists hold its node's objects only */
  where = g_strdup_printf ("id = %s", mine);
  assert_list ("/nodes", "nodes", where, NULL);
  g_clear_pointer (&where, g_free);
  where = g_strdup_printf ("node_id = %s", mine);
  assert_list ("/points?order=title", "measure_points", where, "title");
  g_clear_pointer (&where, g_free);
  where = g_strdup_printf ("point_id IN (SELECT id FROM measure_points WHERE node_id = %s)", mine);
  assert_list ("/events", "meter_events", where, NULL);
  g_clear_pointer (&where, g_free);
  /* asking for the other node's points by filter finds nothing */
  target = g_strdup_printf ("/points?node_id=%s", other);
  {
    g_autoptr (Response) r = get (target);
    assert_status (r, SOUP_STATUS_OK);
    ck_assert_str_eq (r->text, "{\"items\":[],\"next\":null}");
  }
  g_clear_pointer (&target, g_free);

  /* one object not visible is 404 exactly like a missing one */
  {
    g_autofree gchar *t1 = g_strdup_printf ("/nodes/%s", other);
    g_autofree gchar *t2 = g_strdup_printf ("/points/%s", other_point);
    g_autofree gchar *t3 = g_strdup_printf ("/nodes/%s/points", other);
    g_autofree gchar *t4 = g_strdup_printf ("/points/%s/archive", other_point);
    g_autofree gchar *t5 = g_strdup_printf ("/points/%s", my_point);
    g_autofree gchar *want1 = g_strdup_printf ("There is no node with id %s", other);
    g_autofree gchar *want2 = g_strdup_printf ("There is no measure point with id %s", other_point);
    g_autoptr (Response) r1 = get (t1);
    g_autoptr (Response) r2 = get (t2);
    g_autoptr (Response) r3 = get (t3);
    g_autoptr (Response) r4 = get (t4);
    g_autoptr (Response) r5 = get (t5);
    g_autoptr (Response) missing = get ("/points/424242");

    assert_error (r1, SOUP_STATUS_NOT_FOUND, "not-found", want1);
    assert_error (r2, SOUP_STATUS_NOT_FOUND, "not-found", want2);
    assert_error (r3, SOUP_STATUS_NOT_FOUND, "not-found", NULL);
    assert_error (r4, SOUP_STATUS_NOT_FOUND, "not-found", NULL);
    assert_error (missing, SOUP_STATUS_NOT_FOUND, "not-found", "There is no measure point with id");
    assert_status (r5, SOUP_STATUS_OK);
  }

  /* staff-only collections and every write are refused */
  {
    g_autofree gchar *t1 = g_strdup_printf ("/nodes/%s", mine);
    g_autoptr (Response) devices = get ("/devices");
    g_autoptr (Response) patch = http ("PATCH", t1, "{\"title\": \"Мой дом\"}");
    g_autoptr (Response) post = http ("POST", "/nodes", "{\"title\": \"Новый\"}");
    g_autoptr (Response) del = http ("DELETE", t1, NULL);

    assert_error (devices, SOUP_STATUS_FORBIDDEN, "forbidden", NULL);
    assert_error (patch, SOUP_STATUS_FORBIDDEN, "forbidden", NULL);
    assert_error (post, SOUP_STATUS_FORBIDDEN, "forbidden", NULL);
    assert_error (del, SOUP_STATUS_FORBIDDEN, "forbidden", NULL);
    ck_assert_int_eq (lers_check_sql_int ("SELECT count(*) FROM nodes"), 2);
    ck_assert_int_eq (lers_check_sql_int ("SELECT count(*) FROM nodes WHERE title = 'Дом А'"), 1);
  }
  g_free (fx.token);
  fx.token = g_steal_pointer (&admin_token);
}
END_TEST

static Suite *
resources_suite (void)
{
  Suite *s = suite_create ("resources-api");
  TCase *tc = tcase_create ("json");

  tcase_add_test (tc, test_object_json_device);
  tcase_add_test (tc, test_object_json_node_enum_strv);
  tcase_add_test (tc, test_object_patch);
  tcase_add_test (tc, test_list_json);
  suite_add_tcase (s, tc);

  tc = tcase_create ("http");
  tcase_set_timeout (tc, 120);
  tcase_add_unchecked_fixture (tc, lers_check_cluster_setup, lers_check_cluster_teardown);
  tcase_add_checked_fixture (tc, http_setup, http_teardown);
  tcase_add_test (tc, test_paging);
  tcase_add_test (tc, test_filters);
  tcase_add_test (tc, test_list_bad_requests);
  tcase_add_test (tc, test_create_patch_delete);
  tcase_add_test (tc, test_device_password);
  tcase_add_test (tc, test_patch_bad);
  tcase_add_test (tc, test_connection_sessions);
  tcase_add_test (tc, test_archive_kinds);
  tcase_add_test (tc, test_accounts_lists);
  tcase_add_test (tc, test_subscriber_visibility);
  suite_add_tcase (s, tc);
  return s;
}

int
main (int argc, char **argv)
{
  lers_check_init (&argc, &argv);
  return lers_check_run_suite (resources_suite ());
}
