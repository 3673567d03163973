/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Logging in and who may do what (issue 14): the session cookie and its
 * CSRF token, API tokens, the login throttle, the roles against the
 * routes' access levels, logout, a disabled user, the caller's own tokens
 * and password, and what the audit log keeps of it.
 */
#include "config.h"

#include "auth-test-util.h"

#define PASSWORD "correct horse 1"

static void
auth_setup (void)
{
  lers_check_store_setup ();
  poll_seed_points ();
  poll_server_start ();
}

static void
auth_teardown (void)
{
  poll_server_stop ();
  auth_strings_clear ();
  lers_check_store_teardown ();
}

/* A user with a password; its id */
static gint64
make_user (const gchar *login, LersUserRole role)
{
  g_autofree gchar *token = lers_check_http_user_token (login, role, PASSWORD);
  g_autofree gchar *sql = g_strdup_printf ("SELECT id FROM users WHERE login = '%s'", login);
  return lers_check_sql_int (sql);
}

/* Login sets an HttpOnly cookie; the next GET with it is 200, without 401 */
START_TEST (test_login_cookie)
{
  g_autofree gchar *cookie = NULL;
  g_autofree gchar *csrf = NULL;
  g_autoptr (AuthResponse) login = NULL;
  g_autoptr (AuthResponse) with = NULL;
  g_autoptr (AuthResponse) without = NULL;
  g_autoptr (JsonNode) root = NULL;
  JsonObject *o, *user;
  const gchar *set_cookie;

  make_user ("anna", LERS_USER_ROLE_VIEWER);
  login = auth_request ("POST", "/api/v1/auth/login",
                        "{\"login\": \"anna\", \"password\": \"" PASSWORD "\"}", NULL);
  ck_assert_msg (login->status == 200, "%u %s", login->status, login->body);
  set_cookie = auth_header (login, "Set-Cookie");
  ck_assert_msg (set_cookie != NULL, "no Set-Cookie");
  ck_assert_msg (g_str_has_prefix (set_cookie, "lers_session="), "%s", set_cookie);
  ck_assert_msg (strstr (set_cookie, "; HttpOnly") != NULL, "%s", set_cookie);
  ck_assert_msg (strstr (set_cookie, "; SameSite=Strict") != NULL, "%s", set_cookie);
  ck_assert_msg (strstr (set_cookie, "; Path=/") != NULL, "%s", set_cookie);
  /* plain HTTP: a Secure cookie would never come back */
  ck_assert_msg (strstr (set_cookie, "Secure") == NULL, "%s", set_cookie);
  /* the secret: 32 random bytes as 43 base64url characters */
  ck_assert_uint_eq (strcspn (set_cookie, ";"), strlen ("lers_session=") + 43);

  o = auth_object (login, &root);
  user = json_object_get_object_member (o, "user");
  ck_assert_str_eq (json_object_get_string_member (user, "login"), "anna");
  ck_assert_str_eq (json_object_get_string_member (user, "role"), "viewer");
  ck_assert (json_object_get_boolean_member (user, "enabled"));
  ck_assert (!json_object_has_member (user, "password"));
  ck_assert (!json_object_has_member (user, "password_hash"));
  ck_assert (!json_object_has_member (o, "token"));
  ck_assert_uint_gt (strlen (json_object_get_string_member (o, "csrf_token")), 0);

  cookie = g_strndup (set_cookie, strcspn (set_cookie, ";"));
  with = auth_request ("GET", "/api/v1/points", NULL, "Cookie", cookie, NULL);
  ck_assert_msg (with->status == 200, "%u %s", with->status, with->body);
  ck_assert (strstr (with->body, "Отопление") != NULL);

  without = auth_request ("GET", "/api/v1/points", NULL, NULL);
  auth_assert_error (without, 401, "unauthorized");
  ck_assert_str_eq (auth_header (without, "WWW-Authenticate"), "Bearer realm=\"lers\"");

  /* a made-up cookie or token is no better */
  {
    g_autoptr (AuthResponse) forged
        = auth_request ("GET", "/api/v1/points", NULL, "Cookie",
                        "lers_session=AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA", NULL);
    g_autoptr (AuthResponse) forged_bearer
        = auth_request ("GET", "/api/v1/points", NULL, "Authorization", "Bearer not-a-token", NULL);
    auth_assert_error (forged, 401, "unauthorized");
    auth_assert_error (forged_bearer, 401, "unauthorized");
  }

  /* the audit log has the login, by anna, from the loopback address */
  ck_assert_int_eq (lers_check_sql_int ("SELECT count(*) FROM audit_log WHERE action = 'login' "
                                        "AND login = 'anna' AND address = '127.0.0.1'"),
                    1);
  ck_assert_int_eq (lers_check_sql_int ("SELECT count(*) FROM user_sessions s JOIN users u ON "
                                        "u.id = s.user_id WHERE u.login = 'anna' AND s.kind = 0"),
                    1);
  (void) csrf;
}
END_TEST

