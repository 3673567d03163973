/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * The 4L session, every operation a plan of requests (logika4l-plan.c):
 *
 *   open:     16 × FF, 10 NT 3F 00 00 00 00 → 10 NT 3F c0 c1 VX (device
 *             code and version); on the СПТ943 also FLASH page 8 (the
 *             database parameter ЕИ, units) unless the option `units` says
 *   archives: per heat input: session with f1 = 1 (ТВ1) or 2 (ТВ2), then
 *             48/59/4D yy mm dd hh per period; error 3 (no data) skips it
 *   current:  RAM 0xF3 (clock), RAM 0x204/0x234 (943) or 0x200 (941.10)
 *   totals:   RAM 0xF3, RAM increments, FLASH main parts (943 app. 4)
 *   events:   the hour archive's НС masks, runs of one bit = one event
 *   clock:    RAM 0xF3 (yy mm dd hh mm ss); set: parameters 1 (ТО) and 2
 *             (ДО) of the ОБЩ channel through 44 (943 only)
 */
#include <math.h>
#include <string.h>

#include "lers-logika4l-session.h"

#include <glib/gi18n-lib.h>

#include "logika4l-archive.h"
#include "logika4l-events.h"
#include "logika4l-frame.h"
#include "logika4l-plan.h"
#include "logika4l-read.h"

struct _LersLogika4lSession
{
  LersDeviceSession parent_instance;

  L4lDevice dev;
};

G_DEFINE_DYNAMIC_TYPE_EXTENDED (LersLogika4lSession, lers_logika4l_session,
                                LERS_TYPE_DEVICE_SESSION, G_TYPE_FLAG_FINAL, {})

static LersTransport *
session_transport (LersLogika4lSession *self)
{
  return lers_device_session_get_transport (LERS_DEVICE_SESSION (self));
}

/* ---- options ------------------------------------------------------------- */

static gboolean
parse_options (LersLogika4lSession *self, GError **error)
{
  LersDeviceSession *session = LERS_DEVICE_SESSION (self);
  LersDevice *device = lers_device_session_get_device (session);
  const gchar *address = lers_device_get_network_address (device);
  const gchar *inputs = lers_device_session_get_option (session, "heat-inputs");
  const gchar *pause = lers_device_session_get_option (session, "wake-pause-ms");
  guint64 nt = L4L_NT_ANY;

  if (address != NULL && *address != '\0')
    {
      if (!g_ascii_string_to_unsigned (address, 10, 0, 255, &nt, NULL) || (nt > 99 && nt != 255))
        {
          g_set_error (error, LERS_ERROR, LERS_ERROR_INVALID_ARGUMENT,
                       _ ("Logika network number must be 0–99 or 255, not “%s”"), address);
          return FALSE;
        }
    }
  self->dev.nt = (guint8) nt;
  self->dev.reporting_hour = lers_device_session_get_option_uint (session, "reporting-hour", 0);
  self->dev.reporting_day = lers_device_session_get_option_uint (session, "reporting-day", 1);
  if (self->dev.reporting_hour > 23 || self->dev.reporting_day < 1 || self->dev.reporting_day > 28)
    {
      g_set_error (error, LERS_ERROR, LERS_ERROR_INVALID_ARGUMENT,
                   _ ("Options reporting-hour and reporting-day must be 0–23 and 1–28"));
      return FALSE;
    }
  self->dev.n_channels = 0;
  if (inputs == NULL || g_str_equal (inputs, "1,2") || g_str_equal (inputs, "all"))
    {
      self->dev.channels[self->dev.n_channels++] = 0;
      self->dev.channels[self->dev.n_channels++] = 1;
    }
  else if (g_str_equal (inputs, "1"))
    self->dev.channels[self->dev.n_channels++] = 0;
  else if (g_str_equal (inputs, "2"))
    self->dev.channels[self->dev.n_channels++] = 1;
  else
    {
      g_set_error (error, LERS_ERROR, LERS_ERROR_INVALID_ARGUMENT,
                   _ ("Option heat-inputs must be 1, 2 or 1,2, not “%s”"), inputs);
      return FALSE;
    }
  self->dev.wake_pause_ms = 0;
  if (pause != NULL)
    {
      guint64 ms = 0;
      if (!g_ascii_string_to_unsigned (pause, 10, 0, 10000, &ms, NULL))
        {
          g_set_error (error, LERS_ERROR, LERS_ERROR_INVALID_ARGUMENT,
                       _ ("Option wake-pause-ms must be 0–10000, not “%s”"), pause);
          return FALSE;
        }
      self->dev.wake_pause_ms = (guint) ms;
    }
  return TRUE;
}

