/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * `lers decode spbus FILE`: one frame as JSON: its header, its data groups
 * (units converted from CP866), and, for a value or time-array answer,
 * the decoded values.
 */
#include <json-glib/json-glib.h>

#include "spbus-frame.h"

static void
add_groups (JsonBuilder *b, GPtrArray *groups)
{
  json_builder_set_member_name (b, "groups");
  json_builder_begin_array (b);
  for (guint i = 0; i < groups->len; i++)
    {
      GPtrArray *g = g_ptr_array_index (groups, i);
      json_builder_begin_array (b);
      for (guint j = 0; j < g->len; j++)
        {
          g_autofree gchar *s = spbus_units_to_utf8 (g_ptr_array_index (g, j));
          json_builder_add_string_value (b, s);
        }
      json_builder_end_array (b);
    }
  json_builder_end_array (b);
}

static void
add_value (JsonBuilder *b, const gchar *value)
{
  gdouble v;

  json_builder_set_member_name (b, "value");
  if (spbus_value_parse (value, &v))
    json_builder_add_double_value (b, v);
  else
    json_builder_add_string_value (b, value);
}

static void
add_decoded (JsonBuilder *b, const SpbusFrame *f)
{
  guint chn = 0, prm = 0;

  if (f->fnc == SPBUS_FNC_VALUE)
    {
      g_autofree gchar *value = NULL;
      g_autofree gchar *units = NULL;
      if (!spbus_decode_value (f, &chn, &prm, &value, &units, NULL))
        return;
      json_builder_set_member_name (b, "channel");
      json_builder_add_int_value (b, chn);
      json_builder_set_member_name (b, "parameter");
      json_builder_add_int_value (b, prm);
      add_value (b, value);
      json_builder_set_member_name (b, "units");
      json_builder_add_string_value (b, units);
    }
  else if (f->fnc == SPBUS_FNC_ARRAY)
    {
      g_autoptr (GArray) recs = spbus_decode_array (f, &chn, &prm, NULL);
      if (recs == NULL)
        return;
      json_builder_set_member_name (b, "channel");
      json_builder_add_int_value (b, chn);
      json_builder_set_member_name (b, "parameter");
      json_builder_add_int_value (b, prm);
      json_builder_set_member_name (b, "records");
      json_builder_begin_array (b);
      for (guint i = 0; i < recs->len; i++)
        {
          SpbusArrayRecord *r = &g_array_index (recs, SpbusArrayRecord, i);
          g_autofree gchar *t
              = g_strdup_printf ("%04u-%02u-%02uT%02u:%02u:%02u", r->stamp.year, r->stamp.month,
                                 r->stamp.day, r->stamp.hour, r->stamp.minute, r->stamp.second);
          json_builder_begin_object (b);
          json_builder_set_member_name (b, "time");
          json_builder_add_string_value (b, t);
          add_value (b, r->value);
          json_builder_set_member_name (b, "units");
          json_builder_add_string_value (b, r->units);
          json_builder_end_object (b);
        }
      json_builder_end_array (b);
    }
}

/**
 * spbus_frame_to_json:
 * @data: (array length=len): one frame
 * @len: its length
 * @error: as spbus_frame_parse()
 *
 * Returns: (transfer full) (nullable): JSON text
 */
gchar *
spbus_frame_to_json (const guint8 *data, gsize len, GError **error)
{
  g_autoptr (JsonBuilder) b = json_builder_new ();
  g_autoptr (JsonGenerator) gen = json_generator_new ();
  g_autoptr (JsonNode) root = NULL;
  g_autoptr (GPtrArray) groups = NULL;
  g_autofree gchar *fnc = NULL;
  g_autofree gchar *crc = NULL;
  SpbusFrame f;

  if (!spbus_frame_parse (data, len, &f, error))
    return NULL;
  groups = spbus_data_split (f.data, f.data_len, error);
  if (groups == NULL)
    return NULL;
  fnc = g_strdup_printf ("0x%02X", f.fnc);
  crc = g_strdup_printf ("%04X", f.crc);
  json_builder_begin_object (b);
  json_builder_set_member_name (b, "protocol");
  json_builder_add_string_value (b, "spbus");
  json_builder_set_member_name (b, "dad");
  json_builder_add_int_value (b, f.dad & 0x7F);
  json_builder_set_member_name (b, "dad_master");
  json_builder_add_boolean_value (b, (f.dad & 0x80) != 0);
  json_builder_set_member_name (b, "sad");
  json_builder_add_int_value (b, f.sad);
  json_builder_set_member_name (b, "function");
  json_builder_add_string_value (b, fnc);
  json_builder_set_member_name (b, "function_name");
  json_builder_add_string_value (b, spbus_function_name (f.fnc));
  json_builder_set_member_name (b, "preamble");
  json_builder_add_int_value (b, (gint64) f.preamble);
  json_builder_set_member_name (b, "crc");
  json_builder_add_string_value (b, crc);
  add_groups (b, groups);
  add_decoded (b, &f);
  json_builder_end_object (b);
  root = json_builder_get_root (b);
  json_generator_set_root (gen, root);
  json_generator_set_pretty (gen, TRUE);
  return json_generator_to_data (gen, NULL);
}
