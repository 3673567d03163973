/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

#if !defined(__LERS_H_INSIDE__) && !defined(LERS_COMPILATION)
#error "Only <lers.h> can be included directly."
#endif

#include <gio/gio.h>

#include "model/lers-audit-entry.h"
#include "model/lers-enums.h"
#include "model/lers-node-group.h"
#include "model/lers-user.h"
#include "store/lers-store.h"

G_BEGIN_DECLS

/*
 * LersAccounts: users, their rights, sessions and tokens, node groups and
 * the audit log, over the tables of migration 0007. Every call blocks (the
 * daemon runs them on worker threads, the CLI directly); each runs on a
 * pooled connection of the store, in one transaction where it writes more
 * than one row, and every statement is parameterised.
 *
 * Errors (LERS_ERROR): INVALID_ARGUMENT (a login or password that breaks
 * the rules, an unknown role, a duplicate login or group title: the
 * message says which), NOT_FOUND, PERMISSION_DENIED (a wrong login or
 * password, a disabled user, an unknown or expired session: one message
 * for all, so a caller cannot tell which), BUSY (login throttled; the
 * message names the wait), DATABASE/CONNECTION from the store.
 *
 * Files: lers-accounts.c (struct, users, passwords), lers-accounts-
 * sessions.c (sessions, tokens, throttle), lers-accounts-scopes.c (groups,
 * scopes, visibility), lers-accounts-audit.c (audit).
 */

/**
 * LERS_PASSWORD_MIN_LENGTH:
 *
 * The shortest password accepted, in characters (not bytes).
 *
 * Since: 0.5
 */
#define LERS_PASSWORD_MIN_LENGTH 8

#define LERS_TYPE_ACCOUNTS (lers_accounts_get_type ())
G_DECLARE_FINAL_TYPE (LersAccounts, lers_accounts, LERS, ACCOUNTS, GObject)

LersAccounts *lers_accounts_new (LersStore *store);
LersStore *lers_accounts_get_store (LersAccounts *self);

/* ---- users (lers-accounts.c) ------------------------------------------ */

/* Creates a user; @password NULL leaves it without password login. The
 * password is hashed with crypto_pwhash_str (Argon2id, libsodium's
 * interactive limits). Returns the stored user with its id. */
LersUser *lers_accounts_add_user_sync (LersAccounts *self, const gchar *login, LersUserRole role,
                                       const gchar *password, GCancellable *cancellable,
                                       GError **error);
LersUser *lers_accounts_get_user_sync (LersAccounts *self, gint64 id, GCancellable *cancellable,
                                       GError **error);
LersUser *lers_accounts_find_user_sync (LersAccounts *self, const gchar *login,
                                        GCancellable *cancellable, GError **error);
/* Saves login, display-name, email, phone, role, enabled and language of
 * @user (by its id). Disabling a user ends its sessions and tokens. */
gboolean lers_accounts_update_user_sync (LersAccounts *self, LersUser *user,
                                         GCancellable *cancellable, GError **error);
/* @password NULL removes password login. Ends the user's browser sessions
 * (not its API tokens). */
gboolean lers_accounts_set_password_sync (LersAccounts *self, gint64 user_id, const gchar *password,
                                          GCancellable *cancellable, GError **error);
/* Refuses (INVALID_ARGUMENT) to delete or demote the last enabled admin. */
gboolean lers_accounts_delete_user_sync (LersAccounts *self, gint64 user_id,
                                         GCancellable *cancellable, GError **error);
guint lers_accounts_count_users_sync (LersAccounts *self, GCancellable *cancellable,
                                      GError **error);

/* ---- login, sessions and tokens (lers-accounts-sessions.c) ------------ */

/* Checks @login and @password and the throttle for @login and @address
 * (nullable): at most 5 failures a login and 20 an address in 15 minutes,
 * then that key is blocked for 15 minutes (BUSY, with *retry_after set to
 * the seconds left). Records a failure or clears the login's counter and
 * sets last-login, and writes the audit entry (login / login-failed). The
 * hash is checked even for an unknown login, so timing does not tell
 * whether a login exists. */
LersUser *lers_accounts_login_sync (LersAccounts *self, const gchar *login, const gchar *password,
                                    const gchar *address, guint *retry_after,
                                    GCancellable *cancellable, GError **error);
/* Starts a session or makes a token for @user_id; returns the secret (32
 * random bytes as 43 base64url characters), shown to the client once.
 * @title names a token; @expires NULL: a browser session expires 12 hours
 * after its last use, a token never. @csrf_token (out) is set for a
 * browser session. */
gchar *lers_accounts_create_session_sync (LersAccounts *self, gint64 user_id, LersSessionKind kind,
                                          const gchar *title, GDateTime *expires,
                                          const gchar *address, gint64 *session_id,
                                          gchar **csrf_token, GCancellable *cancellable,
                                          GError **error);
/* The user a secret belongs to, or PERMISSION_DENIED. Moves last_used_at
 * (at most once a minute) and a browser session's expiry. */
LersUser *lers_accounts_authenticate_sync (LersAccounts *self, const gchar *secret,
                                           LersSessionKind kind, gint64 *session_id,
                                           gchar **csrf_token, GCancellable *cancellable,
                                           GError **error);
