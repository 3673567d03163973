/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The JSON that `lers decode mbus FILE` prints for one telegram. */
#include "mbus-json.h"

#include <math.h>

/**
 * mbus_json_build:
 * @data: a decoded telegram
 *
 * Header fields (`id`, `manufacturer`, `version`, `medium`, `access_number`,
 * `status`, `signature`, `c`, `a`, `ci`) then `records`, each with
 * `storage_number`, `tariff`, `subunit`, `function`, `quantity`, `unit` and
 * `value` (a number, or a string for dates, text and raw bytes). A number
 * that is not finite (a 32-bit real holding NaN or infinity) has the value
 * `null` and `"flags": ["bad"]`, as the API marks a bad value; other records
 * have no `flags`.
 *
 * Returns: (transfer full): a JSON object
 *
 * Since: 0.1
 */
JsonNode *
mbus_json_build (const MbusData *data)
{
  g_autoptr (JsonBuilder) b = json_builder_new ();

  json_builder_begin_object (b);
  if (data->has_id)
    {
      g_autofree gchar *id = g_strdup_printf ("%08u", data->id);
      json_builder_set_member_name (b, "id");
      json_builder_add_string_value (b, id);
      if (!data->is_fixed)
        {
          json_builder_set_member_name (b, "manufacturer");
          json_builder_add_string_value (b, data->manufacturer);
          json_builder_set_member_name (b, "version");
          json_builder_add_int_value (b, data->version);
        }
      json_builder_set_member_name (b, "medium");
      json_builder_add_string_value (b, mbus_data_get_medium_name (data->medium));
    }
  if (data->has_status)
    {
      json_builder_set_member_name (b, "access_number");
      json_builder_add_int_value (b, data->access_number);
      json_builder_set_member_name (b, "status");
      json_builder_add_int_value (b, data->status);
      if (!data->is_fixed)
        {
          json_builder_set_member_name (b, "signature");
          json_builder_add_int_value (b, data->signature);
        }
    }
  json_builder_set_member_name (b, "c");
  json_builder_add_int_value (b, data->c);
  json_builder_set_member_name (b, "a");
  json_builder_add_int_value (b, data->a);
  json_builder_set_member_name (b, "ci");
  json_builder_add_int_value (b, data->ci);
  json_builder_set_member_name (b, "records");
  json_builder_begin_array (b);
  for (guint i = 0; i < data->records->len; i++)
    {
      const MbusRecord *rec = g_ptr_array_index (data->records, i);
      json_builder_begin_object (b);
      json_builder_set_member_name (b, "storage_number");
      json_builder_add_int_value (b, (gint64) rec->storage_number);
      json_builder_set_member_name (b, "tariff");
      json_builder_add_int_value (b, rec->tariff);
      json_builder_set_member_name (b, "subunit");
      json_builder_add_int_value (b, rec->subunit);
      json_builder_set_member_name (b, "function");
      json_builder_add_string_value (b, mbus_record_get_function_name (rec));
      json_builder_set_member_name (b, "quantity");
      json_builder_add_string_value (b, rec->quantity != NULL ? rec->quantity : "");
      json_builder_set_member_name (b, "unit");
      json_builder_add_string_value (b, rec->unit != NULL ? rec->unit : "");
      json_builder_set_member_name (b, "value");
      if (rec->is_number && isfinite (rec->number))
        json_builder_add_double_value (b, rec->number);
      else if (rec->is_number)
        {
          json_builder_add_null_value (b);
          json_builder_set_member_name (b, "flags");
          json_builder_begin_array (b);
          json_builder_add_string_value (b, "bad");
          json_builder_end_array (b);
        }
      else
        json_builder_add_string_value (b, rec->text != NULL ? rec->text : "");
      json_builder_end_object (b);
    }
  json_builder_end_array (b);
  json_builder_end_object (b);
  return json_builder_get_root (b);
}

static void
mbus_json_indent (GString *out, gboolean pretty, guint level)
{
  if (pretty)
    for (guint i = 0; i < level; i++)
      g_string_append (out, "  ");
}

static void mbus_json_append_node (GString *out, JsonNode *node, gboolean pretty, guint level);

static void
mbus_json_append_object (GString *out, JsonObject *object, gboolean pretty, guint level)
{
  JsonObjectIter iter;
  const gchar *name;
  JsonNode *member;
  gboolean first = TRUE;

  g_string_append_c (out, '{');
  json_object_iter_init_ordered (&iter, object);
  while (json_object_iter_next_ordered (&iter, &name, &member))
    {
      if (!first)
        g_string_append_c (out, ',');
      first = FALSE;
      if (pretty)
        g_string_append_c (out, '\n');
      mbus_json_indent (out, pretty, level + 1);
      lers_json_append_string (out, name);
      g_string_append (out, pretty ? " : " : ":");
      mbus_json_append_node (out, member, pretty, level + 1);
    }
  if (pretty)
    g_string_append_c (out, '\n');
  mbus_json_indent (out, pretty, level);
  g_string_append_c (out, '}');
}

static void
mbus_json_append_array (GString *out, JsonArray *array, gboolean pretty, guint level)
{
  guint n = json_array_get_length (array);

  g_string_append_c (out, '[');
  for (guint i = 0; i < n; i++)
    {
      if (i > 0)
        g_string_append_c (out, ',');
      if (pretty)
        g_string_append_c (out, '\n');
      mbus_json_indent (out, pretty, level + 1);
      mbus_json_append_node (out, json_array_get_element (array, i), pretty, level + 1);
    }
  if (pretty)
    g_string_append_c (out, '\n');
  mbus_json_indent (out, pretty, level);
  g_string_append_c (out, ']');
}

static void
mbus_json_append_node (GString *out, JsonNode *node, gboolean pretty, guint level)
{
  switch (json_node_get_node_type (node))
    {
    case JSON_NODE_OBJECT:
      mbus_json_append_object (out, json_node_get_object (node), pretty, level);
      return;
    case JSON_NODE_ARRAY:
      mbus_json_append_array (out, json_node_get_array (node), pretty, level);
      return;
    case JSON_NODE_NULL:
      g_string_append (out, "null");
      return;
    case JSON_NODE_VALUE:
      break;
    }
  switch (json_node_get_value_type (node))
    {
    case G_TYPE_INT64:
      g_string_append_printf (out, "%" G_GINT64_FORMAT, json_node_get_int (node));
      break;
    case G_TYPE_DOUBLE:
      lers_json_append_double (out, json_node_get_double (node));
      break;
    case G_TYPE_BOOLEAN:
      g_string_append (out, json_node_get_boolean (node) ? "true" : "false");
      break;
    default:
      lers_json_append_string (out, json_node_get_string (node));
    }
}

/**
 * mbus_json_render:
 * @data: a decoded telegram
 * @pretty: indent the output
 *
 * Writes mbus_json_build() as json-glib's generator would, but with numbers
 * in their shortest round-trip form (lers_json_append_double()): the
 * generator prints `%.17g` (`54.320999999999998`) and `-nan.0` for NaN.
 *
 * Returns: (transfer full): mbus_json_build() as text
 *
 * Since: 0.1
 */
gchar *
mbus_json_render (const MbusData *data, gboolean pretty)
{
  g_autoptr (JsonNode) root = mbus_json_build (data);
  GString *out = g_string_new (NULL);

  mbus_json_append_node (out, root, pretty, 0);
  return g_string_free (out, FALSE);
}
