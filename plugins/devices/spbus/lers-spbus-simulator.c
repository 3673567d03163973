/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * The simulated СПТ961: it answers function 0x1D (read a parameter) and
 * 0x0E (read a time array) in the form of the real answers GMIO's tests
 * hold (FF FF first, DAD = the request's SAD, SAD = its own address, a
 * value answer's parameter as three digits, an array answer's as sent),
 * and stays silent on a bad CRC, another address, another function or a
 * parameter it does not have (what a real device does then is not known).
 */
#include "lers-spbus-simulator.h"

#include <string.h>

#include "spbus-frame.h"
#include "spbus-params.h"
#include "spbus-simdata.h"

#define HOUR_DEPTH (64 * 24)
#define DAY_DEPTH 400

struct _LersSpbusSimulator
{
  GObject parent_instance;

  gchar *serial_number;
  guint address;
  guint seed;
  guint answer_delay_ms;
  guint circuits;
  gint64 clock_time;
  gchar *clock_zone;
  gchar *model;
};

static void lers_spbus_simulator_iface_init (LersDeviceSimulatorInterface *iface);

G_DEFINE_DYNAMIC_TYPE_EXTENDED (LersSpbusSimulator, lers_spbus_simulator, G_TYPE_OBJECT,
                                G_TYPE_FLAG_FINAL,
                                G_IMPLEMENT_INTERFACE_DYNAMIC (LERS_TYPE_DEVICE_SIMULATOR,
                                                               lers_spbus_simulator_iface_init))

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

/* the units as the device sends them, CP866 */
#define UNITS_C "'C"
#define UNITS_KGF                                                                                  \
  "\xAA\xA3\xE1/c\xAC"                                                                             \
  "2"                        /* кгс/cм2, Latin c as captured */
#define UNITS_TH "\xE2/\xE7" /* т/ч */
#define UNITS_M3H                                                                                  \
  "\xAC"                                                                                           \
  "3/\xE7"             /* м3/ч */
#define UNITS_T "\xE2" /* т */
#define UNITS_M3                                                                                   \
  "\xAC"                                                                                           \
  "3" /* м3 */

typedef enum
{
  Q_T,
  Q_P,
  Q_GM,
  Q_GV,
  Q_M,
  Q_V,
  Q_CONST_20, /* channel 0: 063 and its archives, 20 °C in GMIO's captures */
  Q_CONST_0,  /* channel 0: 065 and its archives, 0 °C */
} Quantity;

typedef enum
{
  A_CURRENT,
  A_HOUR,
  A_DAY,
} Archive;

/* what a channel and parameter number hold; FALSE if nothing */
static gboolean
lookup (guint chn, guint prm, Quantity *q, Archive *a)
{
  static const struct
  {
    guint prm;
    Quantity q;
    Archive a;
  } pipe[] = {
    { 156, Q_T, A_CURRENT },  { 200, Q_T, A_HOUR },     { 201, Q_T, A_DAY },
    { 155, Q_P, A_CURRENT },  { 205, Q_P, A_HOUR },     { 206, Q_P, A_DAY },
    { 157, Q_GM, A_CURRENT }, { 210, Q_GM, A_HOUR },    { 211, Q_GM, A_DAY },
    { 171, Q_GV, A_CURRENT }, { 220, Q_GV, A_HOUR },    { 221, Q_GV, A_DAY },
    { 160, Q_M, A_CURRENT },  { 163, Q_V, A_CURRENT },
  },
    common[] = {
      { 63, Q_CONST_20, A_CURRENT }, { 82, Q_CONST_20, A_HOUR }, { 83, Q_CONST_20, A_DAY },
      { 65, Q_CONST_0, A_CURRENT },  { 71, Q_CONST_0, A_HOUR },  { 72, Q_CONST_0, A_DAY },
    };

  if (chn == 0)
    {
      for (guint i = 0; i < G_N_ELEMENTS (common); i++)
        if (common[i].prm == prm)
          {
            *q = common[i].q;
            *a = common[i].a;
            return TRUE;
          }
      return FALSE;
    }
  for (guint i = 0; i < G_N_ELEMENTS (pipe); i++)
    if (pipe[i].prm == prm)
      {
        *q = pipe[i].q;
        *a = pipe[i].a;
        return TRUE;
      }
  return FALSE;
}

static const gchar *
units (Quantity q)
{
  switch (q)
    {
    case Q_P:
      return UNITS_KGF;
    case Q_GM:
      return UNITS_TH;
    case Q_GV:
      return UNITS_M3H;
    case Q_M:
      return UNITS_T;
    case Q_V:
      return UNITS_M3;
    default:
      return UNITS_C;
    }
}

