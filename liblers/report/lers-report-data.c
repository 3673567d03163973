/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Binding a report to the store's data: the points with their nodes,
 * territories and devices; the first point's archive, totals and meter
 * events for the tables; and, for rows "points", each point's sums and
 * averages over the period, computed from its archive batch and dropped
 * with it, so that a batch of many points holds one point's rows at a
 * time. The fields are read in lers-report-data-resolve.c. */
#include "config.h"

#include <glib/gi18n-lib.h>
#include <math.h>
#include <string.h>

#include "lers-error.h"
#include "lers-report-data-private.h"

#define USEC_PER_DAY (G_USEC_PER_SEC * G_GINT64_CONSTANT (86400))
/* how far before the period a meter reading or a long incident is looked
 * for first; the whole history is read only when that finds none */
#define LOOKBACK_DAYS 31

GDateTime *
lers_report_data_time_new (gint64 us)
{
  g_autoptr (GDateTime) seconds = g_date_time_new_from_unix_utc (us / G_USEC_PER_SEC);
  gint64 rest = us % G_USEC_PER_SEC;

  /* division truncates towards zero: before 1970 the rest is negative */
  return g_date_time_add (seconds, rest);
}

gint64
lers_report_data_time_to_us (GDateTime *time)
{
  return g_date_time_to_unix (time) * G_USEC_PER_SEC + g_date_time_get_microsecond (time);
}

static void
data_point_free (gpointer p)
{
  LersReportDataPoint *point = p;

  g_clear_object (&point->point);
  g_clear_object (&point->node);
  g_clear_object (&point->device);
  g_free (point->territory);
  g_free (point->zone_id);
  g_clear_pointer (&point->aggregates, g_array_unref);
  g_clear_pointer (&point->readings, g_array_unref);
  g_free (point);
}

void
lers_report_data_free (LersReportData *data)
{
  if (data == NULL)
    return;
  g_clear_pointer (&data->zone, g_time_zone_unref);
  g_clear_pointer (&data->points, g_ptr_array_unref);
  g_clear_object (&data->archive);
  g_clear_object (&data->totals);
  g_clear_pointer (&data->events, g_ptr_array_unref);
  g_clear_pointer (&data->event_points, g_array_unref);
  g_clear_pointer (&data->incidents, g_ptr_array_unref);
  g_clear_pointer (&data->incident_points, g_array_unref);
  g_free (data);
}

static gboolean
value_usable (gdouble value, guint32 flags)
{
  return (flags & LERS_VALUE_FLAG_MISSING) == 0 && isfinite (value);
}

/* a meter reading for Start./End.: a value the meter marked invalid is not
 * one (the reading before it is taken) */
static gboolean
reading_usable (gdouble value, guint32 flags)
{
  return value_usable (value, flags) && (flags & LERS_VALUE_FLAG_BAD) == 0;
}

/* the sums of every parameter of @batch, and of M, V, Q with their
 * fallbacks (lers_report_field_get_fallback), row by row */
static GArray *
aggregate_batch (LersArchiveBatch *batch)
{
  static const gint fallbacks[]
      = { LERS_PARAMETER_M_DELTA, LERS_PARAMETER_V_DELTA, LERS_PARAMETER_Q_DELTA };
  GArray *aggregates = g_array_new (FALSE, TRUE, sizeof (LersReportPointSum));
  const LersParameter *parameters;
  guint n_parameters = 0;

  parameters = lers_archive_batch_get_parameters (batch, &n_parameters);
  for (guint i = 0; i < n_parameters; i++)
    {
      LersReportPointSum aggregate = { parameters[i], FALSE, 0.0, 0 };
      guint n_rows = 0;
      const gdouble *values = lers_archive_batch_get_values (batch, parameters[i], &n_rows);
      const guint32 *flags = lers_archive_batch_get_flags (batch, parameters[i], &n_rows);

      for (guint row = 0; values != NULL && row < n_rows; row++)
        {
          if (value_usable (values[row], flags[row]))
            {
              aggregate.sum += values[row];
              aggregate.n++;
            }
        }
      g_array_append_val (aggregates, aggregate);
    }

  for (guint i = 0; i < G_N_ELEMENTS (fallbacks); i++)
    {
      LersReportPointSum aggregate = { fallbacks[i], TRUE, 0.0, 0 };
      guint n_rows = 0, n_fallback = 0;
      const gdouble *values = lers_archive_batch_get_values (batch, fallbacks[i], &n_rows);
      const guint32 *flags = lers_archive_batch_get_flags (batch, fallbacks[i], &n_rows);
      gint other = lers_report_field_get_fallback (fallbacks[i]);
      const gdouble *other_values = lers_archive_batch_get_values (batch, other, &n_fallback);
      const guint32 *other_flags = lers_archive_batch_get_flags (batch, other, &n_fallback);
      guint n = MAX (n_rows, n_fallback);

      for (guint row = 0; row < n; row++)
        {
          if (values != NULL && value_usable (values[row], flags[row]))
            {
              aggregate.sum += values[row];
              aggregate.n++;
            }
          else if (other_values != NULL && value_usable (other_values[row], other_flags[row]))
            {
              aggregate.sum += other_values[row];
              aggregate.n++;
            }
        }
      g_array_append_val (aggregates, aggregate);
    }
  return aggregates;
}

