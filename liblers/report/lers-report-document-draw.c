/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Measuring and drawing a LersReportDocument's text and pages: one Pango
 * setup for both, so what the layout measured is what is drawn. Any number
 * of threads may draw the same document at once: each draw keeps its Pango
 * state (a font map of its own) and Cairo state to itself, and a picture is drawn through a Cairo
 * surface of its own over the decoded pixels, which are only read. */
#include "config.h"

#include <glib/gi18n-lib.h>
#include <math.h>
#include <string.h>
#include <pango/pangocairo.h>

#include "lers-error.h"
#include "lers-report-document-batch.h"
#include "lers-report-document-items.h"
#include "lers-report-document-shape.h"

/* ---- text: one Pango setup for measuring and drawing ---- */

static void
lers_report_pango_context_setup (PangoContext *context)
{
  cairo_font_options_t *options = cairo_font_options_create ();

  /* metrics not hinted and glyphs not moved to whole pixels: a text is as
   * wide at 72 dpi (measured) as at 150 dpi (PNG) or in a PDF */
  cairo_font_options_set_hint_metrics (options, CAIRO_HINT_METRICS_OFF);
  cairo_font_options_set_hint_style (options, CAIRO_HINT_STYLE_NONE);
  pango_cairo_context_set_font_options (context, options);
  cairo_font_options_destroy (options);
  pango_cairo_context_set_resolution (context, 72.0);
  pango_context_set_round_glyph_positions (context, FALSE);
}

static PangoFontMap *lers_report_take_font_map (void);
static void lers_report_give_font_map (PangoFontMap *map);

/* The context's font map comes from the pool draw_page takes its own from
 * and goes back to it when the context is freed: a font map opens and
 * loads its fonts once, not once a document (and keeps what was measured
 * with it, see lers_report_measure_cache_get). */
PangoContext *
lers_report_pango_context_new (void)
{
  PangoFontMap *map = lers_report_take_font_map ();
  PangoContext *context = pango_font_map_create_context (map);

  lers_report_pango_context_setup (context);
  g_object_set_data_full (G_OBJECT (context), "lers-report-font-map", map,
                          (GDestroyNotify) lers_report_give_font_map);
  return context;
}

/* The font maps of draw_page, idle ones kept for the next draw: a font map
 * is not thread-safe, so each draw takes one for itself (a new one when
 * all are in use) and gives it back. There are never more than the most
 * draws that ran at once. */
static GMutex lers_report_font_maps_lock;
static GSList *lers_report_font_maps;

static PangoFontMap *
lers_report_take_font_map (void)
{
  PangoFontMap *map = NULL;

  g_mutex_lock (&lers_report_font_maps_lock);
  if (lers_report_font_maps != NULL)
    {
      map = lers_report_font_maps->data;
      lers_report_font_maps = g_slist_delete_link (lers_report_font_maps, lers_report_font_maps);
    }
  g_mutex_unlock (&lers_report_font_maps_lock);
  return map != NULL ? map : pango_cairo_font_map_new ();
}

static void
lers_report_give_font_map (PangoFontMap *map)
{
  g_mutex_lock (&lers_report_font_maps_lock);
  lers_report_font_maps = g_slist_prepend (lers_report_font_maps, map);
  g_mutex_unlock (&lers_report_font_maps_lock);
}

void
lers_report_document_clear_font_maps (void)
{
  GSList *maps;

  g_mutex_lock (&lers_report_font_maps_lock);
  maps = g_steal_pointer (&lers_report_font_maps);
  g_mutex_unlock (&lers_report_font_maps_lock);
  g_slist_free_full (maps, g_object_unref);
}

static PangoLayout *
lers_report_layout_new (PangoContext *context, const gchar *text, const PangoFontDescription *font,
                        gdouble width)
{
  PangoLayout *layout = pango_layout_new (context);

  pango_layout_set_font_description (layout, font);
  if (width > 0)
    {
      /* no wider than Pango's units can say (2^21 pt, some 740 m) */
      pango_layout_set_width (layout, (gint) (MIN (width, G_MAXINT / PANGO_SCALE) * PANGO_SCALE));
      pango_layout_set_wrap (layout, PANGO_WRAP_WORD_CHAR);
    }
  pango_layout_set_text (layout, text != NULL ? text : "", -1);
  return layout;
}

