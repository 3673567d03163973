/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * The КМ-5 session, all async over lers_transport_exchange_async(). Each
 * operation is a GTask whose Job runs a small state machine: send one
 * request, check the answer (length, checksums, address, command echo),
 * resend it up to the transport's retries when it is garbled or missing,
 * then take the next step.
 *
 *   open      0 (address and version): the meter is there
 *   clock     44/0
 *   current   44/0, 44/5, 44/6, 44/7 (ГВС)
 *   totals    44/0, 44/1..4
 *   archives  50 header → 51 first/last line → 52 line by date (when the
 *             range starts inside the archive) → 65 line after line up to
 *             the range's end or the last line
 *   events    50/51 of the error log (4) → 55 from the last line back to
 *             the range's start
 */
#include "lers-km5-session.h"

#include <math.h>

#include <glib/gi18n-lib.h>

#include "km5-data.h"
#include "km5-events.h"
#include "km5-frame.h"
#include "km5-values.h"

struct _LersKm5Session
{
  LersDeviceSession parent_instance;

  guint8 address[4];
  Km5Options options;
  GTimeZone *zone;
};

G_DEFINE_DYNAMIC_TYPE_EXTENDED (LersKm5Session, lers_km5_session, LERS_TYPE_DEVICE_SESSION,
                                G_TYPE_FLAG_FINAL, {})

typedef struct _Job Job;
typedef void (*JobStep) (GTask *task, GBytes *frame, GError *error);

struct _Job
{
  LersKm5Session *self;
  JobStep step;
  GBytes *request;
  guint8 command;
  guint attempt;
  guint state;
  /* archives */
  LersArchiveKind kind;
  guint db;
  GDateTime *from, *to;
  LersProgress *progress;
  Km5Header header;
  Km5Bounds bounds;
  guint line, count, n_lines, expected;
  GPtrArray *records;
  Km5Line prev;          /* the line read before, for the differences */
  GDateTime *prev_start; /* its period's start, NULL when none */
  /* current values and totals */
  Km5Stamp clock;
  GDateTime *clock_time;
  guint sub;
  LersRecord *record, *record1;
  /* events */
  GArray *entries;
};

static void
job_free (Job *j)
{
  g_clear_pointer (&j->request, g_bytes_unref);
  g_clear_pointer (&j->from, g_date_time_unref);
  g_clear_pointer (&j->to, g_date_time_unref);
  g_clear_pointer (&j->prev_start, g_date_time_unref);
  g_clear_pointer (&j->clock_time, g_date_time_unref);
  g_clear_object (&j->progress);
  g_clear_pointer (&j->records, g_ptr_array_unref);
  g_clear_object (&j->record);
  g_clear_object (&j->record1);
  g_clear_pointer (&j->entries, g_array_unref);
  g_free (j);
}

static Job *
job_new (LersKm5Session *self, GTask *task, JobStep step)
{
  Job *j = g_new0 (Job, 1);

  j->self = self;
  j->step = step;
  g_task_set_task_data (task, j, (GDestroyNotify) job_free);
  return j;
}

/* ---- one exchange, with resends ------------------------------------------------ */

static void job_send_bytes (GTask *task);

static void
job_exchange_cb (GObject *source, GAsyncResult *result, gpointer user_data)
{
  GTask *task = user_data;
  Job *j = g_task_get_task_data (task);
  LersTransport *transport = LERS_TRANSPORT (source);
  g_autoptr (GError) error = NULL;
  g_autoptr (GBytes) wire = lers_transport_exchange_finish (transport, result, &error);
  g_autoptr (GBytes) frame = NULL;

  if (wire != NULL)
    km5_answer_parse (wire, j->self->address, j->command, j->self->options.backward, &frame,
                      &error);
  if (frame == NULL && !g_error_matches (error, LERS_ERROR, LERS_ERROR_CANCELLED)
      && !g_cancellable_is_cancelled (g_task_get_cancellable (task))
      && (g_error_matches (error, LERS_ERROR, LERS_ERROR_TIMED_OUT)
          || g_error_matches (error, LERS_ERROR, LERS_ERROR_INVALID_DATA)
          || g_error_matches (error, LERS_ERROR, LERS_ERROR_CHECKSUM))
      && j->attempt < lers_transport_get_retries (transport))
    {
      g_debug ("resending command %u: %s", j->command, error->message);
      j->attempt++;
      lers_transport_discard_input (transport);
      job_send_bytes (task);
      return;
    }
  if (frame == NULL)
    g_prefix_error (&error, _ ("КМ-5 command %u: "), j->command);
  j->step (task, frame, frame == NULL ? error : NULL);
}

