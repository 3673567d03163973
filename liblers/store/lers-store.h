/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

#if !defined(__LERS_H_INSIDE__) && !defined(LERS_COMPILATION)
#error "Only <lers.h> can be included directly."
#endif

#include <gio/gio.h>

#include "model/lers-archive-batch.h"
#include "model/lers-connection.h"
#include "model/lers-device.h"
#include "model/lers-enums.h"
#include "model/lers-measure-point.h"
#include "model/lers-meter-event.h"
#include "model/lers-node.h"
#include "model/lers-record.h"
#include "model/lers-territory.h"
#include "store/lers-store-query.h"
#include "store/lers-transaction.h"

G_BEGIN_DECLS

#define LERS_TYPE_STORE (lers_store_get_type ())
G_DECLARE_FINAL_TYPE (LersStore, lers_store, LERS, STORE, GObject)

LersStore *lers_store_new (const gchar *uri);

gboolean lers_store_open_sync (LersStore *self, GCancellable *cancellable, GError **error);
void lers_store_open_async (LersStore *self, GCancellable *cancellable,
                            GAsyncReadyCallback callback, gpointer user_data);
gboolean lers_store_open_finish (LersStore *self, GAsyncResult *result, GError **error);

/* The generic object API, keyed by the object's GType. A new entity is a
 * description (a row in lers-store-models.c, or lers_store_register_type())
 * plus a migration; it needs no function here. */
gboolean lers_store_register_type (GType type, const gchar *table, GError **error);

gboolean lers_store_save_sync (LersStore *self, GObject *object, GCancellable *cancellable,
                               GError **error);
void lers_store_save_async (LersStore *self, GObject *object, GCancellable *cancellable,
                            GAsyncReadyCallback callback, gpointer user_data);
gboolean lers_store_save_finish (LersStore *self, GAsyncResult *result, GError **error);
GObject *lers_store_get_sync (LersStore *self, GType type, gint64 id, GCancellable *cancellable,
                              GError **error);
void lers_store_get_async (LersStore *self, GType type, gint64 id, GCancellable *cancellable,
                           GAsyncReadyCallback callback, gpointer user_data);
GObject *lers_store_get_finish (LersStore *self, GAsyncResult *result, GError **error);
GPtrArray *lers_store_list_sync (LersStore *self, GType type, LersStoreQuery *query,
                                 GCancellable *cancellable, GError **error);
void lers_store_list_async (LersStore *self, GType type, LersStoreQuery *query,
                            GCancellable *cancellable, GAsyncReadyCallback callback,
                            gpointer user_data);
GPtrArray *lers_store_list_finish (LersStore *self, GAsyncResult *result, GError **error);
gboolean lers_store_delete_sync (LersStore *self, GType type, gint64 id, GCancellable *cancellable,
                                 GError **error);
void lers_store_delete_async (LersStore *self, GType type, gint64 id, GCancellable *cancellable,
                              GAsyncReadyCallback callback, gpointer user_data);
gboolean lers_store_delete_finish (LersStore *self, GAsyncResult *result, GError **error);

LersTransaction *lers_store_begin_sync (LersStore *self, GCancellable *cancellable, GError **error);
void lers_store_begin_async (LersStore *self, GCancellable *cancellable,
                             GAsyncReadyCallback callback, gpointer user_data);
LersTransaction *lers_store_begin_finish (LersStore *self, GAsyncResult *result, GError **error);

gboolean lers_store_save_node_sync (LersStore *self, LersNode *node, GCancellable *cancellable,
                                    GError **error);
void lers_store_save_node_async (LersStore *self, LersNode *node, GCancellable *cancellable,
                                 GAsyncReadyCallback callback, gpointer user_data);
gboolean lers_store_save_node_finish (LersStore *self, GAsyncResult *result, GError **error);
LersNode *lers_store_get_node_sync (LersStore *self, gint64 id, GCancellable *cancellable,
                                    GError **error);
void lers_store_get_node_async (LersStore *self, gint64 id, GCancellable *cancellable,
                                GAsyncReadyCallback callback, gpointer user_data);
LersNode *lers_store_get_node_finish (LersStore *self, GAsyncResult *result, GError **error);
GPtrArray *lers_store_list_nodes_sync (LersStore *self, GCancellable *cancellable, GError **error);
void lers_store_list_nodes_async (LersStore *self, GCancellable *cancellable,
                                  GAsyncReadyCallback callback, gpointer user_data);
GPtrArray *lers_store_list_nodes_finish (LersStore *self, GAsyncResult *result, GError **error);
gboolean lers_store_delete_node_sync (LersStore *self, gint64 id, GCancellable *cancellable,
                                      GError **error);
void lers_store_delete_node_async (LersStore *self, gint64 id, GCancellable *cancellable,
                                   GAsyncReadyCallback callback, gpointer user_data);
