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
#define LERS_STORE_MIGRATIONS_PATH "/org/lers/store/migrations/"
/* Batches up to this size are written with one multi-row INSERT … ON CONFLICT;
 * larger ones with COPY. */
#define LERS_STORE_SMALL_BATCH 64
/* Microseconds between the Unix epoch and PostgreSQL's (2000-01-01). */
#define LERS_STORE_PG_EPOCH_US G_GINT64_CONSTANT (946684800000000)

/* Type OIDs, from PostgreSQL's catalog/pg_type.dat. */
#define LERS_OID_INT8 20
#define LERS_OID_INT2 21
#define LERS_OID_INT4 23
#define LERS_OID_BYTEA 17
#define LERS_OID_TIMESTAMPTZ 1184

G_DEFINE_AUTOPTR_CLEANUP_FUNC (PGresult, PQclear)

struct _LersStoreConn
{
  PGconn *pg;
  gchar sqlstate[6]; /* of the last failed statement, "" if none */
  gboolean has_temp; /* the session's COPY staging table exists */
};

struct _LersStore
{
  GObject parent_instance;
  gchar *uri; /* never logged: it may hold a password */
  GThreadPool *pool;
  GMutex lock;
  GQueue idle;            /* of LersStoreConn* */
  GHashTable *partitions; /* month index (year * 12 + month - 1) known to exist */
};

G_DEFINE_TYPE (LersStore, lers_store, G_TYPE_OBJECT)

enum
{
  PROP_0,
  PROP_URI,
  N_PROPS
};

static GParamSpec *props[N_PROPS];

/* ---- models ------------------------------------------------------------ */

static const LersStoreColumn lers_store_node_columns[] = {
  { "title", "title", LERS_STORE_COLUMN_TEXT },
  { "address", "address", LERS_STORE_COLUMN_TEXT },
  { "number", "number", LERS_STORE_COLUMN_TEXT },
  { "node_type", "node-type", LERS_STORE_COLUMN_ENUM },
  { "latitude", "latitude", LERS_STORE_COLUMN_DOUBLE },
  { "longitude", "longitude", LERS_STORE_COLUMN_DOUBLE },
  { "customer", "customer", LERS_STORE_COLUMN_TEXT },
  { "contract", "contract", LERS_STORE_COLUMN_TEXT },
  { "temperature_schedule", "temperature-schedule", LERS_STORE_COLUMN_TEXT },
  { "comment", "comment", LERS_STORE_COLUMN_TEXT },
  { "groups", "groups", LERS_STORE_COLUMN_STRV },
};

static const LersStoreColumn lers_store_measure_point_columns[] = {
  { "node_id", "node-id", LERS_STORE_COLUMN_REF },
  { "title", "title", LERS_STORE_COLUMN_TEXT },
  { "resource", "resource", LERS_STORE_COLUMN_ENUM },
  { "device_id", "device-id", LERS_STORE_COLUMN_REF },
  { "channel", "channel", LERS_STORE_COLUMN_UINT },
  { "poll_interval", "poll-interval", LERS_STORE_COLUMN_UINT },
  { "poll_offset", "poll-offset", LERS_STORE_COLUMN_UINT },
};

static const LersStoreColumn lers_store_device_columns[] = {
  { "protocol", "protocol", LERS_STORE_COLUMN_TEXT },
  { "model", "model", LERS_STORE_COLUMN_TEXT },
  { "serial_number", "serial-number", LERS_STORE_COLUMN_TEXT },
  { "network_address", "network-address", LERS_STORE_COLUMN_TEXT },
  { "password", "password", LERS_STORE_COLUMN_TEXT },
  { "calibration_date", "calibration-date", LERS_STORE_COLUMN_DATETIME },
  { "calibration_interval", "calibration-interval", LERS_STORE_COLUMN_UINT },
  { "connection_id", "connection-id", LERS_STORE_COLUMN_REF },
};

static const LersStoreColumn lers_store_connection_columns[] = {
  { "title", "title", LERS_STORE_COLUMN_TEXT },     { "kind", "kind", LERS_STORE_COLUMN_ENUM },
  { "host", "host", LERS_STORE_COLUMN_TEXT },       { "port", "port", LERS_STORE_COLUMN_UINT },
  { "timeout", "timeout", LERS_STORE_COLUMN_UINT },
};

const LersStoreModel lers_store_model_node = {
  "nodes",
  /* TRANSLATORS: completes "There is no %s with id %<PRId64>" */
  N_ ("node"),
  lers_node_get_type,
  lers_store_node_columns,
  G_N_ELEMENTS (lers_store_node_columns),
  NULL,
};
const LersStoreModel lers_store_model_measure_point = {
  "measure_points",
  /* TRANSLATORS: completes "There is no %s with id %<PRId64>" */
  N_ ("measure point"),
  lers_measure_point_get_type,
  lers_store_measure_point_columns,
  G_N_ELEMENTS (lers_store_measure_point_columns),
  "node_id",
};
const LersStoreModel lers_store_model_device = {
  "devices",
  /* TRANSLATORS: completes "There is no %s with id %<PRId64>" */
  N_ ("device"),
  lers_device_get_type,
  lers_store_device_columns,
  G_N_ELEMENTS (lers_store_device_columns),
  NULL,
};
const LersStoreModel lers_store_model_connection = {
  "connections",
  /* TRANSLATORS: completes "There is no %s with id %<PRId64>" */
  N_ ("connection"),
  lers_connection_get_type,
  lers_store_connection_columns,
  G_N_ELEMENTS (lers_store_connection_columns),
  NULL,
};

/* ---- small helpers ----------------------------------------------------- */

static GDateTime *
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

static gint64
lers_store_datetime_to_pg (GDateTime *dt)
{
  return g_date_time_to_unix (dt) * G_USEC_PER_SEC + g_date_time_get_microsecond (dt)
         - LERS_STORE_PG_EPOCH_US;
}

static inline void
lers_store_put_be16 (guint8 *p, guint16 v)
{
  p[0] = v >> 8;
  p[1] = v & 0xff;
}

static inline void
lers_store_put_be32 (guint8 *p, guint32 v)
{
  p[0] = v >> 24;
  p[1] = (v >> 16) & 0xff;
  p[2] = (v >> 8) & 0xff;
  p[3] = v & 0xff;
}

static inline void
lers_store_put_be64 (guint8 *p, guint64 v)
{
  lers_store_put_be32 (p, v >> 32);
  lers_store_put_be32 (p + 4, v & 0xffffffff);
}

static inline guint64
lers_store_get_be (const guint8 *p, guint n)
{
  guint64 v = 0;
  for (guint i = 0; i < n; i++)
    v = (v << 8) | p[i];
  return v;
}

/* Sets @error from a failed result (or the connection's last error). */
static void
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

static gboolean
lers_store_result_ok (const PGresult *res)
{
  ExecStatusType st = PQresultStatus (res);
  return st == PGRES_COMMAND_OK || st == PGRES_TUPLES_OK;
}

/* Runs a statement with text parameters; returns the result or NULL with @error. */
static PGresult *
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
static PGresult *
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

static gboolean
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

static void
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

/* ---- migrations -------------------------------------------------------- */

static gint
lers_store_cmp_names (gconstpointer a, gconstpointer b)
{
  return g_strcmp0 (*(const gchar *const *) a, *(const gchar *const *) b);
}

static gboolean
lers_store_apply_migrations (LersStoreConn *conn, GError **error)
{
  GResource *resource = lers_store_get_resource ();
  g_auto (GStrv) names = NULL;
  g_autoptr (GHashTable) applied = g_hash_table_new (NULL, NULL);
  g_autoptr (PGresult) res = NULL;

  names = g_resource_enumerate_children (resource, LERS_STORE_MIGRATIONS_PATH, 0, error);
  if (names == NULL)
    return FALSE;
  qsort (names, g_strv_length (names), sizeof (gchar *), lers_store_cmp_names);

  if (!lers_store_exec_simple (conn,
                               "CREATE TABLE IF NOT EXISTS schema_migrations ("
                               " version integer PRIMARY KEY,"
                               " applied_at timestamptz NOT NULL DEFAULT now())",
                               error))
    return FALSE;
  res = lers_store_exec (conn, "SELECT version FROM schema_migrations", 0, NULL, error);
  if (res == NULL)
    return FALSE;
  for (gint i = 0; i < PQntuples (res); i++)
    g_hash_table_add (applied, GINT_TO_POINTER (atoi (PQgetvalue (res, i, 0))));

  for (guint i = 0; names[i] != NULL; i++)
    {
      g_autofree gchar *path = g_strconcat (LERS_STORE_MIGRATIONS_PATH, names[i], NULL);
      g_autofree gchar *version_str = NULL;
      g_autoptr (GBytes) bytes = NULL;
      g_autofree gchar *sql = NULL;
      gint version = atoi (names[i]);
      const gchar *params[1];

      if (version <= 0 || !g_str_has_suffix (names[i], ".sql"))
        continue;
      if (g_hash_table_contains (applied, GINT_TO_POINTER (version)))
        continue;
      bytes = g_resource_lookup_data (resource, path, 0, error);
      if (bytes == NULL)
        return FALSE;
      sql = g_strndup (g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes));
      version_str = g_strdup_printf ("%d", version);
      params[0] = version_str;

      g_debug ("applying migration %s", names[i]);
      if (!lers_store_exec_simple (conn, "BEGIN", error))
        return FALSE;
      {
        /* A migration is several statements: the simple protocol runs them all. */
        g_autoptr (PGresult) mres = PQexec (conn->pg, sql);
        if (!lers_store_result_ok (mres))
          {
            lers_store_set_error (error, conn, mres);
            g_prefix_error (error, _ ("Migration %s failed: "), names[i]);
            return FALSE;
          }
      }
      {
        g_autoptr (PGresult) ires = lers_store_exec (
            conn, "INSERT INTO schema_migrations (version) VALUES ($1::int4)", 1, params, error);
        if (ires == NULL)
          return FALSE;
      }
      if (!lers_store_exec_simple (conn, "COMMIT", error))
        return FALSE;
    }
  return TRUE;
}

