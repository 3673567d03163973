/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The universal console (issue 12 item 6): the reading file (round trip, a
 * table of bad files with the exact error code and JSON path), `lers sync`
 * into a throwaway database (rows, idempotence, no device, several
 * devices), and `lers read` against a simulated M-Bus meter. */
#include <check.h>
#include <glib/gstdio.h>
#include <json-glib/json-glib.h>
#include <lers.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "lers-check.h"

/* ---- the file ----------------------------------------------------------- */

static GDateTime *
utc (const gchar *iso)
{
  GDateTime *dt = g_date_time_new_from_iso8601 (iso, NULL);
  ck_assert_msg (dt != NULL, "%s", iso);
  return dt;
}

/* 24 hourly records of channel 0 from 2026-11-29T00:00Z, T_in = 60 + h/4 °C
 * and Q_in = 0.1·h Gcal (0.1 has no exact binary form: the round trip must
 * keep every bit), the hour 5 flagged bad; two day records of channel 1;
 * one event of channel 0. */
static LersReadingFile *
make_file (const gchar *serial, const gchar *model)
{
  LersReadingFile *file = lers_reading_file_new ();
  g_autoptr (LersDevice) device = lers_device_new ();
  g_autoptr (GPtrArray) records = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr (GPtrArray) events = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr (GDateTime) read_at = utc ("2026-11-30T07:00:00Z");
  g_autoptr (GDateTime) clock = utc ("2026-11-30T07:00:42Z");
  g_autoptr (GDateTime) first = utc ("2026-11-29T00:00:00Z");
  g_autoptr (GDateTime) event_start = utc ("2026-11-29T03:15:00Z");
  g_autoptr (LersMeterEvent) event = lers_meter_event_new ("power-off", event_start);

  lers_device_set_protocol (device, "mbus");
  lers_device_set_model (device, model);
  lers_device_set_serial_number (device, serial);
  lers_device_set_network_address (device, "7");
  lers_reading_file_set_device (file, device);
  lers_reading_file_set_program (file, "lers test");
  lers_reading_file_set_read_at (file, read_at);
  lers_reading_file_set_zone (file, "Europe/Moscow");
  lers_reading_file_set_device_clock (file, clock, 42);
  for (gint h = 0; h < 24; h++)
    {
      g_autoptr (GDateTime) ts = g_date_time_add_hours (first, h);
      LersRecord *record = lers_record_new (ts, LERS_ARCHIVE_KIND_HOUR);
      lers_record_set_value (record, LERS_PARAMETER_T_IN, 60 + h / 4.0,
                             h == 5 ? LERS_VALUE_FLAG_BAD : LERS_VALUE_FLAG_NONE);
      lers_record_set_value (record, LERS_PARAMETER_Q_IN, 0.1 * h, LERS_VALUE_FLAG_NONE);
      g_ptr_array_add (records, record);
    }
  for (gint d = 0; d < 2; d++)
    {
      g_autoptr (GDateTime) ts = g_date_time_add_days (first, d - 1);
      LersRecord *record = lers_record_new (ts, LERS_ARCHIVE_KIND_DAY);
      lers_record_set_channel (record, 1);
      lers_record_set_value (record, LERS_PARAMETER_M_IN, 12.5 + d, LERS_VALUE_FLAG_NONE);
      g_ptr_array_add (records, record);
    }
  lers_reading_file_add_records (file, records);
  lers_meter_event_set_device_code (event, 17);
  lers_meter_event_set_text (event, "Питание отключено");
  lers_meter_event_set_severity (event, LERS_METER_EVENT_SEVERITY_ALARM);
  g_ptr_array_add (events, g_steal_pointer (&event));
  lers_reading_file_add_events (file, events);
  lers_reading_file_add_not_supported (file, "power-profile");
  return file;
}

START_TEST (test_round_trip)
{
  g_autoptr (LersReadingFile) file = make_file ("10000042", "LER-HEAT");
  g_autoptr (LersReadingFile) back = lers_reading_file_new ();
  g_autoptr (GError) error = NULL;
  g_autofree gchar *data = lers_reading_file_to_data (file, NULL);
  g_autofree gchar *again = NULL;
  GPtrArray *a;
  GPtrArray *b;
  LersMeterEvent *event;
  g_autoptr (GDateTime) event_start = utc ("2026-11-29T03:15:00Z");

  ck_assert (lers_reading_file_load_from_data (back, data, -1, &error));
  lers_check_assert_no_error (error);
  ck_assert_str_eq (lers_reading_file_get_program (back), "lers test");
  ck_assert_int_eq (g_date_time_to_unix (lers_reading_file_get_read_at (back)), 1796022000);
  ck_assert_str_eq (lers_device_get_protocol (lers_reading_file_get_device (back)), "mbus");
  ck_assert_str_eq (lers_device_get_model (lers_reading_file_get_device (back)), "LER-HEAT");
  ck_assert_str_eq (lers_device_get_serial_number (lers_reading_file_get_device (back)),
                    "10000042");
  ck_assert_str_eq (lers_device_get_network_address (lers_reading_file_get_device (back)), "7");
  ck_assert_str_eq (lers_reading_file_get_zone (back), "Europe/Moscow");
  ck_assert_int_eq (g_date_time_to_unix (lers_reading_file_get_device_clock (back)), 1796022042);
  ck_assert_int_eq (lers_reading_file_get_clock_offset (back), 42);

  a = lers_reading_file_get_records (file);
  b = lers_reading_file_get_records (back);
  ck_assert_uint_eq (b->len, 26);
  for (guint i = 0; i < a->len; i++)
    ck_assert_msg (lers_record_equal (g_ptr_array_index (a, i), g_ptr_array_index (b, i)),
                   "record %u differs after the round trip", i);

  ck_assert_uint_eq (lers_reading_file_get_events (back)->len, 1);
  event = g_ptr_array_index (lers_reading_file_get_events (back), 0);
  ck_assert_str_eq (lers_meter_event_get_code (event), "power-off");
  ck_assert_int_eq (lers_meter_event_get_device_code (event), 17);
  ck_assert_str_eq (lers_meter_event_get_text (event), "Питание отключено");
  ck_assert (g_date_time_equal (lers_meter_event_get_start (event), event_start));
  ck_assert (lers_meter_event_get_end (event) == NULL);
  ck_assert_int_eq (lers_meter_event_get_severity (event), LERS_METER_EVENT_SEVERITY_ALARM);
  ck_assert_uint_eq (g_strv_length ((gchar **) lers_reading_file_get_not_supported (back)), 1);
  ck_assert_str_eq (lers_reading_file_get_not_supported (back)[0], "power-profile");

  /* and the text itself is stable: save(load(save(x))) == save(x) */
  again = lers_reading_file_to_data (back, NULL);
  ck_assert_str_eq (again, data);
}
END_TEST

