/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

#include "model/lers-archive-batch.h"

G_BEGIN_DECLS

/* Filling a batch, for the store's reader: append a row, then set the
 * values of that (last) row; finally trim the arrays to their length. */
G_GNUC_INTERNAL
LersArchiveBatch *lers_archive_batch_new (gint64 point_id, LersArchiveKind kind);
G_GNUC_INTERNAL
void lers_archive_batch_reserve (LersArchiveBatch *self, guint n_more);
G_GNUC_INTERNAL
void lers_archive_batch_append_row (LersArchiveBatch *self, gint64 timestamp, guint channel);
G_GNUC_INTERNAL
void lers_archive_batch_set_last (LersArchiveBatch *self, LersParameter parameter, gdouble value,
                                  guint32 flags);
G_GNUC_INTERNAL
void lers_archive_batch_trim (LersArchiveBatch *self);

G_END_DECLS
