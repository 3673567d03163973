/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

#if !defined(__LERS_H_INSIDE__) && !defined(LERS_COMPILATION)
#error "Only <lers.h> can be included directly."
#endif

#include <gio/gio.h>

#include "model/lers-archive-batch.h"
#include "model/lers-enums.h"
#include "model/lers-node.h"
#include "model/lers-user.h"

G_BEGIN_DECLS

#define LERS_TYPE_CLIENT (lers_client_get_type ())
G_DECLARE_FINAL_TYPE (LersClient, lers_client, LERS, CLIENT, GObject)

LersClient *lers_client_new (const gchar *base_url);
const gchar *lers_client_get_base_url (LersClient *self);
const gchar *lers_client_get_token (LersClient *self);
void lers_client_set_token (LersClient *self, const gchar *token);
gboolean lers_client_set_token_from_file (LersClient *self, const gchar *path, GError **error);
const gchar *lers_client_get_language (LersClient *self);
void lers_client_set_language (LersClient *self, const gchar *language);
const gchar *lers_client_get_ca_file (LersClient *self);
void lers_client_set_ca_file (LersClient *self, const gchar *ca_file);

void lers_client_login_async (LersClient *self, const gchar *login, const gchar *password,
                              GCancellable *cancellable, GAsyncReadyCallback callback,
                              gpointer user_data);
LersUser *lers_client_login_finish (LersClient *self, GAsyncResult *result, GError **error);

void lers_client_list_nodes_async (LersClient *self, const gchar *filter, guint limit,
                                   GCancellable *cancellable, GAsyncReadyCallback callback,
                                   gpointer user_data);
GPtrArray *lers_client_list_nodes_finish (LersClient *self, GAsyncResult *result, GError **error);
void lers_client_get_node_async (LersClient *self, gint64 id, GCancellable *cancellable,
                                 GAsyncReadyCallback callback, gpointer user_data);
LersNode *lers_client_get_node_finish (LersClient *self, GAsyncResult *result, GError **error);
void lers_client_list_measure_points_async (LersClient *self, gint64 node_id,
                                            GCancellable *cancellable, GAsyncReadyCallback callback,
                                            gpointer user_data);
GPtrArray *lers_client_list_measure_points_finish (LersClient *self, GAsyncResult *result,
                                                   GError **error);
void lers_client_list_devices_async (LersClient *self, const gchar *filter, guint limit,
                                     GCancellable *cancellable, GAsyncReadyCallback callback,
                                     gpointer user_data);
GPtrArray *lers_client_list_devices_finish (LersClient *self, GAsyncResult *result, GError **error);
void lers_client_get_archive_async (LersClient *self, gint64 point_id, LersArchiveKind kind,
                                    GDateTime *from, GDateTime *to, GCancellable *cancellable,
                                    GAsyncReadyCallback callback, gpointer user_data);
LersArchiveBatch *lers_client_get_archive_finish (LersClient *self, GAsyncResult *result,
                                                  GError **error);
void lers_client_list_poll_jobs_async (LersClient *self, const gchar *filter, guint limit,
                                       GCancellable *cancellable, GAsyncReadyCallback callback,
                                       gpointer user_data);
GPtrArray *lers_client_list_poll_jobs_finish (LersClient *self, GAsyncResult *result,
                                              GError **error);
void lers_client_poll_async (LersClient *self, const gint64 *points, guint n_points,
                             const LersArchiveKind *kinds, guint n_kinds, GCancellable *cancellable,
                             GAsyncReadyCallback callback, gpointer user_data);
GPtrArray *lers_client_poll_finish (LersClient *self, GAsyncResult *result, GError **error);
void lers_client_get_server_info_async (LersClient *self, GCancellable *cancellable,
                                        GAsyncReadyCallback callback, gpointer user_data);
GVariant *lers_client_get_server_info_finish (LersClient *self, GAsyncResult *result,
                                              GError **error);

GObject *lers_client_object_from_json (GType type, const gchar *json, GError **error);

G_END_DECLS
