/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Payloads of the КМ-5 answers, offsets from the frame's first byte
 * [S: stowage/km-5-pult CommandModuleImpl.java, the order its reader
 * takes the fields in]:
 *
 *   44/0 clock   5 stamp (flag, DD MM YY, type, hh mm ss)
 *   44/1..8      5 float … (one to six, by sub-type)
 *   8 status     5..12 eight status bytes
 *   9 version    5 ASCII[5] version, 10 max, 11 ASCII[4] type
 *   50 header    5 u16 start, 7 EEPROM, 8 flags, 9 u16 lines, 11 u16 last
 *   51 bounds    5 special, 6 u16 first, 8 stamp, 16 u16 last, 18 stamp,
 *                26 u16 lines
 *   52 find      5 special, 6 u16 line, 8 stamp
 *   55 error     5 stamp with the event code in place of the flag
 *   64/65 line   5 stamp, 13 fourteen floats, 69 one byte   (72 bytes)
 *
 * u16 and floats are least significant byte first; BCD fields are two
 * decimal digits a byte.
 */
#include "km5-data.h"

#include <math.h>

#include <glib/gi18n-lib.h>
#include <lers.h>

#include "km5-frame.h"

static const guint8 *
frame_payload (GBytes *frame, gsize need, GError **error)
{
  gsize len = 0;
  const guint8 *d = g_bytes_get_data (frame, &len);

  if (len < need + 2)
    {
      g_set_error (error, LERS_ERROR, LERS_ERROR_INVALID_DATA,
                   _ ("КМ-5 frame too short: %zu bytes"), len);
      return NULL;
    }
  return d;
}

gboolean
km5_stamp_decode (const guint8 *p, Km5Stamp *stamp, GError **error)
{
  gboolean ok = TRUE;

  stamp->flag = p[0];
  stamp->day = km5_bcd_to_uint (p[1], &ok);
  stamp->month = km5_bcd_to_uint (p[2], &ok);
  stamp->year = 2000 + km5_bcd_to_uint (p[3], &ok);
  stamp->type = p[4];
  stamp->hour = km5_bcd_to_uint (p[5], &ok);
  stamp->minute = km5_bcd_to_uint (p[6], &ok);
  stamp->second = km5_bcd_to_uint (p[7], &ok);
  /* "DD 24:00:00" closes day DD: km-5-pult (FormatUtils.toJDate) reads
   * an hour past 23 as the next day's 00:00 */
  if (ok && stamp->hour == 24 && stamp->minute == 0 && stamp->second == 0
      && g_date_valid_dmy ((GDateDay) stamp->day, (GDateMonth) stamp->month,
                           (GDateYear) stamp->year))
    {
      GDate d;

      g_date_clear (&d, 1);
      g_date_set_dmy (&d, (GDateDay) stamp->day, (GDateMonth) stamp->month,
                      (GDateYear) stamp->year);
      g_date_add_days (&d, 1);
      stamp->day = g_date_get_day (&d);
      stamp->month = g_date_get_month (&d);
      stamp->year = g_date_get_year (&d);
      stamp->hour = 0;
    }
  if (!ok || stamp->day < 1 || stamp->day > 31 || stamp->month < 1 || stamp->month > 12
      || stamp->hour > 23 || stamp->minute > 59 || stamp->second > 59)
    {
      g_set_error (error, LERS_ERROR, LERS_ERROR_INVALID_DATA,
                   _ ("КМ-5 date or time is not valid: %02X.%02X.%02X %02X:%02X:%02X"), p[1], p[2],
                   p[3], p[5], p[6], p[7]);
      return FALSE;
    }
  return TRUE;
}

void
km5_stamp_encode (const Km5Stamp *stamp, guint8 *p)
{
  p[0] = stamp->flag;
  p[1] = km5_uint_to_bcd (stamp->day);
  p[2] = km5_uint_to_bcd (stamp->month);
  p[3] = km5_uint_to_bcd (stamp->year % 100);
  p[4] = stamp->type;
  p[5] = km5_uint_to_bcd (stamp->hour);
  p[6] = km5_uint_to_bcd (stamp->minute);
  p[7] = km5_uint_to_bcd (stamp->second);
}

gboolean
km5_decode_clock (GBytes *frame, Km5Stamp *stamp, GError **error)
{
  const guint8 *d = frame_payload (frame, 13, error);
  return d != NULL && km5_stamp_decode (d + 5, stamp, error);
}

gboolean
km5_decode_floats (GBytes *frame, guint n, gfloat *values, GError **error)
{
  const guint8 *d = frame_payload (frame, 5 + 4 * n, error);

  if (d == NULL)
    return FALSE;
  for (guint i = 0; i < n; i++)
    values[i] = km5_read_float (d + 5 + 4 * i);
  return TRUE;
}

