/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <glib/gi18n-lib.h>
#include <poll.h>
#include <string.h>
#include <sys/ioctl.h>
#include <termios.h>
#include <unistd.h>

#include "lers-enum-types.h"
#include "lers-error.h"
#include "protocol/lers-serial-transport.h"

/**
 * LersSerialTransport:
 *
 * A serial line: an RS-232 or RS-485 port, a USB adapter, an optical head.
 * The line is raw (termios), with the speed and framing of its properties;
 * a driver may change them in the middle of a session
 * (lers_transport_set_line(), as IEC 62056-21 does after its acknowledge).
 *
 * Blocking reads and writes run in a thread pool of this class (one per
 * process, created on first use), never on the main loop and never on
 * GTask's shared pool; each wait also watches the caller's #GCancellable,
 * so an exchange that times out returns at once.
 *
 * For Modbus RTU, #LersSerialTransport:inter-frame-silence-us keeps the line
 * quiet for a while before each request; for two-wire RS-485 adapters that
 * read back what they send, #LersSerialTransport:echo drops that echo.
 *
 * Since: 0.3
 */

#define READ_CHUNK 4096
#define DEFAULT_BAUD 9600
#define ECHO_SLACK_MS 1000

struct _LersSerialTransport
{
  LersTransport parent_instance;
  gchar *path;
  guint baud_rate; /* 0: not chosen, DEFAULT_BAUD at open */
  guint data_bits;
  LersParity parity;
  guint stop_bits;
  LersFlowControl flow_control;
  guint inter_frame_silence_us;
  gboolean echo;

  /* shared with the pool's threads */
  GRWLock fd_lock; /* readers: I/O on the fd; the writer: closing it */
  gint fd;
  gint64 last_byte_us;   /* monotonic time of the last byte on the line */
  GCancellable *closing; /* cancelled when the line closes: wakes pending reads */
};

G_DEFINE_FINAL_TYPE (LersSerialTransport, lers_serial_transport, LERS_TYPE_TRANSPORT)

enum
{
  PROP_0,
  PROP_PATH,
  PROP_BAUD_RATE,
  PROP_DATA_BITS,
  PROP_PARITY,
  PROP_STOP_BITS,
  PROP_FLOW_CONTROL,
  PROP_INTER_FRAME_SILENCE_US,
  PROP_ECHO,
  N_PROPS
};
static GParamSpec *props[N_PROPS];

typedef struct
{
  guint baud_rate;
  guint data_bits;
  LersParity parity;
  guint stop_bits;
  LersFlowControl flow_control;
} LineSettings;

/* ---- termios ------------------------------------------------------------- */

static const struct
{
  guint baud;
  speed_t speed;
} baud_table[] = {
  { 300, B300 },     { 600, B600 },       { 1200, B1200 },     { 2400, B2400 },
  { 4800, B4800 },   { 9600, B9600 },     { 19200, B19200 },   { 38400, B38400 },
  { 57600, B57600 }, { 115200, B115200 }, { 230400, B230400 },
};

static gboolean
baud_to_speed (guint baud, speed_t *speed)
{
  for (guint i = 0; i < G_N_ELEMENTS (baud_table); i++)
    if (baud_table[i].baud == baud)
      {
        *speed = baud_table[i].speed;
        return TRUE;
      }
  return FALSE;
}

static gboolean
check_line (const gchar *path, guint baud_rate, guint data_bits, LersParity parity, guint stop_bits,
            GError **error)
{
  speed_t speed;

  if (!baud_to_speed (baud_rate, &speed))
    {
      g_set_error (error, LERS_ERROR, LERS_ERROR_INVALID_ARGUMENT,
                   _ ("%s: %u baud is not a supported speed (300 to 230400)"), path, baud_rate);
      return FALSE;
    }
  if (data_bits < 5 || data_bits > 8)
    {
      g_set_error (error, LERS_ERROR, LERS_ERROR_INVALID_ARGUMENT,
                   _ ("%s: %u data bits (5 to 8 are possible)"), path, data_bits);
      return FALSE;
    }
  if (stop_bits < 1 || stop_bits > 2)
    {
      g_set_error (error, LERS_ERROR, LERS_ERROR_INVALID_ARGUMENT,
                   _ ("%s: %u stop bits (1 or 2 are possible)"), path, stop_bits);
      return FALSE;
    }
  if (parity != LERS_PARITY_NONE && parity != LERS_PARITY_ODD && parity != LERS_PARITY_EVEN)
    {
      g_set_error (error, LERS_ERROR, LERS_ERROR_INVALID_ARGUMENT, _ ("%s: unknown parity %d"),
                   path, (gint) parity);
      return FALSE;
    }
  return TRUE;
}

