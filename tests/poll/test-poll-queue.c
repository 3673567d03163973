/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The poll job queue in PostgreSQL (LersPollQueue): services and their
 * tokens, claims racing from two threads, leases that run out, finishing
 * with retries and the "no-connection" meter event, priorities, the status
 * counts and the link list. Rows are checked through a connection of the
 * test's own; expected values are worked out by hand in the comments. */
#include "config.h"

#include <check.h>
#include <lers.h>

#include "lers-check.h"

#define TOKEN_A "token-of-service-a"
#define TOKEN_B "token-of-service-b"

/* @n links (connections 1…n, tcp 127.0.0.1:10001…), each with a device
 * and one measure point of the same id. */
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

/* Fails unless the first field of @sql's first row is @expected. */
static void
assert_sql_str (const gchar *sql, const gchar *expected)
{
  g_autofree gchar *value = lers_check_sql_value (sql);

  ck_assert_msg (g_strcmp0 (value, expected) == 0, "%s: \"%s\", expected \"%s\"", sql,
                 value != NULL ? value : "(null)", expected);
}

static LersPollService *
register_service (LersPollQueue *queue, const gchar *name, const gchar *token, gboolean authorise)
{
  g_autoptr (GError) error = NULL;
  LersPollService *service = lers_poll_queue_register_service_sync (
      queue, name, token, "host-1", "0.4.0", 8, authorise, NULL, &error);

  lers_check_assert_no_error (error);
  ck_assert_ptr_nonnull (service);
  return service;
}

static GPtrArray *
enqueue (LersPollQueue *queue, gint64 point_id, LersArchiveKind kind, LersPollPriority priority)
{
  g_autoptr (GError) error = NULL;
  GPtrArray *jobs = lers_poll_queue_enqueue_sync (queue, &point_id, 1, &kind, 1, NULL, NULL,
                                                  priority, "test", NULL, &error);

  lers_check_assert_no_error (error);
  ck_assert_uint_eq (jobs->len, 1);
  return jobs;
}

static gint64
job_id (GPtrArray *jobs, guint i)
{
  return lers_poll_job_get_id (g_ptr_array_index (jobs, i));
}

/* ---- services ------------------------------------------------------------ */

START_TEST (test_register)
{
  g_autoptr (LersPollQueue) queue = lers_poll_queue_new (lers_check_get_store ());
  g_autoptr (LersPollService) a = register_service (queue, "poller-a", TOKEN_A, TRUE);
  g_autoptr (LersPollService) again = NULL;
  g_autoptr (LersPollService) added = NULL;
  g_autoptr (GError) error = NULL;
  g_autoptr (GChecksum) sha = g_checksum_new (G_CHECKSUM_SHA256);
  g_autofree gchar *token = NULL;
  g_autofree gchar *hash = NULL;
  g_autofree gchar *sql = NULL;

  ck_assert_str_eq (lers_poll_service_get_name (a), "poller-a");
  ck_assert (lers_poll_service_get_authorised (a));
  ck_assert_str_eq (lers_poll_service_get_host (a), "host-1");
  ck_assert_uint_eq (lers_poll_service_get_max_links (a), 8);
  ck_assert_int_eq (lers_poll_service_get_pid (a), getpid ());
  ck_assert_ptr_nonnull (lers_poll_service_get_heartbeat (a));
  /* the stored hash is SHA-256 of the token's UTF-8 bytes (GLib's checksum) */
  g_checksum_update (sha, (const guchar *) TOKEN_A, strlen (TOKEN_A));
  sql = g_strdup_printf (
      "SELECT encode(token_hash, 'hex') FROM poll_services WHERE id = %" G_GINT64_FORMAT,
      lers_poll_service_get_id (a));
  hash = lers_check_sql_value (sql);
  ck_assert_str_eq (hash, g_checksum_get_string (sha));

  /* the same name with another token: refused, the row unchanged */
  again = lers_poll_queue_register_service_sync (queue, "poller-a", "s3cr3t-other", "host-2",
                                                 "0.4.0", 2, TRUE, NULL, &error);
  ck_assert_ptr_null (again);
  lers_check_assert_error (error, LERS_ERROR, LERS_ERROR_PERMISSION_DENIED);
  ck_assert_ptr_null (strstr (error->message, "s3cr3t"));
  assert_sql_str ("SELECT host FROM poll_services", "host-1");
  g_clear_error (&error);

  /* with its own token: host and links updated, same row */
  again = lers_poll_queue_register_service_sync (queue, "poller-a", TOKEN_A, "host-2", "0.4.1", 3,
                                                 FALSE, NULL, &error);
  lers_check_assert_no_error (error);
  ck_assert_int_eq (lers_poll_service_get_id (again), lers_poll_service_get_id (a));
  ck_assert_str_eq (lers_poll_service_get_host (again), "host-2");
  ck_assert_uint_eq (lers_poll_service_get_max_links (again), 3);
  /* authorise FALSE does not take away an existing authorisation */
  ck_assert (lers_poll_service_get_authorised (again));

  /* an added service gets a 43-character base64url token, authorised */
  added = lers_poll_queue_add_service_sync (queue, "poller-b", &token, NULL, &error);
  lers_check_assert_no_error (error);
  ck_assert_uint_eq (strlen (token), 43);
  for (const gchar *p = token; *p != '\0'; p++)
    ck_assert (g_ascii_isalnum (*p) || *p == '-' || *p == '_');
  ck_assert (lers_poll_service_get_authorised (added));
  ck_assert_ptr_nonnull (lers_poll_service_get_authorised_at (added));
  g_clear_object (&again);
  again = lers_poll_queue_register_service_sync (queue, "poller-b", token, "host-3", "0.4.0", 4,
                                                 FALSE, NULL, &error);
  lers_check_assert_no_error (error);
  ck_assert_int_eq (lers_poll_service_get_id (again), lers_poll_service_get_id (added));
  ck_assert_ptr_null (lers_poll_queue_add_service_sync (queue, "poller-b", NULL, NULL, &error));
  lers_check_assert_error (error, LERS_ERROR, LERS_ERROR_INVALID_ARGUMENT);
  g_clear_error (&error);

  /* authorise, withdraw, delete; unknown names */
  ck_assert (!lers_poll_queue_authorise_service_sync (queue, "nobody", TRUE, NULL, &error));
  lers_check_assert_error (error, LERS_ERROR, LERS_ERROR_NOT_FOUND);
  g_clear_error (&error);
  ck_assert (lers_poll_queue_authorise_service_sync (queue, "poller-b", FALSE, NULL, &error));
  assert_sql_str ("SELECT authorised::text || (authorised_at IS NULL)::text"
                  " FROM poll_services WHERE name = 'poller-b'",
                  "falsetrue");
  ck_assert (lers_poll_queue_delete_service_sync (queue, "poller-b", NULL, &error));
  ck_assert (!lers_poll_queue_delete_service_sync (queue, "poller-b", NULL, &error));
  lers_check_assert_error (error, LERS_ERROR, LERS_ERROR_NOT_FOUND);
  g_clear_error (&error);
  ck_assert_ptr_null (lers_poll_queue_register_service_sync (queue, "", TOKEN_A, NULL, NULL, 1,
                                                             TRUE, NULL, &error));
  lers_check_assert_error (error, LERS_ERROR, LERS_ERROR_INVALID_ARGUMENT);
}
END_TEST

