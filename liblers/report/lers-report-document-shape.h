/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* A measured text's glyphs, kept so a page draws them without shaping the
 * text again: placed as Pango's Cairo renderer places them, a run for
 * each font, in one allocation. Internal to liblers
 * (lers-report-document-draw.c). */
#pragma once

#include <pango/pangocairo.h>

G_BEGIN_DECLS

typedef struct
{
  cairo_scaled_font_t *font;
  guint n_glyphs;
  const cairo_glyph_t *glyphs; /* from the layout's top-left corner, left-aligned */
  /* which glyphs show which bytes of text (cairo_show_text_glyphs); none
   * when each glyph is a character Cairo maps back by itself */
  guint n_clusters;
  const cairo_text_cluster_t *clusters;
  gsize text_len;
  const gchar *text;
} LersReportGlyphRun;

typedef struct
{
  gsize size; /* bytes, this struct's and its runs' */
  guint n_runs;
  LersReportGlyphRun runs[];
} LersReportShape;

/* NULL when Pango must draw @layout itself: a right-to-left line, a box
 * for a character no font has, a run with attributes */
LersReportShape *lers_report_shape_new (PangoLayout *layout);
void lers_report_shape_free (LersReportShape *shape);

G_END_DECLS
