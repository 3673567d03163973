/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * The driver against the simulator, one session each: clock, current
 * values, totals, hour/day/month archives, events, both channels as LERS
 * channels 0 and 1.
 *
 * Expected values are worked out by hand from the data model in README.md
 * ("Simulator"), seed 0, clock fixed at 2026-03-10 12:30:00 UTC:
 *   channel c takes 0.001 × (10·c + k) m³ in the hour k:00–k+1:00 UTC;
 *   a day: 0.001 × (24·10·c + (0+1+…+23 = 276)) = 0.516 m³ (c = 1),
 *   0.756 m³ (c = 2); reading at 2020-01-01 = 100·c.
 * Archive readings are float32 (≈1.2e-4 m³ resolution near 1000–2000 m³),
 * so differences are compared to 2.5e-4.
 */
#include <check.h>
#include <math.h>

#include "lers-check.h"
#include "lers-pulsar-driver.h"
#include "lers-pulsar-simulator.h"
#include "pulsar-test-util.h"

#define TOL 2.5e-4
#define CLOCK "2026-03-10T12:30:00Z"

static void
start (PulsarTestSession *t, guint seed)
{
  g_autoptr (GDateTime) when = pulsar_test_utc (CLOCK);
  g_autoptr (LersPulsarSimulator) sim = NULL;
  g_autoptr (GError) error = NULL;

  pulsar_test_register_types ();
  sim = lers_pulsar_simulator_new ("00000042", 42, seed);
  g_object_set (sim, "clock-time", g_date_time_to_unix (when), "model", "Pulsar-2M", NULL);
  pulsar_test_session_sim (t, sim, "42");
  lers_device_set_model (t->device, "Pulsar-2M");
}

static void
open_ok (PulsarTestSession *t)
{
  g_autoptr (GError) error = NULL;

  ck_assert_msg (pulsar_test_open (t, &error), "%s", error ? error->message : "");
}

static GPtrArray *
read_ok (PulsarTestSession *t, LersArchiveKind kind, const gchar *from, const gchar *to)
{
  g_autoptr (GError) error = NULL;
  GPtrArray *out = pulsar_test_read (t, kind, from, to, &error);

  ck_assert_msg (out != NULL, "%s", error ? error->message : "");
  return out;
}

static void
assert_v (GPtrArray *records, const gchar *time, guint channel, gdouble want)
{
  LersValueFlags flags = 0;
  LersRecord *r = pulsar_test_find (records, time, channel);

  ck_assert_msg (r != NULL, "no record at %s channel %u", time, channel);
  ck_assert_double_eq_tol (pulsar_test_value (r, LERS_PARAMETER_V_IN, &flags), want, TOL);
  ck_assert_int_eq (flags, LERS_VALUE_FLAG_CALCULATED);
}

START_TEST (test_clock)
{
  PulsarTestSession t;
  g_autoptr (GError) error = NULL;
  g_autoptr (GDateTime) clock = NULL;
  g_autoptr (GDateTime) after = NULL;
  g_autoptr (GDateTime) want = pulsar_test_utc (CLOCK);
  g_autoptr (GDateTime) want_after = pulsar_test_utc ("2026-03-10T14:00:00Z");

  start (&t, 0);
  open_ok (&t);
  clock = pulsar_test_clock (&t, &error);
  ck_assert_msg (clock != NULL, "%s", error ? error->message : "");
  ck_assert (g_date_time_equal (clock, want));
  ck_assert_msg (pulsar_test_set_clock (&t, "2026-03-10T14:00:00Z", &error), "%s",
                 error ? error->message : "");
  after = pulsar_test_clock (&t, &error);
  ck_assert (after != NULL && g_date_time_equal (after, want_after));
  pulsar_test_session_clear (&t);
}
END_TEST

