/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The programs as a user runs them: lers-sim serving meters, lers importing
 * them, reading one with progress, showing its archive; lers decode and
 * lers plugins. Checks what they print and what lands in the database. */
#include <check.h>
#include <glib/gstdio.h>
#include <json-glib/json-glib.h>
#include <lers.h>
#include <stdlib.h>

#include "lers-check.h"

static gchar *
tool_path (const gchar *name)
{
  return g_build_filename (g_getenv ("LERS_BUILD_ROOT"), "tools", name, NULL);
}

static GSubprocess *sim_process;
static gchar *sim_config;

static void
cli_setup (void)
{
  g_autoptr (GError) error = NULL;
  g_autofree gchar *sim = tool_path ("lers-sim");
  g_autofree gchar *dir = g_dir_make_tmp ("lers-cli-XXXXXX", NULL);

  lers_check_store_setup ();
  sim_config = g_build_filename (dir, "demo.json", NULL);
  sim_process = lers_check_spawn (&error, sim, "--count=6", "--port=0", "--seed=100", "--config",
                                  sim_config, NULL);
  ck_assert_msg (sim_process != NULL, "%s", error ? error->message : "");
  for (gint i = 0; i < 100 && !g_file_test (sim_config, G_FILE_TEST_EXISTS); i++)
    g_usleep (50000);
  g_usleep (100000);
  ck_assert (g_file_test (sim_config, G_FILE_TEST_EXISTS));
}

static void
cli_teardown (void)
{
  g_autofree gchar *dir = g_path_get_dirname (sim_config);

  g_subprocess_send_signal (sim_process, SIGTERM);
  ck_assert (g_subprocess_wait (sim_process, NULL, NULL));
  ck_assert_int_eq (g_subprocess_get_exit_status (sim_process), 0);
  g_clear_object (&sim_process);
  g_unlink (sim_config);
  g_rmdir (dir);
  g_clear_pointer (&sim_config, g_free);
  lers_check_store_teardown ();
}

START_TEST (test_import_poll_archive)
{
  g_autofree gchar *out = NULL;
  g_autofree gchar *err = NULL;
  g_autoptr (GPtrArray) points = NULL;
  g_autoptr (GPtrArray) records = NULL;
  g_autoptr (GDateTime) hour = lers_check_this_hour ();
  g_autoptr (GDateTime) from = g_date_time_add_hours (hour, -6);
  g_autofree gchar *from_s = g_date_time_format_iso8601 (from);
  g_autofree gchar *to_s = g_date_time_format_iso8601 (hour);
  g_autofree gchar *point_s = NULL;
  LersMeasurePoint *point;

  ck_assert_int_eq (lers_check_run_lers (&out, &err, "import", sim_config, NULL), 0);
  /* the import summary: 2 nodes (4 meters a house), 6 points, devices and ports */
  ck_assert_msg (strstr (out, "Nodes                2       0                 0\n") != NULL, "%s",
                 out);
  ck_assert_msg (strstr (out, "Measure points       6       0                 0\n") != NULL, "%s",
                 out);
  points = lers_store_list_measure_points_sync (lers_check_get_store (), 0, NULL, NULL);
  ck_assert_uint_eq (points->len, 6);
  point = g_ptr_array_index (points, 0);
  ck_assert_uint_eq (lers_measure_point_get_poll_interval (point), 3600);
  point_s = g_strdup_printf ("%" G_GINT64_FORMAT, lers_measure_point_get_id (point));

  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);
  ck_assert_int_eq (lers_check_run_lers (&out, &err, "points", NULL), 0);
  ck_assert_msg (strstr (out, "Heat input 1") != NULL, "%s", out);
  ck_assert_msg (strstr (out, "heat") != NULL, "%s", out);

  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);
  ck_assert_int_eq (
      lers_check_run_lers (&out, &err, "poll", point_s, "--from", from_s, "--to", to_s, NULL), 0);
  ck_assert_msg (g_str_has_suffix (out, ": 6 records stored\n"), "%s", out);
  /* progress on stderr, one line a step when not a terminal, ending at 100% */
  ck_assert_msg (strstr (err, "100% Done") != NULL, "%s", err);
  ck_assert_msg (strstr (err, "Reading the device") != NULL, "%s", err);

  records = lers_check_query_records (lers_check_get_store (), lers_measure_point_get_id (point),
                                      LERS_ARCHIVE_KIND_HOUR, from, hour, NULL, NULL);
  ck_assert_uint_eq (records->len, 6);

  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);
  ck_assert_int_eq (
      lers_check_run_lers (&out, &err, "archive", point_s, "--from", from_s, "--to", to_s, NULL),
      0);
  ck_assert_msg (strstr (out, "T_in, °C") != NULL, "%s", out);
  ck_assert_msg (strstr (out, "Q_in, Gcal") != NULL, "%s", out);
  ck_assert_msg (g_str_has_suffix (out, "6 records\n"), "%s", out);
}
END_TEST

