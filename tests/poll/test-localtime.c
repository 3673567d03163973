/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Meter clocks in local time, end to end: simulated M-Bus heat meters
 * keeping Vladivostok and Berlin time are read by the poller into a
 * throwaway PostgreSQL, and the archive is shown by the HTTP API (in
 * process, 127.0.0.1 port 0) and by `lers archive`.
 *
 * Each local meter is checked against a meter with the same seed keeping
 * UTC: the simulated process is a function of the UTC hour, so the two
 * must store the same values under the same UTC timestamps. Expected
 * texts are worked out by hand from the zone rules:
 *   Asia/Vladivostok  UTC+10 all year;
 *   Europe/Berlin     CEST (UTC+2) until the last Sunday of October,
 *                     01:00Z, then CET (UTC+1). */
#include <check.h>
#include <json-glib/json-glib.h>
#include <libpq-fe.h>
#include <libsoup/soup.h>
#include <lers.h>
#include <stdlib.h>

#include "lers-check-http.h"

#define SEED 7

typedef struct
{
  LersCheckSim sim;
  gint64 connection_id; /* in this test's database; 0 until made */
} Meter;

static LersEngine *engine;
static Meter meters[3]; /* UTC, Vladivostok, Berlin */
enum
{
  METER_UTC,
  METER_VVO,
  METER_BER,
};

/* Berlin's clocks went back on the last Sunday of October 2026, the 25th
 * (`date -d 2026-10-25 +%A` prints Sunday,
 * a week later is November), at 01:00Z (EU rule): 03:00 CEST became 02:00 CET. */
#define CHANGE_UNIX G_GINT64_CONSTANT (1792890000) /* date -u -d 2026-10-25T01:00Z +%s */

static void
meter_start (Meter *m, const gchar *zone)
{
  m->connection_id = 0;
  lers_check_sim_start (&m->sim, engine, "mbus", "10000042", 7, SEED);
  /* two days: the tests read at most a day back from the meter's clock */
  g_object_set (m->sim.simulator, "clock-zone", zone, "archive-depth", 48, NULL);
}

static void
setup (void)
{
  lers_check_store_setup ();
  engine = lers_engine_new ();
  meter_start (&meters[METER_UTC], "UTC");
  meter_start (&meters[METER_VVO], "Asia/Vladivostok");
  meter_start (&meters[METER_BER], "Europe/Berlin");
}

static void
teardown (void)
{
  for (guint i = 0; i < G_N_ELEMENTS (meters); i++)
    lers_check_sim_stop (&meters[i].sim);
  g_clear_object (&engine);
  lers_check_store_teardown ();
}

static gint64
add_territory (const gchar *title, const gchar *zone)
{
  g_autoptr (LersTerritory) t = lers_territory_new ();
  g_autoptr (GError) error = NULL;

  g_object_set (t, "title", title, "time-zone", zone, NULL);
  ck_assert (lers_store_save_territory_sync (lers_check_get_store (), t, NULL, &error));
  return lers_territory_get_id (t);
}

/* a node in @territory with one heat point read from @meter; @clock_zone is
 * the device's own clock zone (NULL: the node's) */
static gint64
add_point (gint64 territory, Meter *meter, const gchar *clock_zone)
{
  LersStore *store = lers_check_get_store ();
  g_autoptr (LersNode) node = lers_node_new ();
  g_autoptr (LersConnection) connection = lers_connection_new ();
  g_autoptr (LersDevice) device = lers_device_new ();
  g_autoptr (LersMeasurePoint) point = lers_measure_point_new ();
  g_autoptr (GError) error = NULL;

  g_object_set (node, "title", "ИТП", "territory-id", territory, NULL);
  ck_assert (lers_store_save_node_sync (store, node, NULL, &error));
  /* host and port are a natural key: one connection a meter */
  if (meter->connection_id == 0)
    {
      g_object_set (connection, "host", "127.0.0.1", "port", meter->sim.port, "timeout", 5, NULL);
      ck_assert (lers_store_save_connection_sync (store, connection, NULL, &error));
      meter->connection_id = lers_connection_get_id (connection);
    }
  /* no serial number: several devices read one simulated meter here, and
   * serial numbers are a natural key; the session learns the meter's */
  g_object_set (device, "protocol", "mbus", "network-address", "7", "clock-zone", clock_zone,
                "connection-id", meter->connection_id, NULL);
  ck_assert (lers_store_save_device_sync (store, device, NULL, &error));
  g_object_set (point, "title", "Отопление", "node-id", lers_node_get_id (node), "device-id",
                lers_device_get_id (device), NULL);
  ck_assert (lers_store_save_measure_point_sync (store, point, NULL, &error));
  lers_check_assert_no_error (error);
  return lers_measure_point_get_id (point);
}

