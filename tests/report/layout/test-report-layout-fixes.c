/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The layout at its edges: chart axes whose steps are below the spacing
 * of doubles, fixed column widths wider than the page, totals past the
 * largest double. The expected values are worked out by hand in the
 * comments. */
#include "config.h"

#include <math.h>
#include <string.h>

#include "test-report-layout-helpers.h"

#define SMALL_PAGE                                                                                 \
  "<?xml version='1.0' encoding='UTF-8'?>"                                                         \
  "<report version='1' id='t' source='point'>"                                                     \
  "<title ru='Проба' en='Trial'/>"                                                            \
  "<parameters kinds='day' default-kind='day' period='month'/>"                                    \
  "<page size='100x78' margin='10mm'/>"

static const gchar chart_huge[]
    = "<?xml version='1.0' encoding='UTF-8'?>"
      "<report version='1' id='t' source='point'>"
      "<title ru='Проба' en='Trial'/>"
      "<parameters kinds='day' default-kind='day' period='month'/>"
      "<page size='A4' margin='10mm'/>"
      "<summary><chart kind='line' x='DataDate' y='Q' height='60mm'/></summary>"
      "</report>";

START_TEST (test_chart_huge_values)
{
  /* 1e17 and 1e17 + 16 are neighbouring doubles (the spacing there is
   * 2^56 / 2^52 = 16): the range 16 asks for a step of 5 (16 / 5 ticks =
   * 3.2, rounded up to 5), and 1e17 + 5 == 1e17. The axis falls back to
   * its two ends. Before the fix the layout never returned. */
  static const gdouble q[] = { 1e17, 1e17 + 16 };
  g_autofree TestRow *rows = test_rows_daily (2, q);
  TestData data = { rows, 2, "Point 1" };
  g_autoptr (LersReportDocument) document = NULL;
  LersReportDocument *drawing;
  g_autofree gchar *text = NULL;

  ck_assert (1e17 + 5 == 1e17);
  ck_assert (1e17 + 16 != 1e17);
  document = test_layout (chart_huge, &data, "en");
  ck_assert_uint_eq (lers_report_document_get_n_blocks (document), 1);
  ck_assert_int_eq (lers_report_document_get_block_kind (document, 0), LERS_REPORT_BLOCK_CHART);
  drawing = lers_report_document_get_block_drawing (document, 0);
  ck_assert_ptr_nonnull (drawing);
  text = test_page_text (drawing, 0);
  /* the ends of the axis, in format "0" */
  ck_assert_msg (strstr (text, "100000000000000000") != NULL, "%s", text);
  ck_assert_msg (strstr (text, "100000000000000016") != NULL, "%s", text);
}
END_TEST

static const gchar wide_columns[]
    = SMALL_PAGE "<table rows='archive'>"
                 "<column title='Alpha' value='DataDate' format='dd.MM' width='60mm'/>"
                 "<column title='Beta' value='T1' format='0' width='60mm'/>"
                 "<column title='G' value='T2' format='0'/>"
                 "</table></report>";

START_TEST (test_columns_too_wide)
{
  g_autofree TestRow *rows = test_rows_daily (2, NULL);
  TestData data = { rows, 2, "Point 1" };
  g_autoptr (LersReportDocument) document = test_layout (wide_columns, &data, "en");
  LersReportTable *table = test_first_table (document);
  g_autofree gchar *text = test_page_text (document, 0);
  gdouble sum = 0;

  /* the body is 100 − 2 × 10 = 80mm = 226.77pt. The fixed columns ask
   * 2 × 60mm = 340.16pt, the flexible one at least 5mm = 14.17pt:
   * 354.33pt, scaled by 226.77 / 354.33 = 0.64 → 108.85, 108.85, 9.07 */
  ck_assert_uint_eq (lers_report_table_get_n_columns (table), 3);
  ck_assert_double_eq_tol (lers_report_table_get_column_width (table, 0), 108.85, 0.01);
  ck_assert_double_eq_tol (lers_report_table_get_column_width (table, 1), 108.85, 0.01);
  ck_assert_double_eq_tol (lers_report_table_get_column_width (table, 2), 9.07, 0.01);
  for (guint c = 0; c < 3; c++)
    sum += lers_report_table_get_column_width (table, c);
  ck_assert_double_eq_tol (sum, 226.77, 0.01);
  /* all three titles on the page: none cut off past the margin */
  ck_assert_msg (strstr (text, "Alpha") != NULL, "%s", text);
  ck_assert_msg (strstr (text, "Beta") != NULL, "%s", text);
  ck_assert_msg (strstr (text, "G") != NULL, "%s", text);
}
END_TEST

