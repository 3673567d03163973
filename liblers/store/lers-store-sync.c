/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "config.h"

#include "lers-error.h"
#include "store/lers-store-private.h"

/* The blocking API, for scripts, tools and tests. Each call runs its SQL in
 * the calling thread on a connection of the store's pool; it never touches a
 * main context, so it is safe from any thread. */

/**
 * lers_store_open_sync:
 * @self: a #LersStore
 * @cancellable: (nullable): a #GCancellable
 * @error: return location for a #GError
 *
 * Connects and brings the schema up to date: applies, in order, each
 * migration not yet recorded in `schema_migrations`, each in its own
 * transaction. Concurrent openers of the same database wait for each other
 * on an advisory lock.
 *
 * Returns: %TRUE if the store is ready
 *
 * Since: 0.1
 */
gboolean
lers_store_open_sync (LersStore *self, GCancellable *cancellable, GError **error)
{
  g_autoptr (LersStoreJob) job = NULL;

  g_return_val_if_fail (LERS_IS_STORE (self), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  job = lers_store_job_new_open ();
  return lers_store_run_job (self, job, cancellable, error);
}

gboolean
lers_store_save_object_sync (LersStore *self, const LersStoreModel *model, GObject *object,
                             GCancellable *cancellable, GError **error)
{
  g_autoptr (LersStoreJob) job = lers_store_job_new_save (model, object);

  if (!lers_store_run_job (self, job, cancellable, error))
    return FALSE;
  lers_store_job_apply_save (job);
  return TRUE;
}

GObject *
lers_store_get_object_sync (LersStore *self, const LersStoreModel *model, gint64 id,
                            GCancellable *cancellable, GError **error)
{
  g_autoptr (LersStoreJob) job = lers_store_job_new_get (model, id);

  if (!lers_store_run_job (self, job, cancellable, error))
    return NULL;
  return lers_store_job_steal_result (job);
}

GPtrArray *
lers_store_list_objects_sync (LersStore *self, const LersStoreModel *model, gint64 filter,
                              GCancellable *cancellable, GError **error)
{
  g_autoptr (LersStoreJob) job = lers_store_job_new_list (model, filter);

  if (!lers_store_run_job (self, job, cancellable, error))
    return NULL;
  return lers_store_job_steal_result (job);
}

gboolean
lers_store_delete_object_sync (LersStore *self, const LersStoreModel *model, gint64 id,
                               GCancellable *cancellable, GError **error)
{
  g_autoptr (LersStoreJob) job = lers_store_job_new_delete (model, id);

  return lers_store_run_job (self, job, cancellable, error);
}

/**
 * lers_store_save_node_sync:
 * @self: a #LersStore
 * @node: the node (объект учёта) to save
 * @cancellable: (nullable): a #GCancellable
 * @error: return location for a #GError
 *
 * Saves @node: inserts it and sets its #LersNode:id when the id is 0, else
 * updates the stored row with that id (%LERS_ERROR_NOT_FOUND if there is
 * none).
 *
 * Returns: %TRUE on success
 *
 * Since: 0.1
 */
gboolean
lers_store_save_node_sync (LersStore *self, LersNode *node, GCancellable *cancellable,
                           GError **error)
{
  g_return_val_if_fail (LERS_IS_STORE (self), FALSE);
  g_return_val_if_fail (LERS_IS_NODE (node), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  return lers_store_save_object_sync (self, &lers_store_model_node, G_OBJECT (node), cancellable,
                                      error);
}

/**
 * lers_store_get_node_sync:
 * @self: a #LersStore
 * @id: the id of the node (объект учёта)
 * @cancellable: (nullable): a #GCancellable
 * @error: return location for a #GError
 *
 * Reads one node (объект учёта).
 *
 * Returns: (transfer full): the node (объект учёта), or %NULL with
 *   %LERS_ERROR_NOT_FOUND if there is none with @id
 *
 * Since: 0.1
 */
LersNode *
lers_store_get_node_sync (LersStore *self, gint64 id, GCancellable *cancellable, GError **error)
{
  g_return_val_if_fail (LERS_IS_STORE (self), NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  return (LersNode *) lers_store_get_object_sync (self, &lers_store_model_node, id, cancellable,
                                                  error);
}

/**
 * lers_store_list_nodes_sync:
 * @self: a #LersStore
 * @cancellable: (nullable): a #GCancellable
 * @error: return location for a #GError
 *
 * Reads all nodes, ordered by id.
 *
 * Returns: (transfer container) (element-type Lers.Node): the objects, or %NULL on error
 *
 * Since: 0.1
 */
GPtrArray *
lers_store_list_nodes_sync (LersStore *self, GCancellable *cancellable, GError **error)
{
  g_return_val_if_fail (LERS_IS_STORE (self), NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  return lers_store_list_objects_sync (self, &lers_store_model_node, 0, cancellable, error);
}

/**
 * lers_store_delete_node_sync:
 * @self: a #LersStore
 * @id: the id of the node (объект учёта)
 * @cancellable: (nullable): a #GCancellable
 * @error: return location for a #GError
 *
 * Deletes one node (объект учёта) with its measure points and their archives.
 *
 * Returns: %TRUE on success, %FALSE with %LERS_ERROR_NOT_FOUND if there
 *   is none with @id
 *
 * Since: 0.1
 */
gboolean
lers_store_delete_node_sync (LersStore *self, gint64 id, GCancellable *cancellable, GError **error)
{
  g_return_val_if_fail (LERS_IS_STORE (self), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  return lers_store_delete_object_sync (self, &lers_store_model_node, id, cancellable, error);
}

/**
 * lers_store_save_measure_point_sync:
 * @self: a #LersStore
 * @measure_point: the measure point (точка учёта) to save
 * @cancellable: (nullable): a #GCancellable
 * @error: return location for a #GError
 *
 * Saves @measure_point: inserts it and sets its #LersMeasurePoint:id when the id is 0, else
 * updates the stored row with that id (%LERS_ERROR_NOT_FOUND if there is
 * none).
 *
 * Returns: %TRUE on success
 *
 * Since: 0.1
 */
gboolean
lers_store_save_measure_point_sync (LersStore *self, LersMeasurePoint *measure_point,
                                    GCancellable *cancellable, GError **error)
{
  g_return_val_if_fail (LERS_IS_STORE (self), FALSE);
  g_return_val_if_fail (LERS_IS_MEASURE_POINT (measure_point), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  return lers_store_save_object_sync (self, &lers_store_model_measure_point,
                                      G_OBJECT (measure_point), cancellable, error);
}

/**
 * lers_store_get_measure_point_sync:
 * @self: a #LersStore
 * @id: the id of the measure point (точка учёта)
 * @cancellable: (nullable): a #GCancellable
 * @error: return location for a #GError
 *
 * Reads one measure point (точка учёта).
 *
 * Returns: (transfer full): the measure point (точка учёта), or %NULL with
 *   %LERS_ERROR_NOT_FOUND if there is none with @id
 *
 * Since: 0.1
 */
LersMeasurePoint *
lers_store_get_measure_point_sync (LersStore *self, gint64 id, GCancellable *cancellable,
                                   GError **error)
{
  g_return_val_if_fail (LERS_IS_STORE (self), NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  return (LersMeasurePoint *) lers_store_get_object_sync (self, &lers_store_model_measure_point, id,
                                                          cancellable, error);
}

/**
 * lers_store_list_measure_points_sync:
 * @self: a #LersStore
 * @node_id: the node whose points to list, or 0 for all points
 * @cancellable: (nullable): a #GCancellable
 * @error: return location for a #GError
 *
 * Reads all measure_points, ordered by id.
 *
 * Returns: (transfer container) (element-type Lers.MeasurePoint): the objects, or %NULL on error
 *
 * Since: 0.1
 */
GPtrArray *
lers_store_list_measure_points_sync (LersStore *self, gint64 node_id, GCancellable *cancellable,
                                     GError **error)
{
  g_return_val_if_fail (LERS_IS_STORE (self), NULL);
  g_return_val_if_fail (node_id >= 0, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  return lers_store_list_objects_sync (self, &lers_store_model_measure_point, node_id, cancellable,
                                       error);
}

/**
 * lers_store_delete_measure_point_sync:
 * @self: a #LersStore
 * @id: the id of the measure point (точка учёта)
 * @cancellable: (nullable): a #GCancellable
 * @error: return location for a #GError
 *
 * Deletes one measure point (точка учёта) and its archive.
 *
 * Returns: %TRUE on success, %FALSE with %LERS_ERROR_NOT_FOUND if there
 *   is none with @id
 *
 * Since: 0.1
 */
gboolean
lers_store_delete_measure_point_sync (LersStore *self, gint64 id, GCancellable *cancellable,
                                      GError **error)
{
  g_return_val_if_fail (LERS_IS_STORE (self), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  return lers_store_delete_object_sync (self, &lers_store_model_measure_point, id, cancellable,
                                        error);
}

/**
 * lers_store_save_device_sync:
 * @self: a #LersStore
 * @device: the device (прибор учёта) to save
 * @cancellable: (nullable): a #GCancellable
 * @error: return location for a #GError
 *
 * Saves @device: inserts it and sets its #LersDevice:id when the id is 0, else
 * updates the stored row with that id (%LERS_ERROR_NOT_FOUND if there is
 * none).
 *
 * Returns: %TRUE on success
 *
 * Since: 0.1
 */
gboolean
lers_store_save_device_sync (LersStore *self, LersDevice *device, GCancellable *cancellable,
                             GError **error)
{
  g_return_val_if_fail (LERS_IS_STORE (self), FALSE);
  g_return_val_if_fail (LERS_IS_DEVICE (device), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  return lers_store_save_object_sync (self, &lers_store_model_device, G_OBJECT (device),
                                      cancellable, error);
}

/**
 * lers_store_get_device_sync:
 * @self: a #LersStore
 * @id: the id of the device (прибор учёта)
 * @cancellable: (nullable): a #GCancellable
 * @error: return location for a #GError
 *
 * Reads one device (прибор учёта).
 *
 * Returns: (transfer full): the device (прибор учёта), or %NULL with
 *   %LERS_ERROR_NOT_FOUND if there is none with @id
 *
 * Since: 0.1
 */
LersDevice *
lers_store_get_device_sync (LersStore *self, gint64 id, GCancellable *cancellable, GError **error)
{
  g_return_val_if_fail (LERS_IS_STORE (self), NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  return (LersDevice *) lers_store_get_object_sync (self, &lers_store_model_device, id, cancellable,
                                                    error);
}

/**
 * lers_store_list_devices_sync:
 * @self: a #LersStore
 * @cancellable: (nullable): a #GCancellable
 * @error: return location for a #GError
 *
 * Reads all devices, ordered by id.
 *
 * Returns: (transfer container) (element-type Lers.Device): the objects, or %NULL on error
 *
 * Since: 0.1
 */
GPtrArray *
lers_store_list_devices_sync (LersStore *self, GCancellable *cancellable, GError **error)
{
  g_return_val_if_fail (LERS_IS_STORE (self), NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  return lers_store_list_objects_sync (self, &lers_store_model_device, 0, cancellable, error);
}

/**
 * lers_store_delete_device_sync:
 * @self: a #LersStore
 * @id: the id of the device (прибор учёта)
 * @cancellable: (nullable): a #GCancellable
 * @error: return location for a #GError
 *
 * Deletes one device (прибор учёта).
 *
 * Returns: %TRUE on success, %FALSE with %LERS_ERROR_NOT_FOUND if there
 *   is none with @id
 *
 * Since: 0.1
 */
gboolean
lers_store_delete_device_sync (LersStore *self, gint64 id, GCancellable *cancellable,
                               GError **error)
{
  g_return_val_if_fail (LERS_IS_STORE (self), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  return lers_store_delete_object_sync (self, &lers_store_model_device, id, cancellable, error);
}

/**
 * lers_store_save_connection_sync:
 * @self: a #LersStore
 * @connection: the connection to save
 * @cancellable: (nullable): a #GCancellable
 * @error: return location for a #GError
 *
 * Saves @connection: inserts it and sets its #LersConnection:id when the id is 0, else
 * updates the stored row with that id (%LERS_ERROR_NOT_FOUND if there is
 * none).
 *
 * Returns: %TRUE on success
 *
 * Since: 0.1
 */
gboolean
lers_store_save_connection_sync (LersStore *self, LersConnection *connection,
                                 GCancellable *cancellable, GError **error)
{
  g_return_val_if_fail (LERS_IS_STORE (self), FALSE);
  g_return_val_if_fail (LERS_IS_CONNECTION (connection), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  return lers_store_save_object_sync (self, &lers_store_model_connection, G_OBJECT (connection),
                                      cancellable, error);
}

/**
 * lers_store_get_connection_sync:
 * @self: a #LersStore
 * @id: the id of the connection
 * @cancellable: (nullable): a #GCancellable
 * @error: return location for a #GError
 *
 * Reads one connection.
 *
 * Returns: (transfer full): the connection, or %NULL with
 *   %LERS_ERROR_NOT_FOUND if there is none with @id
 *
 * Since: 0.1
 */
LersConnection *
lers_store_get_connection_sync (LersStore *self, gint64 id, GCancellable *cancellable,
                                GError **error)
{
  g_return_val_if_fail (LERS_IS_STORE (self), NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  return (LersConnection *) lers_store_get_object_sync (self, &lers_store_model_connection, id,
                                                        cancellable, error);
}

/**
 * lers_store_list_connections_sync:
 * @self: a #LersStore
 * @cancellable: (nullable): a #GCancellable
 * @error: return location for a #GError
 *
 * Reads all connections, ordered by id.
 *
 * Returns: (transfer container) (element-type Lers.Connection): the objects, or %NULL on error
 *
 * Since: 0.1
 */
GPtrArray *
lers_store_list_connections_sync (LersStore *self, GCancellable *cancellable, GError **error)
{
  g_return_val_if_fail (LERS_IS_STORE (self), NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  return lers_store_list_objects_sync (self, &lers_store_model_connection, 0, cancellable, error);
}

/**
 * lers_store_delete_connection_sync:
 * @self: a #LersStore
 * @id: the id of the connection
 * @cancellable: (nullable): a #GCancellable
 * @error: return location for a #GError
 *
 * Deletes one connection.
 *
 * Returns: %TRUE on success, %FALSE with %LERS_ERROR_NOT_FOUND if there
 *   is none with @id
 *
 * Since: 0.1
 */
gboolean
lers_store_delete_connection_sync (LersStore *self, gint64 id, GCancellable *cancellable,
                                   GError **error)
{
  g_return_val_if_fail (LERS_IS_STORE (self), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  return lers_store_delete_object_sync (self, &lers_store_model_connection, id, cancellable, error);
}

/**
 * lers_store_write_records_sync:
 * @self: a #LersStore
 * @point_id: the measure point the records belong to
 * @records: (element-type Lers.Record): the records, of any archive kinds
 * @cancellable: (nullable): a #GCancellable
 * @error: return location for a #GError
 *
 * Writes archive records of one measure point, idempotently: a record is
 * keyed by (point, archive kind, timestamp), so writing the same hour twice
 * leaves one row, and a record written again with other values (a corrected
 * reading) replaces the stored one as a whole. Within @records, the last of
 * several records with the same key wins.
 *
 * Monthly partitions are created as needed. The batch is one transaction:
 * if it fails, nothing of it is stored and no earlier row is lost. Large
 * batches go through `COPY`; a few hundred to a few thousand records per
 * call is the efficient size.
 *
 * Returns: %TRUE if all records were stored
 *
 * Since: 0.1
 */
gboolean
lers_store_write_records_sync (LersStore *self, gint64 point_id, GPtrArray *records,
                               GCancellable *cancellable, GError **error)
{
  g_autoptr (LersStoreJob) job = NULL;

  g_return_val_if_fail (LERS_IS_STORE (self), FALSE);
  g_return_val_if_fail (records != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  job = lers_store_job_new_write (point_id, records);
  return lers_store_run_job (self, job, cancellable, error);
}
