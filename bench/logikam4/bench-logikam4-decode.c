/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Decodes the fuzz seed corpus (the recorded СПТ943.3 session's frames and
 * the vectors) plus a month of simulated СПТ944 hourly answers (FastLZ
 * packed, as the meter sends them) a fixed number of times, and compares
 * the decoder's speed with the time the same bytes take on the line at the
 * meters' default 2400 baud 8N1 (10 bits a byte).
 *
 *   bench-logikam4-decode [CORPUS-DIR [ITERATIONS]]
 */
#include "lers-logikam4-simulator.h"
#include "logikam4-frame.h"
#include "logikam4-tlv.h"

#define DEFAULT_ITERATIONS 2000

static void
load_folder (const gchar *dir, GPtrArray *frames)
{
  g_autoptr (GDir) d = g_dir_open (dir, 0, NULL);
  const gchar *name;

  while (d != NULL && (name = g_dir_read_name (d)) != NULL)
    {
      g_autofree gchar *path = g_build_filename (dir, name, NULL);
      gchar *data = NULL;
      gsize len = 0;

      if (g_file_get_contents (path, &data, &len, NULL) && len > 0 && data[0] == 0x10)
        g_ptr_array_add (frames, g_bytes_new_take (data, len));
      else
        g_free (data);
    }
}

/* a month of hourly answers of a simulated СПТ944, as a session asks */
static void
add_simulated (GPtrArray *frames)
{
  g_autoptr (LersLogikam4Simulator) sim
      = g_object_new (LERS_TYPE_LOGIKAM4_SIMULATOR, "clock-time", (gint64) 1773570600, NULL);

  for (guint day = 1; day <= 28; day++)
    {
      g_autoptr (GByteArray) body = g_byte_array_new ();
      const guint8 spec[] = { 0xFF, 0xFF, 0x00, 0x10, 64 };
      M4Date from = { 2026, 2, (gint) day, 0, 0, 0, 0, 8 };
      M4Date to = { 2026, 2, (gint) day, 23, 59, 59, 0, 8 };
      guint8 fnc = 0x61;
      g_autoptr (GBytes) req = NULL;
      GBytes *ans;

      g_byte_array_append (body, &fnc, 1);
      m4_tlv_append (body, M4_TAG_OCTET_STRING, spec, sizeof spec);
      m4_tlv_append_archdate (body, &from, 8);
      m4_tlv_append_archdate (body, &to, 8);
      req = m4_frame_build_full (0xFF, (guint8) day, body->data, body->len);
      ans = lers_logikam4_simulator_handle (sim, g_bytes_get_data (req, NULL),
                                            g_bytes_get_size (req));
      if (ans != NULL)
        g_ptr_array_add (frames, ans);
    }
}

/* the plugin's types are dynamic: a type module that stays loaded */
#define BENCH_TYPE_MODULE (bench_module_get_type ())
G_DECLARE_FINAL_TYPE (BenchModule, bench_module, BENCH, MODULE, GTypeModule)

struct _BenchModule
{
  GTypeModule parent_instance;
};

G_DEFINE_TYPE (BenchModule, bench_module, G_TYPE_TYPE_MODULE)

static gboolean
bench_module_load (GTypeModule *module)
{
  return TRUE;
}

static void
bench_module_unload (GTypeModule *module)
{
}

static void
bench_module_class_init (BenchModuleClass *klass)
{
  G_TYPE_MODULE_CLASS (klass)->load = bench_module_load;
  G_TYPE_MODULE_CLASS (klass)->unload = bench_module_unload;
}

static void
bench_module_init (BenchModule *self)
{
}

int
main (int argc, char **argv)
{
  const gchar *dir = argc > 1 ? argv[1] : LOGIKAM4_CORPUS_DIR;
  guint iterations = argc > 2 ? (guint) g_ascii_strtoull (argv[2], NULL, 10) : DEFAULT_ITERATIONS;
  g_autoptr (GPtrArray) frames = g_ptr_array_new_with_free_func ((GDestroyNotify) g_bytes_unref);
  guint64 n_bytes = 0, n_elements = 0, n_decoded = 0;
  gint64 start, elapsed;
  gdouble seconds, wire;

  GTypeModule *module = g_object_new (BENCH_TYPE_MODULE, NULL);

  g_type_module_use (module);
  lers_logikam4_simulator_register (module);
  load_folder (dir, frames);
  add_simulated (frames);
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
        g_autoptr (M4Frame) f
            = m4_frame_parse (g_bytes_get_data (b, NULL), g_bytes_get_size (b), NULL);
        gsize n = 0;
        const guint8 *body;

        if (f == NULL)
          continue;
        body = g_bytes_get_data (f->body, &n);
        n_decoded++;
        if (n > 1 && body[0] == 0x61 && (body[1] == 0x49 || body[1] == 0x04) && f->full
            && !(body[1] == 0x04 && n > 2 && body[2] == 0x05))
          {
            g_autoptr (M4ArchiveReply) r = m4_archive_reply_parse (body + 1, n - 1, NULL);

            for (guint j = 0; r != NULL && j < r->records->len; j++)
              {
                const M4ArchiveRecord *rec = g_ptr_array_index (r->records, j);
                for (guint k = 0; k < rec->items->len; k++)
                  {
                    gdouble v;
                    if (m4_tlv_get_number (&g_array_index (rec->items, M4Tlv, k), &v, NULL))
                      n_elements++;
                  }
              }
          }
        else if (n > 1)
          {
            g_autoptr (GArray) items = m4_tlv_parse_all (body + 1, n - 1, NULL);
            n_elements += items != NULL ? items->len : 0;
          }
      }
  elapsed = MAX (g_get_monotonic_time () - start, 1);
  seconds = (gdouble) elapsed / G_USEC_PER_SEC;
  wire = (gdouble) n_bytes * 10.0 / 2400.0;

  g_print ("logikam4-decode: %u frames (%" G_GUINT64_FORMAT " bytes a pass), %u passes in %.3f s\n",
           frames->len, n_bytes, iterations, seconds);
  g_print ("  %.0f frames/s, %.0f values/s, %.1f MB/s\n",
           (gdouble) frames->len * iterations / seconds, (gdouble) n_elements / seconds,
           (gdouble) n_bytes * iterations / seconds / 1e6);
  g_print ("  one pass: %.1f us decoding vs %.3f s on the wire at 2400 baud 8N1\n",
           seconds / iterations * 1e6, wire);
  g_print ("  ratio: %.0fx faster than the line at 2400 baud\n", wire / (seconds / iterations));
  return n_decoded > 0 ? 0 : 1;
}
