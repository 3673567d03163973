/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* examples/remote-archive.py and .js against a live lersd (in this
 * process, port 0) with a known archive: the nodes, their points and the
 * last day's hourly values with units, as a user reads them. */
#include "config.h"

#include <check.h>
#include <lers.h>
#include <string.h>

#include "lers-check.h"
#include "lersd-server.h"

static LersdServer *server;
static gint64 point_id;
static gchar *token;

static void
setup (void)
{
  g_autoptr (GError) error = NULL;

  lers_check_store_setup ();
  /* "Котельная" / "Отопление": the last three complete hours, oldest first,
   * T_in 73, 72, 71 °C and Q_in 0.375, 0.25, 0.125 Gcal */
  point_id = lers_check_seed_archive ();
  {
    /* a viewer with an API token, as `lers user add` and `lers user token
     * add` make them */
    g_autoptr (LersAccounts) accounts = lers_accounts_new (lers_check_get_store ());
    g_autoptr (LersUser) user = lers_accounts_add_user_sync (
        accounts, "petrov", LERS_USER_ROLE_VIEWER, NULL, NULL, &error);

    lers_check_assert_no_error (error);
    token = lers_accounts_create_session_sync (accounts, lers_user_get_id (user),
                                               LERS_SESSION_KIND_TOKEN, "examples", NULL, NULL,
                                               NULL, NULL, NULL, &error);
    lers_check_assert_no_error (error);
  }
  server = lersd_server_new (lers_check_get_store ());
  ck_assert_msg (lersd_server_listen (server, "127.0.0.1:0", &error), "%s", error->message);
}

static void
teardown (void)
{
  lersd_server_disconnect (server);
  while (g_main_context_iteration (NULL, FALSE))
    ;
  g_clear_object (&server);
  g_clear_pointer (&token, g_free);
  lers_check_store_teardown ();
}

typedef struct
{
  gboolean done;
  gchar *out;
  gchar *err;
} Run;

static void
communicated_cb (GObject *source, GAsyncResult *res, gpointer user_data)
{
  Run *run = user_data;
  g_autoptr (GError) error = NULL;

  g_subprocess_communicate_utf8_finish (G_SUBPROCESS (source), res, &run->out, &run->err, &error);
  lers_check_assert_no_error (error);
  run->done = TRUE;
}

/* Runs @script with the token in LERS_TOKEN while this process's main loop
 * serves its requests; its standard output */
static gchar *
run_example (const gchar *interpreter, const gchar *script)
{
  g_autofree gchar *path
      = g_build_filename (g_getenv ("LERS_SOURCE_ROOT"), "examples", script, NULL);
  g_autofree gchar *url = g_strdup_printf ("http://127.0.0.1:%u", lersd_server_get_port (server));
  g_autoptr (GSubprocessLauncher) launcher
      = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE | G_SUBPROCESS_FLAGS_STDERR_PIPE);
  g_autoptr (GSubprocess) process = NULL;
  g_autoptr (GError) error = NULL;
  Run run = { 0 };

  g_subprocess_launcher_setenv (launcher, "LERS_TOKEN", token, TRUE);
  g_subprocess_launcher_unsetenv (launcher, "LERS_TOKEN_FILE");
  process = g_subprocess_launcher_spawn (launcher, &error, interpreter, path, url, NULL);
  lers_check_assert_no_error (error);
  g_subprocess_communicate_utf8_async (process, NULL, NULL, communicated_cb, &run);
  while (!run.done)
    g_main_context_iteration (NULL, TRUE);
  g_subprocess_wait (process, NULL, &error);
  ck_assert_msg (g_subprocess_get_successful (process), "%s failed: %s%s", script, run.err,
                 run.out);
  g_free (run.err);
  return run.out;
}

static void
check_output (const gchar *out)
{
  g_auto (GStrv) lines = g_strsplit (out, "\n", -1);
  g_autoptr (GDateTime) hour = lers_check_this_hour ();
  g_autofree gchar *node_line = NULL;
  g_autofree gchar *point_line = NULL;
  g_autofree gchar *title_line = NULL;
  guint n = g_strv_length (lines);

  node_line = g_strdup_printf ("Котельная (node %" G_GINT64_FORMAT ")",
                               lers_check_sql_int ("select node_id from measure_points"));
  point_line = g_strdup_printf ("  Отопление (point %" G_GINT64_FORMAT ")", point_id);
  title_line
      = g_strdup_printf ("Отопление (point %" G_GINT64_FORMAT "): 3 hourly records", point_id);
  /* node, point, blank, title, header, three rows, "" after the last \n */
  ck_assert_msg (n == 9, "%s", out);
  ck_assert_str_eq (lines[0], node_line);
  ck_assert_str_eq (lines[1], point_line);
  ck_assert_str_eq (lines[3], title_line);
  ck_assert_msg (strstr (lines[4], "T_in, °C") != NULL, "%s", lines[4]);
  ck_assert_msg (strstr (lines[4], "Q_in, Gcal") != NULL, "%s", lines[4]);
  for (gint i = 0; i < 3; i++)
    {
      /* rows oldest first: hour − 3 (73 °C, 0.375 Gcal) … hour − 1 */
      g_autoptr (GDateTime) ts = g_date_time_add_hours (hour, i - 3);
      g_autofree gchar *when = g_date_time_format (ts, "%Y-%m-%d %H:%M");
      g_autofree gchar *t_in = g_strdup_printf (" %d.0000", 73 - i);
      g_autofree gchar *q_in = g_strdup_printf (" %.4f", 0.375 - 0.125 * i);
      const gchar *row = lines[5 + i];

      ck_assert_msg (g_str_has_prefix (row, when), "%s", row);
      ck_assert_msg (strstr (row, t_in) != NULL, "%s lacks%s", row, t_in);
      ck_assert_msg (strstr (row, q_in) != NULL, "%s lacks%s", row, q_in);
    }
}

START_TEST (test_remote_archive_py)
{
  g_autofree gchar *out = run_example (g_getenv ("LERS_PYTHON"), "remote-archive.py");
  check_output (out);
}
END_TEST

START_TEST (test_remote_archive_js)
{
  g_autofree gchar *out = run_example ("gjs", "remote-archive.js");
  check_output (out);
}
END_TEST

int
main (int argc, char **argv)
{
  Suite *s = suite_create ("client-examples");
  TCase *tc = tcase_create ("client-examples");

  lers_check_init (&argc, &argv);
  tcase_add_unchecked_fixture (tc, lers_check_cluster_setup, lers_check_cluster_teardown);
  tcase_add_checked_fixture (tc, setup, teardown);
  tcase_set_timeout (tc, 120);
  tcase_add_test (tc, test_remote_archive_py);
  tcase_add_test (tc, test_remote_archive_js);
  suite_add_tcase (s, tc);
  return lers_check_run_suite (s);
}
