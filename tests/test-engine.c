/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include <check.h>
#include <lers.h>
#include <stdlib.h>

#include "lers-check.h"

START_TEST (test_engine_lists_plugins)
{
  g_autoptr (LersEngine) engine = lers_engine_new ();
  g_auto (GStrv) names = lers_engine_list_plugins (engine);
  g_auto (GStrv) provides = NULL;
  g_autoptr (GError) error = NULL;

  ck_assert (g_strv_contains ((const gchar *const *) names, "mbus"));
  provides = lers_engine_get_plugin_provides (engine, "mbus", &error);
  ck_assert_ptr_nonnull (provides);
  ck_assert (g_strv_contains ((const gchar *const *) provides, "device-driver"));
  ck_assert (g_strv_contains ((const gchar *const *) provides, "device-simulator"));
  ck_assert (!g_strv_contains ((const gchar *const *) provides, "notifier"));
  ck_assert_str_eq (lers_engine_get_plugin_loader (engine, "mbus"), "c");
  ck_assert_ptr_nonnull (lers_engine_get_plugin_version (engine, "mbus"));
}
END_TEST

START_TEST (test_engine_errors)
{
  g_autoptr (LersEngine) engine = lers_engine_new ();
  g_autoptr (GError) error = NULL;
  g_autoptr (LersDeviceDriver) none = lers_engine_get_device_driver (engine, "no-such", &error);
  g_autoptr (LersReportBackend) backend = NULL;
  g_autoptr (LersDeviceDriver) a = NULL;
  g_autoptr (LersDeviceDriver) b = NULL;

  ck_assert_ptr_null (none);
  ck_assert (g_error_matches (error, LERS_ERROR, LERS_ERROR_NOT_FOUND));
  g_clear_error (&error);
  backend = lers_engine_get_report_backend (engine, "mbus", &error);
  ck_assert_ptr_null (backend);
  ck_assert (g_error_matches (error, LERS_ERROR, LERS_ERROR_NOT_SUPPORTED));
  /* the driver is shared */
  a = lers_engine_get_device_driver (engine, "mbus", NULL);
  b = lers_engine_get_device_driver (engine, "mbus", NULL);
  ck_assert_ptr_nonnull (a);
  ck_assert_ptr_eq (a, b);
  ck_assert_str_eq (lers_device_driver_get_protocol (a), "mbus");
}
END_TEST

START_TEST (test_engine_python_plugin)
{
  g_autoptr (LersEngine) engine = NULL;
  g_autoptr (LersReportBackend) backend = NULL;
  g_autoptr (GError) error = NULL;
  g_autoptr (GPtrArray) records = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr (GOutputStream) out = g_memory_output_stream_new_resizable ();
  g_autoptr (GDateTime) t0 = g_date_time_new_utc (2026, 11, 1, 10, 0, 0);
  g_autoptr (GDateTime) t1 = g_date_time_add_hours (t0, 1);
  g_autofree gchar *text = NULL;
  LersRecord *r;

  engine = lers_engine_new ();
  ck_assert_str_eq (lers_engine_get_plugin_loader (engine, "csvreport"), "python3");
  backend = lers_engine_get_report_backend (engine, "csvreport", &error);
  ck_assert_msg (backend != NULL, "%s", error ? error->message : "");
  ck_assert_str_eq (lers_report_backend_get_content_type (backend), "text/csv");

  r = lers_record_new (t0, LERS_ARCHIVE_KIND_HOUR);
  lers_record_set_value (r, LERS_PARAMETER_T_IN, 71.25, 0);
  lers_record_set_value (r, LERS_PARAMETER_Q_IN, 0.5, LERS_VALUE_FLAG_CALCULATED);
  g_ptr_array_add (records, r);
  r = lers_record_new (t1, LERS_ARCHIVE_KIND_HOUR);
  lers_record_set_value (r, LERS_PARAMETER_T_IN, 70.0, 0);
  g_ptr_array_add (records, r);
  ck_assert (lers_report_backend_render_records (backend, records, out, NULL, &error));
  g_output_stream_close (out, NULL, NULL);
  text = g_strndup (g_memory_output_stream_get_data (G_MEMORY_OUTPUT_STREAM (out)),
                    g_memory_output_stream_get_data_size (G_MEMORY_OUTPUT_STREAM (out)));
  ck_assert_str_eq (text, "timestamp;T_in, degC;Q_in, Gcal\n"
                          "2026-11-01T10:00:00Z;71.25;0.5\n"
                          "2026-11-01T11:00:00Z;70.0;\n");
}
END_TEST

