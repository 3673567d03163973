/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The XLSX report backend (docs/report-templates.md, plugins/reports/xlsx). */
#pragma once

#include <lers.h>

G_BEGIN_DECLS

#define LERS_TYPE_REPORT_XLSX (lers_report_xlsx_get_type ())
G_DECLARE_FINAL_TYPE (LersReportXlsx, lers_report_xlsx, LERS, REPORT_XLSX, GObject)

void lers_report_xlsx_register (GTypeModule *module);

G_END_DECLS
