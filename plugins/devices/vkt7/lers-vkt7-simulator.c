/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * A simulated ВКТ-7: answers the requests of the protocol document (§4)
 * from a data model that depends only on the seed and the hour (see
 * README.md, "Simulator data model"). The wall clock is UTC.
 */
#include "lers-vkt7-simulator.h"

#include <string.h>

#include "vkt7-data.h"
#include "vkt7-frame.h"
#include "vkt7-sim-model.h"

#define SIM_HOUR_DEPTH (62 * 24)
#define SIM_DAY_DEPTH 400
#define SIM_MONTH_DEPTH 36
#define SIM_FIRMWARE 0x27 /* 2.7 */

struct _LersVkt7Simulator
{
  GObject parent_instance;

  gchar *serial_number;
  guint address;
  guint seed;
  guint answer_delay_ms;
  guint circuits;
  gint64 clock_time;
  gint64 clock_offset; /* set by nothing yet: the protocol cannot set the clock */
  gchar *model;
  gboolean wake_up;
  gint64 scheme_change_time;
  guint firmware;   /* 0x27 = 2.7 */
  guint report_day; /* ДО */
};

static void lers_vkt7_simulator_iface_init (LersDeviceSimulatorInterface *iface);

G_DEFINE_DYNAMIC_TYPE_EXTENDED (LersVkt7Simulator, lers_vkt7_simulator, G_TYPE_OBJECT,
                                G_TYPE_FLAG_FINAL,
                                G_IMPLEMENT_INTERFACE_DYNAMIC (LERS_TYPE_DEVICE_SIMULATOR,
                                                               lers_vkt7_simulator_iface_init))

enum
{
  PROP_0,
  PROP_SERIAL_NUMBER,
  PROP_ADDRESS,
  PROP_SEED,
  PROP_ANSWER_DELAY_MS,
  PROP_CIRCUITS,
  PROP_CLOCK_TIME,
  PROP_MODEL,
  PROP_WAKE_UP,
  PROP_SCHEME_CHANGE_TIME,
  PROP_FIRMWARE,
  PROP_REPORT_DAY,
  N_PROPS
};

static GParamSpec *props[N_PROPS];

/* ---- per-connection state -------------------------------------------------- */

typedef struct
{
  LersVkt7Simulator *self;
  gboolean started;
  gboolean service_read; /* the first data read after the start */
  gint type;             /* -1 none */
  gboolean date_set;
  gint64 date_start; /* the addressed record's period start, Unix seconds */
  guint date_day, date_month, date_year, date_hour;
  GArray *list; /* Vkt7Item */
  guint scheme; /* the actual mask: circuits active (1 or 2) */
} ServeData;

static void
serve_data_free (ServeData *d)
{
  g_clear_pointer (&d->list, g_array_unref);
  g_clear_object (&d->self);
  g_free (d);
}

static gint64
sim_now (LersVkt7Simulator *self)
{
  return self->clock_time != 0 ? self->clock_time : g_get_real_time () / G_USEC_PER_SEC;
}

static guint
scheme_at (LersVkt7Simulator *self, gint64 t)
{
  if (self->circuits < 2)
    return 1;
  return self->scheme_change_time != 0 && t < self->scheme_change_time ? 1 : 2;
}

