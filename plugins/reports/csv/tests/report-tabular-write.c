/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Writes the sample document (report-tabular-sample.c) with a report
 * backend loaded from the build tree, for the tests that read the output
 * back with other programs (python3 html.parser, openpyxl).
 *
 *   report-tabular-write FORMAT LANGUAGE PATH   write the document to PATH
 *   report-tabular-write --closed FORMAT        write it to a closed stream:
 *     prints the error and exits 0 when it is G_IO_ERROR_CLOSED */
#include <lers.h>

#include "report-tabular-sample.h"

static int
write_closed (LersReportBackend *backend)
{
  g_autoptr (LersReportDocument) document = report_tabular_sample_new ("ru");
  g_autoptr (GOutputStream) stream = g_memory_output_stream_new_resizable ();
  g_autoptr (GError) error = NULL;

  g_output_stream_close (stream, NULL, NULL);
  if (lers_report_backend_render_document (backend, document, stream, NULL, &error))
    {
      g_printerr ("writing to a closed stream succeeded\n");
      return 1;
    }
  g_print ("error: %s\n", error->message);
  return g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CLOSED) ? 0 : 1;
}

static int
run (int argc, char **argv)
{
  g_autoptr (LersEngine) engine = lers_engine_new ();
  g_autoptr (LersReportBackend) backend = NULL;
  g_autoptr (LersReportDocument) document = NULL;
  g_autoptr (GFile) file = NULL;
  g_autoptr (GFileOutputStream) stream = NULL;
  g_autoptr (GError) error = NULL;
  g_autofree gchar *plugin = NULL;
  gboolean closed = argc == 3 && g_str_equal (argv[1], "--closed");

  if (!closed && argc != 4)
    {
      g_printerr ("usage: %s FORMAT LANGUAGE PATH | --closed FORMAT\n", argv[0]);
      return 2;
    }
  plugin = g_strconcat ("report-", closed ? argv[2] : argv[1], NULL);
  backend = lers_engine_get_report_backend (engine, plugin, &error);
  if (backend == NULL)
    {
      g_printerr ("%s: %s\n", plugin, error->message);
      return 1;
    }
  if (closed)
    return write_closed (backend);
  document = report_tabular_sample_new (argv[2]);
  file = g_file_new_for_path (argv[3]);
  stream = g_file_replace (file, NULL, FALSE, G_FILE_CREATE_NONE, NULL, &error);
  if (stream == NULL
      || !lers_report_backend_render_document (backend, document, G_OUTPUT_STREAM (stream), NULL,
                                               &error)
      || !g_output_stream_close (G_OUTPUT_STREAM (stream), NULL, &error))
    {
      g_printerr ("%s: %s\n", argv[3], error->message);
      return 1;
    }
  g_print ("%s: %s, %s\n", argv[3], lers_report_backend_get_format (backend),
           lers_report_backend_get_content_type (backend));
  return 0;
}

int
main (int argc, char **argv)
{
  int status = run (argc, argv);

  /* the font caches drawing filled (draw_page's font maps, Cairo's fonts,
   * fontconfig's configuration) are left to the process's end: letting go
   * of them (lers_report_document_clear_font_maps,
   * cairo_debug_reset_static_data, FcFini) aborts at random, when PangoFc's
   * fontconfig thread still holds a font map; what LeakSanitizer then
   * finds of them is named in tests/lsan.supp */
  return status;
}
