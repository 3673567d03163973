/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

#if !defined(__LERS_H_INSIDE__) && !defined(LERS_COMPILATION)
#error "Only <lers.h> can be included directly."
#endif

#include <gio/gio.h>

G_BEGIN_DECLS

#define LERS_TYPE_CLUSTER (lers_cluster_get_type ())
G_DECLARE_FINAL_TYPE (LersCluster, lers_cluster, LERS, CLUSTER, GObject)

LersCluster *lers_cluster_new (const gchar *datadir);
LersCluster *lers_cluster_new_temporary (void);
gchar *lers_cluster_get_default_datadir (void);
const gchar *lers_cluster_get_datadir (LersCluster *self);
gboolean lers_cluster_get_temporary (LersCluster *self);
gboolean lers_cluster_get_running (LersCluster *self);
gboolean lers_cluster_start (LersCluster *self, GCancellable *cancellable, GError **error);
gboolean lers_cluster_stop (LersCluster *self, GError **error);
gchar *lers_cluster_get_uri (LersCluster *self);
gchar *lers_cluster_get_uri_for_database (LersCluster *self, const gchar *database);
gboolean lers_cluster_create_database (LersCluster *self, const gchar *name,
                                       const gchar *template_name, GError **error);
gboolean lers_cluster_drop_database (LersCluster *self, const gchar *name, GError **error);

G_END_DECLS
