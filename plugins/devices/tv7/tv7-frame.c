/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * ТВ7 framing. Requests of function 0x48 (the vendor's memory-block
 * function, laid out like Modbus function 0x17 "read/write registers"):
 *
 *   addr 48 RS(2) RC(2) WS(2) WC(2) BC(2) ID(2) [BC bytes to write] CRC(2)
 *
 * RS/RC: the block to read (start address, 16-bit words); WS/WC/BC: the
 * block to write (address, words, bytes); ID: a request number. Numbers
 * are big-endian, the CRC (CRC-16/MODBUS) low byte first.
 *
 * Replies: addr 48 BC(2) ID(2) [BC bytes] CRC(2); an error or "no record"
 * is addr C8 CODE CRC(2), five bytes.
 */
#include <math.h>
#include <string.h>

#include "tv7-frame.h"

#include <glib/gi18n-lib.h>

void
tv7_frame_free (Tv7Frame *frame)
{
  if (frame == NULL)
    return;
  g_clear_pointer (&frame->data, g_bytes_unref);
  g_free (frame);
}

/* CRC-16/MODBUS: reflected polynomial 0xA001, initial 0xFFFF */
guint16
tv7_crc16 (const guint8 *data, gsize len)
{
  guint16 crc = 0xFFFF;

  for (gsize i = 0; i < len; i++)
    {
      crc ^= data[i];
      for (guint b = 0; b < 8; b++)
        crc = (crc & 1) ? (guint16) ((crc >> 1) ^ 0xA001) : (guint16) (crc >> 1);
    }
  return crc;
}

static void
put_be16 (GByteArray *buf, guint16 v)
{
  guint8 b[2] = { (guint8) (v >> 8), (guint8) v };
  g_byte_array_append (buf, b, 2);
}

static GBytes *
finish_frame (GByteArray *buf)
{
  guint16 crc = tv7_crc16 (buf->data, buf->len);
  guint8 b[2] = { (guint8) crc, (guint8) (crc >> 8) };

  g_byte_array_append (buf, b, 2);
  return g_byte_array_free_to_bytes (buf);
}

static GByteArray *
request_header (guint8 address, guint16 rs, guint16 rc, guint16 ws, guint16 wc, guint16 bc,
                guint16 id)
{
  GByteArray *buf = g_byte_array_sized_new (TV7_REQUEST_HEADER + bc + 2);
  guint8 head[2] = { address, TV7_FN_BLOCK };

  g_byte_array_append (buf, head, 2);
  put_be16 (buf, rs);
  put_be16 (buf, rc);
  put_be16 (buf, ws);
  put_be16 (buf, wc);
  put_be16 (buf, bc);
  put_be16 (buf, id);
  return buf;
}

/* read @words 16-bit words from @start */
GBytes *
tv7_request_read (guint8 address, guint16 start, guint16 words, guint16 request_id)
{
  return finish_frame (request_header (address, start, words, 0, 0, 0, request_id));
}

/* choose the archive record to read at 0x1B88: MM DD hh YY, then the
 * archive type in the low byte of the fourth word */
GBytes *
tv7_request_archive (guint8 address, Tv7ArchiveType type, guint month, guint day, guint hour,
                     guint year, guint16 request_id)
{
  GByteArray *buf = request_header (address, 0, 0, TV7_ADDR_ARCHIVE_REQUEST,
                                    TV7_WORDS_ARCHIVE_REQUEST, 12, request_id);
  guint8 data[12] = { 0 };

  data[0] = (guint8) month;
  data[1] = (guint8) day;
  data[2] = (guint8) hour;
  data[3] = (guint8) year;
  data[7] = (guint8) type;
  g_byte_array_append (buf, data, sizeof data);
  return finish_frame (buf);
}

GBytes *
tv7_reply_new (guint8 address, guint16 request_id, const guint8 *data, gsize len)
{
  GByteArray *buf = g_byte_array_sized_new (TV7_REPLY_HEADER + len + 2);
  guint8 head[2] = { address, TV7_FN_BLOCK };

  g_byte_array_append (buf, head, 2);
  put_be16 (buf, (guint16) len);
  put_be16 (buf, request_id);
  if (len > 0)
    g_byte_array_append (buf, data, (guint) len);
  return finish_frame (buf);
}

GBytes *
tv7_reply_error (guint8 address, guint8 function, guint8 code)
{
  GByteArray *buf = g_byte_array_sized_new (5);
  guint8 head[3] = { address, (guint8) (function | 0x80), code };

  g_byte_array_append (buf, head, 3);
  return finish_frame (buf);
}

/* The #LersFrameScanner of replies: how many bytes the reply at @data
 * takes, 0 for "need more", -1 for a byte that cannot start one. */
