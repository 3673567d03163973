/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The polling service at work (LersPollWorker), in process: a real store,
 * the plugin engine and simulated M-Bus heat meters on loopback TCP, one
 * per link. What is asserted is what an operator sees: jobs in poll_jobs,
 * rows in archive and link_sessions, and the lines in the log. */
#include <check.h>
#include <lers.h>
#include <string.h>
#include <unistd.h>

#include "lers-check-proxy.h"
#include "lers-check.h"
#include "poll/lers-poll-worker-private.h"

#define WAIT_S 60

/* A link with one meter and one point on it. */
typedef struct
{
  LersCheckSim sim;
  gint64 connection_id;
  gint64 point_id;
} Link;

static gint64
save_connection (guint16 port, guint timeout)
{
  g_autoptr (LersConnection) connection = lers_connection_new ();
  g_autoptr (GError) error = NULL;

  g_object_set (connection, "host", "127.0.0.1", "port", port, "timeout", timeout, NULL);
  ck_assert (lers_store_save_connection_sync (lers_check_get_store (), connection, NULL, &error));
  lers_check_assert_no_error (error);
  return lers_connection_get_id (connection);
}

static gint64
save_point (gint64 connection_id, const gchar *serial, guint poll_interval)
{
  LersStore *store = lers_check_get_store ();
  g_autoptr (LersDevice) device = lers_device_new ();
  g_autoptr (LersMeasurePoint) point = lers_measure_point_new ();
  g_autoptr (GError) error = NULL;

  g_object_set (device, "protocol", "mbus", "serial-number", serial, "network-address", "7",
                "connection-id", connection_id, NULL);
  ck_assert (lers_store_save_device_sync (store, device, NULL, &error));
  lers_check_assert_no_error (error);
  g_object_set (point, "title", "Отопление", "device-id", lers_device_get_id (device),
                "poll-interval", poll_interval, NULL);
  ck_assert (lers_store_save_measure_point_sync (store, point, NULL, &error));
  lers_check_assert_no_error (error);
  return lers_measure_point_get_id (point);
}

/* @n links, each with its own simulated meter (serial 30000000 + i) */
static Link *
add_links (guint n, guint poll_interval)
{
  Link *links = g_new0 (Link, n);

  for (guint i = 0; i < n; i++)
    {
      g_autofree gchar *serial = g_strdup_printf ("%u", 30000000 + i);

      lers_check_sim_start (&links[i].sim, lers_check_get_engine (), "mbus", serial, 7, 100 + i);
      links[i].connection_id = save_connection (links[i].sim.port, 5);
      links[i].point_id = save_point (links[i].connection_id, serial, poll_interval);
    }
  return links;
}

static void
free_links (Link *links, guint n)
{
  for (guint i = 0; i < n; i++)
    lers_check_sim_stop (&links[i].sim);
  g_free (links);
}

static LersPollWorker *
new_worker (const gchar *name, gboolean authorise, LersClock *clock)
{
  g_autofree gchar *token = g_strdup_printf ("token of %s", name);
  g_autofree gchar *spool = g_build_filename (g_get_tmp_dir (), "lers-test-spool-XXXXXX", NULL);
  LersPollWorker *worker;

  ck_assert_ptr_nonnull (g_mkdtemp (spool));
  worker = lers_poll_worker_new (lers_check_get_store (), lers_check_get_engine (), name, token);
  if (clock != NULL)
    lers_poll_worker_set_clock (worker, clock);
  g_object_set (worker, "auto-authorise", authorise, "spool-dir", spool, "lease-seconds", 30, NULL);
  return worker;
}

static gboolean
timeout_cb (gpointer data)
{
  *(gboolean *) data = TRUE;
  return G_SOURCE_REMOVE;
}

/* Iterates the main context until *@flag is TRUE or @seconds pass. */
static gboolean
wait_flag (const gboolean *flag, guint seconds)
{
  gboolean timed_out = FALSE;
  guint id = g_timeout_add_seconds (seconds, timeout_cb, &timed_out);

  while (!*flag && !timed_out)
    g_main_context_iteration (NULL, TRUE);
  if (!timed_out)
    g_source_remove (id);
  return *flag;
}

/* Iterates for @ms milliseconds. */
static void
spin (guint ms)
{
  gboolean done = FALSE;

  g_timeout_add (ms, timeout_cb, &done);
  while (!done)
    g_main_context_iteration (NULL, TRUE);
}

typedef struct
{
  GPtrArray *jobs; /* of LersPollJob as stored, in order */
  guint wanted;
  gboolean reached;
  guint peak_links; /* the most links any worker held when a job ended */
} Finished;

static void
job_finished_cb (LersPollWorker *worker, LersPollJob *job, gpointer user_data)
{
  Finished *f = user_data;

  g_ptr_array_add (f->jobs, g_object_ref (job));
  f->peak_links = MAX (f->peak_links, lers_poll_worker_get_n_links (worker));
  if (f->jobs->len >= f->wanted)
    f->reached = TRUE;
}

static void
finished_init (Finished *f)
{
  f->jobs = g_ptr_array_new_with_free_func (g_object_unref);
}

static void
finished_clear (Finished *f)
{
  g_clear_pointer (&f->jobs, g_ptr_array_unref);
}

