/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* LersPollSpool: what a poller read while the database was away, kept in
 * files and stored when it is back. Round trip into the throwaway
 * PostgreSQL, the bound, and a read during which the cluster is stopped
 * (by a proxy between the poller and the simulated meter, as soon as the
 * poller starts talking to the meter: every lookup is done, no write yet). */
#include <check.h>
#include <glib/gstdio.h>
#include <lers.h>
#include <string.h>
#include <unistd.h>

#include "lers-check-proxy.h"
#include "lers-check.h"
#include "poll/lers-poll-spool-private.h"
#include "poll/lers-poller-private.h"

static gchar *spool_dir;

static void
spool_setup (void)
{
  lers_check_sim_setup ();
  spool_dir = g_dir_make_tmp ("lers-spool-XXXXXX", NULL);
  ck_assert_ptr_nonnull (spool_dir);
}

static void
spool_teardown (void)
{
  lers_check_remove_tree (spool_dir);
  g_clear_pointer (&spool_dir, g_free);
  lers_check_sim_teardown ();
}

/* the files in the spool directory ending in @suffix */
static guint
count_files (const gchar *suffix)
{
  g_autoptr (GDir) dir = g_dir_open (spool_dir, 0, NULL);
  const gchar *name;
  guint n = 0;

  while ((name = g_dir_read_name (dir)) != NULL)
    n += g_str_has_suffix (name, suffix);
  return n;
}

