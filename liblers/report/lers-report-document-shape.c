/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* A measured text's glyphs in one block: the runs, then their glyphs,
 * clusters and text. A statement measures some 12,000 texts: kept as
 * arrays each took 1.8 kB, in one block some 250 bytes. */
#include "config.h"

#include <string.h>

#include "lers-report-document-shape.h"

/* a run as it is gathered */
typedef struct
{
  cairo_scaled_font_t *font;
  GArray *glyphs;   /* cairo_glyph_t */
  GString *text;    /* what the glyphs show */
  GArray *clusters; /* cairo_text_cluster_t */
  gboolean one_to_one;
} LersReportRunBuilder;

static void
lers_report_run_builder_clear (gpointer data)
{
  LersReportRunBuilder *run = data;

  cairo_scaled_font_destroy (run->font);
  g_array_unref (run->glyphs);
  g_string_free (run->text, TRUE);
  g_array_unref (run->clusters);
}

/* Which of @run's glyphs show which bytes of @text, as Pango's Cairo
 * renderer tells Cairo (a PDF's text is the text, "ff" and not the
 * ligature's "ﬀ"); FALSE for clusters Cairo would not take */
static gboolean
lers_report_run_clusters (PangoGlyphItem *run, const gchar *text, LersReportRunBuilder *out)
{
  PangoGlyphItemIter iter;
  gboolean more;

  for (more = pango_glyph_item_iter_init_start (&iter, run, text); more;
       more = pango_glyph_item_iter_next_cluster (&iter))
    {
      cairo_text_cluster_t cluster
          = { iter.end_index - iter.start_index, iter.end_glyph - iter.start_glyph };

      for (gint i = iter.start_glyph; i < iter.end_glyph; i++)
        if (run->glyphs->glyphs[i].glyph == PANGO_GLYPH_EMPTY)
          cluster.num_glyphs--;
      if (cluster.num_bytes < 1 || cluster.num_glyphs < 0)
        return FALSE;
      out->one_to_one = out->one_to_one && cluster.num_glyphs == 1
                        && g_utf8_next_char (text + iter.start_index) == text + iter.end_index;
      g_array_append_val (out->clusters, cluster);
    }
  g_string_append_len (out->text, text + run->item->offset, run->item->length);
  return TRUE;
}

static LersReportRunBuilder *
lers_report_run_builder_for (GArray *runs, PangoFont *font)
{
  cairo_scaled_font_t *scaled = pango_cairo_font_get_scaled_font (PANGO_CAIRO_FONT (font));
  LersReportRunBuilder added;

  for (guint i = 0; i < runs->len; i++)
    if (g_array_index (runs, LersReportRunBuilder, i).font == scaled)
      return &g_array_index (runs, LersReportRunBuilder, i);
  added.font = cairo_scaled_font_reference (scaled);
  added.glyphs = g_array_new (FALSE, FALSE, sizeof (cairo_glyph_t));
  added.text = g_string_new (NULL);
  added.clusters = g_array_new (FALSE, FALSE, sizeof (cairo_text_cluster_t));
  added.one_to_one = TRUE;
  g_array_append_val (runs, added);
  return &g_array_index (runs, LersReportRunBuilder, runs->len - 1);
}

