/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "config.h"

#include <girepository.h>
#include <glib/gi18n-lib.h>
#include <libpeas/peas.h>

#include "lers-engine.h"
#include "lers-error.h"

/**
 * LersEngine:
 *
 * Finds and loads plugins (libpeas 1.x) and hands out their device drivers,
 * simulators, notifiers and report backends.
 *
 * Plugins are searched for, in this order, in the folders of the
 * `LERS_PLUGIN_PATH` environment variable (colon-separated), in
 * `~/.local/share/lers/plugins` and in the install folder
 * (`$libdir/lers/plugins`). When `LERS_PLUGIN_PATH_ONLY` is set and not
 * empty, only the folders of `LERS_PLUGIN_PATH` are searched. The library
 * knows no build tree: programs run from one find its plugins through the
 * environment that `meson devenv` and the tests set. Each plugin is a folder
 * holding a `.plugin` file and its module. Plugins whose `X-Lers-ABI`
 * differs from the library's are skipped with a warning.
 *
 * Python plugins (`Loader=python3`) load once the Lers typelib is found.
 *
 * Since: 0.1
 */
struct _LersEngine
{
  GObject parent_instance;
  PeasEngine *peas;
  GPtrArray *search_paths;
  GHashTable *drivers; /* protocol → LersDeviceDriver, created once */
};

G_DEFINE_TYPE (LersEngine, lers_engine, G_TYPE_OBJECT)

static void
lers_engine_finalize (GObject *object)
{
  LersEngine *self = LERS_ENGINE (object);

  g_hash_table_unref (self->drivers);
  g_ptr_array_unref (self->search_paths);
  g_clear_object (&self->peas);
  G_OBJECT_CLASS (lers_engine_parent_class)->finalize (object);
}

static void
lers_engine_class_init (LersEngineClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = lers_engine_finalize;
}

static void
lers_engine_add_path (LersEngine *self, const gchar *path)
{
  if (path == NULL || path[0] == '\0' || !g_file_test (path, G_FILE_TEST_IS_DIR))
    return;
  for (guint i = 0; i < self->search_paths->len; i++)
    if (g_strcmp0 (g_ptr_array_index (self->search_paths, i), path) == 0)
      return;
  g_ptr_array_add (self->search_paths, g_strdup (path));
  peas_engine_add_search_path (self->peas, path, NULL);
}

static void
lers_engine_init (LersEngine *self)
{
  const gchar *env = g_getenv ("LERS_PLUGIN_PATH");
  const gchar *only = g_getenv ("LERS_PLUGIN_PATH_ONLY");
  g_autofree gchar *user_dir = g_build_filename (g_get_user_data_dir (), "lers", "plugins", NULL);
  g_autoptr (GError) error = NULL;

  self->peas = peas_engine_new ();
  self->search_paths = g_ptr_array_new_with_free_func (g_free);
  self->drivers = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_object_unref);

  if (env != NULL)
    {
      g_auto (GStrv) dirs = g_strsplit (env, G_SEARCHPATH_SEPARATOR_S, -1);
      for (guint i = 0; dirs[i] != NULL; i++)
        lers_engine_add_path (self, dirs[i]);
    }
  if (only == NULL || only[0] == '\0')
    {
      lers_engine_add_path (self, user_dir);
      lers_engine_add_path (self, LERS_PLUGINDIR);
    }

  /* Python plugins implement our interfaces through the typelib: enable the
   * loader only once it is there, or every Python plugin would fail oddly. */
  if (g_irepository_require (NULL, "Lers", "1.0", 0, &error) != NULL)
    peas_engine_enable_loader (self->peas, "python3");
  else
    g_debug ("Python plugins disabled: %s", error->message);

  peas_engine_rescan_plugins (self->peas);
}

/**
 * lers_engine_new:
 *
 * Returns: (transfer full): an engine that has scanned the plugin folders
 *
 * Since: 0.1
 */
LersEngine *
lers_engine_new (void)
{
  return g_object_new (LERS_TYPE_ENGINE, NULL);
}