/* A change with the cookie needs the session's X-CSRF-Token */
START_TEST (test_csrf)
{
  g_autofree gchar *cookie = NULL;
  g_autofree gchar *csrf = NULL;
  const gchar *job = "{\"points\": [1]}";

  make_user ("oleg", LERS_USER_ROLE_OPERATOR);
  auth_login_browser ("oleg", PASSWORD, &cookie, &csrf);
  {
    g_autoptr (AuthResponse) missing
        = auth_request ("POST", "/api/v1/poll/jobs", job, "Cookie", cookie, NULL);
    g_autoptr (AuthResponse) wrong = auth_request ("POST", "/api/v1/poll/jobs", job, "Cookie",
                                                   cookie, "X-CSRF-Token", "guess", NULL);
    g_autoptr (AuthResponse) right = auth_request ("POST", "/api/v1/poll/jobs", job, "Cookie",
                                                   cookie, "X-CSRF-Token", csrf, NULL);
    g_autoptr (AuthResponse) get
        = auth_request ("GET", "/api/v1/poll/jobs", NULL, "Cookie", cookie, NULL);

    auth_assert_error (missing, 403, "forbidden");
    ck_assert_msg (strstr (missing->body, "CSRF") != NULL, "%s", missing->body);
    auth_assert_error (wrong, 403, "forbidden");
    ck_assert_msg (strstr (wrong->body, "CSRF") != NULL, "%s", wrong->body);
    ck_assert_msg (right->status == 202, "%u %s", right->status, right->body);
    /* reading needs no CSRF token */
    ck_assert_msg (get->status == 200, "%u %s", get->status, get->body);
  }
  /* the refused requests made no job; the accepted one one */
  ck_assert_int_eq (lers_check_sql_int ("SELECT count(*) FROM poll_jobs WHERE point_id = 1"), 1);
}
END_TEST

/* A program's token from /auth/login {"token": true} works without CSRF */
START_TEST (test_login_token)
{
  g_autoptr (AuthResponse) login = NULL;
  g_autoptr (AuthResponse) job = NULL;
  g_autoptr (JsonNode) root = NULL;
  g_autofree gchar *bearer = NULL;
  JsonObject *o;

  make_user ("script", LERS_USER_ROLE_OPERATOR);
  login = auth_request ("POST", "/api/v1/auth/login",
                        "{\"login\": \"script\", \"password\": \"" PASSWORD
                        "\", \"token\": true, \"title\": \"nightly export\"}",
                        NULL);
  ck_assert_msg (login->status == 200, "%u %s", login->status, login->body);
  ck_assert (auth_header (login, "Set-Cookie") == NULL);
  o = auth_object (login, &root);
  ck_assert_str_eq (
      json_object_get_string_member (json_object_get_object_member (o, "user"), "login"), "script");
  ck_assert_uint_eq (strlen (json_object_get_string_member (o, "token")), 43);
  ck_assert (!json_object_has_member (o, "csrf_token"));

  bearer = auth_bearer (json_object_get_string_member (o, "token"));
  job = auth_request ("POST", "/api/v1/poll/jobs", "{\"points\": [2]}", "Authorization", bearer,
                      NULL);
  ck_assert_msg (job->status == 202, "%u %s", job->status, job->body);
  /* stored as a token (kind 1) with its title, and audited */
  ck_assert_int_eq (lers_check_sql_int ("SELECT count(*) FROM user_sessions WHERE kind = 1 AND "
                                        "title = 'nightly export'"),
                    1);
  ck_assert_int_eq (lers_check_sql_int ("SELECT count(*) FROM audit_log WHERE action = "
                                        "'token-create' AND login = 'script'"),
                    1);
  /* the secret is not in the database, in any column */
  {
    g_autofree gchar *sql = g_strdup_printf (
        "SELECT (SELECT count(*) FROM user_sessions s WHERE s::text LIKE '%%%s%%') + "
        "(SELECT count(*) FROM audit_log a WHERE a::text LIKE '%%%s%%')",
        json_object_get_string_member (o, "token"), json_object_get_string_member (o, "token"));
    ck_assert_int_eq (lers_check_sql_int (sql), 0);
  }
}
END_TEST

