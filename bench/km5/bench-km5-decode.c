/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Checks and decodes every answer of the fuzz corpus (the test vectors) a
 * fixed number of times, as the session does (frame check, address and
 * command, then the payload decoder of its command), and compares the
 * speed with the time the same bytes take on the line at the КМ-5's
 * default 9600 baud 8N2: 11 bits a byte.
 *
 *   bench-km5-decode [CORPUS-DIR [ITERATIONS]]
 */
#include <lers.h>

#include "km5-data.h"
#include "km5-frame.h"

#define DEFAULT_ITERATIONS 20000

static gboolean
decode_one (GBytes *wire)
{
  gsize len = 0;
  const guint8 *d = g_bytes_get_data (wire, &len);
  g_autoptr (GBytes) frame = NULL;
  Km5Line line;
  Km5Stamp st;
  Km5Bounds bounds;
  Km5Header header;
  guint8 status[8];

  if (!km5_answer_parse (wire, d, d[4], FALSE, &frame, NULL))
    return FALSE;
  switch (d[4])
    {
    case KM5_CMD_LINE:
      return km5_decode_line (frame, &line, NULL);
    case KM5_CMD_IMMEDIATE:
      return km5_decode_clock (frame, &st, NULL);
    case KM5_CMD_DB_BOUNDS:
      return km5_decode_bounds (frame, &bounds, NULL);
    case KM5_CMD_DB_HEADER:
      return km5_decode_header (frame, &header, NULL);
    case KM5_CMD_STATUS:
      return km5_decode_status (frame, status, NULL);
    default:
      return TRUE;
    }
}

int
main (int argc, char **argv)
{
  const gchar *dir = argc > 1 ? argv[1] : KM5_CORPUS_DIR;
  guint iterations = argc > 2 ? (guint) g_ascii_strtoull (argv[2], NULL, 10) : DEFAULT_ITERATIONS;
  g_autoptr (GPtrArray) frames = g_ptr_array_new_with_free_func ((GDestroyNotify) g_bytes_unref);
  g_autoptr (GDir) d = g_dir_open (dir, 0, NULL);
  const gchar *name;
  guint64 n_bytes = 0, n_decoded = 0;
  gint64 start, elapsed;
  gdouble seconds, wire;

  while (d != NULL && (name = g_dir_read_name (d)) != NULL)
    {
      g_autofree gchar *path = g_build_filename (dir, name, NULL);
      gchar *data = NULL;
      gsize len = 0;

      /* answers only: 32 or 72 bytes */
      if (g_str_has_prefix (name, "ans-") && g_file_get_contents (path, &data, &len, NULL)
          && (len == KM5_SHORT_LEN || len == KM5_LONG_LEN))
        g_ptr_array_add (frames, g_bytes_new_take (data, len));
      else
        g_free (data);
    }
  if (frames->len == 0 || iterations == 0)
    {
      g_printerr ("no answers under %s\n", dir);
      return 77;
    }
  for (guint i = 0; i < frames->len; i++)
    n_bytes += g_bytes_get_size (g_ptr_array_index (frames, i));

  start = g_get_monotonic_time ();
  for (guint it = 0; it < iterations; it++)
    for (guint i = 0; i < frames->len; i++)
      n_decoded += decode_one (g_ptr_array_index (frames, i)) ? 1 : 0;
  elapsed = MAX (g_get_monotonic_time () - start, 1);
  seconds = (gdouble) elapsed / G_USEC_PER_SEC;

  /* 1 start + 8 data + 2 stop bits a byte */
  wire = (gdouble) n_bytes * 11.0 / 9600.0;
  g_print ("km5-decode: %u answers (%" G_GUINT64_FORMAT " bytes a pass), %u passes in %.3f s\n",
           frames->len, n_bytes, iterations, seconds);
  g_print ("  %.0f answers/s, %.1f MB/s\n", (gdouble) frames->len * iterations / seconds,
           (gdouble) n_bytes * iterations / seconds / 1e6);
  g_print ("  one pass: %.2f us decoding vs %.4f s on the wire at 9600 baud 8N2\n",
           seconds / iterations * 1e6, wire);
  g_print ("  ratio: %.0fx faster than the line\n", wire / (seconds / iterations));
  return n_decoded == (guint64) frames->len * iterations ? 0 : 1;
}