START_TEST (test_heartbeat_and_state)
{
  g_autoptr (LersPollQueue) queue = lers_poll_queue_new (lers_check_get_store ());
  g_autoptr (LersPollService) a = register_service (queue, "poller-a", TOKEN_A, TRUE);
  g_autoptr (LersPollService) p = register_service (queue, "poller-p", TOKEN_B, FALSE);
  g_autoptr (GPtrArray) services = NULL;
  g_autoptr (GDateTime) now = g_date_time_new_now_utc ();
  g_autoptr (GDateTime) later = g_date_time_add_seconds (now, 120);
  g_autoptr (GError) error = NULL;
  g_autoptr (GString) json = g_string_new (NULL);
  gint64 id_a = lers_poll_service_get_id (a);

  ck_assert (lers_poll_queue_heartbeat_sync (queue, id_a, TOKEN_A, 30, NULL, &error));
  lers_check_assert_no_error (error);
  ck_assert (!lers_poll_queue_heartbeat_sync (queue, id_a, TOKEN_B, 30, NULL, &error));
  lers_check_assert_error (error, LERS_ERROR, LERS_ERROR_PERMISSION_DENIED);
  g_clear_error (&error);
  /* a pending service's heartbeat is refused */
  ck_assert (!lers_poll_queue_heartbeat_sync (queue, lers_poll_service_get_id (p), TOKEN_B, 30,
                                              NULL, &error));
  lers_check_assert_error (error, LERS_ERROR, LERS_ERROR_PERMISSION_DENIED);
  g_clear_error (&error);

  services = lers_poll_queue_list_services_sync (queue, NULL, &error);
  lers_check_assert_no_error (error);
  ck_assert_uint_eq (services->len, 2);
  /* by name: poller-a, poller-p */
  ck_assert_str_eq (lers_poll_service_get_state (g_ptr_array_index (services, 0), now, 30),
                    "running");
  /* two minutes on with a 30 s lease: dead */
  ck_assert_str_eq (lers_poll_service_get_state (g_ptr_array_index (services, 0), later, 30),
                    "dead");
  ck_assert_str_eq (lers_poll_service_get_state (g_ptr_array_index (services, 1), now, 30),
                    "pending");
  lers_poll_service_append_json (g_ptr_array_index (services, 1), json, NULL, now, 30);
  ck_assert_ptr_nonnull (strstr (json->str, "\"name\":\"poller-p\",\"state\":\"pending\""));
  ck_assert_ptr_nonnull (strstr (json->str, "\"max_links\":8"));

  ck_assert (lers_poll_queue_stop_service_sync (queue, id_a, TOKEN_A, NULL, &error));
  g_clear_pointer (&services, g_ptr_array_unref);
  services = lers_poll_queue_list_services_sync (queue, NULL, &error);
  ck_assert_str_eq (lers_poll_service_get_state (g_ptr_array_index (services, 0), now, 30),
                    "stopped");
}
END_TEST

/* ---- claims -------------------------------------------------------------- */

typedef struct
{
  LersPollQueue *queue;
  gint64 service_id;
  const gchar *token;
  GArray *jobs;  /* of gint64: every job claimed */
  GArray *links; /* of gint64: the link of every claim's jobs, once a claim */
  gchar *error;
} Racer;

static gpointer
race_thread (gpointer user_data)
{
  Racer *racer = user_data;

  for (;;)
    {
      g_autoptr (GError) error = NULL;
      g_autoptr (GPtrArray) jobs = lers_poll_queue_claim_sync (racer->queue, racer->service_id,
                                                               racer->token, 7, 60, NULL, &error);
      g_autoptr (GHashTable) links = g_hash_table_new (g_int64_hash, g_int64_equal);

      if (jobs == NULL)
        {
          racer->error = g_strdup (error->message);
          return NULL;
        }
      if (jobs->len == 0)
        return NULL;
      for (guint i = 0; i < jobs->len; i++)
        {
          LersPollJob *job = g_ptr_array_index (jobs, i);
          gint64 id = lers_poll_job_get_id (job);
          gint64 link = lers_poll_job_get_connection_id (job);

          g_array_append_val (racer->jobs, id);
          if (!g_hash_table_contains (links, &link))
            {
              g_array_append_val (racer->links, link);
              g_hash_table_add (links,
                                &g_array_index (racer->links, gint64, racer->links->len - 1));
            }
          if (lers_poll_queue_finish_job_sync (racer->queue, racer->service_id, id, 1, NULL, NULL,
                                               NULL, &error)
              != LERS_POLL_JOB_STATE_DONE)
            {
              racer->error = g_strdup (error != NULL ? error->message : "not done");
              return NULL;
            }
        }
      /* the links stay leased: a claim's links are never claimed again
       * while leased, whoever asks */
      g_hash_table_remove_all (links);
    }
}