/**
 * lers_engine_get_search_paths:
 * @self: a #LersEngine
 *
 * Returns: (transfer full): the folders searched for plugins, in order
 *
 * Since: 0.1
 */
GStrv
lers_engine_get_search_paths (LersEngine *self)
{
  GStrv paths;

  g_return_val_if_fail (LERS_IS_ENGINE (self), NULL);
  paths = g_new0 (gchar *, self->search_paths->len + 1);
  for (guint i = 0; i < self->search_paths->len; i++)
    paths[i] = g_strdup (g_ptr_array_index (self->search_paths, i));
  return paths;
}

static gboolean
lers_engine_abi_ok (PeasPluginInfo *info)
{
  const gchar *abi = peas_plugin_info_get_external_data (info, "Lers-ABI");
  return g_strcmp0 (abi, LERS_PLUGIN_ABI) == 0;
}

static int
lers_engine_compare_names (const void *a, const void *b)
{
  return g_strcmp0 (*(const gchar *const *) a, *(const gchar *const *) b);
}

/**
 * lers_engine_list_plugins:
 * @self: a #LersEngine
 *
 * Returns: (transfer full): the module names of the plugins found, sorted
 *
 * Since: 0.1
 */
GStrv
lers_engine_list_plugins (LersEngine *self)
{
  g_autoptr (GStrvBuilder) builder = g_strv_builder_new ();
  GStrv names;

  g_return_val_if_fail (LERS_IS_ENGINE (self), NULL);
  for (const GList *l = peas_engine_get_plugin_list (self->peas); l != NULL; l = l->next)
    {
      PeasPluginInfo *info = l->data;
      if (!lers_engine_abi_ok (info))
        {
          g_warning ("plugin %s skipped: it was built for ABI %s, this library has %s",
                     peas_plugin_info_get_module_name (info),
                     peas_plugin_info_get_external_data (info, "Lers-ABI"), LERS_PLUGIN_ABI);
          continue;
        }
      g_strv_builder_add (builder, peas_plugin_info_get_module_name (info));
    }
  names = g_strv_builder_end (builder);
  qsort (names, g_strv_length (names), sizeof (gchar *), lers_engine_compare_names);
  return names;
}

static PeasPluginInfo *
lers_engine_find (LersEngine *self, const gchar *name, GError **error)
{
  PeasPluginInfo *info = peas_engine_get_plugin_info (self->peas, name);

  if (info == NULL)
    {
      g_set_error (error, LERS_ERROR, LERS_ERROR_NOT_FOUND, _ ("No plugin named “%s”"), name);
      return NULL;
    }
  if (!lers_engine_abi_ok (info))
    {
      g_set_error (error, LERS_ERROR, LERS_ERROR_NOT_SUPPORTED,
                   _ ("Plugin “%s” was built for another version of LERS"), name);
      return NULL;
    }
  return info;
}

/**
 * lers_engine_load_plugin:
 * @self: a #LersEngine
 * @name: the plugin's module name
 * @error: return location for a #GError
 *
 * Returns: %TRUE if the plugin is loaded
 *
 * Since: 0.1
 */
gboolean
lers_engine_load_plugin (LersEngine *self, const gchar *name, GError **error)
{
  PeasPluginInfo *info;
  g_autoptr (GError) peas_error = NULL;

  g_return_val_if_fail (LERS_IS_ENGINE (self), FALSE);
  g_return_val_if_fail (name != NULL, FALSE);
  info = lers_engine_find (self, name, error);
  if (info == NULL)
    return FALSE;
  if (peas_plugin_info_is_loaded (info))
    return TRUE;
  if (!peas_engine_load_plugin (self->peas, info) || !peas_plugin_info_is_loaded (info))
    {
      if (!peas_plugin_info_is_available (info, &peas_error) && peas_error != NULL)
        g_set_error (error, LERS_ERROR, LERS_ERROR_FAILED, _ ("Plugin “%s” failed to load: %s"),
                     name, peas_error->message);
      else
        g_set_error (error, LERS_ERROR, LERS_ERROR_FAILED, _ ("Plugin “%s” failed to load"), name);
      return FALSE;
    }
  return TRUE;
}

