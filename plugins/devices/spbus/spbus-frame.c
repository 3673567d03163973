/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * СПСеть framing, after the frames of Moisha/GMIO (Devices.Logica.SPT961.pas
 * and its tests, real device traffic): DLE SOH, destination and source
 * address, DLE ISI, the function code, DLE STX, ASCII data, DLE ETX and a
 * CRC-16/XMODEM over everything after DLE SOH. Data items follow HT, a
 * group of items ends with FF. Answers may start with FF FF; an answer's
 * DAD may carry bit 7 (a master module), its SAD is the device.
 */
#include "spbus-frame.h"

#include <glib/gi18n-lib.h>
#include <math.h>
#include <string.h>

/**
 * spbus_crc16:
 * @data: (array length=len): bytes
 * @len: how many
 *
 * Returns: CRC-16/XMODEM (polynomial 0x1021, initial value 0, no reflection)
 */
guint16
spbus_crc16 (const guint8 *data, gsize len)
{
  guint16 crc = 0;

  for (gsize i = 0; i < len; i++)
    {
      crc ^= (guint16) (data[i] << 8);
      for (guint b = 0; b < 8; b++)
        crc = (crc & 0x8000) ? (guint16) ((crc << 1) ^ 0x1021) : (guint16) (crc << 1);
    }
  return crc;
}

/**
 * spbus_frame_build:
 * @dad: destination address
 * @sad: source address
 * @fnc: function
 * @data: (array length=len): the data between DLE STX and DLE ETX
 * @len: how many
 * @preamble: whether to send FF FF first (as the devices' answers do)
 *
 * Returns: (transfer full): the frame
 */
GBytes *
spbus_frame_build (guint8 dad, guint8 sad, guint8 fnc, const guint8 *data, gsize len,
                   gboolean preamble)
{
  GByteArray *b = g_byte_array_sized_new ((guint) len + 16);
  const guint8 head[]
      = { SPBUS_DLE, SPBUS_SOH, dad, sad, SPBUS_DLE, SPBUS_ISI, fnc, SPBUS_DLE, SPBUS_STX };
  const guint8 tail[] = { SPBUS_DLE, SPBUS_ETX };
  const guint8 ff[] = { 0xFF, 0xFF };
  guint start = preamble ? 2 : 0;
  guint16 crc;
  guint8 c[2];

  if (preamble)
    g_byte_array_append (b, ff, 2);
  g_byte_array_append (b, head, sizeof head);
  g_byte_array_append (b, data, (guint) len);
  g_byte_array_append (b, tail, sizeof tail);
  crc = spbus_crc16 (b->data + start + 2, b->len - start - 2);
  c[0] = (guint8) (crc >> 8);
  c[1] = (guint8) crc;
  g_byte_array_append (b, c, 2);
  return g_byte_array_free_to_bytes (b);
}

/**
 * spbus_frame_scan:
 * @data: (array length=len): bytes received so far
 * @len: how many
 * @user_data: unused
 *
 * The #LersFrameScanner of СПСеть: a frame starts with DLE SOH (anything
 * before it, the FF FF preamble included, is dropped) and ends two bytes
 * after the first DLE ETX behind DLE STX.
 *
 * Returns: as #LersFrameScanner
 */
gssize
spbus_frame_scan (const guint8 *data, gsize len, gpointer user_data)
{
  if (len == 0)
    return 0;
  if (data[0] != SPBUS_DLE)
    return -1;
  if (len < 2)
    return 0;
  if (data[1] != SPBUS_SOH)
    return -1;
  if (len >= 5 && data[4] != SPBUS_DLE)
    return -1;
  if (len >= 6 && data[5] != SPBUS_ISI)
    return -1;
  if (len >= 8 && data[7] != SPBUS_DLE)
    return -1;
  if (len >= 9 && data[8] != SPBUS_STX)
    return -1;
  for (gsize i = 9; i + 1 < len; i++)
    if (data[i] == SPBUS_DLE && data[i + 1] == SPBUS_ETX)
      return i + 4 <= len ? (gssize) (i + 4) : 0;
  if (len > SPBUS_FRAME_MAX)
    return -1;
  return 0;
}

