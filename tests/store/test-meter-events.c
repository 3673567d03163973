/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Meter events in the store: written idempotently per measure point, an
 * end reported later updates the row, listed by range in order, deleted
 * with their point; bad events are refused with nothing stored. Rows are
 * checked with SQL on a connection of the test's own. */
#include <check.h>
#include <libpq-fe.h>
#include <lers.h>
#include <stdlib.h>

#include "lers-check.h"

/* 2026-11-24 at @hour:@minute UTC */
static GDateTime *
at (gint hour, gint minute)
{
  return g_date_time_new_utc (2026, 11, 24, hour, minute, 0);
}

static LersMeterEvent *
make_event (const gchar *code, gint device_code, const gchar *text, gint start_hour, gint end_hour,
            LersMeterEventSeverity severity)
{
  g_autoptr (GDateTime) start = at (start_hour, 0);
  LersMeterEvent *event = lers_meter_event_new (code, start);

  lers_meter_event_set_device_code (event, device_code);
  lers_meter_event_set_text (event, text);
  lers_meter_event_set_severity (event, severity);
  lers_meter_event_set_channel (event, 1);
  if (end_hour >= 0)
    {
      g_autoptr (GDateTime) end = at (end_hour, 0);
      lers_meter_event_set_end (event, end);
    }
  return event;
}

/* three events of one device log, out of order on purpose */
static GPtrArray *
sample_events (void)
{
  GPtrArray *events = g_ptr_array_new_with_free_func (g_object_unref);

  g_ptr_array_add (events, make_event ("sensor-fault", 12, "Обрыв датчика t1", 9, -1,
                                       LERS_METER_EVENT_SEVERITY_ALARM));
  g_ptr_array_add (events, make_event ("power-off", 3, "Отключение питания", 2, 3,
                                       LERS_METER_EVENT_SEVERITY_WARNING));
  g_ptr_array_add (events,
                   make_event ("clock-set", 40, NULL, 5, -1, LERS_METER_EVENT_SEVERITY_INFO));
  return events;
}

static gint64
count_events (gint64 point_id)
{
  g_autofree gchar *sql = g_strdup_printf (
      "SELECT count(*) FROM meter_events WHERE point_id = %" G_GINT64_FORMAT, point_id);
  return lers_check_sql_int (sql);
}

START_TEST (test_migration_applied)
{
  /* on a fresh database: migration 5 recorded, the table and its key there */
  ck_assert_int_eq (lers_check_sql_int ("SELECT count(*) FROM schema_migrations WHERE version = 5"),
                    1);
  ck_assert_int_eq (
      lers_check_sql_int ("SELECT count(*) FROM information_schema.columns"
                          " WHERE table_name = 'meter_events' AND column_name IN ('point_id',"
                          " 'device_id', 'channel', 'code', 'device_code', 'text', 'started_at',"
                          " 'ended_at', 'severity', 'recorded_at')"),
      10);
  ck_assert_int_eq (lers_check_sql_int ("SELECT count(*) FROM pg_indexes WHERE indexname ="
                                        " 'meter_events_point_started_idx'"),
                    1);
}
END_TEST

START_TEST (test_write_twice_is_idempotent)
{
  LersStore *store = lers_check_get_store ();
  gint64 point_id = lers_check_make_point ();
  g_autoptr (GPtrArray) events = sample_events ();
  g_autoptr (GError) error = NULL;
  g_autofree gchar *sql = NULL;
  g_autofree gchar *row = NULL;
  gint n;

  n = lers_store_write_meter_events_sync (store, point_id, events, NULL, &error);
  lers_check_assert_no_error (error);
  ck_assert_int_eq (n, 3);
  ck_assert_int_eq (count_events (point_id), 3);

  /* the same events again: nothing new, nothing changed, no new rows */
  n = lers_store_write_meter_events_sync (store, point_id, events, NULL, &error);
  lers_check_assert_no_error (error);
  ck_assert_int_eq (n, 0);
  ck_assert_int_eq (count_events (point_id), 3);

  /* the row as psql shows it: power-off from 02:00 to 03:00 UTC, warning (1) */
  sql = g_strdup_printf (
      "SELECT code || '|' || device_code || '|' || text || '|' || channel || '|' || severity"
      " || '|' || to_char(started_at AT TIME ZONE 'UTC', 'YYYY-MM-DD HH24:MI')"
      " || '|' || to_char(ended_at AT TIME ZONE 'UTC', 'YYYY-MM-DD HH24:MI')"
      " FROM meter_events WHERE point_id = %" G_GINT64_FORMAT " AND device_code = 3",
      point_id);
  row = lers_check_sql_value (sql);
  ck_assert_str_eq (row, "power-off|3|Отключение питания|1|1|2026-11-24 02:00|2026-11-24 03:00");
}
END_TEST

