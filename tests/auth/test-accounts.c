/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* LersAccounts against a real throwaway PostgreSQL: passwords, login
 * throttle, sessions and tokens, visibility, last-admin guard, audit
 * masking, group rename. Expected values come from the rows the tests
 * insert with SQL and read back with SQL, not from the code under test. */
#include <lers.h>
#include <sodium.h>
#include <string.h>

#include "../check/lers-check.h"
#include "auth/lers-accounts-private.h"

static LersAccounts *
new_accounts (void)
{
  return lers_accounts_new (lers_check_get_store ());
}

static LersUser *
add_user (LersAccounts *acc, const gchar *login, LersUserRole role, const gchar *password)
{
  g_autoptr (GError) error = NULL;
  LersUser *user = lers_accounts_add_user_sync (acc, login, role, password, NULL, &error);
  ck_assert_msg (user != NULL, "add %s: %s", login, error != NULL ? error->message : "");
  return user;
}

START_TEST (test_hash_is_argon2id)
{
  g_autoptr (LersAccounts) acc = new_accounts ();
  g_autoptr (LersUser) user = add_user (acc, "ivanov", LERS_USER_ROLE_OPERATOR, "correct horse");
  g_autofree gchar *hash = NULL;
  g_autofree gchar *sql = NULL;

  ck_assert_int_gt (lers_user_get_id (user), 0);
  sql = g_strdup_printf ("SELECT password_hash FROM users WHERE id = %" G_GINT64_FORMAT,
                         lers_user_get_id (user));
  hash = lers_check_sql_value (sql);
  ck_assert_ptr_nonnull (hash);
  ck_assert_msg (g_str_has_prefix (hash, "$argon2id$"), "hash %s", hash);
  ck_assert_ptr_null (strstr (hash, "correct horse"));
  /* role 1 is operator in the migration's comment */
  ck_assert_int_eq (lers_check_sql_int ("SELECT role FROM users WHERE login = 'ivanov'"), 1);
}
END_TEST

START_TEST (test_login_right_and_wrong)
{
  g_autoptr (LersAccounts) acc = new_accounts ();
  g_autoptr (LersUser) user = add_user (acc, "Petrov", LERS_USER_ROLE_VIEWER, "пароль-123");
  g_autoptr (LersUser) in = NULL;
  g_autoptr (LersUser) bad = NULL;
  g_autoptr (GError) error = NULL;
  guint retry = 99;

  /* login is case-insensitive; password is not */
  in = lers_accounts_login_sync (acc, "petrov", "пароль-123", "10.0.0.1", &retry, NULL, &error);
  ck_assert_msg (in != NULL, "%s", error != NULL ? error->message : "");
  ck_assert_int_eq (lers_user_get_id (in), lers_user_get_id (user));
  ck_assert_int_eq (retry, 0);
  ck_assert_ptr_nonnull (lers_user_get_last_login (in));
  ck_assert_int_eq (
      lers_check_sql_int ("SELECT count(*) FROM users WHERE last_login_at IS NOT NULL"), 1);

  bad = lers_accounts_login_sync (acc, "petrov", "ПАРОЛЬ-123", "10.0.0.1", &retry, NULL, &error);
  ck_assert_ptr_null (bad);
  ck_assert (g_error_matches (error, LERS_ERROR, LERS_ERROR_PERMISSION_DENIED));
  g_clear_error (&error);
  /* an unknown login gets the same error and message */
  bad = lers_accounts_login_sync (acc, "nobody", "пароль-123", "10.0.0.1", &retry, NULL, &error);
  ck_assert_ptr_null (bad);
  ck_assert (g_error_matches (error, LERS_ERROR, LERS_ERROR_PERMISSION_DENIED));

  ck_assert_int_eq (
      lers_check_sql_int (
          "SELECT count(*) FROM audit_log WHERE action = 'login' AND login = 'Petrov'"),
      1);
  ck_assert_int_eq (
      lers_check_sql_int ("SELECT count(*) FROM audit_log WHERE action = 'login-failed'"), 2);
}
END_TEST

/* A hash made with weaker limits (an older server's) is replaced at the
 * next login with one of libsodium's interactive limits: opslimit 2 and
 * memlimit 64 MiB = 65536 KiB, written "m=65536,t=2,p=1". */
START_TEST (test_rehash_on_login)
{
  g_autoptr (LersAccounts) acc = new_accounts ();
  g_autoptr (LersUser) user = add_user (acc, "old", LERS_USER_ROLE_VIEWER, NULL);
  g_autoptr (LersUser) in = NULL;
  g_autoptr (GError) error = NULL;
  g_autofree gchar *sql = NULL;
  g_autofree gchar *hash = NULL;
  gchar weak[crypto_pwhash_STRBYTES];
  const gchar *password = "old-password";

  ck_assert_int_ge (sodium_init (), 0);
  ck_assert_int_eq (crypto_pwhash_str (weak, password, strlen (password), 1, 8 * 1024 * 1024), 0);
  ck_assert_ptr_nonnull (strstr (weak, "m=8192,t=1,"));
  sql = g_strdup_printf ("UPDATE users SET password_hash = '%s' WHERE login = 'old'", weak);
  lers_check_sql_exec (sql);

  in = lers_accounts_login_sync (acc, "old", password, NULL, NULL, NULL, &error);
  lers_check_assert_no_error (error);
  hash = lers_check_sql_value ("SELECT password_hash FROM users WHERE login = 'old'");
  ck_assert_msg (g_str_has_prefix (hash, "$argon2id$v=19$m=65536,t=2,p=1$"), "%s", hash);
  /* and the new hash still takes the password */
  g_clear_object (&in);
  in = lers_accounts_login_sync (acc, "old", password, NULL, NULL, NULL, &error);
  lers_check_assert_no_error (error);
}
END_TEST

