/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "config.h"

#include <string.h>

#include "lers-error.h"
#include "store/lers-store-private.h"

/* ---- group commit of archive writes ------------------------------------
 *
 * Every write_records call (sync from any thread, or async) becomes a
 * request in one queue of the store. One thread at a time is the leader: it
 * takes every queued request, writes them in ONE transaction and commits
 * once, then completes each request with its own result. Requests that
 * arrive while a commit is in flight wait in the queue for the next group,
 * so N concurrent writers cost about one flush to disk per group instead of
 * one per call.
 *
 * Who leads: a sync caller whose request finds no leader leads itself (on
 * the caller's thread, as before, so a program using only the sync API has
 * no extra threads) and hands over as soon as its own request is done; an
 * async request that finds no leader wakes the writer's own thread, which
 * leads until the queue is empty.
 *
 * Failures stay with their request: validation happens per request; in a
 * group, the batches of distinct points are written together under a
 * savepoint, and if that fails they are written again one by one, each
 * under a savepoint of its own, so one bad batch rolls back alone. A
 * request cancelled before its batch is written gets CANCELLED and none of
 * its rows; once written, it completes with the group's commit. A group of
 * one request is written exactly as a lone call always was (its own
 * transaction, the cancellable interrupting its statement). A lost
 * connection fails nothing of the group by itself: the group is run again
 * once on a new connection (every write is an idempotent upsert). */

typedef struct
{
  LersStoreBatch batch;
  gint64 point_id; /* as the caller gave it */
  GPtrArray *records;
  GCancellable *cancellable;
  GTask *task;    /* async: completed by the leader; NULL for sync */
  gboolean taken; /* in a group (no longer in the queue) */
  gboolean done;  /* the result is final; sync: the waiter may return */
  gboolean written;
  GError *error; /* the result: NULL for success */
} LersStoreWriteRequest;

/* How long a leader waits for the callers of the last group to queue their
 * next requests (see lers_store_writer_take ()). */
#define LERS_STORE_WRITER_GATHER_US 1000

struct _LersStoreWriter
{
  GMutex lock;
  GCond cond;        /* a sync request is done, or a leader left */
  GCond queued_cond; /* a request was queued */
  GQueue queue;      /* of LersStoreWriteRequest*, oldest first */
  gboolean leading;  /* a thread is running groups */
  GThreadPool *pool; /* one thread that leads for async requests */
  guint last_group;  /* requests the last group took */
  guint64 n_requests;
  guint64 n_commits;
};

/* What a leader carries through lers_store_run_job (). */
typedef struct
{
  LersStoreWriter *writer;
  LersStoreWriteRequest *own; /* a sync leader's own request, or NULL */
  GPtrArray *group;           /* being written; kept when the connection is lost */
} LersStoreLeader;

static void
lers_store_write_request_free (LersStoreWriteRequest *req)
{
  g_clear_pointer (&req->batch.rows, g_array_unref);
  g_clear_pointer (&req->records, g_ptr_array_unref);
  g_clear_object (&req->cancellable);
  g_clear_object (&req->task);
  g_clear_error (&req->error);
  g_free (req);
}

static LersStoreWriteRequest *
lers_store_write_request_new (gint64 point_id, GPtrArray *records, GCancellable *cancellable)
{
  LersStoreWriteRequest *req = g_new0 (LersStoreWriteRequest, 1);

  req->point_id = point_id;
  req->records = g_ptr_array_ref (records);
  req->cancellable = cancellable != NULL ? g_object_ref (cancellable) : NULL;
  return req;
}

static void lers_store_writer_pool_func (gpointer data, gpointer user_data);

static LersStoreWriter *
lers_store_writer_get (LersStore *self)
{
  LersStoreWriter *writer;

  g_mutex_lock (&self->lock);
  if (self->writer == NULL)
    {
      writer = g_new0 (LersStoreWriter, 1);
      g_mutex_init (&writer->lock);
      g_cond_init (&writer->cond);
      g_cond_init (&writer->queued_cond);
      g_queue_init (&writer->queue);
      self->writer = writer;
    }
  writer = self->writer;
  g_mutex_unlock (&self->lock);
  return writer;
}

void
lers_store_writer_free (LersStoreWriter *writer)
{
  /* Every request holds the store, so the queue is empty and no thread
   * leads. We may be running in the pool's thread: do not wait for it. */
  if (writer->pool != NULL)
    g_thread_pool_free (writer->pool, FALSE, FALSE);
  g_cond_clear (&writer->cond);
  g_cond_clear (&writer->queued_cond);
  g_mutex_clear (&writer->lock);
  g_free (writer);
}