#define GOOD_HEAD                                                                                  \
  "{\"format\": \"lers-reading\", \"version\": 1, \"program\": \"lers 0.3.0\", "                   \
  "\"read_at\": \"2026-11-30T07:00:00Z\", "
#define GOOD_DEVICE "\"device\": {\"protocol\": \"mbus\", \"serial_number\": \"10000042\"}, "
#define GOOD_CLOCK "\"clock\": {\"device\": null, \"zone\": \"UTC\"}"
#define GOOD GOOD_HEAD GOOD_DEVICE GOOD_CLOCK
#define ARCHIVE(records)                                                                           \
  ", \"archives\": [{\"kind\": \"hour\", \"channel\": 0, \"records\": [" records "]}]}"
#define REC "{\"time\": \"2026-11-29T00:00:00Z\", \"values\": {\"T_in\": 61.5}}"

/* Each file is wrong in exactly one place, which the message names first. */
static const struct
{
  const gchar *data;
  const gchar *path;
} bad_files[] = {
  { "", "$: " },
  { "{\"format\": ", "$: " },
  { "[1, 2]", "$: " },
  { "\"lers-reading\"", "$: " },
  { "{\"format\": \"lers-report\", \"version\": 1}", "$.format: " },
  { "{\"version\": 1}", "$.format: " },
  { "{\"format\": \"lers-reading\", \"version\": \"1\"}", "$.version: " },
  { "{\"format\": \"lers-reading\", \"version\": 0}", "$.version: " },
  { "{\"format\": \"lers-reading\", \"version\": 1, \"read_at\": \"2026-11-30T07:00:00Z\"}",
    "$.program: " },
  { "{\"format\": \"lers-reading\", \"version\": 1, \"program\": \"x\", \"read_at\": "
    "\"yesterday\"}",
    "$.read_at: " },
  /* no offset: the file states every time in UTC */
  { "{\"format\": \"lers-reading\", \"version\": 1, \"program\": \"x\", "
    "\"read_at\": \"2026-11-30T07:00:00\"}",
    "$.read_at: " },
  { "{\"format\": \"lers-reading\", \"version\": 1, \"program\": \"x\", "
    "\"read_at\": \"1969-12-31T23:59:59Z\"}",
    "$.read_at: " },
  { GOOD_HEAD GOOD_CLOCK "}", "$.device: " },
  { GOOD_HEAD "\"device\": {\"protocol\": 5}, " GOOD_CLOCK "}", "$.device.protocol: " },
  { GOOD_HEAD "\"device\": {\"protocol\": \"\"}, " GOOD_CLOCK "}", "$.device.protocol: " },
  { GOOD_HEAD "\"device\": {\"protocol\": \"mbus\", \"serial_number\": 10000042}, " GOOD_CLOCK "}",
    "$.device.serial_number: " },
  { GOOD_HEAD GOOD_DEVICE "\"clock\": {\"zone\": \"Mars/Olympus_Mons\"}}", "$.clock.zone: " },
  { GOOD_HEAD GOOD_DEVICE
    "\"clock\": {\"device\": \"2026-11-30T07:00:00Z\", \"offset_seconds\": 1.5, \"zone\": "
    "\"UTC\"}}",
    "$.clock.offset_seconds: " },
  { GOOD_HEAD GOOD_DEVICE
    "\"clock\": {\"device\": \"2026-11-30T07:00:00Z\", \"offset_seconds\": 9999999999, "
    "\"zone\": \"UTC\"}}",
    "$.clock.offset_seconds: " },
  { GOOD ", \"archives\": {}}", "$.archives: " },
  { GOOD ", \"archives\": [{\"kind\": \"weekly\", \"channel\": 0, \"records\": []}]}",
    "$.archives[0].kind: " },
  { GOOD ", \"archives\": [{\"kind\": \"events\", \"channel\": 0, \"records\": []}]}",
    "$.archives[0].kind: " },
  { GOOD ", \"archives\": [{\"kind\": \"hour\", \"channel\": -1, \"records\": []}]}",
    "$.archives[0].channel: " },
  { GOOD ", \"archives\": [{\"kind\": \"hour\", \"channel\": 32768, \"records\": []}]}",
    "$.archives[0].channel: " },
  { GOOD ARCHIVE (REC ", {\"time\": \"2026-11-29T01:00:00Z\", \"values\": {\"T_in\": \"NaN\"}}"),
    "$.archives[0].records[1].values.T_in: " },
  { GOOD ARCHIVE ("{\"time\": \"2026-11-29T00:00:00Z\", \"values\": {\"T_in\": 1e999}}"),
    "$.archives[0].records[0].values.T_in: " },
  { GOOD ARCHIVE ("{\"time\": \"2026-11-29T00:00:00Z\", \"values\": {\"T_inlet\": 1}}"),
    "$.archives[0].records[0].values.T_inlet: " },
  { GOOD ARCHIVE ("{\"time\": \"2026-11-29T00:00:00Z\", \"values\": [61.5]}"),
    "$.archives[0].records[0].values: " },
  { GOOD ARCHIVE ("{\"time\": \"2300-01-01T00:00:00Z\", \"values\": {}}"),
    "$.archives[0].records[0].time: " },
  { GOOD ARCHIVE ("{\"values\": {}}"), "$.archives[0].records[0].time: " },
  { GOOD ARCHIVE ("{\"time\": \"2026-11-29T00:00:00Z\", \"values\": {\"T_in\": 61.5}, "
                  "\"flags\": {\"T_in\": [\"weird\"]}}"),
    "$.archives[0].records[0].flags.T_in[0]: " },
  { GOOD ARCHIVE ("{\"time\": \"2026-11-29T00:00:00Z\", \"values\": {\"T_in\": 61.5}, "
                  "\"flags\": {\"Q_in\": [\"bad\"]}}"),
    "$.archives[0].records[0].flags.Q_in: " },
  { GOOD ", \"events\": [{\"code\": \"x\", \"severity\": \"panic\", "
         "\"start\": \"2026-11-29T00:00:00Z\"}]}",
    "$.events[0].severity: " },
  { GOOD ", \"events\": [{\"code\": \"x\", \"severity\": \"info\", "
         "\"start\": \"2026-11-29T02:00:00Z\", \"end\": \"2026-11-29T01:00:00Z\"}]}",
    "$.events[0].end: " },
  { GOOD ", \"events\": [{\"code\": \"x\", \"severity\": \"info\"}]}", "$.events[0].start: " },
  { GOOD ", \"not_supported\": [1]}", "$.not_supported[0]: " },
  { GOOD ", \"archives\": [{\"kind\": \"hour\", \"channel\": 18446744073709551616, "
         "\"records\": []}]}",
    "$: " },
  /* json-glib reads the escape \333 as the byte 0xDB, which is not UTF-8 */
  { GOOD_HEAD "\"device\": {\"protocol\": \"\\333x\"}, " GOOD_CLOCK "}", "$.device.protocol: " },
  /* Latin-1 "é" is not UTF-8 */
  { "{\"format\": \"lers-reading\", \"program\": \"caf\xe9\"}", "$: " },
};

