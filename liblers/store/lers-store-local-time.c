/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "config.h"

#include <glib/gi18n-lib.h>
#include <inttypes.h>

#include "lers-error.h"
#include "lers-time.h"
#include "store/lers-store-private.h"

/* Territories and the time zone each measure point keeps. */

/* ---- territories --------------------------------------------------------- */

/**
 * lers_store_save_territory_sync:
 * @self: a #LersStore
 * @territory: the territory to save
 * @cancellable: (nullable): a #GCancellable
 * @error: return location for a #GError
 *
 * Saves @territory: inserts it and sets its #LersTerritory:id when the id is
 * 0, else updates the stored row with that id (%LERS_ERROR_NOT_FOUND if
 * there is none). A #LersTerritory:time-zone the system does not know is
 * refused with %LERS_ERROR_INVALID_ARGUMENT and nothing is stored.
 *
 * Returns: %TRUE on success
 *
 * Since: 0.2
 */
gboolean
lers_store_save_territory_sync (LersStore *self, LersTerritory *territory,
                                GCancellable *cancellable, GError **error)
{
  g_return_val_if_fail (LERS_IS_STORE (self), FALSE);
  g_return_val_if_fail (LERS_IS_TERRITORY (territory), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  return lers_store_save_sync (self, G_OBJECT (territory), cancellable, error);
}

/**
 * lers_store_get_territory_sync:
 * @self: a #LersStore
 * @id: the id of the territory
 * @cancellable: (nullable): a #GCancellable
 * @error: return location for a #GError
 *
 * Reads one territory.
 *
 * Returns: (transfer full): the territory, or %NULL with
 *   %LERS_ERROR_NOT_FOUND if there is none with @id
 *
 * Since: 0.2
 */
LersTerritory *
lers_store_get_territory_sync (LersStore *self, gint64 id, GCancellable *cancellable,
                               GError **error)
{
  g_return_val_if_fail (LERS_IS_STORE (self), NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  return (LersTerritory *) lers_store_get_sync (self, LERS_TYPE_TERRITORY, id, cancellable, error);
}

/**
 * lers_store_list_territories_sync:
 * @self: a #LersStore
 * @cancellable: (nullable): a #GCancellable
 * @error: return location for a #GError
 *
 * Reads all territories, ordered by id.
 *
 * Returns: (transfer container) (element-type Lers.Territory): the
 *   territories, or %NULL on error
 *
 * Since: 0.2
 */
GPtrArray *
lers_store_list_territories_sync (LersStore *self, GCancellable *cancellable, GError **error)
{
  g_return_val_if_fail (LERS_IS_STORE (self), NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  return lers_store_list_sync (self, LERS_TYPE_TERRITORY, NULL, cancellable, error);
}

/**
 * lers_store_delete_territory_sync:
 * @self: a #LersStore
 * @id: the id of the territory
 * @cancellable: (nullable): a #GCancellable
 * @error: return location for a #GError
 *
 * Deletes a territory. Its nodes and child territories stay, with no
 * parent territory (the foreign keys are ON DELETE SET NULL): its nodes
 * keep the server's zone from then on; a child territory with a zone of its
 * own keeps it, one without falls back to the server's zone.
 *
 * Returns: %TRUE on success; %LERS_ERROR_NOT_FOUND if there is none with @id
 *
 * Since: 0.2
 */
gboolean
lers_store_delete_territory_sync (LersStore *self, gint64 id, GCancellable *cancellable,
                                  GError **error)
{
  g_return_val_if_fail (LERS_IS_STORE (self), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  return lers_store_delete_sync (self, LERS_TYPE_TERRITORY, id, cancellable, error);
}

/* ---- the zone of a measure point ------------------------------------------ */

static gboolean
lers_store_job_point_zone_run (LersStore *self, LersStoreConn *conn, LersStoreJob *job,
                               GCancellable *cancellable, GError **error)
{
  g_autofree gchar *id_str = g_strdup_printf ("%" G_GINT64_FORMAT, job->id);
  const gchar *values[] = { id_str };
  g_autoptr (PGresult) res = NULL;
  g_autoptr (GError) local_error = NULL;
  const gchar *name = NULL;
  GTimeZone *zone;

  res = lers_store_exec (conn,
                         "SELECT lers_territory_time_zone(n.territory_id)"
                         "  FROM measure_points p LEFT JOIN nodes n ON n.id = p.node_id"
                         " WHERE p.id = $1::int8",
                         1, values, error);
  if (res == NULL)
    {
      g_prefix_error (error, _ ("Could not read point %" PRId64 ": "), job->id);
      return FALSE;
    }
  if (PQntuples (res) == 0)
    {
      g_set_error (error, LERS_ERROR, LERS_ERROR_NOT_FOUND, _ ("There is no %s with id %" PRId64),
                   _ ("measure point"), job->id);
      return FALSE;
    }
  if (!PQgetisnull (res, 0, 0))
    name = PQgetvalue (res, 0, 0);
  zone = lers_time_zone_new (name, &local_error);
  if (zone == NULL)
    {
      /* only a row edited by hand gets here: the store checks names on save */
      g_set_error (error, LERS_ERROR, LERS_ERROR_INVALID_DATA,
                   _ ("The territory of point %" PRId64 " has a bad time zone: %s"), job->id,
                   local_error->message);
      return FALSE;
    }
  lers_store_job_set_result (job, zone, (GDestroyNotify) g_time_zone_unref);
  return TRUE;
}

static LersStoreJob *
lers_store_job_new_point_zone (gint64 point_id)
{
  LersStoreJob *job = g_new0 (LersStoreJob, 1);

  job->func = lers_store_job_point_zone_run;
  job->id = point_id;
  return job;
}

/**
 * lers_store_get_point_time_zone_sync:
 * @self: a #LersStore
 * @point_id: the measure point
 * @cancellable: (nullable): a #GCancellable
 * @error: return location for a #GError
 *
 * Finds the time zone a measure point's times are shown in and its dates
 * mean: the zone of its node's territory, or of the nearest parent
 * territory that names one, or the server's zone.
 *
 * Returns: (transfer full): the zone, or %NULL with %LERS_ERROR_NOT_FOUND if
 *   there is no such point
 *
 * Since: 0.2
 */
GTimeZone *
lers_store_get_point_time_zone_sync (LersStore *self, gint64 point_id, GCancellable *cancellable,
                                     GError **error)
{
  g_autoptr (LersStoreJob) job = NULL;

  g_return_val_if_fail (LERS_IS_STORE (self), NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  job = lers_store_job_new_point_zone (point_id);
  if (!lers_store_run_job (self, job, cancellable, error))
    return NULL;
  return lers_store_job_steal_result (job);
}

/**
 * lers_store_get_point_time_zone_async:
 * @self: a #LersStore
 * @point_id: the measure point
 * @cancellable: (nullable): a #GCancellable
 * @callback: (scope async): called when done
 * @user_data: (closure): data for @callback
 *
 * Finds a measure point's time zone in a worker thread; see
 * [method@Lers.Store.get_point_time_zone_sync].
 *
 * Since: 0.2
 */
void
lers_store_get_point_time_zone_async (LersStore *self, gint64 point_id, GCancellable *cancellable,
                                      GAsyncReadyCallback callback, gpointer user_data)
{
  g_return_if_fail (LERS_IS_STORE (self));

  lers_store_queue_job (self, lers_store_job_new_point_zone (point_id),
                        lers_store_get_point_time_zone_async, cancellable, callback, user_data);
}

/**
 * lers_store_get_point_time_zone_finish:
 * @self: a #LersStore
 * @result: the #GAsyncResult
 * @error: return location for a #GError
 *
 * Finishes [method@Lers.Store.get_point_time_zone_async].
 *
 * Returns: (transfer full): the zone, or %NULL on error
 *
 * Since: 0.2
 */
GTimeZone *
lers_store_get_point_time_zone_finish (LersStore *self, GAsyncResult *result, GError **error)
{
  return lers_store_finish_pointer (self, result, lers_store_get_point_time_zone_async, error);
}
