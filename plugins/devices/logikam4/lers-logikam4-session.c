/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * The M4 session, all async over lers_transport_exchange_async(), full
 * frames only (10 NT 90 ID 00 DL body CRC):
 *
 *   open:    16 × FF (wake-up), a pause of `wake-up-ms`, then 3F 00 00 00 00
 *            → 3F DVC_L DVC_H VX: the model; then 72 for the units (ЕИ/P,
 *            ЕИ/Q) and the reporting hour ЧР where the model names them
 *   archive: 61 {FF FF Ch Rectype N} ARCHDATE from ARCHDATE to, on from the
 *            answer's Date(+1) until it is past `to` or missing
 *   current, totals: 72 with the model's PNUMs (≤ 32 a request), after the
 *            clock (72: Ch 0 Pn 1025 DATE, 1024 TIME)
 *   events:  the hourly archive's НС flags, consecutive hours one event
 *
 * A request whose answer does not come, or comes garbled, or from another
 * address, or with another message ID, is sent again, the same bytes, up
 * to `retries` times. An error answer (21) fails at once.
 */
#include "lers-logikam4-session-private.h"

#include <stdlib.h>
#include <string.h>

#include <glib/gi18n-lib.h>

#include "logikam4-convert.h"
#include "logikam4-frame.h"
#include "logikam4-model.h"
#include "logikam4-tlv.h"

#define M4_DEFAULT_RETRIES 3

G_DEFINE_DYNAMIC_TYPE_EXTENDED (LersLogikam4Session, lers_logikam4_session,
                                LERS_TYPE_DEVICE_SESSION, G_TYPE_FLAG_FINAL, {})

/* ---- one request ---------------------------------------------------------- */

typedef struct
{
  GBytes *request;
  guint8 id;
  guint8 fnc;
  guint attempt;
} RequestData;

static void
request_data_free (RequestData *r)
{
  g_clear_pointer (&r->request, g_bytes_unref);
  g_free (r);
}

static void request_send (GTask *task, gboolean listen_only);

static void
request_retry (GTask *task, GError *error_in)
{
  LersLogikam4Session *self = g_task_get_source_object (task);
  RequestData *r = g_task_get_task_data (task);
  g_autoptr (GError) error = error_in;

  if (r->attempt >= self->retries)
    {
      /* TRANSLATORS: the function code, the address, the number of tries */
      g_prefix_error (&error, _ ("M4 request 0x%02x to address %u, %u attempts: "), r->fnc,
                      self->nt, r->attempt + 1);
      g_task_return_error (task, g_steal_pointer (&error));
      g_object_unref (task);
      return;
    }
  r->attempt++;
  g_debug ("request 0x%02x: %s; retry %u of %u", r->fnc, error->message, r->attempt, self->retries);
  request_send (task, FALSE);
}

static void
request_answered_cb (GObject *source, GAsyncResult *result, gpointer user_data)
{
  GTask *task = user_data;
  LersLogikam4Session *self = g_task_get_source_object (task);
  RequestData *r = g_task_get_task_data (task);
  g_autoptr (GError) error = NULL;
  g_autoptr (GBytes) answer
      = lers_transport_exchange_finish (LERS_TRANSPORT (source), result, &error);
  g_autoptr (M4Frame) frame = NULL;
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
  frame = m4_frame_parse (buf, len, &error);
  if (frame == NULL)
    {
      request_retry (task, g_steal_pointer (&error));
      return;
    }
  if (!frame->full)
    {
      request_retry (task, g_error_new (LERS_ERROR, LERS_ERROR_INVALID_DATA,
                                        _ ("a short M4 frame in answer to a full one")));
      return;
    }
  if (frame->nt != self->nt && self->nt != M4_NT_BROADCAST)
    {
      request_retry (task,
                     g_error_new (LERS_ERROR, LERS_ERROR_INVALID_DATA,
                                  _ ("an answer from address %u, not %u"), frame->nt, self->nt));
      return;
    }
  if (frame->id != r->id)
    {
      /* a late answer to an earlier request */
      g_debug ("an answer with ID %u, not %u: listening again", frame->id, r->id);
      if (r->attempt >= self->retries)
        {
          request_retry (task, g_error_new (LERS_ERROR, LERS_ERROR_INVALID_DATA,
                                            _ ("an answer with message ID %u, not %u"), frame->id,
                                            r->id));
          return;
        }
      r->attempt++;
      request_send (task, TRUE);
      return;
    }
  if (!m4_frame_check_reply (frame, frame->nt, r->fnc, &error))
    {
      g_task_return_error (task, g_steal_pointer (&error));
      g_object_unref (task);
      return;
    }
  g_task_return_pointer (task, g_bytes_ref (frame->body), (GDestroyNotify) g_bytes_unref);
  g_object_unref (task);
}