/* The same, read-only: last_used_at and expires_at stay as they are. */
LersUser *lers_accounts_check_session_sync (LersAccounts *self, const gchar *secret,
                                            LersSessionKind kind, GCancellable *cancellable,
                                            GError **error);
gboolean lers_accounts_end_session_sync (LersAccounts *self, gint64 session_id,
                                         GCancellable *cancellable, GError **error);
/* @user_id's API tokens, newest first, as `aa{sv}`: id (x), title (s),
 * created (x, Unix seconds), last-used (x, 0 if never), expires (x, 0 if
 * never). The secrets are not kept and not listed. */
GVariant *lers_accounts_list_tokens_sync (LersAccounts *self, gint64 user_id,
                                          GCancellable *cancellable, GError **error);

/* ---- node groups, scopes and visibility (lers-accounts-scopes.c) ------ */

LersNodeGroup *lers_accounts_add_group_sync (LersAccounts *self, const gchar *title,
                                             const gchar *comment, GCancellable *cancellable,
                                             GError **error);
/* Renames (rewriting nodes.groups) and saves the comment of @group. */
gboolean lers_accounts_update_group_sync (LersAccounts *self, LersNodeGroup *group,
                                          GCancellable *cancellable, GError **error);
/* Removes the group and its title from every node's groups. */
gboolean lers_accounts_delete_group_sync (LersAccounts *self, gint64 group_id,
                                          GCancellable *cancellable, GError **error);
gboolean lers_accounts_set_group_member_sync (LersAccounts *self, gint64 group_id, gint64 node_id,
                                              gboolean member, GCancellable *cancellable,
                                              GError **error);
gboolean lers_accounts_add_scope_sync (LersAccounts *self, gint64 user_id, LersScopeKind kind,
                                       gint64 target_id, GCancellable *cancellable, GError **error);
gboolean lers_accounts_remove_scope_sync (LersAccounts *self, gint64 user_id, LersScopeKind kind,
                                          gint64 target_id, GCancellable *cancellable,
                                          GError **error);
/* @user_id's scopes as `aa{sv}`: kind (s: "group", "territory", "node"),
 * id (x: the group, territory or node), title (s). */
GVariant *lers_accounts_list_scopes_sync (LersAccounts *self, gint64 user_id,
                                          GCancellable *cancellable, GError **error);
/* The ids of the nodes @user sees, ascending, or NULL with *all set when it
 * sees every node (an admin; an operator or viewer without scopes). A
 * subscriber without scopes sees none (an empty array). */
GArray *lers_accounts_get_visible_nodes_sync (LersAccounts *self, LersUser *user, gboolean *all,
                                              GCancellable *cancellable, GError **error);
gboolean lers_accounts_can_see_node_sync (LersAccounts *self, LersUser *user, gint64 node_id,
                                          GCancellable *cancellable, GError **error);

/* ---- the audit log (lers-accounts-audit.c) ---------------------------- */

/* Writes one entry. @user NULL: the system (a CLI run as root, the
 * scheduler). @before and @after are JSON object texts or NULL; members
 * named password, password_hash, secret, token or whose name ends in
 * "password" are replaced by "***" before they are stored. */
gboolean lers_accounts_audit_sync (LersAccounts *self, LersUser *user, const gchar *action,
                                   const gchar *entity, gint64 entity_id, const gchar *before,
                                   const gchar *after, const gchar *address,
                                   GCancellable *cancellable, GError **error);

/* ---- the web workstation (lers-accounts-workstation.c) ---------------- */

gboolean lers_accounts_check_setting_key (const gchar *key, GError **error);
gchar *lers_accounts_get_settings_sync (LersAccounts *self, gint64 user_id,
                                        GCancellable *cancellable, GError **error);
gchar *lers_accounts_get_setting_sync (LersAccounts *self, gint64 user_id, const gchar *key,
                                       GCancellable *cancellable, GError **error);
gboolean lers_accounts_set_setting_sync (LersAccounts *self, gint64 user_id, const gchar *key,
                                         const gchar *value, guint max_keys,
                                         GCancellable *cancellable, GError **error);
gboolean lers_accounts_delete_setting_sync (LersAccounts *self, gint64 user_id, const gchar *key,
                                            GCancellable *cancellable, GError **error);
gchar *lers_accounts_list_diagrams_sync (LersAccounts *self, LersUser *user, gint64 node_id,
                                         gint64 group_id, gint64 after, guint limit,
                                         gboolean descending, GCancellable *cancellable,
                                         GError **error);
gchar *lers_accounts_get_diagram_sync (LersAccounts *self, LersUser *user, gint64 id,
                                       GCancellable *cancellable, GError **error);
gint64 lers_accounts_save_diagram_sync (LersAccounts *self, LersUser *user, gint64 id,
                                        const gchar *fields, gchar **before,
                                        GCancellable *cancellable, GError **error);
gboolean lers_accounts_delete_diagram_sync (LersAccounts *self, LersUser *user, gint64 id,
                                            gchar **before, GCancellable *cancellable,
                                            GError **error);

G_END_DECLS
