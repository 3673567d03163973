/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The JSON that `lers decode mbus FILE` prints for one telegram. */
#include "mbus-json.h"

/**
 * mbus_json_build:
 * @data: a decoded telegram
 *
 * Header fields (`id`, `manufacturer`, `version`, `medium`, `access_number`,
 * `status`, `signature`, `c`, `a`, `ci`) then `records`, each with
 * `storage_number`, `tariff`, `subunit`, `function`, `quantity`, `unit` and
 * `value` (a number, or a string for dates, text and raw bytes).
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
      if (rec->is_number)
        json_builder_add_double_value (b, rec->number);
      else
        json_builder_add_string_value (b, rec->text != NULL ? rec->text : "");
      json_builder_end_object (b);
    }
  json_builder_end_array (b);
  json_builder_end_object (b);
  return json_builder_get_root (b);
}

/**
 * mbus_json_render:
 * @data: a decoded telegram
 * @pretty: indent the output
 *
 * Returns: (transfer full): mbus_json_build() as text
 *
 * Since: 0.1
 */
gchar *
mbus_json_render (const MbusData *data, gboolean pretty)
{
  g_autoptr (JsonNode) root = mbus_json_build (data);
  g_autoptr (JsonGenerator) gen = json_generator_new ();

  json_generator_set_pretty (gen, pretty);
  json_generator_set_root (gen, root);
  return json_generator_to_data (gen, NULL);
}
