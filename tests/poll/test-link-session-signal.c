/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* LersPoller::link-session: one signal each time a hold ends its use of a
 * link, with the bytes that went each way (counted here by a TCP proxy
 * between the poller and the simulated M-Bus meter, outside the code under
 * test), why it ended, and, for a failed read, a message naming the point,
 * the link, the device address and the cause. */
#include <check.h>
#include <lers.h>
#include <string.h>

#include "lers-check-proxy.h"
#include "lers-check.h"

/* a read cancelled as the poller first talks to the meter */
static void
cancel_read (gpointer user_data)
{
  g_cancellable_cancel (user_data);
}

/* ---- reading a point and seeing its link sessions ---- */

typedef struct
{
  GPtrArray *sessions; /* of LersLinkSession */
  gboolean done;
  gint n;
  GError *error;
} Seen;

static void
link_session_cb (LersPoller *poller, LersLinkSession *session, gpointer user_data)
{
  Seen *seen = user_data;

  /* emitted in the poller's context: this thread */
  g_ptr_array_add (seen->sessions, g_object_ref (session));
}

static void
read_cb (GObject *source, GAsyncResult *result, gpointer user_data)
{
  Seen *seen = user_data;

  seen->n = lers_poller_read_point_finish (LERS_POLLER (source), result, &seen->error);
  seen->done = TRUE;
}

static void
read_point_cancellable (gint64 point_id, GDateTime *from, GDateTime *to, GCancellable *cancellable,
                        Seen *seen)
{
  g_autoptr (LersPoller) poller
      = lers_poller_new (lers_check_get_store (), lers_check_get_engine ());

  seen->sessions = g_ptr_array_new_with_free_func (g_object_unref);
  g_signal_connect (poller, "link-session", G_CALLBACK (link_session_cb), seen);
  lers_poller_read_point_async (poller, point_id, LERS_ARCHIVE_KIND_HOUR, from, to, NULL,
                                cancellable, read_cb, seen);
  while (!seen->done)
    g_main_context_iteration (NULL, TRUE);
  /* the read is done when its device is; the link closes after */
  while (seen->sessions->len == 0)
    g_main_context_iteration (NULL, TRUE);
  while (g_main_context_iteration (NULL, FALSE))
    ;
}

static void
read_point (gint64 point_id, GDateTime *from, GDateTime *to, Seen *seen)
{
  read_point_cancellable (point_id, from, to, NULL, seen);
}

static void
seen_clear (Seen *seen)
{
  g_clear_pointer (&seen->sessions, g_ptr_array_unref);
  g_clear_error (&seen->error);
}

static gint64
point_connection (gint64 point_id)
{
  g_autofree gchar *sql = g_strdup_printf ("SELECT d.connection_id FROM measure_points p"
                                           " JOIN devices d ON d.id = p.device_id"
                                           " WHERE p.id = %" G_GINT64_FORMAT,
                                           point_id);
  return lers_check_sql_int (sql);
}

static gint64
count_rows_archive (gint64 point_id)
{
  g_autofree gchar *sql = g_strdup_printf (
      "SELECT count(*) FROM archive WHERE point_id = %" G_GINT64_FORMAT, point_id);
  return lers_check_sql_int (sql);
}

