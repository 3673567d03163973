/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "config.h"

#include "lers-error.h"
#include "protocol/lers-byte-reader.h"

/**
 * lers_byte_reader_init:
 * @self: a #LersByteReader
 * @data: (array length=len): the bytes
 * @len: their count
 *
 * Points the reader at the start of @data. The reader does not copy or own it.
 *
 * Since: 0.1
 */
void
lers_byte_reader_init (LersByteReader *self, const guint8 *data, gsize len)
{
  g_return_if_fail (self != NULL);
  g_return_if_fail (data != NULL || len == 0);
  self->data = data;
  self->len = len;
  self->pos = 0;
}

/**
 * lers_byte_reader_get_remaining:
 * @self: a #LersByteReader
 *
 * Returns: the number of bytes not yet read
 *
 * Since: 0.1
 */
gsize
lers_byte_reader_get_remaining (const LersByteReader *self)
{
  return self->len - self->pos;
}

static gboolean
lers_byte_reader_check (const LersByteReader *self, gsize n_bytes, GError **error)
{
  if (n_bytes > self->len - self->pos)
    {
      g_set_error (error, LERS_ERROR, LERS_ERROR_INVALID_DATA,
                   "need %" G_GSIZE_FORMAT " bytes at offset %" G_GSIZE_FORMAT
                   " but only %" G_GSIZE_FORMAT " remain",
                   n_bytes, self->pos, self->len - self->pos);
      return FALSE;
    }
  return TRUE;
}

/**
 * lers_byte_reader_peek_u8:
 * @self: a #LersByteReader
 * @value: (out): the next byte, left unread
 * @error: return location for a #GError
 *
 * Returns: %TRUE if a byte remained
 *
 * Since: 0.1
 */
gboolean
lers_byte_reader_peek_u8 (const LersByteReader *self, guint8 *value, GError **error)
{
  if (!lers_byte_reader_check (self, 1, error))
    return FALSE;
  *value = self->data[self->pos];
  return TRUE;
}

/**
 * lers_byte_reader_read_u8:
 * @self: a #LersByteReader
 * @value: (out): the byte
 * @error: return location for a #GError
 *
 * Returns: %TRUE if a byte remained
 *
 * Since: 0.1
 */
gboolean
lers_byte_reader_read_u8 (LersByteReader *self, guint8 *value, GError **error)
{
  if (!lers_byte_reader_peek_u8 (self, value, error))
    return FALSE;
  self->pos++;
  return TRUE;
}

/**
 * lers_byte_reader_read_uint_le:
 * @self: a #LersByteReader
 * @n_bytes: 1 to 8
 * @value: (out): the unsigned integer, least significant byte first on the wire
 * @error: return location for a #GError
 *
 * Returns: %TRUE if @n_bytes remained
 *
 * Since: 0.1
 */
gboolean
lers_byte_reader_read_uint_le (LersByteReader *self, guint n_bytes, guint64 *value, GError **error)
{
  guint64 v = 0;

  g_return_val_if_fail (n_bytes >= 1 && n_bytes <= 8, FALSE);
  if (!lers_byte_reader_check (self, n_bytes, error))
    return FALSE;
  for (guint i = 0; i < n_bytes; i++)
    v |= ((guint64) self->data[self->pos + i]) << (8 * i);
  self->pos += n_bytes;
  *value = v;
  return TRUE;
}

static gboolean
lers_byte_reader_read_uint_be (LersByteReader *self, guint n_bytes, guint64 *value, GError **error)
{
  guint64 v = 0;

  if (!lers_byte_reader_check (self, n_bytes, error))
    return FALSE;
  for (guint i = 0; i < n_bytes; i++)
    v = (v << 8) | self->data[self->pos + i];
  self->pos += n_bytes;
  *value = v;
  return TRUE;
}

/**
 * lers_byte_reader_read_u16_le:
 * @self: a #LersByteReader
 * @value: (out): the value
 * @error: return location for a #GError
 *
 * Returns: %TRUE if two bytes remained
 *
 * Since: 0.1
 */
gboolean
lers_byte_reader_read_u16_le (LersByteReader *self, guint16 *value, GError **error)
{
  guint64 v;
  if (!lers_byte_reader_read_uint_le (self, 2, &v, error))
    return FALSE;
  *value = (guint16) v;
  return TRUE;
}

/**
 * lers_byte_reader_read_u16_be:
 * @self: a #LersByteReader
 * @value: (out): the value
 * @error: return location for a #GError
 *
 * Returns: %TRUE if two bytes remained
 *
 * Since: 0.1
 */
gboolean
lers_byte_reader_read_u16_be (LersByteReader *self, guint16 *value, GError **error)
{
  guint64 v;
  if (!lers_byte_reader_read_uint_be (self, 2, &v, error))
    return FALSE;
  *value = (guint16) v;
  return TRUE;
}

/**
 * lers_byte_reader_read_u32_le:
 * @self: a #LersByteReader
 * @value: (out): the value
 * @error: return location for a #GError
 *
 * Returns: %TRUE if four bytes remained
 *
 * Since: 0.1
 */
gboolean
lers_byte_reader_read_u32_le (LersByteReader *self, guint32 *value, GError **error)
{
  guint64 v;
  if (!lers_byte_reader_read_uint_le (self, 4, &v, error))
    return FALSE;
  *value = (guint32) v;
  return TRUE;
}

/**
 * lers_byte_reader_read_u32_be:
 * @self: a #LersByteReader
 * @value: (out): the value
 * @error: return location for a #GError
 *
 * Returns: %TRUE if four bytes remained
 *
 * Since: 0.1
 */
gboolean
lers_byte_reader_read_u32_be (LersByteReader *self, guint32 *value, GError **error)
{
  guint64 v;
  if (!lers_byte_reader_read_uint_be (self, 4, &v, error))
    return FALSE;
  *value = (guint32) v;
  return TRUE;
}

/**
 * lers_byte_reader_read_bytes:
 * @self: a #LersByteReader
 * @n_bytes: how many
 * @bytes: (out) (transfer none) (array length=n_bytes): where they start, inside the reader's data
 * @error: return location for a #GError
 *
 * Returns: %TRUE if @n_bytes remained
 *
 * Since: 0.1
 */
gboolean
lers_byte_reader_read_bytes (LersByteReader *self, gsize n_bytes, const guint8 **bytes,
                             GError **error)
{
  if (!lers_byte_reader_check (self, n_bytes, error))
    return FALSE;
  *bytes = self->data + self->pos;
  self->pos += n_bytes;
  return TRUE;
}

/**
 * lers_byte_reader_skip:
 * @self: a #LersByteReader
 * @n_bytes: how many
 * @error: return location for a #GError
 *
 * Returns: %TRUE if @n_bytes remained
 *
 * Since: 0.1
 */
gboolean
lers_byte_reader_skip (LersByteReader *self, gsize n_bytes, GError **error)
{
  if (!lers_byte_reader_check (self, n_bytes, error))
    return FALSE;
  self->pos += n_bytes;
  return TRUE;
}
