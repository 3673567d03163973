/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Bus ownership seen from outside: the poller reaches simulated M-Bus
 * meters through a small TCP proxy of the test's own that counts the
 * connections it accepts, how many are open at once, and the SND_NKE
 * frames (10 40 A CS 16) sent towards the meters. */
#include <check.h>
#include <lers.h>
#include <sys/socket.h>

#include "lers-check.h"
#include "poll/lers-poller-private.h"

/* ---- the counting proxy ---- */

typedef struct _Proxy Proxy;

typedef struct
{
  Proxy *proxy;
  GSocketConnection *down; /* the poller's side */
  GSocketConnection *up;   /* the meters' side */
  guint8 buf_down[4096];
  guint8 buf_up[4096];
  guint n_running; /* directions still pumping */
  gboolean closed; /* counted as closed */
} Pipe;

struct _Proxy
{
  GSocketService *service;
  guint16 port;
  guint16 upstream_port;
  guint n_accepted;
  guint n_open;
  guint peak;
  GByteArray *to_meters;
  GPtrArray *pipes; /* open ones */
  void (*on_accept) (Proxy *proxy, gpointer data);
  gpointer on_accept_data;
};

static void
pipe_mark_closed (Pipe *pipe)
{
  if (pipe->closed)
    return;
  pipe->closed = TRUE;
  if (pipe->proxy == NULL)
    return; /* the proxy was stopped */
  pipe->proxy->n_open--;
  g_ptr_array_remove (pipe->proxy->pipes, pipe);
}

static void
pipe_direction_ended (Pipe *pipe)
{
  pipe_mark_closed (pipe);
  g_io_stream_close (G_IO_STREAM (pipe->down), NULL, NULL);
  g_io_stream_close (G_IO_STREAM (pipe->up), NULL, NULL);
  if (--pipe->n_running > 0)
    return;
  g_object_unref (pipe->down);
  g_object_unref (pipe->up);
  g_free (pipe);
}

static void pump_down (Pipe *pipe);
static void pump_up (Pipe *pipe);

static void
wrote_up_cb (GObject *source, GAsyncResult *result, gpointer user_data)
{
  Pipe *pipe = user_data;

  if (!g_output_stream_write_all_finish (G_OUTPUT_STREAM (source), result, NULL, NULL))
    {
      pipe_direction_ended (pipe);
      return;
    }
  pump_down (pipe);
}

static void
read_down_cb (GObject *source, GAsyncResult *result, gpointer user_data)
{
  Pipe *pipe = user_data;
  gssize n = g_input_stream_read_finish (G_INPUT_STREAM (source), result, NULL);

  if (n <= 0)
    {
      pipe_direction_ended (pipe);
      return;
    }
  if (pipe->proxy != NULL)
    g_byte_array_append (pipe->proxy->to_meters, pipe->buf_down, (guint) n);
  g_output_stream_write_all_async (g_io_stream_get_output_stream (G_IO_STREAM (pipe->up)),
                                   pipe->buf_down, (gsize) n, G_PRIORITY_DEFAULT, NULL, wrote_up_cb,
                                   pipe);
}

static void
pump_down (Pipe *pipe)
{
  g_input_stream_read_async (g_io_stream_get_input_stream (G_IO_STREAM (pipe->down)),
                             pipe->buf_down, sizeof pipe->buf_down, G_PRIORITY_DEFAULT, NULL,
                             read_down_cb, pipe);
}

static void
wrote_down_cb (GObject *source, GAsyncResult *result, gpointer user_data)
{
  Pipe *pipe = user_data;

  if (!g_output_stream_write_all_finish (G_OUTPUT_STREAM (source), result, NULL, NULL))
    {
      pipe_direction_ended (pipe);
      return;
    }
  pump_up (pipe);
}

static void
read_up_cb (GObject *source, GAsyncResult *result, gpointer user_data)
{
  Pipe *pipe = user_data;
  gssize n = g_input_stream_read_finish (G_INPUT_STREAM (source), result, NULL);

  if (n <= 0)
    {
      pipe_direction_ended (pipe);
      return;
    }
  g_output_stream_write_all_async (g_io_stream_get_output_stream (G_IO_STREAM (pipe->down)),
                                   pipe->buf_up, (gsize) n, G_PRIORITY_DEFAULT, NULL, wrote_down_cb,
                                   pipe);
}