/* a hold over TCP: one session, the bytes the proxy counted, "done" */
START_TEST (test_link_session_tcp)
{
  LersCheckProxy proxy = { 0 };
  Seen seen = { 0 };
  g_autoptr (GDateTime) to = lers_check_this_hour ();
  g_autoptr (GDateTime) from = g_date_time_add_hours (to, -6);
  g_autoptr (GDateTime) before = g_date_time_new_now_utc ();
  g_autoptr (GDateTime) after = NULL;
  LersLinkSession *session;
  gint64 point_id;
  gint64 deadline;

  lers_check_proxy_start (&proxy, lers_check_get_sim_port ());
  point_id = lers_check_add_sim_point (proxy.port, "7", 2, 0, 0);
  read_point (point_id, from, to, &seen);
  after = g_date_time_new_now_utc ();
  ck_assert_msg (seen.error == NULL, "%s", seen.error ? seen.error->message : "");
  ck_assert_int_eq (seen.n, 6);
  ck_assert_uint_eq (seen.sessions->len, 1);
  session = g_ptr_array_index (seen.sessions, 0);
  ck_assert_str_eq (lers_link_session_get_end_reason (session), "done");
  ck_assert_ptr_null (lers_link_session_get_error (session));
  ck_assert_int_eq (lers_link_session_get_connection_id (session), point_connection (point_id));
  ck_assert_int_eq (lers_link_session_get_id (session), 0);
  ck_assert_ptr_null (lers_link_session_get_modem_identity (session));
  ck_assert_int_eq (lers_link_session_get_signal_level (session), 0);
  /* the wall clock, around the read */
  ck_assert_int_le (g_date_time_compare (before, lers_link_session_get_started (session)), 0);
  ck_assert_int_le (g_date_time_compare (lers_link_session_get_started (session),
                                         lers_link_session_get_ended (session)),
                    0);
  ck_assert_int_le (g_date_time_compare (lers_link_session_get_ended (session), after), 0);
  /* the proxy forwards what it read: wait until the last of it is through */
  deadline = g_get_monotonic_time () + 5 * G_TIME_SPAN_SECOND;
  while ((proxy.to_target != lers_link_session_get_bytes_out (session)
          || proxy.from_target != lers_link_session_get_bytes_in (session))
         && g_get_monotonic_time () < deadline)
    g_main_context_iteration (NULL, FALSE);
  ck_assert_uint_eq (proxy.n_connections, 1);
  ck_assert_uint_gt (proxy.from_target, 0);
  ck_assert_uint_eq (lers_link_session_get_bytes_out (session), proxy.to_target);
  ck_assert_uint_eq (lers_link_session_get_bytes_in (session), proxy.from_target);
  seen_clear (&seen);
  lers_check_proxy_stop (&proxy);
}
END_TEST

/* the read is cancelled as soon as the poller talks to the meter */
START_TEST (test_link_session_cancelled)
{
  LersCheckProxy proxy = { 0 };
  Seen seen = { 0 };
  g_autoptr (GDateTime) to = lers_check_this_hour ();
  g_autoptr (GDateTime) from = g_date_time_add_hours (to, -6);
  g_autoptr (GCancellable) cancellable = g_cancellable_new ();
  LersLinkSession *session;
  gint64 point_id;

  lers_check_proxy_start (&proxy, lers_check_get_sim_port ());
  proxy.on_first_request = cancel_read;
  proxy.user_data = cancellable;
  point_id = lers_check_add_sim_point (proxy.port, "7", 2, 0, 0);
  read_point_cancellable (point_id, from, to, cancellable, &seen);
  ck_assert_int_eq (seen.n, -1);
  /* GTask's own word for it, or ours */
  ck_assert_msg (g_error_matches (seen.error, G_IO_ERROR, G_IO_ERROR_CANCELLED)
                     || g_error_matches (seen.error, LERS_ERROR, LERS_ERROR_CANCELLED),
                 "%s", seen.error != NULL ? seen.error->message : "no error");
  ck_assert_uint_eq (seen.sessions->len, 1);
  session = g_ptr_array_index (seen.sessions, 0);
  ck_assert_str_eq (lers_link_session_get_end_reason (session), "cancelled");
  /* a write cut short by the cancel may not be counted: never more */
  ck_assert_uint_le (lers_link_session_get_bytes_out (session), proxy.to_target);
  ck_assert_uint_gt (proxy.to_target, 0);
  ck_assert_int_eq (count_rows_archive (point_id), 0);
  seen_clear (&seen);
  lers_check_proxy_stop (&proxy);
}
END_TEST