gboolean
km5_decode_header (GBytes *frame, Km5Header *header, GError **error)
{
  const guint8 *d = frame_payload (frame, 13, error);

  if (d == NULL)
    return FALSE;
  header->start_address = km5_read_u16 (d + 5);
  header->eeprom = d[7];
  header->flags = d[8];
  header->n_lines = km5_read_u16 (d + 9);
  header->last_line = km5_read_u16 (d + 11);
  if ((header->flags & KM5_HEADER_HAS_LINES) != 0
      && (header->n_lines == 0 || header->last_line >= header->n_lines))
    {
      g_set_error (error, LERS_ERROR, LERS_ERROR_INVALID_DATA,
                   _ ("КМ-5 archive header is not consistent: line %u of %u"), header->last_line,
                   header->n_lines);
      return FALSE;
    }
  return TRUE;
}

gboolean
km5_decode_bounds (GBytes *frame, Km5Bounds *bounds, GError **error)
{
  const guint8 *d = frame_payload (frame, 28, error);

  if (d == NULL)
    return FALSE;
  bounds->special = d[5];
  bounds->first_line = km5_read_u16 (d + 6);
  bounds->last_line = km5_read_u16 (d + 16);
  bounds->n_lines = km5_read_u16 (d + 26);
  return km5_stamp_decode (d + 8, &bounds->first, error)
         && km5_stamp_decode (d + 18, &bounds->last, error);
}

gboolean
km5_decode_found (GBytes *frame, Km5Found *found, GError **error)
{
  const guint8 *d = frame_payload (frame, 16, error);

  if (d == NULL)
    return FALSE;
  found->special = d[5];
  found->line = km5_read_u16 (d + 6);
  if (found->special != 0)
    {
      g_set_error (error, LERS_ERROR, LERS_ERROR_NOT_FOUND,
                   _ ("КМ-5 has no archive line for that date (indication %u)"), found->special);
      return FALSE;
    }
  return km5_stamp_decode (d + 8, &found->stamp, error);
}

gboolean
km5_decode_error_line (GBytes *frame, Km5Stamp *stamp, GError **error)
{
  const guint8 *d = frame_payload (frame, 13, error);
  return d != NULL && km5_stamp_decode (d + 5, stamp, error);
}

gboolean
km5_decode_line (GBytes *frame, Km5Line *line, GError **error)
{
  const guint8 *d = frame_payload (frame, 70, error);

  if (d == NULL || !km5_stamp_decode (d + 5, &line->stamp, error))
    return FALSE;
  for (guint i = 0; i < KM5_LINE_N_VALUES; i++)
    line->values[i] = km5_read_float (d + 13 + 4 * i);
  return TRUE;
}

gboolean
km5_decode_status (GBytes *frame, guint8 status[8], GError **error)
{
  const guint8 *d = frame_payload (frame, 13, error);

  if (d == NULL)
    return FALSE;
  for (guint i = 0; i < 8; i++)
    status[i] = d[5 + i];
  return TRUE;
}

gboolean
km5_decode_version (GBytes *frame, gchar version[6], gchar type[5], GError **error)
{
  const guint8 *d = frame_payload (frame, 15, error);

  if (d == NULL)
    return FALSE;
  for (guint i = 0; i < 5; i++)
    version[i] = g_ascii_isprint (d[5 + i]) ? (gchar) d[5 + i] : '?';
  version[5] = '\0';
  for (guint i = 0; i < 4; i++)
    type[i] = g_ascii_isprint (d[11 + i]) ? (gchar) d[11 + i] : '?';
  type[4] = '\0';
  return TRUE;
}

/* the eight status bytes of command 8 by km-5-pult's names
 * (CommandModuleImpl.cmdReadStatus, ReadStatusContainer); what their bits
 * mean is not known, so they are shown as set bit numbers, and the two
 * "regime" bytes as numbers */
static const gchar *const status_names[8] = {
  "regimeGvs",     "byteEmptyPipe", "byteOfHardErr",  "regimeGvsMode",
  "byteSettingUp", "byteErrDevice", "byteFlagOfData", "byteDeviceProperties",
};

const gchar *
km5_status_name (guint index)
{
  return index < G_N_ELEMENTS (status_names) ? status_names[index] : NULL;
}

gboolean
km5_status_is_flags (guint index)
{
  return index != 0 && index != 3;
}

/* ---- JSON for `lers decode km5` ------------------------------------------ */

static void
json_stamp (GString *s, const gchar *name, const guint8 *p)
{
  Km5Stamp st;
  g_autoptr (GError) error = NULL;

  if (km5_stamp_decode (p, &st, &error))
    g_string_append_printf (
        s, ",\"%s\":{\"flag\":%u,\"type\":%u,\"time\":\"%04u-%02u-%02uT%02u:%02u:%02u\"}", name,
        st.flag, st.type, st.year, st.month, st.day, st.hour, st.minute, st.second);
  else
    g_string_append_printf (s, ",\"%s\":null", name);
}

static void
json_float (GString *s, const gchar *name, gfloat v)
{
  if (isfinite (v))
    g_string_append_printf (s, ",\"%s\":%.9g", name, (gdouble) v);
  else
    g_string_append_printf (s, ",\"%s\":null", name);
}

