/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * The driver against the simulator (a simulated СПТ943 with two heat
 * inputs, seed 7, NT 3, clock 2026-03-15 12:00:00 UTC) over a socket
 * pair. Expected values are worked out from the data model written in
 * README.md ("Simulator"), by hand in the comments and by expected_hour()
 * below, which is that formula written again, not the simulator's code.
 */
#include <math.h>
#include <string.h>

#include "lers-logika4l-driver.h"
#include "lers-logika4l-simulator.h"
#include "logika4l-test-util.h"

#define CLOCK 1773576000 /* 2026-03-15 12:00:00 UTC */
#define SEED 7
#define MPA_PER_KGF 0.0980665

typedef struct
{
  L4lTestPeer peer;
  LersLogika4lDriver *driver;
  LersDevice *device;
  LersDeviceSession *session;
} Fixture;

static void
fixture_setup (Fixture *fx, gconstpointer data)
{
  g_autoptr (LersLogika4lSimulator) sim = NULL;
  g_autoptr (GError) error = NULL;
  const gchar *model = data;

  l4l_test_register_types ();
  sim = lers_logika4l_simulator_new ("943001", 3, SEED);
  g_object_set (sim, "clock-time", (gint64) CLOCK, NULL);
  if (g_strcmp0 (model, "ns-log=false") == 0)
    ; /* a device option, below */
  else if (g_strcmp0 (model, "Moscow") == 0)
    ; /* the device's clock keeps Moscow time; the simulator's wall clock
       * is the same digits */
  else if (g_strcmp0 (model, "circuits=1") == 0)
    g_object_set (sim, "circuits", 1u, NULL);
  else if (model != NULL)
    g_object_set (sim, "model", model, NULL);
  l4l_test_peer_start (&fx->peer, sim);
  g_assert_true (lers_transport_open_sync (fx->peer.transport, NULL, &error));
  fx->driver = lers_logika4l_driver_new ();
  fx->device = lers_device_new ();
  lers_device_set_network_address (fx->device, "3");
  {
    const gchar *zone_id = g_strcmp0 (model, "Moscow") == 0 ? "Europe/Moscow" : "UTC";
    g_autoptr (GTimeZone) zone = g_time_zone_new_identifier (zone_id);

    /* the poller resolves the device's zone (or its node's) to the
     * effective one; the session reads that */
    lers_device_set_clock_zone (fx->device, zone_id);
    lers_device_set_effective_clock_zone (fx->device, zone);
  }
  if (g_strcmp0 (model, "ns-log=false") == 0)
    lers_device_set_option (fx->device, "ns-log", "false");
  fx->session = lers_device_driver_open_session_sync (LERS_DEVICE_DRIVER (fx->driver),
                                                      fx->peer.transport, fx->device, NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (fx->session);
}

static void
fixture_teardown (Fixture *fx, gconstpointer data)
{
  lers_device_session_close_sync (fx->session, NULL, NULL);
  g_clear_object (&fx->session);
  l4l_test_peer_stop (&fx->peer);
  g_clear_object (&fx->device);
  g_clear_object (&fx->driver);
}

typedef struct
{
  gdouble t1, t2, m1, m2, v1, v2, q;
} Hour;

/* README.md "Simulator", for the hour starting at @start (UTC seconds):
 * k = start/3600 + seed; t1 = 70 + 0.5·(k mod 24) + ch; t2 = 45 +
 * 0.5·(k mod 12) + ch; M1 = 2 + 0.25·(k mod 4) + ch; M2 = M1 − 0.125;
 * V = M + 0.0625; Q = M1·(t1 − t2)/1000 */
static Hour
expected_hour (gint64 start, guint ch)
{
  guint64 k = (guint64) (start / 3600) + SEED;
  Hour h;

  h.t1 = 70.0 + 0.5 * (gdouble) (k % 24) + ch;
  h.t2 = 45.0 + 0.5 * (gdouble) (k % 12) + ch;
  h.m1 = 2.0 + 0.25 * (gdouble) (k % 4) + ch;
  h.m2 = h.m1 - 0.125;
  h.v1 = h.m1 + 0.0625;
  h.v2 = h.m2 + 0.0625;
  h.q = h.m1 * (h.t1 - h.t2) / 1000.0;
  return h;
}

static gdouble
value (LersRecord *r, LersParameter p)
{
  gdouble v = NAN;
  LersValueFlags flags = 0;

  g_assert_true (lers_record_get_value (r, p, &v, &flags));
  g_assert_cmpint (flags, ==, LERS_VALUE_FLAG_NONE);
  return v;
}

#define assert_near(a, b, tol) g_assert_cmpfloat_with_epsilon ((a), (b), (tol))

static GPtrArray *
read_range (Fixture *fx, LersArchiveKind kind, GDateTime *from, GDateTime *to)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (LersProgress) progress = lers_progress_new ();
  GPtrArray *records
      = lers_device_session_read_archive_sync (fx->session, kind, from, to, progress, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpfloat (lers_progress_get_fraction (progress), ==, 1.0);
  return records;
}

static void
test_hours (Fixture *fx, gconstpointer data)
{
  g_autoptr (GDateTime) from = g_date_time_new_utc (2026, 3, 15, 8, 0, 0);
  g_autoptr (GDateTime) to = g_date_time_new_utc (2026, 3, 15, 12, 0, 0);
  g_autoptr (GPtrArray) records = read_range (fx, LERS_ARCHIVE_KIND_HOUR, from, to);

  /* open named the model from its code; ИД is not read by default
   * (review finding 9) */
  g_assert_cmpstr (lers_device_get_model (fx->device), ==, "СПТ943");
  g_assert_null (lers_device_get_serial_number (fx->device));
  /* 08, 09, 10, 11 h for ТВ1 (channel 0), then ТВ2 (channel 1) */
  g_assert_cmpuint (records->len, ==, 8);
  for (guint i = 0; i < records->len; i++)
    {
      LersRecord *r = g_ptr_array_index (records, i);
      guint ch = i / 4;
      gint64 start = g_date_time_to_unix (from) + 3600 * (i % 4);
      Hour h = expected_hour (start, ch);

      g_assert_cmpuint (lers_record_get_channel (r), ==, ch);
      g_assert_cmpint (g_date_time_to_unix (lers_record_get_timestamp (r)), ==, start);
      assert_near (value (r, LERS_PARAMETER_T_IN), h.t1, 1e-4);
      assert_near (value (r, LERS_PARAMETER_T_OUT), h.t2, 1e-4);
      assert_near (value (r, LERS_PARAMETER_M_IN), h.m1, 1e-5);
      assert_near (value (r, LERS_PARAMETER_M_OUT), h.m2, 1e-5);
      assert_near (value (r, LERS_PARAMETER_V_IN), h.v1, 1e-5);
      assert_near (value (r, LERS_PARAMETER_V_OUT), h.v2, 1e-5);
      assert_near (value (r, LERS_PARAMETER_Q_DELTA), h.q, 1e-6);
      assert_near (value (r, LERS_PARAMETER_NORMAL_OPERATION_DURATION), 1.0, 1e-6);
      /* 6 kgf/cm² and 4 kgf/cm² in MPa (ЕИ = 0) */
      assert_near (value (r, LERS_PARAMETER_P_IN), 6.0 * MPA_PER_KGF, 1e-6);
      assert_near (value (r, LERS_PARAMETER_P_OUT), 4.0 * MPA_PER_KGF, 1e-6);
      assert_near (value (r, LERS_PARAMETER_T_CW), 5.0, 1e-6);
      assert_near (value (r, LERS_PARAMETER_T_OUTDOOR), -5.0, 1e-6);
    }
  /* by hand, 10 h on ТВ1: start/3600 = 492658, k = 492665; k mod 24 = 17,
   * k mod 12 = 5, k mod 4 = 1: t1 = 78.5, t2 = 47.5, M1 = 2.25,
   * Q = 2.25·31/1000 = 0.06975 Gcal; on ТВ2 t1 = 79.5, M1 = 3.25,
   * Q = 0.10075 */
  assert_near (value (g_ptr_array_index (records, 2), LERS_PARAMETER_T_IN), 78.5, 1e-5);
  assert_near (value (g_ptr_array_index (records, 2), LERS_PARAMETER_Q_DELTA), 0.06975, 1e-6);
  assert_near (value (g_ptr_array_index (records, 6), LERS_PARAMETER_T_IN), 79.5, 1e-5);
  assert_near (value (g_ptr_array_index (records, 6), LERS_PARAMETER_Q_DELTA), 0.10075, 1e-6);
}

static void
test_future_hours (Fixture *fx, gconstpointer data)
{
  g_autoptr (GDateTime) from = g_date_time_new_utc (2026, 3, 15, 12, 0, 0);
  g_autoptr (GDateTime) to = g_date_time_new_utc (2026, 3, 15, 14, 0, 0);
  g_autoptr (GPtrArray) records = read_range (fx, LERS_ARCHIVE_KIND_HOUR, from, to);

  /* not yet archived: the device says "no data" (error 3), no record */
  g_assert_cmpuint (records->len, ==, 0);
}

static void
test_days_months (Fixture *fx, gconstpointer data)
{
  g_autoptr (GDateTime) d0 = g_date_time_new_utc (2026, 3, 14, 0, 0, 0);
  g_autoptr (GDateTime) d1 = g_date_time_new_utc (2026, 3, 15, 0, 0, 0);
  g_autoptr (GDateTime) m0 = g_date_time_new_utc (2026, 2, 1, 0, 0, 0);
  g_autoptr (GDateTime) m1 = g_date_time_new_utc (2026, 3, 1, 0, 0, 0);
  g_autoptr (GPtrArray) days = read_range (fx, LERS_ARCHIVE_KIND_DAY, d0, d1);
  g_autoptr (GPtrArray) months = read_range (fx, LERS_ARCHIVE_KIND_MONTH, m0, m1);
  gdouble q = 0;

  g_assert_cmpuint (days->len, ==, 2);
  /* 24 hours: k mod 4 runs 0..3 six times: M1 = 24·2 + 0.25·6·6 = 57;
   * k mod 24 takes every value once: mean t1 = 70 + 0.5·11.5 = 75.75;
   * k mod 12 twice: mean t2 = 45 + 0.5·5.5 = 47.75; Ти = 24 h */
  assert_near (value (g_ptr_array_index (days, 0), LERS_PARAMETER_M_IN), 57.0, 1e-4);
  assert_near (value (g_ptr_array_index (days, 1), LERS_PARAMETER_M_IN), 81.0, 1e-4);
  assert_near (value (g_ptr_array_index (days, 0), LERS_PARAMETER_T_IN), 75.75, 1e-4);
  assert_near (value (g_ptr_array_index (days, 0), LERS_PARAMETER_T_OUT), 47.75, 1e-4);
  assert_near (value (g_ptr_array_index (days, 0), LERS_PARAMETER_NORMAL_OPERATION_DURATION), 24.0,
               1e-5);
  for (gint64 t = g_date_time_to_unix (d0); t < g_date_time_to_unix (d1); t += 3600)
    q += expected_hour (t, 0).q;
  assert_near (value (g_ptr_array_index (days, 0), LERS_PARAMETER_Q_DELTA), q, 1e-4);
  g_assert_cmpint (g_date_time_to_unix (lers_record_get_timestamp (g_ptr_array_index (days, 0))),
                   ==, g_date_time_to_unix (d0));

  /* February 2026: 672 hours = 168 cycles of k mod 4: M1 = 1344 + 168·1.5
   * = 1596; ТВ2 + 672 = 2268; Ти = 672 h */
  g_assert_cmpuint (months->len, ==, 2);
  assert_near (value (g_ptr_array_index (months, 0), LERS_PARAMETER_M_IN), 1596.0, 1e-2);
  assert_near (value (g_ptr_array_index (months, 1), LERS_PARAMETER_M_IN), 2268.0, 1e-2);
  assert_near (value (g_ptr_array_index (months, 0), LERS_PARAMETER_NORMAL_OPERATION_DURATION),
               672.0, 1e-3);
  g_assert_cmpuint (lers_record_get_channel (g_ptr_array_index (months, 1)), ==, 1);
}

static void
test_totals_current (Fixture *fx, gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (GPtrArray) totals = lers_device_session_read_archive_sync (
      fx->session, LERS_ARCHIVE_KIND_TOTALS, NULL, NULL, NULL, NULL, &error);
  g_autoptr (GPtrArray) current = NULL;

  g_assert_no_error (error);
  g_assert_cmpuint (totals->len, ==, 2);
  /* README: total = 1000·(ch+1) + the 1500 archived hours before the clock
   * hour (+ the current hour's share, ~0 at 12:00:00) */
  for (guint ch = 0; ch < 2; ch++)
    {
      LersRecord *r = g_ptr_array_index (totals, ch);
      gdouble v1 = 1000.0 * (ch + 1), m1 = 1000.0 * (ch + 1), q = 500.0 * (ch + 1);

      for (gint64 t = CLOCK - 1500 * 3600; t < CLOCK; t += 3600)
        {
          Hour h = expected_hour (t, ch);
          v1 += h.v1;
          m1 += h.m1;
          q += h.q;
        }
      g_assert_cmpuint (lers_record_get_channel (r), ==, ch);
      assert_near (value (r, LERS_PARAMETER_V_IN), v1, 0.05);
      assert_near (value (r, LERS_PARAMETER_M_IN), m1, 0.05);
      assert_near (value (r, LERS_PARAMETER_Q_DELTA), q, 0.01);
      assert_near (value (r, LERS_PARAMETER_NORMAL_OPERATION_DURATION), 11500.0, 0.01);
    }
  current = lers_device_session_read_archive_sync (fx->session, LERS_ARCHIVE_KIND_CURRENT, NULL,
                                                   NULL, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (current->len, ==, 2);
  /* 12 h: k = 492667, k mod 24 = 19 → t1 = 79.5; k mod 12 = 7 → t2 = 48.5;
   * k mod 4 = 3 → G1 = V1 = 2.8125 m³/h */
  assert_near (value (g_ptr_array_index (current, 0), LERS_PARAMETER_T_IN), 79.5, 1e-4);
  assert_near (value (g_ptr_array_index (current, 0), LERS_PARAMETER_T_OUT), 48.5, 1e-4);
  assert_near (value (g_ptr_array_index (current, 0), LERS_PARAMETER_T_DELTA), 31.0, 1e-4);
  assert_near (value (g_ptr_array_index (current, 0), LERS_PARAMETER_FLOW_V_IN), 2.8125, 1e-5);
  assert_near (value (g_ptr_array_index (current, 1), LERS_PARAMETER_T_IN), 80.5, 1e-4);
}

static void
test_events (Fixture *fx, gconstpointer data)
{
  g_autoptr (GDateTime) from = g_date_time_new_utc (2026, 3, 6, 0, 0, 0);
  g_autoptr (GDateTime) to = g_date_time_new_utc (2026, 3, 7, 0, 0, 0);
  g_autoptr (GError) error = NULL;
  g_autoptr (GPtrArray) events
      = lers_device_session_read_events_sync (fx->session, from, to, NULL, NULL, &error);
  gboolean from_log = g_strcmp0 (data, "ns-log=false") != 0;
  LersMeterEvent *e;
  gint64 day = g_date_time_to_unix (from);

  g_assert_no_error (error);
  /* seed 7: the НС day is 2 + 7 mod 20 = 9 days before 15.03: 06.03.
   * From the НС log (README): НС13 (G1 > Gв1) on ТВ1 10:05 → 12:47, НС23
   * (dt low) on ТВ2 14:10 → 14:50. From the hour masks: the hours that
   * carry them, 10 → 13 h and 14 → 15 h. */
  g_assert_cmpuint (events->len, ==, 2);
  e = g_ptr_array_index (events, 0);
  g_assert_cmpstr (lers_meter_event_get_code (e), ==, "flow-out-of-range");
  g_assert_cmpint (lers_meter_event_get_device_code (e), ==, 13);
  g_assert_cmpuint (lers_meter_event_get_channel (e), ==, 0);
  g_assert_cmpint (g_date_time_to_unix (lers_meter_event_get_start (e)), ==,
                   day + (from_log ? 10 * 3600 + 5 * 60 : 10 * 3600));
  g_assert_cmpint (g_date_time_to_unix (lers_meter_event_get_end (e)), ==,
                   day + (from_log ? 12 * 3600 + 47 * 60 : 13 * 3600));
  g_assert_cmpstr (lers_meter_event_get_text (e), ==, "Flow through ВС1 above the upper limit");
  g_assert_cmpint (lers_meter_event_get_severity (e), ==, LERS_METER_EVENT_SEVERITY_WARNING);
  e = g_ptr_array_index (events, 1);
  g_assert_cmpint (lers_meter_event_get_device_code (e), ==, 23);
  g_assert_cmpstr (lers_meter_event_get_code (e), ==, "other");
  g_assert_cmpuint (lers_meter_event_get_channel (e), ==, 1);
  g_assert_cmpint (g_date_time_to_unix (lers_meter_event_get_start (e)), ==,
                   day + (from_log ? 14 * 3600 + 10 * 60 : 14 * 3600));
  g_assert_cmpint (g_date_time_to_unix (lers_meter_event_get_end (e)), ==,
                   day + (from_log ? 14 * 3600 + 50 * 60 : 15 * 3600));
}

static void
test_clock (Fixture *fx, gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (GDateTime) t = lers_device_session_read_clock_sync (fx->session, NULL, &error);
  g_autoptr (GDateTime) want = g_date_time_new_utc (2026, 3, 15, 8, 30, 0);
  g_autoptr (GDateTime) t2 = NULL;

  g_assert_no_error (error);
  g_assert_cmpint (g_date_time_to_unix (t) - CLOCK, <=, 5);
  g_assert_cmpint (g_date_time_to_unix (t) - CLOCK, >=, 0);
  g_assert_true (lers_device_session_set_clock_sync (fx->session, want, NULL, &error));
  g_assert_no_error (error);
  t2 = lers_device_session_read_clock_sync (fx->session, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpint (ABS (g_date_time_to_unix (t2) - g_date_time_to_unix (want)), <=, 5);
}

/* the СПТ941 models 10/11: one heat input, 92 29, 64-byte records */
static void
test_941 (Fixture *fx, gconstpointer data)
{
  g_autoptr (GDateTime) from = g_date_time_new_utc (2026, 3, 15, 10, 0, 0);
  g_autoptr (GDateTime) to = g_date_time_new_utc (2026, 3, 15, 11, 0, 0);
  g_autoptr (GPtrArray) records = read_range (fx, LERS_ARCHIVE_KIND_HOUR, from, to);
  g_autoptr (GError) error = NULL;
  g_autoptr (GPtrArray) totals = NULL;

  g_assert_cmpuint (records->len, ==, 1);
  assert_near (value (g_ptr_array_index (records, 0), LERS_PARAMETER_T_IN), 78.5, 1e-5);
  assert_near (value (g_ptr_array_index (records, 0), LERS_PARAMETER_Q_DELTA), 0.06975, 1e-6);
  g_assert_false (lers_record_has_value (g_ptr_array_index (records, 0), LERS_PARAMETER_P_IN));
  /* review finding 6: totals at the 943's ТВ1 addresses
   * (prot941_10-11 appendix 4); as on the 943: 1000 + the 1500 archived
   * hours before the clock */
  totals = lers_device_session_read_archive_sync (fx->session, LERS_ARCHIVE_KIND_TOTALS, NULL, NULL,
                                                  NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (totals->len, ==, 1);
  {
    gdouble m1 = 1000.0, q = 500.0;
    for (gint64 t = CLOCK - 1500 * 3600; t < CLOCK; t += 3600)
      {
        m1 += expected_hour (t, 0).m1;
        q += expected_hour (t, 0).q;
      }
    assert_near (value (g_ptr_array_index (totals, 0), LERS_PARAMETER_M_IN), m1, 0.05);
    assert_near (value (g_ptr_array_index (totals, 0), LERS_PARAMETER_Q_DELTA), q, 0.01);
  }
}

/* review finding 6: the 941.10 reads its ЕИ (database parameter 0,
 * prot941_10-11 appendix 3) like the 943. Set to GJ: the 10 h record's
 * 0.06975 Gcal is 0.06975·4.1868 = 0.29203 GJ in the device and comes
 * back as 0.06975 Gcal; the totals' 500 Gcal base likewise */
static void
test_941_units (void)
{
  L4lTestPeer peer = { 0 };
  g_autoptr (LersLogika4lSimulator) sim = NULL;
  g_autoptr (LersLogika4lDriver) driver = lers_logika4l_driver_new ();
  g_autoptr (LersDevice) device = lers_device_new ();
  g_autoptr (LersDeviceSession) session = NULL;
  g_autoptr (GError) error = NULL;
  g_autoptr (GDateTime) from = g_date_time_new_utc (2026, 3, 15, 10, 0, 0);
  g_autoptr (GDateTime) to = g_date_time_new_utc (2026, 3, 15, 11, 0, 0);
  g_autoptr (GPtrArray) records = NULL;

  l4l_test_register_types ();
  sim = lers_logika4l_simulator_new ("941001", 3, SEED);
  g_object_set (sim, "clock-time", (gint64) CLOCK, "model", "СПТ941.10", "units", 1u, NULL);
  l4l_test_peer_start (&peer, sim);
  g_assert_true (lers_transport_open_sync (peer.transport, NULL, NULL));
  lers_device_set_network_address (device, "3");
  session = lers_device_driver_open_session_sync (LERS_DEVICE_DRIVER (driver), peer.transport,
                                                  device, NULL, &error);
  g_assert_no_error (error);
  records = lers_device_session_read_archive_sync (session, LERS_ARCHIVE_KIND_HOUR, from, to, NULL,
                                                   NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (records->len, ==, 1);
  assert_near (value (g_ptr_array_index (records, 0), LERS_PARAMETER_Q_DELTA), 0.06975, 1e-6);
  lers_device_session_close_sync (session, NULL, NULL);
  l4l_test_peer_stop (&peer);
}

/* the old СПТ941 (54 29): version 00 keeps its archives in FLASH with
 * header tables (prot941 §3.3), version 01 answers 48/59/4D (the X.X.07
 * addendum); the same values either way. Its hour stamp is the period's
 * start (hh → hh+1). */
static void
test_941_old (Fixture *fx, gconstpointer data)
{
  g_autoptr (GDateTime) from = g_date_time_new_utc (2026, 3, 15, 8, 0, 0);
  g_autoptr (GDateTime) to = g_date_time_new_utc (2026, 3, 15, 12, 0, 0);
  g_autoptr (GDateTime) d0 = g_date_time_new_utc (2026, 3, 14, 0, 0, 0);
  g_autoptr (GDateTime) d1 = g_date_time_new_utc (2026, 3, 15, 0, 0, 0);
  g_autoptr (GDateTime) m0 = g_date_time_new_utc (2026, 2, 1, 0, 0, 0);
  g_autoptr (GDateTime) m1 = g_date_time_new_utc (2026, 3, 1, 0, 0, 0);
  g_autoptr (GDateTime) e0 = g_date_time_new_utc (2026, 3, 6, 0, 0, 0);
  g_autoptr (GDateTime) e1 = g_date_time_new_utc (2026, 3, 7, 0, 0, 0);
  g_autoptr (GPtrArray) hours = read_range (fx, LERS_ARCHIVE_KIND_HOUR, from, to);
  g_autoptr (GPtrArray) days = read_range (fx, LERS_ARCHIVE_KIND_DAY, d0, d1);
  g_autoptr (GPtrArray) months = read_range (fx, LERS_ARCHIVE_KIND_MONTH, m0, m1);
  g_autoptr (GPtrArray) totals = NULL;
  g_autoptr (GPtrArray) events = NULL;
  g_autoptr (GError) error = NULL;
  gdouble v1 = 1000.0;

  g_assert_cmpuint (hours->len, ==, 4);
  /* 10 h: as on the 943 (t1 = 78.5, M1 = 2.25, Q = 0.06975); scheme 0:
   * V12 = V1, M12 = M1 (prot941 table 3.4) */
  g_assert_cmpint (g_date_time_to_unix (lers_record_get_timestamp (g_ptr_array_index (hours, 2))),
                   ==, g_date_time_to_unix (from) + 2 * 3600);
  assert_near (value (g_ptr_array_index (hours, 2), LERS_PARAMETER_T_IN), 78.5, 1e-5);
  assert_near (value (g_ptr_array_index (hours, 2), LERS_PARAMETER_M_IN), 2.25, 1e-5);
  assert_near (value (g_ptr_array_index (hours, 2), LERS_PARAMETER_V_IN), 2.3125, 1e-5);
  assert_near (value (g_ptr_array_index (hours, 2), LERS_PARAMETER_Q_DELTA), 0.06975, 1e-6);
  g_assert_cmpuint (days->len, ==, 1);
  assert_near (value (g_ptr_array_index (days, 0), LERS_PARAMETER_M_IN), 57.0, 1e-4);
  assert_near (value (g_ptr_array_index (days, 0), LERS_PARAMETER_NORMAL_OPERATION_DURATION), 24.0,
               1e-5);
  g_assert_cmpuint (months->len, ==, 1);
  assert_near (value (g_ptr_array_index (months, 0), LERS_PARAMETER_M_IN), 1596.0, 1e-2);

  /* prot941 table 3.6: totals in RAM as floats */
  totals = lers_device_session_read_archive_sync (fx->session, LERS_ARCHIVE_KIND_TOTALS, NULL, NULL,
                                                  NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (totals->len, ==, 1);
  for (gint64 t = CLOCK - 1500 * 3600; t < CLOCK; t += 3600)
    v1 += expected_hour (t, 0).v1;
  assert_near (value (g_ptr_array_index (totals, 0), LERS_PARAMETER_V_IN), v1, 0.05);

  /* the НС day (06.03): НС3 (pulse count of sensor 1) 10 → 13 h */
  events = lers_device_session_read_events_sync (fx->session, e0, e1, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (events->len, ==, 1);
  g_assert_cmpint (lers_meter_event_get_device_code (g_ptr_array_index (events, 0)), ==, 3);
  g_assert_cmpint (g_date_time_to_unix (lers_meter_event_get_start (g_ptr_array_index (events, 0))),
                   ==, g_date_time_to_unix (e0) + 10 * 3600);
  g_assert_cmpint (g_date_time_to_unix (lers_meter_event_get_end (g_ptr_array_index (events, 0))),
                   ==, g_date_time_to_unix (e0) + 13 * 3600);
}

/* ТВ2 not counting (status register bit 1 clear): only ТВ1 is read */
static void
test_one_input (Fixture *fx, gconstpointer data)
{
  g_autoptr (GDateTime) from = g_date_time_new_utc (2026, 3, 15, 10, 0, 0);
  g_autoptr (GDateTime) to = g_date_time_new_utc (2026, 3, 15, 12, 0, 0);
  g_autoptr (GPtrArray) records = read_range (fx, LERS_ARCHIVE_KIND_HOUR, from, to);

  g_assert_cmpuint (records->len, ==, 2);
  g_assert_cmpuint (lers_record_get_channel (g_ptr_array_index (records, 1)), ==, 0);
}

/* a device configured with another serial number: another device answers */
static void
test_wrong_serial (void)
{
  L4lTestPeer peer = { 0 };
  g_autoptr (LersLogika4lSimulator) sim = NULL;
  g_autoptr (LersLogika4lDriver) driver = NULL;
  g_autoptr (LersDevice) device = lers_device_new ();
  g_autoptr (LersDeviceSession) session = NULL;
  g_autoptr (GError) error = NULL;

  l4l_test_register_types ();
  sim = lers_logika4l_simulator_new ("943001", 3, SEED);
  l4l_test_peer_start (&peer, sim);
  g_assert_true (lers_transport_open_sync (peer.transport, NULL, NULL));
  driver = lers_logika4l_driver_new ();
  lers_device_set_network_address (device, "3");
  lers_device_set_serial_number (device, "12345678");
  /* review finding 9: ИД is a free parameter, not compared by default */
  session = lers_device_driver_open_session_sync (LERS_DEVICE_DRIVER (driver), peer.transport,
                                                  device, NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (session);
  g_clear_object (&session);
  /* with check-id = true: the identifier (the simulator's serial-number)
   * is compared */
  lers_device_set_option (device, "check-id", "true");
  session = lers_device_driver_open_session_sync (LERS_DEVICE_DRIVER (driver), peer.transport,
                                                  device, NULL, &error);
  g_assert_null (session);
  g_assert_error (error, LERS_ERROR, LERS_ERROR_INVALID_DATA);
  g_assert_cmpstr (error->message, ==,
                   "The Logika device at NT 3 has identifier 943001, not 12345678: another device "
                   "answers on this address");
  g_clear_error (&error);
  /* and fills in a serial number not configured */
  lers_device_set_serial_number (device, NULL);
  session = lers_device_driver_open_session_sync (LERS_DEVICE_DRIVER (driver), peer.transport,
                                                  device, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (lers_device_get_serial_number (device), ==, "943001");
  l4l_test_peer_stop (&peer);
}

static gboolean
cancel_cb (gpointer cancellable)
{
  g_cancellable_cancel (cancellable);
  return G_SOURCE_REMOVE;
}

static void
cancelled_read_cb (GObject *source, GAsyncResult *result, gpointer user_data)
{
  GError **error = user_data;
  g_autoptr (GPtrArray) records
      = lers_device_session_read_archive_finish (LERS_DEVICE_SESSION (source), result, error);

  g_assert_null (records);
}

/* review finding 1: a read cancelled halfway finishes with
 * G_IO_ERROR_CANCELLED, and the session still answers afterwards */
static void
test_cancel (Fixture *fx, gconstpointer data)
{
  g_autoptr (GDateTime) from = g_date_time_new_utc (2026, 3, 10, 0, 0, 0);
  g_autoptr (GDateTime) to = g_date_time_new_utc (2026, 3, 14, 0, 0, 0);
  g_autoptr (GCancellable) cancellable = g_cancellable_new ();
  g_autoptr (GError) error = NULL;
  g_autoptr (GError) clock_error = NULL;
  g_autoptr (GDateTime) t = NULL;
  GMainContext *ctx = g_main_context_get_thread_default ();
  gint64 deadline = g_get_monotonic_time () + 8 * G_USEC_PER_SEC;

  g_object_set (fx->peer.sim, "answer-delay-ms", 20u, NULL);
  lers_device_session_read_archive_async (fx->session, LERS_ARCHIVE_KIND_HOUR, from, to, NULL,
                                          cancellable, cancelled_read_cb, &error);
  g_timeout_add (150, cancel_cb, cancellable);
  while (error == NULL && g_get_monotonic_time () < deadline)
    g_main_context_iteration (ctx, TRUE);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_object_set (fx->peer.sim, "answer-delay-ms", 0u, NULL);
  t = lers_device_session_read_clock_sync (fx->session, NULL, &clock_error);
  g_assert_no_error (clock_error);
  g_assert_nonnull (t);
}

/* review finding 2: a meter keeping Moscow time (UTC+3, no DST since
 * 2014), the simulator's clock-zone likewise */
static void
test_zone (void)
{
  L4lTestPeer peer = { 0 };
  g_autoptr (LersLogika4lSimulator) sim = NULL;
  g_autoptr (LersLogika4lDriver) driver = lers_logika4l_driver_new ();
  g_autoptr (LersDevice) device = lers_device_new ();
  g_autoptr (LersDeviceSession) session = NULL;
  g_autoptr (GError) error = NULL;
  g_autoptr (GTimeZone) msk = g_time_zone_new_identifier ("Europe/Moscow");
  g_autoptr (GDateTime) from = g_date_time_new (msk, 2026, 3, 15, 10, 0, 0);
  g_autoptr (GDateTime) to = g_date_time_new (msk, 2026, 3, 15, 11, 0, 0);
  g_autoptr (GPtrArray) records = NULL;
  g_autoptr (GDateTime) clock = NULL;
  LersRecord *r;

  l4l_test_register_types ();
  sim = lers_logika4l_simulator_new ("943001", 3, SEED);
  g_object_set (sim, "clock-time", (gint64) CLOCK, "clock-zone", "Europe/Moscow", "circuits", 1u,
                NULL);
  l4l_test_peer_start (&peer, sim);
  g_assert_true (lers_transport_open_sync (peer.transport, NULL, NULL));
  lers_device_set_network_address (device, "3");
  lers_device_set_clock_zone (device, "Europe/Moscow");
  lers_device_set_effective_clock_zone (device, msk);
  session = lers_device_driver_open_session_sync (LERS_DEVICE_DRIVER (driver), peer.transport,
                                                  device, NULL, &error);
  g_assert_no_error (error);
  /* the meter shows 15.03.2026 15:00 (12:00 UTC + 3 h) */
  clock = lers_device_session_read_clock_sync (session, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpint (g_date_time_to_unix (clock) - CLOCK, <=, 5);
  g_assert_cmpint (g_date_time_to_unix (clock) - CLOCK, >=, 0);
  records = lers_device_session_read_archive_sync (session, LERS_ARCHIVE_KIND_HOUR, from, to, NULL,
                                                   NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (records->len, ==, 1);
  r = g_ptr_array_index (records, 0);
  /* 10–11 h Moscow = 07:00 UTC = CLOCK − 5 h; start/3600 = 492655, k =
   * 492662: k mod 24 = 14, mod 12 = 2, mod 4 = 2: t1 = 77, t2 = 46,
   * M1 = 2.5, Q = 2.5·31/1000 = 0.0775 */
  g_assert_cmpint (g_date_time_to_unix (lers_record_get_timestamp (r)), ==, CLOCK - 5 * 3600);
  assert_near (value (r, LERS_PARAMETER_T_IN), 77.0, 1e-5);
  assert_near (value (r, LERS_PARAMETER_M_IN), 2.5, 1e-5);
  assert_near (value (r, LERS_PARAMETER_Q_DELTA), 0.0775, 1e-6);
  lers_device_session_close_sync (session, NULL, NULL);
  l4l_test_peer_stop (&peer);
}

/* review finding 4: the 941.10 keeps ТО and ДО in database parameters 2
 * and 3 (prot941_10-11 appendix 3 table 1; 1 is СП) */
static void
test_941_clock (Fixture *fx, gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (GDateTime) want = g_date_time_new_utc (2026, 3, 14, 8, 30, 0);
  g_autoptr (GDateTime) t = NULL;

  g_assert_true (lers_device_session_set_clock_sync (fx->session, want, NULL, &error));
  g_assert_no_error (error);
  t = lers_device_session_read_clock_sync (fx->session, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpint (ABS (g_date_time_to_unix (t) - g_date_time_to_unix (want)), <=, 5);
}

/* review finding 14: 9601 hours (more than 9600 periods, one request
 * each) are refused, not silently cut at 9600 */
static void
test_too_long (Fixture *fx, gconstpointer data)
{
  g_autoptr (GDateTime) to = g_date_time_new_utc (2026, 3, 15, 0, 0, 0);
  g_autoptr (GDateTime) from = g_date_time_add_hours (to, -9601);
  g_autoptr (GError) error = NULL;
  g_autoptr (GPtrArray) records = lers_device_session_read_archive_sync (
      fx->session, LERS_ARCHIVE_KIND_HOUR, from, to, NULL, NULL, &error);

  g_assert_null (records);
  g_assert_error (error, LERS_ERROR, LERS_ERROR_INVALID_ARGUMENT);
  g_assert_cmpstr (error->message, ==,
                   "A Logika archive read covers at most 9600 periods; read a shorter range");
}

/* review finding 7: the 941.10 numbers its НС its own way (08/09 t1/t2,
 * 10–15 flows: the 941.10 РЭ's list). The simulator's НС13 10→13 h on the
 * НС day (06.03, README) is "non-zero flow through ВС2 below the lower
 * limit" there, not the 943's "flow through ВС1 above the upper limit" */
static void
test_941_events (Fixture *fx, gconstpointer data)
{
  g_autoptr (GDateTime) from = g_date_time_new_utc (2026, 3, 6, 0, 0, 0);
  g_autoptr (GDateTime) to = g_date_time_new_utc (2026, 3, 7, 0, 0, 0);
  g_autoptr (GError) error = NULL;
  g_autoptr (GPtrArray) events
      = lers_device_session_read_events_sync (fx->session, from, to, NULL, NULL, &error);
  LersMeterEvent *e;

  g_assert_no_error (error);
  g_assert_cmpuint (events->len, ==, 1);
  e = g_ptr_array_index (events, 0);
  g_assert_cmpint (lers_meter_event_get_device_code (e), ==, 13);
  g_assert_cmpstr (lers_meter_event_get_code (e), ==, "flow-out-of-range");
  g_assert_cmpstr (lers_meter_event_get_text (e), ==,
                   "Non-zero flow through ВС2 below the lower limit");
  g_assert_cmpint (g_date_time_to_unix (lers_meter_event_get_start (e)), ==,
                   g_date_time_to_unix (from) + 10 * 3600);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add ("/logika4l/session/hours", Fixture, NULL, fixture_setup, test_hours,
              fixture_teardown);
  g_test_add ("/logika4l/session/future-hours", Fixture, NULL, fixture_setup, test_future_hours,
              fixture_teardown);
  g_test_add ("/logika4l/session/days-months", Fixture, NULL, fixture_setup, test_days_months,
              fixture_teardown);
  g_test_add ("/logika4l/session/totals-current", Fixture, NULL, fixture_setup, test_totals_current,
              fixture_teardown);
  g_test_add ("/logika4l/session/events", Fixture, NULL, fixture_setup, test_events,
              fixture_teardown);
  g_test_add ("/logika4l/session/events-masks", Fixture, "ns-log=false", fixture_setup, test_events,
              fixture_teardown);
  g_test_add ("/logika4l/session/clock", Fixture, NULL, fixture_setup, test_clock,
              fixture_teardown);
  g_test_add ("/logika4l/session/one-input", Fixture, "circuits=1", fixture_setup, test_one_input,
              fixture_teardown);
  g_test_add_func ("/logika4l/session/wrong-serial", test_wrong_serial);
  g_test_add ("/logika4l/session/941.10", Fixture, "СПТ941.10", fixture_setup, test_941,
              fixture_teardown);
  g_test_add ("/logika4l/session/941-flash", Fixture, "СПТ941", fixture_setup, test_941_old,
              fixture_teardown);
  g_test_add ("/logika4l/session/941-search", Fixture, "СПТ941.07", fixture_setup, test_941_old,
              fixture_teardown);
  g_test_add ("/logika4l/session/cancel", Fixture, NULL, fixture_setup, test_cancel,
              fixture_teardown);
  g_test_add_func ("/logika4l/session/zone", test_zone);
  g_test_add ("/logika4l/session/941.10-clock", Fixture, "СПТ941.10", fixture_setup, test_941_clock,
              fixture_teardown);
  g_test_add ("/logika4l/session/too-long", Fixture, NULL, fixture_setup, test_too_long,
              fixture_teardown);
  g_test_add_func ("/logika4l/session/941.10-units", test_941_units);
  g_test_add ("/logika4l/session/941.10-events", Fixture, "СПТ941.10", fixture_setup,
              test_941_events, fixture_teardown);
  return g_test_run ();
}
