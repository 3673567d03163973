/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Driver ↔ simulator over a socket pair, one session each. Expected
 * values come from the simulator's data model as README.md documents it
 * ("Simulator data model"), worked out here by hand, never by calling the
 * model: clock 2026-11-15 12:40:45 UTC, seed 7 → the НС day is 10 days
 * back (3 + 7 mod 20), 2026-11-05: hours 10–12 a power failure (code 122:
 * no flow, no heat, Tp 0), hour 20 t1 − t2 = 1.5 (code 96); every other
 * hour Tp = 1, Q = M1·(t1 − t2)/1000, M2 = 0.98·M1, M1 in 2.2 ± 0.3.
 */
#include <check.h>
#include <math.h>

#include "km5-test-util.h"
#include "lers-check.h"
#include "lers-km5-driver.h"
#include "lers-km5-simulator.h"

#define CLOCK G_GINT64_CONSTANT (1794746445) /* 2026-11-15 12:40:45 UTC */

typedef struct
{
  Km5TestPair pair;
  LersTransport *transport;
  LersDevice *device;
  LersDeviceSession *session;
} Fixture;

static void
fixture_open (Fixture *f, LersKm5Simulator *sim, const gchar *address, const gchar *zone,
              const gchar *model, const gchar *const *options)
{
  g_autoptr (LersDeviceDriver) driver = NULL;
  g_autoptr (GError) error = NULL;

  km5_test_pair_start (&f->pair, LERS_DEVICE_SIMULATOR (sim));
  f->transport = lers_stream_transport_new (f->pair.client, "pair");
  lers_transport_set_first_byte_timeout_ms (f->transport, 300);
  lers_transport_set_retries (f->transport, 1);
  f->device = lers_device_new ();
  lers_device_set_network_address (f->device, address);
  lers_device_set_clock_zone (f->device, zone);
  {
    g_autoptr (GTimeZone) tz = g_time_zone_new_identifier (zone);
    ck_assert (tz != NULL);
    lers_device_set_effective_clock_zone (f->device, tz);
  }
  lers_device_set_model (f->device, model);
  for (guint i = 0; options != NULL && options[i] != NULL; i += 2)
    lers_device_set_option (f->device, options[i], options[i + 1]);
  driver = g_object_new (LERS_TYPE_KM5_DRIVER, NULL);
  f->session = lers_device_driver_create_session (driver, f->transport, f->device, &error);
  ck_assert (f->session != NULL);
}

static void
fixture_close (Fixture *f)
{
  lers_device_session_close_sync (f->session, NULL, NULL);
  g_clear_object (&f->session);
  g_clear_object (&f->transport);
  g_clear_object (&f->device);
  km5_test_pair_stop (&f->pair);
}

static LersKm5Simulator *
make_sim (const gchar *serial, const gchar *zone, guint circuits, const gchar *model)
{
  km5_test_register_types ();
  return g_object_new (LERS_TYPE_KM5_SIMULATOR, "serial-number", serial, "seed", 7, "clock-time",
                       CLOCK, "clock-zone", zone, "circuits", circuits, "model", model, NULL);
}

static GDateTime *
utc (gint y, gint mo, gint d, gint h)
{
  return g_date_time_new_utc (y, mo, d, h, 0, 0);
}

static gdouble
value (LersRecord *r, LersParameter p)
{
  gdouble v = NAN;
  ck_assert_msg (lers_record_get_value (r, p, &v, NULL), "parameter %d missing", p);
  return v;
}

static GPtrArray *
read_archive (Fixture *f, LersArchiveKind kind, GDateTime *from, GDateTime *to)
{
  g_autoptr (GError) error = NULL;
  GPtrArray *records
      = lers_device_session_read_archive_sync (f->session, kind, from, to, NULL, NULL, &error);
  ck_assert_msg (records != NULL, "%s", error ? error->message : "?");
  return records;
}