START_TEST (test_hour)
{
  PulsarTestSession t;
  g_autoptr (GPtrArray) r = NULL;

  start (&t, 0);
  open_ok (&t);
  r = read_ok (&t, LERS_ARCHIVE_KIND_HOUR, "2026-03-09T05:00:00Z", "2026-03-09T08:00:00Z");
  ck_assert_uint_eq (r->len, 6);
  /* channel 1: 0.001 × (10 + 5) = 0.015, then 0.016, 0.017 */
  assert_v (r, "2026-03-09T05:00:00Z", 0, 0.015);
  assert_v (r, "2026-03-09T06:00:00Z", 0, 0.016);
  assert_v (r, "2026-03-09T07:00:00Z", 0, 0.017);
  /* channel 2: 0.001 × (20 + 5) = 0.025, … */
  assert_v (r, "2026-03-09T05:00:00Z", 1, 0.025);
  assert_v (r, "2026-03-09T07:00:00Z", 1, 0.027);
  pulsar_test_session_clear (&t);
}
END_TEST

START_TEST (test_hour_chunks_and_depth)
{
  PulsarTestSession t;
  g_autoptr (GPtrArray) r = NULL;
  g_autoptr (GPtrArray) old = NULL;
  g_autoptr (GPtrArray) late = NULL;

  start (&t, 0);
  /* 13 slots in requests of 5, 5 and 3 */
  lers_device_set_option (t.device, "archive-records", "5");
  open_ok (&t);
  r = read_ok (&t, LERS_ARCHIVE_KIND_HOUR, "2026-03-09T00:00:00Z", "2026-03-09T12:00:00Z");
  ck_assert_uint_eq (r->len, 24);
  assert_v (r, "2026-03-09T00:00:00Z", 0, 0.010);
  assert_v (r, "2026-03-09T04:00:00Z", 0, 0.014);
  assert_v (r, "2026-03-09T05:00:00Z", 0, 0.015);
  assert_v (r, "2026-03-09T11:00:00Z", 1, 0.031);
  /* 62 days = 1488 slots back from 2026-03-10 12:00: the oldest is
   * 12:00 − 1487 h = 2026-01-07 13:00; only 13:00–14:00 has both ends */
  old = read_ok (&t, LERS_ARCHIVE_KIND_HOUR, "2026-01-07T10:00:00Z", "2026-01-07T14:00:00Z");
  ck_assert_uint_eq (old->len, 2);
  assert_v (old, "2026-01-07T13:00:00Z", 0, 0.023);
  /* the clock is at 12:30: the last slot is 12:00, so 10:00 and 11:00 */
  late = read_ok (&t, LERS_ARCHIVE_KIND_HOUR, "2026-03-10T10:00:00Z", "2026-03-10T16:00:00Z");
  ck_assert_uint_eq (late->len, 4);
  assert_v (late, "2026-03-10T11:00:00Z", 1, 0.031);
  pulsar_test_session_clear (&t);
}
END_TEST

START_TEST (test_day_month)
{
  PulsarTestSession t;
  g_autoptr (GPtrArray) day = NULL;
  g_autoptr (GPtrArray) month = NULL;

  start (&t, 0);
  open_ok (&t);
  day = read_ok (&t, LERS_ARCHIVE_KIND_DAY, "2026-03-01T00:00:00Z", "2026-03-03T00:00:00Z");
  ck_assert_uint_eq (day->len, 4);
  assert_v (day, "2026-03-01T00:00:00Z", 0, 0.516);
  assert_v (day, "2026-03-02T00:00:00Z", 0, 0.516);
  assert_v (day, "2026-03-01T00:00:00Z", 1, 0.756);
  month = read_ok (&t, LERS_ARCHIVE_KIND_MONTH, "2026-01-01T00:00:00Z", "2026-03-01T00:00:00Z");
  ck_assert_uint_eq (month->len, 4);
  /* January: 31 × 0.516 = 15.996; February 2026: 28 × 0.516 = 14.448 */
  assert_v (month, "2026-01-01T00:00:00Z", 0, 15.996);
  assert_v (month, "2026-02-01T00:00:00Z", 0, 14.448);
  /* channel 2: 31 × 0.756 = 23.436; 28 × 0.756 = 21.168 */
  assert_v (month, "2026-01-01T00:00:00Z", 1, 23.436);
  assert_v (month, "2026-02-01T00:00:00Z", 1, 21.168);
  pulsar_test_session_clear (&t);
}
END_TEST