START_TEST (test_good_base)
{
  /* the bases of the table load: each bad file is bad only where it says */
  g_autoptr (LersReadingFile) file = lers_reading_file_new ();
  g_autoptr (GError) error = NULL;

  ck_assert (lers_reading_file_load_from_data (file, GOOD "}", -1, &error));
  lers_check_assert_no_error (error);
  ck_assert (lers_reading_file_load_from_data (file, GOOD ARCHIVE (REC), -1, &error));
  lers_check_assert_no_error (error);
  ck_assert_uint_eq (lers_reading_file_get_records (file)->len, 1);
  ck_assert (lers_reading_file_get_device_clock (file) == NULL);
}
END_TEST

START_TEST (test_bad_file)
{
  g_autoptr (LersReadingFile) file = make_file ("10000042", "LER-HEAT");
  g_autoptr (GError) error = NULL;

  ck_assert (!lers_reading_file_load_from_data (file, bad_files[_i].data, -1, &error));
  lers_check_assert_error (error, LERS_ERROR, LERS_ERROR_INVALID_DATA);
  ck_assert_msg (g_str_has_prefix (error->message, bad_files[_i].path),
                 "file %d: expected the fault at %s, got “%s”", _i, bad_files[_i].path,
                 error->message);
  /* a failed load keeps what the object held */
  ck_assert_uint_eq (lers_reading_file_get_records (file)->len, 26);
  ck_assert_str_eq (lers_device_get_serial_number (lers_reading_file_get_device (file)),
                    "10000042");
}
END_TEST

START_TEST (test_deep_nesting)
{
  /* the parser recurses: a deep file is refused before it runs */
  g_autoptr (LersReadingFile) file = lers_reading_file_new ();
  g_autoptr (GError) error = NULL;
  g_autofree gchar *deep = g_strnfill (100000, '[');

  ck_assert (!lers_reading_file_load_from_data (file, deep, -1, &error));
  lers_check_assert_error (error, LERS_ERROR, LERS_ERROR_INVALID_DATA);
  ck_assert_msg (strstr (error->message, "nested deeper than 16") != NULL, "%s", error->message);
}
END_TEST

START_TEST (test_newer_version)
{
  g_autoptr (LersReadingFile) file = lers_reading_file_new ();
  g_autoptr (GError) error = NULL;

  ck_assert (!lers_reading_file_load_from_data (
      file, "{\"format\": \"lers-reading\", \"version\": 2, \"program\": \"lers 9\"}", -1, &error));
  lers_check_assert_error (error, LERS_ERROR, LERS_ERROR_INVALID_DATA);
  /* the message names both versions */
  ck_assert_msg (strstr (error->message, "version 2") != NULL
                     && strstr (error->message, "version 1") != NULL,
                 "%s", error->message);
}
END_TEST

/* ---- lers sync ---------------------------------------------------------- */

static gint64 sync_device_id;
static gint64 sync_point_id;

static gint64
add_device (const gchar *model, const gchar *serial)
{
  g_autoptr (LersDevice) device = lers_device_new ();
  g_autoptr (GError) error = NULL;

  lers_device_set_protocol (device, "mbus");
  lers_device_set_model (device, model);
  lers_device_set_serial_number (device, serial);
  ck_assert (lers_store_save_device_sync (lers_check_get_store (), device, NULL, &error));
  lers_check_assert_no_error (error);
  return lers_device_get_id (device);
}

static void
sync_setup (void)
{
  g_autoptr (LersMeasurePoint) point = NULL;
  g_autoptr (GError) error = NULL;

  lers_check_store_setup ();
  sync_device_id = add_device ("LER-HEAT", "10000042");
  sync_point_id = lers_check_make_point ();
  point = lers_store_get_measure_point_sync (lers_check_get_store (), sync_point_id, NULL, &error);
  lers_check_assert_no_error (error);
  lers_measure_point_set_device_id (point, sync_device_id);
  lers_measure_point_set_channel (point, 0);
  ck_assert (lers_store_save_measure_point_sync (lers_check_get_store (), point, NULL, &error));
  lers_check_assert_no_error (error);
}

static gchar *
save_temp (LersReadingFile *file)
{
  g_autoptr (GError) error = NULL;
  gchar *path = NULL;
  gint fd = g_file_open_tmp ("lers-console-XXXXXX.json", &path, &error);

  lers_check_assert_no_error (error);
  close (fd);
  ck_assert (lers_reading_file_save_to_file (file, path, &error));
  lers_check_assert_no_error (error);
  return path;
}

static gint64 G_GNUC_PRINTF (1, 2) count_sql (const gchar *format, ...)
{
  g_autofree gchar *sql = NULL;
  va_list args;

  va_start (args, format);
  sql = g_strdup_vprintf (format, args);
  va_end (args);
  return lers_check_sql_int (sql);
}

