/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * ЛЭРС УЧЁТ API v1: Core/Nodes, Core/MeasurePoints and Core/Equipment
 * (see compat.c, docs/api-compat.md).
 *
 * A subscriber sees only the nodes assigned to them: the lists leave the
 * others out, and an object of another node is 404 as if it did not exist.
 */
#include "config.h"

#include <inttypes.h>

#include <glib/gi18n.h>

#include "compat.h"
#include "lersd-auth.h"

/* ---- their JSON of our objects ---------------------------------------- */

void
lersd_compat_add_string (JsonBuilder *b, const gchar *name, const gchar *value)
{
  json_builder_set_member_name (b, name);
  json_builder_add_string_value (b, value != NULL ? value : "");
}

void
lersd_compat_add_int (JsonBuilder *b, const gchar *name, gint64 value)
{
  json_builder_set_member_name (b, name);
  json_builder_add_int_value (b, value);
}

static void
lersd_compat_add_ref (JsonBuilder *b, const gchar *name, gint64 id)
{
  json_builder_set_member_name (b, name);
  if (id > 0)
    json_builder_add_int_value (b, id);
  else
    json_builder_add_null_value (b);
}

void
lersd_compat_build_node (JsonBuilder *b, LersNode *node)
{
  const gchar *number = lers_node_get_number (node);
  gint64 n;

  json_builder_begin_object (b);
  lersd_compat_add_int (b, "id", lers_node_get_id (node));
  lersd_compat_add_string (b, "title", lers_node_get_title (node));
  /* theirs is a number; ours is text, shown when it is one */
  if (number != NULL && g_ascii_string_to_signed (number, 10, 0, G_MAXINT32, &n, NULL))
    lersd_compat_add_int (b, "number", n);
  lersd_compat_add_string (b, "address", lers_node_get_address (node));
  json_builder_set_member_name (b, "comment");
  if (lers_node_get_comment (node) != NULL)
    json_builder_add_string_value (b, lers_node_get_comment (node));
  else
    json_builder_add_null_value (b);
  /* no diagnostics yet (their NodeState "None": not assessed) */
  lersd_compat_add_string (b, "state", "None");
  if (lers_node_get_territory_id (node) > 0)
    lersd_compat_add_int (b, "territoryId", lers_node_get_territory_id (node));
  lersd_compat_add_string (b, "type", lersd_compat_node_type (lers_node_get_node_type (node)));
  json_builder_set_member_name (b, "geoLocation");
  if (lers_node_get_latitude (node) != 0 || lers_node_get_longitude (node) != 0)
    {
      json_builder_begin_object (b);
      json_builder_set_member_name (b, "latitude");
      json_builder_add_double_value (b, lers_node_get_latitude (node));
      json_builder_set_member_name (b, "longitude");
      json_builder_add_double_value (b, lers_node_get_longitude (node));
      json_builder_end_object (b);
    }
  else
    json_builder_add_null_value (b);
  json_builder_end_object (b);
}

void
lersd_compat_build_point (JsonBuilder *b, LersMeasurePoint *point, LersNode *node)
{
  const gchar *title = lers_measure_point_get_title (point);
  const gchar *node_title = node != NULL ? lers_node_get_title (node) : NULL;
  LersResource resource = lers_measure_point_get_resource (point);
  g_autofree gchar *full = NULL;

  if (title == NULL)
    title = "";
  full = node_title != NULL ? g_strdup_printf ("%s, %s", node_title, title) : g_strdup (title);

  json_builder_begin_object (b);
  lersd_compat_add_int (b, "id", lers_measure_point_get_id (point));
  lersd_compat_add_string (b, "title", title);
  lersd_compat_add_string (b, "fullTitle", full);
  json_builder_set_member_name (b, "parentTitle");
  if (node_title != NULL)
    json_builder_add_string_value (b, node_title);
  else
    json_builder_add_null_value (b);
  json_builder_set_member_name (b, "address");
  if (node != NULL && lers_node_get_address (node) != NULL)
    json_builder_add_string_value (b, lers_node_get_address (node));
  else
    json_builder_add_null_value (b);
  lersd_compat_add_string (b, "type", "Regular");
  lersd_compat_add_string (b, "systemType", lersd_compat_system_type (resource));
  lersd_compat_add_string (b, "resourceKind", lersd_compat_resource_kind (resource));
  lersd_compat_add_int (b, "nodeId", lers_measure_point_get_node_id (point));
  lersd_compat_add_ref (b, "deviceId", lers_measure_point_get_device_id (point));
  lersd_compat_add_int (b, "reportingHour", lers_measure_point_get_reporting_hour (point));
  lersd_compat_add_int (b, "reportingDay", lers_measure_point_get_reporting_day (point));
  lersd_compat_add_string (b, "state", "None");
  json_builder_set_member_name (b, "isVirtual");
  json_builder_add_boolean_value (b, FALSE);
  json_builder_end_object (b);
}

