/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * lersd: the LERS server. Parses options and config, wires liblers objects
 * together, and runs the main loop:
 *
 *   --role=api      the HTTP API and web page (LersdServer)
 *   --role=poller   the poll scheduler (LersScheduler)
 *   --role=all      both (the default)
 *
 * With --gprs-port (and the poller role) it also accepts GPRS modems that
 * call in (LersGprsServer) and reads the points behind each on the
 * scheduler's poller, so a link is held by one read at a time.
 *
 * Without --db (or $LERS_DB, or db= in the config file) it starts (or reuses)
 * the embedded PostgreSQL cluster and stops it again on SIGINT/SIGTERM if it
 * started it.
 */
#include "config.h"

#include <glib-unix.h>
#include <glib/gi18n.h>
#include <stdlib.h>

#include "lersd-server.h"

#define LERSD_DEFAULT_LISTEN "127.0.0.1:8080"
#define LERSD_CONFIG_GROUP "lersd"

typedef enum
{
  LERSD_ROLE_API = 1 << 0,
  LERSD_ROLE_POLLER = 1 << 1,
  LERSD_ROLE_ALL = LERSD_ROLE_API | LERSD_ROLE_POLLER,
} LersdRole;

typedef struct
{
  gchar *db;
  gchar *listen;
  gchar *role;
  gchar *config;
  gint gprs_port; /* -1: not given */
  gchar *gprs_handshake;
  gboolean verbose;
  gboolean version;
} LersdOptions;

static void
lersd_options_clear (LersdOptions *options)
{
  g_clear_pointer (&options->db, g_free);
  g_clear_pointer (&options->listen, g_free);
  g_clear_pointer (&options->role, g_free);
  g_clear_pointer (&options->config, g_free);
  g_clear_pointer (&options->gprs_handshake, g_free);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (LersdOptions, lersd_options_clear)

/* Fills in what the command line left unset from the [lersd] group of @path:
 * the same keys as the long options (db, listen, role, gprs-port,
 * gprs-handshake, verbose). */
static gboolean
lersd_options_load_config (LersdOptions *options, const gchar *path, GError **error)
{
  g_autoptr (GKeyFile) kf = g_key_file_new ();
  g_autoptr (GError) error_local = NULL;
  g_auto (GStrv) keys = NULL;
  static const gchar *const known[]
      = { "db", "listen", "role", "gprs-port", "gprs-handshake", "verbose", NULL };

  if (!g_key_file_load_from_file (kf, path, G_KEY_FILE_NONE, error))
    {
      g_prefix_error (error, _ ("Cannot read %s: "), path);
      return FALSE;
    }
  if (!g_key_file_has_group (kf, LERSD_CONFIG_GROUP))
    return TRUE;

  keys = g_key_file_get_keys (kf, LERSD_CONFIG_GROUP, NULL, NULL);
  for (guint i = 0; keys != NULL && keys[i] != NULL; i++)
    if (!g_strv_contains (known, keys[i]))
      g_warning (_ ("%s: unknown key “%s” in [%s]"), path, keys[i], LERSD_CONFIG_GROUP);

  if (options->db == NULL && g_key_file_has_key (kf, LERSD_CONFIG_GROUP, "db", NULL))
    options->db = g_key_file_get_string (kf, LERSD_CONFIG_GROUP, "db", NULL);
  if (options->listen == NULL && g_key_file_has_key (kf, LERSD_CONFIG_GROUP, "listen", NULL))
    options->listen = g_key_file_get_string (kf, LERSD_CONFIG_GROUP, "listen", NULL);
  if (options->role == NULL && g_key_file_has_key (kf, LERSD_CONFIG_GROUP, "role", NULL))
    options->role = g_key_file_get_string (kf, LERSD_CONFIG_GROUP, "role", NULL);
  if (options->gprs_port < 0 && g_key_file_has_key (kf, LERSD_CONFIG_GROUP, "gprs-port", NULL))
    {
      options->gprs_port
          = g_key_file_get_integer (kf, LERSD_CONFIG_GROUP, "gprs-port", &error_local);
      if (error_local != NULL)
        {
          g_set_error (error, G_KEY_FILE_ERROR, G_KEY_FILE_ERROR_INVALID_VALUE,
                       _ ("%s: gprs-port must be a number"), path);
          return FALSE;
        }
    }
  if (options->gprs_handshake == NULL
      && g_key_file_has_key (kf, LERSD_CONFIG_GROUP, "gprs-handshake", NULL))
    options->gprs_handshake
        = g_key_file_get_string (kf, LERSD_CONFIG_GROUP, "gprs-handshake", NULL);
  if (!options->verbose && g_key_file_has_key (kf, LERSD_CONFIG_GROUP, "verbose", NULL))
    {
      options->verbose = g_key_file_get_boolean (kf, LERSD_CONFIG_GROUP, "verbose", &error_local);
      if (error_local != NULL)
        {
          g_set_error (error, G_KEY_FILE_ERROR, G_KEY_FILE_ERROR_INVALID_VALUE,
                       _ ("%s: verbose must be true or false"), path);
          return FALSE;
        }
    }
  return TRUE;
}

static gboolean
lersd_parse_role (const gchar *str, LersdRole *role, GError **error)
{
  if (str == NULL || g_str_equal (str, "all"))
    *role = LERSD_ROLE_ALL;
  else if (g_str_equal (str, "api"))
    *role = LERSD_ROLE_API;
  else if (g_str_equal (str, "poller"))
    *role = LERSD_ROLE_POLLER;
  else
    {
      g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                   _ ("Unknown role “%s”; use all, api or poller"), str);
      return FALSE;
    }
  return TRUE;
}