gssize
tv7_reply_scan (const guint8 *data, gsize len, gpointer user_data)
{
  gsize need;

  if (len < 2)
    return 0;
  if (data[1] == TV7_FN_BLOCK)
    {
      if (len < 4)
        return 0;
      need = TV7_REPLY_HEADER + ((gsize) data[2] << 8 | data[3]) + 2;
      if (need > TV7_MAX_FRAME)
        return -1;
    }
  else if (data[1] & 0x80)
    need = 5;
  else
    return -1;
  return len >= need ? (gssize) need : 0;
}

/* the answer a 0x48 request wants: RC words (bytes 4–5), ID (bytes 12–13) */
gboolean
tv7_expect_for_request (GBytes *request, Tv7Expect *expect)
{
  gsize n = 0;
  const guint8 *d = g_bytes_get_data (request, &n);

  if (n < TV7_REQUEST_HEADER + 2 || d[1] != TV7_FN_BLOCK)
    return FALSE;
  expect->bytes = 2 * (gsize) (d[4] << 8 | d[5]);
  expect->request_id = (guint16) (d[12] << 8 | d[13]);
  return TRUE;
}

/* The #LersFrameScanner of the answer to one request (@expect: a
 * #Tv7Expect): like tv7_reply_scan(), but an intact 0x48 reply (right CRC)
 * whose byte count or ID is not the request's is a late answer to an
 * earlier request: dropped, and the scanner keeps listening. A reply with
 * a wrong CRC is returned as it is (garbled: the session resends). */
gssize
tv7_reply_scan_expect (const guint8 *data, gsize len, gpointer expect)
{
  const Tv7Expect *e = expect;
  gssize n = tv7_reply_scan (data, len, NULL);
  gsize bc;
  guint16 id;

  if (n <= 0 || e == NULL || data[1] != TV7_FN_BLOCK)
    return n;
  if (tv7_crc16 (data, (gsize) n - 2) != (guint16) (data[n - 2] | data[n - 1] << 8))
    return n;
  bc = (gsize) (data[2] << 8 | data[3]);
  id = (guint16) (data[4] << 8 | data[5]);
  if (bc == e->bytes && id == e->request_id)
    return n;
  g_debug ("dropping a TV7 reply of %u bytes, ID %u: %u bytes, ID %u expected", (guint) bc, id,
           (guint) e->bytes, e->request_id);
  return -n;
}

/* The simulator's scanner of requests: function 0x48, and the standard
 * Modbus functions 03, 04 and 06 (eight bytes) it refuses */
gssize
tv7_request_scan (const guint8 *data, gsize len)
{
  gsize need;

  if (len < 2)
    return 0;
  switch (data[1])
    {
    case TV7_FN_BLOCK:
      if (len < 12)
        return 0;
      need = TV7_REQUEST_HEADER + ((gsize) data[10] << 8 | data[11]) + 2;
      if (need > TV7_MAX_FRAME)
        return -1;
      break;
    case 0x03:
    case 0x04:
    case 0x06:
      need = 8;
      break;
    default:
      return -1;
    }
  return len >= need ? (gssize) need : 0;
}

static gboolean
check_crc (const guint8 *data, gsize len, GError **error)
{
  guint16 want, got;

  if (len < 4)
    {
      g_set_error (error, LERS_ERROR, LERS_ERROR_INVALID_DATA, _ ("TV7 frame too short: %u bytes"),
                   (guint) len);
      return FALSE;
    }
  want = tv7_crc16 (data, len - 2);
  got = (guint16) (data[len - 2] | data[len - 1] << 8);
  if (want != got)
    {
      g_set_error (error, LERS_ERROR, LERS_ERROR_CHECKSUM,
                   _ ("TV7 frame CRC mismatch: 0x%04x in the frame, 0x%04x computed"), got, want);
      return FALSE;
    }
  return TRUE;
}

Tv7Frame *
tv7_reply_parse (const guint8 *data, gsize len, GError **error)
{
  g_autoptr (Tv7Frame) frame = NULL;
  gssize n = tv7_reply_scan (data, len, NULL);

  if (n < 0 && len >= 4 && data[1] == TV7_FN_BLOCK)
    {
      g_set_error (error, LERS_ERROR, LERS_ERROR_INVALID_DATA,
                   _ ("TV7 reply announces %u data bytes, more than a frame of %u bytes holds"),
                   (guint) (data[2] << 8 | data[3]), (guint) TV7_MAX_FRAME);
      return NULL;
    }
  if (n < 0)
    {
      g_set_error (error, LERS_ERROR, LERS_ERROR_INVALID_DATA,
                   _ ("not a TV7 reply: function 0x%02x"), len >= 2 ? data[1] : 0);
      return NULL;
    }
  if (n == 0 || (gsize) n > len)
    {
      g_set_error (error, LERS_ERROR, LERS_ERROR_INVALID_DATA, _ ("TV7 frame too short: %u bytes"),
                   (guint) len);
      return NULL;
    }
  if ((gsize) n != len)
    {
      g_set_error (error, LERS_ERROR, LERS_ERROR_INVALID_DATA,
                   _ ("TV7 reply of %u bytes where its header says %u"), (guint) len, (guint) n);
      return NULL;
    }
  if (!check_crc (data, len, error))
    return NULL;
  frame = g_new0 (Tv7Frame, 1);
  frame->address = data[0];
  frame->function = data[1];
  if (data[1] == TV7_FN_BLOCK)
    {
      frame->request_id = (guint16) (data[4] << 8 | data[5]);
      frame->data = g_bytes_new (data + TV7_REPLY_HEADER, len - TV7_REPLY_HEADER - 2);
    }
  else
    {
      frame->error_code = data[2];
      frame->data = g_bytes_new (NULL, 0);
    }
  return g_steal_pointer (&frame);
}

