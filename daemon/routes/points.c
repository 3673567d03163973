/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Measure points (точки учёта).
 *
 *   GET /api/v1/points[?node_id=N]   → {"items": [point, …], "next": …}
 *   GET /api/v1/points/{id}          → point
 *   POST, PATCH /api/v1/points/{id}, DELETE: as for every object
 *   (routes/resources.c, lersd-resource.h)
 *
 * A point is {"id", "node_id", "title", "resource", "device_id", "channel",
 * "poll_interval", "poll_offset", "reporting_hour", "reporting_day"};
 * "resource" is the LersResource nick
 * ("heat", "hot-water"…), "node_id" and "device_id" are null when unset,
 * intervals are in seconds; its day archive starts at "reporting_hour"
 * (0–23, local time of its node) and its month archive on "reporting_day"
 * (1–28).
 */
#include "config.h"

#include <glib/gi18n.h>

#include "lersd-routes.h"

static void
lersd_builder_add_id (JsonBuilder *b, const gchar *name, gint64 id)
{
  json_builder_set_member_name (b, name);
  if (id > 0)
    json_builder_add_int_value (b, id);
  else
    json_builder_add_null_value (b);
}

/**
 * lersd_measure_point_to_json:
 * @point: a #LersMeasurePoint
 *
 * Returns: (transfer full): @point as the API shows it
 *
 * Since: 0.1
 */
JsonNode *
lersd_measure_point_to_json (LersMeasurePoint *point)
{
  g_autoptr (JsonBuilder) b = json_builder_new ();
  const gchar *title = lers_measure_point_get_title (point);
  const gchar *resource = lers_resource_to_string (lers_measure_point_get_resource (point));

  json_builder_begin_object (b);
  json_builder_set_member_name (b, "id");
  json_builder_add_int_value (b, lers_measure_point_get_id (point));
  lersd_builder_add_id (b, "node_id", lers_measure_point_get_node_id (point));
  json_builder_set_member_name (b, "title");
  if (title != NULL)
    {
      g_autofree gchar *valid = g_utf8_make_valid (title, -1);
      json_builder_add_string_value (b, valid);
    }
  else
    json_builder_add_null_value (b);
  json_builder_set_member_name (b, "resource");
  if (resource != NULL)
    json_builder_add_string_value (b, resource);
  else
    json_builder_add_null_value (b);
  lersd_builder_add_id (b, "device_id", lers_measure_point_get_device_id (point));
  json_builder_set_member_name (b, "channel");
  json_builder_add_int_value (b, lers_measure_point_get_channel (point));
  json_builder_set_member_name (b, "poll_interval");
  json_builder_add_int_value (b, lers_measure_point_get_poll_interval (point));
  json_builder_set_member_name (b, "poll_offset");
  json_builder_add_int_value (b, lers_measure_point_get_poll_offset (point));
  json_builder_set_member_name (b, "reporting_hour");
  json_builder_add_int_value (b, lers_measure_point_get_reporting_hour (point));
  json_builder_set_member_name (b, "reporting_day");
  json_builder_add_int_value (b, lers_measure_point_get_reporting_day (point));
  json_builder_end_object (b);
  return json_builder_get_root (b);
}

/**
 * lersd_route_points_list:
 * @req: the request
 *
 * `GET /api/v1/points`: a list (lersd-resource.h), `?node_id=N` for the
 * points of one node.
 *
 * Since: 0.1
 */
void
lersd_route_points_list (LersdRequest *req)
{
  lersd_route_object_list (req);
}

/**
 * lersd_reply_point_error:
 * @req: the request
 * @point_id: the measure point asked for
 * @error: why the store could not give it
 *
 * Replies 404 "Measure point N does not exist" when @error is
 * %LERS_ERROR_NOT_FOUND, else as lersd_request_reply_error() does.
 *
 * Since: 0.3
 */
void
lersd_reply_point_error (LersdRequest *req, gint64 point_id, const GError *error)
{
  if (g_error_matches (error, LERS_ERROR, LERS_ERROR_NOT_FOUND))
    {
      /* ids are at most G_MAXINT32 (lersd_parse_id()) */
      g_autofree gchar *msg
          = g_strdup_printf (_ ("Measure point %d does not exist"), (gint) point_id);
      lersd_request_reply_error_literal (req, SOUP_STATUS_NOT_FOUND, "not-found", msg);
      return;
    }
  lersd_request_reply_error (req, error);
}

/**
 * lersd_route_points_get:
 * @req: the request
 *
 * `GET /api/v1/points/{id}`.
 *
 * Since: 0.1
 */
void
lersd_route_points_get (LersdRequest *req)
{
  lersd_route_object_get (req);
}

const LersdRoute lersd_routes_points[] = {
  { "GET", "points", LERSD_ACCESS_READ, lersd_route_points_list },
  { "POST", "points", LERSD_ACCESS_OPERATE, lersd_route_object_post },
  { "GET", "points/*", LERSD_ACCESS_READ, lersd_route_points_get },
  { "PATCH", "points/*", LERSD_ACCESS_OPERATE, lersd_route_object_patch },
  { "DELETE", "points/*", LERSD_ACCESS_OPERATE, lersd_route_object_delete },
  { "GET", "points/*/archive", LERSD_ACCESS_READ, lersd_route_archive_get },
  { "GET", "points/*/events", LERSD_ACCESS_READ, lersd_route_events_get },
  { NULL },
};
