/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The document model without a backend: text measured as DejaVu's metrics
 * say, the flow of blocks read back, bad pictures and missing pages as
 * errors, and one document drawn by several threads at once. */
#include <math.h>

#include "report-test-document.h"

/* DejaVu Sans (fonts-dejavu-core): ascender 1901, descender 483 on a
 * 2048-unit em, so a line of 10 pt text is (1901 + 483) / 2048 × 10 =
 * 11.640625 pt high. DejaVu Sans Mono advances every glyph 1233 units:
 * 10 characters at 10 pt are 1233 / 2048 × 100 = 60.205 pt wide. */
#define LINE_10PT (2384.0 / 2048.0 * 10.0)
#define MONO_10x10 (1233.0 / 2048.0 * 100.0)

static void
test_document_measure (void)
{
  PangoContext *context = lers_report_pango_context_new ();
  guint lines = 0;
  gdouble h;

  h = lers_report_measure_text (context, "Ведомость учёта", "DejaVu Sans 10", 500, &lines);
  g_assert_cmpuint (lines, ==, 1);
  g_assert_cmpfloat_with_epsilon (h, LINE_10PT, 0.01);
  /* "0123456789" in the mono font is 60.2 pt: at 61 pt one line, at 45 pt
   * it breaks inside the word (no space to break at) */
  g_assert_cmpfloat_with_epsilon (
      lers_report_measure_text_width (context, "0123456789", "DejaVu Sans Mono 10"), MONO_10x10,
      0.01);
  h = lers_report_measure_text (context, "0123456789", "DejaVu Sans Mono 10", 61, &lines);
  g_assert_cmpuint (lines, ==, 1);
  h = lers_report_measure_text (context, "0123456789", "DejaVu Sans Mono 10", 45, &lines);
  g_assert_cmpuint (lines, ==, 2);
  g_assert_cmpfloat_with_epsilon (h, 2 * (2384.0 / 2048.0 * 10.0), 0.01);
  /* words wrap at spaces: "aaaa bbbb cccc" (4 chars = 24.1 pt) at 30 pt is
   * three lines */
  lers_report_measure_text (context, "aaaa bbbb cccc", "DejaVu Sans Mono 10", 30, &lines);
  g_assert_cmpuint (lines, ==, 3);
  /* width 0: no wrapping */
  lers_report_measure_text (context, "aaaa bbbb cccc", "DejaVu Sans Mono 10", 0, &lines);
  g_assert_cmpuint (lines, ==, 1);
  g_object_unref (context);
}

static void
test_document_flow (void)
{
  g_autoptr (LersReportDocument) doc = report_test_document_new ();
  g_autoptr (GBytes) png = report_test_png_new ();
  gdouble w = 0, h = 0;
  LersReportDocument *chart;

  g_assert_cmpstr (lers_report_document_get_title (doc), ==, "Ведомость учёта");
  g_assert_cmpstr (lers_report_document_get_language (doc), ==, "ru");
  lers_report_document_get_page_size (doc, &w, &h);
  g_assert_cmpfloat_with_epsilon (w, 595.2756, 0.001);
  g_assert_cmpfloat_with_epsilon (h, 841.8898, 0.001);
  g_assert_cmpuint (lers_report_document_get_n_pages (doc), ==, 2);

  g_assert_cmpuint (lers_report_document_get_n_blocks (doc), ==, 5);
  g_assert_cmpint (lers_report_document_get_block_kind (doc, 0), ==, LERS_REPORT_BLOCK_TEXT);
  g_assert_cmpstr (lers_report_document_get_block_text (doc, 0), ==, "Ведомость учёта");
  g_assert_true (lers_report_document_get_block_bold (doc, 0));
  g_assert_cmpfloat (lers_report_document_get_block_font_size (doc, 0), ==, 16);
  g_assert_cmpstr (lers_report_document_get_block_band (doc, 0), ==, "report-header");

  g_assert_cmpint (lers_report_document_get_block_kind (doc, 1), ==, LERS_REPORT_BLOCK_CHART);
  chart = lers_report_document_get_block_drawing (doc, 1);
  g_assert_true (LERS_IS_REPORT_DOCUMENT (chart));
  lers_report_document_get_page_size (chart, &w, &h);
  g_assert_cmpfloat (w, ==, 200);
  g_assert_cmpfloat (h, ==, 100);
  g_assert_null (lers_report_document_get_block_text (doc, 1));
  g_assert_null (lers_report_document_get_block_table (doc, 1));
  g_assert_cmpstr (lers_report_document_get_block_band (doc, 1), ==, "body");

  g_assert_cmpint (lers_report_document_get_block_kind (doc, 2), ==, LERS_REPORT_BLOCK_IMAGE);
  g_assert_true (g_bytes_equal (lers_report_document_get_block_image (doc, 2), png));
  g_assert_cmpint (lers_report_document_get_block_kind (doc, 3), ==, LERS_REPORT_BLOCK_PAGE_BREAK);
  g_assert_cmpint (lers_report_document_get_block_kind (doc, 4), ==, LERS_REPORT_BLOCK_TEXT);
  g_assert_false (lers_report_document_get_block_bold (doc, 4));
  g_assert_cmpstr (lers_report_document_get_block_band (doc, 4), ==, "summary");
}

