/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Users, their scopes and node groups through the API (issue 14): an admin
 * makes, changes and deletes users; what the users table and the audit log
 * then hold (SQL); a taken login, the last admin, an operator's groups.
 */
#include "config.h"

#include "auth-test-util.h"

static void
users_setup (void)
{
  lers_check_store_setup ();
  poll_seed_points ();
  poll_server_start ();
}

static void
users_teardown (void)
{
  poll_server_stop ();
  auth_strings_clear ();
  lers_check_store_teardown ();
}

/* POST /users as the admin; the new user's id */
static gint64
create_user (const gchar *body)
{
  g_autoptr (PollResponse) r = poll_request ("POST", "/api/v1/users", body);
  g_autoptr (JsonNode) root = NULL;

  ck_assert_msg (r->status == 201, "%u %s", r->status, r->body);
  root = poll_response_json (r);
  return json_object_get_int_member (json_node_get_object (root), "id");
}

/* The admin creates a user: 201, the row with an Argon2id hash, the audit
 * entry without the password */
START_TEST (test_create)
{
  g_autoptr (PollResponse) r = poll_request (
      "POST", "/api/v1/users",
      "{\"login\": \"boris\", \"role\": \"operator\", \"password\": \"s3cret-pass\", "
      "\"display_name\": \"Борис Петров\", \"email\": \"boris@example.org\", \"language\": "
      "\"en\"}");
  g_autoptr (JsonNode) root = NULL;
  g_autofree gchar *hash = NULL;
  g_autofree gchar *who = NULL;
  JsonObject *user;
  gint64 id;

  ck_assert_msg (r->status == 201, "%u %s", r->status, r->body);
  root = poll_response_json (r);
  user = json_node_get_object (root);
  id = json_object_get_int_member (user, "id");
  ck_assert_int_gt (id, 0);
  ck_assert_str_eq (json_object_get_string_member (user, "login"), "boris");
  ck_assert_str_eq (json_object_get_string_member (user, "role"), "operator");
  ck_assert_str_eq (json_object_get_string_member (user, "display_name"), "Борис Петров");
  ck_assert_str_eq (json_object_get_string_member (user, "email"), "boris@example.org");
  ck_assert_str_eq (json_object_get_string_member (user, "language"), "en");
  ck_assert (json_object_get_null_member (user, "phone"));
  ck_assert (json_object_get_boolean_member (user, "enabled"));
  ck_assert (strstr (r->body, "s3cret") == NULL);
  ck_assert (strstr (r->body, "argon2") == NULL);

  /* the row: role 1 (operator), libsodium's Argon2id text */
  ck_assert_int_eq (lers_check_sql_int ("SELECT role FROM users WHERE login = 'boris'"), 1);
  hash = lers_check_sql_value ("SELECT password_hash FROM users WHERE login = 'boris'");
  ck_assert_msg (hash != NULL && g_str_has_prefix (hash, "$argon2id$v=19$m="), "%s", hash);
  ck_assert_str_eq (auth_sql ("SELECT display_name FROM users WHERE login = 'boris'"),
                    "Борис Петров");

  /* the audit entry: who (the admin), what, the user after, no secret */
  who = lers_check_sql_value ("SELECT login || ' ' || action || ' ' || entity || ' ' || "
                              "(entity_id = (SELECT id FROM users WHERE login = 'boris'))::text "
                              "|| ' ' || (after->>'login') || ' ' || (after->>'role') || ' ' || "
                              "(before IS NULL)::text FROM audit_log WHERE action = 'create'");
  ck_assert_str_eq (who, "lers-test-admin create user true boris operator true");
  ck_assert_int_eq (lers_check_sql_int ("SELECT count(*) FROM audit_log WHERE after::text LIKE "
                                        "'%s3cret%' OR after::text LIKE '%argon2%' OR "
                                        "after ? 'password_hash'"),
                    0);
  /* the new user logs in */
  {
    g_autoptr (AuthResponse) login
        = auth_request ("POST", "/api/v1/auth/login",
                        "{\"login\": \"boris\", \"password\": \"s3cret-pass\"}", NULL);
    ck_assert_msg (login->status == 200, "%u %s", login->status, login->body);
  }
}
END_TEST

