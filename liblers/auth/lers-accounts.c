/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "config.h"

#include <glib/gi18n-lib.h>
#include <json-glib/json-glib.h>
#include <sodium.h>
#include <string.h>

#include "auth/lers-accounts-private.h"
#include "lers-enum-types.h"
#include "lers-error.h"

/**
 * LersAccounts:
 *
 * Users, their rights, browser sessions and API tokens, node groups and
 * the audit log, over the tables of migration 0007.
 *
 * A user has a role ([enum@Lers.UserRole]) and a scope: the node groups,
 * territories (with the territories under them) and single nodes it is
 * assigned. An admin sees every node; an operator or viewer without a
 * scope sees every node too, with one only the nodes it names; a
 * subscriber sees only the nodes its scope names.
 *
 * Passwords are stored as libsodium's `crypto_pwhash_str()` text
 * (Argon2id); sessions and tokens as the SHA-256 of their secret. Every
 * call blocks: the daemon runs them on worker threads, the command line
 * directly. Errors are in the %LERS_ERROR domain: %LERS_ERROR_INVALID_ARGUMENT
 * for a login, password, title or role that breaks the rules,
 * %LERS_ERROR_NOT_FOUND, %LERS_ERROR_PERMISSION_DENIED for a wrong login or
 * password and an unknown or expired session (one message for all),
 * %LERS_ERROR_BUSY for a throttled login.
 *
 * Since: 0.5
 */

G_DEFINE_TYPE (LersAccounts, lers_accounts, G_TYPE_OBJECT)

static void
lers_accounts_finalize (GObject *object)
{
  LersAccounts *self = LERS_ACCOUNTS (object);

  g_clear_object (&self->store);
  g_mutex_clear (&self->hash_lock);
  g_cond_clear (&self->hash_cond);
  G_OBJECT_CLASS (lers_accounts_parent_class)->finalize (object);
}

static void
lers_accounts_class_init (LersAccountsClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = lers_accounts_finalize;
}

static void
lers_accounts_init (LersAccounts *self)
{
  g_mutex_init (&self->hash_lock);
  g_cond_init (&self->hash_cond);
  self->hash_limit = MAX (2, g_get_num_processors ());
}

void
lers_accounts_set_hash_limit (LersAccounts *self, guint limit)
{
  g_return_if_fail (LERS_IS_ACCOUNTS (self));
  g_mutex_lock (&self->hash_lock);
  self->hash_limit = MAX (1, limit);
  g_cond_broadcast (&self->hash_cond);
  g_mutex_unlock (&self->hash_lock);
}

gboolean
lers_accounts_ensure_sodium (GError **error)
{
  static gsize done = 0;
  static gboolean ok = FALSE;

  if (g_once_init_enter (&done))
    {
      ok = sodium_init () >= 0;
      g_once_init_leave (&done, 1);
    }
  if (!ok)
    g_set_error_literal (error, LERS_ERROR, LERS_ERROR_FAILED,
                         _ ("The cryptography library could not start"));
  return ok;
}

/**
 * lers_accounts_new:
 * @store: an open #LersStore
 *
 * Makes the accounts API over @store's database.
 *
 * Returns: (transfer full): a new #LersAccounts
 *
 * Since: 0.5
 */
LersAccounts *
lers_accounts_new (LersStore *store)
{
  LersAccounts *self;

  g_return_val_if_fail (LERS_IS_STORE (store), NULL);
  self = g_object_new (LERS_TYPE_ACCOUNTS, NULL);
  self->store = g_object_ref (store);
  return self;
}

/**
 * lers_accounts_get_store:
 * @self: a #LersAccounts
 *
 * Returns: (transfer none): the store
 *
 * Since: 0.5
 */
LersStore *
lers_accounts_get_store (LersAccounts *self)
{
  g_return_val_if_fail (LERS_IS_ACCOUNTS (self), NULL);
  return self->store;
}

/* ---- connections ------------------------------------------------------- */