/* the hour k's value (instantaneous quantities) */
static gdouble
hour_value (LersSpbusSimulator *self, Quantity q, guint pipe, gint64 k)
{
  switch (q)
    {
    case Q_T:
      return spbus_sim_t (self->seed, pipe, k);
    case Q_P:
      return spbus_sim_p (pipe, k);
    case Q_GM:
      return spbus_sim_gm (pipe, k);
    case Q_GV:
      return spbus_sim_gv (pipe, k);
    case Q_CONST_20:
      return 20;
    default:
      return 0;
    }
}

static gint64
sim_now (LersSpbusSimulator *self)
{
  return self->clock_time != 0 ? self->clock_time : g_get_real_time () / G_USEC_PER_SEC;
}

static GTimeZone *
sim_zone (LersSpbusSimulator *self)
{
  GTimeZone *zone = NULL;

  if (self->clock_zone != NULL && *self->clock_zone != '\0')
    zone = lers_time_zone_new (self->clock_zone, NULL);
  return zone != NULL ? zone : g_time_zone_new_utc ();
}

static void
put_value (GString *s, gdouble v)
{
  gchar buf[G_ASCII_DTOSTR_BUF_SIZE];

  g_string_append_c (s, SPBUS_HT);
  g_string_append (s, g_ascii_formatd (buf, sizeof buf, "%.10g", v));
}

static GBytes *
reply (LersSpbusSimulator *self, const SpbusFrame *req, guint8 fnc, GString *s)
{
  GBytes *b = spbus_frame_build (req->sad, (guint8) self->address, fnc, (const guint8 *) s->str,
                                 s->len, TRUE);

  g_string_free (s, TRUE);
  return b;
}

static GBytes *
answer_param (LersSpbusSimulator *self, const SpbusFrame *req, guint chn, guint prm)
{
  gint64 now = sim_now (self);
  gint64 k = now / 3600;
  gdouble frac = (gdouble) (now - k * 3600) / 3600.0;
  GString *s = g_string_new (NULL);
  Quantity q;
  Archive a;
  gdouble v;

  if (chn == 0 && (prm == 99 || prm == 24))
    {
      /* [I] 099: the model's designation from its first digit ("961",
       * "761.1"); 024: the report hour, 0 */
      const gchar *m = self->model;

      while (*m != '\0' && !g_ascii_isdigit (*m))
        m++;
      g_string_append_printf (s, "\t0\t%03u\f\t%s\f", prm, prm == 99 ? m : "0");
      return reply (self, req, SPBUS_FNC_VALUE, s);
    }
  if (!lookup (chn, prm, &q, &a) || a != A_CURRENT)
    {
      g_string_free (s, TRUE);
      return NULL;
    }
  if (q == Q_M)
    v = spbus_sim_mass (chn, k) + spbus_sim_gm (chn, k) * frac;
  else if (q == Q_V)
    v = 1.02 * (spbus_sim_mass (chn, k) + spbus_sim_gm (chn, k) * frac);
  else
    v = hour_value (self, q, chn, k);
  g_string_append_printf (s, "\t%u\t%03u\f", chn, prm);
  put_value (s, v);
  g_string_append_printf (s, "\t%s\f", units (q));
  return reply (self, req, SPBUS_FNC_VALUE, s);
}

static gboolean
group_time (GPtrArray *g, SpbusTime *t)
{
  guint v[6];

  if (g->len != 6)
    return FALSE;
  for (guint i = 0; i < 6; i++)
    if (!spbus_item_uint (g_ptr_array_index (g, i), &v[i]))
      return FALSE;
  t->day = v[0];
  t->month = v[1];
  t->year = v[2];
  t->hour = v[3];
  t->minute = v[4];
  t->second = v[5];
  return TRUE;
}

static GDateTime *
to_date_time (const SpbusTime *t, GTimeZone *zone)
{
  if (t->month < 1 || t->month > 12 || t->day < 1 || t->day > 31 || t->hour > 23 || t->minute > 59
      || t->second > 59 || t->year < 1995 || t->year > 2094)
    return NULL;
  return g_date_time_new (zone, (gint) t->year, (gint) t->month, (gint) t->day, (gint) t->hour,
                          (gint) t->minute, t->second);
}

