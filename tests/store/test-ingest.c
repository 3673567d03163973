/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Concurrent archive writers and the store's group commit.
 *
 * Expected values are worked out here, not read back through the code under
 * test: every value written is a formula of (point, hour) with an exact
 * binary representation, and the checks ask PostgreSQL to evaluate the same
 * formula against the stored bytes (archive_values unpacks them in SQL). */
#include "config.h"

#include <libpq-fe.h>
#include <string.h>

#include "lers-check.h"
#include "store/lers-store-private.h"

#define N_WRITERS 16

/* 2026-03-01T00:00:00Z: hour h of a batch is START + h hours. */
#define START_SQL "timestamptz '2026-03-01 00:00:00+00'"

static GDateTime *
start_time (void)
{
  return g_date_time_new_utc (2026, 3, 1, 0, 0, 0);
}

/* t_in = point * 1000 + hour + 0.25; q_in = point + hour / 4: both exact in
 * binary64 for the points and hours used here. */
static gdouble
t_in_of (gint point, guint hour)
{
  return point * 1000.0 + hour + 0.25;
}

static gdouble
q_in_of (gint point, guint hour)
{
  return point + hour / 4.0;
}

/* Hours [@first, @first + @n) of @point. */
static GPtrArray *
make_hours (gint point, guint first, guint n, guint16 channel)
{
  g_autoptr (GDateTime) start = start_time ();
  GPtrArray *records = g_ptr_array_new_with_free_func (g_object_unref);

  for (guint h = first; h < first + n; h++)
    {
      g_autoptr (GDateTime) ts = g_date_time_add_hours (start, h);
      LersRecord *record = lers_record_new (ts, LERS_ARCHIVE_KIND_HOUR);

      lers_record_set_channel (record, channel);
      lers_record_set_value (record, LERS_PARAMETER_T_IN, t_in_of (point, h), LERS_VALUE_FLAG_NONE);
      lers_record_set_value (record, LERS_PARAMETER_Q_IN, q_in_of (point, h),
                             LERS_VALUE_FLAG_CALCULATED);
      g_ptr_array_add (records, record);
    }
  return records;
}

static void
sql_command (PGconn *conn, const gchar *sql)
{
  PGresult *res = PQexec (conn, sql);

  ck_assert_msg (PQresultStatus (res) == PGRES_COMMAND_OK, "%s: %s", sql,
                 PQresultErrorMessage (res));
  PQclear (res);
}

static LersStoreWriterStats
stats (void)
{
  LersStoreWriterStats s;

  lers_store_writer_get_stats (lers_check_get_store (), &s);
  return s;
}

/* Waits (up to 60 s) until the writer has received @n_requests requests and
 * @n_queued of them wait in its queue. */
static void
wait_for_queue (guint64 n_requests, guint n_queued)
{
  for (guint i = 0; i < 6000; i++)
    {
      LersStoreWriterStats s = stats ();
      if (s.n_requests == n_requests && s.n_queued == n_queued)
        return;
      g_usleep (10000);
    }
  ck_abort_msg ("the writer never had %" G_GUINT64_FORMAT " requests with %u queued", n_requests,
                n_queued);
}

/* Rows of @point whose values differ from the formulas (0 when right), and
 * how many hour rows the point has. */
static gint64
wrong_values (gint point)
{
  g_autofree gchar *sql = g_strdup_printf (
      "SELECT count(*) FROM archive_values WHERE point_id = %d AND kind = 1 AND ("
      " (param = %d AND value <> point_id * 1000 + extract(epoch FROM ts - " START_SQL
      ") / 3600 + 0.25)"
      " OR (param = %d AND value <> point_id + extract(epoch FROM ts - " START_SQL ") / 3600 / 4)"
      " OR param NOT IN (%d, %d))",
      point, LERS_PARAMETER_T_IN, LERS_PARAMETER_Q_IN, LERS_PARAMETER_T_IN, LERS_PARAMETER_Q_IN);
  return lers_check_sql_int (sql);
}

