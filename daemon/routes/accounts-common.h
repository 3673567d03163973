/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

#include "lersd-auth.h"
#include "lersd-routes.h"

G_BEGIN_DECLS

/*
 * What routes/auth.c, routes/users.c and routes/reports.c share: a blocking step on a worker
 * thread whose answer may carry headers (Set-Cookie, Retry-After), the
 * JSON of users, groups, scopes and tokens, and the members of a body.
 */

typedef struct
{
  guint status;              /* 200 unless set; 204 answers without a body */
  JsonNode *body;            /* the answer (NULL: none), or */
  GBytes *bytes;             /* a file (routes/reports.c), of */
  const gchar *content_type; /* (static) */
  GPtrArray *headers;        /* name, value, name, value… */
} LersdAccountsReply;

/* Blocking work: reads @body (NULL when the route takes none), fills
 * @reply, or returns FALSE with @error set (G_IO_ERROR_EXISTS: 409
 * conflict; LERS_ERROR as lersd_request_reply_error() shows it). */
typedef gboolean (*LersdAccountsFunc) (LersdRequest *req, JsonObject *body,
                                       LersdAccountsReply *reply, GCancellable *cancellable,
                                       GError **error);

/* Parses the body (when @with_body) on the main thread (400 if it is not a
 * JSON object), runs @func on a worker thread, then answers. */
void lersd_accounts_run (LersdRequest *req, gboolean with_body, LersdAccountsFunc func);
void lersd_accounts_reply_header (LersdAccountsReply *reply, const gchar *name, const gchar *value);
/* An error answer of @status with a code lersd_request_reply_error() does
 * not give (401 unauthorized, 429 too-many-requests, 503 busy):
 * {"error": {code, message}}, in place of any body set before */
void lersd_accounts_reply_code (LersdAccountsReply *reply, guint status, const gchar *code,
                                const gchar *message);

/* An object as JSON: lersd_object_to_json() (lersd-resource.h). */
JsonNode *lersd_accounts_object_to_json (GObject *object);
/* The same as JSON text, for the audit log. */
gchar *lersd_accounts_object_to_text (GObject *object);
gchar *lersd_accounts_node_to_text (JsonNode *node);
/* @user_id's scopes as a JSON array of {"kind", "id", "title"}. */
JsonNode *lersd_accounts_scopes_to_json (LersAccounts *accounts, gint64 user_id,
                                         GCancellable *cancellable, GError **error);

/* Members of a body: FALSE with INVALID_ARGUMENT naming the member when it
 * is missing (@required) or of another type. A JSON null gives NULL. */
gboolean lersd_accounts_get_string (JsonObject *body, const gchar *name, gboolean required,
                                    const gchar **value, GError **error);
gboolean lersd_accounts_get_bool (JsonObject *body, const gchar *name, gboolean *value,
                                  GError **error);
gboolean lersd_accounts_get_id (JsonObject *body, const gchar *name, gint64 *value, GError **error);
gboolean lersd_accounts_parse_role (const gchar *nick, LersUserRole *role, GError **error);
/* Path segment @index as an id */
gboolean lersd_accounts_segment_id (LersdRequest *req, guint index, gint64 *id, GError **error);

G_END_DECLS
