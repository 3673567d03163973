/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The poller review's findings, each seen from outside: a link that
 * cannot be made, a point nobody asked for, a read cancelled while it
 * waits for a busy link, and modems that call in (that the planner leaves
 * GPRS points to the modems: test-poll-plan.c). */
#include <check.h>
#include <lers.h>

#include "lers-check.h"
#include "poll/lers-poller-private.h"

static gint64
add_connection (LersConnectionKind kind, const gchar *host, guint port, const gchar *identity)
{
  g_autoptr (LersConnection) connection = lers_connection_new ();
  g_autoptr (GError) error = NULL;

  g_object_set (connection, "kind", kind, "port", port, "timeout", 2, NULL);
  if (host != NULL)
    g_object_set (connection, "host", host, NULL);
  if (identity != NULL)
    g_object_set (connection, "identity", identity, NULL);
  ck_assert_msg (
      lers_store_save_connection_sync (lers_check_get_store (), connection, NULL, &error), "%s",
      error ? error->message : "");
  return lers_connection_get_id (connection);
}

static gint64
add_device (gint64 connection_id, const gchar *serial)
{
  g_autoptr (LersDevice) device = lers_device_new ();
  g_autoptr (GError) error = NULL;

  g_object_set (device, "protocol", "mbus", "serial-number", serial, "network-address", "7",
                "connection-id", connection_id, NULL);
  ck_assert_msg (lers_store_save_device_sync (lers_check_get_store (), device, NULL, &error), "%s",
                 error ? error->message : "");
  return lers_device_get_id (device);
}

static gint64
add_point (gint64 device_id, guint poll_interval)
{
  g_autoptr (LersMeasurePoint) point = lers_measure_point_new ();
  g_autoptr (GError) error = NULL;

  g_object_set (point, "title", "Отопление", "device-id", device_id, "channel", 0, "poll-interval",
                poll_interval, NULL);
  ck_assert_msg (lers_store_save_measure_point_sync (lers_check_get_store (), point, NULL, &error),
                 "%s", error ? error->message : "");
  return lers_measure_point_get_id (point);
}

/* hour rows of @point_id in [@from, @to) */
static gint64
count_rows (gint64 point_id, GDateTime *from, GDateTime *to)
{
  g_autofree gchar *f = g_date_time_format_iso8601 (from);
  g_autofree gchar *t = g_date_time_format_iso8601 (to);
  g_autofree gchar *sql = g_strdup_printf (
      "SELECT count(*) FROM archive WHERE point_id = %" G_GINT64_FORMAT " AND kind = %d"
      " AND ts >= '%s' AND ts < '%s'",
      point_id, (gint) LERS_ARCHIVE_KIND_HOUR, f, t);
  return lers_check_sql_int (sql);
}

/* 1: a link that cannot be made fails every read behind it cleanly (the
 * hold used to end inside its own start and free the reads under the
 * caller; ASan and valgrind saw the use after free) */