/**
 * lers_store_writer_get_stats: (skip)
 * @self: a #LersStore
 * @stats: (out caller-allocates): the counters
 *
 * Internal, for tests and benchmarks: how many write requests the store
 * received, how many transactions it committed for them, and how many wait
 * in the queue now.
 */
void
lers_store_writer_get_stats (LersStore *self, LersStoreWriterStats *stats)
{
  LersStoreWriter *writer = lers_store_writer_get (self);

  g_mutex_lock (&writer->lock);
  stats->n_requests = writer->n_requests;
  stats->n_commits = writer->n_commits;
  stats->n_queued = writer->queue.length;
  g_mutex_unlock (&writer->lock);
}

static void
lers_store_writer_count_commit (LersStoreWriter *writer)
{
  g_mutex_lock (&writer->lock);
  writer->n_commits++;
  g_mutex_unlock (&writer->lock);
}

static void
lers_store_request_fail (LersStoreWriteRequest *req, const GError *error)
{
  g_clear_error (&req->error);
  req->error = g_error_copy (error);
  req->written = FALSE;
}

static gboolean
lers_store_conn_lost (LersStoreConn *conn)
{
  return PQstatus (conn->pg) != CONNECTION_OK;
}

/* A group of one: its own transaction, as a lone call has always been. */
static gboolean
lers_store_writer_run_one (LersStore *self, LersStoreWriter *writer, LersStoreConn *conn,
                           LersStoreWriteRequest *req, GError **error)
{
  g_autoptr (GError) local_error = NULL;
  LersStoreCancel *cancel;
  gboolean ok;

  /* the cancel request goes from a thread of the store's own, and the
   * connection serves the next statement only once it is done */
  cancel = lers_store_cancel_watch (self, conn, req->cancellable);
  ok = lers_store_archive_write_batch (self, conn, &req->batch, FALSE, &local_error);
  lers_store_cancel_unwatch (cancel);
  if (ok)
    {
      lers_store_writer_count_commit (writer);
      req->written = TRUE;
      return TRUE;
    }
  if (g_cancellable_is_cancelled (req->cancellable))
    lers_store_prefer_cancelled (req->cancellable, &local_error);
  else if (lers_store_conn_lost (conn))
    {
      g_propagate_error (error, g_steal_pointer (&local_error));
      return FALSE;
    }
  lers_store_request_fail (req, local_error);
  return TRUE;
}

/* Writes the requests of @layer (distinct points) inside the transaction:
 * together if that works, else one by one. FALSE: the connection is lost. */
static gboolean
lers_store_writer_run_layer (LersStore *self, LersStoreConn *conn, GPtrArray *layer, GError **error)
{
  g_autoptr (GPtrArray) live = g_ptr_array_new ();

  for (guint i = 0; i < layer->len; i++)
    {
      LersStoreWriteRequest *req = g_ptr_array_index (layer, i);
      g_autoptr (GError) cancelled = NULL;

      if (g_cancellable_set_error_if_cancelled (req->cancellable, &cancelled))
        lers_store_request_fail (req, cancelled);
      else
        g_ptr_array_add (live, req);
    }

  if (live->len > 1)
    {
      g_autofree LersStoreBatch *batches = g_new (LersStoreBatch, live->len);
      g_autoptr (GError) layer_error = NULL;

      for (guint i = 0; i < live->len; i++)
        batches[i] = ((LersStoreWriteRequest *) g_ptr_array_index (live, i))->batch;
      if (lers_store_exec_simple (conn, "SAVEPOINT lers_layer", &layer_error)
          && lers_store_archive_write_layer (conn, batches, live->len, &layer_error)
          && lers_store_exec_simple (conn, "RELEASE SAVEPOINT lers_layer", &layer_error))
        {
          for (guint i = 0; i < live->len; i++)
            ((LersStoreWriteRequest *) g_ptr_array_index (live, i))->written = TRUE;
          return TRUE;
        }
      if (lers_store_conn_lost (conn))
        {
          g_propagate_error (error, g_steal_pointer (&layer_error));
          return FALSE;
        }
      g_debug ("group write failed (%s); writing its batches one by one", layer_error->message);
      if (!lers_store_exec_simple (conn, "ROLLBACK TO SAVEPOINT lers_layer", error))
        return FALSE;
    }

  for (guint i = 0; i < live->len; i++)
    {
      LersStoreWriteRequest *req = g_ptr_array_index (live, i);
      g_autoptr (GError) local_error = NULL;

      if (lers_store_archive_write_batch (self, conn, &req->batch, TRUE, &local_error))
        {
          req->written = TRUE;
          continue;
        }
      if (lers_store_conn_lost (conn))
        {
          g_propagate_error (error, g_steal_pointer (&local_error));
          return FALSE;
        }
      lers_store_request_fail (req, local_error);
    }
  return TRUE;
}

