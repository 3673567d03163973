/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * НС (abnormal situation) bits of the archive and current FLAGS, per model.
 * The texts are the vendor's (Russian originals in po/ru.po), as listed in
 * Vadsxd/LogikaPython (MIT), Logika/Meters/__4M/SPT944.py and SPT941_20.py,
 * get_ns_descriptions(): facts only. Bits not listed are "other".
 */
#include "logikam4-ns.h"

#include <string.h>

#include <glib/gi18n-lib.h>

typedef struct
{
  guint bit;
  const gchar *msgid; /* with at most one %u or %s */
  guint arg;
  const gchar *arg_s;
  const gchar *code;
  gint channel;
  gboolean alarm;
} NsEntry;

#define N_BATTERY N_ ("Battery low")
#define N_NO_POWER N_ ("No supply voltage on connector X1")
#define N_OVERLOAD N_ ("Overload of the flow sensors' supply circuits")
#define N_PORT N_ ("Signal change on port D%u")
#define N_TS N_ ("Temperature sensor %s out of range")
#define N_PD N_ ("Pressure sensor %s out of range")
#define N_G_HIGH N_ ("Flow through %s above the upper limit")
#define N_G_LOW N_ ("Flow through %s below the lower limit")
#define N_G_CUT N_ ("Flow through %s below the low-flow cutoff")
#define N_KU N_ ("Parameter set by %s out of range")
#define N_SCHEDULE N_ ("Error in the temperature schedule")
#define N_SERVER N_ ("Server communication error")
#define N_CA N_ ("Alternative metering scheme %s in use")
#define N_EVENT N_ ("Scheduled event %u")
#define N_DM_NEG N_ ("%s: negative hourly mass difference M1h-M2h beyond the limit")
#define N_DM_LOW N_ ("%s: hourly mass difference M1h-M2h between -NM*M1h and 0")
#define N_DM_HIGH N_ ("%s: hourly mass difference M1h-M2h between 0 and NM*M1h")
#define N_Q_NEG N_ ("%s: negative hourly heat (Qh<0)")
#define N_DT_LOW N_ ("%s: temperature difference below the set minimum")
#define N_T2_HIGH N_ ("%s: return temperature above the temperature schedule")
#define N_INPUT N_ ("Signal change on discrete input X%u")
#define N_PARAM N_ ("Parameter %s out of range")

