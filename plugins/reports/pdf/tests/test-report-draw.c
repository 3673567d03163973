/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* lers_report_document_draw_page gathers a page's fills, borders and
 * glyphs and draws them a few Cairo calls at a time: what it draws must be
 * what the items drawn one by one with plain Cairo and Pango draw (the
 * reference here, in item order), what lies above stays above, and a PDF's
 * text keeps the items' order (pdftotext -raw reads the content stream's
 * order). */
#include <math.h>
#include <pango/pangocairo.h>

#include "report-test-document.h"

#define SCALE (150.0 / 72.0)
#define WIDTH 600.0
#define HEIGHT 400.0

static const gchar *const fonts[] = { "DejaVu Sans 7", "DejaVu Sans Bold 7" };
/* what the cells show: numbers, Cyrillic, a non-breaking space, ligatures */
static const gchar *const cell_values[]
    = { "65,20", "Отопление", "1\u00a0234,50", "ffi fl", "0,00" };

/* a table of cells (borders, a filled header, texts left, centred, right),
 * a wrapped left-aligned text, a centred text on two lines (drawn by
 * Pango), a text too big for its box (clipped), lines and a polyline */
static LersReportDocument *
test_page_new (void)
{
  LersReportDocument *doc = lers_report_document_new ("draw", "ru", WIDTH, HEIGHT);
  static const gdouble xy[] = { 40, 330, 120, 300, 200, 360, 280, 310 };

  lers_report_document_add_page (doc);
  for (guint r = 0; r < 6; r++)
    for (guint c = 0; c < 5; c++)
      {
        gdouble x = 30 + c * 70.3, y = 20 + r * 12.1;

        lers_report_document_add_rect (doc, 0, x, y, 70.3, 12.1, r == 0, 0xe8e8e8, 0.5);
        lers_report_document_add_text (
            doc, 0, x + 2, y + 1.5, 66.3, 9.2, r == 0 ? "Заголовок" : cell_values[(r + c) % 5],
            fonts[r == 0], (LersReportTextAlign) (c % 3), c == 4 ? 0xc00000 : 0);
      }
  lers_report_document_add_text (doc, 0, 400, 20, 80, 40,
                                 "Представитель теплоснабжающей организации", fonts[0],
                                 LERS_REPORT_TEXT_LEFT, 0);
  lers_report_document_add_text (doc, 0, 400, 80, 60, 30, "Итого за период", fonts[1],
                                 LERS_REPORT_TEXT_CENTER, 0x0000a0);
  lers_report_document_add_text (doc, 0, 400, 130, 40, 10, "ЖЖЖЖЖЖЖЖ", "DejaVu Sans 20",
                                 LERS_REPORT_TEXT_LEFT, 0);
  lers_report_document_add_line (doc, 0, 30, 200, 380, 200, 1.0, 0x808080);
  lers_report_document_add_polyline (doc, 0, xy, 4, 2.0, 0x0060c0);
  return doc;
}

static void
test_set_rgb (cairo_t *cr, guint32 rgb)
{
  cairo_set_source_rgb (cr, ((rgb >> 16) & 0xff) / 255.0, ((rgb >> 8) & 0xff) / 255.0,
                        (rgb & 0xff) / 255.0);
}

/* a text as draw_page drew it before it gathered: a Pango layout of the
 * box's width, clipped to the box */
static void
test_reference_text (cairo_t *cr, PangoContext *context, gdouble x, gdouble y, gdouble w, gdouble h,
                     const gchar *text, const gchar *font, PangoAlignment align, guint32 rgb)
{
  g_autoptr (PangoLayout) layout = pango_layout_new (context);
  PangoFontDescription *desc = pango_font_description_from_string (font);

  pango_layout_set_font_description (layout, desc);
  pango_font_description_free (desc);
  pango_layout_set_width (layout, (gint) (w * PANGO_SCALE));
  pango_layout_set_wrap (layout, PANGO_WRAP_WORD_CHAR);
  pango_layout_set_alignment (layout, align);
  pango_layout_set_text (layout, text, -1);
  cairo_save (cr);
  cairo_rectangle (cr, x, y, w, h);
  cairo_clip (cr);
  test_set_rgb (cr, rgb);
  cairo_move_to (cr, x, y);
  pango_cairo_show_layout (cr, layout);
  cairo_restore (cr);
}