static gint
read_point (gint64 point_id, GDateTime *from, GDateTime *to)
{
  g_autoptr (GError) error = NULL;
  gint n = lers_check_read_point (engine, point_id, from, to, NULL, &error);

  lers_check_assert_no_error (error);
  return n;
}

static GPtrArray *
stored (gint64 point_id, GDateTime *from, GDateTime *to)
{
  g_autoptr (GError) error = NULL;
  GPtrArray *records = lers_check_query_records (lers_check_get_store (), point_id,
                                                 LERS_ARCHIVE_KIND_HOUR, from, to, NULL, &error);
  lers_check_assert_no_error (error);
  return records;
}

/* the archive rows' timestamps in UTC, as PostgreSQL prints them */
static gchar *
stored_hours (gint64 point_id)
{
  PGconn *conn = PQconnectdb (lers_check_get_uri ());
  g_autofree gchar *id = g_strdup_printf ("%" G_GINT64_FORMAT, point_id);
  const gchar *values[] = { id };
  PGresult *res = PQexecParams (conn,
                                "SELECT string_agg(to_char(ts AT TIME ZONE 'UTC', 'DD HH24'), ','"
                                " ORDER BY ts) FROM archive WHERE point_id = $1::int4",
                                1, NULL, values, NULL, NULL, 0);
  gchar *text;

  ck_assert_int_eq (PQresultStatus (res), PGRES_TUPLES_OK);
  text = g_strdup (PQgetvalue (res, 0, 0));
  PQclear (res);
  PQfinish (conn);
  return text;
}

/* same timestamps, same heat and supply temperature */
static void
assert_same_archive (GPtrArray *got, GPtrArray *reference)
{
  ck_assert_uint_eq (got->len, reference->len);
  for (guint i = 0; i < got->len; i++)
    {
      LersRecord *a = g_ptr_array_index (got, i);
      LersRecord *b = g_ptr_array_index (reference, i);
      gdouble qa = -1, qb = -2, ta = -1, tb = -2;

      ck_assert (g_date_time_equal (lers_record_get_timestamp (a), lers_record_get_timestamp (b)));
      ck_assert (lers_record_get_value (a, LERS_PARAMETER_Q_IN, &qa, NULL));
      ck_assert (lers_record_get_value (b, LERS_PARAMETER_Q_IN, &qb, NULL));
      ck_assert (lers_record_get_value (a, LERS_PARAMETER_T_IN, &ta, NULL));
      ck_assert (lers_record_get_value (b, LERS_PARAMETER_T_IN, &tb, NULL));
      ck_assert_double_eq (qa, qb);
      ck_assert_double_eq (ta, tb);
    }
}

/* ---- the HTTP API --------------------------------------------------------- */

/* GET @target from an in-process lersd; the body as JSON */
static JsonNode *
api_get (const gchar *target, guint expected_status)
{
  g_autoptr (GError) error = NULL;
  guint status = 0;
  g_autofree gchar *body = lers_check_http_get (target, &status);
  JsonNode *root;

  ck_assert_msg (status == expected_status, "%s: %u %s", target, status, body);
  root = json_from_string (body, &error);
  lers_check_assert_no_error (error);
  return root;
}

static const gchar *
member (JsonNode *root, const gchar *name)
{
  return json_object_get_string_member (json_node_get_object (root), name);
}

static JsonArray *
records_of (JsonNode *root)
{
  return json_object_get_array_member (json_node_get_object (root), "records");
}

static const gchar *
timestamp_at (JsonNode *root, guint i)
{
  return json_object_get_string_member (json_array_get_object_element (records_of (root), i),
                                        "timestamp");
}

