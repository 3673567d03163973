/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* lers user …: users, passwords, API tokens and scopes (see docs/users.md).
 * A password is read from the terminal without echo, from one line of
 * standard input, or from --password-file; never from the command line,
 * where any user of the machine could read it in the process list. Every
 * change writes an audit entry under the OS user running the command. */
#include "config.h"

#include <errno.h>
#include <glib/gi18n.h>
#include <inttypes.h>
#include <json-glib/json-glib.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <termios.h>
#include <unistd.h>

#include "lers-cli.h"

#define LERS_CLI_PASSWORD_MAX 4096

static const gchar *const lers_cli_user_usage
    = N_ ("Usage: lers user add LOGIN --role=admin|operator|viewer|subscriber [--name=NAME] "
          "[--email=EMAIL] [--password-file=FILE | --no-password]\n"
          "       lers user list | show LOGIN | passwd LOGIN [--password-file=FILE | "
          "--no-password]\n"
          "       lers user set LOGIN [--role=ROLE] [--enabled=yes|no] [--name=NAME] "
          "[--email=EMAIL] [--phone=PHONE] [--language=ru|en]\n"
          "       lers user remove LOGIN\n"
          "       lers user token add LOGIN TITLE [--expires=DATE] | token list LOGIN | token "
          "revoke LOGIN ID\n"
          "       lers user scope add|remove LOGIN --group=TITLE|--territory=ID|--node=ID | scope "
          "list LOGIN");

static int
lers_cli_user_fail (GError *error)
{
  g_printerr ("%s\n", error->message);
  return EXIT_FAILURE;
}

static int
lers_cli_user_usage_fail (const gchar *message)
{
  if (message != NULL)
    g_printerr ("%s\n", message);
  g_printerr ("%s\n", _ (lers_cli_user_usage));
  return 2;
}

static gboolean
lers_cli_parse_role (const gchar *text, LersUserRole *role, GError **error)
{
  g_autoptr (GEnumClass) klass = g_type_class_ref (LERS_TYPE_USER_ROLE);
  GEnumValue *v = text != NULL ? g_enum_get_value_by_nick (klass, text) : NULL;

  if (v == NULL)
    {
      g_set_error (error, LERS_ERROR, LERS_ERROR_INVALID_ARGUMENT,
                   _ ("“%s” is not a role: use admin, operator, viewer or subscriber"),
                   text != NULL ? text : "");
      return FALSE;
    }
  *role = v->value;
  return TRUE;
}

static const gchar *
lers_cli_role_nick (LersUserRole role)
{
  g_autoptr (GEnumClass) klass = g_type_class_ref (LERS_TYPE_USER_ROLE);
  GEnumValue *v = g_enum_get_value (klass, role);
  return v != NULL ? v->value_nick : "?";
}

/* ---- reading a password ------------------------------------------------ */

/* One line from @stream without its line end; NULL at EOF. */
static gchar *
lers_cli_read_line (FILE *stream, GError **error)
{
  g_autoptr (GString) line = g_string_new (NULL);
  int c;

  while ((c = fgetc (stream)) != EOF && c != '\n')
    {
      if (line->len >= LERS_CLI_PASSWORD_MAX)
        {
          explicit_bzero (line->str, line->len);
          g_set_error (error, LERS_ERROR, LERS_ERROR_INVALID_ARGUMENT,
                       _ ("The password is longer than %d bytes"), LERS_CLI_PASSWORD_MAX);
          return NULL;
        }
      g_string_append_c (line, (gchar) c);
    }
  if (c == EOF && line->len == 0)
    {
      g_set_error_literal (error, LERS_ERROR, LERS_ERROR_INVALID_ARGUMENT,
                           _ ("No password was given on standard input"));
      return NULL;
    }
  if (line->len > 0 && line->str[line->len - 1] == '\r')
    g_string_truncate (line, line->len - 1);
  return g_string_free (g_steal_pointer (&line), FALSE);
}

static void
lers_cli_free_secret (gchar *secret)
{
  if (secret != NULL)
    {
      explicit_bzero (secret, strlen (secret));
      g_free (secret);
    }
}