/* a plan with the session's wake-up pause */
static L4lPlan *
session_plan_new (LersLogika4lSession *self, L4lPlanReply reply, gpointer data)
{
  L4lPlan *plan = l4l_plan_new (lers_device_session_get_transport (LERS_DEVICE_SESSION (self)),
                                self->dev.nt, reply, data, NULL);

  l4l_plan_set_wake_pause (plan, self->dev.wake_pause_ms);
  return plan;
}

/* a database value "01" or "23" (ASCII, space padded) as a number; 99
 * when it is not one */
static guint
db_number (const guint8 *b)
{
  guint v = 0, n = 0;

  for (guint i = 0; i < 8 && b[i] >= '0' && b[i] <= '9'; i++, n++)
    v = v * 10 + (b[i] - '0');
  return n > 0 && n <= 2 ? v : 99;
}

/* open's steps: 0 session, 1 ЕИ (FLASH page 8), 2 the status register
 * (RAM FF), 3 ИД (FLASH page 9) */
static gboolean
open_reply (L4lPlan *plan, guint tag, const L4lFrame *f, gpointer data, GError **error)
{
  LersLogika4lSession *self = data;
  LersDeviceSession *session = LERS_DEVICE_SESSION (self);
  LersDevice *device = lers_device_session_get_device (session);

  switch (tag)
    {
    case 0:
      self->dev.model = l4l_model_from_code (f->data[0], f->data[1]);
      self->dev.version = f->data[2];
      if (self->dev.model == L4L_MODEL_UNKNOWN)
        {
          g_set_error (error, LERS_ERROR, LERS_ERROR_NOT_SUPPORTED,
                       _ ("Logika device code %02X %02X is not a known СПТ941/942/943"), f->data[0],
                       f->data[1]);
          return FALSE;
        }
      if (lers_device_get_model (device) == NULL || *lers_device_get_model (device) == '\0')
        lers_device_set_model (device, l4l_model_name (self->dev.model));
      if (self->dev.model != L4L_MODEL_943 && self->dev.model != L4L_MODEL_941_10)
        return TRUE;
      /* ЕИ is database parameter 0 at FLASH 0x200 on the 943 and the
       * 941.10/11 alike (prot943 and prot941_10-11, appendix 3); СР is 3 */
      if (lers_device_session_get_option (session, "units") == NULL
          || (self->dev.model == L4L_MODEL_943
              && lers_device_session_get_option (session, "reporting-day") == NULL))
        l4l_plan_add (plan, l4l_build_request (self->dev.nt, L4L_FNC_FLASH, 8, 0, 1, 0),
                      L4L_FNC_FLASH, L4L_PAGE, FALSE, 1);
      if (self->dev.model != L4L_MODEL_943)
        return TRUE;
      if (lers_device_session_get_option (session, "heat-inputs") == NULL)
        l4l_plan_add (plan, l4l_build_request (self->dev.nt, L4L_FNC_RAM, 0xFF, 0, 1, 0),
                      L4L_FNC_RAM, 1, FALSE, 2);
      /* ЧР (parameter 4) and ИД (7) on page 9. ИД is a free user
       * parameter, not the factory number: compare it only when asked to
       * (option check-id) */
      if (g_strcmp0 (lers_device_session_get_option (session, "check-id"), "true") == 0
          || lers_device_session_get_option (session, "reporting-hour") == NULL)
        l4l_plan_add (plan, l4l_build_request (self->dev.nt, L4L_FNC_FLASH, 9, 0, 1, 0),
                      L4L_FNC_FLASH, L4L_PAGE, FALSE, 3);
      return TRUE;
    case 1:
      /* FLASH page 8 = database parameters 0..3 of 16 bytes, the ASCII
       * value at bytes 4..11 (943 appendix 3): ЕИ is 0, СР is 3 */
      if (lers_device_session_get_option (session, "units") == NULL && f->data[4] >= '0'
          && f->data[4] <= '2')
        self->dev.units = (L4lUnits) (f->data[4] - '0');
      if (lers_device_session_get_option (session, "reporting-day") == NULL)
        {
          guint v = db_number (f->data + 0x34);
          if (v >= 1 && v <= 28)
            self->dev.reporting_day = v;
        }
      return TRUE;
    case 2:
      /* prot943 appendix 1 table 2: bits 0, 1 = ТВ1, ТВ2 counting. Read the
       * inputs that count; both when neither does (their history) */
      self->dev.n_channels = 0;
      if (f->data[0] & 0x01)
        self->dev.channels[self->dev.n_channels++] = 0;
      if (f->data[0] & 0x02)
        self->dev.channels[self->dev.n_channels++] = 1;
      if (self->dev.n_channels == 0)
        {
          self->dev.channels[self->dev.n_channels++] = 0;
          self->dev.channels[self->dev.n_channels++] = 1;
        }
      return TRUE;
    default:
      {
        /* FLASH page 9 = parameters 4..7: ЧР at 0x240, ИД at 0x270 */
        g_autofree gchar *id = g_strstrip (g_strndup ((const gchar *) f->data + 0x34, 8));
        const gchar *expected = lers_device_get_serial_number (device);

        if (lers_device_session_get_option (session, "reporting-hour") == NULL)
          {
            guint v = db_number (f->data + 0x04);
            if (v <= 23)
              self->dev.reporting_hour = v;
          }
        if (g_strcmp0 (lers_device_session_get_option (session, "check-id"), "true") != 0)
          return TRUE;

        for (gchar *c = id; *c != '\0'; c++)
          if (!g_ascii_isprint (*c))
            return TRUE; /* not set or not ASCII: nothing to say */
        if (*id == '\0')
          return TRUE;
        if (expected != NULL && *expected != '\0')
          {
            if (g_strcmp0 (expected, id) != 0)
              {
                g_set_error (error, LERS_ERROR, LERS_ERROR_INVALID_DATA,
                             _ ("The Logika device at NT %u has identifier %s, not %s: another "
                                "device answers on this address"),
                             self->dev.nt, id, expected);
                return FALSE;
              }
          }
        else
          lers_device_set_serial_number (device, id);
        return TRUE;
      }
    }
}