START_TEST (test_unusable_link)
{
  g_autoptr (LersPoller) poller
      = lers_poller_new (lers_check_get_store (), lers_check_get_engine ());
  g_autoptr (GError) error = NULL;
  gint64 gprs = add_connection (LERS_CONNECTION_KIND_GPRS_SERVER, NULL, 0, "356938035643809");
  gint64 no_host = add_connection (LERS_CONNECTION_KIND_TCP_CLIENT, NULL, 4001, NULL);
  gint64 point;
  gint n;

  /* one point each: a group logs every error after its first */
  add_point (add_device (gprs, "20000001"), 0);
  point = add_point (add_device (no_host, "20000002"), 0);

  n = lers_poller_read_connection_sync (poller, gprs, LERS_ARCHIVE_KIND_HOUR, NULL, NULL, &error);
  ck_assert_int_eq (n, -1);
  ck_assert_msg (g_error_matches (error, LERS_ERROR, LERS_ERROR_NOT_SUPPORTED), "%s",
                 error->message);
  g_clear_error (&error);

  n = lers_poller_read_connection_sync (poller, no_host, LERS_ARCHIVE_KIND_HOUR, NULL, NULL,
                                        &error);
  ck_assert_int_eq (n, -1);
  ck_assert_msg (g_error_matches (error, LERS_ERROR, LERS_ERROR_INVALID_ARGUMENT), "%s",
                 error->message);
  g_clear_error (&error);

  n = lers_poller_read_point_sync (poller, point, LERS_ARCHIVE_KIND_HOUR, NULL, NULL, NULL, NULL,
                                   &error);
  ck_assert_int_eq (n, -1);
  ck_assert_msg (g_error_matches (error, LERS_ERROR, LERS_ERROR_INVALID_ARGUMENT), "%s",
                 error->message);
  ck_assert_int_eq (lers_check_sql_int ("SELECT count(*) FROM archive"), 0);
}
END_TEST

/* 2: a point nobody asked for is read from its own stored end, so the
 * rows it gets leave no gap */
START_TEST (test_unasked_point_has_no_gap)
{
  g_autoptr (GDateTime) to = lers_check_this_hour ();
  g_autoptr (GDateTime) b_from = g_date_time_add_hours (to, -96);
  g_autoptr (GDateTime) b_to = g_date_time_add_hours (to, -72);
  g_autoptr (GDateTime) a_from = g_date_time_add_hours (to, -24);
  g_autoptr (GError) error = NULL;
  gint64 a = lers_check_add_sim_point (0, "7", 5, 0, 0);
  gint64 b = lers_check_add_sim_point (0, "7", 5, 0, 0); /* same device, same channel */
  gint n;

  /* B stored [−96 h, −72 h): 24 rows */
  n = lers_check_read_point (lers_check_get_engine (), b, b_from, b_to, NULL, &error);
  lers_check_assert_no_error (error);
  ck_assert_int_eq (n, 24);
  ck_assert_int_eq (count_rows (b, b_from, to), 24);

  /* A reads the last 24 h: A gets those 24 rows and nothing before its
   * own start; B goes on from −72 h up to this hour */
  n = lers_check_read_point (lers_check_get_engine (), a, a_from, to, NULL, &error);
  lers_check_assert_no_error (error);
  ck_assert_int_eq (n, 24);
  ck_assert_int_eq (count_rows (a, a_from, to), 24);
  ck_assert_int_eq (count_rows (a, b_to, a_from), 0);
  /* every hour of B from its first row to this hour: 96 − 0 = 96 rows
   * (before the fix: 24 + 24 = 48, a 48-hour gap) */
  ck_assert_int_eq (count_rows (b, b_from, to), 96);
}
END_TEST

/* 3 (5 of the review): a read cancelled while it waits for a busy link
 * ends at once, not when the link is free */
typedef struct
{
  gboolean done;
  gint n;
  GError *error;
} Outcome;

static void
outcome_cb (GObject *source, GAsyncResult *result, gpointer user_data)
{
  Outcome *outcome = user_data;

  outcome->n = lers_poller_read_point_finish (LERS_POLLER (source), result, &outcome->error);
  outcome->done = TRUE;
}

static gboolean
silent_accept_cb (GSocketService *service, GSocketConnection *connection, GObject *source,
                  gpointer user_data)
{
  /* a meter that never answers: keep the connection open */
  g_ptr_array_add (user_data, g_object_ref (connection));
  return TRUE;
}

static gboolean
flag_cb (gpointer user_data)
{
  *(gboolean *) user_data = TRUE;
  return G_SOURCE_REMOVE;
}

