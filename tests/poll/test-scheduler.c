/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The scheduler against a real store: points added, deleted and changed
 * between refreshes (triggered through the internal hook rather than after
 * 30 seconds), with a known clock so that each due time is worked out by
 * hand; reads go to a simulated M-Bus meter on a loopback socket. */
#include <check.h>
#include <lers.h>
#include <stdlib.h>

#include "lers-check.h"
#include "poll/lers-scheduler-private.h"

/* 2027-01-15T08:17:00Z: 1 800 000 000 is 500 000 hours exactly (08:00:00),
 * plus 17 minutes = 1020 s. */
#define T0 G_GINT64_CONSTANT (1800001020)

static void
change_point (gint64 id, guint poll_interval, guint poll_offset)
{
  LersStore *store = lers_check_get_store ();
  g_autoptr (GError) error = NULL;
  g_autoptr (LersMeasurePoint) point = lers_store_get_measure_point_sync (store, id, NULL, &error);

  lers_check_assert_no_error (error);
  g_object_set (point, "poll-interval", poll_interval, "poll-offset", poll_offset, NULL);
  ck_assert (lers_store_save_measure_point_sync (store, point, NULL, &error));
  lers_check_assert_no_error (error);
}

static void
delete_point (gint64 id)
{
  g_autoptr (GError) error = NULL;

  ck_assert (lers_store_delete_measure_point_sync (lers_check_get_store (), id, NULL, &error));
  lers_check_assert_no_error (error);
}

static void
refresh (LersScheduler *scheduler)
{
  g_autoptr (GError) error = NULL;

  ck_assert (lers_scheduler_refresh_sync (scheduler, NULL, &error));
  lers_check_assert_no_error (error);
}

START_TEST (test_refresh_follows_the_store)
{
  g_autoptr (LersScheduler) scheduler
      = lers_scheduler_new (lers_check_get_store (), lers_check_get_engine ());
  gint64 a = lers_check_add_sim_point (0, "10000042", 5, 3600, 300);
  gint64 b = lers_check_add_sim_point (0, "10000042", 5, 900, 0);
  gint64 c = lers_check_add_sim_point (0, "10000042", 5, 0, 0); /* not polled */
  gint64 d;

  lers_scheduler_set_test_time (scheduler, T0);
  ck_assert_uint_eq (lers_scheduler_get_n_points (scheduler), 0);
  refresh (scheduler);
  /* never read: at once */
  ck_assert_int_eq (lers_scheduler_get_due (scheduler, a), 0);
  ck_assert_int_eq (lers_scheduler_get_due (scheduler, b), 0);
  ck_assert_int_eq (lers_scheduler_get_due (scheduler, c), -1);
  ck_assert_uint_eq (lers_scheduler_get_n_points (scheduler), 2);

  /* a changed interval of a point never read still reads it at once */
  change_point (b, 60, 0);
  refresh (scheduler);
  ck_assert_int_eq (lers_scheduler_get_due (scheduler, b), 0);

  /* deleted: off the schedule; added: at once; interval 0: off */
  delete_point (a);
  d = lers_check_add_sim_point (0, "10000042", 5, 600, 0);
  change_point (b, 0, 0);
  change_point (c, 300, 0);
  refresh (scheduler);
  ck_assert_int_eq (lers_scheduler_get_due (scheduler, a), -1);
  ck_assert_int_eq (lers_scheduler_get_due (scheduler, b), -1);
  ck_assert_int_eq (lers_scheduler_get_due (scheduler, c), 0);
  ck_assert_int_eq (lers_scheduler_get_due (scheduler, d), 0);
  ck_assert_uint_eq (lers_scheduler_get_n_points (scheduler), 2);

  /* a refresh with nothing changed changes nothing */
  refresh (scheduler);
  ck_assert_int_eq (lers_scheduler_get_due (scheduler, c), 0);
  ck_assert_int_eq (lers_scheduler_get_due (scheduler, d), 0);
  ck_assert_uint_eq (lers_scheduler_get_n_points (scheduler), 2);
}
END_TEST

typedef struct
{
  GMainLoop *loop;
  GArray *ids; /* of the points read, in order */
  guint wanted;
  gchar *error;
} Reads;

static void
point_read_cb (LersScheduler *scheduler, gint64 point_id, gint n, const gchar *message,
               gpointer data)
{
  Reads *r = data;

  g_array_append_val (r->ids, point_id);
  if (message != NULL && r->error == NULL)
    r->error = g_strdup (message);
  if (r->ids->len >= r->wanted)
    g_main_loop_quit (r->loop);
}

static gboolean
timeout_cb (gpointer data)
{
  Reads *r = data;

  g_main_loop_quit (r->loop);
  return G_SOURCE_REMOVE;
}

/* runs the loop until @wanted reads in all were reported, or 60 s */
static void
wait_reads (Reads *r, guint wanted)
{
  guint timeout = g_timeout_add_seconds (60, timeout_cb, r);

  r->wanted = wanted;
  if (r->ids->len < wanted)
    g_main_loop_run (r->loop);
  g_source_remove (timeout);
  ck_assert_msg (r->error == NULL, "%s", r->error);
  ck_assert_uint_eq (r->ids->len, wanted);
}

