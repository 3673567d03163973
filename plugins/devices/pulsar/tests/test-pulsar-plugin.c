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
  guint address = 0;
  /* the vendor document's clock answer (p. 3), as a .hex file's text */
  static const gchar clock_hex[] = "12 34 56 78 04 10 0C 07 17 09 1F 1A 78 8A 1E 1C\n";

  ck_assert_msg (lers_engine_load_plugin (engine, "pulsar", &error), "%s",
                 error ? error->message : "?");
  driver = lers_engine_get_device_driver (engine, "pulsar", &error);
  ck_assert_msg (driver != NULL, "%s", error ? error->message : "?");
  ck_assert_str_eq (lers_device_driver_get_protocol (driver), "pulsar");
  models = lers_device_driver_get_models (driver);
  ck_assert (g_strv_contains ((const gchar *const *) models, "Pulsar-16M"));

  hex = g_bytes_new_static (clock_hex, strlen (clock_hex));
  json = lers_device_driver_decode_frame (driver, hex, &error);
  ck_assert_msg (json != NULL, "%s", error ? error->message : "?");
  ck_assert_ptr_nonnull (strstr (json, "\"datetime\" : \"2012-07-23T09:31:26\""));

  sim = lers_engine_create_device_simulator (engine, "pulsar", "00001234", 9, 7, &error);
  ck_assert_msg (sim != NULL, "%s", error ? error->message : "?");
  ck_assert_str_eq (lers_device_simulator_get_protocol (sim), "pulsar");
  g_object_set (sim, "model", "Pulsar-16M", "circuits", 2, NULL);
  g_object_set (sim, "model", "no such model", NULL);
  g_object_get (sim, "serial-number", &serial, "address", &address, "model", &model, NULL);
  ck_assert_str_eq (serial, "00001234");
  ck_assert_uint_eq (address, 9);
  ck_assert_str_eq (model, "Pulsar-16M");
}
END_TEST

int
main (int argc, char **argv)
{
  Suite *s = suite_create ("pulsar-plugin");
  TCase *tc = tcase_create ("engine");

  lers_check_init (&argc, &argv);
  tcase_add_test (tc, test_plugin_loads);
  suite_add_tcase (s, tc);
  return lers_check_run_suite (s);
}