START_TEST (test_claim_race)
{
  g_autoptr (LersPollQueue) queue = lers_poll_queue_new (lers_check_get_store ());
  g_autoptr (LersPollService) a = register_service (queue, "poller-a", TOKEN_A, TRUE);
  g_autoptr (LersPollService) b = register_service (queue, "poller-b", TOKEN_B, TRUE);
  g_autoptr (LersPollService) u = register_service (queue, "poller-u", "token-u", FALSE);
  g_autoptr (GError) error = NULL;
  g_autoptr (GPtrArray) none = NULL;
  g_autoptr (GPtrArray) jobs = NULL;
  g_autoptr (GHashTable) seen_jobs = g_hash_table_new (g_int64_hash, g_int64_equal);
  g_autoptr (GHashTable) seen_links = g_hash_table_new (g_int64_hash, g_int64_equal);
  gint64 points[100];
  const LersArchiveKind kinds[]
      = { LERS_ARCHIVE_KIND_HOUR, LERS_ARCHIVE_KIND_DAY, LERS_ARCHIVE_KIND_MONTH };
  Racer racers[2] = {
    { queue, lers_poll_service_get_id (a), TOKEN_A, g_array_new (FALSE, FALSE, sizeof (gint64)),
      g_array_new (FALSE, FALSE, sizeof (gint64)), NULL },
    { queue, lers_poll_service_get_id (b), TOKEN_B, g_array_new (FALSE, FALSE, sizeof (gint64)),
      g_array_new (FALSE, FALSE, sizeof (gint64)), NULL },
  };
  GThread *threads[2];

  make_links (100);
  for (guint i = 0; i < 100; i++)
    points[i] = i + 1;
  jobs = lers_poll_queue_enqueue_sync (queue, points, 100, kinds, 3, NULL, NULL,
                                       LERS_POLL_PRIORITY_ROUTINE, NULL, NULL, &error);
  lers_check_assert_no_error (error);
  ck_assert_uint_eq (jobs->len, 300);
  /* in the order of the points, then the kinds */
  ck_assert_int_eq (lers_poll_job_get_point_id (g_ptr_array_index (jobs, 3)), 2);
  ck_assert_int_eq (lers_poll_job_get_kind (g_ptr_array_index (jobs, 5)), LERS_ARCHIVE_KIND_MONTH);
  ck_assert_int_eq (lers_check_sql_int ("SELECT count(*) FROM poll_links"), 100);

  /* an unauthorised service, and a wrong token, claim nothing */
  none = lers_poll_queue_claim_sync (queue, lers_poll_service_get_id (u), "token-u", 10, 60, NULL,
                                     &error);
  ck_assert_ptr_null (none);
  lers_check_assert_error (error, LERS_ERROR, LERS_ERROR_PERMISSION_DENIED);
  g_clear_error (&error);
  none = lers_poll_queue_claim_sync (queue, lers_poll_service_get_id (a), TOKEN_B, 10, 60, NULL,
                                     &error);
  ck_assert_ptr_null (none);
  lers_check_assert_error (error, LERS_ERROR, LERS_ERROR_PERMISSION_DENIED);
  g_clear_error (&error);
  ck_assert_int_eq (lers_check_sql_int ("SELECT count(*) FROM poll_jobs WHERE state <> 0"), 0);
  ck_assert_int_eq (
      lers_check_sql_int ("SELECT count(*) FROM poll_links WHERE lease_owner IS NOT NULL"), 0);

  for (guint i = 0; i < 2; i++)
    threads[i] = g_thread_new ("racer", race_thread, &racers[i]);
  for (guint i = 0; i < 2; i++)
    g_thread_join (threads[i]);

  for (guint r = 0; r < 2; r++)
    {
      ck_assert_msg (racers[r].error == NULL, "racer %u: %s", r, racers[r].error);
      for (guint i = 0; i < racers[r].jobs->len; i++)
        ck_assert_msg (g_hash_table_add (seen_jobs, &g_array_index (racers[r].jobs, gint64, i)),
                       "job %" G_GINT64_FORMAT " claimed twice",
                       g_array_index (racers[r].jobs, gint64, i));
      for (guint i = 0; i < racers[r].links->len; i++)
        ck_assert_msg (g_hash_table_add (seen_links, &g_array_index (racers[r].links, gint64, i)),
                       "link %" G_GINT64_FORMAT " claimed twice",
                       g_array_index (racers[r].links, gint64, i));
    }
  /* every job once, every link by one service only */
  ck_assert_uint_eq (g_hash_table_size (seen_jobs), 300);
  ck_assert_uint_eq (g_hash_table_size (seen_links), 100);
  ck_assert_int_eq (
      lers_check_sql_int ("SELECT count(*) FROM poll_jobs WHERE state = 2 AND attempts = 1"), 300);
  ck_assert_int_eq (lers_check_sql_int ("SELECT sum(jobs_done) FROM poll_services"), 300);
  /* both services' counts add up to what each thread saw */
  {
    g_autofree gchar *sql = g_strdup_printf (
        "SELECT jobs_done FROM poll_services WHERE id = %" G_GINT64_FORMAT, racers[0].service_id);
    ck_assert_int_eq (lers_check_sql_int (sql), racers[0].jobs->len);
  }
  for (guint r = 0; r < 2; r++)
    {
      g_array_unref (racers[r].jobs);
      g_array_unref (racers[r].links);
    }
}
END_TEST

/* Claims until a job comes, every 100 ms, for at most @seconds. */
static GPtrArray *
claim_until (LersPollQueue *queue, gint64 service_id, const gchar *token, guint lease,
             gdouble seconds)
{
  gint64 deadline = g_get_monotonic_time () + (gint64) (seconds * G_USEC_PER_SEC);

  for (;;)
    {
      g_autoptr (GError) error = NULL;
      g_autoptr (GPtrArray) jobs
          = lers_poll_queue_claim_sync (queue, service_id, token, 4, lease, NULL, &error);

      lers_check_assert_no_error (error);
      if (jobs->len > 0 || g_get_monotonic_time () > deadline)
        return g_steal_pointer (&jobs);
      g_usleep (100 * 1000);
    }
}

START_TEST (test_lease_takeover)
{
  g_autoptr (LersPollQueue) queue = lers_poll_queue_new (lers_check_get_store ());
  g_autoptr (LersPollService) a = register_service (queue, "poller-a", TOKEN_A, TRUE);
  g_autoptr (LersPollService) b = register_service (queue, "poller-b", TOKEN_B, TRUE);
  gint64 id_a = lers_poll_service_get_id (a);
  gint64 id_b = lers_poll_service_get_id (b);
  g_autoptr (GPtrArray) queued = NULL;
  g_autoptr (GPtrArray) mine = NULL;
  g_autoptr (GPtrArray) theirs = NULL;
  g_autoptr (GPtrArray) empty = NULL;
  g_autoptr (LersPollJob) job = NULL;
  g_autoptr (GError) error = NULL;
  gint64 start;

  make_links (2);
  queued = enqueue (queue, 1, LERS_ARCHIVE_KIND_HOUR, LERS_POLL_PRIORITY_ROUTINE);

  /* A claims with a 1 s lease and then says nothing */
  mine = lers_poll_queue_claim_sync (queue, id_a, TOKEN_A, 4, 1, NULL, &error);
  lers_check_assert_no_error (error);
  ck_assert_uint_eq (mine->len, 1);
  ck_assert_int_eq (lers_poll_job_get_attempts (g_ptr_array_index (mine, 0)), 1);
  ck_assert_int_eq (lers_poll_job_get_state (g_ptr_array_index (mine, 0)),
                    LERS_POLL_JOB_STATE_RUNNING);
  start = g_get_monotonic_time ();
  empty = lers_poll_queue_claim_sync (queue, id_b, TOKEN_B, 4, 60, NULL, &error);
  ck_assert_uint_eq (empty->len, 0);

  /* B gets the link once A's lease ran out: not before 1 s, within 5 s */
  theirs = claim_until (queue, id_b, TOKEN_B, 60, 5);
  ck_assert_uint_eq (theirs->len, 1);
  ck_assert_int_ge (g_get_monotonic_time () - start, 900 * 1000);
  ck_assert_int_eq (job_id (theirs, 0), job_id (queued, 0));
  job = lers_poll_queue_get_job_sync (queue, job_id (queued, 0), NULL, &error);
  lers_check_assert_no_error (error);
  ck_assert_int_eq (lers_poll_job_get_attempts (job), 2);
  ck_assert_int_eq (lers_poll_job_get_service_id (job), id_b);
  ck_assert_ptr_nonnull (strstr (lers_poll_job_get_log (job), "poller-a"));
  {
    g_autofree gchar *sql
        = g_strdup_printf ("SELECT lease_owner FROM poll_links WHERE connection_id = 1");
    ck_assert_int_eq (lers_check_sql_int (sql), id_b);
  }

  /* A comes back and finishes: too late, B has it */
  ck_assert_int_eq (lers_poll_queue_finish_job_sync (queue, id_a, job_id (queued, 0), 5, NULL, NULL,
                                                     NULL, &error),
                    LERS_POLL_JOB_STATE_RUNNING);
  lers_check_assert_error (error, LERS_ERROR, LERS_ERROR_NOT_FOUND);
  ck_assert_ptr_nonnull (strstr (error->message, "taken over"));
  g_clear_error (&error);
  ck_assert_int_eq (lers_check_sql_int ("SELECT state FROM poll_jobs"), 1);
}
END_TEST

