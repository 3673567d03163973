/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

#if !defined(__LERS_H_INSIDE__) && !defined(LERS_COMPILATION)
#error "Only <lers.h> can be included directly."
#endif

#include <glib-object.h>

#include "model/lers-enums.h"
#include "model/lers-parameter.h"
#include "model/lers-record.h"

G_BEGIN_DECLS

#define LERS_TYPE_ARCHIVE_BATCH (lers_archive_batch_get_type ())
G_DECLARE_FINAL_TYPE (LersArchiveBatch, lers_archive_batch, LERS, ARCHIVE_BATCH, GObject)

gint64 lers_archive_batch_get_point_id (LersArchiveBatch *self);
LersArchiveKind lers_archive_batch_get_kind (LersArchiveBatch *self);
guint lers_archive_batch_get_n_rows (LersArchiveBatch *self);
const gint64 *lers_archive_batch_get_timestamps (LersArchiveBatch *self, guint *n_rows);
GDateTime *lers_archive_batch_dup_timestamp (LersArchiveBatch *self, guint row);
guint lers_archive_batch_get_channel (LersArchiveBatch *self, guint row);
const LersParameter *lers_archive_batch_get_parameters (LersArchiveBatch *self,
                                                        guint *n_parameters);
gboolean lers_archive_batch_has_parameter (LersArchiveBatch *self, LersParameter parameter);
const gdouble *lers_archive_batch_get_values (LersArchiveBatch *self, LersParameter parameter,
                                              guint *n_rows);
const guint32 *lers_archive_batch_get_flags (LersArchiveBatch *self, LersParameter parameter,
                                             guint *n_rows);
gdouble lers_archive_batch_get_value (LersArchiveBatch *self, guint row, LersParameter parameter,
                                      LersValueFlags *flags);
LersRecord *lers_archive_batch_dup_record (LersArchiveBatch *self, guint row);

G_END_DECLS
