/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The template parser (docs/report-templates.md): the whole example of the
 * spec parses into what it says; a table of bad templates gives the exact
 * message, with the line and column counted by hand in each text (the
 * comment under each case says where the column comes from), and the same
 * line and column from lers_report_template_get_error_position. */
#include "report/lers-report-template-private.h"

#include <check.h>
#include <lers.h>
#include <math.h>
#include <stdio.h>

#include "lers-check.h"

#define MM (72.0 / 25.4)

static void
assert_close (gdouble got, gdouble expected)
{
  ck_assert_msg (fabs (got - expected) < 0.01, "expected %.3f, got %.3f", expected, got);
}

/* the ```xml block of docs/report-templates.md */
static gchar *
spec_example (void)
{
  g_autofree gchar *path
      = g_build_filename (g_getenv ("LERS_SOURCE_ROOT"), "docs", "report-templates.md", NULL);
  g_autofree gchar *doc = NULL;
  g_autoptr (GError) error = NULL;
  const gchar *start, *end;

  g_file_get_contents (path, &doc, NULL, &error);
  lers_check_assert_no_error (error);
  start = strstr (doc, "```xml\n");
  ck_assert (start != NULL);
  start += 7;
  end = strstr (start, "```");
  ck_assert (end != NULL);
  return g_strndup (start, (gsize) (end - start));
}