static GBytes *
answer_array (LersSpbusSimulator *self, const SpbusFrame *req, GPtrArray *groups, guint chn,
              guint prm)
{
  g_autoptr (GTimeZone) zone = sim_zone (self);
  g_autoptr (GDateTime) from = NULL;
  g_autoptr (GDateTime) to = NULL;
  g_autoptr (GDateTime) e = NULL;
  gint64 now = sim_now (self);
  SpbusTime tt, tf;
  GString *s;
  Quantity q;
  Archive a;
  guint n = 0;

  if (!lookup (chn, prm, &q, &a) || a == A_CURRENT || groups->len != 3
      || !group_time (g_ptr_array_index (groups, 1), &tt)
      || !group_time (g_ptr_array_index (groups, 2), &tf) || (to = to_date_time (&tt, zone)) == NULL
      || (from = to_date_time (&tf, zone)) == NULL)
    return NULL;
  s = g_string_new (NULL);
  g_string_append_printf (s, "\t%u\t%u\f", chn, prm);
  g_string_append_printf (s, "\t%u\t%u\t%u\t%u\t%u\t%u\f", tt.day, tt.month, tt.year, tt.hour,
                          tt.minute, tt.second);
  g_string_append_printf (s, "\t%u\t%u\t%u\t%u\t%u\t%u\f", tf.day, tf.month, tf.year, tf.hour,
                          tf.minute, tf.second);
  /* the newest stamp at or before @to: an hour's or a day's (00:00) end */
  if (a == A_HOUR)
    e = g_date_time_new (zone, g_date_time_get_year (to), g_date_time_get_month (to),
                         g_date_time_get_day_of_month (to), g_date_time_get_hour (to), 0, 0);
  else
    e = g_date_time_new (zone, g_date_time_get_year (to), g_date_time_get_month (to),
                         g_date_time_get_day_of_month (to), 0, 0, 0);
  while (e != NULL && g_date_time_compare (e, from) >= 0 && n < 2000)
    {
      gint64 end = g_date_time_to_unix (e);
      GDateTime *prev = a == A_HOUR ? g_date_time_add_hours (e, -1) : g_date_time_add_days (e, -1);
      gint64 start = g_date_time_to_unix (prev);
      gboolean kept
          = end <= now && end > now - (gint64) (a == A_HOUR ? HOUR_DEPTH : DAY_DEPTH * 24) * 3600;

      if (kept)
        {
          gdouble sum = 0;
          guint hours = 0;
          for (gint64 t = start; t < end; t += 3600, hours++)
            sum += hour_value (self, q, chn, t / 3600);
          put_value (s, sum / MAX (hours, 1));
          g_string_append_printf (s, "\t%s\t%2d-%02d-%02d/%2d:%02d:%02d\f", units (q),
                                  g_date_time_get_day_of_month (e), g_date_time_get_month (e),
                                  g_date_time_get_year (e) % 100, g_date_time_get_hour (e),
                                  g_date_time_get_minute (e), g_date_time_get_second (e));
          n++;
        }
      g_date_time_unref (e);
      e = prev;
    }
  return reply (self, req, SPBUS_FNC_ARRAY, s);
}

/**
 * lers_spbus_simulator_answer:
 * @self: the simulator
 * @data: (array length=len): one request frame
 * @len: its length
 *
 * Returns: (transfer full) (nullable): the answer, NULL for silence
 */
GBytes *
lers_spbus_simulator_answer (LersSpbusSimulator *self, const guint8 *data, gsize len)
{
  g_autoptr (GPtrArray) groups = NULL;
  SpbusFrame req;
  guint chn = 0, prm = 0;
  GPtrArray *g;

  if (!spbus_frame_parse (data, len, &req, NULL) || (req.dad & 0x7F) != self->address)
    return NULL;
  groups = spbus_data_split (req.data, req.data_len, NULL);
  if (groups == NULL || groups->len < 1)
    return NULL;
  g = g_ptr_array_index (groups, 0);
  if (g->len != 2 || !spbus_item_uint (g_ptr_array_index (g, 0), &chn)
      || !spbus_item_uint (g_ptr_array_index (g, 1), &prm) || chn > 2 * self->circuits)
    return NULL;
  switch (req.fnc)
    {
    case SPBUS_FNC_READ_PARAM:
      return groups->len == 1 ? answer_param (self, &req, chn, prm) : NULL;
    case SPBUS_FNC_READ_ARRAY:
      return answer_array (self, &req, groups, chn, prm);
    default:
      return NULL;
    }
}

/* ---- serving a stream --------------------------------------------------- */

static GBytes *
serve_answer (gpointer user_data, const guint8 *frame, gsize len, guint *delay_ms)
{
  LersSpbusSimulator *self = user_data;

  *delay_ms = self->answer_delay_ms;
  return lers_spbus_simulator_answer (self, frame, len);
}

static void
lers_spbus_simulator_serve_async (LersDeviceSimulator *simulator, GIOStream *stream,
                                  GCancellable *cancellable, GAsyncReadyCallback callback,
                                  gpointer user_data)
{
  g_autoptr (LersFrameServer) server
      = lers_frame_server_new (stream, spbus_frame_scan, simulator, NULL, serve_answer,
                               g_object_ref (simulator), g_object_unref);

  lers_frame_server_serve_async (server, simulator, lers_spbus_simulator_serve_async, cancellable,
                                 callback, user_data);
}

