/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * The simulated Pulsar-M device: it answers functions 0x01 (channels),
 * 0x04/0x05 (clock), 0x06 (archives) and 0x0A (parameters 0x0001, 0x0005,
 * 0x0006) as the vendor's protocol description says, error answers for the
 * rest, and stays silent on frames with a bad CRC or length or for another
 * address. Its data follow pulsar-simdata.c.
 */
#include "lers-pulsar-simulator.h"

#include <string.h>

#include "lers-pulsar-driver.h"
#include "pulsar-frame.h"
#include "pulsar-simdata.h"

struct _LersPulsarSimulator
{
  GObject parent_instance;

  gchar *serial_number;
  guint address;
  guint seed;
  guint answer_delay_ms;
  guint circuits;
  gint64 clock_time;
  gint64 clock_offset;
  gchar *clock_zone;
  gchar *model;
};

static void lers_pulsar_simulator_iface_init (LersDeviceSimulatorInterface *iface);

G_DEFINE_DYNAMIC_TYPE_EXTENDED (LersPulsarSimulator, lers_pulsar_simulator, G_TYPE_OBJECT,
                                G_TYPE_FLAG_FINAL,
                                G_IMPLEMENT_INTERFACE_DYNAMIC (LERS_TYPE_DEVICE_SIMULATOR,
                                                               lers_pulsar_simulator_iface_init))

enum
{
  PROP_0,
  PROP_SERIAL_NUMBER,
  PROP_ADDRESS,
  PROP_SEED,
  PROP_ANSWER_DELAY_MS,
  PROP_CIRCUITS,
  PROP_CLOCK_TIME,
  PROP_CLOCK_ZONE,
  PROP_MODEL,
  N_PROPS
};

static GParamSpec *props[N_PROPS];

static GTimeZone *
sim_zone (LersPulsarSimulator *self)
{
  GTimeZone *zone = NULL;

  if (self->clock_zone != NULL && *self->clock_zone != '\0')
    zone = lers_time_zone_new (self->clock_zone, NULL);
  /* unset or unknown: the local zone, as the mbus and ТВ7 simulators */
  return zone != NULL ? zone : g_time_zone_new_local ();
}

static gint64
sim_now (LersPulsarSimulator *self)
{
  gint64 t = self->clock_time != 0 ? self->clock_time : g_get_real_time () / G_USEC_PER_SEC;

  return t + self->clock_offset;
}

static guint
sim_channels (LersPulsarSimulator *self)
{
  guint n = pulsar_model_channels (self->model);

  return n > 0 ? n : 4;
}

static void
put_u32 (guint8 *p, guint32 v)
{
  p[0] = v & 0xFF;
  p[1] = (v >> 8) & 0xFF;
  p[2] = (v >> 16) & 0xFF;
  p[3] = v >> 24;
}

/* Пульсар-16РМ-М and 24М: float32 channel readings */
static gboolean
sim_radio (LersPulsarSimulator *self)
{
  return g_strcmp0 (self->model, "Pulsar-16RM-M") == 0
         || g_strcmp0 (self->model, "Pulsar-24M") == 0;
}

/* ---- answers ------------------------------------------------------------ */

static GBytes *
answer_error (LersPulsarSimulator *self, const PulsarFrame *req, guint8 code)
{
  return pulsar_frame_build (self->address, PULSAR_FN_ERROR, &code, 1, req->id);
}

static GBytes *
answer_channels (LersPulsarSimulator *self, const PulsarFrame *req)
{
  guint8 out[PULSAR_PAYLOAD_MAX];
  gsize n = 0;
  guint32 mask;
  guint channels = sim_channels (self);

  if (req->payload_len != 4)
    return answer_error (self, req, 0x03);
  mask = (guint32) req->payload[0] | ((guint32) req->payload[1] << 8)
         | ((guint32) req->payload[2] << 16) | ((guint32) req->payload[3] << 24);
  if (mask == 0 || (channels < 32 && (mask >> channels) != 0))
    return answer_error (self, req, 0x02);
  for (guint c = 1; c <= channels; c++)
    {
      gdouble v;
      guint64 bits;

      if ((mask & (1u << (c - 1))) == 0)
        continue;
      v = pulsar_sim_reading (self->seed, c, sim_now (self));
      if (sim_radio (self))
        {
          /* the radio models answer float32 */
          put_u32 (out + n, pulsar_float_to_bits ((gfloat) v));
          n += 4;
          continue;
        }
      memcpy (&bits, &v, sizeof bits);
      for (guint i = 0; i < 8; i++)
        out[n++] = (guint8) (bits >> (8 * i));
    }
  return pulsar_frame_build (self->address, PULSAR_FN_READ_CHANNELS, out, n, req->id);
}

