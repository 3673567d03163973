/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

#include <libsoup/soup.h>

#include "lers-check.h"

G_BEGIN_DECLS

/* GET @target (a path with its query) from an in-process lersd serving the
 * test's store on 127.0.0.1 (port 0), with a libsoup client; the HTTP status
 * in @status and the body as text (never %NULL). The server is gone when it
 * returns. Linked only into tests that take lers_check_http_dep. */
gchar *lers_check_http_get (const gchar *target, guint *status);

/* Makes (once per test database) the admin "lers-test-admin", without a
 * password, through LersAccounts, and returns a new API token of it. */
gchar *lers_check_http_admin_token (void);
/* The same in the database of @store (a test's own cluster) */
gchar *lers_check_http_admin_token_on (LersStore *store);
/* Makes a user @login with @role (and @password, nullable) and returns a
 * new API token of it. */
gchar *lers_check_http_user_token (const gchar *login, LersUserRole role, const gchar *password);
/* Sends `Authorization: Bearer @token` with every message @session sends
 * (unless the message has an Authorization of its own). */
void lers_check_http_authorize (SoupSession *session, const gchar *token);

G_END_DECLS
