/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* How values read (docs/report-templates.md, "Expressions", formats):
 * numbers and dates in Russian and English, defaults, the spreadsheet form
 * of each format. Expected strings are written out by hand from the spec:
 * Russian has a decimal comma and a space between thousands, English a
 * point and a comma; month names in Russian are nominative. */
#include <check.h>
#include <lers.h>

#include "lers-check.h"
#include "report/lers-report-value.h"

static gchar *
number (gdouble n, const gchar *format, const gchar *language)
{
  g_auto (LersReportValue) value = LERS_REPORT_VALUE_INIT;

  lers_report_value_set_number (&value, n);
  return lers_report_value_format (&value, format, language, NULL);
}

START_TEST (test_numbers)
{
  static const struct
  {
    gdouble value;
    const gchar *format;
    const gchar *ru;
    const gchar *en;
  } cases[] = {
    { 1234.5, "#,##0.00", "1 234,50", "1,234.50" },
    { -1234567.891, "#,##0.00", "-1 234 567,89", "-1,234,567.89" },
    { 999.999, "#,##0.00", "1 000,00", "1,000.00" }, /* rounding carries */
    { 123, "#,##0", "123", "123" },
    { 65.2345, "0.00", "65,23", "65.23" },
    { 65.2346, "0.000", "65,235", "65.235" },
    /* halves go away from zero as a reader (and a spreadsheet, which reads
     * the 15 digits 65.2345) rounds them, though 65.2345 is 65.23449999…
     * in binary and 0.125 is a binary tie that printf would round to even */
    { 65.2345, "0.000", "65,235", "65.235" },
    { 0.125, "0.00", "0,13", "0.13" },
    { -0.125, "0.00", "-0,13", "-0.13" },
    { 1.005, "0.00", "1,01", "1.01" },
    { 12.5, "0", "13", "13" },
    { 0.12499, "0.00", "0,12", "0.12" }, /* not a half */
    { 65.2345, "0", "65", "65" },
    { 65.2345, "0.0", "65,2", "65.2" },
    { 0.256, "0%", "26%", "26%" },
    { 0.256, "0.0%", "25,6%", "25.6%" },
    { -0.001, "0.00", "0,00", "0.00" },            /* no "-0,00" */
    { 12345.678, NULL, "12345,678", "12345.678" }, /* default: up to 3 decimals, no separators */
    { 3.0, NULL, "3", "3" },
    { 0.1 + 0.2, NULL, "0,3", "0.3" },
    { 2.5, "dd.MM.yyyy", "2,5", "2.5" }, /* a date format on a number is ignored */
    /* big numbers with nothing to round keep their last digit (the nudge
     * that takes 65.23449999… to 65,235 must stay below half a unit) */
    { 6e11, NULL, "600000000000", "600000000000" },
    { 1e12, "0.000", "1000000000000,000", "1000000000000.000" },
    { 123456789012.3454, NULL, "123456789012,345", "123456789012.345" },
    { 1e15, "#,##0", "1 000 000 000 000 000", "1,000,000,000,000,000" },
    { 6e8, "0.000000", "600000000,000000", "600000000.000000" },
    { 2.5, "0.000000000000000", "2,500000000000000", "2.500000000000000" },
    { 4503599627370495.0, "0", "4503599627370495", "4503599627370495" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree gchar *ru = number (cases[i].value, cases[i].format, "ru");
      g_autofree gchar *en = number (cases[i].value, cases[i].format, "en");

      ck_assert_msg (g_strcmp0 (ru, cases[i].ru) == 0, "%g %s ru: expected “%s”, got “%s”",
                     cases[i].value, cases[i].format, cases[i].ru, ru);
      ck_assert_msg (g_strcmp0 (en, cases[i].en) == 0, "%g %s en: expected “%s”, got “%s”",
                     cases[i].value, cases[i].format, cases[i].en, en);
    }
}
END_TEST

START_TEST (test_dates)
{
  /* 2026-11-05T19:30:07Z = 1793907007 s (date -u -d … +%s); in +05:00 it
   * is 6 November 2026, 00:30:07; in UTC 5 November 19:30:07 */
  static const struct
  {
    const gchar *zone;
    const gchar *format;
    const gchar *ru;
    const gchar *en;
  } cases[] = {
    { "+05:00", "dd.MM.yyyy HH:mm", "06.11.2026 00:30", "06.11.2026 00:30" },
    { "+05:00", "dd.MM.yy HH:mm:ss", "06.11.26 00:30:07", "06.11.26 00:30:07" },
    { "+05:00", "MMMM yyyy", "ноябрь 2026", "November 2026" },
    { "+05:00", "yyyy-MM", "2026-11", "2026-11" },
    { "+05:00", NULL, "06.11.2026 00:30", "2026-11-06 00:30" },
    { "+05:00", "0.00", "06.11.2026 00:30", "2026-11-06 00:30" }, /* a number format: default */
    { "UTC", "dd MMMM yyyy, HH:mm", "05 ноябрь 2026, 19:30", "05 November 2026, 19:30" },
    { NULL, "HH:mm", "19:30", "19:30" }, /* no zone: UTC */
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr (GTimeZone) zone
          = cases[i].zone != NULL ? g_time_zone_new_identifier (cases[i].zone) : NULL;
      g_auto (LersReportValue) value = LERS_REPORT_VALUE_INIT;
      g_autofree gchar *ru = NULL;
      g_autofree gchar *en = NULL;

      lers_report_value_set_time (&value, G_GINT64_CONSTANT (1793907007) * G_USEC_PER_SEC);
      ru = lers_report_value_format (&value, cases[i].format, "ru", zone);
      en = lers_report_value_format (&value, cases[i].format, "en", zone);
      ck_assert_msg (g_strcmp0 (ru, cases[i].ru) == 0, "%s ru: expected “%s”, got “%s”",
                     cases[i].format, cases[i].ru, ru);
      ck_assert_msg (g_strcmp0 (en, cases[i].en) == 0, "%s en: expected “%s”, got “%s”",
                     cases[i].format, cases[i].en, en);
    }
}
END_TEST

START_TEST (test_months)
{
  static const gchar *const ru[] = {
    "январь", "февраль", "март",     "апрель",  "май",    "июнь",
    "июль",   "август",  "сентябрь", "октябрь", "ноябрь", "декабрь",
  };

  for (guint m = 1; m <= 12; m++)
    {
      g_autoptr (GDateTime) dt = g_date_time_new_utc (2026, (gint) m, 15, 12, 0, 0);
      g_auto (LersReportValue) value = LERS_REPORT_VALUE_INIT;
      g_autofree gchar *got = NULL;

      lers_report_value_set_time (&value, g_date_time_to_unix (dt) * G_USEC_PER_SEC);
      got = lers_report_value_format (&value, "MMMM", "ru", NULL);
      ck_assert_str_eq (got, ru[m - 1]);
    }
}
END_TEST

START_TEST (test_other_values)
{
  g_auto (LersReportValue) value = LERS_REPORT_VALUE_INIT;
  g_auto (LersReportValue) copy = LERS_REPORT_VALUE_INIT;
  g_autofree gchar *null_text = lers_report_value_format (&value, "0.00", "ru", NULL);
  g_autofree gchar *yes = NULL;
  g_autofree gchar *no = NULL;
  g_autofree gchar *text = NULL;

  ck_assert_str_eq (null_text, ""); /* null shows as empty */
  ck_assert (!lers_report_value_is_true (&value));
  lers_report_value_set_boolean (&value, TRUE);
  yes = lers_report_value_format (&value, NULL, "ru", NULL);
  ck_assert_str_eq (yes, "да");
  lers_report_value_set_boolean (&value, FALSE);
  no = lers_report_value_format (&value, NULL, "en", NULL);
  ck_assert_str_eq (no, "no");
  lers_report_value_set_string (&value, "Ведомость");
  lers_report_value_copy (&value, &copy);
  lers_report_value_clear (&value);
  text = lers_report_value_format (&copy, "0.00", "en", NULL);
  ck_assert_str_eq (text, "Ведомость");
  ck_assert (lers_report_value_is_true (&copy));
  lers_report_value_set_number (&value, 0);
  ck_assert (!lers_report_value_is_true (&value));
}
END_TEST

START_TEST (test_valid)
{
  static const gchar *const good[] = { "0",
                                       "0.0",
                                       "0.000",
                                       "#,##0",
                                       "#,##0.00",
                                       "0%",
                                       "0.0%",
                                       "dd.MM.yyyy",
                                       "HH:mm",
                                       "MMMM yyyy",
                                       "dd.MM.yyyy HH:mm:ss",
                                       "yy" };
  static const gchar *const bad[] = { "",           "0.",        "00",    "#,##", "#0.00", "0.00x",
                                      "DD.MM.YYYY", "dd.MM.yyy", "hh:mm", "d.M",  "text",  "." };

  for (guint i = 0; i < G_N_ELEMENTS (good); i++)
    ck_assert_msg (lers_report_format_is_valid (good[i]), "%s refused", good[i]);
  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    ck_assert_msg (!lers_report_format_is_valid (bad[i]), "%s accepted", bad[i]);
}
END_TEST

/* the spreadsheet forms, as libxlsxwriter/Excel spell them */
START_TEST (test_spreadsheet)
{
  static const struct
  {
    const gchar *format;
    const gchar *expected;
  } cases[] = {
    { "dd.MM.yyyy HH:mm", "dd.mm.yyyy hh:mm" },
    { "0.000", "0.000" },
    { "#,##0.00", "#,##0.00" },
    { "0%", "0%" },
    { "MMMM yyyy", "mmmm yyyy" },
    { "dd.MM.yy", "dd.mm.yy" },
    { "HH:mm:ss", "hh:mm:ss" },
    { "dd.MM.yyyy г.", "dd.mm.yyyy \\г." }, /* "г" is escaped, the space stands */
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree gchar *got = lers_report_format_to_spreadsheet (cases[i].format);

      ck_assert_msg (g_strcmp0 (got, cases[i].expected) == 0, "%s: expected “%s”, got “%s”",
                     cases[i].format, cases[i].expected, got);
    }
  ck_assert (lers_report_format_to_spreadsheet (NULL) == NULL);
  ck_assert (lers_report_format_to_spreadsheet ("DD.MM") == NULL);
}
END_TEST

int
main (int argc, char **argv)
{
  Suite *s = suite_create ("report-format");
  TCase *tc = tcase_create ("format");

  lers_check_init (&argc, &argv);
  tcase_add_test (tc, test_numbers);
  tcase_add_test (tc, test_dates);
  tcase_add_test (tc, test_months);
  tcase_add_test (tc, test_other_values);
  tcase_add_test (tc, test_valid);
  tcase_add_test (tc, test_spreadsheet);
  suite_add_tcase (s, tc);
  return lers_check_run_suite (s);
}
