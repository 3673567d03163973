/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

#include <json-glib/json-glib.h>
#include <libsoup/soup.h>
#include <lers.h>

#include "lersd-config.h"

G_BEGIN_DECLS

#define LERSD_TYPE_SERVER (lersd_server_get_type ())
G_DECLARE_FINAL_TYPE (LersdServer, lersd_server, LERSD, SERVER, GObject)

/**
 * LERSD_API_PREFIX:
 *
 * The path every API route starts with.
 *
 * Since: 0.1
 */
#define LERSD_API_PREFIX "/api/v1"

/**
 * LERSD_POLL_LEASE_DEFAULT:
 *
 * The polling services' lease in seconds unless lersd_server_set_poll_lease()
 * says otherwise: the default of LersPollWorker's lease-seconds.
 *
 * Since: 0.4
 */
#define LERSD_POLL_LEASE_DEFAULT 60

LersdServer *lersd_server_new (LersStore *store);
LersStore *lersd_server_get_store (LersdServer *self);
gboolean lersd_server_listen (LersdServer *self, const gchar *address, GError **error);
guint lersd_server_get_port (LersdServer *self);
gchar *lersd_server_get_url (LersdServer *self);
void lersd_server_disconnect (LersdServer *self);
LersPollQueue *lersd_server_get_queue (LersdServer *self);
void lersd_server_set_poll_lease (LersdServer *self, guint seconds);
guint lersd_server_get_poll_lease (LersdServer *self);
gboolean lersd_server_configure (LersdServer *self, const LersdConfig *config, GError **error);
guint lersd_server_get_n_connections (LersdServer *self);
const gchar *lersd_server_get_display_name (LersdServer *self);
void lersd_server_get_map (LersdServer *self, const gchar **tile_url, const gchar **attribution);

/**
 * LersdRequest:
 *
 * One API request being answered: the message, its decoded path segments and
 * query parameters. A route that needs the database pauses the message with
 * lersd_request_pause() and answers later from its callback with one of the
 * `lersd_request_reply_*()` functions, which resume it.
 *
 * Since: 0.1
 */
typedef struct _LersdRequest LersdRequest;

LersdRequest *lersd_request_ref (LersdRequest *self);
void lersd_request_unref (LersdRequest *self);
LersdServer *lersd_request_get_server (LersdRequest *self);
LersStore *lersd_request_get_store (LersdRequest *self);
GCancellable *lersd_request_get_cancellable (LersdRequest *self);
const gchar *lersd_request_get_segment (LersdRequest *self, guint index);
guint lersd_request_get_n_segments (LersdRequest *self);
const gchar *lersd_request_get_query (LersdRequest *self, const gchar *name);
GHashTable *lersd_request_get_query_table (LersdRequest *self);
const gchar *lersd_request_get_method (LersdRequest *self);
GBytes *lersd_request_get_body (LersdRequest *self);
LersPollQueue *lersd_request_get_queue (LersdRequest *self);

/**
 * LersdThreadFunc:
 * @req: the request (read its segments and query; do not answer it)
 * @data: (nullable): the data given to lersd_request_run_in_thread()
 * @cancellable: cancelled when the client goes away
 * @status: (out): the HTTP status, 200 unless set
 * @content_type: (out): the body's media type, `application/json` unless set
 *   (a static string)
 * @error: return location for a #GError
 *
 * Blocking work of a route, run on a worker thread.
 *
 * Returns: (transfer full) (nullable): the body, or %NULL with @error set
 *
 * Since: 0.4
 */
typedef GBytes *(*LersdThreadFunc) (LersdRequest *req, gpointer data, GCancellable *cancellable,
                                    guint *status, const gchar **content_type, GError **error);
void lersd_request_run_in_thread (LersdRequest *self, LersdThreadFunc func, gpointer data,
                                  GDestroyNotify data_free);
void lersd_request_pause (LersdRequest *self);
void lersd_request_reply (LersdRequest *self, guint status, const gchar *content_type,
                          GBytes *body);
