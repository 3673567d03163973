/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

#if !defined(__LERS_H_INSIDE__) && !defined(LERS_COMPILATION)
#error "Only <lers.h> can be included directly."
#endif

#include <gio/gio.h>

#include "model/lers-enums.h"

G_BEGIN_DECLS

#define LERS_TYPE_REPORT_TEMPLATE (lers_report_template_get_type ())
G_DECLARE_FINAL_TYPE (LersReportTemplate, lers_report_template, LERS, REPORT_TEMPLATE, GObject)

/**
 * LersReportSource:
 * @LERS_REPORT_SOURCE_POINT: one document per measure point
 * @LERS_REPORT_SOURCE_POINTS: one document over all the chosen points
 *
 * What one document of a report covers (`<report source="…">`).
 *
 * Since: 0.6
 */
typedef enum
{
  LERS_REPORT_SOURCE_POINT = 0,  /*< nick=point >*/
  LERS_REPORT_SOURCE_POINTS = 1, /*< nick=points >*/
} LersReportSource;

LersReportTemplate *lers_report_template_new_from_data (const gchar *text, gssize length,
                                                        GError **error);
LersReportTemplate *lers_report_template_new_from_file (GFile *file, GCancellable *cancellable,
                                                        GError **error);
LersReportTemplate *lers_report_template_new_from_bytes (GBytes *bytes, GError **error);
const gchar *lers_report_template_get_id (LersReportTemplate *self);
const gchar *lers_report_template_get_title (LersReportTemplate *self, const gchar *language);
LersReportSource lers_report_template_get_source (LersReportTemplate *self);
const LersArchiveKind *lers_report_template_get_kinds (LersReportTemplate *self, guint *n_kinds);
LersArchiveKind lers_report_template_get_default_kind (LersReportTemplate *self);
const gchar *lers_report_template_get_default_period (LersReportTemplate *self);
GBytes *lers_report_template_get_text (LersReportTemplate *self);
gchar **lers_report_template_list_fields (const gchar *rows);
gboolean lers_report_template_get_error_position (const GError *error, guint *line, guint *column);

G_END_DECLS
