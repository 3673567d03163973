/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * The ВКТ-7 session's exchanges, all async over
 * lers_transport_exchange_async(): one request resent on silence or a
 * garbled answer, and the jobs (open, archive, clock) as state machines in
 * the order of the protocol document's §5:
 *
 *   open:    session start (3FFF ← CC 80 00 00 00) → read data (3FFE): the
 *            "server version" in byte 65 → service information (3FF9) →
 *            properties: type 6, the §5.2 list, read data
 *   archive: clock (3FFB) → type 0/1/2 (3FFD) → active list (3FFC) →
 *            read-list (3FFF) → per period: date (3FFB) → data (3FFE)
 *   current, totals: clock → type 4/5 → active list → read-list → data
 *
 * Exception 3 on a date: no record; a day falls back to its 24 hours
 * (§5.4). Exception 5 on data: the scheme changed, the active list is read
 * again and the read-list rewritten (§1, way 2). Every request goes out
 * after FF FF unless the link says otherwise.
 */
#include "vkt7-job.h"

#include <math.h>
#include <string.h>

#include <glib/gi18n-lib.h>

#include "lers-vkt7-session.h"
#include "vkt7-events.h"
#include "vkt7-frame.h"

#define VKT7_MAX_SCHEME_RETRIES 3

/* ---- one request, resent on silence or a garbled answer --------------------- */

typedef struct
{
  Vkt7Link *link;
  GBytes *request;
  guint8 function;
  guint attempt;
} RequestData;

static void
request_data_free (RequestData *r)
{
  g_bytes_unref (r->request);
  g_free (r);
}

static void request_send (GTask *task);

static void
request_answered_cb (GObject *source, GAsyncResult *result, gpointer user_data)
{
  GTask *task = user_data;
  RequestData *r = g_task_get_task_data (task);
  Vkt7Link *self = r->link;
  g_autoptr (GError) error = NULL;
  g_autoptr (GBytes) answer
      = lers_transport_exchange_finish (LERS_TRANSPORT (source), result, &error);
  Vkt7Frame f;

  if (answer != NULL)
    {
      gsize n = 0;
      const guint8 *p = g_bytes_get_data (answer, &n);

      if (vkt7_parse_reply (p, n, &f, &error))
        {
          if (f.address != self->address)
            error = g_error_new (LERS_ERROR, LERS_ERROR_INVALID_DATA,
                                 _ ("ВКТ-7 reply from address %u, expected %u"), f.address,
                                 self->address);
          else if (f.function != r->function)
            error = g_error_new (LERS_ERROR, LERS_ERROR_INVALID_DATA,
                                 _ ("ВКТ-7 reply to function 0x%02X, expected 0x%02X"), f.function,
                                 r->function);
        }
      if (error == NULL)
        {
          g_task_return_pointer (task, g_steal_pointer (&answer), (GDestroyNotify) g_bytes_unref);
          g_object_unref (task);
          return;
        }
    }
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED)
      || g_error_matches (error, LERS_ERROR, LERS_ERROR_CANCELLED)
      || g_error_matches (error, LERS_ERROR, LERS_ERROR_CONNECTION) || r->attempt >= self->retries)
    {
      if (r->attempt > 0)
        g_prefix_error (&error, _ ("ВКТ-7 at address %u, %u attempts: "), self->address,
                        r->attempt + 1);
      g_task_return_error (task, g_steal_pointer (&error));
      g_object_unref (task);
      return;
    }
  r->attempt++;
  g_debug ("%s; retry %u of %u", error->message, r->attempt, self->retries);
  lers_transport_discard_input (LERS_TRANSPORT (source));
  request_send (task);
}

static void
request_send (GTask *task)
{
  RequestData *r = g_task_get_task_data (task);
  LersTransport *transport
      = lers_device_session_get_transport (LERS_DEVICE_SESSION (g_task_get_source_object (task)));

  lers_transport_exchange_async (transport, r->request, lers_vkt7_scan_frame, NULL, NULL,
                                 g_task_get_cancellable (task), request_answered_cb, task);
}

