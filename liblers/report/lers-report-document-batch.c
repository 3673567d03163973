/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* A page's fills, strokes and glyphs gathered and drawn a few Cairo calls at
 * a time. A table cell drawn on its own is a rectangle, a stroke and a run
 * of glyphs: for Cairo's PDF surface each call is recorded, analysed and
 * replayed, and each number of each operator printed, so a page of 700
 * cells drawn cell by cell costs five times what the same page costs drawn
 * in one show_glyphs and one stroke. The borders of neighbouring cells
 * become long lines (one line where two cells share an edge).
 *
 * What is drawn is what the items drew one by one, but for the order of
 * strokes against glyphs (they do not cover each other in a report: text
 * lies inside its cell, borders on its edges) and a fill's edge under a
 * neighbour's border (the border is drawn whole). Strokes join the last
 * group only when it has their width, colour and join, glyphs the last
 * group of their font and colour: strokes of other colours crossing stay
 * in their order, and a PDF's text stays in the items' (reading) order. A
 * fill is never drawn above what came before it and lies inside it: that
 * is drawn first. */
#include "config.h"

#include "lers-report-document-batch.h"

typedef struct
{
  gdouble x0, y0, x1, y1;
} LersReportBox;

typedef struct
{
  LersReportBox box;
  guint32 rgb;
} LersReportFill;

/* an edge of a border: along a line at @at (y across, x down), from @from
 * to @to */
typedef struct
{
  gdouble at, from, to;
} LersReportEdge;

typedef struct
{
  gdouble line_width;
  guint32 rgb;
  cairo_line_join_t join;
  GArray *across; /* LersReportEdge of borders, horizontal */
  GArray *down;   /* LersReportEdge of borders, vertical */
  GArray *paths;  /* gdouble: the number of points, then x, y each */
} LersReportStrokes;

typedef struct
{
  cairo_scaled_font_t *font;
  guint32 rgb;
  GArray *glyphs; /* cairo_glyph_t */
  /* what the glyphs show and which show which bytes (cairo_text_cluster_t);
   * NULL when each glyph is a character Cairo maps back by itself */
  GString *text;
  GArray *clusters;
} LersReportGlyphs;

struct _LersReportBatch
{
  cairo_t *cr;
  GArray *fills;   /* LersReportFill, in order */
  GArray *strokes; /* LersReportStrokes */
  GArray *glyphs;  /* LersReportGlyphs */
  GArray *above;   /* LersReportBox: where the strokes and glyphs are */
  GArray *chunks;  /* LersReportBox: around each LERS_REPORT_CHUNK of above */
};

/* a fill looks at the boxes of a chunk only when it meets the chunk's box */
#define LERS_REPORT_CHUNK 32

static void
lers_report_strokes_clear (gpointer data)
{
  LersReportStrokes *s = data;

  g_array_unref (s->across);
  g_array_unref (s->down);
  g_array_unref (s->paths);
}

static void
lers_report_glyphs_clear (gpointer data)
{
  LersReportGlyphs *g = data;

  cairo_scaled_font_destroy (g->font);
  g_array_unref (g->glyphs);
  if (g->clusters != NULL)
    {
      g_string_free (g->text, TRUE);
      g_array_unref (g->clusters);
    }
}

LersReportBatch *
lers_report_batch_new (cairo_t *cr)
{
  LersReportBatch *self = g_new0 (LersReportBatch, 1);

  self->cr = cr;
  self->fills = g_array_new (FALSE, FALSE, sizeof (LersReportFill));
  self->strokes = g_array_new (FALSE, FALSE, sizeof (LersReportStrokes));
  g_array_set_clear_func (self->strokes, lers_report_strokes_clear);
  self->glyphs = g_array_new (FALSE, FALSE, sizeof (LersReportGlyphs));
  g_array_set_clear_func (self->glyphs, lers_report_glyphs_clear);
  self->above = g_array_new (FALSE, FALSE, sizeof (LersReportBox));
  self->chunks = g_array_new (FALSE, FALSE, sizeof (LersReportBox));
  return self;
}

void
lers_report_batch_free (LersReportBatch *self)
{
  if (self == NULL)
    return;
  lers_report_batch_flush (self);
  g_array_unref (self->fills);
  g_array_unref (self->strokes);
  g_array_unref (self->glyphs);
  g_array_unref (self->above);
  g_array_unref (self->chunks);
  g_free (self);
}

void
lers_report_set_rgb (cairo_t *cr, guint32 rgb)
{
  cairo_set_source_rgb (cr, ((rgb >> 16) & 0xff) / 255.0, ((rgb >> 8) & 0xff) / 255.0,
                        (rgb & 0xff) / 255.0);
}