START_TEST (test_heartbeat_keeps_lease)
{
  g_autoptr (LersPollQueue) queue = lers_poll_queue_new (lers_check_get_store ());
  g_autoptr (LersPollService) a = register_service (queue, "poller-a", TOKEN_A, TRUE);
  g_autoptr (LersPollService) b = register_service (queue, "poller-b", TOKEN_B, TRUE);
  gint64 id_a = lers_poll_service_get_id (a);
  gint64 id_b = lers_poll_service_get_id (b);
  g_autoptr (GPtrArray) queued = NULL;
  g_autoptr (GPtrArray) mine = NULL;
  g_autoptr (GError) error = NULL;

  make_links (1);
  queued = enqueue (queue, 1, LERS_ARCHIVE_KIND_HOUR, LERS_POLL_PRIORITY_ROUTINE);
  mine = lers_poll_queue_claim_sync (queue, id_a, TOKEN_A, 4, 1, NULL, &error);
  ck_assert_uint_eq (mine->len, 1);
  /* a second job on the held link, due now: B must not get it either */
  g_clear_pointer (&queued, g_ptr_array_unref);
  queued = enqueue (queue, 1, LERS_ARCHIVE_KIND_DAY, LERS_POLL_PRIORITY_MANUAL);

  /* 8 × 300 ms = 2.4 s, more than twice the 1 s lease */
  for (guint i = 0; i < 8; i++)
    {
      g_autoptr (GPtrArray) none = NULL;

      ck_assert (lers_poll_queue_heartbeat_sync (queue, id_a, TOKEN_A, 1, NULL, &error));
      lers_check_assert_no_error (error);
      none = lers_poll_queue_claim_sync (queue, id_b, TOKEN_B, 4, 60, NULL, &error);
      lers_check_assert_no_error (error);
      ck_assert_uint_eq (none->len, 0);
      g_usleep (300 * 1000);
    }
  ck_assert_int_eq (lers_check_sql_int ("SELECT count(*) FROM poll_jobs WHERE state = 1"), 1);
  /* a lease that ran out is not extended by a late heartbeat */
  lers_check_sql_exec ("UPDATE poll_links SET lease_until = now() - interval '1 second'");
  ck_assert (lers_poll_queue_heartbeat_sync (queue, id_a, TOKEN_A, 60, NULL, &error));
  ck_assert_int_eq (
      lers_check_sql_int ("SELECT count(*) FROM poll_links WHERE lease_until > now()"), 0);
}
END_TEST

START_TEST (test_stopped_service_taken_over)
{
  g_autoptr (LersPollQueue) queue = lers_poll_queue_new (lers_check_get_store ());
  g_autoptr (LersPollService) a = register_service (queue, "poller-a", TOKEN_A, TRUE);
  g_autoptr (LersPollService) b = register_service (queue, "poller-b", TOKEN_B, TRUE);
  g_autoptr (GPtrArray) queued = NULL;
  g_autoptr (GPtrArray) mine = NULL;
  g_autoptr (GPtrArray) theirs = NULL;
  g_autoptr (GError) error = NULL;

  make_links (1);
  queued = enqueue (queue, 1, LERS_ARCHIVE_KIND_HOUR, LERS_POLL_PRIORITY_ROUTINE);
  mine = lers_poll_queue_claim_sync (queue, lers_poll_service_get_id (a), TOKEN_A, 4, 60, NULL,
                                     &error);
  ck_assert_uint_eq (mine->len, 1);
  /* A loses its authorisation with the job still running: its lease is
   * gone at once, and B finishes the read without waiting out 60 s */
  ck_assert (lers_poll_queue_authorise_service_sync (queue, "poller-a", FALSE, NULL, &error));
  ck_assert (!lers_poll_queue_heartbeat_sync (queue, lers_poll_service_get_id (a), TOKEN_A, 60,
                                              NULL, &error));
  lers_check_assert_error (error, LERS_ERROR, LERS_ERROR_PERMISSION_DENIED);
  g_clear_error (&error);
  theirs = lers_poll_queue_claim_sync (queue, lers_poll_service_get_id (b), TOKEN_B, 4, 60, NULL,
                                       &error);
  lers_check_assert_no_error (error);
  ck_assert_uint_eq (theirs->len, 1);
  ck_assert_int_eq (job_id (theirs, 0), job_id (queued, 0));
  ck_assert_int_eq (lers_poll_job_get_attempts (g_ptr_array_index (theirs, 0)), 2);

  /* B stops cleanly with it running: the next claim (A, authorised
   * again) takes it over at once; the third attempt */
  ck_assert (lers_poll_queue_stop_service_sync (queue, lers_poll_service_get_id (b), TOKEN_B, NULL,
                                                &error));
  ck_assert (lers_poll_queue_authorise_service_sync (queue, "poller-a", TRUE, NULL, &error));
  g_clear_pointer (&mine, g_ptr_array_unref);
  mine = lers_poll_queue_claim_sync (queue, lers_poll_service_get_id (a), TOKEN_A, 4, 60, NULL,
                                     &error);
  ck_assert_uint_eq (mine->len, 1);
  ck_assert_int_eq (lers_poll_job_get_attempts (g_ptr_array_index (mine, 0)), 3);
  ck_assert_ptr_nonnull (strstr (lers_poll_job_get_log (g_ptr_array_index (mine, 0)), "poller-b"));
}
END_TEST

/* ---- finishing ----------------------------------------------------------- */