/* nobody listens on the port: "open-failed", no bytes, the cause */
START_TEST (test_link_session_refused)
{
  Seen seen = { 0 };
  g_autoptr (GDateTime) to = lers_check_this_hour ();
  g_autoptr (GDateTime) from = g_date_time_add_hours (to, -6);
  g_autoptr (GSocket) socket = NULL;
  g_autoptr (GInetAddress) loopback = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4);
  g_autoptr (GSocketAddress) address = g_inet_socket_address_new (loopback, 0);
  g_autoptr (GSocketAddress) bound = NULL;
  g_autofree gchar *sql = NULL;
  LersLinkSession *session;
  gint64 point_id;
  guint16 port;

  /* a port that was free a moment ago, and nobody listens on it */
  socket = g_socket_new (G_SOCKET_FAMILY_IPV4, G_SOCKET_TYPE_STREAM, G_SOCKET_PROTOCOL_TCP, NULL);
  ck_assert (g_socket_bind (socket, address, FALSE, NULL));
  bound = g_socket_get_local_address (socket, NULL);
  port = g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (bound));
  g_socket_close (socket, NULL);
  point_id = lers_check_add_sim_point (port, "7", 1, 0, 0);
  sql = g_strdup_printf ("UPDATE connections SET retries = 0 WHERE id = %" G_GINT64_FORMAT,
                         point_connection (point_id));
  lers_check_sql_exec (sql);
  read_point (point_id, from, to, &seen);
  ck_assert_int_eq (seen.n, -1);
  lers_check_assert_error (seen.error, LERS_ERROR, LERS_ERROR_CONNECTION);
  ck_assert_uint_eq (seen.sessions->len, 1);
  session = g_ptr_array_index (seen.sessions, 0);
  ck_assert_str_eq (lers_link_session_get_end_reason (session), "open-failed");
  ck_assert_ptr_nonnull (lers_link_session_get_error (session));
  ck_assert_uint_eq (lers_link_session_get_bytes_in (session), 0);
  ck_assert_uint_eq (lers_link_session_get_bytes_out (session), 0);
  ck_assert_int_eq (lers_link_session_get_connection_id (session), point_connection (point_id));
  ck_assert_ptr_nonnull (lers_link_session_get_ended (session));
  seen_clear (&seen);
}
END_TEST

/* ---- a meter that answers garbage: an M-Bus long frame whose checksum
 * is wrong (68 03 03 68 | 08 07 72 | 00 16: C+A+CI = 0x81, not 0x00) ---- */

static const guint8 garbage[] = { 0x68, 0x03, 0x03, 0x68, 0x08, 0x07, 0x72, 0x00, 0x16 };

static void garbage_read (GIOStream *stream);

static void
garbage_read_cb (GObject *source, GAsyncResult *result, gpointer user_data)
{
  GIOStream *stream = user_data;
  g_autoptr (GBytes) bytes
      = g_input_stream_read_bytes_finish (G_INPUT_STREAM (source), result, NULL);

  if (bytes == NULL || g_bytes_get_size (bytes) == 0)
    {
      g_io_stream_close (stream, NULL, NULL);
      g_object_unref (stream);
      return;
    }
  g_output_stream_write_all (g_io_stream_get_output_stream (stream), garbage, sizeof garbage, NULL,
                             NULL, NULL);
  garbage_read (stream);
}

static void
garbage_read (GIOStream *stream)
{
  g_input_stream_read_bytes_async (g_io_stream_get_input_stream (stream), 4096, G_PRIORITY_DEFAULT,
                                   NULL, garbage_read_cb, stream);
}

static gboolean
garbage_incoming_cb (GSocketService *service, GSocketConnection *connection, GObject *source,
                     gpointer user_data)
{
  garbage_read (g_object_ref (G_IO_STREAM (connection)));
  return TRUE;
}

