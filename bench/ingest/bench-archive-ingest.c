/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Archive ingest: lers_store_write_records_sync() against the reference,
 * PostgreSQL's own bulk loader (psql \copy of the same rows as text into an
 * identical empty table of the same server), and bytes on disk per record.
 *
 * Environment: LERS_BENCH_QUICK=1 for a small run; LERS_BENCH_BATCH for the
 * records per call (default 168, a week of hours of one point: what a poller
 * writes after catching up). */
#include "config.h"

#include <glib/gstdio.h>
#include <lers.h>
#include <libpq-fe.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const LersParameter heat_parameters[] = {
  LERS_PARAMETER_T_IN, LERS_PARAMETER_T_OUT, LERS_PARAMETER_M_IN, LERS_PARAMETER_M_OUT,
  LERS_PARAMETER_V_IN, LERS_PARAMETER_V_OUT, LERS_PARAMETER_Q_IN, LERS_PARAMETER_Q_DELTA,
};

static void
die (const gchar *what, const gchar *msg)
{
  g_printerr ("bench-archive-ingest: %s: %s\n", what, msg);
  exit (EXIT_FAILURE);
}

static PGresult *
sql (PGconn *conn, const gchar *query)
{
  PGresult *res = PQexec (conn, query);

  if (PQresultStatus (res) != PGRES_COMMAND_OK && PQresultStatus (res) != PGRES_TUPLES_OK)
    die (query, PQresultErrorMessage (res));
  return res;
}

static gdouble
sql_double (PGconn *conn, const gchar *query)
{
  PGresult *res = sql (conn, query);
  gdouble v = g_ascii_strtod (PQgetvalue (res, 0, 0), NULL);

  PQclear (res);
  return v;
}

/* Deterministic, plausible district-heating hour values. */
static gdouble
heat_value (guint p, guint point, guint hour)
{
  gdouble day = sin (2 * G_PI * (hour % 24) / 24.0);
  gdouble t_in = 75 + 8 * day + (point % 7);
  gdouble m = 4.2 + 0.3 * day + (point % 13) * 0.1;

  switch (p)
    {
    case 0:
      return t_in;
    case 1:
      return t_in - 24.5 - (point % 3);
    case 2:
      return m;
    case 3:
      return m * 0.985;
    case 4:
      return m * 1.027;
    case 5:
      return m * 1.011;
    case 6:
      return m * t_in / 1000.0;
    default:
      return m * 24.5 / 1000.0;
    }
}

static GPtrArray *
make_batch (guint point, GDateTime *start, guint first_hour, guint n)
{
  GPtrArray *records = g_ptr_array_new_full (n, g_object_unref);

  for (guint h = first_hour; h < first_hour + n; h++)
    {
      g_autoptr (GDateTime) ts = g_date_time_add_hours (start, h);
      LersRecord *record = lers_record_new (ts, LERS_ARCHIVE_KIND_HOUR);

      for (guint p = 0; p < G_N_ELEMENTS (heat_parameters); p++)
        lers_record_set_value (record, heat_parameters[p], heat_value (p, point, h),
                               p >= 6 ? LERS_VALUE_FLAG_CALCULATED : LERS_VALUE_FLAG_NONE);
      g_ptr_array_add (records, record);
    }
  return records;
}

/* The same row as text for COPY: point, kind, channel, ts, bytea (hex). */
static void
append_copy_line (GString *out, guint point, LersRecord *record)
{
  g_autofree gchar *ts
      = g_date_time_format (lers_record_get_timestamp (record), "%Y-%m-%d %H:%M:%S+00");
  guint n = lers_record_get_n_values (record);

  g_string_append_printf (out, "%u\t%d\t%u\t%s\t\\\\x", point, lers_record_get_kind (record),
                          lers_record_get_channel (record), ts);
  for (guint i = 0; i < n; i++)
    {
      LersParameter parameter;
      gdouble value;
      LersValueFlags flags;
      guint64 bits;

      lers_record_get_value_at (record, i, &parameter, &value, &flags);
      memcpy (&bits, &value, sizeof bits);
      g_string_append_printf (out, "%02x%02x", parameter, flags);
      for (guint k = 0; k < 8; k++)
        g_string_append_printf (out, "%02x", (guint) ((bits >> (8 * k)) & 0xff));
    }
  g_string_append_c (out, '\n');
}

typedef struct
{
  GMainLoop *loop;
  guint in_flight;
  GError *error;
} AsyncState;

