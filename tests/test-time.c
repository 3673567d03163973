/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Local time: zones by name, bare dates, ISO 8601 with offsets, and the
 * day and month archive intervals of a point's reporting hour and day.
 *
 * Every expected value is worked out by hand from the zone rules:
 *   Asia/Vladivostok  UTC+10 all year, no summer time;
 *   Europe/Berlin     UTC+1 (CET); UTC+2 (CEST) from the last Sunday of March
 *                     01:00Z to the last Sunday of October 01:00Z; in 2026
 *                     those Sundays are 29 March and 25 October. */
#include <check.h>
#include <lers.h>
#include <stdlib.h>

#include "lers-check.h"

static GTimeZone *
zone (const gchar *name)
{
  g_autoptr (GError) error = NULL;
  GTimeZone *tz = lers_time_zone_new (name, &error);

  lers_check_assert_no_error (error);
  return tz;
}

static GDateTime *
utc (const gchar *iso)
{
  g_autoptr (GTimeZone) z = g_time_zone_new_utc ();
  GDateTime *dt = g_date_time_new_from_iso8601 (iso, z);

  ck_assert_msg (dt != NULL, "bad test time %s", iso);
  return dt;
}

static void
assert_time (GDateTime *dt, const gchar *expected_utc)
{
  g_autofree gchar *got = dt != NULL ? g_date_time_format (dt, "%Y-%m-%dT%H:%M:%SZ") : NULL;
  ck_assert_msg (dt != NULL && g_date_time_get_utc_offset (dt) == 0, "not a UTC time");
  ck_assert_str_eq (got, expected_utc);
}

START_TEST (test_zone_names)
{
  static const struct
  {
    const gchar *name;
    gboolean valid;
  } cases[] = {
    { "Asia/Vladivostok", TRUE },
    { "Europe/Berlin", TRUE },
    { "UTC", TRUE },
    { "+03:00", TRUE },
    { "Europe/Atlantis", FALSE },
    { "Moscow", FALSE },
    { "/etc/passwd", FALSE },
    { "../../../../etc/localtime", FALSE },
    { "Europe/Berlin\n", FALSE },
    { "Европа/Москва", FALSE },
    { "\xff\xfe", FALSE },
  };

  for (gsize i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr (GError) error = NULL;
      g_autoptr (GTimeZone) tz = lers_time_zone_new (cases[i].name, &error);

      if (cases[i].valid)
        {
          ck_assert_msg (tz != NULL, "%s: %s", cases[i].name, error ? error->message : "");
          lers_check_assert_no_error (error);
        }
      else
        {
          ck_assert_msg (tz == NULL, "%s was accepted", cases[i].name);
          lers_check_assert_error (error, LERS_ERROR, LERS_ERROR_INVALID_ARGUMENT);
        }
    }
}
END_TEST

START_TEST (test_zone_default_is_server)
{
  /* main() sets TZ=Asia/Vladivostok, the server's zone here:
   * NULL and "" are that zone, 10 h ahead of UTC on any date */
  g_autoptr (GDateTime) t = utc ("2026-07-01T00:00:00Z");
  const gchar *names[] = { NULL, "" };

  for (gsize i = 0; i < G_N_ELEMENTS (names); i++)
    {
      g_autoptr (GError) error = NULL;
      g_autoptr (GTimeZone) tz = lers_time_zone_new (names[i], &error);
      g_autofree gchar *text = NULL;

      lers_check_assert_no_error (error);
      text = lers_time_format (t, tz);
      ck_assert_str_eq (text, "2026-07-01T10:00:00+10:00");
    }
}
END_TEST