/* runs until @n jobs in all were reported finished */
static void
wait_finished (Finished *f, guint n)
{
  f->wanted = n;
  f->reached = f->jobs->len >= n;
  ck_assert_msg (wait_flag (&f->reached, WAIT_S), "%u of %u jobs finished", f->jobs->len, n);
}

static LersPollJob *
last_finished (Finished *f)
{
  return g_ptr_array_index (f->jobs, f->jobs->len - 1);
}

/* runs until @worker has reported everything and holds no link */
static void
wait_idle (LersPollWorker *worker)
{
  for (guint i = 0; i < WAIT_S * 10; i++)
    {
      if (lers_poll_worker_get_n_links (worker) == 0
          && lers_poll_worker_get_n_unreported (worker) == 0)
        {
          /* the last report may still be on the worker thread */
          spin (200);
          if (lers_poll_worker_get_n_unreported (worker) == 0)
            return;
        }
      spin (100);
    }
  ck_abort_msg ("the worker did not settle");
}

static void
state_cb (GObject *object, GParamSpec *pspec, gpointer user_data)
{
  const gchar *wanted = g_object_get_data (object, "wanted-state");

  if (g_strcmp0 (lers_poll_worker_get_state (LERS_POLL_WORKER (object)), wanted) == 0)
    *(gboolean *) user_data = TRUE;
}

static void
wait_state (LersPollWorker *worker, const gchar *state)
{
  gboolean reached = g_str_equal (lers_poll_worker_get_state (worker), state);
  gulong id;

  g_object_set_data_full (G_OBJECT (worker), "wanted-state", g_strdup (state), g_free);
  id = g_signal_connect (worker, "notify::state", G_CALLBACK (state_cb), &reached);
  ck_assert_msg (wait_flag (&reached, WAIT_S), "state %s, wanted %s",
                 lers_poll_worker_get_state (worker), state);
  g_signal_handler_disconnect (worker, id);
}

static gint64 sql_int (const gchar *format, ...) G_GNUC_PRINTF (1, 2);

static gint64
sql_int (const gchar *format, ...)
{
  va_list args;
  g_autofree gchar *sql = NULL;

  va_start (args, format);
  sql = g_strdup_vprintf (format, args);
  va_end (args);
  return lers_check_sql_int (sql);
}

/* Log capture: the library's messages and warnings (warnings are fatal in
 * these tests otherwise) */
static GPtrArray *captured;

static void
capture_cb (const gchar *domain, GLogLevelFlags level, const gchar *message, gpointer user_data)
{
  if (level & (G_LOG_LEVEL_WARNING | G_LOG_LEVEL_MESSAGE))
    g_ptr_array_add (
        captured, g_strdup_printf ("%s: %s", (level & G_LOG_LEVEL_WARNING) ? "W" : "M", message));
}

static gboolean
not_fatal_cb (const gchar *domain, GLogLevelFlags level, const gchar *message, gpointer user_data)
{
  /* only what the worker logs is captured; anything else still fails */
  return captured == NULL || g_strcmp0 (domain, "Lers") != 0;
}

static guint capture_handler;

static void
capture_start (void)
{
  captured = g_ptr_array_new_with_free_func (g_free);
  capture_handler = g_log_set_handler (
      "Lers", G_LOG_LEVEL_WARNING | G_LOG_LEVEL_MESSAGE | G_LOG_FLAG_FATAL, capture_cb, NULL);
  g_test_log_set_fatal_handler (not_fatal_cb, NULL);
}

/* after the worker is gone: what is logged from here on is fatal again */
static void
capture_stop (void)
{
  g_log_remove_handler ("Lers", capture_handler);
  g_test_log_set_fatal_handler (NULL, NULL);
  g_clear_pointer (&captured, g_ptr_array_unref);
}

static guint
count_captured (const gchar *pattern)
{
  guint n = 0;

  for (guint i = 0; i < captured->len; i++)
    n += g_pattern_match_simple (pattern, g_ptr_array_index (captured, i));
  return n;
}

static void
dump_captured (void)
{
  for (guint i = 0; i < captured->len; i++)
    g_printerr ("captured %s\n", (const gchar *) g_ptr_array_index (captured, i));
}

/* Routine jobs: planned once per point and kind, each read once, done with
 * its record count, the archive stored, the link's session recorded and
 * the link given back. */