gboolean
lers_accounts_acquire (LersAccounts *self, LersAccountsConn *ac, GCancellable *cancellable,
                       GError **error)
{
  ac->conn = NULL;
  ac->watch = NULL;
  if (g_cancellable_set_error_if_cancelled (cancellable, error))
    return FALSE;
  ac->conn = lers_store_acquire (self->store, error);
  if (ac->conn == NULL)
    return FALSE;
  if (!lers_store_conn_check (ac->conn, error)
      || !lers_store_apply_bound (self->store, ac->conn, LERS_STORE_BOUND_OBJECT_WRITE, FALSE,
                                  error))
    {
      lers_store_release (self->store, ac->conn);
      ac->conn = NULL;
      return FALSE;
    }
  ac->watch = lers_store_cancel_watch (self->store, ac->conn, cancellable);
  return TRUE;
}

gboolean
lers_accounts_release (LersAccounts *self, LersAccountsConn *ac, gboolean ok,
                       GCancellable *cancellable, GError **error)
{
  if (ac->conn == NULL)
    return ok;
  lers_store_cancel_unwatch (ac->watch);
  if (PQstatus (ac->conn->pg) == CONNECTION_OK
      && PQtransactionStatus (ac->conn->pg) != PQTRANS_IDLE)
    PQclear (PQexec (ac->conn->pg, "ROLLBACK"));
  if (!ok)
    lers_store_prefer_cancelled (cancellable, error);
  lers_store_release (self->store, ac->conn);
  ac->conn = NULL;
  return ok;
}

/* ---- helpers ----------------------------------------------------------- */

static GDateTime *
lers_accounts_time_from (PGresult *res, gint row, gint column)
{
  if (PQgetisnull (res, row, column))
    return NULL;
  return lers_store_datetime_from_unix_us (
      g_ascii_strtoll (PQgetvalue (res, row, column), NULL, 10));
}

static const gchar *
lers_accounts_text_from (PGresult *res, gint row, gint column)
{
  return PQgetisnull (res, row, column) ? NULL : PQgetvalue (res, row, column);
}

LersUser *
lers_accounts_user_from_row (PGresult *res, gint row, gint c)
{
  LersUser *user = lers_user_new ();
  g_autoptr (GDateTime) created = lers_accounts_time_from (res, row, c + 8);
  g_autoptr (GDateTime) changed = lers_accounts_time_from (res, row, c + 9);
  g_autoptr (GDateTime) last = lers_accounts_time_from (res, row, c + 10);
  gint role = atoi (PQgetvalue (res, row, c + 5));

  lers_user_set_id (user, g_ascii_strtoll (PQgetvalue (res, row, c), NULL, 10));
  lers_user_set_login (user, lers_accounts_text_from (res, row, c + 1));
  lers_user_set_display_name (user, lers_accounts_text_from (res, row, c + 2));
  lers_user_set_email (user, lers_accounts_text_from (res, row, c + 3));
  lers_user_set_phone (user, lers_accounts_text_from (res, row, c + 4));
  lers_user_set_role (user, CLAMP (role, LERS_USER_ROLE_ADMIN, LERS_USER_ROLE_SUBSCRIBER));
  lers_user_set_enabled (user, PQgetvalue (res, row, c + 6)[0] == 't');
  lers_user_set_language (user, lers_accounts_text_from (res, row, c + 7));
  lers_user_set_created (user, created);
  lers_user_set_password_changed (user, changed);
  lers_user_set_last_login (user, last);
  return user;
}

LersUser *
lers_accounts_get_user_on (LersStoreConn *conn, gint64 id, gboolean for_update, GError **error)
{
  g_autofree gchar *id_str = lers_accounts_int (id);
  const gchar *values[] = { id_str };
  g_autoptr (PGresult) res = NULL;

  res = lers_store_exec (conn,
                         for_update ? "SELECT " LERS_ACCOUNTS_USER_COLUMNS
                                      " FROM users u WHERE u.id = $1::int8 FOR UPDATE"
                                    : "SELECT " LERS_ACCOUNTS_USER_COLUMNS
                                      " FROM users u WHERE u.id = $1::int8",
                         1, values, error);
  if (res == NULL)
    return NULL;
  if (PQntuples (res) == 0)
    {
      g_set_error (error, LERS_ERROR, LERS_ERROR_NOT_FOUND, _ ("There is no user with id %s"),
                   id_str);
      return NULL;
    }
  return lers_accounts_user_from_row (res, 0, 0);
}

