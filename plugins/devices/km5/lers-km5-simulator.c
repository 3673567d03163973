/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * A simulated КМ-5 (or РМ-5): answers commands 0, 8, 9, 44 (sub-types
 * 0–8), 50, 51, 52, 55, 64 and 65 on a GIOStream. A request with a bad
 * checksum, another address or an unknown command gets no answer, as a
 * meter on a shared line would do. A request that arrives byte-reversed
 * ("backward") is answered byte-reversed. Data: km5-sim-model.c.
 */
#include "lers-km5-simulator.h"

#include <string.h>

#include "km5-frame.h"
#include "km5-sim-model.h"

struct _LersKm5Simulator
{
  GObject parent_instance;

  gchar *serial_number;
  guint address;
  guint seed;
  guint circuits;
  guint answer_delay_ms;
  gint64 clock_time;
  gchar *clock_zone;
  gchar *model;
};

static void lers_km5_simulator_iface_init (LersDeviceSimulatorInterface *iface);

G_DEFINE_DYNAMIC_TYPE_EXTENDED (LersKm5Simulator, lers_km5_simulator, G_TYPE_OBJECT,
                                G_TYPE_FLAG_FINAL,
                                G_IMPLEMENT_INTERFACE_DYNAMIC (LERS_TYPE_DEVICE_SIMULATOR,
                                                               lers_km5_simulator_iface_init))

enum
{
  PROP_0,
  PROP_SERIAL_NUMBER,
  PROP_ADDRESS,
  PROP_SEED,
  PROP_CIRCUITS,
  PROP_ANSWER_DELAY_MS,
  PROP_CLOCK_TIME,
  PROP_CLOCK_ZONE,
  PROP_MODEL,
  N_PROPS
};

static GParamSpec *props[N_PROPS];

#define KM5_SIM_MODEL_KM5 "КМ-5"
#define KM5_SIM_MODEL_RM5 "РМ-5"

/* ---- the answers ------------------------------------------------------------ */

static void
sim_model (LersKm5Simulator *self, Km5SimModel *m)
{
  gint64 now = self->clock_time != 0 ? self->clock_time : g_get_real_time () / G_USEC_PER_SEC;
  gint64 offset = 0;

  if (self->clock_zone != NULL && self->clock_zone[0] != '\0')
    {
      g_autoptr (GTimeZone) zone = g_time_zone_new_identifier (self->clock_zone);
      if (zone != NULL)
        {
          g_autoptr (GDateTime) t = g_date_time_new_from_unix_utc (now);
          g_autoptr (GDateTime) local = g_date_time_to_timezone (t, zone);
          offset = g_date_time_get_utc_offset (local) / G_TIME_SPAN_SECOND;
        }
    }
  m->seed = self->seed;
  m->circuits = self->circuits;
  m->rm5 = g_strcmp0 (self->model, KM5_SIM_MODEL_RM5) == 0;
  m->clock = now + offset;
}

/* A КМ-5 / РМ-5 answers its serial number as network address
 * [S: wiki.tekon.ru "РМ-5"]; lers-sim's config gives the serial number as
 * the device's network address. The simulator also answers its address
 * property as an 8-digit number (1 → 00000001), as lers-sim's bench and
 * tests address it; on one lers-sim bus neither collides (serials are
 * 1000xxxx, addresses 1–250). */
static gboolean
sim_answers (LersKm5Simulator *self, const guint8 req[4], guint8 me[4])
{
  g_autofree gchar *text = g_strdup_printf ("%u", self->address);
  guint8 serial[4] = { 0 }, address[4] = { 0 };
  gboolean has_serial = km5_address_parse (self->serial_number, serial, NULL);
  gboolean has_address = self->address != 0 && km5_address_parse (text, address, NULL);

  if ((req[0] | req[1] | req[2] | req[3]) == 0)
    {
      /* broadcast: the meter answers with its own number */
      for (guint i = 0; i < 4; i++)
        me[i] = has_serial ? serial[i] : address[i];
      return TRUE;
    }
  for (guint i = 0; i < 4; i++)
    me[i] = req[i];
  return (has_serial && memcmp (req, serial, 4) == 0)
         || (has_address && memcmp (req, address, 4) == 0);
}