START_TEST (test_session_all)
{
  g_autoptr (LersKm5Simulator) sim = make_sim ("00000001", NULL, 1, "КМ-5");
  g_autoptr (GDateTime) h0 = utc (2026, 11, 5, 0), h24 = utc (2026, 11, 6, 0);
  g_autoptr (GDateTime) d0 = utc (2026, 11, 1, 0), d1 = utc (2026, 11, 20, 0);
  g_autoptr (GDateTime) o0 = utc (2026, 10, 1, 0), o1 = utc (2026, 11, 1, 0);
  g_autoptr (GDateTime) m0 = utc (2026, 9, 1, 0), m1 = utc (2026, 10, 31, 0);
  g_autoptr (GDateTime) e0 = utc (2026, 11, 1, 0), e1 = utc (2026, 11, 15, 12);
  g_autoptr (GPtrArray) hours = NULL, days = NULL, oct = NULL, months = NULL;
  g_autoptr (GPtrArray) totals = NULL, current = NULL, events = NULL;
  g_autoptr (GDateTime) clock = NULL;
  g_autoptr (LersProgress) progress = lers_progress_new ();
  g_autoptr (GError) error = NULL;
  gdouble sum_m = 0, sum_q = 0, sum_days_m = 0;
  Fixture f = { 0 };

  fixture_open (&f, sim, "1", "UTC", "КМ-5", NULL);
  ck_assert (lers_device_session_open_sync (f.session, NULL, &error));
  /* the answer's address is the meter's number: the device learns it */
  ck_assert_str_eq (lers_device_get_serial_number (f.device), "00000001");

  /* hours of the НС day: [00:00 5.11, 00:00 6.11), review finding 8 */
  hours = lers_device_session_read_archive_sync (f.session, LERS_ARCHIVE_KIND_HOUR, h0, h24,
                                                 progress, NULL, &error);
  ck_assert_msg (hours != NULL, "%s", error ? error->message : "");
  ck_assert_uint_eq (hours->len, 24);
  ck_assert (lers_progress_get_fraction (progress) == 1.0);
  for (guint i = 0; i < 24; i++)
    {
      LersRecord *r = g_ptr_array_index (hours, i);
      g_autoptr (GDateTime) want = utc (2026, 11, 5, (gint) i);
      gdouble t1 = value (r, LERS_PARAMETER_T_IN), t2 = value (r, LERS_PARAMETER_T_OUT);
      gdouble m = value (r, LERS_PARAMETER_M_IN), q = value (r, LERS_PARAMETER_Q_IN);

      ck_assert_msg (g_date_time_equal (lers_record_get_timestamp (r), want), "hour %u", i);
      ck_assert_uint_eq (lers_record_get_channel (r), 0);
      ck_assert (t1 >= 70 && t1 <= 90);
      ck_assert (t2 >= 43 - 1.5 && t2 <= 90);
      if (i >= 10 && i <= 12)
        {
          ck_assert (m == 0 && q == 0);
          ck_assert (value (r, LERS_PARAMETER_NORMAL_OPERATION_DURATION) == 0);
          continue;
        }
      ck_assert (value (r, LERS_PARAMETER_NORMAL_OPERATION_DURATION) == 1);
      ck_assert_msg (m >= 1.9 && m <= 2.5, "M1 %g", m);
      /* amounts = differences of float32 integrators (~20000 t: ulp
       * 0.002 t; ~600 Gcal: 6e-5 Gcal) */
      ck_assert (fabs (value (r, LERS_PARAMETER_M_OUT) - 0.98 * m) < 5e-3);
      ck_assert (fabs (q - m * (t1 - t2) / 1000.0) < 5e-4);
      if (i == 20)
        ck_assert (fabs (t1 - t2 - 1.5) < 1e-4);
      else
        ck_assert (t2 >= 43 && t2 <= 53);
      ck_assert (fabs (value (r, LERS_PARAMETER_P_IN) - 0.6) < 1e-6);
      ck_assert (fabs (value (r, LERS_PARAMETER_P_OUT) - 0.4) < 1e-6);
      sum_m += m;
      sum_q += q;
    }

  /* days: the last complete day is 14 November; 5 November = its hours */
  days = read_archive (&f, LERS_ARCHIVE_KIND_DAY, d0, d1);
  ck_assert_uint_eq (days->len, 14);
  {
    LersRecord *r = g_ptr_array_index (days, 4);
    g_autoptr (GDateTime) want = utc (2026, 11, 5, 0);
    ck_assert (g_date_time_equal (lers_record_get_timestamp (r), want));
    ck_assert (fabs (value (r, LERS_PARAMETER_M_IN) - sum_m) < 5e-2);
    ck_assert (fabs (value (r, LERS_PARAMETER_Q_IN) - sum_q) < 2e-3);
    ck_assert (value (r, LERS_PARAMETER_NORMAL_OPERATION_DURATION) == 21);
  }

  /* months: September and October; October = its days */
  oct = read_archive (&f, LERS_ARCHIVE_KIND_DAY, o0, o1);
  ck_assert_uint_eq (oct->len, 31);
  for (guint i = 0; i < oct->len; i++)
    sum_days_m += value (g_ptr_array_index (oct, i), LERS_PARAMETER_M_IN);
  months = read_archive (&f, LERS_ARCHIVE_KIND_MONTH, m0, m1);
  ck_assert_uint_eq (months->len, 2);
  {
    LersRecord *r = g_ptr_array_index (months, 1);
    g_autoptr (GDateTime) want = utc (2026, 10, 1, 0);
    ck_assert (g_date_time_equal (lers_record_get_timestamp (r), want));
    ck_assert (fabs (value (r, LERS_PARAMETER_M_IN) - sum_days_m) < 0.05);
    ck_assert (value (r, LERS_PARAMETER_NORMAL_OPERATION_DURATION) == 31 * 24);
  }

  /* totals and current values at the meter's clock */
  totals = read_archive (&f, LERS_ARCHIVE_KIND_TOTALS, NULL, NULL);
  ck_assert_uint_eq (totals->len, 1);
  {
    LersRecord *r = g_ptr_array_index (totals, 0);
    g_autoptr (GDateTime) want = g_date_time_new_from_unix_utc (CLOCK);
    ck_assert (g_date_time_equal (lers_record_get_timestamp (r), want));
    /* README: integrators from 2026-01-01 00:00 to the last complete
     * hour, 12:00 15.11: 318 days + 12 h = 7644 h, of them 3 without
     * power: Tp = 1000 + 7641; M1 = 10007 + 7641 hours of 1.9…2.5 t */
    ck_assert (value (r, LERS_PARAMETER_NORMAL_OPERATION_DURATION) == 8641.0);
    ck_assert (value (r, LERS_PARAMETER_M_IN) > 10007 + 7641 * 1.9);
    ck_assert (value (r, LERS_PARAMETER_M_IN) < 10007 + 7641 * 2.5);
    ck_assert (value (r, LERS_PARAMETER_M_OUT) > 9807 + 7641 * 0.98 * 1.9);
    ck_assert (value (r, LERS_PARAMETER_Q_IN) > 107);
  }
  current = read_archive (&f, LERS_ARCHIVE_KIND_CURRENT, NULL, NULL);
  ck_assert_uint_eq (current->len, 1);
  {
    LersRecord *r = g_ptr_array_index (current, 0);
    gdouble t1 = value (r, LERS_PARAMETER_T_IN), t2 = value (r, LERS_PARAMETER_T_OUT);
    gdouble g = value (r, LERS_PARAMETER_FLOW_M_IN);
    ck_assert (t1 >= 70 && t1 <= 90 && t2 >= 43 && t2 <= 53);
    ck_assert (fabs (value (r, LERS_PARAMETER_HEAT_POWER) - g * (t1 - t2) / 1000.0) < 1e-5);
  }

  /* НС: one event per error-log line at its exact time (review finding
   * 11; README: (seed mod 60) min 5 s into the hour: 10:07:05, 20:07:05),
   * no end time */
  events = lers_device_session_read_events_sync (f.session, e0, e1, NULL, NULL, &error);
  ck_assert_msg (events != NULL, "%s", error ? error->message : "");
  ck_assert_uint_eq (events->len, 2);
  {
    LersMeterEvent *ev = g_ptr_array_index (events, 0);
    g_autoptr (GDateTime) s = g_date_time_new_utc (2026, 11, 5, 10, 7, 5);
    ck_assert_str_eq (lers_meter_event_get_code (ev), "power-off");
    ck_assert_int_eq (lers_meter_event_get_device_code (ev), 122);
    ck_assert (g_date_time_equal (lers_meter_event_get_start (ev), s));
    ck_assert (lers_meter_event_get_end (ev) == NULL);
    ck_assert_int_eq (lers_meter_event_get_severity (ev), LERS_METER_EVENT_SEVERITY_ALARM);
    ck_assert_str_eq (lers_meter_event_get_text (ev), "Power failure");
    ck_assert_uint_eq (lers_meter_event_get_channel (ev), 0);
  }
  {
    LersMeterEvent *ev = g_ptr_array_index (events, 1);
    g_autoptr (GDateTime) s = g_date_time_new_utc (2026, 11, 5, 20, 7, 5);
    ck_assert_str_eq (lers_meter_event_get_code (ev), "other");
    ck_assert_int_eq (lers_meter_event_get_device_code (ev), 96);
    ck_assert (g_date_time_equal (lers_meter_event_get_start (ev), s));
    ck_assert (lers_meter_event_get_end (ev) == NULL);
    ck_assert_int_eq (lers_meter_event_get_severity (ev), LERS_METER_EVENT_SEVERITY_WARNING);
  }

  /* the clock; setting it is not supported */
  clock = lers_device_session_read_clock_sync (f.session, NULL, &error);
  ck_assert_msg (clock != NULL, "%s", error ? error->message : "");
  ck_assert_int_eq (g_date_time_to_unix (clock), CLOCK);
  ck_assert (!lers_device_session_set_clock_sync (f.session, clock, NULL, &error));
  ck_assert (g_error_matches (error, LERS_ERROR, LERS_ERROR_NOT_SUPPORTED));
  fixture_close (&f);
}
END_TEST

