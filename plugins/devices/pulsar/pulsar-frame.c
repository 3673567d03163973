/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Pulsar-M link layer: the frame, its CRC-16/MODBUS, the BCD address, the
 * DATETIME structure, the requests a master sends and the payloads of the
 * answers (Teplovodokhran, "Описание протокола обмена «ПУЛЬСАР-М»",
 * 02.08.2012, and "PulsarM Protocol Specification" v2.0, 2021).
 */
#include <math.h>
#include <string.h>

#include "pulsar-frame.h"

#include <glib/gi18n-lib.h>

/**
 * pulsar_crc16:
 * @data: (array length=len): bytes
 * @len: how many
 *
 * CRC-16/MODBUS (polynomial 0xA001 reflected, initial value 0xFFFF, no
 * final XOR), as the protocol's section 2 defines it.
 *
 * Returns: the CRC; sent low byte first
 */
guint16
pulsar_crc16 (const guint8 *data, gsize len)
{
  guint16 crc = 0xFFFF;

  for (gsize i = 0; i < len; i++)
    {
      crc ^= data[i];
      for (guint bit = 0; bit < 8; bit++)
        crc = (crc & 1) != 0 ? (guint16) ((crc >> 1) ^ 0xA001) : (guint16) (crc >> 1);
    }
  return crc;
}

/* the device's network address: 1 to 8 decimal digits (0 = broadcast) */
gboolean
pulsar_address_parse (const gchar *text, guint32 *address, GError **error)
{
  guint64 v = 0;
  gsize n;

  if (text == NULL || *text == '\0')
    {
      g_set_error (error, LERS_ERROR, LERS_ERROR_INVALID_ARGUMENT,
                   _ ("A Pulsar device needs its network address (up to 8 decimal digits)"));
      return FALSE;
    }
  n = strlen (text);
  for (gsize i = 0; i < n; i++)
    if (!g_ascii_isdigit (text[i]))
      n = 0;
  if (n == 0 || n > 8)
    {
      g_set_error (error, LERS_ERROR, LERS_ERROR_INVALID_ARGUMENT,
                   _ ("'%s' is not a Pulsar network address (up to 8 decimal digits)"), text);
      return FALSE;
    }
  v = g_ascii_strtoull (text, NULL, 10);
  *address = (guint32) v;
  return TRUE;
}

void
pulsar_put_address (guint8 out[4], guint32 address)
{
  for (gint i = 3; i >= 0; i--)
    {
      guint8 lo = address % 10;
      address /= 10;
      out[i] = (guint8) (((address % 10) << 4) | lo);
      address /= 10;
    }
}

/* FALSE when a nibble is not a decimal digit */
gboolean
pulsar_get_address (const guint8 in[4], guint32 *address)
{
  guint32 v = 0;

  for (guint i = 0; i < 4; i++)
    {
      guint hi = in[i] >> 4, lo = in[i] & 0x0F;
      if (hi > 9 || lo > 9)
        return FALSE;
      v = v * 100 + hi * 10 + lo;
    }
  *address = v;
  return TRUE;
}

/**
 * pulsar_frame_build:
 * @address: the device's address
 * @function: FN
 * @payload: (array length=payload_len) (nullable): the function's data
 * @payload_len: at most %PULSAR_PAYLOAD_MAX
 * @id: the request ID
 *
 * Returns: (transfer full): the frame
 */
GBytes *
pulsar_frame_build (guint32 address, guint8 function, const guint8 *payload, gsize payload_len,
                    guint16 id)
{
  guint8 buf[PULSAR_FRAME_MAX];
  gsize n = 0;
  guint16 crc;

  g_return_val_if_fail (payload_len <= PULSAR_PAYLOAD_MAX, NULL);
  pulsar_put_address (buf, address);
  n = 4;
  buf[n++] = function;
  buf[n++] = (guint8) (payload_len + PULSAR_FRAME_MIN);
  if (payload_len > 0)
    memcpy (buf + n, payload, payload_len);
  n += payload_len;
  buf[n++] = id & 0xFF;
  buf[n++] = id >> 8;
  crc = pulsar_crc16 (buf, n);
  buf[n++] = crc & 0xFF;
  buf[n++] = crc >> 8;
  return g_bytes_new (buf, n);
}

