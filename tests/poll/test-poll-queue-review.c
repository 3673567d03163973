/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The poll job queue's answers to review: a service's own lease that ran
 * out while it reads, links it holds without knowing, cancels that must not
 * be lost, finishes tied to an attempt, take-overs that fail a job, and
 * attempts that run too long. Rows are checked through a connection of the
 * test's own; expected values are worked out by hand in the comments. */
#include "config.h"

#include <check.h>
#include <lers.h>

#include "lers-check.h"

#define TOKEN_A "token-of-service-a"
#define TOKEN_B "token-of-service-b"

/* @n links (connections 1…n), each with a device and one measure point of
 * the same id. */
static void
make_links (guint n)
{
  g_autofree gchar *sql
      = g_strdup_printf ("INSERT INTO connections (id, kind, host, port)"
                         " SELECT g, 0, '127.0.0.1', 10000 + g FROM generate_series(1, %u) g;"
                         "INSERT INTO devices (id, protocol, connection_id)"
                         " SELECT g, 'mbus', g FROM generate_series(1, %u) g;"
                         "INSERT INTO measure_points (id, title, device_id)"
                         " SELECT g, 'Точка ' || g, g FROM generate_series(1, %u) g;",
                         n, n, n);
  lers_check_sql_exec (sql);
}

static void
assert_sql_str (const gchar *sql, const gchar *expected)
{
  g_autofree gchar *value = lers_check_sql_value (sql);

  ck_assert_msg (g_strcmp0 (value, expected) == 0, "%s: \"%s\", expected \"%s\"", sql,
                 value != NULL ? value : "(null)", expected);
}

static LersPollService *
register_service (LersPollQueue *queue, const gchar *name, const gchar *token)
{
  g_autoptr (GError) error = NULL;
  LersPollService *service = lers_poll_queue_register_service_sync (queue, name, token, "host",
                                                                    "0.4.0", 8, TRUE, NULL, &error);

  lers_check_assert_no_error (error);
  ck_assert_ptr_nonnull (service);
  return service;
}

static gint64
enqueue (LersPollQueue *queue, gint64 point_id, LersArchiveKind kind)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (GPtrArray) jobs = lers_poll_queue_enqueue_sync (
      queue, &point_id, 1, &kind, 1, NULL, NULL, LERS_POLL_PRIORITY_MANUAL, "test", NULL, &error);

  lers_check_assert_no_error (error);
  ck_assert_uint_eq (jobs->len, 1);
  return lers_poll_job_get_id (g_ptr_array_index (jobs, 0));
}

static GPtrArray *
claim (LersPollQueue *queue, gint64 service_id, const gchar *token, guint lease)
{
  g_autoptr (GError) error = NULL;
  GPtrArray *jobs = lers_poll_queue_claim_sync (queue, service_id, token, 8, lease, NULL, &error);

  lers_check_assert_no_error (error);
  ck_assert_ptr_nonnull (jobs);
  return jobs;
}

/* The heartbeat of @service_id holding @held; returns the links lost as
 * "a,b" ("" for none) */
static gchar *
heartbeat (LersPollQueue *queue, gint64 service_id, const gchar *token, const gint64 *held,
           guint n_held)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (GArray) lost
      = lers_poll_queue_heartbeat_sync (queue, service_id, token, 60, held, n_held, NULL, &error);
  GString *text = g_string_new (NULL);

  lers_check_assert_no_error (error);
  ck_assert_ptr_nonnull (lost);
  for (guint i = 0; i < lost->len; i++)
    g_string_append_printf (text, "%s%" G_GINT64_FORMAT, i > 0 ? "," : "",
                            g_array_index (lost, gint64, i));
  return g_string_free (text, FALSE);
}

/* H1: A's lease ran out while it still reads link 1 (a long read, a late
 * heartbeat). A's own next claim must not take over its own running job,
 * and A's heartbeat extends the lease, so B cannot take the link. */