/* ГВС as channel 1: t3/t4 = 55 → T_in, P3/t3 = 40 → T_out,
 * Qгвс = 0.3 t · (55 − 40) / 1000 = 0.0045 Gcal an hour */
START_TEST (test_session_gvs_channel)
{
  g_autoptr (LersKm5Simulator) sim = make_sim ("12345678", NULL, 2, "КМ-5");
  static const gchar *const options[] = { "gvs", "true", NULL };
  g_autoptr (GDateTime) from = utc (2026, 11, 14, 3), to = utc (2026, 11, 14, 5);
  g_autoptr (GPtrArray) hours = NULL;
  g_autoptr (GError) error = NULL;
  Fixture f = { 0 };

  fixture_open (&f, sim, "12345678", "UTC", "КМ-5", options);
  ck_assert (lers_device_session_open_sync (f.session, NULL, &error));
  hours = read_archive (&f, LERS_ARCHIVE_KIND_HOUR, from, to);
  ck_assert_uint_eq (hours->len, 4);
  for (guint i = 0; i < 4; i++)
    {
      LersRecord *r = g_ptr_array_index (hours, i);
      ck_assert_uint_eq (lers_record_get_channel (r), i % 2);
      if (i % 2 == 1)
        {
          ck_assert (fabs (value (r, LERS_PARAMETER_T_IN) - 55) < 1e-6);
          ck_assert (fabs (value (r, LERS_PARAMETER_T_OUT) - 40) < 1e-6);
          ck_assert (fabs (value (r, LERS_PARAMETER_Q_IN) - 0.0045) < 1e-5);
        }
    }
  fixture_close (&f);
}
END_TEST

