/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The PNG backend as libpeas loads it from the build tree, on the document
 * of report-test-document.c: page 1 at 150 dpi, decoded again with Cairo,
 * its pixels where the document put things (positions worked out from the
 * document's points × 150 / 72); compared with a stored reference image
 * and with poppler's rendering of the PDF backend's output (pdftoppm). */
#include <math.h>

#include "report-test-document.h"

#define PX(pt) ((gint) floor ((pt) *150.0 / 72.0))

typedef struct
{
  const guint8 *data;
  gsize size;
  gsize offset;
} PngReader;

static cairo_status_t
png_read (void *closure, unsigned char *data, unsigned int length)
{
  PngReader *reader = closure;

  if (length > reader->size - reader->offset)
    return CAIRO_STATUS_READ_ERROR;
  memcpy (data, reader->data + reader->offset, length);
  reader->offset += length;
  return CAIRO_STATUS_SUCCESS;
}

static cairo_surface_t *
png_decode (GBytes *png)
{
  PngReader reader = { 0 };
  cairo_surface_t *surface;

  reader.data = g_bytes_get_data (png, &reader.size);
  surface = cairo_image_surface_create_from_png_stream (png_read, &reader);
  g_assert_cmpint (cairo_surface_status (surface), ==, CAIRO_STATUS_SUCCESS);
  cairo_surface_flush (surface);
  return surface;
}

/* the pixel at (x, y) as 0xrrggbb */
static guint32
pixel (cairo_surface_t *surface, gint x, gint y)
{
  const guint8 *row = cairo_image_surface_get_data (surface)
                      + (gsize) y * cairo_image_surface_get_stride (surface);

  return ((const guint32 *) row)[x] & 0xffffff;
}

/* how many pixels of the rectangle [x0, x1) × [y0, y1) (in points) are not
 * white */
static guint
count_inked (cairo_surface_t *surface, gdouble x0, gdouble y0, gdouble x1, gdouble y1)
{
  guint n = 0;

  for (gint y = PX (y0); y < PX (y1); y++)
    for (gint x = PX (x0); x < PX (x1); x++)
      n += pixel (surface, x, y) != 0xffffff;
  return n;
}

static GBytes *
render_png (LersReportDocument *doc)
{
  g_autoptr (LersReportBackend) png = report_test_backend ("report-png");
  g_autoptr (GError) error = NULL;
  GBytes *bytes = report_test_render (png, doc, &error);

  g_assert_no_error (error);
  return bytes;
}

static void
test_png_backend (void)
{
  g_autoptr (LersReportBackend) png = report_test_backend ("report-png");

  g_assert_cmpstr (lers_report_backend_get_format (png), ==, "png");
  g_assert_cmpstr (lers_report_backend_get_content_type (png), ==, "image/png");
}

static void
test_png_pixels (void)
{
  g_autoptr (LersReportDocument) doc = report_test_document_new ();
  g_autoptr (GBytes) bytes = render_png (doc);
  cairo_surface_t *s = png_decode (bytes);

  /* A4 at 150 dpi: 210 mm / 25.4 × 150 = 1240.2, 297 mm → 1753.9 */
  g_assert_cmpint (cairo_image_surface_get_width (s), ==, 1240);
  g_assert_cmpint (cairo_image_surface_get_height (s), ==, 1754);
  /* the white ground, in the margin */
  g_assert_cmphex (pixel (s, PX (10), PX (10)), ==, 0xffffff);
  g_assert_cmphex (pixel (s, 1239, 1753), ==, 0xffffff);
  /* the red box's middle, (460, 230) pt */
  g_assert_cmphex (pixel (s, PX (REPORT_TEST_RED_X + REPORT_TEST_RED_W / 2),
                          PX (REPORT_TEST_RED_Y + REPORT_TEST_RED_H / 2)),
                   ==, 0xff0000);
  /* just outside it: 2 pt left of its left edge */
  g_assert_cmphex (pixel (s, PX (REPORT_TEST_RED_X - 2), PX (REPORT_TEST_RED_Y + 10)), ==,
                   0xffffff);
  /* the table's header row is grey #e0e0e0 at (45, 100) pt (left of the
   * centred "Дата"); a detail row white at (45, 113) */
  g_assert_cmphex (pixel (s, PX (45), PX (100)), ==, 0xe0e0e0);
  g_assert_cmphex (pixel (s, PX (45), PX (113)), ==, 0xffffff);
  /* the blue polyline's first segment, 4 pt wide on y = 300 */
  g_assert_cmphex (pixel (s, PX (120), PX (REPORT_TEST_LINE_Y)), ==, 0x0000ff);
  g_assert_cmphex (pixel (s, PX (120), PX (REPORT_TEST_LINE_Y + 4)), ==, 0xffffff);
  /* the picture: its left half green, its right half yellow */
  g_assert_cmphex (pixel (s, PX (REPORT_TEST_IMAGE_X + 25), PX (REPORT_TEST_IMAGE_Y + 25)), ==,
                   0x00a000);
  g_assert_cmphex (pixel (s, PX (REPORT_TEST_IMAGE_X + 75), PX (REPORT_TEST_IMAGE_Y + 25)), ==,
                   0xffd000);
  /* the chart's grey ground, (100, 80) pt inside it, away from its line */
  g_assert_cmphex (pixel (s, PX (REPORT_TEST_CHART_X + 100), PX (REPORT_TEST_CHART_Y + 80)), ==,
                   0xf0f0f0);
  /* "ЖЖЖЖ" at 40 pt: the capitals' tops are at 0.928 − 0.729 = 0.199 em =
   * 8 pt below the box's top, their feet at 0.928 em = 37 pt; the box is
   * 20 pt high, so ink shows from 8 to 20 pt and none from 24 to 34 pt */
  g_assert_cmpuint (count_inked (s, REPORT_TEST_CLIP_X, REPORT_TEST_CLIP_Y + 9,
                                 REPORT_TEST_CLIP_X + REPORT_TEST_CLIP_W, REPORT_TEST_CLIP_Y + 19),
                    >, 500);
  g_assert_cmpuint (count_inked (s, REPORT_TEST_CLIP_X, REPORT_TEST_CLIP_Y + 24,
                                 REPORT_TEST_CLIP_X + REPORT_TEST_CLIP_W, REPORT_TEST_CLIP_Y + 34),
                    ==, 0);
  /* the title is ink in its line, centred: its middle is inked, the
   * page's left margin beside it not */
  g_assert_cmpuint (count_inked (s, 250, 42, 345, 60), >, 500);
  g_assert_cmpuint (count_inked (s, 40, 42, 150, 60), ==, 0);
  cairo_surface_destroy (s);
}

/* no pages: one white page of the document's size (300 × 200 pt = 625 ×
 * 416.7 px) */
static void
test_png_empty (void)
{
  g_autoptr (LersReportDocument) doc = lers_report_document_new ("", "en", 300, 200);
  g_autoptr (GBytes) bytes = render_png (doc);
  cairo_surface_t *s = png_decode (bytes);

  g_assert_cmpint (cairo_image_surface_get_width (s), ==, 625);
  g_assert_cmpint (cairo_image_surface_get_height (s), ==, 417);
  g_assert_cmpuint (count_inked (s, 0, 0, 300, 200), ==, 0);
  cairo_surface_destroy (s);
}

/* the mean absolute difference per channel of two pictures, over the
 * whole picture and over its worst 128 × 128 tile, in 0..1; their sizes
 * may differ by @slack pixels (poppler rounds a page's size up, Cairo to
 * the nearest), the part both have is compared */
static void
compare (cairo_surface_t *a, cairo_surface_t *b, gint slack, gdouble *whole, gdouble *worst_tile)
{
  gint w = MIN (cairo_image_surface_get_width (a), cairo_image_surface_get_width (b));
  gint h = MIN (cairo_image_surface_get_height (a), cairo_image_surface_get_height (b));
  gdouble total[3] = { 0 };

  g_assert_cmpint (ABS (cairo_image_surface_get_width (a) - cairo_image_surface_get_width (b)), <=,
                   slack);
  g_assert_cmpint (ABS (cairo_image_surface_get_height (a) - cairo_image_surface_get_height (b)),
                   <=, slack);
  *worst_tile = 0;
  for (gint ty = 0; ty < h; ty += 128)
    for (gint tx = 0; tx < w; tx += 128)
      {
        gdouble tile[3] = { 0 };
        guint n = 0;

        for (gint y = ty; y < MIN (ty + 128, h); y++)
          for (gint x = tx; x < MIN (tx + 128, w); x++, n++)
            for (guint c = 0; c < 3; c++)
              {
                gint d = (gint) ((pixel (a, x, y) >> (8 * c)) & 0xff)
                         - (gint) ((pixel (b, x, y) >> (8 * c)) & 0xff);

                tile[c] += ABS (d);
                total[c] += ABS (d);
              }
        for (guint c = 0; c < 3; c++)
          *worst_tile = MAX (*worst_tile, tile[c] / n / 255.0);
      }
  *whole = 0;
  for (guint c = 0; c < 3; c++)
    *whole = MAX (*whole, total[c] / ((gdouble) w * h) / 255.0);
}

/* tests/reference-page1.png: made by this test with
 * LERS_REPORT_WRITE_REFERENCE=FILE, then looked at (and checked against
 * the document's geometry) by a person. It shows an A4 page: the bold
 * centred title "Ведомость учёта"; a 4 × 4 table with a grey header row
 * (Дата, T1 °C, M1 т, Q Гкал) and two days and a total row; a red box top
 * right; a blue zig-zag line; a thin black rule across the page; a small
 * picture half green, half yellow; a bordered grey chart box with a blue
 * rising line and "График T1"; and the tops of four big "Ж" cut off by
 * their box. */
static void
test_png_reference (void)
{
  g_autoptr (LersReportDocument) doc = report_test_document_new ();
  g_autoptr (GBytes) bytes = render_png (doc);
  const gchar *write = g_getenv ("LERS_REPORT_WRITE_REFERENCE");
  g_autofree gchar *path = g_build_filename (REPORT_PNG_TEST_DIR, "reference-page1.png", NULL);
  g_autoptr (GError) error = NULL;
  g_autofree gchar *contents = NULL;
  gsize length = 0;
  g_autoptr (GBytes) reference = NULL;
  cairo_surface_t *a, *b;
  gdouble whole, tile;

  if (write != NULL && *write != '\0')
    {
      g_assert_true (g_file_set_contents (write, g_bytes_get_data (bytes, NULL),
                                          (gssize) g_bytes_get_size (bytes), &error));
      g_assert_no_error (error);
    }
  g_assert_true (g_file_get_contents (path, &contents, &length, &error));
  g_assert_no_error (error);
  reference = g_bytes_new_take (g_steal_pointer (&contents), length);
  a = png_decode (bytes);
  b = png_decode (reference);
  compare (a, b, 0, &whole, &tile);
  g_test_message ("reference: mean difference %.4f%%, worst tile %.4f%%", whole * 100, tile * 100);
  g_assert_cmpfloat (whole, <, 0.02);
  g_assert_cmpfloat (tile, <, 0.02);
  cairo_surface_destroy (a);
  cairo_surface_destroy (b);
}

/* poppler (pdftoppm, at 150 dpi) draws the PDF backend's page 1 as the PNG
 * backend draws it */
static void
test_png_poppler (void)
{
  g_autoptr (LersReportDocument) doc = report_test_document_new ();
  g_autoptr (LersReportBackend) pdf = report_test_backend ("report-pdf");
  g_autoptr (GError) error = NULL;
  g_autoptr (GBytes) ours = render_png (doc);
  g_autoptr (GBytes) pdf_bytes = report_test_render (pdf, doc, &error);
  const gchar *const argv[]
      = { "pdftoppm", "-r", "150", "-f", "1", "-l", "1", "-png", "FILE", NULL };
  g_autoptr (GBytes) theirs = NULL;
  cairo_surface_t *a, *b;
  gdouble whole, tile;

  g_assert_no_error (error);
  theirs = report_test_run (pdf_bytes, "report.pdf", argv);
  a = png_decode (ours);
  b = png_decode (theirs);
  compare (a, b, 1, &whole, &tile);
  g_test_message ("poppler: mean difference %.4f%%, worst tile %.4f%%", whole * 100, tile * 100);
  g_assert_cmpfloat (whole, <, 0.02);
  g_assert_cmpfloat (tile, <, 0.05);
  cairo_surface_destroy (a);
  cairo_surface_destroy (b);
}

static void
keep_result (GObject *source, GAsyncResult *result, gpointer user_data)
{
  *(GAsyncResult **) user_data = g_object_ref (result);
}

/* off the main loop, four renders of one document at once give the same
 * bytes */
static void
test_png_async (void)
{
  g_autoptr (LersReportDocument) doc = report_test_document_new ();
  g_autoptr (LersReportBackend) png = report_test_backend ("report-png");
  g_autoptr (GBytes) alone = render_png (doc);
  GOutputStream *outs[4];
  GAsyncResult *results[4] = { NULL };

  for (guint i = 0; i < G_N_ELEMENTS (outs); i++)
    {
      outs[i] = g_memory_output_stream_new_resizable ();
      lers_report_backend_render_document_async (png, doc, outs[i], NULL, keep_result, &results[i]);
    }
  for (guint i = 0; i < G_N_ELEMENTS (outs); i++)
    {
      g_autoptr (GError) error = NULL;
      g_autoptr (GBytes) bytes = NULL;

      while (results[i] == NULL)
        g_main_context_iteration (NULL, TRUE);
      g_assert_true (lers_report_backend_render_document_finish (png, results[i], &error));
      g_assert_no_error (error);
      g_output_stream_close (outs[i], NULL, NULL);
      bytes = g_memory_output_stream_steal_as_bytes (G_MEMORY_OUTPUT_STREAM (outs[i]));
      g_assert_true (g_bytes_equal (bytes, alone));
      g_object_unref (results[i]);
      g_object_unref (outs[i]);
    }
}

static void
test_png_stream_fails (void)
{
  g_autoptr (LersReportBackend) png = report_test_backend ("report-png");
  g_autoptr (LersReportDocument) doc = report_test_document_new ();
  g_autoptr (GError) error = NULL;
  g_autoptr (GOutputStream) out = report_test_stream_new (1000, NULL);

  g_assert_false (lers_report_backend_render_document (png, doc, out, NULL, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_NO_SPACE);
  g_assert_cmpuint (report_test_stream_get_written (out), <=, 1000);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/report/png/backend", test_png_backend);
  g_test_add_func ("/report/png/pixels", test_png_pixels);
  g_test_add_func ("/report/png/empty", test_png_empty);
  g_test_add_func ("/report/png/reference", test_png_reference);
  g_test_add_func ("/report/png/poppler", test_png_poppler);
  g_test_add_func ("/report/png/async", test_png_async);
  g_test_add_func ("/report/png/stream-fails", test_png_stream_fails);
  return report_test_finish (g_test_run ());
}
