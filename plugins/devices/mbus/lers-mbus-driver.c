/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * The M-Bus driver: one readout session over a GIOStream, all async.
 *
 *   primary address:   SND_NKE → E5, then REQ_UD2 (FCB toggling) → RSP_UD …
 *   secondary address: SND_UD select (A=253, CI 52) → E5, then REQ_UD2 to 253 …
 *
 * REQ_UD2 is repeated with the FCB toggled while the telegram ends with
 * DIF 1F and the archive asked for is not yet covered. Each request waits
 * #LersMbusDriver:timeout-ms and is sent again, with the same FCB, up to
 * #LersMbusDriver:retries times.
 */
#include <math.h>

#include "lers-mbus-driver.h"

#include <glib/gi18n-lib.h>

#include "mbus-data.h"
#include "mbus-frame.h"
#include "mbus-json.h"

#define MBUS_DEFAULT_TIMEOUT_MS 5000
#define MBUS_DEFAULT_RETRIES 3
/* a meter that always answers DIF 1F must not keep us forever */
#define MBUS_MAX_TELEGRAMS 1024
/* 1 Gcal = 4.1868 GJ = 1.163 MWh */
#define WH_PER_GCAL 1.163e6
#define J_PER_GCAL 4.1868e9

struct _LersMbusDriver
{
  GObject parent_instance;

  guint timeout_ms;
  guint retries;
};

static void lers_mbus_driver_iface_init (LersDeviceDriverInterface *iface);

G_DEFINE_DYNAMIC_TYPE_EXTENDED (LersMbusDriver, lers_mbus_driver, G_TYPE_OBJECT, G_TYPE_FLAG_FINAL,
                                G_IMPLEMENT_INTERFACE_DYNAMIC (LERS_TYPE_DEVICE_DRIVER,
                                                               lers_mbus_driver_iface_init))

enum
{
  PROP_0,
  PROP_TIMEOUT_MS,
  PROP_RETRIES,
  N_PROPS
};

static GParamSpec *props[N_PROPS];

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

/* an instantaneous value of the first tariff and subunit whose meaning no
 * VIFE changes ("per hour", "only if positive", a limit value…): only such
 * records are taken as the meter's registers and readings */
static gboolean
record_is_plain (const MbusRecord *rec)
{
  guint8 vif = rec->vif & 0x7F;
  guint first = (vif == 0x7D || vif == 0x7B) ? 1 : 0; /* FD/FB: vife[0] is the code */

  return rec->function == MBUS_FUNCTION_INSTANTANEOUS && rec->tariff == 0 && rec->subunit == 0
         && rec->n_vife <= first;
}

/* ---- the readout session -------------------------------------------------- */

typedef enum
{
  STEP_NKE,
  STEP_SELECT,
  STEP_REQ_UD2,
} Step;

typedef struct
{
  GIOStream *stream;
  LersArchiveKind kind;
  GDateTime *from;
  GDateTime *to;
  LersProgress *progress;
  guint timeout_ms;
  guint retries;
  guint8 address;
  gchar *secondary;
  Step step;
  gboolean fcb;
  guint attempt;
  GBytes *request;
  GByteArray *rx;
  guint8 chunk[256];
  GSource *timeout_source;
  GCancellable *io_cancellable;
  gulong cancel_handler;
  gboolean timed_out;
  GPtrArray *telegrams; /* MbusData */
  gint64 oldest_time;   /* unix time of the oldest archive time point seen */
  GTimeZone *zone;      /* the meter's clock keeps this zone's wall-clock time */
} ReadData;

static void
read_data_stop_exchange (ReadData *d, GCancellable *user_cancellable)
{
  if (d->timeout_source != NULL)
    {
      g_source_destroy (d->timeout_source);
      g_clear_pointer (&d->timeout_source, g_source_unref);
    }
  if (d->cancel_handler != 0)
    {
      g_cancellable_disconnect (user_cancellable, d->cancel_handler);
      d->cancel_handler = 0;
    }
}

