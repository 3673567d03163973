/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * A recorded session replayed against the driver. No ВКТ-7 traffic log was
 * found in the vodopad repository (only its driver's source), so
 * replay-01.txt is made of the exchanges the vendor document prints,
 * filled in where it prints no reply (see the file's comments): the driver
 * must send exactly the document's bytes, in the document's order (§5).
 */
#include <check.h>

#include "lers-check.h"
#include "vkt7-test-util.h"

START_TEST (test_replay_01)
{
  Vkt7TestScript s;
  g_autoptr (GError) error = NULL;
  g_autoptr (LersDeviceSession) session = NULL;
  g_autoptr (GPtrArray) records = NULL;
  g_autoptr (GDateTime) t = g_date_time_new_utc (2003, 1, 30, 0, 0, 0);
  g_autoptr (GDateTime) t1 = g_date_time_add_hours (t, 1);
  LersRecord *r;

  vkt7_test_script_init (&s);
  vkt7_test_script_load (&s, VKT7_TEST_DIR "/replay-01.txt");
  session = vkt7_test_script_open (&s, NULL, &error);
  ck_assert_msg (session != NULL, "%s", error ? error->message : "");
  /* [t, t + 1 h): the one hour starting at t */
  records = lers_device_session_read_archive_sync (session, LERS_ARCHIVE_KIND_HOUR, t, t1, NULL,
                                                   NULL, &error);
  ck_assert_msg (records != NULL, "%s", error ? error->message : "");
  ck_assert_uint_eq (s.n_writes, s.tx->len);
  ck_assert_uint_eq (records->len, 1);
  r = g_ptr_array_index (records, 0);
  ck_assert_int_eq (g_date_time_to_unix (lers_record_get_timestamp (r)), 1043884800);
  ck_assert_uint_eq (lers_record_get_channel (r), 0);
  /* 7500 with 2 digits (с. 27: t has 2) °C; 123456 with 2 digits m³ */
  ck_assert_double_eq_tol (vkt7_test_value (r, LERS_PARAMETER_T_IN), 75.00, 1e-9);
  ck_assert_double_eq_tol (vkt7_test_value (r, LERS_PARAMETER_V_IN), 1234.56, 1e-9);
  vkt7_test_script_clear (&s);
}
END_TEST

int
main (int argc, char **argv)
{
  Suite *s = suite_create ("vkt7-replay");
  TCase *tc = tcase_create ("replay");

  lers_check_init (&argc, &argv);
  tcase_add_test (tc, test_replay_01);
  suite_add_tcase (s, tc);
  return lers_check_run_suite (s);
}
