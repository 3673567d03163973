/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

#include <check.h>
#include <lers.h>
#include <libpq-fe.h>

G_BEGIN_DECLS

/* A small helper over Check, like libgstcheck.
 *
 *   int main (int argc, char **argv)
 *   {
 *     lers_check_init (&argc, &argv);
 *     return lers_check_run_suite (my_suite ());
 *   }
 *
 * Tests that need PostgreSQL add, to each TCase:
 *
 *   tcase_add_unchecked_fixture (tc, lers_check_cluster_setup, lers_check_cluster_teardown);
 *   tcase_add_checked_fixture (tc, lers_check_store_setup, lers_check_store_teardown);
 *
 * The unchecked fixture starts one throwaway cluster for the whole test
 * program (it is stopped and removed when the program exits); the checked
 * one gives every test a fresh, migrated, empty database of its own and an
 * open LersStore on it. */

void lers_check_init (int *argc, char ***argv);
int lers_check_run_suite (Suite *suite);

void lers_check_cluster_setup (void);
void lers_check_cluster_teardown (void);
LersCluster *lers_check_get_cluster (void);

void lers_check_store_setup (void);
void lers_check_store_teardown (void);
LersStore *lers_check_get_store (void);
const gchar *lers_check_get_uri (void);

gint64 lers_check_seed_archive (void);
GPtrArray *lers_check_query_records (LersStore *store, gint64 point_id, LersArchiveKind kind,
                                     GDateTime *from, GDateTime *to, GCancellable *cancellable,
                                     GError **error);
GDateTime *lers_check_this_hour (void);
/* SQL on the test database from a connection of the test's own, for
 * checking rows outside the code under test; any failure fails the test.
 * lers_check_sql_exec() takes a statement that returns rows or none;
 * lers_check_sql_value() the first field of the first row (NULL for no row
 * or SQL NULL); lers_check_sql_int() the same as a number (-1 for NULL). */
PGconn *lers_check_sql_connect (void);
void lers_check_sql_exec_on (PGconn *conn, const gchar *sql);
void lers_check_sql_exec (const gchar *sql);
gchar *lers_check_sql_value (const gchar *sql);
gint64 lers_check_sql_int (const gchar *sql);

/* A measure point titled "ТУ отопление" in no node; its id. */
gint64 lers_check_make_point (void);

/* A simulated meter served on a loopback port (127.0.0.1:@port) by a
 * GSocketService of the thread-default main context: the device simulator
 * of @protocol in @engine, with @serial, @address and @seed. */
typedef struct
{
  LersDeviceSimulator *simulator;
  GSocketService *service;
  guint16 port;
} LersCheckSim;

void lers_check_sim_start (LersCheckSim *sim, LersEngine *engine, const gchar *protocol,
                           const gchar *serial, guint address, guint seed);
void lers_check_sim_stop (LersCheckSim *sim);

/* A checked fixture: lers_check_store_setup(), an engine and one simulated
 * M-Bus heat meter (serial 10000042, primary address 7, seed 42). */
void lers_check_sim_setup (void);
void lers_check_sim_teardown (void);
LersEngine *lers_check_get_engine (void);
guint16 lers_check_get_sim_port (void);
/* A node "ИТП 1" with a heat point "Отопление" read from the meter on
 * @port (0: the fixture's) at network @address, with the connection's @timeout in seconds;
 * the meter's device (serial 10000042) and connection are made with the
 * first point and shared by the next (devices are unique by model and
 * serial). The point's id. */
gint64 lers_check_add_sim_point (guint16 port, const gchar *address, guint timeout,
                                 guint poll_interval, guint poll_offset);

/* Reads @point_id's hour archive [@from, @to) with a new poller on the
 * store of the test, running the main loop until done; the records stored. */
gint lers_check_read_point (LersEngine *engine, gint64 point_id, GDateTime *from, GDateTime *to,
                            LersProgress *progress, GError **error);

/* What a test needs from outside the tree (conformance data, a program):
 * when it is missing the test program exits 77 (meson's "skipped") on a
 * developer's machine, and 1 (failed) under CI (`CI` set, not `false` or
 * `0`), so CI never counts a test that did not run. Call from main(),
 * before the suite runs. lers_check_require_program() returns the
 * program's full path. */
gboolean lers_check_in_ci (void);
void lers_check_require_path (const gchar *path);
gchar *lers_check_require_program (const gchar *name);
void lers_check_remove_tree (const gchar *path);

/* Runs this build's `lers --db=URI ARGS…` (no --db before
 * lers_check_store_setup()) to its end; its exit status, its standard
 * output and error in @out and @err. */
gint lers_check_run_lers (gchar **out, gchar **err, ...) G_GNUC_NULL_TERMINATED;

GSubprocess *lers_check_spawn (GError **error, const gchar *argv0, ...) G_GNUC_NULL_TERMINATED;

/* Fails the test with the error's message if @error is set. */
#define lers_check_assert_no_error(error)                                                          \
  ck_assert_msg ((error) == NULL, "unexpected error: %s", (error) != NULL ? (error)->message : "")

/* Fails the test unless @error is set with @error_domain and @error_code. */
#define lers_check_assert_error(error, error_domain, error_code)                                   \
  ck_assert_msg ((error) != NULL && (error)->domain == (error_domain)                              \
                     && (error)->code == (int) (error_code),                                       \
                 "expected error %s:%d, got %s", g_quark_to_string (error_domain),                 \
                 (int) (error_code), (error) != NULL ? (error)->message : "none")

G_END_DECLS