START_TEST (test_cancel_queued_read)
{
  g_autoptr (LersPoller) poller
      = lers_poller_new (lers_check_get_store (), lers_check_get_engine ());
  g_autoptr (GSocketService) service = g_socket_service_new ();
  g_autoptr (GPtrArray) accepted = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr (GCancellable) first_cancel = g_cancellable_new ();
  g_autoptr (GCancellable) second_cancel = g_cancellable_new ();
  g_autoptr (GDateTime) to = lers_check_this_hour ();
  g_autoptr (GDateTime) from = g_date_time_add_hours (to, -2);
  g_autoptr (GError) error = NULL;
  Outcome first = { 0 }, second = { 0 };
  gboolean waited = FALSE;
  gint64 device, p1, p2;
  guint16 port;

  port = g_socket_listener_add_any_inet_port (G_SOCKET_LISTENER (service), NULL, &error);
  lers_check_assert_no_error (error);
  g_signal_connect (service, "incoming", G_CALLBACK (silent_accept_cb), accepted);
  g_socket_service_start (service);
  device = add_device (add_connection (LERS_CONNECTION_KIND_TCP_CLIENT, "127.0.0.1", port, NULL),
                       "20000004");
  p1 = add_point (device, 0);
  p2 = add_point (device, 0);

  lers_poller_read_point_async (poller, p1, LERS_ARCHIVE_KIND_HOUR, from, to, NULL, first_cancel,
                                outcome_cb, &first);
  while (lers_poller_get_n_holds (poller) == 0)
    g_main_context_iteration (NULL, TRUE);
  lers_poller_read_point_async (poller, p2, LERS_ARCHIVE_KIND_HOUR, from, to, NULL, second_cancel,
                                outcome_cb, &second);
  /* the second read is looked up and queues on the held link */
  while (lers_poller_get_n_queued (poller) == 0)
    g_main_context_iteration (NULL, TRUE);
  /* and stays there while the first holds the link */
  g_timeout_add (300, flag_cb, &waited);
  while (!waited)
    g_main_context_iteration (NULL, TRUE);
  ck_assert (!second.done);
  ck_assert_uint_eq (lers_poller_get_n_queued (poller), 1);
  g_cancellable_cancel (second_cancel);
  while (!second.done)
    g_main_context_iteration (NULL, TRUE);
  ck_assert_int_eq (second.n, -1);
  /* (GTask reports a cancelled task's own cancellable as GIO's) */
  ck_assert_msg (g_error_matches (second.error, LERS_ERROR, LERS_ERROR_CANCELLED)
                     || g_error_matches (second.error, G_IO_ERROR, G_IO_ERROR_CANCELLED),
                 "%s", second.error->message);
  /* the silent meter still holds the first read */
  ck_assert (!first.done);
  ck_assert_uint_eq (lers_poller_get_n_holds (poller), 1);

  g_cancellable_cancel (first_cancel);
  while (!first.done)
    g_main_context_iteration (NULL, TRUE);
  ck_assert_int_eq (first.n, -1);
  ck_assert_uint_eq (lers_poller_get_n_holds (poller), 1);
  ck_assert_uint_eq (lers_poller_get_n_queued (poller), 0);
  g_clear_error (&first.error);
  g_clear_error (&second.error);
  g_socket_service_stop (service);
  g_socket_listener_close (G_SOCKET_LISTENER (service));
}
END_TEST

/* 4: a modem that calls in again while its read waits for the link is
 * read over the newer link; the older one is closed */
typedef struct
{
  gboolean done;
  gint n;
  GError *error;
} Served;

static void
served_cb (GObject *source, GAsyncResult *result, gpointer user_data)
{
  Served *served = user_data;

  served->n = lers_poller_serve_transport_finish (LERS_POLLER (source), result, &served->error);
  served->done = TRUE;
}

static LersTransport *
dial (guint16 port)
{
  g_autoptr (GSocketClient) client = g_socket_client_new ();
  g_autoptr (GSocketConnection) line = NULL;
  g_autoptr (GError) error = NULL;

  g_socket_client_set_enable_proxy (client, FALSE);
  line = g_socket_client_connect_to_host (client, "127.0.0.1", port, NULL, &error);
  lers_check_assert_no_error (error);
  return lers_stream_transport_new (G_IO_STREAM (line), "modem");
}

