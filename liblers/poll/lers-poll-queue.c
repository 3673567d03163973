/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "config.h"

#include <glib/gi18n-lib.h>
#include <inttypes.h>
#include <math.h>
#include <stdlib.h>

#include "lers-error.h"
#include "poll/lers-poll-queue-private.h"

/**
 * LersPollQueue:
 *
 * The poll job queue in PostgreSQL that any number of polling services
 * share (0006-poll-queue.sql): services and their authorisation, jobs
 * claimed link by link with `FOR UPDATE SKIP LOCKED` under leases, the
 * planner that turns schedules into jobs, backfill of gaps, and the
 * statistics of every session on a link.
 *
 * Every call is blocking: call it from a worker thread (LersPollWorker and
 * lersd do), from a command-line program or from a script.
 *
 * Since: 0.4
 */

G_DEFINE_FINAL_TYPE (LersPollQueue, lers_poll_queue, G_TYPE_OBJECT)

static void
lers_poll_queue_finalize (GObject *object)
{
  LersPollQueue *self = LERS_POLL_QUEUE (object);

  g_clear_object (&self->store);
  G_OBJECT_CLASS (lers_poll_queue_parent_class)->finalize (object);
}

static void
lers_poll_queue_class_init (LersPollQueueClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = lers_poll_queue_finalize;
}

static void
lers_poll_queue_init (LersPollQueue *self)
{
  self->retry_base = 60;
  self->retry_max = 3600;
  self->max_runtime = 1800;
}

/**
 * lers_poll_queue_new:
 * @store: an open store
 *
 * Returns: (transfer full): the queue in @store's database
 *
 * Since: 0.4
 */
LersPollQueue *
lers_poll_queue_new (LersStore *store)
{
  LersPollQueue *self;

  g_return_val_if_fail (LERS_IS_STORE (store), NULL);
  self = g_object_new (LERS_TYPE_POLL_QUEUE, NULL);
  self->store = g_object_ref (store);
  return self;
}

/**
 * lers_poll_queue_get_store:
 * @self: a queue
 *
 * Returns: (transfer none): the store
 *
 * Since: 0.4
 */
LersStore *
lers_poll_queue_get_store (LersPollQueue *self)
{
  g_return_val_if_fail (LERS_IS_POLL_QUEUE (self), NULL);
  return self->store;
}

gboolean
lers_poll_queue_run (LersPollQueue *self, LersPollQueueFunc func, gpointer data,
                     GCancellable *cancellable, GError **error)
{
  LersStoreConn *conn;
  LersStoreCancel *watch;
  gboolean ok;

  if (g_cancellable_set_error_if_cancelled (cancellable, error))
    return FALSE;
  conn = lers_store_acquire (self->store, error);
  if (conn == NULL)
    return FALSE;
  /* a pooled connection may have died while idle (a restarted server):
   * find out before sending anything, and connect again */
  if (!lers_store_conn_check (conn, error))
    {
      lers_store_release (self->store, conn);
      return FALSE;
    }
  watch = lers_store_cancel_watch (self->store, conn, cancellable);
  ok = func (conn, data, error);
  lers_store_cancel_unwatch (watch);
  if (!ok && PQstatus (conn->pg) == CONNECTION_OK && PQtransactionStatus (conn->pg) != PQTRANS_IDLE)
    {
      g_autoptr (PGresult) res = PQexec (conn->pg, "ROLLBACK");
    }
  if (!ok)
    lers_store_prefer_cancelled (cancellable, error);
  lers_store_release (self->store, conn);
  return ok;
}

/**
 * lers_poll_queue_set_retry_delay:
 * @self: a queue
 * @base_seconds: the back-off after a first failure (at least 1)
 * @max_seconds: the longest back-off
 *
 * Sets how long a failed job waits before its next attempt, and a link
 * after a failed session: @base_seconds · 2^(failures − 1), at most
 * @max_seconds. The defaults are 60 s and 3600 s.
 *
 * Since: 0.4
 */
void
lers_poll_queue_set_retry_delay (LersPollQueue *self, guint base_seconds, guint max_seconds)
{
  g_return_if_fail (LERS_IS_POLL_QUEUE (self));
  g_return_if_fail (base_seconds > 0);

  self->retry_base = base_seconds;
  self->retry_max = MAX (base_seconds, max_seconds);
}

/**
 * lers_poll_queue_set_max_runtime:
 * @self: a queue
 * @seconds: the longest an attempt of a job may run (at least 1)
 *
 * Sets how long an attempt of a running job may last: a claim by another
 * service takes over a link whose running job's current attempt started
 * more than @seconds ago, even while the service holding it still
 * heartbeats (a hung driver); that service's next heartbeat tells it it
 * lost the link. The default is 1800 s.
 *
 * Since: 0.4
 */
void
lers_poll_queue_set_max_runtime (LersPollQueue *self, guint seconds)
{
  g_return_if_fail (LERS_IS_POLL_QUEUE (self));
  g_return_if_fail (seconds > 0);

  self->max_runtime = seconds;
}

guint
lers_poll_queue_get_backoff (LersPollQueue *self, gint n)
{
  guint64 delay = self->retry_base;

  for (gint i = 1; i < n && delay < self->retry_max; i++)
    delay *= 2;
  return (guint) MIN (delay, (guint64) self->retry_max);
}

gpointer
lers_poll_queue_object_from_row (GType type, PGresult *res, gint row)
{
  g_autoptr (GTypeClass) klass = g_type_class_ref (type);
  gint n_fields = PQnfields (res);
  g_autofree const gchar **names = g_new0 (const gchar *, n_fields);
  g_autofree GValue *values = g_new0 (GValue, n_fields);
  guint n = 0;
  GObject *object;

  for (gint col = 0; col < n_fields; col++)
    {
      const gchar *name = PQfname (res, col);
      const gchar *text = PQgetvalue (res, row, col);
      GParamSpec *pspec;
      GValue *value = &values[n];
      GType vtype;

      if (PQgetisnull (res, row, col))
        continue;
      pspec = g_object_class_find_property (G_OBJECT_CLASS (klass), name);
      if (pspec == NULL)
        continue;
      vtype = G_PARAM_SPEC_VALUE_TYPE (pspec);
      g_value_init (value, vtype);
      if (vtype == G_TYPE_INT64)
        g_value_set_int64 (value, g_ascii_strtoll (text, NULL, 10));
      else if (vtype == G_TYPE_INT)
        g_value_set_int (value, (gint) g_ascii_strtoll (text, NULL, 10));
      else if (vtype == G_TYPE_UINT)
        g_value_set_uint (value, (guint) g_ascii_strtoull (text, NULL, 10));
      else if (vtype == G_TYPE_BOOLEAN)
        g_value_set_boolean (value, text[0] == 't');
      else if (vtype == G_TYPE_DOUBLE)
        g_value_set_double (value, CLAMP (g_ascii_strtod (text, NULL), 0.0, 1.0));
      else if (vtype == G_TYPE_STRING)
        g_value_set_string (value, text);
      else if (vtype == G_TYPE_DATE_TIME)
        g_value_take_boxed (value,
                            lers_store_datetime_from_unix_us (g_ascii_strtoll (text, NULL, 10)));
      else if (G_TYPE_IS_ENUM (vtype))
        g_value_set_enum (value, (gint) g_ascii_strtoll (text, NULL, 10));
      else
        {
          g_value_unset (value);
          continue;
        }
      names[n++] = g_param_spec_get_name (pspec);
    }
  object = g_object_new_with_properties (type, n, names, values);
  for (guint i = 0; i < n; i++)
    g_value_unset (&values[i]);
  return object;
}

