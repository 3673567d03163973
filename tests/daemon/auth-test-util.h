/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

/* What test-auth-api.c and test-users-api.c share: requests with headers of
 * our choosing (a cookie, a CSRF token, a bearer token or none) on a client
 * without the admin's token or a cookie jar, and the answer's headers.
 * Static functions: each test program includes this once, after
 * poll-test-util.h (whose in-process lersd it talks to). */

#include "poll-test-util.h"

typedef struct
{
  guint status;
  gchar *body;
  SoupMessageHeaders *headers;
} AuthResponse;

G_GNUC_UNUSED static void
auth_response_free (AuthResponse *r)
{
  g_free (r->body);
  g_clear_pointer (&r->headers, soup_message_headers_unref);
  g_free (r);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (AuthResponse, auth_response_free)

/* @method @target with @body (NULL: none) as JSON and the request headers
 * given as name, value pairs ending with NULL; a client of its own, so
 * nothing else is sent. */
G_GNUC_UNUSED static AuthResponse *
auth_request (const gchar *method, const gchar *target, const gchar *body, ...)
{
  g_autofree gchar *url = g_strdup_printf ("http://127.0.0.1:%u%s", pfx.port, target);
  g_autoptr (SoupSession) session
      = soup_session_new_with_options ("proxy-resolver", NULL, "timeout", 30, NULL);
  g_autoptr (SoupMessage) msg = soup_message_new (method, url);
  g_autoptr (GAsyncResult) res = NULL;
  g_autoptr (GError) error = NULL;
  g_autoptr (GBytes) bytes = NULL;
  AuthResponse *r = g_new0 (AuthResponse, 1);
  const gchar *name;
  va_list args;

  ck_assert_msg (msg != NULL, "libsoup cannot parse %s", url);
  va_start (args, body);
  while ((name = va_arg (args, const gchar *)) != NULL)
    {
      const gchar *value = va_arg (args, const gchar *);
      soup_message_headers_replace (soup_message_get_request_headers (msg), name, value);
    }
  va_end (args);
  if (body != NULL)
    {
      g_autoptr (GBytes) request = g_bytes_new (body, strlen (body));
      soup_message_set_request_body_from_bytes (msg, "application/json", request);
    }
  soup_session_send_and_read_async (session, msg, G_PRIORITY_DEFAULT, NULL, poll_result_cb, &res);
  while (res == NULL)
    g_main_context_iteration (NULL, TRUE);
  bytes = soup_session_send_and_read_finish (session, res, &error);
  lers_check_assert_no_error (error);
  r->status = soup_message_get_status (msg);
  r->headers = soup_message_headers_ref (soup_message_get_response_headers (msg));
  r->body = g_strndup (g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes));
  return r;
}

/* @method @target with @body as the holder of @bearer ("Bearer …") */
G_GNUC_UNUSED static AuthResponse *
auth_as (const gchar *bearer, const gchar *method, const gchar *target, const gchar *body)
{
  return auth_request (method, target, body, "Authorization", bearer, NULL);
}

G_GNUC_UNUSED static const gchar *
auth_header (AuthResponse *r, const gchar *name)
{
  return soup_message_headers_get_one (r->headers, name);
}

/* The answer's JSON object; fails the test unless it is one */
G_GNUC_UNUSED static JsonObject *
auth_object (AuthResponse *r, JsonNode **root)
{
  PollResponse pr = { .status = r->status, .body = r->body };

  *root = poll_response_json (&pr);
  ck_assert_msg (JSON_NODE_HOLDS_OBJECT (*root), "%s", r->body);
  return json_node_get_object (*root);
}

/* Fails unless @r is a JSON error with @status and @code */
G_GNUC_UNUSED static void
auth_assert_error (AuthResponse *r, guint status, const gchar *code)
{
  PollResponse pr = { .status = r->status, .body = r->body };
  poll_assert_error (&pr, status, code);
}

/* "Bearer @token", for auth_request() */
G_GNUC_UNUSED static gchar *
auth_bearer (const gchar *token)
{
  return g_strconcat ("Bearer ", token, NULL);
}

/* Logs @login in with @password as a browser; the cookie's secret (as
 * "lers_session=…", for a Cookie header) and the CSRF token. */
G_GNUC_UNUSED static void
auth_login_browser (const gchar *login, const gchar *password, gchar **cookie, gchar **csrf)
{
  g_autofree gchar *body
      = g_strdup_printf ("{\"login\": \"%s\", \"password\": \"%s\"}", login, password);
  g_autoptr (AuthResponse) r = auth_request ("POST", "/api/v1/auth/login", body, NULL);
  g_autoptr (JsonNode) root = NULL;
  JsonObject *o;
  const gchar *set_cookie = auth_header (r, "Set-Cookie");

  ck_assert_msg (r->status == 200, "%u %s", r->status, r->body);
  ck_assert_msg (set_cookie != NULL, "no Set-Cookie");
  o = auth_object (r, &root);
  *csrf = g_strdup (json_object_get_string_member (o, "csrf_token"));
  *cookie = g_strndup (set_cookie, strcspn (set_cookie, ";"));
}

/* lers_check_sql_value(), kept until auth_strings_clear() (the teardown) */
static GPtrArray *auth_strings;

G_GNUC_UNUSED static const gchar *
auth_sql (const gchar *sql)
{
  gchar *value = lers_check_sql_value (sql);

  if (auth_strings == NULL)
    auth_strings = g_ptr_array_new_with_free_func (g_free);
  g_ptr_array_add (auth_strings, value);
  return value;
}

G_GNUC_UNUSED static void
auth_strings_clear (void)
{
  g_clear_pointer (&auth_strings, g_ptr_array_unref);
}