/* The sixth wrong password in a row is 429 with Retry-After */
START_TEST (test_throttle)
{
  make_user ("vera", LERS_USER_ROLE_VIEWER);
  for (guint i = 1; i <= 5; i++)
    {
      g_autoptr (AuthResponse) r = auth_request (
          "POST", "/api/v1/auth/login", "{\"login\": \"vera\", \"password\": \"wrong one\"}", NULL);
      auth_assert_error (r, 401, "unauthorized");
    }
  {
    g_autoptr (AuthResponse) sixth = auth_request (
        "POST", "/api/v1/auth/login", "{\"login\": \"vera\", \"password\": \"wrong one\"}", NULL);
    g_autoptr (AuthResponse) right
        = auth_request ("POST", "/api/v1/auth/login",
                        "{\"login\": \"vera\", \"password\": \"" PASSWORD "\"}", NULL);
    const gchar *retry;
    gint64 seconds;

    auth_assert_error (sixth, 429, "too-many-requests");
    retry = auth_header (sixth, "Retry-After");
    ck_assert_msg (retry != NULL, "no Retry-After");
    seconds = g_ascii_strtoll (retry, NULL, 10);
    /* blocked for 15 minutes = 900 s, counted from the failure just made */
    ck_assert_msg (seconds > 0 && seconds <= 900, "Retry-After: %s", retry);
    /* while blocked, even the right password waits */
    auth_assert_error (right, 429, "too-many-requests");
    ck_assert (auth_header (right, "Set-Cookie") == NULL);
  }
  ck_assert_int_ge (lers_check_sql_int ("SELECT count(*) FROM audit_log WHERE action = "
                                        "'login-failed'"),
                    5);
}
END_TEST

