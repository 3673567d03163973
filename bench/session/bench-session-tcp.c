/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Device sessions per second over loopback TCP: 1,000 simulated M-Bus
 * meters, each on its own port, read by one main loop (the poller's one
 * thread), 64 sessions at a time, until every meter has been read once.
 *
 * A session is what the poller does for one device: LersTcpTransport open
 * (connect), lers_device_driver_open_session (SND_NKE -> E5), current
 * values (REQ_UD2 -> RSP_UD, decoded into records), session close,
 * transport close.
 *
 * Reference, in the same program against the same meters: the same round
 * trips with plain GIO and nothing of ours on the reading side
 * (GSocketClient connect, write SND_NKE, read E5, then as many REQ_UD2
 * with the FCB toggled as our session sent to that meter, each RSP_UD read
 * whole by its length field, close), with the same concurrency on the same
 * main loop; the bytes exchanged must come out equal. The figure is
 * ratio = ours / reference in sessions per second (1.0 = the transport and
 * session layers cost nothing over raw sockets).
 *
 * The meters are the plugin's LersMbusSimulator objects, each on a
 * GSocketService of its own (as lers-sim serves them), served from a thread of
 * their own so that the main thread is the poller alone; RLIMIT_NOFILE is
 * raised to its hard limit for the ~1,150 descriptors. Ours and the
 * reference run alternately three times each, in turns; the best of each is
 * compared, since the machine may be shared.
 *
 * Environment: LERS_BENCH_QUICK=1 for 100 meters, one round;
 * LERS_BENCH_METERS and LERS_BENCH_CONCURRENCY override the counts. */
#include "config.h"

#include <lers.h>
#include <stdio.h>
#include <stdlib.h>

#include "bench-session-farm.h"

/* 2024-01-02T10:30:00Z */
#define BENCH_CLOCK_TIME G_GINT64_CONSTANT (1704191400)

typedef struct
{
  guint n;
  LersDeviceSimulator **sims;
  gchar **serials;
  guint *addresses;
  guint16 *ports;
  /* the requests our session sent to each meter (all 5-byte short
   * frames: SND_NKE, then REQ_UD2s), which the reference repeats */
  guint *requests;
  GSocketService **services;
  GCancellable *cancellable;
  GError *error;
} Farm;

static void
farm_served_cb (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr (GSocketConnection) connection = user_data;
  g_autoptr (GError) error = NULL;

  /* the reader hanging up ends a serve; nothing to count */
  lers_device_simulator_serve_finish (LERS_DEVICE_SIMULATOR (source), result, &error);
}

static gboolean
farm_incoming_cb (GSocketService *service, GSocketConnection *connection, GObject *source_object,
                  gpointer user_data)
{
  Farm *farm = user_data;

  lers_device_simulator_serve_async (LERS_DEVICE_SIMULATOR (source_object),
                                     G_IO_STREAM (connection), farm->cancellable, farm_served_cb,
                                     g_object_ref (connection));
  return TRUE;
}

/* in the simulators' thread; a service a meter, as lers-sim has: one
 * service listening on 1,000 sockets re-arms all of them after each
 * accept, which would cost more than the sessions measured */
static gboolean
farm_start_cb (gpointer data)
{
  Farm *farm = data;
  g_autoptr (GInetAddress) loopback = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4);

  farm->services = g_new0 (GSocketService *, farm->n);
  farm->cancellable = g_cancellable_new ();
  for (guint i = 0; i < farm->n; i++)
    {
      g_autoptr (GSocketAddress) address = g_inet_socket_address_new (loopback, 0);
      g_autoptr (GSocketAddress) effective = NULL;

      farm->services[i] = g_socket_service_new ();
      if (!g_socket_listener_add_address (G_SOCKET_LISTENER (farm->services[i]), address,
                                          G_SOCKET_TYPE_STREAM, G_SOCKET_PROTOCOL_TCP,
                                          G_OBJECT (farm->sims[i]), &effective, &farm->error))
        return G_SOURCE_REMOVE;
      farm->ports[i] = g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (effective));
      g_signal_connect (farm->services[i], "incoming", G_CALLBACK (farm_incoming_cb), farm);
      g_socket_service_start (farm->services[i]);
    }
  return G_SOURCE_REMOVE;
}

