/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "config.h"

#include <libpq-fe.h>
#include <math.h>
#include <string.h>

#include "lers-check.h"

/* ---- helpers ----------------------------------------------------------- */

static LersRecord *
make_record (GDateTime *ts, LersArchiveKind kind, gdouble t_in, gdouble q_in)
{
  LersRecord *record = lers_record_new (ts, kind);

  lers_record_set_value (record, LERS_PARAMETER_T_IN, t_in, LERS_VALUE_FLAG_NONE);
  lers_record_set_value (record, LERS_PARAMETER_T_OUT, t_in - 20, LERS_VALUE_FLAG_NONE);
  lers_record_set_value (record, LERS_PARAMETER_Q_IN, q_in, LERS_VALUE_FLAG_CALCULATED);
  return record;
}

/* @n hourly records from @start. */
static GPtrArray *
make_hours (GDateTime *start, guint n, gdouble base)
{
  GPtrArray *records = g_ptr_array_new_with_free_func (g_object_unref);

  for (guint i = 0; i < n; i++)
    {
      g_autoptr (GDateTime) ts = g_date_time_add_hours (start, i);
      g_ptr_array_add (records, make_record (ts, LERS_ARCHIVE_KIND_HOUR, base + i, 0.01 * i));
    }
  return records;
}

static GPtrArray *
query_all (gint64 point_id, LersArchiveKind kind)
{
  g_autoptr (GError) error = NULL;
  GPtrArray *records = lers_check_query_records (lers_check_get_store (), point_id, kind, NULL,
                                                 NULL, NULL, &error);
  lers_check_assert_no_error (error);
  ck_assert_ptr_nonnull (records);
  return records;
}

static gdouble
record_value (LersRecord *record, LersParameter parameter)
{
  gdouble value = NAN;
  ck_assert (lers_record_get_value (record, parameter, &value, NULL));
  return value;
}

/* ---- objects ----------------------------------------------------------- */

START_TEST (test_node_roundtrip)
{
  LersStore *store = lers_check_get_store ();
  g_autoptr (GError) error = NULL;
  g_autoptr (LersNode) node = lers_node_new ();
  g_autoptr (LersNode) got = NULL;
  g_autoptr (LersNode) missing = NULL;
  g_autoptr (GPtrArray) all = NULL;
  const gchar *groups[]
      = { "Котельная №1", "a \"quoted\" {name}", "back\\slash", "NULL", "", NULL };
  const gchar *groups2[] = { "one", NULL };

  lers_node_set_title (node, "Дом 5, Ленина");
  lers_node_set_address (node, "ул. Ленина, 5");
  lers_node_set_number (node, "N-0005");
  lers_node_set_node_type (node, LERS_NODE_TYPE_HOUSE);
  lers_node_set_latitude (node, 55.751244);
  lers_node_set_longitude (node, -37.618423);
  lers_node_set_customer (node, "ТСЖ «Уют»");
  lers_node_set_contract (node, "Д-17/2026");
  lers_node_set_temperature_schedule (node, "95/70");
  lers_node_set_comment (node, "it's a 'comment'; DROP TABLE nodes; --");
  lers_node_set_groups (node, groups);

  ck_assert (lers_store_save_node_sync (store, node, NULL, &error));
  lers_check_assert_no_error (error);
  ck_assert_int_gt (lers_node_get_id (node), 0);

  got = lers_store_get_node_sync (store, lers_node_get_id (node), NULL, &error);
  lers_check_assert_no_error (error);
  ck_assert_int_eq (lers_node_get_id (got), lers_node_get_id (node));
  ck_assert_str_eq (lers_node_get_title (got), "Дом 5, Ленина");
  ck_assert_str_eq (lers_node_get_address (got), "ул. Ленина, 5");
  ck_assert_str_eq (lers_node_get_number (got), "N-0005");
  ck_assert_int_eq (lers_node_get_node_type (got), LERS_NODE_TYPE_HOUSE);
  ck_assert_double_eq (lers_node_get_latitude (got), 55.751244);
  ck_assert_double_eq (lers_node_get_longitude (got), -37.618423);
  ck_assert_str_eq (lers_node_get_customer (got), "ТСЖ «Уют»");
  ck_assert_str_eq (lers_node_get_contract (got), "Д-17/2026");
  ck_assert_str_eq (lers_node_get_temperature_schedule (got), "95/70");
  ck_assert_str_eq (lers_node_get_comment (got), "it's a 'comment'; DROP TABLE nodes; --");
  ck_assert (g_strv_equal ((const gchar *const *) lers_node_get_groups (got), groups));

  /* update */
  lers_node_set_title (node, "Дом 5");
  lers_node_set_comment (node, NULL);
  lers_node_set_groups (node, groups2);
  ck_assert (lers_store_save_node_sync (store, node, NULL, &error));
  g_clear_object (&got);
  got = lers_store_get_node_sync (store, lers_node_get_id (node), NULL, &error);
  lers_check_assert_no_error (error);
  ck_assert_str_eq (lers_node_get_title (got), "Дом 5");
  ck_assert_ptr_null (lers_node_get_comment (got));
  ck_assert (g_strv_equal ((const gchar *const *) lers_node_get_groups (got), groups2));

  all = lers_store_list_nodes_sync (store, NULL, &error);
  lers_check_assert_no_error (error);
  ck_assert_uint_eq (all->len, 1);

  ck_assert (lers_store_delete_node_sync (store, lers_node_get_id (node), NULL, &error));
  lers_check_assert_no_error (error);
  missing = lers_store_get_node_sync (store, lers_node_get_id (node), NULL, &error);
  ck_assert_ptr_null (missing);
  lers_check_assert_error (error, LERS_ERROR, LERS_ERROR_NOT_FOUND);
  g_clear_error (&error);

  /* deleting or updating what is not there */
  ck_assert (!lers_store_delete_node_sync (store, lers_node_get_id (node), NULL, &error));
  lers_check_assert_error (error, LERS_ERROR, LERS_ERROR_NOT_FOUND);
  g_clear_error (&error);
  ck_assert (!lers_store_save_node_sync (store, node, NULL, &error));
  lers_check_assert_error (error, LERS_ERROR, LERS_ERROR_NOT_FOUND);
}
END_TEST

