/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

#if !defined(__LERS_H_INSIDE__) && !defined(LERS_COMPILATION)
#error "Only <lers.h> can be included directly."
#endif

#include "store/lers-store.h"

G_BEGIN_DECLS

/**
 * LERS_STORE_POINT_FACTS_TYPE:
 *
 * The #GVariant type string of what lers_store_list_point_facts_sync()
 * returns: one `(xxbxbsbs)` per measure point.
 *
 * Since: 0.5
 */
#define LERS_STORE_POINT_FACTS_TYPE "a(xxbxbsbs)"

GVariant *lers_store_list_point_facts_sync (LersStore *self, const gint64 *node_ids,
                                            guint n_node_ids, gboolean all_nodes, GDateTime *now,
                                            GCancellable *cancellable, GError **error);

G_END_DECLS