START_TEST (test_totals_current)
{
  PulsarTestSession t;
  g_autoptr (GPtrArray) totals = NULL;
  g_autoptr (GPtrArray) current = NULL;
  LersValueFlags flags = 0;

  start (&t, 0);
  open_ok (&t);
  /* 2020-01-01 → 2026-03-10 is 2192 + 31 + 28 + 9 = 2260 days, then 12.5 h.
   * channel 1: 2260 × 516 + 12 × 10 + (0+…+11 = 66) + 0.5 × (10 + 12)
   *   = 1166357 l → 100 + 1166.357 = 1266.357 m³
   * channel 2: 2260 × 756 + 12 × 20 + 66 + 0.5 × (20 + 12)
   *   = 1708882 l → 200 + 1708.882 = 1908.882 m³ */
  totals = read_ok (&t, LERS_ARCHIVE_KIND_TOTALS, NULL, NULL);
  ck_assert_uint_eq (totals->len, 2);
  ck_assert_double_eq_tol (
      pulsar_test_value (pulsar_test_find (totals, CLOCK, 0), LERS_PARAMETER_V_IN, &flags),
      1266.357, 1e-6);
  ck_assert_int_eq (flags, LERS_VALUE_FLAG_NONE);
  ck_assert_double_eq_tol (
      pulsar_test_value (pulsar_test_find (totals, CLOCK, 1), LERS_PARAMETER_V_IN, NULL), 1908.882,
      1e-6);
  current = read_ok (&t, LERS_ARCHIVE_KIND_CURRENT, NULL, NULL);
  ck_assert_uint_eq (current->len, 2);
  ck_assert_int_eq (lers_record_get_kind (g_ptr_array_index (current, 0)),
                    LERS_ARCHIVE_KIND_CURRENT);
  pulsar_test_session_clear (&t);
}
END_TEST

START_TEST (test_quantity_option)
{
  PulsarTestSession t;
  g_autoptr (GPtrArray) totals = NULL;

  start (&t, 0);
  lers_device_set_option (t.device, "channels", "2");
  lers_device_set_option (t.device, "channel-2-quantity", "heat-gj");
  open_ok (&t);
  totals = read_ok (&t, LERS_ARCHIVE_KIND_TOTALS, NULL, NULL);
  ck_assert_uint_eq (totals->len, 1);
  /* 1908.882 GJ / 4.1868 GJ/Gcal */
  ck_assert_double_eq_tol (
      pulsar_test_value (pulsar_test_find (totals, CLOCK, 1), LERS_PARAMETER_Q_IN, NULL),
      1908.882 / 4.1868, 1e-6);
  pulsar_test_session_clear (&t);
}
END_TEST

static LersMeterEvent *
event_of (GPtrArray *events, guint channel)
{
  for (guint i = 0; i < events->len; i++)
    if (lers_meter_event_get_channel (g_ptr_array_index (events, i)) == channel)
      return g_ptr_array_index (events, i);
  return NULL;
}

/* review #1: 0xFFFFFFF0 means "no power" on the Pulsar-16RM-M only (2012
 * description p. 6); channels 1 and 2 of its 16 */
