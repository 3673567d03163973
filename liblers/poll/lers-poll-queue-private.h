/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

/* Internal to liblers: what the files of LersPollQueue share. */

#include <libpq-fe.h>

#include "poll/lers-poll-queue.h"
#include "store/lers-store-private.h"

G_BEGIN_DECLS

struct _LersPollQueue
{
  GObject parent_instance;
  LersStore *store;
};

/* Runs @func on a connection of the store's pool, in the calling thread.
 * @func sends its statements with lers_store_exec() (parameters only) and
 * sets @error on failure; a statement block that must be atomic runs in
 * BEGIN … COMMIT inside @func. If the connection was lost before @func
 * could run, the call connects again and runs it once more; a connection
 * lost while @func ran is an error of code %LERS_ERROR_CONNECTION. */
typedef gboolean (*LersPollQueueFunc) (LersStoreConn *conn, gpointer data, GError **error);

G_GNUC_INTERNAL
gboolean lers_poll_queue_run (LersPollQueue *self, LersPollQueueFunc func, gpointer data,
                              GCancellable *cancellable, GError **error);

G_END_DECLS
