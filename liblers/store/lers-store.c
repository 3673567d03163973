/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "config.h"

#include <glib/gi18n-lib.h>
#include <inttypes.h>
#include <json-glib/json-glib.h>
#include <string.h>

#include "lers-error.h"
#include "store/lers-store-private.h"
#include "store/lers-store-resources.h"

/**
 * LersStore:
 *
 * The PostgreSQL store: objects (nodes, measure points, devices,
 * connections) and archives, on libpq.
 *
 * [method@Lers.Store.open_sync] connects and brings the schema up to date
 * with the numbered migrations compiled into the library (each in its own
 * transaction, under an advisory lock, so two processes may open at once).
 *
 * Every operation has a blocking `_sync` form, for scripts and tools, and an
 * `_async`/`_finish` pair that runs the SQL in a private pool of worker
 * threads (each with a connection of its own) and completes on the caller's
 * thread-default main context, so a main loop never waits for the database.
 *
 * Objects of any described type go through one generic API keyed by their
 * GType: [method@Lers.Store.save_sync], [method@Lers.Store.get_sync],
 * [method@Lers.Store.list_sync] (with a [class@Lers.StoreQuery]: filters,
 * ordering, keyset pages) and [method@Lers.Store.delete_sync]. Several
 * writes that must succeed or fail together go through a
 * [class@Lers.Transaction] from [method@Lers.Store.begin_sync].
 *
 * All values travel as statement parameters. A connection lost between two
 * operations (a server restart) is re-established once before an operation
 * fails with %LERS_ERROR_CONNECTION; an insert is never sent twice, so it
 * fails instead when the connection is lost after it went out. Server errors
 * are %LERS_ERROR_DATABASE (or %LERS_ERROR_INVALID_ARGUMENT for constraint
 * and data errors) with the server's message. A write that fails is rolled
 * back as a whole. Every wait is bounded (see below); running out is
 * %LERS_ERROR_BUSY.
 *
 * Bounded waits, per kind of work (`lock_timeout` is the longest wait for a
 * lock held by someone else, `statement_timeout` the longest statement):
 *
 * | work                                   | lock_timeout | statement_timeout |
 * |----------------------------------------|--------------|-------------------|
 * | reads (get, list, archive queries)     | 2 s          | 30 s              |
 * | object writes (save, delete)           | 5 s          | 30 s              |
 * | archive writes                         | 10 s         | 120 s             |
 * | transactions (each statement)          | 5 s          | 60 s              |
 * | migrations ([method@Lers.Store.open_sync]) | none     | none              |
 *
 * The #LersStore:lock-timeout and #LersStore:statement-timeout properties
 * replace all bounds but the migrations'.
 *
 * Cancelling an operation sends PostgreSQL a cancel request from a thread of
 * the store's own, never from the thread that cancels (a main loop must not
 * block on the network), and the connection goes back to the pool only once
 * that request is done, so a late cancel never hits the next statement.
 *
 * Since: 0.1
 */

#define LERS_STORE_N_WORKERS 4
#define LERS_STORE_N_CANCELLERS 2

/* The table of the class comment, in milliseconds; 0 is no bound. */
static const struct
{
  guint lock_ms;
  guint statement_ms;
} lers_store_bounds[] = {
  [LERS_STORE_BOUND_DEFAULT] = { 2000, 30000 },
  [LERS_STORE_BOUND_READ] = { 2000, 30000 },
  [LERS_STORE_BOUND_OBJECT_WRITE] = { 5000, 30000 },
  [LERS_STORE_BOUND_ARCHIVE_WRITE] = { 10000, 120000 },
  [LERS_STORE_BOUND_TRANSACTION] = { 5000, 60000 },
  [LERS_STORE_BOUND_MIGRATION] = { 0, 0 },
};

G_DEFINE_TYPE (LersStore, lers_store, G_TYPE_OBJECT)

enum
{
  PROP_0,
  PROP_URI,
  PROP_LOCK_TIMEOUT,
  PROP_STATEMENT_TIMEOUT,
  N_PROPS
};

static GParamSpec *props[N_PROPS];

/* ---- small helpers ----------------------------------------------------- */

