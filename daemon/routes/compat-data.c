/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * ЛЭРС УЧЁТ API v1: the archives of a measure point (see compat.c,
 * docs/api-compat.md).
 *
 *   GET Data/MeasurePoints/{id}/Consumption/{start}/{end}?dataTypes=Hour
 *   GET Data/MeasurePoints/{id}/Totals/{start}/{end}
 *   GET Data/MeasurePoints/{id}/Consumption/Last, …/Totals/Last
 *   PUT Data/MeasurePoints/{id}?overwriteExisting=true
 *
 * {start} and {end} are written as their client writes them (.NET's "s":
 * 2026-11-23T00:00:00, the point's wall-clock time); an offset or a bare
 * date is accepted too. Both ends are included. Values are in our storage
 * units, which "dataParametersUnit" names per category.
 */
#include "config.h"

#include <inttypes.h>
#include <math.h>

#include <glib/gi18n.h>

#include "compat.h"
#include "lersd-auth.h"

#define LERSD_COMPAT_MAX_RANGE (366 * G_TIME_SPAN_DAY)

static const struct
{
  LersArchiveKind kind;
  const gchar *data_type; /* their DeviceDataType */
  const gchar *member;    /* in GetMeasurePointConsumptionResponse */
} lersd_compat_kinds[] = {
  { LERS_ARCHIVE_KIND_HOUR, "Hour", "hourConsumption" },
  { LERS_ARCHIVE_KIND_DAY, "Day", "dayConsumption" },
  { LERS_ARCHIVE_KIND_MONTH, "Month", "monthConsumption" },
  { LERS_ARCHIVE_KIND_CURRENT, "Current", "currentConsumption" },
};

static gboolean
lersd_compat_kind_from_string (const gchar *str, guint *index)
{
  for (guint i = 0; i < G_N_ELEMENTS (lersd_compat_kinds); i++)
    if (g_ascii_strcasecmp (lersd_compat_kinds[i].data_type, str) == 0)
      {
        *index = i;
        return TRUE;
      }
  return FALSE;
}

/* The point named by segment 2, if the caller sees its node; its zone. */
static LersMeasurePoint *
lersd_compat_load_point (LersdRequest *req, GTimeZone **zone, GCancellable *cancellable,
                         GError **error)
{
  LersStore *store = lersd_request_get_store (req);
  g_autoptr (LersMeasurePoint) point = NULL;
  gint64 id;

  if (!lersd_parse_id (lersd_request_get_segment (req, 2), &id, error))
    return NULL;
  point = lers_store_get_measure_point_sync (store, id, cancellable, error);
  if (point == NULL)
    return NULL;
  if (!lersd_request_check_node (req, lers_measure_point_get_node_id (point), cancellable, NULL))
    {
      g_set_error (error, LERS_ERROR, LERS_ERROR_NOT_FOUND,
                   _ ("There is no measure point with id %" PRId64), id);
      return NULL;
    }
  *zone = lers_store_get_point_time_zone_sync (store, id, cancellable, error);
  if (*zone == NULL)
    return NULL;
  return g_steal_pointer (&point);
}

static GDateTime *
lersd_compat_parse_time (const gchar *name, const gchar *str, GTimeZone *zone, GError **error)
{
  GDateTime *dt = lers_time_parse_local (str, zone);

  if (dt == NULL)
    {
      g_autofree gchar *quoted = lersd_quote_input (str);
      /* TRANSLATORS: the first %s is a parameter: start, end or dateTime */
      g_set_error (error, LERS_ERROR, LERS_ERROR_INVALID_ARGUMENT,
                   _ ("%s “%s” is not a time such as 2026-11-23T00:00:00"), name, quoted);
    }
  return dt;
}

/* {start} and {end} (segments 4 and 5) as [from, to): to is a second
 * after end, so a record at end is included. */
static gboolean
lersd_compat_parse_period (LersdRequest *req, GTimeZone *zone, GDateTime **from, GDateTime **to,
                           GError **error)
{
  g_autoptr (GDateTime) start = NULL;
  g_autoptr (GDateTime) end = NULL;
  GTimeSpan span;

  start = lersd_compat_parse_time ("start", lersd_request_get_segment (req, 4), zone, error);
  if (start == NULL)
    return FALSE;
  end = lersd_compat_parse_time ("end", lersd_request_get_segment (req, 5), zone, error);
  if (end == NULL)
    return FALSE;
  span = g_date_time_difference (end, start);
  if (span < 0)
    {
      g_set_error_literal (error, LERS_ERROR, LERS_ERROR_INVALID_ARGUMENT,
                           _ ("start must not be later than end"));
      return FALSE;
    }
  if (span > LERSD_COMPAT_MAX_RANGE)
    {
      g_set_error_literal (error, LERS_ERROR, LERS_ERROR_INVALID_ARGUMENT,
                           _ ("The time range must not be longer than 366 days"));
      return FALSE;
    }
  *to = g_date_time_add_seconds (end, 1);
  if (*to == NULL)
    {
      g_set_error_literal (error, LERS_ERROR, LERS_ERROR_INVALID_ARGUMENT,
                           _ ("end is out of range"));
      return FALSE;
    }
  *from = g_steal_pointer (&start);
  return TRUE;
}

/* ---- records in their shape ------------------------------------------- */

/* Categories seen, in order, each with its unit (their DataParametersUnitPair) */
typedef struct
{
  GPtrArray *categories; /* const gchar * */
  GPtrArray *units;      /* const gchar * */
} LersdCompatUnits;

static void
lersd_compat_units_add (LersdCompatUnits *units, LersParameter parameter)
{
  const gchar *category = lersd_compat_parameter_category (parameter);

  for (guint i = 0; i < units->categories->len; i++)
    if (g_str_equal (units->categories->pdata[i], category))
      return;
  g_ptr_array_add (units->categories, (gpointer) category);
  g_ptr_array_add (units->units,
                   (gpointer) lersd_compat_unit (lers_parameter_get_unit (parameter)));
}

static void
lersd_compat_append_units (GString *out, LersdCompatUnits *units)
{
  g_string_append (out, "\"dataParametersUnit\":[");
  for (guint i = 0; i < units->categories->len; i++)
    {
      if (i > 0)
        g_string_append_c (out, ',');
      g_string_append (out, "{\"dataParameterCategory\":");
      lers_json_append_string (out, units->categories->pdata[i]);
      g_string_append (out, ",\"unit\":");
      lers_json_append_string (out, units->units->pdata[i]);
      g_string_append_c (out, '}');
    }
  g_string_append_c (out, ']');
}

static void
lersd_compat_append_bool (GString *out, const gchar *name, gboolean value)
{
  g_string_append_printf (out, ",\"%s\":%s", name, value ? "true" : "false");
}

/* The values of one row: their DataParameterValue list. Parameters theirs
 * has no name for are left out. */
static void
lersd_compat_append_values (GString *out, LersArchiveBatch *batch, guint row,
                            LersdCompatUnits *units)
{
  const LersParameter *parameters;
  guint n_parameters = 0;
  gboolean first = TRUE;

  g_string_append (out, "\"values\":[");
  parameters = lers_archive_batch_get_parameters (batch, &n_parameters);
  for (guint i = 0; i < n_parameters; i++)
    {
      LersParameter parameter = parameters[i];
      const gchar *name = lersd_compat_parameter_name (parameter);
      LersValueFlags flags = 0;
      gdouble value = lers_archive_batch_get_value (batch, row, parameter, &flags);

      if (name == NULL || (flags & LERS_VALUE_FLAG_MISSING))
        continue;
      if (!first)
        g_string_append_c (out, ',');
      first = FALSE;
      g_string_append (out, "{\"dataParameter\":");
      lers_json_append_string (out, name);
      g_string_append (out, ",\"value\":");
      /* theirs cannot be null: a value that is not finite is 0, bad */
      if (!isfinite (value))
        {
          value = 0;
          flags |= LERS_VALUE_FLAG_BAD;
        }
      lers_json_append_double (out, value);
      lersd_compat_append_bool (out, "isBad", (flags & LERS_VALUE_FLAG_BAD) != 0);
      lersd_compat_append_bool (out, "isCalc", (flags & LERS_VALUE_FLAG_CALCULATED) != 0);
      lersd_compat_append_bool (out, "isInterpolated", (flags & LERS_VALUE_FLAG_INTERPOLATED) != 0);
      lersd_compat_append_bool (out, "isReset", (flags & LERS_VALUE_FLAG_RESET) != 0);
      g_string_append_c (out, '}');
      if (units != NULL)
        lersd_compat_units_add (units, parameter);
    }
  g_string_append_c (out, ']');
}

/* MeasurePointDataConsumptionRecord / MeasurePointDataTotalsRecord */
static void
lersd_compat_append_record (GString *out, LersArchiveBatch *batch, guint row,
                            const gchar *resource_kind, GTimeZone *zone, LersdCompatUnits *units)
{
  g_autoptr (GDateTime) ts = lers_archive_batch_dup_timestamp (batch, row);

  g_string_append (out, "{\"resourceKind\":");
  lers_json_append_string (out, resource_kind);
  g_string_append (out, ",\"isEmpty\":false,\"dateTime\":");
  lers_json_append_time (out, ts, zone);
  g_string_append (out, ",\"attributes\":[],");
  lersd_compat_append_values (out, batch, row, units);
  g_string_append_c (out, '}');
}

static GBytes *
lersd_compat_archive_run (LersdRequest *req, gboolean totals, GCancellable *cancellable,
                          GError **error)
{
  LersStore *store = lersd_request_get_store (req);
  g_autoptr (LersMeasurePoint) point = NULL;
  g_autoptr (GTimeZone) zone = NULL;
  g_autoptr (GDateTime) from = NULL;
  g_autoptr (GDateTime) to = NULL;
  g_autoptr (GString) out = NULL;
  g_autoptr (GPtrArray) categories = g_ptr_array_new ();
  g_autoptr (GPtrArray) unit_names = g_ptr_array_new ();
  LersdCompatUnits units = { categories, unit_names };
  gboolean wanted[G_N_ELEMENTS (lersd_compat_kinds)] = { FALSE };
  const gchar *resource_kind;
  gboolean first_member = TRUE;

  if (!totals)
    {
      const gchar *types = lersd_request_get_query (req, "dataTypes");
      g_auto (GStrv) names = NULL;
      gboolean any = FALSE;

      /* their client repeats dataTypes for several; lersd reads the last,
       * or a comma-separated list */
      names = g_strsplit (types != NULL && *types != '\0' ? types : "Day", ",", 0);
      for (guint i = 0; names[i] != NULL; i++)
        {
          const gchar *name = g_strstrip (names[i]);
          guint index;

          if (!lersd_compat_kind_from_string (name, &index))
            {
              g_autofree gchar *quoted = lersd_quote_input (name);
              g_set_error (error, LERS_ERROR, LERS_ERROR_INVALID_ARGUMENT,
                           _ ("dataTypes “%s” is not one of Hour, Day, Month, Current"), quoted);
              return NULL;
            }
          wanted[index] = TRUE;
          any = TRUE;
        }
      if (!any)
        wanted[1] = TRUE;
    }

  point = lersd_compat_load_point (req, &zone, cancellable, error);
  if (point == NULL)
    return NULL;
  if (!lersd_compat_parse_period (req, zone, &from, &to, error))
    return NULL;
  resource_kind = lersd_compat_resource_kind (lers_measure_point_get_resource (point));

  out = g_string_sized_new (4096);
  g_string_append_c (out, '{');
  for (guint k = 0; k < (totals ? 1 : G_N_ELEMENTS (lersd_compat_kinds)); k++)
    {
      g_autoptr (LersArchiveBatch) batch = NULL;
      LersArchiveKind kind = totals ? LERS_ARCHIVE_KIND_TOTALS : lersd_compat_kinds[k].kind;
      guint n_rows;

      if (!totals && !wanted[k])
        continue;
      batch = lers_store_query_archive_sync (store, lers_measure_point_get_id (point), kind, from,
                                             to, cancellable, error);
      if (batch == NULL)
        return NULL;
      if (!first_member)
        g_string_append_c (out, ',');
      first_member = FALSE;
      lers_json_append_string (out, totals ? "totals" : lersd_compat_kinds[k].member);
      g_string_append (out, ":[");
      n_rows = lers_archive_batch_get_n_rows (batch);
      for (guint i = 0; i < n_rows; i++)
        {
          if (i > 0)
            g_string_append_c (out, ',');
          lersd_compat_append_record (out, batch, i, resource_kind, zone, &units);
        }
      g_string_append_c (out, ']');
    }
  g_string_append_c (out, ',');
  lersd_compat_append_units (out, &units);
  g_string_append_c (out, '}');
  return g_string_free_to_bytes (g_steal_pointer (&out));
}

static GBytes *
lersd_compat_consumption_run (LersdRequest *req, GCancellable *cancellable, guint *status,
                              GError **error)
{
  return lersd_compat_archive_run (req, FALSE, cancellable, error);
}

void
lersd_route_compat_consumption (LersdRequest *req)
{
  lersd_compat_run (req, lersd_compat_consumption_run);
}

static GBytes *
lersd_compat_totals_run (LersdRequest *req, GCancellable *cancellable, guint *status,
                         GError **error)
{
  return lersd_compat_archive_run (req, TRUE, cancellable, error);
}

void
lersd_route_compat_totals (LersdRequest *req)
{
  lersd_compat_run (req, lersd_compat_totals_run);
}

/* ---- the last record -------------------------------------------------- */

/* MeasurePointLastConsumption (@totals FALSE: the newest hour record,
 * else day, else month) or MeasurePointLastTotals. */
static GBytes *
lersd_compat_last_run (LersdRequest *req, gboolean totals, GCancellable *cancellable,
                       GError **error)
{
  LersStore *store = lersd_request_get_store (req);
  g_autoptr (LersMeasurePoint) point = NULL;
  g_autoptr (GTimeZone) zone = NULL;
  g_autoptr (GString) out = NULL;
  gint64 id;

  point = lersd_compat_load_point (req, &zone, cancellable, error);
  if (point == NULL)
    return NULL;
  id = lers_measure_point_get_id (point);

  for (guint k = 0; k < (totals ? 1 : 3); k++)
    {
      LersArchiveKind kind = totals ? LERS_ARCHIVE_KIND_TOTALS : lersd_compat_kinds[k].kind;
      g_autoptr (GDateTime) last = NULL;
      g_autoptr (GDateTime) after = NULL;
      g_autoptr (LersArchiveBatch) batch = NULL;
      g_autoptr (GError) local = NULL;

      last = lers_store_get_last_timestamp_sync (store, id, kind, cancellable, &local);
      if (last == NULL)
        {
          if (local != NULL)
            {
              g_propagate_error (error, g_steal_pointer (&local));
              return NULL;
            }
          continue;
        }
      after = g_date_time_add_seconds (last, 1);
      batch = lers_store_query_archive_sync (store, id, kind, last, after, cancellable, error);
      if (batch == NULL)
        return NULL;
      if (lers_archive_batch_get_n_rows (batch) == 0)
        continue;

      out = g_string_new ("{");
      if (!totals)
        {
          g_string_append (out, "\"dataType\":");
          lers_json_append_string (out, lersd_compat_kinds[k].data_type);
          g_string_append_c (out, ',');
        }
      g_string_append (out, "\"dateTime\":");
      lers_json_append_time (out, last, zone);
      g_string_append (out, ",\"attributes\":[],");
      lersd_compat_append_values (out, batch, 0, NULL);
      g_string_append_c (out, '}');
      return g_string_free_to_bytes (g_steal_pointer (&out));
    }

  if (totals)
    g_set_error (error, LERS_ERROR, LERS_ERROR_NOT_FOUND,
                 _ ("Measure point %" PRId64 " has no totals"), id);
  else
    g_set_error (error, LERS_ERROR, LERS_ERROR_NOT_FOUND,
                 _ ("Measure point %" PRId64 " has no consumption records"), id);
  return NULL;
}

static GBytes *
lersd_compat_consumption_last_run (LersdRequest *req, GCancellable *cancellable, guint *status,
                                   GError **error)
{
  return lersd_compat_last_run (req, FALSE, cancellable, error);
}

void
lersd_route_compat_consumption_last (LersdRequest *req)
{
  lersd_compat_run (req, lersd_compat_consumption_last_run);
}

static GBytes *
lersd_compat_totals_last_run (LersdRequest *req, GCancellable *cancellable, guint *status,
                              GError **error)
{
  return lersd_compat_last_run (req, TRUE, cancellable, error);
}

void
lersd_route_compat_totals_last (LersdRequest *req)
{
  lersd_compat_run (req, lersd_compat_totals_last_run);
}

/* ---- PUT: writing records --------------------------------------------- */

static gboolean
lersd_compat_flag (JsonObject *value, const gchar *name, gboolean *flag, GError **error)
{
  JsonNode *node = json_object_get_member (value, name);

  *flag = FALSE;
  if (node == NULL || JSON_NODE_HOLDS_NULL (node))
    return TRUE;
  if (!JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_BOOLEAN)
    {
      /* TRANSLATORS: %s is a JSON member such as isBad */
      g_set_error (error, LERS_ERROR, LERS_ERROR_INVALID_ARGUMENT, _ ("%s must be true or false"),
                   name);
      return FALSE;
    }
  *flag = json_node_get_boolean (node);
  return TRUE;
}

/* One MeasurePointDataConsumptionRecord or …TotalsRecord as a LersRecord;
 * NULL with no error for a record marked isEmpty. */
static LersRecord *
lersd_compat_parse_record (JsonNode *node, LersArchiveKind kind, GTimeZone *zone, guint index,
                           GError **error)
{
  JsonObject *object;
  JsonNode *member;
  JsonArray *values;
  g_autoptr (GDateTime) ts = NULL;
  g_autoptr (LersRecord) record = NULL;

  if (!JSON_NODE_HOLDS_OBJECT (node))
    {
      g_set_error (error, LERS_ERROR, LERS_ERROR_INVALID_ARGUMENT,
                   _ ("Record %u must be a JSON object"), index);
      return NULL;
    }
  object = json_node_get_object (node);
  member = json_object_get_member (object, "isEmpty");
  if (member != NULL && JSON_NODE_HOLDS_VALUE (member)
      && json_node_get_value_type (member) == G_TYPE_BOOLEAN && json_node_get_boolean (member))
    return NULL;

  member = json_object_get_member (object, "dateTime");
  if (member == NULL || !JSON_NODE_HOLDS_VALUE (member)
      || json_node_get_value_type (member) != G_TYPE_STRING)
    {
      g_set_error (error, LERS_ERROR, LERS_ERROR_INVALID_ARGUMENT, _ ("Record %u has no dateTime"),
                   index);
      return NULL;
    }
  ts = lersd_compat_parse_time ("dateTime", json_node_get_string (member), zone, error);
  if (ts == NULL)
    return NULL;
  record = lers_record_new (ts, kind);

  member = json_object_get_member (object, "values");
  if (member == NULL || JSON_NODE_HOLDS_NULL (member))
    return g_steal_pointer (&record);
  if (!JSON_NODE_HOLDS_ARRAY (member))
    {
      g_set_error (error, LERS_ERROR, LERS_ERROR_INVALID_ARGUMENT,
                   _ ("values of record %u must be an array"), index);
      return NULL;
    }
  values = json_node_get_array (member);
  for (guint i = 0; i < json_array_get_length (values); i++)
    {
      JsonNode *vnode = json_array_get_element (values, i);
      JsonObject *value;
      JsonNode *name_node, *number;
      LersParameter parameter;
      LersValueFlags flags = 0;
      gboolean bad, calc, interpolated, reset;
      GType type;

      if (!JSON_NODE_HOLDS_OBJECT (vnode))
        {
          g_set_error (error, LERS_ERROR, LERS_ERROR_INVALID_ARGUMENT,
                       _ ("Value %u of record %u must be a JSON object"), i, index);
          return NULL;
        }
      value = json_node_get_object (vnode);
      name_node = json_object_get_member (value, "dataParameter");
      if (name_node == NULL || !JSON_NODE_HOLDS_VALUE (name_node)
          || json_node_get_value_type (name_node) != G_TYPE_STRING)
        {
          g_set_error (error, LERS_ERROR, LERS_ERROR_INVALID_ARGUMENT,
                       _ ("Value %u of record %u has no dataParameter"), i, index);
          return NULL;
        }
      if (!lersd_compat_parameter_from_name (json_node_get_string (name_node), &parameter))
        {
          g_autofree gchar *quoted = lersd_quote_input (json_node_get_string (name_node));
          g_set_error (error, LERS_ERROR, LERS_ERROR_INVALID_ARGUMENT,
                       _ ("dataParameter “%s” is not a parameter lersd stores"), quoted);
          return NULL;
        }
      number = json_object_get_member (value, "value");
      type = number != NULL && JSON_NODE_HOLDS_VALUE (number) ? json_node_get_value_type (number)
                                                              : G_TYPE_INVALID;
      if (type != G_TYPE_INT64 && type != G_TYPE_DOUBLE)
        {
          g_set_error (error, LERS_ERROR, LERS_ERROR_INVALID_ARGUMENT,
                       _ ("Value %u of record %u must have a number as value"), i, index);
          return NULL;
        }
      if (!lersd_compat_flag (value, "isBad", &bad, error)
          || !lersd_compat_flag (value, "isCalc", &calc, error)
          || !lersd_compat_flag (value, "isInterpolated", &interpolated, error)
          || !lersd_compat_flag (value, "isReset", &reset, error))
        return NULL;
      flags = (bad ? LERS_VALUE_FLAG_BAD : 0) | (calc ? LERS_VALUE_FLAG_CALCULATED : 0)
              | (interpolated ? LERS_VALUE_FLAG_INTERPOLATED : 0)
              | (reset ? LERS_VALUE_FLAG_RESET : 0);
      lers_record_set_value (record, parameter, json_node_get_double (number), flags);
    }
  return g_steal_pointer (&record);
}

/* Appends the records of @array to @records. */
static gboolean
lersd_compat_parse_records (JsonNode *node, const gchar *name, LersArchiveKind kind,
                            GTimeZone *zone, GPtrArray *records, GError **error)
{
  JsonArray *array;

  if (node == NULL || JSON_NODE_HOLDS_NULL (node))
    return TRUE;
  if (!JSON_NODE_HOLDS_ARRAY (node))
    {
      /* TRANSLATORS: %s is a JSON member: consumption or totals */
      g_set_error (error, LERS_ERROR, LERS_ERROR_INVALID_ARGUMENT, _ ("%s must be an array"), name);
      return FALSE;
    }
  array = json_node_get_array (node);
  for (guint i = 0; i < json_array_get_length (array); i++)
    {
      g_autoptr (GError) local = NULL;
      LersRecord *record
          = lersd_compat_parse_record (json_array_get_element (array, i), kind, zone, i, &local);
      if (local != NULL)
        {
          g_propagate_prefixed_error (error, g_steal_pointer (&local), "%s: ", name);
          return FALSE;
        }
      if (record != NULL)
        g_ptr_array_add (records, record);
    }
  return TRUE;
}

/* Leaves out of @records those whose (kind, timestamp) is stored already. */
static gboolean
lersd_compat_drop_existing (LersStore *store, gint64 point_id, GPtrArray *records,
                            GCancellable *cancellable, GError **error)
{
  for (guint k = 0; k <= LERS_ARCHIVE_KIND_TOTALS; k++)
    {
      g_autoptr (GDateTime) from = NULL;
      g_autoptr (GDateTime) to = NULL;
      g_autoptr (LersArchiveBatch) batch = NULL;
      g_autoptr (GHashTable) stored = NULL;
      const gint64 *timestamps;
      guint n_rows = 0;

      for (guint i = 0; i < records->len; i++)
        {
          GDateTime *ts = lers_record_get_timestamp (records->pdata[i]);
          if (lers_record_get_kind (records->pdata[i]) != k)
            continue;
          if (from == NULL || g_date_time_compare (ts, from) < 0)
            {
              g_clear_pointer (&from, g_date_time_unref);
              from = g_date_time_ref (ts);
            }
          if (to == NULL || g_date_time_compare (ts, to) >= 0)
            {
              g_clear_pointer (&to, g_date_time_unref);
              to = g_date_time_add_seconds (ts, 1);
            }
        }
      if (from == NULL)
        continue;
      batch = lers_store_query_archive_sync (store, point_id, k, from, to, cancellable, error);
      if (batch == NULL)
        return FALSE;
      stored = g_hash_table_new (g_int64_hash, g_int64_equal);
      timestamps = lers_archive_batch_get_timestamps (batch, &n_rows);
      for (guint i = 0; i < n_rows; i++)
        g_hash_table_add (stored, (gpointer) &timestamps[i]);
      for (guint i = records->len; i > 0; i--)
        {
          LersRecord *record = records->pdata[i - 1];
          gint64 us;

          if (lers_record_get_kind (record) != k)
            continue;
          us = g_date_time_to_unix (lers_record_get_timestamp (record)) * G_USEC_PER_SEC
               + g_date_time_get_microsecond (lers_record_get_timestamp (record));
          if (g_hash_table_contains (stored, &us))
            g_ptr_array_remove_index (records, i - 1);
        }
    }
  return TRUE;
}

static GBytes *
lersd_compat_save_run (LersdRequest *req, GCancellable *cancellable, guint *status, GError **error)
{
  LersStore *store = lersd_request_get_store (req);
  g_autoptr (LersMeasurePoint) point = NULL;
  g_autoptr (GTimeZone) zone = NULL;
  g_autoptr (JsonObject) body = NULL;
  g_autoptr (GPtrArray) records = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr (GString) out = NULL;
  g_autofree gchar *after = NULL;
  JsonNode *consumption;
  const gchar *data_type = NULL;
  gboolean overwrite = FALSE;
  guint n_given, n_consumption = 0;
  gint64 id;

  if (!lersd_compat_get_bool (req, "overwriteExisting", FALSE, &overwrite, error))
    return NULL;
  point = lersd_compat_load_point (req, &zone, cancellable, error);
  if (point == NULL)
    return NULL;
  id = lers_measure_point_get_id (point);
  body = lersd_compat_parse_body (req, error);
  if (body == NULL)
    return NULL;

  /* SaveConsumptionParameters: {"dataType": "Hour", "consumption": [...]} */
  consumption = json_object_get_member (body, "consumption");
  if (consumption != NULL && !JSON_NODE_HOLDS_NULL (consumption))
    {
      JsonObject *params;
      JsonNode *type_node;
      guint index;

      if (!JSON_NODE_HOLDS_OBJECT (consumption))
        {
          g_set_error_literal (error, LERS_ERROR, LERS_ERROR_INVALID_ARGUMENT,
                               _ ("consumption must be a JSON object"));
          return NULL;
        }
      params = json_node_get_object (consumption);
      type_node = json_object_get_member (params, "dataType");
      if (type_node == NULL || !JSON_NODE_HOLDS_VALUE (type_node)
          || json_node_get_value_type (type_node) != G_TYPE_STRING
          || !lersd_compat_kind_from_string (json_node_get_string (type_node), &index))
        {
          g_set_error_literal (error, LERS_ERROR, LERS_ERROR_INVALID_ARGUMENT,
                               _ ("consumption.dataType must be one of Hour, Day, Month, Current"));
          return NULL;
        }
      data_type = lersd_compat_kinds[index].data_type;
      if (!lersd_compat_parse_records (json_object_get_member (params, "consumption"),
                                       "consumption", lersd_compat_kinds[index].kind, zone, records,
                                       error))
        return NULL;
      n_consumption = records->len;
    }
  if (!lersd_compat_parse_records (json_object_get_member (body, "totals"), "totals",
                                   LERS_ARCHIVE_KIND_TOTALS, zone, records, error))
    return NULL;

  n_given = records->len;
  if (!overwrite && !lersd_compat_drop_existing (store, id, records, cancellable, error))
    return NULL;
  if (records->len > 0 && !lers_store_write_records_sync (store, id, records, cancellable, error))
    return NULL;

  out = g_string_new ("{\"dataType\":");
  lers_json_append_nullable_string (out, data_type);
  g_string_append_printf (out, ",\"consumption\":%u,\"totals\":%u,\"written\":%u}", n_consumption,
                          n_given - n_consumption, records->len);
  after = g_strdup (out->str);
  if (records->len > 0
      && !lersd_request_audit (req, "archive-write", "measure-point", id, NULL, after, cancellable,
                               error))
    return NULL;

  /* their client reads nothing back; ours says what was written */
  g_string_printf (out, "{\"written\":%u,\"skipped\":%u}", records->len, n_given - records->len);
  return g_string_free_to_bytes (g_steal_pointer (&out));
}

void
lersd_route_compat_save_data (LersdRequest *req)
{
  lersd_compat_run (req, lersd_compat_save_run);
}
