/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

#if !defined(__LERS_H_INSIDE__) && !defined(LERS_COMPILATION)
#error "Only <lers.h> can be included directly."
#endif

#include <cairo.h>
#include <gio/gio.h>

#include "report/lers-report-table.h"

G_BEGIN_DECLS

#define LERS_TYPE_REPORT_DOCUMENT (lers_report_document_get_type ())
G_DECLARE_FINAL_TYPE (LersReportDocument, lers_report_document, LERS, REPORT_DOCUMENT, GObject)

/**
 * LersReportBlockKind:
 * @LERS_REPORT_BLOCK_TEXT: a paragraph (get_block_text)
 * @LERS_REPORT_BLOCK_TABLE: a table (get_block_table)
 * @LERS_REPORT_BLOCK_CHART: a chart, drawn as a one-page document of its own
 *   (get_block_drawing)
 * @LERS_REPORT_BLOCK_IMAGE: a picture (get_block_image: PNG bytes)
 * @LERS_REPORT_BLOCK_PAGE_BREAK: the template asked for a new page
 *
 * The document's content in reading order, for formats that flow rather
 * than lay out pages (CSV, XLSX, HTML).
 *
 * Since: 0.6
 */
typedef enum
{
  LERS_REPORT_BLOCK_TEXT = 0,       /*< nick=text >*/
  LERS_REPORT_BLOCK_TABLE = 1,      /*< nick=table >*/
  LERS_REPORT_BLOCK_CHART = 2,      /*< nick=chart >*/
  LERS_REPORT_BLOCK_IMAGE = 3,      /*< nick=image >*/
  LERS_REPORT_BLOCK_PAGE_BREAK = 4, /*< nick=page-break >*/
} LersReportBlockKind;

const gchar *lers_report_document_get_title (LersReportDocument *self);
const gchar *lers_report_document_get_language (LersReportDocument *self);
/* the pages, laid out; sizes in points (1/72 in) */
void lers_report_document_get_page_size (LersReportDocument *self, gdouble *width, gdouble *height);
guint lers_report_document_get_n_pages (LersReportDocument *self);
gboolean lers_report_document_draw_page (LersReportDocument *self, guint page, cairo_t *cr,
                                         GError **error);
/* the flow */
guint lers_report_document_get_n_blocks (LersReportDocument *self);
LersReportBlockKind lers_report_document_get_block_kind (LersReportDocument *self, guint block);
const gchar *lers_report_document_get_block_text (LersReportDocument *self, guint block);
gboolean lers_report_document_get_block_bold (LersReportDocument *self, guint block);
gdouble lers_report_document_get_block_font_size (LersReportDocument *self, guint block);
LersReportTable *lers_report_document_get_block_table (LersReportDocument *self, guint block);
LersReportDocument *lers_report_document_get_block_drawing (LersReportDocument *self, guint block);
GBytes *lers_report_document_get_block_image (LersReportDocument *self, guint block);
/* which part of the document the block came from: "report-header",
 * "body", "summary" (page headers and footers are not in the flow) */
const gchar *lers_report_document_get_block_band (LersReportDocument *self, guint block);

G_END_DECLS
