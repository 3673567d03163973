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

static GBytes *
lersd_events_run (LersdRequest *req, gpointer user_data, GCancellable *cancellable, guint *status,
                  const gchar **content_type, GError **error)
{
  LersdEventsData *data = user_data;
  LersStore *store = lersd_request_get_store (req);
  g_autoptr (GPtrArray) events = NULL;
  g_autoptr (GString) out = NULL;

  if (!lersd_request_check_point (req, data->point_id, cancellable, error))
    return NULL;
  data->zone = lers_store_get_point_time_zone_sync (store, data->point_id, cancellable, error);
  if (data->zone == NULL)
    return NULL;
  /* bare dates and times without an offset are the node's local time */
  if (!lersd_parse_range (data->from_str, data->to_str, data->zone, LERSD_EVENTS_DEFAULT_RANGE,
                          &data->from, &data->to, error))
    return NULL;
  events = lers_store_list_meter_events_sync (store, data->point_id, data->from, data->to,
                                              cancellable, error);
  if (events == NULL)
    return NULL;

  out = g_string_sized_new (64 + events->len * 256);
  g_string_append_c (out, '[');
  for (guint i = 0; i < events->len; i++)
    {
      if (i > 0)
        g_string_append_c (out, ',');
      lers_meter_event_append_json (g_ptr_array_index (events, i), out, data->zone);
    }
  g_string_append_c (out, ']');
  *content_type = "application/json; charset=utf-8";
  return g_string_free_to_bytes (g_steal_pointer (&out));
}

static void
lersd_events_data_destroy (gpointer data)
{
  lersd_events_data_free (data);
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
    if (!lersd_parse_range (data->from_str, data->to_str, utc, LERSD_EVENTS_DEFAULT_RANGE,
                            &data->from, &data->to, &error))
      {
        lersd_request_reply_error (req, error);
        return;
      }
  }

  lersd_request_run_in_thread (req, lersd_events_run, g_steal_pointer (&data),
                               lersd_events_data_destroy);
}