static void
pump_up (Pipe *pipe)
{
  g_input_stream_read_async (g_io_stream_get_input_stream (G_IO_STREAM (pipe->up)), pipe->buf_up,
                             sizeof pipe->buf_up, G_PRIORITY_DEFAULT, NULL, read_up_cb, pipe);
}

/* a client that hung up before the next one connected was not open at the
 * same time, even if the main loop has not read its end yet */
static void
proxy_reap_hung_up (Proxy *proxy)
{
  for (guint i = proxy->pipes->len; i > 0; i--)
    {
      Pipe *pipe = g_ptr_array_index (proxy->pipes, i - 1);
      gint fd = g_socket_get_fd (g_socket_connection_get_socket (pipe->down));
      gchar c;

      if (recv (fd, &c, 1, MSG_PEEK | MSG_DONTWAIT) == 0)
        pipe_mark_closed (pipe);
    }
}

static gboolean
proxy_incoming_cb (GSocketService *service, GSocketConnection *connection, GObject *source,
                   gpointer user_data)
{
  Proxy *proxy = user_data;
  g_autoptr (GSocketClient) client = g_socket_client_new ();
  g_autoptr (GError) error = NULL;
  Pipe *pipe = g_new0 (Pipe, 1);

  /* loopback only: no proxy resolver (libproxy can block for long) */
  g_socket_client_set_enable_proxy (client, FALSE);
  proxy_reap_hung_up (proxy);
  proxy->n_accepted++;
  proxy->n_open++;
  proxy->peak = MAX (proxy->peak, proxy->n_open);
  pipe->proxy = proxy;
  pipe->down = g_object_ref (connection);
  pipe->up
      = g_socket_client_connect_to_host (client, "127.0.0.1", proxy->upstream_port, NULL, &error);
  ck_assert_msg (pipe->up != NULL, "%s", error ? error->message : "");
  pipe->n_running = 2;
  g_ptr_array_add (proxy->pipes, pipe);
  pump_down (pipe);
  pump_up (pipe);
  if (proxy->on_accept != NULL)
    proxy->on_accept (proxy, proxy->on_accept_data);
  return TRUE;
}

static void
proxy_start (Proxy *proxy, guint16 upstream_port)
{
  g_autoptr (GError) error = NULL;

  memset (proxy, 0, sizeof *proxy);
  proxy->upstream_port = upstream_port;
  proxy->to_meters = g_byte_array_new ();
  proxy->pipes = g_ptr_array_new ();
  proxy->service = g_socket_service_new ();
  proxy->port
      = g_socket_listener_add_any_inet_port (G_SOCKET_LISTENER (proxy->service), NULL, &error);
  ck_assert_uint_ne (proxy->port, 0);
  g_signal_connect (proxy->service, "incoming", G_CALLBACK (proxy_incoming_cb), proxy);
  g_socket_service_start (proxy->service);
}

static void
proxy_stop (Proxy *proxy)
{
  /* pipes still open end on their own later: they must not count in a
   * proxy that no longer exists */
  for (guint i = 0; i < proxy->pipes->len; i++)
    {
      Pipe *pipe = g_ptr_array_index (proxy->pipes, i);
      pipe->closed = TRUE;
      pipe->proxy = NULL;
      g_io_stream_close (G_IO_STREAM (pipe->down), NULL, NULL);
      g_io_stream_close (G_IO_STREAM (pipe->up), NULL, NULL);
    }
  g_socket_service_stop (proxy->service);
  g_socket_listener_close (G_SOCKET_LISTENER (proxy->service));
  g_clear_object (&proxy->service);
  g_byte_array_unref (proxy->to_meters);
  g_ptr_array_unref (proxy->pipes);
}

/* SND_NKE is the short frame 10 40 A CS 16 with CS = 0x40 + A (EN 13757-2) */
static guint
proxy_count_snd_nke (Proxy *proxy)
{
  const guint8 *b = proxy->to_meters->data;
  guint n = 0;

  for (guint i = 0; i + 5 <= proxy->to_meters->len; i++)
    if (b[i] == 0x10 && b[i + 1] == 0x40 && b[i + 3] == (guint8) (0x40 + b[i + 2])
        && b[i + 4] == 0x16)
      n++;
  return n;
}

