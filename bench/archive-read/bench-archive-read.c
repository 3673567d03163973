/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Archive reads: one month of hourly heat data (8 values a row, the
 * generator of bench/ingest) for 1,000 points, read back with
 * lers_store_query_archive_points_sync() into columnar batches that are all
 * kept until the end. Prints the peak RSS growth of the read against the
 * payload (8 B a timestamp, 8 B a value and 4 B its flags per parameter),
 * the read rate against the reference, the real psql binary's
 * `\copy (SELECT …) TO '/dev/null'` of the same rows from the same server,
 * and how many GObjects the read made.
 *
 * Environment: LERS_BENCH_QUICK=1 for 100 points. */
#include "config.h"

#include <errno.h>
#include <lers.h>
#include <libpq-fe.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>

#include "bench-common.h"

/* Loads the rows with COPY in text form, a megabyte at a time, so writing
 * leaves no large buffers behind to be reused by the read. No LersRecord
 * is made: see the object count below. */
static void
load (PGconn *conn, guint n_points, GDateTime *start, guint n_hours)
{
  g_autoptr (GPtrArray) times = g_ptr_array_new_with_free_func (g_free);
  g_autoptr (GString) buf = g_string_sized_new (1 << 20);
  PGresult *res;

  for (guint h = 0; h < n_hours; h++)
    {
      g_autoptr (GDateTime) ts = g_date_time_add_hours (start, h);
      g_ptr_array_add (times, g_date_time_format (ts, "%Y-%m-%d %H:%M:%S+00"));
    }
  res = PQexec (conn, "COPY archive (point_id, kind, channel, ts, data) FROM STDIN");
  if (PQresultStatus (res) != PGRES_COPY_IN)
    bench_die ("COPY", PQresultErrorMessage (res));
  PQclear (res);
  for (guint point = 1; point <= n_points; point++)
    for (guint h = 0; h < n_hours; h++)
      {
        g_string_append_printf (buf, "%u\t%d\t0\t%s\t\\\\x", point, LERS_ARCHIVE_KIND_HOUR,
                                (const gchar *) g_ptr_array_index (times, h));
        for (guint p = 0; p < G_N_ELEMENTS (bench_heat_parameters); p++)
          {
            gdouble value = bench_heat_value (p, point, h);
            guint64 bits;

            memcpy (&bits, &value, sizeof bits);
            /* the write path's entry: parameter, flags, float8 little-endian */
            g_string_append_printf (buf, "%02x%02x", bench_heat_parameters[p],
                                    p >= 6 ? LERS_VALUE_FLAG_CALCULATED : LERS_VALUE_FLAG_NONE);
            for (guint k = 0; k < 8; k++)
              g_string_append_printf (buf, "%02x", (guint) ((bits >> (8 * k)) & 0xff));
          }
        g_string_append_c (buf, '\n');
        if (buf->len > (1 << 20) - 512)
          {
            if (PQputCopyData (conn, buf->str, buf->len) != 1)
              bench_die ("COPY", PQerrorMessage (conn));
            g_string_truncate (buf, 0);
          }
      }
  if (PQputCopyData (conn, buf->str, buf->len) != 1 || PQputCopyEnd (conn, NULL) != 1)
    bench_die ("COPY", PQerrorMessage (conn));
  res = PQgetResult (conn);
  if (PQresultStatus (res) != PGRES_COMMAND_OK)
    bench_die ("COPY", PQresultErrorMessage (res));
  PQclear (res);
  while ((res = PQgetResult (conn)) != NULL)
    PQclear (res);
}

/* A field of /proc/self/status in kB, or -1. */
static gint64
proc_status_kb (const gchar *field)
{
  g_autofree gchar *status = NULL;
  g_auto (GStrv) lines = NULL;

  if (!g_file_get_contents ("/proc/self/status", &status, NULL, NULL))
    return -1;
  lines = g_strsplit (status, "\n", -1);
  for (guint i = 0; lines[i] != NULL; i++)
    if (g_str_has_prefix (lines[i], field) && lines[i][strlen (field)] == ':')
      return g_ascii_strtoll (lines[i] + strlen (field) + 1, NULL, 10);
  return -1;
}

/* Starts a new peak: writing 5 to clear_refs resets VmHWM to VmRSS (Linux
 * 4.0 and later). Returns FALSE where it cannot. */
static gboolean
reset_peak_rss (void)
{
  FILE *f = fopen ("/proc/self/clear_refs", "w");
  gboolean ok;

  if (f == NULL)
    return FALSE;
  ok = fputs ("5", f) >= 0;
  ok = fclose (f) == 0 && ok;
  return ok && proc_status_kb ("VmHWM") == proc_status_kb ("VmRSS");
}

static guint n_finalized;

static void
batch_finalized_cb (gpointer data, GObject *where_the_object_was)
{
  n_finalized++;
}