static GBytes *
answer_clock (LersPulsarSimulator *self, const PulsarFrame *req)
{
  g_autoptr (GTimeZone) zone = sim_zone (self);
  g_autoptr (GDateTime) utc = g_date_time_new_from_unix_utc (sim_now (self));
  g_autoptr (GDateTime) local = g_date_time_to_timezone (utc, zone);
  PulsarTime t;
  guint8 p[6];

  if (req->payload_len != 0)
    return answer_error (self, req, 0x03);
  pulsar_time_from_date_time (local, &t);
  pulsar_time_put (p, &t);
  return pulsar_frame_build (self->address, PULSAR_FN_READ_CLOCK, p, sizeof p, req->id);
}

static GBytes *
answer_set_clock (LersPulsarSimulator *self, const PulsarFrame *req)
{
  g_autoptr (GTimeZone) zone = sim_zone (self);
  g_autoptr (GDateTime) t = NULL;
  guint8 status[4] = { 0, 0, 0, 0 };
  PulsarTime pt;

  if (req->payload_len != 6)
    return answer_error (self, req, 0x03);
  if (pulsar_time_get (req->payload, &pt, NULL))
    t = pulsar_time_to_date_time (&pt, zone);
  if (t != NULL)
    {
      gint64 base = self->clock_time != 0 ? self->clock_time : g_get_real_time () / G_USEC_PER_SEC;
      self->clock_offset = g_date_time_to_unix (t) - base;
      status[0] = 1;
    }
  return pulsar_frame_build (self->address, PULSAR_FN_WRITE_CLOCK, status, sizeof status, req->id);
}

/* the slot at or before @t of archive @type, in @zone */
static GDateTime *
slot_floor (GDateTime *t, guint type)
{
  GTimeZone *zone = (GTimeZone *) g_date_time_get_timezone (t);
  gint y = g_date_time_get_year (t), m = g_date_time_get_month (t);
  gint d = g_date_time_get_day_of_month (t), h = g_date_time_get_hour (t);

  switch (type)
    {
    case PULSAR_ARCHIVE_HOUR:
      return g_date_time_new (zone, y, m, d, h, 0, 0);
    case PULSAR_ARCHIVE_DAY:
      return g_date_time_new (zone, y, m, d, 0, 0, 0);
    default:
      return g_date_time_new (zone, y, m, 1, 0, 0, 0);
    }
}

static GDateTime *
slot_next (GDateTime *t, guint type)
{
  switch (type)
    {
    case PULSAR_ARCHIVE_HOUR:
      return g_date_time_add_hours (t, 1);
    case PULSAR_ARCHIVE_DAY:
      return g_date_time_add_days (t, 1);
    default:
      return g_date_time_add_months (t, 1);
    }
}

static GBytes *
answer_archive (LersPulsarSimulator *self, const PulsarFrame *req)
{
  g_autoptr (GTimeZone) zone = sim_zone (self);
  g_autoptr (GDateTime) start = NULL;
  g_autoptr (GDateTime) end = NULL;
  g_autoptr (GDateTime) oldest = NULL;
  g_autoptr (GDateTime) now_local = NULL;
  g_autoptr (GDateTime) now_utc = NULL;
  g_autoptr (GDateTime) last = NULL;
  guint8 out[PULSAR_PAYLOAD_MAX];
  gsize n = 10;
  guint32 mask;
  guint type, channel = 0, count = 0;
  PulsarTime ts, te;
  gint64 now = sim_now (self);

  if (req->payload_len != 18)
    return answer_error (self, req, 0x03);
  mask = (guint32) req->payload[0] | ((guint32) req->payload[1] << 8)
         | ((guint32) req->payload[2] << 16) | ((guint32) req->payload[3] << 24);
  for (guint c = 1; c <= 32; c++)
    if (mask == 1u << (c - 1))
      channel = c;
  if (channel == 0 || channel > sim_channels (self))
    return answer_error (self, req, 0x02);
  type = req->payload[4] | (req->payload[5] << 8);
  if (type < PULSAR_ARCHIVE_HOUR || type > PULSAR_ARCHIVE_MONTH)
    return answer_error (self, req, 0x07);
  if (!pulsar_time_get (req->payload + 6, &ts, NULL)
      || !pulsar_time_get (req->payload + 12, &te, NULL))
    return answer_error (self, req, 0x06);
  {
    g_autoptr (GDateTime) s = pulsar_time_to_date_time (&ts, zone);
    g_autoptr (GDateTime) e = pulsar_time_to_date_time (&te, zone);
    if (s == NULL || e == NULL || g_date_time_compare (e, s) < 0)
      return answer_error (self, req, 0x06);
    start = slot_floor (s, type);
    end = g_date_time_ref (e);
  }
  now_utc = g_date_time_new_from_unix_utc (now);
  now_local = g_date_time_to_timezone (now_utc, zone);
  last = slot_floor (now_local, type);
  switch (type)
    {
    case PULSAR_ARCHIVE_HOUR:
      oldest = g_date_time_add_hours (last, -(PULSAR_SIM_HOUR_DEPTH - 1));
      break;
    case PULSAR_ARCHIVE_DAY:
      oldest = g_date_time_add_days (last, -(PULSAR_SIM_DAY_DEPTH - 1));
      break;
    default:
      oldest = g_date_time_add_months (last, -(PULSAR_SIM_MONTH_DEPTH - 1));
    }
  put_u32 (out, mask);
  pulsar_time_from_date_time (start, &ts);
  pulsar_time_put (out + 4, &ts);
  for (g_autoptr (GDateTime) t = g_date_time_ref (start);
       g_date_time_compare (t, end) <= 0 && g_date_time_compare (t, last) <= 0;)
    {
      gint64 unix_time = g_date_time_to_unix (t);
      guint32 bits;
      GDateTime *next;

      if (++count > PULSAR_ARCHIVE_MAX_RECORDS)
        return answer_error (self, req, 0x08);
      if (g_date_time_compare (t, oldest) < 0)
        bits = PULSAR_NO_DATA;
      else if (type == PULSAR_ARCHIVE_HOUR && pulsar_sim_no_power (self->seed, now, unix_time))
        bits = PULSAR_NO_POWER;
      else
        bits = pulsar_float_to_bits ((gfloat) pulsar_sim_reading (self->seed, channel, unix_time));
      put_u32 (out + n, bits);
      n += 4;
      next = slot_next (t, type);
      g_date_time_unref (t);
      t = next;
    }
  return pulsar_frame_build (self->address, PULSAR_FN_READ_ARCHIVE, out, n, req->id);
}