static gboolean
lers_store_job_open_run (LersStore *self, LersStoreConn *conn, LersStoreJob *job,
                         GCancellable *cancellable, GError **error)
{
  gboolean ok;

  /* Two processes opening the same database wait for each other here. */
  if (!lers_store_exec_simple (conn, "SELECT pg_advisory_lock(hashtext('lers_store_migrations'))",
                               error))
    return FALSE;
  ok = lers_store_apply_migrations (conn, error);
  if (PQstatus (conn->pg) == CONNECTION_OK)
    {
      if (PQtransactionStatus (conn->pg) != PQTRANS_IDLE)
        PQclear (PQexec (conn->pg, "ROLLBACK"));
      PQclear (PQexec (conn->pg, "SELECT pg_advisory_unlock(hashtext('lers_store_migrations'))"));
    }
  if (!ok)
    g_prefix_error (error, _ ("Could not update the database schema: "));
  return ok;
}

LersStoreJob *
lers_store_job_new_open (void)
{
  LersStoreJob *job = g_new0 (LersStoreJob, 1);
  job->func = lers_store_job_open_run;
  return job;
}

/* ---- objects ----------------------------------------------------------- */

static gchar *
lers_store_strv_to_array_literal (const gchar *const *strv)
{
  g_autoptr (GString) s = g_string_new ("{");

  for (guint i = 0; strv != NULL && strv[i] != NULL; i++)
    {
      if (i > 0)
        g_string_append_c (s, ',');
      g_string_append_c (s, '"');
      for (const gchar *p = strv[i]; *p != '\0'; p++)
        {
          if (*p == '"' || *p == '\\')
            g_string_append_c (s, '\\');
          g_string_append_c (s, *p);
        }
      g_string_append_c (s, '"');
    }
  g_string_append_c (s, '}');
  return g_string_free (g_steal_pointer (&s), FALSE);
}

/* The text form of one property, or NULL for SQL NULL. */
static gchar *
lers_store_column_to_text (GObject *object, const LersStoreColumn *col)
{
  GParamSpec *pspec = g_object_class_find_property (G_OBJECT_GET_CLASS (object), col->property);
  g_auto (GValue) value = G_VALUE_INIT;
  gchar buf[G_ASCII_DTOSTR_BUF_SIZE];

  g_return_val_if_fail (pspec != NULL, NULL);
  g_value_init (&value, pspec->value_type);
  g_object_get_property (object, col->property, &value);

  switch (col->type)
    {
    case LERS_STORE_COLUMN_TEXT:
      return g_value_dup_string (&value);
    case LERS_STORE_COLUMN_REF:
      if (g_value_get_int64 (&value) == 0)
        return NULL;
      return g_strdup_printf ("%" G_GINT64_FORMAT, g_value_get_int64 (&value));
    case LERS_STORE_COLUMN_ENUM:
      return g_strdup_printf ("%d", g_value_get_enum (&value));
    case LERS_STORE_COLUMN_DOUBLE:
      return g_strdup (g_ascii_dtostr (buf, sizeof buf, g_value_get_double (&value)));
    case LERS_STORE_COLUMN_UINT:
      return g_strdup_printf ("%u", g_value_get_uint (&value));
    case LERS_STORE_COLUMN_STRV:
      return lers_store_strv_to_array_literal (g_value_get_boxed (&value));
    case LERS_STORE_COLUMN_DATETIME:
      {
        GDateTime *dt = g_value_get_boxed (&value);
        return dt != NULL ? g_date_time_format_iso8601 (dt) : NULL;
      }
    default:
      g_assert_not_reached ();
    }
}

static gboolean
lers_store_column_from_text (GObject *object, const LersStoreColumn *col, const gchar *text,
                             GError **error)
{
  GParamSpec *pspec = g_object_class_find_property (G_OBJECT_GET_CLASS (object), col->property);
  g_auto (GValue) value = G_VALUE_INIT;

  g_value_init (&value, pspec->value_type);
  switch (col->type)
    {
    case LERS_STORE_COLUMN_TEXT:
      g_value_set_string (&value, text);
      break;
    case LERS_STORE_COLUMN_REF:
      g_value_set_int64 (&value, g_ascii_strtoll (text, NULL, 10));
      break;
    case LERS_STORE_COLUMN_ENUM:
      g_value_set_enum (&value, atoi (text));
      break;
    case LERS_STORE_COLUMN_DOUBLE:
      g_value_set_double (&value, g_ascii_strtod (text, NULL));
      break;
    case LERS_STORE_COLUMN_UINT:
      g_value_set_uint (&value, (guint) MIN (g_ascii_strtoull (text, NULL, 10), G_MAXUINT));
      break;
    case LERS_STORE_COLUMN_STRV:
      {
        g_autoptr (JsonNode) node = json_from_string (text, error);
        g_autoptr (GPtrArray) strv = g_ptr_array_new_with_free_func (g_free);
        JsonArray *array;

        if (node == NULL)
          return FALSE;
        if (!JSON_NODE_HOLDS_ARRAY (node))
          {
            g_set_error (error, LERS_ERROR, LERS_ERROR_INVALID_DATA, _ ("%s is not an array"),
                         col->column);
            return FALSE;
          }
        array = json_node_get_array (node);
        for (guint i = 0; i < json_array_get_length (array); i++)
          {
            const gchar *s = json_array_get_string_element (array, i);
            if (s != NULL)
              g_ptr_array_add (strv, g_strdup (s));
          }
        g_ptr_array_add (strv, NULL);
        g_value_take_boxed (&value, g_ptr_array_steal (strv, NULL));
        break;
      }
    case LERS_STORE_COLUMN_DATETIME:
      g_value_take_boxed (&value,
                          lers_store_datetime_from_unix_us (g_ascii_strtoll (text, NULL, 10)));
      break;
    default:
      g_assert_not_reached ();
    }
  /* Bring out-of-range values (edited by hand in psql) into the property's range. */
  g_param_value_validate (pspec, &value);
  g_object_set_property (object, col->property, &value);
  return TRUE;
}

static gchar *
lers_store_select_sql (const LersStoreModel *model, const gchar *where)
{
  g_autoptr (GString) sql = g_string_new ("SELECT id");

  for (guint i = 0; i < model->n_columns; i++)
    {
      const LersStoreColumn *col = &model->columns[i];

      if (col->type == LERS_STORE_COLUMN_DATETIME)
        g_string_append_printf (sql, ", (extract(epoch FROM %s) * 1000000)::int8", col->column);
      else if (col->type == LERS_STORE_COLUMN_STRV)
        g_string_append_printf (sql, ", array_to_json(%s)::text", col->column);
      else
        g_string_append_printf (sql, ", %s", col->column);
    }
  g_string_append_printf (sql, " FROM %s %s ORDER BY id", model->table, where);
  return g_string_free (g_steal_pointer (&sql), FALSE);
}

static GObject *
lers_store_object_from_row (const LersStoreModel *model, PGresult *res, gint row, GError **error)
{
  g_autoptr (GObject) object = g_object_new (model->get_type (), NULL);

  g_object_set (object, "id", g_ascii_strtoll (PQgetvalue (res, row, 0), NULL, 10), NULL);
  for (guint i = 0; i < model->n_columns; i++)
    {
      if (PQgetisnull (res, row, i + 1))
        continue;
      if (!lers_store_column_from_text (object, &model->columns[i], PQgetvalue (res, row, i + 1),
                                        error))
        return NULL;
    }
  return g_steal_pointer (&object);
}

static gboolean
lers_store_job_save_run (LersStore *self, LersStoreConn *conn, LersStoreJob *job,
                         GCancellable *cancellable, GError **error)
{
  const LersStoreModel *model = job->model;
  g_autoptr (GString) sql = g_string_new (NULL);
  g_autoptr (PGresult) res = NULL;
  g_autofree gchar *id_str = NULL;
  g_autofree const gchar **values = g_new0 (const gchar *, model->n_columns + 1);

  for (guint i = 0; i < model->n_columns; i++)
    values[i] = g_ptr_array_index (job->params, i);

  if (job->id == 0)
    {
      g_string_append_printf (sql, "INSERT INTO %s (", model->table);
      for (guint i = 0; i < model->n_columns; i++)
        g_string_append_printf (sql, "%s%s", i > 0 ? ", " : "", model->columns[i].column);
      g_string_append (sql, ") VALUES (");
      for (guint i = 0; i < model->n_columns; i++)
        g_string_append_printf (sql, "%s$%u", i > 0 ? ", " : "", i + 1);
      g_string_append (sql, ") RETURNING id");
      res = lers_store_exec (conn, sql->str, model->n_columns, values, error);
      if (res == NULL)
        {
          g_prefix_error (error, _ ("Could not insert into %s: "), model->table);
          return FALSE;
        }
      job->result_id = g_ascii_strtoll (PQgetvalue (res, 0, 0), NULL, 10);
      return TRUE;
    }

  id_str = g_strdup_printf ("%" G_GINT64_FORMAT, job->id);
  values[model->n_columns] = id_str;
  g_string_append_printf (sql, "UPDATE %s SET ", model->table);
  for (guint i = 0; i < model->n_columns; i++)
    g_string_append_printf (sql, "%s%s = $%u", i > 0 ? ", " : "", model->columns[i].column, i + 1);
  g_string_append_printf (sql, " WHERE id = $%u::int8", model->n_columns + 1);
  res = lers_store_exec (conn, sql->str, model->n_columns + 1, values, error);
  if (res == NULL)
    {
      g_prefix_error (error, _ ("Could not update %s %" PRId64 ": "), model->table, job->id);
      return FALSE;
    }
  if (g_strcmp0 (PQcmdTuples (res), "0") == 0)
    {
      g_set_error (error, LERS_ERROR, LERS_ERROR_NOT_FOUND, _ ("There is no %s with id %" PRId64),
                   _ (model->noun), job->id);
      return FALSE;
    }
  job->result_id = job->id;
  return TRUE;
}

