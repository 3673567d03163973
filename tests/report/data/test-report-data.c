/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Report fields bound to a real store: a node in a territory of
 * Asia/Yekaterinburg (UTC+5, no DST), a heat point with a device, three
 * days and three hours of archive, totals and meter events with values
 * chosen here; every expected value is worked out by hand in the comments
 * (epoch seconds from `date -u -d 2026-11-01T00:00:00+05:00 +%s`). */
#include "config.h"

#include <math.h>
#include <time.h>

#include "lers-check.h"
#include "report/lers-report-data.h"

/* 2026-11-01T00:00:00+05:00 … */
#define NOV1 G_GINT64_CONSTANT (1793473200)
#define NOV2 G_GINT64_CONSTANT (1793559600)
#define NOV3 G_GINT64_CONSTANT (1793646000)
#define NOV4 G_GINT64_CONSTANT (1793732400)
#define OCT25 G_GINT64_CONSTANT (1792868400)
#define JUN15_2029 G_GINT64_CONSTANT (1876158000)
#define HOUR G_GINT64_CONSTANT (3600)
#define DAY G_GINT64_CONSTANT (86400)
#define US(seconds) ((seconds) *G_USEC_PER_SEC)

static gint64 heat_point;  /* the point with data */
static gint64 empty_point; /* a point in no node, with no data */

static GDateTime *
at (gint64 seconds)
{
  return g_date_time_new_from_unix_utc (seconds);
}

static LersRecord *
record (gint64 seconds, LersArchiveKind kind)
{
  g_autoptr (GDateTime) time = at (seconds);

  return lers_record_new (time, kind);
}

static void
add_event (GPtrArray *events, const gchar *code, gint device_code, LersMeterEventSeverity severity,
           gint64 start, gint64 end, const gchar *text)
{
  g_autoptr (GDateTime) start_time = at (start);
  LersMeterEvent *event = lers_meter_event_new (code, start_time);

  lers_meter_event_set_device_code (event, device_code);
  lers_meter_event_set_severity (event, severity);
  if (end > 0)
    {
      g_autoptr (GDateTime) end_time = at (end);
      lers_meter_event_set_end (event, end_time);
    }
  lers_meter_event_set_text (event, text);
  g_ptr_array_add (events, event);
}

