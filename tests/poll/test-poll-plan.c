/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The planner of LersPollQueue against a real PostgreSQL: which routine
 * jobs it adds for which slots, in which zone; schedules set, checked,
 * reset and listed. Every expected slot is worked out by hand in a comment
 * (zones from the IANA rules: Moscow UTC+3 all year; Berlin CEST UTC+2
 * until 2026-10-25 01:00Z, then CET UTC+1); Unix times with GNU date
 * (`date -u -d 2026-11-30T11:05:00Z +%s`). */
#include <check.h>
#include <lers.h>

#include "lers-check.h"

/* 2026-11-30T10:07:00Z = 13:07 in Moscow */
#define NOW_ISO "2026-11-30T10:07:00Z"

static GDateTime *
at (const gchar *iso)
{
  GDateTime *dt = g_date_time_new_from_iso8601 (iso, NULL);

  ck_assert_msg (dt != NULL, "bad time %s", iso);
  return dt;
}

/* A point @id in a territory of @zone (NULL: none), on a device of its own
 * behind a connection of @conn_kind, all with the same id. */
static void
add_point (gint id, const gchar *zone, gint conn_kind, gint poll_interval, gint poll_offset)
{
  g_autofree gchar *sql = NULL;
  g_autofree gchar *zone_sql = zone != NULL ? g_strdup_printf ("'%s'", zone) : g_strdup ("NULL");

  sql = g_strdup_printf (
      "INSERT INTO territories (id, title, timezone) VALUES (%d, 't%d', %s);"
      "INSERT INTO nodes (id, territory_id, title) VALUES (%d, %d, 'n%d');"
      "INSERT INTO connections (id, kind, host, port) VALUES (%d, %d, 'h%d', 1000);"
      "INSERT INTO devices (id, protocol, connection_id) VALUES (%d, 'mbus', %d);"
      "INSERT INTO measure_points (id, node_id, device_id, title, poll_interval, poll_offset)"
      " VALUES (%d, %d, %d, 'p%d', %d, %d)",
      id, id, zone_sql, id, id, id, id, conn_kind, id, id, id, id, id, id, id, poll_interval,
      poll_offset);
  lers_check_sql_exec (sql);
}

/* The routine jobs of @point: "kind slot" by kind and slot, each checked
 * to be due at its slot, reading from the last record (no range). */
static gchar *
jobs_of (gint point)
{
  g_autofree gchar *sql = g_strdup_printf (
      "SELECT coalesce(string_agg(kind || ' ' || to_char(slot AT TIME ZONE 'UTC',"
      " 'YYYY-MM-DD\"T\"HH24:MI\"Z\"') || CASE WHEN due_at = slot AND priority = 3"
      " AND from_at IS NULL AND to_at IS NULL THEN '' ELSE ' (bad)' END, ', '"
      " ORDER BY kind, slot), '') FROM poll_jobs WHERE point_id = %d",
      point);

  return lers_check_sql_value (sql);
}

static guint
plan_at (LersPollQueue *queue, const gchar *iso)
{
  g_autoptr (GDateTime) now = at (iso);
  g_autoptr (GError) error = NULL;
  guint n = lers_poll_queue_plan_sync (queue, now, NULL, &error);

  lers_check_assert_no_error (error);
  return n;
}

START_TEST (test_plan_moscow)
{
  g_autoptr (LersPollQueue) queue = lers_poll_queue_new (lers_check_get_store ());
  g_autofree gchar *jobs = NULL;
  g_autofree gchar *again = NULL;

  add_point (1, "Europe/Moscow", LERS_CONNECTION_KIND_TCP_CLIENT, 3600, 0);
  /* 13:07 MSK: hour at :05 → 13:05 MSK = 10:05Z; day at 00:30 MSK on the
   * 30th = 2026-11-29T21:30Z; month on the 1st at 01:00 MSK = 1 Nov 01:00
   * MSK = 2026-10-31T22:00Z */
  ck_assert_uint_eq (plan_at (queue, NOW_ISO), 3);
  jobs = jobs_of (1);
  ck_assert_str_eq (jobs, "1 2026-11-30T10:05Z, 2 2026-11-29T21:30Z, 3 2026-10-31T22:00Z");
  /* its link is in poll_links, free */
  ck_assert_int_eq (lers_check_sql_int ("SELECT count(*) FROM poll_links WHERE connection_id = 1"
                                        " AND lease_owner IS NULL"),
                    1);
  /* planning again changes nothing */
  ck_assert_uint_eq (plan_at (queue, NOW_ISO), 0);
  again = jobs_of (1);
  ck_assert_str_eq (again, jobs);
}
END_TEST

