/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "config.h"

#include <glib/gi18n-lib.h>
#include <sodium.h>
#include <string.h>

#include "auth/lers-accounts-private.h"
#include "lers-error.h"

/* The throttle: at most this many failures a key within the window, then
 * the key is blocked for LERS_THROTTLE_BLOCK. */
#define LERS_THROTTLE_LOGIN_FAILURES 5
#define LERS_THROTTLE_ADDRESS_FAILURES 20
#define LERS_THROTTLE_WINDOW "15 minutes"
#define LERS_THROTTLE_BLOCK "15 minutes"
/* A browser session ends this long after its last use. */
#define LERS_SESSION_IDLE "12 hours"
#define LERS_SECRET_BYTES 32
#define LERS_SECRET_CHARS 43

static void
lers_accounts_denied (GError **error)
{
  g_set_error_literal (error, LERS_ERROR, LERS_ERROR_PERMISSION_DENIED,
                       _ ("Wrong login or password, or the session has ended"));
}

/* 32 random bytes as base64url without padding (43 characters). */
static gchar *
lers_accounts_new_secret (void)
{
  guchar bytes[LERS_SECRET_BYTES];
  gchar *text;

  randombytes_buf (bytes, sizeof bytes);
  text = g_base64_encode (bytes, sizeof bytes);
  sodium_memzero (bytes, sizeof bytes);
  g_strdelimit (text, "+", '-');
  g_strdelimit (text, "/", '_');
  text[LERS_SECRET_CHARS] = '\0'; /* drop the one '=' */
  return text;
}

static gboolean
lers_accounts_secret_is_wellformed (const gchar *secret)
{
  if (secret == NULL || strlen (secret) != LERS_SECRET_CHARS)
    return FALSE;
  for (const gchar *p = secret; *p != '\0'; p++)
    if (!g_ascii_isalnum (*p) && *p != '-' && *p != '_')
      return FALSE;
  return TRUE;
}

/* The SHA-256 of @secret, as hex for decode($n, 'hex'), and raw. */
static gchar *
lers_accounts_secret_hash (const gchar *secret, guint8 digest[32])
{
  g_autoptr (GChecksum) sum = g_checksum_new (G_CHECKSUM_SHA256);
  gsize len = 32;

  g_checksum_update (sum, (const guchar *) secret, strlen (secret));
  g_checksum_get_digest (sum, digest, &len);
  return g_strdup (g_checksum_get_string (sum));
}

/* A hash to check a password against when the login is unknown, so an
 * unknown login costs as much time as a known one. */
static const gchar *
lers_accounts_dummy_hash (void)
{
  static gsize once = 0;
  static gchar *hash;

  if (g_once_init_enter (&once))
    {
      g_autofree gchar *secret = lers_accounts_new_secret ();
      if (!lers_accounts_password_hash (secret, &hash, NULL))
        hash = g_strdup ("");
      g_once_init_leave (&once, 1);
    }
  return hash;
}

static gchar *
lers_accounts_throttle_key (const gchar *kind, const gchar *value)
{
  g_autofree gchar *lower = g_utf8_strdown (value, -1);
  return g_strconcat (kind, ":", lower, NULL);
}

/* Counts an attempt for @key atomically, before the password is checked,
 * so parallel attempts cannot all pass a check made before any failure is
 * recorded. A new window starts when the last one is over; the attempt
 * that takes the count past @limit blocks the key. Sets *@seconds to the
 * seconds of block left (the attempt is refused), or 0. */
