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

#define L4L_MAX_PERIODS (24 * 400)

struct _LersLogika4lSession
{
  LersDeviceSession parent_instance;

  guint8 nt;
  L4lModel model;
  guint8 version;
  L4lUnits units;
  GTimeZone *zone;
  guint channels[2];
  guint n_channels;
  guint reporting_hour; /* ЧР, 0..23 */
  guint reporting_day;  /* СР, 1..28 */
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
  self->nt = (guint8) nt;
  self->reporting_hour = lers_device_session_get_option_uint (session, "reporting-hour", 0);
  self->reporting_day = lers_device_session_get_option_uint (session, "reporting-day", 1);
  if (self->reporting_hour > 23 || self->reporting_day < 1 || self->reporting_day > 28)
    {
      g_set_error (error, LERS_ERROR, LERS_ERROR_INVALID_ARGUMENT,
                   _ ("Options reporting-hour and reporting-day must be 0–23 and 1–28"));
      return FALSE;
    }
  self->n_channels = 0;
  if (inputs == NULL || g_str_equal (inputs, "1,2") || g_str_equal (inputs, "all"))
    {
      self->channels[self->n_channels++] = 0;
      self->channels[self->n_channels++] = 1;
    }
  else if (g_str_equal (inputs, "1"))
    self->channels[self->n_channels++] = 0;
  else if (g_str_equal (inputs, "2"))
    self->channels[self->n_channels++] = 1;
  else
    {
      g_set_error (error, LERS_ERROR, LERS_ERROR_INVALID_ARGUMENT,
                   _ ("Option heat-inputs must be 1, 2 or 1,2, not “%s”"), inputs);
      return FALSE;
    }
  return TRUE;
}

static GBytes *
session_request (LersLogika4lSession *self, guint8 channel)
{
  return l4l_build_session (self->nt, channel, TRUE);
}

/* the heat inputs this model has, as channels */
static guint
model_channels (LersLogika4lSession *self, guint *out)
{
  if (self->model == L4L_MODEL_943)
    {
      memcpy (out, self->channels, sizeof self->channels);
      return self->n_channels;
    }
  out[0] = 0;
  return 1;
}

/* the clock: RAM F3 (943, 941.10), RAM 64 (old СПТ941, prot941 table 3.6) */
static GBytes *
clock_request (LersLogika4lSession *self)
{
  return l4l_build_request (self->nt, L4L_FNC_RAM, self->model == L4L_MODEL_941 ? 0x64 : 0xF3, 0, 6,
                            0);
}

