/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The generic object API (save, get, list, delete keyed by GType), queries
 * with filters, ordering and keyset pages, transactions, a test-only entity
 * registered against a test-only table, and the store on bad days: locks
 * held too long, cancels, connections killed under it. Every expectation is
 * checked in the database with SQL from a connection of the test's own. */
#include "config.h"

#include <dlfcn.h>
#include <libpq-fe.h>
#include <string.h>

#include "lers-check.h"

/* ---- helpers ----------------------------------------------------------- */

static LersNode *
make_node (const gchar *title, const gchar *number)
{
  LersNode *node = lers_node_new ();
  lers_node_set_title (node, title);
  lers_node_set_number (node, number);
  return node;
}

/* The store's own backends in this test's database (lers names them "lers"). */
#define OUR_BACKENDS                                                                               \
  "FROM pg_stat_activity WHERE application_name = 'lers' AND datname = current_database()"

/* ---- generic CRUD ------------------------------------------------------ */

START_TEST (test_generic_crud_all_types)
{
  LersStore *store = lers_check_get_store ();
  g_autoptr (GError) error = NULL;
  g_autoptr (LersNode) node = make_node ("Котельная", "K-1");
  g_autoptr (LersConnection) connection = lers_connection_new ();
  g_autoptr (LersDevice) device = lers_device_new ();
  g_autoptr (LersMeasurePoint) point = lers_measure_point_new ();
  g_autoptr (GObject) got = NULL;
  g_autoptr (GPtrArray) all = NULL;
  g_autofree gchar *sql = NULL;
  g_autofree gchar *text = NULL;

  ck_assert (lers_store_save_sync (store, G_OBJECT (node), NULL, &error));
  lers_check_assert_no_error (error);
  ck_assert_int_gt (lers_node_get_id (node), 0);

  g_object_set (connection, "title", "ser2net", "host", "10.0.0.7", "port", 4001, NULL);
  ck_assert (lers_store_save_sync (store, G_OBJECT (connection), NULL, &error));
  g_object_set (device, "protocol", "mbus", "serial-number", "12345678", "connection-id",
                lers_connection_get_id (connection), NULL);
  ck_assert (lers_store_save_sync (store, G_OBJECT (device), NULL, &error));
  g_object_set (point, "title", "Отопление", "node-id", lers_node_get_id (node), "device-id",
                lers_device_get_id (device), "resource", LERS_RESOURCE_HOT_WATER, NULL);
  ck_assert (lers_store_save_sync (store, G_OBJECT (point), NULL, &error));
  lers_check_assert_no_error (error);

  /* the rows, read back by SQL */
  sql = g_strdup_printf ("SELECT title || '|' || number FROM nodes WHERE id = %" G_GINT64_FORMAT,
                         lers_node_get_id (node));
  text = lers_check_sql_value (sql);
  ck_assert_str_eq (text, "Котельная|K-1");
  g_free (sql);
  g_free (text);
  sql = g_strdup_printf ("SELECT host || ':' || port FROM connections WHERE id = %" G_GINT64_FORMAT,
                         lers_connection_get_id (connection));
  text = lers_check_sql_value (sql);
  ck_assert_str_eq (text, "10.0.0.7:4001");
  g_free (sql);
  /* LERS_RESOURCE_HOT_WATER is 1 (lers-enums.h) */
  sql = g_strdup_printf ("SELECT resource FROM measure_points WHERE id = %" G_GINT64_FORMAT
                         " AND node_id = %" G_GINT64_FORMAT " AND device_id = %" G_GINT64_FORMAT,
                         lers_measure_point_get_id (point), lers_node_get_id (node),
                         lers_device_get_id (device));
  ck_assert_int_eq (lers_check_sql_int (sql), 1);

  /* get, by GType */
  got = lers_store_get_sync (store, LERS_TYPE_DEVICE, lers_device_get_id (device), NULL, &error);
  lers_check_assert_no_error (error);
  ck_assert (LERS_IS_DEVICE (got));
  ck_assert_str_eq (lers_device_get_serial_number (LERS_DEVICE (got)), "12345678");
  ck_assert_int_eq (lers_device_get_connection_id (LERS_DEVICE (got)),
                    lers_connection_get_id (connection));
  g_clear_object (&got);
  got = lers_store_get_sync (store, LERS_TYPE_MEASURE_POINT, lers_measure_point_get_id (point),
                             NULL, &error);
  ck_assert_int_eq (lers_measure_point_get_resource (LERS_MEASURE_POINT (got)),
                    LERS_RESOURCE_HOT_WATER);
  g_clear_object (&got);

  /* update */
  lers_connection_set_port (connection, 4002);
  ck_assert (lers_store_save_sync (store, G_OBJECT (connection), NULL, &error));
  g_free (sql);
  sql = g_strdup_printf ("SELECT port FROM connections WHERE id = %" G_GINT64_FORMAT,
                         lers_connection_get_id (connection));
  ck_assert_int_eq (lers_check_sql_int (sql), 4002);
  ck_assert_int_eq (lers_check_sql_int ("SELECT count(*) FROM connections"), 1);

  /* list */
  all = lers_store_list_sync (store, LERS_TYPE_NODE, NULL, NULL, &error);
  lers_check_assert_no_error (error);
  ck_assert_uint_eq (all->len, 1);
  ck_assert (LERS_IS_NODE (g_ptr_array_index (all, 0)));
  g_clear_pointer (&all, g_ptr_array_unref);

  /* delete each; a second delete finds nothing */
  ck_assert (lers_store_delete_sync (store, LERS_TYPE_MEASURE_POINT,
                                     lers_measure_point_get_id (point), NULL, &error));
  ck_assert (
      lers_store_delete_sync (store, LERS_TYPE_DEVICE, lers_device_get_id (device), NULL, &error));
  ck_assert (lers_store_delete_sync (store, LERS_TYPE_CONNECTION,
                                     lers_connection_get_id (connection), NULL, &error));
  ck_assert (lers_store_delete_sync (store, LERS_TYPE_NODE, lers_node_get_id (node), NULL, &error));
  lers_check_assert_no_error (error);
  ck_assert (
      !lers_store_delete_sync (store, LERS_TYPE_NODE, lers_node_get_id (node), NULL, &error));
  lers_check_assert_error (error, LERS_ERROR, LERS_ERROR_NOT_FOUND);
  g_clear_error (&error);
  ck_assert_int_eq (
      lers_check_sql_int ("SELECT (SELECT count(*) FROM nodes) + (SELECT count(*) FROM devices)"
                          " + (SELECT count(*) FROM connections)"
                          " + (SELECT count(*) FROM measure_points)"),
      0);

  /* a type the store does not keep */
  ck_assert (lers_store_get_sync (store, LERS_TYPE_RECORD, 1, NULL, &error) == NULL);
  lers_check_assert_error (error, LERS_ERROR, LERS_ERROR_INVALID_ARGUMENT);
}
END_TEST

/* ---- queries ----------------------------------------------------------- */

/* 25 nodes numbered "001".."025" and 3 with no number, inserted in the
 * order 001, NULL, 002, …: ids interleave with the ordering. */
static void
seed_numbered (LersStore *store)
{
  g_autoptr (GError) error = NULL;

  for (guint i = 1; i <= 25; i++)
    {
      g_autofree gchar *number = g_strdup_printf ("%03u", i);
      g_autoptr (LersNode) node = make_node (i % 2 ? "Дом" : "Школа", number);
      ck_assert (lers_store_save_sync (store, G_OBJECT (node), NULL, &error));
      if (i <= 3)
        {
          g_autoptr (LersNode) blank = make_node ("Без номера", NULL);
          ck_assert (lers_store_save_sync (store, G_OBJECT (blank), NULL, &error));
        }
    }
  lers_check_assert_no_error (error);
}

/* Lists page after page; returns "number" (or "-") of every row in order,
 * with the page sizes. Fails on a row seen twice. */
static gchar *
read_pages (LersStoreQuery *query, GArray *sizes)
{
  LersStore *store = lers_check_get_store ();
  g_autoptr (GHashTable) seen = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, NULL);
  g_autoptr (GString) out = g_string_new (NULL);

  for (guint page = 0; page < 100; page++)
    {
      g_autoptr (GError) error = NULL;
      g_autoptr (GPtrArray) nodes
          = lers_store_list_sync (store, LERS_TYPE_NODE, query, NULL, &error);
      lers_check_assert_no_error (error);
      g_array_append_val (sizes, nodes->len);
      for (guint i = 0; i < nodes->len; i++)
        {
          LersNode *node = g_ptr_array_index (nodes, i);
          const gchar *number = lers_node_get_number (node);
          gint64 *id = g_new (gint64, 1);

          *id = lers_node_get_id (node);
          ck_assert_msg (!g_hash_table_contains (seen, id), "row %" G_GINT64_FORMAT " twice", *id);
          g_hash_table_add (seen, id);
          g_string_append_printf (out, "%s%s", out->len > 0 ? " " : "",
                                  number != NULL ? number : "-");
        }
      if (lers_store_query_get_cursor (query) == NULL)
        break;
    }
  return g_string_free (g_steal_pointer (&out), FALSE);
}

static gchar *
sizes_text (GArray *sizes)
{
  GString *s = g_string_new (NULL);
  for (guint i = 0; i < sizes->len; i++)
    g_string_append_printf (s, "%s%u", i > 0 ? "," : "", g_array_index (sizes, guint, i));
  return g_string_free (s, FALSE);
}