static guint64
bytes_on_disk (void)
{
  g_autoptr (GDir) dir = g_dir_open (spool_dir, 0, NULL);
  const gchar *name;
  guint64 n = 0;

  while ((name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree gchar *path = g_build_filename (spool_dir, name, NULL);
      GStatBuf st;
      ck_assert_int_eq (g_stat (path, &st), 0);
      n += (guint64) st.st_size;
    }
  return n;
}

/* @n hour records from 2026-11-01 00:00 UTC: Q_in = 0.1·(i + 1) Gcal */
static GPtrArray *
make_records (guint n)
{
  GPtrArray *records = g_ptr_array_new_with_free_func (g_object_unref);

  for (guint i = 0; i < n; i++)
    {
      g_autoptr (GDateTime) ts = g_date_time_new_utc (2026, 11, 1, (gint) i, 0, 0);
      LersRecord *record = lers_record_new (ts, LERS_ARCHIVE_KIND_HOUR);
      lers_record_set_value (record, LERS_PARAMETER_Q_IN, 0.1 * (i + 1), LERS_VALUE_FLAG_NONE);
      g_ptr_array_add (records, record);
    }
  return records;
}

static GPtrArray *
make_events (void)
{
  GPtrArray *events = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr (GDateTime) start = g_date_time_new_utc (2026, 11, 1, 3, 15, 0);
  LersMeterEvent *event = lers_meter_event_new ("power-off", start);

  lers_meter_event_set_severity (event, LERS_METER_EVENT_SEVERITY_ALARM);
  lers_meter_event_set_text (event, "Отключение питания");
  g_ptr_array_add (events, event);
  return events;
}

static gint64
count_rows (const gchar *table, gint64 point_id)
{
  g_autofree gchar *sql = g_strdup_printf (
      "SELECT count(*) FROM %s WHERE point_id = %" G_GINT64_FORMAT, table, point_id);
  return lers_check_sql_int (sql);
}

static gint
sort_names (gconstpointer a, gconstpointer b)
{
  return g_strcmp0 (*(const gchar *const *) a, *(const gchar *const *) b);
}

START_TEST (test_spool_round_trip)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (LersPollSpool) spool = lers_poll_spool_new (spool_dir, 1 << 20, &error);
  g_autoptr (LersPollSpool) again = NULL;
  g_autoptr (GPtrArray) records = make_records (5);
  g_autoptr (GPtrArray) events = make_events ();
  gint64 point_id = lers_check_make_point ();
  g_autoptr (GDateTime) first = g_date_time_new_utc (2026, 11, 1, 0, 0, 0);
  g_autoptr (GDateTime) last = g_date_time_new_utc (2026, 11, 2, 0, 0, 0);
  g_autoptr (GPtrArray) stored = NULL;
  g_autofree gchar *text = NULL;
  g_autofree gchar *copy = NULL;
  g_autofree gchar *copy_name = NULL;
  gsize copy_len = 0;
  gdouble sum = 0;
  guint n = 99;

  lers_check_assert_no_error (error);
  ck_assert (lers_poll_spool_add (spool, point_id, records, NULL, &error));
  ck_assert (lers_poll_spool_add (spool, point_id, NULL, events, &error));
  lers_check_assert_no_error (error);
  ck_assert_uint_eq (lers_poll_spool_get_n_files (spool), 2);
  ck_assert_uint_eq (count_files (".json"), 2);
  ck_assert_uint_eq (lers_poll_spool_get_n_bytes (spool), bytes_on_disk ());
  /* nothing in the database yet */
  ck_assert_int_eq (count_rows ("archive", point_id), 0);

  /* a crash in the middle of a write left a temporary file behind */
  {
    g_autofree gchar *half
        = g_build_filename (spool_dir, "00000000000000000001-0000000007.json.X1Y2Z3", NULL);
    ck_assert (g_file_set_contents (half, "{\"lers_spool\": 1, \"po", -1, NULL));
  }
  /* a spool opened again on the directory (the service restarted) knows
   * the two files, and drops the half-written one */
  again = lers_poll_spool_new (spool_dir, 1 << 20, &error);
  ck_assert_uint_eq (count_files (".X1Y2Z3"), 0);
  lers_check_assert_no_error (error);
  ck_assert_uint_eq (lers_poll_spool_get_n_files (again), 2);
  ck_assert_uint_eq (lers_poll_spool_get_n_bytes (again), bytes_on_disk ());

  /* keep a copy of the records' file (the oldest) to put back later */
  {
    g_autoptr (GDir) dir = g_dir_open (spool_dir, 0, NULL);
    g_autoptr (GPtrArray) names = g_ptr_array_new_with_free_func (g_free);
    const gchar *name;
    g_autofree gchar *path = NULL;

    while ((name = g_dir_read_name (dir)) != NULL)
      g_ptr_array_add (names, g_strdup (name));
    g_ptr_array_sort (names, (GCompareFunc) sort_names);
    path = g_build_filename (spool_dir, g_ptr_array_index (names, 0), NULL);
    ck_assert (g_file_get_contents (path, &copy, &copy_len, NULL));
    copy_name = g_strdup (g_ptr_array_index (names, 0));
  }
  ck_assert (lers_poll_spool_drain_sync (again, lers_check_get_store (), &n, NULL, &error));
  lers_check_assert_no_error (error);
  ck_assert_uint_eq (n, 5);
  ck_assert_uint_eq (lers_poll_spool_get_n_files (again), 0);
  ck_assert_uint_eq (lers_poll_spool_get_n_bytes (again), 0);
  ck_assert_uint_eq (count_files (""), 0);
  ck_assert_int_eq (count_rows ("archive", point_id), 5);
  ck_assert_int_eq (count_rows ("meter_events", point_id), 1);
  /* the values as written: 0.1 + 0.2 + 0.3 + 0.4 + 0.5 = 1.5 Gcal */
  stored = lers_check_query_records (lers_check_get_store (), point_id, LERS_ARCHIVE_KIND_HOUR,
                                     first, last, NULL, &error);
  ck_assert_ptr_nonnull (stored);
  ck_assert_uint_eq (stored->len, 5);
  for (guint i = 0; i < stored->len; i++)
    {
      gdouble q = 0;
      ck_assert (
          lers_record_get_value (g_ptr_array_index (stored, i), LERS_PARAMETER_Q_IN, &q, NULL));
      sum += q;
    }
  ck_assert_double_eq_tol (sum, 1.5, 1e-9);
  text = lers_check_sql_value ("SELECT text || ' ' || severity FROM meter_events");
  ck_assert_str_eq (text, "Отключение питания 2");

  /* draining an empty spool writes nothing */
  ck_assert (lers_poll_spool_drain_sync (again, lers_check_get_store (), &n, NULL, &error));
  ck_assert_uint_eq (n, 0);
  ck_assert_int_eq (count_rows ("archive", point_id), 5);

  /* a file drained twice (a crash between its commit and its removal):
   * its 5 records are written again and still stored once */
  {
    g_autofree gchar *path = g_build_filename (spool_dir, copy_name, NULL);
    g_autoptr (LersPollSpool) third = NULL;

    ck_assert (g_file_set_contents (path, copy, (gssize) copy_len, NULL));
    third = lers_poll_spool_new (spool_dir, 1 << 20, &error);
    lers_check_assert_no_error (error);
    ck_assert_uint_eq (lers_poll_spool_get_n_files (third), 1);
    ck_assert (lers_poll_spool_drain_sync (third, lers_check_get_store (), &n, NULL, &error));
    lers_check_assert_no_error (error);
    ck_assert_uint_eq (n, 5);
    ck_assert_uint_eq (count_files (""), 0);
    ck_assert_int_eq (count_rows ("archive", point_id), 5);
    ck_assert_int_eq (count_rows ("meter_events", point_id), 1);
  }
}
END_TEST

