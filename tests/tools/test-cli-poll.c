/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* `lers poll …` and the shared job queue, as an operator uses them: manual
 * reads queued (rows checked with SQL on the test's own connection), --wait
 * following jobs that a "polling service" (hand-made updates here) moves
 * along, the jobs table and one job, cancel, services and their tokens
 * (file mode 0600, never on the terminal), schedules with the next slot
 * worked out by hand, and the status line in English and Russian. The
 * points are in Europe/Moscow (UTC+3 all year). */
#include "config.h"

#include <check.h>
#include <glib/gstdio.h>
#include <lers.h>
#include <string.h>
#include <sys/stat.h>

#include "lers-check.h"

static void
seed_points (void)
{
  lers_check_sql_exec ("INSERT INTO territories (id, title, timezone) VALUES "
                       "(1, 'Москва', 'Europe/Moscow')");
  lers_check_sql_exec ("INSERT INTO nodes (id, territory_id, title) VALUES (1, 1, 'ИТП 1')");
  lers_check_sql_exec ("INSERT INTO connections (id, kind, host, port) VALUES "
                       "(1, 0, '127.0.0.1', 15001), (2, 0, '127.0.0.1', 15002), "
                       "(3, 0, '127.0.0.1', 15003)");
  lers_check_sql_exec ("INSERT INTO devices (id, protocol, serial_number, network_address, "
                       "connection_id) VALUES (1, 'mbus', '10000001', '1', 1), "
                       "(2, 'mbus', '10000002', '2', 2), (3, 'mbus', '10000003', '3', 3)");
  lers_check_sql_exec ("INSERT INTO measure_points (id, node_id, title, device_id, poll_interval) "
                       "VALUES (1, 1, 'Отопление', 1, 3600), (2, 1, 'ГВС', 2, 3600), "
                       "(3, 1, 'Без прибора', NULL, 0), (4, 1, 'ХВС', 3, 3600)");
}

static void
cli_setup (void)
{
  lers_check_store_setup ();
  seed_points ();
}

static gint64
last_job_id (void)
{
  return lers_check_sql_int ("SELECT coalesce(max(id), 0) FROM poll_jobs");
}

START_TEST (test_read_queues)
{
  g_autofree gchar *out = NULL;
  g_autofree gchar *err = NULL;
  g_autofree gchar *expected = NULL;
  g_autofree gchar *sql = NULL;
  gint64 first;

  ck_assert_int_eq (lers_check_run_lers (&out, &err, "poll", "read", "1", "2", "--kind=hour,day",
                                         "--from=2026-11-29", "--to=2026-11-30", NULL),
                    0);
  first = lers_check_sql_int ("SELECT min(id) FROM poll_jobs");
  /* one line a job: points × kinds in the order given */
  expected = g_strdup_printf ("Queued job %" G_GINT64_FORMAT ": point 1, hour\n"
                              "Queued job %" G_GINT64_FORMAT ": point 1, day\n"
                              "Queued job %" G_GINT64_FORMAT ": point 2, hour\n"
                              "Queued job %" G_GINT64_FORMAT ": point 2, day\n",
                              first, first + 1, first + 2, first + 3);
  ck_assert_str_eq (out, expected);
  /* bare dates are midnight in Moscow: 2026-11-29 00:00 +03:00 = 2026-11-28T21:00Z */
  sql = g_strdup_printf ("SELECT count(*) FROM poll_jobs WHERE priority = 0 AND state = 0 AND "
                         "requested_by = '%s' AND from_at = '2026-11-28T21:00:00Z' AND "
                         "to_at = '2026-11-29T21:00:00Z'",
                         g_get_user_name ());
  ck_assert_int_eq (lers_check_sql_int (sql), 4);
  ck_assert_int_eq (lers_check_sql_int ("SELECT count(*) FROM poll_jobs WHERE point_id = 2 AND "
                                        "connection_id = 2 AND kind IN (1, 2)"),
                    2);

  /* mistakes: nothing queued */
  {
    g_autofree gchar *o = NULL, *e = NULL;
    ck_assert_int_eq (lers_check_run_lers (&o, &e, "poll", "read", NULL), 2);
  }
  {
    g_autofree gchar *o = NULL, *e = NULL;
    ck_assert_int_eq (lers_check_run_lers (&o, &e, "poll", "read", "1", "--kind=weekly", NULL), 2);
    ck_assert_msg (strstr (e, "Unknown archive “weekly”") != NULL, "%s", e);
  }
  {
    g_autofree gchar *o = NULL, *e = NULL;
    ck_assert_int_eq (lers_check_run_lers (&o, &e, "poll", "read", "1", "999", NULL), 1);
    ck_assert_msg (strstr (e, "999") != NULL, "%s", e);
  }
  {
    g_autofree gchar *o = NULL, *e = NULL;
    ck_assert_int_eq (lers_check_run_lers (&o, &e, "poll", "read", "3", NULL), 1);
  }
  ck_assert_int_eq (lers_check_sql_int ("SELECT count(*) FROM poll_jobs"), 4);
}
END_TEST

/* Starts `lers poll read POINT --wait`, waits for its job to appear and
 * returns it; the job's id in @job_id */
static GSubprocess *
spawn_wait (const gchar *point, gint64 *job_id)
{
  g_autofree gchar *lers = g_build_filename (g_getenv ("LERS_BUILD_ROOT"), "tools", "lers", NULL);
  g_autofree gchar *db = g_strconcat ("--db=", lers_check_get_uri (), NULL);
  g_autoptr (GError) error = NULL;
  gint64 before = last_job_id ();
  GSubprocess *process;

  process = g_subprocess_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE | G_SUBPROCESS_FLAGS_STDERR_PIPE,
                              &error, lers, db, "poll", "read", point, "--wait", NULL);
  lers_check_assert_no_error (error);
  for (guint i = 0; i < 200 && last_job_id () == before; i++)
    g_usleep (50 * 1000);
  *job_id = last_job_id ();
  ck_assert_int_gt (*job_id, before);
  return process;
}