/* ---- the database ---- */

static gint64
add_connection (guint16 port)
{
  g_autoptr (LersConnection) connection = lers_connection_new ();
  g_autoptr (GError) error = NULL;

  g_object_set (connection, "host", "127.0.0.1", "port", (guint) port, "timeout", 5, NULL);
  ck_assert_msg (
      lers_store_save_connection_sync (lers_check_get_store (), connection, NULL, &error), "%s",
      error ? error->message : "");
  return lers_connection_get_id (connection);
}

static gint64
add_device (gint64 connection_id, const gchar *serial, guint address)
{
  g_autoptr (LersDevice) device = lers_device_new ();
  g_autofree gchar *network_address = g_strdup_printf ("%u", address);
  g_autoptr (GError) error = NULL;

  g_object_set (device, "protocol", "mbus", "serial-number", serial, "network-address",
                network_address, "connection-id", connection_id, NULL);
  ck_assert_msg (lers_store_save_device_sync (lers_check_get_store (), device, NULL, &error), "%s",
                 error ? error->message : "");
  return lers_device_get_id (device);
}

static gint64
add_point (gint64 device_id, guint channel, const gchar *title)
{
  g_autoptr (LersNode) node = lers_node_new ();
  g_autoptr (LersMeasurePoint) point = lers_measure_point_new ();
  g_autoptr (GError) error = NULL;

  lers_node_set_title (node, title);
  ck_assert (lers_store_save_node_sync (lers_check_get_store (), node, NULL, &error));
  g_object_set (point, "title", title, "node-id", lers_node_get_id (node), "device-id", device_id,
                "channel", channel, NULL);
  ck_assert_msg (lers_store_save_measure_point_sync (lers_check_get_store (), point, NULL, &error),
                 "%s", error ? error->message : "");
  return lers_measure_point_get_id (point);
}

static gint64
count_rows (gint64 point_id)
{
  g_autofree gchar *sql = g_strdup_printf (
      "SELECT count(*) FROM archive WHERE point_id = %" G_GINT64_FORMAT " AND kind = %d", point_id,
      (gint) LERS_ARCHIVE_KIND_HOUR);
  return lers_check_sql_int (sql);
}

/* ---- reads ---- */

typedef struct
{
  guint n_pending;
  GMainLoop *loop;
} Reads;

typedef struct
{
  Reads *reads;
  gint n;
  GError *error;
} Read;

static void
read_cb (GObject *source, GAsyncResult *result, gpointer user_data)
{
  Read *read = user_data;

  read->n = lers_poller_read_point_finish (LERS_POLLER (source), result, &read->error);
  if (--read->reads->n_pending == 0)
    g_main_loop_quit (read->reads->loop);
}

static void
connection_read_cb (GObject *source, GAsyncResult *result, gpointer user_data)
{
  Read *read = user_data;

  read->n = lers_poller_read_connection_finish (LERS_POLLER (source), result, &read->error);
  if (--read->reads->n_pending == 0)
    g_main_loop_quit (read->reads->loop);
}

static void
got_result_cb (GObject *source, GAsyncResult *result, gpointer user_data)
{
  *(GAsyncResult **) user_data = g_object_ref (result);
}

static GAsyncResult *
wait_result (GAsyncResult **slot)
{
  while (*slot == NULL)
    g_main_context_iteration (NULL, TRUE);
  return *slot;
}

static gboolean
timed_out_cb (gpointer user_data)
{
  ck_abort_msg ("the reads did not finish in 60 s");
  return G_SOURCE_REMOVE;
}

static void
run_reads (Reads *reads)
{
  guint timeout = g_timeout_add_seconds (60, timed_out_cb, NULL);

  if (reads->n_pending > 0)
    g_main_loop_run (reads->loop);
  g_source_remove (timeout);
}

static GPtrArray *
records_of (gint64 point_id, GDateTime *from, GDateTime *to)
{
  g_autoptr (GError) error = NULL;
  GPtrArray *records = lers_check_query_records (lers_check_get_store (), point_id,
                                                 LERS_ARCHIVE_KIND_HOUR, from, to, NULL, &error);
  ck_assert_msg (records != NULL, "%s", error ? error->message : "");
  return records;
}

/* (a) two points on one two-circuit meter, asked for at once: one
 * connection, one SND_NKE, each point with its own circuit's values */
