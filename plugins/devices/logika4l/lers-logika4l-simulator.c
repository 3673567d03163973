/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * A simulated СПТ943 (default, device code 54 2B, version 0A as the real
 * one in DEVELOPER.LOG) or СПТ941 models 10/11 (92 29). It answers the
 * session, RAM and FLASH reads, the archive searches 48/59/4D and the
 * database writes of ТО/ДО; a frame with a wrong KS gets error 0 as the
 * documents say; a frame for another NT gets nothing. Its memory is made
 * on demand from the data model in logika4l-simdata.c.
 */
#include <stdio.h>
#include <string.h>

#include "lers-logika4l-simulator.h"

#include "logika4l-archive.h"
#include "logika4l-events.h"
#include "logika4l-frame.h"
#include "logika4l-simdata.h"

struct _LersLogika4lSimulator
{
  GObject parent_instance;

  gchar *serial_number;
  guint address;
  guint seed;
  guint answer_delay_ms;
  guint circuits;
  gint64 clock_time;   /* 0 = the real clock */
  gint64 clock_offset; /* set by the master */
  gint64 started;      /* monotonic µs when clock_time was set */
  L4lModel model;
  guint8 version941;  /* the old СПТ941's version byte: 00, or 01 (X.X.07) */
  guint8 channel;     /* CH of the last session request */
  gint pending_write; /* database parameter announced by 44, or −1 */
};

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
  N_PROPS
};

static GParamSpec *props[N_PROPS];

static void lers_logika4l_simulator_iface_init (LersDeviceSimulatorInterface *iface);

G_DEFINE_DYNAMIC_TYPE_EXTENDED (LersLogika4lSimulator, lers_logika4l_simulator, G_TYPE_OBJECT,
                                G_TYPE_FLAG_FINAL,
                                G_IMPLEMENT_INTERFACE_DYNAMIC (LERS_TYPE_DEVICE_SIMULATOR,
                                                               lers_logika4l_simulator_iface_init))

static gint64
sim_now (LersLogika4lSimulator *self)
{
  gint64 base = self->clock_time != 0
                    ? self->clock_time + (g_get_monotonic_time () - self->started) / G_USEC_PER_SEC
                    : g_get_real_time () / G_USEC_PER_SEC;
  return base + self->clock_offset;
}

static GBytes *
reply_error (LersLogika4lSimulator *self, guint8 nt, guint8 code)
{
  return l4l_build_frame (nt, L4L_FNC_ERROR, &code, 1);
}

/* what the memory image needs of the simulator, at this moment */
static void
sim_state (LersLogika4lSimulator *self, L4lSimState *st)
{
  st->seed = self->seed;
  st->model = self->model;
  st->version941 = self->version941;
  st->circuits = self->circuits;
  st->serial = self->serial_number;
  st->now = sim_now (self);
}

