/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Each user's own settings of the web workstation (/auth/me/settings). */
#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "lersd-auth.h"
#include "lersd-resource.h"
#include "lersd-routes.h"

/* A value's serialised JSON and the number of settings a user keeps. */
#define LERSD_SETTINGS_MAX_VALUE (16 * 1024)
#define LERSD_SETTINGS_MAX_KEYS 100

/* {"error": {"code", "message"}} as the body of a reply with @status */
GBytes *
lersd_settings_error_body (guint *status, guint error_status, const gchar *code,
                           const gchar *message, const gchar *field)
{
  g_autoptr (JsonBuilder) b = json_builder_new ();
  g_autoptr (JsonNode) root = NULL;
  g_autoptr (JsonGenerator) gen = json_generator_new ();
  gchar *text;

  json_builder_begin_object (b);
  json_builder_set_member_name (b, "error");
  json_builder_begin_object (b);
  json_builder_set_member_name (b, "code");
  json_builder_add_string_value (b, code);
  json_builder_set_member_name (b, "message");
  json_builder_add_string_value (b, message);
  if (field != NULL)
    {
      json_builder_set_member_name (b, "field");
      json_builder_add_string_value (b, field);
    }
  json_builder_end_object (b);
  json_builder_end_object (b);
  root = json_builder_get_root (b);
  json_generator_set_root (gen, root);
  text = json_generator_to_data (gen, NULL);
  *status = error_status;
  return g_bytes_new_take (text, strlen (text));
}

static gint64
lersd_settings_user_id (LersdRequest *req)
{
  return lers_user_get_id (lersd_request_get_user (req));
}

static GBytes *
lersd_settings_text (gchar *text)
{
  return g_bytes_new_take (text, strlen (text));
}

/* GET /auth/me/settings → {"key": value…} */
static GBytes *
lersd_settings_list_thread (LersdRequest *req, gpointer data, GCancellable *cancellable,
                            guint *status, const gchar **content_type, GError **error)
{
  gchar *text = lers_accounts_get_settings_sync (lersd_request_get_accounts (req),
                                                 lersd_settings_user_id (req), cancellable, error);

  return text != NULL ? lersd_settings_text (text) : NULL;
}

static void
lersd_settings_list (LersdRequest *req)
{
  lersd_request_run_in_thread (req, lersd_settings_list_thread, NULL, NULL);
}

/* GET /auth/me/settings/{key} → the value */
static GBytes *
lersd_settings_get_thread (LersdRequest *req, gpointer data, GCancellable *cancellable,
                           guint *status, const gchar **content_type, GError **error)
{
  const gchar *key = lersd_request_get_segment (req, 3);
  gchar *text;

  if (!lers_accounts_check_setting_key (key, error))
    return NULL;
  text = lers_accounts_get_setting_sync (lersd_request_get_accounts (req),
                                         lersd_settings_user_id (req), key, cancellable, error);
  return text != NULL ? lersd_settings_text (text) : NULL;
}

static void
lersd_settings_get (LersdRequest *req)
{
  lersd_request_run_in_thread (req, lersd_settings_get_thread, NULL, NULL);
}

/* PUT /auth/me/settings/{key} (any JSON value) → 200 with the value */
static GBytes *
lersd_settings_put_thread (LersdRequest *req, gpointer data, GCancellable *cancellable,
                           guint *status, const gchar **content_type, GError **error)
{
  const gchar *key = lersd_request_get_segment (req, 3);
  g_autoptr (GBytes) body = lersd_request_get_body (req);
  g_autoptr (JsonParser) parser = json_parser_new ();
  g_autoptr (JsonGenerator) gen = json_generator_new ();
  g_autoptr (GError) local_error = NULL;
  g_autofree gchar *value = NULL;
  gsize len = 0;
  const gchar *raw = body != NULL ? g_bytes_get_data (body, &len) : NULL;

  if (!lers_accounts_check_setting_key (key, error))
    return NULL;
  if (raw == NULL || len == 0 || !g_utf8_validate (raw, len, NULL) || memchr (raw, 0, len) != NULL
      || !json_parser_load_from_data (parser, raw, len, NULL)
      || json_parser_get_root (parser) == NULL || lersd_json_has_nul_escape (raw, len))
    {
      g_set_error_literal (error, LERS_ERROR, LERS_ERROR_INVALID_ARGUMENT,
                           _ ("A setting's value is one JSON value (the request body)"));
      return NULL;
    }
  json_generator_set_root (gen, json_parser_get_root (parser));
  value = json_generator_to_data (gen, &len);
  if (len > LERSD_SETTINGS_MAX_VALUE)
    {
      g_autofree gchar *size = g_strdup_printf ("%" G_GSIZE_FORMAT, len);
      g_autofree gchar *message
          = g_strdup_printf (_ ("A setting's value is at most %u bytes of JSON; this one is %s"),
                             LERSD_SETTINGS_MAX_VALUE, size);
      return lersd_settings_error_body (status, SOUP_STATUS_REQUEST_ENTITY_TOO_LARGE,
                                        "invalid-argument", message, NULL);
    }
  if (!lers_accounts_set_setting_sync (lersd_request_get_accounts (req),
                                       lersd_settings_user_id (req), key, value,
                                       LERSD_SETTINGS_MAX_KEYS, cancellable, &local_error))
    {
      if (g_error_matches (local_error, G_IO_ERROR, G_IO_ERROR_NO_SPACE))
        return lersd_settings_error_body (status, SOUP_STATUS_CONFLICT, "conflict",
                                          local_error->message, NULL);
      g_propagate_error (error, g_steal_pointer (&local_error));
      return NULL;
    }
  return lersd_settings_text (g_steal_pointer (&value));
}

static void
lersd_settings_put (LersdRequest *req)
{
  lersd_request_run_in_thread (req, lersd_settings_put_thread, NULL, NULL);
}

/* DELETE /auth/me/settings/{key} → 204 */
static GBytes *
lersd_settings_delete_thread (LersdRequest *req, gpointer data, GCancellable *cancellable,
                              guint *status, const gchar **content_type, GError **error)
{
  const gchar *key = lersd_request_get_segment (req, 3);

  if (!lers_accounts_check_setting_key (key, error)
      || !lers_accounts_delete_setting_sync (lersd_request_get_accounts (req),
                                             lersd_settings_user_id (req), key, cancellable, error))
    return NULL;
  *status = SOUP_STATUS_NO_CONTENT;
  return g_bytes_new (NULL, 0);
}

static void
lersd_settings_delete (LersdRequest *req)
{
  lersd_request_run_in_thread (req, lersd_settings_delete_thread, NULL, NULL);
}

const LersdRoute lersd_routes_settings[] = {
  { "GET", "auth/me/settings", LERSD_ACCESS_READ, lersd_settings_list },
  { "GET", "auth/me/settings/*", LERSD_ACCESS_READ, lersd_settings_get },
  { "PUT", "auth/me/settings/*", LERSD_ACCESS_READ, lersd_settings_put },
  { "DELETE", "auth/me/settings/*", LERSD_ACCESS_READ, lersd_settings_delete },
  { NULL },
};