START_TEST (test_own_lease_run_out)
{
  g_autoptr (LersPollQueue) queue = lers_poll_queue_new (lers_check_get_store ());
  g_autoptr (LersPollService) a = register_service (queue, "poller-a", TOKEN_A);
  g_autoptr (LersPollService) b = register_service (queue, "poller-b", TOKEN_B);
  gint64 id_a = lers_poll_service_get_id (a);
  gint64 id_b = lers_poll_service_get_id (b);
  g_autoptr (GPtrArray) mine = NULL;
  g_autoptr (GPtrArray) again = NULL;
  g_autoptr (GPtrArray) theirs = NULL;
  g_autofree gchar *lost = NULL;
  const gint64 link = 1;

  make_links (1);
  enqueue (queue, 1, LERS_ARCHIVE_KIND_HOUR);
  mine = claim (queue, id_a, TOKEN_A, 60);
  ck_assert_uint_eq (mine->len, 1);
  lers_check_sql_exec ("UPDATE poll_links SET lease_until = now() - interval '1 second'");

  again = claim (queue, id_a, TOKEN_A, 60);
  ck_assert_uint_eq (again->len, 0);
  /* still A's first attempt, no "taken over" line */
  assert_sql_str ("SELECT state || ' ' || attempts || ' ' || log FROM poll_jobs", "1 1 ");

  lost = heartbeat (queue, id_a, TOKEN_A, &link, 1);
  ck_assert_str_eq (lost, "");
  /* the lease runs 60 s from now again */
  ck_assert_int_eq (lers_check_sql_int ("SELECT round(extract(epoch FROM lease_until - now()))"
                                        " FROM poll_links"),
                    60);
  theirs = claim (queue, id_b, TOKEN_B, 60);
  ck_assert_uint_eq (theirs->len, 0);
  ck_assert_int_eq (lers_check_sql_int ("SELECT lease_owner FROM poll_links"), id_a);
}
END_TEST

/* H2: A's claim of links 1 and 2 committed, but A only knows of link 1
 * (the reply was lost). Its heartbeat frees link 2 for B at once, and,
 * once B has it, tells A it lost link 2 when A lists it. */
START_TEST (test_heartbeat_frees_unknown_links)
{
  g_autoptr (LersPollQueue) queue = lers_poll_queue_new (lers_check_get_store ());
  g_autoptr (LersPollService) a = register_service (queue, "poller-a", TOKEN_A);
  g_autoptr (LersPollService) b = register_service (queue, "poller-b", TOKEN_B);
  gint64 id_a = lers_poll_service_get_id (a);
  gint64 id_b = lers_poll_service_get_id (b);
  g_autoptr (GPtrArray) mine = NULL;
  g_autoptr (GPtrArray) theirs = NULL;
  g_autofree gchar *lost = NULL;
  g_autofree gchar *lost2 = NULL;
  const gint64 one = 1;
  const gint64 both[] = { 1, 2 };
  gint64 job2;

  make_links (2);
  enqueue (queue, 1, LERS_ARCHIVE_KIND_HOUR);
  job2 = enqueue (queue, 2, LERS_ARCHIVE_KIND_HOUR);
  mine = claim (queue, id_a, TOKEN_A, 60);
  ck_assert_uint_eq (mine->len, 2);

  lost = heartbeat (queue, id_a, TOKEN_A, &one, 1);
  ck_assert_str_eq (lost, "");
  {
    g_autofree gchar *expected = g_strdup_printf ("1:%" G_GINT64_FORMAT ",2:-", id_a);

    assert_sql_str ("SELECT string_agg(connection_id || ':' || coalesce(lease_owner::text, '-'),"
                    " ',' ORDER BY connection_id) FROM poll_links",
                    expected);
  }

  /* B takes link 2 and its job (taken over: second attempt) */
  theirs = claim (queue, id_b, TOKEN_B, 60);
  ck_assert_uint_eq (theirs->len, 1);
  ck_assert_int_eq (lers_poll_job_get_id (g_ptr_array_index (theirs, 0)), job2);
  ck_assert_int_eq (lers_poll_job_get_attempts (g_ptr_array_index (theirs, 0)), 2);

  lost2 = heartbeat (queue, id_a, TOKEN_A, both, 2);
  ck_assert_str_eq (lost2, "2");
  /* B keeps link 2 */
  ck_assert_int_eq (lers_check_sql_int ("SELECT lease_owner FROM poll_links WHERE"
                                        " connection_id = 2"),
                    id_b);
}
END_TEST