/* ---- open ------------------------------------------------------------------ */

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
      self->model = l4l_model_from_code (f->data[0], f->data[1]);
      self->version = f->data[2];
      if (self->model == L4L_MODEL_UNKNOWN)
        {
          g_set_error (error, LERS_ERROR, LERS_ERROR_NOT_SUPPORTED,
                       _ ("Logika device code %02X %02X is not a known СПТ941/942/943"), f->data[0],
                       f->data[1]);
          return FALSE;
        }
      if (lers_device_get_model (device) == NULL || *lers_device_get_model (device) == '\0')
        lers_device_set_model (device, l4l_model_name (self->model));
      if (self->model != L4L_MODEL_943)
        return TRUE;
      if (lers_device_session_get_option (session, "units") == NULL
          || lers_device_session_get_option (session, "reporting-day") == NULL)
        l4l_plan_add (plan, l4l_build_request (self->nt, L4L_FNC_FLASH, 8, 0, 1, 0), L4L_FNC_FLASH,
                      L4L_PAGE, FALSE, 1);
      if (lers_device_session_get_option (session, "heat-inputs") == NULL)
        l4l_plan_add (plan, l4l_build_request (self->nt, L4L_FNC_RAM, 0xFF, 0, 1, 0), L4L_FNC_RAM,
                      1, FALSE, 2);
      if (g_strcmp0 (lers_device_session_get_option (session, "read-id"), "false") != 0
          || lers_device_session_get_option (session, "reporting-hour") == NULL)
        l4l_plan_add (plan, l4l_build_request (self->nt, L4L_FNC_FLASH, 9, 0, 1, 0), L4L_FNC_FLASH,
                      L4L_PAGE, FALSE, 3);
      return TRUE;
    case 1:
      /* FLASH page 8 = database parameters 0..3 of 16 bytes, the ASCII
       * value at bytes 4..11 (943 appendix 3): ЕИ is 0, СР is 3 */
      if (lers_device_session_get_option (session, "units") == NULL && f->data[4] >= '0'
          && f->data[4] <= '2')
        self->units = (L4lUnits) (f->data[4] - '0');
      if (lers_device_session_get_option (session, "reporting-day") == NULL)
        {
          guint v = db_number (f->data + 0x34);
          if (v >= 1 && v <= 28)
            self->reporting_day = v;
        }
      return TRUE;
    case 2:
      /* prot943 appendix 1 table 2: bits 0, 1 = ТВ1, ТВ2 counting. Read the
       * inputs that count; both when neither does (their history) */
      self->n_channels = 0;
      if (f->data[0] & 0x01)
        self->channels[self->n_channels++] = 0;
      if (f->data[0] & 0x02)
        self->channels[self->n_channels++] = 1;
      if (self->n_channels == 0)
        {
          self->channels[self->n_channels++] = 0;
          self->channels[self->n_channels++] = 1;
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
              self->reporting_hour = v;
          }
        if (g_strcmp0 (lers_device_session_get_option (session, "read-id"), "false") == 0)
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
                             self->nt, id, expected);
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
  g_clear_pointer (&self->zone, g_time_zone_unref);
  self->zone = lers_device_dup_clock_time_zone (lers_device_session_get_device (session));
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
        self->units = L4L_UNITS_GCAL;
      else if (g_str_equal (units, "gj"))
        self->units = L4L_UNITS_GJ;
      else if (g_str_equal (units, "mwh"))
        self->units = L4L_UNITS_MWH;
      else
        {
          g_task_return_new_error (task, LERS_ERROR, LERS_ERROR_INVALID_ARGUMENT,
                                   _ ("Option units must be gcal, gj or mwh, not “%s”"), units);
          g_object_unref (task);
          return;
        }
    }
  plan = l4l_plan_new (transport, self->nt, open_reply, self, NULL);
  l4l_plan_add (plan, session_request (self, 0), L4L_FNC_SESSION, 3, FALSE, 0);
  l4l_plan_run_async (plan, self, cancellable, open_done_cb, task);
}

static gboolean
lers_logika4l_session_open_finish (LersDeviceSession *session, GAsyncResult *result, GError **error)
{
  return g_task_propagate_boolean (G_TASK (result), error);
}

/* ---- archives ------------------------------------------------------------- */

typedef struct
{
  LersLogika4lSession *self;
  LersArchiveKind kind;
  GPtrArray *starts;  /* GDateTime, per step tag % n */
  GPtrArray *records; /* LersRecord */
  GArray *masks;      /* guint32 per record */
  GDateTime *clock;
  guint8 ram[72];
  guint8 flash[3 * L4L_PAGE];
  guint n_flash;
  guint channel;
  GByteArray *headers; /* the old СПТ941's header table pages */
  GArray *slots;       /* guint: the header number of each start */
  GByteArray *log;     /* the СПТ943's НС log pages of one heat input */
  GPtrArray *events;   /* LersMeterEvent from the НС logs */
  GDateTime *from, *to;
  guint common_channel; /* the heat input that reports common НС 0..7 */
} ReadData;

static void
read_data_free (ReadData *d)
{
  g_clear_pointer (&d->starts, g_ptr_array_unref);
  g_clear_pointer (&d->records, g_ptr_array_unref);
  g_clear_pointer (&d->masks, g_array_unref);
  g_clear_pointer (&d->clock, g_date_time_unref);
  g_clear_pointer (&d->headers, g_byte_array_unref);
  g_clear_pointer (&d->slots, g_array_unref);
  g_clear_pointer (&d->log, g_byte_array_unref);
  g_clear_pointer (&d->events, g_ptr_array_unref);
  g_clear_pointer (&d->from, g_date_time_unref);
  g_clear_pointer (&d->to, g_date_time_unref);
  g_free (d);
}