static gboolean
lers_accounts_throttle_count (LersStoreConn *conn, const gchar *key, gint limit, guint *seconds,
                              GError **error)
{
  g_autofree gchar *limit_str = g_strdup_printf ("%d", limit);
  const gchar *values[] = { key, limit_str };
  g_autoptr (PGresult) res = NULL;

  *seconds = 0;
  if (key == NULL)
    return TRUE;
  res = lers_store_exec (
      conn,
      "INSERT INTO login_throttle AS t (key, failures, window_start, blocked_until) "
      "VALUES ($1, 1, now(), CASE WHEN 1 > $2::int4 THEN now() + interval '" LERS_THROTTLE_BLOCK
      "' END) "
      "ON CONFLICT (key) DO UPDATE SET "
      "failures = CASE WHEN t.blocked_until > now() THEN t.failures "
      "WHEN t.window_start < now() - interval '" LERS_THROTTLE_WINDOW
      "' THEN 1 ELSE t.failures + 1 END, "
      "window_start = CASE WHEN t.blocked_until > now() THEN t.window_start "
      "WHEN t.window_start < now() - interval '" LERS_THROTTLE_WINDOW
      "' THEN now() ELSE t.window_start END, "
      "blocked_until = CASE WHEN t.blocked_until > now() THEN t.blocked_until "
      "WHEN (CASE WHEN t.window_start < now() - interval '" LERS_THROTTLE_WINDOW
      "' THEN 1 ELSE t.failures + 1 END) > $2::int4 THEN now() + interval '" LERS_THROTTLE_BLOCK
      "' ELSE t.blocked_until END "
      "RETURNING CASE WHEN t.blocked_until > now() THEN "
      "ceil(extract(epoch FROM t.blocked_until - now()))::int8 ELSE 0 END",
      2, values, error);
  if (res == NULL)
    return FALSE;
  *seconds = (guint) CLAMP (g_ascii_strtoll (PQgetvalue (res, 0, 0), NULL, 10), 0, G_MAXINT);
  return TRUE;
}

/* Gives back an attempt counted for @key that turned out not to be a
 * failure (a right password, or refused for the other key). */
static gboolean
lers_accounts_throttle_refund (LersStoreConn *conn, const gchar *key, GError **error)
{
  const gchar *values[] = { key };
  g_autoptr (PGresult) res = NULL;

  if (key == NULL)
    return TRUE;
  res = lers_store_exec (conn,
                         "UPDATE login_throttle SET failures = greatest(failures - 1, 0) "
                         "WHERE key = $1 AND (blocked_until IS NULL OR blocked_until <= now())",
                         1, values, error);
  return res != NULL;
}

#define LERS_HASH_WAIT_SECONDS 5

/* Takes one of the slots for a password verification, waiting at most
 * LERS_HASH_WAIT_SECONDS; FALSE with LERS_ERROR_BUSY when none came. */
static gboolean
lers_accounts_hash_enter (LersAccounts *self, guint *retry_after, GError **error)
{
  gint64 until = g_get_monotonic_time () + LERS_HASH_WAIT_SECONDS * G_TIME_SPAN_SECOND;
  gboolean ok = TRUE;

  g_mutex_lock (&self->hash_lock);
  while (self->hash_busy >= self->hash_limit)
    if (!g_cond_wait_until (&self->hash_cond, &self->hash_lock, until)
        && self->hash_busy >= self->hash_limit)
      {
        ok = FALSE;
        break;
      }
  if (ok)
    self->hash_busy++;
  g_mutex_unlock (&self->hash_lock);
  if (!ok)
    {
      if (retry_after != NULL)
        *retry_after = LERS_HASH_WAIT_SECONDS;
      g_set_error_literal (error, LERS_ERROR, LERS_ERROR_BUSY,
                           _ ("Too many logins at once; try again in a few seconds"));
    }
  return ok;
}

static void
lers_accounts_hash_leave (LersAccounts *self)
{
  g_mutex_lock (&self->hash_lock);
  self->hash_busy--;
  g_cond_signal (&self->hash_cond);
  g_mutex_unlock (&self->hash_lock);
}

/* At most once a minute: removes sessions and tokens that expired more
 * than a day ago and throttle rows whose window and block both ended more
 * than a day ago. A failure here does not fail the login. */