static gint
finish_wait (GSubprocess *process, gchar **out, gchar **err)
{
  g_autoptr (GError) error = NULL;

  ck_assert (g_subprocess_communicate_utf8 (process, NULL, NULL, out, err, &error));
  lers_check_assert_no_error (error);
  return g_subprocess_get_exit_status (process);
}

START_TEST (test_read_wait)
{
  g_autoptr (GSubprocess) ok = NULL;
  g_autoptr (GSubprocess) bad = NULL;
  g_autofree gchar *out = NULL;
  g_autofree gchar *err = NULL;
  g_autofree gchar *sql = NULL;
  g_autofree gchar *expected = NULL;
  gint64 id;

  /* a polling service takes the job, reads half, then all 24 records */
  ok = spawn_wait ("1", &id);
  sql = g_strdup_printf (
      "UPDATE poll_jobs SET state = 1, progress = 0.5, attempts = 1, "
      "message = 'hour archive', started_at = now() WHERE id = %" G_GINT64_FORMAT,
      id);
  lers_check_sql_exec (sql);
  g_usleep (1200 * 1000);
  g_free (sql);
  sql = g_strdup_printf ("UPDATE poll_jobs SET state = 2, progress = 1, records = 24, "
                         "finished_at = now() WHERE id = %" G_GINT64_FORMAT,
                         id);
  lers_check_sql_exec (sql);
  ck_assert_int_eq (finish_wait (ok, &out, &err), 0);
  expected = g_strdup_printf ("Job %" G_GINT64_FORMAT " (point 1, hour): done, 24 records\n", id);
  ck_assert_msg (g_str_has_suffix (out, expected), "%s", out);
  /* not a terminal: a plain line each time a job's line changes */
  {
    g_autofree gchar *running = g_strdup_printf (
        "Job %" G_GINT64_FORMAT " (point 1, hour): running  50%% hour archive\n", id);
    ck_assert_msg (strstr (err, running) != NULL, "%s", err);
    ck_assert_msg (strstr (err, "\033[") == NULL, "%s", err);
  }

  /* a job that fails: exit 1 and the error */
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);
  bad = spawn_wait ("2", &id);
  g_free (sql);
  sql = g_strdup_printf ("UPDATE poll_jobs SET state = 3, attempts = 5, finished_at = now(), "
                         "error = 'No answer from 127.0.0.1:15002' WHERE id = %" G_GINT64_FORMAT,
                         id);
  lers_check_sql_exec (sql);
  ck_assert_int_eq (finish_wait (bad, &out, &err), 1);
  g_free (expected);
  expected = g_strdup_printf (
      "Job %" G_GINT64_FORMAT " (point 2, hour): failed: No answer from 127.0.0.1:15002\n", id);
  ck_assert_msg (g_str_has_suffix (out, expected), "%s", out);
}
END_TEST