/**
 * pulsar_frame_parse:
 * @data: (array length=len): exactly one frame
 * @len: its length
 * @frame: (out caller-allocates): the fields; the payload points into @data
 * @error: return location for a #GError
 *
 * Checks the length byte and the CRC, and that the address is BCD.
 *
 * Returns: %TRUE for a well-formed frame
 */
gboolean
pulsar_frame_parse (const guint8 *data, gsize len, PulsarFrame *frame, GError **error)
{
  guint16 crc;

  memset (frame, 0, sizeof *frame);
  if (len < PULSAR_FRAME_MIN)
    {
      g_set_error (error, LERS_ERROR, LERS_ERROR_INVALID_DATA,
                   _ ("Pulsar frame too short: %u bytes, at least 10 expected"), (guint) len);
      return FALSE;
    }
  if (len > PULSAR_FRAME_MAX)
    {
      g_set_error (error, LERS_ERROR, LERS_ERROR_INVALID_DATA,
                   _ ("Pulsar frame too long: %u bytes, at most 255 allowed"),
                   (guint) MIN (len, G_MAXUINT));
      return FALSE;
    }
  if (data[5] != len)
    {
      g_set_error (error, LERS_ERROR, LERS_ERROR_INVALID_DATA,
                   _ ("Pulsar frame length byte says %u, the frame has %u bytes"), data[5],
                   (guint) len);
      return FALSE;
    }
  crc = (guint16) (data[len - 2] | (data[len - 1] << 8));
  if (pulsar_crc16 (data, len - 2) != crc)
    {
      g_set_error (error, LERS_ERROR, LERS_ERROR_CHECKSUM,
                   _ ("Pulsar frame CRC mismatch: received %04X, computed %04X"), crc,
                   pulsar_crc16 (data, len - 2));
      return FALSE;
    }
  if (!pulsar_get_address (data, &frame->address))
    {
      g_set_error (error, LERS_ERROR, LERS_ERROR_INVALID_DATA,
                   _ ("Pulsar frame address %02X%02X%02X%02X is not BCD"), data[0], data[1],
                   data[2], data[3]);
      return FALSE;
    }
  frame->function = data[4];
  frame->payload = data + 6;
  frame->payload_len = len - PULSAR_FRAME_MIN;
  frame->id = (guint16) (data[len - 4] | (data[len - 3] << 8));
  return TRUE;
}

/**
 * pulsar_frame_scan:
 * @data: (array length=len): bytes received so far
 * @len: how many
 * @user_data: unused
 *
 * The #LersFrameScanner of the protocol: the length byte (offset 5) tells
 * where a frame ends. A start whose address is not BCD or whose length byte
 * is impossible is line noise: one byte is dropped.
 *
 * Returns: as #LersFrameScanner
 */
gssize
pulsar_frame_scan (const guint8 *data, gsize len, gpointer user_data)
{
  guint32 address;

  for (gsize i = 0; i < MIN (len, 4); i++)
    if ((data[i] >> 4) > 9 || (data[i] & 0x0F) > 9)
      return -1;
  if (len < 6)
    return 0;
  if (!pulsar_get_address (data, &address) || data[5] < PULSAR_FRAME_MIN)
    return -1;
  if (len < data[5])
    return 0;
  return data[5];
}

/**
 * pulsar_error_text:
 * @code: an error answer's code
 *
 * Returns: the vendor's meaning of @code, translated
 */
const gchar *
pulsar_error_text (guint8 code)
{
  switch (code)
    {
    case 0x01:
      return _ ("the requested function is missing");
    case 0x02:
      return _ ("error in the request's channel mask");
    case 0x03:
      return _ ("wrong request length");
    case 0x04:
      return _ ("the parameter is missing");
    case 0x05:
      return _ ("writing is locked, authorisation required");
    case 0x06:
      return _ ("the value written is out of range");
    case 0x07:
      return _ ("the requested archive type is missing");
    case 0x08:
      return _ ("too many archive values requested in one frame");
    default:
      return _ ("unknown error");
    }
}

/**
 * pulsar_frame_check_error:
 * @frame: an answer
 * @error: return location for a #GError
 *
 * Turns an error answer (FN 0x00) into a #GError: missing function or
 * archive type → %LERS_ERROR_NOT_SUPPORTED, write lock →
 * %LERS_ERROR_PERMISSION_DENIED, missing parameter → %LERS_ERROR_NOT_FOUND,
 * out of range, mask and size errors → %LERS_ERROR_INVALID_ARGUMENT,
 * anything else → %LERS_ERROR_FAILED.
 *
 * Returns: %FALSE for an error answer
 */
