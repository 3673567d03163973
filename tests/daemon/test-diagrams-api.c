/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Mnemonic diagrams (/diagrams, docs/diagrams.md) as their users see them:
 * a subscriber reads its node's diagram, gets 404 for another's and 403 on
 * writes; the stored drawing is the sanitised one (read back with SQL); a
 * bad element is named in the error; group and system diagrams follow
 * scopes; writes audited without the SVG text. In-process lersd on
 * 127.0.0.1 port 0 against a throwaway PostgreSQL. */
#include "config.h"

#include "auth-test-util.h"

static gchar *sub_bearer;   /* subscriber of node 1 */
static gchar *group_bearer; /* subscriber assigned group 1 */
static gchar *op_bearer;    /* operator scoped to territory 1 (node 1) */

/* node 2 with point 5 in territory 2, group 1 "A" with node 2 */
static void
diagrams_seed (void)
{
  lers_check_sql_exec ("INSERT INTO territories (id, title, timezone) VALUES "
                       "(2, 'Тверь', 'Europe/Moscow')");
  lers_check_sql_exec (
      "INSERT INTO nodes (id, territory_id, title, groups) VALUES (2, 2, 'ИТП 2', '{A}')");
  lers_check_sql_exec ("INSERT INTO measure_points (id, node_id, title, poll_interval) "
                       "VALUES (5, 2, 'Отопление 2', 3600)");
  lers_check_sql_exec ("INSERT INTO node_groups (id, title) VALUES (1, 'A')");
}

static gchar *
diagrams_user (const gchar *login, LersUserRole role, LersScopeKind kind, gint64 target)
{
  g_autoptr (LersAccounts) accounts = lers_accounts_new (lers_check_get_store ());
  g_autoptr (GError) error = NULL;
  g_autofree gchar *token = lers_check_http_user_token (login, role, NULL);
  g_autofree gchar *sql = g_strdup_printf ("SELECT id FROM users WHERE login = '%s'", login);
  gint64 id = lers_check_sql_int (sql);

  ck_assert_msg (lers_accounts_add_scope_sync (accounts, id, kind, target, NULL, &error), "%s",
                 error != NULL ? error->message : "");
  return auth_bearer (token);
}

static void
diagrams_setup (void)
{
  lers_check_store_setup ();
  poll_seed_points ();
  diagrams_seed ();
  poll_server_start ();
  sub_bearer = diagrams_user ("sub", LERS_USER_ROLE_SUBSCRIBER, LERS_SCOPE_KIND_NODE, 1);
  group_bearer = diagrams_user ("gsub", LERS_USER_ROLE_SUBSCRIBER, LERS_SCOPE_KIND_GROUP, 1);
  op_bearer = diagrams_user ("op", LERS_USER_ROLE_OPERATOR, LERS_SCOPE_KIND_TERRITORY, 1);
}

static void
diagrams_teardown (void)
{
  g_clear_pointer (&sub_bearer, g_free);
  g_clear_pointer (&group_bearer, g_free);
  g_clear_pointer (&op_bearer, g_free);
  auth_strings_clear ();
  poll_server_stop ();
  lers_check_store_teardown ();
}

/* The admin's POST; the new diagram's id */
static gint64
diagrams_create (const gchar *body)
{
  g_autoptr (PollResponse) r = poll_request ("POST", "/api/v1/diagrams", body);
  g_autoptr (JsonNode) root = NULL;

  ck_assert_msg (r->status == 201, "%u %s", r->status, r->body);
  root = poll_response_json (r);
  return json_object_get_int_member (json_node_get_object (root), "id");
}

#define HOSTILE_SVG                                                                                         \
  "<svg xmlns=\\\"http://www.w3.org/2000/svg\\\" width=\\\"640\\\" height=\\\"480\\\" "                     \
  "onload=\\\"alert(1)\\\"><script>alert(2)</script>"                                                       \
  "<rect x=\\\"1\\\" y=\\\"2\\\" width=\\\"30\\\" height=\\\"40\\\" onclick=\\\"steal()\\\"/>"              \
  "<use href=\\\"https://evil.example/a.svg#x\\\"/><text x=\\\"5\\\" y=\\\"6\\\">Котельная</text>" \
  "</svg>"

/* The subscriber reads its node's diagram (sanitised drawing), not
 * another's, and writes nothing */
