/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "config.h"

#include <gio/gunixinputstream.h>
#include <gio/gunixoutputstream.h>
#include <glib-unix.h>
#include <glib/gi18n.h>
#include <json-glib/json-glib.h>
#include <pty.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/socket.h>
#include <termios.h>
#include <unistd.h>

#include <lers.h>

#include "lers-sim-config.h"

/*
 * lers-sim: serves simulated meters of any device plugin on loopback TCP
 * ports, one meter a port, until SIGINT or SIGTERM. With --config it writes
 * the matching nodes/points/devices as JSON for `lers import`: a point per
 * heat input of a meter (--circuits=2: channels 0 and 1), with the model
 * the simulator simulates (--model) and, with --clock-zone, the zone its
 * clock keeps.
 *
 * --bus puts all meters on one link (one TCP port, a gateway, or one
 * pseudo-terminal), each answering by its own address; --bus-size=M puts
 * every M meters on a link of their own (many buses in one process); --pty
 * serves on pseudo-terminals instead of TCP and prints the slave's path.
 * --baud paces the bytes of TCP links as a serial line would, and
 * --answer-delay-max-ms gives each answer a delay drawn between
 * --answer-delay-ms and it (benchmarks).
 */

static void
lers_sim_meter_free (LersSimMeter *meter)
{
  g_object_unref (meter->simulator);
  g_free (meter->serial);
  g_free (meter->pty);
  g_free (meter->clock_zone);
  g_free (meter);
}

/* a pseudo-terminal pair: the simulator serves the master side; the slave
 * stays open here too, so a client closing it does not end the serving */
typedef struct
{
  gint master;
  gint slave;
  gchar *path;
  GIOStream *stream;
} LersSimPty;

static void
lers_sim_pty_free (LersSimPty *p)
{
  g_clear_object (&p->stream);
  if (p->slave >= 0)
    close (p->slave);
  g_free (p->path);
  g_free (p);
}

static LersSimPty *
lers_sim_pty_new (GError **error)
{
  LersSimPty *p = g_new0 (LersSimPty, 1);
  struct termios tio;
  char name[256];
  g_autoptr (GInputStream) in = NULL;
  g_autoptr (GOutputStream) out = NULL;

  if (openpty (&p->master, &p->slave, name, NULL, NULL) != 0)
    {
      gint saved = errno;
      g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved), "openpty: %s",
                   g_strerror (saved));
      g_free (p);
      return NULL;
    }
  if (tcgetattr (p->slave, &tio) == 0)
    {
      cfmakeraw (&tio);
      tcsetattr (p->slave, TCSANOW, &tio);
    }
  p->path = g_strdup (name);
  in = g_unix_input_stream_new (p->master, TRUE);
  out = g_unix_output_stream_new (p->master, FALSE);
  p->stream = g_simple_io_stream_new (in, out);
  return p;
}

