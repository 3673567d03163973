/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Meter events as users see them: GET /api/v1/points/{id}/events (status
 * and body, times with the node's offset, 400 on bad parameters, 404 on an
 * unknown point) and `lers events` (the table in English and in Russian,
 * and --json). The point's node is in a territory on Asia/Vladivostok
 * (UTC+10, no daylight saving). */
#include "config.h"

#include <check.h>
#include <json-glib/json-glib.h>
#include <lers.h>
#include <string.h>

#include "lers-check-http.h"

/* 2026-11-24 at @hour:00 UTC */
static GDateTime *
at (gint hour)
{
  return g_date_time_new_utc (2026, 11, 24, hour, 0, 0);
}

static LersMeterEvent *
make_event (const gchar *code, gint device_code, const gchar *text, gint start_hour, gint end_hour,
            LersMeterEventSeverity severity)
{
  g_autoptr (GDateTime) start = at (start_hour);
  LersMeterEvent *event = lers_meter_event_new (code, start);

  lers_meter_event_set_device_code (event, device_code);
  lers_meter_event_set_text (event, text);
  lers_meter_event_set_severity (event, severity);
  lers_meter_event_set_channel (event, 1);
  if (end_hour >= 0)
    {
      g_autoptr (GDateTime) end = at (end_hour);
      lers_meter_event_set_end (event, end);
    }
  return event;
}

/* A point in Vladivostok with three events (UTC → local +10:00):
 *
 *   power-off     3  02:00–03:00 UTC  12:00–13:00 +10:00  warning  "Отключение питания"
 *   clock-set    40  05:00 UTC        15:00 +10:00        info     no text, no end
 *   sensor-fault 12  09:00 UTC        19:00 +10:00        alarm    "Обрыв датчика t1"
 */
static gint64
seed_point (void)
{
  LersStore *store = lers_check_get_store ();
  g_autoptr (LersTerritory) territory = lers_territory_new ();
  g_autoptr (LersNode) node = lers_node_new ();
  g_autoptr (LersMeasurePoint) point = lers_measure_point_new ();
  g_autoptr (GPtrArray) events = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr (GError) error = NULL;

  g_object_set (territory, "title", "Приморский край", "time-zone", "Asia/Vladivostok", NULL);
  ck_assert (lers_store_save_territory_sync (store, territory, NULL, &error));
  lers_node_set_territory_id (node, lers_territory_get_id (territory));
  ck_assert (lers_store_save_node_sync (store, node, NULL, &error));
  lers_measure_point_set_node_id (point, lers_node_get_id (node));
  ck_assert (lers_store_save_measure_point_sync (store, point, NULL, &error));
  lers_check_assert_no_error (error);

  g_ptr_array_add (events, make_event ("sensor-fault", 12, "Обрыв датчика t1", 9, -1,
                                       LERS_METER_EVENT_SEVERITY_ALARM));
  g_ptr_array_add (events, make_event ("power-off", 3, "Отключение питания", 2, 3,
                                       LERS_METER_EVENT_SEVERITY_WARNING));
  g_ptr_array_add (events,
                   make_event ("clock-set", 40, NULL, 5, -1, LERS_METER_EVENT_SEVERITY_INFO));
  ck_assert_int_eq (lers_store_write_meter_events_sync (store, lers_measure_point_get_id (point),
                                                        events, NULL, &error),
                    3);
  return lers_measure_point_get_id (point);
}

static gchar *
get_events (gint64 point_id, const gchar *query, guint *status)
{
  g_autofree gchar *target
      = g_strdup_printf ("/api/v1/points/%" G_GINT64_FORMAT "/events%s", point_id, query);
  return lers_check_http_get (target, status);
}

#define POWER_OFF_JSON                                                                             \
  "{\"code\":\"power-off\",\"device_code\":3,\"text\":\"Отключение питания\","    \
  "\"start\":\"2026-11-24T12:00:00+10:00\",\"end\":\"2026-11-24T13:00:00+10:00\","                 \
  "\"severity\":\"warning\",\"channel\":1}"
#define CLOCK_SET_JSON                                                                             \
  "{\"code\":\"clock-set\",\"device_code\":40,\"text\":null,"                                      \
  "\"start\":\"2026-11-24T15:00:00+10:00\",\"end\":null,\"severity\":\"info\",\"channel\":1}"