gboolean lers_store_delete_node_finish (LersStore *self, GAsyncResult *result, GError **error);

gboolean lers_store_save_measure_point_sync (LersStore *self, LersMeasurePoint *measure_point,
                                             GCancellable *cancellable, GError **error);
void lers_store_save_measure_point_async (LersStore *self, LersMeasurePoint *measure_point,
                                          GCancellable *cancellable, GAsyncReadyCallback callback,
                                          gpointer user_data);
gboolean lers_store_save_measure_point_finish (LersStore *self, GAsyncResult *result,
                                               GError **error);
LersMeasurePoint *lers_store_get_measure_point_sync (LersStore *self, gint64 id,
                                                     GCancellable *cancellable, GError **error);
void lers_store_get_measure_point_async (LersStore *self, gint64 id, GCancellable *cancellable,
                                         GAsyncReadyCallback callback, gpointer user_data);
LersMeasurePoint *lers_store_get_measure_point_finish (LersStore *self, GAsyncResult *result,
                                                       GError **error);
GPtrArray *lers_store_list_measure_points_sync (LersStore *self, gint64 node_id,
                                                GCancellable *cancellable, GError **error);
void lers_store_list_measure_points_async (LersStore *self, gint64 node_id,
                                           GCancellable *cancellable, GAsyncReadyCallback callback,
                                           gpointer user_data);
GPtrArray *lers_store_list_measure_points_finish (LersStore *self, GAsyncResult *result,
                                                  GError **error);
gboolean lers_store_delete_measure_point_sync (LersStore *self, gint64 id,
                                               GCancellable *cancellable, GError **error);
void lers_store_delete_measure_point_async (LersStore *self, gint64 id, GCancellable *cancellable,
                                            GAsyncReadyCallback callback, gpointer user_data);
gboolean lers_store_delete_measure_point_finish (LersStore *self, GAsyncResult *result,
                                                 GError **error);

gboolean lers_store_save_device_sync (LersStore *self, LersDevice *device,
                                      GCancellable *cancellable, GError **error);
void lers_store_save_device_async (LersStore *self, LersDevice *device, GCancellable *cancellable,
                                   GAsyncReadyCallback callback, gpointer user_data);
gboolean lers_store_save_device_finish (LersStore *self, GAsyncResult *result, GError **error);
LersDevice *lers_store_get_device_sync (LersStore *self, gint64 id, GCancellable *cancellable,
                                        GError **error);
void lers_store_get_device_async (LersStore *self, gint64 id, GCancellable *cancellable,
                                  GAsyncReadyCallback callback, gpointer user_data);
LersDevice *lers_store_get_device_finish (LersStore *self, GAsyncResult *result, GError **error);
GPtrArray *lers_store_list_devices_sync (LersStore *self, GCancellable *cancellable,
                                         GError **error);
void lers_store_list_devices_async (LersStore *self, GCancellable *cancellable,
                                    GAsyncReadyCallback callback, gpointer user_data);
GPtrArray *lers_store_list_devices_finish (LersStore *self, GAsyncResult *result, GError **error);
gboolean lers_store_delete_device_sync (LersStore *self, gint64 id, GCancellable *cancellable,
                                        GError **error);
void lers_store_delete_device_async (LersStore *self, gint64 id, GCancellable *cancellable,
                                     GAsyncReadyCallback callback, gpointer user_data);
gboolean lers_store_delete_device_finish (LersStore *self, GAsyncResult *result, GError **error);

gboolean lers_store_save_connection_sync (LersStore *self, LersConnection *connection,
                                          GCancellable *cancellable, GError **error);
void lers_store_save_connection_async (LersStore *self, LersConnection *connection,
                                       GCancellable *cancellable, GAsyncReadyCallback callback,
                                       gpointer user_data);
gboolean lers_store_save_connection_finish (LersStore *self, GAsyncResult *result, GError **error);
LersConnection *lers_store_get_connection_sync (LersStore *self, gint64 id,
                                                GCancellable *cancellable, GError **error);
void lers_store_get_connection_async (LersStore *self, gint64 id, GCancellable *cancellable,
                                      GAsyncReadyCallback callback, gpointer user_data);
LersConnection *lers_store_get_connection_finish (LersStore *self, GAsyncResult *result,
                                                  GError **error);
GPtrArray *lers_store_list_connections_sync (LersStore *self, GCancellable *cancellable,
                                             GError **error);
void lers_store_list_connections_async (LersStore *self, GCancellable *cancellable,
                                        GAsyncReadyCallback callback, gpointer user_data);
GPtrArray *lers_store_list_connections_finish (LersStore *self, GAsyncResult *result,
                                               GError **error);
gboolean lers_store_delete_connection_sync (LersStore *self, gint64 id, GCancellable *cancellable,
                                            GError **error);