static void
job_send_bytes (GTask *task)
{
  Job *j = g_task_get_task_data (task);
  LersTransport *transport = lers_device_session_get_transport (LERS_DEVICE_SESSION (j->self));

  lers_transport_exchange_async (transport, j->request, km5_scan_answer,
                                 GSIZE_TO_POINTER (km5_answer_length (j->command)), NULL,
                                 g_task_get_cancellable (task), job_exchange_cb, task);
}

static void
job_send (GTask *task, guint8 command, const guint8 data[9])
{
  Job *j = g_task_get_task_data (task);

  g_clear_pointer (&j->request, g_bytes_unref);
  j->request = km5_request_new (j->self->address, command, data, j->self->options.backward);
  j->command = command;
  j->attempt = 0;
  job_send_bytes (task);
}

static void
job_send1 (GTask *task, guint8 command, guint8 a, guint line)
{
  guint8 data[9] = { a, (guint8) (line & 0xFF), (guint8) (line >> 8) };

  job_send (task, command, data);
}

static void
job_fail (GTask *task, GError *error)
{
  g_task_return_error (task, g_error_copy (error));
  g_object_unref (task);
}

static GDateTime *
stamp_to_time (LersKm5Session *self, const Km5Stamp *s)
{
  return g_date_time_new (self->zone, (gint) s->year, (gint) s->month, (gint) s->day,
                          (gint) s->hour, (gint) s->minute, (gdouble) s->second);
}

/* ---- open ------------------------------------------------------------------- */

/* The answer carries the meter's network number, its serial number
 * [S: wiki.tekon.ru "РМ-5"; I: the same on a КМ-5]: a device that knows no
 * serial number learns it (a differing one is not refused: a КМ-5's
 * network number may have been set apart from its factory number). */
static void
open_step (GTask *task, GBytes *frame, GError *error)
{
  Job *j = g_task_get_task_data (task);
  LersDevice *device = lers_device_session_get_device (LERS_DEVICE_SESSION (j->self));
  const guint8 *d;
  g_autofree gchar *serial = NULL;

  if (error != NULL)
    {
      job_fail (task, error);
      return;
    }
  d = g_bytes_get_data (frame, NULL);
  serial = km5_address_format (d);
  g_debug ("КМ-5 %s answered, version byte %02x", serial, d[5]);
  if (lers_device_get_serial_number (device) == NULL
      || *lers_device_get_serial_number (device) == '\0')
    lers_device_set_serial_number (device, serial);
  g_task_return_boolean (task, TRUE);
  g_object_unref (task);
}

static void
lers_km5_session_open_async (LersDeviceSession *session, GCancellable *cancellable,
                             GAsyncReadyCallback callback, gpointer user_data)
{
  LersKm5Session *self = LERS_KM5_SESSION (session);
  GTask *task = g_task_new (self, cancellable, callback, user_data);
  LersDevice *device = lers_device_session_get_device (session);
  LersTransport *transport = lers_device_session_get_transport (session);
  const gchar *address = lers_device_session_get_option (session, "address");
  g_autoptr (GError) error = NULL;

  g_task_set_source_tag (task, lers_km5_session_open_async);
  job_new (self, task, open_step);
  if (address == NULL)
    address = lers_device_get_network_address (device);
  if (address == NULL)
    address = lers_device_get_serial_number (device);
  if (!km5_options_parse (session, lers_device_get_model (device), &self->options, &error)
      || !km5_address_parse (address, self->address, &error)
      /* КМ-5 9600 8N2 [S: km-5-pult UCSExplorer.java, UCSTest.java];
       * РМ-5 9600 8N1 [S: wiki.tekon.ru, РМ-5] */
      || !lers_transport_set_line_default (transport, 9600, 8, LERS_PARITY_NONE,
                                           self->options.rm5 ? 1 : 2, &error))
    {
      job_fail (task, error);
      return;
    }
  g_clear_pointer (&self->zone, g_time_zone_unref);
  self->zone = lers_device_dup_clock_time_zone (device);
  job_send (task, KM5_CMD_ADDRESS, NULL);
}