/* Writes @group and leaves each request's result in it. Returns FALSE only
 * when the connection is lost, and then nothing of the group is final. */
static gboolean
lers_store_writer_run_group (LersStore *self, LersStoreWriter *writer, LersStoreConn *conn,
                             GPtrArray *group, GError **error)
{
  g_autoptr (GPtrArray) pending = g_ptr_array_new ();
  g_autoptr (GPtrArray) rest = NULL;
  g_autoptr (GError) local_error = NULL;

  for (guint i = 0; i < group->len; i++)
    {
      LersStoreWriteRequest *req = g_ptr_array_index (group, i);
      g_autoptr (GError) req_error = NULL;

      g_clear_error (&req->error);
      req->written = FALSE;
      if (g_cancellable_set_error_if_cancelled (req->cancellable, &req_error))
        {
          lers_store_request_fail (req, req_error);
          continue;
        }
      if (req->batch.rows == NULL)
        req->batch.rows = lers_store_archive_rows_new (req->point_id, req->records, &req_error);
      if (req->batch.rows == NULL)
        {
          lers_store_request_fail (req, req_error);
          continue;
        }
      if (req->batch.rows->len == 0)
        continue;
      if (!lers_store_archive_ensure_partitions (self, conn, req->batch.rows, &req_error))
        {
          if (lers_store_conn_lost (conn))
            {
              g_propagate_error (error, g_steal_pointer (&req_error));
              return FALSE;
            }
          lers_store_request_fail (req, req_error);
          continue;
        }
      req->batch.point_id = (gint32) req->point_id;
      g_ptr_array_add (pending, req);
    }

  if (pending->len == 0)
    return TRUE;
  if (pending->len == 1)
    return lers_store_writer_run_one (self, writer, conn, g_ptr_array_index (pending, 0), error);

  if (!lers_store_archive_prepare (conn, &local_error)
      || !lers_store_exec_simple (conn, "BEGIN", &local_error))
    {
      if (lers_store_conn_lost (conn))
        {
          g_propagate_error (error, g_steal_pointer (&local_error));
          return FALSE;
        }
      for (guint i = 0; i < pending->len; i++)
        lers_store_request_fail (g_ptr_array_index (pending, i), local_error);
      return TRUE;
    }

  /* Layers of distinct points, in queue order: two requests for the same
   * point go into successive layers, so the later one wins as it would
   * have, written after the other. */
  rest = g_ptr_array_ref (pending);
  while (rest->len > 0)
    {
      g_autoptr (GPtrArray) layer = g_ptr_array_new ();
      g_autoptr (GPtrArray) later = g_ptr_array_new ();
      g_autoptr (GHashTable) points = g_hash_table_new (NULL, NULL);

      for (guint i = 0; i < rest->len; i++)
        {
          LersStoreWriteRequest *req = g_ptr_array_index (rest, i);
          gpointer key = GINT_TO_POINTER (req->batch.point_id);

          if (g_hash_table_contains (points, key))
            g_ptr_array_add (later, req);
          else
            {
              g_hash_table_add (points, key);
              g_ptr_array_add (layer, req);
            }
        }
      if (!lers_store_writer_run_layer (self, conn, layer, error))
        return FALSE;
      g_ptr_array_unref (rest);
      rest = g_steal_pointer (&later);
    }

  if (!lers_store_exec_simple (conn, "COMMIT", &local_error))
    {
      if (lers_store_conn_lost (conn))
        {
          g_propagate_error (error, g_steal_pointer (&local_error));
          return FALSE;
        }
      for (guint i = 0; i < pending->len; i++)
        {
          LersStoreWriteRequest *req = g_ptr_array_index (pending, i);
          if (req->written)
            lers_store_request_fail (req, local_error);
        }
      return TRUE;
    }
  lers_store_writer_count_commit (writer);
  return TRUE;
}

