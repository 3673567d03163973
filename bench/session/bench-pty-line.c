/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The paced pseudo-terminal line of bench-session-pty (method in its header
 * comment). */
#include "config.h"

#include "bench-pty-line.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <pty.h>
#include <string.h>
#include <termios.h>
#include <time.h>
#include <unistd.h>

#include "bench-session-farm.h"

#define REPLAY_TIMEOUT_MS 5000

typedef struct
{
  GByteArray *request;
  gsize answer_len;
} Exchange;

struct _BenchPtyLine
{
  int master; /* the pty's master: the poller is on the slave */
  int slave;  /* kept open all along, so the line keeps its settings */
  int meter;  /* our end of the socketpair the simulator serves */
  int stop[2];
  char slave_path[256];
  guint chunk;     /* bytes a write towards the poller */
  gint64 delay_ns; /* the meter's answer delay, held here */
  gint data_bits;  /* atomic: as the poller's transport asked */
  gint parity;     /* atomic: a LersParity */
  gboolean record; /* keep the exchanges */
  GPtrArray *exchanges;
  GThread *thread;
  /* the thread's, read after it ended */
  BenchPtyStats stats;
  gint64 wire_ns;
  gint64 answer_end; /* when the last answer's last byte went up; 0: none */
  gchar *failure;
};

static void
exchange_free (gpointer data)
{
  Exchange *e = data;

  g_byte_array_unref (e->request);
  g_free (e);
}

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

static const struct
{
  guint baud;
  speed_t speed;
} speeds[] = {
  { 300, B300 },     { 600, B600 },       { 1200, B1200 },     { 2400, B2400 },
  { 4800, B4800 },   { 9600, B9600 },     { 19200, B19200 },   { 38400, B38400 },
  { 57600, B57600 }, { 115200, B115200 }, { 230400, B230400 },
};

gchar *
bench_pty_format_to_string (guint baud, guint data_bits, LersParity parity, guint stop_bits)
{
  return g_strdup_printf ("%u %u%c%u", baud, data_bits,
                          parity == LERS_PARITY_EVEN  ? 'E'
                          : parity == LERS_PARITY_ODD ? 'O'
                                                      : 'N',
                          stop_bits);
}

gboolean
bench_pty_line_read_termios (BenchPtyLine *self, guint *baud, guint *data_bits, LersParity *parity,
                             guint *stop_bits)
{
  static const tcflag_t sizes[] = { CS5, CS6, CS7, CS8 };
  struct termios t;

  if (tcgetattr (self->slave, &t) != 0)
    return FALSE;
  *baud = 0;
  for (guint i = 0; i < G_N_ELEMENTS (speeds); i++)
    if (speeds[i].speed == cfgetospeed (&t))
      *baud = speeds[i].baud;
  for (guint i = 0; i < G_N_ELEMENTS (sizes); i++)
    if ((t.c_cflag & CSIZE) == sizes[i])
      *data_bits = 5 + i;
  *parity = (t.c_cflag & PARENB) == 0   ? LERS_PARITY_NONE
            : (t.c_cflag & PARODD) != 0 ? LERS_PARITY_ODD
                                        : LERS_PARITY_EVEN;
  *stop_bits = (t.c_cflag & CSTOPB) != 0 ? 2 : 1;
  return TRUE;
}

/* The line's format now: speed and stop bits from the slave's termios, data
 * bits and parity as the transport asked; the time of one character in ns,
 * 0 on failure. */
static gint64
line_char_ns (BenchPtyLine *self)
{
  BenchPtyStats *s = &self->stats;
  guint baud, data_bits, stop_bits, bits;
  LersParity parity;

  if (!bench_pty_line_read_termios (self, &baud, &data_bits, &parity, &stop_bits))
    {
      self->failure = g_strdup_printf ("tcgetattr: %s", g_strerror (errno));
      return 0;
    }
  if (baud == 0)
    {
      self->failure = g_strdup ("the line has a speed outside 300 to 230400 baud");
      return 0;
    }
  data_bits = (guint) g_atomic_int_get (&self->data_bits);
  parity = (LersParity) g_atomic_int_get (&self->parity);
  if (s->baud != 0
      && (s->baud != baud || s->data_bits != data_bits || s->parity != parity
          || s->stop_bits != stop_bits))
    s->format_changes++;
  s->baud = baud;
  s->data_bits = data_bits;
  s->parity = parity;
  s->stop_bits = stop_bits;
  bits = 1 + data_bits + (parity != LERS_PARITY_NONE ? 1 : 0) + stop_bits;
  return (gint64) bits * 1000000000 / baud;
}

