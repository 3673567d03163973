/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * The driver against the simulator over a socket pair: current values,
 * totals, hour and day archives for pipelines 1 and 2 (LERS channels 1
 * and 2: pipeline t is channel t, the common channel 0 its own point), and
 * what the device cannot do. The expected values are worked
 * out by hand from the simulator's data model as README.md states it:
 *   T1 = 70 + k mod 7 + seed mod 5, T2 = 45 + k mod 5 + seed mod 3 (°C)
 *   P1 = 6 + 0.1·(k mod 3), P2 = 4 + 0.1·(k mod 3) (kgf/cm², × 0.0980665 → MPa)
 *   Gm1 = 10 + 0.5·(k mod 4), Gm2 = Gm1 − 0.2 (t/h), Gv = 1.02·Gm (m³/h)
 *   M(k) = 1000·pipe + Σ Gm from hour 438288 (2020-01-01) to k, V = 1.02·M
 * with k = Unix time / 3600 of the hour's start; seed 7 (+2 and +1).
 * The clock: 2024-03-10T12:30:00Z = 1710073800, k = 475020.
 */
#include <lers-check.h>
#include <math.h>

#include "lers-spbus-simulator.h"
#include "spbus-test-util.h"

#define NOW 1710073800
#define KGF 0.0980665

static void
setup (SpbusTestSession *t, const gchar *records)
{
  g_autoptr (LersSpbusSimulator) sim = NULL;
  g_autoptr (GError) error = NULL;

  spbus_test_register_types ();
  sim = lers_spbus_simulator_new ("1", 3, 7);
  g_object_set (sim, "clock-time", (gint64) NOW, NULL);
  spbus_test_session_sim (t, sim, "3");
  if (records != NULL)
    lers_device_set_option (t->device, "archive-records", records);
  ck_assert_msg (spbus_test_open (t, &error), "%s", error ? error->message : "");
}

static void
assert_value (LersRecord *r, LersParameter p, gdouble want)
{
  LersValueFlags flags = 0;
  gdouble v = spbus_test_value (r, p, &flags);

  ck_assert_msg (fabs (v - want) < 1e-6, "parameter %d: %.9g, want %.9g", p, v, want);
  ck_assert_int_eq (flags & LERS_VALUE_FLAG_BAD, 0);
}

static LersRecord *
find_channel (GPtrArray *records, guint channel)
{
  for (guint i = 0; i < records->len; i++)
    if (lers_record_get_channel (g_ptr_array_index (records, i)) == channel)
      return g_ptr_array_index (records, i);
  return NULL;
}

START_TEST (test_current)
{
  SpbusTestSession t;
  g_autoptr (GError) error = NULL;
  g_autoptr (GPtrArray) records = NULL;
  LersRecord *r;

  setup (&t, NULL);
  records = spbus_test_read (&t, LERS_ARCHIVE_KIND_CURRENT, NULL, NULL, &error);
  ck_assert_msg (records != NULL, "%s", error ? error->message : "");
  ck_assert_uint_eq (records->len, 2);
  /* k = 475020: k mod 7 = 0, mod 5 = 0, mod 3 = 0, mod 4 = 0 */
  r = find_channel (records, 1);
  assert_value (r, LERS_PARAMETER_T_IN, 72);        /* 70 + 0 + 2 */
  assert_value (r, LERS_PARAMETER_P_IN, 6 * KGF);   /* 6 kgf/cm² */
  assert_value (r, LERS_PARAMETER_FLOW_M_IN, 10);   /* 10 + 0 */
  assert_value (r, LERS_PARAMETER_FLOW_V_IN, 10.2); /* 1.02 · 10 */
  r = find_channel (records, 2);
  assert_value (r, LERS_PARAMETER_T_IN, 46); /* 45 + 0 + 1 */
  assert_value (r, LERS_PARAMETER_P_IN, 4 * KGF);
  assert_value (r, LERS_PARAMETER_FLOW_M_IN, 9.8);
  assert_value (r, LERS_PARAMETER_FLOW_V_IN, 9.996); /* 1.02 · 9.8 */
  spbus_test_session_clear (&t);
}
END_TEST

START_TEST (test_totals)
{
  SpbusTestSession t;
  g_autoptr (GError) error = NULL;
  g_autoptr (GPtrArray) records = NULL;
  LersRecord *r;

  setup (&t, NULL);
  records = spbus_test_read (&t, LERS_ARCHIVE_KIND_TOTALS, NULL, NULL, &error);
  ck_assert_msg (records != NULL, "%s", error ? error->message : "");
  ck_assert_uint_eq (records->len, 2);
  /* 475020 − 438288 = 36732 hours = 9183 cycles of 4 hours, half an hour
   * into hour k: M1 = 1000 + 9183 · 43 + 10 · 0.5 = 395874 t */
  r = find_channel (records, 1);
  assert_value (r, LERS_PARAMETER_M_IN, 395874);
  assert_value (r, LERS_PARAMETER_V_IN, 403791.48); /* 1.02 · 395874 */
  /* M2 = 2000 + 9183 · 42.2 + 9.8 · 0.5 = 389527.5 t */
  r = find_channel (records, 2);
  assert_value (r, LERS_PARAMETER_M_IN, 389527.5);
  assert_value (r, LERS_PARAMETER_V_IN, 397318.05);
  spbus_test_session_clear (&t);
}
END_TEST