/* The roles against the routes' access levels */
START_TEST (test_roles)
{
  g_autofree gchar *viewer = NULL, *operator= NULL, *subscriber = NULL;
  const gchar *job = "{\"points\": [4]}";

  {
    g_autofree gchar *t1 = lers_check_http_user_token ("vika", LERS_USER_ROLE_VIEWER, NULL);
    g_autofree gchar *t2 = lers_check_http_user_token ("olga", LERS_USER_ROLE_OPERATOR, NULL);
    g_autofree gchar *t3 = lers_check_http_user_token ("sasha", LERS_USER_ROLE_SUBSCRIBER, NULL);
    viewer = auth_bearer (t1);
    operator= auth_bearer (t2);
    subscriber = auth_bearer (t3);
  }
  {
    g_autoptr (AuthResponse) v_post
        = auth_request ("POST", "/api/v1/poll/jobs", job, "Authorization", viewer, NULL);
    g_autoptr (AuthResponse) v_get
        = auth_request ("GET", "/api/v1/poll/jobs", NULL, "Authorization", viewer, NULL);
    g_autoptr (AuthResponse) o_post
        = auth_request ("POST", "/api/v1/poll/jobs", job, "Authorization", operator, NULL);
    g_autoptr (AuthResponse) s_get
        = auth_request ("GET", "/api/v1/poll/jobs", NULL, "Authorization", subscriber, NULL);
    g_autoptr (AuthResponse) s_me
        = auth_request ("GET", "/api/v1/auth/me", NULL, "Authorization", subscriber, NULL);
    g_autoptr (AuthResponse) o_users
        = auth_request ("POST", "/api/v1/users", "{\"login\": \"x\", \"role\": \"admin\"}",
                        "Authorization", operator, NULL);

    auth_assert_error (v_post, 403, "forbidden");
    ck_assert_msg (strstr (v_post->body, "viewer") != NULL, "%s", v_post->body);
    ck_assert_msg (v_get->status == 200, "%u %s", v_get->status, v_get->body);
    ck_assert_msg (o_post->status == 202, "%u %s", o_post->status, o_post->body);
    auth_assert_error (s_get, 403, "forbidden");
    ck_assert_msg (s_me->status == 200, "%u %s", s_me->status, s_me->body);
    auth_assert_error (o_users, 403, "forbidden");
  }
  /* only the operator's job was made, and no user "x" */
  ck_assert_int_eq (lers_check_sql_int ("SELECT count(*) FROM poll_jobs WHERE point_id = 4"), 1);
  ck_assert_int_eq (lers_check_sql_int ("SELECT count(*) FROM users WHERE login = 'x'"), 0);
}
END_TEST

/* Logout ends the session: the old cookie is 401 */
START_TEST (test_logout)
{
  g_autofree gchar *cookie = NULL;
  g_autofree gchar *csrf = NULL;

  make_user ("lena", LERS_USER_ROLE_VIEWER);
  auth_login_browser ("lena", PASSWORD, &cookie, &csrf);
  {
    g_autoptr (AuthResponse) out = auth_request ("POST", "/api/v1/auth/logout", NULL, "Cookie",
                                                 cookie, "X-CSRF-Token", csrf, NULL);
    g_autoptr (AuthResponse) after
        = auth_request ("GET", "/api/v1/auth/me", NULL, "Cookie", cookie, NULL);
    const gchar *cleared;

    ck_assert_msg (out->status == 204, "%u %s", out->status, out->body);
    cleared = auth_header (out, "Set-Cookie");
    ck_assert_msg (cleared != NULL && g_str_has_prefix (cleared, "lers_session=;")
                       && strstr (cleared, "Max-Age=0") != NULL,
                   "%s", cleared != NULL ? cleared : "no Set-Cookie");
    auth_assert_error (after, 401, "unauthorized");
  }
  /* no browser session left (make_user's API token stays) */
  ck_assert_int_eq (lers_check_sql_int ("SELECT count(*) FROM user_sessions s JOIN users u ON "
                                        "u.id = s.user_id WHERE u.login = 'lena' AND s.kind = 0"),
                    0);
  ck_assert_int_eq (lers_check_sql_int ("SELECT count(*) FROM user_sessions s JOIN users u ON "
                                        "u.id = s.user_id WHERE u.login = 'lena' AND s.kind = 1"),
                    1);
  ck_assert_int_eq (lers_check_sql_int ("SELECT count(*) FROM audit_log WHERE action = 'logout' "
                                        "AND login = 'lena' AND entity = 'session'"),
                    1);

  /* with an API token, logout ends nothing: the token still works */
  {
    g_autofree gchar *token = lers_check_http_user_token ("lena", LERS_USER_ROLE_VIEWER, NULL);
    g_autofree gchar *bearer = auth_bearer (token);
    g_autoptr (AuthResponse) out
        = auth_request ("POST", "/api/v1/auth/logout", NULL, "Authorization", bearer, NULL);
    g_autoptr (AuthResponse) after
        = auth_request ("GET", "/api/v1/auth/me", NULL, "Authorization", bearer, NULL);

    ck_assert_msg (out->status == 204, "%u %s", out->status, out->body);
    ck_assert (auth_header (out, "Set-Cookie") == NULL);
    ck_assert_msg (after->status == 200, "%u %s", after->status, after->body);
  }
}
END_TEST

