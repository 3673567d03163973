/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "config.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "auth/lers-accounts-private.h"
#include "lers-error.h"

/* ---- node groups ------------------------------------------------------- */

static gboolean
lers_accounts_check_title (const gchar *title, GError **error)
{
  if (title == NULL || title[0] == '\0' || !g_utf8_validate (title, -1, NULL)
      || strlen (title) > 200)
    {
      g_set_error_literal (error, LERS_ERROR, LERS_ERROR_INVALID_ARGUMENT,
                           _ ("A group's title is UTF-8 text of 1 to 200 bytes"));
      return FALSE;
    }
  return TRUE;
}

static gboolean
lers_accounts_group_title_taken (LersStoreConn *conn, const gchar *title, gint64 except_id,
                                 GError **error)
{
  g_autofree gchar *id_str = lers_accounts_int (except_id);
  const gchar *values[] = { title, id_str };
  g_autoptr (PGresult) res = lers_store_exec (
      conn, "SELECT 1 FROM node_groups WHERE title = $1 AND id <> $2::int8", 2, values, error);

  if (res == NULL)
    return TRUE;
  if (PQntuples (res) > 0)
    {
      g_set_error (error, LERS_ERROR, LERS_ERROR_INVALID_ARGUMENT,
                   _ ("There already is a group “%s”"), title);
      return TRUE;
    }
  return FALSE;
}

/* The group's title, locked for the transaction, or NULL with NOT_FOUND. */
static gchar *
lers_accounts_group_title_on (LersStoreConn *conn, gint64 group_id, GError **error)
{
  g_autofree gchar *id_str = lers_accounts_int (group_id);
  const gchar *values[] = { id_str };
  g_autoptr (PGresult) res = lers_store_exec (
      conn, "SELECT title FROM node_groups WHERE id = $1::int8 FOR UPDATE", 1, values, error);

  if (res == NULL)
    return NULL;
  if (PQntuples (res) == 0)
    {
      g_set_error (error, LERS_ERROR, LERS_ERROR_NOT_FOUND, _ ("There is no group with id %s"),
                   id_str);
      return NULL;
    }
  return g_strdup (PQgetvalue (res, 0, 0));
}

/**
 * lers_accounts_add_group_sync:
 * @self: a #LersAccounts
 * @title: the group's name, unique and not empty
 * @comment: (nullable): free text
 * @cancellable: (nullable): a #GCancellable
 * @error: return location for a #GError
 *
 * Creates a node group. Nodes join it with
 * [method@Lers.Accounts.set_group_member_sync] (or by naming its title in
 * their groups).
 *
 * Returns: (transfer full): the stored group, or %NULL with
 *   %LERS_ERROR_INVALID_ARGUMENT for an empty or taken title
 *
 * Since: 0.5
 */
LersNodeGroup *
lers_accounts_add_group_sync (LersAccounts *self, const gchar *title, const gchar *comment,
                              GCancellable *cancellable, GError **error)
{
  LersAccountsConn ac;
  g_autoptr (PGresult) res = NULL;
  LersNodeGroup *group = NULL;
  const gchar *values[] = { title, comment };

  g_return_val_if_fail (LERS_IS_ACCOUNTS (self), NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);
  if (!lers_accounts_check_title (title, error))
    return NULL;
  if (!lers_accounts_acquire (self, &ac, cancellable, error))
    return NULL;
  if (!lers_accounts_group_title_taken (ac.conn, title, 0, error))
    res = lers_store_exec (ac.conn,
                           "INSERT INTO node_groups (title, comment) VALUES ($1, $2) RETURNING id",
                           2, values, error);
  if (res != NULL)
    {
      group = lers_node_group_new ();
      lers_node_group_set_id (group, g_ascii_strtoll (PQgetvalue (res, 0, 0), NULL, 10));
      lers_node_group_set_title (group, title);
      lers_node_group_set_comment (group, comment);
    }
  lers_accounts_release (self, &ac, group != NULL, cancellable, error);
  return group;
}