START_TEST (test_modem_calls_again_while_waiting)
{
  g_autoptr (LersEngine) engine = lers_engine_new ();
  g_autoptr (LersPoller) poller = lers_poller_new (lers_check_get_store (), engine);
  g_autoptr (LersTransport) t1 = NULL;
  g_autoptr (LersTransport) t2 = NULL;
  g_autoptr (LersTransport) t3 = NULL;
  g_autoptr (GDateTime) to = lers_check_this_hour ();
  g_autoptr (GDateTime) week = g_date_time_add_days (to, -7);
  Served s1 = { 0 }, s2 = { 0 }, s3 = { 0 };
  LersCheckSim sim;
  gint64 connection, point;

  lers_check_sim_start (&sim, engine, "mbus", "70000001", 7, 501);
  g_object_set (sim.simulator, "answer-delay-ms", 30, NULL);
  connection = add_connection (LERS_CONNECTION_KIND_GPRS_SERVER, NULL, 0, "356938035643811");
  point = add_point (add_device (connection, "70000001"), 0);

  /* the first call holds the link (a week of hours from a slow meter) */
  t1 = dial (sim.port);
  lers_poller_serve_transport_async (poller, connection, t1, NULL, served_cb, &s1);
  while (lers_poller_get_n_holds (poller) == 0)
    g_main_context_iteration (NULL, TRUE);
  /* the modem calls again, its read waits; and again */
  t2 = dial (sim.port);
  lers_poller_serve_transport_async (poller, connection, t2, NULL, served_cb, &s2);
  while (lers_poller_get_n_queued (poller) < 1)
    g_main_context_iteration (NULL, TRUE);
  t3 = dial (sim.port);
  lers_poller_serve_transport_async (poller, connection, t3, NULL, served_cb, &s3);
  while (lers_poller_get_n_queued (poller) < 2 && !s3.done)
    g_main_context_iteration (NULL, TRUE);
  /* (it used to be turned away at once, "another modem with this
   * identity is being read") */
  ck_assert (!s3.done);
  while (lers_transport_is_open (t2) && !s1.done)
    g_main_context_iteration (NULL, TRUE);
  /* the older waiting link is closed while the first read still runs */
  ck_assert (!s1.done);
  ck_assert (!lers_transport_is_open (t2));
  ck_assert (lers_transport_is_open (t3));

  while (!s1.done || !s2.done || !s3.done)
    g_main_context_iteration (NULL, TRUE);
  lers_check_assert_no_error (s1.error);
  lers_check_assert_no_error (s2.error);
  lers_check_assert_no_error (s3.error);
  ck_assert_int_eq (s1.n, 168); /* a week never read: 7 × 24 */
  /* both waiting calls were looked up before the first stored, so the
   * second hold, over t3, read the same week for each again (replacing
   * the rows, adding none) */
  ck_assert_int_eq (s2.n, 168);
  ck_assert_int_eq (s3.n, 168);
  ck_assert_uint_eq (lers_poller_get_n_holds (poller), 2);
  ck_assert_int_eq (count_rows (point, week, to), 168);
  ck_assert (!lers_transport_is_open (t3));
  lers_check_sim_stop (&sim);
}
END_TEST

/* 6: under max-parallel, a link freed while another waits for a hold
 * queues behind it instead of starting again */
typedef struct
{
  guint *n_done;
  guint order; /* 1 for the first read to end */
  GError *error;
} Ordered;

static void
ordered_cb (GObject *source, GAsyncResult *result, gpointer user_data)
{
  Ordered *read = user_data;

  lers_poller_read_point_finish (LERS_POLLER (source), result, &read->error);
  read->order = ++*read->n_done;
}

