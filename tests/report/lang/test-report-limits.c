/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Inputs a reviewer found to hang, crash or mislead the template and
 * expression parsers: each gives the exact message a template author reads,
 * the line and column counted by hand in the text (the comment under each
 * case says how), or, for pictures, the size worked out by hand. */
#include "report/lers-report-template-private.h"

#include <check.h>
#include <lers.h>
#include <math.h>

#include "lers-check.h"
#include "report/lers-report-expr.h"

#define MM (72.0 / 25.4)

static void
assert_close (gdouble got, gdouble expected)
{
  ck_assert_msg (fabs (got - expected) < 0.01, "expected %.3f, got %.3f", expected, got);
}

static void
assert_refused (const gchar *text, const gchar *message)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (LersReportTemplate) tpl = lers_report_template_new_from_data (text, -1, &error);

  ck_assert_msg (tpl == NULL, "parsed: %s", text);
  lers_check_assert_error (error, LERS_ERROR, LERS_ERROR_INVALID_DATA);
  ck_assert_msg (g_strcmp0 (error->message, message) == 0, "expected “%s”, got “%s”", message,
                 error->message);
}

/* a chain that runs into a loop without the group it starts from: the
 * loop is named from a group on it (this hung, the message growing) */
START_TEST (test_group_loop_elsewhere)
{
  assert_refused ("<report version=\"1\" id=\"x\" source=\"point\"><title ru=\"a\" en=\"a\"/>"
                  /* 42 + 22 = 64 characters so far */
                  "<table rows=\"archive\">"
                  /* 86 */
                  "<group id=\"a\" by=\"T1\" parent=\"b\"/>"
                  /* 120; then <group id="b" by="T2" parent=" is 30: "b" at 151 */
                  "<group id=\"b\" by=\"T2\" parent=\"b\"/><column value=\"T1\"/></table></report>",
                  "line 1, column 151: grouping loop: b → b");
  /* a → b → c → b: three steps from a land on b */
  assert_refused ("<report version=\"1\" id=\"x\">\n"
                  "<table rows=\"archive\" group=\"a\">\n"
                  "<group id=\"a\" by=\"T1\" parent=\"b\"/>\n"
                  "<group id=\"b\" by=\"T1\" parent=\"c\"/>\n" /* <group … parent=" is 30: 31 */
                  "<group id=\"c\" by=\"T1\" parent=\"b\"/>\n"
                  "<column value=\"T1\"/></table></report>\n",
                  "line 4, column 31: grouping loop: b → c → b");
}
END_TEST

static gboolean
lookup (const gchar *name, gpointer user_data, LersReportField *field)
{
  static const LersReportField t1
      = { LERS_REPORT_FIELD_ROW, 101, -1, LERS_REPORT_VALUE_NUMBER, "T1" };

  if (g_strcmp0 (name, "T1") != 0)
    return FALSE;
  *field = t1;
  return TRUE;
}

/* "1+1+…+1" with @n operators */
static gchar *
chain (guint n)
{
  GString *text = g_string_new ("1");

  for (guint i = 0; i < n; i++)
    g_string_append (text, "+1");
  return g_string_free (text, FALSE);
}

/* 20,000 terms: a left-deep tree evaluating and freeing recursed through
 * (SIGSEGV); the 1001st "+" is refused, at byte 2 × 1001 − 1, column 2002 */
