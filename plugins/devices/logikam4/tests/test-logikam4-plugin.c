/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The module as libpeas loads it from the build tree: driver, models,
 * simulator with its construct properties, and `model` read back (lers-sim
 * --model). */
#include <string.h>

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

/* review 5: decode_frame takes the frame's bytes (tools/lers-cmd-decode.c
 * turns a hex text file into bytes first); hex text itself is not a frame.
 * The frame is the СПТ943.3 session answer of tests/replay-spt943-3.txt:
 * 10 FF 90 00 00 04 00 3F 54 2B 0A 86 B6. */
static void
test_decode_bytes_only (void)
{
  static const guint8 frame[]
      = { 0x10, 0xFF, 0x90, 0x00, 0x00, 0x04, 0x00, 0x3F, 0x54, 0x2B, 0x0A, 0x86, 0xB6 };
  static const gchar text[] = "10 FF 90 00 00 04 00 3F 54 2B 0A 86 B6\n";
  g_autoptr (LersEngine) engine = lers_engine_new ();
  g_autoptr (GError) error = NULL;
  g_autoptr (LersDeviceDriver) driver = NULL;
  g_autoptr (GBytes) bytes = g_bytes_new_static (frame, sizeof frame);
  g_autoptr (GBytes) hex = g_bytes_new_static (text, sizeof text - 1);
  g_autofree gchar *json = NULL;
  g_autofree gchar *none = NULL;

  g_assert_true (lers_engine_load_plugin (engine, "logikam4", &error));
  driver = lers_engine_get_device_driver (engine, "logikam4", &error);
  g_assert_no_error (error);
  json = lers_device_driver_decode_frame (driver, bytes, &error);
  g_assert_no_error (error);
  g_assert_nonnull (strstr (json, "\"data\" : \"54 2B 0A\""));
  none = lers_device_driver_decode_frame (driver, hex, &error);
  g_assert_null (none);
  g_assert_error (error, LERS_ERROR, LERS_ERROR_INVALID_DATA);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/logikam4/plugin/load", test_plugin);
  g_test_add_func ("/logikam4/plugin/decode-bytes-only", test_decode_bytes_only);
  return g_test_run ();
}