static void
seed (void)
{
  LersStore *store = lers_check_get_store ();
  g_autoptr (GError) error = NULL;
  g_autoptr (LersTerritory) territory = lers_territory_new ();
  g_autoptr (LersNode) node = lers_node_new ();
  g_autoptr (LersDevice) device = lers_device_new ();
  g_autoptr (LersMeasurePoint) point = lers_measure_point_new ();
  g_autoptr (LersMeasurePoint) empty = lers_measure_point_new ();
  g_autoptr (GTimeZone) ekb = g_time_zone_new_identifier ("Asia/Yekaterinburg");
  g_autoptr (GDateTime) calibrated = g_date_time_new (ekb, 2025, 6, 15, 0, 0, 0);
  g_autoptr (GPtrArray) days = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr (GPtrArray) hours = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr (GPtrArray) totals = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr (GPtrArray) events = g_ptr_array_new_with_free_func (g_object_unref);
  LersRecord *r;

  lers_territory_set_title (territory, "Свердловская область");
  lers_territory_set_time_zone (territory, "Asia/Yekaterinburg");
  ck_assert (lers_store_save_territory_sync (store, territory, NULL, &error));
  lers_check_assert_no_error (error);

  lers_node_set_title (node, "ИТП-1");
  lers_node_set_address (node, "ул. Ленина, 5");
  lers_node_set_customer (node, "ООО «Тепло»");
  lers_node_set_contract (node, "Д-42");
  lers_node_set_territory_id (node, lers_territory_get_id (territory));
  ck_assert (lers_store_save_node_sync (store, node, NULL, &error));
  lers_check_assert_no_error (error);

  lers_device_set_protocol (device, "vkt7");
  lers_device_set_model (device, "ВКТ-7");
  lers_device_set_serial_number (device, "00123456");
  lers_device_set_network_address (device, "1");
  lers_device_set_calibration_date (device, calibrated);
  lers_device_set_calibration_interval (device, 48);
  lers_device_set_option (device, "scheme", "2");
  ck_assert (lers_store_save_device_sync (store, device, NULL, &error));
  lers_check_assert_no_error (error);

  lers_measure_point_set_title (point, "Отопление/1");
  lers_measure_point_set_node_id (point, lers_node_get_id (node));
  lers_measure_point_set_device_id (point, lers_device_get_id (device));
  lers_measure_point_set_resource (point, LERS_RESOURCE_HEAT);
  lers_measure_point_set_channel (point, 1);
  ck_assert (lers_store_save_measure_point_sync (store, point, NULL, &error));
  lers_check_assert_no_error (error);
  heat_point = lers_measure_point_get_id (point);

  lers_measure_point_set_title (empty, "Пустая точка");
  ck_assert (lers_store_save_measure_point_sync (store, empty, NULL, &error));
  lers_check_assert_no_error (error);
  empty_point = lers_measure_point_get_id (empty);

  /* three days; durations in hours as the archive stores them */
  r = record (NOV1, LERS_ARCHIVE_KIND_DAY);
  lers_record_set_value (r, LERS_PARAMETER_T_IN, 70.5, 0);
  lers_record_set_value (r, LERS_PARAMETER_T_OUT, 45.5, 0);
  lers_record_set_value (r, LERS_PARAMETER_M_IN, 10.0, 0);
  lers_record_set_value (r, LERS_PARAMETER_Q_DELTA, 1.25, 0);
  lers_record_set_value (r, LERS_PARAMETER_Q_IN, 1.3, 0);
  lers_record_set_value (r, LERS_PARAMETER_NORMAL_OPERATION_DURATION, 24.0, 0);
  lers_record_set_value (r, LERS_PARAMETER_STOP_DURATION, 0.0, 0);
  lers_record_set_value (r, LERS_PARAMETER_TEMP_DIFF_LOW_DURATION, 0.0, 0);
  lers_record_set_value (r, LERS_PARAMETER_NO_POWER_DURATION, 0.0, 0);
  g_ptr_array_add (days, r);
  /* day 2 has no Q_delta: Q falls back to Q_in */
  r = record (NOV2, LERS_ARCHIVE_KIND_DAY);
  lers_record_set_value (r, LERS_PARAMETER_T_IN, 68.0, 0);
  lers_record_set_value (r, LERS_PARAMETER_T_OUT, 44.0, 0);
  lers_record_set_value (r, LERS_PARAMETER_M_IN, 12.0, 0);
  lers_record_set_value (r, LERS_PARAMETER_Q_IN, 1.5, 0);
  lers_record_set_value (r, LERS_PARAMETER_NORMAL_OPERATION_DURATION, 22.5, 0);
  lers_record_set_value (r, LERS_PARAMETER_STOP_DURATION, 1.5, 0);
  lers_record_set_value (r, LERS_PARAMETER_TEMP_DIFF_LOW_DURATION, 2.0, 0);
  lers_record_set_value (r, LERS_PARAMETER_NO_POWER_DURATION, 0.5, 0);
  g_ptr_array_add (days, r);
  /* day 3: T_out flagged bad, no flow */
  r = record (NOV3, LERS_ARCHIVE_KIND_DAY);
  lers_record_set_value (r, LERS_PARAMETER_T_IN, 69.0, 0);
  lers_record_set_value (r, LERS_PARAMETER_T_OUT, 46.0, LERS_VALUE_FLAG_BAD);
  lers_record_set_value (r, LERS_PARAMETER_M_IN, 0.0, 0);
  lers_record_set_value (r, LERS_PARAMETER_Q_DELTA, 0.75, 0);
  lers_record_set_value (r, LERS_PARAMETER_Q_IN, 0.8, 0);
  lers_record_set_value (r, LERS_PARAMETER_NORMAL_OPERATION_DURATION, 24.0, 0);
  lers_record_set_value (r, LERS_PARAMETER_STOP_DURATION, 0.0, 0);
  lers_record_set_value (r, LERS_PARAMETER_TEMP_DIFF_LOW_DURATION, 0.0, 0);
  lers_record_set_value (r, LERS_PARAMETER_NO_POWER_DURATION, 0.0, 0);
  g_ptr_array_add (days, r);
  ck_assert (lers_store_write_records_sync (store, heat_point, days, NULL, &error));
  lers_check_assert_no_error (error);

  /* three hours of 1 November, and one just after the period of the hour
   * tests (03:00) */
  for (gint h = 0; h < 4; h++)
    {
      r = record (NOV1 + h * HOUR, LERS_ARCHIVE_KIND_HOUR);
      lers_record_set_value (r, LERS_PARAMETER_Q_DELTA, 0.05 + 0.01 * h, 0);
      lers_record_set_value (r, LERS_PARAMETER_T_IN, 70.0 + h, 0);
      g_ptr_array_add (hours, r);
    }
  ck_assert (lers_store_write_records_sync (store, heat_point, hours, NULL, &error));
  lers_check_assert_no_error (error);

  /* totals: 20 Oct, 1 Nov (the period's start), 2 Nov, 4 Nov (its end),
   * 5 Nov (after it); V_in on 4 Nov and before that only on 1 Sep,
   * before the 31-day look-back */
  r = record (NOV1 - 12 * DAY, LERS_ARCHIVE_KIND_TOTALS);
  lers_record_set_value (r, LERS_PARAMETER_M_IN, 1000.0, 0);
  lers_record_set_value (r, LERS_PARAMETER_Q_IN, 500.0, 0);
  g_ptr_array_add (totals, r);
  r = record (NOV1, LERS_ARCHIVE_KIND_TOTALS);
  lers_record_set_value (r, LERS_PARAMETER_M_IN, 1010.0, 0);
  lers_record_set_value (r, LERS_PARAMETER_Q_IN, 505.0, 0);
  g_ptr_array_add (totals, r);
  r = record (NOV2, LERS_ARCHIVE_KIND_TOTALS);
  lers_record_set_value (r, LERS_PARAMETER_M_IN, 1022.0, 0);
  lers_record_set_value (r, LERS_PARAMETER_Q_IN, 506.5, 0);
  g_ptr_array_add (totals, r);
  r = record (NOV4, LERS_ARCHIVE_KIND_TOTALS);
  lers_record_set_value (r, LERS_PARAMETER_M_IN, 1034.0, 0);
  lers_record_set_value (r, LERS_PARAMETER_Q_IN, 508.5, 0);
  lers_record_set_value (r, LERS_PARAMETER_V_IN, 9.0, 0);
  g_ptr_array_add (totals, r);
  r = record (NOV4 + DAY, LERS_ARCHIVE_KIND_TOTALS);
  lers_record_set_value (r, LERS_PARAMETER_M_IN, 1050.0, 0);
  g_ptr_array_add (totals, r);
  r = record (NOV1 - 61 * DAY, LERS_ARCHIVE_KIND_TOTALS);
  lers_record_set_value (r, LERS_PARAMETER_V_IN, 7.5, 0);
  g_ptr_array_add (totals, r);
  ck_assert (lers_store_write_records_sync (store, heat_point, totals, NULL, &error));
  lers_check_assert_no_error (error);

  /* a sensor fault from 25 Oct to 1 Nov 06:00 (an incident begun before
   * the period); a note at 01:30 and the clock set at 12:00 on 1 Nov; a
   * power cut on 2 Nov 10:00–10:30 */
  add_event (events, "sensor-fault", 7, LERS_METER_EVENT_SEVERITY_ALARM, OCT25, NOV1 + 6 * HOUR,
             "Отказ датчика t1");
  add_event (events, "other", 12, LERS_METER_EVENT_SEVERITY_INFO, NOV1 + 90 * 60, 0, NULL);
  add_event (events, "clock-set", 0, LERS_METER_EVENT_SEVERITY_INFO, NOV1 + 12 * HOUR, 0,
             "Часы установлены");
  add_event (events, "power-off", 4, LERS_METER_EVENT_SEVERITY_WARNING, NOV2 + 10 * HOUR,
             NOV2 + 10 * HOUR + 30 * 60, "Нет питания");
  ck_assert_int_eq (lers_store_write_meter_events_sync (store, heat_point, events, NULL, &error),
                    4);
  lers_check_assert_no_error (error);
}

