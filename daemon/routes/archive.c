/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Archives of a measure point.
 *
 *   GET /api/v1/points/{id}/archive?kind=hour&from=ISO8601&to=ISO8601
 *
 * → {"point_id": 7, "kind": "hour", "time_zone": "Asia/Vladivostok",
 *    "from": "…+10:00", "to": "…+10:00",
 *    "records": [{"timestamp": "2026-11-24T11:00:00+10:00",
 *                 "values": [{"parameter": "T_in", "value": 71.3,
 *                             "unit": "degC", "flags": []}, …]}, …]}
 *
 * Records are oldest first over [from, to). Defaults: kind=hour, to=now,
 * from=to−24h. Times are shown in the point's zone (its node's territory's,
 * else the server's) with their offset. In from and to, a time without an
 * offset is wall-clock time in that zone and a bare date is local midnight
 * there; "time_zone" names the zone ("" when it has no name).
 * The range must be non-empty and at most 366 days. Values are in the
 * parameter's storage unit; a value that is not finite (NaN, ±Inf from a
 * meter) is null with the flag "bad". A record lists only the values it has.
 *
 * The body is written directly rather than through JsonBuilder: a year of
 * hourly records is ~9000 records, and numbers are written in their shortest
 * exact form (71.3, not 71.299999999999997).
 */
#include "config.h"

#include <glib/gi18n.h>

#include "lersd-auth.h"
#include "lersd-routes.h"

/* Longest range one request may ask for: a leap year. */
#define LERSD_MAX_RANGE (366 * G_TIME_SPAN_DAY)
#define LERSD_ARCHIVE_DEFAULT_RANGE G_TIME_SPAN_DAY

typedef struct
{
  LersdRequest *req;
  gint64 point_id;
  LersArchiveKind kind;
  gchar *from_str; /* as given, or NULL */
  gchar *to_str;
  GTimeZone *zone; /* the point's */
  GDateTime *from;
  GDateTime *to;
} LersdArchiveData;