/* A disabled user's token stops working at once */
START_TEST (test_disabled_user)
{
  g_autofree gchar *token = lers_check_http_user_token ("ivan", LERS_USER_ROLE_OPERATOR, NULL);
  g_autofree gchar *bearer = auth_bearer (token);
  g_autofree gchar *target
      = g_strdup_printf ("/api/v1/users/%" G_GINT64_FORMAT,
                         lers_check_sql_int ("SELECT id FROM users WHERE login = 'ivan'"));
  g_autoptr (AuthResponse) before
      = auth_request ("GET", "/api/v1/auth/me", NULL, "Authorization", bearer, NULL);
  g_autoptr (PollResponse) disable = poll_request ("PATCH", target, "{\"enabled\": false}");
  g_autoptr (AuthResponse) after
      = auth_request ("GET", "/api/v1/auth/me", NULL, "Authorization", bearer, NULL);

  ck_assert_msg (before->status == 200, "%u %s", before->status, before->body);
  ck_assert_msg (disable->status == 200, "%u %s", disable->status, disable->body);
  ck_assert_int_eq (lers_check_sql_int ("SELECT enabled::int FROM users WHERE login = 'ivan'"), 0);
  auth_assert_error (after, 401, "unauthorized");
}
END_TEST

/* GET /auth/me: the user, its scopes and, for a browser, the CSRF token */
START_TEST (test_me)
{
  g_autofree gchar *cookie = NULL;
  g_autofree gchar *csrf = NULL;
  g_autoptr (AuthResponse) me = NULL;
  g_autoptr (JsonNode) root = NULL;
  JsonObject *o;
  JsonArray *scopes;
  gint64 id = make_user ("nina", LERS_USER_ROLE_SUBSCRIBER);
  g_autofree gchar *scope_sql = g_strdup_printf (
      "INSERT INTO user_scopes (user_id, node_id) VALUES (%" G_GINT64_FORMAT ", 1)", id);

  lers_check_sql_exec (scope_sql);
  auth_login_browser ("nina", PASSWORD, &cookie, &csrf);
  me = auth_request ("GET", "/api/v1/auth/me", NULL, "Cookie", cookie, NULL);
  ck_assert_msg (me->status == 200, "%u %s", me->status, me->body);
  o = auth_object (me, &root);
  ck_assert_int_eq (json_object_get_int_member (json_object_get_object_member (o, "user"), "id"),
                    id);
  ck_assert_str_eq (
      json_object_get_string_member (json_object_get_object_member (o, "user"), "role"),
      "subscriber");
  ck_assert_str_eq (json_object_get_string_member (o, "csrf_token"), csrf);
  ck_assert_str_eq (json_object_get_string_member (o, "session"), "browser");
  scopes = json_object_get_array_member (o, "scopes");
  ck_assert_uint_eq (json_array_get_length (scopes), 1);
  ck_assert_str_eq (
      json_object_get_string_member (json_array_get_object_element (scopes, 0), "kind"), "node");
  ck_assert_int_eq (json_object_get_int_member (json_array_get_object_element (scopes, 0), "id"),
                    1);
  ck_assert_str_eq (
      json_object_get_string_member (json_array_get_object_element (scopes, 0), "title"), "ИТП 1");
}
END_TEST

/* /auth/session: who is logged in, without a 401 for a visitor who is not
 * (the web application asks it on load); a stale cookie is nobody too */
