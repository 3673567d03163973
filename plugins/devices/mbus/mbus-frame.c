/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * M-Bus link layer (EN 13757-2): the single character, short, control and
 * long frames, their checksums, and the requests a master sends.
 */
#include <string.h>

#include "mbus-frame.h"

#include <glib/gi18n-lib.h>

#define MBUS_START_SHORT 0x10
#define MBUS_START_LONG 0x68
#define MBUS_STOP 0x16
#define MBUS_ACK 0xE5

/**
 * mbus_frame_free:
 * @self: (transfer full): a #MbusFrame
 *
 * Frees @self and its data.
 *
 * Since: 0.1
 */
void
mbus_frame_free (MbusFrame *self)
{
  if (self == NULL)
    return;
  g_clear_pointer (&self->data, g_bytes_unref);
  g_free (self);
}

/**
 * mbus_frame_scan:
 * @buf: (array length=len): bytes received so far
 * @len: their count
 * @error: return location for a #GError
 *
 * Finds how long the frame at the start of @buf is, without checking it.
 *
 * Returns: the length of the complete frame at the start of @buf, 0 if more
 *   bytes are needed, or -1 with @error set if @buf cannot start a frame
 *
 * Since: 0.1
 */
gssize
mbus_frame_scan (const guint8 *buf, gsize len, GError **error)
{
  LersByteReader reader;
  guint8 start = 0;
  guint8 l1 = 0;

  if (len == 0)
    return 0;
  lers_byte_reader_init (&reader, buf, len);
  if (!lers_byte_reader_read_u8 (&reader, &start, error))
    return -1;
  switch (start)
    {
    case MBUS_ACK:
      return 1;
    case MBUS_START_SHORT:
      return len >= 5 ? 5 : 0;
    case MBUS_START_LONG:
      if (len < 4)
        return 0;
      if (!lers_byte_reader_read_u8 (&reader, &l1, error))
        return -1;
      return len >= (gsize) l1 + 6 ? (gssize) l1 + 6 : 0;
    default:
      g_set_error (error, LERS_ERROR, LERS_ERROR_INVALID_DATA,
                   _ ("0x%02x cannot start an M-Bus frame"), start);
      return -1;
    }
}

static gboolean
mbus_frame_check_stop (LersByteReader *reader, GError **error)
{
  guint8 stop = 0;

  if (!lers_byte_reader_read_u8 (reader, &stop, error))
    return FALSE;
  if (stop != MBUS_STOP)
    {
      g_set_error (error, LERS_ERROR, LERS_ERROR_INVALID_DATA, _ ("stop byte is 0x%02x, not 0x16"),
                   stop);
      return FALSE;
    }
  if (lers_byte_reader_get_remaining (reader) != 0)
    {
      g_set_error (error, LERS_ERROR, LERS_ERROR_INVALID_DATA, _ ("%zu bytes after the stop byte"),
                   lers_byte_reader_get_remaining (reader));
      return FALSE;
    }
  return TRUE;
}

static gboolean
mbus_frame_check_sum (guint8 expected, guint8 sum, GError **error)
{
  if (expected != sum)
    {
      g_set_error (error, LERS_ERROR, LERS_ERROR_CHECKSUM,
                   _ ("checksum is 0x%02x, frame says 0x%02x"), sum, expected);
      return FALSE;
    }
  return TRUE;
}

static MbusFrame *
mbus_frame_parse_short (LersByteReader *reader, GError **error)
{
  g_autoptr (MbusFrame) self = g_new0 (MbusFrame, 1);
  guint8 cs = 0;

  self->kind = MBUS_FRAME_KIND_SHORT;
  if (lers_byte_reader_get_remaining (reader) != 4)
    {
      g_set_error (error, LERS_ERROR, LERS_ERROR_INVALID_DATA,
                   _ ("a short frame is 5 bytes, not %zu"),
                   lers_byte_reader_get_remaining (reader) + 1);
      return NULL;
    }
  if (!lers_byte_reader_read_u8 (reader, &self->c, error)
      || !lers_byte_reader_read_u8 (reader, &self->a, error)
      || !lers_byte_reader_read_u8 (reader, &cs, error))
    return NULL;
  if (!mbus_frame_check_stop (reader, error))
    return NULL;
  if (!mbus_frame_check_sum (cs, (guint8) (self->c + self->a), error))
    return NULL;
  return g_steal_pointer (&self);
}

