/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include <signal.h>
#include <string.h>

#include "lers-web-check.h"

static gchar *chromium;
static GSubprocess *lersd;
static guint16 port;

void
lers_web_check_require_chromium (void)
{
  chromium = lers_check_require_program (g_getenv ("LERS_CHROMIUM"));
}

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

void
lers_web_check_lersd_start (void)
{
  g_autoptr (GError) error = NULL;
  g_autofree gchar *exe = g_build_filename (g_getenv ("LERS_BUILD_ROOT"), "daemon", "lersd", NULL);
  g_autofree gchar *db = NULL;
  g_autofree gchar *listen = NULL;

  port = free_port ();
  db = g_strconcat ("--db=", lers_check_get_uri (), NULL);
  listen = g_strdup_printf ("--listen=127.0.0.1:%u", port);
  lersd = lers_check_spawn (&error, exe, db, listen, "--role=api", NULL);
  ck_assert_msg (lersd != NULL, "%s", error ? error->message : "");
  for (gint i = 0; i < 100 && !server_answers (); i++)
    g_usleep (50000);
  ck_assert_msg (server_answers (), "lersd does not answer on port %u", port);
}

void
lers_web_check_lersd_stop (void)
{
  g_subprocess_send_signal (lersd, SIGTERM);
  g_subprocess_wait (lersd, NULL, NULL);
  g_clear_object (&lersd);
}

gchar *
lers_web_check_browse (const gchar *fragment, const gchar *lang, const gchar *tz)
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
  gchar *out = NULL;
  gint status;

  if (tz != NULL)
    env = g_environ_setenv (env, "TZ", tz, TRUE);
  ck_assert (g_spawn_sync (NULL, (gchar **) argv, env, G_SPAWN_DEFAULT, NULL, NULL, &out, &err,
                           &status, &error));
  if (out != NULL && strstr (out, "<script") != NULL)
    *strstr (out, "<script") = '\0';
  g_spawn_command_line_sync (rm, NULL, NULL, NULL, NULL);
  ck_assert_msg (g_spawn_check_wait_status (status, NULL), "chromium failed: %s", err);
  return out;
}