/* PATCH changes the role; the audit entry has it before and after */
START_TEST (test_update)
{
  gint64 id = create_user ("{\"login\": \"mila\", \"role\": \"operator\"}");
  g_autofree gchar *target = g_strdup_printf ("/api/v1/users/%" G_GINT64_FORMAT, id);
  g_autoptr (PollResponse) r
      = poll_request ("PATCH", target, "{\"role\": \"viewer\", \"phone\": \"+7 900 000-00-00\"}");
  g_autoptr (PollResponse) password
      = poll_request ("PATCH", target, "{\"password\": \"sneaky-one\"}");
  g_autoptr (PollResponse) unknown = poll_request ("PATCH", target, "{\"colour\": \"red\"}");
  g_autoptr (PollResponse) bad_role = poll_request ("PATCH", target, "{\"role\": \"root\"}");
  g_autoptr (PollResponse) missing
      = poll_request ("PATCH", "/api/v1/users/424242", "{\"role\": \"viewer\"}");
  g_autofree gchar *audit = NULL;

  ck_assert_msg (r->status == 200, "%u %s", r->status, r->body);
  ck_assert (strstr (r->body, "\"role\":\"viewer\"") != NULL);
  ck_assert_int_eq (lers_check_sql_int ("SELECT role FROM users WHERE login = 'mila'"), 2);
  ck_assert_str_eq (auth_sql ("SELECT phone FROM users WHERE login = 'mila'"), "+7 900 000-00-00");
  audit = lers_check_sql_value (
      "SELECT login || ' ' || (before->>'role') || ' ' || (after->>'role') || ' ' || "
      "coalesce(before->>'phone', 'null') || ' ' || (after->>'phone') FROM audit_log WHERE "
      "action = 'update' AND entity = 'user'");
  ck_assert_str_eq (audit, "lers-test-admin operator viewer null +7 900 000-00-00");

  poll_assert_error (password, 400, "invalid-argument");
  poll_assert_error (unknown, 400, "invalid-argument");
  ck_assert (strstr (unknown->body, "colour") != NULL);
  poll_assert_error (bad_role, 400, "invalid-argument");
  poll_assert_error (missing, 404, "not-found");
  /* the refused changes left the row as it was */
  ck_assert_int_eq (lers_check_sql_int ("SELECT role FROM users WHERE login = 'mila'"), 2);
  ck_assert (auth_sql ("SELECT password_hash FROM users WHERE login = 'mila'") == NULL);
}
END_TEST

/* A login already taken is 409, also by a rename */
START_TEST (test_duplicate_login)
{
  gint64 id;
  g_autofree gchar *target = NULL;

  create_user ("{\"login\": \"dup\", \"role\": \"viewer\"}");
  id = create_user ("{\"login\": \"other\", \"role\": \"viewer\"}");
  target = g_strdup_printf ("/api/v1/users/%" G_GINT64_FORMAT, id);
  {
    g_autoptr (PollResponse) again
        = poll_request ("POST", "/api/v1/users", "{\"login\": \"dup\", \"role\": \"admin\"}");
    g_autoptr (PollResponse) rename = poll_request ("PATCH", target, "{\"login\": \"dup\"}");
    poll_assert_error (again, 409, "conflict");
    poll_assert_error (rename, 409, "conflict");
  }
  ck_assert_int_eq (lers_check_sql_int ("SELECT count(*) FROM users WHERE login = 'dup'"), 1);
  ck_assert_int_eq (lers_check_sql_int ("SELECT role FROM users WHERE login = 'dup'"), 2);
}
END_TEST

/* DELETE: 204 and gone; the last admin stays */
START_TEST (test_delete)
{
  gint64 id = create_user ("{\"login\": \"gone\", \"role\": \"viewer\"}");
  g_autofree gchar *target = g_strdup_printf ("/api/v1/users/%" G_GINT64_FORMAT, id);
  g_autofree gchar *admin = g_strdup_printf (
      "/api/v1/users/%" G_GINT64_FORMAT,
      lers_check_sql_int ("SELECT id FROM users WHERE login = 'lers-test-admin'"));
  g_autoptr (PollResponse) r = poll_request ("DELETE", target, NULL);
  g_autoptr (PollResponse) again = poll_request ("DELETE", target, NULL);
  g_autoptr (PollResponse) last = poll_request ("DELETE", admin, NULL);
  g_autoptr (PollResponse) demote = poll_request ("PATCH", admin, "{\"role\": \"viewer\"}");

  ck_assert_msg (r->status == 204, "%u %s", r->status, r->body);
  /* no body at all */
  ck_assert (r->body == NULL || r->body[0] == '\0');
  ck_assert_int_eq (lers_check_sql_int ("SELECT count(*) FROM users WHERE login = 'gone'"), 0);
  ck_assert_str_eq (auth_sql ("SELECT before->>'login' FROM audit_log WHERE action "
                              "= 'delete' AND entity = 'user'"),
                    "gone");
  poll_assert_error (again, 404, "not-found");
  /* the only admin: refused (400 or 409), and still there, still admin */
  ck_assert_msg (last->status == 400 || last->status == 409, "%u %s", last->status, last->body);
  ck_assert_msg (demote->status == 400 || demote->status == 409, "%u %s", demote->status,
                 demote->body);
  ck_assert_int_eq (lers_check_sql_int ("SELECT role FROM users WHERE login = 'lers-test-admin' "
                                        "AND enabled"),
                    0);
}
END_TEST

