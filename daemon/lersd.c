/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * lersd: the LERS server. Parses options and config, wires liblers objects
 * together, and runs the main loop:
 *
 *   --role=api      the HTTP API and web page (LersdServer)
 *   --role=poller   a polling service (LersPollWorker): claims poll jobs from
 *                   the queue in the database and reads them
 *   --role=all      both (the default); its polling service authorises
 *                   itself, so that one daemon is a whole system
 *
 * A polling service is known by its name (--name, default the host name)
 * and proves it with a token kept in a file (--token-file, default
 * $XDG_STATE_HOME/lers/poller-token, /var/lib/lers/poller-token as root),
 * made with a fresh random token on the first start. The token is never
 * printed and never taken on the command line.
 *
 * With --gprs-port (and the poller role) it also accepts GPRS modems that
 * call in (LersGprsServer) and reads the points behind each on the polling
 * service's poller, so a link is held by one read at a time.
 *
 * Without --db (or $LERS_DB, or db= in the config file) it starts (or reuses)
 * the embedded PostgreSQL cluster and stops it again on SIGINT/SIGTERM if it
 * started it.
 *
 * Every option is also a key of the [lersd] group of the config file
 * (--config, else /etc/lers/lersd.conf when it exists; lersd-config.c,
 * docs/configuration.md); the command line beats the file. Secrets stay off
 * the command line, where every user of the machine can read them: a --db
 * with a password is refused (db-password-file= or PGPASSFILE instead).
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <glib-unix.h>
#include <glib/gi18n.h>
#include <glib/gstdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <unistd.h>

#include "lersd-server.h"
#include "lersd-config.h"

#define LERSD_DEFAULT_LISTEN "127.0.0.1:8080"
#define LERSD_CONFIG_GROUP "lersd"

typedef enum
{
  LERSD_ROLE_API = 1 << 0,
  LERSD_ROLE_POLLER = 1 << 1,
  LERSD_ROLE_ALL = LERSD_ROLE_API | LERSD_ROLE_POLLER,
} LersdRole;

#define LERSD_UNSET LERSD_CONFIG_UNSET
#define LERSD_TOKEN_BYTES 32

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

/* Where lersd keeps its state: $XDG_STATE_HOME/lers, /var/lib/lers as root
 * (as the embedded cluster). */
static gchar *
lersd_state_dir (void)
{
  if (getuid () == 0)
    return g_strdup ("/var/lib/lers");
  return g_build_filename (g_get_user_state_dir (), "lers", NULL);
}

/* A fresh token: 32 random bytes, base64url without padding. */
static gchar *
lersd_new_token (GError **error)
{
  guint8 bytes[LERSD_TOKEN_BYTES];
  gsize n = 0;
  g_autofree gchar *b64 = NULL;

  while (n < sizeof bytes)
    {
      ssize_t got = getrandom (bytes + n, sizeof bytes - n, 0);

      if (got < 0 && errno == EINTR)
        continue;
      if (got < 0)
        {
          int saved = errno;

          g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved),
                       _ ("Cannot make a random token: %s"), g_strerror (saved));
          return NULL;
        }
      n += (gsize) got;
    }
  b64 = g_base64_encode (bytes, sizeof bytes);
  memset (bytes, 0, sizeof bytes);
  g_strdelimit (b64, "+", '-');
  g_strdelimit (b64, "/", '_');
  g_strdelimit (b64, "=", '\0');
  return g_strdup (b64);
}

/* The polling service's token from @path; when the file does not exist it
 * is made (mode 0600, its folder 0700) with a fresh token. The token is
 * never printed. */
