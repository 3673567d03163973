/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The PDF backend as libpeas loads it from the build tree, on the document
 * of report-test-document.c, read back by poppler (pdftotext, pdfinfo):
 * the texts of its two pages, Cyrillic included, in their table rows; its
 * title and page size; and what a failing or cancelling stream gives. */
#include "report-test-document.h"

static void
test_pdf_backend (void)
{
  g_autoptr (LersReportBackend) pdf = report_test_backend ("report-pdf");

  g_assert_cmpstr (lers_report_backend_get_format (pdf), ==, "pdf");
  g_assert_cmpstr (lers_report_backend_get_content_type (pdf), ==, "application/pdf");
}

static void
test_pdf_text (void)
{
  g_autoptr (LersReportBackend) pdf = report_test_backend ("report-pdf");
  g_autoptr (LersReportDocument) doc = report_test_document_new ();
  g_autoptr (GError) error = NULL;
  g_autoptr (GBytes) bytes = report_test_render (pdf, doc, &error);
  const gchar *const text_argv[] = { "pdftotext", "-layout", "-enc", "UTF-8", "FILE", "-", NULL };
  const gchar *const info_argv[] = { "pdfinfo", "FILE", NULL };
  g_autofree gchar *text = NULL;
  g_autofree gchar *info = NULL;
  g_auto (GStrv) pages = NULL;

  g_assert_no_error (error);
  g_assert_true (g_str_has_prefix (g_bytes_get_data (bytes, NULL), "%PDF-"));
  text = report_test_run_text (bytes, "report.pdf", text_argv);
  g_test_message ("pdftotext:\n%s", text);
  /* pdftotext ends every page with a form feed */
  pages = g_strsplit (text, "\f", -1);
  g_assert_cmpuint (g_strv_length (pages), ==, 3);
  g_assert_cmpstr (pages[2], ==, "");
  /* page 1: the title, the table a row a line, the chart's title, the
   * clipped text (clipping hides pixels, not text) */
  g_assert_true (g_regex_match_simple ("^ *Ведомость учёта *$", pages[0], G_REGEX_MULTILINE, 0));
  g_assert_true (
      g_regex_match_simple ("^ *Дата +T1, °C +M1, т +Q, Гкал *$", pages[0], G_REGEX_MULTILINE, 0));
  g_assert_true (g_regex_match_simple ("^ *01\\.03\\.2026 +95\\.40 +12\\.500 +0\\.845 *$", pages[0],
                                       G_REGEX_MULTILINE, 0));
  g_assert_true (g_regex_match_simple ("^ *02\\.03\\.2026 +94\\.10 +12\\.750 +0\\.861 *$", pages[0],
                                       G_REGEX_MULTILINE, 0));
  g_assert_true (
      g_regex_match_simple ("^ *Итого +25\\.250 +1\\.706 *$", pages[0], G_REGEX_MULTILINE, 0));
  g_assert_nonnull (strstr (pages[0], "График T1"));
  g_assert_null (strstr (pages[0], "Страница 2"));
  /* page 2 */
  g_assert_true (
      g_regex_match_simple ("^ *Страница 2: подписи *$", pages[1], G_REGEX_MULTILINE, 0));

  info = report_test_run_text (bytes, "report.pdf", info_argv);
  g_test_message ("pdfinfo:\n%s", info);
  g_assert_true (g_regex_match_simple ("^Pages: +2$", info, G_REGEX_MULTILINE, 0));
  g_assert_true (g_regex_match_simple ("^Title: +Ведомость учёта$", info, G_REGEX_MULTILINE, 0));
  /* 210 × 297 mm = 595.276 × 841.89 pt */
  g_assert_true (g_regex_match_simple ("^Page size: +595\\.276 x 841\\.89 pts \\(A4\\)$", info,
                                       G_REGEX_MULTILINE, 0));
}

/* no pages: still a PDF poppler reads, of one blank page */
static void
test_pdf_empty (void)
{
  g_autoptr (LersReportBackend) pdf = report_test_backend ("report-pdf");
  g_autoptr (LersReportDocument) doc = lers_report_document_new ("", "en", 300, 200);
  g_autoptr (GError) error = NULL;
  g_autoptr (GBytes) bytes = report_test_render (pdf, doc, &error);
  const gchar *const info_argv[] = { "pdfinfo", "FILE", NULL };
  g_autofree gchar *info = NULL;

  g_assert_no_error (error);
  info = report_test_run_text (bytes, "empty.pdf", info_argv);
  g_assert_true (g_regex_match_simple ("^Pages: +1$", info, G_REGEX_MULTILINE, 0));
  g_assert_true (g_regex_match_simple ("^Page size: +300 x 200 pts$", info, G_REGEX_MULTILINE, 0));
}

/* a stream that fails: its own error comes back, and nothing crashes */
static void
test_pdf_stream_fails (void)
{
  g_autoptr (LersReportBackend) pdf = report_test_backend ("report-pdf");
  g_autoptr (LersReportDocument) doc = report_test_document_new ();
  g_autoptr (GError) error = NULL;
  static const gsize limits[] = { 0, 100, 5000 };

  for (gsize i = 0; i < G_N_ELEMENTS (limits); i++)
    {
      g_autoptr (GOutputStream) out = report_test_stream_new (limits[i], NULL);

      g_assert_false (lers_report_backend_render_document (pdf, doc, out, NULL, &error));
      g_assert_error (error, G_IO_ERROR, G_IO_ERROR_NO_SPACE);
      g_assert_cmpstr (error->message, ==, "test stream is full");
      g_assert_cmpuint (report_test_stream_get_written (out), <=, limits[i]);
      g_clear_error (&error);
    }
}

/* cancelled while page 1 is written: page 2 is not drawn, and the PDF's
 * trailer is never written */
static void
test_pdf_cancel (void)
{
  g_autoptr (LersReportBackend) pdf = report_test_backend ("report-pdf");
  g_autoptr (LersReportDocument) doc = report_test_document_new ();
  g_autoptr (GError) error = NULL;
  g_autoptr (GCancellable) cancel = g_cancellable_new ();
  g_autoptr (GOutputStream) out = report_test_stream_new (1, cancel);
  g_autoptr (GOutputStream) whole = g_memory_output_stream_new_resizable ();

  g_assert_false (lers_report_backend_render_document (pdf, doc, out, cancel, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_assert_true (g_cancellable_is_cancelled (cancel));
  /* less than the whole PDF got through */
  g_assert_true (lers_report_backend_render_document (pdf, doc, whole, NULL, NULL));
  g_assert_cmpuint (report_test_stream_get_written (out), <,
                    g_memory_output_stream_get_data_size (G_MEMORY_OUTPUT_STREAM (whole)));
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/report/pdf/backend", test_pdf_backend);
  g_test_add_func ("/report/pdf/text", test_pdf_text);
  g_test_add_func ("/report/pdf/empty", test_pdf_empty);
  g_test_add_func ("/report/pdf/stream-fails", test_pdf_stream_fails);
  g_test_add_func ("/report/pdf/cancel", test_pdf_cancel);
  return report_test_finish (g_test_run ());
}
