/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* examples/report.py (Lers.Report from Python) against a throwaway
 * database with three days this test writes: the PDF it makes, read back
 * with pdftotext, shows the point's title, a value written and their sum
 * (worked out by hand below). */
#include <check.h>
#include <glib/gstdio.h>
#include <lers.h>
#include <stdlib.h>
#include <string.h>

#include "lers-check.h"

static const gchar template_text[]
    = "<report version=\"1\" id=\"example-check\" source=\"point\">\n"
      "  <title ru=\"Пример\" en=\"Example\"/>\n"
      "  <parameters kinds=\"day\" default-kind=\"day\" period=\"month\"/>\n"
      "  <report-header><text>{Point.Title}</text></report-header>\n"
      "  <table rows=\"archive\">\n"
      "    <column title=\"Date\" value=\"DataDate\" format=\"dd.MM.yyyy\"/>\n"
      "    <column title=\"Q\" value=\"Q\" format=\"0.000\" total=\"sum\"/>\n"
      "  </table>\n"
      "</report>\n";

/* Q of 2026-11-01..03; sum by hand: 0.750 + 1.125 + 2.000 = 3.875; the
 * second point's: 0.250 + 0.500 + 0.125 = 0.875 */
static const gdouble q[] = { 0.75, 1.125, 2.0 };
static const gdouble q2[] = { 0.25, 0.5, 0.125 };

static gint64 point_id, point2_id;
static gchar *dir;

/* a point of @node titled @title with three days of Q */
static gint64
seed_point (LersNode *node, const gchar *title, const gdouble *values)
{
  LersStore *store = lers_check_get_store ();
  g_autoptr (GError) error = NULL;
  g_autoptr (LersMeasurePoint) point = lers_measure_point_new ();
  g_autoptr (GPtrArray) records = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr (GTimeZone) zone = NULL;
  gint64 id;

  g_object_set (point, "node-id", lers_node_get_id (node), "title", title, NULL);
  ck_assert (lers_store_save_measure_point_sync (store, point, NULL, &error));
  id = lers_measure_point_get_id (point);
  zone = lers_store_get_point_time_zone_sync (store, id, NULL, &error);
  lers_check_assert_no_error (error);
  for (gint i = 0; i < 3; i++)
    {
      g_autoptr (GDateTime) ts = g_date_time_new (zone, 2026, 11, 1 + i, 0, 0, 0);
      LersRecord *r = lers_record_new (ts, LERS_ARCHIVE_KIND_DAY);

      lers_record_set_value (r, LERS_PARAMETER_Q_IN, values[i], 0);
      g_ptr_array_add (records, r);
    }
  ck_assert (lers_store_write_records_sync (store, id, records, NULL, &error));
  return id;
}

static void
seed (void)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (LersNode) node = lers_node_new ();

  lers_check_store_setup ();
  lers_node_set_title (node, "Школа № 3");
  ck_assert (lers_store_save_node_sync (lers_check_get_store (), node, NULL, &error));
  point_id = seed_point (node, "Вентиляция", q);
  point2_id = seed_point (node, "Отопление", q2);
  dir = g_dir_make_tmp ("lers-example-XXXXXX", NULL);
}

static void
unseed (void)
{
  lers_check_remove_tree (dir);
  g_clear_pointer (&dir, g_free);
  lers_check_store_teardown ();
}

static gchar *
spawn (const gchar *const *argv, gchar **env)
{
  gchar *out = NULL;
  g_autofree gchar *err = NULL;
  gint status = 0;

  ck_assert (g_spawn_sync (NULL, (gchar **) argv, env, G_SPAWN_SEARCH_PATH, NULL, NULL, &out, &err,
                           &status, NULL));
  ck_assert_msg (g_spawn_check_wait_status (status, NULL), "%s failed: %s", argv[1], err);
  return out;
}