/* The point's archive as text, with each row's xmin: a rewrite of a row,
 * even with equal values, changes its xmin. */
static gchar *
archive_fingerprint (void)
{
  g_autofree gchar *sql = g_strdup_printf (
      "SELECT string_agg(kind || ' ' || ts || ' ' || encode(data, 'hex') || ' ' || xmin, ';' "
      "ORDER BY kind, ts) FROM archive WHERE point_id = %" G_GINT64_FORMAT,
      sync_point_id);
  return lers_check_sql_value (sql);
}

/* The numbers of the summary row of point @point_id in `lers sync`'s
 * output: channel, new, changed, unchanged, events. */
static gchar *
summary_row (const gchar *out, gint64 point_id)
{
  g_auto (GStrv) lines = g_strsplit (out, "\n", -1);
  g_autofree gchar *prefix = g_strdup_printf ("%" G_GINT64_FORMAT " ", point_id);

  for (gsize i = 0; lines[i] != NULL; i++)
    {
      g_auto (GStrv) cells = NULL;
      g_strstrip (lines[i]);
      if (!g_str_has_prefix (lines[i], prefix))
        continue;
      cells = g_regex_split_simple ("\\s+", lines[i], 0, 0);
      ck_assert_uint_eq (g_strv_length (cells), 6);
      return g_strjoinv (" ", cells + 1);
    }
  ck_abort_msg ("no row for point %" G_GINT64_FORMAT " in:\n%s", point_id, out);
  return NULL;
}

START_TEST (test_sync_twice)
{
  g_autoptr (LersReadingFile) file = make_file ("10000042", "LER-HEAT");
  g_autofree gchar *path = save_temp (file);
  g_autofree gchar *out = NULL;
  g_autofree gchar *err = NULL;
  g_autofree gchar *value = NULL;
  g_autofree gchar *flags = NULL;
  g_autofree gchar *before = NULL;
  g_autofree gchar *after = NULL;
  g_autofree gchar *row = NULL;
  g_autofree gchar *row2 = NULL;
  g_autofree gchar *sql = NULL;

  ck_assert_int_eq (lers_check_run_lers (&out, &err, "sync", path, NULL), 0);
  /* channel 0: 24 hourly records new, 0 changed, 0 unchanged, 1 event;
   * the 2 day records are channel 1, which no point reads */
  row = summary_row (out, sync_point_id);
  ck_assert_str_eq (row, "0 24 0 0 1");
  ck_assert_msg (strstr (out, "Channel 1:") != NULL, "%s", out);
  ck_assert_msg (strstr (out, "Records not stored: 2") != NULL, "%s", out);
  ck_assert_int_eq (count_sql ("SELECT count(*) FROM archive WHERE point_id = %" G_GINT64_FORMAT
                               " AND kind = 1",
                               sync_point_id),
                    24);
  ck_assert_int_eq (count_sql ("SELECT count(*) FROM archive WHERE point_id = %" G_GINT64_FORMAT
                               " AND kind <> 1",
                               sync_point_id),
                    0);
  /* the file's own value: hour 6 has T_in = 60 + 6/4 = 61.5 °C, hour 5 is bad (flag 1) */
  sql = g_strdup_printf ("SELECT value FROM archive_values WHERE point_id = %" G_GINT64_FORMAT
                         " AND kind = 1 AND ts = '2026-11-29T06:00:00Z' AND param = %d",
                         sync_point_id, LERS_PARAMETER_T_IN);
  value = lers_check_sql_value (sql);
  ck_assert_str_eq (value, "61.5");
  g_free (sql);
  sql = g_strdup_printf ("SELECT flags FROM archive_values WHERE point_id = %" G_GINT64_FORMAT
                         " AND kind = 1 AND ts = '2026-11-29T05:00:00Z' AND param = %d",
                         sync_point_id, LERS_PARAMETER_T_IN);
  flags = lers_check_sql_value (sql);
  ck_assert_str_eq (flags, "1");
  ck_assert_int_eq (
      count_sql ("SELECT count(*) FROM meter_events WHERE point_id = %" G_GINT64_FORMAT
                 " AND code = 'power-off' AND device_code = 17 AND severity = 2",
                 sync_point_id),
      1);

  /* again: nothing new, nothing changed, no row rewritten */
  before = archive_fingerprint ();
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);
  ck_assert_int_eq (lers_check_run_lers (&out, &err, "sync", path, NULL), 0);
  row2 = summary_row (out, sync_point_id);
  ck_assert_str_eq (row2, "0 0 0 24 0");
  after = archive_fingerprint ();
  ck_assert_str_eq (after, before);
  ck_assert_int_eq (
      count_sql ("SELECT count(*) FROM meter_events WHERE point_id = %" G_GINT64_FORMAT,
                 sync_point_id),
      1);
}
END_TEST

START_TEST (test_sync_changed)
{
  g_autoptr (LersReadingFile) file = make_file ("10000042", "LER-HEAT");
  g_autoptr (LersReadingSync) sync = lers_reading_sync_new (lers_check_get_store ());
  g_autoptr (GError) error = NULL;
  g_autofree gchar *value = NULL;
  g_autofree gchar *sql = NULL;
  LersRecord *record;

  ck_assert (lers_reading_sync_run_sync (sync, file, NULL, &error));
  lers_check_assert_no_error (error);
  ck_assert_int_eq (lers_reading_sync_get_device_id (sync), sync_device_id);
  ck_assert_uint_eq (lers_reading_sync_get_n_points (sync), 1);
  ck_assert_int_eq (lers_reading_sync_get_point_id (sync, 0), sync_point_id);
  ck_assert_uint_eq (lers_reading_sync_get_n_new (sync, 0), 24);
  ck_assert_uint_eq (lers_reading_sync_get_n_unmapped (sync), 2);

  /* a corrected reading of hour 6: one record changed, the rest unchanged */
  record = g_ptr_array_index (lers_reading_file_get_records (file), 6);
  lers_record_set_value (record, LERS_PARAMETER_T_IN, 58.25, LERS_VALUE_FLAG_NONE);
  ck_assert (lers_reading_sync_run_sync (sync, file, NULL, &error));
  lers_check_assert_no_error (error);
  ck_assert_uint_eq (lers_reading_sync_get_n_new (sync, 0), 0);
  ck_assert_uint_eq (lers_reading_sync_get_n_changed (sync, 0), 1);
  ck_assert_uint_eq (lers_reading_sync_get_n_unchanged (sync, 0), 23);
  sql = g_strdup_printf ("SELECT value FROM archive_values WHERE point_id = %" G_GINT64_FORMAT
                         " AND kind = 1 AND ts = '2026-11-29T06:00:00Z' AND param = %d",
                         sync_point_id, LERS_PARAMETER_T_IN);
  value = lers_check_sql_value (sql);
  ck_assert_str_eq (value, "58.25");
}
END_TEST