START_TEST (test_plan_open_job_blocks_next_slot)
{
  g_autoptr (LersPollQueue) queue = lers_poll_queue_new (lers_check_get_store ());
  g_autofree gchar *jobs = NULL;

  add_point (1, "Europe/Moscow", LERS_CONNECTION_KIND_TCP_CLIENT, 3600, 0);
  ck_assert_uint_eq (plan_at (queue, NOW_ISO), 3);
  /* an hour later all three are still queued (the link is down): none is
   * added */
  ck_assert_uint_eq (plan_at (queue, "2026-11-30T11:07:00Z"), 0);
  /* the hour job runs: still none */
  lers_check_sql_exec ("UPDATE poll_jobs SET state = 1 WHERE kind = 1");
  ck_assert_uint_eq (plan_at (queue, "2026-11-30T11:07:00Z"), 0);
  /* it is done: the slot of 14:05 MSK = 11:05Z; the day and month slots
   * are the same as before, and their jobs still queued */
  lers_check_sql_exec ("UPDATE poll_jobs SET state = 2 WHERE kind = 1");
  ck_assert_uint_eq (plan_at (queue, "2026-11-30T11:07:00Z"), 1);
  /* a failed day job does not make its slot planned twice */
  lers_check_sql_exec ("UPDATE poll_jobs SET state = 3 WHERE kind = 2");
  ck_assert_uint_eq (plan_at (queue, "2026-11-30T11:07:00Z"), 0);
  jobs = jobs_of (1);
  ck_assert_str_eq (jobs, "1 2026-11-30T10:05Z, 1 2026-11-30T11:05Z, 2 2026-11-29T21:30Z, "
                          "3 2026-10-31T22:00Z");
}
END_TEST

typedef struct
{
  LersPollQueue *queue;
  guint n;
} PlanThread;

static gpointer
plan_thread (gpointer user_data)
{
  PlanThread *t = user_data;
  g_autoptr (GDateTime) now = at (NOW_ISO);
  g_autoptr (GError) error = NULL;

  for (gint i = 0; i < 5; i++)
    {
      t->n += lers_poll_queue_plan_sync (t->queue, now, NULL, &error);
      g_assert_no_error (error);
    }
  return NULL;
}

START_TEST (test_plan_two_threads)
{
  g_autoptr (LersPollQueue) queue = lers_poll_queue_new (lers_check_get_store ());
  PlanThread a = { queue, 0 }, b = { queue, 0 };
  GThread *ta, *tb;

  for (gint i = 1; i <= 200; i++)
    add_point (i, "Europe/Moscow", LERS_CONNECTION_KIND_TCP_CLIENT, 3600, 0);
  ta = g_thread_new ("plan-a", plan_thread, &a);
  tb = g_thread_new ("plan-b", plan_thread, &b);
  g_thread_join (ta);
  g_thread_join (tb);
  /* 200 points × 3 kinds, each once whoever planned it */
  ck_assert_uint_eq (a.n + b.n, 600);
  ck_assert_int_eq (lers_check_sql_int ("SELECT count(*) FROM poll_jobs"), 600);
  ck_assert_int_eq (lers_check_sql_int ("SELECT count(DISTINCT (point_id, kind, slot))"
                                        " FROM poll_jobs"),
                    600);
  ck_assert_int_eq (lers_check_sql_int ("SELECT count(*) FROM poll_links"), 200);
}
END_TEST

