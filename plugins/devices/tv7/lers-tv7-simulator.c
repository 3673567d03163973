/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * The simulated ТВ7. Data model (README.md "Simulator" gives the same):
 * for heat input c (0, 1) and the hour that starts at UTC hour index H
 * (Unix seconds / 3600), with k = seed % 5:
 *
 *   t1 = 70 + 0.5·(H mod 24) + 5c °C      t2 = 45 + 0.5·(H mod 12) − 2c °C
 *   M1 = 2.0 + 0.1k + 0.5c t              M2 = M1 − 0.02 t
 *   V1 = 1.02·M1 m³                       V2 = 1.01·M2 m³
 *   P1 = 0.6, P2 = 0.4, Px = 0.3 MPa; tнв = −5, tx = 5 °C; pipe 3 zeros
 *   dt = t1 − t2, dM = M1 − M2, Qтв = Q12 = M1·dt/1000 Gcal, Qг = 0
 *   ВНР = 60, ВОС = 0 minutes
 *
 * НС: on heat input 0, the hours 10, 11 and 12 (clock time) of the day
 * 2 + seed % 20 days before the clock's day: V, M, dM, Q = 0, ВНР = 0,
 * ВОС = 60.
 *
 * Day and month records: sums of the hours (V, M, dM, Q, ВНР, ВОС) and
 * arithmetic means (t, P, dt, tнв, tx, Px) over the period's hours, days
 * starting 00:00 and months on the 1st at the clock. The hour archive
 * holds 64 days ending with the last complete hour, the day archive 400
 * days, the month archive 48 months; other periods and periods not yet
 * complete answer C8 02.
 *
 * Totals: V1 = 1000 + seed % 1000 + 100c, M1 = V1 at 2024-01-01T00:00Z,
 * V2 = M2 = 0.9 of that, Qтв = 500 + seed % 100; plus the increments of
 * every whole hour from then to the start of the current hour. ВНР =
 * those hours (less the НС hours), ВОС = the НС hours, other counters 0.
 *
 * With circuits = 1, every value of heat input 1 is NaN.
 */
#include <math.h>
#include <string.h>

#include "lers-tv7-simulator.h"

#include "tv7-frame.h"

#define SIM_HOUR_DEPTH (64 * 24)
#define SIM_DAY_DEPTH 400
#define SIM_MONTH_DEPTH 48
#define SIM_ORIGIN G_GINT64_CONSTANT (1704067200) /* 2024-01-01T00:00Z */

struct _LersTv7Simulator
{
  GObject parent_instance;

  gchar *serial_number;
  guint address;
  guint seed;
  guint answer_delay_ms;
  guint circuits;
  gint64 clock_time;
  gchar *model;
  gchar *clock_zone;
  /* the archive record the last request chose */
  gboolean selected;
  Tv7ArchiveType sel_type;
  guint sel_month, sel_day, sel_hour, sel_year;
};

static void lers_tv7_simulator_iface_init (LersDeviceSimulatorInterface *iface);

G_DEFINE_DYNAMIC_TYPE_EXTENDED (LersTv7Simulator, lers_tv7_simulator, G_TYPE_OBJECT,
                                G_TYPE_FLAG_FINAL,
                                G_IMPLEMENT_INTERFACE_DYNAMIC (LERS_TYPE_DEVICE_SIMULATOR,
                                                               lers_tv7_simulator_iface_init))

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
  PROP_CLOCK_ZONE,
  N_PROPS
};

static GParamSpec *props[N_PROPS];

static const gchar *const sim_models[]
    = { "TV7-01", "TV7-02", "TV7-03", "TV7-04", "TV7-04.1", NULL };

/* ---- the data model --------------------------------------------------------- */

typedef struct
{
  gdouble t[3], p[3], v[3], m[3];
  gdouble t_outdoor, t_cw, p_cw, dt, dm, q;
  guint vnr, vos;
} SimHour;

static GTimeZone *
sim_zone (LersTv7Simulator *self)
{
  GTimeZone *zone = NULL;

  if (self->clock_zone != NULL && self->clock_zone[0] != '\0')
    zone = lers_time_zone_new (self->clock_zone, NULL);
  return zone != NULL ? zone : g_time_zone_new_local ();
}

static gint64
sim_now (LersTv7Simulator *self)
{
  return self->clock_time != 0 ? self->clock_time : g_get_real_time () / G_USEC_PER_SEC;
}