/* the meter keeps Moscow time: its power failure at 10–12 h wall clock is
 * 07:00–10:00 UTC */
START_TEST (test_session_zone_and_backward)
{
  g_autoptr (LersKm5Simulator) sim = make_sim ("00000001", "Europe/Moscow", 1, "КМ-5");
  static const gchar *const options[] = { "backward", "true", NULL };
  g_autoptr (GDateTime) from = utc (2026, 11, 5, 6), to = utc (2026, 11, 5, 11);
  g_autoptr (GPtrArray) hours = NULL;
  g_autoptr (GError) error = NULL;
  Fixture f = { 0 };

  fixture_open (&f, sim, "1", "Europe/Moscow", "КМ-5", options);
  ck_assert (lers_device_session_open_sync (f.session, NULL, &error));
  hours = read_archive (&f, LERS_ARCHIVE_KIND_HOUR, from, to);
  ck_assert_uint_eq (hours->len, 5);
  ck_assert (value (g_ptr_array_index (hours, 0), LERS_PARAMETER_M_IN) > 1.8);
  for (guint i = 1; i <= 3; i++)
    ck_assert (value (g_ptr_array_index (hours, i), LERS_PARAMETER_M_IN) == 0);
  ck_assert (value (g_ptr_array_index (hours, 4), LERS_PARAMETER_M_IN) > 1.8);
  fixture_close (&f);
}
END_TEST

