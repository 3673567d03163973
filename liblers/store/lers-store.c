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
 * All values travel as statement parameters. A connection lost between two
 * operations (a server restart) is re-established once before an operation
 * fails with %LERS_ERROR_CONNECTION; server errors are %LERS_ERROR_DATABASE
 * (or %LERS_ERROR_INVALID_ARGUMENT for constraint and data errors) with the
 * server's message. A write that fails is rolled back as a whole.
 *
 * Since: 0.1
 */

#define LERS_STORE_N_WORKERS 4

G_DEFINE_TYPE (LersStore, lers_store, G_TYPE_OBJECT)

enum
{
  PROP_0,
  PROP_URI,
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
  else if (g_strcmp0 (state, "57014") == 0)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED, _ ("Operation was cancelled"));
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

gboolean
lers_store_exec_simple (LersStoreConn *conn, const gchar *sql, GError **error)
{
  g_autoptr (PGresult) res = lers_store_exec (conn, sql, 0, NULL, error);
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

static LersStoreConn *
lers_store_acquire (LersStore *self, GError **error)
{
  const gchar *keys[] = { "dbname", "fallback_application_name", "client_encoding", NULL };
  const gchar *values[] = { self->uri != NULL ? self->uri : "", "lers", "UTF8", NULL };
  g_autofree gchar *password = NULL;
  LersStoreConn *conn;
  PGconn *pg;

  g_mutex_lock (&self->lock);
  conn = g_queue_pop_head (&self->idle);
  g_mutex_unlock (&self->lock);
  if (conn != NULL)
    return conn;

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
  conn = g_new0 (LersStoreConn, 1);
  conn->pg = pg;
  return conn;
}

static void
lers_store_release (LersStore *self, LersStoreConn *conn)
{
  g_mutex_lock (&self->lock);
  g_queue_push_head (&self->idle, conn);
  g_mutex_unlock (&self->lock);
}

static void
lers_store_cancelled_cb (GCancellable *cancellable, gpointer user_data)
{
  gchar errbuf[256];

  PQcancel (user_data, errbuf, sizeof errbuf);
}

static gboolean
lers_store_run_on (LersStore *self, LersStoreConn *conn, LersStoreJob *job,
                   GCancellable *cancellable, GError **error)
{
  PGcancel *pgcancel = NULL;
  gulong handler = 0;
  gboolean ok;

  if (cancellable != NULL)
    {
      pgcancel = PQgetCancel (conn->pg);
      if (pgcancel != NULL)
        handler = g_cancellable_connect (cancellable, G_CALLBACK (lers_store_cancelled_cb),
                                         pgcancel, NULL);
    }
  ok = job->func (self, conn, job, cancellable, error);
  if (handler != 0)
    g_cancellable_disconnect (cancellable, handler);
  if (pgcancel != NULL)
    PQfreeCancel (pgcancel);

  /* Whatever failed, leave the session outside any transaction. */
  if (PQstatus (conn->pg) == CONNECTION_OK && PQtransactionStatus (conn->pg) != PQTRANS_IDLE)
    PQclear (PQexec (conn->pg, "ROLLBACK"));
  return ok;
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

  ok = lers_store_run_on (self, conn, job, cancellable, &local_error);
  if (!ok && PQstatus (conn->pg) == CONNECTION_BAD && !g_cancellable_is_cancelled (cancellable))
    {
      /* The server went away (restart, failover, idle timeout): try once
       * more on a new connection. Each job is one transaction, so nothing
       * of the failed attempt is left behind. */
      g_debug ("the database connection was lost; reconnecting");
      PQreset (conn->pg);
      conn->has_temp = FALSE;
      if (PQstatus (conn->pg) == CONNECTION_OK)
        {
          g_clear_error (&local_error);
          ok = lers_store_run_on (self, conn, job, cancellable, &local_error);
        }
      else
        {
          g_autofree gchar *msg = g_strdup (PQerrorMessage (conn->pg));
          g_clear_error (&local_error);
          g_set_error (&local_error, LERS_ERROR, LERS_ERROR_CONNECTION,
                       _ ("Lost the connection to the database: %s"), g_strstrip (msg));
        }
    }
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
