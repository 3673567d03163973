/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

#include "lersd-server.h"

G_BEGIN_DECLS

/*
 * lersd-auth.c: who is calling and whether they may.
 *
 * lersd_auth_dispatch() runs every matched route: for a route above
 * LERSD_ACCESS_PUBLIC it finds the caller (Authorization: Bearer <token>,
 * or the session cookie plus, for a method other than GET/HEAD, the
 * X-CSRF-Token header), on a worker thread through LersAccounts; answers
 * 401 (with WWW-Authenticate) or 403 itself; otherwise sets the user on the
 * request and calls the route on the main thread.
 */
void lersd_auth_dispatch (LersdRequest *req, const LersdRoute *route);

/* The browser session's cookie. */
#define LERSD_SESSION_COOKIE "lers_session"

/* The value of the request's cookie @name, or NULL. */
gchar *lersd_auth_get_cookie (LersdRequest *req, const gchar *name);
/* How the caller authenticated: its session's (or token's) id, kind and,
 * for a browser session, CSRF token (owned by the request's user). FALSE
 * when the request has no caller. */
gboolean lersd_request_get_session (LersdRequest *req, gint64 *session_id, LersSessionKind *kind,
                                    const gchar **csrf_token);
/* @id as decimal text in @buf (24 bytes), for messages; returns @buf */
const gchar *lersd_auth_id_text (gint64 id, gchar *buf);
/* Whether the server answers over TLS (cookies then get Secure). */
gboolean lersd_request_is_secure (LersdRequest *req);

/* For routes' thread functions (they block): the nodes the caller sees
 * (NULL with *all set: every node), cached on the request. */
GArray *lersd_request_get_visible_nodes (LersdRequest *req, gboolean *all,
                                         GCancellable *cancellable, GError **error);
/* NOT_FOUND ("There is no node with id N", the same as for a node that does
 * not exist, so a subscriber cannot probe ids) unless the caller sees
 * @node_id. */
gboolean lersd_request_check_node (LersdRequest *req, gint64 node_id, GCancellable *cancellable,
                                   GError **error);
/* TRUE when the caller sees every node (an admin, or staff without
 * scopes); else PERMISSION_DENIED (403). For what serves many nodes
 * (territories, devices, connections, node groups, the poll queue), which a
 * user with scopes must not reach. Blocks. */
gboolean lersd_request_check_unscoped (LersdRequest *req, GCancellable *cancellable,
                                       GError **error);
/* Writes the audit entry of a change the caller made (its user and
 * address); @before and @after are JSON texts or NULL. Blocks. */
gboolean lersd_request_audit (LersdRequest *req, const gchar *action, const gchar *entity,
                              gint64 entity_id, const gchar *before, const gchar *after,
                              GCancellable *cancellable, GError **error);

G_END_DECLS