static gchar *
lers_cli_prompt_no_echo (const gchar *prompt, GError **error)
{
  struct termios old, quiet;
  gchar *line;

  g_printerr ("%s", prompt);
  if (tcgetattr (STDIN_FILENO, &old) != 0)
    {
      g_set_error (error, LERS_ERROR, LERS_ERROR_FAILED, _ ("Could not read the terminal: %s"),
                   g_strerror (errno));
      return NULL;
    }
  quiet = old;
  quiet.c_lflag &= ~(tcflag_t) ECHO;
  quiet.c_lflag |= ECHONL;
  tcsetattr (STDIN_FILENO, TCSAFLUSH, &quiet);
  line = lers_cli_read_line (stdin, error);
  tcsetattr (STDIN_FILENO, TCSAFLUSH, &old);
  return line;
}

/* The new password: from @file's first line, from the terminal (typed
 * twice, without echo) or from one line of standard input. */
static gchar *
lers_cli_read_password (const gchar *file, GError **error)
{
  if (file != NULL)
    {
      FILE *f = fopen (file, "r");
      gchar *line;

      if (f == NULL)
        {
          g_set_error (error, LERS_ERROR, LERS_ERROR_NOT_FOUND, _ ("Could not open %s: %s"), file,
                       g_strerror (errno));
          return NULL;
        }
      line = lers_cli_read_line (f, error);
      fclose (f);
      return line;
    }
  if (isatty (STDIN_FILENO))
    {
      gchar *first = lers_cli_prompt_no_echo (_ ("New password: "), error);
      gchar *second;
      gboolean same;

      if (first == NULL)
        return NULL;
      second = lers_cli_prompt_no_echo (_ ("Repeat the password: "), error);
      if (second == NULL)
        {
          lers_cli_free_secret (first);
          return NULL;
        }
      same = g_str_equal (first, second);
      lers_cli_free_secret (second);
      if (!same)
        {
          lers_cli_free_secret (first);
          g_set_error_literal (error, LERS_ERROR, LERS_ERROR_INVALID_ARGUMENT,
                               _ ("The passwords do not match"));
          return NULL;
        }
      return first;
    }
  return lers_cli_read_line (stdin, error);
}

/* ---- helpers ----------------------------------------------------------- */

static void
lers_cli_json_string (JsonBuilder *b, const gchar *name, const gchar *value)
{
  json_builder_set_member_name (b, name);
  if (value != NULL)
    json_builder_add_string_value (b, value);
  else
    json_builder_add_null_value (b);
}

/* The user as the audit log keeps it (no password: LersUser has none). */
static gchar *
lers_cli_user_json (LersUser *user)
{
  g_autoptr (JsonBuilder) b = json_builder_new ();
  g_autoptr (JsonNode) root = NULL;

  json_builder_begin_object (b);
  json_builder_set_member_name (b, "id");
  json_builder_add_int_value (b, lers_user_get_id (user));
  lers_cli_json_string (b, "login", lers_user_get_login (user));
  lers_cli_json_string (b, "display_name", lers_user_get_display_name (user));
  lers_cli_json_string (b, "email", lers_user_get_email (user));
  lers_cli_json_string (b, "phone", lers_user_get_phone (user));
  lers_cli_json_string (b, "role", lers_cli_role_nick (lers_user_get_role (user)));
  json_builder_set_member_name (b, "enabled");
  json_builder_add_boolean_value (b, lers_user_get_enabled (user));
  lers_cli_json_string (b, "language", lers_user_get_language (user));
  json_builder_end_object (b);
  root = json_builder_get_root (b);
  return json_to_string (root, FALSE);
}

/* Writes an audit entry as the OS user; a failure is reported, not fatal:
 * the change itself is done. */
static void
lers_cli_audit (LersAccounts *accounts, const gchar *action, const gchar *entity, gint64 id,
                const gchar *before, const gchar *after)
{
  g_autoptr (GError) error = NULL;

  if (!lers_accounts_audit_sync (accounts, NULL, action, entity, id, before, after, NULL, NULL,
                                 &error))
    g_printerr (_ ("Warning: the audit log was not written: %s\n"), error->message);
}

static gchar *
lers_cli_format_time (GDateTime *dt)
{
  g_autoptr (GDateTime) local = NULL;

  if (dt == NULL)
    return g_strdup ("—");
  local = g_date_time_to_local (dt);
  return g_date_time_format (local, "%Y-%m-%d %H:%M");
}

static gchar *
lers_cli_format_unix (gint64 seconds)
{
  g_autoptr (GDateTime) dt = NULL;

  if (seconds == 0)
    return g_strdup ("—");
  dt = g_date_time_new_from_unix_utc (seconds);
  return lers_cli_format_time (dt);
}