static gboolean
lers_km5_session_open_finish (LersDeviceSession *session, GAsyncResult *result, GError **error)
{
  return g_task_propagate_boolean (G_TASK (result), error);
}

/* ---- clock ------------------------------------------------------------------ */

static void
clock_step (GTask *task, GBytes *frame, GError *error)
{
  Job *j = g_task_get_task_data (task);
  g_autoptr (GError) local = NULL;
  Km5Stamp st;
  GDateTime *t;

  if (error != NULL)
    {
      job_fail (task, error);
      return;
    }
  if (!km5_decode_clock (frame, &st, &local))
    {
      job_fail (task, local);
      return;
    }
  t = stamp_to_time (j->self, &st);
  g_task_return_pointer (task, t, (GDestroyNotify) g_date_time_unref);
  g_object_unref (task);
}

static void
lers_km5_session_read_clock_async (LersDeviceSession *session, GCancellable *cancellable,
                                   GAsyncReadyCallback callback, gpointer user_data)
{
  GTask *task = g_task_new (session, cancellable, callback, user_data);

  g_task_set_source_tag (task, lers_km5_session_read_clock_async);
  job_new (LERS_KM5_SESSION (session), task, clock_step);
  job_send1 (task, KM5_CMD_IMMEDIATE, 0, 0);
}

static GDateTime *
lers_km5_session_read_clock_finish (LersDeviceSession *session, GAsyncResult *result,
                                    GError **error)
{
  return g_task_propagate_pointer (G_TASK (result), error);
}

static void
lers_km5_session_set_clock_async (LersDeviceSession *session, GDateTime *time,
                                  GCancellable *cancellable, GAsyncReadyCallback callback,
                                  gpointer user_data)
{
  g_task_report_new_error (session, callback, user_data, lers_km5_session_set_clock_async,
                           LERS_ERROR, LERS_ERROR_NOT_SUPPORTED,
                           _ ("Setting the clock of a КМ-5 is not supported: its command is "
                              "not known"));
}

static gboolean
lers_km5_session_set_clock_finish (LersDeviceSession *session, GAsyncResult *result, GError **error)
{
  return g_task_propagate_boolean (G_TASK (result), error);
}

/* ---- archives --------------------------------------------------------------- */

static guint
db_of_kind (LersArchiveKind kind)
{
  switch (kind)
    {
    case LERS_ARCHIVE_KIND_HOUR:
      return KM5_DB_HOUR;
    case LERS_ARCHIVE_KIND_DAY:
      return KM5_DB_DAY;
    default:
      return KM5_DB_MONTH;
    }
}

/* the start of the period a line's stamp belongs to */
static GDateTime *
line_period_start (Job *j, const Km5Stamp *st)
{
  g_autoptr (GDateTime) t = stamp_to_time (j->self, st);
  g_autoptr (GDateTime) before = NULL;

  if (t == NULL)
    return NULL;
  if (!j->self->options.stamp_end)
    return lers_time_get_period_start (j->kind, t, j->self->zone, 0, 1);
  /* stamped at the end: an hour line closes the hour before its stamp; a
   * day or month line stamped at the report hour RH of day D closes the
   * contract day (month) that began at RH of D − 1 (Tp grows by 24 h from
   * one day line to the next in km-5-pult's reports): the period is the
   * calendar day (month) of that beginning, D − 1 whatever RH is */
  before = j->kind == LERS_ARCHIVE_KIND_HOUR ? g_date_time_add_seconds (t, -1)
                                             : g_date_time_add_days (t, -1);
  return lers_time_get_period_start (j->kind, before, j->self->zone, 0, 1);
}

/* the start of the period before @start */
static GDateTime *
period_before (LersArchiveKind kind, GDateTime *start)
{
  return kind == LERS_ARCHIVE_KIND_HOUR  ? g_date_time_add_hours (start, -1)
         : kind == LERS_ARCHIVE_KIND_DAY ? g_date_time_add_days (start, -1)
                                         : g_date_time_add_months (start, -1);
}

static void
archive_done (GTask *task)
{
  Job *j = g_task_get_task_data (task);

  if (j->progress != NULL)
    lers_progress_set_fraction (j->progress, 1.0);
  g_task_return_pointer (task, g_steal_pointer (&j->records), (GDestroyNotify) g_ptr_array_unref);
  g_object_unref (task);
}

