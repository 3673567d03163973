/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Driver ↔ simulator over a socket pair: one session each for the СПТ944
 * (two heat inputs in one archive record, FastLZ), the СПТ943.3 (one
 * archive request per heat input, pressure in kgf/cm²) and the СПТ941.20.
 *
 * Expected values are worked out by hand from the simulator's data model
 * (README.md, "Simulator"; logikam4-simdata.c's header comment), seed 1,
 * the meter's clock 2026-03-15 10:30:00 UTC (Unix 1773570600):
 *   hour starting 2026-03-14 00:00: k = 1773446400 / 3600 = 492624,
 *   k mod 4 = 0, h = 0
 *     ТВ1: t1 = 70 + 0 + 0 + (1 mod 5) = 71, t2 = 45 + 0 + 0 = 45,
 *          M1 = 3 + 0.5·((k + 1) mod 4) = 3.5, M2 = 3.45, V1 = 3.5,
 *          Q = 3.5·(71 − 45)/1000 = 0.091 Gcal
 *     ТВ2: t1 = 81, t2 = 50, M1 = 4.5, Q = 4.5·31/1000 = 0.1395
 *   hour 01:00 (k + 1): ТВ1 t1 72, t2 46, M1 4.0, Q 0.104
 *   hour 02:00: ТВ1 t1 73, t2 47, M1 4.5, Q 0.117
 *   day 2026-03-14, ТВ1: M1 = 24·3 + 0.5·6·(1+2+3+0) = 90 t;
 *     t1 = 70 + 1 + mean(h mod 12) = 76.5; t2 = 45 + mean(h mod 6) = 47.5;
 *     Q = Σ M1·(t1 − t2)/1000 = 2.61 (summed by hand over the 24 hours)
 *   month 2026-02, ТВ1: 672 hours = 168 cycles of M1 3.5, 4, 4.5, 3:
 *     M1 = 168·15 = 2520 t
 *   НС: day 2026-03-15 − 2 − (1 mod 5) = 2026-03-12, hours 10–12, ТВ1;
 *     there Тн = 1 h and Тш = 0
 *   totals at 10:30: 19306 hours since 2024-01-01 (k ≡ 0 mod 4 then):
 *     M1 = 1000 + 1 + 4826·15 + 3.5 + 4 = 73398.5 t
 *   current (hour 10:00, k mod 4 = 2): G1 = 4.5, t1 = 70 + 10 + 1 = 81,
 *     t2 = 45 + (10 mod 6) = 49
 */
#include <math.h>

#include "lers-check.h"
#include "lers-logikam4-session.h"
#include "logikam4-test-util.h"

#define CLOCK 1773570600

static LersLogikam4Simulator *
new_sim (const gchar *model)
{
  m4_test_register_types ();
  return g_object_new (LERS_TYPE_LOGIKAM4_SIMULATOR, "serial-number", "55150", "address", 3, "seed",
                       1, "clock-time", (gint64) CLOCK, "model", model, NULL);
}

static LersDevice *
new_device (const gchar *model)
{
  LersDevice *d = lers_device_new ();
  g_autoptr (GTimeZone) utc = g_time_zone_new_utc ();

  lers_device_set_protocol (d, "logikam4");
  lers_device_set_model (d, model);
  lers_device_set_network_address (d, "3");
  lers_device_set_clock_zone (d, "UTC");
  lers_device_set_effective_clock_zone (d, utc);
  lers_device_set_option (d, "wake-up-ms", "0");
  return d;
}

static GDateTime *
utc (const gchar *iso)
{
  return g_date_time_new_from_iso8601 (iso, NULL);
}

#define assert_near(a, b, tol) ck_assert_msg (fabs ((a) - (b)) <= (tol), "%g != %g", (a), (b))

START_TEST (test_spt944_session)
{
  g_autoptr (LersLogikam4Simulator) sim = new_sim ("СПТ944");
  g_autoptr (LersDevice) device = new_device ("СПТ944");
  g_autoptr (GError) error = NULL;
  g_autoptr (LersDeviceSession) s = NULL;
  g_autoptr (GPtrArray) hours = NULL, days = NULL, months = NULL, totals = NULL, current = NULL;
  g_autoptr (GPtrArray) events = NULL;
  g_autoptr (GDateTime) from = NULL, to = NULL, t = NULL;
  M4TestLink link = { 0 };
  LersRecord *r;

  m4_test_link_open (&link, sim);
  s = m4_test_open (link.transport, device, &error);
  lers_check_assert_no_error (error);

  from = utc ("2026-03-14T00:00:00Z");
  to = utc ("2026-03-14T03:00:00Z");
  hours = m4_test_read (s, LERS_ARCHIVE_KIND_HOUR, from, to, &error);
  lers_check_assert_no_error (error);
  ck_assert_uint_eq (hours->len, 6); /* 3 hours × 2 heat inputs */
  r = m4_test_find (hours, "2026-03-14T00:00:00Z", 0);
  assert_near (m4_test_value (r, LERS_PARAMETER_T_IN), 71.0, 1e-4);
  assert_near (m4_test_value (r, LERS_PARAMETER_T_OUT), 45.0, 1e-4);
  assert_near (m4_test_value (r, LERS_PARAMETER_T_DELTA), 26.0, 1e-4);
  assert_near (m4_test_value (r, LERS_PARAMETER_M_IN), 3.5, 1e-5);
  assert_near (m4_test_value (r, LERS_PARAMETER_M_OUT), 3.45, 1e-5);
  assert_near (m4_test_value (r, LERS_PARAMETER_V_IN), 3.5, 1e-5);
  assert_near (m4_test_value (r, LERS_PARAMETER_Q_IN), 0.091, 1e-6);
  assert_near (m4_test_value (r, LERS_PARAMETER_P_IN), 0.6, 1e-6);
  assert_near (m4_test_value (r, LERS_PARAMETER_T_CW), 6.0, 1e-6);
  assert_near (m4_test_value (r, LERS_PARAMETER_NORMAL_OPERATION_DURATION), 1.0, 1e-6);
  r = m4_test_find (hours, "2026-03-14T00:00:00Z", 1);
  assert_near (m4_test_value (r, LERS_PARAMETER_T_IN), 81.0, 1e-4);
  assert_near (m4_test_value (r, LERS_PARAMETER_T_OUT), 50.0, 1e-4);
  assert_near (m4_test_value (r, LERS_PARAMETER_M_IN), 4.5, 1e-5);
  assert_near (m4_test_value (r, LERS_PARAMETER_Q_IN), 0.1395, 1e-6);
  assert_near (m4_test_value (r, LERS_PARAMETER_P_IN), 0.7, 1e-6);
  r = m4_test_find (hours, "2026-03-14T02:00:00Z", 0);
  assert_near (m4_test_value (r, LERS_PARAMETER_T_IN), 73.0, 1e-4);
  assert_near (m4_test_value (r, LERS_PARAMETER_Q_IN), 0.117, 1e-6);

  g_clear_pointer (&to, g_date_time_unref);
  to = utc ("2026-03-15T00:00:00Z");
  days = m4_test_read (s, LERS_ARCHIVE_KIND_DAY, from, to, &error);
  lers_check_assert_no_error (error);
  ck_assert_uint_eq (days->len, 2);
  r = m4_test_find (days, "2026-03-14T00:00:00Z", 0);
  assert_near (m4_test_value (r, LERS_PARAMETER_M_IN), 90.0, 1e-4);
  assert_near (m4_test_value (r, LERS_PARAMETER_T_IN), 76.5, 1e-4);
  assert_near (m4_test_value (r, LERS_PARAMETER_T_OUT), 47.5, 1e-4);
  assert_near (m4_test_value (r, LERS_PARAMETER_Q_IN), 2.61, 1e-5);

  g_clear_pointer (&from, g_date_time_unref);
  g_clear_pointer (&to, g_date_time_unref);
  from = utc ("2026-02-01T00:00:00Z");
  to = utc ("2026-03-01T00:00:00Z");
  months = m4_test_read (s, LERS_ARCHIVE_KIND_MONTH, from, to, &error);
  lers_check_assert_no_error (error);
  ck_assert_uint_eq (months->len, 2);
  r = m4_test_find (months, "2026-02-01T00:00:00Z", 0);
  assert_near (m4_test_value (r, LERS_PARAMETER_M_IN), 2520.0, 1e-2);

  totals = m4_test_read (s, LERS_ARCHIVE_KIND_TOTALS, NULL, NULL, &error);
  lers_check_assert_no_error (error);
  r = m4_test_find (totals, "2026-03-15T10:30:00Z", 0);
  assert_near (m4_test_value (r, LERS_PARAMETER_M_IN), 73398.5, 1e-3);
  ck_assert_uint_eq (lers_record_get_kind (r), LERS_ARCHIVE_KIND_TOTALS);

  current = m4_test_read (s, LERS_ARCHIVE_KIND_CURRENT, NULL, NULL, &error);
  lers_check_assert_no_error (error);
  r = m4_test_find (current, "2026-03-15T10:30:00Z", 0);
  assert_near (m4_test_value (r, LERS_PARAMETER_FLOW_V_IN), 4.5, 1e-5);
  assert_near (m4_test_value (r, LERS_PARAMETER_T_IN), 81.0, 1e-4);
  assert_near (m4_test_value (r, LERS_PARAMETER_T_OUT), 49.0, 1e-4);

  g_clear_pointer (&from, g_date_time_unref);
  g_clear_pointer (&to, g_date_time_unref);
  from = utc ("2026-03-11T00:00:00Z");
  to = utc ("2026-03-14T00:00:00Z");
  events = m4_test_events (s, from, to, &error);
  lers_check_assert_no_error (error);
  /* the НС event, then the meter's log: "НС начало" 10:00, "НС конец" 13:00 */
  ck_assert_uint_eq (events->len, 3);
  {
    LersMeterEvent *log = g_ptr_array_index (events, 1);
    g_autoptr (GDateTime) at = utc ("2026-03-12T10:00:00Z");

    ck_assert_str_eq (lers_meter_event_get_text (log), "НС начало");
    ck_assert (g_date_time_equal (lers_meter_event_get_start (log), at));
    ck_assert_str_eq (lers_meter_event_get_text (g_ptr_array_index (events, 2)), "НС конец");
  }
  {
    LersMeterEvent *ev = g_ptr_array_index (events, 0);
    g_autoptr (GDateTime) start = utc ("2026-03-12T10:00:00Z");
    g_autoptr (GDateTime) end = utc ("2026-03-12T13:00:00Z");

    ck_assert (g_date_time_equal (lers_meter_event_get_start (ev), start));
    ck_assert (g_date_time_equal (lers_meter_event_get_end (ev), end));
    ck_assert_str_eq (lers_meter_event_get_code (ev), "flow-out-of-range");
    ck_assert_int_eq (lers_meter_event_get_device_code (ev), 20);
    ck_assert_uint_eq (lers_meter_event_get_channel (ev), 0);
    ck_assert_str_eq (lers_meter_event_get_text (ev), "Flow through ВС1 below the lower limit");
  }
  {
    g_autoptr (GPtrArray) ns_hours = NULL;
    g_autoptr (GDateTime) a = utc ("2026-03-12T10:00:00Z");
    g_autoptr (GDateTime) b = utc ("2026-03-12T11:00:00Z");

    ns_hours = m4_test_read (s, LERS_ARCHIVE_KIND_HOUR, a, b, &error);
    lers_check_assert_no_error (error);
    r = m4_test_find (ns_hours, "2026-03-12T10:00:00Z", 0);
    assert_near (m4_test_value (r, LERS_PARAMETER_INCIDENT_DURATION), 1.0, 1e-6);
    assert_near (m4_test_value (r, LERS_PARAMETER_NORMAL_OPERATION_DURATION), 0.0, 1e-6);
  }

  t = m4_test_clock (s, &error);
  lers_check_assert_no_error (error);
  ck_assert_int_eq (g_date_time_to_unix (t), CLOCK);
  /* no set-clock option: not supported */
  ck_assert (!m4_test_set_clock (s, t, &error));
  lers_check_assert_error (error, LERS_ERROR, LERS_ERROR_NOT_SUPPORTED);
  ck_assert_str_eq (error->message, "setting the clock of the СПТ944 over M4 is not supported");
  m4_test_close (s);
  m4_test_link_close (&link);
}
END_TEST

static gboolean
cancel_now (gpointer user_data)
{
  g_cancellable_cancel (G_CANCELLABLE (user_data));
  return G_SOURCE_REMOVE;
}

static void
cancel_cb (GObject *progress, GParamSpec *pspec, gpointer user_data)
{
  /* after the first answer, while the second request waits for its
   * (delayed) answer */
  if (lers_progress_get_fraction (LERS_PROGRESS (progress)) > 0.0
      && g_object_get_data (progress, "armed") == NULL)
    {
      g_object_set_data (progress, "armed", GINT_TO_POINTER (1));
      g_timeout_add_full (G_PRIORITY_DEFAULT, 30, cancel_now, g_object_ref (user_data),
                          g_object_unref);
    }
}

START_TEST (test_cancel_archive)
{
  /* review 7: a month of hours takes many requests; cancelled 30 ms into
   * the wait for the second answer (the simulator answers after 100 ms),
   * the read ends with G_IO_ERROR_CANCELLED, and the session then reads
   * the clock (CLOCK) over the same transport, whatever the late answer */
  g_autoptr (LersLogikam4Simulator) sim = new_sim ("СПТ944");
  g_autoptr (LersDevice) device = new_device ("СПТ944");
  g_autoptr (GError) error = NULL;
  g_autoptr (LersDeviceSession) s = NULL;
  g_autoptr (GCancellable) cancel = g_cancellable_new ();
  g_autoptr (LersProgress) progress = lers_progress_new ();
  g_autoptr (GPtrArray) hours = NULL;
  g_autoptr (GDateTime) from = utc ("2026-02-01T00:00:00Z");
  g_autoptr (GDateTime) to = utc ("2026-03-01T00:00:00Z");
  g_autoptr (GDateTime) t = NULL;
  M4TestLink link = { 0 };
  M4TestWait w = { NULL };

  m4_test_link_open (&link, sim);
  s = m4_test_open (link.transport, device, &error);
  lers_check_assert_no_error (error);
  g_object_set (sim, "answer-delay-ms", 100u, NULL);
  g_signal_connect (progress, "notify::fraction", G_CALLBACK (cancel_cb), cancel);
  lers_device_session_read_archive_async (s, LERS_ARCHIVE_KIND_HOUR, from, to, progress, cancel,
                                          m4_test_wait_cb, &w);
  m4_test_wait_for (&w);
  hours = lers_device_session_read_archive_finish (s, w.result, &error);
  g_object_unref (w.result);
  ck_assert_ptr_null (hours);
  lers_check_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  ck_assert_double_lt (lers_progress_get_fraction (progress), 0.5);
  g_clear_error (&error);
  t = m4_test_clock (s, &error);
  lers_check_assert_no_error (error);
  ck_assert_int_eq (g_date_time_to_unix (t), CLOCK);
  m4_test_close (s);
  m4_test_link_close (&link);
}
END_TEST

START_TEST (test_set_clock)
{
  g_autoptr (LersLogikam4Simulator) sim = new_sim ("СПТ944");
  g_autoptr (LersDevice) device = new_device ("СПТ944");
  g_autoptr (GError) error = NULL;
  g_autoptr (LersDeviceSession) s = NULL;
  g_autoptr (GDateTime) want = utc ("2026-04-01T08:09:10Z");
  g_autoptr (GDateTime) got = NULL;
  M4TestLink link = { 0 };

  lers_device_set_option (device, "set-clock", "true");
  m4_test_link_open (&link, sim);
  s = m4_test_open (link.transport, device, &error);
  lers_check_assert_no_error (error);
  ck_assert (m4_test_set_clock (s, want, &error));
  lers_check_assert_no_error (error);
  got = m4_test_clock (s, &error);
  lers_check_assert_no_error (error);
  ck_assert_int_eq (g_date_time_to_unix (got), g_date_time_to_unix (want));
  m4_test_close (s);
  m4_test_link_close (&link);
}
END_TEST

START_TEST (test_spt943_3_channels)
{
  g_autoptr (LersLogikam4Simulator) sim = new_sim ("СПТ943.3");
  g_autoptr (LersDevice) device = new_device (NULL);
  g_autoptr (GError) error = NULL;
  g_autoptr (LersDeviceSession) s = NULL;
  g_autoptr (GPtrArray) hours = NULL, totals = NULL;
  g_autoptr (GDateTime) from = utc ("2026-03-14T00:00:00Z");
  g_autoptr (GDateTime) to = utc ("2026-03-14T01:00:00Z");
  M4TestLink link = { 0 };
  LersRecord *r;

  m4_test_link_open (&link, sim);
  s = m4_test_open (link.transport, device, &error);
  lers_check_assert_no_error (error);
  ck_assert_str_eq (lers_logikam4_session_get_model_name (LERS_LOGIKAM4_SESSION (s)), "СПТ943.3");
  hours = m4_test_read (s, LERS_ARCHIVE_KIND_HOUR, from, to, &error);
  lers_check_assert_no_error (error);
  ck_assert_uint_eq (hours->len, 2);
  r = m4_test_find (hours, "2026-03-14T00:00:00Z", 0);
  assert_near (m4_test_value (r, LERS_PARAMETER_T_IN), 71.0, 1e-4);
  /* the meter's ЕИ = 0: 0.6 MPa sent as 0.6 / 0.0980665 kgf/cm² */
  assert_near (m4_test_value (r, LERS_PARAMETER_P_IN), 0.6, 1e-6);
  r = m4_test_find (hours, "2026-03-14T00:00:00Z", 1);
  assert_near (m4_test_value (r, LERS_PARAMETER_T_IN), 81.0, 1e-4);
  assert_near (m4_test_value (r, LERS_PARAMETER_Q_IN), 0.1395, 1e-6);
  assert_near (m4_test_value (r, LERS_PARAMETER_P_OUT), 0.5, 1e-6);
  totals = m4_test_read (s, LERS_ARCHIVE_KIND_TOTALS, NULL, NULL, &error);
  lers_check_assert_no_error (error);
  r = m4_test_find (totals, "2026-03-15T10:30:00Z", 1);
  /* ТВ2: 2000 + 1 + 4826·19 + 4.5 + 5 (M1 cycles 4.5, 5, 5.5, 4) */
  assert_near (m4_test_value (r, LERS_PARAMETER_M_IN), 93704.5, 1e-3);
  m4_test_close (s);
  m4_test_link_close (&link);
}
END_TEST

static void
fraction_cb (GObject *progress, GParamSpec *pspec, gpointer user_data)
{
  GArray *fractions = user_data;
  gdouble f = lers_progress_get_fraction (LERS_PROGRESS (progress));

  g_array_append_val (fractions, f);
}

START_TEST (test_spt943_3_events_once)
{
  /* review 2, 3: the СПТ943.3's event log is common to Ch 1 and Ch 2 (the
   * simulator answers it on both, as tests/replay-spt943-3.txt:33-36
   * shows): "НС начало" at 2026-03-12 10:00 (header comment) must come
   * once, on channel 0; the progress never goes back */
  g_autoptr (LersLogikam4Simulator) sim = new_sim ("СПТ943.3");
  g_autoptr (LersDevice) device = new_device (NULL);
  g_autoptr (GError) error = NULL;
  g_autoptr (LersDeviceSession) s = NULL;
  g_autoptr (GPtrArray) events = NULL;
  g_autoptr (LersProgress) progress = lers_progress_new ();
  g_autoptr (GArray) fractions = g_array_new (FALSE, FALSE, sizeof (gdouble));
  g_autoptr (GDateTime) from = utc ("2026-03-12T00:00:00Z");
  g_autoptr (GDateTime) to = utc ("2026-03-13T00:00:00Z");
  g_autoptr (GDateTime) at = utc ("2026-03-12T10:00:00Z");
  M4TestLink link = { 0 };
  M4TestWait w = { NULL };
  guint n_start = 0;

  m4_test_link_open (&link, sim);
  s = m4_test_open (link.transport, device, &error);
  lers_check_assert_no_error (error);
  g_signal_connect (progress, "notify::fraction", G_CALLBACK (fraction_cb), fractions);
  lers_device_session_read_events_async (s, from, to, progress, NULL, m4_test_wait_cb, &w);
  m4_test_wait_for (&w);
  events = lers_device_session_read_events_finish (s, w.result, &error);
  g_object_unref (w.result);
  lers_check_assert_no_error (error);
  for (guint i = 0; i < events->len; i++)
    {
      LersMeterEvent *ev = g_ptr_array_index (events, i);

      if (g_strcmp0 (lers_meter_event_get_text (ev), "НС начало") != 0)
        continue;
      n_start++;
      ck_assert_uint_eq (lers_meter_event_get_channel (ev), 0);
      ck_assert (g_date_time_equal (lers_meter_event_get_start (ev), at));
    }
  ck_assert_uint_eq (n_start, 1);
  ck_assert_uint_ge (fractions->len, 3);
  for (guint i = 1; i < fractions->len; i++)
    ck_assert_msg (g_array_index (fractions, gdouble, i)
                       >= g_array_index (fractions, gdouble, i - 1),
                   "progress went from %g back to %g", g_array_index (fractions, gdouble, i - 1),
                   g_array_index (fractions, gdouble, i));
  ck_assert_double_eq_tol (g_array_index (fractions, gdouble, fractions->len - 1), 1.0, 1e-9);
  /* the hourly archive (both heat inputs, several requests each) ends at
   * 0.8; the one log request (no Date(+1)) takes it to 1 */
  ck_assert_double_eq_tol (g_array_index (fractions, gdouble, fractions->len - 2), 0.8, 1e-9);
  m4_test_close (s);
  m4_test_link_close (&link);
}
END_TEST

START_TEST (test_spt941_20)
{
  g_autoptr (LersLogikam4Simulator) sim = new_sim ("СПТ941.20");
  g_autoptr (LersDevice) device = new_device ("СПТ941.20");
  g_autoptr (GError) error = NULL;
  g_autoptr (LersDeviceSession) s = NULL;
  g_autoptr (GPtrArray) hours = NULL;
  g_autoptr (GPtrArray) events = NULL;
  g_autoptr (GDateTime) from = utc ("2026-03-12T00:00:00Z");
  g_autoptr (GDateTime) to = utc ("2026-03-13T00:00:00Z");
  M4TestLink link = { 0 };

  m4_test_link_open (&link, sim);
  s = m4_test_open (link.transport, device, &error);
  lers_check_assert_no_error (error);
  hours = m4_test_read (s, LERS_ARCHIVE_KIND_HOUR, from, to, &error);
  lers_check_assert_no_error (error);
  ck_assert_uint_eq (hours->len, 24); /* one heat input */
  events = m4_test_events (s, from, to, &error);
  lers_check_assert_no_error (error);
  ck_assert_uint_eq (events->len, 3);
  ck_assert_int_eq (lers_meter_event_get_device_code (g_ptr_array_index (events, 0)), 39);
  m4_test_close (s);
  m4_test_link_close (&link);
}
END_TEST

START_TEST (test_spt941_20_reporting_hour)
{
  /* СПТ941.20 with ЧР = 11 (its table 2 item 7, Ch 0 Pn 7, read at open):
   * the day stamped 2026-03-12 (date only) holds the hours
   * [03-11 11:00, 03-12 11:00), the one stamped 03-13 holds
   * [03-12 11:00, 03-13 11:00). The НС hours are 10, 11, 12 of 03-12
   * (header comment), so the first day has Тн = 1 h (hour 10), Тш = 23 h,
   * the second Тн = 2 h (11, 12), Тш = 22 h. M1 sums 6 cycles of
   * 3.5 + 4 + 4.5 + 3 = 90 t whatever the start. */
  g_autoptr (LersLogikam4Simulator) sim = new_sim ("СПТ941.20");
  g_autoptr (LersDevice) device = new_device ("СПТ941.20");
  g_autoptr (GError) error = NULL;
  g_autoptr (LersDeviceSession) s = NULL;
  g_autoptr (GPtrArray) days = NULL;
  g_autoptr (GDateTime) from = utc ("2026-03-11T11:00:00Z");
  g_autoptr (GDateTime) to = utc ("2026-03-13T11:00:00Z");
  M4TestLink link = { 0 };
  LersRecord *r;

  g_object_set (sim, "reporting-hour", 11u, NULL);
  m4_test_link_open (&link, sim);
  s = m4_test_open (link.transport, device, &error);
  lers_check_assert_no_error (error);
  days = m4_test_read (s, LERS_ARCHIVE_KIND_DAY, from, to, &error);
  lers_check_assert_no_error (error);
  ck_assert_uint_eq (days->len, 2);
  r = m4_test_find (days, "2026-03-11T11:00:00Z", 0);
  assert_near (m4_test_value (r, LERS_PARAMETER_INCIDENT_DURATION), 1.0, 1e-6);
  assert_near (m4_test_value (r, LERS_PARAMETER_NORMAL_OPERATION_DURATION), 23.0, 1e-6);
  assert_near (m4_test_value (r, LERS_PARAMETER_M_IN), 90.0, 1e-4);
  r = m4_test_find (days, "2026-03-12T11:00:00Z", 0);
  assert_near (m4_test_value (r, LERS_PARAMETER_INCIDENT_DURATION), 2.0, 1e-6);
  assert_near (m4_test_value (r, LERS_PARAMETER_NORMAL_OPERATION_DURATION), 22.0, 1e-6);
  m4_test_close (s);
  m4_test_link_close (&link);
}
END_TEST

START_TEST (test_spg742_totals)
{
  /* СПГ742: totals per pipeline; V = M1 of the data model, V_std = 2·M1:
   * pipeline 1: V = 1001 + 72397.5 = 73398.5, V_std = 1001 + 144795 =
   * 145796 m³; no archive layout known */
  g_autoptr (LersLogikam4Simulator) sim = new_sim ("СПГ742");
  g_autoptr (LersDevice) device = new_device ("СПГ742");
  g_autoptr (GError) error = NULL;
  g_autoptr (LersDeviceSession) s = NULL;
  g_autoptr (GPtrArray) totals = NULL, hours = NULL;
  g_autoptr (GDateTime) from = utc ("2026-03-14T00:00:00Z");
  g_autoptr (GDateTime) to = utc ("2026-03-14T01:00:00Z");
  M4TestLink link = { 0 };
  LersRecord *r;

  m4_test_link_open (&link, sim);
  s = m4_test_open (link.transport, device, &error);
  lers_check_assert_no_error (error);
  totals = m4_test_read (s, LERS_ARCHIVE_KIND_TOTALS, NULL, NULL, &error);
  lers_check_assert_no_error (error);
  r = m4_test_find (totals, "2026-03-15T10:30:00Z", 0);
  assert_near (m4_test_value (r, LERS_PARAMETER_V), 73398.5, 1e-3);
  assert_near (m4_test_value (r, LERS_PARAMETER_V_STD), 145796.0, 1e-3);
  r = m4_test_find (totals, "2026-03-15T10:30:00Z", 1);
  /* pipeline 2: M1 cycles 4.5, 5, 5.5, 4: 2001 + 4826·19 + 9.5 = 93704.5 */
  assert_near (m4_test_value (r, LERS_PARAMETER_V), 93704.5, 1e-3);
  hours = m4_test_read (s, LERS_ARCHIVE_KIND_HOUR, from, to, &error);
  ck_assert_ptr_null (hours);
  lers_check_assert_error (error, LERS_ERROR, LERS_ERROR_NOT_SUPPORTED);
  ck_assert_str_eq (error->message, "the archive layout of the СПГ742 is not known");
  /* review 6: the event log (Rectype 6) needs no archive layout: the
   * simulator's "НС начало" 2026-03-12 10:00 and "НС конец" 13:00 */
  g_clear_error (&error);
  {
    g_autoptr (GDateTime) efrom = utc ("2026-03-12T00:00:00Z");
    g_autoptr (GDateTime) eto = utc ("2026-03-13T00:00:00Z");
    g_autoptr (GPtrArray) events = m4_test_events (s, efrom, eto, &error);

    lers_check_assert_no_error (error);
    ck_assert_uint_eq (events->len, 2);
    ck_assert_str_eq (lers_meter_event_get_text (g_ptr_array_index (events, 0)), "НС начало");
    ck_assert_str_eq (lers_meter_event_get_text (g_ptr_array_index (events, 1)), "НС конец");
  }
  m4_test_close (s);
  m4_test_link_close (&link);
}
END_TEST

START_TEST (test_wrong_address_times_out)
{
  g_autoptr (LersLogikam4Simulator) sim = new_sim ("СПТ944");
  g_autoptr (LersDevice) device = new_device ("СПТ944");
  g_autoptr (GError) error = NULL;
  g_autoptr (LersDeviceSession) s = NULL;
  M4TestLink link = { 0 };

  lers_device_set_network_address (device, "7");
  lers_device_set_option (device, "retries", "1");
  m4_test_link_open (&link, sim);
  lers_transport_set_first_byte_timeout_ms (link.transport, 100);
  s = m4_test_open (link.transport, device, &error);
  ck_assert_ptr_null (s);
  lers_check_assert_error (error, LERS_ERROR, LERS_ERROR_TIMED_OUT);
  ck_assert_msg (g_str_has_prefix (error->message, "M4 request 0x3f to address 7, 2 attempts: "),
                 "%s", error->message);
  m4_test_link_close (&link);
}
END_TEST

START_TEST (test_model_mismatch)
{
  g_autoptr (LersLogikam4Simulator) sim = new_sim ("СПТ941.20");
  g_autoptr (LersDevice) device = new_device ("СПТ944");
  g_autoptr (GError) error = NULL;
  g_autoptr (LersDeviceSession) s = NULL;
  M4TestLink link = { 0 };

  m4_test_link_open (&link, sim);
  s = m4_test_open (link.transport, device, &error);
  ck_assert_ptr_null (s);
  lers_check_assert_error (error, LERS_ERROR, LERS_ERROR_INVALID_DATA);
  ck_assert_str_eq (error->message, "the device is СПТ941.20, not СПТ944");
  m4_test_link_close (&link);
}
END_TEST

static Suite *
session_suite (void)
{
  Suite *s = suite_create ("logikam4-session");
  TCase *tc = tcase_create ("session");

  tcase_set_timeout (tc, 60);
  tcase_add_test (tc, test_spt944_session);
  tcase_add_test (tc, test_set_clock);
  tcase_add_test (tc, test_cancel_archive);
  tcase_add_test (tc, test_spt943_3_channels);
  tcase_add_test (tc, test_spt943_3_events_once);
  tcase_add_test (tc, test_spt941_20);
  tcase_add_test (tc, test_spt941_20_reporting_hour);
  tcase_add_test (tc, test_spg742_totals);
  tcase_add_test (tc, test_wrong_address_times_out);
  tcase_add_test (tc, test_model_mismatch);
  suite_add_tcase (s, tc);
  return s;
}

int
main (int argc, char **argv)
{
  lers_check_init (&argc, &argv);
  return lers_check_run_suite (session_suite ());
}
