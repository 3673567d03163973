/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * The СПСеть session, all async over lers_transport_exchange_async():
 *
 * - open: the line default (2400 8N1), the address, the options, the
 *   parameter map (spbus-params.c or the option `params`); then 1D for
 *   0/099 (the model: checked against the configured one) and 0/024 (the
 *   report hour, unless the option `report-hour` gives it);
 * - current values and totals: function 0x1D for every mapped parameter;
 * - hour, day and month: function 0x0E for every mapped archive parameter,
 *   at most `archive-records` stamps a request. The device stamps a record
 *   with the END of its period (GMIO: "the device works with end times"),
 *   so the record stamped e covers [e − period, e) and is stored at its
 *   start;
 * - the clock and events: not supported (no parameter established).
 *
 * A request is resent on a timeout, a garbled answer or one from another
 * address or about another parameter, up to `retries` times.
 */
#include "lers-spbus-session.h"

#include <glib/gi18n-lib.h>
#include <math.h>
#include <string.h>

#include "spbus-frame.h"
#include "spbus-params.h"

#define SPBUS_DEFAULT_RECORDS 24

struct _LersSpbusSession
{
  LersDeviceSession parent_instance;

  guint8 address;
  guint retries;
  guint records_per_request;
  guint report_hour;
  gboolean report_hour_option; /* given by the option, not read from 024 */
  GTimeZone *zone;
  GArray *params; /* SpbusParam */
};

G_DEFINE_DYNAMIC_TYPE_EXTENDED (LersSpbusSession, lers_spbus_session, LERS_TYPE_DEVICE_SESSION,
                                G_TYPE_FLAG_FINAL, {})

/* ---- one request and its answer ---------------------------------------- */

typedef struct
{
  GBytes *request;
  guint8 fnc; /* the answer's */
  guint channel;
  guint param;
  guint attempt;
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
  LersSpbusSession *self = g_task_get_source_object (task);
  RequestData *r = g_task_get_task_data (task);
  g_autoptr (GError) error = why;

  if (r->attempt >= self->retries)
    {
      /* TRANSLATORS: channel, parameter, the device's address, the number of tries */
      g_prefix_error (&error, _ ("СПСеть read of %u/%03u from address %u, %u attempts: "),
                      r->channel, r->param, self->address, r->attempt + 1);
      g_task_return_error (task, g_steal_pointer (&error));
      g_object_unref (task);
      return;
    }
  r->attempt++;
  g_debug ("%u/%03u: %s; retry %u of %u", r->channel, r->param, error->message, r->attempt,
           self->retries);
  /* the rest of a late or garbled answer must not be taken for the next */
  lers_transport_discard_input (lers_device_session_get_transport (LERS_DEVICE_SESSION (self)));
  request_send (task);
}

static void
request_answered_cb (GObject *source, GAsyncResult *result, gpointer user_data)
{
  GTask *task = user_data;
  LersSpbusSession *self = g_task_get_source_object (task);
  RequestData *r = g_task_get_task_data (task);
  g_autoptr (GError) error = NULL;
  g_autoptr (GBytes) answer
      = lers_transport_exchange_finish (LERS_TRANSPORT (source), result, &error);
  g_autoptr (GPtrArray) groups = NULL;
  SpbusFrame frame;
  guint chn = 0, prm = 0;
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
  if (!spbus_frame_parse (buf, len, &frame, &error)
      || (groups = spbus_data_split (frame.data, frame.data_len, &error)) == NULL)
    {
      request_retry (task, g_steal_pointer (&error));
      return;
    }
  if (frame.sad != self->address)
    {
      request_retry (task, g_error_new (LERS_ERROR, LERS_ERROR_INVALID_DATA,
                                        _ ("A СПСеть answer from address %u, not %u"), frame.sad,
                                        self->address));
      return;
    }
  if (!spbus_decode_head (&frame, groups, r->fnc, &chn, &prm, &error))
    {
      request_retry (task, g_steal_pointer (&error));
      return;
    }
  if (chn != r->channel || prm != r->param)
    {
      request_retry (task, g_error_new (LERS_ERROR, LERS_ERROR_INVALID_DATA,
                                        _ ("A СПСеть answer about %u/%03u, not %u/%03u"), chn, prm,
                                        r->channel, r->param));
      return;
    }
  g_task_return_pointer (task, g_steal_pointer (&answer), (GDestroyNotify) g_bytes_unref);
  g_object_unref (task);
}

