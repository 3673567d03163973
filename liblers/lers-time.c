/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "config.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "lers-error.h"
#include "lers-time.h"

/* longer than any ISO 8601 time: 2026-01-31T10:00:00.123456789+03:00 */
#define LERS_TIME_MAX_LENGTH 64
/* longer than any IANA zone name (America/Argentina/ComodRivadavia is 32) */
#define LERS_TIME_ZONE_MAX_LENGTH 64

/**
 * lers_time_parse:
 * @text: an ISO 8601 time (`2026-01-31T10:00:00Z`, `2026-01-31T13:00+03:00`);
 *   without an offset it is UTC; a bare date (`2026-01-31`) is its midnight in UTC
 *
 * Parses a time as the API, the CLI and scripts accept it.
 *
 * Returns: (transfer full) (nullable): the time in UTC, or %NULL if @text is not one
 *
 * Since: 0.1
 */
GDateTime *
lers_time_parse (const gchar *text)
{
  g_autoptr (GTimeZone) utc = g_time_zone_new_utc ();

  g_return_val_if_fail (text != NULL, NULL);
  return lers_time_parse_local (text, utc);
}

/* An IANA name (`Europe/Berlin`, `Etc/GMT-3`, `UTC`) or a fixed offset
 * (`+03:00`): never a path, which GLib would read as a file. */
static gboolean
lers_time_zone_identifier_is_plain (const gchar *identifier)
{
  if (strlen (identifier) > LERS_TIME_ZONE_MAX_LENGTH || identifier[0] == '/'
      || strstr (identifier, "..") != NULL)
    return FALSE;
  for (const gchar *p = identifier; *p != '\0'; p++)
    {
      if (!g_ascii_isalnum (*p) && strchr ("/_+-:", *p) == NULL)
        return FALSE;
    }
  return TRUE;
}

/**
 * lers_time_zone_new:
 * @identifier: (nullable): an IANA time zone name (`Asia/Vladivostok`,
 *   `Europe/Berlin`, `UTC`) or a fixed offset (`+03:00`); %NULL or empty for
 *   the server's zone
 * @error: return location for a #GError
 *
 * Looks a time zone up as territories and device clocks name it.
 *
 * Returns: (transfer full) (nullable): the zone, or %NULL with
 *   %LERS_ERROR_INVALID_ARGUMENT if the system knows no such zone
 *
 * Since: 0.2
 */
GTimeZone *
lers_time_zone_new (const gchar *identifier, GError **error)
{
  GTimeZone *zone = NULL;

  g_return_val_if_fail (error == NULL || *error == NULL, NULL);
  if (identifier == NULL || identifier[0] == '\0')
    return g_time_zone_new_local ();
  if (g_utf8_validate (identifier, -1, NULL) && lers_time_zone_identifier_is_plain (identifier))
    zone = g_time_zone_new_identifier (identifier);
  if (zone == NULL)
    {
      g_autofree gchar *valid = g_utf8_make_valid (identifier, MIN (strlen (identifier), 256));
      g_set_error (error, LERS_ERROR, LERS_ERROR_INVALID_ARGUMENT,
                   _ ("“%s” is not a time zone: use an IANA name such as Europe/Moscow"), valid);
    }
  return zone;
}

/**
 * lers_time_parse_local:
 * @text: an ISO 8601 time (`2026-01-31T10:00:00+10:00`, `2026-01-31T10:00:00`,
 *   `2026-01-31T10:00`) or a bare date (`2026-01-31`)
 * @zone: the zone of a time without an offset
 *
 * Parses a time as an operator of a node in @zone means it: a time with an
 * offset (or `Z`) is that instant; a time without one is the wall-clock time
 * in @zone; a bare date is midnight in @zone. A wall-clock time that occurs
 * twice (the hour the clocks go back) is the later, standard-time one; one
 * that does not occur (the hour skipped in spring) moves forward.
 *
 * Returns: (transfer full) (nullable): the time in UTC, or %NULL if @text is not one
 *
 * Since: 0.2
 */
GDateTime *
lers_time_parse_local (const gchar *text, GTimeZone *zone)
{
  g_autoptr (GDateTime) dt = NULL;
  gsize len;

  g_return_val_if_fail (text != NULL, NULL);
  g_return_val_if_fail (zone != NULL, NULL);
  len = strlen (text);
  if (len > LERS_TIME_MAX_LENGTH)
    return NULL;
  dt = g_date_time_new_from_iso8601 (text, zone);
  if (dt == NULL && len == 10)
    {
      g_autofree gchar *midnight = g_strconcat (text, "T00:00:00", NULL);
      dt = g_date_time_new_from_iso8601 (midnight, zone);
    }
  if (dt == NULL && len >= 16 && text[10] == 'T' && text[13] == ':'
      && (text[16] == '\0' || text[16] == 'Z' || text[16] == '+' || text[16] == '-'))
    {
      /* hours and minutes, as people write them: 2026-01-31T10:00,
       * 2026-01-31T13:00+03:00 */
      g_autofree gchar *whole = g_strdup_printf ("%.16s:00%s", text, text + 16);
      dt = g_date_time_new_from_iso8601 (whole, zone);
    }
  return dt != NULL ? g_date_time_to_utc (dt) : NULL;
}