START_TEST (test_short_password_refused)
{
  g_autoptr (LersAccounts) acc = new_accounts ();
  g_autoptr (GError) error = NULL;
  g_autoptr (LersUser) user = NULL;

  /* 7 characters (14 bytes in UTF-8): too short */
  user = lers_accounts_add_user_sync (acc, "sidorov", LERS_USER_ROLE_VIEWER, "пароль7", NULL,
                                      &error);
  ck_assert_ptr_null (user);
  ck_assert (g_error_matches (error, LERS_ERROR, LERS_ERROR_INVALID_ARGUMENT));
  g_clear_error (&error);
  user = lers_accounts_add_user_sync (acc, "bad login", LERS_USER_ROLE_VIEWER, NULL, NULL, &error);
  ck_assert_ptr_null (user);
  ck_assert (g_error_matches (error, LERS_ERROR, LERS_ERROR_INVALID_ARGUMENT));
  ck_assert_int_eq (lers_check_sql_int ("SELECT count(*) FROM users"), 0);
}
END_TEST

START_TEST (test_duplicate_login_refused)
{
  g_autoptr (LersAccounts) acc = new_accounts ();
  g_autoptr (LersUser) a = add_user (acc, "Admin", LERS_USER_ROLE_ADMIN, NULL);
  g_autoptr (LersUser) b = NULL;
  g_autoptr (GError) error = NULL;

  b = lers_accounts_add_user_sync (acc, "admin", LERS_USER_ROLE_VIEWER, NULL, NULL, &error);
  ck_assert_ptr_null (b);
  ck_assert (g_error_matches (error, LERS_ERROR, LERS_ERROR_INVALID_ARGUMENT));
  ck_assert_int_eq (lers_check_sql_int ("SELECT count(*) FROM users"), 1);
}
END_TEST

START_TEST (test_throttle_login)
{
  g_autoptr (LersAccounts) acc = new_accounts ();
  g_autoptr (LersUser) user = add_user (acc, "sidorov", LERS_USER_ROLE_VIEWER, "right-password");
  g_autoptr (GError) error = NULL;
  g_autoptr (LersUser) in = NULL;
  guint retry = 0;

  for (gint i = 0; i < 5; i++)
    {
      g_autoptr (LersUser) bad = lers_accounts_login_sync (acc, "sidorov", "wrong-password",
                                                           "10.0.0.2", &retry, NULL, &error);
      ck_assert_ptr_null (bad);
      ck_assert_msg (g_error_matches (error, LERS_ERROR, LERS_ERROR_PERMISSION_DENIED),
                     "attempt %d: %s", i + 1, error->message);
      ck_assert_int_eq (retry, 0);
      g_clear_error (&error);
    }
  ck_assert_int_eq (
      lers_check_sql_int ("SELECT failures FROM login_throttle WHERE key = 'login:sidorov'"), 5);
  /* the 6th attempt, with the right password, is refused: 15 minutes
   * = 900 s of block left, less the time the test took */
  in = lers_accounts_login_sync (acc, "sidorov", "right-password", "10.0.0.2", &retry, NULL,
                                 &error);
  ck_assert_ptr_null (in);
  ck_assert_msg (g_error_matches (error, LERS_ERROR, LERS_ERROR_BUSY), "%s", error->message);
  ck_assert_int_gt (retry, 0);
  ck_assert_int_le (retry, 900);
  g_clear_error (&error);

  /* once the block is over (moved into the past with SQL) the right
   * password works and clears the login's counter */
  lers_check_sql_exec ("UPDATE login_throttle SET blocked_until = now() - interval '1 second', "
                       "window_start = now() - interval '1 hour'");
  in = lers_accounts_login_sync (acc, "sidorov", "right-password", "10.0.0.2", &retry, NULL,
                                 &error);
  ck_assert_msg (in != NULL, "%s", error != NULL ? error->message : "");
  ck_assert_int_eq (
      lers_check_sql_int ("SELECT count(*) FROM login_throttle WHERE key = 'login:sidorov'"), 0);
}
END_TEST