gboolean
pulsar_frame_check_error (const PulsarFrame *frame, GError **error)
{
  guint8 code;
  gint lers_code;

  if (frame->function != PULSAR_FN_ERROR)
    return TRUE;
  code = frame->payload_len >= 1 ? frame->payload[0] : 0;
  switch (code)
    {
    case 0x01:
    case 0x07:
      lers_code = LERS_ERROR_NOT_SUPPORTED;
      break;
    case 0x05:
      lers_code = LERS_ERROR_PERMISSION_DENIED;
      break;
    case 0x04:
      lers_code = LERS_ERROR_NOT_FOUND;
      break;
    case 0x02:
    case 0x03:
    case 0x06:
    case 0x08:
      lers_code = LERS_ERROR_INVALID_ARGUMENT;
      break;
    default:
      lers_code = LERS_ERROR_FAILED;
    }
  /* TRANSLATORS: the device's error code and its meaning */
  g_set_error (error, LERS_ERROR, lers_code, _ ("The Pulsar device answered error %u: %s"), code,
               pulsar_error_text (code));
  return FALSE;
}

/* ---- DATETIME --------------------------------------------------------- */

void
pulsar_time_put (guint8 out[6], const PulsarTime *t)
{
  out[0] = (guint8) (t->year - 2000);
  out[1] = (guint8) t->month;
  out[2] = (guint8) t->day;
  out[3] = (guint8) t->hour;
  out[4] = (guint8) t->minute;
  out[5] = (guint8) t->second;
}

gboolean
pulsar_time_is_none (const guint8 in[6])
{
  for (guint i = 0; i < 6; i++)
    if (in[i] != 0xFF)
      return FALSE;
  return TRUE;
}

gboolean
pulsar_time_get (const guint8 in[6], PulsarTime *t, GError **error)
{
  if (in[0] > 99 || in[1] < 1 || in[1] > 12 || in[2] < 1 || in[2] > 31 || in[3] > 23 || in[4] > 59
      || in[5] > 59)
    {
      g_set_error (error, LERS_ERROR, LERS_ERROR_INVALID_DATA,
                   _ ("Invalid Pulsar date %02X %02X %02X %02X %02X %02X"), in[0], in[1], in[2],
                   in[3], in[4], in[5]);
      return FALSE;
    }
  t->year = 2000 + in[0];
  t->month = in[1];
  t->day = in[2];
  t->hour = in[3];
  t->minute = in[4];
  t->second = in[5];
  return TRUE;
}

/* (nullable): NULL for a date that does not exist (31 February) */
GDateTime *
pulsar_time_to_date_time (const PulsarTime *t, GTimeZone *zone)
{
  return g_date_time_new (zone, (gint) t->year, (gint) t->month, (gint) t->day, (gint) t->hour,
                          (gint) t->minute, (gdouble) t->second);
}

void
pulsar_time_from_date_time (GDateTime *time, PulsarTime *t)
{
  t->year = (guint) g_date_time_get_year (time);
  t->month = (guint) g_date_time_get_month (time);
  t->day = (guint) g_date_time_get_day_of_month (time);
  t->hour = (guint) g_date_time_get_hour (time);
  t->minute = (guint) g_date_time_get_minute (time);
  t->second = (guint) g_date_time_get_second (time);
}

/* ---- requests -------------------------------------------------------- */

static void
put_u32_le (guint8 *out, guint32 v)
{
  out[0] = v & 0xFF;
  out[1] = (v >> 8) & 0xFF;
  out[2] = (v >> 16) & 0xFF;
  out[3] = v >> 24;
}

static guint32
get_u32_le (const guint8 *in)
{
  return (guint32) in[0] | ((guint32) in[1] << 8) | ((guint32) in[2] << 16)
         | ((guint32) in[3] << 24);
}

GBytes *
pulsar_request_read_channels (guint32 address, guint32 mask, guint16 id)
{
  guint8 p[4];

  put_u32_le (p, mask);
  return pulsar_frame_build (address, PULSAR_FN_READ_CHANNELS, p, sizeof p, id);
}

