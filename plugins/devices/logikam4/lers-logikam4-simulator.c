/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * The simulated M4 meter. It answers, as РАЖГ.00293-33 describes:
 *   3F (full or short)  → 3F DVC_L DVC_H VX
 *   72 PNUM…            → the values, in order (21 02 for an unknown one)
 *   77 PNUM val…        → 46 (ACK) per item; the clock (Ch 0, 1025 DATE,
 *                         1024 TIME) only
 *   61 {CNT Ch Rectype N} ARCHDATE [ARCHDATE] → the records, Date(+1);
 *                         FastLZ-packed when Rectype bits 4–7 are 1 or 2
 *                         and the model packs (СПТ944)
 * and stays silent on a frame with a bad checksum or for another NT (§3.2).
 * A bad request structure is 21 00, a bad value 21 02 (§3.2 table 3).
 */
#include "lers-logikam4-simulator.h"

#include <string.h>

#include "logikam4-convert.h"
#include "logikam4-frame.h"
#include "logikam4-model.h"
#include "logikam4-simdata.h"
#include "logikam4-tlv.h"

struct _LersLogikam4Simulator
{
  GObject parent_instance;

  gchar *serial_number;
  guint address;
  guint seed;
  guint circuits;
  guint answer_delay_ms;
  gint64 clock_time;
  gchar *clock_zone;
  guint reporting_hour; /* ЧР: day and month records end at this hour */
  const M4Model *model;
  gint64 clock_offset; /* set by a 77 write of the clock */
};

static void lers_logikam4_simulator_iface_init (LersDeviceSimulatorInterface *iface);

G_DEFINE_DYNAMIC_TYPE_EXTENDED (LersLogikam4Simulator, lers_logikam4_simulator, G_TYPE_OBJECT,
                                G_TYPE_FLAG_FINAL,
                                G_IMPLEMENT_INTERFACE_DYNAMIC (LERS_TYPE_DEVICE_SIMULATOR,
                                                               lers_logikam4_simulator_iface_init))

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
  PROP_REPORTING_HOUR,
  N_PROPS
};

static GParamSpec *props[N_PROPS];

/* ---- the meter's clock, as wall time read as UTC ------------------------- */

static GTimeZone *
sim_zone (LersLogikam4Simulator *self)
{
  GTimeZone *zone = lers_time_zone_new (self->clock_zone, NULL);

  return zone != NULL ? zone : g_time_zone_new_utc ();
}

static gint64
sim_now (LersLogikam4Simulator *self)
{
  /* a set clock-time stands still: answers are the same bytes every run */
  gint64 t = self->clock_time != 0 ? self->clock_time : g_get_real_time () / G_USEC_PER_SEC;
  g_autoptr (GTimeZone) zone = sim_zone (self);
  g_autoptr (GDateTime) dt = NULL;

  t += self->clock_offset;
  dt = g_date_time_new_from_unix_utc (t);
  {
    g_autoptr (GDateTime) local = g_date_time_to_timezone (dt, zone);
    return t + g_date_time_get_utc_offset (local) / G_USEC_PER_SEC;
  }
}

static void
wall_to_date (gint64 wall, M4Date *date)
{
  g_autoptr (GDateTime) dt = g_date_time_new_from_unix_utc (wall);

  m4_date_from_time (dt, date);
}

static gint64
date_to_wall (const M4Date *date)
{
  g_autoptr (GTimeZone) utc = g_time_zone_new_utc ();
  g_autoptr (GDateTime) dt = m4_date_to_time (date, utc);

  return dt != NULL ? g_date_time_to_unix (dt) : 0;
}

/* ---- values ----------------------------------------------------------------- */

static gboolean
pressure_in_kgf (LersLogikam4Simulator *self)
{
  /* the СПТ943.3 has one ЕИ for both: we answer 0, kgf/cm² and Gcal */
  return self->model->pressure_unit.present && self->model->energy_unit.present
         && self->model->pressure_unit.number == self->model->energy_unit.number;
}

static gdouble
to_device_units (LersLogikam4Simulator *self, LersParameter p, gdouble v)
{
  if ((p == LERS_PARAMETER_P_IN || p == LERS_PARAMETER_P_OUT || p == LERS_PARAMETER_P_CW)
      && pressure_in_kgf (self))
    return v / m4_pressure_factor (0);
  return v;
}

