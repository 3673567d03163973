/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Login, logout, the caller and its API tokens (lersd_routes_auth).
 *
 * A browser logs in with POST /auth/login and gets the session cookie
 * (HttpOnly, SameSite=Strict, Secure over TLS) and the session's CSRF
 * token, which it sends as X-CSRF-Token with every change; a program asks
 * for {"token": true} instead and sends `Authorization: Bearer <token>`.
 */
#include "config.h"

#include <glib/gi18n-lib.h>

#include "accounts-common.h"

static void
lersd_auth_set_cookie (LersdRequest *req, LersdAccountsReply *reply, const gchar *secret)
{
  g_autofree gchar *cookie = NULL;
  gboolean secure = lersd_request_is_secure (req);

  if (secret != NULL)
    cookie = g_strdup_printf (LERSD_SESSION_COOKIE "=%s; Path=/; HttpOnly; SameSite=Strict%s",
                              secret, secure ? "; Secure" : "");
  else
    cookie = g_strdup_printf (LERSD_SESSION_COOKIE "=; Path=/; Max-Age=0; HttpOnly; "
                                                   "SameSite=Strict%s",
                              secure ? "; Secure" : "");
  lersd_accounts_reply_header (reply, "Set-Cookie", cookie);
}

static void
lersd_auth_add_user (JsonBuilder *b, LersUser *user)
{
  json_builder_set_member_name (b, "user");
  json_builder_add_value (b, lersd_accounts_object_to_json (G_OBJECT (user)));
}

/* The throttle's BUSY as 429 with Retry-After */
static gboolean
lersd_auth_reply_throttled (LersdAccountsReply *reply, guint retry_after, const GError *error)
{
  g_autofree gchar *seconds = g_strdup_printf ("%u", MAX (retry_after, 1));

  lersd_accounts_reply_header (reply, "Retry-After", seconds);
  lersd_accounts_reply_code (reply, 429 /* Too Many Requests */, "too-many-requests",
                             error->message);
  return TRUE;
}

/* POST /auth/login {"login", "password", "token"?, "title"?} */
static gboolean
lersd_auth_login (LersdRequest *req, JsonObject *body, LersdAccountsReply *reply,
                  GCancellable *cancellable, GError **error)
{
  LersAccounts *accounts = lersd_request_get_accounts (req);
  const gchar *address = lersd_request_get_address (req);
  const gchar *login, *password, *title;
  gboolean token = FALSE;
  guint retry_after = 0;
  g_autoptr (GError) local_error = NULL;
  g_autoptr (LersUser) user = NULL;
  g_autoptr (JsonBuilder) b = json_builder_new ();
  g_autofree gchar *secret = NULL;
  g_autofree gchar *csrf_token = NULL;
  gint64 session_id = 0;

  if (!lersd_accounts_get_string (body, "login", TRUE, &login, error)
      || !lersd_accounts_get_string (body, "password", TRUE, &password, error)
      || !lersd_accounts_get_bool (body, "token", &token, error)
      || !lersd_accounts_get_string (body, "title", FALSE, &title, error))
    return FALSE;

  user = lers_accounts_login_sync (accounts, login, password, address, &retry_after, cancellable,
                                   &local_error);
  if (user == NULL && g_error_matches (local_error, LERS_ERROR, LERS_ERROR_BUSY))
    return lersd_auth_reply_throttled (reply, retry_after, local_error);
  if (user == NULL && g_error_matches (local_error, LERS_ERROR, LERS_ERROR_PERMISSION_DENIED))
    {
      lersd_accounts_reply_code (reply, SOUP_STATUS_UNAUTHORIZED, "unauthorized",
                                 local_error->message);
      return TRUE;
    }
  if (user == NULL)
    {
      g_propagate_error (error, g_steal_pointer (&local_error));
      return FALSE;
    }

  secret = lers_accounts_create_session_sync (
      accounts, lers_user_get_id (user),
      token ? LERS_SESSION_KIND_TOKEN : LERS_SESSION_KIND_BROWSER,
      token ? (title != NULL ? title : "login") : NULL, NULL, address, &session_id,
      token ? NULL : &csrf_token, cancellable, error);
  if (secret == NULL)
    return FALSE;
  if (token)
    {
      g_autoptr (JsonBuilder) ab = json_builder_new ();
      g_autoptr (JsonNode) an = NULL;
      g_autofree gchar *after = NULL;

      json_builder_begin_object (ab);
      json_builder_set_member_name (ab, "id");
      json_builder_add_int_value (ab, session_id);
      json_builder_set_member_name (ab, "title");
      json_builder_add_string_value (ab, title != NULL ? title : "login");
      json_builder_end_object (ab);
      an = json_builder_get_root (ab);
      after = lersd_accounts_node_to_text (an);
      if (!lers_accounts_audit_sync (accounts, user, "token-create", "session", session_id, NULL,
                                     after, address, cancellable, error))
        return FALSE;
    }

  json_builder_begin_object (b);
  lersd_auth_add_user (b, user);
  if (token)
    {
      json_builder_set_member_name (b, "token");
      json_builder_add_string_value (b, secret);
    }
  else
    {
      json_builder_set_member_name (b, "csrf_token");
      json_builder_add_string_value (b, csrf_token);
      lersd_auth_set_cookie (req, reply, secret);
    }
  json_builder_end_object (b);
  reply->body = json_builder_get_root (b);
  return TRUE;
}