static gboolean
farm_stop_cb (gpointer data)
{
  Farm *farm = data;

  g_cancellable_cancel (farm->cancellable);
  for (guint i = 0; i < farm->n && farm->services != NULL; i++)
    {
      if (farm->services[i] == NULL)
        continue;
      g_socket_service_stop (farm->services[i]);
      g_socket_listener_close (G_SOCKET_LISTENER (farm->services[i]));
      g_clear_object (&farm->services[i]);
    }
  g_clear_pointer (&farm->services, g_free);
  return G_SOURCE_REMOVE;
}

/* ---- the poller side: one main loop, bounded concurrency ----------------- */

typedef struct
{
  Farm *farm;
  LersDeviceDriver *driver;
  gboolean raw;
  guint concurrency;
  guint next;
  guint running;
  guint done;
  guint failed;
  guint64 records;
  guint64 bytes;
  GError *first_error;
  GMainLoop *loop;
} Run;

typedef struct
{
  Run *run;
  guint i;
  /* ours */
  LersTransport *transport;
  LersDevice *device;
  LersDeviceSession *session;
  /* the reference */
  GSocketClient *client;
  GSocketConnection *connection;
  GBytes *request;
  guint8 buf[512];
  gsize have;
  guint step;
} Job;

static void launch (Run *run);

static void
job_done (Job *job, GError *error)
{
  Run *run = job->run;

  if (error != NULL)
    {
      run->failed++;
      if (run->first_error == NULL)
        run->first_error = g_error_copy (error);
    }
  g_clear_object (&job->session);
  g_clear_object (&job->device);
  g_clear_object (&job->transport);
  g_clear_object (&job->connection);
  g_clear_object (&job->client);
  g_clear_pointer (&job->request, g_bytes_unref);
  g_free (job);
  run->running--;
  run->done++;
  if (run->done == run->farm->n)
    g_main_loop_quit (run->loop);
  else
    launch (run);
}

/* ours */

static void
transport_closed_cb (GObject *source, GAsyncResult *result, gpointer user_data)
{
  Job *job = user_data;
  g_autoptr (GError) error = NULL;

  guint64 sent = lers_transport_get_bytes_sent (job->transport);

  lers_transport_close_finish (LERS_TRANSPORT (source), result, &error);
  job->run->bytes += sent + lers_transport_get_bytes_received (job->transport);
  if (error == NULL && (sent % 5 != 0 || sent < 10))
    error = g_error_new (LERS_ERROR, LERS_ERROR_FAILED,
                         "meter %s: %" G_GUINT64_FORMAT " bytes sent, not SND_NKE and REQ_UD2s",
                         job->run->farm->serials[job->i], sent);
  job->run->farm->requests[job->i] = (guint) (sent / 5);
  job_done (job, error);
}

static void
session_closed_cb (GObject *source, GAsyncResult *result, gpointer user_data)
{
  Job *job = user_data;
  g_autoptr (GError) error = NULL;

  if (!lers_device_session_close_finish (LERS_DEVICE_SESSION (source), result, &error))
    {
      job_done (job, error);
      return;
    }
  lers_transport_close_async (job->transport, NULL, transport_closed_cb, job);
}

static void
current_read_cb (GObject *source, GAsyncResult *result, gpointer user_data)
{
  Job *job = user_data;
  g_autoptr (GError) error = NULL;
  g_autoptr (GPtrArray) records
      = lers_device_session_read_archive_finish (LERS_DEVICE_SESSION (source), result, &error);

  if (records == NULL)
    {
      job_done (job, error);
      return;
    }
  if (records->len == 0)
    {
      g_autoptr (GError) none
          = g_error_new (LERS_ERROR, LERS_ERROR_FAILED, "meter %s: no current values",
                         job->run->farm->serials[job->i]);
      job_done (job, none);
      return;
    }
  job->run->records += records->len;
  lers_device_session_close_async (job->session, NULL, session_closed_cb, job);
}