START_TEST (test_session)
{
  g_autofree gchar *cookie = NULL;
  g_autofree gchar *csrf = NULL;
  g_autoptr (AuthResponse) anonymous = NULL;
  g_autoptr (AuthResponse) stale = NULL;
  g_autoptr (AuthResponse) known = NULL;
  g_autoptr (JsonNode) root1 = NULL;
  g_autoptr (JsonNode) root2 = NULL;
  g_autoptr (JsonNode) root3 = NULL;
  JsonObject *o;

  make_user ("oleg", LERS_USER_ROLE_OPERATOR);
  anonymous = auth_request ("GET", "/api/v1/auth/session", NULL, NULL);
  ck_assert_msg (anonymous->status == 200, "%u %s", anonymous->status, anonymous->body);
  o = auth_object (anonymous, &root1);
  ck_assert (json_object_has_member (o, "user"));
  ck_assert (json_object_get_null_member (o, "user"));
  ck_assert (!json_object_has_member (o, "csrf_token"));

  stale = auth_request ("GET", "/api/v1/auth/session", NULL, "Cookie",
                        "lers_session=AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA", NULL);
  ck_assert_msg (stale->status == 200, "%u %s", stale->status, stale->body);
  o = auth_object (stale, &root2);
  ck_assert (json_object_get_null_member (o, "user"));

  auth_login_browser ("oleg", PASSWORD, &cookie, &csrf);
  known = auth_request ("GET", "/api/v1/auth/session", NULL, "Cookie", cookie, NULL);
  ck_assert_msg (known->status == 200, "%u %s", known->status, known->body);
  o = auth_object (known, &root3);
  ck_assert_str_eq (
      json_object_get_string_member (json_object_get_object_member (o, "user"), "login"), "oleg");
  ck_assert_str_eq (json_object_get_string_member (o, "csrf_token"), csrf);
}
END_TEST

/* The caller's own API tokens: made, listed without the secret, revoked */
START_TEST (test_tokens)
{
  g_autofree gchar *token = lers_check_http_user_token ("pavel", LERS_USER_ROLE_VIEWER, NULL);
  g_autofree gchar *bearer = auth_bearer (token);
  g_autofree gchar *other_token = lers_check_http_user_token ("rita", LERS_USER_ROLE_VIEWER, NULL);
  gint64 other_id = lers_check_sql_int ("SELECT s.id FROM user_sessions s JOIN users u ON u.id = "
                                        "s.user_id WHERE u.login = 'rita'");
  g_autoptr (AuthResponse) made = NULL;
  g_autoptr (JsonNode) made_root = NULL;
  g_autofree gchar *new_bearer = NULL;
  g_autofree gchar *target = NULL;
  g_autofree gchar *other_target = NULL;
  JsonObject *o;
  gint64 id;

  made = auth_request ("POST", "/api/v1/auth/tokens", "{\"title\": \"cron\"}", "Authorization",
                       bearer, NULL);
  ck_assert_msg (made->status == 201, "%u %s", made->status, made->body);
  o = auth_object (made, &made_root);
  id = json_object_get_int_member (o, "id");
  ck_assert_str_eq (json_object_get_string_member (o, "title"), "cron");
  ck_assert (json_object_get_null_member (o, "expires"));
  new_bearer = auth_bearer (json_object_get_string_member (o, "token"));
  {
    g_autoptr (AuthResponse) list
        = auth_request ("GET", "/api/v1/auth/tokens", NULL, "Authorization", new_bearer, NULL);
    g_autoptr (JsonNode) root = NULL;
    JsonArray *items;

    ck_assert_msg (list->status == 200, "%u %s", list->status, list->body);
    items = json_object_get_array_member (auth_object (list, &root), "items");
    /* lers-check's and "cron", newest first */
    ck_assert_uint_eq (json_array_get_length (items), 2);
    ck_assert_int_eq (json_object_get_int_member (json_array_get_object_element (items, 0), "id"),
                      id);
    ck_assert (!json_object_has_member (json_array_get_object_element (items, 0), "token"));
    ck_assert (strstr (list->body, json_object_get_string_member (o, "token")) == NULL);
  }
  /* someone else's token is not ours to revoke */
  other_target = g_strdup_printf ("/api/v1/auth/tokens/%" G_GINT64_FORMAT, other_id);
  {
    g_autoptr (AuthResponse) r
        = auth_request ("DELETE", other_target, NULL, "Authorization", bearer, NULL);
    auth_assert_error (r, 404, "not-found");
  }
  target = g_strdup_printf ("/api/v1/auth/tokens/%" G_GINT64_FORMAT, id);
  {
    g_autoptr (AuthResponse) r
        = auth_request ("DELETE", target, NULL, "Authorization", bearer, NULL);
    g_autoptr (AuthResponse) gone
        = auth_request ("GET", "/api/v1/auth/me", NULL, "Authorization", new_bearer, NULL);
    ck_assert_msg (r->status == 204, "%u %s", r->status, r->body);
    auth_assert_error (gone, 401, "unauthorized");
  }
  ck_assert_int_eq (lers_check_sql_int ("SELECT count(*) FROM user_sessions s JOIN users u ON "
                                        "u.id = s.user_id WHERE u.login = 'rita'"),
                    1);
  ck_assert_int_eq (lers_check_sql_int ("SELECT count(*) FROM audit_log WHERE login = 'pavel' "
                                        "AND action IN ('token-create', 'token-revoke')"),
                    2);
}
END_TEST

