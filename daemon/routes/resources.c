/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * The objects as REST resources: nodes, points, devices, connections,
 * territories, meter events, and (read-only here) node groups, users and
 * the audit log (lersd_routes_resources; the points' routes are in
 * points.c and call the generic ones here).
 *
 *   GET    /api/v1/<collection>          → {"items": [...], "next": …}
 *   GET    /api/v1/<collection>/{id}     → object
 *   POST   /api/v1/<collection>          → 201 object, Location
 *   PATCH  /api/v1/<collection>/{id}     → object (only the members given)
 *   DELETE /api/v1/<collection>/{id}     → 204
 *
 * Objects and lists are shown as lersd-resource.h says. A subscriber's
 * lists hold only the objects of the nodes it sees; one it does not see is
 * 404 exactly like one that does not exist. Territories, devices and
 * connections serve many nodes: a user with scopes gets 403 on them. Every write is audited with
 * the object before and after.
 */
#include "config.h"

#include <glib/gi18n.h>
#include <inttypes.h>
#include <string.h>

#include "lersd-auth.h"
#include "lersd-resource.h"
#include "lersd-routes.h"

/* How a collection's objects belong to nodes, for who sees them. */
typedef enum
{
  LERSD_VISIBLE_ALL,       /* not tied to a node: staff only see them */
  LERSD_VISIBLE_NODE,      /* the object is a node */
  LERSD_VISIBLE_NODE_REF,  /* its node-id names the node */
  LERSD_VISIBLE_POINT_REF, /* its point-id names a point of the node */
} LersdVisible;

typedef struct
{
  const gchar *segment; /* "nodes" */
  const gchar *entity;  /* in the audit log: "node" */
  const gchar *noun;    /* for "There is no %s with id N" */
  GType (*get_type) (void);
  LersdVisible visible;
  /* only for staff who see every node: its objects serve many nodes, so a
   * user with scopes could reach (or re-tie) nodes outside them */
  gboolean unscoped;
} LersdCollection;

static const LersdCollection lersd_collections[] = {
  /* TRANSLATORS: completes "There is no %s with id %<PRId64>" */
  { "nodes", "node", N_ ("node"), lers_node_get_type, LERSD_VISIBLE_NODE },
  { "points", "point", N_ ("measure point"), lers_measure_point_get_type, LERSD_VISIBLE_NODE_REF },
  { "devices", "device", N_ ("device"), lers_device_get_type, LERSD_VISIBLE_ALL, TRUE },
  { "connections", "connection", N_ ("connection"), lers_connection_get_type, LERSD_VISIBLE_ALL,
    TRUE },
  { "territories", "territory", N_ ("territory"), lers_territory_get_type, LERSD_VISIBLE_ALL,
    TRUE },
  { "events", "meter-event", N_ ("meter event"), lers_meter_event_get_type,
    LERSD_VISIBLE_POINT_REF },
  /* read-only here: their writes are routes/users.c's */
  { "groups", "node-group", N_ ("node group"), lers_node_group_get_type, LERSD_VISIBLE_ALL },
  { "users", "user", N_ ("user"), lers_user_get_type, LERSD_VISIBLE_ALL },
  { "audit", "audit-entry", N_ ("audit entry"), lers_audit_entry_get_type, LERSD_VISIBLE_ALL },
};

static const LersdCollection *
lersd_collection_find (const gchar *segment)
{
  for (guint i = 0; i < G_N_ELEMENTS (lersd_collections); i++)
    if (g_strcmp0 (lersd_collections[i].segment, segment) == 0)
      return &lersd_collections[i];
  return NULL;
}

/* PERMISSION_DENIED when @coll is for unscoped staff and the caller has
 * scopes */
static gboolean
lersd_check_collection (LersdRequest *req, const LersdCollection *coll, GCancellable *cancellable,
                        GError **error)
{
  return !coll->unscoped || lersd_request_check_unscoped (req, cancellable, error);
}

static void
lersd_set_not_found (const LersdCollection *coll, gint64 id, GError **error)
{
  g_set_error (error, LERS_ERROR, LERS_ERROR_NOT_FOUND, _ ("There is no %s with id %" PRId64),
               _ (coll->noun), id);
}

static GBytes *
lersd_json_to_bytes (JsonNode *node)
{
  gsize len = 0;
  gchar *text = json_to_string (node, FALSE);

  len = strlen (text);
  return g_bytes_new_take (text, len);
}