START_TEST (test_routine_jobs_read_once)
{
  Link *links = add_links (3, 3600);
  g_autoptr (LersPollWorker) worker = new_worker ("poller-a", TRUE, NULL);
  g_autoptr (GError) error = NULL;
  Finished f = { 0 };
  gint64 service_id;

  finished_init (&f);
  g_object_set (worker, "claim-interval", 1, NULL);
  g_signal_connect (worker, "job-finished", G_CALLBACK (job_finished_cb), &f);
  lers_poll_worker_start (worker);
  /* the planner's defaults: hour, day and month of each point (the
   * current slot of each is due) */
  wait_finished (&f, 9);
  wait_idle (worker);
  service_id = lers_poll_worker_get_service_id (worker);
  ck_assert_int_gt (service_id, 0);
  for (guint i = 0; i < f.jobs->len; i++)
    {
      LersPollJob *job = g_ptr_array_index (f.jobs, i);

      ck_assert_int_eq (lers_poll_job_get_state (job), LERS_POLL_JOB_STATE_DONE);
      ck_assert_int_eq (lers_poll_job_get_priority (job), LERS_POLL_PRIORITY_ROUTINE);
      ck_assert_int_eq (lers_poll_job_get_service_id (job), service_id);
      ck_assert_int_eq (lers_poll_job_get_attempts (job), 1);
      ck_assert_double_eq (lers_poll_job_get_progress (job), 1.0);
    }
  ck_assert_int_eq (lers_check_sql_int ("SELECT count(*) FROM poll_jobs"), 9);
  ck_assert_int_eq (lers_check_sql_int ("SELECT count(*) FROM poll_jobs WHERE state = 2"), 9);
  for (guint i = 0; i < 3; i++)
    {
      /* never read: the poller reads the last week, 7 × 24 = 168 hours */
      ck_assert_int_eq (sql_int ("SELECT records FROM poll_jobs WHERE point_id = %" G_GINT64_FORMAT
                                 " AND kind = 1",
                                 links[i].point_id),
                        168);
      ck_assert_int_eq (sql_int ("SELECT count(*) FROM archive WHERE point_id = %" G_GINT64_FORMAT
                                 " AND kind = 1",
                                 links[i].point_id),
                        168);
      /* one hold of the link for its three jobs, by this service */
      ck_assert_int_eq (
          sql_int ("SELECT count(*) FROM link_sessions WHERE connection_id = %" G_GINT64_FORMAT
                   " AND service_id = %" G_GINT64_FORMAT " AND end_reason = 'done'"
                   " AND bytes_in > 0 AND bytes_out > 0",
                   links[i].connection_id, service_id),
          1);
      /* given back, not blocked */
      ck_assert_int_eq (
          sql_int ("SELECT count(*) FROM poll_links WHERE connection_id = %" G_GINT64_FORMAT
                   " AND lease_owner IS NULL AND blocked_until IS NULL AND failures = 0",
                   links[i].connection_id),
          1);
    }
  ck_assert_int_eq (
      sql_int ("SELECT jobs_done FROM poll_services WHERE id = %" G_GINT64_FORMAT, service_id), 9);

  /* planning again finds nothing new, and more claims read nothing twice */
  ck_assert_uint_eq (
      lers_poll_queue_plan_sync (lers_poll_worker_get_queue (worker), NULL, NULL, &error), 0);
  lers_check_assert_no_error (error);
  spin (2500);
  ck_assert_uint_eq (f.jobs->len, 9);
  ck_assert_int_eq (lers_check_sql_int ("SELECT count(*) FROM link_sessions"), 3);

  lers_poll_worker_stop (worker);
  ck_assert_str_eq (lers_poll_worker_get_state (worker), "stopped");
  ck_assert_int_eq (sql_int ("SELECT count(*) FROM poll_services WHERE id = %" G_GINT64_FORMAT
                             " AND stopped_at IS NOT NULL",
                             service_id),
                    1);
  finished_clear (&f);
  free_links (links, 3);
}
END_TEST

/* A manual read is claimed at once on its notification, not on the next
 * claim (60 s away). */
START_TEST (test_manual_read_at_once)
{
  Link *links = add_links (1, 0);
  g_autoptr (LersPollWorker) worker = new_worker ("poller-a", TRUE, NULL);
  g_autoptr (LersPollQueue) queue = lers_poll_queue_new (lers_check_get_store ());
  g_autoptr (GDateTime) to = lers_check_this_hour ();
  g_autoptr (GDateTime) from = g_date_time_add_hours (to, -5);
  g_autoptr (GPtrArray) jobs = NULL;
  g_autoptr (GError) error = NULL;
  LersArchiveKind kind = LERS_ARCHIVE_KIND_HOUR;
  Finished f = { 0 };
  gint64 started;

  finished_init (&f);
  g_object_set (worker, "claim-interval", 60, "plan", FALSE, NULL);
  g_signal_connect (worker, "job-finished", G_CALLBACK (job_finished_cb), &f);
  lers_poll_worker_start (worker);
  wait_state (worker, "running");
  /* the first claim (nothing) and the listener's connection */
  while (!lers_poll_worker_is_listening (worker))
    spin (50);
  spin (300);

  started = g_get_monotonic_time ();
  jobs = lers_poll_queue_enqueue_sync (queue, &links[0].point_id, 1, &kind, 1, from, to,
                                       LERS_POLL_PRIORITY_MANUAL, "test", NULL, &error);
  lers_check_assert_no_error (error);
  ck_assert_uint_eq (jobs->len, 1);
  wait_finished (&f, 1);
  ck_assert_msg (g_get_monotonic_time () - started < 2 * G_USEC_PER_SEC, "read after %.1f s",
                 (g_get_monotonic_time () - started) / 1e6);
  ck_assert_int_eq (lers_poll_job_get_id (last_finished (&f)),
                    lers_poll_job_get_id (g_ptr_array_index (jobs, 0)));
  ck_assert_int_eq (lers_poll_job_get_state (last_finished (&f)), LERS_POLL_JOB_STATE_DONE);
  /* 5 hours asked for: [to − 5 h, to) */
  ck_assert_int_eq (lers_poll_job_get_records (last_finished (&f)), 5);
  ck_assert_int_eq (sql_int ("SELECT count(*) FROM archive WHERE point_id = %" G_GINT64_FORMAT,
                             links[0].point_id),
                    5);
  lers_poll_worker_stop (worker);
  finished_clear (&f);
  free_links (links, 1);
}
END_TEST

