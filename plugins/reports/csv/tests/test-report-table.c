/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* LersReportTable: a table filled by hand through the layout's builder
 * (lers-report-table-private.h) reads back through the public accessors
 * with what was put in: kinds from the values' types, texts, numbers,
 * moments in the zone they are shown in, formats, spans (clamped to the
 * last column), styles and aggregates. */
#include <check.h>

#include <lers.h>

#include "lers-check.h"
#include "report/lers-report-table-private.h"

/* 2026-11-01 00:00 in Moscow (UTC+3) is 2026-10-31 21:00 UTC:
 * python3 datetime(2026, 11, 1, tzinfo=+3h).timestamp() = 1793480400 */
#define NOV_1_MSK_US (G_GINT64_CONSTANT (1793480400) * G_USEC_PER_SEC)

/* values by hand (the value functions are the expression language's) */
static const LersReportValue *
number (LersReportValue *v, gdouble x)
{
  *v = (LersReportValue) LERS_REPORT_VALUE_INIT;
  v->type = LERS_REPORT_VALUE_NUMBER;
  v->number = x;
  return v;
}

static LersReportTable *
make_table (GTimeZone *msk)
{
  LersReportTable *table = lers_report_table_new (3);
  LersReportValue v = LERS_REPORT_VALUE_INIT;
  LersReportValue null = LERS_REPORT_VALUE_INIT;
  LersReportValue when = { LERS_REPORT_VALUE_TIME, 0.0, NOV_1_MSK_US, FALSE, NULL };
  LersReportValue yes = { LERS_REPORT_VALUE_BOOLEAN, 0.0, 0, TRUE, NULL };
  LersReportValue total = { LERS_REPORT_VALUE_STRING, 0.0, 0, FALSE, (gchar *) "Итого" };

  lers_report_table_set_column (table, 0, "Дата", 60.0);
  lers_report_table_set_column (table, 1, "t1, °C", 40.0);
  lers_report_table_set_column (table, 2, "Q, Гкал", 45.5);

  ck_assert_uint_eq (lers_report_table_append_row (table, LERS_REPORT_ROW_DETAIL), 0);
  lers_report_table_set_cell (table, 0, &when, "01.11.2026", "dd.mm.yyyy", msk);
  lers_report_table_set_cell (table, 1, number (&v, 65.234), "65,23", "0.00", NULL);
  lers_report_table_set_cell (table, 2, number (&v, -1.5), "-1,500", "0.000", NULL);
  lers_report_table_set_cell_style (table, 2, FALSE, TRUE, 0xffd0d0);

  ck_assert_uint_eq (lers_report_table_append_row (table, LERS_REPORT_ROW_DETAIL), 1);
  lers_report_table_set_cell (table, 1, &null, "", NULL, NULL); /* null: an empty cell */
  lers_report_table_set_cell (table, 2, &yes, "да", NULL, NULL);

  ck_assert_uint_eq (lers_report_table_append_row (table, LERS_REPORT_ROW_TOTAL), 2);
  lers_report_table_set_cell (table, 0, &total, NULL, NULL, NULL);
  lers_report_table_set_cell_style (table, 0, TRUE, FALSE, 0);
  lers_report_table_set_cell (table, 1, number (&v, 65.234), "65,23", "0.00", NULL);
  lers_report_table_set_cell_aggregate (table, 1, LERS_REPORT_AGGREGATE_AVG, 0, 1);
  /* a span of 5 from the last column but one is cut to the 2 left */
  lers_report_table_set_cell_span (table, 1, 5);
  return table;
}

START_TEST (test_table_columns_and_rows)
{
  g_autoptr (GTimeZone) msk = g_time_zone_new_identifier ("Europe/Moscow");
  g_autoptr (LersReportTable) table = make_table (msk);

  ck_assert_uint_eq (lers_report_table_get_n_columns (table), 3);
  ck_assert_str_eq (lers_report_table_get_column_title (table, 0), "Дата");
  ck_assert_str_eq (lers_report_table_get_column_title (table, 2), "Q, Гкал");
  ck_assert_double_eq (lers_report_table_get_column_width (table, 2), 45.5);
  ck_assert_uint_eq (lers_report_table_get_n_rows (table), 3);
  ck_assert_int_eq (lers_report_table_get_row_kind (table, 0), LERS_REPORT_ROW_DETAIL);
  ck_assert_int_eq (lers_report_table_get_row_kind (table, 2), LERS_REPORT_ROW_TOTAL);
}
END_TEST