/**
 * lers_time_format:
 * @time: a time
 * @zone: (nullable): the zone to show it in; %NULL for UTC
 *
 * Formats a time as the API shows it: ISO 8601 with the offset @zone has at
 * that moment, to the second (`2026-11-24T11:00:00+10:00`); a zero offset
 * is written `Z`.
 *
 * Returns: (transfer full): the text
 *
 * Since: 0.2
 */
gchar *
lers_time_format (GDateTime *time, GTimeZone *zone)
{
  g_autoptr (GTimeZone) utc = NULL;
  g_autoptr (GDateTime) local = NULL;

  g_return_val_if_fail (time != NULL, NULL);
  if (zone == NULL)
    zone = utc = g_time_zone_new_utc ();
  local = g_date_time_to_timezone (time, zone);
  /* +00:00 and Z are the same offset; Z is what clients of 0.1 saw */
  if (g_date_time_get_utc_offset (local) == 0)
    return g_date_time_format (local, "%Y-%m-%dT%H:%M:%SZ");
  return g_date_time_format (local, "%Y-%m-%dT%H:%M:%S%:z");
}

/* @time's wall-clock date in @zone */
static void
lers_time_get_local_date (GDateTime *time, GTimeZone *zone, GDate *date)
{
  g_autoptr (GDateTime) local = g_date_time_to_timezone (time, zone);

  g_date_clear (date, 1);
  g_date_set_dmy (date, (GDateDay) g_date_time_get_day_of_month (local),
                  (GDateMonth) g_date_time_get_month (local),
                  (GDateYear) g_date_time_get_year (local));
}

static GDateTime *
lers_time_new_local (GTimeZone *zone, const GDate *date, guint hour)
{
  g_autoptr (GDateTime) dt = g_date_time_new (zone, g_date_get_year (date), g_date_get_month (date),
                                              g_date_get_day (date), (gint) hour, 0, 0);

  return dt != NULL ? g_date_time_to_utc (dt) : NULL;
}

/* @zone's UTC offset, in seconds, at the instant @unix_time (seconds, UTC) */
static gint64
lers_time_offset_at (GTimeZone *zone, gint64 unix_time)
{
  gint interval = g_time_zone_find_interval (zone, G_TIME_TYPE_UNIVERSAL, unix_time);

  return interval < 0 ? 0 : g_time_zone_get_offset (zone, interval);
}

/* The start (unix seconds) of the hour period holding @t: the wall-clock
 * hour of @zone floored, but never before the change of offset @t follows.
 * Where a zone moves its clocks by 30 minutes (Australia/Lord_Howe), the
 * wall-clock hour of the change is cut in two at the change, so that
 * periods neither overlap nor leave gaps; where it moves them by whole
 * hours, nothing is cut. */
static gint64
lers_time_hour_start (GTimeZone *zone, gint64 t)
{
  gint64 offset = lers_time_offset_at (zone, t);
  gint64 wall = t + offset;
  gint64 start = wall - ((wall % 3600) + 3600) % 3600 - offset;
  gint64 low = start;
  gint64 high = t;

  if (lers_time_offset_at (zone, start) == offset)
    return start;
  /* the change lies in (start, t]: find its instant, the first second
   * with @t's offset (offsets change on whole seconds) */
  while (high - low > 1)
    {
      gint64 mid = low + (high - low) / 2;
      if (lers_time_offset_at (zone, mid) == offset)
        high = mid;
      else
        low = mid;
    }
  return high;
}

/**
 * lers_time_get_period_start:
 * @kind: the archive
 * @time: a time
 * @zone: the node's zone
 * @reporting_hour: the point's reporting hour, 0–23
 * @reporting_day: the point's reporting day, 1–28
 *
 * Finds the start of the archive interval that holds @time, as the point
 * keeps its archives. The day archive of local date D covers [D at
 * @reporting_hour, D+1 at @reporting_hour); the month archive of M starts on
 * @reporting_day of M at @reporting_hour; the hour archive follows the
 * wall-clock hours of @zone (where the zone changes its offset by half an
 * hour, the hour of the change is cut in two at the instant of the change). A day may be 23 or 25
 * hours long where the zone changes to or from summer time. Other kinds (current, totals) have no
 * interval: @time is returned.
 *
 * Returns: (transfer full) (nullable): the start, in UTC; %NULL if it would
 *   lie before year 1
 *
 * Since: 0.2
 */
