/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "config.h"

#include <stdlib.h>
#include <unistd.h>

#include <glib/gstdio.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/wait.h>

#include "lers-check.h"

#define LERS_CHECK_TEMPLATE "lers_check_template"

static LersCluster *lers_check_cluster = NULL;
static pid_t lers_check_cluster_owner = 0;
static gchar *lers_check_db_name = NULL;
static gchar *lers_check_uri = NULL;
static LersStore *lers_check_store = NULL;
static guint lers_check_db_counter = 0;

/**
 * lers_check_init:
 * @argc: (inout): the program's argc
 * @argv: (inout): the program's argv
 *
 * Makes criticals and warnings fatal (a test that logs one fails) and gives
 * each test a timeout (`CK_DEFAULT_TIMEOUT`, 120 s unless already set).
 */
void
lers_check_init (int *argc, char ***argv)
{
  g_log_set_always_fatal (G_LOG_FATAL_MASK | G_LOG_LEVEL_CRITICAL | G_LOG_LEVEL_WARNING);
  g_setenv ("CK_DEFAULT_TIMEOUT", "120", FALSE);
  g_setenv ("LC_ALL", "C.UTF-8", FALSE);
  /* Check forks a child for each test: idle pool threads of the parent do
   * not exist there, yet GLib would hand them work. Keep none idle. */
  g_thread_pool_set_max_unused_threads (0);
}

/**
 * lers_check_run_suite:
 * @suite: (transfer full): the suite
 *
 * Runs @suite and returns the exit status for main().
 */
int
lers_check_run_suite (Suite *suite)
{
  SRunner *runner = srunner_create (suite);
  int failed;

  srunner_run_all (runner, CK_ENV);
  failed = srunner_ntests_failed (runner);
  srunner_free (runner);
  return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}

static void
lers_check_atexit (void)
{
  g_autoptr (GError) error = NULL;

  /* Forked test processes inherit the pointer but do not own the server. */
  if (lers_check_cluster == NULL || getpid () != lers_check_cluster_owner)
    return;
  if (!lers_cluster_stop (lers_check_cluster, &error))
    g_printerr ("lers-check: could not stop the test cluster: %s\n", error->message);
  g_clear_object (&lers_check_cluster);
}

/**
 * lers_check_cluster_setup:
 *
 * An unchecked fixture: starts the program's throwaway PostgreSQL cluster if
 * it is not running yet, and prepares a migrated template database. Later
 * calls reuse it; it stops when the program exits.
 */
void
lers_check_cluster_setup (void)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (LersCluster) cluster = NULL;
  g_autoptr (LersStore) store = NULL;
  g_autofree gchar *uri = NULL;

  if (lers_check_cluster != NULL)
    return;

  cluster = lers_cluster_new_temporary ();
  if (!lers_cluster_start (cluster, NULL, &error))
    ck_abort_msg ("could not start a PostgreSQL cluster: %s", error->message);
  lers_check_cluster = g_steal_pointer (&cluster);
  lers_check_cluster_owner = getpid ();
  atexit (lers_check_atexit);

  /* Migrate once; each test's database is a copy. */
  if (!lers_cluster_create_database (lers_check_cluster, LERS_CHECK_TEMPLATE, NULL, &error))
    ck_abort_msg ("%s", error->message);
  uri = lers_cluster_get_uri_for_database (lers_check_cluster, LERS_CHECK_TEMPLATE);
  store = lers_store_new (uri);
  if (!lers_store_open_sync (store, NULL, &error))
    ck_abort_msg ("could not migrate the template database: %s", error->message);
}

/**
 * lers_check_cluster_teardown:
 *
 * The other half of lers_check_cluster_setup(). The cluster itself lives
 * until the program exits, so that every TCase of a suite shares it.
 */
void
lers_check_cluster_teardown (void)
{
}

/**
 * lers_check_get_cluster:
 *
 * Returns: (transfer none) (nullable): the test cluster, once set up
 */
LersCluster *
lers_check_get_cluster (void)
{
  return lers_check_cluster;
}

/**
 * lers_check_store_setup:
 *
 * A checked fixture: creates a fresh database for the test (a copy of the
 * migrated template) and opens a #LersStore on it.
 */
