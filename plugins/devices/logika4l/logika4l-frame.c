/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Framing of the Logika 4L protocol (СПТ941/942/943). Facts from
 * "Тепловычислители СПТ943. Связь с внешними устройствами" (prot943_02-1,
 * §2.1–2.4, appendices 5 and 6) and "Связь СПТ941 с внешними устройствами"
 * (prot941, §2.2–2.5).
 */
#include <math.h>
#include <string.h>

#include <lers.h>

#include <glib/gi18n-lib.h>

#include "logika4l-frame.h"

guint8
l4l_checksum (const guint8 *bytes, gsize len)
{
  guint sum = 0;

  for (gsize i = 0; i < len; i++)
    sum += bytes[i];
  return (guint8) (~sum & 0xFF);
}

/* CRC-16, polynomial 0x1021, initial value 0 (prot943 appendix 6) */
guint16
l4l_crc16 (const guint8 *bytes, gsize len)
{
  guint crc = 0;

  for (gsize i = 0; i < len; i++)
    {
      crc ^= (guint) bytes[i] << 8;
      for (guint j = 0; j < 8; j++)
        crc = (crc & 0x8000) ? ((crc << 1) ^ 0x1021) : (crc << 1);
    }
  return (guint16) (crc & 0xFFFF);
}

GBytes *
l4l_build_frame (guint8 nt, guint8 fnc, const guint8 *data, gsize len)
{
  GByteArray *out = g_byte_array_sized_new ((guint) len + 5);
  guint8 head[3] = { L4L_START, nt, fnc };
  guint8 tail[2];

  g_byte_array_append (out, head, 3);
  if (len > 0)
    g_byte_array_append (out, data, (guint) len);
  tail[0] = l4l_checksum (out->data + 1, out->len - 1);
  tail[1] = L4L_END;
  g_byte_array_append (out, tail, 2);
  return g_byte_array_free_to_bytes (out);
}

GBytes *
l4l_build_request (guint8 nt, guint8 fnc, guint8 f1, guint8 f2, guint8 f3, guint8 f4)
{
  guint8 data[4] = { f1, f2, f3, f4 };

  return l4l_build_frame (nt, fnc, data, 4);
}

/* 16 × FF then the session request (prot943 §2.2.1: at least sixteen) */
GBytes *
l4l_build_session (guint8 nt, guint8 channel, gboolean preamble)
{
  g_autoptr (GBytes) request = l4l_build_request (nt, L4L_FNC_SESSION, channel, 0, 0, 0);
  GByteArray *out = g_byte_array_new ();

  if (preamble)
    for (guint i = 0; i < 16; i++)
      g_byte_array_append (out, (const guint8 *) "\xFF", 1);
  g_byte_array_append (out, g_bytes_get_data (request, NULL), (guint) g_bytes_get_size (request));
  return g_byte_array_free_to_bytes (out);
}

/*
 * The frame has no length field: its length follows from the request.
 * Returns the frame's length, 0 for more bytes, -1 to drop a leading byte.
 * An error reply (FNC 21) has one data byte.
 */
gssize
l4l_scan (const guint8 *bytes, gsize len, gsize expected_data)
{
  gsize need;

  if (len == 0)
    return 0;
  if (bytes[0] != L4L_START)
    return -1;
  if (len < 3)
    return 0;
  need = (bytes[2] == L4L_FNC_ERROR ? 1 : expected_data) + 5;
  if (len < need)
    return 0;
  return (gssize) need;
}

gboolean
l4l_parse (const guint8 *bytes, gsize len, L4lFrame *frame, GError **error)
{
  if (len < 5)
    {
      g_set_error (error, LERS_ERROR, LERS_ERROR_INVALID_DATA,
                   _ ("Logika frame too short: %u bytes"), (guint) len);
      return FALSE;
    }
  if (len - 5 > L4L_MAX_DATA)
    {
      g_set_error (error, LERS_ERROR, LERS_ERROR_INVALID_DATA,
                   _ ("Logika frame too long: %u bytes"), (guint) len);
      return FALSE;
    }
  if (bytes[0] != L4L_START || bytes[len - 1] != L4L_END)
    {
      g_set_error (error, LERS_ERROR, LERS_ERROR_INVALID_DATA,
                   _ ("Logika frame without its start or end byte"));
      return FALSE;
    }
  if (l4l_checksum (bytes + 1, len - 3) != bytes[len - 2])
    {
      g_set_error (error, LERS_ERROR, LERS_ERROR_CHECKSUM,
                   _ ("Logika frame checksum is %02X, expected %02X"), bytes[len - 2],
                   l4l_checksum (bytes + 1, len - 3));
      return FALSE;
    }
  frame->nt = bytes[1];
  frame->fnc = bytes[2];
  frame->len = len - 5;
  memcpy (frame->data, bytes + 3, frame->len);
  return TRUE;
}

static const gchar *
l4l_error_text (guint8 code)
{
  switch (code)
    {
    case 0:
      return _ ("request structure broken");
    case 1:
      return _ ("write protected");
    case 2:
      return _ ("invalid request parameters");
    case 3:
      return _ ("no data");
    case 4:
      return _ ("only protected exchange possible");
    case 5:
      return _ ("invalid request format in protected exchange");
    default:
      return _ ("unknown error");
    }
}

/* an answer to a request to @nt with @fnc: checked and error replies
 * turned into GErrors (error 3 = LERS_ERROR_NOT_FOUND) */