GPtrArray *
lers_poll_queue_objects_from_result (GType type, PGresult *res)
{
  GPtrArray *objects = g_ptr_array_new_with_free_func (g_object_unref);

  for (gint row = 0; row < PQntuples (res); row++)
    g_ptr_array_add (objects, lers_poll_queue_object_from_row (type, res, row));
  return objects;
}

/* A time-stamped line of a job's log, in SQL: the server's clock, UTC. */
#define LERS_POLL_SQL_LOG_LINE(text)                                                               \
  "to_char(now() AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS\"Z \"') || " text " || E'\\n'"

/* ---- claim --------------------------------------------------------------- */

typedef struct
{
  gint64 service_id;
  const gchar *token;
  guint max_links;
  guint lease_seconds;
  const gchar *taken_over; /* translated, with %s for the old service's name */
  const gchar *stalled;    /* the same, for a job out of attempts */
  const gchar *cancelled;  /* translated log line of a cancelled job */
  guint max_runtime;
  GPtrArray *jobs;
} ClaimData;

static gboolean
claim_func (LersStoreConn *conn, gpointer user_data, GError **error)
{
  ClaimData *data = user_data;
  g_autofree gchar *service_id = g_strdup_printf ("%" G_GINT64_FORMAT, data->service_id);
  g_autofree gchar *max_links = g_strdup_printf ("%u", data->max_links);
  g_autofree gchar *lease = g_strdup_printf ("%u", data->lease_seconds);
  g_autoptr (PGresult) check = NULL;
  g_autoptr (PGresult) picked = NULL;
  g_autoptr (PGresult) taken = NULL;
  g_autoptr (PGresult) jobs = NULL;
  g_autoptr (GString) ids = g_string_new ("{");

  if (!lers_store_exec_simple (conn, "BEGIN", error))
    return FALSE;
  {
    /* the token's hash, never the token, goes to the server (and its log) */
    g_autofree gchar *token_hash
        = g_compute_checksum_for_string (G_CHECKSUM_SHA256, data->token, -1);
    const gchar *params[] = { service_id, token_hash };
    check = lers_store_exec (conn,
                             "SELECT name FROM poll_services WHERE id = $1 AND authorised"
                             " AND token_hash = " LERS_POLL_SQL_TOKEN ("$2"),
                             2, params, error);
    if (check == NULL)
      return FALSE;
    if (PQntuples (check) == 0)
      {
        g_set_error (
            error, LERS_ERROR, LERS_ERROR_PERMISSION_DENIED,
            _ ("Polling service %" PRId64 " is unknown, not authorised or presented another token"),
            data->service_id);
        return FALSE;
      }
  }
  /* The links to lease: first free ones with a job still running on them
   * (its service's lease ran out: it died or stalled; or it stopped, or
   * lost its authorisation, before finishing), then free ones (or
   * with a lease run out) with a due job, by the job's priority and then
   * how long it is overdue; a link in back-off only for a manual read or
   * an alarm. The due jobs are grouped by link first (one row a link,
   * its best priority and oldest due time): a bus of 50 meters has 50 due
   * jobs, and walking job rows instead would find only a few links a claim
   * and leave ports idle. */
  {
    g_autofree gchar *walk = g_strdup_printf ("%u", MIN (data->max_links, 100000) * 2 + 16);
    g_autofree gchar *runtime = g_strdup_printf ("%u", MIN (data->max_runtime, G_MAXINT32));
    const gchar *params[] = { service_id, max_links, lease, walk, runtime };
    picked = lers_store_exec (
        conn,
        "WITH stalled AS (SELECT l.connection_id, -1 AS priority, l.lease_until AS due_at"
        "  FROM poll_links l WHERE l.connection_id IN (SELECT r.connection_id FROM poll_jobs r"
        "   WHERE r.state = 1)"
        "  AND l.lease_owner IS DISTINCT FROM $1::bigint"
        "  AND (l.lease_owner IS NULL OR l.lease_until IS NULL OR l.lease_until < now()"
        "   OR EXISTS (SELECT 1 FROM poll_jobs r WHERE r.connection_id = l.connection_id"
        "    AND r.state = 1"
        "    AND r.attempt_started_at < now() - make_interval(secs => $5::integer)))"
        "  FOR UPDATE OF l SKIP LOCKED),"
        " waiting AS (SELECT j.connection_id, min(j.priority)::integer AS priority,"
        "   min(j.due_at) AS due_at FROM poll_jobs j WHERE j.state = 0 AND j.due_at <= now()"
        "   GROUP BY j.connection_id),"
        " due AS (SELECT l.connection_id, w.priority, w.due_at"
        "  FROM waiting w JOIN poll_links l ON l.connection_id = w.connection_id"
        "  WHERE (l.lease_owner IS NULL OR l.lease_until IS NULL OR l.lease_until < now())"
        "  AND (l.blocked_until IS NULL OR l.blocked_until <= now() OR w.priority <= 1)"
        "  ORDER BY w.priority, w.due_at LIMIT $4::integer FOR UPDATE OF l SKIP LOCKED),"
        " chosen AS (SELECT connection_id FROM (SELECT DISTINCT ON (connection_id) *"
        "   FROM (SELECT * FROM stalled UNION ALL SELECT * FROM due) AS u"
        "   ORDER BY connection_id, priority, due_at) AS best"
        "  ORDER BY priority, due_at, connection_id LIMIT $2::integer)"
        " UPDATE poll_links l SET lease_owner = $1::bigint,"
        "  lease_until = now() + make_interval(secs => $3::integer)"
        " FROM chosen WHERE l.connection_id = chosen.connection_id"
        " RETURNING l.connection_id",
        5, params, error);
    if (picked == NULL)
      return FALSE;
  }
  if (PQntuples (picked) == 0)
    {
      if (!lers_store_exec_simple (conn, "COMMIT", error))
        return FALSE;
      data->jobs = g_ptr_array_new_with_free_func (g_object_unref);
      return TRUE;
    }
  for (gint i = 0; i < PQntuples (picked); i++)
    g_string_append_printf (ids, "%s%s", i > 0 ? "," : "", PQgetvalue (picked, i, 0));
  g_string_append_c (ids, '}');

  /* Jobs still running on those links: their service's lease ran out (it
   * died or stalled). Back to the queue, or failed when out of attempts. */
  {
    const gchar *params[] = { ids->str, data->taken_over, data->stalled, data->cancelled };
    /* a cancel asked for wins (the job is cancelled, not read again); a
     * job out of attempts fails and counts on the service that had it */
    taken = lers_store_exec (
        conn,
        "WITH t AS (UPDATE poll_jobs j SET"
        " state = CASE WHEN j.cancel_requested THEN 4"
        "   WHEN j.attempts >= j.max_attempts THEN 3 ELSE 0 END,"
        " finished_at = CASE WHEN j.cancel_requested OR j.attempts >= j.max_attempts"
        "   THEN now() END,"
        " error = CASE WHEN j.cancel_requested THEN j.error WHEN j.attempts >= j.max_attempts"
        "   THEN format($3, coalesce(s.name, j.service_id::text)) ELSE j.error END,"
        " error_code = CASE WHEN j.cancel_requested THEN 'cancelled'"
        "   WHEN j.attempts >= j.max_attempts THEN 'connection' ELSE j.error_code END,"
        " cancel_requested = false, attempt_started_at = NULL,"
        " log = j.log || " LERS_POLL_SQL_LOG_LINE (
            "CASE WHEN j.cancel_requested THEN $4"
            " ELSE format(CASE WHEN j.attempts >= j.max_attempts THEN $3 ELSE $2 END,"
            " coalesce(s.name, j.service_id::text)) END") " FROM poll_jobs j0"
                                                          " LEFT JOIN poll_services s ON s.id = "
                                                          "j0.service_id"
                                                          " WHERE j0.id = j.id"
                                                          " AND j.connection_id = "
                                                          "ANY ($1::bigint[]) AND j.state = 1"
                                                          " RETURNING j.id, j.state,"
                                                          " j0.service_id AS old),"
                                                          " f AS (UPDATE poll_services s SET "
                                                          "jobs_failed = s.jobs_failed + c.n"
                                                          "  FROM (SELECT old, count(*) AS n FROM "
                                                          "t WHERE state = 3 GROUP BY old) AS c"
                                                          "  WHERE s.id = c.old RETURNING 1)"
                                                          " SELECT id FROM t",
        4, params, error);
    if (taken == NULL)
      return FALSE;
    if (PQntuples (taken) > 0)
      g_message ("Polling service %" G_GINT64_FORMAT " took over %d jobs of a stalled service",
                 data->service_id, PQntuples (taken));
  }
  {
    const gchar *params[] = { ids->str, service_id };
    jobs = lers_store_exec (conn,
                            "WITH j AS (UPDATE poll_jobs SET state = 1, service_id = $2::bigint,"
                            "  started_at = coalesce(started_at, now()), attempts = attempts + 1,"
                            "  attempt_started_at = now(),"
                            "  cancel_requested = false, progress = 0, message = NULL"
                            " WHERE connection_id = ANY ($1::bigint[]) AND state = 0"
                            "  AND due_at <= now() RETURNING *)"
                            " SELECT " LERS_POLL_JOB_COLUMNS " FROM j"
                            " ORDER BY j.connection_id, j.priority, j.id",
                            2, params, error);
    if (jobs == NULL)
      return FALSE;
  }
  if (!lers_store_exec_simple (conn, "COMMIT", error))
    return FALSE;
  data->jobs = lers_poll_queue_objects_from_result (LERS_TYPE_POLL_JOB, jobs);
  return TRUE;
}

