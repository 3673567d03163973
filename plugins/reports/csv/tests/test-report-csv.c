/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The CSV backend, loaded from the build tree: the sample document
 * (report-tabular-sample.c) as the exact bytes worked out by hand from RFC
 * 4180 — a UTF-8 BOM, CRLF line ends, ";" in Russian and "," in English,
 * fields quoted when they hold the separator, a quote, CR or LF, quotes
 * doubled, the table set apart by empty lines, charts, pictures and page
 * breaks left out; records as before; a closed stream gives its error. */
#include <check.h>

#include "lers-check.h"
#include "lers-report-csv.h"
#include "report-tabular-sample.h"

static LersReportBackend *
load_csv (LersEngine *engine)
{
  g_autoptr (GError) error = NULL;
  LersReportBackend *backend = lers_engine_get_report_backend (engine, "report-csv", &error);

  ck_assert_msg (backend != NULL, "%s", error ? error->message : "?");
  return backend;
}

static gchar *
render (const gchar *language)
{
  g_autoptr (LersEngine) engine = lers_engine_new ();
  g_autoptr (LersReportBackend) backend = load_csv (engine);
  g_autoptr (LersReportDocument) document = report_tabular_sample_new (language);
  g_autoptr (GOutputStream) stream = g_memory_output_stream_new_resizable ();
  g_autoptr (GError) error = NULL;

  ck_assert_msg (lers_report_backend_render_document (backend, document, stream, NULL, &error),
                 "%s", error ? error->message : "?");
  ck_assert (g_output_stream_write_all (stream, "", 1, NULL, NULL, NULL)); /* NUL */
  ck_assert (g_output_stream_close (stream, NULL, NULL));
  return g_memory_output_stream_steal_data (G_MEMORY_OUTPUT_STREAM (stream));
}

START_TEST (test_csv_identity)
{
  g_autoptr (LersEngine) engine = lers_engine_new ();
  g_autoptr (LersReportBackend) backend = load_csv (engine);

  ck_assert_str_eq (lers_report_backend_get_format (backend), "csv");
  ck_assert_str_eq (lers_report_backend_get_content_type (backend), "text/csv");
}
END_TEST

START_TEST (test_csv_russian)
{
  g_autofree gchar *csv = render ("ru");
  /* by hand: ";" separates, so "t1, °C" stays bare; the customer line has
   * ";" and quotes, so it is quoted with its quotes doubled; the footer's
   * label spans two columns, the covered one is empty; t1 is empty on the
   * 3rd; the signature has quotes */
  static const gchar expected[] = "\xEF\xBB\xBF"
                                  "ВЕДОМОСТЬ УЧЁТА\r\n"
                                  "\"Абонент: ООО \"\"Тепло; Сеть\"\"\"\r\n"
                                  "\r\n"
                                  "Дата;t1, °C;Q, Гкал\r\n"
                                  "01.11.2026;65,23;1,500\r\n"
                                  "02.11.2026;70,00;2,250\r\n"
                                  "Итого & <script>неделя</script>;;3,750\r\n"
                                  "03.11.2026;;4,000\r\n"
                                  "Итого;67,62;7,750\r\n"
                                  "\r\n"
                                  "\"Подпись: <script>alert(\"\"x\"\")</script>\"\r\n";

  ck_assert_str_eq (csv, expected);
}
END_TEST

START_TEST (test_csv_english)
{
  g_autofree gchar *csv = render ("en");
  /* by hand: "," separates, so the titles with a comma are quoted, the
   * numbers (a decimal point) are not */
  static const gchar expected[] = "\xEF\xBB\xBF"
                                  "STATEMENT\r\n"
                                  "\"Customer: \"\"Heat, Net\"\" Ltd\"\r\n"
                                  "\r\n"
                                  "Date,\"t1, °C\",\"Q, Gcal\"\r\n"
                                  "01.11.2026,65.23,1.500\r\n"
                                  "02.11.2026,70.00,2.250\r\n"
                                  "Total & <script>week</script>,,3.750\r\n"
                                  "03.11.2026,,4.000\r\n"
                                  "Total,67.62,7.750\r\n"
                                  "\r\n"
                                  "\"Signature: <script>alert(\"\"x\"\")</script>\"\r\n";

  ck_assert_str_eq (csv, expected);
}
END_TEST

START_TEST (test_csv_field_with_line_break)
{
  g_autoptr (GString) out = g_string_new (NULL);

  /* RFC 4180 2.6: a field with a line break is quoted, the break kept */
  lers_report_csv_append_field (out, "a\r\nb", ',');
  ck_assert_str_eq (out->str, "\"a\r\nb\"");
  g_string_truncate (out, 0);
  lers_report_csv_append_field (out, "1,5", ';');
  ck_assert_str_eq (out->str, "1,5");
}
END_TEST

/* one column, a row a cell */
static void
add_cell (LersReportTable *table, LersReportValueType type, gdouble number, const gchar *text)
{
  LersReportValue v = LERS_REPORT_VALUE_INIT;

  v.type = type;
  v.number = number;
  v.string = (gchar *) text;
  lers_report_table_append_row (table, LERS_REPORT_ROW_DETAIL);
  lers_report_table_set_cell (table, 0, &v, text, NULL, NULL);
}