static void
request_send (GTask *task)
{
  LersSpbusSession *self = g_task_get_source_object (task);
  RequestData *r = g_task_get_task_data (task);
  LersTransport *transport = lers_device_session_get_transport (LERS_DEVICE_SESSION (self));

  lers_transport_exchange_async (transport, r->request, spbus_frame_scan, NULL, NULL,
                                 g_task_get_cancellable (task), request_answered_cb, task);
}

/* @request (transfer full) */
static void
session_request_async (LersSpbusSession *self, GBytes *request, guint8 fnc, guint channel,
                       guint param, GCancellable *cancellable, GAsyncReadyCallback callback,
                       gpointer user_data)
{
  GTask *task = g_task_new (self, cancellable, callback, user_data);
  RequestData *r = g_new0 (RequestData, 1);

  r->request = request;
  r->fnc = fnc;
  r->channel = channel;
  r->param = param;
  g_task_set_task_data (task, r, (GDestroyNotify) request_data_free);
  request_send (task);
}

/* ---- open --------------------------------------------------------------- */

static gboolean
session_configure (LersSpbusSession *self, GError **error)
{
  LersDeviceSession *session = LERS_DEVICE_SESSION (self);
  LersDevice *device = lers_device_session_get_device (session);
  LersTransport *transport = lers_device_session_get_transport (session);
  const gchar *address = lers_device_session_get_option (session, "address");
  const gchar *params = lers_device_session_get_option (session, "params");
  const gchar *model = lers_device_session_get_option (session, "model");
  guint64 a = 0;

  if (address == NULL)
    address = lers_device_get_network_address (device);
  if (address == NULL || *address == '\0')
    address = "0";
  if (!g_ascii_string_to_unsigned (address, 10, 0, SPBUS_ADDRESS_MAX, &a, NULL))
    {
      g_set_error (error, LERS_ERROR, LERS_ERROR_INVALID_ARGUMENT,
                   _ ("'%s' is not a СПСеть address (0 to %u)"), address, SPBUS_ADDRESS_MAX);
      return FALSE;
    }
  self->address = (guint8) a;
  self->retries = lers_device_session_get_option_uint (session, "retries",
                                                       lers_transport_get_retries (transport));
  self->records_per_request = CLAMP (
      lers_device_session_get_option_uint (session, "archive-records", SPBUS_DEFAULT_RECORDS), 1,
      1000);
  self->report_hour = MIN (lers_device_session_get_option_uint (session, "report-hour", 0), 23);
  self->report_hour_option = lers_device_session_get_option (session, "report-hour") != NULL;
  if (model == NULL)
    model = lers_device_get_model (device);
  g_clear_pointer (&self->params, g_array_unref);
  if (params != NULL && *params != '\0')
    {
      self->params = g_array_new (FALSE, TRUE, sizeof (SpbusParam));
      if (!spbus_params_parse (params, self->params, error))
        return FALSE;
    }
  else
    self->params
        = spbus_params_default (model, lers_device_session_get_option_uint (session, "pipes", 2));
  g_clear_pointer (&self->zone, g_time_zone_unref);
  self->zone = lers_device_dup_clock_time_zone (device);
  return lers_transport_set_line_default (transport, 2400, 8, LERS_PARITY_NONE, 1, error);
}

/* the family number: the first three digits ("961" of "СПТ961.1") */
static gboolean
model_number (const gchar *model, gchar out[4])
{
  const gchar *p = model;

  while (*p != '\0' && !g_ascii_isdigit (*p))
    p++;
  if (!g_ascii_isdigit (p[0]) || !g_ascii_isdigit (p[1]) || !g_ascii_isdigit (p[2]))
    return FALSE;
  memcpy (out, p, 3);
  out[3] = '\0';
  return TRUE;
}

/* 099 against the configured model: a different family number (961, 962,
 * 963, 761 …) is a different device; an unconfigured device takes the
 * known model whose number the device gave */