static void
lersd_route_auth_login (LersdRequest *req)
{
  lersd_accounts_run (req, TRUE, lersd_auth_login);
}

/* POST /auth/logout: ends the browser session the request came with. With
 * an API token it ends nothing (a program revokes a token with DELETE
 * /auth/tokens/{id}, so a stray logout cannot lock it out). */
static gboolean
lersd_auth_logout (LersdRequest *req, JsonObject *body, LersdAccountsReply *reply,
                   GCancellable *cancellable, GError **error)
{
  gint64 session_id = 0;
  LersSessionKind kind = LERS_SESSION_KIND_BROWSER;

  if (!lersd_request_get_session (req, &session_id, &kind, NULL))
    {
      g_set_error_literal (error, LERS_ERROR, LERS_ERROR_PERMISSION_DENIED,
                           _ ("There is no session to end"));
      return FALSE;
    }
  reply->status = SOUP_STATUS_NO_CONTENT;
  if (kind != LERS_SESSION_KIND_BROWSER)
    return TRUE;
  if (!lers_accounts_end_session_sync (lersd_request_get_accounts (req), session_id, cancellable,
                                       error))
    return FALSE;
  if (!lersd_request_audit (req, "logout", "session", session_id, NULL, NULL, cancellable, error))
    return FALSE;
  lersd_auth_set_cookie (req, reply, NULL);
  return TRUE;
}

static void
lersd_route_auth_logout (LersdRequest *req)
{
  lersd_accounts_run (req, FALSE, lersd_auth_logout);
}

/* GET /auth/me: {"user", "scopes", "session", "csrf_token"?} */
static gboolean
lersd_auth_me (LersdRequest *req, JsonObject *body, LersdAccountsReply *reply,
               GCancellable *cancellable, GError **error)
{
  LersUser *user = lersd_request_get_user (req);
  g_autoptr (JsonBuilder) b = json_builder_new ();
  JsonNode *scopes;
  LersSessionKind kind = LERS_SESSION_KIND_BROWSER;
  const gchar *csrf_token = NULL;

  scopes = lersd_accounts_scopes_to_json (lersd_request_get_accounts (req), lers_user_get_id (user),
                                          cancellable, error);
  if (scopes == NULL)
    return FALSE;
  lersd_request_get_session (req, NULL, &kind, &csrf_token);
  json_builder_begin_object (b);
  lersd_auth_add_user (b, user);
  json_builder_set_member_name (b, "scopes");
  json_builder_add_value (b, scopes);
  json_builder_set_member_name (b, "session");
  json_builder_add_string_value (b, kind == LERS_SESSION_KIND_TOKEN ? "token" : "browser");
  if (kind == LERS_SESSION_KIND_BROWSER && csrf_token != NULL)
    {
      json_builder_set_member_name (b, "csrf_token");
      json_builder_add_string_value (b, csrf_token);
    }
  json_builder_end_object (b);
  reply->body = json_builder_get_root (b);
  return TRUE;
}