START_TEST (test_query_pages)
{
  LersStore *store = lers_check_get_store ();
  g_autoptr (LersStoreQuery) query = lers_store_query_new ();
  g_autoptr (GArray) sizes = g_array_new (FALSE, FALSE, sizeof (guint));
  g_autofree gchar *rows = NULL;
  g_autofree gchar *sz = NULL;
  g_autofree gchar *pg = NULL;

  seed_numbered (store);

  /* 25 numbered nodes (NE NULL: "has a number"), pages of 10 by number
   * descending: 10, 10, 5, then no cursor; worked out by hand */
  lers_store_query_add_filter_string (query, "number", LERS_STORE_OP_NE, NULL);
  lers_store_query_add_order (query, "number", TRUE);
  lers_store_query_set_limit (query, 10);
  rows = read_pages (query, sizes);
  sz = sizes_text (sizes);
  ck_assert_str_eq (sz, "10,10,5");
  ck_assert (lers_store_query_get_cursor (query) == NULL);
  ck_assert_str_eq (rows, "025 024 023 022 021 020 019 018 017 016 015 014 013 012 011 010 009 008"
                          " 007 006 005 004 003 002 001");
  g_clear_pointer (&rows, g_free);
  g_clear_pointer (&sz, g_free);
  g_array_set_size (sizes, 0);

  /* all 28: unset numbers come first when descending (PostgreSQL's
   * NULLS FIRST for DESC), in id order */
  g_clear_object (&query);
  query = lers_store_query_new ();
  lers_store_query_add_order (query, "number", TRUE);
  lers_store_query_set_limit (query, 10);
  rows = read_pages (query, sizes);
  sz = sizes_text (sizes);
  ck_assert_str_eq (sz, "10,10,8");
  ck_assert_str_eq (rows, "- - - 025 024 023 022 021 020 019 018 017 016 015 014 013 012 011 010"
                          " 009 008 007 006 005 004 003 002 001");
  g_clear_pointer (&rows, g_free);
  g_clear_pointer (&sz, g_free);
  g_array_set_size (sizes, 0);

  /* two keys, mixed directions, pages of 4: "Без номера" < "Дом" <
   * "Школа" (Б, Д, Ш in the alphabet and in UTF-8 byte order alike);
   * 28 rows are 7 full pages, so an 8th, empty page ends the walk */
  g_clear_object (&query);
  query = lers_store_query_new ();
  lers_store_query_add_order (query, "title", FALSE);
  lers_store_query_add_order (query, "number", TRUE);
  lers_store_query_set_limit (query, 4);
  rows = read_pages (query, sizes);
  sz = sizes_text (sizes);
  ck_assert_str_eq (sz, "4,4,4,4,4,4,4,0");
  ck_assert_str_eq (rows, "- - - 025 023 021 019 017 015 013 011 009 007 005 003 001"
                          " 024 022 020 018 016 014 012 010 008 006 004 002");
  /* and PostgreSQL agrees with the hand-worked order */
  pg = lers_check_sql_value (
      "SELECT string_agg(coalesce(number, '-'), ' ' ORDER BY title, number DESC, id)"
      " FROM nodes");
  ck_assert_str_eq (pg, rows);
}
END_TEST

START_TEST (test_query_filters)
{
  LersStore *store = lers_check_get_store ();
  g_autoptr (GError) error = NULL;
  g_autoptr (LersNode) a = make_node ("Котельная №1", "1");
  g_autoptr (LersNode) b = make_node ("Школа", "2");
  g_autoptr (LersStoreQuery) query = NULL;
  g_autoptr (GPtrArray) got = NULL;
  g_autoptr (LersDevice) device = lers_device_new ();
  g_auto (GValue) v = G_VALUE_INIT;
  struct
  {
    LersNode *node;
    LersResource resource;
    gboolean with_device;
  } points[] = {
    { a, LERS_RESOURCE_HEAT, TRUE },
    { a, LERS_RESOURCE_HOT_WATER, FALSE },
    { b, LERS_RESOURCE_HEAT, FALSE },
  };
  gint64 ids[G_N_ELEMENTS (points)];

  lers_node_set_latitude (a, 43.1);
  lers_node_set_latitude (b, 48.5);
  ck_assert (lers_store_save_sync (store, G_OBJECT (a), NULL, &error));
  ck_assert (lers_store_save_sync (store, G_OBJECT (b), NULL, &error));
  ck_assert (lers_store_save_sync (store, G_OBJECT (device), NULL, &error));
  for (guint i = 0; i < G_N_ELEMENTS (points); i++)
    {
      g_autoptr (LersMeasurePoint) p = lers_measure_point_new ();
      g_object_set (p, "node-id", lers_node_get_id (points[i].node), "resource", points[i].resource,
                    "device-id", points[i].with_device ? lers_device_get_id (device) : (gint64) 0,
                    NULL);
      ck_assert (lers_store_save_sync (store, G_OBJECT (p), NULL, &error));
      ids[i] = lers_measure_point_get_id (p);
    }
  lers_check_assert_no_error (error);

  /* the points of node a that are heat: only the first */
  query = lers_store_query_new ();
  lers_store_query_add_filter_int64 (query, "node-id", LERS_STORE_OP_EQ, lers_node_get_id (a));
  lers_store_query_add_filter_int64 (query, "resource", LERS_STORE_OP_EQ, LERS_RESOURCE_HEAT);
  got = lers_store_list_sync (store, LERS_TYPE_MEASURE_POINT, query, NULL, &error);
  lers_check_assert_no_error (error);
  ck_assert_uint_eq (got->len, 1);
  ck_assert_int_eq (lers_measure_point_get_id (g_ptr_array_index (got, 0)), ids[0]);
  g_clear_pointer (&got, g_ptr_array_unref);
  g_clear_object (&query);

  /* no device: device-id IS NULL, and "EQ 0" means the same for a reference */
  for (guint k = 0; k < 2; k++)
    {
      query = lers_store_query_new ();
      if (k == 0)
        lers_store_query_add_filter (query, "device-id", LERS_STORE_OP_IS_NULL, NULL);
      else
        lers_store_query_add_filter_int64 (query, "device-id", LERS_STORE_OP_EQ, 0);
      lers_store_query_add_order (query, "id", TRUE);
      got = lers_store_list_sync (store, LERS_TYPE_MEASURE_POINT, query, NULL, &error);
      lers_check_assert_no_error (error);
      ck_assert_uint_eq (got->len, 2);
      ck_assert_int_eq (lers_measure_point_get_id (g_ptr_array_index (got, 0)), ids[2]);
      ck_assert_int_eq (lers_measure_point_get_id (g_ptr_array_index (got, 1)), ids[1]);
      g_clear_pointer (&got, g_ptr_array_unref);
      g_clear_object (&query);
    }

  /* LIKE on text */
  query = lers_store_query_new ();
  lers_store_query_add_filter_string (query, "title", LERS_STORE_OP_LIKE, "Котельная%");
  got = lers_store_list_sync (store, LERS_TYPE_NODE, query, NULL, &error);
  lers_check_assert_no_error (error);
  ck_assert_uint_eq (got->len, 1);
  ck_assert_str_eq (lers_node_get_number (g_ptr_array_index (got, 0)), "1");
  g_clear_pointer (&got, g_ptr_array_unref);
  g_clear_object (&query);

  /* GT on a double, given as a GValue */
  g_value_init (&v, G_TYPE_DOUBLE);
  g_value_set_double (&v, 45.0);
  query = lers_store_query_new ();
  lers_store_query_add_filter (query, "latitude", LERS_STORE_OP_GT, &v);
  got = lers_store_list_sync (store, LERS_TYPE_NODE, query, NULL, &error);
  lers_check_assert_no_error (error);
  ck_assert_uint_eq (got->len, 1);
  ck_assert_str_eq (lers_node_get_title (g_ptr_array_index (got, 0)), "Школа");
  g_clear_pointer (&got, g_ptr_array_unref);
  g_clear_object (&query);

  /* unknown properties, in a filter or an order, are named in the error */
  query = lers_store_query_new ();
  lers_store_query_add_filter_string (query, "colour", LERS_STORE_OP_EQ, "red");
  ck_assert (lers_store_list_sync (store, LERS_TYPE_NODE, query, NULL, &error) == NULL);
  lers_check_assert_error (error, LERS_ERROR, LERS_ERROR_INVALID_ARGUMENT);
  ck_assert_msg (strstr (error->message, "colour") != NULL, "%s", error->message);
  g_clear_error (&error);
  g_clear_object (&query);
  query = lers_store_query_new ();
  lers_store_query_add_order (query, "height; DROP TABLE nodes", FALSE);
  ck_assert (lers_store_list_sync (store, LERS_TYPE_NODE, query, NULL, &error) == NULL);
  lers_check_assert_error (error, LERS_ERROR, LERS_ERROR_INVALID_ARGUMENT);
  ck_assert_msg (strstr (error->message, "height; DROP TABLE nodes") != NULL, "%s", error->message);
  g_clear_error (&error);
  g_clear_object (&query);

  /* LIKE on a number, a malformed cursor, a value of the wrong kind: clear
   * errors, and the value reaches the server as a parameter, not as SQL */
  query = lers_store_query_new ();
  lers_store_query_add_filter_string (query, "latitude", LERS_STORE_OP_LIKE, "4%");
  ck_assert (lers_store_list_sync (store, LERS_TYPE_NODE, query, NULL, &error) == NULL);
  lers_check_assert_error (error, LERS_ERROR, LERS_ERROR_INVALID_ARGUMENT);
  g_clear_error (&error);
  g_clear_object (&query);
  query = lers_store_query_new ();
  lers_store_query_set_cursor (query, "not a cursor");
  ck_assert (lers_store_list_sync (store, LERS_TYPE_NODE, query, NULL, &error) == NULL);
  lers_check_assert_error (error, LERS_ERROR, LERS_ERROR_INVALID_ARGUMENT);
  g_clear_error (&error);
  g_clear_object (&query);
  query = lers_store_query_new ();
  lers_store_query_add_filter_string (query, "latitude", LERS_STORE_OP_EQ, "1; DROP TABLE nodes");
  ck_assert (lers_store_list_sync (store, LERS_TYPE_NODE, query, NULL, &error) == NULL);
  lers_check_assert_error (error, LERS_ERROR, LERS_ERROR_INVALID_ARGUMENT);
  ck_assert_int_eq (lers_check_sql_int ("SELECT count(*) FROM nodes"), 2);
}
END_TEST