/* the start (Unix seconds) of the first НС hour */
static gint64
sim_ns_start (LersTv7Simulator *self, GTimeZone *zone)
{
  g_autoptr (GDateTime) now = g_date_time_new_from_unix_utc (sim_now (self));
  g_autoptr (GDateTime) local = g_date_time_to_timezone (now, zone);
  g_autoptr (GDateTime) day
      = g_date_time_new (zone, g_date_time_get_year (local), g_date_time_get_month (local),
                         g_date_time_get_day_of_month (local), 10, 0, 0);
  g_autoptr (GDateTime) ns = g_date_time_add_days (day, -(gint) (2 + self->seed % 20));

  return g_date_time_to_unix (ns);
}

static void
sim_hour (LersTv7Simulator *self, guint c, gint64 h, gint64 ns_start, SimHour *out)
{
  guint k = self->seed % 5;
  gint64 start = h * 3600;

  memset (out, 0, sizeof *out);
  out->t[0] = 70 + 0.5 * (gdouble) (h % 24) + 5 * c;
  out->t[1] = 45 + 0.5 * (gdouble) (h % 12) - 2 * c;
  out->m[0] = 2.0 + 0.1 * k + 0.5 * c;
  out->m[1] = out->m[0] - 0.02;
  out->v[0] = 1.02 * out->m[0];
  out->v[1] = 1.01 * out->m[1];
  out->p[0] = 0.6;
  out->p[1] = 0.4;
  out->p_cw = 0.3;
  out->t_outdoor = -5;
  out->t_cw = 5;
  out->dt = out->t[0] - out->t[1];
  out->dm = out->m[0] - out->m[1];
  out->q = out->m[0] * out->dt / 1000.0;
  out->vnr = 60;
  if (c == 0 && start >= ns_start && start < ns_start + 3 * 3600)
    {
      out->v[0] = out->v[1] = out->m[0] = out->m[1] = out->dm = out->q = 0;
      out->vnr = 0;
      out->vos = 60;
    }
}

/* a record over [start, end): sums and means of its hours */
static void
sim_period (LersTv7Simulator *self, gint64 start, gint64 end, Tv7Archive *rec, GTimeZone *zone)
{
  gint64 ns = sim_ns_start (self, zone);
  guint n = (guint) ((end - start) / 3600);

  for (guint c = 0; c < TV7_CHANNELS; c++)
    {
      SimHour sum = { 0 };

      for (gint64 h = start / 3600; h < end / 3600; h++)
        {
          SimHour one;
          sim_hour (self, c, h, ns, &one);
          for (guint i = 0; i < 3; i++)
            {
              sum.t[i] += one.t[i];
              sum.p[i] += one.p[i];
              sum.v[i] += one.v[i];
              sum.m[i] += one.m[i];
            }
          sum.t_outdoor += one.t_outdoor;
          sum.t_cw += one.t_cw;
          sum.p_cw += one.p_cw;
          sum.dt += one.dt;
          sum.dm += one.dm;
          sum.q += one.q;
          sum.vnr += one.vnr;
          sum.vos += one.vos;
        }
      for (guint i = 0; i < 3; i++)
        {
          rec->t[c][i] = sum.t[i] / n;
          rec->p[c][i] = sum.p[i] / n;
          rec->v[c][i] = sum.v[i];
          rec->m[c][i] = sum.m[i];
        }
      rec->t_outdoor[c] = sum.t_outdoor / n;
      rec->t_cw[c] = sum.t_cw / n;
      rec->p_cw[c] = sum.p_cw / n;
      rec->dt[c] = sum.dt / n;
      rec->dm[c] = sum.dm;
      rec->q_tv[c] = rec->q12[c] = sum.q;
      rec->q_g[c] = 0;
      rec->vnr[c] = (guint16) MIN (sum.vnr, G_MAXUINT16);
      rec->vos[c] = (guint16) MIN (sum.vos, G_MAXUINT16);
    }
}

static void
sim_blank_channel (gdouble *values, gsize n)
{
  for (gsize i = 0; i < n; i++)
    values[i] = NAN;
}

static void
sim_archive_blank (Tv7Archive *rec)
{
  sim_blank_channel (rec->t[1], 3);
  sim_blank_channel (rec->p[1], 3);
  sim_blank_channel (rec->v[1], 3);
  sim_blank_channel (rec->m[1], 3);
  rec->t_outdoor[1] = rec->t_cw[1] = rec->p_cw[1] = rec->dt[1] = rec->dm[1] = NAN;
  rec->q_tv[1] = rec->q12[1] = rec->q_g[1] = NAN;
}