START_TEST (test_sync_keeps_other_parameters)
{
  /* the stored hour 6 has T_in, Q_in and M_in; a file with T_in and Q_in
   * only must not erase M_in, and a file agreeing with the store changes
   * nothing */
  g_autoptr (LersReadingFile) file = make_file ("10000042", "LER-HEAT");
  g_autoptr (LersReadingFile) subset = make_file ("10000042", "LER-HEAT");
  g_autoptr (LersReadingSync) sync = lers_reading_sync_new (lers_check_get_store ());
  g_autoptr (GError) error = NULL;
  g_autofree gchar *sql = NULL;
  g_autofree gchar *m_in = NULL;

  /* the first file's hour 6 also has M_in = 7.75 t */
  lers_record_set_value (g_ptr_array_index (lers_reading_file_get_records (file), 6),
                         LERS_PARAMETER_M_IN, 7.75, LERS_VALUE_FLAG_NONE);
  ck_assert (lers_reading_sync_run_sync (sync, file, NULL, &error));
  lers_check_assert_no_error (error);
  ck_assert (lers_reading_sync_run_sync (sync, subset, NULL, &error));
  lers_check_assert_no_error (error);
  ck_assert_uint_eq (lers_reading_sync_get_n_changed (sync, 0), 0);
  ck_assert_uint_eq (lers_reading_sync_get_n_unchanged (sync, 0), 24);
  sql = g_strdup_printf ("SELECT value FROM archive_values WHERE point_id = %" G_GINT64_FORMAT
                         " AND kind = 1 AND ts = '2026-11-29T06:00:00Z' AND param = %d",
                         sync_point_id, LERS_PARAMETER_M_IN);
  m_in = lers_check_sql_value (sql);
  ck_assert_str_eq (m_in, "7.75");
}
END_TEST

START_TEST (test_events_without_device_code)
{
  /* two events a meter gives no code of its own, at one moment: two rows,
   * and syncing again writes none */
  g_autoptr (LersReadingFile) file = make_file ("10000042", "LER-HEAT");
  g_autoptr (LersReadingSync) sync = lers_reading_sync_new (lers_check_get_store ());
  g_autoptr (GPtrArray) events = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr (GDateTime) start = utc ("2026-11-29T04:00:00Z");
  g_autoptr (GError) error = NULL;

  g_ptr_array_add (events, lers_meter_event_new ("power-off", start));
  g_ptr_array_add (events, lers_meter_event_new ("tamper", start));
  lers_reading_file_add_events (file, events);
  ck_assert (lers_reading_sync_run_sync (sync, file, NULL, &error));
  lers_check_assert_no_error (error);
  ck_assert_int_eq (
      count_sql ("SELECT count(*) FROM meter_events WHERE point_id = %" G_GINT64_FORMAT
                 " AND started_at = '2026-11-29T04:00:00Z'",
                 sync_point_id),
      2);
  ck_assert (lers_reading_sync_run_sync (sync, file, NULL, &error));
  lers_check_assert_no_error (error);
  ck_assert_uint_eq (lers_reading_sync_get_n_events (sync, 0), 0);
}
END_TEST

START_TEST (test_repeated_record_refused)
{
  /* two hour records of channel 0 at 06:00: the file is refused at the
   * second one's time, whatever their values */
  g_autoptr (LersReadingFile) file = make_file ("10000042", "LER-HEAT");
  g_autoptr (LersReadingFile) back = lers_reading_file_new ();
  g_autoptr (GPtrArray) extra = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr (GDateTime) ts = utc ("2026-11-29T06:00:00Z");
  g_autoptr (GError) error = NULL;
  g_autofree gchar *data = NULL;
  LersRecord *record = lers_record_new (ts, LERS_ARCHIVE_KIND_HOUR);

  lers_record_set_value (record, LERS_PARAMETER_T_IN, 99, LERS_VALUE_FLAG_NONE);
  g_ptr_array_add (extra, record);
  lers_reading_file_add_records (file, extra);
  data = lers_reading_file_to_data (file, NULL);
  ck_assert (!lers_reading_file_load_from_data (back, data, -1, &error));
  lers_check_assert_error (error, LERS_ERROR, LERS_ERROR_INVALID_DATA);
  ck_assert_msg (strstr (error->message, "$.archives[0].records[24].time") != NULL, "%s",
                 error->message);
  /* and save_to_file does not write what could not be read back */
  g_clear_error (&error);
  ck_assert (!lers_reading_file_save_to_file (file, "/nonexistent-dir/never.json", &error));
  lers_check_assert_error (error, LERS_ERROR, LERS_ERROR_INVALID_DATA);
}
END_TEST

START_TEST (test_event_ending_before_start)
{
  /* the meter's clock was set back during the event: saved with no end */
  g_autoptr (LersReadingFile) file = make_file ("10000042", "LER-HEAT");
  g_autoptr (LersReadingFile) back = lers_reading_file_new ();
  g_autoptr (GPtrArray) events = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr (GDateTime) start = utc ("2026-11-29T10:00:00Z");
  g_autoptr (GDateTime) end = utc ("2026-11-29T09:30:00Z");
  g_autoptr (GError) error = NULL;
  g_autofree gchar *data = NULL;
  LersMeterEvent *event = lers_meter_event_new ("clock-set", start);
  GPtrArray *loaded;

  lers_meter_event_set_end (event, end);
  g_ptr_array_add (events, event);
  lers_reading_file_add_events (file, events);
  data = lers_reading_file_to_data (file, NULL);
  ck_assert (lers_reading_file_load_from_data (back, data, -1, &error));
  lers_check_assert_no_error (error);
  loaded = lers_reading_file_get_events (back);
  ck_assert_uint_eq (loaded->len, 2);
  ck_assert_str_eq (lers_meter_event_get_code (g_ptr_array_index (loaded, 1)), "clock-set");
  ck_assert (lers_meter_event_get_end (g_ptr_array_index (loaded, 1)) == NULL);
}
END_TEST