static void
make_termios (struct termios *tio, const LineSettings *line)
{
  speed_t speed = B9600;
  static const tcflag_t sizes[] = { CS5, CS6, CS7, CS8 };

  baud_to_speed (line->baud_rate, &speed);
  cfmakeraw (tio);
  tio->c_cflag &= ~(CSIZE | PARENB | PARODD | CSTOPB | CRTSCTS);
  tio->c_cflag |= CLOCAL | CREAD | HUPCL | sizes[CLAMP (line->data_bits, 5, 8) - 5];
  if (line->parity == LERS_PARITY_ODD)
    tio->c_cflag |= PARENB | PARODD;
  else if (line->parity == LERS_PARITY_EVEN)
    tio->c_cflag |= PARENB;
  if (line->stop_bits == 2)
    tio->c_cflag |= CSTOPB;
  tio->c_iflag &= ~(IXON | IXOFF | IXANY);
  if (line->flow_control == LERS_FLOW_CONTROL_HARDWARE)
    tio->c_cflag |= CRTSCTS;
  else if (line->flow_control == LERS_FLOW_CONTROL_SOFTWARE)
    tio->c_iflag |= IXON | IXOFF;
  tio->c_cc[VMIN] = 1;
  tio->c_cc[VTIME] = 0;
  cfsetispeed (tio, speed);
  cfsetospeed (tio, speed);
}

static gboolean
apply_line (gint fd, const gchar *path, const LineSettings *line, gint when, GError **error)
{
  struct termios tio;

  if (tcgetattr (fd, &tio) != 0)
    {
      g_set_error (error, LERS_ERROR, LERS_ERROR_INVALID_ARGUMENT,
                   _ ("%s is not a serial line: %s"), path, g_strerror (errno));
      return FALSE;
    }
  make_termios (&tio, line);
  if (tcsetattr (fd, when, &tio) != 0)
    {
      g_set_error (error, LERS_ERROR, LERS_ERROR_CONNECTION, _ ("%s: cannot set the line: %s"),
                   path, g_strerror (errno));
      return FALSE;
    }
  return TRUE;
}

static LineSettings
current_line (LersSerialTransport *self)
{
  LineSettings line = {
    .baud_rate = self->baud_rate != 0 ? self->baud_rate : DEFAULT_BAUD,
    .data_bits = self->data_bits,
    .parity = self->parity,
    .stop_bits = self->stop_bits,
    .flow_control = self->flow_control,
  };
  return line;
}

/* ---- the pool ------------------------------------------------------------ */

typedef enum
{
  JOB_OPEN,
  JOB_READ,
  JOB_WRITE,
  JOB_CLOSE,
} JobKind;

typedef struct
{
  JobKind kind;
  GTask *task;
  GBytes *bytes;     /* JOB_WRITE */
  LineSettings line; /* JOB_OPEN */
  guint silence_us;  /* JOB_WRITE */
  gboolean echo;     /* JOB_WRITE */
  guint echo_timeout_ms;
  GCancellable *closing; /* the line's, as it was when the job was pushed */
} Job;

/* the running job's closing cancellable: open replaces the line's on the
 * main thread while older jobs may still run in the pool */
static GPrivate current_closing;

static void
job_free (Job *job)
{
  g_clear_object (&job->closing);
  g_clear_pointer (&job->bytes, g_bytes_unref);
  g_clear_object (&job->task);
  g_free (job);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Job, job_free)

/* Waits for @events on @fd (or only for time when @fd < 0) until @timeout_us
 * (-1: no limit); also wakes when @cancellable or @closing fire. Returns 1
 * when the fd is ready, 0 on timeout, -1 with @error set. */
static gint
wait_fd (LersSerialTransport *self, gint fd, gshort events, gint64 timeout_us,
         GCancellable *cancellable, GError **error)
{
  struct pollfd pfd[3];
  guint n = 0;
  gint fd_index = -1;
  gint64 deadline = timeout_us >= 0 ? g_get_monotonic_time () + timeout_us : -1;
  gint result = -1;
  gboolean have_cancel_fd = FALSE;
  GCancellable *closing;
  GPollFD gfd;

  if (fd >= 0)
    {
      pfd[n] = (struct pollfd){ .fd = fd, .events = events };
      fd_index = (gint) n++;
    }
  if (cancellable != NULL && g_cancellable_make_pollfd (cancellable, &gfd))
    {
      have_cancel_fd = TRUE;
      pfd[n++] = (struct pollfd){ .fd = gfd.fd, .events = POLLIN };
    }
  closing = g_private_get (&current_closing);
  if (g_cancellable_make_pollfd (closing, &gfd))
    pfd[n++] = (struct pollfd){ .fd = gfd.fd, .events = POLLIN };
  for (;;)
    {
      struct timespec ts, *tsp = NULL;
      gint r;

      if (g_cancellable_is_cancelled (cancellable))
        {
          g_set_error (error, LERS_ERROR, LERS_ERROR_CANCELLED, _ ("%s: cancelled"), self->path);
          break;
        }
      if (g_cancellable_is_cancelled (closing))
        {
          g_set_error (error, LERS_ERROR, LERS_ERROR_CONNECTION, _ ("The link %s is not open"),
                       self->path);
          break;
        }
      if (deadline >= 0)
        {
          gint64 left = MAX (deadline - g_get_monotonic_time (), 0);
          ts.tv_sec = left / G_USEC_PER_SEC;
          ts.tv_nsec = (left % G_USEC_PER_SEC) * 1000;
          tsp = &ts;
        }
      r = ppoll (pfd, n, tsp, NULL);
      if (r < 0 && errno == EINTR)
        continue;
      if (r < 0)
        {
          g_set_error (error, LERS_ERROR, LERS_ERROR_CONNECTION, "%s: %s", self->path,
                       g_strerror (errno));
          break;
        }
      if (fd_index >= 0 && pfd[fd_index].revents != 0)
        {
          result = 1;
          break;
        }
      if (r == 0)
        {
          result = 0;
          break;
        }
    }
  if (have_cancel_fd)
    g_cancellable_release_fd (cancellable);
  g_cancellable_release_fd (closing);
  return result;
}