static gchar *
lersd_object_to_text (GObject *object)
{
  g_autoptr (JsonNode) node = lersd_object_to_json (object);
  return json_to_string (node, FALSE);
}

/* The ids of the points of @nodes */
static GArray *
lersd_points_of_nodes (LersStore *store, GArray *nodes, GCancellable *cancellable, GError **error)
{
  g_autoptr (LersStoreQuery) query = lers_store_query_new ();
  g_autoptr (GPtrArray) points = NULL;
  GArray *ids;

  lers_store_query_add_filter_in_int64 (query, "node-id", (const gint64 *) nodes->data, nodes->len);
  points = lers_store_list_sync (store, LERS_TYPE_MEASURE_POINT, query, cancellable, error);
  if (points == NULL)
    return NULL;
  ids = g_array_sized_new (FALSE, FALSE, sizeof (gint64), points->len);
  for (guint i = 0; i < points->len; i++)
    {
      gint64 id = lers_measure_point_get_id (g_ptr_array_index (points, i));
      g_array_append_val (ids, id);
    }
  return ids;
}

/* Keeps in @query only what the caller sees. */
static gboolean
lersd_query_restrict (LersdRequest *req, const LersdCollection *coll, LersStoreQuery *query,
                      GCancellable *cancellable, GError **error)
{
  g_autoptr (GArray) points = NULL;
  g_autoptr (GArray) nodes = NULL;
  gboolean all = FALSE;

  if (coll->visible == LERSD_VISIBLE_ALL)
    return TRUE;
  nodes = lersd_request_get_visible_nodes (req, &all, cancellable, error);
  if (all)
    return TRUE;
  if (nodes == NULL)
    return FALSE;
  switch (coll->visible)
    {
    case LERSD_VISIBLE_NODE:
      lers_store_query_add_filter_in_int64 (query, "id", (const gint64 *) nodes->data, nodes->len);
      return TRUE;
    case LERSD_VISIBLE_NODE_REF:
      lers_store_query_add_filter_in_int64 (query, "node-id", (const gint64 *) nodes->data,
                                            nodes->len);
      return TRUE;
    case LERSD_VISIBLE_POINT_REF:
      points = lersd_points_of_nodes (lersd_request_get_store (req), nodes, cancellable, error);
      if (points == NULL)
        return FALSE;
      lers_store_query_add_filter_in_int64 (query, "point-id", (const gint64 *) points->data,
                                            points->len);
      return TRUE;
    case LERSD_VISIBLE_ALL:
    default:
      return TRUE;
    }
}

/* The node @object belongs to (0 for none), or -1 when it is not tied to
 * one. */
static gint64
lersd_object_node (const LersdCollection *coll, GObject *object, LersStore *store,
                   GCancellable *cancellable, GError **error)
{
  gint64 id = 0;

  switch (coll->visible)
    {
    case LERSD_VISIBLE_NODE:
      g_object_get (object, "id", &id, NULL);
      return id;
    case LERSD_VISIBLE_NODE_REF:
      g_object_get (object, "node-id", &id, NULL);
      return id;
    case LERSD_VISIBLE_POINT_REF:
      {
        g_autoptr (LersMeasurePoint) point = NULL;

        g_object_get (object, "point-id", &id, NULL);
        point = (LersMeasurePoint *) lers_store_get_sync (store, LERS_TYPE_MEASURE_POINT, id,
                                                          cancellable, error);
        if (point == NULL)
          return g_error_matches (*error, LERS_ERROR, LERS_ERROR_NOT_FOUND) ? 0 : -2;
        return lers_measure_point_get_node_id (point);
      }
    case LERSD_VISIBLE_ALL:
    default:
      return -1;
    }
}