/* M1: a cancel asked for while the job runs wins over a retryable failure,
 * and over a take-over after the service died. */
START_TEST (test_cancel_not_lost)
{
  g_autoptr (LersPollQueue) queue = lers_poll_queue_new (lers_check_get_store ());
  g_autoptr (LersPollService) a = register_service (queue, "poller-a", TOKEN_A);
  g_autoptr (LersPollService) b = register_service (queue, "poller-b", TOKEN_B);
  gint64 id_a = lers_poll_service_get_id (a);
  gint64 id_b = lers_poll_service_get_id (b);
  g_autoptr (GPtrArray) mine = NULL;
  g_autoptr (GPtrArray) theirs = NULL;
  g_autoptr (GError) error = NULL;
  g_autoptr (GError) timeout
      = g_error_new_literal (LERS_ERROR, LERS_ERROR_TIMED_OUT, "The meter did not answer in 5 s");
  gint64 job;

  make_links (1);
  job = enqueue (queue, 1, LERS_ARCHIVE_KIND_HOUR);
  mine = claim (queue, id_a, TOKEN_A, 60);
  ck_assert_uint_eq (mine->len, 1);
  ck_assert (lers_poll_queue_cancel_job_sync (queue, job, NULL, &error));
  lers_check_assert_no_error (error);
  /* a timeout on the first of 5 attempts would queue it again */
  ck_assert_int_eq (
      lers_poll_queue_finish_job_sync (queue, id_a, job, 1, 0, timeout, NULL, NULL, &error),
      LERS_POLL_JOB_STATE_CANCELLED);
  lers_check_assert_no_error (error);
  assert_sql_str ("SELECT state || ' ' || (finished_at IS NOT NULL) FROM poll_jobs", "4 true");
  ck_assert (lers_poll_queue_release_link_sync (queue, id_a, 1, NULL, NULL, &error));

  /* the second job: cancel asked, then A dies (its lease runs out) */
  g_clear_pointer (&mine, g_ptr_array_unref);
  job = enqueue (queue, 1, LERS_ARCHIVE_KIND_DAY);
  mine = claim (queue, id_a, TOKEN_A, 60);
  ck_assert_uint_eq (mine->len, 1);
  ck_assert (lers_poll_queue_cancel_job_sync (queue, job, NULL, &error));
  lers_check_assert_no_error (error);
  lers_check_sql_exec ("UPDATE poll_links SET lease_until = now() - interval '1 second'");
  theirs = claim (queue, id_b, TOKEN_B, 60);
  /* B reads nothing: the job is cancelled, not started again */
  ck_assert_uint_eq (theirs->len, 0);
  {
    g_autofree gchar *sql = g_strdup_printf (
        "SELECT state || ' ' || attempts || ' ' || (finished_at IS NOT NULL)"
        " || ' ' || cancel_requested FROM poll_jobs WHERE id = %" G_GINT64_FORMAT,
        job);
    assert_sql_str (sql, "4 1 true false");
  }
}
END_TEST

/* M2: a finish or progress of an earlier attempt, or of another service,
 * is refused; the current attempt's is accepted. */
