/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

#include "auth/lers-accounts.h"
#include "store/lers-store-private.h"

G_BEGIN_DECLS

struct _LersAccounts
{
  GObject parent_instance;
  LersStore *store;
  /* A bound on concurrent password verifications (64 MiB each): the slots
   * taken, the limit, and a condition to wait for a free slot. */
  GMutex hash_lock;
  GCond hash_cond;
  guint hash_busy;
  guint hash_limit;
  /* The monotonic time of the last removal of expired rows, or 0. */
  gint64 last_cleanup;
};

/* For tests: at most @limit password verifications at once (at least 1). */
void lers_accounts_set_hash_limit (LersAccounts *self, guint limit);

/* A connection of the store's pool for one call: checked alive, with the
 * object-write bounds and @cancellable watched. */
typedef struct
{
  LersStoreConn *conn;
  LersStoreCancel *watch;
} LersAccountsConn;

G_GNUC_INTERNAL
gboolean lers_accounts_acquire (LersAccounts *self, LersAccountsConn *ac, GCancellable *cancellable,
                                GError **error);
/* Rolls back an open transaction when !@ok, and returns the connection. */
G_GNUC_INTERNAL
gboolean lers_accounts_release (LersAccounts *self, LersAccountsConn *ac, gboolean ok,
                                GCancellable *cancellable, GError **error);

/* The user columns in the order lers_accounts_user_from_row() reads them,
 * from a table aliased u. */
#define LERS_ACCOUNTS_USER_COLUMNS                                                                 \
  "u.id, u.login, u.display_name, u.email, u.phone, u.role, u.enabled, u.language, "               \
  "(extract(epoch FROM u.created_at) * 1000000)::int8, "                                           \
  "(extract(epoch FROM u.password_changed_at) * 1000000)::int8, "                                  \
  "(extract(epoch FROM u.last_login_at) * 1000000)::int8"
#define LERS_ACCOUNTS_N_USER_COLUMNS 11

G_GNUC_INTERNAL
LersUser *lers_accounts_user_from_row (PGresult *res, gint row, gint first_column);
G_GNUC_INTERNAL
LersUser *lers_accounts_get_user_on (LersStoreConn *conn, gint64 id, gboolean for_update,
                                     GError **error);
G_GNUC_INTERNAL
gchar *lers_accounts_user_to_json (LersUser *user);

G_GNUC_INTERNAL
gboolean lers_accounts_password_hash (const gchar *password, gchar **hash, GError **error);
G_GNUC_INTERNAL
gboolean lers_accounts_password_verify (const gchar *hash, const gchar *password);
G_GNUC_INTERNAL
gboolean lers_accounts_ensure_sodium (GError **error);

G_GNUC_INTERNAL
gboolean lers_accounts_audit_on (LersStoreConn *conn, gint64 user_id, const gchar *login,
                                 const gchar *action, const gchar *entity, gint64 entity_id,
                                 const gchar *before, const gchar *after, const gchar *address,
                                 GError **error);
G_GNUC_INTERNAL
gchar *lers_accounts_mask_json (const gchar *json, GError **error);

static inline gchar *
lers_accounts_int (gint64 v)
{
  return g_strdup_printf ("%" G_GINT64_FORMAT, v);
}

G_END_DECLS