START_TEST (test_device_connection_point_roundtrip)
{
  LersStore *store = lers_check_get_store ();
  g_autoptr (GError) error = NULL;
  g_autoptr (LersConnection) conn = lers_connection_new ();
  g_autoptr (LersConnection) conn2 = NULL;
  g_autoptr (LersDevice) device = lers_device_new ();
  g_autoptr (LersDevice) device2 = NULL;
  g_autoptr (LersNode) node = lers_node_new ();
  g_autoptr (LersNode) other_node = lers_node_new ();
  g_autoptr (LersMeasurePoint) point = lers_measure_point_new ();
  g_autoptr (LersMeasurePoint) other_point = lers_measure_point_new ();
  g_autoptr (LersMeasurePoint) point2 = NULL;
  g_autoptr (GTimeZone) msk = g_time_zone_new_identifier ("+03:00");
  g_autoptr (GDateTime) calibrated = g_date_time_new (msk, 2025, 6, 30, 23, 59, 59.123456);
  g_autoptr (GPtrArray) points = NULL;
  g_autoptr (GPtrArray) devices = NULL;
  g_autoptr (GPtrArray) conns = NULL;
  g_autoptr (LersDevice) none = NULL;
  g_autoptr (LersConnection) none2 = NULL;
  g_autoptr (LersMeasurePoint) none3 = NULL;

  lers_connection_set_title (conn, "ТЭЦ-2 GPRS");
  lers_connection_set_kind (conn, LERS_CONNECTION_KIND_GPRS_SERVER);
  lers_connection_set_host (conn, "10.0.0.7");
  lers_connection_set_port (conn, 65535);
  lers_connection_set_timeout (conn, G_MAXUINT);
  ck_assert (lers_store_save_connection_sync (store, conn, NULL, &error));
  lers_check_assert_no_error (error);
  conn2 = lers_store_get_connection_sync (store, lers_connection_get_id (conn), NULL, &error);
  lers_check_assert_no_error (error);
  ck_assert_str_eq (lers_connection_get_title (conn2), "ТЭЦ-2 GPRS");
  ck_assert_int_eq (lers_connection_get_kind (conn2), LERS_CONNECTION_KIND_GPRS_SERVER);
  ck_assert_str_eq (lers_connection_get_host (conn2), "10.0.0.7");
  ck_assert_uint_eq (lers_connection_get_port (conn2), 65535);
  ck_assert_uint_eq (lers_connection_get_timeout (conn2), G_MAXUINT);

  lers_device_set_protocol (device, "mbus");
  lers_device_set_model (device, "ВКТ-7");
  lers_device_set_serial_number (device, "00123456");
  lers_device_set_network_address (device, "254");
  lers_device_set_password (device, "s3cr3t'\"");
  lers_device_set_calibration_date (device, calibrated);
  lers_device_set_calibration_interval (device, 4);
  lers_device_set_connection_id (device, lers_connection_get_id (conn));
  ck_assert (lers_store_save_device_sync (store, device, NULL, &error));
  lers_check_assert_no_error (error);
  device2 = lers_store_get_device_sync (store, lers_device_get_id (device), NULL, &error);
  lers_check_assert_no_error (error);
  ck_assert_str_eq (lers_device_get_protocol (device2), "mbus");
  ck_assert_str_eq (lers_device_get_model (device2), "ВКТ-7");
  ck_assert_str_eq (lers_device_get_serial_number (device2), "00123456");
  ck_assert_str_eq (lers_device_get_network_address (device2), "254");
  ck_assert_str_eq (lers_device_get_password (device2), "s3cr3t'\"");
  ck_assert (g_date_time_equal (lers_device_get_calibration_date (device2), calibrated));
  ck_assert_int_eq (g_date_time_get_microsecond (lers_device_get_calibration_date (device2)),
                    123456);
  ck_assert_uint_eq (lers_device_get_calibration_interval (device2), 4);
  ck_assert_int_eq (lers_device_get_connection_id (device2), lers_connection_get_id (conn));

  /* no calibration date stays none */
  lers_device_set_calibration_date (device, NULL);
  ck_assert (lers_store_save_device_sync (store, device, NULL, &error));
  g_clear_object (&device2);
  device2 = lers_store_get_device_sync (store, lers_device_get_id (device), NULL, &error);
  ck_assert_ptr_null (lers_device_get_calibration_date (device2));

  ck_assert (lers_store_save_node_sync (store, node, NULL, &error));
  ck_assert (lers_store_save_node_sync (store, other_node, NULL, &error));
  lers_measure_point_set_node_id (point, lers_node_get_id (node));
  lers_measure_point_set_title (point, "Отопление");
  lers_measure_point_set_resource (point, LERS_RESOURCE_HOT_WATER);
  lers_measure_point_set_device_id (point, lers_device_get_id (device));
  lers_measure_point_set_channel (point, 2);
  lers_measure_point_set_poll_interval (point, 3600);
  lers_measure_point_set_poll_offset (point, 900);
  ck_assert (lers_store_save_measure_point_sync (store, point, NULL, &error));
  lers_check_assert_no_error (error);
  lers_measure_point_set_node_id (other_point, lers_node_get_id (other_node));
  ck_assert (lers_store_save_measure_point_sync (store, other_point, NULL, &error));
  lers_check_assert_no_error (error);

  point2
      = lers_store_get_measure_point_sync (store, lers_measure_point_get_id (point), NULL, &error);
  lers_check_assert_no_error (error);
  ck_assert_int_eq (lers_measure_point_get_node_id (point2), lers_node_get_id (node));
  ck_assert_str_eq (lers_measure_point_get_title (point2), "Отопление");
  ck_assert_int_eq (lers_measure_point_get_resource (point2), LERS_RESOURCE_HOT_WATER);
  ck_assert_int_eq (lers_measure_point_get_device_id (point2), lers_device_get_id (device));
  ck_assert_uint_eq (lers_measure_point_get_channel (point2), 2);
  ck_assert_uint_eq (lers_measure_point_get_poll_interval (point2), 3600);
  ck_assert_uint_eq (lers_measure_point_get_poll_offset (point2), 900);

  points = lers_store_list_measure_points_sync (store, 0, NULL, &error);
  ck_assert_uint_eq (points->len, 2);
  g_clear_pointer (&points, g_ptr_array_unref);
  points = lers_store_list_measure_points_sync (store, lers_node_get_id (other_node), NULL, &error);
  ck_assert_uint_eq (points->len, 1);
  ck_assert_int_eq (lers_measure_point_get_id (g_ptr_array_index (points, 0)),
                    lers_measure_point_get_id (other_point));
  devices = lers_store_list_devices_sync (store, NULL, &error);
  ck_assert_uint_eq (devices->len, 1);
  conns = lers_store_list_connections_sync (store, NULL, &error);
  ck_assert_uint_eq (conns->len, 1);

  /* a reference to nothing is refused, with a stable code */
  lers_measure_point_set_node_id (other_point, 987654);
  ck_assert (!lers_store_save_measure_point_sync (store, other_point, NULL, &error));
  lers_check_assert_error (error, LERS_ERROR, LERS_ERROR_INVALID_ARGUMENT);
  g_clear_error (&error);

  /* deleting a connection unlinks its devices */
  ck_assert (
      lers_store_delete_connection_sync (store, lers_connection_get_id (conn), NULL, &error));
  g_clear_object (&device2);
  device2 = lers_store_get_device_sync (store, lers_device_get_id (device), NULL, &error);
  ck_assert_int_eq (lers_device_get_connection_id (device2), 0);

  ck_assert (lers_store_delete_device_sync (store, lers_device_get_id (device), NULL, &error));
  ck_assert (lers_store_delete_measure_point_sync (store, lers_measure_point_get_id (point), NULL,
                                                   &error));
  lers_check_assert_no_error (error);

  none = lers_store_get_device_sync (store, lers_device_get_id (device), NULL, &error);
  lers_check_assert_error (error, LERS_ERROR, LERS_ERROR_NOT_FOUND);
  g_clear_error (&error);
  none2 = lers_store_get_connection_sync (store, lers_connection_get_id (conn), NULL, &error);
  lers_check_assert_error (error, LERS_ERROR, LERS_ERROR_NOT_FOUND);
  g_clear_error (&error);
  none3
      = lers_store_get_measure_point_sync (store, lers_measure_point_get_id (point), NULL, &error);
  lers_check_assert_error (error, LERS_ERROR, LERS_ERROR_NOT_FOUND);
  g_clear_error (&error);
  ck_assert (!lers_store_delete_measure_point_sync (store, 5000000000, NULL, &error));
  lers_check_assert_error (error, LERS_ERROR, LERS_ERROR_NOT_FOUND);
}
END_TEST

