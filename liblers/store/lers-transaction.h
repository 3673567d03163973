/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

#if !defined(__LERS_H_INSIDE__) && !defined(LERS_COMPILATION)
#error "Only <lers.h> can be included directly."
#endif

#include <gio/gio.h>

#include "store/lers-store-query.h"

G_BEGIN_DECLS

#define LERS_TYPE_TRANSACTION (lers_transaction_get_type ())
G_DECLARE_FINAL_TYPE (LersTransaction, lers_transaction, LERS, TRANSACTION, GObject)

gboolean lers_transaction_save_sync (LersTransaction *self, GObject *object,
                                     GCancellable *cancellable, GError **error);
GObject *lers_transaction_get_sync (LersTransaction *self, GType type, gint64 id,
                                    GCancellable *cancellable, GError **error);
GPtrArray *lers_transaction_list_sync (LersTransaction *self, GType type, LersStoreQuery *query,
                                       GCancellable *cancellable, GError **error);
gboolean lers_transaction_delete_sync (LersTransaction *self, GType type, gint64 id,
                                       GCancellable *cancellable, GError **error);
gboolean lers_transaction_write_records_sync (LersTransaction *self, gint64 point_id,
                                              GPtrArray *records, GCancellable *cancellable,
                                              GError **error);
gboolean lers_transaction_commit_sync (LersTransaction *self, GCancellable *cancellable,
                                       GError **error);
void lers_transaction_rollback (LersTransaction *self);

G_END_DECLS
