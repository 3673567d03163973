/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "config.h"

#include <glib/gi18n-lib.h>
#include <json-glib/json-glib.h>
#include <string.h>

#include "auth/lers-accounts-private.h"
#include "lers-error.h"

/* Members whose values are secrets: never stored in the log. */
static gboolean
lers_accounts_is_secret_name (const gchar *name)
{
  static const gchar *const names[]
      = { "password", "password_hash", "secret", "secret_hash", "token", "csrf_token", NULL };
  g_autofree gchar *lower = g_ascii_strdown (name, -1);

  return g_strv_contains (names, lower) || g_str_has_suffix (lower, "password");
}

static void
lers_accounts_mask_node (JsonNode *node)
{
  if (JSON_NODE_HOLDS_OBJECT (node))
    {
      JsonObject *object = json_node_get_object (node);
      g_autoptr (GList) members = json_object_get_members (object);
      g_autoptr (GPtrArray) names = g_ptr_array_new_with_free_func (g_free);

      /* setting a member frees its key: work on copies of the names */
      for (GList *l = members; l != NULL; l = l->next)
        g_ptr_array_add (names, g_strdup (l->data));
      for (guint i = 0; i < names->len; i++)
        {
          const gchar *name = g_ptr_array_index (names, i);
          if (lers_accounts_is_secret_name (name))
            json_object_set_string_member (object, name, "***");
          else
            lers_accounts_mask_node (json_object_get_member (object, name));
        }
    }
  else if (JSON_NODE_HOLDS_ARRAY (node))
    {
      JsonArray *array = json_node_get_array (node);
      for (guint i = 0; i < json_array_get_length (array); i++)
        lers_accounts_mask_node (json_array_get_element (array, i));
    }
}

/* @json with every secret member's value replaced by "***", or NULL with
 * INVALID_ARGUMENT when it is not a JSON object. */
gchar *
lers_accounts_mask_json (const gchar *json, GError **error)
{
  g_autoptr (JsonNode) node = json_from_string (json, NULL);

  if (node == NULL || !JSON_NODE_HOLDS_OBJECT (node))
    {
      g_set_error_literal (error, LERS_ERROR, LERS_ERROR_INVALID_ARGUMENT,
                           _ ("An audit entry's before and after must be JSON objects"));
      return NULL;
    }
  lers_accounts_mask_node (node);
  return json_to_string (node, FALSE);
}

gboolean
lers_accounts_audit_on (LersStoreConn *conn, gint64 user_id, const gchar *login,
                        const gchar *action, const gchar *entity, gint64 entity_id,
                        const gchar *before, const gchar *after, const gchar *address,
                        GError **error)
{
  g_autofree gchar *user_str = user_id > 0 ? lers_accounts_int (user_id) : NULL;
  g_autofree gchar *entity_str = entity_id > 0 ? lers_accounts_int (entity_id) : NULL;
  g_autofree gchar *masked_before = NULL;
  g_autofree gchar *masked_after = NULL;
  g_autoptr (PGresult) res = NULL;

  if (before != NULL && (masked_before = lers_accounts_mask_json (before, error)) == NULL)
    return FALSE;
  if (after != NULL && (masked_after = lers_accounts_mask_json (after, error)) == NULL)
    return FALSE;
  {
    const gchar *values[]
        = { user_str, login, action, entity, entity_str, masked_before, masked_after, address };
    /* a user deleted meanwhile: keep the entry, without the reference */
    res = lers_store_exec (
        conn,
        "INSERT INTO audit_log (user_id, login, action, entity, entity_id, before, after, address) "
        "VALUES ((SELECT id FROM users WHERE id = $1::int8), $2, $3, $4, $5::int8, $6::jsonb, "
        "$7::jsonb, $8)",
        G_N_ELEMENTS (values), values, error);
  }
  return res != NULL;
}

/**
 * lers_accounts_audit_sync:
 * @self: a #LersAccounts
 * @user: (nullable): who did it; %NULL for the system (a command-line run,
 *   the scheduler), logged under the name of the process's OS user
 * @action: what was done (`create`, `update`, `delete`, `token-create`, …)
 * @entity: what it was done to (`node`, `user`, `node-group`, …)
 * @entity_id: the object's id; 0 for none
 * @before: (nullable): the object before, as JSON object text
 * @after: (nullable): the object after, as JSON object text
 * @address: (nullable): the client's network address
 * @cancellable: (nullable): a #GCancellable
 * @error: return location for a #GError
 *
 * Writes one entry of the audit log. Members of @before and @after named
 * `password`, `password_hash`, `secret`, `secret_hash`, `token`,
 * `csrf_token` or ending in `password`, at any depth, are stored as `"***"`.
 *
 * Returns: %TRUE, or %FALSE with %LERS_ERROR_INVALID_ARGUMENT when @before
 *   or @after is not a JSON object
 *
 * Since: 0.5
 */
gboolean
lers_accounts_audit_sync (LersAccounts *self, LersUser *user, const gchar *action,
                          const gchar *entity, gint64 entity_id, const gchar *before,
                          const gchar *after, const gchar *address, GCancellable *cancellable,
                          GError **error)
{
  LersAccountsConn ac;
  gboolean ok;

  g_return_val_if_fail (LERS_IS_ACCOUNTS (self), FALSE);
  g_return_val_if_fail (user == NULL || LERS_IS_USER (user), FALSE);
  g_return_val_if_fail (action != NULL && entity != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);
  if (!lers_accounts_acquire (self, &ac, cancellable, error))
    return FALSE;
  ok = lers_accounts_audit_on (ac.conn, user != NULL ? lers_user_get_id (user) : 0,
                               user != NULL ? lers_user_get_login (user) : g_get_user_name (),
                               action, entity, entity_id, before, after, address, error);
  return lers_accounts_release (self, &ac, ok, cancellable, error);
}
