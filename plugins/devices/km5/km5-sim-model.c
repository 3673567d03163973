/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * The simulated КМ-5's data, a pure function of the seed, the model, the
 * number of circuits and the clock. Times are "wall" seconds: the meter's
 * own wall clock counted as if it were UTC. The formulas are written out
 * in README.md ("Simulator data model") so tests can work values out by
 * hand.
 */
#include "km5-sim-model.h"

#include <math.h>

#include "km5-frame.h"

static guint64
sim_mix (guint64 x)
{
  /* splitmix64 finaliser */
  x += G_GUINT64_CONSTANT (0x9E3779B97F4A7C15);
  x = (x ^ (x >> 30)) * G_GUINT64_CONSTANT (0xBF58476D1CE4E5B9);
  x = (x ^ (x >> 27)) * G_GUINT64_CONSTANT (0x94D049BB133111EB);
  return x ^ (x >> 31);
}

/* deterministic noise in [-1, 1) */
static gdouble
sim_noise (guint seed, gint64 n, guint salt)
{
  guint64 x = sim_mix ((guint64) seed * G_GUINT64_CONSTANT (0x100000001B3) ^ (guint64) n
                       ^ ((guint64) salt << 56));
  return (gdouble) (x >> 11) / (gdouble) (G_GUINT64_CONSTANT (1) << 52) - 1.0;
}

static gint64
floor_div (gint64 a, gint64 b)
{
  return a >= 0 ? a / b : -((-a + b - 1) / b);
}

gint64
km5_sim_ns_day (const Km5SimModel *m)
{
  return floor_div (m->clock, 86400) - (3 + m->seed % 20);
}

/* the НС code of an hour, 0 for none: hours 10–12 of the НС day are a
 * power failure (122), hour 20 has t1 − t2 below its minimum (96) */
guint
km5_sim_hour_code (const Km5SimModel *m, gint64 hour)
{
  gint64 day = floor_div (hour, 24);
  gint64 hod = hour - day * 24;

  if (day != km5_sim_ns_day (m))
    return 0;
  if (hod >= 10 && hod <= 12)
    return 122;
  if (hod == 20)
    return 96;
  return 0;
}

void
km5_sim_hour (const Km5SimModel *m, gint64 hour, gdouble v[KM5_LINE_N_VALUES])
{
  gint64 day = floor_div (hour, 24);
  gint64 hod = hour - day * 24;
  gdouble curve = cos (2.0 * G_PI * (gdouble) (hod - 5) / 24.0);
  guint code = km5_sim_hour_code (m, hour);
  gdouble t1 = 80.0 + 8.0 * curve + 2.0 * sim_noise (m->seed, hour, 1);
  gdouble t2 = 48.0 + 4.0 * curve + 1.0 * sim_noise (m->seed, hour, 2);
  gdouble m1 = 1.5 + 0.1 * (m->seed % 10) + 0.3 * sim_noise (m->seed, hour, 3);

  if (code == 96)
    t2 = t1 - 1.5;
  if (code == 122)
    m1 = 0.0;
  for (guint i = 0; i < KM5_LINE_N_VALUES; i++)
    v[i] = 0.0;
  v[KM5_LINE_T1] = t1;
  v[KM5_LINE_T2] = t2;
  v[KM5_LINE_M1] = m1;
  v[KM5_LINE_M2] = 0.98 * m1;
  v[KM5_LINE_V1_M3] = m1 / 0.975;
  v[KM5_LINE_V2_M4] = 0.98 * m1 / 0.988;
  v[KM5_LINE_TP] = code == 122 ? 0.0 : 1.0;
  if (m->rm5)
    return;
  v[KM5_LINE_TA] = -5.0 + 5.0 * sim_noise (m->seed, day, 4);
  v[KM5_LINE_P1] = 0.6;
  v[KM5_LINE_P2] = 0.4;
  v[KM5_LINE_Q] = m1 * (t1 - t2) / 1000.0;
  if (m->circuits >= 2)
    {
      v[KM5_LINE_T3_T4] = 55.0;
      v[KM5_LINE_P3_T3] = 40.0;
      v[KM5_LINE_VI_QGVS] = code == 122 ? 0.0 : 0.3 * (55.0 - 40.0) / 1000.0;
    }
}