static void
lersd_route_auth_me (LersdRequest *req)
{
  lersd_accounts_run (req, FALSE, lersd_auth_me);
}

/* GET /auth/session (public): /auth/me for a logged-in caller, else
 * {"user": null} with 200 — the web application asks it on load, and a
 * visitor who is not logged in is no error. */
static void
lersd_route_auth_session (LersdRequest *req)
{
  g_autoptr (JsonBuilder) b = NULL;
  g_autoptr (JsonNode) root = NULL;

  if (lersd_request_get_user (req) != NULL)
    {
      lersd_accounts_run (req, FALSE, lersd_auth_me);
      return;
    }
  b = json_builder_new ();
  json_builder_begin_object (b);
  json_builder_set_member_name (b, "user");
  json_builder_add_null_value (b);
  json_builder_end_object (b);
  root = json_builder_get_root (b);
  lersd_request_reply_json (req, SOUP_STATUS_OK, root);
}

/* POST /auth/password {"old", "new"}: the old password is checked as a
 * login is (with its throttle), the new one set; the browser's sessions
 * end, so a browser gets a new cookie and CSRF token with the answer. */
static gboolean
lersd_auth_password (LersdRequest *req, JsonObject *body, LersdAccountsReply *reply,
                     GCancellable *cancellable, GError **error)
{
  LersAccounts *accounts = lersd_request_get_accounts (req);
  LersUser *user = lersd_request_get_user (req);
  const gchar *old_password, *new_password;
  g_autoptr (LersUser) checked = NULL;
  g_autoptr (GError) local_error = NULL;
  guint retry_after = 0;
  LersSessionKind kind = LERS_SESSION_KIND_BROWSER;
  g_autoptr (JsonBuilder) b = json_builder_new ();

  if (!lersd_accounts_get_string (body, "old", TRUE, &old_password, error)
      || !lersd_accounts_get_string (body, "new", TRUE, &new_password, error))
    return FALSE;
  checked = lers_accounts_login_sync (accounts, lers_user_get_login (user), old_password,
                                      lersd_request_get_address (req), &retry_after, cancellable,
                                      &local_error);
  if (checked == NULL)
    {
      if (g_error_matches (local_error, LERS_ERROR, LERS_ERROR_BUSY))
        return lersd_auth_reply_throttled (reply, retry_after, local_error);
      if (g_error_matches (local_error, LERS_ERROR, LERS_ERROR_PERMISSION_DENIED))
        g_set_error_literal (error, LERS_ERROR, LERS_ERROR_PERMISSION_DENIED,
                             _ ("The old password is wrong"));
      else
        g_propagate_error (error, g_steal_pointer (&local_error));
      return FALSE;
    }
  if (!lers_accounts_set_password_sync (accounts, lers_user_get_id (user), new_password,
                                        cancellable, error))
    return FALSE;
  if (!lersd_request_audit (req, "password", "user", lers_user_get_id (user), NULL, NULL,
                            cancellable, error))
    return FALSE;

  json_builder_begin_object (b);
  lersd_auth_add_user (b, user);
  lersd_request_get_session (req, NULL, &kind, NULL);
  if (kind == LERS_SESSION_KIND_BROWSER)
    {
      g_autofree gchar *csrf_token = NULL;
      g_autofree gchar *secret = lers_accounts_create_session_sync (
          accounts, lers_user_get_id (user), LERS_SESSION_KIND_BROWSER, NULL, NULL,
          lersd_request_get_address (req), NULL, &csrf_token, cancellable, error);

      if (secret == NULL)
        return FALSE;
      lersd_auth_set_cookie (req, reply, secret);
      json_builder_set_member_name (b, "csrf_token");
      json_builder_add_string_value (b, csrf_token);
    }
  json_builder_end_object (b);
  reply->body = json_builder_get_root (b);
  return TRUE;
}

static void
lersd_route_auth_password (LersdRequest *req)
{
  lersd_accounts_run (req, TRUE, lersd_auth_password);
}

/* The caller's tokens as JSON objects: id, title, created, last_used,
 * expires (times ISO 8601, null if never) */
