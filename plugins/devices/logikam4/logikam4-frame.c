/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * M4 framing (РАЖГ.00293-33 §2.1, §2.2, appendix 1):
 *
 *   full:  10 NT 90 ID ATR DL_lo DL_hi body CRC_hi CRC_lo
 *          CRC-16/XMODEM (poly 0x1021, init 0) over everything after 10
 *   short: 10 NT body KS 16
 *          KS = NOT of the low byte of the sum of NT..body (as the 4L protocol)
 *
 * The body starts with the function code (FNC).
 */
#include "logikam4-frame.h"

#include <string.h>

#include <glib/gi18n-lib.h>

void
m4_frame_free (M4Frame *frame)
{
  if (frame == NULL)
    return;
  g_clear_pointer (&frame->body, g_bytes_unref);
  g_free (frame);
}

guint16
m4_crc16 (const guint8 *data, gsize len)
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

guint8
m4_short_checksum (const guint8 *data, gsize len)
{
  guint8 sum = 0;

  for (gsize i = 0; i < len; i++)
    sum = (guint8) (sum + data[i]);
  return (guint8) ~sum;
}

GBytes *
m4_frame_build_full (guint8 nt, guint8 id, const guint8 *body, gsize body_len)
{
  GByteArray *out = g_byte_array_sized_new ((guint) body_len + M4_FULL_HEADER + 2);
  guint8 header[M4_FULL_HEADER]
      = { M4_SOH, nt, M4_FRM, id, 0x00, (guint8) (body_len & 0xFF), (guint8) (body_len >> 8) };
  guint16 crc;
  guint8 tail[2];

  g_return_val_if_fail (body_len <= 0xFFFF, NULL);
  g_byte_array_append (out, header, sizeof header);
  g_byte_array_append (out, body, (guint) body_len);
  crc = m4_crc16 (out->data + 1, out->len - 1);
  tail[0] = (guint8) (crc >> 8);
  tail[1] = (guint8) (crc & 0xFF);
  g_byte_array_append (out, tail, 2);
  return g_byte_array_free_to_bytes (out);
}

GBytes *
m4_frame_build_short (guint8 nt, const guint8 *body, gsize body_len)
{
  GByteArray *out = g_byte_array_sized_new ((guint) body_len + 4);
  guint8 head[2] = { M4_SOH, nt };
  guint8 tail[2];

  g_byte_array_append (out, head, 2);
  g_byte_array_append (out, body, (guint) body_len);
  tail[0] = m4_short_checksum (out->data + 1, out->len - 1);
  tail[1] = M4_EF;
  g_byte_array_append (out, tail, 2);
  return g_byte_array_free_to_bytes (out);
}

/* Where the frame at the start of @data ends: its length, 0 when more bytes
 * are needed, or minus the bytes to drop as line noise (with @error set). */
gssize
m4_frame_scan (const guint8 *data, gsize len, GError **error)
{
  if (len == 0)
    return 0;
  if (data[0] != M4_SOH)
    {
      gsize skip = 1;

      while (skip < len && data[skip] != M4_SOH)
        skip++;
      g_set_error (error, LERS_ERROR, LERS_ERROR_INVALID_DATA,
                   _ ("%lu bytes of line noise before a frame"), (gulong) skip);
      return -(gssize) skip;
    }
  if (len < 3)
    return 0;
  if (data[2] == M4_FRM)
    {
      gsize body_len;

      if (len < M4_FULL_HEADER)
        return 0;
      body_len = data[5] | ((gsize) data[6] << 8);
      if (body_len > M4_MAX_BODY)
        {
          g_set_error (error, LERS_ERROR, LERS_ERROR_INVALID_DATA,
                       _ ("M4 frame too long: %lu bytes of body"), (gulong) body_len);
          return -1;
        }
      if (len < M4_FULL_HEADER + body_len + 2)
        return 0;
      return (gssize) (M4_FULL_HEADER + body_len + 2);
    }
  /* a short frame: the first 16 whose preceding byte is the checksum */
  for (gsize end = 4; end < len && end < 64; end++)
    if (data[end] == M4_EF && m4_short_checksum (data + 1, end - 2) == data[end - 1])
      return (gssize) end + 1;
  if (len >= 64)
    {
      g_set_error_literal (error, LERS_ERROR, LERS_ERROR_INVALID_DATA,
                           _ ("no end of a short M4 frame"));
      return -1;
    }
  return 0;
}

gssize
lers_logikam4_scan_frame (const guint8 *data, gsize len, gpointer user_data)
{
  return m4_frame_scan (data, len, NULL);
}