static void
append_value (LersLogikam4Simulator *self, GByteArray *out, const M4SimData *d,
              LersArchiveKind kind, gint64 start, gint64 clock, const M4Target *t, guint channel,
              gboolean total)
{
  gdouble v;
  gboolean ok;

  if (t == NULL)
    {
      m4_tlv_append (out, M4_TAG_NULL, NULL, 0);
      return;
    }
  if (t->ns)
    {
      guint8 bits[12] = { 0 };
      gsize n = g_strcmp0 (self->model->ns_table, "spt944") == 0 ? 12 : 8;
      guint bit = g_strcmp0 (self->model->ns_table, "spt944") == 0      ? 20
                  : g_strcmp0 (self->model->ns_table, "spt941-20") == 0 ? 39
                                                                        : 4;
      gint64 end = m4_sim_period_end (kind, start);

      for (gint64 h = start; h < end; h += 3600)
        if (m4_sim_hour_ns (d, h, clock, channel))
          bits[bit / 8] |= (guint8) (1 << (bit % 8));
      m4_tlv_append_flags (out, bits, n);
      return;
    }
  ok = total ? m4_sim_total (d, t->parameter, channel, clock, &v)
             : m4_sim_value (d, kind, start, clock, t->parameter, channel, &v);
  if (!ok)
    {
      m4_tlv_append (out, M4_TAG_NULL, NULL, 0);
      return;
    }
  v = to_device_units (self, t->parameter, v);
  if (total)
    {
      gint32 i = (gint32) v;
      m4_tlv_append_mixed (out, i, (gfloat) (v - i));
    }
  else
    m4_tlv_append_float (out, (gfloat) v);
}

/* ---- requests --------------------------------------------------------------- */

static GByteArray *
error_body (guint8 code)
{
  GByteArray *body = g_byte_array_new ();
  guint8 b[2] = { M4_FNC_ERROR, code };

  g_byte_array_append (body, b, 2);
  return body;
}

static void
append_ascii (GByteArray *out, const gchar *text)
{
  m4_tlv_append (out, M4_TAG_ASCII, (const guint8 *) text, strlen (text));
}

static GByteArray *
handle_read (LersLogikam4Simulator *self, const M4SimData *d, GArray *items)
{
  GByteArray *body = g_byte_array_new ();
  guint8 fnc = M4_FNC_READ;
  gint64 now = sim_now (self);
  const M4Model *m = self->model;

  g_byte_array_append (body, &fnc, 1);
  for (guint i = 0; i < items->len; i++)
    {
      const M4Tlv *t = &g_array_index (items, M4Tlv, i);
      guint8 ch;
      guint number;
      M4Date date;
      gboolean done = FALSE;

      if (t->tag != M4_TAG_PNUM || t->len != 3)
        {
          g_byte_array_unref (body);
          return error_body (0x00);
        }
      ch = t->value[0];
      number = t->value[1] | t->value[2] << 8;
      wall_to_date (now, &date);
      if (ch == 0 && number == 1025)
        {
          guint8 v[4] = { (guint8) date.day, (guint8) date.month, (guint8) (date.year - 2000), 0 };
          g_autoptr (GDateTime) dt = g_date_time_new_from_unix_utc (now);

          /* DW: 0 = Monday (the recorded СПТ943.3 says 01 on Tuesday 29.09.15) */
          v[3] = (guint8) (g_date_time_get_day_of_week (dt) - 1);
          m4_tlv_append (body, M4_TAG_DATE, v, 4);
          continue;
        }
      if (ch == 0 && number == 1024)
        {
          guint8 v[4] = { 0, (guint8) date.second, (guint8) date.minute, (guint8) date.hour };
          m4_tlv_append (body, M4_TAG_TIME, v, 4);
          continue;
        }
      if (ch == 0 && number == 8256)
        {
          m4_tlv_append_intu (body, (guint32) g_ascii_strtoull (self->serial_number, NULL, 10));
          continue;
        }
      if (m->pressure_unit.present && ch == m->pressure_unit.ch
          && number == m->pressure_unit.number)
        {
          append_ascii (body, pressure_in_kgf (self) ? "0" : "1");
          continue;
        }
      if (m->energy_unit.present && ch == m->energy_unit.ch && number == m->energy_unit.number)
        {
          append_ascii (body, "0");
          continue;
        }
      if (m->reporting_hour.present && ch == m->reporting_hour.ch
          && number == m->reporting_hour.number)
        {
          g_autofree gchar *text = g_strdup_printf ("%02u", self->reporting_hour);

          append_ascii (body, text);
          continue;
        }
      for (guint pass = 0; pass < 2 && !done; pass++)
        {
          GArray *list = pass == 0 ? m->current : m->totals;

          for (guint j = 0; j < list->len && !done; j++)
            {
              const M4Param *p = &g_array_index (list, M4Param, j);

              if (p->ch != ch || p->number != number)
                continue;
              append_value (self, body, d, LERS_ARCHIVE_KIND_CURRENT, now, now, &p->target,
                            (guint) MAX (p->target.channel, 0), pass == 1);
              done = TRUE;
            }
        }
      if (!done)
        {
          g_byte_array_unref (body);
          return error_body (0x02);
        }
    }
  return body;
}