START_TEST (test_throttle_address)
{
  g_autoptr (LersAccounts) acc = new_accounts ();
  g_autoptr (LersUser) user = add_user (acc, "kuznetsov", LERS_USER_ROLE_VIEWER, "right-password");
  g_autoptr (GError) error = NULL;
  g_autoptr (LersUser) in = NULL;
  guint retry = 0;

  /* 20 failures over 20 different logins: no login reaches its limit */
  for (gint i = 0; i < 20; i++)
    {
      g_autofree gchar *login = g_strdup_printf ("guess%d", i);
      g_autoptr (LersUser) bad = lers_accounts_login_sync (acc, login, "wrong-password",
                                                           "192.0.2.7", &retry, NULL, &error);
      ck_assert_ptr_null (bad);
      ck_assert_msg (g_error_matches (error, LERS_ERROR, LERS_ERROR_PERMISSION_DENIED),
                     "attempt %d: %s", i + 1, error->message);
      g_clear_error (&error);
    }
  ck_assert_int_eq (
      lers_check_sql_int ("SELECT failures FROM login_throttle WHERE key = 'address:192.0.2.7'"),
      20);
  /* the address is blocked now, even for a right password of a login
   * that never failed */
  in = lers_accounts_login_sync (acc, "kuznetsov", "right-password", "192.0.2.7", &retry, NULL,
                                 &error);
  ck_assert_ptr_null (in);
  ck_assert_msg (g_error_matches (error, LERS_ERROR, LERS_ERROR_BUSY), "%s", error->message);
  ck_assert_int_gt (retry, 0);
  g_clear_error (&error);
  /* from another address it works */
  in = lers_accounts_login_sync (acc, "kuznetsov", "right-password", "192.0.2.8", &retry, NULL,
                                 &error);
  ck_assert_msg (in != NULL, "%s", error != NULL ? error->message : "");
}
END_TEST

/* Many attempts at once for one login. */
typedef struct
{
  LersAccounts *acc;
  const gchar *login;
  const gchar *password;
  const gchar *address;
  LersUser *user;
  GError *error;
} LoginJob;

static gpointer
login_thread (gpointer data)
{
  LoginJob *job = data;
  guint retry = 0;

  job->user = lers_accounts_login_sync (job->acc, job->login, job->password, job->address, &retry,
                                        NULL, &job->error);
  return NULL;
}

static void
run_logins (LoginJob *jobs, gint n)
{
  GThread *threads[16];

  g_assert (n <= 16);
  for (gint i = 0; i < n; i++)
    threads[i] = g_thread_new ("login", login_thread, &jobs[i]);
  for (gint i = 0; i < n; i++)
    g_thread_join (threads[i]);
}

START_TEST (test_throttle_parallel)
{
  g_autoptr (LersAccounts) acc = new_accounts ();
  g_autoptr (LersUser) user = add_user (acc, "orlov", LERS_USER_ROLE_VIEWER, "right-password");
  LoginJob jobs[10];
  gint denied = 0, busy = 0;

  for (gint i = 0; i < 10; i++)
    jobs[i] = (LoginJob){ acc, "orlov", "wrong-password", "10.0.0.9", NULL, NULL };
  run_logins (jobs, 10);
  for (gint i = 0; i < 10; i++)
    {
      ck_assert_ptr_null (jobs[i].user);
      ck_assert_ptr_nonnull (jobs[i].error);
      if (g_error_matches (jobs[i].error, LERS_ERROR, LERS_ERROR_PERMISSION_DENIED))
        denied++;
      else if (g_error_matches (jobs[i].error, LERS_ERROR, LERS_ERROR_BUSY))
        busy++;
      else
        ck_abort_msg ("attempt %d: %s", i, jobs[i].error->message);
      g_clear_error (&jobs[i].error);
    }
  ck_assert_int_le (denied, 5);
  ck_assert_int_eq (denied + busy, 10);
  ck_assert_int_ge (
      lers_check_sql_int ("SELECT failures FROM login_throttle WHERE key = 'login:orlov'"), 5);
  ck_assert_int_eq (lers_check_sql_int ("SELECT count(*) FROM login_throttle WHERE key = "
                                        "'login:orlov' AND blocked_until > now()"),
                    1);
}
END_TEST

START_TEST (test_hash_limit_no_deadlock)
{
  g_autoptr (LersAccounts) acc = new_accounts ();
  g_autoptr (LersUser) a = add_user (acc, "belov", LERS_USER_ROLE_VIEWER, "right-password");
  g_autoptr (LersUser) b = add_user (acc, "chernov", LERS_USER_ROLE_VIEWER, "right-password");
  LoginJob jobs[4];

  lers_accounts_set_hash_limit (acc, 1);
  jobs[0] = (LoginJob){ acc, "belov", "right-password", "10.0.1.1", NULL, NULL };
  jobs[1] = (LoginJob){ acc, "chernov", "right-password", "10.0.1.2", NULL, NULL };
  jobs[2] = (LoginJob){ acc, "belov", "wrong-password", "10.0.1.3", NULL, NULL };
  jobs[3] = (LoginJob){ acc, "nobody", "wrong-password", "10.0.1.4", NULL, NULL };
  run_logins (jobs, 4);
  for (gint i = 0; i < 4; i++)
    {
      gboolean right = g_str_equal (jobs[i].password, "right-password");
      if (right)
        {
          ck_assert_msg (jobs[i].user != NULL, "login %d: %s", i,
                         jobs[i].error != NULL ? jobs[i].error->message : "");
          ck_assert_str_eq (lers_user_get_login (jobs[i].user), jobs[i].login);
        }
      else
        {
          ck_assert_ptr_null (jobs[i].user);
          ck_assert_msg (g_error_matches (jobs[i].error, LERS_ERROR, LERS_ERROR_PERMISSION_DENIED),
                         "login %d: %s", i, jobs[i].error != NULL ? jobs[i].error->message : "");
        }
      g_clear_object (&jobs[i].user);
      g_clear_error (&jobs[i].error);
    }
}
END_TEST