static gboolean
lers_spbus_simulator_serve_finish (LersDeviceSimulator *simulator, GAsyncResult *result,
                                   GError **error)
{
  g_return_val_if_fail (g_task_is_valid (result, simulator), FALSE);
  return g_task_propagate_boolean (G_TASK (result), error);
}

static const gchar *
lers_spbus_simulator_get_protocol (LersDeviceSimulator *simulator)
{
  return "spbus";
}

static void
lers_spbus_simulator_iface_init (LersDeviceSimulatorInterface *iface)
{
  iface->get_protocol = lers_spbus_simulator_get_protocol;
  iface->serve_async = lers_spbus_simulator_serve_async;
  iface->serve_finish = lers_spbus_simulator_serve_finish;
}

/* ---- GObject ------------------------------------------------------------ */

static void
lers_spbus_simulator_get_property (GObject *object, guint prop_id, GValue *value, GParamSpec *pspec)
{
  LersSpbusSimulator *self = LERS_SPBUS_SIMULATOR (object);

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
lers_spbus_simulator_set_property (GObject *object, guint prop_id, const GValue *value,
                                   GParamSpec *pspec)
{
  LersSpbusSimulator *self = LERS_SPBUS_SIMULATOR (object);

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
    case PROP_CLOCK_ZONE:
      g_free (self->clock_zone);
      self->clock_zone = g_value_dup_string (value);
      break;
    case PROP_MODEL:
      {
        const gchar *m = g_value_get_string (value);
        /* an unknown name keeps the model we have */
        if (spbus_model_known (m))
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
lers_spbus_simulator_finalize (GObject *object)
{
  LersSpbusSimulator *self = LERS_SPBUS_SIMULATOR (object);

  g_free (self->serial_number);
  g_free (self->clock_zone);
  g_free (self->model);
  G_OBJECT_CLASS (lers_spbus_simulator_parent_class)->finalize (object);
}

static void
lers_spbus_simulator_class_init (LersSpbusSimulatorClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  const GParamFlags rwc = G_PARAM_READWRITE | G_PARAM_CONSTRUCT | G_PARAM_STATIC_STRINGS;
  const GParamFlags rw = G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS;

  object_class->get_property = lers_spbus_simulator_get_property;
  object_class->set_property = lers_spbus_simulator_set_property;
  object_class->finalize = lers_spbus_simulator_finalize;

  /* informational: no parameter for it is established */
  props[PROP_SERIAL_NUMBER] = g_param_spec_string ("serial-number", NULL, NULL, "12345", rwc);
  /* the СПСеть address the device answers to */
  props[PROP_ADDRESS] = g_param_spec_uint ("address", NULL, NULL, 0, SPBUS_ADDRESS_MAX, 0, rwc);
  /* T1 and T2 shift by seed mod 5 and seed mod 3 */
  props[PROP_SEED] = g_param_spec_uint ("seed", NULL, NULL, 0, G_MAXUINT, 0, rwc);
  props[PROP_ANSWER_DELAY_MS] = g_param_spec_uint ("answer-delay-ms", NULL, NULL, 0, 60000, 0, rw);
  /* heat inputs, each a supply and a return pipeline: 1 serves
   * pipelines 1 and 2, 2 serves 1 to 4 */
  props[PROP_CIRCUITS] = g_param_spec_uint ("circuits", NULL, NULL, 1, 2, 1, rwc);
  /* a fixed clock, seconds since 1970 UTC; 0 for the real time */
  props[PROP_CLOCK_TIME] = g_param_spec_int64 ("clock-time", NULL, NULL, 0, G_MAXINT64, 0, rw);
  /* the IANA zone of the device's clock; UTC when unset */
  props[PROP_CLOCK_ZONE] = g_param_spec_string ("clock-zone", NULL, NULL, NULL, rw);
  props[PROP_MODEL] = g_param_spec_string ("model", NULL, NULL, "СПТ961", rw);
  g_object_class_install_properties (object_class, N_PROPS, props);
}

static void
lers_spbus_simulator_class_finalize (LersSpbusSimulatorClass *klass)
{
}

static void
lers_spbus_simulator_init (LersSpbusSimulator *self)
{
  self->model = g_strdup ("СПТ961");
  self->circuits = 1;
}

void
lers_spbus_simulator_register (GTypeModule *module)
{
  lers_spbus_simulator_register_type (module);
}

LersSpbusSimulator *
lers_spbus_simulator_new (const gchar *serial_number, guint address, guint seed)
{
  return g_object_new (LERS_TYPE_SPBUS_SIMULATOR, "serial-number", serial_number, "address",
                       address, "seed", seed, NULL);
}