static void
lersd_compat_add_date (JsonBuilder *b, const gchar *name, GDateTime *dt)
{
  json_builder_set_member_name (b, name);
  if (dt != NULL)
    {
      g_autofree gchar *text = lers_time_format (dt, NULL);
      json_builder_add_string_value (b, text);
    }
  else
    json_builder_add_null_value (b);
}

/* @model_id: the id of the device's model in this answer's model list */
static void
lersd_compat_build_equipment_full (JsonBuilder *b, LersDevice *device, gint64 model_id)
{
  GDateTime *calibrated = lers_device_get_calibration_date (device);
  guint interval = lers_device_get_calibration_interval (device);
  g_autoptr (GDateTime) scheduled = NULL;

  if (calibrated != NULL && interval > 0)
    scheduled = g_date_time_add_months (calibrated, (gint) interval);

  json_builder_begin_object (b);
  lersd_compat_add_int (b, "id", lers_device_get_id (device));
  if (model_id > 0)
    lersd_compat_add_int (b, "equipmentModelId", model_id);
  json_builder_set_member_name (b, "serialNumber");
  if (lers_device_get_serial_number (device) != NULL)
    json_builder_add_string_value (b, lers_device_get_serial_number (device));
  else
    json_builder_add_null_value (b);
  json_builder_set_member_name (b, "networkAddress");
  if (lers_device_get_network_address (device) != NULL)
    json_builder_add_string_value (b, lers_device_get_network_address (device));
  else
    json_builder_add_null_value (b);
  lersd_compat_add_date (b, "lastCalibrationDate", calibrated);
  lersd_compat_add_date (b, "scheduledCalibrationDate", scheduled);
  /* never the meter's passwords */
  json_builder_set_member_name (b, "isShared");
  json_builder_add_boolean_value (b, FALSE);
  json_builder_end_object (b);
}

void
lersd_compat_build_equipment (JsonBuilder *b, LersDevice *device)
{
  lersd_compat_build_equipment_full (b, device, 0);
}

static gint
lersd_compat_compare_names (gconstpointer a, gconstpointer b)
{
  return g_strcmp0 (*(const gchar *const *) a, *(const gchar *const *) b);
}

/* Their EquipmentModel list for @devices: our models are names, so each
 * distinct name gets an id in this answer, 1, 2, … in name order. */
static GPtrArray *
lersd_compat_model_names (GPtrArray *devices)
{
  GPtrArray *names = g_ptr_array_new ();

  for (guint i = 0; i < devices->len; i++)
    {
      const gchar *model = lers_device_get_model (devices->pdata[i]);
      guint index;

      if (model != NULL && !g_ptr_array_find_with_equal_func (names, model, g_str_equal, &index))
        g_ptr_array_add (names, (gpointer) model);
    }
  g_ptr_array_sort (names, lersd_compat_compare_names);
  return names;
}

static gint64
lersd_compat_model_id (GPtrArray *names, LersDevice *device)
{
  const gchar *model = lers_device_get_model (device);
  guint index;

  if (model != NULL && g_ptr_array_find_with_equal_func (names, model, g_str_equal, &index))
    return index + 1;
  return 0;
}