/**
 * lers_engine_get_plugin_version:
 * @self: a #LersEngine
 * @name: the plugin's module name
 *
 * Returns: (nullable): the plugin's version
 *
 * Since: 0.1
 */
const gchar *
lers_engine_get_plugin_version (LersEngine *self, const gchar *name)
{
  PeasPluginInfo *info = peas_engine_get_plugin_info (self->peas, name);
  return info != NULL ? peas_plugin_info_get_version (info) : NULL;
}

/**
 * lers_engine_get_plugin_description:
 * @self: a #LersEngine
 * @name: the plugin's module name
 *
 * Returns: (nullable): the plugin's description
 *
 * Since: 0.1
 */
const gchar *
lers_engine_get_plugin_description (LersEngine *self, const gchar *name)
{
  PeasPluginInfo *info = peas_engine_get_plugin_info (self->peas, name);
  return info != NULL ? peas_plugin_info_get_description (info) : NULL;
}

/**
 * lers_engine_get_plugin_loader:
 * @self: a #LersEngine
 * @name: the plugin's module name
 *
 * Returns: (nullable): `python3` for a Python plugin, `c` for a compiled one
 *
 * Since: 0.1
 */
const gchar *
lers_engine_get_plugin_loader (LersEngine *self, const gchar *name)
{
  PeasPluginInfo *info = peas_engine_get_plugin_info (self->peas, name);
  g_autofree gchar *py = NULL;
  g_autofree gchar *pkg = NULL;

  if (info == NULL)
    return NULL;
  /* libpeas 1.x does not expose the Loader key; the module's file tells. */
  py = g_strdup_printf ("%s/%s.py", peas_plugin_info_get_module_dir (info), name);
  pkg = g_build_filename (peas_plugin_info_get_module_dir (info), name, "__init__.py", NULL);
  if (g_file_test (py, G_FILE_TEST_EXISTS) || g_file_test (pkg, G_FILE_TEST_EXISTS))
    return "python3";
  return "c";
}

/**
 * lers_engine_get_plugin_provides:
 * @self: a #LersEngine
 * @name: the plugin's module name
 * @error: return location for a #GError
 *
 * Loads the plugin and tells which of the liblers interfaces it implements.
 *
 * Returns: (transfer full): interface names: `device-driver`, `device-simulator`,
 *   `notifier`, `report-backend`
 *
 * Since: 0.1
 */
GStrv
lers_engine_get_plugin_provides (LersEngine *self, const gchar *name, GError **error)
{
  static const struct
  {
    GType (*get_type) (void);
    const gchar *name;
  } ifaces[] = {
    { lers_device_driver_get_type, "device-driver" },
    { lers_device_simulator_get_type, "device-simulator" },
    { lers_notifier_get_type, "notifier" },
    { lers_report_backend_get_type, "report-backend" },
  };
  g_autoptr (GStrvBuilder) builder = g_strv_builder_new ();
  PeasPluginInfo *info;

  g_return_val_if_fail (LERS_IS_ENGINE (self), NULL);
  if (!lers_engine_load_plugin (self, name, error))
    return NULL;
  info = peas_engine_get_plugin_info (self->peas, name);
  for (gsize i = 0; i < G_N_ELEMENTS (ifaces); i++)
    if (peas_engine_provides_extension (self->peas, info, ifaces[i].get_type ()))
      g_strv_builder_add (builder, ifaces[i].name);
  return g_strv_builder_end (builder);
}

static GObject *
lers_engine_create (LersEngine *self, const gchar *name, GType iface, const gchar *what,
                    GError **error, const gchar *first_property, ...)
{
  PeasPluginInfo *info;
  GObject *extension;
  va_list args;

  if (!lers_engine_load_plugin (self, name, error))
    return NULL;
  info = peas_engine_get_plugin_info (self->peas, name);
  if (!peas_engine_provides_extension (self->peas, info, iface))
    {
      g_set_error (error, LERS_ERROR, LERS_ERROR_NOT_SUPPORTED, _ ("Plugin “%s” has no %s"), name,
                   what);
      return NULL;
    }
  va_start (args, first_property);
  extension = G_OBJECT (
      peas_engine_create_extension_valist (self->peas, info, iface, first_property, args));
  va_end (args);
  if (extension == NULL)
    g_set_error (error, LERS_ERROR, LERS_ERROR_FAILED, _ ("Plugin “%s” could not create its %s"),
                 name, what);
  return extension;
}

