/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

/*
 * The REST API v1 of ЛЭРС УЧЁТ (routes/compat*.c): their paths, camelCase
 * members and enums as strings, so their integrations run against lersd
 * unchanged. docs/api-compat.md lists each shape and the vendor's file it
 * was read from.
 */

#include "lersd-routes.h"

G_BEGIN_DECLS

/* The blocking body of a compat route, run on a worker thread. Returns
 * the JSON body, or NULL with @error: a 4xx error is answered in their
 * shape ({"errorMessage", "errorCode", "data": {"code"}}), a 5xx in ours. */
typedef GBytes *(*LersdCompatFunc) (LersdRequest *req, GCancellable *cancellable, guint *status,
                                    GError **error);

void lersd_compat_run (LersdRequest *req, LersdCompatFunc func);
GBytes *lersd_compat_json_bytes (JsonNode *root);
GBytes *lersd_compat_error_bytes (guint status, const GError *error);

/* A query flag as their client sends it ("true"/"True"/"false"), or
 * INVALID_ARGUMENT naming it. */
gboolean lersd_compat_get_bool (LersdRequest *req, const gchar *name, gboolean def, gboolean *value,
                                GError **error);

/* The enums as their strings */
const gchar *lersd_compat_system_type (LersResource resource);
const gchar *lersd_compat_resource_kind (LersResource resource);
const gchar *lersd_compat_node_type (LersNodeType type);
gboolean lersd_compat_node_type_from_string (const gchar *str, LersNodeType *type);
/* Their DataParameter name of @parameter, or NULL when theirs has none */
const gchar *lersd_compat_parameter_name (LersParameter parameter);
gboolean lersd_compat_parameter_from_name (const gchar *name, LersParameter *parameter);
/* Their DataParameterCategory and Unit of @parameter */
const gchar *lersd_compat_parameter_category (LersParameter parameter);
const gchar *lersd_compat_unit (LersUnit unit);

JsonObject *lersd_compat_parse_body (LersdRequest *req, GError **error);

/* Nodes the caller sees: TRUE when @node_id is one of them */
gboolean lersd_compat_node_visible (GArray *visible, gboolean all, gint64 node_id);

/* Their JSON of our objects (routes/compat-core.c) */
void lersd_compat_build_node (JsonBuilder *b, LersNode *node);
void lersd_compat_build_point (JsonBuilder *b, LersMeasurePoint *point, LersNode *node);
void lersd_compat_build_equipment (JsonBuilder *b, LersDevice *device);

/* JsonBuilder helpers (routes/compat-core.c) */
void lersd_compat_add_string (JsonBuilder *b, const gchar *name, const gchar *value);
void lersd_compat_add_int (JsonBuilder *b, const gchar *name, gint64 value);
GBytes *lersd_compat_finish (JsonBuilder *b);

/* routes/compat-server.c */
void lersd_route_compat_login (LersdRequest *req);
void lersd_route_compat_incidents (LersdRequest *req);
void lersd_route_compat_server_info (LersdRequest *req);

/* routes/compat-core.c */
void lersd_route_compat_nodes (LersdRequest *req);
void lersd_route_compat_node (LersdRequest *req);
void lersd_route_compat_node_points (LersdRequest *req);
void lersd_route_compat_points (LersdRequest *req);
void lersd_route_compat_point (LersdRequest *req);
void lersd_route_compat_equipment_list (LersdRequest *req);
void lersd_route_compat_equipment (LersdRequest *req);

/* routes/compat-data.c */
void lersd_route_compat_consumption (LersdRequest *req);
void lersd_route_compat_totals (LersdRequest *req);
void lersd_route_compat_consumption_last (LersdRequest *req);
void lersd_route_compat_totals_last (LersdRequest *req);
void lersd_route_compat_save_data (LersdRequest *req);

G_END_DECLS
