/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* `lers report` as a user runs it, against a throwaway PostgreSQL with
 * archive rows this test writes: a PDF read back with pdftotext shows the
 * point's title and the values written (and their sum, worked out below),
 * two points give a zip of two documents (read with python3's zipfile), a
 * bad template names its line and column, unknown templates and points end
 * with status 1, a template stored on the server is listed and used. */
#include <check.h>
#include <glib/gstdio.h>
#include <lers.h>
#include <stdlib.h>
#include <string.h>

#include "lers-check.h"

/* The test's own template (the system ones are the templates part's): the
 * point's title on top, a table of the days with Q and its sum. */
static const gchar template_text[]
    = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
      "<report version=\"1\" id=\"cli-check\" source=\"point\">\n"
      "  <title ru=\"Проверка\" en=\"Check report\"/>\n"
      "  <parameters kinds=\"day hour\" default-kind=\"day\" period=\"month\"/>\n"
      "  <report-header>\n"
      "    <text>{Point.Title}</text>\n"
      "  </report-header>\n"
      "  <table rows=\"archive\">\n"
      "    <column title=\"Date\" value=\"DataDate\" format=\"dd.MM.yyyy\"/>\n"
      "    <column title=\"Q\" value=\"Q\" format=\"0.000\" total=\"sum\"/>\n"
      "  </table>\n"
      "</report>\n";

/* T7 is no field: the error is on line 4 (the <column> of "T7") */
static const gchar bad_text[] = "<report version=\"1\" id=\"bad\" source=\"point\">\n"
                                "  <title ru=\"x\" en=\"x\"/>\n"
                                "  <table rows=\"archive\">\n"
                                "    <column title=\"T\" value=\"T7\"/>\n"
                                "  </table>\n"
                                "</report>\n";

static gchar *dir;
static gchar *template_path;
static gint64 point1, point2;
static gchar *point1_s, *point2_s;

/* Q of the three days 2026-11-01..03 for point 1 and 2; their sums, by
 * hand: 1.234 + 2.000 + 0.500 = 3.734 and 10.5 + 20.25 + 0.125 = 30.875 */
static const gdouble q1[] = { 1.234, 2.0, 0.5 };
static const gdouble q2[] = { 10.5, 20.25, 0.125 };

static gint64
make_point (gint64 node_id, const gchar *title, const gdouble *q)
{
  LersStore *store = lers_check_get_store ();
  g_autoptr (LersMeasurePoint) point = lers_measure_point_new ();
  g_autoptr (GPtrArray) records = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr (GError) error = NULL;
  g_autoptr (GTimeZone) zone = NULL;

  g_object_set (point, "node-id", node_id, "title", title, NULL);
  ck_assert (lers_store_save_measure_point_sync (store, point, NULL, &error));
  zone = lers_store_get_point_time_zone_sync (store, lers_measure_point_get_id (point), NULL,
                                              &error);
  lers_check_assert_no_error (error);
  /* one daily record a day, at midnight in the point's zone */
  for (gint i = 0; i < 3; i++)
    {
      g_autoptr (GDateTime) ts = g_date_time_new (zone, 2026, 11, 1 + i, 0, 0, 0);
      LersRecord *r = lers_record_new (ts, LERS_ARCHIVE_KIND_DAY);

      lers_record_set_value (r, LERS_PARAMETER_Q_IN, q[i], 0);
      lers_record_set_value (r, LERS_PARAMETER_T_IN, 70.5, 0);
      g_ptr_array_add (records, r);
    }
  ck_assert_msg (lers_store_write_records_sync (store, lers_measure_point_get_id (point), records,
                                                NULL, &error),
                 "%s", error != NULL ? error->message : "");
  return lers_measure_point_get_id (point);
}

static void
report_setup (void)
{
  g_autoptr (LersNode) node = lers_node_new ();
  g_autoptr (GError) error = NULL;

  lers_check_store_setup ();
  lers_node_set_title (node, "Дом на Ленина, 5");
  ck_assert (lers_store_save_node_sync (lers_check_get_store (), node, NULL, &error));
  point1 = make_point (lers_node_get_id (node), "Отопление корпус 1", q1);
  point2 = make_point (lers_node_get_id (node), "Отопление корпус 2", q2);
  point1_s = g_strdup_printf ("%" G_GINT64_FORMAT, point1);
  point2_s = g_strdup_printf ("%" G_GINT64_FORMAT, point2);
  dir = g_dir_make_tmp ("lers-report-XXXXXX", NULL);
  template_path = g_build_filename (dir, "check.xml", NULL);
  ck_assert (g_file_set_contents (template_path, template_text, -1, NULL));
}

static void
report_teardown (void)
{
  lers_check_remove_tree (dir);
  g_clear_pointer (&dir, g_free);
  g_clear_pointer (&template_path, g_free);
  g_clear_pointer (&point1_s, g_free);
  g_clear_pointer (&point2_s, g_free);
  lers_check_store_teardown ();
}

/* a program the test needs: missing, the test fails (never skips) */
static gchar *
need_program (const gchar *name)
{
  gchar *path = g_find_program_in_path (name);

  ck_assert_msg (path != NULL, "%s is not installed", name);
  return path;
}

/* The text pdftotext reads from @pdf */
static gchar *
pdf_text (const gchar *pdf)
{
  g_autofree gchar *pdftotext = need_program ("pdftotext");
  g_autofree gchar *out = NULL;
  g_autofree gchar *err = NULL;
  const gchar *argv[] = { pdftotext, "-layout", pdf, "-", NULL };
  gint status = 0;

  ck_assert (g_spawn_sync (NULL, (gchar **) argv, NULL, G_SPAWN_DEFAULT, NULL, NULL, &out, &err,
                           &status, NULL));
  ck_assert_msg (g_spawn_check_wait_status (status, NULL), "pdftotext: %s", err);
  return g_steal_pointer (&out);
}

START_TEST (test_report_pdf)
{
  g_autofree gchar *out = NULL;
  g_autofree gchar *err = NULL;
  g_autofree gchar *pdf = g_build_filename (dir, "one.pdf", NULL);
  g_autofree gchar *text = NULL;
  gint status = lers_check_run_lers (&out, &err, "report", template_path, "--point", point1_s,
                                     "--from", "2026-11-01", "--to", "2026-11-04", "--kind", "day",
                                     "--format", "pdf", "--lang", "en", "-o", pdf, NULL);

  ck_assert_msg (status == 0, "status %d: %s", status, err);
  text = pdf_text (pdf);
  ck_assert_msg (strstr (text, "Отопление корпус 1") != NULL, "%s", text);
  /* the values as written, in English (a decimal point), and their sum */
  ck_assert_msg (strstr (text, "1.234") != NULL, "%s", text);
  ck_assert_msg (strstr (text, "2.000") != NULL, "%s", text);
  ck_assert_msg (strstr (text, "3.734") != NULL, "%s", text);
  ck_assert_msg (strstr (text, "01.11.2026") != NULL, "%s", text);
  /* not the other point's */
  ck_assert_msg (strstr (text, "30.875") == NULL, "%s", text);
  /* Russian: a decimal comma */
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);
  g_clear_pointer (&text, g_free);
  status
      = lers_check_run_lers (&out, &err, "report", template_path, "--point", point1_s, "--from",
                             "2026-11-01", "--to", "2026-11-04", "--lang", "ru", "-o", pdf, NULL);
  ck_assert_msg (status == 0, "status %d: %s", status, err);
  text = pdf_text (pdf);
  ck_assert_msg (strstr (text, "3,734") != NULL, "%s", text);
}
END_TEST

