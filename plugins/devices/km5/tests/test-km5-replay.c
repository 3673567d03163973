/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * replay-01.txt against the driver over a memory transport: the driver
 * must send exactly the recorded requests, in order, and decode the
 * recorded answers to the values written in the file's comments (the
 * file says where its bytes come from).
 */
#include <check.h>
#include <math.h>

#include "km5-test-util.h"
#include "lers-check.h"
#include "lers-km5-driver.h"

typedef struct
{
  GPtrArray *requests; /* GBytes */
  GPtrArray *answers;  /* GBytes */
  guint next;
  LersMemoryTransport *transport;
} Replay;

static void
replay_load (Replay *r, const gchar *name)
{
  g_autofree gchar *path = g_build_filename (KM5_TEST_DIR, name, NULL);
  g_autofree gchar *text = NULL;
  g_auto (GStrv) lines = NULL;

  ck_assert (g_file_get_contents (path, &text, NULL, NULL));
  r->requests = g_ptr_array_new_with_free_func ((GDestroyNotify) g_bytes_unref);
  r->answers = g_ptr_array_new_with_free_func ((GDestroyNotify) g_bytes_unref);
  lines = g_strsplit (text, "\n", -1);
  for (guint i = 0; lines[i] != NULL; i++)
    {
      if (g_str_has_prefix (lines[i], "> "))
        g_ptr_array_add (r->requests, km5_test_hex (lines[i] + 2));
      else if (g_str_has_prefix (lines[i], "< "))
        g_ptr_array_add (r->answers, km5_test_hex (lines[i] + 2));
    }
  ck_assert_uint_eq (r->requests->len, r->answers->len);
}

static void
written_cb (LersMemoryTransport *transport, GBytes *bytes, gpointer user_data)
{
  Replay *r = user_data;

  ck_assert_msg (r->next < r->requests->len, "request %u is not in the recording", r->next);
  ck_assert_msg (g_bytes_equal (bytes, g_ptr_array_index (r->requests, r->next)),
                 "request %u differs from the recording", r->next);
  lers_memory_transport_push_input (transport, g_ptr_array_index (r->answers, r->next));
  r->next++;
}

static gdouble
value (LersRecord *rec, LersParameter p, LersValueFlags *flags)
{
  gdouble v = NAN;
  ck_assert_msg (lers_record_get_value (rec, p, &v, flags), "parameter %d missing", p);
  return v;
}

