/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "report-test-document.h"

#include <fontconfig/fontconfig.h>
#include <glib/gstdio.h>

static cairo_status_t
report_test_append (void *closure, const unsigned char *data, unsigned int length)
{
  g_byte_array_append (closure, data, length);
  return CAIRO_STATUS_SUCCESS;
}

GBytes *
report_test_png_new (void)
{
  cairo_surface_t *surface = cairo_image_surface_create (CAIRO_FORMAT_RGB24, 20, 10);
  cairo_t *cr = cairo_create (surface);
  GByteArray *png = g_byte_array_new ();

  cairo_set_source_rgb (cr, 0, 0xa0 / 255.0, 0);
  cairo_rectangle (cr, 0, 0, 10, 10);
  cairo_fill (cr);
  cairo_set_source_rgb (cr, 1, 0xd0 / 255.0, 0);
  cairo_rectangle (cr, 10, 0, 10, 10);
  cairo_fill (cr);
  cairo_destroy (cr);
  g_assert_cmpint (cairo_surface_write_to_png_stream (surface, report_test_append, png), ==,
                   CAIRO_STATUS_SUCCESS);
  cairo_surface_destroy (surface);
  return g_byte_array_free_to_bytes (png);
}

LersReportDocument *
report_test_chart_new (void)
{
  LersReportDocument *chart = lers_report_document_new ("", "ru", 200, 100);
  static const gdouble xy[] = { 10, 90, 100, 30, 190, 20 };

  lers_report_document_add_page (chart);
  lers_report_document_add_rect (chart, 0, 0, 0, 200, 100, TRUE, 0xf0f0f0, 1);
  lers_report_document_add_polyline (chart, 0, xy, 3, 1.5, 0x3060c0);
  lers_report_document_add_text (chart, 0, 5, 5, 190, 14, "График T1", "DejaVu Sans 9",
                                 LERS_REPORT_TEXT_LEFT, 0);
  return chart;
}

LersReportDocument *
report_test_document_new (void)
{
  LersReportDocument *doc = lers_report_document_new (
      REPORT_TEST_TITLE, "ru", REPORT_TEST_PAGE_WIDTH, REPORT_TEST_PAGE_HEIGHT);
  g_autoptr (LersReportDocument) chart = report_test_chart_new ();
  g_autoptr (GBytes) png = report_test_png_new ();
  g_autoptr (GError) error = NULL;
  static const gchar *const cells[4][4] = {
    { "Дата", "T1, °C", "M1, т", "Q, Гкал" },
    { "01.03.2026", "95.40", "12.500", "0.845" },
    { "02.03.2026", "94.10", "12.750", "0.861" },
    { "Итого", "", "25.250", "1.706" },
  };
  static const gdouble polyline[] = { 40, 300, 200, 300, 260, 360, 320, 300 };

  g_assert_cmpuint (lers_report_document_add_page (doc), ==, 0);
  lers_report_document_add_text (doc, 0, 40, 40, REPORT_TEST_PAGE_WIDTH - 80, 30, REPORT_TEST_TITLE,
                                 "DejaVu Sans Bold 16", LERS_REPORT_TEXT_CENTER, 0);
  /* a table as the layout draws one: bordered cells, a grey header row */
  for (guint r = 0; r < 4; r++)
    for (guint c = 0; c < 4; c++)
      {
        gdouble x = 40 + 100 * c, y = 90 + 20 * r;

        lers_report_document_add_rect (doc, 0, x, y, 100, 20, r == 0, 0xe0e0e0, 0.5);
        lers_report_document_add_text (doc, 0, x + 3, y + 3, 94, 14, cells[r][c],
                                       r == 0 ? "DejaVu Sans Bold 9" : "DejaVu Sans 9",
                                       r == 0   ? LERS_REPORT_TEXT_CENTER
                                       : c == 0 ? LERS_REPORT_TEXT_LEFT
                                                : LERS_REPORT_TEXT_RIGHT,
                                       0);
      }
  lers_report_document_add_rect (doc, 0, REPORT_TEST_RED_X, REPORT_TEST_RED_Y, REPORT_TEST_RED_W,
                                 REPORT_TEST_RED_H, TRUE, 0xff0000, 0);
  lers_report_document_add_polyline (doc, 0, polyline, 4, 4, 0x0000ff);
  lers_report_document_add_line (doc, 0, 40, 380, REPORT_TEST_PAGE_WIDTH - 40, 380, 1, 0);
  g_assert_true (lers_report_document_add_image (doc, 0, REPORT_TEST_IMAGE_X, REPORT_TEST_IMAGE_Y,
                                                 REPORT_TEST_IMAGE_W, REPORT_TEST_IMAGE_H, png,
                                                 &error));
  g_assert_no_error (error);
  lers_report_document_add_drawing (doc, 0, REPORT_TEST_CHART_X, REPORT_TEST_CHART_Y, chart);
  lers_report_document_add_text (doc, 0, REPORT_TEST_CLIP_X, REPORT_TEST_CLIP_Y, REPORT_TEST_CLIP_W,
                                 REPORT_TEST_CLIP_H, "ЖЖЖЖ", "DejaVu Sans 40",
                                 LERS_REPORT_TEXT_LEFT, 0);

  g_assert_cmpuint (lers_report_document_add_page (doc), ==, 1);
  lers_report_document_add_text (doc, 1, 40, 40, REPORT_TEST_PAGE_WIDTH - 80, 20,
                                 "Страница 2: подписи", "DejaVu Sans 12", LERS_REPORT_TEXT_LEFT,
                                 0x202020);

  lers_report_document_append_text_block (doc, "report-header", REPORT_TEST_TITLE, TRUE, 16);
  lers_report_document_append_drawing_block (doc, "body", chart);
  lers_report_document_append_image_block (doc, "body", png);
  lers_report_document_append_page_break (doc);
  lers_report_document_append_text_block (doc, "summary", "Страница 2: подписи", FALSE, 12);
  return doc;
}