/* Whether the caller sees @object; NOT_FOUND as for a missing one if not. */
static gboolean
lersd_check_visible (LersdRequest *req, const LersdCollection *coll, GObject *object, gint64 id,
                     GCancellable *cancellable, GError **error)
{
  g_autoptr (GError) local_error = NULL;
  g_autoptr (GArray) nodes = NULL;
  gboolean all = FALSE;
  gint64 node_id;

  if (coll->visible == LERSD_VISIBLE_ALL)
    return TRUE;
  nodes = lersd_request_get_visible_nodes (req, &all, cancellable, error);
  if (all)
    return TRUE;
  if (nodes == NULL)
    return FALSE;
  node_id
      = lersd_object_node (coll, object, lersd_request_get_store (req), cancellable, &local_error);
  if (node_id == -2)
    {
      g_propagate_error (error, g_steal_pointer (&local_error));
      return FALSE;
    }
  if (node_id <= 0 || !lersd_request_check_node (req, node_id, cancellable, NULL))
    {
      lersd_set_not_found (coll, id, error);
      return FALSE;
    }
  return TRUE;
}

/* The object with @id the caller sees, or NOT_FOUND */
static GObject *
lersd_get_visible (LersdRequest *req, const LersdCollection *coll, gint64 id,
                   GCancellable *cancellable, GError **error)
{
  g_autoptr (GObject) object = NULL;
  g_autoptr (GError) local_error = NULL;

  object = lers_store_get_sync (lersd_request_get_store (req), coll->get_type (), id, cancellable,
                                &local_error);
  if (object == NULL)
    {
      if (g_error_matches (local_error, LERS_ERROR, LERS_ERROR_NOT_FOUND))
        lersd_set_not_found (coll, id, error);
      else
        g_propagate_error (error, g_steal_pointer (&local_error));
      return NULL;
    }
  if (!lersd_check_visible (req, coll, object, id, cancellable, error))
    return NULL;
  return g_steal_pointer (&object);
}

/* ---- list --------------------------------------------------------------- */

typedef struct
{
  const LersdCollection *coll;
  LersStoreQuery *query;
  gint64 parent_node; /* GET /nodes/{id}/points: the node, else 0 */
} LersdListData;

static void
lersd_list_data_free (gpointer p)
{
  LersdListData *data = p;

  g_clear_object (&data->query);
  g_free (data);
}

static GBytes *
lersd_list_run (LersdRequest *req, gpointer user_data, GCancellable *cancellable, guint *status,
                const gchar **content_type, GError **error)
{
  LersdListData *data = user_data;
  g_autoptr (GPtrArray) objects = NULL;
  g_autoptr (JsonNode) root = NULL;

  if (!lersd_check_collection (req, data->coll, cancellable, error))
    return NULL;
  if (data->parent_node > 0)
    {
      g_autoptr (GObject) node = lersd_get_visible (req, lersd_collection_find ("nodes"),
                                                    data->parent_node, cancellable, error);
      if (node == NULL)
        return NULL;
    }
  if (!lersd_query_restrict (req, data->coll, data->query, cancellable, error))
    return NULL;
  objects = lers_store_list_sync (lersd_request_get_store (req), data->coll->get_type (),
                                  data->query, cancellable, error);
  if (objects == NULL)
    return NULL;
  root = lersd_list_to_json (objects, lers_store_query_get_cursor (data->query));
  return lersd_json_to_bytes (root);
}

static void
lersd_list_start (LersdRequest *req, const LersdCollection *coll, gint64 parent_node)
{
  g_autoptr (LersStoreQuery) query = lers_store_query_new ();
  g_autoptr (GError) error = NULL;
  LersdListData *data;

  if (!lersd_list_query_parse (req, coll->get_type (), query, &error))
    {
      lersd_request_reply_error (req, error);
      return;
    }
  if (parent_node > 0)
    lers_store_query_add_filter_int64 (query, "node-id", LERS_STORE_OP_EQ, parent_node);
  data = g_new0 (LersdListData, 1);
  data->coll = coll;
  data->query = g_steal_pointer (&query);
  data->parent_node = parent_node;
  lersd_request_run_in_thread (req, lersd_list_run, data, lersd_list_data_free);
}

/**
 * lersd_route_object_list:
 * @req: the request
 *
 * `GET /api/v1/<collection>`: one page of the list.
 *
 * Since: 0.5
 */
void
lersd_route_object_list (LersdRequest *req)
{
  lersd_list_start (req, lersd_collection_find (lersd_request_get_segment (req, 0)), 0);
}

static void
lersd_route_node_points (LersdRequest *req)
{
  g_autoptr (GError) error = NULL;
  gint64 id = 0;

  if (!lersd_parse_id (lersd_request_get_segment (req, 1), &id, &error))
    {
      lersd_request_reply_error (req, error);
      return;
    }
  lersd_list_start (req, lersd_collection_find ("points"), id);
}

