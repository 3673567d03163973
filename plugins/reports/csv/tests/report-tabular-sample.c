/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The document the tabular backends' tests write: built by hand through
 * the document's and the table's builders, so every expected value in the
 * tests is worked out from here, not from the layout. */
#include "report-tabular-sample.h"

#include <cairo.h>

/* 2026-11-01 00:00 in Moscow (UTC+3) is 2026-10-31 21:00 UTC:
 * python3 datetime(2026, 11, 1, tzinfo=+3h).timestamp() = 1793480400 */
#define NOV_1_MSK_S G_GINT64_CONSTANT (1793480400)

static void
set_number (LersReportTable *table, guint column, gdouble number, const gchar *format,
            const gchar *language)
{
  LersReportValue v = LERS_REPORT_VALUE_INIT;
  /* what the layout would show: fixed decimals, a decimal comma in Russian */
  guint decimals = g_str_equal (format, "0.00") ? 2 : 3;
  g_autofree gchar *text = g_strdup_printf ("%.*f", decimals, number);

  if (g_str_equal (language, "ru"))
    g_strdelimit (text, ".", ',');
  v.type = LERS_REPORT_VALUE_NUMBER;
  v.number = number;
  lers_report_table_set_cell (table, column, &v, text, format, NULL);
}

static void
set_day (LersReportTable *table, guint day, GTimeZone *zone)
{
  LersReportValue v = LERS_REPORT_VALUE_INIT;
  g_autofree gchar *text = g_strdup_printf ("%02u.11.2026", day);

  v.type = LERS_REPORT_VALUE_TIME;
  v.time = (NOV_1_MSK_S + (day - 1) * 86400) * G_USEC_PER_SEC;
  lers_report_table_set_cell (table, 0, &v, text, "dd.mm.yyyy", zone);
}

static void
set_text (LersReportTable *table, guint column, const gchar *text)
{
  LersReportValue v = LERS_REPORT_VALUE_INIT;

  v.type = LERS_REPORT_VALUE_STRING;
  v.string = (gchar *) text;
  lers_report_table_set_cell (table, column, &v, text, NULL, NULL);
}

LersReportTable *
report_tabular_sample_table (const gchar *language)
{
  gboolean ru = g_str_equal (language, "ru");
  LersReportTable *table = lers_report_table_new (3);
  g_autoptr (GTimeZone) msk = g_time_zone_new_identifier ("Europe/Moscow");

  lers_report_table_set_column (table, 0, ru ? "Дата" : "Date", 60.0);
  lers_report_table_set_column (table, 1, "t1, °C", 40.0);
  lers_report_table_set_column (table, 2, ru ? "Q, Гкал" : "Q, Gcal", 45.0);

  /* 0, 1: two days */
  lers_report_table_append_row (table, LERS_REPORT_ROW_DETAIL);
  set_day (table, 1, msk);
  set_number (table, 1, 65.234, "0.00", language);
  set_number (table, 2, 1.5, "0.000", language);
  lers_report_table_append_row (table, LERS_REPORT_ROW_DETAIL);
  set_day (table, 2, msk);
  set_number (table, 1, 70.0, "0.00", language);
  set_number (table, 2, 2.25, "0.000", language);
  /* 2: their group's footer, its label over two columns: Q 1.5 + 2.25 */
  lers_report_table_append_row (table, LERS_REPORT_ROW_GROUP_FOOTER);
  set_text (table, 0, ru ? "Итого & <script>неделя</script>" : "Total & <script>week</script>");
  lers_report_table_set_cell_span (table, 0, 2);
  lers_report_table_set_cell_style (table, 0, TRUE, FALSE, 0);
  set_number (table, 2, 3.75, "0.000", language);
  lers_report_table_set_cell_aggregate (table, 2, LERS_REPORT_AGGREGATE_SUM, 0, 1);
  /* 3: a day without t1, its Q highlighted */
  lers_report_table_append_row (table, LERS_REPORT_ROW_DETAIL);
  set_day (table, 3, msk);
  set_number (table, 2, 4.0, "0.000", language);
  lers_report_table_set_cell_style (table, 2, FALSE, TRUE, 0xffd0d0);
  /* 4: the total over the detail rows 0, 1, 3: t1 (65.234 + 70) / 2 =
   * 67.617, Q 1.5 + 2.25 + 4 = 7.75 */
  lers_report_table_append_row (table, LERS_REPORT_ROW_TOTAL);
  set_text (table, 0, ru ? "Итого" : "Total");
  lers_report_table_set_cell_style (table, 0, TRUE, FALSE, 0);
  set_number (table, 1, 67.617, "0.00", language);
  lers_report_table_set_cell_aggregate (table, 1, LERS_REPORT_AGGREGATE_AVG, 0, 3);
  set_number (table, 2, 7.75, "0.000", language);
  lers_report_table_set_cell_aggregate (table, 2, LERS_REPORT_AGGREGATE_SUM, 0, 3);
  return table;
}

static cairo_status_t
append_png (void *closure, const unsigned char *data, unsigned int length)
{
  g_byte_array_append (closure, data, length);
  return CAIRO_STATUS_SUCCESS;
}

/* a 4 × 4 red square */
static GBytes *
sample_png (void)
{
  cairo_surface_t *surface = cairo_image_surface_create (CAIRO_FORMAT_RGB24, 4, 4);
  cairo_t *cr = cairo_create (surface);
  GByteArray *png = g_byte_array_new ();

  cairo_set_source_rgb (cr, 1, 0, 0);
  cairo_paint (cr);
  cairo_destroy (cr);
  cairo_surface_write_to_png_stream (surface, append_png, png);
  cairo_surface_destroy (surface);
  return g_byte_array_free_to_bytes (png);
}

LersReportDocument *
report_tabular_sample_new (const gchar *language)
{
  gboolean ru = g_str_equal (language, "ru");
  /* A4 landscape: 297 × 210 mm = 841.89 × 595.28 pt */
  LersReportDocument *document = lers_report_document_new (
      ru ? "Ведомость <тепло> & «вода»" : "Statement <heat> & water", language, 841.89, 595.28);
  g_autoptr (LersReportTable) table = report_tabular_sample_table (language);
  g_autoptr (LersReportDocument) chart = lers_report_document_new ("t1", language, 200.0, 100.0);
  g_autoptr (GBytes) png = sample_png ();
  static const gdouble line[] = { 10.0, 90.0, 100.0, 20.0, 190.0, 60.0 };

  lers_report_document_add_page (chart);
  lers_report_document_add_text (chart, 0, 5.0, 2.0, 190.0, 12.0, "t1, °C", "DejaVu Sans 8",
                                 LERS_REPORT_TEXT_LEFT, 0x000000);
  lers_report_document_add_polyline (chart, 0, line, 3, 1.0, 0x0000ff);

  lers_report_document_append_text_block (document, "report-header",
                                          ru ? "ВЕДОМОСТЬ УЧЁТА" : "STATEMENT", TRUE, 13.0);
  lers_report_document_append_text_block (
      document, "report-header",
      ru ? "Абонент: ООО \"Тепло; Сеть\"" : "Customer: \"Heat, Net\" Ltd", FALSE, 9.0);
  lers_report_document_append_table_block (document, "body", table);
  lers_report_document_append_drawing_block (document, "summary", chart);
  lers_report_document_append_image_block (document, "summary", png);
  lers_report_document_append_page_break (document);
  lers_report_document_append_text_block (document, "summary",
                                          ru ? "Подпись: <script>alert(\"x\")</script>"
                                             : "Signature: <script>alert(\"x\")</script>",
                                          FALSE, 9.0);
  return document;
}