/* tags: bits 0..23 the index, bits 24..27 what, bit 28 the channel */
#define TAG_SESSION (1u << 24)
#define TAG_RECORD (2u << 24)
#define TAG_CLOCK (3u << 24)
#define TAG_RAM (4u << 24)
#define TAG_FLASH (5u << 24)
#define TAG_HEADER (6u << 24)
#define TAG_DATA (7u << 24)
#define TAG_LOG (8u << 24)
#define TAG_LAST (1u << 23)
#define TAG_WHAT(t) ((t) & (0xFu << 24))
#define TAG_CH(t) (((t) >> 28) & 1u)
#define TAG_INDEX(t) ((t) &0xFFFFFFu)

static GDateTime *
decode_clock (LersLogika4lSession *self, const guint8 *b, GError **error)
{
  guint year = b[0] < 100 ? 2000u + b[0] : 1900u + b[0];
  GDateTime *t = NULL;

  if (b[1] >= 1 && b[1] <= 12 && b[2] >= 1 && b[2] <= 31 && b[3] < 24 && b[4] < 60 && b[5] < 60)
    t = g_date_time_new (self->zone, (gint) year, b[1], b[2], b[3], b[4], b[5]);
  if (t == NULL)
    g_set_error (error, LERS_ERROR, LERS_ERROR_INVALID_DATA,
                 _ ("Logika clock reads %02u-%02u-%02u %02u:%02u:%02u, not a date"), b[2], b[1],
                 b[0], b[3], b[4], b[5]);
  return t;
}

/* the old СПТ941: the header table is read; find each wanted period's
 * header and read its data page */
static gboolean
find_headers (L4lPlan *plan, ReadData *d, GError **error)
{
  LersLogika4lSession *self = d->self;
  guint first, count, base;

  l4l_941_table (d->kind, &first, &count);
  base = first - (first / L4L_PAGE) * L4L_PAGE;
  if (d->headers->len < base + 4 * count)
    {
      g_set_error (error, LERS_ERROR, LERS_ERROR_INVALID_DATA,
                   _ ("Logika СПТ941 header table is short: %u bytes"), d->headers->len);
      return FALSE;
    }
  for (guint i = 0; i < d->starts->len; i++)
    {
      guint8 stamp[4];

      l4l_stamp_for_period (self->model, d->kind, g_ptr_array_index (d->starts, i), stamp);
      for (guint n = 0; n < count; n++)
        {
          const guint8 *h = d->headers->data + base + 4 * n;
          guint page, offset;

          if (memcmp (h, stamp, 4) != 0)
            continue;
          l4l_941_data_page (d->kind, n, &page, &offset);
          g_array_index (d->slots, guint, i) = n;
          l4l_plan_add (plan,
                        l4l_build_request (self->nt, L4L_FNC_FLASH, page & 0xFF, page >> 8, 1, 0),
                        L4L_FNC_FLASH, L4L_PAGE, FALSE, TAG_DATA | i);
          break;
        }
    }
  return TRUE;
}

static void add_interval_steps (L4lPlan *plan, LersLogika4lSession *self, ReadData *d,
                                LersArchiveKind kind, guint ch);