void
lers_check_store_setup (void)
{
  g_autoptr (GError) error = NULL;

  if (lers_check_cluster == NULL)
    lers_check_cluster_setup ();

  lers_check_db_name = g_strdup_printf ("test_%d_%u", (int) getpid (), ++lers_check_db_counter);
  if (!lers_cluster_create_database (lers_check_cluster, lers_check_db_name, LERS_CHECK_TEMPLATE,
                                     &error))
    ck_abort_msg ("%s", error->message);
  lers_check_uri = lers_cluster_get_uri_for_database (lers_check_cluster, lers_check_db_name);
  lers_check_store = lers_store_new (lers_check_uri);
  if (!lers_store_open_sync (lers_check_store, NULL, &error))
    ck_abort_msg ("could not open the test database: %s", error->message);
}

/**
 * lers_check_store_teardown:
 *
 * Drops the test's store and database.
 */
void
lers_check_store_teardown (void)
{
  g_autoptr (GError) error = NULL;

  g_clear_object (&lers_check_store);
  if (lers_check_db_name != NULL && lers_check_cluster != NULL
      && lers_cluster_get_running (lers_check_cluster)
      && !lers_cluster_drop_database (lers_check_cluster, lers_check_db_name, &error))
    g_printerr ("lers-check: %s\n", error->message);
  g_clear_pointer (&lers_check_db_name, g_free);
  g_clear_pointer (&lers_check_uri, g_free);
}

/**
 * lers_check_get_store:
 *
 * Returns: (transfer none): the open store of the current test
 */
LersStore *
lers_check_get_store (void)
{
  ck_assert_msg (lers_check_store != NULL, "lers_check_store_setup() was not run");
  return lers_check_store;
}

/**
 * lers_check_get_uri:
 *
 * Returns: the libpq URI of the current test's database
 */
const gchar *
lers_check_get_uri (void)
{
  ck_assert_msg (lers_check_uri != NULL, "lers_check_store_setup() was not run");
  return lers_check_uri;
}

static void
lers_check_die_with_parent (gpointer user_data)
{
  prctl (PR_SET_PDEATHSIG, SIGTERM);
}

/**
 * lers_check_spawn:
 * @error: return location for a #GError
 * @argv0: the program
 * @...: its arguments, then %NULL
 *
 * Starts a server program for a test (lersd, lers-sim) with its output
 * silenced. It gets SIGTERM when the test process dies, however the test
 * ends, so no server outlives a failed run.
 */
GSubprocess *
lers_check_spawn (GError **error, const gchar *argv0, ...)
{
  g_autoptr (GSubprocessLauncher) launcher = g_subprocess_launcher_new (
      G_SUBPROCESS_FLAGS_STDOUT_SILENCE | G_SUBPROCESS_FLAGS_STDERR_SILENCE);
  g_autoptr (GPtrArray) argv = g_ptr_array_new ();
  const gchar *arg;
  va_list args;

  g_ptr_array_add (argv, (gpointer) argv0);
  va_start (args, argv0);
  while ((arg = va_arg (args, const gchar *)) != NULL)
    g_ptr_array_add (argv, (gpointer) arg);
  va_end (args);
  g_ptr_array_add (argv, NULL);
  g_subprocess_launcher_set_child_setup (launcher, lers_check_die_with_parent, NULL, NULL);
  return g_subprocess_launcher_spawnv (launcher, (const gchar *const *) argv->pdata, error);
}

/**
 * lers_check_this_hour:
 *
 * Returns: (transfer full): the start of the current hour, UTC
 */
GDateTime *
lers_check_this_hour (void)
{
  g_autoptr (GDateTime) now = g_date_time_new_now_utc ();
  return g_date_time_new_utc (g_date_time_get_year (now), g_date_time_get_month (now),
                              g_date_time_get_day_of_month (now), g_date_time_get_hour (now), 0, 0);
}

/**
 * lers_check_seed_archive:
 *
 * Stores, in the test's database, a node "Котельная" with a point
 * "Отопление" and its last three complete hours: T_in 73, 72, 71 °C and
 * Q_in 0.375, 0.25, 0.125 Gcal (calculated), oldest first.
 *
 * Returns: the point's id
 */
