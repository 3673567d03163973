/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Fuzzes the КМ-5 decoders: the frame check and JSON rendering of the
 * input as it is, reversed, and wrapped with valid checksums in a 32- and
 * a 72-byte answer of each command, so the payload decoders see it.
 */
#include <lers.h>

#include "km5-data.h"
#include "km5-frame.h"

int LLVMFuzzerTestOneInput (const guint8 *data, size_t size);

static void
fuzz_answer (const guint8 *f, gsize len)
{
  g_autoptr (GBytes) b = g_bytes_new_static (f, len);
  g_autofree gchar *json = km5_frame_to_json (f, len, NULL);
  Km5Stamp st;
  Km5Line line;
  Km5Header header;
  Km5Bounds bounds;
  Km5Found found;
  guint8 status[8];
  gchar version[6], type[5];
  gfloat values[6];

  km5_decode_clock (b, &st, NULL);
  km5_decode_floats (b, 6, values, NULL);
  km5_decode_header (b, &header, NULL);
  km5_decode_bounds (b, &bounds, NULL);
  km5_decode_found (b, &found, NULL);
  km5_decode_error_line (b, &st, NULL);
  km5_decode_line (b, &line, NULL);
  if (km5_decode_status (b, status, NULL))
    g_assert (km5_status_name (7) != NULL);
  km5_decode_version (b, version, type, NULL);
}

int
LLVMFuzzerTestOneInput (const guint8 *data, size_t size)
{
  static const gsize lengths[] = { KM5_SHORT_LEN, KM5_LONG_LEN };
  g_autofree guint8 *copy = NULL;
  g_autofree gchar *json = NULL;
  guint8 address[4] = { 0x01, 0, 0, 0 };

  if (size > 4096)
    return 0;
  json = km5_frame_to_json (data, size, NULL);
  copy = g_memdup2 (data, size);
  km5_reverse (copy, size);
  g_clear_pointer (&json, g_free);
  json = km5_frame_to_json (copy, size, NULL);
  {
    g_autoptr (GBytes) wire = g_bytes_new_static (data, size);
    g_autoptr (GBytes) frame = NULL;
    if (size > 4 && km5_answer_parse (wire, address, data[4], FALSE, &frame, NULL))
      g_assert (g_bytes_get_size (frame) == size);
  }
  for (gsize k = 0; k < G_N_ELEMENTS (lengths); k++)
    {
      guint8 f[KM5_LONG_LEN] = { 0 };
      gsize len = lengths[k];

      for (gsize i = 0; i < len - 2 && i < size; i++)
        f[i] = data[i];
      km5_checksum (f, len - 2, &f[len - 2], &f[len - 1]);
      fuzz_answer (f, len);
    }
  return 0;
}