START_TEST (test_same_fault_on_two_channels)
{
  /* a two-circuit meter logs one sensor fault at the same moment on both
   * circuits: two events, and writing them again changes nothing */
  LersStore *store = lers_check_get_store ();
  gint64 point_id = lers_check_make_point ();
  g_autoptr (GPtrArray) events = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr (GError) error = NULL;
  g_autofree gchar *sql = NULL;
  g_autofree gchar *channels = NULL;
  LersMeterEvent *second;

  g_ptr_array_add (events, make_event ("sensor-fault", 12, "Обрыв датчика t1", 9, -1,
                                       LERS_METER_EVENT_SEVERITY_ALARM));
  second
      = make_event ("sensor-fault", 12, "Обрыв датчика t1", 9, -1, LERS_METER_EVENT_SEVERITY_ALARM);
  lers_meter_event_set_channel (second, 0);
  g_ptr_array_add (events, second);
  ck_assert_int_eq (lers_store_write_meter_events_sync (store, point_id, events, NULL, &error), 2);
  lers_check_assert_no_error (error);
  ck_assert_int_eq (lers_store_write_meter_events_sync (store, point_id, events, NULL, &error), 0);
  lers_check_assert_no_error (error);
  sql = g_strdup_printf ("SELECT string_agg(channel::text, ',' ORDER BY channel) FROM meter_events"
                         " WHERE point_id = %" G_GINT64_FORMAT,
                         point_id);
  channels = lers_check_sql_value (sql);
  ck_assert_str_eq (channels, "0,1");
}
END_TEST

START_TEST (test_end_reported_later)
{
  LersStore *store = lers_check_get_store ();
  gint64 point_id = lers_check_make_point ();
  g_autoptr (GPtrArray) events = sample_events ();
  g_autoptr (GPtrArray) again = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr (GPtrArray) without_end = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr (GError) error = NULL;
  g_autofree gchar *sql = NULL;
  g_autofree gchar *end = NULL;
  g_autofree gchar *end2 = NULL;

  ck_assert_int_eq (lers_store_write_meter_events_sync (store, point_id, events, NULL, &error), 3);
  /* the sensor fault of 09:00 has ended at 11:00: one event changed */
  g_ptr_array_add (again, make_event ("sensor-fault", 12, "Обрыв датчика t1", 9, 11,
                                      LERS_METER_EVENT_SEVERITY_ALARM));
  ck_assert_int_eq (lers_store_write_meter_events_sync (store, point_id, again, NULL, &error), 1);
  lers_check_assert_no_error (error);
  ck_assert_int_eq (count_events (point_id), 3);
  sql = g_strdup_printf ("SELECT to_char(ended_at AT TIME ZONE 'UTC', 'HH24:MI') FROM meter_events"
                         " WHERE point_id = %" G_GINT64_FORMAT " AND device_code = 12",
                         point_id);
  end = lers_check_sql_value (sql);
  ck_assert_str_eq (end, "11:00");

  /* a later read that no longer knows the end keeps it: nothing changed */
  g_ptr_array_add (without_end, make_event ("sensor-fault", 12, "Обрыв датчика t1", 9, -1,
                                            LERS_METER_EVENT_SEVERITY_ALARM));
  ck_assert_int_eq (lers_store_write_meter_events_sync (store, point_id, without_end, NULL, &error),
                    0);
  end2 = lers_check_sql_value (sql);
  ck_assert_str_eq (end2, "11:00");
}
END_TEST