START_TEST (test_format_with_offset)
{
  g_autoptr (GTimeZone) vvo = zone ("Asia/Vladivostok");
  g_autoptr (GTimeZone) ber = zone ("Europe/Berlin");
  g_autoptr (GDateTime) one_z = utc ("2026-11-24T01:00:00Z");
  g_autoptr (GDateTime) before = utc ("2026-10-25T00:30:00Z");
  g_autoptr (GDateTime) after = utc ("2026-10-25T01:30:00Z");
  g_autoptr (GDateTime) summer = utc ("2026-03-29T01:00:00Z");
  g_autofree gchar *a = lers_time_format (one_z, vvo);
  g_autofree gchar *b = lers_time_format (before, ber);
  g_autofree gchar *c = lers_time_format (after, ber);
  g_autofree gchar *d = lers_time_format (summer, ber);
  g_autofree gchar *e = lers_time_format (one_z, NULL);

  /* 01:00Z + 10 h */
  ck_assert_str_eq (a, "2026-11-24T11:00:00+10:00");
  /* 00:30Z is still summer time: + 2 h; 01:30Z is winter time: + 1 h, and
   * shows the same wall-clock time 02:30 with another offset */
  ck_assert_str_eq (b, "2026-10-25T02:30:00+02:00");
  ck_assert_str_eq (c, "2026-10-25T02:30:00+01:00");
  /* spring: at 01:00Z the clocks jump from 02:00 CET to 03:00 CEST */
  ck_assert_str_eq (d, "2026-03-29T03:00:00+02:00");
  ck_assert_str_eq (e, "2026-11-24T01:00:00Z");
}
END_TEST

START_TEST (test_parse_local)
{
  g_autoptr (GTimeZone) vvo = zone ("Asia/Vladivostok");
  g_autoptr (GTimeZone) ber = zone ("Europe/Berlin");
  static const struct
  {
    const gchar *zone;
    const gchar *text;
    const gchar *utc; /* NULL: not a time */
  } cases[] = {
    /* a bare date is local midnight: 00:00+10 = 14:00Z the day before */
    { "vvo", "2026-11-24", "2026-11-23T14:00:00Z" },
    /* without an offset: local wall-clock time, 11:00+10 = 01:00Z */
    { "vvo", "2026-11-24T11:00:00", "2026-11-24T01:00:00Z" },
    { "vvo", "2026-11-24T11:00", "2026-11-24T01:00:00Z" },
    { "vvo", "2026-11-24T13:00+03:00", "2026-11-24T10:00:00Z" },
    { "vvo", "2026-11-24T01:00Z", "2026-11-24T01:00:00Z" },
    { "vvo", "2026-11-24T11:0", NULL },
    { "vvo", "2026-11-24T11:00:", NULL },
    /* an explicit offset wins over the zone */
    { "vvo", "2026-11-24T11:00:00Z", "2026-11-24T11:00:00Z" },
    { "vvo", "2026-11-24T11:00:00+03:00", "2026-11-24T08:00:00Z" },
    /* Berlin: midnight of the long day is still summer time, 00:00+02 */
    { "ber", "2026-10-25", "2026-10-24T22:00:00Z" },
    /* midnight of the next day is winter time, 00:00+01 */
    { "ber", "2026-10-26", "2026-10-25T23:00:00Z" },
    /* summer, 00:00+02 */
    { "ber", "2026-07-01", "2026-06-30T22:00:00Z" },
    /* 02:30 happens twice on 25 October: the later, winter one, +01 */
    { "ber", "2026-10-25T02:30:00", "2026-10-25T01:30:00Z" },
    { "vvo", "2026-02-30", NULL },
    { "vvo", "24.11.2026", NULL },
    { "vvo", "", NULL },
  };

  for (gsize i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      GTimeZone *tz = g_str_equal (cases[i].zone, "vvo") ? vvo : ber;
      g_autoptr (GDateTime) dt = lers_time_parse_local (cases[i].text, tz);
      g_autofree gchar *got = dt != NULL ? g_date_time_format (dt, "%Y-%m-%dT%H:%M:%SZ") : NULL;

      ck_assert_msg (g_strcmp0 (got, cases[i].utc) == 0, "%s in %s → %s, expected %s",
                     cases[i].text, cases[i].zone, got, cases[i].utc);
      if (dt != NULL)
        ck_assert_int_eq (g_date_time_get_utc_offset (dt), 0);
    }
}
END_TEST