static void
lersd_compat_build_models (JsonBuilder *b, GPtrArray *names, LersDevice *only)
{
  json_builder_begin_array (b);
  for (guint i = 0; i < names->len; i++)
    {
      if (only != NULL && g_strcmp0 (lers_device_get_model (only), names->pdata[i]) != 0)
        continue;
      json_builder_begin_object (b);
      lersd_compat_add_int (b, "id", i + 1);
      lersd_compat_add_string (b, "title", names->pdata[i]);
      json_builder_set_member_name (b, "isSystem");
      json_builder_add_boolean_value (b, TRUE);
      json_builder_end_object (b);
    }
  json_builder_end_array (b);
}

/* ---- what the caller sees --------------------------------------------- */

typedef struct
{
  GPtrArray *nodes;   /* LersNode, visible ones */
  GHashTable *by_id;  /* node id → LersNode (borrowed from nodes) */
  GPtrArray *points;  /* LersMeasurePoint of visible nodes */
  GPtrArray *devices; /* LersDevice behind those points, or every device */
} LersdCompatScope;

static void
lersd_compat_scope_free (LersdCompatScope *scope)
{
  g_clear_pointer (&scope->nodes, g_ptr_array_unref);
  g_clear_pointer (&scope->by_id, g_hash_table_unref);
  g_clear_pointer (&scope->points, g_ptr_array_unref);
  g_clear_pointer (&scope->devices, g_ptr_array_unref);
  g_free (scope);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (LersdCompatScope, lersd_compat_scope_free)

/* The nodes, points (@with_points) and devices (@with_devices) the caller
 * sees, ordered by id. */
static LersdCompatScope *
lersd_compat_scope_load (LersdRequest *req, gboolean with_points, gboolean with_devices,
                         GCancellable *cancellable, GError **error)
{
  LersStore *store = lersd_request_get_store (req);
  g_autoptr (LersdCompatScope) scope = g_new0 (LersdCompatScope, 1);
  g_autoptr (GPtrArray) nodes = NULL;
  GArray *visible;
  gboolean all = FALSE;

  visible = lersd_request_get_visible_nodes (req, &all, cancellable, error);
  if (visible == NULL && !all)
    return NULL;
  nodes = lers_store_list_nodes_sync (store, cancellable, error);
  if (nodes == NULL)
    return NULL;
  scope->nodes = g_ptr_array_new_with_free_func (g_object_unref);
  scope->by_id = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, NULL);
  for (guint i = 0; i < nodes->len; i++)
    {
      LersNode *node = nodes->pdata[i];
      if (!lersd_compat_node_visible (visible, all, lers_node_get_id (node)))
        continue;
      g_ptr_array_add (scope->nodes, g_object_ref (node));
    }
  for (guint i = 0; i < scope->nodes->len; i++)
    {
      LersNode *node = scope->nodes->pdata[i];
      gint64 id = lers_node_get_id (node);
      g_hash_table_insert (scope->by_id, g_memdup2 (&id, sizeof id), node);
    }

  if (with_points || with_devices)
    {
      g_autoptr (GPtrArray) points
          = lers_store_list_measure_points_sync (store, 0, cancellable, error);
      if (points == NULL)
        return NULL;
      scope->points = g_ptr_array_new_with_free_func (g_object_unref);
      for (guint i = 0; i < points->len; i++)
        {
          LersMeasurePoint *point = points->pdata[i];
          gint64 node_id = lers_measure_point_get_node_id (point);
          if (g_hash_table_contains (scope->by_id, &node_id))
            g_ptr_array_add (scope->points, g_object_ref (point));
        }
    }

  if (with_devices)
    {
      g_autoptr (GPtrArray) devices = lers_store_list_devices_sync (store, cancellable, error);
      g_autoptr (GHashTable) used
          = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, NULL);
      if (devices == NULL)
        return NULL;
      /* a subscriber sees the meters of their points */
      for (guint j = 0; j < scope->points->len; j++)
        {
          gint64 device_id = lers_measure_point_get_device_id (scope->points->pdata[j]);
          if (device_id > 0)
            g_hash_table_add (used, g_memdup2 (&device_id, sizeof device_id));
        }
      scope->devices = g_ptr_array_new_with_free_func (g_object_unref);
      for (guint i = 0; i < devices->len; i++)
        {
          LersDevice *device = devices->pdata[i];
          gint64 device_id = lers_device_get_id (device);

          if (all || g_hash_table_contains (used, &device_id))
            g_ptr_array_add (scope->devices, g_object_ref (device));
        }
    }
  return g_steal_pointer (&scope);
}