START_TEST (test_list_by_range_in_order)
{
  LersStore *store = lers_check_get_store ();
  gint64 point_id = lers_check_make_point ();
  gint64 other_id = lers_check_make_point ();
  g_autoptr (GPtrArray) events = sample_events ();
  g_autoptr (GPtrArray) listed = NULL;
  g_autoptr (GPtrArray) all = NULL;
  g_autoptr (GError) error = NULL;
  g_autoptr (GDateTime) from = at (2, 0);
  g_autoptr (GDateTime) to = at (9, 0);
  g_autoptr (GDateTime) expect_end = at (3, 0);
  LersMeterEvent *first, *second;

  ck_assert_int_eq (lers_store_write_meter_events_sync (store, point_id, events, NULL, &error), 3);
  /* another point's events are not listed */
  ck_assert_int_eq (lers_store_write_meter_events_sync (store, other_id, events, NULL, &error), 3);

  /* [02:00, 09:00): the power cut at 02:00 (from is included) and the
   * clock set at 05:00; the sensor fault at 09:00 is at `to`, left out */
  listed = lers_store_list_meter_events_sync (store, point_id, from, to, NULL, &error);
  lers_check_assert_no_error (error);
  ck_assert_uint_eq (listed->len, 2);
  first = g_ptr_array_index (listed, 0);
  second = g_ptr_array_index (listed, 1);
  ck_assert_str_eq (lers_meter_event_get_code (first), "power-off");
  ck_assert_int_eq (lers_meter_event_get_device_code (first), 3);
  ck_assert_str_eq (lers_meter_event_get_text (first), "Отключение питания");
  ck_assert_int_eq (lers_meter_event_get_point_id (first), point_id);
  ck_assert_uint_eq (lers_meter_event_get_channel (first), 1);
  ck_assert_int_eq (lers_meter_event_get_severity (first), LERS_METER_EVENT_SEVERITY_WARNING);
  ck_assert (g_date_time_equal (lers_meter_event_get_start (first), from));
  ck_assert (g_date_time_equal (lers_meter_event_get_end (first), expect_end));
  ck_assert_int_gt (lers_meter_event_get_id (first), 0);
  ck_assert_str_eq (lers_meter_event_get_code (second), "clock-set");
  ck_assert_ptr_null (lers_meter_event_get_text (second));
  ck_assert_ptr_null (lers_meter_event_get_end (second));

  /* no bounds: all three, by start */
  all = lers_store_list_meter_events_sync (store, point_id, NULL, NULL, NULL, &error);
  lers_check_assert_no_error (error);
  ck_assert_uint_eq (all->len, 3);
  ck_assert_str_eq (lers_meter_event_get_code (g_ptr_array_index (all, 2)), "sensor-fault");
}
END_TEST

START_TEST (test_delete_point_deletes_events)
{
  LersStore *store = lers_check_get_store ();
  gint64 point_id = lers_check_make_point ();
  gint64 kept_id = lers_check_make_point ();
  g_autoptr (GPtrArray) events = sample_events ();
  g_autoptr (GError) error = NULL;

  ck_assert_int_eq (lers_store_write_meter_events_sync (store, point_id, events, NULL, &error), 3);
  ck_assert_int_eq (lers_store_write_meter_events_sync (store, kept_id, events, NULL, &error), 3);
  ck_assert (lers_store_delete_measure_point_sync (store, point_id, NULL, &error));
  lers_check_assert_no_error (error);
  ck_assert_int_eq (count_events (point_id), 0);
  ck_assert_int_eq (count_events (kept_id), 3);
}
END_TEST

