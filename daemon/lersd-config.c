/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "config.h"

#include <glib/gi18n.h>
#include <glib/gstdio.h>
#include <lers.h>
#include <string.h>

#include "lersd-config.h"

/* lersd's config file: a GKeyFile whose [lersd] group has one key per long
 * option (docs/configuration.md lists them). The command line beats the
 * file: loading fills only what is still unset. */

#define LERSD_CONFIG_GROUP "lersd"

typedef enum
{
  KEY_STRING,
  KEY_INT,
  KEY_BOOL,
  KEY_LIST,
} KeyType;

static const struct
{
  const gchar *key;
  KeyType type;
  gsize offset;
  gint min, max;
} lersd_config_keys[] = {
  { "db", KEY_STRING, G_STRUCT_OFFSET (LersdConfig, db), 0, 0 },
  { "db-password-file", KEY_STRING, G_STRUCT_OFFSET (LersdConfig, db_password_file), 0, 0 },
  { "listen", KEY_STRING, G_STRUCT_OFFSET (LersdConfig, listen), 0, 0 },
  { "role", KEY_STRING, G_STRUCT_OFFSET (LersdConfig, role), 0, 0 },
  { "name", KEY_STRING, G_STRUCT_OFFSET (LersdConfig, name), 0, 0 },
  { "token-file", KEY_STRING, G_STRUCT_OFFSET (LersdConfig, token_file), 0, 0 },
  { "spool-dir", KEY_STRING, G_STRUCT_OFFSET (LersdConfig, spool_dir), 0, 0 },
  { "retry-delay", KEY_STRING, G_STRUCT_OFFSET (LersdConfig, retry_delay), 0, 0 },
  { "gprs-handshake", KEY_STRING, G_STRUCT_OFFSET (LersdConfig, gprs_handshake), 0, 0 },
  { "gprs-port", KEY_INT, G_STRUCT_OFFSET (LersdConfig, gprs_port), 1, 65535 },
  { "max-links", KEY_INT, G_STRUCT_OFFSET (LersdConfig, max_links), 1, 100000 },
  { "lease", KEY_INT, G_STRUCT_OFFSET (LersdConfig, lease), 3, 86400 },
  { "verbose", KEY_BOOL, G_STRUCT_OFFSET (LersdConfig, verbose), 0, 0 },
  { "server-names", KEY_LIST, G_STRUCT_OFFSET (LersdConfig, server_names), 0, 0 },
  { "tls-certificate", KEY_STRING, G_STRUCT_OFFSET (LersdConfig, tls_certificate), 0, 0 },
  { "tls-key", KEY_STRING, G_STRUCT_OFFSET (LersdConfig, tls_key), 0, 0 },
  { "allow-plain-http", KEY_BOOL, G_STRUCT_OFFSET (LersdConfig, allow_plain_http), 0, 0 },
  { "idle-timeout", KEY_INT, G_STRUCT_OFFSET (LersdConfig, idle_timeout), 1, 3600 },
  { "head-timeout", KEY_INT, G_STRUCT_OFFSET (LersdConfig, head_timeout), 1, 3600 },
  { "body-timeout", KEY_INT, G_STRUCT_OFFSET (LersdConfig, body_timeout), 1, 3600 },
  { "max-body", KEY_INT, G_STRUCT_OFFSET (LersdConfig, max_body), 1, G_MAXINT },
  { "max-connections", KEY_INT, G_STRUCT_OFFSET (LersdConfig, max_connections), 1, 1000000 },
  { "max-streams", KEY_INT, G_STRUCT_OFFSET (LersdConfig, max_streams), 1, 100000 },
  { "language", KEY_STRING, G_STRUCT_OFFSET (LersdConfig, language), 0, 0 },
  { "web-root", KEY_STRING, G_STRUCT_OFFSET (LersdConfig, web_root), 0, 0 },
  { "server-name", KEY_STRING, G_STRUCT_OFFSET (LersdConfig, server_name), 0, 0 },
  { "map-tile-url", KEY_STRING, G_STRUCT_OFFSET (LersdConfig, map_tile_url), 0, 0 },
  { "map-attribution", KEY_STRING, G_STRUCT_OFFSET (LersdConfig, map_attribution), 0, 0 },
};

/**
 * lersd_config_new:
 *
 * Returns: (transfer full): a config with every option unset
 *
 * Since: 0.5
 */
LersdConfig *
lersd_config_new (void)
{
  LersdConfig *self = g_new0 (LersdConfig, 1);

  for (gsize i = 0; i < G_N_ELEMENTS (lersd_config_keys); i++)
    if (lersd_config_keys[i].type == KEY_INT || lersd_config_keys[i].type == KEY_BOOL)
      G_STRUCT_MEMBER (gint, self, lersd_config_keys[i].offset) = LERSD_CONFIG_UNSET;
  return self;
}