/* ---- transactions ------------------------------------------------------ */

START_TEST (test_transaction_commit)
{
  LersStore *store = lers_check_get_store ();
  g_autoptr (GError) error = NULL;
  g_autoptr (LersTransaction) tx = lers_store_begin_sync (store, NULL, &error);
  g_autoptr (LersNode) node = make_node ("Котельная", "1");
  g_autoptr (LersDevice) device = lers_device_new ();
  g_autoptr (LersMeasurePoint) point = lers_measure_point_new ();
  g_autoptr (GPtrArray) seen = NULL;
  g_autofree gchar *titles = NULL;

  lers_check_assert_no_error (error);
  ck_assert (lers_transaction_save_sync (tx, G_OBJECT (node), NULL, &error));
  ck_assert (lers_transaction_save_sync (tx, G_OBJECT (device), NULL, &error));
  g_object_set (point, "title", "Отопление", "node-id", lers_node_get_id (node), "device-id",
                lers_device_get_id (device), NULL);
  ck_assert (lers_transaction_save_sync (tx, G_OBJECT (point), NULL, &error));
  lers_check_assert_no_error (error);

  /* the transaction sees its writes; nobody else does yet */
  seen = lers_transaction_list_sync (tx, LERS_TYPE_MEASURE_POINT, NULL, NULL, &error);
  lers_check_assert_no_error (error);
  ck_assert_uint_eq (seen->len, 1);
  ck_assert_int_eq (lers_check_sql_int ("SELECT count(*) FROM nodes"), 0);
  ck_assert_int_eq (lers_check_sql_int ("SELECT count(*) FROM measure_points"), 0);
  ck_assert_int_eq (
      lers_check_sql_int ("SELECT count(*) " OUR_BACKENDS " AND state = 'idle in transaction'"), 1);

  ck_assert (lers_transaction_commit_sync (tx, NULL, &error));
  lers_check_assert_no_error (error);
  titles = lers_check_sql_value ("SELECT n.title || '/' || p.title || '/' || (p.device_id = d.id)"
                                 " FROM measure_points p JOIN nodes n ON n.id = p.node_id"
                                 " JOIN devices d ON d.id = p.device_id");
  ck_assert_str_eq (titles, "Котельная/Отопление/true");
  ck_assert_int_eq (lers_check_sql_int ("SELECT count(*) FROM nodes"), 1);
  ck_assert_int_eq (lers_check_sql_int ("SELECT count(*) FROM devices"), 1);

  /* used after commit: a clear error */
  ck_assert (!lers_transaction_save_sync (tx, G_OBJECT (node), NULL, &error));
  lers_check_assert_error (error, LERS_ERROR, LERS_ERROR_INVALID_ARGUMENT);
  g_clear_error (&error);
  ck_assert (!lers_transaction_commit_sync (tx, NULL, &error));
  lers_check_assert_error (error, LERS_ERROR, LERS_ERROR_INVALID_ARGUMENT);
  g_clear_error (&error);
  lers_transaction_rollback (tx); /* a no-op now */
  ck_assert_int_eq (lers_check_sql_int ("SELECT count(*) FROM nodes"), 1);
}
END_TEST

START_TEST (test_transaction_rollback)
{
  LersStore *store = lers_check_get_store ();
  g_autoptr (GError) error = NULL;
  g_autoptr (LersTransaction) tx = lers_store_begin_sync (store, NULL, &error);
  g_autoptr (LersNode) kept = make_node ("Остаётся", "0");
  g_autoptr (GPtrArray) all = NULL;

  ck_assert (lers_store_save_sync (store, G_OBJECT (kept), NULL, &error));
  for (guint i = 0; i < 3; i++)
    {
      /* numbers differ: nodes are unique by number (migration 0002) */
      g_autofree gchar *number = g_strdup_printf ("1-%u", i);
      g_autoptr (LersNode) node = make_node ("Откат", number);
      ck_assert (lers_transaction_save_sync (tx, G_OBJECT (node), NULL, &error));
    }
  /* a delete inside is undone too */
  ck_assert (
      lers_transaction_delete_sync (tx, LERS_TYPE_NODE, lers_node_get_id (kept), NULL, &error));
  lers_check_assert_no_error (error);
  lers_transaction_rollback (tx);
  ck_assert_int_eq (lers_check_sql_int ("SELECT count(*) FROM nodes WHERE title = 'Откат'"), 0);
  ck_assert_int_eq (lers_check_sql_int ("SELECT count(*) FROM nodes WHERE title = 'Остаётся'"), 1);
  ck_assert (!lers_transaction_save_sync (tx, G_OBJECT (kept), NULL, &error));
  lers_check_assert_error (error, LERS_ERROR, LERS_ERROR_INVALID_ARGUMENT);
  g_clear_error (&error);
  g_clear_object (&tx);

  /* dropped uncommitted: rolled back, and the connection is usable again */
  tx = lers_store_begin_sync (store, NULL, &error);
  {
    g_autoptr (LersNode) node = make_node ("Брошен", "2");
    ck_assert (lers_transaction_save_sync (tx, G_OBJECT (node), NULL, &error));
  }
  g_clear_object (&tx);
  ck_assert_int_eq (lers_check_sql_int ("SELECT count(*) FROM nodes WHERE title = 'Брошен'"), 0);
  ck_assert_int_eq (lers_check_sql_int ("SELECT count(*) " OUR_BACKENDS " AND state <> 'idle'"), 0);
  all = lers_store_list_sync (store, LERS_TYPE_NODE, NULL, NULL, &error);
  lers_check_assert_no_error (error);
  ck_assert_uint_eq (all->len, 1);
}
END_TEST

START_TEST (test_transaction_failed_step)
{
  LersStore *store = lers_check_get_store ();
  g_autoptr (GError) error = NULL;
  g_autoptr (LersTransaction) tx = lers_store_begin_sync (store, NULL, &error);
  g_autoptr (LersNode) node = make_node ("Котельная", "1");
  g_autoptr (LersMeasurePoint) orphan = lers_measure_point_new ();
  g_autoptr (LersNode) later = make_node ("Потом", "2");
  g_autoptr (GObject) none = NULL;

  ck_assert (lers_transaction_save_sync (tx, G_OBJECT (node), NULL, &error));
  /* NOT_FOUND is not a failed statement: the transaction goes on */
  none = lers_transaction_get_sync (tx, LERS_TYPE_NODE, 424242, NULL, &error);
  ck_assert (none == NULL);
  lers_check_assert_error (error, LERS_ERROR, LERS_ERROR_NOT_FOUND);
  g_clear_error (&error);
  /* a point of a node that does not exist: foreign key violation */
  lers_measure_point_set_node_id (orphan, 987654);
  ck_assert (!lers_transaction_save_sync (tx, G_OBJECT (orphan), NULL, &error));
  lers_check_assert_error (error, LERS_ERROR, LERS_ERROR_INVALID_ARGUMENT);
  g_clear_error (&error);
  /* failed: every later call says so, commit included */
  ck_assert (!lers_transaction_save_sync (tx, G_OBJECT (later), NULL, &error));
  lers_check_assert_error (error, LERS_ERROR, LERS_ERROR_FAILED);
  g_clear_error (&error);
  ck_assert (!lers_transaction_commit_sync (tx, NULL, &error));
  lers_check_assert_error (error, LERS_ERROR, LERS_ERROR_FAILED);
  g_clear_error (&error);
  lers_transaction_rollback (tx);
  ck_assert_int_eq (lers_check_sql_int ("SELECT count(*) FROM nodes"), 0);
  ck_assert_int_eq (lers_check_sql_int ("SELECT count(*) FROM measure_points"), 0);
}
END_TEST