static gint64
rows_of (gint point)
{
  g_autofree gchar *sql
      = g_strdup_printf ("SELECT count(*) FROM archive WHERE point_id = %d AND kind = 1", point);
  return lers_check_sql_int (sql);
}

/* ---- writers ----------------------------------------------------------- */

typedef struct
{
  gint point;
  guint first;
  guint n;
  guint chunk; /* records per call */
  guint16 channel;
  guint repeat;   /* write the same hours this many times */
  gint own_point; /* then, if not 0, hours [0, 168) of this point in one call */
  GCancellable *cancellable;
  gboolean ok;
  GError *error;
} Writer;

static gpointer
writer_thread (gpointer data)
{
  Writer *w = data;

  w->ok = TRUE;
  for (guint r = 0; r < MAX (w->repeat, 1) && w->ok; r++)
    for (guint h = w->first; h < w->first + w->n && w->ok; h += w->chunk)
      {
        g_autoptr (GPtrArray) records
            = make_hours (w->point, h, MIN (w->chunk, w->first + w->n - h), w->channel);
        w->ok = lers_store_write_records_sync (lers_check_get_store (), w->point, records,
                                               w->cancellable, &w->error);
      }
  if (w->ok && w->own_point != 0)
    {
      g_autoptr (GPtrArray) records = make_hours (w->own_point, 0, 168, 0);
      w->ok = lers_store_write_records_sync (lers_check_get_store (), w->own_point, records,
                                             w->cancellable, &w->error);
    }
  return NULL;
}

static void
writer_clear (Writer *w)
{
  g_clear_error (&w->error);
  g_clear_object (&w->cancellable);
}

/* ---- tests ------------------------------------------------------------- */

/* 16 threads at once: four share each of points 1..4 with overlapping
 * ranges (thread t writes hours [56 * (t / 4), +168) of point t % 4 + 1, in
 * calls of 24, twice: the multi-row INSERT and, the second time, rows that
 * are stored already), then point 101 + t alone (168 hours in one call, the
 * COPY path). Every row is there once, with its values. */
START_TEST (test_ingest_concurrent_writers)
{
  Writer writers[N_WRITERS] = { 0 };
  GThread *threads[N_WRITERS];
  LersStoreWriterStats before = stats (), after;

  for (guint t = 0; t < N_WRITERS; t++)
    writers[t] = (Writer){ .point = t % 4 + 1,
                           .first = 56 * (t / 4),
                           .n = 168,
                           .chunk = 24,
                           .repeat = 2,
                           .own_point = 101 + t };
  for (guint t = 0; t < N_WRITERS; t++)
    threads[t] = g_thread_new ("writer", writer_thread, &writers[t]);
  for (guint t = 0; t < N_WRITERS; t++)
    {
      g_thread_join (threads[t]);
      lers_check_assert_no_error (writers[t].error);
      ck_assert (writers[t].ok);
      writer_clear (&writers[t]);
    }

  /* points 1..4: hours 0 .. 56 * 3 + 168 = 336, i.e. 336 rows each;
   * points 101..116: 168 rows each. 4 * 336 + 16 * 168 = 4032. */
  ck_assert_int_eq (lers_check_sql_int ("SELECT count(*) FROM archive"), 4032);
  ck_assert_int_eq (lers_check_sql_int ("SELECT count(*) FROM (SELECT DISTINCT point_id, kind, ts"
                                        " FROM archive) AS k"),
                    4032);
  for (gint p = 1; p <= 4; p++)
    {
      g_autofree gchar *range = g_strdup_printf ("SELECT count(*) FROM archive WHERE point_id = %d"
                                                 " AND ts >= " START_SQL " AND ts < " START_SQL
                                                 " + interval '336 hours'",
                                                 p);
      ck_assert_int_eq (rows_of (p), 336);
      ck_assert_int_eq (lers_check_sql_int (range), 336);
      ck_assert_int_eq (wrong_values (p), 0);
    }
  for (gint p = 101; p <= 116; p++)
    {
      ck_assert_int_eq (rows_of (p), 168);
      ck_assert_int_eq (wrong_values (p), 0);
    }
  /* two values a row, exactly */
  ck_assert_int_eq (lers_check_sql_int ("SELECT count(*) FROM archive_values"), 2 * 4032);

  after = stats ();
  /* 16 threads x 7 calls x 2 + 16 single calls */
  ck_assert_uint_eq (after.n_requests - before.n_requests, 16 * 7 * 2 + 16);
  ck_assert_uint_le (after.n_commits - before.n_commits, after.n_requests - before.n_requests);
}
END_TEST

