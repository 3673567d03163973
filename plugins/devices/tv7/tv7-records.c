/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * ТВ7 blocks → LERS records (ТВ1 channel 0, ТВ2 channel 1) and the hour
 * archive's ВОС → meter events. The mapping table is in README.md.
 */
#include <math.h>

#include "tv7-records.h"

#include <glib/gi18n-lib.h>

static void
put (LersRecord *record, LersParameter p, gdouble v, gboolean *any)
{
  if (isfinite (v))
    {
      lers_record_set_value (record, p, v, LERS_VALUE_FLAG_NONE);
      *any = TRUE;
    }
  else
    lers_record_set_value (record, p, 0, LERS_VALUE_FLAG_BAD);
}

/* a record of a heat input whose every value is NaN is not kept: the
 * input is not configured */
static void
keep (GPtrArray *records, LersRecord *record, gboolean any)
{
  if (any)
    g_ptr_array_add (records, g_object_ref (record));
}

void
tv7_records_add_archive (GPtrArray *records, const Tv7Archive *a, LersArchiveKind kind,
                         GDateTime *t, gdouble heat_factor)
{
  for (guint c = 0; c < TV7_CHANNELS; c++)
    {
      g_autoptr (LersRecord) r = lers_record_new (t, kind);
      gboolean any = FALSE;

      lers_record_set_channel (r, c);
      put (r, LERS_PARAMETER_T_IN, a->t[c][0], &any);
      put (r, LERS_PARAMETER_T_OUT, a->t[c][1], &any);
      put (r, LERS_PARAMETER_P_IN, a->p[c][0], &any);
      put (r, LERS_PARAMETER_P_OUT, a->p[c][1], &any);
      put (r, LERS_PARAMETER_V_IN, a->v[c][0], &any);
      put (r, LERS_PARAMETER_V_OUT, a->v[c][1], &any);
      put (r, LERS_PARAMETER_M_IN, a->m[c][0], &any);
      put (r, LERS_PARAMETER_M_OUT, a->m[c][1], &any);
      put (r, LERS_PARAMETER_T_OUTDOOR, a->t_outdoor[c], &any);
      put (r, LERS_PARAMETER_T_CW, a->t_cw[c], &any);
      put (r, LERS_PARAMETER_P_CW, a->p_cw[c], &any);
      put (r, LERS_PARAMETER_T_DELTA, a->dt[c], &any);
      put (r, LERS_PARAMETER_M_DELTA, a->dm[c], &any);
      put (r, LERS_PARAMETER_Q_DELTA, a->q_tv[c] * heat_factor, &any);
      if (any)
        {
          lers_record_set_value (r, LERS_PARAMETER_NORMAL_OPERATION_DURATION, a->vnr[c] / 60.0,
                                 LERS_VALUE_FLAG_NONE);
          lers_record_set_value (r, LERS_PARAMETER_STOP_DURATION, a->vos[c] / 60.0,
                                 LERS_VALUE_FLAG_NONE);
        }
      keep (records, r, any);
    }
}

void
tv7_records_add_current (GPtrArray *records, const Tv7Current *cur, GDateTime *t)
{
  for (guint c = 0; c < TV7_CHANNELS; c++)
    {
      g_autoptr (LersRecord) r = lers_record_new (t, LERS_ARCHIVE_KIND_CURRENT);
      gboolean any = FALSE;

      lers_record_set_channel (r, c);
      put (r, LERS_PARAMETER_T_IN, cur->t[c][0], &any);
      put (r, LERS_PARAMETER_T_OUT, cur->t[c][1], &any);
      put (r, LERS_PARAMETER_P_IN, cur->p[c][0], &any);
      put (r, LERS_PARAMETER_P_OUT, cur->p[c][1], &any);
      put (r, LERS_PARAMETER_FLOW_V_IN, cur->gv[c][0], &any);
      put (r, LERS_PARAMETER_FLOW_V_OUT, cur->gv[c][1], &any);
      put (r, LERS_PARAMETER_FLOW_M_IN, cur->gm[c][0], &any);
      put (r, LERS_PARAMETER_FLOW_M_OUT, cur->gm[c][1], &any);
      keep (records, r, any);
    }
}

void
tv7_records_add_totals (GPtrArray *records, const Tv7Totals *tot, GDateTime *t, gdouble heat_factor)
{
  static const LersParameter counters[7] = {
    LERS_PARAMETER_NORMAL_OPERATION_DURATION, LERS_PARAMETER_STOP_DURATION,
    LERS_PARAMETER_FLOW_UNDERRUN_DURATION,    LERS_PARAMETER_FLOW_OVERRUN_DURATION,
    LERS_PARAMETER_TEMP_DIFF_LOW_DURATION,    LERS_PARAMETER_NO_POWER_DURATION,
    LERS_PARAMETER_INCIDENT_DURATION,
  };

  for (guint c = 0; c < TV7_CHANNELS; c++)
    {
      g_autoptr (LersRecord) r = lers_record_new (t, LERS_ARCHIVE_KIND_TOTALS);
      gboolean any = FALSE;

      lers_record_set_channel (r, c);
      put (r, LERS_PARAMETER_V_IN, tot->v[c][0], &any);
      put (r, LERS_PARAMETER_V_OUT, tot->v[c][1], &any);
      put (r, LERS_PARAMETER_M_IN, tot->m[c][0], &any);
      put (r, LERS_PARAMETER_M_OUT, tot->m[c][1], &any);
      put (r, LERS_PARAMETER_M_DELTA, tot->dm[c], &any);
      put (r, LERS_PARAMETER_Q_DELTA, tot->q_tv[c] * heat_factor, &any);
      if (any)
        for (guint k = 0; k < 7; k++)
          lers_record_set_value (r, counters[k], tot->counters[c][k], LERS_VALUE_FLAG_NONE);
      keep (records, r, any);
    }
}

/* hours with ВОС > 0 in a row on one heat input → one event */
GPtrArray *
tv7_records_build_events (GPtrArray *records)
{
  GPtrArray *events = g_ptr_array_new_with_free_func (g_object_unref);

  for (guint c = 0; c < TV7_CHANNELS; c++)
    {
      LersMeterEvent *open = NULL;

      for (guint i = 0; i < records->len; i++)
        {
          LersRecord *r = g_ptr_array_index (records, i);
          gdouble vos = 0;
          GDateTime *t = lers_record_get_timestamp (r);
          g_autoptr (GDateTime) end = g_date_time_add_hours (t, 1);

          if (lers_record_get_channel (r) != c)
            continue;
          lers_record_get_value (r, LERS_PARAMETER_STOP_DURATION, &vos, NULL);
          if (vos > 0 && open != NULL && g_date_time_equal (lers_meter_event_get_end (open), t))
            lers_meter_event_set_end (open, end);
          else if (vos > 0)
            {
              open = lers_meter_event_new ("other", t);
              lers_meter_event_set_channel (open, c);
              lers_meter_event_set_device_code (open, 0);
              lers_meter_event_set_text (open, _ ("Heat counting stopped (VOS)"));
              lers_meter_event_set_severity (open, LERS_METER_EVENT_SEVERITY_WARNING);
              lers_meter_event_set_end (open, end);
              g_ptr_array_add (events, open);
            }
          else
            open = NULL;
        }
    }
  return events;
}