START_TEST (test_two_channels_one_session)
{
  g_autoptr (LersEngine) engine = lers_engine_new ();
  g_autoptr (LersPoller) poller = lers_poller_new (lers_check_get_store (), engine);
  g_autoptr (GMainLoop) loop = g_main_loop_new (NULL, FALSE);
  g_autoptr (GDateTime) to = lers_check_this_hour ();
  g_autoptr (GDateTime) from = g_date_time_add_hours (to, -48);
  g_autoptr (GPtrArray) circuit1 = NULL;
  g_autoptr (GPtrArray) circuit2 = NULL;
  g_autoptr (LersTransport) direct = NULL;
  g_autoptr (LersDeviceDriver) driver = NULL;
  g_autoptr (LersDevice) device = NULL;
  g_autoptr (LersDeviceSession) session = NULL;
  g_autoptr (GPtrArray) reference = NULL;
  g_autoptr (GError) error = NULL;
  GAsyncResult *result = NULL;
  LersCheckSim sim;
  Proxy proxy;
  Reads reads = { 2, loop };
  Read a = { &reads }, b = { &reads };
  gint64 device_id, p0, p1;
  guint n_differ = 0;

  lers_check_sim_start (&sim, engine, "mbus", "20000001", 7, 11);
  g_object_set (sim.simulator, "circuits", 2, NULL);
  proxy_start (&proxy, sim.port);
  device_id = add_device (add_connection (proxy.port), "20000001", 7);
  p0 = add_point (device_id, 0, "Контур 1");
  p1 = add_point (device_id, 1, "Контур 2");

  lers_poller_read_point_async (poller, p0, LERS_ARCHIVE_KIND_HOUR, from, to, NULL, NULL, read_cb,
                                &a);
  lers_poller_read_point_async (poller, p1, LERS_ARCHIVE_KIND_HOUR, from, to, NULL, NULL, read_cb,
                                &b);
  run_reads (&reads);
  lers_check_assert_no_error (a.error);
  lers_check_assert_no_error (b.error);
  ck_assert_int_eq (a.n, 48);
  ck_assert_int_eq (b.n, 48);
  ck_assert_uint_eq (proxy.n_accepted, 1);
  ck_assert_uint_eq (proxy.peak, 1);
  ck_assert_uint_eq (proxy_count_snd_nke (&proxy), 1);
  ck_assert_int_eq (count_rows (p0), 48);
  ck_assert_int_eq (count_rows (p1), 48);

  /* the values per channel: circuit 2 of the meter, read by the driver
   * straight from the simulator (not through the poller), is what the
   * second point holds, and it is not circuit 1 */
  circuit1 = records_of (p0, from, to);
  circuit2 = records_of (p1, from, to);
  driver = lers_engine_get_device_driver (engine, "mbus", &error);
  ck_assert_ptr_nonnull (driver);
  device = lers_device_new ();
  g_object_set (device, "protocol", "mbus", "network-address", "7", NULL);
  lers_device_set_effective_clock_zone (device, g_time_zone_new_local ());
  direct = lers_tcp_transport_new ("127.0.0.1", sim.port);
  /* the simulator runs in this thread's main context: the async forms */
  lers_transport_open_async (direct, NULL, got_result_cb, &result);
  ck_assert (lers_transport_open_finish (direct, wait_result (&result), &error));
  g_clear_object (&result);
  lers_device_driver_open_session_async (driver, direct, device, NULL, got_result_cb, &result);
  session = lers_device_driver_open_session_finish (driver, wait_result (&result), &error);
  lers_check_assert_no_error (error);
  g_clear_object (&result);
  lers_device_session_read_archive_async (session, LERS_ARCHIVE_KIND_HOUR, from, to, NULL, NULL,
                                          got_result_cb, &result);
  reference = lers_device_session_read_archive_finish (session, wait_result (&result), &error);
  lers_check_assert_no_error (error);
  g_clear_object (&result);
  lers_device_session_close_async (session, NULL, got_result_cb, &result);
  lers_device_session_close_finish (session, wait_result (&result), NULL);
  g_clear_object (&result);
  lers_transport_close_async (direct, NULL, got_result_cb, &result);
  lers_transport_close_finish (direct, wait_result (&result), NULL);
  g_clear_object (&result);
  ck_assert_uint_eq (reference->len, 96);
  for (guint i = 0; i < 48; i++)
    {
      LersRecord *r0 = g_ptr_array_index (circuit1, i);
      LersRecord *r1 = g_ptr_array_index (circuit2, i);
      gdouble q0, q1;
      guint seen = 0;

      ck_assert (lers_record_get_value (r0, LERS_PARAMETER_Q_IN, &q0, NULL));
      ck_assert (lers_record_get_value (r1, LERS_PARAMETER_Q_IN, &q1, NULL));
      n_differ += q0 != q1;
      for (guint j = 0; j < reference->len; j++)
        {
          LersRecord *ref = g_ptr_array_index (reference, j);
          gdouble q;

          if (!g_date_time_equal (lers_record_get_timestamp (ref), lers_record_get_timestamp (r0)))
            continue;
          ck_assert (lers_record_get_value (ref, LERS_PARAMETER_Q_IN, &q, NULL));
          ck_assert_double_eq_tol (q, lers_record_get_channel (ref) == 0 ? q0 : q1, 1e-9);
          seen++;
        }
      ck_assert_uint_eq (seen, 2);
    }
  /* two seeds: the circuits' hours differ (a swap or a copy would not) */
  ck_assert_uint_gt (n_differ, 40);
  proxy_stop (&proxy);
  lers_check_sim_stop (&sim);
}
END_TEST