/* While one group waits on a lock, every other writer queues; releasing it
 * lets exactly one more transaction take all 15. */
START_TEST (test_ingest_group_commit)
{
  Writer writers[N_WRITERS] = { 0 };
  GThread *threads[N_WRITERS];
  PGconn *blocker = lers_check_sql_connect ();
  LersStoreWriterStats before, after;

  /* the month's partition exists before the lock is taken */
  {
    g_autoptr (GPtrArray) one = make_hours (99, 0, 1, 0);
    g_autoptr (GError) error = NULL;
    ck_assert (lers_store_write_records_sync (lers_check_get_store (), 99, one, NULL, &error));
  }
  before = stats ();
  sql_command (blocker, "BEGIN");
  sql_command (blocker, "LOCK TABLE archive IN SHARE MODE");

  for (guint t = 0; t < N_WRITERS; t++)
    writers[t] = (Writer){ .point = 201 + t, .first = 0, .n = 168, .chunk = 168 };
  threads[0] = g_thread_new ("writer", writer_thread, &writers[0]);
  wait_for_queue (before.n_requests + 1, 0); /* taken by the first group, blocked */
  for (guint t = 1; t < N_WRITERS; t++)
    threads[t] = g_thread_new ("writer", writer_thread, &writers[t]);
  wait_for_queue (before.n_requests + N_WRITERS, N_WRITERS - 1);
  ck_assert_int_eq (lers_check_sql_int ("SELECT count(*) FROM archive WHERE point_id > 200"), 0);
  sql_command (blocker, "COMMIT");
  PQfinish (blocker);

  for (guint t = 0; t < N_WRITERS; t++)
    {
      g_thread_join (threads[t]);
      lers_check_assert_no_error (writers[t].error);
      ck_assert (writers[t].ok);
      writer_clear (&writers[t]);
    }
  after = stats ();
  ck_assert_uint_eq (after.n_requests - before.n_requests, N_WRITERS);
  ck_assert_uint_eq (after.n_commits - before.n_commits, 2);
  /* 16 points x 168 hours */
  ck_assert_int_eq (lers_check_sql_int ("SELECT count(*) FROM archive WHERE point_id > 200"),
                    16 * 168);
  for (gint p = 201; p < 201 + N_WRITERS; p++)
    {
      ck_assert_int_eq (rows_of (p), 168);
      ck_assert_int_eq (wrong_values (p), 0);
    }
}
END_TEST

typedef struct
{
  guint *pending;
  gboolean ok;
  GError *error;
} AsyncCall;

static void
async_call_done_cb (GObject *source, GAsyncResult *result, gpointer user_data)
{
  AsyncCall *call = user_data;

  call->ok = lers_store_write_records_finish (LERS_STORE (source), result, &call->error);
  (*call->pending)--;
}

/* One group holding good batches and bad ones: a batch the table rejects
 * (a CHECK the test adds) over hours that are already stored, a batch with
 * an unknown archive kind (async, so it is validated inside the group), and
 * a caller cancelled while queued. Each bad one fails alone with its own
 * error; every good batch is stored; the stored hours the rejected batch
 * would have replaced keep their values. */