/**
 * spbus_frame_parse:
 * @data: (array length=len): one frame, FF FF preamble allowed
 * @len: its length
 * @frame: (out): the parsed frame, pointing into @data
 * @error: %LERS_ERROR_INVALID_DATA for a malformed frame,
 *   %LERS_ERROR_CHECKSUM for a wrong CRC
 *
 * Returns: whether @data is one well-formed frame
 */
gboolean
spbus_frame_parse (const guint8 *data, gsize len, SpbusFrame *frame, GError **error)
{
  gsize p = 0;
  gsize end;
  guint16 crc;

  while (p < len && p < 16 && data[p] == 0xFF)
    p++;
  memset (frame, 0, sizeof *frame);
  if (len - p < SPBUS_FRAME_MIN)
    {
      g_set_error (error, LERS_ERROR, LERS_ERROR_INVALID_DATA,
                   _ ("A СПСеть frame of %u bytes is too short"), (guint) len);
      return FALSE;
    }
  if (len > SPBUS_FRAME_MAX)
    {
      g_set_error (error, LERS_ERROR, LERS_ERROR_INVALID_DATA,
                   _ ("A СПСеть frame of %u bytes is too long"), (guint) len);
      return FALSE;
    }
  if (data[p] != SPBUS_DLE || data[p + 1] != SPBUS_SOH || data[p + 4] != SPBUS_DLE
      || data[p + 5] != SPBUS_ISI || data[p + 7] != SPBUS_DLE || data[p + 8] != SPBUS_STX)
    {
      g_set_error (error, LERS_ERROR, LERS_ERROR_INVALID_DATA,
                   _ ("Not a СПСеть frame (no DLE SOH … DLE ISI … DLE STX header)"));
      return FALSE;
    }
  end = len - 4;
  if (data[end] != SPBUS_DLE || data[end + 1] != SPBUS_ETX)
    {
      g_set_error (error, LERS_ERROR, LERS_ERROR_INVALID_DATA,
                   _ ("A СПСеть frame that does not end with DLE ETX and a CRC"));
      return FALSE;
    }
  for (gsize i = p + 9; i < end; i++)
    if (data[i] == SPBUS_DLE)
      {
        g_set_error (error, LERS_ERROR, LERS_ERROR_INVALID_DATA,
                     _ ("A СПСеть frame with DLE inside its data"));
        return FALSE;
      }
  crc = spbus_crc16 (data + p + 2, end + 2 - (p + 2));
  frame->crc = (guint16) (data[len - 2] << 8 | data[len - 1]);
  if (crc != frame->crc)
    {
      g_set_error (error, LERS_ERROR, LERS_ERROR_CHECKSUM,
                   _ ("A СПСеть frame with CRC %04X, expected %04X"), frame->crc, crc);
      return FALSE;
    }
  frame->preamble = p;
  frame->dad = data[p + 2];
  frame->sad = data[p + 3];
  frame->fnc = data[p + 6];
  frame->data = data + p + 9;
  frame->data_len = end - (p + 9);
  return TRUE;
}

/**
 * spbus_function_name:
 * @fnc: a function code
 *
 * Returns: a short name (for JSON and logs), "unknown" for other codes
 */
const gchar *
spbus_function_name (guint8 fnc)
{
  switch (fnc)
    {
    case SPBUS_FNC_VALUE:
      return "value";
    case SPBUS_FNC_READ_INDEX:
      return "read-index";
    case SPBUS_FNC_READ_ARRAY:
      return "read-array";
    case SPBUS_FNC_INDEX_VALUE:
      return "index-value";
    case SPBUS_FNC_ARRAY:
      return "array";
    case SPBUS_FNC_READ_SLICE:
      return "read-slice";
    case SPBUS_FNC_READ_SLICE_DESC:
      return "read-slice-descriptor";
    case SPBUS_FNC_READ_PARAM:
      return "read-parameter";
    case SPBUS_FNC_SLICE:
      return "slice";
    case SPBUS_FNC_SLICE_DESC:
      return "slice-descriptor";
    case SPBUS_FNC_WRITE_RESULT:
      return "write-result";
    case SPBUS_FNC_HANG_UP:
      return "hang-up";
    default:
      return "unknown";
    }
}

