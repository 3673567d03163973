/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Report expressions (docs/report-templates.md, "Expressions"): results
 * worked out by hand, null semantics, aggregates over a hand-made table of
 * rows, and a table of bad expressions with their exact messages (line and
 * column counted by hand from the text). */
#include <check.h>
#include <lers.h>
#include <math.h>

#include "lers-check.h"
#include "report/lers-report-expr.h"

/* The rows a hand-made resolve() serves:
 *   row  T1     Q      DataDate (UTC)
 *   0    60.5   1.25   2026-11-05 19:30:00
 *   1    null   2.5    2026-11-05 20:30:00
 *   2    70.25  null   2026-11-05 21:30:00
 *   3    55     -0.5   2026-11-05 22:30:00
 * T1 over all rows: sum 185.75, avg 185.75 / 3 = 61.9166…, min 55,
 * max 70.25, count 3; count() 4. */
enum
{
  F_T1 = 101,
  F_Q,
  F_DATE,
  F_TITLE,
};

static const gdouble t1[] = { 60.5, NAN, 70.25, 55 };
static const gdouble q[] = { 1.25, 2.5, NAN, -0.5 };
/* 2026-11-05T19:30:00Z = 1793907000 s (date -d 2026-11-05T19:30:00Z +%s) */
#define DATE0 G_GINT64_CONSTANT (1793907000)

static gboolean
lookup (const gchar *name, gpointer user_data, LersReportField *field)
{
  static const LersReportField fields[] = {
    { LERS_REPORT_FIELD_ROW, F_T1, -1, LERS_REPORT_VALUE_NUMBER, "T1" },
    { LERS_REPORT_FIELD_ROW, F_Q, -1, LERS_REPORT_VALUE_NUMBER, "Q" },
    { LERS_REPORT_FIELD_ROW, F_DATE, -1, LERS_REPORT_VALUE_TIME, "DataDate" },
    { LERS_REPORT_FIELD_POINT, F_TITLE, -1, LERS_REPORT_VALUE_STRING, "Point.Title" },
    { LERS_REPORT_FIELD_PAGE, LERS_REPORT_FIELD_ID_PAGE_NUMBER, -1, LERS_REPORT_VALUE_NUMBER,
      "PageNumber" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (fields); i++)
    if (g_strcmp0 (fields[i].name, name) == 0)
      {
        *field = fields[i];
        return TRUE;
      }
  return FALSE;
}

static gboolean
resolve (gpointer user_data, const LersReportField *field, guint row, LersReportValue *value,
         GError **error)
{
  ck_assert_uint_lt (row, 4);
  switch (field->id)
    {
    case F_T1:
      if (!isnan (t1[row]))
        lers_report_value_set_number (value, t1[row]);
      break;
    case F_Q:
      if (!isnan (q[row]))
        lers_report_value_set_number (value, q[row]);
      break;
    case F_DATE:
      lers_report_value_set_time (value, (DATE0 + 3600 * row) * G_USEC_PER_SEC);
      break;
    case F_TITLE:
      lers_report_value_set_string (value, "ТК-1");
      break;
    case LERS_REPORT_FIELD_ID_PAGE_NUMBER:
      lers_report_value_set_number (value, 2);
      break;
    default:
      ck_abort_msg ("unexpected field %s", field->name);
    }
  return TRUE;
}

static GHashTable *
strings (void)
{
  GHashTable *s = g_hash_table_new (g_str_hash, g_str_equal);

  g_hash_table_insert (s, "page", "Стр. {0} из {1}");
  g_hash_table_insert (s, "total", "Итого");
  return s;
}

/* @text evaluated at @row of rows [first, end) in @language, in +05:00,
 * shown with the default format */
static gchar *
eval_full (const gchar *text, gboolean is_text, const gchar *language, guint row, guint first,
           guint end)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (GHashTable) ids = strings ();
  g_autoptr (GTimeZone) zone = g_time_zone_new_identifier ("+05:00");
  g_autoptr (LersReportExpr) expr = NULL;
  g_auto (LersReportValue) value = LERS_REPORT_VALUE_INIT;
  LersReportContext ctx = { resolve, NULL, row, first, end, language, zone, ids };

  expr = is_text ? lers_report_expr_parse_text (text, -1, 1, 1, lookup, NULL, ids, &error)
                 : lers_report_expr_parse (text, -1, 1, 1, lookup, NULL, ids, &error);
  lers_check_assert_no_error (error);
  ck_assert (lers_report_expr_eval (expr, &ctx, &value, &error));
  lers_check_assert_no_error (error);
  if (value.type == LERS_REPORT_VALUE_NULL)
    return g_strdup ("(null)");
  return lers_report_value_format (&value, NULL, language, zone);
}