static GByteArray *
handle_write (LersLogikam4Simulator *self, GArray *items)
{
  GByteArray *body = g_byte_array_new ();
  guint8 fnc = M4_FNC_WRITE;
  M4Date date, time;
  gboolean have_date = FALSE, have_time = FALSE;

  g_byte_array_append (body, &fnc, 1);
  for (guint i = 0; i + 1 < items->len; i += 2)
    {
      const M4Tlv *pn = &g_array_index (items, M4Tlv, i);
      const M4Tlv *val = &g_array_index (items, M4Tlv, i + 1);
      guint number;

      if (pn->tag != M4_TAG_PNUM || pn->len != 3)
        break;
      number = pn->value[1] | pn->value[2] << 8;
      if (pn->value[0] == 0 && number == 1025 && val->tag == M4_TAG_DATE
          && m4_archdate_parse (val, &date, NULL))
        have_date = TRUE;
      else if (pn->value[0] == 0 && number == 1024 && val->tag == M4_TAG_TIME
               && m4_archdate_parse (val, &time, NULL))
        have_time = TRUE;
      else
        {
          guint8 e = 0x01; /* write-protected */
          m4_tlv_append (body, M4_TAG_ERR, &e, 1);
          continue;
        }
      m4_tlv_append (body, M4_TAG_ACK, NULL, 0);
    }
  if (items->len % 2 != 0 || body->len == 1)
    {
      g_byte_array_unref (body);
      return error_body (0x00);
    }
  if (have_date && have_time)
    {
      date.hour = time.hour;
      date.minute = time.minute;
      date.second = time.second;
      date.ms = 0;
      self->clock_offset += date_to_wall (&date) - sim_now (self);
    }
  return body;
}

/* the event log (Rectype 6): "НС начало" and "НС конец" at the start and
 * the end of the НС hours on heat input 0, the same answer on every Ch (the
 * log is the meter's: tests/replay-spt943-3.txt has it alike on Ch 1 and
 * Ch 2); the settings log (4) is empty. Texts in Windows-1251. */
static GByteArray *
handle_log (LersLogikam4Simulator *self, const M4SimData *d, guint rectype, const M4Date *from_date,
            const M4Date *to_date)
{
  GByteArray *body = g_byte_array_new ();
  guint8 fnc = M4_FNC_ARCHIVE;
  gint64 now = sim_now (self);
  gint64 from = date_to_wall (from_date);
  gint64 to = to_date != NULL ? date_to_wall (to_date) : G_MAXINT64;
  gint64 day = now / 86400 - 2 - (d->seed % 5);
  const struct
  {
    gint64 t;
    const gchar *text;
  } log[] = { { day * 86400 + 10 * 3600, "НС начало" }, { day * 86400 + 13 * 3600, "НС конец" } };

  g_byte_array_append (body, &fnc, 1);
  for (guint i = 0; rectype == 6 && i < G_N_ELEMENTS (log); i++)
    {
      g_autofree gchar *text = NULL;
      gsize n = 0;
      M4Date when;

      if (log[i].t < from || log[i].t > to || log[i].t > now)
        continue;
      text = g_convert (log[i].text, -1, "CP1251", "UTF-8", NULL, &n, NULL);
      wall_to_date (log[i].t, &when);
      m4_tlv_append_archdate (body, &when, 8);
      m4_tlv_append (body, M4_TAG_ASCII, (const guint8 *) text, n);
    }
  m4_tlv_append (body, M4_TAG_ARCHDATE, NULL, 0);
  m4_tlv_append (body, M4_TAG_SEQUENCE, NULL, 0);
  return body;
}