static gint
lers_report_edge_compare (gconstpointer a, gconstpointer b)
{
  const LersReportEdge *x = a, *y = b;

  if (x->at != y->at)
    return x->at < y->at ? -1 : 1;
  if (x->from != y->from)
    return x->from < y->from ? -1 : 1;
  return 0;
}

/* Edges on one line that meet or overlap become one (a gap narrower than
 * this many points is no gap: the sums that place neighbouring cells
 * differ in their last bits) */
#define LERS_REPORT_EDGE_SLACK 0.01

static void
lers_report_batch_path_edges (cairo_t *cr, GArray *edges, gboolean across)
{
  g_array_sort (edges, lers_report_edge_compare);
  for (guint i = 0; i < edges->len;)
    {
      LersReportEdge run = g_array_index (edges, LersReportEdge, i);

      for (i++; i < edges->len; i++)
        {
          const LersReportEdge *next = &g_array_index (edges, LersReportEdge, i);

          if (next->at != run.at || next->from > run.to + LERS_REPORT_EDGE_SLACK)
            break;
          run.to = MAX (run.to, next->to);
        }
      if (across)
        {
          cairo_move_to (cr, run.from, run.at);
          cairo_line_to (cr, run.to, run.at);
        }
      else
        {
          cairo_move_to (cr, run.at, run.from);
          cairo_line_to (cr, run.at, run.to);
        }
    }
}

static void
lers_report_batch_draw_strokes (LersReportBatch *self, LersReportStrokes *s)
{
  cairo_t *cr = self->cr;

  if (s->across->len == 0 && s->down->len == 0 && s->paths->len == 0)
    return;
  lers_report_set_rgb (cr, s->rgb);
  cairo_set_line_width (cr, s->line_width);
  if (s->across->len > 0 || s->down->len > 0)
    {
      /* square ends fill the corners a rectangle's mitred joins filled */
      lers_report_batch_path_edges (cr, s->across, TRUE);
      lers_report_batch_path_edges (cr, s->down, FALSE);
      cairo_set_line_cap (cr, CAIRO_LINE_CAP_SQUARE);
      cairo_set_line_join (cr, CAIRO_LINE_JOIN_MITER);
      cairo_stroke (cr);
    }
  if (s->paths->len > 0)
    {
      for (guint i = 0; i < s->paths->len;)
        {
          guint n = (guint) g_array_index (s->paths, gdouble, i);
          const gdouble *xy = &g_array_index (s->paths, gdouble, i + 1);

          cairo_move_to (cr, xy[0], xy[1]);
          for (guint p = 1; p < n; p++)
            cairo_line_to (cr, xy[2 * p], xy[2 * p + 1]);
          i += 1 + 2 * n;
        }
      cairo_set_line_cap (cr, CAIRO_LINE_CAP_BUTT);
      cairo_set_line_join (cr, s->join);
      cairo_stroke (cr);
    }
}

void
lers_report_batch_flush (LersReportBatch *self)
{
  cairo_t *cr = self->cr;

  if (self->fills->len == 0 && self->above->len == 0)
    return;
  cairo_save (cr);
  for (guint i = 0; i < self->fills->len; i++)
    {
      const LersReportFill *f = &g_array_index (self->fills, LersReportFill, i);

      cairo_rectangle (cr, f->box.x0, f->box.y0, f->box.x1 - f->box.x0, f->box.y1 - f->box.y0);
      if (i + 1 == self->fills->len
          || g_array_index (self->fills, LersReportFill, i + 1).rgb != f->rgb)
        {
          lers_report_set_rgb (cr, f->rgb);
          cairo_fill (cr);
        }
    }
  g_array_set_size (self->fills, 0);
  for (guint i = 0; i < self->strokes->len; i++)
    lers_report_batch_draw_strokes (self, &g_array_index (self->strokes, LersReportStrokes, i));
  for (guint i = 0; i < self->glyphs->len; i++)
    {
      LersReportGlyphs *g = &g_array_index (self->glyphs, LersReportGlyphs, i);

      cairo_set_scaled_font (cr, g->font);
      lers_report_set_rgb (cr, g->rgb);
      if (g->clusters == NULL)
        cairo_show_glyphs (cr, (cairo_glyph_t *) (gpointer) g->glyphs->data, (gint) g->glyphs->len);
      else
        {
          cairo_show_text_glyphs (
              cr, g->text->str, (gint) g->text->len, (cairo_glyph_t *) (gpointer) g->glyphs->data,
              (gint) g->glyphs->len, (cairo_text_cluster_t *) (gpointer) g->clusters->data,
              (gint) g->clusters->len, 0);
        }
    }
  g_array_set_size (self->strokes, 0);
  g_array_set_size (self->glyphs, 0);
  g_array_set_size (self->above, 0);
  g_array_set_size (self->chunks, 0);
  cairo_restore (cr);
}