START_TEST (test_finish_tied_to_attempt)
{
  g_autoptr (LersPollQueue) queue = lers_poll_queue_new (lers_check_get_store ());
  g_autoptr (LersPollService) a = register_service (queue, "poller-a", TOKEN_A);
  g_autoptr (LersPollService) b = register_service (queue, "poller-b", TOKEN_B);
  gint64 id_a = lers_poll_service_get_id (a);
  gint64 id_b = lers_poll_service_get_id (b);
  g_autoptr (GPtrArray) first = NULL;
  g_autoptr (GPtrArray) second = NULL;
  g_autoptr (GError) error = NULL;
  g_autoptr (GError) timeout
      = g_error_new_literal (LERS_ERROR, LERS_ERROR_TIMED_OUT, "The meter did not answer in 5 s");
  gint64 job;

  make_links (1);
  job = enqueue (queue, 1, LERS_ARCHIVE_KIND_HOUR);
  first = claim (queue, id_a, TOKEN_A, 60);
  ck_assert_int_eq (lers_poll_job_get_attempts (g_ptr_array_index (first, 0)), 1);
  ck_assert_int_eq (
      lers_poll_queue_finish_job_sync (queue, id_a, job, 1, 0, timeout, NULL, NULL, &error),
      LERS_POLL_JOB_STATE_QUEUED);
  ck_assert (lers_poll_queue_release_link_sync (queue, id_a, 1, NULL, NULL, &error));
  lers_check_sql_exec ("UPDATE poll_jobs SET due_at = now()");
  second = claim (queue, id_a, TOKEN_A, 60);
  ck_assert_uint_eq (second->len, 1);
  ck_assert_int_eq (lers_poll_job_get_attempts (g_ptr_array_index (second, 0)), 2);

  /* attempt 1's late answers */
  ck_assert (!lers_poll_queue_set_progress_sync (queue, id_a, job, 1, 0.5, "late", NULL, &error));
  lers_check_assert_error (error, LERS_ERROR, LERS_ERROR_NOT_FOUND);
  g_clear_error (&error);
  ck_assert_int_eq (
      lers_poll_queue_finish_job_sync (queue, id_a, job, 1, 24, NULL, NULL, NULL, &error),
      LERS_POLL_JOB_STATE_RUNNING);
  lers_check_assert_error (error, LERS_ERROR, LERS_ERROR_NOT_FOUND);
  ck_assert_ptr_nonnull (strstr (error->message, "taken over"));
  g_clear_error (&error);
  ck_assert (!lers_poll_queue_complete_job_sync (queue, id_a, job, 1, 24, NULL, NULL, &error));
  lers_check_assert_error (error, LERS_ERROR, LERS_ERROR_NOT_FOUND);
  g_clear_error (&error);
  /* another service's progress */
  ck_assert (
      !lers_poll_queue_set_progress_sync (queue, id_b, job, 2, 0.5, "not mine", NULL, &error));
  lers_check_assert_error (error, LERS_ERROR, LERS_ERROR_NOT_FOUND);
  g_clear_error (&error);
  assert_sql_str ("SELECT state || ' ' || progress || ' ' || coalesce(message, '-')"
                  " FROM poll_jobs",
                  "1 0 -");

  /* attempt 2's own */
  ck_assert (lers_poll_queue_set_progress_sync (queue, id_a, job, 2, 0.5, "Чтение", NULL, &error));
  lers_check_assert_no_error (error);
  ck_assert (lers_poll_queue_complete_job_sync (queue, id_a, job, 2, 24, NULL, NULL, &error));
  lers_check_assert_no_error (error);
  assert_sql_str ("SELECT state || ' ' || records FROM poll_jobs", "2 24");
}
END_TEST

/* L4: a take-over of a job out of attempts fails it and counts it on the
 * service that had it, error code "connection". */
START_TEST (test_takeover_counts_failed)
{
  g_autoptr (LersPollQueue) queue = lers_poll_queue_new (lers_check_get_store ());
  g_autoptr (LersPollService) a = register_service (queue, "poller-a", TOKEN_A);
  g_autoptr (LersPollService) b = register_service (queue, "poller-b", TOKEN_B);
  gint64 id_a = lers_poll_service_get_id (a);
  gint64 id_b = lers_poll_service_get_id (b);
  g_autoptr (GPtrArray) mine = NULL;
  g_autoptr (GPtrArray) theirs = NULL;

  make_links (1);
  enqueue (queue, 1, LERS_ARCHIVE_KIND_HOUR);
  lers_check_sql_exec ("UPDATE poll_jobs SET max_attempts = 1");
  mine = claim (queue, id_a, TOKEN_A, 60);
  ck_assert_uint_eq (mine->len, 1);
  lers_check_sql_exec ("UPDATE poll_links SET lease_until = now() - interval '1 second'");
  theirs = claim (queue, id_b, TOKEN_B, 60);
  ck_assert_uint_eq (theirs->len, 0);
  assert_sql_str ("SELECT state || ' ' || error_code FROM poll_jobs", "3 connection");
  assert_sql_str ("SELECT string_agg(name || ':' || jobs_failed, ',' ORDER BY name)"
                  " FROM poll_services",
                  "poller-a:1,poller-b:0");
}
END_TEST