/* What a PangoContext measured, kept on it: a table repeats its texts
 * ("0,00") and measures each cell twice (height of the row, then its
 * place), and shaping is most of the time a layout takes. The same
 * (font, width, text) always measures the same on one context. A wrapped
 * text keeps its glyphs too, for draw_page to draw them without shaping
 * the text again. */
typedef struct
{
  gdouble width; /* < 0: measured on one line */
  const gchar *font;
  const gchar *text;
} LersReportMeasureKey;

typedef struct
{
  LersReportMeasureKey key; /* its strings after the struct */
  gdouble size;             /* height, or width when measured on one line */
  guint lines;
  PangoRectangle ink;     /* Pango units, from the top-left corner, left-aligned */
  gint line_width;        /* of the first line, Pango units */
  LersReportShape *shape; /* its glyphs; NULL: not kept */
} LersReportMeasured;

typedef struct
{
  GHashTable *measured; /* LersReportMeasureKey → LersReportMeasured */
  gsize bytes;          /* what the measured take, about */
  GHashTable *fonts;    /* font string → PangoFontDescription */
} LersReportMeasureCache;

static guint
lers_report_measure_key_hash (gconstpointer key)
{
  const LersReportMeasureKey *k = key;

  return (g_str_hash (k->text) * 31 + g_str_hash (k->font)) * 31 + g_double_hash (&k->width);
}

static gboolean
lers_report_measure_key_equal (gconstpointer a, gconstpointer b)
{
  const LersReportMeasureKey *x = a, *y = b;

  return x->width == y->width && g_str_equal (x->text, y->text) && g_str_equal (x->font, y->font);
}

static void
lers_report_measured_free (gpointer data)
{
  LersReportMeasured *measured = data;

  lers_report_shape_free (measured->shape);
  g_free (measured);
}

static void
lers_report_measure_cache_free (gpointer data)
{
  LersReportMeasureCache *cache = data;

  g_hash_table_unref (cache->measured);
  g_hash_table_unref (cache->fonts);
  g_free (cache);
}

/* no more texts, nor bytes, than this kept on a font map (a daemon
 * measures texts without end, and has a font map for each draw it ran at
 * once) */
#define LERS_REPORT_MEASURED_MAX 20000
#define LERS_REPORT_MEASURED_BYTES (16 << 20)

/* The cache is kept on the font map when the context is set up as
 * lers_report_pango_context_new sets one up, with no matrix but one that
 * changes nothing (what one measured, the next measures the same, and one
 * thread has the map at a time); on the context itself otherwise. */
static LersReportMeasureCache *
lers_report_measure_cache_get (PangoContext *context)
{
  const PangoMatrix *matrix = pango_context_get_matrix (context);
  const PangoMatrix identity = PANGO_MATRIX_INIT;
  gboolean plain = matrix == NULL || memcmp (matrix, &identity, sizeof identity) == 0;
  GObject *owner = g_object_get_data (G_OBJECT (context), "lers-report-font-map") != NULL && plain
                       ? G_OBJECT (pango_context_get_font_map (context))
                       : G_OBJECT (context);
  LersReportMeasureCache *cache = g_object_get_data (owner, "lers-report-measured");

  if (cache != NULL
      && (g_hash_table_size (cache->measured) > LERS_REPORT_MEASURED_MAX
          || cache->bytes > LERS_REPORT_MEASURED_BYTES))
    {
      g_hash_table_remove_all (cache->measured);
      cache->bytes = 0;
    }
  if (cache == NULL)
    {
      cache = g_new0 (LersReportMeasureCache, 1);
      cache->measured
          = g_hash_table_new_full (lers_report_measure_key_hash, lers_report_measure_key_equal,
                                   NULL, lers_report_measured_free);
      cache->fonts = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                            (GDestroyNotify) pango_font_description_free);
      g_object_set_data_full (owner, "lers-report-measured", cache, lers_report_measure_cache_free);
    }
  return cache;
}