static gboolean
open_check_model (LersSpbusSession *self, const gchar *value, GError **error)
{
  LersDeviceSession *session = LERS_DEVICE_SESSION (self);
  LersDevice *device = lers_device_session_get_device (session);
  const gchar *configured = lers_device_session_get_option (session, "model");
  gchar want[4], got[4];

  if (configured == NULL)
    configured = lers_device_get_model (device);
  if (!model_number (value, got))
    {
      g_debug ("099 = '%s': no model number, not checked", value);
      return TRUE;
    }
  if (configured != NULL && *configured != '\0')
    {
      if (model_number (configured, want) && strcmp (want, got) != 0)
        {
          /* TRANSLATORS: the device's answer, the configured model */
          g_set_error (error, LERS_ERROR, LERS_ERROR_INVALID_DATA,
                       _ ("The СПСеть device says it is model “%s” (parameter 099), but it is "
                          "configured as “%s”"),
                       value, configured);
          return FALSE;
        }
      return TRUE;
    }
  for (const gchar *const *m = spbus_models (); *m != NULL; m++)
    if (g_str_has_suffix (*m, value) && strlen (*m) - strlen (value) == strlen ("СПТ"))
      {
        const gchar *params = lers_device_session_get_option (session, "params");

        lers_device_set_model (device, *m);
        if (params == NULL || *params == '\0')
          {
            g_clear_pointer (&self->params, g_array_unref);
            self->params = spbus_params_default (
                *m, lers_device_session_get_option_uint (session, "pipes", 2));
          }
        break;
      }
  return TRUE;
}

static void open_step (GTask *task);

static void
open_answered_cb (GObject *source, GAsyncResult *result, gpointer user_data)
{
  GTask *task = user_data;
  LersSpbusSession *self = LERS_SPBUS_SESSION (source);
  g_autoptr (GError) error = NULL;
  g_autoptr (GBytes) answer = g_task_propagate_pointer (G_TASK (result), &error);
  g_autofree gchar *value = NULL;
  g_autofree gchar *units = NULL;
  guint *step = g_task_get_task_data (task);
  guint chn = 0, prm = 0;
  guint64 hour = 0;
  SpbusFrame frame;
  gsize len = 0;
  const guint8 *buf;

  if (answer == NULL)
    goto fail;
  buf = g_bytes_get_data (answer, &len);
  if (!spbus_frame_parse (buf, len, &frame, &error)
      || !spbus_decode_value (&frame, &chn, &prm, &value, &units, &error))
    goto fail;
  g_strstrip (value);
  if (*step == 0)
    {
      if (!open_check_model (self, value, &error))
        goto fail;
    }
  else if (!self->report_hour_option)
    {
      if (!g_ascii_string_to_unsigned (value, 10, 0, 23, &hour, NULL))
        {
          g_set_error (&error, LERS_ERROR, LERS_ERROR_INVALID_DATA,
                       _ ("The СПСеть report hour (parameter 024) '%s' is not an hour"), value);
          goto fail;
        }
      self->report_hour = (guint) hour;
    }
  (*step)++;
  open_step (task);
  return;

fail:
  g_task_return_error (task, g_steal_pointer (&error));
  g_object_unref (task);
}

/* 1D for 0/099, then 0/024 (LogikaPython Logika6.py: the model and the
 * report hour of the X6 family) */
static void
open_step (GTask *task)
{
  LersSpbusSession *self = g_task_get_source_object (task);
  guint *step = g_task_get_task_data (task);
  guint param = *step == 0 ? 99 : 24;

  if (*step >= 2)
    {
      g_task_return_boolean (task, TRUE);
      g_object_unref (task);
      return;
    }
  session_request_async (self, spbus_request_read_param (self->address, 0, param), SPBUS_FNC_VALUE,
                         0, param, g_task_get_cancellable (task), open_answered_cb, task);
}

static void
lers_spbus_session_open_async (LersDeviceSession *session, GCancellable *cancellable,
                               GAsyncReadyCallback callback, gpointer user_data)
{
  LersSpbusSession *self = LERS_SPBUS_SESSION (session);
  GTask *task = g_task_new (self, cancellable, callback, user_data);
  g_autoptr (GError) error = NULL;

  g_task_set_source_tag (task, lers_spbus_session_open_async);
  g_task_set_task_data (task, g_new0 (guint, 1), g_free);
  if (!session_configure (self, &error))
    {
      g_task_return_error (task, g_steal_pointer (&error));
      g_object_unref (task);
      return;
    }
  open_step (task);
}

static gboolean
lers_spbus_session_open_finish (LersDeviceSession *session, GAsyncResult *result, GError **error)
{
  return g_task_propagate_boolean (G_TASK (result), error);
}

/* ---- reads -------------------------------------------------------------- */

