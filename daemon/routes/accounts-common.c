/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * What routes/auth.c and routes/users.c share (see accounts-common.h).
 */
#include "config.h"

#include <glib/gi18n-lib.h>

#include "accounts-common.h"
#include "lersd-resource.h"

typedef struct
{
  LersdRequest *req;
  JsonObject *body;
  LersdAccountsFunc func;
  LersdAccountsReply reply;
  gchar *language;      /* the request's, for the worker thread's messages */
  GAsyncResult *result; /* while the answer is made */
} LersdAccountsCall;

static void
lersd_accounts_call_free (LersdAccountsCall *call)
{
  g_clear_pointer (&call->req, lersd_request_unref);
  g_clear_pointer (&call->body, json_object_unref);
  g_clear_pointer (&call->reply.body, json_node_unref);
  g_clear_pointer (&call->reply.bytes, g_bytes_unref);
  g_clear_pointer (&call->reply.headers, g_ptr_array_unref);
  g_free (call->language);
  g_free (call);
}

void
lersd_accounts_reply_header (LersdAccountsReply *reply, const gchar *name, const gchar *value)
{
  if (reply->headers == NULL)
    reply->headers = g_ptr_array_new_with_free_func (g_free);
  g_ptr_array_add (reply->headers, g_strdup (name));
  g_ptr_array_add (reply->headers, g_strdup (value));
}

void
lersd_accounts_reply_code (LersdAccountsReply *reply, guint status, const gchar *code,
                           const gchar *message)
{
  g_autoptr (JsonBuilder) b = json_builder_new ();

  json_builder_begin_object (b);
  json_builder_set_member_name (b, "error");
  json_builder_begin_object (b);
  json_builder_set_member_name (b, "code");
  json_builder_add_string_value (b, code);
  json_builder_set_member_name (b, "message");
  json_builder_add_string_value (b, message);
  json_builder_end_object (b);
  json_builder_end_object (b);
  g_clear_pointer (&reply->body, json_node_unref);
  reply->body = json_builder_get_root (b);
  reply->status = status;
}

static void
lersd_accounts_call_run (GTask *task, gpointer source, gpointer task_data,
                         GCancellable *cancellable)
{
  LersdAccountsCall *call = task_data;
  GError *error = NULL;
  gpointer old = lersd_language_enter (call->language);
  gboolean ok = call->func (call->req, call->body, &call->reply, cancellable, &error);

  lersd_language_leave (old);
  if (ok)
    g_task_return_boolean (task, TRUE);
  else
    g_task_return_error (task, error);
}

static void
lersd_accounts_call_reply (LersdRequest *req, gpointer user_data)
{
  LersdAccountsCall *call = user_data;
  GAsyncResult *res = call->result;
  g_autoptr (GError) error = NULL;
  gboolean ok = g_task_propagate_boolean (G_TASK (res), &error);

  for (guint i = 0; call->reply.headers != NULL && i + 1 < call->reply.headers->len; i += 2)
    lersd_request_set_response_header (call->req, g_ptr_array_index (call->reply.headers, i),
                                       g_ptr_array_index (call->reply.headers, i + 1));
  if (!ok && g_error_matches (error, G_IO_ERROR, G_IO_ERROR_EXISTS))
    lersd_request_reply_error_literal (call->req, SOUP_STATUS_CONFLICT, "conflict", error->message);
  else if (!ok)
    lersd_request_reply_error (call->req, error);
  else if (call->reply.body != NULL)
    lersd_request_reply_json (call->req, call->reply.status, call->reply.body);
  else if (call->reply.bytes != NULL)
    lersd_request_reply (call->req, call->reply.status, call->reply.content_type,
                         call->reply.bytes);
  else
    {
      g_autoptr (GBytes) empty = g_bytes_new_static ("", 0);
      lersd_request_reply (call->req, call->reply.status, "application/json; charset=utf-8", empty);
    }
}

static void
lersd_accounts_call_done (GObject *source, GAsyncResult *res, gpointer user_data)
{
  LersdAccountsCall *call = user_data;

  /* the answer, and any message made for it, in the request's language */
  call->result = res;
  lersd_request_call_data (call->req, lersd_accounts_call_reply, call);
  lersd_accounts_call_free (call);
}

void
lersd_accounts_run (LersdRequest *req, gboolean with_body, LersdAccountsFunc func)
{
  g_autoptr (GTask) task = NULL;
  g_autoptr (JsonObject) body = NULL;
  g_autoptr (GBytes) bytes = lersd_request_get_body (req);
  LersdAccountsCall *call;

  /* A route that takes no body still refuses one that is not a JSON
   * object: a client that sends something meant something */
  if (with_body || (bytes != NULL && g_bytes_get_size (bytes) > 0))
    {
      g_autoptr (GError) error = NULL;
      g_autoptr (JsonObject) parsed = lersd_request_parse_json_object (req, &error);

      if (parsed == NULL)
        {
          lersd_request_reply_error (req, error);
          return;
        }
      /* (a string escaping NUL is refused by the parser too) */
      if (with_body)
        body = g_steal_pointer (&parsed);
    }
  call = g_new0 (LersdAccountsCall, 1);
  call->req = lersd_request_ref (req);
  call->body = g_steal_pointer (&body);
  call->func = func;
  call->reply.status = SOUP_STATUS_OK;
  call->language = g_strdup (lersd_request_get_language (req));
  lersd_request_pause (req);
  task = g_task_new (NULL, lersd_request_get_cancellable (req), lersd_accounts_call_done, call);
  g_task_set_source_tag (task, lersd_accounts_run);
  g_task_set_task_data (task, call, NULL);
  g_task_set_check_cancellable (task, FALSE);
  g_task_set_return_on_cancel (task, FALSE);
  g_task_run_in_thread (task, lersd_accounts_call_run);
}