GBytes *
pulsar_request_read_clock (guint32 address, guint16 id)
{
  return pulsar_frame_build (address, PULSAR_FN_READ_CLOCK, NULL, 0, id);
}

GBytes *
pulsar_request_write_clock (guint32 address, const PulsarTime *t, guint16 id)
{
  guint8 p[6];

  pulsar_time_put (p, t);
  return pulsar_frame_build (address, PULSAR_FN_WRITE_CLOCK, p, sizeof p, id);
}

/* @channel: 1-based; one channel a request (the protocol's rule) */
GBytes *
pulsar_request_read_archive (guint32 address, guint channel, PulsarArchiveType type,
                             const PulsarTime *start, const PulsarTime *end, guint16 id)
{
  guint8 p[18];

  g_return_val_if_fail (channel >= 1 && channel <= PULSAR_MAX_CHANNELS, NULL);
  put_u32_le (p, 1u << (channel - 1));
  p[4] = (guint8) type;
  p[5] = 0;
  pulsar_time_put (p + 6, start);
  pulsar_time_put (p + 12, end);
  return pulsar_frame_build (address, PULSAR_FN_READ_ARCHIVE, p, sizeof p, id);
}

GBytes *
pulsar_request_read_parameter (guint32 address, guint16 index, guint16 id)
{
  guint8 p[2] = { index & 0xFF, index >> 8 };

  return pulsar_frame_build (address, PULSAR_FN_READ_PARAMETER, p, sizeof p, id);
}

/* ---- answers --------------------------------------------------------- */

gfloat
pulsar_float_from_bits (guint32 bits)
{
  gfloat f;

  memcpy (&f, &bits, sizeof f);
  return f;
}

guint32
pulsar_float_to_bits (gfloat value)
{
  guint32 bits;

  memcpy (&bits, &value, sizeof bits);
  return bits;
}

static gdouble
double_from_le (const guint8 *in)
{
  guint64 bits = 0;
  gdouble d;

  for (gint i = 7; i >= 0; i--)
    bits = (bits << 8) | in[i];
  memcpy (&d, &bits, sizeof d);
  return d;
}

/**
 * pulsar_decode_channels:
 * @frame: the answer to function 0x01
 * @n_channels: how many channels the request's mask named
 * @values: (array length=n_channels) (out caller-allocates): their readings
 * @error: return location for a #GError
 *
 * The readings are float64, or float32 on the radio models (16РМ-М, 24М):
 * the size of one follows from the payload's length.
 *
 * Returns: %TRUE on success
 */
gboolean
pulsar_decode_channels (const PulsarFrame *frame, guint n_channels, gdouble *values, GError **error)
{
  gsize width;

  if (!pulsar_frame_check_error (frame, error))
    return FALSE;
  if (frame->function != PULSAR_FN_READ_CHANNELS || n_channels == 0)
    {
      g_set_error (error, LERS_ERROR, LERS_ERROR_INVALID_DATA,
                   _ ("Expected a Pulsar answer to function %u, got function %u"),
                   PULSAR_FN_READ_CHANNELS, frame->function);
      return FALSE;
    }
  width = frame->payload_len / n_channels;
  if ((width != 8 && width != 4) || frame->payload_len != width * n_channels)
    {
      g_set_error (error, LERS_ERROR, LERS_ERROR_INVALID_DATA,
                   _ ("A Pulsar channel answer of %u bytes does not hold %u readings"),
                   (guint) frame->payload_len, n_channels);
      return FALSE;
    }
  for (guint i = 0; i < n_channels; i++)
    {
      const guint8 *p = frame->payload + i * width;
      values[i] = width == 8 ? double_from_le (p) : pulsar_float_from_bits (get_u32_le (p));
    }
  return TRUE;
}

/**
 * pulsar_decode_archive:
 * @frame: the answer to function 0x06
 * @channel: the 1-based channel asked for
 * @start: (nullable): the start date asked for
 * @raw: (element-type guint32): appended: the values' bits, as sent
 *   (%PULSAR_NO_DATA, %PULSAR_NO_POWER or a float32)
 * @error: return location for a #GError
 *
 * Returns: %TRUE when the answer is for @channel and @start
 */
