/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * The session's reads (lers-logikam4-session.c has the requests, open and
 * clock):
 *   archive: 61 {FF FF Ch Rectype N} ARCHDATE from ARCHDATE to, on from the
 *            answer's Date(+1) until it is past `to` or missing; one
 *            request series per Ch of the model's archive channels
 *   current, totals: the clock, then 72 with the model's PNUMs (≤ 32 a
 *            request)
 *   events:  the hourly archive's НС flags, consecutive hours one event
 */
#include "lers-logikam4-session-private.h"

#include <glib/gi18n-lib.h>

#include "logikam4-frame.h"

#define M4_MAX_PARAMS 32 /* 944_d7 §4.2 */
#define M4_MAX_REQUESTS 100000

/* ---- reading -------------------------------------------------------------- */

typedef struct
{
  LersArchiveKind kind;
  GDateTime *from;
  GDateTime *to;
  LersProgress *progress;
  gboolean events;
  gboolean event_log; /* the second pass of events: the meter's own log */
  GPtrArray *records;
  M4EventBuilder builder;
  /* archives */
  guint request_index;
  GDateTime *cursor;      /* the next request's start (meter stamps) */
  GDateTime *request_end; /* the last stamp wanted */
  guint n_requests;
  /* current values and totals */
  GDateTime *time;
  const M4Param *params;
  guint n_params;
  guint param_index;
} ReadData;

static void
read_data_free (ReadData *d)
{
  g_clear_pointer (&d->from, g_date_time_unref);
  g_clear_pointer (&d->to, g_date_time_unref);
  g_clear_pointer (&d->cursor, g_date_time_unref);
  g_clear_pointer (&d->request_end, g_date_time_unref);
  g_clear_pointer (&d->time, g_date_time_unref);
  g_clear_object (&d->progress);
  g_clear_pointer (&d->records, g_ptr_array_unref);
  m4_event_builder_clear (&d->builder);
  g_free (d);
}

static void archive_next (GTask *task);

/* the requests of the current pass: one per archive channel; the event log
 * is common to the meter (the recorded СПТ943.3 answers it byte for byte
 * alike on Ch 1 and Ch 2), so one request series on the first channel */
static guint
archive_passes (const ReadData *d, const M4Model *m)
{
  return d->event_log ? 1 : m->archive_channels->len;
}

static void
archive_start_channel (ReadData *d)
{
  g_clear_pointer (&d->cursor, g_date_time_unref);
  g_clear_pointer (&d->request_end, g_date_time_unref);
  /* a record is stamped with the end of its period: ask from one period
   * early to one late and keep what starts in [from, to) */
  d->cursor = g_date_time_ref (d->from);
  d->request_end = d->event_log ? g_date_time_ref (d->to) : m4_period_add (d->kind, d->to, 1);
}

static void
archive_progress (ReadData *d, guint n_channels)
{
  gdouble span, done = 0.0, fraction;

  if (d->progress == NULL)
    return;
  span = (gdouble) g_date_time_difference (d->request_end, d->from);
  if (span > 0 && d->cursor != NULL)
    done = (gdouble) g_date_time_difference (d->cursor, d->from) / span;
  fraction = CLAMP ((d->request_index + CLAMP (done, 0.0, 1.0)) / n_channels, 0.0, 1.0);
  /* events: the hourly archive is 0…0.8, the meter's log 0.8…1 */
  if (d->events)
    fraction = d->event_log ? 0.8 + 0.2 * fraction : 0.8 * fraction;
  lers_progress_set_fraction (d->progress, fraction);
}