gint64
lers_check_seed_archive (void)
{
  LersStore *store = lers_check_get_store ();
  g_autoptr (LersNode) node = lers_node_new ();
  g_autoptr (LersMeasurePoint) point = lers_measure_point_new ();
  g_autoptr (GPtrArray) records = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr (GDateTime) hour = lers_check_this_hour ();
  g_autoptr (GError) error = NULL;

  lers_node_set_title (node, "Котельная");
  ck_assert (lers_store_save_node_sync (store, node, NULL, &error));
  g_object_set (point, "node-id", lers_node_get_id (node), "title", "Отопление", NULL);
  ck_assert (lers_store_save_measure_point_sync (store, point, NULL, &error));
  for (gint i = 3; i >= 1; i--)
    {
      g_autoptr (GDateTime) ts = g_date_time_add_hours (hour, -i);
      LersRecord *r = lers_record_new (ts, LERS_ARCHIVE_KIND_HOUR);
      lers_record_set_value (r, LERS_PARAMETER_T_IN, 70 + i, 0);
      lers_record_set_value (r, LERS_PARAMETER_Q_IN, 0.125 * i, LERS_VALUE_FLAG_CALCULATED);
      g_ptr_array_add (records, r);
    }
  ck_assert_msg (lers_store_write_records_sync (store, lers_measure_point_get_id (point), records,
                                                NULL, &error),
                 "%s", error != NULL ? error->message : "");
  return lers_measure_point_get_id (point);
}

/**
 * lers_check_in_ci:
 *
 * Returns: whether the tests run under CI (`CI` set, and neither empty,
 *   `0` nor `false`), where a missing requirement fails instead of skipping
 */
gboolean
lers_check_in_ci (void)
{
  const gchar *ci = g_getenv ("CI");

  return ci != NULL && ci[0] != '\0' && g_strcmp0 (ci, "0") != 0
         && g_ascii_strcasecmp (ci, "false") != 0;
}

static void G_GNUC_NORETURN
lers_check_missing (const gchar *what)
{
  if (lers_check_in_ci ())
    {
      g_printerr ("FAIL: %s; CI is set, so a missing requirement is a failure\n", what);
      exit (EXIT_FAILURE);
    }
  g_printerr ("SKIP: %s\n", what);
  exit (77);
}

/**
 * lers_check_require_path:
 * @path: a file or folder the test reads
 *
 * Returns if @path exists; else ends the program: skipped (77) outside CI,
 * failed (1) under CI.
 */
void
lers_check_require_path (const gchar *path)
{
  g_autofree gchar *what = NULL;

  if (path != NULL && g_file_test (path, G_FILE_TEST_EXISTS))
    return;
  what = g_strdup_printf ("%s is absent", path != NULL ? path : "(null)");
  lers_check_missing (what);
}

/**
 * lers_check_require_program:
 * @name: a program's name (looked up in `PATH`) or path
 *
 * Returns: (transfer full): the program's full path; if it is not found the
 *   program ends: skipped (77) outside CI, failed (1) under CI
 */
gchar *
lers_check_require_program (const gchar *name)
{
  gchar *path = name != NULL && name[0] != '\0' ? g_find_program_in_path (name) : NULL;
  g_autofree gchar *what = NULL;

  if (path != NULL)
    return path;
  what = g_strdup_printf ("program %s is not installed", name != NULL ? name : "(null)");
  lers_check_missing (what);
}

/**
 * lers_check_remove_tree:
 * @path: a folder the test made
 *
 * Removes @path and everything under it (like `rm -rf`).
 */
void
lers_check_remove_tree (const gchar *path)
{
  g_autoptr (GDir) dir = NULL;
  const gchar *name;

  if (g_file_test (path, G_FILE_TEST_IS_DIR) && !g_file_test (path, G_FILE_TEST_IS_SYMLINK))
    {
      dir = g_dir_open (path, 0, NULL);
      while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
        {
          g_autofree gchar *child = g_build_filename (path, name, NULL);
          lers_check_remove_tree (child);
        }
    }
  g_remove (path);
}

/**
 * lers_check_query_records:
 *
 * lers_store_query_archive_sync(), its rows as #LersRecord objects, for the
 * tests that compare records. Not how programs should read archives: the
 * columns of the batch cost no object a row.
 *
 * Returns: (transfer container) (element-type Lers.Record): the records
 *   ordered by time, or %NULL with @error set
 */
GPtrArray *
lers_check_query_records (LersStore *store, gint64 point_id, LersArchiveKind kind, GDateTime *from,
                          GDateTime *to, GCancellable *cancellable, GError **error)
{
  g_autoptr (LersArchiveBatch) batch
      = lers_store_query_archive_sync (store, point_id, kind, from, to, cancellable, error);
  GPtrArray *records;

  if (batch == NULL)
    return NULL;
  records = g_ptr_array_new_full (lers_archive_batch_get_n_rows (batch), g_object_unref);
  for (guint i = 0; i < lers_archive_batch_get_n_rows (batch); i++)
    g_ptr_array_add (records, lers_archive_batch_dup_record (batch, i));
  return records;
}