START_TEST (test_power_off)
{
  PulsarTestSession t;
  g_autoptr (GError) error = NULL;
  g_autoptr (GPtrArray) events = NULL;
  g_autoptr (GPtrArray) hours = NULL;
  g_autoptr (GDateTime) s = pulsar_test_utc ("2026-03-07T10:00:00Z");
  g_autoptr (GDateTime) e = pulsar_test_utc ("2026-03-07T13:00:00Z");
  LersValueFlags flags = 0;

  /* seed 0: 3 + 0 days before 2026-03-10, i.e. 2026-03-07, hours 10–13 */
  start (&t, 0);
  g_object_set (t.sim, "model", "Pulsar-16RM-M", NULL);
  lers_device_set_model (t.device, "Pulsar-16RM-M");
  lers_device_set_option (t.device, "channels", "1,2");
  open_ok (&t);
  events = pulsar_test_events (&t, "2026-03-01T00:00:00Z", "2026-03-10T12:00:00Z", &error);
  ck_assert_msg (events != NULL, "%s", error ? error->message : "");
  ck_assert_uint_eq (events->len, 2);
  for (guint ch = 0; ch < 2; ch++)
    {
      LersMeterEvent *ev = event_of (events, ch);
      ck_assert_ptr_nonnull (ev);
      ck_assert_str_eq (lers_meter_event_get_code (ev), "power-off");
      ck_assert_int_eq (lers_meter_event_get_device_code (ev), 0xF0);
      ck_assert_int_eq (lers_meter_event_get_severity (ev), LERS_METER_EVENT_SEVERITY_ALARM);
      ck_assert (g_date_time_equal (lers_meter_event_get_start (ev), s));
      ck_assert (g_date_time_equal (lers_meter_event_get_end (ev), e));
    }
  /* the hour archive around it: 09:00 normal (0.019), 10–12 without power,
   * 13:00 starts at a "no power" slot (no record), 14:00 normal (0.024) */
  hours = read_ok (&t, LERS_ARCHIVE_KIND_HOUR, "2026-03-07T09:00:00Z", "2026-03-07T15:00:00Z");
  ck_assert_uint_eq (hours->len, 10);
  assert_v (hours, "2026-03-07T09:00:00Z", 0, 0.019);
  for (guint h = 10; h <= 12; h++)
    {
      g_autofree gchar *time = g_strdup_printf ("2026-03-07T%02u:00:00Z", h);
      ck_assert_double_eq (pulsar_test_value (pulsar_test_find (hours, time, 0),
                                              LERS_PARAMETER_NO_POWER_DURATION, &flags),
                           1.0);
      ck_assert (!lers_record_has_value (pulsar_test_find (hours, time, 0), LERS_PARAMETER_V_IN));
    }
  ck_assert_ptr_null (pulsar_test_find (hours, "2026-03-07T13:00:00Z", 0));
  assert_v (hours, "2026-03-07T14:00:00Z", 1, 0.034);
  pulsar_test_session_clear (&t);
}
END_TEST

/* review #4: the outage of seed 0 (no power 2026-03-07 10:00–13:00 UTC:
 * slots 11, 12, 13 marked) comes out the same whatever the window, and
 * only from the windows its start 10:00 is in */
typedef struct
{
  const gchar *from;
  const gchar *to;
  guint n; /* 0 or 1 event: 10:00–13:00 */
} PowerWindow;

static const PowerWindow power_windows[] = {
  { "2026-03-07T10:00:00Z", "2026-03-07T11:00:00Z", 1 }, /* the end past the range */
  { "2026-03-07T09:00:00Z", "2026-03-07T12:00:00Z", 1 },
  { "2026-03-07T09:30:00Z", "2026-03-07T10:30:00Z", 1 }, /* not on the hour */
  { "2026-03-07T00:00:00Z", "2026-03-08T00:00:00Z", 1 },
  { "2026-03-07T11:00:00Z", "2026-03-07T12:00:00Z", 0 }, /* started before */
  { "2026-03-07T12:00:00Z", "2026-03-07T14:00:00Z", 0 },
  { "2026-03-07T10:30:00Z", "2026-03-08T00:00:00Z", 0 },
  { "2026-03-07T08:00:00Z", "2026-03-07T10:00:00Z", 0 }, /* to excluded */
};