START_TEST (test_report_zip)
{
  g_autofree gchar *out = NULL;
  g_autofree gchar *err = NULL;
  g_autofree gchar *zip = g_build_filename (dir, "register.zip", NULL);
  g_autofree gchar *python = need_program ("python3");
  g_autofree gchar *names = NULL;
  g_autofree gchar *pyerr = NULL;
  g_autofree gchar *expected = NULL;
  g_autofree gchar *points_arg = g_strdup_printf ("%s,%s", point1_s, point2_s);
  gint status = lers_check_run_lers (&out, &err, "report", template_path, "--point", points_arg,
                                     "--from", "2026-11-01", "--to", "2026-11-04", "--format",
                                     "pdf", "--lang", "en", "-o", zip, NULL);
  const gchar *argv[] = { python, "-c",
                          "import sys, zipfile\n"
                          "z = zipfile.ZipFile(sys.argv[1])\n"
                          "assert z.testzip() is None\n"
                          "for i in z.infolist():\n"
                          "    print(i.filename, z.read(i)[:5].decode('latin-1'))\n",
                          zip, NULL };

  ck_assert_msg (status == 0, "status %d: %s", status, err);
  /* progress, a line a document off a terminal: half, then all */
  ck_assert_msg (strstr (err, "]  50% ") != NULL && strstr (err, "] 100% ") != NULL, "%s", err);
  ck_assert (g_spawn_sync (NULL, (gchar **) argv, NULL, G_SPAWN_DEFAULT, NULL, NULL, &names, &pyerr,
                           &status, NULL));
  ck_assert_msg (g_spawn_check_wait_status (status, NULL), "zipfile: %s", pyerr);
  /* one PDF a point, named <point id>-<title>.pdf, in the points' order */
  expected = g_strdup_printf ("%s-Check_report.pdf %%PDF-\n%s-Check_report.pdf %%PDF-\n", point1_s,
                              point2_s);
  ck_assert_str_eq (names, expected);
}
END_TEST

