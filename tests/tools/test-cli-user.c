/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* lers user and lers group, spawned as users run them: the password comes
 * from standard input (never argv), the hash lands in the database (read
 * with SQL), a token printed once authenticates, every change is audited
 * under the OS user. */
#include <lers.h>
#include <signal.h>
#include <string.h>

#include "../check/lers-check.h"

static gchar *
lers_path (void)
{
  return g_build_filename (g_getenv ("LERS_BUILD_ROOT"), "tools", "lers", NULL);
}

/* Runs `lers --db=URI ARGS…` with @input on its standard input. */
static gint
run_with_input (const gchar *input, gchar **out, gchar **err, ...)
{
  g_autoptr (GPtrArray) argv = g_ptr_array_new_with_free_func (g_free);
  g_autoptr (GSubprocess) proc = NULL;
  g_autoptr (GError) error = NULL;
  const gchar *arg;
  va_list args;

  g_ptr_array_add (argv, lers_path ());
  g_ptr_array_add (argv, g_strconcat ("--db=", lers_check_get_uri (), NULL));
  va_start (args, err);
  while ((arg = va_arg (args, const gchar *)) != NULL)
    g_ptr_array_add (argv, g_strdup (arg));
  va_end (args);
  g_ptr_array_add (argv, NULL);
  proc = g_subprocess_newv ((const gchar *const *) argv->pdata,
                            G_SUBPROCESS_FLAGS_STDIN_PIPE | G_SUBPROCESS_FLAGS_STDOUT_PIPE
                                | G_SUBPROCESS_FLAGS_STDERR_PIPE,
                            &error);
  lers_check_assert_no_error (error);
  ck_assert (g_subprocess_communicate_utf8 (proc, input, NULL, out, err, &error));
  lers_check_assert_no_error (error);
  return g_subprocess_get_if_exited (proc) ? g_subprocess_get_exit_status (proc) : -1;
}

START_TEST (test_add_with_stdin_password)
{
  g_autofree gchar *out = NULL, *err = NULL, *hash = NULL, *login = NULL;
  g_autoptr (LersAccounts) acc = lers_accounts_new (lers_check_get_store ());
  g_autoptr (LersUser) user = NULL;
  g_autoptr (GError) error = NULL;
  gint status;

  status = run_with_input ("stdin-password-1\n", &out, &err, "user", "add", "operator1",
                           "--role=operator", "--name=Иванов И. И.", NULL);
  ck_assert_msg (status == 0, "status %d: %s", status, err);
  ck_assert_ptr_nonnull (strstr (out, "operator1"));
  hash = lers_check_sql_value ("SELECT password_hash FROM users WHERE login = 'operator1'");
  ck_assert_ptr_nonnull (hash);
  ck_assert_msg (g_str_has_prefix (hash, "$argon2id$"), "%s", hash);
  /* role 1 = operator, as the migration numbers them */
  ck_assert_int_eq (lers_check_sql_int ("SELECT role FROM users WHERE login = 'operator1' AND "
                                        "display_name = 'Иванов И. И.'"),
                    1);
  /* the password read from stdin (without its newline) logs in */
  user = lers_accounts_login_sync (acc, "operator1", "stdin-password-1", NULL, NULL, NULL, &error);
  lers_check_assert_no_error (error);
  ck_assert_ptr_nonnull (user);
  /* audited under the OS user, with no user id */
  login = lers_check_sql_value ("SELECT login FROM audit_log WHERE action = 'create' AND entity = "
                                "'user' AND user_id IS NULL");
  ck_assert_str_eq (login, g_get_user_name ());

  /* a password too short is refused, nothing stored */
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);
  status
      = run_with_input ("short\n", &out, &err, "user", "add", "operator2", "--role=operator", NULL);
  ck_assert_int_eq (status, 1);
  ck_assert_ptr_nonnull (strstr (err, "8"));
  ck_assert_int_eq (lers_check_sql_int ("SELECT count(*) FROM users WHERE login = 'operator2'"), 0);
}
END_TEST

START_TEST (test_password_argument_refused)
{
  g_autofree gchar *out = NULL, *err = NULL;
  gint status;

  status = lers_check_run_lers (&out, &err, "user", "add", "x", "--role=viewer",
                                "--password=hunter2-secret", NULL);
  ck_assert_int_eq (status, 2);
  /* the error does not echo the password back */
  ck_assert_ptr_null (strstr (err, "hunter2-secret"));
  ck_assert_ptr_nonnull (strstr (err, "--password-file"));
  ck_assert_int_eq (lers_check_sql_int ("SELECT count(*) FROM users"), 0);
}
END_TEST

