/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The web page in a real browser: lersd serves a known archive from a
 * throwaway PostgreSQL, headless Chromium loads the page, runs its script,
 * and the DOM it leaves is what a person would read. */
#include <check.h>
#include <glib/gstdio.h>
#include <lers.h>
#include <stdlib.h>

#include "lers-check.h"

static gint64 point_id;
static GSubprocess *lersd;
static guint16 port;
static gchar *chromium;

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

  lers_check_store_setup ();
  point_id = lers_check_seed_archive ();
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

/* the DOM after the page's script has run, in the browser's @lang */
static gchar *
browse (const gchar *fragment, const gchar *lang)
{
  g_autofree gchar *url = g_strdup_printf ("http://127.0.0.1:%u/?lang=%s%s", port, lang, fragment);
  g_autofree gchar *profile = g_dir_make_tmp ("lers-chromium-XXXXXX", NULL);
  g_autofree gchar *profile_arg = g_strconcat ("--user-data-dir=", profile, NULL);
  g_autofree gchar *lang_arg = g_strconcat ("--lang=", lang, NULL);
  g_autofree gchar *accept_arg = g_strconcat ("--accept-lang=", lang, NULL);
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
  gchar *out = NULL;
  gint status;

  ck_assert (g_spawn_sync (NULL, (gchar **) argv, env, G_SPAWN_DEFAULT, NULL, NULL, &out, &err,
                           &status, &error));
  /* only what the page shows: the header and main, not the script's texts */
  if (out != NULL && strstr (out, "<script") != NULL)
    *strstr (out, "<script") = '\0';
  g_spawn_command_line_sync (rm, NULL, NULL, NULL, NULL);
  ck_assert_msg (g_spawn_check_wait_status (status, NULL), "chromium failed: %s", err);
  return out;
}

static guint
count (const gchar *haystack, const gchar *needle)
{
  guint n = 0;
  for (const gchar *p = strstr (haystack, needle); p != NULL; p = strstr (p + 1, needle))
    n++;
  return n;
}

START_TEST (test_points_page_in_russian)
{
  g_autofree gchar *dom = browse ("", "ru-RU");
  g_autofree gchar *link = g_strdup_printf ("href=\"#point=%" G_GINT64_FORMAT "\"", point_id);

  ck_assert_msg (strstr (dom, "Точки учёта") != NULL, "%.1500s",
                 strstr (dom, "<header") ? strstr (dom, "<header") : dom);
  ck_assert_msg (strstr (dom, "<td>Отопление</td>") != NULL, "%.1500s",
                 strstr (dom, "<header") ? strstr (dom, "<header") : dom);
  ck_assert_msg (strstr (dom, link) != NULL, "%.1500s",
                 strstr (dom, "<header") ? strstr (dom, "<header") : dom);
  /* the heading row and one point */
  ck_assert_uint_eq (count (dom, "<tr>"), 2);
}
END_TEST

START_TEST (test_archive_page_in_english)
{
  g_autofree gchar *fragment = g_strdup_printf ("#point=%" G_GINT64_FORMAT, point_id);
  g_autofree gchar *dom = browse (fragment, "en-US");

  ck_assert_msg (strstr (dom, "Отопление") != NULL, "%.1500s",
                 strstr (dom, "<header") ? strstr (dom, "<header") : dom);
  ck_assert_msg (strstr (dom, "T_in") != NULL, "%.1500s",
                 strstr (dom, "<header") ? strstr (dom, "<header") : dom);
  ck_assert_msg (strstr (dom, "°C") != NULL, "%.1500s",
                 strstr (dom, "<header") ? strstr (dom, "<header") : dom);
  ck_assert_msg (strstr (dom, "Gcal") != NULL, "%.1500s",
                 strstr (dom, "<header") ? strstr (dom, "<header") : dom);
  /* oldest first: 73 °C and 0.375 Gcal, the calculated value marked */
  ck_assert_msg (strstr (dom, ">73<") != NULL, "%.1500s",
                 strstr (dom, "<header") ? strstr (dom, "<header") : dom);
  ck_assert_msg (strstr (dom, "class=\"num calc\" title=\"calculated\">0.375<") != NULL, "%.1500s",
                 strstr (dom, "<header") ? strstr (dom, "<header") : dom);
  /* the heading row and three hours */
  ck_assert_uint_eq (count (dom, "<tr>"), 4);
}
END_TEST

START_TEST (test_archive_page_numbers_in_russian)
{
  g_autofree gchar *fragment = g_strdup_printf ("#point=%" G_GINT64_FORMAT, point_id);
  g_autofree gchar *dom = browse (fragment, "ru-RU");

  /* a decimal comma, as Russian readers write numbers */
  ck_assert_msg (strstr (dom, ">0,375<") != NULL, "%.1500s",
                 strstr (dom, "<header") ? strstr (dom, "<header") : dom);
  ck_assert_msg (strstr (dom, ">72<") != NULL, "%.1500s",
                 strstr (dom, "<header") ? strstr (dom, "<header") : dom);
}
END_TEST

int
main (int argc, char **argv)
{
  Suite *s = suite_create ("web");
  TCase *tc = tcase_create ("web");

  lers_check_init (&argc, &argv);
  chromium = lers_check_require_program (g_getenv ("LERS_CHROMIUM"));
  tcase_set_timeout (tc, 120);
  tcase_add_unchecked_fixture (tc, lers_check_cluster_setup, lers_check_cluster_teardown);
  tcase_add_checked_fixture (tc, web_setup, web_teardown);
  tcase_add_test (tc, test_points_page_in_russian);
  tcase_add_test (tc, test_archive_page_in_english);
  tcase_add_test (tc, test_archive_page_numbers_in_russian);
  suite_add_tcase (s, tc);
  return lers_check_run_suite (s);
}
