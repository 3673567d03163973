/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * From archive slots to LERS records and events. A Pulsar archive slot
 * holds a channel's counter reading at the slot's time (the start of an
 * hour, a day at 00:00, a month's first day at 00:00, on the meter's
 * clock); the consumption of a period [s, e) is reading(e) − reading(s).
 * 0xFFFFFFF1 marks a slot without data; 0xFFFFFFF0 one the device could
 * not record for want of power on the Pulsar-16RM-M (2012 description,
 * p. 6), and "no data" on the other models (2021 specification, §3.10). Records and events keep the
 * slots' and the clock's GDateTimes: in the meter's clock zone.
 */
#include <glib/gi18n-lib.h>
#include <math.h>

#include "pulsar-archive.h"
#include "pulsar-frame.h"

/**
 * pulsar_archive_slots:
 * @kind: hour, day or month
 * @from: the range's start
 * @to: the range's end (exclusive)
 * @zone: the meter's clock zone
 *
 * The periods that start in [@from, @to), as their start times, and after
 * them the end of the last one: n periods give n + 1 slots, in @zone.
 *
 * Returns: (transfer full) (element-type GDateTime): the slot times
 */
GPtrArray *
pulsar_archive_slots (LersArchiveKind kind, GDateTime *from, GDateTime *to, GTimeZone *zone)
{
  GPtrArray *slots = g_ptr_array_new_with_free_func ((GDestroyNotify) g_date_time_unref);
  g_autoptr (GDateTime) s = lers_time_get_period_start (kind, from, zone, 0, 1);

  if (s != NULL && g_date_time_compare (s, from) < 0)
    {
      GDateTime *e = lers_time_get_period_end (kind, from, zone, 0, 1);
      g_date_time_unref (s);
      s = e;
    }
  /* the slots in the meter's zone: their fields are its wall-clock time */
  while (s != NULL && g_date_time_compare (s, to) < 0)
    {
      GDateTime *e = lers_time_get_period_end (kind, s, zone, 0, 1);
      g_ptr_array_add (slots, g_date_time_to_timezone (s, zone));
      g_date_time_unref (s);
      s = e;
    }
  if (slots->len > 0 && s != NULL)
    g_ptr_array_add (slots, g_date_time_to_timezone (s, zone));
  g_clear_pointer (&s, g_date_time_unref);
  if (slots->len == 1)
    g_ptr_array_set_size (slots, 0);
  return slots;
}

static gboolean
is_reading (guint32 bits)
{
  return bits != PULSAR_NO_DATA && bits != PULSAR_NO_POWER
         && isfinite (pulsar_float_from_bits (bits));
}

/**
 * pulsar_archive_build_records:
 * @out: (element-type LersRecord): where records go
 * @kind: the archive
 * @slots: (element-type GDateTime): from pulsar_archive_slots()
 * @raw: (array): one value a slot, as sent
 * @channel: the LERS channel (0-based)
 * @parameter: the channel's quantity
 * @factor: from the device's unit to @parameter's
 * @power_marks: whether 0xFFFFFFF0 means "no power" (the Pulsar-16RM-M)
 *   rather than "no data"
 *
 * One record a period with both readings: the difference, calculated, and
 * flagged reset when the counter went backwards. With @power_marks, a
 * period whose end slot the device marked "no power" gets the period's
 * length as %LERS_PARAMETER_NO_POWER_DURATION instead. Periods without
 * data give no record.
 */
void
pulsar_archive_build_records (GPtrArray *out, LersArchiveKind kind, GPtrArray *slots,
                              const guint32 *raw, guint channel, LersParameter parameter,
                              gdouble factor, gboolean power_marks)
{
  for (guint i = 0; i + 1 < slots->len; i++)
    {
      GDateTime *s = g_ptr_array_index (slots, i);
      GDateTime *e = g_ptr_array_index (slots, i + 1);
      g_autoptr (LersRecord) record = NULL;

      if (power_marks && raw[i + 1] == PULSAR_NO_POWER)
        {
          record = lers_record_new (s, kind);
          lers_record_set_channel (record, channel);
          lers_record_set_value (record, LERS_PARAMETER_NO_POWER_DURATION,
                                 (gdouble) g_date_time_difference (e, s) / G_TIME_SPAN_HOUR,
                                 LERS_VALUE_FLAG_NONE);
        }
      else if (is_reading (raw[i]) && is_reading (raw[i + 1]))
        {
          /* float32 readings: 7 significant digits; no counter resolves
           * below 1e-6 of its unit */
          gdouble diff = ((gdouble) pulsar_float_from_bits (raw[i + 1])
                          - (gdouble) pulsar_float_from_bits (raw[i]))
                         * factor;
          LersValueFlags flags = LERS_VALUE_FLAG_CALCULATED;

          diff = round (diff * 1e6) / 1e6;
          if (diff < 0)
            flags |= LERS_VALUE_FLAG_RESET;
          record = lers_record_new (s, kind);
          lers_record_set_channel (record, channel);
          lers_record_set_value (record, parameter, diff, flags);
        }
      if (record != NULL)
        g_ptr_array_add (out, g_steal_pointer (&record));
    }
}