static void
request_send (GTask *task, gboolean listen_only)
{
  LersLogikam4Session *self = g_task_get_source_object (task);
  RequestData *r = g_task_get_task_data (task);
  LersTransport *transport = lers_device_session_get_transport (LERS_DEVICE_SESSION (self));

  lers_transport_exchange_async (transport, listen_only ? NULL : r->request,
                                 lers_logikam4_scan_frame, NULL, NULL,
                                 g_task_get_cancellable (task), request_answered_cb, task);
}

/* @body: FNC and data; answers the answer's body (FNC and data) */
void
m4_session_request_async (LersLogikam4Session *self, GByteArray *body, GCancellable *cancellable,
                          GAsyncReadyCallback callback, gpointer user_data)
{
  GTask *task = g_task_new (self, cancellable, callback, user_data);
  RequestData *r = g_new0 (RequestData, 1);

  r->id = self->next_id++;
  r->fnc = body->data[0];
  r->request = m4_frame_build_full (self->nt, r->id, body->data, body->len);
  g_task_set_task_data (task, r, (GDestroyNotify) request_data_free);
  request_send (task, FALSE);
}

GBytes *
m4_session_request_finish (GAsyncResult *result, GError **error)
{
  return g_task_propagate_pointer (G_TASK (result), error);
}

/* the elements after FNC of a 72 answer */
GArray *
m4_session_answer_items (GBytes *body, GError **error)
{
  gsize n = 0;
  const guint8 *p = g_bytes_get_data (body, &n);

  return m4_tlv_parse_all (p + 1, n - 1, error);
}

GByteArray *
m4_session_read_request (const M4ParamRef *refs, guint n)
{
  GByteArray *body = g_byte_array_new ();
  guint8 fnc = M4_FNC_READ;

  g_byte_array_append (body, &fnc, 1);
  for (guint i = 0; i < n; i++)
    m4_tlv_append_pnum (body, refs[i].ch, refs[i].number);
  return body;
}

/* ---- open ----------------------------------------------------------------- */

static gboolean
number_of (const M4Tlv *tlv, gdouble *v)
{
  if (tlv->tag == M4_TAG_ASCII)
    {
      g_autofree gchar *text = m4_tlv_get_text (tlv);
      gchar *end = NULL;

      *v = g_ascii_strtod (text, &end);
      return end != text;
    }
  return m4_tlv_get_number (tlv, v, NULL);
}