static gboolean
lers_accounts_update_group_on (LersStoreConn *conn, LersNodeGroup *group, GError **error)
{
  g_autofree gchar *id_str = lers_accounts_int (lers_node_group_get_id (group));
  g_autofree gchar *old = NULL;
  const gchar *title = lers_node_group_get_title (group);
  g_autoptr (PGresult) up = NULL;

  if (!lers_store_exec_simple (conn, "BEGIN", error))
    return FALSE;
  old = lers_accounts_group_title_on (conn, lers_node_group_get_id (group), error);
  if (old == NULL
      || lers_accounts_group_title_taken (conn, title, lers_node_group_get_id (group), error))
    return FALSE;
  {
    const gchar *values[] = { id_str, title, lers_node_group_get_comment (group) };
    up = lers_store_exec (conn,
                          "UPDATE node_groups SET title = $2, comment = $3 WHERE id = $1::int8", 3,
                          values, error);
    if (up == NULL)
      return FALSE;
  }
  if (g_strcmp0 (old, title) != 0)
    {
      /* a node that already names the new title keeps it once */
      const gchar *values[] = { old, title };
      g_autoptr (PGresult) nodes = lers_store_exec (
          conn,
          "UPDATE nodes SET groups = array_replace(array_remove(groups, $2), $1, $2) "
          "WHERE groups @> ARRAY[$1]::text[]",
          2, values, error);
      if (nodes == NULL)
        return FALSE;
    }
  return lers_store_exec_simple (conn, "COMMIT", error);
}

/**
 * lers_accounts_update_group_sync:
 * @self: a #LersAccounts
 * @group: the group, with its id and the new title and comment
 * @cancellable: (nullable): a #GCancellable
 * @error: return location for a #GError
 *
 * Saves the title and comment of @group. A new title is written into the
 * groups of every node that named the old one, in the same transaction.
 *
 * Returns: %TRUE, or %FALSE with %LERS_ERROR_NOT_FOUND or
 *   %LERS_ERROR_INVALID_ARGUMENT
 *
 * Since: 0.5
 */
gboolean
lers_accounts_update_group_sync (LersAccounts *self, LersNodeGroup *group,
                                 GCancellable *cancellable, GError **error)
{
  LersAccountsConn ac;
  gboolean ok;

  g_return_val_if_fail (LERS_IS_ACCOUNTS (self), FALSE);
  g_return_val_if_fail (LERS_IS_NODE_GROUP (group), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);
  if (!lers_accounts_check_title (lers_node_group_get_title (group), error))
    return FALSE;
  if (!lers_accounts_acquire (self, &ac, cancellable, error))
    return FALSE;
  ok = lers_accounts_update_group_on (ac.conn, group, error);
  return lers_accounts_release (self, &ac, ok, cancellable, error);
}

/**
 * lers_accounts_delete_group_sync:
 * @self: a #LersAccounts
 * @group_id: the group's id
 * @cancellable: (nullable): a #GCancellable
 * @error: return location for a #GError
 *
 * Deletes a group, the scopes that name it, and its title from every
 * node's groups.
 *
 * Returns: %TRUE, or %FALSE with %LERS_ERROR_NOT_FOUND
 *
 * Since: 0.5
 */
gboolean
lers_accounts_delete_group_sync (LersAccounts *self, gint64 group_id, GCancellable *cancellable,
                                 GError **error)
{
  LersAccountsConn ac;
  g_autofree gchar *id_str = lers_accounts_int (group_id);
  g_autofree gchar *title = NULL;
  gboolean ok = FALSE;

  g_return_val_if_fail (LERS_IS_ACCOUNTS (self), FALSE);
  if (!lers_accounts_acquire (self, &ac, cancellable, error))
    return FALSE;
  if (lers_store_exec_simple (ac.conn, "BEGIN", error)
      && (title = lers_accounts_group_title_on (ac.conn, group_id, error)) != NULL)
    {
      const gchar *v1[] = { title };
      const gchar *v2[] = { id_str };
      g_autoptr (PGresult) nodes = lers_store_exec (
          ac.conn,
          "UPDATE nodes SET groups = array_remove(groups, $1) WHERE groups @> ARRAY[$1]::text[]", 1,
          v1, error);
      g_autoptr (PGresult) del = NULL;

      if (nodes != NULL)
        del = lers_store_exec (ac.conn, "DELETE FROM node_groups WHERE id = $1::int8", 1, v2,
                               error);
      ok = del != NULL && lers_store_exec_simple (ac.conn, "COMMIT", error);
    }
  return lers_accounts_release (self, &ac, ok, cancellable, error);
}

