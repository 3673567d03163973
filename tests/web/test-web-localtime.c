/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The web page shows a node's archive in the node's local time: headless
 * Chromium loads it from lersd for a point in Vladivostok (UTC+10, no
 * summer time) while the browser and the server keep other zones, and the
 * DOM shows Vladivostok wall-clock times with their offset. */
#include <check.h>
#include <glib/gstdio.h>
#include <lers.h>
#include <stdlib.h>

#include "lers-web-check.h"

static gint64 point_id;

static void
web_setup (void)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (LersTerritory) territory = lers_territory_new ();
  g_autoptr (LersNode) node = NULL;
  g_autoptr (LersMeasurePoint) point = NULL;
  LersStore *store;

  lers_check_store_setup ();
  store = lers_check_get_store ();
  /* the seeded node "Котельная", moved to Vladivostok */
  point_id = lers_check_seed_archive ();
  g_object_set (territory, "title", "Приморский край", "time-zone", "Asia/Vladivostok", NULL);
  ck_assert (lers_store_save_territory_sync (store, territory, NULL, &error));
  point = lers_store_get_measure_point_sync (store, point_id, NULL, &error);
  node = lers_store_get_node_sync (store, lers_measure_point_get_node_id (point), NULL, &error);
  lers_node_set_territory_id (node, lers_territory_get_id (territory));
  ck_assert (lers_store_save_node_sync (store, node, NULL, &error));
  lers_check_assert_no_error (error);

  lers_web_check_lersd_start ();
}

static void
web_teardown (void)
{
  lers_web_check_lersd_stop ();
  lers_check_store_teardown ();
}

#define SHOW(dom) (strstr (dom, "<main") ? strstr (dom, "<main") : dom)

START_TEST (test_archive_in_node_time)
{
  g_autofree gchar *fragment = g_strdup_printf ("#point=%" G_GINT64_FORMAT, point_id);
  g_autofree gchar *dom = lers_web_check_browse (fragment, "ru-RU", "Europe/Berlin");
  g_autoptr (GDateTime) hour = lers_check_this_hour ();
  /* the oldest seeded hour, this hour − 3 h, in Vladivostok: + 10 h, worked
   * out on the UTC fields, not by the page's code */
  g_autoptr (GDateTime) oldest = g_date_time_add_hours (hour, -3 + 10);
  g_autofree gchar *wall = g_date_time_format (oldest, "%Y-%m-%d %H:%M");
  g_autofree gchar *cell
      = g_strconcat ("<td>", wall, " <span class=\"unit\">+10:00</span></td>", NULL);
  const gchar *row;

  ck_assert_msg (strstr (dom, "Время (Asia/Vladivostok)") != NULL, "%.2000s", SHOW (dom));
  ck_assert_msg (strstr (dom, "(Asia/Vladivostok, UTC+10:00)") != NULL, "%.2000s", SHOW (dom));
  /* the first row: the wall-clock time there, its offset, and 73 °C */
  row = strstr (dom, cell);
  ck_assert_msg (row != NULL, "%s not in %.2000s", cell, SHOW (dom));
  ck_assert_msg (strstr (row, ">73<") != NULL, "%.2000s", SHOW (dom));
}
END_TEST

int
main (int argc, char **argv)
{
  Suite *s = suite_create ("web-localtime");
  TCase *tc = tcase_create ("web");

  lers_check_init (&argc, &argv);
  lers_web_check_require_chromium ();
  tcase_set_timeout (tc, 120);
  tcase_add_unchecked_fixture (tc, lers_check_cluster_setup, lers_check_cluster_teardown);
  tcase_add_checked_fixture (tc, web_setup, web_teardown);
  tcase_add_test (tc, test_archive_in_node_time);
  suite_add_tcase (s, tc);
  return lers_check_run_suite (s);
}