GDateTime *
lers_store_datetime_from_unix_us (gint64 us)
{
  gint64 secs = us / G_USEC_PER_SEC;
  gint64 rem = us % G_USEC_PER_SEC;
  g_autoptr (GDateTime) dt = NULL;

  if (rem < 0)
    {
      secs -= 1;
      rem += G_USEC_PER_SEC;
    }
  dt = g_date_time_new_from_unix_utc (secs);
  if (dt == NULL)
    return NULL;
  if (rem == 0)
    return g_steal_pointer (&dt);
  return g_date_time_add (dt, rem);
}

gint64
lers_store_datetime_to_pg (GDateTime *dt)
{
  return g_date_time_to_unix (dt) * G_USEC_PER_SEC + g_date_time_get_microsecond (dt)
         - LERS_STORE_PG_EPOCH_US;
}

/* Sets @error from a failed result (or the connection's last error). */
void
lers_store_set_error (GError **error, LersStoreConn *conn, const PGresult *res)
{
  PGconn *pg = conn->pg;
  const gchar *state = res != NULL ? PQresultErrorField (res, PG_DIAG_SQLSTATE) : NULL;
  const gchar *primary = res != NULL ? PQresultErrorField (res, PG_DIAG_MESSAGE_PRIMARY) : NULL;
  const gchar *detail = res != NULL ? PQresultErrorField (res, PG_DIAG_MESSAGE_DETAIL) : NULL;
  g_autofree gchar *msg = g_strdup (primary != NULL ? primary : PQerrorMessage (pg));
  gint code = LERS_ERROR_DATABASE;

  /* Decisions go by SQLSTATE, never by the (possibly translated) message. */
  g_strlcpy (conn->sqlstate, state != NULL ? state : "", sizeof conn->sqlstate);
  g_strstrip (msg);
  if (msg[0] == '\0')
    {
      g_free (msg);
      msg = g_strdup (_ ("unknown error"));
    }
  if (PQstatus (pg) == CONNECTION_BAD || (state != NULL && g_str_has_prefix (state, "08")))
    code = LERS_ERROR_CONNECTION;
  /* lock_not_available (lock_timeout), query_canceled (statement_timeout,
   * or our own cancel request: lers_store_run_on() tells them apart by the
   * cancellable), deadlock_detected */
  else if (g_strcmp0 (state, "55P03") == 0 || g_strcmp0 (state, "57014") == 0
           || g_strcmp0 (state, "40P01") == 0)
    {
      g_set_error (error, LERS_ERROR, LERS_ERROR_BUSY,
                   _ ("The database is busy; try again later (%s)"), msg);
      return;
    }
  else if (state != NULL && (g_str_has_prefix (state, "23") || g_str_has_prefix (state, "22")))
    code = LERS_ERROR_INVALID_ARGUMENT;

  if (detail != NULL)
    g_set_error (error, LERS_ERROR, code, "%s (%s)", msg, detail);
  else
    g_set_error_literal (error, LERS_ERROR, code, msg);
}

gboolean
lers_store_result_ok (const PGresult *res)
{
  ExecStatusType st = PQresultStatus (res);
  return st == PGRES_COMMAND_OK || st == PGRES_TUPLES_OK;
}

/* Runs a statement with text parameters; returns the result or NULL with @error. */
PGresult *
lers_store_exec (LersStoreConn *conn, const gchar *sql, gint n_params, const gchar *const *values,
                 GError **error)
{
  PGresult *res = PQexecParams (conn->pg, sql, n_params, NULL, values, NULL, NULL, 0);

  if (!lers_store_result_ok (res))
    {
      lers_store_set_error (error, conn, res);
      PQclear (res);
      return NULL;
    }
  return res;
}

/* Runs a statement with binary parameters and binary results. */
PGresult *
lers_store_exec_binary (LersStoreConn *conn, const gchar *sql, gint n_params, const Oid *types,
                        const gchar *const *values, const gint *lengths, GError **error)
{
  g_autofree gint *formats = g_new (gint, MAX (n_params, 1));
  PGresult *res;

  for (gint i = 0; i < n_params; i++)
    formats[i] = 1;
  res = PQexecParams (conn->pg, sql, n_params, types, values, lengths, formats, 1);
  if (!lers_store_result_ok (res))
    {
      lers_store_set_error (error, conn, res);
      PQclear (res);
      return NULL;
    }
  return res;
}

