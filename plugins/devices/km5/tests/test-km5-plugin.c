/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The module as libpeas loads it from the build tree: driver, models,
 * `lers decode km5` on a vector in both byte orders, simulator with its
 * construct properties, and `model` read back. */
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
  g_autofree gchar *json = NULL;
  g_autofree gchar *json_backward = NULL;
  g_autofree gchar *json_bad = NULL;
  /* command 44/5 to 12345678 (test-km5-frame works out its checksums) */
  static const guint8 request[]
      = { 0x78, 0x56, 0x34, 0x12, 0x2c, 0x05, 0, 0, 0, 0, 0, 0, 0, 0, 0x21, 0x45 };
  static const guint8 backward[]
      = { 0x45, 0x21, 0, 0, 0, 0, 0, 0, 0, 0, 0x05, 0x2c, 0x12, 0x34, 0x56, 0x78 };
  static const guint8 bad[]
      = { 0x78, 0x56, 0x34, 0x12, 0x2c, 0x05, 0, 0, 0, 0, 0, 0, 0, 0, 0x21, 0x46 };
  g_autoptr (GBytes) b1 = g_bytes_new_static (request, sizeof request);
  g_autoptr (GBytes) b2 = g_bytes_new_static (backward, sizeof backward);
  g_autoptr (GBytes) b3 = g_bytes_new_static (bad, sizeof bad);
  guint address = 0, circuits = 0;

  g_assert_true (lers_engine_load_plugin (engine, "km5", &error));
  g_assert_no_error (error);
  driver = lers_engine_get_device_driver (engine, "km5", &error);
  g_assert_no_error (error);
  g_assert_cmpstr (lers_device_driver_get_protocol (driver), ==, "km5");
  models = lers_device_driver_get_models (driver);
  g_assert_true (g_strv_contains ((const gchar *const *) models, "КМ-5"));
  g_assert_true (g_strv_contains ((const gchar *const *) models, "РМ-5"));

  json = lers_device_driver_decode_frame (driver, b1, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (json, ==,
                   "{\"kind\":\"request\",\"address\":\"12345678\",\"command\":44,"
                   "\"data\":[5,0,0,0,0,0,0,0,0]}");
  json_backward = lers_device_driver_decode_frame (driver, b2, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (json_backward, ==,
                   "{\"backward\":true,\"kind\":\"request\",\"address\":\"12345678\","
                   "\"command\":44,\"data\":[5,0,0,0,0,0,0,0,0]}");
  json_bad = lers_device_driver_decode_frame (driver, b3, &error);
  g_assert_null (json_bad);
  g_assert_error (error, LERS_ERROR, LERS_ERROR_CHECKSUM);
  g_clear_error (&error);

  sim = lers_engine_create_device_simulator (engine, "km5", "10000001", 3, 7, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (lers_device_simulator_get_protocol (sim), ==, "km5");
  g_object_set (sim, "model", "no such model", "circuits", 2, NULL);
  g_object_get (sim, "model", &model, "address", &address, "circuits", &circuits, NULL);
  g_assert_cmpstr (model, ==, "КМ-5");
  g_assert_cmpuint (address, ==, 3);
  g_assert_cmpuint (circuits, ==, 2);
  g_clear_pointer (&model, g_free);
  g_object_set (sim, "model", "РМ-5", NULL);
  g_object_get (sim, "model", &model, NULL);
  g_assert_cmpstr (model, ==, "РМ-5");
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/km5/plugin/load", test_plugin);
  return g_test_run ();
}