static void
put_value (ServeData *d, GByteArray *b, const Vkt7Item *it, const Vkt7SimRow *rows, guint scheme)
{
  const Vkt7Element *el = vkt7_element (it->id);
  guint8 modes = d->type <= 2                   ? VKT7_MODE_ARCHIVE
                 : d->type == VKT7_TYPE_CURRENT ? VKT7_MODE_CURRENT
                                                : VKT7_MODE_TOTALS;
  guint kind = (d->self->seed / 31) % 5;
  guint start = b->len;
  const Vkt7SimRow *r;
  guint8 quality = VKT7_Q_GOOD, ns = 0;
  gboolean ok = FALSE;

  if (el == NULL || el->channel < 0 || !vkt7_sim_element_active (it->id, scheme)
      || !(el->modes & modes))
    {
      for (guint i = 0; i < it->size; i++)
        g_byte_array_append (b, (const guint8 *) "\0", 1);
      vkt7_sim_put_le (b, VKT7_Q_ABSENT, 1);
      vkt7_sim_put_le (b, 0, 1);
      return;
    }
  r = &rows[el->channel];
  if (rows[0].ns_flag || rows[1].ns_flag)
    ns = 0xFF;
  if (it->id == VKT7_EL_NS1 || it->id == VKT7_EL_NS2)
    vkt7_sim_put_le (b, r->ns_flag ? '*' : ' ', 1);
  else if (it->id == VKT7_EL_QNTNS1 || it->id == VKT7_EL_QNTNS2)
    for (guint k = 0; k < 5; k++)
      vkt7_sim_put_le (b, r->ns[k], 2);
  else if (el->scale == VKT7_SCALE_FLOAT)
    {
      gfloat f = (vkt7_sim_base_of (it->id) == 19 ? r->v1 : r->v2) / 100.0f;
      guint32 u;
      memcpy (&u, &f, 4);
      vkt7_sim_put_le (b, u, 4);
    }
  else
    {
      gint32 v = vkt7_sim_row_value (r, vkt7_sim_base_of (it->id), &ok);
      vkt7_sim_put_le (b, (guint32) v, it->size);
      /* the flow-dependent values carry the НС of the hour */
      if (r->ns_flag && (vkt7_sim_base_of (it->id) == 3 || vkt7_sim_base_of (it->id) == 6))
        {
          quality = VKT7_Q_NS;
          ns = (guint8) (kind + 1);
        }
    }
  g_byte_array_set_size (b, start + it->size);
  vkt7_sim_put_le (b, quality, 1);
  vkt7_sim_put_le (b, ns, 1);
}

/* ---- the requests ------------------------------------------------------------ */

static GBytes *
reply_data (ServeData *d, const Vkt7Frame *f, guint8 *exc)
{
  LersVkt7Simulator *self = d->self;
  g_autoptr (GByteArray) b = g_byte_array_new ();
  Vkt7SimRow rows[2];
  gint64 now = sim_now (self);
  guint scheme;

  if (d->service_read || d->type < 0)
    {
      /* the first read after the start: "server version" in byte 65 of
       * the reply (§4.7), that is data byte 62 */
      guint8 block[64] = { 0 };
      block[61] = 1;
      d->service_read = FALSE;
      return vkt7_build_reply (f->address, VKT7_FN_READ, block, sizeof block);
    }
  if (d->list == NULL)
    {
      *exc = VKT7_EXC_NO_ELEMENT;
      return NULL;
    }
  if (d->type == VKT7_TYPE_PROPERTIES)
    {
      for (guint i = 0; i < d->list->len; i++)
        {
          Vkt7Item *it = &g_array_index (d->list, Vkt7Item, i);
          if (it->id >= 44 && it->id <= 56)
            {
              const gchar *u = vkt7_sim_unit (it->id);
              vkt7_sim_put_le (b, (guint32) strlen (u), 2);
              g_byte_array_append (b, (const guint8 *) u, (guint) strlen (u));
            }
          else
            vkt7_sim_put_le (b, it->id >= 57 && it->id <= 76 ? vkt7_sim_digits (it->id) : 0,
                             it->size);
          vkt7_sim_put_le (b, VKT7_Q_GOOD, 1);
          vkt7_sim_put_le (b, 0, 1);
        }
      return vkt7_build_reply (f->address, VKT7_FN_READ, b->data, b->len);
    }
  memset (rows, 0, sizeof rows);
  if (d->type <= VKT7_TYPE_MONTH)
    {
      scheme = scheme_at (self, d->date_start);
      if (scheme != d->scheme)
        {
          d->scheme = scheme;
          *exc = VKT7_EXC_SCHEME_CHANGED;
          return NULL;
        }
      for (guint c = 0; c < self->circuits; c++)
        {
          if (d->type == VKT7_TYPE_HOUR)
            vkt7_sim_hour (self->seed, c, d->date_start / 3600, &rows[c]);
          else if (d->type == VKT7_TYPE_DAY)
            vkt7_sim_day (self->seed, c, d->date_start / 86400, &rows[c]);
          else
            vkt7_sim_month (
                self->seed, c, d->date_start / 86400,
                g_date_get_days_in_month (d->date_month, (GDateYear) (2000 + d->date_year)),
                &rows[c]);
        }
    }
  else
    {
      scheme = scheme_at (self, now);
      for (guint c = 0; c < self->circuits; c++)
        if (d->type == VKT7_TYPE_CURRENT)
          vkt7_sim_hour (self->seed, c, now / 3600, &rows[c]);
        else
          vkt7_sim_totals (self->seed, c, now / 3600, &rows[c]);
    }
  for (guint i = 0; i < d->list->len; i++)
    put_value (d, b, &g_array_index (d->list, Vkt7Item, i), rows, scheme);
  return vkt7_build_reply (f->address, VKT7_FN_READ, b->data, b->len);
}

