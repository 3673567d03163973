/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The layout over a hand-made binding: pages, repeated headers, groups and
 * totals, highlights, paragraphs kept whole, page numbers, charts and the
 * language. The expected values are worked out by hand in the comments.
 *
 * Line heights: Pango gives a line of DejaVu Sans the font's ascent plus
 * descent, (1901 + 483) / 2048 = 1.164 of the size (the font's hhea
 * table), so 11.64pt at 10pt. */
#include "config.h"

#include <math.h>
#include <string.h>

#include "lers-error.h"
#include "test-report-layout-helpers.h"

/* 100 × 78 mm = 283.46 × 221.10pt; 10mm = 28.35pt margins leave
 * 226.77 × 164.41pt. A row of DejaVu Sans 10 with 2pt padding is
 * 11.64 + 4 = 15.64pt. */
#define SMALL_PAGE                                                                                 \
  "<?xml version='1.0' encoding='UTF-8'?>"                                                         \
  "<report version='1' id='t' source='point'>"                                                     \
  "<title ru='Проба' en='Trial'/>"                                                            \
  "<parameters kinds='day' default-kind='day' period='month'/>"                                    \
  "<page size='100x78' margin='10mm'/>"

static const gchar table_31[]
    = SMALL_PAGE "<styles><style id='td' font='DejaVu Sans 10' padding='2pt'/></styles>"
                 "<table rows='archive' style='td' header-style='td' repeat-header='yes'>"
                 "<column title='Date' value='DataDate' format='dd.MM.yyyy'/>"
                 "<column title='t1' value='T1' format='0.0'/>"
                 "</table></report>";

START_TEST (test_table_pages)
{
  g_autofree TestRow *rows = test_rows_daily (31, NULL);
  TestData data = { rows, 31, "Point 1" };
  g_autoptr (LersReportDocument) document = test_layout (table_31, &data, "en");
  g_autofree gchar *page2 = NULL;
  g_autofree gchar *page4 = NULL;
  LersReportTable *table;

  /* the header and 9 rows take 10 × 15.64 = 156.4pt of the 164.41pt, a
   * tenth row would need 172.0pt: 9 rows a page, 31 = 9 + 9 + 9 + 4 */
  ck_assert_uint_eq (lers_report_document_get_n_pages (document), 4);

  /* page 2 starts with the header again, then 10.10 to 18.10 */
  page2 = test_page_text (document, 1);
  ck_assert_msg (strstr (page2, "Date") != NULL, "no header on page 2: %s", page2);
  ck_assert_msg (strstr (page2, "10.10.2026") != NULL, "%s", page2);
  ck_assert_msg (strstr (page2, "18.10.2026") != NULL, "%s", page2);
  ck_assert_msg (strstr (page2, "09.10.2026") == NULL, "%s", page2);
  ck_assert_msg (strstr (page2, "19.10.2026") == NULL, "%s", page2);
  /* t1 = 60 + 9 on the tenth day */
  ck_assert_msg (strstr (page2, "69.0") != NULL, "%s", page2);
  page4 = test_page_text (document, 3);
  ck_assert_msg (strstr (page4, "Date") != NULL, "%s", page4);
  ck_assert_msg (strstr (page4, "28.10.2026") != NULL, "%s", page4);
  ck_assert_msg (strstr (page4, "31.10.2026") != NULL, "%s", page4);

  /* the flow has the same table: 31 detail rows, no totals */
  table = test_first_table (document);
  ck_assert_uint_eq (lers_report_table_get_n_columns (table), 2);
  ck_assert_str_eq (lers_report_table_get_column_title (table, 0), "Date");
  ck_assert_uint_eq (lers_report_table_get_n_rows (table), 31);
  ck_assert_str_eq (lers_report_table_get_cell_text (table, 30, 0), "31.10.2026");
  ck_assert_int_eq (lers_report_table_get_cell_kind (table, 30, 1), LERS_REPORT_CELL_NUMBER);
  ck_assert_double_eq_tol (lers_report_table_get_cell_number (table, 30, 1), 90, 1e-9);
  ck_assert_str_eq (lers_report_table_get_cell_text (table, 30, 1), "90.0");
}
END_TEST