static void
archive_read_line (GTask *task)
{
  Job *j = g_task_get_task_data (task);
  guint8 data[9] = { (guint8) j->db, (guint8) (j->line & 0xFF), (guint8) (j->line >> 8) };

  job_send (task, KM5_CMD_LINE, data);
}

static void
archive_step (GTask *task, GBytes *frame, GError *error)
{
  Job *j = g_task_get_task_data (task);
  g_autoptr (GError) local = NULL;

  if (error != NULL
      && !(j->state == 2 && g_error_matches (error, LERS_ERROR, LERS_ERROR_NOT_FOUND)))
    {
      job_fail (task, error);
      return;
    }
  switch (j->state)
    {
    case 0: /* header */
      if (!km5_decode_header (frame, &j->header, &local))
        {
          job_fail (task, local);
          return;
        }
      if ((j->header.flags & KM5_HEADER_HAS_LINES) == 0)
        {
          archive_done (task);
          return;
        }
      j->state = 1;
      job_send1 (task, KM5_CMD_DB_BOUNDS, (guint8) j->db, 0);
      return;
    case 1: /* first and last line */
      {
        g_autoptr (GDateTime) first = NULL;
        g_autoptr (GDateTime) last = NULL;
        g_autoptr (GDateTime) end = NULL;
        g_autoptr (GDateTime) stamp = NULL;
        guint8 data[9] = { (guint8) j->db };

        if (!km5_decode_bounds (frame, &j->bounds, &local))
          {
            job_fail (task, local);
            return;
          }
        j->n_lines = j->bounds.n_lines != 0 ? j->bounds.n_lines : j->header.n_lines;
        if (j->n_lines == 0 || j->bounds.first_line >= j->n_lines
            || j->bounds.last_line >= j->n_lines)
          {
            g_set_error (&local, LERS_ERROR, LERS_ERROR_INVALID_DATA,
                         _ ("КМ-5 archive bounds are not consistent: lines %u…%u of %u"),
                         j->bounds.first_line, j->bounds.last_line, j->n_lines);
            job_fail (task, local);
            return;
          }
        first = line_period_start (j, &j->bounds.first);
        last = line_period_start (j, &j->bounds.last);
        /* [from, to): nothing when the archive ends before from or starts
         * at or after to */
        if (first == NULL || last == NULL || g_date_time_compare (j->from, last) > 0
            || g_date_time_compare (j->to, first) <= 0)
          {
            archive_done (task);
            return;
          }
        j->line = j->bounds.first_line;
        /* the lines the range holds, for progress */
        {
          GTimeSpan span = g_date_time_difference (j->to, j->from) / G_TIME_SPAN_HOUR;
          guint64 n = j->kind == LERS_ARCHIVE_KIND_HOUR  ? (guint64) span + 1
                      : j->kind == LERS_ARCHIVE_KIND_DAY ? (guint64) span / 24 + 1
                                                         : (guint64) span / (24 * 30) + 1;
          j->expected = (guint) CLAMP (n, 1, j->n_lines);
        }
        if (g_date_time_compare (j->from, first) <= 0)
          {
            j->state = 3;
            archive_read_line (task);
            return;
          }
        /* ask for the line of the period before the range's first: its
         * integrators are the base of the first period's amounts. It is
         * stamped at from's period start (stamp=end; a day archive whose
         * report hour is not 0 has none: then the read starts at the
         * first line) */
        {
          g_autoptr (GDateTime) s0
              = lers_time_get_period_start (j->kind, j->from, j->self->zone, 0, 1);
          stamp = j->self->options.stamp_end ? g_date_time_ref (s0) : period_before (j->kind, s0);
        }
        end = g_date_time_to_timezone (stamp, j->self->zone);
        data[1] = km5_uint_to_bcd ((guint) g_date_time_get_day_of_month (end));
        data[2] = km5_uint_to_bcd ((guint) g_date_time_get_month (end));
        data[3] = km5_uint_to_bcd ((guint) g_date_time_get_year (end) % 100);
        data[4] = km5_uint_to_bcd ((guint) g_date_time_get_hour (end));
        j->state = 2;
        job_send (task, KM5_CMD_DB_FIND, data);
        return;
      }
    case 2: /* the line by date; none: read from the first line */
      {
        Km5Found found;
        if (error == NULL && km5_decode_found (frame, &found, &local) && found.line < j->n_lines)
          j->line = found.line;
        else
          g_debug ("no line by date, reading from line %u", j->line);
        g_clear_error (&local);
        j->state = 3;
        archive_read_line (task);
        return;
      }
    default: /* a line */
      {
        Km5Line line;
        g_autoptr (GDateTime) start = NULL;

        if (!km5_decode_line (frame, &line, &local))
          {
            job_fail (task, local);
            return;
          }
        start = line_period_start (j, &line.stamp);
        if (start != NULL && g_date_time_compare (start, j->to) >= 0)
          {
            archive_done (task);
            return;
          }
        if (start != NULL && g_date_time_compare (start, j->from) >= 0)
          {
            /* the amounts need the line of the period just before */
            g_autoptr (GDateTime) want = period_before (j->kind, start);
            gboolean have_prev = j->prev_start != NULL && g_date_time_equal (j->prev_start, want);

            km5_line_to_records (&j->self->options, &line, have_prev ? &j->prev : NULL, j->kind,
                                 start, j->records);
          }
        j->prev = line;
        g_clear_pointer (&j->prev_start, g_date_time_unref);
        j->prev_start = start != NULL ? g_date_time_ref (start) : NULL;
        j->count++;
        if (j->progress != NULL)
          lers_progress_set_fraction (j->progress,
                                      CLAMP ((gdouble) j->count / (gdouble) j->expected, 0.0, 1.0));
        if (j->line == j->bounds.last_line || j->count >= j->n_lines)
          {
            archive_done (task);
            return;
          }
        j->line = (j->line + 1) % j->n_lines;
        archive_read_line (task);
        return;
      }
    }
}