START_TEST (test_transaction_records)
{
  LersStore *store = lers_check_get_store ();
  g_autoptr (GError) error = NULL;
  g_autoptr (LersMeasurePoint) point = lers_measure_point_new ();
  g_autoptr (GDateTime) start = g_date_time_new_utc (2026, 10, 31, 20, 0, 0);
  g_autoptr (GPtrArray) small = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr (GPtrArray) large = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr (GPtrArray) fix = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr (LersTransaction) tx = NULL;
  gint64 point_id;

  ck_assert (lers_store_save_sync (store, G_OBJECT (point), NULL, &error));
  point_id = lers_measure_point_get_id (point);
  /* 10 hours (one INSERT) across a month end, then 100 hours (COPY), then a
   * correction of the same 100 hours (COPY through the staging table) */
  for (guint i = 0; i < 100; i++)
    {
      g_autoptr (GDateTime) ts = g_date_time_add_hours (start, i);
      LersRecord *r = lers_record_new (ts, LERS_ARCHIVE_KIND_HOUR);
      LersRecord *c = lers_record_new (ts, LERS_ARCHIVE_KIND_HOUR);
      lers_record_set_value (r, LERS_PARAMETER_T_IN, 60.0 + i, LERS_VALUE_FLAG_NONE);
      lers_record_set_value (c, LERS_PARAMETER_T_IN, 0.5, LERS_VALUE_FLAG_NONE);
      g_ptr_array_add (large, r);
      g_ptr_array_add (fix, c);
      if (i < 10)
        g_ptr_array_add (small, g_object_ref (r));
    }

  /* rolled back: nothing */
  tx = lers_store_begin_sync (store, NULL, &error);
  ck_assert (lers_transaction_write_records_sync (tx, point_id, large, NULL, &error));
  lers_check_assert_no_error (error);
  lers_transaction_rollback (tx);
  g_clear_object (&tx);
  ck_assert_int_eq (lers_check_sql_int ("SELECT count(*) FROM archive"), 0);

  /* all three in one transaction: invisible until the commit, and the
   * archive stays readable meanwhile (the partitions a transaction needs are
   * made outside it: DDL inside would lock the archive until the commit) */
  tx = lers_store_begin_sync (store, NULL, &error);
  lers_transaction_write_records_sync (tx, point_id, small, NULL, &error);
  lers_check_assert_no_error (error);
  lers_transaction_write_records_sync (tx, point_id, large, NULL, &error);
  lers_check_assert_no_error (error);
  lers_transaction_write_records_sync (tx, point_id, fix, NULL, &error);
  lers_check_assert_no_error (error);
  /* a lock timeout: fails rather than hangs if this regresses */
  ck_assert_int_eq (lers_check_sql_int ("SET lock_timeout = '2s'; SELECT count(*) FROM archive"),
                    0);
  ck_assert (lers_transaction_commit_sync (tx, NULL, &error));
  lers_check_assert_no_error (error);
  /* 100 rows, all corrected to 0.5 (the last write wins) */
  ck_assert_int_eq (lers_check_sql_int ("SELECT count(*) FROM archive"), 100);
  ck_assert_int_eq (lers_check_sql_int ("SELECT count(*) FROM archive_values WHERE value = 0.5"),
                    100);

  /* bad records (a point id out of range) fail the transaction: nothing of
   * it is stored */
  g_clear_object (&tx);
  tx = lers_store_begin_sync (store, NULL, &error);
  ck_assert (lers_transaction_write_records_sync (tx, point_id, small, NULL, &error));
  ck_assert (!lers_transaction_write_records_sync (tx, 0, fix, NULL, &error));
  lers_check_assert_error (error, LERS_ERROR, LERS_ERROR_INVALID_ARGUMENT);
  g_clear_error (&error);
  ck_assert (!lers_transaction_commit_sync (tx, NULL, &error));
  lers_check_assert_error (error, LERS_ERROR, LERS_ERROR_FAILED);
  g_clear_error (&error);
  g_clear_object (&tx);
  ck_assert_int_eq (lers_check_sql_int ("SELECT count(*) FROM archive_values WHERE value = 0.5"),
                    100);

  /* and the store's own writes work after it (staging table, partitions) */
  ck_assert (lers_store_write_records_sync (store, point_id, large, NULL, &error));
  lers_check_assert_no_error (error);
  ck_assert_int_eq (lers_check_sql_int ("SELECT count(*) FROM archive_values WHERE value = 0.5"),
                    0);
}
END_TEST

/* Hours of @month (2024) from its first, one value each. */
static GPtrArray *
month_records (gint month, guint n_hours, gdouble value)
{
  GPtrArray *records = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr (GDateTime) start = g_date_time_new_utc (2024, month, 1, 0, 0, 0);

  for (guint i = 0; i < n_hours; i++)
    {
      g_autoptr (GDateTime) ts = g_date_time_add_hours (start, i);
      LersRecord *r = lers_record_new (ts, LERS_ARCHIVE_KIND_HOUR);
      lers_record_set_value (r, LERS_PARAMETER_T_IN, value, LERS_VALUE_FLAG_NONE);
      g_ptr_array_add (records, r);
    }
  return records;
}

/* A month with no partition yet, written after the transaction already
 * wrote the archive: the partition is made on another connection while the
 * transaction holds ROW EXCLUSIVE on archive. CREATE TABLE … PARTITION OF
 * would wait for the transaction's own lock (10 s, then BUSY); ATTACH
 * PARTITION takes SHARE UPDATE EXCLUSIVE on archive, which does not
 * conflict with it. */
START_TEST (test_transaction_new_month_after_write)
{
  LersStore *store = lers_check_get_store ();
  g_autoptr (GError) error = NULL;
  g_autoptr (LersMeasurePoint) point = lers_measure_point_new ();
  g_autoptr (GPtrArray) jan = month_records (1, 5, 1.5);
  g_autoptr (GPtrArray) feb = month_records (2, 7, 2.5);
  g_autoptr (LersTransaction) tx = NULL;
  g_autofree gchar *sql = NULL;
  gint64 t0, elapsed;

  ck_assert (lers_store_save_sync (store, G_OBJECT (point), NULL, &error));
  ck_assert_int_eq (
      lers_check_sql_int ("SELECT count(*) FROM pg_class WHERE relname = 'archive_2024m02'"), 0);
  tx = lers_store_begin_sync (store, NULL, &error);
  lers_check_assert_no_error (error);
  ck_assert (lers_transaction_write_records_sync (tx, lers_measure_point_get_id (point), jan, NULL,
                                                  &error));
  lers_check_assert_no_error (error);
  t0 = g_get_monotonic_time ();
  ck_assert (lers_transaction_write_records_sync (tx, lers_measure_point_get_id (point), feb, NULL,
                                                  &error));
  elapsed = g_get_monotonic_time () - t0;
  lers_check_assert_no_error (error);
  ck_assert_msg (elapsed < 3000000, "waited %" G_GINT64_FORMAT " us", elapsed);
  ck_assert (lers_transaction_commit_sync (tx, NULL, &error));
  lers_check_assert_no_error (error);

  /* 5 January hours of 1.5 and 7 February hours of 2.5, each in its month's
   * partition */
  sql = g_strdup_printf ("SELECT string_agg(p || ':' || n || ':' || s, ',' ORDER BY p)"
                         " FROM (SELECT a.tableoid::regclass::text AS p, count(*) AS n,"
                         " sum(v.value) AS s FROM archive a"
                         " CROSS JOIN LATERAL lers_archive_unpack(a.data) v"
                         " WHERE a.point_id = %" G_GINT64_FORMAT " GROUP BY 1) x",
                         lers_measure_point_get_id (point));
  {
    g_autofree gchar *got = lers_check_sql_value (sql);
    ck_assert_str_eq (got, "archive_2024m01:5:7.5,archive_2024m02:7:17.5");
  }
}
END_TEST

/* COMMIT fails on a live connection (a deferred constraint refuses at the
 * end): the server dropped what the transaction made, the session's
 * staging table among them, and the connection goes back to the pool. The
 * next writes on it must not believe the table is there: the second write of
 * the same 100 hours goes through the staging table. */
START_TEST (test_transaction_commit_fails)
{
  LersStore *store = lers_check_get_store ();
  g_autoptr (GError) error = NULL;
  g_autoptr (LersMeasurePoint) point = lers_measure_point_new ();
  g_autoptr (LersNode) bad = make_node ("Провал", "1");
  g_autoptr (GPtrArray) hours = month_records (3, 100, 3.5);
  g_autoptr (GPtrArray) again = month_records (3, 100, 4.5);
  g_autoptr (LersTransaction) tx = NULL;
  g_autofree gchar *sql = NULL;
  gint64 point_id;

  ck_assert (lers_store_save_sync (store, G_OBJECT (point), NULL, &error));
  point_id = lers_measure_point_get_id (point);
  lers_check_sql_exec ("CREATE FUNCTION fail_at_commit() RETURNS trigger LANGUAGE plpgsql AS"
                       " $$ BEGIN RAISE EXCEPTION 'refused at commit'; END $$;"
                       " CREATE CONSTRAINT TRIGGER nodes_fail AFTER INSERT ON nodes"
                       " DEFERRABLE INITIALLY DEFERRED FOR EACH ROW"
                       " WHEN (NEW.title = 'Провал') EXECUTE FUNCTION fail_at_commit()");

  tx = lers_store_begin_sync (store, NULL, &error);
  lers_check_assert_no_error (error);
  ck_assert (lers_transaction_write_records_sync (tx, point_id, hours, NULL, &error));
  lers_check_assert_no_error (error);
  ck_assert (lers_transaction_save_sync (tx, G_OBJECT (bad), NULL, &error));
  lers_check_assert_no_error (error);
  ck_assert (!lers_transaction_commit_sync (tx, NULL, &error));
  lers_check_assert_error (error, LERS_ERROR, LERS_ERROR_DATABASE);
  g_clear_error (&error);
  ck_assert_int_eq (lers_check_sql_int ("SELECT count(*) FROM archive"), 0);
  ck_assert_int_eq (lers_check_sql_int ("SELECT count(*) FROM nodes"), 0);

  /* on the same (most recently released) connection: COPY straight in, then
   * the same hours again through the staging table */
  ck_assert (lers_store_write_records_sync (store, point_id, hours, NULL, &error));
  lers_check_assert_no_error (error);
  lers_store_write_records_sync (store, point_id, again, NULL, &error);
  lers_check_assert_no_error (error);
  /* 100 hours, each 4.5 */
  sql = g_strdup_printf ("SELECT count(*) FROM archive_values WHERE point_id = %" G_GINT64_FORMAT
                         " AND value = 4.5",
                         point_id);
  ck_assert_int_eq (lers_check_sql_int (sql), 100);
}
END_TEST

/* ---- a test-only entity ------------------------------------------------- */

/* What a new entity costs: a GObject type, a table (its migration), and one
 * lers_store_register_type() call (or a row in lers-store-models.c). */
#define TEST_TYPE_METER (test_meter_get_type ())
G_DECLARE_FINAL_TYPE (TestMeter, test_meter, TEST, METER, GObject)

struct _TestMeter
{
  GObject parent_instance;
  gint64 id;
  gchar *title;
  gdouble reading;
  gboolean active;
  gint floor;
  gint64 node_id;
  GDateTime *installed;
};

G_DEFINE_FINAL_TYPE (TestMeter, test_meter, G_TYPE_OBJECT)

enum
{
  METER_PROP_0,
  METER_PROP_ID,
  METER_PROP_TITLE,
  METER_PROP_READING,
  METER_PROP_ACTIVE,
  METER_PROP_FLOOR,
  METER_PROP_NODE_ID,
  METER_PROP_INSTALLED,
};