START_TEST (test_jobs_job_cancel)
{
  g_autofree gchar *out = NULL;
  g_autofree gchar *err = NULL;
  g_autofree gchar *sql = NULL;
  g_autofree gchar *id_s = NULL;
  g_autofree gchar *row = NULL;
  gint64 id;

  ck_assert_int_eq (lers_check_run_lers (&out, &err, "poll", "read", "4", NULL), 0);
  id = last_job_id ();
  id_s = g_strdup_printf ("%" G_GINT64_FORMAT, id);
  /* due at 07:05Z = 10:05 in Moscow, with a retry behind it */
  sql = g_strdup_printf ("UPDATE poll_jobs SET due_at = '2026-11-30T07:05:00Z', attempts = 1, "
                         "error = 'No answer', log = E'10:00:01 No answer\\n' "
                         "WHERE id = %" G_GINT64_FORMAT,
                         id);
  lers_check_sql_exec (sql);

  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);
  ck_assert_int_eq (lers_check_run_lers (&out, &err, "poll", "jobs", NULL), 0);
  ck_assert_msg (g_str_has_prefix (out, "      ID  POINT ARCHIVE  PRIORITY   STATE       TRIES "
                                        "DUE "),
                 "%s", out);
  row = g_strdup_printf ("%8" G_GINT64_FORMAT "      4 hour     manual     queued          1 "
                         "2026-11-30 10:05 +03:00 —                       —                       "
                         "       0 No answer\n",
                         id);
  ck_assert_msg (strstr (out, row) != NULL, "%s\nexpected\n%s", out, row);
  ck_assert_msg (g_str_has_suffix (out, "\n1 job\n"), "%s", out);

  /* one job: every field and the log */
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);
  ck_assert_int_eq (lers_check_run_lers (&out, &err, "poll", "job", id_s, NULL), 0);
  ck_assert_msg (strstr (out, "\nState:           queued\n") != NULL, "%s", out);
  ck_assert_msg (strstr (out, "\nDue:             2026-11-30 10:05 +03:00\n") != NULL, "%s", out);
  ck_assert_msg (strstr (out, "\nPriority:        manual\n") != NULL, "%s", out);
  ck_assert_msg (g_str_has_suffix (out, "Log:\n  10:00:01 No answer\n"), "%s", out);

  /* filters */
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);
  ck_assert_int_eq (lers_check_run_lers (&out, &err, "poll", "jobs", "--state=running", NULL), 0);
  ck_assert_msg (g_str_has_suffix (out, "\n0 jobs\n"), "%s", out);

  /* cancel, then again: it has finished */
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);
  ck_assert_int_eq (lers_check_run_lers (&out, &err, "poll", "cancel", id_s, NULL), 0);
  g_free (row);
  row = g_strdup_printf ("Job %" G_GINT64_FORMAT " cancelled\n", id);
  ck_assert_str_eq (out, row);
  g_free (sql);
  sql = g_strdup_printf ("SELECT state FROM poll_jobs WHERE id = %" G_GINT64_FORMAT, id);
  ck_assert_int_eq (lers_check_sql_int (sql), 4);
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);
  ck_assert_int_eq (lers_check_run_lers (&out, &err, "poll", "cancel", id_s, NULL), 1);
  ck_assert_msg (strstr (err, "already finished") != NULL, "%s", err);
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);
  ck_assert_int_eq (lers_check_run_lers (&out, &err, "poll", "job", "999999", NULL), 1);
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);
  ck_assert_int_eq (lers_check_run_lers (&out, &err, "poll", "job", "x", NULL), 2);
}
END_TEST