/* the chosen record, FALSE when the archive has none */
static gboolean
sim_archive_record (LersTv7Simulator *self, Tv7Archive *rec)
{
  g_autoptr (GTimeZone) zone = sim_zone (self);
  g_autoptr (GDateTime) start = NULL;
  g_autoptr (GDateTime) end = NULL;
  gint64 now = sim_now (self), s, e, oldest;

  if (!self->selected || self->sel_month < 1 || self->sel_month > 12 || self->sel_year > 99)
    return FALSE;
  switch (self->sel_type)
    {
    case TV7_ARCHIVE_HOUR:
      if (self->sel_hour > 23)
        return FALSE;
      start = g_date_time_new (zone, 2000 + (gint) self->sel_year, (gint) self->sel_month,
                               (gint) self->sel_day, (gint) self->sel_hour, 0, 0);
      if (start != NULL)
        end = g_date_time_add_hours (start, 1);
      oldest = (now / 3600 - SIM_HOUR_DEPTH) * 3600;
      break;
    case TV7_ARCHIVE_DAY:
      start = g_date_time_new (zone, 2000 + (gint) self->sel_year, (gint) self->sel_month,
                               (gint) self->sel_day, 0, 0, 0);
      if (start != NULL)
        end = g_date_time_add_days (start, 1);
      oldest = now - (gint64) SIM_DAY_DEPTH * 86400;
      break;
    case TV7_ARCHIVE_MONTH:
      start = g_date_time_new (zone, 2000 + (gint) self->sel_year, (gint) self->sel_month, 1, 0, 0,
                               0);
      if (start != NULL)
        end = g_date_time_add_months (start, 1);
      oldest = now - (gint64) SIM_MONTH_DEPTH * 31 * 86400;
      break;
    default:
      return FALSE;
    }
  if (start == NULL || end == NULL)
    return FALSE;
  /* g_date_time_new() normalises nothing: 31 February is NULL above */
  s = g_date_time_to_unix (start);
  e = g_date_time_to_unix (end);
  if (e > now || s < oldest)
    return FALSE;
  memset (rec, 0, sizeof *rec);
  rec->month = self->sel_month;
  rec->day = self->sel_type == TV7_ARCHIVE_MONTH ? 1 : self->sel_day;
  rec->hour = self->sel_type == TV7_ARCHIVE_HOUR ? self->sel_hour : 0;
  rec->year = self->sel_year;
  sim_period (self, s, e, rec, zone);
  if (self->circuits < 2)
    sim_archive_blank (rec);
  return TRUE;
}

static void
sim_clock (LersTv7Simulator *self, Tv7Clock *clock)
{
  g_autoptr (GTimeZone) zone = sim_zone (self);
  g_autoptr (GDateTime) utc = g_date_time_new_from_unix_utc (sim_now (self));
  g_autoptr (GDateTime) t = g_date_time_to_timezone (utc, zone);

  clock->month = (guint) g_date_time_get_month (t);
  clock->day = (guint) g_date_time_get_day_of_month (t);
  clock->hour = (guint) g_date_time_get_hour (t);
  clock->year = (guint) (g_date_time_get_year (t) % 100);
  clock->second = (guint) g_date_time_get_second (t);
  clock->minute = (guint) g_date_time_get_minute (t);
}

static void
sim_current (LersTv7Simulator *self, Tv7Current *cur)
{
  g_autoptr (GTimeZone) zone = sim_zone (self);
  gint64 h = sim_now (self) / 3600;
  gint64 ns = sim_ns_start (self, zone);

  memset (cur, 0, sizeof *cur);
  sim_clock (self, &cur->clock);
  for (guint c = 0; c < TV7_CHANNELS; c++)
    {
      SimHour one;
      sim_hour (self, c, h, ns, &one);
      for (guint i = 0; i < 3; i++)
        {
          gboolean blank = c == 1 && self->circuits < 2;
          cur->t[c][i] = blank ? NAN : one.t[i];
          cur->p[c][i] = blank ? NAN : one.p[i];
          cur->gv[c][i] = blank ? NAN : one.v[i];
          cur->gm[c][i] = blank ? NAN : one.m[i];
          cur->f[c][i] = blank ? NAN : 0;
        }
    }
}