static gchar *
lersd_load_token (const gchar *path, GError **error)
{
  g_autofree gchar *contents = NULL;
  g_autoptr (GError) error_local = NULL;

  if (!g_file_get_contents (path, &contents, NULL, &error_local))
    {
      g_autofree gchar *dir = NULL;
      g_autofree gchar *token = NULL;
      g_autofree gchar *line = NULL;
      int fd;

      if (!g_error_matches (error_local, G_FILE_ERROR, G_FILE_ERROR_NOENT))
        {
          g_set_error (error, G_FILE_ERROR, error_local->code,
                       _ ("Cannot read the polling service's token: %s"), error_local->message);
          return NULL;
        }
      dir = g_path_get_dirname (path);
      if (g_mkdir_with_parents (dir, 0700) != 0)
        {
          int saved = errno;

          g_set_error (error, G_FILE_ERROR, g_file_error_from_errno (saved),
                       _ ("Cannot make %s: %s"), dir, g_strerror (saved));
          return NULL;
        }
      token = lersd_new_token (error);
      if (token == NULL)
        return NULL;
      /* O_EXCL: never overwrite a token another start wrote meanwhile */
      fd = g_open (path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
      if (fd < 0)
        {
          int saved = errno;

          if (saved == EEXIST)
            return lersd_load_token (path, error);
          g_set_error (error, G_FILE_ERROR, g_file_error_from_errno (saved),
                       _ ("Cannot write the polling service's token to %s: %s"), path,
                       g_strerror (saved));
          return NULL;
        }
      line = g_strconcat (token, "\n", NULL);
      if (write (fd, line, strlen (line)) != (ssize_t) strlen (line) || fsync (fd) != 0)
        {
          int saved = errno;

          close (fd);
          g_unlink (path);
          g_set_error (error, G_FILE_ERROR, g_file_error_from_errno (saved),
                       _ ("Cannot write the polling service's token to %s: %s"), path,
                       g_strerror (saved));
          return NULL;
        }
      close (fd);
      g_message (_ ("Made a new token for the polling service in %s"), path);
      return g_steal_pointer (&token);
    }
  {
    GStatBuf st;

    /* a secret others can read is no secret: refuse it rather than use it */
    if (g_stat (path, &st) == 0 && (st.st_mode & 077) != 0)
      {
        g_set_error (error, LERS_ERROR, LERS_ERROR_PERMISSION_DENIED,
                     _ ("%s, the polling service's token, can be read by others (mode %03o): "
                        "make it readable by its owner only (chmod 600)"),
                     path, (guint) (st.st_mode & 0777));
        return NULL;
      }
  }
  g_strstrip (contents);
  if (contents[0] == '\0' || strchr (contents, '\n') != NULL)
    {
      g_set_error (error, LERS_ERROR, LERS_ERROR_INVALID_ARGUMENT,
                   _ ("%s must hold the polling service's token on one line"), path);
      return NULL;
    }
  return g_steal_pointer (&contents);
}

/* "BASE" or "BASE:MAX", seconds, BASE ≥ 1, MAX ≥ BASE (default 3600, or
 * BASE if larger) */
static gboolean
lersd_parse_retry_delay (const gchar *str, guint *base, guint *max, GError **error)
{
  g_auto (GStrv) parts = g_strsplit (str, ":", -1);
  guint64 values[2] = { 0, 3600 };
  guint n = g_strv_length (parts);

  for (guint i = 0; i < n && n <= 2; i++)
    if (!g_ascii_string_to_unsigned (parts[i], 10, 1, 86400, &values[i], NULL))
      n = 0;
  if (n == 0 || n > 2)
    {
      g_set_error (error, LERS_ERROR, LERS_ERROR_INVALID_ARGUMENT,
                   _ ("--retry-delay must be BASE or BASE:MAX, seconds from 1 to 86400"));
      return FALSE;
    }
  *base = (guint) values[0];
  *max = MAX ((guint) values[1], *base);
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
  g_autoptr (LersdConfig) config = lersd_config_new ();
  LersdConfig *const o = config;
  g_autofree gchar *config_path = NULL;
  gboolean allow_plain_http = FALSE;
  gboolean verbose = FALSE;
  gboolean version = FALSE;
  g_autoptr (GOptionContext) context = NULL;
  g_autoptr (GError) error = NULL;
  g_autoptr (GMainLoop) loop = NULL;
  g_autoptr (LersCluster) cluster = NULL;
  g_autoptr (LersStore) store = NULL;
  g_autoptr (LersdServer) server = NULL;
  g_autoptr (LersEngine) engine = NULL;
  g_autoptr (LersPollWorker) worker = NULL;
  g_autoptr (LersGprsServer) gprs = NULL;
  g_autofree gchar *uri = NULL;
  g_autofree gchar *token = NULL;
  guint retry_base = 0, retry_max = 0;
  LersdRole role = LERSD_ROLE_ALL;
  guint sigint_id, sigterm_id;
  const GOptionEntry entries[] = {
    { "db", 0, 0, G_OPTION_ARG_STRING, &o->db,
      N_ ("PostgreSQL connection URI (default: $LERS_DB, else the embedded cluster)"), N_ ("URI") },
    { "listen", 0, 0, G_OPTION_ARG_STRING, &o->listen,
      N_ ("Address and port of the HTTP API (default: 127.0.0.1:8080)"), N_ ("ADDR:PORT") },
    { "role", 0, 0, G_OPTION_ARG_STRING, &o->role,
      N_ ("What to run: all, api (HTTP only) or poller (a polling service only)"), N_ ("ROLE") },
    { "name", 0, 0, G_OPTION_ARG_STRING, &o->name,
      N_ ("The polling service's name (default: the host name)"), N_ ("NAME") },
    { "token-file", 0, 0, G_OPTION_ARG_FILENAME, &o->token_file,
      N_ ("The file with the polling service's token, made on the first start (default: "
          "$XDG_STATE_HOME/lers/poller-token)"),
      N_ ("FILE") },
    { "max-links", 0, 0, G_OPTION_ARG_INT, &o->max_links,
      N_ ("How many links (ports) the polling service reads at once (default: 32)"), N_ ("N") },
    { "lease", 0, 0, G_OPTION_ARG_INT, &o->lease,
      N_ ("Seconds a claimed link stays the service's without a heartbeat (default: 60)"),
      N_ ("SECONDS") },
    { "spool-dir", 0, 0, G_OPTION_ARG_FILENAME, &o->spool_dir,
      N_ ("Where reads wait while the database is away (default: $XDG_STATE_HOME/lers/spool/NAME)"),
      N_ ("DIR") },
    { "retry-delay", 0, 0, G_OPTION_ARG_STRING, &o->retry_delay,
      N_ ("Seconds before a failed job is tried again, doubling up to MAX (default: 60:3600)"),
      N_ ("BASE[:MAX]") },
    { "gprs-port", 0, 0, G_OPTION_ARG_INT, &o->gprs_port,
      N_ ("Accept GPRS modems that call in on this TCP port (with the poller role)"), N_ ("PORT") },
    { "gprs-handshake", 0, 0, G_OPTION_ARG_STRING, &o->gprs_handshake,
      N_ ("How a GPRS modem identifies itself (default: id, an IMEI or ID line)"), N_ ("RULE") },
    { "config", 0, 0, G_OPTION_ARG_FILENAME, &config_path,
      N_ ("Read options from the [lersd] group of this key file"), N_ ("FILE") },
    { "tls-certificate", 0, 0, G_OPTION_ARG_FILENAME, &o->tls_certificate,
      N_ ("Serve HTTPS with this certificate (PEM; with --tls-key)"), N_ ("FILE") },
    { "tls-key", 0, 0, G_OPTION_ARG_FILENAME, &o->tls_key,
      N_ ("The private key of the certificate (PEM)"), N_ ("FILE") },
    { "allow-plain-http", 0, 0, G_OPTION_ARG_NONE, &allow_plain_http,
      N_ ("Serve plain HTTP on an address other than loopback (behind a TLS proxy)"), NULL },
    { "language", 0, 0, G_OPTION_ARG_STRING, &o->language,
      N_ ("The language of messages when a request asks for none: ru or en (default: ru)"),
      N_ ("LANG") },
    { "web-root", 0, 0, G_OPTION_ARG_FILENAME, &o->web_root,
      N_ ("Serve the web application from this folder (web/build.mjs's output) instead of the "
          "copy built in"),
      N_ ("DIR") },
    { "verbose", 'v', 0, G_OPTION_ARG_NONE, &verbose, N_ ("Log debug messages"), NULL },
    { "version", 0, 0, G_OPTION_ARG_NONE, &version, N_ ("Print the version and exit"), NULL },
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
  if (version)
    {
      g_print ("lersd %s\n", LERS_VERSION);
      return EXIT_SUCCESS;
    }
  if (argc > 1)
    {
      g_printerr (_ ("%s: unexpected argument “%s”\n"), g_get_prgname (), argv[1]);
      return EXIT_FAILURE;
    }
  if (verbose)
    o->verbose = TRUE;
  if (allow_plain_http)
    o->allow_plain_http = TRUE;
  /* the command line of a process is anyone's to read (ps, /proc) */
  if (o->db != NULL && lersd_config_db_has_password (o->db))
    {
      g_set_error (&error, LERS_ERROR, LERS_ERROR_PERMISSION_DENIED,
                   _ ("--db must not hold a password: every user of this machine can read the "
                      "command line. Put the password in a file readable by its owner only and "
                      "name it with db-password-file= in the config file, or use PGPASSFILE"));
      return lersd_fail (error);
    }
  /* Precedence: the command line, then $LERS_DB (as for `lers`), then the
   * config file (--config, else the system one if there is one). */
  if (o->db == NULL && g_getenv ("LERS_DB") != NULL && g_getenv ("LERS_DB")[0] != '\0')
    o->db = g_strdup (g_getenv ("LERS_DB"));
  if (config_path == NULL && g_file_test (LERSD_CONFIG_DEFAULT_PATH, G_FILE_TEST_EXISTS))
    config_path = g_strdup (LERSD_CONFIG_DEFAULT_PATH);
  if (config_path != NULL && !lersd_config_load_file (config, config_path, &error))
    return lersd_fail (error);
  if (!lersd_parse_role (o->role, &role, &error))
    return lersd_fail (error);
  if (o->listen == NULL)
    o->listen = g_strdup (LERSD_DEFAULT_LISTEN);
  if (o->gprs_port != LERSD_UNSET && (o->gprs_port <= 0 || o->gprs_port > G_MAXUINT16))
    {
      g_set_error (&error, LERS_ERROR, LERS_ERROR_INVALID_ARGUMENT,
                   _ ("The GPRS port must be 1 to 65535"));
      return lersd_fail (error);
    }
  if (o->gprs_port != LERSD_UNSET && !(role & LERSD_ROLE_POLLER))
    {
      /* modems are read by the poller: an API-only server would accept
       * them and never read them */
      g_set_error (&error, LERS_ERROR, LERS_ERROR_INVALID_ARGUMENT,
                   _ ("--gprs-port needs the poller role (--role=all or --role=poller)"));
      return lersd_fail (error);
    }
  if (o->max_links != LERSD_UNSET && (o->max_links < 1 || o->max_links > 100000))
    {
      g_set_error (&error, LERS_ERROR, LERS_ERROR_INVALID_ARGUMENT,
                   _ ("--max-links must be 1 to 100000"));
      return lersd_fail (error);
    }
  if (o->lease != LERSD_UNSET && (o->lease < 3 || o->lease > 86400))
    {
      g_set_error (&error, LERS_ERROR, LERS_ERROR_INVALID_ARGUMENT,
                   _ ("--lease must be 3 to 86400 seconds"));
      return lersd_fail (error);
    }
  if (o->retry_delay != NULL
      && !lersd_parse_retry_delay (o->retry_delay, &retry_base, &retry_max, &error))
    return lersd_fail (error);
  if (o->name != NULL && o->name[0] == '\0')
    {
      g_set_error (&error, LERS_ERROR, LERS_ERROR_INVALID_ARGUMENT, _ ("--name must not be empty"));
      return lersd_fail (error);
    }
  if (o->gprs_port != LERSD_UNSET)
    {
      gprs = lers_gprs_server_new ();
      if (o->gprs_handshake != NULL)
        {
          g_autoptr (LersGprsHandshake) rule
              = lers_gprs_handshake_new_from_string (o->gprs_handshake, &error);
          if (rule == NULL)
            return lersd_fail (error);
          lers_gprs_server_set_handshake (gprs, rule);
        }
    }
  if (o->verbose == TRUE)
    g_log_set_debug_enabled (TRUE);

  loop = g_main_loop_new (NULL, FALSE);
  sigint_id = g_unix_signal_add (SIGINT, lersd_quit_cb, loop);
  sigterm_id = g_unix_signal_add (SIGTERM, lersd_quit_cb, loop);

  /* The database */
  if (o->db != NULL)
    {
      uri = lersd_config_get_db_uri (config, &error);
      if (uri == NULL)
        return lersd_fail (error);
    }
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
      /* the API judges a service dead after one lease without heartbeat:
       * the pollers' lease, as far as this daemon knows it */
      if (o->lease != LERSD_UNSET)
        lersd_server_set_poll_lease (server, (guint) o->lease);
      if (!lersd_server_configure (server, config, &error)
          || !lersd_server_listen (server, o->listen, &error))
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
      g_autofree gchar *state = lersd_state_dir ();

      if (o->name == NULL)
        o->name = g_strdup (g_get_host_name ());
      if (o->token_file == NULL)
        o->token_file = g_build_filename (state, "poller-token", NULL);
      token = lersd_load_token (o->token_file, &error);
      if (token == NULL)
        {
          if (cluster != NULL)
            lers_cluster_stop (cluster, NULL);
          return lersd_fail (error);
        }
      engine = lers_engine_new ();
      worker = lers_poll_worker_new (store, engine, o->name, token);
      g_object_set (worker, "auto-authorise", (role & LERSD_ROLE_API) != 0, NULL);
      if (o->max_links != LERSD_UNSET)
        g_object_set (worker, "max-links", (guint) o->max_links, NULL);
      if (o->lease != LERSD_UNSET)
        g_object_set (worker, "lease-seconds", (guint) o->lease, NULL);
      if (o->spool_dir != NULL)
        g_object_set (worker, "spool-dir", o->spool_dir, NULL);
      if (retry_base > 0)
        lers_poll_queue_set_retry_delay (lers_poll_worker_get_queue (worker), retry_base,
                                         retry_max);
      lers_poll_worker_start (worker);
      /* TRANSLATORS: the polling service's name */
      g_message (_ ("Polling service “%s” started"), o->name);
      if (gprs != NULL)
        {
          /* the service's poller: one hold per link in this process */
          lers_poller_watch_gprs_server (lers_poll_worker_get_poller (worker), gprs);
          if (!lers_gprs_server_listen (gprs, NULL, (guint16) o->gprs_port, &error))
            {
              lers_poll_worker_stop (worker);
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
  if (worker != NULL)
    lers_poll_worker_stop (worker);
  if (server != NULL)
    lersd_server_disconnect (server);
  g_clear_object (&gprs);
  g_clear_object (&worker);
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