START_TEST (test_services_tokens)
{
  g_autofree gchar *dir = g_dir_make_tmp ("lers-token-XXXXXX", NULL);
  g_autofree gchar *path = g_build_filename (dir, "north.token", NULL);
  g_autofree gchar *path_arg = g_strconcat ("--token-file=", path, NULL);
  g_autofree gchar *token = NULL;
  g_autofree gchar *out = NULL;
  g_autofree gchar *err = NULL;
  g_autofree gchar *sql = NULL;
  GStatBuf st;

  ck_assert_int_eq (
      lers_check_run_lers (&out, &err, "poll", "add-service", "north", path_arg, NULL), 0);
  ck_assert_int_eq (g_stat (path, &st), 0);
  ck_assert_int_eq (st.st_mode & 0777, 0600);
  ck_assert (g_file_get_contents (path, &token, NULL, NULL));
  g_strchomp (token);
  /* 32 random bytes in base64url without padding: 43 characters */
  ck_assert_int_eq (strlen (token), 43);
  ck_assert_msg (strstr (out, token) == NULL && strstr (err, token) == NULL, "token shown");
  ck_assert_msg (strstr (out, path) != NULL, "%s", out);
  sql = g_strdup_printf ("SELECT count(*) FROM poll_services WHERE name = 'north' AND authorised "
                         "AND token_hash = sha256(convert_to('%s', 'UTF8'))",
                         token);
  ck_assert_int_eq (lers_check_sql_int (sql), 1);

  /* an existing file is never overwritten, and no service is added */
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);
  ck_assert_int_eq (
      lers_check_run_lers (&out, &err, "poll", "add-service", "south", path_arg, NULL), 1);
  ck_assert_int_eq (lers_check_sql_int ("SELECT count(*) FROM poll_services WHERE name = 'south'"),
                    0);
  {
    g_autofree gchar *again = NULL;
    ck_assert (g_file_get_contents (path, &again, NULL, NULL));
    g_strchomp (again);
    ck_assert_str_eq (again, token);
  }

  /* revoke and authorise again */
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);
  ck_assert_int_eq (
      lers_check_run_lers (&out, &err, "poll", "authorise", "north", "--revoke", NULL), 0);
  ck_assert_int_eq (
      lers_check_sql_int ("SELECT authorised::int FROM poll_services WHERE name = 'north'"), 0);
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);
  ck_assert_int_eq (lers_check_run_lers (&out, &err, "poll", "services", NULL), 0);
  ck_assert_msg (strstr (out, "\nnorth ") != NULL && strstr (out, "not authorised") != NULL, "%s",
                 out);
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);
  ck_assert_int_eq (lers_check_run_lers (&out, &err, "poll", "authorise", "north", NULL), 0);
  ck_assert_str_eq (out, "Polling service “north” authorised\n");
  ck_assert_int_eq (
      lers_check_sql_int ("SELECT authorised::int FROM poll_services WHERE name = 'north'"), 1);
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);
  ck_assert_int_eq (lers_check_run_lers (&out, &err, "poll", "authorise", "nobody", NULL), 1);

  /* and gone */
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);
  ck_assert_int_eq (lers_check_run_lers (&out, &err, "poll", "remove-service", "north", NULL), 0);
  ck_assert_int_eq (lers_check_sql_int ("SELECT count(*) FROM poll_services"), 0);

  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);
  ck_assert_int_eq (lers_check_run_lers (&out, &err, "poll", "add-service", "west", NULL), 2);
  g_unlink (path);
  g_rmdir (dir);
}
END_TEST

/* The next slot after @now of a schedule every @every minutes at @at
 * minutes after Moscow midnight (every divides a day), as the table shows it */