static void
session_request_async (LersDeviceSession *session, Vkt7Link *self, GBytes *frame,
                       GCancellable *cancellable, GAsyncReadyCallback callback, gpointer user_data)
{
  GTask *task = g_task_new (session, cancellable, callback, user_data);
  RequestData *r = g_new0 (RequestData, 1);

  r->link = self;
  r->request = self->wake_up ? vkt7_with_wakeup (frame) : g_bytes_ref (frame);
  r->function
      = g_bytes_get_size (frame) > 1 ? ((const guint8 *) g_bytes_get_data (frame, NULL))[1] : 0;
  g_task_set_task_data (task, r, (GDestroyNotify) request_data_free);
  request_send (task);
}

/* ---- the jobs: open, archive, clock ----------------------------------------- */

typedef enum
{
  ST_START,
  ST_VERSION,
  ST_SERVICE,
  ST_PTYPE,
  ST_PLIST,
  ST_PDATA,
  ST_CLOCK,
  ST_TYPE,
  ST_ACTIVE,
  ST_LIST,
  ST_DATE,
  ST_DATA,
  ST_FB_TYPE,
  ST_FB_RESTORE,
  ST_DONE,
} State;

typedef struct
{
  Vkt7Link *link;
  State state;
  LersArchiveKind kind;
  Vkt7Type vtype;
  gboolean events;
  gboolean clock_only;
  GDateTime *from, *to;
  LersProgress *progress;
  GDateTime *period; /* start of the period being read, in the device zone */
  GDateTime *clock;
  GArray *items; /* Vkt7Item: the read-list */
  guint scheme_retries;
  GPtrArray *records;
  GArray *ns_hours; /* Vkt7NsHour */
  /* a day read from its hours */
  gboolean fallback;
  guint fb_hour;
  guint fb_hours_read;
  GPtrArray *fb_sum; /* LersRecord per channel: sums of the hours */
  gdouble span;      /* seconds of [from, to], for progress */
} Job;

static void
job_free (Job *j)
{
  g_clear_pointer (&j->from, g_date_time_unref);
  g_clear_pointer (&j->to, g_date_time_unref);
  g_clear_pointer (&j->period, g_date_time_unref);
  g_clear_pointer (&j->clock, g_date_time_unref);
  g_clear_object (&j->progress);
  g_clear_pointer (&j->items, g_array_unref);
  g_clear_pointer (&j->records, g_ptr_array_unref);
  g_clear_pointer (&j->ns_hours, g_array_unref);
  g_clear_pointer (&j->fb_sum, g_ptr_array_unref);
  g_free (j);
}

static void job_step (GTask *task);

static void
unref0 (gpointer p)
{
  if (p != NULL)
    g_object_unref (p);
}

static guint8
element_mode (Job *j)
{
  if (j->vtype == VKT7_TYPE_CURRENT)
    return VKT7_MODE_CURRENT;
  if (j->vtype == VKT7_TYPE_TOTALS)
    return VKT7_MODE_TOTALS;
  return VKT7_MODE_ARCHIVE;
}

/* the read-list: the active elements this job maps */
static void
job_choose_items (Job *j, GArray *active)
{
  g_clear_pointer (&j->items, g_array_unref);
  j->items = g_array_new (FALSE, FALSE, sizeof (Vkt7Item));
  for (guint i = 0; i < active->len; i++)
    {
      Vkt7Item *it = &g_array_index (active, Vkt7Item, i);
      const Vkt7Element *el = vkt7_element (it->id);
      gboolean ns = it->id >= VKT7_EL_NS1 && it->id <= VKT7_EL_QNTNS2;
      gboolean want;

      if (j->events)
        want = ns;
      else
        want = el->parameter != 0 && (el->modes & element_mode (j)) != 0;
      if (!j->events && (it->id == VKT7_EL_QNTNS1 || it->id == VKT7_EL_QNTNS2))
        want = j->vtype <= VKT7_TYPE_MONTH;
      if (want)
        g_array_append_val (j->items, *it);
    }
}