/* the poller's request, down the line to the meter */
static gboolean
pace_request (BenchPtyLine *self, const guint8 *buf, gsize n, gint64 *line_free)
{
  gint64 char_ns = line_char_ns (self);
  gint64 now = now_ns ();
  Exchange *e;

  if (char_ns == 0)
    return FALSE;
  if (self->answer_end != 0)
    {
      gdouble gap = (gdouble) (now - self->answer_end) / 1e9;

      self->stats.poller_s += gap;
      self->stats.poller_max_s = MAX (self->stats.poller_max_s, gap);
      self->answer_end = 0;
    }
  *line_free = MAX (*line_free, now) + (gint64) n * char_ns;
  sleep_until_ns (*line_free);
  if (!write_all (self->meter, buf, n))
    {
      self->failure = g_strdup_printf ("to the meter: %s", g_strerror (errno));
      return FALSE;
    }
  self->stats.to_meter += n;
  self->wire_ns += (gint64) n * char_ns;
  if (self->record)
    {
      e = self->exchanges->len > 0 ? g_ptr_array_index (self->exchanges, self->exchanges->len - 1)
                                   : NULL;
      if (e == NULL || e->answer_len > 0)
        {
          e = g_new0 (Exchange, 1);
          e->request = g_byte_array_new ();
          g_ptr_array_add (self->exchanges, e);
        }
      g_byte_array_append (e->request, buf, (guint) n);
    }
  return TRUE;
}

/* the meter's answer, up the line to the poller, in chunks each written
 * when its last byte would have arrived */
static gboolean
pace_answer (BenchPtyLine *self, const guint8 *buf, gsize n, gint64 start, gint64 *line_free)
{
  gint64 char_ns = line_char_ns (self);

  if (char_ns == 0)
    return FALSE;
  *line_free = MAX (*line_free, start);
  for (gsize off = 0; off < n; off += self->chunk)
    {
      gsize c = MIN (self->chunk, n - off);

      *line_free += (gint64) c * char_ns;
      sleep_until_ns (*line_free);
      if (!write_all (self->master, buf + off, c))
        {
          self->failure = g_strdup_printf ("pty master: %s", g_strerror (errno));
          return FALSE;
        }
    }
  self->stats.to_driver += n;
  self->wire_ns += (gint64) n * char_ns;
  self->answer_end = *line_free;
  if (self->record && self->exchanges->len > 0)
    ((Exchange *) g_ptr_array_index (self->exchanges, self->exchanges->len - 1))->answer_len += n;
  return TRUE;
}

static gpointer
pacer_main (gpointer data)
{
  BenchPtyLine *self = data;
  guint8 buf[4096];
  gint64 in_free = 0, out_free = 0;
  gboolean request_pending = FALSE;

  for (;;)
    {
      struct pollfd fds[3] = {
        { self->master, POLLIN, 0 },
        { self->meter, POLLIN, 0 },
        { self->stop[0], POLLIN, 0 },
      };
      ssize_t n;

      if (poll (fds, 3, -1) < 0)
        {
          if (errno == EINTR)
            continue;
          self->failure = g_strdup_printf ("poll: %s", g_strerror (errno));
          return NULL;
        }
      if (fds[2].revents != 0)
        return NULL;
      if (fds[0].revents & (POLLIN | POLLHUP | POLLERR))
        {
          n = read (self->master, buf, sizeof buf);
          if (n <= 0)
            {
              if (n < 0 && (errno == EINTR || errno == EAGAIN))
                continue;
              self->failure
                  = g_strdup_printf ("pty master: %s", n == 0 ? "closed" : g_strerror (errno));
              return NULL;
            }
          if (!pace_request (self, buf, (gsize) n, &in_free))
            return NULL;
          request_pending = TRUE;
        }
      if (fds[1].revents & (POLLIN | POLLHUP | POLLERR))
        {
          gint64 start;

          n = read (self->meter, buf, sizeof buf);
          if (n <= 0)
            {
              if (n < 0 && (errno == EINTR || errno == EAGAIN))
                continue;
              self->failure
                  = g_strdup_printf ("meter: %s", n == 0 ? "hung up" : g_strerror (errno));
              return NULL;
            }
          start = now_ns ();
          if (request_pending)
            {
              /* an answer starts no sooner than the delay after its request */
              self->stats.answers++;
              request_pending = FALSE;
              if (start > in_free + self->delay_ns)
                self->stats.meter_late_s += (gdouble) (start - in_free - self->delay_ns) / 1e9;
              start = MAX (start, in_free + self->delay_ns);
            }
          if (!pace_answer (self, buf, (gsize) n, start, &out_free))
            return NULL;
        }
    }
}

