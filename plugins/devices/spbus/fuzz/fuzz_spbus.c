/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Fuzzes the СПСеть decoders: the frame scanner and parser, the data
 * splitter, the value and time-array answer decoders, the JSON rendering
 * of `lers decode` and the hex reader. The input is also wrapped, as data,
 * in a valid frame of each answer function so that the decoders see
 * arbitrary bytes behind a good CRC.
 */
#include "spbus-frame.h"

int LLVMFuzzerTestOneInput (const guint8 *data, size_t size);

static void
fuzz_frame (const guint8 *data, gsize len)
{
  SpbusFrame frame;
  guint chn, prm;
  g_autofree gchar *json = NULL;
  g_autofree gchar *value = NULL;
  g_autofree gchar *units = NULL;
  g_autoptr (GArray) recs = NULL;

  if (!spbus_frame_parse (data, len, &frame, NULL))
    return;
  json = spbus_frame_to_json (data, len, NULL);
  (void) spbus_decode_value (&frame, &chn, &prm, &value, &units, NULL);
  recs = spbus_decode_array (&frame, &chn, &prm, NULL);
  for (guint i = 0; recs != NULL && i < recs->len; i++)
    {
      gdouble v;
      (void) spbus_value_parse (g_array_index (recs, SpbusArrayRecord, i).value, &v);
    }
}

int
LLVMFuzzerTestOneInput (const guint8 *data, size_t size)
{
  static const guint8 functions[] = { 0x03, 0x16 };
  gsize off = 0;

  if (size > 70000)
    return 0;
  /* the scanner over the whole input, frame after frame */
  while (off < size)
    {
      gssize n = spbus_frame_scan (data + off, size - off, NULL);
      if (n == 0)
        break;
      if (n < 0)
        {
          off += (gsize) -n;
          continue;
        }
      fuzz_frame (data + off, (gsize) n);
      off += (gsize) n;
    }
  fuzz_frame (data, size);
  for (guint i = 0; i < G_N_ELEMENTS (functions); i++)
    {
      g_autoptr (GBytes) wrapped = spbus_frame_build (0x80, 0x01, functions[i], data, size, TRUE);
      gsize n = 0;
      const guint8 *p = g_bytes_get_data (wrapped, &n);
      fuzz_frame (p, n);
    }
  if (size > 0 && size < 4096)
    {
      g_autofree gchar *text = g_strndup ((const gchar *) data, size);
      g_autoptr (GBytes) hex = spbus_hex_to_bytes (text, NULL);
      SpbusTime t;
      (void) spbus_stamp_parse (text, &t);
    }
  return 0;
}
