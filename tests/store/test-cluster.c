/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "config.h"

#include <glib/gstdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "lers-check.h"

/* A persistent (not temporary) cluster in a fresh directory, so that it can
 * be stopped and started again with its data. As root the directory must be
 * reachable by the postgres user, which /tmp is. */
static gchar *
make_parent_dir (void)
{
  g_autoptr (GError) error = NULL;
  gchar *dir = g_dir_make_tmp ("lers-test-cluster-XXXXXX", &error);

  lers_check_assert_no_error (error);
  ck_assert_int_eq (g_chmod (dir, 0755), 0);
  return dir;
}

static void
remove_dir (const gchar *dir)
{
  g_autofree gchar *cmd = g_strdup_printf ("rm -rf '%s'", dir);
  ck_assert_int_eq (system (cmd), 0);
}

static GPtrArray *
make_hours (GDateTime *start, guint n)
{
  GPtrArray *records = g_ptr_array_new_with_free_func (g_object_unref);

  for (guint i = 0; i < n; i++)
    {
      g_autoptr (GDateTime) ts = g_date_time_add_hours (start, i);
      LersRecord *record = lers_record_new (ts, LERS_ARCHIVE_KIND_HOUR);

      lers_record_set_value (record, LERS_PARAMETER_Q_IN, i * 0.5, LERS_VALUE_FLAG_NONE);
      g_ptr_array_add (records, record);
    }
  return records;
}

START_TEST (test_cluster_temporary)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (LersCluster) cluster = lers_cluster_new_temporary ();
  g_autoptr (LersStore) store = NULL;
  g_autofree gchar *uri = NULL;
  g_autofree gchar *datadir = NULL;

  ck_assert (lers_cluster_get_temporary (cluster));
  ck_assert_ptr_null (lers_cluster_get_uri (cluster));
  ck_assert (lers_cluster_start (cluster, NULL, &error));
  lers_check_assert_no_error (error);
  ck_assert (lers_cluster_get_running (cluster));
  datadir = g_strdup (lers_cluster_get_datadir (cluster));
  ck_assert (g_file_test (datadir, G_FILE_TEST_IS_DIR));

  uri = lers_cluster_get_uri (cluster);
  ck_assert_ptr_nonnull (uri);
  ck_assert (g_str_has_prefix (uri, "postgresql:///lers?"));
  store = lers_store_new (uri);
  ck_assert (lers_store_open_sync (store, NULL, &error));
  lers_check_assert_no_error (error);
  g_clear_object (&store);

  /* starting twice is harmless */
  ck_assert (lers_cluster_start (cluster, NULL, &error));

  ck_assert (lers_cluster_stop (cluster, &error));
  lers_check_assert_no_error (error);
  ck_assert (!lers_cluster_get_running (cluster));
  ck_assert (!g_file_test (datadir, G_FILE_TEST_EXISTS));
}
END_TEST

START_TEST (test_cluster_reuse_and_restart)
{
  g_autoptr (GError) error = NULL;
  g_autofree gchar *parent = make_parent_dir ();
  g_autofree gchar *datadir = g_build_filename (parent, "pg", NULL);
  g_autoptr (LersCluster) first = lers_cluster_new (datadir);
  g_autoptr (LersCluster) second = lers_cluster_new (datadir);
  g_autoptr (LersStore) store = NULL;
  g_autoptr (LersMeasurePoint) point = lers_measure_point_new ();
  g_autoptr (GDateTime) start = g_date_time_new_utc (2026, 10, 30, 0, 0, 0);
  g_autoptr (GPtrArray) hours = make_hours (start, 100);
  g_autoptr (GPtrArray) more = NULL;
  g_autoptr (GPtrArray) got = NULL;
  g_autoptr (GDateTime) later = g_date_time_add_hours (start, 100);
  g_autoptr (LersNode) node = NULL;
  g_autofree gchar *uri = NULL;
  g_autofree gchar *uri2 = NULL;

  ck_assert_str_eq (lers_cluster_get_datadir (first), datadir);
  ck_assert (!lers_cluster_get_temporary (first));
  ck_assert (lers_cluster_start (first, NULL, &error));
  lers_check_assert_no_error (error);
  uri = lers_cluster_get_uri (first);

  /* a second object on the same directory reuses the running server */
  ck_assert (lers_cluster_start (second, NULL, &error));
  lers_check_assert_no_error (error);
  uri2 = lers_cluster_get_uri (second);
  ck_assert_str_eq (uri, uri2);
  /* and does not stop what it did not start */
  ck_assert (lers_cluster_stop (second, &error));
  lers_check_assert_no_error (error);

  store = lers_store_new (uri);
  ck_assert (lers_store_open_sync (store, NULL, &error));
  lers_check_assert_no_error (error);
  ck_assert (lers_store_save_measure_point_sync (store, point, NULL, &error));
  ck_assert (lers_store_write_records_sync (store, lers_measure_point_get_id (point), hours, NULL,
                                            &error));
  lers_check_assert_no_error (error);

  /* the database goes away mid-session: a clean error, no crash, no hang */
  ck_assert (lers_cluster_stop (first, &error));
  lers_check_assert_no_error (error);
  ck_assert (!lers_store_write_records_sync (store, lers_measure_point_get_id (point), hours, NULL,
                                             &error));
  ck_assert_msg (g_error_matches (error, LERS_ERROR, LERS_ERROR_CONNECTION)
                     || g_error_matches (error, LERS_ERROR, LERS_ERROR_DATABASE),
                 "%s", error->message);
  g_clear_error (&error);
  node = lers_store_get_node_sync (store, 1, NULL, &error);
  ck_assert_ptr_null (node);
  lers_check_assert_error (error, LERS_ERROR, LERS_ERROR_CONNECTION);
  g_clear_error (&error);

  /* it comes back: the next call works and the earlier rows are there */
  ck_assert (lers_cluster_start (first, NULL, &error));
  lers_check_assert_no_error (error);
  more = make_hours (later, 50);
  ck_assert (
      lers_store_write_records_sync (store, lers_measure_point_get_id (point), more, NULL, &error));
  lers_check_assert_no_error (error);
  got = lers_check_query_records (store, lers_measure_point_get_id (point), LERS_ARCHIVE_KIND_HOUR,
                                  NULL, NULL, NULL, &error);
  lers_check_assert_no_error (error);
  ck_assert_uint_eq (got->len, 150);

  g_clear_object (&store);
  ck_assert (lers_cluster_stop (first, &error));
  lers_check_assert_no_error (error);
  /* a persistent cluster keeps its directory */
  ck_assert (g_file_test (datadir, G_FILE_TEST_IS_DIR));
  remove_dir (parent);
}
END_TEST

