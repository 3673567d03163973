/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * ВКТ-7 framing: Modbus-RTU-like frames with CRC-16/MODBUS, low byte
 * first ("Реализация протокола обмена для связи с вычислителем ВКТ-7",
 * §2, §3, appendix A). The start address and the register count are sent
 * high byte first; every other multi-byte field low byte first (§2.1).
 *
 *   read request   A 03 RH RL CH CL crcL crcH              (8 bytes)
 *   read reply     A 03 N data[N] crcL crcH
 *   write request  A 10 RH RL CH CL N data[N] crcL crcH
 *   write reply    A 10 RH RL CH CL crcL crcH              (8 bytes)
 *   exception      A 83|90 code service crcL crcH          (6 bytes)
 *
 * Requests go out after two FF wake-up bytes (§2, the note); the meter's
 * address is 0–240, so an FF never starts a frame.
 */
#include "vkt7-frame.h"

#include <string.h>

#include <lers.h>

#include <glib/gi18n-lib.h>

guint16
vkt7_crc16 (const guint8 *data, gsize len)
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

static GBytes *
finish_frame (GByteArray *f)
{
  guint16 crc = vkt7_crc16 (f->data, f->len);
  guint8 c[2] = { crc & 0xFF, crc >> 8 };

  g_byte_array_append (f, c, 2);
  return g_byte_array_free_to_bytes (f);
}

GBytes *
vkt7_build_read (guint8 address, guint16 reg, guint16 count)
{
  GByteArray *f = g_byte_array_new ();
  guint8 h[6] = { address, VKT7_FN_READ, reg >> 8, reg & 0xFF, count >> 8, count & 0xFF };

  g_byte_array_append (f, h, sizeof h);
  return finish_frame (f);
}

/* a write whose byte-count field says @byte_count, which §2.1 allows to
 * differ from @len (the session start sends CC for 4 bytes) */
GBytes *
vkt7_build_write_n (guint8 address, guint16 reg, guint8 byte_count, const guint8 *data, gsize len)
{
  GByteArray *f = g_byte_array_new ();
  guint8 h[7] = { address, VKT7_FN_WRITE, reg >> 8, reg & 0xFF, 0, 0, byte_count };

  g_byte_array_append (f, h, sizeof h);
  if (len > 0)
    g_byte_array_append (f, data, (guint) len);
  return finish_frame (f);
}

GBytes *
vkt7_build_write (guint8 address, guint16 reg, const guint8 *data, gsize len)
{
  return vkt7_build_write_n (address, reg, (guint8) len, data, len);
}

GBytes *
vkt7_build_reply (guint8 address, guint8 function, const guint8 *data, gsize len)
{
  GByteArray *f = g_byte_array_new ();
  guint8 h[3] = { address, function, (guint8) len };

  g_byte_array_append (f, h, sizeof h);
  if (len > 0)
    g_byte_array_append (f, data, (guint) len);
  return finish_frame (f);
}

GBytes *
vkt7_build_exception (guint8 address, guint8 function, guint8 code)
{
  GByteArray *f = g_byte_array_new ();
  guint8 h[4] = { address, function | 0x80, code, 0x00 };

  g_byte_array_append (f, h, sizeof h);
  return finish_frame (f);
}

GBytes *
vkt7_build_write_ack (guint8 address, guint16 reg, guint16 count)
{
  GByteArray *f = g_byte_array_new ();
  guint8 h[6] = { address, VKT7_FN_WRITE, reg >> 8, reg & 0xFF, count >> 8, count & 0xFF };

  g_byte_array_append (f, h, sizeof h);
  return finish_frame (f);
}

GBytes *
vkt7_with_wakeup (GBytes *frame)
{
  GByteArray *f = g_byte_array_new ();
  gsize n = 0;
  const guint8 *p = g_bytes_get_data (frame, &n);
  static const guint8 ff[2] = { 0xFF, 0xFF };

  g_byte_array_append (f, ff, 2);
  g_byte_array_append (f, p, (guint) n);
  return g_byte_array_free_to_bytes (f);
}

/* The reply's length from its first bytes: 0 = more needed, -1 = the
 * first byte cannot start a reply (dropped as line noise) */
gssize
vkt7_scan_reply (const guint8 *data, gsize len)
{
  if (len < 1)
    return 0;
  if (data[0] > 240)
    return -1;
  if (len < 2)
    return 0;
  switch (data[1])
    {
    case VKT7_FN_READ:
      if (len < 3)
        return 0;
      return (gssize) data[2] + 5 <= (gssize) len ? (gssize) data[2] + 5 : 0;
    case VKT7_FN_WRITE:
      return len >= 8 ? 8 : 0;
    case VKT7_FN_READ | 0x80:
    case VKT7_FN_WRITE | 0x80:
      return len >= 6 ? 6 : 0;
    default:
      return -1;
    }
}

gssize
vkt7_scan_request (const guint8 *data, gsize len)
{
  if (len < 1)
    return 0;
  if (data[0] > 240)
    return -1;
  if (len < 2)
    return 0;
  switch (data[1])
    {
    case VKT7_FN_READ:
      return len >= 8 ? 8 : 0;
    case VKT7_FN_WRITE:
      if (len < 7)
        return 0;
      /* the byte count of the session start (CC) is not the data's length
       * (§2.1, §4.7): that request is known by its first data bytes */
      if (data[2] == 0x3F && data[3] == 0xFF && data[6] == 0xCC)
        {
          /* a read-list of 204 bytes starts with an element number
           * (0–82), the session start with 80 */
          if (len < 8)
            return 0;
          if (data[7] == 0x80)
            return len >= 13 ? 13 : 0;
        }
      return (gssize) data[6] + 9 <= (gssize) len ? (gssize) data[6] + 9 : 0;
    default:
      return -1;
    }
}