static gboolean
is_sum (guint i)
{
  switch (i)
    {
    case KM5_LINE_M1:
    case KM5_LINE_M2:
    case KM5_LINE_VI_QGVS:
    case KM5_LINE_V1_M3:
    case KM5_LINE_V2_M4:
    case KM5_LINE_Q:
    case KM5_LINE_TP:
      return TRUE;
    default:
      return FALSE;
    }
}

/* hours [first_hour, end_hour): sums of quantities, means of the rest */
void
km5_sim_range (const Km5SimModel *m, gint64 first_hour, gint64 end_hour,
               gdouble v[KM5_LINE_N_VALUES])
{
  gdouble h[KM5_LINE_N_VALUES];
  gint64 n = end_hour - first_hour;

  for (guint i = 0; i < KM5_LINE_N_VALUES; i++)
    v[i] = 0.0;
  for (gint64 t = first_hour; t < end_hour; t++)
    {
      km5_sim_hour (m, t, h);
      for (guint i = 0; i < KM5_LINE_N_VALUES; i++)
        v[i] += h[i];
    }
  for (guint i = 0; n > 0 && i < KM5_LINE_N_VALUES; i++)
    if (!is_sum (i))
      v[i] /= (gdouble) n;
}

/* the error log: one line per occurrence at its exact time, like the
 * pult's report (xreport4: "122 29.03.2005 16:53:39 Сбой питания"): the
 * power failure at 10 h and the dt fault at 20 h of the НС day, each
 * (seed mod 60) minutes and 5 s into the hour, those before the clock */
guint
km5_sim_events (const Km5SimModel *m, Km5SimEvent events[8])
{
  gint64 day = km5_sim_ns_day (m);
  static const guint hours[] = { 10, 20 };
  guint n = 0;

  for (guint i = 0; i < G_N_ELEMENTS (hours); i++)
    {
      gint64 hour = day * 24 + hours[i];
      gint64 wall = hour * 3600 + 60 * (gint64) (m->seed % 60) + 5;
      if (wall > m->clock)
        break;
      events[n].wall = wall;
      events[n].code = km5_sim_hour_code (m, hour);
      n++;
    }
  return n;
}

guint
km5_sim_db_lines (guint db)
{
  switch (db)
    {
    case KM5_DB_HOUR:
      return KM5_SIM_HOUR_LINES;
    case KM5_DB_DAY:
      return KM5_SIM_DAY_LINES;
    case KM5_DB_MONTH:
      return KM5_SIM_MONTH_LINES;
    case KM5_DB_ERRORS:
      return KM5_SIM_ERROR_LINES;
    default:
      return 0;
    }
}

static gint64
month_index_of_wall (gint64 wall)
{
  g_autoptr (GDateTime) t = g_date_time_new_from_unix_utc (wall);
  return (gint64) g_date_time_get_year (t) * 12 + g_date_time_get_month (t) - 1;
}

static gint64
wall_of_month_index (gint64 index)
{
  g_autoptr (GDateTime) t
      = g_date_time_new_utc ((gint) (index / 12), (gint) (index % 12) + 1, 1, 0, 0, 0);
  return g_date_time_to_unix (t);
}

/* the index of the last complete period of an archive */
gboolean
km5_sim_db_last (const Km5SimModel *m, guint db, gint64 *last_index)
{
  switch (db)
    {
    case KM5_DB_HOUR:
      *last_index = floor_div (m->clock, 3600) - 1;
      return TRUE;
    case KM5_DB_DAY:
      *last_index = floor_div (m->clock, 86400) - 1;
      return TRUE;
    case KM5_DB_MONTH:
      *last_index = month_index_of_wall (m->clock) - 1;
      return TRUE;
    default:
      return FALSE;
    }
}

void
km5_sim_db_period (guint db, gint64 index, gint64 *first_hour, gint64 *end_hour)
{
  switch (db)
    {
    case KM5_DB_HOUR:
      *first_hour = index;
      *end_hour = index + 1;
      break;
    case KM5_DB_DAY:
      *first_hour = index * 24;
      *end_hour = index * 24 + 24;
      break;
    default:
      *first_hour = wall_of_month_index (index) / 3600;
      *end_hour = wall_of_month_index (index + 1) / 3600;
      break;
    }
}