Tv7Frame *
tv7_request_parse (const guint8 *data, gsize len, GError **error)
{
  g_autoptr (Tv7Frame) frame = NULL;
  gssize n = tv7_request_scan (data, len);

  if (n <= 0 || (gsize) n != len)
    {
      g_set_error (error, LERS_ERROR, LERS_ERROR_INVALID_DATA, _ ("not a TV7 request of %u bytes"),
                   (guint) len);
      return NULL;
    }
  if (!check_crc (data, len, error))
    return NULL;
  frame = g_new0 (Tv7Frame, 1);
  frame->address = data[0];
  frame->function = data[1];
  frame->read_start = (guint16) (data[2] << 8 | data[3]);
  frame->read_words = (guint16) (data[4] << 8 | data[5]);
  if (data[1] == TV7_FN_BLOCK)
    {
      frame->write_start = (guint16) (data[6] << 8 | data[7]);
      frame->write_words = (guint16) (data[8] << 8 | data[9]);
      frame->request_id = (guint16) (data[12] << 8 | data[13]);
      frame->data = g_bytes_new (data + TV7_REQUEST_HEADER, len - TV7_REQUEST_HEADER - 2);
    }
  else
    frame->data = g_bytes_new (NULL, 0);
  return g_steal_pointer (&frame);
}

/* a float as C D A B: the low word first, each word big-endian */
gdouble
tv7_get_float (const guint8 *p)
{
  guint32 u = (guint32) p[2] << 24 | (guint32) p[3] << 16 | (guint32) p[0] << 8 | p[1];
  gfloat f;

  memcpy (&f, &u, sizeof f);
  return f;
}

/* a double as four big-endian words, the lowest first */
gdouble
tv7_get_double (const guint8 *p)
{
  guint64 u = 0;
  gdouble d;

  for (gint w = 3; w >= 0; w--)
    u = u << 16 | (guint64) p[2 * w] << 8 | p[2 * w + 1];
  memcpy (&d, &u, sizeof d);
  return d;
}

guint16
tv7_get_u16 (const guint8 *p)
{
  return (guint16) (p[0] << 8 | p[1]);
}

void
tv7_put_float (guint8 *p, gdouble value)
{
  gfloat f = (gfloat) value;
  guint32 u;

  memcpy (&u, &f, sizeof u);
  p[0] = (guint8) (u >> 8);
  p[1] = (guint8) u;
  p[2] = (guint8) (u >> 24);
  p[3] = (guint8) (u >> 16);
}

void
tv7_put_double (guint8 *p, gdouble value)
{
  guint64 u;

  memcpy (&u, &value, sizeof u);
  for (guint w = 0; w < 4; w++)
    {
      guint16 word = (guint16) (u >> (16 * w));
      p[2 * w] = (guint8) (word >> 8);
      p[2 * w + 1] = (guint8) word;
    }
}

void
tv7_put_u16 (guint8 *p, guint16 value)
{
  p[0] = (guint8) (value >> 8);
  p[1] = (guint8) value;
}

gboolean
tv7_looks_like_hex (const guint8 *data, gsize len)
{
  for (gsize i = 0; i < len; i++)
    if (!g_ascii_isxdigit (data[i]) && !g_ascii_isspace (data[i]))
      return FALSE;
  return len > 0;
}

/* hex digits, whitespace and `#` comments to the end of a line */
GBytes *
tv7_hex_to_bytes (const gchar *text, GError **error)
{
  g_autoptr (GByteArray) buf = g_byte_array_new ();
  gint hi = -1;

  for (const gchar *p = text; *p != '\0'; p++)
    {
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
      if (!g_ascii_isxdigit (*p))
        {
          g_set_error (error, LERS_ERROR, LERS_ERROR_INVALID_DATA,
                       _ ("not a hex digit in TV7 hex text: '%c'"), *p);
          return NULL;
        }
      if (hi < 0)
        hi = g_ascii_xdigit_value (*p);
      else
        {
          guint8 b = (guint8) (hi << 4 | g_ascii_xdigit_value (*p));
          g_byte_array_append (buf, &b, 1);
          hi = -1;
        }
    }
  if (hi >= 0)
    {
      g_set_error (error, LERS_ERROR, LERS_ERROR_INVALID_DATA,
                   _ ("an odd number of hex digits in TV7 hex text"));
      return NULL;
    }
  return g_byte_array_free_to_bytes (g_steal_pointer (&buf));
}