static GBytes *
answer_archive (LersLogika4lSimulator *self, const L4lFrame *f)
{
  L4lSimState st;
  gint64 now = sim_now (self);
  guint ch = self->model == L4L_MODEL_943 && self->channel == 2 ? 1 : 0;
  guint year = 1900u + f->data[0];
  g_autoptr (GDateTime) stamp = NULL;
  g_autoptr (GDateTime) start_dt = NULL;
  g_autoptr (GDateTime) end_dt = NULL;
  gint64 start, end, depth_start;
  guint8 rec[L4L_RECORD_943];
  LersArchiveKind kind = f->fnc == L4L_FNC_HOUR  ? LERS_ARCHIVE_KIND_HOUR
                         : f->fnc == L4L_FNC_DAY ? LERS_ARCHIVE_KIND_DAY
                                                 : LERS_ARCHIVE_KIND_MONTH;
  gsize size = l4l_block_size (self->model, kind);
  gboolean end_stamp = self->model != L4L_MODEL_941;

  sim_state (self, &st);
  if (self->model == L4L_MODEL_943 && self->channel == 0)
    return reply_error (self, f->nt, 2);
  if (self->model == L4L_MODEL_941 && self->version941 == 0)
    return reply_error (self, f->nt, 0); /* no archive search before X.X.07 */
  if (ch == 1 && self->circuits < 2)
    return reply_error (self, f->nt, 3);
  if (f->fnc == L4L_FNC_HOUR)
    {
      if (f->data[3] > 23)
        return reply_error (self, f->nt, 2);
      stamp = g_date_time_new_utc ((gint) year, f->data[1], f->data[2], f->data[3], 0, 0);
      if (stamp == NULL)
        return reply_error (self, f->nt, 2);
      /* 943, 941.10: hh stamps the interval (hh−1)→hh; 941: hh→hh+1 */
      start_dt = g_date_time_add_hours (stamp, end_stamp ? -1 : 0);
      end_dt = g_date_time_add_hours (start_dt, 1);
      depth_start = now - now % 3600 - (gint64) L4L_SIM_HOUR_DEPTH * 3600;
    }
  else if (f->fnc == L4L_FNC_DAY)
    {
      g_autoptr (GDateTime) day
          = g_date_time_new_utc ((gint) year, f->data[1], f->data[2], 0, 0, 0);
      if (day == NULL)
        return reply_error (self, f->nt, 2);
      /* ЧР = 0: the 943 stamps the day that ends at 00 h of dd; the old
       * 941 the day dd itself */
      start_dt = g_date_time_add_days (day, end_stamp ? -1 : 0);
      end_dt = g_date_time_add_days (start_dt, 1);
      depth_start = now - now % 86400 - (gint64) L4L_SIM_DAY_DEPTH * 86400;
    }
  else
    {
      g_autoptr (GDateTime) n = g_date_time_new_from_unix_utc (now);
      g_autoptr (GDateTime) m0 = NULL;

      g_autoptr (GDateTime) month = g_date_time_new_utc ((gint) year, f->data[1], 1, 0, 0, 0);
      if (month == NULL)
        return reply_error (self, f->nt, 2);
      /* СР = 1, ЧР = 0: the month ending on the 1st of mm at 00 h */
      start_dt = g_date_time_add_months (month, end_stamp ? -1 : 0);
      end_dt = g_date_time_add_months (start_dt, 1);
      m0 = g_date_time_new_utc (g_date_time_get_year (n), g_date_time_get_month (n), 1, 0, 0, 0);
      {
        g_autoptr (GDateTime) d0 = g_date_time_add_months (m0, -(gint) L4L_SIM_MONTH_DEPTH);
        depth_start = g_date_time_to_unix (d0);
      }
    }
  start = g_date_time_to_unix (start_dt);
  end = g_date_time_to_unix (end_dt);
  if (end > now || start < depth_start)
    return reply_error (self, f->nt, 3);
  l4l_sim_make_record (&st, ch, start, end, now, rec, size);
  return l4l_build_frame (f->nt, f->fnc, rec, size);
}

static gboolean
apply_write (LersLogika4lSimulator *self, guint param, const guint8 *block)
{
  gchar v[9];
  guint a, b, c;
  gint64 now = sim_now (self);
  g_autoptr (GDateTime) t = g_date_time_new_from_unix_utc (now);
  g_autoptr (GDateTime) want = NULL;

  memcpy (v, block, 8);
  v[8] = '\0';
  if (sscanf (v, "%2u-%2u-%2u", &a, &b, &c) != 3)
    return FALSE;
  if (param == 1)
    want = g_date_time_new_utc (g_date_time_get_year (t), g_date_time_get_month (t),
                                g_date_time_get_day_of_month (t), (gint) a, (gint) b, c);
  else if (param == 2)
    want = g_date_time_new_utc (2000 + (gint) c, (gint) b, (gint) a, g_date_time_get_hour (t),
                                g_date_time_get_minute (t), g_date_time_get_second (t));
  else
    return TRUE;
  if (want == NULL)
    return FALSE;
  self->clock_offset += g_date_time_to_unix (want) - now;
  return TRUE;
}

/**
 * lers_logika4l_simulator_answer:
 * @self: the simulator
 * @bytes: (array length=len): one whole request frame
 * @len: its length
 *
 * Returns: (transfer full) (nullable): the answer, or %NULL for none
 */