static void
open_done_cb (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr (GTask) task = user_data;
  GError *error = NULL;

  if (!l4l_plan_run_finish (result, NULL, &error))
    g_task_return_error (task, error);
  else
    g_task_return_boolean (task, TRUE);
}

static void
lers_logika4l_session_open_async (LersDeviceSession *session, GCancellable *cancellable,
                                  GAsyncReadyCallback callback, gpointer user_data)
{
  LersLogika4lSession *self = LERS_LOGIKA4L_SESSION (session);
  LersTransport *transport = session_transport (self);
  GTask *task = g_task_new (self, cancellable, callback, user_data);
  GError *error = NULL;
  const gchar *units = lers_device_session_get_option (session, "units");
  L4lPlan *plan;

  g_task_set_source_tag (task, lers_logika4l_session_open_async);
  g_clear_pointer (&self->dev.zone, g_time_zone_unref);
  self->dev.zone = lers_device_dup_clock_time_zone (lers_device_session_get_device (session));
  self->dev.transport = transport; /* the session holds it */
  if (!parse_options (self, &error)
      || !lers_transport_set_line_default (transport, 2400, 8, LERS_PARITY_NONE, 1, &error))
    {
      g_task_return_error (task, error);
      g_object_unref (task);
      return;
    }
  if (units != NULL)
    {
      if (g_str_equal (units, "gcal"))
        self->dev.units = L4L_UNITS_GCAL;
      else if (g_str_equal (units, "gj"))
        self->dev.units = L4L_UNITS_GJ;
      else if (g_str_equal (units, "mwh"))
        self->dev.units = L4L_UNITS_MWH;
      else
        {
          g_task_return_new_error (task, LERS_ERROR, LERS_ERROR_INVALID_ARGUMENT,
                                   _ ("Option units must be gcal, gj or mwh, not “%s”"), units);
          g_object_unref (task);
          return;
        }
    }
  plan = session_plan_new (self, open_reply, self);
  l4l_plan_add (plan, l4l_session_request (&self->dev, 0), L4L_FNC_SESSION, 3, FALSE, 0);
  l4l_plan_run_async (plan, self, cancellable, open_done_cb, task);
}