/* Runs a statement with no parameters. Inside a LersTransaction, a job's
 * own BEGIN, COMMIT and ROLLBACK become a savepoint, its release and a
 * rollback to it, so the job's steps stay in the caller's unit of work. */
gboolean
lers_store_exec_simple (LersStoreConn *conn, const gchar *sql, GError **error)
{
  g_autoptr (PGresult) res = NULL;

  if (conn->in_transaction)
    {
      if (g_strcmp0 (sql, "BEGIN") == 0)
        sql = "SAVEPOINT lers_job";
      else if (g_strcmp0 (sql, "ROLLBACK") == 0)
        sql = "ROLLBACK TO SAVEPOINT lers_job";
      else if (g_strcmp0 (sql, "COMMIT") == 0)
        sql = "RELEASE SAVEPOINT lers_job";
    }
  res = lers_store_exec (conn, sql, 0, NULL, error);
  return res != NULL;
}

/* ---- GObject ----------------------------------------------------------- */

static void lers_store_worker (gpointer data, gpointer user_data);

static void
lers_store_conn_free (LersStoreConn *conn)
{
  PQfinish (conn->pg);
  g_free (conn);
}

static void
lers_store_finalize (GObject *object)
{
  LersStore *self = LERS_STORE (object);
  LersStoreConn *conn;

  /* Every queued job holds a reference, so the pool is idle. We may be
   * running in one of its threads (a task dropped the last reference), so
   * do not wait for them. */
  if (self->pool != NULL)
    g_thread_pool_free (self->pool, FALSE, FALSE);
  /* No cancel request is pending: a job that watches a cancellable runs
   * while its caller (or its task) holds the store, and
   * lers_store_cancel_unwatch () waits for any request it sent. The
   * requests hold no reference to the store. */
  if (self->cancel_pool != NULL)
    g_thread_pool_free (self->cancel_pool, FALSE, FALSE);
  while ((conn = g_queue_pop_head (&self->idle)) != NULL)
    lers_store_conn_free (conn);
  g_clear_pointer (&self->writer, lers_store_writer_free);
  g_hash_table_unref (self->partitions);
  g_mutex_clear (&self->lock);
  g_free (self->uri);

  G_OBJECT_CLASS (lers_store_parent_class)->finalize (object);
}