static LersReportReading *
find_reading (GArray *readings, gint parameter)
{
  for (guint i = 0; i < readings->len; i++)
    {
      LersReportReading *reading = &g_array_index (readings, LersReportReading, i);
      if (reading->parameter == parameter)
        return reading;
    }
  return NULL;
}

/* fills in the Start/End readings @totals has that @readings lacks: the
 * last usable value at or before @from_us / @to_us */
static void
take_readings (GArray *readings, LersArchiveBatch *totals, gint64 from_us, gint64 to_us)
{
  const LersParameter *parameters;
  guint n_parameters = 0, n_rows = 0;
  const gint64 *stamps = lers_archive_batch_get_timestamps (totals, &n_rows);

  parameters = lers_archive_batch_get_parameters (totals, &n_parameters);
  for (guint i = 0; i < n_parameters; i++)
    {
      LersReportReading *reading = find_reading (readings, parameters[i]);
      const gdouble *values = lers_archive_batch_get_values (totals, parameters[i], &n_rows);
      const guint32 *flags = lers_archive_batch_get_flags (totals, parameters[i], &n_rows);

      if (reading == NULL)
        {
          LersReportReading empty = { parameters[i], FALSE, FALSE, 0.0, 0.0 };
          g_array_append_val (readings, empty);
          reading = &g_array_index (readings, LersReportReading, readings->len - 1);
        }
      for (guint row = n_rows; row > 0 && values != NULL; row--)
        {
          guint r = row - 1;
          if (!reading_usable (values[r], flags[r]))
            continue;
          if (!reading->has_end && stamps[r] <= to_us)
            {
              reading->has_end = TRUE;
              reading->end = values[r];
            }
          if (!reading->has_start && stamps[r] <= from_us)
            {
              reading->has_start = TRUE;
              reading->start = values[r];
              break;
            }
        }
    }
}

/* whether a parameter read in the look-back window has no reading at or
 * before the period's start in it, or the window has no row that early */
static gboolean
readings_lack_start (GArray *readings, LersArchiveBatch *totals, gint64 from_us)
{
  guint n_rows = 0;
  const gint64 *stamps = lers_archive_batch_get_timestamps (totals, &n_rows);

  for (guint i = 0; i < readings->len; i++)
    {
      if (!g_array_index (readings, LersReportReading, i).has_start)
        return TRUE;
    }
  return n_rows == 0 || stamps[0] > from_us;
}

/* the point's meter readings at the period's boundaries; keeps the totals
 * batch in @totals_out (the first point's, for rows "readings") */
static gboolean
load_readings (LersReportData *data, LersStore *store, LersReportDataPoint *point,
               LersArchiveBatch **totals_out, GCancellable *cancellable, GError **error)
{
  g_autoptr (GDateTime) from
      = lers_report_data_time_new (data->from_us - LOOKBACK_DAYS * USEC_PER_DAY);
  g_autoptr (GDateTime) to = lers_report_data_time_new (data->to_us + 1);
  g_autoptr (LersArchiveBatch) totals = NULL;

  totals = lers_store_query_archive_sync (store, point->id, LERS_ARCHIVE_KIND_TOTALS, from, to,
                                          cancellable, error);
  if (totals == NULL)
    return FALSE;
  point->readings = g_array_new (FALSE, TRUE, sizeof (LersReportReading));
  take_readings (point->readings, totals, data->from_us, data->to_us);
  if (readings_lack_start (point->readings, totals, data->from_us))
    {
      /* a reading older than the look-back: the whole history before */
      g_autoptr (GDateTime) start = lers_report_data_time_new (data->from_us + 1);
      g_autoptr (LersArchiveBatch) older = NULL;

      older = lers_store_query_archive_sync (store, point->id, LERS_ARCHIVE_KIND_TOTALS, NULL,
                                             start, cancellable, error);
      if (older == NULL)
        return FALSE;
      take_readings (point->readings, older, data->from_us, data->to_us);
    }
  if (totals_out != NULL)
    *totals_out = g_steal_pointer (&totals);
  return TRUE;
}