static void
read_data_free (ReadData *d)
{
  if (d->timeout_source != NULL)
    {
      g_source_destroy (d->timeout_source);
      g_source_unref (d->timeout_source);
    }
  g_clear_object (&d->stream);
  g_clear_pointer (&d->from, g_date_time_unref);
  g_clear_pointer (&d->to, g_date_time_unref);
  g_clear_object (&d->progress);
  g_free (d->secondary);
  g_clear_pointer (&d->request, g_bytes_unref);
  g_clear_pointer (&d->rx, g_byte_array_unref);
  g_clear_object (&d->io_cancellable);
  g_clear_pointer (&d->telegrams, g_ptr_array_unref);
  g_clear_pointer (&d->zone, g_time_zone_unref);
  g_free (d);
}

static void exchange_start (GTask *task);
static void exchange_read (GTask *task);

static void
session_fail (GTask *task, GError *error)
{
  ReadData *d = g_task_get_task_data (task);

  read_data_stop_exchange (d, g_task_get_cancellable (task));
  g_task_return_error (task, error);
  g_object_unref (task);
}

static const gchar *
step_name (Step step)
{
  switch (step)
    {
    case STEP_NKE:
      return "SND_NKE";
    case STEP_SELECT:
      /* TRANSLATORS: an M-Bus request; SND_NKE and REQ_UD2 stay as they are */
      return _ ("secondary address select");
    default:
      return "REQ_UD2";
    }
}

/* A lost, late or garbled reply: send the same request again (same FCB) */
static void
exchange_retry (GTask *task, GError *why)
{
  ReadData *d = g_task_get_task_data (task);
  g_autoptr (GError) error = why;

  read_data_stop_exchange (d, g_task_get_cancellable (task));
  if (d->attempt >= d->retries)
    {
      /* TRANSLATORS: the request (SND_NKE, REQ_UD2, …), the M-Bus address, the number of tries */
      g_prefix_error (&error, _ ("%s to address %u, %u attempts: "), step_name (d->step),
                      d->address, d->attempt + 1);
      session_fail (task, g_steal_pointer (&error));
      return;
    }
  d->attempt++;
  g_debug ("%s: %s; retry %u of %u", step_name (d->step), error->message, d->attempt, d->retries);
  exchange_start (task);
}

static void
exchange_io_error (GTask *task, GError *error)
{
  ReadData *d = g_task_get_task_data (task);

  if (d->timed_out)
    {
      g_error_free (error);
      exchange_retry (task, g_error_new (LERS_ERROR, LERS_ERROR_TIMED_OUT,
                                         _ ("no answer within %u ms"), d->timeout_ms));
      return;
    }
  if (g_cancellable_is_cancelled (g_task_get_cancellable (task)))
    {
      g_error_free (error);
      session_fail (task, g_error_new_literal (LERS_ERROR, LERS_ERROR_CANCELLED,
                                               _ ("the readout was cancelled")));
      return;
    }
  {
    GError *wrapped = g_error_new (LERS_ERROR, LERS_ERROR_CONNECTION, "%s", error->message);
    g_error_free (error);
    session_fail (task, wrapped);
  }
}

static gboolean
exchange_timeout_cb (gpointer user_data)
{
  ReadData *d = user_data;

  d->timed_out = TRUE;
  g_cancellable_cancel (d->io_cancellable);
  g_clear_pointer (&d->timeout_source, g_source_unref);
  return G_SOURCE_REMOVE;
}

