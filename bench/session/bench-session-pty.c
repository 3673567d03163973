/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* A full archive read over a serial line at 9600 baud 8E1, against the time
 * the line itself needs.
 *
 * The line is a pseudo-terminal pair (openpty()). Our side is what the
 * poller runs: LersSerialTransport on the slave at 9600 8E1 (the speed
 * checked with tcgetattr; a Linux pty does not keep parity bits), the
 * plugin's M-Bus session opened on it (SND_NKE -> E5), the whole hour
 * archive the simulated meter keeps (62 days = 1,488 hours by default,
 * about 280 telegrams chained by DIF 1F, REQ_UD2 -> RSP_UD each), the
 * session closed, the transport closed. Timed: all of it, wall clock.
 *
 * The meter is the plugin's LersMbusSimulator, in a thread of its own with
 * its own main context, serving one end of a socketpair. A pty moves bytes
 * as fast as the kernel copies them, so a pacing thread stands between the
 * socketpair and the pty's master side and gives the line its speed, both
 * ways, on an absolute schedule (clock_nanosleep(TIMER_ABSTIME) on
 * CLOCK_MONOTONIC, so sleeps do not add up to drift):
 *   - a request the driver writes reaches the meter when its last byte has
 *     come down the line: n x 11 bits / 9600 baud after the line is free;
 *   - the meter's answer goes to the driver in chunks of 8 bytes (a UART
 *     FIFO's usual trigger level; LERS_BENCH_CHUNK to change), each
 *     written when its last byte would have arrived: the first chunk 8 x
 *     1.146 ms after the answer starts, the next 8 x 1.146 ms later, and
 *     so on;
 *   - the answer starts no sooner than the meter's answer delay (50 ms)
 *     after its request arrived: the pacer holds it that long, as
 *     `lers-sim --answer-delay-ms` would (the simulator's own timer runs on
 *     the global default main context, not on its thread's).
 *
 * Reference: the time the line needs for what was exchanged, i.e. the
 * bytes both ways as the transport counted them (lers_transport_get_bytes_
 * sent + _received; the pacer's own counts must agree) x 11 bits (start, 8
 * data, even parity, stop) / 9600 baud, plus the answer delay x the number
 * of answers (E5 and each RSP_UD). ratio = wall / (wire + delays); goal
 * <= 1.1. What is above 1.0 is ours: the transport's thread hand-offs, the
 * frame scanner, the session's decoding and the main loop's latency between
 * an answer and the next request, plus the simulator's work and the
 * pacer's own wake-ups. To tell them apart, the program then makes the
 * same round trips again over the same paced line and meter with plain
 * write() and poll()/read() on the slave and nothing of ours, and prints
 * that run's ratio as the floor of the method (the bytes and answers must
 * come out equal to our session's).
 *
 * Environment: LERS_BENCH_QUICK=1 reads a week of hours (168) instead of
 * 62 days; LERS_BENCH_DELAY_MS (default 50) the answer delay;
 * LERS_BENCH_CHUNK (default 8) the pacer's chunk. */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <lers.h>
#include <poll.h>
#include <pty.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <termios.h>
#include <time.h>
#include <unistd.h>

#include "bench-session-farm.h"

#define BAUD 9600
#define BITS_A_CHAR 11 /* 8E1: start, 8 data, parity, stop */

/* ---- the pacing thread ---------------------------------------------------- */

typedef struct
{
  int master;  /* the pty's master: the driver is on the slave */
  int meter;   /* our end of the socketpair the simulator serves */
  int stop[2]; /* a pipe: written to end the thread */
  guint chunk; /* bytes a write towards the driver */
  gint64 char_ns;
  gint64 delay_ns; /* held here when the simulator cannot delay itself */
  GThread *thread;
  /* counted by the thread, read after it ended */
  guint64 to_meter;
  guint64 to_driver;
  guint answers;
  gchar *failure;
} Pacer;

static gint64
now_ns (void)
{
  struct timespec ts;

  clock_gettime (CLOCK_MONOTONIC, &ts);
  return (gint64) ts.tv_sec * G_GINT64_CONSTANT (1000000000) + ts.tv_nsec;
}

static void
sleep_until_ns (gint64 t)
{
  struct timespec ts = { (time_t) (t / 1000000000), (long) (t % 1000000000) };

  while (clock_nanosleep (CLOCK_MONOTONIC, TIMER_ABSTIME, &ts, NULL) == EINTR)
    ;
}

static gboolean
write_all (int fd, const guint8 *data, gsize len)
{
  while (len > 0)
    {
      ssize_t n = write (fd, data, len);

      if (n < 0 && errno == EINTR)
        continue;
      if (n <= 0)
        return FALSE;
      data += n;
      len -= (gsize) n;
    }
  return TRUE;
}

static gpointer
pacer_main (gpointer data)
{
  Pacer *p = data;
  guint8 buf[4096];
  gint64 in_free = 0, out_free = 0, request_end = 0;
  gboolean request_pending = FALSE;

  for (;;)
    {
      struct pollfd fds[3] = {
        { p->master, POLLIN, 0 },
        { p->meter, POLLIN, 0 },
        { p->stop[0], POLLIN, 0 },
      };
      ssize_t n;

      if (poll (fds, 3, -1) < 0)
        {
          if (errno == EINTR)
            continue;
          p->failure = g_strdup_printf ("poll: %s", g_strerror (errno));
          break;
        }
      if (fds[2].revents != 0)
        break;
      if (fds[0].revents & (POLLIN | POLLHUP | POLLERR))
        {
          /* the driver's request, down the line to the meter */
          n = read (p->master, buf, sizeof buf);
          if (n <= 0)
            {
              if (n < 0 && (errno == EINTR || errno == EAGAIN))
                continue;
              p->failure
                  = g_strdup_printf ("pty master: %s", n == 0 ? "closed" : g_strerror (errno));
              break;
            }
          in_free = MAX (in_free, now_ns ()) + n * p->char_ns;
          sleep_until_ns (in_free);
          if (!write_all (p->meter, buf, (gsize) n))
            {
              p->failure = g_strdup_printf ("to the meter: %s", g_strerror (errno));
              break;
            }
          p->to_meter += (guint64) n;
          request_end = in_free;
          request_pending = TRUE;
        }
      if (fds[1].revents & (POLLIN | POLLHUP | POLLERR))
        {
          gint64 start;

          /* the meter's answer, up the line to the driver */
          n = read (p->meter, buf, sizeof buf);
          if (n <= 0)
            {
              if (n < 0 && (errno == EINTR || errno == EAGAIN))
                continue;
              p->failure = g_strdup_printf ("meter: %s", n == 0 ? "hung up" : g_strerror (errno));
              break;
            }
          start = now_ns ();
          if (request_pending)
            {
              p->answers++;
              request_pending = FALSE;
              start = MAX (start, request_end + p->delay_ns);
            }
          out_free = MAX (out_free, start);
          for (gsize off = 0; off < (gsize) n; off += p->chunk)
            {
              gsize c = MIN (p->chunk, (gsize) n - off);

              out_free += (gint64) c * p->char_ns;
              sleep_until_ns (out_free);
              if (!write_all (p->master, buf + off, c))
                {
                  p->failure = g_strdup_printf ("pty master: %s", g_strerror (errno));
                  return NULL;
                }
            }
          p->to_driver += (guint64) n;
        }
    }
  return NULL;
}

static void
pacer_start (Pacer *p)
{
  p->to_meter = p->to_driver = 0;
  p->answers = 0;
  p->thread = g_thread_new ("bench-pacer", pacer_main, p);
}

static void
pacer_stop (Pacer *p)
{
  guint8 byte;

  if (write (p->stop[1], "", 1) != 1)
    bench_session_die ("pipe", g_strerror (errno));
  g_thread_join (p->thread);
  if (read (p->stop[0], &byte, 1) != 1)
    bench_session_die ("pipe", g_strerror (errno));
  if (p->failure != NULL)
    bench_session_die ("pacer", p->failure);
}

/* the line carried what the reader counted */
static void
pacer_check (Pacer *p, const gchar *who, guint64 sent, guint64 received)
{
  if (p->to_meter != sent || p->to_driver != received)
    {
      g_autofree gchar *msg = g_strdup_printf (
          "%s counted %" G_GUINT64_FORMAT " bytes sent and %" G_GUINT64_FORMAT
          " received, the line carried %" G_GUINT64_FORMAT " and %" G_GUINT64_FORMAT,
          who, sent, received, p->to_meter, p->to_driver);
      bench_session_die ("byte counts", msg);
    }
}

/* ---- the simulated meter, in its thread ----------------------------------- */

typedef struct
{
  LersDeviceSimulator *sim;
  int fd;
  GSocketConnection *connection;
  GCancellable *cancellable;
  GError *error;
} Meter;

static void
meter_served_cb (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr (GError) error = NULL;

  /* ends when the benchmark cancels it */
  lers_device_simulator_serve_finish (LERS_DEVICE_SIMULATOR (source), result, &error);
}

static gboolean
meter_start_cb (gpointer data)
{
  Meter *m = data;
  g_autoptr (GSocket) socket = g_socket_new_from_fd (m->fd, &m->error);

  if (socket == NULL)
    return G_SOURCE_REMOVE;
  m->connection = g_socket_connection_factory_create_connection (socket);
  m->cancellable = g_cancellable_new ();
  lers_device_simulator_serve_async (m->sim, G_IO_STREAM (m->connection), m->cancellable,
                                     meter_served_cb, NULL);
  return G_SOURCE_REMOVE;
}

static gboolean
meter_stop_cb (gpointer data)
{
  Meter *m = data;

  g_cancellable_cancel (m->cancellable);
  return G_SOURCE_REMOVE;
}

/* ---- our side: what the poller does ---------------------------------------- */

static LersTransport *
line_new (const gchar *path)
{
  LersTransport *line = lers_serial_transport_new (path);
  LersSerialTransport *serial = LERS_SERIAL_TRANSPORT (line);
  g_autoptr (GError) error = NULL;

  if (!lers_serial_transport_set_baud_rate (serial, BAUD, &error))
    bench_session_die ("baud rate", error->message);
  lers_serial_transport_set_data_bits (serial, 8);
  lers_serial_transport_set_parity (serial, LERS_PARITY_EVEN);
  lers_serial_transport_set_stop_bits (serial, 1);
  return line;
}

static void
check_line (int slave)
{
  struct termios t;

  if (tcgetattr (slave, &t) != 0)
    bench_session_die ("tcgetattr", g_strerror (errno));
  /* Linux's pty driver keeps the speed but always reports 8 bits without
   * parity (pty_set_termios), so only the speed can be checked here */
  if (cfgetospeed (&t) != B9600 || cfgetispeed (&t) != B9600)
    bench_session_die ("line settings", "the serial transport did not set 9600 baud");
}

/* The floor of the method: the same round trips as our session made
 * (SND_NKE, then @requests - 1 REQ_UD2 with the FCB toggled), with plain
 * write() and poll()/read() on the slave and nothing of ours; seconds. */
static gdouble
raw_replay (int fd, guint8 address, guint requests, guint64 *sent, guint64 *received)
{
  gint64 t0 = g_get_monotonic_time ();

  *sent = *received = 0;
  for (guint i = 0; i < requests; i++)
    {
      g_autoptr (GBytes) request = bench_mbus_short_frame (i == 0  ? 0x40
                                                           : i % 2 ? 0x7B
                                                                   : 0x5B,
                                                           address);
      guint8 buf[512];
      gsize have = 0;
      gssize frame = 0;

      if (!write_all (fd, g_bytes_get_data (request, NULL), g_bytes_get_size (request)))
        bench_session_die ("raw write", g_strerror (errno));
      *sent += g_bytes_get_size (request);
      while (frame == 0)
        {
          struct pollfd pfd = { fd, POLLIN, 0 };
          ssize_t n;

          if (poll (&pfd, 1, 5000) <= 0)
            bench_session_die ("raw read", "no answer within 5 s");
          n = read (fd, buf + have, sizeof buf - have);
          if (n <= 0)
            bench_session_die ("raw read", n == 0 ? "closed" : g_strerror (errno));
          have += (gsize) n;
          frame = bench_mbus_scan (buf, have, NULL);
          if (frame == 0 && have == sizeof buf)
            frame = -1;
        }
      if (frame < 0 || (gsize) frame != have || buf[0] != (i == 0 ? 0xE5 : 0x68))
        bench_session_die ("raw read", "not the answer expected");
      *received += have;
    }
  return (gdouble) (g_get_monotonic_time () - t0) / G_USEC_PER_SEC;
}

int
main (int argc, char **argv)
{
  gboolean quick = g_strcmp0 (g_getenv ("LERS_BENCH_QUICK"), "1") == 0;
  const gchar *delay_env = g_getenv ("LERS_BENCH_DELAY_MS");
  const gchar *chunk_env = g_getenv ("LERS_BENCH_CHUNK");
  guint delay_ms = delay_env != NULL ? (guint) g_ascii_strtoull (delay_env, NULL, 10) : 50;
  guint depth = quick ? 168 : 0;
  g_autoptr (LersEngine) engine = NULL;
  g_autoptr (LersDeviceDriver) driver = NULL;
  g_autoptr (LersDeviceSimulator) sim = NULL;
  g_autoptr (LersTransport) line = NULL;
  g_autoptr (LersDevice) device = NULL;
  g_autoptr (LersDeviceSession) session = NULL;
  g_autoptr (GPtrArray) records = NULL;
  g_autoptr (GDateTime) now = NULL;
  g_autoptr (GDateTime) from = NULL;
  g_autoptr (GDateTime) to = NULL;
  g_autoptr (GError) error = NULL;
  struct termios raw;
  char slave_path[256];
  int master, slave, pair[2];
  BenchSimThread *thread;
  Pacer pacer = { 0 };
  Meter meter = { 0 };
  guint64 sent, received, raw_sent, raw_received;
  gdouble wall, raw_wall, wire, delays;
  guint answers;
  gint64 t0, t1;
  guint n_hours;

  g_set_prgname ("bench-session-pty");
  engine = lers_engine_new ();
  driver = lers_engine_get_device_driver (engine, "mbus", &error);
  if (driver == NULL)
    bench_session_die ("mbus driver", error->message);
  sim = lers_engine_create_device_simulator (engine, "mbus", "30000001", 7, 42, &error);
  if (sim == NULL)
    bench_session_die ("mbus simulator", error->message);
  if (depth != 0)
    g_object_set (sim, "archive-depth", depth, NULL);
  g_object_get (sim, "archive-depth", &n_hours, NULL);
  g_object_set (sim, "clock-zone", "UTC", NULL);
  /* The simulator's own answer-delay-ms arms its timer with g_timeout_add(),
   * on the global default context, which this program's meter thread and
   * the sync calls of the main thread never run: the pacer holds the
   * answers instead, on the line, where a meter's reply latency is seen. */
  g_object_set (sim, "answer-delay-ms", 0u, NULL);

  /* the line: raw from the start, so nothing is echoed before we open it */
  memset (&raw, 0, sizeof raw);
  cfmakeraw (&raw);
  if (openpty (&master, &slave, slave_path, &raw, NULL) != 0)
    bench_session_die ("openpty", g_strerror (errno));
  if (socketpair (AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, pair) != 0 || pipe (pacer.stop) != 0)
    bench_session_die ("socketpair", g_strerror (errno));

  pacer.master = master;
  pacer.meter = pair[0];
  pacer.chunk = chunk_env != NULL ? MAX (1, (guint) g_ascii_strtoull (chunk_env, NULL, 10)) : 8;
  pacer.char_ns = (gint64) BITS_A_CHAR * 1000000000 / BAUD;
  pacer.delay_ns = (gint64) delay_ms * 1000000;
  pacer_start (&pacer);

  meter.sim = sim;
  meter.fd = pair[1];
  thread = bench_sim_thread_new ();
  bench_sim_thread_invoke (thread, meter_start_cb, &meter);
  if (meter.error != NULL)
    bench_session_die ("socketpair", meter.error->message);

  /* every hour the meter keeps, and a day more than it keeps: the driver
   * stops at the last telegram */
  now = g_date_time_new_now_utc ();
  to = g_date_time_add_hours (now, 1);
  from = g_date_time_add_hours (now, -(gint) n_hours - 24);
  device = bench_mbus_device_new ("30000001", 7);

  t0 = g_get_monotonic_time ();
  line = line_new (slave_path);
  if (!lers_transport_open_sync (line, NULL, &error))
    bench_session_die ("open the line", error->message);
  check_line (slave);
  session = lers_device_driver_open_session_sync (driver, line, device, NULL, &error);
  if (session == NULL)
    bench_session_die ("open the session", error->message);
  records = lers_device_session_read_archive_sync (session, LERS_ARCHIVE_KIND_HOUR, from, to, NULL,
                                                   NULL, &error);
  if (records == NULL)
    bench_session_die ("read the hour archive", error->message);
  if (!lers_device_session_close_sync (session, NULL, &error))
    bench_session_die ("close the session", error->message);
  sent = lers_transport_get_bytes_sent (line);
  received = lers_transport_get_bytes_received (line);
  if (!lers_transport_close_sync (line, NULL, &error))
    bench_session_die ("close the line", error->message);
  t1 = g_get_monotonic_time ();

  pacer_stop (&pacer);
  pacer_check (&pacer, "the transport", sent, received);
  answers = pacer.answers;
  if (sent % 5 != 0 || sent < 10)
    bench_session_die ("requests", "our session sent more than SND_NKE and REQ_UD2s");

  /* the same round trips without us, on the same line and meter */
  pacer_start (&pacer);
  raw_wall = raw_replay (slave, 7, (guint) (sent / 5), &raw_sent, &raw_received);
  pacer_stop (&pacer);
  pacer_check (&pacer, "the plain reader", raw_sent, raw_received);
  if (raw_sent != sent || raw_received != received || pacer.answers != answers)
    bench_session_die ("plain reader", "it did not exchange what our session did");

  bench_sim_thread_invoke (thread, meter_stop_cb, &meter);
  bench_sim_thread_free (thread);
  g_clear_object (&meter.connection);
  g_clear_object (&meter.cancellable);

  /* hour records of the archive, one a (hour, channel): at least all but
   * the oldest hour, whose start register the meter no longer keeps */
  if (records->len + 1 < n_hours)
    {
      g_autofree gchar *msg
          = g_strdup_printf ("%u records for %u hours kept", records->len, n_hours);
      bench_session_die ("hour archive", msg);
    }

  wall = (gdouble) (t1 - t0) / G_USEC_PER_SEC;
  wire = (gdouble) (sent + received) * BITS_A_CHAR / BAUD;
  delays = (gdouble) answers * delay_ms / 1000.0;
  g_print ("session-pty: M-Bus hour archive over a pseudo-terminal at %u baud 8E1 "
           "(paced: %u bits a byte, %u-byte chunks), answer delay %u ms\n",
           BAUD, BITS_A_CHAR, pacer.chunk, delay_ms);
  g_print ("  read %u hour records of the %u hours the meter keeps; %u answers; %" G_GUINT64_FORMAT
           " bytes sent, %" G_GUINT64_FORMAT " received\n",
           records->len, n_hours, answers, sent, received);
  g_print ("  wall (open line, open session, read, close both): %.3f s\n", wall);
  g_print ("  reference: wire %.3f s (%" G_GUINT64_FORMAT " bytes x %u bits / %u baud) "
           "+ delays %.3f s (%u x %u ms) = %.3f s\n",
           wire, sent + received, BITS_A_CHAR, BAUD, delays, answers, delay_ms, wire + delays);
  g_print ("  floor of the method: the same %" G_GUINT64_FORMAT " round trips with plain "
           "write()/read() on the slave: %.3f s, ratio %.3f\n",
           sent / 5, raw_wall, raw_wall / (wire + delays));
  g_print ("  ratio = wall / (wire + delays) = %.3f (goal <= 1.1)\n", wall / (wire + delays));

  close (master);
  close (slave);
  close (pair[0]);
  close (pacer.stop[0]);
  close (pacer.stop[1]);
  g_free (pacer.failure);
  return EXIT_SUCCESS;
}