static gboolean
lers_cli_parse_yes_no (const gchar *text, gboolean *value, GError **error)
{
  static const gchar *const yes[] = { "yes", "true", "1", "on", NULL };
  static const gchar *const no[] = { "no", "false", "0", "off", NULL };

  if (g_strv_contains (yes, text))
    *value = TRUE;
  else if (g_strv_contains (no, text))
    *value = FALSE;
  else
    {
      g_set_error (error, LERS_ERROR, LERS_ERROR_INVALID_ARGUMENT, _ ("“%s” is neither yes nor no"),
                   text);
      return FALSE;
    }
  return TRUE;
}

/* ---- add, list, show, passwd, set, remove ------------------------------ */

static int
lers_cli_user_add (LersAccounts *accounts, int argc, char **argv)
{
  g_autoptr (GError) error = NULL;
  g_autofree gchar *role_s = NULL;
  g_autofree gchar *name = NULL;
  g_autofree gchar *email = NULL;
  g_autofree gchar *password_file = NULL;
  g_autoptr (LersUser) user = NULL;
  g_autofree gchar *after = NULL;
  gchar *password = NULL;
  gboolean no_password = FALSE;
  LersUserRole role = LERS_USER_ROLE_VIEWER;
  GOptionEntry entries[] = {
    { "role", 'r', 0, G_OPTION_ARG_STRING, &role_s, N_ ("admin, operator, viewer or subscriber"),
      "ROLE" },
    { "name", 0, 0, G_OPTION_ARG_STRING, &name, N_ ("The name people see"), "NAME" },
    { "email", 0, 0, G_OPTION_ARG_STRING, &email, N_ ("E-mail address"), "EMAIL" },
    { "password-file", 0, 0, G_OPTION_ARG_FILENAME, &password_file,
      N_ ("Read the password from the first line of FILE"), "FILE" },
    { "no-password", 0, 0, G_OPTION_ARG_NONE, &no_password,
      N_ ("No password login: a user for API tokens only"), NULL },
    { NULL },
  };
  g_autoptr (GOptionContext) context = g_option_context_new (_ ("LOGIN — add a user"));

  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  if (!g_option_context_parse (context, &argc, &argv, &error))
    return lers_cli_user_usage_fail (error->message);
  if (argc != 2 || role_s == NULL)
    return lers_cli_user_usage_fail (NULL);
  if (!lers_cli_parse_role (role_s, &role, &error))
    return lers_cli_user_fail (error);
  if (no_password && password_file != NULL)
    return lers_cli_user_usage_fail (_ ("--no-password and --password-file exclude each other"));
  if (!no_password && (password = lers_cli_read_password (password_file, &error)) == NULL)
    return lers_cli_user_fail (error);
  user = lers_accounts_add_user_sync (accounts, argv[1], role, password, NULL, &error);
  lers_cli_free_secret (password);
  if (user == NULL)
    return lers_cli_user_fail (error);
  if (name != NULL || email != NULL)
    {
      lers_user_set_display_name (user, name);
      lers_user_set_email (user, email);
      if (!lers_accounts_update_user_sync (accounts, user, NULL, &error))
        return lers_cli_user_fail (error);
    }
  after = lers_cli_user_json (user);
  lers_cli_audit (accounts, "create", "user", lers_user_get_id (user), NULL, after);
  g_print (_ ("User %s (%s) added with id %" PRId64 "\n"), lers_user_get_login (user),
           lers_cli_role_nick (role), lers_user_get_id (user));
  return EXIT_SUCCESS;
}

static int
lers_cli_user_list (LersAccounts *accounts)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (LersStoreQuery) query = lers_store_query_new ();
  g_autoptr (GPtrArray) users = NULL;

  lers_store_query_add_order (query, "login", FALSE);
  users = lers_store_list_sync (lers_accounts_get_store (accounts), LERS_TYPE_USER, query, NULL,
                                &error);
  if (users == NULL)
    return lers_cli_user_fail (error);
  for (guint i = 0; i <= users->len; i++)
    {
      LersUser *u = i > 0 ? g_ptr_array_index (users, i - 1) : NULL;
      g_autoptr (GString) line = g_string_new (NULL);
      g_autofree gchar *id = NULL;
      g_autofree gchar *last = NULL;

      if (u != NULL)
        {
          id = g_strdup_printf ("%" G_GINT64_FORMAT, lers_user_get_id (u));
          last = lers_cli_format_time (lers_user_get_last_login (u));
        }
      lers_cli_pad (line, u != NULL ? id : _ ("ID"), 6, FALSE);
      lers_cli_pad (line, u != NULL ? lers_user_get_login (u) : _ ("LOGIN"), 20, FALSE);
      lers_cli_pad (line, u != NULL ? lers_cli_role_nick (lers_user_get_role (u)) : _ ("ROLE"), 11,
                    FALSE);
      lers_cli_pad (line,
                    u != NULL ? (lers_user_get_enabled (u) ? _ ("yes") : _ ("no")) : _ ("ENABLED"),
                    9, FALSE);
      lers_cli_pad (line, u != NULL ? last : _ ("LAST LOGIN"), 17, FALSE);
      g_string_append (
          line, u != NULL
                    ? (lers_user_get_display_name (u) != NULL ? lers_user_get_display_name (u) : "")
                    : _ ("NAME"));
      g_print ("%s\n", line->str);
    }
  return EXIT_SUCCESS;
}