START_TEST (test_expired_rows_removed)
{
  g_autoptr (LersAccounts) acc = new_accounts ();
  g_autoptr (LersUser) user = add_user (acc, "frolov", LERS_USER_ROLE_VIEWER, "right-password");
  g_autoptr (GError) error = NULL;
  g_autoptr (LersUser) in = NULL;
  g_autofree gchar *s1 = NULL;
  g_autofree gchar *s2 = NULL;
  g_autofree gchar *s3 = NULL;
  g_autofree gchar *sql = NULL;
  gint64 old_id = 0, recent_id = 0, live_id = 0;

  s1 = lers_accounts_create_session_sync (acc, lers_user_get_id (user), LERS_SESSION_KIND_BROWSER,
                                          NULL, NULL, NULL, &old_id, NULL, NULL, &error);
  ck_assert_msg (s1 != NULL, "%s", error != NULL ? error->message : "");
  s2 = lers_accounts_create_session_sync (acc, lers_user_get_id (user), LERS_SESSION_KIND_BROWSER,
                                          NULL, NULL, NULL, &recent_id, NULL, NULL, &error);
  ck_assert_ptr_nonnull (s2);
  s3 = lers_accounts_create_session_sync (acc, lers_user_get_id (user), LERS_SESSION_KIND_TOKEN,
                                          "Выгрузка", NULL, NULL, &live_id, NULL, NULL, &error);
  ck_assert_ptr_nonnull (s3);
  sql = g_strdup_printf ("UPDATE user_sessions SET expires_at = now() - interval '2 days' "
                         "WHERE id = %" G_GINT64_FORMAT,
                         old_id);
  lers_check_sql_exec (sql);
  g_clear_pointer (&sql, g_free);
  sql = g_strdup_printf ("UPDATE user_sessions SET expires_at = now() - interval '1 hour' "
                         "WHERE id = %" G_GINT64_FORMAT,
                         recent_id);
  lers_check_sql_exec (sql);
  g_clear_pointer (&sql, g_free);
  lers_check_sql_exec ("INSERT INTO login_throttle (key, failures, window_start, blocked_until) "
                       "VALUES ('login:stale', 5, now() - interval '3 days', "
                       "now() - interval '2 days'), "
                       "('login:fresh', 2, now() - interval '1 minute', NULL)");

  in = lers_accounts_login_sync (acc, "frolov", "right-password", "10.0.2.1", NULL, NULL, &error);
  ck_assert_msg (in != NULL, "%s", error != NULL ? error->message : "");
  sql = g_strdup_printf ("SELECT count(*) FROM user_sessions WHERE id = %" G_GINT64_FORMAT, old_id);
  ck_assert_int_eq (lers_check_sql_int (sql), 0);
  g_clear_pointer (&sql, g_free);
  /* expired less than a day ago, and a token without an end: kept */
  sql = g_strdup_printf ("SELECT count(*) FROM user_sessions WHERE id IN (%" G_GINT64_FORMAT
                         ", %" G_GINT64_FORMAT ")",
                         recent_id, live_id);
  ck_assert_int_eq (lers_check_sql_int (sql), 2);
  ck_assert_int_eq (
      lers_check_sql_int ("SELECT count(*) FROM login_throttle WHERE key = 'login:stale'"), 0);
  ck_assert_int_eq (
      lers_check_sql_int ("SELECT count(*) FROM login_throttle WHERE key = 'login:fresh'"), 1);
}
END_TEST