static GBytes *
reply_read (ServeData *d, const Vkt7Frame *f, guint8 *exc)
{
  LersVkt7Simulator *self = d->self;
  g_autoptr (GDateTime) now = g_date_time_new_from_unix_utc (sim_now (self));
  g_autoptr (GByteArray) b = g_byte_array_new ();

  switch (f->reg)
    {
    case VKT7_REG_DATA:
      return reply_data (d, f, exc);
    case VKT7_REG_ACTIVE:
      for (guint id = 0; id < VKT7_N_ELEMENTS; id++)
        if (id < 44 || id > 76)
          if (vkt7_sim_element_active (id, d->scheme))
            {
              vkt7_sim_put_le (b, id, 4);
              vkt7_sim_put_le (b, vkt7_sim_element_size (id), 2);
            }
      break;
    case VKT7_REG_DATE:
      /* §4.14: only firmware 1.9 and later answer the clock read */
      if (self->firmware < 0x19)
        {
          *exc = VKT7_EXC_NO_ELEMENT;
          return NULL;
        }
      {
        guint8 t[8] = { (guint8) g_date_time_get_day_of_month (now),
                        (guint8) g_date_time_get_month (now),
                        (guint8) (g_date_time_get_year (now) - 2000),
                        (guint8) g_date_time_get_hour (now),
                        (guint8) g_date_time_get_minute (now),
                        (guint8) g_date_time_get_second (now),
                        VKT7_Q_GOOD,
                        0 };
        g_byte_array_append (b, t, 8);
      }
      break;
    case VKT7_REG_SERVICE:
      vkt7_sim_put_le (b, self->firmware, 1);
      vkt7_sim_put_le (b, 1, 2);
      vkt7_sim_put_le (b, self->circuits > 1 ? 1 : 0, 2);
      g_byte_array_append (b, (const guint8 *) "LERS-SIM", 8);
      vkt7_sim_put_le (b, self->address, 1);
      vkt7_sim_put_le (b, self->report_day, 1); /* report day */
      vkt7_sim_put_le (b, 0, 1);                /* model */
      break;
    default:
      *exc = VKT7_EXC_NO_ELEMENT;
      return NULL;
    }
  return vkt7_build_reply (f->address, VKT7_FN_READ, b->data, b->len);
}

/* does the archive of the current type hold a record for the written date? */
static gboolean
date_valid (ServeData *d)
{
  gint64 now = sim_now (d->self);
  g_autoptr (GDateTime) t = NULL;
  gint64 start, end;

  if (d->date_month < 1 || d->date_month > 12 || d->date_hour > 23 || d->date_day < 1
      || d->date_day > g_date_get_days_in_month (d->date_month, (GDateYear) (2000 + d->date_year)))
    return FALSE;
  if (d->type == VKT7_TYPE_MONTH)
    t = g_date_time_new_utc (2000 + (gint) d->date_year, (gint) d->date_month, 1, 0, 0, 0);
  else
    t = g_date_time_new_utc (2000 + (gint) d->date_year, (gint) d->date_month, (gint) d->date_day,
                             d->type == VKT7_TYPE_HOUR ? (gint) d->date_hour : 0, 0, 0);
  start = g_date_time_to_unix (t);
  d->date_start = start;
  switch (d->type)
    {
    case VKT7_TYPE_HOUR:
      end = start + 3600;
      return end <= now && start >= (now / 3600 - SIM_HOUR_DEPTH) * 3600;
    case VKT7_TYPE_DAY:
      end = start + 86400;
      /* one day a month the daily record is missing (README) */
      if ((start / 86400) % 31 == (d->self->seed + 3) % 31)
        return FALSE;
      return end <= now && start >= (now / 86400 - SIM_DAY_DEPTH) * 86400;
    case VKT7_TYPE_MONTH:
      {
        g_autoptr (GDateTime) next = g_date_time_add_months (t, 1);
        g_autoptr (GDateTime) n = g_date_time_new_from_unix_utc (now);
        gint age = (g_date_time_get_year (n) - g_date_time_get_year (t)) * 12
                   + g_date_time_get_month (n) - g_date_time_get_month (t);
        return g_date_time_to_unix (next) <= now && age <= SIM_MONTH_DEPTH;
      }
    default:
      return TRUE;
    }
}

