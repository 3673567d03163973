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

  ck_assert_msg (lersd_server_listen (server, "127.0.0.1:0", &error), "%s", error->message);
  url = g_strdup_printf ("http://127.0.0.1:%u%s", lersd_server_get_port (server), target);
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
