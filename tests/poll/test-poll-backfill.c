/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Backfill planning against a real PostgreSQL: archives stored with holes
 * through LersStore, and the backfill jobs that
 * lers_poll_queue_plan_backfill_sync() adds for them. Expected ranges are
 * worked out by hand in comments (Moscow UTC+3 all year; Berlin CEST UTC+2
 * until 2026-10-25 01:00Z, CET UTC+1 after). */
#include <check.h>
#include <lers.h>

#include "lers-check.h"

/* 2026-11-30T10:07:00Z */
#define NOW_ISO "2026-11-30T10:07:00Z"

static GDateTime *
at (const gchar *iso)
{
  GDateTime *dt = g_date_time_new_from_iso8601 (iso, NULL);

  ck_assert_msg (dt != NULL, "bad time %s", iso);
  return dt;
}

/* A point @id in a territory of @zone, on a device and connection (TCP)
 * of its own, read every hour. */
static void
add_point (gint id, const gchar *zone)
{
  g_autofree gchar *sql = g_strdup_printf (
      "INSERT INTO territories (id, title, timezone) VALUES (%d, 't%d', '%s');"
      "INSERT INTO nodes (id, territory_id, title) VALUES (%d, %d, 'n%d');"
      "INSERT INTO connections (id, kind, host, port) VALUES (%d, 0, 'h%d', 1000);"
      "INSERT INTO devices (id, protocol, connection_id) VALUES (%d, 'mbus', %d);"
      "INSERT INTO measure_points (id, node_id, device_id, title, poll_interval)"
      " VALUES (%d, %d, %d, 'p%d', 3600)",
      id, id, zone, id, id, id, id, id, id, id, id, id, id, id);

  lers_check_sql_exec (sql);
}

/* Stores records of @kind at the times of @isos (NULL-terminated). */
static void
store (gint point, LersArchiveKind kind, ...)
{
  g_autoptr (GPtrArray) records = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr (GError) error = NULL;
  const gchar *iso;
  va_list ap;

  va_start (ap, kind);
  while ((iso = va_arg (ap, const gchar *)) != NULL)
    {
      g_autoptr (GDateTime) ts = at (iso);
      LersRecord *r = lers_record_new (ts, kind);

      lers_record_set_value (r, LERS_PARAMETER_T_IN, 70.5, LERS_VALUE_FLAG_NONE);
      g_ptr_array_add (records, r);
    }
  va_end (ap);
  ck_assert (lers_store_write_records_sync (lers_check_get_store (), point, records, NULL, &error));
  lers_check_assert_no_error (error);
}

static guint
backfill_at (LersPollQueue *queue, const gchar *iso, guint max_jobs)
{
  g_autoptr (GDateTime) now = at (iso);
  g_autoptr (GError) error = NULL;
  guint n = lers_poll_queue_plan_backfill_sync (queue, now, max_jobs, NULL, &error);

  lers_check_assert_no_error (error);
  return n;
}

/* The backfill jobs, in the order they were added: "point kind from..to",
 * each checked to be a queued backfill job due at @now with no slot. */
static gchar *
backfill_jobs (const gchar *now)
{
  g_autofree gchar *sql = g_strdup_printf (
      "SELECT coalesce(string_agg(point_id || ' ' || kind || ' '"
      " || to_char(from_at AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI\"Z\"') || '..'"
      " || to_char(to_at AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI\"Z\"')"
      " || CASE WHEN priority = 2 AND slot IS NULL AND connection_id = point_id"
      " AND due_at = '%s' THEN '' ELSE ' (bad)' END, ', ' ORDER BY id), '') FROM poll_jobs",
      now);

  return lers_check_sql_value (sql);
}

