/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

#include "lersd-server.h"

G_BEGIN_DECLS

/*
 * lersd-resource.c: the model objects as JSON, and the lists of the API.
 *
 * An object is shown with one member per readable GObject property, named
 * like the property with "-" as "_" ("node-type" → "node_type"): strings
 * (null when unset), numbers, booleans, enums as their nicks, ids of other
 * objects (LersStoreColumn REF) as integers or null for 0, GDateTime as ISO
 * 8601 with the offset, string arrays as arrays. Secrets are never shown:
 * a property named "password", or ending in "-password" or "-hash".
 *
 * Lists: `?limit=` (1–1000, default 100), `?after=<cursor>` (from the
 * previous page's "next"), `?order=title,-id` (properties of the model;
 * "-" descending; id is always the last key), filters `?<member>=<value>`
 * (equal) and `?<member>.<op>=<value>` with op one of ne, lt, le, gt, ge,
 * like (SQL LIKE, for text), null (`?territory_id.null=true`). A value is
 * parsed as the property's type (an enum by its nick, a time as ISO 8601);
 * an unknown member, operator or value is 400 naming it. The answer is
 * `{"items": [...], "next": "<cursor>" | null}`.
 */

JsonNode *lersd_object_to_json (GObject *object);
/* Sets the properties named by @members (as shown by
 * lersd_object_to_json()); "id" and unknown or read-only members are
 * INVALID_ARGUMENT naming the member, as is a value of the wrong type. */
gboolean lersd_object_patch (GObject *object, JsonObject *members, GError **error);
/* As lersd_object_patch(); *field is the member refused (free it) */
gboolean lersd_object_patch_full (GObject *object, JsonObject *members, gchar **field,
                                  GError **error);
/* Adds the request's filters, order, limit and cursor to @query. */
gboolean lersd_list_query_parse (LersdRequest *req, GType type, LersStoreQuery *query,
                                 GError **error);
JsonNode *lersd_list_to_json (GPtrArray *objects, const gchar *next_cursor);
/* The request body as a JSON object, or INVALID_ARGUMENT ("The request
 * body is not valid JSON: …", "… must be a JSON object"). */
JsonObject *lersd_request_parse_json_object (LersdRequest *req, GError **error);
/* Whether JSON text escapes a NUL character (\u0000) in a string */
gboolean lersd_json_has_nul_escape (const gchar *data, gsize len);

G_END_DECLS
