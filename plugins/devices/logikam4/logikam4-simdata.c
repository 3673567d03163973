/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * The simulator's data model (README.md, "Simulator"). For heat input c
 * (0-based) and the hour starting at wall time W, k = W / 3600, h = k mod 24:
 *
 *   t1 = 70 + 10c + (h mod 12) + (seed mod 5)    °C
 *   t2 = 45 + 5c + (h mod 6)                     °C
 *   M1 = 3 + c + 0.5 ((k + seed) mod 4)          t in the hour
 *   M2 = M1 − 0.05                               t
 *   V1 = M1, V2 = M2                             m³ (density 1)
 *   Q  = M1 (t1 − t2) / 1000                     Gcal
 *   P1 = 0.6 + 0.1c, P2 = 0.4 + 0.1c             MPa
 *   tх = 5 + (seed mod 3), tв = −5 + (h mod 10)  °C
 *   Тш = 1, Тн = 0 h; in an НС hour Тш = 0, Тн = 1
 *
 * НС: heat input 0, hours 10, 11 and 12 of the day D = clock's day − 2 −
 * (seed mod 5). Days and months add up their hours (V, M, Q, timers) or
 * average them (t, P). Totals: 1000 (c + 1) + (seed mod 100) plus the sum
 * of the hours from M4_SIM_ORIGIN to the last hour ended at the clock.
 * Flows (current values): the current hour's V and M per hour.
 */
#include "logikam4-simdata.h"

static gint64
floor_div (gint64 a, gint64 b)
{
  return a >= 0 ? a / b : -((-a + b - 1) / b);
}

gboolean
m4_sim_hour_ns (const M4SimData *d, gint64 hour_start, gint64 clock, guint channel)
{
  gint64 day = floor_div (clock, 86400) - 2 - (d->seed % 5);
  gint64 h = floor_div (hour_start, 3600) - day * 24;

  return channel == 0 && h >= 10 && h <= 12;
}

static gboolean
hour_value (const M4SimData *d, gint64 start, gint64 clock, LersParameter p, guint c, gdouble *v)
{
  gint64 k = floor_div (start, 3600);
  gint h = (gint) (k - floor_div (k, 24) * 24);
  gdouble m1 = 3 + c + 0.5 * (gdouble) (((k + d->seed) % 4 + 4) % 4);
  gdouble t1 = 70 + 10 * c + (h % 12) + (d->seed % 5);
  gdouble t2 = 45 + 5 * c + (h % 6);
  gboolean ns = m4_sim_hour_ns (d, start, clock, c);

  switch (p)
    {
    case LERS_PARAMETER_T_IN:
      *v = t1;
      return TRUE;
    case LERS_PARAMETER_T_OUT:
      *v = t2;
      return TRUE;
    case LERS_PARAMETER_T_DELTA:
      *v = t1 - t2;
      return TRUE;
    case LERS_PARAMETER_M_IN:
    case LERS_PARAMETER_V_IN:
    case LERS_PARAMETER_V:
    case LERS_PARAMETER_FLOW_V_IN:
    case LERS_PARAMETER_FLOW_M_IN:
      *v = m1;
      return TRUE;
    case LERS_PARAMETER_M_OUT:
    case LERS_PARAMETER_V_OUT:
    case LERS_PARAMETER_FLOW_V_OUT:
    case LERS_PARAMETER_FLOW_M_OUT:
      *v = m1 - 0.05;
      return TRUE;
    case LERS_PARAMETER_V_STD:
      *v = m1 * 2;
      return TRUE;
    case LERS_PARAMETER_Q_IN:
      *v = m1 * (t1 - t2) / 1000.0;
      return TRUE;
    case LERS_PARAMETER_P_IN:
      *v = 0.6 + 0.1 * c;
      return TRUE;
    case LERS_PARAMETER_P_OUT:
      *v = 0.4 + 0.1 * c;
      return TRUE;
    case LERS_PARAMETER_T_CW:
      *v = 5 + (d->seed % 3);
      return TRUE;
    case LERS_PARAMETER_T_OUTDOOR:
      *v = -5 + (h % 10);
      return TRUE;
    case LERS_PARAMETER_NORMAL_OPERATION_DURATION:
      *v = ns ? 0.0 : 1.0;
      return TRUE;
    case LERS_PARAMETER_INCIDENT_DURATION:
      *v = ns ? 1.0 : 0.0;
      return TRUE;
    default:
      return FALSE;
    }
}