static GError *
error_from_errno (const gchar *path, gint errsv)
{
  switch (errsv)
    {
    case ENOENT:
    case ENODEV:
    case ENXIO:
      return g_error_new (LERS_ERROR, LERS_ERROR_NOT_FOUND, _ ("%s: no such device"), path);
    case EACCES:
    case EPERM:
      return g_error_new (LERS_ERROR, LERS_ERROR_PERMISSION_DENIED,
                          _ ("%s: permission denied (is the user in the dialout group?)"), path);
    case EBUSY:
      return g_error_new (LERS_ERROR, LERS_ERROR_BUSY, _ ("%s is in use by another program"), path);
    default:
      return g_error_new (LERS_ERROR, LERS_ERROR_CONNECTION, "%s: %s", path, g_strerror (errsv));
    }
}

static void
job_open (LersSerialTransport *self, Job *job)
{
  GError *error = NULL;
  gint fd = open (self->path, O_RDWR | O_NOCTTY | O_NONBLOCK | O_CLOEXEC);
  gint flags;

  if (fd < 0)
    {
      g_task_return_error (job->task, error_from_errno (self->path, errno));
      return;
    }
  if (!apply_line (fd, self->path, &job->line, TCSANOW, &error))
    {
      close (fd);
      g_task_return_error (job->task, error);
      return;
    }
  if (ioctl (fd, TIOCEXCL) != 0)
    g_debug ("%s: no exclusive access: %s", self->path, g_strerror (errno));
  flags = fcntl (fd, F_GETFL);
  if (flags >= 0)
    fcntl (fd, F_SETFL, flags & ~O_NONBLOCK);
  tcflush (fd, TCIOFLUSH);
  g_rw_lock_writer_lock (&self->fd_lock);
  self->fd = fd;
  self->last_byte_us = g_get_monotonic_time ();
  g_rw_lock_writer_unlock (&self->fd_lock);
  g_task_return_boolean (job->task, TRUE);
}

static void
job_close (LersSerialTransport *self, Job *job)
{
  g_rw_lock_writer_lock (&self->fd_lock);
  if (self->fd >= 0)
    {
      tcflush (self->fd, TCIFLUSH);
      ioctl (self->fd, TIOCNXCL);
      close (self->fd);
      self->fd = -1;
    }
  g_rw_lock_writer_unlock (&self->fd_lock);
  g_task_return_boolean (job->task, TRUE);
}

/* reads at most @len bytes once the fd is readable; under the reader lock */
static gssize
read_some (LersSerialTransport *self, guint8 *buf, gsize len, gint64 timeout_us,
           GCancellable *cancellable, GError **error)
{
  for (;;)
    {
      gint ready = wait_fd (self, self->fd, POLLIN, timeout_us, cancellable, error);
      gssize n;

      if (ready <= 0)
        return ready;
      n = read (self->fd, buf, len);
      if (n > 0)
        {
          self->last_byte_us = g_get_monotonic_time ();
          return n;
        }
      if (n < 0 && (errno == EINTR || errno == EAGAIN))
        continue;
      g_set_error (error, LERS_ERROR, LERS_ERROR_CONNECTION,
                   _ ("The link %s was closed by the other end"), self->path);
      return -1;
    }
}

static void
job_read (LersSerialTransport *self, Job *job)
{
  GCancellable *cancellable = g_task_get_cancellable (job->task);
  g_autofree guint8 *buf = g_malloc (READ_CHUNK);
  GError *error = NULL;
  gssize n;

  g_rw_lock_reader_lock (&self->fd_lock);
  if (self->fd < 0)
    {
      g_rw_lock_reader_unlock (&self->fd_lock);
      g_task_return_new_error (job->task, LERS_ERROR, LERS_ERROR_CONNECTION,
                               _ ("The link %s is not open"), self->path);
      return;
    }
  n = read_some (self, buf, READ_CHUNK, -1, cancellable, &error);
  g_rw_lock_reader_unlock (&self->fd_lock);
  if (n < 0)
    {
      g_task_return_error (job->task, error);
      return;
    }
  g_task_return_pointer (job->task, g_bytes_new_take (g_steal_pointer (&buf), (gsize) n),
                         (GDestroyNotify) g_bytes_unref);
}