static const PangoFontDescription *
lers_report_measure_cache_font (LersReportMeasureCache *cache, const gchar *font)
{
  PangoFontDescription *desc = g_hash_table_lookup (cache->fonts, font);

  if (desc == NULL)
    {
      desc = pango_font_description_from_string (font);
      g_hash_table_insert (cache->fonts, g_strdup (font), desc);
    }
  return desc;
}

/* @width < 0: the natural width on one line; else the height wrapped at
 * @width */
static const LersReportMeasured *
lers_report_measure_in (LersReportMeasureCache *cache, PangoContext *context, const gchar *text,
                        const gchar *font, gdouble width)
{
  LersReportMeasureKey key
      = { width > 0 ? width : -1.0, font != NULL ? font : "", text != NULL ? text : "" };
  LersReportMeasured *found = g_hash_table_lookup (cache->measured, &key);
  g_autoptr (PangoLayout) layout = NULL;
  gsize font_size, text_size;
  gint w = 0, h = 0;

  if (found != NULL)
    return found;
  layout = lers_report_layout_new (context, key.text,
                                   lers_report_measure_cache_font (cache, key.font), width);
  pango_layout_get_size (layout, &w, &h);
  font_size = strlen (key.font) + 1;
  text_size = strlen (key.text) + 1;
  found = g_malloc0 (sizeof *found + font_size + text_size);
  found->key.width = key.width;
  found->key.font = memcpy ((gchar *) (found + 1), key.font, font_size);
  found->key.text = memcpy ((gchar *) (found + 1) + font_size, key.text, text_size);
  found->size = (gdouble) (width > 0 ? h : w) / PANGO_SCALE;
  found->lines = (guint) pango_layout_get_line_count (layout);
  if (width > 0)
    {
      PangoRectangle logical;

      pango_layout_get_extents (layout, &found->ink, NULL);
      pango_layout_line_get_extents (pango_layout_get_line_readonly (layout, 0), NULL, &logical);
      found->line_width = logical.width;
      found->shape = lers_report_shape_new (layout);
    }
  cache->bytes
      += sizeof *found + font_size + text_size + (found->shape != NULL ? found->shape->size : 0);
  g_hash_table_add (cache->measured, found);
  return found;
}

static const LersReportMeasured *
lers_report_measure (PangoContext *context, const gchar *text, const gchar *font, gdouble width)
{
  return lers_report_measure_in (lers_report_measure_cache_get (context), context, text, font,
                                 width);
}

gdouble
lers_report_measure_text (PangoContext *context, const gchar *text, const gchar *font,
                          gdouble width, guint *lines)
{
  const LersReportMeasured *measured;

  g_return_val_if_fail (PANGO_IS_CONTEXT (context), 0);
  if (width <= 0)
    {
      /* not wrapped (rare): the height of the one-line layout, not kept */
      LersReportMeasureCache *cache = lers_report_measure_cache_get (context);
      g_autoptr (PangoLayout) layout = lers_report_layout_new (
          context, text, lers_report_measure_cache_font (cache, font != NULL ? font : ""), -1);
      gint w = 0, h = 0;

      pango_layout_get_size (layout, &w, &h);
      if (lines != NULL)
        *lines = (guint) pango_layout_get_line_count (layout);
      return (gdouble) h / PANGO_SCALE;
    }
  measured = lers_report_measure (context, text, font, width);
  if (lines != NULL)
    *lines = measured->lines;
  return measured->size;
}

gdouble
lers_report_measure_text_width (PangoContext *context, const gchar *text, const gchar *font)
{
  g_return_val_if_fail (PANGO_IS_CONTEXT (context), 0);
  return lers_report_measure (context, text, font, -1.0)->size;
}

/* PDF, SVG, PostScript: a clip that cuts no ink changes nothing */
static gboolean
lers_report_target_is_vector (cairo_t *cr)
{
  switch (cairo_surface_get_type (cairo_get_target (cr)))
    {
    case CAIRO_SURFACE_TYPE_PDF:
    case CAIRO_SURFACE_TYPE_PS:
    case CAIRO_SURFACE_TYPE_SVG:
      return TRUE;
    default:
      return FALSE;
    }
}

/* The layouts one draw_page shaped itself (the texts whose glyphs the
 * measuring did not keep: centred on several lines, right to left, a
 * character no font has, or clipped), for the items that repeat one: a
 * PangoLayout draws the same wherever it is moved to. */
