/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "config.h"

#include <glib/gi18n-lib.h>

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