static JsonNode *
lersd_auth_tokens_to_json (LersAccounts *accounts, gint64 user_id, gint64 only_id,
                           GCancellable *cancellable, GError **error)
{
  g_autoptr (GVariant) tokens
      = lers_accounts_list_tokens_sync (accounts, user_id, cancellable, error);
  g_autoptr (JsonBuilder) b = NULL;
  GVariantIter iter;
  GVariant *token;
  static const struct
  {
    const gchar *key;
    const gchar *member;
  } times[] = { { "created", "created" }, { "last-used", "last_used" }, { "expires", "expires" } };

  if (tokens == NULL)
    return NULL;
  b = json_builder_new ();
  json_builder_begin_array (b);
  g_variant_iter_init (&iter, tokens);
  while ((token = g_variant_iter_next_value (&iter)) != NULL)
    {
      g_autoptr (GVariant) owned = token;
      gint64 id = 0;
      const gchar *title = NULL;

      g_variant_lookup (token, "id", "x", &id);
      if (only_id != 0 && id != only_id)
        continue;
      g_variant_lookup (token, "title", "&s", &title);
      json_builder_begin_object (b);
      json_builder_set_member_name (b, "id");
      json_builder_add_int_value (b, id);
      json_builder_set_member_name (b, "title");
      if (title != NULL)
        json_builder_add_string_value (b, title);
      else
        json_builder_add_null_value (b);
      for (gsize i = 0; i < G_N_ELEMENTS (times); i++)
        {
          gint64 unix_time = 0;
          g_autoptr (GDateTime) dt = NULL;
          g_autofree gchar *text = NULL;

          g_variant_lookup (token, times[i].key, "x", &unix_time);
          dt = unix_time != 0 ? g_date_time_new_from_unix_utc (unix_time) : NULL;
          text = dt != NULL ? lers_time_format (dt, NULL) : NULL;
          json_builder_set_member_name (b, times[i].member);
          if (text != NULL)
            json_builder_add_string_value (b, text);
          else
            json_builder_add_null_value (b);
        }
      json_builder_end_object (b);
    }
  json_builder_end_array (b);
  return json_builder_get_root (b);
}

/* GET /auth/tokens: {"items": [...], "next": null} */
static gboolean
lersd_auth_tokens_list (LersdRequest *req, JsonObject *body, LersdAccountsReply *reply,
                        GCancellable *cancellable, GError **error)
{
  JsonNode *items = lersd_auth_tokens_to_json (lersd_request_get_accounts (req),
                                               lers_user_get_id (lersd_request_get_user (req)), 0,
                                               cancellable, error);
  g_autoptr (JsonBuilder) b = json_builder_new ();

  if (items == NULL)
    return FALSE;
  json_builder_begin_object (b);
  json_builder_set_member_name (b, "items");
  json_builder_add_value (b, items);
  json_builder_set_member_name (b, "next");
  json_builder_add_null_value (b);
  json_builder_end_object (b);
  reply->body = json_builder_get_root (b);
  return TRUE;
}

static void
lersd_route_auth_tokens_list (LersdRequest *req)
{
  lersd_accounts_run (req, FALSE, lersd_auth_tokens_list);
}

/* POST /auth/tokens {"title"?, "expires"?} → 201 {"id", "title", "created",
 * …, "token"} */
