/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Each user's own settings of the web workstation (/auth/me/settings,
 * docs/diagrams.md): a subscriber keeps its own, never sees another's; bad
 * keys 400, values over 16 KiB 413, a 101st key 409; a browser write needs
 * the CSRF token. In-process lersd on 127.0.0.1 port 0 against a throwaway
 * PostgreSQL; expected rows read back with SQL. */
#include "config.h"

#include "auth-test-util.h"

static gchar *sub_bearer;
static gchar *admin_bearer;

static void
settings_setup (void)
{
  g_autofree gchar *token = NULL;

  lers_check_store_setup ();
  poll_seed_points ();
  poll_server_start ();
  token = lers_check_http_user_token ("sub", LERS_USER_ROLE_SUBSCRIBER, "sub-password-1");
  sub_bearer = auth_bearer (token);
  admin_bearer = auth_bearer (pfx.token);
}

static void
settings_teardown (void)
{
  g_clear_pointer (&sub_bearer, g_free);
  g_clear_pointer (&admin_bearer, g_free);
  auth_strings_clear ();
  poll_server_stop ();
  lers_check_store_teardown ();
}

static AuthResponse *
as_sub (const gchar *method, const gchar *target, const gchar *body)
{
  return auth_request (method, target, body, "Authorization", sub_bearer, NULL);
}

/* PUT, GET one, GET all, DELETE: the subscriber's own rows only */
START_TEST (test_settings_roundtrip)
{
  g_autoptr (AuthResponse) put
      = as_sub ("PUT", "/api/v1/auth/me/settings/nodes.columns", "[\"title\", \"state\"]");
  g_autoptr (AuthResponse) put2
      = as_sub ("PUT", "/api/v1/auth/me/settings/map.view", "{\"zoom\": 12}");
  g_autoptr (AuthResponse) one = NULL;
  g_autoptr (AuthResponse) all = NULL;
  g_autoptr (PollResponse) admin_all = NULL;
  g_autoptr (AuthResponse) admin_one = NULL;
  g_autoptr (AuthResponse) del = NULL;
  g_autoptr (AuthResponse) gone = NULL;
  g_autoptr (AuthResponse) del_again = NULL;
  g_autoptr (JsonNode) root = NULL;
  JsonObject *o;

  ck_assert_msg (put->status == 200, "%u %s", put->status, put->body);
  ck_assert_str_eq (put->body, "[\"title\",\"state\"]");
  ck_assert_msg (put2->status == 200, "%u %s", put2->status, put2->body);
  /* the row, as psql shows jsonb */
  ck_assert_str_eq (
      auth_sql ("SELECT s.value::text FROM user_settings s JOIN users u "
                "ON u.id = s.user_id WHERE u.login = 'sub' AND key = 'nodes.columns'"),
      "[\"title\", \"state\"]");
  one = as_sub ("GET", "/api/v1/auth/me/settings/map.view", NULL);
  ck_assert_msg (one->status == 200, "%u %s", one->status, one->body);
  ck_assert_str_eq (one->body, "{\"zoom\": 12}");
  all = as_sub ("GET", "/api/v1/auth/me/settings", NULL);
  o = auth_object (all, &root);
  ck_assert_int_eq (json_object_get_size (o), 2);
  ck_assert_int_eq (
      json_object_get_int_member (json_object_get_object_member (o, "map.view"), "zoom"), 12);
  ck_assert_int_eq (json_array_get_length (json_object_get_array_member (o, "nodes.columns")), 2);
  /* the admin has its own (none), and no route reaches the subscriber's */
  admin_all = poll_request ("GET", "/api/v1/auth/me/settings", NULL);
  ck_assert_msg (admin_all->status == 200, "%u %s", admin_all->status, admin_all->body);
  ck_assert_str_eq (admin_all->body, "{}");
  admin_one = auth_request ("GET", "/api/v1/auth/me/settings/map.view", NULL, "Authorization",
                            admin_bearer, NULL);
  auth_assert_error (admin_one, 404, "not-found");
  del = as_sub ("DELETE", "/api/v1/auth/me/settings/map.view", NULL);
  ck_assert_msg (del->status == 204, "%u %s", del->status, del->body);
  gone = as_sub ("GET", "/api/v1/auth/me/settings/map.view", NULL);
  auth_assert_error (gone, 404, "not-found");
  del_again = as_sub ("DELETE", "/api/v1/auth/me/settings/map.view", NULL);
  auth_assert_error (del_again, 404, "not-found");
  ck_assert_str_eq (auth_sql ("SELECT count(*) FROM user_settings"), "1");
}
END_TEST