gboolean
l4l_parse_answer (const guint8 *bytes, gsize len, guint8 nt, guint8 fnc, gsize expected_data,
                  L4lFrame *frame, GError **error)
{
  if (!l4l_parse (bytes, len, frame, error))
    return FALSE;
  /* prot941 §2.3: an addressless request (255) is answered with 255 */
  if (frame->nt != nt)
    {
      g_set_error (error, LERS_ERROR, LERS_ERROR_INVALID_DATA,
                   _ ("Logika answer from address %u, expected %u"), frame->nt, nt);
      return FALSE;
    }
  if (frame->fnc == L4L_FNC_ERROR && frame->len == 1)
    {
      guint8 code = frame->data[0];
      LersError lcode = code == 3   ? LERS_ERROR_NOT_FOUND
                        : code == 1 ? LERS_ERROR_PERMISSION_DENIED
                        : code == 4 ? LERS_ERROR_PERMISSION_DENIED
                                    : LERS_ERROR_INVALID_DATA;
      g_set_error (error, LERS_ERROR, lcode, _ ("Logika device error %u: %s"), code,
                   l4l_error_text (code));
      return FALSE;
    }
  if (frame->fnc != fnc)
    {
      g_set_error (error, LERS_ERROR, LERS_ERROR_INVALID_DATA,
                   _ ("Logika answer to function %02X, expected %02X"), frame->fnc, fnc);
      return FALSE;
    }
  if (frame->len != expected_data)
    {
      g_set_error (error, LERS_ERROR, LERS_ERROR_INVALID_DATA,
                   _ ("Logika answer has %u data bytes, expected %u"), (guint) frame->len,
                   (guint) expected_data);
      return FALSE;
    }
  return TRUE;
}

/* 10 NT 90 ID ATR DL0 DL1 data(DL) CRC1 CRC0; the CRC covers NT..data */
gssize
l4l_scan_extended (const guint8 *bytes, gsize len)
{
  gsize dl;

  if (len == 0)
    return 0;
  if (bytes[0] != L4L_START)
    return -1;
  if (len < 7)
    return 0;
  if (bytes[2] != L4L_FNC_EXTENDED)
    return -1;
  dl = bytes[5] | ((gsize) bytes[6] << 8);
  if (len < 7 + dl + 2)
    return 0;
  return (gssize) (7 + dl + 2);
}

gboolean
l4l_parse_extended (const guint8 *bytes, gsize len, L4lFrame *frame, guint8 *id, GError **error)
{
  gsize dl;

  if (len < 10 || bytes[0] != L4L_START || bytes[2] != L4L_FNC_EXTENDED)
    {
      g_set_error (error, LERS_ERROR, LERS_ERROR_INVALID_DATA, _ ("not a Logika extended frame"));
      return FALSE;
    }
  dl = bytes[5] | ((gsize) bytes[6] << 8);
  if (dl < 1 || dl - 1 > L4L_MAX_DATA || len != 7 + dl + 2)
    {
      g_set_error (error, LERS_ERROR, LERS_ERROR_INVALID_DATA,
                   _ ("Logika extended frame length %u does not match %u bytes"), (guint) dl,
                   (guint) len);
      return FALSE;
    }
  if (bytes[4] != 0)
    {
      g_set_error (error, LERS_ERROR, LERS_ERROR_NOT_SUPPORTED,
                   _ ("encrypted Logika frames are not supported"));
      return FALSE;
    }
  if (l4l_crc16 (bytes + 1, len - 1) != 0)
    {
      g_set_error (error, LERS_ERROR, LERS_ERROR_CHECKSUM,
                   _ ("Logika extended frame CRC mismatch"));
      return FALSE;
    }
  frame->nt = bytes[1];
  frame->fnc = bytes[7];
  frame->len = dl - 1;
  memcpy (frame->data, bytes + 8, frame->len);
  if (id != NULL)
    *id = bytes[3];
  return TRUE;
}

/*
 * The Logika float (prot943 appendix 5): byte 3 the exponent e, byte 2 the
 * sign in bit 7 and the mantissa's top 7 bits, bytes 1 and 0 the rest;
 * A = (−1)^s · 1.f · 2^(e−127); e = 0 is zero.
 */
gdouble
l4l_float (const guint8 *b)
{
  guint e = b[3];
  guint32 f = ((guint32) (b[2] & 0x7F) << 16) | ((guint32) b[1] << 8) | b[0];
  gdouble v;

  if (e == 0)
    return 0.0;
  v = ldexp (1.0 + (gdouble) f / 8388608.0, (gint) e - 127);
  return (b[2] & 0x80) ? -v : v;
}

gboolean
l4l_float_is_valid (const guint8 *b)
{
  return b[3] != 0xFF;
}

void
l4l_float_encode (gdouble value, guint8 *b)
{
  gint exp = 0;
  gdouble m;
  guint32 f;
  gboolean neg = value < 0;

  if (value == 0.0 || !isfinite (value))
    {
      memset (b, 0, 4);
      return;
    }
  m = frexp (fabs (value), &exp); /* 0.5 <= m < 1 */
  m = m * 2.0 - 1.0;
  exp -= 1;
  f = (guint32) llround (m * 8388608.0);
  if (f >= 8388608u)
    {
      f = 0;
      exp++;
    }
  if (exp + 127 <= 0)
    {
      memset (b, 0, 4);
      return;
    }
  b[0] = f & 0xFF;
  b[1] = (f >> 8) & 0xFF;
  b[2] = ((f >> 16) & 0x7F) | (neg ? 0x80 : 0);
  b[3] = (guint8) MIN (exp + 127, 254);
}