static void
put_u16 (guint8 *p, guint v)
{
  p[0] = (guint8) (v & 0xFF);
  p[1] = (guint8) ((v >> 8) & 0xFF);
}

static gboolean
answer_db (const Km5SimModel *m, guint8 cmd, const guint8 *req, guint8 *a)
{
  guint db = cmd == KM5_CMD_DB_ERROR_LINE ? KM5_DB_ERRORS : req[5];
  guint n_lines = km5_sim_db_lines (db);
  Km5SimEvent events[8];
  guint n_events = km5_sim_events (m, events);
  gint64 last = 0;
  Km5Line line;

  if (n_lines == 0)
    {
      /* the year archive: present, empty */
      return cmd == KM5_CMD_DB_HEADER;
    }
  if (db == KM5_DB_ERRORS)
    {
      switch (cmd)
        {
        case KM5_CMD_DB_HEADER:
          put_u16 (a + 5, 0x4000);
          a[7] = 1;
          a[8] = n_events > 0 ? KM5_HEADER_HAS_LINES : 0;
          put_u16 (a + 9, n_lines);
          put_u16 (a + 11, n_events > 0 ? n_events - 1 : 0);
          return TRUE;
        case KM5_CMD_DB_BOUNDS:
          if (n_events == 0)
            return FALSE;
          put_u16 (a + 6, 0);
          km5_sim_stamp_from_wall (events[0].wall, &line.stamp);
          line.stamp.flag = (guint8) events[0].code;
          line.stamp.type = 3;
          km5_stamp_encode (&line.stamp, a + 8);
          put_u16 (a + 16, n_events - 1);
          km5_sim_stamp_from_wall (events[n_events - 1].wall, &line.stamp);
          line.stamp.flag = (guint8) events[n_events - 1].code;
          km5_stamp_encode (&line.stamp, a + 18);
          put_u16 (a + 26, n_lines);
          return TRUE;
        case KM5_CMD_DB_ERROR_LINE:
          {
            guint i = km5_read_u16 (req + 6);
            if (req[5] != KM5_DB_ERRORS || i >= n_events)
              return FALSE;
            km5_sim_stamp_from_wall (events[i].wall, &line.stamp);
            line.stamp.flag = (guint8) events[i].code;
            line.stamp.type = 3;
            km5_stamp_encode (&line.stamp, a + 5);
            return TRUE;
          }
        default:
          return FALSE;
        }
    }
  km5_sim_db_last (m, db, &last);
  switch (cmd)
    {
    case KM5_CMD_DB_HEADER:
      put_u16 (a + 5, 0x1000 * (db + 1));
      a[7] = 0;
      a[8] = KM5_HEADER_HAS_LINES | KM5_HEADER_FULL;
      put_u16 (a + 9, n_lines);
      put_u16 (a + 11, (guint) (last % n_lines));
      return TRUE;
    case KM5_CMD_DB_BOUNDS:
      {
        gint64 first = last - n_lines + 1;
        a[5] = 0;
        put_u16 (a + 6, (guint) (first % n_lines));
        km5_sim_db_line (m, db, first, &line);
        km5_stamp_encode (&line.stamp, a + 8);
        put_u16 (a + 16, (guint) (last % n_lines));
        km5_sim_db_line (m, db, last, &line);
        km5_stamp_encode (&line.stamp, a + 18);
        put_u16 (a + 26, n_lines);
        return TRUE;
      }
    case KM5_CMD_DB_FIND:
      {
        g_autoptr (GDateTime) t = NULL;
        gboolean ok = TRUE;
        guint day = km5_bcd_to_uint (req[6], &ok), month = km5_bcd_to_uint (req[7], &ok);
        guint year = km5_bcd_to_uint (req[8], &ok), hour = km5_bcd_to_uint (req[9], &ok);
        gint64 index;

        if (ok)
          t = g_date_time_new_utc (2000 + (gint) year, (gint) month, (gint) day, (gint) hour, 0, 0);
        if (t == NULL)
          {
            a[5] = 1;
            return TRUE;
          }
        index = km5_sim_db_index_for_stamp (db, g_date_time_to_unix (t));
        km5_sim_db_line (m, db, index, &line);
        if (index > last || index <= last - n_lines || line.stamp.day != day
            || line.stamp.month != month || line.stamp.hour != hour)
          {
            /* no line with that stamp */
            a[5] = 1;
            return TRUE;
          }
        a[5] = 0;
        put_u16 (a + 6, (guint) (index % n_lines));
        km5_stamp_encode (&line.stamp, a + 8);
        return TRUE;
      }
    case KM5_CMD_LINE:
      {
        guint n = km5_read_u16 (req + 6);
        gint64 index;
        if (n >= n_lines)
          return FALSE;
        /* the period of that line number among the last n_lines */
        index = last - ((gint64) (last % n_lines) - (gint64) n + n_lines) % n_lines;
        km5_sim_db_line (m, db, index, &line);
        km5_stamp_encode (&line.stamp, a + 5);
        for (guint i = 0; i < KM5_LINE_N_VALUES; i++)
          km5_write_float (a + 13 + 4 * i, line.values[i]);
        return TRUE;
      }
    default:
      return FALSE;
    }
}