static void
session_opened_cb (GObject *source, GAsyncResult *result, gpointer user_data)
{
  Job *job = user_data;
  g_autoptr (GError) error = NULL;

  job->session
      = lers_device_driver_open_session_finish (LERS_DEVICE_DRIVER (source), result, &error);
  if (job->session == NULL)
    {
      job_done (job, error);
      return;
    }
  lers_device_session_read_archive_async (job->session, LERS_ARCHIVE_KIND_CURRENT, NULL, NULL, NULL,
                                          NULL, current_read_cb, job);
}

static void
transport_opened_cb (GObject *source, GAsyncResult *result, gpointer user_data)
{
  Job *job = user_data;
  g_autoptr (GError) error = NULL;

  if (!lers_transport_open_finish (LERS_TRANSPORT (source), result, &error))
    {
      job_done (job, error);
      return;
    }
  lers_device_driver_open_session_async (job->run->driver, job->transport, job->device, NULL,
                                         session_opened_cb, job);
}

/* the reference: plain GIO */

static void raw_send (Job *job);

static void
raw_closed_cb (GObject *source, GAsyncResult *result, gpointer user_data)
{
  Job *job = user_data;
  g_autoptr (GError) error = NULL;

  g_io_stream_close_finish (G_IO_STREAM (source), result, &error);
  job_done (job, error);
}

static void
raw_read_cb (GObject *source, GAsyncResult *result, gpointer user_data)
{
  Job *job = user_data;
  g_autoptr (GError) error = NULL;
  gssize n = g_input_stream_read_finish (G_INPUT_STREAM (source), result, &error);
  gssize frame;

  if (n <= 0)
    {
      if (error == NULL)
        error = g_error_new (LERS_ERROR, LERS_ERROR_CONNECTION, "meter %s hung up",
                             job->run->farm->serials[job->i]);
      job_done (job, error);
      return;
    }
  job->have += (gsize) n;
  job->run->bytes += (guint64) n;
  frame = bench_mbus_scan (job->buf, job->have, NULL);
  if (frame == 0 && job->have < sizeof job->buf)
    {
      g_input_stream_read_async (g_io_stream_get_input_stream (G_IO_STREAM (job->connection)),
                                 job->buf + job->have, sizeof job->buf - job->have,
                                 G_PRIORITY_DEFAULT, NULL, raw_read_cb, job);
      return;
    }
  if (frame <= 0 || job->buf[0] != (job->step == 0 ? 0xE5 : 0x68))
    {
      error = g_error_new (LERS_ERROR, LERS_ERROR_INVALID_DATA, "meter %s: unexpected answer",
                           job->run->farm->serials[job->i]);
      job_done (job, error);
      return;
    }
  if (++job->step < job->run->farm->requests[job->i])
    {
      raw_send (job);
      return;
    }
  g_io_stream_close_async (G_IO_STREAM (job->connection), G_PRIORITY_DEFAULT, NULL, raw_closed_cb,
                           job);
}

static void
raw_written_cb (GObject *source, GAsyncResult *result, gpointer user_data)
{
  Job *job = user_data;
  g_autoptr (GError) error = NULL;

  if (!g_output_stream_write_all_finish (G_OUTPUT_STREAM (source), result, NULL, &error))
    {
      job_done (job, error);
      return;
    }
  job->have = 0;
  g_input_stream_read_async (g_io_stream_get_input_stream (G_IO_STREAM (job->connection)), job->buf,
                             sizeof job->buf, G_PRIORITY_DEFAULT, NULL, raw_read_cb, job);
}