START_TEST (test_cluster_bad_dir)
{
  g_autoptr (GError) error = NULL;
  g_autofree gchar *parent = make_parent_dir ();
  g_autofree gchar *junk = g_build_filename (parent, "junk.txt", NULL);
  g_autoptr (LersCluster) cluster = lers_cluster_new (parent);

  ck_assert (g_file_set_contents (junk, "not a cluster", -1, NULL));
  ck_assert (!lers_cluster_start (cluster, NULL, &error));
  lers_check_assert_error (error, LERS_ERROR, LERS_ERROR_INVALID_ARGUMENT);
  ck_assert (!lers_cluster_get_running (cluster));
  remove_dir (parent);
}
END_TEST

START_TEST (test_cluster_default_datadir)
{
  g_autofree gchar *dir = lers_cluster_get_default_datadir ();

  if (geteuid () == 0)
    ck_assert_str_eq (dir, "/var/lib/lers/postgresql");
  else
    ck_assert (g_str_has_suffix (dir, "/lers/postgresql"));
}
END_TEST

START_TEST (test_store_unreachable)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (LersStore) store
      = lers_store_new ("postgresql:///lers?host=/nonexistent/lers&user=lers&password=hunter2");

  ck_assert (!lers_store_open_sync (store, NULL, &error));
  lers_check_assert_error (error, LERS_ERROR, LERS_ERROR_CONNECTION);
  /* the password is never shown */
  ck_assert (strstr (error->message, "hunter2") == NULL);
}
END_TEST

START_TEST (test_store_malformed_uri)
{
  static const gchar *uris[] = {
    "postgresql://lers:hunt%zzer2@localhost/lers",
    "host=/tmp password=hunter 2x",
    "postgresql://lers:hunter2@localhost/lers?sslmode=hunter2",
  };

  for (gsize i = 0; i < G_N_ELEMENTS (uris); i++)
    {
      g_autoptr (GError) error = NULL;
      g_autoptr (LersStore) store = lers_store_new (uris[i]);

      ck_assert (!lers_store_open_sync (store, NULL, &error));
      ck_assert_ptr_nonnull (error);
      /* libpq would quote the string; no piece of the password may show */
      ck_assert_msg (strstr (error->message, "hunt") == NULL, "%s", error->message);
      ck_assert_msg (strstr (error->message, "2x") == NULL, "%s", error->message);
    }
}
END_TEST

static Suite *
cluster_suite (void)
{
  Suite *s = suite_create ("cluster");
  TCase *tc = tcase_create ("cluster");

  tcase_set_timeout (tc, 120);
  tcase_add_test (tc, test_cluster_temporary);
  tcase_add_test (tc, test_store_malformed_uri);
  tcase_add_test (tc, test_cluster_reuse_and_restart);
  tcase_add_test (tc, test_cluster_bad_dir);
  tcase_add_test (tc, test_cluster_default_datadir);
  tcase_add_test (tc, test_store_unreachable);
  suite_add_tcase (s, tc);
  return s;
}

int
main (int argc, char **argv)
{
  lers_check_init (&argc, &argv);
  return lers_check_run_suite (cluster_suite ());
}