/**
 * spbus_data_split:
 * @data: (array length=len): a frame's data
 * @len: how many bytes
 * @error: %LERS_ERROR_INVALID_DATA when an item does not start with HT or
 *   the last group is not closed by FF
 *
 * Returns: (transfer full) (nullable): the groups, each a #GPtrArray of
 *   NUL-terminated items (HT and FF removed)
 */
GPtrArray *
spbus_data_split (const guint8 *data, gsize len, GError **error)
{
  g_autoptr (GPtrArray) groups
      = g_ptr_array_new_with_free_func ((GDestroyNotify) g_ptr_array_unref);
  GPtrArray *group = NULL;
  gsize i = 0;

  while (i < len)
    {
      gsize j;

      if (group == NULL)
        {
          group = g_ptr_array_new_with_free_func (g_free);
          g_ptr_array_add (groups, group);
        }
      if (data[i] == SPBUS_FF)
        {
          group = NULL;
          i++;
          continue;
        }
      if (data[i] != SPBUS_HT)
        {
          g_set_error (error, LERS_ERROR, LERS_ERROR_INVALID_DATA,
                       _ ("СПСеть data: byte %02X at offset %u where HT or FF should be"), data[i],
                       (guint) i);
          return NULL;
        }
      for (j = i + 1; j < len && data[j] != SPBUS_HT && data[j] != SPBUS_FF; j++)
        if (data[j] < 0x20 && data[j] != ' ')
          {
            g_set_error (error, LERS_ERROR, LERS_ERROR_INVALID_DATA,
                         _ ("СПСеть data: control byte %02X inside an item"), data[j]);
            return NULL;
          }
      g_ptr_array_add (group, g_strndup ((const gchar *) data + i + 1, j - i - 1));
      i = j;
    }
  if (group != NULL)
    {
      g_set_error (error, LERS_ERROR, LERS_ERROR_INVALID_DATA,
                   _ ("СПСеть data: the last group is not ended by FF"));
      return NULL;
    }
  return g_steal_pointer (&groups);
}

/**
 * spbus_item_uint:
 * @item: an item, spaces allowed around the digits
 * @out: (out): its value
 *
 * Returns: whether @item is a decimal number below 1 000 000
 */
gboolean
spbus_item_uint (const gchar *item, guint *out)
{
  g_autofree gchar *s = g_strstrip (g_strdup (item));
  guint64 v = 0;

  if (!g_ascii_string_to_unsigned (s, 10, 0, 999999, &v, NULL))
    return FALSE;
  *out = (guint) v;
  return TRUE;
}

/**
 * spbus_value_parse:
 * @text: a value item ("20", "2.874", "-0.5")
 * @value: (out): the number
 *
 * Returns: whether @text is a finite decimal number
 */
gboolean
spbus_value_parse (const gchar *text, gdouble *value)
{
  g_autofree gchar *s = g_strstrip (g_strdup (text));
  gchar *end = NULL;
  gdouble v;

  if (*s == '\0')
    return FALSE;
  for (gchar *c = s; *c != '\0'; c++)
    if (*c == ',')
      *c = '.';
  v = g_ascii_strtod (s, &end);
  if (end == NULL || *end != '\0' || !isfinite (v))
    return FALSE;
  *value = v;
  return TRUE;
}

/**
 * spbus_units_to_utf8:
 * @cp866: a units item as the device sends it (code page 866)
 *
 * Returns: (transfer full): the text in UTF-8
 */
gchar *
spbus_units_to_utf8 (const gchar *cp866)
{
  gchar *s = g_convert (cp866, -1, "UTF-8", "CP866", NULL, NULL, NULL);

  return s != NULL ? s : g_utf8_make_valid (cp866, -1);
}