/* ---- one object ----------------------------------------------------------- */

typedef struct
{
  const LersdCollection *coll;
  gint64 id;           /* 0 for POST */
  JsonObject *members; /* POST, PATCH */
} LersdObjectData;

static void
lersd_object_data_free (gpointer p)
{
  LersdObjectData *data = p;

  g_clear_pointer (&data->members, json_object_unref);
  g_free (data);
}

static GBytes *
lersd_get_run (LersdRequest *req, gpointer user_data, GCancellable *cancellable, guint *status,
               const gchar **content_type, GError **error)
{
  LersdObjectData *data = user_data;
  g_autoptr (GObject) object = NULL;
  g_autoptr (JsonNode) root = NULL;

  if (!lersd_check_collection (req, data->coll, cancellable, error))
    return NULL;
  object = lersd_get_visible (req, data->coll, data->id, cancellable, error);
  if (object == NULL)
    return NULL;
  root = lersd_object_to_json (object);
  return lersd_json_to_bytes (root);
}

/* The object's collection and the id of the path's second segment; replies
 * 400 itself when the id is bad. */
static LersdObjectData *
lersd_object_data_new (LersdRequest *req, gboolean with_id, gboolean with_body)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (JsonObject) members = NULL;
  LersdObjectData *data;
  gint64 id = 0;

  if (with_id && !lersd_parse_id (lersd_request_get_segment (req, 1), &id, &error))
    {
      lersd_request_reply_error (req, error);
      return NULL;
    }
  if (with_body && (members = lersd_request_parse_json_object (req, &error)) == NULL)
    {
      lersd_request_reply_error (req, error);
      return NULL;
    }
  data = g_new0 (LersdObjectData, 1);
  data->coll = lersd_collection_find (lersd_request_get_segment (req, 0));
  data->id = id;
  data->members = g_steal_pointer (&members);
  return data;
}

/**
 * lersd_route_object_get:
 * @req: the request
 *
 * `GET /api/v1/<collection>/{id}`.
 *
 * Since: 0.5
 */
void
lersd_route_object_get (LersdRequest *req)
{
  LersdObjectData *data = lersd_object_data_new (req, TRUE, FALSE);

  if (data != NULL)
    lersd_request_run_in_thread (req, lersd_get_run, data, lersd_object_data_free);
}

/* A territory inside itself (through its parents) is refused. */
static gboolean
lersd_check_territory_loop (LersStore *store, LersTerritory *territory, GCancellable *cancellable,
                            GError **error)
{
  gint64 self_id = lers_territory_get_id (territory);
  gint64 parent = lers_territory_get_parent_id (territory);

  for (guint depth = 0; parent > 0; depth++)
    {
      g_autoptr (LersTerritory) up = NULL;
      g_autoptr (GError) local_error = NULL;

      if (parent == self_id || depth > 1000)
        {
          g_set_error_literal (error, LERS_ERROR, LERS_ERROR_INVALID_ARGUMENT,
                               _ ("A territory cannot be inside itself: parent_id makes a loop"));
          return FALSE;
        }
      up = (LersTerritory *) lers_store_get_sync (store, LERS_TYPE_TERRITORY, parent, cancellable,
                                                  &local_error);
      if (up == NULL)
        {
          /* a missing parent is the foreign key's to refuse */
          if (g_error_matches (local_error, LERS_ERROR, LERS_ERROR_NOT_FOUND))
            return TRUE;
          g_propagate_error (error, g_steal_pointer (&local_error));
          return FALSE;
        }
      parent = lers_territory_get_parent_id (up);
    }
  return TRUE;
}

/* Checks what a write would store: the node a point goes to is one the
 * caller sees; no territory loop. */
static gboolean
lersd_check_write (LersdRequest *req, const LersdCollection *coll, GObject *object,
                   GCancellable *cancellable, GError **error)
{
  LersStore *store = lersd_request_get_store (req);

  if (coll->visible == LERSD_VISIBLE_NODE_REF)
    {
      g_autoptr (GArray) nodes = NULL;
      gint64 node_id = 0;
      gboolean all = FALSE;

      g_object_get (object, "node-id", &node_id, NULL);
      nodes = lersd_request_get_visible_nodes (req, &all, cancellable, error);
      if (nodes == NULL && !all)
        return FALSE;
      if (!all && (node_id <= 0 || !lersd_request_check_node (req, node_id, cancellable, error)))
        {
          if (error != NULL && *error == NULL)
            lersd_set_not_found (lersd_collection_find ("nodes"), node_id, error);
          return FALSE;
        }
    }
  if (LERS_IS_TERRITORY (object))
    return lersd_check_territory_loop (store, LERS_TERRITORY (object), cancellable, error);
  return TRUE;
}

