/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * КМ-5 values → LERS parameters. Channel 0 is the heat input (t1, t2, M1,
 * M2, V1, V2, Q, P1, P2, ta, Tp); channel 1, with the option gvs=true, the
 * ГВС circuit (t3/t4 → T_in, P3/t3 → T_out, Vi/Qгвс → Q_in). The РМ-5 has
 * no heat and no pressures: its lines give t, M, V and Tp only.
 */
#include "km5-values.h"

#include <math.h>
#include <string.h>

#include <glib/gi18n-lib.h>

/* 1 Gcal = 4.1868 GJ = 1.163 MWh; 1 kgf/cm² = 0.0980665 MPa */
#define GJ_PER_GCAL 4.1868
#define MWH_PER_GCAL 1.163
#define MPA_PER_KGF 0.0980665

static gboolean
option_bool (LersDeviceSession *session, const gchar *key, gboolean def, gboolean *out,
             GError **error)
{
  const gchar *v = lers_device_session_get_option (session, key);

  if (v == NULL || v[0] == '\0')
    *out = def;
  else if (g_ascii_strcasecmp (v, "true") == 0 || g_strcmp0 (v, "1") == 0
           || g_ascii_strcasecmp (v, "yes") == 0)
    *out = TRUE;
  else if (g_ascii_strcasecmp (v, "false") == 0 || g_strcmp0 (v, "0") == 0
           || g_ascii_strcasecmp (v, "no") == 0)
    *out = FALSE;
  else
    {
      g_set_error (error, LERS_ERROR, LERS_ERROR_INVALID_ARGUMENT,
                   _ ("Option %s must be true or false, not “%s”"), key, v);
      return FALSE;
    }
  return TRUE;
}

gboolean
km5_options_parse (LersDeviceSession *session, const gchar *model, Km5Options *o, GError **error)
{
  const gchar *energy = lers_device_session_get_option (session, "energy-unit");
  const gchar *pressure = lers_device_session_get_option (session, "pressure-unit");
  const gchar *stamp = lers_device_session_get_option (session, "stamp");

  o->rm5 = model != NULL && (strstr (model, "РМ") != NULL || strstr (model, "RM") != NULL);
  if (!option_bool (session, "backward", FALSE, &o->backward, error)
      || !option_bool (session, "gvs", FALSE, &o->gvs, error))
    return FALSE;
  if (o->rm5)
    o->gvs = FALSE;
  if (energy == NULL || g_ascii_strcasecmp (energy, "gcal") == 0)
    o->energy_scale = 1.0;
  else if (g_ascii_strcasecmp (energy, "gj") == 0)
    o->energy_scale = 1.0 / GJ_PER_GCAL;
  else if (g_ascii_strcasecmp (energy, "mwh") == 0)
    o->energy_scale = 1.0 / MWH_PER_GCAL;
  else
    {
      g_set_error (error, LERS_ERROR, LERS_ERROR_INVALID_ARGUMENT,
                   _ ("Option energy-unit must be gcal, gj or mwh, not “%s”"), energy);
      return FALSE;
    }
  if (pressure == NULL || g_ascii_strcasecmp (pressure, "mpa") == 0)
    o->pressure_scale = 1.0;
  else if (g_ascii_strcasecmp (pressure, "kgf") == 0)
    o->pressure_scale = MPA_PER_KGF;
  else
    {
      g_set_error (error, LERS_ERROR, LERS_ERROR_INVALID_ARGUMENT,
                   _ ("Option pressure-unit must be mpa or kgf, not “%s”"), pressure);
      return FALSE;
    }
  if (stamp == NULL || g_ascii_strcasecmp (stamp, "end") == 0)
    o->stamp_end = TRUE;
  else if (g_ascii_strcasecmp (stamp, "start") == 0)
    o->stamp_end = FALSE;
  else
    {
      g_set_error (error, LERS_ERROR, LERS_ERROR_INVALID_ARGUMENT,
                   _ ("Option stamp must be end or start, not “%s”"), stamp);
      return FALSE;
    }
  return TRUE;
}

/* a value the meter could not have measured (NaN, infinity) is kept as 0
 * flagged bad */
static void
set (LersRecord *r, LersParameter p, gfloat v, gdouble scale)
{
  if (isfinite (v))
    lers_record_set_value (r, p, (gdouble) v * scale, LERS_VALUE_FLAG_NONE);
  else
    lers_record_set_value (r, p, 0.0, LERS_VALUE_FLAG_BAD);
}

/* a quantity of the period: this line's integrator minus the previous
 * line's; bad when either is not a number */
static void
set_delta (LersRecord *r, LersParameter p, const Km5Line *line, const Km5Line *prev, guint i,
           gdouble scale)
{
  gfloat a = line->values[i], b = prev->values[i];

  if (isfinite (a) && isfinite (b))
    lers_record_set_value (r, p, ((gdouble) a - (gdouble) b) * scale, LERS_VALUE_FLAG_NONE);
  else
    lers_record_set_value (r, p, 0.0, LERS_VALUE_FLAG_BAD);
}