void lers_store_delete_connection_async (LersStore *self, gint64 id, GCancellable *cancellable,
                                         GAsyncReadyCallback callback, gpointer user_data);
gboolean lers_store_delete_connection_finish (LersStore *self, GAsyncResult *result,
                                              GError **error);

gboolean lers_store_write_records_sync (LersStore *self, gint64 point_id, GPtrArray *records,
                                        GCancellable *cancellable, GError **error);
void lers_store_write_records_async (LersStore *self, gint64 point_id, GPtrArray *records,
                                     GCancellable *cancellable, GAsyncReadyCallback callback,
                                     gpointer user_data);
gboolean lers_store_write_records_finish (LersStore *self, GAsyncResult *result, GError **error);

LersArchiveBatch *lers_store_query_archive_sync (LersStore *self, gint64 point_id,
                                                 LersArchiveKind kind, GDateTime *from,
                                                 GDateTime *to, GCancellable *cancellable,
                                                 GError **error);
void lers_store_query_archive_async (LersStore *self, gint64 point_id, LersArchiveKind kind,
                                     GDateTime *from, GDateTime *to, GCancellable *cancellable,
                                     GAsyncReadyCallback callback, gpointer user_data);
LersArchiveBatch *lers_store_query_archive_finish (LersStore *self, GAsyncResult *result,
                                                   GError **error);
GPtrArray *lers_store_query_archive_points_sync (LersStore *self, const gint64 *point_ids,
                                                 guint n_point_ids, LersArchiveKind kind,
                                                 GDateTime *from, GDateTime *to,
                                                 GCancellable *cancellable, GError **error);
void lers_store_query_archive_points_async (LersStore *self, const gint64 *point_ids,
                                            guint n_point_ids, LersArchiveKind kind,
                                            GDateTime *from, GDateTime *to,
                                            GCancellable *cancellable, GAsyncReadyCallback callback,
                                            gpointer user_data);
GPtrArray *lers_store_query_archive_points_finish (LersStore *self, GAsyncResult *result,
                                                   GError **error);

GVariant *lers_store_query_current_sync (LersStore *self, const gint64 *node_ids, guint n_node_ids,
                                         const gint64 *point_ids, guint n_point_ids,
                                         GDateTime *since, GCancellable *cancellable,
                                         GError **error);

GDateTime *lers_store_get_last_timestamp_sync (LersStore *self, gint64 point_id,
                                               LersArchiveKind kind, GCancellable *cancellable,
                                               GError **error);
void lers_store_get_last_timestamp_async (LersStore *self, gint64 point_id, LersArchiveKind kind,
                                          GCancellable *cancellable, GAsyncReadyCallback callback,
                                          gpointer user_data);
GDateTime *lers_store_get_last_timestamp_finish (LersStore *self, GAsyncResult *result,
                                                 GError **error);

gboolean lers_store_save_territory_sync (LersStore *self, LersTerritory *territory,
                                         GCancellable *cancellable, GError **error);
LersTerritory *lers_store_get_territory_sync (LersStore *self, gint64 id, GCancellable *cancellable,
                                              GError **error);
GPtrArray *lers_store_list_territories_sync (LersStore *self, GCancellable *cancellable,
                                             GError **error);
gboolean lers_store_delete_territory_sync (LersStore *self, gint64 id, GCancellable *cancellable,
                                           GError **error);

GTimeZone *lers_store_get_point_time_zone_sync (LersStore *self, gint64 point_id,
                                                GCancellable *cancellable, GError **error);
void lers_store_get_point_time_zone_async (LersStore *self, gint64 point_id,
                                           GCancellable *cancellable, GAsyncReadyCallback callback,
                                           gpointer user_data);
GTimeZone *lers_store_get_point_time_zone_finish (LersStore *self, GAsyncResult *result,
                                                  GError **error);

gint lers_store_write_meter_events_sync (LersStore *self, gint64 point_id, GPtrArray *events,
                                         GCancellable *cancellable, GError **error);
void lers_store_write_meter_events_async (LersStore *self, gint64 point_id, GPtrArray *events,
                                          GCancellable *cancellable, GAsyncReadyCallback callback,
                                          gpointer user_data);
gint lers_store_write_meter_events_finish (LersStore *self, GAsyncResult *result, GError **error);
GPtrArray *lers_store_list_meter_events_sync (LersStore *self, gint64 point_id, GDateTime *from,
                                              GDateTime *to, GCancellable *cancellable,
                                              GError **error);
void lers_store_list_meter_events_async (LersStore *self, gint64 point_id, GDateTime *from,
                                         GDateTime *to, GCancellable *cancellable,
                                         GAsyncReadyCallback callback, gpointer user_data);
GPtrArray *lers_store_list_meter_events_finish (LersStore *self, GAsyncResult *result,
                                                GError **error);

G_END_DECLS