static LersNode *
lersd_compat_scope_node (LersdCompatScope *scope, gint64 id)
{
  return g_hash_table_lookup (scope->by_id, &id);
}

static void
lersd_compat_build_points (JsonBuilder *b, LersdCompatScope *scope, gint64 node_id)
{
  json_builder_begin_array (b);
  for (guint i = 0; i < scope->points->len; i++)
    {
      LersMeasurePoint *point = scope->points->pdata[i];
      gint64 owner = lers_measure_point_get_node_id (point);

      if (node_id > 0 && owner != node_id)
        continue;
      lersd_compat_build_point (b, point, lersd_compat_scope_node (scope, owner));
    }
  json_builder_end_array (b);
}

/* The devices of the points of @node_id (0: of all the points in scope) */
static void
lersd_compat_build_point_devices (JsonBuilder *b, LersdCompatScope *scope, gint64 node_id)
{
  g_autoptr (GPtrArray) used = g_ptr_array_new ();
  g_autoptr (GPtrArray) names = NULL;
  g_autoptr (GHashTable) ids = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, NULL);

  for (guint j = 0; j < scope->points->len; j++)
    {
      LersMeasurePoint *point = scope->points->pdata[j];
      gint64 device_id = lers_measure_point_get_device_id (point);

      if (device_id > 0 && (node_id == 0 || lers_measure_point_get_node_id (point) == node_id))
        g_hash_table_add (ids, g_memdup2 (&device_id, sizeof device_id));
    }
  for (guint i = 0; i < scope->devices->len; i++)
    {
      gint64 device_id = lers_device_get_id (scope->devices->pdata[i]);
      if (g_hash_table_contains (ids, &device_id))
        g_ptr_array_add (used, scope->devices->pdata[i]);
    }
  names = lersd_compat_model_names (used);
  json_builder_set_member_name (b, "equipment");
  json_builder_begin_array (b);
  for (guint i = 0; i < used->len; i++)
    lersd_compat_build_equipment_full (b, used->pdata[i],
                                       lersd_compat_model_id (names, used->pdata[i]));
  json_builder_end_array (b);
  json_builder_set_member_name (b, "equipmentModels");
  lersd_compat_build_models (b, names, NULL);
}

static gboolean
lersd_compat_segment_id (LersdRequest *req, guint index, gint64 *id, GError **error)
{
  return lersd_parse_id (lersd_request_get_segment (req, index), id, error);
}

GBytes *
lersd_compat_finish (JsonBuilder *b)
{
  g_autoptr (JsonNode) root = json_builder_get_root (b);
  return lersd_compat_json_bytes (root);
}

/* ---- Core/Nodes ------------------------------------------------------- */

