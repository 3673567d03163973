/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The path from a meter to the database: a simulated M-Bus heat meter on a
 * loopback socket, read by the poller and the scheduler into a throwaway
 * PostgreSQL. */
#include <check.h>
#include <lers.h>
#include <stdlib.h>

#include "lers-check.h"

typedef struct
{
  LersEngine *engine;
  LersDeviceSimulator *simulator;
  GSocketService *service;
  guint16 port;
} SimFixture;

static SimFixture sim;

static void
served_cb (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr (GSocketConnection) connection = user_data;
  lers_device_simulator_serve_finish (LERS_DEVICE_SIMULATOR (source), result, NULL);
}

static gboolean
incoming_cb (GSocketService *service, GSocketConnection *connection, GObject *src, gpointer data)
{
  lers_device_simulator_serve_async (sim.simulator, G_IO_STREAM (connection), NULL, served_cb,
                                     g_object_ref (connection));
  return TRUE;
}

static void
sim_setup (void)
{
  g_autoptr (GError) error = NULL;

  lers_check_store_setup ();
  sim.engine = lers_engine_new ();
  sim.simulator
      = lers_engine_create_device_simulator (sim.engine, "mbus", "10000042", 7, 42, &error);
  ck_assert_msg (sim.simulator != NULL, "%s", error ? error->message : "");
  sim.service = g_socket_service_new ();
  sim.port = g_socket_listener_add_any_inet_port (G_SOCKET_LISTENER (sim.service), NULL, &error);
  ck_assert_uint_ne (sim.port, 0);
  g_signal_connect (sim.service, "incoming", G_CALLBACK (incoming_cb), NULL);
  g_socket_service_start (sim.service);
}

static void
sim_teardown (void)
{
  g_socket_service_stop (sim.service);
  g_socket_listener_close (G_SOCKET_LISTENER (sim.service));
  g_clear_object (&sim.service);
  g_clear_object (&sim.simulator);
  g_clear_object (&sim.engine);
  lers_check_store_teardown ();
}

/* a node with one heat point read from the simulated meter on @port */
static gint64
add_point (guint16 port, const gchar *address, guint poll_interval)
{
  LersStore *store = lers_check_get_store ();
  g_autoptr (LersNode) node = lers_node_new ();
  g_autoptr (LersConnection) connection = lers_connection_new ();
  g_autoptr (LersDevice) device = lers_device_new ();
  g_autoptr (LersMeasurePoint) point = lers_measure_point_new ();
  g_autoptr (GError) error = NULL;
  g_autoptr (GPtrArray) devices = lers_store_list_devices_sync (store, NULL, &error);

  lers_node_set_title (node, "ИТП 1");
  ck_assert (lers_store_save_node_sync (store, node, NULL, &error));
  /* one meter is one device (devices are unique by model + serial since
   * migration 0002): a second point on it shares the device */
  ck_assert (devices != NULL);
  for (guint i = 0; i < devices->len; i++)
    if (g_strcmp0 (lers_device_get_serial_number (g_ptr_array_index (devices, i)), "10000042") == 0)
      g_set_object (&device, g_ptr_array_index (devices, i));
  if (lers_device_get_id (device) == 0)
    {
      g_object_set (connection, "host", "127.0.0.1", "port", port, "timeout", 2, NULL);
      ck_assert (lers_store_save_connection_sync (store, connection, NULL, &error));
      g_object_set (device, "protocol", "mbus", "serial-number", "10000042", "network-address",
                    address, "connection-id", lers_connection_get_id (connection), NULL);
      ck_assert (lers_store_save_device_sync (store, device, NULL, &error));
    }
  g_object_set (point, "title", "Отопление", "node-id", lers_node_get_id (node), "device-id",
                lers_device_get_id (device), "poll-interval", poll_interval, NULL);
  ck_assert_msg (lers_store_save_measure_point_sync (store, point, NULL, &error), "%s",
                 error ? error->message : "");
  return lers_measure_point_get_id (point);
}

typedef struct
{
  GMainLoop *loop;
  gint n;
  GError *error;
} Wait;

static void
read_cb (GObject *source, GAsyncResult *result, gpointer user_data)
{
  Wait *w = user_data;
  w->n = lers_poller_read_point_finish (LERS_POLLER (source), result, &w->error);
  g_main_loop_quit (w->loop);
}