START_TEST (test_finish)
{
  g_autoptr (LersPollQueue) queue = lers_poll_queue_new (lers_check_get_store ());
  g_autoptr (LersPollService) a = register_service (queue, "poller-a", TOKEN_A, TRUE);
  gint64 id_a = lers_poll_service_get_id (a);
  g_autoptr (GPtrArray) first = NULL;
  g_autoptr (GPtrArray) second = NULL;
  g_autoptr (GPtrArray) events = NULL;
  g_autoptr (LersPollJob) job = NULL;
  g_autoptr (GError) error = NULL;
  g_autoptr (GError) timeout
      = g_error_new_literal (LERS_ERROR, LERS_ERROR_TIMED_OUT, "The meter did not answer in 5 s");
  g_autoptr (GString) json = g_string_new (NULL);
  LersMeterEvent *event;
  gint64 id;

  make_links (1);
  lers_poll_queue_set_retry_delay (queue, 60, 3600);

  /* done: records, progress 1, finished, counted */
  first = enqueue (queue, 1, LERS_ARCHIVE_KIND_HOUR, LERS_POLL_PRIORITY_ROUTINE);
  id = job_id (first, 0);
  g_clear_pointer (&first, g_ptr_array_unref);
  first = lers_poll_queue_claim_sync (queue, id_a, TOKEN_A, 1, 60, NULL, &error);
  ck_assert_uint_eq (first->len, 1);
  ck_assert (
      lers_poll_queue_set_progress_sync (queue, id, 0.5, "Чтение часового архива", NULL, &error));
  job = lers_poll_queue_get_job_sync (queue, id, NULL, &error);
  ck_assert_double_eq_tol (lers_poll_job_get_progress (job), 0.5, 1e-6);
  ck_assert_str_eq (lers_poll_job_get_message (job), "Чтение часового архива");
  g_clear_object (&job);
  ck_assert_int_eq (
      lers_poll_queue_finish_job_sync (queue, id_a, id, 24, NULL, "read 24 hours\n", NULL, &error),
      LERS_POLL_JOB_STATE_DONE);
  lers_check_assert_no_error (error);
  job = lers_poll_queue_get_job_sync (queue, id, NULL, &error);
  ck_assert_int_eq (lers_poll_job_get_state (job), LERS_POLL_JOB_STATE_DONE);
  ck_assert_int_eq (lers_poll_job_get_records (job), 24);
  ck_assert_double_eq (lers_poll_job_get_progress (job), 1.0);
  ck_assert_ptr_nonnull (lers_poll_job_get_finished (job));
  ck_assert_str_eq (lers_poll_job_get_log (job), "read 24 hours\n");
  lers_poll_job_append_json (job, json, NULL);
  ck_assert_ptr_nonnull (strstr (json->str, "\"kind\":\"hour\""));
  ck_assert_ptr_nonnull (strstr (json->str, "\"state\":\"done\""));
  ck_assert_ptr_nonnull (strstr (json->str, "\"records\":24"));
  ck_assert_ptr_nonnull (strstr (json->str, "\"priority\":\"routine\""));
  g_clear_object (&job);
  ck_assert_int_eq (lers_check_sql_int ("SELECT jobs_done FROM poll_services"), 1);
  /* a finished job is not running: no progress, no second finish */
  ck_assert (!lers_poll_queue_set_progress_sync (queue, id, 0.7, NULL, NULL, &error));
  lers_check_assert_error (error, LERS_ERROR, LERS_ERROR_NOT_FOUND);
  g_clear_error (&error);
  lers_poll_queue_release_link_sync (queue, id_a, 1, NULL, NULL, &error);
  lers_check_assert_no_error (error);

  /* three attempts that time out */
  second = enqueue (queue, 1, LERS_ARCHIVE_KIND_DAY, LERS_POLL_PRIORITY_ROUTINE);
  id = job_id (second, 0);
  lers_check_sql_exec ("UPDATE poll_jobs SET max_attempts = 3 WHERE state = 0");
  for (gint attempt = 1; attempt <= 3; attempt++)
    {
      g_autoptr (GPtrArray) claimed = NULL;
      LersPollJobState state;

      /* the back-off passed */
      lers_check_sql_exec ("UPDATE poll_jobs SET due_at = now() WHERE state = 0");
      claimed = lers_poll_queue_claim_sync (queue, id_a, TOKEN_A, 1, 60, NULL, &error);
      lers_check_assert_no_error (error);
      ck_assert_uint_eq (claimed->len, 1);
      ck_assert_int_eq (lers_poll_job_get_attempts (g_ptr_array_index (claimed, 0)), attempt);
      state = lers_poll_queue_finish_job_sync (queue, id_a, id, 0, timeout, NULL, NULL, &error);
      lers_check_assert_no_error (error);
      lers_poll_queue_release_link_sync (queue, id_a, 1, NULL, NULL, &error);
      if (attempt == 1)
        {
          /* queued again for now + 60 s · 2^0 */
          ck_assert_int_eq (state, LERS_POLL_JOB_STATE_QUEUED);
          ck_assert_int_eq (lers_check_sql_int ("SELECT round(extract(epoch FROM due_at - now()))"
                                                " FROM poll_jobs WHERE state = 0"),
                            60);
          assert_sql_str ("SELECT error_code || ': ' || error"
                          " FROM poll_jobs WHERE state = 0",
                          "timed-out: The meter did not answer in 5 s");
        }
      else if (attempt == 2)
        {
          /* now + 60 s · 2^1 */
          ck_assert_int_eq (state, LERS_POLL_JOB_STATE_QUEUED);
          ck_assert_int_eq (lers_check_sql_int ("SELECT round(extract(epoch FROM due_at - now()))"
                                                " FROM poll_jobs WHERE state = 0"),
                            120);
          events = lers_store_list_meter_events_sync (lers_check_get_store (), 1, NULL, NULL, NULL,
                                                      &error);
          ck_assert_uint_eq (events->len, 0);
          g_clear_pointer (&events, g_ptr_array_unref);
        }
      else
        ck_assert_int_eq (state, LERS_POLL_JOB_STATE_FAILED);
    }
  job = lers_poll_queue_get_job_sync (queue, id, NULL, &error);
  ck_assert_int_eq (lers_poll_job_get_state (job), LERS_POLL_JOB_STATE_FAILED);
  ck_assert_str_eq (lers_poll_job_get_error_code (job), "timed-out");
  ck_assert_ptr_nonnull (strstr (lers_poll_job_get_log (job), "Attempt 3 of 3 failed"));
  ck_assert_ptr_nonnull (strstr (lers_poll_job_get_log (job), "Attempt 1 of 3 failed"));
  ck_assert_int_eq (lers_check_sql_int ("SELECT jobs_failed FROM poll_services"), 1);

  /* the point has an open "no-connection" warning from the job's first start */
  events = lers_store_list_meter_events_sync (lers_check_get_store (), 1, NULL, NULL, NULL, &error);
  lers_check_assert_no_error (error);
  ck_assert_uint_eq (events->len, 1);
  event = g_ptr_array_index (events, 0);
  ck_assert_str_eq (lers_meter_event_get_code (event), "no-connection");
  ck_assert_int_eq (lers_meter_event_get_severity (event), LERS_METER_EVENT_SEVERITY_WARNING);
  ck_assert_str_eq (lers_meter_event_get_text (event), "The meter did not answer in 5 s");
  ck_assert_ptr_null (lers_meter_event_get_end (event));
  ck_assert_int_eq (lers_meter_event_get_device_id (event), 1);
  ck_assert_int_eq (g_date_time_to_unix (lers_meter_event_get_start (event)),
                    g_date_time_to_unix (lers_poll_job_get_started (job)));
  g_clear_pointer (&events, g_ptr_array_unref);
  g_clear_object (&job);

  /* a later success closes it */
  g_clear_pointer (&second, g_ptr_array_unref);
  second = enqueue (queue, 1, LERS_ARCHIVE_KIND_HOUR, LERS_POLL_PRIORITY_MANUAL);
  id = job_id (second, 0);
  g_clear_pointer (&second, g_ptr_array_unref);
  second = lers_poll_queue_claim_sync (queue, id_a, TOKEN_A, 1, 60, NULL, &error);
  ck_assert_uint_eq (second->len, 1);
  ck_assert_int_eq (lers_poll_queue_finish_job_sync (queue, id_a, id, 3, NULL, NULL, NULL, &error),
                    LERS_POLL_JOB_STATE_DONE);
  events = lers_store_list_meter_events_sync (lers_check_get_store (), 1, NULL, NULL, NULL, &error);
  ck_assert_uint_eq (events->len, 1);
  ck_assert_ptr_nonnull (lers_meter_event_get_end (g_ptr_array_index (events, 0)));
  ck_assert_int_eq (lers_check_sql_int ("SELECT count(*) FROM meter_events WHERE ended_at IS NULL"),
                    0);
}
END_TEST

