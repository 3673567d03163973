/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * The ТВ7 session, async over lers_transport_exchange_async():
 *
 *   open:        the line default (9600 8N1), then a clock read (0x1E88,
 *                3 words): a meter that does not answer fails here
 *   clock:       0x1E88, 3 words: MM DD hh YY ss mm
 *   current:     0x1E88, 0x89 words
 *   totals:      the clock, then 0x1D88, 0x89 words
 *   hour/day/month, per period: write the request block at 0x0063
 *                (MM DD hh YY, archive type), then read 0x1B88, 0x8E
 *                words; C8 to either = no record for that period
 *   events:      the hour archive over the range; hours with ВОС > 0 in a
 *                row on one heat input make one event
 *
 * A request that times out, or whose answer is garbled (CRC, length) or
 * from another address, is sent again up to `retries` times.
 */
#include <math.h>
#include <string.h>

#include "lers-tv7-session.h"

#include <glib/gi18n-lib.h>

#include "tv7-data.h"
#include "tv7-frame.h"
#include "tv7-records.h"

struct _LersTv7Session
{
  LersDeviceSession parent_instance;

  guint8 address;
  guint retries;
  GTimeZone *zone;
  gdouble heat_factor; /* the device's heat unit → Gcal */
  gboolean stamp_end;  /* hour records are asked for by their end */
};

G_DEFINE_DYNAMIC_TYPE_EXTENDED (LersTv7Session, lers_tv7_session, LERS_TYPE_DEVICE_SESSION,
                                G_TYPE_FLAG_FINAL, {})

/* ---- one request, resent on a timeout or a garbled answer ------------------- */

typedef struct
{
  GBytes *request;
  guint attempt;
  Tv7Expect expect;
  gboolean check_expect;
} RequestData;

static void
request_data_free (RequestData *r)
{
  g_clear_pointer (&r->request, g_bytes_unref);
  g_free (r);
}

static void request_send (GTask *task);

static void
request_retry (GTask *task, GError *why)
{
  LersTv7Session *self = g_task_get_source_object (task);
  RequestData *r = g_task_get_task_data (task);
  g_autoptr (GError) error = why;

  if (r->attempt >= self->retries)
    {
      /* TRANSLATORS: the ТВ7 address, the number of tries */
      g_prefix_error (&error, _ ("TV7 at address %u, %u attempts: "), self->address,
                      r->attempt + 1);
      g_task_return_error (task, g_steal_pointer (&error));
      g_object_unref (task);
      return;
    }
  r->attempt++;
  g_debug ("%s; retry %u of %u", error->message, r->attempt, self->retries);
  request_send (task);
}

static void
request_answered_cb (GObject *source, GAsyncResult *result, gpointer user_data)
{
  GTask *task = user_data;
  LersTv7Session *self = g_task_get_source_object (task);
  g_autoptr (GError) error = NULL;
  g_autoptr (GBytes) answer
      = lers_transport_exchange_finish (LERS_TRANSPORT (source), result, &error);
  g_autoptr (Tv7Frame) frame = NULL;
  gsize len = 0;
  const guint8 *buf;

  if (answer == NULL)
    {
      if (g_error_matches (error, LERS_ERROR, LERS_ERROR_TIMED_OUT))
        {
          request_retry (task, g_steal_pointer (&error));
          return;
        }
      g_task_return_error (task, g_steal_pointer (&error));
      g_object_unref (task);
      return;
    }
  buf = g_bytes_get_data (answer, &len);
  frame = tv7_reply_parse (buf, len, &error);
  if (frame == NULL)
    {
      request_retry (task, g_steal_pointer (&error));
      return;
    }
  /* address 0 reaches whoever is on the line: any address answers it */
  if (self->address != 0 && frame->address != self->address)
    {
      request_retry (task, g_error_new (LERS_ERROR, LERS_ERROR_INVALID_DATA,
                                        _ ("TV7 reply from address %u, not %u"), frame->address,
                                        self->address));
      return;
    }
  g_task_return_pointer (task, g_steal_pointer (&frame), (GDestroyNotify) tv7_frame_free);
  g_object_unref (task);
}