static gint
read_point (gint64 point_id, GDateTime *from, GDateTime *to, LersProgress *progress, GError **error)
{
  g_autoptr (LersPoller) poller = lers_poller_new (lers_check_get_store (), sim.engine);
  g_autoptr (GMainLoop) loop = g_main_loop_new (NULL, FALSE);
  Wait w = { loop, 0, NULL };

  lers_poller_read_point_async (poller, point_id, LERS_ARCHIVE_KIND_HOUR, from, to, progress, NULL,
                                read_cb, &w);
  g_main_loop_run (loop);
  if (w.error != NULL)
    g_propagate_error (error, w.error);
  return w.n;
}

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
  gint64 point_id = add_point (sim.port, "10000042", 0);
  g_autoptr (GDateTime) to = lers_check_this_hour ();
  g_autoptr (GDateTime) from = g_date_time_add_hours (to, -48);
  g_autoptr (GPtrArray) records = NULL;
  g_autoptr (GPtrArray) again = NULL;
  g_autoptr (LersProgress) progress = lers_progress_new ();
  g_autoptr (GError) error = NULL;
  ProgressSeen seen = { 0 };
  gint n;

  g_signal_connect (progress, "notify::fraction", G_CALLBACK (count_notify), &seen);
  n = read_point (point_id, from, to, progress, &error);
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
  n = read_point (point_id, from, to, NULL, &error);
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
  gint64 point_id = add_point (sim.port, "7", 0);
  g_autoptr (GDateTime) to = lers_check_this_hour ();
  g_autoptr (GDateTime) from = g_date_time_add_hours (to, -5);
  g_autoptr (GError) error = NULL;

  ck_assert_int_eq (read_point (point_id, from, to, NULL, &error), 5);
  /* without a range the read goes on from the last stored hour: nothing new */
  ck_assert_int_eq (read_point (point_id, NULL, NULL, NULL, &error), 0);
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

  ck_assert_int_eq (read_point (999999, NULL, NULL, NULL, &error), -1);
  ck_assert (g_error_matches (error, LERS_ERROR, LERS_ERROR_NOT_FOUND));
  g_clear_error (&error);

  g_socket_listener_close (closed);
  dead = add_point (dead_port, "1", 0);
  ck_assert_int_eq (read_point (dead, from, to, NULL, &error), -1);
  ck_assert_msg (g_error_matches (error, LERS_ERROR, LERS_ERROR_CONNECTION), "%s", error->message);
  g_clear_error (&error);

  ck_assert_int_eq (read_point (dead, to, from, NULL, &error), -1);
  ck_assert (g_error_matches (error, LERS_ERROR, LERS_ERROR_INVALID_ARGUMENT));
}
END_TEST

static void
point_read_cb (LersScheduler *scheduler, gint64 point_id, gint n, const gchar *message,
               gpointer data)
{
  Wait *w = data;
  w->n = n;
  if (message != NULL)
    w->error = g_error_new_literal (LERS_ERROR, LERS_ERROR_FAILED, message);
  g_main_loop_quit (w->loop);
}

START_TEST (test_scheduler_reads_due_points)
{
  gint64 point_id = add_point (sim.port, "10000042", 3600);
  g_autoptr (LersScheduler) scheduler = lers_scheduler_new (lers_check_get_store (), sim.engine);
  g_autoptr (GMainLoop) loop = g_main_loop_new (NULL, FALSE);
  g_autoptr (GDateTime) to = lers_check_this_hour ();
  g_autoptr (GDateTime) from = g_date_time_add_days (to, -7);
  g_autoptr (GPtrArray) records = NULL;
  Wait w = { loop, 0, NULL };

  add_point (sim.port, "10000042", 0); /* not polled: no interval */
  g_signal_connect (scheduler, "point-read", G_CALLBACK (point_read_cb), &w);
  lers_scheduler_start (scheduler);
  g_main_loop_run (loop);
  lers_scheduler_stop (scheduler);
  ck_assert_msg (w.error == NULL, "%s", w.error ? w.error->message : "");
  /* a point never read before gets the last week */
  ck_assert_int_eq (w.n, 7 * 24);
  records = lers_check_query_records (lers_check_get_store (), point_id, LERS_ARCHIVE_KIND_HOUR,
                                      from, to, NULL, NULL);
  ck_assert_uint_eq (records->len, 7 * 24);
}
END_TEST

int
main (int argc, char **argv)
{
  Suite *s = suite_create ("poll");
  TCase *tc = tcase_create ("poll");

  lers_check_init (&argc, &argv);
  tcase_add_unchecked_fixture (tc, lers_check_cluster_setup, lers_check_cluster_teardown);
  tcase_add_checked_fixture (tc, sim_setup, sim_teardown);
  tcase_add_test (tc, test_poll_stores_hourly_archive);
  tcase_add_test (tc, test_poll_continues_from_stored);
  tcase_add_test (tc, test_poll_errors);
  tcase_add_test (tc, test_scheduler_reads_due_points);
  suite_add_tcase (s, tc);
  return lers_check_run_suite (s);
}