static void
lers_accounts_cleanup (LersAccounts *self, LersStoreConn *conn)
{
  gint64 now = g_get_monotonic_time ();
  gboolean due;
  g_autoptr (GError) error = NULL;
  g_autoptr (PGresult) sessions = NULL;
  g_autoptr (PGresult) throttle = NULL;

  g_mutex_lock (&self->hash_lock);
  due = self->last_cleanup == 0 || now - self->last_cleanup >= 60 * G_TIME_SPAN_SECOND;
  if (due)
    self->last_cleanup = now;
  g_mutex_unlock (&self->hash_lock);
  if (!due)
    return;
  sessions = lers_store_exec (conn,
                              "DELETE FROM user_sessions WHERE expires_at < now() - interval "
                              "'1 day'",
                              0, NULL, &error);
  if (sessions != NULL)
    throttle = lers_store_exec (
        conn,
        "DELETE FROM login_throttle WHERE window_start < now() - interval '" LERS_THROTTLE_WINDOW
        "' - interval '1 day' AND (blocked_until IS NULL OR blocked_until < now() - interval "
        "'1 day')",
        0, NULL, &error);
  if (error != NULL)
    g_debug ("Removing expired sessions: %s", error->message);
}

/**
 * lers_accounts_login_sync:
 * @self: a #LersAccounts
 * @login: the login, in any case
 * @password: the password
 * @address: (nullable): the client's network address, for the throttle and
 *   the audit log
 * @retry_after: (out) (optional): when throttled, the seconds to wait;
 *   else 0
 * @cancellable: (nullable): a #GCancellable
 * @error: return location for a #GError
 *
 * Checks a login and password. At most 5 failures a login and 20 an
 * address are allowed within 15 minutes; then that login or address is
 * blocked for 15 minutes and every attempt, right or wrong, fails with
 * %LERS_ERROR_BUSY and @retry_after set. A failure is counted for the
 * login and the address; a success clears the login's count, records the
 * time of the login and rehashes a password stored with weaker limits.
 * Both write an audit entry (`login` or `login-failed`). The password is
 * checked against a hash even for an unknown login, so the time taken does
 * not tell whether a login exists. Every attempt is counted before the
 * password is checked (a right one gives its count back), so parallel
 * attempts cannot pass the limit. At most as many passwords as there are
 * processors (at least 2) are checked at once; a login that waits more
 * than 5 seconds for its turn fails with %LERS_ERROR_BUSY and
 * @retry_after 5. A successful login also removes, at most once a minute,
 * sessions that expired and throttle rows that ended more than a day ago.
 *
 * Returns: (transfer full): the user, or %NULL with
 *   %LERS_ERROR_PERMISSION_DENIED (wrong login or password, a disabled user,
 *   a user without a password: one message for all) or %LERS_ERROR_BUSY
 *
 * Since: 0.5
 */