/* @utc + @hours as wall-clock text with a fixed @offset suffix, computed on
 * the UTC fields alone (not with the code under test) */
static gchar *
shifted (GDateTime *utc, gint hours, const gchar *offset)
{
  g_autoptr (GDateTime) t = g_date_time_add_hours (utc, hours);
  g_autofree gchar *wall = g_date_time_format (t, "%Y-%m-%dT%H:%M:%S");
  return g_strconcat (wall, offset, NULL);
}

/* ---- tests ---------------------------------------------------------------- */

START_TEST (test_vladivostok_meter)
{
  gint64 vvo = add_territory ("Приморский край", "Asia/Vladivostok");
  gint64 local_point = add_point (vvo, &meters[METER_VVO], NULL);
  gint64 utc_point = add_point (vvo, &meters[METER_UTC], "UTC");
  gint64 wrong_point = add_point (0, &meters[METER_VVO], "UTC");
  g_autoptr (GDateTime) to = lers_check_this_hour ();
  g_autoptr (GDateTime) from = g_date_time_add_hours (to, -24);
  g_autoptr (GPtrArray) local = NULL;
  g_autoptr (GPtrArray) reference = NULL;
  g_autoptr (GPtrArray) wrong = NULL;
  g_autofree gchar *hours = NULL;
  g_autofree gchar *target = NULL;
  g_autofree gchar *from_iso = g_date_time_format_iso8601 (from);
  g_autofree gchar *to_iso = g_date_time_format_iso8601 (to);
  g_autoptr (JsonNode) root = NULL;
  gboolean differs = FALSE;
  guint eleven = G_MAXUINT;

  ck_assert_int_eq (read_point (local_point, from, to), 24);
  ck_assert_int_eq (read_point (utc_point, from, to), 24);
  local = stored (local_point, from, to);
  reference = stored (utc_point, from, to);
  /* the Vladivostok meter's hours land on the same UTC hours, same values */
  assert_same_archive (local, reference);

  /* a device said to keep UTC while it keeps Vladivostok time: its hours
   * are ten off, so the values differ (this test can fail) */
  read_point (wrong_point, from, to);
  wrong = stored (wrong_point, from, to);
  for (guint i = 0; i < MIN (wrong->len, reference->len) && !differs; i++)
    {
      gdouble a = 0, b = 0;
      lers_record_get_value (g_ptr_array_index (wrong, i), LERS_PARAMETER_T_IN, &a, NULL);
      lers_record_get_value (g_ptr_array_index (reference, i), LERS_PARAMETER_T_IN, &b, NULL);
      differs
          = a != b
            || !g_date_time_equal (lers_record_get_timestamp (g_ptr_array_index (wrong, i)),
                                   lers_record_get_timestamp (g_ptr_array_index (reference, i)));
    }
  ck_assert (differs || wrong->len != reference->len);

  /* 24 consecutive hours: exactly one of them starts at 01:00Z, the
   * meter's 11:00 */
  hours = stored_hours (local_point);
  ck_assert_msg (strstr (hours, " 01") != NULL, "%s", hours);

  /* the API shows each time in Vladivostok time: UTC + 10 h */
  target = g_strdup_printf ("/api/v1/points/%" G_GINT64_FORMAT "/archive?kind=hour&from=%s&to=%s",
                            local_point, from_iso, to_iso);
  root = api_get (target, 200);
  ck_assert_str_eq (member (root, "time_zone"), "Asia/Vladivostok");
  ck_assert_uint_eq (json_array_get_length (records_of (root)), 24);
  for (guint i = 0; i < 24; i++)
    {
      LersRecord *r = g_ptr_array_index (local, i);
      g_autofree gchar *expected = shifted (lers_record_get_timestamp (r), 10, "+10:00");

      ck_assert_str_eq (timestamp_at (root, i), expected);
      if (g_date_time_get_hour (lers_record_get_timestamp (r)) == 1)
        eleven = i;
    }
  ck_assert_uint_ne (eleven, G_MAXUINT);
  ck_assert_msg (g_str_has_suffix (timestamp_at (root, eleven), "T11:00:00+10:00"), "%s",
                 timestamp_at (root, eleven));
  {
    g_autofree gchar *from_text = shifted (from, 10, "+10:00");
    ck_assert_str_eq (member (root, "from"), from_text);
  }
}
END_TEST