static void
lers_store_set_property (GObject *object, guint prop_id, const GValue *value, GParamSpec *pspec)
{
  LersStore *self = LERS_STORE (object);

  switch (prop_id)
    {
    case PROP_URI:
      g_free (self->uri);
      self->uri = g_value_dup_string (value);
      break;
    case PROP_LOCK_TIMEOUT:
      g_atomic_int_set (&self->lock_timeout, g_value_get_uint (value));
      break;
    case PROP_STATEMENT_TIMEOUT:
      g_atomic_int_set (&self->statement_timeout, g_value_get_uint (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
lers_store_get_property (GObject *object, guint prop_id, GValue *value, GParamSpec *pspec)
{
  LersStore *self = LERS_STORE (object);

  switch (prop_id)
    {
    case PROP_LOCK_TIMEOUT:
      g_value_set_uint (value, g_atomic_int_get (&self->lock_timeout));
      break;
    case PROP_STATEMENT_TIMEOUT:
      g_value_set_uint (value, g_atomic_int_get (&self->statement_timeout));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
lers_store_class_init (LersStoreClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = lers_store_finalize;
  object_class->set_property = lers_store_set_property;
  object_class->get_property = lers_store_get_property;

  /**
   * LersStore:uri:
   *
   * The libpq connection string or URI (`postgresql://…`). It is not
   * readable back, since it may hold a password. %NULL uses libpq's
   * defaults (`PGHOST`, `PGDATABASE`…).
   *
   * Since: 0.1
   */
  props[PROP_URI] = g_param_spec_string (
      "uri", NULL, NULL, NULL, G_PARAM_WRITABLE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);

  /**
   * LersStore:lock-timeout:
   *
   * The longest wait for a lock, in milliseconds, for every kind of work
   * but migrations; 0 keeps the table of bounds (see #LersStore). Running
   * out is %LERS_ERROR_BUSY.
   *
   * Since: 0.2
   */
  props[PROP_LOCK_TIMEOUT] = g_param_spec_uint ("lock-timeout", NULL, NULL, 0, G_MAXINT, 0,
                                                G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS);

  /**
   * LersStore:statement-timeout:
   *
   * The longest statement, in milliseconds, for every kind of work but
   * migrations; 0 keeps the table of bounds (see #LersStore). Running out
   * is %LERS_ERROR_BUSY.
   *
   * Since: 0.2
   */
  props[PROP_STATEMENT_TIMEOUT] = g_param_spec_uint ("statement-timeout", NULL, NULL, 0, G_MAXINT,
                                                     0, G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, N_PROPS, props);
}

static void
lers_store_init (LersStore *self)
{
  g_mutex_init (&self->lock);
  g_queue_init (&self->idle);
  self->partitions = g_hash_table_new (NULL, NULL);
}

/**
 * lers_store_new:
 * @uri: (nullable): a libpq connection URI or `key=value` string, such as
 *   the one [method@Lers.Cluster.get_uri] returns
 *
 * Creates a store. Nothing is connected until [method@Lers.Store.open_sync]
 * or the first operation.
 *
 * Returns: (transfer full): a new #LersStore
 *
 * Since: 0.1
 */
LersStore *
lers_store_new (const gchar *uri)
{
  return g_object_new (LERS_TYPE_STORE, "uri", uri, NULL);
}

/* ---- connections and jobs --------------------------------------------- */

static void
lers_store_notice_cb (void *arg, const char *message)
{
  g_debug ("PostgreSQL: %s", message);
}

/* Opens a connection of its own to the store's database (the pool's, and
 * LersStoreListener's). A failure's message never holds the password. */
PGconn *
lers_store_connect (LersStore *self, GError **error)
{
  const gchar *keys[] = { "dbname", "fallback_application_name", "client_encoding", NULL };
  const gchar *values[] = { self->uri != NULL ? self->uri : "", "lers", "UTF8", NULL };
  g_autofree gchar *password = NULL;
  PGconn *pg;

  /* libpq's complaint about a malformed string may quote pieces of it, the
   * password among them: check the form first and say only that. */
  if (self->uri != NULL)
    {
      gchar *parse_error = NULL;
      PQconninfoOption *options = PQconninfoParse (self->uri, &parse_error);
      if (options == NULL)
        {
          if (parse_error != NULL)
            PQfreemem (parse_error);
          g_set_error_literal (error, LERS_ERROR, LERS_ERROR_INVALID_ARGUMENT,
                               _ ("The database connection string is malformed"));
          return NULL;
        }
      for (PQconninfoOption *o = options; o->keyword != NULL; o++)
        if (g_strcmp0 (o->keyword, "password") == 0 && o->val != NULL && o->val[0] != '\0')
          password = g_strdup (o->val);
      PQconninfoFree (options);
    }
  /* without a URI, dbname is left out and libpq takes PGDATABASE and friends */
  pg = self->uri != NULL ? PQconnectdbParams (keys, values, TRUE)
                         : PQconnectdbParams (keys + 1, values + 1, FALSE);
  if (PQstatus (pg) != CONNECTION_OK)
    {
      g_autoptr (GString) msg = g_string_new (PQerrorMessage (pg));
      /* a message may quote an option's value: never the password */
      if (password != NULL)
        g_string_replace (msg, password, "***", 0);
      g_set_error (error, LERS_ERROR, LERS_ERROR_CONNECTION,
                   _ ("Could not connect to the database: %s"), g_strstrip (msg->str));
      PQfinish (pg);
      return NULL;
    }
  PQsetNoticeProcessor (pg, lers_store_notice_cb, NULL);
  return pg;
}

LersStoreConn *
lers_store_acquire (LersStore *self, GError **error)
{
  LersStoreConn *conn;
  PGconn *pg;

  g_mutex_lock (&self->lock);
  conn = g_queue_pop_head (&self->idle);
  g_mutex_unlock (&self->lock);
  if (conn != NULL)
    {
      conn->was_idle = TRUE;
      return conn;
    }

  pg = lers_store_connect (self, error);
  if (pg == NULL)
    return NULL;
  conn = g_new0 (LersStoreConn, 1);
  conn->pg = pg;
  conn->lock_ms = -1;
  conn->statement_ms = -1;
  return conn;
}

/* Puts @conn back in the pool, or closes it if it is broken. */
void
lers_store_release (LersStore *self, LersStoreConn *conn)
{
  if (PQstatus (conn->pg) != CONNECTION_OK)
    {
      lers_store_conn_free (conn);
      return;
    }
  g_mutex_lock (&self->lock);
  g_queue_push_head (&self->idle, conn);
  g_mutex_unlock (&self->lock);
}

/* Sets the session's lock and statement timeouts for @bound, unless they
 * are set already; with @local, for the current transaction only. */
gboolean
lers_store_apply_bound (LersStore *self, LersStoreConn *conn, LersStoreBound bound, gboolean local,
                        GError **error)
{
  guint lock_ms = lers_store_bounds[bound].lock_ms;
  guint statement_ms = lers_store_bounds[bound].statement_ms;
  guint lock_override = g_atomic_int_get (&self->lock_timeout);
  guint statement_override = g_atomic_int_get (&self->statement_timeout);
  gchar lock_str[16], statement_str[16];
  const gchar *values[] = { lock_str, statement_str, local ? "true" : "false" };
  g_autoptr (PGresult) res = NULL;

  if (bound != LERS_STORE_BOUND_MIGRATION)
    {
      if (lock_override != 0)
        lock_ms = lock_override;
      if (statement_override != 0)
        statement_ms = statement_override;
    }
  if (!local && conn->lock_ms == (gint) lock_ms && conn->statement_ms == (gint) statement_ms)
    return TRUE;
  g_snprintf (lock_str, sizeof lock_str, "%u", lock_ms);
  g_snprintf (statement_str, sizeof statement_str, "%u", statement_ms);
  res = lers_store_exec (conn,
                         "SELECT set_config('lock_timeout', $1, $3::bool),"
                         " set_config('statement_timeout', $2, $3::bool)",
                         3, values, error);
  if (res == NULL)
    return FALSE;
  if (!local)
    {
      conn->lock_ms = lock_ms;
      conn->statement_ms = statement_ms;
    }
  return TRUE;
}

/* One cancel request to PostgreSQL, sent by a thread of the store's
 * cancel pool: PQcancel() blocks on the network. */
struct _LersStoreCancel
{
  gatomicrefcount ref;
  LersStore *store;
  GCancellable *cancellable;
  gulong handler;
  PGcancel *pgcancel;
  GMutex lock;
  GCond cond;
  gboolean queued;
  gboolean done;
};

static LersStoreCancel *
lers_store_cancel_ref (LersStoreCancel *cancel)
{
  g_atomic_ref_count_inc (&cancel->ref);
  return cancel;
}

static void
lers_store_cancel_unref (LersStoreCancel *cancel)
{
  if (!g_atomic_ref_count_dec (&cancel->ref))
    return;
  PQfreeCancel (cancel->pgcancel);
  g_mutex_clear (&cancel->lock);
  g_cond_clear (&cancel->cond);
  g_free (cancel);
}

static void
lers_store_canceller (gpointer data, gpointer user_data)
{
  LersStoreCancel *cancel = data;
  gchar errbuf[256];

  if (!PQcancel (cancel->pgcancel, errbuf, sizeof errbuf))
    g_debug ("could not send a cancel request: %s", errbuf);
  g_mutex_lock (&cancel->lock);
  cancel->done = TRUE;
  g_cond_broadcast (&cancel->cond);
  g_mutex_unlock (&cancel->lock);
  lers_store_cancel_unref (cancel);
}

/* In the thread that cancels (often a main loop): only queue the request. */
static void
lers_store_cancelled_cb (GCancellable *cancellable, gpointer user_data)
{
  LersStoreCancel *cancel = user_data;
  LersStore *self = cancel->store;
  gboolean queue;

  g_mutex_lock (&cancel->lock);
  queue = !cancel->queued;
  cancel->queued = TRUE;
  g_mutex_unlock (&cancel->lock);
  if (!queue)
    return;

  g_mutex_lock (&self->lock);
  if (self->cancel_pool == NULL)
    self->cancel_pool
        = g_thread_pool_new (lers_store_canceller, NULL, LERS_STORE_N_CANCELLERS, TRUE, NULL);
  g_mutex_unlock (&self->lock);
  g_thread_pool_push (self->cancel_pool, lers_store_cancel_ref (cancel), NULL);
}

/* Cancels the statement running on @conn when @cancellable is cancelled,
 * until lers_store_cancel_unwatch(). NULL if there is nothing to watch. */
LersStoreCancel *
lers_store_cancel_watch (LersStore *self, LersStoreConn *conn, GCancellable *cancellable)
{
  LersStoreCancel *cancel;
  PGcancel *pgcancel;

  if (cancellable == NULL || (pgcancel = PQgetCancel (conn->pg)) == NULL)
    return NULL;
  cancel = g_new0 (LersStoreCancel, 1);
  g_atomic_ref_count_init (&cancel->ref);
  cancel->store = self;
  cancel->cancellable = cancellable;
  cancel->pgcancel = pgcancel;
  g_mutex_init (&cancel->lock);
  g_cond_init (&cancel->cond);
  cancel->handler
      = g_cancellable_connect (cancellable, G_CALLBACK (lers_store_cancelled_cb), cancel, NULL);
  return cancel;
}

/* Stops watching; returns once any cancel request sent is done, so the
 * connection may serve another statement (or go back to the pool). */
void
lers_store_cancel_unwatch (LersStoreCancel *cancel)
{
  if (cancel == NULL)
    return;
  /* no callback runs after this returns */
  g_cancellable_disconnect (cancel->cancellable, cancel->handler);
  g_mutex_lock (&cancel->lock);
  while (cancel->queued && !cancel->done)
    g_cond_wait (&cancel->cond, &cancel->lock);
  g_mutex_unlock (&cancel->lock);
  lers_store_cancel_unref (cancel);
}

/* PostgreSQL reports our cancel request and statement_timeout alike
 * (57014, taken for BUSY): when @cancellable is cancelled, *@error (set)
 * becomes the cancellation, since the caller cancelled. */
void
lers_store_prefer_cancelled (GCancellable *cancellable, GError **error)
{
  if (!g_cancellable_is_cancelled (cancellable))
    return;
  g_clear_error (error);
  g_cancellable_set_error_if_cancelled (cancellable, error);
}

/* Runs @job on @conn with the job's bounded waits; when @cancellable is
 * cancelled the running statement is cancelled. Returns only once any cancel
 * request is done, so @conn may go back to the pool. */
gboolean
lers_store_run_on (LersStore *self, LersStoreConn *conn, LersStoreJob *job,
                   GCancellable *cancellable, GError **error)
{
  g_autoptr (GError) local_error = NULL;
  LersStoreCancel *cancel;
  gboolean ok;

  /* The caller may have gone while the job waited for a worker or a
   * connection: do not start its statements then. */
  if (g_cancellable_set_error_if_cancelled (cancellable, error))
    return FALSE;
  if (job->bound == LERS_STORE_BOUND_DEFAULT)
    job->bound = job->records != NULL ? LERS_STORE_BOUND_ARCHIVE_WRITE : LERS_STORE_BOUND_READ;
  /* a transaction's bounds were set when it began */
  if (!conn->in_transaction && !lers_store_apply_bound (self, conn, job->bound, FALSE, error))
    return FALSE;

  cancel = lers_store_cancel_watch (self, conn, cancellable);
  ok = job->func (self, conn, job, cancellable, &local_error);
  lers_store_cancel_unwatch (cancel);

  /* Whatever failed, leave the session outside any transaction (a
   * LersTransaction is rolled back by its owner). */
  if (!conn->in_transaction && PQstatus (conn->pg) == CONNECTION_OK
      && PQtransactionStatus (conn->pg) != PQTRANS_IDLE)
    PQclear (PQexec (conn->pg, "ROLLBACK"));
  if (ok)
    return TRUE;
  lers_store_prefer_cancelled (cancellable, &local_error);
  g_propagate_error (error, g_steal_pointer (&local_error));
  return FALSE;
}

static void
lers_store_set_lost_error (LersStoreConn *conn, GError **error)
{
  g_autofree gchar *msg = g_strdup (PQerrorMessage (conn->pg));

  g_set_error (error, LERS_ERROR, LERS_ERROR_CONNECTION,
               _ ("Lost the connection to the database: %s"), g_strstrip (msg));
}

/* Connects @conn again after the server went away (restart, failover, idle
 * timeout); what the old session had (staging table, timeouts) is gone. */
static gboolean
lers_store_conn_reset (LersStoreConn *conn, GError **error)
{
  PQreset (conn->pg);
  conn->has_temp = FALSE;
  conn->lock_ms = conn->statement_ms = -1;
  if (PQstatus (conn->pg) == CONNECTION_OK)
    return TRUE;
  lers_store_set_lost_error (conn, error);
  return FALSE;
}

/* A round trip on a connection that sat in the pool: is it still alive? */
gboolean
lers_store_conn_check (LersStoreConn *conn, GError **error)
{
  if (conn->was_idle)
    {
      g_autoptr (PGresult) res = PQexec (conn->pg, "");
      if (PQstatus (conn->pg) == CONNECTION_OK)
        return TRUE;
      g_debug ("an idle database connection was lost; reconnecting");
      return lers_store_conn_reset (conn, error);
    }
  if (PQstatus (conn->pg) == CONNECTION_OK)
    return TRUE;
  lers_store_set_lost_error (conn, error);
  return FALSE;
}

/* Runs @job on a connection of the pool, in the calling thread. */
gboolean
lers_store_run_job (LersStore *self, LersStoreJob *job, GCancellable *cancellable, GError **error)
{
  g_autoptr (GError) local_error = NULL;
  LersStoreConn *conn;
  gboolean ok;

  if (g_cancellable_set_error_if_cancelled (cancellable, error))
    return FALSE;
  conn = lers_store_acquire (self, error);
  if (conn == NULL)
    return FALSE;

  /* An insert is sent at most once: make sure the connection is alive
   * before sending it, since it is not resent after. */
  if (job->once && !lers_store_conn_check (conn, error))
    {
      lers_store_release (self, conn);
      return FALSE;
    }
  ok = lers_store_run_on (self, conn, job, cancellable, &local_error);
  if (!ok && PQstatus (conn->pg) == CONNECTION_BAD && !g_cancellable_is_cancelled (cancellable))
    {
      if (job->once)
        {
          /* The statement may have been committed before the connection
           * went: sending it again could store the object twice. */
          g_autofree gchar *msg = g_strdup (local_error->message);
          g_clear_error (&local_error);
          g_set_error (&local_error, LERS_ERROR, LERS_ERROR_CONNECTION,
                       _ ("Lost the connection to the database while saving; whether the object "
                          "was stored is unknown: %s"),
                       g_strstrip (msg));
        }
      else
        {
          /* The server went away (restart, failover, idle timeout): try
           * once more on a new connection. The job is idempotent (a read,
           * an update or delete by id, an archive upsert) and each job is
           * one transaction, so nothing of the failed attempt is left. */
          g_debug ("the database connection was lost; reconnecting");
          g_clear_error (&local_error);
          if (lers_store_conn_reset (conn, &local_error))
            ok = lers_store_run_on (self, conn, job, cancellable, &local_error);
        }
    }
  /* a job that began a transaction leaves the connection to it */
  if (!ok || !job->keep_conn)
    lers_store_release (self, conn);
  if (!ok)
    {
      g_propagate_error (error, g_steal_pointer (&local_error));
      return FALSE;
    }
  return TRUE;
}

static void
lers_store_worker (gpointer data, gpointer user_data)
{
  GTask *task = data;
  LersStore *self = user_data;
  LersStoreJob *job = g_task_get_task_data (task);
  GError *error = NULL;

  if (lers_store_run_job (self, job, g_task_get_cancellable (task), &error))
    g_task_return_boolean (task, TRUE);
  else
    g_task_return_error (task, error);
  g_object_unref (task);
}

/* Queues @job (taking it) on the private worker pool. */
void
lers_store_queue_job (LersStore *self, LersStoreJob *job, gpointer source_tag,
                      GCancellable *cancellable, GAsyncReadyCallback callback, gpointer user_data)
{
  GTask *task = g_task_new (self, cancellable, callback, user_data);

  g_task_set_source_tag (task, source_tag);
  /* The job's own result stands: a cancel that comes after the job ran
   * (an INSERT committed) must not turn it into CANCELLED, which GTask
   * would do by default when the result is read. */
  g_task_set_check_cancellable (task, FALSE);
  g_task_set_task_data (task, job, (GDestroyNotify) lers_store_job_free);
  /* The workers start with the first asynchronous call: a program that
   * only uses the sync API (or forks, like the tests) has no extra threads.
   * The pool is exclusive: GLib's shared threads do not survive a fork. */
  g_mutex_lock (&self->lock);
  if (self->pool == NULL)
    self->pool = g_thread_pool_new (lers_store_worker, self, LERS_STORE_N_WORKERS, TRUE, NULL);
  g_mutex_unlock (&self->lock);
  g_thread_pool_push (self->pool, task, NULL);
}

gboolean
lers_store_finish_boolean (LersStore *self, GAsyncResult *result, gpointer source_tag,
                           GError **error)
{
  g_return_val_if_fail (LERS_IS_STORE (self), FALSE);
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == source_tag, FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

gboolean
lers_store_finish_save (LersStore *self, GAsyncResult *result, gpointer source_tag, GError **error)
{
  if (!lers_store_finish_boolean (self, result, source_tag, error))
    return FALSE;
  lers_store_job_apply_save (g_task_get_task_data (G_TASK (result)));
  return TRUE;
}

gpointer
lers_store_finish_pointer (LersStore *self, GAsyncResult *result, gpointer source_tag,
                           GError **error)
{
  if (!lers_store_finish_boolean (self, result, source_tag, error))
    return NULL;
  return lers_store_job_steal_result (g_task_get_task_data (G_TASK (result)));
}

void
lers_store_job_free (LersStoreJob *job)
{
  g_clear_object (&job->query);
  g_clear_pointer (&job->next_cursor, g_free);
  g_clear_pointer (&job->params, g_ptr_array_unref);
  g_clear_object (&job->object);
  g_clear_pointer (&job->records, g_ptr_array_unref);
  g_clear_pointer (&job->from, g_date_time_unref);
  g_clear_pointer (&job->to, g_date_time_unref);
  if (job->result != NULL && job->result_free != NULL)
    job->result_free (job->result);
  g_free (job);
}

gpointer
lers_store_job_steal_result (LersStoreJob *job)
{
  return g_steal_pointer (&job->result);
}

void
lers_store_job_set_result (LersStoreJob *job, gpointer result, GDestroyNotify result_free)
{
  if (job->result != NULL && job->result_free != NULL)
    job->result_free (job->result);
  job->result = result;
  job->result_free = result_free;
}

/* Gives a newly inserted object its id (in the caller's thread). */
void
lers_store_job_apply_save (LersStoreJob *job)
{
  if (job->id == 0 && job->result_id != 0)
    g_object_set (job->object, "id", job->result_id, NULL);
}

/* Gives the caller's query the cursor of the page just read. */
void
lers_store_job_apply_list (LersStoreJob *job, LersStoreQuery *query)
{
  lers_store_query_set_cursor (query, job->next_cursor);
}

/* ---- asynchronous API -------------------------------------------------- */

/**
 * lers_store_open_async:
 * @self: a #LersStore
 * @cancellable: (nullable): a #GCancellable
 * @callback: (scope async): called when done
 * @user_data: (closure): data for @callback
 *
 * Connects and applies the migrations in a worker thread; see
 * [method@Lers.Store.open_sync].
 *
 * Since: 0.1
 */
void
lers_store_open_async (LersStore *self, GCancellable *cancellable, GAsyncReadyCallback callback,
                       gpointer user_data)
{
  g_return_if_fail (LERS_IS_STORE (self));

  lers_store_queue_job (self, lers_store_job_new_open (), lers_store_open_async, cancellable,
                        callback, user_data);
}

/**
 * lers_store_open_finish:
 * @self: a #LersStore
 * @result: the #GAsyncResult
 * @error: return location for a #GError
 *
 * Finishes [method@Lers.Store.open_async].
 *
 * Returns: %TRUE if the store is ready
 *
 * Since: 0.1
 */
gboolean
lers_store_open_finish (LersStore *self, GAsyncResult *result, GError **error)
{
  return lers_store_finish_boolean (self, result, lers_store_open_async, error);
}