static gboolean
read_reply (L4lPlan *plan, guint tag, const L4lFrame *f, gpointer data, GError **error)
{
  ReadData *d = data;
  LersLogika4lSession *self = d->self;

  switch (TAG_WHAT (tag))
    {
    case TAG_SESSION:
      d->channel = TAG_CH (tag);
      return TRUE;
    case TAG_CLOCK:
      d->clock = decode_clock (self, f->data, error);
      return d->clock != NULL;
    case TAG_RAM:
      memcpy (d->ram, f->data, MIN (f->len, sizeof d->ram));
      if (d->kind == LERS_ARCHIVE_KIND_TOTALS && (tag & TAG_LAST))
        {
          static const LersParameter p941[8] = { LERS_PARAMETER_V_IN,
                                                 LERS_PARAMETER_V_OUT,
                                                 0,
                                                 LERS_PARAMETER_M_IN,
                                                 LERS_PARAMETER_M_OUT,
                                                 0,
                                                 LERS_PARAMETER_Q_DELTA,
                                                 LERS_PARAMETER_NORMAL_OPERATION_DURATION };
          g_autoptr (LersRecord) r = lers_record_new (d->clock, LERS_ARCHIVE_KIND_TOTALS);

          for (guint i = 0; i < 8; i++)
            {
              const guint8 *b = f->data + 4 * i;
              LersValueFlags flags
                  = l4l_float_is_valid (b) ? LERS_VALUE_FLAG_NONE : LERS_VALUE_FLAG_BAD;
              gdouble v = flags ? 0.0 : l4l_float (b);

              if (i == 2 || i == 5)
                continue;
              if (p941[i] == LERS_PARAMETER_Q_DELTA)
                v = l4l_heat_to_gcal (self->units, v);
              lers_record_set_value (r, p941[i], v, flags);
            }
          g_ptr_array_add (d->records, g_steal_pointer (&r));
          return TRUE;
        }
      if (d->kind == LERS_ARCHIVE_KIND_CURRENT)
        {
          LersRecord *r = NULL;
          if (!l4l_decode_current (self->model, self->units, f->data, f->len, d->clock,
                                   TAG_CH (tag), &r, error))
            return FALSE;
          g_ptr_array_add (d->records, r);
        }
      d->n_flash = 0;
      return TRUE;
    case TAG_FLASH:
      if (d->n_flash < 3)
        memcpy (d->flash + L4L_PAGE * d->n_flash++, f->data, L4L_PAGE);
      if (TAG_INDEX (tag) == 1)
        {
          /* the last page of this heat input: 9 totals of 8 bytes from
           * the offset in the first page, plus the RAM increments */
          static const LersParameter params[9]
              = { LERS_PARAMETER_V_IN,    LERS_PARAMETER_V_OUT,
                  LERS_PARAMETER_V_DELTA, LERS_PARAMETER_M_IN,
                  LERS_PARAMETER_M_OUT,   LERS_PARAMETER_M_DELTA,
                  LERS_PARAMETER_Q_DELTA, LERS_PARAMETER_NORMAL_OPERATION_DURATION,
                  LERS_PARAMETER_Q_OUT };
          guint offset = TAG_CH (tag) == 0 ? 0x424A % L4L_PAGE : 0x677B % L4L_PAGE;
          g_autoptr (LersRecord) r = lers_record_new (d->clock, LERS_ARCHIVE_KIND_TOTALS);

          lers_record_set_channel (r, TAG_CH (tag));
          for (guint i = 0; i < 9; i++)
            {
              const guint8 *p = d->flash + offset + 8 * i;
              const guint8 *inc = d->ram + 4 * i;
              guint32 whole
                  = p[0] | (guint32) p[1] << 8 | (guint32) p[2] << 16 | (guint32) p[3] << 24;
              LersValueFlags flags = l4l_float_is_valid (p + 4) && l4l_float_is_valid (inc)
                                         ? LERS_VALUE_FLAG_NONE
                                         : LERS_VALUE_FLAG_BAD;
              gdouble v = flags ? 0.0 : whole + l4l_float (p + 4) + l4l_float (inc);

              /* V3, M3 and Qг have no LERS parameter of their own here */
              if (i == 2 || i == 5 || i == 8)
                continue;
              if (params[i] == LERS_PARAMETER_Q_DELTA)
                v = l4l_heat_to_gcal (self->units, v);
              lers_record_set_value (r, params[i], v, flags);
            }
          g_ptr_array_add (d->records, g_steal_pointer (&r));
        }
      return TRUE;
    case TAG_LOG:
      {
        guint ch = TAG_CH (tag);
        guint area = ch == 0 ? L4L_943_NS_LOG_TV1 : L4L_943_NS_LOG_TV2;
        guint offset = area - (area / L4L_PAGE) * L4L_PAGE;

        if (TAG_INDEX (tag) == 0)
          g_byte_array_set_size (d->log, 0);
        g_byte_array_append (d->log, f->data, (guint) f->len);
        if (!(tag & TAG_LAST))
          return TRUE;
        if (d->log->len < offset + L4L_943_NS_LOG_SIZE
            || !l4l_events_from_log (self->model, self->zone, ch, ch == d->common_channel,
                                     d->log->data + offset, L4L_943_NS_LOG_SIZE, d->from, d->to,
                                     d->events))
          add_interval_steps (plan, self, d, LERS_ARCHIVE_KIND_HOUR, ch);
        return TRUE;
      }
    case TAG_HEADER:
      g_byte_array_append (d->headers, f->data, (guint) f->len);
      if (tag & TAG_LAST)
        return find_headers (plan, d, error);
      return TRUE;
    case TAG_DATA:
      {
        guint slot = g_array_index (d->slots, guint, TAG_INDEX (tag));
        guint page, offset;
        LersRecord *r = NULL;
        guint32 mask = 0;

        l4l_941_data_page (d->kind, slot, &page, &offset);
        if (!l4l_decode_record (self->model, self->units, d->kind, f->data + offset,
                                f->len - offset, g_ptr_array_index (d->starts, TAG_INDEX (tag)), 0,
                                &mask, &r, error))
          return FALSE;
        g_ptr_array_add (d->records, r);
        g_array_append_val (d->masks, mask);
        return TRUE;
      }
    case TAG_RECORD:
      {
        LersRecord *r = NULL;
        guint32 mask = 0;
        GDateTime *start = g_ptr_array_index (d->starts, TAG_INDEX (tag));

        if (f == NULL)
          return TRUE; /* no record for that period */
        if (!l4l_decode_record (self->model, self->units, d->kind, f->data, f->len, start,
                                TAG_CH (tag), &mask, &r, error))
          return FALSE;
        g_ptr_array_add (d->records, r);
        g_array_append_val (d->masks, mask);
        return TRUE;
      }
    default:
      g_assert_not_reached ();
    }
}

