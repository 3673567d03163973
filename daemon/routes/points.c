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

#include "lersd-routes.h"

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