static const gchar huge_totals[] = "<?xml version='1.0' encoding='UTF-8'?>"
                                   "<report version='1' id='t' source='point'>"
                                   "<title ru='Проба' en='Trial'/>"
                                   "<parameters kinds='day' default-kind='day' period='month'/>"
                                   "<page size='A4' margin='10mm'/>"
                                   "<table rows='archive'>"
                                   "<column title='Date' value='DataDate' format='dd.MM.yyyy'/>"
                                   "<column title='Sum' value='Q' format='0' total='sum'/>"
                                   "<column title='Avg' value='Q' format='0' total='avg'/>"
                                   "<column title='Max' value='Q' format='0' total='max'/>"
                                   "</table></report>";

START_TEST (test_totals_overflow)
{
  /* 3 × 1e308 is past the largest double (1.797e308): the sum and the
   * average (sum / 3) are +inf, no number; the maximum stays 1e308 */
  static const gdouble q[] = { 1e308, 1e308, 1e308 };
  g_autofree TestRow *rows = test_rows_daily (3, q);
  TestData data = { rows, 3, "Point 1" };
  g_autoptr (LersReportDocument) document = test_layout (huge_totals, &data, "en");
  LersReportTable *table = test_first_table (document);

  /* three detail rows, the total row */
  ck_assert_uint_eq (lers_report_table_get_n_rows (table), 4);
  ck_assert_int_eq (lers_report_table_get_row_kind (table, 3), LERS_REPORT_ROW_TOTAL);
  ck_assert_int_eq (lers_report_table_get_cell_kind (table, 3, 1), LERS_REPORT_CELL_EMPTY);
  ck_assert_int_eq (lers_report_table_get_cell_kind (table, 3, 2), LERS_REPORT_CELL_EMPTY);
  ck_assert_int_eq (lers_report_table_get_cell_kind (table, 3, 3), LERS_REPORT_CELL_NUMBER);
  ck_assert_double_eq (lers_report_table_get_cell_number (table, 3, 3), 1e308);
}
END_TEST

/* the first table's rows are 11.64 + 2 × 10 = 31.64pt tall: its header and
 * 3 rows take 126.56 of the body's 164.41pt, leaving 37.85pt; the second
 * table's header and first row (2 × 15.64 = 31.28pt) would fit there, its
 * whole (4 × 15.64 = 62.56pt) does not */
#define KEEP_TABLES(keep)                                                                          \
  SMALL_PAGE "<styles><style id='tall' font='DejaVu Sans 10' padding='10pt'/>"                     \
             "<style id='td' font='DejaVu Sans 10' padding='2pt'/></styles>"                       \
             "<table rows='archive' style='tall' header-style='tall'>"                             \
             "<column title='First' value='DataDate' format='dd.MM'/>"                             \
             "</table>"                                                                            \
             "<table rows='archive' style='td' header-style='td'" keep ">"                         \
             "<column title='Second' value='DataDate' format='dd.MM.yyyy'/>"                       \
             "</table></report>"

