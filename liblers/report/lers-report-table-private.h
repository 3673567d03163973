/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Filling a LersReportTable, for the layout.
 *
 * Internal to liblers, its tests and benchmarks (exported, like
 * lers-poller-private.h, so that tests can build tables by hand; not in
 * lers.h nor the GIR). */
#pragma once

#include "lers-report-table.h"
#include "lers-report-value.h"

G_BEGIN_DECLS

/* @text kept by the table as long as it lives, one copy for equal texts
 * (formats, compared by address) */
const gchar *lers_report_table_intern (LersReportTable *self, const gchar *text);

LersReportTable *lers_report_table_new (guint n_columns);
void lers_report_table_set_column (LersReportTable *self, guint column, const gchar *title,
                                   gdouble width);
/* appends a row of @kind with all cells empty; returns its index */
guint lers_report_table_append_row (LersReportTable *self, LersReportRowKind kind);
/* sets a cell of the last row: @value's type gives the cell kind (null:
 * EMPTY, string: TEXT…), @text is what a reader sees, @format the
 * spreadsheet number format (lers_report_format_to_spreadsheet()) or NULL;
 * @zone is the zone times are shown in (for dup_cell_time) */
void lers_report_table_set_cell (LersReportTable *self, guint column, const LersReportValue *value,
                                 const gchar *text, const gchar *format, GTimeZone *zone);
/* the same, @format (not empty) already lers_report_table_intern()'s of
 * this table, or NULL: a table repeats a few formats in every row */
void lers_report_table_set_cell_interned (LersReportTable *self, guint column,
                                          const LersReportValue *value, const gchar *text,
                                          const gchar *format, GTimeZone *zone);
void lers_report_table_set_cell_span (LersReportTable *self, guint column, guint span);
void lers_report_table_set_cell_style (LersReportTable *self, guint column, gboolean bold,
                                       gboolean has_fill, guint32 fill);
/* marks a cell of the last row as @aggregate of its column over table
 * rows [@first_row, @last_row] (detail rows only count) */
void lers_report_table_set_cell_aggregate (LersReportTable *self, guint column,
                                           LersReportAggregate aggregate, guint first_row,
                                           guint last_row);

G_END_DECLS