/* While `lers user add` waits for its password, its command line (what
 * `ps` shows every user of the machine) holds no password. */
START_TEST (test_argv_never_holds_password)
{
  g_autofree gchar *lers = lers_path ();
  g_autofree gchar *db = g_strconcat ("--db=", lers_check_get_uri (), NULL);
  g_autoptr (GSubprocess) proc = NULL;
  g_autoptr (GError) error = NULL;
  g_autofree gchar *cmdline_path = NULL;
  g_autofree gchar *cmdline = NULL;
  g_autofree gchar *out = NULL, *err = NULL;
  gsize len = 0;

  proc = g_subprocess_new (G_SUBPROCESS_FLAGS_STDIN_PIPE | G_SUBPROCESS_FLAGS_STDOUT_PIPE
                               | G_SUBPROCESS_FLAGS_STDERR_PIPE,
                           &error, lers, db, "user", "add", "viewer1", "--role=viewer", NULL);
  lers_check_assert_no_error (error);
  cmdline_path = g_strdup_printf ("/proc/%s/cmdline", g_subprocess_get_identifier (proc));
  ck_assert (g_file_get_contents (cmdline_path, &cmdline, &len, &error));
  for (gsize i = 0; i < len; i++)
    if (cmdline[i] == '\0')
      cmdline[i] = ' ';
  ck_assert_ptr_nonnull (strstr (cmdline, "viewer1"));
  ck_assert_ptr_null (strstr (cmdline, "viewer-password"));
  ck_assert (g_subprocess_communicate_utf8 (proc, "viewer-password\n", NULL, &out, &err, &error));
  ck_assert_msg (g_subprocess_get_exit_status (proc) == 0, "%s", err);
  ck_assert_int_eq (lers_check_sql_int ("SELECT count(*) FROM users WHERE login = 'viewer1' AND "
                                        "password_hash LIKE '$argon2id$%'"),
                    1);
}
END_TEST

START_TEST (test_token_add_authenticates)
{
  g_autoptr (LersAccounts) acc = lers_accounts_new (lers_check_get_store ());
  g_autoptr (LersUser) who = NULL;
  g_autoptr (GError) error = NULL;
  g_autofree gchar *out = NULL, *err = NULL, *list = NULL, *list_err = NULL;
  g_autofree gchar *revoke_out = NULL, *revoke_err = NULL;
  g_auto (GStrv) lines = NULL;
  gint status;

  status = run_with_input ("", &out, &err, "user", "add", "robot", "--role=viewer", "--no-password",
                           NULL);
  ck_assert_msg (status == 0, "%s", err);
  ck_assert_int_eq (
      lers_check_sql_int ("SELECT count(*) FROM users WHERE login = 'robot' AND password_hash "
                          "IS NULL"),
      1);
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);
  status = lers_check_run_lers (&out, &err, "user", "token", "add", "robot", "Выгрузка в 1С", NULL);
  ck_assert_msg (status == 0, "%s", err);
  /* stdout is the secret alone on its line: 32 bytes in base64url = 43 */
  lines = g_strsplit (out, "\n", -1);
  ck_assert_int_eq (g_strv_length (lines), 2);
  ck_assert_str_eq (lines[1], "");
  ck_assert_int_eq (strlen (lines[0]), 43);
  who = lers_accounts_authenticate_sync (acc, lines[0], LERS_SESSION_KIND_TOKEN, NULL, NULL, NULL,
                                         &error);
  lers_check_assert_no_error (error);
  ck_assert_str_eq (lers_user_get_login (who), "robot");

  /* the list shows the title but not the secret */
  status = lers_check_run_lers (&list, &list_err, "user", "token", "list", "robot", NULL);
  ck_assert_int_eq (status, 0);
  ck_assert_ptr_nonnull (strstr (list, "Выгрузка в 1С"));
  ck_assert_ptr_null (strstr (list, lines[0]));
  ck_assert_int_eq (lers_check_sql_int ("SELECT count(*) FROM audit_log WHERE action = "
                                        "'token-create' AND entity = 'session'"),
                    1);

  /* revoked, it no longer authenticates */
  {
    g_autofree gchar *id = lers_check_sql_value ("SELECT id FROM user_sessions");
    status = lers_check_run_lers (&revoke_out, &revoke_err, "user", "token", "revoke", "robot", id,
                                  NULL);
    ck_assert_msg (status == 0, "%s", revoke_err);
  }
  g_clear_object (&who);
  who = lers_accounts_authenticate_sync (acc, lines[0], LERS_SESSION_KIND_TOKEN, NULL, NULL, NULL,
                                         &error);
  ck_assert_ptr_null (who);
  lers_check_assert_error (error, LERS_ERROR, LERS_ERROR_PERMISSION_DENIED);
}
END_TEST