static GBytes *
lersd_compat_nodes_run (LersdRequest *req, GCancellable *cancellable, guint *status, GError **error)
{
  g_autoptr (LersdCompatScope) scope = NULL;
  g_autoptr (JsonBuilder) b = json_builder_new ();
  const gchar *type_str = lersd_request_get_query (req, "nodeType");
  gboolean with_points = FALSE;
  gboolean by_type = FALSE;
  LersNodeType type = LERS_NODE_TYPE_NODE;

  if (!lersd_compat_get_bool (req, "getMeasurePoints", FALSE, &with_points, error))
    return NULL;
  if (type_str != NULL && *type_str != '\0' && g_strcmp0 (type_str, "None") != 0)
    {
      if (!lersd_compat_node_type_from_string (type_str, &type))
        {
          g_autofree gchar *quoted = lersd_quote_input (type_str);
          g_set_error (error, LERS_ERROR, LERS_ERROR_INVALID_ARGUMENT,
                       _ ("nodeType “%s” is not one of Node, House, PowerSource"), quoted);
          return NULL;
        }
      by_type = TRUE;
    }
  if (lersd_request_get_query (req, "nodeGroupId") != NULL)
    {
      g_set_error_literal (error, LERS_ERROR, LERS_ERROR_INVALID_ARGUMENT,
                           _ ("nodeGroupId is not supported; use GET /api/v1/nodes?groups=…"));
      return NULL;
    }

  scope = lersd_compat_scope_load (req, with_points, FALSE, cancellable, error);
  if (scope == NULL)
    return NULL;

  json_builder_begin_object (b);
  json_builder_set_member_name (b, "nodes");
  json_builder_begin_array (b);
  for (guint i = 0; i < scope->nodes->len; i++)
    {
      LersNode *node = scope->nodes->pdata[i];
      if (by_type && lers_node_get_node_type (node) != type)
        continue;
      lersd_compat_build_node (b, node);
    }
  json_builder_end_array (b);
  if (with_points)
    {
      json_builder_set_member_name (b, "measurePoints");
      json_builder_begin_array (b);
      for (guint i = 0; i < scope->points->len; i++)
        {
          LersMeasurePoint *point = scope->points->pdata[i];
          LersNode *node = lersd_compat_scope_node (scope, lers_measure_point_get_node_id (point));
          if (by_type && lers_node_get_node_type (node) != type)
            continue;
          lersd_compat_build_point (b, point, node);
        }
      json_builder_end_array (b);
    }
  json_builder_end_object (b);
  return lersd_compat_finish (b);
}

void
lersd_route_compat_nodes (LersdRequest *req)
{
  lersd_compat_run (req, lersd_compat_nodes_run);
}

static GBytes *
lersd_compat_node_run (LersdRequest *req, GCancellable *cancellable, guint *status, GError **error)
{
  g_autoptr (LersNode) node = NULL;
  g_autoptr (JsonBuilder) b = json_builder_new ();
  gint64 id;

  if (!lersd_compat_segment_id (req, 2, &id, error)
      || !lersd_request_check_node (req, id, cancellable, error))
    return NULL;
  node = lers_store_get_node_sync (lersd_request_get_store (req), id, cancellable, error);
  if (node == NULL)
    return NULL;
  lersd_compat_build_node (b, node);
  return lersd_compat_finish (b);
}

void
lersd_route_compat_node (LersdRequest *req)
{
  lersd_compat_run (req, lersd_compat_node_run);
}

/* GetMeasurePointListResponseParameters of @node_id's points (0: all) */
static GBytes *
lersd_compat_point_list (LersdRequest *req, gint64 node_id, GCancellable *cancellable,
                         GError **error)
{
  g_autoptr (LersdCompatScope) scope = NULL;
  g_autoptr (JsonBuilder) b = json_builder_new ();
  const gchar *type = lersd_request_get_query (req, "type");
  gboolean with_devices = FALSE;

  if (!lersd_compat_get_bool (req, "getEquipment", FALSE, &with_devices, error))
    return NULL;
  if (type != NULL && *type != '\0' && g_strcmp0 (type, "Regular") != 0
      && g_strcmp0 (type, "Communal") != 0)
    {
      g_autofree gchar *quoted = lersd_quote_input (type);
      g_set_error (error, LERS_ERROR, LERS_ERROR_INVALID_ARGUMENT,
                   _ ("type “%s” is not one of Regular, Communal"), quoted);
      return NULL;
    }
  scope = lersd_compat_scope_load (req, TRUE, with_devices, cancellable, error);
  if (scope == NULL)
    return NULL;
  if (node_id > 0 && lersd_compat_scope_node (scope, node_id) == NULL)
    {
      g_set_error (error, LERS_ERROR, LERS_ERROR_NOT_FOUND, _ ("There is no node with id %" PRId64),
                   node_id);
      return NULL;
    }

  json_builder_begin_object (b);
  json_builder_set_member_name (b, "measurePoints");
  /* every point here is a regular one; apartment (communal) points come
   * with the per-apartment metering issue */
  if (g_strcmp0 (type, "Communal") == 0)
    {
      json_builder_begin_array (b);
      json_builder_end_array (b);
    }
  else
    lersd_compat_build_points (b, scope, node_id);
  if (with_devices)
    lersd_compat_build_point_devices (b, scope, node_id);
  json_builder_end_object (b);
  return lersd_compat_finish (b);
}

