/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "config.h"

#include <errno.h>
#include <ftw.h>
#include <glib/gi18n-lib.h>
#include <glib/gstdio.h>
#include <libpq-fe.h>
#include <pwd.h>
#include <stdio.h>
#include <unistd.h>

#include "lers-error.h"
#include "store/lers-cluster.h"

/**
 * LersCluster:
 *
 * A private PostgreSQL 15 cluster run from the distribution's binaries.
 *
 * With no connection string, `lersd` and `lers` keep their data in a cluster
 * of their own under the state directory (see
 * [func@Lers.Cluster.get_default_datadir]); tests and benchmarks use a
 * throwaway one ([ctor@Lers.Cluster.new_temporary]).
 *
 * The server listens only on a Unix socket inside the data directory (no
 * TCP), trusts local connections, and has the superuser `lers`.
 * [method@Lers.Cluster.start] creates the cluster if the directory is empty,
 * starts the server, or reuses the one already running there, and makes sure
 * the `lers` database exists. [method@Lers.Cluster.stop] stops the server only
 * if this object started it.
 *
 * `initdb` and `postgres` refuse to run as root. When the process runs as
 * root, the server runs as the `postgres` user (through `runuser`), and owns
 * the data directory; root itself still connects as the database user `lers`.
 *
 * Since: 0.1
 */

#define LERS_CLUSTER_SUPERUSER "lers"
#define LERS_CLUSTER_DATABASE "lers"
#define LERS_CLUSTER_PG_FALLBACK_BINDIR "/usr/lib/postgresql/15/bin"
#define LERS_CLUSTER_ROOT_DATADIR "/var/lib/lers/postgresql"

struct _LersCluster
{
  GObject parent_instance;
  gchar *datadir;
  gchar *tmpdir; /* the directory removed on stop, for temporary clusters */
  gboolean temporary;
  gchar *bindir;
  gchar *socket_dir;
  gchar *port;
  gboolean started; /* by this object */
  gboolean running;
};

G_DEFINE_TYPE (LersCluster, lers_cluster, G_TYPE_OBJECT)

enum
{
  PROP_0,
  PROP_DATADIR,
  PROP_TEMPORARY,
  PROP_RUNNING,
  N_PROPS
};

static GParamSpec *props[N_PROPS];

static gboolean
lers_cluster_is_root (void)
{
  return geteuid () == 0;
}

static int
lers_cluster_rm_cb (const char *path, const struct stat *sb, int flag, struct FTW *ftw)
{
  if (remove (path) != 0 && errno != ENOENT)
    g_debug ("could not remove %s: %s", path, g_strerror (errno));
  return 0;
}

static void
lers_cluster_remove_tree (const gchar *path)
{
  if (path == NULL || !g_file_test (path, G_FILE_TEST_EXISTS))
    return;
  nftw (path, lers_cluster_rm_cb, 16, FTW_DEPTH | FTW_PHYS);
}

static void
lers_cluster_dispose (GObject *object)
{
  LersCluster *self = LERS_CLUSTER (object);

  if (self->temporary)
    {
      if (self->started)
        {
          g_autoptr (GError) error = NULL;
          if (!lers_cluster_stop (self, &error))
            g_debug ("could not stop the temporary cluster: %s", error->message);
        }
      else
        {
          lers_cluster_remove_tree (self->tmpdir);
          g_clear_pointer (&self->tmpdir, g_free);
        }
    }

  G_OBJECT_CLASS (lers_cluster_parent_class)->dispose (object);
}

static void
lers_cluster_finalize (GObject *object)
{
  LersCluster *self = LERS_CLUSTER (object);

  g_free (self->datadir);
  g_free (self->tmpdir);
  g_free (self->bindir);
  g_free (self->socket_dir);
  g_free (self->port);

  G_OBJECT_CLASS (lers_cluster_parent_class)->finalize (object);
}