LersStoreJob *
lers_store_job_new_save (const LersStoreModel *model, GObject *object)
{
  LersStoreJob *job = g_new0 (LersStoreJob, 1);

  job->func = lers_store_job_save_run;
  job->model = model;
  job->object = g_object_ref (object);
  g_object_get (object, "id", &job->id, NULL);
  /* Snapshot now, in the caller's thread; the worker never reads the object. */
  job->params = g_ptr_array_new_with_free_func (g_free);
  for (guint i = 0; i < model->n_columns; i++)
    g_ptr_array_add (job->params, lers_store_column_to_text (object, &model->columns[i]));
  return job;
}

static gboolean
lers_store_job_get_run (LersStore *self, LersStoreConn *conn, LersStoreJob *job,
                        GCancellable *cancellable, GError **error)
{
  g_autofree gchar *sql = lers_store_select_sql (job->model, "WHERE id = $1::int8");
  g_autofree gchar *id_str = g_strdup_printf ("%" G_GINT64_FORMAT, job->id);
  const gchar *values[] = { id_str };
  g_autoptr (PGresult) res = lers_store_exec (conn, sql, 1, values, error);
  GObject *object;

  if (res == NULL)
    {
      g_prefix_error (error, _ ("Could not read %s %" PRId64 ": "), job->model->table, job->id);
      return FALSE;
    }
  if (PQntuples (res) == 0)
    {
      g_set_error (error, LERS_ERROR, LERS_ERROR_NOT_FOUND, _ ("There is no %s with id %" PRId64),
                   _ (job->model->noun), job->id);
      return FALSE;
    }
  object = lers_store_object_from_row (job->model, res, 0, error);
  if (object == NULL)
    return FALSE;
  lers_store_job_set_result (job, object, g_object_unref);
  return TRUE;
}

LersStoreJob *
lers_store_job_new_get (const LersStoreModel *model, gint64 id)
{
  LersStoreJob *job = g_new0 (LersStoreJob, 1);

  job->func = lers_store_job_get_run;
  job->model = model;
  job->id = id;
  return job;
}

static gboolean
lers_store_job_list_run (LersStore *self, LersStoreConn *conn, LersStoreJob *job,
                         GCancellable *cancellable, GError **error)
{
  g_autofree gchar *where = NULL;
  g_autofree gchar *sql = NULL;
  g_autofree gchar *filter_str = g_strdup_printf ("%" G_GINT64_FORMAT, job->id);
  const gchar *values[] = { filter_str };
  gboolean filtered = job->id != 0 && job->model->filter_column != NULL;
  g_autoptr (PGresult) res = NULL;
  g_autoptr (GPtrArray) objects = g_ptr_array_new_with_free_func (g_object_unref);

  if (filtered)
    where = g_strdup_printf ("WHERE %s = $1::int8", job->model->filter_column);
  sql = lers_store_select_sql (job->model, filtered ? where : "");
  res = lers_store_exec (conn, sql, filtered ? 1 : 0, values, error);
  if (res == NULL)
    {
      g_prefix_error (error, _ ("Could not list %s: "), job->model->table);
      return FALSE;
    }
  for (gint i = 0; i < PQntuples (res); i++)
    {
      GObject *object = lers_store_object_from_row (job->model, res, i, error);
      if (object == NULL)
        return FALSE;
      g_ptr_array_add (objects, object);
    }
  lers_store_job_set_result (job, g_steal_pointer (&objects), (GDestroyNotify) g_ptr_array_unref);
  return TRUE;
}

LersStoreJob *
lers_store_job_new_list (const LersStoreModel *model, gint64 filter)
{
  LersStoreJob *job = g_new0 (LersStoreJob, 1);

  job->func = lers_store_job_list_run;
  job->model = model;
  job->id = filter;
  return job;
}

static gboolean
lers_store_job_delete_run (LersStore *self, LersStoreConn *conn, LersStoreJob *job,
                           GCancellable *cancellable, GError **error)
{
  g_autofree gchar *id_str = g_strdup_printf ("%" G_GINT64_FORMAT, job->id);
  const gchar *values[] = { id_str };
  g_autofree gchar *sql = g_strdup_printf ("DELETE FROM %s WHERE id = $1::int8", job->model->table);
  g_autoptr (PGresult) res = NULL;
  const gchar *archive_sql = NULL;

  /* The archive has no foreign key to the points (see the migration), so
   * the rows of a deleted point go in the same transaction. */
  if (job->model == &lers_store_model_measure_point)
    archive_sql = "DELETE FROM archive WHERE point_id = $1::int8";
  else if (job->model == &lers_store_model_node)
    archive_sql = "DELETE FROM archive WHERE point_id IN "
                  "(SELECT id FROM measure_points WHERE node_id = $1::int8)";

  if (!lers_store_exec_simple (conn, "BEGIN", error))
    return FALSE;
  if (archive_sql != NULL)
    {
      g_autoptr (PGresult) ares = lers_store_exec (conn, archive_sql, 1, values, error);
      if (ares == NULL)
        return FALSE;
    }
  res = lers_store_exec (conn, sql, 1, values, error);
  if (res == NULL)
    {
      g_prefix_error (error, _ ("Could not delete %s %" PRId64 ": "), job->model->table, job->id);
      return FALSE;
    }
  if (g_strcmp0 (PQcmdTuples (res), "0") == 0)
    {
      g_set_error (error, LERS_ERROR, LERS_ERROR_NOT_FOUND, _ ("There is no %s with id %" PRId64),
                   _ (job->model->noun), job->id);
      return FALSE;
    }
  return lers_store_exec_simple (conn, "COMMIT", error);
}

LersStoreJob *
lers_store_job_new_delete (const LersStoreModel *model, gint64 id)
{
  LersStoreJob *job = g_new0 (LersStoreJob, 1);

  job->func = lers_store_job_delete_run;
  job->model = model;
  job->id = id;
  return job;
}

/* ---- archive ----------------------------------------------------------- */

typedef struct
{
  gint64 ts; /* PostgreSQL microseconds */
  guint seq;
  gint16 kind;
  gint16 channel;
  LersRecord *record;
} LersStoreRow;

static gint
lers_store_row_cmp (gconstpointer a, gconstpointer b)
{
  const LersStoreRow *ra = a;
  const LersStoreRow *rb = b;

  if (ra->kind != rb->kind)
    return ra->kind < rb->kind ? -1 : 1;
  if (ra->ts != rb->ts)
    return ra->ts < rb->ts ? -1 : 1;
  return ra->seq < rb->seq ? -1 : ra->seq > rb->seq;
}

/* Validates the records and returns them as rows ordered by (kind, ts),
 * keeping only the last of records with the same key. */
static GArray *
lers_store_rows_from_records (GPtrArray *records, GError **error)
{
  g_autoptr (GArray) rows = g_array_sized_new (FALSE, FALSE, sizeof (LersStoreRow), records->len);
  gboolean sorted = TRUE;
  guint out = 0;

  for (guint i = 0; i < records->len; i++)
    {
      LersRecord *record = g_ptr_array_index (records, i);
      LersStoreRow row = { 0 };
      guint n_values;

      if (!LERS_IS_RECORD (record))
        {
          g_set_error (error, LERS_ERROR, LERS_ERROR_INVALID_ARGUMENT,
                       _ ("Element %u of the records is not a LersRecord"), i);
          return NULL;
        }
      if ((guint) lers_record_get_kind (record) > G_MAXINT16
          || lers_record_get_channel (record) > G_MAXINT16)
        {
          g_set_error (error, LERS_ERROR, LERS_ERROR_INVALID_ARGUMENT,
                       _ ("Record %u: archive kind or channel out of range"), i);
          return NULL;
        }
      n_values = lers_record_get_n_values (record);
      for (guint j = 0; j < n_values; j++)
        {
          LersParameter parameter = 0;
          LersValueFlags flags = 0;

          lers_record_get_value_at (record, j, &parameter, NULL, &flags);
          if ((guint) parameter == 0 || (guint) parameter > 255 || (guint) flags > 255)
            {
              g_set_error (error, LERS_ERROR, LERS_ERROR_INVALID_ARGUMENT,
                           _ ("Record %u: parameter %u or its flags out of range"), i,
                           (guint) parameter);
              return NULL;
            }
        }
      row.ts = lers_store_datetime_to_pg (lers_record_get_timestamp (record));
      row.seq = i;
      row.kind = lers_record_get_kind (record);
      row.channel = lers_record_get_channel (record);
      row.record = record;
      /* strictly increasing (kind, ts), or the pass below must sort and
       * drop duplicates: an in-order repeat of a key counts as unsorted */
      if (rows->len > 0)
        {
          const LersStoreRow *prev = &g_array_index (rows, LersStoreRow, rows->len - 1);
          if (prev->kind > row.kind || (prev->kind == row.kind && prev->ts >= row.ts))
            sorted = FALSE;
        }
      g_array_append_val (rows, row);
    }

  if (!sorted)
    {
      g_array_sort (rows, lers_store_row_cmp);
      /* The same (kind, ts) twice: the later record wins. */
      for (guint i = 0; i < rows->len; i++)
        {
          LersStoreRow *row = &g_array_index (rows, LersStoreRow, i);
          if (i + 1 < rows->len)
            {
              LersStoreRow *next = &g_array_index (rows, LersStoreRow, i + 1);
              if (next->kind == row->kind && next->ts == row->ts)
                continue;
            }
          g_array_index (rows, LersStoreRow, out++) = *row;
        }
      g_array_set_size (rows, out);
    }
  return g_steal_pointer (&rows);
}