START_TEST (test_csv_formula_injection)
{
  g_autoptr (LersEngine) engine = lers_engine_new ();
  g_autoptr (LersReportBackend) backend = load_csv (engine);
  g_autoptr (LersReportDocument) document = lers_report_document_new ("x", "ru", 595.0, 842.0);
  g_autoptr (LersReportTable) table = lers_report_table_new (1);
  g_autoptr (GOutputStream) stream = g_memory_output_stream_new_resizable ();
  g_autoptr (GError) error = NULL;
  g_autofree gchar *csv = NULL;

  lers_report_table_set_column (table, 0, "=A1", 50.0);
  add_cell (table, LERS_REPORT_VALUE_STRING, 0, "=HYPERLINK(\"http://x\")");
  add_cell (table, LERS_REPORT_VALUE_STRING, 0, "+1");
  add_cell (table, LERS_REPORT_VALUE_STRING, 0, "@SUM(A1)");
  add_cell (table, LERS_REPORT_VALUE_STRING, 0, "-x");
  add_cell (table, LERS_REPORT_VALUE_STRING, 0, "-5 °C");
  add_cell (table, LERS_REPORT_VALUE_NUMBER, -1.5, "-1,5");
  lers_report_document_append_text_block (document, "body", "=1+2", FALSE, 9.0);
  lers_report_document_append_table_block (document, "body", table);
  ck_assert_msg (lers_report_backend_render_document (backend, document, stream, NULL, &error),
                 "%s", error ? error->message : "?");
  ck_assert (g_output_stream_write_all (stream, "", 1, NULL, NULL, NULL));
  ck_assert (g_output_stream_close (stream, NULL, NULL));
  csv = g_memory_output_stream_steal_data (G_MEMORY_OUTPUT_STREAM (stream));
  /* by hand (OWASP, CSV injection): texts that start with = + @ or - and
   * no digit get an apostrophe; a text "-5 °C" and a number "-1,5" do not */
  ck_assert_str_eq (csv, "\xEF\xBB\xBF"
                         "'=1+2\r\n"
                         "\r\n"
                         "'=A1\r\n"
                         "\"'=HYPERLINK(\"\"http://x\"\")\"\r\n"
                         "'+1\r\n"
                         "'@SUM(A1)\r\n"
                         "'-x\r\n"
                         "-5 °C\r\n"
                         "-1,5\r\n");
}
END_TEST

START_TEST (test_csv_records)
{
  g_autoptr (LersEngine) engine = lers_engine_new ();
  g_autoptr (LersReportBackend) backend = load_csv (engine);
  g_autoptr (GPtrArray) records = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr (GDateTime) when = g_date_time_new_utc (2026, 11, 1, 0, 0, 0);
  g_autoptr (GOutputStream) stream = g_memory_output_stream_new_resizable ();
  g_autoptr (GError) error = NULL;
  g_autofree gchar *csv = NULL;
  LersRecord *record = lers_record_new (when, LERS_ARCHIVE_KIND_HOUR);

  lers_record_set_value (record, LERS_PARAMETER_T_IN, 65.5, 0);
  lers_record_set_value (record, LERS_PARAMETER_Q_DELTA, 1.25, 0);
  g_ptr_array_add (records, record);
  ck_assert_msg (lers_report_backend_render_records (backend, records, stream, NULL, &error), "%s",
                 error ? error->message : "?");
  ck_assert (g_output_stream_write_all (stream, "", 1, NULL, NULL, NULL));
  ck_assert (g_output_stream_close (stream, NULL, NULL));
  csv = g_memory_output_stream_steal_data (G_MEMORY_OUTPUT_STREAM (stream));
  /* by hand: the titles "name, unit code" hold "," and are quoted */
  ck_assert_str_eq (csv, "\xEF\xBB\xBF"
                         "timestamp,\"T_in, degC\",\"Q_delta, Gcal\"\r\n"
                         "2026-11-01T00:00:00Z,65.5,1.25\r\n");
}
END_TEST

START_TEST (test_csv_closed_stream)
{
  g_autoptr (LersEngine) engine = lers_engine_new ();
  g_autoptr (LersReportBackend) backend = load_csv (engine);
  g_autoptr (LersReportDocument) document = report_tabular_sample_new ("ru");
  g_autoptr (GOutputStream) stream = g_memory_output_stream_new_resizable ();
  g_autoptr (GError) error = NULL;

  ck_assert (g_output_stream_close (stream, NULL, NULL));
  ck_assert (!lers_report_backend_render_document (backend, document, stream, NULL, &error));
  ck_assert (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CLOSED));
}
END_TEST

int
main (int argc, char **argv)
{
  Suite *s = suite_create ("report-csv");
  TCase *tc = tcase_create ("csv");

  lers_check_init (&argc, &argv);
  tcase_add_test (tc, test_csv_identity);
  tcase_add_test (tc, test_csv_russian);
  tcase_add_test (tc, test_csv_english);
  tcase_add_test (tc, test_csv_field_with_line_break);
  tcase_add_test (tc, test_csv_formula_injection);
  tcase_add_test (tc, test_csv_records);
  tcase_add_test (tc, test_csv_closed_stream);
  suite_add_tcase (s, tc);
  return lers_check_run_suite (s);
}