static const gchar table_groups[] = "<?xml version='1.0' encoding='UTF-8'?>"
                                    "<report version='1' id='t' source='point'>"
                                    "<title ru='Проба' en='Trial'/>"
                                    "<parameters kinds='day' default-kind='day' period='month'/>"
                                    "<page size='A4' margin='10mm'/>"
                                    "<strings><s id='total' ru='Итого' en='Total'/></strings>"
                                    "<styles><style id='alarm' fill='#ffd0d0'/></styles>"
                                    "<table rows='archive' group='month'>"
                                    "<group id='month' by=\"format(DataDate, 'yyyy-MM')\">"
                                    "<group-footer><cell>{tr('total')}</cell></group-footer>"
                                    "</group>"
                                    "<column title='Date' value='DataDate' format='dd.MM.yyyy'/>"
                                    "<column title='Q' value='Q' format='0.00' total='sum'>"
                                    "<highlight when='Q &gt; 5' style='alarm'/>"
                                    "</column>"
                                    "</table></report>";

START_TEST (test_table_groups)
{
  /* 29, 30, 31 October and 1, 2, 3 November */
  static const gdouble q[] = { 1.5, 2.25, 3, 4, 5.5, 6 };
  g_autofree TestRow *rows = test_rows_daily (6, q);
  TestData data = { rows, 6, "Point 1" };
  g_autoptr (LersReportDocument) document = NULL;
  g_autoptr (GDateTime) start = g_date_time_new_utc (2026, 10, 29, 0, 0, 0);
  LersReportTable *table;
  guint first;
  guint last;
  guint32 rgb = 0;
  static const LersReportRowKind kinds[] = {
    LERS_REPORT_ROW_DETAIL,       LERS_REPORT_ROW_DETAIL,       LERS_REPORT_ROW_DETAIL,
    LERS_REPORT_ROW_GROUP_FOOTER, LERS_REPORT_ROW_DETAIL,       LERS_REPORT_ROW_DETAIL,
    LERS_REPORT_ROW_DETAIL,       LERS_REPORT_ROW_GROUP_FOOTER, LERS_REPORT_ROW_TOTAL,
  };

  for (guint i = 0; i < 6; i++)
    {
      g_autoptr (GDateTime) day = g_date_time_add_days (start, i);

      rows[i].time = g_date_time_to_unix (day) * G_USEC_PER_SEC;
    }
  document = test_layout (table_groups, &data, "en");
  table = test_first_table (document);

  /* three October rows, their footer, three November rows, their footer,
   * the total row */
  ck_assert_uint_eq (lers_report_table_get_n_rows (table), G_N_ELEMENTS (kinds));
  for (guint i = 0; i < G_N_ELEMENTS (kinds); i++)
    ck_assert_int_eq (lers_report_table_get_row_kind (table, i), kinds[i]);

  /* October: 1.5 + 2.25 + 3 = 6.75 over table rows 0–2 */
  ck_assert_str_eq (lers_report_table_get_cell_text (table, 3, 0), "Total");
  ck_assert_str_eq (lers_report_table_get_cell_text (table, 3, 1), "6.75");
  ck_assert_double_eq_tol (lers_report_table_get_cell_number (table, 3, 1), 6.75, 1e-9);
  ck_assert_int_eq (lers_report_table_get_cell_aggregate (table, 3, 1, &first, &last),
                    LERS_REPORT_AGGREGATE_SUM);
  ck_assert_uint_eq (first, 0);
  ck_assert_uint_eq (last, 2);
  /* November: 4 + 5.5 + 6 = 15.5 over rows 4–6 */
  ck_assert_str_eq (lers_report_table_get_cell_text (table, 7, 1), "15.50");
  ck_assert_int_eq (lers_report_table_get_cell_aggregate (table, 7, 1, &first, &last),
                    LERS_REPORT_AGGREGATE_SUM);
  ck_assert_uint_eq (first, 4);
  ck_assert_uint_eq (last, 6);
  /* the total row: 6.75 + 15.5 = 22.25 over rows 0–6, labelled tr('total') */
  ck_assert_str_eq (lers_report_table_get_cell_text (table, 8, 0), "Total");
  ck_assert_str_eq (lers_report_table_get_cell_text (table, 8, 1), "22.25");
  ck_assert_int_eq (lers_report_table_get_cell_aggregate (table, 8, 1, &first, &last),
                    LERS_REPORT_AGGREGATE_SUM);
  ck_assert_uint_eq (first, 0);
  ck_assert_uint_eq (last, 6);
  ck_assert (lers_report_table_get_cell_bold (table, 8, 1));
  ck_assert_str_eq (lers_report_table_get_cell_format (table, 8, 1), "0.00");

  /* Q > 5 on rows 5 (5.5) and 6 (6): the alarm fill; 4 has none */
  ck_assert (lers_report_table_get_cell_fill (table, 5, 1, &rgb));
  ck_assert_uint_eq (rgb, 0xffd0d0);
  ck_assert (lers_report_table_get_cell_fill (table, 6, 1, &rgb));
  ck_assert (!lers_report_table_get_cell_fill (table, 4, 1, &rgb));
  ck_assert (!lers_report_table_get_cell_fill (table, 5, 0, &rgb));
}
END_TEST

