/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

#include "lers-check.h"

G_BEGIN_DECLS

/* GET @target (a path with its query) from an in-process lersd serving the
 * test's store on 127.0.0.1 (port 0), with a libsoup client; the HTTP status
 * in @status and the body as text (never %NULL). The server is gone when it
 * returns. Linked only into tests that take lers_check_http_dep. */
gchar *lers_check_http_get (const gchar *target, guint *status);

G_END_DECLS