START_TEST (test_power_off_windows)
{
  const PowerWindow *w = &power_windows[_i];
  PulsarTestSession t;
  g_autoptr (GError) error = NULL;
  g_autoptr (GPtrArray) events = NULL;
  g_autoptr (GDateTime) s = pulsar_test_utc ("2026-03-07T10:00:00Z");
  g_autoptr (GDateTime) e = pulsar_test_utc ("2026-03-07T13:00:00Z");

  start (&t, 0);
  g_object_set (t.sim, "model", "Pulsar-16RM-M", NULL);
  lers_device_set_model (t.device, "Pulsar-16RM-M");
  lers_device_set_option (t.device, "channels", "1");
  open_ok (&t);
  events = pulsar_test_events (&t, w->from, w->to, &error);
  ck_assert_msg (events != NULL, "%s", error ? error->message : "");
  ck_assert_msg (events->len == w->n, "[%s, %s): %u events", w->from, w->to, events->len);
  if (w->n == 1)
    {
      LersMeterEvent *ev = g_ptr_array_index (events, 0);
      ck_assert (g_date_time_equal (lers_meter_event_get_start (ev), s));
      ck_assert (g_date_time_equal (lers_meter_event_get_end (ev), e));
    }
  pulsar_test_session_clear (&t);
}
END_TEST

/* review #1: on the Pulsar-2M (and every model but the 16RM-M) the same
 * 0xFFFFFFF0 slots are the 2021 specification's "no data" (§3.10): no
 * power-off event, no NoPowerDuration record. Hours [09:00, 15:00) of
 * 2026-03-07: slots 11, 12, 13 marked, so only the hours 09:00 (both ends
 * readings) and 14:00 have records: 2 a channel, 4 in all; 09:00 on
 * channel 0 is 0.001 × (10 + 9) = 0.019 m³, 14:00 on channel 1
 * 0.001 × (20 + 14) = 0.034 m³ */
START_TEST (test_no_data_marks)
{
  PulsarTestSession t;
  g_autoptr (GError) error = NULL;
  g_autoptr (GPtrArray) events = NULL;
  g_autoptr (GPtrArray) hours = NULL;

  start (&t, 0);
  open_ok (&t);
  events = pulsar_test_events (&t, "2026-03-01T00:00:00Z", "2026-03-10T12:00:00Z", &error);
  ck_assert_msg (events != NULL, "%s", error ? error->message : "");
  ck_assert_uint_eq (events->len, 0);
  hours = read_ok (&t, LERS_ARCHIVE_KIND_HOUR, "2026-03-07T09:00:00Z", "2026-03-07T15:00:00Z");
  ck_assert_uint_eq (hours->len, 4);
  assert_v (hours, "2026-03-07T09:00:00Z", 0, 0.019);
  ck_assert_ptr_null (pulsar_test_find (hours, "2026-03-07T10:00:00Z", 0));
  ck_assert_ptr_null (pulsar_test_find (hours, "2026-03-07T12:00:00Z", 1));
  assert_v (hours, "2026-03-07T14:00:00Z", 1, 0.034);
  pulsar_test_session_clear (&t);
}
END_TEST

/* review #5: the flags are a state: each set flag is one event starting at
 * the meter's current day (clock 2026-03-10 12:30Z, UTC: 2026-03-10
 * 00:00Z), no end, channel 0; only read when that day's start or the
 * clock is in [from, to) */
typedef struct
{
  const gchar *from;
  const gchar *to;
  guint n;
} DiagWindow;