static void
test_meter_get_property (GObject *object, guint id, GValue *value, GParamSpec *pspec)
{
  TestMeter *self = TEST_METER (object);
  switch (id)
    {
    case METER_PROP_ID:
      g_value_set_int64 (value, self->id);
      break;
    case METER_PROP_TITLE:
      g_value_set_string (value, self->title);
      break;
    case METER_PROP_READING:
      g_value_set_double (value, self->reading);
      break;
    case METER_PROP_ACTIVE:
      g_value_set_boolean (value, self->active);
      break;
    case METER_PROP_FLOOR:
      g_value_set_int (value, self->floor);
      break;
    case METER_PROP_NODE_ID:
      g_value_set_int64 (value, self->node_id);
      break;
    case METER_PROP_INSTALLED:
      g_value_set_boxed (value, self->installed);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, id, pspec);
    }
}

static void
test_meter_set_property (GObject *object, guint id, const GValue *value, GParamSpec *pspec)
{
  TestMeter *self = TEST_METER (object);
  switch (id)
    {
    case METER_PROP_ID:
      self->id = g_value_get_int64 (value);
      break;
    case METER_PROP_TITLE:
      g_free (self->title);
      self->title = g_value_dup_string (value);
      break;
    case METER_PROP_READING:
      self->reading = g_value_get_double (value);
      break;
    case METER_PROP_ACTIVE:
      self->active = g_value_get_boolean (value);
      break;
    case METER_PROP_FLOOR:
      self->floor = g_value_get_int (value);
      break;
    case METER_PROP_NODE_ID:
      self->node_id = g_value_get_int64 (value);
      break;
    case METER_PROP_INSTALLED:
      g_clear_pointer (&self->installed, g_date_time_unref);
      self->installed = g_value_dup_boxed (value);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, id, pspec);
    }
}

static void
test_meter_finalize (GObject *object)
{
  TestMeter *self = TEST_METER (object);
  g_free (self->title);
  g_clear_pointer (&self->installed, g_date_time_unref);
  G_OBJECT_CLASS (test_meter_parent_class)->finalize (object);
}

static void
test_meter_class_init (TestMeterClass *klass)
{
  GObjectClass *oc = G_OBJECT_CLASS (klass);
  GParamFlags rw = G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS;

  oc->get_property = test_meter_get_property;
  oc->set_property = test_meter_set_property;
  oc->finalize = test_meter_finalize;
  g_object_class_install_property (oc, METER_PROP_ID,
                                   g_param_spec_int64 ("id", NULL, NULL, 0, G_MAXINT64, 0, rw));
  g_object_class_install_property (oc, METER_PROP_TITLE,
                                   g_param_spec_string ("title", NULL, NULL, NULL, rw));
  g_object_class_install_property (
      oc, METER_PROP_READING,
      g_param_spec_double ("reading", NULL, NULL, -G_MAXDOUBLE, G_MAXDOUBLE, 0, rw));
  g_object_class_install_property (oc, METER_PROP_ACTIVE,
                                   g_param_spec_boolean ("active", NULL, NULL, FALSE, rw));
  g_object_class_install_property (
      oc, METER_PROP_FLOOR, g_param_spec_int ("floor", NULL, NULL, G_MININT, G_MAXINT, 0, rw));
  g_object_class_install_property (
      oc, METER_PROP_NODE_ID, g_param_spec_int64 ("node-id", NULL, NULL, 0, G_MAXINT64, 0, rw));
  g_object_class_install_property (
      oc, METER_PROP_INSTALLED, g_param_spec_boxed ("installed", NULL, NULL, G_TYPE_DATE_TIME, rw));
}

static void
test_meter_init (TestMeter *self)
{
}

START_TEST (test_registered_type)
{
  LersStore *store = lers_check_get_store ();
  g_autoptr (GError) error = NULL;
  g_autoptr (TestMeter) m = g_object_new (TEST_TYPE_METER, NULL);
  g_autoptr (LersNode) node = make_node ("Дом", "7");
  g_autoptr (GDateTime) installed = g_date_time_new_utc (2025, 3, 14, 9, 26, 53);
  g_autoptr (GObject) got = NULL;
  g_autoptr (LersStoreQuery) query = lers_store_query_new ();
  g_autoptr (GPtrArray) list = NULL;
  g_autofree gchar *row = NULL;

  /* the migration a real entity would ship */
  lers_check_sql_exec (
      "CREATE TABLE test_meters (id bigint GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,"
      " title text, reading double precision NOT NULL DEFAULT 0,"
      " active boolean NOT NULL DEFAULT false, floor integer NOT NULL DEFAULT 0,"
      " node_id bigint REFERENCES nodes (id), installed timestamptz)");
  ck_assert (lers_store_register_type (TEST_TYPE_METER, "test_meters", &error));
  lers_check_assert_no_error (error);
  /* again with the same table: fine; with another: refused */
  ck_assert (lers_store_register_type (TEST_TYPE_METER, "test_meters", &error));
  ck_assert (!lers_store_register_type (TEST_TYPE_METER, "other_meters", &error));
  lers_check_assert_error (error, LERS_ERROR, LERS_ERROR_INVALID_ARGUMENT);
  g_clear_error (&error);

  ck_assert (lers_store_save_sync (store, G_OBJECT (node), NULL, &error));
  g_object_set (m, "title", "Квартира 12", "reading", 1234.5, "active", TRUE, "floor", -1,
                "node-id", lers_node_get_id (node), "installed", installed, NULL);
  ck_assert (lers_store_save_sync (store, G_OBJECT (m), NULL, &error));
  lers_check_assert_no_error (error);
  ck_assert_int_gt (m->id, 0);
  row = lers_check_sql_value (
      "SELECT title || '|' || reading || '|' || active || '|' || floor || '|'"
      " || (node_id IS NOT NULL) || '|' || to_char(installed AT TIME ZONE 'UTC',"
      " 'YYYY-MM-DD HH24:MI:SS') FROM test_meters");
  ck_assert_str_eq (row, "Квартира 12|1234.5|true|-1|true|2025-03-14 09:26:53");

  got = lers_store_get_sync (store, TEST_TYPE_METER, m->id, NULL, &error);
  lers_check_assert_no_error (error);
  ck_assert_str_eq (TEST_METER (got)->title, "Квартира 12");
  ck_assert (TEST_METER (got)->reading == 1234.5);
  ck_assert (TEST_METER (got)->active);
  ck_assert_int_eq (TEST_METER (got)->floor, -1);
  ck_assert_int_eq (TEST_METER (got)->node_id, lers_node_get_id (node));
  ck_assert (g_date_time_equal (TEST_METER (got)->installed, installed));

  lers_store_query_add_filter_int64 (query, "floor", LERS_STORE_OP_LT, 0);
  lers_store_query_add_filter (query, "installed", LERS_STORE_OP_IS_NULL, NULL);
  list = lers_store_list_sync (store, TEST_TYPE_METER, query, NULL, &error);
  lers_check_assert_no_error (error);
  ck_assert_uint_eq (list->len, 0);
  g_clear_pointer (&list, g_ptr_array_unref);
  g_clear_object (&query);
  query = lers_store_query_new ();
  lers_store_query_add_filter_int64 (query, "floor", LERS_STORE_OP_LT, 0);
  list = lers_store_list_sync (store, TEST_TYPE_METER, query, NULL, &error);
  lers_check_assert_no_error (error);
  ck_assert_uint_eq (list->len, 1);
  ck_assert (lers_store_delete_sync (store, TEST_TYPE_METER, m->id, NULL, &error));
  ck_assert_int_eq (lers_check_sql_int ("SELECT count(*) FROM test_meters"), 0);
}
END_TEST

/* A type whose table and properties are SQL reserved words: "user",
 * "order", "end". The store quotes every name it puts into SQL. */
#define TEST_TYPE_KEYWORD (test_keyword_get_type ())
G_DECLARE_FINAL_TYPE (TestKeyword, test_keyword, TEST, KEYWORD, GObject)

struct _TestKeyword
{
  GObject parent_instance;
  gint64 id;
  gint order;
  gchar *end;
};

G_DEFINE_FINAL_TYPE (TestKeyword, test_keyword, G_TYPE_OBJECT)

enum
{
  KEYWORD_PROP_0,
  KEYWORD_PROP_ID,
  KEYWORD_PROP_ORDER,
  KEYWORD_PROP_END,
};

static void
test_keyword_get_property (GObject *object, guint id, GValue *value, GParamSpec *pspec)
{
  TestKeyword *self = TEST_KEYWORD (object);
  switch (id)
    {
    case KEYWORD_PROP_ID:
      g_value_set_int64 (value, self->id);
      break;
    case KEYWORD_PROP_ORDER:
      g_value_set_int (value, self->order);
      break;
    case KEYWORD_PROP_END:
      g_value_set_string (value, self->end);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, id, pspec);
    }
}

static void
test_keyword_set_property (GObject *object, guint id, const GValue *value, GParamSpec *pspec)
{
  TestKeyword *self = TEST_KEYWORD (object);
  switch (id)
    {
    case KEYWORD_PROP_ID:
      self->id = g_value_get_int64 (value);
      break;
    case KEYWORD_PROP_ORDER:
      self->order = g_value_get_int (value);
      break;
    case KEYWORD_PROP_END:
      g_free (self->end);
      self->end = g_value_dup_string (value);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, id, pspec);
    }
}

static void
test_keyword_finalize (GObject *object)
{
  g_free (TEST_KEYWORD (object)->end);
  G_OBJECT_CLASS (test_keyword_parent_class)->finalize (object);
}