static void
lers_store_append_values (GByteArray *buf, LersRecord *record)
{
  guint n_values = lers_record_get_n_values (record);

  for (guint j = 0; j < n_values; j++)
    {
      LersParameter parameter = 0;
      LersValueFlags flags = 0;
      gdouble value = 0;
      guint64 bits;
      guint8 entry[10];

      lers_record_get_value_at (record, j, &parameter, &value, &flags);
      memcpy (&bits, &value, sizeof bits);
      entry[0] = parameter;
      entry[1] = flags;
      for (guint k = 0; k < 8; k++)
        entry[2 + k] = (bits >> (8 * k)) & 0xff;
      g_byte_array_append (buf, entry, sizeof entry);
    }
}

/* Creates the monthly partitions the rows need, once per store. */
static gboolean
lers_store_ensure_partitions (LersStore *self, LersStoreConn *conn, GArray *rows, GError **error)
{
  g_autoptr (GHashTable) months = g_hash_table_new (NULL, NULL);
  gint64 lo = G_MAXINT64, hi = G_MININT64;
  GHashTableIter iter;
  gpointer key;

  for (guint i = 0; i < rows->len; i++)
    {
      const LersStoreRow *row = &g_array_index (rows, LersStoreRow, i);
      g_autoptr (GDateTime) dt = NULL;
      g_autoptr (GDateTime) start = NULL;
      g_autoptr (GDateTime) end = NULL;
      gint year, month;

      if (row->ts >= lo && row->ts < hi)
        continue;
      dt = lers_store_datetime_from_unix_us (row->ts + LERS_STORE_PG_EPOCH_US);
      g_date_time_get_ymd (dt, &year, &month, NULL);
      start = g_date_time_new_utc (year, month, 1, 0, 0, 0);
      end = g_date_time_add_months (start, 1);
      lo = lers_store_datetime_to_pg (start);
      hi = end != NULL ? lers_store_datetime_to_pg (end) : G_MAXINT64;
      g_hash_table_add (months, GINT_TO_POINTER (year * 12 + month - 1));
    }

  g_hash_table_iter_init (&iter, months);
  while (g_hash_table_iter_next (&iter, &key, NULL))
    {
      gint index = GPOINTER_TO_INT (key);
      g_autofree gchar *at = NULL;
      const gchar *values[1];
      gboolean known;

      g_mutex_lock (&self->lock);
      known = g_hash_table_contains (self->partitions, key);
      g_mutex_unlock (&self->lock);
      if (known)
        continue;

      /* Outside the write's transaction, so the DDL lock is short. */
      at = g_strdup_printf ("%04d-%02d-01T00:00:00Z", index / 12, index % 12 + 1);
      values[0] = at;
      {
        g_autoptr (PGresult) res = lers_store_exec (
            conn, "SELECT lers_archive_ensure_partition($1::timestamptz)", 1, values, error);
        if (res == NULL)
          {
            g_prefix_error (error, _ ("Could not create the archive partition for %s: "), at);
            return FALSE;
          }
      }
      g_mutex_lock (&self->lock);
      g_hash_table_add (self->partitions, key);
      g_mutex_unlock (&self->lock);
    }
  return TRUE;
}

static gboolean
lers_store_write_small (LersStoreConn *conn, gint32 point_id, GArray *rows, GError **error)
{
  guint n = rows->len * 5;
  g_autoptr (GString) sql
      = g_string_new ("INSERT INTO archive AS a (point_id, kind, channel, ts, data) VALUES ");
  g_autofree Oid *types = g_new (Oid, n);
  g_autofree const gchar **values = g_new (const gchar *, n);
  g_autofree gint *lengths = g_new (gint, n);
  g_autofree guint8 *fixed = g_new (guint8, rows->len * 16);
  g_autoptr (GPtrArray) datas
      = g_ptr_array_new_with_free_func ((GDestroyNotify) g_byte_array_unref);
  g_autoptr (PGresult) res = NULL;

  for (guint i = 0; i < rows->len; i++)
    {
      const LersStoreRow *row = &g_array_index (rows, LersStoreRow, i);
      guint8 *f = fixed + i * 16;
      GByteArray *data = g_byte_array_new ();
      guint p = i * 5;

      lers_store_put_be32 (f, point_id);
      lers_store_put_be16 (f + 4, row->kind);
      lers_store_put_be16 (f + 6, row->channel);
      lers_store_put_be64 (f + 8, row->ts);
      lers_store_append_values (data, row->record);
      g_ptr_array_add (datas, data);

      types[p] = LERS_OID_INT4;
      values[p] = (const gchar *) f;
      lengths[p] = 4;
      types[p + 1] = LERS_OID_INT2;
      values[p + 1] = (const gchar *) f + 4;
      lengths[p + 1] = 2;
      types[p + 2] = LERS_OID_INT2;
      values[p + 2] = (const gchar *) f + 6;
      lengths[p + 2] = 2;
      types[p + 3] = LERS_OID_TIMESTAMPTZ;
      values[p + 3] = (const gchar *) f + 8;
      lengths[p + 3] = 8;
      types[p + 4] = LERS_OID_BYTEA;
      values[p + 4] = data->len > 0 ? (const gchar *) data->data : "";
      lengths[p + 4] = data->len;
      g_string_append_printf (sql, "%s($%u, $%u, $%u, $%u, $%u)", i > 0 ? ", " : "", p + 1, p + 2,
                              p + 3, p + 4, p + 5);
    }
  g_string_append (sql, " ON CONFLICT (point_id, kind, ts) DO UPDATE"
                        " SET channel = EXCLUDED.channel, data = EXCLUDED.data"
                        " WHERE (a.channel, a.data) IS DISTINCT FROM"
                        " (EXCLUDED.channel, EXCLUDED.data)");
  res = lers_store_exec_binary (conn, sql->str, n, types, values, lengths, error);
  return res != NULL;
}

static GByteArray *
lers_store_copy_buffer (gint32 point_id, GArray *rows)
{
  static const guint8 header[]
      = { 'P', 'G', 'C', 'O', 'P', 'Y', '\n', 0xff, '\r', '\n', 0, 0, 0, 0, 0, 0, 0, 0, 0 };
  GByteArray *buf = g_byte_array_sized_new (sizeof header + rows->len * 128);

  g_byte_array_append (buf, header, sizeof header);
  for (guint i = 0; i < rows->len; i++)
    {
      const LersStoreRow *row = &g_array_index (rows, LersStoreRow, i);
      guint8 fixed[2 + 8 + 6 + 6 + 12 + 4];
      guint len_at;

      lers_store_put_be16 (fixed, 5);
      lers_store_put_be32 (fixed + 2, 4);
      lers_store_put_be32 (fixed + 6, point_id);
      lers_store_put_be32 (fixed + 10, 2);
      lers_store_put_be16 (fixed + 14, row->kind);
      lers_store_put_be32 (fixed + 16, 2);
      lers_store_put_be16 (fixed + 20, row->channel);
      lers_store_put_be32 (fixed + 22, 8);
      lers_store_put_be64 (fixed + 26, row->ts);
      g_byte_array_append (buf, fixed, sizeof fixed);
      len_at = buf->len - 4;
      lers_store_append_values (buf, row->record);
      lers_store_put_be32 (buf->data + len_at, buf->len - len_at - 4);
    }
  {
    static const guint8 trailer[] = { 0xff, 0xff };
    g_byte_array_append (buf, trailer, sizeof trailer);
  }
  return buf;
}

static gboolean
lers_store_copy_in (LersStoreConn *conn, const gchar *sql, GByteArray *buf, GError **error)
{
  const gsize chunk = 1024 * 1024;
  PGresult *res = PQexec (conn->pg, sql);
  gboolean ok;

  if (PQresultStatus (res) != PGRES_COPY_IN)
    {
      lers_store_set_error (error, conn, res);
      PQclear (res);
      return FALSE;
    }
  PQclear (res);
  for (gsize off = 0; off < buf->len; off += chunk)
    {
      if (PQputCopyData (conn->pg, (const gchar *) buf->data + off, MIN (chunk, buf->len - off))
          != 1)
        break;
    }
  PQputCopyEnd (conn->pg, NULL);
  res = PQgetResult (conn->pg);
  ok = PQresultStatus (res) == PGRES_COMMAND_OK;
  if (!ok)
    lers_store_set_error (error, conn, res);
  PQclear (res);
  while ((res = PQgetResult (conn->pg)) != NULL)
    PQclear (res);
  return ok;
}