/* (b) twenty meters behind one gateway port, twenty points at once: one
 * connection, never two open, rows for every point */
START_TEST (test_gateway_one_hold)
{
  g_autoptr (LersEngine) engine = lers_engine_new ();
  g_autoptr (LersPoller) poller = lers_poller_new (lers_check_get_store (), engine);
  g_autoptr (GMainLoop) loop = g_main_loop_new (NULL, FALSE);
  g_autoptr (GDateTime) to = lers_check_this_hour ();
  g_autoptr (GDateTime) from = g_date_time_add_hours (to, -24);
  g_autoptr (GPtrArray) members = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr (GHashTable) first_q = g_hash_table_new (g_double_hash, g_double_equal);
  gdouble q_values[20];
  LersCheckSim sim;
  Proxy proxy;
  Reads reads = { 20, loop };
  Read read[20];
  gint64 points[20];
  gint64 connection_id;

  lers_check_sim_start (&sim, engine, "mbus", "30000001", 1, 101);
  g_ptr_array_add (members, g_object_ref (sim.simulator));
  for (guint i = 1; i < 20; i++)
    {
      g_autofree gchar *serial = g_strdup_printf ("%08u", 30000001 + i);
      g_autoptr (GError) error = NULL;
      LersDeviceSimulator *member
          = lers_engine_create_device_simulator (engine, "mbus", serial, i + 1, 101 + i, &error);
      ck_assert_msg (member != NULL, "%s", error ? error->message : "");
      g_ptr_array_add (members, member);
    }
  g_object_set (sim.simulator, "bus-members", members, NULL);
  proxy_start (&proxy, sim.port);
  connection_id = add_connection (proxy.port);
  for (guint i = 0; i < 20; i++)
    {
      g_autofree gchar *serial = g_strdup_printf ("%08u", 30000001 + i);
      g_autofree gchar *title = g_strdup_printf ("Дом %u", i + 1);
      points[i] = add_point (add_device (connection_id, serial, i + 1), 0, title);
    }
  for (guint i = 0; i < 20; i++)
    {
      read[i] = (Read){ &reads, 0, NULL };
      lers_poller_read_point_async (poller, points[i], LERS_ARCHIVE_KIND_HOUR, from, to, NULL, NULL,
                                    read_cb, &read[i]);
    }
  run_reads (&reads);
  for (guint i = 0; i < 20; i++)
    {
      g_autoptr (GPtrArray) records = NULL;

      lers_check_assert_no_error (read[i].error);
      ck_assert_int_eq (read[i].n, 24);
      ck_assert_int_eq (count_rows (points[i]), 24);
      records = records_of (points[i], from, to);
      ck_assert (lers_record_get_value (g_ptr_array_index (records, 0), LERS_PARAMETER_Q_IN,
                                        &q_values[i], NULL));
      g_hash_table_add (first_q, &q_values[i]);
    }
  /* each point got its own meter's data: twenty seeds, twenty values */
  ck_assert_uint_eq (g_hash_table_size (first_q), 20);
  ck_assert_uint_eq (proxy.n_accepted, 1);
  ck_assert_uint_eq (proxy.peak, 1);
  ck_assert_uint_eq (lers_poller_get_n_holds (poller), 1);
  /* one SND_NKE a meter */
  ck_assert_uint_eq (proxy_count_snd_nke (&proxy), 20);
  proxy_stop (&proxy);
  lers_check_sim_stop (&sim);
}
END_TEST