static GBytes *
reply_write (ServeData *d, const Vkt7Frame *f, guint8 *exc)
{
  switch (f->reg)
    {
    case VKT7_REG_LIST:
      if (f->data_len == 4 && f->data[-1] == 0xCC && f->data[0] == 0x80)
        {
          /* "начало сеанса связи" (§4.7) */
          d->started = TRUE;
          d->service_read = TRUE;
          d->type = -1;
          d->date_set = FALSE;
          g_clear_pointer (&d->list, g_array_unref);
          break;
        }
      {
        g_autoptr (GArray) items = vkt7_active_parse (f->data, f->data_len, NULL);
        guint total = 0;

        if (items == NULL)
          {
            *exc = VKT7_EXC_NO_ELEMENT;
            return NULL;
          }
        for (guint i = 0; i < items->len; i++)
          total += g_array_index (items, Vkt7Item, i).size + 2;
        if (total > 250)
          {
            *exc = VKT7_EXC_SCHEME_CHANGED;
            return NULL;
          }
        g_clear_pointer (&d->list, g_array_unref);
        d->list = g_steal_pointer (&items);
      }
      break;
    case VKT7_REG_TYPE:
      if (f->data_len < 1 || f->data[0] > 6)
        {
          *exc = VKT7_EXC_NO_ELEMENT;
          return NULL;
        }
      d->type = f->data[0];
      d->service_read = FALSE;
      break;
    case VKT7_REG_DATE:
      if (f->data_len < 4)
        {
          *exc = VKT7_EXC_NO_ELEMENT;
          return NULL;
        }
      d->date_day = f->data[0], d->date_month = f->data[1];
      d->date_year = f->data[2], d->date_hour = f->data[3];
      d->date_set = date_valid (d);
      if (!d->date_set)
        {
          *exc = VKT7_EXC_NO_ARCHIVE;
          return NULL;
        }
      break;
    default:
      *exc = VKT7_EXC_NO_ELEMENT;
      return NULL;
    }
  return vkt7_build_write_ack (f->address, f->reg, f->count);
}

static GBytes *
serve_handle (ServeData *d, const Vkt7Frame *f)
{
  guint8 exc = 0;
  GBytes *reply;

  if (f->address != 0 && f->address != d->self->address)
    return NULL;
  if (f->function == VKT7_FN_READ)
    reply = reply_read (d, f, &exc);
  else
    reply = reply_write (d, f, &exc);
  if (reply == NULL && exc != 0)
    reply = vkt7_build_exception (f->address, f->function, exc);
  return reply;
}

/* ---- serving a stream ------------------------------------------------------- */

static gssize
serve_scan (const guint8 *data, gsize len, gpointer user_data)
{
  guint ff = 0;
  gssize n;

  /* the wake-up bytes FF go with the request they wake the meter for */
  while (ff < len && data[ff] == 0xFF)
    ff++;
  n = vkt7_scan_request (data + ff, len - ff);
  if (n < 0)
    return -(gssize) (ff + 1);
  return n == 0 ? 0 : (gssize) ff + n;
}

static GBytes *
serve_answer (gpointer user_data, const guint8 *frame, gsize len, guint *delay_ms)
{
  ServeData *d = user_data;
  Vkt7Frame f;
  guint ff = 0;

  while (ff < len && frame[ff] == 0xFF)
    ff++;
  if (d->self->wake_up && ff < 2)
    {
      g_debug ("no wake-up bytes: the meter sleeps through the request");
      return NULL;
    }
  /* a garbled request gets no answer */
  if (!vkt7_parse_request (frame + ff, len - ff, &f, NULL))
    return NULL;
  *delay_ms = d->self->answer_delay_ms;
  return serve_handle (d, &f);
}