START_TEST (test_token_and_disabled_user)
{
  g_autoptr (LersAccounts) acc = new_accounts ();
  g_autoptr (LersUser) admin = add_user (acc, "root", LERS_USER_ROLE_ADMIN, NULL);
  g_autoptr (LersUser) user = add_user (acc, "robot", LERS_USER_ROLE_VIEWER, NULL);
  g_autoptr (GError) error = NULL;
  g_autoptr (LersUser) who = NULL;
  g_autoptr (GVariant) tokens = NULL;
  g_autofree gchar *secret = NULL;
  g_autofree gchar *sql = NULL;
  g_autofree gchar *tokens_text = NULL;
  gint64 id = 0;

  secret = lers_accounts_create_session_sync (acc, lers_user_get_id (user), LERS_SESSION_KIND_TOKEN,
                                              "Выгрузка", NULL, NULL, &id, NULL, NULL, &error);
  ck_assert_msg (secret != NULL, "%s", error != NULL ? error->message : "");
  ck_assert_int_eq (strlen (secret), 43);
  ck_assert_int_gt (id, 0);
  /* the stored hash is the SHA-256 of the secret, not the secret */
  {
    g_autofree gchar *expect = g_compute_checksum_for_string (G_CHECKSUM_SHA256, secret, -1);
    g_autofree gchar *stored = NULL;
    sql = g_strdup_printf (
        "SELECT encode(secret_hash, 'hex') FROM user_sessions WHERE id = %" G_GINT64_FORMAT, id);
    stored = lers_check_sql_value (sql);
    ck_assert_str_eq (stored, expect);
    g_clear_pointer (&sql, g_free);
  }

  who = lers_accounts_authenticate_sync (acc, secret, LERS_SESSION_KIND_TOKEN, NULL, NULL, NULL,
                                         &error);
  ck_assert_msg (who != NULL, "%s", error != NULL ? error->message : "");
  ck_assert_str_eq (lers_user_get_login (who), "robot");
  g_clear_object (&who);
  /* the same secret is no browser session */
  who = lers_accounts_authenticate_sync (acc, secret, LERS_SESSION_KIND_BROWSER, NULL, NULL, NULL,
                                         &error);
  ck_assert_ptr_null (who);
  ck_assert (g_error_matches (error, LERS_ERROR, LERS_ERROR_PERMISSION_DENIED));
  g_clear_error (&error);

  /* the list shows the title, not the secret */
  tokens = lers_accounts_list_tokens_sync (acc, lers_user_get_id (user), NULL, &error);
  ck_assert_ptr_nonnull (tokens);
  ck_assert_int_eq (g_variant_n_children (tokens), 1);
  tokens_text = g_variant_print (tokens, FALSE);
  ck_assert_ptr_nonnull (strstr (tokens_text, "Выгрузка"));
  ck_assert_ptr_null (strstr (tokens_text, secret));

  /* disabled: the token fails */
  lers_user_set_enabled (user, FALSE);
  ck_assert (lers_accounts_update_user_sync (acc, user, NULL, &error));
  ck_assert_int_eq (
      lers_check_sql_int ("SELECT count(*) FROM users WHERE login = 'robot' AND NOT enabled"), 1);
  who = lers_accounts_authenticate_sync (acc, secret, LERS_SESSION_KIND_TOKEN, NULL, NULL, NULL,
                                         &error);
  ck_assert_ptr_null (who);
  ck_assert (g_error_matches (error, LERS_ERROR, LERS_ERROR_PERMISSION_DENIED));
  g_clear_error (&error);

  /* a malformed secret fails the same way */
  who = lers_accounts_authenticate_sync (acc, "short", LERS_SESSION_KIND_TOKEN, NULL, NULL, NULL,
                                         &error);
  ck_assert_ptr_null (who);
  ck_assert (g_error_matches (error, LERS_ERROR, LERS_ERROR_PERMISSION_DENIED));
}
END_TEST

START_TEST (test_browser_session_expiry)
{
  g_autoptr (LersAccounts) acc = new_accounts ();
  g_autoptr (LersUser) user = add_user (acc, "browser", LERS_USER_ROLE_OPERATOR, NULL);
  g_autoptr (GError) error = NULL;
  g_autoptr (LersUser) who = NULL;
  g_autofree gchar *secret = NULL;
  g_autofree gchar *csrf = NULL;
  g_autofree gchar *csrf2 = NULL;
  g_autofree gchar *sql = NULL;
  gint64 id = 0, id2 = 0;

  secret
      = lers_accounts_create_session_sync (acc, lers_user_get_id (user), LERS_SESSION_KIND_BROWSER,
                                           NULL, NULL, "10.1.1.1", &id, &csrf, NULL, &error);
  ck_assert_ptr_nonnull (secret);
  ck_assert_ptr_nonnull (csrf);
  /* 12 hours after now, within a minute */
  sql = g_strdup_printf (
      "SELECT abs(extract(epoch FROM expires_at - now() - interval '12 hours'))::int "
      "FROM user_sessions WHERE id = %" G_GINT64_FORMAT,
      id);
  ck_assert_int_lt (lers_check_sql_int (sql), 60);
  g_clear_pointer (&sql, g_free);

  who = lers_accounts_authenticate_sync (acc, secret, LERS_SESSION_KIND_BROWSER, &id2, &csrf2, NULL,
                                         &error);
  ck_assert_ptr_nonnull (who);
  ck_assert_int_eq (id2, id);
  ck_assert_str_eq (csrf2, csrf);
  g_clear_object (&who);

  sql = g_strdup_printf ("UPDATE user_sessions SET expires_at = now() - interval '1 minute' WHERE "
                         "id = %" G_GINT64_FORMAT,
                         id);
  lers_check_sql_exec (sql);
  who = lers_accounts_authenticate_sync (acc, secret, LERS_SESSION_KIND_BROWSER, NULL, NULL, NULL,
                                         &error);
  ck_assert_ptr_null (who);
  ck_assert (g_error_matches (error, LERS_ERROR, LERS_ERROR_PERMISSION_DENIED));
  g_clear_error (&error);

  ck_assert (lers_accounts_end_session_sync (acc, id, NULL, &error));
  ck_assert_int_eq (lers_check_sql_int ("SELECT count(*) FROM user_sessions"), 0);
}
END_TEST

/* Territories 1 ⊃ 2 ⊃ 3 and 4; nodes 10 (terr 1), 11 (terr 2), 12 (terr 3),
 * 13 (terr 4), 14 (no territory, group «Школы»), 15 (no territory). */
static void
make_tree (void)
{
  lers_check_sql_exec ("INSERT INTO territories (id, title, parent_id) VALUES (1, 'Край', NULL), "
                       "(2, 'Город', 1), (3, 'Район', 2), (4, 'Другой', NULL)");
  lers_check_sql_exec ("INSERT INTO nodes (id, title, territory_id, groups) VALUES "
                       "(10, 'A', 1, '{}'), (11, 'B', 2, '{}'), (12, 'C', 3, '{}'), "
                       "(13, 'D', 4, '{}'), (14, 'E', NULL, '{Школы}'), (15, 'F', NULL, '{}')");
}