static void
assert_eval (const gchar *text, const gchar *language, const gchar *expected)
{
  g_autofree gchar *got = eval_full (text, FALSE, language, 0, 0, 4);

  ck_assert_msg (g_strcmp0 (got, expected) == 0, "%s [%s]: expected “%s”, got “%s”", text, language,
                 expected, got);
}

START_TEST (test_arithmetic)
{
  static const struct
  {
    const gchar *text;
    const gchar *expected; /* in English */
  } cases[] = {
    { "1 + 2 * 3", "7" },
    { "(1 + 2) * 3", "9" },
    { "2 - 3 - 4", "-5" }, /* left to right: (2 - 3) - 4 */
    { "10 / 4", "2.5" },
    { "7 % 4", "3" },
    { "-2 * -3", "6" },
    { "-(1 + 2)", "-3" },
    { "1e3 + 0.5", "1000.5" },
    { "2 + 3 = 5", "yes" },
    { "1 + 1 > 2 or 3 >= 3", "yes" }, /* comparisons bind tighter than or */
    { "not 1 = 2 and 2 != 3", "yes" },
    { "'a' < 'b'", "yes" },
    { "'Q' & 1.5 & 'x'", "Q1.5x" },
    { "\"it\\'s \\\"q\\\"\"", "it's \"q\"" },
    { "1 / 3", "0.333" }, /* default: up to three decimals */
    { "2 / 8", "0.25" },
    { "if(T1 > 60, 'hot', 'cold')", "hot" }, /* row 0: T1 = 60.5 */
    { "coalesce(null, null, 3)", "3" },
    { "round(1234.5678, 2)", "1234.57" },
    { "round(2.5)", "3" },
    { "round(1e300, 2) > 1e299", "yes" }, /* too big to have hundredths: itself, not null */
    { "abs(-3.5)", "3.5" },
    { "duration(93900)", "26:05" }, /* 93900 s = 1565 min = 26 h 5 min */
    { "duration(59)", "0:01" },     /* rounded to the minute */
    { "upper('ноябрь')", "НОЯБРЬ" },
    { "lower(Point.Title)", "тк-1" },
    { "PageNumber + 1", "3" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    assert_eval (cases[i].text, "en", cases[i].expected);
}
END_TEST

START_TEST (test_null)
{
  static const struct
  {
    const gchar *text;
    const gchar *expected;
  } cases[] = {
    { "null + 1", "(null)" },
    { "1 / 0", "(null)" }, /* division by zero gives null */
    { "5 % 0", "(null)" },
    { "null = null", "(null)" },
    { "null < 1", "(null)" },
    { "1 = 'a'", "(null)" }, /* a type mismatch is null, not an error */
    { "-'a'", "(null)" },
    { "null or true", "yes" }, /* and/or take null for false */
    { "null and true", "no" },
    { "not null", "yes" },
    { "'a' & null", "a" }, /* & joins null as empty text */
    { "coalesce(null, 'x')", "x" },
    { "if(null, 1, 2)", "2" },
    { "round(null, 1)", "(null)" },
    { "format(null, '0.00')", "(null)" },
    { "1e308 * 10", "(null)" }, /* an overflow is missing, not "inf" */
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    assert_eval (cases[i].text, "en", cases[i].expected);
  /* row 1: T1 is null */
  {
    g_autofree gchar *got = eval_full ("T1 + 1", FALSE, "en", 1, 0, 4);

    ck_assert_str_eq (got, "(null)");
  }
}
END_TEST

START_TEST (test_aggregates)
{
  static const struct
  {
    const gchar *text;
    guint first, end;
    const gchar *expected; /* in Russian */
  } cases[] = {
    { "sum(T1)", 0, 4, "185,75" },                /* 60.5 + 70.25 + 55, null skipped */
    { "format(avg(T1), '0.00')", 0, 4, "61,92" }, /* 185.75 / 3 = 61.916… */
    { "min(T1)", 0, 4, "55" },
    { "max(T1)", 0, 4, "70,25" },
    { "count(T1)", 0, 4, "3" },
    { "count()", 0, 4, "4" },
    { "first(T1)", 0, 4, "60,5" },
    { "last(T1)", 0, 4, "55" },
    { "sum(Q * 2)", 0, 4, "6,5" },           /* (1.25 + 2.5 - 0.5) * 2 */
    { "sum(T1) / count()", 0, 4, "46,438" }, /* 185.75 / 4 = 46.4375 → 3 decimals */
    { "sum(T1)", 1, 3, "70,25" },            /* the group of rows 1 and 2 */
    { "count()", 1, 3, "2" },
    { "first(T1)", 1, 3, "(null)" },
    { "sum(T1)", 2, 2, "(null)" }, /* no rows: nothing to sum */
    { "count(T1)", 2, 2, "0" },
    { "max(DataDate)", 0, 4, "06.11.2026 03:30" }, /* 22:30Z in +05:00 */
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree gchar *got
          = eval_full (cases[i].text, FALSE, "ru", cases[i].first, cases[i].first, cases[i].end);

      ck_assert_msg (g_strcmp0 (got, cases[i].expected) == 0,
                     "%s [%u, %u): expected “%s”, got “%s”", cases[i].text, cases[i].first,
                     cases[i].end, cases[i].expected, got);
    }
}
END_TEST

START_TEST (test_text)
{
  static const struct
  {
    const gchar *text;
    const gchar *language;
    const gchar *expected;
  } cases[] = {
    { "{T1} °C", "ru", "60,5 °C" },
    { "{T1} °C", "en", "60.5 °C" },
    { "{{literal}} {1 + 1}", "en", "{literal} 2" },
    { "plain text", "en", "plain text" },
    { "", "en", "" },
    { "{tr('page', PageNumber, 5)}", "ru", "Стр. 2 из 5" },
    { "{upper(tr('total'))}: {sum(Q)}", "ru", "ИТОГО: 3,25" },
    { "{'}'}", "en", "}" }, /* a brace inside a string is not the end */
    { "[{Q}]", "en", "[1.25]" },
    { "{2.50}", "ru", "2,5" },                  /* one number alone is still text */
    { "{DataDate}", "ru", "06.11.2026 00:30" }, /* 19:30Z in +05:00 */
    { "{DataDate}", "en", "2026-11-06 00:30" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree gchar *got = eval_full (cases[i].text, TRUE, cases[i].language, 0, 0, 4);

      ck_assert_msg (g_strcmp0 (got, cases[i].expected) == 0, "%s: expected “%s”, got “%s”",
                     cases[i].text, cases[i].expected, got);
    }
}
END_TEST

START_TEST (test_errors)
{
  static const struct
  {
    const gchar *text;
    gboolean is_text;
    guint line, column; /* where the text starts */
    const gchar *message;
  } cases[] = {
    { "T7 + 1", FALSE, 1, 1, "line 1, column 1: unknown field “T7”" },
    { "T7", FALSE, 3, 17, "line 3, column 17: unknown field “T7”" },
    { "1 +\n  T7", FALSE, 10, 5, "line 11, column 3: unknown field “T7”" },
    { "1 +", FALSE, 1, 1, "line 1, column 4: expected an expression" },
    { "", FALSE, 1, 1, "line 1, column 1: expected an expression" },
    { "1 2", FALSE, 1, 1, "line 1, column 3: unexpected “2”" },
    { "T1 # 2", FALSE, 1, 1, "line 1, column 4: unexpected character “#”" },
    { "'abc", FALSE, 1, 1, "line 1, column 1: unterminated string" },
    { "'a\\n'", FALSE, 1, 1,
      "line 1, column 3: unknown escape in a string: write \\\\, \\' or \\\"" },
    { "(1 + 2", FALSE, 1, 1, "line 1, column 1: unclosed “(”" },
    { "foo(1)", FALSE, 1, 1, "line 1, column 1: unknown function “foo”" },
    { "sum(avg(T1))", FALSE, 1, 1, "line 1, column 5: aggregate avg() inside another aggregate" },
    { "sum(1 + count())", FALSE, 1, 1,
      "line 1, column 9: aggregate count() inside another aggregate" },
    { "round()", FALSE, 1, 1, "line 1, column 1: round() takes 1 or 2 arguments, not 0" },
    { "if(1, 2)", FALSE, 1, 1, "line 1, column 1: if() takes 3 arguments, not 2" },
    { "abs(1, 2)", FALSE, 1, 1, "line 1, column 1: abs() takes one argument, not 2" },
    { "coalesce()", FALSE, 1, 1, "line 1, column 1: coalesce() takes at least one argument" },
    { "tr('nope')", FALSE, 1, 1, "line 1, column 4: unknown string id “nope”" },
    { "tr(T1)", FALSE, 1, 1, "line 1, column 4: the first argument of tr() must be a string id" },
    { "12abc", FALSE, 1, 1, "line 1, column 1: bad number" },
    { "a and", FALSE, 1, 1, "line 1, column 1: unknown field “a”" },
    { "1 and", FALSE, 1, 1, "line 1, column 6: expected an expression" },
    { "T1 }", FALSE, 1, 1, "line 1, column 4: unexpected “}”" },
    { "Total: {T7}", TRUE, 1, 1, "line 1, column 9: unknown field “T7”" },
    { "ёж {T7}", TRUE, 2, 10, "line 2, column 14: unknown field “T7”" }, /* columns count letters */
    { "a } b", TRUE, 1, 1, "line 1, column 3: “}” outside an expression: write “}}” for a brace" },
    { "x {1 + 1", TRUE, 1, 1, "line 1, column 3: unclosed “{”" },
    { "x {}", TRUE, 1, 1, "line 1, column 4: expected an expression" },
    { "{1 2}", TRUE, 1, 1, "line 1, column 4: unexpected “2”" },
    { "first\nsecond {sum(T8)}", TRUE, 7, 20, "line 8, column 13: unknown field “T8”" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr (GError) error = NULL;
      g_autoptr (GHashTable) ids = strings ();
      g_autoptr (LersReportExpr) expr = NULL;

      if (cases[i].is_text)
        expr = lers_report_expr_parse_text (cases[i].text, -1, cases[i].line, cases[i].column,
                                            lookup, NULL, ids, &error);
      else
        expr = lers_report_expr_parse (cases[i].text, -1, cases[i].line, cases[i].column, lookup,
                                       NULL, ids, &error);
      ck_assert_msg (expr == NULL, "%s parsed", cases[i].text);
      lers_check_assert_error (error, LERS_ERROR, LERS_ERROR_INVALID_DATA);
      ck_assert_msg (g_strcmp0 (error->message, cases[i].message) == 0,
                     "%s: expected “%s”, got “%s”", cases[i].text, cases[i].message,
                     error->message);
    }
}
END_TEST

/* In a template the attribute when="Q &lt; 0 and T7" reaches the parser as
 * "Q < 0 and T7": the column is counted in the file, where "Q &lt; 0 and "
 * is 13 characters before T7, so column 10 + 13 = 23. */
START_TEST (test_entity_positions)
{
  g_autoptr (GError) error = NULL;
  const gchar *raw = "Q &lt; 0 and T7\"/>";
  LersReportExprSource source = { 4, 10, raw, lookup, NULL, NULL, NULL, NULL };
  g_autoptr (LersReportExpr) expr
      = lers_report_expr_parse_source ("Q < 0 and T7", -1, FALSE, &source, &error);

  ck_assert (expr == NULL);
  ck_assert_str_eq (error->message, "line 4, column 23: unknown field “T7”");
}
END_TEST

/* Names inside aggregates may be looked up elsewhere: the summary's sum(Q)
 * names the rows of the body's table, a bare Q there is unknown. */
static gboolean
lookup_nothing (const gchar *name, gpointer user_data, LersReportField *field)
{
  return FALSE;
}

START_TEST (test_aggregate_lookup)
{
  g_autoptr (GError) error = NULL;
  LersReportExprSource source = { 1, 1, NULL, lookup_nothing, NULL, lookup, NULL, NULL };
  g_autoptr (LersReportExpr) sum
      = lers_report_expr_parse_source ("sum(Q)", -1, FALSE, &source, &error);
  g_autoptr (LersReportExpr) bare = NULL;

  lers_check_assert_no_error (error);
  ck_assert (sum != NULL);
  bare = lers_report_expr_parse_source ("Q", -1, FALSE, &source, &error);
  ck_assert (bare == NULL);
  ck_assert_str_eq (error->message, "line 1, column 1: unknown field “Q”");
}
END_TEST

START_TEST (test_queries)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (LersReportExpr) field
      = lers_report_expr_parse ("T1", -1, 1, 1, lookup, NULL, NULL, &error);
  g_autoptr (LersReportExpr) sum
      = lers_report_expr_parse ("1 + sum(T1)", -1, 1, 1, lookup, NULL, NULL, &error);
  g_autoptr (LersReportExpr) page
      = lers_report_expr_parse_text ("{PageNumber}", -1, 1, 1, lookup, NULL, NULL, &error);
  /* with no tr_ids, tr() names any id and shows it when it has no string */
  g_autoptr (LersReportExpr) tr
      = lers_report_expr_parse ("tr('x')", -1, 1, 1, lookup, NULL, NULL, &error);

  lers_check_assert_no_error (error);
  ck_assert_str_eq (lers_report_expr_get_field (field)->name, "T1");
  ck_assert (lers_report_expr_get_field (sum) == NULL);
  ck_assert (!lers_report_expr_has_aggregate (field));
  ck_assert (lers_report_expr_has_aggregate (sum));
  ck_assert (lers_report_expr_uses_page (page));
  ck_assert (!lers_report_expr_uses_page (sum));
  ck_assert (tr != NULL);
}
END_TEST

/* no input exhausts the stack: nesting is bounded */
START_TEST (test_deep)
{
  g_autoptr (GString) text = g_string_new (NULL);
  g_autoptr (GError) error = NULL;
  g_autoptr (LersReportExpr) expr = NULL;

  for (guint i = 0; i < 100000; i++)
    g_string_append (text, "-(");
  expr = lers_report_expr_parse (text->str, -1, 1, 1, lookup, NULL, NULL, &error);
  ck_assert (expr == NULL);
  lers_check_assert_error (error, LERS_ERROR, LERS_ERROR_INVALID_DATA);
  ck_assert (g_str_has_suffix (error->message, "expression nested too deeply"));
  g_clear_error (&error);
  g_string_truncate (text, 0);
  for (guint i = 0; i < 20; i++)
    g_string_append (text, "(1 + ");
  g_string_append (text, "1");
  for (guint i = 0; i < 20; i++)
    g_string_append (text, ")");
  g_clear_pointer (&expr, lers_report_expr_free);
  expr = lers_report_expr_parse (text->str, -1, 1, 1, lookup, NULL, NULL, &error);
  lers_check_assert_no_error (error);
}
END_TEST

int
main (int argc, char **argv)
{
  Suite *s = suite_create ("report-expr");
  TCase *tc = tcase_create ("expr");

  lers_check_init (&argc, &argv);
  tcase_add_test (tc, test_arithmetic);
  tcase_add_test (tc, test_null);
  tcase_add_test (tc, test_aggregates);
  tcase_add_test (tc, test_text);
  tcase_add_test (tc, test_errors);
  tcase_add_test (tc, test_entity_positions);
  tcase_add_test (tc, test_aggregate_lookup);
  tcase_add_test (tc, test_queries);
  tcase_add_test (tc, test_deep);
  suite_add_tcase (s, tc);
  return lers_check_run_suite (s);
}