typedef struct
{
  SpbusParam param;
  guint number; /* the parameter asked for */
  gboolean array;
  SpbusTime from, to;
} Job;

typedef struct
{
  LersArchiveKind kind;
  GDateTime *from;
  GDateTime *to;
  GDateTime *now;
  LersProgress *progress;
  GArray *jobs;
  guint next;
  GHashTable *records; /* "channel:unix" → LersRecord */
} ReadData;

static void
read_data_free (ReadData *d)
{
  g_clear_pointer (&d->from, g_date_time_unref);
  g_clear_pointer (&d->to, g_date_time_unref);
  g_clear_pointer (&d->now, g_date_time_unref);
  g_clear_object (&d->progress);
  g_clear_pointer (&d->jobs, g_array_unref);
  g_clear_pointer (&d->records, g_hash_table_unref);
  g_free (d);
}

static gint
param_number (const SpbusParam *p, LersArchiveKind kind)
{
  switch (kind)
    {
    case LERS_ARCHIVE_KIND_CURRENT:
      return p->total ? SPBUS_NO_PARAM : p->current;
    case LERS_ARCHIVE_KIND_TOTALS:
      return p->total ? p->current : SPBUS_NO_PARAM;
    case LERS_ARCHIVE_KIND_HOUR:
      return p->hour;
    case LERS_ARCHIVE_KIND_DAY:
      return p->day;
    case LERS_ARCHIVE_KIND_MONTH:
      return p->month;
    default:
      return SPBUS_NO_PARAM;
    }
}

static void
time_from_date_time (GDateTime *t, SpbusTime *out)
{
  out->year = (guint) g_date_time_get_year (t);
  out->month = (guint) g_date_time_get_month (t);
  out->day = (guint) g_date_time_get_day_of_month (t);
  out->hour = (guint) g_date_time_get_hour (t);
  out->minute = (guint) g_date_time_get_minute (t);
  out->second = (guint) g_date_time_get_second (t);
}

static GDateTime *
period_shift (LersArchiveKind kind, GDateTime *t, gint n)
{
  switch (kind)
    {
    case LERS_ARCHIVE_KIND_HOUR:
      return g_date_time_add_hours (t, n);
    case LERS_ARCHIVE_KIND_DAY:
      return g_date_time_add_days (t, n);
    default:
      return g_date_time_add_months (t, n);
    }
}

/* the end stamps of the periods that start in [from, to), in the meter's zone */
static GPtrArray *
period_stamps (LersSpbusSession *self, LersArchiveKind kind, GDateTime *from, GDateTime *to)
{
  GPtrArray *stamps = g_ptr_array_new_with_free_func ((GDestroyNotify) g_date_time_unref);
  g_autoptr (GDateTime) s
      = lers_time_get_period_start (kind, from, self->zone, self->report_hour, 1);

  if (s != NULL && g_date_time_compare (s, from) < 0)
    {
      GDateTime *e = lers_time_get_period_end (kind, s, self->zone, self->report_hour, 1);
      g_date_time_unref (s);
      s = e;
    }
  while (s != NULL && g_date_time_compare (s, to) < 0)
    {
      GDateTime *e = lers_time_get_period_end (kind, s, self->zone, self->report_hour, 1);
      if (e == NULL)
        break;
      g_ptr_array_add (stamps, g_date_time_to_timezone (e, self->zone));
      g_date_time_unref (s);
      s = e;
    }
  return stamps;
}

static void
store_value (ReadData *d, const SpbusParam *p, GDateTime *time, const gchar *text,
             const gchar *units)
{
  g_autofree gchar *key
      = g_strdup_printf ("%u:%" G_GINT64_FORMAT, p->lers_channel, g_date_time_to_unix (time));
  LersRecord *record = g_hash_table_lookup (d->records, key);
  LersValueFlags flags = LERS_VALUE_FLAG_NONE;
  gboolean known = FALSE;
  gdouble factor = spbus_units_factor (units, p->parameter, &known);
  gdouble v = 0;

  if (!known)
    g_debug ("%u: units '%s' not known, the value is taken as it is", p->channel, units);
  if (spbus_value_parse (text, &v))
    v = round (v * factor * 1e9) / 1e9;
  else
    {
      v = 0;
      flags |= LERS_VALUE_FLAG_BAD;
    }
  if (record == NULL)
    {
      record = lers_record_new (time, d->kind);
      lers_record_set_channel (record, p->lers_channel);
      g_hash_table_insert (d->records, g_steal_pointer (&key), record);
    }
  lers_record_set_value (record, p->parameter, v, flags);
}

