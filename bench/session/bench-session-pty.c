/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* A month's archive read over a serial line at the device's default speed,
 * against the time the line itself needs; for any device plugin.
 *
 *   bench-session-pty --protocol=P [--model=M] [--days=31] [--kind=hour]
 *
 * The line is a pseudo-terminal pair (openpty()). Our side is what the
 * poller runs: a LersSerialTransport on the slave with no speed or format
 * of ours, the plugin's session opened on it (the driver sets its protocol's
 * usual line with lers_transport_set_line_default()), the archive of @kind
 * for the @days before the simulated meter's clock read, the session
 * closed, the transport closed. Timed: all of it, wall clock.
 *
 * The meter is the plugin's simulator (lers_engine_create_device_simulator,
 * as lers-sim makes it: serial 1000xxxx, address 1, unless told), its clock
 * fixed by its `clock-time` property (2026-11-01T00:00Z: 31 days back is
 * October), in a thread of its own with its own main context, serving one
 * end of a socketpair. A pty moves bytes as fast as the kernel copies them,
 * so a pacing thread (bench-pty-line.c) stands between the socketpair and
 * the pty's master side and gives the line its speed, both ways, on an
 * absolute schedule (clock_nanosleep(TIMER_ABSTIME) on CLOCK_MONOTONIC, so
 * sleeps do not add up to drift):
 *   - the line's format is read back from the slave at each request and
 *     each answer: speed and stop bits with tcgetattr(); a Linux pty reports
 *     every line as 8 data bits without parity (pty_set_termios()), so the
 *     data bits and parity are those the driver asked the transport for
 *     (its notify::data-bits and ::parity). bits a char = 1 start + data +
 *     parity + stop;
 *   - a request the driver writes reaches the meter when its last byte has
 *     come down the line: n x bits / baud after the line is free;
 *   - the meter's answer goes to the driver in chunks of 8 bytes (a UART
 *     FIFO's usual trigger level; LERS_BENCH_CHUNK to change), each
 *     written when its last byte would have arrived;
 *   - the answer starts no sooner than the meter's answer delay (50 ms)
 *     after its request arrived: the pacer holds it that long (the
 *     simulator's own answer-delay-ms is set to 0: its timer may run on a
 *     context this program's meter thread does not iterate).
 *
 * Reference: the time the line needs for what was exchanged, i.e. every
 * byte both ways (the transport's lers_transport_get_bytes_sent +
 * _received; the pacer's counts must agree) x its bits a char / baud, plus
 * the answer delay x the number of answers. ratio = wall / (wire + delays);
 * goal <= 1.2 (issue 16). What is above 1.0 is ours: the transport's thread
 * hand-offs, the frame scanner, the session's decoding and the main loop's
 * latency between an answer and the next request, plus the simulator's work
 * and the pacer's own wake-ups. To tell them apart, the pacer records each
 * request and the length of its answer, and the program then sends the
 * same requests again over the same paced line and meter with plain write()
 * and poll()/read() on the slave and nothing of ours, and prints that run's
 * ratio as the floor of the method (the bytes and answers must come out
 * equal to our session's).
 *
 * `session-pty` (M-Bus, 62 days = the 1,488 hours its simulator keeps, at
 * 9600 8E1 set by --line, as this benchmark measured before it served every
 * plugin; the M-Bus driver's own default is 2400 8E1) and
 * `session-pty-P` for the Russian meters are its meson benchmarks.
 *
 * Environment: LERS_BENCH_QUICK=1 reads 7 days instead; LERS_BENCH_DELAY_MS
 * (default 50) the answer delay; LERS_BENCH_CHUNK (default 8) the pacer's
 * chunk. */
#include "config.h"

#include <errno.h>
#include <lers.h>
#include <locale.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "bench-pty-line.h"
#include "bench-session-farm.h"

#define CLOCK_TIME G_GINT64_CONSTANT (1793491200) /* 2026-11-01T00:00:00Z */

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

static void
framing_cb (GObject *object, GParamSpec *pspec, gpointer user_data)
{
  LersSerialTransport *serial = LERS_SERIAL_TRANSPORT (object);

  bench_pty_line_set_framing (user_data, lers_serial_transport_get_data_bits (serial),
                              lers_serial_transport_get_parity (serial));
}

/* the slave's termios against what the transport was told: the speed and
 * stop bits must agree (the pty keeps them) */
static gchar *
check_line (LersTransport *line, BenchPtyLine *pty, gboolean by_us)
{
  LersSerialTransport *serial = LERS_SERIAL_TRANSPORT (line);
  guint want = lers_serial_transport_get_baud_rate (serial);
  g_autofree gchar *asked = NULL;
  g_autofree gchar *seen = NULL;
  guint baud, data_bits, stop_bits;
  LersParity parity;

  if (want == 0)
    want = 9600; /* not chosen: the transport's default */
  if (!bench_pty_line_read_termios (pty, &baud, &data_bits, &parity, &stop_bits))
    bench_session_die ("tcgetattr", g_strerror (errno));
  asked = bench_pty_format_to_string (want, lers_serial_transport_get_data_bits (serial),
                                      lers_serial_transport_get_parity (serial),
                                      lers_serial_transport_get_stop_bits (serial));
  seen = bench_pty_format_to_string (baud, data_bits, parity, stop_bits);
  if (baud != want || stop_bits != lers_serial_transport_get_stop_bits (serial))
    bench_session_die ("line settings", "the pty does not have the speed the transport set");
  return g_strdup_printf ("%s %s, termios %s",
                          by_us ? "--line set"
                          : lers_transport_get_line_configured (line)
                              ? "the driver set"
                              : "NOT set by the driver, the transport's",
                          asked, seen);
}

/* --line=BAUD-8E1 */
static void
set_line (LersTransport *line, const gchar *text)
{
  g_autoptr (GError) error = NULL;
  guint baud, data_bits, stop_bits;
  char parity;

  if (sscanf (text, "%u-%1u%c%1u", &baud, &data_bits, &parity, &stop_bits) != 4
      || strchr ("NEO", parity) == NULL)
    bench_session_die ("--line", "BAUD-8E1 expected");
  if (!lers_transport_set_line (line, baud, data_bits,
                                parity == 'E'   ? LERS_PARITY_EVEN
                                : parity == 'O' ? LERS_PARITY_ODD
                                                : LERS_PARITY_NONE,
                                stop_bits, &error))
    bench_session_die ("--line", error->message);
}

static void
set_if_known (GObject *object, const gchar *name, ...)
{
  va_list ap;

  if (g_object_class_find_property (G_OBJECT_GET_CLASS (object), name) == NULL)
    return;
  va_start (ap, name);
  g_object_set_valist (object, name, ap);
  va_end (ap);
}

static LersDeviceSimulator *
simulator_new (LersEngine *engine, const gchar *protocol, const gchar *serial, guint address,
               guint seed, gchar **model, guint circuits, guint hours)
{
  g_autoptr (GError) error = NULL;
  LersDeviceSimulator *sim
      = lers_engine_create_device_simulator (engine, protocol, serial, address, seed, &error);
  GObject *object = G_OBJECT (sim);

  if (sim == NULL)
    bench_session_die ("simulator", error->message);
  if (*model != NULL)
    {
      g_autofree gchar *taken = NULL;

      if (g_object_class_find_property (G_OBJECT_GET_CLASS (object), "model") == NULL)
        bench_session_die ("--model", "the simulator has one model only");
      g_object_set (object, "model", *model, NULL);
      g_object_get (object, "model", &taken, NULL);
      if (g_strcmp0 (taken, *model) != 0)
        bench_session_die ("--model", "the simulator does not know that model");
    }
  else if (g_object_class_find_property (G_OBJECT_GET_CLASS (object), "model") != NULL)
    g_object_get (object, "model", model, NULL);
  if (circuits != 0)
    set_if_known (object, "circuits", circuits, NULL);
  /* the M-Bus meter keeps what we read, as before */
  set_if_known (object, "archive-depth", hours, NULL);
  set_if_known (object, "clock-zone", "UTC", NULL);
  set_if_known (object, "clock-time", CLOCK_TIME, NULL);
  set_if_known (object, "answer-delay-ms", 0u, NULL);
  return sim;
}

static LersDevice *
device_new (const gchar *protocol, const gchar *model, const gchar *serial, guint address,
            GStrv options)
{
  LersDevice *device = lers_device_new ();
  g_autofree gchar *text = g_strdup_printf ("%u", address);

  lers_device_set_protocol (device, protocol);
  lers_device_set_model (device, model);
  lers_device_set_serial_number (device, serial);
  lers_device_set_network_address (device, text);
  lers_device_set_clock_zone (device, "UTC");
  for (guint i = 0; options != NULL && options[i] != NULL; i++)
    {
      g_auto (GStrv) kv = g_strsplit (options[i], "=", 2);

      if (kv[1] == NULL)
        bench_session_die ("--option", "KEY=VALUE expected");
      lers_device_set_option (device, kv[0], kv[1]);
    }
  return device;
}

/* distinct record times */
static guint
count_periods (GPtrArray *records, guint *channels)
{
  g_autoptr (GHashTable) times = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, NULL);
  g_autoptr (GHashTable) chans = g_hash_table_new (NULL, NULL);

  for (guint i = 0; i < records->len; i++)
    {
      LersRecord *r = g_ptr_array_index (records, i);
      gint64 t = g_date_time_to_unix (lers_record_get_timestamp (r));

      if (!g_hash_table_contains (times, &t))
        g_hash_table_add (times, g_memdup2 (&t, sizeof t));
      g_hash_table_add (chans, GUINT_TO_POINTER (lers_record_get_channel (r) + 1));
    }
  *channels = g_hash_table_size (chans);
  return g_hash_table_size (times);
}

int
main (int argc, char **argv)
{
  gboolean quick = g_strcmp0 (g_getenv ("LERS_BENCH_QUICK"), "1") == 0;
  const gchar *delay_env = g_getenv ("LERS_BENCH_DELAY_MS");
  const gchar *chunk_env = g_getenv ("LERS_BENCH_CHUNK");
  guint delay_ms = delay_env != NULL ? (guint) g_ascii_strtoull (delay_env, NULL, 10) : 50;
  guint chunk = chunk_env != NULL ? MAX (1, (guint) g_ascii_strtoull (chunk_env, NULL, 10)) : 8;
  g_autofree gchar *protocol = NULL;
  g_autofree gchar *model = NULL;
  g_autofree gchar *kind_name = NULL;
  g_autofree gchar *serial = NULL;
  g_auto (GStrv) options = NULL;
  g_autofree gchar *line_text = NULL;
  gint days = 31, address = 1, seed = 42, circuits = 0;
  GOptionEntry entries[]
      = { { "protocol", 0, 0, G_OPTION_ARG_STRING, &protocol, "The device plugin (mbus)", "P" },
          { "model", 0, 0, G_OPTION_ARG_STRING, &model, "The model simulated (its default)", "M" },
          { "days", 0, 0, G_OPTION_ARG_INT, &days, "Days before the meter's clock read (31)", "N" },
          { "kind", 0, 0, G_OPTION_ARG_STRING, &kind_name, "Archive: hour, day or month", "K" },
          { "address", 0, 0, G_OPTION_ARG_INT, &address, "The meter's network address (1)", "A" },
          { "serial", 0, 0, G_OPTION_ARG_STRING, &serial, "Its serial number (1000xxxx)", "S" },
          { "seed", 0, 0, G_OPTION_ARG_INT, &seed, "The seed of its data (42)", "N" },
          { "circuits", 0, 0, G_OPTION_ARG_INT, &circuits, "Heat inputs simulated (its default)",
            "N" },
          { "line", 0, 0, G_OPTION_ARG_STRING, &line_text,
            "Set the line as a link's settings would (the driver's default then does not apply)",
            "9600-8E1" },
          { "option", 0, 0, G_OPTION_ARG_STRING_ARRAY, &options, "A device option", "KEY=VALUE" },
          G_OPTION_ENTRY_NULL };
  g_autoptr (GOptionContext) context = g_option_context_new ("- archive read over a paced pty");
  g_autoptr (LersEngine) engine = NULL;
  g_autoptr (LersDeviceDriver) driver = NULL;
  g_autoptr (LersDeviceSimulator) sim = NULL;
  g_autoptr (LersTransport) line = NULL;
  g_autoptr (LersDevice) device = NULL;
  g_autoptr (LersDeviceSession) session = NULL;
  g_autoptr (GPtrArray) records = NULL;
  g_autoptr (GDateTime) to = NULL;
  g_autoptr (GDateTime) from = NULL;
  g_autoptr (GError) error = NULL;
  g_autofree gchar *line_note = NULL;
  g_autofree gchar *format = NULL;
  LersArchiveKind kind;
  BenchPtyLine *pty;
  BenchSimThread *thread;
  BenchPtyStats ours, plain;
  Meter meter = { 0 };
  int pair[2];
  guint64 sent, received;
  gdouble wall, plain_wall, reference;
  guint periods, channels, mismatches, requests;
  gint64 t0, t1;

  setlocale (LC_ALL, ""); /* model names in Cyrillic */
  g_set_prgname ("bench-session-pty");
  g_option_context_add_main_entries (context, entries, NULL);
  if (!g_option_context_parse (context, &argc, &argv, &error))
    bench_session_die ("options", error->message);
  /* defaults here: GOption does not free a default it replaces */
  if (protocol == NULL)
    protocol = g_strdup ("mbus");
  if (kind_name == NULL)
    kind_name = g_strdup ("hour");
  if (!lers_archive_kind_from_string (kind_name, &kind)
      || (kind != LERS_ARCHIVE_KIND_HOUR && kind != LERS_ARCHIVE_KIND_DAY
          && kind != LERS_ARCHIVE_KIND_MONTH))
    bench_session_die ("--kind", "hour, day or month");
  if (quick)
    days = MIN (days, 7);
  if (days < 1 || address < 0 || seed < 0 || circuits < 0)
    bench_session_die ("options", "--days, --address, --seed, --circuits: not negative");
  if (serial == NULL)
    serial = g_strdup_printf ("%08u", 10000000 + (guint) seed); /* as lers-sim */

  engine = lers_engine_new ();
  driver = lers_engine_get_device_driver (engine, protocol, &error);
  if (driver == NULL)
    bench_session_die ("driver", error->message);
  sim = simulator_new (engine, protocol, serial, (guint) address, (guint) seed, &model,
                       (guint) circuits, (guint) days * 24);
  device = device_new (protocol, model, serial, (guint) address, options);
  to = g_date_time_new_from_unix_utc (CLOCK_TIME);
  from = g_date_time_add_days (to, -days);

  if (socketpair (AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, pair) != 0)
    bench_session_die ("socketpair", g_strerror (errno));
  pty = bench_pty_line_new (pair[0], chunk, delay_ms);
  bench_pty_line_start (pty, TRUE);
  meter.sim = sim;
  meter.fd = pair[1];
  thread = bench_sim_thread_new ();
  bench_sim_thread_invoke (thread, meter_start_cb, &meter);
  if (meter.error != NULL)
    bench_session_die ("socketpair", meter.error->message);

  t0 = g_get_monotonic_time ();
  line = lers_serial_transport_new (bench_pty_line_get_slave_path (pty));
  framing_cb (G_OBJECT (line), NULL, pty);
  g_signal_connect (line, "notify::data-bits", G_CALLBACK (framing_cb), pty);
  g_signal_connect (line, "notify::parity", G_CALLBACK (framing_cb), pty);
  if (line_text != NULL)
    set_line (line, line_text);
  if (!lers_transport_open_sync (line, NULL, &error))
    bench_session_die ("open the line", error->message);
  session = lers_device_driver_open_session_sync (driver, line, device, NULL, &error);
  if (session == NULL)
    bench_session_die ("open the session", error->message);
  line_note = check_line (line, pty, line_text != NULL);
  records = lers_device_session_read_archive_sync (session, kind, from, to, NULL, NULL, &error);
  if (records == NULL)
    bench_session_die ("read the archive", error->message);
  if (!lers_device_session_close_sync (session, NULL, &error))
    bench_session_die ("close the session", error->message);
  sent = lers_transport_get_bytes_sent (line);
  received = lers_transport_get_bytes_received (line);
  if (!lers_transport_close_sync (line, NULL, &error))
    bench_session_die ("close the line", error->message);
  t1 = g_get_monotonic_time ();

  ours = bench_pty_line_stop (pty);
  if (ours.to_meter != sent || ours.to_driver != received)
    {
      g_autofree gchar *msg = g_strdup_printf (
          "the transport counted %" G_GUINT64_FORMAT " bytes sent and %" G_GUINT64_FORMAT
          " received, the line carried %" G_GUINT64_FORMAT " and %" G_GUINT64_FORMAT,
          sent, received, ours.to_meter, ours.to_driver);
      bench_session_die ("byte counts", msg);
    }

  /* the same round trips without us, on the same line and meter */
  requests = bench_pty_line_get_n_exchanges (pty);
  bench_pty_line_start (pty, FALSE);
  plain_wall = bench_pty_line_replay (pty, &mismatches);
  plain = bench_pty_line_stop (pty);

  bench_sim_thread_invoke (thread, meter_stop_cb, &meter);
  bench_sim_thread_free (thread);
  g_clear_object (&meter.connection);
  g_clear_object (&meter.cancellable);

  periods = count_periods (records, &channels);
  if (kind == LERS_ARCHIVE_KIND_HOUR && periods + 2 < (guint) days * 24)
    {
      g_autofree gchar *msg
          = g_strdup_printf ("%u hours in the records for %d days asked", periods, days);
      bench_session_die ("hour archive", msg);
    }

  wall = (gdouble) (t1 - t0) / G_USEC_PER_SEC;
  reference = ours.wire_s + ours.answers * delay_ms / 1000.0;
  format = bench_pty_format_to_string (ours.baud, ours.data_bits, ours.parity, ours.stop_bits);
  g_print ("session-pty %s%s%s: %s archive, %d days before the meter's clock, over a "
           "pseudo-terminal at %s (paced: %u bits a byte, %u-byte chunks), answer delay %u ms\n",
           protocol, model != NULL ? " " : "", model != NULL ? model : "", kind_name, days, format,
           1 + ours.data_bits + (ours.parity != LERS_PARITY_NONE) + ours.stop_bits, chunk,
           delay_ms);
  g_print ("  line after the session opened: %s; %u format changes during the session\n", line_note,
           ours.format_changes);
  g_print (
      "  read %u records, %u periods x %u channels; %u requests, %u answers; %" G_GUINT64_FORMAT
      " bytes sent, %" G_GUINT64_FORMAT " received\n",
      records->len, periods, channels, requests, ours.answers, sent, received);
  g_print ("  wall (open line, open session, read, close both): %.3f s\n", wall);
  g_print ("  reference: wire %.3f s (%" G_GUINT64_FORMAT " bytes at %s) + delays %.3f s "
           "(%u x %u ms) = %.3f s\n",
           ours.wire_s, sent + received, format, ours.answers * delay_ms / 1000.0, ours.answers,
           delay_ms, reference);
  if (mismatches != 0 || plain.to_meter != sent || plain.to_driver != received
      || plain.answers != ours.answers)
    g_print ("  floor of the method: not measured, the meter answered the replayed requests "
             "otherwise (%u of %u round trips differ)\n",
             mismatches, requests);
  else
    g_print ("  floor of the method: the same %u round trips with plain write()/read() on the "
             "slave: %.3f s, ratio %.3f\n",
             requests, plain_wall, plain_wall / reference);
  g_print ("  the line idle: %.3f s from answers to the poller's next requests (%.1f ms on "
           "average, at most %.1f ms), %.3f s of answers begun later than their delay\n",
           ours.poller_s, ours.answers > 0 ? ours.poller_s * 1000 / ours.answers : 0.0,
           ours.poller_max_s * 1000, ours.meter_late_s);
  g_print ("  ratio = wall / (wire + delays) = %.3f (goal <= 1.2)\n", wall / reference);

  bench_pty_line_free (pty);
  close (pair[0]);
  return EXIT_SUCCESS;
}
