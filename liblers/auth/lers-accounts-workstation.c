/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* What the web workstation keeps for a user: its settings and the mnemonic
 * diagrams it may see (migration 0008). */
#include "config.h"

#include <gio/gio.h>
#include <glib/gi18n-lib.h>
#include <json-glib/json-glib.h>
#include <string.h>

#include "auth/lers-accounts-private.h"
#include "lers-error.h"

/* ---- settings ---------------------------------------------------------- */

/**
 * lers_accounts_check_setting_key:
 * @key: (nullable): a setting's name
 * @error: return location for a #GError
 *
 * Checks a setting's name: 1 to 64 of `A-Z a-z 0-9 _ . -` (the CHECK of
 * the user_settings table).
 *
 * Returns: %TRUE, or %FALSE with %LERS_ERROR_INVALID_ARGUMENT
 *
 * Since: 0.5
 */
gboolean
lers_accounts_check_setting_key (const gchar *key, GError **error)
{
  gsize len = key != NULL ? strlen (key) : 0;

  for (gsize i = 0; i < len && len <= 64; i++)
    if (!g_ascii_isalnum (key[i]) && key[i] != '_' && key[i] != '.' && key[i] != '-')
      len = 0;
  if (len == 0 || len > 64)
    {
      g_set_error_literal (error, LERS_ERROR, LERS_ERROR_INVALID_ARGUMENT,
                           _ ("A setting's name is 1 to 64 Latin letters, digits, “_”, “.” or "
                              "“-”"));
      return FALSE;
    }
  return TRUE;
}

/**
 * lers_accounts_get_settings_sync:
 * @self: a #LersAccounts
 * @user_id: the user whose settings to read
 * @cancellable: (nullable): a #GCancellable
 * @error: return location for a #GError
 *
 * Reads all of a user's settings of the web workstation.
 *
 * Returns: (transfer full): a JSON object text, key → value (`{}` when the
 *   user has none), or %NULL with @error set
 *
 * Since: 0.5
 */
gchar *
lers_accounts_get_settings_sync (LersAccounts *self, gint64 user_id, GCancellable *cancellable,
                                 GError **error)
{
  LersAccountsConn ac;
  g_autofree gchar *id_str = lers_accounts_int (user_id);
  const gchar *values[] = { id_str };
  g_autoptr (PGresult) res = NULL;
  gchar *text = NULL;

  g_return_val_if_fail (LERS_IS_ACCOUNTS (self), NULL);
  if (!lers_accounts_acquire (self, &ac, cancellable, error))
    return NULL;
  res = lers_store_exec (ac.conn,
                         "SELECT coalesce(jsonb_object_agg(key, value ORDER BY key), '{}')::text "
                         "FROM user_settings WHERE user_id = $1::int8",
                         1, values, error);
  if (res != NULL)
    text = g_strdup (PQgetvalue (res, 0, 0));
  lers_accounts_release (self, &ac, text != NULL, cancellable, error);
  return text;
}

/**
 * lers_accounts_get_setting_sync:
 * @self: a #LersAccounts
 * @user_id: the user whose setting to read
 * @key: the setting's name
 * @cancellable: (nullable): a #GCancellable
 * @error: return location for a #GError
 *
 * Reads one setting of a user.
 *
 * Returns: (transfer full): its value as JSON text, or %NULL with
 *   %LERS_ERROR_NOT_FOUND when the user has no such setting
 *
 * Since: 0.5
 */
gchar *
lers_accounts_get_setting_sync (LersAccounts *self, gint64 user_id, const gchar *key,
                                GCancellable *cancellable, GError **error)
{
  LersAccountsConn ac;
  g_autofree gchar *id_str = lers_accounts_int (user_id);
  const gchar *values[] = { id_str, key };
  g_autoptr (PGresult) res = NULL;
  gchar *text = NULL;

  g_return_val_if_fail (LERS_IS_ACCOUNTS (self), NULL);
  g_return_val_if_fail (key != NULL, NULL);
  if (!lers_accounts_acquire (self, &ac, cancellable, error))
    return NULL;
  res = lers_store_exec (
      ac.conn, "SELECT value::text FROM user_settings WHERE user_id = $1::int8 AND key = $2", 2,
      values, error);
  if (res != NULL && PQntuples (res) == 0)
    g_set_error (error, LERS_ERROR, LERS_ERROR_NOT_FOUND, _ ("There is no setting “%s”"), key);
  else if (res != NULL)
    text = g_strdup (PQgetvalue (res, 0, 0));
  lers_accounts_release (self, &ac, text != NULL, cancellable, error);
  return text;
}