static void
lers_cli_print_scopes (GVariant *scopes)
{
  for (gsize i = 0; i < g_variant_n_children (scopes); i++)
    {
      g_autoptr (GVariant) s = g_variant_get_child_value (scopes, i);
      const gchar *kind = NULL, *title = NULL;
      gint64 id = 0;

      g_variant_lookup (s, "kind", "&s", &kind);
      g_variant_lookup (s, "id", "x", &id);
      g_variant_lookup (s, "title", "&s", &title);
      g_print ("%-10s %-6" G_GINT64_FORMAT " %s\n", kind, id, title);
    }
}

static int
lers_cli_user_show (LersAccounts *accounts, LersUser *user)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (GVariant) scopes = NULL;
  g_autoptr (GVariant) tokens = NULL;
  g_autofree gchar *created = lers_cli_format_time (lers_user_get_created (user));
  g_autofree gchar *changed = lers_cli_format_time (lers_user_get_password_changed (user));
  g_autofree gchar *last = lers_cli_format_time (lers_user_get_last_login (user));
  g_autofree gchar *id = g_strdup_printf ("%" G_GINT64_FORMAT, lers_user_get_id (user));
  g_autofree gchar *n_tokens = NULL;

  scopes = lers_accounts_list_scopes_sync (accounts, lers_user_get_id (user), NULL, &error);
  if (scopes != NULL)
    tokens = lers_accounts_list_tokens_sync (accounts, lers_user_get_id (user), NULL, &error);
  if (tokens == NULL)
    return lers_cli_user_fail (error);
  n_tokens = g_strdup_printf ("%" G_GSIZE_FORMAT, g_variant_n_children (tokens));
  {
    const gchar *rows[][2] = {
      { _ ("Id:"), id },
      { _ ("Login:"), lers_user_get_login (user) },
      { _ ("Name:"), lers_user_get_display_name (user) },
      { _ ("E-mail:"), lers_user_get_email (user) },
      { _ ("Phone:"), lers_user_get_phone (user) },
      { _ ("Role:"), lers_cli_role_nick (lers_user_get_role (user)) },
      { _ ("Enabled:"), lers_user_get_enabled (user) ? _ ("yes") : _ ("no") },
      { _ ("Language:"), lers_user_get_language (user) },
      { _ ("Created:"), created },
      { _ ("Password set:"), changed },
      { _ ("Last login:"), last },
      { _ ("API tokens:"), n_tokens },
    };

    /* labels padded in characters, not bytes: they may be Russian */
    for (guint i = 0; i < G_N_ELEMENTS (rows); i++)
      {
        g_autoptr (GString) line = g_string_new (NULL);
        lers_cli_pad (line, rows[i][0], 18, FALSE);
        g_string_append (line, rows[i][1] != NULL ? rows[i][1] : "—");
        g_print ("%s\n", line->str);
      }
  }
  g_print ("%s\n", _ ("Scopes:"));
  if (g_variant_n_children (scopes) == 0)
    g_print ("  %s\n", lers_user_get_role (user) == LERS_USER_ROLE_SUBSCRIBER
                           ? _ ("none: sees no node")
                           : _ ("none: sees every node"));
  lers_cli_print_scopes (scopes);
  return EXIT_SUCCESS;
}