/* One's own password: the old one is checked, the new one works */
START_TEST (test_password)
{
  g_autofree gchar *cookie = NULL;
  g_autofree gchar *csrf = NULL;

  make_user ("gleb", LERS_USER_ROLE_VIEWER);
  auth_login_browser ("gleb", PASSWORD, &cookie, &csrf);
  {
    g_autoptr (AuthResponse) wrong = auth_request (
        "POST", "/api/v1/auth/password", "{\"old\": \"not it at all\", \"new\": \"brand new pw\"}",
        "Cookie", cookie, "X-CSRF-Token", csrf, NULL);
    g_autoptr (AuthResponse) right = auth_request (
        "POST", "/api/v1/auth/password", "{\"old\": \"" PASSWORD "\", \"new\": \"brand new pw\"}",
        "Cookie", cookie, "X-CSRF-Token", csrf, NULL);
    g_autoptr (AuthResponse) old_login
        = auth_request ("POST", "/api/v1/auth/login",
                        "{\"login\": \"gleb\", \"password\": \"" PASSWORD "\"}", NULL);
    g_autoptr (AuthResponse) new_login
        = auth_request ("POST", "/api/v1/auth/login",
                        "{\"login\": \"gleb\", \"password\": \"brand new pw\"}", NULL);

    auth_assert_error (wrong, 403, "permission-denied");
    ck_assert_msg (right->status == 200, "%u %s", right->status, right->body);
    /* the browser's sessions ended with the change; the answer brings a new one */
    ck_assert_msg (auth_header (right, "Set-Cookie") != NULL, "no new cookie");
    auth_assert_error (old_login, 401, "unauthorized");
    ck_assert_msg (new_login->status == 200, "%u %s", new_login->status, new_login->body);
  }
  ck_assert_int_eq (lers_check_sql_int ("SELECT count(*) FROM audit_log WHERE action = "
                                        "'password' AND login = 'gleb'"),
                    1);

  /* guessing the old password is throttled as logins are: after 5
   * failures for the login, 429 with Retry-After (new_login above, a
   * success, cleared the count) */
  {
    g_autofree gchar *token = lers_check_http_user_token ("gleb", LERS_USER_ROLE_VIEWER, NULL);
    g_autofree gchar *bearer = auth_bearer (token);
    const gchar *guess = "{\"old\": \"a wrong guess\", \"new\": \"whatever new\"}";

    for (guint i = 0; i < 5; i++)
      {
        g_autoptr (AuthResponse) r
            = auth_request ("POST", "/api/v1/auth/password", guess, "Authorization", bearer, NULL);
        auth_assert_error (r, 403, "permission-denied");
      }
    {
      g_autoptr (AuthResponse) r
          = auth_request ("POST", "/api/v1/auth/password", guess, "Authorization", bearer, NULL);
      auth_assert_error (r, 429, "too-many-requests");
      ck_assert_msg (auth_header (r, "Retry-After") != NULL, "no Retry-After");
    }
  }
  ck_assert_int_eq (lers_check_sql_int ("SELECT count(*) FROM audit_log WHERE before::text LIKE "
                                        "'%brand new%' OR after::text LIKE '%brand new%'"),
                    0);
}
END_TEST