void
km5_sim_stamp_from_wall (gint64 wall, Km5Stamp *stamp)
{
  g_autoptr (GDateTime) t = g_date_time_new_from_unix_utc (wall);

  stamp->year = (guint) g_date_time_get_year (t);
  stamp->month = (guint) g_date_time_get_month (t);
  stamp->day = (guint) g_date_time_get_day_of_month (t);
  stamp->hour = (guint) g_date_time_get_hour (t);
  stamp->minute = (guint) g_date_time_get_minute (t);
  stamp->second = (guint) g_date_time_get_second (t);
}

/* a line: stamped at the END of its period (the time the meter wrote it);
 * its quantities (M, V, Q, Tp, Qгвс) are the integrators at that time, as
 * in km-5-pult's reports (xreport1: Tp grows by 24.00 from one day line
 * to the next), the rest the period's means */
gboolean
km5_sim_db_line (const Km5SimModel *m, guint db, gint64 index, Km5Line *line)
{
  gint64 first, end;
  gdouble v[KM5_LINE_N_VALUES];
  gdouble total[KM5_LINE_N_VALUES];

  km5_sim_db_period (db, index, &first, &end);
  km5_sim_range (m, first, end, v);
  km5_sim_integrals (m, end, total);
  for (guint i = 0; i < KM5_LINE_N_VALUES; i++)
    line->values[i] = (gfloat) (is_sum (i) ? total[i] : v[i]);
  km5_sim_stamp_from_wall (end * 3600, &line->stamp);
  line->stamp.flag = 0;
  line->stamp.type = m->rm5 ? 0 : 3;
  return TRUE;
}

/* the period whose line carries this stamp (END convention) */
gint64
km5_sim_db_index_for_stamp (guint db, gint64 stamp_wall)
{
  switch (db)
    {
    case KM5_DB_HOUR:
      return floor_div (stamp_wall - 1, 3600);
    case KM5_DB_DAY:
      return floor_div (stamp_wall - 1, 86400);
    default:
      return month_index_of_wall (stamp_wall - 1);
    }
}

/* the integrators at the start of @end_hour: a base plus every hour since
 * KM5_SIM_ORIGIN_HOUR (minus the hours up to it before it); 0 for the
 * values that are not quantities */
void
km5_sim_integrals (const Km5SimModel *m, gint64 end_hour, gdouble v[KM5_LINE_N_VALUES])
{
  gdouble base[KM5_LINE_N_VALUES] = { 0 };

  if (end_hour >= KM5_SIM_ORIGIN_HOUR)
    km5_sim_range (m, KM5_SIM_ORIGIN_HOUR, end_hour, v);
  else
    {
      km5_sim_range (m, end_hour, KM5_SIM_ORIGIN_HOUR, v);
      for (guint i = 0; i < KM5_LINE_N_VALUES; i++)
        v[i] = -v[i];
    }
  base[KM5_LINE_M1] = 10000.0 + m->seed % 1000;
  base[KM5_LINE_M2] = 9800.0 + m->seed % 1000;
  base[KM5_LINE_V1_M3] = 10000.0;
  base[KM5_LINE_V2_M4] = 9800.0;
  base[KM5_LINE_TP] = 1000.0;
  if (!m->rm5)
    base[KM5_LINE_Q] = 100.0 + m->seed % 100;
  if (!m->rm5 && m->circuits >= 2)
    base[KM5_LINE_VI_QGVS] = 10.0;
  for (guint i = 0; i < KM5_LINE_N_VALUES; i++)
    v[i] = is_sum (i) ? v[i] + base[i] : 0.0;
}

/* the integrators at the clock's last complete hour (Gcal, t, t, hours) */
void
km5_sim_totals (const Km5SimModel *m, gdouble *q, gdouble *m1, gdouble *m2, gdouble *tp)
{
  gdouble v[KM5_LINE_N_VALUES];

  km5_sim_integrals (m, floor_div (m->clock, 3600), v);
  *q = v[KM5_LINE_Q];
  *m1 = v[KM5_LINE_M1];
  *m2 = v[KM5_LINE_M2];
  *tp = v[KM5_LINE_TP];
}