static void
request_send (GTask *task)
{
  LersTv7Session *self = g_task_get_source_object (task);
  RequestData *r = g_task_get_task_data (task);

  /* a reply of the wrong length or ID is a late answer to an earlier
   * request: the scanner drops it and keeps listening */
  lers_transport_exchange_async (lers_device_session_get_transport (LERS_DEVICE_SESSION (self)),
                                 r->request, tv7_reply_scan_expect,
                                 r->check_expect ? g_memdup2 (&r->expect, sizeof r->expect) : NULL,
                                 g_free, g_task_get_cancellable (task), request_answered_cb, task);
}

/* @request: (transfer full) */
static void
session_request_async (LersTv7Session *self, GBytes *request, GCancellable *cancellable,
                       GAsyncReadyCallback callback, gpointer user_data)
{
  GTask *task = g_task_new (self, cancellable, callback, user_data);
  RequestData *r = g_new0 (RequestData, 1);

  r->request = request;
  r->check_expect = tv7_expect_for_request (request, &r->expect);
  g_task_set_task_data (task, r, (GDestroyNotify) request_data_free);
  request_send (task);
}

static Tv7Frame *
session_request_finish (LersTv7Session *self, GAsyncResult *result, GError **error)
{
  return g_task_propagate_pointer (G_TASK (result), error);
}

/* request numbers as the Python driver of README.md sends them: 0 for the
 * first request of a read, 1 for the second */
#define FIRST 0
#define SECOND 1

/* the data of a 0x48 reply of at least @need bytes, else an error */
static const guint8 *
reply_data (Tv7Frame *frame, gsize need, GError **error)
{
  gsize n = 0;
  const guint8 *data = g_bytes_get_data (frame->data, &n);

  if (frame->function == TV7_FN_ERROR)
    {
      g_set_error (error, LERS_ERROR,
                   frame->error_code == 0x01 ? LERS_ERROR_NOT_SUPPORTED : LERS_ERROR_INVALID_DATA,
                   _ ("TV7 error reply, code %u"), frame->error_code);
      return NULL;
    }
  if (n < need)
    {
      g_set_error (error, LERS_ERROR, LERS_ERROR_INVALID_DATA,
                   _ ("TV7 block of %u bytes, %u needed"), (guint) n, (guint) need);
      return NULL;
    }
  return data;
}

/* Whether an archive request's answer is the device's "no record": a C8
 * reply (README.md, Sources: the Python driver takes any C8 to the record
 * read as no record; the code it carries is not known), except code 1,
 * Modbus's "illegal function": the device does not have the archive. */
static gboolean
is_no_record (Tv7Frame *frame, GError **error)
{
  if (frame->function != TV7_FN_ERROR)
    return FALSE;
  if (frame->error_code == 0x01)
    {
      g_set_error (error, LERS_ERROR, LERS_ERROR_NOT_SUPPORTED,
                   _ ("TV7 refuses the archive request: error reply, code %u"), frame->error_code);
      return FALSE;
    }
  return TRUE;
}

static GDateTime *
clock_to_time (LersTv7Session *self, const Tv7Clock *c, GError **error)
{
  GDateTime *t = g_date_time_new (self->zone, 2000 + (gint) c->year, (gint) c->month, (gint) c->day,
                                  (gint) c->hour, (gint) c->minute, c->second);
  if (t == NULL)
    g_set_error (error, LERS_ERROR, LERS_ERROR_INVALID_DATA, _ ("TV7 clock is not a date"));
  return t;
}

/* ---- open ---------------------------------------------------------------------- */

static void
open_clock_cb (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr (GTask) task = user_data;
  LersTv7Session *self = LERS_TV7_SESSION (source);
  g_autoptr (GError) error = NULL;
  g_autoptr (Tv7Frame) frame = session_request_finish (self, result, &error);
  const guint8 *data;
  Tv7Clock clock;

  if (frame == NULL || (data = reply_data (frame, TV7_CLOCK_SIZE, &error)) == NULL
      || !tv7_clock_decode (data, TV7_CLOCK_SIZE, &clock, &error))
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  g_task_return_boolean (task, TRUE);
}