START_TEST (test_spec_example)
{
  g_autofree gchar *text = spec_example ();
  g_autoptr (GError) error = NULL;
  g_autoptr (LersReportTemplate) tpl = lers_report_template_new_from_data (text, -1, &error);
  const LersReportPageSetup *page;
  const LersReportBand *body, *header, *summary;
  const LersReportElement *element;
  const LersReportTableSpec *table;
  const LersReportColumn *column;
  const LersReportHighlight *highlight;
  const LersReportChart *chart;
  const LersArchiveKind *kinds;
  guint n_kinds = 0;

  lers_check_assert_no_error (error);
  ck_assert_str_eq (lers_report_template_get_id (tpl), "heat-statement-daily");
  ck_assert_int_eq (lers_report_template_get_source (tpl), LERS_REPORT_SOURCE_POINT);
  ck_assert_str_eq (lers_report_template_get_title (tpl, "ru"),
                    "Ведомость учёта параметров теплопотребления (суточная)");
  ck_assert_str_eq (lers_report_template_get_title (tpl, "en"),
                    "Heat consumption parameter statement (daily)");
  kinds = lers_report_template_get_kinds (tpl, &n_kinds);
  ck_assert_uint_eq (n_kinds, 2); /* kinds="day hour" */
  ck_assert_int_eq (kinds[0], LERS_ARCHIVE_KIND_DAY);
  ck_assert_int_eq (kinds[1], LERS_ARCHIVE_KIND_HOUR);
  ck_assert_int_eq (lers_report_template_get_default_kind (tpl), LERS_ARCHIVE_KIND_DAY);
  ck_assert_str_eq (lers_report_template_get_default_period (tpl), "month");

  /* A4 landscape: 297 × 210 mm = 841.89 × 595.28 pt; margin 12 mm = 34.02 pt */
  page = lers_report_template_get_page (tpl);
  assert_close (page->width, 841.89);
  assert_close (page->height, 595.28);
  assert_close (page->margin_top, 34.02);
  assert_close (page->margin_left, 34.02);

  /* strings of <strings>, tr('title'), and built-ins the example names
   * without defining them (period, signature) */
  ck_assert_str_eq (g_hash_table_lookup (lers_report_template_get_strings (tpl, "ru"), "page"),
                    "Стр. {0} из {1}");
  ck_assert_str_eq (g_hash_table_lookup (lers_report_template_get_strings (tpl, "en"), "total"),
                    "Total");
  ck_assert_str_eq (g_hash_table_lookup (lers_report_template_get_strings (tpl, "en"), "title"),
                    "Heat consumption parameter statement (daily)");

  header = lers_report_template_get_report_header (tpl);
  ck_assert_uint_eq (header->elements->len, 3);
  element = g_ptr_array_index (header->elements, 0);
  ck_assert_int_eq (element->kind, LERS_REPORT_ELEMENT_TEXT);
  ck_assert_str_eq (element->style->font, "DejaVu Sans Bold 13");
  ck_assert_int_eq (element->style->align, LERS_REPORT_ALIGN_CENTER);
  ck_assert_uint_eq (element->line, 20); /* <text style="title"> is on line 20 of the example */
  ck_assert_uint_eq (element->column, 5);
  ck_assert (lers_report_template_get_page_header (tpl) != NULL);
  ck_assert (lers_report_template_get_page_footer (tpl) != NULL);
  element = g_ptr_array_index (lers_report_template_get_page_footer (tpl)->elements, 0);
  ck_assert (lers_report_expr_uses_page (element->text));
  ck_assert_int_eq (element->style->align, LERS_REPORT_ALIGN_RIGHT);

  body = lers_report_template_get_body (tpl);
  ck_assert_uint_eq (body->elements->len, 1);
  element = g_ptr_array_index (body->elements, 0);
  ck_assert_int_eq (element->kind, LERS_REPORT_ELEMENT_TABLE);
  table = element->table;
  ck_assert_int_eq (table->rows, LERS_REPORT_ROWS_ARCHIVE);
  ck_assert (table->repeat_header);
  ck_assert (!table->keep); /* keep="no" unless asked */
  ck_assert (table->has_totals);
  ck_assert_uint_eq (table->columns->len, 3);
  /* the one group, innermost though the table does not name it */
  ck_assert (table->group != NULL);
  ck_assert_str_eq (table->group->id, "month");
  ck_assert (table->group->parent == NULL);
  ck_assert_uint_eq (table->group->footer->len, 1);
  ck_assert (lers_report_expr_has_aggregate (table->group->by) == FALSE);
  /* th: DejaVu Sans Bold 8, center, fill #e8e8e8, border 0.5 */
  ck_assert_str_eq (table->header_style->font, "DejaVu Sans Bold 8");
  ck_assert (table->header_style->has_fill);
  ck_assert_uint_eq (table->header_style->fill, 0xe8e8e8);
  assert_close (table->header_style->border, 0.5);
  column = g_ptr_array_index (table->columns, 0);
  ck_assert_str_eq (column->format, "dd.MM.yyyy");
  assert_close (column->width, 22 * MM); /* 62.36 pt */
  ck_assert_int_eq (column->style->align, LERS_REPORT_ALIGN_LEFT);
  ck_assert_str_eq (lers_report_expr_get_field (column->value)->name, "DataDate");
  column = g_ptr_array_index (table->columns, 2);
  ck_assert_int_eq (column->total, LERS_REPORT_TOTAL_SUM);
  ck_assert_str_eq (column->format, "0.000");
  ck_assert_uint_eq (column->highlights->len, 1);
  highlight = g_ptr_array_index (column->highlights, 0);
  /* alarm (#ffd0d0) over td (DejaVu Sans 8, right, border 0.5) */
  ck_assert_uint_eq (highlight->style->fill, 0xffd0d0);
  ck_assert_str_eq (highlight->style->font, "DejaVu Sans 8");
  ck_assert_int_eq (highlight->style->align, LERS_REPORT_ALIGN_RIGHT);
  assert_close (highlight->style->border, 0.5);
  assert_close (highlight->style->padding, 1.5); /* the default */

  summary = lers_report_template_get_summary (tpl);
  ck_assert_uint_eq (summary->elements->len, 2);
  element = g_ptr_array_index (summary->elements, 0);
  ck_assert_int_eq (element->kind, LERS_REPORT_ELEMENT_CHART);
  chart = element->chart;
  ck_assert_int_eq (chart->kind, LERS_REPORT_CHART_LINE);
  ck_assert_uint_eq (chart->y->len, 2);
  ck_assert_str_eq (g_ptr_array_index (chart->y_names, 1), "T2");
  assert_close (chart->height, 60 * MM);
  ck_assert_uint_eq (lers_report_template_get_rows_used (tpl), 1u << LERS_REPORT_ROWS_ARCHIVE);

  /* the text comes back as it was read */
  {
    g_autoptr (GBytes) bytes = lers_report_template_get_text (tpl);

    ck_assert_uint_eq (g_bytes_get_size (bytes), strlen (text));
  }
}
END_TEST

