/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * НС events from the hourly archive: QntNS_1/2 (elements 79/80) give five
 * durations per hour and heat input (§5.2, note 3: power off, G<min,
 * G>max, temperature-sensor fault, dt<2 °C); consecutive hours with the
 * same kind make one event. Without QntNS (firmware without "м"),
 * NSPrintTypeM_1/2 (77/78) give one flag per hour.
 */
#include "vkt7-events.h"

#include <glib/gi18n-lib.h>

static const struct
{
  const gchar *code;
  const gchar *text;
  LersMeterEventSeverity severity;
  LersParameter parameter;
} kinds[VKT7_N_NS_KINDS] = {
  { "power-off", N_ ("Power off"), LERS_METER_EVENT_SEVERITY_ALARM,
    LERS_PARAMETER_NO_POWER_DURATION },
  { "flow-out-of-range", N_ ("Flow below the minimum (G<min)"), LERS_METER_EVENT_SEVERITY_WARNING,
    LERS_PARAMETER_FLOW_UNDERRUN_DURATION },
  { "flow-out-of-range", N_ ("Flow above the maximum (G>max)"), LERS_METER_EVENT_SEVERITY_WARNING,
    LERS_PARAMETER_FLOW_OVERRUN_DURATION },
  { "sensor-fault", N_ ("Temperature sensor fault"), LERS_METER_EVENT_SEVERITY_ALARM,
    LERS_PARAMETER_INCIDENT_DURATION },
  { "other", N_ ("Temperature difference below 2 °C"), LERS_METER_EVENT_SEVERITY_WARNING,
    LERS_PARAMETER_TEMP_DIFF_LOW_DURATION },
};

LersParameter
vkt7_ns_parameter (guint kind)
{
  return kind < VKT7_N_NS_KINDS ? kinds[kind].parameter : 0;
}

static LersMeterEvent *
make_event (gint64 start, gint64 end, guint channel, gint kind, GTimeZone *zone)
{
  g_autoptr (GDateTime) utc_s = g_date_time_new_from_unix_utc (start);
  g_autoptr (GDateTime) utc_e = g_date_time_new_from_unix_utc (end);
  g_autoptr (GDateTime) s = g_date_time_to_timezone (utc_s, zone);
  g_autoptr (GDateTime) e = g_date_time_to_timezone (utc_e, zone);
  LersMeterEvent *ev = lers_meter_event_new (kind < 0 ? "other" : kinds[kind].code, s);

  lers_meter_event_set_end (ev, e);
  lers_meter_event_set_channel (ev, channel);
  lers_meter_event_set_device_code (ev, kind + 1);
  lers_meter_event_set_text (ev, kind < 0 ? _ ("Abnormal situation on the heat input")
                                          : _ (kinds[kind].text));
  lers_meter_event_set_severity (ev, kind < 0 ? LERS_METER_EVENT_SEVERITY_WARNING
                                              : kinds[kind].severity);
  return ev;
}

static gint
hour_cmp (gconstpointer a, gconstpointer b)
{
  const Vkt7NsHour *x = a, *y = b;

  if (x->channel != y->channel)
    return x->channel < y->channel ? -1 : 1;
  return x->start < y->start ? -1 : x->start > y->start;
}

static gboolean
hour_has (const Vkt7NsHour *h, gint kind)
{
  if (kind < 0)
    return !h->has_durations && h->flag;
  return h->has_durations && h->durations[kind] > 0;
}

/* oldest first (lers-device-session.h); ties by channel, then device code */
static gint
event_cmp (gconstpointer a, gconstpointer b)
{
  LersMeterEvent *x = *(LersMeterEvent *const *) a, *y = *(LersMeterEvent *const *) b;
  gint c = g_date_time_compare (lers_meter_event_get_start (x), lers_meter_event_get_start (y));

  if (c != 0)
    return c;
  if (lers_meter_event_get_channel (x) != lers_meter_event_get_channel (y))
    return lers_meter_event_get_channel (x) < lers_meter_event_get_channel (y) ? -1 : 1;
  return (lers_meter_event_get_device_code (x) > lers_meter_event_get_device_code (y))
         - (lers_meter_event_get_device_code (x) < lers_meter_event_get_device_code (y));
}

/* @hours: Vkt7NsHour, any order; device code 0 is the bare NS flag, 1–5
 * the QntNS kinds. The events come oldest first. */
GPtrArray *
vkt7_events_build (GArray *hours, GTimeZone *zone)
{
  GPtrArray *events = g_ptr_array_new_with_free_func (g_object_unref);

  g_array_sort (hours, hour_cmp);
  for (gint kind = -1; kind < VKT7_N_NS_KINDS; kind++)
    {
      gint64 start = -1, end = -1;
      guint channel = 0;

      for (guint i = 0; i <= hours->len; i++)
        {
          const Vkt7NsHour *h = i < hours->len ? &g_array_index (hours, Vkt7NsHour, i) : NULL;
          gboolean on = h != NULL && hour_has (h, kind);

          if (start >= 0 && (!on || h->channel != channel || h->start != end))
            {
              g_ptr_array_add (events, make_event (start, end, channel, kind, zone));
              start = -1;
            }
          if (on && start < 0)
            {
              start = h->start;
              channel = h->channel;
            }
          if (on)
            end = h->start + 3600;
        }
    }
  g_ptr_array_sort (events, event_cmp);
  return events;
}
