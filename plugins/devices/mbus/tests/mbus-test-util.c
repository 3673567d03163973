/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Test helpers: register the plugin's dynamic types without libpeas. */
#include "mbus-test-util.h"

#include <check.h>

#include "lers-mbus-driver.h"
#include "lers-mbus-simulator.h"
#include "lers-mbus-session.h"
#include "mbus-frame.h"

#define MBUS_TYPE_TEST_MODULE (mbus_test_module_get_type ())
G_DECLARE_FINAL_TYPE (MbusTestModule, mbus_test_module, MBUS, TEST_MODULE, GTypeModule)

struct _MbusTestModule
{
  GTypeModule parent_instance;
};

G_DEFINE_TYPE (MbusTestModule, mbus_test_module, G_TYPE_TYPE_MODULE)

static gboolean
mbus_test_module_load (GTypeModule *module)
{
  return TRUE;
}

static void
mbus_test_module_unload (GTypeModule *module)
{
}

static void
mbus_test_module_class_init (MbusTestModuleClass *klass)
{
  G_TYPE_MODULE_CLASS (klass)->load = mbus_test_module_load;
  G_TYPE_MODULE_CLASS (klass)->unload = mbus_test_module_unload;
}

static void
mbus_test_module_init (MbusTestModule *self)
{
}

/**
 * mbus_test_register_types:
 *
 * Registers the driver and simulator types, once, with a type module that
 * stays loaded for the life of the test program.
 *
 * Since: 0.1
 */
void
mbus_test_register_types (void)
{
  static GTypeModule *module = NULL;

  if (module != NULL)
    return;
  module = g_object_new (MBUS_TYPE_TEST_MODULE, NULL);
  g_type_module_use (module);
  lers_mbus_driver_register (module);
  lers_mbus_simulator_register (module);
  lers_mbus_session_register (module);
}

/**
 * mbus_test_load_hex:
 * @path: a `.hex` file
 *
 * Returns: (transfer full): its bytes; the test fails if it cannot be read
 *
 * Since: 0.1
 */
GBytes *
mbus_test_load_hex (const gchar *path)
{
  g_autofree gchar *text = NULL;
  g_autoptr (GError) error = NULL;
  GBytes *bytes;

  ck_assert_msg (g_file_get_contents (path, &text, NULL, &error), "%s",
                 error != NULL ? error->message : path);
  bytes = mbus_hex_to_bytes (text, &error);
  ck_assert_msg (bytes != NULL, "%s: %s", path, error != NULL ? error->message : "?");
  return bytes;
}
