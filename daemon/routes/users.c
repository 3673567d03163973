/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Changes to users, their scopes and node groups (lersd_routes_users).
 * The lists and single objects (GET /users, /groups…) are routes/resources.c's.
 * Every change is written to the audit log with the object before and
 * after, as the API shows it.
 */
#include "config.h"

#include <glib/gi18n-lib.h>

#include "accounts-common.h"

/* ---------------------------------------------------------------------------
 * Users
 * ------------------------------------------------------------------------- */

static gboolean
lersd_users_check_login_free (LersAccounts *accounts, const gchar *login, gint64 self_id,
                              GCancellable *cancellable, GError **error)
{
  g_autoptr (GError) local_error = NULL;
  g_autoptr (LersUser) other
      = lers_accounts_find_user_sync (accounts, login, cancellable, &local_error);

  if (other == NULL && !g_error_matches (local_error, LERS_ERROR, LERS_ERROR_NOT_FOUND))
    {
      g_propagate_error (error, g_steal_pointer (&local_error));
      return FALSE;
    }
  if (other != NULL && lers_user_get_id (other) != self_id)
    {
      /* answered as 409 conflict (accounts-common.c) */
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_EXISTS,
                   _ ("There is already a user with the login \"%s\""), login);
      return FALSE;
    }
  return TRUE;
}

/* The members of a user a body may set (not the password, not the id);
 * the refused member goes to the error answer's "field" */
static gboolean lersd_users_apply_members (LersUser *user, JsonObject *body, gboolean creating,
                                           const gchar **field, GError **error);

static gboolean
lersd_users_apply (LersdRequest *req, LersUser *user, JsonObject *body, gboolean creating,
                   GError **error)
{
  const gchar *field = NULL;

  if (lersd_users_apply_members (user, body, creating, &field, error))
    return TRUE;
  lersd_request_set_error_field (req, field);
  return FALSE;
}

static gboolean
lersd_users_apply_members (LersUser *user, JsonObject *body, gboolean creating, const gchar **field,
                           GError **error)
{
  g_autoptr (GList) members = json_object_get_members (body);

  for (GList *l = members; l != NULL; l = l->next)
    {
      const gchar *name = l->data;
      const gchar *str = NULL;

      /* named by the error, if this member is refused */
      *field = name;
      if (g_str_equal (name, "login") || g_str_equal (name, "display_name")
          || g_str_equal (name, "email") || g_str_equal (name, "phone")
          || g_str_equal (name, "language"))
        {
          if (!lersd_accounts_get_string (body, name, g_str_equal (name, "login"), &str, error))
            return FALSE;
          if (g_str_equal (name, "language") && str != NULL && !g_str_equal (str, "ru")
              && !g_str_equal (str, "en"))
            {
              g_set_error (error, LERS_ERROR, LERS_ERROR_INVALID_ARGUMENT,
                           _ ("Unknown language \"%s\": \"ru\", \"en\" or null"), str);
              return FALSE;
            }
          if (g_str_equal (name, "login"))
            lers_user_set_login (user, str);
          else if (g_str_equal (name, "display_name"))
            lers_user_set_display_name (user, str);
          else if (g_str_equal (name, "email"))
            lers_user_set_email (user, str);
          else if (g_str_equal (name, "phone"))
            lers_user_set_phone (user, str);
          else
            lers_user_set_language (user, str);
        }
      else if (g_str_equal (name, "role"))
        {
          LersUserRole role;

          if (!lersd_accounts_get_string (body, name, TRUE, &str, error)
              || !lersd_accounts_parse_role (str, &role, error))
            return FALSE;
          lers_user_set_role (user, role);
        }
      else if (g_str_equal (name, "enabled"))
        {
          gboolean enabled = TRUE;

          if (!lersd_accounts_get_bool (body, name, &enabled, error))
            return FALSE;
          lers_user_set_enabled (user, enabled);
        }
      else if (creating && g_str_equal (name, "password"))
        continue;
      else if (g_str_equal (name, "password"))
        {
          g_set_error_literal (error, LERS_ERROR, LERS_ERROR_INVALID_ARGUMENT,
                               _ ("A password is set with PUT /users/{id}/password"));
          return FALSE;
        }
      else
        {
          /* TRANSLATORS: %s is a JSON member the client sent */
          g_set_error (error, LERS_ERROR, LERS_ERROR_INVALID_ARGUMENT,
                       _ ("A user has no member \"%s\" that can be set"), name);
          return FALSE;
        }
    }
  return TRUE;
}