static void
sim_totals (LersTv7Simulator *self, Tv7Totals *tot)
{
  g_autoptr (GTimeZone) zone = sim_zone (self);
  gint64 hour_now = sim_now (self) / 3600;
  gint64 ns = sim_ns_start (self, zone);

  memset (tot, 0, sizeof *tot);
  for (guint c = 0; c < TV7_CHANNELS; c++)
    {
      gdouble base = 1000 + self->seed % 1000 + 100 * c;
      guint hours = 0, stopped = 0;

      tot->v[c][0] = tot->m[c][0] = base;
      tot->v[c][1] = tot->m[c][1] = 0.9 * base;
      tot->q_tv[c] = 500 + self->seed % 100;
      for (gint64 h = SIM_ORIGIN / 3600; h < hour_now; h++)
        {
          SimHour one;
          sim_hour (self, c, h, ns, &one);
          tot->v[c][0] += one.v[0];
          tot->v[c][1] += one.v[1];
          tot->m[c][0] += one.m[0];
          tot->m[c][1] += one.m[1];
          tot->dm[c] += one.dm;
          tot->q_tv[c] += one.q;
          if (one.vos > 0)
            stopped++;
          else
            hours++;
        }
      tot->q12[c] = tot->q_tv[c];
      tot->counters[c][TV7_COUNTER_VNR] = (guint16) MIN (hours, G_MAXUINT16);
      tot->counters[c][TV7_COUNTER_VOS] = (guint16) MIN (stopped, G_MAXUINT16);
      if (c == 1 && self->circuits < 2)
        {
          sim_blank_channel (tot->v[1], 3);
          sim_blank_channel (tot->m[1], 3);
          tot->dm[1] = tot->q_tv[1] = tot->q12[1] = tot->q_g[1] = NAN;
        }
    }
}

/* ---- requests ------------------------------------------------------------------ */

GBytes *
lers_tv7_simulator_answer (LersTv7Simulator *self, const guint8 *request, gsize len)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (Tv7Frame) frame = tv7_request_parse (request, len, &error);
  guint8 block[TV7_ARCHIVE_SIZE];
  gsize n;

  if (frame == NULL)
    {
      g_debug ("ТВ7 simulator: ignoring a bad request: %s", error->message);
      return NULL;
    }
  /* address 0 reaches the meter on a point-to-point line, as the Python
   * driver of README.md uses it */
  if (frame->address != 0 && frame->address != self->address)
    return NULL;
  if (frame->function != TV7_FN_BLOCK)
    return tv7_reply_error (frame->address, frame->function, 0x01);
  if (frame->write_words > 0)
    {
      const guint8 *w = g_bytes_get_data (frame->data, &n);

      if (frame->write_start != TV7_ADDR_ARCHIVE_REQUEST || frame->write_words != 6 || n != 12)
        return tv7_reply_error (frame->address, TV7_FN_BLOCK, 0x02);
      self->selected = TRUE;
      self->sel_month = w[0];
      self->sel_day = w[1];
      self->sel_hour = w[2];
      self->sel_year = w[3];
      self->sel_type = (Tv7ArchiveType) w[7];
      if (frame->read_words == 0)
        return tv7_reply_new (frame->address, frame->request_id, NULL, 0);
    }
  n = (gsize) frame->read_words * 2;
  switch (frame->read_start)
    {
    case TV7_ADDR_CURRENT:
      {
        Tv7Current cur;
        if (n > TV7_CURRENT_SIZE)
          break;
        sim_current (self, &cur);
        tv7_current_encode (&cur, block);
        return tv7_reply_new (frame->address, frame->request_id, block, n);
      }
    case TV7_ADDR_TOTALS:
      {
        Tv7Totals tot;
        if (n > TV7_TOTALS_SIZE)
          break;
        sim_totals (self, &tot);
        tv7_totals_encode (&tot, block);
        return tv7_reply_new (frame->address, frame->request_id, block, n);
      }
    case TV7_ADDR_ARCHIVE:
      {
        Tv7Archive rec;
        if (n > TV7_ARCHIVE_SIZE || !sim_archive_record (self, &rec))
          break;
        tv7_archive_encode (&rec, block);
        return tv7_reply_new (frame->address, frame->request_id, block, n);
      }
    default:
      break;
    }
  return tv7_reply_error (frame->address, TV7_FN_BLOCK, 0x02);
}

/* ---- serving a stream ------------------------------------------------------- */

static gssize
serve_scan (const guint8 *data, gsize len, gpointer user_data)
{
  gssize n = tv7_request_scan (data, len);

  /* a CRC over a frame and its CRC is 0; else resynchronise */
  if (n > 0 && tv7_crc16 (data, (gsize) n) != 0)
    return -1;
  return n;
}

static GBytes *
serve_answer (gpointer user_data, const guint8 *frame, gsize len, guint *delay_ms)
{
  LersTv7Simulator *self = user_data;

  *delay_ms = self->answer_delay_ms;
  return lers_tv7_simulator_answer (self, frame, len);
}