/* the point, its node, territory, device and zone */
static LersReportDataPoint *
load_point (LersStore *store, gint64 point_id, GHashTable *territories, GCancellable *cancellable,
            GError **error)
{
  g_autoptr (LersMeasurePoint) measure_point = NULL;
  g_autoptr (GTimeZone) zone = NULL;
  LersReportDataPoint *point;
  gint64 node_id, device_id;

  measure_point = lers_store_get_measure_point_sync (store, point_id, cancellable, error);
  if (measure_point == NULL)
    return NULL;
  zone = lers_store_get_point_time_zone_sync (store, point_id, cancellable, error);
  if (zone == NULL)
    return NULL;

  point = g_new0 (LersReportDataPoint, 1);
  point->id = point_id;
  point->point = g_steal_pointer (&measure_point);
  point->zone_id = g_strdup (g_time_zone_get_identifier (zone));

  node_id = lers_measure_point_get_node_id (point->point);
  if (node_id > 0)
    {
      g_autoptr (GError) local_error = NULL;

      point->node = lers_store_get_node_sync (store, node_id, cancellable, &local_error);
      if (point->node == NULL && !g_error_matches (local_error, LERS_ERROR, LERS_ERROR_NOT_FOUND))
        {
          g_propagate_error (error, g_steal_pointer (&local_error));
          data_point_free (point);
          return NULL;
        }
    }
  if (point->node != NULL && lers_node_get_territory_id (point->node) > 0)
    {
      gint64 territory_id = lers_node_get_territory_id (point->node);
      const gchar *title = g_hash_table_lookup (territories, &territory_id);

      if (title == NULL)
        {
          g_autoptr (LersTerritory) territory = NULL;
          g_autoptr (GError) local_error = NULL;
          gint64 *key = g_new (gint64, 1);

          territory
              = lers_store_get_territory_sync (store, territory_id, cancellable, &local_error);
          if (territory == NULL && !g_error_matches (local_error, LERS_ERROR, LERS_ERROR_NOT_FOUND))
            {
              g_free (key);
              g_propagate_error (error, g_steal_pointer (&local_error));
              data_point_free (point);
              return NULL;
            }
          *key = territory_id;
          title = territory != NULL ? lers_territory_get_title (territory) : "";
          g_hash_table_insert (territories, key, g_strdup (title != NULL ? title : ""));
          title = g_hash_table_lookup (territories, &territory_id);
        }
      point->territory = *title != '\0' ? g_strdup (title) : NULL;
    }

  device_id = lers_measure_point_get_device_id (point->point);
  if (device_id > 0)
    {
      g_autoptr (GError) local_error = NULL;

      point->device = lers_store_get_device_sync (store, device_id, cancellable, &local_error);
      if (point->device == NULL && !g_error_matches (local_error, LERS_ERROR, LERS_ERROR_NOT_FOUND))
        {
          g_propagate_error (error, g_steal_pointer (&local_error));
          data_point_free (point);
          return NULL;
        }
    }
  return point;
}

static gboolean
event_overlaps (LersMeterEvent *event, gint64 from_us, gint64 to_us)
{
  GDateTime *start = lers_meter_event_get_start (event);
  GDateTime *end = lers_meter_event_get_end (event);

  if (start == NULL || lers_report_data_time_to_us (start) >= to_us)
    return FALSE;
  return end == NULL || lers_report_data_time_to_us (end) > from_us;
}

/* a point's meter events: those started in the period (rows "events",
 * the codes of archive rows) and the warnings and alarms in force during
 * it (rows "incidents": there is no incident table; an incident is a meter
 * event of warning or alarm severity); @index: the point's in .points */