/* ---- current values and totals ------------------------------------------------ */

static void
instant_step (GTask *task, GBytes *frame, GError *error)
{
  Job *j = g_task_get_task_data (task);
  LersKm5Session *self = j->self;
  g_autoptr (GError) local = NULL;
  gfloat f[6] = { 0 };
  gboolean totals = j->kind == LERS_ARCHIVE_KIND_TOTALS;

  if (error != NULL)
    {
      job_fail (task, error);
      return;
    }
  if (j->sub == 0)
    {
      if (!km5_decode_clock (frame, &j->clock, &local))
        {
          job_fail (task, local);
          return;
        }
      j->clock_time = stamp_to_time (self, &j->clock);
      j->record = lers_record_new (j->clock_time, j->kind);
      lers_record_set_channel (j->record, 0);
      if (self->options.gvs && !totals)
        {
          j->record1 = lers_record_new (j->clock_time, j->kind);
          lers_record_set_channel (j->record1, 1);
        }
    }
  else if (!km5_decode_floats (frame, 6, f, &local))
    {
      job_fail (task, local);
      return;
    }
  else
    km5_immediate_to_record (&self->options, j->sub, f, j->record, j->record1);
  /* the next sub-type of command 44 */
  if (totals)
    j->sub = j->sub == 0 ? (self->options.rm5 ? 2 : 1) : j->sub + 1;
  else
    j->sub = j->sub == 0 ? 5 : j->sub == 5 ? (self->options.rm5 ? 7 : 6) : j->sub + 1;
  if ((totals && j->sub > 4) || (!totals && j->sub > 7))
    {
      g_ptr_array_add (j->records, g_steal_pointer (&j->record));
      if (j->record1 != NULL)
        g_ptr_array_add (j->records, g_steal_pointer (&j->record1));
      archive_done (task);
      return;
    }
  job_send1 (task, KM5_CMD_IMMEDIATE, (guint8) j->sub, 0);
}