static void
archive_answered_cb (GObject *source, GAsyncResult *result, gpointer user_data)
{
  GTask *task = user_data;
  LersLogikam4Session *self = LERS_LOGIKAM4_SESSION (source);
  ReadData *d = g_task_get_task_data (task);
  const M4Model *m = self->model;
  g_autoptr (GError) error = NULL;
  g_autoptr (GBytes) body = m4_session_request_finish (result, &error);
  g_autoptr (M4ArchiveReply) reply = NULL;
  g_autoptr (GDateTime) next = NULL;
  gsize len = 0;
  const guint8 *p;

  if (body == NULL && d->event_log && g_error_matches (error, LERS_ERROR, LERS_ERROR_NOT_SUPPORTED))
    {
      /* a meter without an event log: the НС events are all there is */
      g_task_return_pointer (task, g_ptr_array_ref (d->builder.events),
                             (GDestroyNotify) g_ptr_array_unref);
      g_object_unref (task);
      return;
    }
  if (body == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      g_object_unref (task);
      return;
    }
  p = g_bytes_get_data (body, &len);
  reply = m4_archive_reply_parse (p + 1, len - 1, &error);
  if (reply == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      g_object_unref (task);
      return;
    }
  for (guint i = 0; d->event_log && i < reply->records->len; i++)
    {
      const M4ArchiveRecord *rec = g_ptr_array_index (reply->records, i);
      g_autoptr (GDateTime) when = m4_date_to_time (&rec->date, self->zone);
      const M4Tlv *t = rec->items->len > 0 ? &g_array_index (rec->items, M4Tlv, 0) : NULL;
      g_autofree gchar *text = NULL;
      LersMeterEvent *ev;

      if (when == NULL || t == NULL || t->tag != M4_TAG_ASCII
          || g_date_time_compare (when, d->from) < 0 || g_date_time_compare (when, d->to) >= 0)
        continue;
      /* the meter's own words: its log is text for an operator */
      text = m4_tlv_get_text (t);
      ev = lers_meter_event_new ("other", when);
      lers_meter_event_set_channel (ev, 0); /* the meter's, not a heat input's */
      lers_meter_event_set_text (ev, text);
      lers_meter_event_set_severity (ev, LERS_METER_EVENT_SEVERITY_INFO);
      g_ptr_array_add (d->builder.events, ev);
    }
  for (guint i = 0; !d->event_log && i < reply->records->len; i++)
    {
      const M4ArchiveRecord *rec = g_ptr_array_index (reply->records, i);
      g_autoptr (GDateTime) start = m4_period_start (&self->ctx, d->kind, &rec->date);
      g_autoptr (GDateTime) end = NULL;
      g_autoptr (GArray) bits = NULL;

      if (start == NULL || g_date_time_compare (start, d->from) < 0
          || g_date_time_compare (start, d->to) >= 0)
        continue;
      if (!d->events)
        {
          m4_convert_archive_record (&self->ctx, d->kind, rec, d->request_index, start, d->records,
                                     NULL);
          continue;
        }
      bits = g_array_new (FALSE, FALSE, sizeof (M4NsBit));
      m4_convert_archive_record (&self->ctx, d->kind, rec, d->request_index, start, NULL, bits);
      end = m4_period_add (d->kind, start, 1);
      for (guint j = 0; j < bits->len; j++)
        {
          const M4NsBit *b = &g_array_index (bits, M4NsBit, j);
          m4_event_builder_add (&d->builder, m, b->bit, b->channel, start, end);
        }
    }
  if (reply->has_next)
    next = m4_date_to_time (&reply->next, self->zone);
  if (next != NULL && g_date_time_compare (next, d->cursor) > 0
      && g_date_time_compare (next, d->request_end) <= 0)
    {
      g_date_time_unref (d->cursor);
      d->cursor = g_steal_pointer (&next);
    }
  else
    {
      d->request_index++;
      if (d->request_index < archive_passes (d, m))
        archive_start_channel (d);
    }
  archive_progress (d, archive_passes (d, m));
  archive_next (task);
}

