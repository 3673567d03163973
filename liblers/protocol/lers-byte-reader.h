/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

#if !defined(__LERS_H_INSIDE__) && !defined(LERS_COMPILATION)
#error "Only <lers.h> can be included directly."
#endif

#include <glib.h>

G_BEGIN_DECLS

/**
 * LersByteReader:
 * @data: the bytes being read
 * @len: how many bytes @data holds
 * @pos: the offset of the next byte to read
 *
 * A bounds-checked cursor over untrusted bytes: every read either succeeds in
 * full or fails with %LERS_ERROR_INVALID_DATA naming the offset, so decoders
 * never touch memory past the frame.
 *
 * Since: 0.1
 */
typedef struct
{
  const guint8 *data;
  gsize len;
  gsize pos;
} LersByteReader;

void lers_byte_reader_init (LersByteReader *self, const guint8 *data, gsize len);
gsize lers_byte_reader_get_remaining (const LersByteReader *self);
gboolean lers_byte_reader_read_u8 (LersByteReader *self, guint8 *value, GError **error);
gboolean lers_byte_reader_peek_u8 (const LersByteReader *self, guint8 *value, GError **error);
gboolean lers_byte_reader_read_u16_le (LersByteReader *self, guint16 *value, GError **error);
gboolean lers_byte_reader_read_u16_be (LersByteReader *self, guint16 *value, GError **error);
gboolean lers_byte_reader_read_u32_le (LersByteReader *self, guint32 *value, GError **error);
gboolean lers_byte_reader_read_u32_be (LersByteReader *self, guint32 *value, GError **error);
gboolean lers_byte_reader_read_uint_le (LersByteReader *self, guint n_bytes, guint64 *value,
                                        GError **error);
gboolean lers_byte_reader_read_bytes (LersByteReader *self, gsize n_bytes, const guint8 **bytes,
                                      GError **error);
gboolean lers_byte_reader_skip (LersByteReader *self, gsize n_bytes, GError **error);

G_END_DECLS