LersUser *
lers_accounts_login_sync (LersAccounts *self, const gchar *login, const gchar *password,
                          const gchar *address, guint *retry_after, GCancellable *cancellable,
                          GError **error)
{
  LersAccountsConn ac;
  g_autofree gchar *login_key = NULL;
  g_autofree gchar *address_key = NULL;
  g_autofree gchar *stored_hash = NULL;
  g_autofree gchar *new_hash = NULL;
  g_autoptr (LersUser) user = NULL;
  g_autoptr (PGresult) res = NULL;
  g_autoptr (GError) local_error = NULL;
  const gchar *values[2];
  guint wait = 0;
  gboolean good;
  gboolean slot = FALSE;
  gboolean ok = FALSE;

  g_return_val_if_fail (LERS_IS_ACCOUNTS (self), NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);
  if (retry_after != NULL)
    *retry_after = 0;
  if (login == NULL || password == NULL || !g_utf8_validate (login, -1, NULL)
      || strlen (login) > 256 || strlen (password) > 1024)
    {
      lers_accounts_denied (error);
      return NULL;
    }
  if (!lers_accounts_ensure_sodium (error))
    return NULL;
  login_key = lers_accounts_throttle_key ("login", login);
  address_key = address != NULL ? lers_accounts_throttle_key ("address", address) : NULL;

  /* a slot first: it bounds the memory of the verifications and, as each
   * login holds it, the pooled connections logins take */
  if (!lers_accounts_hash_enter (self, retry_after, error))
    return NULL;
  slot = TRUE;
  if (!lers_accounts_acquire (self, &ac, cancellable, &local_error))
    goto out;
  if (!lers_accounts_throttle_count (ac.conn, login_key, LERS_THROTTLE_LOGIN_FAILURES, &wait,
                                     &local_error))
    goto out;
  if (wait == 0)
    {
      if (!lers_accounts_throttle_count (ac.conn, address_key, LERS_THROTTLE_ADDRESS_FAILURES,
                                         &wait, &local_error))
        goto out;
      if (wait > 0 && !lers_accounts_throttle_refund (ac.conn, login_key, &local_error))
        goto out;
    }
  if (wait > 0)
    {
      if (retry_after != NULL)
        *retry_after = wait;
      g_set_error (&local_error, LERS_ERROR, LERS_ERROR_BUSY,
                   g_dngettext (GETTEXT_PACKAGE, "Too many failed logins: try again in %u second",
                                "Too many failed logins: try again in %u seconds", wait),
                   wait);
      goto out;
    }

  values[0] = login;
  res = lers_store_exec (ac.conn,
                         "SELECT " LERS_ACCOUNTS_USER_COLUMNS
                         ", u.password_hash FROM users u WHERE lower(u.login) = lower($1)",
                         1, values, &local_error);
  if (res == NULL)
    goto out;
  if (PQntuples (res) > 0)
    {
      user = lers_accounts_user_from_row (res, 0, 0);
      if (!PQgetisnull (res, 0, LERS_ACCOUNTS_N_USER_COLUMNS))
        stored_hash = g_strdup (PQgetvalue (res, 0, LERS_ACCOUNTS_N_USER_COLUMNS));
    }

  /* the connection goes back to the pool for the ~100 ms of hashing */
  lers_accounts_release (self, &ac, TRUE, cancellable, NULL);
  good = lers_accounts_password_verify (
      stored_hash != NULL ? stored_hash : lers_accounts_dummy_hash (), password);
  good = good && user != NULL && stored_hash != NULL && lers_user_get_enabled (user);
  if (good
      && crypto_pwhash_str_needs_rehash (stored_hash, crypto_pwhash_OPSLIMIT_INTERACTIVE,
                                         crypto_pwhash_MEMLIMIT_INTERACTIVE)
             != 0)
    lers_accounts_password_hash (password, &new_hash, NULL);
  lers_accounts_hash_leave (self);
  slot = FALSE;
  if (!lers_accounts_acquire (self, &ac, cancellable, &local_error))
    goto out;

  if (!lers_store_exec_simple (ac.conn, "BEGIN", &local_error))
    goto out;
  if (!good)
    {
      /* the attempt was counted for both keys before the check */
      if (!lers_accounts_audit_on (
              ac.conn, user != NULL ? lers_user_get_id (user) : 0, login, "login-failed", "user",
              user != NULL ? lers_user_get_id (user) : 0, NULL, NULL, address, &local_error)
          || !lers_store_exec_simple (ac.conn, "COMMIT", &local_error))
        goto out;
      lers_accounts_denied (&local_error);
      goto out;
    }

  if (new_hash != NULL)
    {
      g_autofree gchar *id_str = lers_accounts_int (lers_user_get_id (user));
      const gchar *v[] = { id_str, new_hash };
      g_autoptr (PGresult) up = lers_store_exec (
          ac.conn, "UPDATE users SET password_hash = $2 WHERE id = $1::int8", 2, v, &local_error);
      if (up == NULL)
        goto out;
    }
  {
    g_autofree gchar *id_str = lers_accounts_int (lers_user_get_id (user));
    const gchar *v[] = { id_str };
    const gchar *k[] = { login_key };
    g_autoptr (PGresult) up = NULL;
    g_autoptr (PGresult) del = NULL;
    g_autoptr (GDateTime) now = NULL;

    up = lers_store_exec (ac.conn,
                          "UPDATE users SET last_login_at = now() WHERE id = $1::int8 "
                          "RETURNING (extract(epoch FROM last_login_at) * 1000000)::int8",
                          1, v, &local_error);
    if (up == NULL)
      goto out;
    now = lers_store_datetime_from_unix_us (g_ascii_strtoll (PQgetvalue (up, 0, 0), NULL, 10));
    lers_user_set_last_login (user, now);
    /* a success clears the login's count and was no failure of the
     * address */
    del = lers_store_exec (ac.conn, "DELETE FROM login_throttle WHERE key = $1", 1, k,
                           &local_error);
    if (del == NULL || !lers_accounts_throttle_refund (ac.conn, address_key, &local_error))
      goto out;
  }
  if (!lers_accounts_audit_on (ac.conn, lers_user_get_id (user), lers_user_get_login (user),
                               "login", "user", lers_user_get_id (user), NULL, NULL, address,
                               &local_error)
      || !lers_store_exec_simple (ac.conn, "COMMIT", &local_error))
    goto out;
  lers_accounts_cleanup (self, ac.conn);
  ok = TRUE;

out:
  if (slot)
    lers_accounts_hash_leave (self);
  if (stored_hash != NULL)
    sodium_memzero (stored_hash, strlen (stored_hash));
  lers_accounts_release (self, &ac, ok, cancellable, &local_error);
  if (!ok)
    {
      g_propagate_error (error, g_steal_pointer (&local_error));
      return NULL;
    }
  return g_steal_pointer (&user);
}