static gboolean
parameter_is_sum (LersParameter p)
{
  switch (p)
    {
    case LERS_PARAMETER_V_IN:
    case LERS_PARAMETER_V_OUT:
    case LERS_PARAMETER_M_IN:
    case LERS_PARAMETER_M_OUT:
    case LERS_PARAMETER_M_DELTA:
    case LERS_PARAMETER_Q_DELTA:
      return TRUE;
    default:
      return p >= LERS_PARAMETER_NORMAL_OPERATION_DURATION
             && p <= LERS_PARAMETER_UNACCEPTABLE_PHYSICAL_STATE_DURATION;
    }
}

static LersRecord *
channel_record (GPtrArray *by_channel, guint channel, GDateTime *t, LersArchiveKind kind)
{
  if (by_channel->pdata[channel] == NULL)
    {
      by_channel->pdata[channel] = lers_record_new (t, kind);
      lers_record_set_channel (by_channel->pdata[channel], channel);
    }
  return by_channel->pdata[channel];
}

/* one data reply → a record per heat input (and the hour's НС states) */
static void
job_take_values (Vkt7Link *self, Job *j, GArray *values, GDateTime *t)
{
  g_autoptr (GPtrArray) by_channel = g_ptr_array_new_with_free_func (unref0);
  gdouble hours_factor = 1;
  Vkt7NsHour ns[2] = { { 0 }, { 0 } };
  gboolean ns_seen[2] = { FALSE, FALSE };

  g_ptr_array_set_size (by_channel, 2);
  vkt7_unit_factor (VKT7_UNIT_HOURS, self->props.units[VKT7_UNIT_HOURS], &hours_factor);
  for (guint i = 0; i < values->len; i++)
    {
      Vkt7Value *v = &g_array_index (values, Vkt7Value, i);
      const Vkt7Element *el = vkt7_element (v->id);
      LersValueFlags flags = LERS_VALUE_FLAG_NONE;
      guint c;

      if (el == NULL || el->channel < 0 || v->quality == VKT7_Q_ABSENT)
        continue;
      c = (guint) el->channel;
      if (v->quality != VKT7_Q_GOOD && v->quality != VKT7_Q_NS)
        flags |= LERS_VALUE_FLAG_BAD;
      if (v->id == VKT7_EL_NS1 || v->id == VKT7_EL_NS2)
        {
          ns[c].flag = v->ns_flag;
          ns_seen[c] = TRUE;
        }
      else if (v->id == VKT7_EL_QNTNS1 || v->id == VKT7_EL_QNTNS2)
        {
          ns[c].has_durations = TRUE;
          ns_seen[c] = TRUE;
          for (guint k = 0; k < VKT7_N_NS_KINDS; k++)
            {
              ns[c].durations[k] = v->ns_durations[k] * hours_factor;
              if (!j->events)
                lers_record_set_value (channel_record (by_channel, c, t, j->kind),
                                       vkt7_ns_parameter (k), ns[c].durations[k], flags);
            }
        }
      else if (el->parameter != 0 && !j->events)
        {
          if (isnan (v->value))
            {
              g_debug ("%s: no unit conversion, value dropped", el->name);
              continue;
            }
          lers_record_set_value (channel_record (by_channel, c, t, j->kind), el->parameter,
                                 v->value, flags);
        }
    }
  for (guint c = 0; c < 2; c++)
    if (ns_seen[c] && j->events)
      {
        ns[c].start = g_date_time_to_unix (t);
        ns[c].channel = c;
        g_array_append_val (j->ns_hours, ns[c]);
      }
  for (guint c = 0; c < 2; c++)
    {
      LersRecord *r = by_channel->pdata[c];
      if (r == NULL)
        continue;
      if (!j->fallback)
        {
          g_ptr_array_add (j->records, g_object_ref (r));
          continue;
        }
      /* a day from its hours: sums, and sums of the means for now */
      for (guint k = 0; k < lers_record_get_n_values (r); k++)
        {
          LersParameter p;
          gdouble v, old = 0;
          LersValueFlags f, old_f = 0;
          LersRecord *sum = channel_record (j->fb_sum, c, j->period, j->kind);

          lers_record_get_value_at (r, k, &p, &v, &f);
          lers_record_get_value (sum, p, &old, &old_f);
          lers_record_set_value (sum, p, old + v, f | old_f | LERS_VALUE_FLAG_CALCULATED);
        }
    }
}