static void
archive_next (GTask *task)
{
  LersLogikam4Session *self = g_task_get_source_object (task);
  ReadData *d = g_task_get_task_data (task);
  const M4Model *m = self->model;
  g_autoptr (GByteArray) body = g_byte_array_new ();
  guint8 fnc = M4_FNC_ARCHIVE, spec[5];
  M4Date date;

  if (d->request_index >= m->archive_channels->len && d->events && !d->event_log)
    {
      /* then the meter's event log (Rectype 6) over [from, to) */
      d->event_log = TRUE;
      d->request_index = 0;
      archive_start_channel (d);
    }
  if (d->request_index >= archive_passes (d, m))
    {
      if (d->events)
        g_task_return_pointer (task, g_ptr_array_ref (d->builder.events),
                               (GDestroyNotify) g_ptr_array_unref);
      else
        g_task_return_pointer (task, g_ptr_array_ref (d->records),
                               (GDestroyNotify) g_ptr_array_unref);
      g_object_unref (task);
      return;
    }
  if (++d->n_requests > M4_MAX_REQUESTS)
    {
      g_task_return_new_error (task, LERS_ERROR, LERS_ERROR_INVALID_DATA,
                               _ ("the meter's archive does not end"));
      g_object_unref (task);
      return;
    }
  spec[0] = 0xFF; /* CNT = FFFF: the current partition */
  spec[1] = 0xFF;
  /* the event log of a model without an archive layout (СПГ742): Ch 0 */
  spec[2] = d->request_index < m->archive_channels->len
                ? g_array_index (m->archive_channels, guint8, d->request_index)
                : 0;
  spec[3] = d->kind == LERS_ARCHIVE_KIND_HOUR ? 0 : d->kind == LERS_ARCHIVE_KIND_DAY ? 1 : 3;
  if (d->event_log)
    spec[3] = 6;
  else if (m->flz)
    spec[3] |= 0x10;
  spec[4] = 64; /* N: the meter stops at 720 bytes anyway */
  g_byte_array_append (body, &fnc, 1);
  m4_tlv_append (body, M4_TAG_OCTET_STRING, spec, sizeof spec);
  {
    g_autoptr (GDateTime) from = g_date_time_to_timezone (d->cursor, self->zone);
    g_autoptr (GDateTime) to = g_date_time_to_timezone (d->request_end, self->zone);

    m4_date_from_time (from, &date);
    m4_tlv_append_archdate (body, &date, 8);
    m4_date_from_time (to, &date);
    m4_tlv_append_archdate (body, &date, 8);
  }
  m4_session_request_async (self, body, g_task_get_cancellable (task), archive_answered_cb, task);
}

static void params_next (GTask *task);

static void
params_answered_cb (GObject *source, GAsyncResult *result, gpointer user_data)
{
  GTask *task = user_data;
  LersLogikam4Session *self = LERS_LOGIKAM4_SESSION (source);
  ReadData *d = g_task_get_task_data (task);
  g_autoptr (GError) error = NULL;
  g_autoptr (GBytes) body = m4_session_request_finish (result, &error);
  g_autoptr (GArray) items = NULL;
  guint n = MIN (d->n_params - d->param_index, M4_MAX_PARAMS);

  if (body == NULL || (items = m4_session_answer_items (body, &error)) == NULL)
    goto fail;
  if (d->time == NULL)
    {
      g_autoptr (GArray) values = m4_answer_values (items);

      d->time = m4_session_clock_from_items (self, values, 0, &error);
      if (d->time == NULL)
        goto fail;
    }
  else
    {
      if (!m4_convert_params (&self->ctx, d->params + d->param_index, n, items, d->kind, d->time,
                              d->records, &error))
        goto fail;
      d->param_index += n;
    }
  params_next (task);
  return;

fail:
  g_task_return_error (task, g_steal_pointer (&error));
  g_object_unref (task);
}

static void
params_next (GTask *task)
{
  LersLogikam4Session *self = g_task_get_source_object (task);
  ReadData *d = g_task_get_task_data (task);
  g_autoptr (GByteArray) body = NULL;
  M4ParamRef refs[M4_MAX_PARAMS];
  guint n;

  if (d->time == NULL)
    {
      body = m4_session_clock_request ();
      m4_session_request_async (self, body, g_task_get_cancellable (task), params_answered_cb,
                                task);
      return;
    }
  if (d->param_index >= d->n_params)
    {
      if (d->progress != NULL)
        lers_progress_set_fraction (d->progress, 1.0);
      g_task_return_pointer (task, g_ptr_array_ref (d->records),
                             (GDestroyNotify) g_ptr_array_unref);
      g_object_unref (task);
      return;
    }
  n = MIN (d->n_params - d->param_index, M4_MAX_PARAMS);
  for (guint i = 0; i < n; i++)
    {
      refs[i].ch = d->params[d->param_index + i].ch;
      refs[i].number = d->params[d->param_index + i].number;
      refs[i].present = TRUE;
    }
  body = m4_session_read_request (refs, n);
  m4_session_request_async (self, body, g_task_get_cancellable (task), params_answered_cb, task);
}