static const DiagWindow diag_windows[] = {
  { "2026-03-09T00:00:00Z", "2026-03-10T12:00:00Z", 1 }, /* the day's start */
  { "2026-03-10T12:00:00Z", "2026-03-10T13:00:00Z", 1 }, /* the clock, not the day's start */
  { "2026-03-10T00:00:00Z", "2026-03-10T00:30:00Z", 1 },
  { "2026-03-10T13:00:00Z", "2026-03-11T00:00:00Z", 0 }, /* neither */
  { "2026-03-08T00:00:00Z", "2026-03-10T00:00:00Z", 0 }, /* to excluded */
};

START_TEST (test_diagnostics)
{
  const DiagWindow *w = &diag_windows[_i];
  PulsarTestSession t;
  g_autoptr (GError) error = NULL;
  g_autoptr (GPtrArray) events = NULL;
  g_autoptr (GPtrArray) again = NULL;
  g_autoptr (GDateTime) day = pulsar_test_utc ("2026-03-10T00:00:00Z");
  LersMeterEvent *ev;

  /* seed 9: flags 0x08 (a negative reading); its power-off day is
   * 3 + 9 days back, outside these ranges (and the 2M has no power marks) */
  start (&t, 9);
  open_ok (&t);
  events = pulsar_test_events (&t, w->from, w->to, &error);
  ck_assert_msg (events != NULL, "%s", error ? error->message : "");
  ck_assert_msg (events->len == w->n, "[%s, %s): %u events", w->from, w->to, events->len);
  if (w->n == 0)
    {
      pulsar_test_session_clear (&t);
      return;
    }
  ev = g_ptr_array_index (events, 0);
  ck_assert_str_eq (lers_meter_event_get_code (ev), "other");
  ck_assert_int_eq (lers_meter_event_get_device_code (ev), 8);
  ck_assert_int_eq (lers_meter_event_get_severity (ev), LERS_METER_EVENT_SEVERITY_WARNING);
  ck_assert (g_date_time_equal (lers_meter_event_get_start (ev), day));
  ck_assert_ptr_null (lers_meter_event_get_end (ev));
  ck_assert_uint_eq (lers_meter_event_get_channel (ev), 0);
  /* a second poll: the same event */
  again = pulsar_test_events (&t, w->from, w->to, &error);
  ck_assert_msg (again != NULL, "%s", error ? error->message : "");
  ck_assert_uint_eq (again->len, 1);
  ck_assert (g_date_time_equal (lers_meter_event_get_start (g_ptr_array_index (again, 0)), day));
  pulsar_test_session_clear (&t);
}
END_TEST

START_TEST (test_local_zone)
{
  PulsarTestSession t;
  g_autoptr (GPtrArray) day = NULL;
  g_autoptr (GPtrArray) hour = NULL;
  g_autoptr (GPtrArray) current = NULL;
  g_autoptr (GDateTime) clock = NULL;
  g_autoptr (GDateTime) want = pulsar_test_utc (CLOCK);
  g_autoptr (GError) error = NULL;

  /* the meter keeps UTC+5 (Yekaterinburg): its day of 2026-03-01 runs from
   * 2026-02-28 19:00 to 2026-03-01 19:00 UTC, all 24 hours k = 0…23 once:
   * 0.516 m³ on channel 1; its hour 10:00 is 05:00 UTC: 0.015 m³ */
  start (&t, 0);
  g_object_set (t.sim, "clock-zone", "Asia/Yekaterinburg", NULL);
  pulsar_test_set_zone (&t, "Asia/Yekaterinburg");
  open_ok (&t);
  clock = pulsar_test_clock (&t, &error);
  ck_assert (clock != NULL && g_date_time_equal (clock, want));
  day = read_ok (&t, LERS_ARCHIVE_KIND_DAY, "2026-02-28T19:00:00Z", "2026-03-01T19:00:00Z");
  ck_assert_uint_eq (day->len, 2);
  assert_v (day, "2026-02-28T19:00:00Z", 0, 0.516);
  hour = read_ok (&t, LERS_ARCHIVE_KIND_HOUR, "2026-03-09T05:00:00Z", "2026-03-09T06:00:00Z");
  ck_assert_uint_eq (hour->len, 2);
  assert_v (hour, "2026-03-09T05:00:00Z", 0, 0.015);
  /* review #12: stamped in the meter's zone, UTC+5 (5 h = 18000 s) */
  ck_assert_int_eq (g_date_time_get_utc_offset (lers_record_get_timestamp (
                        pulsar_test_find (day, "2026-02-28T19:00:00Z", 0))),
                    5 * G_TIME_SPAN_HOUR);
  ck_assert_int_eq (g_date_time_get_utc_offset (lers_record_get_timestamp (
                        pulsar_test_find (hour, "2026-03-09T05:00:00Z", 1))),
                    5 * G_TIME_SPAN_HOUR);
  current = read_ok (&t, LERS_ARCHIVE_KIND_CURRENT, NULL, NULL);
  ck_assert_int_eq (
      g_date_time_get_utc_offset (lers_record_get_timestamp (pulsar_test_find (current, CLOCK, 0))),
      5 * G_TIME_SPAN_HOUR);
  pulsar_test_session_clear (&t);
}
END_TEST