START_TEST (test_report_errors)
{
  g_autofree gchar *out = NULL;
  g_autofree gchar *err = NULL;
  g_autofree gchar *bad = g_build_filename (dir, "bad.xml", NULL);
  g_autofree gchar *pdf = g_build_filename (dir, "never.pdf", NULL);
  g_autoptr (GRegex) place = g_regex_new ("line 4, column [0-9]+", 0, 0, NULL);
  gint status;

  ck_assert (g_file_set_contents (bad, bad_text, -1, NULL));
  status = lers_check_run_lers (&out, &err, "report", bad, "--point", point1_s, "--from",
                                "2026-11-01", "--to", "2026-11-04", "-o", pdf, NULL);
  ck_assert_int_eq (status, 1);
  ck_assert_msg (g_regex_match (place, err, 0, NULL), "%s", err);
  ck_assert_msg (strstr (err, "T7") != NULL, "%s", err);
  ck_assert (!g_file_test (pdf, G_FILE_TEST_EXISTS));

  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);
  status = lers_check_run_lers (&out, &err, "report", "no-such-template", "--point", point1_s,
                                "--from", "2026-11-01", "--to", "2026-11-04", "-o", pdf, NULL);
  ck_assert_int_eq (status, 1);
  ck_assert_msg (strstr (err, "There is no report template “no-such-template”") != NULL, "%s", err);

  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);
  status = lers_check_run_lers (&out, &err, "report", template_path, "--point", "999999", "--from",
                                "2026-11-01", "--to", "2026-11-04", "-o", pdf, NULL);
  ck_assert_int_eq (status, 1);
  ck_assert_msg (strstr (err, "999999") != NULL, "%s", err);
  ck_assert (!g_file_test (pdf, G_FILE_TEST_EXISTS));

  /* an archive the template does not take */
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);
  status = lers_check_run_lers (&out, &err, "report", template_path, "--point", point1_s, "--kind",
                                "month", "--from", "2026-11-01", "--to", "2026-11-04", "-o", pdf,
                                NULL);
  ck_assert_int_eq (status, 1);
  ck_assert_msg (strstr (err, "day hour") != NULL, "%s", err);
}
END_TEST

/* A template stored on the server: listed with its version, and used by id */
START_TEST (test_report_stored)
{
  g_autofree gchar *out = NULL;
  g_autofree gchar *err = NULL;
  g_autofree gchar *pdf = g_build_filename (dir, "stored.pdf", NULL);
  g_autofree gchar *text = NULL;
  g_autoptr (GError) error = NULL;
  g_autoptr (GRegex) row
      = g_regex_new ("^cli-check +day hour +point +v1 +Check report$", G_REGEX_MULTILINE, 0, NULL);
  gint status;

  ck_assert (lers_store_add_report_template_sync (
      lers_check_get_store (), "cli-check", "Check report", template_text, "tester", NULL, &error));
  lers_check_assert_no_error (error);
  status = lers_check_run_lers (&out, &err, "report", "--list", "--lang", "en", NULL);
  ck_assert_msg (status == 0, "status %d: %s", status, err);
  ck_assert_msg (g_regex_match (row, out, 0, NULL), "%s", out);
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);
  status
      = lers_check_run_lers (&out, &err, "report", "cli-check", "--point", point2_s, "--from",
                             "2026-11-01", "--to", "2026-11-04", "--lang", "en", "-o", pdf, NULL);
  ck_assert_msg (status == 0, "status %d: %s", status, err);
  text = pdf_text (pdf);
  ck_assert_msg (strstr (text, "Отопление корпус 2") != NULL, "%s", text);
  ck_assert_msg (strstr (text, "30.875") != NULL, "%s", text);
}
END_TEST

static Suite *
report_suite (void)
{
  Suite *s = suite_create ("cli-report");
  TCase *tc = tcase_create ("report");

  tcase_add_unchecked_fixture (tc, lers_check_cluster_setup, lers_check_cluster_teardown);
  tcase_add_checked_fixture (tc, report_setup, report_teardown);
  tcase_set_timeout (tc, 120);
  tcase_add_test (tc, test_report_pdf);
  tcase_add_test (tc, test_report_zip);
  tcase_add_test (tc, test_report_errors);
  tcase_add_test (tc, test_report_stored);
  suite_add_tcase (s, tc);
  return s;
}

int
main (int argc, char **argv)
{
  lers_check_init (&argc, &argv);
  return lers_check_run_suite (report_suite ());
}
