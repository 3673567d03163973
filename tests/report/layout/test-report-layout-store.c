/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* LersReport over a real store (a throwaway PostgreSQL): the data of each
 * point is loaded, laid out and handed back as a document, synchronously
 * and in a thread. The archive is lers_check_seed_archive()'s: three hours
 * before this hour with T_in 73, 72, 71 and Q_in 0.375, 0.25, 0.125. */
#include "config.h"

#include <lers.h>
#include <string.h>

#include "lers-check.h"

static const gchar hourly[] = "<?xml version='1.0' encoding='UTF-8'?>"
                              "<report version='1' id='hourly' source='point'>"
                              "<title ru='Часовая' en='Hourly'/>"
                              "<parameters kinds='hour day' default-kind='hour' period='day'/>"
                              "<page size='A4' margin='10mm'/>"
                              "<report-header><text>{Point.Title}</text></report-header>"
                              "<table rows='archive'>"
                              "<column title='t1' value='T1' format='0.0' total='avg'/>"
                              "<column title='Q' value='Q' format='0.000' total='sum'/>"
                              "</table></report>";

static LersReport *
test_report_new (const gint64 *points, guint n_points)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (LersReportTemplate) template_
      = lers_report_template_new_from_data (hourly, -1, &error);
  g_autoptr (GDateTime) hour = lers_check_this_hour ();
  g_autoptr (GDateTime) from = g_date_time_add_hours (hour, -3);
  LersReport *report;

  lers_check_assert_no_error (error);
  report = lers_report_new (template_, lers_check_get_store ());
  lers_report_set_points (report, points, n_points);
  lers_report_set_period (report, from, hour);
  return report;
}

static void
test_check_document (LersReportDocument *document)
{
  LersReportTable *table = NULL;

  ck_assert_str_eq (lers_report_document_get_block_text (document, 0), "Отопление");
  for (guint i = 0; i < lers_report_document_get_n_blocks (document); i++)
    if (lers_report_document_get_block_kind (document, i) == LERS_REPORT_BLOCK_TABLE)
      table = lers_report_document_get_block_table (document, i);
  ck_assert_ptr_nonnull (table);
  /* three hours, oldest first, then the totals: avg(73, 72, 71) = 72,
   * 0.375 + 0.25 + 0.125 = 0.75 */
  ck_assert_uint_eq (lers_report_table_get_n_rows (table), 4);
  ck_assert_str_eq (lers_report_table_get_cell_text (table, 0, 0), "73.0");
  ck_assert_str_eq (lers_report_table_get_cell_text (table, 0, 1), "0.375");
  ck_assert_str_eq (lers_report_table_get_cell_text (table, 2, 0), "71.0");
  ck_assert_int_eq (lers_report_table_get_row_kind (table, 3), LERS_REPORT_ROW_TOTAL);
  ck_assert_str_eq (lers_report_table_get_cell_text (table, 3, 0), "72.0");
  ck_assert_str_eq (lers_report_table_get_cell_text (table, 3, 1), "0.750");
}

START_TEST (test_report_sync)
{
  gint64 point = lers_check_seed_archive ();
  gint64 other = lers_check_make_point ();
  gint64 points[] = { point, other };
  g_autoptr (LersReport) report = test_report_new (points, 2);
  g_autoptr (LersReportDocument) document = NULL;
  g_autoptr (LersReportDocument) empty = NULL;
  g_autoptr (GError) error = NULL;
  g_autofree gchar *name = NULL;
  g_autofree gchar *expected = g_strdup_printf ("%" G_GINT64_FORMAT "-", point);

  /* the template's kind, the tests' language (LANGUAGE=en) */
  ck_assert_int_eq (lers_report_get_kind (report), LERS_ARCHIVE_KIND_HOUR);
  ck_assert_str_eq (lers_report_get_language (report), "en");
  /* source="point": a document a point */
  ck_assert_uint_eq (lers_report_get_n_documents (report), 2);

  document = lers_report_build_document_sync (report, 0, &name, NULL, &error);
  lers_check_assert_no_error (error);
  ck_assert_str_eq (lers_report_document_get_title (document), "Hourly");
  ck_assert_msg (g_str_has_prefix (name, expected), "%s", name);
  test_check_document (document);

  /* a point with no archive still makes a document */
  empty = lers_report_build_document_sync (report, 1, NULL, NULL, &error);
  lers_check_assert_no_error (error);
  ck_assert_str_eq (lers_report_document_get_block_text (empty, 0), "ТУ отопление");

  /* out of range */
  ck_assert_ptr_null (lers_report_build_document_sync (report, 2, NULL, NULL, &error));
  lers_check_assert_error (error, LERS_ERROR, LERS_ERROR_INVALID_ARGUMENT);
}
END_TEST