static void
test_keyword_class_init (TestKeywordClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->get_property = test_keyword_get_property;
  object_class->set_property = test_keyword_set_property;
  object_class->finalize = test_keyword_finalize;
  g_object_class_install_property (
      object_class, KEYWORD_PROP_ID,
      g_param_spec_int64 ("id", NULL, NULL, 0, G_MAXINT64, 0, G_PARAM_READWRITE));
  g_object_class_install_property (
      object_class, KEYWORD_PROP_ORDER,
      g_param_spec_int ("order", NULL, NULL, G_MININT, G_MAXINT, 0, G_PARAM_READWRITE));
  g_object_class_install_property (
      object_class, KEYWORD_PROP_END,
      g_param_spec_string ("end", NULL, NULL, NULL, G_PARAM_READWRITE));
}

static void
test_keyword_init (TestKeyword *self)
{
}

START_TEST (test_reserved_word_names)
{
  LersStore *store = lers_check_get_store ();
  g_autoptr (GError) error = NULL;
  g_autoptr (LersStoreQuery) query = lers_store_query_new ();
  g_autoptr (GPtrArray) list = NULL;
  g_autoptr (GObject) got = NULL;
  gint64 ids[3];

  lers_check_sql_exec (
      "CREATE TABLE \"user\" (id bigint GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,"
      " \"order\" integer NOT NULL DEFAULT 0, \"end\" text)");
  ck_assert (lers_store_register_type (TEST_TYPE_KEYWORD, "user", &error));
  lers_check_assert_no_error (error);

  for (guint i = 0; i < 3; i++)
    {
      g_autoptr (TestKeyword) k = g_object_new (TEST_TYPE_KEYWORD, NULL);
      g_autofree gchar *end = g_strdup_printf ("конец %u", i);
      g_object_set (k, "order", (gint[]){ 30, 10, 20 }[i], "end", end, NULL);
      ck_assert (lers_store_save_sync (store, G_OBJECT (k), NULL, &error));
      lers_check_assert_no_error (error);
      ids[i] = k->id;
      ck_assert_int_gt (ids[i], 0);
    }
  ck_assert_int_eq (lers_check_sql_int ("SELECT sum(\"order\") FROM \"user\""), 60);

  /* an update */
  got = lers_store_get_sync (store, TEST_TYPE_KEYWORD, ids[1], NULL, &error);
  lers_check_assert_no_error (error);
  ck_assert_int_eq (TEST_KEYWORD (got)->order, 10);
  ck_assert_str_eq (TEST_KEYWORD (got)->end, "конец 1");
  g_object_set (got, "end", "другой", NULL);
  ck_assert (lers_store_save_sync (store, got, NULL, &error));
  lers_check_assert_no_error (error);
  {
    g_autofree gchar *sql
        = g_strdup_printf ("SELECT \"end\" FROM \"user\" WHERE id = %" G_GINT64_FORMAT, ids[1]);
    g_autofree gchar *end = lers_check_sql_value (sql);
    ck_assert_str_eq (end, "другой");
  }

  /* "order" > 10, by "order" descending, a page of one, then the next */
  lers_store_query_add_filter_int64 (query, "order", LERS_STORE_OP_GT, 10);
  lers_store_query_add_order (query, "order", TRUE);
  lers_store_query_set_limit (query, 1);
  list = lers_store_list_sync (store, TEST_TYPE_KEYWORD, query, NULL, &error);
  lers_check_assert_no_error (error);
  ck_assert_uint_eq (list->len, 1);
  ck_assert_int_eq (TEST_KEYWORD (g_ptr_array_index (list, 0))->order, 30);
  g_clear_pointer (&list, g_ptr_array_unref);
  list = lers_store_list_sync (store, TEST_TYPE_KEYWORD, query, NULL, &error);
  lers_check_assert_no_error (error);
  ck_assert_uint_eq (list->len, 1);
  ck_assert_int_eq (TEST_KEYWORD (g_ptr_array_index (list, 0))->order, 20);
  g_clear_pointer (&list, g_ptr_array_unref);

  /* "end" IS NULL: none */
  g_clear_object (&query);
  query = lers_store_query_new ();
  lers_store_query_add_filter (query, "end", LERS_STORE_OP_IS_NULL, NULL);
  list = lers_store_list_sync (store, TEST_TYPE_KEYWORD, query, NULL, &error);
  lers_check_assert_no_error (error);
  ck_assert_uint_eq (list->len, 0);

  ck_assert (lers_store_delete_sync (store, TEST_TYPE_KEYWORD, ids[0], NULL, &error));
  lers_check_assert_no_error (error);
  ck_assert_int_eq (lers_check_sql_int ("SELECT count(*) FROM \"user\""), 2);
}
END_TEST

/* Types made at run time for the registration race below: an "id" and
 * nothing else, never instantiated. */
static void
race_get_property (GObject *object, guint id, GValue *value, GParamSpec *pspec)
{
}

static void
race_set_property (GObject *object, guint id, const GValue *value, GParamSpec *pspec)
{
}

static void
race_class_init (gpointer klass, gpointer data)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->get_property = race_get_property;
  object_class->set_property = race_set_property;
  g_object_class_install_property (
      object_class, 1, g_param_spec_int64 ("id", NULL, NULL, 0, G_MAXINT64, 0, G_PARAM_READWRITE));
}

typedef struct
{
  GType type;
  const gchar *table;
  gint *ready; /* both threads start together */
  gboolean ok;
  GError *error;
} RaceRegister;

static gpointer
race_register_thread (gpointer data)
{
  RaceRegister *r = data;

  g_atomic_int_inc (r->ready);
  while (g_atomic_int_get (r->ready) < 2)
    ;
  r->ok = lers_store_register_type (r->type, r->table, &r->error);
  return NULL;
}

/* Two threads register one type at once, with different tables: one wins,
 * the other is refused, whichever finds the type registered first. */
START_TEST (test_register_race)
{
  for (guint i = 0; i < 200; i++)
    {
      g_autofree gchar *name = g_strdup_printf ("TestRace%u", i);
      GType type = g_type_register_static_simple (G_TYPE_OBJECT, name, sizeof (GObjectClass),
                                                  race_class_init, sizeof (GObject), NULL, 0);
      gint ready = 0;
      RaceRegister a = { type, "race_a", &ready, FALSE, NULL };
      RaceRegister b = { type, "race_b", &ready, FALSE, NULL };
      GThread *ta = g_thread_new ("race-a", race_register_thread, &a);
      GThread *tb = g_thread_new ("race-b", race_register_thread, &b);

      g_thread_join (ta);
      g_thread_join (tb);
      ck_assert_msg (a.ok != b.ok, "type %u: a %s, b %s", i, a.ok ? "registered" : "refused",
                     b.ok ? "registered" : "refused");
      lers_check_assert_error (a.ok ? b.error : a.error, LERS_ERROR, LERS_ERROR_INVALID_ARGUMENT);
      g_clear_error (a.ok ? &b.error : &a.error);
    }
}
END_TEST

/* ---- bad days ---------------------------------------------------------- */

START_TEST (test_busy_lock)
{
  LersStore *store = lers_check_get_store ();
  g_autoptr (GError) error = NULL;
  g_autoptr (LersNode) node = make_node ("Котельная", "1");
  g_autoptr (GObject) got = NULL;
  PGconn *holder;
  gint64 t0, elapsed;

  ck_assert (lers_store_save_sync (store, G_OBJECT (node), NULL, &error));
  holder = lers_check_sql_connect ();
  lers_check_sql_exec_on (holder, "BEGIN");
  lers_check_sql_exec_on (holder, "LOCK TABLE nodes IN ACCESS EXCLUSIVE MODE");

  /* the read bound of the table in lers-store.c (2 s lock wait) runs out:
   * BUSY, not a hang and not "cancelled" */
  t0 = g_get_monotonic_time ();
  got = lers_store_get_sync (store, LERS_TYPE_NODE, lers_node_get_id (node), NULL, &error);
  elapsed = g_get_monotonic_time () - t0;
  ck_assert (got == NULL);
  lers_check_assert_error (error, LERS_ERROR, LERS_ERROR_BUSY);
  g_clear_error (&error);
  ck_assert_msg (elapsed >= 1900000 && elapsed < 10000000, "waited %" G_GINT64_FORMAT " us",
                 elapsed);

  /* the property overrides the table; a write is bounded too */
  g_object_set (store, "lock-timeout", 200, NULL);
  t0 = g_get_monotonic_time ();
  ck_assert (!lers_store_save_sync (store, G_OBJECT (node), NULL, &error));
  elapsed = g_get_monotonic_time () - t0;
  lers_check_assert_error (error, LERS_ERROR, LERS_ERROR_BUSY);
  g_clear_error (&error);
  ck_assert_msg (elapsed < 1500000, "waited %" G_GINT64_FORMAT " us", elapsed);
  ck_assert_int_eq (
      lers_check_sql_int ("SELECT count(*) " OUR_BACKENDS " AND wait_event_type = 'Lock'"), 0);

  lers_check_sql_exec_on (holder, "COMMIT");
  PQfinish (holder);
  got = lers_store_get_sync (store, LERS_TYPE_NODE, lers_node_get_id (node), NULL, &error);
  lers_check_assert_no_error (error);
  ck_assert (got != NULL);
}
END_TEST

static gboolean
cancel_later_cb (gpointer data)
{
  g_cancellable_cancel (data);
  return G_SOURCE_REMOVE;
}

static void
result_cb (GObject *source, GAsyncResult *result, gpointer user_data)
{
  *(GAsyncResult **) user_data = g_object_ref (result);
}

static gpointer
cancel_thread (gpointer data)
{
  g_usleep (300000);
  g_cancellable_cancel (data);
  return NULL;
}

