/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include <libsoup/soup.h>

#include "lers-check-http.h"
#include "lersd-server.h"

static void
lers_check_http_result_cb (GObject *source, GAsyncResult *res, gpointer user_data)
{
  *(GAsyncResult **) user_data = g_object_ref (res);
}

gchar *
lers_check_http_get (const gchar *target, guint *status)
{
  g_autoptr (LersdServer) server = lersd_server_new (lers_check_get_store ());
  g_autoptr (SoupSession) session
      = soup_session_new_with_options ("proxy-resolver", NULL, "timeout", 30, NULL);
  g_autoptr (GError) error = NULL;
  g_autoptr (SoupMessage) msg = NULL;
  g_autoptr (GAsyncResult) res = NULL;
  g_autoptr (GBytes) body = NULL;
  g_autofree gchar *url = NULL;
  g_autofree gchar *token = lers_check_http_admin_token ();

  ck_assert_msg (lersd_server_listen (server, "127.0.0.1:0", &error), "%s", error->message);
  url = g_strdup_printf ("http://127.0.0.1:%u%s", lersd_server_get_port (server), target);
  lers_check_http_authorize (session, token);
  msg = soup_message_new ("GET", url);
  soup_session_send_and_read_async (session, msg, G_PRIORITY_DEFAULT, NULL,
                                    lers_check_http_result_cb, &res);
  while (res == NULL)
    g_main_context_iteration (NULL, TRUE);
  body = soup_session_send_and_read_finish (session, res, &error);
  lers_check_assert_no_error (error);
  *status = soup_message_get_status (msg);
  lersd_server_disconnect (server);
  while (g_main_context_iteration (NULL, FALSE))
    ;
  return g_strndup (g_bytes_get_data (body, NULL), g_bytes_get_size (body));
}

static gchar *
lers_check_http_user_token_on (LersStore *store, const gchar *login, LersUserRole role,
                               const gchar *password)
{
  g_autoptr (LersAccounts) accounts = lers_accounts_new (store);
  g_autoptr (GError) error = NULL;
  g_autoptr (LersUser) user = lers_accounts_find_user_sync (accounts, login, NULL, &error);
  gchar *token;

  if (user == NULL)
    {
      ck_assert_msg (g_error_matches (error, LERS_ERROR, LERS_ERROR_NOT_FOUND), "%s",
                     error->message);
      g_clear_error (&error);
      user = lers_accounts_add_user_sync (accounts, login, role, password, NULL, &error);
      lers_check_assert_no_error (error);
    }
  token = lers_accounts_create_session_sync (accounts, lers_user_get_id (user),
                                             LERS_SESSION_KIND_TOKEN, "lers-check", NULL, NULL,
                                             NULL, NULL, NULL, &error);
  lers_check_assert_no_error (error);
  return token;
}

gchar *
lers_check_http_user_token (const gchar *login, LersUserRole role, const gchar *password)
{
  return lers_check_http_user_token_on (lers_check_get_store (), login, role, password);
}

gchar *
lers_check_http_admin_token_on (LersStore *store)
{
  return lers_check_http_user_token_on (store, "lers-test-admin", LERS_USER_ROLE_ADMIN, NULL);
}

gchar *
lers_check_http_admin_token (void)
{
  return lers_check_http_admin_token_on (lers_check_get_store ());
}

static void
lers_check_http_request_queued_cb (SoupSession *session, SoupMessage *msg, gpointer user_data)
{
  SoupMessageHeaders *headers = soup_message_get_request_headers (msg);

  if (soup_message_headers_get_one (headers, "Authorization") == NULL)
    soup_message_headers_replace (headers, "Authorization", user_data);
}

void
lers_check_http_authorize (SoupSession *session, const gchar *token)
{
  g_signal_connect_data (session, "request-queued", G_CALLBACK (lers_check_http_request_queued_cb),
                         g_strconcat ("Bearer ", token, NULL), (GClosureNotify) g_free, 0);
}