static int
lers_cli_user_passwd (LersAccounts *accounts, LersUser *user, int argc, char **argv)
{
  g_autoptr (GError) error = NULL;
  g_autofree gchar *password_file = NULL;
  gchar *password = NULL;
  gboolean no_password = FALSE;
  gboolean ok;
  GOptionEntry entries[] = {
    { "password-file", 0, 0, G_OPTION_ARG_FILENAME, &password_file,
      N_ ("Read the password from the first line of FILE"), "FILE" },
    { "no-password", 0, 0, G_OPTION_ARG_NONE, &no_password,
      N_ ("Remove password login: API tokens only"), NULL },
    { NULL },
  };
  g_autoptr (GOptionContext) context = g_option_context_new (_ ("LOGIN — set a password"));

  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  if (!g_option_context_parse (context, &argc, &argv, &error))
    return lers_cli_user_usage_fail (error->message);
  if (argc != 2 || (no_password && password_file != NULL))
    return lers_cli_user_usage_fail (NULL);
  if (!no_password && (password = lers_cli_read_password (password_file, &error)) == NULL)
    return lers_cli_user_fail (error);
  ok = lers_accounts_set_password_sync (accounts, lers_user_get_id (user), password, NULL, &error);
  lers_cli_free_secret (password);
  if (!ok)
    return lers_cli_user_fail (error);
  lers_cli_audit (accounts, "password", "user", lers_user_get_id (user), NULL, NULL);
  if (no_password)
    g_print (_ ("User %s can no longer log in with a password\n"), lers_user_get_login (user));
  else
    g_print (_ ("Password of %s changed\n"), lers_user_get_login (user));
  return EXIT_SUCCESS;
}

static int
lers_cli_user_set (LersAccounts *accounts, LersUser *user, int argc, char **argv)
{
  g_autoptr (GError) error = NULL;
  g_autofree gchar *role_s = NULL;
  g_autofree gchar *enabled_s = NULL;
  g_autofree gchar *name = NULL;
  g_autofree gchar *email = NULL;
  g_autofree gchar *phone = NULL;
  g_autofree gchar *language = NULL;
  g_autofree gchar *before = NULL;
  g_autofree gchar *after = NULL;
  GOptionEntry entries[] = {
    { "role", 'r', 0, G_OPTION_ARG_STRING, &role_s, N_ ("admin, operator, viewer or subscriber"),
      "ROLE" },
    { "enabled", 0, 0, G_OPTION_ARG_STRING, &enabled_s, N_ ("yes or no"), "yes|no" },
    { "name", 0, 0, G_OPTION_ARG_STRING, &name, N_ ("The name people see"), "NAME" },
    { "email", 0, 0, G_OPTION_ARG_STRING, &email, N_ ("E-mail address"), "EMAIL" },
    { "phone", 0, 0, G_OPTION_ARG_STRING, &phone, N_ ("Phone number"), "PHONE" },
    { "language", 0, 0, G_OPTION_ARG_STRING, &language, N_ ("ru or en"), "LANG" },
    { NULL },
  };
  g_autoptr (GOptionContext) context = g_option_context_new (_ ("LOGIN — change a user"));

  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  if (!g_option_context_parse (context, &argc, &argv, &error))
    return lers_cli_user_usage_fail (error->message);
  if (argc != 2)
    return lers_cli_user_usage_fail (NULL);
  before = lers_cli_user_json (user);
  if (role_s != NULL)
    {
      LersUserRole role;
      if (!lers_cli_parse_role (role_s, &role, &error))
        return lers_cli_user_fail (error);
      lers_user_set_role (user, role);
    }
  if (enabled_s != NULL)
    {
      gboolean enabled;
      if (!lers_cli_parse_yes_no (enabled_s, &enabled, &error))
        return lers_cli_user_fail (error);
      lers_user_set_enabled (user, enabled);
    }
  if (name != NULL)
    lers_user_set_display_name (user, name[0] != '\0' ? name : NULL);
  if (email != NULL)
    lers_user_set_email (user, email[0] != '\0' ? email : NULL);
  if (phone != NULL)
    lers_user_set_phone (user, phone[0] != '\0' ? phone : NULL);
  if (language != NULL)
    lers_user_set_language (user, language[0] != '\0' ? language : NULL);
  if (!lers_accounts_update_user_sync (accounts, user, NULL, &error))
    return lers_cli_user_fail (error);
  after = lers_cli_user_json (user);
  lers_cli_audit (accounts, "update", "user", lers_user_get_id (user), before, after);
  g_print (_ ("User %s saved\n"), lers_user_get_login (user));
  return EXIT_SUCCESS;
}