static MbusFrame *
mbus_frame_parse_long (LersByteReader *reader, GError **error)
{
  g_autoptr (MbusFrame) self = g_new0 (MbusFrame, 1);
  guint8 l1 = 0, l2 = 0, start2 = 0, cs = 0;
  const guint8 *data = NULL;
  gsize n_data;
  guint8 sum;

  if (!lers_byte_reader_read_u8 (reader, &l1, error)
      || !lers_byte_reader_read_u8 (reader, &l2, error)
      || !lers_byte_reader_read_u8 (reader, &start2, error))
    {
      g_prefix_error (error, _ ("truncated long frame header: "));
      return NULL;
    }
  if (start2 != MBUS_START_LONG)
    {
      g_set_error (error, LERS_ERROR, LERS_ERROR_INVALID_DATA,
                   _ ("second start byte is 0x%02x, not 0x68"), start2);
      return NULL;
    }
  if (l1 != l2)
    {
      g_set_error (error, LERS_ERROR, LERS_ERROR_INVALID_DATA,
                   _ ("the two length fields differ (%u, %u)"), l1, l2);
      return NULL;
    }
  if (l1 < 3)
    {
      g_set_error (error, LERS_ERROR, LERS_ERROR_INVALID_DATA,
                   _ ("length field %u is below the minimum of 3"), l1);
      return NULL;
    }
  if (lers_byte_reader_get_remaining (reader) != (gsize) l1 + 2)
    {
      g_set_error (error, LERS_ERROR, LERS_ERROR_INVALID_DATA,
                   _ ("length field says %u bytes of C..data, the frame has %zd"), l1,
                   (gssize) lers_byte_reader_get_remaining (reader) - 2);
      return NULL;
    }
  if (!lers_byte_reader_read_u8 (reader, &self->c, error)
      || !lers_byte_reader_read_u8 (reader, &self->a, error)
      || !lers_byte_reader_read_u8 (reader, &self->ci, error))
    return NULL;
  n_data = (gsize) l1 - 3;
  if (!lers_byte_reader_read_bytes (reader, n_data, &data, error)
      || !lers_byte_reader_read_u8 (reader, &cs, error))
    return NULL;
  if (!mbus_frame_check_stop (reader, error))
    return NULL;
  sum = (guint8) (self->c + self->a + self->ci);
  for (gsize i = 0; i < n_data; i++)
    sum = (guint8) (sum + data[i]);
  if (!mbus_frame_check_sum (cs, sum, error))
    return NULL;
  self->kind = l1 == 3 ? MBUS_FRAME_KIND_CONTROL : MBUS_FRAME_KIND_LONG;
  self->data = g_bytes_new (data, n_data);
  return g_steal_pointer (&self);
}

/**
 * mbus_frame_parse:
 * @buf: (array length=len): exactly one frame
 * @len: its length
 * @error: return location for a #GError
 *
 * Checks and splits one link-layer frame. A wrong checksum gives
 * %LERS_ERROR_CHECKSUM; every other fault (length, start or stop byte,
 * trailing bytes) gives %LERS_ERROR_INVALID_DATA.
 *
 * Returns: (transfer full): the frame, or %NULL
 *
 * Since: 0.1
 */
MbusFrame *
mbus_frame_parse (const guint8 *buf, gsize len, GError **error)
{
  LersByteReader reader;
  guint8 start = 0;

  lers_byte_reader_init (&reader, buf, len);
  if (!lers_byte_reader_read_u8 (&reader, &start, error))
    {
      g_prefix_error (error, _ ("empty frame: "));
      return NULL;
    }
  switch (start)
    {
    case MBUS_ACK:
      {
        g_autoptr (MbusFrame) self = NULL;
        if (len != 1)
          {
            g_set_error (error, LERS_ERROR, LERS_ERROR_INVALID_DATA, _ ("%zu bytes after an ACK"),
                         len - 1);
            return NULL;
          }
        self = g_new0 (MbusFrame, 1);
        self->kind = MBUS_FRAME_KIND_ACK;
        return g_steal_pointer (&self);
      }
    case MBUS_START_SHORT:
      return mbus_frame_parse_short (&reader, error);
    case MBUS_START_LONG:
      return mbus_frame_parse_long (&reader, error);
    default:
      g_set_error (error, LERS_ERROR, LERS_ERROR_INVALID_DATA,
                   _ ("0x%02x cannot start an M-Bus frame"), start);
      return NULL;
    }
}

