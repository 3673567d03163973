/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

#if !defined(__LERS_H_INSIDE__) && !defined(LERS_COMPILATION)
#error "Only <lers.h> can be included directly."
#endif

#include <glib-object.h>

G_BEGIN_DECLS

#define LERS_TYPE_REPORT_TABLE (lers_report_table_get_type ())
G_DECLARE_FINAL_TYPE (LersReportTable, lers_report_table, LERS, REPORT_TABLE, GObject)

/**
 * LersReportRowKind:
 * @LERS_REPORT_ROW_DETAIL: a row of the table's source (an archive record)
 * @LERS_REPORT_ROW_GROUP_HEADER: a group's header row
 * @LERS_REPORT_ROW_GROUP_FOOTER: a group's footer row, with the group's totals
 * @LERS_REPORT_ROW_TOTAL: the table's total row
 *
 * Since: 0.6
 */
typedef enum
{
  LERS_REPORT_ROW_DETAIL = 0,       /*< nick=detail >*/
  LERS_REPORT_ROW_GROUP_HEADER = 1, /*< nick=group-header >*/
  LERS_REPORT_ROW_GROUP_FOOTER = 2, /*< nick=group-footer >*/
  LERS_REPORT_ROW_TOTAL = 3,        /*< nick=total >*/
} LersReportRowKind;

/**
 * LersReportCellKind:
 * @LERS_REPORT_CELL_EMPTY: nothing
 * @LERS_REPORT_CELL_TEXT: text only
 * @LERS_REPORT_CELL_NUMBER: a number (and its text as shown)
 * @LERS_REPORT_CELL_TIME: a moment (and its text as shown)
 * @LERS_REPORT_CELL_BOOLEAN: a truth value (and its text as shown)
 *
 * Since: 0.6
 */
typedef enum
{
  LERS_REPORT_CELL_EMPTY = 0,   /*< nick=empty >*/
  LERS_REPORT_CELL_TEXT = 1,    /*< nick=text >*/
  LERS_REPORT_CELL_NUMBER = 2,  /*< nick=number >*/
  LERS_REPORT_CELL_TIME = 3,    /*< nick=time >*/
  LERS_REPORT_CELL_BOOLEAN = 4, /*< nick=boolean >*/
} LersReportCellKind;

/**
 * LersReportAggregate:
 * @LERS_REPORT_AGGREGATE_NONE: a plain cell
 * @LERS_REPORT_AGGREGATE_SUM: the sum of the column over a range of rows
 * @LERS_REPORT_AGGREGATE_AVG: the average
 * @LERS_REPORT_AGGREGATE_MIN: the minimum
 * @LERS_REPORT_AGGREGATE_MAX: the maximum
 * @LERS_REPORT_AGGREGATE_COUNT: how many rows have a value
 *
 * Since: 0.6
 */
typedef enum
{
  LERS_REPORT_AGGREGATE_NONE = 0,  /*< nick=none >*/
  LERS_REPORT_AGGREGATE_SUM = 1,   /*< nick=sum >*/
  LERS_REPORT_AGGREGATE_AVG = 2,   /*< nick=avg >*/
  LERS_REPORT_AGGREGATE_MIN = 3,   /*< nick=min >*/
  LERS_REPORT_AGGREGATE_MAX = 4,   /*< nick=max >*/
  LERS_REPORT_AGGREGATE_COUNT = 5, /*< nick=count >*/
} LersReportAggregate;

guint lers_report_table_get_n_columns (LersReportTable *self);
const gchar *lers_report_table_get_column_title (LersReportTable *self, guint column);
gdouble lers_report_table_get_column_width (LersReportTable *self, guint column);
guint lers_report_table_get_n_rows (LersReportTable *self);
LersReportRowKind lers_report_table_get_row_kind (LersReportTable *self, guint row);
LersReportCellKind lers_report_table_get_cell_kind (LersReportTable *self, guint row, guint column);
const gchar *lers_report_table_get_cell_text (LersReportTable *self, guint row, guint column);
gdouble lers_report_table_get_cell_number (LersReportTable *self, guint row, guint column);
GDateTime *lers_report_table_dup_cell_time (LersReportTable *self, guint row, guint column);
const gchar *lers_report_table_get_cell_format (LersReportTable *self, guint row, guint column);
guint lers_report_table_get_cell_span (LersReportTable *self, guint row, guint column);
gboolean lers_report_table_get_cell_bold (LersReportTable *self, guint row, guint column);
gboolean lers_report_table_get_cell_fill (LersReportTable *self, guint row, guint column,
                                          guint32 *rgb);
LersReportAggregate lers_report_table_get_cell_aggregate (LersReportTable *self, guint row,
                                                          guint column, guint *first_row,
                                                          guint *last_row);

G_END_DECLS