typedef struct
{
  PangoLayout *layout;
  PangoRectangle ink; /* Pango units, from the layout's top-left corner */
} LersReportShaped;

static guint
lers_report_item_text_hash (gconstpointer key)
{
  const LersReportItem *item = key;
  guint h = g_str_hash (item->text);

  h = h * 31 + pango_font_description_hash (item->font);
  h = h * 31 + (guint) item->align;
  return h * 31 + g_double_hash (&item->width);
}

static gboolean
lers_report_item_text_equal (gconstpointer a, gconstpointer b)
{
  const LersReportItem *x = a, *y = b;

  return x->width == y->width && x->align == y->align && g_str_equal (x->text, y->text)
         && pango_font_description_equal (x->font, y->font);
}

static void
lers_report_shaped_free (gpointer data)
{
  LersReportShaped *shaped = data;

  g_object_unref (shaped->layout);
  g_free (shaped);
}

/* What one draw_page has: where it draws, its Pango state, what it
 * shaped itself, what it gathered */
typedef struct
{
  cairo_t *cr;
  PangoContext *context;
  LersReportMeasureCache *measured; /* the layout's, on the font map */
  GHashTable *shaped;               /* LersReportItem → LersReportShaped */
  LersReportBatch *batch;
  gint margin; /* how far inside its box a text's ink must be to need no clip */
} LersReportDraw;

/* A clip that cuts nothing is left out (each one is a clip path in a
 * PDF): in a PDF or SVG when the glyphs' ink is inside the box; in pixels
 * when it is inside by more than a device pixel (a clip along a pixel's
 * middle would fade the pixel). */
static gint
lers_report_clip_margin (cairo_t *cr)
{
  gdouble px = 1, py = 1;

  if (lers_report_target_is_vector (cr))
    return 0;
  cairo_device_to_user_distance (cr, &px, &py);
  return (gint) ((MAX (fabs (px), fabs (py)) + 0.5) * PANGO_SCALE);
}

static gboolean
lers_report_ink_inside (const LersReportItem *item, gint margin, const PangoRectangle *ink)
{
  return ink->x >= margin && ink->y >= margin
         && ink->x + ink->width <= item->width * PANGO_SCALE - margin
         && ink->y + ink->height <= item->height * PANGO_SCALE - margin;
}

/* Where Pango puts a line of @line_width in a layout of the item's width
 * with the item's alignment (pango-layout.c, get_x_offset) */
static gint
lers_report_align_offset (const LersReportItem *item, gint line_width)
{
  gint layout_width = (gint) (MIN (item->width, G_MAXINT / PANGO_SCALE) * PANGO_SCALE);
  gint offset;

  switch (item->align)
    {
    case LERS_REPORT_TEXT_RIGHT:
      return layout_width - line_width;
    case LERS_REPORT_TEXT_CENTER:
      offset = (layout_width - line_width) / 2;
      if (((layout_width | line_width) & (PANGO_SCALE - 1)) == 0)
        offset = PANGO_UNITS_ROUND (offset);
      return offset;
    default:
      return 0;
    }
}

/* A text whose glyphs the layout's measuring kept (one line, or left
 * aligned) and that needs no clip joins the page's glyphs */
static gboolean
lers_report_draw_text_measured (LersReportDraw *draw, const LersReportItem *item)
{
  const LersReportMeasured *measured;
  PangoRectangle ink;
  gint offset;

  if (item->font_name == NULL || !(item->width > 0))
    return FALSE;
  measured = lers_report_measure_in (draw->measured, draw->context, item->text, item->font_name,
                                     item->width);
  if (measured->shape == NULL || (measured->lines > 1 && item->align != LERS_REPORT_TEXT_LEFT))
    return FALSE;
  offset = lers_report_align_offset (item, measured->line_width);
  ink = measured->ink;
  ink.x += offset;
  if (!lers_report_ink_inside (item, draw->margin, &ink))
    return FALSE;
  for (guint i = 0; i < measured->shape->n_runs; i++)
    {
      const LersReportGlyphRun *run = &measured->shape->runs[i];

      lers_report_batch_glyphs (draw->batch, run->font, item->rgb, run->glyphs, run->n_glyphs,
                                run->text, run->text_len, run->clusters, run->n_clusters,
                                item->x + (gdouble) offset / PANGO_SCALE, item->y, item->x, item->y,
                                item->width, item->height);
    }
  return TRUE;
}