static void
read_start (LersLogikam4Session *self, LersArchiveKind kind, GDateTime *from, GDateTime *to,
            LersProgress *progress, gboolean events, GTask *task)
{
  ReadData *d = g_new0 (ReadData, 1);
  const M4Model *m = self->model;

  d->kind = kind;
  d->events = events;
  d->from = from != NULL ? g_date_time_ref (from) : g_date_time_new_from_unix_utc (0);
  d->to = to != NULL ? g_date_time_ref (to) : g_date_time_new_from_unix_utc (0);
  d->progress = progress != NULL ? g_object_ref (progress) : NULL;
  d->records = g_ptr_array_new_with_free_func (g_object_unref);
  m4_event_builder_init (&d->builder);
  g_task_set_task_data (task, d, (GDestroyNotify) read_data_free);
  if (d->progress != NULL)
    {
      lers_progress_set_fraction (d->progress, 0.0);
      lers_progress_set_message (d->progress, _ ("reading the M4 meter"));
    }
  if (kind == LERS_ARCHIVE_KIND_CURRENT || kind == LERS_ARCHIVE_KIND_TOTALS)
    {
      GArray *params = kind == LERS_ARCHIVE_KIND_CURRENT ? m->current : m->totals;

      if (params->len == 0)
        {
          g_task_return_new_error (task, LERS_ERROR, LERS_ERROR_NOT_SUPPORTED,
                                   _ ("the %s has no %s values we know how to read"), m->name,
                                   lers_archive_kind_to_string (kind));
          g_object_unref (task);
          return;
        }
      d->params = (const M4Param *) params->data;
      d->n_params = params->len;
      params_next (task);
      return;
    }
  if (events && (m->archive_channels->len == 0 || m->items->len == 0))
    {
      /* no hourly НС flags to read: the meter's event log alone (Rectype 6
       * needs no layout: each record is a date and a text) */
      d->event_log = TRUE;
    }
  else if (m->archive_channels->len == 0 || m->items->len == 0)
    {
      g_task_return_new_error (task, LERS_ERROR, LERS_ERROR_NOT_SUPPORTED,
                               _ ("the archive layout of the %s is not known"), m->name);
      g_object_unref (task);
      return;
    }
  if (g_date_time_compare (d->from, d->to) >= 0)
    {
      g_task_return_pointer (task, g_ptr_array_new_with_free_func (g_object_unref),
                             (GDestroyNotify) g_ptr_array_unref);
      g_object_unref (task);
      return;
    }
  archive_start_channel (d);
  archive_next (task);
}

void
lers_logikam4_session_read_archive_async (LersDeviceSession *session, LersArchiveKind kind,
                                          GDateTime *from, GDateTime *to, LersProgress *progress,
                                          GCancellable *cancellable, GAsyncReadyCallback callback,
                                          gpointer user_data)
{
  LersLogikam4Session *self = LERS_LOGIKAM4_SESSION (session);
  GTask *task = g_task_new (self, cancellable, callback, user_data);

  g_task_set_source_tag (task, lers_logikam4_session_read_archive_async);
  if (kind != LERS_ARCHIVE_KIND_HOUR && kind != LERS_ARCHIVE_KIND_DAY
      && kind != LERS_ARCHIVE_KIND_MONTH && kind != LERS_ARCHIVE_KIND_CURRENT
      && kind != LERS_ARCHIVE_KIND_TOTALS)
    {
      g_task_return_new_error (
          task, LERS_ERROR, LERS_ERROR_NOT_SUPPORTED,
          _ ("the M4 driver reads hour, day, month, current and totals archives, not %s"),
          lers_archive_kind_to_string (kind));
      g_object_unref (task);
      return;
    }
  read_start (self, kind, from, to, progress, FALSE, task);
}

GPtrArray *
lers_logikam4_session_read_archive_finish (LersDeviceSession *session, GAsyncResult *result,
                                           GError **error)
{
  return g_task_propagate_pointer (G_TASK (result), error);
}

void
lers_logikam4_session_read_events_async (LersDeviceSession *session, GDateTime *from, GDateTime *to,
                                         LersProgress *progress, GCancellable *cancellable,
                                         GAsyncReadyCallback callback, gpointer user_data)
{
  LersLogikam4Session *self = LERS_LOGIKAM4_SESSION (session);
  GTask *task = g_task_new (self, cancellable, callback, user_data);

  g_task_set_source_tag (task, lers_logikam4_session_read_events_async);
  read_start (self, LERS_ARCHIVE_KIND_HOUR, from, to, progress, TRUE, task);
}

GPtrArray *
lers_logikam4_session_read_events_finish (LersDeviceSession *session, GAsyncResult *result,
                                          GError **error)
{
  return g_task_propagate_pointer (G_TASK (result), error);
}