static void
lersd_users_reply_user (LersdAccountsReply *reply, guint status, LersUser *user)
{
  reply->status = status;
  reply->body = lersd_accounts_object_to_json (G_OBJECT (user));
}

/* POST /users {login, role, password?, display_name?, email?, phone?,
 * language?, enabled?} → 201 the user */
static gboolean
lersd_users_create (LersdRequest *req, JsonObject *body, LersdAccountsReply *reply,
                    GCancellable *cancellable, GError **error)
{
  LersAccounts *accounts = lersd_request_get_accounts (req);
  const gchar *login, *role_nick, *password;
  LersUserRole role;
  g_autoptr (LersUser) probe = lers_user_new ();
  g_autoptr (LersUser) user = NULL;
  g_autofree gchar *after = NULL;
  g_autofree gchar *location = NULL;

  if (!lersd_accounts_get_string (body, "login", TRUE, &login, error))
    {
      lersd_request_set_error_field (req, "login");
      return FALSE;
    }
  if (!lersd_accounts_get_string (body, "role", TRUE, &role_nick, error)
      || !lersd_accounts_parse_role (role_nick, &role, error))
    {
      lersd_request_set_error_field (req, "role");
      return FALSE;
    }
  if (!lersd_accounts_get_string (body, "password", FALSE, &password, error))
    {
      lersd_request_set_error_field (req, "password");
      return FALSE;
    }
  if (!lersd_users_apply (req, probe, body, TRUE, error))
    return FALSE;
  if (!lersd_users_check_login_free (accounts, login, 0, cancellable, error))
    {
      lersd_request_set_error_field (req, "login");
      return FALSE;
    }
  user = lers_accounts_add_user_sync (accounts, login, role, password, cancellable, error);
  if (user == NULL)
    return FALSE;
  if (json_object_has_member (body, "display_name") || json_object_has_member (body, "email")
      || json_object_has_member (body, "phone") || json_object_has_member (body, "language")
      || json_object_has_member (body, "enabled"))
    {
      lers_user_set_display_name (user, lers_user_get_display_name (probe));
      lers_user_set_email (user, lers_user_get_email (probe));
      lers_user_set_phone (user, lers_user_get_phone (probe));
      lers_user_set_language (user, lers_user_get_language (probe));
      if (json_object_has_member (body, "enabled"))
        lers_user_set_enabled (user, lers_user_get_enabled (probe));
      if (!lers_accounts_update_user_sync (accounts, user, cancellable, error))
        {
          g_autoptr (GError) ignored = NULL;
          /* leave no half-made user behind */
          lers_accounts_delete_user_sync (accounts, lers_user_get_id (user), NULL, &ignored);
          return FALSE;
        }
    }
  g_clear_object (&user);
  user = lers_accounts_find_user_sync (accounts, login, cancellable, error);
  if (user == NULL)
    return FALSE;
  after = lersd_accounts_object_to_text (G_OBJECT (user));
  if (!lersd_request_audit (req, "create", "user", lers_user_get_id (user), NULL, after,
                            cancellable, error))
    return FALSE;
  location = g_strdup_printf (LERSD_API_PREFIX "/users/%" G_GINT64_FORMAT, lers_user_get_id (user));
  lersd_accounts_reply_header (reply, "Location", location);
  lersd_users_reply_user (reply, SOUP_STATUS_CREATED, user);
  return TRUE;
}