/* A meter that accepts the connection and never answers. */
static gboolean
silent_incoming_cb (GSocketService *service, GSocketConnection *connection, GObject *source,
                    gpointer user_data)
{
  g_ptr_array_add (user_data, g_object_ref (connection));
  return TRUE;
}

/* Cancelling a running job (lers poll cancel, the API) ends its read at
 * once: the job ends cancelled, the link is given back. */
START_TEST (test_cancel_running_job)
{
  g_autoptr (GSocketService) silent = g_socket_service_new ();
  g_autoptr (GPtrArray) held = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr (LersPollWorker) worker = new_worker ("poller-a", TRUE, NULL);
  g_autoptr (LersPollQueue) queue = lers_poll_queue_new (lers_check_get_store ());
  g_autoptr (GPtrArray) jobs = NULL;
  g_autoptr (GError) error = NULL;
  LersArchiveKind kind = LERS_ARCHIVE_KIND_HOUR;
  guint16 port = g_socket_listener_add_any_inet_port (G_SOCKET_LISTENER (silent), NULL, NULL);
  gint64 connection_id = save_connection (port, 60);
  gint64 point_id = save_point (connection_id, "30000099", 0);
  Finished f = { 0 };
  gint64 job_id;

  g_signal_connect (silent, "incoming", G_CALLBACK (silent_incoming_cb), held);
  g_socket_service_start (silent);
  finished_init (&f);
  g_object_set (worker, "claim-interval", 1, "plan", FALSE, NULL);
  g_signal_connect (worker, "job-finished", G_CALLBACK (job_finished_cb), &f);
  lers_poll_worker_start (worker);
  jobs = lers_poll_queue_enqueue_sync (queue, &point_id, 1, &kind, 1, NULL, NULL,
                                       LERS_POLL_PRIORITY_MANUAL, "test", NULL, &error);
  lers_check_assert_no_error (error);
  job_id = lers_poll_job_get_id (g_ptr_array_index (jobs, 0));
  /* claimed and the meter's line open */
  for (guint i = 0; i < WAIT_S * 10 && held->len == 0; i++)
    spin (100);
  ck_assert_uint_eq (held->len, 1);
  ck_assert_int_eq (sql_int ("SELECT state FROM poll_jobs WHERE id = %" G_GINT64_FORMAT, job_id),
                    LERS_POLL_JOB_STATE_RUNNING);

  while (!lers_poll_worker_is_listening (worker))
    spin (50);
  ck_assert (lers_poll_queue_cancel_job_sync (queue, job_id, NULL, &error));
  lers_check_assert_no_error (error);
  wait_finished (&f, 1);
  ck_assert_int_eq (lers_poll_job_get_state (last_finished (&f)), LERS_POLL_JOB_STATE_CANCELLED);
  wait_idle (worker);
  ck_assert_int_eq (sql_int ("SELECT state FROM poll_jobs WHERE id = %" G_GINT64_FORMAT, job_id),
                    LERS_POLL_JOB_STATE_CANCELLED);
  ck_assert_int_eq (
      sql_int ("SELECT count(*) FROM poll_links WHERE connection_id = %" G_GINT64_FORMAT
               " AND lease_owner IS NULL",
               connection_id),
      1);
  lers_poll_worker_stop (worker);
  g_socket_service_stop (silent);
  g_socket_listener_close (G_SOCKET_LISTENER (silent));
  finished_clear (&f);
}
END_TEST

/* A link another service took over while this one still reads it (its
 * attempt ran too long, say): the next heartbeat says so, the read stops
 * at once (not after the meter's 60 s timeout), and the job stays the
 * other service's, running, not cancelled. */