static gboolean
two (const gchar *p, guint *out)
{
  gchar buf[3] = { p[0] == ' ' ? '0' : p[0], p[1], 0 };

  if (!g_ascii_isdigit (buf[0]) || !g_ascii_isdigit (buf[1]))
    return FALSE;
  *out = (guint) (buf[0] - '0') * 10 + (guint) (buf[1] - '0');
  return TRUE;
}

/**
 * spbus_stamp_parse:
 * @text: "dd-mm-yy/hh:mm:ss", day and hour space-padded
 * @t: (out): the time; years 00–94 are 2000–2094, 95–99 are 1995–1999
 *
 * Returns: whether @text is such a time and a valid date
 */
gboolean
spbus_stamp_parse (const gchar *text, SpbusTime *t)
{
  guint yy;

  if (strlen (text) != 17 || text[2] != '-' || text[5] != '-' || text[8] != '/' || text[11] != ':'
      || text[14] != ':')
    return FALSE;
  if (!two (text, &t->day) || !two (text + 3, &t->month) || !two (text + 6, &yy)
      || !two (text + 9, &t->hour) || !two (text + 12, &t->minute) || !two (text + 15, &t->second))
    return FALSE;
  t->year = yy < 95 ? 2000 + yy : 1900 + yy;
  return t->month >= 1 && t->month <= 12 && t->day >= 1
         && t->day <= g_date_get_days_in_month (t->month, t->year) && t->hour < 24 && t->minute < 60
         && t->second < 60;
}

/* ---- requests ---------------------------------------------------------- */

static void
put_item (GString *s, guint v)
{
  g_string_append_printf (s, "\t%u", v);
}

static void
put_time (GString *s, const SpbusTime *t)
{
  put_item (s, t->day);
  put_item (s, t->month);
  put_item (s, t->year);
  put_item (s, t->hour);
  put_item (s, t->minute);
  put_item (s, t->second);
  g_string_append_c (s, SPBUS_FF);
}

static GBytes *
request (guint8 address, guint8 fnc, GString *s)
{
  /* GMIO: the source address equals the device's own */
  GBytes *b = spbus_frame_build (address, address, fnc, (const guint8 *) s->str, s->len, FALSE);

  g_string_free (s, TRUE);
  return b;
}

static GString *
chn_prm (guint channel, guint param)
{
  GString *s = g_string_new (NULL);

  put_item (s, channel);
  put_item (s, param);
  return s;
}

/**
 * spbus_request_read_param:
 * @address: the device
 * @channel: its channel (0 common, 1… pipelines or consumers)
 * @param: the parameter number
 *
 * Returns: (transfer full): function 0x1D, HT chn HT prm FF
 */
GBytes *
spbus_request_read_param (guint8 address, guint channel, guint param)
{
  GString *s = chn_prm (channel, param);

  g_string_append_c (s, SPBUS_FF);
  return request (address, SPBUS_FNC_READ_PARAM, s);
}

/**
 * spbus_request_read_array:
 * @address: the device
 * @channel: the channel
 * @param: the archive parameter
 * @from: the oldest stamp wanted
 * @to: the newest stamp wanted
 *
 * Returns: (transfer full): function 0x0E, HT chn HT prm FF, then the newest
 *   time, then the oldest, each HT dd HT mm HT yyyy HT hh HT mm HT ss FF
 */
GBytes *
spbus_request_read_array (guint8 address, guint channel, guint param, const SpbusTime *from,
                          const SpbusTime *to)
{
  GString *s = chn_prm (channel, param);

  g_string_append_c (s, SPBUS_FF);
  put_time (s, to);
  put_time (s, from);
  return request (address, SPBUS_FNC_READ_ARRAY, s);
}

/**
 * spbus_request_read_index:
 * @address: the device
 * @channel: the channel
 * @param: the parameter
 * @start: the first index
 * @count: how many
 *
 * Returns: (transfer full): function 0x0C
 */
GBytes *
spbus_request_read_index (guint8 address, guint channel, guint param, guint start, guint count)
{
  GString *s = chn_prm (channel, param);

  put_item (s, start);
  put_item (s, count);
  g_string_append_c (s, SPBUS_FF);
  return request (address, SPBUS_FNC_READ_INDEX, s);
}