/* lersd_object_patch(), naming the refused member in the error answer */
static gboolean
lersd_resource_patch (LersdRequest *req, GObject *object, JsonObject *members, GError **error)
{
  g_autofree gchar *field = NULL;

  if (lersd_object_patch_full (object, members, &field, error))
    return TRUE;
  lersd_request_set_error_field (req, field);
  return FALSE;
}

/* The member a unique index of the objects' tables keys on, named by the
 * database's message (its text may be translated, the index's name is not) */
static const struct
{
  const gchar *index;
  const gchar *member;
} lersd_unique_members[] = {
  { "nodes_number_key", "number" },
  { "devices_model_serial_key", "serial_number" },
  { "connections_address_key", "host" },
  { "connections_identity_key", "identity" },
  { "measure_points_device_channel_key", "channel" },
  { "users_login_idx", "login" },
};

/* lers_store_save_sync(), naming the member of a unique violation */
static gboolean
lersd_resource_save (LersdRequest *req, GObject *object, GCancellable *cancellable, GError **error)
{
  if (lers_store_save_sync (lersd_request_get_store (req), object, cancellable, error))
    return TRUE;
  if (error != NULL && g_error_matches (*error, LERS_ERROR, LERS_ERROR_INVALID_ARGUMENT))
    for (guint i = 0; i < G_N_ELEMENTS (lersd_unique_members); i++)
      if (strstr ((*error)->message, lersd_unique_members[i].index) != NULL)
        {
          lersd_request_set_error_field (req, lersd_unique_members[i].member);
          break;
        }
  return FALSE;
}

static GBytes *
lersd_post_run (LersdRequest *req, gpointer user_data, GCancellable *cancellable, guint *status,
                const gchar **content_type, GError **error)
{
  LersdObjectData *data = user_data;
  g_autoptr (GObject) object = g_object_new (data->coll->get_type (), NULL);
  g_autoptr (JsonNode) root = NULL;
  g_autofree gchar *after = NULL;
  g_autofree gchar *location = NULL;
  gint64 id = 0;

  if (!lersd_check_collection (req, data->coll, cancellable, error)
      || !lersd_resource_patch (req, object, data->members, error)
      || !lersd_check_write (req, data->coll, object, cancellable, error)
      || !lersd_resource_save (req, object, cancellable, error))
    return NULL;
  g_object_get (object, "id", &id, NULL);
  after = lersd_object_to_text (object);
  if (!lersd_request_audit (req, "create", data->coll->entity, id, NULL, after, cancellable, error))
    return NULL;
  location = g_strdup_printf (LERSD_API_PREFIX "/%s/%" G_GINT64_FORMAT, data->coll->segment, id);
  lersd_request_set_response_header (req, "Location", location);
  *status = SOUP_STATUS_CREATED;
  root = lersd_object_to_json (object);
  return lersd_json_to_bytes (root);
}

/**
 * lersd_route_object_post:
 * @req: the request
 *
 * `POST /api/v1/<collection>`: 201 with the new object and its Location.
 *
 * Since: 0.5
 */
void
lersd_route_object_post (LersdRequest *req)
{
  LersdObjectData *data = lersd_object_data_new (req, FALSE, TRUE);

  if (data != NULL)
    lersd_request_run_in_thread (req, lersd_post_run, data, lersd_object_data_free);
}