BenchPtyLine *
bench_pty_line_new (int meter_fd, guint chunk, guint delay_ms)
{
  BenchPtyLine *self = g_new0 (BenchPtyLine, 1);
  struct termios raw;

  /* raw from the start, so nothing is echoed before the poller opens it */
  memset (&raw, 0, sizeof raw);
  cfmakeraw (&raw);
  if (openpty (&self->master, &self->slave, self->slave_path, &raw, NULL) != 0)
    bench_session_die ("openpty", g_strerror (errno));
  if (pipe (self->stop) != 0)
    bench_session_die ("pipe", g_strerror (errno));
  self->meter = meter_fd;
  self->chunk = MAX (chunk, 1);
  self->delay_ns = (gint64) delay_ms * 1000000;
  self->data_bits = 8;
  self->parity = LERS_PARITY_NONE;
  self->exchanges = g_ptr_array_new_with_free_func (exchange_free);
  return self;
}

const gchar *
bench_pty_line_get_slave_path (BenchPtyLine *self)
{
  return self->slave_path;
}

int
bench_pty_line_get_slave_fd (BenchPtyLine *self)
{
  return self->slave;
}

void
bench_pty_line_set_framing (BenchPtyLine *self, guint data_bits, LersParity parity)
{
  g_atomic_int_set (&self->data_bits, (gint) data_bits);
  g_atomic_int_set (&self->parity, (gint) parity);
}

void
bench_pty_line_start (BenchPtyLine *self, gboolean record)
{
  memset (&self->stats, 0, sizeof self->stats);
  self->wire_ns = 0;
  self->answer_end = 0;
  self->record = record;
  if (record)
    g_ptr_array_set_size (self->exchanges, 0);
  self->thread = g_thread_new ("bench-pacer", pacer_main, self);
}

BenchPtyStats
bench_pty_line_stop (BenchPtyLine *self)
{
  guint8 byte;

  if (write (self->stop[1], "", 1) != 1)
    bench_session_die ("pipe", g_strerror (errno));
  g_thread_join (self->thread);
  self->thread = NULL;
  if (read (self->stop[0], &byte, 1) != 1)
    bench_session_die ("pipe", g_strerror (errno));
  if (self->failure != NULL)
    bench_session_die ("pacer", self->failure);
  self->stats.wire_s = (gdouble) self->wire_ns / 1e9;
  return self->stats;
}

guint
bench_pty_line_get_n_exchanges (BenchPtyLine *self)
{
  return self->exchanges->len;
}

/* reads @len bytes of answer from the slave; FALSE when they do not come
 * or more come */
static gboolean
replay_read (int fd, gsize len)
{
  guint8 buf[4096];
  gsize have = 0;

  while (have < len)
    {
      struct pollfd pfd = { fd, POLLIN, 0 };
      ssize_t n;

      if (poll (&pfd, 1, REPLAY_TIMEOUT_MS) <= 0)
        return FALSE;
      n = read (fd, buf, MIN (sizeof buf, len - have));
      if (n <= 0)
        {
          if (n < 0 && (errno == EINTR || errno == EAGAIN))
            continue;
          bench_session_die ("replay read", n == 0 ? "closed" : g_strerror (errno));
        }
      have += (gsize) n;
    }
  return TRUE;
}

gdouble
bench_pty_line_replay (BenchPtyLine *self, guint *mismatches)
{
  gint64 t0 = g_get_monotonic_time ();

  *mismatches = 0;
  tcflush (self->slave, TCIFLUSH);
  for (guint i = 0; i < self->exchanges->len; i++)
    {
      Exchange *e = g_ptr_array_index (self->exchanges, i);

      if (!write_all (self->slave, e->request->data, e->request->len))
        bench_session_die ("replay write", g_strerror (errno));
      if (!replay_read (self->slave, e->answer_len))
        {
          *mismatches = self->exchanges->len - i;
          break;
        }
    }
  return (gdouble) (g_get_monotonic_time () - t0) / G_USEC_PER_SEC;
}

void
bench_pty_line_free (BenchPtyLine *self)
{
  if (self == NULL)
    return;
  g_assert (self->thread == NULL);
  close (self->master);
  close (self->slave);
  close (self->stop[0]);
  close (self->stop[1]);
  g_ptr_array_unref (self->exchanges);
  g_free (self->failure);
  g_free (self);
}
