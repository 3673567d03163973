/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

#include "lersd-server.h"

G_BEGIN_DECLS

/* Each file's routes, ending with { NULL } (see LersdRoute); lersd-server.c
 * matches them in this order. */
extern const LersdRoute lersd_routes_auth[];      /* routes/auth.c */
extern const LersdRoute lersd_routes_users[];     /* routes/users.c */
extern const LersdRoute lersd_routes_resources[]; /* routes/resources.c */
extern const LersdRoute lersd_routes_points[];    /* routes/points.c */
extern const LersdRoute lersd_routes_poll[];      /* routes/poll.c */
extern const LersdRoute lersd_routes_compat[];    /* routes/compat.c (ЛЭРС УЧЁТ API v1) */
extern const LersdRoute lersd_routes_openapi[];   /* routes/openapi.c */
extern const LersdRoute lersd_routes_metrics[];   /* routes/metrics.c */
extern const LersdRoute lersd_routes_current[];   /* routes/current.c */
extern const LersdRoute lersd_routes_diagrams[];  /* routes/diagrams.c */
extern const LersdRoute lersd_routes_settings[];  /* routes/settings.c */
extern const LersdRoute lersd_routes_server[];    /* routes/server.c */
extern const LersdRoute lersd_routes_reports[];   /* routes/reports.c, reports-jobs.c */
void lersd_route_openapi (LersdRequest *req);

/* routes/metrics.c */

/* routes/resources.c: the generic routes of one collection, named by the
 * path's first segment */
void lersd_route_object_list (LersdRequest *req);
void lersd_route_object_get (LersdRequest *req);
void lersd_route_object_post (LersdRequest *req);
void lersd_route_object_patch (LersdRequest *req);
void lersd_route_object_delete (LersdRequest *req);

/* routes/points.c */
void lersd_route_points_list (LersdRequest *req);
void lersd_route_points_get (LersdRequest *req);

/* routes/archive.c */
void lersd_route_archive_get (LersdRequest *req);
/* Blocks: NOT_FOUND unless the point exists and the caller sees its node */
gboolean lersd_request_check_point (LersdRequest *req, gint64 point_id, GCancellable *cancellable,
                                    GError **error);
gchar *lersd_quote_input (const gchar *str);
void lersd_append_json_flags (GString *out, GFlagsClass *klass, LersValueFlags flags);
gboolean lersd_parse_range (const gchar *from_str, const gchar *to_str, GTimeZone *zone,
                            GTimeSpan default_range, GDateTime **from, GDateTime **to,
                            GError **error);

/* routes/current.c: the live streams of a server */
void lersd_current_set_max_streams (LersdServer *server, guint max_streams);
void lersd_current_set_ping_interval (LersdServer *server, guint seconds);
guint lersd_current_get_n_streams (LersdServer *server);
void lersd_current_stop (LersdServer *server);

/* routes/events.c */
void lersd_route_events_get (LersdRequest *req);

/* routes/poll.c */
void lersd_route_poll_jobs_post (LersdRequest *req);
void lersd_route_poll_jobs_list (LersdRequest *req);
void lersd_route_poll_job_get (LersdRequest *req);
void lersd_route_poll_job_cancel (LersdRequest *req);
void lersd_route_poll_status (LersdRequest *req);
void lersd_route_poll_services (LersdRequest *req);
void lersd_route_poll_links (LersdRequest *req);
void lersd_route_poll_sessions (LersdRequest *req);
void lersd_route_poll_traffic (LersdRequest *req);
void lersd_route_poll_schedule_get (LersdRequest *req);
void lersd_variant_to_json (JsonBuilder *b, GVariant *value, GTimeZone *zone);

/* routes/openapi.c */
void lersd_route_openapi (LersdRequest *req);

/* routes/server.c */
void lersd_route_server_get (LersdRequest *req);
void lersd_route_nodes_states (LersdRequest *req);
void lersd_route_points_states (LersdRequest *req);

/* routes/poll.c (issue 15) */
void lersd_route_poll_schedule_put (LersdRequest *req);
void lersd_route_poll_service_authorise (LersdRequest *req);

/* routes/metrics.c */
void lersd_route_metrics (LersdRequest *req);
gchar *lersd_metrics_escape_label (const gchar *value);
void lersd_metrics_append (GString *out, GVariant *status, GPtrArray *services, GDateTime *now,
                           guint lease_seconds);
void lersd_metrics_count_request (const gchar *method, guint status, gdouble seconds);
void lersd_metrics_request_started (SoupServer *server, SoupServerMessage *msg, gpointer user_data);
void lersd_metrics_request_finished (SoupServerMessage *msg);
void lersd_metrics_reset_http (void);
void lersd_metrics_append_http (GString *out);

/* routes/settings.c: sets *@status to @error_status and returns the body
 * {"error": {"code", "message", "field"?}} (@field NULL: none) */
GBytes *lersd_settings_error_body (guint *status, guint error_status, const gchar *code,
                                   const gchar *message, const gchar *field);

G_END_DECLS