/**
 * lers_accounts_create_session_sync:
 * @self: a #LersAccounts
 * @user_id: the user's id
 * @kind: a browser session or an API token
 * @title: (nullable): a token's name (`Выгрузка в 1С`)
 * @expires: (nullable): when it ends; %NULL: a browser session ends 12
 *   hours after its last use, a token never
 * @address: (nullable): the client's network address
 * @session_id: (out) (optional): the new session's id
 * @csrf_token: (out) (optional) (transfer full) (nullable): a browser
 *   session's CSRF token (%NULL for a token)
 * @cancellable: (nullable): a #GCancellable
 * @error: return location for a #GError
 *
 * Starts a browser session or makes an API token. Only the SHA-256 of the
 * secret is stored: the secret is shown to the client once.
 *
 * Returns: (transfer full): the secret, 32 random bytes as 43 base64url
 *   characters; %NULL with %LERS_ERROR_NOT_FOUND for an unknown user
 *
 * Since: 0.5
 */
gchar *
lers_accounts_create_session_sync (LersAccounts *self, gint64 user_id, LersSessionKind kind,
                                   const gchar *title, GDateTime *expires, const gchar *address,
                                   gint64 *session_id, gchar **csrf_token,
                                   GCancellable *cancellable, GError **error)
{
  LersAccountsConn ac;
  g_autofree gchar *secret = NULL;
  g_autofree gchar *hash_hex = NULL;
  g_autofree gchar *csrf = NULL;
  g_autofree gchar *id_str = lers_accounts_int (user_id);
  g_autofree gchar *kind_str = NULL;
  g_autofree gchar *expires_str = NULL;
  g_autoptr (PGresult) res = NULL;
  guint8 digest[32];
  gboolean ok = FALSE;

  g_return_val_if_fail (LERS_IS_ACCOUNTS (self), NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);
  if (session_id != NULL)
    *session_id = 0;
  if (csrf_token != NULL)
    *csrf_token = NULL;
  if (kind != LERS_SESSION_KIND_BROWSER && kind != LERS_SESSION_KIND_TOKEN)
    {
      g_set_error (error, LERS_ERROR, LERS_ERROR_INVALID_ARGUMENT, _ ("Unknown session kind %d"),
                   kind);
      return NULL;
    }
  if (title != NULL && (!g_utf8_validate (title, -1, NULL) || strlen (title) > 200))
    {
      g_set_error_literal (error, LERS_ERROR, LERS_ERROR_INVALID_ARGUMENT,
                           _ ("A token's title is UTF-8 text of at most 200 bytes"));
      return NULL;
    }
  if (!lers_accounts_ensure_sodium (error))
    return NULL;
  secret = lers_accounts_new_secret ();
  hash_hex = lers_accounts_secret_hash (secret, digest);
  if (kind == LERS_SESSION_KIND_BROWSER)
    csrf = lers_accounts_new_secret ();
  kind_str = g_strdup_printf ("%d", kind);
  if (expires != NULL)
    expires_str = g_date_time_format_iso8601 (expires);

  if (!lers_accounts_acquire (self, &ac, cancellable, error))
    return NULL;
  {
    const gchar *values[] = { id_str, kind_str, title, hash_hex, csrf, address, expires_str };
    res = lers_store_exec (
        ac.conn,
        "INSERT INTO user_sessions (user_id, kind, title, secret_hash, csrf_token, address, "
        "expires_at) SELECT u.id, $2::int2, $3, decode($4, 'hex'), $5, $6, "
        "coalesce($7::timestamptz, CASE WHEN $2::int2 = 0 THEN now() + interval '" LERS_SESSION_IDLE
        "' END) FROM users u WHERE u.id = $1::int8 RETURNING id",
        G_N_ELEMENTS (values), values, error);
  }
  if (res != NULL && PQntuples (res) == 0)
    g_set_error (error, LERS_ERROR, LERS_ERROR_NOT_FOUND, _ ("There is no user with id %s"),
                 id_str);
  else if (res != NULL)
    {
      ok = TRUE;
      if (session_id != NULL)
        *session_id = g_ascii_strtoll (PQgetvalue (res, 0, 0), NULL, 10);
    }
  lers_accounts_release (self, &ac, ok, cancellable, error);
  if (!ok)
    return NULL;
  if (csrf_token != NULL)
    *csrf_token = g_steal_pointer (&csrf);
  return g_steal_pointer (&secret);
}