int
main (int argc, char **argv)
{
  gboolean quick = g_strcmp0 (g_getenv ("LERS_BENCH_QUICK"), "1") == 0;
  guint n_points = quick ? 100 : 1000;
  g_autoptr (GError) error = NULL;
  g_autoptr (LersCluster) cluster = lers_cluster_new_temporary ();
  g_autoptr (LersStore) store = NULL;
  g_autoptr (GDateTime) start = g_date_time_new_utc (2026, 1, 1, 0, 0, 0);
  g_autoptr (GDateTime) end = g_date_time_add_months (start, 1);
  guint n_hours = g_date_time_difference (end, start) / G_TIME_SPAN_HOUR; /* 744 */
  g_autoptr (GTimer) timer = g_timer_new ();
  g_autoptr (GPtrArray) batches = NULL;
  g_autofree gint64 *ids = g_new (gint64, n_points);
  g_autofree gchar *uri = NULL;
  g_autofree gchar *copy_cmd = NULL;
  g_autofree gchar *from_s = g_date_time_format_iso8601 (start);
  g_autofree gchar *to_s = g_date_time_format_iso8601 (end);
  gboolean peak_reset;
  gint64 rss_before_kb, rss_peak_kb;
  struct rusage usage;
  guint64 rows = 0, payload = 0;
  gdouble ours, ref, per_point = 0, growth;
  gboolean records_before;
  PGconn *conn;

  g_set_prgname ("bench-archive-read");
  store = bench_start (cluster, &uri, &conn);
  {
    g_autofree gchar *q
        = g_strdup_printf ("SELECT lers_archive_ensure_partition('%s'::timestamptz)", from_s);
    PQclear (bench_sql (conn, q));
  }
  load (conn, n_points, start, n_hours);
  PQclear (bench_sql (conn, "VACUUM ANALYZE archive"));
  PQfinish (conn);

  g_print ("archive-read: %u points x %u hours (one month), %u values a row\n", n_points, n_hours,
           (guint) G_N_ELEMENTS (bench_heat_parameters));

  /* The reference, once to warm the caches, then timed. */
  copy_cmd = g_strdup_printf ("\\copy (SELECT point_id, channel, ts, data FROM archive"
                              " WHERE kind = %d AND ts >= '%s' AND ts < '%s'"
                              " ORDER BY point_id, ts) TO '/dev/null'",
                              LERS_ARCHIVE_KIND_HOUR, from_s, to_s);
  bench_run_psql (uri, copy_cmd);

  for (guint i = 0; i < n_points; i++)
    ids[i] = i + 1;
  records_before = g_type_class_peek (LERS_TYPE_RECORD) != NULL;

  /* Ours: every point in one call, every batch kept. */
  peak_reset = reset_peak_rss ();
  rss_before_kb = proc_status_kb ("VmRSS");
  g_timer_start (timer);
  batches = lers_store_query_archive_points_sync (store, ids, n_points, LERS_ARCHIVE_KIND_HOUR,
                                                  start, end, NULL, &error);
  ours = g_timer_elapsed (timer, NULL);
  if (batches == NULL)
    bench_die ("read", error->message);
  if (peak_reset)
    rss_peak_kb = proc_status_kb ("VmHWM");
  else
    {
      /* the peak of the whole run: an upper bound of the read's */
      getrusage (RUSAGE_SELF, &usage);
      rss_peak_kb = usage.ru_maxrss;
    }

  for (guint i = 0; i < batches->len; i++)
    {
      LersArchiveBatch *batch = g_ptr_array_index (batches, i);
      guint n = lers_archive_batch_get_n_rows (batch);
      guint n_parameters = 0;
      const gdouble *t_in;

      lers_archive_batch_get_parameters (batch, &n_parameters);
      rows += n;
      payload += (guint64) n * (8 + n_parameters * (8 + 4));
      g_object_weak_ref (G_OBJECT (batch), batch_finalized_cb, NULL);
      /* what was written is what is read */
      t_in = lers_archive_batch_get_values (batch, LERS_PARAMETER_T_IN, &n);
      if (n != n_hours || n_parameters != G_N_ELEMENTS (bench_heat_parameters)
          || t_in[n_hours / 2] != bench_heat_value (0, i + 1, n_hours / 2))
        bench_die ("read", "the rows read differ from the rows written");
    }
  if (rows != (guint64) n_points * n_hours)
    bench_die ("read", "row count differs from the rows written");

  ref = bench_run_psql (uri, copy_cmd);

  /* One call a point, as the API does: each batch dropped at once. */
  for (guint i = 0; i < n_points; i++)
    {
      g_autoptr (LersArchiveBatch) batch = NULL;

      g_timer_start (timer);
      batch = lers_store_query_archive_sync (store, ids[i], LERS_ARCHIVE_KIND_HOUR, start, end,
                                             NULL, &error);
      per_point += g_timer_elapsed (timer, NULL);
      if (batch == NULL)
        bench_die ("read", error->message);
    }

  growth = (rss_peak_kb - rss_before_kb) * 1024.0;
  g_print ("  payload:                      %10.1f MB (%" G_GUINT64_FORMAT
           " rows x (8 + 8 x 12) bytes)\n",
           payload / 1e6, rows);
  g_print ("  peak RSS growth of the read:  %10.1f MB (%s)\n", growth / 1e6,
           peak_reset ? "VmHWM after a clear_refs reset" : "ru_maxrss of the whole run");
  g_print ("  query_archive_points_sync:    %10.0f rows/s (%.2f s)\n", rows / ours, ours);
  g_print ("  psql \\copy (text, reference): %10.0f rows/s (%.2f s)\n", rows / ref, ref);
  g_print ("  query_archive_sync per point: %10.0f rows/s (%.2f s, %u calls)\n", rows / per_point,
           per_point, n_points);
  g_print ("  GObjects made by the read:    %10u (one LersArchiveBatch a point, counted by weak "
           "refs; LersRecord class %s)\n",
           batches->len, records_before ? "already in use" : "never initialised: 0 records");

  g_clear_pointer (&batches, g_ptr_array_unref);
  if (n_finalized != (guint) n_points)
    bench_die ("batches", "not every batch was finalised");

  g_print ("archive-read: ratio = rss/payload = %.2f (goal <= 2.0); read rate ratio ours/psql "
           "\\copy = %.2f; %u GObjects for %" G_GUINT64_FORMAT " rows (%.4f per row)\n",
           growth / payload, ref / ours, n_finalized, rows, (gdouble) n_finalized / rows);

  g_clear_object (&store);
  if (!lers_cluster_stop (cluster, &error))
    bench_die ("stop", error->message);
  return EXIT_SUCCESS;
}