static gboolean
is_sum (LersParameter p)
{
  switch (p)
    {
    case LERS_PARAMETER_M_IN:
    case LERS_PARAMETER_M_OUT:
    case LERS_PARAMETER_V_IN:
    case LERS_PARAMETER_V_OUT:
    case LERS_PARAMETER_V:
    case LERS_PARAMETER_V_STD:
    case LERS_PARAMETER_Q_IN:
    case LERS_PARAMETER_NORMAL_OPERATION_DURATION:
    case LERS_PARAMETER_INCIDENT_DURATION:
      return TRUE;
    default:
      return FALSE;
    }
}

gint64
m4_sim_period_floor (LersArchiveKind kind, gint64 t)
{
  g_autoptr (GDateTime) dt = NULL;

  switch (kind)
    {
    case LERS_ARCHIVE_KIND_HOUR:
      return floor_div (t, 3600) * 3600;
    case LERS_ARCHIVE_KIND_DAY:
      return floor_div (t, 86400) * 86400;
    default:
      dt = g_date_time_new_from_unix_utc (t);
      {
        g_autoptr (GDateTime) first = g_date_time_new_utc (g_date_time_get_year (dt),
                                                           g_date_time_get_month (dt), 1, 0, 0, 0);
        return g_date_time_to_unix (first);
      }
    }
}

gint64
m4_sim_period_end (LersArchiveKind kind, gint64 start)
{
  switch (kind)
    {
    case LERS_ARCHIVE_KIND_HOUR:
      return start + 3600;
    case LERS_ARCHIVE_KIND_DAY:
      return start + 86400;
    default:
      {
        g_autoptr (GDateTime) dt = g_date_time_new_from_unix_utc (start);
        g_autoptr (GDateTime) next = g_date_time_add_months (dt, 1);
        return g_date_time_to_unix (next);
      }
    }
}

gboolean
m4_sim_value (const M4SimData *d, LersArchiveKind kind, gint64 start, gint64 clock, LersParameter p,
              guint channel, gdouble *value)
{
  gint64 end = m4_sim_period_end (kind, start);
  gdouble sum = 0.0, v;
  guint n = 0;

  if (channel >= d->circuits)
    return FALSE;
  if (kind == LERS_ARCHIVE_KIND_HOUR || kind == LERS_ARCHIVE_KIND_CURRENT)
    return hour_value (d, m4_sim_period_floor (LERS_ARCHIVE_KIND_HOUR, start), clock, p, channel,
                       value);
  for (gint64 h = start; h < end; h += 3600, n++)
    {
      if (!hour_value (d, h, clock, p, channel, &v))
        return FALSE;
      sum += v;
    }
  *value = is_sum (p) ? sum : sum / n;
  return TRUE;
}

gboolean
m4_sim_total (const M4SimData *d, LersParameter p, guint channel, gint64 clock, gdouble *value)
{
  gint64 last = m4_sim_period_floor (LERS_ARCHIVE_KIND_HOUR, clock);
  gdouble sum = 1000.0 * (channel + 1) + (d->seed % 100), v;

  if (channel >= d->circuits || !is_sum (p))
    return FALSE;
  for (gint64 h = M4_SIM_ORIGIN; h < last; h += 3600)
    {
      if (!hour_value (d, h, clock, p, channel, &v))
        return FALSE;
      sum += v;
    }
  *value = sum;
  return TRUE;
}