START_TEST (test_long_chain)
{
  g_autoptr (GError) error = NULL;
  g_autofree gchar *long_chain = chain (19999);
  g_autofree gchar *ok_chain = chain (1000);
  g_autofree gchar *text = NULL;
  g_autoptr (LersReportExpr) expr = NULL;

  expr = lers_report_expr_parse (long_chain, -1, 1, 1, lookup, NULL, NULL, &error);
  ck_assert (expr == NULL);
  lers_check_assert_error (error, LERS_ERROR, LERS_ERROR_INVALID_DATA);
  ck_assert_str_eq (error->message,
                    "line 1, column 2002: expression too long: more than 1000 operators");
  g_clear_error (&error);
  /* in a text, after "{": one column further */
  text = g_strdup_printf ("{%s}", long_chain);
  expr = lers_report_expr_parse_text (text, -1, 1, 1, lookup, NULL, NULL, &error);
  ck_assert (expr == NULL);
  ck_assert_str_eq (error->message,
                    "line 1, column 2003: expression too long: more than 1000 operators");
  g_clear_error (&error);
  /* 1000 operators are allowed, in each {…} of a text */
  expr = lers_report_expr_parse (ok_chain, -1, 1, 1, lookup, NULL, NULL, &error);
  lers_check_assert_no_error (error);
  g_clear_pointer (&expr, lers_report_expr_free);
  g_free (text);
  text = g_strdup_printf ("{%s} {%s}", ok_chain, ok_chain);
  expr = lers_report_expr_parse_text (text, -1, 1, 1, lookup, NULL, NULL, &error);
  lers_check_assert_no_error (error);
}
END_TEST

/* format()'s literal format is checked like format="…" (the spec's date
 * formats are dd, MM, yyyy: "DD" is none) */
START_TEST (test_format_literal)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (LersReportExpr) expr = NULL;

  /* "format(T1, " is 11 characters: the literal at column 12 */
  expr = lers_report_expr_parse ("format(T1, 'DD.MM.YYYY')", -1, 1, 1, lookup, NULL, NULL, &error);
  ck_assert (expr == NULL);
  lers_check_assert_error (error, LERS_ERROR, LERS_ERROR_INVALID_DATA);
  ck_assert_str_eq (error->message, "line 1, column 12: bad format “DD.MM.YYYY”");
  g_clear_error (&error);
  expr = lers_report_expr_parse ("format(T1, 'dd.MM.yyyy')", -1, 1, 1, lookup, NULL, NULL, &error);
  lers_check_assert_no_error (error);
  g_clear_pointer (&expr, lers_report_expr_free);
  expr = lers_report_expr_parse ("format(T1, '0.00')", -1, 1, 1, lookup, NULL, NULL, &error);
  lers_check_assert_no_error (error);
  /* in a template: "<text>{format(1, " is 17 characters: 18 */
  assert_refused ("<report version=\"1\" id=\"t\">\n"
                  "<table rows=\"archive\"><column value=\"T1\"/></table>\n"
                  "<text>{format(1, 'DD')}</text>\n"
                  "</report>\n",
                  "line 3, column 18: bad format “DD”");
}
END_TEST

/* "\r\n" is one "\n" of the parsed text; CDATA's inside is text, its
 * brackets none of it (GMarkup passes CDATA through: it was dropped) */
START_TEST (test_positions)
{
  /* line 4, "  x {" is 5 characters: T7 at 6 (the CRLF of line 3 once) */
  assert_refused ("<report version=\"1\" id=\"t\">\r\n"
                  "<table rows=\"archive\"><column value=\"T1\"/></table>\r\n"
                  "<text>a\r\n"
                  "  x {T7}</text>\r\n"
                  "</report>\r\n",
                  "line 4, column 6: unknown field “T7”");
  /* <text><![CDATA[a < b {T7}]]>: "<text><![CDATA[a < b {" is 22: 23 */
  assert_refused ("<report version=\"1\" id=\"t\">\n"
                  "<table rows=\"archive\"><column value=\"T1\"/></table>\n"
                  "<text><![CDATA[a < b {T7}]]></text>\n"
                  "</report>\n",
                  "line 3, column 23: unknown field “T7”");
  /* after a CDATA: "<text><![CDATA[<]]> &amp; {" is 27: 28 */
  assert_refused ("<report version=\"1\" id=\"t\">\n"
                  "<table rows=\"archive\"><column value=\"T1\"/></table>\n"
                  "<text><![CDATA[<]]> &amp; {T7}</text>\n"
                  "</report>\n",
                  "line 3, column 28: unknown field “T7”");
  /* a comment is no text: "<text>a<!-- {x} -->{" is 6 + 1 + 12 + 1 = 20 */
  assert_refused ("<report version=\"1\" id=\"t\">\n"
                  "<table rows=\"archive\"><column value=\"T1\"/></table>\n"
                  "<text>a<!-- {x} -->{T7}</text>\n"
                  "</report>\n",
                  "line 3, column 21: unknown field “T7”");
}
END_TEST

