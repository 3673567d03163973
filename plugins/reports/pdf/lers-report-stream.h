/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* A Cairo write function onto a GOutputStream, shared by the three Cairo
 * backends (pdf, png, svg link it from here). The first error of the
 * stream is kept and wins over what Cairo makes of it ("error while writing
 * to output stream"): the caller sees the GIO error itself. */
#pragma once

#include <cairo.h>
#include <gio/gio.h>

G_BEGIN_DECLS

typedef struct
{
  GOutputStream *stream;
  GCancellable *cancellable;
  GError *error; /* the stream's first error */
  gboolean stop; /* write nothing more */
} LersReportStream;

cairo_status_t lers_report_stream_write (void *closure, const unsigned char *data,
                                         unsigned int length);
/* How the rendering ended: the stream's error if any, else @failure (taken),
 * else @surface's status when it failed. */
gboolean lers_report_stream_finish (LersReportStream *sink, cairo_surface_t *surface,
                                    GError *failure, GError **error);

G_END_DECLS