START_TEST (test_plan_overrides)
{
  g_autoptr (LersPollQueue) queue = lers_poll_queue_new (lers_check_get_store ());
  g_autoptr (GError) error = NULL;
  g_autofree gchar *jobs = NULL;

  add_point (1, "Europe/Moscow", LERS_CONNECTION_KIND_TCP_CLIENT, 3600, 0);
  /* current values every 15 minutes; no day archive; the hour archive
   * every 30 minutes at :20 and :50 */
  ck_assert (lers_poll_queue_set_schedule_sync (queue, 1, LERS_ARCHIVE_KIND_CURRENT, TRUE, 15, 0,
                                                NULL, &error));
  lers_check_assert_no_error (error);
  ck_assert (lers_poll_queue_set_schedule_sync (queue, 1, LERS_ARCHIVE_KIND_DAY, FALSE, 1440, 30,
                                                NULL, &error));
  lers_check_assert_no_error (error);
  ck_assert (lers_poll_queue_set_schedule_sync (queue, 1, LERS_ARCHIVE_KIND_HOUR, TRUE, 30, 20,
                                                NULL, &error));
  lers_check_assert_no_error (error);
  /* 13:07 MSK: current at 13:00 MSK = 10:00Z; hour at 12:50 MSK = 09:50Z;
   * no day; month as before */
  ck_assert_uint_eq (plan_at (queue, NOW_ISO), 3);
  jobs = jobs_of (1);
  ck_assert_str_eq (jobs, "0 2026-11-30T10:00Z, 1 2026-11-30T09:50Z, 3 2026-10-31T22:00Z");

  /* back to the default hour (13:05 MSK = 10:05Z) once the first is done */
  ck_assert (lers_poll_queue_reset_schedule_sync (queue, 1, LERS_ARCHIVE_KIND_HOUR, NULL, &error));
  lers_check_assert_no_error (error);
  ck_assert_int_eq (lers_check_sql_int ("SELECT count(*) FROM poll_schedules"), 2);
  lers_check_sql_exec ("UPDATE poll_jobs SET state = 2");
  ck_assert_uint_eq (plan_at (queue, NOW_ISO), 1);
  g_free (jobs);
  jobs = jobs_of (1);
  ck_assert_str_eq (jobs, "0 2026-11-30T10:00Z, 1 2026-11-30T09:50Z, 1 2026-11-30T10:05Z, "
                          "3 2026-10-31T22:00Z");
}
END_TEST

START_TEST (test_plan_zones)
{
  g_autoptr (LersPollQueue) queue = lers_poll_queue_new (lers_check_get_store ());
  g_autofree gchar *utc = NULL;
  g_autofree gchar *offset = NULL;
  g_autofree gchar *inherited = NULL;
  g_autofree gchar *interval = NULL;

  add_point (1, "UTC", LERS_CONNECTION_KIND_TCP_CLIENT, 3600, 0);
  add_point (2, "+05:00", LERS_CONNECTION_KIND_SERIAL, 3600, 0);
  /* territory 3 names no zone: its parent's Asia/Vladivostok (UTC+10) */
  add_point (3, NULL, LERS_CONNECTION_KIND_MODEM, 3600, 0);
  lers_check_sql_exec ("INSERT INTO territories (id, title, timezone)"
                       " VALUES (100, 'Приморье', 'Asia/Vladivostok');"
                       "UPDATE territories SET parent_id = 100 WHERE id = 3");
  /* every 15 minutes (900 s) at 600 s = :10 → :10, :25, :40, :55 */
  add_point (4, "UTC", LERS_CONNECTION_KIND_TCP_CLIENT, 900, 600);

  ck_assert_uint_eq (plan_at (queue, NOW_ISO), 12);
  /* UTC: 10:05Z; day 2026-11-30T00:30Z; month 2026-11-01T01:00Z */
  utc = jobs_of (1);
  ck_assert_str_eq (utc, "1 2026-11-30T10:05Z, 2 2026-11-30T00:30Z, 3 2026-11-01T01:00Z");
  /* +05:00: 15:07 local → 15:05 = 10:05Z; 30 Nov 00:30 +05 =
   * 2026-11-29T19:30Z; 1 Nov 01:00 +05 = 2026-10-31T20:00Z */
  offset = jobs_of (2);
  ck_assert_str_eq (offset, "1 2026-11-30T10:05Z, 2 2026-11-29T19:30Z, 3 2026-10-31T20:00Z");
  /* Vladivostok: 20:07 local → 20:05 = 10:05Z; 30 Nov 00:30 +10 =
   * 2026-11-29T14:30Z; 1 Nov 01:00 +10 = 2026-10-31T15:00Z */
  inherited = jobs_of (3);
  ck_assert_str_eq (inherited, "1 2026-11-30T10:05Z, 2 2026-11-29T14:30Z, 3 2026-10-31T15:00Z");
  /* 10:07Z: the latest of :10, :25, :40, :55 is 09:55Z */
  interval = jobs_of (4);
  ck_assert_str_eq (interval, "1 2026-11-30T09:55Z, 2 2026-11-30T00:30Z, 3 2026-11-01T01:00Z");
}
END_TEST