static const gchar table_nested[] = "<?xml version='1.0' encoding='UTF-8'?>"
                                    "<report version='1' id='t' source='point'>"
                                    "<title ru='Проба' en='Trial'/>"
                                    "<parameters kinds='day' default-kind='day' period='month'/>"
                                    "<page size='A4' margin='10mm'/>"
                                    "<table rows='archive' group='half'>"
                                    "<group id='month' by=\"format(DataDate, 'yyyy-MM')\">"
                                    "<group-footer><cell>M</cell></group-footer>"
                                    "</group>"
                                    "<group id='half' by='T1 &gt; 61.5' parent='month'>"
                                    "<group-header><cell>{first(T1)}</cell></group-header>"
                                    "<group-footer><cell>H</cell></group-footer>"
                                    "</group>"
                                    "<column title='Date' value='DataDate' format='dd.MM.yyyy'/>"
                                    "<column title='Q' value='Q' format='0' total='sum'/>"
                                    "</table></report>";

START_TEST (test_table_nested_groups)
{
  g_autofree TestRow *rows = test_rows_daily (6, NULL);
  TestData data = { rows, 6, "Point 1" };
  g_autoptr (LersReportDocument) document = NULL;
  g_autoptr (GDateTime) start = g_date_time_new_utc (2026, 10, 29, 0, 0, 0);
  LersReportTable *table;
  guint first;
  guint last;
  /* 29–31 October and 1–3 November, t1 60…65, Q 1…6. The month changes
   * after row 3; "t1 > 61.5" after row 2, and a new month starts a new
   * inner group even with the same key */
  static const struct
  {
    LersReportRowKind kind;
    const gchar *first; /* the first cell's text */
    const gchar *q;     /* the Q cell's text */
    guint from, to;     /* the aggregate's table rows, for footers */
  } expected[] = {
    { LERS_REPORT_ROW_GROUP_HEADER, "60", "", 0, 0 },
    { LERS_REPORT_ROW_DETAIL, "29.10.2026", "1", 0, 0 },
    { LERS_REPORT_ROW_DETAIL, "30.10.2026", "2", 0, 0 },
    { LERS_REPORT_ROW_GROUP_FOOTER, "H", "3", 1, 2 },
    { LERS_REPORT_ROW_GROUP_HEADER, "62", "", 0, 0 },
    { LERS_REPORT_ROW_DETAIL, "31.10.2026", "3", 0, 0 },
    { LERS_REPORT_ROW_GROUP_FOOTER, "H", "3", 5, 5 },
    { LERS_REPORT_ROW_GROUP_FOOTER, "M", "6", 1, 5 },
    { LERS_REPORT_ROW_GROUP_HEADER, "63", "", 0, 0 },
    { LERS_REPORT_ROW_DETAIL, "01.11.2026", "4", 0, 0 },
    { LERS_REPORT_ROW_DETAIL, "02.11.2026", "5", 0, 0 },
    { LERS_REPORT_ROW_DETAIL, "03.11.2026", "6", 0, 0 },
    { LERS_REPORT_ROW_GROUP_FOOTER, "H", "15", 9, 11 },
    { LERS_REPORT_ROW_GROUP_FOOTER, "M", "15", 9, 11 },
    { LERS_REPORT_ROW_TOTAL, "Total", "21", 1, 11 },
  };

  for (guint i = 0; i < 6; i++)
    {
      g_autoptr (GDateTime) day = g_date_time_add_days (start, i);

      rows[i].time = g_date_time_to_unix (day) * G_USEC_PER_SEC;
    }
  document = test_layout (table_nested, &data, "en");
  table = test_first_table (document);
  ck_assert_uint_eq (lers_report_table_get_n_rows (table), G_N_ELEMENTS (expected));
  for (guint i = 0; i < G_N_ELEMENTS (expected); i++)
    {
      LersReportRowKind kind = expected[i].kind;

      ck_assert_int_eq (lers_report_table_get_row_kind (table, i), kind);
      ck_assert_str_eq (lers_report_table_get_cell_text (table, i, 0), expected[i].first);
      ck_assert_str_eq (lers_report_table_get_cell_text (table, i, 1), expected[i].q);
      if (kind != LERS_REPORT_ROW_GROUP_FOOTER && kind != LERS_REPORT_ROW_TOTAL)
        continue;
      ck_assert_int_eq (lers_report_table_get_cell_aggregate (table, i, 1, &first, &last),
                        LERS_REPORT_AGGREGATE_SUM);
      ck_assert_uint_eq (first, expected[i].from);
      ck_assert_uint_eq (last, expected[i].to);
    }
}
END_TEST

