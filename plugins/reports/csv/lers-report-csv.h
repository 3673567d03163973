/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The CSV report backend (docs/report-templates.md, plugins/reports/csv). */
#pragma once

#include <lers.h>

G_BEGIN_DECLS

#define LERS_TYPE_REPORT_CSV (lers_report_csv_get_type ())
G_DECLARE_FINAL_TYPE (LersReportCsv, lers_report_csv, LERS, REPORT_CSV, GObject)

void lers_report_csv_register (GTypeModule *module);

/* @field as one RFC 4180 field: quoted (and its quotes doubled) when it
 * holds @separator, a quote, CR or LF; appended to @out */
void lers_report_csv_append_field (GString *out, const gchar *field, gchar separator);

G_END_DECLS