START_TEST (test_busy_link_does_not_starve_others)
{
  g_autoptr (LersEngine) engine = lers_engine_new ();
  g_autoptr (LersPoller) poller = lers_poller_new (lers_check_get_store (), engine);
  g_autoptr (GDateTime) to = lers_check_this_hour ();
  g_autoptr (GDateTime) day = g_date_time_add_hours (to, -24);
  g_autoptr (GDateTime) day_before = g_date_time_add_hours (to, -48);
  LersCheckSim sim_a, sim_b;
  guint n_done = 0;
  Ordered a1 = { &n_done }, b = { &n_done }, a2 = { &n_done };
  gint64 pa, pb;

  lers_check_sim_start (&sim_a, engine, "mbus", "80000001", 7, 601);
  lers_check_sim_start (&sim_b, engine, "mbus", "80000002", 7, 602);
  g_object_set (sim_a.simulator, "answer-delay-ms", 30, NULL);
  pa = add_point (
      add_device (add_connection (LERS_CONNECTION_KIND_TCP_CLIENT, "127.0.0.1", sim_a.port, NULL),
                  "80000001"),
      0);
  pb = add_point (
      add_device (add_connection (LERS_CONNECTION_KIND_TCP_CLIENT, "127.0.0.1", sim_b.port, NULL),
                  "80000002"),
      0);
  lers_poller_set_max_links (poller, 1);

  lers_poller_read_point_async (poller, pa, LERS_ARCHIVE_KIND_HOUR, day_before, day, NULL, NULL,
                                ordered_cb, &a1);
  while (lers_poller_get_n_holds (poller) == 0)
    g_main_context_iteration (NULL, TRUE);
  lers_poller_read_point_async (poller, pb, LERS_ARCHIVE_KIND_HOUR, day, to, NULL, NULL, ordered_cb,
                                &b);
  while (lers_poller_get_n_queued (poller) < 1)
    g_main_context_iteration (NULL, TRUE);
  lers_poller_read_point_async (poller, pa, LERS_ARCHIVE_KIND_HOUR, day, to, NULL, NULL, ordered_cb,
                                &a2);
  while (lers_poller_get_n_queued (poller) < 2)
    g_main_context_iteration (NULL, TRUE);
  ck_assert_uint_eq (lers_poller_get_n_holds (poller), 1);
  ck_assert_uint_eq (a1.order, 0);

  while (n_done < 3)
    g_main_context_iteration (NULL, TRUE);
  lers_check_assert_no_error (a1.error);
  lers_check_assert_no_error (b.error);
  lers_check_assert_no_error (a2.error);
  /* B waited for a hold first, so it is served before A's second read */
  ck_assert_uint_eq (a1.order, 1);
  ck_assert_uint_eq (b.order, 2);
  ck_assert_uint_eq (a2.order, 3);
  ck_assert_uint_eq (lers_poller_get_n_holds (poller), 3);
  lers_check_sim_stop (&sim_b);
  lers_check_sim_stop (&sim_a);
}
END_TEST

int
main (int argc, char **argv)
{
  Suite *s = suite_create ("review");
  TCase *tc = tcase_create ("review");

  lers_check_init (&argc, &argv);
  tcase_set_timeout (tc, 120);
  tcase_add_unchecked_fixture (tc, lers_check_cluster_setup, lers_check_cluster_teardown);
  tcase_add_checked_fixture (tc, lers_check_sim_setup, lers_check_sim_teardown);
  tcase_add_test (tc, test_unusable_link);
  tcase_add_test (tc, test_unasked_point_has_no_gap);
  tcase_add_test (tc, test_cancel_queued_read);
  tcase_add_test (tc, test_modem_calls_again_while_waiting);
  tcase_add_test (tc, test_busy_link_does_not_starve_others);
  suite_add_tcase (s, tc);
  return lers_check_run_suite (s);
}
