/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * The driver against the simulator, one session per test, over a socket
 * pair. Expected values come from the simulator's data model as README.md
 * ("Simulator data model") describes it, re-implemented here from that
 * text: splitmix64's finaliser, the formulas per hour, sums and C integer
 * means for days and months. Seed 38: the НС day is the one with
 * (Unix day) % 31 = 38 % 31 = 7, kind (38 / 31) % 5 = 1 (G<min); the
 * daily record is missing on the day with (Unix day) % 31 = 41 % 31 = 10.
 * The clock stands at 2026-03-15 12:30:00 UTC (Unix 1773577800).
 */
#include <check.h>
#include <math.h>
#include <string.h>

#include "lers-check.h"
#include "lers-vkt7-session.h"
#include "lers-vkt7-simulator.h"
#include "vkt7-test-util.h"

#define SEED 38
#define CLOCK 1773577800
#define KGF 0.0980665

/* ---- the README's model ---------------------------------------------------- */

static guint64
mix (guint64 z)
{
  z += 0x9E3779B97F4A7C15ull;
  z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
  z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
  return z ^ (z >> 31);
}

static gint64
r (guint c, gint64 h, guint k, guint m)
{
  return (gint64) (mix (((guint64) SEED << 40) ^ ((guint64) h << 8) ^ ((guint64) c << 4) ^ k) % m);
}

typedef struct
{
  gint64 t1, t2, m1, m2, v1, q, p1, ta, ok, ns1;
} Hour;

static Hour
hour (guint c, gint64 h)
{
  Hour x;

  x.t1 = 7000 + r (c, h, 1, 2000);
  x.t2 = 4000 + r (c, h, 2, 1500);
  x.m1 = 200 + r (c, h, 3, 300);
  x.m2 = x.m1 - r (c, h, 4, 5);
  x.v1 = x.m1 + x.m1 / 40;
  x.q = x.m1 * (x.t1 - x.t2) / 10000;
  x.p1 = 600 + r (c, h, 5, 50);
  x.ta = -1000 + r (c, h, 8, 2000);
  x.ns1 = c == 0 && (h / 24) % 31 == 7 && h % 24 >= 10 && h % 24 < 13;
  x.ok = 1;
  return x;
}

static Hour
day (guint c, gint64 d)
{
  Hour s = { 0 };

  for (gint64 h = d * 24; h < d * 24 + 24; h++)
    {
      Hour x = hour (c, h);
      s.t1 += x.t1, s.t2 += x.t2, s.m1 += x.m1, s.m2 += x.m2, s.v1 += x.v1, s.q += x.q;
      s.p1 += x.p1, s.ta += x.ta, s.ok += x.ok, s.ns1 += x.ns1;
    }
  s.t1 /= 24, s.t2 /= 24, s.p1 /= 24, s.ta /= 24;
  return s;
}

/* ---- the session ------------------------------------------------------------- */

typedef struct
{
  Vkt7TestLink link;
  LersDeviceSession *session;
} Fixture;

static void
fixture_open (Fixture *f, LersVkt7Simulator *sim, const gchar *options)
{
  g_autoptr (GError) error = NULL;

  vkt7_test_link_open (&f->link, sim);
  f->session = vkt7_test_open (&f->link, "5", options, &error);
  ck_assert_msg (f->session != NULL, "%s", error ? error->message : "");
}

static void
fixture_close (Fixture *f)
{
  lers_device_session_close_sync (f->session, NULL, NULL);
  g_clear_object (&f->session);
  vkt7_test_link_close (&f->link);
}

static LersVkt7Simulator *
make_sim (void)
{
  LersVkt7Simulator *sim;

  vkt7_test_register_types ();
  sim = lers_vkt7_simulator_new ("7001", 5, SEED);
  g_object_set (sim, "clock-time", (gint64) CLOCK, "circuits", 2, NULL);
  return sim;
}

static GPtrArray *
read_range (Fixture *f, LersArchiveKind kind, gint64 from, gint64 to)
{
  g_autoptr (GDateTime) a = g_date_time_new_from_unix_utc (from);
  g_autoptr (GDateTime) b = g_date_time_new_from_unix_utc (to);
  g_autoptr (GError) error = NULL;
  GPtrArray *records
      = lers_device_session_read_archive_sync (f->session, kind, a, b, NULL, NULL, &error);

  ck_assert_msg (records != NULL, "%s", error ? error->message : "");
  return records;
}

