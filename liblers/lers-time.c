/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "config.h"

#include <string.h>

#include "lers-time.h"

/* longer than any ISO 8601 time: 2026-01-31T10:00:00.123456789+03:00 */
#define LERS_TIME_MAX_LENGTH 64

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
  g_autoptr (GDateTime) dt = NULL;
  gsize len;

  g_return_val_if_fail (text != NULL, NULL);
  len = strlen (text);
  if (len > LERS_TIME_MAX_LENGTH)
    return NULL;
  dt = g_date_time_new_from_iso8601 (text, utc);
  if (dt == NULL && len == 10)
    {
      g_autofree gchar *midnight = g_strconcat (text, "T00:00:00", NULL);
      dt = g_date_time_new_from_iso8601 (midnight, utc);
    }
  return dt != NULL ? g_date_time_to_utc (dt) : NULL;
}