static void
lers_report_batch_above (LersReportBatch *self, gdouble x0, gdouble y0, gdouble x1, gdouble y1)
{
  LersReportBox box = { MIN (x0, x1), MIN (y0, y1), MAX (x0, x1), MAX (y0, y1) };
  LersReportBox *chunk;

  if (self->above->len % LERS_REPORT_CHUNK == 0)
    g_array_append_val (self->chunks, box);
  chunk = &g_array_index (self->chunks, LersReportBox, self->chunks->len - 1);
  chunk->x0 = MIN (chunk->x0, box.x0);
  chunk->y0 = MIN (chunk->y0, box.y0);
  chunk->x1 = MAX (chunk->x1, box.x1);
  chunk->y1 = MAX (chunk->y1, box.y1);
  g_array_append_val (self->above, box);
}

/* the interiors meet (boxes that only touch do not) */
static gboolean
lers_report_box_meets (const LersReportBox *a, const LersReportBox *b)
{
  return a->x0 < b->x1 && b->x0 < a->x1 && a->y0 < b->y1 && b->y0 < a->y1;
}

static gboolean
lers_report_batch_has_above (LersReportBatch *self, const LersReportBox *box)
{
  for (guint c = 0; c < self->chunks->len; c++)
    {
      guint end = MIN (self->above->len, (c + 1) * LERS_REPORT_CHUNK);

      if (!lers_report_box_meets (&g_array_index (self->chunks, LersReportBox, c), box))
        continue;
      for (guint i = c * LERS_REPORT_CHUNK; i < end; i++)
        if (lers_report_box_meets (&g_array_index (self->above, LersReportBox, i), box))
          return TRUE;
    }
  return FALSE;
}

void
lers_report_batch_fill (LersReportBatch *self, gdouble x, gdouble y, gdouble width, gdouble height,
                        guint32 rgb)
{
  LersReportFill fill
      = { { MIN (x, x + width), MIN (y, y + height), MAX (x, x + width), MAX (y, y + height) },
          rgb };

  /* as cairo_rectangle: a negative size goes left or up */
  if (!(fill.box.x1 > fill.box.x0 && fill.box.y1 > fill.box.y0))
    return;
  /* what lies inside the box (not only on its edge) goes below it */
  if (lers_report_batch_has_above (self, &fill.box))
    lers_report_batch_flush (self);
  g_array_append_val (self->fills, fill);
}

static LersReportStrokes *
lers_report_batch_strokes (LersReportBatch *self, gdouble line_width, guint32 rgb,
                           cairo_line_join_t join)
{
  LersReportStrokes s = { line_width, rgb, join, NULL, NULL, NULL };

  /* the last group, when it is alike: strokes keep their order */
  if (self->strokes->len > 0)
    {
      LersReportStrokes *last
          = &g_array_index (self->strokes, LersReportStrokes, self->strokes->len - 1);

      if (last->line_width == line_width && last->rgb == rgb && last->join == join)
        return last;
    }
  s.across = g_array_new (FALSE, FALSE, sizeof (LersReportEdge));
  s.down = g_array_new (FALSE, FALSE, sizeof (LersReportEdge));
  s.paths = g_array_new (FALSE, FALSE, sizeof (gdouble));
  g_array_append_val (self->strokes, s);
  return &g_array_index (self->strokes, LersReportStrokes, self->strokes->len - 1);
}

/* An edge that continues one of the last two (the neighbour cell's
 * bottom, top, or side) extends it; the rest are merged when drawn */
static void
lers_report_edges_add (GArray *edges, const LersReportEdge *edge)
{
  for (guint i = edges->len; i-- > 0 && i + 2 >= edges->len;)
    {
      LersReportEdge *last = &g_array_index (edges, LersReportEdge, i);

      if (last->at == edge->at && edge->from <= last->to + LERS_REPORT_EDGE_SLACK
          && last->from <= edge->to + LERS_REPORT_EDGE_SLACK)
        {
          last->from = MIN (last->from, edge->from);
          last->to = MAX (last->to, edge->to);
          return;
        }
    }
  g_array_append_val (edges, *edge);
}