static LersRecord *
find (GPtrArray *records, gint64 t, guint channel)
{
  for (guint i = 0; i < records->len; i++)
    {
      LersRecord *rec = g_ptr_array_index (records, i);
      if (g_date_time_to_unix (lers_record_get_timestamp (rec)) == t
          && lers_record_get_channel (rec) == channel)
        return rec;
    }
  ck_abort_msg ("no record at %" G_GINT64_FORMAT " channel %u", t, channel);
  return NULL;
}

START_TEST (test_hours_both_inputs)
{
  g_autoptr (LersVkt7Simulator) sim = make_sim ();
  Fixture f = { 0 };
  g_autoptr (GPtrArray) records = NULL;
  gint64 h0 = 1773446400 / 3600; /* 2026-03-14 00:00 UTC */

  fixture_open (&f, sim, NULL);
  /* [from, to): 3 hours × 2 heat inputs, the hour starting at @to not */
  records = read_range (&f, LERS_ARCHIVE_KIND_HOUR, h0 * 3600, (h0 + 3) * 3600);
  ck_assert_uint_eq (records->len, 6);
  for (gint64 h = h0; h < h0 + 3; h++)
    for (guint c = 0; c < 2; c++)
      {
        LersRecord *rec = find (records, h * 3600, c);
        Hour x = hour (c, h);

        ck_assert_double_eq_tol (vkt7_test_value (rec, LERS_PARAMETER_T_IN), x.t1 / 100.0, 1e-9);
        ck_assert_double_eq_tol (vkt7_test_value (rec, LERS_PARAMETER_T_OUT), x.t2 / 100.0, 1e-9);
        ck_assert_double_eq_tol (vkt7_test_value (rec, LERS_PARAMETER_M_IN), x.m1 / 100.0, 1e-9);
        ck_assert_double_eq_tol (vkt7_test_value (rec, LERS_PARAMETER_M_OUT), x.m2 / 100.0, 1e-9);
        ck_assert_double_eq_tol (vkt7_test_value (rec, LERS_PARAMETER_V_IN), x.v1 / 100.0, 1e-9);
        ck_assert_double_eq_tol (vkt7_test_value (rec, LERS_PARAMETER_Q_DELTA), x.q / 1000.0, 1e-9);
        ck_assert_double_eq_tol (vkt7_test_value (rec, LERS_PARAMETER_P_IN), x.p1 / 100.0 * KGF,
                                 1e-9);
        ck_assert_double_eq_tol (vkt7_test_value (rec, LERS_PARAMETER_NORMAL_OPERATION_DURATION), 1,
                                 1e-9);
        if (c == 0)
          ck_assert_double_eq_tol (vkt7_test_value (rec, LERS_PARAMETER_T_OUTDOOR), x.ta / 100.0,
                                   1e-9);
        /* Q ≈ M·(t1−t2)/1000 */
        ck_assert_double_le (fabs (x.q / 1000.0 - x.m1 / 100.0 * (x.t1 - x.t2) / 100.0 / 1000),
                             0.001);
      }
  fixture_close (&f);
}
END_TEST

/* review #1: the range is [from, to) (lers-device-session.h); an
 * unaligned @from starts at the next period, never before @from */