/**
 * mbus_frame_build_ack:
 *
 * Returns: (transfer full): the single character `E5`
 *
 * Since: 0.1
 */
GBytes *
mbus_frame_build_ack (void)
{
  static const guint8 ack[] = { MBUS_ACK };
  return g_bytes_new_static (ack, sizeof ack);
}

/**
 * mbus_frame_build_short:
 * @c: control field
 * @a: address field
 *
 * Returns: (transfer full): `10 C A CS 16`
 *
 * Since: 0.1
 */
GBytes *
mbus_frame_build_short (guint8 c, guint8 a)
{
  guint8 buf[5] = { MBUS_START_SHORT, c, a, (guint8) (c + a), MBUS_STOP };
  return g_bytes_new (buf, sizeof buf);
}

/**
 * mbus_frame_build_long:
 * @c: control field
 * @a: address field
 * @ci: control-information field
 * @data: (array length=len) (nullable): user data
 * @len: its length, at most 252
 *
 * Returns: (transfer full): `68 L L 68 C A CI data CS 16`
 *
 * Since: 0.1
 */
GBytes *
mbus_frame_build_long (guint8 c, guint8 a, guint8 ci, const guint8 *data, gsize len)
{
  GByteArray *buf;
  guint8 head[7]
      = { MBUS_START_LONG, (guint8) (len + 3), (guint8) (len + 3), MBUS_START_LONG, c, a, ci };
  guint8 tail[2] = { 0, MBUS_STOP };
  guint8 sum = (guint8) (c + a + ci);

  g_return_val_if_fail (len <= 252, NULL);
  for (gsize i = 0; i < len; i++)
    sum = (guint8) (sum + data[i]);
  tail[0] = sum;
  buf = g_byte_array_sized_new ((guint) len + 9);
  g_byte_array_append (buf, head, sizeof head);
  if (len > 0)
    g_byte_array_append (buf, data, (guint) len);
  g_byte_array_append (buf, tail, sizeof tail);
  return g_byte_array_free_to_bytes (buf);
}

/**
 * mbus_frame_build_snd_nke:
 * @a: address field
 *
 * Returns: (transfer full): SND_NKE, the link reset that also clears the FCB
 *
 * Since: 0.1
 */
GBytes *
mbus_frame_build_snd_nke (guint8 a)
{
  return mbus_frame_build_short (MBUS_C_SND_NKE, a);
}

/**
 * mbus_frame_build_req_ud2:
 * @a: address field
 * @fcb: the frame count bit; toggle it to ask for the next telegram
 *
 * Returns: (transfer full): REQ_UD2 (`5B` or `7B`)
 *
 * Since: 0.1
 */
GBytes *
mbus_frame_build_req_ud2 (guint8 a, gboolean fcb)
{
  return mbus_frame_build_short (MBUS_C_REQ_UD2 | (fcb ? MBUS_C_FCB : 0), a);
}

/**
 * mbus_frame_build_select:
 * @secondary_id: 8 decimal digits
 *
 * Builds SND_UD to address 253 with CI 52: select the slave whose
 * identification number is @secondary_id, any manufacturer, version and
 * medium (wildcards `FF`).
 *
 * Returns: (transfer full) (nullable): the frame, or %NULL if @secondary_id
 *   is not 8 digits
 *
 * Since: 0.1
 */
GBytes *
mbus_frame_build_select (const gchar *secondary_id)
{
  guint8 data[8] = { 0, 0, 0, 0, 0xFF, 0xFF, 0xFF, 0xFF };

  if (secondary_id == NULL || strlen (secondary_id) != 8)
    return NULL;
  for (guint i = 0; i < 8; i++)
    if (!g_ascii_isdigit (secondary_id[i]))
      return NULL;
  /* BCD, least significant byte first */
  for (guint i = 0; i < 4; i++)
    {
      guint hi = (guint) (secondary_id[6 - 2 * i] - '0');
      guint lo = (guint) (secondary_id[7 - 2 * i] - '0');
      data[i] = (guint8) ((hi << 4) | lo);
    }
  return mbus_frame_build_long (MBUS_C_SND_UD, MBUS_ADDRESS_NETWORK_LAYER, MBUS_CI_SELECT, data,
                                sizeof data);
}

