/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* A GPRS modem that calls in is read: a test modem connects to the GPRS
 * server the poller watches, sends its IMEI line, then passes bytes to and
 * from a simulated M-Bus meter, as a modem in server mode does. The poller
 * matches the IMEI to the connection of that identity and stores the
 * archive of every point behind it; an unknown IMEI stores nothing. */
#include <check.h>
#include <lers.h>

#include "lers-check.h"

typedef struct
{
  gboolean done;
  GError *error;
} Modem;

static void
modem_spliced_cb (GObject *source, GAsyncResult *result, gpointer user_data)
{
  Modem *modem = user_data;

  /* the server hung up: the poller closed the link, or dropped the modem */
  g_io_stream_splice_finish (result, &modem->error);
  modem->done = TRUE;
}

/* Calls the server on @server_port, says "IMEI:@imei\r\n", then joins the
 * line to the meter on @meter_port. */
static void
modem_call (Modem *modem, guint16 server_port, const gchar *imei, guint16 meter_port)
{
  g_autoptr (GSocketClient) client = g_socket_client_new ();
  g_autoptr (GSocketConnection) line = NULL;
  g_autoptr (GSocketConnection) meter = NULL;
  g_autofree gchar *hello = g_strdup_printf ("IMEI:%s\r\n", imei);
  g_autoptr (GError) error = NULL;

  g_socket_client_set_enable_proxy (client, FALSE);
  line = g_socket_client_connect_to_host (client, "127.0.0.1", server_port, NULL, &error);
  lers_check_assert_no_error (error);
  ck_assert (g_output_stream_write_all (g_io_stream_get_output_stream (G_IO_STREAM (line)), hello,
                                        strlen (hello), NULL, NULL, &error));
  meter = g_socket_client_connect_to_host (client, "127.0.0.1", meter_port, NULL, &error);
  lers_check_assert_no_error (error);
  g_io_stream_splice_async (G_IO_STREAM (line), G_IO_STREAM (meter),
                            G_IO_STREAM_SPLICE_CLOSE_STREAM1 | G_IO_STREAM_SPLICE_CLOSE_STREAM2,
                            G_PRIORITY_DEFAULT, NULL, modem_spliced_cb, modem);
}

static gboolean
timed_out_cb (gpointer user_data)
{
  ck_abort_msg ("%s", (const gchar *) user_data);
  return G_SOURCE_REMOVE;
}

static void
wait_until (gboolean *flag, const gchar *what)
{
  guint timeout = g_timeout_add_seconds (60, timed_out_cb, (gpointer) what);

  while (!*flag)
    g_main_context_iteration (NULL, TRUE);
  g_source_remove (timeout);
}

static gint64
add_gprs_point (const gchar *imei, const gchar *serial)
{
  LersStore *store = lers_check_get_store ();
  g_autoptr (LersConnection) connection = lers_connection_new ();
  g_autoptr (LersDevice) device = lers_device_new ();
  g_autoptr (LersNode) node = lers_node_new ();
  g_autoptr (LersMeasurePoint) point = lers_measure_point_new ();
  g_autoptr (GError) error = NULL;

  g_object_set (connection, "kind", LERS_CONNECTION_KIND_GPRS_SERVER, "identity", imei, NULL);
  ck_assert_msg (lers_store_save_connection_sync (store, connection, NULL, &error), "%s",
                 error ? error->message : "");
  g_object_set (device, "protocol", "mbus", "serial-number", serial, "network-address", "7",
                "connection-id", lers_connection_get_id (connection), NULL);
  ck_assert (lers_store_save_device_sync (store, device, NULL, &error));
  lers_node_set_title (node, "Котельная");
  ck_assert (lers_store_save_node_sync (store, node, NULL, &error));
  g_object_set (point, "title", "Отопление", "node-id", lers_node_get_id (node), "device-id",
                lers_device_get_id (device), NULL);
  ck_assert (lers_store_save_measure_point_sync (store, point, NULL, &error));
  return lers_measure_point_get_id (point);
}