static LersUser *lers_accounts_authenticate (LersAccounts *self, const gchar *secret,
                                             LersSessionKind kind, gboolean touch,
                                             gint64 *session_id, gchar **csrf_token,
                                             GCancellable *cancellable, GError **error);

/**
 * lers_accounts_authenticate_sync:
 * @self: a #LersAccounts
 * @secret: the secret the client sent (a cookie or a bearer token)
 * @kind: which kind of session it must be
 * @session_id: (out) (optional): the session's id
 * @csrf_token: (out) (optional) (transfer full) (nullable): a browser
 *   session's CSRF token
 * @cancellable: (nullable): a #GCancellable
 * @error: return location for a #GError
 *
 * Finds the user a secret belongs to. Fails for an unknown, expired or
 * malformed secret and for a disabled user. Moves the session's last use
 * (at most once a minute) and, for a browser session, its expiry to 12
 * hours after now.
 *
 * Returns: (transfer full): the user, or %NULL with
 *   %LERS_ERROR_PERMISSION_DENIED
 *
 * Since: 0.5
 */
LersUser *
lers_accounts_authenticate_sync (LersAccounts *self, const gchar *secret, LersSessionKind kind,
                                 gint64 *session_id, gchar **csrf_token, GCancellable *cancellable,
                                 GError **error)
{
  return lers_accounts_authenticate (self, secret, kind, TRUE, session_id, csrf_token, cancellable,
                                     error);
}

/**
 * lers_accounts_check_session_sync:
 * @self: a #LersAccounts
 * @secret: a session's or API token's secret
 * @kind: which kind of session it must be
 * @cancellable: (nullable): a #GCancellable
 * @error: return location for a #GError
 *
 * Like lers_accounts_authenticate_sync(), but only reads: the session's
 * last use and expiry stay as they are. For checks that are not the user's
 * own doing, such as the periodic check of a live stream.
 *
 * Returns: (transfer full): the user, or %NULL with
 *   %LERS_ERROR_PERMISSION_DENIED
 *
 * Since: 0.5
 */