static void
user_cancelled_cb (GCancellable *cancellable, gpointer user_data)
{
  g_cancellable_cancel (G_CANCELLABLE (user_data));
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

/* Whether to ask for the next telegram: only while the meter has more
 * (DIF 1F) and we still need some. At 2400 baud a telegram takes about a
 * second, so a 48-hour read must not fetch a 62-day archive. */
static gboolean
session_needs_more (ReadData *d, const MbusData *data)
{
  if (!data->more_follows)
    return FALSE;
  if (d->telegrams->len + 1 >= MBUS_MAX_TELEGRAMS)
    {
      g_debug ("stopping after %u telegrams", MBUS_MAX_TELEGRAMS);
      return FALSE;
    }
  if (d->kind == LERS_ARCHIVE_KIND_HOUR)
    {
      /* the register at @from is needed for the first hour's consumption */
      return d->oldest_time == G_MAXINT64 || d->oldest_time > g_date_time_to_unix (d->from);
    }
  /* current values and totals: while telegrams still carry storage 0 */
  return telegram_has_current_values (data);
}

static void
session_update_progress (ReadData *d)
{
  gdouble fraction = 0.0;
  gint64 from = g_date_time_to_unix (d->from), to = g_date_time_to_unix (d->to);

  if (d->progress == NULL)
    return;
  if (d->kind != LERS_ARCHIVE_KIND_HOUR || d->oldest_time <= from || to <= from)
    fraction = 1.0;
  else if (d->oldest_time < to)
    fraction = (gdouble) (to - d->oldest_time) / (gdouble) (to - from);
  lers_progress_set_fraction (d->progress, CLAMP (fraction, 0.0, 1.0));
}

static void
session_note_time_points (ReadData *d, const MbusData *data)
{
  for (guint i = 0; i < data->records->len; i++)
    {
      const MbusRecord *rec = g_ptr_array_index (data->records, i);
      g_autoptr (GDateTime) t = NULL;

      if (rec->storage_number == 0 || !record_is_plain (rec))
        continue;
      t = mbus_record_dup_local_time_point (rec, d->zone);
      if (t != NULL)
        d->oldest_time = MIN (d->oldest_time, g_date_time_to_unix (t));
    }
}

static void session_finish (GTask *task);

static void
exchange_got_frame (GTask *task, const guint8 *buf, gsize len)
{
  ReadData *d = g_task_get_task_data (task);
  g_autoptr (GError) error = NULL;
  g_autoptr (MbusFrame) frame = mbus_frame_parse (buf, len, &error);
  g_autoptr (MbusData) data = NULL;

  if (frame == NULL)
    {
      exchange_retry (task, g_steal_pointer (&error));
      return;
    }
  read_data_stop_exchange (d, g_task_get_cancellable (task));
  switch (d->step)
    {
    case STEP_NKE:
    case STEP_SELECT:
      if (frame->kind != MBUS_FRAME_KIND_ACK)
        {
          exchange_retry (task,
                          g_error_new (LERS_ERROR, LERS_ERROR_INVALID_DATA,
                                       _ ("expected E5, got a frame with C=0x%02x"), frame->c));
          return;
        }
      d->step = STEP_REQ_UD2;
      d->fcb = TRUE; /* the first REQ_UD2 after a reset or select has FCB set */
      exchange_start (task);
      return;
    case STEP_REQ_UD2:
    default:
      if (frame->kind != MBUS_FRAME_KIND_LONG
          || (frame->c & ~(MBUS_C_FCB | MBUS_C_FCV)) != MBUS_C_RSP_UD)
        {
          exchange_retry (task, g_error_new (LERS_ERROR, LERS_ERROR_INVALID_DATA,
                                             _ ("expected RSP_UD, got C=0x%02x"), frame->c));
          return;
        }
      data = mbus_data_decode_frame (frame, &error);
      if (data == NULL)
        {
          g_prefix_error (&error, _ ("telegram %u: "), d->telegrams->len + 1);
          session_fail (task, g_steal_pointer (&error));
          return;
        }
      session_note_time_points (d, data);
      if (session_needs_more (d, data))
        {
          g_ptr_array_add (d->telegrams, g_steal_pointer (&data));
          session_update_progress (d);
          d->fcb = !d->fcb;
          exchange_start (task);
          return;
        }
      g_ptr_array_add (d->telegrams, g_steal_pointer (&data));
      session_update_progress (d);
      session_finish (task);
      return;
    }
}

static void
exchange_read_cb (GObject *source, GAsyncResult *result, gpointer user_data)
{
  GTask *task = user_data;
  ReadData *d = g_task_get_task_data (task);
  GError *error = NULL;
  gssize n = g_input_stream_read_finish (G_INPUT_STREAM (source), result, &error);

  if (n < 0)
    {
      exchange_io_error (task, error);
      return;
    }
  if (n == 0)
    {
      session_fail (task, g_error_new_literal (LERS_ERROR, LERS_ERROR_CONNECTION,
                                               _ ("the connection was closed")));
      return;
    }
  g_byte_array_append (d->rx, d->chunk, (guint) n);
  for (;;)
    {
      g_autoptr (GError) scan_error = NULL;
      gssize len = mbus_frame_scan (d->rx->data, d->rx->len, &scan_error);
      if (len < 0)
        {
          /* line noise before the frame: skip it */
          g_byte_array_remove_index (d->rx, 0);
          continue;
        }
      if (len == 0)
        break;
      exchange_got_frame (task, d->rx->data, (gsize) len);
      return;
    }
  exchange_read (task);
}

static void
exchange_read (GTask *task)
{
  ReadData *d = g_task_get_task_data (task);

  g_input_stream_read_async (g_io_stream_get_input_stream (d->stream), d->chunk, sizeof d->chunk,
                             G_PRIORITY_DEFAULT, d->io_cancellable, exchange_read_cb, task);
}

static void
exchange_write_cb (GObject *source, GAsyncResult *result, gpointer user_data)
{
  GTask *task = user_data;
  GError *error = NULL;

  if (!g_output_stream_write_all_finish (G_OUTPUT_STREAM (source), result, NULL, &error))
    {
      exchange_io_error (task, error);
      return;
    }
  exchange_read (task);
}

static void
exchange_start (GTask *task)
{
  ReadData *d = g_task_get_task_data (task);
  GCancellable *user_cancellable = g_task_get_cancellable (task);

  g_clear_pointer (&d->request, g_bytes_unref);
  switch (d->step)
    {
    case STEP_NKE:
      d->request = mbus_frame_build_snd_nke (d->address);
      break;
    case STEP_SELECT:
      d->request = mbus_frame_build_select (d->secondary);
      break;
    case STEP_REQ_UD2:
    default:
      d->request = mbus_frame_build_req_ud2 (d->address, d->fcb);
      break;
    }
  g_byte_array_set_size (d->rx, 0);
  d->timed_out = FALSE;
  g_clear_object (&d->io_cancellable);
  d->io_cancellable = g_cancellable_new ();
  if (user_cancellable != NULL)
    d->cancel_handler = g_cancellable_connect (user_cancellable, G_CALLBACK (user_cancelled_cb),
                                               d->io_cancellable, NULL);
  d->timeout_source = g_timeout_source_new (d->timeout_ms);
  g_source_set_callback (d->timeout_source, exchange_timeout_cb, d, NULL);
  g_source_attach (d->timeout_source, g_task_get_context (task));
  g_output_stream_write_all_async (g_io_stream_get_output_stream (d->stream),
                                   g_bytes_get_data (d->request, NULL),
                                   g_bytes_get_size (d->request), G_PRIORITY_DEFAULT,
                                   d->io_cancellable, exchange_write_cb, task);
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
telegram_time (ReadData *d)
{
  for (guint i = 0; i < d->telegrams->len; i++)
    {
      const MbusData *data = g_ptr_array_index (d->telegrams, i);
      for (guint j = 0; j < data->records->len; j++)
        {
          const MbusRecord *rec = g_ptr_array_index (data->records, j);
          if (rec->storage_number == 0 && record_is_plain (rec))
            {
              GDateTime *t = mbus_record_dup_local_time_point (rec, d->zone);
              if (t != NULL)
                return t;
            }
        }
    }
  return NULL;
}

static GPtrArray *
session_build_current (ReadData *d)
{
  GPtrArray *out = g_ptr_array_new_with_free_func (g_object_unref);
  g_autofree ParamSet *set = g_new0 (ParamSet, 1);
  g_autoptr (GDateTime) t = telegram_time (d);
  g_autoptr (LersRecord) record = NULL;

  if (t == NULL)
    {
      g_autoptr (GDateTime) now = g_date_time_new_now_utc ();
      t = g_date_time_new_from_unix_utc (g_date_time_to_unix (now));
    }
  for (guint i = 0; i < d->telegrams->len; i++)
    {
      const MbusData *data = g_ptr_array_index (d->telegrams, i);
      for (guint j = 0; j < data->records->len; j++)
        {
          const MbusRecord *rec = g_ptr_array_index (data->records, j);
          if (rec->storage_number == 0 && record_is_plain (rec))
            param_set_add (set, data, rec);
        }
    }
  record = lers_record_new (t, d->kind);
  for (guint p = 1; p <= LERS_PARAMETER_LAST; p++)
    {
      if (!set->has[p])
        continue;
      if (d->kind == LERS_ARCHIVE_KIND_TOTALS && !parameter_is_register ((LersParameter) p))
        continue;
      lers_record_set_value (record, (LersParameter) p, set->value[p], LERS_VALUE_FLAG_NONE);
    }
  if (lers_record_get_n_values (record) > 0)
    g_ptr_array_add (out, g_steal_pointer (&record));
  return out;
}

typedef struct
{
  gint64 time;
  ParamSet values;
} ArchiveEntry;

/* The first start of a wall-clock hour of the meter's zone at or after
 * @from: whole UTC hours, except in zones such as +05:30 */
static gint64
session_first_hour (ReadData *d, gint64 from)
{
  g_autoptr (GDateTime) t = g_date_time_new_from_unix_utc (from);
  g_autoptr (GDateTime) start = NULL;
  gint64 s;

  if (t == NULL)
    return from;
  start = lers_time_get_period_start (LERS_ARCHIVE_KIND_HOUR, t, d->zone, 0, 1);
  if (start == NULL)
    return from;
  s = g_date_time_to_unix (start);
  return s < from ? s + 3600 : s;
}

static GPtrArray *
session_build_hours (ReadData *d)
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
  for (guint i = 0; i < d->telegrams->len; i++)
    {
      const MbusData *data = g_ptr_array_index (d->telegrams, i);
      for (guint j = 0; j < data->records->len; j++)
        {
          const MbusRecord *rec = g_ptr_array_index (data->records, j);
          g_autoptr (GDateTime) t = NULL;
          ArchiveEntry *entry;

          if (rec->storage_number == 0 || rec->storage_number > G_MAXUINT || !record_is_plain (rec))
            continue;
          if (g_hash_table_contains (by_storage, GUINT_TO_POINTER ((guint) rec->storage_number)))
            continue;
          t = mbus_record_dup_local_time_point (rec, d->zone);
          if (t == NULL)
            continue;
          entry = g_new0 (ArchiveEntry, 1);
          entry->time = g_date_time_to_unix (t);
          g_ptr_array_add (entries, entry);
          g_hash_table_insert (by_storage, GUINT_TO_POINTER ((guint) rec->storage_number), entry);
          g_hash_table_insert (by_time, &entry->time, entry);
        }
    }
  /* pass 2: the values stored with it */
  for (guint i = 0; i < d->telegrams->len; i++)
    {
      const MbusData *data = g_ptr_array_index (d->telegrams, i);
      for (guint j = 0; j < data->records->len; j++)
        {
          const MbusRecord *rec = g_ptr_array_index (data->records, j);
          ArchiveEntry *entry;

          if (rec->storage_number == 0 || rec->storage_number > G_MAXUINT || !record_is_plain (rec))
            continue;
          entry = g_hash_table_lookup (by_storage, GUINT_TO_POINTER ((guint) rec->storage_number));
          if (entry != NULL)
            param_set_add (&entry->values, data, rec);
        }
    }

  /* hour [s, s+1h): consumption = register(s+1h) - register(s); averages
   * are those stored at s+1h */
  for (gint64 s = session_first_hour (d, from); s < to; s += 3600)
    {
      gint64 end_time = s + 3600;
      const ArchiveEntry *end = g_hash_table_lookup (by_time, &end_time);
      const ArchiveEntry *start = g_hash_table_lookup (by_time, &s);
      g_autoptr (GDateTime) ts = g_date_time_new_from_unix_utc (s);
      g_autoptr (LersRecord) record = NULL;

      if (end == NULL)
        continue;
      record = lers_record_new (ts, LERS_ARCHIVE_KIND_HOUR);
      for (guint i = 0; i < G_N_ELEMENTS (registers); i++)
        {
          LersParameter p = registers[i];
          gdouble diff;
          LersValueFlags flags = LERS_VALUE_FLAG_CALCULATED;

          if (start == NULL || !start->values.has[p] || !end->values.has[p])
            continue;
          /* the difference of two large registers carries their rounding
           * error (2.4910000000018); no meter resolves below 1e-9 */
          diff = round ((end->values.value[p] - start->values.value[p]) * 1e9) / 1e9;
          if (diff < 0)
            flags |= LERS_VALUE_FLAG_RESET;
          lers_record_set_value (record, p, diff, flags);
        }
      for (guint i = 0; i < G_N_ELEMENTS (averages); i++)
        {
          LersParameter p = averages[i];
          if (end->values.has[p])
            lers_record_set_value (record, p, end->values.value[p], LERS_VALUE_FLAG_NONE);
        }
      if (lers_record_get_n_values (record) > 0)
        g_ptr_array_add (out, g_steal_pointer (&record));
    }
  return out;
}

static void
session_finish (GTask *task)
{
  ReadData *d = g_task_get_task_data (task);
  GPtrArray *records;

  if (d->kind == LERS_ARCHIVE_KIND_HOUR)
    records = session_build_hours (d);
  else
    records = session_build_current (d);
  if (d->progress != NULL)
    lers_progress_set_fraction (d->progress, 1.0);
  g_task_return_pointer (task, records, (GDestroyNotify) g_ptr_array_unref);
  g_object_unref (task);
}

/* "1".."250": primary; 8 digits: secondary; empty: 254 (any slave answers) */
static gboolean
is_secondary_address (const gchar *text)
{
  if (strlen (text) != 8)
    return FALSE;
  for (guint i = 0; i < 8; i++)
    if (!g_ascii_isdigit (text[i]))
      return FALSE;
  return TRUE;
}

/* "1".."250": primary; 8 digits: secondary; empty: 254 (any slave answers) */
static gboolean
parse_network_address (const gchar *text, guint8 *address, gchar **secondary, GError **error)
{
  guint64 v = 0;

  if (text == NULL || *text == '\0')
    {
      *address = MBUS_ADDRESS_BROADCAST_REPLY;
      return TRUE;
    }
  if (is_secondary_address (text))
    {
      *address = MBUS_ADDRESS_NETWORK_LAYER;
      *secondary = g_strdup (text);
      return TRUE;
    }
  if (g_ascii_string_to_unsigned (text, 10, 0, 250, &v, NULL))
    {
      *address = (guint8) v;
      return TRUE;
    }
  g_set_error (error, LERS_ERROR, LERS_ERROR_INVALID_ARGUMENT,
               _ ("M-Bus network address “%s” is neither 0–250 nor 8 digits"), text);
  return FALSE;
}

static void
lers_mbus_driver_read_archive_async (LersDeviceDriver *driver, GIOStream *stream,
                                     LersDevice *device, LersArchiveKind kind, GDateTime *from,
                                     GDateTime *to, LersProgress *progress,
                                     GCancellable *cancellable, GAsyncReadyCallback callback,
                                     gpointer user_data)
{
  LersMbusDriver *self = LERS_MBUS_DRIVER (driver);
  g_autoptr (GTask) task = g_task_new (self, cancellable, callback, user_data);
  g_autoptr (GError) error = NULL;
  ReadData *d;

  g_task_set_source_tag (task, lers_mbus_driver_read_archive_async);
  if (kind != LERS_ARCHIVE_KIND_HOUR && kind != LERS_ARCHIVE_KIND_CURRENT
      && kind != LERS_ARCHIVE_KIND_TOTALS)
    {
      g_task_return_new_error (
          task, LERS_ERROR, LERS_ERROR_NOT_SUPPORTED,
          _ ("the M-Bus driver reads hour, current and totals archives, not %s"),
          lers_archive_kind_to_string (kind));
      return;
    }
  d = g_new0 (ReadData, 1);
  g_task_set_task_data (task, d, (GDestroyNotify) read_data_free);
  if (!parse_network_address (lers_device_get_network_address (device), &d->address, &d->secondary,
                              &error))
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  d->stream = g_object_ref (stream);
  d->kind = kind;
  d->from = g_date_time_ref (from);
  d->to = g_date_time_ref (to);
  d->progress = progress != NULL ? g_object_ref (progress) : NULL;
  d->timeout_ms = self->timeout_ms;
  d->retries = self->retries;
  d->rx = g_byte_array_new ();
  d->telegrams = g_ptr_array_new_with_free_func ((GDestroyNotify) mbus_data_free);
  d->oldest_time = G_MAXINT64;
  /* type F/G dates are the meter's wall-clock time */
  d->zone = lers_device_dup_clock_time_zone (device);
  d->step = d->secondary != NULL ? STEP_SELECT : STEP_NKE;
  if (d->progress != NULL)
    {
      lers_progress_set_fraction (d->progress, 0.0);
      lers_progress_set_message (d->progress, _ ("reading M-Bus telegrams"));
    }
  exchange_start (g_steal_pointer (&task));
}

static GPtrArray *
lers_mbus_driver_read_archive_finish (LersDeviceDriver *driver, GAsyncResult *result,
                                      GError **error)
{
  g_return_val_if_fail (g_task_is_valid (result, driver), NULL);
  g_return_val_if_fail (g_async_result_is_tagged (result, lers_mbus_driver_read_archive_async),
                        NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}

/* ---- frame decoding for `lers decode` --------------------------------------- */

static gboolean
looks_like_hex (const guint8 *buf, gsize len)
{
  if (len == 0)
    return FALSE;
  for (gsize i = 0; i < len; i++)
    if (!g_ascii_isxdigit (buf[i]) && !g_ascii_isspace (buf[i]))
      return FALSE;
  return TRUE;
}

static gchar *
lers_mbus_driver_decode_frame (LersDeviceDriver *driver, GBytes *bytes, GError **error)
{
  gsize len = 0;
  const guint8 *buf = g_bytes_get_data (bytes, &len);
  g_autoptr (GBytes) decoded = NULL;
  g_autoptr (MbusFrame) frame = NULL;
  g_autoptr (MbusData) data = NULL;

  /* a .hex file as the conformance folder and our recordings keep them */
  if (len > 0 && buf[0] != 0x68 && buf[0] != 0x10 && buf[0] != 0xE5 && looks_like_hex (buf, len))
    {
      g_autofree gchar *text = g_strndup ((const gchar *) buf, len);
      decoded = mbus_hex_to_bytes (text, error);
      if (decoded == NULL)
        return NULL;
      buf = g_bytes_get_data (decoded, &len);
    }
  frame = mbus_frame_parse (buf, len, error);
  if (frame == NULL)
    return NULL;
  if (frame->kind == MBUS_FRAME_KIND_ACK)
    return g_strdup ("{\n  \"frame\" : \"ack\"\n}");
  if (frame->kind == MBUS_FRAME_KIND_SHORT)
    return g_strdup_printf ("{\n  \"frame\" : \"short\",\n  \"c\" : %u,\n  \"a\" : %u\n}", frame->c,
                            frame->a);
  data = mbus_data_decode_frame (frame, error);
  if (data == NULL)
    return NULL;
  return mbus_json_render (data, TRUE);
}

static const gchar *
lers_mbus_driver_get_protocol (LersDeviceDriver *driver)
{
  return "mbus";
}

static GStrv
lers_mbus_driver_get_models (LersDeviceDriver *driver)
{
  static const gchar *const models[] = {
    "EN 13757-3 heat meter",
    "EN 13757-3 water meter",
    "EN 13757-3 gas meter",
    "EN 13757-3 electricity meter",
    NULL,
  };
  return g_strdupv ((gchar **) models);
}

static void
lers_mbus_driver_iface_init (LersDeviceDriverInterface *iface)
{
  iface->get_protocol = lers_mbus_driver_get_protocol;
  iface->get_models = lers_mbus_driver_get_models;
  iface->read_archive_async = lers_mbus_driver_read_archive_async;
  iface->read_archive_finish = lers_mbus_driver_read_archive_finish;
  iface->decode_frame = lers_mbus_driver_decode_frame;
}

/* ---- GObject -------------------------------------------------------------- */

static void
lers_mbus_driver_get_property (GObject *object, guint prop_id, GValue *value, GParamSpec *pspec)
{
  LersMbusDriver *self = LERS_MBUS_DRIVER (object);

  switch (prop_id)
    {
    case PROP_TIMEOUT_MS:
      g_value_set_uint (value, self->timeout_ms);
      break;
    case PROP_RETRIES:
      g_value_set_uint (value, self->retries);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
lers_mbus_driver_set_property (GObject *object, guint prop_id, const GValue *value,
                               GParamSpec *pspec)
{
  LersMbusDriver *self = LERS_MBUS_DRIVER (object);

  switch (prop_id)
    {
    case PROP_TIMEOUT_MS:
      self->timeout_ms = g_value_get_uint (value);
      break;
    case PROP_RETRIES:
      self->retries = g_value_get_uint (value);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
lers_mbus_driver_class_init (LersMbusDriverClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->get_property = lers_mbus_driver_get_property;
  object_class->set_property = lers_mbus_driver_set_property;

  /**
   * LersMbusDriver:timeout-ms:
   *
   * How long to wait for each reply, in milliseconds (5 s, as a connection
   * waits, by default).
   *
   * Since: 0.1
   */
  props[PROP_TIMEOUT_MS]
      = g_param_spec_uint ("timeout-ms", NULL, NULL, 1, 600000, MBUS_DEFAULT_TIMEOUT_MS,
                           G_PARAM_READWRITE | G_PARAM_CONSTRUCT | G_PARAM_STATIC_STRINGS);
  /**
   * LersMbusDriver:retries:
   *
   * How many times a request is sent again after a lost or garbled reply.
   *
   * Since: 0.1
   */
  props[PROP_RETRIES]
      = g_param_spec_uint ("retries", NULL, NULL, 0, 10, MBUS_DEFAULT_RETRIES,
                           G_PARAM_READWRITE | G_PARAM_CONSTRUCT | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, props);
}

static void
lers_mbus_driver_class_finalize (LersMbusDriverClass *klass)
{
}

static void
lers_mbus_driver_init (LersMbusDriver *self)
{
}

/**
 * lers_mbus_driver_register:
 * @module: the plugin's type module
 *
 * Registers #LersMbusDriver with @module.
 *
 * Since: 0.1
 */
void
lers_mbus_driver_register (GTypeModule *module)
{
  lers_mbus_driver_register_type (module);
}

/**
 * lers_mbus_driver_new:
 *
 * Returns: (transfer full): a driver
 *
 * Since: 0.1
 */
LersMbusDriver *
lers_mbus_driver_new (void)
{
  return g_object_new (LERS_TYPE_MBUS_DRIVER, NULL);
}
