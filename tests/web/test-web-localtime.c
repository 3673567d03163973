/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The web page shows a node's archive in the node's local time: headless
 * Chromium loads it from lersd for a point in Vladivostok (UTC+10, no
 * summer time) while the browser and the server keep other zones, and the
 * DOM shows Vladivostok wall-clock times with their offset. */
#include <check.h>
#include <glib/gstdio.h>
#include <lers.h>
#include <stdlib.h>

#include "lers-check.h"

static gint64 point_id;
static gchar *chromium;
static GSubprocess *lersd;
static guint16 port;

static guint16
free_port (void)
{
  g_autoptr (GSocketListener) listener = g_socket_listener_new ();
  guint16 p = g_socket_listener_add_any_inet_port (listener, NULL, NULL);
  g_socket_listener_close (listener);
  return p;
}

static gboolean
server_answers (void)
{
  g_autoptr (GSocketClient) client = g_socket_client_new ();
  g_autoptr (GSocketConnection) c = NULL;

  g_socket_client_set_enable_proxy (client, FALSE);
  c = g_socket_client_connect_to_host (client, "127.0.0.1", port, NULL, NULL);
  return c != NULL;
}

static void
web_setup (void)
{
  g_autoptr (GError) error = NULL;
  g_autofree gchar *exe = g_build_filename (g_getenv ("LERS_BUILD_ROOT"), "daemon", "lersd", NULL);
  g_autofree gchar *db = NULL;
  g_autofree gchar *listen = NULL;
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

  port = free_port ();
  db = g_strconcat ("--db=", lers_check_get_uri (), NULL);
  listen = g_strdup_printf ("--listen=127.0.0.1:%u", port);
  lersd = lers_check_spawn (&error, exe, db, listen, "--role=api", NULL);
  ck_assert_msg (lersd != NULL, "%s", error ? error->message : "");
  for (gint i = 0; i < 100 && !server_answers (); i++)
    g_usleep (50000);
  ck_assert_msg (server_answers (), "lersd does not answer on port %u", port);
}

static void
web_teardown (void)
{
  g_subprocess_send_signal (lersd, SIGTERM);
  g_subprocess_wait (lersd, NULL, NULL);
  g_clear_object (&lersd);
  lers_check_store_teardown ();
}

/* the DOM after the page's script has run, in a browser keeping Berlin time */
static gchar *
browse (const gchar *fragment, const gchar *lang)
{
  g_autofree gchar *url = g_strdup_printf ("http://127.0.0.1:%u/?lang=%s%s", port, lang, fragment);
  g_autofree gchar *profile = g_dir_make_tmp ("lers-chromium-XXXXXX", NULL);
  g_autofree gchar *profile_arg = g_strconcat ("--user-data-dir=", profile, NULL);
  g_autofree gchar *lang_arg = g_strconcat ("--lang=", lang, NULL);
  const gchar *argv[] = { chromium,
                          "--headless",
                          "--no-sandbox",
                          "--disable-gpu",
                          "--disable-quic",
                          "--no-first-run",
                          "--disable-background-networking",
                          "--disable-component-update",
                          "--disable-sync",
                          profile_arg,
                          lang_arg,
                          "--virtual-time-budget=10000",
                          "--dump-dom",
                          url,
                          NULL };
  g_auto (GStrv) env = g_environ_setenv (g_get_environ (), "LANGUAGE", lang, TRUE);
  g_autoptr (GError) error = NULL;
  g_autofree gchar *err = NULL;
  g_autofree gchar *rm = g_strdup_printf ("rm -rf '%s'", profile);
  g_autofree gchar *out = NULL;
  gint status;

  env = g_environ_setenv (env, "TZ", "Europe/Berlin", TRUE);
  ck_assert (g_spawn_sync (NULL, (gchar **) argv, env, G_SPAWN_DEFAULT, NULL, NULL, &out, &err,
                           &status, &error));
  if (out != NULL && strstr (out, "<script") != NULL)
    *strstr (out, "<script") = '\0';
  g_spawn_command_line_sync (rm, NULL, NULL, NULL, NULL);
  ck_assert_msg (g_spawn_check_wait_status (status, NULL), "chromium failed: %s", err);
  return g_strdup (out);
}

#define SHOW(dom) (strstr (dom, "<main") ? strstr (dom, "<main") : dom)

START_TEST (test_archive_in_node_time)
{
  g_autofree gchar *fragment = g_strdup_printf ("#point=%" G_GINT64_FORMAT, point_id);
  g_autofree gchar *dom = browse (fragment, "ru-RU");
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
  chromium = lers_check_require_program (g_getenv ("LERS_CHROMIUM"));
  tcase_set_timeout (tc, 120);
  tcase_add_unchecked_fixture (tc, lers_check_cluster_setup, lers_check_cluster_teardown);
  tcase_add_checked_fixture (tc, web_setup, web_teardown);
  tcase_add_test (tc, test_archive_in_node_time);
  suite_add_tcase (s, tc);
  return lers_check_run_suite (s);
}