static void
lers_tv7_simulator_serve_async (LersDeviceSimulator *simulator, GIOStream *stream,
                                GCancellable *cancellable, GAsyncReadyCallback callback,
                                gpointer user_data)
{
  g_autoptr (LersFrameServer) server = lers_frame_server_new (
      stream, serve_scan, simulator, NULL, serve_answer, g_object_ref (simulator), g_object_unref);

  lers_frame_server_serve_async (server, simulator, lers_tv7_simulator_serve_async, cancellable,
                                 callback, user_data);
}

static gboolean
lers_tv7_simulator_serve_finish (LersDeviceSimulator *simulator, GAsyncResult *result,
                                 GError **error)
{
  g_return_val_if_fail (g_task_is_valid (result, simulator), FALSE);
  return g_task_propagate_boolean (G_TASK (result), error);
}

static const gchar *
lers_tv7_simulator_get_protocol (LersDeviceSimulator *simulator)
{
  return "tv7";
}

static void
lers_tv7_simulator_iface_init (LersDeviceSimulatorInterface *iface)
{
  iface->get_protocol = lers_tv7_simulator_get_protocol;
  iface->serve_async = lers_tv7_simulator_serve_async;
  iface->serve_finish = lers_tv7_simulator_serve_finish;
}

/* ---- GObject ------------------------------------------------------------------ */

static void
lers_tv7_simulator_get_property (GObject *object, guint prop_id, GValue *value, GParamSpec *pspec)
{
  LersTv7Simulator *self = LERS_TV7_SIMULATOR (object);

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
    case PROP_CLOCK_ZONE:
      g_value_set_string (value, self->clock_zone);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
lers_tv7_simulator_set_property (GObject *object, guint prop_id, const GValue *value,
                                 GParamSpec *pspec)
{
  LersTv7Simulator *self = LERS_TV7_SIMULATOR (object);

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
      {
        const gchar *m = g_value_get_string (value);
        if (m != NULL && g_strv_contains (sim_models, m))
          {
            g_free (self->model);
            self->model = g_strdup (m);
          }
        break;
      }
    case PROP_CLOCK_ZONE:
      g_free (self->clock_zone);
      self->clock_zone = g_value_dup_string (value);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
lers_tv7_simulator_finalize (GObject *object)
{
  LersTv7Simulator *self = LERS_TV7_SIMULATOR (object);

  g_free (self->serial_number);
  g_free (self->model);
  g_free (self->clock_zone);
  G_OBJECT_CLASS (lers_tv7_simulator_parent_class)->finalize (object);
}

static void
lers_tv7_simulator_class_init (LersTv7SimulatorClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GParamFlags flags = G_PARAM_READWRITE | G_PARAM_CONSTRUCT | G_PARAM_STATIC_STRINGS;

  object_class->get_property = lers_tv7_simulator_get_property;
  object_class->set_property = lers_tv7_simulator_set_property;
  object_class->finalize = lers_tv7_simulator_finalize;

  props[PROP_SERIAL_NUMBER] = g_param_spec_string ("serial-number", NULL, NULL, "00000001", flags);
  props[PROP_ADDRESS] = g_param_spec_uint ("address", NULL, NULL, 0, 255, 1, flags);
  props[PROP_SEED] = g_param_spec_uint ("seed", NULL, NULL, 0, G_MAXUINT, 0, flags);
  props[PROP_ANSWER_DELAY_MS]
      = g_param_spec_uint ("answer-delay-ms", NULL, NULL, 0, 60000, 0, flags);
  props[PROP_CIRCUITS] = g_param_spec_uint ("circuits", NULL, NULL, 1, 2, 2, flags);
  props[PROP_CLOCK_TIME] = g_param_spec_int64 ("clock-time", NULL, NULL, 0, G_MAXINT64, 0, flags);
  props[PROP_MODEL] = g_param_spec_string ("model", NULL, NULL, "TV7-04", flags);
  props[PROP_CLOCK_ZONE] = g_param_spec_string ("clock-zone", NULL, NULL, NULL,
                                                G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, props);
}

static void
lers_tv7_simulator_class_finalize (LersTv7SimulatorClass *klass)
{
}

static void
lers_tv7_simulator_init (LersTv7Simulator *self)
{
  self->model = g_strdup ("TV7-04");
}

void
lers_tv7_simulator_register (GTypeModule *module)
{
  lers_tv7_simulator_register_type (module);
}