static void
wait_for_modem (LersGprsServer *server, const gchar *imei)
{
  guint timeout = g_timeout_add_seconds (60, timed_out_cb, "the modem was not listed in 60 s");

  /* the poller lists the modems from the store in the background */
  while (!lers_gprs_server_has_modem (server, imei))
    g_main_context_iteration (NULL, TRUE);
  g_source_remove (timeout);
}

START_TEST (test_modem_calls_in_and_is_read)
{
  g_autoptr (LersEngine) engine = lers_engine_new ();
  g_autoptr (LersPoller) poller = lers_poller_new (lers_check_get_store (), engine);
  g_autoptr (LersGprsServer) server = lers_gprs_server_new ();
  g_autoptr (GError) error = NULL;
  LersCheckSim sim;
  Modem known = { 0 }, stranger = { 0 };
  gint64 point_id, other_id;
  gchar *n;

  lers_check_sim_start (&sim, engine, "mbus", "60000001", 7, 61);
  point_id = add_gprs_point ("356938035643809", "60000001");
  {
    g_autoptr (LersConnection) tcp = lers_connection_new ();
    g_object_set (tcp, "host", "127.0.0.1", "port", 1, "identity", "tcp-gateway-1", NULL);
    ck_assert (lers_store_save_connection_sync (lers_check_get_store (), tcp, NULL, &error));
  }
  other_id = add_gprs_point ("356938035643810", "60000002");
  ck_assert (lers_gprs_server_listen (server, "127.0.0.1", 0, &error));
  lers_poller_watch_gprs_server (poller, server);
  wait_for_modem (server, "356938035643809");
  /* a connection of another kind with an identity is no modem */
  ck_assert (!lers_gprs_server_has_modem (server, "tcp-gateway-1"));

  /* an IMEI no connection has: dropped, nothing stored anywhere */
  modem_call (&stranger, lers_gprs_server_get_port (server), "490154203237518", sim.port);
  wait_until (&stranger.done, "the unknown modem was not dropped in 60 s");
  ck_assert_int_eq (lers_check_sql_int ("SELECT count(*) FROM archive"), 0);

  /* the known modem: its point gets the last week of hours, 7 × 24 = 168
   * (the point was never read; the read ends at the start of this hour) */
  modem_call (&known, lers_gprs_server_get_port (server), "356938035643809", sim.port);
  wait_until (&known.done, "the modem's link was not closed in 60 s");
  n = g_strdup_printf ("SELECT count(*) FROM archive WHERE point_id = %" G_GINT64_FORMAT
                       " AND kind = %d",
                       point_id, (gint) LERS_ARCHIVE_KIND_HOUR);
  ck_assert_int_eq (lers_check_sql_int (n), 168);
  g_free (n);
  /* the other modem's point did not call in: nothing for it */
  n = g_strdup_printf ("SELECT count(*) FROM archive WHERE point_id = %" G_GINT64_FORMAT, other_id);
  ck_assert_int_eq (lers_check_sql_int (n), 0);
  g_free (n);
  /* the session ended when the poller closed the link */
  ck_assert_uint_eq (lers_gprs_server_get_n_sessions (server), 0);
  lers_gprs_server_stop (server);
  lers_check_sim_stop (&sim);
  g_clear_error (&known.error);
  g_clear_error (&stranger.error);
}
END_TEST

int
main (int argc, char **argv)
{
  Suite *s = suite_create ("gprs");
  TCase *tc = tcase_create ("gprs");

  lers_check_init (&argc, &argv);
  tcase_set_timeout (tc, 120);
  tcase_add_unchecked_fixture (tc, lers_check_cluster_setup, lers_check_cluster_teardown);
  tcase_add_checked_fixture (tc, lers_check_store_setup, lers_check_store_teardown);
  tcase_add_test (tc, test_modem_calls_in_and_is_read);
  suite_add_tcase (s, tc);
  return lers_check_run_suite (s);
}