/**
 * lers_engine_get_device_driver:
 * @self: a #LersEngine
 * @protocol: the protocol (the plugin's module name, `mbus`)
 * @error: return location for a #GError
 *
 * Returns: (transfer full): the plugin's driver, shared by all callers
 *
 * Since: 0.1
 */
LersDeviceDriver *
lers_engine_get_device_driver (LersEngine *self, const gchar *protocol, GError **error)
{
  GObject *driver;

  g_return_val_if_fail (LERS_IS_ENGINE (self), NULL);
  g_return_val_if_fail (protocol != NULL, NULL);
  driver = g_hash_table_lookup (self->drivers, protocol);
  if (driver == NULL)
    {
      driver = lers_engine_create (self, protocol, LERS_TYPE_DEVICE_DRIVER, _ ("device driver"),
                                   error, NULL);
      if (driver == NULL)
        return NULL;
      g_hash_table_insert (self->drivers, g_strdup (protocol), driver);
    }
  return g_object_ref (LERS_DEVICE_DRIVER (driver));
}

/**
 * lers_engine_create_device_simulator:
 * @self: a #LersEngine
 * @protocol: the protocol (the plugin's module name, `mbus`)
 * @serial_number: the simulated meter's serial number
 * @address: its network address
 * @seed: the seed of its data
 * @error: return location for a #GError
 *
 * Returns: (transfer full): a new simulated meter
 *
 * Since: 0.1
 */
LersDeviceSimulator *
lers_engine_create_device_simulator (LersEngine *self, const gchar *protocol,
                                     const gchar *serial_number, guint address, guint seed,
                                     GError **error)
{
  g_return_val_if_fail (LERS_IS_ENGINE (self), NULL);
  g_return_val_if_fail (protocol != NULL && serial_number != NULL, NULL);
  return LERS_DEVICE_SIMULATOR (
      lers_engine_create (self, protocol, LERS_TYPE_DEVICE_SIMULATOR, _ ("device simulator"), error,
                          "serial-number", serial_number, "address", address, "seed", seed, NULL));
}

/**
 * lers_engine_get_report_backend:
 * @self: a #LersEngine
 * @format: the format (`pdf`, `xlsx`) or a plugin's module name (`csvreport`)
 * @error: return location for a #GError
 *
 * The report plugins LERS ships are named `report-FORMAT`; that module is
 * used when it exists, else the plugin whose module name is @format.
 *
 * Returns: (transfer full): a report backend
 *
 * Since: 0.1
 */
LersReportBackend *
lers_engine_get_report_backend (LersEngine *self, const gchar *format, GError **error)
{
  g_autofree gchar *module = NULL;

  g_return_val_if_fail (LERS_IS_ENGINE (self), NULL);
  g_return_val_if_fail (format != NULL, NULL);
  module = g_strconcat ("report-", format, NULL);
  if (peas_engine_get_plugin_info (self->peas, module) == NULL)
    g_clear_pointer (&module, g_free);
  return LERS_REPORT_BACKEND (lers_engine_create (self, module != NULL ? module : format,
                                                  LERS_TYPE_REPORT_BACKEND, _ ("report backend"),
                                                  error, NULL));
}

/**
 * lers_engine_get_notifier:
 * @self: a #LersEngine
 * @channel: the channel (the plugin's module name, `smtp`)
 * @error: return location for a #GError
 *
 * Returns: (transfer full): a notifier
 *
 * Since: 0.1
 */
LersNotifier *
lers_engine_get_notifier (LersEngine *self, const gchar *channel, GError **error)
{
  g_return_val_if_fail (LERS_IS_ENGINE (self), NULL);
  g_return_val_if_fail (channel != NULL, NULL);
  return LERS_NOTIFIER (
      lers_engine_create (self, channel, LERS_TYPE_NOTIFIER, _ ("notifier"), error, NULL));
}
