/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* A 31-day hourly heat statement (744 rows, data/templates/
 * heat-statement-hourly.xml) of one point to PDF through LersReport and the
 * pdf backend: the data read from the store, laid out, drawn. The same
 * rows and columns as a CSV go to the references:
 *   - python3-reportlab (bench/report/reportlab-statement.py) drawing the
 *     same table; its time is its own rendering, without Python's start;
 *   - LibreOffice headless, `soffice --convert-to pdf` of the CSV, after a
 *     first run that made its profile.
 * Prints the median of several runs of each and the ratios (goals: ≥ 5×
 * reportlab, ≥ 20× LibreOffice). A missing reference fails the bench.
 *
 * Environment: LERS_BENCH_RUNS (default 5). */
#include "config.h"

#include <lers.h>
#include <stdio.h>

#include "bench-common.h"
#include "bench-report-common.h"

#define N_ROWS 744
#define MAX_RUNS 20

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
  g_autoptr (LersReportTemplate) template_ = bench_report_template ("heat-statement-hourly");
  g_autoptr (LersReport) report = NULL;
  g_autoptr (GDateTime) from = g_date_time_new_utc (2026, 10, 1, 0, 0, 0);
  g_autoptr (GDateTime) to = g_date_time_new_utc (2026, 11, 1, 0, 0, 0);
  g_autofree gchar *dir = g_dir_make_tmp ("lers-bench-report-XXXXXX", &error);
  g_autofree gchar *csv = NULL;
  g_autofree gchar *pdf = NULL;
  g_autofree gchar *lo_profile = NULL;
  g_autofree gchar *lo_out = NULL;
  gdouble lers_s[MAX_RUNS], build_s[MAX_RUNS], rl_s[MAX_RUNS], lo_s[MAX_RUNS],
      rl_wall = 0, lers_med, rl_med, lo_med;
  guint runs
      = CLAMP (g_ascii_strtoull (g_getenv ("LERS_BENCH_RUNS") ?: "5", NULL, 10), 1, MAX_RUNS);
  guint pages = 0;
  gint64 point = 0;

  if (dir == NULL)
    bench_die ("tmp", error->message);
  csv = g_build_filename (dir, "statement.csv", NULL);
  pdf = g_build_filename (dir, "statement.pdf", NULL);
  lo_out = g_build_filename (dir, "lo", NULL);
  lo_profile = g_strconcat ("-env:UserInstallation=file://", dir, "/lo-profile", NULL);
  bench_report_seed (store, 1, LERS_ARCHIVE_KIND_HOUR, from, N_ROWS, &point, csv, FALSE);

  backend = lers_engine_get_report_backend (engine, "report-pdf", &error);
  if (backend == NULL)
    bench_die ("pdf", error->message);
  report = lers_report_new (template_, store);
  lers_report_set_points (report, &point, 1);
  lers_report_set_period (report, from, to);
  lers_report_set_kind (report, LERS_ARCHIVE_KIND_HOUR);
  lers_report_set_language (report, "ru");

  for (guint i = 0; i < runs; i++)
    {
      g_autoptr (GFile) file = g_file_new_for_path (pdf);
      g_autoptr (GTimer) timer = g_timer_new ();
      g_autoptr (GOutputStream) stream
          = G_OUTPUT_STREAM (g_file_replace (file, NULL, FALSE, G_FILE_CREATE_NONE, NULL, &error));

      if (stream == NULL)
        bench_die (pdf, error->message);
      bench_report_render (report, 0, backend, stream, &pages, &build_s[i]);
      if (!g_output_stream_close (stream, NULL, &error))
        bench_die (pdf, error->message);
      lers_s[i] = g_timer_elapsed (timer, NULL);
    }
  lers_med = bench_report_median (lers_s, runs);
  printf ("LERS:        %u rows, %u pages, %.3f s (median of %u; of which building the "
          "document, data and layout: %.3f s)\n",
          N_ROWS, pages, lers_med, runs, bench_report_median (build_s, runs));

  for (guint i = 0; i < runs; i++)
    {
      g_autofree gchar *out = g_build_filename (dir, "reportlab.pdf", NULL);
      gdouble wall;

      rl_s[i] = bench_report_reportlab ("one", csv, out, &wall);
      rl_wall += wall / runs;
    }
  rl_med = bench_report_median (rl_s, runs);
  printf ("reportlab:   %.3f s rendering (median of %u; %.3f s with Python's start)\n", rl_med,
          runs, rl_wall);

  {
    const gchar *lo[] = { "soffice",
                          lo_profile,
                          "--headless",
                          "--infilter=CSV:44,34,76,1",
                          "--convert-to",
                          "pdf",
                          "--outdir",
                          lo_out,
                          csv,
                          NULL };

    bench_report_spawn (lo, NULL); /* makes the profile */
    for (guint i = 0; i < runs; i++)
      lo_s[i] = bench_report_spawn (lo, NULL);
  }
  lo_med = bench_report_median (lo_s, runs);
  printf ("LibreOffice: %.3f s (median of %u, soffice --headless --convert-to pdf of the CSV)\n",
          lo_med, runs);

  printf ("ratio reportlab / LERS:   %.1f× (goal ≥ 5×)%s\n", rl_med / lers_med,
          rl_med / lers_med >= 5 ? "" : "  NOT MET");
  printf ("ratio LibreOffice / LERS: %.1f× (goal ≥ 20×)%s\n", lo_med / lers_med,
          lo_med / lers_med >= 20 ? "" : "  NOT MET");

  PQfinish (conn);
  g_clear_object (&store);
  if (!lers_cluster_stop (cluster, &error))
    bench_die ("cluster", error->message);
  {
    const gchar *rm[] = { "rm", "-rf", dir, NULL };

    bench_report_spawn (rm, NULL);
  }
  return 0;
}