START_TEST (test_lost_link_stops_reads)
{
  g_autoptr (GSocketService) silent = g_socket_service_new ();
  g_autoptr (GPtrArray) held = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr (LersPollWorker) worker = new_worker ("poller-a", TRUE, NULL);
  g_autoptr (LersPollQueue) queue = lers_poll_queue_new (lers_check_get_store ());
  g_autoptr (LersPollService) other = NULL;
  g_autoptr (GPtrArray) jobs = NULL;
  g_autoptr (GError) error = NULL;
  LersArchiveKind kind = LERS_ARCHIVE_KIND_HOUR;
  guint16 port = g_socket_listener_add_any_inet_port (G_SOCKET_LISTENER (silent), NULL, NULL);
  gint64 connection_id = save_connection (port, 60);
  gint64 point_id = save_point (connection_id, "30000098", 0);
  gint64 job_id, other_id;
  gint64 started;

  g_signal_connect (silent, "incoming", G_CALLBACK (silent_incoming_cb), held);
  g_socket_service_start (silent);
  /* a heartbeat every second */
  g_object_set (worker, "claim-interval", 1, "plan", FALSE, "lease-seconds", 3, NULL);
  capture_start ();
  lers_poll_worker_start (worker);
  jobs = lers_poll_queue_enqueue_sync (queue, &point_id, 1, &kind, 1, NULL, NULL,
                                       LERS_POLL_PRIORITY_MANUAL, "test", NULL, &error);
  lers_check_assert_no_error (error);
  job_id = lers_poll_job_get_id (g_ptr_array_index (jobs, 0));
  for (guint i = 0; i < WAIT_S * 10 && held->len == 0; i++)
    spin (100);
  ck_assert_uint_eq (held->len, 1);
  ck_assert_uint_eq (lers_poll_worker_get_n_links (worker), 1);

  /* poller-b takes the link and the job over (its second attempt) */
  other = lers_poll_queue_register_service_sync (queue, "poller-b", "token of poller-b", "host",
                                                 "0.4.0", 4, TRUE, NULL, &error);
  lers_check_assert_no_error (error);
  other_id = lers_poll_service_get_id (other);
  started = g_get_monotonic_time ();
  {
    g_autofree gchar *sql = g_strdup_printf ("UPDATE poll_links SET lease_owner = %" G_GINT64_FORMAT
                                             ", lease_until = now() + interval '1 hour';"
                                             "UPDATE poll_jobs SET service_id = %" G_GINT64_FORMAT
                                             ", attempts = attempts + 1",
                                             other_id, other_id);
    lers_check_sql_exec (sql);
  }
  for (guint i = 0; i < 100 && lers_poll_worker_get_n_links (worker) > 0; i++)
    spin (100);
  ck_assert_uint_eq (lers_poll_worker_get_n_links (worker), 0);
  ck_assert_msg (g_get_monotonic_time () - started < 5 * G_USEC_PER_SEC, "stopped after %.1f s",
                 (g_get_monotonic_time () - started) / 1e6);
  wait_idle (worker);
  ck_assert_uint_eq (
      count_captured ("M: Polling service “poller-a” lost link * to another service*"), 1);
  ck_assert_int_eq (
      sql_int ("SELECT state * 1000 + attempts FROM poll_jobs WHERE id = %" G_GINT64_FORMAT
               " AND service_id = %" G_GINT64_FORMAT,
               job_id, other_id),
      1002);
  ck_assert_int_eq (
      sql_int ("SELECT lease_owner FROM poll_links WHERE connection_id = %" G_GINT64_FORMAT,
               connection_id),
      other_id);
  lers_poll_worker_stop (worker);
  g_socket_service_stop (silent);
  g_socket_listener_close (G_SOCKET_LISTENER (silent));
  g_clear_object (&worker);
  capture_stop ();
}
END_TEST

/* Two services in one process share 20 links: every job is read exactly
 * once, no two sessions on one link overlap, and neither service holds
 * more links than its max-links. */
START_TEST (test_two_services_share_links)
{
  Link *links = add_links (20, 3600);
  g_autoptr (LersPollWorker) a = new_worker ("poller-a", TRUE, NULL);
  g_autoptr (LersPollWorker) b = new_worker ("poller-b", TRUE, NULL);
  Finished f = { 0 };
  gint64 planned;

  finished_init (&f);
  g_object_set (a, "claim-interval", 1, "max-links", 3, NULL);
  g_object_set (b, "claim-interval", 1, "max-links", 3, "plan", FALSE, NULL);
  g_signal_connect (a, "job-finished", G_CALLBACK (job_finished_cb), &f);
  g_signal_connect (b, "job-finished", G_CALLBACK (job_finished_cb), &f);
  lers_poll_worker_start (a);
  lers_poll_worker_start (b);
  /* hour, day and month of 20 points */
  wait_finished (&f, 60);
  wait_idle (a);
  wait_idle (b);
  spin (1500);
  planned = lers_check_sql_int ("SELECT count(*) FROM poll_jobs");
  ck_assert_int_eq (planned, 60);
  ck_assert_uint_eq (f.jobs->len, 60);
  ck_assert_int_eq (lers_check_sql_int ("SELECT count(*) FROM poll_jobs WHERE state = 2"
                                        " AND attempts = 1"),
                    60);
  /* every link held once: one session each, none overlapping another on
   * the same link */
  ck_assert_int_eq (lers_check_sql_int ("SELECT count(*) FROM link_sessions"), 20);
  ck_assert_int_eq (lers_check_sql_int ("SELECT count(DISTINCT connection_id) FROM link_sessions"),
                    20);
  ck_assert_int_eq (lers_check_sql_int ("SELECT count(*) FROM link_sessions x JOIN link_sessions y"
                                        " ON x.connection_id = y.connection_id AND x.id < y.id"
                                        " AND x.started_at < y.ended_at"
                                        " AND y.started_at < x.ended_at"),
                    0);
  /* at no session's start did its service have more than 3 sessions open */
  ck_assert_int_le (lers_check_sql_int ("SELECT coalesce(max(n), 0) FROM (SELECT count(*) AS n"
                                        " FROM link_sessions x JOIN link_sessions y"
                                        " ON x.service_id = y.service_id"
                                        " AND y.started_at <= x.started_at"
                                        " AND y.ended_at > x.started_at GROUP BY x.id) c"),
                    3);
  ck_assert_uint_le (f.peak_links, 3);
  for (guint i = 0; i < 20; i++)
    ck_assert_int_eq (sql_int ("SELECT count(*) FROM archive WHERE point_id = %" G_GINT64_FORMAT
                               " AND kind = 1",
                               links[i].point_id),
                      168);
  lers_poll_worker_stop (a);
  lers_poll_worker_stop (b);
  finished_clear (&f);
  free_links (links, 20);
}
END_TEST

/* A service nobody authorised registers, says so once, reads nothing;
 * once authorised it reads. */
