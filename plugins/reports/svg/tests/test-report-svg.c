/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The SVG backend as libpeas loads it from the build tree, on the document
 * of report-test-document.c: page 1 as well-formed XML (GMarkup parses it
 * whole), of the page's size in points, its text as glyph outlines (one
 * <use> of a glyph a character), its shapes as paths in their
 * colours, its picture as an embedded PNG. */
#include "report-test-document.h"

typedef struct
{
  guint depth;
  gchar *root;
  gchar *width;
  gchar *height;
  guint n_glyph_uses;
  guint n_paths;
  guint n_images;
  guint n_red_fills;
} SvgCount;

static void
svg_start (GMarkupParseContext *context, const gchar *element, const gchar **names,
           const gchar **values, gpointer user_data, GError **error)
{
  SvgCount *count = user_data;

  if (count->depth++ == 0)
    {
      count->root = g_strdup (element);
      for (guint i = 0; names[i] != NULL; i++)
        if (g_str_equal (names[i], "width"))
          count->width = g_strdup (values[i]);
        else if (g_str_equal (names[i], "height"))
          count->height = g_strdup (values[i]);
    }
  if (g_str_equal (element, "path"))
    count->n_paths++;
  if (g_str_equal (element, "image"))
    count->n_images++;
  for (guint i = 0; names[i] != NULL; i++)
    {
      if (g_str_equal (element, "use") && g_str_equal (names[i], "xlink:href")
          && g_str_has_prefix (values[i], "#glyph"))
        count->n_glyph_uses++;
      if (g_str_equal (names[i], "style") && strstr (values[i], "fill:rgb(100%,0%,0%)") != NULL)
        count->n_red_fills++;
    }
}

static void
svg_end (GMarkupParseContext *context, const gchar *element, gpointer user_data, GError **error)
{
  ((SvgCount *) user_data)->depth--;
}

/* the characters of @texts: each is one glyph (DejaVu has no ligatures
 * in these; Cairo emits a space as an empty glyph too) */
static guint
count_characters (const gchar *const *texts)
{
  guint n = 0;

  for (guint i = 0; texts[i] != NULL; i++)
    n += g_utf8_strlen (texts[i], -1);
  return n;
}

static void
test_svg_page1 (void)
{
  g_autoptr (LersReportBackend) svg = report_test_backend ("report-svg");
  g_autoptr (LersReportDocument) doc = report_test_document_new ();
  g_autoptr (GError) error = NULL;
  g_autoptr (GBytes) bytes = report_test_render (svg, doc, &error);
  static const GMarkupParser parser = { svg_start, svg_end, NULL, NULL, NULL };
  g_autoptr (GMarkupParseContext) context = NULL;
  SvgCount count = { 0 };
  /* every text of page 1 (report-test-document.c), none of page 2 */
  static const gchar *const texts[] = {
    "Ведомость учёта", "Дата",       "T1, °C", "M1, т",  "Q, Гкал", "01.03.2026", "95.40", "12.500",
    "0.845",           "02.03.2026", "94.10",  "12.750", "0.861",   "Итого",      "",      "25.250",
    "1.706",           "График T1",  "ЖЖЖЖ",   NULL,
  };

  g_assert_no_error (error);
  g_assert_cmpstr (lers_report_backend_get_format (svg), ==, "svg");
  g_assert_cmpstr (lers_report_backend_get_content_type (svg), ==, "image/svg+xml");
  context = g_markup_parse_context_new (&parser, 0, &count, NULL);
  g_assert_true (g_markup_parse_context_parse (context, g_bytes_get_data (bytes, NULL),
                                               (gssize) g_bytes_get_size (bytes), &error));
  g_assert_true (g_markup_parse_context_end_parse (context, &error));
  g_assert_no_error (error);
  g_assert_cmpstr (count.root, ==, "svg");
  /* A4 in points */
  g_assert_cmpstr (count.width, ==, "595.275591pt");
  g_assert_cmpstr (count.height, ==, "841.889764pt");
  g_assert_cmpuint (count.n_glyph_uses, ==, count_characters (texts));
  /* 16 cells, the red box, the chart's box: paths */
  g_assert_cmpuint (count.n_paths, >=, 18);
  g_assert_cmpuint (count.n_red_fills, ==, 1);
  g_assert_cmpuint (count.n_images, ==, 1);
  g_free (count.root);
  g_free (count.width);
  g_free (count.height);
}

static void
test_svg_stream_fails (void)
{
  g_autoptr (LersReportBackend) svg = report_test_backend ("report-svg");
  g_autoptr (LersReportDocument) doc = report_test_document_new ();
  g_autoptr (GError) error = NULL;
  g_autoptr (GOutputStream) out = report_test_stream_new (1000, NULL);

  g_assert_false (lers_report_backend_render_document (svg, doc, out, NULL, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_NO_SPACE);
  g_assert_cmpuint (report_test_stream_get_written (out), <=, 1000);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/report/svg/page1", test_svg_page1);
  g_test_add_func ("/report/svg/stream-fails", test_svg_stream_fails);
  return report_test_finish (g_test_run ());
}