START_TEST (test_sync_no_device)
{
  g_autoptr (LersReadingFile) file = make_file ("99999999", "LER-HEAT");
  g_autofree gchar *path = save_temp (file);
  g_autofree gchar *out = NULL;
  g_autofree gchar *err = NULL;
  g_autoptr (LersReadingSync) sync = lers_reading_sync_new (lers_check_get_store ());
  g_autoptr (GError) error = NULL;

  ck_assert_int_eq (lers_check_run_lers (&out, &err, "sync", path, NULL), 1);
  ck_assert_msg (strstr (err, "No device has protocol mbus, model LER-HEAT and serial number "
                              "99999999")
                     != NULL,
                 "%s", err);
  ck_assert_int_eq (lers_check_sql_int ("SELECT count(*) FROM archive"), 0);
  ck_assert_int_eq (lers_check_sql_int ("SELECT count(*) FROM meter_events"), 0);

  ck_assert (!lers_reading_sync_run_sync (sync, file, NULL, &error));
  lers_check_assert_error (error, LERS_ERROR, LERS_ERROR_NOT_FOUND);
}
END_TEST

START_TEST (test_sync_two_devices)
{
  /* the same serial number under two models; a file that names no model
   * matches both */
  g_autoptr (LersReadingFile) file = make_file ("10000042", NULL);
  g_autofree gchar *path = NULL;
  g_autofree gchar *out = NULL;
  g_autofree gchar *err = NULL;
  g_autoptr (LersReadingSync) sync = lers_reading_sync_new (lers_check_get_store ());
  g_autoptr (GError) error = NULL;

  add_device ("LER-WATER", "10000042");
  path = save_temp (file);
  ck_assert_int_eq (lers_check_run_lers (&out, &err, "sync", path, NULL), 1);
  ck_assert_msg (strstr (err, "2 devices have protocol mbus") != NULL, "%s", err);
  ck_assert_int_eq (lers_check_sql_int ("SELECT count(*) FROM archive"), 0);

  ck_assert (!lers_reading_sync_run_sync (sync, file, NULL, &error));
  lers_check_assert_error (error, LERS_ERROR, LERS_ERROR_FAILED);
}
END_TEST

/* ---- lers read against lers-sim ------------------------------------------ */

static GSubprocess *sim_process;
static gchar *sim_dir;
static gchar *sim_config;
static guint16 sim_port;
static gchar *sim_serial;

static gchar *
tool_path (const gchar *name)
{
  return g_build_filename (g_getenv ("LERS_BUILD_ROOT"), "tools", name, NULL);
}

static void
read_setup (void)
{
  g_autoptr (GError) error = NULL;
  g_autofree gchar *sim = tool_path ("lers-sim");
  g_autoptr (JsonParser) parser = json_parser_new ();
  JsonObject *device;

  lers_check_store_setup ();
  sim_dir = g_dir_make_tmp ("lers-console-XXXXXX", NULL);
  sim_config = g_build_filename (sim_dir, "sim.json", NULL);
  sim_process = lers_check_spawn (&error, sim, "--count=1", "--port=0", "--seed=7", "--config",
                                  sim_config, NULL);
  ck_assert_msg (sim_process != NULL, "%s", error ? error->message : "");
  for (gint i = 0; i < 100 && !g_file_test (sim_config, G_FILE_TEST_EXISTS); i++)
    g_usleep (50000);
  g_usleep (100000);
  ck_assert (json_parser_load_from_file (parser, sim_config, &error));
  lers_check_assert_no_error (error);
  /* nodes[0].points[0].device: its serial number and port */
  device = json_object_get_object_member (
      json_array_get_object_element (
          json_object_get_array_member (
              json_array_get_object_element (
                  json_object_get_array_member (
                      json_node_get_object (json_parser_get_root (parser)), "nodes"),
                  0),
              "points"),
          0),
      "device");
  sim_serial = g_strdup (json_object_get_string_member (device, "serial_number"));
  sim_port = (guint16) json_object_get_int_member (
      json_object_get_object_member (device, "connection"), "port");
  ck_assert_uint_ne (sim_port, 0);
}

static void
read_teardown (void)
{
  g_subprocess_send_signal (sim_process, SIGTERM);
  ck_assert (g_subprocess_wait (sim_process, NULL, NULL));
  g_clear_object (&sim_process);
  g_unlink (sim_config);
  g_rmdir (sim_dir);
  g_clear_pointer (&sim_config, g_free);
  g_clear_pointer (&sim_dir, g_free);
  g_clear_pointer (&sim_serial, g_free);
  lers_check_store_teardown ();
}

/* Runs `lers read` for the 24 whole hours before this one, hour archive
 * and totals, over @port, with `--serial @serial` unless NULL; returns the
 * file's path. */
static gchar *
read_meter (const gchar *port, const gchar *address, const gchar *serial)
{
  g_autoptr (GDateTime) hour = lers_check_this_hour ();
  g_autoptr (GDateTime) from = g_date_time_add_hours (hour, -24);
  g_autofree gchar *from_s = g_date_time_format_iso8601 (from);
  g_autofree gchar *to_s = g_date_time_format_iso8601 (hour);
  g_autofree gchar *path = g_build_filename (sim_dir, "reading.json", NULL);
  g_autofree gchar *out = NULL;
  g_autofree gchar *err = NULL;

  ck_assert_msg (lers_check_run_lers (&out, &err, "read", "--protocol", "mbus", "--port", port,
                                      "--address", address, "--from", from_s, "--to", to_s,
                                      "--archives", "hour,totals", "--events", "--zone",
                                      "Europe/Moscow", "--out", path,
                                      serial != NULL ? "--serial" : NULL, serial, NULL)
                     == 0,
                 "%s", err);
  ck_assert_msg (strstr (out, "Read 25 records and 0 events") != NULL, "%s", out);
  return g_steal_pointer (&path);
}

