/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The HTML report backend (docs/report-templates.md, plugins/reports/html). */
#pragma once

#include <lers.h>

G_BEGIN_DECLS

#define LERS_TYPE_REPORT_HTML (lers_report_html_get_type ())
G_DECLARE_FINAL_TYPE (LersReportHtml, lers_report_html, LERS, REPORT_HTML, GObject)

void lers_report_html_register (GTypeModule *module);

G_END_DECLS