static gboolean
lers_logika4l_session_open_finish (LersDeviceSession *session, GAsyncResult *result, GError **error)
{
  return g_task_propagate_boolean (G_TASK (result), error);
}

/* ---- archives ------------------------------------------------------------- */

static void
read_done_cb (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr (GTask) task = user_data;
  ReadData *d = g_task_get_task_data (task);
  GError *error = NULL;

  if (!l4l_plan_run_finish (result, NULL, &error))
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, g_ptr_array_ref (d->records), (GDestroyNotify) g_ptr_array_unref);
}

static void
lers_logika4l_session_read_archive_async (LersDeviceSession *session, LersArchiveKind kind,
                                          GDateTime *from, GDateTime *to, LersProgress *progress,
                                          GCancellable *cancellable, GAsyncReadyCallback callback,
                                          gpointer user_data)
{
  LersLogika4lSession *self = LERS_LOGIKA4L_SESSION (session);
  GTask *task = g_task_new (self, cancellable, callback, user_data);
  ReadData *d = l4l_read_data_new (&self->dev, kind);
  GError *error = NULL;
  L4lPlan *plan;

  g_task_set_source_tag (task, lers_logika4l_session_read_archive_async);
  g_task_set_task_data (task, d, (GDestroyNotify) l4l_read_data_free);
  plan = l4l_read_plan (&self->dev, kind, from, to, d, &error);
  if (plan == NULL)
    {
      g_task_return_error (task, error);
      g_object_unref (task);
      return;
    }
  if (progress != NULL)
    {
      lers_progress_set_fraction (progress, 0.0);
      lers_progress_set_message (progress, _ ("reading Logika archive records"));
      l4l_plan_set_progress (plan, progress);
    }
  l4l_plan_run_async (plan, self, cancellable, read_done_cb, task);
}

static GPtrArray *
lers_logika4l_session_read_archive_finish (LersDeviceSession *session, GAsyncResult *result,
                                           GError **error)
{
  return g_task_propagate_pointer (G_TASK (result), error);
}

/* ---- events: НС masks of the hour archive ---------------------------------- */

static void
events_done_cb (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr (GTask) task = user_data;
  ReadData *d = g_task_get_task_data (task);
  L4lDevice *dev = d->self;
  g_autoptr (GPtrArray) events = g_ptr_array_new_with_free_func (g_object_unref);
  GError *error = NULL;

  if (!l4l_plan_run_finish (result, NULL, &error))
    {
      g_task_return_error (task, error);
      return;
    }
  /* the НС logs' events, then the masks of the hours read where a log
   * did not reach back far enough */
  for (guint i = 0; i < d->events->len; i++)
    g_ptr_array_add (events, g_object_ref (g_ptr_array_index (d->events, i)));
  l4l_events_from_masks (dev->model, d->records, d->masks, d->common_channel, events);
  g_task_return_pointer (task, g_steal_pointer (&events), (GDestroyNotify) g_ptr_array_unref);
}

static void
lers_logika4l_session_read_events_async (LersDeviceSession *session, GDateTime *from, GDateTime *to,
                                         LersProgress *progress, GCancellable *cancellable,
                                         GAsyncReadyCallback callback, gpointer user_data)
{
  LersLogika4lSession *self = LERS_LOGIKA4L_SESSION (session);
  GTask *task = g_task_new (self, cancellable, callback, user_data);
  ReadData *d = l4l_read_data_new (&self->dev, LERS_ARCHIVE_KIND_HOUR);
  GError *error = NULL;
  L4lPlan *plan;

  g_task_set_source_tag (task, lers_logika4l_session_read_events_async);
  g_task_set_task_data (task, d, (GDestroyNotify) l4l_read_data_free);
  {
    guint channels[2];
    guint n = l4l_model_channels (&self->dev, channels);
    d->common_channel = n > 0 ? channels[0] : 0;
  }
  if (self->dev.model == L4L_MODEL_943 && from != NULL && to != NULL
      && g_strcmp0 (lers_device_session_get_option (session, "ns-log"), "false") != 0)
    plan = l4l_events_log_plan (&self->dev, from, to, d, &error);
  else
    plan = l4l_read_plan (&self->dev, LERS_ARCHIVE_KIND_HOUR, from, to, d, &error);
  if (plan == NULL)
    {
      g_task_return_error (task, error);
      g_object_unref (task);
      return;
    }
  if (progress != NULL)
    l4l_plan_set_progress (plan, progress);
  l4l_plan_run_async (plan, self, cancellable, events_done_cb, task);
}