START_TEST (test_replay_01)
{
  Replay r = { 0 };
  g_autoptr (LersTransport) transport = lers_memory_transport_new ();
  g_autoptr (LersDevice) device = lers_device_new ();
  g_autoptr (LersDeviceDriver) driver = NULL;
  g_autoptr (LersDeviceSession) session = NULL;
  g_autoptr (GTimeZone) zone = g_time_zone_new_utc ();
  g_autoptr (GDateTime) clock = NULL;
  g_autoptr (GDateTime) from = g_date_time_new_utc (2026, 11, 5, 10, 0, 0);
  g_autoptr (GDateTime) to = g_date_time_new_utc (2026, 11, 5, 12, 0, 0);
  g_autoptr (GDateTime) h11 = g_date_time_new_utc (2026, 11, 5, 11, 0, 0);
  g_autoptr (GDateTime) want_clock = g_date_time_new_utc (2026, 11, 15, 12, 40, 45);
  g_autoptr (GPtrArray) hours = NULL;
  g_autoptr (GError) error = NULL;
  LersValueFlags flags = 0;
  LersRecord *h;

  km5_test_register_types ();
  replay_load (&r, "replay-01.txt");
  g_signal_connect (transport, "written", G_CALLBACK (written_cb), &r);
  lers_device_set_network_address (device, "00000001");
  lers_device_set_effective_clock_zone (device, zone);
  driver = g_object_new (LERS_TYPE_KM5_DRIVER, NULL);
  session = lers_device_driver_create_session (driver, transport, device, &error);
  ck_assert (lers_transport_open_sync (transport, NULL, &error));
  ck_assert_msg (lers_device_session_open_sync (session, NULL, &error), "%s", error->message);
  clock = lers_device_session_read_clock_sync (session, NULL, &error);
  ck_assert_msg (clock != NULL, "%s", error ? error->message : "");
  ck_assert (g_date_time_equal (clock, want_clock));
  hours = lers_device_session_read_archive_sync (session, LERS_ARCHIVE_KIND_HOUR, from, to, NULL,
                                                 NULL, &error);
  ck_assert_msg (hours != NULL, "%s", error ? error->message : "");
  ck_assert_uint_eq (r.next, r.requests->len);
  ck_assert_uint_eq (hours->len, 2);

  /* line 256, stamped 11:00: the hour 10:00–11:00, its amounts the
   * differences from line 255 (integrators, README): 1002 − 1000 = 2.0,
   * 981.96 − 980 = 1.96, 1002.05 − 1000 = 2.05, 100.0605 − 100 = 0.0605,
   * Tp 501 − 500 = 1 (float32 integrators: 1e-4 t, 1e-5 Gcal) */
  h = g_ptr_array_index (hours, 0);
  ck_assert (g_date_time_equal (lers_record_get_timestamp (h), from));
  ck_assert (value (h, LERS_PARAMETER_T_IN, NULL) == 75.5);
  ck_assert (value (h, LERS_PARAMETER_T_OUT, NULL) == 45.25);
  ck_assert (value (h, LERS_PARAMETER_M_IN, NULL) == 2.0);
  ck_assert (fabs (value (h, LERS_PARAMETER_M_OUT, NULL) - 1.96) < 1e-4);
  ck_assert (fabs (value (h, LERS_PARAMETER_V_IN, NULL) - 2.05) < 1e-4);
  ck_assert (fabs (value (h, LERS_PARAMETER_Q_IN, NULL) - 0.0605) < 1e-5);
  ck_assert (fabs (value (h, LERS_PARAMETER_P_IN, NULL) - 0.6) < 1e-6);
  ck_assert (value (h, LERS_PARAMETER_T_OUTDOOR, NULL) == -3.5);
  ck_assert (value (h, LERS_PARAMETER_NORMAL_OPERATION_DURATION, NULL) == 1.0);

  /* line 257, stamped 12:00: the hour 11:00–12:00, power failure, P1 NaN */
  h = g_ptr_array_index (hours, 1);
  ck_assert (g_date_time_equal (lers_record_get_timestamp (h), h11));
  ck_assert (value (h, LERS_PARAMETER_M_IN, NULL) == 0.0);
  ck_assert (value (h, LERS_PARAMETER_NORMAL_OPERATION_DURATION, NULL) == 0.0);
  ck_assert (value (h, LERS_PARAMETER_T_IN, NULL) == 74.0);
  value (h, LERS_PARAMETER_P_IN, &flags);
  ck_assert (flags & LERS_VALUE_FLAG_BAD);

  g_ptr_array_unref (r.requests);
  g_ptr_array_unref (r.answers);
}
END_TEST

/*
 * replay-pult-day.txt: the day lines of a real КМ-5-2 (No. 00032779) as
 * km-5-pult printed them (UCS/bin/xreport1-032006-121012.xls), stamped at
 * the report hour 21:00. Review findings 3 and 15: the line of 20.02.2006
 * 21:00 closes the contract day begun 19.02.2006 21:00 → LERS day
 * 19.02.2006; its amounts are the differences from the line before, from
 * the report: Q 1278.848 − 1256.768 = 22.080 Gcal, M1 25360.96 − 24859.52
 * = 501.44 t, M2 25326.44 − 24825.39 = 501.05 t, Tp 1216.66 − 1192.66 =
 * 24.00 h; T1 100.80, T2 56.89 as printed. Day 20.02: Q 1300.403 −
 * 1278.848 = 21.555, M1 25876.21 − 25360.96 = 515.25. The line of
 * 19.02.2006 21:00 (day 18.02) is only the base; the one of 22.02 (day
 * 21.02) is past [from, to).
 */