START_TEST (test_cancel_lock_wait)
{
  LersStore *store = lers_check_get_store ();
  g_autoptr (GError) error = NULL;
  g_autoptr (GCancellable) cancellable = g_cancellable_new ();
  g_autoptr (GObject) got = NULL;
  g_autoptr (GThread) thread = NULL;
  PGconn *holder;
  gint64 t0, elapsed;

  /* no bound would end this wait for a minute: only the cancel does */
  g_object_set (store, "lock-timeout", 60000, NULL);
  holder = lers_check_sql_connect ();
  lers_check_sql_exec_on (holder, "BEGIN");
  lers_check_sql_exec_on (holder, "LOCK TABLE nodes IN ACCESS EXCLUSIVE MODE");

  thread = g_thread_new ("cancel", cancel_thread, cancellable);
  t0 = g_get_monotonic_time ();
  got = lers_store_get_sync (store, LERS_TYPE_NODE, 1, cancellable, &error);
  elapsed = g_get_monotonic_time () - t0;
  g_thread_join (g_steal_pointer (&thread));
  ck_assert (got == NULL);
  /* PostgreSQL says 57014 as for a statement timeout; ours was a cancel */
  lers_check_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_clear_error (&error);
  ck_assert_msg (elapsed < 5000000, "waited %" G_GINT64_FORMAT " us", elapsed);
  /* the wait is over on the server too */
  ck_assert_int_eq (
      lers_check_sql_int ("SELECT count(*) " OUR_BACKENDS " AND wait_event_type = 'Lock'"), 0);

  /* async, cancelled from the main loop: the loop keeps turning (the
   * timeout that cancels returns at once) and the answer is CANCELLED */
  {
    g_autoptr (GCancellable) c2 = g_cancellable_new ();
    g_autoptr (GAsyncResult) result = NULL;

    g_timeout_add (300, cancel_later_cb, c2);
    t0 = g_get_monotonic_time ();
    lers_store_get_async (store, LERS_TYPE_NODE, 1, c2, result_cb, &result);
    while (result == NULL)
      g_main_context_iteration (NULL, TRUE);
    elapsed = g_get_monotonic_time () - t0;
    got = lers_store_get_finish (store, result, &error);
    ck_assert (got == NULL);
    lers_check_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
    g_clear_error (&error);
    ck_assert_msg (elapsed < 5000000, "waited %" G_GINT64_FORMAT " us", elapsed);
    ck_assert_int_eq (
        lers_check_sql_int ("SELECT count(*) " OUR_BACKENDS " AND wait_event_type = 'Lock'"), 0);
  }

  lers_check_sql_exec_on (holder, "COMMIT");
  PQfinish (holder);
}
END_TEST

/* The INSERT has committed when the caller cancels, before the result is
 * read: the row is stored, so the save succeeded and the object gets its id
 * (reporting CANCELLED would leave a stored row the caller thinks absent,
 * and a retry would store it twice). */
START_TEST (test_save_cancelled_after_commit)
{
  LersStore *store = lers_check_get_store ();
  g_autoptr (GError) error = NULL;
  g_autoptr (GCancellable) cancellable = g_cancellable_new ();
  g_autoptr (LersNode) node = make_node ("Поздняя отмена", "1");
  g_autoptr (GAsyncResult) result = NULL;

  lers_store_save_async (store, G_OBJECT (node), cancellable, result_cb, &result);
  /* the main context is not run: the callback waits while we look */
  for (guint i = 0; i < 500; i++)
    {
      if (lers_check_sql_int ("SELECT count(*) FROM nodes WHERE title = 'Поздняя отмена'") == 1)
        break;
      g_usleep (10000);
    }
  ck_assert_int_eq (
      lers_check_sql_int ("SELECT count(*) FROM nodes WHERE title = 'Поздняя отмена'"), 1);
  g_cancellable_cancel (cancellable);
  while (result == NULL)
    g_main_context_iteration (NULL, TRUE);
  ck_assert (lers_store_save_finish (store, result, &error));
  lers_check_assert_no_error (error);
  ck_assert_int_gt (lers_node_get_id (node), 0);
  {
    g_autofree gchar *sql = g_strdup_printf (
        "SELECT count(*) FROM nodes WHERE title = 'Поздняя отмена' AND id = %" G_GINT64_FORMAT,
        lers_node_get_id (node));
    ck_assert_int_eq (lers_check_sql_int (sql), 1);
  }
  ck_assert_int_eq (lers_check_sql_int ("SELECT count(*) FROM nodes"), 1);
}
END_TEST

/* Kills the store's backend once it sleeps in the slow trigger. */
static gpointer
terminate_sleeper (gpointer data)
{
  PGconn *conn = PQconnectdb (data);
  gboolean done = FALSE;

  for (guint i = 0; i < 200 && !done && PQstatus (conn) == CONNECTION_OK; i++)
    {
      PGresult *res = PQexec (conn, "SELECT pg_terminate_backend(pid) " OUR_BACKENDS
                                    " AND wait_event = 'PgSleep'");
      done = PQresultStatus (res) == PGRES_TUPLES_OK && PQntuples (res) > 0;
      PQclear (res);
      if (!done)
        g_usleep (50000);
    }
  PQfinish (conn);
  return GINT_TO_POINTER (done);
}

START_TEST (test_insert_not_resent)
{
  LersStore *store = lers_check_get_store ();
  g_autoptr (GError) error = NULL;
  g_autoptr (LersNode) warm = make_node ("Прогрев", "0");
  g_autoptr (LersNode) node = make_node ("Один раз", "1");
  g_autoptr (LersNode) update = NULL;
  g_autoptr (GThread) thread = NULL;

  ck_assert (lers_store_save_sync (store, G_OBJECT (warm), NULL, &error));
  /* every insert into nodes now takes 2 s: time to kill the connection
   * after the INSERT went out and before its answer came back */
  lers_check_sql_exec ("CREATE FUNCTION slow_insert() RETURNS trigger LANGUAGE plpgsql AS"
                       " $$ BEGIN PERFORM pg_sleep(2); RETURN NEW; END $$;"
                       " CREATE TRIGGER nodes_slow BEFORE INSERT ON nodes"
                       " FOR EACH ROW EXECUTE FUNCTION slow_insert()");
  thread = g_thread_new ("terminate", terminate_sleeper, (gpointer) lers_check_get_uri ());
  ck_assert (!lers_store_save_sync (store, G_OBJECT (node), NULL, &error));
  ck_assert_msg (GPOINTER_TO_INT (g_thread_join (g_steal_pointer (&thread))),
                 "the INSERT was never seen sleeping");
  /* not re-sent: a clear error, the outcome stated unknown, no id given */
  lers_check_assert_error (error, LERS_ERROR, LERS_ERROR_CONNECTION);
  ck_assert_msg (strstr (error->message, "unknown") != NULL, "%s", error->message);
  g_clear_error (&error);
  ck_assert_int_eq (lers_node_get_id (node), 0);
  ck_assert_int_eq (lers_check_sql_int ("SELECT count(*) FROM nodes WHERE title = 'Один раз'"), 0);

  /* an update by id is idempotent: it is retried on a new connection */
  lers_check_sql_exec ("DROP TRIGGER nodes_slow ON nodes");
  lers_check_sql_exec (
      "CREATE TRIGGER nodes_slow BEFORE UPDATE ON nodes"
      " FOR EACH ROW WHEN (NEW.title = 'Обновлён') EXECUTE FUNCTION slow_insert()");
  lers_node_set_title (warm, "Обновлён");
  thread = g_thread_new ("terminate", terminate_sleeper, (gpointer) lers_check_get_uri ());
  /* the first attempt is killed in its sleep; the retry sleeps 2 s and
   * finishes (the killer gave up after its one kill) */
  ck_assert (lers_store_save_sync (store, G_OBJECT (warm), NULL, &error));
  lers_check_assert_no_error (error);
  ck_assert (GPOINTER_TO_INT (g_thread_join (g_steal_pointer (&thread))));
  ck_assert_int_eq (lers_check_sql_int ("SELECT count(*) FROM nodes WHERE title = 'Обновлён'"), 1);
}
END_TEST

START_TEST (test_idle_connection_lost)
{
  LersStore *store = lers_check_get_store ();
  g_autoptr (GError) error = NULL;
  g_autoptr (LersNode) first = make_node ("Первый", "1");
  g_autoptr (LersNode) second = make_node ("Второй", "2");
  g_autoptr (GObject) got = NULL;

  ck_assert (lers_store_save_sync (store, G_OBJECT (first), NULL, &error));
  /* the pool's idle connection dies (a server restart, an idle timeout) */
  ck_assert_int_eq (lers_check_sql_int ("SELECT count(pg_terminate_backend(pid)) " OUR_BACKENDS),
                    1);
  for (guint i = 0; i < 100 && lers_check_sql_int ("SELECT count(*) " OUR_BACKENDS) > 0; i++)
    g_usleep (20000);
  /* an insert finds out before sending, reconnects, and stores one row */
  ck_assert (lers_store_save_sync (store, G_OBJECT (second), NULL, &error));
  lers_check_assert_no_error (error);
  ck_assert_int_eq (lers_check_sql_int ("SELECT count(*) FROM nodes WHERE title = 'Второй'"), 1);

  /* a read is simply retried */
  ck_assert_int_eq (lers_check_sql_int ("SELECT count(pg_terminate_backend(pid)) " OUR_BACKENDS),
                    1);
  for (guint i = 0; i < 100 && lers_check_sql_int ("SELECT count(*) " OUR_BACKENDS) > 0; i++)
    g_usleep (20000);
  got = lers_store_get_sync (store, LERS_TYPE_NODE, lers_node_get_id (first), NULL, &error);
  lers_check_assert_no_error (error);
  ck_assert_str_eq (lers_node_get_title (LERS_NODE (got)), "Первый");
}
END_TEST

typedef struct
{
  GCancellable *cancellable;
  guint delay_us;
} LateCancel;

static gpointer
late_cancel_thread (gpointer data)
{
  LateCancel *lc = data;
  g_usleep (lc->delay_us);
  g_cancellable_cancel (lc->cancellable);
  return NULL;
}

