/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Checks and decodes every frame of the fuzz seed corpus (the documents'
 * and the recording's frames, an СПТ943 and an СПТ941.10 record) a fixed
 * number of times, and compares the decoder's speed with the time the same
 * bytes take on the line: 10 bits a byte (8N1) at 2400 baud, the 4L
 * protocol's session speed, and at 19200, its fastest.
 *
 *   bench-logika4l-decode [CORPUS-DIR [ITERATIONS]]
 */
#include <lers.h>

#include "logika4l-archive.h"
#include "logika4l-frame.h"

#define DEFAULT_ITERATIONS 20000

int
main (int argc, char **argv)
{
  const gchar *root = argc > 1 ? argv[1] : L4L_CORPUS_DIR;
  guint iterations = argc > 2 ? (guint) g_ascii_strtoull (argv[2], NULL, 10) : DEFAULT_ITERATIONS;
  g_autoptr (GPtrArray) frames = g_ptr_array_new_with_free_func ((GDestroyNotify) g_bytes_unref);
  g_autoptr (GDir) dir = g_dir_open (root, 0, NULL);
  g_autoptr (GDateTime) t = g_date_time_new_utc (2026, 1, 1, 0, 0, 0);
  const gchar *name;
  guint64 n_bytes = 0, n_values = 0;
  gint64 start, elapsed;
  gdouble seconds, wire_2400, wire_19200;

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
      return 77;
    }
  for (guint i = 0; i < frames->len; i++)
    n_bytes += g_bytes_get_size (g_ptr_array_index (frames, i));

  start = g_get_monotonic_time ();
  for (guint it = 0; it < iterations; it++)
    for (guint i = 0; i < frames->len; i++)
      {
        gsize n = 0;
        const guint8 *p = g_bytes_get_data (g_ptr_array_index (frames, i), &n);
        L4lFrame f;

        if (n > 2 && p[2] == L4L_FNC_EXTENDED)
          {
            l4l_parse_extended (p, n, &f, NULL, NULL);
            continue;
          }
        if (!l4l_parse (p, n, &f, NULL))
          continue;
        if (f.len == L4L_RECORD_943 || f.len == L4L_RECORD_941_10)
          {
            g_autoptr (LersRecord) r = NULL;
            L4lModel m = f.len == L4L_RECORD_943 ? L4L_MODEL_943 : L4L_MODEL_941_10;
            if (l4l_decode_record (m, L4L_UNITS_GCAL, LERS_ARCHIVE_KIND_HOUR, f.data, f.len, t, 0,
                                   NULL, &r, NULL))
              n_values += lers_record_get_n_values (r);
          }
      }
  elapsed = MAX (g_get_monotonic_time () - start, 1);
  seconds = (gdouble) elapsed / G_USEC_PER_SEC;
  /* 1 start + 8 data + 1 stop bits a byte */
  wire_2400 = (gdouble) n_bytes * 10.0 / 2400.0;
  wire_19200 = (gdouble) n_bytes * 10.0 / 19200.0;
  g_print ("logika4l-decode: %u frames (%" G_GUINT64_FORMAT " bytes, %" G_GUINT64_FORMAT
           " values a pass), %u passes in %.3f s\n",
           frames->len, n_bytes, n_values / iterations, iterations, seconds);
  g_print ("  one pass: %.2f us decoding vs %.3f s on the wire at 2400 baud 8N1, %.4f s at 19200\n",
           seconds / iterations * 1e6, wire_2400, wire_19200);
  g_print ("  ratio: %.0fx faster than the line at 2400 baud, %.0fx at 19200 baud\n",
           wire_2400 / (seconds / iterations), wire_19200 / (seconds / iterations));
  return 0;
}