static void
lers_km5_session_read_archive_async (LersDeviceSession *session, LersArchiveKind kind,
                                     GDateTime *from, GDateTime *to, LersProgress *progress,
                                     GCancellable *cancellable, GAsyncReadyCallback callback,
                                     gpointer user_data)
{
  LersKm5Session *self = LERS_KM5_SESSION (session);
  GTask *task = g_task_new (session, cancellable, callback, user_data);
  Job *j;

  g_task_set_source_tag (task, lers_km5_session_read_archive_async);
  j = job_new (self, task, archive_step);
  j->kind = kind;
  j->records = g_ptr_array_new_with_free_func (g_object_unref);
  j->progress = progress != NULL ? g_object_ref (progress) : NULL;
  if (progress != NULL)
    {
      lers_progress_set_fraction (progress, 0.0);
      lers_progress_set_message (progress, _ ("reading the КМ-5 archive"));
    }
  switch (kind)
    {
    case LERS_ARCHIVE_KIND_CURRENT:
    case LERS_ARCHIVE_KIND_TOTALS:
      j->step = instant_step;
      job_send1 (task, KM5_CMD_IMMEDIATE, 0, 0);
      return;
    case LERS_ARCHIVE_KIND_HOUR:
    case LERS_ARCHIVE_KIND_DAY:
    case LERS_ARCHIVE_KIND_MONTH:
      if (from == NULL || to == NULL)
        {
          g_task_return_new_error (task, LERS_ERROR, LERS_ERROR_INVALID_ARGUMENT,
                                   _ ("An archive read needs a start and an end"));
          g_object_unref (task);
          return;
        }
      j->db = db_of_kind (kind);
      j->from = g_date_time_ref (from);
      j->to = g_date_time_ref (to);
      job_send1 (task, KM5_CMD_DB_HEADER, (guint8) j->db, 0);
      return;
    default:
      g_task_return_new_error (task, LERS_ERROR, LERS_ERROR_NOT_SUPPORTED,
                               _ ("The КМ-5 has no archive of this kind"));
      g_object_unref (task);
      return;
    }
}

static GPtrArray *
lers_km5_session_read_archive_finish (LersDeviceSession *session, GAsyncResult *result,
                                      GError **error)
{
  return g_task_propagate_pointer (G_TASK (result), error);
}

/* ---- events: the error log --------------------------------------------------- */

static void
events_done (GTask *task)
{
  Job *j = g_task_get_task_data (task);

  if (j->progress != NULL)
    lers_progress_set_fraction (j->progress, 1.0);
  g_task_return_pointer (task, km5_events_from_entries (j->entries),
                         (GDestroyNotify) g_ptr_array_unref);
  g_object_unref (task);
}

static void
events_step (GTask *task, GBytes *frame, GError *error)
{
  Job *j = g_task_get_task_data (task);
  g_autoptr (GError) local = NULL;

  if (error != NULL)
    {
      job_fail (task, error);
      return;
    }
  switch (j->state)
    {
    case 0:
      if (!km5_decode_header (frame, &j->header, &local))
        {
          job_fail (task, local);
          return;
        }
      if ((j->header.flags & KM5_HEADER_HAS_LINES) == 0)
        {
          events_done (task);
          return;
        }
      j->state = 1;
      job_send1 (task, KM5_CMD_DB_BOUNDS, KM5_DB_ERRORS, 0);
      return;
    case 1:
      if (!km5_decode_bounds (frame, &j->bounds, &local))
        {
          job_fail (task, local);
          return;
        }
      j->n_lines = j->bounds.n_lines != 0 ? j->bounds.n_lines : j->header.n_lines;
      if (j->n_lines == 0 || j->bounds.first_line >= j->n_lines
          || j->bounds.last_line >= j->n_lines)
        {
          g_set_error (&local, LERS_ERROR, LERS_ERROR_INVALID_DATA,
                       _ ("КМ-5 archive bounds are not consistent: lines %u…%u of %u"),
                       j->bounds.first_line, j->bounds.last_line, j->n_lines);
          job_fail (task, local);
          return;
        }
      j->line = j->bounds.last_line;
      j->state = 2;
      job_send1 (task, KM5_CMD_DB_ERROR_LINE, KM5_DB_ERRORS, j->line);
      return;
    default:
      {
        Km5Stamp st;
        g_autoptr (GDateTime) t = NULL;
        Km5EventEntry e = { 0 };

        if (!km5_decode_error_line (frame, &st, &local))
          {
            job_fail (task, local);
            return;
          }
        t = stamp_to_time (j->self, &st);
        if (t == NULL || g_date_time_compare (t, j->from) < 0)
          {
            events_done (task);
            return;
          }
        /* the line's exact time; [from, to) */
        e.time = g_date_time_ref (t);
        e.code = st.flag;
        if (g_date_time_compare (e.time, j->to) < 0)
          g_array_append_val (j->entries, e);
        else
          km5_event_entry_clear (&e);
        j->count++;
        if (j->line == j->bounds.first_line || j->count >= j->n_lines)
          {
            events_done (task);
            return;
          }
        j->line = (j->line + j->n_lines - 1) % j->n_lines;
        job_send1 (task, KM5_CMD_DB_ERROR_LINE, KM5_DB_ERRORS, j->line);
        return;
      }
    }
}