START_TEST (test_subscriber_reads_own)
{
  gint64 mine = diagrams_create ("{\"title\": \"ИТП 1\", \"node_id\": 1, \"svg\": \"" HOSTILE_SVG
                                 "\", \"elements\": [{\"id\": \"t1\", \"kind\": \"label\", "
                                 "\"x\": 10, \"y\": 20, \"point_id\": 1, \"parameter\": \"t1\", "
                                 "\"unit\": \"°C\", \"digits\": 1}]}");
  gint64 other = diagrams_create ("{\"title\": \"ИТП 2\", \"node_id\": 2}");
  g_autofree gchar *mine_path = g_strdup_printf ("/api/v1/diagrams/%" G_GINT64_FORMAT, mine);
  g_autofree gchar *other_path = g_strdup_printf ("/api/v1/diagrams/%" G_GINT64_FORMAT, other);
  g_autoptr (AuthResponse) get = auth_as (sub_bearer, "GET", mine_path, NULL);
  g_autoptr (AuthResponse) get_other = auth_as (sub_bearer, "GET", other_path, NULL);
  g_autoptr (AuthResponse) list = auth_as (sub_bearer, "GET", "/api/v1/diagrams", NULL);
  g_autoptr (AuthResponse) post
      = auth_as (sub_bearer, "POST", "/api/v1/diagrams", "{\"title\": \"x\", \"node_id\": 1}");
  g_autoptr (AuthResponse) patch = auth_as (sub_bearer, "PATCH", mine_path, "{\"title\": \"x\"}");
  g_autoptr (AuthResponse) del = auth_as (sub_bearer, "DELETE", mine_path, NULL);
  g_autoptr (JsonNode) root = NULL;
  g_autoptr (JsonNode) list_root = NULL;
  g_autofree gchar *svg_sql
      = g_strdup_printf ("SELECT svg FROM diagrams WHERE id = %" G_GINT64_FORMAT, mine);
  JsonObject *o;
  JsonArray *items;

  /* what is stored: the script, the on* attributes and the external href
   * gone, the shapes and the text kept (written out by hand) */
  ck_assert_str_eq (auth_sql (svg_sql),
                    "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"640\" height=\"480\">"
                    "<rect x=\"1\" y=\"2\" width=\"30\" height=\"40\"></rect><use></use>"
                    "<text x=\"5\" y=\"6\">Котельная</text></svg>");
  ck_assert_str_eq (auth_sql ("SELECT width || '×' || height || ' ' || updated_by FROM diagrams "
                              "WHERE title = 'ИТП 1'"),
                    "640×480 lers-test-admin");
  o = auth_object (get, &root);
  ck_assert_msg (get->status == 200, "%u %s", get->status, get->body);
  ck_assert_str_eq (json_object_get_string_member (o, "title"), "ИТП 1");
  ck_assert_int_eq (json_object_get_int_member (o, "node_id"), 1);
  ck_assert_ptr_null (strstr (json_object_get_string_member (o, "svg"), "script"));
  ck_assert_str_eq (
      json_object_get_string_member (
          json_array_get_object_element (json_object_get_array_member (o, "elements"), 0), "unit"),
      "°C");
  /* who changed it is staff's business (review of issue 15) */
  ck_assert_msg (!json_object_has_member (o, "updated_by"), "%s", get->body);
  ck_assert (json_object_has_member (o, "updated_at"));
  auth_assert_error (get_other, 404, "not-found");
  items = json_object_get_array_member (auth_object (list, &list_root), "items");
  ck_assert_msg (!json_object_has_member (json_array_get_object_element (items, 0), "updated_by"),
                 "%s", list->body);
  ck_assert_int_eq (json_array_get_length (items), 1);
  ck_assert_str_eq (
      json_object_get_string_member (json_array_get_object_element (items, 0), "title"), "ИТП 1");
  ck_assert (!json_object_has_member (json_array_get_object_element (items, 0), "svg"));
  ck_assert_int_eq (
      json_object_get_int_member (json_array_get_object_element (items, 0), "n_elements"), 1);
  auth_assert_error (post, 403, "forbidden");
  auth_assert_error (patch, 403, "forbidden");
  auth_assert_error (del, 403, "forbidden");
  ck_assert_str_eq (auth_sql ("SELECT string_agg(title, ',' ORDER BY id) FROM diagrams"),
                    "ИТП 1,ИТП 2");
}
END_TEST

