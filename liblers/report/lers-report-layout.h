/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The layout: a parsed template and its bound data become a laid-out
 * LersReportDocument (pages for PDF/PNG/SVG, the flow for CSV/XLSX/HTML).
 * Internal to liblers. */
#pragma once

#include "lers-report-document.h"
#include "lers-report-field.h"
#include "lers-report-template.h"
#include "lers-report-value.h"

G_BEGIN_DECLS

/* What the layout reads data through: lers-report-data.c gives one over a
 * LersReportData, tests give their own. */
typedef struct
{
  guint (*n_rows) (gpointer user_data, LersReportRows rows);
  gboolean (*resolve) (gpointer user_data, LersReportRows rows, const LersReportField *field,
                       guint row, const gchar *language, LersReportValue *value, GError **error);
  GTimeZone *zone; /* times are shown in it */
  gpointer user_data;
} LersReportBinding;

/* Lays @template_ out over @binding in @language ("ru", "en"). Fails only
 * when resolve() fails, an image does not decode, or @cancellable fires. */
LersReportDocument *lers_report_layout_run (LersReportTemplate *template_,
                                            const LersReportBinding *binding, const gchar *language,
                                            GCancellable *cancellable, GError **error);

G_END_DECLS