static void
lers_vkt7_simulator_serve_async (LersDeviceSimulator *simulator, GIOStream *stream,
                                 GCancellable *cancellable, GAsyncReadyCallback callback,
                                 gpointer user_data)
{
  LersVkt7Simulator *self = LERS_VKT7_SIMULATOR (simulator);
  ServeData *d = g_new0 (ServeData, 1);
  g_autoptr (LersFrameServer) server = NULL;

  d->self = g_object_ref (self);
  d->type = -1;
  d->scheme = scheme_at (self, sim_now (self));
  server = lers_frame_server_new (stream, serve_scan, NULL, NULL, serve_answer, d,
                                  (GDestroyNotify) serve_data_free);
  lers_frame_server_serve_async (server, simulator, lers_vkt7_simulator_serve_async, cancellable,
                                 callback, user_data);
}

static gboolean
lers_vkt7_simulator_serve_finish (LersDeviceSimulator *simulator, GAsyncResult *result,
                                  GError **error)
{
  g_return_val_if_fail (g_task_is_valid (result, simulator), FALSE);
  return g_task_propagate_boolean (G_TASK (result), error);
}

static const gchar *
lers_vkt7_simulator_get_protocol (LersDeviceSimulator *simulator)
{
  return "vkt7";
}

static void
lers_vkt7_simulator_iface_init (LersDeviceSimulatorInterface *iface)
{
  iface->get_protocol = lers_vkt7_simulator_get_protocol;
  iface->serve_async = lers_vkt7_simulator_serve_async;
  iface->serve_finish = lers_vkt7_simulator_serve_finish;
}

/* ---- GObject ------------------------------------------------------------------ */