START_TEST (test_unauthorised_reads_nothing)
{
  Link *links = add_links (1, 0);
  g_autoptr (LersClock) clock = lers_clock_new_manual ();
  g_autoptr (LersPollWorker) worker = NULL;
  g_autoptr (LersPollQueue) queue = lers_poll_queue_new (lers_check_get_store ());
  g_autoptr (GPtrArray) jobs = NULL;
  g_autoptr (GError) error = NULL;
  LersArchiveKind kind = LERS_ARCHIVE_KIND_HOUR;
  Finished f = { 0 };
  gint64 job_id;

  capture_start ();
  worker = new_worker ("poller-x", FALSE, clock);
  finished_init (&f);
  g_object_set (worker, "plan", FALSE, NULL);
  g_signal_connect (worker, "job-finished", G_CALLBACK (job_finished_cb), &f);
  lers_poll_worker_start (worker);
  wait_state (worker, "pending");
  ck_assert_int_eq (lers_check_sql_int ("SELECT count(*) FROM poll_services"
                                        " WHERE name = 'poller-x' AND NOT authorised"),
                    1);
  jobs = lers_poll_queue_enqueue_sync (queue, &links[0].point_id, 1, &kind, 1, NULL, NULL,
                                       LERS_POLL_PRIORITY_MANUAL, "test", NULL, &error);
  lers_check_assert_no_error (error);
  job_id = lers_poll_job_get_id (g_ptr_array_index (jobs, 0));

  /* it looks again every 10 s: still not authorised, still one message */
  lers_clock_advance (clock, 10 * 1000);
  spin (500);
  lers_clock_advance (clock, 10 * 1000);
  spin (500);
  ck_assert_str_eq (lers_poll_worker_get_state (worker), "pending");
  ck_assert_int_eq (sql_int ("SELECT state FROM poll_jobs WHERE id = %" G_GINT64_FORMAT, job_id),
                    LERS_POLL_JOB_STATE_QUEUED);
  ck_assert_uint_eq (
      count_captured ("M: Polling service “poller-x” waits to be authorised: run lers poll "
                      "authorise poller-x"),
      1);
  ck_assert_uint_eq (f.jobs->len, 0);

  ck_assert (lers_poll_queue_authorise_service_sync (queue, "poller-x", TRUE, NULL, &error));
  lers_check_assert_no_error (error);
  lers_clock_advance (clock, 10 * 1000);
  wait_state (worker, "running");
  wait_finished (&f, 1);
  ck_assert_int_eq (lers_poll_job_get_state (last_finished (&f)), LERS_POLL_JOB_STATE_DONE);
  lers_poll_worker_stop (worker);
  finished_clear (&f);
  free_links (links, 1);
  g_clear_object (&worker);
  capture_stop ();
}
END_TEST

static gint64
enqueue_one (LersPollQueue *queue, gint64 point_id)
{
  g_autoptr (GDateTime) to = lers_check_this_hour ();
  g_autoptr (GDateTime) from = g_date_time_add_hours (to, -2);
  g_autoptr (GPtrArray) jobs = NULL;
  g_autoptr (GError) error = NULL;
  LersArchiveKind kind = LERS_ARCHIVE_KIND_HOUR;

  jobs = lers_poll_queue_enqueue_sync (queue, &point_id, 1, &kind, 1, from, to,
                                       LERS_POLL_PRIORITY_MANUAL, "test", NULL, &error);
  lers_check_assert_no_error (error);
  return lers_poll_job_get_id (g_ptr_array_index (jobs, 0));
}

/* The operator's log: one warning for a failed read with point, link and
 * cause; the same point failing again within the hour is not logged; an
 * hour on, one line with the count since the first failure; a message
 * when it reads again; a summary every 10 minutes. */
