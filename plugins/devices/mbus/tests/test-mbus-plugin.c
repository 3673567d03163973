/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The module loads through LersEngine from the build tree and provides the
 * driver and the simulator. */
#include <check.h>

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
  g_autofree gchar *json = NULL;
  g_autoptr (GBytes) frame = NULL;
  guint address = 0;
  static const guint8 ack[] = { 0xE5 };

  ck_assert_msg (lers_engine_load_plugin (engine, "mbus", &error), "%s",
                 error ? error->message : "?");
  driver = lers_engine_get_device_driver (engine, "mbus", &error);
  ck_assert_msg (driver != NULL, "%s", error ? error->message : "?");
  ck_assert_str_eq (lers_device_driver_get_protocol (driver), "mbus");
  models = lers_device_driver_get_models (driver);
  ck_assert_uint_gt (g_strv_length (models), 0);

  frame = g_bytes_new_static (ack, sizeof ack);
  json = lers_device_driver_decode_frame (driver, frame, &error);
  ck_assert_msg (json != NULL, "%s", error ? error->message : "?");

  /* a .hex text file, as `lers decode mbus FILE` gets it */
  {
    g_autofree gchar *path = g_build_filename (MBUS_TEST_DIR, "replay-02-rx.hex", NULL);
    g_autofree gchar *text = NULL;
    g_autofree gchar *telegram = NULL;
    g_autoptr (GBytes) hex = NULL;
    gsize len = 0;

    ck_assert (g_file_get_contents (path, &text, &len, NULL));
    hex = g_bytes_new (text, len);
    telegram = lers_device_driver_decode_frame (driver, hex, &error);
    ck_assert_msg (telegram != NULL, "%s", error ? error->message : "?");
    /* header bytes 53 32: 0x3253 = 01100 10010 10011 → 12, 18, 19 → 'A'-1+n: LRS */
    ck_assert_ptr_nonnull (strstr (telegram, "\"manufacturer\" : \"LRS\""));
    ck_assert_ptr_nonnull (strstr (telegram, "\"quantity\" : \"Time point (date & time)\""));
  }

  sim = lers_engine_create_device_simulator (engine, "mbus", "00001234", 9, 7, &error);
  ck_assert_msg (sim != NULL, "%s", error ? error->message : "?");
  ck_assert_str_eq (lers_device_simulator_get_protocol (sim), "mbus");
  g_object_get (sim, "serial-number", &serial, "address", &address, NULL);
  ck_assert_str_eq (serial, "00001234");
  ck_assert_uint_eq (address, 9);
}
END_TEST

int
main (int argc, char **argv)
{
  Suite *s = suite_create ("mbus-plugin");
  TCase *tc = tcase_create ("engine");

  lers_check_init (&argc, &argv);
  tcase_add_test (tc, test_plugin_loads);
  suite_add_tcase (s, tc);
  return lers_check_run_suite (s);
}
