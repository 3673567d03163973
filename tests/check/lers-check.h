/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

#include <check.h>
#include <lers.h>

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