static LersReportData *
load (const gint64 *ids, guint n_ids, LersArchiveKind kind, gint64 from, gint64 to, guint rows)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (GDateTime) from_time = at (from);
  g_autoptr (GDateTime) to_time = at (to);
  LersReportData *data;

  data = lers_report_data_load (lers_check_get_store (), ids, n_ids, kind, from_time, to_time, rows,
                                NULL, &error);
  lers_check_assert_no_error (error);
  ck_assert_ptr_nonnull (data);
  return data;
}

#define ALL_ROWS                                                                                   \
  ((1u << LERS_REPORT_ROWS_ARCHIVE) | (1u << LERS_REPORT_ROWS_EVENTS)                              \
   | (1u << LERS_REPORT_ROWS_INCIDENTS) | (1u << LERS_REPORT_ROWS_READINGS))

/* @name's value at @row of @rows */
static void
get (LersReportData *data, LersReportRows rows, const gchar *name, guint row, const gchar *language,
     LersReportValue *value)
{
  g_autoptr (GError) error = NULL;
  LersReportField field;

  ck_assert_msg (lers_report_field_lookup (name, rows, &field), "unknown field %s", name);
  ck_assert_msg (lers_report_data_resolve (data, rows, &field, row, language, value, &error),
                 "%s: %s", name, error != NULL ? error->message : "");
}

static void
assert_number (LersReportData *data, LersReportRows rows, const gchar *name, guint row,
               gdouble expected)
{
  LersReportValue value = LERS_REPORT_VALUE_INIT;

  get (data, rows, name, row, "ru", &value);
  ck_assert_msg (value.type == LERS_REPORT_VALUE_NUMBER, "%s[%u]: type %d, not a number", name, row,
                 value.type);
  ck_assert_msg (fabs (value.number - expected) < 1e-9, "%s[%u] = %.12g, not %.12g", name, row,
                 value.number, expected);
}

