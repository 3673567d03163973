/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* A table of a laid-out report, as cells with their values, formats and
 * totals, for the formats that keep tables (CSV, XLSX, HTML). */
#include "config.h"

#include "lers-report-table-private.h"

struct _LersReportTable
{
  GObject parent_instance;
};

G_DEFINE_FINAL_TYPE (LersReportTable, lers_report_table, G_TYPE_OBJECT)

static void
lers_report_table_class_init (LersReportTableClass *klass)
{
}

static void
lers_report_table_init (LersReportTable *self)
{
}
