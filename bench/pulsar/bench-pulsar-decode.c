/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Decodes every frame of the fuzz seed corpus (the vendor document's
 * example frames and the wb-mqtt-serial vector) a fixed number of times and
 * compares the decoder's speed with the time the same bytes take on the
 * line at the protocol's default 9600 baud, 8N1 (10 bits a byte).
 *
 *   bench-pulsar-decode [CORPUS-DIR [ITERATIONS]]
 */
#include <stdlib.h>

#include "pulsar-frame.h"

#define DEFAULT_ITERATIONS 20000

int
main (int argc, char **argv)
{
  const gchar *root = argc > 1 ? argv[1] : PULSAR_CORPUS_DIR;
  guint iterations = argc > 2 ? (guint) g_ascii_strtoull (argv[2], NULL, 10) : DEFAULT_ITERATIONS;
  g_autoptr (GPtrArray) frames = g_ptr_array_new_with_free_func ((GDestroyNotify) g_bytes_unref);
  g_autoptr (GDir) dir = g_dir_open (root, 0, NULL);
  g_autoptr (GArray) raw = g_array_new (FALSE, FALSE, sizeof (guint32));
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
        PulsarFrame f;
        gdouble values[PULSAR_MAX_CHANNELS];

        if (pulsar_frame_scan (p, len, NULL) != (gssize) len
            || !pulsar_frame_parse (p, len, &f, NULL))
          continue;
        n_decoded++;
        g_array_set_size (raw, 0);
        if (f.function == PULSAR_FN_READ_ARCHIVE && pulsar_decode_archive (&f, 0, NULL, raw, NULL))
          n_values += raw->len;
        else if (f.function == PULSAR_FN_READ_CHANNELS
                 && pulsar_decode_channels (&f, 1, values, NULL))
          n_values++;
      }
  elapsed = MAX (g_get_monotonic_time () - start, 1);
  seconds = (gdouble) elapsed / G_USEC_PER_SEC;
  /* the line: 1 start + 8 data + 1 stop bits a byte */
  wire = (gdouble) n_bytes * 10.0 / 9600.0;

  g_print ("pulsar-decode: %u frames (%" G_GUINT64_FORMAT " bytes, %" G_GUINT64_FORMAT
           " values a pass), %u passes in %.3f s\n",
           frames->len, n_bytes, n_values / iterations, iterations, seconds);
  g_print ("  %.0f frames/s, %.1f MB/s\n", (gdouble) frames->len * iterations / seconds,
           (gdouble) n_bytes * iterations / seconds / 1e6);
  g_print ("  one pass: %.2f us decoding vs %.3f s on the wire at 9600 baud 8N1\n",
           seconds / iterations * 1e6, wire);
  g_print ("  ratio: %.0fx faster than the line at 9600 baud\n", wire / (seconds / iterations));
  return n_decoded > 0 ? 0 : 1;
}