static void
open_setup_cb (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr (GTask) task = user_data;
  LersLogikam4Session *self = LERS_LOGIKAM4_SESSION (source);
  g_autoptr (GError) error = NULL;
  g_autoptr (GBytes) body = m4_session_request_finish (result, &error);
  g_autoptr (GArray) items = NULL;
  g_autoptr (GArray) values = NULL;
  guint i = 0;
  gdouble v;

  if (body == NULL || (items = m4_session_answer_items (body, &error)) == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  values = m4_answer_values (items);
  if (self->setup_pressure && i < values->len
      && number_of (&g_array_index (values, M4Tlv, i++), &v))
    self->ctx.pressure_factor = m4_pressure_factor ((guint) v);
  if (self->setup_energy && i < values->len && number_of (&g_array_index (values, M4Tlv, i++), &v))
    self->ctx.energy_factor = m4_energy_factor ((guint) v);
  if (self->setup_hour && i < values->len && number_of (&g_array_index (values, M4Tlv, i++), &v)
      && v >= 0 && v < 24)
    self->ctx.reporting_hour = (guint) v;
  g_task_return_boolean (task, TRUE);
}

static void
open_session_cb (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr (GTask) task = user_data;
  LersLogikam4Session *self = LERS_LOGIKAM4_SESSION (source);
  LersDevice *device = lers_device_session_get_device (LERS_DEVICE_SESSION (self));
  g_autoptr (GError) error = NULL;
  g_autoptr (GBytes) body = m4_session_request_finish (result, &error);
  const M4Model *by_code, *named;
  M4ParamRef refs[3];
  guint n = 0;
  gsize len = 0;
  const guint8 *p;
  guint16 code;

  if (body == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  p = g_bytes_get_data (body, &len);
  if (len < 4)
    {
      g_task_return_new_error (task, LERS_ERROR, LERS_ERROR_INVALID_DATA,
                               _ ("session answer of %lu bytes, expected 4"), (gulong) len);
      return;
    }
  code = (guint16) (p[1] << 8 | p[2]);
  by_code = m4_model_find_by_code (code, p[3]);
  named = m4_model_find (lers_device_get_model (device));
  if (by_code == NULL && named == NULL)
    {
      g_task_return_new_error (task, LERS_ERROR, LERS_ERROR_NOT_SUPPORTED,
                               _ ("unknown M4 device code %02X %02X, version 0x%02x"), p[1], p[2],
                               p[3]);
      return;
    }
  if (by_code != NULL && named != NULL && by_code != named)
    {
      g_task_return_new_error (task, LERS_ERROR, LERS_ERROR_INVALID_DATA,
                               _ ("the device is %s, not %s"), by_code->name, named->name);
      return;
    }
  self->model = by_code != NULL ? by_code : named;
  self->ctx.model = self->model;
  g_debug ("M4 device %02X %02X version 0x%02x: %s", p[1], p[2], p[3], self->model->name);
  /* what the options give is not asked (the replay test relies on it) */
  self->setup_pressure
      = self->model->pressure_unit.present
        && lers_device_session_get_option (LERS_DEVICE_SESSION (self), "pressure-unit") == NULL;
  self->setup_energy
      = self->model->energy_unit.present
        && lers_device_session_get_option (LERS_DEVICE_SESSION (self), "energy-unit") == NULL;
  self->setup_hour
      = self->model->reporting_hour.present
        && lers_device_session_get_option (LERS_DEVICE_SESSION (self), "reporting-hour") == NULL;
  if (self->setup_pressure)
    refs[n++] = self->model->pressure_unit;
  if (self->setup_energy)
    refs[n++] = self->model->energy_unit;
  if (self->setup_hour)
    refs[n++] = self->model->reporting_hour;
  if (n == 0)
    {
      g_task_return_boolean (task, TRUE);
      return;
    }
  {
    g_autoptr (GByteArray) req = m4_session_read_request (refs, n);
    GCancellable *cancellable = g_task_get_cancellable (task);

    m4_session_request_async (self, req, cancellable, open_setup_cb, g_steal_pointer (&task));
  }
}

static void
open_send_session (GTask *task)
{
  LersLogikam4Session *self = g_task_get_source_object (task);
  g_autoptr (GByteArray) body = g_byte_array_new ();
  const guint8 req[] = { M4_FNC_SESSION, 0, 0, 0, 0 };

  g_byte_array_append (body, req, sizeof req);
  m4_session_request_async (self, body, g_task_get_cancellable (task), open_session_cb, task);
}

static gboolean
open_wake_up_done_cb (gpointer user_data)
{
  open_send_session (user_data);
  return G_SOURCE_REMOVE;
}

static void
open_wake_up_cb (GObject *source, GAsyncResult *result, gpointer user_data)
{
  GTask *task = user_data;
  LersLogikam4Session *self = g_task_get_source_object (task);
  g_autoptr (GError) error = NULL;
  g_autoptr (GSource) timeout = NULL;

  if (!lers_transport_write_finish (LERS_TRANSPORT (source), result, &error))
    {
      g_task_return_error (task, g_steal_pointer (&error));
      g_object_unref (task);
      return;
    }
  if (self->wake_up_ms == 0)
    {
      open_send_session (task);
      return;
    }
  /* Tstart: the meter's pause after the start sequence */
  timeout = g_timeout_source_new (self->wake_up_ms);
  g_source_set_callback (timeout, open_wake_up_done_cb, task, NULL);
  g_source_attach (timeout, g_task_get_context (task));
}

static gboolean
parse_unit_option (const gchar *text, const gchar *const *names, guint *index)
{
  for (guint i = 0; names[i] != NULL; i++)
    if (g_ascii_strcasecmp (text, names[i]) == 0)
      {
        *index = i;
        return TRUE;
      }
  return FALSE;
}

static void
lers_logikam4_session_open_async (LersDeviceSession *session, GCancellable *cancellable,
                                  GAsyncReadyCallback callback, gpointer user_data)
{
  static const gchar *const pressure_units[] = { "kgf/cm2", "mpa", "bar", NULL };
  static const gchar *const energy_units[] = { "gcal", "gj", "mwh", NULL };
  LersLogikam4Session *self = LERS_LOGIKAM4_SESSION (session);
  LersDevice *device = lers_device_session_get_device (session);
  LersTransport *transport = lers_device_session_get_transport (session);
  GTask *task = g_task_new (self, cancellable, callback, user_data);
  const gchar *address = lers_device_session_get_option (session, "address");
  const gchar *opt;
  g_autoptr (GError) error = NULL;
  guint timeout, unit;
  guint8 wake[16];
  gchar *end = NULL;
  guint64 nt;

  g_task_set_source_tag (task, lers_logikam4_session_open_async);
  if (address == NULL)
    address = lers_device_get_network_address (device);
  if (address == NULL || *address == '\0')
    nt = M4_NT_BROADCAST;
  else
    {
      nt = g_ascii_strtoull (address, &end, 10);
      if (*end != '\0' || nt > 255)
        {
          g_task_return_new_error (task, LERS_ERROR, LERS_ERROR_INVALID_ARGUMENT,
                                   _ ("M4 address \"%s\" is not a number from 0 to 255"), address);
          g_object_unref (task);
          return;
        }
    }
  self->nt = (guint8) nt;
  self->retries = lers_device_session_get_option_uint (session, "retries", M4_DEFAULT_RETRIES);
  self->wake_up_ms = lers_device_session_get_option_uint (session, "wake-up-ms", 100);
  self->ctx.reporting_hour
      = MIN (lers_device_session_get_option_uint (session, "reporting-hour", 0), 23);
  opt = lers_device_session_get_option (session, "set-clock");
  self->set_clock = opt != NULL && g_ascii_strcasecmp (opt, "true") == 0;
  g_clear_pointer (&self->zone, g_time_zone_unref);
  self->zone = lers_device_dup_clock_time_zone (device);
  self->ctx.zone = self->zone;
  self->ctx.pressure_factor = 1.0;
  self->ctx.energy_factor = 1.0;
  opt = lers_device_session_get_option (session, "pressure-unit");
  if (opt != NULL)
    {
      if (!parse_unit_option (opt, pressure_units, &unit))
        {
          g_task_return_new_error (task, LERS_ERROR, LERS_ERROR_INVALID_ARGUMENT,
                                   _ ("unknown pressure unit \"%s\""), opt);
          g_object_unref (task);
          return;
        }
      self->ctx.pressure_factor = m4_pressure_factor (unit);
    }
  opt = lers_device_session_get_option (session, "energy-unit");
  if (opt != NULL)
    {
      if (!parse_unit_option (opt, energy_units, &unit))
        {
          g_task_return_new_error (task, LERS_ERROR, LERS_ERROR_INVALID_ARGUMENT,
                                   _ ("unknown energy unit \"%s\""), opt);
          g_object_unref (task);
          return;
        }
      self->ctx.energy_factor = m4_energy_factor (unit);
    }
  timeout = lers_device_session_get_option_uint (session, "answer-timeout-ms", 0);
  if (timeout > 0)
    {
      self->saved_first_byte_timeout_ms = lers_transport_get_first_byte_timeout_ms (transport);
      self->restore_timeout = TRUE;
      lers_transport_set_first_byte_timeout_ms (transport, timeout);
    }
  /* РАЖГ.00293-33 §1.3 and the recorded sessions: 2400 8N1 */
  if (!lers_transport_set_line_default (transport, 2400, 8, LERS_PARITY_NONE, 1, &error))
    {
      g_task_return_error (task, g_steal_pointer (&error));
      g_object_unref (task);
      return;
    }
  /* §3.1: 16 × FF start the session */
  memset (wake, 0xFF, sizeof wake);
  {
    g_autoptr (GBytes) bytes = g_bytes_new (wake, sizeof wake);
    lers_transport_write_async (transport, bytes, cancellable, open_wake_up_cb, task);
  }
}

static gboolean
lers_logikam4_session_open_finish (LersDeviceSession *session, GAsyncResult *result, GError **error)
{
  return g_task_propagate_boolean (G_TASK (result), error);
}

/* ---- clock ---------------------------------------------------------------- */

/* DATE and TIME elements (72 answer) → the meter's time */
GDateTime *
m4_session_clock_from_items (LersLogikam4Session *self, GArray *values, guint at, GError **error)
{
  M4Date date, time;

  if (values->len < at + 2)
    {
      g_set_error_literal (error, LERS_ERROR, LERS_ERROR_INVALID_DATA,
                           _ ("the meter did not answer its date and time"));
      return NULL;
    }
  if (!m4_archdate_parse (&g_array_index (values, M4Tlv, at), &date, error)
      || !m4_archdate_parse (&g_array_index (values, M4Tlv, at + 1), &time, error))
    return NULL;
  if (g_array_index (values, M4Tlv, at).tag != M4_TAG_DATE
      || g_array_index (values, M4Tlv, at + 1).tag != M4_TAG_TIME)
    {
      g_set_error_literal (error, LERS_ERROR, LERS_ERROR_INVALID_DATA,
                           _ ("expected DATE and TIME for the meter's clock"));
      return NULL;
    }
  date.hour = time.hour;
  date.minute = time.minute;
  date.second = time.second;
  date.ms = 0;
  return m4_date_to_time (&date, self->zone);
}

GByteArray *
m4_session_clock_request (void)
{
  /* 944_d7 table 4: Ch 0, 1025 Д (DATE), 1024 T (TIME); the same on the
   * 943.3 and 941.20 */
  const M4ParamRef refs[] = { { 0, 1025, TRUE }, { 0, 1024, TRUE } };

  return m4_session_read_request (refs, G_N_ELEMENTS (refs));
}

static void
clock_read_cb (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr (GTask) task = user_data;
  LersLogikam4Session *self = LERS_LOGIKAM4_SESSION (source);
  g_autoptr (GError) error = NULL;
  g_autoptr (GBytes) body = m4_session_request_finish (result, &error);
  g_autoptr (GArray) items = NULL;
  g_autoptr (GArray) values = NULL;
  GDateTime *t;

  if (body == NULL || (items = m4_session_answer_items (body, &error)) == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  values = m4_answer_values (items);
  t = m4_session_clock_from_items (self, values, 0, &error);
  if (t == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  g_task_return_pointer (task, t, (GDestroyNotify) g_date_time_unref);
}

static void
lers_logikam4_session_read_clock_async (LersDeviceSession *session, GCancellable *cancellable,
                                        GAsyncReadyCallback callback, gpointer user_data)
{
  LersLogikam4Session *self = LERS_LOGIKAM4_SESSION (session);
  GTask *task = g_task_new (self, cancellable, callback, user_data);
  g_autoptr (GByteArray) req = m4_session_clock_request ();

  g_task_set_source_tag (task, lers_logikam4_session_read_clock_async);
  m4_session_request_async (self, req, cancellable, clock_read_cb, task);
}

static GDateTime *
lers_logikam4_session_read_clock_finish (LersDeviceSession *session, GAsyncResult *result,
                                         GError **error)
{
  return g_task_propagate_pointer (G_TASK (result), error);
}

static void
clock_set_cb (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr (GTask) task = user_data;
  g_autoptr (GError) error = NULL;
  g_autoptr (GBytes) body = m4_session_request_finish (result, &error);
  g_autoptr (GArray) items = NULL;

  if (body == NULL || (items = m4_session_answer_items (body, &error)) == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  for (guint i = 0; i < items->len; i++)
    if (g_array_index (items, M4Tlv, i).tag != M4_TAG_ACK)
      {
        g_task_return_new_error (task, LERS_ERROR, LERS_ERROR_PERMISSION_DENIED,
                                 _ ("the meter did not take the new time"));
        return;
      }
  g_task_return_boolean (task, TRUE);
}

static void
lers_logikam4_session_set_clock_async (LersDeviceSession *session, GDateTime *time,
                                       GCancellable *cancellable, GAsyncReadyCallback callback,
                                       gpointer user_data)
{
  LersLogikam4Session *self = LERS_LOGIKAM4_SESSION (session);
  GTask *task = g_task_new (self, cancellable, callback, user_data);
  g_autoptr (GByteArray) body = g_byte_array_new ();
  g_autoptr (GDateTime) local = NULL;
  guint8 fnc = M4_FNC_WRITE, date[4], tm[4];

  g_task_set_source_tag (task, lers_logikam4_session_set_clock_async);
  if (!self->set_clock)
    {
      if (self->model != NULL)
        g_task_return_new_error (task, LERS_ERROR, LERS_ERROR_NOT_SUPPORTED,
                                 _ ("setting the clock of the %s over M4 is not supported"),
                                 self->model->name);
      else
        g_task_return_new_error (task, LERS_ERROR, LERS_ERROR_NOT_SUPPORTED,
                                 _ ("setting the clock of an M4 meter is not supported"));
      g_object_unref (task);
      return;
    }
  local = g_date_time_to_timezone (time, self->zone);
  date[0] = (guint8) g_date_time_get_day_of_month (local);
  date[1] = (guint8) g_date_time_get_month (local);
  date[2] = (guint8) (g_date_time_get_year (local) - 2000);
  date[3] = (guint8) (g_date_time_get_day_of_week (local) - 1); /* 0 = Monday */
  tm[0] = 0;
  tm[1] = (guint8) g_date_time_get_second (local);
  tm[2] = (guint8) g_date_time_get_minute (local);
  tm[3] = (guint8) g_date_time_get_hour (local);
  g_byte_array_append (body, &fnc, 1);
  m4_tlv_append_pnum (body, 0, 1025);
  m4_tlv_append (body, M4_TAG_DATE, date, 4);
  m4_tlv_append_pnum (body, 0, 1024);
  m4_tlv_append (body, M4_TAG_TIME, tm, 4);
  m4_session_request_async (self, body, cancellable, clock_set_cb, task);
}

static gboolean
lers_logikam4_session_set_clock_finish (LersDeviceSession *session, GAsyncResult *result,
                                        GError **error)
{
  return g_task_propagate_boolean (G_TASK (result), error);
}

/* ---- close ---------------------------------------------------------------- */

static void
lers_logikam4_session_close_async (LersDeviceSession *session, GCancellable *cancellable,
                                   GAsyncReadyCallback callback, gpointer user_data)
{
  LersLogikam4Session *self = LERS_LOGIKAM4_SESSION (session);
  g_autoptr (GTask) task = g_task_new (self, cancellable, callback, user_data);

  g_task_set_source_tag (task, lers_logikam4_session_close_async);
  /* the meter closes the session itself after a minute without requests */
  if (self->restore_timeout)
    {
      lers_transport_set_first_byte_timeout_ms (lers_device_session_get_transport (session),
                                                self->saved_first_byte_timeout_ms);
      self->restore_timeout = FALSE;
    }
  g_task_return_boolean (task, TRUE);
}

static gboolean
lers_logikam4_session_close_finish (LersDeviceSession *session, GAsyncResult *result,
                                    GError **error)
{
  return g_task_propagate_boolean (G_TASK (result), error);
}

/* ---- GObject -------------------------------------------------------------- */

static void
lers_logikam4_session_finalize (GObject *object)
{
  LersLogikam4Session *self = LERS_LOGIKAM4_SESSION (object);

  g_clear_pointer (&self->zone, g_time_zone_unref);
  G_OBJECT_CLASS (lers_logikam4_session_parent_class)->finalize (object);
}

static void
lers_logikam4_session_class_init (LersLogikam4SessionClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  LersDeviceSessionClass *session_class = LERS_DEVICE_SESSION_CLASS (klass);

  object_class->finalize = lers_logikam4_session_finalize;
  session_class->open_async = lers_logikam4_session_open_async;
  session_class->open_finish = lers_logikam4_session_open_finish;
  session_class->read_archive_async = lers_logikam4_session_read_archive_async;
  session_class->read_archive_finish = lers_logikam4_session_read_archive_finish;
  session_class->read_events_async = lers_logikam4_session_read_events_async;
  session_class->read_events_finish = lers_logikam4_session_read_events_finish;
  session_class->read_clock_async = lers_logikam4_session_read_clock_async;
  session_class->read_clock_finish = lers_logikam4_session_read_clock_finish;
  session_class->set_clock_async = lers_logikam4_session_set_clock_async;
  session_class->set_clock_finish = lers_logikam4_session_set_clock_finish;
  session_class->close_async = lers_logikam4_session_close_async;
  session_class->close_finish = lers_logikam4_session_close_finish;
}

static void
lers_logikam4_session_class_finalize (LersLogikam4SessionClass *klass)
{
}

static void
lers_logikam4_session_init (LersLogikam4Session *self)
{
  self->retries = M4_DEFAULT_RETRIES;
  self->zone = g_time_zone_new_utc ();
  self->nt = M4_NT_BROADCAST;
}

/**
 * lers_logikam4_session_register:
 * @module: the plugin's type module
 *
 * Registers #LersLogikam4Session with @module.
 */
void
lers_logikam4_session_register (GTypeModule *module)
{
  lers_logikam4_session_register_type (module);
}

/**
 * lers_logikam4_session_new:
 * @transport: the link
 * @device: the meter
 *
 * Returns: (transfer full): a session, not yet open
 */
LersDeviceSession *
lers_logikam4_session_new (LersTransport *transport, LersDevice *device)
{
  return g_object_new (LERS_TYPE_LOGIKAM4_SESSION, "transport", transport, "device", device, NULL);
}

/**
 * lers_logikam4_session_get_model_name:
 * @self: an open session
 *
 * Returns: (nullable): the model the meter said it is
 */
const gchar *
lers_logikam4_session_get_model_name (LersLogikam4Session *self)
{
  return self->model != NULL ? self->model->name : NULL;
}