/* review #12: events too are stamped in the meter's zone: seed 9 (the
 * diagnostics flag 0x08), the meter in UTC+5 */
START_TEST (test_event_zone)
{
  PulsarTestSession t;
  g_autoptr (GError) error = NULL;
  g_autoptr (GPtrArray) events = NULL;

  start (&t, 9);
  g_object_set (t.sim, "clock-zone", "Asia/Yekaterinburg", NULL);
  pulsar_test_set_zone (&t, "Asia/Yekaterinburg");
  open_ok (&t);
  events = pulsar_test_events (&t, "2026-03-09T00:00:00Z", "2026-03-10T12:00:00Z", &error);
  ck_assert_msg (events != NULL, "%s", error ? error->message : "");
  ck_assert_uint_eq (events->len, 1);
  ck_assert_int_eq (
      g_date_time_get_utc_offset (lers_meter_event_get_start (g_ptr_array_index (events, 0))),
      5 * G_TIME_SPAN_HOUR);
  pulsar_test_session_clear (&t);
}
END_TEST

/* review #11: without clock-zone the simulator keeps the local zone (as
 * the mbus and ТВ7 simulators). TZ = Asia/Yekaterinburg (UTC+5, no DST
 * since 2014), the device's zone the same, clock 12:30Z: the simulator's
 * wall clock says 17:30 and the session reads 12:30Z back (with a UTC
 * default the simulator said 12:30, read as 12:30+05 = 07:30Z) */
START_TEST (test_default_zone_local)
{
  PulsarTestSession t;
  g_autoptr (GDateTime) clock = NULL;
  g_autoptr (GDateTime) want = pulsar_test_utc (CLOCK);
  g_autoptr (GError) error = NULL;
  g_autofree gchar *zone = NULL;

  g_setenv ("TZ", "Asia/Yekaterinburg", TRUE);
  start (&t, 0);
  g_object_get (t.sim, "clock-zone", &zone, NULL);
  ck_assert_ptr_null (zone);
  pulsar_test_set_zone (&t, "Asia/Yekaterinburg");
  open_ok (&t);
  clock = pulsar_test_clock (&t, &error);
  ck_assert_msg (clock != NULL, "%s", error ? error->message : "");
  ck_assert_int_eq (g_date_time_to_unix (clock), g_date_time_to_unix (want));
  pulsar_test_session_clear (&t);
  g_setenv ("TZ", "UTC", TRUE);
}
END_TEST