static void
lers_report_draw_text (LersReportDraw *draw, const LersReportItem *item)
{
  static const PangoAlignment alignments[] = {
    [LERS_REPORT_TEXT_LEFT] = PANGO_ALIGN_LEFT,
    [LERS_REPORT_TEXT_CENTER] = PANGO_ALIGN_CENTER,
    [LERS_REPORT_TEXT_RIGHT] = PANGO_ALIGN_RIGHT,
  };
  cairo_t *cr = draw->cr;
  LersReportShaped *shaped;

  if (lers_report_draw_text_measured (draw, item))
    return;
  /* drawn by Pango now, above what was gathered */
  shaped = g_hash_table_lookup (draw->shaped, item);
  if (shaped == NULL)
    {
      shaped = g_new0 (LersReportShaped, 1);
      shaped->layout = lers_report_layout_new (draw->context, item->text, item->font, item->width);
      if ((guint) item->align < G_N_ELEMENTS (alignments))
        pango_layout_set_alignment (shaped->layout, alignments[item->align]);
      pango_layout_get_extents (shaped->layout, &shaped->ink, NULL);
      g_hash_table_insert (draw->shaped, (gpointer) item, shaped);
    }
  lers_report_batch_flush (draw->batch);
  lers_report_set_rgb (cr, item->rgb);
  if (lers_report_ink_inside (item, draw->margin, &shaped->ink))
    {
      cairo_move_to (cr, item->x, item->y);
      pango_cairo_show_layout (cr, shaped->layout);
      return;
    }
  cairo_save (cr);
  cairo_rectangle (cr, item->x, item->y, item->width, item->height);
  cairo_clip (cr);
  cairo_move_to (cr, item->x, item->y);
  pango_cairo_show_layout (cr, shaped->layout);
  cairo_restore (cr);
}

static void
lers_report_draw_image (const LersReportItem *item, cairo_t *cr)
{
  cairo_surface_t *pixels = item->image;
  gint w = cairo_image_surface_get_width (pixels);
  gint h = cairo_image_surface_get_height (pixels);
  cairo_surface_t *own;

  /* an empty box shows nothing (and would scale by 0: an error that ends
   * all drawing on @cr) */
  if (!(item->width > 0 && item->height > 0))
    return;
  /* a surface of this thread's own over the shared pixels, only read */
  own = cairo_image_surface_create_for_data (cairo_image_surface_get_data (pixels),
                                             cairo_image_surface_get_format (pixels), w, h,
                                             cairo_image_surface_get_stride (pixels));
  cairo_save (cr);
  cairo_rectangle (cr, item->x, item->y, item->width, item->height);
  cairo_clip (cr);
  cairo_translate (cr, item->x, item->y);
  cairo_scale (cr, item->width / w, item->height / h);
  cairo_set_source_surface (cr, own, 0, 0);
  cairo_pattern_set_filter (cairo_get_source (cr), CAIRO_FILTER_GOOD);
  /* the picture's edge pixels go on to the box's edges, not fade out */
  cairo_pattern_set_extend (cairo_get_source (cr), CAIRO_EXTEND_PAD);
  cairo_paint (cr);
  cairo_restore (cr);
  cairo_surface_destroy (own);
}