/* ---- archive ----------------------------------------------------------- */

START_TEST (test_archive_idempotent)
{
  LersStore *store = lers_check_get_store ();
  g_autoptr (GError) error = NULL;
  gint64 point_id = lers_check_make_point ();
  g_autoptr (GDateTime) hour = g_date_time_new_utc (2026, 11, 24, 10, 0, 0);
  g_autoptr (GPtrArray) one = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr (GPtrArray) got = NULL;
  g_autoptr (GPtrArray) many = NULL;
  g_autoptr (GPtrArray) corrected = NULL;
  g_autofree gchar *sql = NULL;

  /* the same hour twice is one row */
  g_ptr_array_add (one, make_record (hour, LERS_ARCHIVE_KIND_HOUR, 70.5, 0.125));
  ck_assert (lers_store_write_records_sync (store, point_id, one, NULL, &error));
  lers_check_assert_no_error (error);
  ck_assert (lers_store_write_records_sync (store, point_id, one, NULL, &error));
  lers_check_assert_no_error (error);
  sql = g_strdup_printf ("SELECT count(*) FROM archive WHERE point_id = %" G_GINT64_FORMAT,
                         point_id);
  ck_assert_int_eq (lers_check_sql_int (sql), 1);

  /* a corrected value replaces the old one */
  g_ptr_array_set_size (one, 0);
  g_ptr_array_add (one, make_record (hour, LERS_ARCHIVE_KIND_HOUR, 71.0, 0.25));
  ck_assert (lers_store_write_records_sync (store, point_id, one, NULL, &error));
  got = query_all (point_id, LERS_ARCHIVE_KIND_HOUR);
  ck_assert_uint_eq (got->len, 1);
  ck_assert_double_eq (record_value (g_ptr_array_index (got, 0), LERS_PARAMETER_T_IN), 71.0);
  ck_assert_double_eq (record_value (g_ptr_array_index (got, 0), LERS_PARAMETER_Q_IN), 0.25);
  ck_assert_int_eq (lers_check_sql_int (sql), 1);

  /* the same through the COPY path: 500 hours overlapping the first */
  many = make_hours (hour, 500, 50);
  ck_assert (lers_store_write_records_sync (store, point_id, many, NULL, &error));
  lers_check_assert_no_error (error);
  ck_assert_int_eq (lers_check_sql_int (sql), 500);
  ck_assert (lers_store_write_records_sync (store, point_id, many, NULL, &error));
  ck_assert_int_eq (lers_check_sql_int (sql), 500);
  corrected = make_hours (hour, 500, 1000);
  ck_assert (lers_store_write_records_sync (store, point_id, corrected, NULL, &error));
  lers_check_assert_no_error (error);
  ck_assert_int_eq (lers_check_sql_int (sql), 500);
  g_clear_pointer (&got, g_ptr_array_unref);
  got = query_all (point_id, LERS_ARCHIVE_KIND_HOUR);
  ck_assert_uint_eq (got->len, 500);
  for (guint i = 0; i < got->len; i++)
    ck_assert_double_eq (record_value (g_ptr_array_index (got, i), LERS_PARAMETER_T_IN), 1000 + i);
}
END_TEST