static gboolean
parse_options (LersTv7Session *self, GError **error)
{
  LersDeviceSession *session = LERS_DEVICE_SESSION (self);
  const gchar *address = lers_device_session_get_option (session, "address");
  const gchar *unit = lers_device_session_get_option (session, "heat-unit");
  const gchar *stamp = lers_device_session_get_option (session, "hour-stamp");
  guint64 a = 0;

  if (address == NULL)
    address = lers_device_get_network_address (lers_device_session_get_device (session));
  if (address == NULL || *address == '\0')
    address = "0";
  if (!g_ascii_string_to_unsigned (address, 10, 0, 247, &a, NULL))
    {
      g_set_error (error, LERS_ERROR, LERS_ERROR_INVALID_ARGUMENT,
                   _ ("TV7 address must be 0…247, not “%s”"), address);
      return FALSE;
    }
  self->address = (guint8) a;
  if (unit == NULL || g_ascii_strcasecmp (unit, "gcal") == 0)
    self->heat_factor = 1.0;
  else if (g_ascii_strcasecmp (unit, "gj") == 0)
    self->heat_factor = 1.0 / 4.1868;
  else if (g_ascii_strcasecmp (unit, "mwh") == 0)
    self->heat_factor = 1.0 / 1.163;
  else
    {
      g_set_error (error, LERS_ERROR, LERS_ERROR_INVALID_ARGUMENT,
                   _ ("TV7 heat-unit must be gcal, gj or mwh, not “%s”"), unit);
      return FALSE;
    }
  self->stamp_end = stamp != NULL && g_ascii_strcasecmp (stamp, "end") == 0;
  self->retries = lers_device_session_get_option_uint (
      session, "retries", lers_transport_get_retries (lers_device_session_get_transport (session)));
  return TRUE;
}

static void
lers_tv7_session_open_async (LersDeviceSession *session, GCancellable *cancellable,
                             GAsyncReadyCallback callback, gpointer user_data)
{
  LersTv7Session *self = LERS_TV7_SESSION (session);
  GTask *task = g_task_new (self, cancellable, callback, user_data);
  LersTransport *transport = lers_device_session_get_transport (session);
  g_autoptr (GError) error = NULL;

  g_task_set_source_tag (task, lers_tv7_session_open_async);
  g_clear_pointer (&self->zone, g_time_zone_unref);
  self->zone = lers_device_dup_clock_time_zone (lers_device_session_get_device (session));
  if (!parse_options (self, &error)
      || !lers_transport_set_line_default (transport, 9600, 8, LERS_PARITY_NONE, 1, &error))
    {
      g_task_return_error (task, g_steal_pointer (&error));
      g_object_unref (task);
      return;
    }
  session_request_async (self,
                         tv7_request_read (self->address, TV7_ADDR_CURRENT, TV7_WORDS_CLOCK, FIRST),
                         cancellable, open_clock_cb, task);
}

static gboolean
lers_tv7_session_open_finish (LersDeviceSession *session, GAsyncResult *result, GError **error)
{
  return g_task_propagate_boolean (G_TASK (result), error);
}

/* ---- the clock ---------------------------------------------------------------- */