GBytes *
lers_logika4l_simulator_answer (LersLogika4lSimulator *self, const guint8 *bytes, gsize len)
{
  L4lFrame f;
  guint8 nt;
  L4lSimState st;

  sim_state (self, &st);
  if (len < 5 || bytes[0] != L4L_START)
    return NULL;
  nt = bytes[1];
  if (nt != self->address && nt != L4L_NT_ANY)
    return NULL; /* another device's request: no answer (prot943 §2.3) */
  if (!l4l_parse (bytes, len, &f, NULL))
    return reply_error (self, nt, 0);
  if (self->pending_write >= 0)
    {
      gint param = self->pending_write;
      self->pending_write = -1;
      if (f.fnc != L4L_FNC_WRITE || f.len != 64)
        return reply_error (self, nt, 0);
      if (!apply_write (self, (guint) param, f.data))
        return reply_error (self, nt, 2);
      return l4l_build_frame (nt, L4L_FNC_WRITE, NULL, 0);
    }
  if (f.len != 4)
    return reply_error (self, nt, 0);
  switch (f.fnc)
    {
    case L4L_FNC_SESSION:
      {
        guint8 reply[3] = { 0x54, 0x2B, 0x0A };
        if (self->model == L4L_MODEL_941_10)
          {
            reply[0] = 0x92;
            reply[1] = 0x29;
            reply[2] = 0x01;
          }
        else if (self->model == L4L_MODEL_941)
          {
            reply[0] = 0x54;
            reply[1] = 0x29;
            reply[2] = self->version941;
          }
        if (f.data[0] > (self->model == L4L_MODEL_943 ? 2 : 0))
          return reply_error (self, nt, 2);
        self->channel = f.data[0];
        return l4l_build_frame (nt, L4L_FNC_SESSION, reply, 3);
      }
    case L4L_FNC_RAM:
      {
        guint8 dump[64];
        guint n = f.data[2];
        if (n < 1 || n > 64)
          return reply_error (self, nt, 2);
        l4l_sim_make_ram (&st, f.data[0] | (guint) f.data[1] << 8, dump, n);
        return l4l_build_frame (nt, L4L_FNC_RAM, dump, n);
      }
    case L4L_FNC_FLASH:
      {
        guint page = f.data[0] | (guint) f.data[1] << 8;
        guint k = f.data[2];
        GByteArray *out;
        if (k < 1 || k > 64)
          return reply_error (self, nt, 2);
        out = g_byte_array_new ();
        for (guint i = 0; i < k; i++)
          {
            guint8 data[L4L_PAGE];
            g_autoptr (GBytes) one = NULL;
            l4l_sim_make_flash_page (&st, (page + i) & 0x3FF, data);
            one = l4l_build_frame (nt, L4L_FNC_FLASH, data, L4L_PAGE);
            g_byte_array_append (out, g_bytes_get_data (one, NULL), (guint) g_bytes_get_size (one));
          }
        return g_byte_array_free_to_bytes (out);
      }
    case L4L_FNC_HOUR:
    case L4L_FNC_DAY:
    case L4L_FNC_MONTH:
      return answer_archive (self, &f);
    case L4L_FNC_WRITE:
      self->pending_write = f.data[0] | f.data[1] << 8;
      return l4l_build_frame (nt, L4L_FNC_WRITE, NULL, 0);
    default:
      return reply_error (self, nt, 0);
    }
}

/* ---- serving a stream ----------------------------------------------------- */

typedef struct
{
  LersLogika4lSimulator *self;
  GIOStream *stream;
  GByteArray *rx;
  guint8 chunk[256];
  GBytes *reply;
  GSource *delay_source;
} ServeData;

static void
serve_data_free (ServeData *d)
{
  if (d->delay_source != NULL)
    {
      g_source_destroy (d->delay_source);
      g_source_unref (d->delay_source);
    }
  g_clear_pointer (&d->reply, g_bytes_unref);
  g_clear_pointer (&d->rx, g_byte_array_unref);
  g_clear_object (&d->stream);
  g_free (d);
}

static void serve_process (GTask *task);

static void
serve_write_cb (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr (GTask) task = user_data;
  ServeData *d = g_task_get_task_data (task);
  g_autoptr (GError) error = NULL;

  g_clear_pointer (&d->reply, g_bytes_unref);
  if (!g_output_stream_write_all_finish (G_OUTPUT_STREAM (source), result, NULL, &error))
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  serve_process (g_steal_pointer (&task));
}