START_TEST (test_bad_events_refused)
{
  LersStore *store = lers_check_get_store ();
  gint64 point_id = lers_check_make_point ();
  g_autoptr (GPtrArray) events = sample_events ();
  g_autoptr (GPtrArray) no_start = sample_events ();
  g_autoptr (GPtrArray) backwards = sample_events ();
  g_autoptr (GDateTime) early = at (1, 0);
  g_autoptr (GError) error = NULL;
  g_autoptr (GPtrArray) none = NULL;

  /* the last event of the batch has no start: nothing of the batch stored */
  lers_meter_event_set_start (g_ptr_array_index (no_start, 2), NULL);
  ck_assert_int_eq (lers_store_write_meter_events_sync (store, point_id, no_start, NULL, &error),
                    -1);
  lers_check_assert_error (error, LERS_ERROR, LERS_ERROR_INVALID_ARGUMENT);
  g_clear_error (&error);

  /* an end before the start (09:00 → 01:00) */
  lers_meter_event_set_end (g_ptr_array_index (backwards, 0), early);
  ck_assert_int_eq (lers_store_write_meter_events_sync (store, point_id, backwards, NULL, &error),
                    -1);
  lers_check_assert_error (error, LERS_ERROR, LERS_ERROR_INVALID_ARGUMENT);
  g_clear_error (&error);
  ck_assert_int_eq (count_events (point_id), 0);

  /* no such point, for writing and for listing */
  ck_assert_int_eq (
      lers_store_write_meter_events_sync (store, point_id + 100, events, NULL, &error), -1);
  lers_check_assert_error (error, LERS_ERROR, LERS_ERROR_NOT_FOUND);
  g_clear_error (&error);
  none = lers_store_list_meter_events_sync (store, point_id + 100, NULL, NULL, NULL, &error);
  ck_assert_ptr_null (none);
  lers_check_assert_error (error, LERS_ERROR, LERS_ERROR_NOT_FOUND);
  g_clear_error (&error);
  ck_assert_int_eq (lers_check_sql_int ("SELECT count(*) FROM meter_events"), 0);

  /* a device's text that is not UTF-8 (CP1251 "Сбой") is stored made valid */
  {
    g_autoptr (GPtrArray) cp1251 = g_ptr_array_new_with_free_func (g_object_unref);
    g_autofree gchar *text = NULL;

    g_ptr_array_add (cp1251, make_event ("other", 99, "\xd1\xe1\xee\xe9", 4, -1,
                                         LERS_METER_EVENT_SEVERITY_INFO));
    ck_assert_int_eq (lers_store_write_meter_events_sync (store, point_id, cp1251, NULL, &error),
                      1);
    lers_check_assert_no_error (error);
    text = lers_check_sql_value ("SELECT text FROM meter_events WHERE device_code = 99");
    ck_assert_str_eq (text, "\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd");
    lers_check_sql_exec ("DELETE FROM meter_events");
  }

  /* a point id that cannot be one */
  ck_assert_int_eq (lers_store_write_meter_events_sync (store, -5, events, NULL, &error), -1);
  lers_check_assert_error (error, LERS_ERROR, LERS_ERROR_INVALID_ARGUMENT);
}
END_TEST

static void
async_done_cb (GObject *source, GAsyncResult *result, gpointer user_data)
{
  *(GAsyncResult **) user_data = g_object_ref (result);
}

static GAsyncResult *
wait_result (GAsyncResult **slot)
{
  while (*slot == NULL)
    g_main_context_iteration (NULL, TRUE);
  return *slot;
}

START_TEST (test_async)
{
  LersStore *store = lers_check_get_store ();
  gint64 point_id = lers_check_make_point ();
  g_autoptr (GPtrArray) events = sample_events ();
  g_autoptr (GPtrArray) listed = NULL;
  g_autoptr (GError) error = NULL;
  g_autoptr (GAsyncResult) r1 = NULL;
  g_autoptr (GAsyncResult) r2 = NULL;
  g_autoptr (GAsyncResult) r3 = NULL;
  g_autoptr (GPtrArray) no_start = sample_events ();

  lers_store_write_meter_events_async (store, point_id, events, NULL, async_done_cb, &r1);
  ck_assert_int_eq (lers_store_write_meter_events_finish (store, wait_result (&r1), &error), 3);
  lers_check_assert_no_error (error);
  lers_store_list_meter_events_async (store, point_id, NULL, NULL, NULL, async_done_cb, &r2);
  listed = lers_store_list_meter_events_finish (store, wait_result (&r2), &error);
  lers_check_assert_no_error (error);
  ck_assert_uint_eq (listed->len, 3);
  ck_assert_str_eq (lers_meter_event_get_code (g_ptr_array_index (listed, 0)), "power-off");

  /* a refused batch is reported through the callback too */
  lers_meter_event_set_start (g_ptr_array_index (no_start, 0), NULL);
  lers_store_write_meter_events_async (store, point_id, no_start, NULL, async_done_cb, &r3);
  ck_assert_int_eq (lers_store_write_meter_events_finish (store, wait_result (&r3), &error), -1);
  lers_check_assert_error (error, LERS_ERROR, LERS_ERROR_INVALID_ARGUMENT);
}
END_TEST