static void
job_fallback_finish (Job *j)
{
  for (guint c = 0; c < 2; c++)
    {
      LersRecord *sum = j->fb_sum->pdata[c];
      g_autoptr (LersRecord) day = NULL;

      if (sum == NULL || j->fb_hours_read < 24)
        continue;
      day = lers_record_new (j->period, j->kind);
      lers_record_set_channel (day, c);
      for (guint k = 0; k < lers_record_get_n_values (sum); k++)
        {
          LersParameter p;
          gdouble v;
          LersValueFlags f;

          lers_record_get_value_at (sum, k, &p, &v, &f);
          lers_record_set_value (day, p, parameter_is_sum (p) ? v : v / j->fb_hours_read, f);
        }
      g_ptr_array_add (j->records, g_steal_pointer (&day));
    }
  g_ptr_array_set_size (j->fb_sum, 0);
  g_ptr_array_set_size (j->fb_sum, 2);
  j->fallback = FALSE;
}

static GDateTime *
job_date_time (Job *j)
{
  return j->fallback ? g_date_time_add_hours (j->period, j->fb_hour) : g_date_time_ref (j->period);
}

static GBytes *
job_date_request (Vkt7Link *self, Job *j)
{
  g_autoptr (GDateTime) t = job_date_time (j);
  guint8 d[4];

  d[0] = (guint8) g_date_time_get_day_of_month (t);
  d[1] = (guint8) g_date_time_get_month (t);
  d[2] = (guint8) (g_date_time_get_year (t) - 2000);
  d[3] = (guint8) g_date_time_get_hour (t);
  /* §4.4: hour 23 for a day or a month */
  if (!j->fallback && j->vtype != VKT7_TYPE_HOUR)
    d[3] = 23;
  if (j->vtype == VKT7_TYPE_MONTH && !j->fallback)
    d[0] = 1;
  return vkt7_build_write (self->address, VKT7_REG_DATE, d, 4);
}

static GDateTime *
period_after (Job *j, GDateTime *t)
{
  if (j->kind == LERS_ARCHIVE_KIND_HOUR)
    return g_date_time_add_hours (t, 1);
  if (j->kind == LERS_ARCHIVE_KIND_DAY)
    return g_date_time_add_days (t, 1);
  return g_date_time_add_months (t, 1);
}

/* the meter's clock, or the host's where the meter cannot tell it
 * (firmware before 1.9) */
static GDateTime *
job_now (Vkt7Link *self, Job *j)
{
  return j->clock != NULL ? g_date_time_ref (j->clock) : g_date_time_new_now (self->zone);
}

/* read the period, or stop: at or past @to (the range is [from, to)), or
 * not yet over by the meter's clock */
static State
period_state (Job *j)
{
  g_autoptr (GDateTime) end = period_after (j, j->period);
  g_autoptr (GDateTime) now = job_now (j->link, j);

  if (g_date_time_compare (j->period, j->to) >= 0)
    return ST_DONE;
  if (g_date_time_compare (end, now) > 0)
    return ST_DONE;
  return ST_DATE;
}

/* what follows the clock step of an archive, current or totals read */
static State
after_clock_state (Job *j)
{
  if (j->clock_only)
    return ST_DONE;
  if (j->vtype <= VKT7_TYPE_MONTH)
    return period_state (j) == ST_DONE ? ST_DONE : ST_TYPE;
  return ST_TYPE;
}

/* §4.14: firmware before 1.9 does not answer the clock read */
static gboolean
link_has_clock (Vkt7Link *self)
{
  return self->firmware == 0 || self->firmware >= 0x19;
}

