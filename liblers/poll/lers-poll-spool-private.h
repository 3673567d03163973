/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

/* Internal to liblers and its tests: where a polling service keeps what it
 * read while the database is unreachable. One file per write (records and
 * meter events of one point, written atomically: a temporary file renamed
 * into place, mode 0600), bounded in total bytes; drained oldest first once
 * the database answers again, each file deleted only after its rows are
 * committed (archive writes are upserts, so a file written twice stores
 * nothing twice). Files the database refused for good (kept as `.bad`)
 * do not count against the bound: an operator removes them behind the
 * service's back, and a bound held by them would refuse every add until a
 * restart. */

#include "store/lers-store.h"

G_BEGIN_DECLS

#define LERS_TYPE_POLL_SPOOL (lers_poll_spool_get_type ())
G_DECLARE_FINAL_TYPE (LersPollSpool, lers_poll_spool, LERS, POLL_SPOOL, GObject)

LersPollSpool *lers_poll_spool_new (const gchar *dir, guint64 max_bytes, GError **error);
/* Fails with LERS_ERROR_BUSY when the spool would grow past its bound. */
gboolean lers_poll_spool_add (LersPollSpool *self, gint64 point_id, GPtrArray *records,
                              GPtrArray *events, GError **error);
/* The same in a worker thread (the write is synced to disk): for a main
 * loop. @records and @events must not change until @callback. */
void lers_poll_spool_add_async (LersPollSpool *self, gint64 point_id, GPtrArray *records,
                                GPtrArray *events, GAsyncReadyCallback callback,
                                gpointer user_data);
gboolean lers_poll_spool_add_finish (LersPollSpool *self, GAsyncResult *result, GError **error);
guint lers_poll_spool_get_n_files (LersPollSpool *self);
guint64 lers_poll_spool_get_n_bytes (LersPollSpool *self);
/* Blocking: writes the files to @store oldest first; stops at the first
 * database error (the rest stay). @n_records: rows written. */
gboolean lers_poll_spool_drain_sync (LersPollSpool *self, LersStore *store, guint *n_records,
                                     GCancellable *cancellable, GError **error);

G_END_DECLS