typedef struct
{
  LersPoller *poller;
  gint64 point_id;
  GDateTime *from;
  GDateTime *to;
  Read *read;
  guint accepted_at_start;
} Late;

static void
late_read_on_accept (Proxy *proxy, gpointer data)
{
  Late *late = data;

  /* the first hold has just connected: ask for the other meter now */
  if (proxy->n_accepted != 1)
    return;
  late->accepted_at_start = proxy->n_accepted;
  lers_poller_read_point_async (late->poller, late->point_id, LERS_ARCHIVE_KIND_HOUR, late->from,
                                late->to, NULL, NULL, read_cb, late->read);
}

/* (c) a read asked for while the link is held waits, then is served on
 * a connection of its own after the first is closed */
START_TEST (test_second_read_waits)
{
  g_autoptr (LersEngine) engine = lers_engine_new ();
  g_autoptr (LersPoller) poller = lers_poller_new (lers_check_get_store (), engine);
  g_autoptr (GMainLoop) loop = g_main_loop_new (NULL, FALSE);
  g_autoptr (GDateTime) to = lers_check_this_hour ();
  g_autoptr (GDateTime) from = g_date_time_add_hours (to, -24);
  g_autoptr (GPtrArray) members = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr (GError) error = NULL;
  LersCheckSim sim;
  Proxy proxy;
  Reads reads = { 2, loop };
  Read first = { &reads }, second = { &reads };
  Late late = { 0 };
  gint64 connection_id, p1, p2;

  lers_check_sim_start (&sim, engine, "mbus", "40000001", 1, 201);
  g_ptr_array_add (members, g_object_ref (sim.simulator));
  g_ptr_array_add (
      members, lers_engine_create_device_simulator (engine, "mbus", "40000002", 2, 202, &error));
  lers_check_assert_no_error (error);
  g_object_set (sim.simulator, "bus-members", members, "answer-delay-ms", 20, NULL);
  g_object_set (g_ptr_array_index (members, 1), "answer-delay-ms", 20, NULL);
  proxy_start (&proxy, sim.port);
  connection_id = add_connection (proxy.port);
  p1 = add_point (add_device (connection_id, "40000001", 1), 0, "Дом 1");
  p2 = add_point (add_device (connection_id, "40000002", 2), 0, "Дом 2");

  late = (Late){ poller, p2, from, to, &second, 0 };
  proxy.on_accept = late_read_on_accept;
  proxy.on_accept_data = &late;
  lers_poller_read_point_async (poller, p1, LERS_ARCHIVE_KIND_HOUR, from, to, NULL, NULL, read_cb,
                                &first);
  run_reads (&reads);
  lers_check_assert_no_error (first.error);
  lers_check_assert_no_error (second.error);
  ck_assert_uint_eq (late.accepted_at_start, 1);
  ck_assert_int_eq (first.n, 24);
  ck_assert_int_eq (second.n, 24);
  ck_assert_int_eq (count_rows (p1), 24);
  ck_assert_int_eq (count_rows (p2), 24);
  /* served after the first hold, never beside it */
  ck_assert_uint_eq (proxy.n_accepted, 2);
  ck_assert_uint_eq (proxy.peak, 1);
  ck_assert_uint_eq (lers_poller_get_n_holds (poller), 2);
  proxy_stop (&proxy);
  lers_check_sim_stop (&sim);
}
END_TEST

/* every point behind a link, asked for as one: one connection; a point of
 * the device that nobody asked for is written from the same session */