static void
job_next_period (Vkt7Link *self, GTask *task)
{
  Job *j = g_task_get_task_data (task);
  GDateTime *next = period_after (j, j->period);

  g_date_time_unref (j->period);
  j->period = next;
  if (j->progress != NULL && j->span > 0)
    lers_progress_set_fraction (
        j->progress, CLAMP (g_date_time_difference (j->period, j->from) / j->span, 0.0, 1.0));
  j->state = period_state (j);
}

static gboolean
job_exception (Job *j, const Vkt7Frame *f, GError **error)
{
  if (!f->exception)
    return FALSE;
  g_set_error (error, LERS_ERROR, LERS_ERROR_INVALID_DATA, _ ("ВКТ-7 error %u: %s"), f->code,
               vkt7_exception_text (f->code));
  return TRUE;
}

static GDateTime *
parse_clock (Vkt7Link *self, const Vkt7Frame *f, GError **error)
{
  const guint8 *p = f->data;
  GDateTime *t;

  if (f->data_len < 4)
    {
      g_set_error (error, LERS_ERROR, LERS_ERROR_NOT_SUPPORTED,
                   _ ("This ВКТ-7 (firmware before 1.9) does not tell its clock"));
      return NULL;
    }
  t = g_date_time_new (self->zone, 2000 + p[2], p[1], p[0], p[3], f->data_len >= 6 ? p[4] : 0,
                       f->data_len >= 6 ? p[5] : 0);
  if (t == NULL)
    g_set_error (error, LERS_ERROR, LERS_ERROR_INVALID_DATA,
                 _ ("ВКТ-7 clock reads %02u.%02u.%02u %02u h, not a date"), p[0], p[1], p[2], p[3]);
  return t;
}