static void
assert_null (LersReportData *data, LersReportRows rows, const gchar *name, guint row)
{
  LersReportValue value = LERS_REPORT_VALUE_INIT;

  get (data, rows, name, row, "ru", &value);
  ck_assert_msg (value.type == LERS_REPORT_VALUE_NULL, "%s[%u]: type %d, not null", name, row,
                 value.type);
  g_free (value.string);
}

static void
assert_time (LersReportData *data, LersReportRows rows, const gchar *name, guint row,
             gint64 seconds)
{
  LersReportValue value = LERS_REPORT_VALUE_INIT;

  get (data, rows, name, row, "ru", &value);
  ck_assert_msg (value.type == LERS_REPORT_VALUE_TIME, "%s[%u]: type %d, not a time", name, row,
                 value.type);
  ck_assert_msg (value.time == US (seconds),
                 "%s[%u] = %" G_GINT64_FORMAT " µs, not %" G_GINT64_FORMAT, name, row, value.time,
                 US (seconds));
}

static void
assert_boolean (LersReportData *data, LersReportRows rows, const gchar *name, guint row,
                gboolean expected)
{
  LersReportValue value = LERS_REPORT_VALUE_INIT;

  get (data, rows, name, row, "ru", &value);
  ck_assert_msg (value.type == LERS_REPORT_VALUE_BOOLEAN, "%s[%u]: type %d, not a boolean", name,
                 row, value.type);
  ck_assert_msg (value.boolean == expected, "%s[%u] is %d", name, row, value.boolean);
}

static void
assert_text (LersReportData *data, LersReportRows rows, const gchar *name, guint row,
             const gchar *language, const gchar *expected)
{
  LersReportValue value = LERS_REPORT_VALUE_INIT;

  get (data, rows, name, row, language, &value);
  ck_assert_msg (value.type == LERS_REPORT_VALUE_STRING, "%s[%u]: type %d, not text", name, row,
                 value.type);
  ck_assert_str_eq (value.string, expected);
  g_free (value.string);
}

/* the daily archive of 1–3 November */
START_TEST (test_data_archive_rows)
{
  gint64 ids[] = { 0 };
  g_autoptr (LersReportData) data = NULL;
  const LersReportRows a = LERS_REPORT_ROWS_ARCHIVE;

  seed ();
  ids[0] = heat_point;
  data = load (ids, 1, LERS_ARCHIVE_KIND_DAY, NOV1, NOV4, ALL_ROWS);

  ck_assert_uint_eq (lers_report_data_get_n_rows (data, a), 3);
  ck_assert_str_eq (g_time_zone_get_identifier (lers_report_data_get_zone (data)),
                    "Asia/Yekaterinburg");
  /* DataDate: the start of each day in Yekaterinburg, µs UTC */
  assert_time (data, a, "DataDate", 0, NOV1);
  assert_time (data, a, "DataDate", 2, NOV3);
  assert_number (data, a, "T1", 0, 70.5);
  assert_number (data, a, "T2", 1, 44.0);
  /* a bad value is still shown; the row is Bad */
  assert_number (data, a, "T2", 2, 46.0);
  assert_number (data, a, "M1", 2, 0.0);
  /* Q: Q_delta, else Q_in (day 2) */
  assert_number (data, a, "Q", 0, 1.25);
  assert_number (data, a, "Q", 1, 1.5);
  assert_number (data, a, "Q1", 0, 1.3);
  assert_null (data, a, "Q_delta", 1);
  assert_null (data, a, "T3", 0);
  /* durations: hours × 3600 */
  assert_number (data, a, "WorkTime", 1, 22.5 * 3600); /* 81000 s */
  assert_number (data, a, "StopWorkTime", 1, 5400);
  assert_number (data, a, "NoPowerDuration", 1, 1800);
  assert_number (data, a, "TempDiffLowDuration", 1, 7200);
  /* booleans from the durations, the meter events and the flow */
  assert_boolean (data, a, "TempDiffLowExist", 0, FALSE);
  assert_boolean (data, a, "TempDiffLowExist", 1, TRUE);
  assert_boolean (data, a, "NoPowerExist", 1, TRUE);
  assert_boolean (data, a, "NoPowerExist", 2, FALSE);
  assert_boolean (data, a, "FunctionalFailureExist", 0, TRUE); /* the sensor fault until 06:00 */
  assert_boolean (data, a, "FunctionalFailureExist", 1, FALSE);
  assert_boolean (data, a, "NoFlowExist", 0, FALSE);
  assert_boolean (data, a, "NoFlowExist", 2, TRUE); /* M1 = 0 */
  assert_null (data, a, "FlowUnderrunExist", 0);    /* no FlowUnderrunDuration stored */
  /* Bad: day 1 has every parameter; day 2 lacks Q_delta; day 3 has T_out bad */
  assert_boolean (data, a, "Bad", 0, FALSE);
  assert_boolean (data, a, "Bad", 1, TRUE);
  assert_boolean (data, a, "Bad", 2, TRUE);
  /* the meter events that began in each day: notes, then errors */
  assert_text (data, a, "DeviceEventCodes", 0, "ru", "12, clock-set");
  assert_null (data, a, "DeviceErrorCodes", 0);
  assert_null (data, a, "DeviceEventCodes", 1);
  assert_text (data, a, "DeviceErrorCodes", 1, "ru", "4");
  /* НС marks */
  assert_text (data, a, "IncidentMarks", 0, "ru", "НС: ТН");
  assert_text (data, a, "IncidentMarks", 0, "en", "fault");
  assert_text (data, a, "IncidentMarks", 1, "ru", "НС: dt<, нет питания");
  assert_text (data, a, "IncidentMarks", 1, "en", "dt low, no power");
  assert_null (data, a, "IncidentMarks", 2);

  /* past the last row: an error, not a crash */
  {
    g_autoptr (GError) error = NULL;
    LersReportValue value = LERS_REPORT_VALUE_INIT;
    LersReportField field;

    ck_assert (lers_report_field_lookup ("T1", a, &field));
    ck_assert (!lers_report_data_resolve (data, a, &field, 3, "ru", &value, &error));
    lers_check_assert_error (error, LERS_ERROR, LERS_ERROR_INVALID_ARGUMENT);
  }
}
END_TEST