START_TEST (test_table_cells)
{
  g_autoptr (GTimeZone) msk = g_time_zone_new_identifier ("Europe/Moscow");
  g_autoptr (LersReportTable) table = make_table (msk);
  guint32 rgb = 0;

  /* kinds from the values' types */
  ck_assert_int_eq (lers_report_table_get_cell_kind (table, 0, 0), LERS_REPORT_CELL_TIME);
  ck_assert_int_eq (lers_report_table_get_cell_kind (table, 0, 1), LERS_REPORT_CELL_NUMBER);
  ck_assert_int_eq (lers_report_table_get_cell_kind (table, 1, 0), LERS_REPORT_CELL_EMPTY);
  ck_assert_int_eq (lers_report_table_get_cell_kind (table, 1, 1), LERS_REPORT_CELL_EMPTY);
  ck_assert_int_eq (lers_report_table_get_cell_kind (table, 1, 2), LERS_REPORT_CELL_BOOLEAN);
  ck_assert_int_eq (lers_report_table_get_cell_kind (table, 2, 0), LERS_REPORT_CELL_TEXT);

  /* texts as given; a string value without a text shows the string */
  ck_assert_str_eq (lers_report_table_get_cell_text (table, 0, 1), "65,23");
  ck_assert_str_eq (lers_report_table_get_cell_text (table, 1, 0), "");
  ck_assert_str_eq (lers_report_table_get_cell_text (table, 1, 2), "да");
  ck_assert_str_eq (lers_report_table_get_cell_text (table, 2, 0), "Итого");

  /* numbers unrounded; a true boolean is 1; text is 0 */
  ck_assert_double_eq (lers_report_table_get_cell_number (table, 0, 1), 65.234);
  ck_assert_double_eq (lers_report_table_get_cell_number (table, 0, 2), -1.5);
  ck_assert_double_eq (lers_report_table_get_cell_number (table, 1, 2), 1.0);
  ck_assert_double_eq (lers_report_table_get_cell_number (table, 2, 0), 0.0);

  /* formats */
  ck_assert_str_eq (lers_report_table_get_cell_format (table, 0, 0), "dd.mm.yyyy");
  ck_assert_str_eq (lers_report_table_get_cell_format (table, 0, 2), "0.000");
  ck_assert_ptr_null (lers_report_table_get_cell_format (table, 1, 2));

  /* styles */
  ck_assert (lers_report_table_get_cell_fill (table, 0, 2, &rgb));
  ck_assert_uint_eq (rgb, 0xffd0d0);
  ck_assert (!lers_report_table_get_cell_fill (table, 0, 1, &rgb));
  ck_assert_uint_eq (rgb, 0);
  ck_assert (lers_report_table_get_cell_bold (table, 2, 0));
  ck_assert (!lers_report_table_get_cell_bold (table, 0, 0));
}
END_TEST

START_TEST (test_table_time_in_zone)
{
  g_autoptr (GTimeZone) msk = g_time_zone_new_identifier ("Europe/Moscow");
  g_autoptr (LersReportTable) table = make_table (msk);
  g_autoptr (GDateTime) when = lers_report_table_dup_cell_time (table, 0, 0);

  ck_assert_ptr_nonnull (when);
  /* the wall clock of Moscow: 01.11.2026 00:00, UTC+3 */
  ck_assert_int_eq (g_date_time_get_year (when), 2026);
  ck_assert_int_eq (g_date_time_get_month (when), 11);
  ck_assert_int_eq (g_date_time_get_day_of_month (when), 1);
  ck_assert_int_eq (g_date_time_get_hour (when), 0);
  ck_assert_int_eq (g_date_time_get_utc_offset (when), 3 * G_TIME_SPAN_HOUR);
  ck_assert_int_eq (g_date_time_to_unix (when), 1793480400);
  /* not a time cell */
  ck_assert_ptr_null (lers_report_table_dup_cell_time (table, 0, 1));
}
END_TEST

START_TEST (test_table_span_and_aggregate)
{
  g_autoptr (LersReportTable) table = make_table (NULL);
  guint first = 99, last = 99;

  ck_assert_uint_eq (lers_report_table_get_cell_span (table, 2, 1), 2);
  ck_assert_uint_eq (lers_report_table_get_cell_span (table, 0, 0), 1);
  ck_assert_int_eq (lers_report_table_get_cell_aggregate (table, 2, 1, &first, &last),
                    LERS_REPORT_AGGREGATE_AVG);
  ck_assert_uint_eq (first, 0);
  ck_assert_uint_eq (last, 1);
  ck_assert_int_eq (lers_report_table_get_cell_aggregate (table, 0, 1, &first, &last),
                    LERS_REPORT_AGGREGATE_NONE);
  ck_assert_uint_eq (first, 0);
  ck_assert_uint_eq (last, 0);
  ck_assert_int_eq (lers_report_table_get_cell_aggregate (table, 2, 1, NULL, NULL),
                    LERS_REPORT_AGGREGATE_AVG);
}
END_TEST

int
main (int argc, char **argv)
{
  Suite *s = suite_create ("report-table");
  TCase *tc = tcase_create ("table");

  lers_check_init (&argc, &argv);
  tcase_add_test (tc, test_table_columns_and_rows);
  tcase_add_test (tc, test_table_cells);
  tcase_add_test (tc, test_table_time_in_zone);
  tcase_add_test (tc, test_table_span_and_aggregate);
  suite_add_tcase (s, tc);
  return lers_check_run_suite (s);
}