static const gchar *const line_names[KM5_LINE_N_VALUES]
    = { "ta", "P1", "P2",      "P3_t3", "t1",    "t2", "t3_t4",
        "M1", "M2", "Vi_Qgvs", "V1_M3", "V2_M4", "Q",  "Tp" };

/**
 * km5_frame_to_json:
 * @data: a request (16 bytes) or answer (32 or 72 bytes), forward order
 *
 * Returns: (transfer full): one JSON object describing it
 */
gchar *
km5_frame_to_json (const guint8 *data, gsize len, GError **error)
{
  g_autoptr (GString) s = g_string_new ("{");
  g_autofree gchar *addr = NULL;
  guint8 cmd;
  gboolean request = len == KM5_REQUEST_LEN;

  if (len != KM5_REQUEST_LEN && len != KM5_SHORT_LEN && len != KM5_LONG_LEN)
    {
      g_set_error (error, LERS_ERROR, LERS_ERROR_INVALID_DATA,
                   _ ("A КМ-5 frame has 16, 32 or 72 bytes, not %zu"), len);
      return NULL;
    }
  if (!km5_frame_check (data, len, error))
    return NULL;
  addr = km5_address_format (data);
  cmd = data[4];
  g_string_append_printf (s, "\"kind\":\"%s\",\"address\":\"%s\",\"command\":%u",
                          request ? "request" : "answer", addr, cmd);
  if (request)
    {
      g_string_append (s, ",\"data\":[");
      for (guint i = 0; i < 9; i++)
        g_string_append_printf (s, "%s%u", i ? "," : "", data[5 + i]);
      g_string_append (s, "]}");
      return g_string_free (g_steal_pointer (&s), FALSE);
    }
  switch (cmd)
    {
    case KM5_CMD_ADDRESS:
      g_string_append_printf (s, ",\"version\":\"%02x\"", data[5]);
      break;
    case KM5_CMD_STATUS:
      {
        g_string_append (s, ",\"status\":{");
        for (guint i = 0; i < 8; i++)
          {
            guint8 v = data[5 + i];
            g_string_append_printf (s, "%s\"%s\":", i ? "," : "", km5_status_name (i));
            if (!km5_status_is_flags (i))
              {
                g_string_append_printf (s, "%u", v);
                continue;
              }
            g_string_append (s, "[");
            for (guint b = 0, n = 0; b < 8; b++)
              if ((v >> b) & 1)
                g_string_append_printf (s, "%s%u", n++ ? "," : "", b);
            g_string_append (s, "]");
          }
        g_string_append (s, "}");
      }
      break;
    case KM5_CMD_VERSION:
      {
        g_autoptr (GBytes) b = g_bytes_new_static (data, len);
        gchar version[6], type[5];
        km5_decode_version (b, version, type, NULL);
        g_string_append (s, ",\"version\":");
        lers_json_append_string (s, version);
        g_string_append (s, ",\"type\":");
        lers_json_append_string (s, type);
      }
      break;
    case KM5_CMD_IMMEDIATE:
      json_stamp (s, "clock", data + 5);
      for (guint i = 0; i < 6; i++)
        {
          g_autofree gchar *name = g_strdup_printf ("float%u", i);
          json_float (s, name, km5_read_float (data + 5 + 4 * i));
        }
      break;
    case KM5_CMD_DB_HEADER:
      g_string_append_printf (s,
                              ",\"start\":%u,\"eeprom\":%u,\"flags\":%u,\"lines\":%u,\"last\":%u",
                              km5_read_u16 (data + 5), data[7], data[8], km5_read_u16 (data + 9),
                              km5_read_u16 (data + 11));
      break;
    case KM5_CMD_DB_BOUNDS:
      g_string_append_printf (s, ",\"special\":%u,\"first_line\":%u", data[5],
                              km5_read_u16 (data + 6));
      json_stamp (s, "first", data + 8);
      g_string_append_printf (s, ",\"last_line\":%u", km5_read_u16 (data + 16));
      json_stamp (s, "last", data + 18);
      g_string_append_printf (s, ",\"lines\":%u", km5_read_u16 (data + 26));
      break;
    case KM5_CMD_DB_FIND:
      g_string_append_printf (s, ",\"special\":%u,\"line\":%u", data[5], km5_read_u16 (data + 6));
      json_stamp (s, "stamp", data + 8);
      break;
    case KM5_CMD_DB_ERROR_LINE:
      json_stamp (s, "event", data + 5);
      break;
    case KM5_CMD_LINE_ABS:
    case KM5_CMD_LINE:
      json_stamp (s, "stamp", data + 5);
      if (len == KM5_LONG_LEN)
        for (guint i = 0; i < KM5_LINE_N_VALUES; i++)
          json_float (s, line_names[i], km5_read_float (data + 13 + 4 * i));
      break;
    default:
      break;
    }
  g_string_append (s, "}");
  return g_string_free (g_steal_pointer (&s), FALSE);
}
