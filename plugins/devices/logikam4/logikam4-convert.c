/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * From decoded M4 answers to LERS records and events, by the model's field
 * lists (logikam4-model.c). Units: temperatures °C, volumes m³, masses t and
 * timers hours as the meter sends them; pressure from the meter's ЕИ/P unit
 * to MPa and heat from its ЕИ/Q unit to Gcal.
 *
 * Time stamps: an interval archive record's ARCHDATE is the moment the
 * record was made, the END of its hour, day or month (the recorded СПТ943.3
 * session in tests/ shows the record stamped 16:00 present at 16:07, and
 * table 11 calls the field "Дата создания записи"); day and month stamps
 * without an hour fall at the reporting hour ЧР. LERS keeps the START.
 */
#include "logikam4-convert.h"

#include <math.h>

#include <glib/gi18n-lib.h>

#include "logikam4-ns.h"

/* 944_d7 table 2, ЕИ/P: 0 kgf/cm², 1 MPa, 2 bar */
gdouble
m4_pressure_factor (guint unit_index)
{
  switch (unit_index)
    {
    case 0:
      return 0.0980665;
    case 2:
      return 0.1;
    default:
      return 1.0;
    }
}

/* ЕИ/Q: 0 Gcal, 1 GJ (1 Gcal = 4.1868 GJ), 2 MWh (1 Gcal = 1.163 MWh) */
gdouble
m4_energy_factor (guint unit_index)
{
  switch (unit_index)
    {
    case 1:
      return 1.0 / 4.1868;
    case 2:
      return 1.0 / 1.163;
    default:
      return 1.0;
    }
}

GDateTime *
m4_date_to_time (const M4Date *date, GTimeZone *zone)
{
  return g_date_time_new (zone, date->year, date->month, date->day, date->hour, date->minute,
                          date->second + date->ms / 1000.0);
}

void
m4_date_from_time (GDateTime *time, M4Date *date)
{
  date->year = g_date_time_get_year (time);
  date->month = g_date_time_get_month (time);
  date->day = g_date_time_get_day_of_month (time);
  date->hour = g_date_time_get_hour (time);
  date->minute = g_date_time_get_minute (time);
  date->second = g_date_time_get_second (time);
  date->ms = g_date_time_get_microsecond (time) / 1000;
  date->n_fields = 8;
}

GDateTime *
m4_period_add (LersArchiveKind kind, GDateTime *time, gint n)
{
  switch (kind)
    {
    case LERS_ARCHIVE_KIND_HOUR:
      return g_date_time_add_hours (time, n);
    case LERS_ARCHIVE_KIND_DAY:
      return g_date_time_add_days (time, n);
    case LERS_ARCHIVE_KIND_MONTH:
      return g_date_time_add_months (time, n);
    default:
      return g_date_time_ref (time);
    }
}

GDateTime *
m4_period_start (const M4Context *ctx, LersArchiveKind kind, const M4Date *stamp)
{
  g_autoptr (GDateTime) end = m4_date_to_time (stamp, ctx->zone);
  g_autoptr (GDateTime) at_hour = NULL;

  if (end == NULL)
    return NULL;
  if (kind != LERS_ARCHIVE_KIND_HOUR && stamp->n_fields <= 3)
    at_hour = g_date_time_add_hours (end, (gint) ctx->reporting_hour);
  else
    at_hour = g_date_time_ref (end);
  return m4_period_add (kind, at_hour, -1);
}

static gdouble
scale (const M4Context *ctx, LersParameter p, gdouble v)
{
  switch (p)
    {
    case LERS_PARAMETER_P_IN:
    case LERS_PARAMETER_P_OUT:
    case LERS_PARAMETER_P_CW:
    case LERS_PARAMETER_P_DELTA:
    case LERS_PARAMETER_P:
      return v * ctx->pressure_factor;
    case LERS_PARAMETER_Q_IN:
    case LERS_PARAMETER_Q_OUT:
    case LERS_PARAMETER_Q_DELTA:
      return v * ctx->energy_factor;
    default:
      return v;
    }
}

static LersRecord *
record_for (GPtrArray *records, GDateTime *time, LersArchiveKind kind, guint channel)
{
  LersRecord *r;

  for (guint i = 0; i < records->len; i++)
    {
      r = g_ptr_array_index (records, i);
      if (lers_record_get_channel (r) == channel
          && g_date_time_equal (lers_record_get_timestamp (r), time))
        return r;
    }
  r = lers_record_new (time, kind);
  lers_record_set_channel (r, channel);
  g_ptr_array_add (records, r);
  return r;
}

