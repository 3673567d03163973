/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The module loads through LersEngine from the build tree and provides the
 * driver and the simulator; the simulator takes the properties lers-sim
 * sets. */
#include <check.h>
#include <string.h>

#include <lers.h>
#include "lers-check.h"

START_TEST (test_plugin_loads)
{
  g_autoptr (LersEngine) engine = lers_engine_new ();
  g_autoptr (GError) error = NULL;
  g_autoptr (LersDeviceDriver) driver = NULL;
  g_autoptr (LersDeviceSimulator) sim = NULL;
  g_auto (GStrv) models = NULL;
  g_autofree gchar *serial = NULL;
  g_autofree gchar *model = NULL;
  g_autofree gchar *json = NULL;
  g_autoptr (GBytes) hex = NULL;
  guint address = 0, circuits = 0;
  /* GMIO's capture: 0/063 = 20 'C from device 0 (Parser.pas, Value) */
  static const gchar value_hex[]
      = "FF FF 10 01 00 00 10 1F 03 10 02 09 30 09 30 36 33 0C 09 32 30 09 27 43 0C 10 03 44 79\n";

  ck_assert_msg (lers_engine_load_plugin (engine, "spbus", &error), "%s",
                 error ? error->message : "?");
  driver = lers_engine_get_device_driver (engine, "spbus", &error);
  ck_assert_msg (driver != NULL, "%s", error ? error->message : "?");
  ck_assert_str_eq (lers_device_driver_get_protocol (driver), "spbus");
  models = lers_device_driver_get_models (driver);
  ck_assert (g_strv_contains ((const gchar *const *) models, "СПТ961"));
  ck_assert (g_strv_contains ((const gchar *const *) models, "СПГ761.3"));

  hex = g_bytes_new_static (value_hex, strlen (value_hex));
  json = lers_device_driver_decode_frame (driver, hex, &error);
  ck_assert_msg (json != NULL, "%s", error ? error->message : "?");
  ck_assert_ptr_nonnull (strstr (json, "\"parameter\" : 63"));
  ck_assert_ptr_nonnull (strstr (json, "\"value\" : 20"));

  sim = lers_engine_create_device_simulator (engine, "spbus", "1234", 9, 7, &error);
  ck_assert_msg (sim != NULL, "%s", error ? error->message : "?");
  ck_assert_str_eq (lers_device_simulator_get_protocol (sim), "spbus");
  g_object_set (sim, "model", "СПТ961.1", "circuits", 1, "answer-delay-ms", 5, "clock-time",
                (gint64) 1710073800, NULL);
  g_object_set (sim, "model", "no such model", NULL);
  g_object_get (sim, "serial-number", &serial, "address", &address, "model", &model, "circuits",
                &circuits, NULL);
  ck_assert_str_eq (serial, "1234");
  ck_assert_uint_eq (address, 9);
  ck_assert_uint_eq (circuits, 1);
  ck_assert_str_eq (model, "СПТ961.1");
}
END_TEST

int
main (int argc, char **argv)
{
  Suite *s = suite_create ("spbus-plugin");
  TCase *tc = tcase_create ("engine");

  lers_check_init (&argc, &argv);
  tcase_add_test (tc, test_plugin_loads);
  suite_add_tcase (s, tc);
  return lers_check_run_suite (s);
}