static GByteArray *
handle_archive (LersLogikam4Simulator *self, const M4SimData *d, GArray *items)
{
  const M4Model *m = self->model;
  const M4Tlv *spec;
  M4Date from_date, to_date;
  LersArchiveKind kind;
  guint8 rectype, ch, n_max;
  guint request_index = G_MAXUINT;
  gint64 now = sim_now (self), from, to, start, last, depth, shift;
  g_autoptr (GByteArray) payload = g_byte_array_new ();
  GByteArray *body;
  guint8 fnc = M4_FNC_ARCHIVE;
  guint n = 0;

  if (items->len < 2 || items->len > 3)
    return error_body (0x00);
  spec = &g_array_index (items, M4Tlv, 0);
  if (spec->tag != M4_TAG_OCTET_STRING || spec->len != 5
      || !m4_archdate_parse (&g_array_index (items, M4Tlv, 1), &from_date, NULL)
      || (items->len == 3 && !m4_archdate_parse (&g_array_index (items, M4Tlv, 2), &to_date, NULL)))
    return error_body (0x00);
  ch = spec->value[2];
  rectype = spec->value[3];
  n_max = spec->value[4];
  switch (rectype & 0x0F)
    {
    case 0:
      kind = LERS_ARCHIVE_KIND_HOUR;
      depth = 1800 * 3600; /* 75 days */
      break;
    case 1:
      kind = LERS_ARCHIVE_KIND_DAY;
      depth = 400 * 86400;
      break;
    case 3:
      kind = LERS_ARCHIVE_KIND_MONTH;
      depth = 1100 * 86400;
      break;
    case 4:
    case 6:
      return handle_log (self, d, rectype & 0x0F, &from_date, items->len == 3 ? &to_date : NULL);
    default:
      return error_body (0x02);
    }
  for (guint i = 0; i < m->archive_channels->len; i++)
    if (g_array_index (m->archive_channels, guint8, i) == ch)
      request_index = i;
  if (request_index == G_MAXUINT || m->items->len == 0)
    return error_body (0x02);
  from = date_to_wall (&from_date);
  to = items->len == 3 ? date_to_wall (&to_date) : G_MAXINT64;
  if (to < from)
    return error_body (0x02); /* 944_d7 §4.2: no reverse order */
  /* stamps are period ends; the last record ended at or before now; a day
   * or month stamped with its date alone ends at the reporting hour ЧР of
   * that date, its data are the hours [stamp − period + ЧР, stamp + ЧР) */
  shift = kind != LERS_ARCHIVE_KIND_HOUR ? (gint64) self->reporting_hour * 3600 : 0;
  last = m4_sim_period_floor (kind, now - shift);
  start = m4_sim_period_floor (kind, MAX (from, last - depth));
  if (start < from)
    start = m4_sim_period_end (kind, start);
  if (start < m4_sim_period_end (kind, m4_sim_period_floor (kind, last - depth)))
    start = m4_sim_period_end (kind, m4_sim_period_floor (kind, last - depth));
  for (; start <= to && start <= last && n < n_max; start = m4_sim_period_end (kind, start))
    {
      g_autoptr (GByteArray) rec = g_byte_array_new ();
      gint64 period = m4_sim_period_floor (kind, start - 1) + shift;
      M4Date stamp;

      for (guint i = 0; i < m->items->len; i++)
        {
          GArray *targets = g_ptr_array_index (m->items, i);
          const M4Target *t = targets->len > 0 ? &g_array_index (targets, M4Target, 0) : NULL;
          guint channel = t != NULL && t->channel >= 0 ? (guint) t->channel : request_index;

          append_value (self, rec, d, kind, period, now, t, channel, FALSE);
        }
      if (payload->len + rec->len + 24 > M4_MAX_BODY)
        break;
      wall_to_date (start, &stamp);
      m4_tlv_append_archdate (payload, &stamp,
                              kind == LERS_ARCHIVE_KIND_HOUR  ? 4
                              : kind == LERS_ARCHIVE_KIND_DAY ? 3
                                                              : 2);
      m4_tlv_append (payload, M4_TAG_SEQUENCE, rec->data, rec->len);
      n++;
    }
  /* Date(+1): the next record, if the archive has it */
  if (start <= last)
    {
      M4Date next;
      wall_to_date (start, &next);
      m4_tlv_append_archdate (payload, &next, 8);
    }
  else
    m4_tlv_append (payload, M4_TAG_ARCHDATE, NULL, 0);
  m4_tlv_append (payload, M4_TAG_SEQUENCE, NULL, 0);

  body = g_byte_array_new ();
  g_byte_array_append (body, &fnc, 1);
  if (m->flz && (rectype >> 4) != 0 && (rectype >> 4) <= 2)
    {
      g_autoptr (GBytes) packed = m4_flz_compress (payload->data, payload->len);
      gsize plen = 0;
      const guint8 *pdata = g_bytes_get_data (packed, &plen);

      m4_tlv_append (body, M4_TAG_OCTET_STRING, pdata, plen);
    }
  else
    g_byte_array_append (body, payload->data, payload->len);
  return body;
}