/* the hourly archive of 1 November 00:00–03:00 */
START_TEST (test_data_hour_rows)
{
  gint64 ids[] = { 0 };
  g_autoptr (LersReportData) data = NULL;
  const LersReportRows a = LERS_REPORT_ROWS_ARCHIVE;

  seed ();
  ids[0] = heat_point;
  data = load (ids, 1, LERS_ARCHIVE_KIND_HOUR, NOV1, NOV1 + 3 * HOUR,
               ALL_ROWS | (1u << LERS_REPORT_ROWS_POINTS));
  ck_assert_uint_eq (lers_report_data_get_n_rows (data, a), 3);
  assert_time (data, a, "DataDate", 2, NOV1 + 2 * HOUR);
  assert_number (data, a, "Q", 2, 0.07);
  /* the 01:30 note is in the 01:00 hour only */
  assert_null (data, a, "DeviceEventCodes", 0);
  assert_text (data, a, "DeviceEventCodes", 1, "en", "12");
  /* 0.05 + 0.06 + 0.07; (70 + 71 + 72) / 3 */
  assert_number (data, LERS_REPORT_ROWS_POINTS, "Sum.Q", 0, 0.18);
  assert_number (data, LERS_REPORT_ROWS_POINTS, "Avg.T1", 0, 71.0);
  assert_text (data, LERS_REPORT_ROWS_NONE, "DATA_TYPE", 0, "ru", "часовой");
  assert_text (data, LERS_REPORT_ROWS_NONE, "DATA_TYPE", 0, "en", "hourly");
}
END_TEST