static void
added_cb (GObject *source, GAsyncResult *result, gpointer user_data)
{
  GError **error = user_data;

  if (!lers_poll_spool_add_finish (LERS_POLL_SPOOL (source), result, error) && *error == NULL)
    g_set_error_literal (error, LERS_ERROR, LERS_ERROR_FAILED, "no error set");
  if (*error == NULL)
    g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_EXISTS, "added");
}

/* the poller's add: in a worker thread, the answer in the caller's main
 * context; a full spool answers LERS_ERROR_BUSY there too */
START_TEST (test_spool_add_async)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (GError) answer = NULL;
  g_autoptr (LersPollSpool) spool = lers_poll_spool_new (spool_dir, 1 << 20, &error);
  g_autoptr (LersPollSpool) tiny = NULL;
  g_autoptr (GPtrArray) records = make_records (3);

  lers_check_assert_no_error (error);
  lers_poll_spool_add_async (spool, 7, records, NULL, added_cb, &answer);
  while (answer == NULL)
    g_main_context_iteration (NULL, TRUE);
  ck_assert_msg (g_error_matches (answer, G_IO_ERROR, G_IO_ERROR_EXISTS), "%s", answer->message);
  ck_assert_uint_eq (lers_poll_spool_get_n_files (spool), 1);
  ck_assert_uint_eq (count_files (".json"), 1);
  ck_assert_uint_eq (lers_poll_spool_get_n_bytes (spool), bytes_on_disk ());

  /* 100 bytes hold no file of 3 records */
  g_clear_error (&answer);
  tiny = lers_poll_spool_new (spool_dir, 100, &error);
  lers_poll_spool_add_async (tiny, 7, records, NULL, added_cb, &answer);
  while (answer == NULL)
    g_main_context_iteration (NULL, TRUE);
  lers_check_assert_error (answer, LERS_ERROR, LERS_ERROR_BUSY);
  ck_assert_uint_eq (count_files (".json"), 1);
}
END_TEST

/* an existing spool directory with a looser mode is made the service's
 * own (0700) */
START_TEST (test_spool_dir_mode)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (LersPollSpool) spool = NULL;
  GStatBuf st;

  ck_assert_int_eq (g_chmod (spool_dir, 0755), 0);
  spool = lers_poll_spool_new (spool_dir, 1 << 20, &error);
  lers_check_assert_no_error (error);
  ck_assert_int_eq (g_stat (spool_dir, &st), 0);
  ck_assert_int_eq (st.st_mode & 0777, 0700);
}
END_TEST

START_TEST (test_spool_bound)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (LersPollSpool) probe = NULL;
  g_autoptr (LersPollSpool) spool = NULL;
  g_autoptr (GPtrArray) records = make_records (24);
  g_autofree gchar *probe_dir = g_dir_make_tmp ("lers-spool-probe-XXXXXX", NULL);
  guint64 one;

  /* how big one file is, in a spool of its own */
  probe = lers_poll_spool_new (probe_dir, G_MAXUINT64, &error);
  ck_assert (lers_poll_spool_add (probe, 1, records, NULL, &error));
  one = lers_poll_spool_get_n_bytes (probe);
  ck_assert_uint_gt (one, 0);
  lers_check_remove_tree (probe_dir);

  /* room for one and a half */
  spool = lers_poll_spool_new (spool_dir, one + one / 2, &error);
  ck_assert (lers_poll_spool_add (spool, 1, records, NULL, &error));
  lers_check_assert_no_error (error);
  ck_assert (!lers_poll_spool_add (spool, 1, records, NULL, &error));
  lers_check_assert_error (error, LERS_ERROR, LERS_ERROR_BUSY);
  ck_assert_msg (strstr (error->message, "full") != NULL, "%s", error->message);
  /* the refused write left nothing behind */
  ck_assert_uint_eq (lers_poll_spool_get_n_files (spool), 1);
  ck_assert_uint_eq (count_files (""), 1);
  ck_assert_uint_eq (lers_poll_spool_get_n_bytes (spool), one);
}
END_TEST

/* the database goes away just as the poller reaches the meter, before it
 * writes a row */
static void
stop_database (gpointer user_data)
{
  lers_check_cluster_ctl ("stop");
}

typedef struct
{
  gboolean done;
  gint n;
  GError *error;
} Wait;

static void
read_cb (GObject *source, GAsyncResult *result, gpointer user_data)
{
  Wait *w = user_data;

  w->n = lers_poller_read_point_finish (LERS_POLLER (source), result, &w->error);
  w->done = TRUE;
}

