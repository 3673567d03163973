/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

#if !defined(__LERS_H_INSIDE__) && !defined(LERS_COMPILATION)
#error "Only <lers.h> can be included directly."
#endif

#include "store/lers-store.h"

G_BEGIN_DECLS

gchar *lers_store_list_report_templates_sync (LersStore *self, GCancellable *cancellable,
                                              GError **error);
gchar *lers_store_get_report_template_sync (LersStore *self, const gchar *name, gint version,
                                            GCancellable *cancellable, GError **error);
gboolean lers_store_add_report_template_sync (LersStore *self, const gchar *name,
                                              const gchar *title, const gchar *body,
                                              const gchar *author, GCancellable *cancellable,
                                              GError **error);
gint lers_store_update_report_template_sync (LersStore *self, const gchar *name, gint version,
                                             const gchar *title, const gchar *body,
                                             const gchar *author, GCancellable *cancellable,
                                             GError **error);
gchar *lers_store_list_report_template_versions_sync (LersStore *self, const gchar *name,
                                                      GCancellable *cancellable, GError **error);
gboolean lers_store_delete_report_template_sync (LersStore *self, const gchar *name,
                                                 GCancellable *cancellable, GError **error);

G_END_DECLS