GDateTime *
lers_time_get_period_start (LersArchiveKind kind, GDateTime *time, GTimeZone *zone,
                            guint reporting_hour, guint reporting_day)
{
  GDate date;
  g_autoptr (GDateTime) start = NULL;

  g_return_val_if_fail (time != NULL, NULL);
  g_return_val_if_fail (zone != NULL, NULL);
  g_return_val_if_fail (reporting_hour <= 23, NULL);
  g_return_val_if_fail (reporting_day >= 1 && reporting_day <= 28, NULL);

  switch (kind)
    {
    case LERS_ARCHIVE_KIND_HOUR:
      {
        /* floor the wall-clock time, not the UTC one: a +05:30 zone's hours
         * start at :30 UTC */
        return g_date_time_new_from_unix_utc (
            lers_time_hour_start (zone, g_date_time_to_unix (time)));
      }
    case LERS_ARCHIVE_KIND_DAY:
      lers_time_get_local_date (time, zone, &date);
      start = lers_time_new_local (zone, &date, reporting_hour);
      if (start != NULL && g_date_time_compare (time, start) < 0)
        {
          g_clear_pointer (&start, g_date_time_unref);
          if (g_date_get_julian (&date) <= 1)
            return NULL;
          g_date_subtract_days (&date, 1);
          start = lers_time_new_local (zone, &date, reporting_hour);
        }
      return g_steal_pointer (&start);
    case LERS_ARCHIVE_KIND_MONTH:
      lers_time_get_local_date (time, zone, &date);
      g_date_set_day (&date, (GDateDay) reporting_day);
      start = lers_time_new_local (zone, &date, reporting_hour);
      if (start != NULL && g_date_time_compare (time, start) < 0)
        {
          g_clear_pointer (&start, g_date_time_unref);
          if (g_date_get_year (&date) == 1 && g_date_get_month (&date) == G_DATE_JANUARY)
            return NULL;
          g_date_subtract_months (&date, 1);
          start = lers_time_new_local (zone, &date, reporting_hour);
        }
      return g_steal_pointer (&start);
    default:
      return g_date_time_ref (time);
    }
}

/**
 * lers_time_get_period_end:
 * @kind: the archive
 * @time: a time
 * @zone: the node's zone
 * @reporting_hour: the point's reporting hour, 0–23
 * @reporting_day: the point's reporting day, 1–28
 *
 * Finds the end of the archive interval that holds @time (the start of the
 * next one); see lers_time_get_period_start().
 *
 * Returns: (transfer full) (nullable): the end, in UTC; %NULL if it would
 *   lie after year 9999
 *
 * Since: 0.2
 */
GDateTime *
lers_time_get_period_end (LersArchiveKind kind, GDateTime *time, GTimeZone *zone,
                          guint reporting_hour, guint reporting_day)
{
  g_autoptr (GDateTime) start = NULL;
  g_autoptr (GDateTime) local = NULL;
  GDate date;

  start = lers_time_get_period_start (kind, time, zone, reporting_hour, reporting_day);
  if (start == NULL)
    return NULL;
  switch (kind)
    {
    case LERS_ARCHIVE_KIND_HOUR:
      {
        /* the start of the next period: an hour on, or sooner where the
         * offset changes within the hour (see lers_time_hour_start ()) */
        gint64 from = g_date_time_to_unix (start);
        gint64 end = lers_time_hour_start (zone, from + 3600);

        if (end <= from)
          end = from + 3600;
        /* a period is at most an hour long; if one more began between
         * @start and @end, the next is that one */
        while (end - 1 > from && lers_time_hour_start (zone, end - 1) > from)
          end = lers_time_hour_start (zone, end - 1);
        return g_date_time_new_from_unix_utc (end);
      }
    case LERS_ARCHIVE_KIND_DAY:
      /* the date the period is named after: where the reporting hour does
       * not exist that day, the start moved forward, on the same date */
      lers_time_get_local_date (start, zone, &date);
      if (g_date_get_julian (&date) >= G_MAXUINT32 - 1 || g_date_get_year (&date) >= 9999)
        return NULL;
      g_date_add_days (&date, 1);
      return lers_time_new_local (zone, &date, reporting_hour);
    case LERS_ARCHIVE_KIND_MONTH:
      lers_time_get_local_date (start, zone, &date);
      if (g_date_get_year (&date) >= 9999 && g_date_get_month (&date) == G_DATE_DECEMBER)
        return NULL;
      g_date_set_day (&date, (GDateDay) reporting_day);
      g_date_add_months (&date, 1);
      return lers_time_new_local (zone, &date, reporting_hour);
    default:
      return g_steal_pointer (&start);
    }
}
