/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

#include "lers-check.h"

G_BEGIN_DECLS

/* The web tests' lersd and browser.
 *
 * lers_web_check_require_chromium() from main() finds the browser
 * (`LERS_CHROMIUM`; missing: skipped, or failed under CI). In a checked
 * fixture, after lers_check_store_setup() and the test's data,
 * lers_web_check_lersd_start() runs `lersd --role=api` on a free loopback
 * port against the test's database and waits until it answers;
 * lers_web_check_lersd_stop() stops it; it also makes the operator
 * LERS_WEB_CHECK_LOGIN. lers_web_check_browse() loads
 * `/?lang=@lang@fragment` in headless Chromium (LANGUAGE=@lang, and TZ=@tz
 * unless %NULL) through tests/web/browse.py, signs in through the page's
 * login form as that operator, and returns the DOM once the page has
 * settled, cut before the first <script>: only what the page shows.
 * lers_web_check_browse_as() signs in as @login (%NULL: not at all). */
#define LERS_WEB_CHECK_LOGIN "web-operator"
#define LERS_WEB_CHECK_PASSWORD "operator-pass-1"
void lers_web_check_require_chromium (void);
void lers_web_check_lersd_start (void);
void lers_web_check_lersd_stop (void);
gchar *lers_web_check_browse (const gchar *fragment, const gchar *lang, const gchar *tz);
gchar *lers_web_check_browse_as (const gchar *fragment, const gchar *lang, const gchar *tz,
                                 const gchar *login, const gchar *password);

G_END_DECLS