static void
clock_cb (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr (GTask) task = user_data;
  LersTv7Session *self = LERS_TV7_SESSION (source);
  g_autoptr (GError) error = NULL;
  g_autoptr (Tv7Frame) frame = session_request_finish (self, result, &error);
  const guint8 *data;
  Tv7Clock clock;
  GDateTime *t;

  if (frame == NULL || (data = reply_data (frame, TV7_CLOCK_SIZE, &error)) == NULL
      || !tv7_clock_decode (data, TV7_CLOCK_SIZE, &clock, &error)
      || (t = clock_to_time (self, &clock, &error)) == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  g_task_return_pointer (task, t, (GDestroyNotify) g_date_time_unref);
}

static void
lers_tv7_session_read_clock_async (LersDeviceSession *session, GCancellable *cancellable,
                                   GAsyncReadyCallback callback, gpointer user_data)
{
  LersTv7Session *self = LERS_TV7_SESSION (session);
  GTask *task = g_task_new (self, cancellable, callback, user_data);

  g_task_set_source_tag (task, lers_tv7_session_read_clock_async);
  session_request_async (self,
                         tv7_request_read (self->address, TV7_ADDR_CURRENT, TV7_WORDS_CLOCK, FIRST),
                         cancellable, clock_cb, task);
}

static GDateTime *
lers_tv7_session_read_clock_finish (LersDeviceSession *session, GAsyncResult *result,
                                    GError **error)
{
  return g_task_propagate_pointer (G_TASK (result), error);
}

static void
lers_tv7_session_set_clock_async (LersDeviceSession *session, GDateTime *time,
                                  GCancellable *cancellable, GAsyncReadyCallback callback,
                                  gpointer user_data)
{
  GTask *task = g_task_new (session, cancellable, callback, user_data);

  g_task_set_source_tag (task, lers_tv7_session_set_clock_async);
  g_task_return_new_error (task, LERS_ERROR, LERS_ERROR_NOT_SUPPORTED,
                           _ ("setting the TV7 clock is not supported: its write request is not "
                              "documented"));
  g_object_unref (task);
}

static gboolean
lers_tv7_session_set_clock_finish (LersDeviceSession *session, GAsyncResult *result, GError **error)
{
  return g_task_propagate_boolean (G_TASK (result), error);
}

/* ---- reading ------------------------------------------------------------------ */

typedef struct
{
  LersArchiveKind kind;
  gboolean events;
  GArray *periods; /* gint64 Unix starts */
  guint index;
  GPtrArray *records;
  LersProgress *progress;
  GDateTime *clock; /* totals: the device's time */
} ReadData;

static void
read_data_free (ReadData *d)
{
  g_clear_pointer (&d->periods, g_array_unref);
  g_clear_pointer (&d->records, g_ptr_array_unref);
  g_clear_object (&d->progress);
  g_clear_pointer (&d->clock, g_date_time_unref);
  g_free (d);
}

static Tv7ArchiveType
archive_type (LersArchiveKind kind)
{
  return kind == LERS_ARCHIVE_KIND_DAY     ? TV7_ARCHIVE_DAY
         : kind == LERS_ARCHIVE_KIND_MONTH ? TV7_ARCHIVE_MONTH
                                           : TV7_ARCHIVE_HOUR;
}

static void read_period (GTask *task);
static void read_finish (GTask *task);

static GDateTime *
period_time (LersTv7Session *self, ReadData *d)
{
  gint64 s = g_array_index (d->periods, gint64, d->index);
  g_autoptr (GDateTime) utc = g_date_time_new_from_unix_utc (s);
  return g_date_time_to_timezone (utc, self->zone);
}

/* the wall time the device files the period under */
static GDateTime *
period_stamp (LersTv7Session *self, ReadData *d)
{
  g_autoptr (GDateTime) t = period_time (self, d);

  if (d->kind == LERS_ARCHIVE_KIND_HOUR && self->stamp_end)
    return g_date_time_add_hours (t, 1);
  return g_date_time_ref (t);
}

static gboolean
stamp_matches (ReadData *d, GDateTime *stamp, const Tv7Archive *a)
{
  if (a->month != (guint) g_date_time_get_month (stamp)
      || a->year != (guint) (g_date_time_get_year (stamp) % 100))
    return FALSE;
  if (d->kind != LERS_ARCHIVE_KIND_MONTH && a->day != (guint) g_date_time_get_day_of_month (stamp))
    return FALSE;
  if (d->kind == LERS_ARCHIVE_KIND_HOUR && a->hour != (guint) g_date_time_get_hour (stamp))
    return FALSE;
  return TRUE;
}

static void
read_next_period (GTask *task)
{
  ReadData *d = g_task_get_task_data (task);

  d->index++;
  if (d->progress != NULL && d->periods->len > 0)
    lers_progress_set_fraction (d->progress, (gdouble) d->index / d->periods->len);
  read_period (task);
}

static void
read_record_cb (GObject *source, GAsyncResult *result, gpointer user_data)
{
  GTask *task = user_data;
  LersTv7Session *self = LERS_TV7_SESSION (source);
  ReadData *d = g_task_get_task_data (task);
  g_autoptr (GError) error = NULL;
  g_autoptr (Tv7Frame) frame = session_request_finish (self, result, &error);
  g_autoptr (GDateTime) t = NULL;
  g_autoptr (GDateTime) stamp = NULL;
  const guint8 *data;
  Tv7Archive a;

  if (frame != NULL && is_no_record (frame, &error))
    {
      read_next_period (task);
      return;
    }
  if (frame == NULL || error != NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      g_object_unref (task);
      return;
    }
  if ((data = reply_data (frame, TV7_ARCHIVE_SIZE, &error)) == NULL
      || !tv7_archive_decode (data, TV7_ARCHIVE_SIZE, &a, &error))
    {
      g_task_return_error (task, g_steal_pointer (&error));
      g_object_unref (task);
      return;
    }
  t = period_time (self, d);
  stamp = period_stamp (self, d);
  if (stamp_matches (d, stamp, &a))
    tv7_records_add_archive (d->records, &a, d->kind, t, self->heat_factor);
  else
    g_debug ("asked for %02d-%02d %02d h, got %02u-%02u %02u h: no record",
             g_date_time_get_month (stamp), g_date_time_get_day_of_month (stamp),
             g_date_time_get_hour (stamp), a.month, a.day, a.hour);
  read_next_period (task);
}

static void
read_request_cb (GObject *source, GAsyncResult *result, gpointer user_data)
{
  GTask *task = user_data;
  LersTv7Session *self = LERS_TV7_SESSION (source);
  g_autoptr (GError) error = NULL;
  g_autoptr (Tv7Frame) frame = session_request_finish (self, result, &error);

  if (frame != NULL && is_no_record (frame, &error))
    {
      read_next_period (task);
      return;
    }
  if (frame == NULL || error != NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      g_object_unref (task);
      return;
    }
  session_request_async (
      self, tv7_request_read (self->address, TV7_ADDR_ARCHIVE, TV7_WORDS_ARCHIVE, SECOND),
      g_task_get_cancellable (task), read_record_cb, task);
}

static void
read_period (GTask *task)
{
  LersTv7Session *self = g_task_get_source_object (task);
  ReadData *d = g_task_get_task_data (task);
  g_autoptr (GDateTime) stamp = NULL;

  if (d->index >= d->periods->len)
    {
      read_finish (task);
      return;
    }
  stamp = period_stamp (self, d);
  session_request_async (
      self,
      tv7_request_archive (
          self->address, archive_type (d->kind), (guint) g_date_time_get_month (stamp),
          (guint) g_date_time_get_day_of_month (stamp),
          d->kind == LERS_ARCHIVE_KIND_HOUR ? (guint) g_date_time_get_hour (stamp) : 0,
          (guint) (g_date_time_get_year (stamp) % 100), FIRST),
      g_task_get_cancellable (task), read_request_cb, task);
}

static void
current_cb (GObject *source, GAsyncResult *result, gpointer user_data)
{
  GTask *task = user_data;
  LersTv7Session *self = LERS_TV7_SESSION (source);
  ReadData *d = g_task_get_task_data (task);
  g_autoptr (GError) error = NULL;
  g_autoptr (Tv7Frame) frame = session_request_finish (self, result, &error);
  g_autoptr (GDateTime) t = NULL;
  const guint8 *data;
  Tv7Current cur;

  if (frame == NULL || (data = reply_data (frame, TV7_CURRENT_SIZE, &error)) == NULL
      || !tv7_current_decode (data, TV7_CURRENT_SIZE, &cur, &error)
      || !tv7_clock_decode (data, TV7_CLOCK_SIZE, &cur.clock, &error)
      || (t = clock_to_time (self, &cur.clock, &error)) == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      g_object_unref (task);
      return;
    }
  tv7_records_add_current (d->records, &cur, t);
  read_finish (task);
}

static void
totals_cb (GObject *source, GAsyncResult *result, gpointer user_data)
{
  GTask *task = user_data;
  LersTv7Session *self = LERS_TV7_SESSION (source);
  ReadData *d = g_task_get_task_data (task);
  g_autoptr (GError) error = NULL;
  g_autoptr (Tv7Frame) frame = session_request_finish (self, result, &error);
  const guint8 *data;
  Tv7Totals tot;

  if (frame == NULL || (data = reply_data (frame, TV7_TOTALS_SIZE, &error)) == NULL
      || !tv7_totals_decode (data, TV7_TOTALS_SIZE, &tot, &error))
    {
      g_task_return_error (task, g_steal_pointer (&error));
      g_object_unref (task);
      return;
    }
  tv7_records_add_totals (d->records, &tot, d->clock, self->heat_factor);
  read_finish (task);
}

static void
totals_clock_cb (GObject *source, GAsyncResult *result, gpointer user_data)
{
  GTask *task = user_data;
  LersTv7Session *self = LERS_TV7_SESSION (source);
  ReadData *d = g_task_get_task_data (task);
  g_autoptr (GError) error = NULL;
  g_autoptr (Tv7Frame) frame = session_request_finish (self, result, &error);
  const guint8 *data;
  Tv7Clock clock;

  if (frame == NULL || (data = reply_data (frame, TV7_CLOCK_SIZE, &error)) == NULL
      || !tv7_clock_decode (data, TV7_CLOCK_SIZE, &clock, &error)
      || (d->clock = clock_to_time (self, &clock, &error)) == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      g_object_unref (task);
      return;
    }
  session_request_async (
      self, tv7_request_read (self->address, TV7_ADDR_TOTALS, TV7_WORDS_CURRENT, SECOND),
      g_task_get_cancellable (task), totals_cb, task);
}

static void
read_finish (GTask *task)
{
  ReadData *d = g_task_get_task_data (task);

  if (d->progress != NULL)
    lers_progress_set_fraction (d->progress, 1.0);
  if (d->events)
    g_task_return_pointer (task, tv7_records_build_events (d->records),
                           (GDestroyNotify) g_ptr_array_unref);
  else
    g_task_return_pointer (task, g_steal_pointer (&d->records), (GDestroyNotify) g_ptr_array_unref);
  g_object_unref (task);
}

static GArray *
list_periods (LersTv7Session *self, LersArchiveKind kind, GDateTime *from, GDateTime *to)
{
  GArray *periods = g_array_new (FALSE, FALSE, sizeof (gint64));
  g_autoptr (GDateTime) t = lers_time_get_period_start (kind, from, self->zone, 0, 1);

  while (t != NULL && g_date_time_compare (t, to) < 0 && periods->len < 100000)
    {
      gint64 s = g_date_time_to_unix (t);
      GDateTime *next;

      if (g_date_time_compare (t, from) >= 0)
        g_array_append_val (periods, s);
      next = lers_time_get_period_end (kind, t, self->zone, 0, 1);
      g_date_time_unref (t);
      t = next;
    }
  return periods;
}

static void
start_read (LersTv7Session *self, GTask *task, LersArchiveKind kind, gboolean events,
            GDateTime *from, GDateTime *to, LersProgress *progress)
{
  ReadData *d = g_new0 (ReadData, 1);

  d->kind = kind;
  d->events = events;
  d->records = g_ptr_array_new_with_free_func (g_object_unref);
  d->progress = progress != NULL ? g_object_ref (progress) : NULL;
  g_task_set_task_data (task, d, (GDestroyNotify) read_data_free);
  if (d->progress != NULL)
    {
      lers_progress_set_fraction (d->progress, 0.0);
      lers_progress_set_message (d->progress, _ ("reading the TV7 archive"));
    }
  switch (kind)
    {
    case LERS_ARCHIVE_KIND_CURRENT:
      session_request_async (
          self, tv7_request_read (self->address, TV7_ADDR_CURRENT, TV7_WORDS_CURRENT, FIRST),
          g_task_get_cancellable (task), current_cb, task);
      return;
    case LERS_ARCHIVE_KIND_TOTALS:
      session_request_async (
          self, tv7_request_read (self->address, TV7_ADDR_CURRENT, TV7_WORDS_CLOCK, FIRST),
          g_task_get_cancellable (task), totals_clock_cb, task);
      return;
    case LERS_ARCHIVE_KIND_HOUR:
    case LERS_ARCHIVE_KIND_DAY:
    case LERS_ARCHIVE_KIND_MONTH:
      if (from == NULL || to == NULL)
        {
          g_task_return_new_error (task, LERS_ERROR, LERS_ERROR_INVALID_ARGUMENT,
                                   _ ("a TV7 archive read needs a time range"));
          g_object_unref (task);
          return;
        }
      d->periods = list_periods (self, kind, from, to);
      read_period (task);
      return;
    default:
      break;
    }
  g_task_return_new_error (task, LERS_ERROR, LERS_ERROR_NOT_SUPPORTED,
                           _ ("the TV7 has no such archive"));
  g_object_unref (task);
}

static void
lers_tv7_session_read_archive_async (LersDeviceSession *session, LersArchiveKind kind,
                                     GDateTime *from, GDateTime *to, LersProgress *progress,
                                     GCancellable *cancellable, GAsyncReadyCallback callback,
                                     gpointer user_data)
{
  GTask *task = g_task_new (session, cancellable, callback, user_data);

  g_task_set_source_tag (task, lers_tv7_session_read_archive_async);
  start_read (LERS_TV7_SESSION (session), task, kind, FALSE, from, to, progress);
}

static GPtrArray *
lers_tv7_session_read_archive_finish (LersDeviceSession *session, GAsyncResult *result,
                                      GError **error)
{
  return g_task_propagate_pointer (G_TASK (result), error);
}

static void
lers_tv7_session_read_events_async (LersDeviceSession *session, GDateTime *from, GDateTime *to,
                                    LersProgress *progress, GCancellable *cancellable,
                                    GAsyncReadyCallback callback, gpointer user_data)
{
  GTask *task = g_task_new (session, cancellable, callback, user_data);

  g_task_set_source_tag (task, lers_tv7_session_read_events_async);
  start_read (LERS_TV7_SESSION (session), task, LERS_ARCHIVE_KIND_HOUR, TRUE, from, to, progress);
}

static GPtrArray *
lers_tv7_session_read_events_finish (LersDeviceSession *session, GAsyncResult *result,
                                     GError **error)
{
  return g_task_propagate_pointer (G_TASK (result), error);
}

static void
lers_tv7_session_close_async (LersDeviceSession *session, GCancellable *cancellable,
                              GAsyncReadyCallback callback, gpointer user_data)
{
  GTask *task = g_task_new (session, cancellable, callback, user_data);

  g_task_set_source_tag (task, lers_tv7_session_close_async);
  g_task_return_boolean (task, TRUE);
  g_object_unref (task);
}

static gboolean
lers_tv7_session_close_finish (LersDeviceSession *session, GAsyncResult *result, GError **error)
{
  return g_task_propagate_boolean (G_TASK (result), error);
}

/* ---- GObject ------------------------------------------------------------------ */

static void
lers_tv7_session_finalize (GObject *object)
{
  LersTv7Session *self = LERS_TV7_SESSION (object);

  g_clear_pointer (&self->zone, g_time_zone_unref);
  G_OBJECT_CLASS (lers_tv7_session_parent_class)->finalize (object);
}

static void
lers_tv7_session_class_init (LersTv7SessionClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  LersDeviceSessionClass *session_class = LERS_DEVICE_SESSION_CLASS (klass);

  object_class->finalize = lers_tv7_session_finalize;
  session_class->open_async = lers_tv7_session_open_async;
  session_class->open_finish = lers_tv7_session_open_finish;
  session_class->read_archive_async = lers_tv7_session_read_archive_async;
  session_class->read_archive_finish = lers_tv7_session_read_archive_finish;
  session_class->read_events_async = lers_tv7_session_read_events_async;
  session_class->read_events_finish = lers_tv7_session_read_events_finish;
  session_class->read_clock_async = lers_tv7_session_read_clock_async;
  session_class->read_clock_finish = lers_tv7_session_read_clock_finish;
  session_class->set_clock_async = lers_tv7_session_set_clock_async;
  session_class->set_clock_finish = lers_tv7_session_set_clock_finish;
  session_class->close_async = lers_tv7_session_close_async;
  session_class->close_finish = lers_tv7_session_close_finish;
}

static void
lers_tv7_session_class_finalize (LersTv7SessionClass *klass)
{
}

static void
lers_tv7_session_init (LersTv7Session *self)
{
  self->heat_factor = 1.0;
}

void
lers_tv7_session_register (GTypeModule *module)
{
  lers_tv7_session_register_type (module);
}

LersDeviceSession *
lers_tv7_session_new (LersTransport *transport, LersDevice *device)
{
  return g_object_new (LERS_TYPE_TV7_SESSION, "transport", transport, "device", device, NULL);
}