void
lers_report_batch_border (LersReportBatch *self, gdouble x, gdouble y, gdouble width,
                          gdouble height, gdouble line_width, guint32 rgb)
{
  LersReportStrokes *s;

  if (!(line_width > 0))
    return;
  /* as cairo_rectangle: a negative size goes left or up */
  if (width < 0)
    {
      x += width;
      width = -width;
    }
  if (height < 0)
    {
      y += height;
      height = -height;
    }
  /* a box with no area is a path Cairo strokes differently: as a line */
  if (!(width > 0 && height > 0))
    {
      const gdouble xy[] = { x, y, x + width, y + height };

      lers_report_batch_polyline (self, xy, 2, line_width, rgb, CAIRO_LINE_JOIN_MITER);
      return;
    }
  s = lers_report_batch_strokes (self, line_width, rgb, CAIRO_LINE_JOIN_MITER);
  {
    const LersReportEdge edges[4] = {
      { y, x, x + width },
      { y + height, x, x + width },
      { x, y, y + height },
      { x + width, y, y + height },
    };

    for (guint i = 0; i < 4; i++)
      lers_report_edges_add (i < 2 ? s->across : s->down, &edges[i]);
  }
  lers_report_batch_above (self, x, y, x + width, y);
  lers_report_batch_above (self, x, y + height, x + width, y + height);
  lers_report_batch_above (self, x, y, x, y + height);
  lers_report_batch_above (self, x + width, y, x + width, y + height);
}

void
lers_report_batch_polyline (LersReportBatch *self, const gdouble *xy, guint n_points,
                            gdouble line_width, guint32 rgb, cairo_line_join_t join)
{
  LersReportStrokes *s;
  gdouble n = n_points;
  gdouble x0 = G_MAXDOUBLE, y0 = G_MAXDOUBLE, x1 = -G_MAXDOUBLE, y1 = -G_MAXDOUBLE;

  if (n_points < 2 || !(line_width > 0))
    return;
  s = lers_report_batch_strokes (self, line_width, rgb, join);
  g_array_append_val (s->paths, n);
  g_array_append_vals (s->paths, xy, 2 * n_points);
  for (guint i = 0; i < n_points; i++)
    {
      x0 = MIN (x0, xy[2 * i]);
      x1 = MAX (x1, xy[2 * i]);
      y0 = MIN (y0, xy[2 * i + 1]);
      y1 = MAX (y1, xy[2 * i + 1]);
    }
  lers_report_batch_above (self, x0, y0, x1, y1);
}

void
lers_report_batch_glyphs (LersReportBatch *self, cairo_scaled_font_t *font, guint32 rgb,
                          const cairo_glyph_t *glyphs, guint n_glyphs, const gchar *text,
                          gsize text_len, const cairo_text_cluster_t *clusters, guint n_clusters,
                          gdouble dx, gdouble dy, gdouble x, gdouble y, gdouble width,
                          gdouble height)
{
  LersReportGlyphs *g = NULL;

  if (n_glyphs == 0)
    return;
  /* the last group, when it is alike: the text keeps the items' order */
  if (self->glyphs->len > 0)
    {
      LersReportGlyphs *last
          = &g_array_index (self->glyphs, LersReportGlyphs, self->glyphs->len - 1);

      if (last->font == font && last->rgb == rgb && (last->clusters == NULL) == (n_clusters == 0))
        g = last;
    }
  if (g == NULL)
    {
      LersReportGlyphs added = { cairo_scaled_font_reference (font), rgb,
                                 g_array_new (FALSE, FALSE, sizeof (cairo_glyph_t)), NULL, NULL };

      if (n_clusters > 0)
        {
          added.text = g_string_new (NULL);
          added.clusters = g_array_new (FALSE, FALSE, sizeof (cairo_text_cluster_t));
        }
      g_array_append_val (self->glyphs, added);
      g = &g_array_index (self->glyphs, LersReportGlyphs, self->glyphs->len - 1);
    }
  {
    guint start = g->glyphs->len;
    cairo_glyph_t *moved;

    g_array_set_size (g->glyphs, start + n_glyphs);
    moved = &g_array_index (g->glyphs, cairo_glyph_t, start);
    for (guint i = 0; i < n_glyphs; i++)
      {
        moved[i].index = glyphs[i].index;
        moved[i].x = glyphs[i].x + dx;
        moved[i].y = glyphs[i].y + dy;
      }
  }
  if (g->clusters != NULL)
    {
      g_string_append_len (g->text, text, (gssize) text_len);
      g_array_append_vals (g->clusters, clusters, n_clusters);
    }
  lers_report_batch_above (self, x, y, x + width, y + height);
}
