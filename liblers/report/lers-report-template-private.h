/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The parsed template (docs/report-templates.md): what the layout walks.
 * Everything here is owned by the LersReportTemplate and immutable once
 * parsed. Lengths are in points (1/72 in). */
#pragma once

#include "lers-report-expr.h"
#include "lers-report-template.h"

G_BEGIN_DECLS

typedef enum
{
  LERS_REPORT_ALIGN_LEFT = 0,
  LERS_REPORT_ALIGN_CENTER,
  LERS_REPORT_ALIGN_RIGHT,
} LersReportAlign;

typedef enum
{
  LERS_REPORT_VALIGN_TOP = 0,
  LERS_REPORT_VALIGN_MIDDLE,
  LERS_REPORT_VALIGN_BOTTOM,
} LersReportVAlign;

/* A style after inheritance is resolved: every member set. */
typedef struct
{
  gchar *font; /* Pango font description, "DejaVu Sans 9" */
  LersReportAlign align;
  LersReportVAlign valign;
  guint32 color; /* 0xRRGGBB */
  gboolean has_fill;
  guint32 fill;
  gdouble border;  /* pt, 0: none */
  gdouble padding; /* pt */
} LersReportStyle;

typedef enum
{
  LERS_REPORT_ELEMENT_TEXT = 0,
  LERS_REPORT_ELEMENT_TABLE,
  LERS_REPORT_ELEMENT_CHART,
  LERS_REPORT_ELEMENT_IMAGE,
  LERS_REPORT_ELEMENT_SPACER,
  LERS_REPORT_ELEMENT_PAGE_BREAK,
} LersReportElementKind;

typedef enum
{
  LERS_REPORT_TOTAL_NONE = 0,
  LERS_REPORT_TOTAL_SUM,
  LERS_REPORT_TOTAL_AVG,
  LERS_REPORT_TOTAL_MIN,
  LERS_REPORT_TOTAL_MAX,
  LERS_REPORT_TOTAL_COUNT,
} LersReportTotal;

typedef struct
{
  LersReportExpr *when;
  const LersReportStyle *style; /* the highlight style merged over the cell's */
} LersReportHighlight;

typedef struct
{
  LersReportExpr *title; /* text expression */
  LersReportExpr *value;
  gchar *format; /* NULL: the field's default */
  gdouble width; /* pt; 0: share the rest */
  const LersReportStyle *style;
  LersReportTotal total;
  gchar *total_format;   /* NULL: @format */
  GPtrArray *highlights; /* of LersReportHighlight* */
} LersReportColumn;

typedef struct
{
  guint span;
  const LersReportStyle *style;
  LersReportExpr *text; /* text expression; aggregates run over the group */
} LersReportCell;

typedef struct _LersReportGroup LersReportGroup;
struct _LersReportGroup
{
  gchar *id;
  LersReportExpr *by;
  LersReportGroup *parent; /* outer group or NULL */
  GPtrArray *header;       /* of LersReportCell*; empty: no header row */
  GPtrArray *footer;       /* of LersReportCell*; empty: no footer row */
  const LersReportStyle *header_style;
  const LersReportStyle *footer_style;
};

typedef struct
{
  LersReportRows rows;
  const LersReportStyle *style;
  const LersReportStyle *header_style;
  gboolean repeat_header;
  LersReportGroup *group; /* innermost, or NULL; outer ones via ->parent */
  GPtrArray *columns;     /* of LersReportColumn* */
  gboolean has_totals;    /* any column has a total */
  GPtrArray *groups;      /* of LersReportGroup*: every group of the table, owned */
  gboolean keep;          /* keep="yes": start on a new page rather than split */
} LersReportTableSpec;

typedef enum
{
  LERS_REPORT_CHART_LINE = 0,
  LERS_REPORT_CHART_BAR,
} LersReportChartKind;

typedef struct
{
  LersReportChartKind kind;
  LersReportRows rows;
  LersReportExpr *x;
  GPtrArray *y;       /* of LersReportExpr*, one per series */
  GPtrArray *y_names; /* of gchar*, the series' names as written */
  gdouble height;
  LersReportExpr *title; /* text expression or NULL */
} LersReportChart;

typedef struct
{
  LersReportElementKind kind;
  guint line; /* where the element starts in the template */
  guint column;
  LersReportExpr *when; /* NULL: always */
  const LersReportStyle *style;
  /* TEXT */
  LersReportExpr *text;
  gdouble width; /* 0: the page's content width */
  /* TABLE */
  LersReportTableSpec *table;
  /* CHART */
  LersReportChart *chart;
  /* IMAGE: PNG bytes; SPACER: height */
  GBytes *image;
  gdouble image_width;
  gdouble image_height; /* also SPACER's height */
} LersReportElement;

typedef struct
{
  const LersReportStyle *style;
  GPtrArray *elements; /* of LersReportElement* */
} LersReportBand;

typedef struct
{
  gdouble width; /* pt, orientation applied */
  gdouble height;
  gdouble margin_top, margin_right, margin_bottom, margin_left;
} LersReportPageSetup;

/* the parts of a parsed template, for the layout; NULL bands are absent */
const LersReportPageSetup *lers_report_template_get_page (LersReportTemplate *self);
const LersReportBand *lers_report_template_get_report_header (LersReportTemplate *self);
const LersReportBand *lers_report_template_get_page_header (LersReportTemplate *self);
const LersReportBand *lers_report_template_get_body (LersReportTemplate *self);
const LersReportBand *lers_report_template_get_summary (LersReportTemplate *self);
const LersReportBand *lers_report_template_get_page_footer (LersReportTemplate *self);
const LersReportStyle *lers_report_template_get_default_style (LersReportTemplate *self);
/* id → translated string, for LersReportContext.strings; "ru" or "en"
 * (anything else: "en"); owned by the template */
GHashTable *lers_report_template_get_strings (LersReportTemplate *self, const gchar *language);
/* the row sources any table or chart of the template uses, as a bit mask
 * of 1 << LersReportRows, so the data layer loads only those */
guint lers_report_template_get_rows_used (LersReportTemplate *self);

G_END_DECLS