static void
set_value (const M4Context *ctx, GPtrArray *records, GDateTime *time, LersArchiveKind kind,
           const M4Target *t, guint channel, const M4Tlv *tlv)
{
  gdouble v;

  if (tlv->tag == M4_TAG_NULL || channel >= ctx->model->circuits)
    return;
  if (!m4_tlv_get_number (tlv, &v, NULL))
    return;
  if (!isfinite (v))
    {
      lers_record_set_value (record_for (records, time, kind, channel), t->parameter, 0.0,
                             LERS_VALUE_FLAG_BAD);
      return;
    }
  lers_record_set_value (record_for (records, time, kind, channel), t->parameter,
                         scale (ctx, t->parameter, v), LERS_VALUE_FLAG_NONE);
}

/* One archive record (the answer to the @request_index-th request of the
 * model's archive channels) → values in @records (LersRecord per channel,
 * found or added) and its set НС bits in @ns_bits. */
void
m4_convert_archive_record (const M4Context *ctx, LersArchiveKind kind,
                           const M4ArchiveRecord *record, guint request_index, GDateTime *start,
                           GPtrArray *records, GArray *ns_bits)
{
  const M4Model *m = ctx->model;

  for (guint i = 0; i < record->items->len && i < m->items->len; i++)
    {
      const M4Tlv *tlv = &g_array_index (record->items, M4Tlv, i);
      GArray *targets = g_ptr_array_index (m->items, i);

      for (guint j = 0; j < targets->len; j++)
        {
          const M4Target *t = &g_array_index (targets, M4Target, j);
          guint channel = t->channel >= 0 ? (guint) t->channel : request_index;

          if (t->ns)
            {
              for (guint bit = 0; ns_bits != NULL && tlv->tag == M4_TAG_FLAGS && bit < tlv->len * 8;
                   bit++)
                if (m4_tlv_flag_is_set (tlv, bit))
                  {
                    M4NsInfo info;
                    M4NsBit b;

                    m4_ns_describe (m->ns_table, bit, &info);
                    g_free (info.text);
                    b.bit = bit;
                    b.channel = info.channel >= 0 ? (guint) info.channel : channel;
                    if (b.channel < m->circuits)
                      g_array_append_val (ns_bits, b);
                  }
              continue;
            }
          if (records != NULL)
            set_value (ctx, records, start, kind, t, channel, tlv);
        }
    }
}

/* the value elements of a 72 answer: Operative flags dropped */
GArray *
m4_answer_values (GArray *items)
{
  GArray *values = g_array_new (FALSE, FALSE, sizeof (M4Tlv));

  for (guint i = 0; i < items->len; i++)
    {
      const M4Tlv *t = &g_array_index (items, M4Tlv, i);
      if (t->tag != M4_TAG_OPERATIVE)
        g_array_append_val (values, *t);
    }
  return values;
}

gboolean
m4_convert_params (const M4Context *ctx, const M4Param *params, guint n_params, GArray *items,
                   LersArchiveKind kind, GDateTime *time, GPtrArray *records, GError **error)
{
  g_autoptr (GArray) values = m4_answer_values (items);

  if (values->len != n_params)
    {
      g_set_error (error, LERS_ERROR, LERS_ERROR_INVALID_DATA,
                   _ ("asked for %u parameters, the meter answered %u"), n_params, values->len);
      return FALSE;
    }
  for (guint i = 0; i < n_params; i++)
    {
      const M4Param *p = &params[i];

      if (p->target.ns)
        continue;
      set_value (ctx, records, time, kind, &p->target, (guint) MAX (p->target.channel, 0),
                 &g_array_index (values, M4Tlv, i));
    }
  return TRUE;
}

void
m4_event_builder_init (M4EventBuilder *builder)
{
  builder->events = g_ptr_array_new_with_free_func (g_object_unref);
  builder->open = g_hash_table_new (NULL, NULL);
}

void
m4_event_builder_clear (M4EventBuilder *builder)
{
  g_clear_pointer (&builder->events, g_ptr_array_unref);
  g_clear_pointer (&builder->open, g_hash_table_unref);
}

void
m4_event_builder_add (M4EventBuilder *builder, const M4Model *model, guint bit, guint channel,
                      GDateTime *start, GDateTime *end)
{
  gpointer key = GUINT_TO_POINTER (bit << 8 | channel);
  LersMeterEvent *ev = g_hash_table_lookup (builder->open, key);
  M4NsInfo info;

  if (ev != NULL && g_date_time_equal (lers_meter_event_get_end (ev), start))
    {
      lers_meter_event_set_end (ev, end);
      return;
    }
  m4_ns_describe (model->ns_table, bit, &info);
  ev = lers_meter_event_new (info.code, start);
  lers_meter_event_set_end (ev, end);
  lers_meter_event_set_channel (ev, channel);
  lers_meter_event_set_device_code (ev, (gint) bit);
  lers_meter_event_set_text (ev, info.text);
  lers_meter_event_set_severity (ev, info.severity);
  g_free (info.text);
  g_ptr_array_add (builder->events, ev);
  g_hash_table_insert (builder->open, key, ev);
}
