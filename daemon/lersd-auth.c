/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Who is calling and whether they may (see lersd-auth.h).
 *
 * Every matched route comes through lersd_auth_dispatch(). The caller's
 * secret (a bearer token or the session cookie) is looked up on a worker
 * thread by LersAccounts, one database round trip a request (the session's
 * row is read by the UNIQUE index of its hash; no cache: a disabled user
 * or an ended session stops working at the very next request). The route
 * then runs on the main thread, as it would without accounts.
 */
#include "config.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "lersd-auth.h"

/* What the authentication found, kept on the request's user object (each
 * request authenticates into a LersUser of its own). */
#define LERSD_AUTH_SESSION_ID "lersd-auth-session-id"
#define LERSD_AUTH_SESSION_KIND "lersd-auth-session-kind"
#define LERSD_AUTH_CSRF_TOKEN "lersd-auth-csrf-token"
#define LERSD_AUTH_VISIBLE "lersd-auth-visible"

typedef struct
{
  GArray *nodes; /* NULL: every node */
} LersdVisible;

static void
lersd_visible_free (LersdVisible *visible)
{
  g_clear_pointer (&visible->nodes, g_array_unref);
  g_free (visible);
}

/* ---------------------------------------------------------------------------
 * Credentials
 * ------------------------------------------------------------------------- */

gchar *
lersd_auth_get_cookie (LersdRequest *req, const gchar *name)
{
  const gchar *header = lersd_request_get_header (req, "Cookie");
  g_auto (GStrv) pairs = NULL;
  gsize name_len = strlen (name);

  if (header == NULL)
    return NULL;
  pairs = g_strsplit_set (header, ";,", -1);
  for (guint i = 0; pairs[i] != NULL; i++)
    {
      const gchar *pair = pairs[i];

      while (*pair == ' ' || *pair == '\t')
        pair++;
      if (strncmp (pair, name, name_len) == 0 && pair[name_len] == '=')
        {
          g_autofree gchar *value = g_strstrip (g_strdup (pair + name_len + 1));
          if (value[0] == '"' && strlen (value) >= 2 && value[strlen (value) - 1] == '"')
            return g_strndup (value + 1, strlen (value) - 2);
          return g_steal_pointer (&value);
        }
    }
  return NULL;
}

/* The secret the request carries and its kind, or NULL. A bearer token
 * wins over a cookie. */
static gchar *
lersd_auth_get_secret (LersdRequest *req, LersSessionKind *kind)
{
  const gchar *authorization = lersd_request_get_header (req, "Authorization");

  if (authorization != NULL && g_ascii_strncasecmp (authorization, "Bearer ", 7) == 0)
    {
      g_autofree gchar *secret = g_strstrip (g_strdup (authorization + 7));
      if (secret[0] != '\0')
        {
          *kind = LERS_SESSION_KIND_TOKEN;
          return g_steal_pointer (&secret);
        }
    }
  *kind = LERS_SESSION_KIND_BROWSER;
  return lersd_auth_get_cookie (req, LERSD_SESSION_COOKIE);
}

/* Compares two texts in a time that does not depend on where they differ */
static gboolean
lersd_auth_equal_secret (const gchar *a, const gchar *b)
{
  gsize len_a, len_b;
  guint diff = 0;

  if (a == NULL || b == NULL)
    return FALSE;
  len_a = strlen (a);
  len_b = strlen (b);
  diff = len_a != len_b;
  for (gsize i = 0; i < len_a; i++)
    diff |= (guchar) a[i] ^ (guchar) (len_b > 0 ? b[i % len_b] : 0);
  return diff == 0;
}

static gboolean
lersd_auth_role_may (LersUserRole role, LersdAccess access)
{
  switch (access)
    {
    case LERSD_ACCESS_PUBLIC:
    case LERSD_ACCESS_READ:
      return TRUE;
    case LERSD_ACCESS_STAFF:
      return role == LERS_USER_ROLE_ADMIN || role == LERS_USER_ROLE_OPERATOR
             || role == LERS_USER_ROLE_VIEWER;
    case LERSD_ACCESS_OPERATE:
      return role == LERS_USER_ROLE_ADMIN || role == LERS_USER_ROLE_OPERATOR;
    case LERSD_ACCESS_ADMIN:
    default:
      return role == LERS_USER_ROLE_ADMIN;
    }
}

