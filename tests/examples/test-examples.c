/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Every script in examples/ runs against a throwaway database holding a
 * known archive, and prints what a user expects to read. */
#include <check.h>
#include <lers.h>
#include <stdlib.h>

#include "lers-check.h"

static gint64 point_id;

/* The seed archive's node, put in a Vladivostok territory (UTC+10, no DST). */
static void
seed (void)
{
  LersStore *store;
  g_autoptr (GError) error = NULL;
  g_autoptr (LersTerritory) territory = lers_territory_new ();
  g_autoptr (LersMeasurePoint) point = NULL;
  g_autoptr (LersNode) node = NULL;

  lers_check_store_setup ();
  store = lers_check_get_store ();
  point_id = lers_check_seed_archive ();
  lers_territory_set_title (territory, "Приморье");
  lers_territory_set_time_zone (territory, "Asia/Vladivostok");
  ck_assert (lers_store_save_territory_sync (store, territory, NULL, &error));
  point = lers_store_get_measure_point_sync (store, point_id, NULL, &error);
  lers_check_assert_no_error (error);
  node = lers_store_get_node_sync (store, lers_measure_point_get_node_id (point), NULL, &error);
  lers_check_assert_no_error (error);
  lers_node_set_territory_id (node, lers_territory_get_id (territory));
  ck_assert (lers_store_save_node_sync (store, node, NULL, &error));
}

static gchar *
run_example (const gchar *interpreter, const gchar *script)
{
  g_autofree gchar *path
      = g_build_filename (g_getenv ("LERS_SOURCE_ROOT"), "examples", script, NULL);
  g_autofree gchar *id = g_strdup_printf ("%" G_GINT64_FORMAT, point_id);
  g_auto (GStrv) env = g_environ_setenv (g_get_environ (), "LERS_DB", lers_check_get_uri (), TRUE);
  const gchar *argv[] = { interpreter, path, id, "6", NULL };
  g_autoptr (GError) error = NULL;
  gchar *out = NULL;
  g_autofree gchar *err = NULL;
  gint status;

  ck_assert (g_spawn_sync (NULL, (gchar **) argv, env, G_SPAWN_SEARCH_PATH, NULL, NULL, &out, &err,
                           &status, &error));
  ck_assert_msg (g_spawn_check_wait_status (status, NULL), "%s failed: %s", script, err);
  return out;
}

static void
check_output (const gchar *out)
{
  g_auto (GStrv) lines = g_strsplit (out, "\n", -1);

  ck_assert_msg (g_str_has_prefix (lines[0], "Отопление (point "), "%s", out);
  ck_assert_msg (strstr (lines[0], "3 hourly records") != NULL, "%s", out);
  /* times in the node's zone, with its offset (the test server keeps UTC) */
  ck_assert_msg (strstr (lines[1], " +10:00 ") != NULL, "%s", lines[1]);
  ck_assert_uint_eq (g_strv_length (lines), 5);
  /* oldest first: T_in 73 °C, Q_in 0.375 Gcal */
  ck_assert_msg (strstr (lines[1], "T_in=73.0000 °C  Q_in=0.3750 Gcal") != NULL, "%s", lines[1]);
  ck_assert_msg (strstr (lines[3], "T_in=71.0000 °C  Q_in=0.1250 Gcal") != NULL, "%s", lines[3]);
}

START_TEST (test_archive_py)
{
  g_autofree gchar *out = run_example (g_getenv ("LERS_PYTHON"), "archive.py");
  check_output (out);
}
END_TEST

START_TEST (test_archive_js)
{
  g_autofree gchar *out = run_example ("gjs", "archive.js");
  check_output (out);
}
END_TEST

int
main (int argc, char **argv)
{
  Suite *s = suite_create ("examples");
  TCase *tc = tcase_create ("examples");

  lers_check_init (&argc, &argv);
  tcase_add_unchecked_fixture (tc, lers_check_cluster_setup, lers_check_cluster_teardown);
  tcase_add_checked_fixture (tc, seed, lers_check_store_teardown);
  tcase_add_test (tc, test_archive_py);
  tcase_add_test (tc, test_archive_js);
  suite_add_tcase (s, tc);
  return lers_check_run_suite (s);
}