START_TEST (test_ingest_bad_batch_fails_alone)
{
  LersStore *store = lers_check_get_store ();
  Writer good[12] = { 0 };
  GThread *good_threads[12];
  /* re-writes hours 100..267 of point 300 on a channel the table rejects */
  Writer rejected = { .point = 300, .first = 100, .n = 168, .chunk = 168, .channel = 999 };
  Writer cancelled = { .point = 301, .first = 0, .n = 168, .chunk = 168 };
  GThread *rejected_thread, *cancelled_thread;
  g_autoptr (GError) error = NULL;
  g_autoptr (GPtrArray) async_good = make_hours (302, 0, 168, 0);
  g_autoptr (GPtrArray) async_bad = make_hours (303, 0, 168, 0);
  guint pending = 2;
  AsyncCall calls[2] = { { &pending, FALSE, NULL }, { &pending, FALSE, NULL } };
  PGconn *blocker = lers_check_sql_connect ();
  LersStoreWriterStats before, after;

  /* point 300 has hours 0..167 already, channel 0 */
  {
    g_autoptr (GPtrArray) stored = make_hours (300, 0, 168, 0);
    ck_assert (lers_store_write_records_sync (store, 300, stored, NULL, &error));
    lers_check_assert_no_error (error);
  }
  sql_command (blocker, "ALTER TABLE archive ADD CONSTRAINT test_no_channel_999"
                        " CHECK (channel <> 999)");
  before = stats ();
  sql_command (blocker, "BEGIN");
  sql_command (blocker, "LOCK TABLE archive IN SHARE MODE");

  good[0] = (Writer){ .point = 401, .first = 0, .n = 168, .chunk = 168 };
  good_threads[0] = g_thread_new ("writer", writer_thread, &good[0]);
  wait_for_queue (before.n_requests + 1, 0);

  for (guint t = 1; t < G_N_ELEMENTS (good); t++)
    {
      /* half of them small batches (the multi-row INSERT size) */
      good[t] = (Writer){ .point = 401 + t, .first = 0, .n = t % 2 ? 168 : 48, .chunk = 168 };
      good_threads[t] = g_thread_new ("writer", writer_thread, &good[t]);
    }
  wait_for_queue (before.n_requests + 12, 11);

  rejected_thread = g_thread_new ("rejected", writer_thread, &rejected);
  wait_for_queue (before.n_requests + 13, 12);
  cancelled.cancellable = g_cancellable_new ();
  cancelled_thread = g_thread_new ("cancelled", writer_thread, &cancelled);
  wait_for_queue (before.n_requests + 14, 13);

  {
    /* an archive kind no LERS version defines */
    g_autoptr (GDateTime) start = start_time ();
    LersRecord *bad = lers_record_new (start, (LersArchiveKind) 42);
    lers_record_set_value (bad, LERS_PARAMETER_T_IN, 1, LERS_VALUE_FLAG_NONE);
    g_ptr_array_add (async_bad, bad);
  }
  lers_store_write_records_async (store, 302, async_good, NULL, async_call_done_cb, &calls[0]);
  lers_store_write_records_async (store, 303, async_bad, NULL, async_call_done_cb, &calls[1]);
  wait_for_queue (before.n_requests + 16, 15);

  g_cancellable_cancel (cancelled.cancellable);
  g_thread_join (cancelled_thread);
  ck_assert (!cancelled.ok);
  ck_assert_msg (g_error_matches (cancelled.error, G_IO_ERROR, G_IO_ERROR_CANCELLED), "%s",
                 cancelled.error != NULL ? cancelled.error->message : "no error");
  wait_for_queue (before.n_requests + 16, 14);

  sql_command (blocker, "COMMIT");
  PQfinish (blocker);

  for (guint t = 0; t < G_N_ELEMENTS (good); t++)
    {
      g_thread_join (good_threads[t]);
      lers_check_assert_no_error (good[t].error);
      ck_assert (good[t].ok);
    }
  g_thread_join (rejected_thread);
  ck_assert (!rejected.ok);
  lers_check_assert_error (rejected.error, LERS_ERROR, LERS_ERROR_INVALID_ARGUMENT);
  while (pending > 0)
    g_main_context_iteration (NULL, TRUE);
  lers_check_assert_no_error (calls[0].error);
  ck_assert (calls[0].ok);
  ck_assert (!calls[1].ok);
  lers_check_assert_error (calls[1].error, LERS_ERROR, LERS_ERROR_INVALID_ARGUMENT);

  after = stats ();
  ck_assert_uint_eq (after.n_requests - before.n_requests, 16);
  /* the first writer alone, then one transaction for all the rest */
  ck_assert_uint_eq (after.n_commits - before.n_commits, 2);

  for (guint t = 0; t < G_N_ELEMENTS (good); t++)
    {
      ck_assert_int_eq (rows_of (good[t].point), good[t].n);
      ck_assert_int_eq (wrong_values (good[t].point), 0);
      writer_clear (&good[t]);
    }
  ck_assert_int_eq (rows_of (302), 168);
  ck_assert_int_eq (wrong_values (302), 0);
  /* nothing of the bad batches, the stored hours of point 300 untouched */
  ck_assert_int_eq (rows_of (301), 0);
  ck_assert_int_eq (rows_of (303), 0);
  ck_assert_int_eq (rows_of (300), 168);
  ck_assert_int_eq (wrong_values (300), 0);
  ck_assert_int_eq (
      lers_check_sql_int ("SELECT count(*) FROM archive WHERE point_id = 300 AND channel <> 0"), 0);
  ck_assert_int_eq (lers_check_sql_int ("SELECT count(*) FROM archive WHERE point_id = 300"
                                        " AND ts > " START_SQL " + interval '167 hours'"),
                    0);
  writer_clear (&rejected);
  writer_clear (&cancelled);
  g_clear_error (&calls[0].error);
  g_clear_error (&calls[1].error);
}
END_TEST