/* Is there any stored row of this point in the batch's time range? */
static gint
lers_store_range_has_rows (LersStoreConn *conn, gint32 point_id, GArray *rows, GError **error)
{
  guint8 buf[4 + 8 + 8];
  const gchar *values[]
      = { (const gchar *) buf, (const gchar *) buf + 4, (const gchar *) buf + 12 };
  const gint lengths[] = { 4, 8, 8 };
  const Oid types[] = { LERS_OID_INT4, LERS_OID_TIMESTAMPTZ, LERS_OID_TIMESTAMPTZ };
  gint64 lo = G_MAXINT64, hi = G_MININT64;
  g_autoptr (PGresult) res = NULL;

  for (guint i = 0; i < rows->len; i++)
    {
      const LersStoreRow *row = &g_array_index (rows, LersStoreRow, i);
      lo = MIN (lo, row->ts);
      hi = MAX (hi, row->ts);
    }
  lers_store_put_be32 (buf, point_id);
  lers_store_put_be64 (buf + 4, lo);
  lers_store_put_be64 (buf + 12, hi);
  res = lers_store_exec_binary (conn,
                                "SELECT 1 FROM archive WHERE point_id = $1"
                                " AND ts BETWEEN $2 AND $3 LIMIT 1",
                                3, types, values, lengths, error);
  if (res == NULL)
    return -1;
  return PQntuples (res) > 0;
}

static gboolean
lers_store_write_copy (LersStoreConn *conn, gint32 point_id, GArray *rows, GError **error)
{
  g_autoptr (GByteArray) buf = lers_store_copy_buffer (point_id, rows);
  g_autoptr (GError) copy_error = NULL;
  gint existing;

  /* New hours (the common case: polling goes forward in time) are copied
   * straight into the archive; a range that already has rows goes through a
   * staging table and INSERT … ON CONFLICT, so re-reading is idempotent. */
  existing = lers_store_range_has_rows (conn, point_id, rows, error);
  if (existing < 0)
    return FALSE;
  if (existing == 0)
    {
      if (!lers_store_exec_simple (conn, "BEGIN", error))
        return FALSE;
      if (lers_store_copy_in (conn,
                              "COPY archive (point_id, kind, channel, ts, data)"
                              " FROM STDIN (FORMAT binary)",
                              buf, &copy_error))
        return lers_store_exec_simple (conn, "COMMIT", error);
      /* A concurrent writer got there first: fall back to the upsert. */
      if (PQstatus (conn->pg) != CONNECTION_OK
          || g_strcmp0 (conn->sqlstate, "23505") != 0 /* unique_violation */)
        {
          g_propagate_error (error, g_steal_pointer (&copy_error));
          return FALSE;
        }
      if (!lers_store_exec_simple (conn, "ROLLBACK", error))
        return FALSE;
    }

  if (!conn->has_temp)
    {
      if (!lers_store_exec_simple (conn,
                                   "CREATE TEMP TABLE IF NOT EXISTS lers_archive_in ("
                                   " point_id int4, kind int2, channel int2,"
                                   " ts timestamptz, data bytea) ON COMMIT DELETE ROWS",
                                   error))
        return FALSE;
      conn->has_temp = TRUE;
    }
  if (!lers_store_exec_simple (conn, "BEGIN", error))
    return FALSE;
  if (!lers_store_copy_in (conn, "COPY lers_archive_in FROM STDIN (FORMAT binary)", buf, error))
    return FALSE;
  if (!lers_store_exec_simple (conn,
                               "INSERT INTO archive AS a (point_id, kind, channel, ts, data)"
                               " SELECT point_id, kind, channel, ts, data FROM lers_archive_in"
                               " ON CONFLICT (point_id, kind, ts) DO UPDATE"
                               " SET channel = EXCLUDED.channel, data = EXCLUDED.data"
                               " WHERE (a.channel, a.data) IS DISTINCT FROM"
                               " (EXCLUDED.channel, EXCLUDED.data)",
                               error))
    return FALSE;
  return lers_store_exec_simple (conn, "COMMIT", error);
}

static gboolean
lers_store_job_write_run (LersStore *self, LersStoreConn *conn, LersStoreJob *job,
                          GCancellable *cancellable, GError **error)
{
  g_autoptr (GArray) rows = NULL;

  if (job->id <= 0 || job->id > G_MAXINT32)
    {
      g_set_error (error, LERS_ERROR, LERS_ERROR_INVALID_ARGUMENT,
                   _ ("Measure point id %" PRId64 " is out of range"), job->id);
      return FALSE;
    }
  rows = lers_store_rows_from_records (job->records, error);
  if (rows == NULL)
    return FALSE;
  if (rows->len == 0)
    return TRUE;

  for (guint attempt = 0;; attempt++)
    {
      g_autoptr (GError) local_error = NULL;
      gboolean ok;

      if (!lers_store_ensure_partitions (self, conn, rows, error))
        return FALSE;
      if (rows->len <= LERS_STORE_SMALL_BATCH)
        ok = lers_store_write_small (conn, job->id, rows, &local_error);
      else
        ok = lers_store_write_copy (conn, job->id, rows, &local_error);
      if (ok)
        return TRUE;

      /* A partition dropped behind our back: forget what we know, retry. */
      if (attempt == 0
          && PQstatus (conn->pg) == CONNECTION_OK
          /* check_violation: the archive has no CHECK, only partition bounds */
          && g_strcmp0 (conn->sqlstate, "23514") == 0)
        {
          if (PQtransactionStatus (conn->pg) != PQTRANS_IDLE)
            PQclear (PQexec (conn->pg, "ROLLBACK"));
          g_mutex_lock (&self->lock);
          g_hash_table_remove_all (self->partitions);
          g_mutex_unlock (&self->lock);
          continue;
        }
      g_propagate_prefixed_error (error, g_steal_pointer (&local_error),
                                  _ ("Could not write the archive of point %" PRId64 ": "),
                                  job->id);
      return FALSE;
    }
}

LersStoreJob *
lers_store_job_new_write (gint64 point_id, GPtrArray *records)
{
  LersStoreJob *job = g_new0 (LersStoreJob, 1);

  job->func = lers_store_job_write_run;
  job->id = point_id;
  job->records = g_ptr_array_ref (records);
  return job;
}

static LersRecord *
lers_store_record_from_row (PGresult *res, gint row, GError **error)
{
  const guint8 *kind = (const guint8 *) PQgetvalue (res, row, 0);
  const guint8 *channel = (const guint8 *) PQgetvalue (res, row, 1);
  const guint8 *ts = (const guint8 *) PQgetvalue (res, row, 2);
  const guint8 *data = (const guint8 *) PQgetvalue (res, row, 3);
  gint len = PQgetlength (res, row, 3);
  g_autoptr (GDateTime) dt = NULL;
  g_autoptr (LersRecord) record = NULL;

  if (PQgetlength (res, row, 0) != 2 || PQgetlength (res, row, 1) != 2
      || PQgetlength (res, row, 2) != 8 || len % 10 != 0)
    {
      g_set_error (error, LERS_ERROR, LERS_ERROR_INVALID_DATA, _ ("Malformed archive row %d"), row);
      return NULL;
    }
  dt = lers_store_datetime_from_unix_us ((gint64) lers_store_get_be (ts, 8)
                                         + LERS_STORE_PG_EPOCH_US);
  if (dt == NULL)
    {
      g_set_error (error, LERS_ERROR, LERS_ERROR_INVALID_DATA,
                   _ ("Archive row %d has a timestamp out of range"), row);
      return NULL;
    }
  record = lers_record_new (dt, (gint16) lers_store_get_be (kind, 2));
  lers_record_set_channel (record, (guint16) lers_store_get_be (channel, 2));
  for (gint off = 0; off < len; off += 10)
    {
      guint64 bits = 0;
      gdouble value;

      for (guint k = 0; k < 8; k++)
        bits |= (guint64) data[off + 2 + k] << (8 * k);
      memcpy (&value, &bits, sizeof value);
      /* A parameter a newer version of LERS wrote: not ours to show. */
      if (lers_parameter_get_name (data[off]) == NULL)
        continue;
      lers_record_set_value (record, data[off], value, data[off + 1]);
    }
  return g_steal_pointer (&record);
}

static gboolean
lers_store_job_query_run (LersStore *self, LersStoreConn *conn, LersStoreJob *job,
                          GCancellable *cancellable, GError **error)
{
  guint8 buf[4 + 2 + 8 + 8];
  const gchar *values[] = { (const gchar *) buf, (const gchar *) buf + 4, (const gchar *) buf + 6,
                            (const gchar *) buf + 14 };
  const gint lengths[] = { 4, 2, 8, 8 };
  const Oid types[] = { LERS_OID_INT4, LERS_OID_INT2, LERS_OID_TIMESTAMPTZ, LERS_OID_TIMESTAMPTZ };
  g_autoptr (PGresult) res = NULL;
  g_autoptr (GPtrArray) records = g_ptr_array_new_with_free_func (g_object_unref);

  if (job->id <= 0 || job->id > G_MAXINT32)
    {
      lers_store_job_set_result (job, g_steal_pointer (&records),
                                 (GDestroyNotify) g_ptr_array_unref);
      return TRUE;
    }
  lers_store_put_be32 (buf, job->id);
  lers_store_put_be16 (buf + 4, job->kind);
  /* No bound is -infinity / infinity, which PostgreSQL stores as the
   * smallest and largest int64. */
  lers_store_put_be64 (buf + 6,
                       job->from != NULL ? lers_store_datetime_to_pg (job->from) : G_MININT64);
  lers_store_put_be64 (buf + 14,
                       job->to != NULL ? lers_store_datetime_to_pg (job->to) : G_MAXINT64);
  res = lers_store_exec_binary (conn,
                                "SELECT kind, channel, ts, data FROM archive"
                                " WHERE point_id = $1 AND kind = $2 AND ts >= $3 AND ts < $4"
                                " ORDER BY ts",
                                4, types, values, lengths, error);
  if (res == NULL)
    {
      g_prefix_error (error, _ ("Could not read the archive of point %" PRId64 ": "), job->id);
      return FALSE;
    }
  for (gint i = 0; i < PQntuples (res); i++)
    {
      LersRecord *record = lers_store_record_from_row (res, i, error);
      if (record == NULL)
        return FALSE;
      g_ptr_array_add (records, record);
    }
  lers_store_job_set_result (job, g_steal_pointer (&records), (GDestroyNotify) g_ptr_array_unref);
  return TRUE;
}

