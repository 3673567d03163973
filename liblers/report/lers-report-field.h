/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The names a report template may use (docs/report-templates.md, "Fields").
 * Internal to liblers. */
#pragma once

#include <glib.h>

#include "lers-report-value.h"

G_BEGIN_DECLS

/* where a field's value comes from */
typedef enum
{
  LERS_REPORT_FIELD_REPORT = 0, /* DATE_START, DATE_END, DATA_TYPE, Now, PointCount */
  LERS_REPORT_FIELD_PAGE,       /* PageNumber, PageCount: the layout fills these */
  LERS_REPORT_FIELD_POINT,      /* Point.* */
  LERS_REPORT_FIELD_NODE,       /* Node.* */
  LERS_REPORT_FIELD_DEVICE,     /* Device.* */
  LERS_REPORT_FIELD_READING,    /* Start.X, End.X, Delta.X */
  LERS_REPORT_FIELD_ROW,        /* a field of the row of a table's source */
  LERS_REPORT_FIELD_POINT_AGGREGATE, /* Sum.X, Avg.X: rows "points" */
} LersReportFieldScope;

/* a table's (or chart's) row source: <table rows="…"> */
typedef enum
{
  LERS_REPORT_ROWS_NONE = 0, /* outside any table */
  LERS_REPORT_ROWS_ARCHIVE,
  LERS_REPORT_ROWS_POINTS,
  LERS_REPORT_ROWS_EVENTS,
  LERS_REPORT_ROWS_INCIDENTS,
  LERS_REPORT_ROWS_READINGS,
} LersReportRows;

typedef struct
{
  LersReportFieldScope scope;
  guint id;            /* which field within its scope: one of the enum below */
  gint parameter;      /* a LersParameter for archive values, Sum./Avg./Start./End./Delta.; else -1 */
  LersReportValueType type;
  const gchar *name;   /* the canonical name, static */
} LersReportField;

/* ids within scopes (the parameter-valued row fields all have
 * LERS_REPORT_FIELD_ID_PARAMETER and .parameter set) */
enum
{
  LERS_REPORT_FIELD_ID_PARAMETER = 0,
  /* REPORT */
  LERS_REPORT_FIELD_ID_DATE_START,
  LERS_REPORT_FIELD_ID_DATE_END,
  LERS_REPORT_FIELD_ID_DATA_TYPE,
  LERS_REPORT_FIELD_ID_NOW,
  LERS_REPORT_FIELD_ID_POINT_COUNT,
  /* PAGE */
  LERS_REPORT_FIELD_ID_PAGE_NUMBER,
  LERS_REPORT_FIELD_ID_PAGE_COUNT,
  /* the rest: the data layer (lers-report-data.c) maps each named field of
   * docs/report-templates.md to an id of its own above 100 */
  LERS_REPORT_FIELD_ID_NAMED = 100,
};

/* Looks @name up. @rows is the enclosing table's source (row fields exist
 * only there; LERS_REPORT_ROWS_POINTS makes Point.* etc. row fields too).
 * Returns FALSE for an unknown name. */
G_GNUC_INTERNAL gboolean lers_report_field_lookup (const gchar *name, LersReportRows rows,
                                                   LersReportField *field);
/* every field name a template may use in @rows (NONE: outside tables), for
 * the editor's field list; static strings */
G_GNUC_INTERNAL const gchar *const *lers_report_field_list (LersReportRows rows, guint *n_names);

G_END_DECLS
