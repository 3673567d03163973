/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * The Pulsar session, all async over lers_transport_exchange_async():
 *
 * - open: the line default (9600 8N1), the address, the options; then the
 *   clock is read, which proves that the device is there;
 * - current values and totals: the clock (the readings' time), then one
 *   function 0x01 request for every channel in use;
 * - hour, day and month: function 0x06 per channel, at most
 *   `archive-records` slots a request. A slot holds the channel's reading
 *   at the start of its period, so the record of period [s, e) is
 *   reading(e) − reading(s) (calculated), stamped s;
 * - events: on the Pulsar-16RM-M, the hour archive's "no power" slots
 *   (0xFFFFFFF0; "no data" on other models) over the range, consecutive
 *   hours as one `power-off` event per channel, and the
 *   diagnostics flags (parameter 0x0006): a state, each set flag one event
 *   starting at the meter's current day, when that day's start or the
 *   device's clock is in [from, to);
 * - the clock: functions 0x04 and 0x05.
 *
 * A request is resent on a timeout, a garbled answer or one from another
 * address or with another ID, up to `retries` times. Error answers (FN 0)
 * are final.
 */
#include "lers-pulsar-session.h"

#include <glib/gi18n-lib.h>
#include <math.h>
#include <string.h>

#include "lers-pulsar-driver.h"
#include "pulsar-archive.h"
#include "pulsar-frame.h"

#define PULSAR_DEFAULT_RECORDS 48

struct _LersPulsarSession
{
  LersDeviceSession parent_instance;

  guint32 address;
  guint retries;
  GTimeZone *zone;
  guint channels[PULSAR_MAX_CHANNELS]; /* 1-based numbers, ascending */
  guint n_channels;
  LersParameter quantity[PULSAR_MAX_CHANNELS];
  gdouble factor[PULSAR_MAX_CHANNELS];
  guint records_per_request;
  gboolean power_marks; /* 0xFFFFFFF0 = no power (16RM-M), else no data */
  guint16 next_id;
  GArray *queued_ids;
  gboolean restore_timeout;
  guint saved_timeout_ms;
};

G_DEFINE_DYNAMIC_TYPE_EXTENDED (LersPulsarSession, lers_pulsar_session, LERS_TYPE_DEVICE_SESSION,
                                G_TYPE_FLAG_FINAL, {})

static guint16
session_take_id (LersPulsarSession *self)
{
  guint16 id;

  if (self->queued_ids != NULL && self->queued_ids->len > 0)
    {
      id = g_array_index (self->queued_ids, guint16, 0);
      g_array_remove_index (self->queued_ids, 0);
      return id;
    }
  /* 0 is what old firmware sends with an unknown error */
  if (++self->next_id == 0)
    self->next_id = 1;
  return self->next_id;
}

/* ---- one request and its answer ------------------------------------ */

typedef struct
{
  GBytes *request;
  guint16 id;
  const gchar *what;
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
  LersPulsarSession *self = g_task_get_source_object (task);
  RequestData *r = g_task_get_task_data (task);
  g_autoptr (GError) error = why;

  if (r->attempt >= self->retries)
    {
      /* TRANSLATORS: the request, the device's address, the number of tries */
      g_prefix_error (&error, _ ("Pulsar %s to address %08u, %u attempts: "), r->what,
                      self->address, r->attempt + 1);
      g_task_return_error (task, g_steal_pointer (&error));
      g_object_unref (task);
      return;
    }
  r->attempt++;
  g_debug ("%s: %s; retry %u of %u", r->what, error->message, r->attempt, self->retries);
  request_send (task);
}

static void
request_answered_cb (GObject *source, GAsyncResult *result, gpointer user_data)
{
  GTask *task = user_data;
  LersPulsarSession *self = g_task_get_source_object (task);
  RequestData *r = g_task_get_task_data (task);
  g_autoptr (GError) error = NULL;
  g_autoptr (GBytes) answer
      = lers_transport_exchange_finish (LERS_TRANSPORT (source), result, &error);
  PulsarFrame frame;
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
  if (!pulsar_frame_parse (buf, len, &frame, &error))
    {
      request_retry (task, g_steal_pointer (&error));
      return;
    }
  if (self->address != 0 && frame.address != self->address)
    {
      request_retry (task, g_error_new (LERS_ERROR, LERS_ERROR_INVALID_DATA,
                                        _ ("A Pulsar answer from address %08u, not %08u"),
                                        frame.address, self->address));
      return;
    }
  /* old firmware answers an unknown error with ID 0 */
  if (frame.id != r->id && !(frame.function == PULSAR_FN_ERROR && frame.id == 0))
    {
      request_retry (task, g_error_new (LERS_ERROR, LERS_ERROR_INVALID_DATA,
                                        _ ("A Pulsar answer with request ID %04X, not %04X"),
                                        frame.id, r->id));
      return;
    }
  g_task_return_pointer (task, g_steal_pointer (&answer), (GDestroyNotify) g_bytes_unref);
  g_object_unref (task);
}

static void
request_send (GTask *task)
{
  LersPulsarSession *self = g_task_get_source_object (task);
  RequestData *r = g_task_get_task_data (task);
  LersTransport *transport = lers_device_session_get_transport (LERS_DEVICE_SESSION (self));

  lers_transport_exchange_async (transport, r->request, pulsar_frame_scan, NULL, NULL,
                                 g_task_get_cancellable (task), request_answered_cb, task);
}

/* @request (transfer full) */
static void
session_request_async (LersPulsarSession *self, GBytes *request, guint16 id, const gchar *what,
                       GCancellable *cancellable, GAsyncReadyCallback callback, gpointer user_data)
{
  GTask *task = g_task_new (self, cancellable, callback, user_data);
  RequestData *r = g_new0 (RequestData, 1);

  r->request = request;
  r->id = id;
  r->what = what;
  g_task_set_task_data (task, r, (GDestroyNotify) request_data_free);
  request_send (task);
}

/* the answer, parsed into @frame (which points into the returned bytes) */
static GBytes *
session_request_finish (GAsyncResult *result, PulsarFrame *frame, GError **error)
{
  g_autoptr (GBytes) answer = g_task_propagate_pointer (G_TASK (result), error);
  gsize len = 0;
  const guint8 *buf;

  if (answer == NULL)
    return NULL;
  buf = g_bytes_get_data (answer, &len);
  if (!pulsar_frame_parse (buf, len, frame, error))
    return NULL;
  return g_steal_pointer (&answer);
}

/* ---- options ---------------------------------------------------------- */

static gboolean
parse_quantity (const gchar *text, LersParameter *p, gdouble *factor)
{
  static const struct
  {
    const gchar *name;
    LersParameter parameter;
    gdouble factor;
  } table[] = {
    { "volume", LERS_PARAMETER_V_IN, 1.0 },
    { "mass", LERS_PARAMETER_M_IN, 1.0 },
    { "gas", LERS_PARAMETER_V, 1.0 },
    { "heat-gcal", LERS_PARAMETER_Q_IN, 1.0 },
    /* 1 Gcal = 4.1868 GJ = 1163 kWh */
    { "heat-gj", LERS_PARAMETER_Q_IN, 1.0 / 4.1868 },
    { "heat-kwh", LERS_PARAMETER_Q_IN, 1.0 / 1163.0 },
    { "energy-kwh", LERS_PARAMETER_AP, 1.0 },
  };

  for (guint i = 0; i < G_N_ELEMENTS (table); i++)
    if (g_strcmp0 (text, table[i].name) == 0)
      {
        *p = table[i].parameter;
        *factor = table[i].factor;
        return TRUE;
      }
  return FALSE;
}

static gboolean
session_parse_channels (LersPulsarSession *self, GError **error)
{
  LersDeviceSession *session = LERS_DEVICE_SESSION (self);
  LersDevice *device = lers_device_session_get_device (session);
  const gchar *text = lers_device_session_get_option (session, "channels");
  const gchar *all = lers_device_session_get_option (session, "quantity");
  guint32 mask = 0;

  if (text != NULL && *text != '\0')
    {
      g_auto (GStrv) parts = g_strsplit (text, ",", -1);
      for (guint i = 0; parts[i] != NULL; i++)
        {
          g_autofree gchar *item = g_strstrip (g_strdup (parts[i]));
          guint64 n = 0;
          if (!g_ascii_string_to_unsigned (item, 10, 1, PULSAR_MAX_CHANNELS, &n, NULL))
            {
              g_set_error (error, LERS_ERROR, LERS_ERROR_INVALID_ARGUMENT,
                           _ ("Pulsar option channels=%s: '%s' is not a channel number 1 to 32"),
                           text, item);
              return FALSE;
            }
          mask |= 1u << (n - 1);
        }
    }
  else
    {
      guint n = pulsar_model_channels (lers_device_get_model (device));
      if (n == 0)
        n = 2;
      mask = n >= 32 ? G_MAXUINT32 : (1u << n) - 1;
    }
  self->n_channels = 0;
  for (guint c = 1; c <= PULSAR_MAX_CHANNELS; c++)
    {
      g_autofree gchar *key = NULL;
      const gchar *q;
      guint k;

      if ((mask & (1u << (c - 1))) == 0)
        continue;
      k = self->n_channels++;
      self->channels[k] = c;
      key = g_strdup_printf ("channel-%u-quantity", c);
      q = lers_device_session_get_option (session, key);
      if (q == NULL)
        q = all != NULL ? all : "volume";
      if (!parse_quantity (q, &self->quantity[k], &self->factor[k]))
        {
          g_set_error (error, LERS_ERROR, LERS_ERROR_INVALID_ARGUMENT,
                       _ ("Pulsar option %s=%s: not one of volume, mass, gas, heat-gcal, "
                          "heat-gj, heat-kwh, energy-kwh"),
                       lers_device_session_get_option (session, key) != NULL ? key : "quantity", q);
          return FALSE;
        }
    }
  return TRUE;
}

/* ---- open ------------------------------------------------------------- */

static void
open_clock_cb (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr (GTask) task = user_data;
  g_autoptr (GError) error = NULL;
  PulsarFrame frame;
  g_autoptr (GBytes) answer = session_request_finish (result, &frame, &error);

  if (answer == NULL || !pulsar_frame_check_error (&frame, &error))
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  g_task_return_boolean (task, TRUE);
}

static void
lers_pulsar_session_open_async (LersDeviceSession *session, GCancellable *cancellable,
                                GAsyncReadyCallback callback, gpointer user_data)
{
  LersPulsarSession *self = LERS_PULSAR_SESSION (session);
  g_autoptr (GTask) task = g_task_new (self, cancellable, callback, user_data);
  LersTransport *transport = lers_device_session_get_transport (session);
  LersDevice *device = lers_device_session_get_device (session);
  const gchar *address = lers_device_session_get_option (session, "address");
  g_autoptr (GError) error = NULL;
  guint timeout;
  guint16 id;

  g_task_set_source_tag (task, lers_pulsar_session_open_async);
  if (address == NULL)
    address = lers_device_get_network_address (device);
  if (!pulsar_address_parse (address, &self->address, &error)
      || !session_parse_channels (self, &error))
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  self->retries = lers_device_session_get_option_uint (session, "retries",
                                                       lers_transport_get_retries (transport));
  self->records_per_request
      = lers_device_session_get_option_uint (session, "archive-records", PULSAR_DEFAULT_RECORDS);
  self->records_per_request = CLAMP (self->records_per_request, 1, PULSAR_ARCHIVE_MAX_RECORDS);
  timeout = lers_device_session_get_option_uint (session, "answer-timeout-ms", 0);
  if (timeout > 0)
    {
      /* the link's own value comes back at close */
      if (!self->restore_timeout)
        self->saved_timeout_ms = lers_transport_get_first_byte_timeout_ms (transport);
      self->restore_timeout = TRUE;
      lers_transport_set_first_byte_timeout_ms (transport, timeout);
    }
  g_clear_pointer (&self->zone, g_time_zone_unref);
  self->zone = lers_device_dup_clock_time_zone (device);
  self->power_marks = pulsar_model_marks_no_power (lers_device_get_model (device));
  if (!lers_transport_set_line_default (transport, 9600, 8, LERS_PARITY_NONE, 1, &error))
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  id = session_take_id (self);
  session_request_async (self, pulsar_request_read_clock (self->address, id), id, "clock read",
                         cancellable, open_clock_cb, g_steal_pointer (&task));
}

static gboolean
lers_pulsar_session_open_finish (LersDeviceSession *session, GAsyncResult *result, GError **error)
{
  return g_task_propagate_boolean (G_TASK (result), error);
}

/* ---- the clock -------------------------------------------------------- */

static GDateTime *
clock_from_frame (LersPulsarSession *self, const PulsarFrame *frame, GError **error)
{
  PulsarTime t;
  GDateTime *time;

  if (!pulsar_frame_check_error (frame, error))
    return NULL;
  if (frame->function != PULSAR_FN_READ_CLOCK || frame->payload_len != 6)
    {
      g_set_error (error, LERS_ERROR, LERS_ERROR_INVALID_DATA,
                   _ ("Expected a Pulsar answer to function %u, got function %u"),
                   PULSAR_FN_READ_CLOCK, frame->function);
      return NULL;
    }
  if (!pulsar_time_get (frame->payload, &t, error))
    return NULL;
  time = pulsar_time_to_date_time (&t, self->zone);
  if (time == NULL)
    g_set_error (error, LERS_ERROR, LERS_ERROR_INVALID_DATA,
                 _ ("Invalid Pulsar date %04u-%02u-%02u"), t.year, t.month, t.day);
  return time;
}

static void
read_clock_cb (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr (GTask) task = user_data;
  LersPulsarSession *self = g_task_get_source_object (task);
  g_autoptr (GError) error = NULL;
  PulsarFrame frame;
  g_autoptr (GBytes) answer = session_request_finish (result, &frame, &error);
  GDateTime *time = answer != NULL ? clock_from_frame (self, &frame, &error) : NULL;

  if (time == NULL)
    g_task_return_error (task, g_steal_pointer (&error));
  else
    g_task_return_pointer (task, time, (GDestroyNotify) g_date_time_unref);
}

static void
lers_pulsar_session_read_clock_async (LersDeviceSession *session, GCancellable *cancellable,
                                      GAsyncReadyCallback callback, gpointer user_data)
{
  LersPulsarSession *self = LERS_PULSAR_SESSION (session);
  GTask *task = g_task_new (self, cancellable, callback, user_data);
  guint16 id = session_take_id (self);

  g_task_set_source_tag (task, lers_pulsar_session_read_clock_async);
  session_request_async (self, pulsar_request_read_clock (self->address, id), id, "clock read",
                         cancellable, read_clock_cb, task);
}

static GDateTime *
lers_pulsar_session_read_clock_finish (LersDeviceSession *session, GAsyncResult *result,
                                       GError **error)
{
  return g_task_propagate_pointer (G_TASK (result), error);
}

static void
set_clock_cb (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr (GTask) task = user_data;
  g_autoptr (GError) error = NULL;
  PulsarFrame frame;
  g_autoptr (GBytes) answer = session_request_finish (result, &frame, &error);

  if (answer == NULL || !pulsar_decode_write_status (&frame, &error))
    g_task_return_error (task, g_steal_pointer (&error));
  else
    g_task_return_boolean (task, TRUE);
}

static void
lers_pulsar_session_set_clock_async (LersDeviceSession *session, GDateTime *time,
                                     GCancellable *cancellable, GAsyncReadyCallback callback,
                                     gpointer user_data)
{
  LersPulsarSession *self = LERS_PULSAR_SESSION (session);
  GTask *task = g_task_new (self, cancellable, callback, user_data);
  g_autoptr (GDateTime) local = g_date_time_to_timezone (time, self->zone);
  PulsarTime t;
  guint16 id;

  g_task_set_source_tag (task, lers_pulsar_session_set_clock_async);
  pulsar_time_from_date_time (local, &t);
  if (t.year < 2000 || t.year > 2099)
    {
      g_task_return_new_error (task, LERS_ERROR, LERS_ERROR_INVALID_ARGUMENT,
                               _ ("A Pulsar clock holds the years 2000 to 2099 only"));
      g_object_unref (task);
      return;
    }
  id = session_take_id (self);
  session_request_async (self, pulsar_request_write_clock (self->address, &t, id), id,
                         "clock write", cancellable, set_clock_cb, task);
}

static gboolean
lers_pulsar_session_set_clock_finish (LersDeviceSession *session, GAsyncResult *result,
                                      GError **error)
{
  return g_task_propagate_boolean (G_TASK (result), error);
}

/* ---- archives, current values, events ------------------------------ */

typedef enum
{
  STEP_CLOCK,   /* read the device's clock */
  STEP_CURRENT, /* function 0x01 */
  STEP_SLOTS,   /* function 0x06, channel by channel */
  STEP_DIAG,    /* parameter 0x0006 */
  STEP_DONE,
} Step;

typedef struct
{
  LersArchiveKind kind;
  gboolean events;
  GDateTime *from;
  GDateTime *to;
  LersProgress *progress;
  GPtrArray *out;
  Step step;
  GDateTime *clock;
  GPtrArray *slots;
  GArray *raw;      /* guint32, one a slot, of the channel being read */
  guint ch;         /* index into self->channels */
  guint offset;     /* the next slot to ask for */
  PulsarTime start; /* of the request in flight */
  guint asked;      /* slots asked for */
  guint requests_done;
  guint requests_total;
  guint walked; /* hour slots added past the range (events) */
} ReadData;

static void
read_data_free (ReadData *d)
{
  g_clear_pointer (&d->from, g_date_time_unref);
  g_clear_pointer (&d->to, g_date_time_unref);
  g_clear_object (&d->progress);
  g_clear_pointer (&d->out, g_ptr_array_unref);
  g_clear_pointer (&d->clock, g_date_time_unref);
  g_clear_pointer (&d->slots, g_ptr_array_unref);
  g_clear_pointer (&d->raw, g_array_unref);
  g_free (d);
}

static void read_next (GTask *task);

static void
raw_reset (ReadData *d)
{
  guint32 none = PULSAR_NO_DATA;

  g_array_set_size (d->raw, 0);
  for (guint i = 0; i < d->slots->len; i++)
    g_array_append_val (d->raw, none);
}

/* the start of the meter's current day, in its zone */
static GDateTime *
meter_day_start (LersPulsarSession *self, ReadData *d)
{
  g_autoptr (GDateTime) s
      = lers_time_get_period_start (LERS_ARCHIVE_KIND_DAY, d->clock, self->zone, 0, 1);

  return s != NULL ? g_date_time_to_timezone (s, self->zone) : NULL;
}

static gboolean
in_range (GDateTime *t, ReadData *d)
{
  return t != NULL && g_date_time_compare (t, d->from) >= 0 && g_date_time_compare (t, d->to) < 0;
}

/* events: the diagnostics flags are read when the meter's current day
 * starts in [from, to) or its clock is in [from, to) */
static Step
after_slots (LersPulsarSession *self, ReadData *d)
{
  g_autoptr (GDateTime) day = NULL;

  if (!d->events || d->clock == NULL)
    return STEP_DONE;
  day = meter_day_start (self, d);
  return in_range (day, d) || in_range (d->clock, d) ? STEP_DIAG : STEP_DONE;
}

/* at most this many hour slots read past the range to find an outage's
 * end: the simulator's 62 days of hours */
#define PULSAR_MAX_WALK_FORWARD (62 * 24)

/* Events: when the channel's last slot is "no power", the outage goes on
 * past the range: add the next hours (up to the device's clock) to the
 * slots and read on. Returns whether slots were added. */
static gboolean
walk_forward (ReadData *d)
{
  GDateTime *last;
  g_autoptr (GDateTime) clock_hour = NULL;
  guint32 none = PULSAR_NO_DATA;
  guint added = 0;

  if (!d->events || d->slots->len == 0 || d->clock == NULL
      || g_array_index (d->raw, guint32, d->raw->len - 1) != PULSAR_NO_POWER
      || d->walked >= PULSAR_MAX_WALK_FORWARD)
    return FALSE;
  clock_hour = lers_time_get_period_start (LERS_ARCHIVE_KIND_HOUR, d->clock,
                                           g_date_time_get_timezone (d->clock), 0, 1);
  last = g_ptr_array_index (d->slots, d->slots->len - 1);
  while (added < PULSAR_ARCHIVE_MAX_RECORDS && d->walked < PULSAR_MAX_WALK_FORWARD
         && clock_hour != NULL && g_date_time_compare (last, clock_hour) < 0)
    {
      last = g_date_time_add_hours (last, 1);
      g_ptr_array_add (d->slots, last);
      g_array_append_val (d->raw, none);
      added++;
      d->walked++;
    }
  return added > 0;
}

/* the channel's slots are all in: records or events */
static void
read_channel_done (LersPulsarSession *self, ReadData *d)
{
  const guint32 *raw = (const guint32 *) (gpointer) d->raw->data;

  if (d->events && self->power_marks)
    pulsar_archive_build_power_events (d->out, d->slots, raw, self->channels[d->ch] - 1, d->from,
                                       d->to);
  else if (!d->events)
    pulsar_archive_build_records (d->out, d->kind, d->slots, raw, self->channels[d->ch] - 1,
                                  self->quantity[d->ch], self->factor[d->ch], self->power_marks);
}

static void
read_answered_cb (GObject *source, GAsyncResult *result, gpointer user_data)
{
  GTask *task = user_data;
  LersPulsarSession *self = g_task_get_source_object (task);
  ReadData *d = g_task_get_task_data (task);
  g_autoptr (GError) error = NULL;
  PulsarFrame frame;
  g_autoptr (GBytes) answer = session_request_finish (result, &frame, &error);

  if (answer == NULL)
    goto fail;
  switch (d->step)
    {
    case STEP_CLOCK:
      d->clock = clock_from_frame (self, &frame, &error);
      if (d->clock == NULL)
        goto fail;
      if (d->kind == LERS_ARCHIVE_KIND_CURRENT || d->kind == LERS_ARCHIVE_KIND_TOTALS)
        d->step = STEP_CURRENT;
      else
        d->step = d->slots->len > 0 ? STEP_SLOTS : after_slots (self, d);
      break;
    case STEP_CURRENT:
      {
        gdouble values[PULSAR_MAX_CHANNELS];
        if (!pulsar_decode_channels (&frame, self->n_channels, values, &error))
          goto fail;
        for (guint k = 0; k < self->n_channels; k++)
          g_ptr_array_add (d->out, pulsar_archive_current_record (
                                       d->kind, d->clock, values[k], self->channels[k] - 1,
                                       self->quantity[k], self->factor[k]));
        d->step = STEP_DONE;
        break;
      }
    case STEP_SLOTS:
      {
        g_autoptr (GArray) got = g_array_new (FALSE, FALSE, sizeof (guint32));
        if (!pulsar_decode_archive (&frame, self->channels[d->ch], &d->start, got, &error))
          goto fail;
        if (got->len > d->asked)
          {
            g_set_error (&error, LERS_ERROR, LERS_ERROR_INVALID_DATA,
                         _ ("A Pulsar archive answer with %u values, %u asked for"), got->len,
                         d->asked);
            goto fail;
          }
        for (guint i = 0; i < got->len; i++)
          g_array_index (d->raw, guint32, d->offset + i) = g_array_index (got, guint32, i);
        d->requests_done++;
        /* fewer values than asked: the archive ends there */
        if (got->len < d->asked)
          d->offset = d->slots->len;
        else if ((d->offset += d->asked) >= d->slots->len)
          walk_forward (d);
        if (d->offset >= d->slots->len)
          {
            read_channel_done (self, d);
            d->requests_done = (d->ch + 1) * (d->requests_total / MAX (self->n_channels, 1));
            d->ch++;
            d->offset = 0;
            raw_reset (d);
            if (d->ch >= self->n_channels)
              d->step = after_slots (self, d);
          }
        if (d->progress != NULL && d->requests_total > 0)
          lers_progress_set_fraction (d->progress,
                                      CLAMP ((gdouble) d->requests_done / d->requests_total, 0, 1));
        break;
      }
    case STEP_DIAG:
      if (frame.function == PULSAR_FN_READ_PARAMETER && frame.payload_len >= 1)
        {
          g_autoptr (GDateTime) day = meter_day_start (self, d);
          if (day != NULL)
            pulsar_archive_build_diag_events (d->out, frame.payload[0], day);
        }
      else if (!pulsar_frame_check_error (&frame, &error)
               && !g_error_matches (error, LERS_ERROR, LERS_ERROR_NOT_FOUND)
               && !g_error_matches (error, LERS_ERROR, LERS_ERROR_NOT_SUPPORTED))
        goto fail;
      d->step = STEP_DONE;
      break;
    case STEP_DONE:
    default:
      g_assert_not_reached ();
    }
  read_next (task);
  return;

fail:
  g_task_return_error (task, g_steal_pointer (&error));
  g_object_unref (task);
}

static void
read_next (GTask *task)
{
  LersPulsarSession *self = g_task_get_source_object (task);
  ReadData *d = g_task_get_task_data (task);
  GCancellable *cancellable = g_task_get_cancellable (task);
  guint16 id = d->step != STEP_DONE ? session_take_id (self) : 0;
  GBytes *request = NULL;
  const gchar *what = NULL;

  switch (d->step)
    {
    case STEP_CLOCK:
      request = pulsar_request_read_clock (self->address, id);
      what = "clock read";
      break;
    case STEP_CURRENT:
      {
        guint32 mask = 0;
        for (guint k = 0; k < self->n_channels; k++)
          mask |= 1u << (self->channels[k] - 1);
        request = pulsar_request_read_channels (self->address, mask, id);
        what = "channel read";
        break;
      }
    case STEP_SLOTS:
      {
        PulsarTime end;
        guint last;
        PulsarArchiveType type = d->events                            ? PULSAR_ARCHIVE_HOUR
                                 : d->kind == LERS_ARCHIVE_KIND_DAY   ? PULSAR_ARCHIVE_DAY
                                 : d->kind == LERS_ARCHIVE_KIND_MONTH ? PULSAR_ARCHIVE_MONTH
                                                                      : PULSAR_ARCHIVE_HOUR;

        d->asked = MIN (self->records_per_request, d->slots->len - d->offset);
        last = d->offset + d->asked - 1;
        pulsar_time_from_date_time (g_ptr_array_index (d->slots, d->offset), &d->start);
        pulsar_time_from_date_time (g_ptr_array_index (d->slots, last), &end);
        request = pulsar_request_read_archive (self->address, self->channels[d->ch], type,
                                               &d->start, &end, id);
        what = "archive read";
        break;
      }
    case STEP_DIAG:
      request = pulsar_request_read_parameter (self->address, PULSAR_PARAM_DIAGNOSTICS, id);
      what = "diagnostics read";
      break;
    case STEP_DONE:
    default:
      if (d->progress != NULL)
        lers_progress_set_fraction (d->progress, 1.0);
      g_task_return_pointer (task, g_steal_pointer (&d->out), (GDestroyNotify) g_ptr_array_unref);
      g_object_unref (task);
      return;
    }
  session_request_async (self, request, id, what, cancellable, read_answered_cb, task);
}

static void
read_start (LersPulsarSession *self, LersArchiveKind kind, gboolean events, GDateTime *from,
            GDateTime *to, LersProgress *progress, GCancellable *cancellable,
            GAsyncReadyCallback callback, gpointer user_data, gpointer tag)
{
  GTask *task = g_task_new (self, cancellable, callback, user_data);
  ReadData *d = g_new0 (ReadData, 1);
  gboolean periodic = events || kind == LERS_ARCHIVE_KIND_HOUR || kind == LERS_ARCHIVE_KIND_DAY
                      || kind == LERS_ARCHIVE_KIND_MONTH;

  g_task_set_source_tag (task, tag);
  g_task_set_task_data (task, d, (GDestroyNotify) read_data_free);
  d->kind = kind;
  d->events = events;
  d->progress = progress != NULL ? g_object_ref (progress) : NULL;
  d->out = g_ptr_array_new_with_free_func (g_object_unref);
  d->raw = g_array_new (FALSE, FALSE, sizeof (guint32));
  if (!periodic && kind != LERS_ARCHIVE_KIND_CURRENT && kind != LERS_ARCHIVE_KIND_TOTALS)
    {
      g_task_return_new_error (task, LERS_ERROR, LERS_ERROR_NOT_SUPPORTED,
                               _ ("A Pulsar device has no such archive"));
      g_object_unref (task);
      return;
    }
  if (periodic && (from == NULL || to == NULL))
    {
      g_task_return_new_error (task, LERS_ERROR, LERS_ERROR_INVALID_ARGUMENT,
                               _ ("A Pulsar archive read needs a time range"));
      g_object_unref (task);
      return;
    }
  if (from != NULL)
    d->from = g_date_time_ref (from);
  if (to != NULL)
    d->to = g_date_time_ref (to);
  d->step = periodic && !events ? STEP_SLOTS : STEP_CLOCK;
  if (periodic)
    {
      /* events: the clock first (the diagnostics' time), then the slots
       * of the hours that start in [from, to) and the one at their end:
       * an outage starts in the range when its first "no power" slot has
       * a slot before it that is not; walk_forward() follows one that
       * runs past the range to its end */
      d->slots
          = pulsar_archive_slots (events ? LERS_ARCHIVE_KIND_HOUR : kind, from, to, self->zone);
      /* events from the hour archive only where 0xFFFFFFF0 means no power */
      if (events && !self->power_marks)
        g_ptr_array_set_size (d->slots, 0);
      raw_reset (d);
      d->requests_total
          = self->n_channels
            * ((d->slots->len + self->records_per_request - 1) / self->records_per_request);
      if (d->slots->len == 0 && !events)
        d->step = STEP_DONE;
    }
  read_next (task);
}

static void
lers_pulsar_session_read_archive_async (LersDeviceSession *session, LersArchiveKind kind,
                                        GDateTime *from, GDateTime *to, LersProgress *progress,
                                        GCancellable *cancellable, GAsyncReadyCallback callback,
                                        gpointer user_data)
{
  read_start (LERS_PULSAR_SESSION (session), kind, FALSE, from, to, progress, cancellable, callback,
              user_data, lers_pulsar_session_read_archive_async);
}

static GPtrArray *
lers_pulsar_session_read_archive_finish (LersDeviceSession *session, GAsyncResult *result,
                                         GError **error)
{
  return g_task_propagate_pointer (G_TASK (result), error);
}

static void
lers_pulsar_session_read_events_async (LersDeviceSession *session, GDateTime *from, GDateTime *to,
                                       LersProgress *progress, GCancellable *cancellable,
                                       GAsyncReadyCallback callback, gpointer user_data)
{
  read_start (LERS_PULSAR_SESSION (session), LERS_ARCHIVE_KIND_EVENTS, TRUE, from, to, progress,
              cancellable, callback, user_data, lers_pulsar_session_read_events_async);
}

static GPtrArray *
lers_pulsar_session_read_events_finish (LersDeviceSession *session, GAsyncResult *result,
                                        GError **error)
{
  return g_task_propagate_pointer (G_TASK (result), error);
}

/* ---- close ------------------------------------------------------------ */

static void
lers_pulsar_session_close_async (LersDeviceSession *session, GCancellable *cancellable,
                                 GAsyncReadyCallback callback, gpointer user_data)
{
  LersPulsarSession *self = LERS_PULSAR_SESSION (session);
  g_autoptr (GTask) task = g_task_new (session, cancellable, callback, user_data);

  g_task_set_source_tag (task, lers_pulsar_session_close_async);
  if (self->restore_timeout)
    lers_transport_set_first_byte_timeout_ms (lers_device_session_get_transport (session),
                                              self->saved_timeout_ms);
  self->restore_timeout = FALSE;
  g_task_return_boolean (task, TRUE);
}

static gboolean
lers_pulsar_session_close_finish (LersDeviceSession *session, GAsyncResult *result, GError **error)
{
  return g_task_propagate_boolean (G_TASK (result), error);
}

/* ---- GObject ---------------------------------------------------------- */

static void
lers_pulsar_session_finalize (GObject *object)
{
  LersPulsarSession *self = LERS_PULSAR_SESSION (object);

  g_clear_pointer (&self->zone, g_time_zone_unref);
  g_clear_pointer (&self->queued_ids, g_array_unref);
  G_OBJECT_CLASS (lers_pulsar_session_parent_class)->finalize (object);
}

static void
lers_pulsar_session_class_init (LersPulsarSessionClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  LersDeviceSessionClass *session_class = LERS_DEVICE_SESSION_CLASS (klass);

  object_class->finalize = lers_pulsar_session_finalize;
  session_class->open_async = lers_pulsar_session_open_async;
  session_class->open_finish = lers_pulsar_session_open_finish;
  session_class->read_archive_async = lers_pulsar_session_read_archive_async;
  session_class->read_archive_finish = lers_pulsar_session_read_archive_finish;
  session_class->read_events_async = lers_pulsar_session_read_events_async;
  session_class->read_events_finish = lers_pulsar_session_read_events_finish;
  session_class->read_clock_async = lers_pulsar_session_read_clock_async;
  session_class->read_clock_finish = lers_pulsar_session_read_clock_finish;
  session_class->set_clock_async = lers_pulsar_session_set_clock_async;
  session_class->set_clock_finish = lers_pulsar_session_set_clock_finish;
  session_class->close_async = lers_pulsar_session_close_async;
  session_class->close_finish = lers_pulsar_session_close_finish;
}

static void
lers_pulsar_session_class_finalize (LersPulsarSessionClass *klass)
{
}

static void
lers_pulsar_session_init (LersPulsarSession *self)
{
  self->records_per_request = PULSAR_DEFAULT_RECORDS;
  self->zone = g_time_zone_new_utc ();
}

void
lers_pulsar_session_register (GTypeModule *module)
{
  lers_pulsar_session_register_type (module);
}

LersDeviceSession *
lers_pulsar_session_new (LersTransport *transport, LersDevice *device)
{
  return g_object_new (LERS_TYPE_PULSAR_SESSION, "transport", transport, "device", device, NULL);
}

void
lers_pulsar_session_queue_ids (LersPulsarSession *self, const guint16 *ids, guint n)
{
  if (self->queued_ids == NULL)
    self->queued_ids = g_array_new (FALSE, FALSE, sizeof (guint16));
  g_array_append_vals (self->queued_ids, ids, n);
}