/* Makes the results of @group final and tells their callers. */
static void
lers_store_writer_complete (LersStoreWriter *writer, GPtrArray *group)
{
  gboolean any_sync = FALSE;

  for (guint i = 0; i < group->len; i++)
    {
      LersStoreWriteRequest *req = g_ptr_array_index (group, i);

      if (req->task == NULL)
        {
          any_sync = TRUE;
          continue;
        }
      if (req->error != NULL)
        g_task_return_error (req->task, g_steal_pointer (&req->error));
      else
        g_task_return_boolean (req->task, TRUE);
      lers_store_write_request_free (req);
      g_ptr_array_index (group, i) = NULL;
    }
  if (any_sync)
    {
      g_mutex_lock (&writer->lock);
      for (guint i = 0; i < group->len; i++)
        {
          LersStoreWriteRequest *req = g_ptr_array_index (group, i);
          if (req != NULL)
            req->done = TRUE;
        }
      g_cond_broadcast (&writer->cond);
      g_mutex_unlock (&writer->lock);
    }
  g_ptr_array_set_size (group, 0);
}

/* Moves every queued request into @group.
 *
 * When the last group was larger than the queue is now, its callers are
 * probably about to send their next requests (each writer thread gets its
 * result, then writes again): wait a little for them, as PostgreSQL's
 * commit_delay does, rather than commit a group of one or two and make the
 * rest wait a whole commit. A lone writer never waits. */
static void
lers_store_writer_take (LersStoreWriter *writer, GPtrArray *group)
{
  LersStoreWriteRequest *req;
  gint64 deadline = g_get_monotonic_time () + LERS_STORE_WRITER_GATHER_US;

  g_mutex_lock (&writer->lock);
  while (writer->queue.length > 0 && writer->queue.length < writer->last_group)
    if (!g_cond_wait_until (&writer->queued_cond, &writer->lock, deadline))
      break;
  if (writer->queue.length > 0)
    writer->last_group = writer->queue.length;
  while ((req = g_queue_pop_head (&writer->queue)) != NULL)
    {
      req->taken = TRUE;
      g_ptr_array_add (group, req);
    }
  g_mutex_unlock (&writer->lock);
}

/* The job a leader runs on a pooled connection: groups until its own
 * request is done (sync) or the queue is empty (async). */
static gboolean
lers_store_writer_job_run (LersStore *self, LersStoreConn *conn, LersStoreJob *job,
                           GCancellable *cancellable, GError **error)
{
  LersStoreLeader *leader = job->writer_leader;

  for (;;)
    {
      if (leader->group->len == 0)
        {
          if (leader->own != NULL && leader->own->taken)
            return TRUE;
          lers_store_writer_take (leader->writer, leader->group);
          if (leader->group->len == 0)
            return TRUE;
        }
      if (!lers_store_writer_run_group (self, leader->writer, conn, leader->group, error))
        return FALSE;
      /* Leave the session outside any transaction for the next group. */
      if (PQtransactionStatus (conn->pg) != PQTRANS_IDLE)
        PQclear (PQexec (conn->pg, "ROLLBACK"));
      lers_store_writer_complete (leader->writer, leader->group);
    }
}

static void
lers_store_writer_kick (LersStore *self, LersStoreWriter *writer)
{
  g_mutex_lock (&writer->lock);
  /* Exclusive: GLib's shared threads do not survive a fork (the tests). */
  if (writer->pool == NULL)
    writer->pool = g_thread_pool_new (lers_store_writer_pool_func, self, 1, TRUE, NULL);
  g_mutex_unlock (&writer->lock);
  g_thread_pool_push (writer->pool, g_object_ref (self), NULL);
}

/* Runs groups on this thread; the caller has set writer->leading. */
static void
lers_store_writer_lead (LersStore *self, LersStoreWriter *writer, LersStoreWriteRequest *own)
{
  g_autoptr (GPtrArray) group = g_ptr_array_new ();
  LersStoreLeader leader = { writer, own, group };
  g_autoptr (GError) error = NULL;
  LersStoreJob *job = g_new0 (LersStoreJob, 1);
  gboolean more;

  job->func = lers_store_writer_job_run;
  job->bound = LERS_STORE_BOUND_ARCHIVE_WRITE;
  job->writer_leader = &leader;
  /* No cancellable: one caller's cancellation must not interrupt the
   * statements of a whole group. */
  if (!lers_store_run_job (self, job, NULL, &error))
    {
      /* No connection, or lost twice: the group fails with the reason. If
       * there was not even a group (no connection at all), so do the
       * queued requests, our own among them. */
      if (group->len == 0)
        lers_store_writer_take (writer, group);
      for (guint i = 0; i < group->len; i++)
        lers_store_request_fail (g_ptr_array_index (group, i), error);
      lers_store_writer_complete (writer, group);
    }
  lers_store_job_free (job);

  g_mutex_lock (&writer->lock);
  writer->leading = FALSE;
  more = writer->queue.length > 0;
  g_cond_broadcast (&writer->cond);
  g_mutex_unlock (&writer->lock);
  /* Requests came while we led: a sync waiter may take over, but the async
   * ones need a thread. */
  if (more)
    lers_store_writer_kick (self, writer);
}