static void
write_done_cb (GObject *source, GAsyncResult *result, gpointer user_data)
{
  AsyncState *state = user_data;
  GError *error = NULL;

  if (!lers_store_write_records_finish (LERS_STORE (source), result, &error)
      && state->error == NULL)
    state->error = error;
  else
    g_clear_error (&error);
  state->in_flight--;
  g_main_loop_quit (state->loop);
}

int
main (int argc, char **argv)
{
  gboolean quick = g_strcmp0 (g_getenv ("LERS_BENCH_QUICK"), "1") == 0;
  guint n_points = quick ? 100 : 1000;
  guint n_hours = quick ? 500 : 1000;
  guint batch = 168;
  guint64 n_records = (guint64) n_points * n_hours;
  g_autoptr (GError) error = NULL;
  g_autoptr (LersCluster) cluster = lers_cluster_new_temporary ();
  g_autoptr (LersStore) store = NULL;
  g_autoptr (GDateTime) start = g_date_time_new_utc (2026, 1, 1, 0, 0, 0);
  g_autoptr (GTimer) timer = g_timer_new ();
  g_autoptr (GString) copy_text = g_string_new (NULL);
  g_autofree gchar *uri = NULL;
  g_autofree gchar *tmpdir = NULL;
  g_autofree gchar *copy_file = NULL;
  g_autofree gchar *copy_cmd = NULL;
  g_autofree gchar *psql = NULL;
  g_autofree gchar *psql_out = NULL;
  gdouble ours = 0, ref, rewrite = 0, async_time, ours_bytes, ref_bytes;
  const guint max_in_flight = 8;
  guint64 rewritten = 0;
  gint status;
  PGconn *conn;

  if (g_getenv ("LERS_BENCH_BATCH") != NULL)
    batch = MAX (1, atoi (g_getenv ("LERS_BENCH_BATCH")));

  if (!lers_cluster_start (cluster, NULL, &error))
    die ("cluster", error->message);
  uri = lers_cluster_get_uri (cluster);
  store = lers_store_new (uri);
  if (!lers_store_open_sync (store, NULL, &error))
    die ("open", error->message);

  /* The reference table: the same columns, key and monthly partitions. */
  conn = PQconnectdb (uri);
  if (PQstatus (conn) != CONNECTION_OK)
    die ("connect", PQerrorMessage (conn));
  PQclear (sql (conn, "CREATE TABLE archive_ref (LIKE archive INCLUDING ALL)"
                      " PARTITION BY RANGE (ts)"));
  for (guint m = 0; m * 24 * 28 <= n_hours + 24 * 31; m++)
    {
      g_autoptr (GDateTime) from = g_date_time_add_months (start, m);
      g_autoptr (GDateTime) to = g_date_time_add_months (start, m + 1);
      g_autofree gchar *f = g_date_time_format_iso8601 (from);
      g_autofree gchar *t = g_date_time_format_iso8601 (to);
      g_autofree gchar *q = g_strdup_printf ("CREATE TABLE archive_ref_%u PARTITION OF archive_ref"
                                             " FOR VALUES FROM ('%s') TO ('%s')",
                                             m, f, t);
      PQclear (sql (conn, q));
    }

  g_print ("archive-ingest: %" G_GUINT64_FORMAT " hourly heat records (%u points x %u hours, "
           "%u values each), %u records per call%s\n",
           n_records, n_points, n_hours, (guint) G_N_ELEMENTS (heat_parameters), batch,
           quick ? " [quick]" : "");

  /* Ours: only the write calls are timed, not building the records. */
  for (guint point = 1; point <= n_points; point++)
    {
      for (guint h = 0; h < n_hours; h += batch)
        {
          g_autoptr (GPtrArray) records = make_batch (point, start, h, MIN (batch, n_hours - h));

          for (guint i = 0; i < records->len; i++)
            append_copy_line (copy_text, point, g_ptr_array_index (records, i));
          g_timer_start (timer);
          if (!lers_store_write_records_sync (store, point, records, NULL, &error))
            die ("write", error->message);
          ours += g_timer_elapsed (timer, NULL);
        }
    }

  /* The same again for other points through the async API, several calls
   * in flight, as a poller with many meter sessions writes: the workers'
   * commits share WAL flushes. Records are built as they are needed, in the
   * timed loop (so this figure includes building them). */
  {
    g_autoptr (GMainLoop) loop = g_main_loop_new (NULL, FALSE);
    AsyncState state = { loop, 0, NULL };

    g_timer_start (timer);
    for (guint point = n_points + 1; point <= 2 * n_points; point++)
      for (guint h = 0; h < n_hours; h += batch)
        {
          g_autoptr (GPtrArray) records = make_batch (point, start, h, MIN (batch, n_hours - h));

          while (state.in_flight >= max_in_flight)
            g_main_loop_run (loop);
          state.in_flight++;
          lers_store_write_records_async (store, point, records, NULL, write_done_cb, &state);
        }
    while (state.in_flight > 0)
      g_main_loop_run (loop);
    async_time = g_timer_elapsed (timer, NULL);
    if (state.error != NULL)
      die ("async write", state.error->message);
  }

  /* Reference: the real psql binary loads the same rows with \copy. */
  tmpdir = g_dir_make_tmp ("lers-bench-XXXXXX", &error);
  if (tmpdir == NULL)
    die ("tmpdir", error->message);
  copy_file = g_build_filename (tmpdir, "archive.copy", NULL);
  if (!g_file_set_contents (copy_file, copy_text->str, copy_text->len, &error))
    die ("copy file", error->message);
  psql = g_find_program_in_path ("psql");
  if (psql == NULL)
    psql = g_strdup ("/usr/lib/postgresql/15/bin/psql");
  copy_cmd = g_strdup_printf ("\\copy archive_ref FROM '%s'", copy_file);
  {
    const gchar *args[]
        = { psql, "-X", "-q", "-v", "ON_ERROR_STOP=1", "-d", uri, "-c", copy_cmd, NULL };
    g_timer_start (timer);
    if (!g_spawn_sync (NULL, (gchar **) args, NULL, G_SPAWN_DEFAULT, NULL, NULL, &psql_out, NULL,
                       &status, &error)
        || !g_spawn_check_wait_status (status, &error))
      die ("psql \\copy", error->message);
    ref = g_timer_elapsed (timer, NULL);
  }
  g_unlink (copy_file);
  g_rmdir (tmpdir);

  /* Re-reading hours that are already stored: the upsert path. */
  for (guint point = 1; point <= MIN (n_points, 100); point++)
    {
      g_autoptr (GPtrArray) records = make_batch (point, start, 0, MIN (batch, n_hours));

      g_timer_start (timer);
      if (!lers_store_write_records_sync (store, point, records, NULL, &error))
        die ("rewrite", error->message);
      rewrite += g_timer_elapsed (timer, NULL);
      rewritten += records->len;
    }

  {
    gdouble rows = sql_double (conn, "SELECT count(*) FROM archive");
    gdouble ref_rows = sql_double (conn, "SELECT count(*) FROM archive_ref");

    if ((guint64) rows != 2 * n_records || (guint64) ref_rows != n_records)
      {
        g_autofree gchar *msg = g_strdup_printf ("%.0f and %.0f rows", rows, ref_rows);
        die ("row counts differ from the records written", msg);
      }
    PQclear (sql (conn, "VACUUM ANALYZE archive"));
    PQclear (sql (conn, "VACUUM ANALYZE archive_ref"));
    ours_bytes = sql_double (conn, "SELECT sum(pg_total_relation_size(inhrelid)) FROM pg_inherits"
                                   " WHERE inhparent = 'archive'::regclass")
                 / rows;
    ref_bytes = sql_double (conn, "SELECT sum(pg_total_relation_size(inhrelid)) FROM pg_inherits"
                                  " WHERE inhparent = 'archive_ref'::regclass")
                / ref_rows;
  }
  PQfinish (conn);

  g_print ("  lers_store_write_records_sync: %10.0f records/s (%.2f s)\n", n_records / ours, ours);
  g_print ("  psql \\copy (text, reference):  %10.0f records/s (%.2f s)\n", n_records / ref, ref);
  g_print ("  ratio ours/COPY:               %10.2f\n", ref / ours);
  g_print ("  write_records_async, %u in flight: %6.0f records/s (%.2f s, ratio to COPY %.2f)\n",
           max_in_flight, n_records / async_time, async_time, ref / async_time);
  g_print ("  re-write of stored hours:      %10.0f records/s (%" G_GUINT64_FORMAT
           " records, upsert)\n",
           rewritten / rewrite, rewritten);
  g_print ("  on disk, with indexes:         %10.1f bytes/record (reference table %.1f)\n",
           ours_bytes, ref_bytes);

  g_clear_object (&store);
  if (!lers_cluster_stop (cluster, &error))
    die ("stop", error->message);
  return EXIT_SUCCESS;
}
