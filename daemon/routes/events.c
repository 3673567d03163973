/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Meter events of a measure point.
 *
 *   GET /api/v1/points/{id}/events?from=ISO8601&to=ISO8601
 *
 * → [{"code": "power-off", "device_code": 3, "text": "Отключение питания",
 *     "start": "2026-11-24T12:00:00+10:00", "end": "2026-11-24T13:00:00+10:00",
 *     "severity": "warning", "channel": 0}, …]
 *
 * The events that started in [from, to), oldest first. Defaults: to=now,
 * from=to−30 days. As for the archive, times are shown in the point's zone
 * with their offset, and in from and to a time without an offset is
 * wall-clock time in that zone and a bare date is local midnight there. The
 * range must be non-empty and at most 366 days. "text" is null when the
 * device gave none, "end" when the end is not known (yet); "severity" is
 * info, warning or alarm.
 */
#include "config.h"

#include <glib/gi18n.h>

#include "lersd-routes.h"

#define LERSD_EVENTS_MAX_RANGE (366 * G_TIME_SPAN_DAY)
#define LERSD_EVENTS_DEFAULT_RANGE (30 * G_TIME_SPAN_DAY)

typedef struct
{
  LersdRequest *req;
  gint64 point_id;
  gchar *from_str; /* as given, or NULL */
  gchar *to_str;
  GTimeZone *zone; /* the point's */
  GDateTime *from;
  GDateTime *to;
} LersdEventsData;