/* Bad elements: refused with the member named; nothing stored */
START_TEST (test_bad_elements_named)
{
  static const struct
  {
    const gchar *elements;
    guint status;
    const gchar *field;
  } cases[] = {
    { "[{\"id\": \"a\", \"kind\": \"rect\", \"x\": 1, \"y\": 2}, "
      "{\"id\": \"b\", \"kind\": \"blob\", \"x\": 1, \"y\": 2}]",
      400, "elements[1].kind" },
    { "[{\"id\": \"a\", \"kind\": \"rect\", \"x\": 1, \"y\": 2, \"colour\": \"red\"}]", 400,
      "elements[0].colour" },
    { "[{\"id\": \"a\", \"kind\": \"label\", \"x\": 1, \"y\": 2, \"parameter\": \"t1\"}]", 400,
      "elements[0].point_id" },
    { "[{\"id\": \"a\", \"kind\": \"rect\", \"x\": \"1\", \"y\": 2}]", 400, "elements[0].x" },
    { "[{\"kind\": \"rect\", \"x\": 1, \"y\": 2}]", 400, "elements[0].id" },
    { "[{\"id\": \"a\", \"kind\": \"text\", \"x\": 1, \"y\": 2, \"style\": "
      "{\"fill\": \"url(http://e.example)\"}}]",
      400, "elements[0].style.fill" },
    { "[42]", 400, "elements[0]" },
    { "{}", 400, "elements" },
    /* point 5 is of node 2, which the scoped operator does not see */
    { "[{\"id\": \"a\", \"kind\": \"label\", \"x\": 1, \"y\": 2, \"point_id\": 5, "
      "\"parameter\": \"t1\"}]",
      404, "elements" },
    /* no point 999; both checked with one query */
    { "[{\"id\": \"a\", \"kind\": \"label\", \"x\": 1, \"y\": 2, \"point_id\": 999, "
      "\"parameter\": \"t1\"}]",
      404, "elements" },
    { "[{\"id\": \"a\", \"kind\": \"label\", \"x\": 1, \"y\": 2, \"point_id\": 999, "
      "\"parameter\": \"t1\"}, {\"id\": \"b\", \"kind\": \"label\", \"x\": 1, \"y\": 2, "
      "\"point_id\": 5, \"parameter\": \"t1\"}]",
      404, "elements" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree gchar *body = g_strdup_printf (
          "{\"title\": \"t\", \"node_id\": 1, \"elements\": %s}", cases[i].elements);
      g_autoptr (AuthResponse) r = auth_as (op_bearer, "POST", "/api/v1/diagrams", body);
      g_autoptr (JsonNode) root = NULL;
      JsonObject *error;

      ck_assert_msg (r->status == cases[i].status, "%s: %u %s", cases[i].elements, r->status,
                     r->body);
      error = json_object_get_object_member (auth_object (r, &root), "error");
      ck_assert_str_eq (json_object_get_string_member (error, "field"), cases[i].field);
    }
  {
    g_autoptr (AuthResponse) unknown = auth_as (op_bearer, "POST", "/api/v1/diagrams",
                                                "{\"title\": \"t\", \"node_id\": 1, \"owner\": 3}");
    g_autoptr (AuthResponse) no_title = auth_as (op_bearer, "POST", "/api/v1/diagrams", "{}");
    g_autoptr (AuthResponse) not_svg
        = auth_as (op_bearer, "POST", "/api/v1/diagrams",
                   "{\"title\": \"t\", \"node_id\": 1, \"svg\": \"<html></html>\"}");
    g_autoptr (AuthResponse) both = auth_as (op_bearer, "POST", "/api/v1/diagrams",
                                             "{\"title\": \"t\", \"node_id\": 1, \"group_id\": 1}");

    auth_assert_error (unknown, 400, "invalid-argument");
    ck_assert_msg (strstr (unknown->body, "\"field\":\"owner\"") != NULL, "%s", unknown->body);
    auth_assert_error (no_title, 400, "invalid-argument");
    ck_assert_msg (strstr (no_title->body, "\"field\":\"title\"") != NULL, "%s", no_title->body);
    auth_assert_error (not_svg, 400, "invalid-argument");
    ck_assert_msg (strstr (not_svg->body, "not SVG") != NULL, "%s", not_svg->body);
    auth_assert_error (both, 400, "invalid-argument");
  }
  ck_assert_str_eq (auth_sql ("SELECT count(*) FROM diagrams"), "0");
}
END_TEST

/* Group and system diagrams; scoped staff within their nodes */
START_TEST (test_group_and_system_visibility)
{
  gint64 group = diagrams_create ("{\"title\": \"Группа A\", \"group_id\": 1}");
  gint64 system = diagrams_create ("{\"title\": \"Вся система\", \"width\": 1200}");
  g_autofree gchar *group_path = g_strdup_printf ("/api/v1/diagrams/%" G_GINT64_FORMAT, group);
  g_autofree gchar *system_path = g_strdup_printf ("/api/v1/diagrams/%" G_GINT64_FORMAT, system);
  g_autoptr (AuthResponse) gsub_group = auth_as (group_bearer, "GET", group_path, NULL);
  g_autoptr (AuthResponse) sub_group = auth_as (sub_bearer, "GET", group_path, NULL);
  g_autoptr (AuthResponse) op_group = auth_as (op_bearer, "GET", group_path, NULL);
  g_autoptr (AuthResponse) op_system = auth_as (op_bearer, "GET", system_path, NULL);
  g_autoptr (PollResponse) admin_system = poll_request ("GET", system_path, NULL);
  g_autoptr (PollResponse) admin_list = poll_request ("GET", "/api/v1/diagrams?group_id=1", NULL);
  g_autoptr (AuthResponse) op_new_system
      = auth_as (op_bearer, "POST", "/api/v1/diagrams", "{\"title\": \"мой\"}");
  g_autoptr (AuthResponse) op_new_node2
      = auth_as (op_bearer, "POST", "/api/v1/diagrams", "{\"title\": \"чужой\", \"node_id\": 2}");
  g_autoptr (AuthResponse) op_new_node1
      = auth_as (op_bearer, "POST", "/api/v1/diagrams", "{\"title\": \"свой\", \"node_id\": 1}");
  g_autoptr (AuthResponse) op_move = NULL;
  g_autoptr (JsonNode) root = NULL;
  g_autofree gchar *new_path = NULL;

  ck_assert_msg (gsub_group->status == 200, "%u %s", gsub_group->status, gsub_group->body);
  auth_assert_error (sub_group, 404, "not-found");
  auth_assert_error (op_group, 404, "not-found");
  auth_assert_error (op_system, 404, "not-found");
  ck_assert_msg (admin_system->status == 200, "%u %s", admin_system->status, admin_system->body);
  ck_assert_msg (admin_list->status == 200, "%u %s", admin_list->status, admin_list->body);
  ck_assert_msg (strstr (admin_list->body, "Группа A") != NULL, "%s", admin_list->body);
  ck_assert_msg (strstr (admin_list->body, "Вся система") == NULL, "%s", admin_list->body);
  auth_assert_error (op_new_system, 403, "permission-denied");
  auth_assert_error (op_new_node2, 404, "not-found");
  ck_assert_msg (op_new_node1->status == 201, "%u %s", op_new_node1->status, op_new_node1->body);
  /* blank canvas: 800 × 600 unless given */
  ck_assert_str_eq (auth_sql ("SELECT width || '×' || height || ' ' || coalesce(svg, 'null') || "
                              "' ' || updated_by FROM diagrams WHERE title = 'свой'"),
                    "800×600 null op");
  ck_assert_str_eq (auth_sql ("SELECT width FROM diagrams WHERE title = 'Вся система'"), "1200");
  /* moving its diagram to a node it does not see: 404, unchanged */
  new_path = g_strdup_printf ("/api/v1/diagrams/%" G_GINT64_FORMAT,
                              json_object_get_int_member (auth_object (op_new_node1, &root), "id"));
  op_move = auth_as (op_bearer, "PATCH", new_path, "{\"node_id\": 2}");
  auth_assert_error (op_move, 404, "not-found");
  ck_assert_str_eq (auth_sql ("SELECT node_id FROM diagrams WHERE title = 'свой'"), "1");
}
END_TEST

/* PATCH and DELETE audited: the drawing as length and SHA-256 */
START_TEST (test_writes_audited)
{
  gint64 id = diagrams_create ("{\"title\": \"ИТП 1\", \"node_id\": 1}");
  g_autofree gchar *path = g_strdup_printf ("/api/v1/diagrams/%" G_GINT64_FORMAT, id);
  g_autoptr (AuthResponse) patch = auth_as (op_bearer, "PATCH", path,
                                            "{\"title\": \"ИТП 1, корпус 2\", \"svg\": \"<svg "
                                            "viewBox='0 0 320 240'><circle r='4'/></svg>\"}");
  g_autoptr (AuthResponse) del = NULL;
  g_autoptr (AuthResponse) gone = NULL;

  ck_assert_msg (patch->status == 200, "%u %s", patch->status, patch->body);
  ck_assert_str_eq (
      auth_sql ("SELECT title || ' ' || width || '×' || height || ' ' || updated_by || ' ' || svg "
                "FROM diagrams"),
      "ИТП 1, корпус 2 320×240 op <svg viewBox=\"0 0 320 240\" "
      "xmlns=\"http://www.w3.org/2000/svg\"><circle r=\"4\"></circle></svg>");
  /* the audit entry: no svg text; its length and digest as PostgreSQL
   * computes them from the stored text */
  ck_assert_str_eq (
      auth_sql ("SELECT a.login || ' ' || (a.after ? 'svg')::text || ' ' || "
                "(a.after->>'svg_length' = length(d.svg)::text)::text || ' ' || "
                "(a.after->>'svg_sha256' = encode(sha256(convert_to(d.svg, 'UTF8')), 'hex'))::text "
                "|| ' ' || (a.before->>'title') || ' ' || (a.before ? 'svg_length')::text "
                "FROM audit_log a, diagrams d WHERE a.entity = 'diagram' AND a.action = 'update'"),
      "op false true true ИТП 1 false");
  del = auth_as (op_bearer, "DELETE", path, NULL);
  ck_assert_msg (del->status == 204, "%u %s", del->status, del->body);
  gone = auth_as (op_bearer, "GET", path, NULL);
  auth_assert_error (gone, 404, "not-found");
  ck_assert_str_eq (auth_sql ("SELECT count(*) FROM diagrams"), "0");
  ck_assert_str_eq (auth_sql ("SELECT string_agg(action, ',' ORDER BY id) FROM audit_log "
                              "WHERE entity = 'diagram'"),
                    "create,update,delete");
}
END_TEST

/* Pages of the list: limit, next, after, order */
START_TEST (test_list_pages)
{
  gint64 a = diagrams_create ("{\"title\": \"a\", \"node_id\": 1}");
  gint64 b = diagrams_create ("{\"title\": \"b\", \"node_id\": 1}");
  gint64 c = diagrams_create ("{\"title\": \"c\", \"node_id\": 2}");
  g_autoptr (PollResponse) first = poll_request ("GET", "/api/v1/diagrams?limit=2", NULL);
  g_autoptr (PollResponse) rest = NULL;
  g_autoptr (PollResponse) desc = poll_request ("GET", "/api/v1/diagrams?order=-id&limit=1", NULL);
  g_autoptr (PollResponse) node2 = poll_request ("GET", "/api/v1/diagrams?node_id=2", NULL);
  g_autoptr (PollResponse) bad = poll_request ("GET", "/api/v1/diagrams?limit=0", NULL);
  g_autoptr (JsonNode) first_root = poll_response_json (first);
  g_autoptr (JsonNode) rest_root = NULL;
  g_autoptr (JsonNode) desc_root = poll_response_json (desc);
  g_autoptr (JsonNode) node2_root = poll_response_json (node2);
  JsonObject *o = json_node_get_object (first_root);
  g_autofree gchar *next = g_strdup_printf ("%" G_GINT64_FORMAT, b);
  g_autofree gchar *rest_target = NULL;

  ck_assert_int_eq (json_array_get_length (json_object_get_array_member (o, "items")), 2);
  ck_assert_str_eq (json_object_get_string_member (o, "next"), next);
  rest_target = g_strdup_printf ("/api/v1/diagrams?limit=2&after=%s", next);
  rest = poll_request ("GET", rest_target, NULL);
  rest_root = poll_response_json (rest);
  o = json_node_get_object (rest_root);
  ck_assert_int_eq (json_array_get_length (json_object_get_array_member (o, "items")), 1);
  ck_assert_int_eq (
      json_object_get_int_member (
          json_array_get_object_element (json_object_get_array_member (o, "items"), 0), "id"),
      c);
  ck_assert (json_object_get_null_member (o, "next"));
  o = json_node_get_object (desc_root);
  ck_assert_int_eq (
      json_object_get_int_member (
          json_array_get_object_element (json_object_get_array_member (o, "items"), 0), "id"),
      c);
  o = json_node_get_object (node2_root);
  ck_assert_int_eq (json_array_get_length (json_object_get_array_member (o, "items")), 1);
  poll_assert_error (bad, 400, "invalid-argument");
  ck_assert_int_lt (a, b);
}
END_TEST

static Suite *
diagrams_suite (void)
{
  Suite *s = suite_create ("diagrams-api");
  TCase *tc = tcase_create ("http");

  tcase_set_timeout (tc, 120);
  tcase_add_unchecked_fixture (tc, lers_check_cluster_setup, lers_check_cluster_teardown);
  tcase_add_checked_fixture (tc, diagrams_setup, diagrams_teardown);
  tcase_add_test (tc, test_subscriber_reads_own);
  tcase_add_test (tc, test_bad_elements_named);
  tcase_add_test (tc, test_group_and_system_visibility);
  tcase_add_test (tc, test_writes_audited);
  tcase_add_test (tc, test_list_pages);
  suite_add_tcase (s, tc);
  return s;
}

int
main (int argc, char **argv)
{
  lers_check_init (&argc, &argv);
  return lers_check_run_suite (diagrams_suite ());
}