/* Berlin goes from CEST (UTC+2) to CET (UTC+1) at 2026-10-25T01:00Z
 * (03:00 CEST → 02:00 CET): the wall clock shows 02:00–02:59 twice, and
 * both 02:05 are hour slots. */
START_TEST (test_plan_dst_berlin)
{
  g_autoptr (LersPollQueue) queue = lers_poll_queue_new (lers_check_get_store ());
  static const struct
  {
    const gchar *now;
    guint added;
  } steps[] = {
    { "2026-10-24T23:50:00Z", 3 }, /* 01:50 CEST on the 25th: 01:05 CEST = 23:05Z; day 25 Oct
                                      00:30 CEST = 22:30Z on the 24th; month 1 Oct 01:00 CEST =
                                      23:00Z on 30 Sep */
    { "2026-10-25T00:30:00Z", 1 }, /* 02:30 CEST: 02:05 CEST = 00:05Z */
    { "2026-10-25T01:02:00Z", 0 }, /* 02:02 CET: the latest is still 02:05 CEST = 00:05Z */
    { "2026-10-25T01:30:00Z", 1 }, /* 02:30 CET: 02:05 CET = 01:05Z */
    { "2026-10-25T02:10:00Z", 1 }, /* 03:10 CET: 03:05 CET = 02:05Z */
    { "2026-10-25T23:40:00Z", 2 }, /* 00:40 CET on the 26th: 00:05 CET = 23:05Z; day 26 Oct
                                      00:30 CET = 23:30Z on the 25th */
  };
  g_autofree gchar *jobs = NULL;

  add_point (1, "Europe/Berlin", LERS_CONNECTION_KIND_TCP_CLIENT, 3600, 0);
  for (guint i = 0; i < G_N_ELEMENTS (steps); i++)
    {
      ck_assert_msg (plan_at (queue, steps[i].now) == steps[i].added, "at %s", steps[i].now);
      lers_check_sql_exec ("UPDATE poll_jobs SET state = 2");
    }
  jobs = jobs_of (1);
  ck_assert_str_eq (jobs, "1 2026-10-24T23:05Z, 1 2026-10-25T00:05Z, 1 2026-10-25T01:05Z, "
                          "1 2026-10-25T02:05Z, 1 2026-10-25T23:05Z, "
                          "2 2026-10-24T22:30Z, 2 2026-10-25T23:30Z, 3 2026-09-30T23:00Z");
}
END_TEST

START_TEST (test_plan_skips_unpolled)
{
  g_autoptr (LersPollQueue) queue = lers_poll_queue_new (lers_check_get_store ());

  add_point (1, "UTC", LERS_CONNECTION_KIND_TCP_CLIENT, 3600, 0);
  add_point (2, "UTC", LERS_CONNECTION_KIND_GPRS_SERVER, 3600, 0); /* read when it calls */
  add_point (3, "UTC", LERS_CONNECTION_KIND_TCP_CLIENT, 0, 0);     /* no poll interval */
  lers_check_sql_exec ("INSERT INTO measure_points (id, title, poll_interval)"
                       " VALUES (4, 'no device', 3600)");
  /* even a schedule of its own does not make the GPRS point polled */
  lers_check_sql_exec ("INSERT INTO poll_schedules (point_id, kind, every_minutes, at_minutes)"
                       " VALUES (2, 0, 15, 0)");
  ck_assert_uint_eq (plan_at (queue, NOW_ISO), 3);
  ck_assert_int_eq (lers_check_sql_int ("SELECT count(*) FROM poll_jobs WHERE point_id <> 1"), 0);
  ck_assert_int_eq (lers_check_sql_int ("SELECT count(*) FROM poll_links"), 1);
}
END_TEST