START_TEST (test_archive_duplicates_in_batch)
{
  LersStore *store = lers_check_get_store ();
  g_autoptr (GError) error = NULL;
  gint64 point_id = lers_check_make_point ();
  g_autoptr (GDateTime) t0 = g_date_time_new_utc (2026, 3, 1, 0, 0, 0);
  g_autoptr (GDateTime) t1 = g_date_time_add_hours (t0, 1);
  g_autoptr (GPtrArray) batch = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr (GPtrArray) big = NULL;
  g_autoptr (GPtrArray) got = NULL;

  /* out of order, with the same hour twice: the later record wins */
  g_ptr_array_add (batch, make_record (t1, LERS_ARCHIVE_KIND_HOUR, 2, 0));
  g_ptr_array_add (batch, make_record (t0, LERS_ARCHIVE_KIND_HOUR, 1, 0));
  g_ptr_array_add (batch, make_record (t1, LERS_ARCHIVE_KIND_HOUR, 3, 0));
  g_ptr_array_add (batch, make_record (t0, LERS_ARCHIVE_KIND_DAY, 4, 0));
  ck_assert (lers_store_write_records_sync (store, point_id, batch, NULL, &error));
  lers_check_assert_no_error (error);
  got = query_all (point_id, LERS_ARCHIVE_KIND_HOUR);
  ck_assert_uint_eq (got->len, 2);
  ck_assert_double_eq (record_value (g_ptr_array_index (got, 0), LERS_PARAMETER_T_IN), 1);
  ck_assert_double_eq (record_value (g_ptr_array_index (got, 1), LERS_PARAMETER_T_IN), 3);
  g_clear_pointer (&got, g_ptr_array_unref);
  got = query_all (point_id, LERS_ARCHIVE_KIND_DAY);
  ck_assert_uint_eq (got->len, 1);

  /* and in a batch big enough for COPY */
  big = make_hours (t0, 200, 0);
  g_ptr_array_add (big, make_record (t0, LERS_ARCHIVE_KIND_HOUR, -5, 0));
  ck_assert (lers_store_write_records_sync (store, point_id, big, NULL, &error));
  lers_check_assert_no_error (error);
  g_clear_pointer (&got, g_ptr_array_unref);
  got = query_all (point_id, LERS_ARCHIVE_KIND_HOUR);
  ck_assert_uint_eq (got->len, 200);
  ck_assert_double_eq (record_value (g_ptr_array_index (got, 0), LERS_PARAMETER_T_IN), -5);
}
END_TEST

START_TEST (test_archive_duplicates_in_order)
{
  LersStore *store = lers_check_get_store ();
  g_autoptr (GError) error = NULL;
  gint64 point_id = lers_check_make_point ();
  g_autoptr (GDateTime) t0 = g_date_time_new_utc (2026, 3, 1, 0, 0, 0);
  g_autoptr (GDateTime) t1 = g_date_time_add_hours (t0, 1);
  g_autoptr (GDateTime) t299 = g_date_time_add_hours (t0, 299);
  g_autoptr (GPtrArray) batch = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr (GPtrArray) big = NULL;
  g_autoptr (GPtrArray) got = NULL;

  /* time order with a repeated hour: a re-sent telegram, not an error */
  g_ptr_array_add (batch, make_record (t0, LERS_ARCHIVE_KIND_HOUR, 1, 0));
  g_ptr_array_add (batch, make_record (t1, LERS_ARCHIVE_KIND_HOUR, 2, 0));
  g_ptr_array_add (batch, make_record (t1, LERS_ARCHIVE_KIND_HOUR, 3, 0));
  ck_assert (lers_store_write_records_sync (store, point_id, batch, NULL, &error));
  lers_check_assert_no_error (error);
  got = query_all (point_id, LERS_ARCHIVE_KIND_HOUR);
  ck_assert_uint_eq (got->len, 2);
  ck_assert_double_eq (record_value (g_ptr_array_index (got, 1), LERS_PARAMETER_T_IN), 3);

  /* the same in a batch big enough for COPY */
  big = make_hours (t0, 300, 0);
  g_ptr_array_add (big, make_record (t299, LERS_ARCHIVE_KIND_HOUR, 42, 0));
  ck_assert (lers_store_write_records_sync (store, point_id, big, NULL, &error));
  lers_check_assert_no_error (error);
  g_clear_pointer (&got, g_ptr_array_unref);
  got = query_all (point_id, LERS_ARCHIVE_KIND_HOUR);
  ck_assert_uint_eq (got->len, 300);
  ck_assert_double_eq (record_value (g_ptr_array_index (got, 299), LERS_PARAMETER_T_IN), 42);
}
END_TEST