START_TEST (test_bad_templates)
{
  static const struct
  {
    const gchar *what;
    const gchar *text;
    const gchar *message;
  } cases[] = {
    { "unknown field",
      "<report version=\"1\" id=\"t\">\n"
      "  <table rows=\"archive\">\n"
      "    <column value=\"T7\"/>\n" /* 4 spaces, <column value=" is 15: T7 at 20 */
      "  </table>\n"
      "</report>\n",
      "line 3, column 20: unknown field “T7”" },
    { "bad expression",
      "<report version=\"1\" id=\"t\">\n"
      "  <table rows=\"archive\">\n"
      "    <column value=\"T1 +\"/>\n" /* T1 at 20, + at 23, the end at 24 */
      "  </table>\n"
      "</report>\n",
      "line 3, column 24: expected an expression" },
    { "entity before the error",
      "<report version=\"1\" id=\"t\">\n"
      "  <table rows=\"archive\">\n"
      "    <column value=\"Q &lt; 0 or T7\"/>\n" /* "Q &lt; 0 or " is 12 characters: 20 + 12 */
      "  </table>\n"
      "</report>\n",
      "line 3, column 32: unknown field “T7”" },
    { "unclosed element",
      "<report version=\"1\" id=\"t\">\n"
      "  <table rows=\"archive\">\n" /* <table at column 3 */
      "    <column value=\"T1\"/>\n",
      "line 2, column 3: element <table> is not closed" },
    { "grouping loop",
      "<report version=\"1\" id=\"t\">\n"
      "  <table rows=\"archive\" group=\"a\">\n"
      "    <group id=\"a\" by=\"DataDate\" parent=\"b\"/>\n" /* b of parent="b" at 41 */
      "    <group id=\"b\" by=\"DataDate\" parent=\"a\"/>\n"
      "    <column value=\"T1\"/>\n"
      "  </table>\n"
      "</report>\n",
      "line 3, column 41: grouping loop: a → b → a" },
    { "group of itself",
      "<report version=\"1\" id=\"t\">\n"
      "  <table rows=\"archive\">\n"
      "    <group id=\"a\" by=\"DataDate\" parent=\"a\"/>\n"
      "    <column value=\"T1\"/>\n"
      "  </table>\n"
      "</report>\n",
      "line 3, column 41: grouping loop: a → a" },
    { "unknown group",
      "<report version=\"1\" id=\"t\">\n"
      "  <table rows=\"archive\" group=\"day\">\n" /* day at 32 */
      "    <column value=\"T1\"/>\n"
      "  </table>\n"
      "</report>\n",
      "line 2, column 32: unknown group “day”" },
    { "unknown style",
      "<report version=\"1\" id=\"t\">\n"
      "  <text style=\"nope\">x</text>\n" /* nope at 16 */
      "</report>\n",
      "line 2, column 16: unknown style “nope”" },
    { "bad length",
      "<report version=\"1\" id=\"t\">\n"
      "  <spacer height=\"12px\"/>\n" /* 12px at 19 */
      "</report>\n",
      "line 2, column 19: bad length “12px”: write a number and mm, cm, pt or in" },
    { "unknown tr id",
      "<report version=\"1\" id=\"t\">\n"
      "  <text>{tr('nope')}</text>\n" /* { at 9, tr at 10, 'nope' at 13 */
      "</report>\n",
      "line 2, column 13: unknown string id “nope”" },
    { "aggregate in aggregate",
      "<report version=\"1\" id=\"t\">\n"
      "  <text>{sum(max(T1))}</text>\n" /* sum at 10, max at 14 */
      "</report>\n",
      "line 2, column 14: aggregate max() inside another aggregate" },
    { "version 2",
      "<report version=\"2\" id=\"t\">\n" /* 2 at 18 */
      "  <texts/>\n"
      "</report>\n",
      "line 1, column 18: unsupported template version “2”: this version of LERS reads version 1" },
    { "unknown element",
      "<report version=\"1\" id=\"t\">\n"
      "  <texts/>\n"
      "</report>\n",
      "line 2, column 3: unknown element <texts>" },
    { "unknown attribute",
      "<report version=\"1\" id=\"t\">\n"
      "  <text colour=\"#000000\">x</text>\n" /* colour at 9 */
      "</report>\n",
      "line 2, column 9: unknown attribute “colour” of <text>" },
    { "required attribute",
      "<report version=\"1\" id=\"t\">\n"
      "  <table>\n"
      "    <column value=\"T1\"/>\n"
      "  </table>\n"
      "</report>\n",
      "line 2, column 3: <table> needs the attribute “rows”" },
    { "text over lines",
      "<report version=\"1\" id=\"t\">\n"
      "  <text>first line\n"
      "    second {T7}</text>\n" /* 4 spaces, "second " to 11, { at 12, T7 at 13 */
      "</report>\n",
      "line 3, column 13: unknown field “T7”" },
    { "row field outside a table",
      "<report version=\"1\" id=\"t\">\n"
      "  <text>{T1}</text>\n"
      "</report>\n",
      "line 2, column 10: unknown field “T1”" },
    { "bad colour",
      "<report version=\"1\" id=\"t\">\n"
      "  <styles>\n"
      "    <style id=\"a\" fill=\"red\"/>\n" /* red at 25 */
      "  </styles>\n"
      "</report>\n",
      "line 3, column 25: bad colour “red”: write #rrggbb" },
    { "bad format",
      "<report version=\"1\" id=\"t\">\n"
      "  <table rows=\"archive\">\n"
      "    <column value=\"T1\" format=\"DD.MM.YYYY\"/>\n" /* DD at 32 */
      "  </table>\n"
      "</report>\n",
      "line 3, column 32: bad format “DD.MM.YYYY”" },
    { "not a PNG",
      "<report version=\"1\" id=\"t\">\n"
      "  <image src=\"data:image/png;base64,aGVsbG8gd29ybGQsIHRoaXMgaXMgbm90IGEgcGljdHVyZQ==\"/>\n"
      "</report>\n",
      "line 2, column 15: the image is not a PNG" },
    { "twice a summary",
      "<report version=\"1\" id=\"t\">\n"
      "  <summary/>\n"
      "  <summary/>\n"
      "</report>\n",
      "line 3, column 3: <summary> may appear only once" },
    { "page break in a page header",
      "<report version=\"1\" id=\"t\">\n"
      "  <page-header><page-break/></page-header>\n" /* <page-break at 16 */
      "</report>\n",
      "line 2, column 16: <page-break> is not allowed inside <page-header>" },
    { "two roots",
      "<report version=\"1\" id=\"t\"/>\n"
      "<report version=\"1\" id=\"u\"/>\n",
      "line 2, column 1: <report> after the end of <report>" },
    { "mismatched end tag",
      "<report version=\"1\" id=\"t\">\n"
      "  <table rows=\"archive\">\n"
      "  </tabel>\n" /* GMarkup stops at the > of </tabel>, column 10 + 1 */
      "</report>\n",
      "line 3, column 11: Element “tabel” was closed, but the currently open element is “table”" },
    { "not a report", "<table rows=\"archive\"/>\n",
      "line 1, column 1: the root element must be <report>, not <table>" },
    { "bad page size",
      "<report version=\"1\" id=\"t\">\n"
      "  <page size=\"B5\"/>\n"
      "</report>\n",
      "line 2, column 15: bad page size “B5”: A4, A3, A5, Letter or WIDTHxHEIGHT in mm" },
    { "not UTF-8",
      "<report version=\"1\" id=\"t\">\n"
      "  <text>\xff</text>\n"
      "</report>\n",
      "line 2, column 9: the template is not UTF-8 text" },
    { "text where none goes",
      "<report version=\"1\" id=\"t\">\n"
      "  <table rows=\"archive\">\n"
      "    hello\n"
      "    <column value=\"T1\"/>\n"
      "  </table>\n"
      "</report>\n",
      "line 3, column 5: <table> holds no text" },
    /* 2 spaces, `<table rows="archive" keep="` = 28 more: the value at 31 */
    { "bad keep",
      "<report version=\"1\" id=\"t\">\n"
      "  <table rows=\"archive\" keep=\"maybe\">\n"
      "    <column value=\"T1\"/>\n"
      "  </table>\n"
      "</report>\n",
      "line 2, column 31: bad value “maybe” of “keep”: one of yes, no" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr (GError) error = NULL;
      g_autoptr (LersReportTemplate) tpl
          = lers_report_template_new_from_data (cases[i].text, -1, &error);
      guint line = 0, column = 0, got_line = 0, got_column = 0;

      ck_assert_msg (tpl == NULL, "%s: parsed", cases[i].what);
      lers_check_assert_error (error, LERS_ERROR, LERS_ERROR_INVALID_DATA);
      ck_assert_msg (g_strcmp0 (error->message, cases[i].message) == 0,
                     "%s: expected “%s”, got “%s”", cases[i].what, cases[i].message,
                     error->message);
      /* the same place, as numbers: those of the message counted by hand */
      ck_assert_int_eq (sscanf (cases[i].message, "line %u, column %u:", &line, &column), 2);
      ck_assert_msg (lers_report_template_get_error_position (error, &got_line, &got_column),
                     "%s: no position", cases[i].what);
      ck_assert_msg (got_line == line && got_column == column, "%s: expected %u:%u, got %u:%u",
                     cases[i].what, line, column, got_line, got_column);
    }
}
END_TEST

/* gettext keeps what it translated: a new language needs it to forget */
extern int _nl_msg_cat_cntr;

static void
set_language (const gchar *language)
{
  g_setenv ("LANGUAGE", language, TRUE);
  ++_nl_msg_cat_cntr;
}

/* lers_report_template_get_error_position: in Russian too (po/ru.po:
 * "строка %u, столбец %u: %s"), and no place for errors that name none */
/* A syntax error GMarkup finds is placed in characters, as ours are: ten
 * Cyrillic letters (two bytes each in UTF-8) before it move it ten
 * columns, as ten Latin ones do. GMarkup stops at the ">" of "</t>",
 * the 20th character of line 2. */
START_TEST (test_markup_error_column)
{
  static const gchar *const texts[] = {
    "<report version=\"1\" id=\"t\">\n<t>abcdefghij <b</t></report>",
    "<report version=\"1\" id=\"t\">\n<t>ЖЖЖЖЖЖЖЖЖЖ <b</t></report>",
  };

  for (guint i = 0; i < G_N_ELEMENTS (texts); i++)
    {
      g_autoptr (GError) error = NULL;
      g_autoptr (LersReportTemplate) tpl
          = lers_report_template_new_from_data (texts[i], -1, &error);
      guint line = 0, column = 0;

      ck_assert_ptr_null (tpl);
      ck_assert_msg (g_str_has_prefix (error->message, "line 2, column 20: "), "%u: %s", i,
                     error->message);
      ck_assert (lers_report_template_get_error_position (error, &line, &column));
      ck_assert_uint_eq (line, 2);
      ck_assert_uint_eq (column, 20);
    }
}
END_TEST

START_TEST (test_error_position)
{
  /* 4 spaces, <column value=" is 15 characters: T7 at column 20 of line 3 */
  static const gchar text[] = "<report version=\"1\" id=\"t\">\n"
                              "  <table rows=\"archive\">\n"
                              "    <column value=\"T7\"/>\n"
                              "  </table>\n"
                              "</report>\n";
  /* value at column 20 as above; "T1 * (2 +)": ) is the 10th character, 29 */
  static const gchar expr[] = "<report version=\"1\" id=\"t\">\n"
                              "  <table rows=\"archive\">\n"
                              "    <column value=\"T1 * (2 +)\"/>\n"
                              "  </table>\n"
                              "</report>\n";
  g_autofree gchar *saved = g_strdup (g_getenv ("LANGUAGE"));
  g_autoptr (GError) russian = NULL;
  g_autoptr (GError) english = NULL;
  g_autoptr (GError) missing = NULL;
  g_autoptr (GError) other = NULL;
  g_autoptr (GError) no_column = NULL;
  g_autoptr (GError) zero = NULL;
  g_autoptr (GFile) nowhere = g_file_new_for_path ("/nonexistent/lers/report.xml");
  g_autoptr (LersReportTemplate) t1 = NULL;
  g_autoptr (LersReportTemplate) t2 = NULL;
  g_autoptr (LersReportTemplate) t3 = NULL;
  guint line = 99, column = 99;

  t2 = lers_report_template_new_from_data (expr, -1, &english);
  lers_check_assert_error (english, LERS_ERROR, LERS_ERROR_INVALID_DATA);
  ck_assert_str_eq (english->message, "line 3, column 29: unexpected “)”");
  ck_assert (lers_report_template_get_error_position (english, &line, &column));
  ck_assert_uint_eq (line, 3);
  ck_assert_uint_eq (column, 29);

  /* a file that is not there: no place in any text */
  t3 = lers_report_template_new_from_file (nowhere, NULL, &missing);
  ck_assert (t3 == NULL && missing != NULL);
  ck_assert (!lers_report_template_get_error_position (missing, &line, &column));
  ck_assert_uint_eq (line, 0);
  ck_assert_uint_eq (column, 0);
  /* the right words in another domain, half a place, line 0 */
  other = g_error_new_literal (G_IO_ERROR, G_IO_ERROR_FAILED, "line 2, column 3: x");
  ck_assert (!lers_report_template_get_error_position (other, &line, &column));
  no_column = g_error_new_literal (LERS_ERROR, LERS_ERROR_INVALID_DATA, "line 2: x");
  ck_assert (!lers_report_template_get_error_position (no_column, &line, &column));
  zero = g_error_new_literal (LERS_ERROR, LERS_ERROR_INVALID_DATA, "line 0, column 3: x");
  ck_assert (!lers_report_template_get_error_position (zero, &line, &column));
  ck_assert (!lers_report_template_get_error_position (NULL, &line, &column));
  /* in Russian: the position is read in the language the message was
   * made in */
  set_language ("ru");
  t1 = lers_report_template_new_from_data (text, -1, &russian);
  lers_check_assert_error (russian, LERS_ERROR, LERS_ERROR_INVALID_DATA);
  ck_assert_str_eq (russian->message, "строка 3, столбец 20: неизвестное поле «T7»");
  ck_assert (lers_report_template_get_error_position (russian, &line, &column));
  set_language (saved != NULL ? saved : "en");
  ck_assert_uint_eq (line, 3);
  ck_assert_uint_eq (column, 20);
}
END_TEST

/* a 1×1 PNG (the smallest a PNG writer makes; IHDR width 1, height 1) */
#define PNG_1X1                                                                                    \
  "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+"                                  \
  "M9QDwADhgGAWjR9awAAAABJRU5ErkJggg=="

START_TEST (test_parts)
{
  static const gchar text[]
      = "<report version=\"1\" id=\"parts-1\" source=\"points\">\n"
        "  <parameters kinds=\"hour\" period=\"day\"/>\n"
        "  <page size=\"100x50\" orientation=\"portrait\" margin=\"1cm 2cm 10pt 1in\"/>\n"
        "  <styles>\n"
        "    <style id=\"big\" font=\"DejaVu Serif 14\" color=\"#102030\"/>\n"
        "    <style id=\"boxed\" border=\"1\" padding=\"2mm\" valign=\"bottom\"/>\n"
        "  </styles>\n"
        "  <summary style=\"big\">\n"
        "    <text style=\"boxed\" align=\"right\" when=\"PointCount &gt; 1\">{{x}}</text>\n"
        "    <image src=\"data:image/png;base64," PNG_1X1 "\" width=\"10mm\"/>\n"
        "  </summary>\n"
        "  <table rows=\"events\" group=\"inner\" repeat-header=\"no\" keep=\"yes\">\n"
        "    <group id=\"outer\" by=\"EventCode\">\n"
        "      <group-header><cell span=\"2\" align=\"center\">{EventCode}</cell></group-header>\n"
        "    </group>\n"
        "    <group id=\"inner\" by=\"EventText\" parent=\"outer\"/>\n"
        "    <column title=\"Время\" value=\"EventTime\" total=\"count\" total-format=\"0\"/>\n"
        "  </table>\n"
        "  <chart kind=\"bar\" rows=\"readings\" y=\"M1\"/>\n"
        "  <page-break/>\n"
        "  <spacer height=\"1in\"/>\n"
        "</report>\n";
  g_autoptr (GError) error = NULL;
  g_autoptr (LersReportTemplate) tpl = lers_report_template_new_from_data (text, -1, &error);
  const LersReportPageSetup *page;
  const LersReportElement *element;
  const LersReportBand *body, *summary;
  const LersReportTableSpec *table;
  guint n_kinds = 0;

  lers_check_assert_no_error (error);
  ck_assert_int_eq (lers_report_template_get_source (tpl), LERS_REPORT_SOURCE_POINTS);
  ck_assert_int_eq (lers_report_template_get_kinds (tpl, &n_kinds)[0], LERS_ARCHIVE_KIND_HOUR);
  ck_assert_uint_eq (n_kinds, 1);
  ck_assert_int_eq (lers_report_template_get_default_kind (tpl), LERS_ARCHIVE_KIND_HOUR);
  ck_assert_str_eq (lers_report_template_get_default_period (tpl), "day");
  /* no title: the id */
  ck_assert_str_eq (lers_report_template_get_title (tpl, "ru"), "parts-1");
  /* 100x50 mm portrait: 50 × 100 mm = 141.73 × 283.46 pt; margins 1 cm =
   * 28.35, 2 cm = 56.69, 10 pt, 1 in = 72 */
  page = lers_report_template_get_page (tpl);
  assert_close (page->width, 141.73);
  assert_close (page->height, 283.46);
  assert_close (page->margin_top, 28.35);
  assert_close (page->margin_right, 56.69);
  assert_close (page->margin_bottom, 10);
  assert_close (page->margin_left, 72);

  summary = lers_report_template_get_summary (tpl);
  ck_assert_str_eq (summary->style->font, "DejaVu Serif 14");
  element = g_ptr_array_index (summary->elements, 0);
  /* boxed over big over the default, and align= over both */
  ck_assert_str_eq (element->style->font, "DejaVu Serif 14");
  ck_assert_uint_eq (element->style->color, 0x102030);
  assert_close (element->style->border, 1);
  assert_close (element->style->padding, 2 * MM);
  ck_assert_int_eq (element->style->valign, LERS_REPORT_VALIGN_BOTTOM);
  ck_assert_int_eq (element->style->align, LERS_REPORT_ALIGN_RIGHT);
  ck_assert (element->when != NULL);
  ck_assert (!element->style->has_fill);
  element = g_ptr_array_index (summary->elements, 1);
  ck_assert_int_eq (element->kind, LERS_REPORT_ELEMENT_IMAGE);
  ck_assert_uint_eq (g_bytes_get_size (element->image), 70); /* the base64 above: 70 bytes */
  assert_close (element->image_width, 10 * MM);
  assert_close (element->image_height, 10 * MM); /* square, as the picture */

  body = lers_report_template_get_body (tpl);
  ck_assert_uint_eq (body->elements->len, 4);
  table = ((const LersReportElement *) g_ptr_array_index (body->elements, 0))->table;
  ck_assert (!table->repeat_header);
  ck_assert (table->keep);
  ck_assert_str_eq (table->group->id, "inner");
  ck_assert_str_eq (table->group->parent->id, "outer");
  ck_assert (table->group->parent->parent == NULL);
  ck_assert_uint_eq (((LersReportCell *) g_ptr_array_index (table->group->parent->header, 0))->span,
                     2);
  ck_assert_int_eq (
      ((LersReportCell *) g_ptr_array_index (table->group->parent->header, 0))->style->align,
      LERS_REPORT_ALIGN_CENTER);
  ck_assert_int_eq (((LersReportElement *) g_ptr_array_index (body->elements, 1))->chart->kind,
                    LERS_REPORT_CHART_BAR);
  ck_assert_int_eq (((LersReportElement *) g_ptr_array_index (body->elements, 2))->kind,
                    LERS_REPORT_ELEMENT_PAGE_BREAK);
  assert_close (((LersReportElement *) g_ptr_array_index (body->elements, 3))->image_height, 72);
  ck_assert_uint_eq (lers_report_template_get_rows_used (tpl),
                     (1u << LERS_REPORT_ROWS_EVENTS) | (1u << LERS_REPORT_ROWS_READINGS));
}
END_TEST

START_TEST (test_page_sizes)
{
  static const struct
  {
    const gchar *page;
    gdouble width, height;
  } cases[] = {
    { "<page size=\"A4\"/>", 595.28, 841.89 },
    { "<page size=\"A3\"/>", 841.89, 1190.55 },
    { "<page size=\"A5\" orientation=\"landscape\"/>", 595.28, 419.53 },
    { "<page size=\"Letter\" orientation=\"landscape\"/>", 792, 612 },
    { "<page orientation=\"landscape\"/>", 841.89, 595.28 }, /* A4 unless told */
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree gchar *text
          = g_strdup_printf ("<report version=\"1\" id=\"p\">%s</report>", cases[i].page);
      g_autoptr (GError) error = NULL;
      g_autoptr (LersReportTemplate) tpl = lers_report_template_new_from_data (text, -1, &error);

      lers_check_assert_no_error (error);
      assert_close (lers_report_template_get_page (tpl)->width, cases[i].width);
      assert_close (lers_report_template_get_page (tpl)->height, cases[i].height);
    }
}
END_TEST

START_TEST (test_list_fields)
{
  g_auto (GStrv) archive = lers_report_template_list_fields ("archive");
  g_auto (GStrv) outside = lers_report_template_list_fields (NULL);
  g_auto (GStrv) bad = lers_report_template_list_fields ("nope");

  ck_assert (g_strv_contains ((const gchar *const *) archive, "T1"));
  ck_assert (g_strv_contains ((const gchar *const *) archive, "DataDate"));
  ck_assert (g_strv_contains ((const gchar *const *) outside, "Point.Title"));
  ck_assert (!g_strv_contains ((const gchar *const *) outside, "T1"));
  ck_assert (bad == NULL);
}
END_TEST

int
main (int argc, char **argv)
{
  Suite *s = suite_create ("report-template");
  TCase *tc = tcase_create ("template");

  lers_check_init (&argc, &argv);
  /* the catalogs of the build tree, as a program binds them (for the
   * Russian messages of test_error_position) */
  lers_i18n_init ();
  tcase_add_test (tc, test_spec_example);
  tcase_add_test (tc, test_bad_templates);
  tcase_add_test (tc, test_error_position);
  tcase_add_test (tc, test_markup_error_column);
  tcase_add_test (tc, test_parts);
  tcase_add_test (tc, test_page_sizes);
  tcase_add_test (tc, test_list_fields);
  suite_add_tcase (s, tc);
  return lers_check_run_suite (s);
}