START_TEST (test_read_list)
{
  g_autofree gchar *port = g_strdup_printf ("tcp:127.0.0.1:%u", sim_port);
  g_autofree gchar *path = read_meter (port, "1", sim_serial);
  g_autofree gchar *out = NULL;
  g_autofree gchar *err = NULL;
  g_autofree gchar *serial_line = NULL;
  g_autoptr (LersReadingFile) file = lers_reading_file_new ();
  g_autoptr (GError) error = NULL;
  g_autoptr (GDateTime) hour = lers_check_this_hour ();
  g_autoptr (GDateTime) first = g_date_time_add_hours (hour, -24);
  g_autoptr (GDateTime) last = g_date_time_add_hours (hour, -1);
  g_autoptr (GDateTime) first_local = NULL;
  g_autoptr (GDateTime) last_local = NULL;
  g_autoptr (GTimeZone) moscow = g_time_zone_new_identifier ("Europe/Moscow");
  g_autofree gchar *first_s = NULL;
  g_autofree gchar *last_s = NULL;
  g_autofree gchar *row = NULL;

  ck_assert_int_eq (lers_check_run_lers (&out, &err, "read", "--list", path, NULL), 0);
  serial_line = g_strdup_printf ("serial number %s,", sim_serial);
  ck_assert_msg (strstr (out, serial_line) != NULL, "%s", out);
  /* [this hour − 24 h, this hour): 24 hourly records, the first and last
   * shown in the device's zone, Moscow (UTC+3, no DST since 2014) */
  first_local = g_date_time_to_timezone (first, moscow);
  last_local = g_date_time_to_timezone (last, moscow);
  first_s = g_date_time_format (first_local, "%Y-%m-%d %H:%M:%S +03:00");
  last_s = g_date_time_format (last_local, "%Y-%m-%d %H:%M:%S +03:00");
  row = g_strdup_printf ("hour                0      24 %s %s\n", first_s, last_s);
  ck_assert_msg (strstr (out, row) != NULL, "expected “%s” in:\n%s", row, out);
  ck_assert_msg (strstr (out, "totals              0       1 ") != NULL, "%s", out);
  ck_assert_msg (strstr (out, "Time zone: Europe/Moscow\n") != NULL, "%s", out);
  ck_assert_msg (strstr (out, "Events: 0\n") != NULL, "%s", out);
  /* the simulated meter keeps no event log: noted, not an error */
  ck_assert_msg (strstr (out, "Not supported by the device: events\n") != NULL, "%s", out);

  /* and the file itself */
  ck_assert (lers_reading_file_load_from_file (file, path, &error));
  lers_check_assert_no_error (error);
  ck_assert_str_eq (lers_device_get_serial_number (lers_reading_file_get_device (file)),
                    sim_serial);
  ck_assert (lers_reading_file_get_device_clock (file) != NULL);
  /* the simulator's clock is this computer's, to the minute M-Bus keeps */
  ck_assert_int_le (ABS (lers_reading_file_get_clock_offset (file)), 120);
}
END_TEST

START_TEST (test_read_then_sync)
{
  g_autofree gchar *port = g_strdup_printf ("tcp:127.0.0.1:%u", sim_port);
  g_autofree gchar *path = NULL;
  g_autofree gchar *out = NULL;
  g_autofree gchar *err = NULL;
  g_autofree gchar *sql = NULL;
  g_autofree gchar *stored = NULL;
  g_autofree gchar *row = NULL;
  g_autofree gchar *row2 = NULL;
  g_autoptr (LersReadingFile) file = lers_reading_file_new ();
  g_autoptr (GError) error = NULL;
  g_autoptr (GDateTime) hour = lers_check_this_hour ();
  g_autoptr (GDateTime) sixth = g_date_time_add_hours (hour, -6);
  g_autofree gchar *sixth_s = g_date_time_format_iso8601 (sixth);
  gint64 point_id;
  gdouble value = 0;
  LersRecord *record = NULL;
  GPtrArray *records;

  /* the server knows the meter (lers-sim's own import file) */
  ck_assert_msg (lers_check_run_lers (&out, &err, "import", sim_config, NULL) == 0, "%s", err);
  point_id = lers_check_sql_int ("SELECT id FROM measure_points");
  /* no --serial: the meter tells its serial number and model */
  path = read_meter (port, "1", NULL);
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);
  ck_assert_msg (lers_check_run_lers (&out, &err, "read", "--list", path, NULL) == 0, "%s", err);
  {
    /* lers-sim's meter: "LRS" heat (medium 04), version 1 */
    g_autofree gchar *device_line = g_strdup_printf (
        "Device: protocol mbus, model LRS heat meter v1, serial number %s,", sim_serial);
    ck_assert_msg (strstr (out, device_line) != NULL, "%s", out);
  }
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);
  ck_assert_msg (lers_check_run_lers (&out, &err, "sync", path, NULL) == 0, "%s", err);
  /* 24 hourly records and the totals, all new */
  row = summary_row (out, point_id);
  ck_assert_str_eq (row, "0 25 0 0 0");
  ck_assert_int_eq (count_sql ("SELECT count(*) FROM archive WHERE point_id = %" G_GINT64_FORMAT
                               " AND kind = 1",
                               point_id),
                    24);

  /* a value as the file has it: T_in of the hour 6 hours ago */
  ck_assert (lers_reading_file_load_from_file (file, path, &error));
  records = lers_reading_file_get_records (file);
  for (guint i = 0; i < records->len; i++)
    if (g_date_time_equal (lers_record_get_timestamp (g_ptr_array_index (records, i)), sixth))
      record = g_ptr_array_index (records, i);
  ck_assert (record != NULL);
  ck_assert (lers_record_get_value (record, LERS_PARAMETER_T_IN, &value, NULL));
  sql = g_strdup_printf ("SELECT value FROM archive_values WHERE point_id = %" G_GINT64_FORMAT
                         " AND kind = 1 AND ts = '%s' AND param = %d",
                         point_id, sixth_s, LERS_PARAMETER_T_IN);
  stored = lers_check_sql_value (sql);
  ck_assert_msg (g_ascii_strtod (stored, NULL) == value, "stored %s, file %.17g", stored, value);

  /* syncing the same file again changes nothing */
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);
  ck_assert_msg (lers_check_run_lers (&out, &err, "sync", path, NULL) == 0, "%s", err);
  row2 = summary_row (out, point_id);
  ck_assert_str_eq (row2, "0 0 0 25 0");
}
END_TEST

