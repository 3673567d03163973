/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

#if !defined(__LERS_H_INSIDE__) && !defined(LERS_COMPILATION)
#error "Only <lers.h> can be included directly."
#endif

#include <gio/gio.h>

#include "protocol/lers-transport.h"

G_BEGIN_DECLS

/**
 * LersFrameAnswerFunc:
 * @user_data: (closure): the answer function's data
 * @frame: (array length=len) (element-type guint8): one whole request, as
 *   the scanner delimited it
 * @len: its length
 * @delay_ms: (out): how long to wait before the answer is written; 0 unless
 *   set
 *
 * Computes a simulated device's answer to one request.
 *
 * Returns: (transfer full) (nullable): the bytes to write back, or %NULL to
 *   stay silent
 *
 * Since: 0.5
 */
typedef GBytes *(*LersFrameAnswerFunc) (gpointer user_data, const guint8 *frame, gsize len,
                                        guint *delay_ms);

#define LERS_TYPE_FRAME_SERVER (lers_frame_server_get_type ())
G_DECLARE_FINAL_TYPE (LersFrameServer, lers_frame_server, LERS, FRAME_SERVER, GObject)

LersFrameServer *lers_frame_server_new (GIOStream *stream, LersFrameScanner scanner,
                                        gpointer scanner_data, GDestroyNotify scanner_destroy,
                                        LersFrameAnswerFunc answer, gpointer answer_data,
                                        GDestroyNotify answer_destroy);
void lers_frame_server_run_async (LersFrameServer *self, GCancellable *cancellable,
                                  GAsyncReadyCallback callback, gpointer user_data);
gboolean lers_frame_server_run_finish (LersFrameServer *self, GAsyncResult *result, GError **error);
void lers_frame_server_serve_async (LersFrameServer *self, gpointer source_object,
                                    gpointer source_tag, GCancellable *cancellable,
                                    GAsyncReadyCallback callback, gpointer user_data);

G_END_DECLS