START_TEST (test_archive_range_edges)
{
  LersStore *store = lers_check_get_store ();
  g_autoptr (GError) error = NULL;
  gint64 point_id = lers_check_make_point ();
  g_autoptr (GDateTime) day = g_date_time_new_utc (2026, 5, 10, 0, 0, 0);
  g_autoptr (GPtrArray) hours = make_hours (day, 24, 0);
  g_autoptr (GDateTime) from = g_date_time_add_hours (day, 5);
  g_autoptr (GDateTime) to = g_date_time_add_hours (day, 10);
  g_autoptr (GTimeZone) tz = g_time_zone_new_identifier ("+05:00");
  g_autoptr (GDateTime) from_local = g_date_time_to_timezone (from, tz);
  g_autoptr (GPtrArray) got = NULL;
  g_autoptr (GPtrArray) empty = NULL;
  g_autoptr (GPtrArray) other = NULL;
  g_autoptr (GDateTime) first = NULL;
  g_autoptr (GDateTime) last = NULL;

  ck_assert (lers_store_write_records_sync (store, point_id, hours, NULL, &error));
  lers_check_assert_no_error (error);

  /* [from, to): 05:00 included, 10:00 excluded */
  got = lers_check_query_records (store, point_id, LERS_ARCHIVE_KIND_HOUR, from_local, to, NULL,
                                  &error);
  lers_check_assert_no_error (error);
  ck_assert_uint_eq (got->len, 5);
  first = g_date_time_ref (lers_record_get_timestamp (g_ptr_array_index (got, 0)));
  last = g_date_time_ref (lers_record_get_timestamp (g_ptr_array_index (got, 4)));
  ck_assert (g_date_time_equal (first, from));
  ck_assert_int_eq (g_date_time_get_hour (last), 9);
  ck_assert_int_eq (lers_record_get_kind (g_ptr_array_index (got, 0)), LERS_ARCHIVE_KIND_HOUR);
  ck_assert_double_eq (record_value (g_ptr_array_index (got, 0), LERS_PARAMETER_T_IN), 5);

  empty = lers_check_query_records (store, point_id, LERS_ARCHIVE_KIND_HOUR, from, from, NULL,
                                    &error);
  ck_assert_uint_eq (empty->len, 0);
  g_clear_pointer (&empty, g_ptr_array_unref);
  empty
      = lers_check_query_records (store, point_id, LERS_ARCHIVE_KIND_DAY, NULL, NULL, NULL, &error);
  ck_assert_uint_eq (empty->len, 0);
  g_clear_pointer (&empty, g_ptr_array_unref);
  empty = lers_check_query_records (store, point_id + 1, LERS_ARCHIVE_KIND_HOUR, NULL, NULL, NULL,
                                    &error);
  ck_assert_uint_eq (empty->len, 0);

  other = lers_check_query_records (store, point_id, LERS_ARCHIVE_KIND_HOUR, NULL, from, NULL,
                                    &error);
  ck_assert_uint_eq (other->len, 5);
  g_clear_pointer (&other, g_ptr_array_unref);
  other
      = lers_check_query_records (store, point_id, LERS_ARCHIVE_KIND_HOUR, to, NULL, NULL, &error);
  ck_assert_uint_eq (other->len, 14);
}
END_TEST

START_TEST (test_archive_partitions)
{
  LersStore *store = lers_check_get_store ();
  g_autoptr (GError) error = NULL;
  gint64 point_id = lers_check_make_point ();
  /* 31 Dec 20:00 UTC to 1 Feb 04:00 (excluded): three months, two years */
  g_autoptr (GDateTime) start = g_date_time_new_utc (2025, 12, 31, 20, 0, 0);
  g_autoptr (GPtrArray) hours = make_hours (start, 24 * 31 + 8, 0);
  g_autoptr (GTimeZone) tz = g_time_zone_new_identifier ("+03:00");
  g_autoptr (GDateTime) local = g_date_time_new (tz, 2026, 3, 1, 1, 0, 0); /* 28 Feb UTC */
  g_autoptr (GPtrArray) one = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr (GPtrArray) got = NULL;
  g_autoptr (GPtrArray) feb = NULL;
  g_autoptr (GDateTime) feb_start = g_date_time_new_utc (2026, 2, 1, 0, 0, 0);
  g_autoptr (GDateTime) mar_start = g_date_time_new_utc (2026, 3, 1, 0, 0, 0);

  ck_assert (lers_store_write_records_sync (store, point_id, hours, NULL, &error));
  lers_check_assert_no_error (error);
  g_ptr_array_add (one, make_record (local, LERS_ARCHIVE_KIND_HOUR, 99, 0));
  ck_assert (lers_store_write_records_sync (store, point_id, one, NULL, &error));
  lers_check_assert_no_error (error);

  ck_assert_int_eq (lers_check_sql_int ("SELECT count(*) FROM pg_inherits"
                                        " WHERE inhparent = 'archive'::regclass"),
                    3);
  ck_assert_int_eq (lers_check_sql_int ("SELECT count(*) FROM archive_2025m12"), 4);
  ck_assert_int_eq (lers_check_sql_int ("SELECT count(*) FROM archive_2026m01"), 24 * 31);
  ck_assert_int_eq (lers_check_sql_int ("SELECT count(*) FROM archive_2026m02"), 5);

  got = query_all (point_id, LERS_ARCHIVE_KIND_HOUR);
  ck_assert_uint_eq (got->len, 24 * 31 + 8 + 1);
  for (guint i = 1; i < got->len; i++)
    ck_assert_int_lt (
        g_date_time_compare (lers_record_get_timestamp (g_ptr_array_index (got, i - 1)),
                             lers_record_get_timestamp (g_ptr_array_index (got, i))),
        0);
  feb = lers_check_query_records (store, point_id, LERS_ARCHIVE_KIND_HOUR, feb_start, mar_start,
                                  NULL, &error);
  ck_assert_uint_eq (feb->len, 5);
  ck_assert_double_eq (record_value (g_ptr_array_index (feb, 4), LERS_PARAMETER_T_IN), 99);

  /* a dropped partition is noticed and made again; no row is lost */
  g_ptr_array_set_size (one, 0);
  {
    PGconn *conn = PQconnectdb (lers_check_get_uri ());
    PQclear (PQexec (conn, "DROP TABLE archive_2026m02"));
    PQfinish (conn);
  }
  g_ptr_array_add (one, make_record (feb_start, LERS_ARCHIVE_KIND_HOUR, 7, 0));
  ck_assert (lers_store_write_records_sync (store, point_id, one, NULL, &error));
  lers_check_assert_no_error (error);
  ck_assert_int_eq (lers_check_sql_int ("SELECT count(*) FROM archive_2026m02"), 1);
}
END_TEST

