/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * КМ-5 framing [S: stowage/km-5-pult IOHelper.java, CommandModuleImpl.java]:
 *
 *   request  A0 A1 A2 A3 CMD D0 … D8 CS1 CS2            16 bytes
 *   answer   A0 A1 A2 A3 CMD payload… CS1 CS2            32 or 72 bytes
 *
 * A0..A3 is the 8-digit network number in BCD, least significant byte
 * first ("00000001" → 01 00 00 00). CS1 = XOR of all bytes before it, CS2 =
 * their sum mod 256. An answer whose CS1 and CS2 are both 0 is refused (the
 * reference reader does so: a line that reads all zeros is not an answer).
 * In "backward" mode the whole frame, checksums included, travels
 * byte-reversed in both directions.
 */
#include "km5-frame.h"

#include <string.h>

#include <glib/gi18n-lib.h>
#include <lers.h>

gboolean
km5_address_parse (const gchar *text, guint8 out[4], GError **error)
{
  gsize n = text != NULL ? strlen (text) : 0;
  gchar digits[9] = "00000000";

  if (n == 0 || n > 8)
    {
      g_set_error (error, LERS_ERROR, LERS_ERROR_INVALID_ARGUMENT,
                   _ ("A КМ-5 network address is 1 to 8 decimal digits, not “%s”"),
                   text != NULL ? text : "");
      return FALSE;
    }
  for (gsize i = 0; i < n; i++)
    {
      if (!g_ascii_isdigit (text[i]))
        {
          g_set_error (error, LERS_ERROR, LERS_ERROR_INVALID_ARGUMENT,
                       _ ("A КМ-5 network address is 1 to 8 decimal digits, not “%s”"), text);
          return FALSE;
        }
      digits[8 - n + i] = text[i];
    }
  /* digits[0..1] is the most significant byte, sent last */
  for (guint i = 0; i < 4; i++)
    out[3 - i] = (guint8) (((digits[2 * i] - '0') << 4) | (digits[2 * i + 1] - '0'));
  return TRUE;
}

gchar *
km5_address_format (const guint8 address[4])
{
  return g_strdup_printf ("%02x%02x%02x%02x", address[3], address[2], address[1], address[0]);
}

void
km5_checksum (const guint8 *data, gsize len, guint8 *cs_xor, guint8 *cs_sum)
{
  guint8 x = 0, s = 0;

  for (gsize i = 0; i < len; i++)
    {
      x ^= data[i];
      s = (guint8) (s + data[i]);
    }
  *cs_xor = x;
  *cs_sum = s;
}

/* CommandModuleImpl: SHORT_RESPONSE (32) for all but the line reads and
 * the two long immediate-value commands (LONG_RESPONSE, 72) */
gsize
km5_answer_length (guint8 command)
{
  switch (command)
    {
    case KM5_CMD_LINE_ABS:
    case KM5_CMD_LINE:
    case 93:
    case 123:
      return KM5_LONG_LEN;
    default:
      return KM5_SHORT_LEN;
    }
}

void
km5_reverse (guint8 *data, gsize len)
{
  for (gsize i = 0; i < len / 2; i++)
    {
      guint8 t = data[i];
      data[i] = data[len - 1 - i];
      data[len - 1 - i] = t;
    }
}

GBytes *
km5_request_new (const guint8 address[4], guint8 command, const guint8 data[9], gboolean backward)
{
  guint8 *f = g_malloc0 (KM5_REQUEST_LEN);

  for (guint i = 0; i < 4; i++)
    f[i] = address[i];
  f[4] = command;
  for (guint i = 0; data != NULL && i < 9; i++)
    f[5 + i] = data[i];
  km5_checksum (f, KM5_REQUEST_LEN - 2, &f[14], &f[15]);
  if (backward)
    km5_reverse (f, KM5_REQUEST_LEN);
  return g_bytes_new_take (f, KM5_REQUEST_LEN);
}