static gboolean
load_events (LersReportData *data, LersStore *store, guint index, GCancellable *cancellable,
             GError **error)
{
  LersReportDataPoint *point = g_ptr_array_index (data->points, index);
  g_autoptr (GDateTime) from
      = lers_report_data_time_new (data->from_us - LOOKBACK_DAYS * USEC_PER_DAY);
  g_autoptr (GDateTime) to = lers_report_data_time_new (data->to_us);
  g_autoptr (GPtrArray) events = NULL;

  events = lers_store_list_meter_events_sync (store, point->id, from, to, cancellable, error);
  if (events == NULL)
    return FALSE;
  if (data->events == NULL)
    {
      data->events = g_ptr_array_new_with_free_func (g_object_unref);
      data->event_points = g_array_new (FALSE, FALSE, sizeof (guint));
      data->incidents = g_ptr_array_new_with_free_func (g_object_unref);
      data->incident_points = g_array_new (FALSE, FALSE, sizeof (guint));
    }
  for (guint i = 0; i < events->len; i++)
    {
      LersMeterEvent *event = g_ptr_array_index (events, i);
      GDateTime *start = lers_meter_event_get_start (event);

      if (start == NULL)
        continue;
      if (lers_report_data_time_to_us (start) >= data->from_us)
        {
          g_ptr_array_add (data->events, g_object_ref (event));
          g_array_append_val (data->event_points, index);
        }
      if (lers_meter_event_get_severity (event) >= LERS_METER_EVENT_SEVERITY_WARNING
          && event_overlaps (event, data->from_us, data->to_us))
        {
          g_ptr_array_add (data->incidents, g_object_ref (event));
          g_array_append_val (data->incident_points, index);
        }
    }
  return TRUE;
}

static void
find_totals_rows (LersReportData *data)
{
  guint n_rows = 0;
  const gint64 *stamps;

  if (data->totals == NULL)
    return;
  stamps = lers_archive_batch_get_timestamps (data->totals, &n_rows);
  data->totals_first = 0;
  while (data->totals_first < n_rows && stamps[data->totals_first] < data->from_us)
    data->totals_first++;
  data->totals_n = 0;
  /* the reading at the period's end (stamped at @to) is shown too */
  while (data->totals_first + data->totals_n < n_rows
         && stamps[data->totals_first + data->totals_n] <= data->to_us)
    data->totals_n++;
}

#define USES(rows_used, rows) (((rows_used) & (1u << (rows))) != 0)

LersReportData *
lers_report_data_load (LersStore *store, const gint64 *point_ids, guint n_point_ids,
                       LersArchiveKind kind, GDateTime *from, GDateTime *to, guint rows_used,
                       GCancellable *cancellable, GError **error)
{
  g_autoptr (LersReportData) data = NULL;
  g_autoptr (GHashTable) territories = NULL;
  gboolean archive_used = USES (rows_used, LERS_REPORT_ROWS_ARCHIVE);
  gboolean points_used = USES (rows_used, LERS_REPORT_ROWS_POINTS);
  gboolean events_used
      = USES (rows_used, LERS_REPORT_ROWS_EVENTS) || USES (rows_used, LERS_REPORT_ROWS_INCIDENTS);

  g_return_val_if_fail (LERS_IS_STORE (store), NULL);
  g_return_val_if_fail (from != NULL && to != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (n_point_ids == 0)
    {
      g_set_error (error, LERS_ERROR, LERS_ERROR_INVALID_ARGUMENT,
                   _ ("A report needs at least one measure point"));
      return NULL;
    }
  if (g_date_time_compare (from, to) > 0)
    {
      g_set_error (error, LERS_ERROR, LERS_ERROR_INVALID_ARGUMENT,
                   _ ("The report period ends before it starts"));
      return NULL;
    }

  data = g_new0 (LersReportData, 1);
  data->kind = kind;
  data->from_us = lers_report_data_time_to_us (from);
  data->to_us = lers_report_data_time_to_us (to);
  data->points = g_ptr_array_new_with_free_func (data_point_free);
  territories = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, g_free);

  for (guint i = 0; i < n_point_ids; i++)
    {
      LersReportDataPoint *point;
      g_autoptr (LersArchiveBatch) totals = NULL;

      point = load_point (store, point_ids[i], territories, cancellable, error);
      if (point == NULL)
        return NULL;
      g_ptr_array_add (data->points, point);
      if (i == 0)
        data->zone = g_time_zone_new_identifier (point->zone_id);

      if (!load_readings (data, store, point, i == 0 ? &totals : NULL, cancellable, error))
        return NULL;
      if (i == 0 && USES (rows_used, LERS_REPORT_ROWS_READINGS))
        {
          data->totals = g_steal_pointer (&totals);
          find_totals_rows (data);
        }

      if ((i == 0 && archive_used) || points_used)
        {
          g_autoptr (LersArchiveBatch) batch = NULL;

          batch = lers_store_query_archive_sync (store, point->id, kind, from, to, cancellable,
                                                 error);
          if (batch == NULL)
            return NULL;
          if (points_used)
            point->aggregates = aggregate_batch (batch);
          if (i == 0 && archive_used)
            data->archive = g_steal_pointer (&batch);
        }

      if (((i == 0 && archive_used) || events_used)
          && !load_events (data, store, i, cancellable, error))
        return NULL;
    }
  if (data->zone == NULL)
    data->zone = g_time_zone_new_utc ();
  return g_steal_pointer (&data);
}