START_TEST (test_range_half_open)
{
  g_autoptr (LersVkt7Simulator) sim = make_sim ();
  Fixture f = { 0 };
  g_autoptr (GPtrArray) hours = NULL;
  g_autoptr (GPtrArray) empty = NULL;
  g_autoptr (GPtrArray) days = NULL;
  g_autoptr (GPtrArray) months = NULL;
  gint64 h0 = 1773446400 / 3600; /* 2026-03-14 00:00 UTC */
  gint64 jan15 = 20468, feb1 = 20485, mar1 = 20513;

  fixture_open (&f, sim, NULL);
  /* 00:30 … 02:00: only the hour 01:00 */
  hours = read_range (&f, LERS_ARCHIVE_KIND_HOUR, h0 * 3600 + 1800, (h0 + 2) * 3600);
  ck_assert_uint_eq (hours->len, 2);
  find (hours, (h0 + 1) * 3600, 0);
  find (hours, (h0 + 1) * 3600, 1);
  /* [t, t) is empty */
  empty = read_range (&f, LERS_ARCHIVE_KIND_HOUR, h0 * 3600, h0 * 3600);
  ck_assert_uint_eq (empty->len, 0);
  /* 2026-02-16 12:00 … 2026-02-18 00:00: only the 17th (from its hours) */
  days = read_range (&f, LERS_ARCHIVE_KIND_DAY, 20500 * 86400 + 43200, 20502 * 86400);
  ck_assert_uint_eq (days->len, 2);
  find (days, 20501 * 86400, 0);
  /* 2026-01-15 … 2026-03-01: February only */
  months = read_range (&f, LERS_ARCHIVE_KIND_MONTH, jan15 * 86400, mar1 * 86400);
  ck_assert_uint_eq (months->len, 2);
  find (months, feb1 * 86400, 0);
  find (months, feb1 * 86400, 1);
  fixture_close (&f);
}
END_TEST

START_TEST (test_days_and_fallback)
{
  g_autoptr (LersVkt7Simulator) sim = make_sim ();
  Fixture f = { 0 };
  g_autoptr (GPtrArray) records = NULL;
  gint64 d0 = 20500; /* 2026-02-16; 20501 has no daily record */
  LersRecord *rec;
  LersValueFlags flags = 0;
  gdouble v = 0, mean = 0;

  fixture_open (&f, sim, NULL);
  records = read_range (&f, LERS_ARCHIVE_KIND_DAY, d0 * 86400, (d0 + 2) * 86400);
  ck_assert_uint_eq (records->len, 4);
  for (guint c = 0; c < 2; c++)
    {
      Hour x = day (c, d0);
      rec = find (records, d0 * 86400, c);
      ck_assert_double_eq_tol (vkt7_test_value (rec, LERS_PARAMETER_M_IN), x.m1 / 100.0, 1e-9);
      ck_assert_double_eq_tol (vkt7_test_value (rec, LERS_PARAMETER_T_IN), x.t1 / 100.0, 1e-9);
      ck_assert_double_eq_tol (vkt7_test_value (rec, LERS_PARAMETER_Q_DELTA), x.q / 1000.0, 1e-9);
      ck_assert_double_eq_tol (vkt7_test_value (rec, LERS_PARAMETER_NORMAL_OPERATION_DURATION), 24,
                               1e-9);
    }
  /* the day without its record: from its 24 hours, flagged calculated,
   * sums of the sums and the plain mean of the hourly temperatures */
  rec = find (records, (d0 + 1) * 86400, 0);
  ck_assert (lers_record_get_value (rec, LERS_PARAMETER_M_IN, &v, &flags));
  ck_assert_double_eq_tol (v, day (0, d0 + 1).m1 / 100.0, 1e-9);
  ck_assert (flags & LERS_VALUE_FLAG_CALCULATED);
  for (gint64 h = (d0 + 1) * 24; h < (d0 + 2) * 24; h++)
    mean += hour (0, h).t1 / 100.0 / 24;
  ck_assert_double_eq_tol (vkt7_test_value (rec, LERS_PARAMETER_T_IN), mean, 1e-9);
  fixture_close (&f);
}
END_TEST

START_TEST (test_month)
{
  g_autoptr (LersVkt7Simulator) sim = make_sim ();
  Fixture f = { 0 };
  g_autoptr (GPtrArray) records = NULL;
  gint64 feb1 = 20485; /* 2026-02-01 */
  gint64 m1 = 0, t1 = 0;

  fixture_open (&f, sim, NULL);
  records = read_range (&f, LERS_ARCHIVE_KIND_MONTH, feb1 * 86400, feb1 * 86400 + 3600);
  ck_assert_uint_eq (records->len, 2);
  for (gint64 d = feb1; d < feb1 + 28; d++)
    {
      Hour x = day (1, d);
      m1 += x.m1, t1 += x.t1;
    }
  ck_assert_double_eq_tol (vkt7_test_value (find (records, feb1 * 86400, 1), LERS_PARAMETER_M_IN),
                           m1 / 100.0, 1e-9);
  ck_assert_double_eq_tol (vkt7_test_value (find (records, feb1 * 86400, 1), LERS_PARAMETER_T_IN),
                           (t1 / 28) / 100.0, 1e-9);
  fixture_close (&f);
}
END_TEST