/* Cancels land at every moment of a short query, before, during and after
 * it; the statement after each must never be the one cancelled: the
 * connection goes back to the pool only once the cancel request is done. */
START_TEST (test_late_cancel_spares_next_query)
{
  LersStore *store = lers_check_get_store ();
  g_autoptr (GError) error = NULL;
  g_autoptr (LersNode) node = make_node ("Котельная", "1");
  PGconn *holder = lers_check_sql_connect ();
  guint n_cancelled = 0, n_done = 0;

  ck_assert (lers_store_save_sync (store, G_OBJECT (node), NULL, &error));
  g_object_set (store, "lock-timeout", 30000, NULL);
  for (guint i = 0; i < 100; i++)
    {
      g_autoptr (GCancellable) cancellable = g_cancellable_new ();
      /* even rounds: the query waits on a lock, the cancel lands in the
       * wait; odd rounds: it lands before, during or after a quick query */
      gboolean locked = i % 2 == 0;
      LateCancel lc = { cancellable, locked ? 2000 : (i * 137) % 3000 };
      GThread *thread;
      g_autoptr (GPtrArray) some = NULL;
      g_autoptr (GObject) after = NULL;

      if (locked)
        {
          lers_check_sql_exec_on (holder, "BEGIN");
          lers_check_sql_exec_on (holder, "LOCK TABLE nodes IN ACCESS EXCLUSIVE MODE");
        }
      thread = g_thread_new ("late-cancel", late_cancel_thread, &lc);
      some = lers_store_list_sync (store, LERS_TYPE_NODE, NULL, cancellable, &error);
      if (some == NULL)
        {
          lers_check_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
          g_clear_error (&error);
          n_cancelled++;
        }
      else
        n_done++;
      g_thread_join (thread);
      if (locked)
        lers_check_sql_exec_on (holder, "COMMIT");
      after = lers_store_get_sync (store, LERS_TYPE_NODE, lers_node_get_id (node), NULL, &error);
      lers_check_assert_no_error (error);
    }
  PQfinish (holder);
  ck_assert_msg (n_cancelled >= 50 && n_done > 0, "cancelled %u, done %u", n_cancelled, n_done);
}
END_TEST

/* PQcancel() as a slow network makes it: interposed here (the executable's
 * symbol wins over libpq's), it notes its thread and takes a second. */
static gboolean slow_cancel;
static GThread *cancel_ran_in;

int
PQcancel (PGcancel *cancel, char *errbuf, int errbufsize)
{
  int (*real) (PGcancel *, char *, int)
      = (int (*) (PGcancel *, char *, int)) dlsym (RTLD_NEXT, "PQcancel");
  if (slow_cancel)
    {
      g_atomic_pointer_set (&cancel_ran_in, g_thread_self ());
      g_usleep (G_USEC_PER_SEC);
    }
  return real (cancel, errbuf, errbufsize);
}

typedef struct
{
  GCancellable *cancellable;
  GError *error;
  gint64 elapsed;
} BlockedGet;

static gpointer
blocked_get_thread (gpointer data)
{
  BlockedGet *bg = data;
  gint64 t0 = g_get_monotonic_time ();
  GObject *got = lers_store_get_sync (lers_check_get_store (), LERS_TYPE_NODE, 1, bg->cancellable,
                                      &bg->error);
  bg->elapsed = g_get_monotonic_time () - t0;
  g_clear_object (&got);
  return NULL;
}

START_TEST (test_cancel_does_not_block_canceller)
{
  g_autoptr (GCancellable) cancellable = g_cancellable_new ();
  BlockedGet bg = { cancellable, NULL, 0 };
  g_autoptr (GError) error = NULL;
  g_autoptr (GPtrArray) after = NULL;
  PGconn *holder = lers_check_sql_connect ();
  GThread *thread;
  gint64 t0, cancel_took;
  gint64 waiting = 0;

  g_object_set (lers_check_get_store (), "lock-timeout", 60000, NULL);
  lers_check_sql_exec_on (holder, "BEGIN");
  lers_check_sql_exec_on (holder, "LOCK TABLE nodes IN ACCESS EXCLUSIVE MODE");
  thread = g_thread_new ("blocked-get", blocked_get_thread, &bg);
  for (guint i = 0; i < 500 && waiting == 0; i++)
    {
      waiting
          = lers_check_sql_int ("SELECT count(*) " OUR_BACKENDS " AND wait_event_type = 'Lock'");
      if (waiting == 0)
        g_usleep (10000);
    }
  ck_assert_int_eq (waiting, 1);

  /* this thread plays the daemon's main loop: cancelling must not make it
   * wait for the (slow) cancel request */
  slow_cancel = TRUE;
  t0 = g_get_monotonic_time ();
  g_cancellable_cancel (cancellable);
  cancel_took = g_get_monotonic_time () - t0;
  g_thread_join (thread);
  slow_cancel = FALSE;
  ck_assert_msg (cancel_took < 300000, "g_cancellable_cancel() took %" G_GINT64_FORMAT " us",
                 cancel_took);
  ck_assert (g_atomic_pointer_get (&cancel_ran_in) != NULL);
  ck_assert (g_atomic_pointer_get (&cancel_ran_in) != g_thread_self ());
  lers_check_assert_error (bg.error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_clear_error (&bg.error);
  /* the query returned only once the request was done */
  ck_assert_msg (bg.elapsed >= G_USEC_PER_SEC, "returned after %" G_GINT64_FORMAT " us",
                 bg.elapsed);
  ck_assert_int_eq (
      lers_check_sql_int ("SELECT count(*) " OUR_BACKENDS " AND wait_event_type = 'Lock'"), 0);

  lers_check_sql_exec_on (holder, "COMMIT");
  PQfinish (holder);
  after = lers_store_list_sync (lers_check_get_store (), LERS_TYPE_NODE, NULL, NULL, &error);
  lers_check_assert_no_error (error);
}
END_TEST

/* PQconnectdbParams() as the store calls it, interposed like PQcancel()
 * above: it may cancel a cancellable once the connection is made, as a
 * client that goes away while its job waits for a connection does. */
static GCancellable *cancel_on_connect;

PGconn *
PQconnectdbParams (const char *const *keywords, const char *const *values, int expand_dbname)
{
  PGconn *(*real) (const char *const *, const char *const *, int)
      = (PGconn * (*) (const char *const *, const char *const *, int) )
          dlsym (RTLD_NEXT, "PQconnectdbParams");
  PGconn *conn = real (keywords, values, expand_dbname);
  GCancellable *cancellable = g_atomic_pointer_exchange (&cancel_on_connect, NULL);

  if (cancellable != NULL)
    g_cancellable_cancel (cancellable);
  return conn;
}

/* The caller cancels while its job gets a connection: the job's statement
 * is never sent, and the caller hears CANCELLED. */
START_TEST (test_cancel_before_job_runs)
{
  LersStore *store = lers_check_get_store ();
  g_autoptr (GError) error = NULL;
  g_autoptr (GCancellable) cancellable = g_cancellable_new ();
  g_autoptr (LersNode) node = make_node ("Котельная", "1");
  g_autoptr (LersTransaction) tx = NULL;
  g_autoptr (GObject) got = NULL;

  ck_assert (lers_store_save_sync (store, G_OBJECT (node), NULL, &error));
  /* the pool's one idle connection goes to the transaction: the get needs
   * a new one */
  tx = lers_store_begin_sync (store, NULL, &error);
  lers_check_assert_no_error (error);
  g_atomic_pointer_set (&cancel_on_connect, cancellable);
  got = lers_store_get_sync (store, LERS_TYPE_NODE, lers_node_get_id (node), cancellable, &error);
  ck_assert_msg (g_cancellable_is_cancelled (cancellable), "the get made no new connection");
  ck_assert (got == NULL);
  lers_check_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_clear_error (&error);
  lers_transaction_rollback (tx);
}
END_TEST

static Suite *
transaction_suite (void)
{
  Suite *s = suite_create ("transaction");
  TCase *tg = tcase_create ("generic");
  TCase *tt = tcase_create ("transactions");
  TCase *tb = tcase_create ("bad-days");

  for (guint i = 0; i < 3; i++)
    {
      TCase *t = (TCase *[]){ tg, tt, tb }[i];
      tcase_add_unchecked_fixture (t, lers_check_cluster_setup, lers_check_cluster_teardown);
      tcase_add_checked_fixture (t, lers_check_store_setup, lers_check_store_teardown);
      suite_add_tcase (s, t);
    }
  tcase_add_test (tg, test_generic_crud_all_types);
  tcase_add_test (tg, test_query_pages);
  tcase_add_test (tg, test_query_filters);
  tcase_add_test (tg, test_registered_type);
  tcase_add_test (tg, test_reserved_word_names);
  tcase_add_test (tg, test_register_race);
  tcase_add_test (tt, test_transaction_commit);
  tcase_add_test (tt, test_transaction_rollback);
  tcase_add_test (tt, test_transaction_failed_step);
  tcase_add_test (tt, test_transaction_records);
  tcase_add_test (tt, test_transaction_new_month_after_write);
  tcase_add_test (tt, test_transaction_commit_fails);
  tcase_add_test (tb, test_busy_lock);
  tcase_add_test (tb, test_cancel_lock_wait);
  tcase_add_test (tb, test_save_cancelled_after_commit);
  tcase_add_test (tb, test_insert_not_resent);
  tcase_add_test (tb, test_idle_connection_lost);
  tcase_add_test (tb, test_late_cancel_spares_next_query);
  tcase_add_test (tb, test_cancel_does_not_block_canceller);
  tcase_add_test (tb, test_cancel_before_job_runs);
  return s;
}

int
main (int argc, char **argv)
{
  lers_check_init (&argc, &argv);
  return lers_check_run_suite (transaction_suite ());
}