static gchar *
next_slot (GDateTime *now, gint every, gint at)
{
  g_autoptr (GTimeZone) msk = g_time_zone_new_identifier ("Europe/Moscow");
  g_autoptr (GDateTime) local = g_date_time_to_timezone (now, msk);
  g_autoptr (GDateTime) midnight
      = g_date_time_new (msk, g_date_time_get_year (local), g_date_time_get_month (local),
                         g_date_time_get_day_of_month (local), 0, 0, 0);
  g_autoptr (GDateTime) slot = g_date_time_add_minutes (midnight, at);

  while (g_date_time_compare (slot, local) <= 0)
    {
      GDateTime *later = g_date_time_add_minutes (slot, every);
      g_date_time_unref (slot);
      slot = later;
    }
  return g_date_time_format (slot, "%Y-%m-%d %H:%M +03:00");
}

/* the row of @kind in the schedule table, with the next slot either side of
 * the command's run */
static void
assert_schedule_row (const gchar *out, const gchar *start, GDateTime *before, GDateTime *after,
                     gint every, gint at)
{
  g_autofree gchar *next_before = next_slot (before, every, at);
  g_autofree gchar *next_after = next_slot (after, every, at);
  g_autofree gchar *row_before = g_strconcat (start, next_before, "\n", NULL);
  g_autofree gchar *row_after = g_strconcat (start, next_after, "\n", NULL);

  ck_assert_msg (strstr (out, row_before) != NULL || strstr (out, row_after) != NULL,
                 "%s\nexpected\n%s", out, row_before);
}

START_TEST (test_schedule)
{
  g_autoptr (GDateTime) before = g_date_time_new_now_utc ();
  g_autoptr (GDateTime) after = NULL;
  g_autofree gchar *out = NULL;
  g_autofree gchar *err = NULL;

  ck_assert_int_eq (lers_check_run_lers (&out, &err, "poll", "schedule", "1", NULL), 0);
  after = g_date_time_new_now_utc ();
  ck_assert_msg (g_str_has_prefix (out, "ARCHIVE  ENABLED  EVERY, MIN  AT, MIN DEFAULT  NEXT "
                                        "(Europe/Moscow)\n"),
                 "%s", out);
  /* the default of an hourly point: every 60 minutes at :05 */
  assert_schedule_row (out, "hour     yes              60        5 yes      ", before, after, 60,
                       5);
  ck_assert_msg (strstr (out, "current  no ") != NULL, "%s", out);

  /* current values every 15 minutes */
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);
  g_date_time_unref (before);
  before = g_date_time_new_now_utc ();
  ck_assert_int_eq (lers_check_run_lers (&out, &err, "poll", "schedule", "1", "--kind=current",
                                         "--every=15", NULL),
                    0);
  g_date_time_unref (after);
  after = g_date_time_new_now_utc ();
  ck_assert_int_eq (lers_check_sql_int ("SELECT count(*) FROM poll_schedules WHERE point_id = 1 "
                                        "AND kind = 0 AND enabled AND every_minutes = 15 AND "
                                        "at_minutes = 0"),
                    1);
  assert_schedule_row (out, "current  yes              15        0 no       ", before, after, 15,
                       0);

  /* the day archive off: the row keeps its slots */
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);
  ck_assert_int_eq (
      lers_check_run_lers (&out, &err, "poll", "schedule", "1", "--kind=day", "--off", NULL), 0);
  ck_assert_int_eq (lers_check_sql_int ("SELECT count(*) FROM poll_schedules WHERE point_id = 1 "
                                        "AND kind = 2 AND NOT enabled AND every_minutes = 1440 "
                                        "AND at_minutes = 30"),
                    1);
  ck_assert_msg (strstr (out, "\nday      no             1440       30 no       —\n") != NULL, "%s",
                 out);

  /* back to the default */
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);
  ck_assert_int_eq (lers_check_run_lers (&out, &err, "poll", "schedule", "1", "--kind=current",
                                         "--default", NULL),
                    0);
  ck_assert_int_eq (
      lers_check_sql_int ("SELECT count(*) FROM poll_schedules WHERE point_id = 1 AND kind = 0"),
      0);

  /* mistakes */
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);
  ck_assert_int_eq (
      lers_check_run_lers (&out, &err, "poll", "schedule", "1", "--kind=hour", "--every=7", NULL),
      1);
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);
  ck_assert_int_eq (lers_check_run_lers (&out, &err, "poll", "schedule", "1", "--every=60", NULL),
                    2);
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);
  ck_assert_int_eq (lers_check_run_lers (&out, &err, "poll", "schedule", "1", "--kind=hour",
                                         "--off", "--default", NULL),
                    2);
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);
  ck_assert_int_eq (lers_check_run_lers (&out, &err, "poll", "schedule", "999", NULL), 1);
}
END_TEST