/**
 * lers_accounts_set_group_member_sync:
 * @self: a #LersAccounts
 * @group_id: the group's id
 * @node_id: the node's id
 * @member: %TRUE to add the node to the group, %FALSE to take it out
 * @cancellable: (nullable): a #GCancellable
 * @error: return location for a #GError
 *
 * Adds a node to a group or takes it out (its groups name the group's
 * title or not). Adding a member twice or removing a non-member changes
 * nothing.
 *
 * Returns: %TRUE, or %FALSE with %LERS_ERROR_NOT_FOUND for an unknown
 *   group or node
 *
 * Since: 0.5
 */
gboolean
lers_accounts_set_group_member_sync (LersAccounts *self, gint64 group_id, gint64 node_id,
                                     gboolean member, GCancellable *cancellable, GError **error)
{
  LersAccountsConn ac;
  g_autofree gchar *node_str = lers_accounts_int (node_id);
  g_autofree gchar *title = NULL;
  gboolean ok = FALSE;

  g_return_val_if_fail (LERS_IS_ACCOUNTS (self), FALSE);
  if (!lers_accounts_acquire (self, &ac, cancellable, error))
    return FALSE;
  if (lers_store_exec_simple (ac.conn, "BEGIN", error)
      && (title = lers_accounts_group_title_on (ac.conn, group_id, error)) != NULL)
    {
      const gchar *values[] = { node_str, title };
      g_autoptr (PGresult) res = lers_store_exec (
          ac.conn,
          member ? "UPDATE nodes SET groups = CASE WHEN groups @> ARRAY[$2]::text[] THEN groups "
                   "ELSE array_append(groups, $2) END WHERE id = $1::int8"
                 : "UPDATE nodes SET groups = array_remove(groups, $2) WHERE id = $1::int8",
          2, values, error);
      if (res != NULL && g_strcmp0 (PQcmdTuples (res), "0") == 0)
        g_set_error (error, LERS_ERROR, LERS_ERROR_NOT_FOUND, _ ("There is no node with id %s"),
                     node_str);
      else if (res != NULL)
        ok = lers_store_exec_simple (ac.conn, "COMMIT", error);
    }
  return lers_accounts_release (self, &ac, ok, cancellable, error);
}

/* ---- scopes ------------------------------------------------------------ */

static const gchar *
lers_accounts_scope_column (LersScopeKind kind, const gchar **table, GError **error)
{
  switch (kind)
    {
    case LERS_SCOPE_KIND_GROUP:
      *table = "node_groups";
      return "group_id";
    case LERS_SCOPE_KIND_TERRITORY:
      *table = "territories";
      return "territory_id";
    case LERS_SCOPE_KIND_NODE:
      *table = "nodes";
      return "node_id";
    default:
      g_set_error (error, LERS_ERROR, LERS_ERROR_INVALID_ARGUMENT, _ ("Unknown scope kind %d"),
                   kind);
      return NULL;
    }
}

static void
lers_accounts_scope_not_found (LersScopeKind kind, const gchar *id, GError **error)
{
  switch (kind)
    {
    case LERS_SCOPE_KIND_GROUP:
      g_set_error (error, LERS_ERROR, LERS_ERROR_NOT_FOUND, _ ("There is no group with id %s"), id);
      break;
    case LERS_SCOPE_KIND_TERRITORY:
      g_set_error (error, LERS_ERROR, LERS_ERROR_NOT_FOUND, _ ("There is no territory with id %s"),
                   id);
      break;
    case LERS_SCOPE_KIND_NODE:
    default:
      g_set_error (error, LERS_ERROR, LERS_ERROR_NOT_FOUND, _ ("There is no node with id %s"), id);
      break;
    }
}

/**
 * lers_accounts_add_scope_sync:
 * @self: a #LersAccounts
 * @user_id: the user's id
 * @kind: what @target_id names
 * @target_id: a node group's, a territory's or a node's id
 * @cancellable: (nullable): a #GCancellable
 * @error: return location for a #GError
 *
 * Assigns a group, a territory (with the territories under it) or a node to
 * a user. Assigning it twice changes nothing.
 *
 * Returns: %TRUE, or %FALSE with %LERS_ERROR_NOT_FOUND for an unknown user
 *   or target
 *
 * Since: 0.5
 */