START_TEST (test_radio_model_and_broadcast)
{
  PulsarTestSession t;
  g_autoptr (GPtrArray) totals = NULL;

  /* Пульсар-24М answers float32 readings (document p. 2); address 0 is the
   * broadcast, answered with the device's own address (2021 spec §2.1).
   * 1266.357 as float32: 1266.357 × 2^13 = 10373996.54…, so the nearest
   * float32 is 10373997 / 8192 = 1266.357056… — within 1e-4 */
  start (&t, 0);
  g_object_set (t.sim, "model", "Pulsar-24M", NULL);
  lers_device_set_network_address (t.device, "0");
  lers_device_set_option (t.device, "channels", "1");
  open_ok (&t);
  totals = read_ok (&t, LERS_ARCHIVE_KIND_TOTALS, NULL, NULL);
  ck_assert_uint_eq (totals->len, 1);
  ck_assert_double_eq_tol (
      pulsar_test_value (pulsar_test_find (totals, CLOCK, 0), LERS_PARAMETER_V_IN, NULL), 1266.357,
      1e-4);
  pulsar_test_session_clear (&t);
}
END_TEST

START_TEST (test_scan)
{
  PulsarTestSession t;
  g_autoptr (LersPulsarDriver) driver = NULL;
  g_autoptr (GAsyncResult) result = NULL;
  g_autoptr (GAsyncResult) result2 = NULL;
  g_autoptr (GError) error = NULL;
  g_autoptr (GPtrArray) found = NULL;
  g_autoptr (GPtrArray) none = NULL;

  /* the broadcast finds the simulator at its address 42 */
  start (&t, 0);
  driver = lers_pulsar_driver_new ();
  lers_device_driver_scan_async (LERS_DEVICE_DRIVER (driver), t.transport, NULL, NULL, NULL,
                                 pulsar_test_wait_cb, &result);
  found = lers_device_driver_scan_finish (LERS_DEVICE_DRIVER (driver), pulsar_test_wait (&result),
                                          &error);
  ck_assert_msg (found != NULL, "%s", error ? error->message : "");
  ck_assert_uint_eq (found->len, 1);
  ck_assert_str_eq (lers_device_get_network_address (g_ptr_array_index (found, 0)), "42");
  /* address 43 is silent: nothing found */
  lers_transport_set_first_byte_timeout_ms (t.transport, 100);
  lers_device_driver_scan_async (LERS_DEVICE_DRIVER (driver), t.transport, "43", NULL, NULL,
                                 pulsar_test_wait_cb, &result2);
  none = lers_device_driver_scan_finish (LERS_DEVICE_DRIVER (driver), pulsar_test_wait (&result2),
                                         &error);
  ck_assert_msg (none != NULL, "%s", error ? error->message : "");
  ck_assert_uint_eq (none->len, 0);
  pulsar_test_session_clear (&t);
}
END_TEST

static Suite *
pulsar_session_suite (void)
{
  Suite *s = suite_create ("pulsar-session");
  TCase *tc = tcase_create ("simulator");

  tcase_set_timeout (tc, 30);
  tcase_add_test (tc, test_clock);
  tcase_add_test (tc, test_hour);
  tcase_add_test (tc, test_hour_chunks_and_depth);
  tcase_add_test (tc, test_day_month);
  tcase_add_test (tc, test_totals_current);
  tcase_add_test (tc, test_quantity_option);
  tcase_add_test (tc, test_power_off);
  tcase_add_test (tc, test_no_data_marks);
  tcase_add_loop_test (tc, test_power_off_windows, 0, G_N_ELEMENTS (power_windows));
  tcase_add_loop_test (tc, test_diagnostics, 0, G_N_ELEMENTS (diag_windows));
  tcase_add_test (tc, test_local_zone);
  tcase_add_test (tc, test_default_zone_local);
  tcase_add_test (tc, test_event_zone);
  tcase_add_test (tc, test_radio_model_and_broadcast);
  tcase_add_test (tc, test_scan);
  suite_add_tcase (s, tc);
  return s;
}

int
main (int argc, char **argv)
{
  lers_check_init (&argc, &argv);
  return lers_check_run_suite (pulsar_session_suite ());
}
