/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "config.h"

#include <glib/gi18n.h>
#include <json-glib/json-glib.h>
#include <stdlib.h>

#include "lers-cli.h"

/*
 * lers import FILE: nodes with their points, each point's device and the
 * device's connection, as JSON (lers-sim --config writes such a file):
 *
 * {"nodes": [{"title": …, "address": …, "type": "house", "points": [
 *   {"title": …, "resource": "heat", "channel": 0, "poll_interval": 3600,
 *    "poll_offset": 300, "device": {"protocol": "mbus", "model": …,
 *    "serial_number": …, "network_address": …, "connection":
 *    {"host": "127.0.0.1", "port": 15000, "timeout": 5}}}]}]}
 *
 * Member names are the models' property names with `_` for `-`. Unknown
 * members are an error, so that a typo does not pass unnoticed.
 */

static gboolean
lers_cli_set_properties (GObject *object, JsonObject *json, const gchar *const *skip,
                         GError **error)
{
  g_autoptr (GList) members = json_object_get_members (json);

  for (GList *l = members; l != NULL; l = l->next)
    {
      const gchar *member = l->data;
      g_autofree gchar *name = g_strdelimit (g_strdup (member), "_", '-');
      JsonNode *node = json_object_get_member (json, member);
      GParamSpec *pspec;
      g_auto (GValue) value = G_VALUE_INIT;

      if (g_strv_contains (skip, member))
        continue;
      if (g_strcmp0 (name, "type") == 0 && LERS_IS_NODE (object))
        {
          g_free (name);
          name = g_strdup ("node-type");
        }
      pspec = g_object_class_find_property (G_OBJECT_GET_CLASS (object), name);
      if (pspec == NULL || g_strcmp0 (name, "id") == 0 || g_str_has_suffix (name, "-id"))
        {
          g_set_error (error, LERS_ERROR, LERS_ERROR_INVALID_ARGUMENT,
                       _ ("Unknown member “%s” in a %s"), member, G_OBJECT_TYPE_NAME (object));
          return FALSE;
        }
      g_value_init (&value, pspec->value_type);
      if (G_IS_PARAM_SPEC_ENUM (pspec) && JSON_NODE_HOLDS_VALUE (node))
        {
          g_autoptr (GEnumClass) klass = g_type_class_ref (pspec->value_type);
          GEnumValue *ev = g_enum_get_value_by_nick (klass, json_node_get_string (node) ?: "");
          if (ev == NULL)
            {
              g_set_error (error, LERS_ERROR, LERS_ERROR_INVALID_ARGUMENT,
                           _ ("“%s” is not a valid %s"), json_node_get_string (node) ?: "?",
                           member);
              return FALSE;
            }
          g_value_set_enum (&value, ev->value);
        }
      else if (pspec->value_type == G_TYPE_DATE_TIME && JSON_NODE_HOLDS_VALUE (node))
        {
          g_autoptr (GDateTime) dt = lers_cli_parse_time (json_node_get_string (node) ?: "", error);
          if (dt == NULL)
            return FALSE;
          g_value_set_boxed (&value, dt);
        }
      else if (pspec->value_type == G_TYPE_STRV && JSON_NODE_HOLDS_ARRAY (node))
        {
          JsonArray *array = json_node_get_array (node);
          g_autoptr (GStrvBuilder) builder = g_strv_builder_new ();
          for (guint i = 0; i < json_array_get_length (array); i++)
            g_strv_builder_add (builder, json_array_get_string_element (array, i) ?: "");
          g_value_take_boxed (&value, g_strv_builder_end (builder));
        }
      else if (JSON_NODE_HOLDS_VALUE (node) && json_node_get_value_type (node) == G_TYPE_INT64
               && (pspec->value_type == G_TYPE_UINT || pspec->value_type == G_TYPE_DOUBLE))
        {
          gint64 v = json_node_get_int (node);
          if (pspec->value_type == G_TYPE_DOUBLE)
            g_value_set_double (&value, (gdouble) v);
          else if (v >= 0 && v <= G_PARAM_SPEC_UINT (pspec)->maximum)
            g_value_set_uint (&value, (guint) v);
          else
            {
              g_set_error (error, LERS_ERROR, LERS_ERROR_INVALID_ARGUMENT, _ ("%s is out of range"),
                           member);
              return FALSE;
            }
        }
      else if (!JSON_NODE_HOLDS_VALUE (node)
               || !g_value_type_transformable (json_node_get_value_type (node), pspec->value_type))
        {
          g_set_error (error, LERS_ERROR, LERS_ERROR_INVALID_ARGUMENT,
                       _ ("Member “%s” has the wrong type"), member);
          return FALSE;
        }
      else
        {
          g_auto (GValue) raw = G_VALUE_INIT;
          json_node_get_value (node, &raw);
          g_value_transform (&raw, &value);
        }
      if (G_IS_PARAM_SPEC_DOUBLE (pspec)
          && (g_value_get_double (&value) < G_PARAM_SPEC_DOUBLE (pspec)->minimum
              || g_value_get_double (&value) > G_PARAM_SPEC_DOUBLE (pspec)->maximum))
        {
          g_set_error (error, LERS_ERROR, LERS_ERROR_INVALID_ARGUMENT, _ ("%s is out of range"),
                       member);
          return FALSE;
        }
      g_object_set_property (object, name, &value);
    }
  return TRUE;
}