START_TEST (test_day_period)
{
  g_autoptr (GTimeZone) vvo = zone ("Asia/Vladivostok");
  g_autoptr (GTimeZone) ber = zone ("Europe/Berlin");
  static const struct
  {
    const gchar *zone;
    guint hour;
    const gchar *time;
    const gchar *start;
    const gchar *end;
  } cases[] = {
    /* reporting hour 0: local 2026-11-24 00:00+10 is 2026-11-23T14:00Z */
    { "vvo", 0, "2026-11-23T14:00:00Z", "2026-11-23T14:00:00Z", "2026-11-24T14:00:00Z" },
    /* one minute earlier is 23:59 local on the 23rd: the day before */
    { "vvo", 0, "2026-11-23T13:59:00Z", "2026-11-22T14:00:00Z", "2026-11-23T14:00:00Z" },
    /* reporting hour 9: day 24 covers [24th 09:00+10, 25th 09:00+10)
     * = [23rd 23:00Z, 24th 23:00Z); 2026-11-24T05:00Z is 15:00 local on
     * the 24th */
    { "vvo", 9, "2026-11-24T05:00:00Z", "2026-11-23T23:00:00Z", "2026-11-24T23:00:00Z" },
    /* 2026-11-23T22:00Z is 08:00 local on the 24th: before the reporting
     * hour, so still day 23 = [22nd 23:00Z, 23rd 23:00Z) */
    { "vvo", 9, "2026-11-23T22:00:00Z", "2026-11-22T23:00:00Z", "2026-11-23T23:00:00Z" },
    /* Berlin, 25 October 2026 with reporting hour 0: 00:00+02 to the next
     * 00:00+01, 25 hours */
    { "ber", 0, "2026-10-25T12:00:00Z", "2026-10-24T22:00:00Z", "2026-10-25T23:00:00Z" },
    /* 29 March 2026: 00:00+01 to 00:00+02, 23 hours */
    { "ber", 0, "2026-03-29T12:00:00Z", "2026-03-28T23:00:00Z", "2026-03-29T22:00:00Z" },
    /* reporting hour 2 on 29 March: 02:00 does not exist that day, the
     * period starts when the clocks jump, 03:00+02 = 01:00Z; the day before
     * starts at 02:00+01 = 01:00Z on the 28th */
    { "ber", 2, "2026-03-29T12:00:00Z", "2026-03-29T01:00:00Z", "2026-03-30T00:00:00Z" },
    { "ber", 2, "2026-03-29T00:30:00Z", "2026-03-28T01:00:00Z", "2026-03-29T01:00:00Z" },
  };

  for (gsize i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      GTimeZone *tz = g_str_equal (cases[i].zone, "vvo") ? vvo : ber;
      g_autoptr (GDateTime) t = utc (cases[i].time);
      g_autoptr (GDateTime) start
          = lers_time_get_period_start (LERS_ARCHIVE_KIND_DAY, t, tz, cases[i].hour, 1);
      g_autoptr (GDateTime) end
          = lers_time_get_period_end (LERS_ARCHIVE_KIND_DAY, t, tz, cases[i].hour, 1);

      assert_time (start, cases[i].start);
      assert_time (end, cases[i].end);
    }
}
END_TEST

START_TEST (test_month_period)
{
  g_autoptr (GTimeZone) vvo = zone ("Asia/Vladivostok");
  g_autoptr (GTimeZone) ber = zone ("Europe/Berlin");
  static const struct
  {
    const gchar *zone;
    guint hour;
    guint day;
    const gchar *time;
    const gchar *start;
    const gchar *end;
  } cases[] = {
    /* calendar months: November 2026 from 1st 00:00+10 = 31 Oct 14:00Z */
    { "vvo", 0, 1, "2026-11-15T00:00:00Z", "2026-10-31T14:00:00Z", "2026-11-30T14:00:00Z" },
    /* reporting day 25, hour 10: month M starts on the 25th of M at
     * 10:00+10 = 00:00Z; 2026-11-25T00:00Z is exactly the start of November */
    { "vvo", 10, 25, "2026-11-25T00:00:00Z", "2026-11-25T00:00:00Z", "2026-12-25T00:00:00Z" },
    /* a minute before: still the October period */
    { "vvo", 10, 25, "2026-11-24T23:59:00Z", "2026-10-25T00:00:00Z", "2026-11-25T00:00:00Z" },
    /* January starts 25 Jan; 5 Jan belongs to December of the year before */
    { "vvo", 10, 25, "2027-01-05T00:00:00Z", "2026-12-25T00:00:00Z", "2027-01-25T00:00:00Z" },
    /* Berlin, reporting day 20, hour 0: October 2026 starts 20 Oct 00:00+02
     * = 19 Oct 22:00Z and ends 20 Nov 00:00+01 = 19 Nov 23:00Z */
    { "ber", 0, 20, "2026-10-25T12:00:00Z", "2026-10-19T22:00:00Z", "2026-11-19T23:00:00Z" },
  };

  for (gsize i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      GTimeZone *tz = g_str_equal (cases[i].zone, "vvo") ? vvo : ber;
      g_autoptr (GDateTime) t = utc (cases[i].time);
      g_autoptr (GDateTime) start = lers_time_get_period_start (LERS_ARCHIVE_KIND_MONTH, t, tz,
                                                                cases[i].hour, cases[i].day);
      g_autoptr (GDateTime) end
          = lers_time_get_period_end (LERS_ARCHIVE_KIND_MONTH, t, tz, cases[i].hour, cases[i].day);

      assert_time (start, cases[i].start);
      assert_time (end, cases[i].end);
    }
}
END_TEST

