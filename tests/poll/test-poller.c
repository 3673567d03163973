/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The path from a meter to the database: a simulated M-Bus heat meter on a
 * loopback socket, read by the poller into a throwaway PostgreSQL (the
 * polling service that reads on schedule: test-poll-worker.c). */
#include <check.h>
#include <lers.h>
#include <stdlib.h>

#include "lers-check.h"

typedef struct
{
  guint notified;
  gdouble last;
  gboolean went_back;
} ProgressSeen;

static void
count_notify (GObject *obj, GParamSpec *pspec, gpointer user_data)
{
  ProgressSeen *seen = user_data;
  gdouble f = lers_progress_get_fraction (LERS_PROGRESS (obj));

  seen->notified++;
  seen->went_back |= f < seen->last;
  seen->last = f;
}

START_TEST (test_poll_stores_hourly_archive)
{
  gint64 point_id = lers_check_add_sim_point (0, "10000042", 2, 0, 0);
  g_autoptr (GDateTime) to = lers_check_this_hour ();
  g_autoptr (GDateTime) from = g_date_time_add_hours (to, -48);
  g_autoptr (GPtrArray) records = NULL;
  g_autoptr (GPtrArray) again = NULL;
  g_autoptr (LersProgress) progress = lers_progress_new ();
  g_autoptr (GError) error = NULL;
  ProgressSeen seen = { 0 };
  gint n;

  g_signal_connect (progress, "notify::fraction", G_CALLBACK (count_notify), &seen);
  n = lers_check_read_point (lers_check_get_engine (), point_id, from, to, progress, &error);
  ck_assert_msg (error == NULL, "%s", error ? error->message : "");
  ck_assert_int_eq (n, 48);
  ck_assert_double_eq (lers_progress_get_fraction (progress), 1.0);
  ck_assert_uint_gt (seen.notified, 3);
  /* progress only goes forward */
  ck_assert (!seen.went_back);

  records = lers_check_query_records (lers_check_get_store (), point_id, LERS_ARCHIVE_KIND_HOUR,
                                      from, to, NULL, &error);
  ck_assert_ptr_nonnull (records);
  ck_assert_uint_eq (records->len, 48);
  ck_assert (g_date_time_equal (lers_record_get_timestamp (g_ptr_array_index (records, 0)), from));
  for (guint i = 0; i < records->len; i++)
    {
      LersRecord *r = g_ptr_array_index (records, i);
      gdouble t_in, t_out, q;
      LersValueFlags flags;

      ck_assert (lers_record_get_value (r, LERS_PARAMETER_T_IN, &t_in, NULL));
      ck_assert (lers_record_get_value (r, LERS_PARAMETER_T_OUT, &t_out, NULL));
      ck_assert (lers_record_get_value (r, LERS_PARAMETER_Q_IN, &q, &flags));
      ck_assert_msg (t_in >= 60 && t_in <= 100, "T_in %f", t_in);
      ck_assert_msg (t_out >= 30 && t_out < t_in, "T_out %f", t_out);
      ck_assert_msg (q > 0 && q < 1, "Q_in %f Gcal in an hour", q);
      ck_assert (flags & LERS_VALUE_FLAG_CALCULATED);
    }

  /* reading the same range again changes nothing and adds no rows */
  n = lers_check_read_point (lers_check_get_engine (), point_id, from, to, NULL, &error);
  ck_assert_int_eq (n, 48);
  again = lers_check_query_records (lers_check_get_store (), point_id, LERS_ARCHIVE_KIND_HOUR, from,
                                    to, NULL, &error);
  ck_assert_uint_eq (again->len, 48);
  for (guint i = 0; i < again->len; i++)
    ck_assert (lers_record_equal (g_ptr_array_index (records, i), g_ptr_array_index (again, i)));
}
END_TEST

START_TEST (test_poll_continues_from_stored)
{
  gint64 point_id = lers_check_add_sim_point (0, "7", 2, 0, 0);
  g_autoptr (GDateTime) to = lers_check_this_hour ();
  g_autoptr (GDateTime) from = g_date_time_add_hours (to, -5);
  g_autoptr (GError) error = NULL;

  ck_assert_int_eq (
      lers_check_read_point (lers_check_get_engine (), point_id, from, to, NULL, &error), 5);
  /* without a range the read goes on from the last stored hour: nothing new */
  ck_assert_int_eq (
      lers_check_read_point (lers_check_get_engine (), point_id, NULL, NULL, NULL, &error), 0);
  ck_assert_msg (error == NULL, "%s", error ? error->message : "");
}
END_TEST

START_TEST (test_poll_errors)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (GSocketListener) closed = g_socket_listener_new ();
  g_autoptr (GDateTime) to = lers_check_this_hour ();
  g_autoptr (GDateTime) from = g_date_time_add_hours (to, -2);
  guint16 dead_port = g_socket_listener_add_any_inet_port (closed, NULL, NULL);
  gint64 dead;

  ck_assert_int_eq (
      lers_check_read_point (lers_check_get_engine (), 999999, NULL, NULL, NULL, &error), -1);
  ck_assert (g_error_matches (error, LERS_ERROR, LERS_ERROR_NOT_FOUND));
  g_clear_error (&error);

  g_socket_listener_close (closed);
  dead = lers_check_add_sim_point (dead_port, "1", 2, 0, 0);
  ck_assert_int_eq (lers_check_read_point (lers_check_get_engine (), dead, from, to, NULL, &error),
                    -1);
  ck_assert_msg (g_error_matches (error, LERS_ERROR, LERS_ERROR_CONNECTION), "%s", error->message);
  g_clear_error (&error);

  ck_assert_int_eq (lers_check_read_point (lers_check_get_engine (), dead, to, from, NULL, &error),
                    -1);
  ck_assert (g_error_matches (error, LERS_ERROR, LERS_ERROR_INVALID_ARGUMENT));
}
END_TEST

int
main (int argc, char **argv)
{
  Suite *s = suite_create ("poll");
  TCase *tc = tcase_create ("poll");

  lers_check_init (&argc, &argv);
  tcase_add_unchecked_fixture (tc, lers_check_cluster_setup, lers_check_cluster_teardown);
  tcase_add_checked_fixture (tc, lers_check_sim_setup, lers_check_sim_teardown);
  tcase_add_test (tc, test_poll_stores_hourly_archive);
  tcase_add_test (tc, test_poll_continues_from_stored);
  tcase_add_test (tc, test_poll_errors);
  suite_add_tcase (s, tc);
  return lers_check_run_suite (s);
}
