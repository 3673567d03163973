/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Territories, device clock zones and reporting hours/days in the store;
 * the zone a point's times are shown in. Rows are checked with SQL. */
#include <check.h>
#include <libpq-fe.h>
#include <lers.h>
#include <stdlib.h>

#include "lers-check.h"

static gint64
save_territory (const gchar *title, gint64 parent_id, const gchar *zone)
{
  g_autoptr (LersTerritory) t = lers_territory_new ();
  g_autoptr (GError) error = NULL;

  g_object_set (t, "title", title, "parent-id", parent_id, "time-zone", zone, NULL);
  ck_assert (lers_store_save_territory_sync (lers_check_get_store (), t, NULL, &error));
  lers_check_assert_no_error (error);
  ck_assert_int_gt (lers_territory_get_id (t), 0);
  return lers_territory_get_id (t);
}

/* a point of a node in @territory_id (0: none) */
static gint64
save_point (gint64 territory_id)
{
  LersStore *store = lers_check_get_store ();
  g_autoptr (LersNode) node = lers_node_new ();
  g_autoptr (LersMeasurePoint) point = lers_measure_point_new ();
  g_autoptr (GError) error = NULL;

  lers_node_set_territory_id (node, territory_id);
  ck_assert (lers_store_save_node_sync (store, node, NULL, &error));
  lers_measure_point_set_node_id (point, lers_node_get_id (node));
  ck_assert (lers_store_save_measure_point_sync (store, point, NULL, &error));
  return lers_measure_point_get_id (point);
}

/* the point's zone, shown through the offset it has on 2026-07-01T00:00Z */
static gchar *
point_zone_text (gint64 point_id)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (GTimeZone) zone
      = lers_store_get_point_time_zone_sync (lers_check_get_store (), point_id, NULL, &error);
  g_autoptr (GDateTime) t = g_date_time_new_utc (2026, 7, 1, 0, 0, 0);

  lers_check_assert_no_error (error);
  ck_assert_ptr_nonnull (zone);
  return lers_time_format (t, zone);
}

START_TEST (test_territory_roundtrip)
{
  gint64 id = save_territory ("Приморский край", 0, "Asia/Vladivostok");
  g_autoptr (LersTerritory) back = NULL;
  g_autoptr (GPtrArray) all = NULL;
  g_autoptr (GError) error = NULL;
  g_autofree gchar *sql = g_strdup_printf ("SELECT title || '|' || timezone FROM territories"
                                           " WHERE id = %" G_GINT64_FORMAT,
                                           id);
  g_autofree gchar *row = lers_check_sql_value (sql);

  ck_assert_str_eq (row, "Приморский край|Asia/Vladivostok");
  back = lers_store_get_territory_sync (lers_check_get_store (), id, NULL, &error);
  lers_check_assert_no_error (error);
  ck_assert_str_eq (lers_territory_get_title (back), "Приморский край");
  ck_assert_str_eq (lers_territory_get_time_zone (back), "Asia/Vladivostok");
  ck_assert_int_eq (lers_territory_get_parent_id (back), 0);

  save_territory ("Владивосток", id, NULL);
  all = lers_store_list_territories_sync (lers_check_get_store (), NULL, &error);
  ck_assert_uint_eq (all->len, 2);
  ck_assert_int_eq (lers_territory_get_parent_id (g_ptr_array_index (all, 1)), id);

  ck_assert (lers_store_delete_territory_sync (lers_check_get_store (), id, NULL, &error));
  g_clear_object (&back);
  back = lers_store_get_territory_sync (lers_check_get_store (), id, NULL, &error);
  ck_assert_ptr_null (back);
  lers_check_assert_error (error, LERS_ERROR, LERS_ERROR_NOT_FOUND);
}
END_TEST