/*
 * The line's M, V, Q, Tp and Vi/Qгвс are the meter's integrators at the
 * line's time, not the period's amounts: km-5-pult's КМ-5-2 day report
 * (UCS/bin/xreport1-032006-121012.xls) has Tp 1192.66 → 1216.66 → 1240.66
 * from one day line to the next, and ΔQ/ΔM1 = 22.080/501.44 = 0.0440
 * Gcal/t against t1 − t2 = 43.91 °C. The amounts are the differences of
 * consecutive lines; temperatures, pressures and ta are the period's means.
 */
void
km5_line_to_records (const Km5Options *o, const Km5Line *line, const Km5Line *prev,
                     LersArchiveKind kind, GDateTime *start, GPtrArray *records)
{
  const gfloat *v = line->values;
  LersRecord *r = lers_record_new (start, kind);

  lers_record_set_channel (r, 0);
  set (r, LERS_PARAMETER_T_IN, v[KM5_LINE_T1], 1.0);
  set (r, LERS_PARAMETER_T_OUT, v[KM5_LINE_T2], 1.0);
  if (prev != NULL)
    {
      set_delta (r, LERS_PARAMETER_M_IN, line, prev, KM5_LINE_M1, 1.0);
      set_delta (r, LERS_PARAMETER_M_OUT, line, prev, KM5_LINE_M2, 1.0);
      set_delta (r, LERS_PARAMETER_V_IN, line, prev, KM5_LINE_V1_M3, 1.0);
      set_delta (r, LERS_PARAMETER_V_OUT, line, prev, KM5_LINE_V2_M4, 1.0);
      set_delta (r, LERS_PARAMETER_NORMAL_OPERATION_DURATION, line, prev, KM5_LINE_TP, 1.0);
      if (!o->rm5)
        set_delta (r, LERS_PARAMETER_Q_IN, line, prev, KM5_LINE_Q, o->energy_scale);
    }
  if (!o->rm5)
    {
      set (r, LERS_PARAMETER_P_IN, v[KM5_LINE_P1], o->pressure_scale);
      set (r, LERS_PARAMETER_P_OUT, v[KM5_LINE_P2], o->pressure_scale);
      set (r, LERS_PARAMETER_T_OUTDOOR, v[KM5_LINE_TA], 1.0);
    }
  g_ptr_array_add (records, r);
  if (o->gvs)
    {
      LersRecord *r1 = lers_record_new (start, kind);
      lers_record_set_channel (r1, 1);
      set (r1, LERS_PARAMETER_T_IN, v[KM5_LINE_T3_T4], 1.0);
      set (r1, LERS_PARAMETER_T_OUT, v[KM5_LINE_P3_T3], 1.0);
      if (prev != NULL)
        set_delta (r1, LERS_PARAMETER_Q_IN, line, prev, KM5_LINE_VI_QGVS, o->energy_scale);
      g_ptr_array_add (records, r1);
    }
}

/* command 44's sub-types [S: CommandModuleImpl cmdImmidiateValue1]:
 * 1 heat, 2 M1, 3 M2, 4 operating time (totals); 5 G1 m³/h, G1 t/h, P1,
 * P2, t1, t2; 6 heat power; 7 G2 m³/h, G2 t/h, G3 m³/h, G3 t/h, t3, t4;
 * 8 is not read */
void
km5_immediate_to_record (const Km5Options *o, guint sub, const gfloat *f, LersRecord *r,
                         LersRecord *r1)
{
  switch (sub)
    {
    case 1:
      set (r, LERS_PARAMETER_Q_IN, f[0], o->energy_scale);
      break;
    case 2:
      set (r, LERS_PARAMETER_M_IN, f[0], 1.0);
      break;
    case 3:
      set (r, LERS_PARAMETER_M_OUT, f[0], 1.0);
      break;
    case 4:
      set (r, LERS_PARAMETER_NORMAL_OPERATION_DURATION, f[0], 1.0);
      break;
    case 5:
      set (r, LERS_PARAMETER_FLOW_V_IN, f[0], 1.0);
      set (r, LERS_PARAMETER_FLOW_M_IN, f[1], 1.0);
      if (!o->rm5)
        {
          set (r, LERS_PARAMETER_P_IN, f[2], o->pressure_scale);
          set (r, LERS_PARAMETER_P_OUT, f[3], o->pressure_scale);
        }
      set (r, LERS_PARAMETER_T_IN, f[4], 1.0);
      set (r, LERS_PARAMETER_T_OUT, f[5], 1.0);
      break;
    case 6:
      set (r, LERS_PARAMETER_HEAT_POWER, f[0], o->energy_scale);
      break;
    case 7:
      set (r, LERS_PARAMETER_FLOW_V_OUT, f[0], 1.0);
      set (r, LERS_PARAMETER_FLOW_M_OUT, f[1], 1.0);
      if (r1 != NULL)
        {
          set (r1, LERS_PARAMETER_FLOW_V_IN, f[2], 1.0);
          set (r1, LERS_PARAMETER_FLOW_M_IN, f[3], 1.0);
          set (r1, LERS_PARAMETER_T_OUT, f[4], 1.0);
          set (r1, LERS_PARAMETER_T_IN, f[5], 1.0);
        }
      break;
    default:
      break;
    }
}