/* test_page_new's items one by one with plain Cairo and Pango, in order */
static void
test_page_reference (cairo_t *cr)
{
  PangoFontMap *map = pango_cairo_font_map_new ();
  PangoContext *context = pango_font_map_create_context (map);
  cairo_font_options_t *options = cairo_font_options_create ();
  static const PangoAlignment aligns[]
      = { PANGO_ALIGN_LEFT, PANGO_ALIGN_CENTER, PANGO_ALIGN_RIGHT };
  static const gdouble xy[] = { 40, 330, 120, 300, 200, 360, 280, 310 };

  /* as liblers sets up its Pango: unhinted, 72 dpi, glyphs not rounded */
  cairo_font_options_set_hint_metrics (options, CAIRO_HINT_METRICS_OFF);
  cairo_font_options_set_hint_style (options, CAIRO_HINT_STYLE_NONE);
  pango_cairo_context_set_font_options (context, options);
  cairo_font_options_destroy (options);
  pango_cairo_context_set_resolution (context, 72.0);
  pango_context_set_round_glyph_positions (context, FALSE);
  pango_cairo_update_context (cr, context);
  for (guint r = 0; r < 6; r++)
    for (guint c = 0; c < 5; c++)
      {
        gdouble x = 30 + c * 70.3, y = 20 + r * 12.1;

        cairo_rectangle (cr, x, y, 70.3, 12.1);
        if (r == 0)
          {
            test_set_rgb (cr, 0xe8e8e8);
            cairo_fill_preserve (cr);
          }
        test_set_rgb (cr, 0);
        cairo_set_line_width (cr, 0.5);
        cairo_stroke (cr);
        test_reference_text (cr, context, x + 2, y + 1.5, 66.3, 9.2,
                             r == 0 ? "Заголовок" : cell_values[(r + c) % 5], fonts[r == 0],
                             aligns[c % 3], c == 4 ? 0xc00000 : 0);
      }
  test_reference_text (cr, context, 400, 20, 80, 40, "Представитель теплоснабжающей организации",
                       fonts[0], PANGO_ALIGN_LEFT, 0);
  test_reference_text (cr, context, 400, 80, 60, 30, "Итого за период", fonts[1],
                       PANGO_ALIGN_CENTER, 0x0000a0);
  test_reference_text (cr, context, 400, 130, 40, 10, "ЖЖЖЖЖЖЖЖ", "DejaVu Sans 20",
                       PANGO_ALIGN_LEFT, 0);
  cairo_move_to (cr, 30, 200);
  cairo_line_to (cr, 380, 200);
  test_set_rgb (cr, 0x808080);
  cairo_set_line_width (cr, 1.0);
  cairo_stroke (cr);
  for (guint i = 0; i < 4; i++)
    cairo_line_to (cr, xy[2 * i], xy[2 * i + 1]);
  test_set_rgb (cr, 0x0060c0);
  cairo_set_line_width (cr, 2.0);
  cairo_set_line_join (cr, CAIRO_LINE_JOIN_ROUND);
  cairo_stroke (cr);
  g_object_unref (context);
  g_object_unref (map);
}

static cairo_surface_t *
test_surface_new (void)
{
  cairo_surface_t *surface = cairo_image_surface_create (CAIRO_FORMAT_RGB24, (gint) (WIDTH * SCALE),
                                                         (gint) (HEIGHT * SCALE));
  cairo_t *cr = cairo_create (surface);

  cairo_set_source_rgb (cr, 1, 1, 1);
  cairo_paint (cr);
  cairo_destroy (cr);
  return surface;
}

static guint32
test_pixel (cairo_surface_t *surface, gdouble x, gdouble y)
{
  const guint8 *data = cairo_image_surface_get_data (surface);
  gint stride = cairo_image_surface_get_stride (surface);

  cairo_surface_flush (surface);
  return *(const guint32 *) (gconstpointer) (data + (gint) (y * SCALE) * stride
                                             + 4 * (gint) (x * SCALE))
         & 0xffffff;
}

static void
test_draw (LersReportDocument *doc, cairo_surface_t *surface)
{
  cairo_t *cr = cairo_create (surface);
  g_autoptr (GError) error = NULL;

  cairo_scale (cr, SCALE, SCALE);
  g_assert_true (lers_report_document_draw_page (doc, 0, cr, &error));
  g_assert_no_error (error);
  cairo_destroy (cr);
  cairo_surface_flush (surface);
}

/* the page drawn by draw_page and by the items one by one: at most 0.02 %
 * of the pixels differ by more than a quarter of a channel (none did when
 * this was written; the margin is for the antialiasing of a border drawn
 * as one long line rather than as the edges of many rectangles). The
 * cells' texts moved right by one point differ in 0.39 %. */
