/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

#if !defined(__LERS_H_INSIDE__) && !defined(LERS_COMPILATION)
#error "Only <lers.h> can be included directly."
#endif

#include <gio/gio.h>

#include "lers-reading-file.h"
#include "store/lers-store.h"

G_BEGIN_DECLS

#define LERS_TYPE_READING_SYNC (lers_reading_sync_get_type ())
G_DECLARE_FINAL_TYPE (LersReadingSync, lers_reading_sync, LERS, READING_SYNC, GObject)

LersReadingSync *lers_reading_sync_new (LersStore *store);
gboolean lers_reading_sync_run_sync (LersReadingSync *self, LersReadingFile *file,
                                     GCancellable *cancellable, GError **error);

gint64 lers_reading_sync_get_device_id (LersReadingSync *self);
guint lers_reading_sync_get_n_points (LersReadingSync *self);
gint64 lers_reading_sync_get_point_id (LersReadingSync *self, guint index);
guint lers_reading_sync_get_point_channel (LersReadingSync *self, guint index);
guint lers_reading_sync_get_n_new (LersReadingSync *self, guint index);
guint lers_reading_sync_get_n_changed (LersReadingSync *self, guint index);
guint lers_reading_sync_get_n_unchanged (LersReadingSync *self, guint index);
guint lers_reading_sync_get_n_events (LersReadingSync *self, guint index);
guint lers_reading_sync_get_n_unmapped (LersReadingSync *self);
const guint *lers_reading_sync_get_unmapped_channels (LersReadingSync *self, guint *n_channels);

G_END_DECLS