M4Frame *
m4_frame_parse (const guint8 *data, gsize len, GError **error)
{
  g_autoptr (M4Frame) frame = g_new0 (M4Frame, 1);

  if (len < 5)
    {
      g_set_error (error, LERS_ERROR, LERS_ERROR_INVALID_DATA, _ ("short M4 frame: %lu bytes"),
                   (gulong) len);
      return NULL;
    }
  if (data[0] != M4_SOH)
    {
      g_set_error (error, LERS_ERROR, LERS_ERROR_INVALID_DATA,
                   _ ("an M4 frame starts with 0x10, not 0x%02x"), data[0]);
      return NULL;
    }
  frame->nt = data[1];
  if (data[2] == M4_FRM)
    {
      gsize body_len;
      guint16 crc, want;

      if (len < M4_FULL_HEADER + 3)
        {
          g_set_error (error, LERS_ERROR, LERS_ERROR_INVALID_DATA, _ ("short M4 frame: %lu bytes"),
                       (gulong) len);
          return NULL;
        }
      body_len = data[5] | ((gsize) data[6] << 8);
      if (body_len > M4_MAX_BODY)
        {
          g_set_error (error, LERS_ERROR, LERS_ERROR_INVALID_DATA,
                       _ ("M4 frame too long: %lu bytes of body"), (gulong) body_len);
          return NULL;
        }
      if (len != M4_FULL_HEADER + body_len + 2 || body_len == 0)
        {
          g_set_error (error, LERS_ERROR, LERS_ERROR_INVALID_DATA,
                       _ ("M4 frame of %lu bytes announces %lu bytes of body"), (gulong) len,
                       (gulong) body_len);
          return NULL;
        }
      crc = m4_crc16 (data + 1, len - 3);
      want = (guint16) ((data[len - 2] << 8) | data[len - 1]);
      if (crc != want)
        {
          g_set_error (error, LERS_ERROR, LERS_ERROR_CHECKSUM,
                       _ ("M4 frame CRC is 0x%04x, computed 0x%04x"), want, crc);
          return NULL;
        }
      frame->full = TRUE;
      frame->id = data[3];
      frame->atr = data[4];
      frame->body = g_bytes_new (data + M4_FULL_HEADER, body_len);
      return g_steal_pointer (&frame);
    }
  if (data[len - 1] != M4_EF)
    {
      g_set_error (error, LERS_ERROR, LERS_ERROR_INVALID_DATA,
                   _ ("a short M4 frame ends with 0x16, not 0x%02x"), data[len - 1]);
      return NULL;
    }
  if (m4_short_checksum (data + 1, len - 3) != data[len - 2])
    {
      g_set_error (error, LERS_ERROR, LERS_ERROR_CHECKSUM,
                   _ ("short M4 frame checksum is 0x%02x, computed 0x%02x"), data[len - 2],
                   m4_short_checksum (data + 1, len - 3));
      return NULL;
    }
  frame->body = g_bytes_new (data + 2, len - 4);
  return g_steal_pointer (&frame);
}

/* An answer to our request @fnc from @nt: an error reply (21 code) or another
 * function is a GError. */
gboolean
m4_frame_check_reply (const M4Frame *frame, guint8 nt, guint8 fnc, GError **error)
{
  gsize n = 0;
  const guint8 *body = g_bytes_get_data (frame->body, &n);

  if (frame->nt != nt)
    {
      g_set_error (error, LERS_ERROR, LERS_ERROR_INVALID_DATA,
                   _ ("an answer from address %u, not %u"), frame->nt, nt);
      return FALSE;
    }
  if (n >= 1 && body[0] == M4_FNC_ERROR)
    {
      guint code = n >= 2 ? body[1] : 0xFF;

      switch (code)
        {
        case 0x00:
          g_set_error (error, LERS_ERROR, LERS_ERROR_INVALID_ARGUMENT,
                       _ ("the meter refused the request: bad request structure (error 0)"));
          break;
        case 0x01:
          g_set_error (error, LERS_ERROR, LERS_ERROR_PERMISSION_DENIED,
                       _ ("the meter refused the request: write-protected (error 1)"));
          break;
        case 0x02:
          g_set_error (error, LERS_ERROR, LERS_ERROR_NOT_SUPPORTED,
                       _ ("the meter refused the request: invalid parameter values (error 2)"));
          break;
        default:
          g_set_error (error, LERS_ERROR, LERS_ERROR_FAILED,
                       _ ("the meter refused the request: error %u"), code);
          break;
        }
      return FALSE;
    }
  if (n < 1 || body[0] != fnc)
    {
      g_set_error (error, LERS_ERROR, LERS_ERROR_INVALID_DATA,
                   _ ("expected an answer with function 0x%02x, got 0x%02x"), fnc,
                   n >= 1 ? body[0] : 0);
      return FALSE;
    }
  return TRUE;
}

/* "10 FF 90 …" (spaces, newlines, '#' comments) → bytes */
GBytes *
m4_hex_parse (const gchar *text, GError **error)
{
  g_autoptr (GByteArray) out = g_byte_array_new ();
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
      if (g_ascii_isspace (*p))
        continue;
      v = g_ascii_xdigit_value (*p);
      if (v < 0)
        {
          g_set_error (error, LERS_ERROR, LERS_ERROR_INVALID_DATA, _ ("not a hex digit: '%c'"), *p);
          return NULL;
        }
      if (hi < 0)
        hi = v;
      else
        {
          guint8 b = (guint8) (hi << 4 | v);
          g_byte_array_append (out, &b, 1);
          hi = -1;
        }
    }
  if (hi >= 0)
    {
      g_set_error_literal (error, LERS_ERROR, LERS_ERROR_INVALID_DATA,
                           _ ("an odd number of hex digits"));
      return NULL;
    }
  return g_byte_array_free_to_bytes (g_steal_pointer (&out));
}