START_TEST (test_current_totals_clock)
{
  g_autoptr (LersVkt7Simulator) sim = make_sim ();
  Fixture f = { 0 };
  g_autoptr (GPtrArray) current = NULL;
  g_autoptr (GPtrArray) totals = NULL;
  g_autoptr (GDateTime) clock = NULL;
  g_autoptr (GError) error = NULL;
  g_autoptr (GDateTime) now = g_date_time_new_now_utc ();
  gint64 hnow = CLOCK / 3600, m1 = 10000000 + (SEED % 1000) * 100, q = 2000000;
  Hour x = hour (0, hnow);

  fixture_open (&f, sim, NULL);
  clock = lers_device_session_read_clock_sync (f.session, NULL, &error);
  ck_assert_msg (clock != NULL, "%s", error ? error->message : "");
  ck_assert_int_eq (g_date_time_to_unix (clock), CLOCK);
  ck_assert (!lers_device_session_set_clock_sync (f.session, now, NULL, &error));
  ck_assert (g_error_matches (error, LERS_ERROR, LERS_ERROR_NOT_SUPPORTED));

  current = lers_device_session_read_archive_sync (f.session, LERS_ARCHIVE_KIND_CURRENT, NULL, NULL,
                                                   NULL, NULL, NULL);
  ck_assert_uint_eq (current->len, 2);
  ck_assert_double_eq_tol (vkt7_test_value (find (current, CLOCK, 0), LERS_PARAMETER_T_IN),
                           x.t1 / 100.0, 1e-9);
  ck_assert_double_eq_tol (vkt7_test_value (find (current, CLOCK, 0), LERS_PARAMETER_FLOW_V_IN),
                           x.v1 / 100.0, 1e-4);

  /* totals since 2024-01-01T00:00Z (hour 473352) to the end of the
   * previous hour, stamped with the current hour */
  totals = lers_device_session_read_archive_sync (f.session, LERS_ARCHIVE_KIND_TOTALS, NULL, NULL,
                                                  NULL, NULL, NULL);
  ck_assert_uint_eq (totals->len, 2);
  for (gint64 h = 473352; h < hnow; h++)
    {
      Hour y = hour (0, h);
      m1 += y.m1, q += y.q;
    }
  ck_assert_double_eq_tol (vkt7_test_value (find (totals, hnow * 3600, 0), LERS_PARAMETER_M_IN),
                           m1 / 100.0, 1e-9);
  ck_assert_double_eq_tol (vkt7_test_value (find (totals, hnow * 3600, 0), LERS_PARAMETER_Q_DELTA),
                           q / 1000.0, 1e-9);
  fixture_close (&f);
}
END_TEST

/* review #2: firmware 1.5–1.8 does not answer the clock read (document
 * §4.14, p. 23: "only in devices with firmware 1.9 and later"); archives,
 * current and totals are read all the same, current and totals stamped
 * with the host's time; read_clock is NOT_SUPPORTED. */
