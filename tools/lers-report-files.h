/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

/* What `lers report` and lersd's report routes share: finding a template
 * (system files, stored, a file), the names of the documents, and the
 * "document register" zip. */

#include <lers.h>

G_BEGIN_DECLS

/* The folders of the system templates: $LERS_TEMPLATE_PATH (colon
 * separated; tests and `meson devenv`) when set, else LERS_DATADIR/templates */
GStrv lers_report_files_get_template_dirs (void);
/* Every system template, parsed, ordered by id (of LersReportTemplate*);
 * files that do not parse are skipped (with a debug message) */
GPtrArray *lers_report_files_list_system (GCancellable *cancellable);
/* The system template @id, or NULL (no error: not a system template) */
LersReportTemplate *lers_report_files_find_system (const gchar *id, GCancellable *cancellable);
/* Whether @id is a template id ([a-z0-9-], 1 to 64) */
gboolean lers_report_files_is_id (const gchar *id);
/* "kinds" as text: "day hour" */
gchar *lers_report_files_kinds_text (LersReportTemplate *template_);
const gchar *lers_report_files_source_nick (LersReportSource source);
/* The name of a document: "<point id>-<title>.<ext>" (point id 0: none),
 * the title's characters that do not belong in a file name replaced */
gchar *lers_report_files_document_name (gint64 point_id, const gchar *title, const gchar *ext);
/* The report backend of @format ("pdf", a word), through the engine */
LersReportBackend *lers_report_files_get_backend (LersEngine *engine, const gchar *format,
                                                  GError **error);

/* A zip being written to a file, one entry per document */
typedef struct _LersReportZip LersReportZip;
LersReportZip *lers_report_zip_new (const gchar *path, GError **error);
gboolean lers_report_zip_add (LersReportZip *zip, const gchar *name, GBytes *bytes, GError **error);
gboolean lers_report_zip_close (LersReportZip *zip, GError **error);
void lers_report_zip_free (LersReportZip *zip);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (LersReportZip, lers_report_zip_free)

G_END_DECLS