START_TEST (test_report_py)
{
  g_autofree gchar *script
      = g_build_filename (g_getenv ("LERS_SOURCE_ROOT"), "examples", "report.py", NULL);
  g_autofree gchar *tpl = g_build_filename (dir, "example.xml", NULL);
  g_autofree gchar *pdf = g_build_filename (dir, "example.pdf", NULL);
  g_autofree gchar *id = g_strdup_printf ("%" G_GINT64_FORMAT, point_id);
  g_auto (GStrv) env = g_environ_setenv (g_get_environ (), "LERS_DB", lers_check_get_uri (), TRUE);
  g_autofree gchar *pdftotext = g_find_program_in_path ("pdftotext");
  const gchar *py[]
      = { g_getenv ("LERS_PYTHON"), script, tpl, id, "2026-11-01", "2026-11-04", pdf, "en", NULL };
  const gchar *text_argv[] = { pdftotext, "-layout", pdf, "-", NULL };
  g_autofree gchar *out = NULL;
  g_autofree gchar *text = NULL;

  ck_assert_msg (pdftotext != NULL, "pdftotext is not installed");
  ck_assert (g_file_set_contents (tpl, template_text, -1, NULL));
  out = spawn (py, env);
  ck_assert_msg (g_str_has_prefix (out, pdf), "%s", out);
  text = spawn (text_argv, NULL);
  ck_assert_msg (strstr (text, "Вентиляция") != NULL, "%s", text);
  ck_assert_msg (strstr (text, "1.125") != NULL, "%s", text);
  ck_assert_msg (strstr (text, "3.875") != NULL, "%s", text);
}
END_TEST

static gchar *
pdf_text (const gchar *pdf)
{
  g_autofree gchar *pdftotext = g_find_program_in_path ("pdftotext");
  const gchar *argv[] = { pdftotext, "-layout", pdf, "-", NULL };

  ck_assert_msg (pdftotext != NULL, "pdftotext is not installed");
  return spawn (argv, NULL);
}

/* Two points: a folder with a PDF each, rendered through
 * Lers.Report.render_documents with a Python callback, each with its own
 * point's rows and sum */
START_TEST (test_report_py_many)
{
  g_autofree gchar *script
      = g_build_filename (g_getenv ("LERS_SOURCE_ROOT"), "examples", "report.py", NULL);
  g_autofree gchar *tpl = g_build_filename (dir, "example.xml", NULL);
  g_autofree gchar *folder = g_build_filename (dir, "out", NULL);
  g_autofree gchar *ids
      = g_strdup_printf ("%" G_GINT64_FORMAT ",%" G_GINT64_FORMAT, point_id, point2_id);
  g_autofree gchar *first
      = g_strdup_printf ("%s/%" G_GINT64_FORMAT "-Вентиляция.pdf", folder, point_id);
  g_autofree gchar *second
      = g_strdup_printf ("%s/%" G_GINT64_FORMAT "-Отопление.pdf", folder, point2_id);
  g_auto (GStrv) env = g_environ_setenv (g_get_environ (), "LERS_DB", lers_check_get_uri (), TRUE);
  const gchar *py[] = {
    g_getenv ("LERS_PYTHON"), script, tpl, ids, "2026-11-01", "2026-11-04", folder, "en", NULL
  };
  g_autofree gchar *out = NULL;
  g_autofree gchar *text = NULL;
  g_autofree gchar *text2 = NULL;

  ck_assert (g_file_set_contents (tpl, template_text, -1, NULL));
  out = spawn (py, env);
  /* in the points' order */
  ck_assert_msg (g_str_has_prefix (out, first), "%s", out);
  ck_assert_msg (strstr (out, second) > strstr (out, first), "%s", out);
  text = pdf_text (first);
  ck_assert_msg (strstr (text, "Вентиляция") != NULL && strstr (text, "3.875") != NULL, "%s", text);
  text2 = pdf_text (second);
  ck_assert_msg (strstr (text2, "Отопление") != NULL && strstr (text2, "0.875") != NULL, "%s",
                 text2);
  ck_assert_msg (strstr (text2, "3.875") == NULL, "%s", text2);
}
END_TEST

int
main (int argc, char **argv)
{
  Suite *s = suite_create ("example-report");
  TCase *tc = tcase_create ("report");

  lers_check_init (&argc, &argv);
  tcase_add_unchecked_fixture (tc, lers_check_cluster_setup, lers_check_cluster_teardown);
  tcase_add_checked_fixture (tc, seed, unseed);
  tcase_set_timeout (tc, 120);
  tcase_add_test (tc, test_report_py);
  tcase_add_test (tc, test_report_py_many);
  suite_add_tcase (s, tc);
  return lers_check_run_suite (s);
}