/* 6 lines or so of Cyrillic in 226.77pt */
#define LONG_RU                                                                                                                                                        \
  "Начало абзаца: ведомость учёта параметров теплопотребления составляется ежемесячно "      \
  "для каждого узла учёта и передаётся в теплоснабжающую организацию вместе с показаниями " \
  "теплосчётчика на начало и конец периода, подписями ответственных лиц и отметками о "          \
  "нештатных ситуациях. Конец абзаца."

static const gchar paragraph[] = SMALL_PAGE "<styles><style id='p' font='DejaVu Sans 10'/></styles>"
                                            "<spacer height='120pt'/>"
                                            "<text style='p'>" LONG_RU "</text>"
                                            "</report>";

START_TEST (test_paragraph_whole)
{
  TestData data = { NULL, 0, "Point 1" };
  g_autoptr (LersReportDocument) document = test_layout (paragraph, &data, "ru");
  g_autoptr (LersReportTemplate) template_ = test_template (paragraph);
  g_autoptr (GObject) pango = G_OBJECT (lers_report_pango_context_new ());
  g_autofree gchar *page1 = NULL;
  g_autofree gchar *page2 = NULL;
  guint lines = 0;
  gdouble height;

  /* the paragraph wraps to several lines: more than the 164.41 − 120 =
   * 44.41pt left under the spacer (lines × 11.64 + 2 × 1.5 padding), yet
   * two of them (26.3pt) would fit: it moves whole */
  height
      = lers_report_measure_text (PANGO_CONTEXT (pango), LONG_RU, "DejaVu Sans 10", 226.77, &lines);
  ck_assert_uint_ge (lines, 4);
  ck_assert_double_gt (height + 3, 44.41);

  ck_assert_uint_eq (lers_report_document_get_n_pages (document), 2);
  page1 = test_page_text (document, 0);
  page2 = test_page_text (document, 1);
  ck_assert_msg (strstr (page1, "абзаца") == NULL, "part of the paragraph on page 1: %s", page1);
  ck_assert_msg (strstr (page2, "Начало абзаца") != NULL, "%s", page2);
  ck_assert_msg (strstr (page2, "Конец абзаца.") != NULL, "%s", page2);
  ck_assert_msg (strstr (page2, "теплопотребления") != NULL, "%s", page2);

  /* the flow holds it once, as written */
  ck_assert_uint_eq (lers_report_document_get_n_blocks (document), 1);
  ck_assert_str_eq (lers_report_document_get_block_text (document, 0), LONG_RU);
  ck_assert_str_eq (lers_report_document_get_block_band (document, 0), "body");
  ck_assert (!lers_report_document_get_block_bold (document, 0));
  ck_assert_double_eq_tol (lers_report_document_get_block_font_size (document, 0), 10, 1e-9);
}
END_TEST