static void
lers_accounts_json_time (JsonBuilder *b, const gchar *name, GDateTime *dt)
{
  g_autofree gchar *text = dt != NULL ? g_date_time_format_iso8601 (dt) : NULL;

  json_builder_set_member_name (b, name);
  if (text != NULL)
    json_builder_add_string_value (b, text);
  else
    json_builder_add_null_value (b);
}

static void
lers_accounts_json_string (JsonBuilder *b, const gchar *name, const gchar *value)
{
  json_builder_set_member_name (b, name);
  if (value != NULL)
    json_builder_add_string_value (b, value);
  else
    json_builder_add_null_value (b);
}

/* The user as the API shows it, for the audit log. */
gchar *
lers_accounts_user_to_json (LersUser *user)
{
  g_autoptr (JsonBuilder) b = json_builder_new ();
  g_autoptr (JsonNode) root = NULL;
  g_autoptr (GEnumClass) roles = g_type_class_ref (LERS_TYPE_USER_ROLE);
  GEnumValue *role = g_enum_get_value (roles, lers_user_get_role (user));

  json_builder_begin_object (b);
  json_builder_set_member_name (b, "id");
  json_builder_add_int_value (b, lers_user_get_id (user));
  lers_accounts_json_string (b, "login", lers_user_get_login (user));
  lers_accounts_json_string (b, "display_name", lers_user_get_display_name (user));
  lers_accounts_json_string (b, "email", lers_user_get_email (user));
  lers_accounts_json_string (b, "phone", lers_user_get_phone (user));
  lers_accounts_json_string (b, "role", role != NULL ? role->value_nick : NULL);
  json_builder_set_member_name (b, "enabled");
  json_builder_add_boolean_value (b, lers_user_get_enabled (user));
  lers_accounts_json_string (b, "language", lers_user_get_language (user));
  lers_accounts_json_time (b, "created", lers_user_get_created (user));
  json_builder_end_object (b);
  root = json_builder_get_root (b);
  return json_to_string (root, FALSE);
}

/* ---- validation -------------------------------------------------------- */

static gboolean
lers_accounts_check_login (const gchar *login, GError **error)
{
  gsize len = login != NULL ? strlen (login) : 0;

  if (len == 0 || len > 64)
    {
      g_set_error_literal (error, LERS_ERROR, LERS_ERROR_INVALID_ARGUMENT,
                           _ ("A login has 1 to 64 characters"));
      return FALSE;
    }
  for (const gchar *p = login; *p != '\0'; p++)
    if (!g_ascii_isalnum (*p) && strchr ("_.@-", *p) == NULL)
      {
        g_set_error (error, LERS_ERROR, LERS_ERROR_INVALID_ARGUMENT,
                     _ ("A login may hold only Latin letters, digits and “_ . @ -”, not “%s”"),
                     login);
        return FALSE;
      }
  return TRUE;
}

/* Passwords longer than this (in bytes) are refused: hashing is costly
 * enough without megabytes of input. */
#define LERS_PASSWORD_MAX_BYTES 1024

static gboolean
lers_accounts_check_password (const gchar *password, GError **error)
{
  if (!g_utf8_validate (password, -1, NULL))
    {
      g_set_error_literal (error, LERS_ERROR, LERS_ERROR_INVALID_ARGUMENT,
                           _ ("The password is not valid UTF-8 text"));
      return FALSE;
    }
  if (g_utf8_strlen (password, -1) < LERS_PASSWORD_MIN_LENGTH)
    {
      g_set_error (error, LERS_ERROR, LERS_ERROR_INVALID_ARGUMENT,
                   _ ("A password has at least %d characters"), LERS_PASSWORD_MIN_LENGTH);
      return FALSE;
    }
  if (strlen (password) > LERS_PASSWORD_MAX_BYTES)
    {
      g_set_error (error, LERS_ERROR, LERS_ERROR_INVALID_ARGUMENT,
                   _ ("A password has at most %d bytes"), LERS_PASSWORD_MAX_BYTES);
      return FALSE;
    }
  return TRUE;
}

static gboolean
lers_accounts_check_role (gint role, GError **error)
{
  if (role < LERS_USER_ROLE_ADMIN || role > LERS_USER_ROLE_SUBSCRIBER)
    {
      g_set_error (error, LERS_ERROR, LERS_ERROR_INVALID_ARGUMENT, _ ("Unknown user role %d"),
                   role);
      return FALSE;
    }
  return TRUE;
}