/* A value flagged missing (what a LersArchiveBatch reports for a hole) is
 * not stored, through either write path (one record: the multi-row INSERT;
 * 100: COPY). */
START_TEST (test_ingest_missing_not_stored)
{
  g_autoptr (GError) error = NULL;

  for (guint n = 1; n <= 100; n += 99)
    {
      g_autoptr (GPtrArray) records = make_hours (500 + n, 0, n, 0);
      g_autofree gchar *sql = NULL;

      lers_record_set_value (g_ptr_array_index (records, 0), LERS_PARAMETER_T_OUT, 0,
                             LERS_VALUE_FLAG_MISSING);
      ck_assert (
          lers_store_write_records_sync (lers_check_get_store (), 500 + n, records, NULL, &error));
      lers_check_assert_no_error (error);
      /* two 10-byte entries a row (T_IN, Q_IN), T_OUT left out */
      sql = g_strdup_printf (
          "SELECT count(*) FROM archive WHERE point_id = %u AND length(data) = 20", 500 + n);
      ck_assert_int_eq (lers_check_sql_int (sql), n);
      ck_assert_int_eq (wrong_values (500 + n), 0);
    }
}
END_TEST

/* ---- cancels ----------------------------------------------------------- */

static gpointer
cancel_after_thread (gpointer data)
{
  g_usleep (500000);
  g_cancellable_cancel (data);
  return NULL;
}

static gboolean
cancel_cb (gpointer data)
{
  g_cancellable_cancel (data);
  return G_SOURCE_REMOVE;
}

static void
result_cb (GObject *source, GAsyncResult *result, gpointer user_data)
{
  *(GAsyncResult **) user_data = g_object_ref (result);
}

/* A lone write waits on a lock another session holds on the archive and is
 * cancelled 0.5 s in: the caller sees CANCELLED (PostgreSQL says 57014, as
 * for a statement timeout, but this was the caller's cancel), and none of
 * its rows are stored. */