/* sixteen lines: "строка 01" to "строка 16", one a line */
#define SIXTEEN_LINES                                                                                                       \
  "строка 01\nстрока 02\nстрока 03\nстрока 04\nстрока 05\nстрока 06\nстрока 07\n" \
  "строка 08\nстрока 09\nстрока 10\nстрока 11\nстрока 12\nстрока 13\nстрока 14\n" \
  "строка 15\nстрока 16"

static const gchar tall[] = SMALL_PAGE "<styles><style id='p' font='DejaVu Sans 9'/></styles>"
                                       "<text style='p'>" SIXTEEN_LINES "</text></report>";

START_TEST (test_paragraph_no_widow)
{
  TestData data = { NULL, 0, "Point 1" };
  g_autoptr (LersReportDocument) document = test_layout (tall, &data, "ru");
  g_autofree gchar *page1 = NULL;
  g_autofree gchar *page2 = NULL;

  /* a line of DejaVu Sans 9 is 10.48pt: 15 lines and the 2 × 1.5pt
   * padding take 160.1pt of the 164.41pt, 16 would take 170.6pt. The
   * paragraph is taller than a page, so it splits; 15 + 1 would leave
   * "строка 16" alone on page 2: 14 + 2 */
  ck_assert_uint_eq (lers_report_document_get_n_pages (document), 2);
  page1 = test_page_text (document, 0);
  page2 = test_page_text (document, 1);
  ck_assert_msg (strstr (page1, "строка 01") != NULL, "%s", page1);
  ck_assert_msg (strstr (page1, "строка 14") != NULL, "%s", page1);
  ck_assert_msg (strstr (page1, "строка 15") == NULL, "%s", page1);
  ck_assert_msg (strstr (page2, "строка 15") != NULL, "%s", page2);
  ck_assert_msg (strstr (page2, "строка 16") != NULL, "%s", page2);
  ck_assert_msg (strstr (page2, "строка 14") == NULL, "%s", page2);
}
END_TEST

static const gchar pages[] = SMALL_PAGE
    "<strings><s id='page' ru='Стр. {0} из {1}' en='Page {0} of {1}'/></strings>"
    "<styles><style id='h' font='DejaVu Sans Bold 12'/></styles>"
    "<report-header><text style='h'>{tr('title')}</text></report-header>"
    "<text>один</text><page-break/><text>два</text><page-break/>"
    "<text>три {PageNumber}/{PageCount}</text>"
    "<page-footer><text align='right'>{tr('page', PageNumber, PageCount)}</text></page-footer>"
    "</report>";

START_TEST (test_page_numbers)
{
  TestData data = { NULL, 0, "Point 1" };
  g_autoptr (LersReportDocument) document = test_layout (pages, &data, "ru");
  g_autoptr (LersReportDocument) english = test_layout (pages, &data, "en");
  g_autofree gchar *page1 = NULL;
  g_autofree gchar *page2 = NULL;
  g_autofree gchar *page3 = NULL;
  g_autofree gchar *english3 = NULL;

  /* two page breaks: three pages */
  ck_assert_uint_eq (lers_report_document_get_n_pages (document), 3);
  page1 = test_page_text (document, 0);
  page2 = test_page_text (document, 1);
  page3 = test_page_text (document, 2);
  ck_assert_msg (strstr (page1, "Стр. 1 из 3") != NULL, "%s", page1);
  ck_assert_msg (strstr (page1, "Проба") != NULL, "%s", page1);
  ck_assert_msg (strstr (page2, "Стр. 2 из 3") != NULL, "%s", page2);
  ck_assert_msg (strstr (page2, "два") != NULL, "%s", page2);
  ck_assert_msg (strstr (page2, "Проба") == NULL, "the report header again: %s", page2);
  ck_assert_msg (strstr (page3, "Стр. 3 из 3") != NULL, "%s", page3);
  english3 = test_page_text (english, 2);
  ck_assert_msg (strstr (english3, "Page 3 of 3") != NULL, "%s", english3);

  /* the flow: the report header's title (bold, 12pt), then one, break,
   * two, break, three; page footers stay out of it */
  ck_assert_uint_eq (lers_report_document_get_n_blocks (document), 6);
  ck_assert_str_eq (lers_report_document_get_block_text (document, 0), "Проба");
  ck_assert_str_eq (lers_report_document_get_block_band (document, 0), "report-header");
  ck_assert (lers_report_document_get_block_bold (document, 0));
  ck_assert_double_eq_tol (lers_report_document_get_block_font_size (document, 0), 12, 1e-9);
  ck_assert_int_eq (lers_report_document_get_block_kind (document, 2),
                    LERS_REPORT_BLOCK_PAGE_BREAK);
  ck_assert_str_eq (lers_report_document_get_block_text (document, 3), "два");
  /* a page number in the body: laid out twice, the second time knowing
   * the count */
  ck_assert_str_eq (lers_report_document_get_block_text (document, 5), "три 3/3");
  ck_assert_str_eq (lers_report_document_get_title (english), "Trial");
}
END_TEST