static gchar *
visible (LersAccounts *acc, LersUser *user)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (GArray) ids = NULL;
  g_autoptr (GString) s = g_string_new (NULL);
  gboolean all = FALSE;

  ids = lers_accounts_get_visible_nodes_sync (acc, user, &all, NULL, &error);
  ck_assert_msg (error == NULL, "%s", error != NULL ? error->message : "");
  if (all)
    {
      ck_assert_ptr_null (ids);
      return g_strdup ("all");
    }
  ck_assert_ptr_nonnull (ids);
  for (guint i = 0; i < ids->len; i++)
    g_string_append_printf (s, "%s%" G_GINT64_FORMAT, i > 0 ? "," : "",
                            g_array_index (ids, gint64, i));
  return g_string_free (g_steal_pointer (&s), FALSE);
}

START_TEST (test_visibility)
{
  g_autoptr (LersAccounts) acc = new_accounts ();
  g_autoptr (LersUser) admin = add_user (acc, "adm", LERS_USER_ROLE_ADMIN, NULL);
  g_autoptr (LersUser) op = add_user (acc, "op", LERS_USER_ROLE_OPERATOR, NULL);
  g_autoptr (LersUser) sub = add_user (acc, "sub", LERS_USER_ROLE_SUBSCRIBER, NULL);
  g_autoptr (LersUser) sub2 = add_user (acc, "sub2", LERS_USER_ROLE_SUBSCRIBER, NULL);
  g_autoptr (LersUser) sub3 = add_user (acc, "sub3", LERS_USER_ROLE_SUBSCRIBER, NULL);
  g_autoptr (GError) error = NULL;
  g_autoptr (GVariant) scopes = NULL;
  g_autofree gchar *v = NULL;
  gint64 group_id;

  make_tree ();
  group_id = lers_check_sql_int ("SELECT id FROM node_groups WHERE title = 'Школы'");
  if (group_id < 0)
    group_id = lers_check_sql_int ("INSERT INTO node_groups (title) VALUES ('Школы') RETURNING id");

  v = visible (acc, admin);
  ck_assert_str_eq (v, "all");
  g_clear_pointer (&v, g_free);
  v = visible (acc, op);
  ck_assert_str_eq (v, "all");
  g_clear_pointer (&v, g_free);
  v = visible (acc, sub);
  ck_assert_str_eq (v, "");
  g_clear_pointer (&v, g_free);

  /* a group: node 14 */
  ck_assert (lers_accounts_add_scope_sync (acc, lers_user_get_id (sub), LERS_SCOPE_KIND_GROUP,
                                           group_id, NULL, &error));
  v = visible (acc, sub);
  ck_assert_str_eq (v, "14");
  g_clear_pointer (&v, g_free);
  /* a parent territory 2: nodes 11 (in 2) and 12 (in 3, under 2) */
  ck_assert (lers_accounts_add_scope_sync (acc, lers_user_get_id (sub2), LERS_SCOPE_KIND_TERRITORY,
                                           2, NULL, &error));
  v = visible (acc, sub2);
  ck_assert_str_eq (v, "11,12");
  g_clear_pointer (&v, g_free);
  /* one node */
  ck_assert (lers_accounts_add_scope_sync (acc, lers_user_get_id (sub3), LERS_SCOPE_KIND_NODE, 13,
                                           NULL, &error));
  ck_assert (lers_accounts_add_scope_sync (acc, lers_user_get_id (sub3), LERS_SCOPE_KIND_NODE, 13,
                                           NULL, &error));
  v = visible (acc, sub3);
  ck_assert_str_eq (v, "13");
  g_clear_pointer (&v, g_free);
  ck_assert (lers_accounts_can_see_node_sync (acc, sub3, 13, NULL, &error));
  ck_assert (!lers_accounts_can_see_node_sync (acc, sub3, 12, NULL, &error));
  ck_assert_ptr_null (error);
  /* an operator with a scope sees only it */
  ck_assert (lers_accounts_add_scope_sync (acc, lers_user_get_id (op), LERS_SCOPE_KIND_TERRITORY, 1,
                                           NULL, &error));
  v = visible (acc, op);
  ck_assert_str_eq (v, "10,11,12");
  g_clear_pointer (&v, g_free);

  scopes = lers_accounts_list_scopes_sync (acc, lers_user_get_id (sub2), NULL, &error);
  {
    g_autofree gchar *text = g_variant_print (scopes, FALSE);
    ck_assert_str_eq (text, "[{'kind': <'territory'>, 'id': <int64 2>, 'title': <'Город'>}]");
  }
  ck_assert (lers_accounts_remove_scope_sync (acc, lers_user_get_id (sub2),
                                              LERS_SCOPE_KIND_TERRITORY, 2, NULL, &error));
  ck_assert (!lers_accounts_remove_scope_sync (acc, lers_user_get_id (sub2),
                                               LERS_SCOPE_KIND_TERRITORY, 2, NULL, &error));
  ck_assert (g_error_matches (error, LERS_ERROR, LERS_ERROR_NOT_FOUND));
  g_clear_error (&error);
  ck_assert (!lers_accounts_add_scope_sync (acc, lers_user_get_id (sub2), LERS_SCOPE_KIND_NODE, 999,
                                            NULL, &error));
  ck_assert (g_error_matches (error, LERS_ERROR, LERS_ERROR_NOT_FOUND));
}
END_TEST