START_TEST (test_backfill_holes_oldest_first)
{
  g_autoptr (LersPollQueue) queue = lers_poll_queue_new (lers_check_get_store ());
  g_autofree gchar *first = NULL;
  g_autofree gchar *second = NULL;
  g_autofree gchar *range = NULL;

  add_point (1, "UTC");
  add_point (2, "UTC");
  add_point (3, "UTC");
  /* point 1: 00..03, 06, 07, 09 on the 30th: holes 04..05 and 08 */
  store (1, LERS_ARCHIVE_KIND_HOUR, "2026-11-30T00:00:00Z", "2026-11-30T01:00:00Z",
         "2026-11-30T02:00:00Z", "2026-11-30T03:00:00Z", "2026-11-30T06:00:00Z",
         "2026-11-30T07:00:00Z", "2026-11-30T09:00:00Z", NULL);
  /* point 2: 10 and 13 on the 29th: hole 11..12, the oldest */
  store (2, LERS_ARCHIVE_KIND_HOUR, "2026-11-29T10:00:00Z", "2026-11-29T13:00:00Z", NULL);
  /* point 3: 00 and 02 on the 30th: hole 01 */
  store (3, LERS_ARCHIVE_KIND_HOUR, "2026-11-30T00:00:00Z", "2026-11-30T02:00:00Z", NULL);

  /* at most 2 open: the two oldest holes, points 2 and 3 */
  ck_assert_uint_eq (backfill_at (queue, NOW_ISO, 2), 2);
  first = backfill_jobs (NOW_ISO);
  ck_assert_str_eq (first, "2 1 2026-11-29T11:00Z..2026-11-29T12:00Z, "
                           "3 1 2026-11-30T01:00Z..2026-11-30T01:00Z");
  ck_assert_int_eq (lers_check_sql_int ("SELECT count(*) FROM poll_links"), 2);
  /* both still open: the cap counts them */
  ck_assert_uint_eq (backfill_at (queue, NOW_ISO, 2), 0);

  /* point 2's job is done but the meter had nothing for 11..12; point 3's
   * job is done and delivered hour 01 */
  lers_check_sql_exec ("UPDATE poll_jobs SET state = 2, finished_at = '" NOW_ISO "'");
  store (3, LERS_ARCHIVE_KIND_HOUR, "2026-11-30T01:00:00Z", NULL);
  /* point 2's hole was tried within 24 hours, point 3 has none: point 1's
   * oldest hole, 04..05 (one job for the point and kind, not two) */
  ck_assert_uint_eq (backfill_at (queue, NOW_ISO, 5), 1);
  ck_assert_int_eq (lers_check_sql_int ("SELECT count(*) FROM poll_jobs WHERE state = 0"), 1);
  range = lers_check_sql_value ("SELECT to_char(from_at AT TIME ZONE 'UTC', 'HH24:MI')"
                                " || '..' || to_char(to_at AT TIME ZONE 'UTC', 'HH24:MI')"
                                " FROM poll_jobs WHERE state = 0 AND point_id = 1");
  ck_assert_str_eq (range, "04:00..05:00");

  /* 25 hours later nothing was tried within 24 hours: the holes of point
   * 2 (29th 11:00) and point 1 (30th 04:00) are both open again; with room
   * for one job, the older */
  lers_check_sql_exec ("UPDATE poll_jobs SET state = 2, finished_at = '" NOW_ISO "'"
                       " WHERE point_id = 1");
  ck_assert_uint_eq (backfill_at (queue, "2026-12-01T11:07:00Z", 1), 1);
  second = lers_check_sql_value ("SELECT point_id || ' ' || to_char(from_at AT TIME ZONE 'UTC',"
                                 " 'DD HH24:MI') FROM poll_jobs WHERE state = 0");
  ck_assert_str_eq (second, "2 29 11:00");
}
END_TEST