gboolean
lers_accounts_password_hash (const gchar *password, gchar **hash, GError **error)
{
  gchar out[crypto_pwhash_STRBYTES];

  if (!lers_accounts_ensure_sodium (error))
    return FALSE;
  if (crypto_pwhash_str (out, password, strlen (password), crypto_pwhash_OPSLIMIT_INTERACTIVE,
                         crypto_pwhash_MEMLIMIT_INTERACTIVE)
      != 0)
    {
      g_set_error_literal (error, LERS_ERROR, LERS_ERROR_FAILED,
                           _ ("Out of memory while hashing the password"));
      return FALSE;
    }
  *hash = g_strdup (out);
  sodium_memzero (out, sizeof out);
  return TRUE;
}

gboolean
lers_accounts_password_verify (const gchar *hash, const gchar *password)
{
  if (!lers_accounts_ensure_sodium (NULL))
    return FALSE;
  return crypto_pwhash_str_verify (hash, password, strlen (password)) == 0;
}

/* Whether @login is taken by a user other than @except_id. */
static gboolean
lers_accounts_login_taken (LersStoreConn *conn, const gchar *login, gint64 except_id,
                           gboolean *taken, GError **error)
{
  g_autofree gchar *id_str = lers_accounts_int (except_id);
  const gchar *values[] = { login, id_str };
  g_autoptr (PGresult) res = lers_store_exec (
      conn, "SELECT 1 FROM users WHERE lower(login) = lower($1) AND id <> $2::int8", 2, values,
      error);

  if (res == NULL)
    return FALSE;
  *taken = PQntuples (res) > 0;
  if (*taken)
    g_set_error (error, LERS_ERROR, LERS_ERROR_INVALID_ARGUMENT,
                 _ ("There already is a user with login “%s”"), login);
  return TRUE;
}

/* ---- users ------------------------------------------------------------- */

/**
 * lers_accounts_add_user_sync:
 * @self: a #LersAccounts
 * @login: 1 to 64 of `A–Z a–z 0–9 _ . @ -`, unique regardless of case
 * @role: the user's role
 * @password: (nullable): at least %LERS_PASSWORD_MIN_LENGTH characters, or
 *   %NULL for a user without password login (API tokens only)
 * @cancellable: (nullable): a #GCancellable
 * @error: return location for a #GError
 *
 * Creates an enabled user. The password is hashed with Argon2id
 * (`crypto_pwhash_str()` with libsodium's interactive limits).
 *
 * Returns: (transfer full): the stored user with its id, or %NULL with
 *   %LERS_ERROR_INVALID_ARGUMENT for a bad or taken login or a bad password
 *
 * Since: 0.5
 */
