/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

#define LERSD_TYPE_GUARD_STREAM (lersd_guard_stream_get_type ())
G_DECLARE_FINAL_TYPE (LersdGuardStream, lersd_guard_stream, LERSD, GUARD_STREAM, GFilterInputStream)

/**
 * LersdGuardFunc:
 * @data: (nullable): the data given to lersd_guard_stream_new()
 * @buffer: (array length=count): the bytes just read
 * @count: how many
 * @error: return location for a #GError
 *
 * Looks at every chunk read from the connection before libsoup sees it.
 *
 * Returns: %FALSE (with @error set) to fail the read, which makes libsoup
 *   drop the connection
 *
 * Since: 0.5
 */
typedef gboolean (*LersdGuardFunc) (gpointer data, const guint8 *buffer, gsize count,
                                    GError **error);

LersdGuardStream *lersd_guard_stream_new (GInputStream *base, LersdGuardFunc func,
                                          GSourceFunc closed, gpointer data,
                                          GDestroyNotify data_free);

G_END_DECLS