LersUser *
lers_accounts_check_session_sync (LersAccounts *self, const gchar *secret, LersSessionKind kind,
                                  GCancellable *cancellable, GError **error)
{
  return lers_accounts_authenticate (self, secret, kind, FALSE, NULL, NULL, cancellable, error);
}

static LersUser *
lers_accounts_authenticate (LersAccounts *self, const gchar *secret, LersSessionKind kind,
                            gboolean touch, gint64 *session_id, gchar **csrf_token,
                            GCancellable *cancellable, GError **error)
{
  LersAccountsConn ac;
  g_autofree gchar *hash_hex = NULL;
  g_autofree gchar *kind_str = NULL;
  g_autoptr (PGresult) res = NULL;
  LersUser *user = NULL;
  guint8 digest[32];
  const gint c = LERS_ACCOUNTS_N_USER_COLUMNS;

  g_return_val_if_fail (LERS_IS_ACCOUNTS (self), NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);
  if (session_id != NULL)
    *session_id = 0;
  if (csrf_token != NULL)
    *csrf_token = NULL;
  if (!lers_accounts_secret_is_wellformed (secret))
    {
      lers_accounts_denied (error);
      return NULL;
    }
  if (!lers_accounts_ensure_sodium (error))
    return NULL;
  hash_hex = lers_accounts_secret_hash (secret, digest);
  kind_str = g_strdup_printf ("%d", kind);
  if (!lers_accounts_acquire (self, &ac, cancellable, error))
    return NULL;
  {
    const gchar *values[] = { hash_hex, kind_str };
    res = lers_store_exec (
        ac.conn,
        "SELECT " LERS_ACCOUNTS_USER_COLUMNS ", s.id, s.csrf_token, encode(s.secret_hash, 'hex'), "
        "(s.last_used_at IS NULL OR s.last_used_at < now() - interval '1 minute') "
        "FROM user_sessions s JOIN users u ON u.id = s.user_id "
        "WHERE s.secret_hash = decode($1, 'hex') AND s.kind = $2::int2 "
        "AND (s.expires_at IS NULL OR s.expires_at > now()) AND u.enabled",
        2, values, error);
  }
  if (res != NULL && PQntuples (res) == 1)
    {
      const gchar *stored = PQgetvalue (res, 0, c + 2);
      /* the index found it by hash; compare again without a timing leak */
      if (strlen (stored) == 64 && sodium_memcmp (stored, hash_hex, 64) == 0)
        user = lers_accounts_user_from_row (res, 0, 0);
    }
  if (res != NULL && user == NULL)
    lers_accounts_denied (error);
  if (touch && user != NULL && PQgetvalue (res, 0, c + 3)[0] == 't')
    {
      const gchar *values[] = { PQgetvalue (res, 0, c) };
      g_autoptr (PGresult) up = lers_store_exec (
          ac.conn,
          "UPDATE user_sessions SET last_used_at = now(), expires_at = CASE WHEN kind = 0 THEN "
          "greatest(expires_at, now() + interval '" LERS_SESSION_IDLE "') ELSE expires_at END "
          "WHERE id = $1::int8",
          1, values, error);
      if (up == NULL)
        g_clear_object (&user);
    }
  if (user != NULL)
    {
      if (session_id != NULL)
        *session_id = g_ascii_strtoll (PQgetvalue (res, 0, c), NULL, 10);
      if (csrf_token != NULL && !PQgetisnull (res, 0, c + 1))
        *csrf_token = g_strdup (PQgetvalue (res, 0, c + 1));
    }
  lers_accounts_release (self, &ac, user != NULL, cancellable, error);
  return user;
}