START_TEST (test_vladivostok_bare_dates)
{
  gint64 vvo = add_territory ("Приморский край", "Asia/Vladivostok");
  gint64 point = add_point (vvo, &meters[METER_VVO], NULL);
  g_autofree gchar *target = g_strdup_printf (
      "/api/v1/points/%" G_GINT64_FORMAT "/archive?kind=day&from=2026-11-24&to=2026-11-25", point);
  g_autofree gchar *bad = g_strdup_printf (
      "/api/v1/points/%" G_GINT64_FORMAT "/archive?from=2026-11-25&to=2026-11-24", point);
  g_autoptr (JsonNode) root = api_get (target, 200);
  g_autoptr (JsonNode) error_root = api_get (bad, 400);
  g_autoptr (JsonNode) other = NULL;

  /* a bare date is the node's midnight, shown with its offset */
  ck_assert_str_eq (member (root, "from"), "2026-11-24T00:00:00+10:00");
  ck_assert_str_eq (member (root, "to"), "2026-11-25T00:00:00+10:00");
  /* a time with an offset keeps it, and is shown in the node's zone:
   * 2026-11-24T01:00Z is 11:00+10 */
  g_free (target);
  target = g_strdup_printf ("/api/v1/points/%" G_GINT64_FORMAT
                            "/archive?from=2026-11-24T01:00:00Z&to=2026-11-24T12:00:00",
                            point);
  other = api_get (target, 200);
  ck_assert_str_eq (member (other, "from"), "2026-11-24T11:00:00+10:00");
  /* no offset: wall-clock time there */
  ck_assert_str_eq (member (other, "to"), "2026-11-24T12:00:00+10:00");
  ck_assert_str_eq (
      json_object_get_string_member (
          json_object_get_object_member (json_node_get_object (error_root), "error"), "code"),
      "invalid-argument");
}
END_TEST

START_TEST (test_berlin_autumn_change)
{
  g_autoptr (GDateTime) change = g_date_time_new_from_unix_utc (CHANGE_UNIX); /* 01:00Z */
  g_autoptr (GDateTime) from = g_date_time_add_hours (change, -3);
  g_autoptr (GDateTime) to = g_date_time_add_hours (change, 3);
  gint64 berlin = add_territory ("Berlin", "Europe/Berlin");
  gint64 local_point = add_point (berlin, &meters[METER_BER], NULL);
  gint64 utc_point = add_point (berlin, &meters[METER_UTC], "UTC");
  g_autoptr (GPtrArray) local = NULL;
  g_autoptr (GPtrArray) reference = NULL;
  g_autofree gchar *hours = NULL;
  g_autofree gchar *target = NULL;
  g_autoptr (JsonNode) root = NULL;
  const gchar *date = "2026-10-25";
  /* 22:00Z the day before to 03:00Z: 00:00, 01:00, 02:00 summer time,
   * then 02:00, 03:00, 04:00 winter time */
  const gchar *const shown[] = { "T00:00:00+02:00", "T01:00:00+02:00", "T02:00:00+02:00",
                                 "T02:00:00+01:00", "T03:00:00+01:00", "T04:00:00+01:00" };

  /* both meters' clocks stand at 2026-10-26T01:00Z, a day after the
   * change, whatever today's date: the archive they hold covers it */
  g_object_set (meters[METER_BER].sim.simulator, "clock-time", CHANGE_UNIX + 24 * 3600, NULL);
  g_object_set (meters[METER_UTC].sim.simulator, "clock-time", CHANGE_UNIX + 24 * 3600, NULL);
  ck_assert_int_eq (read_point (local_point, from, to), 6);
  ck_assert_int_eq (read_point (utc_point, from, to), 6);
  local = stored (local_point, from, to);
  reference = stored (utc_point, from, to);
  assert_same_archive (local, reference);

  /* six rows, six different UTC hours: none lost, none doubled */
  hours = stored_hours (local_point);
  ck_assert_str_eq (hours, "24 22,24 23,25 00,25 01,25 02,25 03");

  /* the API: a bare date is Berlin midnight (+02:00 that night), a time
   * without offset is Berlin wall-clock time (05:00+01:00 = 04:00Z) */
  target = g_strdup_printf ("/api/v1/points/%" G_GINT64_FORMAT "/archive?from=%s&to=%sT05:00",
                            local_point, date, date);
  root = api_get (target, 200);
  ck_assert_str_eq (member (root, "time_zone"), "Europe/Berlin");
  ck_assert_uint_eq (json_array_get_length (records_of (root)), 6);
  for (guint i = 0; i < G_N_ELEMENTS (shown); i++)
    {
      g_autofree gchar *expected = g_strconcat (date, shown[i], NULL);
      ck_assert_str_eq (timestamp_at (root, i), expected);
    }
  {
    g_autofree gchar *from_text = g_strconcat (date, "T00:00:00+02:00", NULL);
    g_autofree gchar *to_text = g_strconcat (date, "T05:00:00+01:00", NULL);
    ck_assert_str_eq (member (root, "from"), from_text);
    ck_assert_str_eq (member (root, "to"), to_text);
  }
}
END_TEST

