/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Decodes every frame of the fuzz seed corpus (GMIO's captured СПТ961
 * frames) a fixed number of times and compares the decoder's speed with
 * the time the same bytes take on the line at СПСеть's default 2400 baud,
 * 8N1 (10 bits a byte).
 *
 *   bench-spbus-decode [CORPUS-DIR [ITERATIONS]]
 */
#include <stdlib.h>

#include "spbus-frame.h"

#define DEFAULT_ITERATIONS 20000

int
main (int argc, char **argv)
{
  const gchar *root = argc > 1 ? argv[1] : SPBUS_CORPUS_DIR;
  guint iterations = argc > 2 ? (guint) g_ascii_strtoull (argv[2], NULL, 10) : DEFAULT_ITERATIONS;
  g_autoptr (GPtrArray) frames = g_ptr_array_new_with_free_func ((GDestroyNotify) g_bytes_unref);
  g_autoptr (GDir) dir = g_dir_open (root, 0, NULL);
  const gchar *name;
  guint64 n_bytes = 0, n_values = 0, n_decoded = 0;
  gint64 start, elapsed;
  gdouble seconds, wire;

  while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree gchar *path = g_build_filename (root, name, NULL);
      gchar *data = NULL;
      gsize len = 0;

      if (g_file_get_contents (path, &data, &len, NULL))
        g_ptr_array_add (frames, g_bytes_new_take (data, len));
    }
  if (frames->len == 0 || iterations == 0)
    {
      g_printerr ("no frames under %s\n", root);
      return 77; /* skipped */
    }
  for (guint i = 0; i < frames->len; i++)
    n_bytes += g_bytes_get_size (g_ptr_array_index (frames, i));

  start = g_get_monotonic_time ();
  for (guint it = 0; it < iterations; it++)
    for (guint i = 0; i < frames->len; i++)
      {
        GBytes *b = g_ptr_array_index (frames, i);
        gsize len = 0;
        const guint8 *p = g_bytes_get_data (b, &len);
        SpbusFrame f;
        guint chn, prm;

        if (!spbus_frame_parse (p, len, &f, NULL))
          continue;
        n_decoded++;
        if (f.fnc == SPBUS_FNC_ARRAY)
          {
            g_autoptr (GArray) recs = spbus_decode_array (&f, &chn, &prm, NULL);
            for (guint k = 0; recs != NULL && k < recs->len; k++)
              {
                gdouble v;
                if (spbus_value_parse (g_array_index (recs, SpbusArrayRecord, k).value, &v))
                  n_values++;
              }
          }
        else if (f.fnc == SPBUS_FNC_VALUE)
          {
            g_autofree gchar *value = NULL;
            g_autofree gchar *units = NULL;
            gdouble v;
            if (spbus_decode_value (&f, &chn, &prm, &value, &units, NULL)
                && spbus_value_parse (value, &v))
              n_values++;
          }
      }
  elapsed = MAX (g_get_monotonic_time () - start, 1);
  seconds = (gdouble) elapsed / G_USEC_PER_SEC;
  /* the line: 1 start + 8 data + 1 stop bits a byte */
  wire = (gdouble) n_bytes * 10.0 / 2400.0;

  g_print ("spbus-decode: %u frames (%" G_GUINT64_FORMAT " bytes, %" G_GUINT64_FORMAT
           " values a pass), %u passes in %.3f s\n",
           frames->len, n_bytes, n_values / iterations, iterations, seconds);
  g_print ("  %.0f frames/s, %.1f MB/s\n", (gdouble) frames->len * iterations / seconds,
           (gdouble) n_bytes * iterations / seconds / 1e6);
  g_print ("  one pass: %.2f us decoding vs %.3f s on the wire at 2400 baud 8N1\n",
           seconds / iterations * 1e6, wire);
  g_print ("  ratio: %.0fx faster than the line at 2400 baud\n", wire / (seconds / iterations));
  return n_decoded > 0 ? 0 : 1;
}