#define SENSOR_FAULT_JSON                                                                          \
  "{\"code\":\"sensor-fault\",\"device_code\":12,\"text\":\"Обрыв датчика t1\","       \
  "\"start\":\"2026-11-24T19:00:00+10:00\",\"end\":null,\"severity\":\"alarm\",\"channel\":1}"

START_TEST (test_http_range)
{
  gint64 point_id = seed_point ();
  guint status = 0;
  g_autofree gchar *body = NULL;
  g_autofree gchar *local = NULL;
  g_autofree gchar *empty = NULL;

  /* [02:00Z, 09:00Z): the sensor fault at 09:00Z is at `to`, left out */
  body = get_events (point_id, "?from=2026-11-24T02:00:00Z&to=2026-11-24T09:00:00Z", &status);
  ck_assert_uint_eq (status, 200);
  ck_assert_str_eq (body, "[" POWER_OFF_JSON "," CLOCK_SET_JSON "]");

  /* bare dates are midnight in Vladivostok: [2026-11-23T14:00Z, 2026-11-24T14:00Z) */
  local = get_events (point_id, "?from=2026-11-24&to=2026-11-25", &status);
  ck_assert_uint_eq (status, 200);
  ck_assert_str_eq (local, "[" POWER_OFF_JSON "," CLOCK_SET_JSON "," SENSOR_FAULT_JSON "]");

  /* a range with none */
  empty = get_events (point_id, "?from=2026-11-20T00:00:00Z&to=2026-11-21T00:00:00Z", &status);
  ck_assert_uint_eq (status, 200);
  ck_assert_str_eq (empty, "[]");
}
END_TEST

START_TEST (test_http_bad_requests)
{
  gint64 point_id = seed_point ();
  const struct
  {
    const gchar *query;
    const gchar *message; /* a part of the error message */
  } bad[] = {
    { "?from=yesterday&to=2026-11-25T00:00:00Z", "from “yesterday” is not an ISO 8601 time" },
    { "?from=2026-11-24T00:00:00Z&to=2026-11-24T00:00:00Z", "from must be earlier than to" },
    { "?from=2026-11-25T00:00:00Z&to=2026-11-24T00:00:00Z", "from must be earlier than to" },
    { "?from=2024-01-01T00:00:00Z&to=2026-11-24T00:00:00Z", "not be longer than 366 days" },
    { "?from=2026-11-24T00:00:00Z&to=2026-13-01", "to “2026-13-01” is not an ISO 8601 time" },
  };

  for (gsize i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      guint status = 0;
      g_autofree gchar *body = get_events (point_id, bad[i].query, &status);

      ck_assert_msg (status == 400, "%s: %u %s", bad[i].query, status, body);
      ck_assert_msg (strstr (body, "\"invalid-argument\"") != NULL, "%s", body);
      ck_assert_msg (strstr (body, bad[i].message) != NULL, "%s: %s", bad[i].query, body);
    }
}
END_TEST

START_TEST (test_http_not_found)
{
  gint64 point_id = seed_point ();
  guint status = 0;
  g_autofree gchar *body = get_events (point_id + 1000, "", &status);
  g_autofree gchar *expected = g_strdup_printf (
      "{\"error\":{\"code\":\"not-found\",\"message\":\"Measure point %" G_GINT64_FORMAT
      " does not exist\"}}",
      point_id + 1000);
  g_autofree gchar *bad_id = NULL;

  ck_assert_uint_eq (status, 404);
  ck_assert_str_eq (body, expected);

  /* an id that is not one is a bad request, not an unknown point */
  bad_id = lers_check_http_get ("/api/v1/points/abc/events", &status);
  ck_assert_uint_eq (status, 400);
}
END_TEST

START_TEST (test_cli_table)
{
  gint64 point_id = seed_point ();
  g_autofree gchar *point_s = g_strdup_printf ("%" G_GINT64_FORMAT, point_id);
  g_autofree gchar *out = NULL;
  g_autofree gchar *err = NULL;

  ck_assert_int_eq (lers_check_run_lers (&out, &err, "events", point_s, "--from",
                                         "2026-11-24T02:00:00Z", "--to", "2026-11-24T09:00:00Z",
                                         NULL),
                    0);
  /* the heading is 24 characters wide (START (Asia/Vladivostok)), so the
   * 23-character times get one space of padding and one separator */
  ck_assert_msg (g_str_has_prefix (out, "START (Asia/Vladivostok) END"), "%s", out);
  /* each cell is padded to its width and followed by one space: the
   * event 18, the code 6 (right), the severity 14, the channel 7 (right) */
  ck_assert_msg (strstr (out, "2026-11-24 12:00 +10:00  2026-11-24 13:00 +10:00 power-off"
                              "               3 warning              1 Отключение питания\n")
                     != NULL,
                 "%s", out);
  ck_assert_msg (strstr (out, "2026-11-24 15:00 +10:00  —                       clock-set          "
                              "    40 info                 1 \n")
                     != NULL,
                 "%s", out);
  ck_assert_msg (strstr (out, "sensor-fault") == NULL, "%s", out);
  ck_assert_msg (g_str_has_suffix (out, "\n2 events\n"), "%s", out);
}
END_TEST