START_TEST (test_device_id_from_point)
{
  LersStore *store = lers_check_get_store ();
  g_autoptr (LersDevice) device = lers_device_new ();
  g_autoptr (LersMeasurePoint) point = lers_measure_point_new ();
  g_autoptr (GPtrArray) events = sample_events ();
  g_autoptr (GError) error = NULL;
  g_autofree gchar *sql = NULL;

  lers_device_set_serial_number (device, "10000042");
  ck_assert (lers_store_save_device_sync (store, device, NULL, &error));
  lers_measure_point_set_device_id (point, lers_device_get_id (device));
  ck_assert (lers_store_save_measure_point_sync (store, point, NULL, &error));
  lers_check_assert_no_error (error);
  ck_assert_int_eq (lers_store_write_meter_events_sync (store, lers_measure_point_get_id (point),
                                                        events, NULL, &error),
                    3);
  /* events with no device of their own get the point's */
  sql = g_strdup_printf ("SELECT count(*) FROM meter_events WHERE device_id = %" G_GINT64_FORMAT,
                         lers_device_get_id (device));
  ck_assert_int_eq (lers_check_sql_int (sql), 3);
}
END_TEST

START_TEST (test_generic_calls)
{
  LersStore *store = lers_check_get_store ();
  gint64 point_id = lers_check_make_point ();
  g_autoptr (GPtrArray) events = sample_events ();
  g_autoptr (LersStoreQuery) query = lers_store_query_new ();
  g_autoptr (GPtrArray) alarms = NULL;
  g_autoptr (GObject) got = NULL;
  g_autoptr (GDateTime) nine = at (9, 0);
  g_autoptr (GError) error = NULL;
  LersMeterEvent *alarm;

  ck_assert_int_eq (lers_store_write_meter_events_sync (store, point_id, events, NULL, &error), 3);
  /* the generic calls know the type: the alarms of the point */
  lers_store_query_add_filter_int64 (query, "point-id", LERS_STORE_OP_EQ, point_id);
  lers_store_query_add_filter_int64 (query, "severity", LERS_STORE_OP_EQ,
                                     LERS_METER_EVENT_SEVERITY_ALARM);
  alarms = lers_store_list_sync (store, LERS_TYPE_METER_EVENT, query, NULL, &error);
  lers_check_assert_no_error (error);
  ck_assert_uint_eq (alarms->len, 1);
  alarm = g_ptr_array_index (alarms, 0);
  ck_assert_str_eq (lers_meter_event_get_code (alarm), "sensor-fault");
  ck_assert (g_date_time_equal (lers_meter_event_get_start (alarm), nine));

  got = lers_store_get_sync (store, LERS_TYPE_METER_EVENT, lers_meter_event_get_id (alarm), NULL,
                             &error);
  lers_check_assert_no_error (error);
  ck_assert_int_eq (lers_meter_event_get_device_code (LERS_METER_EVENT (got)), 12);
  ck_assert (lers_store_delete_sync (store, LERS_TYPE_METER_EVENT, lers_meter_event_get_id (alarm),
                                     NULL, &error));
  ck_assert_int_eq (count_events (point_id), 2);
}
END_TEST

int
main (int argc, char **argv)
{
  Suite *s = suite_create ("store-meter-events");
  TCase *tc = tcase_create ("meter-events");

  lers_check_init (&argc, &argv);
  tcase_add_unchecked_fixture (tc, lers_check_cluster_setup, lers_check_cluster_teardown);
  tcase_add_checked_fixture (tc, lers_check_store_setup, lers_check_store_teardown);
  tcase_add_test (tc, test_migration_applied);
  tcase_add_test (tc, test_write_twice_is_idempotent);
  tcase_add_test (tc, test_same_fault_on_two_channels);
  tcase_add_test (tc, test_end_reported_later);
  tcase_add_test (tc, test_list_by_range_in_order);
  tcase_add_test (tc, test_delete_point_deletes_events);
  tcase_add_test (tc, test_bad_events_refused);
  tcase_add_test (tc, test_async);
  tcase_add_test (tc, test_device_id_from_point);
  tcase_add_test (tc, test_generic_calls);
  suite_add_tcase (s, tc);
  return lers_check_run_suite (s);
}