/**
 * lers_logikam4_simulator_handle:
 * @self: the meter
 * @frame: one request frame
 * @len: its length
 *
 * Returns: (transfer full) (nullable): the answer frame, or %NULL where the
 *   meter stays silent
 */
GBytes *
lers_logikam4_simulator_handle (LersLogikam4Simulator *self, const guint8 *frame, gsize len)
{
  g_autoptr (M4Frame) f = m4_frame_parse (frame, len, NULL);
  g_autoptr (GByteArray) answer = NULL;
  g_autoptr (GArray) items = NULL;
  M4SimData d = { self->seed, MIN (self->circuits, self->model->circuits) };
  gsize n = 0;
  const guint8 *body;

  if (f == NULL)
    return NULL;
  if (f->nt != M4_NT_BROADCAST && f->nt != self->address)
    return NULL;
  body = g_bytes_get_data (f->body, &n);
  if (n == 0)
    return NULL;
  if (body[0] == M4_FNC_SESSION)
    {
      guint8 a[4] = { M4_FNC_SESSION, self->model->code >> 8, self->model->code & 0xFF,
                      (guint8) self->model->version_min };

      answer = g_byte_array_new ();
      g_byte_array_append (answer, a, 4);
    }
  else if (!f->full)
    answer = error_body (0x00);
  else if (body[0] == M4_FNC_READ || body[0] == M4_FNC_WRITE || body[0] == M4_FNC_ARCHIVE)
    {
      items = m4_tlv_parse_all (body + 1, n - 1, NULL);
      if (items == NULL || items->len == 0)
        answer = error_body (0x00);
      else if (body[0] == M4_FNC_READ)
        answer = items->len > 32 ? error_body (0x02) : handle_read (self, &d, items);
      else if (body[0] == M4_FNC_WRITE)
        answer = handle_write (self, items);
      else
        answer = handle_archive (self, &d, items);
    }
  else
    answer = error_body (0x00);
  if (f->full)
    return m4_frame_build_full (f->nt, f->id, answer->data, answer->len);
  return m4_frame_build_short (f->nt, answer->data, answer->len);
}

/* ---- serving a stream ------------------------------------------------------- */

static gssize
serve_scan (const guint8 *data, gsize len, gpointer user_data)
{
  /* the start sequence (FF…) and noise are dropped as a UART resynchronises */
  return m4_frame_scan (data, len, NULL);
}

static GBytes *
serve_answer (gpointer user_data, const guint8 *frame, gsize len, guint *delay_ms)
{
  LersLogikam4Simulator *self = user_data;

  *delay_ms = self->answer_delay_ms;
  return lers_logikam4_simulator_handle (self, frame, len);
}

static void
lers_logikam4_simulator_serve_async (LersDeviceSimulator *simulator, GIOStream *stream,
                                     GCancellable *cancellable, GAsyncReadyCallback callback,
                                     gpointer user_data)
{
  g_autoptr (LersFrameServer) server = lers_frame_server_new (
      stream, serve_scan, simulator, NULL, serve_answer, g_object_ref (simulator), g_object_unref);

  lers_frame_server_serve_async (server, simulator, lers_logikam4_simulator_serve_async,
                                 cancellable, callback, user_data);
}

static gboolean
lers_logikam4_simulator_serve_finish (LersDeviceSimulator *simulator, GAsyncResult *result,
                                      GError **error)
{
  g_return_val_if_fail (g_task_is_valid (result, simulator), FALSE);
  return g_task_propagate_boolean (G_TASK (result), error);
}

static const gchar *
lers_logikam4_simulator_get_protocol (LersDeviceSimulator *simulator)
{
  return "logikam4";
}