/* a frame in forward byte order: length, checksums */
gboolean
km5_frame_check (const guint8 *frame, gsize len, GError **error)
{
  guint8 x, s;

  if (len < KM5_HEADER_LEN + 2)
    {
      g_set_error (error, LERS_ERROR, LERS_ERROR_INVALID_DATA,
                   _ ("КМ-5 frame too short: %zu bytes"), len);
      return FALSE;
    }
  km5_checksum (frame, len - 2, &x, &s);
  /* an answer (not a request: command 0 to the broadcast address sums to
   * zero) with both checksums 0 is refused, as km-5-pult's reader does */
  if (x == 0 && s == 0 && frame[len - 2] == 0 && frame[len - 1] == 0 && len != KM5_REQUEST_LEN)
    {
      g_set_error (error, LERS_ERROR, LERS_ERROR_CHECKSUM,
                   _ ("КМ-5 answer with both checksum bytes 0 is refused"));
      return FALSE;
    }
  if (frame[len - 2] != x || frame[len - 1] != s)
    {
      g_set_error (error, LERS_ERROR, LERS_ERROR_CHECKSUM,
                   _ ("КМ-5 frame checksum mismatch: got %02X %02X, computed %02X %02X"),
                   frame[len - 2], frame[len - 1], x, s);
      return FALSE;
    }
  return TRUE;
}

/**
 * km5_answer_parse:
 * @wire: the answer as it came off the line
 * @address: whom we asked
 * @command: what we asked
 * @backward: whether the line runs byte-reversed
 * @frame: (out): the answer in forward order
 *
 * Checks length, checksums, address and command echo.
 */
gboolean
km5_answer_parse (GBytes *wire, const guint8 address[4], guint8 command, gboolean backward,
                  GBytes **frame, GError **error)
{
  gsize len = 0;
  const guint8 *data = g_bytes_get_data (wire, &len);
  gsize want = km5_answer_length (command);
  g_autofree guint8 *f = NULL;

  if (len != want)
    {
      g_set_error (error, LERS_ERROR, LERS_ERROR_INVALID_DATA,
                   _ ("КМ-5 answer to command %u has %zu bytes, expected %zu"), command, len, want);
      return FALSE;
    }
  f = g_memdup2 (data, len);
  if (backward)
    km5_reverse (f, len);
  if (!km5_frame_check (f, len, error))
    return FALSE;
  /* asked at the broadcast address 00000000, any meter may answer */
  if ((address[0] | address[1] | address[2] | address[3]) != 0
      && (f[0] != address[0] || f[1] != address[1] || f[2] != address[2] || f[3] != address[3]))
    {
      g_autofree gchar *got = km5_address_format (f);
      g_autofree gchar *asked = km5_address_format (address);
      g_set_error (error, LERS_ERROR, LERS_ERROR_INVALID_DATA,
                   _ ("КМ-5 answer from address %s, expected %s"), got, asked);
      return FALSE;
    }
  if (f[4] != command)
    {
      g_set_error (error, LERS_ERROR, LERS_ERROR_INVALID_DATA,
                   _ ("КМ-5 answer echoes command %u, expected %u"), f[4], command);
      return FALSE;
    }
  *frame = g_bytes_new_take (g_steal_pointer (&f), len);
  return TRUE;
}

/* LersFrameScanner: answers have a fixed length per command, passed as
 * user_data (GSIZE_TO_POINTER) */
gssize
km5_scan_answer (const guint8 *data, gsize len, gpointer user_data)
{
  gsize want = GPOINTER_TO_SIZE (user_data);

  return len >= want ? (gssize) want : 0;
}

guint8
km5_bcd_to_uint (guint8 bcd, gboolean *ok)
{
  if ((bcd >> 4) > 9 || (bcd & 0x0F) > 9)
    {
      if (ok != NULL)
        *ok = FALSE;
      return 0;
    }
  return (guint8) ((bcd >> 4) * 10 + (bcd & 0x0F));
}

guint8
km5_uint_to_bcd (guint value)
{
  value %= 100;
  return (guint8) (((value / 10) << 4) | (value % 10));
}

/* IEEE 754 single, least significant byte first (Java's
 * Float.intBitsToFloat over a little-endian int in IOHelper) */
gfloat
km5_read_float (const guint8 *p)
{
  union
  {
    guint32 u;
    gfloat f;
  } v;

  v.u = (guint32) p[0] | ((guint32) p[1] << 8) | ((guint32) p[2] << 16) | ((guint32) p[3] << 24);
  return v.f;
}

void
km5_write_float (guint8 *p, gfloat value)
{
  union
  {
    guint32 u;
    gfloat f;
  } v;

  v.f = value;
  p[0] = (guint8) (v.u & 0xFF);
  p[1] = (guint8) ((v.u >> 8) & 0xFF);
  p[2] = (guint8) ((v.u >> 16) & 0xFF);
  p[3] = (guint8) ((v.u >> 24) & 0xFF);
}

guint16
km5_read_u16 (const guint8 *p)
{
  return (guint16) (p[0] | (p[1] << 8));
}
