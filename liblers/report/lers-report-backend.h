/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

#if !defined(__LERS_H_INSIDE__) && !defined(LERS_COMPILATION)
#error "Only <lers.h> can be included directly."
#endif

#include <gio/gio.h>

G_BEGIN_DECLS

#define LERS_TYPE_REPORT_BACKEND (lers_report_backend_get_type ())
G_DECLARE_INTERFACE (LersReportBackend, lers_report_backend, LERS, REPORT_BACKEND, GObject)

/**
 * LersReportBackendInterface:
 * @parent_iface: the parent interface
 * @get_format: the format's short name (`csv`, `pdf`)
 * @get_content_type: the MIME type of what it writes
 * @render_records: write @records (of #LersRecord) as a table to @stream
 *
 * One report output format.
 *
 * Since: 0.1
 */
struct _LersReportBackendInterface
{
  GTypeInterface parent_iface;

  const gchar *(*get_format) (LersReportBackend *self);
  const gchar *(*get_content_type) (LersReportBackend *self);
  gboolean (*render_records) (LersReportBackend *self, GPtrArray *records, GOutputStream *stream,
                              GCancellable *cancellable, GError **error);

  /*< private >*/
  gpointer padding[12];
};

const gchar *lers_report_backend_get_format (LersReportBackend *self);
const gchar *lers_report_backend_get_content_type (LersReportBackend *self);
gboolean lers_report_backend_render_records (LersReportBackend *self, GPtrArray *records,
                                             GOutputStream *stream, GCancellable *cancellable,
                                             GError **error);

G_END_DECLS