static gboolean
lers_report_draw_item (LersReportDraw *draw, const LersReportItem *item, GError **error)
{
  cairo_t *cr = draw->cr;
  LersReportBatch *batch = draw->batch;
  gboolean ok = TRUE;

  switch (item->kind)
    {
    case LERS_REPORT_ITEM_TEXT:
      lers_report_draw_text (draw, item);
      break;
    case LERS_REPORT_ITEM_RECT:
      if (item->has_fill)
        lers_report_batch_fill (batch, item->x, item->y, item->width, item->height, item->rgb);
      lers_report_batch_border (batch, item->x, item->y, item->width, item->height,
                                item->line_width, 0);
      break;
    case LERS_REPORT_ITEM_LINE:
      {
        const gdouble xy[] = { item->x, item->y, item->x1, item->y1 };

        lers_report_batch_polyline (batch, xy, 2, item->line_width, item->rgb,
                                    CAIRO_LINE_JOIN_MITER);
      }
      break;
    case LERS_REPORT_ITEM_POLYLINE:
      lers_report_batch_polyline (batch, item->xy, item->n_points, item->line_width, item->rgb,
                                  CAIRO_LINE_JOIN_ROUND);
      break;
    case LERS_REPORT_ITEM_IMAGE:
      lers_report_batch_flush (batch);
      lers_report_draw_image (item, cr);
      break;
    case LERS_REPORT_ITEM_DRAWING:
      lers_report_batch_flush (batch);
      cairo_save (cr);
      cairo_translate (cr, item->x, item->y);
      cairo_rectangle (cr, 0, 0, item->width, item->height);
      cairo_clip (cr);
      ok = lers_report_document_get_n_pages (item->drawing) == 0
           || lers_report_document_draw_page (item->drawing, 0, cr, error);
      cairo_restore (cr);
      break;
    default:
      g_assert_not_reached ();
    }
  return ok;
}

/**
 * lers_report_document_draw_page:
 * @self: a #LersReportDocument
 * @page: the page, from 0
 * @cr: where to draw, in points from the page's top-left corner
 * @error: return location for a #GError
 *
 * Draws page @page with Cairo and Pango, the way the layout measured it.
 * May be called from any thread, for several pages at once.
 *
 * Returns: %TRUE when the page was drawn; %FALSE with %LERS_ERROR_NOT_FOUND
 *   for a page the document does not have, or %LERS_ERROR_FAILED when @cr
 *   fails
 *
 * Since: 0.6
 */
gboolean
lers_report_document_draw_page (LersReportDocument *self, guint page, cairo_t *cr, GError **error)
{
  LersReportDraw draw = { cr };
  PangoFontMap *map;
  GPtrArray *items;
  gboolean ok = TRUE;

  g_return_val_if_fail (LERS_IS_REPORT_DOCUMENT (self), FALSE);
  g_return_val_if_fail (cr != NULL, FALSE);
  items = lers_report_document_get_page_items (self, page);
  if (items == NULL)
    {
      g_set_error (error, LERS_ERROR, LERS_ERROR_NOT_FOUND,
                   _ ("The report has no page %u (it has %u)"), page + 1,
                   lers_report_document_get_n_pages (self));
      return FALSE;
    }
  /* a font map for this draw alone, set up as lers_report_pango_context_new()
   * sets up the layout's */
  map = lers_report_take_font_map ();
  draw.context = pango_font_map_create_context (map);
  lers_report_pango_context_setup (draw.context);
  pango_cairo_update_context (cr, draw.context);
  /* what the layout measured on this font map, this draw need not shape
   * again (see lers_report_measure_cache_get); the map goes back below */
  g_object_set_data (G_OBJECT (draw.context), "lers-report-font-map", map);
  draw.measured = lers_report_measure_cache_get (draw.context);
  draw.shaped = g_hash_table_new_full (lers_report_item_text_hash, lers_report_item_text_equal,
                                       NULL, lers_report_shaped_free);
  draw.batch = lers_report_batch_new (cr);
  draw.margin = lers_report_clip_margin (cr);
  cairo_save (cr);
  for (guint i = 0; ok && i < items->len; i++)
    ok = lers_report_draw_item (&draw, g_ptr_array_index (items, i), error);
  /* the glyphs hold the fonts of the layouts: drawn before these go */
  lers_report_batch_free (draw.batch);
  cairo_restore (cr);
  g_hash_table_unref (draw.shaped);
  g_object_unref (draw.context);
  lers_report_give_font_map (map);
  if (ok && cairo_status (cr) != CAIRO_STATUS_SUCCESS)
    {
      g_set_error (error, LERS_ERROR, LERS_ERROR_FAILED, _ ("Cannot draw page %u: %s"), page + 1,
                   cairo_status_to_string (cairo_status (cr)));
      return FALSE;
    }
  return ok;
}