static void
lers_sim_pty_served_cb (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr (GError) error = NULL;

  if (!lers_device_simulator_serve_finish (LERS_DEVICE_SIMULATOR (source), result, &error)
      && !g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    g_message ("%s", error->message);
}

/* sets @name on @object when its class has such a property */
static void
lers_sim_set_uint (GObject *object, const gchar *name, guint value)
{
  if (g_object_class_find_property (G_OBJECT_GET_CLASS (object), name) != NULL)
    g_object_set (object, name, value, NULL);
}

/* ---- a paced line ------------------------------------------------------
 * With --baud or --answer-delay-max-ms a TCP client is not handed to the
 * simulator directly: the simulator serves one end of a socket pair, and
 * this relay carries the bytes between it and the client as a wire would.
 * Each byte takes 11 bits at the baud rate (M-Bus 8E1: start bit, 8 data
 * bits, even parity, stop bit), the bytes of one direction one after the
 * other, and a reply starts after an answer delay drawn for it from
 * [--answer-delay-ms, --answer-delay-max-ms]. Bytes are passed on in
 * pieces of LERS_SIM_PIECE, each at the moment its last byte would have
 * arrived. */

#define LERS_SIM_BITS_PER_BYTE 11
#define LERS_SIM_PIECE 16

typedef struct _LersSimLine LersSimLine;

typedef struct
{
  GBytes *bytes;
  gint64 due; /* monotonic µs: its last byte is through */
} LersSimChunk;

static void
lers_sim_chunk_free (LersSimChunk *chunk)
{
  g_bytes_unref (chunk->bytes);
  g_free (chunk);
}

typedef struct
{
  LersSimLine *line;
  GIOStream *from; /* not owned: the line's */
  GIOStream *to;
  gboolean down; /* meter → client: replies */
  GQueue chunks;
  LersSimChunk *in_flight; /* being written */
  guint timer;
  gint64 free_at;
  guint8 buf[1024];
} LersSimDir;

struct _LersSimLine
{
  gint refs;
  GIOStream *client;
  GIOStream *meter;
  LersSimDir up;   /* client → meter: requests */
  LersSimDir down; /* meter → client: replies */
  guint baud;
  guint delay_min_ms;
  guint delay_max_ms;
  GRand *rand;
  gboolean awaiting_reply;
  gboolean closed;
  GCancellable *cancellable;
};

static LersSimLine *
lers_sim_line_ref (LersSimLine *line)
{
  line->refs++;
  return line;
}

static void
lers_sim_line_unref (LersSimLine *line)
{
  if (--line->refs > 0)
    return;
  g_queue_clear_full (&line->up.chunks, (GDestroyNotify) lers_sim_chunk_free);
  g_queue_clear_full (&line->down.chunks, (GDestroyNotify) lers_sim_chunk_free);
  g_clear_pointer (&line->up.in_flight, lers_sim_chunk_free);
  g_clear_pointer (&line->down.in_flight, lers_sim_chunk_free);
  g_object_unref (line->client);
  g_object_unref (line->meter);
  g_object_unref (line->cancellable);
  g_rand_free (line->rand);
  g_free (line);
}

static void
lers_sim_line_close (LersSimLine *line)
{
  LersSimDir *dirs[] = { &line->up, &line->down };

  if (line->closed)
    return;
  line->closed = TRUE;
  g_cancellable_cancel (line->cancellable);
  for (guint i = 0; i < G_N_ELEMENTS (dirs); i++)
    g_clear_handle_id (&dirs[i]->timer, g_source_remove);
  /* the simulator reads the end of its stream and finishes */
  g_io_stream_close (line->client, NULL, NULL);
  g_io_stream_close (line->meter, NULL, NULL);
  lers_sim_line_unref (line);
}

static void lers_sim_dir_pump (LersSimDir *dir);

static gboolean
lers_sim_dir_timer_cb (gpointer user_data)
{
  LersSimDir *dir = user_data;

  dir->timer = 0;
  lers_sim_dir_pump (dir);
  return G_SOURCE_REMOVE;
}

static void
lers_sim_dir_write_cb (GObject *source, GAsyncResult *result, gpointer user_data)
{
  LersSimDir *dir = user_data;
  LersSimLine *line = dir->line;
  g_autoptr (GError) error = NULL;

  g_clear_pointer (&dir->in_flight, lers_sim_chunk_free);
  if (!g_output_stream_write_all_finish (G_OUTPUT_STREAM (source), result, NULL, &error))
    lers_sim_line_close (line);
  else
    lers_sim_dir_pump (dir);
  lers_sim_line_unref (line);
}

/* passes on the oldest chunk once it is due, one write at a time */
static void
lers_sim_dir_pump (LersSimDir *dir)
{
  LersSimLine *line = dir->line;
  LersSimChunk *chunk = g_queue_peek_head (&dir->chunks);
  gint64 now = g_get_monotonic_time ();
  gsize n = 0;
  const guint8 *data;

  if (line->closed || dir->in_flight != NULL || dir->timer != 0 || chunk == NULL)
    return;
  if (chunk->due > now)
    {
      dir->timer
          = g_timeout_add ((guint) ((chunk->due - now + 999) / 1000), lers_sim_dir_timer_cb, dir);
      return;
    }
  /* the bytes stay alive with the chunk until the write is done */
  dir->in_flight = g_queue_pop_head (&dir->chunks);
  data = g_bytes_get_data (chunk->bytes, &n);
  /* each pending call holds a reference on the line */
  lers_sim_line_ref (line);
  g_output_stream_write_all_async (g_io_stream_get_output_stream (dir->to), data, n,
                                   G_PRIORITY_DEFAULT, line->cancellable, lers_sim_dir_write_cb,
                                   dir);
}

static void lers_sim_dir_read (LersSimDir *dir);

static void
lers_sim_dir_read_cb (GObject *source, GAsyncResult *result, gpointer user_data)
{
  LersSimDir *dir = user_data;
  LersSimLine *line = dir->line;
  g_autoptr (GError) error = NULL;
  gssize n = g_input_stream_read_finish (G_INPUT_STREAM (source), result, &error);
  LersSimChunk *chunk;
  gint64 now = g_get_monotonic_time ();
  gint64 start;

  if (n <= 0 || line->closed)
    {
      lers_sim_line_close (line);
      lers_sim_line_unref (line);
      return;
    }
  start = MAX (now, dir->free_at);
  if (dir->down && line->awaiting_reply)
    {
      guint delay = line->delay_max_ms > line->delay_min_ms ? (guint) g_rand_int_range (
                        line->rand, (gint32) line->delay_min_ms, (gint32) line->delay_max_ms + 1)
                                                            : line->delay_min_ms;

      start = MAX (start, now + (gint64) delay * 1000);
      line->awaiting_reply = FALSE;
    }
  else if (!dir->down)
    line->awaiting_reply = TRUE;
  /* in pieces, so that the first byte comes when it would on a line */
  for (gssize off = 0; off < n; off += LERS_SIM_PIECE)
    {
      gssize len = MIN (LERS_SIM_PIECE, n - off);

      chunk = g_new0 (LersSimChunk, 1);
      chunk->bytes = g_bytes_new (dir->buf + off, (gsize) len);
      chunk->due = start;
      if (line->baud > 0)
        chunk->due += (gint64) (off + len) * LERS_SIM_BITS_PER_BYTE * G_USEC_PER_SEC / line->baud;
      dir->free_at = chunk->due;
      g_queue_push_tail (&dir->chunks, chunk);
    }
  lers_sim_dir_pump (dir);
  lers_sim_dir_read (dir);
  lers_sim_line_unref (line);
}

static void
lers_sim_dir_read (LersSimDir *dir)
{
  lers_sim_line_ref (dir->line);
  g_input_stream_read_async (g_io_stream_get_input_stream (dir->from), dir->buf, sizeof dir->buf,
                             G_PRIORITY_DEFAULT, dir->line->cancellable, lers_sim_dir_read_cb, dir);
}

/* how the lines of this run are paced (the options) */
static struct
{
  guint baud;
  guint delay_min_ms;
  guint delay_max_ms;
  guint32 seed;
} lers_sim_pacing;

static gboolean
lers_sim_pacing_on (void)
{
  return lers_sim_pacing.baud > 0 || lers_sim_pacing.delay_max_ms > 0;
}

static GSocketConnection *
lers_sim_socket_connection (gint fd, GError **error)
{
  g_autoptr (GSocket) socket = g_socket_new_from_fd (fd, error);

  if (socket == NULL)
    {
      close (fd);
      return NULL;
    }
  return g_socket_connection_factory_create_connection (socket);
}

static void lers_sim_served_cb (GObject *source, GAsyncResult *result, gpointer user_data);

/* serves @client through a paced line to @simulator */
static gboolean
lers_sim_line_start (LersDeviceSimulator *simulator, GSocketConnection *client, GError **error)
{
  LersSimLine *line;
  gint fds[2];
  g_autoptr (GSocketConnection) meter_side = NULL;
  g_autoptr (GSocketConnection) line_side = NULL;

  if (socketpair (AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, fds) != 0)
    {
      gint saved = errno;
      g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved), "socketpair: %s",
                   g_strerror (saved));
      return FALSE;
    }
  meter_side = lers_sim_socket_connection (fds[0], error);
  if (meter_side == NULL)
    {
      close (fds[1]);
      return FALSE;
    }
  line_side = lers_sim_socket_connection (fds[1], error);
  if (line_side == NULL)
    return FALSE;
  lers_device_simulator_serve_async (simulator, G_IO_STREAM (meter_side), NULL, lers_sim_served_cb,
                                     g_object_ref (meter_side));
  line = g_new0 (LersSimLine, 1);
  line->refs = 1;
  line->client = G_IO_STREAM (g_object_ref (client));
  line->meter = G_IO_STREAM (g_steal_pointer (&line_side));
  line->baud = lers_sim_pacing.baud;
  line->delay_min_ms = lers_sim_pacing.delay_min_ms;
  line->delay_max_ms = lers_sim_pacing.delay_max_ms;
  line->rand = g_rand_new_with_seed (lers_sim_pacing.seed++);
  line->cancellable = g_cancellable_new ();
  line->up.line = line;
  line->up.from = line->client;
  line->up.to = line->meter;
  line->down.line = line;
  line->down.from = line->meter;
  line->down.to = line->client;
  line->down.down = TRUE;
  lers_sim_dir_read (&line->up);
  lers_sim_dir_read (&line->down);
  return TRUE;
}

