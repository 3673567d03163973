/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The XLSX totals' formulas: each aggregate's Excel function, over the
 * detail rows of the range only (group rows between them split the range
 * into listed runs), in sheet coordinates; no formula when there is no
 * detail row or more runs than Excel takes (255). Expected formulas are
 * worked out by hand from the rows below. */
#include <check.h>

#include "lers-check.h"
#include "lers-report-xlsx.h"
#include "report/lers-report-table-private.h"

/* rows 0 detail, 1 detail, 2 group footer, 3 group header, 4 detail,
 * 5 detail, 6 detail, 7 total */
static LersReportTable *
make_table (void)
{
  static const LersReportRowKind kinds[] = {
    LERS_REPORT_ROW_DETAIL,       LERS_REPORT_ROW_DETAIL, LERS_REPORT_ROW_GROUP_FOOTER,
    LERS_REPORT_ROW_GROUP_HEADER, LERS_REPORT_ROW_DETAIL, LERS_REPORT_ROW_DETAIL,
    LERS_REPORT_ROW_DETAIL,       LERS_REPORT_ROW_TOTAL,
  };
  LersReportTable *table = lers_report_table_new (3);

  for (gsize i = 0; i < G_N_ELEMENTS (kinds); i++)
    lers_report_table_append_row (table, kinds[i]);
  return table;
}

static void
assert_formula (LersReportTable *table, guint column, LersReportAggregate aggregate, guint first,
                guint last, guint row0, const gchar *expected)
{
  g_autofree gchar *formula
      = lers_report_xlsx_formula (table, column, aggregate, first, last, row0);

  if (expected == NULL)
    ck_assert_msg (formula == NULL, "no formula expected, got %s", formula);
  else
    ck_assert_str_eq (formula, expected);
}

START_TEST (test_formula_functions)
{
  g_autoptr (LersReportTable) table = make_table ();

  /* table row 0 at sheet row 4 (0-based) is Excel's row 5; column 2 is C */
  assert_formula (table, 2, LERS_REPORT_AGGREGATE_SUM, 0, 1, 4, "=SUM(C5:C6)");
  assert_formula (table, 1, LERS_REPORT_AGGREGATE_AVG, 0, 1, 4, "=AVERAGE(B5:B6)");
  assert_formula (table, 0, LERS_REPORT_AGGREGATE_MIN, 0, 1, 4, "=MIN(A5:A6)");
  assert_formula (table, 0, LERS_REPORT_AGGREGATE_MAX, 0, 1, 4, "=MAX(A5:A6)");
  assert_formula (table, 2, LERS_REPORT_AGGREGATE_COUNT, 0, 1, 4, "=COUNT(C5:C6)");
  assert_formula (table, 2, LERS_REPORT_AGGREGATE_NONE, 0, 1, 4, NULL);
}
END_TEST

START_TEST (test_formula_detail_runs)
{
  g_autoptr (LersReportTable) table = make_table ();

  /* the whole table: rows 0-1 and 4-6 are detail (Excel 5:6 and 9:11),
   * the footer (7), the header (8) and the total (12) are left out */
  assert_formula (table, 2, LERS_REPORT_AGGREGATE_SUM, 0, 7, 4, "=SUM(C5:C6,C9:C11)");
  /* one detail row alone is a cell, not a range */
  assert_formula (table, 2, LERS_REPORT_AGGREGATE_SUM, 2, 4, 4, "=SUM(C9)");
  /* the sheet's first rows: row0 0 is Excel's row 1 */
  assert_formula (table, 0, LERS_REPORT_AGGREGATE_SUM, 4, 6, 0, "=SUM(A5:A7)");
  /* no detail row in the range */
  assert_formula (table, 2, LERS_REPORT_AGGREGATE_SUM, 2, 3, 4, NULL);
  /* a range past the end stops at the last row */
  assert_formula (table, 2, LERS_REPORT_AGGREGATE_SUM, 4, 100, 4, "=SUM(C9:C11)");
}
END_TEST

START_TEST (test_formula_too_many_runs)
{
  g_autoptr (LersReportTable) table = lers_report_table_new (1);
  g_autofree gchar *formula = NULL;

  /* 256 detail rows each followed by a footer: 256 runs, one too many */
  for (guint i = 0; i < 256; i++)
    {
      lers_report_table_append_row (table, LERS_REPORT_ROW_DETAIL);
      lers_report_table_append_row (table, LERS_REPORT_ROW_GROUP_FOOTER);
    }
  assert_formula (table, 0, LERS_REPORT_AGGREGATE_SUM, 0, 511, 0, NULL);
  /* 255 runs are fine: rows 0, 2, … 508 */
  formula = lers_report_xlsx_formula (table, 0, LERS_REPORT_AGGREGATE_SUM, 0, 508, 0);
  ck_assert_ptr_nonnull (formula);
  ck_assert (g_str_has_prefix (formula, "=SUM(A1,A3,A5,"));
  ck_assert (g_str_has_suffix (formula, ",A509)"));
}
END_TEST

int
main (int argc, char **argv)
{
  Suite *s = suite_create ("report-xlsx-formula");
  TCase *tc = tcase_create ("formula");

  lers_check_init (&argc, &argv);
  tcase_add_test (tc, test_formula_functions);
  tcase_add_test (tc, test_formula_detail_runs);
  tcase_add_test (tc, test_formula_too_many_runs);
  suite_add_tcase (s, tc);
  return lers_check_run_suite (s);
}