static void
job_reply_cb (GObject *source, GAsyncResult *result, gpointer user_data)
{
  GTask *task = user_data;
  Job *j = g_task_get_task_data (task);
  Vkt7Link *self = j->link;
  g_autoptr (GError) error = NULL;
  g_autoptr (GBytes) answer = g_task_propagate_pointer (G_TASK (result), &error);
  gsize n = 0;
  const guint8 *p;
  Vkt7Frame f;

  if (answer == NULL)
    goto fail;
  p = g_bytes_get_data (answer, &n);
  vkt7_parse_reply (p, n, &f, NULL);
  switch (j->state)
    {
    case ST_START:
      /* "the answer need not be analysed" (§4.7) */
      j->state = ST_VERSION;
      break;
    case ST_VERSION:
      if (job_exception (j, &f, &error))
        goto fail;
      /* byte 65 of the reply is data byte 62 */
      self->props.server_version = f.data_len > 61 ? f.data[61] : 0;
      j->state = ST_SERVICE;
      break;
    case ST_SERVICE:
      {
        LersDevice *device = lers_device_session_get_device (LERS_DEVICE_SESSION (source));

        if (!f.exception && f.data_len >= 1)
          self->firmware = f.data[0];
        /* §4.6: from 1.5 the report day is the 15th byte */
        if (!f.exception && f.data_len >= 15 && self->firmware >= 0x15)
          self->report_day = f.data[14];
        g_free (self->model);
        self->model = g_strdup_printf ("ВКТ-7 %u.%u", self->firmware >> 4, self->firmware & 0x0F);
        g_debug ("%s", self->model);
        if (lers_device_get_model (device) == NULL || *lers_device_get_model (device) == '\0')
          lers_device_set_model (device, "ВКТ-7");
      }
      j->state = ST_PTYPE;
      break;
    case ST_PTYPE:
    case ST_PLIST:
      if (job_exception (j, &f, &error))
        goto fail;
      j->state++;
      break;
    case ST_PDATA:
      if (job_exception (j, &f, &error)
          || !vkt7_properties_parse (&self->props, f.data, f.data_len, &error))
        goto fail;
      j->state = ST_DONE;
      break;
    case ST_CLOCK:
      if (!job_exception (j, &f, &error))
        j->clock = parse_clock (self, &f, &error);
      if (j->clock == NULL)
        {
          /* an archive, current or totals read goes on without the clock:
           * the host's time stands in */
          if (j->clock_only
              || !(f.exception || g_error_matches (error, LERS_ERROR, LERS_ERROR_NOT_SUPPORTED)))
            goto fail;
          g_debug ("no ВКТ-7 clock (%s): the host's time stands in", error->message);
          g_clear_error (&error);
        }
      j->state = after_clock_state (j);
      break;
    case ST_TYPE:
    case ST_LIST:
    case ST_FB_TYPE:
    case ST_FB_RESTORE:
      if (job_exception (j, &f, &error))
        goto fail;
      if (j->state == ST_TYPE)
        j->state = ST_ACTIVE;
      else if (j->state == ST_LIST)
        j->state = j->vtype <= VKT7_TYPE_MONTH ? period_state (j) : ST_DATA;
      else if (j->state == ST_FB_TYPE)
        j->state = ST_DATE;
      else
        job_next_period (self, task);
      break;
    case ST_ACTIVE:
      {
        g_autoptr (GArray) active = NULL;

        if (job_exception (j, &f, &error))
          goto fail;
        active = vkt7_active_parse (f.data, f.data_len, &error);
        if (active == NULL)
          goto fail;
        job_choose_items (j, active);
        if (j->items->len == 0)
          {
            j->state = ST_DONE;
            break;
          }
        j->state = ST_LIST;
      }
      break;
    case ST_DATE:
      if (f.exception && f.code == VKT7_EXC_NO_ARCHIVE)
        {
          if (j->fallback)
            {
              if (++j->fb_hour < 24)
                break;
              job_fallback_finish (j);
              j->state = ST_FB_RESTORE;
              break;
            }
          if (j->vtype == VKT7_TYPE_DAY && !j->events)
            {
              /* §5.4: a day without its record is made from its hours */
              g_debug ("no daily record: reading the day's hours");
              j->fallback = TRUE;
              j->fb_hour = 0;
              j->fb_hours_read = 0;
              j->state = ST_FB_TYPE;
              break;
            }
          job_next_period (self, task);
          break;
        }
      if (job_exception (j, &f, &error))
        goto fail;
      j->state = ST_DATA;
      break;
    case ST_DATA:
      {
        g_autoptr (GArray) values = NULL;
        g_autoptr (GDateTime) t = NULL;

        if (f.exception && f.code == VKT7_EXC_SCHEME_CHANGED
            && j->scheme_retries++ < VKT7_MAX_SCHEME_RETRIES)
          {
            /* §1, way 2: the new active list, a new read-list */
            j->state = ST_ACTIVE;
            break;
          }
        if (job_exception (j, &f, &error))
          goto fail;
        values = vkt7_values_parse (&self->props, (Vkt7Item *) j->items->data, j->items->len,
                                    f.data, f.data_len, &error);
        if (values == NULL)
          goto fail;
        j->scheme_retries = 0;
        if (j->vtype > VKT7_TYPE_MONTH)
          {
            /* totals run to the end of the previous hour */
            g_autoptr (GDateTime) now = job_now (self, j);

            if (j->kind == LERS_ARCHIVE_KIND_CURRENT)
              t = g_date_time_ref (now);
            else
              t = lers_time_get_period_start (LERS_ARCHIVE_KIND_HOUR, now, self->zone, 0, 1);
            job_take_values (self, j, values, t);
            j->state = ST_DONE;
            break;
          }
        t = job_date_time (j);
        job_take_values (self, j, values, t);
        if (j->fallback)
          {
            j->fb_hours_read++;
            if (++j->fb_hour < 24)
              {
                j->state = ST_DATE;
                break;
              }
            job_fallback_finish (j);
            j->state = ST_FB_RESTORE;
            break;
          }
        job_next_period (self, task);
      }
      break;
    default:
      g_assert_not_reached ();
    }
  job_step (task);
  return;

fail:
  g_task_return_error (task, g_steal_pointer (&error));
  g_object_unref (task);
}

