/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

#if !defined(__LERS_H_INSIDE__) && !defined(LERS_COMPILATION)
#error "Only <lers.h> can be included directly."
#endif

#include <gio/gio.h>

#include "model/lers-enums.h"
#include "report/lers-report-backend.h"
#include "report/lers-report-document.h"
#include "report/lers-report-template.h"
#include "store/lers-store.h"

G_BEGIN_DECLS

#define LERS_TYPE_REPORT (lers_report_get_type ())
G_DECLARE_FINAL_TYPE (LersReport, lers_report, LERS, REPORT, GObject)

LersReport *lers_report_new (LersReportTemplate *template_, LersStore *store);
LersReportTemplate *lers_report_get_template (LersReport *self);
void lers_report_set_points (LersReport *self, const gint64 *point_ids, guint n_point_ids);
const gint64 *lers_report_get_points (LersReport *self, guint *n_point_ids);
void lers_report_set_period (LersReport *self, GDateTime *from, GDateTime *to);
void lers_report_set_kind (LersReport *self, LersArchiveKind kind);
LersArchiveKind lers_report_get_kind (LersReport *self);
void lers_report_set_language (LersReport *self, const gchar *language);
const gchar *lers_report_get_language (LersReport *self);

guint lers_report_get_n_documents (LersReport *self);
LersReportDocument *lers_report_build_document_sync (LersReport *self, guint index, gchar **name,
                                                     GCancellable *cancellable, GError **error);
void lers_report_build_document_async (LersReport *self, guint index, GCancellable *cancellable,
                                       GAsyncReadyCallback callback, gpointer user_data);
LersReportDocument *lers_report_build_document_finish (LersReport *self, GAsyncResult *result,
                                                       gchar **name, GError **error);

typedef gboolean (*LersReportRenderedFunc) (LersReport *report, guint index,
                                            LersReportDocument *document, const gchar *name,
                                            GBytes *bytes, gpointer user_data);
gboolean lers_report_render_documents (LersReport *self, LersReportBackend *backend,
                                       guint n_threads, GCancellable *cancellable,
                                       LersReportRenderedFunc func, gpointer user_data,
                                       GError **error);

G_END_DECLS