/* report, point, node and device fields; readings at the boundaries */
START_TEST (test_data_point_fields)
{
  gint64 ids[] = { 0 };
  g_autoptr (LersReportData) data = NULL;
  g_autofree gchar *name = NULL;
  g_autofree gchar *expected_name = NULL;
  const LersReportRows none = LERS_REPORT_ROWS_NONE;

  seed ();
  ids[0] = heat_point;
  data = load (ids, 1, LERS_ARCHIVE_KIND_DAY, NOV1, NOV4, 0);

  assert_time (data, none, "DATE_START", 0, NOV1);
  /* [1 Nov, 4 Nov): the last day included is 3 Nov */
  assert_time (data, none, "DATE_END", 0, NOV3);
  assert_text (data, none, "DATA_TYPE", 0, "ru", "суточный");
  assert_text (data, none, "DATA_TYPE", 0, "en", "daily");
  assert_number (data, none, "PointCount", 0, 1);
  assert_text (data, none, "Point.Title", 0, "ru", "Отопление/1");
  assert_text (data, none, "Point.Address", 0, "ru", "ул. Ленина, 5");
  assert_text (data, none, "Point.CustomerTitle", 0, "ru", "ООО «Тепло»");
  assert_text (data, none, "Point.ContractNumber", 0, "ru", "Д-42");
  assert_text (data, none, "Point.HeatMeterTitle", 0, "ru", "ВКТ-7");
  assert_text (data, none, "Point.SerialNumber", 0, "ru", "00123456");
  assert_text (data, none, "Point.Resource", 0, "en", "heat");
  assert_text (data, none, "Point.Resource", 0, "ru", "отопление");
  assert_number (data, none, "Point.Channel", 0, 1);
  assert_null (data, none, "Point.ResponsibleName", 0);
  assert_null (data, none, "Point.HeatLoss", 0);
  assert_text (data, none, "Node.Title", 0, "ru", "ИТП-1");
  assert_text (data, none, "Node.Territory", 0, "ru", "Свердловская область");
  assert_text (data, none, "Node.TimeZone", 0, "ru", "Asia/Yekaterinburg");
  assert_text (data, none, "Device.Model", 0, "ru", "ВКТ-7");
  assert_text (data, none, "Device.NetworkAddress", 0, "ru", "1");
  assert_text (data, none, "Device.Protocol", 0, "ru", "vkt7");
  assert_text (data, none, "Device.Scheme", 0, "ru", "2");
  assert_null (data, none, "Device.SoftwareVersion", 0);
  /* calibrated 15 Jun 2025, every 48 months: due 15 Jun 2029 */
  assert_time (data, none, "Device.ScheduledCalibrationDate", 0, JUN15_2029);

  /* the last reading at or before 1 Nov (itself) and 4 Nov (itself) */
  assert_number (data, none, "Start.M1", 0, 1010);
  assert_number (data, none, "End.M1", 0, 1034);
  assert_number (data, none, "Delta.M1", 0, 24);
  /* Q: no Q_delta in the totals, so Q_in: 508.5 − 505 */
  assert_number (data, none, "Start.Q", 0, 505);
  assert_number (data, none, "Delta.Q", 0, 3.5);
  /* V_in read on 1 Sep, before the look-back, then on 4 Nov: 9 − 7.5 */
  assert_number (data, none, "Start.V1", 0, 7.5);
  assert_number (data, none, "End.V1", 0, 9.0);
  assert_number (data, none, "Delta.V1", 0, 1.5);
  assert_null (data, none, "Start.W", 0);

  name = lers_report_data_dup_name (data);
  expected_name = g_strdup_printf ("%" G_GINT64_FORMAT "-Отопление_1", heat_point);
  ck_assert_str_eq (name, expected_name);
}
END_TEST

/* rows "readings" (1, 2 and 4 Nov), "events" (begun in the period) and
 * "incidents" (warnings and alarms in force during it) */
START_TEST (test_data_readings_events_incidents)
{
  gint64 ids[] = { 0 };
  g_autoptr (LersReportData) data = NULL;
  const LersReportRows rd = LERS_REPORT_ROWS_READINGS;
  const LersReportRows ev = LERS_REPORT_ROWS_EVENTS;
  const LersReportRows inc = LERS_REPORT_ROWS_INCIDENTS;

  seed ();
  ids[0] = heat_point;
  data = load (ids, 1, LERS_ARCHIVE_KIND_DAY, NOV1, NOV4, ALL_ROWS);

  ck_assert_uint_eq (lers_report_data_get_n_rows (data, rd), 3);
  assert_time (data, rd, "DataDate", 0, NOV1);
  assert_time (data, rd, "DataDate", 2, NOV4);
  assert_number (data, rd, "M1", 1, 1022);
  assert_number (data, rd, "Q", 2, 508.5);

  ck_assert_uint_eq (lers_report_data_get_n_rows (data, ev), 3);
  assert_time (data, ev, "EventTime", 0, NOV1 + 90 * 60);
  assert_text (data, ev, "EventCode", 0, "ru", "12");
  assert_text (data, ev, "EventText", 0, "ru", "other"); /* no text: the code */
  assert_text (data, ev, "EventCode", 1, "ru", "clock-set");
  assert_text (data, ev, "EventText", 1, "ru", "Часы установлены");
  assert_text (data, ev, "EventCode", 2, "ru", "4");

  ck_assert_uint_eq (lers_report_data_get_n_rows (data, inc), 2);
  assert_time (data, inc, "IncidentStart", 0, OCT25);
  assert_time (data, inc, "IncidentEnd", 0, NOV1 + 6 * HOUR);
  /* 25 Oct 00:00 – 1 Nov 06:00: 7 × 86400 + 6 × 3600 */
  assert_number (data, inc, "IncidentDuration", 0, 626400);
  assert_text (data, inc, "IncidentText", 0, "ru", "Отказ датчика t1");
  assert_number (data, inc, "IncidentDuration", 1, 1800);
  assert_text (data, inc, "IncidentText", 1, "en", "Нет питания");
}
END_TEST