/* ---------------------------------------------------------------------------
 * JSON
 * ------------------------------------------------------------------------- */

/* The JSON of routes/resources.c's GET routes, so a user or group looks
 * the same wherever it is shown */
JsonNode *
lersd_accounts_object_to_json (GObject *object)
{
  return lersd_object_to_json (object);
}

gchar *
lersd_accounts_node_to_text (JsonNode *node)
{
  g_autoptr (JsonGenerator) gen = json_generator_new ();

  json_generator_set_root (gen, node);
  return json_generator_to_data (gen, NULL);
}

gchar *
lersd_accounts_object_to_text (GObject *object)
{
  g_autoptr (JsonNode) node = lersd_accounts_object_to_json (object);
  return lersd_accounts_node_to_text (node);
}

JsonNode *
lersd_accounts_scopes_to_json (LersAccounts *accounts, gint64 user_id, GCancellable *cancellable,
                               GError **error)
{
  g_autoptr (GVariant) scopes
      = lers_accounts_list_scopes_sync (accounts, user_id, cancellable, error);
  g_autoptr (JsonBuilder) b = NULL;

  if (scopes == NULL)
    return NULL;
  b = json_builder_new ();
  lersd_variant_to_json (b, scopes, NULL);
  return json_builder_get_root (b);
}

/* ---------------------------------------------------------------------------
 * Bodies
 * ------------------------------------------------------------------------- */

gboolean
lersd_accounts_get_string (JsonObject *body, const gchar *name, gboolean required,
                           const gchar **value, GError **error)
{
  JsonNode *node = json_object_get_member (body, name);

  *value = NULL;
  if (node == NULL || JSON_NODE_HOLDS_NULL (node))
    {
      if (!required)
        return TRUE;
      /* TRANSLATORS: %s is a JSON member, such as "login" */
      g_set_error (error, LERS_ERROR, LERS_ERROR_INVALID_ARGUMENT,
                   _ ("The request body lacks \"%s\""), name);
      return FALSE;
    }
  if (!JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_STRING)
    {
      /* TRANSLATORS: %s is a JSON member, such as "login" */
      g_set_error (error, LERS_ERROR, LERS_ERROR_INVALID_ARGUMENT, _ ("\"%s\" must be a string"),
                   name);
      return FALSE;
    }
  *value = json_node_get_string (node);
  return TRUE;
}

gboolean
lersd_accounts_get_bool (JsonObject *body, const gchar *name, gboolean *value, GError **error)
{
  JsonNode *node = json_object_get_member (body, name);

  if (node == NULL)
    return TRUE;
  if (!JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_BOOLEAN)
    {
      /* TRANSLATORS: %s is a JSON member, such as "enabled" */
      g_set_error (error, LERS_ERROR, LERS_ERROR_INVALID_ARGUMENT,
                   _ ("\"%s\" must be true or false"), name);
      return FALSE;
    }
  *value = json_node_get_boolean (node);
  return TRUE;
}

gboolean
lersd_accounts_get_id (JsonObject *body, const gchar *name, gint64 *value, GError **error)
{
  JsonNode *node = json_object_get_member (body, name);

  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node)
      || json_node_get_value_type (node) != G_TYPE_INT64 || json_node_get_int (node) < 1)
    {
      /* TRANSLATORS: %s is a JSON member, such as "id" */
      g_set_error (error, LERS_ERROR, LERS_ERROR_INVALID_ARGUMENT,
                   _ ("\"%s\" must be an id, an integer from 1"), name);
      return FALSE;
    }
  *value = json_node_get_int (node);
  return TRUE;
}

gboolean
lersd_accounts_parse_role (const gchar *nick, LersUserRole *role, GError **error)
{
  GEnumClass *klass = g_type_class_ref (LERS_TYPE_USER_ROLE);
  GEnumValue *ev = nick != NULL ? g_enum_get_value_by_nick (klass, nick) : NULL;

  g_type_class_unref (klass);
  if (ev == NULL)
    {
      /* TRANSLATORS: %s is what the client sent as the role */
      g_set_error (error, LERS_ERROR, LERS_ERROR_INVALID_ARGUMENT,
                   _ ("Unknown role \"%s\": one of admin, operator, viewer, subscriber"),
                   nick != NULL ? nick : "");
      return FALSE;
    }
  *role = ev->value;
  return TRUE;
}

gboolean
lersd_accounts_segment_id (LersdRequest *req, guint index, gint64 *id, GError **error)
{
  return lersd_parse_id (lersd_request_get_segment (req, index), id, error);
}