/* PUT /users/{id}/password: the new password logs in */
START_TEST (test_set_password)
{
  gint64 id = create_user ("{\"login\": \"kira\", \"role\": \"viewer\"}");
  g_autofree gchar *target = g_strdup_printf ("/api/v1/users/%" G_GINT64_FORMAT "/password", id);
  g_autoptr (PollResponse) r = poll_request ("PUT", target, "{\"password\": \"kira-pass-1\"}");
  g_autoptr (PollResponse) short_one = poll_request ("PUT", target, "{\"password\": \"short\"}");
  g_autoptr (AuthResponse) login = auth_request (
      "POST", "/api/v1/auth/login", "{\"login\": \"kira\", \"password\": \"kira-pass-1\"}", NULL);

  ck_assert_msg (r->status == 204, "%u %s", r->status, r->body);
  /* LERS_PASSWORD_MIN_LENGTH is 8 characters */
  poll_assert_error (short_one, 400, "invalid-argument");
  ck_assert_msg (login->status == 200, "%u %s", login->status, login->body);
  ck_assert_int_eq (lers_check_sql_int ("SELECT count(*) FROM audit_log WHERE action = "
                                        "'password' AND entity = 'user'"),
                    1);
  ck_assert_int_eq (lers_check_sql_int ("SELECT count(*) FROM audit_log WHERE before::text LIKE "
                                        "'%kira-pass%' OR after::text LIKE '%kira-pass%'"),
                    0);
}
END_TEST

/* Groups (an operator's) and scopes (the admin's) */
START_TEST (test_groups_scopes)
{
  g_autofree gchar *token = lers_check_http_user_token ("olga", LERS_USER_ROLE_OPERATOR, NULL);
  g_autofree gchar *bearer = auth_bearer (token);
  gint64 user_id = create_user ("{\"login\": \"client\", \"role\": \"subscriber\"}");
  g_autoptr (AuthResponse) made = NULL;
  g_autoptr (JsonNode) made_root = NULL;
  g_autofree gchar *group = NULL;
  g_autofree gchar *member = NULL;
  g_autofree gchar *scopes = NULL;
  g_autofree gchar *scope = NULL;
  g_autofree gchar *scope_body = NULL;
  gint64 group_id;

  made = auth_request ("POST", "/api/v1/groups", "{\"title\": \"Северный район\"}", "Authorization",
                       bearer, NULL);
  ck_assert_msg (made->status == 201, "%u %s", made->status, made->body);
  group_id = json_object_get_int_member (auth_object (made, &made_root), "id");
  ck_assert_str_eq (json_object_get_string_member (json_node_get_object (made_root), "title"),
                    "Северный район");
  group = g_strdup_printf ("/api/v1/groups/%" G_GINT64_FORMAT, group_id);
  member = g_strdup_printf ("/api/v1/groups/%" G_GINT64_FORMAT "/nodes/1", group_id);
  {
    g_autoptr (AuthResponse) put
        = auth_request ("PUT", member, NULL, "Authorization", bearer, NULL);
    g_autoptr (AuthResponse) rename
        = auth_request ("PATCH", group, "{\"title\": \"Север\"}", "Authorization", bearer, NULL);
    ck_assert_msg (put->status == 204, "%u %s", put->status, put->body);
    ck_assert_msg (rename->status == 200, "%u %s", rename->status, rename->body);
  }
  /* membership lives in nodes.groups; the rename rewrote it */
  ck_assert_str_eq (auth_sql ("SELECT array_to_string(groups, ',') FROM nodes WHERE "
                              "id = 1"),
                    "Север");
  ck_assert_str_eq (auth_sql ("SELECT before->>'title' || ' → ' || (after->>'title') "
                              "|| ' by ' || login FROM audit_log WHERE action = "
                              "'update' AND entity = 'node-group'"),
                    "Северный район → Север by olga");

  /* the admin gives the subscriber the group */
  scopes = g_strdup_printf ("/api/v1/users/%" G_GINT64_FORMAT "/scopes", user_id);
  scope_body = g_strdup_printf ("{\"kind\": \"group\", \"id\": %" G_GINT64_FORMAT "}", group_id);
  {
    g_autoptr (PollResponse) add = poll_request ("POST", scopes, scope_body);
    g_autoptr (PollResponse) list = poll_request ("GET", scopes, NULL);
    g_autoptr (AuthResponse) by_operator
        = auth_request ("POST", scopes, scope_body, "Authorization", bearer, NULL);
    g_autoptr (PollResponse) bad_kind
        = poll_request ("POST", scopes, "{\"kind\": \"planet\", \"id\": 1}");
    g_autoptr (JsonNode) root = NULL;
    JsonArray *items;
    JsonObject *first;

    ck_assert_msg (add->status == 201, "%u %s", add->status, add->body);
    ck_assert_msg (list->status == 200, "%u %s", list->status, list->body);
    root = poll_response_json (list);
    items = json_object_get_array_member (json_node_get_object (root), "items");
    ck_assert_uint_eq (json_array_get_length (items), 1);
    first = json_array_get_object_element (items, 0);
    ck_assert_str_eq (json_object_get_string_member (first, "kind"), "group");
    ck_assert_int_eq (json_object_get_int_member (first, "id"), group_id);
    ck_assert_str_eq (json_object_get_string_member (first, "title"), "Север");
    auth_assert_error (by_operator, 403, "forbidden");
    poll_assert_error (bad_kind, 400, "invalid-argument");
  }
  ck_assert_int_eq (lers_check_sql_int ("SELECT count(*) FROM user_scopes"), 1);

  scope = g_strdup_printf ("/api/v1/users/%" G_GINT64_FORMAT "/scopes/group/%" G_GINT64_FORMAT,
                           user_id, group_id);
  {
    g_autoptr (PollResponse) remove = poll_request ("DELETE", scope, NULL);
    g_autoptr (AuthResponse) out
        = auth_request ("DELETE", member, NULL, "Authorization", bearer, NULL);
    g_autoptr (AuthResponse) del
        = auth_request ("DELETE", group, NULL, "Authorization", bearer, NULL);
    g_autoptr (AuthResponse) del_again
        = auth_request ("DELETE", group, NULL, "Authorization", bearer, NULL);

    ck_assert_msg (remove->status == 204, "%u %s", remove->status, remove->body);
    ck_assert_msg (out->status == 204, "%u %s", out->status, out->body);
    ck_assert_msg (del->status == 204, "%u %s", del->status, del->body);
    auth_assert_error (del_again, 404, "not-found");
  }
  ck_assert_int_eq (lers_check_sql_int ("SELECT count(*) FROM user_scopes"), 0);
  ck_assert_int_eq (lers_check_sql_int ("SELECT count(*) FROM node_groups"), 0);
  ck_assert_int_eq (lers_check_sql_int ("SELECT cardinality(groups) FROM nodes WHERE id = 1"), 0);
  ck_assert_int_eq (lers_check_sql_int ("SELECT count(*) FROM audit_log WHERE entity IN "
                                        "('node-group', 'user') AND action IN ('member-add', "
                                        "'member-remove', 'scope-add', 'scope-remove', "
                                        "'delete')"),
                    5);
}
END_TEST