/* Two services, one running with 8 ports and one dead; link 1 held by the
 * running one, link 2 blocked, link 3 free:
 *   services 2; ports 8, busy 1, free 7; links 3, polling 1, blocked 1 */
static void
seed_status (void)
{
  lers_check_sql_exec (
      "INSERT INTO poll_services (name, token_hash, authorised, host, version, max_links, "
      "started_at, heartbeat_at, jobs_done, jobs_failed) VALUES "
      "('north', sha256(convert_to('n', 'UTF8')), true, 'poll1', '0.4.0', 8, "
      " now() - interval '1 hour', now() - interval '5 seconds', 120, 3), "
      "('south', sha256(convert_to('s', 'UTF8')), true, 'poll2', '0.4.0', 4, "
      " now() - interval '3 hours', now() - interval '10 minutes', 7, 1)");
  lers_check_sql_exec (
      "INSERT INTO poll_links (connection_id, lease_owner, lease_until, blocked_until, failures) "
      "VALUES (1, (SELECT id FROM poll_services WHERE name = 'north'), "
      " now() + interval '60 seconds', NULL, 0), "
      "(2, NULL, NULL, now() + interval '10 minutes', 3), (3, NULL, NULL, NULL, 0)");
}

START_TEST (test_status_line)
{
  g_autofree gchar *out = NULL;
  g_autofree gchar *err = NULL;
  g_autofree gchar *ru = NULL;
  g_autofree gchar *ru_err = NULL;
  g_autofree gchar *saved = g_strdup (g_getenv ("LANGUAGE"));

  seed_status ();
  ck_assert_int_eq (lers_check_run_lers (&out, &err, "poll", "status", "--links", NULL), 0);
  ck_assert_msg (g_str_has_prefix (out, "Polling services: 2; ports: 8, busy: 1, free: 7; "
                                        "links: 3, polling: 1, blocked: 1\n"),
                 "%s", out);
  ck_assert_msg (strstr (out, "\nnorth            poll1            0.4.0    running ") != NULL,
                 "%s", out);
  ck_assert_msg (strstr (out, "\nsouth            poll2            0.4.0    not responding ")
                     != NULL,
                 "%s", out);
  /* --links: link 2 blocked after 3 failures */
  ck_assert_msg (strstr (out, "LINK KIND") != NULL, "%s", out);

  /* with no language asked for, lers speaks Russian, as ЛЭРС's status bar */
  g_unsetenv ("LANGUAGE");
  ck_assert_int_eq (lers_check_run_lers (&ru, &ru_err, "poll", "status", NULL), 0);
  g_setenv ("LANGUAGE", saved, TRUE);
  ck_assert_msg (g_str_has_prefix (ru, "Служб опроса: 2; портов: 8, занято: 1, свободно: 7; "
                                       "линий: 3, опрашивается: 1, заблокировано: 1\n"),
                 "%s", ru);
}
END_TEST