START_TEST (test_backfill_span_and_depth)
{
  g_autoptr (LersPollQueue) queue = lers_poll_queue_new (lers_check_get_store ());
  g_autofree gchar *jobs = NULL;

  add_point (1, "UTC");
  add_point (2, "UTC");
  /* point 1: a hole of 29 days, 1 Nov 01:00 .. 29 Nov 23:00 */
  store (1, LERS_ARCHIVE_KIND_HOUR, "2026-11-01T00:00:00Z", "2026-11-30T00:00:00Z", NULL);
  /* point 2 keeps 48 hours (from 2026-11-28T10:07Z): the hole after the
   * 27th's record is beyond it; in it 29th 01..02 and 29th 04..23 */
  lers_check_sql_exec ("UPDATE devices SET depth_hours = 48 WHERE id = 2");
  store (2, LERS_ARCHIVE_KIND_HOUR, "2026-11-27T00:00:00Z", "2026-11-29T00:00:00Z",
         "2026-11-29T03:00:00Z", "2026-11-30T00:00:00Z", NULL);

  /* point 1: at most 168 hours a job: 1 Nov 01:00 + 167 h = 8 Nov 00:00 */
  ck_assert_uint_eq (backfill_at (queue, NOW_ISO, 10), 2);
  jobs = backfill_jobs (NOW_ISO);
  ck_assert_str_eq (jobs, "1 1 2026-11-01T01:00Z..2026-11-08T00:00Z, "
                          "2 1 2026-11-29T01:00Z..2026-11-29T02:00Z");

  /* the meter had nothing for that week: the next week, 8 Nov 01:00 + 167 h
   * = 15 Nov 00:00; point 2's next hole 04..23 */
  lers_check_sql_exec ("UPDATE poll_jobs SET state = 3, finished_at = '" NOW_ISO "'");
  ck_assert_uint_eq (backfill_at (queue, NOW_ISO, 10), 2);
  g_free (jobs);
  jobs = lers_check_sql_value (
      "SELECT string_agg(point_id || ' ' || to_char(from_at AT TIME ZONE 'UTC', 'DD HH24:MI')"
      " || '..' || to_char(to_at AT TIME ZONE 'UTC', 'DD HH24:MI'), ', ' ORDER BY id)"
      " FROM poll_jobs WHERE state = 0");
  ck_assert_str_eq (jobs, "1 08 01:00..15 00:00, 2 29 04:00..29 23:00");

  /* depth 0: nothing of point 2 is looked at */
  lers_check_sql_exec ("DELETE FROM poll_jobs; UPDATE devices SET depth_hours = 0 WHERE id = 2");
  ck_assert_uint_eq (backfill_at (queue, NOW_ISO, 10), 1);
  ck_assert_int_eq (lers_check_sql_int ("SELECT count(*) FROM poll_jobs WHERE point_id = 2"), 0);
}
END_TEST