START_TEST (test_finish_other_failures)
{
  g_autoptr (LersPollQueue) queue = lers_poll_queue_new (lers_check_get_store ());
  g_autoptr (LersPollService) a = register_service (queue, "poller-a", TOKEN_A, TRUE);
  gint64 id_a = lers_poll_service_get_id (a);
  g_autoptr (GError) error = NULL;
  g_autoptr (GError) unsupported
      = g_error_new_literal (LERS_ERROR, LERS_ERROR_NOT_SUPPORTED, "No power profile here");
  g_autoptr (GError) cancelled
      = g_error_new_literal (G_IO_ERROR, G_IO_ERROR_CANCELLED, "Cancelled");
  g_autoptr (GPtrArray) jobs = NULL;
  g_autoptr (GPtrArray) claimed = NULL;
  const LersArchiveKind kinds[] = { LERS_ARCHIVE_KIND_HOUR, LERS_ARCHIVE_KIND_POWER_PROFILE };
  gint64 point = 1;

  make_links (1);
  jobs = lers_poll_queue_enqueue_sync (queue, &point, 1, kinds, 2, NULL, NULL,
                                       LERS_POLL_PRIORITY_MANUAL, "admin", NULL, &error);
  claimed = lers_poll_queue_claim_sync (queue, id_a, TOKEN_A, 1, 60, NULL, &error);
  ck_assert_uint_eq (claimed->len, 2);
  /* not retryable: failed on the first attempt, no meter event */
  ck_assert_int_eq (lers_poll_queue_finish_job_sync (queue, id_a, job_id (jobs, 1), 0, unsupported,
                                                     NULL, NULL, &error),
                    LERS_POLL_JOB_STATE_FAILED);
  ck_assert_int_eq (lers_poll_queue_finish_job_sync (queue, id_a, job_id (jobs, 0), 0, cancelled,
                                                     NULL, NULL, &error),
                    LERS_POLL_JOB_STATE_CANCELLED);
  assert_sql_str ("SELECT string_agg(state || ':' || coalesce(error_code, '-'),"
                  " ',' ORDER BY id) FROM poll_jobs",
                  "4:cancelled,3:not-supported");
  ck_assert_int_eq (lers_check_sql_int ("SELECT count(*) FROM meter_events"), 0);
  ck_assert_int_eq (lers_check_sql_int ("SELECT jobs_failed FROM poll_services"), 1);

  /* a failed session on the link: counted, blocked for 60 s · 2^0 */
  lers_poll_queue_set_retry_delay (queue, 60, 3600);
  ck_assert (
      lers_poll_queue_release_link_sync (queue, id_a, 1, "Connection refused", NULL, &error));
  assert_sql_str ("SELECT failures || ' ' || last_error || ' '"
                  " || round(extract(epoch FROM blocked_until - now()))"
                  " || ' ' || (lease_owner IS NULL) FROM poll_links",
                  "1 Connection refused 60 true");
}
END_TEST

/* ---- priorities ----------------------------------------------------------- */

START_TEST (test_priorities)
{
  g_autoptr (LersPollQueue) queue = lers_poll_queue_new (lers_check_get_store ());
  g_autoptr (LersPollService) a = register_service (queue, "poller-a", TOKEN_A, TRUE);
  gint64 id_a = lers_poll_service_get_id (a);
  g_autoptr (GPtrArray) routine = NULL;
  g_autoptr (GPtrArray) manual = NULL;
  g_autoptr (GPtrArray) claimed = NULL;
  g_autoptr (GPtrArray) blocked = NULL;
  g_autoptr (GError) error = NULL;

  make_links (3);
  /* link Y (2): a routine job due an hour ago; link X (1): a manual job now */
  routine = enqueue (queue, 2, LERS_ARCHIVE_KIND_HOUR, LERS_POLL_PRIORITY_ROUTINE);
  lers_check_sql_exec ("UPDATE poll_jobs SET due_at = now() - interval '1 hour'");
  manual = enqueue (queue, 1, LERS_ARCHIVE_KIND_HOUR, LERS_POLL_PRIORITY_MANUAL);
  claimed = lers_poll_queue_claim_sync (queue, id_a, TOKEN_A, 1, 60, NULL, &error);
  lers_check_assert_no_error (error);
  ck_assert_uint_eq (claimed->len, 1);
  ck_assert_int_eq (job_id (claimed, 0), job_id (manual, 0));
  ck_assert_int_eq (lers_poll_job_get_connection_id (g_ptr_array_index (claimed, 0)), 1);
  g_clear_pointer (&claimed, g_ptr_array_unref);
  claimed = lers_poll_queue_claim_sync (queue, id_a, TOKEN_A, 1, 60, NULL, &error);
  ck_assert_uint_eq (claimed->len, 1);
  ck_assert_int_eq (job_id (claimed, 0), job_id (routine, 0));

  /* link Z (3) in back-off: its routine job waits, a manual read goes */
  g_clear_pointer (&routine, g_ptr_array_unref);
  g_clear_pointer (&claimed, g_ptr_array_unref);
  routine = enqueue (queue, 3, LERS_ARCHIVE_KIND_DAY, LERS_POLL_PRIORITY_ROUTINE);
  lers_check_sql_exec ("UPDATE poll_links SET blocked_until = now() + interval '10 minutes'"
                       " WHERE connection_id = 3");
  claimed = lers_poll_queue_claim_sync (queue, id_a, TOKEN_A, 4, 60, NULL, &error);
  ck_assert_uint_eq (claimed->len, 0);
  blocked = enqueue (queue, 3, LERS_ARCHIVE_KIND_HOUR, LERS_POLL_PRIORITY_MANUAL);
  g_clear_pointer (&claimed, g_ptr_array_unref);
  claimed = lers_poll_queue_claim_sync (queue, id_a, TOKEN_A, 4, 60, NULL, &error);
  /* both jobs of the link, by priority: the manual one first */
  ck_assert_uint_eq (claimed->len, 2);
  ck_assert_int_eq (job_id (claimed, 0), job_id (blocked, 0));
  ck_assert_int_eq (job_id (claimed, 1), job_id (routine, 0));
}
END_TEST

/* ---- enqueue, cancel, list, purge ---------------------------------------- */