static gboolean
answer_immediate (const Km5SimModel *m, guint sub, guint8 *a)
{
  gdouble v[KM5_LINE_N_VALUES];
  gdouble q, m1, m2, tp;
  gint64 hour = m->clock / 3600;
  Km5Stamp st = { 0 };
  gfloat f[6] = { 0 };
  guint n = 1;

  km5_sim_hour (m, hour, v);
  switch (sub)
    {
    case 0:
      km5_sim_stamp_from_wall (m->clock, &st);
      st.type = m->rm5 ? 0 : 3;
      km5_stamp_encode (&st, a + 5);
      return TRUE;
    case 1:
    case 2:
    case 3:
    case 4:
      km5_sim_totals (m, &q, &m1, &m2, &tp);
      f[0] = (gfloat) (sub == 1 ? q : sub == 2 ? m1 : sub == 3 ? m2 : tp);
      break;
    case 5:
      f[0] = (gfloat) v[KM5_LINE_V1_M3];
      f[1] = (gfloat) v[KM5_LINE_M1];
      f[2] = (gfloat) v[KM5_LINE_P1];
      f[3] = (gfloat) v[KM5_LINE_P2];
      f[4] = (gfloat) v[KM5_LINE_T1];
      f[5] = (gfloat) v[KM5_LINE_T2];
      n = 6;
      break;
    case 6:
      f[0] = (gfloat) v[KM5_LINE_Q];
      break;
    case 7:
      f[0] = (gfloat) v[KM5_LINE_V2_M4];
      f[1] = (gfloat) v[KM5_LINE_M2];
      f[4] = (gfloat) v[KM5_LINE_P3_T3];
      f[5] = (gfloat) v[KM5_LINE_T3_T4];
      n = 6;
      break;
    case 8:
      n = 3;
      break;
    default:
      return FALSE;
    }
  for (guint i = 0; i < n; i++)
    km5_write_float (a + 5 + 4 * i, f[i]);
  return TRUE;
}

/**
 * lers_km5_simulator_answer:
 * @self: a #LersKm5Simulator
 * @request: 16 bytes as they came off the line
 * @len: 16
 *
 * Returns: (transfer full) (nullable): the answer's bytes for the line,
 *   or %NULL when the meter stays silent
 */