/**
 * spbus_request_slice_desc:
 * @address: the device
 * @channel: the channel
 * @param: the slice archive (GMIO: 65530 hour, 65532 day, 65534 month)
 *
 * Returns: (transfer full): function 0x19
 */
GBytes *
spbus_request_slice_desc (guint8 address, guint channel, guint param)
{
  GString *s = chn_prm (channel, param);

  g_string_append_c (s, SPBUS_FF);
  return request (address, SPBUS_FNC_READ_SLICE_DESC, s);
}

/**
 * spbus_request_slice:
 * @address: the device
 * @channel: the channel
 * @param: the slice archive
 * @at: the slice's time
 *
 * Returns: (transfer full): function 0x18
 */
GBytes *
spbus_request_slice (guint8 address, guint channel, guint param, const SpbusTime *at)
{
  GString *s = chn_prm (channel, param);

  g_string_append_c (s, SPBUS_FF);
  put_time (s, at);
  return request (address, SPBUS_FNC_READ_SLICE, s);
}

/* ---- answers ------------------------------------------------------------ */

/**
 * spbus_decode_head:
 * @frame: a parsed frame
 * @groups: its data groups
 * @fnc: the function expected
 * @channel: (out): the channel the answer names
 * @param: (out): the parameter
 * @error: %LERS_ERROR_INVALID_DATA
 *
 * Returns: whether @frame has function @fnc and starts with HT chn HT prm FF
 */
gboolean
spbus_decode_head (const SpbusFrame *frame, GPtrArray *groups, guint8 fnc, guint *channel,
                   guint *param, GError **error)
{
  GPtrArray *g;

  if (frame->fnc != fnc)
    {
      g_set_error (error, LERS_ERROR, LERS_ERROR_INVALID_DATA,
                   _ ("A СПСеть answer with function %02X, expected %02X"), frame->fnc, fnc);
      return FALSE;
    }
  g = groups->len > 0 ? g_ptr_array_index (groups, 0) : NULL;
  if (g == NULL || g->len != 2 || !spbus_item_uint (g_ptr_array_index (g, 0), channel)
      || !spbus_item_uint (g_ptr_array_index (g, 1), param))
    {
      g_set_error (error, LERS_ERROR, LERS_ERROR_INVALID_DATA,
                   _ ("A СПСеть answer without its channel and parameter"));
      return FALSE;
    }
  return TRUE;
}

/**
 * spbus_decode_value:
 * @frame: an answer to function 0x1D
 * @channel: (out): its channel
 * @param: (out): its parameter
 * @value: (out) (transfer full): the value item as sent
 * @units: (out) (transfer full): the units, UTF-8
 * @error: %LERS_ERROR_INVALID_DATA
 *
 * Returns: whether @frame is function 0x03: HT chn HT prm FF HT value HT
 *   units FF
 */
gboolean
spbus_decode_value (const SpbusFrame *frame, guint *channel, guint *param, gchar **value,
                    gchar **units, GError **error)
{
  g_autoptr (GPtrArray) groups = spbus_data_split (frame->data, frame->data_len, error);
  GPtrArray *g;

  if (groups == NULL || !spbus_decode_head (frame, groups, SPBUS_FNC_VALUE, channel, param, error))
    return FALSE;
  g = groups->len == 2 ? g_ptr_array_index (groups, 1) : NULL;
  if (g == NULL || g->len < 1 || g->len > 2)
    {
      g_set_error (error, LERS_ERROR, LERS_ERROR_INVALID_DATA,
                   _ ("A СПСеть value answer without one value and its units"));
      return FALSE;
    }
  *value = g_strdup (g_ptr_array_index (g, 0));
  *units = spbus_units_to_utf8 (g->len > 1 ? g_ptr_array_index (g, 1) : "");
  return TRUE;
}

void
spbus_array_record_clear (SpbusArrayRecord *r)
{
  g_clear_pointer (&r->value, g_free);
  g_clear_pointer (&r->units, g_free);
}

static gboolean
date_group (GPtrArray *g)
{
  guint v;

  if (g->len != 6)
    return FALSE;
  for (guint i = 0; i < 6; i++)
    if (!spbus_item_uint (g_ptr_array_index (g, i), &v))
      return FALSE;
  return TRUE;
}

