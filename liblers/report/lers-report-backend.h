/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

#if !defined(__LERS_H_INSIDE__) && !defined(LERS_COMPILATION)
#error "Only <lers.h> can be included directly."
#endif

#include <gio/gio.h>

#include "report/lers-report-document.h"

G_BEGIN_DECLS

#define LERS_TYPE_REPORT_BACKEND (lers_report_backend_get_type ())
G_DECLARE_INTERFACE (LersReportBackend, lers_report_backend, LERS, REPORT_BACKEND, GObject)

/**
 * LersReportBackendInterface:
 * @parent_iface: the parent interface
 * @get_format: the format's short name (`csv`, `pdf`)
 * @get_content_type: the MIME type of what it writes
 * @render_records: write @records (of #LersRecord) as a table to @stream
 * @render_document: write a laid-out report document to @stream (Since: 0.6)
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
  gboolean (*render_document) (LersReportBackend *self, LersReportDocument *document,
                               GOutputStream *stream, GCancellable *cancellable, GError **error);

  /*< private >*/
  gpointer padding[11];
};

const gchar *lers_report_backend_get_format (LersReportBackend *self);
const gchar *lers_report_backend_get_content_type (LersReportBackend *self);
gboolean lers_report_backend_render_records (LersReportBackend *self, GPtrArray *records,
                                             GOutputStream *stream, GCancellable *cancellable,
                                             GError **error);
gboolean lers_report_backend_render_document (LersReportBackend *self, LersReportDocument *document,
                                              GOutputStream *stream, GCancellable *cancellable,
                                              GError **error);
void lers_report_backend_render_document_async (LersReportBackend *self,
                                                LersReportDocument *document, GOutputStream *stream,
                                                GCancellable *cancellable,
                                                GAsyncReadyCallback callback, gpointer user_data);
gboolean lers_report_backend_render_document_finish (LersReportBackend *self, GAsyncResult *result,
                                                     GError **error);

G_END_DECLS