static gboolean
write_locked (LersSerialTransport *self, Job *job, GError **error)
{
  GCancellable *cancellable = g_task_get_cancellable (job->task);
  gsize len;
  const guint8 *data = g_bytes_get_data (job->bytes, &len);
  gsize done = 0;

  if (job->silence_us > 0)
    {
      gint64 quiet_until = self->last_byte_us + job->silence_us;
      gint64 now = g_get_monotonic_time ();

      if (now < quiet_until && wait_fd (self, -1, 0, quiet_until - now, cancellable, error) < 0)
        return FALSE;
    }
  while (done < len)
    {
      gssize n;
      gint ready = wait_fd (self, self->fd, POLLOUT, -1, cancellable, error);

      if (ready < 0)
        return FALSE;
      n = write (self->fd, data + done, len - done);
      if (n < 0 && (errno == EINTR || errno == EAGAIN))
        continue;
      if (n < 0)
        {
          g_set_error (error, LERS_ERROR, LERS_ERROR_CONNECTION, "%s: %s", self->path,
                       g_strerror (errno));
          return FALSE;
        }
      done += (gsize) n;
    }
  tcdrain (self->fd);
  self->last_byte_us = g_get_monotonic_time ();
  if (job->echo && len > 0)
    {
      g_autofree guint8 *echo = g_malloc (len);
      gsize got = 0;

      while (got < len)
        {
          gssize n = read_some (self, echo + got, len - got, (gint64) job->echo_timeout_ms * 1000,
                                cancellable, error);
          if (n < 0)
            return FALSE;
          if (n == 0)
            {
              g_set_error (error, LERS_ERROR, LERS_ERROR_TIMED_OUT,
                           _ ("%s: the line did not echo the request (%u of %u bytes came back)"),
                           self->path, (guint) got, (guint) len);
              return FALSE;
            }
          got += (gsize) n;
        }
      if (memcmp (echo, data, len) != 0)
        {
          g_set_error (error, LERS_ERROR, LERS_ERROR_INVALID_DATA,
                       _ ("%s: the echo of the request differs from what was sent (a collision "
                          "on the bus?)"),
                       self->path);
          return FALSE;
        }
    }
  return TRUE;
}

static void
job_write (LersSerialTransport *self, Job *job)
{
  GError *error = NULL;
  gboolean ok;

  g_rw_lock_reader_lock (&self->fd_lock);
  if (self->fd < 0)
    {
      g_rw_lock_reader_unlock (&self->fd_lock);
      g_task_return_new_error (job->task, LERS_ERROR, LERS_ERROR_CONNECTION,
                               _ ("The link %s is not open"), self->path);
      return;
    }
  ok = write_locked (self, job, &error);
  g_rw_lock_reader_unlock (&self->fd_lock);
  if (!ok)
    g_task_return_error (job->task, error);
  else
    g_task_return_boolean (job->task, TRUE);
}

static void
job_run (gpointer data, gpointer pool_data)
{
  g_autoptr (Job) job = data;
  LersSerialTransport *self = g_task_get_source_object (job->task);

  g_private_set (&current_closing, job->closing);
  switch (job->kind)
    {
    case JOB_OPEN:
      job_open (self, job);
      break;
    case JOB_READ:
      job_read (self, job);
      break;
    case JOB_WRITE:
      job_write (self, job);
      break;
    case JOB_CLOSE:
    default:
      job_close (self, job);
      break;
    }
}

static GThreadPool *
serial_pool (void)
{
  static gsize once = 0;
  static GThreadPool *pool = NULL;

  if (g_once_init_enter (&once))
    {
      /* unbounded: a read waits on its line as long as the exchange's
       * timers allow, so each busy line holds a thread; a bound would let
       * 33 quiet lines starve the next line's request (idle threads are
       * reaped by GLib) */
      pool = g_thread_pool_new (job_run, NULL, -1, FALSE, NULL);
      g_once_init_leave (&once, 1);
    }
  return pool;
}

static void
job_submit (LersSerialTransport *self, JobKind kind, GCancellable *cancellable,
            GAsyncReadyCallback callback, gpointer user_data, gpointer source_tag, Job **out)
{
  Job *job = g_new0 (Job, 1);

  job->kind = kind;
  job->task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (job->task, source_tag);
  /* the line's own errors, not GIO's generic "cancelled", reach the caller */
  g_task_set_check_cancellable (job->task, FALSE);
  if (out != NULL)
    *out = job;
}

static void
job_push (Job *job)
{
  LersSerialTransport *self = g_task_get_source_object (job->task);

  job->closing = g_object_ref (self->closing);
  g_thread_pool_push (serial_pool (), job, NULL);
}

/* ---- vfuncs -------------------------------------------------------------- */

static void
lers_serial_transport_open_async (LersTransport *transport, GCancellable *cancellable,
                                  GAsyncReadyCallback callback, gpointer user_data)
{
  LersSerialTransport *self = LERS_SERIAL_TRANSPORT (transport);
  Job *job;

  job_submit (self, JOB_OPEN, cancellable, callback, user_data, lers_serial_transport_open_async,
              &job);
  job->line = current_line (self);
  g_clear_object (&self->closing);
  self->closing = g_cancellable_new ();
  job_push (job);
}

static gboolean
task_finish_boolean (LersTransport *self, GAsyncResult *result, GError **error)
{
  return g_task_propagate_boolean (G_TASK (result), error);
}

