/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

#if !defined(__LERS_H_INSIDE__) && !defined(LERS_COMPILATION)
#error "Only <lers.h> can be included directly."
#endif

#include <gio/gio.h>

#include "lers-engine.h"
#include "lers-progress.h"
#include "store/lers-store.h"

G_BEGIN_DECLS

/**
 * LERS_IMPORTER_MAX_SIZE:
 *
 * The largest import file, in bytes (16 MiB, about 40,000 measure points).
 * A larger file is refused before it is read.
 *
 * Since: 0.2
 */
#define LERS_IMPORTER_MAX_SIZE (16 * 1024 * 1024)

/**
 * LERS_IMPORTER_MAX_DEPTH:
 *
 * The deepest nesting of arrays and objects an import file may have; the
 * format itself needs 6. Checked before the JSON is parsed.
 *
 * Since: 0.2
 */
#define LERS_IMPORTER_MAX_DEPTH 32

#define LERS_TYPE_IMPORTER (lers_importer_get_type ())
G_DECLARE_FINAL_TYPE (LersImporter, lers_importer, LERS, IMPORTER, GObject)

LersImporter *lers_importer_new (LersEngine *engine);
gboolean lers_importer_load_file (LersImporter *self, GFile *file, GCancellable *cancellable,
                                  GError **error);
gboolean lers_importer_load_data (LersImporter *self, const gchar *data, gsize length,
                                  GError **error);
guint lers_importer_get_n_nodes (LersImporter *self);
guint lers_importer_get_n_points (LersImporter *self);
gboolean lers_importer_run_sync (LersImporter *self, LersStore *store, LersProgress *progress,
                                 GCancellable *cancellable, GError **error);
guint lers_importer_get_n_created (LersImporter *self, GType type);
guint lers_importer_get_n_updated (LersImporter *self, GType type);
guint lers_importer_get_n_unchanged (LersImporter *self, GType type);
gboolean lers_importer_get_outcome_unknown (LersImporter *self);

G_END_DECLS