static gboolean
store_answer (LersSpbusSession *self, ReadData *d, const Job *job, GBytes *answer, GError **error)
{
  gsize len = 0;
  const guint8 *buf = g_bytes_get_data (answer, &len);
  guint chn = 0, prm = 0;
  SpbusFrame frame;

  if (!spbus_frame_parse (buf, len, &frame, error))
    return FALSE;
  if (!job->array)
    {
      g_autofree gchar *value = NULL;
      g_autofree gchar *units = NULL;
      if (!spbus_decode_value (&frame, &chn, &prm, &value, &units, error))
        return FALSE;
      store_value (d, &job->param, d->now, value, units);
      return TRUE;
    }
  else
    {
      g_autoptr (GArray) recs = spbus_decode_array (&frame, &chn, &prm, error);
      if (recs == NULL)
        return FALSE;
      for (guint i = 0; i < recs->len; i++)
        {
          SpbusArrayRecord *r = &g_array_index (recs, SpbusArrayRecord, i);
          g_autoptr (GDateTime) stamp = g_date_time_new (
              self->zone, (gint) r->stamp.year, (gint) r->stamp.month, (gint) r->stamp.day,
              (gint) r->stamp.hour, (gint) r->stamp.minute, r->stamp.second);
          g_autoptr (GDateTime) start = stamp != NULL ? period_shift (d->kind, stamp, -1) : NULL;

          if (start == NULL || g_date_time_compare (start, d->from) < 0
              || g_date_time_compare (start, d->to) >= 0)
            continue;
          store_value (d, &job->param, start, r->value, r->units);
        }
      return TRUE;
    }
}

static void read_next (GTask *task);

static void
read_answered_cb (GObject *source, GAsyncResult *result, gpointer user_data)
{
  GTask *task = user_data;
  LersSpbusSession *self = g_task_get_source_object (task);
  ReadData *d = g_task_get_task_data (task);
  g_autoptr (GError) error = NULL;
  g_autoptr (GBytes) answer = g_task_propagate_pointer (G_TASK (result), &error);
  const Job *job = &g_array_index (d->jobs, Job, d->next);

  if (answer == NULL || !store_answer (self, d, job, answer, &error))
    {
      g_task_return_error (task, g_steal_pointer (&error));
      g_object_unref (task);
      return;
    }
  d->next++;
  if (d->progress != NULL)
    lers_progress_set_fraction (d->progress, (gdouble) d->next / d->jobs->len);
  read_next (task);
}

static gint
record_compare (gconstpointer a, gconstpointer b)
{
  LersRecord *ra = *(LersRecord **) a;
  LersRecord *rb = *(LersRecord **) b;
  gint c = g_date_time_compare (lers_record_get_timestamp (ra), lers_record_get_timestamp (rb));

  if (c != 0)
    return c;
  return (gint) lers_record_get_channel (ra) - (gint) lers_record_get_channel (rb);
}

static void
read_next (GTask *task)
{
  LersSpbusSession *self = g_task_get_source_object (task);
  ReadData *d = g_task_get_task_data (task);
  const Job *job;
  GBytes *request;

  if (d->next >= d->jobs->len)
    {
      GPtrArray *out = g_ptr_array_new_with_free_func (g_object_unref);
      GHashTableIter it;
      gpointer value;

      g_hash_table_iter_init (&it, d->records);
      while (g_hash_table_iter_next (&it, NULL, &value))
        g_ptr_array_add (out, g_object_ref (value));
      g_ptr_array_sort (out, record_compare);
      if (d->progress != NULL)
        lers_progress_set_fraction (d->progress, 1.0);
      g_task_return_pointer (task, out, (GDestroyNotify) g_ptr_array_unref);
      g_object_unref (task);
      return;
    }
  job = &g_array_index (d->jobs, Job, d->next);
  if (job->array)
    request = spbus_request_read_array (self->address, job->param.channel, job->number, &job->from,
                                        &job->to);
  else
    request = spbus_request_read_param (self->address, job->param.channel, job->number);
  session_request_async (self, request, job->array ? SPBUS_FNC_ARRAY : SPBUS_FNC_VALUE,
                         job->param.channel, job->number, g_task_get_cancellable (task),
                         read_answered_cb, task);
}