static void
raw_send (Job *job)
{
  guint8 a = (guint8) job->run->farm->addresses[job->i];

  g_clear_pointer (&job->request, g_bytes_unref);
  /* SND_NKE, then REQ_UD2s, FCB = 1 for the first after the reset and
   * toggled for each next telegram */
  job->request = bench_mbus_short_frame (job->step == 0 ? 0x40 : job->step % 2 ? 0x7B : 0x5B, a);
  job->run->bytes += g_bytes_get_size (job->request);
  g_output_stream_write_all_async (g_io_stream_get_output_stream (G_IO_STREAM (job->connection)),
                                   g_bytes_get_data (job->request, NULL),
                                   g_bytes_get_size (job->request), G_PRIORITY_DEFAULT, NULL,
                                   raw_written_cb, job);
}

static void
raw_connected_cb (GObject *source, GAsyncResult *result, gpointer user_data)
{
  Job *job = user_data;
  g_autoptr (GError) error = NULL;

  job->connection
      = g_socket_client_connect_to_host_finish (G_SOCKET_CLIENT (source), result, &error);
  if (job->connection == NULL)
    {
      job_done (job, error);
      return;
    }
  raw_send (job);
}

static void
launch (Run *run)
{
  while (run->running < run->concurrency && run->next < run->farm->n)
    {
      Job *job = g_new0 (Job, 1);
      Farm *farm = run->farm;

      job->run = run;
      job->i = run->next++;
      run->running++;
      if (run->raw)
        {
          /* as LersTcpTransport makes its connection */
          job->client = g_socket_client_new ();
          g_socket_client_set_enable_proxy (job->client, FALSE);
          g_socket_client_connect_to_host_async (job->client, "127.0.0.1", farm->ports[job->i],
                                                 NULL, raw_connected_cb, job);
        }
      else
        {
          job->transport = lers_tcp_transport_new ("127.0.0.1", farm->ports[job->i]);
          job->device = bench_mbus_device_new (farm->serials[job->i], farm->addresses[job->i]);
          lers_transport_open_async (job->transport, NULL, transport_opened_cb, job);
        }
    }
}

/* seconds for one session with each meter */
static gdouble
run_all (Farm *farm, LersDeviceDriver *driver, gboolean raw, guint concurrency, guint64 *records,
         guint64 *bytes)
{
  g_autoptr (GMainLoop) loop = g_main_loop_new (NULL, FALSE);
  Run run = { farm, driver, raw, concurrency };
  gint64 t0, t1;

  run.loop = loop;
  t0 = g_get_monotonic_time ();
  launch (&run);
  g_main_loop_run (loop);
  t1 = g_get_monotonic_time ();
  if (run.failed > 0)
    {
      g_autofree gchar *what = g_strdup_printf ("%s: %u of %u sessions failed, the first",
                                                raw ? "reference" : "ours", run.failed, farm->n);
      bench_session_die (what, run.first_error->message);
    }
  *records = run.records;
  *bytes = run.bytes;
  return (gdouble) (t1 - t0) / G_USEC_PER_SEC;
}

static guint
env_uint (const gchar *name, guint fallback)
{
  const gchar *text = g_getenv (name);

  return text != NULL && *text != '\0' ? (guint) g_ascii_strtoull (text, NULL, 10) : fallback;
}

