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
 * lers_web_check_lersd_stop() stops it. lers_web_check_lersd_start() also
 * makes an admin with an API token, which lers_web_check_browse() hands the
 * page in the fragment (lers_web_check_forget_token(): none).
 * lers_web_check_browse() loads
 * `/?lang=@lang@fragment` in headless Chromium (LANGUAGE=@lang, and TZ=@tz
 * unless %NULL) and returns the DOM after the page's script has run, cut
 * before the first <script>: only what the page shows. */
void lers_web_check_require_chromium (void);
void lers_web_check_lersd_start (void);
void lers_web_check_lersd_stop (void);
void lers_web_check_forget_token (void);
gchar *lers_web_check_browse (const gchar *fragment, const gchar *lang, const gchar *tz);

G_END_DECLS
