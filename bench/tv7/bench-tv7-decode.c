/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Parses and decodes every frame of the ТВ7 fuzz corpus (the vector
 * frames) a fixed number of times and compares the decoder's speed with the
 * time the same bytes take on the line: 10 bits a byte (8N1) at 9600 baud,
 * the session's default.
 *
 *   bench-tv7-decode [CORPUS-DIR [ITERATIONS]]
 */
#include "tv7-data.h"
#include "tv7-frame.h"

#define DEFAULT_ITERATIONS 20000

static guint
decode_one (GBytes *b)
{
  gsize n = 0;
  const guint8 *d = g_bytes_get_data (b, &n);
  g_autoptr (Tv7Frame) f = tv7_reply_parse (d, n, NULL);
  g_autoptr (Tv7Frame) q = f == NULL ? tv7_request_parse (d, n, NULL) : NULL;
  const guint8 *data;
  gsize len = 0;
  Tv7Archive a;
  Tv7Current c;
  Tv7Totals t;

  if (f == NULL)
    return q != NULL;
  data = g_bytes_get_data (f->data, &len);
  if (len == TV7_ARCHIVE_SIZE)
    return tv7_archive_decode (data, len, &a, NULL);
  if (len == TV7_CURRENT_SIZE)
    return tv7_current_decode (data, len, &c, NULL) && tv7_totals_decode (data, len, &t, NULL);
  return 1;
}

int
main (int argc, char **argv)
{
  const gchar *root = argc > 1 ? argv[1] : TV7_CORPUS_DIR;
  guint iterations = argc > 2 ? (guint) g_ascii_strtoull (argv[2], NULL, 10) : DEFAULT_ITERATIONS;
  g_autoptr (GPtrArray) frames = g_ptr_array_new_with_free_func ((GDestroyNotify) g_bytes_unref);
  g_autoptr (GDir) dir = g_dir_open (root, 0, NULL);
  const gchar *name;
  guint64 n_bytes = 0, n_ok = 0;
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
      return 77;
    }
  for (guint i = 0; i < frames->len; i++)
    n_bytes += g_bytes_get_size (g_ptr_array_index (frames, i));
  start = g_get_monotonic_time ();
  for (guint it = 0; it < iterations; it++)
    for (guint i = 0; i < frames->len; i++)
      n_ok += decode_one (g_ptr_array_index (frames, i));
  elapsed = MAX (g_get_monotonic_time () - start, 1);
  seconds = (gdouble) elapsed / G_USEC_PER_SEC;
  /* 1 start + 8 data + 1 stop bits a byte */
  wire = (gdouble) n_bytes * 10.0 / 9600.0;
  g_print ("tv7-decode: %u frames (%" G_GUINT64_FORMAT " bytes a pass), %u passes in %.3f s\n",
           frames->len, n_bytes, iterations, seconds);
  g_print ("  %.0f frames/s, %.1f MB/s\n", (gdouble) frames->len * iterations / seconds,
           (gdouble) n_bytes * iterations / seconds / 1e6);
  g_print ("  one pass: %.1f us decoding vs %.3f s on the wire at 9600 baud 8N1\n",
           seconds / iterations * 1e6, wire);
  g_print ("  ratio: %.0fx faster than the line at 9600 baud\n", wire / (seconds / iterations));
  return n_ok > 0 ? 0 : 1;
}
