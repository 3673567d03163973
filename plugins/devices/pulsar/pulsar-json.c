/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * `lers decode pulsar FILE`: one frame as JSON. Bytes alone do not say
 * whether a frame is a request or an answer, so every reading of the
 * payload that fits its length is given.
 */
#include <json-glib/json-glib.h>
#include <math.h>
#include <string.h>

#include "pulsar-frame.h"

static void
add_time (JsonBuilder *b, const gchar *name, const guint8 *p)
{
  PulsarTime t;

  json_builder_set_member_name (b, name);
  if (pulsar_time_is_none (p))
    json_builder_add_null_value (b);
  else if (pulsar_time_get (p, &t, NULL))
    {
      g_autofree gchar *s = g_strdup_printf ("%04u-%02u-%02uT%02u:%02u:%02u", t.year, t.month,
                                             t.day, t.hour, t.minute, t.second);
      json_builder_add_string_value (b, s);
    }
  else
    json_builder_add_string_value (b, "invalid");
}

static void
add_number (JsonBuilder *b, gdouble v)
{
  if (isfinite (v))
    json_builder_add_double_value (b, v);
  else
    json_builder_add_null_value (b);
}

static void
add_archive_value (JsonBuilder *b, guint32 bits)
{
  if (bits == PULSAR_NO_DATA)
    json_builder_add_string_value (b, "no-data");
  else if (bits == PULSAR_NO_POWER)
    json_builder_add_string_value (b, "no-power-on-16rm-m-else-no-data");
  else
    add_number (b, pulsar_float_from_bits (bits));
}

static guint32
u32_at (const guint8 *p)
{
  return (guint32) p[0] | ((guint32) p[1] << 8) | ((guint32) p[2] << 16) | ((guint32) p[3] << 24);
}

static void
add_payload (JsonBuilder *b, const PulsarFrame *f)
{
  const guint8 *p = f->payload;
  gsize n = f->payload_len;

  switch (f->function)
    {
    case PULSAR_FN_ERROR:
      if (n >= 1)
        {
          json_builder_set_member_name (b, "error_code");
          json_builder_add_int_value (b, p[0]);
        }
      break;
    case PULSAR_FN_READ_CLOCK:
    case PULSAR_FN_WRITE_CLOCK:
      if (n == 6)
        add_time (b, "datetime", p);
      else if (n == 4)
        {
          json_builder_set_member_name (b, "status");
          json_builder_add_int_value (b, p[0]);
        }
      break;
    case PULSAR_FN_READ_ARCHIVE:
      if (n >= 4)
        {
          json_builder_set_member_name (b, "mask");
          json_builder_add_int_value (b, u32_at (p));
        }
      if (n == 18)
        {
          json_builder_set_member_name (b, "archive_type");
          json_builder_add_int_value (b, p[4] | (p[5] << 8));
          add_time (b, "start", p + 6);
          add_time (b, "end", p + 12);
        }
      else if (n >= 10 && (n - 10) % 4 == 0)
        {
          add_time (b, "start", p + 4);
          json_builder_set_member_name (b, "values");
          json_builder_begin_array (b);
          for (gsize i = 10; i + 4 <= n; i += 4)
            add_archive_value (b, u32_at (p + i));
          json_builder_end_array (b);
        }
      break;
    case PULSAR_FN_READ_CHANNELS:
      if (n == 4)
        {
          json_builder_set_member_name (b, "mask_or_float32");
          json_builder_add_int_value (b, u32_at (p));
        }
      if (n % 8 == 0 && n > 0)
        {
          json_builder_set_member_name (b, "float64");
          json_builder_begin_array (b);
          for (gsize i = 0; i + 8 <= n; i += 8)
            {
              guint64 bits = (guint64) u32_at (p + i) | ((guint64) u32_at (p + i + 4) << 32);
              gdouble d;
              memcpy (&d, &bits, sizeof d);
              add_number (b, d);
            }
          json_builder_end_array (b);
        }
      if (n % 4 == 0 && n > 0)
        {
          json_builder_set_member_name (b, "float32");
          json_builder_begin_array (b);
          for (gsize i = 0; i + 4 <= n; i += 4)
            add_number (b, pulsar_float_from_bits (u32_at (p + i)));
          json_builder_end_array (b);
        }
      break;
    default:
      break;
    }
}

/**
 * pulsar_frame_to_json:
 * @data: (array length=len): one frame
 * @len: its length
 * @error: return location for a #GError
 *
 * Returns: (transfer full): the frame as JSON text, or %NULL
 */
gchar *
pulsar_frame_to_json (const guint8 *data, gsize len, GError **error)
{
  g_autoptr (JsonBuilder) b = json_builder_new ();
  g_autoptr (JsonGenerator) gen = json_generator_new ();
  g_autoptr (JsonNode) root = NULL;
  g_autoptr (GString) hex = g_string_new (NULL);
  g_autofree gchar *addr = NULL;
  PulsarFrame f;

  if (!pulsar_frame_parse (data, len, &f, error))
    return NULL;
  for (gsize i = 0; i < f.payload_len; i++)
    g_string_append_printf (hex, "%02X", f.payload[i]);
  addr = g_strdup_printf ("%08u", f.address);
  json_builder_begin_object (b);
  json_builder_set_member_name (b, "address");
  json_builder_add_string_value (b, addr);
  json_builder_set_member_name (b, "function");
  json_builder_add_int_value (b, f.function);
  json_builder_set_member_name (b, "length");
  json_builder_add_int_value (b, (gint64) len);
  json_builder_set_member_name (b, "id");
  json_builder_add_int_value (b, f.id);
  json_builder_set_member_name (b, "payload");
  json_builder_add_string_value (b, hex->str);
  add_payload (b, &f);
  json_builder_end_object (b);
  root = json_builder_get_root (b);
  json_generator_set_root (gen, root);
  json_generator_set_pretty (gen, TRUE);
  return json_generator_to_data (gen, NULL);
}