static void
lersd_auth_reply_unauthorized (LersdRequest *req, const gchar *message)
{
  lersd_request_set_response_header (req, "WWW-Authenticate", "Bearer realm=\"lers\"");
  lersd_request_reply_error_literal (req, SOUP_STATUS_UNAUTHORIZED, "unauthorized", message);
}

/* ---------------------------------------------------------------------------
 * Dispatch
 * ------------------------------------------------------------------------- */

typedef struct
{
  LersdRequest *req;
  const LersdRoute *route;
  gchar *secret;
  LersSessionKind kind;
  LersUser *user;
  gint64 session_id;
  gchar *csrf_token;
  GError *error; /* why the credentials were refused */
} LersdAuthCall;

static void
lersd_auth_call_free (LersdAuthCall *call)
{
  g_clear_pointer (&call->req, lersd_request_unref);
  if (call->secret != NULL)
    memset (call->secret, 0, strlen (call->secret));
  g_free (call->secret);
  g_clear_object (&call->user);
  g_free (call->csrf_token);
  g_clear_error (&call->error);
  g_free (call);
}

static void
lersd_auth_call_run (GTask *task, gpointer source, gpointer task_data, GCancellable *cancellable)
{
  LersdAuthCall *call = task_data;
  LersAccounts *accounts = lersd_request_get_accounts (call->req);
  GError *error = NULL;

  call->user
      = lers_accounts_authenticate_sync (accounts, call->secret, call->kind, &call->session_id,
                                         &call->csrf_token, cancellable, &error);
  if (call->user == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_boolean (task, TRUE);
}

static void
lersd_auth_set_user (LersdRequest *req, LersdAuthCall *call)
{
  g_object_set_data_full (G_OBJECT (call->user), LERSD_AUTH_SESSION_ID,
                          g_memdup2 (&call->session_id, sizeof call->session_id), g_free);
  g_object_set_data (G_OBJECT (call->user), LERSD_AUTH_SESSION_KIND,
                     GINT_TO_POINTER (call->kind + 1));
  g_object_set_data_full (G_OBJECT (call->user), LERSD_AUTH_CSRF_TOKEN,
                          g_steal_pointer (&call->csrf_token), g_free);
  lersd_request_set_user (req, call->user);
}

/* Runs in the request's language (and the user's, once set). */
static void
lersd_auth_finish (LersdRequest *req, gpointer user_data)
{
  LersdAuthCall *call = user_data;
  const LersdRoute *route = call->route;
  const GError *error = call->error;
  const gchar *method = lersd_request_get_method (req);
  gboolean safe = g_str_equal (method, "GET") || g_str_equal (method, "HEAD");

  if (error != NULL)
    {
      if (route->access == LERSD_ACCESS_PUBLIC
          && g_error_matches (error, LERS_ERROR, LERS_ERROR_PERMISSION_DENIED))
        route->func (req); /* a stale cookie does not stop a login */
      else if (g_error_matches (error, LERS_ERROR, LERS_ERROR_PERMISSION_DENIED))
        lersd_auth_reply_unauthorized (req,
                                       _ ("The session or API token is unknown or has expired; "
                                          "log in again"));
      else
        lersd_request_reply_error (req, error);
      lersd_auth_call_free (call);
      return;
    }

  /* A browser sends its cookie with any request a page of another site
   * makes it send; only our page knows the CSRF token. */
  if (call->kind == LERS_SESSION_KIND_BROWSER && !safe)
    {
      const gchar *sent = lersd_request_get_header (req, "X-CSRF-Token");

      if (!lersd_auth_equal_secret (sent, call->csrf_token))
        {
          if (route->access == LERSD_ACCESS_PUBLIC)
            route->func (req); /* as if it came without the cookie */
          else
            lersd_request_reply_error_literal (
                req, SOUP_STATUS_FORBIDDEN, "forbidden",
                sent == NULL ? _ ("The X-CSRF-Token header is missing: a change made with the "
                                  "session cookie must carry the session's CSRF token")
                             : _ ("The X-CSRF-Token header is wrong: it must be the session's "
                                  "CSRF token"));
          lersd_auth_call_free (call);
          return;
        }
    }

  lersd_auth_set_user (req, call);
  if (!lersd_auth_role_may (lers_user_get_role (call->user), route->access))
    {
      GEnumClass *roles = g_type_class_ref (LERS_TYPE_USER_ROLE);
      GEnumValue *role = g_enum_get_value (roles, lers_user_get_role (call->user));
      /* TRANSLATORS: %s is a role: admin, operator, viewer or subscriber */
      g_autofree gchar *message = g_strdup_printf (_ ("A user with the role %s may not do this"),
                                                   role != NULL ? role->value_nick : "?");

      g_type_class_unref (roles);
      lersd_request_reply_error_literal (req, SOUP_STATUS_FORBIDDEN, "forbidden", message);
      lersd_auth_call_free (call);
      return;
    }
  route->func (req);
  lersd_auth_call_free (call);
}

static void
lersd_auth_call_done (GObject *source, GAsyncResult *res, gpointer user_data)
{
  LersdAuthCall *call = user_data;
  /* held until the language scope ends; lersd_auth_finish() frees @call */
  g_autoptr (LersdRequest) req = lersd_request_ref (call->req);

  g_task_propagate_boolean (G_TASK (res), &call->error);
  lersd_request_call_data (req, lersd_auth_finish, call);
}

void
lersd_auth_dispatch (LersdRequest *req, const LersdRoute *route)
{
  g_autoptr (GTask) task = NULL;
  LersdAuthCall *call;
  LersSessionKind kind;
  g_autofree gchar *secret = lersd_auth_get_secret (req, &kind);

  if (secret == NULL && route->access == LERSD_ACCESS_PUBLIC)
    {
      route->func (req);
      return;
    }
  if (secret == NULL)
    {
      lersd_auth_reply_unauthorized (
          req, _ ("Log in first: send an API token as \"Authorization: Bearer <token>\" or the "
                  "session cookie"));
      return;
    }
  if (lersd_request_get_accounts (req) == NULL)
    {
      lersd_auth_reply_unauthorized (req, _ ("This server has no accounts"));
      return;
    }

  call = g_new0 (LersdAuthCall, 1);
  call->req = lersd_request_ref (req);
  call->route = route;
  call->secret = g_steal_pointer (&secret);
  call->kind = kind;
  /* paused until the route answers: lersd_request_pause() of a route that
   * runs in a thread keeps it paused */
  lersd_request_pause (req);
  task = g_task_new (NULL, lersd_request_get_cancellable (req), lersd_auth_call_done, call);
  g_task_set_source_tag (task, lersd_auth_dispatch);
  g_task_set_task_data (task, call, NULL);
  g_task_set_check_cancellable (task, FALSE);
  g_task_set_return_on_cancel (task, FALSE);
  g_task_run_in_thread (task, lersd_auth_call_run);
}

/* ---------------------------------------------------------------------------
 * The caller's session
 * ------------------------------------------------------------------------- */

gboolean
lersd_request_get_session (LersdRequest *req, gint64 *session_id, LersSessionKind *kind,
                           const gchar **csrf_token)
{
  LersUser *user = lersd_request_get_user (req);
  gint64 *id;

  if (user == NULL)
    return FALSE;
  id = g_object_get_data (G_OBJECT (user), LERSD_AUTH_SESSION_ID);
  if (id == NULL)
    return FALSE;
  if (session_id != NULL)
    *session_id = *id;
  if (kind != NULL)
    *kind = GPOINTER_TO_INT (g_object_get_data (G_OBJECT (user), LERSD_AUTH_SESSION_KIND)) - 1;
  if (csrf_token != NULL)
    *csrf_token = g_object_get_data (G_OBJECT (user), LERSD_AUTH_CSRF_TOKEN);
  return TRUE;
}

const gchar *
lersd_auth_id_text (gint64 id, gchar *buf)
{
  g_snprintf (buf, 24, "%" G_GINT64_FORMAT, id);
  return buf;
}

gboolean
lersd_request_is_secure (LersdRequest *req)
{
  LersdServer *server = lersd_request_get_server (req);
  g_autofree gchar *url = server != NULL ? lersd_server_get_url (server) : NULL;

  /* X-Forwarded-Proto is not trusted: only the server's own TLS counts */
  return url != NULL && g_str_has_prefix (url, "https:");
}

/* ---------------------------------------------------------------------------
 * Visibility and audit
 * ------------------------------------------------------------------------- */

GArray *
lersd_request_get_visible_nodes (LersdRequest *req, gboolean *all, GCancellable *cancellable,
                                 GError **error)
{
  LersUser *user = lersd_request_get_user (req);
  LersdVisible *visible;

  *all = FALSE;
  if (user == NULL)
    {
      /* a public route without a caller sees no node */
      return g_array_new (FALSE, FALSE, sizeof (gint64));
    }
  visible = g_object_get_data (G_OBJECT (user), LERSD_AUTH_VISIBLE);
  if (visible == NULL)
    {
      g_autoptr (GError) local_error = NULL;
      gboolean every = FALSE;
      GArray *nodes = lers_accounts_get_visible_nodes_sync (lersd_request_get_accounts (req), user,
                                                            &every, cancellable, &local_error);

      if (nodes == NULL && !every)
        {
          g_propagate_error (error, g_steal_pointer (&local_error));
          return NULL;
        }
      visible = g_new0 (LersdVisible, 1);
      visible->nodes = every ? NULL : nodes;
      if (every && nodes != NULL)
        g_array_unref (nodes);
      g_object_set_data_full (G_OBJECT (user), LERSD_AUTH_VISIBLE, visible,
                              (GDestroyNotify) lersd_visible_free);
    }
  if (visible->nodes == NULL)
    {
      *all = TRUE;
      return NULL;
    }
  return g_array_ref (visible->nodes);
}

gboolean
lersd_request_check_node (LersdRequest *req, gint64 node_id, GCancellable *cancellable,
                          GError **error)
{
  gchar id_text[24];
  g_autoptr (GArray) nodes = NULL;
  gboolean all = FALSE;
  g_autoptr (GError) local_error = NULL;

  nodes = lersd_request_get_visible_nodes (req, &all, cancellable, &local_error);
  if (local_error != NULL)
    {
      g_propagate_error (error, g_steal_pointer (&local_error));
      return FALSE;
    }
  if (all)
    return TRUE;
  for (guint i = 0; nodes != NULL && i < nodes->len; i++)
    if (g_array_index (nodes, gint64, i) == node_id)
      return TRUE;
  g_set_error (error, LERS_ERROR, LERS_ERROR_NOT_FOUND, _ ("There is no node with id %s"),
               lersd_auth_id_text (node_id, id_text));
  return FALSE;
}

gboolean
lersd_request_check_unscoped (LersdRequest *req, GCancellable *cancellable, GError **error)
{
  g_autoptr (GArray) nodes = NULL;
  g_autoptr (GError) local_error = NULL;
  gboolean all = FALSE;

  nodes = lersd_request_get_visible_nodes (req, &all, cancellable, &local_error);
  if (local_error != NULL)
    {
      g_propagate_error (error, g_steal_pointer (&local_error));
      return FALSE;
    }
  if (all)
    return TRUE;
  g_set_error_literal (error, LERS_ERROR, LERS_ERROR_PERMISSION_DENIED,
                       _ ("This needs a user who sees every node; yours sees only the nodes "
                          "assigned to it"));
  return FALSE;
}

gboolean
lersd_request_audit (LersdRequest *req, const gchar *action, const gchar *entity, gint64 entity_id,
                     const gchar *before, const gchar *after, GCancellable *cancellable,
                     GError **error)
{
  return lers_accounts_audit_sync (lersd_request_get_accounts (req), lersd_request_get_user (req),
                                   action, entity, entity_id, before, after,
                                   lersd_request_get_address (req), cancellable, error);
}