/* A plugin in the user's folder (~/.local/share/lers/plugins): only a
 * .plugin file, enough for libpeas to list it. */
static gchar *
make_user_plugin (void)
{
  g_autofree gchar *dir
      = g_build_filename (g_get_user_data_dir (), "lers", "plugins", "userfake", NULL);
  g_autofree gchar *file = g_build_filename (dir, "userfake.plugin", NULL);

  ck_assert_int_eq (g_mkdir_with_parents (dir, 0700), 0);
  ck_assert (g_file_set_contents (file,
                                  "[Plugin]\nModule=userfake\nName=User fake\n"
                                  "Version=9.8.7\nX-Lers-ABI=1\n",
                                  -1, NULL));
  return g_build_filename (g_get_user_data_dir (), "lers", "plugins", NULL);
}

static gboolean
env_path_contains (const gchar *dir)
{
  g_auto (GStrv) dirs = g_strsplit (g_getenv ("LERS_PLUGIN_PATH"), ":", -1);
  return g_strv_contains ((const gchar *const *) dirs, dir);
}

START_TEST (test_engine_plugin_path_only)
{
  g_autofree gchar *user_dir = make_user_plugin ();
  g_autoptr (LersEngine) engine = NULL;
  g_auto (GStrv) names = NULL;
  g_auto (GStrv) paths = NULL;

  /* the tests' environment (tests/check/meson.build) sets both */
  ck_assert_str_eq (g_getenv ("LERS_PLUGIN_PATH_ONLY"), "1");
  engine = lers_engine_new ();
  names = lers_engine_list_plugins (engine);
  paths = lers_engine_get_search_paths (engine);
  /* only the folders of LERS_PLUGIN_PATH, never the user's or the install folder */
  ck_assert (!g_strv_contains ((const gchar *const *) names, "userfake"));
  ck_assert (!g_strv_contains ((const gchar *const *) paths, user_dir));
  ck_assert_uint_gt (g_strv_length (paths), 0);
  for (guint i = 0; paths[i] != NULL; i++)
    ck_assert_msg (env_path_contains (paths[i]), "%s is not in LERS_PLUGIN_PATH", paths[i]);
  ck_assert (g_strv_contains ((const gchar *const *) names, "mbus"));
}
END_TEST

START_TEST (test_engine_plugin_path_and_user_folder)
{
  g_autofree gchar *user_dir = make_user_plugin ();
  g_autofree gchar *only = g_strdup (g_getenv ("LERS_PLUGIN_PATH_ONLY"));
  g_autoptr (LersEngine) engine = NULL;
  g_auto (GStrv) names = NULL;
  g_auto (GStrv) paths = NULL;

  /* an empty LERS_PLUGIN_PATH_ONLY means unset */
  g_setenv ("LERS_PLUGIN_PATH_ONLY", "", TRUE);
  engine = lers_engine_new ();
  g_setenv ("LERS_PLUGIN_PATH_ONLY", only, TRUE);
  names = lers_engine_list_plugins (engine);
  paths = lers_engine_get_search_paths (engine);
  ck_assert (g_strv_contains ((const gchar *const *) names, "userfake"));
  ck_assert (g_strv_contains ((const gchar *const *) names, "mbus"));
  ck_assert_str_eq (lers_engine_get_plugin_version (engine, "userfake"), "9.8.7");
  /* LERS_PLUGIN_PATH first, then the user's folder */
  ck_assert (env_path_contains (paths[0]));
  ck_assert (g_strv_contains ((const gchar *const *) paths, user_dir));
}
END_TEST

int
main (int argc, char **argv)
{
  Suite *s = suite_create ("engine");
  TCase *tc = tcase_create ("engine");
  g_autofree gchar *data_home = g_dir_make_tmp ("lers-engine-XXXXXX", NULL);
  int status;

  /* a user data folder of our own, before GLib caches the real one */
  g_setenv ("XDG_DATA_HOME", data_home, TRUE);
  lers_check_init (&argc, &argv);
  tcase_add_test (tc, test_engine_lists_plugins);
  tcase_add_test (tc, test_engine_errors);
  tcase_add_test (tc, test_engine_plugin_path_only);
  tcase_add_test (tc, test_engine_plugin_path_and_user_folder);
  /* the Python plugin needs the typelib, which sanitizer builds leave out */
  if (g_strcmp0 (g_getenv ("LERS_TEST_PYTHON"), "1") == 0)
    tcase_add_test (tc, test_engine_python_plugin);
  suite_add_tcase (s, tc);
  status = lers_check_run_suite (s);
  lers_check_remove_tree (data_home);
  return status;
}