gboolean
lers_accounts_add_scope_sync (LersAccounts *self, gint64 user_id, LersScopeKind kind,
                              gint64 target_id, GCancellable *cancellable, GError **error)
{
  LersAccountsConn ac;
  g_autofree gchar *user_str = lers_accounts_int (user_id);
  g_autofree gchar *target_str = lers_accounts_int (target_id);
  g_autofree gchar *sql = NULL;
  const gchar *values[] = { user_str, target_str };
  const gchar *table = NULL;
  const gchar *column;
  g_autoptr (PGresult) res = NULL;
  gboolean ok = FALSE;

  g_return_val_if_fail (LERS_IS_ACCOUNTS (self), FALSE);
  column = lers_accounts_scope_column (kind, &table, error);
  if (column == NULL)
    return FALSE;
  /* the names come from the switch above, the values are parameters */
  sql = g_strdup_printf ("INSERT INTO user_scopes (user_id, %s) "
                         "SELECT u.id, t.id FROM users u, %s t "
                         "WHERE u.id = $1::int8 AND t.id = $2::int8 "
                         "ON CONFLICT DO NOTHING "
                         "RETURNING 1",
                         column, table);
  if (!lers_accounts_acquire (self, &ac, cancellable, error))
    return FALSE;
  res = lers_store_exec (ac.conn, sql, 2, values, error);
  if (res != NULL && PQntuples (res) == 0)
    {
      /* a duplicate, or a missing user or target */
      g_autofree gchar *check
          = g_strdup_printf ("SELECT (SELECT count(*) FROM users WHERE id = $1::int8), "
                             "(SELECT count(*) FROM %s WHERE id = $2::int8)",
                             table);
      g_autoptr (PGresult) c = lers_store_exec (ac.conn, check, 2, values, error);
      if (c != NULL && PQgetvalue (c, 0, 0)[0] == '0')
        g_set_error (error, LERS_ERROR, LERS_ERROR_NOT_FOUND, _ ("There is no user with id %s"),
                     user_str);
      else if (c != NULL && PQgetvalue (c, 0, 1)[0] == '0')
        lers_accounts_scope_not_found (kind, target_str, error);
      else
        ok = c != NULL;
    }
  else
    ok = res != NULL;
  return lers_accounts_release (self, &ac, ok, cancellable, error);
}

/**
 * lers_accounts_remove_scope_sync:
 * @self: a #LersAccounts
 * @user_id: the user's id
 * @kind: what @target_id names
 * @target_id: a node group's, a territory's or a node's id
 * @cancellable: (nullable): a #GCancellable
 * @error: return location for a #GError
 *
 * Takes an assignment away from a user.
 *
 * Returns: %TRUE, or %FALSE with %LERS_ERROR_NOT_FOUND when the user was
 *   not assigned it
 *
 * Since: 0.5
 */
gboolean
lers_accounts_remove_scope_sync (LersAccounts *self, gint64 user_id, LersScopeKind kind,
                                 gint64 target_id, GCancellable *cancellable, GError **error)
{
  LersAccountsConn ac;
  g_autofree gchar *user_str = lers_accounts_int (user_id);
  g_autofree gchar *target_str = lers_accounts_int (target_id);
  g_autofree gchar *sql = NULL;
  const gchar *values[] = { user_str, target_str };
  const gchar *table = NULL;
  const gchar *column;
  g_autoptr (PGresult) res = NULL;
  gboolean ok = FALSE;

  g_return_val_if_fail (LERS_IS_ACCOUNTS (self), FALSE);
  column = lers_accounts_scope_column (kind, &table, error);
  if (column == NULL)
    return FALSE;
  sql = g_strdup_printf ("DELETE FROM user_scopes WHERE user_id = $1::int8 AND %s = $2::int8",
                         column);
  if (!lers_accounts_acquire (self, &ac, cancellable, error))
    return FALSE;
  res = lers_store_exec (ac.conn, sql, 2, values, error);
  if (res != NULL && g_strcmp0 (PQcmdTuples (res), "0") == 0)
    g_set_error (error, LERS_ERROR, LERS_ERROR_NOT_FOUND,
                 _ ("User %s is not assigned that group, territory or node"), user_str);
  else
    ok = res != NULL;
  return lers_accounts_release (self, &ac, ok, cancellable, error);
}

/**
 * lers_accounts_list_scopes_sync:
 * @self: a #LersAccounts
 * @user_id: the user's id
 * @cancellable: (nullable): a #GCancellable
 * @error: return location for a #GError
 *
 * Lists what a user is assigned, as `aa{sv}`: `kind` (s: `group`,
 * `territory` or `node`), `id` (x: the group's, territory's or node's id)
 * and `title` (s).
 *
 * Returns: (transfer full): the scopes, or %NULL with @error set
 *
 * Since: 0.5
 */
