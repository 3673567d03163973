/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* What draw_page has yet to draw on a page, gathered so Cairo is called a
 * few times a page instead of a few times a cell: fills, then strokes, then
 * glyphs. Internal to liblers (lers-report-document-draw.c). */
#pragma once

#include <cairo.h>
#include <glib.h>

G_BEGIN_DECLS

typedef struct _LersReportBatch LersReportBatch;

/* @rgb (0xRRGGBB) as the source */
void lers_report_set_rgb (cairo_t *cr, guint32 rgb);

LersReportBatch *lers_report_batch_new (cairo_t *cr);
/* draws what is left, then frees */
void lers_report_batch_free (LersReportBatch *self);
/* draws what was gathered, in the order: fills (in their order), strokes,
 * glyphs; for when what comes next must lie above it */
void lers_report_batch_flush (LersReportBatch *self);

/* a filled box: what is gathered and lies inside the box is drawn first,
 * so the fill does not end up above it */
void lers_report_batch_fill (LersReportBatch *self, gdouble x, gdouble y, gdouble width,
                             gdouble height, guint32 rgb);
/* the border of a box, as cairo_rectangle and cairo_stroke draw it */
void lers_report_batch_border (LersReportBatch *self, gdouble x, gdouble y, gdouble width,
                               gdouble height, gdouble line_width, guint32 rgb);
/* a line with butt ends and, for more than two points, @join corners */
void lers_report_batch_polyline (LersReportBatch *self, const gdouble *xy, guint n_points,
                                 gdouble line_width, guint32 rgb, cairo_line_join_t join);
/* glyphs of @font, moved by (@dx, @dy), showing @text as @clusters say
 * (cairo_show_text_glyphs); the box is where they are, for fills that
 * come later */
void lers_report_batch_glyphs (LersReportBatch *self, cairo_scaled_font_t *font, guint32 rgb,
                               const cairo_glyph_t *glyphs, guint n_glyphs, const gchar *text,
                               gsize text_len, const cairo_text_cluster_t *clusters,
                               guint n_clusters, gdouble dx, gdouble dy, gdouble x, gdouble y,
                               gdouble width, gdouble height);

G_END_DECLS