/**
 * mbus_frame_build_select_mask:
 * @mask: a secondary address: 16 hex digits, identification number (8,
 *   `F` for any digit), manufacturer (4: its two bytes in frame order),
 *   version (2), medium (2), `F`
 *   wildcards anywhere; or 8 decimal digits for any manufacturer, version
 *   and medium
 *
 * Builds SND_UD to address 253 with CI 52 that selects the slaves matching
 * @mask.
 *
 * Returns: (transfer full) (nullable): the frame, or %NULL if @mask is
 *   malformed
 *
 * Since: 0.3
 */
GBytes *
mbus_frame_build_select_mask (const gchar *mask)
{
  guint8 data[8] = { 0, 0, 0, 0, 0xFF, 0xFF, 0xFF, 0xFF };
  gchar full[17];
  gsize n = mask != NULL ? strlen (mask) : 0;

  if (n == 8)
    {
      memcpy (full, mask, 8);
      memcpy (full + 8, "FFFFFFFF", 8);
    }
  else if (n == 16)
    memcpy (full, mask, 16);
  else
    return NULL;
  full[16] = '\0';
  for (guint i = 0; i < 16; i++)
    {
      gchar c = g_ascii_toupper (full[i]);
      if (!g_ascii_isxdigit (c) || (i < 8 && !g_ascii_isdigit (c) && c != 'F'))
        return NULL;
      full[i] = c;
    }
  /* identification: BCD, least significant byte first */
  for (guint i = 0; i < 4; i++)
    data[i] = (guint8) ((g_ascii_xdigit_value (full[6 - 2 * i]) << 4)
                        | g_ascii_xdigit_value (full[7 - 2 * i]));
  /* manufacturer (its two bytes in frame order, as libmbus writes
   * secondary addresses: "LRS" = 0x3253 is "5332"), version, medium */
  data[4] = (guint8) ((g_ascii_xdigit_value (full[8]) << 4) | g_ascii_xdigit_value (full[9]));
  data[5] = (guint8) ((g_ascii_xdigit_value (full[10]) << 4) | g_ascii_xdigit_value (full[11]));
  data[6] = (guint8) ((g_ascii_xdigit_value (full[12]) << 4) | g_ascii_xdigit_value (full[13]));
  data[7] = (guint8) ((g_ascii_xdigit_value (full[14]) << 4) | g_ascii_xdigit_value (full[15]));
  return mbus_frame_build_long (MBUS_C_SND_UD, MBUS_ADDRESS_NETWORK_LAYER, MBUS_CI_SELECT, data,
                                sizeof data);
}

/**
 * mbus_hex_to_bytes:
 * @text: hex byte pairs, whitespace anywhere
 * @error: return location for a #GError
 *
 * Reads the `.hex` files of the conformance folder and of our recorded
 * sessions: whitespace is skipped, the rest must be pairs of hex digits.
 *
 * Returns: (transfer full): the bytes, or %NULL
 *
 * Since: 0.1
 */
GBytes *
mbus_hex_to_bytes (const gchar *text, GError **error)
{
  g_autoptr (GByteArray) buf = g_byte_array_new ();
  gint hi = -1;

  for (const gchar *p = text; *p != '\0'; p++)
    {
      gint v;
      if (g_ascii_isspace (*p))
        continue;
      v = g_ascii_xdigit_value (*p);
      if (v < 0)
        {
          g_set_error (error, LERS_ERROR, LERS_ERROR_INVALID_DATA, _ ("'%c' is not a hex digit"),
                       *p);
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
      g_set_error_literal (error, LERS_ERROR, LERS_ERROR_INVALID_DATA,
                           _ ("odd number of hex digits"));
      return NULL;
    }
  return g_byte_array_free_to_bytes (g_steal_pointer (&buf));
}