static const gchar chart[]
    = "<?xml version='1.0' encoding='UTF-8'?>"
      "<report version='1' id='t' source='point'>"
      "<title ru='Проба' en='Trial'/>"
      "<parameters kinds='day' default-kind='day' period='month'/>"
      "<page size='A4' margin='10mm'/>"
      "<summary><chart kind='line' x='DataDate' y='T1 T2' height='60mm' title='t1, t2'/>"
      "<chart kind='bar' x='DataDate' y='Q' height='50mm'/></summary>"
      "</report>";

START_TEST (test_chart)
{
  g_autofree TestRow *rows = test_rows_daily (10, NULL);
  TestData data = { rows, 10, "Point 1" };
  g_autoptr (LersReportDocument) document = test_layout (chart, &data, "ru");
  g_autoptr (LersReportDocument) english = test_layout (chart, &data, "en");
  LersReportDocument *drawing;
  g_autofree gchar *text = NULL;
  g_autofree gchar *english_text = NULL;
  gdouble width;
  gdouble height;

  ck_assert_uint_eq (lers_report_document_get_n_pages (document), 1);
  ck_assert_uint_eq (lers_report_document_get_n_blocks (document), 2);
  ck_assert_int_eq (lers_report_document_get_block_kind (document, 0), LERS_REPORT_BLOCK_CHART);
  ck_assert_str_eq (lers_report_document_get_block_band (document, 0), "summary");
  drawing = lers_report_document_get_block_drawing (document, 0);
  ck_assert_ptr_nonnull (drawing);
  ck_assert_uint_eq (lers_report_document_get_n_pages (drawing), 1);
  /* A4 is 595.28pt wide, less 2 × 28.35: 538.58; 60mm = 170.08pt */
  lers_report_document_get_page_size (drawing, &width, &height);
  ck_assert_double_eq_tol (width, 538.58, 0.01);
  ck_assert_double_eq_tol (height, 170.08, 0.01);

  /* the title, the legend, and day ticks as a Russian reader writes them
   * (1 October: 01.10), an English one 10-01 */
  text = test_page_text (drawing, 0);
  ck_assert_msg (strstr (text, "t1, t2") != NULL, "%s", text);
  ck_assert_msg (strstr (text, "T1") != NULL && strstr (text, "T2") != NULL, "%s", text);
  ck_assert_msg (strstr (text, "01.10") != NULL, "%s", text);
  /* t1 runs from 60 to 69 and t2 from 40 to 49: ticks of 10 from 40 to 70 */
  ck_assert_msg (strstr (text, "40") != NULL && strstr (text, "70") != NULL, "%s", text);
  english_text = test_page_text (lers_report_document_get_block_drawing (english, 0), 0);
  ck_assert_msg (strstr (english_text, "10-01") != NULL, "%s", english_text);

  ck_assert_int_eq (lers_report_document_get_block_kind (document, 1), LERS_REPORT_BLOCK_CHART);
  drawing = lers_report_document_get_block_drawing (document, 1);
  lers_report_document_get_page_size (drawing, &width, &height);
  ck_assert_double_eq_tol (height, 141.73, 0.01);
}
END_TEST