/* `lers archive` for a Vladivostok point: the zone in the heading, each
 * row's time in Vladivostok time with its offset */
START_TEST (test_cli_vladivostok)
{
  gint64 vvo = add_territory ("Приморский край", "Asia/Vladivostok");
  gint64 point = add_point (vvo, &meters[METER_VVO], NULL);
  g_autoptr (GPtrArray) records = g_ptr_array_new_with_free_func (g_object_unref);
  g_autofree gchar *lers = g_build_filename (g_getenv ("LERS_BUILD_ROOT"), "tools", "lers", NULL);
  g_autofree gchar *db = g_strconcat ("--db=", lers_check_get_uri (), NULL);
  g_autofree gchar *id = g_strdup_printf ("%" G_GINT64_FORMAT, point);
  /* --from is a bare date: Vladivostok midnight, 2026-11-23T14:00Z */
  const gchar *argv[]
      = { lers, db, "archive", id, "--from=2026-11-24", "--to=2026-11-24T03:00", NULL };
  g_autoptr (GError) error = NULL;
  g_autofree gchar *out = NULL;
  g_autofree gchar *err = NULL;
  g_auto (GStrv) lines = NULL;
  gint status;

  /* hours 13:00Z to 17:00Z on the 23rd: 23:00 to 03:00 local */
  for (gint h = 13; h <= 17; h++)
    {
      g_autoptr (GDateTime) ts = g_date_time_new_utc (2026, 11, 23, h, 0, 0);
      LersRecord *r = lers_record_new (ts, LERS_ARCHIVE_KIND_HOUR);
      lers_record_set_value (r, LERS_PARAMETER_T_IN, 70 + h, LERS_VALUE_FLAG_NONE);
      g_ptr_array_add (records, r);
    }
  ck_assert (lers_store_write_records_sync (lers_check_get_store (), point, records, NULL, &error));

  ck_assert (g_spawn_sync (NULL, (gchar **) argv, NULL, G_SPAWN_DEFAULT, NULL, NULL, &out, &err,
                           &status, &error));
  ck_assert_msg (g_spawn_check_wait_status (status, NULL), "%s", err);
  lines = g_strsplit (out, "\n", -1);
  /* a heading, 14:00Z..16:00Z (00:00..02:00 local: from midnight to the
   * wall-clock 03:00, not included), the count */
  ck_assert_uint_eq (g_strv_length (lines), 6);
  ck_assert_msg (g_str_has_prefix (lines[0], "TIME (Asia/Vladivostok)"), "%s", lines[0]);
  ck_assert_msg (g_str_has_prefix (lines[1], "2026-11-24 00:00 +10:00"), "%s", lines[1]);
  ck_assert_msg (strstr (lines[1], "84.0000") != NULL, "%s", lines[1]);
  ck_assert_msg (g_str_has_prefix (lines[2], "2026-11-24 01:00 +10:00"), "%s", lines[2]);
  ck_assert_msg (g_str_has_prefix (lines[3], "2026-11-24 02:00 +10:00"), "%s", lines[3]);
  ck_assert_msg (strstr (lines[3], "86.0000") != NULL, "%s", lines[3]);
  ck_assert_str_eq (lines[4], "3 records");
}
END_TEST