START_TEST (test_session_rm5)
{
  g_autoptr (LersKm5Simulator) sim = make_sim ("00000001", NULL, 1, "РМ-5");
  g_autoptr (GDateTime) from = utc (2026, 11, 14, 3), to = utc (2026, 11, 14, 4);
  g_autoptr (GPtrArray) hours = NULL;
  g_autoptr (GPtrArray) none = NULL;
  g_autoptr (GError) error = NULL;
  Fixture f = { 0 };
  LersRecord *r;

  fixture_open (&f, sim, "1", "UTC", "РМ-5", NULL);
  ck_assert (lers_device_session_open_sync (f.session, NULL, &error));
  /* review finding 8: [from, to) — from = to is empty */
  none = read_archive (&f, LERS_ARCHIVE_KIND_HOUR, from, from);
  ck_assert_uint_eq (none->len, 0);
  hours = read_archive (&f, LERS_ARCHIVE_KIND_HOUR, from, to);
  ck_assert_uint_eq (hours->len, 1);
  r = g_ptr_array_index (hours, 0);
  ck_assert (!lers_record_has_value (r, LERS_PARAMETER_Q_IN));
  ck_assert (!lers_record_has_value (r, LERS_PARAMETER_P_IN));
  /* V1 = M1 / 0.975 */
  ck_assert (fabs (value (r, LERS_PARAMETER_V_IN) * 0.975 - value (r, LERS_PARAMETER_M_IN)) < 5e-3);
  fixture_close (&f);
}
END_TEST

START_TEST (test_session_wrong_address)
{
  g_autoptr (LersKm5Simulator) sim = make_sim ("00000001", NULL, 1, "КМ-5");
  g_autoptr (GError) error = NULL;
  Fixture f = { 0 };

  fixture_open (&f, sim, "2", "UTC", "КМ-5", NULL);
  ck_assert (!lers_device_session_open_sync (f.session, NULL, &error));
  ck_assert_msg (g_error_matches (error, LERS_ERROR, LERS_ERROR_TIMED_OUT), "%s", error->message);
  fixture_close (&f);
}
END_TEST

/* the broadcast address 0: the one meter on the line answers with its own
 * number [S: wiki.tekon.ru "РМ-5"] */
START_TEST (test_session_broadcast)
{
  g_autoptr (LersKm5Simulator) sim = make_sim ("12345678", NULL, 1, "РМ-5");
  g_autoptr (GDateTime) clock = NULL;
  g_autoptr (GError) error = NULL;
  Fixture f = { 0 };

  fixture_open (&f, sim, "0", "UTC", "РМ-5", NULL);
  ck_assert_msg (lers_device_session_open_sync (f.session, NULL, &error), "%s", error->message);
  clock = lers_device_session_read_clock_sync (f.session, NULL, &error);
  ck_assert_msg (clock != NULL, "%s", error ? error->message : "");
  ck_assert_int_eq (g_date_time_to_unix (clock), CLOCK);
  fixture_close (&f);
}
END_TEST

START_TEST (test_session_bad_option)
{
  g_autoptr (LersKm5Simulator) sim = make_sim ("00000001", NULL, 1, "КМ-5");
  static const gchar *const options[] = { "energy-unit", "kcal", NULL };
  g_autoptr (GError) error = NULL;
  Fixture f = { 0 };

  fixture_open (&f, sim, "1", "UTC", "КМ-5", options);
  ck_assert (!lers_device_session_open_sync (f.session, NULL, &error));
  ck_assert (g_error_matches (error, LERS_ERROR, LERS_ERROR_INVALID_ARGUMENT));
  fixture_close (&f);
}
END_TEST

int
main (int argc, char **argv)
{
  Suite *s = suite_create ("km5-session");
  TCase *tc = tcase_create ("pair");

  lers_check_init (&argc, &argv);
  tcase_add_test (tc, test_session_all);
  tcase_add_test (tc, test_session_gvs_channel);
  tcase_add_test (tc, test_session_zone_and_backward);
  tcase_add_test (tc, test_session_rm5);
  tcase_add_test (tc, test_session_wrong_address);
  tcase_add_test (tc, test_session_broadcast);
  tcase_add_test (tc, test_session_bad_option);
  suite_add_tcase (s, tc);
  return lers_check_run_suite (s);
}