/* ---- SQL from a connection of the test's own ----------------------------- */

PGconn *
lers_check_sql_connect (void)
{
  PGconn *conn = PQconnectdb (lers_check_get_uri ());

  ck_assert_msg (PQstatus (conn) == CONNECTION_OK, "%s", PQerrorMessage (conn));
  return conn;
}

void
lers_check_sql_exec_on (PGconn *conn, const gchar *sql)
{
  PGresult *res = PQexec (conn, sql);

  ck_assert_msg (PQresultStatus (res) == PGRES_COMMAND_OK
                     || PQresultStatus (res) == PGRES_TUPLES_OK,
                 "%s: %s", sql, PQresultErrorMessage (res));
  PQclear (res);
}

void
lers_check_sql_exec (const gchar *sql)
{
  PGconn *conn = lers_check_sql_connect ();

  lers_check_sql_exec_on (conn, sql);
  PQfinish (conn);
}

gchar *
lers_check_sql_value (const gchar *sql)
{
  PGconn *conn = lers_check_sql_connect ();
  PGresult *res = PQexec (conn, sql);
  gchar *value = NULL;

  ck_assert_msg (PQresultStatus (res) == PGRES_TUPLES_OK
                     || PQresultStatus (res) == PGRES_COMMAND_OK,
                 "%s: %s", sql, PQresultErrorMessage (res));
  if (PQresultStatus (res) == PGRES_TUPLES_OK && PQntuples (res) > 0 && !PQgetisnull (res, 0, 0))
    value = g_strdup (PQgetvalue (res, 0, 0));
  PQclear (res);
  PQfinish (conn);
  return value;
}

gint64
lers_check_sql_int (const gchar *sql)
{
  g_autofree gchar *value = lers_check_sql_value (sql);

  return value != NULL ? g_ascii_strtoll (value, NULL, 10) : -1;
}

gint64
lers_check_make_point (void)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (LersMeasurePoint) point = lers_measure_point_new ();

  lers_measure_point_set_title (point, "ТУ отопление");
  ck_assert (lers_store_save_measure_point_sync (lers_check_get_store (), point, NULL, &error));
  lers_check_assert_no_error (error);
  return lers_measure_point_get_id (point);
}

/* ---- a simulated meter on a loopback socket -------------------------------- */

static void
lers_check_sim_served_cb (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr (GSocketConnection) connection = user_data;

  lers_device_simulator_serve_finish (LERS_DEVICE_SIMULATOR (source), result, NULL);
}

static gboolean
lers_check_sim_incoming_cb (GSocketService *service, GSocketConnection *connection,
                            GObject *source_object, gpointer user_data)
{
  LersCheckSim *sim = user_data;

  lers_device_simulator_serve_async (sim->simulator, G_IO_STREAM (connection), NULL,
                                     lers_check_sim_served_cb, g_object_ref (connection));
  return TRUE;
}

void
lers_check_sim_start (LersCheckSim *sim, LersEngine *engine, const gchar *protocol,
                      const gchar *serial, guint address, guint seed)
{
  g_autoptr (GError) error = NULL;

  sim->simulator
      = lers_engine_create_device_simulator (engine, protocol, serial, address, seed, &error);
  ck_assert_msg (sim->simulator != NULL, "%s", error ? error->message : "");
  sim->service = g_socket_service_new ();
  sim->port = g_socket_listener_add_any_inet_port (G_SOCKET_LISTENER (sim->service), NULL, &error);
  ck_assert_uint_ne (sim->port, 0);
  g_signal_connect (sim->service, "incoming", G_CALLBACK (lers_check_sim_incoming_cb), sim);
  g_socket_service_start (sim->service);
}

void
lers_check_sim_stop (LersCheckSim *sim)
{
  g_socket_service_stop (sim->service);
  g_socket_listener_close (G_SOCKET_LISTENER (sim->service));
  g_clear_object (&sim->service);
  g_clear_object (&sim->simulator);
}

static LersEngine *lers_check_engine = NULL;
static LersCheckSim lers_check_sim;

void
lers_check_sim_setup (void)
{
  lers_check_store_setup ();
  lers_check_engine = lers_engine_new ();
  lers_check_sim_start (&lers_check_sim, lers_check_engine, "mbus", "10000042", 7, 42);
}