/**
 * lersd_config_free:
 * @self: (transfer full): a #LersdConfig
 *
 * Since: 0.5
 */
void
lersd_config_free (LersdConfig *self)
{
  if (self == NULL)
    return;
  for (gsize i = 0; i < G_N_ELEMENTS (lersd_config_keys); i++)
    if (lersd_config_keys[i].type == KEY_STRING)
      g_free (G_STRUCT_MEMBER (gchar *, self, lersd_config_keys[i].offset));
  g_strfreev (self->server_names);
  g_free (self);
}

/**
 * lersd_config_db_has_password:
 * @db: a libpq connection string or URI
 *
 * Returns: %TRUE if @db holds a password (`password=`, or `user:pass@` in a
 *   URI), which must not be given on the command line
 *
 * Since: 0.5
 */
gboolean
lersd_config_db_has_password (const gchar *db)
{
  g_autofree gchar *lower = g_ascii_strdown (db, -1);

  if (strstr (lower, "password=") != NULL)
    return TRUE;
  if (g_str_has_prefix (lower, "postgres://") || g_str_has_prefix (lower, "postgresql://"))
    {
      const gchar *authority = strstr (db, "://") + 3;
      const gchar *at = strchr (authority, '@');
      const gchar *slash = strchr (authority, '/');

      if (at != NULL && (slash == NULL || at < slash))
        {
          const gchar *colon = memchr (authority, ':', (gsize) (at - authority));
          return colon != NULL;
        }
    }
  return FALSE;
}

static gboolean
lersd_config_load (LersdConfig *self, GKeyFile *kf, const gchar *where, gboolean private_file,
                   GError **error)
{
  g_auto (GStrv) keys = NULL;

  if (!g_key_file_has_group (kf, LERSD_CONFIG_GROUP))
    return TRUE;
  keys = g_key_file_get_keys (kf, LERSD_CONFIG_GROUP, NULL, NULL);
  for (guint k = 0; keys != NULL && keys[k] != NULL; k++)
    {
      gboolean known = FALSE;

      for (gsize i = 0; i < G_N_ELEMENTS (lersd_config_keys); i++)
        known = known || g_str_equal (keys[k], lersd_config_keys[i].key);
      if (!known)
        {
          g_set_error (error, LERS_ERROR, LERS_ERROR_INVALID_ARGUMENT,
                       _ ("%s: unknown key “%s” in [%s]"), where, keys[k], LERSD_CONFIG_GROUP);
          return FALSE;
        }
    }

  for (gsize i = 0; i < G_N_ELEMENTS (lersd_config_keys); i++)
    {
      const gchar *key = lersd_config_keys[i].key;
      gpointer field = G_STRUCT_MEMBER_P (self, lersd_config_keys[i].offset);
      g_autoptr (GError) error_local = NULL;

      if (!g_key_file_has_key (kf, LERSD_CONFIG_GROUP, key, NULL))
        continue;
      switch (lersd_config_keys[i].type)
        {
        case KEY_STRING:
          if (*(gchar **) field == NULL)
            *(gchar **) field = g_key_file_get_string (kf, LERSD_CONFIG_GROUP, key, NULL);
          break;
        case KEY_LIST:
          if (*(gchar ***) field == NULL)
            *(gchar ***) field
                = g_key_file_get_string_list (kf, LERSD_CONFIG_GROUP, key, NULL, NULL);
          break;
        case KEY_INT:
          {
            gint value;

            if (*(gint *) field != LERSD_CONFIG_UNSET)
              break;
            value = g_key_file_get_integer (kf, LERSD_CONFIG_GROUP, key, &error_local);
            if (error_local != NULL || value < lersd_config_keys[i].min
                || value > lersd_config_keys[i].max)
              {
                /* TRANSLATORS: the config file, a key such as max-links, two numbers */
                g_set_error (error, LERS_ERROR, LERS_ERROR_INVALID_ARGUMENT,
                             _ ("%s: %s must be a number from %d to %d"), where, key,
                             lersd_config_keys[i].min, lersd_config_keys[i].max);
                return FALSE;
              }
            *(gint *) field = value;
            break;
          }
        case KEY_BOOL:
          {
            gboolean value;

            if (*(gint *) field != LERSD_CONFIG_UNSET)
              break;
            value = g_key_file_get_boolean (kf, LERSD_CONFIG_GROUP, key, &error_local);
            if (error_local != NULL)
              {
                g_set_error (error, LERS_ERROR, LERS_ERROR_INVALID_ARGUMENT,
                             _ ("%s: %s must be true or false"), where, key);
                return FALSE;
              }
            *(gint *) field = value ? 1 : 0;
            break;
          }
        default:
          g_assert_not_reached ();
        }
    }

  if (self->language != NULL && !g_str_equal (self->language, "ru")
      && !g_str_equal (self->language, "en"))
    {
      g_set_error (error, LERS_ERROR, LERS_ERROR_INVALID_ARGUMENT,
                   _ ("%s: language must be ru or en"), where);
      return FALSE;
    }
  if (!private_file && g_key_file_has_key (kf, LERSD_CONFIG_GROUP, "db", NULL))
    {
      g_autofree gchar *db = g_key_file_get_string (kf, LERSD_CONFIG_GROUP, "db", NULL);

      if (db != NULL && lersd_config_db_has_password (db))
        {
          g_set_error (error, LERS_ERROR, LERS_ERROR_PERMISSION_DENIED,
                       _ ("%s holds a database password but others can read it: make it "
                          "readable by its owner only (chmod 600), or put the password in "
                          "the file named by db-password-file"),
                       where);
          return FALSE;
        }
    }
  return TRUE;
}

