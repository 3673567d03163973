/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The module as libpeas loads it from the build tree: driver, models,
 * simulator with its construct properties, and `model` read back (lers-sim
 * --model). */
#include <lers.h>

static void
test_plugin (void)
{
  g_autoptr (LersEngine) engine = lers_engine_new ();
  g_autoptr (GError) error = NULL;
  g_autoptr (LersDeviceDriver) driver = NULL;
  g_autoptr (LersDeviceSimulator) sim = NULL;
  g_auto (GStrv) models = NULL;
  g_autofree gchar *model = NULL;
  g_autofree gchar *serial = NULL;
  guint address = 0, circuits = 0;

  g_assert_true (lers_engine_load_plugin (engine, "logikam4", &error));
  g_assert_no_error (error);
  driver = lers_engine_get_device_driver (engine, "logikam4", &error);
  g_assert_no_error (error);
  g_assert_cmpstr (lers_device_driver_get_protocol (driver), ==, "logikam4");
  models = lers_device_driver_get_models (driver);
  g_assert_true (g_strv_contains ((const gchar *const *) models, "СПТ944"));
  g_assert_true (g_strv_contains ((const gchar *const *) models, "СПТ943.3"));
  g_assert_true (g_strv_contains ((const gchar *const *) models, "СПТ941.20"));
  g_assert_true (g_strv_contains ((const gchar *const *) models, "СПГ742"));
  sim = lers_engine_create_device_simulator (engine, "logikam4", "00001234", 9, 7, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (lers_device_simulator_get_protocol (sim), ==, "logikam4");
  g_object_set (sim, "model", "no such model", "circuits", 1, NULL);
  g_object_get (sim, "model", &model, "address", &address, "circuits", &circuits, "serial-number",
                &serial, NULL);
  g_assert_cmpstr (model, ==, "СПТ944");
  g_assert_cmpuint (address, ==, 9);
  g_assert_cmpuint (circuits, ==, 1);
  g_assert_cmpstr (serial, ==, "00001234");
  g_clear_pointer (&model, g_free);
  g_object_set (sim, "model", "СПТ943.3", NULL);
  g_object_get (sim, "model", &model, NULL);
  g_assert_cmpstr (model, ==, "СПТ943.3");
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/logikam4/plugin/load", test_plugin);
  return g_test_run ();
}