START_TEST (test_schedule_bad_input)
{
  g_autoptr (LersPollQueue) queue = lers_poll_queue_new (lers_check_get_store ());
  static const struct
  {
    gint64 point;
    gint kind;
    guint every;
    guint at;
    gint code;
  } cases[] = {
    { 1, LERS_ARCHIVE_KIND_HOUR, 7, 0, LERS_ERROR_INVALID_ARGUMENT },     /* 1440 / 7 is no whole */
    { 1, LERS_ARCHIVE_KIND_HOUR, 2000, 0, LERS_ERROR_INVALID_ARGUMENT },  /* over a day, not days */
    { 1, LERS_ARCHIVE_KIND_HOUR, 46080, 0, LERS_ERROR_INVALID_ARGUMENT }, /* 32 days */
    { 1, LERS_ARCHIVE_KIND_HOUR, 60, 60, LERS_ERROR_INVALID_ARGUMENT },   /* at not below every */
    { 1, LERS_ARCHIVE_KIND_MONTH, 0, 44640, LERS_ERROR_INVALID_ARGUMENT },
    { 1, LERS_ARCHIVE_KIND_EVENTS, 60, 5, LERS_ERROR_INVALID_ARGUMENT },
    { 1, 77, 60, 5, LERS_ERROR_INVALID_ARGUMENT },
    { 999, LERS_ARCHIVE_KIND_HOUR, 60, 5, LERS_ERROR_NOT_FOUND },
    { -1, LERS_ARCHIVE_KIND_HOUR, 60, 5, LERS_ERROR_NOT_FOUND },
  };

  add_point (1, "UTC", LERS_CONNECTION_KIND_TCP_CLIENT, 3600, 0);
  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr (GError) error = NULL;

      ck_assert (!lers_poll_queue_set_schedule_sync (queue, cases[i].point, cases[i].kind, TRUE,
                                                     cases[i].every, cases[i].at, NULL, &error));
      lers_check_assert_error (error, LERS_ERROR, cases[i].code);
    }
  ck_assert_int_eq (lers_check_sql_int ("SELECT count(*) FROM poll_schedules"), 0);

  /* the edges that are good: every 44640 (31 days) at 44639, monthly at
   * 44639, every minute at 0 */
  {
    g_autoptr (GError) error = NULL;

    ck_assert (lers_poll_queue_set_schedule_sync (queue, 1, LERS_ARCHIVE_KIND_TOTALS, TRUE, 44640,
                                                  44639, NULL, &error));
    ck_assert (lers_poll_queue_set_schedule_sync (queue, 1, LERS_ARCHIVE_KIND_MONTH, TRUE, 0, 44639,
                                                  NULL, &error));
    ck_assert (lers_poll_queue_set_schedule_sync (queue, 1, LERS_ARCHIVE_KIND_CURRENT, TRUE, 1, 0,
                                                  NULL, &error));
    lers_check_assert_no_error (error);
    ck_assert_int_eq (lers_check_sql_int ("SELECT count(*) FROM poll_schedules"), 3);
    ck_assert (
        !lers_poll_queue_reset_schedule_sync (queue, 999, LERS_ARCHIVE_KIND_HOUR, NULL, &error));
    lers_check_assert_error (error, LERS_ERROR, LERS_ERROR_NOT_FOUND);
    ck_assert_int_eq (lers_check_sql_int ("SELECT count(*) FROM poll_schedules"), 3);
  }
}
END_TEST

/* Looks up the entry of @kind in a list_schedules answer. */
static GVariantDict *
entry_of (GVariant *list, const gchar *kind)
{
  for (gsize i = 0; i < g_variant_n_children (list); i++)
    {
      g_autoptr (GVariant) child = g_variant_get_child_value (list, i);
      g_autoptr (GVariantDict) dict = g_variant_dict_new (child);
      const gchar *nick = NULL;

      if (g_variant_dict_lookup (dict, "kind", "&s", &nick) && g_strcmp0 (nick, kind) == 0)
        return g_steal_pointer (&dict);
    }
  ck_abort_msg ("no entry for %s", kind);
  return NULL;
}