GVariant *
lers_accounts_list_scopes_sync (LersAccounts *self, gint64 user_id, GCancellable *cancellable,
                                GError **error)
{
  LersAccountsConn ac;
  g_autofree gchar *id_str = lers_accounts_int (user_id);
  const gchar *values[] = { id_str };
  g_autoptr (PGresult) res = NULL;
  GVariantBuilder b;

  g_return_val_if_fail (LERS_IS_ACCOUNTS (self), NULL);
  if (!lers_accounts_acquire (self, &ac, cancellable, error))
    return NULL;
  res = lers_store_exec (
      ac.conn,
      "SELECT CASE WHEN s.group_id IS NOT NULL THEN 'group' "
      "WHEN s.territory_id IS NOT NULL THEN 'territory' ELSE 'node' END, "
      "coalesce(s.group_id, s.territory_id, s.node_id), coalesce(g.title, t.title, n.title, '') "
      "FROM user_scopes s LEFT JOIN node_groups g ON g.id = s.group_id "
      "LEFT JOIN territories t ON t.id = s.territory_id LEFT JOIN nodes n ON n.id = s.node_id "
      "WHERE s.user_id = $1::int8 ORDER BY s.id",
      1, values, error);
  lers_accounts_release (self, &ac, res != NULL, cancellable, error);
  if (res == NULL)
    return NULL;
  g_variant_builder_init (&b, G_VARIANT_TYPE ("aa{sv}"));
  for (gint i = 0; i < PQntuples (res); i++)
    {
      g_variant_builder_open (&b, G_VARIANT_TYPE ("a{sv}"));
      g_variant_builder_add (&b, "{sv}", "kind", g_variant_new_string (PQgetvalue (res, i, 0)));
      g_variant_builder_add (
          &b, "{sv}", "id",
          g_variant_new_int64 (g_ascii_strtoll (PQgetvalue (res, i, 1), NULL, 10)));
      g_variant_builder_add (&b, "{sv}", "title", g_variant_new_string (PQgetvalue (res, i, 2)));
      g_variant_builder_close (&b);
    }
  return g_variant_ref_sink (g_variant_builder_end (&b));
}

/* ---- visibility -------------------------------------------------------- */

/* The nodes a user's scopes name: its nodes, the nodes of its groups and
 * of its territories and every territory under them (a territory tree
 * with a cycle, edited by hand, ends: UNION drops repeats). $1: user id. */
#define LERS_ACCOUNTS_VISIBLE_SQL                                                                  \
  "WITH RECURSIVE terr (id) AS ("                                                                  \
  " SELECT territory_id FROM user_scopes WHERE user_id = $1::int8 AND territory_id IS NOT NULL"    \
  " UNION SELECT t.id FROM territories t JOIN terr ON t.parent_id = terr.id) "                     \
  "SELECT n.id FROM nodes n WHERE "                                                                \
  "n.id IN (SELECT node_id FROM user_scopes WHERE user_id = $1::int8 AND node_id IS NOT NULL) "    \
  "OR n.territory_id IN (SELECT id FROM terr) "                                                    \
  "OR EXISTS (SELECT 1 FROM user_scopes s JOIN node_groups g ON g.id = s.group_id "                \
  " WHERE s.user_id = $1::int8 AND n.groups @> ARRAY[g.title])"

/* Whether @user sees every node; when not, its scopes decide. */
static gboolean
lers_accounts_sees_all (LersStoreConn *conn, LersUser *user, gboolean *all, GError **error)
{
  g_autofree gchar *id_str = lers_accounts_int (lers_user_get_id (user));
  const gchar *values[] = { id_str };
  g_autoptr (PGresult) res = NULL;

  switch (lers_user_get_role (user))
    {
    case LERS_USER_ROLE_ADMIN:
      *all = TRUE;
      return TRUE;
    case LERS_USER_ROLE_SUBSCRIBER:
      *all = FALSE;
      return TRUE;
    default:
      res = lers_store_exec (
          conn, "SELECT NOT EXISTS (SELECT 1 FROM user_scopes WHERE user_id = $1::int8)", 1, values,
          error);
      if (res == NULL)
        return FALSE;
      *all = PQgetvalue (res, 0, 0)[0] == 't';
      return TRUE;
    }
}