static GBytes *
lersd_compat_node_points_run (LersdRequest *req, GCancellable *cancellable, guint *status,
                              GError **error)
{
  gint64 id;

  if (!lersd_compat_segment_id (req, 2, &id, error))
    return NULL;
  return lersd_compat_point_list (req, id, cancellable, error);
}

void
lersd_route_compat_node_points (LersdRequest *req)
{
  lersd_compat_run (req, lersd_compat_node_points_run);
}

/* ---- Core/MeasurePoints ----------------------------------------------- */

static GBytes *
lersd_compat_points_run (LersdRequest *req, GCancellable *cancellable, guint *status,
                         GError **error)
{
  return lersd_compat_point_list (req, 0, cancellable, error);
}

void
lersd_route_compat_points (LersdRequest *req)
{
  lersd_compat_run (req, lersd_compat_points_run);
}

static GBytes *
lersd_compat_point_run (LersdRequest *req, GCancellable *cancellable, guint *status, GError **error)
{
  LersStore *store = lersd_request_get_store (req);
  g_autoptr (LersMeasurePoint) point = NULL;
  g_autoptr (LersNode) node = NULL;
  g_autoptr (LersDevice) device = NULL;
  g_autoptr (JsonBuilder) b = json_builder_new ();
  gboolean with_device = FALSE;
  gint64 id;

  if (!lersd_compat_segment_id (req, 2, &id, error)
      || !lersd_compat_get_bool (req, "getDevice", FALSE, &with_device, error))
    return NULL;
  point = lers_store_get_measure_point_sync (store, id, cancellable, error);
  if (point == NULL)
    return NULL;
  /* another subscriber's point is as absent as a point that is not */
  if (!lersd_request_check_node (req, lers_measure_point_get_node_id (point), cancellable, NULL))
    {
      g_set_error (error, LERS_ERROR, LERS_ERROR_NOT_FOUND,
                   _ ("There is no measure point with id %" PRId64), id);
      return NULL;
    }
  node = lers_store_get_node_sync (store, lers_measure_point_get_node_id (point), cancellable,
                                   error);
  if (node == NULL)
    return NULL;
  if (with_device && lers_measure_point_get_device_id (point) > 0)
    {
      device = lers_store_get_device_sync (store, lers_measure_point_get_device_id (point),
                                           cancellable, error);
      if (device == NULL)
        return NULL;
    }

  json_builder_begin_object (b);
  json_builder_set_member_name (b, "measurePoint");
  lersd_compat_build_point (b, point, node);
  json_builder_set_member_name (b, "node");
  lersd_compat_build_node (b, node);
  if (device != NULL)
    {
      json_builder_set_member_name (b, "counter");
      lersd_compat_build_equipment (b, device);
    }
  json_builder_end_object (b);
  return lersd_compat_finish (b);
}

void
lersd_route_compat_point (LersdRequest *req)
{
  lersd_compat_run (req, lersd_compat_point_run);
}

/* ---- Core/Equipment --------------------------------------------------- */