static guint8
archive_fnc (LersArchiveKind kind)
{
  return kind == LERS_ARCHIVE_KIND_HOUR  ? L4L_FNC_HOUR
         : kind == LERS_ARCHIVE_KIND_DAY ? L4L_FNC_DAY
                                         : L4L_FNC_MONTH;
}

/* the periods of [from, to), in the device's zone: its stamps are its
 * wall clock */
static void
compute_starts (LersLogika4lSession *self, ReadData *d, LersArchiveKind kind, GDateTime *from,
                GDateTime *to)
{
  g_autoptr (GDateTime) t = lers_time_get_period_start (kind, from, self->zone,
                                                        self->reporting_hour, self->reporting_day);

  while (t != NULL && g_date_time_compare (t, to) < 0 && d->starts->len < L4L_MAX_PERIODS)
    {
      GDateTime *next = lers_time_get_period_end (kind, t, self->zone, self->reporting_hour,
                                                  self->reporting_day);
      g_ptr_array_add (d->starts, g_date_time_to_timezone (t, self->zone));
      g_date_time_unref (t);
      t = next;
    }
}

/* the session for heat input @ch, then the archive search per period, or
 * the old СПТ941's header table */
static void
add_interval_steps (L4lPlan *plan, LersLogika4lSession *self, ReadData *d, LersArchiveKind kind,
                    guint ch)
{
  guint chtag = ch << 28;

  l4l_plan_add (plan, session_request (self, self->model == L4L_MODEL_943 ? ch + 1 : 0),
                L4L_FNC_SESSION, 3, FALSE, TAG_SESSION | chtag);
  if (self->model == L4L_MODEL_941 && self->version == 0)
    {
      /* no archive search: read the header table from FLASH */
      guint first, count, p0, p1;

      l4l_941_table (kind, &first, &count);
      p0 = first / L4L_PAGE;
      p1 = (first + 4 * count - 1) / L4L_PAGE;
      d->headers = g_byte_array_new ();
      d->slots = g_array_new (FALSE, TRUE, sizeof (guint));
      g_array_set_size (d->slots, d->starts->len);
      for (guint p = p0; p <= p1; p++)
        l4l_plan_add (plan, l4l_build_request (self->nt, L4L_FNC_FLASH, p & 0xFF, p >> 8, 1, 0),
                      L4L_FNC_FLASH, L4L_PAGE, FALSE,
                      TAG_HEADER | (p == p1 ? TAG_LAST : 0u) | (p - p0));
      return;
    }
  for (guint i = 0; i < d->starts->len; i++)
    {
      guint8 stamp[4];
      l4l_stamp_for_period (self->model, kind, g_ptr_array_index (d->starts, i), stamp);
      l4l_plan_add (
          plan,
          l4l_build_request (self->nt, archive_fnc (kind), stamp[0], stamp[1], stamp[2], stamp[3]),
          archive_fnc (kind), l4l_block_size (self->model, kind), TRUE, TAG_RECORD | chtag | i);
    }
}

