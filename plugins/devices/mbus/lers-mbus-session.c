/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * The M-Bus session, all async over lers_transport_exchange_async():
 *
 *   open:   primary address:   SND_NKE → E5 (unless the model's quirk
 *                              `snd-nke=false`)
 *           secondary address: SND_UD select (A=253, CI 52) → E5, then
 *                              SND_NKE to 253 → E5 (unless `snd-nke=false`)
 *   read:   REQ_UD2 (FCB=1 first, toggled per new telegram) → RSP_UD …
 *           while the telegram ends with DIF 1F and the read needs more
 *
 * Without SND_NKE the meter's FCB and telegram position are not reset, so
 * neither is ours: the FCB sequence goes on, and the read does not take
 * the first answer for telegram 1. The first answer after open is dropped
 * (with no previous telegram to compare, it may be the meter's stale
 * repeat); then telegrams are read until the cycle ends (a telegram
 * without DIF 1F: the next is telegram 1) or wraps, and on from there as
 * the read needs.
 *
 * The cycle wraps when a telegram repeats the first one of the read: the
 * same records in the same order (DIF, storage number, tariff, subunit,
 * VIF and VIFEs) with the same archive values (storage number > 0); the
 * current values may have changed. The repeat is dropped and the read
 * ends, also for a meter that sets DIF 1F on every telegram.
 *
 * In primary mode, a RSP_UD whose A field is another primary address
 * (0–250) is a late answer of another device: it is dropped and the
 * session listens again. A of 251–255 is taken (some meters answer so).
 *
 * A request that times out or whose answer is garbled is sent again, the
 * same bytes (same FCB), up to `retries` times. A RSP_UD whose access
 * number and bytes equal the previous telegram's is the late answer to a
 * resent request: it is dropped and the session listens again.
 *
 * Telegrams read in a session are kept: a read of current values followed
 * by an hour read fetches telegram 1 once. Each data record's DIFE subunit
 * is the channel of the LERS record it goes to.
 */
#include <math.h>
#include <string.h>

#include "lers-mbus-session.h"
#include "lers-mbus-driver.h"

#include <glib/gi18n-lib.h>

#include "mbus-data.h"
#include "mbus-frame.h"
#include "mbus-resources.h"

#define MBUS_DEFAULT_RETRIES 3
/* a meter that always answers DIF 1F and whose cycle is not seen to wrap
 * (values that change under us) must not keep us forever */
#define MBUS_MAX_TELEGRAMS 1024
/* subunits 0..3 become channels 0..3; others are ignored */
#define MBUS_MAX_CHANNELS 4
/* 1 Gcal = 4.1868 GJ = 1.163 MWh */
#define WH_PER_GCAL 1.163e6
#define J_PER_GCAL 4.1868e9

struct _LersMbusSession
{
  LersDeviceSession parent_instance;

  guint8 address;
  gchar *secondary; /* 8 digits or 16 hex digits, or NULL */
  guint retries;
  gboolean fcb;
  gboolean needs_restart;
  GBytes *last_telegram; /* the previous RSP_UD, to spot a late duplicate */
  GPtrArray *telegrams;  /* MbusData of this readout, in order */
  gboolean complete;     /* the last telegram had no DIF 1F */
  GTimeZone *zone;
  /* what open changed on a link other devices share, for close to undo */
  guint saved_first_byte_timeout_ms;
  gboolean restore_timeout;
  gboolean restore_line;
  /* the line's settings before open, when they could be read */
  gboolean line_saved;
  guint saved_baud, saved_data_bits, saved_stop_bits;
  LersParity saved_parity;
  /* restarted without SND_NKE: telegram 1 may not come next */
  gboolean unaligned;
  gboolean awaiting_first; /* the cycle ended: telegram 1 comes next */
  gboolean drop_next;      /* drop the next telegram: maybe a stale repeat */
};

G_DEFINE_DYNAMIC_TYPE_EXTENDED (LersMbusSession, lers_mbus_session, LERS_TYPE_DEVICE_SESSION,
                                G_TYPE_FLAG_FINAL, {})

/* ---- mapping M-Bus records to LERS parameters ----------------------------- */

/* EN 13757-3 media whose energy is heat: heat (outlet 0x04, inlet 0x0C) and
 * heat/cooling (0x0D). An electricity or cooling meter's energy is not Q_in. */
static gboolean
mbus_medium_is_heat (const MbusData *data)
{
  return data->has_id && (data->medium == 0x04 || data->medium == 0x0C || data->medium == 0x0D);
}

static gboolean
mbus_record_to_parameter (const MbusData *data, const MbusRecord *rec, LersParameter *parameter,
                          gdouble *value)
{
  gdouble v = rec->number;

  if (!rec->is_number)
    return FALSE;
  if ((rec->quantity_id == MBUS_QUANTITY_ENERGY || rec->quantity_id == MBUS_QUANTITY_POWER)
      && !mbus_medium_is_heat (data))
    return FALSE;
  switch (rec->quantity_id)
    {
    case MBUS_QUANTITY_ENERGY:
      *parameter = LERS_PARAMETER_Q_IN;
      *value = g_strcmp0 (rec->unit, "J") == 0 ? v / J_PER_GCAL : v / WH_PER_GCAL;
      return TRUE;
    case MBUS_QUANTITY_VOLUME:
      *parameter = LERS_PARAMETER_V_IN;
      *value = v;
      return TRUE;
    case MBUS_QUANTITY_MASS:
      *parameter = LERS_PARAMETER_M_IN;
      *value = v / 1000.0;
      return TRUE;
    case MBUS_QUANTITY_FLOW_TEMPERATURE:
      *parameter = LERS_PARAMETER_T_IN;
      *value = v;
      return TRUE;
    case MBUS_QUANTITY_RETURN_TEMPERATURE:
      *parameter = LERS_PARAMETER_T_OUT;
      *value = v;
      return TRUE;
    case MBUS_QUANTITY_TEMPERATURE_DIFFERENCE:
      *parameter = LERS_PARAMETER_T_DELTA;
      *value = v;
      return TRUE;
    case MBUS_QUANTITY_EXTERNAL_TEMPERATURE:
      *parameter = LERS_PARAMETER_T_OUTDOOR;
      *value = v;
      return TRUE;
    case MBUS_QUANTITY_PRESSURE:
      *parameter = LERS_PARAMETER_P_IN;
      *value = v * 0.1; /* bar → MPa */
      return TRUE;
    case MBUS_QUANTITY_POWER:
      *parameter = LERS_PARAMETER_HEAT_POWER;
      *value = g_strcmp0 (rec->unit, "J/h") == 0 ? v / J_PER_GCAL : v / WH_PER_GCAL;
      return TRUE;
    case MBUS_QUANTITY_VOLUME_FLOW:
      *parameter = LERS_PARAMETER_FLOW_V_IN;
      *value = v;
      return TRUE;
    case MBUS_QUANTITY_MASS_FLOW:
      *parameter = LERS_PARAMETER_FLOW_M_IN;
      *value = v / 1000.0;
      return TRUE;
    case MBUS_QUANTITY_OPERATING_TIME:
    case MBUS_QUANTITY_ON_TIME:
      *parameter = LERS_PARAMETER_NORMAL_OPERATION_DURATION;
      *value = v / 3600.0;
      return TRUE;
    default:
      return FALSE;
    }
}