static const gchar languages[]
    = "<?xml version='1.0' encoding='UTF-8'?>"
      "<report version='1' id='t' source='point'>"
      "<title ru='Проба' en='Trial'/>"
      "<parameters kinds='day' default-kind='day' period='month'/>"
      "<page size='A4' margin='10mm'/>"
      "<strings><s id='date' ru='Дата' en='Date'/><s id='hello' ru='Узел {0}' en='Node {0}'/>"
      "</strings>"
      "<report-header><text>{tr('hello', Point.Title)}</text></report-header>"
      "<table rows='archive'>"
      "<column title=\"{tr('date')}\" value='DataDate' format='dd.MM.yyyy'/>"
      "<column title='Q' value='Q' format='#,##0.00' total='sum'/>"
      "</table></report>";

START_TEST (test_languages)
{
  static const gdouble q[] = { 1234.5, 1000 };
  g_autofree TestRow *rows = test_rows_daily (2, q);
  TestData data = { rows, 2, "Ленина 1" };
  g_autoptr (LersReportDocument) english = test_layout (languages, &data, "en");
  g_autoptr (LersReportDocument) russian = test_layout (languages, &data, "ru");
  LersReportTable *table;
  const gchar *text;

  ck_assert_str_eq (lers_report_document_get_language (english), "en");
  ck_assert_str_eq (lers_report_document_get_block_text (english, 0), "Node Ленина 1");
  ck_assert_str_eq (lers_report_document_get_block_text (russian, 0), "Узел Ленина 1");

  table = test_first_table (english);
  ck_assert_str_eq (lers_report_table_get_column_title (table, 0), "Date");
  ck_assert_str_eq (lers_report_table_get_cell_text (table, 0, 1), "1,234.50");
  /* 1234.5 + 1000 = 2234.5, labelled "Total" with no string of that id */
  ck_assert_str_eq (lers_report_table_get_cell_text (table, 2, 1), "2,234.50");
  ck_assert_str_eq (lers_report_table_get_cell_text (table, 2, 0), "Total");

  table = test_first_table (russian);
  ck_assert_str_eq (lers_report_table_get_column_title (table, 0), "Дата");
  /* a space between thousands and a decimal comma: "1 234,50" */
  text = lers_report_table_get_cell_text (table, 0, 1);
  ck_assert_msg (g_str_has_prefix (text, "1") && g_str_has_suffix (text, "234,50")
                     && strchr (text, '.') == NULL,
                 "%s", text);
  ck_assert_str_eq (lers_report_table_get_cell_text (table, 2, 0), "Итого");
}
END_TEST

static cairo_status_t
test_png_write (void *closure, const unsigned char *data, unsigned int length)
{
  g_byte_array_append (closure, data, length);
  return CAIRO_STATUS_SUCCESS;
}

START_TEST (test_image_and_cancel)
{
  g_autoptr (GByteArray) png = g_byte_array_new ();
  cairo_surface_t *surface = cairo_image_surface_create (CAIRO_FORMAT_RGB24, 4, 2);
  g_autofree gchar *base64 = NULL;
  g_autofree gchar *xml = NULL;
  g_autoptr (LersReportDocument) document = NULL;
  g_autoptr (LersReportTemplate) template_ = NULL;
  g_autoptr (GCancellable) cancellable = g_cancellable_new ();
  g_autoptr (GError) error = NULL;
  TestData data = { NULL, 0, "Point 1" };
  LersReportBinding binding;
  GBytes *image;

  ck_assert_int_eq (cairo_surface_write_to_png_stream (surface, test_png_write, png),
                    CAIRO_STATUS_SUCCESS);
  cairo_surface_destroy (surface);
  base64 = g_base64_encode (png->data, png->len);
  xml = g_strdup_printf (SMALL_PAGE "<report-header><image src='data:image/png;base64,%s' "
                                    "width='20mm' height='10mm'/></report-header>"
                                    "<text>после</text></report>",
                         base64);
  document = test_layout (xml, &data, "ru");

  /* the picture in the flow as it was given, then the paragraph */
  ck_assert_uint_eq (lers_report_document_get_n_blocks (document), 2);
  ck_assert_int_eq (lers_report_document_get_block_kind (document, 0), LERS_REPORT_BLOCK_IMAGE);
  ck_assert_str_eq (lers_report_document_get_block_band (document, 0), "report-header");
  image = lers_report_document_get_block_image (document, 0);
  ck_assert_uint_eq (g_bytes_get_size (image), png->len);
  ck_assert (memcmp (g_bytes_get_data (image, NULL), png->data, png->len) == 0);
  ck_assert_str_eq (lers_report_document_get_block_text (document, 1), "после");

  /* a cancelled layout stops with LERS_ERROR_CANCELLED */
  template_ = test_template (xml);
  test_binding_init (&binding, &data);
  g_cancellable_cancel (cancellable);
  ck_assert_ptr_null (lers_report_layout_run (template_, &binding, "ru", cancellable, &error));
  ck_assert_ptr_nonnull (error);
  ck_assert_msg (g_error_matches (error, LERS_ERROR, LERS_ERROR_CANCELLED), "%s", error->message);
}
END_TEST