static GBytes *
answer_parameter (LersPulsarSimulator *self, const PulsarFrame *req)
{
  guint8 value[8] = { 0 };
  guint index;

  if (req->payload_len != 2)
    return answer_error (self, req, 0x03);
  index = req->payload[0] | (req->payload[1] << 8);
  switch (index)
    {
    case 0x0001: /* automatic summer time: off */
      break;
    case 0x0005: /* firmware version */
      value[0] = 0x02;
      value[1] = 0x01;
      break;
    case PULSAR_PARAM_DIAGNOSTICS:
      value[0] = pulsar_sim_diagnostics (self->seed);
      break;
    default:
      return answer_error (self, req, 0x04);
    }
  return pulsar_frame_build (self->address, PULSAR_FN_READ_PARAMETER, value, sizeof value, req->id);
}

/* the answer to one well-formed frame, or NULL for silence */
static GBytes *
sim_answer (LersPulsarSimulator *self, const guint8 *data, gsize len)
{
  PulsarFrame req;

  if (!pulsar_frame_parse (data, len, &req, NULL))
    return NULL;
  if (req.address != self->address && req.address != 0)
    return NULL;
  switch (req.function)
    {
    case PULSAR_FN_READ_CHANNELS:
      return answer_channels (self, &req);
    case PULSAR_FN_READ_CLOCK:
      return answer_clock (self, &req);
    case PULSAR_FN_WRITE_CLOCK:
      return answer_set_clock (self, &req);
    case PULSAR_FN_READ_ARCHIVE:
      return answer_archive (self, &req);
    case PULSAR_FN_READ_PARAMETER:
      return answer_parameter (self, &req);
    default:
      return answer_error (self, &req, 0x01);
    }
}

/* ---- serving a stream -------------------------------------------------- */

static GBytes *
serve_answer (gpointer user_data, const guint8 *frame, gsize len, guint *delay_ms)
{
  LersPulsarSimulator *self = user_data;

  *delay_ms = self->answer_delay_ms;
  return sim_answer (self, frame, len);
}

static void
lers_pulsar_simulator_serve_async (LersDeviceSimulator *simulator, GIOStream *stream,
                                   GCancellable *cancellable, GAsyncReadyCallback callback,
                                   gpointer user_data)
{
  g_autoptr (LersFrameServer) server
      = lers_frame_server_new (stream, pulsar_frame_scan, simulator, NULL, serve_answer,
                               g_object_ref (simulator), g_object_unref);

  lers_frame_server_serve_async (server, simulator, lers_pulsar_simulator_serve_async, cancellable,
                                 callback, user_data);
}

static gboolean
lers_pulsar_simulator_serve_finish (LersDeviceSimulator *simulator, GAsyncResult *result,
                                    GError **error)
{
  g_return_val_if_fail (g_task_is_valid (result, simulator), FALSE);
  return g_task_propagate_boolean (G_TASK (result), error);
}

