/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * ЛЭРС УЧЁТ API v1: Login, ServerInfo and Incidents (see compat.c,
 * docs/api-compat.md).
 */
#include "config.h"

#include <stdio.h>

#include <glib/gi18n.h>

#include "compat.h"

/* How long a token from POST Login lives */
#define LERSD_COMPAT_TOKEN_LIFETIME (24 * G_TIME_SPAN_HOUR)

/* ---- Incidents, ServerInfo -------------------------------------------- */

void
lersd_route_compat_incidents (LersdRequest *req)
{
  /* ICollection<Incident>: diagnostics come with their own issue */
  g_autoptr (GBytes) body = g_bytes_new_static ("[]", 2);

  lersd_request_reply (req, SOUP_STATUS_OK, "application/json; charset=utf-8", body);
}

void
lersd_route_compat_server_info (LersdRequest *req)
{
  g_autoptr (JsonBuilder) b = json_builder_new ();
  g_autoptr (JsonNode) root = NULL;
  g_autoptr (GTimeZone) zone = g_time_zone_new_local ();
  g_autoptr (GDateTime) now = g_date_time_new_now (zone);
  g_autofree gchar *now_str = lers_time_format (now, zone);
  g_autofree gchar *full = g_strdup_printf ("lersd %s", LERS_VERSION);
  const gchar *zone_id = g_time_zone_get_identifier (zone);
  guint major = 0, minor = 0, micro = 0;

  sscanf (LERS_VERSION, "%u.%u.%u", &major, &minor, &micro);
  json_builder_begin_object (b);
  lersd_compat_add_string (b, "type", "lersd");
  /* 0.5.0 → 500 */
  lersd_compat_add_int (b, "build", major * 10000 + minor * 100 + micro);
  lersd_compat_add_string (b, "version", LERS_VERSION);
  lersd_compat_add_string (b, "fullVersion", full);
  lersd_compat_add_string (b, "serverTime", now_str);
  /* ours, beside theirs: the IANA name of the server's zone */
  json_builder_set_member_name (b, "timeZone");
  if (zone_id != NULL && zone_id[0] != '/' && zone_id[0] != ':')
    json_builder_add_string_value (b, zone_id);
  else
    json_builder_add_null_value (b);
  json_builder_end_object (b);
  root = json_builder_get_root (b);
  lersd_request_reply_json (req, SOUP_STATUS_OK, root);
}

/* ---- Login ------------------------------------------------------------ */

static const gchar *
lersd_compat_member_string (JsonObject *object, const gchar *name, gboolean required,
                            GError **error)
{
  JsonNode *node = json_object_get_member (object, name);

  if (node == NULL || JSON_NODE_HOLDS_NULL (node))
    {
      if (required)
        /* TRANSLATORS: %s is a JSON member such as login */
        g_set_error (error, LERS_ERROR, LERS_ERROR_INVALID_ARGUMENT, _ ("%s is missing"), name);
      else
        return "";
      return NULL;
    }
  if (!JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_STRING)
    {
      /* TRANSLATORS: %s is a JSON member such as login */
      g_set_error (error, LERS_ERROR, LERS_ERROR_INVALID_ARGUMENT, _ ("%s must be a string"), name);
      return NULL;
    }
  return json_node_get_string (node);
}

static GBytes *
lersd_compat_login_run (LersdRequest *req, GCancellable *cancellable, guint *status, GError **error)
{
  LersAccounts *accounts = lersd_request_get_accounts (req);
  g_autoptr (LersAccounts) own = NULL;
  const gchar *address = lersd_request_get_address (req);
  g_autoptr (JsonObject) body = NULL;
  g_autoptr (LersUser) user = NULL;
  g_autoptr (GError) local = NULL;
  g_autoptr (GDateTime) now = NULL;
  g_autoptr (GDateTime) expires = NULL;
  g_autoptr (JsonBuilder) b = NULL;
  g_autofree gchar *secret = NULL;
  g_autofree gchar *title = NULL;
  g_autofree gchar *expires_str = NULL;
  const gchar *login, *password, *application;
  guint retry_after = 0;
  gint64 session_id = 0;

  /* a server made without accounts (some tests) still logs in */
  if (accounts == NULL)
    accounts = own = lers_accounts_new (lersd_request_get_store (req));
  body = lersd_compat_parse_body (req, error);
  if (body == NULL)
    return NULL;
  login = lersd_compat_member_string (body, "login", TRUE, error);
  if (login == NULL)
    return NULL;
  password = lersd_compat_member_string (body, "password", TRUE, error);
  if (password == NULL)
    return NULL;
  application = lersd_compat_member_string (body, "application", FALSE, error);
  if (application == NULL)
    return NULL;

  user = lers_accounts_login_sync (accounts, login, password, address, &retry_after, cancellable,
                                   &local);
  if (user == NULL)
    {
      if (g_error_matches (local, LERS_ERROR, LERS_ERROR_PERMISSION_DENIED))
        {
          *status = SOUP_STATUS_UNAUTHORIZED;
          return lersd_compat_error_bytes (*status, local);
        }
      if (g_error_matches (local, LERS_ERROR, LERS_ERROR_BUSY))
        {
          g_autofree gchar *seconds = g_strdup_printf ("%u", MAX (retry_after, 1));
          lersd_request_set_response_header (req, "Retry-After", seconds);
          *status = 429 /* Too Many Requests */;
          return lersd_compat_error_bytes (*status, local);
        }
      g_propagate_error (error, g_steal_pointer (&local));
      return NULL;
    }

  now = g_date_time_new_now_utc ();
  expires = g_date_time_add (now, LERSD_COMPAT_TOKEN_LIFETIME);
  title = *application != '\0' ? g_strdup_printf ("ЛЭРС API v1 login: %s", application)
                               : g_strdup ("ЛЭРС API v1 login");
  secret = lers_accounts_create_session_sync (accounts, lers_user_get_id (user),
                                              LERS_SESSION_KIND_TOKEN, title, expires, address,
                                              &session_id, NULL, cancellable, error);
  if (secret == NULL)
    return NULL;
  /* as routes/auth.c does for a token made at login */
  {
    g_autoptr (JsonBuilder) ab = json_builder_new ();
    g_autoptr (JsonNode) an = NULL;
    g_autoptr (JsonGenerator) gen = json_generator_new ();
    g_autofree gchar *after = NULL;

    json_builder_begin_object (ab);
    json_builder_set_member_name (ab, "id");
    json_builder_add_int_value (ab, session_id);
    json_builder_set_member_name (ab, "title");
    json_builder_add_string_value (ab, title);
    json_builder_end_object (ab);
    an = json_builder_get_root (ab);
    json_generator_set_root (gen, an);
    after = json_generator_to_data (gen, NULL);
    if (!lers_accounts_audit_sync (accounts, user, "token-create", "session", session_id, NULL,
                                   after, address, cancellable, error))
      return NULL;
  }

  expires_str = lers_time_format (expires, NULL);
  b = json_builder_new ();
  json_builder_begin_object (b);
  lersd_compat_add_string (b, "token", secret);
  lersd_compat_add_string (b, "tokenExpiration", expires_str);
  json_builder_end_object (b);
  return lersd_compat_finish (b);
}

void
lersd_route_compat_login (LersdRequest *req)
{
  lersd_compat_run (req, lersd_compat_login_run);
}