static const gchar *
kind_name (LersArchiveKind kind)
{
  switch (kind)
    {
    case LERS_ARCHIVE_KIND_CURRENT:
      return _ ("current values");
    case LERS_ARCHIVE_KIND_TOTALS:
      return _ ("totals");
    case LERS_ARCHIVE_KIND_HOUR:
      return _ ("hour archive");
    case LERS_ARCHIVE_KIND_DAY:
      return _ ("day archive");
    case LERS_ARCHIVE_KIND_MONTH:
      return _ ("month archive");
    default:
      return _ ("this archive");
    }
}

static void
lers_spbus_session_read_archive_async (LersDeviceSession *session, LersArchiveKind kind,
                                       GDateTime *from, GDateTime *to, LersProgress *progress,
                                       GCancellable *cancellable, GAsyncReadyCallback callback,
                                       gpointer user_data)
{
  LersSpbusSession *self = LERS_SPBUS_SESSION (session);
  GTask *task = g_task_new (self, cancellable, callback, user_data);
  ReadData *d = g_new0 (ReadData, 1);
  gboolean periodic = kind == LERS_ARCHIVE_KIND_HOUR || kind == LERS_ARCHIVE_KIND_DAY
                      || kind == LERS_ARCHIVE_KIND_MONTH;
  g_autoptr (GPtrArray) stamps = NULL;
  gboolean mapped = FALSE;

  g_task_set_source_tag (task, lers_spbus_session_read_archive_async);
  g_task_set_task_data (task, d, (GDestroyNotify) read_data_free);
  d->kind = kind;
  d->progress = progress != NULL ? g_object_ref (progress) : NULL;
  d->jobs = g_array_new (FALSE, TRUE, sizeof (Job));
  d->records = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_object_unref);
  d->now = g_date_time_new_now (self->zone);
  if (periodic && (from == NULL || to == NULL))
    {
      g_task_return_new_error (task, LERS_ERROR, LERS_ERROR_INVALID_ARGUMENT,
                               _ ("A СПСеть archive read needs a time range"));
      g_object_unref (task);
      return;
    }
  if (periodic)
    {
      d->from = g_date_time_ref (from);
      d->to = g_date_time_ref (to);
      stamps = period_stamps (self, kind, from, to);
    }
  for (guint i = 0; self->params != NULL && i < self->params->len; i++)
    {
      const SpbusParam *p = &g_array_index (self->params, SpbusParam, i);
      gint number = param_number (p, kind);

      if (number < 0)
        continue;
      mapped = TRUE;
      if (!periodic)
        {
          Job job = { *p, (guint) number, FALSE, { 0 }, { 0 } };
          g_array_append_val (d->jobs, job);
          continue;
        }
      for (guint k = 0; k < stamps->len; k += self->records_per_request)
        {
          guint last = MIN (k + self->records_per_request, stamps->len) - 1;
          Job job = { *p, (guint) number, TRUE, { 0 }, { 0 } };
          time_from_date_time (g_ptr_array_index (stamps, k), &job.from);
          time_from_date_time (g_ptr_array_index (stamps, last), &job.to);
          g_array_append_val (d->jobs, job);
        }
    }
  if (!mapped)
    {
      /* TRANSLATORS: %s is "hour archive", "totals" … */
      g_task_return_new_error (task, LERS_ERROR, LERS_ERROR_NOT_SUPPORTED,
                               _ ("No СПСеть parameter numbers are known for the %s of this "
                                  "model; give them with the option params"),
                               kind_name (kind));
      g_object_unref (task);
      return;
    }
  read_next (task);
}

static GPtrArray *
lers_spbus_session_read_archive_finish (LersDeviceSession *session, GAsyncResult *result,
                                        GError **error)
{
  return g_task_propagate_pointer (G_TASK (result), error);
}

/* ---- not established: events and the clock ---------------------------- */

static void
lers_spbus_session_read_events_async (LersDeviceSession *session, GDateTime *from, GDateTime *to,
                                      LersProgress *progress, GCancellable *cancellable,
                                      GAsyncReadyCallback callback, gpointer user_data)
{
  g_autoptr (GTask) task = g_task_new (session, cancellable, callback, user_data);

  g_task_set_source_tag (task, lers_spbus_session_read_events_async);
  g_task_return_new_error (task, LERS_ERROR, LERS_ERROR_NOT_SUPPORTED,
                           _ ("СПСеть: the parameters of the device's error log are not known"));
}