START_TEST (test_last_admin)
{
  g_autoptr (LersAccounts) acc = new_accounts ();
  g_autoptr (LersUser) admin = add_user (acc, "boss", LERS_USER_ROLE_ADMIN, NULL);
  g_autoptr (LersUser) other = NULL;
  g_autoptr (GError) error = NULL;

  ck_assert (!lers_accounts_delete_user_sync (acc, lers_user_get_id (admin), NULL, &error));
  ck_assert (g_error_matches (error, LERS_ERROR, LERS_ERROR_INVALID_ARGUMENT));
  g_clear_error (&error);
  lers_user_set_role (admin, LERS_USER_ROLE_OPERATOR);
  ck_assert (!lers_accounts_update_user_sync (acc, admin, NULL, &error));
  ck_assert (g_error_matches (error, LERS_ERROR, LERS_ERROR_INVALID_ARGUMENT));
  g_clear_error (&error);
  lers_user_set_role (admin, LERS_USER_ROLE_ADMIN);
  lers_user_set_enabled (admin, FALSE);
  ck_assert (!lers_accounts_update_user_sync (acc, admin, NULL, &error));
  ck_assert (g_error_matches (error, LERS_ERROR, LERS_ERROR_INVALID_ARGUMENT));
  g_clear_error (&error);
  ck_assert_int_eq (lers_check_sql_int ("SELECT count(*) FROM users WHERE role = 0 AND enabled"),
                    1);

  /* with a second admin, the first may go */
  other = add_user (acc, "boss2", LERS_USER_ROLE_ADMIN, NULL);
  ck_assert (lers_accounts_delete_user_sync (acc, lers_user_get_id (admin), NULL, &error));
  ck_assert_int_eq (lers_check_sql_int ("SELECT count(*) FROM users"), 1);
  ck_assert_int_eq (lers_accounts_count_users_sync (acc, NULL, &error), 1);
}
END_TEST

START_TEST (test_audit_masks)
{
  g_autoptr (LersAccounts) acc = new_accounts ();
  g_autoptr (LersUser) admin = add_user (acc, "auditor", LERS_USER_ROLE_ADMIN, NULL);
  g_autoptr (GError) error = NULL;
  g_autofree gchar *after = NULL;

  ck_assert (lers_accounts_audit_sync (acc, admin, "update", "device", 7,
                                       "{\"model\": \"ВКТ-7\", \"password\": \"old\"}",
                                       "{\"model\": \"ВКТ-7\", \"options\": {\"password\": "
                                       "\"s3cret\", \"list\": [{\"new_password\": \"x\"}]}, "
                                       "\"token\": \"abc\"}",
                                       "10.0.0.9", NULL, &error));
  after = lers_check_sql_value ("SELECT after::text FROM audit_log WHERE entity = 'device'");
  /* jsonb's text form, as psql shows it */
  ck_assert_str_eq (after, "{\"model\": \"ВКТ-7\", \"token\": \"***\", \"options\": {\"list\": "
                           "[{\"new_password\": \"***\"}], \"password\": \"***\"}}");
  ck_assert_int_eq (
      lers_check_sql_int ("SELECT count(*) FROM audit_log WHERE before->>'password' = '***' "
                          "AND login = 'auditor' AND entity_id = 7 AND user_id IS NOT NULL"),
      1);
  /* the generic store lists the entries, filtered by entity, time as
   * the property "time" */
  {
    g_autoptr (LersStoreQuery) query = lers_store_query_new ();
    g_autoptr (GPtrArray) entries = NULL;
    LersAuditEntry *entry;

    lers_store_query_add_filter_string (query, "entity", LERS_STORE_OP_EQ, "device");
    lers_store_query_add_order (query, "time", TRUE);
    entries = lers_store_list_sync (lers_check_get_store (), LERS_TYPE_AUDIT_ENTRY, query, NULL,
                                    &error);
    lers_check_assert_no_error (error);
    ck_assert_int_eq (entries->len, 1);
    entry = g_ptr_array_index (entries, 0);
    ck_assert_str_eq (lers_audit_entry_get_action (entry), "update");
    ck_assert_str_eq (lers_audit_entry_get_login (entry), "auditor");
    ck_assert_str_eq (lers_audit_entry_get_address (entry), "10.0.0.9");
    ck_assert_int_eq (lers_audit_entry_get_entity_id (entry), 7);
    ck_assert_int_eq (lers_audit_entry_get_user_id (entry), lers_user_get_id (admin));
    ck_assert_ptr_nonnull (lers_audit_entry_get_time (entry));
    ck_assert_ptr_null (strstr (lers_audit_entry_get_after (entry), "s3cret"));
  }
  ck_assert (!lers_accounts_audit_sync (acc, NULL, "update", "device", 7, "[1]", NULL, NULL, NULL,
                                        &error));
  ck_assert (g_error_matches (error, LERS_ERROR, LERS_ERROR_INVALID_ARGUMENT));
}
END_TEST

