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
  g_autoptr (LersAccounts) accounts = NULL;
  g_autoptr (LersUser) user = NULL;

  port = free_port ();
  db = g_strconcat ("--db=", lers_check_get_uri (), NULL);
  listen = g_strdup_printf ("--listen=127.0.0.1:%u", port);
  lersd = lers_check_spawn (&error, exe, db, listen, "--role=api", NULL);
  ck_assert_msg (lersd != NULL, "%s", error ? error->message : "");
  for (gint i = 0; i < 100 && !server_answers (); i++)
    g_usleep (50000);
  ck_assert_msg (server_answers (), "lersd does not answer on port %u", port);

  /* the operator who signs in through the page's form */
  accounts = lers_accounts_new (lers_check_get_store ());
  user = lers_accounts_find_user_sync (accounts, LERS_WEB_CHECK_LOGIN, NULL, NULL);
  if (user == NULL)
    user = lers_accounts_add_user_sync (accounts, LERS_WEB_CHECK_LOGIN, LERS_USER_ROLE_OPERATOR,
                                        LERS_WEB_CHECK_PASSWORD, NULL, &error);
  ck_assert_msg (user != NULL, "%s", error ? error->message : "");
}

void
lers_web_check_lersd_stop (void)
{
  g_subprocess_send_signal (lersd, SIGTERM);
  g_subprocess_wait (lersd, NULL, NULL);
  g_clear_object (&lersd);
}

gchar *
lers_web_check_browse_as (const gchar *fragment, const gchar *lang, const gchar *tz,
                          const gchar *login, const gchar *password)
{
  g_autofree gchar *url = g_strdup_printf ("http://127.0.0.1:%u/?lang=%s%s", port, lang, fragment);
  g_autofree gchar *script
      = g_build_filename (g_getenv ("LERS_SOURCE_ROOT"), "tests", "web", "browse.py", NULL);
  const gchar *python = g_getenv ("LERS_PYTHON") != NULL ? g_getenv ("LERS_PYTHON") : "python3";
  const gchar *argv[] = { python, script, url, NULL };
  g_auto (GStrv) env = g_environ_setenv (g_get_environ (), "LANGUAGE", lang, TRUE);
  g_autoptr (GError) error = NULL;
  g_autofree gchar *err = NULL;
  gchar *out = NULL;
  gint status;

  env = g_environ_setenv (env, "LERS_CHROMIUM", chromium, TRUE);
  /* the credentials go through the environment, not the command line */
  if (login != NULL)
    {
      env = g_environ_setenv (env, "LERS_WEB_LOGIN", login, TRUE);
      env = g_environ_setenv (env, "LERS_WEB_PASSWORD", password, TRUE);
    }
  else
    {
      env = g_environ_unsetenv (env, "LERS_WEB_LOGIN");
      env = g_environ_unsetenv (env, "LERS_WEB_PASSWORD");
    }
  if (tz != NULL)
    env = g_environ_setenv (env, "TZ", tz, TRUE);
  ck_assert (g_spawn_sync (NULL, (gchar **) argv, env, G_SPAWN_DEFAULT, NULL, NULL, &out, &err,
                           &status, &error));
  ck_assert_msg (g_spawn_check_wait_status (status, NULL), "browsing %s failed: %s", url, err);
  if (out != NULL && strstr (out, "<script") != NULL)
    *strstr (out, "<script") = '\0';
  return out;
}

gchar *
lers_web_check_browse (const gchar *fragment, const gchar *lang, const gchar *tz)
{
  return lers_web_check_browse_as (fragment, lang, tz, LERS_WEB_CHECK_LOGIN,
                                   LERS_WEB_CHECK_PASSWORD);
}