static void
serve_write (GTask *task)
{
  ServeData *d = g_task_get_task_data (task);
  gsize n = 0;
  const guint8 *bytes = g_bytes_get_data (d->reply, &n);

  g_output_stream_write_all_async (g_io_stream_get_output_stream (d->stream), bytes, n,
                                   G_PRIORITY_DEFAULT, g_task_get_cancellable (task),
                                   serve_write_cb, task);
}

static gboolean
serve_delay_cb (gpointer user_data)
{
  GTask *task = user_data;
  ServeData *d = g_task_get_task_data (task);

  g_clear_pointer (&d->delay_source, g_source_unref);
  if (g_task_return_error_if_cancelled (task))
    {
      g_object_unref (task);
      return G_SOURCE_REMOVE;
    }
  serve_write (task);
  return G_SOURCE_REMOVE;
}

static void
serve_read_cb (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr (GTask) task = user_data;
  ServeData *d = g_task_get_task_data (task);
  g_autoptr (GError) error = NULL;
  gssize n = g_input_stream_read_finish (G_INPUT_STREAM (source), result, &error);

  if (n < 0)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  if (n == 0)
    {
      g_task_return_boolean (task, TRUE);
      return;
    }
  g_byte_array_append (d->rx, d->chunk, (guint) n);
  serve_process (g_steal_pointer (&task));
}

static void
serve_process (GTask *task)
{
  ServeData *d = g_task_get_task_data (task);

  for (;;)
    {
      gsize expected = d->self->pending_write >= 0 ? 64 : 4;
      gssize len = l4l_scan (d->rx->data, d->rx->len, expected);
      g_autoptr (GBytes) reply = NULL;

      if (len < 0)
        {
          /* the FF preamble and line noise */
          g_byte_array_remove_index (d->rx, 0);
          continue;
        }
      if (len == 0)
        break;
      reply = lers_logika4l_simulator_answer (d->self, d->rx->data, (gsize) len);
      g_byte_array_remove_range (d->rx, 0, (guint) len);
      if (reply != NULL)
        {
          d->reply = g_steal_pointer (&reply);
          if (d->self->answer_delay_ms > 0)
            {
              d->delay_source = g_timeout_source_new (d->self->answer_delay_ms);
              g_source_set_callback (d->delay_source, serve_delay_cb, task, NULL);
              g_source_attach (d->delay_source, g_task_get_context (task));
              return;
            }
          serve_write (task);
          return;
        }
    }
  g_input_stream_read_async (g_io_stream_get_input_stream (d->stream), d->chunk, sizeof d->chunk,
                             G_PRIORITY_DEFAULT, g_task_get_cancellable (task), serve_read_cb,
                             task);
}

static void
lers_logika4l_simulator_serve_async (LersDeviceSimulator *simulator, GIOStream *stream,
                                     GCancellable *cancellable, GAsyncReadyCallback callback,
                                     gpointer user_data)
{
  LersLogika4lSimulator *self = LERS_LOGIKA4L_SIMULATOR (simulator);
  GTask *task = g_task_new (self, cancellable, callback, user_data);
  ServeData *d = g_new0 (ServeData, 1);

  g_task_set_source_tag (task, lers_logika4l_simulator_serve_async);
  d->self = self;
  d->stream = g_object_ref (stream);
  d->rx = g_byte_array_new ();
  g_task_set_task_data (task, d, (GDestroyNotify) serve_data_free);
  serve_process (task);
}

static gboolean
lers_logika4l_simulator_serve_finish (LersDeviceSimulator *simulator, GAsyncResult *result,
                                      GError **error)
{
  g_return_val_if_fail (g_task_is_valid (result, simulator), FALSE);
  return g_task_propagate_boolean (G_TASK (result), error);
}

static const gchar *
lers_logika4l_simulator_get_protocol (LersDeviceSimulator *simulator)
{
  return "logika4l";
}

static void
lers_logika4l_simulator_iface_init (LersDeviceSimulatorInterface *iface)
{
  iface->get_protocol = lers_logika4l_simulator_get_protocol;
  iface->serve_async = lers_logika4l_simulator_serve_async;
  iface->serve_finish = lers_logika4l_simulator_serve_finish;
}

/* ---- GObject --------------------------------------------------------------- */