static void
test_draw_as_items (void)
{
  g_autoptr (LersReportDocument) doc = test_page_new ();
  cairo_surface_t *got = test_surface_new ();
  cairo_surface_t *want = test_surface_new ();
  cairo_t *cr = cairo_create (want);
  gint w = cairo_image_surface_get_width (got), h = cairo_image_surface_get_height (got);
  gint stride = cairo_image_surface_get_stride (got);
  const guint8 *a, *b;
  guint differ = 0, ink = 0;

  test_draw (doc, got);
  cairo_scale (cr, SCALE, SCALE);
  test_page_reference (cr);
  cairo_destroy (cr);
  cairo_surface_flush (want);
  a = cairo_image_surface_get_data (got);
  b = cairo_image_surface_get_data (want);
  for (gint y = 0; y < h; y++)
    for (gint x = 0; x < w; x++)
      {
        gboolean far = FALSE;

        for (gint k = 0; k < 3; k++)
          far = far || abs (a[y * stride + 4 * x + k] - b[y * stride + 4 * x + k]) > 64;
        differ += far;
        ink += (b[y * stride + 4 * x] & b[y * stride + 4 * x + 1] & b[y * stride + 4 * x + 2])
               != 0xff;
      }
  /* the reference has ink: a blank page would pass for a blank page */
  g_assert_cmpuint (ink, >, (guint) (w * h) / 50);
  g_test_message ("%u of %d pixels differ, %u have ink", differ, w * h, ink);
  g_assert_cmpfloat ((gdouble) differ / (w * h), <=, 0.0002);
  /* the header's fill is under its text, and the cells' text is there */
  g_assert_cmphex (test_pixel (got, 31, 21), ==, 0xe8e8e8);
  cairo_surface_destroy (got);
  cairo_surface_destroy (want);
}

/* What is drawn later stays above: a fill over a text hides it, a red
 * line over a blue one crossing it is red where they cross (with another
 * red line drawn before the blue), a box with a negative width is a box */
static void
test_draw_order (void)
{
  g_autoptr (LersReportDocument) doc = lers_report_document_new ("order", "ru", WIDTH, HEIGHT);
  cairo_surface_t *surface = test_surface_new ();

  lers_report_document_add_page (doc);
  /* a text, then a green box over it */
  lers_report_document_add_text (doc, 0, 20, 20, 100, 30, "ЖЖЖЖЖЖ", "DejaVu Sans 20",
                                 LERS_REPORT_TEXT_LEFT, 0);
  lers_report_document_add_rect (doc, 0, 10, 10, 140, 50, TRUE, 0x00c000, 0);
  /* red across at y 100, blue down at x 100, red across at y 150 */
  lers_report_document_add_line (doc, 0, 20, 100, 200, 100, 6, 0xff0000);
  lers_report_document_add_line (doc, 0, 100, 80, 100, 180, 6, 0x0000ff);
  lers_report_document_add_line (doc, 0, 20, 150, 200, 150, 6, 0xff0000);
  /* a box 100 pt wide drawn leftwards from x 400: from 300 to 400 */
  lers_report_document_add_rect (doc, 0, 400, 250, -100, 60, FALSE, 0, 4);
  test_draw (doc, surface);

  /* the text is under the fill: all green where its glyphs were */
  for (gdouble x = 22; x < 118; x += 3)
    g_assert_cmphex (test_pixel (surface, x, 35), ==, 0x00c000);
  /* the first red line is under the blue one, the second above it */
  g_assert_cmphex (test_pixel (surface, 100, 100), ==, 0x0000ff);
  g_assert_cmphex (test_pixel (surface, 100, 150), ==, 0xff0000);
  /* the negative box: its four sides, nothing on the diagonal inside */
  g_assert_cmphex (test_pixel (surface, 300, 280), ==, 0);
  g_assert_cmphex (test_pixel (surface, 400, 280), ==, 0);
  g_assert_cmphex (test_pixel (surface, 350, 250), ==, 0);
  g_assert_cmphex (test_pixel (surface, 350, 310), ==, 0);
  g_assert_cmphex (test_pixel (surface, 350, 280), ==, 0xffffff);
  cairo_surface_destroy (surface);
}

/* A PDF's text in the items' order, though the fonts and colours
 * alternate and the items go up the page (so reading order and drawing
 * order differ: pdftotext -raw follows the drawing); a ligature's text is
 * its letters */
static void
test_draw_pdf_text_order (void)
{
  g_autoptr (LersReportDocument) doc = lers_report_document_new ("order", "ru", WIDTH, HEIGHT);
  g_autoptr (LersReportBackend) pdf = report_test_backend ("report-pdf");
  g_autoptr (GBytes) bytes = NULL;
  g_autoptr (GError) error = NULL;
  g_autofree gchar *text = NULL;
  const gchar *argv[] = { "pdftotext", "-raw", "FILE", "-", NULL };
  static const gchar *const words[] = { "первый", "второй", "третий", "четвёртый", "office" };

  lers_report_document_add_page (doc);
  for (guint i = 0; i < G_N_ELEMENTS (words); i++)
    lers_report_document_add_text (doc, 0, 40, 300 - 40 * i, 200, 12, words[i], fonts[i % 2],
                                   LERS_REPORT_TEXT_LEFT, i == 2 ? 0xc00000 : 0);
  bytes = report_test_render (pdf, doc, &error);
  g_assert_no_error (error);
  text = report_test_run_text (bytes, ".pdf", argv);
  g_assert_cmpstr (text, ==, "первый\nвторой\nтретий\nчетвёртый\noffice\n\f");
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/report/draw/as-items", test_draw_as_items);
  g_test_add_func ("/report/draw/order", test_draw_order);
  g_test_add_func ("/report/draw/pdf-text-order", test_draw_pdf_text_order);
  return report_test_finish (g_test_run ());
}