static const NsEntry spt944[] = {
  { 0, N_BATTERY, 0, NULL, "other", -1, FALSE },
  { 1, N_NO_POWER, 0, NULL, "power-off", -1, TRUE },
  { 2, N_OVERLOAD, 0, NULL, "other", -1, TRUE },
  { 3, N_PORT, 1, NULL, "other", -1, FALSE },
  { 4, N_PORT, 2, NULL, "other", -1, FALSE },
  { 5, N_PORT, 3, NULL, "other", -1, FALSE },
  { 6, N_PORT, 4, NULL, "other", -1, FALSE },
  { 7, N_TS, 0, "ТС1", "sensor-fault", -1, TRUE },
  { 8, N_TS, 0, "ТС2", "sensor-fault", -1, TRUE },
  { 9, N_TS, 0, "ТС3", "sensor-fault", -1, TRUE },
  { 10, N_TS, 0, "ТС4", "sensor-fault", -1, TRUE },
  { 11, N_TS, 0, "ТС5", "sensor-fault", -1, TRUE },
  { 12, N_TS, 0, "ТС6", "sensor-fault", -1, TRUE },
  { 13, N_PD, 0, "ПД1", "sensor-fault", -1, TRUE },
  { 14, N_PD, 0, "ПД2", "sensor-fault", -1, TRUE },
  { 15, N_PD, 0, "ПД3", "sensor-fault", -1, TRUE },
  { 16, N_PD, 0, "ПД4", "sensor-fault", -1, TRUE },
  { 17, N_PD, 0, "ПД5", "sensor-fault", -1, TRUE },
  { 18, N_PD, 0, "ПД6", "sensor-fault", -1, TRUE },
  { 19, N_G_HIGH, 0, "ВС1", "flow-out-of-range", -1, FALSE },
  { 20, N_G_LOW, 0, "ВС1", "flow-out-of-range", -1, FALSE },
  { 21, N_G_CUT, 0, "ВС1", "flow-out-of-range", -1, FALSE },
  { 22, N_G_HIGH, 0, "ВС2", "flow-out-of-range", -1, FALSE },
  { 23, N_G_LOW, 0, "ВС2", "flow-out-of-range", -1, FALSE },
  { 24, N_G_CUT, 0, "ВС2", "flow-out-of-range", -1, FALSE },
  { 25, N_G_HIGH, 0, "ВС3", "flow-out-of-range", -1, FALSE },
  { 26, N_G_LOW, 0, "ВС3", "flow-out-of-range", -1, FALSE },
  { 27, N_G_CUT, 0, "ВС3", "flow-out-of-range", -1, FALSE },
  { 28, N_G_HIGH, 0, "ВС4", "flow-out-of-range", -1, FALSE },
  { 29, N_G_LOW, 0, "ВС4", "flow-out-of-range", -1, FALSE },
  { 30, N_G_CUT, 0, "ВС4", "flow-out-of-range", -1, FALSE },
  { 31, N_G_HIGH, 0, "ВС5", "flow-out-of-range", -1, FALSE },
  { 32, N_G_LOW, 0, "ВС5", "flow-out-of-range", -1, FALSE },
  { 33, N_G_CUT, 0, "ВС5", "flow-out-of-range", -1, FALSE },
  { 34, N_G_HIGH, 0, "ВС6", "flow-out-of-range", -1, FALSE },
  { 35, N_G_LOW, 0, "ВС6", "flow-out-of-range", -1, FALSE },
  { 36, N_G_CUT, 0, "ВС6", "flow-out-of-range", -1, FALSE },
  { 37, N_KU, 0, "КУ1", "other", -1, FALSE },
  { 38, N_KU, 0, "КУ2", "other", -1, FALSE },
  { 39, N_KU, 0, "КУ3", "other", -1, FALSE },
  { 40, N_KU, 0, "КУ4", "other", -1, FALSE },
  { 41, N_KU, 0, "КУ5", "other", -1, FALSE },
  { 42, N_SCHEDULE, 0, NULL, "other", -1, FALSE },
  { 43, N_SERVER, 0, NULL, "other", -1, FALSE },
  { 44, N_CA, 0, "СА1", "other", -1, FALSE },
  { 45, N_CA, 0, "СА2", "other", -1, FALSE },
  { 54, N_EVENT, 1, NULL, "other", -1, FALSE },
  { 55, N_EVENT, 2, NULL, "other", -1, FALSE },
  { 64, N_DM_NEG, 0, "ТВ1", "other", 0, TRUE },
  { 65, N_DM_LOW, 0, "ТВ1", "other", 0, FALSE },
  { 66, N_DM_HIGH, 0, "ТВ1", "other", 0, FALSE },
  { 67, N_Q_NEG, 0, "ТВ1", "other", 0, TRUE },
  { 68, N_DT_LOW, 0, "ТВ1", "other", 0, FALSE },
  { 69, N_T2_HIGH, 0, "ТВ1", "other", 0, FALSE },
  { 80, N_DM_NEG, 0, "ТВ2", "other", 1, TRUE },
  { 81, N_DM_LOW, 0, "ТВ2", "other", 1, FALSE },
  { 82, N_DM_HIGH, 0, "ТВ2", "other", 1, FALSE },
  { 83, N_Q_NEG, 0, "ТВ2", "other", 1, TRUE },
  { 84, N_DT_LOW, 0, "ТВ2", "other", 1, FALSE },
  { 85, N_T2_HIGH, 0, "ТВ2", "other", 1, FALSE },
};