static gboolean
parameter_is_register (LersParameter p)
{
  return p == LERS_PARAMETER_Q_IN || p == LERS_PARAMETER_V_IN || p == LERS_PARAMETER_M_IN
         || p == LERS_PARAMETER_NORMAL_OPERATION_DURATION;
}

/* an instantaneous value of the first tariff whose meaning no VIFE changes
 * ("per hour", "only if positive", a limit value…): only such records are
 * taken as the meter's registers and readings; the subunit is the channel */
static gboolean
record_is_plain (const MbusRecord *rec)
{
  guint8 vif = rec->vif & 0x7F;
  guint first = (vif == 0x7D || vif == 0x7B) ? 1 : 0; /* FD/FB: vife[0] is the code */

  return rec->function == MBUS_FUNCTION_INSTANTANEOUS && rec->tariff == 0
         && rec->subunit < MBUS_MAX_CHANNELS && rec->n_vife <= first;
}

static gboolean
record_is_time_point (const MbusRecord *rec)
{
  return record_is_plain (rec)
         && (rec->quantity_id == MBUS_QUANTITY_DATE || rec->quantity_id == MBUS_QUANTITY_DATE_TIME);
}

/* ---- the frame scanner ---------------------------------------------------- */

/**
 * lers_mbus_scan_frame:
 * @data: (array length=len): bytes received so far
 * @len: how many
 * @user_data: unused
 *
 * The M-Bus #LersFrameScanner: E5, short and long frames; a byte that
 * cannot start a frame is line noise and dropped.
 *
 * Returns: as #LersFrameScanner
 *
 * Since: 0.3
 */
gssize
lers_mbus_scan_frame (const guint8 *data, gsize len, gpointer user_data)
{
  gssize n = mbus_frame_scan (data, len, NULL);

  return n < 0 ? -1 : n;
}

/* ---- one request and its answer, resent on a timeout or a garbled frame -- */

typedef enum
{
  EXPECT_ACK,
  EXPECT_RSP_UD,
} Expect;