/**
 * lers_poll_queue_claim_sync:
 * @self: a queue
 * @service_id: the claiming service's id (from lers_poll_queue_register_service_sync())
 * @token: the service's token
 * @max_links: how many links the service may lease now
 * @lease_seconds: how long the leases last unless the service's heartbeat
 *   extends them
 * @cancellable: (nullable): a #GCancellable
 * @error: return location for a #GError
 *
 * Leases up to @max_links links that have a due job (free ones, or ones
 * whose lease ran out), best priority first, and returns every due job of
 * those links, now running on the service, ordered by connection, priority
 * and id. A link in back-off after failed sessions is leased only for a
 * manual read or an alarm. Jobs that were still running on a leased link
 * (their service stopped heartbeating) are taken over: queued again, with
 * a line in their log naming the old service, and started here.
 *
 * A service that is unknown, not authorised or presents another token
 * gets %LERS_ERROR_PERMISSION_DENIED and claims nothing.
 *
 * Returns: (transfer container) (element-type LersPollJob): the jobs to
 *   read, perhaps none; %NULL on error
 *
 * Since: 0.4
 */
GPtrArray *
lers_poll_queue_claim_sync (LersPollQueue *self, gint64 service_id, const gchar *token,
                            guint max_links, guint lease_seconds, GCancellable *cancellable,
                            GError **error)
{
  ClaimData data
      = { service_id,        token, max_links, MAX (lease_seconds, 1), NULL, NULL, _ ("Cancelled"),
          self->max_runtime, NULL };

  g_return_val_if_fail (LERS_IS_POLL_QUEUE (self), NULL);
  g_return_val_if_fail (token != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (max_links == 0)
    return g_ptr_array_new_with_free_func (g_object_unref);
  /* TRANSLATORS: a line of a poll job's log; %s is a polling service's name */
  data.taken_over = _ ("Taken over from polling service %s, which stopped answering");
  /* TRANSLATORS: a poll job's error; %s is a polling service's name */
  data.stalled = _ ("Polling service %s stopped answering during the last attempt");
  if (!lers_poll_queue_run (self, claim_func, &data, cancellable, error))
    {
      g_clear_pointer (&data.jobs, g_ptr_array_unref);
      return NULL;
    }
  return data.jobs;
}

/* ---- progress and finish --------------------------------------------------- */

typedef struct
{
  gint64 service_id;
  gint64 job_id;
  gint attempt;
  gdouble fraction;
  const gchar *message;
} ProgressData;

static gboolean
progress_func (LersStoreConn *conn, gpointer user_data, GError **error)
{
  ProgressData *data = user_data;
  g_autofree gchar *id = g_strdup_printf ("%" G_GINT64_FORMAT, data->job_id);
  g_autofree gchar *service_id = g_strdup_printf ("%" G_GINT64_FORMAT, data->service_id);
  g_autofree gchar *attempt = g_strdup_printf ("%d", data->attempt);
  gchar fraction[G_ASCII_DTOSTR_BUF_SIZE];
  const gchar *params[] = { id, fraction, data->message, service_id, attempt };
  g_autoptr (PGresult) res = NULL;

  g_ascii_dtostr (fraction, sizeof fraction, data->fraction);
  res = lers_store_exec (conn,
                         "UPDATE poll_jobs SET progress = $2::real, message = $3"
                         " WHERE id = $1 AND state = 1 AND service_id = $4::bigint"
                         " AND attempts = $5::integer",
                         5, params, error);
  if (res == NULL)
    return FALSE;
  if (g_strcmp0 (PQcmdTuples (res), "0") == 0)
    {
      g_set_error (
          error, LERS_ERROR, LERS_ERROR_NOT_FOUND,
          _ ("Job %" PRId64 " is not running or was taken over by another polling service"),
          data->job_id);
      return FALSE;
    }
  return TRUE;
}

/**
 * lers_poll_queue_set_progress_sync:
 * @self: a queue
 * @service_id: the service running the job
 * @job_id: a running job
 * @attempt: the job's attempts as claimed (lers_poll_job_get_attempts())
 * @fraction: how far it is, from 0 to 1
 * @message: (nullable): what it is doing now, as a user reads it
 * @cancellable: (nullable): a #GCancellable
 * @error: return location for a #GError
 *
 * Records the progress of a job running on @service_id in its @attempt;
 * %LERS_ERROR_NOT_FOUND if it is not running, or no longer in that attempt
 * on that service (taken over).
 *
 * Returns: %TRUE on success
 *
 * Since: 0.4
 */
gboolean
lers_poll_queue_set_progress_sync (LersPollQueue *self, gint64 service_id, gint64 job_id,
                                   gint attempt, gdouble fraction, const gchar *message,
                                   GCancellable *cancellable, GError **error)
{
  ProgressData data
      = { service_id, job_id, attempt, CLAMP (isnan (fraction) ? 0 : fraction, 0, 1), message };

  g_return_val_if_fail (LERS_IS_POLL_QUEUE (self), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);
  return lers_poll_queue_run (self, progress_func, &data, cancellable, error);
}

typedef struct
{
  LersPollQueue *queue;
  gint64 service_id;
  gint64 job_id;
  gint attempt;
  gint records;
  const GError *failure;
  const gchar *log;
  LersPollJobState state;
} FinishData;

static gboolean
lers_poll_queue_is_retryable (const GError *failure)
{
  if (failure->domain == LERS_ERROR)
    switch (failure->code)
      {
      case LERS_ERROR_TIMED_OUT:
      case LERS_ERROR_CONNECTION:
      case LERS_ERROR_BUSY:
      case LERS_ERROR_CHECKSUM:
      case LERS_ERROR_INVALID_DATA:
      case LERS_ERROR_DATABASE:
        return TRUE;
      default:
        return FALSE;
      }
  return g_error_matches (failure, G_IO_ERROR, G_IO_ERROR_TIMED_OUT)
         || g_error_matches (failure, G_IO_ERROR, G_IO_ERROR_CONNECTION_REFUSED)
         || g_error_matches (failure, G_IO_ERROR, G_IO_ERROR_HOST_UNREACHABLE)
         || g_error_matches (failure, G_IO_ERROR, G_IO_ERROR_NETWORK_UNREACHABLE)
         || g_error_matches (failure, G_IO_ERROR, G_IO_ERROR_BROKEN_PIPE)
         || g_error_matches (failure, G_IO_ERROR, G_IO_ERROR_CONNECTION_CLOSED);
}

/* A failure that means the meter could not be reached */
static gboolean
lers_poll_queue_is_no_connection (const GError *failure)
{
  return g_error_matches (failure, LERS_ERROR, LERS_ERROR_TIMED_OUT)
         || g_error_matches (failure, LERS_ERROR, LERS_ERROR_CONNECTION)
         || g_error_matches (failure, G_IO_ERROR, G_IO_ERROR_TIMED_OUT)
         || g_error_matches (failure, G_IO_ERROR, G_IO_ERROR_CONNECTION_REFUSED)
         || g_error_matches (failure, G_IO_ERROR, G_IO_ERROR_HOST_UNREACHABLE)
         || g_error_matches (failure, G_IO_ERROR, G_IO_ERROR_NETWORK_UNREACHABLE);
}

static const gchar *
lers_poll_queue_failure_code (const GError *failure)
{
  if (failure->domain == LERS_ERROR)
    return lers_error_code_to_string (failure);
  if (g_error_matches (failure, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return "cancelled";
  if (g_error_matches (failure, G_IO_ERROR, G_IO_ERROR_TIMED_OUT))
    return "timed-out";
  if (lers_poll_queue_is_retryable (failure))
    return "connection";
  return "failed";
}

static gboolean
finish_func (LersStoreConn *conn, gpointer user_data, GError **error)
{
  FinishData *data = user_data;
  const GError *failure = data->failure;
  g_autofree gchar *job_id = g_strdup_printf ("%" G_GINT64_FORMAT, data->job_id);
  g_autofree gchar *service_id = g_strdup_printf ("%" G_GINT64_FORMAT, data->service_id);
  g_autofree gchar *state = NULL;
  g_autofree gchar *records = NULL;
  g_autofree gchar *delay = NULL;
  g_autofree gchar *line = NULL;
  g_autoptr (GString) log = g_string_new (data->log);
  g_autoptr (PGresult) job = NULL;
  g_autoptr (PGresult) update = NULL;
  gint attempts, max_attempts;
  const gchar *point_id;

  if (!lers_store_exec_simple (conn, "BEGIN", error))
    return FALSE;
  {
    const gchar *params[] = { job_id };
    job = lers_store_exec (conn,
                           "SELECT state, service_id, attempts, max_attempts, point_id,"
                           " cancel_requested FROM poll_jobs WHERE id = $1 FOR UPDATE",
                           1, params, error);
    if (job == NULL)
      return FALSE;
  }
  if (PQntuples (job) == 0)
    {
      g_set_error (error, LERS_ERROR, LERS_ERROR_NOT_FOUND, _ ("Job %" PRId64 " does not exist"),
                   data->job_id);
      return FALSE;
    }
  if (strcmp (PQgetvalue (job, 0, 0), "1") != 0 || strcmp (PQgetvalue (job, 0, 1), service_id) != 0
      || atoi (PQgetvalue (job, 0, 2)) != data->attempt)
    {
      g_set_error (error, LERS_ERROR, LERS_ERROR_NOT_FOUND,
                   _ ("Job %" PRId64 " was taken over by another polling service"), data->job_id);
      return FALSE;
    }
  attempts = atoi (PQgetvalue (job, 0, 2));
  max_attempts = atoi (PQgetvalue (job, 0, 3));
  point_id = PQgetvalue (job, 0, 4);

  if (failure == NULL)
    data->state = LERS_POLL_JOB_STATE_DONE;
  else if (g_error_matches (failure, LERS_ERROR, LERS_ERROR_CANCELLED)
           || g_error_matches (failure, G_IO_ERROR, G_IO_ERROR_CANCELLED)
           || PQgetvalue (job, 0, 5)[0] == 't')
    data->state = LERS_POLL_JOB_STATE_CANCELLED;
  else if (lers_poll_queue_is_retryable (failure) && attempts < max_attempts)
    data->state = LERS_POLL_JOB_STATE_QUEUED;
  else
    data->state = LERS_POLL_JOB_STATE_FAILED;

  if (log->len > 0 && log->str[log->len - 1] != '\n')
    g_string_append_c (log, '\n');
  if (data->state == LERS_POLL_JOB_STATE_CANCELLED)
    line = g_strdup (_ ("Cancelled"));
  else if (failure != NULL)
    /* TRANSLATORS: a line of a poll job's log: attempt 2 of 5 failed: the cause */
    line = g_strdup_printf (_ ("Attempt %d of %d failed: %s"), attempts, max_attempts,
                            failure->message);
  state = g_strdup_printf ("%d", data->state);
  records = g_strdup_printf ("%d", MAX (data->records, 0));
  delay = g_strdup_printf ("%u", lers_poll_queue_get_backoff (data->queue, MAX (attempts, 1)));
  {
    const gchar *params[] = { job_id,
                              state,
                              records,
                              delay,
                              failure != NULL ? failure->message : NULL,
                              failure != NULL ? lers_poll_queue_failure_code (failure) : NULL,
                              log->str,
                              line };
    update = lers_store_exec (
        conn,
        "UPDATE poll_jobs SET state = $2::smallint,"
        " records = CASE WHEN $2 = '2' THEN $3::integer ELSE records END,"
        " progress = CASE WHEN $2 = '2' THEN 1 ELSE progress END,"
        " finished_at = CASE WHEN $2 = '0' THEN NULL ELSE now() END,"
        " due_at = CASE WHEN $2 = '0' THEN now() + make_interval(secs => $4::integer)"
        "   ELSE due_at END,"
        " error = $5, error_code = $6,"
        " message = NULL,"
        " log = log || $7 || coalesce(" LERS_POLL_SQL_LOG_LINE ("$8") ", '')"
                                                                      " WHERE id = $1",
        8, params, error);
    if (update == NULL)
      return FALSE;
  }
  if (data->state == LERS_POLL_JOB_STATE_DONE || data->state == LERS_POLL_JOB_STATE_FAILED)
    {
      const gchar *params[] = { service_id };
      g_autoptr (PGresult) res = lers_store_exec (
          conn,
          data->state == LERS_POLL_JOB_STATE_DONE
              ? "UPDATE poll_services SET jobs_done = jobs_done + 1 WHERE id = $1"
              : "UPDATE poll_services SET jobs_failed = jobs_failed + 1 WHERE id = $1",
          1, params, error);
      if (res == NULL)
        return FALSE;
    }
  if (data->state == LERS_POLL_JOB_STATE_DONE)
    {
      /* the meter answers again */
      const gchar *params[] = { point_id };
      g_autoptr (PGresult) res
          = lers_store_exec (conn,
                             "UPDATE meter_events SET ended_at = greatest(now(), started_at)"
                             " WHERE point_id = $1 AND code = 'no-connection' AND ended_at IS NULL",
                             1, params, error);
      if (res == NULL)
        return FALSE;
    }
  else if (data->state == LERS_POLL_JOB_STATE_FAILED && lers_poll_queue_is_no_connection (failure))
    {
      const gchar *params[] = { job_id, failure->message };
      g_autoptr (PGresult) res = lers_store_exec (
          conn,
          "INSERT INTO meter_events (point_id, device_id, channel, code, severity, text,"
          "  started_at)"
          " SELECT p.id, p.device_id, p.channel, 'no-connection', 1, $2,"
          "  coalesce(j.started_at, now())"
          " FROM poll_jobs j JOIN measure_points p ON p.id = j.point_id WHERE j.id = $1"
          " AND NOT EXISTS (SELECT 1 FROM meter_events e WHERE e.point_id = p.id"
          "  AND e.code = 'no-connection' AND e.ended_at IS NULL)"
          " ON CONFLICT DO NOTHING",
          2, params, error);
      if (res == NULL)
        return FALSE;
    }
  return lers_store_exec_simple (conn, "COMMIT", error);
}

/**
 * lers_poll_queue_finish_job_sync:
 * @self: a queue
 * @service_id: the service running the job
 * @job_id: the job
 * @attempt: the job's attempts as claimed (lers_poll_job_get_attempts())
 * @records: how many records were stored (for a done job)
 * @failure: (nullable): why the attempt failed; %NULL: it succeeded
 * @log: (nullable): lines to append to the job's log
 * @cancellable: (nullable): a #GCancellable
 * @error: return location for a #GError
 *
 * Ends an attempt of a job running on @service_id. @log is appended to the
 * job's log, then, for a failure, a time-stamped line with its message.
 *
 * Without @failure the job is done: its records and progress 1 are kept,
 * the service's jobs done counted, and an open "no-connection" meter event
 * of the point is closed. A %LERS_ERROR_CANCELLED failure cancels it. A
 * failure that may pass (%LERS_ERROR_TIMED_OUT, %LERS_ERROR_CONNECTION,
 * %LERS_ERROR_BUSY, %LERS_ERROR_CHECKSUM, %LERS_ERROR_INVALID_DATA,
 * %LERS_ERROR_DATABASE) before the last attempt queues it again after a
 * back-off (see lers_poll_queue_set_retry_delay()); any other failure, or
 * the last attempt's, fails it and counts it on the service; when the meter
 * could not be reached (timed out, no connection) the point also gets a
 * "no-connection" meter event (severity warning) from the job's first
 * start, unless one is open.
 *
 * A failure of a job whose cancel was asked for cancels it (a cancel is
 * never lost to a retry). A job that is no longer running on @service_id in
 * @attempt (another service, or a later claim, took it over) is
 * %LERS_ERROR_NOT_FOUND and is left as it is.
 *
 * Returns: the job's new state; on error %LERS_POLL_JOB_STATE_RUNNING
 *
 * Since: 0.4
 */
LersPollJobState
lers_poll_queue_finish_job_sync (LersPollQueue *self, gint64 service_id, gint64 job_id,
                                 gint attempt, gint records, const GError *failure,
                                 const gchar *log, GCancellable *cancellable, GError **error)
{
  FinishData data = { self,
                      service_id,
                      job_id,
                      attempt,
                      records,
                      failure,
                      log != NULL ? log : "",
                      LERS_POLL_JOB_STATE_RUNNING };

  g_return_val_if_fail (LERS_IS_POLL_QUEUE (self), LERS_POLL_JOB_STATE_RUNNING);
  g_return_val_if_fail (error == NULL || *error == NULL, LERS_POLL_JOB_STATE_RUNNING);

  if (!lers_poll_queue_run (self, finish_func, &data, cancellable, error))
    return LERS_POLL_JOB_STATE_RUNNING;
  return data.state;
}

/**
 * lers_poll_queue_complete_job_sync:
 * @self: a queue
 * @service_id: the service running the job
 * @job_id: the job
 * @attempt: the job's attempts as claimed (lers_poll_job_get_attempts())
 * @records: how many records were stored
 * @log: (nullable): lines to append to the job's log
 * @cancellable: (nullable): a #GCancellable
 * @error: return location for a #GError
 *
 * Ends a job that went well: lers_poll_queue_finish_job_sync() without a
 * failure, for bindings that cannot pass a %NULL #GError (PyGObject).
 *
 * Returns: %TRUE if the job is done now
 *
 * Since: 0.4
 */
gboolean
lers_poll_queue_complete_job_sync (LersPollQueue *self, gint64 service_id, gint64 job_id,
                                   gint attempt, gint records, const gchar *log,
                                   GCancellable *cancellable, GError **error)
{
  return lers_poll_queue_finish_job_sync (self, service_id, job_id, attempt, records, NULL, log,
                                          cancellable, error)
         == LERS_POLL_JOB_STATE_DONE;
}

/* ---- links --------------------------------------------------------------- */

typedef struct
{
  LersPollQueue *queue;
  gint64 service_id;
  gint64 connection_id;
  const gchar *link_error;
} ReleaseData;

static gboolean
release_func (LersStoreConn *conn, gpointer user_data, GError **error)
{
  ReleaseData *data = user_data;
  g_autofree gchar *service_id = g_strdup_printf ("%" G_GINT64_FORMAT, data->service_id);
  g_autofree gchar *connection_id = g_strdup_printf ("%" G_GINT64_FORMAT, data->connection_id);
  g_autofree gchar *base = g_strdup_printf ("%u", data->queue->retry_base);
  g_autofree gchar *max = g_strdup_printf ("%u", data->queue->retry_max);
  const gchar *params[] = { connection_id, service_id, data->link_error, base, max };
  g_autoptr (PGresult) res = NULL;

  if (data->link_error == NULL)
    res = lers_store_exec (conn,
                           "UPDATE poll_links SET lease_owner = NULL, lease_until = NULL,"
                           " failures = 0, blocked_until = NULL, last_session_at = now()"
                           " WHERE connection_id = $1 AND lease_owner = $2",
                           2, params, error);
  else
    /* back-off: base · 2^(failures − 1) after this failure, capped */
    res = lers_store_exec (conn,
                           "UPDATE poll_links SET lease_owner = NULL, lease_until = NULL,"
                           " failures = failures + 1, last_error = $3,"
                           " blocked_until = now() + make_interval(secs =>"
                           "  least($4::float8 * power(2, least(failures, 30)), $5::float8))"
                           " WHERE connection_id = $1 AND lease_owner = $2",
                           5, params, error);
  return res != NULL;
}

/**
 * lers_poll_queue_release_link_sync:
 * @self: a queue
 * @service_id: the service holding the link
 * @connection_id: the link
 * @link_error: (nullable): why the session on the link failed; %NULL: it
 *   went well
 * @cancellable: (nullable): a #GCancellable
 * @error: return location for a #GError
 *
 * Gives up the service's lease of a link after a session. After a good
 * session the link's failures are forgotten; after a failed one they are
 * counted and the link waits out a back-off (only manual reads and alarms
 * are claimed on it meanwhile). A link the service no longer holds is left
 * as it is.
 *
 * Returns: %TRUE on success
 *
 * Since: 0.4
 */
gboolean
lers_poll_queue_release_link_sync (LersPollQueue *self, gint64 service_id, gint64 connection_id,
                                   const gchar *link_error, GCancellable *cancellable,
                                   GError **error)
{
  ReleaseData data = { self, service_id, connection_id, link_error };

  g_return_val_if_fail (LERS_IS_POLL_QUEUE (self), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);
  return lers_poll_queue_run (self, release_func, &data, cancellable, error);
}

/* ---- enqueue, cancel, list ------------------------------------------------ */

typedef struct
{
  const gint64 *point_ids;
  guint n_points;
  const LersArchiveKind *kinds;
  guint n_kinds;
  GDateTime *from;
  GDateTime *to;
  LersPollPriority priority;
  const gchar *requested_by;
  GPtrArray *jobs;
} EnqueueData;

static gchar *
lers_poll_queue_format_time (GDateTime *dt)
{
  return dt != NULL ? g_date_time_format_iso8601 (dt) : NULL;
}

static gboolean
enqueue_func (LersStoreConn *conn, gpointer user_data, GError **error)
{
  EnqueueData *data = user_data;
  g_autoptr (GString) points = g_string_new ("{");
  g_autoptr (GString) kinds = g_string_new ("{");
  g_autofree gchar *from = lers_poll_queue_format_time (data->from);
  g_autofree gchar *to = lers_poll_queue_format_time (data->to);
  g_autofree gchar *priority = g_strdup_printf ("%d", data->priority);
  g_autoptr (PGresult) check = NULL;
  g_autoptr (PGresult) links = NULL;
  g_autoptr (PGresult) jobs = NULL;

  for (guint i = 0; i < data->n_points; i++)
    g_string_append_printf (points, "%s%" G_GINT64_FORMAT, i > 0 ? "," : "", data->point_ids[i]);
  g_string_append_c (points, '}');
  for (guint i = 0; i < data->n_kinds; i++)
    g_string_append_printf (kinds, "%s%d", i > 0 ? "," : "", data->kinds[i]);
  g_string_append_c (kinds, '}');

  if (!lers_store_exec_simple (conn, "BEGIN", error))
    return FALSE;
  {
    const gchar *params[] = { points->str };
    check = lers_store_exec (conn,
                             "SELECT u.id, p.id IS NOT NULL, d.connection_id"
                             " FROM unnest($1::bigint[]) WITH ORDINALITY AS u (id, n)"
                             " LEFT JOIN measure_points p ON p.id = u.id"
                             " LEFT JOIN devices d ON d.id = p.device_id ORDER BY u.n",
                             1, params, error);
    if (check == NULL)
      return FALSE;
  }
  for (gint i = 0; i < PQntuples (check); i++)
    {
      if (strcmp (PQgetvalue (check, i, 1), "t") != 0)
        {
          g_set_error (error, LERS_ERROR, LERS_ERROR_NOT_FOUND,
                       _ ("Measure point %s does not exist"), PQgetvalue (check, i, 0));
          return FALSE;
        }
      if (PQgetisnull (check, i, 2))
        {
          g_set_error (error, LERS_ERROR, LERS_ERROR_INVALID_ARGUMENT,
                       _ ("Measure point %s has no device with a connection to read it over"),
                       PQgetvalue (check, i, 0));
          return FALSE;
        }
    }
  {
    const gchar *params[] = { points->str };
    links = lers_store_exec (conn,
                             "INSERT INTO poll_links (connection_id)"
                             " SELECT DISTINCT d.connection_id FROM measure_points p"
                             " JOIN devices d ON d.id = p.device_id"
                             " WHERE p.id = ANY ($1::bigint[]) ON CONFLICT DO NOTHING",
                             1, params, error);
    if (links == NULL)
      return FALSE;
  }
  {
    const gchar *params[] = { points->str, kinds->str, from, to, priority, data->requested_by };
    jobs = lers_store_exec (
        conn,
        "WITH j AS (INSERT INTO poll_jobs (connection_id, point_id, kind, from_at, to_at,"
        "   priority, requested_by)"
        "  SELECT d.connection_id, p.id, k.kind, $3::timestamptz, $4::timestamptz,"
        "   $5::smallint, $6"
        "  FROM unnest($1::bigint[]) WITH ORDINALITY AS u (id, n)"
        "  JOIN measure_points p ON p.id = u.id JOIN devices d ON d.id = p.device_id"
        "  CROSS JOIN unnest($2::smallint[]) WITH ORDINALITY AS k (kind, m)"
        "  ORDER BY u.n, k.m"
        "  ON CONFLICT DO NOTHING RETURNING *)"
        " SELECT " LERS_POLL_JOB_COLUMNS " FROM j ORDER BY j.id",
        6, params, error);
    if (jobs == NULL)
      return FALSE;
  }
  if (data->priority <= LERS_POLL_PRIORITY_ALARM)
    {
      const gchar *params[] = { LERS_POLL_CHANNEL_JOBS, points->str };
      g_autoptr (PGresult) res
          = lers_store_exec (conn,
                             "SELECT pg_notify($1, c::text) FROM (SELECT DISTINCT d.connection_id"
                             " FROM measure_points p JOIN devices d ON d.id = p.device_id"
                             " WHERE p.id = ANY ($2::bigint[])) AS x (c)",
                             2, params, error);
      if (res == NULL)
        return FALSE;
    }
  if (!lers_store_exec_simple (conn, "COMMIT", error))
    return FALSE;
  data->jobs = lers_poll_queue_objects_from_result (LERS_TYPE_POLL_JOB, jobs);
  return TRUE;
}

/**
 * lers_poll_queue_enqueue_sync:
 * @self: a queue
 * @point_ids: (array length=n_points): the measure points to read
 * @n_points: how many
 * @kinds: (array length=n_kinds): the archives to read of each
 * @n_kinds: how many
 * @from: (nullable): start of the range; %NULL: from the last stored record
 * @to: (nullable): end of the range; %NULL: up to now
 * @priority: the jobs' priority (%LERS_POLL_PRIORITY_MANUAL for a user's read)
 * @requested_by: (nullable): who asks (a user name, a program)
 * @cancellable: (nullable): a #GCancellable
 * @error: return location for a #GError
 *
 * Queues one job for every point and kind, due now, over the link of the
 * point's device. A manual read or an alarm is announced on
 * %LERS_POLL_CHANNEL_JOBS (payload: the connection id) so that a polling
 * service starts it at once. A point that does not exist is
 * %LERS_ERROR_NOT_FOUND, one without a device or connection
 * %LERS_ERROR_INVALID_ARGUMENT; then nothing is queued. A backfill job for
 * a point and kind that has one queued or running already is not added
 * again.
 *
 * Returns: (transfer container) (element-type LersPollJob): the queued
 *   jobs, in the order of @point_ids then @kinds; %NULL on error
 *
 * Since: 0.4
 */
GPtrArray *
lers_poll_queue_enqueue_sync (LersPollQueue *self, const gint64 *point_ids, guint n_points,
                              const LersArchiveKind *kinds, guint n_kinds, GDateTime *from,
                              GDateTime *to, LersPollPriority priority, const gchar *requested_by,
                              GCancellable *cancellable, GError **error)
{
  EnqueueData data
      = { point_ids, n_points, kinds, n_kinds, from, to, priority, requested_by, NULL };

  g_return_val_if_fail (LERS_IS_POLL_QUEUE (self), NULL);
  g_return_val_if_fail (point_ids != NULL || n_points == 0, NULL);
  g_return_val_if_fail (kinds != NULL || n_kinds == 0, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (n_points == 0 || n_kinds == 0)
    {
      g_set_error_literal (error, LERS_ERROR, LERS_ERROR_INVALID_ARGUMENT,
                           _ ("Choose at least one measure point and one archive to read"));
      return NULL;
    }
  for (guint i = 0; i < n_kinds; i++)
    if ((gint) kinds[i] < LERS_ARCHIVE_KIND_CURRENT || kinds[i] > LERS_ARCHIVE_KIND_EVENTS)
      {
        g_set_error (error, LERS_ERROR, LERS_ERROR_INVALID_ARGUMENT, _ ("Unknown archive kind %d"),
                     (gint) kinds[i]);
        return NULL;
      }
  if ((gint) priority < LERS_POLL_PRIORITY_MANUAL || priority > LERS_POLL_PRIORITY_ROUTINE)
    {
      g_set_error (error, LERS_ERROR, LERS_ERROR_INVALID_ARGUMENT, _ ("Unknown priority %d"),
                   (gint) priority);
      return NULL;
    }
  if (from != NULL && to != NULL && g_date_time_compare (from, to) > 0)
    {
      g_set_error_literal (error, LERS_ERROR, LERS_ERROR_INVALID_ARGUMENT,
                           _ ("The start of the range to read is after its end"));
      return NULL;
    }
  if (!lers_poll_queue_run (self, enqueue_func, &data, cancellable, error))
    {
      g_clear_pointer (&data.jobs, g_ptr_array_unref);
      return NULL;
    }
  return data.jobs;
}

typedef struct
{
  gint64 job_id;
  const gchar *line;
} CancelData;

static gboolean
cancel_func (LersStoreConn *conn, gpointer user_data, GError **error)
{
  CancelData *data = user_data;
  g_autofree gchar *id = g_strdup_printf ("%" G_GINT64_FORMAT, data->job_id);
  g_autoptr (PGresult) job = NULL;
  g_autoptr (PGresult) res = NULL;
  gint state;

  if (!lers_store_exec_simple (conn, "BEGIN", error))
    return FALSE;
  {
    const gchar *params[] = { id };
    job = lers_store_exec (conn, "SELECT state FROM poll_jobs WHERE id = $1 FOR UPDATE", 1, params,
                           error);
    if (job == NULL)
      return FALSE;
  }
  if (PQntuples (job) == 0)
    {
      g_set_error (error, LERS_ERROR, LERS_ERROR_NOT_FOUND, _ ("Job %" PRId64 " does not exist"),
                   data->job_id);
      return FALSE;
    }
  state = atoi (PQgetvalue (job, 0, 0));
  if (state == LERS_POLL_JOB_STATE_QUEUED)
    {
      const gchar *params[] = { id, data->line };
      res = lers_store_exec (conn,
                             "UPDATE poll_jobs SET state = 4, finished_at = now(),"
                             " log = log || " LERS_POLL_SQL_LOG_LINE ("$2") " WHERE id = $1",
                             2, params, error);
    }
  else if (state == LERS_POLL_JOB_STATE_RUNNING)
    {
      const gchar *params[] = { id, LERS_POLL_CHANNEL_CANCEL };
      res = lers_store_exec (conn,
                             "WITH u AS (UPDATE poll_jobs SET cancel_requested = true"
                             " WHERE id = $1 RETURNING id)"
                             " SELECT pg_notify($2, u.id::text) FROM u",
                             2, params, error);
    }
  else
    {
      g_set_error (error, LERS_ERROR, LERS_ERROR_INVALID_ARGUMENT,
                   _ ("Job %" PRId64 " has already finished"), data->job_id);
      return FALSE;
    }
  if (res == NULL)
    return FALSE;
  return lers_store_exec_simple (conn, "COMMIT", error);
}

/**
 * lers_poll_queue_cancel_job_sync:
 * @self: a queue
 * @job_id: a job
 * @cancellable: (nullable): a #GCancellable
 * @error: return location for a #GError
 *
 * Cancels a job: a queued one at once; for a running one the request is
 * announced on %LERS_POLL_CHANNEL_CANCEL (payload: the job id) and the
 * service running it ends it. A finished job is
 * %LERS_ERROR_INVALID_ARGUMENT, an unknown one %LERS_ERROR_NOT_FOUND.
 *
 * Returns: %TRUE on success
 *
 * Since: 0.4
 */
gboolean
lers_poll_queue_cancel_job_sync (LersPollQueue *self, gint64 job_id, GCancellable *cancellable,
                                 GError **error)
{
  /* TRANSLATORS: a line of a poll job's log */
  CancelData data = { job_id, _ ("Cancelled before it started") };

  g_return_val_if_fail (LERS_IS_POLL_QUEUE (self), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);
  return lers_poll_queue_run (self, cancel_func, &data, cancellable, error);
}

typedef struct
{
  gint64 job_id;
  gint64 point_id;
  gint state;
  gint64 before_id;
  guint limit;
  GPtrArray *jobs;
} ListData;

static gboolean
get_job_func (LersStoreConn *conn, gpointer user_data, GError **error)
{
  ListData *data = user_data;
  g_autofree gchar *id = g_strdup_printf ("%" G_GINT64_FORMAT, data->job_id);
  const gchar *params[] = { id };
  g_autoptr (PGresult) res = lers_store_exec (
      conn, "SELECT " LERS_POLL_JOB_COLUMNS " FROM poll_jobs j WHERE j.id = $1", 1, params, error);

  if (res == NULL)
    return FALSE;
  if (PQntuples (res) == 0)
    {
      g_set_error (error, LERS_ERROR, LERS_ERROR_NOT_FOUND, _ ("Job %" PRId64 " does not exist"),
                   data->job_id);
      return FALSE;
    }
  data->jobs = lers_poll_queue_objects_from_result (LERS_TYPE_POLL_JOB, res);
  return TRUE;
}

/**
 * lers_poll_queue_get_job_sync:
 * @self: a queue
 * @job_id: a job
 * @cancellable: (nullable): a #GCancellable
 * @error: return location for a #GError
 *
 * Returns: (transfer full): the job, or %NULL with %LERS_ERROR_NOT_FOUND
 *
 * Since: 0.4
 */
LersPollJob *
lers_poll_queue_get_job_sync (LersPollQueue *self, gint64 job_id, GCancellable *cancellable,
                              GError **error)
{
  ListData data = { .job_id = job_id };
  g_autoptr (GPtrArray) jobs = NULL;

  g_return_val_if_fail (LERS_IS_POLL_QUEUE (self), NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);
  if (!lers_poll_queue_run (self, get_job_func, &data, cancellable, error))
    return NULL;
  jobs = data.jobs;
  return g_object_ref (g_ptr_array_index (jobs, 0));
}

static gboolean
list_jobs_func (LersStoreConn *conn, gpointer user_data, GError **error)
{
  ListData *data = user_data;
  g_autofree gchar *point_id = g_strdup_printf ("%" G_GINT64_FORMAT, data->point_id);
  g_autofree gchar *state = g_strdup_printf ("%d", data->state);
  g_autofree gchar *before_id = g_strdup_printf ("%" G_GINT64_FORMAT, data->before_id);
  g_autofree gchar *limit = g_strdup_printf ("%u", data->limit);
  const gchar *params[] = { point_id, state, before_id, limit };
  g_autoptr (PGresult) res = lers_store_exec (
      conn,
      "SELECT " LERS_POLL_JOB_COLUMNS " FROM poll_jobs j"
      " WHERE ($1::bigint = 0 OR j.point_id = $1::bigint)"
      " AND ($2::integer < 0 OR j.state = $2::integer)"
      " AND ($3::bigint = 0 OR j.id < $3::bigint) ORDER BY j.id DESC LIMIT $4::integer",
      4, params, error);

  if (res == NULL)
    return FALSE;
  data->jobs = lers_poll_queue_objects_from_result (LERS_TYPE_POLL_JOB, res);
  return TRUE;
}

/**
 * lers_poll_queue_list_jobs_sync:
 * @self: a queue
 * @point_id: only this measure point's jobs; 0: every point's
 * @state: only jobs in this #LersPollJobState; -1: in any
 * @before_id: only jobs with an id below this (the last id of the previous
 *   page); 0: from the newest
 * @limit: at most this many; 0: 100
 * @cancellable: (nullable): a #GCancellable
 * @error: return location for a #GError
 *
 * Lists jobs, newest first, a page at a time.
 *
 * Returns: (transfer container) (element-type LersPollJob): the jobs;
 *   %NULL on error
 *
 * Since: 0.4
 */
GPtrArray *
lers_poll_queue_list_jobs_sync (LersPollQueue *self, gint64 point_id, gint state, gint64 before_id,
                                guint limit, GCancellable *cancellable, GError **error)
{
  ListData data = { 0,
                    point_id,
                    state < 0 ? -1 : state,
                    MAX (before_id, 0),
                    limit == 0 ? 100 : MIN (limit, G_MAXINT32),
                    NULL };

  g_return_val_if_fail (LERS_IS_POLL_QUEUE (self), NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);
  if (!lers_poll_queue_run (self, list_jobs_func, &data, cancellable, error))
    return NULL;
  return data.jobs;
}

typedef struct
{
  guint keep_days;
  guint n_deleted;
} PurgeData;

static gboolean
purge_func (LersStoreConn *conn, gpointer user_data, GError **error)
{
  PurgeData *data = user_data;
  g_autofree gchar *days = g_strdup_printf ("%u", data->keep_days);
  const gchar *params[] = { days };
  g_autoptr (PGresult) res
      = lers_store_exec (conn,
                         "DELETE FROM poll_jobs WHERE state >= 2"
                         " AND finished_at < now() - make_interval(days => $1::integer)",
                         1, params, error);

  if (res == NULL)
    return FALSE;
  data->n_deleted = (guint) g_ascii_strtoull (PQcmdTuples (res), NULL, 10);
  return TRUE;
}

/**
 * lers_poll_queue_purge_sync:
 * @self: a queue
 * @keep_days: keep jobs that finished within this many days
 * @cancellable: (nullable): a #GCancellable
 * @error: return location for a #GError
 *
 * Deletes finished (done, failed, cancelled) jobs older than @keep_days.
 *
 * Returns: how many jobs were deleted
 *
 * Since: 0.4
 */
guint
lers_poll_queue_purge_sync (LersPollQueue *self, guint keep_days, GCancellable *cancellable,
                            GError **error)
{
  PurgeData data = { MIN (keep_days, 100000), 0 };

  g_return_val_if_fail (LERS_IS_POLL_QUEUE (self), 0);
  g_return_val_if_fail (error == NULL || *error == NULL, 0);
  if (!lers_poll_queue_run (self, purge_func, &data, cancellable, error))
    return 0;
  return data.n_deleted;
}