START_TEST (test_hour_period)
{
  g_autoptr (GTimeZone) ber = zone ("Europe/Berlin");
  g_autoptr (GTimeZone) kol = zone ("Asia/Kolkata");
  g_autoptr (GDateTime) t = utc ("2026-10-25T01:42:10Z");
  g_autoptr (GDateTime) b_start = lers_time_get_period_start (LERS_ARCHIVE_KIND_HOUR, t, ber, 0, 1);
  g_autoptr (GDateTime) b_end = lers_time_get_period_end (LERS_ARCHIVE_KIND_HOUR, t, ber, 0, 1);
  g_autoptr (GDateTime) k_start = lers_time_get_period_start (LERS_ARCHIVE_KIND_HOUR, t, kol, 0, 1);
  g_autoptr (GDateTime) current
      = lers_time_get_period_start (LERS_ARCHIVE_KIND_CURRENT, t, ber, 0, 1);

  /* the second 02:00–03:00 of Berlin's long night is 01:00Z–02:00Z */
  assert_time (b_start, "2026-10-25T01:00:00Z");
  assert_time (b_end, "2026-10-25T02:00:00Z");
  /* India is UTC+05:30: 01:42:10Z is 07:12:10 local, its hour began at
   * 07:00+05:30 = 01:30Z */
  assert_time (k_start, "2026-10-25T01:30:00Z");
  ck_assert (g_date_time_equal (current, t));
}
END_TEST

START_TEST (test_berlin_hours_across_change)
{
  /* 24 hours stepped in UTC across the change: each shown once, no
   * wall-clock hour lost, 02:xx twice with two offsets */
  g_autoptr (GTimeZone) ber = zone ("Europe/Berlin");
  g_autoptr (GDateTime) first = utc ("2026-10-24T22:00:00Z");
  static const gchar *const shown[] = {
    "2026-10-25T00:00:00+02:00", "2026-10-25T01:00:00+02:00", "2026-10-25T02:00:00+02:00",
    "2026-10-25T02:00:00+01:00", "2026-10-25T03:00:00+01:00", "2026-10-25T04:00:00+01:00",
  };

  for (gsize i = 0; i < G_N_ELEMENTS (shown); i++)
    {
      g_autoptr (GDateTime) t = g_date_time_add_hours (first, (gint) i);
      g_autofree gchar *text = lers_time_format (t, ber);
      g_autoptr (GDateTime) back = lers_time_parse_local (text, ber);

      ck_assert_str_eq (text, shown[i]);
      /* and what is shown reads back as the same instant */
      ck_assert (g_date_time_equal (back, t));
    }
}
END_TEST

/* Lord Howe Island moves its clocks by 30 minutes: standard time (LHST) is
 * +10:30, summer time (LHDT) +11:00. In 2026 summer time ends on Sunday
 * 5 April at 02:00 LHDT, which becomes 01:30 LHST: 02:00+11:00 =
 * 2026-04-04T15:00Z; it begins on Sunday 4 October at 02:00 LHST, which
 * becomes 02:30 LHDT: 02:00+10:30 = 2026-10-03T15:30Z. The wall-clock hour
 * the change falls in is cut in two at the change, so that each instant is
 * in exactly one hour period. */