static gboolean
lers_accounts_set_setting_on (LersStoreConn *conn, const gchar *id_str, const gchar *key,
                              const gchar *value, guint max_keys, GError **error)
{
  g_autofree gchar *max_str = g_strdup_printf ("%u", max_keys);
  const gchar *values[] = { id_str, key, value, max_str };
  const gchar *lock_values[] = { id_str };
  g_autoptr (PGresult) lock = NULL;
  g_autoptr (PGresult) res = NULL;

  if (!lers_store_exec_simple (conn, "BEGIN", error))
    return FALSE;
  /* the user's row serialises concurrent writes of its settings */
  lock = lers_store_exec (conn, "SELECT 1 FROM users WHERE id = $1::int8 FOR UPDATE", 1,
                          lock_values, error);
  if (lock == NULL)
    return FALSE;
  if (PQntuples (lock) == 0)
    {
      g_set_error (error, LERS_ERROR, LERS_ERROR_NOT_FOUND, _ ("There is no user with id %s"),
                   id_str);
      return FALSE;
    }
  res = lers_store_exec (
      conn,
      "INSERT INTO user_settings (user_id, key, value) "
      "SELECT $1::int8, $2, $3::jsonb WHERE EXISTS (SELECT 1 FROM user_settings "
      "WHERE user_id = $1::int8 AND key = $2) OR (SELECT count(*) FROM user_settings "
      "WHERE user_id = $1::int8) < $4::int8 "
      "ON CONFLICT (user_id, key) DO UPDATE SET value = EXCLUDED.value, updated_at = now()",
      4, values, error);
  if (res == NULL)
    return FALSE;
  if (g_strcmp0 (PQcmdTuples (res), "0") == 0)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_NO_SPACE,
                   _ ("A user keeps at most %u settings; delete one first"), max_keys);
      return FALSE;
    }
  return lers_store_exec_simple (conn, "COMMIT", error);
}

/**
 * lers_accounts_set_setting_sync:
 * @self: a #LersAccounts
 * @user_id: the user whose setting to write
 * @key: the setting's name: 1 to 64 of `A-Z a-z 0-9 _ . -`
 * @value: the value, JSON text
 * @max_keys: how many settings the user may keep
 * @cancellable: (nullable): a #GCancellable
 * @error: return location for a #GError
 *
 * Stores (or replaces) one setting of a user.
 *
 * Returns: %TRUE, or %FALSE with %LERS_ERROR_INVALID_ARGUMENT for a bad key
 *   or a value that is not JSON, %LERS_ERROR_NOT_FOUND for a missing user,
 *   %G_IO_ERROR_NO_SPACE when the key is new and the user already has
 *   @max_keys settings
 *
 * Since: 0.5
 */
gboolean
lers_accounts_set_setting_sync (LersAccounts *self, gint64 user_id, const gchar *key,
                                const gchar *value, guint max_keys, GCancellable *cancellable,
                                GError **error)
{
  LersAccountsConn ac;
  g_autofree gchar *id_str = lers_accounts_int (user_id);
  gboolean ok;

  g_return_val_if_fail (LERS_IS_ACCOUNTS (self), FALSE);
  g_return_val_if_fail (key != NULL && value != NULL, FALSE);
  if (!lers_accounts_check_setting_key (key, error))
    return FALSE;
  if (!lers_accounts_acquire (self, &ac, cancellable, error))
    return FALSE;
  ok = lers_accounts_set_setting_on (ac.conn, id_str, key, value, max_keys, error);
  return lers_accounts_release (self, &ac, ok, cancellable, error);
}