static GBytes *
lersd_patch_run (LersdRequest *req, gpointer user_data, GCancellable *cancellable, guint *status,
                 const gchar **content_type, GError **error)
{
  LersdObjectData *data = user_data;
  g_autoptr (GObject) object = NULL;
  g_autoptr (JsonNode) root = NULL;
  g_autofree gchar *before = NULL;
  g_autofree gchar *after = NULL;

  if (!lersd_check_collection (req, data->coll, cancellable, error))
    return NULL;
  object = lersd_get_visible (req, data->coll, data->id, cancellable, error);
  if (object == NULL)
    return NULL;
  before = lersd_object_to_text (object);
  if (!lersd_resource_patch (req, object, data->members, error)
      || !lersd_check_write (req, data->coll, object, cancellable, error)
      || !lersd_resource_save (req, object, cancellable, error))
    return NULL;
  after = lersd_object_to_text (object);
  if (!lersd_request_audit (req, "update", data->coll->entity, data->id, before, after, cancellable,
                            error))
    return NULL;
  root = lersd_object_to_json (object);
  return lersd_json_to_bytes (root);
}

/**
 * lersd_route_object_patch:
 * @req: the request
 *
 * `PATCH /api/v1/<collection>/{id}`: changes the members the body names.
 *
 * Since: 0.5
 */
void
lersd_route_object_patch (LersdRequest *req)
{
  LersdObjectData *data = lersd_object_data_new (req, TRUE, TRUE);

  if (data != NULL)
    lersd_request_run_in_thread (req, lersd_patch_run, data, lersd_object_data_free);
}

static GBytes *
lersd_delete_run (LersdRequest *req, gpointer user_data, GCancellable *cancellable, guint *status,
                  const gchar **content_type, GError **error)
{
  LersdObjectData *data = user_data;
  g_autoptr (GObject) object = NULL;
  g_autofree gchar *before = NULL;

  if (!lersd_check_collection (req, data->coll, cancellable, error))
    return NULL;
  object = lersd_get_visible (req, data->coll, data->id, cancellable, error);
  if (object == NULL)
    return NULL;
  before = lersd_object_to_text (object);
  if (!lers_store_delete_sync (lersd_request_get_store (req), data->coll->get_type (), data->id,
                               cancellable, error))
    return NULL;
  if (!lersd_request_audit (req, "delete", data->coll->entity, data->id, before, NULL, cancellable,
                            error))
    return NULL;
  *status = SOUP_STATUS_NO_CONTENT;
  return g_bytes_new (NULL, 0);
}

/**
 * lersd_route_object_delete:
 * @req: the request
 *
 * `DELETE /api/v1/<collection>/{id}`: 204. A node goes with its points and
 * their archives, as lers_store_delete_sync() does it.
 *
 * Since: 0.5
 */
void
lersd_route_object_delete (LersdRequest *req)
{
  LersdObjectData *data = lersd_object_data_new (req, TRUE, FALSE);

  if (data != NULL)
    lersd_request_run_in_thread (req, lersd_delete_run, data, lersd_object_data_free);
}

/* ---- modem statistics of a connection ------------------------------------ */

typedef struct
{
  gint64 id;
  GDateTime *from;
  GDateTime *to;
  guint limit;
} LersdSessionsData;

static void
lersd_sessions_data_free (gpointer p)
{
  LersdSessionsData *data = p;

  g_clear_pointer (&data->from, g_date_time_unref);
  g_clear_pointer (&data->to, g_date_time_unref);
  g_free (data);
}

static GBytes *
lersd_sessions_run (LersdRequest *req, gpointer user_data, GCancellable *cancellable, guint *status,
                    const gchar **content_type, GError **error)
{
  LersdSessionsData *data = user_data;
  g_autoptr (GObject) connection = NULL;
  g_autoptr (GPtrArray) sessions = NULL;
  g_autoptr (GString) out = g_string_new ("{\"items\":[");

  if (!lersd_request_check_unscoped (req, cancellable, error))
    return NULL;
  connection = lersd_get_visible (req, lersd_collection_find ("connections"), data->id, cancellable,
                                  error);
  if (connection == NULL)
    return NULL;
  sessions
      = lers_poll_queue_list_sessions_sync (lersd_request_get_queue (req), data->id, data->from,
                                            data->to, data->limit, cancellable, error);
  if (sessions == NULL)
    return NULL;
  for (guint i = 0; i < sessions->len; i++)
    {
      if (i > 0)
        g_string_append_c (out, ',');
      lers_link_session_append_json (g_ptr_array_index (sessions, i), out, NULL);
    }
  g_string_append (out, "],\"next\":null}");
  return g_string_free_to_bytes (g_steal_pointer (&out));
}

/* `GET /connections/{id}/sessions?from=&to=&limit=`: the link sessions of a
 * connection (signal, traffic), newest first, as /poll/sessions shows them */