START_TEST (test_keep_together)
{
  g_autofree TestRow *rows = test_rows_daily (3, NULL);
  TestData data = { rows, 3, "Point 1" };
  g_autoptr (LersReportDocument) kept = test_layout (KEEP_TABLES (" keep='yes'"), &data, "en");
  g_autoptr (LersReportDocument) split = test_layout (KEEP_TABLES (""), &data, "en");
  g_autofree gchar *kept1 = test_page_text (kept, 0);
  g_autofree gchar *kept2 = test_page_text (kept, 1);
  g_autofree gchar *split1 = test_page_text (split, 0);

  /* without keep the second table starts on page 1 */
  ck_assert_uint_eq (lers_report_document_get_n_pages (split), 2);
  ck_assert_msg (strstr (split1, "01.10.2026") != NULL, "%s", split1);
  /* with it, all of it is on page 2 */
  ck_assert_uint_eq (lers_report_document_get_n_pages (kept), 2);
  ck_assert_msg (strstr (kept1, "First") != NULL, "%s", kept1);
  ck_assert_msg (strstr (kept1, "Second") == NULL, "%s", kept1);
  ck_assert_msg (strstr (kept1, "2026") == NULL, "%s", kept1);
  ck_assert_msg (strstr (kept2, "Second") != NULL, "%s", kept2);
  ck_assert_msg (strstr (kept2, "01.10.2026") != NULL, "%s", kept2);
  ck_assert_msg (strstr (kept2, "02.10.2026") != NULL, "%s", kept2);
  ck_assert_msg (strstr (kept2, "03.10.2026") != NULL, "%s", kept2);
}
END_TEST

static const gchar footer_alone[]
    = SMALL_PAGE "<styles><style id='td' font='DejaVu Sans 10' padding='2pt'/></styles>"
                 "<table rows='archive' style='td' header-style='td' group='month'>"
                 "<group id='month' by=\"format(DataDate, 'yyyy-MM')\">"
                 "<group-footer><cell>Subtotal</cell></group-footer>"
                 "</group>"
                 "<column title='Date' value='DataDate' format='dd.MM.yyyy'/>"
                 "</table></report>";

START_TEST (test_footer_not_alone)
{
  g_autofree TestRow *rows = test_rows_daily (9, NULL);
  TestData data = { rows, 9, "Point 1" };
  g_autoptr (LersReportDocument) document = test_layout (footer_alone, &data, "en");
  g_autofree gchar *page1 = test_page_text (document, 0);
  g_autofree gchar *page2 = test_page_text (document, 1);

  /* the header and 9 rows (1 to 9 October) take 10 × 15.64 = 156.4 of
   * the 164.41pt; the footer would start page 2 alone, so the 9th row
   * goes with it */
  ck_assert_uint_eq (lers_report_document_get_n_pages (document), 2);
  ck_assert_msg (strstr (page1, "08.10.2026") != NULL, "%s", page1);
  ck_assert_msg (strstr (page1, "09.10.2026") == NULL, "%s", page1);
  ck_assert_msg (strstr (page1, "Subtotal") == NULL, "%s", page1);
  ck_assert_msg (strstr (page2, "Date") != NULL, "%s", page2);
  ck_assert_msg (strstr (page2, "09.10.2026") != NULL, "%s", page2);
  ck_assert_msg (strstr (page2, "Subtotal") != NULL, "%s", page2);
}
END_TEST

/* one row whose second cell holds 60 words in a 15mm column (42.52pt, less
 * 4pt of padding: one word of about 20pt a line), 60 × 11.64 = 698pt: more
 * than four pages of the 164.41pt body */
static const gchar tall_row[]
    = SMALL_PAGE "<styles><style id='td' font='DejaVu Sans 10' padding='2pt'/></styles>"
                 "<page-footer><text>FOOTER</text></page-footer>"
                 "<table rows='archive' style='td' header-style='td'>"
                 "<column title='Date' value='DataDate' format='dd.MM.yyyy'/>"
                 "<column title='Words' width='15mm' value=\"'w01 w02 w03 w04 w05 w06 w07 w08 w09 "
                 "w10 w11 w12 w13 w14 w15 w16 w17 w18 w19 w20 w21 w22 w23 w24 w25 w26 w27 w28 w29 "
                 "w30 w31 w32 w33 w34 w35 w36 w37 w38 w39 w40 w41 w42 w43 w44 w45 w46 w47 w48 w49 "
                 "w50 w51 w52 w53 w54 w55 w56 w57 w58 w59 w60'\"/>"
                 "</table></report>";

#include "report/lers-report-document-items.h"