static LersMeterEvent *
power_event (GDateTime *start, GDateTime *end, guint channel)
{
  LersMeterEvent *event = lers_meter_event_new ("power-off", start);

  lers_meter_event_set_end (event, end);
  lers_meter_event_set_channel (event, channel);
  lers_meter_event_set_device_code (event, 0xF0);
  lers_meter_event_set_severity (event, LERS_METER_EVENT_SEVERITY_ALARM);
  lers_meter_event_set_text (event, _ ("No power: the hour archive has no reading"));
  return event;
}

/**
 * pulsar_archive_build_power_events:
 * @out: (element-type LersMeterEvent): where events go
 * @slots: (element-type GDateTime): hour slots, the first at or after @from
 * @raw: (array): one value a slot
 * @channel: the LERS channel
 * @from: the range asked for
 * @to: its end (exclusive)
 *
 * A "no power" slot at t means the hour [t − 1 h, t) went without power;
 * consecutive ones make one `power-off` event from the hour before the
 * first to the last. An outage belongs to the range its start is in: a
 * run whose first slot is the first of @slots started before the range
 * and is left out; of the others, those that start in [@from, @to) are
 * kept, with their whole length (the caller reads on past @to to the
 * run's end).
 */
void
pulsar_archive_build_power_events (GPtrArray *out, GPtrArray *slots, const guint32 *raw,
                                   guint channel, GDateTime *from, GDateTime *to)
{
  for (guint i = 0; i < slots->len; i++)
    {
      guint j = i;
      GDateTime *start, *end;

      if (raw[i] != PULSAR_NO_POWER)
        continue;
      while (j + 1 < slots->len && raw[j + 1] == PULSAR_NO_POWER)
        j++;
      if (i > 0)
        {
          start = g_ptr_array_index (slots, i - 1);
          end = g_ptr_array_index (slots, j);
          if (g_date_time_compare (start, from) >= 0 && g_date_time_compare (start, to) < 0)
            g_ptr_array_add (out, power_event (start, end, channel));
        }
      i = j;
    }
}

static LersMeterEvent *
diag_event (GDateTime *day_start, guint8 bit, LersMeterEventSeverity severity, const gchar *text)
{
  LersMeterEvent *event = lers_meter_event_new ("other", day_start);

  lers_meter_event_set_channel (event, 0);
  lers_meter_event_set_device_code (event, bit);
  lers_meter_event_set_severity (event, severity);
  lers_meter_event_set_text (event, text);
  return event;
}

/**
 * pulsar_archive_build_diag_events:
 * @out: (element-type LersMeterEvent): where events go
 * @flags: parameter 0x0006 (ERR_F)
 * @day_start: the start of the meter's current day, in its zone
 *
 * The flags are a state, not a history: each set flag is one event that
 * starts at @day_start, with no end, on channel 0: EEPROM write error
 * (0x04, alarm) and a negative reading in a channel (0x08 in the 2012
 * description, bit 0 in the 2021 one; warning). Polls on one day give the
 * same event (the store keeps one); a flag that persists gives one a day.
 */
void
pulsar_archive_build_diag_events (GPtrArray *out, guint8 flags, GDateTime *day_start)
{
  static const guint8 sign_bits[] = { PULSAR_DIAG_SIGN_2021, PULSAR_DIAG_NEGATIVE };

  if ((flags & PULSAR_DIAG_EEPROM) != 0)
    g_ptr_array_add (out, diag_event (day_start, PULSAR_DIAG_EEPROM,
                                      LERS_METER_EVENT_SEVERITY_ALARM, _ ("EEPROM write error")));
  for (guint i = 0; i < G_N_ELEMENTS (sign_bits); i++)
    if ((flags & sign_bits[i]) != 0)
      g_ptr_array_add (out, diag_event (day_start, sign_bits[i], LERS_METER_EVENT_SEVERITY_WARNING,
                                        _ ("Negative reading in a channel")));
}

/**
 * pulsar_archive_current_record:
 * @kind: current or totals
 * @time: the device's clock
 * @reading: the channel's reading
 * @channel: the LERS channel
 * @parameter: its quantity
 * @factor: unit conversion
 *
 * Returns: (transfer full): the reading as a record; a negative or
 *   non-finite reading is flagged bad
 */
LersRecord *
pulsar_archive_current_record (LersArchiveKind kind, GDateTime *time, gdouble reading,
                               guint channel, LersParameter parameter, gdouble factor)
{
  LersRecord *record = lers_record_new (time, kind);
  gboolean bad = !isfinite (reading) || reading < 0;

  lers_record_set_channel (record, channel);
  lers_record_set_value (record, parameter, bad ? 0.0 : reading * factor,
                         bad ? LERS_VALUE_FLAG_BAD : LERS_VALUE_FLAG_NONE);
  return record;
}