/**
 * spbus_decode_array:
 * @frame: an answer to function 0x0E
 * @channel: (out): its channel
 * @param: (out): its parameter
 * @error: %LERS_ERROR_INVALID_DATA
 *
 * Function 0x16: HT chn HT prm FF, the two times of the request (6 items
 * each), then records HT value HT units HT "dd-mm-yy/hh:mm:ss" FF, newest
 * first.
 *
 * Returns: (transfer full) (element-type SpbusArrayRecord): the records,
 *   in the order sent
 */
GArray *
spbus_decode_array (const SpbusFrame *frame, guint *channel, guint *param, GError **error)
{
  g_autoptr (GPtrArray) groups = spbus_data_split (frame->data, frame->data_len, error);
  g_autoptr (GArray) out = NULL;

  if (groups == NULL || !spbus_decode_head (frame, groups, SPBUS_FNC_ARRAY, channel, param, error))
    return NULL;
  if (groups->len < 3 || !date_group (g_ptr_array_index (groups, 1))
      || !date_group (g_ptr_array_index (groups, 2)))
    {
      g_set_error (error, LERS_ERROR, LERS_ERROR_INVALID_DATA,
                   _ ("A СПСеть archive answer without the two times of its request"));
      return NULL;
    }
  out = g_array_new (FALSE, TRUE, sizeof (SpbusArrayRecord));
  g_array_set_clear_func (out, (GDestroyNotify) spbus_array_record_clear);
  for (guint i = 3; i < groups->len; i++)
    {
      GPtrArray *g = g_ptr_array_index (groups, i);
      SpbusArrayRecord r = { 0 };

      if (g->len != 3 || !spbus_stamp_parse (g_ptr_array_index (g, 2), &r.stamp))
        {
          g_set_error (error, LERS_ERROR, LERS_ERROR_INVALID_DATA,
                       _ ("A СПСеть archive record %u is not value, units and time"), i - 2);
          return NULL;
        }
      r.value = g_strdup (g_ptr_array_index (g, 0));
      r.units = spbus_units_to_utf8 (g_ptr_array_index (g, 1));
      g_array_append_val (out, r);
    }
  return g_steal_pointer (&out);
}

/**
 * spbus_hex_to_bytes:
 * @text: hex digits; spaces, commas, "0x"/"$" prefixes, newlines and
 *   comments from '#' to the end of a line are ignored
 * @error: %LERS_ERROR_INVALID_DATA
 *
 * Returns: (transfer full) (nullable): the bytes
 */
GBytes *
spbus_hex_to_bytes (const gchar *text, GError **error)
{
  g_autoptr (GByteArray) b = g_byte_array_new ();
  gint hi = -1;

  for (const gchar *p = text; *p != '\0'; p++)
    {
      gint v;

      if (*p == '#')
        {
          while (*p != '\0' && *p != '\n')
            p++;
          if (*p == '\0')
            break;
          continue;
        }
      if (*p == '0' && (p[1] == 'x' || p[1] == 'X') && hi < 0)
        {
          p++;
          continue;
        }
      if (g_ascii_isspace (*p) || *p == ',' || *p == '$' || *p == ':')
        {
          if (hi >= 0)
            {
              guint8 c = (guint8) hi;
              g_byte_array_append (b, &c, 1);
              hi = -1;
            }
          continue;
        }
      v = g_ascii_xdigit_value (*p);
      if (v < 0)
        {
          g_set_error (error, LERS_ERROR, LERS_ERROR_INVALID_DATA, _ ("Not a hex digit: '%c'"), *p);
          return NULL;
        }
      if (hi < 0)
        hi = v;
      else
        {
          guint8 c = (guint8) (hi << 4 | v);
          g_byte_array_append (b, &c, 1);
          hi = -1;
        }
    }
  if (hi >= 0)
    {
      guint8 c = (guint8) hi;
      g_byte_array_append (b, &c, 1);
    }
  return g_byte_array_free_to_bytes (g_steal_pointer (&b));
}