/* a template whose one <image> is a PNG of @w × @h pixels: the signature
 * and an IHDR chunk are all the parser reads */
static gchar *
image_template (guint32 w, guint32 h, const gchar *attrs)
{
  guint8 png[33] = { 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n', 0, 0, 0, 13, 'I', 'H', 'D', 'R' };
  g_autofree gchar *base64 = NULL;

  for (guint i = 0; i < 4; i++)
    {
      png[16 + i] = (guint8) (w >> (24 - 8 * i));
      png[20 + i] = (guint8) (h >> (24 - 8 * i));
    }
  png[24] = 8; /* bit depth; colour type, compression, filter, interlace 0; CRC 0 */
  base64 = g_base64_encode (png, sizeof png);
  return g_strdup_printf ("<report version=\"1\" id=\"t\">\n"
                          "<image src=\"data:image/png;base64,%s\"%s/>\n"
                          "</report>\n",
                          base64, attrs);
}

static const LersReportElement *
parsed_image (LersReportTemplate *tpl)
{
  const LersReportBand *body = lers_report_template_get_body (tpl);

  ck_assert_uint_eq (body->elements->len, 1);
  return g_ptr_array_index (body->elements, 0);
}

START_TEST (test_image_size)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (LersReportTemplate) tpl = NULL;
  g_autofree gchar *text = NULL;
  const LersReportElement *image;

  /* <image src=" is 12 characters: the value at column 13 */
  text = image_template (0, 10, "");
  assert_refused (text, "line 2, column 13: the image is 0 × 10 pixels: each side must be 1 to "
                        "10000");
  g_free (text);
  text = image_template (10, 10001, "");
  assert_refused (text, "line 2, column 13: the image is 10 × 10001 pixels: each side must be 1 "
                        "to 10000");
  g_free (text);
  /* 4000 × 100 px at 96 dpi is 3000 × 75 pt; A4 less 10 mm margins is
   * 190 mm = 538.58 pt wide: 538.58 × 75 / 3000 = 13.46 pt high */
  text = image_template (4000, 100, "");
  tpl = lers_report_template_new_from_data (text, -1, &error);
  lers_check_assert_no_error (error);
  image = parsed_image (tpl);
  assert_close (image->image_width, 190 * MM);
  assert_close (image->image_height, 190 * MM * 75 / 3000);
  g_clear_object (&tpl);
  g_free (text);
  /* 100 × 8000 px is 75 × 6000 pt; 277 mm = 785.20 pt high: 75 × 785.20 /
   * 6000 = 9.815 pt wide */
  text = image_template (100, 8000, "");
  tpl = lers_report_template_new_from_data (text, -1, &error);
  lers_check_assert_no_error (error);
  image = parsed_image (tpl);
  assert_close (image->image_height, 277 * MM);
  assert_close (image->image_width, 277 * MM * 75 / 6000);
  g_clear_object (&tpl);
  g_free (text);
  /* a size the template gives is kept: 400 mm wide, 10 mm high (4000 / 100) */
  text = image_template (4000, 100, " width=\"400mm\"");
  tpl = lers_report_template_new_from_data (text, -1, &error);
  lers_check_assert_no_error (error);
  image = parsed_image (tpl);
  assert_close (image->image_width, 400 * MM);
  assert_close (image->image_height, 10 * MM);
}
END_TEST

int
main (int argc, char **argv)
{
  Suite *s = suite_create ("report-limits");
  TCase *tc = tcase_create ("limits");

  tcase_set_timeout (tc, 30);
  tcase_add_test (tc, test_group_loop_elsewhere);
  tcase_add_test (tc, test_long_chain);
  tcase_add_test (tc, test_format_literal);
  tcase_add_test (tc, test_positions);
  tcase_add_test (tc, test_image_size);
  suite_add_tcase (s, tc);
  return lers_check_run_suite (s);
}