static GBytes *
lersd_compat_equipment_list_run (LersdRequest *req, GCancellable *cancellable, guint *status,
                                 GError **error)
{
  g_autoptr (LersdCompatScope) scope = NULL;
  g_autoptr (JsonBuilder) b = json_builder_new ();
  g_autoptr (GPtrArray) names = NULL;
  g_autoptr (GPtrArray) shown = g_ptr_array_new ();
  const gchar *id_str = lersd_request_get_query (req, "id");
  gint64 only = 0;

  if (id_str != NULL && !lersd_parse_id (id_str, &only, error))
    return NULL;
  scope = lersd_compat_scope_load (req, TRUE, TRUE, cancellable, error);
  if (scope == NULL)
    return NULL;
  for (guint i = 0; i < scope->devices->len; i++)
    if (only == 0 || lers_device_get_id (scope->devices->pdata[i]) == only)
      g_ptr_array_add (shown, scope->devices->pdata[i]);
  names = lersd_compat_model_names (shown);

  json_builder_begin_object (b);
  json_builder_set_member_name (b, "list");
  json_builder_begin_array (b);
  for (guint i = 0; i < shown->len; i++)
    lersd_compat_build_equipment_full (b, shown->pdata[i],
                                       lersd_compat_model_id (names, shown->pdata[i]));
  json_builder_end_array (b);
  json_builder_set_member_name (b, "modelList");
  lersd_compat_build_models (b, names, NULL);
  json_builder_end_object (b);
  return lersd_compat_finish (b);
}

void
lersd_route_compat_equipment_list (LersdRequest *req)
{
  lersd_compat_run (req, lersd_compat_equipment_list_run);
}

static GBytes *
lersd_compat_equipment_run (LersdRequest *req, GCancellable *cancellable, guint *status,
                            GError **error)
{
  g_autoptr (LersdCompatScope) scope = NULL;
  g_autoptr (JsonBuilder) b = json_builder_new ();
  g_autoptr (GPtrArray) names = NULL;
  g_autoptr (GPtrArray) one = g_ptr_array_new ();
  g_autoptr (GHashTable) node_ids
      = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, NULL);
  LersDevice *device = NULL;
  gint64 id;

  if (!lersd_compat_segment_id (req, 2, &id, error))
    return NULL;
  scope = lersd_compat_scope_load (req, TRUE, TRUE, cancellable, error);
  if (scope == NULL)
    return NULL;
  for (guint i = 0; device == NULL && i < scope->devices->len; i++)
    if (lers_device_get_id (scope->devices->pdata[i]) == id)
      device = scope->devices->pdata[i];
  if (device == NULL)
    {
      g_set_error (error, LERS_ERROR, LERS_ERROR_NOT_FOUND,
                   _ ("There is no device with id %" PRId64), id);
      return NULL;
    }
  g_ptr_array_add (one, device);
  names = lersd_compat_model_names (one);

  json_builder_begin_object (b);
  json_builder_set_member_name (b, "equipment");
  lersd_compat_build_equipment_full (b, device, lersd_compat_model_id (names, device));
  if (names->len > 0)
    {
      json_builder_set_member_name (b, "model");
      json_builder_begin_object (b);
      lersd_compat_add_int (b, "id", 1);
      lersd_compat_add_string (b, "title", names->pdata[0]);
      json_builder_set_member_name (b, "isSystem");
      json_builder_add_boolean_value (b, TRUE);
      json_builder_end_object (b);
    }
  json_builder_set_member_name (b, "measurePoints");
  json_builder_begin_array (b);
  for (guint i = 0; i < scope->points->len; i++)
    {
      LersMeasurePoint *point = scope->points->pdata[i];
      gint64 *node_id;

      if (lers_measure_point_get_device_id (point) != id)
        continue;
      node_id = g_new (gint64, 1);
      *node_id = lers_measure_point_get_node_id (point);
      lersd_compat_build_point (b, point, lersd_compat_scope_node (scope, *node_id));
      g_hash_table_add (node_ids, node_id);
    }
  json_builder_end_array (b);
  json_builder_set_member_name (b, "nodes");
  json_builder_begin_array (b);
  for (guint i = 0; i < scope->nodes->len; i++)
    {
      gint64 node_id = lers_node_get_id (scope->nodes->pdata[i]);
      if (g_hash_table_contains (node_ids, &node_id))
        lersd_compat_build_node (b, scope->nodes->pdata[i]);
    }
  json_builder_end_array (b);
  json_builder_end_object (b);
  return lersd_compat_finish (b);
}

void
lersd_route_compat_equipment (LersdRequest *req)
{
  lersd_compat_run (req, lersd_compat_equipment_run);
}