START_TEST (test_hours)
{
  SpbusTestSession t;
  g_autoptr (GError) error = NULL;
  g_autoptr (GPtrArray) records = NULL;
  LersRecord *r;

  /* one stamp a request: four requests a parameter */
  setup (&t, "1");
  records = spbus_test_read (&t, LERS_ARCHIVE_KIND_HOUR, "2024-03-10T09:00:00Z",
                             "2024-03-10T11:00:00Z", &error);
  ck_assert_msg (records != NULL, "%s", error ? error->message : "");
  ck_assert_uint_eq (records->len, 4);
  /* 09:00, k = 475017: mod 7 = 4, mod 5 = 2, mod 3 = 0, mod 4 = 1 */
  r = spbus_test_find (records, "2024-03-10T09:00:00Z", 1);
  assert_value (r, LERS_PARAMETER_T_IN, 76); /* 70 + 4 + 2 */
  assert_value (r, LERS_PARAMETER_P_IN, 6 * KGF);
  assert_value (r, LERS_PARAMETER_FLOW_M_IN, 10.5);
  assert_value (r, LERS_PARAMETER_FLOW_V_IN, 10.71);
  r = spbus_test_find (records, "2024-03-10T09:00:00Z", 2);
  assert_value (r, LERS_PARAMETER_T_IN, 48); /* 45 + 2 + 1 */
  assert_value (r, LERS_PARAMETER_FLOW_M_IN, 10.3);
  /* 10:00, k = 475018: mod 7 = 5, mod 5 = 3, mod 3 = 1, mod 4 = 2 */
  r = spbus_test_find (records, "2024-03-10T10:00:00Z", 1);
  assert_value (r, LERS_PARAMETER_T_IN, 77);
  assert_value (r, LERS_PARAMETER_P_IN, 6.1 * KGF);
  assert_value (r, LERS_PARAMETER_FLOW_M_IN, 11);
  r = spbus_test_find (records, "2024-03-10T10:00:00Z", 2);
  assert_value (r, LERS_PARAMETER_T_IN, 49);
  assert_value (r, LERS_PARAMETER_P_IN, 4.1 * KGF);
  ck_assert_uint_eq (lers_record_get_kind (r), LERS_ARCHIVE_KIND_HOUR);
  g_clear_pointer (&records, g_ptr_array_unref);
  /* the hour in progress (12:00) is not archived yet: 11:00 only */
  records = spbus_test_read (&t, LERS_ARCHIVE_KIND_HOUR, "2024-03-10T11:00:00Z",
                             "2024-03-10T14:00:00Z", &error);
  ck_assert_msg (records != NULL, "%s", error ? error->message : "");
  ck_assert_uint_eq (records->len, 2);
  ck_assert_ptr_nonnull (spbus_test_find (records, "2024-03-10T11:00:00Z", 2));
  spbus_test_session_clear (&t);
}
END_TEST

START_TEST (test_days)
{
  SpbusTestSession t;
  g_autoptr (GError) error = NULL;
  g_autoptr (GPtrArray) records = NULL;
  LersRecord *r;

  setup (&t, NULL);
  records = spbus_test_read (&t, LERS_ARCHIVE_KIND_DAY, "2024-03-08T00:00:00Z",
                             "2024-03-10T00:00:00Z", &error);
  ck_assert_msg (records != NULL, "%s", error ? error->message : "");
  ck_assert_uint_eq (records->len, 4);
  /* 2024-03-08: hours k = 474960 … 474983; 474960 mod 7 = 3, so k mod 7
   * runs 3 4 5 6 0 1 2 three times (63) and 3 4 5 (12): 75 / 24 = 3.125;
   * mod 5 runs 0 … 4 four times (40) and 0 1 2 3 (6): 46 / 24;
   * mod 4: six whole cycles, Gm1 = 10.75 */
  r = spbus_test_find (records, "2024-03-08T00:00:00Z", 1);
  assert_value (r, LERS_PARAMETER_T_IN, 75.125);
  assert_value (r, LERS_PARAMETER_FLOW_M_IN, 10.75);
  r = spbus_test_find (records, "2024-03-08T00:00:00Z", 2);
  assert_value (r, LERS_PARAMETER_T_IN, 46 + 46.0 / 24);
  assert_value (r, LERS_PARAMETER_FLOW_M_IN, 10.55);
  ck_assert_ptr_nonnull (spbus_test_find (records, "2024-03-09T00:00:00Z", 1));
  spbus_test_session_clear (&t);
}
END_TEST

/* review #7: the common channel 0 (063 outdoor air, 20 °C in the
 * simulator as in GMIO's captures) is its own point, LERS channel 0; it
 * is not merged into pipeline 1's record (LERS channel 1). */