/**
 * lersd_config_load_file:
 * @self: a #LersdConfig
 * @path: a key file
 * @error: return location for a #GError
 *
 * Fills in what is still unset from the `[lersd]` group of @path. Unknown
 * keys and bad values are errors; so is a `db` with a password in a file
 * that the group or others can read.
 *
 * Returns: %TRUE on success
 *
 * Since: 0.5
 */
gboolean
lersd_config_load_file (LersdConfig *self, const gchar *path, GError **error)
{
  g_autoptr (GKeyFile) kf = g_key_file_new ();
  g_autoptr (GError) error_local = NULL;
  GStatBuf st;

  if (!g_key_file_load_from_file (kf, path, G_KEY_FILE_NONE, &error_local))
    {
      g_set_error (error, LERS_ERROR, LERS_ERROR_INVALID_ARGUMENT, _ ("Cannot read %s: %s"), path,
                   error_local->message);
      return FALSE;
    }
  return lersd_config_load (self, kf, path, g_stat (path, &st) == 0 && (st.st_mode & 077) == 0,
                            error);
}

/**
 * lersd_config_load_data:
 * @self: a #LersdConfig
 * @data: the text of a key file
 * @error: return location for a #GError
 *
 * As lersd_config_load_file(), from text (which counts as private).
 *
 * Returns: %TRUE on success
 *
 * Since: 0.5
 */
gboolean
lersd_config_load_data (LersdConfig *self, const gchar *data, GError **error)
{
  g_autoptr (GKeyFile) kf = g_key_file_new ();
  g_autoptr (GError) error_local = NULL;

  if (!g_key_file_load_from_data (kf, data, -1, G_KEY_FILE_NONE, &error_local))
    {
      g_set_error (error, LERS_ERROR, LERS_ERROR_INVALID_ARGUMENT, _ ("Cannot read %s: %s"),
                   "config", error_local->message);
      return FALSE;
    }
  return lersd_config_load (self, kf, "config", TRUE, error);
}

/**
 * lersd_config_get_db_uri:
 * @self: a #LersdConfig
 * @error: return location for a #GError
 *
 * Returns: (transfer full) (nullable): @db with the password of
 *   db-password-file added (a file the group or others can read is
 *   refused), @db as it is without one, %NULL with @error set on failure
 *   or %NULL without error when @db is unset
 *
 * Since: 0.5
 */
gchar *
lersd_config_get_db_uri (LersdConfig *self, GError **error)
{
  g_autofree gchar *password = NULL;
  g_autoptr (GError) error_local = NULL;
  GStatBuf st;

  if (self->db == NULL)
    return NULL;
  if (self->db_password_file == NULL)
    return g_strdup (self->db);
  if (!g_file_get_contents (self->db_password_file, &password, NULL, &error_local))
    {
      g_set_error (error, LERS_ERROR, LERS_ERROR_INVALID_ARGUMENT, _ ("Cannot read %s: %s"),
                   self->db_password_file, error_local->message);
      return NULL;
    }
  if (g_stat (self->db_password_file, &st) == 0 && (st.st_mode & 077) != 0)
    {
      g_set_error (error, LERS_ERROR, LERS_ERROR_PERMISSION_DENIED,
                   _ ("%s, the database password, can be read by others (mode %03o): make it "
                      "readable by its owner only (chmod 600)"),
                   self->db_password_file, (guint) (st.st_mode & 0777));
      return NULL;
    }
  g_strchomp (password);
  if (g_str_has_prefix (self->db, "postgres://") || g_str_has_prefix (self->db, "postgresql://"))
    {
      g_autofree gchar *escaped = g_uri_escape_string (password, NULL, FALSE);
      return g_strconcat (self->db, strchr (self->db, '?') != NULL ? "&" : "?",
                          "password=", escaped, NULL);
    }
  else
    {
      g_autoptr (GString) quoted = g_string_new (NULL);

      for (const gchar *p = password; *p != '\0'; p++)
        {
          if (*p == '\'' || *p == '\\')
            g_string_append_c (quoted, '\\');
          g_string_append_c (quoted, *p);
        }
      return g_strdup_printf ("%s password='%s'", self->db, quoted->str);
    }
}