static int
lers_cli_user_remove (LersAccounts *accounts, LersUser *user)
{
  g_autoptr (GError) error = NULL;
  g_autofree gchar *before = lers_cli_user_json (user);

  if (!lers_accounts_delete_user_sync (accounts, lers_user_get_id (user), NULL, &error))
    return lers_cli_user_fail (error);
  lers_cli_audit (accounts, "delete", "user", lers_user_get_id (user), before, NULL);
  g_print (_ ("User %s removed\n"), lers_user_get_login (user));
  return EXIT_SUCCESS;
}

/* ---- tokens ------------------------------------------------------------ */

static int
lers_cli_user_token (LersAccounts *accounts, int argc, char **argv)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (LersUser) user = NULL;
  const gchar *verb = argc > 1 ? argv[1] : "";

  if (g_str_equal (verb, "add"))
    {
      g_autofree gchar *expires_s = NULL;
      g_autoptr (GDateTime) expires = NULL;
      g_autofree gchar *secret = NULL;
      g_autofree gchar *after = NULL;
      gint64 id = 0;
      GOptionEntry entries[] = {
        { "expires", 0, 0, G_OPTION_ARG_STRING, &expires_s,
          N_ ("When the token stops working (2027-01-01, ISO 8601); never by default"), "DATE" },
        { NULL },
      };
      g_autoptr (GOptionContext) context
          = g_option_context_new (_ ("LOGIN TITLE — make an API token"));

      g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
      argc--;
      argv++;
      if (!g_option_context_parse (context, &argc, &argv, &error))
        return lers_cli_user_usage_fail (error->message);
      if (argc != 3)
        return lers_cli_user_usage_fail (NULL);
      if (expires_s != NULL && (expires = lers_cli_parse_time (expires_s, NULL, &error)) == NULL)
        return lers_cli_user_fail (error);
      user = lers_accounts_find_user_sync (accounts, argv[1], NULL, &error);
      if (user == NULL)
        return lers_cli_user_fail (error);
      secret = lers_accounts_create_session_sync (accounts, lers_user_get_id (user),
                                                  LERS_SESSION_KIND_TOKEN, argv[2], expires, NULL,
                                                  &id, NULL, NULL, &error);
      if (secret == NULL)
        return lers_cli_user_fail (error);
      {
        g_autoptr (JsonBuilder) b = json_builder_new ();
        g_autoptr (JsonNode) root = NULL;
        g_autofree gchar *exp_text = expires != NULL ? g_date_time_format_iso8601 (expires) : NULL;

        json_builder_begin_object (b);
        json_builder_set_member_name (b, "user_id");
        json_builder_add_int_value (b, lers_user_get_id (user));
        lers_cli_json_string (b, "title", argv[2]);
        lers_cli_json_string (b, "expires", exp_text);
        json_builder_end_object (b);
        root = json_builder_get_root (b);
        after = json_to_string (root, FALSE);
      }
      lers_cli_audit (accounts, "token-create", "session", id, NULL, after);
      g_printerr (_ ("Token %" PRId64 " for %s; keep the secret below, it is shown only once:\n"),
                  id, lers_user_get_login (user));
      g_print ("%s\n", secret);
      explicit_bzero (secret, strlen (secret));
      return EXIT_SUCCESS;
    }
  if (g_str_equal (verb, "list") && argc == 3)
    {
      g_autoptr (GVariant) tokens = NULL;

      user = lers_accounts_find_user_sync (accounts, argv[2], NULL, &error);
      if (user != NULL)
        tokens = lers_accounts_list_tokens_sync (accounts, lers_user_get_id (user), NULL, &error);
      if (tokens == NULL)
        return lers_cli_user_fail (error);
      for (gsize i = 0; i <= g_variant_n_children (tokens); i++)
        {
          g_autoptr (GVariant) t = i > 0 ? g_variant_get_child_value (tokens, i - 1) : NULL;
          g_autoptr (GString) line = g_string_new (NULL);
          g_autofree gchar *id = NULL, *created = NULL, *used = NULL, *expires = NULL;
          const gchar *title = NULL;

          if (t != NULL)
            {
              gint64 v = 0;
              g_variant_lookup (t, "id", "x", &v);
              id = g_strdup_printf ("%" G_GINT64_FORMAT, v);
              g_variant_lookup (t, "created", "x", &v);
              created = lers_cli_format_unix (v);
              g_variant_lookup (t, "last-used", "x", &v);
              used = lers_cli_format_unix (v);
              g_variant_lookup (t, "expires", "x", &v);
              expires = lers_cli_format_unix (v);
              g_variant_lookup (t, "title", "&s", &title);
            }
          lers_cli_pad (line, t != NULL ? id : _ ("ID"), 6, FALSE);
          lers_cli_pad (line, t != NULL ? created : _ ("CREATED"), 17, FALSE);
          lers_cli_pad (line, t != NULL ? used : _ ("LAST USED"), 17, FALSE);
          lers_cli_pad (line, t != NULL ? expires : _ ("EXPIRES"), 17, FALSE);
          g_string_append (line, t != NULL ? title : _ ("TITLE"));
          g_print ("%s\n", line->str);
        }
      return EXIT_SUCCESS;
    }
  if (g_str_equal (verb, "revoke") && argc == 4)
    {
      g_autoptr (GVariant) tokens = NULL;
      guint64 id = 0;
      gboolean found = FALSE;

      if (!g_ascii_string_to_unsigned (argv[3], 10, 1, G_MAXINT64, &id, NULL))
        return lers_cli_user_usage_fail (NULL);
      user = lers_accounts_find_user_sync (accounts, argv[2], NULL, &error);
      if (user != NULL)
        tokens = lers_accounts_list_tokens_sync (accounts, lers_user_get_id (user), NULL, &error);
      if (tokens == NULL)
        return lers_cli_user_fail (error);
      for (gsize i = 0; i < g_variant_n_children (tokens) && !found; i++)
        {
          g_autoptr (GVariant) t = g_variant_get_child_value (tokens, i);
          gint64 v = 0;
          g_variant_lookup (t, "id", "x", &v);
          found = v == (gint64) id;
        }
      if (!found)
        {
          g_printerr (_ ("%s has no API token %s\n"), lers_user_get_login (user), argv[3]);
          return EXIT_FAILURE;
        }
      if (!lers_accounts_end_session_sync (accounts, (gint64) id, NULL, &error))
        return lers_cli_user_fail (error);
      lers_cli_audit (accounts, "token-revoke", "session", (gint64) id, NULL, NULL);
      g_print (_ ("Token %s of %s revoked\n"), argv[3], lers_user_get_login (user));
      return EXIT_SUCCESS;
    }
  return lers_cli_user_usage_fail (NULL);
}

