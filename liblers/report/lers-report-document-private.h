/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Building a LersReportDocument, for the layout. Coordinates are points
 * from the page's top-left corner. Text is measured and drawn with the same
 * Pango setup (a PangoCairo font map at 72 dpi, metrics not hinted), so
 * what the layout measures is what every backend draws.
 *
 * Internal to liblers, its tests and benchmarks (exported, like
 * lers-poller-private.h, so that tests can build documents by hand; not in
 * lers.h nor the GIR). */
#pragma once

#include <pango/pango.h>

#include "lers-report-document.h"

G_BEGIN_DECLS

typedef enum
{
  LERS_REPORT_TEXT_LEFT = 0,
  LERS_REPORT_TEXT_CENTER,
  LERS_REPORT_TEXT_RIGHT,
} LersReportTextAlign;

LersReportDocument *lers_report_document_new (const gchar *title, const gchar *language,
                                              gdouble page_width, gdouble page_height);

/* A PangoContext set up as above, for measuring (one per thread: not
 * thread-safe itself). */
PangoContext *lers_report_pango_context_new (void);
/* the height of @text in @font wrapped (word, then char) at @width; with
 * @lines, how many lines it took */
gdouble lers_report_measure_text (PangoContext *context, const gchar *text, const gchar *font,
                                  gdouble width, guint *lines);
/* the natural width of @text in @font, on one line */
gdouble lers_report_measure_text_width (PangoContext *context, const gchar *text,
                                        const gchar *font);

/* Frees the font maps draw_page keeps for the next draws (tests call it
 * before checking for leaks; drawing later makes new ones). */
void lers_report_document_clear_font_maps (void);

/* the page items: each call adds to page @page (pages are added in order
 * with add_page; returns the new page's index) */
guint lers_report_document_add_page (LersReportDocument *self);
/* text in a box: wrapped at @width, aligned in it, drawn from its top (the
 * layout has measured it to fit @height; it is clipped to the box) */
void lers_report_document_add_text (LersReportDocument *self, guint page, gdouble x, gdouble y,
                                    gdouble width, gdouble height, const gchar *text,
                                    const gchar *font, LersReportTextAlign align, guint32 rgb);
/* a rectangle: filled with @fill_rgb when @has_fill, then stroked with
 * @border pt black when @border > 0 */
void lers_report_document_add_rect (LersReportDocument *self, guint page, gdouble x, gdouble y,
                                    gdouble width, gdouble height, gboolean has_fill,
                                    guint32 fill_rgb, gdouble border);
void lers_report_document_add_line (LersReportDocument *self, guint page, gdouble x0, gdouble y0,
                                    gdouble x1, gdouble y1, gdouble width, guint32 rgb);
/* a polyline through @n_points (x, y) pairs in @xy */
void lers_report_document_add_polyline (LersReportDocument *self, guint page, const gdouble *xy,
                                        guint n_points, gdouble width, guint32 rgb);
/* a PNG picture scaled into the box; FALSE with an error when @png does not
 * decode */
gboolean lers_report_document_add_image (LersReportDocument *self, guint page, gdouble x, gdouble y,
                                         gdouble width, gdouble height, GBytes *png,
                                         GError **error);
/* another document's first page (a chart) drawn into the box */
void lers_report_document_add_drawing (LersReportDocument *self, guint page, gdouble x, gdouble y,
                                       LersReportDocument *drawing);

/* the flow, in reading order; @band is "report-header", "body" or "summary" */
void lers_report_document_append_text_block (LersReportDocument *self, const gchar *band,
                                             const gchar *text, gboolean bold, gdouble font_size);
void lers_report_document_append_table_block (LersReportDocument *self, const gchar *band,
                                              LersReportTable *table);
void lers_report_document_append_drawing_block (LersReportDocument *self, const gchar *band,
                                                LersReportDocument *drawing);
void lers_report_document_append_image_block (LersReportDocument *self, const gchar *band,
                                              GBytes *png);
void lers_report_document_append_page_break (LersReportDocument *self);

G_END_DECLS
