/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

#include <lers.h>

G_BEGIN_DECLS

#define LERS_TYPE_REPORT_PDF (lers_report_pdf_get_type ())
G_DECLARE_FINAL_TYPE (LersReportPdf, lers_report_pdf, LERS, REPORT_PDF, GObject)

void lers_report_pdf_register (GTypeModule *module);

G_END_DECLS