START_TEST (test_archive_values_exact)
{
  LersStore *store = lers_check_get_store ();
  g_autoptr (GError) error = NULL;
  gint64 point_id = lers_check_make_point ();
  g_autoptr (GDateTime) ts = g_date_time_new_utc (2026, 1, 15, 12, 30, 15.5);
  g_autoptr (LersRecord) record = lers_record_new (ts, LERS_ARCHIVE_KIND_CURRENT);
  g_autoptr (GPtrArray) batch = g_ptr_array_new ();
  g_autoptr (GPtrArray) got = NULL;
  const struct
  {
    LersParameter parameter;
    gdouble value;
    LersValueFlags flags;
  } values[] = {
    { LERS_PARAMETER_T_IN, 0.1, LERS_VALUE_FLAG_NONE },
    { LERS_PARAMETER_T_OUT, -0.0, LERS_VALUE_FLAG_BAD },
    { LERS_PARAMETER_M_IN, 1e300, LERS_VALUE_FLAG_CALCULATED },
    { LERS_PARAMETER_M_OUT, -4.9406564584124654e-324, LERS_VALUE_FLAG_INTERPOLATED },
    { LERS_PARAMETER_V_IN, 123456789.123456789, LERS_VALUE_FLAG_RESET },
    { LERS_PARAMETER_V_OUT, INFINITY, LERS_VALUE_FLAG_BAD | LERS_VALUE_FLAG_RESET },
    { LERS_PARAMETER_Q_DELTA, 2.2250738585072014e-308, LERS_VALUE_FLAG_NONE },
  };
  LersRecord *back;

  lers_record_set_channel (record, 3);
  for (guint i = 0; i < G_N_ELEMENTS (values); i++)
    lers_record_set_value (record, values[i].parameter, values[i].value, values[i].flags);
  g_ptr_array_add (batch, record);
  ck_assert (lers_store_write_records_sync (store, point_id, batch, NULL, &error));
  lers_check_assert_no_error (error);

  got = query_all (point_id, LERS_ARCHIVE_KIND_CURRENT);
  ck_assert_uint_eq (got->len, 1);
  back = g_ptr_array_index (got, 0);
  ck_assert (g_date_time_equal (lers_record_get_timestamp (back), ts));
  ck_assert_uint_eq (lers_record_get_channel (back), 3);
  ck_assert (lers_record_equal (back, record));
  ck_assert_uint_eq (lers_record_get_n_values (back), G_N_ELEMENTS (values));
  for (guint i = 0; i < G_N_ELEMENTS (values); i++)
    {
      LersParameter parameter;
      gdouble value;
      LersValueFlags flags;
      g_autofree gchar *sql = NULL;
      g_autofree gchar *text = NULL;

      ck_assert (lers_record_get_value_at (back, i, &parameter, &value, &flags));
      ck_assert_int_eq (parameter, values[i].parameter);
      ck_assert_int_eq (flags, values[i].flags);
      ck_assert (memcmp (&value, &values[i].value, sizeof value) == 0);

      /* the SQL view for psql users unpacks the same numbers */
      sql = g_strdup_printf ("SELECT value FROM archive_values WHERE point_id = %" G_GINT64_FORMAT
                             " AND param = %d AND flags = %d",
                             point_id, values[i].parameter, values[i].flags);
      text = lers_check_sql_value (sql);
      ck_assert_ptr_nonnull (text);
      if (isinf (values[i].value))
        ck_assert_str_eq (text, "Infinity");
      else
        ck_assert_msg (g_ascii_strtod (text, NULL) == values[i].value, "%s", text);
    }
  ck_assert_int_eq (lers_check_sql_int ("SELECT length(data) FROM archive"),
                    10 * G_N_ELEMENTS (values));
}
END_TEST

START_TEST (test_archive_last_timestamp)
{
  LersStore *store = lers_check_get_store ();
  g_autoptr (GError) error = NULL;
  gint64 point_id = lers_check_make_point ();
  g_autoptr (GDateTime) start = g_date_time_new_utc (2026, 6, 29, 0, 0, 0);
  g_autoptr (GPtrArray) hours = make_hours (start, 72, 0);
  g_autoptr (GDateTime) none = NULL;
  g_autoptr (GDateTime) last = NULL;
  g_autoptr (GDateTime) expected = g_date_time_add_hours (start, 71);

  none = lers_store_get_last_timestamp_sync (store, point_id, LERS_ARCHIVE_KIND_HOUR, NULL, &error);
  lers_check_assert_no_error (error);
  ck_assert_ptr_null (none);

  ck_assert (lers_store_write_records_sync (store, point_id, hours, NULL, &error));
  last = lers_store_get_last_timestamp_sync (store, point_id, LERS_ARCHIVE_KIND_HOUR, NULL, &error);
  lers_check_assert_no_error (error);
  ck_assert_ptr_nonnull (last);
  ck_assert (g_date_time_equal (last, expected));
  none = lers_store_get_last_timestamp_sync (store, point_id, LERS_ARCHIVE_KIND_DAY, NULL, &error);
  ck_assert_ptr_null (none);
}
END_TEST

START_TEST (test_archive_bad_input)
{
  LersStore *store = lers_check_get_store ();
  g_autoptr (GError) error = NULL;
  gint64 point_id = lers_check_make_point ();
  g_autoptr (GDateTime) start = g_date_time_new_utc (2026, 7, 1, 0, 0, 0);
  g_autoptr (GPtrArray) good = make_hours (start, 100, 0);
  g_autoptr (GPtrArray) bad = make_hours (start, 100, 500);
  g_autoptr (GPtrArray) got = NULL;
  g_autoptr (GCancellable) cancellable = g_cancellable_new ();

  ck_assert (lers_store_write_records_sync (store, point_id, good, NULL, &error));

  /* one bad record fails the whole batch; the stored rows stay as they were */
  lers_record_set_channel (g_ptr_array_index (bad, 50), 100000);
  ck_assert (!lers_store_write_records_sync (store, point_id, bad, NULL, &error));
  lers_check_assert_error (error, LERS_ERROR, LERS_ERROR_INVALID_ARGUMENT);
  g_clear_error (&error);
  got = query_all (point_id, LERS_ARCHIVE_KIND_HOUR);
  ck_assert_uint_eq (got->len, 100);
  ck_assert_double_eq (record_value (g_ptr_array_index (got, 60), LERS_PARAMETER_T_IN), 60);

  ck_assert (!lers_store_write_records_sync (store, 0, good, NULL, &error));
  lers_check_assert_error (error, LERS_ERROR, LERS_ERROR_INVALID_ARGUMENT);
  g_clear_error (&error);
  ck_assert (
      !lers_store_write_records_sync (store, G_GINT64_CONSTANT (1) << 40, good, NULL, &error));
  lers_check_assert_error (error, LERS_ERROR, LERS_ERROR_INVALID_ARGUMENT);
  g_clear_error (&error);

  g_cancellable_cancel (cancellable);
  ck_assert (!lers_store_write_records_sync (store, point_id, good, cancellable, &error));
  ck_assert (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED));
}
END_TEST