START_TEST (test_bad_zone_refused)
{
  static const gchar *const bad[] = { "Europe/Atlantis", "/etc/passwd", "UTC; DROP TABLE nodes" };
  LersStore *store = lers_check_get_store ();
  gint64 id = save_territory ("Берлин", 0, "Europe/Berlin");

  for (gsize i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_autoptr (LersTerritory) t = lers_territory_new ();
      g_autoptr (LersTerritory) old = NULL;
      g_autoptr (LersDevice) device = lers_device_new ();
      g_autoptr (GError) error = NULL;
      g_autofree gchar *n = NULL;

      /* a new territory: nothing inserted */
      g_object_set (t, "title", "X", "time-zone", bad[i], NULL);
      ck_assert (!lers_store_save_territory_sync (store, t, NULL, &error));
      lers_check_assert_error (error, LERS_ERROR, LERS_ERROR_INVALID_ARGUMENT);
      ck_assert_int_eq (lers_territory_get_id (t), 0);
      g_clear_error (&error);

      /* an update of a stored one: the stored zone stays */
      old = lers_store_get_territory_sync (store, id, NULL, &error);
      lers_territory_set_time_zone (old, bad[i]);
      ck_assert (!lers_store_save_territory_sync (store, old, NULL, &error));
      lers_check_assert_error (error, LERS_ERROR, LERS_ERROR_INVALID_ARGUMENT);
      g_clear_error (&error);

      /* a device clock */
      lers_device_set_clock_zone (device, bad[i]);
      ck_assert (!lers_store_save_device_sync (store, device, NULL, &error));
      lers_check_assert_error (error, LERS_ERROR, LERS_ERROR_INVALID_ARGUMENT);

      n = lers_check_sql_value ("SELECT count(*) || ' ' || string_agg(timezone, ',')"
                                " FROM territories");
      ck_assert_str_eq (n, "1 Europe/Berlin");
    }
  {
    g_autofree gchar *devices = lers_check_sql_value ("SELECT count(*) FROM devices");
    ck_assert_str_eq (devices, "0");
  }
}
END_TEST

START_TEST (test_new_columns_roundtrip)
{
  LersStore *store = lers_check_get_store ();
  gint64 territory = save_territory ("Приморье", 0, "Asia/Vladivostok");
  g_autoptr (LersNode) node = lers_node_new ();
  g_autoptr (LersDevice) device = lers_device_new ();
  g_autoptr (LersMeasurePoint) point = lers_measure_point_new ();
  g_autoptr (LersNode) node2 = NULL;
  g_autoptr (LersDevice) device2 = NULL;
  g_autoptr (LersMeasurePoint) point2 = NULL;
  g_autoptr (GError) error = NULL;
  g_autofree gchar *sql = NULL;
  g_autofree gchar *row = NULL;

  /* defaults: calendar days and months */
  ck_assert_uint_eq (lers_measure_point_get_reporting_hour (point), 0);
  ck_assert_uint_eq (lers_measure_point_get_reporting_day (point), 1);

  lers_node_set_territory_id (node, territory);
  ck_assert (lers_store_save_node_sync (store, node, NULL, &error));
  lers_device_set_clock_zone (device, "Europe/Moscow");
  ck_assert (lers_store_save_device_sync (store, device, NULL, &error));
  g_object_set (point, "node-id", lers_node_get_id (node), "device-id", lers_device_get_id (device),
                "reporting-hour", 9, "reporting-day", 25, NULL);
  ck_assert (lers_store_save_measure_point_sync (store, point, NULL, &error));
  lers_check_assert_no_error (error);

  sql = g_strdup_printf ("SELECT n.territory_id || '|' || d.clock_zone || '|' || p.reporting_hour"
                         " || '|' || p.reporting_day FROM measure_points p"
                         " JOIN nodes n ON n.id = p.node_id JOIN devices d ON d.id = p.device_id"
                         " WHERE p.id = %" G_GINT64_FORMAT,
                         lers_measure_point_get_id (point));
  row = lers_check_sql_value (sql);
  {
    g_autofree gchar *expected
        = g_strdup_printf ("%" G_GINT64_FORMAT "|Europe/Moscow|9|25", territory);
    ck_assert_str_eq (row, expected);
  }

  node2 = lers_store_get_node_sync (store, lers_node_get_id (node), NULL, &error);
  device2 = lers_store_get_device_sync (store, lers_device_get_id (device), NULL, &error);
  point2
      = lers_store_get_measure_point_sync (store, lers_measure_point_get_id (point), NULL, &error);
  lers_check_assert_no_error (error);
  ck_assert_int_eq (lers_node_get_territory_id (node2), territory);
  ck_assert_str_eq (lers_device_get_clock_zone (device2), "Europe/Moscow");
  ck_assert_uint_eq (lers_measure_point_get_reporting_hour (point2), 9);
  ck_assert_uint_eq (lers_measure_point_get_reporting_day (point2), 25);
}
END_TEST