static void
lers_logika4l_simulator_get_property (GObject *object, guint prop_id, GValue *value,
                                      GParamSpec *pspec)
{
  LersLogika4lSimulator *self = LERS_LOGIKA4L_SIMULATOR (object);

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
      g_value_set_string (value, self->model == L4L_MODEL_943      ? "СПТ943"
                                 : self->model == L4L_MODEL_941_10 ? "СПТ941.10"
                                 : self->version941 == 1           ? "СПТ941.07"
                                                                   : "СПТ941");
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
lers_logika4l_simulator_set_property (GObject *object, guint prop_id, const GValue *value,
                                      GParamSpec *pspec)
{
  LersLogika4lSimulator *self = LERS_LOGIKA4L_SIMULATOR (object);

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
      self->started = g_get_monotonic_time ();
      self->clock_offset = 0;
      break;
    case PROP_MODEL:
      {
        const gchar *m = g_value_get_string (value);
        if (g_strcmp0 (m, "СПТ943") == 0)
          self->model = L4L_MODEL_943;
        else if (g_strcmp0 (m, "СПТ941") == 0 || g_strcmp0 (m, "СПТ941.07") == 0)
          {
            self->model = L4L_MODEL_941;
            self->version941 = g_strcmp0 (m, "СПТ941") == 0 ? 0 : 1;
          }
        else if (g_strcmp0 (m, "СПТ941.10") == 0)
          self->model = L4L_MODEL_941_10;
        break;
      }
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
lers_logika4l_simulator_finalize (GObject *object)
{
  LersLogika4lSimulator *self = LERS_LOGIKA4L_SIMULATOR (object);

  g_free (self->serial_number);
  G_OBJECT_CLASS (lers_logika4l_simulator_parent_class)->finalize (object);
}

static void
lers_logika4l_simulator_class_init (LersLogika4lSimulatorClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->get_property = lers_logika4l_simulator_get_property;
  object_class->set_property = lers_logika4l_simulator_set_property;
  object_class->finalize = lers_logika4l_simulator_finalize;
  props[PROP_SERIAL_NUMBER]
      = g_param_spec_string ("serial-number", NULL, NULL, "12345678",
                             G_PARAM_READWRITE | G_PARAM_CONSTRUCT | G_PARAM_STATIC_STRINGS);
  /* NT 0..99; 255 is the addressless request, not an address */
  props[PROP_ADDRESS]
      = g_param_spec_uint ("address", NULL, NULL, 0, 255, 0,
                           G_PARAM_READWRITE | G_PARAM_CONSTRUCT | G_PARAM_STATIC_STRINGS);
  props[PROP_SEED]
      = g_param_spec_uint ("seed", NULL, NULL, 0, G_MAXUINT, 0,
                           G_PARAM_READWRITE | G_PARAM_CONSTRUCT | G_PARAM_STATIC_STRINGS);
  props[PROP_ANSWER_DELAY_MS] = g_param_spec_uint ("answer-delay-ms", NULL, NULL, 0, 60000, 0,
                                                   G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS);
  props[PROP_CIRCUITS]
      = g_param_spec_uint ("circuits", NULL, NULL, 1, 2, 2,
                           G_PARAM_READWRITE | G_PARAM_CONSTRUCT | G_PARAM_STATIC_STRINGS);
  props[PROP_CLOCK_TIME] = g_param_spec_int64 ("clock-time", NULL, NULL, 0, G_MAXINT64, 0,
                                               G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS);
  props[PROP_MODEL] = g_param_spec_string ("model", NULL, NULL, "СПТ943",
                                           G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, props);
}

static void
lers_logika4l_simulator_class_finalize (LersLogika4lSimulatorClass *klass)
{
}

static void
lers_logika4l_simulator_init (LersLogika4lSimulator *self)
{
  self->model = L4L_MODEL_943;
  self->circuits = 2;
  self->pending_write = -1;
  self->channel = 1;
}

void
lers_logika4l_simulator_register (GTypeModule *module)
{
  lers_logika4l_simulator_register_type (module);
}

LersLogika4lSimulator *
lers_logika4l_simulator_new (const gchar *serial_number, guint address, guint seed)
{
  return g_object_new (LERS_TYPE_LOGIKA4L_SIMULATOR, "serial-number", serial_number, "address",
                       address, "seed", seed, NULL);
}