LersStoreJob *
lers_store_job_new_query (gint64 point_id, LersArchiveKind kind, GDateTime *from, GDateTime *to)
{
  LersStoreJob *job = g_new0 (LersStoreJob, 1);

  job->func = lers_store_job_query_run;
  job->id = point_id;
  job->kind = kind;
  job->from = from != NULL ? g_date_time_ref (from) : NULL;
  job->to = to != NULL ? g_date_time_ref (to) : NULL;
  return job;
}

static gboolean
lers_store_job_last_run (LersStore *self, LersStoreConn *conn, LersStoreJob *job,
                         GCancellable *cancellable, GError **error)
{
  guint8 buf[4 + 2];
  const gchar *values[] = { (const gchar *) buf, (const gchar *) buf + 4 };
  const gint lengths[] = { 4, 2 };
  const Oid types[] = { LERS_OID_INT4, LERS_OID_INT2 };
  g_autoptr (PGresult) res = NULL;

  if (job->id <= 0 || job->id > G_MAXINT32)
    return TRUE;
  lers_store_put_be32 (buf, job->id);
  lers_store_put_be16 (buf + 4, job->kind);
  res = lers_store_exec_binary (conn,
                                "SELECT ts FROM archive WHERE point_id = $1 AND kind = $2"
                                " ORDER BY ts DESC LIMIT 1",
                                2, types, values, lengths, error);
  if (res == NULL)
    {
      g_prefix_error (error, _ ("Could not read the archive of point %" PRId64 ": "), job->id);
      return FALSE;
    }
  if (PQntuples (res) == 1 && PQgetlength (res, 0, 0) == 8)
    {
      gint64 ts = lers_store_get_be ((const guint8 *) PQgetvalue (res, 0, 0), 8);
      lers_store_job_set_result (job,
                                 lers_store_datetime_from_unix_us (ts + LERS_STORE_PG_EPOCH_US),
                                 (GDestroyNotify) g_date_time_unref);
    }
  return TRUE;
}