static void
lersd_events_data_free (LersdEventsData *data)
{
  g_clear_pointer (&data->req, lersd_request_unref);
  g_free (data->from_str);
  g_free (data->to_str);
  g_clear_pointer (&data->zone, g_time_zone_unref);
  g_clear_pointer (&data->from, g_date_time_unref);
  g_clear_pointer (&data->to, g_date_time_unref);
  g_free (data);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (LersdEventsData, lersd_events_data_free)

/* Untrusted input for an error message: valid UTF-8, at most 40 characters. */
static gchar *
lersd_events_quote (const gchar *str)
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
lersd_events_parse_time (const gchar *name, const gchar *str, GTimeZone *zone, GError **error)
{
  GDateTime *dt = lers_time_parse_local (str, zone);

  if (dt == NULL)
    {
      g_autofree gchar *quoted = lersd_events_quote (str);
      /* TRANSLATORS: the first %s is the query parameter (from, to) */
      g_set_error (error, LERS_ERROR, LERS_ERROR_INVALID_ARGUMENT,
                   _ ("%s “%s” is not an ISO 8601 time such as 2026-01-31T10:00:00Z"), name,
                   quoted);
    }
  return dt;
}

/* from and to read in @zone, into data->from and data->to, and checked */
static gboolean
lersd_events_parse_range (LersdEventsData *data, GTimeZone *zone, GError **error)
{
  GTimeSpan span;

  g_clear_pointer (&data->from, g_date_time_unref);
  g_clear_pointer (&data->to, g_date_time_unref);
  if (data->to_str != NULL)
    data->to = lersd_events_parse_time ("to", data->to_str, zone, error);
  else
    data->to = g_date_time_new_now_utc ();
  if (data->to == NULL)
    return FALSE;
  if (data->from_str != NULL)
    data->from = lersd_events_parse_time ("from", data->from_str, zone, error);
  else if ((data->from = g_date_time_add (data->to, -LERSD_EVENTS_DEFAULT_RANGE)) == NULL)
    g_set_error_literal (error, LERS_ERROR, LERS_ERROR_INVALID_ARGUMENT, _ ("to is out of range"));
  if (data->from == NULL)
    return FALSE;

  span = g_date_time_difference (data->to, data->from);
  if (span <= 0)
    {
      g_set_error_literal (error, LERS_ERROR, LERS_ERROR_INVALID_ARGUMENT,
                           _ ("from must be earlier than to"));
      return FALSE;
    }
  if (span > LERSD_EVENTS_MAX_RANGE)
    {
      g_set_error_literal (error, LERS_ERROR, LERS_ERROR_INVALID_ARGUMENT,
                           _ ("The time range must not be longer than 366 days"));
      return FALSE;
    }
  return TRUE;
}

static void
lersd_events_append_time (GString *out, GDateTime *dt, GTimeZone *zone)
{
  g_autofree gchar *str = NULL;

  if (dt == NULL)
    {
      g_string_append (out, "null");
      return;
    }
  str = lers_time_format (dt, zone);
  lers_json_append_string (out, str);
}

static void
lersd_events_list_cb (GObject *source, GAsyncResult *res, gpointer user_data)
{
  g_autoptr (LersdEventsData) data = user_data;
  g_autoptr (GPtrArray) events = NULL;
  g_autoptr (GError) error = NULL;
  g_autoptr (GString) out = NULL;
  g_autoptr (GBytes) body = NULL;
  g_autoptr (GEnumClass) severity_class = NULL;

  events = lers_store_list_meter_events_finish (LERS_STORE (source), res, &error);
  if (events == NULL)
    {
      lersd_request_reply_error (data->req, error);
      return;
    }

  severity_class = g_type_class_ref (LERS_TYPE_METER_EVENT_SEVERITY);
  out = g_string_sized_new (64 + events->len * 256);
  g_string_append_c (out, '[');
  for (guint i = 0; i < events->len; i++)
    {
      LersMeterEvent *event = g_ptr_array_index (events, i);
      const gchar *text = lers_meter_event_get_text (event);
      GEnumValue *severity
          = g_enum_get_value (severity_class, (gint) lers_meter_event_get_severity (event));

      if (i > 0)
        g_string_append_c (out, ',');
      g_string_append (out, "{\"code\":");
      lers_json_append_string (out, lers_meter_event_get_code (event));
      g_string_append_printf (
          out, ",\"device_code\":%d,\"text\":", lers_meter_event_get_device_code (event));
      if (text != NULL)
        lers_json_append_string (out, text);
      else
        g_string_append (out, "null");
      g_string_append (out, ",\"start\":");
      lersd_events_append_time (out, lers_meter_event_get_start (event), data->zone);
      g_string_append (out, ",\"end\":");
      lersd_events_append_time (out, lers_meter_event_get_end (event), data->zone);
      g_string_append (out, ",\"severity\":");
      lers_json_append_string (out, severity != NULL ? severity->value_nick : "info");
      g_string_append_printf (out, ",\"channel\":%u}", lers_meter_event_get_channel (event));
    }
  g_string_append_c (out, ']');

  body = g_string_free_to_bytes (g_steal_pointer (&out));
  lersd_request_reply (data->req, SOUP_STATUS_OK, "application/json; charset=utf-8", body);
}

static void
lersd_events_zone_cb (GObject *source, GAsyncResult *res, gpointer user_data)
{
  g_autoptr (LersdEventsData) data = user_data;
  g_autoptr (GError) error = NULL;
  LersdRequest *req = data->req;
  GDateTime *from, *to;
  gint64 point_id;

  data->zone = lers_store_get_point_time_zone_finish (LERS_STORE (source), res, &error);
  if (data->zone == NULL)
    {
      if (g_error_matches (error, LERS_ERROR, LERS_ERROR_NOT_FOUND))
        {
          /* ids are at most G_MAXINT32 (lersd_parse_id()) */
          g_autofree gchar *msg
              = g_strdup_printf (_ ("Measure point %d does not exist"), (gint) data->point_id);
          lersd_request_reply_error_literal (req, SOUP_STATUS_NOT_FOUND, "not-found", msg);
          return;
        }
      lersd_request_reply_error (req, error);
      return;
    }
  /* bare dates and times without an offset are the node's local time */
  if (!lersd_events_parse_range (data, data->zone, &error))
    {
      lersd_request_reply_error (req, error);
      return;
    }

  /* The callback takes @data: read everything from it first. */
  point_id = data->point_id;
  from = data->from;
  to = data->to;
  lers_store_list_meter_events_async (LERS_STORE (source), point_id, from, to,
                                      lersd_request_get_cancellable (req), lersd_events_list_cb,
                                      g_steal_pointer (&data));
}

/**
 * lersd_route_events_get:
 * @req: the request
 *
 * `GET /api/v1/points/{id}/events`.
 *
 * Since: 0.3
 */
void
lersd_route_events_get (LersdRequest *req)
{
  g_autoptr (LersdEventsData) data = g_new0 (LersdEventsData, 1);
  g_autoptr (GError) error = NULL;
  gint64 point_id;

  if (!lersd_parse_id (lersd_request_get_segment (req, 1), &data->point_id, &error))
    {
      lersd_request_reply_error (req, error);
      return;
    }

  /* Checked now in UTC, so a malformed request gets its 400 without a
   * database round trip; read again in the point's zone once it is known. */
  data->from_str = g_strdup (lersd_request_get_query (req, "from"));
  data->to_str = g_strdup (lersd_request_get_query (req, "to"));
  {
    g_autoptr (GTimeZone) utc = g_time_zone_new_utc ();
    if (!lersd_events_parse_range (data, utc, &error))
      {
        lersd_request_reply_error (req, error);
        return;
      }
  }

  data->req = lersd_request_ref (req);
  point_id = data->point_id;
  lersd_request_pause (req);
  /* the point's zone, NOT_FOUND when there is no such point */
  lers_store_get_point_time_zone_async (lersd_request_get_store (req), point_id,
                                        lersd_request_get_cancellable (req), lersd_events_zone_cb,
                                        g_steal_pointer (&data));
}