static void
lersd_route_connection_sessions (LersdRequest *req)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (GTimeZone) utc = g_time_zone_new_utc ();
  const gchar *from = lersd_request_get_query (req, "from");
  const gchar *to = lersd_request_get_query (req, "to");
  const gchar *limit = lersd_request_get_query (req, "limit");
  LersdSessionsData *data = g_new0 (LersdSessionsData, 1);
  guint64 n = 100;

  if (!lersd_parse_id (lersd_request_get_segment (req, 1), &data->id, &error))
    goto fail;
  if (limit != NULL && !g_ascii_string_to_unsigned (limit, 10, 1, 1000, &n, NULL))
    {
      g_autofree gchar *quoted = lersd_quote_input (limit);
      g_set_error (&error, LERS_ERROR, LERS_ERROR_INVALID_ARGUMENT,
                   _ ("limit “%s” is not a number from 1 to 1000"), quoted);
      goto fail;
    }
  data->limit = (guint) n;
  if ((from != NULL || to != NULL)
      && !lersd_parse_range (from, to, utc, 30 * G_TIME_SPAN_DAY, &data->from, &data->to, &error))
    goto fail;
  lersd_request_run_in_thread (req, lersd_sessions_run, data, lersd_sessions_data_free);
  return;

fail:
  lersd_sessions_data_free (data);
  lersd_request_reply_error (req, error);
}

const LersdRoute lersd_routes_resources[] = {
  { "GET", "nodes", LERSD_ACCESS_READ, lersd_route_object_list },
  { "POST", "nodes", LERSD_ACCESS_OPERATE, lersd_route_object_post },
  { "GET", "nodes/*", LERSD_ACCESS_READ, lersd_route_object_get },
  { "PATCH", "nodes/*", LERSD_ACCESS_OPERATE, lersd_route_object_patch },
  { "DELETE", "nodes/*", LERSD_ACCESS_OPERATE, lersd_route_object_delete },
  { "GET", "nodes/*/points", LERSD_ACCESS_READ, lersd_route_node_points },
  { "GET", "devices", LERSD_ACCESS_STAFF, lersd_route_object_list },
  { "POST", "devices", LERSD_ACCESS_OPERATE, lersd_route_object_post },
  { "GET", "devices/*", LERSD_ACCESS_STAFF, lersd_route_object_get },
  { "PATCH", "devices/*", LERSD_ACCESS_OPERATE, lersd_route_object_patch },
  { "DELETE", "devices/*", LERSD_ACCESS_OPERATE, lersd_route_object_delete },
  { "GET", "connections", LERSD_ACCESS_STAFF, lersd_route_object_list },
  { "POST", "connections", LERSD_ACCESS_OPERATE, lersd_route_object_post },
  { "GET", "connections/*", LERSD_ACCESS_STAFF, lersd_route_object_get },
  { "PATCH", "connections/*", LERSD_ACCESS_OPERATE, lersd_route_object_patch },
  { "DELETE", "connections/*", LERSD_ACCESS_OPERATE, lersd_route_object_delete },
  { "GET", "connections/*/sessions", LERSD_ACCESS_STAFF, lersd_route_connection_sessions },
  { "GET", "territories", LERSD_ACCESS_STAFF, lersd_route_object_list },
  { "POST", "territories", LERSD_ACCESS_OPERATE, lersd_route_object_post },
  { "GET", "territories/*", LERSD_ACCESS_STAFF, lersd_route_object_get },
  { "PATCH", "territories/*", LERSD_ACCESS_OPERATE, lersd_route_object_patch },
  { "DELETE", "territories/*", LERSD_ACCESS_OPERATE, lersd_route_object_delete },
  { "GET", "events", LERSD_ACCESS_READ, lersd_route_object_list },
  { "GET", "groups", LERSD_ACCESS_STAFF, lersd_route_object_list },
  { "GET", "groups/*", LERSD_ACCESS_STAFF, lersd_route_object_get },
  { "GET", "users", LERSD_ACCESS_ADMIN, lersd_route_object_list },
  { "GET", "users/*", LERSD_ACCESS_ADMIN, lersd_route_object_get },
  { "GET", "audit", LERSD_ACCESS_ADMIN, lersd_route_object_list },
  { NULL },
};