START_TEST (test_enqueue_cancel_list)
{
  g_autoptr (LersPollQueue) queue = lers_poll_queue_new (lers_check_get_store ());
  g_autoptr (LersPollService) a = register_service (queue, "poller-a", TOKEN_A, TRUE);
  gint64 id_a = lers_poll_service_get_id (a);
  g_autoptr (GError) error = NULL;
  g_autoptr (GPtrArray) jobs = NULL;
  g_autoptr (GPtrArray) claimed = NULL;
  g_autoptr (GPtrArray) page = NULL;
  g_autoptr (GDateTime) from = g_date_time_new_utc (2026, 11, 1, 0, 0, 0);
  g_autoptr (GDateTime) to = g_date_time_new_utc (2026, 11, 2, 0, 0, 0);
  const LersArchiveKind hour = LERS_ARCHIVE_KIND_HOUR;
  const gint64 bad[] = { 1, 999 };
  const gint64 no_device[] = { 1, 50 };
  const gint64 both[] = { 1, 2 };

  make_links (2);
  lers_check_sql_exec ("INSERT INTO measure_points (id, title) VALUES (50, 'Без прибора')");

  /* a missing point or one without a device: nothing queued */
  ck_assert_ptr_null (lers_poll_queue_enqueue_sync (queue, bad, 2, &hour, 1, NULL, NULL,
                                                    LERS_POLL_PRIORITY_MANUAL, NULL, NULL, &error));
  lers_check_assert_error (error, LERS_ERROR, LERS_ERROR_NOT_FOUND);
  ck_assert_ptr_nonnull (strstr (error->message, "999"));
  g_clear_error (&error);
  ck_assert_ptr_null (lers_poll_queue_enqueue_sync (queue, no_device, 2, &hour, 1, NULL, NULL,
                                                    LERS_POLL_PRIORITY_MANUAL, NULL, NULL, &error));
  lers_check_assert_error (error, LERS_ERROR, LERS_ERROR_INVALID_ARGUMENT);
  ck_assert_ptr_nonnull (strstr (error->message, "50"));
  g_clear_error (&error);
  ck_assert_ptr_null (lers_poll_queue_enqueue_sync (queue, both, 2, &hour, 1, to, from,
                                                    LERS_POLL_PRIORITY_MANUAL, NULL, NULL, &error));
  lers_check_assert_error (error, LERS_ERROR, LERS_ERROR_INVALID_ARGUMENT);
  g_clear_error (&error);
  ck_assert_int_eq (lers_check_sql_int ("SELECT count(*) FROM poll_jobs"), 0);

  /* a range read of two points */
  jobs = lers_poll_queue_enqueue_sync (queue, both, 2, &hour, 1, from, to,
                                       LERS_POLL_PRIORITY_MANUAL, "оператор", NULL, &error);
  lers_check_assert_no_error (error);
  ck_assert_uint_eq (jobs->len, 2);
  assert_sql_str ("SELECT string_agg(point_id || ' ' || connection_id || ' '"
                  " || to_char(from_at AT TIME ZONE 'UTC', 'YYYY-MM-DD HH24')"
                  " || '..' || to_char(to_at AT TIME ZONE 'UTC', 'DD HH24')"
                  " || ' ' || priority || ' ' || requested_by, ',' ORDER BY id)"
                  " FROM poll_jobs",
                  "1 1 2026-11-01 00..02 00 0 оператор,2 2 2026-11-01 00..02 00 0 оператор");
  ck_assert_int_eq (g_date_time_to_unix (lers_poll_job_get_from (g_ptr_array_index (jobs, 0))),
                    g_date_time_to_unix (from));

  /* cancel: queued at once; running by request; finished refused */
  ck_assert (lers_poll_queue_cancel_job_sync (queue, job_id (jobs, 1), NULL, &error));
  lers_check_assert_no_error (error);
  claimed = lers_poll_queue_claim_sync (queue, id_a, TOKEN_A, 4, 60, NULL, &error);
  ck_assert_uint_eq (claimed->len, 1);
  ck_assert (lers_poll_queue_cancel_job_sync (queue, job_id (jobs, 0), NULL, &error));
  assert_sql_str ("SELECT string_agg(state || ' ' || cancel_requested"
                  " || ' ' || (finished_at IS NOT NULL), ',' ORDER BY id)"
                  " FROM poll_jobs",
                  "1 true false,4 false true");
  ck_assert (!lers_poll_queue_cancel_job_sync (queue, job_id (jobs, 1), NULL, &error));
  lers_check_assert_error (error, LERS_ERROR, LERS_ERROR_INVALID_ARGUMENT);
  g_clear_error (&error);
  ck_assert (!lers_poll_queue_cancel_job_sync (queue, 12345, NULL, &error));
  lers_check_assert_error (error, LERS_ERROR, LERS_ERROR_NOT_FOUND);
  g_clear_error (&error);
  ck_assert_ptr_null (lers_poll_queue_get_job_sync (queue, 12345, NULL, &error));
  lers_check_assert_error (error, LERS_ERROR, LERS_ERROR_NOT_FOUND);
  g_clear_error (&error);

  /* list: newest first, by point, by state, in pages */
  for (guint i = 0; i < 3; i++)
    g_ptr_array_unref (enqueue (queue, 2, LERS_ARCHIVE_KIND_DAY, LERS_POLL_PRIORITY_ROUTINE));
  /* jobs: 1 (p1 running), 2 (p2 cancelled), 3, 4, 5 (p2 queued) */
  page = lers_poll_queue_list_jobs_sync (queue, 2, -1, 0, 2, NULL, &error);
  ck_assert_uint_eq (page->len, 2);
  ck_assert_int_eq (job_id (page, 0), job_id (jobs, 1) + 3);
  ck_assert_int_eq (job_id (page, 1), job_id (jobs, 1) + 2);
  g_clear_pointer (&page, g_ptr_array_unref);
  page = lers_poll_queue_list_jobs_sync (queue, 2, -1, job_id (jobs, 1) + 2, 2, NULL, &error);
  ck_assert_uint_eq (page->len, 2);
  ck_assert_int_eq (job_id (page, 1), job_id (jobs, 1));
  g_clear_pointer (&page, g_ptr_array_unref);
  page = lers_poll_queue_list_jobs_sync (queue, 0, LERS_POLL_JOB_STATE_RUNNING, 0, 0, NULL, &error);
  ck_assert_uint_eq (page->len, 1);
  ck_assert_int_eq (job_id (page, 0), job_id (jobs, 0));

  /* purge: the cancelled job, finished 10 days ago, goes; the rest stay */
  lers_check_sql_exec (
      "UPDATE poll_jobs SET finished_at = now() - interval '10 days' WHERE state = 4");
  ck_assert_uint_eq (lers_poll_queue_purge_sync (queue, 30, NULL, &error), 0);
  ck_assert_uint_eq (lers_poll_queue_purge_sync (queue, 7, NULL, &error), 1);
  ck_assert_int_eq (lers_check_sql_int ("SELECT count(*) FROM poll_jobs"), 4);
}
END_TEST

/* ---- status and links ------------------------------------------------------ */

static guint
status_u (GVariant *status, const gchar *key)
{
  guint32 v = G_MAXUINT32;

  ck_assert_msg (g_variant_lookup (status, key, "u", &v), "no %s", key);
  return v;
}