START_TEST (test_delete_point_deletes_archive)
{
  LersStore *store = lers_check_get_store ();
  g_autoptr (GError) error = NULL;
  g_autoptr (LersNode) node = lers_node_new ();
  g_autoptr (LersMeasurePoint) point = lers_measure_point_new ();
  g_autoptr (LersMeasurePoint) point2 = lers_measure_point_new ();
  g_autoptr (GDateTime) start = g_date_time_new_utc (2026, 8, 1, 0, 0, 0);
  g_autoptr (GPtrArray) hours = make_hours (start, 10, 0);

  ck_assert (lers_store_save_node_sync (store, node, NULL, &error));
  lers_measure_point_set_node_id (point, lers_node_get_id (node));
  lers_measure_point_set_node_id (point2, lers_node_get_id (node));
  ck_assert (lers_store_save_measure_point_sync (store, point, NULL, &error));
  ck_assert (lers_store_save_measure_point_sync (store, point2, NULL, &error));
  ck_assert (lers_store_write_records_sync (store, lers_measure_point_get_id (point), hours, NULL,
                                            &error));
  ck_assert (lers_store_write_records_sync (store, lers_measure_point_get_id (point2), hours, NULL,
                                            &error));
  lers_check_assert_no_error (error);
  ck_assert_int_eq (lers_check_sql_int ("SELECT count(*) FROM archive"), 20);
  ck_assert (lers_store_delete_measure_point_sync (store, lers_measure_point_get_id (point), NULL,
                                                   &error));
  ck_assert_int_eq (lers_check_sql_int ("SELECT count(*) FROM archive"), 10);
  ck_assert (lers_store_delete_node_sync (store, lers_node_get_id (node), NULL, &error));
  lers_check_assert_no_error (error);
  ck_assert_int_eq (lers_check_sql_int ("SELECT count(*) FROM archive"), 0);
  ck_assert_int_eq (lers_check_sql_int ("SELECT count(*) FROM measure_points"), 0);
}
END_TEST

/* ---- migrations -------------------------------------------------------- */

static gpointer
open_thread (gpointer data)
{
  g_autoptr (LersStore) store = lers_store_new (data);
  g_autoptr (GError) error = NULL;

  if (!lers_store_open_sync (store, NULL, &error))
    return g_strdup (error->message);
  return NULL;
}

START_TEST (test_migrations_concurrent_open)
{
  LersCluster *cluster = lers_check_get_cluster ();
  g_autoptr (GError) error = NULL;
  g_autofree gchar *name = g_strdup_printf ("fresh_%d", (int) getpid ());
  g_autofree gchar *uri = NULL;
  GThread *threads[4];
  PGconn *conn;
  PGresult *res;

  ck_assert (lers_cluster_create_database (cluster, name, NULL, &error));
  lers_check_assert_no_error (error);
  uri = lers_cluster_get_uri_for_database (cluster, name);
  for (guint i = 0; i < G_N_ELEMENTS (threads); i++)
    threads[i] = g_thread_new ("open", open_thread, uri);
  for (guint i = 0; i < G_N_ELEMENTS (threads); i++)
    {
      g_autofree gchar *msg = g_thread_join (threads[i]);
      ck_assert_msg (msg == NULL, "%s", msg);
    }
  conn = PQconnectdb (uri);
  res = PQexec (conn, "SELECT count(*), min(version) FROM schema_migrations");
  ck_assert_int_eq (PQresultStatus (res), PGRES_TUPLES_OK);
  ck_assert_str_eq (PQgetvalue (res, 0, 1), "1");
  ck_assert_int_ge (atoi (PQgetvalue (res, 0, 0)), 1);
  PQclear (res);
  PQfinish (conn);
  ck_assert (lers_cluster_drop_database (cluster, name, &error));
}
END_TEST

/* ---- async ------------------------------------------------------------- */

typedef struct
{
  GMainLoop *loop;
  GThread *thread;
  GAsyncResult *result;
} AsyncData;

static void
async_cb (GObject *source, GAsyncResult *result, gpointer user_data)
{
  AsyncData *data = user_data;

  /* completes on the caller's thread, from its main loop */
  ck_assert_ptr_eq (g_thread_self (), data->thread);
  data->result = g_object_ref (result);
  g_main_loop_quit (data->loop);
}

static GAsyncResult *
async_wait (AsyncData *data)
{
  g_clear_object (&data->result);
  g_main_loop_run (data->loop);
  return data->result;
}

typedef struct
{
  GMainLoop *loop;
  guint pending;
  guint failed;
} ManyData;

static void
many_cb (GObject *source, GAsyncResult *result, gpointer user_data)
{
  ManyData *data = user_data;
  g_autoptr (GError) error = NULL;

  if (!lers_store_write_records_finish (LERS_STORE (source), result, &error))
    {
      g_printerr ("async write failed: %s\n", error->message);
      data->failed++;
    }
  if (--data->pending == 0)
    g_main_loop_quit (data->loop);
}