/**
 * lers_accounts_end_session_sync:
 * @self: a #LersAccounts
 * @session_id: a session's or token's id
 * @cancellable: (nullable): a #GCancellable
 * @error: return location for a #GError
 *
 * Ends a browser session (logout) or revokes an API token.
 *
 * Returns: %TRUE, or %FALSE with %LERS_ERROR_NOT_FOUND
 *
 * Since: 0.5
 */
gboolean
lers_accounts_end_session_sync (LersAccounts *self, gint64 session_id, GCancellable *cancellable,
                                GError **error)
{
  LersAccountsConn ac;
  g_autofree gchar *id_str = lers_accounts_int (session_id);
  const gchar *values[] = { id_str };
  g_autoptr (PGresult) res = NULL;
  gboolean ok = FALSE;

  g_return_val_if_fail (LERS_IS_ACCOUNTS (self), FALSE);
  if (!lers_accounts_acquire (self, &ac, cancellable, error))
    return FALSE;
  res = lers_store_exec (ac.conn, "DELETE FROM user_sessions WHERE id = $1::int8", 1, values,
                         error);
  if (res != NULL && g_strcmp0 (PQcmdTuples (res), "0") == 0)
    g_set_error (error, LERS_ERROR, LERS_ERROR_NOT_FOUND, _ ("There is no session with id %s"),
                 id_str);
  else
    ok = res != NULL;
  return lers_accounts_release (self, &ac, ok, cancellable, error);
}

/**
 * lers_accounts_list_tokens_sync:
 * @self: a #LersAccounts
 * @user_id: the user's id
 * @cancellable: (nullable): a #GCancellable
 * @error: return location for a #GError
 *
 * Lists a user's API tokens, newest first, as `aa{sv}`: `id` (x), `title`
 * (s, empty for none), `created` (x, Unix seconds), `last-used` (x, 0 if
 * never), `expires` (x, 0 if never). The secrets are not kept, so they are
 * not listed.
 *
 * Returns: (transfer full): the tokens, or %NULL with @error set
 *
 * Since: 0.5
 */
GVariant *
lers_accounts_list_tokens_sync (LersAccounts *self, gint64 user_id, GCancellable *cancellable,
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
  res = lers_store_exec (ac.conn,
                         "SELECT id, coalesce(title, ''), extract(epoch FROM created_at)::int8, "
                         "coalesce(extract(epoch FROM last_used_at)::int8, 0), "
                         "coalesce(extract(epoch FROM expires_at)::int8, 0) "
                         "FROM user_sessions WHERE user_id = $1::int8 AND kind = 1 "
                         "ORDER BY created_at DESC, id DESC",
                         1, values, error);
  lers_accounts_release (self, &ac, res != NULL, cancellable, error);
  if (res == NULL)
    return NULL;
  g_variant_builder_init (&b, G_VARIANT_TYPE ("aa{sv}"));
  for (gint i = 0; i < PQntuples (res); i++)
    {
      g_variant_builder_open (&b, G_VARIANT_TYPE ("a{sv}"));
      g_variant_builder_add (
          &b, "{sv}", "id",
          g_variant_new_int64 (g_ascii_strtoll (PQgetvalue (res, i, 0), NULL, 10)));
      g_variant_builder_add (&b, "{sv}", "title", g_variant_new_string (PQgetvalue (res, i, 1)));
      g_variant_builder_add (
          &b, "{sv}", "created",
          g_variant_new_int64 (g_ascii_strtoll (PQgetvalue (res, i, 2), NULL, 10)));
      g_variant_builder_add (
          &b, "{sv}", "last-used",
          g_variant_new_int64 (g_ascii_strtoll (PQgetvalue (res, i, 3), NULL, 10)));
      g_variant_builder_add (
          &b, "{sv}", "expires",
          g_variant_new_int64 (g_ascii_strtoll (PQgetvalue (res, i, 4), NULL, 10)));
      g_variant_builder_close (&b);
    }
  return g_variant_ref_sink (g_variant_builder_end (&b));
}