static void
job_step (GTask *task)
{
  Job *j = g_task_get_task_data (task);
  Vkt7Link *self = j->link;
  g_autoptr (GBytes) req = NULL;

  switch (j->state)
    {
    case ST_START:
      {
        static const guint8 start[4] = { 0x80, 0x00, 0x00, 0x00 };
        req = vkt7_build_write_n (self->address, VKT7_REG_LIST, 0xCC, start, 4);
      }
      break;
    case ST_VERSION:
    case ST_PDATA:
    case ST_DATA:
      req = vkt7_build_read (self->address, VKT7_REG_DATA, 0);
      break;
    case ST_SERVICE:
      req = vkt7_build_read (self->address, VKT7_REG_SERVICE, 0);
      break;
    case ST_PTYPE:
    case ST_TYPE:
    case ST_FB_TYPE:
    case ST_FB_RESTORE:
      {
        guint8 t[2] = { 0, 0 };
        t[0] = j->state == ST_PTYPE     ? VKT7_TYPE_PROPERTIES
               : j->state == ST_FB_TYPE ? VKT7_TYPE_HOUR
                                        : j->vtype;
        req = vkt7_build_write (self->address, VKT7_REG_TYPE, t, 2);
      }
      break;
    case ST_PLIST:
      {
        g_autoptr (GBytes) list = vkt7_properties_list ();
        req = vkt7_build_write (self->address, VKT7_REG_LIST, g_bytes_get_data (list, NULL),
                                g_bytes_get_size (list));
      }
      break;
    case ST_CLOCK:
      req = vkt7_build_read (self->address, VKT7_REG_DATE, 0);
      break;
    case ST_ACTIVE:
      req = vkt7_build_read (self->address, VKT7_REG_ACTIVE, 0);
      break;
    case ST_LIST:
      {
        g_autoptr (GBytes) list = vkt7_list_encode ((Vkt7Item *) j->items->data, j->items->len);
        if (g_bytes_get_size (list) > 250)
          {
            g_task_return_new_error (task, LERS_ERROR, LERS_ERROR_NOT_SUPPORTED,
                                     _ ("The ВКТ-7 read-list of %u elements is too long"),
                                     j->items->len);
            g_object_unref (task);
            return;
          }
        req = vkt7_build_write (self->address, VKT7_REG_LIST, g_bytes_get_data (list, NULL),
                                g_bytes_get_size (list));
      }
      break;
    case ST_DATE:
      req = job_date_request (self, j);
      break;
    case ST_DONE:
      if (j->progress != NULL)
        lers_progress_set_fraction (j->progress, 1.0);
      g_task_return_boolean (task, TRUE);
      g_object_unref (task);
      return;
    default:
      g_assert_not_reached ();
    }
  session_request_async (g_task_get_source_object (task), self, req, g_task_get_cancellable (task),
                         job_reply_cb, task);
}

static GTask *
job_new (LersDeviceSession *session, Vkt7Link *self, State state, GCancellable *cancellable,
         GAsyncReadyCallback callback, gpointer user_data)
{
  GTask *task = g_task_new (session, cancellable, callback, user_data);
  Job *j = g_new0 (Job, 1);

  j->link = self;
  j->state = state;
  j->records = g_ptr_array_new_with_free_func (g_object_unref);
  j->ns_hours = g_array_new (FALSE, TRUE, sizeof (Vkt7NsHour));
  j->fb_sum = g_ptr_array_new_with_free_func (unref0);
  g_ptr_array_set_size (j->fb_sum, 2);
  g_task_set_task_data (task, j, (GDestroyNotify) job_free);
  return task;
}

gboolean
vkt7_job_finish (GAsyncResult *result, GError **error)
{
  return g_task_propagate_boolean (G_TASK (result), error);
}

/* @events: read the НС elements of the hourly archive for events instead
 * of records */