GBytes *
lers_km5_simulator_answer (LersKm5Simulator *self, const guint8 *request, gsize len)
{
  guint8 req[KM5_REQUEST_LEN], me[4];
  guint8 a[KM5_LONG_LEN] = { 0 };
  gboolean backward = FALSE, ok = FALSE;
  Km5SimModel m;
  gsize alen;

  if (len != KM5_REQUEST_LEN)
    return NULL;
  for (guint i = 0; i < KM5_REQUEST_LEN; i++)
    req[i] = request[i];
  if (!km5_frame_check (req, KM5_REQUEST_LEN, NULL))
    {
      km5_reverse (req, KM5_REQUEST_LEN);
      if (!km5_frame_check (req, KM5_REQUEST_LEN, NULL))
        return NULL;
      backward = TRUE;
    }
  if (!sim_answers (self, req, me))
    return NULL;
  sim_model (self, &m);
  for (guint i = 0; i < 4; i++)
    a[i] = me[i];
  a[4] = req[4];
  switch (req[4])
    {
    case KM5_CMD_ADDRESS:
      a[5] = 0x52;
      ok = TRUE;
      break;
    case KM5_CMD_STATUS:
      ok = TRUE; /* no НС now: eight zero bytes */
      break;
    case KM5_CMD_VERSION:
      {
        const gchar *v = "05.02", *t = m.rm5 ? "RM-5" : "KM-5";
        for (guint i = 0; i < 5; i++)
          a[5 + i] = (guint8) v[i];
        for (guint i = 0; i < 4; i++)
          a[11 + i] = (guint8) t[i];
        ok = TRUE;
      }
      break;
    case KM5_CMD_IMMEDIATE:
      ok = answer_immediate (&m, req[5], a);
      break;
    case KM5_CMD_DB_HEADER:
    case KM5_CMD_DB_BOUNDS:
    case KM5_CMD_DB_FIND:
    case KM5_CMD_DB_ERROR_LINE:
    case KM5_CMD_LINE:
      ok = answer_db (&m, req[4], req, a);
      break;
    default:
      break;
    }
  if (!ok)
    return NULL;
  alen = km5_answer_length (req[4]);
  km5_checksum (a, alen - 2, &a[alen - 2], &a[alen - 1]);
  if (backward)
    km5_reverse (a, alen);
  return g_bytes_new (a, alen);
}

/* ---- serving a stream -------------------------------------------------------- */

static gboolean
frame_looks_whole (const guint8 *p)
{
  guint8 f[KM5_REQUEST_LEN];

  for (guint i = 0; i < KM5_REQUEST_LEN; i++)
    f[i] = p[i];
  if (km5_frame_check (f, KM5_REQUEST_LEN, NULL))
    return TRUE;
  km5_reverse (f, KM5_REQUEST_LEN);
  return km5_frame_check (f, KM5_REQUEST_LEN, NULL);
}

static gssize
serve_scan (const guint8 *data, gsize len, gpointer user_data)
{
  /* a whole frame for someone else is skipped unanswered; line noise
   * byte by byte: resynchronise */
  if (len < KM5_REQUEST_LEN)
    return 0;
  return frame_looks_whole (data) ? KM5_REQUEST_LEN : -1;
}

static GBytes *
serve_answer (gpointer user_data, const guint8 *frame, gsize len, guint *delay_ms)
{
  LersKm5Simulator *self = user_data;

  *delay_ms = self->answer_delay_ms;
  return lers_km5_simulator_answer (self, frame, len);
}

static void
lers_km5_simulator_serve_async (LersDeviceSimulator *simulator, GIOStream *stream,
                                GCancellable *cancellable, GAsyncReadyCallback callback,
                                gpointer user_data)
{
  g_autoptr (LersFrameServer) server = lers_frame_server_new (
      stream, serve_scan, simulator, NULL, serve_answer, g_object_ref (simulator), g_object_unref);

  lers_frame_server_serve_async (server, simulator, lers_km5_simulator_serve_async, cancellable,
                                 callback, user_data);
}

static gboolean
lers_km5_simulator_serve_finish (LersDeviceSimulator *simulator, GAsyncResult *result,
                                 GError **error)
{
  g_return_val_if_fail (g_task_is_valid (result, simulator), FALSE);
  return g_task_propagate_boolean (G_TASK (result), error);
}

static const gchar *
lers_km5_simulator_get_protocol (LersDeviceSimulator *simulator)
{
  return "km5";
}

static void
lers_km5_simulator_iface_init (LersDeviceSimulatorInterface *iface)
{
  iface->get_protocol = lers_km5_simulator_get_protocol;
  iface->serve_async = lers_km5_simulator_serve_async;
  iface->serve_finish = lers_km5_simulator_serve_finish;
}

/* ---- GObject ----------------------------------------------------------------- */