START_TEST (test_read_pty)
{
  g_autoptr (GSubprocessLauncher) launcher = g_subprocess_launcher_new (
      G_SUBPROCESS_FLAGS_STDOUT_PIPE | G_SUBPROCESS_FLAGS_STDERR_SILENCE);
  g_autoptr (GSubprocess) pty_sim = NULL;
  g_autoptr (GDataInputStream) lines = NULL;
  g_autoptr (GError) error = NULL;
  g_autoptr (GMatchInfo) match = NULL;
  g_autoptr (GRegex) regex = g_regex_new ("/dev/pts/[0-9]+", 0, 0, NULL);
  g_autofree gchar *sim = tool_path ("lers-sim");
  g_autofree gchar *line = NULL;
  g_autofree gchar *pty = NULL;
  g_autofree gchar *path = NULL;
  g_autofree gchar *out = NULL;
  g_autofree gchar *err = NULL;

  /* the simulated meter on a pseudo-terminal, as behind a USB–RS-485 adapter */
  pty_sim
      = g_subprocess_launcher_spawn (launcher, &error, sim, "--count=1", "--pty", "--seed=7", NULL);
  lers_check_assert_no_error (error);
  lines = g_data_input_stream_new (g_subprocess_get_stdout_pipe (pty_sim));
  line = g_data_input_stream_read_line_utf8 (lines, NULL, NULL, &error);
  lers_check_assert_no_error (error);
  ck_assert_msg (line != NULL && g_regex_match (regex, line, 0, &match), "%s", line);
  pty = g_match_info_fetch (match, 0);
  path = read_meter (pty, "1", NULL);
  ck_assert_int_eq (lers_check_run_lers (&out, &err, "read", "--list", path, NULL), 0);
  ck_assert_msg (strstr (out, "hour                0      24 ") != NULL, "%s", out);
  g_subprocess_send_signal (pty_sim, SIGTERM);
  ck_assert (g_subprocess_wait (pty_sim, NULL, NULL));
}
END_TEST

/* --serial naming another meter than the one on the address: refused */
START_TEST (test_read_wrong_meter)
{
  g_autofree gchar *port = g_strdup_printf ("tcp:127.0.0.1:%u", sim_port);
  g_autofree gchar *path = g_build_filename (sim_dir, "wrong.json", NULL);
  g_autofree gchar *out = NULL;
  g_autofree gchar *err = NULL;
  g_autofree gchar *expected = NULL;

  ck_assert_str_ne (sim_serial, "99999999");
  ck_assert_int_eq (lers_check_run_lers (&out, &err, "read", "--protocol", "mbus", "--port", port,
                                         "--address", "1", "--serial", "99999999", "--archives",
                                         "totals", "--out", path, NULL),
                    1);
  expected = g_strdup_printf ("The meter at M-Bus address 1 has serial number %s, not 99999999",
                              sim_serial);
  ck_assert_msg (strstr (err, expected) != NULL, "%s", err);
  ck_assert_msg (strstr (err, "Nothing was written.") != NULL, "%s", err);
  ck_assert (!g_file_test (path, G_FILE_TEST_EXISTS));
}
END_TEST

START_TEST (test_read_bad_link)
{
  g_autofree gchar *out = NULL;
  g_autofree gchar *err = NULL;
  g_autofree gchar *path = g_build_filename (sim_dir, "none.json", NULL);

  /* nothing listens on port 1: an error, and no file */
  ck_assert_int_eq (lers_check_run_lers (&out, &err, "read", "--protocol", "mbus", "--port",
                                         "tcp:127.0.0.1:1", "--address", "1", "--out", path, NULL),
                    1);
  ck_assert_msg (strstr (err, "Nothing was written.") != NULL, "%s", err);
  ck_assert (!g_file_test (path, G_FILE_TEST_EXISTS));
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);
  ck_assert_int_eq (lers_check_run_lers (&out, &err, "read", "--protocol", "mbus", "--port",
                                         "tcp:127.0.0.1:1", "--archives", "hourly", "--out", path,
                                         NULL),
                    2);
  ck_assert_msg (strstr (err, "“hourly” is not an archive") != NULL, "%s", err);
}
END_TEST

int
main (int argc, char **argv)
{
  Suite *s = suite_create ("console");
  TCase *file = tcase_create ("file");
  TCase *sync = tcase_create ("sync");
  TCase *read = tcase_create ("read");

  lers_check_init (&argc, &argv);
  tcase_add_test (file, test_round_trip);
  tcase_add_test (file, test_good_base);
  tcase_add_loop_test (file, test_bad_file, 0, G_N_ELEMENTS (bad_files));
  tcase_add_test (file, test_newer_version);
  tcase_add_test (file, test_deep_nesting);
  suite_add_tcase (s, file);

  tcase_set_timeout (sync, 120);
  tcase_add_unchecked_fixture (sync, lers_check_cluster_setup, lers_check_cluster_teardown);
  tcase_add_checked_fixture (sync, sync_setup, lers_check_store_teardown);
  tcase_add_test (sync, test_sync_twice);
  tcase_add_test (sync, test_sync_changed);
  tcase_add_test (sync, test_sync_keeps_other_parameters);
  tcase_add_test (sync, test_events_without_device_code);
  tcase_add_test (file, test_repeated_record_refused);
  tcase_add_test (file, test_event_ending_before_start);
  tcase_add_test (sync, test_sync_no_device);
  tcase_add_test (sync, test_sync_two_devices);
  suite_add_tcase (s, sync);

  tcase_set_timeout (read, 120);
  tcase_add_unchecked_fixture (read, lers_check_cluster_setup, lers_check_cluster_teardown);
  tcase_add_checked_fixture (read, read_setup, read_teardown);
  tcase_add_test (read, test_read_list);
  tcase_add_test (read, test_read_then_sync);
  tcase_add_test (read, test_read_pty);
  tcase_add_test (read, test_read_bad_link);
  tcase_add_test (read, test_read_wrong_meter);
  suite_add_tcase (s, read);
  return lers_check_run_suite (s);
}