/**
 * lers_accounts_get_visible_nodes_sync:
 * @self: a #LersAccounts
 * @user: the user (its id and role are used)
 * @all: (out): set to %TRUE when the user sees every node
 * @cancellable: (nullable): a #GCancellable
 * @error: return location for a #GError
 *
 * Which nodes a user sees: every node for an admin, and for an operator or
 * viewer without scopes; otherwise the nodes its scopes name (none for a
 * subscriber without scopes).
 *
 * Returns: (transfer full) (nullable) (element-type gint64): the node ids,
 *   ascending, or %NULL with @all set (or with @error set on failure)
 *
 * Since: 0.5
 */
GArray *
lers_accounts_get_visible_nodes_sync (LersAccounts *self, LersUser *user, gboolean *all,
                                      GCancellable *cancellable, GError **error)
{
  LersAccountsConn ac;
  g_autofree gchar *id_str = NULL;
  g_autoptr (PGresult) res = NULL;
  GArray *ids;
  gboolean sees_all = FALSE;

  g_return_val_if_fail (LERS_IS_ACCOUNTS (self), NULL);
  g_return_val_if_fail (LERS_IS_USER (user), NULL);
  g_return_val_if_fail (all != NULL, NULL);
  *all = FALSE;
  id_str = lers_accounts_int (lers_user_get_id (user));
  if (!lers_accounts_acquire (self, &ac, cancellable, error))
    return NULL;
  if (lers_accounts_sees_all (ac.conn, user, &sees_all, error) && !sees_all)
    {
      const gchar *values[] = { id_str };
      res = lers_store_exec (ac.conn, LERS_ACCOUNTS_VISIBLE_SQL " ORDER BY n.id", 1, values, error);
      if (res == NULL)
        return lers_accounts_release (self, &ac, FALSE, cancellable, error), NULL;
    }
  else if (!sees_all)
    return lers_accounts_release (self, &ac, FALSE, cancellable, error), NULL;
  lers_accounts_release (self, &ac, TRUE, cancellable, error);
  if (sees_all)
    {
      *all = TRUE;
      return NULL;
    }
  ids = g_array_sized_new (FALSE, FALSE, sizeof (gint64), PQntuples (res));
  for (gint i = 0; i < PQntuples (res); i++)
    {
      gint64 id = g_ascii_strtoll (PQgetvalue (res, i, 0), NULL, 10);
      g_array_append_val (ids, id);
    }
  return ids;
}

/**
 * lers_accounts_can_see_node_sync:
 * @self: a #LersAccounts
 * @user: the user (its id and role are used)
 * @node_id: a node's id
 * @cancellable: (nullable): a #GCancellable
 * @error: return location for a #GError
 *
 * Whether @user sees the node (see
 * [method@Lers.Accounts.get_visible_nodes_sync]).
 *
 * Returns: %TRUE if it does; %FALSE if it does not or on failure (with
 *   @error set)
 *
 * Since: 0.5
 */
gboolean
lers_accounts_can_see_node_sync (LersAccounts *self, LersUser *user, gint64 node_id,
                                 GCancellable *cancellable, GError **error)
{
  LersAccountsConn ac;
  g_autofree gchar *id_str = NULL;
  g_autofree gchar *node_str = lers_accounts_int (node_id);
  gboolean sees_all = FALSE;
  gboolean sees = FALSE;
  gboolean ok;

  g_return_val_if_fail (LERS_IS_ACCOUNTS (self), FALSE);
  g_return_val_if_fail (LERS_IS_USER (user), FALSE);
  id_str = lers_accounts_int (lers_user_get_id (user));
  if (!lers_accounts_acquire (self, &ac, cancellable, error))
    return FALSE;
  ok = lers_accounts_sees_all (ac.conn, user, &sees_all, error);
  if (ok)
    {
      const gchar *values[] = { id_str, node_str };
      g_autoptr (PGresult) res = lers_store_exec (
          ac.conn,
          sees_all ? "SELECT 1 FROM nodes n WHERE n.id = $2::int8 AND $1::int8 IS NOT NULL"
                   : "SELECT 1 FROM (" LERS_ACCOUNTS_VISIBLE_SQL ") v WHERE v.id = $2::int8",
          2, values, error);
      ok = res != NULL;
      sees = ok && PQntuples (res) > 0;
    }
  lers_accounts_release (self, &ac, ok, cancellable, error);
  return sees;
}