static GBytes *
task_finish_bytes (LersTransport *self, GAsyncResult *result, GError **error)
{
  return g_task_propagate_pointer (G_TASK (result), error);
}

static void
lers_serial_transport_close_async (LersTransport *transport, GCancellable *cancellable,
                                   GAsyncReadyCallback callback, gpointer user_data)
{
  LersSerialTransport *self = LERS_SERIAL_TRANSPORT (transport);
  Job *job;

  job_submit (self, JOB_CLOSE, cancellable, callback, user_data, lers_serial_transport_close_async,
              &job);
  /* pending reads return now, then the pool closes the fd */
  g_cancellable_cancel (self->closing);
  job_push (job);
}

static void
lers_serial_transport_write_async (LersTransport *transport, GBytes *bytes,
                                   GCancellable *cancellable, GAsyncReadyCallback callback,
                                   gpointer user_data)
{
  LersSerialTransport *self = LERS_SERIAL_TRANSPORT (transport);
  Job *job;
  guint baud = self->baud_rate != 0 ? self->baud_rate : DEFAULT_BAUD;

  job_submit (self, JOB_WRITE, cancellable, callback, user_data, lers_serial_transport_write_async,
              &job);
  job->bytes = g_bytes_ref (bytes);
  job->silence_us = self->inter_frame_silence_us;
  job->echo = self->echo;
  /* the wire time of the request (11 bits a byte at most) and some slack */
  job->echo_timeout_ms = (guint) MIN (
      (guint64) g_bytes_get_size (bytes) * 11 * 1000 / baud + ECHO_SLACK_MS, G_MAXUINT);
  job_push (job);
}

static void
lers_serial_transport_read_async (LersTransport *transport, GCancellable *cancellable,
                                  GAsyncReadyCallback callback, gpointer user_data)
{
  LersSerialTransport *self = LERS_SERIAL_TRANSPORT (transport);
  Job *job;

  job_submit (self, JOB_READ, cancellable, callback, user_data, lers_serial_transport_read_async,
              &job);
  job_push (job);
}

static gboolean
lers_serial_transport_set_line (LersTransport *transport, guint baud_rate, guint data_bits,
                                LersParity parity, guint stop_bits, GError **error)
{
  LersSerialTransport *self = LERS_SERIAL_TRANSPORT (transport);
  LineSettings line;
  gboolean ok = TRUE;

  if (!check_line (self->path, baud_rate, data_bits, parity, stop_bits, error))
    return FALSE;
  line = current_line (self);
  line.baud_rate = baud_rate;
  line.data_bits = data_bits;
  line.parity = parity;
  line.stop_bits = stop_bits;
  g_rw_lock_reader_lock (&self->fd_lock);
  if (self->fd >= 0)
    ok = apply_line (self->fd, self->path, &line, TCSADRAIN, error);
  g_rw_lock_reader_unlock (&self->fd_lock);
  if (!ok)
    return FALSE;
  g_object_freeze_notify (G_OBJECT (self));
  if (self->baud_rate != baud_rate)
    {
      self->baud_rate = baud_rate;
      g_object_notify_by_pspec (G_OBJECT (self), props[PROP_BAUD_RATE]);
    }
  if (self->data_bits != data_bits)
    {
      self->data_bits = data_bits;
      g_object_notify_by_pspec (G_OBJECT (self), props[PROP_DATA_BITS]);
    }
  if (self->parity != parity)
    {
      self->parity = parity;
      g_object_notify_by_pspec (G_OBJECT (self), props[PROP_PARITY]);
    }
  if (self->stop_bits != stop_bits)
    {
      self->stop_bits = stop_bits;
      g_object_notify_by_pspec (G_OBJECT (self), props[PROP_STOP_BITS]);
    }
  g_object_thaw_notify (G_OBJECT (self));
  return TRUE;
}

static void
lers_serial_transport_discard_input (LersTransport *transport)
{
  LersSerialTransport *self = LERS_SERIAL_TRANSPORT (transport);

  g_rw_lock_reader_lock (&self->fd_lock);
  if (self->fd >= 0)
    tcflush (self->fd, TCIFLUSH);
  g_rw_lock_reader_unlock (&self->fd_lock);
}

/* applies a changed framing property to an open line */
static void
reapply (LersSerialTransport *self)
{
  g_autoptr (GError) error = NULL;
  LineSettings line = current_line (self);

  g_rw_lock_reader_lock (&self->fd_lock);
  if (self->fd >= 0 && !apply_line (self->fd, self->path, &line, TCSADRAIN, &error))
    g_debug ("%s", error->message);
  g_rw_lock_reader_unlock (&self->fd_lock);
}

/* ---- GObject ------------------------------------------------------------- */

static void
lers_serial_transport_finalize (GObject *object)
{
  LersSerialTransport *self = LERS_SERIAL_TRANSPORT (object);

  if (self->fd >= 0)
    close (self->fd);
  g_clear_object (&self->closing);
  g_rw_lock_clear (&self->fd_lock);
  g_free (self->path);
  G_OBJECT_CLASS (lers_serial_transport_parent_class)->finalize (object);
}