LersReportBackend *
report_test_backend (const gchar *module)
{
  g_autoptr (LersEngine) engine = lers_engine_new ();
  g_autoptr (GError) error = NULL;
  LersReportBackend *backend = lers_engine_get_report_backend (engine, module, &error);

  g_assert_no_error (error);
  g_assert_nonnull (backend);
  return backend;
}

GBytes *
report_test_render (LersReportBackend *backend, LersReportDocument *document, GError **error)
{
  g_autoptr (GOutputStream) out = g_memory_output_stream_new_resizable ();

  if (!lers_report_backend_render_document (backend, document, out, NULL, error))
    return NULL;
  g_assert_true (g_output_stream_close (out, NULL, NULL));
  return g_memory_output_stream_steal_as_bytes (G_MEMORY_OUTPUT_STREAM (out));
}

/* ---- a stream that fails or cancels after so many bytes ---- */

#define REPORT_TEST_TYPE_STREAM (report_test_stream_get_type ())
G_DECLARE_FINAL_TYPE (ReportTestStream, report_test_stream, REPORT_TEST, STREAM, GOutputStream)

struct _ReportTestStream
{
  GOutputStream parent_instance;
  gsize limit;
  gsize written;
  GCancellable *cancel;
};

G_DEFINE_FINAL_TYPE (ReportTestStream, report_test_stream, G_TYPE_OUTPUT_STREAM)

static gssize
report_test_stream_write (GOutputStream *stream, const void *buffer, gsize count,
                          GCancellable *cancellable, GError **error)
{
  ReportTestStream *self = REPORT_TEST_STREAM (stream);

  if (g_cancellable_set_error_if_cancelled (cancellable, error))
    return -1;
  if (self->written + count > self->limit)
    {
      if (self->cancel == NULL)
        {
          g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_NO_SPACE, "test stream is full");
          return -1;
        }
      g_cancellable_cancel (self->cancel);
    }
  self->written += count;
  return (gssize) count;
}

static void
report_test_stream_finalize (GObject *object)
{
  g_clear_object (&REPORT_TEST_STREAM (object)->cancel);
  G_OBJECT_CLASS (report_test_stream_parent_class)->finalize (object);
}

static void
report_test_stream_class_init (ReportTestStreamClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = report_test_stream_finalize;
  G_OUTPUT_STREAM_CLASS (klass)->write_fn = report_test_stream_write;
}

static void
report_test_stream_init (ReportTestStream *self)
{
}

GOutputStream *
report_test_stream_new (gsize limit, GCancellable *cancel)
{
  ReportTestStream *self = g_object_new (REPORT_TEST_TYPE_STREAM, NULL);

  self->limit = limit;
  self->cancel = cancel != NULL ? g_object_ref (cancel) : NULL;
  return G_OUTPUT_STREAM (self);
}

gsize
report_test_stream_get_written (GOutputStream *stream)
{
  return REPORT_TEST_STREAM (stream)->written;
}

GBytes *
report_test_run (GBytes *data, const gchar *suffix, const gchar *const *argv)
{
  g_autoptr (GError) error = NULL;
  g_autofree gchar *dir = g_dir_make_tmp ("lers-report-XXXXXX", &error);
  g_autofree gchar *path = NULL;
  g_autoptr (GPtrArray) args = g_ptr_array_new ();
  g_autoptr (GSubprocess) process = NULL;
  GBytes *out = NULL;
  g_autoptr (GBytes) err = NULL;

  g_assert_no_error (error);
  path = g_build_filename (dir, suffix, NULL);
  g_assert_true (g_file_set_contents (path, g_bytes_get_data (data, NULL),
                                      (gssize) g_bytes_get_size (data), &error));
  g_assert_no_error (error);
  for (guint i = 0; argv[i] != NULL; i++)
    g_ptr_array_add (args, g_str_equal (argv[i], "FILE") ? path : (gpointer) argv[i]);
  g_ptr_array_add (args, NULL);
  /* a missing program fails the test (poppler-utils is a build dependency) */
  process
      = g_subprocess_newv ((const gchar *const *) args->pdata,
                           G_SUBPROCESS_FLAGS_STDOUT_PIPE | G_SUBPROCESS_FLAGS_STDERR_PIPE, &error);
  g_assert_no_error (error);
  g_assert_true (g_subprocess_communicate (process, NULL, NULL, &out, &err, &error));
  g_assert_no_error (error);
  if (!g_subprocess_get_successful (process))
    g_error ("%s failed: %.*s", argv[0], (int) g_bytes_get_size (err),
             (const gchar *) g_bytes_get_data (err, NULL));
  g_assert_cmpint (g_remove (path), ==, 0);
  g_assert_cmpint (g_rmdir (dir), ==, 0);
  return out;
}

gchar *
report_test_run_text (GBytes *data, const gchar *suffix, const gchar *const *argv)
{
  g_autoptr (GBytes) out = report_test_run (data, suffix, argv);

  return g_strndup (g_bytes_get_data (out, NULL), g_bytes_get_size (out));
}

gint
report_test_finish (gint status)
{
  /* let go of the font caches the tests filled (the font maps draw_page
   * keeps, Cairo's font faces, fontconfig's configuration), so that
   * LeakSanitizer and valgrind see what is left: our leaks */
  lers_report_document_clear_font_maps ();
  cairo_debug_reset_static_data ();
  FcFini ();
  return status;
}