static const gchar *
lers_pulsar_simulator_get_protocol (LersDeviceSimulator *simulator)
{
  return "pulsar";
}

static void
lers_pulsar_simulator_iface_init (LersDeviceSimulatorInterface *iface)
{
  iface->get_protocol = lers_pulsar_simulator_get_protocol;
  iface->serve_async = lers_pulsar_simulator_serve_async;
  iface->serve_finish = lers_pulsar_simulator_serve_finish;
}

/* ---- GObject ----------------------------------------------------------- */

static void
lers_pulsar_simulator_get_property (GObject *object, guint prop_id, GValue *value,
                                    GParamSpec *pspec)
{
  LersPulsarSimulator *self = LERS_PULSAR_SIMULATOR (object);

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
    case PROP_CLOCK_ZONE:
      g_value_set_string (value, self->clock_zone);
      break;
    case PROP_MODEL:
      g_value_set_string (value, self->model);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
lers_pulsar_simulator_set_property (GObject *object, guint prop_id, const GValue *value,
                                    GParamSpec *pspec)
{
  LersPulsarSimulator *self = LERS_PULSAR_SIMULATOR (object);

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
      self->clock_offset = 0;
      break;
    case PROP_CLOCK_ZONE:
      g_free (self->clock_zone);
      self->clock_zone = g_value_dup_string (value);
      break;
    case PROP_MODEL:
      {
        const gchar *m = g_value_get_string (value);
        /* an unknown name keeps the model we have */
        if (m != NULL && pulsar_model_channels (m) > 0)
          {
            g_free (self->model);
            self->model = g_strdup (m);
          }
        break;
      }
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
lers_pulsar_simulator_finalize (GObject *object)
{
  LersPulsarSimulator *self = LERS_PULSAR_SIMULATOR (object);

  g_free (self->serial_number);
  g_free (self->clock_zone);
  g_free (self->model);
  G_OBJECT_CLASS (lers_pulsar_simulator_parent_class)->finalize (object);
}

static void
lers_pulsar_simulator_class_init (LersPulsarSimulatorClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  const GParamFlags rwc = G_PARAM_READWRITE | G_PARAM_CONSTRUCT | G_PARAM_STATIC_STRINGS;
  const GParamFlags rw = G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS;

  object_class->get_property = lers_pulsar_simulator_get_property;
  object_class->set_property = lers_pulsar_simulator_set_property;
  object_class->finalize = lers_pulsar_simulator_finalize;

  /* the factory number; informational (the protocol has no read for it) */
  props[PROP_SERIAL_NUMBER] = g_param_spec_string ("serial-number", NULL, NULL, "12345678", rwc);
  /* the network address the device answers to, 1 to 99999999 (and the
   * broadcast address 0) */
  props[PROP_ADDRESS] = g_param_spec_uint ("address", NULL, NULL, 0, 99999999, 1, rwc);
  props[PROP_SEED] = g_param_spec_uint ("seed", NULL, NULL, 0, G_MAXUINT, 0, rwc);
  props[PROP_ANSWER_DELAY_MS] = g_param_spec_uint ("answer-delay-ms", NULL, NULL, 0, 60000, 0, rw);
  /* no heat inputs on a pulse counter: kept for lers-sim, unused */
  props[PROP_CIRCUITS] = g_param_spec_uint ("circuits", NULL, NULL, 1, 2, 1, rwc);
  /* a fixed clock, seconds since 1970 UTC; 0 for the real time */
  props[PROP_CLOCK_TIME] = g_param_spec_int64 ("clock-time", NULL, NULL, 0, G_MAXINT64, 0, rw);
  /* the IANA zone of the device's clock; the local zone when unset */
  props[PROP_CLOCK_ZONE] = g_param_spec_string ("clock-zone", NULL, NULL, NULL, rw);
  /* Pulsar-2M … Pulsar-24M: the number of channels */
  props[PROP_MODEL] = g_param_spec_string ("model", NULL, NULL, "Pulsar-4M", rw);
  g_object_class_install_properties (object_class, N_PROPS, props);
}

static void
lers_pulsar_simulator_class_finalize (LersPulsarSimulatorClass *klass)
{
}

static void
lers_pulsar_simulator_init (LersPulsarSimulator *self)
{
  self->model = g_strdup ("Pulsar-4M");
  self->circuits = 1;
}

void
lers_pulsar_simulator_register (GTypeModule *module)
{
  lers_pulsar_simulator_register_type (module);
}

LersPulsarSimulator *
lers_pulsar_simulator_new (const gchar *serial_number, guint address, guint seed)
{
  return g_object_new (LERS_TYPE_PULSAR_SIMULATOR, "serial-number", serial_number, "address",
                       address, "seed", seed, NULL);
}