void
lers_check_sim_teardown (void)
{
  lers_check_sim_stop (&lers_check_sim);
  g_clear_object (&lers_check_engine);
  lers_check_store_teardown ();
}

LersEngine *
lers_check_get_engine (void)
{
  return lers_check_engine;
}

guint16
lers_check_get_sim_port (void)
{
  return lers_check_sim.port;
}

gint64
lers_check_add_sim_point (guint16 port, const gchar *address, guint timeout, guint poll_interval,
                          guint poll_offset)
{
  LersStore *store = lers_check_get_store ();
  g_autoptr (LersNode) node = lers_node_new ();
  g_autoptr (LersConnection) connection = lers_connection_new ();
  g_autoptr (LersDevice) device = lers_device_new ();
  g_autoptr (LersMeasurePoint) point = lers_measure_point_new ();
  g_autoptr (GError) error = NULL;
  g_autoptr (GPtrArray) devices = lers_store_list_devices_sync (store, NULL, &error);

  lers_node_set_title (node, "ИТП 1");
  ck_assert (lers_store_save_node_sync (store, node, NULL, &error));
  ck_assert (devices != NULL);
  for (guint i = 0; i < devices->len; i++)
    if (g_strcmp0 (lers_device_get_serial_number (g_ptr_array_index (devices, i)), "10000042") == 0)
      g_set_object (&device, g_ptr_array_index (devices, i));
  if (lers_device_get_id (device) == 0)
    {
      g_object_set (connection, "host", "127.0.0.1", "port", port != 0 ? port : lers_check_sim.port,
                    "timeout", timeout, NULL);
      ck_assert (lers_store_save_connection_sync (store, connection, NULL, &error));
      g_object_set (device, "protocol", "mbus", "serial-number", "10000042", "network-address",
                    address, "connection-id", lers_connection_get_id (connection), NULL);
      ck_assert (lers_store_save_device_sync (store, device, NULL, &error));
    }
  g_object_set (point, "title", "Отопление", "node-id", lers_node_get_id (node), "device-id",
                lers_device_get_id (device), "poll-interval", poll_interval, "poll-offset",
                poll_offset, NULL);
  ck_assert_msg (lers_store_save_measure_point_sync (store, point, NULL, &error), "%s",
                 error ? error->message : "");
  return lers_measure_point_get_id (point);
}

typedef struct
{
  GMainLoop *loop;
  gint n;
  GError *error;
} LersCheckWait;

static void
lers_check_read_cb (GObject *source, GAsyncResult *result, gpointer user_data)
{
  LersCheckWait *w = user_data;

  w->n = lers_poller_read_point_finish (LERS_POLLER (source), result, &w->error);
  g_main_loop_quit (w->loop);
}

gint
lers_check_read_point (LersEngine *engine, gint64 point_id, GDateTime *from, GDateTime *to,
                       LersProgress *progress, GError **error)
{
  g_autoptr (LersPoller) poller = lers_poller_new (lers_check_get_store (), engine);
  g_autoptr (GMainLoop) loop = g_main_loop_new (NULL, FALSE);
  LersCheckWait w = { loop, 0, NULL };

  lers_poller_read_point_async (poller, point_id, LERS_ARCHIVE_KIND_HOUR, from, to, progress, NULL,
                                lers_check_read_cb, &w);
  g_main_loop_run (loop);
  if (w.error != NULL)
    g_propagate_error (error, w.error);
  return w.n;
}

gint
lers_check_run_lers (gchar **out, gchar **err, ...)
{
  g_autoptr (GPtrArray) argv = g_ptr_array_new_with_free_func (g_free);
  g_autoptr (GError) error = NULL;
  const gchar *arg;
  gint status = -1;
  va_list args;

  g_ptr_array_add (argv, g_build_filename (g_getenv ("LERS_BUILD_ROOT"), "tools", "lers", NULL));
  if (lers_check_get_uri () != NULL)
    g_ptr_array_add (argv, g_strconcat ("--db=", lers_check_get_uri (), NULL));
  va_start (args, err);
  while ((arg = va_arg (args, const gchar *)) != NULL)
    g_ptr_array_add (argv, g_strdup (arg));
  va_end (args);
  g_ptr_array_add (argv, NULL);
  ck_assert (g_spawn_sync (NULL, (gchar **) argv->pdata, NULL, G_SPAWN_DEFAULT, NULL, NULL, out,
                           err, &status, &error));
  return g_spawn_check_wait_status (status, NULL) ? 0 : WEXITSTATUS (status);
}
