/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The module as libpeas loads it from the build tree: driver, models,
 * simulator with its construct properties, and `model` read back. */
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
  guint address = 0, circuits = 0;

  g_assert_true (lers_engine_load_plugin (engine, "tv7", &error));
  g_assert_no_error (error);
  driver = lers_engine_get_device_driver (engine, "tv7", &error);
  g_assert_no_error (error);
  g_assert_cmpstr (lers_device_driver_get_protocol (driver), ==, "tv7");
  models = lers_device_driver_get_models (driver);
  g_assert_true (g_strv_contains ((const gchar *const *) models, "TV7-04.1"));
  sim = lers_engine_create_device_simulator (engine, "tv7", "00001234", 9, 7, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (lers_device_simulator_get_protocol (sim), ==, "tv7");
  g_object_set (sim, "model", "no such model", "circuits", 1, NULL);
  g_object_get (sim, "model", &model, "address", &address, "circuits", &circuits, NULL);
  g_assert_cmpstr (model, ==, "TV7-04");
  g_assert_cmpuint (address, ==, 9);
  g_assert_cmpuint (circuits, ==, 1);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/tv7/plugin/load", test_plugin);
  return g_test_run ();
}