/* Bad keys and bodies 400, a value over 16 KiB 413, the 101st key 409 */
START_TEST (test_settings_limits)
{
  g_autoptr (AuthResponse) space = as_sub ("PUT", "/api/v1/auth/me/settings/a%20b", "1");
  g_autoptr (AuthResponse) slash = as_sub ("GET", "/api/v1/auth/me/settings/a%2Fb", NULL);
  g_autoptr (AuthResponse) not_json = as_sub ("PUT", "/api/v1/auth/me/settings/k", "{nope");
  g_autoptr (AuthResponse) empty = as_sub ("PUT", "/api/v1/auth/me/settings/k", "");
  g_autoptr (AuthResponse) big = NULL;
  g_autoptr (AuthResponse) edge = NULL;
  g_autoptr (AuthResponse) extra = NULL;
  g_autoptr (AuthResponse) replace = NULL;
  g_autofree gchar *long_key = g_strnfill (65, 'k');
  g_autofree gchar *long_target = g_strconcat ("/api/v1/auth/me/settings/", long_key, NULL);
  g_autoptr (AuthResponse) too_long = as_sub ("PUT", long_target, "1");
  g_autofree gchar *filler = NULL;
  g_autofree gchar *value = NULL;

  auth_assert_error (space, 400, "invalid-argument");
  auth_assert_error (slash, 400, "invalid-argument");
  auth_assert_error (not_json, 400, "invalid-argument");
  auth_assert_error (empty, 400, "invalid-argument");
  auth_assert_error (too_long, 400, "invalid-argument");
  /* "…" with 16383 x: 16385 bytes serialised, one too many */
  filler = g_strnfill (16383, 'x');
  value = g_strdup_printf ("\"%s\"", filler);
  big = as_sub ("PUT", "/api/v1/auth/me/settings/big", value);
  auth_assert_error (big, 413, "invalid-argument");
  ck_assert_msg (strstr (big->body, "16384") != NULL, "%s", big->body);
  /* 16382 x: 16384 bytes, accepted */
  value[16383] = '"';
  value[16384] = '\0';
  edge = as_sub ("PUT", "/api/v1/auth/me/settings/big", value);
  ck_assert_msg (edge->status == 200, "%u %.80s", edge->status, edge->body);
  ck_assert_str_eq (auth_sql ("SELECT length(value #>> '{}') FROM user_settings WHERE key = 'big'"),
                    "16382");
  /* 99 more keys: 100 in all */
  lers_check_sql_exec ("INSERT INTO user_settings (user_id, key, value) SELECT u.id, 'k' || i, "
                       "to_jsonb(i) FROM users u, generate_series(1, 99) i WHERE u.login = 'sub'");
  extra = as_sub ("PUT", "/api/v1/auth/me/settings/one.more", "true");
  auth_assert_error (extra, 409, "conflict");
  ck_assert_msg (strstr (extra->body, "100") != NULL, "%s", extra->body);
  ck_assert_str_eq (auth_sql ("SELECT count(*) FROM user_settings"), "100");
  /* replacing one of the 100 is fine */
  replace = as_sub ("PUT", "/api/v1/auth/me/settings/k5", "\"five\"");
  ck_assert_msg (replace->status == 200, "%u %s", replace->status, replace->body);
  ck_assert_str_eq (auth_sql ("SELECT value #>> '{}' FROM user_settings WHERE key = 'k5'"), "five");
}
END_TEST

/* A browser's write needs its CSRF token; no credentials 401 */
START_TEST (test_settings_browser)
{
  g_autofree gchar *cookie = NULL;
  g_autofree gchar *csrf = NULL;
  g_autoptr (AuthResponse) anonymous = NULL;
  g_autoptr (AuthResponse) no_csrf = NULL;
  g_autoptr (AuthResponse) with_csrf = NULL;

  auth_login_browser ("sub", "sub-password-1", &cookie, &csrf);
  anonymous = auth_request ("GET", "/api/v1/auth/me/settings", NULL, NULL);
  ck_assert_int_eq (anonymous->status, 401);
  no_csrf
      = auth_request ("PUT", "/api/v1/auth/me/settings/theme", "\"dark\"", "Cookie", cookie, NULL);
  ck_assert_int_eq (no_csrf->status, 403);
  ck_assert_str_eq (auth_sql ("SELECT count(*) FROM user_settings"), "0");
  with_csrf = auth_request ("PUT", "/api/v1/auth/me/settings/theme", "\"dark\"", "Cookie", cookie,
                            "X-CSRF-Token", csrf, NULL);
  ck_assert_msg (with_csrf->status == 200, "%u %s", with_csrf->status, with_csrf->body);
  ck_assert_str_eq (auth_sql ("SELECT value #>> '{}' FROM user_settings WHERE key = 'theme'"),
                    "dark");
}
END_TEST

static Suite *
settings_suite (void)
{
  Suite *s = suite_create ("settings-api");
  TCase *tc = tcase_create ("http");

  tcase_set_timeout (tc, 120);
  tcase_add_unchecked_fixture (tc, lers_check_cluster_setup, lers_check_cluster_teardown);
  tcase_add_checked_fixture (tc, settings_setup, settings_teardown);
  tcase_add_test (tc, test_settings_roundtrip);
  tcase_add_test (tc, test_settings_limits);
  tcase_add_test (tc, test_settings_browser);
  suite_add_tcase (s, tc);
  return s;
}

int
main (int argc, char **argv)
{
  lers_check_init (&argc, &argv);
  return lers_check_run_suite (settings_suite ());
}