START_TEST (test_cli_russian_and_json)
{
  gint64 point_id = seed_point ();
  g_autofree gchar *point_s = g_strdup_printf ("%" G_GINT64_FORMAT, point_id);
  g_autofree gchar *out = NULL;
  g_autofree gchar *err = NULL;
  g_autofree gchar *json = NULL;
  g_autofree gchar *json_err = NULL;
  g_autofree gchar *missing = NULL;
  g_autofree gchar *missing_err = NULL;
  g_autofree gchar *unknown = g_strdup_printf ("%" G_GINT64_FORMAT, point_id + 1000);
  g_autofree gchar *saved = g_strdup (g_getenv ("LANGUAGE"));

  /* with no language asked for, lers speaks Russian */
  g_unsetenv ("LANGUAGE");
  ck_assert_int_eq (lers_check_run_lers (&out, &err, "events", point_s, "--from", "2026-11-24",
                                         "--to", "2026-11-25", NULL),
                    0);
  g_setenv ("LANGUAGE", saved, TRUE);
  ck_assert_msg (g_str_has_prefix (out, "НАЧАЛО (Asia/Vladivostok)"), "%s", out);
  ck_assert_msg (strstr (out, "предупреждение") != NULL, "%s", out);
  ck_assert_msg (strstr (out, "авария") != NULL, "%s", out);
  /* 3 → the "few" plural form */
  ck_assert_msg (g_str_has_suffix (out, "\n3 события\n"), "%s", out);

  /* --json prints what the API answers */
  ck_assert_int_eq (lers_check_run_lers (&json, &json_err, "events", point_s, "--from",
                                         "2026-11-24T02:00:00Z", "--to", "2026-11-24T09:00:00Z",
                                         "--json", NULL),
                    0);
  ck_assert_str_eq (json, "[" POWER_OFF_JSON "," CLOCK_SET_JSON "]\n");

  /* an unknown point */
  ck_assert_int_eq (lers_check_run_lers (&missing, &missing_err, "events", unknown, NULL), 1);
  ck_assert_msg (strstr (missing_err, "There is no measure point with id") != NULL, "%s",
                 missing_err);
}
END_TEST

START_TEST (test_cli_bad_arguments)
{
  g_autofree gchar *out = NULL;
  g_autofree gchar *err = NULL;
  g_autofree gchar *out2 = NULL;
  g_autofree gchar *err2 = NULL;

  ck_assert_int_eq (lers_check_run_lers (&out, &err, "events", "seven", NULL), 2);
  ck_assert_msg (strstr (err, "“seven” is not a point id") != NULL, "%s", err);
  ck_assert_int_eq (lers_check_run_lers (&out2, &err2, "events", "1", "--from", "soon", NULL), 2);
  ck_assert_msg (strstr (err2, "“soon” is not a time") != NULL, "%s", err2);
}
END_TEST

int
main (int argc, char **argv)
{
  Suite *s = suite_create ("events-api");
  TCase *tc = tcase_create ("events");

  lers_check_init (&argc, &argv);
  tcase_add_unchecked_fixture (tc, lers_check_cluster_setup, lers_check_cluster_teardown);
  tcase_add_checked_fixture (tc, lers_check_store_setup, lers_check_store_teardown);
  tcase_add_test (tc, test_http_range);
  tcase_add_test (tc, test_http_bad_requests);
  tcase_add_test (tc, test_http_not_found);
  tcase_add_test (tc, test_cli_table);
  tcase_add_test (tc, test_cli_russian_and_json);
  tcase_add_test (tc, test_cli_bad_arguments);
  suite_add_tcase (s, tc);
  return lers_check_run_suite (s);
}