/* a points document: one row a point, each with its sums; a point with no
 * data gives nulls */
START_TEST (test_data_points_rows)
{
  gint64 ids[] = { 0, 0 };
  g_autoptr (LersReportData) data = NULL;
  const LersReportRows p = LERS_REPORT_ROWS_POINTS;

  seed ();
  ids[0] = heat_point;
  ids[1] = empty_point;
  data = load (ids, 2, LERS_ARCHIVE_KIND_DAY, NOV1, NOV4, 1u << LERS_REPORT_ROWS_POINTS);

  ck_assert_uint_eq (lers_report_data_get_n_rows (data, p), 2);
  assert_number (data, LERS_REPORT_ROWS_NONE, "PointCount", 0, 2);
  assert_text (data, p, "Point.Title", 0, "ru", "Отопление/1");
  assert_text (data, p, "Point.Title", 1, "ru", "Пустая точка");
  /* Q: 1.25 + 1.5 (Q_in) + 0.75 */
  assert_number (data, p, "Sum.Q", 0, 3.5);
  /* Q1: 1.3 + 1.5 + 0.8 */
  assert_number (data, p, "Sum.Q1", 0, 3.6);
  /* (70.5 + 68 + 69) / 3 */
  assert_number (data, p, "Avg.T1", 0, 207.5 / 3);
  assert_number (data, p, "Sum.M1", 0, 22);
  /* (24 + 22.5 + 24) h = 70.5 h */
  assert_number (data, p, "Sum.WorkTime", 0, 253800);
  assert_number (data, p, "Delta.M1", 0, 24);
  assert_null (data, p, "Sum.Q", 1);
  assert_null (data, p, "Avg.T1", 1);
  assert_null (data, p, "Start.M1", 1);
  assert_null (data, p, "Point.Address", 1);
  assert_null (data, p, "Node.Territory", 1);
  /* outside the table: the first point */
  assert_text (data, LERS_REPORT_ROWS_NONE, "Point.Title", 0, "ru", "Отопление/1");
  /* the archive of a points document is not loaded unless used */
  ck_assert_uint_eq (lers_report_data_get_n_rows (data, LERS_REPORT_ROWS_ARCHIVE), 0);
}
END_TEST

/* rows "incidents" and "events" of a points document: every point's, and
 * the point fields of a row are its point's */
START_TEST (test_data_points_incidents)
{
  gint64 ids[] = { 0, 0 };
  g_autoptr (LersReportData) data = NULL;
  const LersReportRows inc = LERS_REPORT_ROWS_INCIDENTS;

  seed ();
  ids[0] = empty_point;
  ids[1] = heat_point;
  data = load (ids, 2, LERS_ARCHIVE_KIND_DAY, NOV1, NOV4,
               (1u << LERS_REPORT_ROWS_INCIDENTS) | (1u << LERS_REPORT_ROWS_EVENTS));
  /* the empty point has none; the heat point its two */
  ck_assert_uint_eq (lers_report_data_get_n_rows (data, inc), 2);
  ck_assert_uint_eq (lers_report_data_get_n_rows (data, LERS_REPORT_ROWS_EVENTS), 3);
  assert_text (data, inc, "Point.Title", 1, "ru", "Отопление/1");
  assert_text (data, inc, "Node.Address", 0, "ru", "ул. Ленина, 5");
  assert_number (data, inc, "IncidentDuration", 1, 1800);
  assert_text (data, LERS_REPORT_ROWS_EVENTS, "Point.Title", 2, "en", "Отопление/1");
  /* outside the tables: the first point */
  assert_text (data, LERS_REPORT_ROWS_NONE, "Point.Title", 0, "ru", "Пустая точка");
}
END_TEST

/* a point with no data: every table empty, every value null; the time
 * zone of a point in no node is the server's (UTC in tests) */
START_TEST (test_data_empty_point)
{
  gint64 ids[] = { 0 };
  g_autoptr (LersReportData) data = NULL;

  seed ();
  ids[0] = empty_point;
  data = load (ids, 1, LERS_ARCHIVE_KIND_DAY, NOV1, NOV4, ALL_ROWS);
  ck_assert_uint_eq (lers_report_data_get_n_rows (data, LERS_REPORT_ROWS_ARCHIVE), 0);
  ck_assert_uint_eq (lers_report_data_get_n_rows (data, LERS_REPORT_ROWS_EVENTS), 0);
  ck_assert_uint_eq (lers_report_data_get_n_rows (data, LERS_REPORT_ROWS_INCIDENTS), 0);
  ck_assert_uint_eq (lers_report_data_get_n_rows (data, LERS_REPORT_ROWS_READINGS), 0);
  assert_null (data, LERS_REPORT_ROWS_NONE, "Start.M1", 0);
  assert_null (data, LERS_REPORT_ROWS_NONE, "Node.Title", 0);
  assert_null (data, LERS_REPORT_ROWS_NONE, "Device.Model", 0);
  assert_null (data, LERS_REPORT_ROWS_NONE, "Point.CustomerTitle", 0);
  assert_text (data, LERS_REPORT_ROWS_NONE, "Node.TimeZone", 0, "ru", "UTC");
  /* [31 Oct 19:00Z, 3 Nov 19:00Z) in UTC: the last day included is 3 Nov,
   * which starts at 00:00Z, 5 h after 3 Nov 00:00+05 */
  assert_time (data, LERS_REPORT_ROWS_NONE, "DATE_END", 0, NOV3 + 5 * HOUR);
}
END_TEST