static void
lers_km5_simulator_get_property (GObject *object, guint prop_id, GValue *value, GParamSpec *pspec)
{
  LersKm5Simulator *self = LERS_KM5_SIMULATOR (object);

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
    case PROP_CIRCUITS:
      g_value_set_uint (value, self->circuits);
      break;
    case PROP_ANSWER_DELAY_MS:
      g_value_set_uint (value, self->answer_delay_ms);
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
lers_km5_simulator_set_property (GObject *object, guint prop_id, const GValue *value,
                                 GParamSpec *pspec)
{
  LersKm5Simulator *self = LERS_KM5_SIMULATOR (object);
  const gchar *s;

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
    case PROP_CIRCUITS:
      self->circuits = g_value_get_uint (value);
      break;
    case PROP_ANSWER_DELAY_MS:
      self->answer_delay_ms = g_value_get_uint (value);
      break;
    case PROP_CLOCK_TIME:
      self->clock_time = g_value_get_int64 (value);
      break;
    case PROP_CLOCK_ZONE:
      g_free (self->clock_zone);
      self->clock_zone = g_value_dup_string (value);
      break;
    case PROP_MODEL:
      /* an unknown model is ignored: the default stays */
      s = g_value_get_string (value);
      if (g_strcmp0 (s, KM5_SIM_MODEL_KM5) == 0 || g_strcmp0 (s, KM5_SIM_MODEL_RM5) == 0)
        {
          g_free (self->model);
          self->model = g_strdup (s);
        }
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
lers_km5_simulator_finalize (GObject *object)
{
  LersKm5Simulator *self = LERS_KM5_SIMULATOR (object);

  g_free (self->serial_number);
  g_free (self->clock_zone);
  g_free (self->model);
  G_OBJECT_CLASS (lers_km5_simulator_parent_class)->finalize (object);
}

static void
lers_km5_simulator_class_init (LersKm5SimulatorClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GParamFlags cflags = G_PARAM_READWRITE | G_PARAM_CONSTRUCT | G_PARAM_STATIC_STRINGS;
  GParamFlags flags = G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS;

  object_class->get_property = lers_km5_simulator_get_property;
  object_class->set_property = lers_km5_simulator_set_property;
  object_class->finalize = lers_km5_simulator_finalize;

  /* the meter's number, also its network address (up to 8 digits) */
  props[PROP_SERIAL_NUMBER] = g_param_spec_string ("serial-number", NULL, NULL, "00000001", cflags);
  /* a second network address, as a number (1 → "00000001"); 0 for none */
  props[PROP_ADDRESS] = g_param_spec_uint ("address", NULL, NULL, 0, 99999999, 1, cflags);
  props[PROP_SEED] = g_param_spec_uint ("seed", NULL, NULL, 0, G_MAXUINT, 0, cflags);
  /* 2: the ГВС circuit's values are filled in (channel 1) */
  props[PROP_CIRCUITS] = g_param_spec_uint ("circuits", NULL, NULL, 1, 2, 1, cflags);
  props[PROP_ANSWER_DELAY_MS]
      = g_param_spec_uint ("answer-delay-ms", NULL, NULL, 0, 60000, 0, flags);
  /* a fixed clock, Unix seconds; 0 for the real time */
  props[PROP_CLOCK_TIME] = g_param_spec_int64 ("clock-time", NULL, NULL, 0, G_MAXINT64, 0, flags);
  /* the IANA zone of the meter's wall clock; NULL for UTC */
  props[PROP_CLOCK_ZONE] = g_param_spec_string ("clock-zone", NULL, NULL, NULL, flags);
  /* "КМ-5" (default) or "РМ-5" */
  props[PROP_MODEL] = g_param_spec_string ("model", NULL, NULL, KM5_SIM_MODEL_KM5, cflags);
  g_object_class_install_properties (object_class, N_PROPS, props);
}

static void
lers_km5_simulator_class_finalize (LersKm5SimulatorClass *klass)
{
}

static void
lers_km5_simulator_init (LersKm5Simulator *self)
{
  self->model = g_strdup (KM5_SIM_MODEL_KM5);
}

/**
 * lers_km5_simulator_register:
 * @module: the plugin's type module
 *
 * Registers #LersKm5Simulator with @module.
 */
void
lers_km5_simulator_register (GTypeModule *module)
{
  lers_km5_simulator_register_type (module);
}

/**
 * lers_km5_simulator_new:
 * @serial_number: up to 8 decimal digits
 * @address: a second network address as a number, or 0
 * @seed: data seed
 *
 * Returns: (transfer full): a simulated КМ-5
 */
LersKm5Simulator *
lers_km5_simulator_new (const gchar *serial_number, guint address, guint seed)
{
  return g_object_new (LERS_TYPE_KM5_SIMULATOR, "serial-number", serial_number, "address", address,
                       "seed", seed, NULL);
}