static void
test_document_errors (void)
{
  g_autoptr (LersReportDocument) doc = report_test_document_new ();
  g_autoptr (GError) error = NULL;
  g_autoptr (GBytes) png = report_test_png_new ();
  g_autoptr (GBytes) cut = g_bytes_new_from_bytes (png, 0, g_bytes_get_size (png) / 2);
  g_autoptr (GBytes) text = g_bytes_new_static ("GIF89a", 6);
  g_autoptr (GBytes) empty = g_bytes_new_static ("", 0);
  GBytes *bad[] = { cut, text, empty };
  cairo_surface_t *surface = cairo_image_surface_create (CAIRO_FORMAT_RGB24, 10, 10);
  cairo_t *cr = cairo_create (surface);

  for (gsize i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_assert_false (lers_report_document_add_image (doc, 0, 0, 0, 10, 10, bad[i], &error));
      g_assert_error (error, LERS_ERROR, LERS_ERROR_INVALID_DATA);
      g_assert_true (g_str_has_prefix (error->message, "The image is not a PNG: "));
      g_clear_error (&error);
    }
  /* text that is not UTF-8, a box wider than Pango can measure: drawn */
  lers_report_document_add_text (doc, 1, 10, 10, 1e12, 20, "\xd0\xc0\xff Ж", "DejaVu Sans 9",
                                 LERS_REPORT_TEXT_LEFT, 0);
  /* a picture in an empty box draws nothing, and the page still draws */
  g_assert_true (lers_report_document_add_image (doc, 1, 10, 10, 0, 20, png, &error));
  g_assert_no_error (error);
  g_assert_true (lers_report_document_draw_page (doc, 1, cr, &error));
  g_assert_no_error (error);
  g_assert_false (lers_report_document_draw_page (doc, 2, cr, &error));
  g_assert_error (error, LERS_ERROR, LERS_ERROR_NOT_FOUND);
  g_assert_cmpstr (error->message, ==, "The report has no page 3 (it has 2)");
  cairo_destroy (cr);
  cairo_surface_destroy (surface);
}

/* ---- drawing from several threads at once ---- */

typedef struct
{
  LersReportDocument *doc;
  guint page;
  cairo_surface_t *surface;
} DrawJob;

static gpointer
draw_thread (gpointer data)
{
  DrawJob *job = data;
  cairo_t *cr;

  job->surface = cairo_image_surface_create (CAIRO_FORMAT_RGB24, 1240, 1754);
  cr = cairo_create (job->surface);
  cairo_set_source_rgb (cr, 1, 1, 1);
  cairo_paint (cr);
  cairo_scale (cr, 150.0 / 72.0, 150.0 / 72.0);
  g_assert_true (lers_report_document_draw_page (job->doc, job->page, cr, NULL));
  cairo_destroy (cr);
  cairo_surface_flush (job->surface);
  return NULL;
}

static gboolean
surfaces_equal (cairo_surface_t *a, cairo_surface_t *b)
{
  gint stride = cairo_image_surface_get_stride (a);
  gint height = cairo_image_surface_get_height (a);

  return stride == cairo_image_surface_get_stride (b)
         && memcmp (cairo_image_surface_get_data (a), cairo_image_surface_get_data (b),
                    (gsize) stride * height)
                == 0;
}

static void
test_document_threads (void)
{
  g_autoptr (LersReportDocument) doc = report_test_document_new ();
  DrawJob jobs[8];
  GThread *threads[8];

  /* pages 1 and 2 alternately, eight threads at once, each drawing what
   * one thread alone draws */
  for (guint i = 0; i < G_N_ELEMENTS (jobs); i++)
    {
      jobs[i] = (DrawJob){ doc, i % 2, NULL };
      threads[i] = g_thread_new ("draw", draw_thread, &jobs[i]);
    }
  for (guint i = 0; i < G_N_ELEMENTS (jobs); i++)
    g_thread_join (threads[i]);
  for (guint i = 0; i < 2; i++)
    {
      DrawJob alone = { doc, i, NULL };

      draw_thread (&alone);
      for (guint j = i; j < G_N_ELEMENTS (jobs); j += 2)
        g_assert_true (surfaces_equal (jobs[j].surface, alone.surface));
      g_assert_false (surfaces_equal (jobs[1 - i].surface, alone.surface));
      cairo_surface_destroy (alone.surface);
    }
  for (guint i = 0; i < G_N_ELEMENTS (jobs); i++)
    cairo_surface_destroy (jobs[i].surface);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/report/document/measure", test_document_measure);
  g_test_add_func ("/report/document/flow", test_document_flow);
  g_test_add_func ("/report/document/errors", test_document_errors);
  g_test_add_func ("/report/document/threads", test_document_threads);
  return report_test_finish (g_test_run ());
}
