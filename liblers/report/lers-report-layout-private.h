/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The state one layout run shares between its files: the core (pages,
 * bands, text), tables (lers-report-layout-table.c) and charts
 * (lers-report-chart.c). Internal to the layout. */
#pragma once

#include <pango/pango.h>

#include "lers-report-template-private.h"

#include "lers-report-document-private.h"
#include "lers-report-layout.h"
#include "lers-report-table-private.h"

G_BEGIN_DECLS

typedef struct
{
  LersReportTemplate *template_;
  const LersReportBinding *binding;
  const gchar *language;
  GTimeZone *zone;
  GHashTable *strings;
  GCancellable *cancellable;
  PangoContext *pango;
  LersReportDocument *document;
  const LersReportPageSetup *page;
  const LersReportStyle *default_style;
  gdouble content_width;
  /* the page being filled and where on it */
  guint page_index;
  gdouble y;
  gdouble bottom;        /* the body ends here (above the page footer) */
  gboolean page_empty;   /* nothing of the body on this page yet */
  gdouble header_height; /* the page header's, reserved on every page */
  gdouble footer_height;
  GArray *header_y; /* of gdouble: where each page's page header goes */
  /* what expressions see */
  LersReportRows rows;         /* the current table's rows; NONE outside tables */
  LersReportRows outside_rows; /* rows aggregates outside tables run over */
  guint page_number;           /* for PageNumber, 1-based */
  guint page_count;
  const gchar *band; /* "report-header", "body", "summary", NULL: page bands */
  /* what lers_report_layout_measure measured in this run: (font string,
   * width) → text → height */
  GHashTable *measured;
  /* the last (font, width) asked and its texts: a table row asks the same
   * for most of its cells */
  const gchar *measured_font;
  gdouble measured_width;
  GHashTable *measured_texts;
} LersReportLayout;

/* a context over @layout for rows [@first, @end) at @row of the current
 * rows */
G_GNUC_INTERNAL void lers_report_layout_init_context (LersReportLayout *layout,
                                                      LersReportContext *context, guint row,
                                                      guint first, guint end);
/* evaluates @expr into @value */
G_GNUC_INTERNAL gboolean lers_report_layout_eval (LersReportLayout *layout,
                                                  const LersReportExpr *expr, guint row,
                                                  guint first, guint end, LersReportValue *value,
                                                  GError **error);
/* evaluates @expr as text a reader sees (@format: NULL for the default) */
G_GNUC_INTERNAL gchar *lers_report_layout_eval_text (LersReportLayout *layout,
                                                     const LersReportExpr *expr,
                                                     const gchar *format, guint row, guint first,
                                                     guint end, GError **error);
/* starts a new page for the body */
G_GNUC_INTERNAL void lers_report_layout_new_page (LersReportLayout *layout);
/* makes room for @height: a new page when it does not fit on this one
 * (unless this page is still empty) */
G_GNUC_INTERNAL void lers_report_layout_ensure_room (LersReportLayout *layout, gdouble height);
G_GNUC_INTERNAL gboolean lers_report_layout_check_cancelled (LersReportLayout *layout,
                                                             GError **error);
/* the style or, when NULL, @fallback, or the template's default */
G_GNUC_INTERNAL const LersReportStyle *lers_report_layout_style (LersReportLayout *layout,
                                                                 const LersReportStyle *style,
                                                                 const LersReportStyle *fallback);
/* @font made bold */
G_GNUC_INTERNAL gchar *lers_report_font_bold (const gchar *font);
/* the same, kept as long as the process runs (not to be freed) */
G_GNUC_INTERNAL const gchar *lers_report_font_bold_kept (const gchar *font);
/* lers_report_measure_text (@layout->pango, @text, @font, @width, NULL),
 * kept for the run: a table repeats its texts and measures a cell for its
 * row's height and again for its place. @font is keyed by its address:
 * a string that lives as long as the run (a style's, or
 * lers_report_font_bold_kept's). */
G_GNUC_INTERNAL gdouble lers_report_layout_measure (LersReportLayout *layout, const gchar *text,
                                                    const gchar *font, gdouble width);
G_GNUC_INTERNAL gboolean lers_report_font_is_bold (const gchar *font);
G_GNUC_INTERNAL LersReportTextAlign lers_report_text_align (LersReportAlign align);

G_GNUC_INTERNAL gboolean lers_report_layout_table (LersReportLayout *layout,
                                                   const LersReportTableSpec *table,
                                                   GError **error);
/* the chart drawn into a document of its own, @width wide */
G_GNUC_INTERNAL LersReportDocument *lers_report_layout_chart (LersReportLayout *layout,
                                                              const LersReportChart *chart,
                                                              gdouble width, GError **error);

G_END_DECLS