static void
test_built (GObject *source, GAsyncResult *result, gpointer user_data)
{
  GAsyncResult **out = user_data;

  *out = g_object_ref (result);
}

START_TEST (test_report_async)
{
  gint64 points[] = { lers_check_seed_archive (), lers_check_make_point () };
  g_autoptr (LersReport) report = test_report_new (points, 2);
  g_autoptr (GAsyncResult) result0 = NULL;
  g_autoptr (GAsyncResult) result1 = NULL;
  g_autoptr (LersReportDocument) document = NULL;
  g_autoptr (LersReportDocument) other = NULL;
  g_autoptr (GError) error = NULL;
  g_autofree gchar *name = NULL;
  g_autofree gchar *expected = g_strdup_printf ("%" G_GINT64_FORMAT "-", points[0]);

  /* both documents at once, each in a thread of its own */
  lers_report_set_language (report, "ru");
  lers_report_build_document_async (report, 0, NULL, test_built, &result0);
  lers_report_build_document_async (report, 1, NULL, test_built, &result1);
  while (result0 == NULL || result1 == NULL)
    g_main_context_iteration (NULL, TRUE);
  document = lers_report_build_document_finish (report, result0, &name, &error);
  lers_check_assert_no_error (error);
  ck_assert_str_eq (lers_report_document_get_title (document), "Часовая");
  ck_assert_str_eq (lers_report_document_get_language (document), "ru");
  ck_assert_msg (g_str_has_prefix (name, expected), "%s", name);
  ck_assert_str_eq (lers_report_document_get_block_text (document, 0), "Отопление");
  other = lers_report_build_document_finish (report, result1, NULL, &error);
  lers_check_assert_no_error (error);
  ck_assert_str_eq (lers_report_document_get_block_text (other, 0), "ТУ отопление");
}
END_TEST

typedef struct
{
  guint n;
  guint indexes[8];
  gchar *names[8];
  gchar *texts[8];
  guint stop_after;
} TestTaken;

static gboolean
test_take (LersReport *report, guint index, LersReportDocument *document, const gchar *name,
           GBytes *bytes, gpointer user_data)
{
  TestTaken *taken = user_data;
  gsize size;
  const gchar *data = g_bytes_get_data (bytes, &size);

  ck_assert_uint_lt (taken->n, G_N_ELEMENTS (taken->indexes));
  taken->indexes[taken->n] = index;
  taken->names[taken->n] = g_strdup (name);
  taken->texts[taken->n] = g_strndup (data, size);
  ck_assert_str_eq (lers_report_document_get_title (document), "Hourly");
  taken->n++;
  /* stops after the fourth when told to */
  return taken->n < taken->stop_after;
}

static void
test_taken_clear (TestTaken *taken)
{
  for (guint i = 0; i < taken->n; i++)
    {
      g_free (taken->names[i]);
      g_free (taken->texts[i]);
    }
  taken->n = 0;
}

/* Six points, every other one with an archive, rendered to CSV on three
 * threads: the documents come back in the points' order, each with its
 * own point's rows (the CSV of lers_check_seed_archive's hours shows
 * "73.0" and the total "0.750"; a point with no archive shows neither). */