/* builds the plan of a read; NULL with @error when the model cannot */
static L4lPlan *
read_plan (LersLogika4lSession *self, LersArchiveKind kind, GDateTime *from, GDateTime *to,
           ReadData *d, GError **error)
{
  guint channels[2];
  guint n_channels = model_channels (self, channels);
  g_autoptr (L4lPlan) plan = NULL;
  gboolean interval = kind == LERS_ARCHIVE_KIND_HOUR || kind == LERS_ARCHIVE_KIND_DAY
                      || kind == LERS_ARCHIVE_KIND_MONTH;

  if (self->model == L4L_MODEL_UNKNOWN || self->model == L4L_MODEL_942)
    {
      g_set_error (error, LERS_ERROR, LERS_ERROR_NOT_SUPPORTED,
                   _ ("Reading archives of the %s is not supported"), "СПТ942");
      return NULL;
    }
  if (kind == LERS_ARCHIVE_KIND_TOTALS && self->model == L4L_MODEL_941_10)
    {
      g_set_error (error, LERS_ERROR, LERS_ERROR_NOT_SUPPORTED,
                   _ ("Totals of the СПТ941 are not supported"));
      return NULL;
    }
  if (!interval && kind != LERS_ARCHIVE_KIND_TOTALS && kind != LERS_ARCHIVE_KIND_CURRENT)
    {
      g_set_error (error, LERS_ERROR, LERS_ERROR_NOT_SUPPORTED,
                   _ ("Logika 4L devices have no such archive"));
      return NULL;
    }
  if (interval && (from == NULL || to == NULL))
    {
      g_set_error (error, LERS_ERROR, LERS_ERROR_INVALID_ARGUMENT,
                   _ ("An archive read needs a time range"));
      return NULL;
    }
  plan = l4l_plan_new (session_transport (self), self->nt, read_reply, d, NULL);
  if (interval)
    compute_starts (self, d, kind, from, to);
  for (guint c = 0; c < n_channels; c++)
    {
      guint ch = channels[c];
      guint chtag = ch << 28;

      if (interval)
        {
          add_interval_steps (plan, self, d, kind, ch);
          continue;
        }
      l4l_plan_add (plan, session_request (self, self->model == L4L_MODEL_943 ? ch + 1 : 0),
                    L4L_FNC_SESSION, 3, FALSE, TAG_SESSION | chtag);
      if (c == 0)
        l4l_plan_add (plan, clock_request (self), L4L_FNC_RAM, 6, FALSE, TAG_CLOCK);
      if (kind == LERS_ARCHIVE_KIND_CURRENT)
        {
          guint addr = self->model == L4L_MODEL_943   ? (ch == 0 ? 0x204 : 0x234)
                       : self->model == L4L_MODEL_941 ? 0xE8
                                                      : 0x200;
          gsize n = l4l_current_size (self->model);
          l4l_plan_add (
              plan,
              l4l_build_request (self->nt, L4L_FNC_RAM, addr & 0xFF, addr >> 8, (guint8) n, 0),
              L4L_FNC_RAM, n, FALSE, TAG_RAM | chtag);
        }
      else if (self->model == L4L_MODEL_941)
        {
          /* prot941 table 3.6: V1 V2 V3 M1 M2 M3 Q Tw totals in RAM C3 */
          l4l_plan_add (plan, l4l_build_request (self->nt, L4L_FNC_RAM, 0xC3, 0, 32, 0),
                        L4L_FNC_RAM, 32, FALSE, TAG_RAM | TAG_LAST);
        }
      else
        {
          /* prot943 appendix 4: RAM increments and FLASH main parts */
          guint ram = ch == 0 ? 0x520 : 0x568;
          guint flash = ch == 0 ? 0x424A : 0x677B;
          guint first = flash / L4L_PAGE, last = (flash + 72 - 1) / L4L_PAGE;

          l4l_plan_add (plan,
                        l4l_build_request (self->nt, L4L_FNC_RAM, ram & 0xFF, ram >> 8, 36, 0),
                        L4L_FNC_RAM, 36, FALSE, TAG_RAM | chtag);
          for (guint p = first; p <= last; p++)
            l4l_plan_add (plan, l4l_build_request (self->nt, L4L_FNC_FLASH, p & 0xFF, p >> 8, 1, 0),
                          L4L_FNC_FLASH, L4L_PAGE, FALSE,
                          TAG_FLASH | chtag | (p == last ? 1u : 0u));
        }
    }
  return g_steal_pointer (&plan);
}