/* Every standard template (data/templates) lays out over 31 days of rows
 * in both languages, and its pages draw: fields this binding does not
 * know are null, as a point with no such data gives. */
START_TEST (test_standard_templates)
{
  const gchar *root = g_getenv ("LERS_SOURCE_ROOT");
  g_autofree gchar *folder = NULL;
  g_autoptr (GDir) dir = NULL;
  g_autoptr (GError) error = NULL;
  g_autofree TestRow *rows = test_rows_daily (31, NULL);
  TestData data = { rows, 31, "ТУ отопление" };
  const gchar *name;
  guint n_templates = 0;

  ck_assert_ptr_nonnull (root);
  folder = g_build_filename (root, "data", "templates", NULL);
  dir = g_dir_open (folder, 0, &error);
  ck_assert_msg (dir != NULL, "%s", error != NULL ? error->message : "");
  while ((name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree gchar *path = NULL;
      g_autoptr (GFile) file = NULL;
      g_autoptr (LersReportTemplate) template_ = NULL;

      if (!g_str_has_suffix (name, ".xml"))
        continue;
      path = g_build_filename (folder, name, NULL);
      file = g_file_new_for_path (path);
      template_ = lers_report_template_new_from_file (file, NULL, &error);
      ck_assert_msg (template_ != NULL, "%s: %s", name, error != NULL ? error->message : "");
      for (guint l = 0; l < 2; l++)
        {
          const gchar *language = l == 0 ? "ru" : "en";
          g_autoptr (LersReportDocument) document = NULL;
          g_autofree gchar *text = NULL;
          LersReportBinding binding;

          test_binding_init (&binding, &data);
          document = lers_report_layout_run (template_, &binding, language, NULL, &error);
          ck_assert_msg (document != NULL, "%s (%s): %s", name, language,
                         error != NULL ? error->message : "");
          ck_assert_uint_ge (lers_report_document_get_n_pages (document), 1);
          ck_assert_str_eq (lers_report_document_get_title (document),
                            lers_report_template_get_title (template_, language));
          /* every page draws (test_page_text draws them all) */
          text = test_page_text (document, 0);
          ck_assert_msg (text[0] != '\0', "%s (%s): page 1 is blank", name, language);
        }
      n_templates++;
    }
  ck_assert_uint_ge (n_templates, 1);
}
END_TEST

static Suite *
test_suite (void)
{
  Suite *suite = suite_create ("report-layout");
  TCase *tc = tcase_create ("layout");

  tcase_add_test (tc, test_table_pages);
  tcase_add_test (tc, test_table_groups);
  tcase_add_test (tc, test_table_nested_groups);
  tcase_add_test (tc, test_paragraph_whole);
  tcase_add_test (tc, test_paragraph_no_widow);
  tcase_add_test (tc, test_page_numbers);
  tcase_add_test (tc, test_chart);
  tcase_add_test (tc, test_languages);
  tcase_add_test (tc, test_image_and_cancel);
  tcase_add_test (tc, test_standard_templates);
  suite_add_tcase (suite, tc);
  return suite;
}

int
main (void)
{
  return test_run_suite (test_suite ());
}