/* M4: a job whose attempt runs longer than the limit (a hung driver) is
 * taken over although its service heartbeats; that service's heartbeat
 * then says it lost the link. */
START_TEST (test_max_runtime)
{
  g_autoptr (LersPollQueue) queue = lers_poll_queue_new (lers_check_get_store ());
  g_autoptr (LersPollService) a = register_service (queue, "poller-a", TOKEN_A);
  g_autoptr (LersPollService) b = register_service (queue, "poller-b", TOKEN_B);
  gint64 id_a = lers_poll_service_get_id (a);
  gint64 id_b = lers_poll_service_get_id (b);
  g_autoptr (GPtrArray) mine = NULL;
  g_autoptr (GPtrArray) none = NULL;
  g_autoptr (GPtrArray) theirs = NULL;
  g_autofree gchar *lost = NULL;
  g_autofree gchar *lost2 = NULL;
  const gint64 link = 1;

  make_links (1);
  lers_poll_queue_set_max_runtime (queue, 600);
  enqueue (queue, 1, LERS_ARCHIVE_KIND_HOUR);
  mine = claim (queue, id_a, TOKEN_A, 60);
  ck_assert_uint_eq (mine->len, 1);

  /* 599 s in: within the limit, A keeps it */
  lers_check_sql_exec ("UPDATE poll_jobs SET attempt_started_at = now() - interval '599 seconds'");
  lost = heartbeat (queue, id_a, TOKEN_A, &link, 1);
  ck_assert_str_eq (lost, "");
  none = claim (queue, id_b, TOKEN_B, 60);
  ck_assert_uint_eq (none->len, 0);

  /* 601 s in: B takes it over, second attempt, started now */
  lers_check_sql_exec ("UPDATE poll_jobs SET attempt_started_at = now() - interval '601 seconds'");
  theirs = claim (queue, id_b, TOKEN_B, 60);
  ck_assert_uint_eq (theirs->len, 1);
  ck_assert_int_eq (lers_poll_job_get_attempts (g_ptr_array_index (theirs, 0)), 2);
  ck_assert_int_eq (lers_poll_job_get_service_id (g_ptr_array_index (theirs, 0)), id_b);
  ck_assert_int_eq (
      lers_check_sql_int ("SELECT round(extract(epoch FROM now() - attempt_started_at))"
                          " FROM poll_jobs"),
      0);
  lost2 = heartbeat (queue, id_a, TOKEN_A, &link, 1);
  ck_assert_str_eq (lost2, "1");
  ck_assert_int_eq (lers_check_sql_int ("SELECT lease_owner FROM poll_links"), id_b);
}
END_TEST

/* L3: a link with many backfill jobs (priority 2, claimed first) and one
 * routine job due: one claim of the link takes the routine job too, so
 * backfill never starves routine reads. */
START_TEST (test_routine_not_starved_by_backfill)
{
  g_autoptr (LersPollQueue) queue = lers_poll_queue_new (lers_check_get_store ());
  g_autoptr (LersPollService) a = register_service (queue, "poller-a", TOKEN_A);
  g_autoptr (GPtrArray) jobs = NULL;
  g_autoptr (GString) got = g_string_new (NULL);

  /* one connection; 20 meters on it (a gateway), one point each */
  lers_check_sql_exec (
      "INSERT INTO connections (id, kind, host, port) VALUES (1, 0, '127.0.0.1', 10001);"
      "INSERT INTO devices (id, protocol, connection_id)"
      " SELECT g, 'mbus', 1 FROM generate_series(1, 20) g;"
      "INSERT INTO measure_points (id, title, device_id)"
      " SELECT g, 'Точка ' || g, g FROM generate_series(1, 20) g;"
      "INSERT INTO poll_links (connection_id) VALUES (1);"
      /* a backfill job (priority 2) for every point's hour archive, due an
       * hour ago; a routine job (priority 3) of point 1, due now */
      "INSERT INTO poll_jobs (connection_id, point_id, kind, from_at, to_at, priority, due_at)"
      " SELECT 1, g, 1, '2026-11-01T00:00Z', '2026-11-07T23:00Z', 2, now() - interval '1 hour'"
      " FROM generate_series(1, 20) g;"
      "INSERT INTO poll_jobs (connection_id, point_id, kind, priority, due_at)"
      " VALUES (1, 1, 2, 3, now())");
  jobs = claim (queue, lers_poll_service_get_id (a), TOKEN_A, 60);
  /* all 21: 20 backfill, then the routine job, in priority order */
  ck_assert_uint_eq (jobs->len, 21);
  for (guint i = 0; i < jobs->len; i++)
    g_string_append_printf (got, "%d", lers_poll_job_get_priority (g_ptr_array_index (jobs, i)));
  ck_assert_str_eq (got->str, "222222222222222222223");
  ck_assert_int_eq (lers_check_sql_int ("SELECT count(*) FROM poll_jobs WHERE state = 1"), 21);
}
END_TEST

