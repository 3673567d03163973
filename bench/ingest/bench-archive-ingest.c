/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Archive ingest: lers_store_write_records_sync() against the reference,
 * PostgreSQL's own bulk loader (psql \copy of the same rows as text into an
 * identical empty table of the same server), and bytes on disk per record.
 * fsync and synchronous_commit stay on (the server's defaults).
 *
 * Runs, in order:
 *   - one writer, sync calls (only the calls are timed);
 *   - the same through the async API, 8 calls in flight (records made in
 *     the timed loop);
 *   - 16 concurrent writers, each call a week (168 h) of one point, 1,000
 *     points between them (quick: 100): 16 threads with the sync call, and
 *     16 async calls in flight from one main loop, both against psql \copy
 *     of the same rows into an empty copy of the table; best of 3
 *     interleaved runs (new points each time), since the machine may be
 *     shared. The store coalesces such calls into group commits
 *     (lers-store-writer.c); the line shows how many commits it used;
 *   - re-writing stored hours (the upsert path);
 *   - bytes on disk per record, with the primary key index.
 *
 * Bytes per record (PostgreSQL 15, 8 KiB pages, 8-byte alignment). Today a
 * row is one hour of one point: tuple header 23 -> 24, fixed columns
 * point_id int4 + kind int2 + channel int2 + ts 8 = 16, data bytea 8 x 10 =
 * 80 + 1 varlena header = 81; 24 + 16 + 81 = 121 -> 128 aligned, + 4 item
 * pointer = 132; floor(8168 / 132) = 61 rows a page -> 8192 / 61 = 134.3.
 * Key index: 8 header + 4 + 2 + 2 padding + 8 = 24, + 4 item pointer = 28,
 * leaves 90 % full -> 31.3. Sum 165.6, plus free space and visibility maps
 * and inner pages: the measured ~166 (reference) to ~170 (ours).
 *
 * <= 110 is out of reach for a row per hour: header, item pointer, key and
 * index entry alone are 24 + 4 + 16 + 31 = 75 bytes before any value, and 8
 * float8 are 64 more. Even float4 values and a per-point parameter list
 * (5 bytes a value with its flags: 40 + 1 = 41; 24 + 16 + 41 = 81 -> 88,
 * + 4 = 92 -> 88 rows a page -> 93.1, + 31.3 index) give ~125.
 *
 * What gets there is a row per point-day holding its 24 hours:
 *   - keeping today's 10-byte entries (parameter, flags, float8) and a
 *     3-byte bitmap of the hours present: data 24 x 80 + 3 + 4 (4-byte
 *     varlena header) = 1927; 24 + 16 + 1927 = 1967 -> 1968, + 4 = 1972,
 *     below the 2032-byte TOAST threshold; 4 rows a page -> 2048 / 24 = 85.3
 *     per record, index 28 / 0.9 / 24 = 1.3 -> ~87 bytes per record;
 *   - float4 values, a flags byte each and the parameter list per point
 *     (another table): 24 x 8 x 5 + 3 + 4 = 967; 24 + 16 + 967 = 1007 ->
 *     1008, + 4 = 1012; 8 rows a page -> 42.7 per record -> ~44 (float4 keeps
 *     7 significant digits: not enough for cumulative totals such as
 *     12345678.9 kWh, enough for hourly increments and temperatures).
 * The price: an hourly poll that adds one hour rewrites the point's whole
 * ~2 KB day row (a new tuple version, ~24 x the WAL of today's insert, and
 * dead tuples until vacuum), and every reader must unpack days. That is not
 * a cheap or safe change for this step, so the layout is unchanged (no
 * migration 0005); the archive query code reads `data` exactly as before.
 *
 * Environment: LERS_BENCH_QUICK=1 for a small run; LERS_BENCH_BATCH for the
 * records per call (default 168, a week of hours of one point: what a poller
 * writes after catching up). */
#include "config.h"

#include <glib/gstdio.h>
#include <lers.h>
#include <libpq-fe.h>

/* for the group writer's commit counter only */
#include "store/lers-store-private.h"
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bench-common.h"

static gdouble
sql_double (PGconn *conn, const gchar *query)
{
  PGresult *res = bench_sql (conn, query);
  gdouble v = g_ascii_strtod (PQgetvalue (res, 0, 0), NULL);

  PQclear (res);
  return v;
}

static GPtrArray *
make_batch (guint point, GDateTime *start, guint first_hour, guint n)
{
  GPtrArray *records = g_ptr_array_new_full (n, g_object_unref);

  for (guint h = first_hour; h < first_hour + n; h++)
    {
      g_autoptr (GDateTime) ts = g_date_time_add_hours (start, h);
      LersRecord *record = lers_record_new (ts, LERS_ARCHIVE_KIND_HOUR);

      for (guint p = 0; p < G_N_ELEMENTS (bench_heat_parameters); p++)
        lers_record_set_value (record, bench_heat_parameters[p], bench_heat_value (p, point, h),
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

/* The concurrent run: writer i of N writes the week of points first + i,
 * first + i + N, … with one sync call per point. */
typedef struct
{
  LersStore *store;
  GPtrArray *batches; /* of GPtrArray of LersRecord, one per point */
  guint first_point;
  guint index;
  guint n_writers;
  GError *error;
} Writer;

static gpointer
writer_thread (gpointer data)
{
  Writer *w = data;

  for (guint i = w->index; i < w->batches->len && w->error == NULL; i += w->n_writers)
    lers_store_write_records_sync (w->store, w->first_point + i, g_ptr_array_index (w->batches, i),
                                   NULL, &w->error);
  return NULL;
}

/* Runs @n_writers threads over @batches; returns the wall time. */
static gdouble
run_writers (LersStore *store, GPtrArray *batches, guint first_point, guint n_writers)
{
  g_autofree Writer *writers = g_new0 (Writer, n_writers);
  g_autofree GThread **threads = g_new0 (GThread *, n_writers);
  g_autoptr (GTimer) timer = g_timer_new ();
  gdouble elapsed;

  for (guint i = 0; i < n_writers; i++)
    {
      writers[i] = (Writer){ store, batches, first_point, i, n_writers, NULL };
      threads[i] = g_thread_new ("writer", writer_thread, &writers[i]);
    }
  for (guint i = 0; i < n_writers; i++)
    g_thread_join (threads[i]);
  elapsed = g_timer_elapsed (timer, NULL);
  for (guint i = 0; i < n_writers; i++)
    if (writers[i].error != NULL)
      bench_die ("concurrent write", writers[i].error->message);
  return elapsed;
}

/* Keeps @n_in_flight async calls going from this thread's main loop. */
static gdouble
run_async (LersStore *store, GPtrArray *batches, guint first_point, guint n_in_flight)
{
  g_autoptr (GMainLoop) loop = g_main_loop_new (NULL, FALSE);
  g_autoptr (GTimer) timer = g_timer_new ();
  AsyncState state = { loop, 0, NULL };
  gdouble elapsed;

  for (guint i = 0; i < batches->len; i++)
    {
      while (state.in_flight >= n_in_flight)
        g_main_loop_run (loop);
      state.in_flight++;
      lers_store_write_records_async (store, first_point + i, g_ptr_array_index (batches, i), NULL,
                                      write_done_cb, &state);
    }
  while (state.in_flight > 0)
    g_main_loop_run (loop);
  elapsed = g_timer_elapsed (timer, NULL);
  if (state.error != NULL)
    bench_die ("async write", state.error->message);
  return elapsed;
}

/* psql \copy of @text into @table; returns the time psql took. */
static gdouble
psql_copy (const gchar *uri, const gchar *table, GString *text)
{
  g_autoptr (GError) error = NULL;
  g_autofree gchar *tmpdir = g_dir_make_tmp ("lers-bench-XXXXXX", &error);
  g_autofree gchar *copy_file = NULL;
  g_autofree gchar *copy_cmd = NULL;
  gdouble elapsed;

  if (tmpdir == NULL)
    bench_die ("tmpdir", error->message);
  copy_file = g_build_filename (tmpdir, "archive.copy", NULL);
  if (!g_file_set_contents (copy_file, text->str, text->len, &error))
    bench_die ("copy file", error->message);
  copy_cmd = g_strdup_printf ("\\copy %s FROM '%s'", table, copy_file);
  elapsed = bench_run_psql (uri, copy_cmd);
  g_unlink (copy_file);
  g_rmdir (tmpdir);
  return elapsed;
}

/* An empty copy of the archive table (columns, key, monthly partitions). */
static void
make_reference_table (PGconn *conn, const gchar *name, GDateTime *start, guint n_hours)
{
  g_autofree gchar *create = g_strdup_printf (
      "CREATE TABLE %s (LIKE archive INCLUDING ALL) PARTITION BY RANGE (ts)", name);

  PQclear (bench_sql (conn, create));
  for (guint m = 0; m * 24 * 28 <= n_hours + 24 * 31; m++)
    {
      g_autoptr (GDateTime) from = g_date_time_add_months (start, m);
      g_autoptr (GDateTime) to = g_date_time_add_months (start, m + 1);
      g_autofree gchar *f = g_date_time_format_iso8601 (from);
      g_autofree gchar *t = g_date_time_format_iso8601 (to);
      g_autofree gchar *q = g_strdup_printf ("CREATE TABLE %s_%u PARTITION OF %s"
                                             " FOR VALUES FROM ('%s') TO ('%s')",
                                             name, m, name, f, t);
      PQclear (bench_sql (conn, q));
    }
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
  gdouble ours = 0, ref, rewrite = 0, async_time, ours_bytes, ref_bytes;
  gdouble concurrent_time, concurrent_async_time, week_ref;
  guint64 sync_commits = 0, async_commits = 0;
  const guint max_in_flight = 8;
  const guint n_writers = 16;
  const guint week = 168;
  const guint n_reps = 3;
  guint64 n_week_records = (guint64) n_points * week;
  guint64 rewritten = 0;
  PGconn *conn;

  if (g_getenv ("LERS_BENCH_BATCH") != NULL)
    batch = MAX (1, atoi (g_getenv ("LERS_BENCH_BATCH")));

  g_set_prgname ("bench-archive-ingest");
  store = bench_start (cluster, &uri, &conn);
  /* The reference table: the same columns, key and monthly partitions. */
  make_reference_table (conn, "archive_ref", start, n_hours);
  make_reference_table (conn, "archive_ref_week", start, week);

  g_print ("archive-ingest: %" G_GUINT64_FORMAT " hourly heat records (%u points x %u hours, "
           "%u values each), %u records per call%s\n",
           n_records, n_points, n_hours, (guint) G_N_ELEMENTS (bench_heat_parameters), batch,
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
            bench_die ("write", error->message);
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
      bench_die ("async write", state.error->message);
  }

  /* Reference: the real psql binary loads the same rows with \copy. */
  ref = psql_copy (uri, "archive_ref", copy_text);

  /* Concurrent writers: every point's week (168 hours) in one call, n
   * points from n_writers threads with the sync call, then n other points as
   * n_writers async calls in flight from this thread's main loop; the
   * reference is psql \copy of the sync run's rows into an empty table. The
   * records are made before the clocks start. The machine may be shared, so
   * the three are measured interleaved, n_reps times with new points each
   * time, and the best time of each counts. */
  concurrent_time = concurrent_async_time = week_ref = G_MAXDOUBLE;
  for (guint rep = 0; rep < n_reps; rep++)
    {
      guint sync_first = (2 + 2 * rep) * n_points + 1;
      guint async_first = (3 + 2 * rep) * n_points + 1;
      g_autoptr (GPtrArray) sync_batches
          = g_ptr_array_new_with_free_func ((GDestroyNotify) g_ptr_array_unref);
      g_autoptr (GPtrArray) async_batches
          = g_ptr_array_new_with_free_func ((GDestroyNotify) g_ptr_array_unref);
      g_autoptr (GString) week_text = g_string_new (NULL);
      LersStoreWriterStats s0, s1, s2;
      gdouble t;

      for (guint i = 0; i < n_points; i++)
        {
          GPtrArray *records = make_batch (sync_first + i, start, 0, week);

          for (guint r = 0; r < records->len; r++)
            append_copy_line (week_text, sync_first + i, g_ptr_array_index (records, r));
          g_ptr_array_add (sync_batches, records);
          g_ptr_array_add (async_batches, make_batch (async_first + i, start, 0, week));
        }
      PQclear (bench_sql (conn, "TRUNCATE archive_ref_week"));
      t = psql_copy (uri, "archive_ref_week", week_text);
      week_ref = MIN (week_ref, t);

      lers_store_writer_get_stats (store, &s0);
      t = run_writers (store, sync_batches, sync_first, n_writers);
      lers_store_writer_get_stats (store, &s1);
      if (t < concurrent_time)
        {
          concurrent_time = t;
          sync_commits = s1.n_commits - s0.n_commits;
        }
      t = run_async (store, async_batches, async_first, n_writers);
      lers_store_writer_get_stats (store, &s2);
      if (t < concurrent_async_time)
        {
          concurrent_async_time = t;
          async_commits = s2.n_commits - s1.n_commits;
        }
    }

  /* Re-reading hours that are already stored: the upsert path. */
  for (guint point = 1; point <= MIN (n_points, 100); point++)
    {
      g_autoptr (GPtrArray) records = make_batch (point, start, 0, MIN (batch, n_hours));

      g_timer_start (timer);
      if (!lers_store_write_records_sync (store, point, records, NULL, &error))
        bench_die ("rewrite", error->message);
      rewrite += g_timer_elapsed (timer, NULL);
      rewritten += records->len;
    }

  {
    gdouble rows = sql_double (conn, "SELECT count(*) FROM archive");
    gdouble ref_rows = sql_double (conn, "SELECT count(*) FROM archive_ref");

    if ((guint64) rows != 2 * n_records + 2 * n_reps * n_week_records
        || (guint64) ref_rows != n_records)
      {
        g_autofree gchar *msg = g_strdup_printf ("%.0f and %.0f rows", rows, ref_rows);
        bench_die ("row counts differ from the records written", msg);
      }
    PQclear (bench_sql (conn, "VACUUM ANALYZE archive"));
    PQclear (bench_sql (conn, "VACUUM ANALYZE archive_ref"));
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
  g_print ("  concurrent writers: best of %u interleaved runs each\n", n_reps);
  g_print ("  %u writers, sync calls, a week of %u points: %6.0f records/s (%.2f s, %u calls in"
           " %" G_GUINT64_FORMAT
           " commits); psql \\copy of the same rows %.0f records/s (%.2f s)\n",
           n_writers, n_points, n_week_records / concurrent_time, concurrent_time, n_points,
           sync_commits, n_week_records / week_ref, week_ref);
  g_print ("  %u writers, sync calls: ratio to psql \\copy of the same rows into the same server"
           " %.2f\n",
           n_writers, week_ref / concurrent_time);
  g_print (
      "  %u async calls in flight, a week of %u points: %6.0f records/s (%.2f s, %" G_GUINT64_FORMAT
      " commits); ratio to psql \\copy of the same rows into the same server"
      " %.2f\n",
      n_writers, n_points, n_week_records / concurrent_async_time, concurrent_async_time,
      async_commits, week_ref / concurrent_async_time);
  g_print ("  on disk, with indexes:         %10.1f bytes/record (reference table %.1f)\n",
           ours_bytes, ref_bytes);

  g_clear_object (&store);
  if (!lers_cluster_stop (cluster, &error))
    bench_die ("stop", error->message);
  return EXIT_SUCCESS;
}