static void
lers_km5_session_read_events_async (LersDeviceSession *session, GDateTime *from, GDateTime *to,
                                    LersProgress *progress, GCancellable *cancellable,
                                    GAsyncReadyCallback callback, gpointer user_data)
{
  GTask *task = g_task_new (session, cancellable, callback, user_data);
  Job *j;

  g_task_set_source_tag (task, lers_km5_session_read_events_async);
  j = job_new (LERS_KM5_SESSION (session), task, events_step);
  if (from == NULL || to == NULL)
    {
      g_task_return_new_error (task, LERS_ERROR, LERS_ERROR_INVALID_ARGUMENT,
                               _ ("An archive read needs a start and an end"));
      g_object_unref (task);
      return;
    }
  j->from = g_date_time_ref (from);
  j->to = g_date_time_ref (to);
  j->progress = progress != NULL ? g_object_ref (progress) : NULL;
  j->entries = g_array_new (FALSE, TRUE, sizeof (Km5EventEntry));
  g_array_set_clear_func (j->entries, (GDestroyNotify) km5_event_entry_clear);
  job_send1 (task, KM5_CMD_DB_HEADER, KM5_DB_ERRORS, 0);
}

static GPtrArray *
lers_km5_session_read_events_finish (LersDeviceSession *session, GAsyncResult *result,
                                     GError **error)
{
  return g_task_propagate_pointer (G_TASK (result), error);
}

/* ---- close and GObject -------------------------------------------------------- */

static void
lers_km5_session_close_async (LersDeviceSession *session, GCancellable *cancellable,
                              GAsyncReadyCallback callback, gpointer user_data)
{
  g_autoptr (GTask) task = g_task_new (session, cancellable, callback, user_data);

  g_task_set_source_tag (task, lers_km5_session_close_async);
  /* the КМ-5 has no session to end */
  g_task_return_boolean (task, TRUE);
}

static gboolean
lers_km5_session_close_finish (LersDeviceSession *session, GAsyncResult *result, GError **error)
{
  return g_task_propagate_boolean (G_TASK (result), error);
}

static void
lers_km5_session_finalize (GObject *object)
{
  LersKm5Session *self = LERS_KM5_SESSION (object);

  g_clear_pointer (&self->zone, g_time_zone_unref);
  G_OBJECT_CLASS (lers_km5_session_parent_class)->finalize (object);
}

static void
lers_km5_session_class_init (LersKm5SessionClass *klass)
{
  LersDeviceSessionClass *session_class = LERS_DEVICE_SESSION_CLASS (klass);

  G_OBJECT_CLASS (klass)->finalize = lers_km5_session_finalize;
  session_class->open_async = lers_km5_session_open_async;
  session_class->open_finish = lers_km5_session_open_finish;
  session_class->read_archive_async = lers_km5_session_read_archive_async;
  session_class->read_archive_finish = lers_km5_session_read_archive_finish;
  session_class->read_events_async = lers_km5_session_read_events_async;
  session_class->read_events_finish = lers_km5_session_read_events_finish;
  session_class->read_clock_async = lers_km5_session_read_clock_async;
  session_class->read_clock_finish = lers_km5_session_read_clock_finish;
  session_class->set_clock_async = lers_km5_session_set_clock_async;
  session_class->set_clock_finish = lers_km5_session_set_clock_finish;
  session_class->close_async = lers_km5_session_close_async;
  session_class->close_finish = lers_km5_session_close_finish;
}

static void
lers_km5_session_class_finalize (LersKm5SessionClass *klass)
{
}

static void
lers_km5_session_init (LersKm5Session *self)
{
}

/**
 * lers_km5_session_register:
 * @module: the plugin's type module
 *
 * Registers #LersKm5Session with @module.
 */
void
lers_km5_session_register (GTypeModule *module)
{
  lers_km5_session_register_type (module);
}

/**
 * lers_km5_session_new:
 * @transport: the link
 * @device: the КМ-5 or РМ-5 to talk to
 *
 * Returns: (transfer full): a session, not yet open
 */
LersDeviceSession *
lers_km5_session_new (LersTransport *transport, LersDevice *device)
{
  return g_object_new (LERS_TYPE_KM5_SESSION, "transport", transport, "device", device, NULL);
}