static gboolean
check_crc (const guint8 *data, gsize len, GError **error)
{
  guint16 crc, got;

  if (len < 4)
    {
      g_set_error (error, LERS_ERROR, LERS_ERROR_INVALID_DATA,
                   _ ("ВКТ-7 frame too short: %u bytes"), (guint) len);
      return FALSE;
    }
  crc = vkt7_crc16 (data, len - 2);
  got = (guint16) (data[len - 2] | (data[len - 1] << 8));
  if (crc != got)
    {
      g_set_error (error, LERS_ERROR, LERS_ERROR_CHECKSUM,
                   _ ("ВКТ-7 frame checksum is %04X, expected %04X"), got, crc);
      return FALSE;
    }
  return TRUE;
}

gboolean
vkt7_parse_reply (const guint8 *data, gsize len, Vkt7Frame *out, GError **error)
{
  gssize n;

  memset (out, 0, sizeof *out);
  if (len > VKT7_MAX_FRAME)
    {
      g_set_error (error, LERS_ERROR, LERS_ERROR_INVALID_DATA, _ ("ВКТ-7 frame too long: %u bytes"),
                   (guint) len);
      return FALSE;
    }
  n = vkt7_scan_reply (data, len);
  if (n < 0)
    {
      g_set_error (error, LERS_ERROR, LERS_ERROR_INVALID_DATA,
                   _ ("Not a ВКТ-7 reply (address %u, function 0x%02X)"), data[0],
                   len > 1 ? data[1] : 0);
      return FALSE;
    }
  if (n == 0 || (gsize) n != len)
    {
      g_set_error (error, LERS_ERROR, LERS_ERROR_INVALID_DATA,
                   _ ("ВКТ-7 reply of %u bytes, its header says %d"), (guint) len, (gint) n);
      return FALSE;
    }
  if (!check_crc (data, len, error))
    return FALSE;
  out->address = data[0];
  out->function = data[1] & 0x7F;
  out->exception = (data[1] & 0x80) != 0;
  if (out->exception)
    out->code = data[2];
  else if (out->function == VKT7_FN_READ)
    {
      out->data = data + 3;
      out->data_len = data[2];
    }
  else
    {
      out->reg = (guint16) (data[2] << 8 | data[3]);
      out->count = (guint16) (data[4] << 8 | data[5]);
    }
  return TRUE;
}

gboolean
vkt7_parse_request (const guint8 *data, gsize len, Vkt7Frame *out, GError **error)
{
  gssize n;

  memset (out, 0, sizeof *out);
  n = vkt7_scan_request (data, len);
  if (n <= 0 || (gsize) n != len)
    {
      g_set_error (error, LERS_ERROR, LERS_ERROR_INVALID_DATA, _ ("Not a ВКТ-7 request"));
      return FALSE;
    }
  if (!check_crc (data, len, error))
    return FALSE;
  out->address = data[0];
  out->function = data[1];
  out->reg = (guint16) (data[2] << 8 | data[3]);
  out->count = (guint16) (data[4] << 8 | data[5]);
  if (out->function == VKT7_FN_WRITE)
    {
      out->data = data + 7;
      out->data_len = len - 9;
    }
  return TRUE;
}

const gchar *
vkt7_exception_text (guint8 code)
{
  switch (code)
    {
    case 2:
      return _ ("no such element or value type");
    case 3:
      return _ ("no archive record for that date");
    case 5:
      return _ ("the measurement scheme changed, or the list is too long");
    case 7:
      return _ ("the discrete outputs are not remotely controlled");
    default:
      return _ ("unknown ВКТ-7 error");
    }
}

/* hex text ("00 03 3F FE", "0x00 0x03", with # comments) to bytes */
GBytes *
vkt7_hex_to_bytes (const gchar *text, GError **error)
{
  g_autoptr (GByteArray) out = g_byte_array_new ();
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
      if (*p == '0' && (p[1] == 'x' || p[1] == 'X') && hi < 0)
        {
          p++;
          continue;
        }
      if (g_ascii_isxdigit (*p))
        {
          gint v = g_ascii_xdigit_value (*p);
          if (hi < 0)
            hi = v;
          else
            {
              guint8 b = (guint8) (hi << 4 | v);
              g_byte_array_append (out, &b, 1);
              hi = -1;
            }
          continue;
        }
      if (g_ascii_isspace (*p) || *p == ',')
        {
          if (hi >= 0)
            {
              g_set_error (error, LERS_ERROR, LERS_ERROR_INVALID_DATA, _ ("Odd hex digit"));
              return NULL;
            }
          continue;
        }
      g_set_error (error, LERS_ERROR, LERS_ERROR_INVALID_DATA, _ ("Not a hex digit: “%c”"), *p);
      return NULL;
    }
  if (hi >= 0)
    {
      g_set_error (error, LERS_ERROR, LERS_ERROR_INVALID_DATA, _ ("Odd hex digit"));
      return NULL;
    }
  return g_byte_array_free_to_bytes (g_steal_pointer (&out));
}
