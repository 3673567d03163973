/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* What a page of a LersReportDocument holds, shared by the document
 * (lers-report-document.c) and its drawing (lers-report-document-draw.c).
 * Internal to liblers. */
#pragma once

#include "lers-report-document-private.h"

G_BEGIN_DECLS

typedef enum
{
  LERS_REPORT_ITEM_TEXT,
  LERS_REPORT_ITEM_RECT,
  LERS_REPORT_ITEM_LINE,
  LERS_REPORT_ITEM_POLYLINE,
  LERS_REPORT_ITEM_IMAGE,
  LERS_REPORT_ITEM_DRAWING,
} LersReportItemKind;

/* One thing drawn on a page. The box is x, y, width, height; a line runs
 * from (x, y) to (x1, y1). */
typedef struct
{
  LersReportItemKind kind;
  gdouble x, y, width, height;
  gdouble x1, y1;
  gdouble line_width;
  guint32 rgb;
  gboolean has_fill;
  LersReportTextAlign align;
  const gchar *text; /* the document's */
  /* the font as the layout named it and measured the text with, and as
   * Pango reads it; both the document's */
  const gchar *font_name;
  const PangoFontDescription *font;
  gdouble *xy;
  guint n_points;
  cairo_surface_t *image;
  LersReportDocument *drawing;
} LersReportItem;

/* the items of page @page in drawing order (NULL when there is no such
 * page) */
G_GNUC_INTERNAL GPtrArray *lers_report_document_get_page_items (LersReportDocument *self,
                                                                guint page);

G_END_DECLS
