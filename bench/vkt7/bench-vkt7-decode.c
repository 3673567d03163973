/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Decodes the ВКТ-7 seed corpus (the document's frames) a fixed number of
 * times: frame parse, then the data section as properties and as values of
 * the document's two-element read-list {t1 Тв1, V1 Тв1}; compares the
 * decoder's speed with the time the same bytes take on the line: 11 bits a
 * byte (8N2) at 9600 baud, the default.
 *
 *   bench-vkt7-decode [CORPUS-DIR [ITERATIONS]]
 */
#include "vkt7-data.h"
#include "vkt7-frame.h"

#define DEFAULT_ITERATIONS 20000

int
main (int argc, char **argv)
{
  const gchar *dir = argc > 1 ? argv[1] : VKT7_CORPUS_DIR;
  guint iterations = argc > 2 ? (guint) g_ascii_strtoull (argv[2], NULL, 10) : DEFAULT_ITERATIONS;
  g_autoptr (GPtrArray) frames = g_ptr_array_new_with_free_func ((GDestroyNotify) g_bytes_unref);
  g_autoptr (GDir) d = g_dir_open (dir, 0, NULL);
  Vkt7Item items[2] = { { 0, 2 }, { 3, 4 } };
  guint64 n_bytes = 0, n_ok = 0;
  const gchar *name;
  gint64 start, elapsed;
  gdouble seconds, wire;

  while (d != NULL && (name = g_dir_read_name (d)) != NULL)
    {
      g_autofree gchar *path = g_build_filename (dir, name, NULL);
      gchar *contents = NULL;
      gsize len = 0;

      if (g_file_get_contents (path, &contents, &len, NULL))
        g_ptr_array_add (frames, g_bytes_new_take (contents, len));
    }
  if (frames->len == 0 || iterations == 0)
    {
      g_printerr ("no frames under %s\n", dir);
      return 77;
    }
  for (guint i = 0; i < frames->len; i++)
    n_bytes += g_bytes_get_size (g_ptr_array_index (frames, i));
  start = g_get_monotonic_time ();
  for (guint it = 0; it < iterations; it++)
    for (guint i = 0; i < frames->len; i++)
      {
        GBytes *b = g_ptr_array_index (frames, i);
        Vkt7Frame f;
        Vkt7Properties props;

        if (!vkt7_parse_reply (g_bytes_get_data (b, NULL), g_bytes_get_size (b), &f, NULL)
            && !vkt7_parse_request (g_bytes_get_data (b, NULL), g_bytes_get_size (b), &f, NULL))
          continue;
        n_ok++;
        if (f.data == NULL)
          continue;
        vkt7_properties_init (&props);
        vkt7_properties_parse (&props, f.data, f.data_len, NULL);
        {
          g_autoptr (GArray) v = vkt7_values_parse (&props, items, 2, f.data, f.data_len, NULL);
          (void) v;
        }
        vkt7_properties_clear (&props);
      }
  elapsed = MAX (g_get_monotonic_time () - start, 1);
  seconds = (gdouble) elapsed / G_USEC_PER_SEC;
  wire = (gdouble) n_bytes * 11.0 / 9600.0;
  g_print ("vkt7-decode: %u frames (%" G_GUINT64_FORMAT " bytes a pass), %u passes in %.3f s\n",
           frames->len, n_bytes, iterations, seconds);
  g_print ("  one pass: %.1f us decoding vs %.3f s on the wire at 9600 baud 8N2\n",
           seconds / iterations * 1e6, wire);
  g_print ("  ratio: %.0fx faster than the line at 9600 baud\n", wire / (seconds / iterations));
  return n_ok > 0 ? 0 : 1;
}