static ReadData *
read_data_new (LersLogika4lSession *self, LersArchiveKind kind)
{
  ReadData *d = g_new0 (ReadData, 1);

  d->self = self;
  d->kind = kind;
  d->starts = g_ptr_array_new_with_free_func ((GDestroyNotify) g_date_time_unref);
  d->records = g_ptr_array_new_with_free_func (g_object_unref);
  d->masks = g_array_new (FALSE, TRUE, sizeof (guint32));
  d->events = g_ptr_array_new_with_free_func (g_object_unref);
  return d;
}

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
  ReadData *d = read_data_new (self, kind);
  GError *error = NULL;
  L4lPlan *plan;

  g_task_set_source_tag (task, lers_logika4l_session_read_archive_async);
  g_task_set_task_data (task, d, (GDestroyNotify) read_data_free);
  plan = read_plan (self, kind, from, to, d, &error);
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
  LersLogika4lSession *self = d->self;
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
  l4l_events_from_masks (self->model, d->records, d->masks, d->common_channel, events);
  g_task_return_pointer (task, g_steal_pointer (&events), (GDestroyNotify) g_ptr_array_unref);
}

/* the СПТ943: its НС log per heat input first; the hour archive only for
 * an input whose log does not reach back to @from */
static L4lPlan *
events_log_plan (LersLogika4lSession *self, GDateTime *from, GDateTime *to, ReadData *d)
{
  guint channels[2];
  guint n_channels = model_channels (self, channels);
  L4lPlan *plan = l4l_plan_new (session_transport (self), self->nt, read_reply, d, NULL);

  d->from = g_date_time_ref (from);
  d->to = g_date_time_ref (to);
  d->log = g_byte_array_new ();
  compute_starts (self, d, LERS_ARCHIVE_KIND_HOUR, from, to);
  for (guint c = 0; c < n_channels; c++)
    {
      guint ch = channels[c];
      guint area = ch == 0 ? L4L_943_NS_LOG_TV1 : L4L_943_NS_LOG_TV2;
      guint p0 = area / L4L_PAGE, p1 = (area + L4L_943_NS_LOG_SIZE - 1) / L4L_PAGE;

      for (guint p = p0; p <= p1; p++)
        l4l_plan_add (plan, l4l_build_request (self->nt, L4L_FNC_FLASH, p & 0xFF, p >> 8, 1, 0),
                      L4L_FNC_FLASH, L4L_PAGE, FALSE,
                      TAG_LOG | (ch << 28) | (p == p1 ? TAG_LAST : 0u) | (p - p0));
    }
  return plan;
}

