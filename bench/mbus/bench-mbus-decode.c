/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Decodes every conformance frame (../shared/conformance/libmbus, test and
 * error frames) a fixed number of times and compares the decoder's speed
 * with the time the same bytes take on the bus: 11 bits a byte (8E1) at
 * 2400 and at 9600 baud.
 *
 *   bench-mbus-decode [CONFORMANCE-DIR [ITERATIONS]]
 */
#include <stdlib.h>

#include "mbus-data.h"
#include "mbus-frame.h"

#define DEFAULT_ITERATIONS 2000

static void
load_folder (const gchar *dir, GPtrArray *frames)
{
  g_autoptr (GDir) d = g_dir_open (dir, 0, NULL);
  const gchar *name;

  while (d != NULL && (name = g_dir_read_name (d)) != NULL)
    {
      g_autofree gchar *path = NULL;
      g_autofree gchar *text = NULL;
      GBytes *bytes;

      if (!g_str_has_suffix (name, ".hex"))
        continue;
      path = g_build_filename (dir, name, NULL);
      if (!g_file_get_contents (path, &text, NULL, NULL))
        continue;
      bytes = mbus_hex_to_bytes (text, NULL);
      if (bytes != NULL)
        g_ptr_array_add (frames, bytes);
    }
}

int
main (int argc, char **argv)
{
  const gchar *root = argc > 1 ? argv[1] : MBUS_CONFORMANCE_DIR;
  guint iterations = argc > 2 ? (guint) g_ascii_strtoull (argv[2], NULL, 10) : DEFAULT_ITERATIONS;
  g_autoptr (GPtrArray) frames = g_ptr_array_new_with_free_func ((GDestroyNotify) g_bytes_unref);
  g_autofree gchar *test_dir = g_build_filename (root, "test-frames", NULL);
  g_autofree gchar *error_dir = g_build_filename (root, "error-frames", NULL);
  guint64 n_bytes = 0, n_records = 0, n_decoded = 0;
  gint64 start, elapsed;
  gdouble seconds, wire_2400, wire_9600;

  load_folder (test_dir, frames);
  load_folder (error_dir, frames);
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
        g_autoptr (MbusData) d
            = mbus_data_decode (g_bytes_get_data (b, NULL), g_bytes_get_size (b), NULL);
        if (d != NULL)
          {
            n_records += d->records->len;
            n_decoded++;
          }
      }
  elapsed = MAX (g_get_monotonic_time () - start, 1);
  seconds = (gdouble) elapsed / G_USEC_PER_SEC;

  /* the bus: 1 start + 8 data + 1 parity + 1 stop bits a byte */
  wire_2400 = (gdouble) n_bytes * 11.0 / 2400.0;
  wire_9600 = (gdouble) n_bytes * 11.0 / 9600.0;

  g_print ("mbus-decode: %u frames (%" G_GUINT64_FORMAT " bytes, %" G_GUINT64_FORMAT
           " records a pass), %u passes in %.3f s\n",
           frames->len, n_bytes, n_records / iterations, iterations, seconds);
  g_print ("  %.0f frames/s, %.0f records/s, %.1f MB/s\n",
           (gdouble) frames->len * iterations / seconds, (gdouble) n_records / seconds,
           (gdouble) n_bytes * iterations / seconds / 1e6);
  g_print ("  one pass: %.1f us decoding vs %.3f s on the wire at 2400 baud 8E1, %.3f s at 9600\n",
           seconds / iterations * 1e6, wire_2400, wire_9600);
  g_print ("  ratio: %.0fx faster than the bus at 2400 baud, %.0fx at 9600 baud\n",
           wire_2400 / (seconds / iterations), wire_9600 / (seconds / iterations));
  return n_decoded > 0 ? 0 : 1;
}