static guint
count_reads (Reads *r, gint64 id)
{
  guint n = 0;

  for (guint i = 0; i < r->ids->len; i++)
    n += g_array_index (r->ids, gint64, i) == id;
  return n;
}

START_TEST (test_reads_follow_interval_and_offset)
{
  g_autoptr (LersScheduler) scheduler
      = lers_scheduler_new (lers_check_get_store (), lers_check_get_engine ());
  g_autoptr (GMainLoop) loop = g_main_loop_new (NULL, FALSE);
  g_autoptr (GArray) ids = g_array_new (FALSE, FALSE, sizeof (gint64));
  g_autoptr (GDateTime) to = lers_check_this_hour ();
  g_autoptr (GDateTime) from = g_date_time_add_days (to, -7);
  g_autoptr (GPtrArray) records = NULL;
  Reads r = { loop, ids, 0, NULL };
  gint64 a = lers_check_add_sim_point (0, "10000042", 5, 3600, 300);
  gint64 b = lers_check_add_sim_point (0, "10000042", 5, 900, 0);
  gint64 e;

  lers_scheduler_set_test_time (scheduler, T0);
  lers_scheduler_set_max_parallel (scheduler, 1);
  g_signal_connect (scheduler, "point-read", G_CALLBACK (point_read_cb), &r);
  lers_scheduler_start (scheduler);

  /* both never read: read at once, one after the other */
  wait_reads (&r, 2);
  ck_assert_uint_eq (count_reads (&r, a), 1);
  ck_assert_uint_eq (count_reads (&r, b), 1);
  /* a: every hour at :05 (offset 300 s); read at 08:17, next 09:05 =
   *    1 800 000 000 + 3600 + 300 = 1 800 003 900
   * b: every 15 min; next 08:30 = 1 800 000 000 + 1800 = 1 800 001 800 */
  ck_assert_int_eq (lers_scheduler_get_due (scheduler, a), G_GINT64_CONSTANT (1800003900));
  ck_assert_int_eq (lers_scheduler_get_due (scheduler, b), G_GINT64_CONSTANT (1800001800));

  /* changed between refreshes: the new schedule applies at once
   * b: every minute; next 08:18 = 1 800 001 080
   * a: offset 600 s; next 09:10 = 1 800 000 000 + 3600 + 600 = 1 800 004 200 */
  change_point (b, 60, 0);
  change_point (a, 3600, 600);
  refresh (scheduler);
  ck_assert_int_eq (lers_scheduler_get_due (scheduler, b), G_GINT64_CONSTANT (1800001080));
  ck_assert_int_eq (lers_scheduler_get_due (scheduler, a), G_GINT64_CONSTANT (1800004200));

  /* a new point is read at once; a deleted one is not read again */
  delete_point (b);
  e = lers_check_add_sim_point (0, "10000042", 5, 1800, 0);
  refresh (scheduler);
  ck_assert_int_eq (lers_scheduler_get_due (scheduler, b), -1);
  wait_reads (&r, 3);
  ck_assert_uint_eq (count_reads (&r, e), 1);
  /* e: every 30 min; next 08:30 = 1 800 001 800 */
  ck_assert_int_eq (lers_scheduler_get_due (scheduler, e), G_GINT64_CONSTANT (1800001800));

  /* its read stored the last week (the simulator's hourly archive) */
  records = lers_check_query_records (lers_check_get_store (), e, LERS_ARCHIVE_KIND_HOUR, from, to,
                                      NULL, NULL);
  ck_assert_uint_eq (records->len, 7 * 24);

  /* the clock reaches b's old due time and a's old one: only what is on the
   * schedule is read (b is gone; a moved to 09:10, e is due at 08:30) */
  lers_scheduler_set_test_time (scheduler, G_GINT64_CONSTANT (1800003900));
  wait_reads (&r, 4);
  ck_assert_uint_eq (count_reads (&r, b), 1);
  ck_assert_uint_eq (count_reads (&r, a), 1);
  ck_assert_uint_eq (count_reads (&r, e), 2);
  lers_scheduler_stop (scheduler);
  g_free (r.error);
}
END_TEST

int
main (int argc, char **argv)
{
  Suite *s = suite_create ("scheduler");
  TCase *tc = tcase_create ("scheduler");

  lers_check_init (&argc, &argv);
  tcase_set_timeout (tc, 180);
  tcase_add_unchecked_fixture (tc, lers_check_cluster_setup, lers_check_cluster_teardown);
  tcase_add_checked_fixture (tc, lers_check_sim_setup, lers_check_sim_teardown);
  tcase_add_test (tc, test_refresh_follows_the_store);
  tcase_add_test (tc, test_reads_follow_interval_and_offset);
  suite_add_tcase (s, tc);
  return lers_check_run_suite (s);
}