START_TEST (test_tall_row_split)
{
  g_autofree TestRow *rows = test_rows_daily (1, NULL);
  TestData data = { rows, 1, "Point 1" };
  g_autoptr (LersReportDocument) document = test_layout (tall_row, &data, "en");
  guint n_pages = lers_report_document_get_n_pages (document);
  g_autoptr (GString) all = g_string_new (NULL);

  ck_assert_uint_ge (n_pages, 5);
  for (guint page = 0; page < n_pages; page++)
    {
      g_autofree gchar *text = test_page_text (document, page);
      GPtrArray *items = lers_report_document_get_page_items (document, page);
      gdouble footer_top = -1;

      /* the header row again on every page */
      ck_assert_msg (strstr (text, "Words") != NULL, "page %u: %s", page + 1, text);
      g_string_append (all, text);
      for (guint i = 0; i < items->len; i++)
        {
          const LersReportItem *item = g_ptr_array_index (items, i);

          if (item->kind == LERS_REPORT_ITEM_TEXT && g_strcmp0 (item->text, "FOOTER") == 0)
            footer_top = item->y;
        }
      ck_assert_double_gt (footer_top, 0);
      /* every word drawn above the footer */
      for (guint i = 0; i < items->len; i++)
        {
          const LersReportItem *item = g_ptr_array_index (items, i);

          if (item->kind == LERS_REPORT_ITEM_TEXT && item->text != NULL && item->text[0] == 'w')
            ck_assert_msg (item->y + item->height <= footer_top + 0.01,
                           "page %u: “%s” ends at %.2f, the footer starts at %.2f", page + 1,
                           item->text, item->y + item->height, footer_top);
        }
    }
  /* every word exactly once in what a reader sees */
  for (guint w = 1; w <= 60; w++)
    {
      g_autofree gchar *word = g_strdup_printf ("w%02u", w);
      const gchar *at = strstr (all->str, word);

      ck_assert_msg (at != NULL, "%s is lost: %s", word, all->str);
      ck_assert_msg (strstr (at + 1, word) == NULL, "%s twice: %s", word, all->str);
    }
}
END_TEST

START_TEST (test_chart_whole_range)
{
  /* -1e308 … 1e308: the range is past the largest double (1.797e308), the
   * step is not finite; the axis keeps its two ends and every point of the
   * line is a finite place on the drawing */
  static const gdouble q[] = { -1e308, 1e308, 0 };
  g_autofree TestRow *rows = test_rows_daily (3, q);
  TestData data = { rows, 3, "Point 1" };
  g_autoptr (LersReportDocument) document = test_layout (chart_huge, &data, "en");
  LersReportDocument *drawing = lers_report_document_get_block_drawing (document, 0);
  GPtrArray *items;
  guint n_points = 0;

  ck_assert_ptr_nonnull (drawing);
  items = lers_report_document_get_page_items (drawing, 0);
  for (guint i = 0; i < items->len; i++)
    {
      const LersReportItem *item = g_ptr_array_index (items, i);

      ck_assert_msg (isfinite (item->x) && isfinite (item->y), "item %u at %g, %g", i, item->x,
                     item->y);
      for (guint p = 0; item->kind == LERS_REPORT_ITEM_POLYLINE && p < 2 * item->n_points; p++)
        {
          ck_assert_msg (isfinite (item->xy[p]), "point %u of item %u: %g", p / 2, i, item->xy[p]);
          n_points++;
        }
    }
  /* the three values, x and y each */
  ck_assert_uint_eq (n_points, 6);
}
END_TEST

static Suite *
test_suite (void)
{
  Suite *suite = suite_create ("report-layout-fixes");
  TCase *tc = tcase_create ("fixes");

  tcase_add_test (tc, test_chart_huge_values);
  tcase_add_test (tc, test_columns_too_wide);
  tcase_add_test (tc, test_totals_overflow);
  tcase_add_test (tc, test_keep_together);
  tcase_add_test (tc, test_footer_not_alone);
  tcase_add_test (tc, test_tall_row_split);
  tcase_add_test (tc, test_chart_whole_range);
  tcase_set_timeout (tc, 60);
  suite_add_tcase (suite, tc);
  return suite;
}

int
main (void)
{
  return test_run_suite (test_suite ());
}