/**
 * lers_accounts_delete_setting_sync:
 * @self: a #LersAccounts
 * @user_id: the user whose setting to remove
 * @key: the setting's name
 * @cancellable: (nullable): a #GCancellable
 * @error: return location for a #GError
 *
 * Removes one setting of a user.
 *
 * Returns: %TRUE, or %FALSE with %LERS_ERROR_NOT_FOUND when it was not set
 *
 * Since: 0.5
 */
gboolean
lers_accounts_delete_setting_sync (LersAccounts *self, gint64 user_id, const gchar *key,
                                   GCancellable *cancellable, GError **error)
{
  LersAccountsConn ac;
  g_autofree gchar *id_str = lers_accounts_int (user_id);
  const gchar *values[] = { id_str, key };
  g_autoptr (PGresult) res = NULL;
  gboolean ok = FALSE;

  g_return_val_if_fail (LERS_IS_ACCOUNTS (self), FALSE);
  g_return_val_if_fail (key != NULL, FALSE);
  if (!lers_accounts_acquire (self, &ac, cancellable, error))
    return FALSE;
  res = lers_store_exec (ac.conn, "DELETE FROM user_settings WHERE user_id = $1::int8 AND key = $2",
                         2, values, error);
  if (res != NULL && g_strcmp0 (PQcmdTuples (res), "0") == 0)
    g_set_error (error, LERS_ERROR, LERS_ERROR_NOT_FOUND, _ ("There is no setting “%s”"), key);
  else if (res != NULL)
    ok = TRUE;
  return lers_accounts_release (self, &ac, ok, cancellable, error);
}

/* ---- diagrams ---------------------------------------------------------- */

/* What @user sees, as the parameters of LERS_ACCOUNTS_DIAGRAM_VISIBLE: every
 * node ("t"/"f"), the node ids as an array literal, the user's id, and
 * whether it is staff that sees every node. */
typedef struct
{
  gchar *all;
  gchar *nodes;
  gchar *user_id;
  gchar *staff;
} LersAccountsSight;