START_TEST (test_bad_arguments)
{
  g_autofree gchar *out = NULL;
  g_autofree gchar *err = NULL;

  ck_assert_int_eq (lers_check_run_lers (&out, &err, "poll", "abc", NULL), 2);
  ck_assert_msg (strstr (err, "“abc” is not a point id") != NULL, "%s", err);
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);
  ck_assert_int_eq (lers_check_run_lers (&out, &err, "archive", "1", "--kind=weekly", NULL), 2);
  ck_assert_msg (strstr (err, "Unknown archive “weekly”") != NULL, "%s", err);
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);
  ck_assert_int_eq (lers_check_run_lers (&out, &err, "poll", "424242", NULL), 1);
  ck_assert_msg (strstr (err, "424242") != NULL, "%s", err);
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);
  ck_assert_int_eq (lers_check_run_lers (&out, &err, "frobnicate", NULL), 2);
}
END_TEST

START_TEST (test_plugins_and_decode)
{
  g_autofree gchar *out = NULL;
  g_autofree gchar *err = NULL;
  /* libmbus's test-frames/ACW_Itron-BM-plus-m.hex, kept here so the test
   * needs no data from outside the tree */
  g_autofree gchar *frame = g_build_filename (g_get_tmp_dir (), "lers-cli-acw.hex", NULL);
  g_autofree gchar *bad = NULL;
  g_autoptr (JsonParser) parser = json_parser_new ();
  JsonObject *root;
  JsonArray *records;

  ck_assert_int_eq (lers_check_run_lers (&out, &err, "plugins", NULL), 0);
  ck_assert_msg (strstr (out, "mbus") != NULL, "%s", out);
  ck_assert_msg (strstr (out, "device-driver,device-simulator") != NULL, "%s", out);

  ck_assert (g_file_set_contents (frame,
                                  "68 3C 3C 68 08 08 72 78 03 49 11 77 04 0E 16 0A 00 00 00 0C 78 "
                                  "78 03 49 11 04 13 31 D4 00 00 42 6C 00 00 44 13 00 00 00 00 04 "
                                  "6D 0B 0B CD 13 02 27 00 00 09 FD 0E 02 09 FD 0F 06 0F 00 01 75 "
                                  "13 D3 16",
                                  -1, NULL));
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);
  ck_assert_int_eq (lers_check_run_lers (&out, &err, "decode", "mbus", frame, NULL), 0);
  ck_assert_msg (json_parser_load_from_data (parser, out, -1, NULL), "%s", out);
  root = json_node_get_object (json_parser_get_root (parser));
  /* manufacturer bytes 77 04: 0x0477 = 00001 00011 10111 → 1,3,23 → 'A'+0,'A'+2,'A'+22 = ACW */
  ck_assert_str_eq (json_object_get_string_member (root, "manufacturer"), "ACW");
  records = json_object_get_array_member (root, "records");
  ck_assert_uint_gt (json_array_get_length (records), 5);
  /* record 1: 04 13 31 D4 00 00: DIF 04 = 32-bit integer, VIF 13 = volume
   * 10⁻³ m³, 0x0000D431 = 54321 → 54.321 m³ (libmbus's normalised output
   * agrees) */
  ck_assert_double_eq_tol (
      json_object_get_double_member (json_array_get_object_element (records, 1), "value"), 54.321,
      1e-9);
  ck_assert_str_eq (
      json_object_get_string_member (json_array_get_object_element (records, 1), "unit"), "m^3");

  /* a frame with a wrong checksum is an error that says so */
  bad = g_build_filename (g_get_tmp_dir (), "lers-bad-frame.hex", NULL);
  ck_assert (g_file_set_contents (bad, "68 03 03 68 08 01 72 00 16", -1, NULL));
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);
  ck_assert_int_eq (lers_check_run_lers (&out, &err, "decode", "mbus", bad, NULL), 1);
  ck_assert_msg (strstr (err, "checksum") != NULL, "%s", err);
  g_unlink (bad);
  g_unlink (frame);
}
END_TEST

int
main (int argc, char **argv)
{
  Suite *s = suite_create ("cli");
  TCase *tc = tcase_create ("cli");

  lers_check_init (&argc, &argv);
  tcase_add_unchecked_fixture (tc, lers_check_cluster_setup, lers_check_cluster_teardown);
  tcase_add_checked_fixture (tc, cli_setup, cli_teardown);
  tcase_add_test (tc, test_import_poll_archive);
  tcase_add_test (tc, test_bad_arguments);
  tcase_add_test (tc, test_plugins_and_decode);
  suite_add_tcase (s, tc);
  return lers_check_run_suite (s);
}