static void
lers_store_writer_pool_func (gpointer data, gpointer user_data)
{
  g_autoptr (LersStore) self = data;
  LersStoreWriter *writer = self->writer;
  gboolean lead = FALSE;

  g_mutex_lock (&writer->lock);
  if (!writer->leading && writer->queue.length > 0)
    lead = writer->leading = TRUE;
  g_mutex_unlock (&writer->lock);
  if (lead)
    lers_store_writer_lead (self, writer, NULL);
}

static void
lers_store_writer_wake_cb (GCancellable *cancellable, gpointer user_data)
{
  LersStoreWriter *writer = user_data;

  g_mutex_lock (&writer->lock);
  g_cond_broadcast (&writer->cond);
  g_mutex_unlock (&writer->lock);
}

/* lers_store_write_records_sync (): queues the request and waits, leading
 * groups when no other thread does. */
gboolean
lers_store_writer_write_sync (LersStore *self, gint64 point_id, GPtrArray *records,
                              GCancellable *cancellable, GError **error)
{
  LersStoreWriter *writer = lers_store_writer_get (self);
  LersStoreWriteRequest *req;
  gulong handler = 0;
  gboolean ok;

  if (g_cancellable_set_error_if_cancelled (cancellable, error))
    return FALSE;
  req = lers_store_write_request_new (point_id, records, cancellable);
  /* Validation on the caller's thread, in parallel with other callers. */
  req->batch.rows = lers_store_archive_rows_new (point_id, records, error);
  if (req->batch.rows == NULL || req->batch.rows->len == 0)
    {
      ok = req->batch.rows != NULL;
      lers_store_write_request_free (req);
      return ok;
    }

  if (cancellable != NULL)
    handler
        = g_cancellable_connect (cancellable, G_CALLBACK (lers_store_writer_wake_cb), writer, NULL);
  g_mutex_lock (&writer->lock);
  writer->n_requests++;
  g_queue_push_tail (&writer->queue, req);
  g_cond_signal (&writer->queued_cond);
  while (!req->done)
    {
      if (!req->taken && g_cancellable_is_cancelled (cancellable))
        {
          /* Not in a group yet: none of its rows is written. */
          g_queue_remove (&writer->queue, req);
          g_cancellable_set_error_if_cancelled (cancellable, &req->error);
          req->done = TRUE;
        }
      else if (!req->taken && !writer->leading)
        {
          writer->leading = TRUE;
          g_mutex_unlock (&writer->lock);
          lers_store_writer_lead (self, writer, req);
          g_mutex_lock (&writer->lock);
        }
      else
        g_cond_wait (&writer->cond, &writer->lock);
    }
  g_mutex_unlock (&writer->lock);
  if (handler != 0)
    g_cancellable_disconnect (cancellable, handler);

  ok = req->error == NULL;
  if (!ok)
    g_propagate_error (error, g_steal_pointer (&req->error));
  lers_store_write_request_free (req);
  return ok;
}

/* lers_store_write_records_async (): queues the request; the writer's
 * thread leads if nobody does. The records are validated there. */
void
lers_store_writer_write_async (LersStore *self, gint64 point_id, GPtrArray *records,
                               GCancellable *cancellable, GAsyncReadyCallback callback,
                               gpointer user_data, gpointer source_tag)
{
  LersStoreWriter *writer = lers_store_writer_get (self);
  LersStoreWriteRequest *req = lers_store_write_request_new (point_id, records, cancellable);
  gboolean kick;

  req->task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (req->task, source_tag);
  /* rows made durable stay a success, whenever the cancel comes */
  g_task_set_check_cancellable (req->task, FALSE);
  g_mutex_lock (&writer->lock);
  writer->n_requests++;
  g_queue_push_tail (&writer->queue, req);
  g_cond_signal (&writer->queued_cond);
  kick = !writer->leading;
  g_mutex_unlock (&writer->lock);
  if (kick)
    lers_store_writer_kick (self, writer);
}
