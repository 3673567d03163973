/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * `lers decode logikam4 FILE`: one M4 frame (bytes, or hex text) as JSON:
 * the frame's fields, the function, and its tagged elements decoded (an
 * archive answer as records with their dates).
 */
#include "logikam4-json.h"

#include <math.h>

#include <json-glib/json-glib.h>

#include "logikam4-frame.h"
#include "logikam4-tlv.h"

static void
add_date (JsonBuilder *b, const M4Date *d)
{
  g_autofree gchar *text = g_strdup_printf ("%04d-%02d-%02dT%02d:%02d:%02d.%03d", d->year, d->month,
                                            d->day, d->hour, d->minute, d->second, d->ms);
  json_builder_add_string_value (b, text);
}

static void
add_element (JsonBuilder *b, const M4Tlv *t)
{
  gdouble v;
  M4Date d;

  json_builder_begin_object (b);
  json_builder_set_member_name (b, "tag");
  json_builder_add_string_value (b, m4_tag_name (t->tag));
  switch (t->tag)
    {
    case M4_TAG_ASCII:
      {
        g_autofree gchar *text = m4_tlv_get_text (t);
        json_builder_set_member_name (b, "value");
        json_builder_add_string_value (b, text);
      }
      break;
    case M4_TAG_INTU:
    case M4_TAG_INTS:
    case M4_TAG_FLOAT:
    case M4_TAG_MIXED:
      json_builder_set_member_name (b, "value");
      if (m4_tlv_get_number (t, &v, NULL) && isfinite (v))
        json_builder_add_double_value (b, v);
      else
        json_builder_add_null_value (b);
      break;
    case M4_TAG_TIME:
    case M4_TAG_DATE:
    case M4_TAG_ARCHDATE:
      if (m4_archdate_parse (t, &d, NULL))
        {
          g_autofree gchar *text = NULL;

          if (t->tag == M4_TAG_TIME)
            text = g_strdup_printf ("%02d:%02d:%02d.%03d", d.hour, d.minute, d.second, d.ms);
          else if (t->tag == M4_TAG_DATE)
            text = g_strdup_printf ("%04d-%02d-%02d", d.year, d.month, d.day);
          json_builder_set_member_name (b, "value");
          if (text != NULL)
            json_builder_add_string_value (b, text);
          else
            add_date (b, &d);
        }
      break;
    case M4_TAG_PNUM:
      if (t->len >= 2)
        {
          guint number = 0;

          for (gsize i = t->len - 1; i >= 1; i--)
            number = number << 8 | t->value[i];
          json_builder_set_member_name (b, "channel");
          json_builder_add_int_value (b, t->value[0]);
          json_builder_set_member_name (b, "number");
          json_builder_add_int_value (b, number);
        }
      break;
    case M4_TAG_FLAGS:
      json_builder_set_member_name (b, "set");
      json_builder_begin_array (b);
      for (guint bit = 0; bit < t->len * 8; bit++)
        if (m4_tlv_flag_is_set (t, bit))
          json_builder_add_int_value (b, bit);
      json_builder_end_array (b);
      break;
    default:
      break;
    }
  if (t->tag != M4_TAG_ASCII && t->len > 0)
    {
      g_autoptr (GString) hex = g_string_new (NULL);

      for (gsize i = 0; i < t->len; i++)
        g_string_append_printf (hex, "%s%02X", i > 0 ? " " : "", t->value[i]);
      json_builder_set_member_name (b, "bytes");
      json_builder_add_string_value (b, hex->str);
    }
  json_builder_end_object (b);
}

static gboolean
add_body (JsonBuilder *b, const guint8 *body, gsize n, GError **error)
{
  guint8 fnc = body[0];

  json_builder_set_member_name (b, "function");
  json_builder_add_int_value (b, fnc);
  if (fnc == M4_FNC_ARCHIVE && n > 1
      && (body[1] == M4_TAG_ARCHDATE || body[1] == M4_TAG_OCTET_STRING)
      && !(body[1] == M4_TAG_OCTET_STRING && n > 2 && body[2] == 0x05))
    {
      g_autoptr (M4ArchiveReply) reply = m4_archive_reply_parse (body + 1, n - 1, error);

      if (reply == NULL)
        return FALSE;
      json_builder_set_member_name (b, "compressed");
      json_builder_add_boolean_value (b, reply->compressed);
      json_builder_set_member_name (b, "records");
      json_builder_begin_array (b);
      for (guint i = 0; i < reply->records->len; i++)
        {
          const M4ArchiveRecord *r = g_ptr_array_index (reply->records, i);

          json_builder_begin_object (b);
          json_builder_set_member_name (b, "date");
          add_date (b, &r->date);
          json_builder_set_member_name (b, "items");
          json_builder_begin_array (b);
          for (guint j = 0; j < r->items->len; j++)
            add_element (b, &g_array_index (r->items, M4Tlv, j));
          json_builder_end_array (b);
          json_builder_end_object (b);
        }
      json_builder_end_array (b);
      json_builder_set_member_name (b, "next");
      if (reply->has_next)
        add_date (b, &reply->next);
      else
        json_builder_add_null_value (b);
      return TRUE;
    }
  if (fnc == M4_FNC_READ || fnc == M4_FNC_WRITE || fnc == M4_FNC_ARCHIVE)
    {
      g_autoptr (GArray) items = m4_tlv_parse_all (body + 1, n - 1, error);

      if (items == NULL)
        return FALSE;
      json_builder_set_member_name (b, "elements");
      json_builder_begin_array (b);
      for (guint i = 0; i < items->len; i++)
        add_element (b, &g_array_index (items, M4Tlv, i));
      json_builder_end_array (b);
      return TRUE;
    }
  {
    g_autoptr (GString) hex = g_string_new (NULL);

    for (gsize i = 1; i < n; i++)
      g_string_append_printf (hex, "%s%02X", i > 1 ? " " : "", body[i]);
    json_builder_set_member_name (b, "data");
    json_builder_add_string_value (b, hex->str);
  }
  return TRUE;
}

gchar *
m4_json_decode (const guint8 *data, gsize len, GError **error)
{
  g_autoptr (M4Frame) frame = m4_frame_parse (data, len, error);
  g_autoptr (JsonBuilder) b = json_builder_new ();
  g_autoptr (JsonGenerator) gen = json_generator_new ();
  g_autoptr (JsonNode) root = NULL;
  gsize n = 0;
  const guint8 *body;

  if (frame == NULL)
    return NULL;
  body = g_bytes_get_data (frame->body, &n);
  json_builder_begin_object (b);
  json_builder_set_member_name (b, "frame");
  json_builder_add_string_value (b, frame->full ? "full" : "short");
  json_builder_set_member_name (b, "nt");
  json_builder_add_int_value (b, frame->nt);
  if (frame->full)
    {
      json_builder_set_member_name (b, "id");
      json_builder_add_int_value (b, frame->id);
      json_builder_set_member_name (b, "atr");
      json_builder_add_int_value (b, frame->atr);
    }
  if (n > 0 && !add_body (b, body, n, error))
    return NULL;
  json_builder_end_object (b);
  root = json_builder_get_root (b);
  json_generator_set_root (gen, root);
  json_generator_set_pretty (gen, TRUE);
  return json_generator_to_data (gen, NULL);
}