START_TEST (test_point_zone)
{
  gint64 vvo = save_territory ("Приморский край", 0, "Asia/Vladivostok");
  gint64 city = save_territory ("Владивосток", vvo, NULL);
  gint64 district = save_territory ("Первореченский район", city, "");
  gint64 berlin = save_territory ("Berlin", vvo, "Europe/Berlin");
  g_autoptr (GError) error = NULL;
  g_autoptr (GTimeZone) none = NULL;
  g_autofree gchar *z1 = point_zone_text (save_point (vvo));
  g_autofree gchar *z2 = point_zone_text (save_point (district));
  g_autofree gchar *z3 = point_zone_text (save_point (berlin));
  g_autofree gchar *z4 = point_zone_text (save_point (0));

  /* 2026-07-01T00:00Z: Vladivostok +10 all year */
  ck_assert_str_eq (z1, "2026-07-01T10:00:00+10:00");
  /* the district and the city name no zone: the region's */
  ck_assert_str_eq (z2, "2026-07-01T10:00:00+10:00");
  /* a child with its own zone keeps it: Berlin in summer, +2 */
  ck_assert_str_eq (z3, "2026-07-01T02:00:00+02:00");
  /* no territory: the server's zone; main() set TZ=Europe/Berlin */
  ck_assert_str_eq (z4, "2026-07-01T02:00:00+02:00");

  none = lers_store_get_point_time_zone_sync (lers_check_get_store (), 999999, NULL, &error);
  ck_assert_ptr_null (none);
  lers_check_assert_error (error, LERS_ERROR, LERS_ERROR_NOT_FOUND);
}
END_TEST

START_TEST (test_point_zone_cycle_and_hand_edit)
{
  gint64 a = save_territory ("A", 0, NULL);
  gint64 b = save_territory ("B", a, NULL);
  gint64 point = save_point (b);
  g_autofree gchar *sql = NULL;
  g_autoptr (GError) error = NULL;
  g_autoptr (GTimeZone) zone = NULL;
  g_autofree gchar *text = NULL;

  /* a cycle of parents made in psql ends at the server's zone */
  sql = g_strdup_printf (
      "UPDATE territories SET parent_id = %" G_GINT64_FORMAT " WHERE id = %" G_GINT64_FORMAT, b, a);
  g_free (lers_check_sql_value (sql));
  text = point_zone_text (point);
  ck_assert_str_eq (text, "2026-07-01T02:00:00+02:00");

  /* a zone name typed in psql that the system does not know */
  g_free (sql);
  sql = g_strdup_printf (
      "UPDATE territories SET timezone = 'Mars/Olympus' WHERE id = %" G_GINT64_FORMAT, b);
  g_free (lers_check_sql_value (sql));
  zone = lers_store_get_point_time_zone_sync (lers_check_get_store (), point, NULL, &error);
  ck_assert_ptr_null (zone);
  lers_check_assert_error (error, LERS_ERROR, LERS_ERROR_INVALID_DATA);
}
END_TEST

START_TEST (test_reporting_range_checked_by_database)
{
  gint64 point = save_point (0);
  g_autofree gchar *sql
      = g_strdup_printf ("SELECT count(*) FROM measure_points WHERE id = %" G_GINT64_FORMAT
                         " AND reporting_hour = 0 AND reporting_day = 1",
                         point);
  g_autofree gchar *n = lers_check_sql_value (sql);
  PGconn *conn = PQconnectdb (lers_check_get_uri ());
  PGresult *res = PQexec (conn, "UPDATE measure_points SET reporting_day = 31");

  /* a new point's row has the defaults: hour 0, day 1 */
  ck_assert_str_eq (n, "1");
  /* day 31 does not exist in every month: the table refuses it */
  ck_assert_int_eq (PQresultStatus (res), PGRES_FATAL_ERROR);
  ck_assert_str_eq (PQresultErrorField (res, PG_DIAG_SQLSTATE), "23514");
  PQclear (res);
  PQfinish (conn);
}
END_TEST

int
main (int argc, char **argv)
{
  Suite *s = suite_create ("store-local-time");
  TCase *tc = tcase_create ("local-time");

  /* the server's zone for this program */
  g_setenv ("TZ", "Europe/Berlin", TRUE);
  lers_check_init (&argc, &argv);
  tcase_add_unchecked_fixture (tc, lers_check_cluster_setup, lers_check_cluster_teardown);
  tcase_add_checked_fixture (tc, lers_check_store_setup, lers_check_store_teardown);
  tcase_add_test (tc, test_territory_roundtrip);
  tcase_add_test (tc, test_bad_zone_refused);
  tcase_add_test (tc, test_new_columns_roundtrip);
  tcase_add_test (tc, test_point_zone);
  tcase_add_test (tc, test_point_zone_cycle_and_hand_edit);
  tcase_add_test (tc, test_reporting_range_checked_by_database);
  suite_add_tcase (s, tc);
  return lers_check_run_suite (s);
}
