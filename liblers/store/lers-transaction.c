/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "config.h"

#include <glib/gi18n-lib.h>

#include "lers-error.h"
#include "store/lers-store-private.h"
#include "store/lers-transaction.h"

/**
 * LersTransaction:
 *
 * One unit of work: several saves, deletes and archive writes that are
 * stored together or not at all. It holds one database connection of its
 * [class@Lers.Store] from [method@Lers.Store.begin_sync] until
 * [method@Lers.Transaction.commit_sync] or
 * [method@Lers.Transaction.rollback]; dropping the last reference to an
 * uncommitted transaction rolls it back.
 *
 * ```python
 * tx = store.begin_sync(None)
 * for node in nodes:
 *     tx.save_sync(node, None)
 * tx.commit_sync(None)        # or tx.rollback(): nothing was stored
 * ```
 *
 * Reads inside the transaction see its own writes. Once a step has failed
 * (a constraint, bad records, a lost connection, a cancel; finding nothing
 * is not a failure), the transaction is failed: every later call but a
 * rollback returns %LERS_ERROR_FAILED. A
 * transaction committed or rolled back cannot be used again
 * (%LERS_ERROR_INVALID_ARGUMENT). Ids given to new objects by
 * [method@Lers.Transaction.save_sync] stay on the objects after a
 * rollback, though no row has them.
 *
 * Each statement waits at most 5 s for a lock and runs at most 60 s (see
 * #LersStore), so a transaction never holds its locks for long while it
 * waits for others. It is used from one thread at a time.
 *
 * Since: 0.2
 */

typedef enum
{
  LERS_TRANSACTION_OPEN,
  LERS_TRANSACTION_FAILED,
  LERS_TRANSACTION_COMMITTED,
  LERS_TRANSACTION_ROLLED_BACK,
} LersTransactionState;

struct _LersTransaction
{
  GObject parent_instance;
  LersStore *store;
  LersStoreConn *conn; /* NULL once committed or rolled back */
  GMutex lock;
  LersTransactionState state;
};

G_DEFINE_FINAL_TYPE (LersTransaction, lers_transaction, G_TYPE_OBJECT)

static void
lers_transaction_finalize (GObject *object)
{
  LersTransaction *self = LERS_TRANSACTION (object);

  if (self->conn != NULL)
    {
      g_debug ("a transaction was dropped uncommitted: rolling it back");
      lers_transaction_rollback (self);
    }
  g_clear_object (&self->store);
  g_mutex_clear (&self->lock);

  G_OBJECT_CLASS (lers_transaction_parent_class)->finalize (object);
}

static void
lers_transaction_class_init (LersTransactionClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = lers_transaction_finalize;
}

static void
lers_transaction_init (LersTransaction *self)
{
  g_mutex_init (&self->lock);
}

LersStoreConn *
lers_transaction_get_conn (LersTransaction *self)
{
  return self->conn;
}

/* ---- beginning --------------------------------------------------------- */

static gboolean
lers_store_job_begin_run (LersStore *self, LersStoreConn *conn, LersStoreJob *job,
                          GCancellable *cancellable, GError **error)
{
  LersTransaction *tx;

  if (!lers_store_exec_simple (conn, "BEGIN", error))
    return FALSE;
  if (!lers_store_apply_bound (self, conn, LERS_STORE_BOUND_TRANSACTION, TRUE, error))
    return FALSE;
  conn->in_transaction = TRUE;
  tx = g_object_new (LERS_TYPE_TRANSACTION, NULL);
  tx->store = g_object_ref (self);
  tx->conn = conn;
  lers_store_job_set_result (job, tx, g_object_unref);
  return TRUE;
}

static LersStoreJob *
lers_store_job_new_begin (void)
{
  LersStoreJob *job = g_new0 (LersStoreJob, 1);

  job->func = lers_store_job_begin_run;
  job->bound = LERS_STORE_BOUND_READ;
  job->keep_conn = TRUE;
  return job;
}

/**
 * lers_store_begin_sync:
 * @self: a #LersStore
 * @cancellable: (nullable): a #GCancellable
 * @error: return location for a #GError
 *
 * Begins a unit of work on a connection of its own; see #LersTransaction.
 *
 * Returns: (transfer full): the transaction, or %NULL with
 *   %LERS_ERROR_CONNECTION if the database cannot be reached
 *
 * Since: 0.2
 */