LersUser *
lers_accounts_add_user_sync (LersAccounts *self, const gchar *login, LersUserRole role,
                             const gchar *password, GCancellable *cancellable, GError **error)
{
  LersAccountsConn ac;
  g_autofree gchar *hash = NULL;
  g_autofree gchar *role_str = NULL;
  g_autoptr (PGresult) res = NULL;
  gboolean taken = FALSE;
  LersUser *user = NULL;

  g_return_val_if_fail (LERS_IS_ACCOUNTS (self), NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (!lers_accounts_check_login (login, error) || !lers_accounts_check_role (role, error))
    return NULL;
  if (password != NULL
      && (!lers_accounts_check_password (password, error)
          || !lers_accounts_password_hash (password, &hash, error)))
    return NULL;
  role_str = g_strdup_printf ("%d", role);

  if (!lers_accounts_acquire (self, &ac, cancellable, error))
    return NULL;
  if (lers_accounts_login_taken (ac.conn, login, 0, &taken, error) && !taken)
    {
      const gchar *values[] = { login, role_str, hash };
      res = lers_store_exec (ac.conn,
                             "INSERT INTO users AS u (login, role, password_hash, "
                             "password_changed_at) VALUES ($1, $2::int2, $3::text, "
                             "CASE WHEN $3::text IS NULL THEN NULL ELSE now() END) "
                             "RETURNING " LERS_ACCOUNTS_USER_COLUMNS,
                             3, values, error);
      if (res != NULL)
        user = lers_accounts_user_from_row (res, 0, 0);
    }
  lers_accounts_release (self, &ac, user != NULL, cancellable, error);
  return user;
}

/**
 * lers_accounts_get_user_sync:
 * @self: a #LersAccounts
 * @id: the user's id
 * @cancellable: (nullable): a #GCancellable
 * @error: return location for a #GError
 *
 * Returns: (transfer full): the user, or %NULL with %LERS_ERROR_NOT_FOUND
 *
 * Since: 0.5
 */
LersUser *
lers_accounts_get_user_sync (LersAccounts *self, gint64 id, GCancellable *cancellable,
                             GError **error)
{
  LersAccountsConn ac;
  LersUser *user;

  g_return_val_if_fail (LERS_IS_ACCOUNTS (self), NULL);
  if (!lers_accounts_acquire (self, &ac, cancellable, error))
    return NULL;
  user = lers_accounts_get_user_on (ac.conn, id, FALSE, error);
  lers_accounts_release (self, &ac, user != NULL, cancellable, error);
  return user;
}

/**
 * lers_accounts_find_user_sync:
 * @self: a #LersAccounts
 * @login: the login, in any case
 * @cancellable: (nullable): a #GCancellable
 * @error: return location for a #GError
 *
 * Returns: (transfer full): the user whose login is @login regardless of
 *   case, or %NULL with %LERS_ERROR_NOT_FOUND
 *
 * Since: 0.5
 */
LersUser *
lers_accounts_find_user_sync (LersAccounts *self, const gchar *login, GCancellable *cancellable,
                              GError **error)
{
  LersAccountsConn ac;
  g_autoptr (PGresult) res = NULL;
  LersUser *user = NULL;
  const gchar *values[] = { login };

  g_return_val_if_fail (LERS_IS_ACCOUNTS (self), NULL);
  g_return_val_if_fail (login != NULL, NULL);
  if (!lers_accounts_acquire (self, &ac, cancellable, error))
    return NULL;
  res = lers_store_exec (ac.conn,
                         "SELECT " LERS_ACCOUNTS_USER_COLUMNS
                         " FROM users u WHERE lower(u.login) = lower($1)",
                         1, values, error);
  if (res != NULL && PQntuples (res) > 0)
    user = lers_accounts_user_from_row (res, 0, 0);
  else if (res != NULL)
    g_set_error (error, LERS_ERROR, LERS_ERROR_NOT_FOUND, _ ("There is no user “%s”"), login);
  lers_accounts_release (self, &ac, user != NULL, cancellable, error);
  return user;
}

/* Refuses when @user (as stored, an enabled admin) is the last enabled
 * admin. Locks the admins' rows until the end of the transaction. */
static gboolean
lers_accounts_check_not_last_admin (LersStoreConn *conn, LersUser *stored, GError **error)
{
  g_autoptr (PGresult) res = NULL;

  if (lers_user_get_role (stored) != LERS_USER_ROLE_ADMIN || !lers_user_get_enabled (stored))
    return TRUE;
  res = lers_store_exec (conn, "SELECT id FROM users WHERE role = 0 AND enabled FOR UPDATE", 0,
                         NULL, error);
  if (res == NULL)
    return FALSE;
  if (PQntuples (res) <= 1)
    {
      g_set_error (error, LERS_ERROR, LERS_ERROR_INVALID_ARGUMENT,
                   _ ("“%s” is the last enabled administrator: make another user an "
                      "administrator first"),
                   lers_user_get_login (stored));
      return FALSE;
    }
  return TRUE;
}

static gboolean
lers_accounts_update_user_on (LersStoreConn *conn, LersUser *user, GError **error)
{
  g_autoptr (LersUser) stored = NULL;
  g_autoptr (PGresult) res = NULL;
  g_autofree gchar *id_str = lers_accounts_int (lers_user_get_id (user));
  g_autofree gchar *role_str = g_strdup_printf ("%d", lers_user_get_role (user));
  const gchar *values[] = {
    id_str,
    lers_user_get_login (user),
    lers_user_get_display_name (user),
    lers_user_get_email (user),
    lers_user_get_phone (user),
    role_str,
    lers_user_get_enabled (user) ? "true" : "false",
    lers_user_get_language (user),
  };
  gboolean taken = FALSE;

  if (!lers_store_exec_simple (conn, "BEGIN", error))
    return FALSE;
  stored = lers_accounts_get_user_on (conn, lers_user_get_id (user), TRUE, error);
  if (stored == NULL)
    return FALSE;
  if ((lers_user_get_role (user) != LERS_USER_ROLE_ADMIN || !lers_user_get_enabled (user))
      && !lers_accounts_check_not_last_admin (conn, stored, error))
    return FALSE;
  if (!lers_accounts_login_taken (conn, lers_user_get_login (user), lers_user_get_id (user), &taken,
                                  error)
      || taken)
    return FALSE;
  res = lers_store_exec (conn,
                         "UPDATE users SET login = $2, display_name = $3, email = $4, phone = $5, "
                         "role = $6::int2, enabled = $7::bool, language = $8 WHERE id = $1::int8",
                         G_N_ELEMENTS (values), values, error);
  if (res == NULL)
    return FALSE;
  if (!lers_user_get_enabled (user))
    {
      /* a disabled user's browser sessions end; its tokens stay, refused
       * while it is disabled (lers_accounts_authenticate_sync) */
      g_autoptr (PGresult) del = lers_store_exec (
          conn, "DELETE FROM user_sessions WHERE user_id = $1::int8 AND kind = 0", 1, values,
          error);
      if (del == NULL)
        return FALSE;
    }
  return lers_store_exec_simple (conn, "COMMIT", error);
}

/**
 * lers_accounts_update_user_sync:
 * @self: a #LersAccounts
 * @user: the user, with its id and the new values
 * @cancellable: (nullable): a #GCancellable
 * @error: return location for a #GError
 *
 * Saves the login, display name, e-mail, phone, role, enabled flag and
 * language of @user. Disabling a user ends its browser sessions, and its
 * API tokens stop working until it is enabled again. Refuses to demote or
 * disable the last enabled admin.
 *
 * Returns: %TRUE, or %FALSE with %LERS_ERROR_NOT_FOUND or
 *   %LERS_ERROR_INVALID_ARGUMENT
 *
 * Since: 0.5
 */
gboolean
lers_accounts_update_user_sync (LersAccounts *self, LersUser *user, GCancellable *cancellable,
                                GError **error)
{
  LersAccountsConn ac;
  const gchar *language;
  gboolean ok;

  g_return_val_if_fail (LERS_IS_ACCOUNTS (self), FALSE);
  g_return_val_if_fail (LERS_IS_USER (user), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (!lers_accounts_check_login (lers_user_get_login (user), error)
      || !lers_accounts_check_role (lers_user_get_role (user), error))
    return FALSE;
  language = lers_user_get_language (user);
  if (language != NULL && g_strcmp0 (language, "ru") != 0 && g_strcmp0 (language, "en") != 0)
    {
      g_set_error (error, LERS_ERROR, LERS_ERROR_INVALID_ARGUMENT,
                   _ ("Unknown language “%s”: use “ru” or “en”"), language);
      return FALSE;
    }
  if (!lers_accounts_acquire (self, &ac, cancellable, error))
    return FALSE;
  ok = lers_accounts_update_user_on (ac.conn, user, error);
  return lers_accounts_release (self, &ac, ok, cancellable, error);
}

/**
 * lers_accounts_set_password_sync:
 * @self: a #LersAccounts
 * @user_id: the user's id
 * @password: (nullable): the new password (at least
 *   %LERS_PASSWORD_MIN_LENGTH characters), or %NULL to remove password login
 * @cancellable: (nullable): a #GCancellable
 * @error: return location for a #GError
 *
 * Sets or removes the password. Ends the user's browser sessions (not its
 * API tokens).
 *
 * Returns: %TRUE, or %FALSE with %LERS_ERROR_NOT_FOUND or
 *   %LERS_ERROR_INVALID_ARGUMENT
 *
 * Since: 0.5
 */
gboolean
lers_accounts_set_password_sync (LersAccounts *self, gint64 user_id, const gchar *password,
                                 GCancellable *cancellable, GError **error)
{
  LersAccountsConn ac;
  g_autofree gchar *hash = NULL;
  g_autofree gchar *id_str = lers_accounts_int (user_id);
  const gchar *values[] = { id_str, NULL };
  gboolean ok = FALSE;

  g_return_val_if_fail (LERS_IS_ACCOUNTS (self), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);
  if (password != NULL
      && (!lers_accounts_check_password (password, error)
          || !lers_accounts_password_hash (password, &hash, error)))
    return FALSE;
  values[1] = hash;
  if (!lers_accounts_acquire (self, &ac, cancellable, error))
    return FALSE;
  if (lers_store_exec_simple (ac.conn, "BEGIN", error))
    {
      g_autoptr (PGresult) res = lers_store_exec (
          ac.conn,
          "UPDATE users SET password_hash = $2, password_changed_at = now() WHERE id = $1::int8", 2,
          values, error);
      if (res != NULL && g_strcmp0 (PQcmdTuples (res), "0") == 0)
        g_set_error (error, LERS_ERROR, LERS_ERROR_NOT_FOUND, _ ("There is no user with id %s"),
                     id_str);
      else if (res != NULL)
        {
          g_autoptr (PGresult) del = lers_store_exec (
              ac.conn, "DELETE FROM user_sessions WHERE user_id = $1::int8 AND kind = 0", 1, values,
              error);
          ok = del != NULL && lers_store_exec_simple (ac.conn, "COMMIT", error);
        }
    }
  return lers_accounts_release (self, &ac, ok, cancellable, error);
}

/**
 * lers_accounts_delete_user_sync:
 * @self: a #LersAccounts
 * @user_id: the user's id
 * @cancellable: (nullable): a #GCancellable
 * @error: return location for a #GError
 *
 * Deletes a user with its sessions, tokens and scopes; its audit entries
 * keep its login. Refuses to delete the last enabled admin.
 *
 * Returns: %TRUE, or %FALSE with %LERS_ERROR_NOT_FOUND or
 *   %LERS_ERROR_INVALID_ARGUMENT
 *
 * Since: 0.5
 */
gboolean
lers_accounts_delete_user_sync (LersAccounts *self, gint64 user_id, GCancellable *cancellable,
                                GError **error)
{
  LersAccountsConn ac;
  g_autofree gchar *id_str = lers_accounts_int (user_id);
  const gchar *values[] = { id_str };
  gboolean ok = FALSE;

  g_return_val_if_fail (LERS_IS_ACCOUNTS (self), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);
  if (!lers_accounts_acquire (self, &ac, cancellable, error))
    return FALSE;
  if (lers_store_exec_simple (ac.conn, "BEGIN", error))
    {
      g_autoptr (LersUser) stored = lers_accounts_get_user_on (ac.conn, user_id, TRUE, error);
      if (stored != NULL && lers_accounts_check_not_last_admin (ac.conn, stored, error))
        {
          g_autoptr (PGresult) res = lers_store_exec (
              ac.conn, "DELETE FROM users WHERE id = $1::int8", 1, values, error);
          ok = res != NULL && lers_store_exec_simple (ac.conn, "COMMIT", error);
        }
    }
  return lers_accounts_release (self, &ac, ok, cancellable, error);
}

/**
 * lers_accounts_count_users_sync:
 * @self: a #LersAccounts
 * @cancellable: (nullable): a #GCancellable
 * @error: return location for a #GError
 *
 * Counts the users, enabled or not (the daemon asks whether any exists).
 *
 * Returns: the number of users; 0 with @error set on failure
 *
 * Since: 0.5
 */
guint
lers_accounts_count_users_sync (LersAccounts *self, GCancellable *cancellable, GError **error)
{
  LersAccountsConn ac;
  g_autoptr (PGresult) res = NULL;
  guint n = 0;

  g_return_val_if_fail (LERS_IS_ACCOUNTS (self), 0);
  if (!lers_accounts_acquire (self, &ac, cancellable, error))
    return 0;
  res = lers_store_exec (ac.conn, "SELECT count(*) FROM users", 0, NULL, error);
  if (res != NULL)
    n = (guint) g_ascii_strtoull (PQgetvalue (res, 0, 0), NULL, 10);
  lers_accounts_release (self, &ac, res != NULL, cancellable, error);
  return n;
}