static JsonObject *
lers_cli_get_object (JsonObject *parent, const gchar *member, GError **error)
{
  JsonNode *node = json_object_get_member (parent, member);

  if (node == NULL || !JSON_NODE_HOLDS_OBJECT (node))
    {
      g_set_error (error, LERS_ERROR, LERS_ERROR_INVALID_ARGUMENT,
                   _ ("“%s” is missing or not an object"), member);
      return NULL;
    }
  return json_node_get_object (node);
}

static gboolean
lers_cli_import_point (LersStore *store, gint64 node_id, JsonObject *json, GError **error)
{
  static const gchar *skip_point[] = { "device", NULL };
  static const gchar *skip_device[] = { "connection", NULL };
  static const gchar *skip_none[] = { NULL };
  g_autoptr (LersConnection) connection = lers_connection_new ();
  g_autoptr (LersDevice) device = lers_device_new ();
  g_autoptr (LersMeasurePoint) point = lers_measure_point_new ();
  JsonObject *jdevice = lers_cli_get_object (json, "device", error);
  JsonObject *jconnection
      = jdevice != NULL ? lers_cli_get_object (jdevice, "connection", error) : NULL;

  if (jconnection == NULL
      || !lers_cli_set_properties (G_OBJECT (connection), jconnection, skip_none, error)
      || !lers_cli_set_properties (G_OBJECT (device), jdevice, skip_device, error)
      || !lers_cli_set_properties (G_OBJECT (point), json, skip_point, error))
    return FALSE;
  if (!lers_store_save_connection_sync (store, connection, NULL, error))
    return FALSE;
  lers_device_set_connection_id (device, lers_connection_get_id (connection));
  if (!lers_store_save_device_sync (store, device, NULL, error))
    return FALSE;
  lers_measure_point_set_node_id (point, node_id);
  lers_measure_point_set_device_id (point, lers_device_get_id (device));
  return lers_store_save_measure_point_sync (store, point, NULL, error);
}

static gboolean
lers_cli_import_file (LersCli *cli, const gchar *path, guint *n_nodes, guint *n_points,
                      GError **error)
{
  static const gchar *skip_node[] = { "points", NULL };
  g_autoptr (JsonParser) parser = json_parser_new ();
  JsonNode *root;
  JsonArray *nodes;
  LersStore *store;

  if (!json_parser_load_from_file (parser, path, error))
    return FALSE;
  root = json_parser_get_root (parser);
  if (root == NULL || !JSON_NODE_HOLDS_OBJECT (root)
      || !json_object_has_member (json_node_get_object (root), "nodes")
      || !JSON_NODE_HOLDS_ARRAY (json_object_get_member (json_node_get_object (root), "nodes")))
    {
      g_set_error (error, LERS_ERROR, LERS_ERROR_INVALID_ARGUMENT,
                   _ ("The file must hold an object with a “nodes” array"));
      return FALSE;
    }
  store = lers_cli_open_store (cli, error);
  if (store == NULL)
    return FALSE;
  nodes = json_object_get_array_member (json_node_get_object (root), "nodes");
  for (guint i = 0; i < json_array_get_length (nodes); i++)
    {
      JsonNode *jn = json_array_get_element (nodes, i);
      g_autoptr (LersNode) node = lers_node_new ();
      JsonArray *points;

      if (!JSON_NODE_HOLDS_OBJECT (jn)
          || !lers_cli_set_properties (G_OBJECT (node), json_node_get_object (jn), skip_node, error)
          || !lers_store_save_node_sync (store, node, NULL, error))
        {
          g_prefix_error (error, _ ("Node %u: "), i + 1);
          return FALSE;
        }
      (*n_nodes)++;
      points = json_object_has_member (json_node_get_object (jn), "points")
                   ? json_object_get_array_member (json_node_get_object (jn), "points")
                   : NULL;
      for (guint j = 0; points != NULL && j < json_array_get_length (points); j++)
        {
          JsonNode *jp = json_array_get_element (points, j);
          if (!JSON_NODE_HOLDS_OBJECT (jp)
              || !lers_cli_import_point (store, lers_node_get_id (node), json_node_get_object (jp),
                                         error))
            {
              g_prefix_error (error, _ ("Node %u, point %u: "), i + 1, j + 1);
              return FALSE;
            }
          (*n_points)++;
        }
    }
  return TRUE;
}

int
lers_cli_import (LersCli *cli, int argc, char **argv)
{
  g_autoptr (GError) error = NULL;
  guint n_nodes = 0, n_points = 0;

  if (argc != 2)
    {
      g_printerr ("%s\n", _ ("Usage: lers import FILE.json"));
      return 2;
    }
  if (!lers_cli_import_file (cli, argv[1], &n_nodes, &n_points, &error))
    {
      g_printerr ("%s: %s\n", argv[1], error->message);
      return EXIT_FAILURE;
    }
  g_print (_ ("Imported %u nodes and %u points\n"), n_nodes, n_points);
  return EXIT_SUCCESS;
}