static GPtrArray *
lers_logika4l_session_read_events_finish (LersDeviceSession *session, GAsyncResult *result,
                                          GError **error)
{
  return g_task_propagate_pointer (G_TASK (result), error);
}

/* ---- clock ---------------------------------------------------------------------- */

static void
clock_done_cb (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr (GTask) task = user_data;
  ReadData *d = g_task_get_task_data (task);
  GError *error = NULL;

  if (!l4l_plan_run_finish (result, NULL, &error))
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, g_date_time_ref (d->clock), (GDestroyNotify) g_date_time_unref);
}

static void
lers_logika4l_session_read_clock_async (LersDeviceSession *session, GCancellable *cancellable,
                                        GAsyncReadyCallback callback, gpointer user_data)
{
  LersLogika4lSession *self = LERS_LOGIKA4L_SESSION (session);
  GTask *task = g_task_new (self, cancellable, callback, user_data);
  ReadData *d = l4l_read_data_new (&self->dev, LERS_ARCHIVE_KIND_CURRENT);
  L4lPlan *plan = session_plan_new (self, l4l_read_reply, d);

  g_task_set_source_tag (task, lers_logika4l_session_read_clock_async);
  g_task_set_task_data (task, d, (GDestroyNotify) l4l_read_data_free);
  if (self->dev.model == L4L_MODEL_942)
    {
      l4l_plan_free (plan);
      g_task_return_new_error (task, LERS_ERROR, LERS_ERROR_NOT_SUPPORTED,
                               _ ("Reading the clock of the %s is not supported"), "СПТ942");
      g_object_unref (task);
      return;
    }
  l4l_plan_add (plan, l4l_clock_request (&self->dev), L4L_FNC_RAM, 6, FALSE, TAG_CLOCK);
  l4l_plan_run_async (plan, self, cancellable, clock_done_cb, task);
}

static GDateTime *
lers_logika4l_session_read_clock_finish (LersDeviceSession *session, GAsyncResult *result,
                                         GError **error)
{
  return g_task_propagate_pointer (G_TASK (result), error);
}

static gboolean
set_clock_reply (L4lPlan *plan, guint tag, const L4lFrame *f, gpointer data, GError **error)
{
  return TRUE;
}

/* the 64-byte block of a database value (prot943 §2.2.5): ASCII in 0..7,
 * 0x20 to 62, byte 63 neither 0 nor '*' (the operative flag unchanged) */
static GBytes *
write_block (guint8 nt, const gchar *value)
{
  guint8 block[64];

  memset (block, 0x20, sizeof block);
  memcpy (block, value, MIN (strlen (value), 8));
  return l4l_build_frame (nt, L4L_FNC_WRITE, block, sizeof block);
}

static void
set_clock_done_cb (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr (GTask) task = user_data;
  GError *error = NULL;

  if (!l4l_plan_run_finish (result, NULL, &error))
    g_task_return_error (task, error);
  else
    g_task_return_boolean (task, TRUE);
}