START_TEST (test_rate_limited_log)
{
  g_autoptr (GSocketListener) closed = g_socket_listener_new ();
  g_autoptr (LersClock) clock = lers_clock_new_manual ();
  g_autoptr (LersPollWorker) worker = NULL;
  g_autoptr (LersPollQueue) queue = lers_poll_queue_new (lers_check_get_store ());
  g_autoptr (LersConnection) connection = NULL;
  g_autoptr (GError) error = NULL;
  g_autofree gchar *failed = NULL;
  g_autofree gchar *again = NULL;
  g_autofree gchar *first = NULL;
  guint16 dead_port = g_socket_listener_add_any_inet_port (closed, NULL, NULL);
  LersCheckSim sim;
  gint64 connection_id, point_id;
  Finished f = { 0 };

  g_socket_listener_close (closed);
  connection_id = save_connection (dead_port, 2);
  point_id = save_point (connection_id, "30000042", 0);
  capture_start ();
  worker = new_worker ("poller-log", TRUE, clock);
  finished_init (&f);
  g_object_set (worker, "plan", FALSE, NULL);
  g_signal_connect (worker, "job-finished", G_CALLBACK (job_finished_cb), &f);
  lers_poll_worker_start (worker);
  wait_state (worker, "running");
  while (!lers_poll_worker_is_listening (worker))
    spin (50);

  /* first failure: one warning naming the link, the point and the cause */
  enqueue_one (queue, point_id);
  wait_finished (&f, 1);
  ck_assert_int_eq (lers_poll_job_get_state (last_finished (&f)), LERS_POLL_JOB_STATE_QUEUED);
  first = g_strdup_printf ("W: Link %" G_GINT64_FORMAT ": *Point %" G_GINT64_FORMAT "*",
                           connection_id, point_id);
  ck_assert_uint_eq (count_captured (first), 1);
  ck_assert_uint_eq (count_captured ("W: *"), 1);

  /* again within the hour: nothing more */
  enqueue_one (queue, point_id);
  wait_finished (&f, 2);
  wait_idle (worker);
  ck_assert_uint_eq (count_captured ("W: *"), 1);

  /* ten minutes on: the summary (2 failed reads, the link blocked twice) */
  lers_clock_advance (clock, 600 * 1000);
  spin (300);
  ck_assert_uint_eq (
      count_captured ("M: Read 0 jobs, 2 failed, 2 links blocked in the last 10 minutes"), 1);

  /* an hour after the first: one line with the count since then */
  lers_clock_advance (clock, 3000 * 1000);
  spin (300);
  enqueue_one (queue, point_id);
  wait_finished (&f, 3);
  failed = g_strdup_printf ("W: Link %" G_GINT64_FORMAT ": *Point %" G_GINT64_FORMAT
                            "* (failed 3 times since ?\?:?\?)",
                            connection_id, point_id);
  if (count_captured (failed) != 1)
    dump_captured ();
  ck_assert_uint_eq (count_captured (failed), 1);
  ck_assert_uint_eq (count_captured ("W: *"), 2);

  /* the meter is back: one message */
  lers_check_sim_start (&sim, lers_check_get_engine (), "mbus", "30000042", 7, 42);
  connection
      = lers_store_get_connection_sync (lers_check_get_store (), connection_id, NULL, &error);
  lers_check_assert_no_error (error);
  g_object_set (connection, "port", sim.port, NULL);
  ck_assert (lers_store_save_connection_sync (lers_check_get_store (), connection, NULL, &error));
  enqueue_one (queue, point_id);
  for (guint i = 0; i < WAIT_S * 10; i++)
    {
      LersPollJob *job = f.jobs->len > 3 ? last_finished (&f) : NULL;

      if (job != NULL && lers_poll_job_get_state (job) == LERS_POLL_JOB_STATE_DONE)
        break;
      spin (100);
    }
  ck_assert_int_eq (lers_poll_job_get_state (last_finished (&f)), LERS_POLL_JOB_STATE_DONE);
  again = g_strdup_printf ("M: Point %" G_GINT64_FORMAT " reads again", point_id);
  ck_assert_uint_eq (count_captured (again), 1);
  ck_assert_uint_eq (count_captured ("W: *"), 2);

  lers_poll_worker_stop (worker);
  lers_check_sim_stop (&sim);
  finished_clear (&f);
  g_clear_object (&worker);
  capture_stop ();
}
END_TEST

/* the database goes away just as the poller reaches the meter, before it
 * writes a row */
static void
stop_database (gpointer user_data)
{
  lers_check_cluster_ctl ("stop");
}

static guint
count_spool_files (const gchar *dir)
{
  g_autoptr (GDir) d = g_dir_open (dir, 0, NULL);
  const gchar *name;
  guint n = 0;

  while (d != NULL && (name = g_dir_read_name (d)) != NULL)
    n += g_str_has_suffix (name, ".json");
  return n;
}

/* The database goes away in the middle of a read: the service goes on,
 * keeps the rows in its spool and the result in memory, says so once;
 * when the database is back (tried 5 s later) everything is written and
 * the job ends done. */
START_TEST (test_database_away)
{
  g_autoptr (LersClock) clock = lers_clock_new_manual ();
  g_autoptr (LersPollWorker) worker = new_worker ("poller-off", TRUE, clock);
  g_autoptr (LersPollQueue) queue = lers_poll_queue_new (lers_check_get_store ());
  g_autofree gchar *spool = NULL;
  g_autofree gchar *back = NULL;
  LersCheckProxy proxy = { .on_first_request = stop_database };
  Finished f = { 0 };
  gint64 point_id, job_id;

  capture_start ();
  g_object_get (worker, "spool-dir", &spool, NULL);
  lers_check_proxy_start (&proxy, lers_check_get_sim_port ());
  point_id = lers_check_add_sim_point (proxy.port, "7", 5, 0, 0);
  finished_init (&f);
  g_object_set (worker, "plan", FALSE, NULL);
  g_signal_connect (worker, "job-finished", G_CALLBACK (job_finished_cb), &f);
  lers_poll_worker_start (worker);
  wait_state (worker, "running");
  while (!lers_poll_worker_is_listening (worker))
    spin (50);

  /* two hours: [this hour − 2 h, this hour) */
  job_id = enqueue_one (queue, point_id);
  wait_state (worker, "offline");
  ck_assert (proxy.first_seen);
  for (guint i = 0; i < WAIT_S * 10 && lers_poll_worker_get_n_links (worker) > 0; i++)
    spin (100);
  ck_assert_uint_eq (lers_poll_worker_get_n_links (worker), 0);
  /* the rows on disk; the result, the session and the link given back in
   * memory */
  ck_assert_uint_ge (count_spool_files (spool), 1);
  ck_assert_uint_eq (lers_poll_worker_get_n_unreported (worker), 3);
  ck_assert_uint_eq (f.jobs->len, 0);
  ck_assert_uint_eq (count_captured ("W: Polling service “poller-off” cannot reach the database *"),
                     1);

  /* back: the next try (5 s on, then backing off to 30 s while the
   * server still starts) writes it all */
  lers_check_cluster_ctl ("start");
  for (guint i = 0; i < 20 && !g_str_equal (lers_poll_worker_get_state (worker), "running"); i++)
    {
      lers_clock_advance (clock, (i == 0 ? 5 : 30) * 1000);
      spin (500);
    }
  wait_state (worker, "running");
  wait_finished (&f, 1);
  ck_assert_int_eq (lers_poll_job_get_id (last_finished (&f)), job_id);
  ck_assert_int_eq (lers_poll_job_get_state (last_finished (&f)), LERS_POLL_JOB_STATE_DONE);
  ck_assert_int_eq (lers_poll_job_get_records (last_finished (&f)), 2);
  ck_assert_int_eq (
      sql_int ("SELECT count(*) FROM archive WHERE point_id = %" G_GINT64_FORMAT, point_id), 2);
  ck_assert_int_eq (lers_check_sql_int ("SELECT count(*) FROM link_sessions"), 1);
  ck_assert_int_eq (
      lers_check_sql_int ("SELECT count(*) FROM poll_links WHERE lease_owner IS NULL"), 1);
  ck_assert_uint_eq (count_spool_files (spool), 0);
  ck_assert_uint_eq (lers_poll_worker_get_n_unreported (worker), 0);
  back = g_strdup ("M: Polling service “poller-off” reaches the database again: wrote 2 records "
                   "from the spool, 1 job results and 1 link sessions");
  if (count_captured (back) != 1)
    dump_captured ();
  ck_assert_uint_eq (count_captured (back), 1);
  ck_assert_uint_eq (count_captured ("W: Polling service “poller-off” cannot reach the database *"),
                     1);

  lers_poll_worker_stop (worker);
  lers_check_proxy_stop (&proxy);
  finished_clear (&f);
  g_clear_object (&worker);
  capture_stop ();
}
END_TEST