GTimeZone *
lers_report_data_get_zone (LersReportData *data)
{
  g_return_val_if_fail (data != NULL, NULL);
  return data->zone;
}

guint
lers_report_data_get_n_rows (LersReportData *data, LersReportRows rows)
{
  g_return_val_if_fail (data != NULL, 0);

  switch (rows)
    {
    case LERS_REPORT_ROWS_ARCHIVE:
      return data->archive != NULL ? lers_archive_batch_get_n_rows (data->archive) : 0;
    case LERS_REPORT_ROWS_POINTS:
      return data->points->len;
    case LERS_REPORT_ROWS_EVENTS:
      return data->events != NULL ? data->events->len : 0;
    case LERS_REPORT_ROWS_INCIDENTS:
      return data->incidents != NULL ? data->incidents->len : 0;
    case LERS_REPORT_ROWS_READINGS:
      return data->totals_n;
    case LERS_REPORT_ROWS_NONE:
    default:
      return 1;
    }
}

gint64
lers_report_data_get_interval_end (LersReportData *data, gint64 start_us)
{
  g_autoptr (GDateTime) utc = NULL;
  g_autoptr (GDateTime) local = NULL;
  g_autoptr (GDateTime) end = NULL;

  /* an hour needs no calendar (asked per row and mark: no GDateTime) */
  if (data->kind == LERS_ARCHIVE_KIND_HOUR)
    return start_us + G_USEC_PER_SEC * G_GINT64_CONSTANT (3600);
  if (data->kind != LERS_ARCHIVE_KIND_DAY && data->kind != LERS_ARCHIVE_KIND_MONTH)
    return start_us + 1;
  utc = lers_report_data_time_new (start_us);
  local = g_date_time_to_timezone (utc, data->zone);
  if (data->kind == LERS_ARCHIVE_KIND_DAY)
    end = g_date_time_add_days (local, 1);
  else
    end = g_date_time_add_months (local, 1);
  return end != NULL ? lers_report_data_time_to_us (end) : start_us + 1;
}

gchar *
lers_report_data_dup_name (LersReportData *data)
{
  LersReportDataPoint *point;
  const gchar *title;
  GString *name;

  g_return_val_if_fail (data != NULL && data->points->len > 0, NULL);

  point = g_ptr_array_index (data->points, 0);
  title = lers_measure_point_get_title (point->point);
  name = g_string_new (NULL);
  g_string_append_printf (name, "%" G_GINT64_FORMAT, point->id);
  if (title != NULL && *title != '\0')
    {
      g_string_append_c (name, '-');
      for (const gchar *p = title; *p != '\0'; p = g_utf8_next_char (p))
        {
          gunichar c = g_utf8_get_char_validated (p, -1);

          if (c == (gunichar) -1 || c == (gunichar) -2)
            break;
          if (c < 0x20 || c == 0x7f || (c < 0x80 && strchr ("/\\:*?\"<>| ", (gint) c) != NULL))
            g_string_append_c (name, '_');
          else
            g_string_append_unichar (name, c);
        }
    }
  return g_string_free (name, FALSE);
}

static guint
binding_n_rows (gpointer user_data, LersReportRows rows)
{
  return lers_report_data_get_n_rows (user_data, rows);
}

static gboolean
binding_resolve (gpointer user_data, LersReportRows rows, const LersReportField *field, guint row,
                 const gchar *language, LersReportValue *value, GError **error)
{
  return lers_report_data_resolve (user_data, rows, field, row, language, value, error);
}

void
lers_report_data_init_binding (LersReportData *data, LersReportBinding *binding)
{
  g_return_if_fail (data != NULL && binding != NULL);

  binding->n_rows = binding_n_rows;
  binding->resolve = binding_resolve;
  binding->zone = data->zone;
  binding->user_data = data;
}