/* Ten buses of 50 meters each, every meter's job due: a claim for 10 links
 * takes all ten buses (500 jobs), not the few links the first jobs in due
 * order happen to be on. */
START_TEST (test_claim_fills_ports_with_buses)
{
  g_autoptr (LersPollQueue) queue = lers_poll_queue_new (lers_check_get_store ());
  g_autoptr (LersPollService) a = register_service (queue, "poller-a", TOKEN_A);
  g_autoptr (GPtrArray) jobs = NULL;
  g_autoptr (GPtrArray) more = NULL;
  g_autoptr (GError) error = NULL;

  lers_check_sql_exec (
      "INSERT INTO connections (id, kind, host, port)"
      " SELECT c, 0, '127.0.0.1', 10000 + c FROM generate_series(1, 10) c;"
      "INSERT INTO devices (id, protocol, connection_id)"
      " SELECT g, 'mbus', (g - 1) / 50 + 1 FROM generate_series(1, 500) g;"
      "INSERT INTO measure_points (id, title, device_id)"
      " SELECT g, 'Точка ' || g, g FROM generate_series(1, 500) g;"
      "INSERT INTO poll_links (connection_id) SELECT c FROM generate_series(1, 10) c;"
      /* job g is due g seconds ago: the 56 oldest (a walk of 4 × 10 + 16
       * job rows) are all on buses 10 and 9 */
      "INSERT INTO poll_jobs (connection_id, point_id, kind, priority, due_at)"
      " SELECT (g - 1) / 50 + 1, g, 1, 3, now() - g * interval '1 second'"
      " FROM generate_series(1, 500) g");
  jobs = lers_poll_queue_claim_sync (queue, lers_poll_service_get_id (a), TOKEN_A, 10, 60, NULL,
                                     &error);
  lers_check_assert_no_error (error);
  ck_assert_uint_eq (jobs->len, 500);
  ck_assert_int_eq (
      lers_check_sql_int ("SELECT count(*) FROM poll_links WHERE lease_owner IS NOT NULL"), 10);
  /* nothing is left for a second claim */
  more = lers_poll_queue_claim_sync (queue, lers_poll_service_get_id (a), TOKEN_A, 10, 60, NULL,
                                     &error);
  lers_check_assert_no_error (error);
  ck_assert_uint_eq (more->len, 0);
}
END_TEST

static Suite *
poll_queue_review_suite (void)
{
  Suite *s = suite_create ("poll-queue-review");
  TCase *tc = tcase_create ("queue");

  tcase_add_unchecked_fixture (tc, lers_check_cluster_setup, lers_check_cluster_teardown);
  tcase_add_checked_fixture (tc, lers_check_store_setup, lers_check_store_teardown);
  tcase_set_timeout (tc, 120);
  tcase_add_test (tc, test_own_lease_run_out);
  tcase_add_test (tc, test_heartbeat_frees_unknown_links);
  tcase_add_test (tc, test_cancel_not_lost);
  tcase_add_test (tc, test_finish_tied_to_attempt);
  tcase_add_test (tc, test_takeover_counts_failed);
  tcase_add_test (tc, test_max_runtime);
  tcase_add_test (tc, test_routine_not_starved_by_backfill);
  tcase_add_test (tc, test_claim_fills_ports_with_buses);
  suite_add_tcase (s, tc);
  return s;
}

int
main (int argc, char **argv)
{
  lers_check_init (&argc, &argv);
  return lers_check_run_suite (poll_queue_review_suite ());
}