/* ---- scopes ------------------------------------------------------------ */

static gint64
lers_cli_find_group (LersStore *store, const gchar *title, GError **error)
{
  g_autoptr (LersStoreQuery) query = lers_store_query_new ();
  g_autoptr (GPtrArray) groups = NULL;

  lers_store_query_add_filter_string (query, "title", LERS_STORE_OP_EQ, title);
  groups = lers_store_list_sync (store, LERS_TYPE_NODE_GROUP, query, NULL, error);
  if (groups == NULL)
    return 0;
  if (groups->len == 0)
    {
      g_set_error (error, LERS_ERROR, LERS_ERROR_NOT_FOUND, _ ("There is no group “%s”"), title);
      return 0;
    }
  return lers_node_group_get_id (g_ptr_array_index (groups, 0));
}

static int
lers_cli_user_scope (LersAccounts *accounts, int argc, char **argv)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (LersUser) user = NULL;
  g_autofree gchar *group = NULL;
  g_autofree gchar *after = NULL;
  gint64 territory = 0, node = 0, target = 0;
  LersScopeKind kind;
  gboolean add;
  const gchar *verb = argc > 1 ? argv[1] : "";
  GOptionEntry entries[] = {
    { "group", 0, 0, G_OPTION_ARG_STRING, &group, N_ ("A node group, by title"), "TITLE" },
    { "territory", 0, 0, G_OPTION_ARG_INT64, &territory,
      N_ ("A territory, with the territories under it"), "ID" },
    { "node", 0, 0, G_OPTION_ARG_INT64, &node, N_ ("One node"), "ID" },
    { NULL },
  };
  g_autoptr (GOptionContext) context
      = g_option_context_new (_ ("add|remove LOGIN — assign what a user sees"));

  if (g_str_equal (verb, "list") && argc == 3)
    {
      g_autoptr (GVariant) scopes = NULL;

      user = lers_accounts_find_user_sync (accounts, argv[2], NULL, &error);
      if (user != NULL)
        scopes = lers_accounts_list_scopes_sync (accounts, lers_user_get_id (user), NULL, &error);
      if (scopes == NULL)
        return lers_cli_user_fail (error);
      lers_cli_print_scopes (scopes);
      return EXIT_SUCCESS;
    }
  if (!g_str_equal (verb, "add") && !g_str_equal (verb, "remove"))
    return lers_cli_user_usage_fail (NULL);
  add = g_str_equal (verb, "add");
  argc--;
  argv++;
  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  if (!g_option_context_parse (context, &argc, &argv, &error))
    return lers_cli_user_usage_fail (error->message);
  if (argc != 2 || (group != NULL) + (territory != 0) + (node != 0) != 1 || territory < 0
      || node < 0)
    return lers_cli_user_usage_fail (_ ("Give exactly one of --group, --territory and --node"));
  user = lers_accounts_find_user_sync (accounts, argv[1], NULL, &error);
  if (user == NULL)
    return lers_cli_user_fail (error);
  if (group != NULL)
    {
      kind = LERS_SCOPE_KIND_GROUP;
      target = lers_cli_find_group (lers_accounts_get_store (accounts), group, &error);
      if (target == 0)
        return lers_cli_user_fail (error);
    }
  else if (territory != 0)
    {
      kind = LERS_SCOPE_KIND_TERRITORY;
      target = territory;
    }
  else
    {
      kind = LERS_SCOPE_KIND_NODE;
      target = node;
    }
  if (add ? !lers_accounts_add_scope_sync (accounts, lers_user_get_id (user), kind, target, NULL,
                                           &error)
          : !lers_accounts_remove_scope_sync (accounts, lers_user_get_id (user), kind, target, NULL,
                                              &error))
    return lers_cli_user_fail (error);
  {
    g_autoptr (GEnumClass) klass = g_type_class_ref (LERS_TYPE_SCOPE_KIND);
    after = g_strdup_printf ("{\"scope\": {\"kind\": \"%s\", \"id\": %" G_GINT64_FORMAT "}}",
                             g_enum_get_value (klass, kind)->value_nick, target);
  }
  lers_cli_audit (accounts, add ? "scope-add" : "scope-remove", "user", lers_user_get_id (user),
                  add ? NULL : after, add ? after : NULL);
  g_print (add ? _ ("Assigned to %s\n") : _ ("No longer assigned to %s\n"),
           lers_user_get_login (user));
  return EXIT_SUCCESS;
}