static void
read_with_spool (LersPollSpool *spool, gint64 point_id, GDateTime *from, GDateTime *to, Wait *w)
{
  g_autoptr (LersPoller) poller
      = lers_poller_new (lers_check_get_store (), lers_check_get_engine ());

  lers_poller_set_spool (poller, spool);
  lers_poller_read_point_async (poller, point_id, LERS_ARCHIVE_KIND_HOUR, from, to, NULL, NULL,
                                read_cb, w);
  while (!w->done)
    g_main_context_iteration (NULL, TRUE);
}

START_TEST (test_spool_database_stopped)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (LersPollSpool) spool = lers_poll_spool_new (spool_dir, 1 << 20, &error);
  g_autoptr (GDateTime) to = lers_check_this_hour ();
  g_autoptr (GDateTime) from = g_date_time_add_hours (to, -6);
  LersCheckProxy proxy = { .on_first_request = stop_database };
  Wait w = { 0 };
  gint64 point_id;
  guint n = 0;

  lers_check_proxy_start (&proxy, lers_check_get_sim_port ());
  point_id = lers_check_add_sim_point (proxy.port, "7", 2, 0, 0);
  read_with_spool (spool, point_id, from, to, &w);
  ck_assert (proxy.first_seen);
  /* read and kept: the read counts, its rows wait in the spool */
  ck_assert_msg (w.error == NULL, "%s", w.error->message);
  ck_assert_int_eq (w.n, 6);
  ck_assert_uint_ge (lers_poll_spool_get_n_files (spool), 1);
  ck_assert_uint_eq (count_files (".json"), lers_poll_spool_get_n_files (spool));

  /* while the database is away, the drain stops at it and keeps the files */
  ck_assert (!lers_poll_spool_drain_sync (spool, lers_check_get_store (), &n, NULL, &error));
  lers_check_assert_error (error, LERS_ERROR, LERS_ERROR_CONNECTION);
  g_clear_error (&error);
  ck_assert_uint_ge (lers_poll_spool_get_n_files (spool), 1);

  /* it comes back: everything read is stored, once */
  lers_check_cluster_ctl ("start");
  ck_assert (lers_poll_spool_drain_sync (spool, lers_check_get_store (), &n, NULL, &error));
  lers_check_assert_no_error (error);
  ck_assert_uint_eq (n, 6);
  ck_assert_uint_eq (lers_poll_spool_get_n_files (spool), 0);
  ck_assert_int_eq (count_rows ("archive", point_id), 6);
  lers_check_proxy_stop (&proxy);
}
END_TEST

/* the database away and the spool full: the read fails with the spool's
 * BUSY, never dropping rows silently */
START_TEST (test_spool_full_fails_the_read)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (LersPollSpool) spool = lers_poll_spool_new (spool_dir, 64, &error);
  g_autoptr (GDateTime) to = lers_check_this_hour ();
  g_autoptr (GDateTime) from = g_date_time_add_hours (to, -6);
  LersCheckProxy proxy = { .on_first_request = stop_database };
  Wait w = { 0 };
  gint64 point_id;

  lers_check_proxy_start (&proxy, lers_check_get_sim_port ());
  point_id = lers_check_add_sim_point (proxy.port, "7", 2, 0, 0);
  read_with_spool (spool, point_id, from, to, &w);
  ck_assert (proxy.first_seen);
  ck_assert_int_eq (w.n, -1);
  lers_check_assert_error (w.error, LERS_ERROR, LERS_ERROR_BUSY);
  ck_assert_uint_eq (lers_poll_spool_get_n_files (spool), 0);
  g_clear_error (&w.error);
  lers_check_cluster_ctl ("start");
  lers_check_proxy_stop (&proxy);
}
END_TEST

int
main (int argc, char **argv)
{
  Suite *s = suite_create ("poll-spool");
  TCase *tc = tcase_create ("spool");

  lers_check_init (&argc, &argv);
  tcase_set_timeout (tc, 120);
  tcase_add_unchecked_fixture (tc, lers_check_cluster_setup, lers_check_cluster_teardown);
  tcase_add_checked_fixture (tc, spool_setup, spool_teardown);
  tcase_add_test (tc, test_spool_round_trip);
  tcase_add_test (tc, test_spool_dir_mode);
  tcase_add_test (tc, test_spool_add_async);
  tcase_add_test (tc, test_spool_bound);
  tcase_add_test (tc, test_spool_database_stopped);
  tcase_add_test (tc, test_spool_full_fails_the_read);
  suite_add_tcase (s, tc);
  return lers_check_run_suite (s);
}