START_TEST (test_report_render_documents)
{
  g_autoptr (LersEngine) engine = lers_engine_new ();
  g_autoptr (GError) error = NULL;
  g_autoptr (LersReportBackend) csv = lers_engine_get_report_backend (engine, "report-csv", &error);
  g_autoptr (LersReport) report = NULL;
  g_autoptr (LersReport) no_period = NULL;
  g_autoptr (GCancellable) cancelled = g_cancellable_new ();
  g_autoptr (LersReportTemplate) template_ = NULL;
  gint64 points[6];
  TestTaken taken = { .stop_after = G_MAXUINT };

  lers_check_assert_no_error (error);
  for (guint i = 0; i < G_N_ELEMENTS (points); i++)
    points[i] = i % 2 == 0 ? lers_check_seed_archive () : lers_check_make_point ();
  report = test_report_new (points, G_N_ELEMENTS (points));
  ck_assert (lers_report_render_documents (report, csv, 3, NULL, test_take, &taken, &error));
  lers_check_assert_no_error (error);
  ck_assert_uint_eq (taken.n, 6);
  for (guint i = 0; i < taken.n; i++)
    {
      g_autofree gchar *prefix = g_strdup_printf ("%" G_GINT64_FORMAT "-", points[i]);

      ck_assert_uint_eq (taken.indexes[i], i);
      ck_assert_msg (g_str_has_prefix (taken.names[i], prefix), "%s", taken.names[i]);
      ck_assert_msg ((strstr (taken.texts[i], "73.0") != NULL) == (i % 2 == 0), "%u: %s", i,
                     taken.texts[i]);
      ck_assert_msg ((strstr (taken.texts[i], "0.750") != NULL) == (i % 2 == 0), "%u: %s", i,
                     taken.texts[i]);
    }
  test_taken_clear (&taken);

  /* the caller stops after the fourth: no more are given */
  taken.stop_after = 4;
  ck_assert (!lers_report_render_documents (report, csv, 2, NULL, test_take, &taken, &error));
  lers_check_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  ck_assert_str_eq (error->message, "The rendering was stopped after document 4 of 6");
  ck_assert_uint_eq (taken.n, 4);
  test_taken_clear (&taken);
  taken.stop_after = G_MAXUINT;
  g_clear_error (&error);

  /* cancelled: nothing is given, the error says so */
  g_cancellable_cancel (cancelled);
  ck_assert (!lers_report_render_documents (report, csv, 0, cancelled, test_take, &taken, &error));
  lers_check_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  ck_assert_uint_eq (taken.n, 0);
  g_clear_error (&error);

  /* PDF on two threads: the pages drawn at once in two threads, each a PDF */
  {
    g_autoptr (LersReportBackend) pdf
        = lers_engine_get_report_backend (engine, "report-pdf", &error);

    lers_check_assert_no_error (error);
    ck_assert (lers_report_render_documents (report, pdf, 2, NULL, test_take, &taken, &error));
    lers_check_assert_no_error (error);
    ck_assert_uint_eq (taken.n, 6);
    for (guint i = 0; i < taken.n; i++)
      {
        ck_assert_uint_eq (taken.indexes[i], i);
        ck_assert_msg (g_str_has_prefix (taken.texts[i], "%PDF-1."), "%u", i);
      }
    test_taken_clear (&taken);
  }

  /* a point in the middle that does not exist: the one before it is
   * given, the batch stops there with the point's id */
  {
    gint64 missing[] = { points[0], 987654, points[2] };
    g_autoptr (LersReport) broken = test_report_new (missing, 3);

    ck_assert (!lers_report_render_documents (broken, csv, 3, NULL, test_take, &taken, &error));
    ck_assert_ptr_nonnull (error);
    ck_assert_msg (g_str_has_prefix (error->message, "Point 987654: "), "%s", error->message);
    ck_assert_uint_eq (taken.n, 1);
    ck_assert_uint_eq (taken.indexes[0], 0);
    test_taken_clear (&taken);
    g_clear_error (&error);
  }

  /* a document that cannot be built stops the batch at it, with its point */
  template_ = lers_report_template_new_from_data (hourly, -1, &error);
  lers_check_assert_no_error (error);
  no_period = lers_report_new (template_, lers_check_get_store ());
  lers_report_set_points (no_period, points, 2);
  ck_assert (!lers_report_render_documents (no_period, csv, 2, NULL, test_take, &taken, &error));
  lers_check_assert_error (error, LERS_ERROR, LERS_ERROR_INVALID_ARGUMENT);
  {
    g_autofree gchar *prefix = g_strdup_printf ("Point %" G_GINT64_FORMAT ": ", points[0]);

    ck_assert_msg (g_str_has_prefix (error->message, prefix), "%s", error->message);
  }
  ck_assert_uint_eq (taken.n, 0);
}
END_TEST

static Suite *
test_suite (void)
{
  Suite *suite = suite_create ("report-layout-store");
  TCase *tc = tcase_create ("report");

  tcase_add_unchecked_fixture (tc, lers_check_cluster_setup, lers_check_cluster_teardown);
  tcase_add_checked_fixture (tc, lers_check_store_setup, lers_check_store_teardown);
  tcase_add_test (tc, test_report_sync);
  tcase_add_test (tc, test_report_async);
  tcase_add_test (tc, test_report_render_documents);
  suite_add_tcase (suite, tc);
  return suite;
}

int
main (int argc, char **argv)
{
  gint status;

  lers_check_init (&argc, &argv);
  status = lers_check_run_suite (test_suite ());
  return status;
}