static void
lers_accounts_sight_clear (LersAccountsSight *sight)
{
  g_clear_pointer (&sight->all, g_free);
  g_clear_pointer (&sight->nodes, g_free);
  g_clear_pointer (&sight->user_id, g_free);
  g_clear_pointer (&sight->staff, g_free);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (LersAccountsSight, lers_accounts_sight_clear)

static gboolean
lers_accounts_sight_init (LersAccounts *self, LersUser *user, LersAccountsSight *sight,
                          GCancellable *cancellable, GError **error)
{
  gboolean all = FALSE;
  g_autoptr (GArray) nodes = NULL;
  g_autoptr (GError) local_error = NULL;
  GString *lit = g_string_new ("{");

  nodes = lers_accounts_get_visible_nodes_sync (self, user, &all, cancellable, &local_error);
  if (local_error != NULL)
    {
      g_string_free (lit, TRUE);
      g_propagate_error (error, g_steal_pointer (&local_error));
      return FALSE;
    }
  for (guint i = 0; nodes != NULL && i < nodes->len; i++)
    g_string_append_printf (lit, "%s%" G_GINT64_FORMAT, i > 0 ? "," : "",
                            g_array_index (nodes, gint64, i));
  g_string_append_c (lit, '}');
  sight->all = g_strdup (all ? "t" : "f");
  sight->nodes = g_string_free (lit, FALSE);
  sight->user_id = lers_accounts_int (lers_user_get_id (user));
  sight->staff
      = g_strdup (all && lers_user_get_role (user) != LERS_USER_ROLE_SUBSCRIBER ? "t" : "f");
  return TRUE;
}

/* Whether the caller sees diagram row d; parameters $1..$4 are the sight. */
#define LERS_ACCOUNTS_DIAGRAM_VISIBLE                                                              \
  "(CASE WHEN d.node_id IS NOT NULL THEN $1::bool OR d.node_id = ANY ($2::int8[]) "                \
  "WHEN d.group_id IS NOT NULL THEN $4::bool OR EXISTS (SELECT 1 FROM user_scopes s "              \
  "WHERE s.user_id = $3::int8 AND s.group_id = d.group_id) ELSE $4::bool END)"

#define LERS_ACCOUNTS_DIAGRAM_FIELDS                                                               \
  "'id', d.id, 'title', d.title, 'node_id', d.node_id, 'group_id', d.group_id, "                   \
  "'width', d.width, 'height', d.height, 'updated_at', d.updated_at, "                             \
  "'updated_by', d.updated_by"

/**
 * lers_accounts_list_diagrams_sync:
 * @self: a #LersAccounts
 * @user: the caller: only the diagrams it sees are listed
 * @node_id: only this node's diagrams, or 0
 * @group_id: only this group's diagrams, or 0
 * @after: only ids past this one (in @descending order), or 0
 * @limit: at most this many
 * @descending: newest id first
 * @cancellable: (nullable): a #GCancellable
 * @error: return location for a #GError
 *
 * Lists mnemonic diagrams without their drawing: a diagram of a node is
 * seen by whoever sees the node, one of a group by staff that sees every
 * node and by the users assigned the group, one of neither by staff that
 * sees every node.
 *
 * Returns: (transfer full): a JSON array text of objects (id, title,
 *   node_id, group_id, width, height, has_svg, n_elements, updated_at,
 *   updated_by), or %NULL with @error set
 *
 * Since: 0.5
 */
gchar *
lers_accounts_list_diagrams_sync (LersAccounts *self, LersUser *user, gint64 node_id,
                                  gint64 group_id, gint64 after, guint limit, gboolean descending,
                                  GCancellable *cancellable, GError **error)
{
  g_auto (LersAccountsSight) sight = { 0 };
  LersAccountsConn ac;
  g_autofree gchar *node_str = lers_accounts_int (node_id);
  g_autofree gchar *group_str = lers_accounts_int (group_id);
  g_autofree gchar *after_str = lers_accounts_int (after);
  g_autofree gchar *limit_str = g_strdup_printf ("%u", limit);
  g_autofree gchar *sql = NULL;
  g_autoptr (PGresult) res = NULL;
  gchar *text = NULL;

  g_return_val_if_fail (LERS_IS_ACCOUNTS (self), NULL);
  g_return_val_if_fail (LERS_IS_USER (user), NULL);
  if (!lers_accounts_sight_init (self, user, &sight, cancellable, error))
    return NULL;
  sql = g_strdup_printf (
      "SELECT coalesce(jsonb_agg(x.o ORDER BY x.id %s), '[]')::text FROM ("
      "SELECT d.id, jsonb_build_object(" LERS_ACCOUNTS_DIAGRAM_FIELDS ", 'has_svg', d.svg IS NOT "
      "NULL, 'n_elements', jsonb_array_length(d.elements)) AS o FROM diagrams d "
      "WHERE " LERS_ACCOUNTS_DIAGRAM_VISIBLE " AND ($5::int8 = 0 OR d.node_id = $5::int8) "
      "AND ($6::int8 = 0 OR d.group_id = $6::int8) AND ($7::int8 = 0 OR d.id %s $7::int8) "
      "ORDER BY d.id %s LIMIT $8::int8) x",
      descending ? "DESC" : "ASC", descending ? "<" : ">", descending ? "DESC" : "ASC");
  {
    const gchar *values[] = { sight.all, sight.nodes, sight.user_id, sight.staff,
                              node_str,  group_str,   after_str,     limit_str };
    if (!lers_accounts_acquire (self, &ac, cancellable, error))
      return NULL;
    res = lers_store_exec (ac.conn, sql, 8, values, error);
  }
  if (res != NULL)
    text = g_strdup (PQgetvalue (res, 0, 0));
  lers_accounts_release (self, &ac, text != NULL, cancellable, error);
  return text;
}

static gchar *
lers_accounts_get_diagram_on (LersStoreConn *conn, LersAccountsSight *sight, gint64 id,
                              gboolean for_update, GError **error)
{
  g_autofree gchar *id_str = lers_accounts_int (id);
  const gchar *values[] = { sight->all, sight->nodes, sight->user_id, sight->staff, id_str };
  g_autofree gchar *sql = g_strdup_printf (
      "SELECT jsonb_build_object(" LERS_ACCOUNTS_DIAGRAM_FIELDS
      ", 'svg', d.svg, 'elements', d.elements)::text FROM diagrams d WHERE d.id = $5::int8 "
      "AND " LERS_ACCOUNTS_DIAGRAM_VISIBLE "%s",
      for_update ? " FOR UPDATE" : "");
  g_autoptr (PGresult) res = lers_store_exec (conn, sql, 5, values, error);

  if (res == NULL)
    return NULL;
  if (PQntuples (res) == 0)
    {
      /* one the caller does not see reads as one that does not exist */
      g_set_error (error, LERS_ERROR, LERS_ERROR_NOT_FOUND, _ ("There is no diagram with id %s"),
                   id_str);
      return NULL;
    }
  return g_strdup (PQgetvalue (res, 0, 0));
}

/**
 * lers_accounts_get_diagram_sync:
 * @self: a #LersAccounts
 * @user: the caller
 * @id: the diagram's id
 * @cancellable: (nullable): a #GCancellable
 * @error: return location for a #GError
 *
 * Reads one mnemonic diagram with its drawing and elements.
 *
 * Returns: (transfer full): a JSON object text (the members of
 *   lers_accounts_list_diagrams_sync() and svg, elements), or %NULL with
 *   %LERS_ERROR_NOT_FOUND when it does not exist or @user does not see it
 *
 * Since: 0.5
 */
gchar *
lers_accounts_get_diagram_sync (LersAccounts *self, LersUser *user, gint64 id,
                                GCancellable *cancellable, GError **error)
{
  g_auto (LersAccountsSight) sight = { 0 };
  LersAccountsConn ac;
  gchar *text;

  g_return_val_if_fail (LERS_IS_ACCOUNTS (self), NULL);
  g_return_val_if_fail (LERS_IS_USER (user), NULL);
  if (!lers_accounts_sight_init (self, user, &sight, cancellable, error))
    return NULL;
  if (!lers_accounts_acquire (self, &ac, cancellable, error))
    return NULL;
  text = lers_accounts_get_diagram_on (ac.conn, &sight, id, FALSE, error);
  lers_accounts_release (self, &ac, text != NULL, cancellable, error);
  return text;
}

/* NOT_FOUND unless @user may place a diagram on the node, the group, or
 * (both 0) the whole system (PERMISSION_DENIED then). */
static gboolean
lers_accounts_check_diagram_target (LersStoreConn *conn, LersAccountsSight *sight, gint64 node_id,
                                    gint64 group_id, GError **error)
{
  g_autofree gchar *node_str = lers_accounts_int (node_id);
  g_autofree gchar *group_str = lers_accounts_int (group_id);
  const gchar *values[]
      = { sight->all, sight->nodes, sight->user_id, sight->staff, node_str, group_str };
  g_autoptr (PGresult) res = NULL;

  if (node_id == 0 && group_id == 0)
    {
      if (g_strcmp0 (sight->staff, "t") == 0)
        return TRUE;
      g_set_error_literal (error, LERS_ERROR, LERS_ERROR_PERMISSION_DENIED,
                           _ ("A diagram of no node or group needs a user who sees every node"));
      return FALSE;
    }
  res = lers_store_exec (
      conn,
      "SELECT 1 FROM (SELECT nullif($5::int8, 0) AS node_id, nullif($6::int8, 0) AS group_id) d "
      "WHERE " LERS_ACCOUNTS_DIAGRAM_VISIBLE " AND (d.node_id IS NULL OR EXISTS (SELECT 1 FROM "
      "nodes n WHERE n.id = d.node_id)) AND (d.group_id IS NULL OR EXISTS (SELECT 1 FROM "
      "node_groups g WHERE g.id = d.group_id))",
      6, values, error);
  if (res == NULL)
    return FALSE;
  if (PQntuples (res) > 0)
    return TRUE;
  if (node_id != 0)
    g_set_error (error, LERS_ERROR, LERS_ERROR_NOT_FOUND, _ ("There is no node with id %s"),
                 node_str);
  else
    g_set_error (error, LERS_ERROR, LERS_ERROR_NOT_FOUND, _ ("There is no group with id %s"),
                 group_str);
  return FALSE;
}

static gint64
lers_accounts_json_int (JsonObject *o, const gchar *name, gint64 fallback)
{
  JsonNode *n = json_object_get_member (o, name);

  if (n == NULL)
    return fallback;
  if (JSON_NODE_HOLDS_NULL (n))
    return 0;
  return json_node_get_int (n);
}

static gint64
lers_accounts_save_diagram_on (LersStoreConn *conn, LersAccountsSight *sight, LersUser *user,
                               gint64 id, const gchar *fields, gchar **before, GError **error)
{
  g_autoptr (JsonParser) parser = json_parser_new ();
  JsonObject *patch;
  gint64 node_id = 0;
  gint64 group_id = 0;
  g_autoptr (PGresult) res = NULL;
  g_autofree gchar *id_str = lers_accounts_int (id);
  const gchar *values[] = { fields, lers_user_get_login (user), id_str };

  if (!json_parser_load_from_data (parser, fields, -1, NULL)
      || !JSON_NODE_HOLDS_OBJECT (json_parser_get_root (parser)))
    {
      g_set_error_literal (error, LERS_ERROR, LERS_ERROR_INVALID_ARGUMENT,
                           _ ("A diagram's fields are a JSON object"));
      return 0;
    }
  patch = json_node_get_object (json_parser_get_root (parser));
  if (!lers_store_exec_simple (conn, "BEGIN", error))
    return 0;
  if (id != 0)
    {
      g_autoptr (JsonParser) old_parser = json_parser_new ();
      JsonObject *old;

      *before = lers_accounts_get_diagram_on (conn, sight, id, TRUE, error);
      if (*before == NULL || !json_parser_load_from_data (old_parser, *before, -1, error))
        return 0;
      old = json_node_get_object (json_parser_get_root (old_parser));
      node_id = lers_accounts_json_int (old, "node_id", 0);
      group_id = lers_accounts_json_int (old, "group_id", 0);
    }
  node_id = lers_accounts_json_int (patch, "node_id", node_id);
  group_id = lers_accounts_json_int (patch, "group_id", group_id);
  if (node_id != 0 && group_id != 0)
    {
      g_set_error_literal (error, LERS_ERROR, LERS_ERROR_INVALID_ARGUMENT,
                           _ ("A diagram belongs to a node or to a group, not to both"));
      return 0;
    }
  if (!lers_accounts_check_diagram_target (conn, sight, node_id, group_id, error))
    return 0;
  if (id == 0)
    res = lers_store_exec (
        conn,
        "INSERT INTO diagrams (title, node_id, group_id, svg, width, height, elements, "
        "updated_by) SELECT p->>'title', (p->>'node_id')::int8, (p->>'group_id')::int8, "
        "p->>'svg', coalesce((p->>'width')::int4, 800), coalesce((p->>'height')::int4, 600), "
        "coalesce(p->'elements', '[]'), $2 FROM (SELECT $1::jsonb AS p) s RETURNING id",
        2, values, error);
  else
    res = lers_store_exec (
        conn,
        "UPDATE diagrams d SET "
        "title = CASE WHEN p ? 'title' THEN p->>'title' ELSE d.title END, "
        "node_id = CASE WHEN p ? 'node_id' THEN (p->>'node_id')::int8 ELSE d.node_id END, "
        "group_id = CASE WHEN p ? 'group_id' THEN (p->>'group_id')::int8 ELSE d.group_id END, "
        "svg = CASE WHEN p ? 'svg' THEN p->>'svg' ELSE d.svg END, "
        "width = CASE WHEN p ? 'width' THEN (p->>'width')::int4 ELSE d.width END, "
        "height = CASE WHEN p ? 'height' THEN (p->>'height')::int4 ELSE d.height END, "
        "elements = CASE WHEN p ? 'elements' THEN p->'elements' ELSE d.elements END, "
        "updated_at = now(), updated_by = $2 "
        "FROM (SELECT $1::jsonb AS p) s WHERE d.id = $3::int8 RETURNING d.id",
        3, values, error);
  if (res == NULL || !lers_store_exec_simple (conn, "COMMIT", error))
    return 0;
  return g_ascii_strtoll (PQgetvalue (res, 0, 0), NULL, 10);
}

/**
 * lers_accounts_save_diagram_sync:
 * @self: a #LersAccounts
 * @user: the caller (updated_by is its login)
 * @id: the diagram to change, or 0 for a new one
 * @fields: a JSON object text of the members to store: title, node_id,
 *   group_id, svg (already sanitised), width, height, elements
 * @before: (out) (optional) (nullable) (transfer full): the diagram as it
 *   was (as lers_accounts_get_diagram_sync()), %NULL for a new one
 * @cancellable: (nullable): a #GCancellable
 * @error: return location for a #GError
 *
 * Creates or changes a mnemonic diagram. @user must see the diagram and the
 * node or group it is (or becomes) a diagram of.
 *
 * Returns: the diagram's id, or 0 with %LERS_ERROR_NOT_FOUND (a diagram,
 *   node or group the caller does not see), %LERS_ERROR_PERMISSION_DENIED
 *   (a diagram of the whole system by a user with scopes),
 *   %LERS_ERROR_INVALID_ARGUMENT (both a node and a group), or
 *   %LERS_ERROR_DATABASE (a value the table refuses)
 *
 * Since: 0.5
 */
gint64
lers_accounts_save_diagram_sync (LersAccounts *self, LersUser *user, gint64 id, const gchar *fields,
                                 gchar **before, GCancellable *cancellable, GError **error)
{
  g_auto (LersAccountsSight) sight = { 0 };
  g_autofree gchar *old = NULL;
  LersAccountsConn ac;
  gint64 saved;

  g_return_val_if_fail (LERS_IS_ACCOUNTS (self), 0);
  g_return_val_if_fail (LERS_IS_USER (user), 0);
  g_return_val_if_fail (fields != NULL, 0);
  if (!lers_accounts_sight_init (self, user, &sight, cancellable, error))
    return 0;
  if (!lers_accounts_acquire (self, &ac, cancellable, error))
    return 0;
  saved = lers_accounts_save_diagram_on (ac.conn, &sight, user, id, fields, &old, error);
  lers_accounts_release (self, &ac, saved != 0, cancellable, error);
  if (saved != 0 && before != NULL)
    *before = g_steal_pointer (&old);
  return saved;
}

/**
 * lers_accounts_delete_diagram_sync:
 * @self: a #LersAccounts
 * @user: the caller
 * @id: the diagram's id
 * @before: (out) (optional) (nullable) (transfer full): the diagram as it
 *   was (as lers_accounts_get_diagram_sync())
 * @cancellable: (nullable): a #GCancellable
 * @error: return location for a #GError
 *
 * Removes a mnemonic diagram @user sees.
 *
 * Returns: %TRUE, or %FALSE with %LERS_ERROR_NOT_FOUND
 *
 * Since: 0.5
 */
gboolean
lers_accounts_delete_diagram_sync (LersAccounts *self, LersUser *user, gint64 id, gchar **before,
                                   GCancellable *cancellable, GError **error)
{
  g_auto (LersAccountsSight) sight = { 0 };
  g_autofree gchar *old = NULL;
  g_autofree gchar *id_str = lers_accounts_int (id);
  const gchar *values[] = { id_str };
  LersAccountsConn ac;
  gboolean ok = FALSE;

  g_return_val_if_fail (LERS_IS_ACCOUNTS (self), FALSE);
  g_return_val_if_fail (LERS_IS_USER (user), FALSE);
  if (!lers_accounts_sight_init (self, user, &sight, cancellable, error))
    return FALSE;
  if (!lers_accounts_acquire (self, &ac, cancellable, error))
    return FALSE;
  if (lers_store_exec_simple (ac.conn, "BEGIN", error))
    {
      old = lers_accounts_get_diagram_on (ac.conn, &sight, id, TRUE, error);
      if (old != NULL)
        {
          g_autoptr (PGresult) res = lers_store_exec (
              ac.conn, "DELETE FROM diagrams WHERE id = $1::int8", 1, values, error);
          ok = res != NULL && lers_store_exec_simple (ac.conn, "COMMIT", error);
        }
    }
  lers_accounts_release (self, &ac, ok, cancellable, error);
  if (ok && before != NULL)
    *before = g_steal_pointer (&old);
  return ok;
}
