/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* The largest drawing lersd_svg_sanitize() accepts, in bytes. */
#define LERSD_SVG_MAX_SIZE (2 * 1024 * 1024)

/*
 * lersd-svg.c: an uploaded mnemonic diagram, made safe to show in a page.
 *
 * Parses @svg (@len bytes, UTF-8, no NUL) with GMarkupParseContext and
 * writes it again, escaped, keeping only the whitelisted SVG elements and
 * presentation attributes: script, foreignObject and any other element go
 * with their content, every on* attribute, every href that is not a
 * fragment ("#id"; an <image> may also have a data:image/png or
 * data:image/jpeg base64 one), url() to anything but a fragment, a <style>
 * with @import; comments, DOCTYPE and processing instructions are dropped.
 *
 * @width and @height (either may be NULL) receive the drawing's size: the
 * root's width/height, else its viewBox, else 800 × 600, bounded to
 * 1..10000.
 *
 * Returns the sanitised text, or NULL with LERS_ERROR_INVALID_ARGUMENT for
 * malformed XML, a root that is not <svg>, an entity declaration, or more
 * than LERSD_SVG_MAX_SIZE bytes.
 */
gchar *lersd_svg_sanitize (const gchar *svg, gsize len, gint *width, gint *height, GError **error);

G_END_DECLS