START_TEST (test_firmware_1_8)
{
  g_autoptr (LersVkt7Simulator) sim = make_sim ();
  Fixture f = { 0 };
  g_autoptr (GPtrArray) hours = NULL;
  g_autoptr (GPtrArray) current = NULL;
  g_autoptr (GPtrArray) totals = NULL;
  g_autoptr (GDateTime) clock = NULL;
  g_autoptr (GError) error = NULL;
  gint64 h0 = 1773446400 / 3600; /* 2026-03-14 00:00 UTC */
  gint64 before, after, stamp;

  g_object_set (sim, "firmware", 0x18, NULL);
  fixture_open (&f, sim, NULL);
  ck_assert_str_eq (lers_vkt7_session_get_model (LERS_VKT7_SESSION (f.session)), "ВКТ-7 1.8");
  clock = lers_device_session_read_clock_sync (f.session, NULL, &error);
  ck_assert_ptr_null (clock);
  ck_assert (g_error_matches (error, LERS_ERROR, LERS_ERROR_NOT_SUPPORTED));
  hours = read_range (&f, LERS_ARCHIVE_KIND_HOUR, h0 * 3600, (h0 + 2) * 3600);
  ck_assert_uint_eq (hours->len, 4);
  ck_assert_double_eq_tol (vkt7_test_value (find (hours, (h0 + 1) * 3600, 1), LERS_PARAMETER_T_IN),
                           hour (1, h0 + 1).t1 / 100.0, 1e-9);
  before = g_get_real_time () / G_USEC_PER_SEC;
  current = read_range (&f, LERS_ARCHIVE_KIND_CURRENT, 0, 0);
  totals = read_range (&f, LERS_ARCHIVE_KIND_TOTALS, 0, 0);
  after = g_get_real_time () / G_USEC_PER_SEC;
  ck_assert_uint_eq (current->len, 2);
  ck_assert_uint_eq (totals->len, 2);
  /* the simulator's data are those of its own clock's hour */
  stamp = g_date_time_to_unix (lers_record_get_timestamp (g_ptr_array_index (current, 0)));
  ck_assert_int_ge (stamp, before);
  ck_assert_int_le (stamp, after);
  ck_assert_double_eq_tol (vkt7_test_value (g_ptr_array_index (current, 0), LERS_PARAMETER_T_IN),
                           hour (0, CLOCK / 3600).t1 / 100.0, 1e-9);
  stamp = g_date_time_to_unix (lers_record_get_timestamp (g_ptr_array_index (totals, 0)));
  ck_assert_int_eq (stamp % 3600, 0);
  ck_assert_int_ge (stamp, before / 3600 * 3600);
  ck_assert_int_le (stamp, after);
  fixture_close (&f);
}
END_TEST

static void
count_warning (const gchar *domain, GLogLevelFlags level, const gchar *message, gpointer user_data)
{
  if (strstr (message, "report day 20") != NULL)
    (*(guint *) user_data)++;
}

/* review #4: the document (§3, p. 7) says the end of the reporting month
 * is set by ДО but not which month a record dated 01.MM holds: with ДО ≠ 1
 * the session warns once and stamps calendar months (README). ДО is the
 * 15th byte of the service information (§4.6, p. 16). */
START_TEST (test_report_day_warns_once)
{
  g_autoptr (LersVkt7Simulator) sim = make_sim ();
  Fixture f = { 0 };
  g_autoptr (GPtrArray) a = NULL;
  g_autoptr (GPtrArray) b = NULL;
  gint64 feb1 = 20485, mar1 = 20513;
  guint warnings = 0;

  g_log_set_always_fatal (G_LOG_FATAL_MASK | G_LOG_LEVEL_CRITICAL);
  g_log_set_handler ("LersVkt7", G_LOG_LEVEL_WARNING, count_warning, &warnings);
  g_object_set (sim, "report-day", 20, NULL);
  fixture_open (&f, sim, NULL);
  a = read_range (&f, LERS_ARCHIVE_KIND_MONTH, feb1 * 86400, mar1 * 86400);
  b = read_range (&f, LERS_ARCHIVE_KIND_MONTH, feb1 * 86400, mar1 * 86400);
  ck_assert_uint_eq (warnings, 1);
  ck_assert_uint_eq (a->len, 2);
  find (a, feb1 * 86400, 0);
  fixture_close (&f);
}
END_TEST