static void
assert_entry (GVariant *list, const gchar *kind, gboolean enabled, guint every, guint at,
              gboolean is_default, gint64 next)
{
  g_autoptr (GVariantDict) dict = entry_of (list, kind);
  gboolean b = FALSE;
  guint32 u = 0;
  gint64 x = 0;

  ck_assert (g_variant_dict_lookup (dict, "enabled", "b", &b));
  ck_assert_msg (b == enabled, "%s enabled", kind);
  ck_assert (g_variant_dict_lookup (dict, "every_minutes", "u", &u));
  ck_assert_uint_eq (u, every);
  ck_assert (g_variant_dict_lookup (dict, "at_minutes", "u", &u));
  ck_assert_uint_eq (u, at);
  ck_assert (g_variant_dict_lookup (dict, "default", "b", &b));
  ck_assert_msg (b == is_default, "%s default", kind);
  if (next == 0)
    ck_assert_msg (!g_variant_dict_contains (dict, "next"), "%s has a next", kind);
  else
    {
      ck_assert_msg (g_variant_dict_lookup (dict, "next", "x", &x), "%s has no next", kind);
      ck_assert_int_eq (x, next);
    }
}

START_TEST (test_list_schedules)
{
  g_autoptr (LersPollQueue) queue = lers_poll_queue_new (lers_check_get_store ());
  g_autoptr (GDateTime) now = at (NOW_ISO);
  g_autoptr (GDateTime) dst = at ("2026-10-25T00:30:00Z");
  g_autoptr (GVariant) list = NULL;
  g_autoptr (GVariant) changed = NULL;
  g_autoptr (GVariant) berlin = NULL;
  g_autoptr (GVariant) none = NULL;
  g_autoptr (GError) error = NULL;

  add_point (1, "Europe/Moscow", LERS_CONNECTION_KIND_TCP_CLIENT, 3600, 0);
  list = lers_poll_queue_list_schedules_sync (queue, 1, now, NULL, &error);
  lers_check_assert_no_error (error);
  ck_assert_str_eq (g_variant_get_type_string (list), "aa{sv}");
  ck_assert_uint_eq (g_variant_n_children (list), 6);
  /* 13:07 MSK: next hour 14:05 MSK = 11:05Z = 1796036700; next day 1 Dec
   * 00:30 MSK = 2026-11-30T21:30Z = 1796074200; next month 1 Dec 01:00
   * MSK = 2026-11-30T22:00Z = 1796076000 */
  assert_entry (list, "current", FALSE, 0, 0, TRUE, 0);
  assert_entry (list, "hour", TRUE, 60, 5, TRUE, 1796036700);
  assert_entry (list, "day", TRUE, 1440, 30, TRUE, 1796074200);
  assert_entry (list, "month", TRUE, 0, 60, TRUE, 1796076000);
  assert_entry (list, "totals", FALSE, 0, 0, TRUE, 0);
  assert_entry (list, "power-profile", FALSE, 0, 0, TRUE, 0);

  /* current every 15 minutes: next 13:15 MSK = 10:15Z = 1796033700;
   * totals every 2 days at 02:00: days counted from 1970-01-01, 30 Nov is
   * day 20787 (odd), so the next is 1 Dec (20788) 02:00 MSK =
   * 2026-11-30T23:00Z = 1796076000 + 3600 = 1796079600 */
  ck_assert (lers_poll_queue_set_schedule_sync (queue, 1, LERS_ARCHIVE_KIND_CURRENT, TRUE, 15, 0,
                                                NULL, &error));
  ck_assert (lers_poll_queue_set_schedule_sync (queue, 1, LERS_ARCHIVE_KIND_TOTALS, TRUE, 2880, 120,
                                                NULL, &error));
  ck_assert (lers_poll_queue_set_schedule_sync (queue, 1, LERS_ARCHIVE_KIND_DAY, FALSE, 1440, 30,
                                                NULL, &error));
  lers_check_assert_no_error (error);
  changed = lers_poll_queue_list_schedules_sync (queue, 1, now, NULL, &error);
  lers_check_assert_no_error (error);
  assert_entry (changed, "current", TRUE, 15, 0, FALSE, 1796033700);
  assert_entry (changed, "totals", TRUE, 2880, 120, FALSE, 1796079600);
  assert_entry (changed, "day", FALSE, 1440, 30, FALSE, 0);
  assert_entry (changed, "hour", TRUE, 60, 5, TRUE, 1796036700);

  /* Berlin at 02:30 CEST on 25 Oct 2026: the next hour slot is 02:05 CET =
   * 2026-10-25T01:05Z = 1792890300, the wall clock's second 02:05 */
  add_point (2, "Europe/Berlin", LERS_CONNECTION_KIND_TCP_CLIENT, 3600, 0);
  berlin = lers_poll_queue_list_schedules_sync (queue, 2, dst, NULL, &error);
  lers_check_assert_no_error (error);
  assert_entry (berlin, "hour", TRUE, 60, 5, TRUE, 1792890300);

  none = lers_poll_queue_list_schedules_sync (queue, 999, now, NULL, &error);
  ck_assert (none == NULL);
  lers_check_assert_error (error, LERS_ERROR, LERS_ERROR_NOT_FOUND);
}
END_TEST