START_TEST (test_read_connection)
{
  g_autoptr (LersEngine) engine = lers_engine_new ();
  g_autoptr (LersPoller) poller = lers_poller_new (lers_check_get_store (), engine);
  g_autoptr (GPtrArray) members = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr (LersProgress) progress = lers_progress_new ();
  g_autoptr (GDateTime) to = lers_check_this_hour ();
  g_autoptr (GDateTime) from = g_date_time_add_hours (to, -24);
  g_autoptr (GMainLoop) loop = g_main_loop_new (NULL, FALSE);
  g_autoptr (GError) error = NULL;
  LersCheckSim sim;
  Proxy proxy;
  Reads reads = { 1, loop };
  Read one = { &reads };
  gint64 connection_id, d1, p1, p1_copy, p2, p3;
  gint n;

  lers_check_sim_start (&sim, engine, "mbus", "50000001", 1, 301);
  g_ptr_array_add (members, g_object_ref (sim.simulator));
  for (guint i = 1; i < 3; i++)
    {
      g_autofree gchar *serial = g_strdup_printf ("%08u", 50000001 + i);
      g_ptr_array_add (members, lers_engine_create_device_simulator (engine, "mbus", serial, i + 1,
                                                                     301 + i, &error));
      lers_check_assert_no_error (error);
    }
  g_object_set (sim.simulator, "bus-members", members, NULL);
  proxy_start (&proxy, sim.port);
  connection_id = add_connection (proxy.port);
  d1 = add_device (connection_id, "50000001", 1);
  p1 = add_point (d1, 0, "Дом 1");
  p1_copy = add_point (d1, 0, "Дом 1, общедомовой");
  p2 = add_point (add_device (connection_id, "50000002", 2), 0, "Дом 2");
  p3 = add_point (add_device (connection_id, "50000003", 3), 0, "Дом 3");

  /* one point asked for: its device's other point gets the same rows */
  lers_poller_read_point_async (poller, p1, LERS_ARCHIVE_KIND_HOUR, from, to, NULL, NULL, read_cb,
                                &one);
  run_reads (&reads);
  lers_check_assert_no_error (one.error);
  ck_assert_int_eq (one.n, 24);
  ck_assert_int_eq (count_rows (p1), 24);
  ck_assert_int_eq (count_rows (p1_copy), 24);
  ck_assert_int_eq (count_rows (p2), 0);
  ck_assert_uint_eq (proxy.n_accepted, 1);

  /* the whole link: p1 goes on from its stored hour (nothing new), the
   * others were never read and get the last week, 7 × 24 = 168 each */
  reads.n_pending = 1;
  one = (Read){ &reads };
  lers_poller_read_connection_async (poller, connection_id, LERS_ARCHIVE_KIND_HOUR, progress, NULL,
                                     connection_read_cb, &one);
  run_reads (&reads);
  lers_check_assert_no_error (one.error);
  ck_assert_int_eq (one.n, 2 * 168);
  ck_assert_int_eq (count_rows (p2), 168);
  ck_assert_int_eq (count_rows (p3), 168);
  ck_assert_int_eq (count_rows (p1), 24);
  ck_assert_uint_eq (proxy.n_accepted, 2);
  ck_assert_uint_eq (proxy.peak, 1);
  ck_assert_double_eq (lers_progress_get_fraction (progress), 1.0);

  /* an unknown link has no points: nothing read, nothing stored (no
   * simulator is needed for that, so the blocking form can be used) */
  n = lers_poller_read_connection_sync (poller, 999999, LERS_ARCHIVE_KIND_HOUR, NULL, NULL, &error);
  lers_check_assert_no_error (error);
  ck_assert_int_eq (n, 0);
  ck_assert_uint_eq (proxy.n_accepted, 2);
  proxy_stop (&proxy);
  lers_check_sim_stop (&sim);
}
END_TEST

int
main (int argc, char **argv)
{
  Suite *s = suite_create ("bus");
  TCase *tc = tcase_create ("bus");

  lers_check_init (&argc, &argv);
  tcase_set_timeout (tc, 120);
  tcase_add_unchecked_fixture (tc, lers_check_cluster_setup, lers_check_cluster_teardown);
  tcase_add_checked_fixture (tc, lers_check_store_setup, lers_check_store_teardown);
  tcase_add_test (tc, test_two_channels_one_session);
  tcase_add_test (tc, test_gateway_one_hold);
  tcase_add_test (tc, test_second_read_waits);
  tcase_add_test (tc, test_read_connection);
  suite_add_tcase (s, tc);
  return lers_check_run_suite (s);
}