static void
lers_sim_served_cb (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (GIOStream) stream = user_data;

  if (!lers_device_simulator_serve_finish (LERS_DEVICE_SIMULATOR (source), result, &error)
      && !g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    g_message ("%s", error->message);
}

static gboolean
lers_sim_incoming_cb (GSocketService *service, GSocketConnection *connection,
                      GObject *source_object, gpointer user_data)
{
  LersSimMeter *meter = g_object_get_data (source_object, "lers-sim-meter");
  g_autoptr (GError) error = NULL;

  if (lers_sim_pacing_on ())
    {
      if (!lers_sim_line_start (meter->simulator, connection, &error))
        g_message ("%s", error->message);
      return TRUE;
    }
  lers_device_simulator_serve_async (meter->simulator, G_IO_STREAM (connection), NULL,
                                     lers_sim_served_cb, g_object_ref (connection));
  return TRUE;
}

static gboolean
lers_sim_quit_cb (gpointer user_data)
{
  g_main_loop_quit (user_data);
  return G_SOURCE_REMOVE;
}

int
main (int argc, char **argv)
{
  /* GOption replaces a string without freeing it: defaults come after */
  g_autofree gchar *protocol = NULL;
  g_autofree gchar *config = NULL;
  gint count = 1;
  gint port = 0;
  gint seed = 1;
  gint answer_delay_ms = 0;
  gint answer_delay_max_ms = 0;
  gint bus_size = 0;
  gint baud = 0;
  gint circuits = 1;
  gint64 clock_time = 0;
  g_autofree gchar *model = NULL;
  g_autofree gchar *clock_zone = NULL;
  gboolean bus = FALSE;
  gboolean use_pty = FALSE;
  GOptionEntry entries[] = {
    { "protocol", 'p', 0, G_OPTION_ARG_STRING, &protocol, N_ ("Device plugin to simulate (mbus)"),
      "NAME" },
    { "count", 'n', 0, G_OPTION_ARG_INT, &count, N_ ("How many meters"), "N" },
    { "port", 0, 0, G_OPTION_ARG_INT, &port, N_ ("First TCP port on 127.0.0.1; 0 picks free ports"),
      "PORT" },
    { "seed", 's', 0, G_OPTION_ARG_INT, &seed, N_ ("Seed of the first meter's data"), "SEED" },
    { "config", 'c', 0, G_OPTION_ARG_FILENAME, &config,
      N_ ("Write nodes and points for “lers import” to FILE"), "FILE" },
    { "bus", 0, 0, G_OPTION_ARG_NONE, &bus,
      N_ ("Put all meters on one link (one port or one pseudo-terminal)"), NULL },
    { "bus-size", 0, 0, G_OPTION_ARG_INT, &bus_size,
      N_ ("Put every N meters on a link of their own (many buses)"), "N" },
    { "pty", 0, 0, G_OPTION_ARG_NONE, &use_pty,
      N_ ("Serve on pseudo-terminals instead of TCP ports"), NULL },
    { "answer-delay-ms", 0, 0, G_OPTION_ARG_INT, &answer_delay_ms,
      N_ ("How long a meter waits before it answers"), "MS" },
    { "answer-delay-max-ms", 0, 0, G_OPTION_ARG_INT, &answer_delay_max_ms,
      N_ ("Draw each answer's delay between --answer-delay-ms and this"), "MS" },
    { "baud", 0, 0, G_OPTION_ARG_INT, &baud,
      N_ ("Pace TCP links as a serial line at this baud rate, 11 bits a byte (8E1)"), "BAUD" },
    { "circuits", 0, 0, G_OPTION_ARG_INT, &circuits, N_ ("Heat circuits a meter measures (1 or 2)"),
      "N" },
    { "model", 'm', 0, G_OPTION_ARG_STRING, &model,
      N_ ("Which of the plugin's models to simulate (the plugin's default if not given)"),
      "MODEL" },
    { "clock-zone", 0, 0, G_OPTION_ARG_STRING, &clock_zone,
      N_ ("The time zone the meters' clocks keep (Europe/Moscow), written into --config"), "ZONE" },
    { "clock-time", 0, 0, G_OPTION_ARG_INT64, &clock_time,
      N_ ("Freeze the meters' clocks at this Unix time (tests compare two reads)"), "SECONDS" },
    { NULL },
  };
  g_autoptr (GOptionContext) context = g_option_context_new (_ ("— serve simulated meters"));
  g_autoptr (GError) error = NULL;
  g_autoptr (LersEngine) engine = NULL;
  g_autoptr (GPtrArray) meters
      = g_ptr_array_new_with_free_func ((GDestroyNotify) lers_sim_meter_free);
  g_autoptr (GPtrArray) services = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr (GPtrArray) ptys = g_ptr_array_new_with_free_func ((GDestroyNotify) lers_sim_pty_free);
  g_autoptr (GPtrArray) simulators = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr (GCancellable) cancellable = g_cancellable_new ();
  g_autoptr (GMainLoop) loop = g_main_loop_new (NULL, FALSE);

  lers_i18n_init ();
  textdomain (GETTEXT_PACKAGE);

  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  if (!g_option_context_parse (context, &argc, &argv, &error))
    {
      g_printerr ("%s\n", error->message);
      return 2;
    }
  if (protocol == NULL)
    protocol = g_strdup ("mbus");
  if (count < 1 || count > 10000 || port < 0 || port + count > 65536 || seed < 0)
    {
      g_printerr ("%s\n", _ ("--count must be 1 to 10000 and the ports must fit below 65536"));
      return 2;
    }
  if (answer_delay_ms < 0 || answer_delay_ms > 60000 || circuits < 1 || circuits > 2
      || clock_time < 0)
    {
      g_printerr ("%s\n", _ ("--answer-delay-ms must be 0 to 60000, --circuits 1 or 2 and "
                             "--clock-time not negative"));
      return 2;
    }
  if ((bus && count > 250) || bus_size < 0 || bus_size > 250)
    {
      g_printerr ("%s\n", _ ("One bus holds at most 250 meters"));
      return 2;
    }
  if (baud < 0 || baud > 1000000 || answer_delay_max_ms < 0 || answer_delay_max_ms > 60000
      || (answer_delay_max_ms > 0 && answer_delay_max_ms < answer_delay_ms))
    {
      g_printerr ("%s\n", _ ("--baud must be 0 to 1000000 and --answer-delay-max-ms 0 to 60000, "
                             "not below --answer-delay-ms"));
      return 2;
    }
  if (clock_zone != NULL)
    {
      g_autoptr (GTimeZone) zone = lers_time_zone_new (clock_zone, &error);

      if (zone == NULL)
        {
          g_printerr ("%s\n", error->message);
          return 2;
        }
    }
  if (bus)
    bus_size = count;
  lers_sim_pacing.baud = (guint) baud;
  lers_sim_pacing.delay_min_ms = (guint) answer_delay_ms;
  lers_sim_pacing.delay_max_ms = (guint) answer_delay_max_ms;
  lers_sim_pacing.seed = (guint32) seed;
  if (lers_sim_pacing_on () && answer_delay_max_ms == 0)
    lers_sim_pacing.delay_max_ms = (guint) answer_delay_ms;
  if (lers_sim_pacing_on () && use_pty)
    {
      g_printerr ("%s\n", _ ("--baud and --answer-delay-max-ms pace TCP links, not --pty"));
      return 2;
    }
  engine = lers_engine_new ();
  for (gint i = 0; i < count; i++)
    {
      LersSimMeter *meter = g_new0 (LersSimMeter, 1);

      meter->serial = g_strdup_printf ("%08u", 10000000 + (guint) seed + i);
      meter->address = bus_size > 0 ? (guint) (i % bus_size) + 1 : (guint) i % 250 + 1;
      meter->simulator = lers_engine_create_device_simulator (
          engine, protocol, meter->serial, meter->address, (guint) seed + i, &error);
      if (meter->simulator == NULL)
        {
          g_printerr ("%s\n", error->message);
          g_free (meter->serial);
          g_free (meter);
          return EXIT_FAILURE;
        }
      /* a paced line delays the answers itself */
      lers_sim_set_uint (G_OBJECT (meter->simulator), "answer-delay-ms",
                         lers_sim_pacing_on () ? 0 : (guint) answer_delay_ms);
      lers_sim_set_uint (G_OBJECT (meter->simulator), "circuits", (guint) circuits);
      if (model != NULL)
        {
          g_autofree gchar *taken = NULL;

          if (g_object_class_find_property (G_OBJECT_GET_CLASS (meter->simulator), "model") == NULL)
            {
              g_printerr (_ ("Protocol %s simulates one model only\n"), protocol);
              return 2;
            }
          /* a simulator keeps its default model when it does not know the name */
          g_object_set (meter->simulator, "model", model, NULL);
          g_object_get (meter->simulator, "model", &taken, NULL);
          if (g_strcmp0 (taken, model) != 0)
            {
              g_printerr (_ ("Protocol %s does not simulate model %s\n"), protocol, model);
              return 2;
            }
        }
      /* a simulator without a clock-zone keeps its clock in UTC: the import
       * file says so, and the meter's times are read right */
      if (clock_zone != NULL
          && g_object_class_find_property (G_OBJECT_GET_CLASS (meter->simulator), "clock-zone"))
        {
          g_object_set (meter->simulator, "clock-zone", clock_zone, NULL);
          meter->clock_zone = g_strdup (clock_zone);
        }
      else if (clock_zone != NULL)
        meter->clock_zone = g_strdup ("UTC");
      if (clock_time > 0
          && g_object_class_find_property (G_OBJECT_GET_CLASS (meter->simulator), "clock-time"))
        g_object_set (meter->simulator, "clock-time", clock_time, NULL);
      g_ptr_array_add (meters, meter);
      g_ptr_array_add (simulators, g_object_ref (meter->simulator));
    }
  /* the first meter of each bus serves the others */
  for (guint first = 0; bus_size > 0 && first < meters->len; first += (guint) bus_size)
    {
      GObject *head = G_OBJECT (((LersSimMeter *) g_ptr_array_index (meters, first))->simulator);
      g_autoptr (GPtrArray) members = g_ptr_array_new_with_free_func (g_object_unref);

      if (g_object_class_find_property (G_OBJECT_GET_CLASS (head), "bus-members") == NULL)
        {
          g_printerr (_ ("Protocol %s has no bus mode\n"), protocol);
          return 2;
        }
      for (guint j = first; j < meters->len && j < first + (guint) bus_size; j++)
        g_ptr_array_add (members, g_object_ref (g_ptr_array_index (simulators, j)));
      g_object_set (head, "bus-members", members, NULL);
    }
  for (guint i = 0; i < meters->len; i++)
    {
      LersSimMeter *meter = g_ptr_array_index (meters, i);
      guint link = bus_size > 0 ? i / (guint) bus_size : i;
      LersSimMeter *served
          = bus_size > 0 ? g_ptr_array_index (meters, link * (guint) bus_size) : meter;
      g_autoptr (GSocketService) service = NULL;
      g_autoptr (GInetAddress) loopback = NULL;
      g_autoptr (GSocketAddress) address = NULL;
      g_autoptr (GSocketAddress) effective = NULL;
      g_autoptr (GObject) tag = NULL;

      if (served != meter)
        {
          meter->port = served->port;
          meter->pty = g_strdup (served->pty);
        }
      else if (use_pty)
        {
          LersSimPty *p = lers_sim_pty_new (&error);

          if (p == NULL)
            {
              g_printerr ("%s\n", error->message);
              return EXIT_FAILURE;
            }
          meter->pty = g_strdup (p->path);
          lers_device_simulator_serve_async (meter->simulator, p->stream, cancellable,
                                             lers_sim_pty_served_cb, NULL);
          g_ptr_array_add (ptys, p);
        }
      else
        {
          service = g_socket_service_new ();
          loopback = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4);
          tag = g_object_new (G_TYPE_OBJECT, NULL);
          address = g_inet_socket_address_new (loopback, port == 0 ? 0 : (guint16) (port + link));
          g_object_set_data (tag, "lers-sim-meter", meter);
          if (!g_socket_listener_add_address (G_SOCKET_LISTENER (service), address,
                                              G_SOCKET_TYPE_STREAM, G_SOCKET_PROTOCOL_TCP, tag,
                                              &effective, &error))
            {
              g_printerr (_ ("Cannot listen on port %d: %s\n"), port + (gint) link, error->message);
              return EXIT_FAILURE;
            }
          meter->port = g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (effective));
          g_signal_connect (service, "incoming", G_CALLBACK (lers_sim_incoming_cb), NULL);
          g_socket_service_start (service);
          g_ptr_array_add (services, g_steal_pointer (&service));
        }
      if (meter->pty != NULL)
        g_print (_ ("Meter %s (%s, address %u) on %s\n"), meter->serial, protocol, meter->address,
                 meter->pty);
      else
        g_print (_ ("Meter %s (%s, address %u) on 127.0.0.1:%u\n"), meter->serial, protocol,
                 meter->address, meter->port);
    }
  fflush (stdout);
  if (config != NULL && use_pty)
    {
      g_printerr ("%s\n", _ ("--config needs TCP meters, not --pty"));
      return 2;
    }
  if (config != NULL && !lers_sim_write_config (meters, protocol, config, &error))
    {
      g_printerr ("%s: %s\n", config, error->message);
      return EXIT_FAILURE;
    }
  g_unix_signal_add (SIGINT, lers_sim_quit_cb, loop);
  g_unix_signal_add (SIGTERM, lers_sim_quit_cb, loop);
  g_main_loop_run (loop);
  for (guint i = 0; i < services->len; i++)
    g_socket_service_stop (g_ptr_array_index (services, i));
  g_cancellable_cancel (cancellable);
  return EXIT_SUCCESS;
}