static void
lers_logika4l_session_read_events_async (LersDeviceSession *session, GDateTime *from, GDateTime *to,
                                         LersProgress *progress, GCancellable *cancellable,
                                         GAsyncReadyCallback callback, gpointer user_data)
{
  LersLogika4lSession *self = LERS_LOGIKA4L_SESSION (session);
  GTask *task = g_task_new (self, cancellable, callback, user_data);
  ReadData *d = read_data_new (self, LERS_ARCHIVE_KIND_HOUR);
  GError *error = NULL;
  L4lPlan *plan;

  g_task_set_source_tag (task, lers_logika4l_session_read_events_async);
  g_task_set_task_data (task, d, (GDestroyNotify) read_data_free);
  {
    guint channels[2];
    guint n = model_channels (self, channels);
    d->common_channel = n > 0 ? channels[0] : 0;
  }
  if (self->model == L4L_MODEL_943 && from != NULL && to != NULL
      && g_strcmp0 (lers_device_session_get_option (session, "ns-log"), "false") != 0)
    plan = events_log_plan (self, from, to, d);
  else
    plan = read_plan (self, LERS_ARCHIVE_KIND_HOUR, from, to, d, &error);
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
  ReadData *d = read_data_new (self, LERS_ARCHIVE_KIND_CURRENT);
  L4lPlan *plan = l4l_plan_new (session_transport (self), self->nt, read_reply, d, NULL);

  g_task_set_source_tag (task, lers_logika4l_session_read_clock_async);
  g_task_set_task_data (task, d, (GDestroyNotify) read_data_free);
  if (self->model == L4L_MODEL_942)
    {
      l4l_plan_free (plan);
      g_task_return_new_error (task, LERS_ERROR, LERS_ERROR_NOT_SUPPORTED,
                               _ ("Reading the clock of the %s is not supported"), "СПТ942");
      g_object_unref (task);
      return;
    }
  l4l_plan_add (plan, clock_request (self), L4L_FNC_RAM, 6, FALSE, TAG_CLOCK);
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

  g_task_set_source_tag (task, lers_logika4l_session_set_clock_async);
  if (self->model != L4L_MODEL_943 && self->model != L4L_MODEL_941_10)
    {
      g_task_return_new_error (task, LERS_ERROR, LERS_ERROR_NOT_SUPPORTED,
                               _ ("Setting the clock of this Logika model is not supported"));
      g_object_unref (task);
      return;
    }
  local = g_date_time_to_timezone (time, self->zone);
  to = g_date_time_format (local, "%H-%M-%S");
  date = g_date_time_format (local, "%d-%m-%y");
  plan = l4l_plan_new (session_transport (self), self->nt, set_clock_reply, NULL, NULL);
  l4l_plan_add (plan, session_request (self, 0), L4L_FNC_SESSION, 3, FALSE, 0);
  /* ТО is parameter 1, ДО parameter 2 of channel ОБЩ (943 appendix 3) */
  l4l_plan_add (plan, l4l_build_request (self->nt, L4L_FNC_WRITE, 1, 0, 0, 0), L4L_FNC_WRITE, 0,
                FALSE, 1);
  l4l_plan_add (plan, write_block (self->nt, to), L4L_FNC_WRITE, 0, FALSE, 2);
  l4l_plan_add (plan, l4l_build_request (self->nt, L4L_FNC_WRITE, 2, 0, 0, 0), L4L_FNC_WRITE, 0,
                FALSE, 3);
  l4l_plan_add (plan, write_block (self->nt, date), L4L_FNC_WRITE, 0, FALSE, 4);
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

  g_clear_pointer (&self->zone, g_time_zone_unref);
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
  self->nt = L4L_NT_ANY;
  self->zone = g_time_zone_new_utc ();
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