void
vkt7_job_archive (LersDeviceSession *session, Vkt7Link *self, LersArchiveKind kind, gboolean events,
                  GDateTime *from, GDateTime *to, LersProgress *progress, GCancellable *cancellable,
                  GAsyncReadyCallback callback, gpointer user_data)
{
  GTask *task;
  Job *j;

  /* the meter's clock first: the stamp of current values and totals, and
   * where the archive ends */
  task = job_new (session, self, ST_CLOCK, cancellable, callback, user_data);
  j = g_task_get_task_data (task);
  j->kind = kind;
  j->events = events;
  switch (kind)
    {
    case LERS_ARCHIVE_KIND_HOUR:
      j->vtype = VKT7_TYPE_HOUR;
      break;
    case LERS_ARCHIVE_KIND_DAY:
      j->vtype = VKT7_TYPE_DAY;
      break;
    case LERS_ARCHIVE_KIND_MONTH:
      j->vtype = VKT7_TYPE_MONTH;
      break;
    case LERS_ARCHIVE_KIND_CURRENT:
      j->vtype = VKT7_TYPE_CURRENT;
      break;
    default:
      j->vtype = VKT7_TYPE_TOTALS;
      break;
    }
  j->progress = progress != NULL ? g_object_ref (progress) : NULL;
  if (j->vtype <= VKT7_TYPE_MONTH)
    {
      j->from = g_date_time_to_timezone (from, self->zone);
      j->to = g_date_time_to_timezone (to, self->zone);
      if (kind == LERS_ARCHIVE_KIND_MONTH)
        j->period = g_date_time_new (self->zone, g_date_time_get_year (j->from),
                                     g_date_time_get_month (j->from), 1, 0, 0, 0);
      else
        j->period = lers_time_get_period_start (kind, j->from, self->zone, 0, 1);
      /* the first period that starts at or after @from */
      if (g_date_time_compare (j->period, j->from) < 0)
        {
          GDateTime *next = period_after (j, j->period);

          g_date_time_unref (j->period);
          j->period = next;
        }
      j->span = (gdouble) g_date_time_difference (j->to, j->from);
    }
  if (kind == LERS_ARCHIVE_KIND_MONTH && self->report_day > 1 && !self->report_day_warned)
    {
      /* §3 (p. 7): "the end of the reporting month is set by ДО", but not
       * which month a record dated 01.MM holds: see README */
      g_warning ("ВКТ-7 at address %u has report day %u: month records are stamped as "
                 "calendar months",
                 self->address, self->report_day);
      self->report_day_warned = TRUE;
    }
  if (j->progress != NULL)
    {
      lers_progress_set_fraction (j->progress, 0.0);
      lers_progress_set_message (j->progress, _ ("reading the ВКТ-7 archive"));
    }
  if (!link_has_clock (self))
    j->state = after_clock_state (j);
  job_step (task);
}

void
vkt7_job_open (LersDeviceSession *session, Vkt7Link *link, GCancellable *cancellable,
               GAsyncReadyCallback callback, gpointer user_data)
{
  job_step (job_new (session, link, ST_START, cancellable, callback, user_data));
}

void
vkt7_job_clock (LersDeviceSession *session, Vkt7Link *link, GCancellable *cancellable,
                GAsyncReadyCallback callback, gpointer user_data)
{
  GTask *task = job_new (session, link, ST_CLOCK, cancellable, callback, user_data);

  ((Job *) g_task_get_task_data (task))->clock_only = TRUE;
  if (!link_has_clock (link))
    {
      g_task_return_new_error (task, LERS_ERROR, LERS_ERROR_NOT_SUPPORTED,
                               _ ("This ВКТ-7 (firmware before 1.9) does not tell its clock"));
      g_object_unref (task);
      return;
    }
  job_step (task);
}

GPtrArray *
vkt7_job_get_records (GAsyncResult *result)
{
  return ((Job *) g_task_get_task_data (G_TASK (result)))->records;
}

GArray *
vkt7_job_get_ns_hours (GAsyncResult *result)
{
  return ((Job *) g_task_get_task_data (G_TASK (result)))->ns_hours;
}

GDateTime *
vkt7_job_get_clock (GAsyncResult *result)
{
  return ((Job *) g_task_get_task_data (G_TASK (result)))->clock;
}