START_TEST (test_set_scope_group)
{
  g_autofree gchar *out = NULL, *err = NULL, *groups = NULL, *scope = NULL;
  gint status;

  lers_check_sql_exec ("INSERT INTO nodes (id, title) VALUES (21, 'Дом 1'), (22, 'Дом 2')");
  status = run_with_input ("", &out, &err, "user", "add", "abonent", "--role=subscriber",
                           "--no-password", NULL);
  ck_assert_msg (status == 0, "%s", err);
#define RUN_OK(...)                                                                                \
  do                                                                                               \
    {                                                                                              \
      g_clear_pointer (&out, g_free);                                                              \
      g_clear_pointer (&err, g_free);                                                              \
      status = lers_check_run_lers (&out, &err, __VA_ARGS__, NULL);                                \
      ck_assert_msg (status == 0, "status %d: %s", status, err);                                   \
    }                                                                                              \
  while (0)
  RUN_OK ("group", "add", "Школы", "--comment=МОУ");
  RUN_OK ("group", "add-node", "Школы", "21");
  groups = lers_check_sql_value ("SELECT groups::text FROM nodes WHERE id = 21");
  ck_assert_str_eq (groups, "{Школы}");
  RUN_OK ("user", "scope", "add", "abonent", "--group=Школы");
  RUN_OK ("user", "scope", "list", "abonent");
  ck_assert_ptr_nonnull (strstr (out, "Школы"));
  RUN_OK ("group", "rename", "Школы", "Образование");
  g_free (groups);
  groups = lers_check_sql_value ("SELECT groups::text FROM nodes WHERE id = 21");
  ck_assert_str_eq (groups, "{Образование}");
  scope = lers_check_sql_value ("SELECT g.title FROM user_scopes s JOIN node_groups g ON g.id = "
                                "s.group_id");
  ck_assert_str_eq (scope, "Образование");
  RUN_OK ("user", "set", "abonent", "--enabled=no", "--role=viewer");
  ck_assert_int_eq (lers_check_sql_int ("SELECT role FROM users WHERE login = 'abonent' AND NOT "
                                        "enabled"),
                    2);
  RUN_OK ("user", "show", "abonent");
  ck_assert_ptr_nonnull (strstr (out, "viewer"));
  RUN_OK ("user", "list");
  ck_assert_ptr_nonnull (strstr (out, "abonent"));
  RUN_OK ("group", "list");
  ck_assert_ptr_nonnull (strstr (out, "Образование"));
  RUN_OK ("user", "remove", "abonent");
  ck_assert_int_eq (lers_check_sql_int ("SELECT count(*) FROM users"), 0);
  RUN_OK ("group", "remove", "Образование");
  ck_assert_int_eq (lers_check_sql_int ("SELECT count(*) FROM nodes WHERE groups <> '{}'"), 0);
  /* every change above is in the audit log: user create, group create,
   * node update, scope-add, group rename, user update, user delete, group
   * delete = 8 */
  ck_assert_int_eq (lers_check_sql_int ("SELECT count(*) FROM audit_log WHERE user_id IS NULL"), 8);
#undef RUN_OK
}
END_TEST

static Suite *
cli_user_suite (void)
{
  Suite *s = suite_create ("cli-user");
  TCase *tc = tcase_create ("cli-user");

  tcase_add_unchecked_fixture (tc, lers_check_cluster_setup, lers_check_cluster_teardown);
  tcase_add_checked_fixture (tc, lers_check_store_setup, lers_check_store_teardown);
  tcase_set_timeout (tc, 120);
  tcase_add_test (tc, test_add_with_stdin_password);
  tcase_add_test (tc, test_password_argument_refused);
  tcase_add_test (tc, test_argv_never_holds_password);
  tcase_add_test (tc, test_token_add_authenticates);
  tcase_add_test (tc, test_set_scope_group);
  suite_add_tcase (s, tc);
  return s;
}

int
main (int argc, char **argv)
{
  lers_check_init (&argc, &argv);
  return lers_check_run_suite (cli_user_suite ());
}
