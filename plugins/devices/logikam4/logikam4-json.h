/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

#include <lers.h>

G_BEGIN_DECLS

gchar *m4_json_decode (const guint8 *data, gsize len, GError **error);

G_END_DECLS