/* `lers territory`: add one with a zone, refuse an unknown zone, put a
 * node in it; the node's point then shows Vladivostok time */
START_TEST (test_cli_territory)
{
  gint64 point = add_point (0, &meters[METER_VVO], NULL);
  g_autoptr (GError) error = NULL;
  g_autoptr (LersMeasurePoint) p
      = lers_store_get_measure_point_sync (lers_check_get_store (), point, NULL, &error);
  g_autofree gchar *node
      = g_strdup_printf ("%" G_GINT64_FORMAT, lers_measure_point_get_node_id (p));
  g_autofree gchar *point_s = g_strdup_printf ("%" G_GINT64_FORMAT, point);
  g_autofree gchar *out = NULL;
  g_autofree gchar *err = NULL;
  g_autofree gchar *expected = NULL;
  g_autoptr (GPtrArray) records = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr (GDateTime) ts = g_date_time_new_utc (2026, 11, 24, 1, 0, 0);

  ck_assert_int_eq (lers_check_run_lers (&out, &err, "territory", "add", "Приморский край",
                                         "--zone=Asia/Vladivostok", NULL),
                    0);
  ck_assert_str_eq (out, "Territory 1 added\n");
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);
  ck_assert_int_eq (lers_check_run_lers (&out, &err, "territory", "add", "Атлантида",
                                         "--zone=Europe/Atlantis", NULL),
                    1);
  ck_assert_msg (strstr (err, "“Europe/Atlantis” is not a time zone") != NULL, "%s", err);
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);
  ck_assert_int_eq (lers_check_run_lers (&out, &err, "territory", NULL), 0);
  ck_assert_msg (strstr (out, "1      —        Asia/Vladivostok         Приморский край\n") != NULL,
                 "%s", out);
  ck_assert_msg (strstr (out, "Атлантида") == NULL, "%s", out);
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);
  ck_assert_int_eq (lers_check_run_lers (&out, &err, "territory", "assign", node, "1", NULL), 0);
  expected = g_strdup_printf ("Node %s is in territory 1 now\n", node);
  ck_assert_str_eq (out, expected);
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);
  ck_assert_int_eq (lers_check_run_lers (&out, &err, "territory", "assign", node, "99", NULL), 1);
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);

  /* 01:00Z: 11:00 in Vladivostok */
  {
    LersRecord *r = lers_record_new (ts, LERS_ARCHIVE_KIND_HOUR);
    lers_record_set_value (r, LERS_PARAMETER_T_IN, 71.5, LERS_VALUE_FLAG_NONE);
    g_ptr_array_add (records, r);
  }
  ck_assert (lers_store_write_records_sync (lers_check_get_store (), point, records, NULL, &error));
  ck_assert_int_eq (lers_check_run_lers (&out, &err, "archive", point_s, "--from=2026-11-24T11:00",
                                         "--to=2026-11-24T12:00", NULL),
                    0);
  ck_assert_msg (strstr (out, "\n2026-11-24 11:00 +10:00 ") != NULL, "%s", out);
  ck_assert_msg (g_str_has_suffix (out, "1 record\n"), "%s", out);
}
END_TEST

int
main (int argc, char **argv)
{
  Suite *s = suite_create ("localtime");
  TCase *tc = tcase_create ("meters");

  /* the server keeps UTC here, unlike any of the meters */
  g_setenv ("TZ", "UTC", TRUE);
  lers_check_init (&argc, &argv);
  tcase_add_unchecked_fixture (tc, lers_check_cluster_setup, lers_check_cluster_teardown);
  tcase_add_checked_fixture (tc, setup, teardown);
  tcase_set_timeout (tc, 240);
  tcase_add_test (tc, test_vladivostok_meter);
  tcase_add_test (tc, test_vladivostok_bare_dates);
  tcase_add_test (tc, test_berlin_autumn_change);
  tcase_add_test (tc, test_cli_vladivostok);
  tcase_add_test (tc, test_cli_territory);
  suite_add_tcase (s, tc);
  return lers_check_run_suite (s);
}