START_TEST (test_link_session_garbage)
{
  Seen seen = { 0 };
  g_autoptr (GDateTime) to = lers_check_this_hour ();
  g_autoptr (GDateTime) from = g_date_time_add_hours (to, -6);
  g_autoptr (GSocketService) service = g_socket_service_new ();
  g_autoptr (GInetAddress) loopback = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4);
  g_autoptr (GSocketAddress) address = g_inet_socket_address_new (loopback, 0);
  g_autoptr (GSocketAddress) bound = NULL;
  g_autofree gchar *prefix = NULL;
  LersLinkSession *session;
  gint64 point_id;
  guint16 port;

  ck_assert (g_socket_listener_add_address (G_SOCKET_LISTENER (service), address,
                                            G_SOCKET_TYPE_STREAM, G_SOCKET_PROTOCOL_TCP, NULL,
                                            &bound, NULL));
  port = g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (bound));
  g_signal_connect (service, "incoming", G_CALLBACK (garbage_incoming_cb), NULL);
  g_socket_service_start (service);
  point_id = lers_check_add_sim_point (port, "7", 1, 0, 0);
  read_point (point_id, from, to, &seen);
  ck_assert_int_eq (seen.n, -1);
  ck_assert_ptr_nonnull (seen.error);
  /* which point, which link, which address, then why */
  prefix = g_strdup_printf ("Point %" G_GINT64_FORMAT " (tcp:127.0.0.1:%u, address 7): ", point_id,
                            port);
  ck_assert_msg (g_str_has_prefix (seen.error->message, prefix), "%s", seen.error->message);
  ck_assert_msg (strstr (seen.error->message, "checksum") != NULL, "%s", seen.error->message);
  lers_check_assert_error (seen.error, LERS_ERROR, LERS_ERROR_CHECKSUM);
  ck_assert_uint_eq (seen.sessions->len, 1);
  session = g_ptr_array_index (seen.sessions, 0);
  ck_assert_str_eq (lers_link_session_get_end_reason (session), "error");
  ck_assert_msg (strstr (lers_link_session_get_error (session), "checksum") != NULL, "%s",
                 lers_link_session_get_error (session));
  ck_assert_uint_gt (lers_link_session_get_bytes_in (session), 0);
  seen_clear (&seen);
  g_socket_service_stop (service);
  g_socket_listener_close (G_SOCKET_LISTENER (service));
}
END_TEST

/* ---- a GPRS modem that calls in (as tests/poll/test-gprs.c does) ---- */

static void
modem_spliced_cb (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_io_stream_splice_finish (result, NULL);
  *(gboolean *) user_data = TRUE;
}

/* calls the server on @server_port, says "IMEI:@imei\r\n", then joins the
 * line to the meter on @meter_port */
static void
modem_call (gboolean *done, guint16 server_port, const gchar *imei, guint16 meter_port)
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
                            G_PRIORITY_DEFAULT, NULL, modem_spliced_cb, done);
}