/* A service killed while it held a link (its lease has ten minutes to
 * run) and started again under the same name and token simply goes on:
 * it takes back what its former self held and reads it now. */
START_TEST (test_restart_goes_on)
{
  Link *links = add_links (1, 0);
  g_autoptr (LersPollQueue) queue = lers_poll_queue_new (lers_check_get_store ());
  g_autoptr (LersPollService) service = NULL;
  g_autoptr (LersPollWorker) worker = NULL;
  g_autoptr (GPtrArray) claimed = NULL;
  g_autoptr (GError) error = NULL;
  Finished f = { 0 };
  gint64 job_id, started;

  /* the former self: registered, authorised, holding the link */
  service = lers_poll_queue_register_service_sync (queue, "poller-r", "token of poller-r", "host",
                                                   "0.4.0", 4, TRUE, NULL, &error);
  lers_check_assert_no_error (error);
  job_id = enqueue_one (queue, links[0].point_id);
  claimed = lers_poll_queue_claim_sync (queue, lers_poll_service_get_id (service),
                                        "token of poller-r", 4, 600, NULL, &error);
  lers_check_assert_no_error (error);
  ck_assert_uint_eq (claimed->len, 1);

  /* started again */
  started = g_get_monotonic_time ();
  worker = new_worker ("poller-r", FALSE, NULL);
  finished_init (&f);
  g_object_set (worker, "plan", FALSE, NULL);
  g_signal_connect (worker, "job-finished", G_CALLBACK (job_finished_cb), &f);
  lers_poll_worker_start (worker);
  wait_finished (&f, 1);
  ck_assert_int_eq (lers_poll_worker_get_service_id (worker), lers_poll_service_get_id (service));
  ck_assert_int_eq (lers_poll_job_get_id (last_finished (&f)), job_id);
  ck_assert_int_eq (lers_poll_job_get_state (last_finished (&f)), LERS_POLL_JOB_STATE_DONE);
  ck_assert_int_eq (lers_poll_job_get_records (last_finished (&f)), 2);
  ck_assert_ptr_nonnull (strstr (lers_poll_job_get_log (last_finished (&f)),
                                 "Taken over from polling service poller-r"));
  /* long before the old lease ran out */
  ck_assert_int_lt (g_get_monotonic_time () - started, 30 * G_USEC_PER_SEC);
  lers_poll_worker_stop (worker);
  finished_clear (&f);
  free_links (links, 1);
}
END_TEST

int
main (int argc, char **argv)
{
  Suite *s = suite_create ("poll-worker");
  TCase *tc = tcase_create ("poll-worker");

  lers_check_init (&argc, &argv);
  tcase_set_timeout (tc, 240);
  tcase_add_unchecked_fixture (tc, lers_check_cluster_setup, lers_check_cluster_teardown);
  tcase_add_checked_fixture (tc, lers_check_sim_setup, lers_check_sim_teardown);
  tcase_add_test (tc, test_routine_jobs_read_once);
  tcase_add_test (tc, test_manual_read_at_once);
  tcase_add_test (tc, test_cancel_running_job);
  tcase_add_test (tc, test_lost_link_stops_reads);
  tcase_add_test (tc, test_two_services_share_links);
  tcase_add_test (tc, test_unauthorised_reads_nothing);
  tcase_add_test (tc, test_rate_limited_log);
  tcase_add_test (tc, test_database_away);
  tcase_add_test (tc, test_restart_goes_on);
  suite_add_tcase (s, tc);
  return lers_check_run_suite (s);
}