START_TEST (test_sessions_traffic)
{
  g_autofree gchar *out = NULL;
  g_autofree gchar *err = NULL;
  g_autofree gchar *saved = g_strdup (g_getenv ("TZ"));

  /* on link 1 a minute ago: 10 s, 1200 bytes in, 300 out, −71 dBm; then 5 s
   * that failed */
  lers_check_sql_exec (
      "INSERT INTO link_sessions (connection_id, started_at, ended_at, bytes_in, bytes_out, "
      "end_reason, error, signal_level, firmware, sim_id) VALUES "
      "(1, now() - interval '70 seconds', now() - interval '60 seconds', 1200, 300, 'done', "
      " NULL, -71, 'M590 1.2', '8970101'), "
      "(1, now() - interval '50 seconds', now() - interval '45 seconds', 10, 20, 'error', "
      " 'No answer', NULL, NULL, NULL)");
  /* times in the machine's zone: UTC here */
  g_setenv ("TZ", "UTC", TRUE);
  ck_assert_int_eq (lers_check_run_lers (&out, &err, "poll", "sessions", "--connection=1", NULL),
                    0);
  ck_assert_msg (g_str_has_prefix (out, "  LINK STARTED                  DURATION   BYTES IN "),
                 "%s", out);
  /* newest first */
  ck_assert_msg (strstr (out, "   0:00:05         10         20           — error      No answer\n")
                     != NULL,
                 "%s", out);
  ck_assert_msg (strstr (out, "   0:00:10       1200        300         -71 done\n") != NULL, "%s",
                 out);
  ck_assert_msg (strstr (out, " +00:00 ") != NULL, "%s", out);
  ck_assert_msg (g_str_has_suffix (out, "\n2 sessions\n"), "%s", out);

  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);
  ck_assert_int_eq (lers_check_run_lers (&out, &err, "poll", "traffic", NULL), 0);
  if (saved != NULL)
    g_setenv ("TZ", saved, TRUE);
  else
    g_unsetenv ("TZ");
  ck_assert_msg (g_str_has_prefix (out, "Link 1 "), "%s", out);
  ck_assert_msg (strstr (out, "; signal -71 dBm, firmware M590 1.2, SIM 8970101\n") != NULL, "%s",
                 out);
  /* a minute ago is this month (or, in the first minute of a month, last
   * month): 2 sessions, 1 failed, 15 s, 1210 bytes in, 320 out */
  ck_assert_msg (strstr (out, "         2         1    0:00:15         1210 320\n") != NULL, "%s",
                 out);
}
END_TEST

START_TEST (test_plan_and_usage)
{
  g_autofree gchar *out = NULL;
  g_autofree gchar *err = NULL;

  /* points 1, 2 and 4 are hourly: each gets its hour, day and month slot */
  ck_assert_int_eq (lers_check_run_lers (&out, &err, "poll", "plan", NULL), 0);
  ck_assert_str_eq (out, "9 routine jobs planned\n");
  ck_assert_int_eq (
      lers_check_sql_int ("SELECT count(*) FROM poll_jobs WHERE priority = 3 AND state = 0"), 9);
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);
  /* planned once: the slots have their jobs */
  ck_assert_int_eq (lers_check_run_lers (&out, &err, "poll", "plan", NULL), 0);
  ck_assert_str_eq (out, "0 routine jobs planned\n");

  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);
  /* not a command: a point, as `lers poll POINT` has always read it */
  ck_assert_int_eq (lers_check_run_lers (&out, &err, "poll", "frobnicate", NULL), 2);
  ck_assert_msg (strstr (err, "“frobnicate” is not a point id") != NULL, "%s", err);
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);
  ck_assert_int_eq (lers_check_run_lers (&out, &err, "poll", "help", NULL), 0);
  ck_assert_msg (strstr (out, "  add-service ") != NULL, "%s", out);
}
END_TEST

int
main (int argc, char **argv)
{
  Suite *s = suite_create ("cli-poll");
  TCase *tc = tcase_create ("cli-poll");

  lers_check_init (&argc, &argv);
  tcase_set_timeout (tc, 120);
  tcase_add_unchecked_fixture (tc, lers_check_cluster_setup, lers_check_cluster_teardown);
  tcase_add_checked_fixture (tc, cli_setup, lers_check_store_teardown);
  tcase_add_test (tc, test_read_queues);
  tcase_add_test (tc, test_read_wait);
  tcase_add_test (tc, test_jobs_job_cancel);
  tcase_add_test (tc, test_services_tokens);
  tcase_add_test (tc, test_schedule);
  tcase_add_test (tc, test_status_line);
  tcase_add_test (tc, test_sessions_traffic);
  tcase_add_test (tc, test_plan_and_usage);
  suite_add_tcase (s, tc);
  return lers_check_run_suite (s);
}