/* the glyphs of @layout gathered by font; FALSE when Pango must draw it */
static gboolean
lers_report_shape_gather (PangoLayout *layout, GArray *runs)
{
  PangoLayoutIter *iter = pango_layout_get_iter (layout);
  const gchar *text = pango_layout_get_text (layout);
  gboolean ok = TRUE;

  do
    {
      PangoLayoutRun *run = pango_layout_iter_get_run_readonly (iter);
      PangoRectangle logical;
      LersReportRunBuilder *out;
      gint x, baseline;

      if (run == NULL)
        continue; /* the end of a line */
      /* a right-to-left line is aligned the other way (see draw_text);
       * a run with attributes of its own, Pango draws */
      if (pango_layout_iter_get_line_readonly (iter)->resolved_dir != PANGO_DIRECTION_LTR
          || !PANGO_IS_CAIRO_FONT (run->item->analysis.font)
          || run->item->analysis.extra_attrs != NULL)
        {
          ok = FALSE;
          break;
        }
      pango_layout_iter_get_run_extents (iter, NULL, &logical);
      baseline = pango_layout_iter_get_baseline (iter);
      x = logical.x;
      out = lers_report_run_builder_for (runs, run->item->analysis.font);
      for (gint i = 0; ok && i < run->glyphs->num_glyphs; i++)
        {
          const PangoGlyphInfo *info = &run->glyphs->glyphs[i];

          /* a box for a character no font has: Pango draws it */
          ok = !(info->glyph & PANGO_GLYPH_UNKNOWN_FLAG);
          if (ok && info->glyph != PANGO_GLYPH_EMPTY)
            {
              cairo_glyph_t glyph = {
                info->glyph,
                (gdouble) (x + info->geometry.x_offset) / PANGO_SCALE,
                (gdouble) (baseline + info->geometry.y_offset) / PANGO_SCALE,
              };

              g_array_append_val (out->glyphs, glyph);
            }
          x += info->geometry.width;
        }
      ok = ok && lers_report_run_clusters ((PangoGlyphItem *) run, text, out);
    }
  while (ok && pango_layout_iter_next_run (iter));
  pango_layout_iter_free (iter);
  return ok && runs->len > 0;
}

LersReportShape *
lers_report_shape_new (PangoLayout *layout)
{
  g_autoptr (GArray) runs = g_array_new (FALSE, FALSE, sizeof (LersReportRunBuilder));
  LersReportShape *shape;
  cairo_glyph_t *glyphs;
  cairo_text_cluster_t *clusters;
  gchar *text;
  gsize size, n_glyphs = 0, n_clusters = 0;

  g_array_set_clear_func (runs, lers_report_run_builder_clear);
  if (!lers_report_shape_gather (layout, runs))
    return NULL;
  /* the block: the runs, then all their glyphs, all their clusters and
   * all their texts (clusters and text only where a glyph is not one
   * character), each kind aligned for itself */
  size = sizeof (LersReportShape) + runs->len * sizeof (LersReportGlyphRun);
  for (guint i = 0; i < runs->len; i++)
    {
      const LersReportRunBuilder *run = &g_array_index (runs, LersReportRunBuilder, i);

      size += run->glyphs->len * sizeof (cairo_glyph_t);
      if (!run->one_to_one)
        size += run->clusters->len * sizeof (cairo_text_cluster_t) + run->text->len;
    }
  shape = g_malloc0 (size);
  shape->size = size;
  shape->n_runs = runs->len;
  glyphs = (cairo_glyph_t *) (gpointer) (shape->runs + runs->len);
  for (guint i = 0; i < runs->len; i++)
    n_glyphs += g_array_index (runs, LersReportRunBuilder, i).glyphs->len;
  clusters = (cairo_text_cluster_t *) (gpointer) (glyphs + n_glyphs);
  for (guint i = 0; i < runs->len; i++)
    {
      const LersReportRunBuilder *run = &g_array_index (runs, LersReportRunBuilder, i);

      if (!run->one_to_one)
        n_clusters += run->clusters->len;
    }
  text = (gchar *) (clusters + n_clusters);
  for (guint i = 0; i < runs->len; i++)
    {
      LersReportRunBuilder *run = &g_array_index (runs, LersReportRunBuilder, i);
      LersReportGlyphRun *out = &shape->runs[i];

      out->font = cairo_scaled_font_reference (run->font);
      out->n_glyphs = run->glyphs->len;
      out->glyphs = glyphs;
      if (run->glyphs->len > 0)
        memcpy (glyphs, run->glyphs->data, run->glyphs->len * sizeof (cairo_glyph_t));
      glyphs += run->glyphs->len;
      if (run->one_to_one)
        continue;
      out->n_clusters = run->clusters->len;
      out->clusters = clusters;
      if (run->clusters->len > 0)
        memcpy (clusters, run->clusters->data, run->clusters->len * sizeof (cairo_text_cluster_t));
      clusters += run->clusters->len;
      out->text_len = run->text->len;
      out->text = memcpy (text, run->text->str, run->text->len);
      text += run->text->len;
    }
  return shape;
}

void
lers_report_shape_free (LersReportShape *shape)
{
  if (shape == NULL)
    return;
  for (guint i = 0; i < shape->n_runs; i++)
    cairo_scaled_font_destroy (shape->runs[i].font);
  g_free (shape);
}