START_TEST (test_group_rename)
{
  g_autoptr (LersAccounts) acc = new_accounts ();
  g_autoptr (LersNodeGroup) group = NULL;
  g_autoptr (GError) error = NULL;
  g_autofree gchar *groups = NULL;

  make_tree ();
  group = lers_accounts_add_group_sync (acc, "Больницы", "ЦРБ", NULL, &error);
  ck_assert_ptr_nonnull (group);
  ck_assert (lers_accounts_set_group_member_sync (acc, lers_node_group_get_id (group), 10, TRUE,
                                                  NULL, &error));
  ck_assert (lers_accounts_set_group_member_sync (acc, lers_node_group_get_id (group), 14, TRUE,
                                                  NULL, &error));
  ck_assert (lers_accounts_set_group_member_sync (acc, lers_node_group_get_id (group), 14, TRUE,
                                                  NULL, &error));
  groups = lers_check_sql_value ("SELECT groups::text FROM nodes WHERE id = 14");
  ck_assert_str_eq (groups, "{Школы,Больницы}");
  g_clear_pointer (&groups, g_free);

  lers_node_group_set_title (group, "Медицина");
  ck_assert (lers_accounts_update_group_sync (acc, group, NULL, &error));
  groups = lers_check_sql_value ("SELECT groups::text FROM nodes WHERE id = 14");
  ck_assert_str_eq (groups, "{Школы,Медицина}");
  g_clear_pointer (&groups, g_free);
  groups = lers_check_sql_value ("SELECT groups::text FROM nodes WHERE id = 10");
  ck_assert_str_eq (groups, "{Медицина}");
  g_clear_pointer (&groups, g_free);
  ck_assert_int_eq (lers_check_sql_int ("SELECT count(*) FROM nodes WHERE groups @> '{Больницы}'"),
                    0);

  ck_assert (lers_accounts_delete_group_sync (acc, lers_node_group_get_id (group), NULL, &error));
  ck_assert_int_eq (lers_check_sql_int ("SELECT count(*) FROM nodes WHERE groups @> '{Медицина}'"),
                    0);
  ck_assert_int_eq (
      lers_check_sql_int ("SELECT count(*) FROM node_groups WHERE title = 'Медицина'"), 0);
}
END_TEST

START_TEST (test_store_lists_users)
{
  g_autoptr (LersAccounts) acc = new_accounts ();
  g_autoptr (LersUser) a = add_user (acc, "a1", LERS_USER_ROLE_ADMIN, NULL);
  g_autoptr (LersUser) b = add_user (acc, "s1", LERS_USER_ROLE_SUBSCRIBER, NULL);
  g_autoptr (LersUser) c = add_user (acc, "s2", LERS_USER_ROLE_SUBSCRIBER, NULL);
  g_autoptr (LersStoreQuery) query = lers_store_query_new ();
  g_autoptr (GPtrArray) users = NULL;
  g_autoptr (GError) error = NULL;
  GValue role = G_VALUE_INIT;

  g_value_init (&role, LERS_TYPE_USER_ROLE);
  g_value_set_enum (&role, LERS_USER_ROLE_SUBSCRIBER);
  lers_store_query_add_filter (query, "role", LERS_STORE_OP_EQ, &role);
  lers_store_query_add_order (query, "login", TRUE);
  users = lers_store_list_sync (lers_check_get_store (), LERS_TYPE_USER, query, NULL, &error);
  ck_assert_msg (users != NULL, "%s", error != NULL ? error->message : "");
  ck_assert_int_eq (users->len, 2);
  ck_assert_str_eq (lers_user_get_login (g_ptr_array_index (users, 0)), "s2");
  ck_assert_str_eq (lers_user_get_login (g_ptr_array_index (users, 1)), "s1");
  ck_assert (lers_user_get_enabled (g_ptr_array_index (users, 0)));
  ck_assert_ptr_nonnull (lers_user_get_created (g_ptr_array_index (users, 0)));
  g_value_unset (&role);
}
END_TEST

static Suite *
accounts_suite (void)
{
  Suite *s = suite_create ("accounts");
  TCase *tc = tcase_create ("accounts");

  tcase_add_unchecked_fixture (tc, lers_check_cluster_setup, lers_check_cluster_teardown);
  tcase_add_checked_fixture (tc, lers_check_store_setup, lers_check_store_teardown);
  tcase_set_timeout (tc, 120);
  tcase_add_test (tc, test_hash_is_argon2id);
  tcase_add_test (tc, test_login_right_and_wrong);
  tcase_add_test (tc, test_rehash_on_login);
  tcase_add_test (tc, test_short_password_refused);
  tcase_add_test (tc, test_duplicate_login_refused);
  tcase_add_test (tc, test_throttle_login);
  tcase_add_test (tc, test_throttle_address);
  tcase_add_test (tc, test_throttle_parallel);
  tcase_add_test (tc, test_hash_limit_no_deadlock);
  tcase_add_test (tc, test_expired_rows_removed);
  tcase_add_test (tc, test_token_and_disabled_user);
  tcase_add_test (tc, test_browser_session_expiry);
  tcase_add_test (tc, test_visibility);
  tcase_add_test (tc, test_last_admin);
  tcase_add_test (tc, test_audit_masks);
  tcase_add_test (tc, test_group_rename);
  tcase_add_test (tc, test_store_lists_users);
  suite_add_tcase (s, tc);
  return s;
}

int
main (int argc, char **argv)
{
  lers_check_init (&argc, &argv);
  return lers_check_run_suite (accounts_suite ());
}