START_TEST (test_async_api)
{
  LersStore *store = lers_check_get_store ();
  g_autoptr (GError) error = NULL;
  g_autoptr (GMainLoop) loop = g_main_loop_new (NULL, FALSE);
  AsyncData data = { loop, g_thread_self (), NULL };
  g_autoptr (LersNode) node = lers_node_new ();
  g_autoptr (LersNode) got = NULL;
  g_autoptr (LersMeasurePoint) point = lers_measure_point_new ();
  g_autoptr (GPtrArray) nodes = NULL;
  g_autoptr (LersArchiveBatch) records = NULL;
  g_autoptr (GDateTime) start = g_date_time_new_utc (2026, 9, 1, 0, 0, 0);
  g_autoptr (GPtrArray) hours = make_hours (start, 300, 0);
  g_autoptr (GDateTime) last = NULL;
  g_autoptr (GPtrArray) batches
      = g_ptr_array_new_with_free_func ((GDestroyNotify) g_ptr_array_unref);
  ManyData many = { loop, 0, 0 };
  gint64 point_id;

  lers_store_open_async (store, NULL, async_cb, &data);
  ck_assert (lers_store_open_finish (store, async_wait (&data), &error));
  lers_check_assert_no_error (error);

  lers_node_set_title (node, "async");
  lers_store_save_node_async (store, node, NULL, async_cb, &data);
  ck_assert_int_eq (lers_node_get_id (node), 0); /* set by finish, on this thread */
  ck_assert (lers_store_save_node_finish (store, async_wait (&data), &error));
  lers_check_assert_no_error (error);
  ck_assert_int_gt (lers_node_get_id (node), 0);

  lers_store_get_node_async (store, lers_node_get_id (node), NULL, async_cb, &data);
  got = lers_store_get_node_finish (store, async_wait (&data), &error);
  lers_check_assert_no_error (error);
  ck_assert_str_eq (lers_node_get_title (got), "async");

  lers_store_list_nodes_async (store, NULL, async_cb, &data);
  nodes = lers_store_list_nodes_finish (store, async_wait (&data), &error);
  ck_assert_uint_eq (nodes->len, 1);

  lers_measure_point_set_node_id (point, lers_node_get_id (node));
  lers_store_save_measure_point_async (store, point, NULL, async_cb, &data);
  ck_assert (lers_store_save_measure_point_finish (store, async_wait (&data), &error));
  point_id = lers_measure_point_get_id (point);

  lers_store_write_records_async (store, point_id, hours, NULL, async_cb, &data);
  ck_assert (lers_store_write_records_finish (store, async_wait (&data), &error));
  lers_check_assert_no_error (error);

  lers_store_query_archive_async (store, point_id, LERS_ARCHIVE_KIND_HOUR, start, NULL, NULL,
                                  async_cb, &data);
  records = lers_store_query_archive_finish (store, async_wait (&data), &error);
  lers_check_assert_no_error (error);
  ck_assert_uint_eq (lers_archive_batch_get_n_rows (records), 300);

  lers_store_get_last_timestamp_async (store, point_id, LERS_ARCHIVE_KIND_HOUR, NULL, async_cb,
                                       &data);
  last = lers_store_get_last_timestamp_finish (store, async_wait (&data), &error);
  lers_check_assert_no_error (error);
  ck_assert_int_eq (g_date_time_get_hour (last), 299 % 24);

  lers_store_get_node_async (store, 424242, NULL, async_cb, &data);
  ck_assert_ptr_null (lers_store_get_node_finish (store, async_wait (&data), &error));
  lers_check_assert_error (error, LERS_ERROR, LERS_ERROR_NOT_FOUND);
  g_clear_error (&error);

  /* many writers at once, more than there are workers */
  for (guint i = 0; i < 20; i++)
    {
      g_autoptr (GDateTime) from = g_date_time_add_days (start, 30 * i);
      GPtrArray *batch = make_hours (from, i % 2 ? 100 : 10, i);
      g_ptr_array_add (batches, batch);
      many.pending++;
      lers_store_write_records_async (store, point_id, batch, NULL, many_cb, &many);
    }
  g_main_loop_run (loop);
  ck_assert_uint_eq (many.failed, 0);
  ck_assert_int_eq (lers_check_sql_int ("SELECT count(*) FROM archive"),
                    300 + 10 * 100 + 10 * 10 - 10);

  lers_store_delete_node_async (store, lers_node_get_id (node), NULL, async_cb, &data);
  ck_assert (lers_store_delete_node_finish (store, async_wait (&data), &error));
  lers_check_assert_no_error (error);
  g_clear_object (&data.result);
}
END_TEST

static Suite *
store_suite (void)
{
  Suite *s = suite_create ("store");
  TCase *tc = tcase_create ("objects");
  TCase *ta = tcase_create ("archive");
  TCase *tm = tcase_create ("migrations");
  TCase *ty = tcase_create ("async");

  for (guint i = 0; i < 4; i++)
    {
      TCase *t = (TCase *[]){ tc, ta, tm, ty }[i];
      tcase_add_unchecked_fixture (t, lers_check_cluster_setup, lers_check_cluster_teardown);
      tcase_add_checked_fixture (t, lers_check_store_setup, lers_check_store_teardown);
      suite_add_tcase (s, t);
    }
  tcase_add_test (tc, test_node_roundtrip);
  tcase_add_test (tc, test_device_connection_point_roundtrip);
  tcase_add_test (tc, test_delete_point_deletes_archive);
  tcase_add_test (ta, test_archive_idempotent);
  tcase_add_test (ta, test_archive_duplicates_in_batch);
  tcase_add_test (ta, test_archive_duplicates_in_order);
  tcase_add_test (ta, test_archive_range_edges);
  tcase_add_test (ta, test_archive_partitions);
  tcase_add_test (ta, test_archive_values_exact);
  tcase_add_test (ta, test_archive_last_timestamp);
  tcase_add_test (ta, test_archive_bad_input);
  tcase_add_test (tm, test_migrations_concurrent_open);
  tcase_add_test (ty, test_async_api);
  return s;
}

int
main (int argc, char **argv)
{
  lers_check_init (&argc, &argv);
  return lers_check_run_suite (store_suite ());
}