void lersd_request_reply_json (LersdRequest *self, guint status, JsonNode *root);
void lersd_request_reply_stream (LersdRequest *self, const gchar *content_type);
void lersd_request_stream_write (LersdRequest *self, const gchar *data, gsize len);
void lersd_request_stream_end (LersdRequest *self);
void lersd_request_reply_error (LersdRequest *self, const GError *error);
void lersd_request_reply_error_literal (LersdRequest *self, guint status, const gchar *code,
                                        const gchar *message);
void lersd_request_set_error_field (LersdRequest *self, const gchar *field);

gboolean lersd_parse_target (const gchar *raw_path, const gchar *raw_query, GPtrArray **segments,
                             GHashTable **query, GError **error);
gboolean lersd_parse_id (const gchar *str, gint64 *id, GError **error);
gchar *lersd_format_timestamp (GDateTime *dt);

/**
 * LersdAccess:
 * @LERSD_ACCESS_PUBLIC: anyone, without credentials (login, the OpenAPI
 *   document, server info)
 * @LERSD_ACCESS_READ: any user that has logged in, subscribers too (the
 *   route shows only the nodes the user sees)
 * @LERSD_ACCESS_STAFF: admins, operators and viewers (not subscribers)
 * @LERSD_ACCESS_OPERATE: admins and operators (changes to objects, polls)
 * @LERSD_ACCESS_ADMIN: admins (users, rights, the audit log)
 *
 * Who may call a route. A request without valid credentials to a route
 * above %LERSD_ACCESS_PUBLIC gets 401; a user whose role is short gets 403.
 *
 * Since: 0.5
 */
typedef enum
{
  LERSD_ACCESS_PUBLIC,
  LERSD_ACCESS_READ,
  LERSD_ACCESS_STAFF,
  LERSD_ACCESS_OPERATE,
  LERSD_ACCESS_ADMIN,
} LersdAccess;

typedef void (*LersdRouteFunc) (LersdRequest *req);

/**
 * LersdRoute:
 * @method: "GET", "POST", "PUT", "PATCH" or "DELETE"; %NULL ends a table
 * @pattern: segments relative to %LERSD_API_PREFIX ("nodes/\*"), or to the
 *   root when it starts with "/" ("/metrics"); "*" matches one segment
 * @access: who may call it
 * @func: the route
 *
 * One route. Each file of routes/ exports a table of them.
 *
 * Since: 0.5
 */
typedef struct
{
  const gchar *method;
  const gchar *pattern;
  LersdAccess access;
  LersdRouteFunc func;
} LersdRoute;

const LersdRoute *const *lersd_route_tables_get (void);

/* The caller (set by lersd-auth.c before the route runs; NULL on a public
 * route called without credentials), the client's address, headers. */
LersUser *lersd_request_get_user (LersdRequest *self);
void lersd_request_set_user (LersdRequest *self, LersUser *user);
LersAccounts *lersd_request_get_accounts (LersdRequest *self);
LersAccounts *lersd_server_get_accounts (LersdServer *self);
const gchar *lersd_request_get_address (LersdRequest *self);
const gchar *lersd_request_get_header (LersdRequest *self, const gchar *name);
void lersd_request_set_response_header (LersdRequest *self, const gchar *name, const gchar *value);
/* "ru" or "en": from the user's language, else Accept-Language, else the
 * server's (Russian). Messages made in a route and in its thread function
 * are in this language. */
const gchar *lersd_request_get_language (LersdRequest *self);
/* Runs a route in the request's language (for a dispatch that runs it
 * later than the handler). */
void lersd_request_call (LersdRequest *self, LersdRouteFunc func);
typedef void (*LersdRequestFunc) (LersdRequest *req, gpointer data);
void lersd_request_call_data (LersdRequest *self, LersdRequestFunc func, gpointer data);
gpointer lersd_language_enter (const gchar *language);
void lersd_language_leave (gpointer old);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (LersdRequest, lersd_request_unref)

G_END_DECLS