int
main (int argc, char **argv)
{
  gboolean quick = g_strcmp0 (g_getenv ("LERS_BENCH_QUICK"), "1") == 0;
  guint n = env_uint ("LERS_BENCH_METERS", quick ? 100 : 1000);
  guint concurrency = env_uint ("LERS_BENCH_CONCURRENCY", 64);
  guint rounds = quick ? 1 : 3;
  g_autoptr (LersEngine) engine = NULL;
  g_autoptr (LersDeviceDriver) driver = NULL;
  g_autoptr (GError) error = NULL;
  BenchSimThread *thread;
  Farm farm = { 0 };
  gdouble best_ours = G_MAXDOUBLE, best_raw = G_MAXDOUBLE;
  guint64 fd_limit;

  g_set_prgname ("bench-session-tcp");
  if (n == 0 || concurrency == 0)
    bench_session_die ("arguments", "LERS_BENCH_METERS and LERS_BENCH_CONCURRENCY must be > 0");
  fd_limit = bench_raise_fd_limit ();
  if (fd_limit < (guint64) n + 2 * concurrency + 64)
    bench_session_die ("RLIMIT_NOFILE", "the hard limit is too low for the meters");

  engine = lers_engine_new ();
  driver = lers_engine_get_device_driver (engine, "mbus", &error);
  if (driver == NULL)
    bench_session_die ("mbus driver", error->message);

  farm.n = n;
  farm.sims = g_new0 (LersDeviceSimulator *, n);
  farm.serials = g_new0 (gchar *, n + 1);
  farm.addresses = g_new0 (guint, n);
  farm.ports = g_new0 (guint16, n);
  farm.requests = g_new0 (guint, n);
  for (guint i = 0; i < n; i++)
    {
      farm.serials[i] = g_strdup_printf ("%08u", 20000000 + i);
      farm.addresses[i] = i % 250 + 1;
      farm.sims[i] = lers_engine_create_device_simulator (engine, "mbus", farm.serials[i],
                                                          farm.addresses[i], i + 1, &error);
      if (farm.sims[i] == NULL)
        bench_session_die ("mbus simulator", error->message);
      /* a day of archive at a fixed time a day and a half after the meter's
       * epoch: the simulator rebuilds its registers from the epoch for
       * each readout, which would otherwise be most of the time measured */
      g_object_set (farm.sims[i], "archive-depth", 24u, "clock-time", BENCH_CLOCK_TIME, NULL);
    }
  thread = bench_sim_thread_new ();
  bench_sim_thread_invoke (thread, farm_start_cb, &farm);
  if (farm.error != NULL)
    bench_session_die ("listen", farm.error->message);

  g_print ("session-tcp: %u simulated M-Bus meters on loopback TCP (a thread of their own), "
           "one poller main loop, %u sessions at a time, RLIMIT_NOFILE %" G_GUINT64_FORMAT "\n",
           n, concurrency, fd_limit);
  for (guint r = 0; r < rounds; r++)
    {
      guint64 records = 0, bytes = 0, raw_bytes, raw_records;
      gdouble ours = 0.0, raw;

      /* ours first in the first round (the reference repeats its round
       * trips), then alternately, so neither always meets a warm cache */
      if (r % 2 == 0)
        ours = run_all (&farm, driver, FALSE, concurrency, &records, &bytes);
      raw = run_all (&farm, driver, TRUE, concurrency, &raw_records, &raw_bytes);
      if (r % 2 == 1)
        ours = run_all (&farm, driver, FALSE, concurrency, &records, &bytes);
      g_print ("  round %u: ours %.3f s (%.0f sessions/s, %" G_GUINT64_FORMAT
               " records, %" G_GUINT64_FORMAT
               " bytes), reference %.3f s (%.0f sessions/s, %" G_GUINT64_FORMAT " bytes)\n",
               r + 1, ours, n / ours, records, bytes, raw, n / raw, raw_bytes);
      if (raw_bytes != bytes)
        bench_session_die ("reference", "it did not exchange the same bytes as our sessions");
      best_ours = MIN (best_ours, ours);
      best_raw = MIN (best_raw, raw);
    }
  g_print ("  ours (LersTcpTransport + M-Bus session: connect, SND_NKE, current values, close): "
           "%.0f sessions/s\n",
           n / best_ours);
  g_print ("  reference (plain GIO, the same round trips: connect, SND_NKE/E5, REQ_UD2/RSP_UD..., "
           "close): %.0f sessions/s\n",
           n / best_raw);
  g_print ("  ratio = ours / reference = %.2f (best of %u each)\n", best_raw / best_ours, rounds);

  bench_sim_thread_invoke (thread, farm_stop_cb, &farm);
  bench_sim_thread_free (thread);
  for (guint i = 0; i < n; i++)
    g_object_unref (farm.sims[i]);
  g_free (farm.sims);
  g_strfreev (farm.serials);
  g_free (farm.addresses);
  g_free (farm.ports);
  g_free (farm.requests);
  g_clear_object (&farm.cancellable);
  return EXIT_SUCCESS;
}