LersTransaction *
lers_store_begin_sync (LersStore *self, GCancellable *cancellable, GError **error)
{
  g_autoptr (LersStoreJob) job = NULL;

  g_return_val_if_fail (LERS_IS_STORE (self), NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  job = lers_store_job_new_begin ();
  if (!lers_store_run_job (self, job, cancellable, error))
    return NULL;
  return lers_store_job_steal_result (job);
}

/**
 * lers_store_begin_async:
 * @self: a #LersStore
 * @cancellable: (nullable): a #GCancellable
 * @callback: (scope async): called when done
 * @user_data: (closure): data for @callback
 *
 * Begins a unit of work in a worker thread; see
 * [method@Lers.Store.begin_sync].
 *
 * Since: 0.2
 */
void
lers_store_begin_async (LersStore *self, GCancellable *cancellable, GAsyncReadyCallback callback,
                        gpointer user_data)
{
  g_return_if_fail (LERS_IS_STORE (self));

  lers_store_queue_job (self, lers_store_job_new_begin (), lers_store_begin_async, cancellable,
                        callback, user_data);
}

/**
 * lers_store_begin_finish:
 * @self: a #LersStore
 * @result: the #GAsyncResult
 * @error: return location for a #GError
 *
 * Finishes [method@Lers.Store.begin_async].
 *
 * Returns: (transfer full): the transaction, or %NULL on error
 *
 * Since: 0.2
 */
LersTransaction *
lers_store_begin_finish (LersStore *self, GAsyncResult *result, GError **error)
{
  return lers_store_finish_pointer (self, result, lers_store_begin_async, error);
}

/* ---- the unit of work -------------------------------------------------- */

static gboolean
lers_transaction_check_usable (LersTransaction *self, GError **error)
{
  switch (self->state)
    {
    case LERS_TRANSACTION_OPEN:
      return TRUE;
    case LERS_TRANSACTION_FAILED:
      g_set_error_literal (error, LERS_ERROR, LERS_ERROR_FAILED,
                           _ ("An earlier step of the transaction failed; roll it back"));
      return FALSE;
    case LERS_TRANSACTION_COMMITTED:
      g_set_error_literal (error, LERS_ERROR, LERS_ERROR_INVALID_ARGUMENT,
                           _ ("The transaction is already committed"));
      return FALSE;
    case LERS_TRANSACTION_ROLLED_BACK:
    default:
      g_set_error_literal (error, LERS_ERROR, LERS_ERROR_INVALID_ARGUMENT,
                           _ ("The transaction is already rolled back"));
      return FALSE;
    }
}

/* A step that ran outside lers_transaction_run () failed: so does the
 * transaction, unless it has already ended. */
static void
lers_transaction_fail (LersTransaction *self)
{
  g_mutex_lock (&self->lock);
  if (self->state == LERS_TRANSACTION_OPEN)
    self->state = LERS_TRANSACTION_FAILED;
  g_mutex_unlock (&self->lock);
}

/* Runs @job on the transaction's connection. A step that fails fails the
 * transaction, except one that only finds nothing (NOT_FOUND: the
 * statement itself succeeded). */
static gboolean
lers_transaction_run (LersTransaction *self, LersStoreJob *job, GCancellable *cancellable,
                      GError **error)
{
  g_autoptr (GError) local_error = NULL;
  gboolean ok;

  g_mutex_lock (&self->lock);
  if (!lers_transaction_check_usable (self, error))
    {
      g_mutex_unlock (&self->lock);
      return FALSE;
    }
  if (g_cancellable_set_error_if_cancelled (cancellable, &local_error))
    ok = FALSE;
  else
    ok = lers_store_run_on (self->store, self->conn, job, cancellable, &local_error);
  if (!ok && !g_error_matches (local_error, LERS_ERROR, LERS_ERROR_NOT_FOUND))
    self->state = LERS_TRANSACTION_FAILED;
  if (PQstatus (self->conn->pg) != CONNECTION_OK
      || PQtransactionStatus (self->conn->pg) != PQTRANS_INTRANS)
    {
      self->state = LERS_TRANSACTION_FAILED;
      if (ok)
        {
          /* a step ended the transaction behind our back */
          g_set_error_literal (&local_error, LERS_ERROR, LERS_ERROR_FAILED,
                               _ ("The transaction was ended by one of its steps"));
          ok = FALSE;
        }
    }
  g_mutex_unlock (&self->lock);
  if (!ok)
    g_propagate_error (error, g_steal_pointer (&local_error));
  return ok;
}

/* Runs SELECT pg_advisory_xact_lock (hashtext (job->params[0])). */
static gboolean
lers_store_job_advisory_lock_run (LersStore *self, LersStoreConn *conn, LersStoreJob *job,
                                  GCancellable *cancellable, GError **error)
{
  const gchar *values[] = { g_ptr_array_index (job->params, 0) };
  g_autoptr (PGresult) res
      = lers_store_exec (conn, "SELECT pg_advisory_xact_lock (hashtext ($1))", 1, values, error);

  return res != NULL;
}

/* Waits for the transaction-level advisory lock named @name (within the
 * transaction's lock_timeout; then %LERS_ERROR_BUSY); it is held until the
 * transaction ends. Units of work that must not interleave, such as two
 * imports each listing what is stored and inserting what is missing, take
 * the same name first. */
gboolean
lers_transaction_advisory_lock_sync (LersTransaction *self, const gchar *name,
                                     GCancellable *cancellable, GError **error)
{
  g_autoptr (LersStoreJob) job = g_new0 (LersStoreJob, 1);

  g_return_val_if_fail (LERS_IS_TRANSACTION (self), FALSE);
  g_return_val_if_fail (name != NULL, FALSE);

  job->func = lers_store_job_advisory_lock_run;
  job->bound = LERS_STORE_BOUND_TRANSACTION;
  job->params = g_ptr_array_new_with_free_func (g_free);
  g_ptr_array_add (job->params, g_strdup (name));
  return lers_transaction_run (self, job, cancellable, error);
}

/**
 * lers_transaction_save_sync:
 * @self: a #LersTransaction
 * @object: the object to save, of a type [method@Lers.Store.save_sync] takes
 * @cancellable: (nullable): a #GCancellable
 * @error: return location for a #GError
 *
 * Saves @object inside the transaction: inserts it and sets its id when the
 * id is 0, else updates the row with that id.
 *
 * Returns: %TRUE on success
 *
 * Since: 0.2
 */
gboolean
lers_transaction_save_sync (LersTransaction *self, GObject *object, GCancellable *cancellable,
                            GError **error)
{
  g_autoptr (LersStoreJob) job = NULL;
  const LersStoreModel *model;

  g_return_val_if_fail (LERS_IS_TRANSACTION (self), FALSE);
  g_return_val_if_fail (G_IS_OBJECT (object), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  model = lers_store_model_lookup (G_OBJECT_TYPE (object), error);
  if (model == NULL)
    return FALSE;
  job = lers_store_job_new_save (model, object);
  if (!lers_transaction_run (self, job, cancellable, error))
    return FALSE;
  lers_store_job_apply_save (job);
  return TRUE;
}

/**
 * lers_transaction_get_sync:
 * @self: a #LersTransaction
 * @type: the stored type, such as `LERS_TYPE_NODE`
 * @id: the id of the object
 * @cancellable: (nullable): a #GCancellable
 * @error: return location for a #GError
 *
 * Reads one object as the transaction sees it.
 *
 * Returns: (transfer full): a new object of @type, or %NULL with
 *   %LERS_ERROR_NOT_FOUND if there is none with @id
 *
 * Since: 0.2
 */
GObject *
lers_transaction_get_sync (LersTransaction *self, GType type, gint64 id, GCancellable *cancellable,
                           GError **error)
{
  g_autoptr (LersStoreJob) job = NULL;
  const LersStoreModel *model;

  g_return_val_if_fail (LERS_IS_TRANSACTION (self), NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  model = lers_store_model_lookup (type, error);
  if (model == NULL)
    return NULL;
  job = lers_store_job_new_get (model, id);
  if (!lers_transaction_run (self, job, cancellable, error))
    return NULL;
  return lers_store_job_steal_result (job);
}

/**
 * lers_transaction_list_sync:
 * @self: a #LersTransaction
 * @type: the stored type
 * @query: (nullable): filters, ordering and page, or %NULL for all objects
 *   by id
 * @cancellable: (nullable): a #GCancellable
 * @error: return location for a #GError
 *
 * Lists objects as the transaction sees them; see
 * [method@Lers.Store.list_sync].
 *
 * Returns: (transfer container) (element-type GObject): the objects, or
 *   %NULL on error
 *
 * Since: 0.2
 */
GPtrArray *
lers_transaction_list_sync (LersTransaction *self, GType type, LersStoreQuery *query,
                            GCancellable *cancellable, GError **error)
{
  g_autoptr (LersStoreJob) job = NULL;
  const LersStoreModel *model;

  g_return_val_if_fail (LERS_IS_TRANSACTION (self), NULL);
  g_return_val_if_fail (query == NULL || LERS_IS_STORE_QUERY (query), NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  model = lers_store_model_lookup (type, error);
  if (model == NULL)
    return NULL;
  job = lers_store_job_new_list (model, query);
  if (!lers_transaction_run (self, job, cancellable, error))
    return NULL;
  if (query != NULL)
    lers_store_job_apply_list (job, query);
  return lers_store_job_steal_result (job);
}

/**
 * lers_transaction_delete_sync:
 * @self: a #LersTransaction
 * @type: the stored type
 * @id: the id of the object
 * @cancellable: (nullable): a #GCancellable
 * @error: return location for a #GError
 *
 * Deletes one object inside the transaction; see
 * [method@Lers.Store.delete_sync].
 *
 * Returns: %TRUE on success, %FALSE with %LERS_ERROR_NOT_FOUND if there
 *   is none with @id
 *
 * Since: 0.2
 */
gboolean
lers_transaction_delete_sync (LersTransaction *self, GType type, gint64 id,
                              GCancellable *cancellable, GError **error)
{
  g_autoptr (LersStoreJob) job = NULL;
  const LersStoreModel *model;

  g_return_val_if_fail (LERS_IS_TRANSACTION (self), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  model = lers_store_model_lookup (type, error);
  if (model == NULL)
    return FALSE;
  job = lers_store_job_new_delete (model, id);
  return lers_transaction_run (self, job, cancellable, error);
}

/* Creates the monthly archive partitions the rows (job->result, not owned)
 * need, on a pool connection outside the transaction: DDL inside it would
 * lock the archive against every reader until the commit. A partition is
 * attached (migration 0003), which takes SHARE UPDATE EXCLUSIVE on the
 * archive and so does not wait for this transaction's own ROW EXCLUSIVE. */
static gboolean
lers_store_job_partitions_run (LersStore *self, LersStoreConn *conn, LersStoreJob *job,
                               GCancellable *cancellable, GError **error)
{
  return lers_store_archive_ensure_partitions (self, conn, job->result, error);
}

/* Writes the rows (job->result, not owned) of point job->id inside the
 * transaction. */
static gboolean
lers_store_job_tx_write_run (LersStore *self, LersStoreConn *conn, LersStoreJob *job,
                             GCancellable *cancellable, GError **error)
{
  LersStoreBatch batch = { (gint32) job->id, job->result };

  if (!lers_store_archive_prepare (conn, error))
    return FALSE;
  return lers_store_archive_write_batch (self, conn, &batch, TRUE, error);
}

/**
 * lers_transaction_write_records_sync:
 * @self: a #LersTransaction
 * @point_id: the measure point the records belong to
 * @records: (element-type Lers.Record): the records, of any archive kinds
 * @cancellable: (nullable): a #GCancellable
 * @error: return location for a #GError
 *
 * Writes archive records inside the transaction, idempotently, as
 * [method@Lers.Store.write_records_sync] does.
 *
 * Returns: %TRUE on success
 *
 * Since: 0.2
 */
gboolean
lers_transaction_write_records_sync (LersTransaction *self, gint64 point_id, GPtrArray *records,
                                     GCancellable *cancellable, GError **error)
{
  g_autoptr (LersStoreJob) job = NULL;
  g_autoptr (GArray) rows = NULL;

  g_return_val_if_fail (LERS_IS_TRANSACTION (self), FALSE);
  g_return_val_if_fail (records != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (!lers_transaction_check_usable (self, error))
    return FALSE;
  rows = lers_store_archive_rows_new (point_id, records, error);
  if (rows == NULL)
    {
      /* bad records are a failed step like any other */
      lers_transaction_fail (self);
      return FALSE;
    }
  if (rows->len == 0)
    return lers_transaction_check_usable (self, error);

  /* the partitions first, committed on their own (see above); a failure
   * there fails the transaction like any other step: committing the rest
   * would store part of what the caller wrote */
  job = g_new0 (LersStoreJob, 1);
  job->func = lers_store_job_partitions_run;
  job->bound = LERS_STORE_BOUND_ARCHIVE_WRITE;
  job->result = rows;
  if (!lers_store_run_job (self->store, job, cancellable, error))
    {
      lers_transaction_fail (self);
      return FALSE;
    }
  g_clear_pointer (&job, lers_store_job_free);

  job = g_new0 (LersStoreJob, 1);
  job->func = lers_store_job_tx_write_run;
  job->bound = LERS_STORE_BOUND_ARCHIVE_WRITE;
  job->id = point_id;
  job->result = rows;
  return lers_transaction_run (self, job, cancellable, error);
}

/* Gives the connection back to the store; called with the lock held.
 * Unless the transaction committed, what it made is gone with it: the
 * session's staging table (created inside it when the session had none)
 * and any archive partition a retry made on this connection. Forget both,
 * or the next write on this pooled connection counts on them. */
static void
lers_transaction_finish (LersTransaction *self, LersTransactionState state)
{
  LersStoreConn *conn = g_steal_pointer (&self->conn);

  if (state != LERS_TRANSACTION_COMMITTED)
    {
      conn->has_temp = FALSE;
      g_mutex_lock (&self->store->lock);
      g_hash_table_remove_all (self->store->partitions);
      g_mutex_unlock (&self->store->lock);
    }
  conn->in_transaction = FALSE;
  self->state = state;
  lers_store_release (self->store, conn);
}

/**
 * lers_transaction_commit_sync:
 * @self: a #LersTransaction
 * @cancellable: (nullable): a #GCancellable
 * @error: return location for a #GError
 *
 * Stores everything the transaction did, at once. If the commit fails,
 * nothing is stored (except when the connection is lost while committing:
 * %LERS_ERROR_CONNECTION, and the outcome is unknown).
 *
 * Returns: %TRUE if everything is stored
 *
 * Since: 0.2
 */
gboolean
lers_transaction_commit_sync (LersTransaction *self, GCancellable *cancellable, GError **error)
{
  g_autoptr (PGresult) res = NULL;
  gboolean ok;

  g_return_val_if_fail (LERS_IS_TRANSACTION (self), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  g_mutex_lock (&self->lock);
  if (!lers_transaction_check_usable (self, error))
    {
      g_mutex_unlock (&self->lock);
      return FALSE;
    }
  if (g_cancellable_set_error_if_cancelled (cancellable, error))
    {
      g_mutex_unlock (&self->lock);
      return FALSE;
    }
  res = PQexec (self->conn->pg, "COMMIT");
  ok = lers_store_result_ok (res) && g_strcmp0 (PQcmdStatus (res), "COMMIT") == 0;
  if (!ok)
    {
      if (!lers_store_result_ok (res) || PQstatus (self->conn->pg) != CONNECTION_OK)
        lers_store_set_error (error, self->conn, res);
      else
        g_set_error_literal (error, LERS_ERROR, LERS_ERROR_DATABASE,
                             _ ("The database rolled the transaction back"));
      if (PQstatus (self->conn->pg) != CONNECTION_OK)
        g_prefix_error (error, _ ("Whether the transaction was stored is unknown: "));
      else if (PQtransactionStatus (self->conn->pg) != PQTRANS_IDLE)
        PQclear (PQexec (self->conn->pg, "ROLLBACK"));
    }
  lers_transaction_finish (self, ok ? LERS_TRANSACTION_COMMITTED : LERS_TRANSACTION_ROLLED_BACK);
  g_mutex_unlock (&self->lock);
  return ok;
}

/**
 * lers_transaction_rollback:
 * @self: a #LersTransaction
 *
 * Forgets everything the transaction did. Does nothing if it is already
 * committed or rolled back.
 *
 * Since: 0.2
 */
void
lers_transaction_rollback (LersTransaction *self)
{
  g_return_if_fail (LERS_IS_TRANSACTION (self));

  g_mutex_lock (&self->lock);
  if (self->conn != NULL)
    {
      if (PQstatus (self->conn->pg) == CONNECTION_OK
          && PQtransactionStatus (self->conn->pg) != PQTRANS_IDLE)
        PQclear (PQexec (self->conn->pg, "ROLLBACK"));
      /* the staging table, if the transaction made it, is gone with it:
       * lers_transaction_finish () forgets it (the partitions were made
       * outside the transaction, except by a retry on its connection) */
      lers_transaction_finish (self, LERS_TRANSACTION_ROLLED_BACK);
    }
  g_mutex_unlock (&self->lock);
}
