/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include <signal.h>
#include <string.h>

#include "lers-web-check.h"

static gchar *chromium;
static GSubprocess *lersd;
static guint16 port;
static gchar *token; /* an admin's API token, handed to the page in the fragment */

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

  {
    g_autoptr (LersAccounts) accounts = lers_accounts_new (lers_check_get_store ());
    g_autoptr (LersUser) admin = lers_accounts_add_user_sync (
        accounts, "lers-web-admin", LERS_USER_ROLE_ADMIN, NULL, NULL, &error);

    lers_check_assert_no_error (error);
    g_free (token);
    token = lers_accounts_create_session_sync (accounts, lers_user_get_id (admin),
                                               LERS_SESSION_KIND_TOKEN, "lers-web-check", NULL,
                                               NULL, NULL, NULL, NULL, &error);
    lers_check_assert_no_error (error);
  }
}

void
lers_web_check_forget_token (void)
{
  g_clear_pointer (&token, g_free);
}

void
lers_web_check_lersd_stop (void)
{
  g_clear_pointer (&token, g_free);
  g_subprocess_send_signal (lersd, SIGTERM);
  g_subprocess_wait (lersd, NULL, NULL);
  g_clear_object (&lersd);
}

gchar *
lers_web_check_browse (const gchar *fragment, const gchar *lang, const gchar *tz)
{
  g_autofree gchar *url = NULL;
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
  if (token == NULL)
    url = g_strdup_printf ("http://127.0.0.1:%u/?lang=%s%s", port, lang, fragment);
  else
    url = g_strdup_printf ("http://127.0.0.1:%u/?lang=%s%s%stoken=%s", port, lang, fragment,
                           fragment[0] == '\0' ? "#" : "&", token);
  argv[G_N_ELEMENTS (argv) - 2] = url;
  ck_assert (g_spawn_sync (NULL, (gchar **) argv, env, G_SPAWN_DEFAULT, NULL, NULL, &out, &err,
                           &status, &error));
  if (out != NULL && strstr (out, "<script") != NULL)
    *strstr (out, "<script") = '\0';
  g_spawn_command_line_sync (rm, NULL, NULL, NULL, NULL);
  ck_assert_msg (g_spawn_check_wait_status (status, NULL), "chromium failed: %s", err);
  return out;
}