static GPtrArray *
lers_spbus_session_read_events_finish (LersDeviceSession *session, GAsyncResult *result,
                                       GError **error)
{
  return g_task_propagate_pointer (G_TASK (result), error);
}

static void
lers_spbus_session_read_clock_async (LersDeviceSession *session, GCancellable *cancellable,
                                     GAsyncReadyCallback callback, gpointer user_data)
{
  g_autoptr (GTask) task = g_task_new (session, cancellable, callback, user_data);

  g_task_set_source_tag (task, lers_spbus_session_read_clock_async);
  g_task_return_new_error (task, LERS_ERROR, LERS_ERROR_NOT_SUPPORTED,
                           _ ("СПСеть: the parameters of the device's clock are not known"));
}

static GDateTime *
lers_spbus_session_read_clock_finish (LersDeviceSession *session, GAsyncResult *result,
                                      GError **error)
{
  return g_task_propagate_pointer (G_TASK (result), error);
}

static void
lers_spbus_session_set_clock_async (LersDeviceSession *session, GDateTime *time,
                                    GCancellable *cancellable, GAsyncReadyCallback callback,
                                    gpointer user_data)
{
  g_autoptr (GTask) task = g_task_new (session, cancellable, callback, user_data);

  g_task_set_source_tag (task, lers_spbus_session_set_clock_async);
  g_task_return_new_error (task, LERS_ERROR, LERS_ERROR_NOT_SUPPORTED,
                           _ ("СПСеть: the parameters of the device's clock are not known"));
}

static gboolean
lers_spbus_session_set_clock_finish (LersDeviceSession *session, GAsyncResult *result,
                                     GError **error)
{
  return g_task_propagate_boolean (G_TASK (result), error);
}

static void
lers_spbus_session_close_async (LersDeviceSession *session, GCancellable *cancellable,
                                GAsyncReadyCallback callback, gpointer user_data)
{
  g_autoptr (GTask) task = g_task_new (session, cancellable, callback, user_data);

  g_task_set_source_tag (task, lers_spbus_session_close_async);
  g_task_return_boolean (task, TRUE);
}

static gboolean
lers_spbus_session_close_finish (LersDeviceSession *session, GAsyncResult *result, GError **error)
{
  return g_task_propagate_boolean (G_TASK (result), error);
}

/* ---- GObject ------------------------------------------------------------ */

static void
lers_spbus_session_finalize (GObject *object)
{
  LersSpbusSession *self = LERS_SPBUS_SESSION (object);

  g_clear_pointer (&self->zone, g_time_zone_unref);
  g_clear_pointer (&self->params, g_array_unref);
  G_OBJECT_CLASS (lers_spbus_session_parent_class)->finalize (object);
}

static void
lers_spbus_session_class_init (LersSpbusSessionClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  LersDeviceSessionClass *session_class = LERS_DEVICE_SESSION_CLASS (klass);

  object_class->finalize = lers_spbus_session_finalize;
  session_class->open_async = lers_spbus_session_open_async;
  session_class->open_finish = lers_spbus_session_open_finish;
  session_class->read_archive_async = lers_spbus_session_read_archive_async;
  session_class->read_archive_finish = lers_spbus_session_read_archive_finish;
  session_class->read_events_async = lers_spbus_session_read_events_async;
  session_class->read_events_finish = lers_spbus_session_read_events_finish;
  session_class->read_clock_async = lers_spbus_session_read_clock_async;
  session_class->read_clock_finish = lers_spbus_session_read_clock_finish;
  session_class->set_clock_async = lers_spbus_session_set_clock_async;
  session_class->set_clock_finish = lers_spbus_session_set_clock_finish;
  session_class->close_async = lers_spbus_session_close_async;
  session_class->close_finish = lers_spbus_session_close_finish;
}

static void
lers_spbus_session_class_finalize (LersSpbusSessionClass *klass)
{
}

static void
lers_spbus_session_init (LersSpbusSession *self)
{
  self->records_per_request = SPBUS_DEFAULT_RECORDS;
  self->zone = g_time_zone_new_utc ();
}

void
lers_spbus_session_register (GTypeModule *module)
{
  lers_spbus_session_register_type (module);
}

LersDeviceSession *
lers_spbus_session_new (LersTransport *transport, LersDevice *device)
{
  return g_object_new (LERS_TYPE_SPBUS_SESSION, "transport", transport, "device", device, NULL);
}
