/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

gchar *vkt7_decode_json (const guint8 *buf, gsize len, GError **error);

G_END_DECLS