/* Bodies that are not what a route takes */
START_TEST (test_bad_bodies)
{
  g_autoptr (PollResponse) no_role
      = poll_request ("POST", "/api/v1/users", "{\"login\": \"nora\"}");
  g_autoptr (PollResponse) bad_login
      = poll_request ("POST", "/api/v1/users", "{\"login\": \"with space\", \"role\": \"viewer\"}");
  g_autoptr (PollResponse) bad_language = poll_request (
      "POST", "/api/v1/users", "{\"login\": \"nora\", \"role\": \"viewer\", \"language\": \"de\"}");
  g_autoptr (PollResponse) array = poll_request ("POST", "/api/v1/users", "[]");
  g_autoptr (PollResponse) bad_id = poll_request ("PATCH", "/api/v1/users/abc", "{}");

  poll_assert_error (no_role, 400, "invalid-argument");
  poll_assert_error (bad_login, 400, "invalid-argument");
  poll_assert_error (bad_language, 400, "invalid-argument");
  poll_assert_error (array, 400, "invalid-argument");
  poll_assert_error (bad_id, 400, "invalid-argument");
  /* only the test's admin */
  ck_assert_int_eq (lers_check_sql_int ("SELECT count(*) FROM users"), 1);
}
END_TEST

int
main (int argc, char **argv)
{
  Suite *s = suite_create ("users-api");
  TCase *tc = tcase_create ("users-api");

  lers_check_init (&argc, &argv);
  tcase_set_timeout (tc, 120);
  tcase_add_unchecked_fixture (tc, lers_check_cluster_setup, lers_check_cluster_teardown);
  tcase_add_checked_fixture (tc, users_setup, users_teardown);
  tcase_add_test (tc, test_create);
  tcase_add_test (tc, test_update);
  tcase_add_test (tc, test_duplicate_login);
  tcase_add_test (tc, test_delete);
  tcase_add_test (tc, test_set_password);
  tcase_add_test (tc, test_groups_scopes);
  tcase_add_test (tc, test_bad_bodies);
  suite_add_tcase (s, tc);
  return lers_check_run_suite (s);
}