/* Public routes answer without credentials; bad bodies are 400 */
START_TEST (test_login_bad)
{
  g_autoptr (AuthResponse) not_json
      = auth_request ("POST", "/api/v1/auth/login", "{\"login\": ", NULL);
  g_autoptr (AuthResponse) no_password
      = auth_request ("POST", "/api/v1/auth/login", "{\"login\": \"anna\"}", NULL);
  g_autoptr (AuthResponse) number
      = auth_request ("POST", "/api/v1/auth/login", "{\"login\": 5, \"password\": \"x\"}", NULL);
  g_autoptr (AuthResponse) unknown = auth_request (
      "POST", "/api/v1/auth/login", "{\"login\": \"nobody\", \"password\": \"whatever1\"}", NULL);

  auth_assert_error (not_json, 400, "invalid-argument");
  auth_assert_error (no_password, 400, "invalid-argument");
  ck_assert_msg (strstr (no_password->body, "password") != NULL, "%s", no_password->body);
  auth_assert_error (number, 400, "invalid-argument");
  auth_assert_error (unknown, 401, "unauthorized");

  /* a NUL would silently cut the string short: refused */
  {
    g_autoptr (AuthResponse) nul = auth_request (
        "POST", "/api/v1/auth/login", "{\"login\": \"anna\\u0000x\", \"password\": \"y\"}", NULL);
    g_autoptr (AuthResponse) escaped
        = auth_request ("POST", "/api/v1/auth/login",
                        "{\"login\": \"a\\\\u0000\", \"password\": \"whatever1\"}", NULL);
    auth_assert_error (nul, 400, "invalid-argument");
    /* an escaped backslash before "u0000" is no NUL: an unknown login */
    auth_assert_error (escaped, 401, "unauthorized");
  }
  /* a route that takes no body refuses one that is not a JSON object */
  {
    g_autofree gchar *token = lers_check_http_admin_token ();
    g_autofree gchar *bearer = auth_bearer (token);
    g_autoptr (AuthResponse) array
        = auth_request ("POST", "/api/v1/auth/logout", "[]", "Authorization", bearer, NULL);
    g_autoptr (AuthResponse) broken
        = auth_request ("POST", "/api/v1/auth/logout", "{", "Authorization", bearer, NULL);
    g_autoptr (AuthResponse) object
        = auth_request ("POST", "/api/v1/auth/logout", "{}", "Authorization", bearer, NULL);
    auth_assert_error (array, 400, "invalid-argument");
    auth_assert_error (broken, 400, "invalid-argument");
    ck_assert_msg (object->status == 204, "%u %s", object->status, object->body);
  }
}
END_TEST

int
main (int argc, char **argv)
{
  Suite *s = suite_create ("auth-api");
  TCase *tc = tcase_create ("auth-api");

  lers_check_init (&argc, &argv);
  tcase_set_timeout (tc, 120);
  tcase_add_unchecked_fixture (tc, lers_check_cluster_setup, lers_check_cluster_teardown);
  tcase_add_checked_fixture (tc, auth_setup, auth_teardown);
  tcase_add_test (tc, test_login_cookie);
  tcase_add_test (tc, test_csrf);
  tcase_add_test (tc, test_login_token);
  tcase_add_test (tc, test_throttle);
  tcase_add_test (tc, test_roles);
  tcase_add_test (tc, test_logout);
  tcase_add_test (tc, test_disabled_user);
  tcase_add_test (tc, test_me);
  tcase_add_test (tc, test_session);
  tcase_add_test (tc, test_tokens);
  tcase_add_test (tc, test_password);
  tcase_add_test (tc, test_login_bad);
  suite_add_tcase (s, tc);
  return lers_check_run_suite (s);
}