static gboolean
lersd_auth_tokens_create (LersdRequest *req, JsonObject *body, LersdAccountsReply *reply,
                          GCancellable *cancellable, GError **error)
{
  LersAccounts *accounts = lersd_request_get_accounts (req);
  gint64 user_id = lers_user_get_id (lersd_request_get_user (req));
  const gchar *title = NULL, *expires_text = NULL;
  g_autoptr (GDateTime) expires = NULL;
  g_autofree gchar *secret = NULL;
  g_autofree gchar *after = NULL;
  g_autoptr (JsonNode) items = NULL;
  gint64 session_id = 0;
  JsonObject *token;

  if (!lersd_accounts_get_string (body, "title", FALSE, &title, error)
      || !lersd_accounts_get_string (body, "expires", FALSE, &expires_text, error))
    return FALSE;
  if (expires_text != NULL)
    {
      expires = g_date_time_new_from_iso8601 (expires_text, NULL);
      if (expires == NULL)
        {
          g_set_error (error, LERS_ERROR, LERS_ERROR_INVALID_ARGUMENT,
                       _ ("\"expires\" must be a time in ISO 8601 with its offset, such as "
                          "2027-01-31T00:00:00+03:00, not \"%s\""),
                       expires_text);
          return FALSE;
        }
    }
  secret = lers_accounts_create_session_sync (accounts, user_id, LERS_SESSION_KIND_TOKEN, title,
                                              expires, lersd_request_get_address (req), &session_id,
                                              NULL, cancellable, error);
  if (secret == NULL)
    return FALSE;
  items = lersd_auth_tokens_to_json (accounts, user_id, session_id, cancellable, error);
  if (items == NULL)
    return FALSE;
  if (json_array_get_length (json_node_get_array (items)) != 1)
    {
      g_set_error_literal (error, LERS_ERROR, LERS_ERROR_DATABASE,
                           "the new token is not in the list of tokens");
      return FALSE;
    }
  token = json_array_get_object_element (json_node_get_array (items), 0);
  {
    g_autoptr (JsonNode) node = json_node_alloc ();
    json_node_init_object (node, token);
    after = lersd_accounts_node_to_text (node);
  }
  if (!lersd_request_audit (req, "token-create", "session", session_id, NULL, after, cancellable,
                            error))
    return FALSE;
  json_object_set_string_member (token, "token", secret);
  reply->status = SOUP_STATUS_CREATED;
  reply->body = json_node_alloc ();
  json_node_init_object (reply->body, token);
  return TRUE;
}

static void
lersd_route_auth_tokens_create (LersdRequest *req)
{
  lersd_accounts_run (req, TRUE, lersd_auth_tokens_create);
}

/* DELETE /auth/tokens/{id}: one of the caller's own */
static gboolean
lersd_auth_tokens_delete (LersdRequest *req, JsonObject *body, LersdAccountsReply *reply,
                          GCancellable *cancellable, GError **error)
{
  gchar id_text[24];
  LersAccounts *accounts = lersd_request_get_accounts (req);
  gint64 user_id = lers_user_get_id (lersd_request_get_user (req));
  g_autoptr (JsonNode) items = NULL;
  g_autofree gchar *before = NULL;
  gint64 id = 0;

  if (!lersd_accounts_segment_id (req, 2, &id, error))
    return FALSE;
  items = lersd_auth_tokens_to_json (accounts, user_id, id, cancellable, error);
  if (items == NULL)
    return FALSE;
  if (json_array_get_length (json_node_get_array (items)) != 1)
    {
      g_set_error (error, LERS_ERROR, LERS_ERROR_NOT_FOUND, _ ("You have no API token with id %s"),
                   lersd_auth_id_text (id, id_text));
      return FALSE;
    }
  {
    g_autoptr (JsonNode) node = json_node_alloc ();
    json_node_init_object (node, json_array_get_object_element (json_node_get_array (items), 0));
    before = lersd_accounts_node_to_text (node);
  }
  if (!lers_accounts_end_session_sync (accounts, id, cancellable, error))
    return FALSE;
  if (!lersd_request_audit (req, "token-revoke", "session", id, before, NULL, cancellable, error))
    return FALSE;
  reply->status = SOUP_STATUS_NO_CONTENT;
  return TRUE;
}

static void
lersd_route_auth_tokens_delete (LersdRequest *req)
{
  lersd_accounts_run (req, FALSE, lersd_auth_tokens_delete);
}

const LersdRoute lersd_routes_auth[] = {
  { "POST", "auth/login", LERSD_ACCESS_PUBLIC, lersd_route_auth_login },
  { "POST", "auth/logout", LERSD_ACCESS_READ, lersd_route_auth_logout },
  { "GET", "auth/me", LERSD_ACCESS_READ, lersd_route_auth_me },
  { "GET", "auth/session", LERSD_ACCESS_PUBLIC, lersd_route_auth_session },
  { "POST", "auth/password", LERSD_ACCESS_READ, lersd_route_auth_password },
  { "GET", "auth/tokens", LERSD_ACCESS_READ, lersd_route_auth_tokens_list },
  { "POST", "auth/tokens", LERSD_ACCESS_READ, lersd_route_auth_tokens_create },
  { "DELETE", "auth/tokens/*", LERSD_ACCESS_READ, lersd_route_auth_tokens_delete },
  { NULL },
};
