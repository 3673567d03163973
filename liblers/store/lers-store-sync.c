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

/**
 * lers_store_save_sync:
 * @self: a #LersStore
 * @object: the object to save: a #LersNode, #LersMeasurePoint, #LersDevice,
 *   #LersConnection or a type given to lers_store_register_type()
 * @cancellable: (nullable): a #GCancellable
 * @error: return location for a #GError
 *
 * Saves @object: inserts it and sets its `id` property when the id is 0,
 * else updates the stored row with that id (%LERS_ERROR_NOT_FOUND if there
 * is none).
 *
 * An insert is never sent twice: if the connection is lost after the
 * statement went out, the call fails with %LERS_ERROR_CONNECTION and the
 * outcome is unknown (look the object up by a natural key before trying
 * again). Updates and reads are retried once on a new connection.
 *
 * Returns: %TRUE on success; %LERS_ERROR_INVALID_ARGUMENT for a type the
 *   store does not know or a value the table refuses, %LERS_ERROR_BUSY if
 *   the row stayed locked longer than the bound for object writes
 *
 * Since: 0.2
 */
gboolean
lers_store_save_sync (LersStore *self, GObject *object, GCancellable *cancellable, GError **error)
{
  g_autoptr (LersStoreJob) job = NULL;
  const LersStoreModel *model;

  g_return_val_if_fail (LERS_IS_STORE (self), FALSE);
  g_return_val_if_fail (G_IS_OBJECT (object), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  model = lers_store_model_lookup (G_OBJECT_TYPE (object), error);
  if (model == NULL)
    return FALSE;
  job = lers_store_job_new_save (model, object);
  if (!lers_store_run_job (self, job, cancellable, error))
    return FALSE;
  lers_store_job_apply_save (job);
  return TRUE;
}

/**
 * lers_store_get_sync:
 * @self: a #LersStore
 * @type: the stored type, such as `LERS_TYPE_NODE` (`Lers.Node` in Python)
 * @id: the id of the object
 * @cancellable: (nullable): a #GCancellable
 * @error: return location for a #GError
 *
 * Reads one object.
 *
 * Returns: (transfer full): a new object of @type, or %NULL with
 *   %LERS_ERROR_NOT_FOUND if there is none with @id
 *
 * Since: 0.2
 */
GObject *
lers_store_get_sync (LersStore *self, GType type, gint64 id, GCancellable *cancellable,
                     GError **error)
{
  g_autoptr (LersStoreJob) job = NULL;
  const LersStoreModel *model;

  g_return_val_if_fail (LERS_IS_STORE (self), NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  model = lers_store_model_lookup (type, error);
  if (model == NULL)
    return NULL;
  job = lers_store_job_new_get (model, id);
  if (!lers_store_run_job (self, job, cancellable, error))
    return NULL;
  return lers_store_job_steal_result (job);
}

/**
 * lers_store_list_sync:
 * @self: a #LersStore
 * @type: the stored type
 * @query: (nullable): filters, ordering and page, or %NULL for all objects
 *   by id
 * @cancellable: (nullable): a #GCancellable
 * @error: return location for a #GError
 *
 * Lists the objects of @type that pass the filters of @query, in its order,
 * at most its limit of them, starting after its cursor. Afterwards the
 * cursor of @query names the last object returned if the page was full, or
 * is %NULL; see #LersStoreQuery.
 *
 * Returns: (transfer container) (element-type GObject): the objects
 *   (possibly none), or %NULL with %LERS_ERROR_INVALID_ARGUMENT for a
 *   property @type does not store or a malformed cursor
 *
 * Since: 0.2
 */
GPtrArray *
lers_store_list_sync (LersStore *self, GType type, LersStoreQuery *query, GCancellable *cancellable,
                      GError **error)
{
  const LersStoreModel *model;

  g_return_val_if_fail (LERS_IS_STORE (self), NULL);
  g_return_val_if_fail (query == NULL || LERS_IS_STORE_QUERY (query), NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  model = lers_store_model_lookup (type, error);
  if (model == NULL)
    return NULL;
  return lers_store_list_objects_sync (self, model, query, cancellable, error);
}

GPtrArray *
lers_store_list_objects_sync (LersStore *self, const LersStoreModel *model, LersStoreQuery *query,
                              GCancellable *cancellable, GError **error)
{
  g_autoptr (LersStoreJob) job = lers_store_job_new_list (model, query);

  if (!lers_store_run_job (self, job, cancellable, error))
    return NULL;
  if (query != NULL)
    lers_store_job_apply_list (job, query);
  return lers_store_job_steal_result (job);
}

/**
 * lers_store_delete_sync:
 * @self: a #LersStore
 * @type: the stored type
 * @id: the id of the object
 * @cancellable: (nullable): a #GCancellable
 * @error: return location for a #GError
 *
 * Deletes one object. Deleting a node deletes its measure points; deleting
 * a measure point (or a node) deletes its archive in the same transaction.
 *
 * Returns: %TRUE on success, %FALSE with %LERS_ERROR_NOT_FOUND if there
 *   is none with @id
 *
 * Since: 0.2
 */
gboolean
lers_store_delete_sync (LersStore *self, GType type, gint64 id, GCancellable *cancellable,
                        GError **error)
{
  g_autoptr (LersStoreJob) job = NULL;
  const LersStoreModel *model;

  g_return_val_if_fail (LERS_IS_STORE (self), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  model = lers_store_model_lookup (type, error);
  if (model == NULL)
    return FALSE;
  job = lers_store_job_new_delete (model, id);
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

  return lers_store_save_sync (self, G_OBJECT (node), cancellable, error);
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

  return (LersNode *) lers_store_get_sync (self, LERS_TYPE_NODE, id, cancellable, error);
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

  return lers_store_list_sync (self, LERS_TYPE_NODE, NULL, cancellable, error);
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

  return lers_store_delete_sync (self, LERS_TYPE_NODE, id, cancellable, error);
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

  return lers_store_save_sync (self, G_OBJECT (measure_point), cancellable, error);
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

  return (LersMeasurePoint *) lers_store_get_sync (self, LERS_TYPE_MEASURE_POINT, id, cancellable,
                                                   error);
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
  g_autoptr (LersStoreQuery) query = NULL;

  g_return_val_if_fail (LERS_IS_STORE (self), NULL);
  g_return_val_if_fail (node_id >= 0, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (node_id != 0)
    {
      query = lers_store_query_new ();
      lers_store_query_add_filter_int64 (query, "node-id", LERS_STORE_OP_EQ, node_id);
    }
  return lers_store_list_sync (self, LERS_TYPE_MEASURE_POINT, query, cancellable, error);
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

  return lers_store_delete_sync (self, LERS_TYPE_MEASURE_POINT, id, cancellable, error);
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

  return lers_store_save_sync (self, G_OBJECT (device), cancellable, error);
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

  return (LersDevice *) lers_store_get_sync (self, LERS_TYPE_DEVICE, id, cancellable, error);
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

  return lers_store_list_sync (self, LERS_TYPE_DEVICE, NULL, cancellable, error);
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

  return lers_store_delete_sync (self, LERS_TYPE_DEVICE, id, cancellable, error);
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

  return lers_store_save_sync (self, G_OBJECT (connection), cancellable, error);
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

  return (LersConnection *) lers_store_get_sync (self, LERS_TYPE_CONNECTION, id, cancellable,
                                                 error);
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

  return lers_store_list_sync (self, LERS_TYPE_CONNECTION, NULL, cancellable, error);
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

  return lers_store_delete_sync (self, LERS_TYPE_CONNECTION, id, cancellable, error);
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
 * Monthly partitions are created as needed. The batch is all or nothing:
 * if it fails, nothing of it is stored and no earlier row is lost. Large
 * batches go through `COPY`; a few hundred to a few thousand records per
 * call is the efficient size.
 *
 * Calls made at the same time from several threads (or async calls in
 * flight) are committed together, in one transaction and one flush to
 * disk; each call returns when its own records are durable, and one call's
 * failure (bad records, a value the database rejects, cancellation before
 * its records were written) fails that call alone.
 *
 * Returns: %TRUE if all records were stored
 *
 * Since: 0.1
 */
gboolean
lers_store_write_records_sync (LersStore *self, gint64 point_id, GPtrArray *records,
                               GCancellable *cancellable, GError **error)
{
  g_return_val_if_fail (LERS_IS_STORE (self), FALSE);
  g_return_val_if_fail (records != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  return lers_store_writer_write_sync (self, point_id, records, cancellable, error);
}