static void
lers_logika4l_session_set_clock_async (LersDeviceSession *session, GDateTime *time,
                                       GCancellable *cancellable, GAsyncReadyCallback callback,
                                       gpointer user_data)
{
  LersLogika4lSession *self = LERS_LOGIKA4L_SESSION (session);
  GTask *task = g_task_new (self, cancellable, callback, user_data);
  g_autoptr (GDateTime) local = NULL;
  g_autofree gchar *to = NULL;
  g_autofree gchar *date = NULL;
  L4lPlan *plan;
  guint8 p_to;

  g_task_set_source_tag (task, lers_logika4l_session_set_clock_async);
  if (self->dev.model != L4L_MODEL_943 && self->dev.model != L4L_MODEL_941_10)
    {
      g_task_return_new_error (task, LERS_ERROR, LERS_ERROR_NOT_SUPPORTED,
                               _ ("Setting the clock of this Logika model is not supported"));
      g_object_unref (task);
      return;
    }
  local = g_date_time_to_timezone (time, self->dev.zone);
  to = g_date_time_format (local, "%H-%M-%S");
  date = g_date_time_format (local, "%d-%m-%y");
  plan = session_plan_new (self, set_clock_reply, NULL);
  l4l_plan_add (plan, l4l_session_request (&self->dev, 0), L4L_FNC_SESSION, 3, FALSE, 0);
  /* ТО, ДО: parameters 1, 2 of channel ОБЩ on the 943 (prot943
   * appendix 3); 2, 3 on the 941.10/11, whose parameter 1 is СП
   * (prot941_10-11 appendix 3 table 1) */
  p_to = self->dev.model == L4L_MODEL_941_10 ? 2 : 1;
  l4l_plan_add (plan, l4l_build_request (self->dev.nt, L4L_FNC_WRITE, p_to, 0, 0, 0), L4L_FNC_WRITE,
                0, FALSE, 1);
  l4l_plan_add (plan, write_block (self->dev.nt, to), L4L_FNC_WRITE, 0, FALSE, 2);
  l4l_plan_add (plan, l4l_build_request (self->dev.nt, L4L_FNC_WRITE, p_to + 1, 0, 0, 0),
                L4L_FNC_WRITE, 0, FALSE, 3);
  l4l_plan_add (plan, write_block (self->dev.nt, date), L4L_FNC_WRITE, 0, FALSE, 4);
  l4l_plan_run_async (plan, self, cancellable, set_clock_done_cb, task);
}

static gboolean
lers_logika4l_session_set_clock_finish (LersDeviceSession *session, GAsyncResult *result,
                                        GError **error)
{
  return g_task_propagate_boolean (G_TASK (result), error);
}

static void
lers_logika4l_session_close_async (LersDeviceSession *session, GCancellable *cancellable,
                                   GAsyncReadyCallback callback, gpointer user_data)
{
  g_autoptr (GTask) task = g_task_new (session, cancellable, callback, user_data);

  /* the device ends the session itself after its idle time */
  g_task_return_boolean (task, TRUE);
}

static gboolean
lers_logika4l_session_close_finish (LersDeviceSession *session, GAsyncResult *result,
                                    GError **error)
{
  return g_task_propagate_boolean (G_TASK (result), error);
}

/* ---- GObject -------------------------------------------------------------------- */

static void
lers_logika4l_session_finalize (GObject *object)
{
  LersLogika4lSession *self = LERS_LOGIKA4L_SESSION (object);

  g_clear_pointer (&self->dev.zone, g_time_zone_unref);
  G_OBJECT_CLASS (lers_logika4l_session_parent_class)->finalize (object);
}

static void
lers_logika4l_session_class_init (LersLogika4lSessionClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  LersDeviceSessionClass *session_class = LERS_DEVICE_SESSION_CLASS (klass);

  object_class->finalize = lers_logika4l_session_finalize;
  session_class->open_async = lers_logika4l_session_open_async;
  session_class->open_finish = lers_logika4l_session_open_finish;
  session_class->read_archive_async = lers_logika4l_session_read_archive_async;
  session_class->read_archive_finish = lers_logika4l_session_read_archive_finish;
  session_class->read_events_async = lers_logika4l_session_read_events_async;
  session_class->read_events_finish = lers_logika4l_session_read_events_finish;
  session_class->read_clock_async = lers_logika4l_session_read_clock_async;
  session_class->read_clock_finish = lers_logika4l_session_read_clock_finish;
  session_class->set_clock_async = lers_logika4l_session_set_clock_async;
  session_class->set_clock_finish = lers_logika4l_session_set_clock_finish;
  session_class->close_async = lers_logika4l_session_close_async;
  session_class->close_finish = lers_logika4l_session_close_finish;
}

static void
lers_logika4l_session_class_finalize (LersLogika4lSessionClass *klass)
{
}

static void
lers_logika4l_session_init (LersLogika4lSession *self)
{
  self->dev.nt = L4L_NT_ANY;
  self->dev.zone = g_time_zone_new_utc ();
}

void
lers_logika4l_session_register (GTypeModule *module)
{
  lers_logika4l_session_register_type (module);
}

LersDeviceSession *
lers_logika4l_session_new (LersTransport *transport, LersDevice *device)
{
  return g_object_new (LERS_TYPE_LOGIKA4L_SESSION, "transport", transport, "device", device, NULL);
}
