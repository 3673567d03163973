/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* A batch: 1,000 heat points, one daily statement each for November 2026
 * (data/templates/heat-statement-daily.xml, 30 rows), to PDF through
 * lers_report_render_documents (as lersd's document register and `lers
 * report` do), into one zip (the "document register"): once on one thread,
 * once on as many as the machine has processors. The reference is
 * python3-reportlab (bench/report/reportlab-statement.py batch) drawing the
 * same 1,000 tables from the same rows into a zip, on one thread (Python).
 *
 * Peak RSS (VmHWM) of the run on all processors, reset before it: after
 * 100 documents and after all of them; the ratio says whether memory stays
 * flat in the number of points (goal ≈ 1).
 *
 * Environment: LERS_BENCH_QUICK=1 for 200 points (peaks at 100 and 200). */
#include "config.h"

#include <archive.h>
#include <archive_entry.h>
#include <lers.h>
#include <stdio.h>

#include "bench-common.h"
#include "bench-report-common.h"

#define N_DAYS 30

typedef struct
{
  struct archive *zip;
  guint done;
  gint64 hwm_100;
} Batch;

static void
add_to_zip (struct archive *zip, const gchar *name, GBytes *bytes)
{
  struct archive_entry *entry = archive_entry_new ();
  gsize size;
  gconstpointer data = g_bytes_get_data (bytes, &size);

  archive_entry_set_pathname_utf8 (entry, name);
  archive_entry_set_size (entry, (la_int64_t) size);
  archive_entry_set_filetype (entry, AE_IFREG);
  archive_entry_set_perm (entry, 0644);
  if (archive_write_header (zip, entry) != ARCHIVE_OK
      || archive_write_data (zip, data, size) != (la_ssize_t) size)
    bench_die ("zip", archive_error_string (zip));
  archive_entry_free (entry);
}

static gboolean
take_document (LersReport *report, guint index, LersReportDocument *document, const gchar *name,
               GBytes *bytes, gpointer data)
{
  Batch *batch = data;
  g_autofree gchar *file = g_strdup_printf ("%04u.pdf", index + 1);

  add_to_zip (batch->zip, file, bytes);
  if (++batch->done == 100)
    batch->hwm_100 = bench_report_hwm_kb ();
  return TRUE;
}

/* the whole batch into @zip_path on @n_threads threads: seconds */
static gdouble
run_batch (LersReport *report, LersReportBackend *backend, guint n_threads, const gchar *zip_path,
           gint64 *hwm_100)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (GTimer) timer = g_timer_new ();
  Batch batch = { archive_write_new (), 0, 0 };
  gdouble seconds;

  if (archive_write_set_format_zip (batch.zip) != ARCHIVE_OK
      || archive_write_open_filename (batch.zip, zip_path) != ARCHIVE_OK)
    bench_die ("zip", archive_error_string (batch.zip));
  if (!lers_report_render_documents (report, backend, n_threads, NULL, take_document, &batch,
                                     &error))
    bench_die ("render", error->message);
  if (archive_write_close (batch.zip) != ARCHIVE_OK)
    bench_die ("zip", archive_error_string (batch.zip));
  archive_write_free (batch.zip);
  seconds = g_timer_elapsed (timer, NULL);
  if (hwm_100 != NULL)
    *hwm_100 = batch.hwm_100;
  return seconds;
}

int
main (int argc, char **argv)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (LersCluster) cluster = lers_cluster_new_temporary ();
  g_autofree gchar *uri = NULL;
  PGconn *conn = NULL;
  g_autoptr (LersStore) store = bench_start (cluster, &uri, &conn);
  g_autoptr (LersEngine) engine = lers_engine_new ();
  g_autoptr (LersReportBackend) backend = NULL;
  g_autoptr (LersReportTemplate) template_ = bench_report_template ("heat-statement-daily");
  g_autoptr (LersReport) report = NULL;
  g_autoptr (GDateTime) from = g_date_time_new_utc (2026, 11, 1, 0, 0, 0);
  g_autoptr (GDateTime) to = g_date_time_new_utc (2026, 12, 1, 0, 0, 0);
  g_autofree gchar *dir = g_dir_make_tmp ("lers-bench-batch-XXXXXX", &error);
  g_autofree gchar *csv = NULL;
  g_autofree gchar *zip_path = NULL;
  g_autofree gchar *rl_zip = NULL;
  g_autofree gint64 *points = NULL;
  gboolean quick = g_strcmp0 (g_getenv ("LERS_BENCH_QUICK"), "1") == 0;
  guint n_points = quick ? 200 : 1000, n_docs;
  gint64 hwm_start, hwm_100 = 0, hwm_all;
  gdouble lers_s, one_s, rl_s, rl_wall;
  guint n_threads = g_get_num_processors ();

  if (dir == NULL)
    bench_die ("tmp", error->message);
  csv = g_build_filename (dir, "rows.csv", NULL);
  zip_path = g_build_filename (dir, "statements.zip", NULL);
  rl_zip = g_build_filename (dir, "reportlab.zip", NULL);
  points = g_new0 (gint64, n_points);
  bench_report_seed (store, n_points, LERS_ARCHIVE_KIND_DAY, from, N_DAYS, points, csv, TRUE);

  backend = lers_engine_get_report_backend (engine, "report-pdf", &error);
  if (backend == NULL)
    bench_die ("pdf", error->message);
  report = lers_report_new (template_, store);
  lers_report_set_points (report, points, n_points);
  lers_report_set_period (report, from, to);
  lers_report_set_kind (report, LERS_ARCHIVE_KIND_DAY);
  lers_report_set_language (report, "ru");
  n_docs = lers_report_get_n_documents (report);
  if (n_docs != n_points)
    bench_die ("documents", "not one document a point");

  one_s = run_batch (report, backend, 1, zip_path, NULL);
  bench_report_reset_hwm ();
  hwm_start = bench_report_hwm_kb ();
  lers_s = run_batch (report, backend, n_threads, zip_path, &hwm_100);
  hwm_all = bench_report_hwm_kb ();

  rl_s = bench_report_reportlab ("batch", csv, rl_zip, &rl_wall);

  printf ("LERS:      %u statements to PDF in a zip: %.2f s (%.1f ms a statement) on %u "
          "threads (the machine's processors)\n",
          n_docs, lers_s, 1000 * lers_s / n_docs, n_threads);
  printf ("LERS:      %u statements to PDF in a zip: %.2f s (%.1f ms a statement) on 1 thread\n",
          n_docs, one_s, 1000 * one_s / n_docs);
  printf ("reportlab: %u statements to PDF in a zip: %.2f s rendering (%.2f s with Python's "
          "start)\n",
          n_points, rl_s, rl_wall);
  printf ("ratio reportlab / LERS: %.1f× (goal ≥ 5×)%s; on 1 thread %.1f×\n", rl_s / lers_s,
          rl_s / lers_s >= 5 ? "" : "  NOT MET", rl_s / one_s);
  printf ("peak RSS (VmHWM): %" G_GINT64_FORMAT " kB before, %" G_GINT64_FORMAT
          " kB after 100 statements, %" G_GINT64_FORMAT " kB after %u; ratio %.2f (goal ≈ 1)\n",
          hwm_start, hwm_100, hwm_all, n_docs, (gdouble) hwm_all / hwm_100);

  PQfinish (conn);
  g_clear_object (&report);
  g_clear_object (&store);
  if (!lers_cluster_stop (cluster, &error))
    bench_die ("cluster", error->message);
  {
    const gchar *rm[] = { "rm", "-rf", dir, NULL };

    bench_report_spawn (rm, NULL);
  }
  return 0;
}