static void
lers_vkt7_simulator_get_property (GObject *object, guint prop_id, GValue *value, GParamSpec *pspec)
{
  LersVkt7Simulator *self = LERS_VKT7_SIMULATOR (object);

  switch (prop_id)
    {
    case PROP_SERIAL_NUMBER:
      g_value_set_string (value, self->serial_number);
      break;
    case PROP_ADDRESS:
      g_value_set_uint (value, self->address);
      break;
    case PROP_SEED:
      g_value_set_uint (value, self->seed);
      break;
    case PROP_ANSWER_DELAY_MS:
      g_value_set_uint (value, self->answer_delay_ms);
      break;
    case PROP_CIRCUITS:
      g_value_set_uint (value, self->circuits);
      break;
    case PROP_CLOCK_TIME:
      g_value_set_int64 (value, self->clock_time);
      break;
    case PROP_MODEL:
      g_value_set_string (value, self->model);
      break;
    case PROP_WAKE_UP:
      g_value_set_boolean (value, self->wake_up);
      break;
    case PROP_SCHEME_CHANGE_TIME:
      g_value_set_int64 (value, self->scheme_change_time);
      break;
    case PROP_FIRMWARE:
      g_value_set_uint (value, self->firmware);
      break;
    case PROP_REPORT_DAY:
      g_value_set_uint (value, self->report_day);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
lers_vkt7_simulator_set_property (GObject *object, guint prop_id, const GValue *value,
                                  GParamSpec *pspec)
{
  LersVkt7Simulator *self = LERS_VKT7_SIMULATOR (object);

  switch (prop_id)
    {
    case PROP_SERIAL_NUMBER:
      g_free (self->serial_number);
      self->serial_number = g_value_dup_string (value);
      break;
    case PROP_ADDRESS:
      self->address = g_value_get_uint (value);
      break;
    case PROP_SEED:
      self->seed = g_value_get_uint (value);
      break;
    case PROP_ANSWER_DELAY_MS:
      self->answer_delay_ms = g_value_get_uint (value);
      break;
    case PROP_CIRCUITS:
      self->circuits = g_value_get_uint (value);
      break;
    case PROP_CLOCK_TIME:
      self->clock_time = g_value_get_int64 (value);
      break;
    case PROP_MODEL:
      /* one model: an unknown name keeps the default */
      if (g_strcmp0 (g_value_get_string (value), "ВКТ-7") == 0)
        {
          g_free (self->model);
          self->model = g_value_dup_string (value);
        }
      break;
    case PROP_WAKE_UP:
      self->wake_up = g_value_get_boolean (value);
      break;
    case PROP_SCHEME_CHANGE_TIME:
      self->scheme_change_time = g_value_get_int64 (value);
      break;
    case PROP_FIRMWARE:
      self->firmware = g_value_get_uint (value);
      break;
    case PROP_REPORT_DAY:
      self->report_day = g_value_get_uint (value);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
lers_vkt7_simulator_finalize (GObject *object)
{
  LersVkt7Simulator *self = LERS_VKT7_SIMULATOR (object);

  g_free (self->serial_number);
  g_free (self->model);
  G_OBJECT_CLASS (lers_vkt7_simulator_parent_class)->finalize (object);
}

static void
lers_vkt7_simulator_class_init (LersVkt7SimulatorClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GParamFlags rwc = G_PARAM_READWRITE | G_PARAM_CONSTRUCT | G_PARAM_STATIC_STRINGS;

  object_class->get_property = lers_vkt7_simulator_get_property;
  object_class->set_property = lers_vkt7_simulator_set_property;
  object_class->finalize = lers_vkt7_simulator_finalize;

  props[PROP_SERIAL_NUMBER] = g_param_spec_string ("serial-number", NULL, NULL, "0000001", rwc);
  props[PROP_ADDRESS] = g_param_spec_uint ("address", NULL, NULL, 0, 240, 1, rwc);
  props[PROP_SEED] = g_param_spec_uint ("seed", NULL, NULL, 0, G_MAXUINT, 0, rwc);
  props[PROP_ANSWER_DELAY_MS] = g_param_spec_uint ("answer-delay-ms", NULL, NULL, 0, 60000, 0,
                                                   G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS);
  props[PROP_CIRCUITS] = g_param_spec_uint ("circuits", NULL, NULL, 1, 2, 2, rwc);
  props[PROP_CLOCK_TIME] = g_param_spec_int64 ("clock-time", NULL, NULL, 0, G_MAXINT64, 0,
                                               G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS);
  props[PROP_MODEL] = g_param_spec_string ("model", NULL, NULL, "ВКТ-7", rwc);
  /**
   * LersVkt7Simulator:wake-up:
   *
   * Whether the meter sleeps through a request not preceded by two FF
   * bytes, as one on RS-232 does (%FALSE: a built-in RS-485 adapter).
   */
  props[PROP_WAKE_UP] = g_param_spec_boolean ("wake-up", NULL, NULL, TRUE, rwc);
  /**
   * LersVkt7Simulator:scheme-change-time:
   *
   * With two heat inputs: before this Unix time the measurement scheme
   * had ТВ1 only (0: no change).
   */
  props[PROP_SCHEME_CHANGE_TIME]
      = g_param_spec_int64 ("scheme-change-time", NULL, NULL, 0, G_MAXINT64, 0, rwc);
  /**
   * LersVkt7Simulator:firmware:
   *
   * The firmware version in the service information (two tetrads:
   * 0x18 = 1.8). Before 1.9 the meter does not answer the clock read
   * (§4.14): error 2.
   */
  props[PROP_FIRMWARE] = g_param_spec_uint ("firmware", NULL, NULL, 0x15, 0x99, SIM_FIRMWARE, rwc);
  /**
   * LersVkt7Simulator:report-day:
   *
   * The report day ДО in the service information. The archives are
   * always made as with ДО = 1 (calendar months).
   */
  props[PROP_REPORT_DAY] = g_param_spec_uint ("report-day", NULL, NULL, 1, 31, 1, rwc);
  g_object_class_install_properties (object_class, N_PROPS, props);
}

static void
lers_vkt7_simulator_class_finalize (LersVkt7SimulatorClass *klass)
{
}

static void
lers_vkt7_simulator_init (LersVkt7Simulator *self)
{
}

void
lers_vkt7_simulator_register (GTypeModule *module)
{
  lers_vkt7_simulator_register_type (module);
}

LersVkt7Simulator *
lers_vkt7_simulator_new (const gchar *serial_number, guint address, guint seed)
{
  return g_object_new (LERS_TYPE_VKT7_SIMULATOR, "serial-number", serial_number, "address", address,
                       "seed", seed, NULL);
}