LersStoreJob *
lers_store_job_new_last (gint64 point_id, LersArchiveKind kind)
{
  LersStoreJob *job = g_new0 (LersStoreJob, 1);

  job->func = lers_store_job_last_run;
  job->id = point_id;
  job->kind = kind;
  return job;
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

/**
 * lers_store_write_records_async:
 * @self: a #LersStore
 * @point_id: the measure point the records belong to
 * @records: (element-type Lers.Record): the records; they must not change until
 *   the operation completes
 * @cancellable: (nullable): a #GCancellable
 * @callback: (scope async): called when done
 * @user_data: (closure): data for @callback
 *
 * Writes archive records in a worker thread; see
 * [method@Lers.Store.write_records_sync].
 *
 * Since: 0.1
 */
void
lers_store_write_records_async (LersStore *self, gint64 point_id, GPtrArray *records,
                                GCancellable *cancellable, GAsyncReadyCallback callback,
                                gpointer user_data)
{
  g_return_if_fail (LERS_IS_STORE (self));
  g_return_if_fail (records != NULL);

  lers_store_queue_job (self, lers_store_job_new_write (point_id, records),
                        lers_store_write_records_async, cancellable, callback, user_data);
}

/**
 * lers_store_write_records_finish:
 * @self: a #LersStore
 * @result: the #GAsyncResult
 * @error: return location for a #GError
 *
 * Finishes [method@Lers.Store.write_records_async].
 *
 * Returns: %TRUE if all records were stored
 *
 * Since: 0.1
 */
gboolean
lers_store_write_records_finish (LersStore *self, GAsyncResult *result, GError **error)
{
  return lers_store_finish_boolean (self, result, lers_store_write_records_async, error);
}

/**
 * lers_store_query_archive_async:
 * @self: a #LersStore
 * @point_id: the measure point
 * @kind: the archive
 * @from: (nullable): the first timestamp included, or %NULL for no lower bound
 * @to: (nullable): the first timestamp excluded, or %NULL for no upper bound
 * @cancellable: (nullable): a #GCancellable
 * @callback: (scope async): called when done
 * @user_data: (closure): data for @callback
 *
 * Reads archive records in a worker thread; see
 * [method@Lers.Store.query_archive_sync].
 *
 * Since: 0.1
 */
void
lers_store_query_archive_async (LersStore *self, gint64 point_id, LersArchiveKind kind,
                                GDateTime *from, GDateTime *to, GCancellable *cancellable,
                                GAsyncReadyCallback callback, gpointer user_data)
{
  g_return_if_fail (LERS_IS_STORE (self));

  lers_store_queue_job (self, lers_store_job_new_query (point_id, kind, from, to),
                        lers_store_query_archive_async, cancellable, callback, user_data);
}

/**
 * lers_store_query_archive_finish:
 * @self: a #LersStore
 * @result: the #GAsyncResult
 * @error: return location for a #GError
 *
 * Finishes [method@Lers.Store.query_archive_async].
 *
 * Returns: (transfer container) (element-type Lers.Record): the records
 *   ordered by time, or %NULL on error
 *
 * Since: 0.1
 */
GPtrArray *
lers_store_query_archive_finish (LersStore *self, GAsyncResult *result, GError **error)
{
  return lers_store_finish_pointer (self, result, lers_store_query_archive_async, error);
}

/**
 * lers_store_get_last_timestamp_async:
 * @self: a #LersStore
 * @point_id: the measure point
 * @kind: the archive
 * @cancellable: (nullable): a #GCancellable
 * @callback: (scope async): called when done
 * @user_data: (closure): data for @callback
 *
 * Finds the newest stored record in a worker thread; see
 * [method@Lers.Store.get_last_timestamp_sync].
 *
 * Since: 0.1
 */
void
lers_store_get_last_timestamp_async (LersStore *self, gint64 point_id, LersArchiveKind kind,
                                     GCancellable *cancellable, GAsyncReadyCallback callback,
                                     gpointer user_data)
{
  g_return_if_fail (LERS_IS_STORE (self));

  lers_store_queue_job (self, lers_store_job_new_last (point_id, kind),
                        lers_store_get_last_timestamp_async, cancellable, callback, user_data);
}

/**
 * lers_store_get_last_timestamp_finish:
 * @self: a #LersStore
 * @result: the #GAsyncResult
 * @error: return location for a #GError
 *
 * Finishes [method@Lers.Store.get_last_timestamp_async]. %NULL with no
 * error set means the archive is empty.
 *
 * Returns: (transfer full) (nullable): the timestamp of the newest record,
 *   or %NULL
 *
 * Since: 0.1
 */
GDateTime *
lers_store_get_last_timestamp_finish (LersStore *self, GAsyncResult *result, GError **error)
{
  return lers_store_finish_pointer (self, result, lers_store_get_last_timestamp_async, error);
}

/**
 * lers_store_save_node_async:
 * @self: a #LersStore
 * @node: the node (объект учёта) to save
 * @cancellable: (nullable): a #GCancellable
 * @callback: (scope async): called when done
 * @user_data: (closure): data for @callback
 *
 * Saves @node in a worker thread; see [method@Lers.Store.save_node_sync].
 * The properties are read now; the id is set by the finish function.
 *
 * Since: 0.1
 */
void
lers_store_save_node_async (LersStore *self, LersNode *node, GCancellable *cancellable,
                            GAsyncReadyCallback callback, gpointer user_data)
{
  g_return_if_fail (LERS_IS_STORE (self));
  g_return_if_fail (LERS_IS_NODE (node));

  lers_store_queue_job (self, lers_store_job_new_save (&lers_store_model_node, G_OBJECT (node)),
                        lers_store_save_node_async, cancellable, callback, user_data);
}

/**
 * lers_store_save_node_finish:
 * @self: a #LersStore
 * @result: the #GAsyncResult
 * @error: return location for a #GError
 *
 * Finishes [method@Lers.Store.save_node_async], setting the id of a newly
 * inserted object.
 *
 * Returns: %TRUE on success
 *
 * Since: 0.1
 */
gboolean
lers_store_save_node_finish (LersStore *self, GAsyncResult *result, GError **error)
{
  return lers_store_finish_save (self, result, lers_store_save_node_async, error);
}

/**
 * lers_store_get_node_async:
 * @self: a #LersStore
 * @id: the id of the node (объект учёта)
 * @cancellable: (nullable): a #GCancellable
 * @callback: (scope async): called when done
 * @user_data: (closure): data for @callback
 *
 * Reads one node (объект учёта) in a worker thread.
 *
 * Since: 0.1
 */
void
lers_store_get_node_async (LersStore *self, gint64 id, GCancellable *cancellable,
                           GAsyncReadyCallback callback, gpointer user_data)
{
  g_return_if_fail (LERS_IS_STORE (self));

  lers_store_queue_job (self, lers_store_job_new_get (&lers_store_model_node, id),
                        lers_store_get_node_async, cancellable, callback, user_data);
}

/**
 * lers_store_get_node_finish:
 * @self: a #LersStore
 * @result: the #GAsyncResult
 * @error: return location for a #GError
 *
 * Finishes [method@Lers.Store.get_node_async].
 *
 * Returns: (transfer full): the node (объект учёта), or %NULL with
 *   %LERS_ERROR_NOT_FOUND if there is none
 *
 * Since: 0.1
 */
LersNode *
lers_store_get_node_finish (LersStore *self, GAsyncResult *result, GError **error)
{
  return (LersNode *) lers_store_finish_pointer (self, result, lers_store_get_node_async, error);
}

/**
 * lers_store_list_nodes_async:
 * @self: a #LersStore
 * @cancellable: (nullable): a #GCancellable
 * @callback: (scope async): called when done
 * @user_data: (closure): data for @callback
 *
 * Reads all nodes in a worker thread.
 *
 * Since: 0.1
 */
void
lers_store_list_nodes_async (LersStore *self, GCancellable *cancellable,
                             GAsyncReadyCallback callback, gpointer user_data)
{
  g_return_if_fail (LERS_IS_STORE (self));

  lers_store_queue_job (self, lers_store_job_new_list (&lers_store_model_node, 0),
                        lers_store_list_nodes_async, cancellable, callback, user_data);
}

/**
 * lers_store_list_nodes_finish:
 * @self: a #LersStore
 * @result: the #GAsyncResult
 * @error: return location for a #GError
 *
 * Finishes [method@Lers.Store.list_nodes_async].
 *
 * Returns: (transfer container) (element-type Lers.Node): the objects, or %NULL on error
 *
 * Since: 0.1
 */
GPtrArray *
lers_store_list_nodes_finish (LersStore *self, GAsyncResult *result, GError **error)
{
  return lers_store_finish_pointer (self, result, lers_store_list_nodes_async, error);
}

/**
 * lers_store_delete_node_async:
 * @self: a #LersStore
 * @id: the id of the node (объект учёта)
 * @cancellable: (nullable): a #GCancellable
 * @callback: (scope async): called when done
 * @user_data: (closure): data for @callback
 *
 * Deletes one node (объект учёта) with its measure points and their archives in a worker thread.
 *
 * Since: 0.1
 */
void
lers_store_delete_node_async (LersStore *self, gint64 id, GCancellable *cancellable,
                              GAsyncReadyCallback callback, gpointer user_data)
{
  g_return_if_fail (LERS_IS_STORE (self));

  lers_store_queue_job (self, lers_store_job_new_delete (&lers_store_model_node, id),
                        lers_store_delete_node_async, cancellable, callback, user_data);
}

/**
 * lers_store_delete_node_finish:
 * @self: a #LersStore
 * @result: the #GAsyncResult
 * @error: return location for a #GError
 *
 * Finishes [method@Lers.Store.delete_node_async].
 *
 * Returns: %TRUE on success, %FALSE with %LERS_ERROR_NOT_FOUND if there
 *   was none
 *
 * Since: 0.1
 */
gboolean
lers_store_delete_node_finish (LersStore *self, GAsyncResult *result, GError **error)
{
  return lers_store_finish_boolean (self, result, lers_store_delete_node_async, error);
}

/**
 * lers_store_save_measure_point_async:
 * @self: a #LersStore
 * @measure_point: the measure point (точка учёта) to save
 * @cancellable: (nullable): a #GCancellable
 * @callback: (scope async): called when done
 * @user_data: (closure): data for @callback
 *
 * Saves @measure_point in a worker thread; see [method@Lers.Store.save_measure_point_sync].
 * The properties are read now; the id is set by the finish function.
 *
 * Since: 0.1
 */
void
lers_store_save_measure_point_async (LersStore *self, LersMeasurePoint *measure_point,
                                     GCancellable *cancellable, GAsyncReadyCallback callback,
                                     gpointer user_data)
{
  g_return_if_fail (LERS_IS_STORE (self));
  g_return_if_fail (LERS_IS_MEASURE_POINT (measure_point));

  lers_store_queue_job (
      self, lers_store_job_new_save (&lers_store_model_measure_point, G_OBJECT (measure_point)),
      lers_store_save_measure_point_async, cancellable, callback, user_data);
}

/**
 * lers_store_save_measure_point_finish:
 * @self: a #LersStore
 * @result: the #GAsyncResult
 * @error: return location for a #GError
 *
 * Finishes [method@Lers.Store.save_measure_point_async], setting the id of a newly
 * inserted object.
 *
 * Returns: %TRUE on success
 *
 * Since: 0.1
 */
gboolean
lers_store_save_measure_point_finish (LersStore *self, GAsyncResult *result, GError **error)
{
  return lers_store_finish_save (self, result, lers_store_save_measure_point_async, error);
}

/**
 * lers_store_get_measure_point_async:
 * @self: a #LersStore
 * @id: the id of the measure point (точка учёта)
 * @cancellable: (nullable): a #GCancellable
 * @callback: (scope async): called when done
 * @user_data: (closure): data for @callback
 *
 * Reads one measure point (точка учёта) in a worker thread.
 *
 * Since: 0.1
 */
void
lers_store_get_measure_point_async (LersStore *self, gint64 id, GCancellable *cancellable,
                                    GAsyncReadyCallback callback, gpointer user_data)
{
  g_return_if_fail (LERS_IS_STORE (self));

  lers_store_queue_job (self, lers_store_job_new_get (&lers_store_model_measure_point, id),
                        lers_store_get_measure_point_async, cancellable, callback, user_data);
}

/**
 * lers_store_get_measure_point_finish:
 * @self: a #LersStore
 * @result: the #GAsyncResult
 * @error: return location for a #GError
 *
 * Finishes [method@Lers.Store.get_measure_point_async].
 *
 * Returns: (transfer full): the measure point (точка учёта), or %NULL with
 *   %LERS_ERROR_NOT_FOUND if there is none
 *
 * Since: 0.1
 */
LersMeasurePoint *
lers_store_get_measure_point_finish (LersStore *self, GAsyncResult *result, GError **error)
{
  return (LersMeasurePoint *) lers_store_finish_pointer (self, result,
                                                         lers_store_get_measure_point_async, error);
}

/**
 * lers_store_list_measure_points_async:
 * @self: a #LersStore
 * @node_id: the node whose points to list, or 0 for all points
 * @cancellable: (nullable): a #GCancellable
 * @callback: (scope async): called when done
 * @user_data: (closure): data for @callback
 *
 * Reads all measure_points in a worker thread.
 *
 * Since: 0.1
 */
void
lers_store_list_measure_points_async (LersStore *self, gint64 node_id, GCancellable *cancellable,
                                      GAsyncReadyCallback callback, gpointer user_data)
{
  g_return_if_fail (LERS_IS_STORE (self));
  g_return_if_fail (node_id >= 0);

  lers_store_queue_job (self, lers_store_job_new_list (&lers_store_model_measure_point, node_id),
                        lers_store_list_measure_points_async, cancellable, callback, user_data);
}

/**
 * lers_store_list_measure_points_finish:
 * @self: a #LersStore
 * @result: the #GAsyncResult
 * @error: return location for a #GError
 *
 * Finishes [method@Lers.Store.list_measure_points_async].
 *
 * Returns: (transfer container) (element-type Lers.MeasurePoint): the objects, or %NULL on error
 *
 * Since: 0.1
 */
GPtrArray *
lers_store_list_measure_points_finish (LersStore *self, GAsyncResult *result, GError **error)
{
  return lers_store_finish_pointer (self, result, lers_store_list_measure_points_async, error);
}

/**
 * lers_store_delete_measure_point_async:
 * @self: a #LersStore
 * @id: the id of the measure point (точка учёта)
 * @cancellable: (nullable): a #GCancellable
 * @callback: (scope async): called when done
 * @user_data: (closure): data for @callback
 *
 * Deletes one measure point (точка учёта) and its archive in a worker thread.
 *
 * Since: 0.1
 */
void
lers_store_delete_measure_point_async (LersStore *self, gint64 id, GCancellable *cancellable,
                                       GAsyncReadyCallback callback, gpointer user_data)
{
  g_return_if_fail (LERS_IS_STORE (self));

  lers_store_queue_job (self, lers_store_job_new_delete (&lers_store_model_measure_point, id),
                        lers_store_delete_measure_point_async, cancellable, callback, user_data);
}

/**
 * lers_store_delete_measure_point_finish:
 * @self: a #LersStore
 * @result: the #GAsyncResult
 * @error: return location for a #GError
 *
 * Finishes [method@Lers.Store.delete_measure_point_async].
 *
 * Returns: %TRUE on success, %FALSE with %LERS_ERROR_NOT_FOUND if there
 *   was none
 *
 * Since: 0.1
 */
gboolean
lers_store_delete_measure_point_finish (LersStore *self, GAsyncResult *result, GError **error)
{
  return lers_store_finish_boolean (self, result, lers_store_delete_measure_point_async, error);
}

/**
 * lers_store_save_device_async:
 * @self: a #LersStore
 * @device: the device (прибор учёта) to save
 * @cancellable: (nullable): a #GCancellable
 * @callback: (scope async): called when done
 * @user_data: (closure): data for @callback
 *
 * Saves @device in a worker thread; see [method@Lers.Store.save_device_sync].
 * The properties are read now; the id is set by the finish function.
 *
 * Since: 0.1
 */
void
lers_store_save_device_async (LersStore *self, LersDevice *device, GCancellable *cancellable,
                              GAsyncReadyCallback callback, gpointer user_data)
{
  g_return_if_fail (LERS_IS_STORE (self));
  g_return_if_fail (LERS_IS_DEVICE (device));

  lers_store_queue_job (self, lers_store_job_new_save (&lers_store_model_device, G_OBJECT (device)),
                        lers_store_save_device_async, cancellable, callback, user_data);
}

/**
 * lers_store_save_device_finish:
 * @self: a #LersStore
 * @result: the #GAsyncResult
 * @error: return location for a #GError
 *
 * Finishes [method@Lers.Store.save_device_async], setting the id of a newly
 * inserted object.
 *
 * Returns: %TRUE on success
 *
 * Since: 0.1
 */
gboolean
lers_store_save_device_finish (LersStore *self, GAsyncResult *result, GError **error)
{
  return lers_store_finish_save (self, result, lers_store_save_device_async, error);
}

/**
 * lers_store_get_device_async:
 * @self: a #LersStore
 * @id: the id of the device (прибор учёта)
 * @cancellable: (nullable): a #GCancellable
 * @callback: (scope async): called when done
 * @user_data: (closure): data for @callback
 *
 * Reads one device (прибор учёта) in a worker thread.
 *
 * Since: 0.1
 */
void
lers_store_get_device_async (LersStore *self, gint64 id, GCancellable *cancellable,
                             GAsyncReadyCallback callback, gpointer user_data)
{
  g_return_if_fail (LERS_IS_STORE (self));

  lers_store_queue_job (self, lers_store_job_new_get (&lers_store_model_device, id),
                        lers_store_get_device_async, cancellable, callback, user_data);
}

/**
 * lers_store_get_device_finish:
 * @self: a #LersStore
 * @result: the #GAsyncResult
 * @error: return location for a #GError
 *
 * Finishes [method@Lers.Store.get_device_async].
 *
 * Returns: (transfer full): the device (прибор учёта), or %NULL with
 *   %LERS_ERROR_NOT_FOUND if there is none
 *
 * Since: 0.1
 */
LersDevice *
lers_store_get_device_finish (LersStore *self, GAsyncResult *result, GError **error)
{
  return (LersDevice *) lers_store_finish_pointer (self, result, lers_store_get_device_async,
                                                   error);
}

/**
 * lers_store_list_devices_async:
 * @self: a #LersStore
 * @cancellable: (nullable): a #GCancellable
 * @callback: (scope async): called when done
 * @user_data: (closure): data for @callback
 *
 * Reads all devices in a worker thread.
 *
 * Since: 0.1
 */
void
lers_store_list_devices_async (LersStore *self, GCancellable *cancellable,
                               GAsyncReadyCallback callback, gpointer user_data)
{
  g_return_if_fail (LERS_IS_STORE (self));

  lers_store_queue_job (self, lers_store_job_new_list (&lers_store_model_device, 0),
                        lers_store_list_devices_async, cancellable, callback, user_data);
}

/**
 * lers_store_list_devices_finish:
 * @self: a #LersStore
 * @result: the #GAsyncResult
 * @error: return location for a #GError
 *
 * Finishes [method@Lers.Store.list_devices_async].
 *
 * Returns: (transfer container) (element-type Lers.Device): the objects, or %NULL on error
 *
 * Since: 0.1
 */
GPtrArray *
lers_store_list_devices_finish (LersStore *self, GAsyncResult *result, GError **error)
{
  return lers_store_finish_pointer (self, result, lers_store_list_devices_async, error);
}

/**
 * lers_store_delete_device_async:
 * @self: a #LersStore
 * @id: the id of the device (прибор учёта)
 * @cancellable: (nullable): a #GCancellable
 * @callback: (scope async): called when done
 * @user_data: (closure): data for @callback
 *
 * Deletes one device (прибор учёта) in a worker thread.
 *
 * Since: 0.1
 */
void
lers_store_delete_device_async (LersStore *self, gint64 id, GCancellable *cancellable,
                                GAsyncReadyCallback callback, gpointer user_data)
{
  g_return_if_fail (LERS_IS_STORE (self));

  lers_store_queue_job (self, lers_store_job_new_delete (&lers_store_model_device, id),
                        lers_store_delete_device_async, cancellable, callback, user_data);
}

/**
 * lers_store_delete_device_finish:
 * @self: a #LersStore
 * @result: the #GAsyncResult
 * @error: return location for a #GError
 *
 * Finishes [method@Lers.Store.delete_device_async].
 *
 * Returns: %TRUE on success, %FALSE with %LERS_ERROR_NOT_FOUND if there
 *   was none
 *
 * Since: 0.1
 */
gboolean
lers_store_delete_device_finish (LersStore *self, GAsyncResult *result, GError **error)
{
  return lers_store_finish_boolean (self, result, lers_store_delete_device_async, error);
}

/**
 * lers_store_save_connection_async:
 * @self: a #LersStore
 * @connection: the connection to save
 * @cancellable: (nullable): a #GCancellable
 * @callback: (scope async): called when done
 * @user_data: (closure): data for @callback
 *
 * Saves @connection in a worker thread; see [method@Lers.Store.save_connection_sync].
 * The properties are read now; the id is set by the finish function.
 *
 * Since: 0.1
 */
void
lers_store_save_connection_async (LersStore *self, LersConnection *connection,
                                  GCancellable *cancellable, GAsyncReadyCallback callback,
                                  gpointer user_data)
{
  g_return_if_fail (LERS_IS_STORE (self));
  g_return_if_fail (LERS_IS_CONNECTION (connection));

  lers_store_queue_job (
      self, lers_store_job_new_save (&lers_store_model_connection, G_OBJECT (connection)),
      lers_store_save_connection_async, cancellable, callback, user_data);
}

/**
 * lers_store_save_connection_finish:
 * @self: a #LersStore
 * @result: the #GAsyncResult
 * @error: return location for a #GError
 *
 * Finishes [method@Lers.Store.save_connection_async], setting the id of a newly
 * inserted object.
 *
 * Returns: %TRUE on success
 *
 * Since: 0.1
 */
gboolean
lers_store_save_connection_finish (LersStore *self, GAsyncResult *result, GError **error)
{
  return lers_store_finish_save (self, result, lers_store_save_connection_async, error);
}

/**
 * lers_store_get_connection_async:
 * @self: a #LersStore
 * @id: the id of the connection
 * @cancellable: (nullable): a #GCancellable
 * @callback: (scope async): called when done
 * @user_data: (closure): data for @callback
 *
 * Reads one connection in a worker thread.
 *
 * Since: 0.1
 */
void
lers_store_get_connection_async (LersStore *self, gint64 id, GCancellable *cancellable,
                                 GAsyncReadyCallback callback, gpointer user_data)
{
  g_return_if_fail (LERS_IS_STORE (self));

  lers_store_queue_job (self, lers_store_job_new_get (&lers_store_model_connection, id),
                        lers_store_get_connection_async, cancellable, callback, user_data);
}

/**
 * lers_store_get_connection_finish:
 * @self: a #LersStore
 * @result: the #GAsyncResult
 * @error: return location for a #GError
 *
 * Finishes [method@Lers.Store.get_connection_async].
 *
 * Returns: (transfer full): the connection, or %NULL with
 *   %LERS_ERROR_NOT_FOUND if there is none
 *
 * Since: 0.1
 */
LersConnection *
lers_store_get_connection_finish (LersStore *self, GAsyncResult *result, GError **error)
{
  return (LersConnection *) lers_store_finish_pointer (self, result,
                                                       lers_store_get_connection_async, error);
}

/**
 * lers_store_list_connections_async:
 * @self: a #LersStore
 * @cancellable: (nullable): a #GCancellable
 * @callback: (scope async): called when done
 * @user_data: (closure): data for @callback
 *
 * Reads all connections in a worker thread.
 *
 * Since: 0.1
 */
void
lers_store_list_connections_async (LersStore *self, GCancellable *cancellable,
                                   GAsyncReadyCallback callback, gpointer user_data)
{
  g_return_if_fail (LERS_IS_STORE (self));

  lers_store_queue_job (self, lers_store_job_new_list (&lers_store_model_connection, 0),
                        lers_store_list_connections_async, cancellable, callback, user_data);
}

/**
 * lers_store_list_connections_finish:
 * @self: a #LersStore
 * @result: the #GAsyncResult
 * @error: return location for a #GError
 *
 * Finishes [method@Lers.Store.list_connections_async].
 *
 * Returns: (transfer container) (element-type Lers.Connection): the objects, or %NULL on error
 *
 * Since: 0.1
 */
GPtrArray *
lers_store_list_connections_finish (LersStore *self, GAsyncResult *result, GError **error)
{
  return lers_store_finish_pointer (self, result, lers_store_list_connections_async, error);
}

/**
 * lers_store_delete_connection_async:
 * @self: a #LersStore
 * @id: the id of the connection
 * @cancellable: (nullable): a #GCancellable
 * @callback: (scope async): called when done
 * @user_data: (closure): data for @callback
 *
 * Deletes one connection in a worker thread.
 *
 * Since: 0.1
 */
void
lers_store_delete_connection_async (LersStore *self, gint64 id, GCancellable *cancellable,
                                    GAsyncReadyCallback callback, gpointer user_data)
{
  g_return_if_fail (LERS_IS_STORE (self));

  lers_store_queue_job (self, lers_store_job_new_delete (&lers_store_model_connection, id),
                        lers_store_delete_connection_async, cancellable, callback, user_data);
}

/**
 * lers_store_delete_connection_finish:
 * @self: a #LersStore
 * @result: the #GAsyncResult
 * @error: return location for a #GError
 *
 * Finishes [method@Lers.Store.delete_connection_async].
 *
 * Returns: %TRUE on success, %FALSE with %LERS_ERROR_NOT_FOUND if there
 *   was none
 *
 * Since: 0.1
 */
gboolean
lers_store_delete_connection_finish (LersStore *self, GAsyncResult *result, GError **error)
{
  return lers_store_finish_boolean (self, result, lers_store_delete_connection_async, error);
}