gboolean
pulsar_decode_archive (const PulsarFrame *frame, guint channel, const PulsarTime *start,
                       GArray *raw, GError **error)
{
  PulsarTime t;
  guint32 mask;

  if (!pulsar_frame_check_error (frame, error))
    return FALSE;
  if (frame->function != PULSAR_FN_READ_ARCHIVE)
    {
      g_set_error (error, LERS_ERROR, LERS_ERROR_INVALID_DATA,
                   _ ("Expected a Pulsar answer to function %u, got function %u"),
                   PULSAR_FN_READ_ARCHIVE, frame->function);
      return FALSE;
    }
  if (frame->payload_len < 10 || (frame->payload_len - 10) % 4 != 0)
    {
      g_set_error (error, LERS_ERROR, LERS_ERROR_INVALID_DATA,
                   _ ("A Pulsar archive answer of %u bytes is malformed"),
                   (guint) frame->payload_len);
      return FALSE;
    }
  mask = get_u32_le (frame->payload);
  if (channel >= 1 && channel <= PULSAR_MAX_CHANNELS && mask != (1u << (channel - 1)))
    {
      g_set_error (error, LERS_ERROR, LERS_ERROR_INVALID_DATA,
                   _ ("A Pulsar archive answer for channel mask %08X, not channel %u"), mask,
                   channel);
      return FALSE;
    }
  if (!pulsar_time_get (frame->payload + 4, &t, error))
    return FALSE;
  if (start != NULL
      && (t.year != start->year || t.month != start->month || t.day != start->day
          || t.hour != start->hour || t.minute != start->minute || t.second != start->second))
    {
      g_set_error (error, LERS_ERROR, LERS_ERROR_INVALID_DATA,
                   _ ("A Pulsar archive answer starts at %04u-%02u-%02u %02u:%02u, not at the "
                      "date asked for"),
                   t.year, t.month, t.day, t.hour, t.minute);
      return FALSE;
    }
  for (gsize i = 10; i + 4 <= frame->payload_len; i += 4)
    {
      guint32 bits = get_u32_le (frame->payload + i);
      g_array_append_val (raw, bits);
    }
  return TRUE;
}

/* the answer to a clock write: R = 1 written, 0 refused */
gboolean
pulsar_decode_write_status (const PulsarFrame *frame, GError **error)
{
  if (!pulsar_frame_check_error (frame, error))
    return FALSE;
  if (frame->function != PULSAR_FN_WRITE_CLOCK || frame->payload_len < 1)
    {
      g_set_error (error, LERS_ERROR, LERS_ERROR_INVALID_DATA,
                   _ ("Expected a Pulsar answer to function %u, got function %u"),
                   PULSAR_FN_WRITE_CLOCK, frame->function);
      return FALSE;
    }
  if (frame->payload[0] != 0x01)
    {
      g_set_error (error, LERS_ERROR, LERS_ERROR_PERMISSION_DENIED,
                   _ ("The Pulsar device did not set its clock"));
      return FALSE;
    }
  return TRUE;
}

/**
 * pulsar_hex_to_bytes:
 * @text: hex byte pairs, whitespace anywhere, `#` comments to the line's end
 * @error: return location for a #GError
 *
 * Returns: (transfer full): the bytes, or %NULL
 */
GBytes *
pulsar_hex_to_bytes (const gchar *text, GError **error)
{
  g_autoptr (GByteArray) buf = g_byte_array_new ();
  gint hi = -1;

  for (const gchar *p = text; *p != '\0'; p++)
    {
      gint v;
      if (*p == '#')
        {
          while (p[1] != '\0' && p[1] != '\n')
            p++;
          continue;
        }
      if (g_ascii_isspace (*p))
        continue;
      v = g_ascii_xdigit_value (*p);
      if (v < 0)
        {
          g_set_error (error, LERS_ERROR, LERS_ERROR_INVALID_DATA,
                       _ ("Not a hex digit in a Pulsar frame: '%c'"), *p);
          return NULL;
        }
      if (hi < 0)
        hi = v;
      else
        {
          guint8 b = (guint8) ((hi << 4) | v);
          g_byte_array_append (buf, &b, 1);
          hi = -1;
        }
    }
  if (hi >= 0)
    {
      g_set_error (error, LERS_ERROR, LERS_ERROR_INVALID_DATA,
                   _ ("An odd number of hex digits in a Pulsar frame"));
      return NULL;
    }
  return g_byte_array_free_to_bytes (g_steal_pointer (&buf));
}