/* 10,000 points × 3 kinds planned in one statement: the figure is printed
 * (the brief asks for well under a second; the assertion allows 5 s for a
 * loaded machine or a sanitizer build). */
START_TEST (test_plan_ten_thousand)
{
  g_autoptr (LersPollQueue) queue = lers_poll_queue_new (lers_check_get_store ());
  gint64 start;
  gdouble seconds;

  lers_check_sql_exec (
      "INSERT INTO territories (id, title, timezone) VALUES (1, 'Москва', 'Europe/Moscow');"
      "INSERT INTO nodes (id, territory_id, title) SELECT i, 1, 'n' || i"
      "  FROM generate_series(1, 1000) i;"
      "INSERT INTO connections (id, kind, host, port) SELECT i, 0, 'h' || i, 1000"
      "  FROM generate_series(1, 1000) i;"
      "INSERT INTO devices (id, protocol, connection_id) SELECT i, 'mbus', (i - 1) / 10 + 1"
      "  FROM generate_series(1, 10000) i;"
      "INSERT INTO measure_points (id, node_id, device_id, title, poll_interval)"
      "  SELECT i, (i - 1) / 10 + 1, i, 'p' || i, 3600 FROM generate_series(1, 10000) i;"
      "ANALYZE");
  start = g_get_monotonic_time ();
  ck_assert_uint_eq (plan_at (queue, NOW_ISO), 30000);
  seconds = (g_get_monotonic_time () - start) / 1e6;
  g_print ("planned 10000 points x 3 kinds in %.3f s\n", seconds);
  ck_assert_int_eq (lers_check_sql_int ("SELECT count(*) FROM poll_links"), 1000);
  ck_assert_uint_eq (plan_at (queue, NOW_ISO), 0);
  ck_assert_msg (seconds < 5.0, "planning took %.3f s", seconds);
}
END_TEST

static Suite *
plan_suite (void)
{
  Suite *s = suite_create ("poll-plan");
  TCase *tc = tcase_create ("plan");

  tcase_add_unchecked_fixture (tc, lers_check_cluster_setup, lers_check_cluster_teardown);
  tcase_add_checked_fixture (tc, lers_check_store_setup, lers_check_store_teardown);
  tcase_set_timeout (tc, 120);
  tcase_add_test (tc, test_plan_moscow);
  tcase_add_test (tc, test_plan_open_job_blocks_next_slot);
  tcase_add_test (tc, test_plan_two_threads);
  tcase_add_test (tc, test_plan_overrides);
  tcase_add_test (tc, test_plan_zones);
  tcase_add_test (tc, test_plan_dst_berlin);
  tcase_add_test (tc, test_plan_skips_unpolled);
  tcase_add_test (tc, test_schedule_bad_input);
  tcase_add_test (tc, test_list_schedules);
  tcase_add_test (tc, test_plan_ten_thousand);
  suite_add_tcase (s, tc);
  return s;
}

int
main (int argc, char **argv)
{
  lers_check_init (&argc, &argv);
  return lers_check_run_suite (plan_suite ());
}