static void
lers_logikam4_simulator_iface_init (LersDeviceSimulatorInterface *iface)
{
  iface->get_protocol = lers_logikam4_simulator_get_protocol;
  iface->serve_async = lers_logikam4_simulator_serve_async;
  iface->serve_finish = lers_logikam4_simulator_serve_finish;
}

/* ---- GObject ------------------------------------------------------------------ */

static void
lers_logikam4_simulator_get_property (GObject *object, guint prop_id, GValue *value,
                                      GParamSpec *pspec)
{
  LersLogikam4Simulator *self = LERS_LOGIKAM4_SIMULATOR (object);

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
      g_value_set_string (value, self->model->name);
      break;
    case PROP_REPORTING_HOUR:
      g_value_set_uint (value, self->reporting_hour);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
lers_logikam4_simulator_set_property (GObject *object, guint prop_id, const GValue *value,
                                      GParamSpec *pspec)
{
  LersLogikam4Simulator *self = LERS_LOGIKAM4_SIMULATOR (object);

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
      self->circuits = CLAMP (g_value_get_uint (value), 1, 2);
      break;
    case PROP_ANSWER_DELAY_MS:
      self->answer_delay_ms = g_value_get_uint (value);
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
        /* an unknown name keeps the model we have */
        const M4Model *m = m4_model_find (g_value_get_string (value));
        if (m != NULL)
          self->model = m;
      }
      break;
    case PROP_REPORTING_HOUR:
      self->reporting_hour = g_value_get_uint (value);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
lers_logikam4_simulator_finalize (GObject *object)
{
  LersLogikam4Simulator *self = LERS_LOGIKAM4_SIMULATOR (object);

  g_free (self->serial_number);
  g_free (self->clock_zone);
  G_OBJECT_CLASS (lers_logikam4_simulator_parent_class)->finalize (object);
}

static void
lers_logikam4_simulator_class_init (LersLogikam4SimulatorClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GParamFlags flags = G_PARAM_READWRITE | G_PARAM_CONSTRUCT | G_PARAM_STATIC_STRINGS;

  object_class->get_property = lers_logikam4_simulator_get_property;
  object_class->set_property = lers_logikam4_simulator_set_property;
  object_class->finalize = lers_logikam4_simulator_finalize;

  /* the factory number (8256 on Ch 0) */
  props[PROP_SERIAL_NUMBER] = g_param_spec_string ("serial-number", NULL, NULL, "55150", flags);
  /* NT, 0…254; requests to 255 are answered too */
  props[PROP_ADDRESS] = g_param_spec_uint ("address", NULL, NULL, 0, 255, 0, flags);
  props[PROP_SEED] = g_param_spec_uint ("seed", NULL, NULL, 0, G_MAXUINT, 1, flags);
  /* heat inputs (gas pipelines) served, up to the model's */
  props[PROP_CIRCUITS] = g_param_spec_uint ("circuits", NULL, NULL, 1, 2, 2, flags);
  props[PROP_ANSWER_DELAY_MS]
      = g_param_spec_uint ("answer-delay-ms", NULL, NULL, 0, 60000, 0, flags);
  /* Unix seconds of the meter's clock at construction; 0: the real clock */
  props[PROP_CLOCK_TIME] = g_param_spec_int64 ("clock-time", NULL, NULL, 0, G_MAXINT64, 0, flags);
  /* the zone of the meter's wall clock */
  props[PROP_CLOCK_ZONE] = g_param_spec_string ("clock-zone", NULL, NULL, "UTC", flags);
  /* "СПТ944", "СПТ943.3", "СПТ941.20" or "СПГ742" */
  props[PROP_MODEL] = g_param_spec_string ("model", NULL, NULL, "СПТ944", flags);
  /* the reporting hour ЧР answered and applied to day and month records */
  props[PROP_REPORTING_HOUR] = g_param_spec_uint ("reporting-hour", NULL, NULL, 0, 23, 0, flags);
  g_object_class_install_properties (object_class, N_PROPS, props);
}

static void
lers_logikam4_simulator_class_finalize (LersLogikam4SimulatorClass *klass)
{
}

static void
lers_logikam4_simulator_init (LersLogikam4Simulator *self)
{
  self->model = m4_model_find ("СПТ944");
  self->circuits = 2;
}

/**
 * lers_logikam4_simulator_register:
 * @module: the plugin's type module
 *
 * Registers #LersLogikam4Simulator with @module.
 */
void
lers_logikam4_simulator_register (GTypeModule *module)
{
  lers_logikam4_simulator_register_type (module);
}