static gboolean
lersd_quit_cb (gpointer user_data)
{
  GMainLoop *loop = user_data;

  g_message (_ ("Stopping"));
  g_main_loop_quit (loop);
  return G_SOURCE_CONTINUE;
}

static int
lersd_fail (const GError *error)
{
  /* TRANSLATORS: the program name, then what went wrong */
  g_printerr (_ ("%s: %s\n"), g_get_prgname (), error->message);
  return EXIT_FAILURE;
}

int
main (int argc, char **argv)
{
  g_auto (LersdOptions) options = { .gprs_port = -1 };
  g_autoptr (GOptionContext) context = NULL;
  g_autoptr (GError) error = NULL;
  g_autoptr (GMainLoop) loop = NULL;
  g_autoptr (LersCluster) cluster = NULL;
  g_autoptr (LersStore) store = NULL;
  g_autoptr (LersdServer) server = NULL;
  g_autoptr (LersEngine) engine = NULL;
  g_autoptr (LersScheduler) scheduler = NULL;
  g_autoptr (LersGprsServer) gprs = NULL;
  g_autofree gchar *uri = NULL;
  LersdRole role = LERSD_ROLE_ALL;
  guint sigint_id, sigterm_id;
  const GOptionEntry entries[] = {
    { "db", 0, 0, G_OPTION_ARG_STRING, &options.db,
      N_ ("PostgreSQL connection URI (default: $LERS_DB, else the embedded cluster)"), N_ ("URI") },
    { "listen", 0, 0, G_OPTION_ARG_STRING, &options.listen,
      N_ ("Address and port of the HTTP API (default: 127.0.0.1:8080)"), N_ ("ADDR:PORT") },
    { "role", 0, 0, G_OPTION_ARG_STRING, &options.role,
      N_ ("What to run: all, api (HTTP only) or poller (scheduler only)"), N_ ("ROLE") },
    { "gprs-port", 0, 0, G_OPTION_ARG_INT, &options.gprs_port,
      N_ ("Accept GPRS modems that call in on this TCP port (with the poller role)"), N_ ("PORT") },
    { "gprs-handshake", 0, 0, G_OPTION_ARG_STRING, &options.gprs_handshake,
      N_ ("How a GPRS modem identifies itself (default: id, an IMEI or ID line)"), N_ ("RULE") },
    { "config", 0, 0, G_OPTION_ARG_FILENAME, &options.config,
      N_ ("Read options from the [lersd] group of this key file"), N_ ("FILE") },
    { "verbose", 'v', 0, G_OPTION_ARG_NONE, &options.verbose, N_ ("Log debug messages"), NULL },
    { "version", 0, 0, G_OPTION_ARG_NONE, &options.version, N_ ("Print the version and exit"),
      NULL },
    { NULL },
  };

  lers_i18n_init ();
  textdomain (GETTEXT_PACKAGE);
  g_set_prgname ("lersd");

  context = g_option_context_new (NULL);
  g_option_context_set_summary (context, _ ("The LERS server: HTTP API, web page and polling."));
  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  g_option_context_set_translation_domain (context, GETTEXT_PACKAGE);
  if (!g_option_context_parse (context, &argc, &argv, &error))
    return lersd_fail (error);
  if (options.version)
    {
      g_print ("lersd %s\n", LERS_VERSION);
      return EXIT_SUCCESS;
    }
  if (argc > 1)
    {
      g_printerr (_ ("%s: unexpected argument “%s”\n"), g_get_prgname (), argv[1]);
      return EXIT_FAILURE;
    }
  /* Precedence: the command line, then $LERS_DB (as for `lers`), then the
   * config file. */
  if (options.db == NULL && g_getenv ("LERS_DB") != NULL && g_getenv ("LERS_DB")[0] != '\0')
    options.db = g_strdup (g_getenv ("LERS_DB"));
  if (options.config != NULL && !lersd_options_load_config (&options, options.config, &error))
    return lersd_fail (error);
  if (!lersd_parse_role (options.role, &role, &error))
    return lersd_fail (error);
  if (options.listen == NULL)
    options.listen = g_strdup (LERSD_DEFAULT_LISTEN);
  if (options.gprs_port > G_MAXUINT16)
    {
      g_set_error (&error, LERS_ERROR, LERS_ERROR_INVALID_ARGUMENT,
                   _ ("The GPRS port must be 1 to 65535"));
      return lersd_fail (error);
    }
  if (options.gprs_port > 0)
    {
      gprs = lers_gprs_server_new ();
      if (options.gprs_handshake != NULL)
        {
          g_autoptr (LersGprsHandshake) rule
              = lers_gprs_handshake_new_from_string (options.gprs_handshake, &error);
          if (rule == NULL)
            return lersd_fail (error);
          lers_gprs_server_set_handshake (gprs, rule);
        }
    }
  if (options.verbose)
    g_log_set_debug_enabled (TRUE);

  loop = g_main_loop_new (NULL, FALSE);
  sigint_id = g_unix_signal_add (SIGINT, lersd_quit_cb, loop);
  sigterm_id = g_unix_signal_add (SIGTERM, lersd_quit_cb, loop);

  /* The database */
  if (options.db != NULL)
    uri = g_strdup (options.db);
  else
    {
      g_autofree gchar *datadir = lers_cluster_get_default_datadir ();

      g_message (_ ("Using the embedded PostgreSQL cluster in %s"), datadir);
      cluster = lers_cluster_new (datadir);
      if (!lers_cluster_start (cluster, NULL, &error))
        {
          g_prefix_error (&error, _ ("Cannot start the embedded PostgreSQL cluster: "));
          return lersd_fail (error);
        }
      uri = lers_cluster_get_uri (cluster);
    }
  store = lers_store_new (uri);
  if (!lers_store_open_sync (store, NULL, &error))
    {
      g_prefix_error (&error, _ ("Cannot open the database: "));
      if (cluster != NULL)
        lers_cluster_stop (cluster, NULL);
      return lersd_fail (error);
    }

  /* The HTTP API */
  if (role & LERSD_ROLE_API)
    {
      g_autofree gchar *url = NULL;

      server = lersd_server_new (store);
      if (!lersd_server_listen (server, options.listen, &error))
        {
          if (cluster != NULL)
            lers_cluster_stop (cluster, NULL);
          return lersd_fail (error);
        }
      url = lersd_server_get_url (server);
      /* TRANSLATORS: %s is a URL such as http://127.0.0.1:8080/ */
      g_print (_ ("LERS API: %sapi/v1/\n"), url);
      g_print (_ ("Web page: %s\n"), url);
    }

  /* Polling */
  if (role & LERSD_ROLE_POLLER)
    {
      engine = lers_engine_new ();
      scheduler = lers_scheduler_new (store, engine);
      lers_scheduler_start (scheduler);
      g_message (_ ("Polling measure points"));
      if (gprs != NULL)
        {
          /* the scheduler's poller: one hold per link in this process */
          lers_poller_watch_gprs_server (lers_scheduler_get_poller (scheduler), gprs);
          if (!lers_gprs_server_listen (gprs, NULL, (guint16) options.gprs_port, &error))
            {
              lers_scheduler_stop (scheduler);
              if (cluster != NULL)
                lers_cluster_stop (cluster, NULL);
              return lersd_fail (error);
            }
          g_message (_ ("Accepting GPRS modems on port %u"), lers_gprs_server_get_port (gprs));
        }
    }

  g_main_loop_run (loop);

  if (gprs != NULL)
    lers_gprs_server_stop (gprs);
  if (scheduler != NULL)
    lers_scheduler_stop (scheduler);
  if (server != NULL)
    lersd_server_disconnect (server);
  g_clear_object (&gprs);
  g_clear_object (&scheduler);
  g_clear_object (&server);
  g_clear_object (&store);
  if (cluster != NULL && !lers_cluster_stop (cluster, &error))
    {
      g_warning (_ ("Cannot stop the embedded PostgreSQL cluster: %s"), error->message);
      g_clear_error (&error);
    }
  g_source_remove (sigint_id);
  g_source_remove (sigterm_id);
  return EXIT_SUCCESS;
}