static void
lers_serial_transport_get_property (GObject *object, guint prop_id, GValue *value,
                                    GParamSpec *pspec)
{
  LersSerialTransport *self = LERS_SERIAL_TRANSPORT (object);

  switch (prop_id)
    {
    case PROP_PATH:
      g_value_set_string (value, self->path);
      break;
    case PROP_BAUD_RATE:
      g_value_set_uint (value, self->baud_rate);
      break;
    case PROP_DATA_BITS:
      g_value_set_uint (value, self->data_bits);
      break;
    case PROP_PARITY:
      g_value_set_enum (value, self->parity);
      break;
    case PROP_STOP_BITS:
      g_value_set_uint (value, self->stop_bits);
      break;
    case PROP_FLOW_CONTROL:
      g_value_set_enum (value, self->flow_control);
      break;
    case PROP_INTER_FRAME_SILENCE_US:
      g_value_set_uint (value, self->inter_frame_silence_us);
      break;
    case PROP_ECHO:
      g_value_set_boolean (value, self->echo);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
lers_serial_transport_set_property (GObject *object, guint prop_id, const GValue *value,
                                    GParamSpec *pspec)
{
  LersSerialTransport *self = LERS_SERIAL_TRANSPORT (object);

  switch (prop_id)
    {
    case PROP_PATH:
      g_free (self->path);
      self->path = g_value_dup_string (value);
      break;
    case PROP_BAUD_RATE:
      {
        g_autoptr (GError) error = NULL;
        if (!lers_serial_transport_set_baud_rate (self, g_value_get_uint (value), &error))
          g_warning ("%s", error->message);
      }
      break;
    case PROP_DATA_BITS:
      lers_serial_transport_set_data_bits (self, g_value_get_uint (value));
      break;
    case PROP_PARITY:
      lers_serial_transport_set_parity (self, g_value_get_enum (value));
      break;
    case PROP_STOP_BITS:
      lers_serial_transport_set_stop_bits (self, g_value_get_uint (value));
      break;
    case PROP_FLOW_CONTROL:
      lers_serial_transport_set_flow_control (self, g_value_get_enum (value));
      break;
    case PROP_INTER_FRAME_SILENCE_US:
      lers_serial_transport_set_inter_frame_silence_us (self, g_value_get_uint (value));
      break;
    case PROP_ECHO:
      lers_serial_transport_set_echo (self, g_value_get_boolean (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
lers_serial_transport_class_init (LersSerialTransportClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  LersTransportClass *transport_class = LERS_TRANSPORT_CLASS (klass);
  GParamFlags rw = G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS;

  object_class->finalize = lers_serial_transport_finalize;
  object_class->get_property = lers_serial_transport_get_property;
  object_class->set_property = lers_serial_transport_set_property;
  transport_class->open_async = lers_serial_transport_open_async;
  transport_class->open_finish = task_finish_boolean;
  transport_class->close_async = lers_serial_transport_close_async;
  transport_class->close_finish = task_finish_boolean;
  transport_class->write_async = lers_serial_transport_write_async;
  transport_class->write_finish = task_finish_boolean;
  transport_class->read_async = lers_serial_transport_read_async;
  transport_class->read_finish = task_finish_bytes;
  transport_class->set_line = lers_serial_transport_set_line;
  transport_class->discard_input = lers_serial_transport_discard_input;

  /**
   * LersSerialTransport:path:
   *
   * The device file: `/dev/ttyUSB0`, `/dev/ttyS1`.
   *
   * Since: 0.3
   */
  props[PROP_PATH]
      = g_param_spec_string ("path", NULL, NULL, NULL,
                             G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  /**
   * LersSerialTransport:baud-rate:
   *
   * Bits per second, 300 to 230400; 0 until chosen, when the driver's
   * usual speed applies (lers_transport_set_line_default()), or 9600.
   *
   * Since: 0.3
   */
  props[PROP_BAUD_RATE] = g_param_spec_uint ("baud-rate", NULL, NULL, 0, 230400, 0, rw);
  /**
   * LersSerialTransport:data-bits:
   *
   * Data bits a character, 5 to 8.
   *
   * Since: 0.3
   */
  props[PROP_DATA_BITS] = g_param_spec_uint ("data-bits", NULL, NULL, 5, 8, 8, rw);
  /**
   * LersSerialTransport:parity:
   *
   * The parity bit.
   *
   * Since: 0.3
   */
  props[PROP_PARITY]
      = g_param_spec_enum ("parity", NULL, NULL, LERS_TYPE_PARITY, LERS_PARITY_NONE, rw);
  /**
   * LersSerialTransport:stop-bits:
   *
   * Stop bits, 1 or 2.
   *
   * Since: 0.3
   */
  props[PROP_STOP_BITS] = g_param_spec_uint ("stop-bits", NULL, NULL, 1, 2, 1, rw);
  /**
   * LersSerialTransport:flow-control:
   *
   * RTS/CTS, XON/XOFF or none.
   *
   * Since: 0.3
   */
  props[PROP_FLOW_CONTROL] = g_param_spec_enum ("flow-control", NULL, NULL, LERS_TYPE_FLOW_CONTROL,
                                                LERS_FLOW_CONTROL_NONE, rw);
  /**
   * LersSerialTransport:inter-frame-silence-us:
   *
   * Microseconds the line stays quiet, since its last byte either way,
   * before each write: Modbus RTU's 3.5 characters. 0 for none.
   *
   * Since: 0.3
   */
  props[PROP_INTER_FRAME_SILENCE_US]
      = g_param_spec_uint ("inter-frame-silence-us", NULL, NULL, 0, 10000000, 0, rw);
  /**
   * LersSerialTransport:echo:
   *
   * Whether the line reads back what is sent (two-wire RS-485 adapters):
   * after each write exactly those bytes are read and dropped, and
   * anything else there is %LERS_ERROR_INVALID_DATA.
   *
   * Since: 0.3
   */
  props[PROP_ECHO] = g_param_spec_boolean ("echo", NULL, NULL, FALSE, rw);
  g_object_class_install_properties (object_class, N_PROPS, props);
}

static void
lers_serial_transport_init (LersSerialTransport *self)
{
  g_rw_lock_init (&self->fd_lock);
  self->fd = -1;
  self->data_bits = 8;
  self->parity = LERS_PARITY_NONE;
  self->stop_bits = 1;
  self->flow_control = LERS_FLOW_CONTROL_NONE;
  self->closing = g_cancellable_new ();
}

/* ---- public -------------------------------------------------------------- */

/**
 * lers_serial_transport_new:
 * @path: the device file, such as `/dev/ttyUSB0`
 *
 * Returns: (transfer full): a closed serial line, 8N1 without flow control
 *   and without a chosen speed; open it with lers_transport_open_async()
 *
 * Since: 0.3
 */
LersTransport *
lers_serial_transport_new (const gchar *path)
{
  g_return_val_if_fail (path != NULL, NULL);
  return g_object_new (LERS_TYPE_SERIAL_TRANSPORT, "description", path, "path", path, NULL);
}

/**
 * lers_serial_transport_get_path:
 * @self: a #LersSerialTransport
 *
 * Returns: #LersSerialTransport:path
 *
 * Since: 0.3
 */
const gchar *
lers_serial_transport_get_path (LersSerialTransport *self)
{
  g_return_val_if_fail (LERS_IS_SERIAL_TRANSPORT (self), NULL);
  return self->path;
}

/**
 * lers_serial_transport_get_baud_rate:
 * @self: a #LersSerialTransport
 *
 * Returns: #LersSerialTransport:baud-rate; 0 when not chosen
 *
 * Since: 0.3
 */
guint
lers_serial_transport_get_baud_rate (LersSerialTransport *self)
{
  g_return_val_if_fail (LERS_IS_SERIAL_TRANSPORT (self), 0);
  return self->baud_rate;
}

/**
 * lers_serial_transport_set_baud_rate:
 * @self: a #LersSerialTransport
 * @baud_rate: bits per second, 300 to 230400 (a standard speed); 0 for
 *   not chosen
 * @error: return location for a #GError
 *
 * Chooses the speed, so the driver's usual one no longer applies; an open
 * line changes at once.
 *
 * Returns: %FALSE with %LERS_ERROR_INVALID_ARGUMENT for a speed that is
 *   not in the table
 *
 * Since: 0.3
 */
gboolean
lers_serial_transport_set_baud_rate (LersSerialTransport *self, guint baud_rate, GError **error)
{
  g_return_val_if_fail (LERS_IS_SERIAL_TRANSPORT (self), FALSE);
  if (baud_rate == 0)
    {
      /* back to "not chosen" (the line stays as it is until opened again) */
      if (self->baud_rate != 0)
        {
          self->baud_rate = 0;
          g_object_notify_by_pspec (G_OBJECT (self), props[PROP_BAUD_RATE]);
        }
      return TRUE;
    }
  return lers_transport_set_line (LERS_TRANSPORT (self), baud_rate, self->data_bits, self->parity,
                                  self->stop_bits, error);
}

/**
 * lers_serial_transport_get_data_bits:
 * @self: a #LersSerialTransport
 *
 * Returns: #LersSerialTransport:data-bits
 *
 * Since: 0.3
 */
guint
lers_serial_transport_get_data_bits (LersSerialTransport *self)
{
  g_return_val_if_fail (LERS_IS_SERIAL_TRANSPORT (self), 0);
  return self->data_bits;
}

/**
 * lers_serial_transport_set_data_bits:
 * @self: a #LersSerialTransport
 * @data_bits: 5 to 8
 *
 * Since: 0.3
 */
void
lers_serial_transport_set_data_bits (LersSerialTransport *self, guint data_bits)
{
  g_return_if_fail (LERS_IS_SERIAL_TRANSPORT (self));
  g_return_if_fail (data_bits >= 5 && data_bits <= 8);
  if (self->data_bits == data_bits)
    return;
  self->data_bits = data_bits;
  reapply (self);
  g_object_notify_by_pspec (G_OBJECT (self), props[PROP_DATA_BITS]);
}

/**
 * lers_serial_transport_get_parity:
 * @self: a #LersSerialTransport
 *
 * Returns: #LersSerialTransport:parity
 *
 * Since: 0.3
 */
LersParity
lers_serial_transport_get_parity (LersSerialTransport *self)
{
  g_return_val_if_fail (LERS_IS_SERIAL_TRANSPORT (self), LERS_PARITY_NONE);
  return self->parity;
}

/**
 * lers_serial_transport_set_parity:
 * @self: a #LersSerialTransport
 * @parity: the parity
 *
 * Since: 0.3
 */
void
lers_serial_transport_set_parity (LersSerialTransport *self, LersParity parity)
{
  g_return_if_fail (LERS_IS_SERIAL_TRANSPORT (self));
  g_return_if_fail (parity <= LERS_PARITY_EVEN);
  if (self->parity == parity)
    return;
  self->parity = parity;
  reapply (self);
  g_object_notify_by_pspec (G_OBJECT (self), props[PROP_PARITY]);
}

/**
 * lers_serial_transport_get_stop_bits:
 * @self: a #LersSerialTransport
 *
 * Returns: #LersSerialTransport:stop-bits
 *
 * Since: 0.3
 */
guint
lers_serial_transport_get_stop_bits (LersSerialTransport *self)
{
  g_return_val_if_fail (LERS_IS_SERIAL_TRANSPORT (self), 0);
  return self->stop_bits;
}

/**
 * lers_serial_transport_set_stop_bits:
 * @self: a #LersSerialTransport
 * @stop_bits: 1 or 2
 *
 * Since: 0.3
 */
void
lers_serial_transport_set_stop_bits (LersSerialTransport *self, guint stop_bits)
{
  g_return_if_fail (LERS_IS_SERIAL_TRANSPORT (self));
  g_return_if_fail (stop_bits == 1 || stop_bits == 2);
  if (self->stop_bits == stop_bits)
    return;
  self->stop_bits = stop_bits;
  reapply (self);
  g_object_notify_by_pspec (G_OBJECT (self), props[PROP_STOP_BITS]);
}

/**
 * lers_serial_transport_get_flow_control:
 * @self: a #LersSerialTransport
 *
 * Returns: #LersSerialTransport:flow-control
 *
 * Since: 0.3
 */
LersFlowControl
lers_serial_transport_get_flow_control (LersSerialTransport *self)
{
  g_return_val_if_fail (LERS_IS_SERIAL_TRANSPORT (self), LERS_FLOW_CONTROL_NONE);
  return self->flow_control;
}

/**
 * lers_serial_transport_set_flow_control:
 * @self: a #LersSerialTransport
 * @flow_control: RTS/CTS, XON/XOFF or none
 *
 * Since: 0.3
 */
void
lers_serial_transport_set_flow_control (LersSerialTransport *self, LersFlowControl flow_control)
{
  g_return_if_fail (LERS_IS_SERIAL_TRANSPORT (self));
  g_return_if_fail (flow_control <= LERS_FLOW_CONTROL_SOFTWARE);
  if (self->flow_control == flow_control)
    return;
  self->flow_control = flow_control;
  reapply (self);
  g_object_notify_by_pspec (G_OBJECT (self), props[PROP_FLOW_CONTROL]);
}

/**
 * lers_serial_transport_get_inter_frame_silence_us:
 * @self: a #LersSerialTransport
 *
 * Returns: #LersSerialTransport:inter-frame-silence-us
 *
 * Since: 0.3
 */
guint
lers_serial_transport_get_inter_frame_silence_us (LersSerialTransport *self)
{
  g_return_val_if_fail (LERS_IS_SERIAL_TRANSPORT (self), 0);
  return self->inter_frame_silence_us;
}

/**
 * lers_serial_transport_set_inter_frame_silence_us:
 * @self: a #LersSerialTransport
 * @value: microseconds of quiet before each write; 0 for none
 *
 * Since: 0.3
 */
void
lers_serial_transport_set_inter_frame_silence_us (LersSerialTransport *self, guint value)
{
  g_return_if_fail (LERS_IS_SERIAL_TRANSPORT (self));
  if (self->inter_frame_silence_us == value)
    return;
  self->inter_frame_silence_us = value;
  g_object_notify_by_pspec (G_OBJECT (self), props[PROP_INTER_FRAME_SILENCE_US]);
}

/**
 * lers_serial_transport_get_echo:
 * @self: a #LersSerialTransport
 *
 * Returns: #LersSerialTransport:echo
 *
 * Since: 0.3
 */
gboolean
lers_serial_transport_get_echo (LersSerialTransport *self)
{
  g_return_val_if_fail (LERS_IS_SERIAL_TRANSPORT (self), FALSE);
  return self->echo;
}

/**
 * lers_serial_transport_set_echo:
 * @self: a #LersSerialTransport
 * @echo: whether the line reads back what is sent
 *
 * Since: 0.3
 */
void
lers_serial_transport_set_echo (LersSerialTransport *self, gboolean echo)
{
  g_return_if_fail (LERS_IS_SERIAL_TRANSPORT (self));
  echo = !!echo;
  if (self->echo == echo)
    return;
  self->echo = echo;
  g_object_notify_by_pspec (G_OBJECT (self), props[PROP_ECHO]);
}