START_TEST (test_status)
{
  g_autoptr (LersPollQueue) queue = lers_poll_queue_new (lers_check_get_store ());
  g_autoptr (GVariant) status = NULL;
  g_autoptr (GVariant) links = NULL;
  g_autoptr (GVariant) link = NULL;
  g_autoptr (GError) error = NULL;
  const gchar *s;
  gint64 x;
  guint32 q;
  gint32 failures;

  /* services: 1 running with 4 ports, 2 pending, 3 dead (8 ports, heard
   * from 10 minutes ago) */
  lers_check_sql_exec (
      "INSERT INTO poll_services (id, name, token_hash, authorised, max_links, heartbeat_at)"
      " VALUES (1, 'run', sha256('a'), true, 4, now()),"
      " (2, 'pending', sha256('b'), false, 2, now()),"
      " (3, 'dead', sha256('c'), true, 8, now() - interval '10 minutes')");
  /* links 1-4 have points, connection 5 none; 1 leased by run (active), 2
   * blocked, 3 free, 4 leased by dead but run out (free) */
  make_links (4);
  lers_check_sql_exec (
      "INSERT INTO connections (id, kind, serial_port) VALUES (5, 2, '/dev/ttyS0')");
  lers_check_sql_exec (
      "INSERT INTO poll_links (connection_id, lease_owner, lease_until, blocked_until, failures,"
      "  last_error, last_session_at) VALUES"
      " (1, 1, now() + interval '30 seconds', NULL, 0, NULL, '2026-11-30 10:00:00+00'),"
      " (2, NULL, NULL, now() + interval '5 minutes', 3, 'No answer', NULL),"
      " (3, NULL, NULL, NULL, 0, NULL, NULL),"
      " (4, 3, now() - interval '9 minutes', NULL, 0, NULL, NULL)");
  /* jobs: queued due 90 s ago and now, queued in an hour, running, done
   * twice today and once two days ago, failed once today */
  lers_check_sql_exec (
      "INSERT INTO poll_jobs (connection_id, point_id, kind, state, due_at, finished_at) VALUES"
      " (2, 2, 1, 0, now() - interval '90 seconds', NULL),"
      " (3, 3, 1, 0, now(), NULL),"
      " (3, 3, 2, 0, now() + interval '1 hour', NULL),"
      " (1, 1, 1, 1, now(), NULL),"
      " (1, 1, 2, 2, now(), now() - interval '1 hour'),"
      " (1, 1, 3, 2, now(), now() - interval '2 hours'),"
      " (4, 4, 1, 2, now(), now() - interval '2 days'),"
      " (4, 4, 2, 3, now(), now() - interval '3 hours')");

  status = lers_poll_queue_get_status_sync (queue, 60, NULL, &error);
  lers_check_assert_no_error (error);
  ck_assert_uint_eq (status_u (status, "services"), 3);
  ck_assert_uint_eq (status_u (status, "services_running"), 1);
  ck_assert_uint_eq (status_u (status, "services_pending"), 1);
  ck_assert_uint_eq (status_u (status, "ports_total"), 4);
  ck_assert_uint_eq (status_u (status, "ports_busy"), 1);
  ck_assert_uint_eq (status_u (status, "ports_free"), 3);
  ck_assert_uint_eq (status_u (status, "links_total"), 4);
  ck_assert_uint_eq (status_u (status, "links_active"), 1);
  ck_assert_uint_eq (status_u (status, "links_blocked"), 1);
  ck_assert_uint_eq (status_u (status, "links_free"), 2);
  ck_assert_uint_eq (status_u (status, "jobs_queued"), 3);
  ck_assert_uint_eq (status_u (status, "jobs_due"), 2);
  ck_assert_uint_eq (status_u (status, "jobs_running"), 1);
  ck_assert_uint_eq (status_u (status, "jobs_done_24h"), 2);
  ck_assert_uint_eq (status_u (status, "jobs_failed_24h"), 1);
  ck_assert (g_variant_lookup (status, "oldest_due_seconds", "x", &x));
  ck_assert_int_ge (x, 90);
  ck_assert_int_le (x, 100);

  links = lers_poll_queue_list_links_sync (queue, NULL, &error);
  lers_check_assert_no_error (error);
  ck_assert_uint_eq (g_variant_n_children (links), 4);
  link = g_variant_get_child_value (links, 0);
  ck_assert (g_variant_lookup (link, "connection_id", "x", &x));
  ck_assert_int_eq (x, 1);
  ck_assert (g_variant_lookup (link, "kind", "&s", &s));
  ck_assert_str_eq (s, "tcp-client");
  ck_assert (g_variant_lookup (link, "address", "&s", &s));
  ck_assert_str_eq (s, "127.0.0.1:10001");
  ck_assert (g_variant_lookup (link, "state", "&s", &s));
  ck_assert_str_eq (s, "active");
  ck_assert (g_variant_lookup (link, "service", "&s", &s));
  ck_assert_str_eq (s, "run");
  ck_assert (g_variant_lookup (link, "last_session", "x", &x));
  /* 2026-11-30 10:00:00 UTC: date -u -d '2026-11-30 10:00:00' +%s */
  ck_assert_int_eq (x, 1796032800);
  g_clear_pointer (&link, g_variant_unref);
  link = g_variant_get_child_value (links, 1);
  ck_assert (g_variant_lookup (link, "state", "&s", &s));
  ck_assert_str_eq (s, "blocked");
  ck_assert (g_variant_lookup (link, "last_error", "&s", &s));
  ck_assert_str_eq (s, "No answer");
  ck_assert (g_variant_lookup (link, "queued", "u", &q));
  ck_assert_uint_eq (q, 1);
  ck_assert (g_variant_lookup (link, "failures", "i", &failures));
  ck_assert_int_eq (failures, 3);
  ck_assert (!g_variant_lookup (link, "service", "&s", &s));
  g_clear_pointer (&link, g_variant_unref);
  link = g_variant_get_child_value (links, 3);
  ck_assert (g_variant_lookup (link, "state", "&s", &s));
  ck_assert_str_eq (s, "free");
  ck_assert (!g_variant_lookup (link, "service", "&s", &s));
}
END_TEST

static Suite *
poll_queue_suite (void)
{
  Suite *s = suite_create ("poll-queue");
  TCase *tc = tcase_create ("queue");

  tcase_add_unchecked_fixture (tc, lers_check_cluster_setup, lers_check_cluster_teardown);
  tcase_add_checked_fixture (tc, lers_check_store_setup, lers_check_store_teardown);
  tcase_set_timeout (tc, 120);
  tcase_add_test (tc, test_register);
  tcase_add_test (tc, test_heartbeat_and_state);
  tcase_add_test (tc, test_claim_race);
  tcase_add_test (tc, test_lease_takeover);
  tcase_add_test (tc, test_heartbeat_keeps_lease);
  tcase_add_test (tc, test_stopped_service_taken_over);
  tcase_add_test (tc, test_finish);
  tcase_add_test (tc, test_finish_other_failures);
  tcase_add_test (tc, test_priorities);
  tcase_add_test (tc, test_enqueue_cancel_list);
  tcase_add_test (tc, test_status);
  suite_add_tcase (s, tc);
  return s;
}

int
main (int argc, char **argv)
{
  lers_check_init (&argc, &argv);
  return lers_check_run_suite (poll_queue_suite ());
}