static void
lersd_archive_data_free (LersdArchiveData *data)
{
  g_clear_pointer (&data->req, lersd_request_unref);
  g_free (data->from_str);
  g_free (data->to_str);
  g_clear_pointer (&data->zone, g_time_zone_unref);
  g_clear_pointer (&data->from, g_date_time_unref);
  g_clear_pointer (&data->to, g_date_time_unref);
  g_free (data);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (LersdArchiveData, lersd_archive_data_free)

/**
 * lersd_quote_input:
 * @str: untrusted input
 *
 * Returns: (transfer full): @str for an error message: valid UTF-8, at most
 *   40 characters
 *
 * Since: 0.3
 */
gchar *
lersd_quote_input (const gchar *str)
{
  g_autofree gchar *valid = g_utf8_make_valid (str, MIN (strlen (str), 4 * 40));

  if (g_utf8_strlen (valid, -1) > 40)
    {
      g_autofree gchar *cut = g_utf8_substring (valid, 0, 40);
      return g_strconcat (cut, "…", NULL);
    }
  return g_steal_pointer (&valid);
}

static GDateTime *
lersd_parse_time (const gchar *name, const gchar *str, GTimeZone *zone, GError **error)
{
  GDateTime *dt = lers_time_parse_local (str, zone);

  if (dt == NULL)
    {
      g_autofree gchar *quoted = lersd_quote_input (str);
      /* TRANSLATORS: the first %s is the query parameter (from, to) */
      g_set_error (error, LERS_ERROR, LERS_ERROR_INVALID_ARGUMENT,
                   _ ("%s “%s” is not an ISO 8601 time such as 2026-01-31T10:00:00Z"), name,
                   quoted);
    }
  return dt;
}

/**
 * lersd_parse_range:
 * @from_str: (nullable): the from query parameter as given
 * @to_str: (nullable): the to query parameter as given
 * @zone: the zone a time without an offset is read in
 * @default_range: how far before to from is when @from_str is %NULL
 * @from: (out): where to put from
 * @to: (out): where to put to; now when @to_str is %NULL
 * @error: return location for a #GError
 *
 * Reads from and to and checks the range: non-empty and at most 366 days.
 * Replaces the previous values of @from and @to.
 *
 * Returns: %TRUE on success, else %FALSE with %LERS_ERROR_INVALID_ARGUMENT
 *
 * Since: 0.3
 */
gboolean
lersd_parse_range (const gchar *from_str, const gchar *to_str, GTimeZone *zone,
                   GTimeSpan default_range, GDateTime **from, GDateTime **to, GError **error)
{
  GTimeSpan span;

  g_clear_pointer (from, g_date_time_unref);
  g_clear_pointer (to, g_date_time_unref);
  if (to_str != NULL)
    *to = lersd_parse_time ("to", to_str, zone, error);
  else
    *to = g_date_time_new_now_utc ();
  if (*to == NULL)
    return FALSE;
  if (from_str != NULL)
    {
      *from = lersd_parse_time ("from", from_str, zone, error);
      if (*from == NULL)
        return FALSE;
    }
  else
    {
      /* NULL when to is within the default range of year 1 */
      *from = g_date_time_add (*to, -default_range);
      if (*from == NULL)
        {
          g_set_error_literal (error, LERS_ERROR, LERS_ERROR_INVALID_ARGUMENT,
                               _ ("to is out of range"));
          return FALSE;
        }
    }

  span = g_date_time_difference (*to, *from);
  if (span <= 0)
    {
      g_set_error_literal (error, LERS_ERROR, LERS_ERROR_INVALID_ARGUMENT,
                           _ ("from must be earlier than to"));
      return FALSE;
    }
  if (span > LERSD_MAX_RANGE)
    {
      g_set_error_literal (error, LERS_ERROR, LERS_ERROR_INVALID_ARGUMENT,
                           _ ("The time range must not be longer than 366 days"));
      return FALSE;
    }
  return TRUE;
}

/* @flags as a JSON array of their nicks ("calculated", "bad"); also for
 * routes/current.c */
void
lersd_append_json_flags (GString *out, GFlagsClass *klass, LersValueFlags flags)
{
  gboolean first = TRUE;

  g_string_append_c (out, '[');
  for (guint i = 0; i < klass->n_values; i++)
    {
      const GFlagsValue *fv = &klass->values[i];

      if (fv->value == 0 || (flags & fv->value) != fv->value)
        continue;
      if (!first)
        g_string_append_c (out, ',');
      lers_json_append_string (out, fv->value_nick);
      first = FALSE;
    }
  g_string_append_c (out, ']');
}

/* One row of @batch as a record: its values in the batch's parameter order,
 * missing ones left out. */
static void
lersd_append_json_row (GString *out, GFlagsClass *flags_class, LersArchiveBatch *batch, guint row,
                       GTimeZone *zone)
{
  g_autoptr (GDateTime) ts = lers_archive_batch_dup_timestamp (batch, row);
  const LersParameter *parameters;
  guint n_parameters = 0;
  gboolean first = TRUE;

  g_string_append (out, "{\"timestamp\":");
  lers_json_append_time (out, ts, zone);
  g_string_append (out, ",\"values\":[");
  parameters = lers_archive_batch_get_parameters (batch, &n_parameters);
  for (guint i = 0; i < n_parameters; i++)
    {
      LersParameter parameter = parameters[i];
      LersValueFlags flags = 0;
      gdouble value = lers_archive_batch_get_value (batch, row, parameter, &flags);

      if (flags & LERS_VALUE_FLAG_MISSING)
        continue;
      if (!first)
        g_string_append_c (out, ',');
      first = FALSE;
      g_string_append (out, "{\"parameter\":");
      lers_json_append_string (out, lers_parameter_get_name (parameter));
      g_string_append (out, ",\"value\":");
      /* the shortest form that reads back exactly; not finite (the batch
       * flags it bad): null, never nan */
      lers_json_append_double (out, value);
      g_string_append (out, ",\"unit\":");
      lers_json_append_string (out, lers_unit_get_code (lers_parameter_get_unit (parameter)));
      g_string_append (out, ",\"flags\":");
      lersd_append_json_flags (out, flags_class, flags);
      g_string_append_c (out, '}');
    }
  g_string_append (out, "]}");
}

/* The zone's IANA name, or "" for a zone with none (the server's may lack
 * one) */
static const gchar *
lersd_zone_name (GTimeZone *zone)
{
  const gchar *name = g_time_zone_get_identifier (zone);

  return name != NULL && name[0] != '/' && name[0] != ':' ? name : "";
}

/* The archive's body for @batch */
static GBytes *
lersd_archive_body (LersdArchiveData *data, LersArchiveBatch *batch)
{
  g_autoptr (GString) out = NULL;
  g_autoptr (GFlagsClass) flags_class = NULL;
  guint n_rows;

  n_rows = lers_archive_batch_get_n_rows (batch);
  out = g_string_sized_new (256 + n_rows * 512);
  g_string_append_printf (out, "{\"point_id\":%" G_GINT64_FORMAT ",\"kind\":", data->point_id);
  lers_json_append_string (out, lers_archive_kind_to_string (data->kind));
  g_string_append (out, ",\"time_zone\":");
  lers_json_append_string (out, lersd_zone_name (data->zone));
  g_string_append (out, ",\"from\":");
  lers_json_append_time (out, data->from, data->zone);
  g_string_append (out, ",\"to\":");
  lers_json_append_time (out, data->to, data->zone);
  g_string_append (out, ",\"records\":[");
  flags_class = g_type_class_ref (LERS_TYPE_VALUE_FLAGS);
  for (guint i = 0; i < n_rows; i++)
    {
      if (i > 0)
        g_string_append_c (out, ',');
      lersd_append_json_row (out, flags_class, batch, i, data->zone);
    }
  g_string_append (out, "]}");
  return g_string_free_to_bytes (g_steal_pointer (&out));
}

/**
 * lersd_request_check_point:
 * @req: a request (on a worker thread: this blocks)
 * @point_id: a measure point
 * @cancellable: (nullable): a #GCancellable
 * @error: return location for a #GError
 *
 * Whether the point exists and the caller sees its node: else
 * %LERS_ERROR_NOT_FOUND "Measure point N does not exist", the same for a
 * point that does not exist and one of a node the caller does not see.
 *
 * Returns: %TRUE when the caller may read the point
 *
 * Since: 0.5
 */
gboolean
lersd_request_check_point (LersdRequest *req, gint64 point_id, GCancellable *cancellable,
                           GError **error)
{
  g_autoptr (LersMeasurePoint) point = NULL;
  g_autoptr (GError) local_error = NULL;
  g_autoptr (GArray) nodes = NULL;
  gboolean all = FALSE;

  point = lers_store_get_measure_point_sync (lersd_request_get_store (req), point_id, cancellable,
                                             &local_error);
  if (point == NULL && !g_error_matches (local_error, LERS_ERROR, LERS_ERROR_NOT_FOUND))
    {
      g_propagate_error (error, g_steal_pointer (&local_error));
      return FALSE;
    }
  if (point != NULL)
    {
      nodes = lersd_request_get_visible_nodes (req, &all, cancellable, error);
      if (nodes == NULL && !all)
        return FALSE;
      if (all
          || (lers_measure_point_get_node_id (point) > 0
              && lersd_request_check_node (req, lers_measure_point_get_node_id (point), cancellable,
                                           NULL)))
        return TRUE;
    }
  /* ids are at most G_MAXINT32 (lersd_parse_id()) */
  g_set_error (error, LERS_ERROR, LERS_ERROR_NOT_FOUND, _ ("Measure point %d does not exist"),
               (gint) point_id);
  return FALSE;
}

static GBytes *
lersd_archive_run (LersdRequest *req, gpointer user_data, GCancellable *cancellable, guint *status,
                   const gchar **content_type, GError **error)
{
  LersdArchiveData *data = user_data;
  LersStore *store = lersd_request_get_store (req);
  g_autoptr (LersArchiveBatch) batch = NULL;

  if (!lersd_request_check_point (req, data->point_id, cancellable, error))
    return NULL;
  data->zone = lers_store_get_point_time_zone_sync (store, data->point_id, cancellable, error);
  if (data->zone == NULL)
    return NULL;
  /* bare dates and times without an offset are the node's local time */
  if (!lersd_parse_range (data->from_str, data->to_str, data->zone, LERSD_ARCHIVE_DEFAULT_RANGE,
                          &data->from, &data->to, error))
    return NULL;
  batch = lers_store_query_archive_sync (store, data->point_id, data->kind, data->from, data->to,
                                         cancellable, error);
  if (batch == NULL)
    return NULL;
  *content_type = "application/json; charset=utf-8";
  return lersd_archive_body (data, batch);
}

static void
lersd_archive_data_destroy (gpointer data)
{
  lersd_archive_data_free (data);
}

/**
 * lersd_route_archive_get:
 * @req: the request
 *
 * `GET /api/v1/points/{id}/archive`.
 *
 * Since: 0.1
 */
void
lersd_route_archive_get (LersdRequest *req)
{
  g_autoptr (LersdArchiveData) data = g_new0 (LersdArchiveData, 1);
  g_autoptr (GError) error = NULL;
  const gchar *kind_str = lersd_request_get_query (req, "kind");
  const gchar *from_str = lersd_request_get_query (req, "from");
  const gchar *to_str = lersd_request_get_query (req, "to");

  if (!lersd_parse_id (lersd_request_get_segment (req, 1), &data->point_id, &error))
    {
      lersd_request_reply_error (req, error);
      return;
    }

  data->kind = LERS_ARCHIVE_KIND_HOUR;
  if (kind_str != NULL && !lers_archive_kind_from_string (kind_str, &data->kind))
    {
      g_autofree gchar *quoted = lersd_quote_input (kind_str);
      g_autofree gchar *msg = g_strdup_printf (
          _ ("Unknown archive kind “%s”; use current, hour, day, month, totals, power-profile or "
             "events"),
          quoted);
      lersd_request_reply_error_literal (req, SOUP_STATUS_BAD_REQUEST, "invalid-argument", msg);
      return;
    }

  /* Checked now in UTC, so a malformed request gets its 400 without a
   * database round trip; read again in the point's zone once it is known. */
  data->from_str = g_strdup (from_str);
  data->to_str = g_strdup (to_str);
  {
    g_autoptr (GTimeZone) utc = g_time_zone_new_utc ();
    if (!lersd_parse_range (data->from_str, data->to_str, utc, LERSD_ARCHIVE_DEFAULT_RANGE,
                            &data->from, &data->to, &error))
      {
        lersd_request_reply_error (req, error);
        return;
      }
  }

  lersd_request_run_in_thread (req, lersd_archive_run, g_steal_pointer (&data),
                               lersd_archive_data_destroy);
}
