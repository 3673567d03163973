/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "mbus-record.h"

/**
 * mbus_record_new:
 *
 * Returns: (transfer full): an empty record
 *
 * Since: 0.1
 */
MbusRecord *
mbus_record_new (void)
{
  return g_new0 (MbusRecord, 1);
}

/**
 * mbus_record_free:
 * @self: (transfer full): a #MbusRecord
 *
 * Since: 0.1
 */
void
mbus_record_free (MbusRecord *self)
{
  if (self == NULL)
    return;
  g_free (self->quantity);
  g_free (self->unit);
  g_free (self->text);
  g_free (self);
}

/**
 * mbus_record_get_function_name:
 * @self: a #MbusRecord
 *
 * Returns: the function as the reference decoder prints it
 *
 * Since: 0.1
 */
const gchar *
mbus_record_get_function_name (const MbusRecord *self)
{
  switch (self->function)
    {
    case MBUS_FUNCTION_INSTANTANEOUS:
      return "Instantaneous value";
    case MBUS_FUNCTION_MAXIMUM:
      return "Maximum value";
    case MBUS_FUNCTION_MINIMUM:
      return "Minimum value";
    case MBUS_FUNCTION_ERROR_STATE:
      return "Value during error state";
    case MBUS_FUNCTION_MANUFACTURER:
      return "Manufacturer specific";
    case MBUS_FUNCTION_MORE_FOLLOWS:
      return "More records follow";
    case MBUS_FUNCTION_ACTUAL:
      return "Actual value";
    case MBUS_FUNCTION_HISTORIC:
      return "Historic value";
    default:
      return "Unknown";
    }
}

/**
 * mbus_record_dup_time_point:
 * @self: a date or date-time record
 *
 * Returns: (transfer full) (nullable): the time point read as UTC, or %NULL
 *   if @self holds no valid date
 *
 * Since: 0.1
 */
GDateTime *
mbus_record_dup_time_point (const MbusRecord *self)
{
  g_autoptr (GTimeZone) utc = g_time_zone_new_utc ();
  return mbus_record_dup_local_time_point (self, utc);
}

/**
 * mbus_record_dup_local_time_point:
 * @self: a date or date-time record
 * @zone: the zone the meter's clock keeps
 *
 * Reads the meter's wall-clock time in @zone. In the hour the clocks go
 * back, the summer-time flag (SU, type F) tells the two 02:xx apart; a meter
 * that does not set it is taken to mean the later, standard-time one. A
 * time that does not exist in @zone (the hour skipped in spring) is read
 * with the offset from before the jump: the meter has not moved its clock
 * yet.
 *
 * Returns: (transfer full) (nullable): the time point in UTC, or %NULL if
 *   @self holds no valid date
 *
 * Since: 0.2
 */
GDateTime *
mbus_record_dup_local_time_point (const MbusRecord *self, GTimeZone *zone)
{
  g_autoptr (GDateTime) wall = NULL;
  gint64 local;
  gint interval;

  if (self->quantity_id != MBUS_QUANTITY_DATE && self->quantity_id != MBUS_QUANTITY_DATE_TIME)
    return NULL;
  if (self->time_invalid || self->month < 1 || self->month > 12 || self->day < 1 || self->hour > 23
      || self->minute > 59 || self->second > 59)
    return NULL;
  /* the wall-clock time as seconds, as if it were UTC */
  wall = g_date_time_new_utc (self->year, self->month, self->day, self->hour, self->minute,
                              self->second);
  if (wall == NULL)
    return NULL;
  local = g_date_time_to_unix (wall);
  interval = g_time_zone_find_interval (
      zone, self->summer_time ? G_TIME_TYPE_DAYLIGHT : G_TIME_TYPE_STANDARD, local);
  if (interval < 0)
    {
      /* in the hour skipped in spring: a meter that shows it has not moved
       * its clock yet, so it still keeps the offset from before the jump */
      gint64 after = local;
      interval = g_time_zone_adjust_time (zone, G_TIME_TYPE_STANDARD, &after);
      if (interval > 0)
        interval--;
    }
  return g_date_time_new_from_unix_utc (local - g_time_zone_get_offset (zone, interval));
}