START_TEST (test_backfill_local_calendar)
{
  g_autoptr (LersPollQueue) queue = lers_poll_queue_new (lers_check_get_store ());
  g_autofree gchar *jobs = NULL;

  add_point (4, "Europe/Moscow");
  add_point (5, "Europe/Berlin");
  /* Moscow days at local midnight (21:00Z the day before): 1 Jun and 25
   * Nov; the hole 2 Jun .. 24 Nov is cut to 62 days: 2 Jun .. 2 Aug MSK =
   * 2026-06-01T21:00Z .. 2026-08-01T21:00Z */
  store (4, LERS_ARCHIVE_KIND_DAY, "2026-05-31T21:00:00Z", "2026-11-24T21:00:00Z", NULL);
  /* Moscow months: 1 Jan 2025 and 1 Jun 2026 MSK: the hole Feb 2025 ..
   * May 2026 is cut to 12 months: 1 Feb 2025 .. 1 Jan 2026 MSK =
   * 2025-01-31T21:00Z .. 2025-12-31T21:00Z */
  store (4, LERS_ARCHIVE_KIND_MONTH, "2024-12-31T21:00:00Z", "2026-05-31T21:00:00Z", NULL);
  /* Berlin days across the change to CET: 24 Oct 00:00 CEST (23rd 22:00Z)
   * and 27 Oct 00:00 CET (26th 23:00Z): missing 25 Oct 00:00 CEST
   * (24th 22:00Z) .. 26 Oct 00:00 CET (25th 23:00Z) */
  store (5, LERS_ARCHIVE_KIND_DAY, "2026-10-23T22:00:00Z", "2026-10-26T23:00:00Z", NULL);

  /* oldest first: the months, Moscow's days, Berlin's days */
  ck_assert_uint_eq (backfill_at (queue, NOW_ISO, 10), 3);
  jobs = backfill_jobs (NOW_ISO);
  ck_assert_str_eq (jobs, "4 3 2025-01-31T21:00Z..2025-12-31T21:00Z, "
                          "4 2 2026-06-01T21:00Z..2026-08-01T21:00Z, "
                          "5 2 2026-10-24T22:00Z..2026-10-25T23:00Z");

  /* 36 months back from Nov 2026 is Nov 2023: with a depth of 12 months
   * (from 30 Nov 2025 13:07 MSK) the January 2025 record is beyond it and
   * the month hole is not seen */
  lers_check_sql_exec ("DELETE FROM poll_jobs; UPDATE devices SET depth_months = 12 WHERE id = 4");
  ck_assert_uint_eq (backfill_at (queue, NOW_ISO, 10), 2);
  ck_assert_int_eq (lers_check_sql_int ("SELECT count(*) FROM poll_jobs WHERE kind = 3"), 0);
}
END_TEST

START_TEST (test_backfill_skips_unpolled)
{
  g_autoptr (LersPollQueue) queue = lers_poll_queue_new (lers_check_get_store ());

  add_point (1, "UTC");
  add_point (2, "UTC");
  store (1, LERS_ARCHIVE_KIND_HOUR, "2026-11-30T00:00:00Z", "2026-11-30T02:00:00Z", NULL);
  store (2, LERS_ARCHIVE_KIND_HOUR, "2026-11-30T00:00:00Z", "2026-11-30T02:00:00Z", NULL);
  store (2, LERS_ARCHIVE_KIND_DAY, "2026-11-20T00:00:00Z", "2026-11-22T00:00:00Z", NULL);
  /* point 1 calls in over GPRS; point 2 keeps its day archive unread */
  lers_check_sql_exec ("UPDATE connections SET kind = 1 WHERE id = 1;"
                       "INSERT INTO poll_schedules (point_id, kind, enabled, every_minutes,"
                       " at_minutes) VALUES (2, 2, false, 1440, 30)");
  ck_assert_uint_eq (backfill_at (queue, NOW_ISO, 10), 1);
  ck_assert_int_eq (lers_check_sql_int ("SELECT count(*) FROM poll_jobs WHERE point_id = 2"
                                        " AND kind = 1"),
                    1);
  /* max 0: nothing */
  lers_check_sql_exec ("DELETE FROM poll_jobs");
  ck_assert_uint_eq (backfill_at (queue, NOW_ISO, 0), 0);
  ck_assert_int_eq (lers_check_sql_int ("SELECT count(*) FROM poll_jobs"), 0);
}
END_TEST

static Suite *
backfill_suite (void)
{
  Suite *s = suite_create ("poll-backfill");
  TCase *tc = tcase_create ("backfill");

  tcase_add_unchecked_fixture (tc, lers_check_cluster_setup, lers_check_cluster_teardown);
  tcase_add_checked_fixture (tc, lers_check_store_setup, lers_check_store_teardown);
  tcase_set_timeout (tc, 120);
  tcase_add_test (tc, test_backfill_holes_oldest_first);
  tcase_add_test (tc, test_backfill_span_and_depth);
  tcase_add_test (tc, test_backfill_local_calendar);
  tcase_add_test (tc, test_backfill_skips_unpolled);
  suite_add_tcase (s, tc);
  return s;
}

int
main (int argc, char **argv)
{
  lers_check_init (&argc, &argv);
  return lers_check_run_suite (backfill_suite ());
}