static void
lers_cluster_get_property (GObject *object, guint prop_id, GValue *value, GParamSpec *pspec)
{
  LersCluster *self = LERS_CLUSTER (object);

  switch (prop_id)
    {
    case PROP_DATADIR:
      g_value_set_string (value, self->datadir);
      break;
    case PROP_TEMPORARY:
      g_value_set_boolean (value, self->temporary);
      break;
    case PROP_RUNNING:
      g_value_set_boolean (value, self->running);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
lers_cluster_set_property (GObject *object, guint prop_id, const GValue *value, GParamSpec *pspec)
{
  LersCluster *self = LERS_CLUSTER (object);

  switch (prop_id)
    {
    case PROP_DATADIR:
      g_free (self->datadir);
      self->datadir = g_value_dup_string (value);
      break;
    case PROP_TEMPORARY:
      self->temporary = g_value_get_boolean (value);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
lers_cluster_class_init (LersClusterClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = lers_cluster_dispose;
  object_class->finalize = lers_cluster_finalize;
  object_class->get_property = lers_cluster_get_property;
  object_class->set_property = lers_cluster_set_property;

  /**
   * LersCluster:datadir:
   *
   * The PostgreSQL data directory. A temporary cluster has none until it
   * is started.
   *
   * Since: 0.1
   */
  props[PROP_DATADIR]
      = g_param_spec_string ("datadir", NULL, NULL, NULL,
                             G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);

  /**
   * LersCluster:temporary:
   *
   * Whether the cluster lives in a fresh temporary directory that is removed
   * when it stops.
   *
   * Since: 0.1
   */
  props[PROP_TEMPORARY]
      = g_param_spec_boolean ("temporary", NULL, NULL, FALSE,
                              G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);

  /**
   * LersCluster:running:
   *
   * Whether the server was started or found running by
   * [method@Lers.Cluster.start] and not stopped since.
   *
   * Since: 0.1
   */
  props[PROP_RUNNING]
      = g_param_spec_boolean ("running", NULL, NULL, FALSE,
                              G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, N_PROPS, props);
}

static void
lers_cluster_init (LersCluster *self)
{
}

/**
 * lers_cluster_new:
 * @datadir: the data directory; created if missing
 *
 * Creates an object for the cluster in @datadir. Nothing happens on disk
 * until [method@Lers.Cluster.start].
 *
 * Returns: (transfer full): a new #LersCluster
 *
 * Since: 0.1
 */
LersCluster *
lers_cluster_new (const gchar *datadir)
{
  g_return_val_if_fail (datadir != NULL, NULL);

  return g_object_new (LERS_TYPE_CLUSTER, "datadir", datadir, NULL);
}

/**
 * lers_cluster_new_temporary:
 *
 * Creates an object for a throwaway cluster: [method@Lers.Cluster.start]
 * creates it in a fresh temporary directory, and stopping it (or dropping
 * the last reference) stops the server and removes the directory. For tests
 * and benchmarks.
 *
 * Returns: (transfer full): a new #LersCluster
 *
 * Since: 0.1
 */
LersCluster *
lers_cluster_new_temporary (void)
{
  return g_object_new (LERS_TYPE_CLUSTER, "temporary", TRUE, NULL);
}

/**
 * lers_cluster_get_default_datadir:
 *
 * Gets where the embedded cluster of `lersd` and `lers` lives by default:
 * `$XDG_STATE_HOME/lers/postgresql` (usually
 * `~/.local/state/lers/postgresql`).
 *
 * When the process runs as root, it is `/var/lib/lers/postgresql` instead:
 * the server then runs as the `postgres` user, which cannot traverse
 * `/root`.
 *
 * A non-empty `$LERS_CLUSTER_DATADIR` overrides both (since 0.2), so that
 * tests can run `lers` and `lersd` against an embedded cluster of their own,
 * even as root. As root, the directories above it must let the `postgres`
 * user through.
 *
 * Returns: (transfer full) (type filename): the data directory
 *
 * Since: 0.1
 */
gchar *
lers_cluster_get_default_datadir (void)
{
  const gchar *env = g_getenv ("LERS_CLUSTER_DATADIR");

  if (env != NULL && env[0] != '\0')
    return g_strdup (env);
  if (lers_cluster_is_root ())
    return g_strdup (LERS_CLUSTER_ROOT_DATADIR);
  return g_build_filename (g_get_user_state_dir (), "lers", "postgresql", NULL);
}

/**
 * lers_cluster_get_datadir:
 * @self: a #LersCluster
 *
 * Gets the data directory.
 *
 * Returns: (nullable) (type filename): the data directory, or %NULL for a
 *   temporary cluster not started yet
 *
 * Since: 0.1
 */
const gchar *
lers_cluster_get_datadir (LersCluster *self)
{
  g_return_val_if_fail (LERS_IS_CLUSTER (self), NULL);
  return self->datadir;
}

/**
 * lers_cluster_get_temporary:
 * @self: a #LersCluster
 *
 * Gets whether the cluster is a throwaway one.
 *
 * Returns: %TRUE for a cluster made by [ctor@Lers.Cluster.new_temporary]
 *
 * Since: 0.1
 */
gboolean
lers_cluster_get_temporary (LersCluster *self)
{
  g_return_val_if_fail (LERS_IS_CLUSTER (self), FALSE);
  return self->temporary;
}

/**
 * lers_cluster_get_running:
 * @self: a #LersCluster
 *
 * Gets whether the server is known to run: started or reused by
 * [method@Lers.Cluster.start] and not stopped since.
 *
 * Returns: %TRUE if running
 *
 * Since: 0.1
 */
gboolean
lers_cluster_get_running (LersCluster *self)
{
  g_return_val_if_fail (LERS_IS_CLUSTER (self), FALSE);
  return self->running;
}

static void
lers_cluster_set_running (LersCluster *self, gboolean running)
{
  if (self->running == running)
    return;
  self->running = running;
  g_object_notify_by_pspec (G_OBJECT (self), props[PROP_RUNNING]);
}

static gchar *
lers_cluster_find_bindir (void)
{
  g_autofree gchar *pg_config = g_find_program_in_path ("pg_config");

  if (pg_config != NULL)
    {
      g_autofree gchar *out = NULL;
      gint status = 0;
      const gchar *argv[] = { pg_config, "--bindir", NULL };

      if (g_spawn_sync (NULL, (gchar **) argv, NULL, G_SPAWN_STDERR_TO_DEV_NULL, NULL, NULL, &out,
                        NULL, &status, NULL)
          && g_spawn_check_wait_status (status, NULL))
        {
          g_autofree gchar *initdb = NULL;

          g_strstrip (out);
          initdb = g_build_filename (out, "initdb", NULL);
          if (g_file_test (initdb, G_FILE_TEST_IS_EXECUTABLE))
            return g_steal_pointer (&out);
        }
    }
  return g_strdup (LERS_CLUSTER_PG_FALLBACK_BINDIR);
}

/* Runs a PostgreSQL program, as the postgres user when we are root. */
static gboolean
lers_cluster_run (LersCluster *self, const gchar *const *args, GCancellable *cancellable,
                  gchar **output, GError **error)
{
  g_autoptr (GSubprocessLauncher) launcher = NULL;
  g_autoptr (GSubprocess) proc = NULL;
  g_autoptr (GPtrArray) argv = g_ptr_array_new_with_free_func (g_free);
  g_autofree gchar *out = NULL;

  if (lers_cluster_is_root ())
    {
      g_autofree gchar *runuser = g_find_program_in_path ("runuser");

      if (runuser == NULL)
        runuser = g_strdup (g_file_test ("/usr/sbin/runuser", G_FILE_TEST_IS_EXECUTABLE)
                                ? "/usr/sbin/runuser"
                                : "/sbin/runuser");
      g_ptr_array_add (argv, g_steal_pointer (&runuser));
      g_ptr_array_add (argv, g_strdup ("-u"));
      g_ptr_array_add (argv, g_strdup ("postgres"));
      g_ptr_array_add (argv, g_strdup ("--"));
    }
  g_ptr_array_add (argv, g_build_filename (self->bindir, args[0], NULL));
  for (guint i = 1; args[i] != NULL; i++)
    g_ptr_array_add (argv, g_strdup (args[i]));
  g_ptr_array_add (argv, NULL);

  launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE
                                        | G_SUBPROCESS_FLAGS_STDERR_MERGE);
  /* The postgres user may not be able to enter our working directory. */
  g_subprocess_launcher_set_cwd (launcher, "/");
  g_subprocess_launcher_setenv (launcher, "LC_ALL", "C", TRUE);
  g_subprocess_launcher_unsetenv (launcher, "PGDATA");
  g_subprocess_launcher_unsetenv (launcher, "PGHOST");
  g_subprocess_launcher_unsetenv (launcher, "PGPORT");
  proc = g_subprocess_launcher_spawnv (launcher, (const gchar *const *) argv->pdata, error);
  if (proc == NULL)
    {
      g_prefix_error (error, _ ("Could not run %s: "), args[0]);
      return FALSE;
    }
  if (!g_subprocess_communicate_utf8 (proc, NULL, cancellable, &out, NULL, error))
    {
      g_prefix_error (error, _ ("Could not run %s: "), args[0]);
      return FALSE;
    }
  if (!g_subprocess_get_successful (proc))
    {
      g_set_error (error, LERS_ERROR, LERS_ERROR_FAILED, _ ("%s failed: %s"), args[0],
                   out != NULL ? g_strstrip (out) : "");
      return FALSE;
    }
  if (output != NULL)
    *output = g_steal_pointer (&out);
  return TRUE;
}

static gboolean
lers_cluster_prepare_dir (LersCluster *self, GError **error)
{
  if (self->datadir == NULL && self->temporary)
    {
      g_autofree gchar *tmpdir = g_dir_make_tmp ("lers-cluster-XXXXXX", error);

      if (tmpdir == NULL)
        return FALSE;
      self->datadir = g_build_filename (tmpdir, "data", NULL);
      self->tmpdir = g_steal_pointer (&tmpdir);
      g_object_notify_by_pspec (G_OBJECT (self), props[PROP_DATADIR]);
    }

  /* As root, the directories above the data directory must let the
   * postgres user through. */
  {
    g_autofree gchar *parent = g_path_get_dirname (self->datadir);
    g_mkdir_with_parents (parent, lers_cluster_is_root () ? 0755 : 0700);
  }
  if (g_mkdir_with_parents (self->datadir, 0700) != 0)
    {
      int errsv = errno;
      g_set_error (error, G_IO_ERROR, g_io_error_from_errno (errsv), _ ("Could not create %s: %s"),
                   self->datadir, g_strerror (errsv));
      return FALSE;
    }

  if (lers_cluster_is_root ())
    {
      struct passwd *pw = getpwnam ("postgres");

      if (pw == NULL)
        {
          g_set_error_literal (error, LERS_ERROR, LERS_ERROR_FAILED,
                               _ ("Running PostgreSQL as root needs a 'postgres' user"));
          return FALSE;
        }
      /* The server runs as postgres: it must own the data directory, and
       * be able to enter the temporary directory around it. */
      if (self->tmpdir != NULL && chown (self->tmpdir, pw->pw_uid, pw->pw_gid) != 0)
        {
          int errsv = errno;
          g_set_error (error, G_IO_ERROR, g_io_error_from_errno (errsv),
                       _ ("Could not chown %s: %s"), self->tmpdir, g_strerror (errsv));
          return FALSE;
        }
      if (chown (self->datadir, pw->pw_uid, pw->pw_gid) != 0)
        {
          int errsv = errno;
          g_set_error (error, G_IO_ERROR, g_io_error_from_errno (errsv),
                       _ ("Could not chown %s: %s"), self->datadir, g_strerror (errsv));
          return FALSE;
        }
    }
  return TRUE;
}

static gboolean
lers_cluster_dir_is_empty (const gchar *path)
{
  g_autoptr (GDir) dir = g_dir_open (path, 0, NULL);
  return dir != NULL && g_dir_read_name (dir) == NULL;
}

static gchar *
lers_cluster_conf_quote (const gchar *value)
{
  g_autoptr (GString) s = g_string_new ("'");

  for (const gchar *p = value; *p != '\0'; p++)
    {
      if (*p == '\'' || *p == '\\')
        g_string_append_c (s, *p);
      g_string_append_c (s, *p);
    }
  g_string_append_c (s, '\'');
  return g_string_free (g_steal_pointer (&s), FALSE);
}

static gboolean
lers_cluster_initdb (LersCluster *self, GCancellable *cancellable, GError **error)
{
  g_autofree gchar *conf = g_build_filename (self->datadir, "postgresql.conf", NULL);
  g_autofree gchar *quoted = lers_cluster_conf_quote (self->datadir);
  g_autofree gchar *extra = NULL;
  FILE *f;
  gboolean ok;
  const gchar *args[]
      = { "initdb", "-D", self->datadir,          "-A", "trust", "-E", "UTF8", "--locale",
          "C",      "-U", LERS_CLUSTER_SUPERUSER, NULL, NULL };

  /* A throwaway cluster need not survive a power cut. */
  if (self->temporary)
    args[11] = "--no-sync";
  if (!lers_cluster_run (self, args, cancellable, NULL, error))
    return FALSE;

  extra = g_strdup_printf ("\n# Added by LERS: a private cluster, reachable only through\n"
                           "# the Unix socket in the data directory.\n"
                           "listen_addresses = ''\n"
                           "unix_socket_directories = %s\n"
                           "max_connections = 200\n",
                           quoted);
  /* Append in place: the file keeps its owner (postgres, when we are root). */
  f = fopen (conf, "a");
  ok = f != NULL && fputs (extra, f) >= 0;
  if (f != NULL && fclose (f) != 0)
    ok = FALSE;
  if (!ok)
    {
      int errsv = errno;
      g_set_error (error, G_IO_ERROR, g_io_error_from_errno (errsv), _ ("Could not write %s: %s"),
                   conf, g_strerror (errsv));
      return FALSE;
    }
  return TRUE;
}

/* Reads the port and socket directory of a running server from postmaster.pid. */
static gboolean
lers_cluster_read_pidfile (LersCluster *self)
{
  g_autofree gchar *path = g_build_filename (self->datadir, "postmaster.pid", NULL);
  g_autofree gchar *contents = NULL;
  g_auto (GStrv) lines = NULL;

  if (!g_file_get_contents (path, &contents, NULL, NULL))
    return FALSE;
  lines = g_strsplit (contents, "\n", -1);
  if (g_strv_length (lines) < 5 || lines[3][0] == '\0' || lines[4][0] == '\0')
    return FALSE;
  g_free (self->port);
  self->port = g_strdup (g_strstrip (lines[3]));
  g_free (self->socket_dir);
  self->socket_dir = g_strdup (g_strstrip (lines[4]));
  return TRUE;
}

static PGPing
lers_cluster_ping (LersCluster *self)
{
  const gchar *keys[] = { "host", "port", "dbname", "user", "connect_timeout", NULL };
  const gchar *values[]
      = { self->socket_dir, self->port, "postgres", LERS_CLUSTER_SUPERUSER, "5", NULL };

  return PQpingParams (keys, values, 0);
}

/* TRUE if a server answers in the data directory (waiting while it starts up). */
static gboolean
lers_cluster_find_running (LersCluster *self, GCancellable *cancellable)
{
  for (guint i = 0; i < 100; i++)
    {
      PGPing ping;

      if (g_cancellable_is_cancelled (cancellable) || !lers_cluster_read_pidfile (self))
        return FALSE;
      ping = lers_cluster_ping (self);
      if (ping == PQPING_OK)
        return TRUE;
      if (ping != PQPING_REJECT)
        return FALSE;
      g_usleep (100 * 1000);
    }
  return FALSE;
}

static gchar *
lers_cluster_log_tail (const gchar *path)
{
  g_autofree gchar *contents = NULL;
  g_auto (GStrv) lines = NULL;
  guint n;

  if (!g_file_get_contents (path, &contents, NULL, NULL))
    return g_strdup ("");
  lines = g_strsplit (g_strchomp (contents), "\n", -1);
  n = g_strv_length (lines);
  return g_strjoinv ("\n", lines + (n > 5 ? n - 5 : 0));
}

static gboolean
lers_cluster_ensure_database (LersCluster *self, GError **error)
{
  const gchar *keys[] = { "host", "port", "dbname", "user", NULL };
  const gchar *values[]
      = { self->socket_dir, self->port, "postgres", LERS_CLUSTER_SUPERUSER, NULL };
  const gchar *params[] = { LERS_CLUSTER_DATABASE };
  PGconn *conn = PQconnectdbParams (keys, values, 0);
  PGresult *res = NULL;
  gboolean ok = FALSE;

  if (PQstatus (conn) != CONNECTION_OK)
    {
      g_set_error (error, LERS_ERROR, LERS_ERROR_CONNECTION,
                   _ ("Could not connect to the cluster: %s"), PQerrorMessage (conn));
      PQfinish (conn);
      return FALSE;
    }
  res = PQexecParams (conn, "SELECT 1 FROM pg_database WHERE datname = $1", 1, NULL, params, NULL,
                      NULL, 0);
  if (PQresultStatus (res) == PGRES_TUPLES_OK && PQntuples (res) == 1)
    ok = TRUE;
  else if (PQresultStatus (res) == PGRES_TUPLES_OK)
    {
      const gchar *state;

      PQclear (res);
      /* An identifier cannot be a parameter; this one is a constant. */
      res = PQexec (conn, "CREATE DATABASE " LERS_CLUSTER_DATABASE);
      state = PQresultErrorField (res, PG_DIAG_SQLSTATE);
      /* 42P04: another process created it meanwhile */
      ok = PQresultStatus (res) == PGRES_COMMAND_OK || g_strcmp0 (state, "42P04") == 0;
    }
  if (!ok)
    g_set_error (error, LERS_ERROR, LERS_ERROR_DATABASE, _ ("Could not create the database %s: %s"),
                 LERS_CLUSTER_DATABASE, g_strchomp (PQresultErrorMessage (res)));
  PQclear (res);
  PQfinish (conn);
  return ok;
}

static void
lers_cluster_reaper_setup (gpointer user_data)
{
  /* Its own session: a test harness that kills our process group on a
   * timeout must not kill the reaper too (the server has its own already). */
  setsid ();
}

/* A temporary cluster must not outlive its process, even one that crashes
 * or is killed: a detached shell waits for us to go, then stops the server
 * and removes the directory. After a normal stop it finds nothing to do. */
static void
lers_cluster_spawn_reaper (LersCluster *self)
{
  g_autofree gchar *pg_ctl = g_build_filename (self->bindir, "pg_ctl", NULL);
  g_autofree gchar *q_pg_ctl = g_shell_quote (pg_ctl);
  g_autofree gchar *q_datadir = g_shell_quote (self->datadir);
  g_autofree gchar *q_tmpdir = g_shell_quote (self->tmpdir);
  g_autofree gchar *script = NULL;
  g_autoptr (GError) error = NULL;
  const gchar *argv[] = { "/bin/sh", "-c", NULL, NULL };

  script = g_strdup_printf ("while kill -0 %d 2>/dev/null; do sleep 1; done; "
                            "if [ -d %s ]; then %s %s stop -D %s -m immediate -s; rm -rf %s; fi",
                            (int) getpid (), q_datadir,
                            lers_cluster_is_root () ? "runuser -u postgres --" : "", q_pg_ctl,
                            q_datadir, q_tmpdir);
  argv[2] = script;
  if (!g_spawn_async ("/", (gchar **) argv, NULL,
                      G_SPAWN_STDOUT_TO_DEV_NULL | G_SPAWN_STDERR_TO_DEV_NULL
                          | G_SPAWN_STDIN_FROM_DEV_NULL,
                      lers_cluster_reaper_setup, NULL, NULL, &error))
    g_debug ("no reaper for the temporary cluster: %s", error->message);
}

/**
 * lers_cluster_start:
 * @self: a #LersCluster
 * @cancellable: (nullable): a #GCancellable
 * @error: return location for a #GError
 *
 * Makes the server run: creates the cluster with `initdb` if the data
 * directory is empty or missing, reuses a server that already runs there
 * (another process or another #LersCluster started it), or starts it with
 * `pg_ctl`; then creates the database `lers` if it is missing.
 *
 * This blocks for as long as `initdb` and the server start take (about two
 * seconds for a new cluster).
 *
 * Returns: %TRUE if the server runs
 *
 * Since: 0.1
 */
gboolean
lers_cluster_start (LersCluster *self, GCancellable *cancellable, GError **error)
{
  g_autofree gchar *pg_version = NULL;
  g_autofree gchar *logfile = NULL;
  g_autoptr (GError) start_error = NULL;

  g_return_val_if_fail (LERS_IS_CLUSTER (self), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (self->running)
    return TRUE;
  if (self->bindir == NULL)
    self->bindir = lers_cluster_find_bindir ();
  if (!lers_cluster_prepare_dir (self, error))
    return FALSE;

  pg_version = g_build_filename (self->datadir, "PG_VERSION", NULL);
  if (!g_file_test (pg_version, G_FILE_TEST_EXISTS))
    {
      if (!lers_cluster_dir_is_empty (self->datadir))
        {
          g_set_error (error, LERS_ERROR, LERS_ERROR_INVALID_ARGUMENT,
                       _ ("%s is neither empty nor a PostgreSQL data directory"), self->datadir);
          return FALSE;
        }
      if (!lers_cluster_initdb (self, cancellable, error))
        return FALSE;
    }

  if (!lers_cluster_find_running (self, cancellable))
    {
      const gchar *args[]
          = { "pg_ctl", "start", "-D", self->datadir, "-w", "-t", "120", "-s", "-l", NULL, NULL };

      logfile = g_build_filename (self->datadir, "postmaster.log", NULL);
      args[9] = logfile;
      if (!lers_cluster_run (self, args, cancellable, NULL, &start_error))
        {
          /* Someone else may have started it at the same moment. */
          if (!lers_cluster_find_running (self, cancellable))
            {
              g_autofree gchar *tail = lers_cluster_log_tail (logfile);
              g_propagate_prefixed_error (error, g_steal_pointer (&start_error),
                                          "Could not start PostgreSQL in %s: %s\n", self->datadir,
                                          tail);
              return FALSE;
            }
        }
      else
        {
          self->started = TRUE;
          if (self->temporary)
            lers_cluster_spawn_reaper (self);
          if (!lers_cluster_read_pidfile (self))
            {
              g_set_error (error, LERS_ERROR, LERS_ERROR_FAILED,
                           _ ("PostgreSQL started in %s but left no usable postmaster.pid"),
                           self->datadir);
              return FALSE;
            }
        }
    }
  lers_cluster_set_running (self, TRUE);

  if (!lers_cluster_ensure_database (self, error))
    return FALSE;
  return TRUE;
}

/**
 * lers_cluster_stop:
 * @self: a #LersCluster
 * @error: return location for a #GError
 *
 * Stops the server (`pg_ctl stop -m fast`) if this object started it;
 * a server it found running is left alone. A temporary cluster's directory
 * is removed.
 *
 * Dropping the last reference stops a temporary cluster too (and if the
 * process dies, a watchdog does), but leaves the server of a persistent one
 * running, to be reused by the next [method@Lers.Cluster.start].
 *
 * Returns: %TRUE on success
 *
 * Since: 0.1
 */
gboolean
lers_cluster_stop (LersCluster *self, GError **error)
{
  g_return_val_if_fail (LERS_IS_CLUSTER (self), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (self->started)
    {
      const gchar *args[]
          = { "pg_ctl", "stop", "-D", self->datadir, "-m", "fast", "-w", "-t", "120", "-s", NULL };

      if (!lers_cluster_run (self, args, NULL, NULL, error))
        return FALSE;
      self->started = FALSE;
    }
  lers_cluster_set_running (self, FALSE);
  if (self->temporary && self->tmpdir != NULL)
    {
      lers_cluster_remove_tree (self->tmpdir);
      g_clear_pointer (&self->tmpdir, g_free);
    }
  return TRUE;
}

/**
 * lers_cluster_get_uri_for_database:
 * @self: a #LersCluster
 * @database: a database name, such as `postgres`
 *
 * Gets a libpq connection URI for @database over the cluster's socket, as
 * the superuser `lers`. The cluster must be running.
 *
 * Returns: (transfer full) (nullable): the URI, or %NULL if the server is
 *   not running
 *
 * Since: 0.1
 */
gchar *
lers_cluster_get_uri_for_database (LersCluster *self, const gchar *database)
{
  g_autofree gchar *host = NULL;
  g_autofree gchar *db = NULL;

  g_return_val_if_fail (LERS_IS_CLUSTER (self), NULL);
  g_return_val_if_fail (database != NULL, NULL);

  if (!self->running || self->socket_dir == NULL)
    return NULL;
  host = g_uri_escape_string (self->socket_dir, NULL, FALSE);
  db = g_uri_escape_string (database, NULL, FALSE);
  return g_strdup_printf ("postgresql:///%s?host=%s&port=%s&user=" LERS_CLUSTER_SUPERUSER, db, host,
                          self->port);
}

/**
 * lers_cluster_get_uri:
 * @self: a #LersCluster
 *
 * Gets a libpq connection URI for the `lers` database over the cluster's
 * Unix socket, for [ctor@Lers.Store.new] or `psql`.
 *
 * Returns: (transfer full) (nullable): the URI, or %NULL if the server is
 *   not running
 *
 * Since: 0.1
 */
gchar *
lers_cluster_get_uri (LersCluster *self)
{
  return lers_cluster_get_uri_for_database (self, LERS_CLUSTER_DATABASE);
}

static gboolean
lers_cluster_admin_exec (LersCluster *self, const gchar *sql, GError **error)
{
  const gchar *keys[] = { "host", "port", "dbname", "user", NULL };
  const gchar *values[]
      = { self->socket_dir, self->port, "postgres", LERS_CLUSTER_SUPERUSER, NULL };
  PGconn *conn;
  PGresult *res;
  gboolean ok;

  if (!self->running)
    {
      g_set_error_literal (error, LERS_ERROR, LERS_ERROR_CONNECTION,
                           _ ("The cluster is not running"));
      return FALSE;
    }
  conn = PQconnectdbParams (keys, values, 0);
  if (PQstatus (conn) != CONNECTION_OK)
    {
      g_autofree gchar *msg = g_strdup (PQerrorMessage (conn));
      g_set_error (error, LERS_ERROR, LERS_ERROR_CONNECTION,
                   _ ("Could not connect to the cluster: %s"), g_strstrip (msg));
      PQfinish (conn);
      return FALSE;
    }
  res = PQexec (conn, sql);
  ok = PQresultStatus (res) == PGRES_COMMAND_OK;
  if (!ok)
    {
      g_autofree gchar *msg = g_strdup (PQresultErrorMessage (res));
      g_set_error_literal (error, LERS_ERROR, LERS_ERROR_DATABASE, g_strstrip (msg));
    }
  PQclear (res);
  PQfinish (conn);
  return ok;
}

static gchar *
lers_cluster_quote_ident (const gchar *name)
{
  g_autoptr (GString) s = g_string_new ("\"");

  for (const gchar *p = name; *p != '\0'; p++)
    {
      if (*p == '"')
        g_string_append_c (s, '"');
      g_string_append_c (s, *p);
    }
  g_string_append_c (s, '"');
  return g_string_free (g_steal_pointer (&s), FALSE);
}

/**
 * lers_cluster_create_database:
 * @self: a running #LersCluster
 * @name: the name of the new database
 * @template_name: (nullable): the database to copy, or %NULL for an empty one
 * @error: return location for a #GError
 *
 * Creates a database in the cluster, for example one per test copied from
 * an already migrated template (which must have no open connections).
 *
 * Returns: %TRUE on success
 *
 * Since: 0.1
 */
gboolean
lers_cluster_create_database (LersCluster *self, const gchar *name, const gchar *template_name,
                              GError **error)
{
  g_autofree gchar *ident = NULL;
  g_autofree gchar *template_ident = NULL;
  g_autofree gchar *sql = NULL;

  g_return_val_if_fail (LERS_IS_CLUSTER (self), FALSE);
  g_return_val_if_fail (name != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  /* Identifiers cannot be parameters; they are quoted instead. */
  ident = lers_cluster_quote_ident (name);
  if (template_name != NULL)
    {
      template_ident = lers_cluster_quote_ident (template_name);
      sql = g_strdup_printf ("CREATE DATABASE %s TEMPLATE %s", ident, template_ident);
    }
  else
    sql = g_strdup_printf ("CREATE DATABASE %s", ident);
  if (!lers_cluster_admin_exec (self, sql, error))
    {
      g_prefix_error (error, _ ("Could not create the database %s: "), name);
      return FALSE;
    }
  return TRUE;
}

/**
 * lers_cluster_drop_database:
 * @self: a running #LersCluster
 * @name: the database to drop
 * @error: return location for a #GError
 *
 * Drops a database, closing any connection to it. A database that does not
 * exist is not an error.
 *
 * Returns: %TRUE on success
 *
 * Since: 0.1
 */
gboolean
lers_cluster_drop_database (LersCluster *self, const gchar *name, GError **error)
{
  g_autofree gchar *ident = NULL;
  g_autofree gchar *sql = NULL;

  g_return_val_if_fail (LERS_IS_CLUSTER (self), FALSE);
  g_return_val_if_fail (name != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  ident = lers_cluster_quote_ident (name);
  sql = g_strdup_printf ("DROP DATABASE IF EXISTS %s WITH (FORCE)", ident);
  if (!lers_cluster_admin_exec (self, sql, error))
    {
      g_prefix_error (error, _ ("Could not drop the database %s: "), name);
      return FALSE;
    }
  return TRUE;
}