START_TEST (test_replay_pult_day)
{
  Replay r = { 0 };
  g_autoptr (LersTransport) transport = lers_memory_transport_new ();
  g_autoptr (LersDevice) device = lers_device_new ();
  g_autoptr (LersDeviceDriver) driver = NULL;
  g_autoptr (LersDeviceSession) session = NULL;
  g_autoptr (GTimeZone) zone = g_time_zone_new_utc ();
  g_autoptr (GDateTime) from = g_date_time_new_utc (2006, 2, 19, 0, 0, 0);
  g_autoptr (GDateTime) day2 = g_date_time_new_utc (2006, 2, 20, 0, 0, 0);
  g_autoptr (GDateTime) to = g_date_time_new_utc (2006, 2, 21, 0, 0, 0);
  g_autoptr (GPtrArray) days = NULL;
  g_autoptr (GError) error = NULL;
  LersRecord *d;

  km5_test_register_types ();
  replay_load (&r, "replay-pult-day.txt");
  g_signal_connect (transport, "written", G_CALLBACK (written_cb), &r);
  lers_device_set_network_address (device, "00032779");
  lers_device_set_effective_clock_zone (device, zone);
  driver = g_object_new (LERS_TYPE_KM5_DRIVER, NULL);
  session = lers_device_driver_create_session (driver, transport, device, &error);
  ck_assert (lers_transport_open_sync (transport, NULL, &error));
  ck_assert_msg (lers_device_session_open_sync (session, NULL, &error), "%s", error->message);
  days = lers_device_session_read_archive_sync (session, LERS_ARCHIVE_KIND_DAY, from, to, NULL,
                                                NULL, &error);
  ck_assert_msg (days != NULL, "%s", error ? error->message : "");
  ck_assert_uint_eq (r.next, r.requests->len);
  ck_assert_uint_eq (days->len, 2);
  d = g_ptr_array_index (days, 0);
  ck_assert (g_date_time_equal (lers_record_get_timestamp (d), from));
  ck_assert (fabs (value (d, LERS_PARAMETER_Q_IN, NULL) - 22.080) < 2e-4);
  ck_assert (fabs (value (d, LERS_PARAMETER_M_IN, NULL) - 501.44) < 4e-3);
  ck_assert (fabs (value (d, LERS_PARAMETER_M_OUT, NULL) - 501.05) < 4e-3);
  ck_assert (fabs (value (d, LERS_PARAMETER_NORMAL_OPERATION_DURATION, NULL) - 24.0) < 2e-4);
  ck_assert (fabs (value (d, LERS_PARAMETER_T_IN, NULL) - 100.80) < 1e-4);
  ck_assert (fabs (value (d, LERS_PARAMETER_T_OUT, NULL) - 56.89) < 1e-4);
  d = g_ptr_array_index (days, 1);
  ck_assert (g_date_time_equal (lers_record_get_timestamp (d), day2));
  ck_assert (fabs (value (d, LERS_PARAMETER_Q_IN, NULL) - 21.555) < 2e-4);
  ck_assert (fabs (value (d, LERS_PARAMETER_M_IN, NULL) - 515.25) < 4e-3);
  g_ptr_array_unref (r.requests);
  g_ptr_array_unref (r.answers);
}
END_TEST

int
main (int argc, char **argv)
{
  Suite *s = suite_create ("km5-replay");
  TCase *tc = tcase_create ("replay");

  lers_check_init (&argc, &argv);
  tcase_add_test (tc, test_replay_01);
  tcase_add_test (tc, test_replay_pult_day);
  suite_add_tcase (s, tc);
  return lers_check_run_suite (s);
}