START_TEST (test_lord_howe_hours)
{
  g_autoptr (GTimeZone) lh = zone ("Australia/Lord_Howe");
  const struct
  {
    const gchar *t, *start, *end;
  } cases[] = {
    /* 01:20 LHDT: the hour 01:00–02:00 LHDT = 14:00Z–15:00Z, ended by the change */
    { "2026-04-04T14:20:00Z", "2026-04-04T14:00:00Z", "2026-04-04T15:00:00Z" },
    /* 01:40 LHST: 01:00 LHST is 14:30Z, but that instant was 01:30 LHDT, in
     * the hour before; this one runs from the change (15:00Z) to 02:00
     * LHST = 15:30Z */
    { "2026-04-04T15:10:00Z", "2026-04-04T15:00:00Z", "2026-04-04T15:30:00Z" },
    /* 02:10 LHST: 02:00–03:00 LHST = 15:30Z–16:30Z */
    { "2026-04-04T15:40:00Z", "2026-04-04T15:30:00Z", "2026-04-04T16:30:00Z" },
    /* 01:40 LHST: 01:00 LHST = 14:30Z to the change at 02:00 LHST = 15:30Z */
    { "2026-10-03T15:10:00Z", "2026-10-03T14:30:00Z", "2026-10-03T15:30:00Z" },
    /* 02:40 LHDT: 02:00 LHDT is 15:00Z, but that instant was 01:30 LHST;
     * this one runs from the change (15:30Z = 02:30 LHDT) to 03:00 LHDT =
     * 16:00Z */
    { "2026-10-03T15:40:00Z", "2026-10-03T15:30:00Z", "2026-10-03T16:00:00Z" },
    /* 03:10 LHDT: 03:00–04:00 LHDT = 16:00Z–17:00Z */
    { "2026-10-03T16:10:00Z", "2026-10-03T16:00:00Z", "2026-10-03T17:00:00Z" },
  };
  const gchar *sweeps[] = { "2026-04-04T10:00:00Z", "2026-10-03T10:00:00Z" };

  for (gsize i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr (GDateTime) t = utc (cases[i].t);
      g_autoptr (GDateTime) start
          = lers_time_get_period_start (LERS_ARCHIVE_KIND_HOUR, t, lh, 0, 1);
      g_autoptr (GDateTime) end = lers_time_get_period_end (LERS_ARCHIVE_KIND_HOUR, t, lh, 0, 1);

      assert_time (start, cases[i].start);
      assert_time (end, cases[i].end);
    }
  /* every minute of 10 hours around each change: start <= t < end, and
   * each period ends where the next begins */
  for (gsize k = 0; k < G_N_ELEMENTS (sweeps); k++)
    {
      g_autoptr (GDateTime) first = utc (sweeps[k]);
      for (gint m = 0; m < 600; m++)
        {
          g_autoptr (GDateTime) t = g_date_time_add_minutes (first, m);
          g_autoptr (GDateTime) start
              = lers_time_get_period_start (LERS_ARCHIVE_KIND_HOUR, t, lh, 0, 1);
          g_autoptr (GDateTime) end
              = lers_time_get_period_end (LERS_ARCHIVE_KIND_HOUR, t, lh, 0, 1);
          g_autoptr (GDateTime) next
              = lers_time_get_period_start (LERS_ARCHIVE_KIND_HOUR, end, lh, 0, 1);
          g_autoptr (GDateTime) last = g_date_time_add_seconds (end, -1);
          g_autoptr (GDateTime) last_start
              = lers_time_get_period_start (LERS_ARCHIVE_KIND_HOUR, last, lh, 0, 1);
          g_autofree gchar *text = g_date_time_format_iso8601 (t);

          ck_assert_msg (g_date_time_compare (start, t) <= 0 && g_date_time_compare (t, end) < 0,
                         "%s not in its period", text);
          ck_assert_msg (g_date_time_equal (next, end), "%s: a gap or overlap after", text);
          ck_assert_msg (g_date_time_equal (last_start, start), "%s: period cut short", text);
        }
    }
}
END_TEST

static Suite *
time_suite (void)
{
  Suite *s = suite_create ("time");
  TCase *tc = tcase_create ("zones");

  tcase_add_test (tc, test_zone_names);
  tcase_add_test (tc, test_zone_default_is_server);
  tcase_add_test (tc, test_format_with_offset);
  tcase_add_test (tc, test_parse_local);
  tcase_add_test (tc, test_day_period);
  tcase_add_test (tc, test_month_period);
  tcase_add_test (tc, test_hour_period);
  tcase_add_test (tc, test_berlin_hours_across_change);
  tcase_add_test (tc, test_lord_howe_hours);
  suite_add_tcase (s, tc);
  return s;
}

int
main (int argc, char **argv)
{
  /* the server's zone, for test_zone_default_is_server */
  g_setenv ("TZ", "Asia/Vladivostok", TRUE);
  lers_check_init (&argc, &argv);
  return lers_check_run_suite (time_suite ());
}