START_TEST (test_link_session_gprs)
{
  LersStore *store = lers_check_get_store ();
  g_autoptr (LersPoller) poller = lers_poller_new (store, lers_check_get_engine ());
  g_autoptr (LersGprsServer) server = lers_gprs_server_new ();
  g_autoptr (LersConnection) connection = lers_connection_new ();
  g_autoptr (LersDevice) device = lers_device_new ();
  g_autoptr (LersMeasurePoint) point = lers_measure_point_new ();
  g_autoptr (GError) error = NULL;
  Seen seen = { 0 };
  gboolean done = FALSE;
  LersLinkSession *session;

  g_object_set (connection, "kind", LERS_CONNECTION_KIND_GPRS_SERVER, "identity", "356938035643809",
                NULL);
  ck_assert (lers_store_save_connection_sync (store, connection, NULL, &error));
  g_object_set (device, "protocol", "mbus", "serial-number", "10000042", "network-address", "7",
                "connection-id", lers_connection_get_id (connection), NULL);
  ck_assert (lers_store_save_device_sync (store, device, NULL, &error));
  g_object_set (point, "title", "Отопление", "device-id", lers_device_get_id (device), NULL);
  ck_assert (lers_store_save_measure_point_sync (store, point, NULL, &error));

  seen.sessions = g_ptr_array_new_with_free_func (g_object_unref);
  g_signal_connect (poller, "link-session", G_CALLBACK (link_session_cb), &seen);
  ck_assert (lers_gprs_server_listen (server, "127.0.0.1", 0, &error));
  lers_poller_watch_gprs_server (poller, server);
  while (!lers_gprs_server_has_modem (server, "356938035643809"))
    g_main_context_iteration (NULL, TRUE);
  modem_call (&done, lers_gprs_server_get_port (server), "356938035643809",
              lers_check_get_sim_port ());
  while (!done || seen.sessions->len == 0)
    g_main_context_iteration (NULL, TRUE);
  ck_assert_uint_eq (seen.sessions->len, 1);
  session = g_ptr_array_index (seen.sessions, 0);
  ck_assert_int_eq (lers_link_session_get_connection_id (session),
                    lers_connection_get_id (connection));
  ck_assert_str_eq (lers_link_session_get_modem_identity (session), "356938035643809");
  ck_assert_str_eq (lers_link_session_get_end_reason (session), "done");
  ck_assert_uint_gt (lers_link_session_get_bytes_in (session), 0);
  ck_assert_uint_gt (lers_link_session_get_bytes_out (session), 0);
  seen_clear (&seen);
  lers_gprs_server_stop (server);
}
END_TEST

/* the model on its own: JSON as the API shows it */
START_TEST (test_link_session_json)
{
  g_autoptr (GDateTime) started = g_date_time_new_utc (2026, 11, 24, 2, 0, 0);
  g_autoptr (GDateTime) ended = g_date_time_new_utc (2026, 11, 24, 2, 0, 42);
  g_autoptr (LersLinkSession) session = lers_link_session_new (2, started);
  g_autoptr (GTimeZone) zone = g_time_zone_new_identifier ("+10:00");
  g_autoptr (GString) out = g_string_new (NULL);

  lers_link_session_set_ended (session, ended);
  lers_link_session_set_bytes (session, 1200, 96);
  lers_link_session_set_signal_level (session, -79);
  lers_link_session_set_sim_id (session, "8970101234567890123");
  lers_link_session_append_json (session, out, zone);
  /* written out by hand: 12:00+10:00 is 02:00Z, 42 s later */
  ck_assert_str_eq (out->str, "{\"id\":0,\"connection_id\":2,\"service_id\":null,"
                              "\"started\":\"2026-11-24T12:00:00+10:00\","
                              "\"ended\":\"2026-11-24T12:00:42+10:00\",\"duration\":42,"
                              "\"bytes_in\":1200,\"bytes_out\":96,\"end_reason\":\"done\","
                              "\"error\":null,\"signal_level\":-79,\"firmware\":null,"
                              "\"sim_id\":\"8970101234567890123\",\"modem_identity\":null}");
}
END_TEST

int
main (int argc, char **argv)
{
  Suite *s = suite_create ("link-session");
  TCase *tc = tcase_create ("link-session");
  TCase *model = tcase_create ("model");

  lers_check_init (&argc, &argv);
  tcase_set_timeout (tc, 60);
  tcase_add_unchecked_fixture (tc, lers_check_cluster_setup, lers_check_cluster_teardown);
  tcase_add_checked_fixture (tc, lers_check_sim_setup, lers_check_sim_teardown);
  tcase_add_test (tc, test_link_session_tcp);
  tcase_add_test (tc, test_link_session_refused);
  tcase_add_test (tc, test_link_session_cancelled);
  tcase_add_test (tc, test_link_session_garbage);
  tcase_add_test (tc, test_link_session_gprs);
  tcase_add_test (model, test_link_session_json);
  suite_add_tcase (s, model);
  suite_add_tcase (s, tc);
  return lers_check_run_suite (s);
}