START_TEST (test_common_channel_own_point)
{
  SpbusTestSession t;
  g_autoptr (GError) error = NULL;
  g_autoptr (GPtrArray) records = NULL;
  LersRecord *r;
  gdouble v;

  setup (&t, NULL);
  lers_device_set_option (t.device, "params", "T_outdoor@0=63/82/83;T_in@1=156/200/201");
  ck_assert_msg (spbus_test_open (&t, &error), "%s", error ? error->message : "");
  records = spbus_test_read (&t, LERS_ARCHIVE_KIND_CURRENT, NULL, NULL, &error);
  ck_assert_msg (records != NULL, "%s", error ? error->message : "");
  ck_assert_uint_eq (records->len, 2);
  r = find_channel (records, 0);
  assert_value (r, LERS_PARAMETER_T_OUTDOOR, 20);
  ck_assert (!lers_record_get_value (r, LERS_PARAMETER_T_IN, &v, NULL));
  r = find_channel (records, 1);
  assert_value (r, LERS_PARAMETER_T_IN, 72); /* 70 + 0 + 2, as test_current */
  ck_assert (!lers_record_get_value (r, LERS_PARAMETER_T_OUTDOOR, &v, NULL));
  g_clear_pointer (&records, g_ptr_array_unref);
  /* the hour archive likewise: 082 on channel 0, 200 on pipeline 1 */
  records = spbus_test_read (&t, LERS_ARCHIVE_KIND_HOUR, "2024-03-10T09:00:00Z",
                             "2024-03-10T10:00:00Z", &error);
  ck_assert_msg (records != NULL, "%s", error ? error->message : "");
  ck_assert_uint_eq (records->len, 2);
  assert_value (spbus_test_find (records, "2024-03-10T09:00:00Z", 0), LERS_PARAMETER_T_OUTDOOR, 20);
  assert_value (spbus_test_find (records, "2024-03-10T09:00:00Z", 1), LERS_PARAMETER_T_IN, 76);
  spbus_test_session_clear (&t);
}
END_TEST

START_TEST (test_not_supported)
{
  SpbusTestSession t;
  g_autoptr (GError) e1 = NULL;
  g_autoptr (GError) e2 = NULL;
  g_autoptr (GError) e3 = NULL;
  g_autoptr (GError) e4 = NULL;
  g_autoptr (GPtrArray) records = NULL;
  g_autoptr (GPtrArray) events = NULL;
  g_autoptr (GDateTime) clock = NULL;

  setup (&t, NULL);
  records = spbus_test_read (&t, LERS_ARCHIVE_KIND_MONTH, "2024-01-01T00:00:00Z",
                             "2024-03-01T00:00:00Z", &e1);
  ck_assert_ptr_null (records);
  ck_assert (g_error_matches (e1, LERS_ERROR, LERS_ERROR_NOT_SUPPORTED));
  ck_assert_str_eq (e1->message, "No СПСеть parameter numbers are known for the month archive "
                                 "of this model; give them with the option params");
  events = spbus_test_events (&t, "2024-03-01T00:00:00Z", "2024-03-10T00:00:00Z", &e2);
  ck_assert_ptr_null (events);
  ck_assert (g_error_matches (e2, LERS_ERROR, LERS_ERROR_NOT_SUPPORTED));
  clock = spbus_test_clock (&t, &e3);
  ck_assert_ptr_null (clock);
  ck_assert (g_error_matches (e3, LERS_ERROR, LERS_ERROR_NOT_SUPPORTED));
  ck_assert (!spbus_test_set_clock (&t, "2024-03-10T12:00:00Z", &e4));
  ck_assert (g_error_matches (e4, LERS_ERROR, LERS_ERROR_NOT_SUPPORTED));
  spbus_test_session_clear (&t);
}
END_TEST

START_TEST (test_two_months_of_hours)
{
  SpbusTestSession t;
  g_autoptr (GError) error = NULL;
  g_autoptr (GPtrArray) records = NULL;

  /* 62 days before the clock's hour: 1488 hours, two pipelines */
  setup (&t, NULL);
  lers_device_set_option (t.device, "archive-records", "48");
  records = spbus_test_read (&t, LERS_ARCHIVE_KIND_HOUR, "2024-01-08T12:00:00Z",
                             "2024-03-10T12:00:00Z", &error);
  ck_assert_msg (records != NULL, "%s", error ? error->message : "");
  ck_assert_uint_eq (records->len, 2 * 62 * 24);
  spbus_test_session_clear (&t);
}
END_TEST

static Suite *
spbus_session_suite (void)
{
  Suite *s = suite_create ("spbus-session");
  TCase *tc = tcase_create ("simulator");

  tcase_set_timeout (tc, 60);
  tcase_add_test (tc, test_current);
  tcase_add_test (tc, test_totals);
  tcase_add_test (tc, test_hours);
  tcase_add_test (tc, test_days);
  tcase_add_test (tc, test_common_channel_own_point);
  tcase_add_test (tc, test_not_supported);
  tcase_add_test (tc, test_two_months_of_hours);
  suite_add_tcase (s, tc);
  return s;
}

int
main (int argc, char **argv)
{
  lers_check_init (&argc, &argv);
  return lers_check_run_suite (spbus_session_suite ());
}