static const NsEntry spt941_20[] = {
  { 0, N_BATTERY, 0, NULL, "other", -1, FALSE },
  { 1, N_NO_POWER, 0, NULL, "power-off", -1, TRUE },
  { 2, N_INPUT, 4, NULL, "other", -1, FALSE },
  { 3, N_INPUT, 11, NULL, "other", -1, FALSE },
  { 4, N_PARAM, 0, "tх", "sensor-fault", -1, TRUE },
  { 5, N_PARAM, 0, "t4", "sensor-fault", -1, TRUE },
  { 6, N_PARAM, 0, "Pх", "sensor-fault", -1, TRUE },
  { 7, N_PARAM, 0, "P4", "sensor-fault", -1, TRUE },
  { 8, N_KU, 0, "КУ1", "other", -1, FALSE },
  { 9, N_KU, 0, "КУ2", "other", -1, FALSE },
  { 10, N_KU, 0, "КУ3", "other", -1, FALSE },
  { 11, N_KU, 0, "КУ4", "other", -1, FALSE },
  { 12, N_KU, 0, "КУ5", "other", -1, FALSE },
  { 32, N_PARAM, 0, "P1", "sensor-fault", -1, TRUE },
  { 33, N_PARAM, 0, "P2", "sensor-fault", -1, TRUE },
  { 34, N_PARAM, 0, "P3", "sensor-fault", -1, TRUE },
  { 35, N_PARAM, 0, "t1", "sensor-fault", -1, TRUE },
  { 36, N_PARAM, 0, "t2", "sensor-fault", -1, TRUE },
  { 37, N_PARAM, 0, "t3", "sensor-fault", -1, TRUE },
  { 38, N_G_HIGH, 0, "ВС1", "flow-out-of-range", -1, FALSE },
  { 39, N_G_LOW, 0, "ВС1", "flow-out-of-range", -1, FALSE },
  { 40, N_G_CUT, 0, "ВС1", "flow-out-of-range", -1, FALSE },
  { 41, N_G_HIGH, 0, "ВС2", "flow-out-of-range", -1, FALSE },
  { 42, N_G_LOW, 0, "ВС2", "flow-out-of-range", -1, FALSE },
  { 43, N_G_CUT, 0, "ВС2", "flow-out-of-range", -1, FALSE },
  { 44, N_G_HIGH, 0, "ВС3", "flow-out-of-range", -1, FALSE },
  { 45, N_G_LOW, 0, "ВС3", "flow-out-of-range", -1, FALSE },
  { 46, N_G_CUT, 0, "ВС3", "flow-out-of-range", -1, FALSE },
  { 47, N_DM_NEG, 0, "ТВ1", "other", -1, TRUE },
  { 48, N_DM_LOW, 0, "ТВ1", "other", -1, FALSE },
  { 49, N_DM_HIGH, 0, "ТВ1", "other", -1, FALSE },
  { 50, N_Q_NEG, 0, "ТВ1", "other", -1, TRUE },
  { 51, N_SCHEDULE, 0, NULL, "other", -1, FALSE },
  { 53, N_T2_HIGH, 0, "ТВ1", "other", -1, FALSE },
};

/* the msgids are the formats: checked by msgfmt's c-format, not here */
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wformat-nonliteral"
static gchar *
format_entry (const NsEntry *e)
{
  const gchar *fmt = _ (e->msgid);

  if (e->arg_s != NULL)
    return g_strdup_printf (fmt, e->arg_s);
  if (strstr (e->msgid, "%u") != NULL)
    return g_strdup_printf (fmt, e->arg);
  return g_strdup (fmt);
}
#pragma GCC diagnostic pop

void
m4_ns_describe (const gchar *table, guint bit, M4NsInfo *info)
{
  const NsEntry *entries = NULL;
  gsize n = 0;

  if (g_strcmp0 (table, "spt944") == 0)
    {
      entries = spt944;
      n = G_N_ELEMENTS (spt944);
    }
  else if (g_strcmp0 (table, "spt941-20") == 0)
    {
      entries = spt941_20;
      n = G_N_ELEMENTS (spt941_20);
    }
  for (gsize i = 0; i < n; i++)
    if (entries[i].bit == bit)
      {
        info->code = entries[i].code;
        info->channel = entries[i].channel;
        info->severity = entries[i].alarm ? LERS_METER_EVENT_SEVERITY_ALARM
                                          : LERS_METER_EVENT_SEVERITY_WARNING;
        info->text = format_entry (&entries[i]);
        return;
      }
  info->code = "other";
  info->channel = -1;
  info->severity = LERS_METER_EVENT_SEVERITY_WARNING;
  /* TRANSLATORS: the meter's abnormal-situation (НС) number */
  info->text = g_strdup_printf (_ ("Abnormal situation %02u"), bit);
}