START_TEST (test_ingest_cancel_lone_write)
{
  LersStore *store = lers_check_get_store ();
  g_autoptr (GError) error = NULL;
  g_autoptr (GPtrArray) first = make_hours (700, 0, 1, 0);
  g_autoptr (GPtrArray) more = make_hours (700, 1, 10, 0);
  PGconn *holder;

  /* the month's partition exists: the write goes straight to its INSERT */
  ck_assert (lers_store_write_records_sync (store, 700, first, NULL, &error));
  lers_check_assert_no_error (error);
  /* only the cancel ends the wait */
  g_object_set (store, "lock-timeout", 60000, NULL);
  holder = lers_check_sql_connect ();
  sql_command (holder, "BEGIN");
  sql_command (holder, "LOCK TABLE archive IN ACCESS EXCLUSIVE MODE");

  {
    g_autoptr (GCancellable) cancellable = g_cancellable_new ();
    GThread *thread = g_thread_new ("cancel", cancel_after_thread, cancellable);
    gint64 t0 = g_get_monotonic_time (), elapsed;

    ck_assert (!lers_store_write_records_sync (store, 700, more, cancellable, &error));
    elapsed = g_get_monotonic_time () - t0;
    g_thread_join (thread);
    lers_check_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
    g_clear_error (&error);
    ck_assert_msg (elapsed >= 400000 && elapsed < 5000000, "took %" G_GINT64_FORMAT " us", elapsed);
  }
  {
    g_autoptr (GCancellable) cancellable = g_cancellable_new ();
    g_autoptr (GAsyncResult) result = NULL;

    g_timeout_add (500, cancel_cb, cancellable);
    lers_store_write_records_async (store, 700, more, cancellable, result_cb, &result);
    while (result == NULL)
      g_main_context_iteration (NULL, TRUE);
    ck_assert (!lers_store_write_records_finish (store, result, &error));
    lers_check_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
    g_clear_error (&error);
  }

  sql_command (holder, "COMMIT");
  PQfinish (holder);
  ck_assert_int_eq (rows_of (700), 1);
}
END_TEST

/* The rows are durable when the caller cancels, before it reads the
 * result: the write succeeded. */
START_TEST (test_ingest_cancelled_after_commit)
{
  LersStore *store = lers_check_get_store ();
  g_autoptr (GError) error = NULL;
  g_autoptr (GCancellable) cancellable = g_cancellable_new ();
  g_autoptr (GPtrArray) records = make_hours (710, 0, 10, 0);
  g_autoptr (GAsyncResult) result = NULL;

  lers_store_write_records_async (store, 710, records, cancellable, result_cb, &result);
  /* the main context is not run: the callback waits while we look */
  for (guint i = 0; i < 500 && rows_of (710) < 10; i++)
    g_usleep (10000);
  ck_assert_int_eq (rows_of (710), 10);
  g_cancellable_cancel (cancellable);
  while (result == NULL)
    g_main_context_iteration (NULL, TRUE);
  ck_assert (lers_store_write_records_finish (store, result, &error));
  lers_check_assert_no_error (error);
  ck_assert_int_eq (wrong_values (710), 0);
}
END_TEST

static Suite *
ingest_suite (void)
{
  Suite *s = suite_create ("ingest");
  TCase *tc = tcase_create ("group-commit");

  tcase_add_unchecked_fixture (tc, lers_check_cluster_setup, lers_check_cluster_teardown);
  tcase_add_checked_fixture (tc, lers_check_store_setup, lers_check_store_teardown);
  tcase_add_test (tc, test_ingest_concurrent_writers);
  tcase_add_test (tc, test_ingest_group_commit);
  tcase_add_test (tc, test_ingest_bad_batch_fails_alone);
  tcase_add_test (tc, test_ingest_missing_not_stored);
  tcase_add_test (tc, test_ingest_cancel_lone_write);
  tcase_add_test (tc, test_ingest_cancelled_after_commit);
  suite_add_tcase (s, tc);
  return s;
}

int
main (int argc, char **argv)
{
  lers_check_init (&argc, &argv);
  return lers_check_run_suite (ingest_suite ());
}