/* a point that does not exist, no points, a period backwards */
START_TEST (test_data_errors)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (GDateTime) from = at (NOV1);
  g_autoptr (GDateTime) to = at (NOV4);
  gint64 ids[] = { 0, 0 };
  LersReportData *data;

  seed ();
  ids[0] = heat_point;
  ids[1] = heat_point + 1000;
  data = lers_report_data_load (lers_check_get_store (), ids, 2, LERS_ARCHIVE_KIND_DAY, from, to,
                                ALL_ROWS, NULL, &error);
  ck_assert_ptr_null (data);
  lers_check_assert_error (error, LERS_ERROR, LERS_ERROR_NOT_FOUND);
  g_clear_error (&error);

  data = lers_report_data_load (lers_check_get_store (), ids, 0, LERS_ARCHIVE_KIND_DAY, from, to,
                                ALL_ROWS, NULL, &error);
  ck_assert_ptr_null (data);
  lers_check_assert_error (error, LERS_ERROR, LERS_ERROR_INVALID_ARGUMENT);
  g_clear_error (&error);

  data = lers_report_data_load (lers_check_get_store (), ids, 1, LERS_ARCHIVE_KIND_DAY, to, from,
                                ALL_ROWS, NULL, &error);
  ck_assert_ptr_null (data);
  lers_check_assert_error (error, LERS_ERROR, LERS_ERROR_INVALID_ARGUMENT);
}
END_TEST

/* the binding the layout reads through gives the same rows and values */
START_TEST (test_data_binding)
{
  gint64 ids[] = { 0 };
  g_autoptr (LersReportData) data = NULL;
  g_autoptr (GError) error = NULL;
  LersReportBinding binding = { 0 };
  LersReportValue value = LERS_REPORT_VALUE_INIT;
  LersReportField field;

  seed ();
  ids[0] = heat_point;
  data = load (ids, 1, LERS_ARCHIVE_KIND_DAY, NOV1, NOV4, ALL_ROWS);
  lers_report_data_init_binding (data, &binding);
  ck_assert_ptr_eq (binding.zone, lers_report_data_get_zone (data));
  ck_assert_uint_eq (binding.n_rows (binding.user_data, LERS_REPORT_ROWS_ARCHIVE), 3);
  ck_assert (lers_report_field_lookup ("T1", LERS_REPORT_ROWS_ARCHIVE, &field));
  ck_assert (binding.resolve (binding.user_data, LERS_REPORT_ROWS_ARCHIVE, &field, 1, "ru", &value,
                              &error));
  lers_check_assert_no_error (error);
  ck_assert_int_eq (value.type, LERS_REPORT_VALUE_NUMBER);
  ck_assert (value.number == 68.0);
}
END_TEST

static Suite *
report_data_suite (void)
{
  Suite *s = suite_create ("report-data");
  TCase *tc = tcase_create ("store");

  tcase_add_unchecked_fixture (tc, lers_check_cluster_setup, lers_check_cluster_teardown);
  tcase_add_checked_fixture (tc, lers_check_store_setup, lers_check_store_teardown);
  tcase_add_test (tc, test_data_archive_rows);
  tcase_add_test (tc, test_data_hour_rows);
  tcase_add_test (tc, test_data_point_fields);
  tcase_add_test (tc, test_data_readings_events_incidents);
  tcase_add_test (tc, test_data_points_rows);
  tcase_add_test (tc, test_data_points_incidents);
  tcase_add_test (tc, test_data_empty_point);
  tcase_add_test (tc, test_data_errors);
  tcase_add_test (tc, test_data_binding);
  suite_add_tcase (s, tc);
  return s;
}

int
main (int argc, char **argv)
{
  /* a point with no node is shown in the server's zone: UTC here, run
   * from meson or not (test_data_empty_point) */
  g_setenv ("TZ", "UTC", TRUE);
  tzset ();
  lers_check_init (&argc, &argv);
  return lers_check_run_suite (report_data_suite ());
}
