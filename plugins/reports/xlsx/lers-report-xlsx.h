/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The XLSX report backend (docs/report-templates.md, plugins/reports/xlsx). */
#pragma once

#include <lers.h>

G_BEGIN_DECLS

#define LERS_TYPE_REPORT_XLSX (lers_report_xlsx_get_type ())
G_DECLARE_FINAL_TYPE (LersReportXlsx, lers_report_xlsx, LERS, REPORT_XLSX, GObject)

void lers_report_xlsx_register (GTypeModule *module);

/* "=SUM(C5:C35)" for a total in @column (from 0) over the table rows
 * [@first, @last], the detail ones only, where table row 0 is sheet row
 * @row0 (from 0); runs of detail rows are listed ("=SUM(C5:C6,C8)"). NULL
 * when it cannot be a formula: no aggregate, no detail row, more than 255
 * runs. */
gchar *lers_report_xlsx_formula (LersReportTable *table, guint column,
                                 LersReportAggregate aggregate, guint first, guint last,
                                 guint row0);

G_END_DECLS