START_TEST (test_events)
{
  g_autoptr (LersVkt7Simulator) sim = make_sim ();
  Fixture f = { 0 };
  g_autoptr (GPtrArray) events = NULL;
  g_autoptr (GPtrArray) hours = NULL;
  g_autoptr (GDateTime) a = g_date_time_new_utc (2026, 2, 14, 0, 0, 0);
  g_autoptr (GDateTime) b = g_date_time_new_utc (2026, 2, 14, 23, 0, 0);
  g_autoptr (GError) error = NULL;
  LersMeterEvent *ev;

  fixture_open (&f, sim, NULL);
  events = lers_device_session_read_events_sync (f.session, a, b, NULL, NULL, &error);
  ck_assert_msg (events != NULL, "%s", error ? error->message : "");
  /* 10:00–13:00 UTC, ТВ1, kind 1 = G<min */
  ck_assert_uint_eq (events->len, 1);
  ev = g_ptr_array_index (events, 0);
  ck_assert_str_eq (lers_meter_event_get_code (ev), "flow-out-of-range");
  ck_assert_int_eq (lers_meter_event_get_device_code (ev), 2);
  ck_assert_uint_eq (lers_meter_event_get_channel (ev), 0);
  ck_assert_int_eq (g_date_time_to_unix (lers_meter_event_get_start (ev)), 1771063200);
  ck_assert_int_eq (g_date_time_to_unix (lers_meter_event_get_end (ev)), 1771074000);
  ck_assert_str_eq (lers_meter_event_get_text (ev), "Flow below the minimum (G<min)");
  /* the same hours in the hourly archive: FlowUnderrunDuration 1 h */
  hours = read_range (&f, LERS_ARCHIVE_KIND_HOUR, 1771063200 - 3600, 1771063200 + 3600);
  ck_assert_double_eq_tol (
      vkt7_test_value (find (hours, 1771063200, 0), LERS_PARAMETER_FLOW_UNDERRUN_DURATION), 1,
      1e-9);
  ck_assert_double_eq_tol (
      vkt7_test_value (find (hours, 1771063200 - 3600, 0), LERS_PARAMETER_FLOW_UNDERRUN_DURATION),
      0, 1e-9);
  fixture_close (&f);
}
END_TEST

START_TEST (test_scheme_change)
{
  g_autoptr (LersVkt7Simulator) sim = make_sim ();
  Fixture f = { 0 };
  g_autoptr (GPtrArray) records = NULL;
  gint64 change = 1773446400; /* 2026-03-14 00:00: ТВ2 joins the scheme */

  g_object_set (sim, "scheme-change-time", change, NULL);
  fixture_open (&f, sim, NULL);
  /* 22:00, 23:00 (ТВ1 only, error 5 first), 00:00, 01:00 (error 5 again) */
  records = read_range (&f, LERS_ARCHIVE_KIND_HOUR, change - 7200, change + 7200);
  ck_assert_uint_eq (records->len, 6);
  find (records, change - 7200, 0);
  find (records, change - 3600, 0);
  find (records, change, 1);
  ck_assert_double_eq_tol (vkt7_test_value (find (records, change + 3600, 1), LERS_PARAMETER_T_IN),
                           hour (1, change / 3600 + 1).t1 / 100.0, 1e-9);
  fixture_close (&f);
}
END_TEST

START_TEST (test_wake_up)
{
  g_autoptr (LersVkt7Simulator) sim = make_sim ();
  Vkt7TestLink l = { 0 };
  g_autoptr (GError) error = NULL;
  g_autoptr (LersDeviceSession) session = NULL;
  Fixture f = { 0 };

  /* a sleeping meter does not hear requests without FF FF */
  vkt7_test_link_open (&l, sim);
  session = vkt7_test_open (&l, "5", "{\"wake-up\": \"false\", \"retries\": \"1\"}", &error);
  ck_assert_ptr_null (session);
  ck_assert (g_error_matches (error, LERS_ERROR, LERS_ERROR_TIMED_OUT));
  vkt7_test_link_close (&l);
  /* one with a built-in RS-485 adapter needs none */
  g_object_set (sim, "wake-up", FALSE, NULL);
  fixture_open (&f, sim, "{\"wake-up\": \"false\"}");
  fixture_close (&f);
}
END_TEST

int
main (int argc, char **argv)
{
  Suite *s = suite_create ("vkt7-session");
  TCase *tc = tcase_create ("session");

  lers_check_init (&argc, &argv);
  tcase_set_timeout (tc, 60);
  tcase_add_test (tc, test_hours_both_inputs);
  tcase_add_test (tc, test_range_half_open);
  tcase_add_test (tc, test_days_and_fallback);
  tcase_add_test (tc, test_month);
  tcase_add_test (tc, test_current_totals_clock);
  tcase_add_test (tc, test_events);
  tcase_add_test (tc, test_firmware_1_8);
  tcase_add_test (tc, test_report_day_warns_once);
  tcase_add_test (tc, test_scheme_change);
  tcase_add_test (tc, test_wake_up);
  suite_add_tcase (s, tc);
  return lers_check_run_suite (s);
}