/* ---- lers user --------------------------------------------------------- */

int
lers_cli_user (LersCli *cli, int argc, char **argv)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (LersAccounts) accounts = NULL;
  g_autoptr (LersUser) user = NULL;
  const gchar *verb = argc > 1 ? argv[1] : "list";
  static const gchar *const verbs[]
      = { "add", "list", "show", "passwd", "set", "remove", "token", "scope", NULL };
  LersStore *store;

  /* A password on the command line is in the process list for anyone on
   * the machine: refuse it, without echoing it back. */
  for (int i = 1; i < argc; i++)
    if (g_str_has_prefix (argv[i], "--password") && !g_str_has_prefix (argv[i], "--password-file"))
      return lers_cli_user_usage_fail (
          _ ("A password is never given on the command line: type it when asked, pipe it to "
             "standard input or use --password-file=FILE"));
  if (!g_strv_contains (verbs, verb))
    return lers_cli_user_usage_fail (NULL);
  store = lers_cli_open_store (cli, &error);
  if (store == NULL)
    return lers_cli_user_fail (error);
  accounts = lers_accounts_new (store);

  if (g_str_equal (verb, "add"))
    return lers_cli_user_add (accounts, argc - 1, argv + 1);
  if (g_str_equal (verb, "list"))
    return lers_cli_user_list (accounts);
  if (g_str_equal (verb, "token"))
    return lers_cli_user_token (accounts, argc - 1, argv + 1);
  if (g_str_equal (verb, "scope"))
    return lers_cli_user_scope (accounts, argc - 1, argv + 1);

  /* show, passwd, set, remove: LOGIN is the word after the verb */
  if (argc < 3 || argv[2][0] == '-')
    return lers_cli_user_usage_fail (NULL);
  user = lers_accounts_find_user_sync (accounts, argv[2], NULL, &error);
  if (user == NULL)
    return lers_cli_user_fail (error);
  if (g_str_equal (verb, "show"))
    return argc == 3 ? lers_cli_user_show (accounts, user) : lers_cli_user_usage_fail (NULL);
  if (g_str_equal (verb, "passwd"))
    return lers_cli_user_passwd (accounts, user, argc - 1, argv + 1);
  if (g_str_equal (verb, "set"))
    return lers_cli_user_set (accounts, user, argc - 1, argv + 1);
  return argc == 3 ? lers_cli_user_remove (accounts, user) : lers_cli_user_usage_fail (NULL);
}