/* PATCH /users/{id}: the members given */
static gboolean
lersd_users_update (LersdRequest *req, JsonObject *body, LersdAccountsReply *reply,
                    GCancellable *cancellable, GError **error)
{
  LersAccounts *accounts = lersd_request_get_accounts (req);
  g_autoptr (LersUser) user = NULL;
  g_autoptr (LersUser) saved = NULL;
  g_autofree gchar *before = NULL;
  g_autofree gchar *after = NULL;
  gint64 id;

  if (!lersd_accounts_segment_id (req, 1, &id, error))
    return FALSE;
  user = lers_accounts_get_user_sync (accounts, id, cancellable, error);
  if (user == NULL)
    return FALSE;
  before = lersd_accounts_object_to_text (G_OBJECT (user));
  if (!lersd_users_apply (req, user, body, FALSE, error))
    return FALSE;
  if (json_object_has_member (body, "login")
      && !lersd_users_check_login_free (accounts, lers_user_get_login (user), id, cancellable,
                                        error))
    {
      lersd_request_set_error_field (req, "login");
      return FALSE;
    }
  if (!lers_accounts_update_user_sync (accounts, user, cancellable, error))
    return FALSE;
  saved = lers_accounts_get_user_sync (accounts, id, cancellable, error);
  if (saved == NULL)
    return FALSE;
  after = lersd_accounts_object_to_text (G_OBJECT (saved));
  if (!lersd_request_audit (req, "update", "user", id, before, after, cancellable, error))
    return FALSE;
  lersd_users_reply_user (reply, SOUP_STATUS_OK, saved);
  return TRUE;
}

/* DELETE /users/{id} → 204 */
static gboolean
lersd_users_delete (LersdRequest *req, JsonObject *body, LersdAccountsReply *reply,
                    GCancellable *cancellable, GError **error)
{
  LersAccounts *accounts = lersd_request_get_accounts (req);
  g_autoptr (LersUser) user = NULL;
  g_autofree gchar *before = NULL;
  gint64 id;

  if (!lersd_accounts_segment_id (req, 1, &id, error))
    return FALSE;
  user = lers_accounts_get_user_sync (accounts, id, cancellable, error);
  if (user == NULL)
    return FALSE;
  before = lersd_accounts_object_to_text (G_OBJECT (user));
  if (!lers_accounts_delete_user_sync (accounts, id, cancellable, error))
    return FALSE;
  if (!lersd_request_audit (req, "delete", "user", id, before, NULL, cancellable, error))
    return FALSE;
  reply->status = SOUP_STATUS_NO_CONTENT;
  return TRUE;
}

/* PUT /users/{id}/password {"password"} → 204; null removes password login */
static gboolean
lersd_users_password (LersdRequest *req, JsonObject *body, LersdAccountsReply *reply,
                      GCancellable *cancellable, GError **error)
{
  LersAccounts *accounts = lersd_request_get_accounts (req);
  g_autoptr (LersUser) user = NULL;
  const gchar *password = NULL;
  gint64 id;

  if (!lersd_accounts_segment_id (req, 1, &id, error))
    return FALSE;
  if (!json_object_has_member (body, "password"))
    {
      g_set_error (error, LERS_ERROR, LERS_ERROR_INVALID_ARGUMENT,
                   _ ("The request body lacks \"%s\""), "password");
      return FALSE;
    }
  if (!lersd_accounts_get_string (body, "password", FALSE, &password, error))
    return FALSE;
  user = lers_accounts_get_user_sync (accounts, id, cancellable, error);
  if (user == NULL)
    return FALSE;
  if (!lers_accounts_set_password_sync (accounts, id, password, cancellable, error))
    return FALSE;
  if (!lersd_request_audit (req, "password", "user", id, NULL, NULL, cancellable, error))
    return FALSE;
  reply->status = SOUP_STATUS_NO_CONTENT;
  return TRUE;
}

/* ---------------------------------------------------------------------------
 * Scopes
 * ------------------------------------------------------------------------- */

static gboolean
lersd_users_parse_scope_kind (const gchar *nick, LersScopeKind *kind, GError **error)
{
  GEnumClass *klass = g_type_class_ref (LERS_TYPE_SCOPE_KIND);
  GEnumValue *ev = nick != NULL ? g_enum_get_value_by_nick (klass, nick) : NULL;

  g_type_class_unref (klass);
  if (ev == NULL)
    {
      g_set_error (error, LERS_ERROR, LERS_ERROR_INVALID_ARGUMENT,
                   _ ("Unknown scope kind \"%s\": one of group, territory, node"),
                   nick != NULL ? nick : "");
      return FALSE;
    }
  *kind = ev->value;
  return TRUE;
}