typedef struct
{
  GBytes *request;
  Expect expect;
  const gchar *what;
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
request_retry (GTask *task, GError *why)
{
  LersMbusSession *self = g_task_get_source_object (task);
  RequestData *r = g_task_get_task_data (task);
  g_autoptr (GError) error = why;

  if (r->attempt >= self->retries)
    {
      /* TRANSLATORS: the request (SND_NKE, REQ_UD2, …), the M-Bus address, the number of tries */
      g_prefix_error (&error, _ ("%s to address %u, %u attempts: "), r->what, self->address,
                      r->attempt + 1);
      g_task_return_error (task, g_steal_pointer (&error));
      g_object_unref (task);
      return;
    }
  r->attempt++;
  g_debug ("%s: %s; retry %u of %u", r->what, error->message, r->attempt, self->retries);
  request_send (task, FALSE);
}

static void
request_answered_cb (GObject *source, GAsyncResult *result, gpointer user_data)
{
  GTask *task = user_data;
  LersMbusSession *self = g_task_get_source_object (task);
  RequestData *r = g_task_get_task_data (task);
  g_autoptr (GError) error = NULL;
  g_autoptr (GBytes) answer
      = lers_transport_exchange_finish (LERS_TRANSPORT (source), result, &error);
  g_autoptr (MbusFrame) frame = NULL;
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
  frame = mbus_frame_parse (buf, len, &error);
  if (frame == NULL)
    {
      request_retry (task, g_steal_pointer (&error));
      return;
    }
  if (r->expect == EXPECT_ACK)
    {
      if (frame->kind != MBUS_FRAME_KIND_ACK)
        {
          request_retry (task,
                         g_error_new (LERS_ERROR, LERS_ERROR_INVALID_DATA,
                                      _ ("expected E5, got a frame with C=0x%02x"), frame->c));
          return;
        }
    }
  else
    {
      if (frame->kind != MBUS_FRAME_KIND_LONG
          || (frame->c & ~(MBUS_C_FCB | MBUS_C_FCV)) != MBUS_C_RSP_UD)
        {
          request_retry (task, g_error_new (LERS_ERROR, LERS_ERROR_INVALID_DATA,
                                            _ ("expected RSP_UD, got C=0x%02x"), frame->c));
          return;
        }
      if (self->secondary == NULL && self->address <= 250 && frame->a <= 250
          && frame->a != self->address)
        {
          g_debug ("a RSP_UD from address %u, not %u: listening again", frame->a, self->address);
          request_send (task, TRUE);
          return;
        }
      /* the access number is byte 4 of the header after CI 72 (user data
       * offset 8); equal bytes include an equal access number */
      if (self->last_telegram != NULL && g_bytes_equal (self->last_telegram, answer))
        {
          g_debug ("a late duplicate of the previous telegram: listening again");
          request_send (task, TRUE);
          return;
        }
      g_clear_pointer (&self->last_telegram, g_bytes_unref);
      self->last_telegram = g_bytes_ref (answer);
    }
  g_task_return_pointer (task, g_steal_pointer (&frame), (GDestroyNotify) mbus_frame_free);
  g_object_unref (task);
}

static void
request_send (GTask *task, gboolean listen_only)
{
  LersMbusSession *self = g_task_get_source_object (task);
  RequestData *r = g_task_get_task_data (task);
  LersTransport *transport = lers_device_session_get_transport (LERS_DEVICE_SESSION (self));

  lers_transport_exchange_async (transport, listen_only ? NULL : r->request, lers_mbus_scan_frame,
                                 NULL, NULL, g_task_get_cancellable (task), request_answered_cb,
                                 task);
}

static void
session_request_async (LersMbusSession *self, GBytes *request, Expect expect, const gchar *what,
                       GCancellable *cancellable, GAsyncReadyCallback callback, gpointer user_data)
{
  GTask *task = g_task_new (self, cancellable, callback, user_data);
  RequestData *r = g_new0 (RequestData, 1);

  r->request = g_bytes_ref (request);
  r->expect = expect;
  r->what = what;
  g_task_set_task_data (task, r, (GDestroyNotify) request_data_free);
  request_send (task, FALSE);
}

static MbusFrame *
session_request_finish (LersMbusSession *self, GAsyncResult *result, GError **error)
{
  return g_task_propagate_pointer (G_TASK (result), error);
}

/* ---- restart: SND_NKE or select, then telegram 1 comes next -------------- */

/* @reset: the meter took SND_NKE, so its FCB and telegram position are
 * back at the start; without it, both go on where they were */
static void
session_forget (LersMbusSession *self, gboolean reset)
{
  self->complete = FALSE;
  self->needs_restart = FALSE;
  g_ptr_array_set_size (self->telegrams, 0);
  self->awaiting_first = FALSE;
  if (reset)
    {
      self->fcb = TRUE; /* the first REQ_UD2 after a reset has FCB set */
      self->unaligned = FALSE;
      self->drop_next = FALSE;
      g_clear_pointer (&self->last_telegram, g_bytes_unref);
      return;
    }
  self->unaligned = TRUE;
  /* with a previous telegram kept, a stale repeat is caught as a duplicate */
  self->drop_next = self->last_telegram == NULL;
}

static gboolean quirk_is_false (LersMbusSession *self, const gchar *key);

static void
restart_cb (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr (GTask) task = user_data;
  LersMbusSession *self = LERS_MBUS_SESSION (source);
  g_autoptr (GError) error = NULL;
  g_autoptr (MbusFrame) frame = session_request_finish (self, result, &error);
  gboolean *selected = g_task_get_task_data (task);

  if (frame == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  if (self->secondary != NULL && !*selected)
    {
      /* selected: now reset the selected meter's FCB, as SND_NKE does for
       * a primary address */
      *selected = TRUE;
      if (!quirk_is_false (self, "snd-nke"))
        {
          g_autoptr (GBytes) request = mbus_frame_build_snd_nke (MBUS_ADDRESS_NETWORK_LAYER);
          GCancellable *cancellable = g_task_get_cancellable (task);

          session_request_async (self, request, EXPECT_ACK, "SND_NKE", cancellable, restart_cb,
                                 g_steal_pointer (&task));
          return;
        }
      session_forget (self, FALSE);
      g_task_return_boolean (task, TRUE);
      return;
    }
  session_forget (self, TRUE);
  g_task_return_boolean (task, TRUE);
}

static gboolean
quirk_is_false (LersMbusSession *self, const gchar *key)
{
  const gchar *v = lers_device_session_get_option (LERS_DEVICE_SESSION (self), key);
  return v != NULL && (g_ascii_strcasecmp (v, "false") == 0 || g_strcmp0 (v, "0") == 0);
}

static gboolean
quirk_is_true (LersMbusSession *self, const gchar *key)
{
  const gchar *v = lers_device_session_get_option (LERS_DEVICE_SESSION (self), key);
  return v != NULL && (g_ascii_strcasecmp (v, "true") == 0 || g_strcmp0 (v, "1") == 0);
}

static void
session_restart_async (LersMbusSession *self, GCancellable *cancellable,
                       GAsyncReadyCallback callback, gpointer user_data)
{
  GTask *task = g_task_new (self, cancellable, callback, user_data);
  g_autoptr (GBytes) request = NULL;

  g_task_set_task_data (task, g_new0 (gboolean, 1), g_free);
  if (self->secondary != NULL)
    {
      request = mbus_frame_build_select_mask (self->secondary);
      /* TRANSLATORS: an M-Bus request; SND_NKE and REQ_UD2 stay as they are */
      session_request_async (self, request, EXPECT_ACK, _ ("secondary address select"), cancellable,
                             restart_cb, task);
      return;
    }
  if (quirk_is_false (self, "snd-nke"))
    {
      session_forget (self, FALSE);
      g_task_return_boolean (task, TRUE);
      g_object_unref (task);
      return;
    }
  request = mbus_frame_build_snd_nke (self->address);
  session_request_async (self, request, EXPECT_ACK, "SND_NKE", cancellable, restart_cb, task);
}

static gboolean
session_restart_finish (LersMbusSession *self, GAsyncResult *result, GError **error)
{
  return g_task_propagate_boolean (G_TASK (result), error);
}

/* ---- open ----------------------------------------------------------------- */

static gboolean
is_digits (const gchar *text, gsize n)
{
  if (strlen (text) != n)
    return FALSE;
  for (gsize i = 0; i < n; i++)
    if (!g_ascii_isdigit (text[i]))
      return FALSE;
  return TRUE;
}

static gboolean
is_secondary_mask (const gchar *text)
{
  g_autoptr (GBytes) frame = NULL;

  if (strlen (text) != 8 && strlen (text) != 16)
    return FALSE;
  frame = mbus_frame_build_select_mask (text);
  return frame != NULL;
}

/* "0".."250": primary; 8 digits or 16 hex digits: secondary; empty: 254 */
static gboolean
parse_network_address (LersMbusSession *self, const gchar *text, GError **error)
{
  guint64 v = 0;

  g_clear_pointer (&self->secondary, g_free);
  if (text == NULL || *text == '\0')
    {
      self->address = MBUS_ADDRESS_BROADCAST_REPLY;
      return TRUE;
    }
  if ((is_digits (text, 8) || strlen (text) == 16) && is_secondary_mask (text))
    {
      /* a wildcard selects any meter: BCD identification numbers have none */
      if (memchr (text, 'F', 8) != NULL || memchr (text, 'f', 8) != NULL)
        {
          g_set_error (error, LERS_ERROR, LERS_ERROR_INVALID_ARGUMENT,
                       _ ("M-Bus secondary address “%s” has a wildcard F in its identification "
                          "number (the first 8 digits): a device's address names one meter"),
                       text);
          return FALSE;
        }
      self->address = MBUS_ADDRESS_NETWORK_LAYER;
      self->secondary = g_ascii_strup (text, -1);
      return TRUE;
    }
  if (g_ascii_string_to_unsigned (text, 10, 0, 250, &v, NULL))
    {
      self->address = (guint8) v;
      return TRUE;
    }
  g_set_error (error, LERS_ERROR, LERS_ERROR_INVALID_ARGUMENT,
               _ ("M-Bus address “%s” is neither 0–250 nor a secondary address (8 digits or 16 "
                  "hex digits)"),
               text);
  return FALSE;
}

static void
open_restarted_cb (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr (GTask) task = user_data;
  g_autoptr (GError) error = NULL;

  if (!session_restart_finish (LERS_MBUS_SESSION (source), result, &error))
    g_task_return_error (task, g_steal_pointer (&error));
  else
    g_task_return_boolean (task, TRUE);
}

static void
lers_mbus_session_open_async (LersDeviceSession *session, GCancellable *cancellable,
                              GAsyncReadyCallback callback, gpointer user_data)
{
  LersMbusSession *self = LERS_MBUS_SESSION (session);
  GTask *task = g_task_new (self, cancellable, callback, user_data);
  LersTransport *transport = lers_device_session_get_transport (session);
  LersDevice *device = lers_device_session_get_device (session);
  const gchar *address = lers_device_session_get_option (session, "address");
  g_autoptr (GError) error = NULL;
  guint baud, timeout;

  g_task_set_source_tag (task, lers_mbus_session_open_async);
  if (address == NULL)
    address = lers_device_get_network_address (device);
  if (!parse_network_address (self, address, &error))
    goto fail;
  self->retries = lers_device_session_get_option_uint (session, "retries", MBUS_DEFAULT_RETRIES);
  timeout = lers_device_session_get_option_uint (session, "answer-timeout-ms", 0);
  if (timeout > 0)
    {
      self->saved_first_byte_timeout_ms = lers_transport_get_first_byte_timeout_ms (transport);
      self->restore_timeout = TRUE;
      lers_transport_set_first_byte_timeout_ms (transport, timeout);
    }
  g_clear_pointer (&self->zone, g_time_zone_unref);
  /* type F/G dates are the meter's wall-clock time */
  self->zone = lers_device_dup_clock_time_zone (device);
  baud = lers_device_session_get_option_uint (session, "baud", 0);
  if (baud > 0)
    {
      /* a device on another speed than the line's: close gives the line
       * back its settings (a line whose settings nobody chose gets the
       * M-Bus default, 2400 8E1, which it would get for the next device) */
      gboolean was_configured = lers_transport_get_line_configured (transport);
      LersTransport *line = transport;

      if (LERS_IS_MODEM_TRANSPORT (line))
        line = lers_modem_transport_get_line (LERS_MODEM_TRANSPORT (line));
      self->line_saved = FALSE;
      if (was_configured && LERS_IS_SERIAL_TRANSPORT (line))
        {
          LersSerialTransport *serial = LERS_SERIAL_TRANSPORT (line);

          self->saved_baud = lers_serial_transport_get_baud_rate (serial);
          self->saved_data_bits = lers_serial_transport_get_data_bits (serial);
          self->saved_parity = lers_serial_transport_get_parity (serial);
          self->saved_stop_bits = lers_serial_transport_get_stop_bits (serial);
          self->line_saved = self->saved_baud != 0;
        }
      if (lers_transport_set_line (transport, baud, 8, LERS_PARITY_EVEN, 1, &error))
        self->restore_line = self->line_saved || !was_configured;
      else if (!g_error_matches (error, LERS_ERROR, LERS_ERROR_NOT_SUPPORTED))
        goto fail;
      g_clear_error (&error);
    }
  else if (!lers_transport_set_line_default (transport, 2400, 8, LERS_PARITY_EVEN, 1, &error))
    goto fail;
  session_restart_async (self, cancellable, open_restarted_cb, task);
  return;

fail:
  g_task_return_error (task, g_steal_pointer (&error));
  g_object_unref (task);
}

static gboolean
lers_mbus_session_open_finish (LersDeviceSession *session, GAsyncResult *result, GError **error)
{
  return g_task_propagate_boolean (G_TASK (result), error);
}

/* ---- fetching telegrams --------------------------------------------------- */

typedef struct
{
  LersArchiveKind kind;
  GDateTime *from;
  GDateTime *to;
  LersProgress *progress;
} ReadData;

static void
read_data_free (ReadData *d)
{
  g_clear_pointer (&d->from, g_date_time_unref);
  g_clear_pointer (&d->to, g_date_time_unref);
  g_clear_object (&d->progress);
  g_free (d);
}

static gboolean
telegram_has_current_values (const MbusData *data)
{
  for (guint i = 0; i < data->records->len; i++)
    {
      const MbusRecord *rec = g_ptr_array_index (data->records, i);
      if (rec->storage_number == 0 && rec->function != MBUS_FUNCTION_MORE_FOLLOWS
          && rec->function != MBUS_FUNCTION_MANUFACTURER)
        return TRUE;
    }
  return FALSE;
}

/* the oldest archive time point in the telegrams read so far */
static gint64
session_oldest_time (LersMbusSession *self)
{
  gint64 oldest = G_MAXINT64;

  for (guint i = 0; i < self->telegrams->len; i++)
    {
      const MbusData *data = g_ptr_array_index (self->telegrams, i);
      for (guint j = 0; j < data->records->len; j++)
        {
          const MbusRecord *rec = g_ptr_array_index (data->records, j);
          g_autoptr (GDateTime) t = NULL;

          if (rec->storage_number == 0 || !record_is_time_point (rec))
            continue;
          t = mbus_record_dup_local_time_point (rec, self->zone);
          if (t != NULL)
            oldest = MIN (oldest, g_date_time_to_unix (t));
        }
    }
  return oldest;
}

/* Whether to ask for the next telegram: only while the meter has more
 * (DIF 1F) and we still need some. At 2400 baud a telegram takes about a
 * second, so a 48-hour read must not fetch a 62-day archive. */
static gboolean
session_needs_more (LersMbusSession *self, ReadData *d)
{
  const MbusData *last;

  if (self->telegrams->len == 0)
    return TRUE;
  if (self->complete)
    return FALSE;
  if ((self->unaligned || self->awaiting_first) && self->telegrams->len < MBUS_MAX_TELEGRAMS)
    return TRUE;
  if (self->telegrams->len >= MBUS_MAX_TELEGRAMS)
    {
      g_debug ("stopping after %u telegrams", MBUS_MAX_TELEGRAMS);
      return FALSE;
    }
  last = g_ptr_array_index (self->telegrams, self->telegrams->len - 1);
  if (d->kind == LERS_ARCHIVE_KIND_CURRENT || d->kind == LERS_ARCHIVE_KIND_TOTALS)
    return telegram_has_current_values (last);
  /* the register at @from is needed for the first period's consumption */
  return session_oldest_time (self) > g_date_time_to_unix (d->from);
}

static void
session_update_progress (LersMbusSession *self, ReadData *d)
{
  gdouble fraction = 0.0;
  gint64 from = g_date_time_to_unix (d->from), to = g_date_time_to_unix (d->to);
  gint64 oldest;

  if (d->progress == NULL)
    return;
  oldest = session_oldest_time (self);
  if (d->kind == LERS_ARCHIVE_KIND_CURRENT || d->kind == LERS_ARCHIVE_KIND_TOTALS || oldest <= from
      || to <= from)
    fraction = 1.0;
  else if (oldest < to)
    fraction = (gdouble) (to - oldest) / (gdouble) (to - from);
  lers_progress_set_fraction (d->progress, CLAMP (fraction, 0.0, 1.0));
}

static void read_next (GTask *task);
static void read_finish_records (GTask *task);

static gboolean
record_same_value (const MbusRecord *a, const MbusRecord *b)
{
  if (a->is_number != b->is_number)
    return FALSE;
  if (a->is_number)
    return a->number == b->number;
  return g_strcmp0 (a->text, b->text) == 0;
}

/* whether @data is @first again: the same records in the same order, the
 * archive ones (storage number > 0) with the same values */
static gboolean
telegram_repeats (const MbusData *first, const MbusData *data)
{
  if (first->records->len != data->records->len || first->records->len == 0)
    return FALSE;
  for (guint i = 0; i < first->records->len; i++)
    {
      const MbusRecord *a = g_ptr_array_index (first->records, i);
      const MbusRecord *b = g_ptr_array_index (data->records, i);

      if (a->dif != b->dif || a->n_dife != b->n_dife || a->storage_number != b->storage_number
          || a->tariff != b->tariff || a->subunit != b->subunit || a->vif != b->vif
          || a->n_vife != b->n_vife
          || memcmp (a->vife, b->vife, MIN (a->n_vife, MBUS_RECORD_MAX_VIFE)) != 0)
        return FALSE;
      if (a->storage_number > 0 && !record_same_value (a, b))
        return FALSE;
    }
  return TRUE;
}

/* Who answered: a device that knows no serial number or model learns them
 * from the first telegram (as the scan names a meter); one whose serial
 * number differs is another meter on the address, whose values must never
 * go into this device's points. */
static gboolean
session_check_identity (LersMbusSession *self, const MbusData *data, GError **error)
{
  LersDevice *device = lers_device_session_get_device (LERS_DEVICE_SESSION (self));
  const gchar *expected = lers_device_get_serial_number (device);
  g_autofree gchar *serial = NULL;

  if (!data->has_id)
    return TRUE;
  serial = g_strdup_printf ("%08u", data->id);
  if (expected != NULL && *expected != '\0')
    {
      /* "1234" and "00001234" are the same identification number */
      guint64 number = 0;
      gboolean same = g_strcmp0 (expected, serial) == 0
                      || (g_ascii_string_to_unsigned (expected, 10, 0, G_MAXUINT32, &number, NULL)
                          && number == data->id);
      if (!same)
        {
          g_autofree gchar *address = self->secondary != NULL
                                          ? g_strdup (self->secondary)
                                          : g_strdup_printf ("%u", self->address);
          g_set_error (error, LERS_ERROR, LERS_ERROR_INVALID_DATA,
                       _ ("The meter at M-Bus address %s has serial number %s, not %s: another "
                          "meter answers on this address"),
                       address, serial, expected);
          return FALSE;
        }
    }
  else
    lers_device_set_serial_number (device, serial);
  if (lers_device_get_model (device) == NULL || *lers_device_get_model (device) == '\0')
    {
      g_autofree gchar *model = mbus_model_name (data);
      lers_device_set_model (device, model);
    }
  return TRUE;
}

static void
read_telegram_cb (GObject *source, GAsyncResult *result, gpointer user_data)
{
  GTask *task = user_data;
  LersMbusSession *self = LERS_MBUS_SESSION (source);
  ReadData *d = g_task_get_task_data (task);
  g_autoptr (GError) error = NULL;
  g_autoptr (MbusFrame) frame = session_request_finish (self, result, &error);
  g_autoptr (MbusData) data = NULL;

  if (frame == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      g_object_unref (task);
      return;
    }
  /* a new telegram came: the next one is asked for with the FCB toggled */
  self->fcb = !self->fcb;
  data = mbus_data_decode_frame (frame, &error);
  if (data == NULL)
    {
      g_prefix_error (&error, _ ("telegram %u: "), self->telegrams->len + 1);
      self->needs_restart = TRUE;
      g_task_return_error (task, g_steal_pointer (&error));
      g_object_unref (task);
      return;
    }
  if (!session_check_identity (self, data, &error))
    {
      self->needs_restart = TRUE;
      g_task_return_error (task, g_steal_pointer (&error));
      g_object_unref (task);
      return;
    }
  if (self->drop_next)
    {
      g_debug ("dropping the first answer after a restart without SND_NKE");
      self->drop_next = FALSE;
      read_next (task);
      return;
    }
  if (self->telegrams->len > 0 && telegram_repeats (g_ptr_array_index (self->telegrams, 0), data))
    {
      g_debug ("telegram %u repeats the first one: the cycle wrapped", self->telegrams->len + 1);
      self->complete = TRUE;
      self->unaligned = FALSE;
      read_finish_records (task);
      return;
    }
  self->awaiting_first = FALSE;
  if (self->unaligned)
    {
      /* the end of the meter's cycle: telegram 1 comes next, and is read */
      if (!data->more_follows)
        {
          self->unaligned = FALSE;
          self->awaiting_first = TRUE;
        }
      self->complete = FALSE;
    }
  else
    self->complete = !data->more_follows;
  g_ptr_array_add (self->telegrams, g_steal_pointer (&data));
  session_update_progress (self, d);
  read_next (task);
}

static void
read_next (GTask *task)
{
  LersMbusSession *self = g_task_get_source_object (task);
  ReadData *d = g_task_get_task_data (task);
  g_autoptr (GBytes) request = NULL;

  if (!session_needs_more (self, d))
    {
      read_finish_records (task);
      return;
    }
  request = mbus_frame_build_req_ud2 (self->address, self->fcb);
  session_request_async (self, request, EXPECT_RSP_UD, "REQ_UD2", g_task_get_cancellable (task),
                         read_telegram_cb, task);
}

static void
read_restarted_cb (GObject *source, GAsyncResult *result, gpointer user_data)
{
  GTask *task = user_data;
  g_autoptr (GError) error = NULL;

  if (!session_restart_finish (LERS_MBUS_SESSION (source), result, &error))
    {
      g_task_return_error (task, g_steal_pointer (&error));
      g_object_unref (task);
      return;
    }
  read_next (task);
}

/* ---- building LERS records ------------------------------------------------ */

typedef struct
{
  gboolean has[LERS_PARAMETER_LAST + 1];
  gdouble value[LERS_PARAMETER_LAST + 1];
} ParamSet;

static void
param_set_add (ParamSet *set, const MbusData *data, const MbusRecord *rec)
{
  LersParameter p;
  gdouble v;

  if (!mbus_record_to_parameter (data, rec, &p, &v) || set->has[p])
    return;
  set->has[p] = TRUE;
  set->value[p] = v;
}

static GDateTime *
telegram_time (LersMbusSession *self)
{
  for (guint i = 0; i < self->telegrams->len; i++)
    {
      const MbusData *data = g_ptr_array_index (self->telegrams, i);
      for (guint j = 0; j < data->records->len; j++)
        {
          const MbusRecord *rec = g_ptr_array_index (data->records, j);
          if (rec->storage_number == 0 && rec->quantity_id == MBUS_QUANTITY_DATE_TIME
              && record_is_plain (rec))
            {
              GDateTime *t = mbus_record_dup_local_time_point (rec, self->zone);
              if (t != NULL)
                return t;
            }
        }
    }
  return NULL;
}

static GPtrArray *
build_current (LersMbusSession *self, LersArchiveKind kind)
{
  GPtrArray *out = g_ptr_array_new_with_free_func (g_object_unref);
  g_autofree ParamSet *set = g_new0 (ParamSet, MBUS_MAX_CHANNELS);
  g_autoptr (GDateTime) t = telegram_time (self);

  if (t == NULL)
    {
      g_autoptr (GDateTime) now = g_date_time_new_now_utc ();
      t = g_date_time_new_from_unix_utc (g_date_time_to_unix (now));
    }
  for (guint i = 0; i < self->telegrams->len; i++)
    {
      const MbusData *data = g_ptr_array_index (self->telegrams, i);
      for (guint j = 0; j < data->records->len; j++)
        {
          const MbusRecord *rec = g_ptr_array_index (data->records, j);
          if (rec->storage_number == 0 && record_is_plain (rec))
            param_set_add (&set[rec->subunit], data, rec);
        }
    }
  for (guint ch = 0; ch < MBUS_MAX_CHANNELS; ch++)
    {
      g_autoptr (LersRecord) record = lers_record_new (t, kind);

      lers_record_set_channel (record, ch);
      for (guint p = 1; p <= LERS_PARAMETER_LAST; p++)
        {
          if (!set[ch].has[p])
            continue;
          if (kind == LERS_ARCHIVE_KIND_TOTALS && !parameter_is_register ((LersParameter) p))
            continue;
          lers_record_set_value (record, (LersParameter) p, set[ch].value[p], LERS_VALUE_FLAG_NONE);
        }
      if (lers_record_get_n_values (record) > 0)
        g_ptr_array_add (out, g_steal_pointer (&record));
    }
  return out;
}

typedef struct
{
  gint64 time;
  gboolean is_date; /* a type G date: a day or month storage */
  ParamSet values[MBUS_MAX_CHANNELS];
} ArchiveEntry;

/* The start of the first period of @kind in the meter's zone at or after @from */
static gint64
first_period (LersMbusSession *self, LersArchiveKind kind, gint64 from)
{
  g_autoptr (GDateTime) t = g_date_time_new_from_unix_utc (from);
  g_autoptr (GDateTime) start = NULL;
  g_autoptr (GDateTime) end = NULL;
  gint64 s;

  if (t == NULL)
    return from;
  start = lers_time_get_period_start (kind, t, self->zone, 0, 1);
  if (start == NULL)
    return from;
  s = g_date_time_to_unix (start);
  if (s >= from)
    return s;
  end = lers_time_get_period_end (kind, t, self->zone, 0, 1);
  return end != NULL ? g_date_time_to_unix (end) : from;
}

static gint64
next_period (LersMbusSession *self, LersArchiveKind kind, gint64 s)
{
  g_autoptr (GDateTime) t = g_date_time_new_from_unix_utc (s);
  g_autoptr (GDateTime) end = NULL;

  if (kind == LERS_ARCHIVE_KIND_HOUR)
    return s + 3600;
  end = lers_time_get_period_end (kind, t, self->zone, 0, 1);
  return end != NULL && g_date_time_to_unix (end) > s ? g_date_time_to_unix (end) : G_MAXINT64;
}

/* HOUR from type F time points; DAY and MONTH from every time point (the
 * registers at midnight or at the first of the month), their averages only
 * from type G date storages, which hold a day's or a month's values */
static GPtrArray *
build_periods (LersMbusSession *self, ReadData *d)
{
  GPtrArray *out = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr (GPtrArray) entries = g_ptr_array_new_with_free_func (g_free);
  g_autoptr (GHashTable) by_storage = g_hash_table_new (g_direct_hash, g_direct_equal);
  g_autoptr (GHashTable) by_time = g_hash_table_new (g_int64_hash, g_int64_equal);
  gint64 from = g_date_time_to_unix (d->from);
  gint64 to = g_date_time_to_unix (d->to);
  static const LersParameter registers[]
      = { LERS_PARAMETER_Q_IN, LERS_PARAMETER_V_IN, LERS_PARAMETER_M_IN };
  static const LersParameter averages[]
      = { LERS_PARAMETER_T_IN, LERS_PARAMETER_T_OUT, LERS_PARAMETER_T_DELTA,
          LERS_PARAMETER_T_OUTDOOR, LERS_PARAMETER_P_IN };

  /* pass 1: each storage number's time point (the end of its interval) */
  for (guint i = 0; i < self->telegrams->len; i++)
    {
      const MbusData *data = g_ptr_array_index (self->telegrams, i);
      for (guint j = 0; j < data->records->len; j++)
        {
          const MbusRecord *rec = g_ptr_array_index (data->records, j);
          g_autoptr (GDateTime) t = NULL;
          gboolean is_date = rec->quantity_id == MBUS_QUANTITY_DATE;
          ArchiveEntry *entry;
          gint64 unix_time;

          if (rec->storage_number == 0 || rec->storage_number > G_MAXUINT
              || !record_is_time_point (rec))
            continue;
          if (d->kind == LERS_ARCHIVE_KIND_HOUR && is_date)
            continue;
          if (g_hash_table_contains (by_storage, GUINT_TO_POINTER ((guint) rec->storage_number)))
            continue;
          t = mbus_record_dup_local_time_point (rec, self->zone);
          if (t == NULL)
            continue;
          unix_time = g_date_time_to_unix (t);
          entry = g_hash_table_lookup (by_time, &unix_time);
          if (entry == NULL)
            {
              entry = g_new0 (ArchiveEntry, 1);
              entry->time = unix_time;
              g_ptr_array_add (entries, entry);
              g_hash_table_insert (by_time, &entry->time, entry);
            }
          entry->is_date |= is_date;
          g_hash_table_insert (by_storage, GUINT_TO_POINTER ((guint) rec->storage_number), entry);
        }
    }
  /* pass 2: the values stored with it, per subunit */
  for (guint i = 0; i < self->telegrams->len; i++)
    {
      const MbusData *data = g_ptr_array_index (self->telegrams, i);
      for (guint j = 0; j < data->records->len; j++)
        {
          const MbusRecord *rec = g_ptr_array_index (data->records, j);
          ArchiveEntry *entry;

          if (rec->storage_number == 0 || rec->storage_number > G_MAXUINT || !record_is_plain (rec))
            continue;
          entry = g_hash_table_lookup (by_storage, GUINT_TO_POINTER ((guint) rec->storage_number));
          if (entry != NULL)
            param_set_add (&entry->values[rec->subunit], data, rec);
        }
    }

  /* period [s, e): consumption = register(e) - register(s); averages are
   * those stored at e */
  for (gint64 s = first_period (self, d->kind, from), e; s < to; s = e)
    {
      const ArchiveEntry *end, *start;

      e = next_period (self, d->kind, s);
      if (e == G_MAXINT64)
        break;
      end = g_hash_table_lookup (by_time, &e);
      start = g_hash_table_lookup (by_time, &s);
      if (end == NULL)
        continue;
      for (guint ch = 0; ch < MBUS_MAX_CHANNELS; ch++)
        {
          g_autoptr (GDateTime) ts = g_date_time_new_from_unix_utc (s);
          g_autoptr (LersRecord) record = lers_record_new (ts, d->kind);

          lers_record_set_channel (record, ch);
          for (guint i = 0; i < G_N_ELEMENTS (registers); i++)
            {
              LersParameter p = registers[i];
              gdouble diff;
              LersValueFlags flags = LERS_VALUE_FLAG_CALCULATED;

              if (start == NULL || !start->values[ch].has[p] || !end->values[ch].has[p])
                continue;
              /* the difference of two large registers carries their rounding
               * error (2.4910000000018); no meter resolves below 1e-9 */
              diff = round ((end->values[ch].value[p] - start->values[ch].value[p]) * 1e9) / 1e9;
              if (diff < 0)
                flags |= LERS_VALUE_FLAG_RESET;
              lers_record_set_value (record, p, diff, flags);
            }
          if (d->kind == LERS_ARCHIVE_KIND_HOUR || end->is_date)
            for (guint i = 0; i < G_N_ELEMENTS (averages); i++)
              {
                LersParameter p = averages[i];
                if (end->values[ch].has[p])
                  lers_record_set_value (record, p, end->values[ch].value[p], LERS_VALUE_FLAG_NONE);
              }
          if (lers_record_get_n_values (record) > 0)
            g_ptr_array_add (out, g_steal_pointer (&record));
        }
    }
  return out;
}

static void
read_finish_records (GTask *task)
{
  LersMbusSession *self = g_task_get_source_object (task);
  ReadData *d = g_task_get_task_data (task);
  GPtrArray *records;

  if (d->kind == LERS_ARCHIVE_KIND_CURRENT || d->kind == LERS_ARCHIVE_KIND_TOTALS)
    records = build_current (self, d->kind);
  else
    records = build_periods (self, d);
  if (d->progress != NULL)
    lers_progress_set_fraction (d->progress, 1.0);
  g_task_return_pointer (task, records, (GDestroyNotify) g_ptr_array_unref);
  g_object_unref (task);
}

static void
lers_mbus_session_read_archive_async (LersDeviceSession *session, LersArchiveKind kind,
                                      GDateTime *from, GDateTime *to, LersProgress *progress,
                                      GCancellable *cancellable, GAsyncReadyCallback callback,
                                      gpointer user_data)
{
  LersMbusSession *self = LERS_MBUS_SESSION (session);
  GTask *task = g_task_new (self, cancellable, callback, user_data);
  ReadData *d;

  g_task_set_source_tag (task, lers_mbus_session_read_archive_async);
  if (kind != LERS_ARCHIVE_KIND_HOUR && kind != LERS_ARCHIVE_KIND_DAY
      && kind != LERS_ARCHIVE_KIND_MONTH && kind != LERS_ARCHIVE_KIND_CURRENT
      && kind != LERS_ARCHIVE_KIND_TOTALS)
    {
      g_task_return_new_error (
          task, LERS_ERROR, LERS_ERROR_NOT_SUPPORTED,
          _ ("the M-Bus driver reads hour, day, month, current and totals archives, not %s"),
          lers_archive_kind_to_string (kind));
      g_object_unref (task);
      return;
    }
  d = g_new0 (ReadData, 1);
  d->kind = kind;
  d->from = from != NULL ? g_date_time_ref (from) : g_date_time_new_from_unix_utc (0);
  d->to = to != NULL ? g_date_time_ref (to) : g_date_time_new_from_unix_utc (0);
  d->progress = progress != NULL ? g_object_ref (progress) : NULL;
  g_task_set_task_data (task, d, (GDestroyNotify) read_data_free);
  if (d->progress != NULL)
    {
      lers_progress_set_fraction (d->progress, 0.0);
      lers_progress_set_message (d->progress, _ ("reading M-Bus telegrams"));
    }
  if (self->needs_restart)
    {
      session_restart_async (self, cancellable, read_restarted_cb, task);
      return;
    }
  read_next (task);
}

static GPtrArray *
lers_mbus_session_read_archive_finish (LersDeviceSession *session, GAsyncResult *result,
                                       GError **error)
{
  return g_task_propagate_pointer (G_TASK (result), error);
}

/* ---- clock ---------------------------------------------------------------- */

static void
clock_read_cb (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr (GTask) task = user_data;
  LersMbusSession *self = LERS_MBUS_SESSION (source);
  g_autoptr (GError) error = NULL;
  g_autoptr (GPtrArray) records = g_task_propagate_pointer (G_TASK (result), &error);
  g_autoptr (GDateTime) t = NULL;

  if (records == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  t = telegram_time (self);
  if (t == NULL)
    {
      g_task_return_new_error (task, LERS_ERROR, LERS_ERROR_NOT_SUPPORTED,
                               _ ("The meter's telegram holds no date and time (VIF 6D)"));
      return;
    }
  g_task_return_pointer (task, g_date_time_to_timezone (t, self->zone),
                         (GDestroyNotify) g_date_time_unref);
}

static void
lers_mbus_session_read_clock_async (LersDeviceSession *session, GCancellable *cancellable,
                                    GAsyncReadyCallback callback, gpointer user_data)
{
  LersMbusSession *self = LERS_MBUS_SESSION (session);
  GTask *task = g_task_new (self, cancellable, callback, user_data);

  /* the clock as it is now: telegram 1 again, read afresh (a session
   * that has read nothing yet reads it fresh anyway, and its reads then
   * go on from it: the poller's clock check costs no second SND_NKE) */
  if (self->telegrams->len > 0 || self->awaiting_first)
    self->needs_restart = TRUE;
  lers_mbus_session_read_archive_async (session, LERS_ARCHIVE_KIND_CURRENT, NULL, NULL, NULL,
                                        cancellable, clock_read_cb, task);
}

static GDateTime *
lers_mbus_session_read_clock_finish (LersDeviceSession *session, GAsyncResult *result,
                                     GError **error)
{
  return g_task_propagate_pointer (G_TASK (result), error);
}

static void
clock_set_cb (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr (GTask) task = user_data;
  LersMbusSession *self = LERS_MBUS_SESSION (source);
  g_autoptr (GError) error = NULL;
  g_autoptr (MbusFrame) frame = session_request_finish (self, result, &error);

  if (frame == NULL)
    g_task_return_error (task, g_steal_pointer (&error));
  else
    g_task_return_boolean (task, TRUE);
}

static void
lers_mbus_session_set_clock_async (LersDeviceSession *session, GDateTime *time,
                                   GCancellable *cancellable, GAsyncReadyCallback callback,
                                   gpointer user_data)
{
  LersMbusSession *self = LERS_MBUS_SESSION (session);
  GTask *task = g_task_new (self, cancellable, callback, user_data);
  g_autoptr (GDateTime) t = NULL;
  g_autoptr (GBytes) request = NULL;
  guint8 f[4];
  guint year;

  if (!quirk_is_true (self, "set-clock"))
    {
      g_task_return_new_error (task, LERS_ERROR, LERS_ERROR_NOT_SUPPORTED,
                               _ ("This M-Bus meter model does not take time sync (CI 6C); set "
                                  "the model's quirk set-clock=true if it does"));
      g_object_unref (task);
      return;
    }
  /* type F: the wall-clock time in the meter's zone, SU while it keeps
   * summer time */
  t = g_date_time_to_timezone (time, self->zone);
  year = (guint) g_date_time_get_year (t);
  f[0] = (guint8) g_date_time_get_minute (t);
  f[1] = (guint8) (g_date_time_get_hour (t) | ((((year - 1900) / 100) & 0x03) << 5)
                   | (g_date_time_is_daylight_savings (t) ? 0x80 : 0));
  f[2] = (guint8) (g_date_time_get_day_of_month (t) | (((year % 100) & 0x07) << 5));
  f[3] = (guint8) (g_date_time_get_month (t) | (((year % 100) & 0x78) << 1));
  /* SND_UD shares the link's FCB sequence with REQ_UD2 */
  request = mbus_frame_build_long ((guint8) (MBUS_C_SND_UD | (self->fcb ? MBUS_C_FCB : 0)),
                                   self->address, MBUS_CI_TIME_SYNC, f, sizeof f);
  /* the meter's telegrams change with its clock */
  self->needs_restart = TRUE;
  session_request_async (self, request, EXPECT_ACK, "SND_UD", cancellable, clock_set_cb, task);
}

static gboolean
lers_mbus_session_set_clock_finish (LersDeviceSession *session, GAsyncResult *result,
                                    GError **error)
{
  return g_task_propagate_boolean (G_TASK (result), error);
}

/* ---- close ---------------------------------------------------------------- */

/* The link stays open for the next device on it: only what open changed
 * for this device is undone */
static void
lers_mbus_session_close_async (LersDeviceSession *session, GCancellable *cancellable,
                               GAsyncReadyCallback callback, gpointer user_data)
{
  LersMbusSession *self = LERS_MBUS_SESSION (session);
  LersTransport *transport = lers_device_session_get_transport (session);
  g_autoptr (GTask) task = g_task_new (self, cancellable, callback, user_data);

  if (self->restore_timeout)
    lers_transport_set_first_byte_timeout_ms (transport, self->saved_first_byte_timeout_ms);
  if (self->restore_line && self->line_saved)
    lers_transport_set_line (transport, self->saved_baud, self->saved_data_bits, self->saved_parity,
                             self->saved_stop_bits, NULL);
  else if (self->restore_line)
    lers_transport_set_line (transport, 2400, 8, LERS_PARITY_EVEN, 1, NULL);
  self->restore_timeout = FALSE;
  self->restore_line = FALSE;
  g_task_return_boolean (task, TRUE);
}

static gboolean
lers_mbus_session_close_finish (LersDeviceSession *session, GAsyncResult *result, GError **error)
{
  return g_task_propagate_boolean (G_TASK (result), error);
}

/* ---- GObject -------------------------------------------------------------- */

static void
lers_mbus_session_finalize (GObject *object)
{
  LersMbusSession *self = LERS_MBUS_SESSION (object);

  g_free (self->secondary);
  g_clear_pointer (&self->last_telegram, g_bytes_unref);
  g_clear_pointer (&self->telegrams, g_ptr_array_unref);
  g_clear_pointer (&self->zone, g_time_zone_unref);
  G_OBJECT_CLASS (lers_mbus_session_parent_class)->finalize (object);
}

static void
lers_mbus_session_class_init (LersMbusSessionClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  LersDeviceSessionClass *session_class = LERS_DEVICE_SESSION_CLASS (klass);

  object_class->finalize = lers_mbus_session_finalize;
  session_class->open_async = lers_mbus_session_open_async;
  session_class->open_finish = lers_mbus_session_open_finish;
  session_class->read_archive_async = lers_mbus_session_read_archive_async;
  session_class->read_archive_finish = lers_mbus_session_read_archive_finish;
  session_class->read_clock_async = lers_mbus_session_read_clock_async;
  session_class->read_clock_finish = lers_mbus_session_read_clock_finish;
  session_class->set_clock_async = lers_mbus_session_set_clock_async;
  session_class->set_clock_finish = lers_mbus_session_set_clock_finish;
  session_class->close_async = lers_mbus_session_close_async;
  session_class->close_finish = lers_mbus_session_close_finish;
}

static void
lers_mbus_session_class_finalize (LersMbusSessionClass *klass)
{
}

static void
lers_mbus_session_init (LersMbusSession *self)
{
  self->telegrams = g_ptr_array_new_with_free_func ((GDestroyNotify) mbus_data_free);
  self->retries = MBUS_DEFAULT_RETRIES;
  self->fcb = TRUE;
  self->zone = g_time_zone_new_utc ();
}

/**
 * lers_mbus_session_register:
 * @module: the plugin's type module
 *
 * Registers #LersMbusSession with @module.
 *
 * Since: 0.3
 */
void
lers_mbus_session_register (GTypeModule *module)
{
  lers_mbus_session_register_type (module);
}

/**
 * lers_mbus_session_load_quirks:
 *
 * Returns: (transfer full): the model quirks the plugin ships
 *   (`models.ini`), one group per model name
 *
 * Since: 0.3
 */
GKeyFile *
lers_mbus_session_load_quirks (void)
{
  static GKeyFile *quirks;

  /* parsed once: sessions only read it (a third of a session's opening
   * went into parsing it again, bench/session) */
  if (g_once_init_enter (&quirks))
    {
      GKeyFile *loaded = g_key_file_new ();
      g_autoptr (GBytes) bytes = NULL;
      g_autoptr (GError) error = NULL;

      bytes
          = g_resource_lookup_data (lers_mbus_get_resource (), "/org/lers/plugins/mbus/models.ini",
                                    G_RESOURCE_LOOKUP_FLAGS_NONE, &error);
      if (bytes == NULL || !g_key_file_load_from_bytes (loaded, bytes, G_KEY_FILE_NONE, &error))
        g_critical ("models.ini: %s", error->message);
      g_once_init_leave (&quirks, loaded);
    }
  return g_key_file_ref (quirks);
}

/**
 * lers_mbus_session_new:
 * @transport: the link
 * @device: the meter
 *
 * Returns: (transfer full): a session, not yet open, with the plugin's
 *   model quirks
 *
 * Since: 0.3
 */
LersDeviceSession *
lers_mbus_session_new (LersTransport *transport, LersDevice *device)
{
  LersDeviceSession *session
      = g_object_new (LERS_TYPE_MBUS_SESSION, "transport", transport, "device", device, NULL);
  g_autoptr (GKeyFile) quirks = lers_mbus_session_load_quirks ();

  lers_device_session_set_quirks (session, quirks);
  return session;
}