static gchar *
lersd_users_scope_text (const gchar *kind, gint64 target)
{
  g_autoptr (JsonBuilder) b = json_builder_new ();
  g_autoptr (JsonNode) node = NULL;

  json_builder_begin_object (b);
  json_builder_set_member_name (b, "kind");
  json_builder_add_string_value (b, kind);
  json_builder_set_member_name (b, "id");
  json_builder_add_int_value (b, target);
  json_builder_end_object (b);
  node = json_builder_get_root (b);
  return lersd_accounts_node_to_text (node);
}

/* GET /users/{id}/scopes → {"items": [{"kind", "id", "title"}…], "next": null} */
static gboolean
lersd_users_scopes_list (LersdRequest *req, JsonObject *body, LersdAccountsReply *reply,
                         GCancellable *cancellable, GError **error)
{
  LersAccounts *accounts = lersd_request_get_accounts (req);
  g_autoptr (LersUser) user = NULL;
  g_autoptr (JsonBuilder) b = json_builder_new ();
  JsonNode *items;
  gint64 id;

  if (!lersd_accounts_segment_id (req, 1, &id, error))
    return FALSE;
  user = lers_accounts_get_user_sync (accounts, id, cancellable, error);
  if (user == NULL)
    return FALSE;
  items = lersd_accounts_scopes_to_json (accounts, id, cancellable, error);
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

/* POST /users/{id}/scopes {"kind", "id"} → 201 the user's scopes */
static gboolean
lersd_users_scopes_add (LersdRequest *req, JsonObject *body, LersdAccountsReply *reply,
                        GCancellable *cancellable, GError **error)
{
  LersAccounts *accounts = lersd_request_get_accounts (req);
  const gchar *kind_nick;
  LersScopeKind kind;
  g_autofree gchar *after = NULL;
  gint64 id, target;

  if (!lersd_accounts_segment_id (req, 1, &id, error)
      || !lersd_accounts_get_string (body, "kind", TRUE, &kind_nick, error)
      || !lersd_users_parse_scope_kind (kind_nick, &kind, error)
      || !lersd_accounts_get_id (body, "id", &target, error))
    return FALSE;
  if (!lers_accounts_add_scope_sync (accounts, id, kind, target, cancellable, error))
    return FALSE;
  after = lersd_users_scope_text (kind_nick, target);
  if (!lersd_request_audit (req, "scope-add", "user", id, NULL, after, cancellable, error))
    return FALSE;
  if (!lersd_users_scopes_list (req, NULL, reply, cancellable, error))
    return FALSE;
  reply->status = SOUP_STATUS_CREATED;
  return TRUE;
}

/* DELETE /users/{id}/scopes/{kind}/{target} → 204 */
static gboolean
lersd_users_scopes_remove (LersdRequest *req, JsonObject *body, LersdAccountsReply *reply,
                           GCancellable *cancellable, GError **error)
{
  LersAccounts *accounts = lersd_request_get_accounts (req);
  const gchar *kind_nick = lersd_request_get_segment (req, 3);
  LersScopeKind kind;
  g_autofree gchar *before = NULL;
  gint64 id, target;

  if (!lersd_accounts_segment_id (req, 1, &id, error)
      || !lersd_users_parse_scope_kind (kind_nick, &kind, error)
      || !lersd_accounts_segment_id (req, 4, &target, error))
    return FALSE;
  if (!lers_accounts_remove_scope_sync (accounts, id, kind, target, cancellable, error))
    return FALSE;
  before = lersd_users_scope_text (kind_nick, target);
  if (!lersd_request_audit (req, "scope-remove", "user", id, before, NULL, cancellable, error))
    return FALSE;
  reply->status = SOUP_STATUS_NO_CONTENT;
  return TRUE;
}

/* ---------------------------------------------------------------------------
 * Node groups
 * ------------------------------------------------------------------------- */

static LersNodeGroup *
lersd_groups_get (LersdRequest *req, gint64 id, GCancellable *cancellable, GError **error)
{
  gchar id_text[24];
  g_autoptr (GError) local_error = NULL;
  GObject *group = lers_store_get_sync (lersd_request_get_store (req), LERS_TYPE_NODE_GROUP, id,
                                        cancellable, &local_error);

  if (group == NULL)
    {
      if (g_error_matches (local_error, LERS_ERROR, LERS_ERROR_NOT_FOUND))
        g_set_error (error, LERS_ERROR, LERS_ERROR_NOT_FOUND,
                     _ ("There is no node group with id %s"), lersd_auth_id_text (id, id_text));
      else
        g_propagate_error (error, g_steal_pointer (&local_error));
      return NULL;
    }
  return LERS_NODE_GROUP (group);
}

/* POST /groups {"title", "comment"?} → 201 the group */
static gboolean
lersd_groups_create (LersdRequest *req, JsonObject *body, LersdAccountsReply *reply,
                     GCancellable *cancellable, GError **error)
{
  const gchar *title, *comment;
  g_autoptr (LersNodeGroup) group = NULL;
  g_autofree gchar *after = NULL;

  /* a group widens the scope of every user it is assigned to: only staff
   * who see every node change groups */
  if (!lersd_request_check_unscoped (req, cancellable, error))
    return FALSE;
  if (!lersd_accounts_get_string (body, "title", TRUE, &title, error)
      || !lersd_accounts_get_string (body, "comment", FALSE, &comment, error))
    return FALSE;
  group = lers_accounts_add_group_sync (lersd_request_get_accounts (req), title, comment,
                                        cancellable, error);
  if (group == NULL)
    return FALSE;
  after = lersd_accounts_object_to_text (G_OBJECT (group));
  if (!lersd_request_audit (req, "create", "node-group", lers_node_group_get_id (group), NULL,
                            after, cancellable, error))
    return FALSE;
  reply->status = SOUP_STATUS_CREATED;
  reply->body = lersd_accounts_object_to_json (G_OBJECT (group));
  return TRUE;
}

/* PATCH /groups/{id} {"title"?, "comment"?} */
static gboolean
lersd_groups_update (LersdRequest *req, JsonObject *body, LersdAccountsReply *reply,
                     GCancellable *cancellable, GError **error)
{
  g_autoptr (LersNodeGroup) group = NULL;
  g_autofree gchar *before = NULL;
  g_autofree gchar *after = NULL;
  g_autoptr (GList) members = json_object_get_members (body);
  gint64 id;

  if (!lersd_request_check_unscoped (req, cancellable, error))
    return FALSE;
  if (!lersd_accounts_segment_id (req, 1, &id, error))
    return FALSE;
  group = lersd_groups_get (req, id, cancellable, error);
  if (group == NULL)
    return FALSE;
  before = lersd_accounts_object_to_text (G_OBJECT (group));
  for (GList *l = members; l != NULL; l = l->next)
    {
      const gchar *name = l->data;
      const gchar *str = NULL;

      if (g_str_equal (name, "title"))
        {
          if (!lersd_accounts_get_string (body, name, TRUE, &str, error))
            return FALSE;
          lers_node_group_set_title (group, str);
        }
      else if (g_str_equal (name, "comment"))
        {
          if (!lersd_accounts_get_string (body, name, FALSE, &str, error))
            return FALSE;
          lers_node_group_set_comment (group, str);
        }
      else
        {
          g_set_error (error, LERS_ERROR, LERS_ERROR_INVALID_ARGUMENT,
                       _ ("A node group has no member \"%s\" that can be set"), name);
          return FALSE;
        }
    }
  if (!lers_accounts_update_group_sync (lersd_request_get_accounts (req), group, cancellable,
                                        error))
    return FALSE;
  after = lersd_accounts_object_to_text (G_OBJECT (group));
  if (!lersd_request_audit (req, "update", "node-group", id, before, after, cancellable, error))
    return FALSE;
  reply->body = lersd_accounts_object_to_json (G_OBJECT (group));
  return TRUE;
}

/* DELETE /groups/{id} → 204 */
static gboolean
lersd_groups_delete (LersdRequest *req, JsonObject *body, LersdAccountsReply *reply,
                     GCancellable *cancellable, GError **error)
{
  g_autoptr (LersNodeGroup) group = NULL;
  g_autofree gchar *before = NULL;
  gint64 id;

  if (!lersd_request_check_unscoped (req, cancellable, error))
    return FALSE;
  if (!lersd_accounts_segment_id (req, 1, &id, error))
    return FALSE;
  group = lersd_groups_get (req, id, cancellable, error);
  if (group == NULL)
    return FALSE;
  before = lersd_accounts_object_to_text (G_OBJECT (group));
  if (!lers_accounts_delete_group_sync (lersd_request_get_accounts (req), id, cancellable, error))
    return FALSE;
  if (!lersd_request_audit (req, "delete", "node-group", id, before, NULL, cancellable, error))
    return FALSE;
  reply->status = SOUP_STATUS_NO_CONTENT;
  return TRUE;
}

/* PUT|DELETE /groups/{id}/nodes/{node_id} → 204 */
static gboolean
lersd_groups_member (LersdRequest *req, JsonObject *body, LersdAccountsReply *reply,
                     GCancellable *cancellable, GError **error)
{
  gboolean member = g_str_equal (lersd_request_get_method (req), "PUT");
  g_autoptr (LersNodeGroup) group = NULL;
  g_autofree gchar *change = NULL;
  gint64 id, node_id;

  if (!lersd_request_check_unscoped (req, cancellable, error))
    return FALSE;
  if (!lersd_accounts_segment_id (req, 1, &id, error)
      || !lersd_accounts_segment_id (req, 3, &node_id, error))
    return FALSE;
  group = lersd_groups_get (req, id, cancellable, error);
  if (group == NULL)
    return FALSE;
  if (!lersd_request_check_node (req, node_id, cancellable, error))
    return FALSE;
  if (!lers_accounts_set_group_member_sync (lersd_request_get_accounts (req), id, node_id, member,
                                            cancellable, error))
    return FALSE;
  change = g_strdup_printf ("{\"node_id\": %" G_GINT64_FORMAT "}", node_id);
  if (!lersd_request_audit (req, member ? "member-add" : "member-remove", "node-group", id,
                            member ? NULL : change, member ? change : NULL, cancellable, error))
    return FALSE;
  reply->status = SOUP_STATUS_NO_CONTENT;
  return TRUE;
}

/* ---------------------------------------------------------------------------
 * The routes
 * ------------------------------------------------------------------------- */

#define LERSD_USERS_ROUTE(name, with_body)                                                         \
  static void lersd_route_##name (LersdRequest *req)                                               \
  {                                                                                                \
    lersd_accounts_run (req, with_body, lersd_##name);                                             \
  }

LERSD_USERS_ROUTE (users_create, TRUE)
LERSD_USERS_ROUTE (users_update, TRUE)
LERSD_USERS_ROUTE (users_delete, FALSE)
LERSD_USERS_ROUTE (users_password, TRUE)
LERSD_USERS_ROUTE (users_scopes_list, FALSE)
LERSD_USERS_ROUTE (users_scopes_add, TRUE)
LERSD_USERS_ROUTE (users_scopes_remove, FALSE)
LERSD_USERS_ROUTE (groups_create, TRUE)
LERSD_USERS_ROUTE (groups_update, TRUE)
LERSD_USERS_ROUTE (groups_delete, FALSE)
LERSD_USERS_ROUTE (groups_member, FALSE)

const LersdRoute lersd_routes_users[] = {
  { "POST", "users", LERSD_ACCESS_ADMIN, lersd_route_users_create },
  { "PATCH", "users/*", LERSD_ACCESS_ADMIN, lersd_route_users_update },
  { "DELETE", "users/*", LERSD_ACCESS_ADMIN, lersd_route_users_delete },
  { "PUT", "users/*/password", LERSD_ACCESS_ADMIN, lersd_route_users_password },
  { "GET", "users/*/scopes", LERSD_ACCESS_ADMIN, lersd_route_users_scopes_list },
  { "POST", "users/*/scopes", LERSD_ACCESS_ADMIN, lersd_route_users_scopes_add },
  { "DELETE", "users/*/scopes/*/*", LERSD_ACCESS_ADMIN, lersd_route_users_scopes_remove },
  { "POST", "groups", LERSD_ACCESS_OPERATE, lersd_route_groups_create },
  { "PATCH", "groups/*", LERSD_ACCESS_OPERATE, lersd_route_groups_update },
  { "DELETE", "groups/*", LERSD_ACCESS_OPERATE, lersd_route_groups_delete },
  { "PUT", "groups/*/nodes/*", LERSD_ACCESS_OPERATE, lersd_route_groups_member },
  { "DELETE", "groups/*/nodes/*", LERSD_ACCESS_OPERATE, lersd_route_groups_member },
  { NULL },
};
