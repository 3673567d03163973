/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* A laid-out report: pages of drawn items, and the same content as a flow
 * of blocks (docs/report-templates.md).
 *
 * The layout builds a document in one thread; once built, nothing changes
 * it, so any number of threads may read and draw it at once
 * (lers-report-document-draw.c draws it). */
#include "config.h"

#include <string.h>

#include <glib/gi18n-lib.h>

#include "lers-error.h"
#include "lers-report-document-items.h"

typedef struct
{
  LersReportBlockKind kind;
  const gchar *band; /* interned */
  gchar *text;
  gboolean bold;
  gdouble font_size;
  LersReportTable *table;
  LersReportDocument *drawing;
  GBytes *image;
} LersReportBlock;

struct _LersReportDocument
{
  GObject parent_instance;

  gchar *title;
  gchar *language;
  gdouble page_width;
  gdouble page_height;
  GPtrArray *pages;  /* of GPtrArray of LersReportItem */
  GArray *blocks;    /* of LersReportBlock */
  GHashTable *fonts; /* font string → PangoFontDescription: add_text parses each once */
  /* the items of all pages, LERS_REPORT_ITEMS_PER_SLAB to a slab, and
   * their texts: a statement has tens of thousands, made and freed at once */
  GPtrArray *slabs;
  guint slab_used; /* in the last slab */
  GStringChunk *texts;
};

#define LERS_REPORT_ITEMS_PER_SLAB 512

/**
 * LersReportDocument:
 *
 * A laid-out report: its pages, drawn by lers_report_document_draw_page(),
 * and its content as a flow of blocks in reading order, for the formats
 * that keep text and tables rather than pages. A document never changes
 * once made, so it can be read and drawn from any thread.
 *
 * Since: 0.6
 */

G_DEFINE_FINAL_TYPE (LersReportDocument, lers_report_document, G_TYPE_OBJECT)

static void
lers_report_slab_free (gpointer pointer)
{
  LersReportItem *slab = pointer;

  /* the slab's unused items are zeroes: nothing to free */
  for (guint i = 0; i < LERS_REPORT_ITEMS_PER_SLAB; i++)
    {
      g_free (slab[i].xy);
      g_clear_pointer (&slab[i].image, cairo_surface_destroy);
      g_clear_object (&slab[i].drawing);
    }
  g_free (slab);
}

static void
lers_report_block_clear (gpointer pointer)
{
  LersReportBlock *block = pointer;

  g_free (block->text);
  g_clear_object (&block->table);
  g_clear_object (&block->drawing);
  g_clear_pointer (&block->image, g_bytes_unref);
}

static void
lers_report_document_finalize (GObject *object)
{
  LersReportDocument *self = LERS_REPORT_DOCUMENT (object);

  g_free (self->title);
  g_free (self->language);
  g_ptr_array_unref (self->pages);
  g_ptr_array_unref (self->slabs);
  g_string_chunk_free (self->texts);
  g_array_unref (self->blocks);
  g_hash_table_unref (self->fonts);
  G_OBJECT_CLASS (lers_report_document_parent_class)->finalize (object);
}

static void
lers_report_document_class_init (LersReportDocumentClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = lers_report_document_finalize;
}

static void
lers_report_document_init (LersReportDocument *self)
{
  self->pages = g_ptr_array_new_with_free_func ((GDestroyNotify) g_ptr_array_unref);
  self->blocks = g_array_new (FALSE, TRUE, sizeof (LersReportBlock));
  g_array_set_clear_func (self->blocks, lers_report_block_clear);
  self->fonts = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                       (GDestroyNotify) pango_font_description_free);
  self->slabs = g_ptr_array_new_with_free_func (lers_report_slab_free);
  self->texts = g_string_chunk_new (4096);
}

/* Internal to liblers, its tests and the benchmarks: a new, empty document
 * (no pages, no blocks) whose pages are @page_width × @page_height points. */
LersReportDocument *
lers_report_document_new (const gchar *title, const gchar *language, gdouble page_width,
                          gdouble page_height)
{
  LersReportDocument *self;

  g_return_val_if_fail (page_width > 0 && page_height > 0, NULL);
  self = g_object_new (LERS_TYPE_REPORT_DOCUMENT, NULL);
  self->title = g_strdup (title != NULL ? title : "");
  self->language = g_strdup (language != NULL ? language : "");
  self->page_width = page_width;
  self->page_height = page_height;
  return self;
}

/* ---- the page items ---- */

guint
lers_report_document_add_page (LersReportDocument *self)
{
  g_return_val_if_fail (LERS_IS_REPORT_DOCUMENT (self), 0);
  g_ptr_array_add (self->pages, g_ptr_array_new ());
  return self->pages->len - 1;
}

static LersReportItem *
lers_report_document_add_item (LersReportDocument *self, guint page, LersReportItemKind kind)
{
  LersReportItem *item;

  g_return_val_if_fail (LERS_IS_REPORT_DOCUMENT (self), NULL);
  g_return_val_if_fail (page < self->pages->len, NULL);
  if (self->slabs->len == 0 || self->slab_used == LERS_REPORT_ITEMS_PER_SLAB)
    {
      g_ptr_array_add (self->slabs, g_new0 (LersReportItem, LERS_REPORT_ITEMS_PER_SLAB));
      self->slab_used = 0;
    }
  item = (LersReportItem *) g_ptr_array_index (self->slabs, self->slabs->len - 1)
         + self->slab_used++;
  item->kind = kind;
  g_ptr_array_add (g_ptr_array_index (self->pages, page), item);
  return item;
}

void
lers_report_document_add_text (LersReportDocument *self, guint page, gdouble x, gdouble y,
                               gdouble width, gdouble height, const gchar *text, const gchar *font,
                               LersReportTextAlign align, guint32 rgb)
{
  LersReportItem *item = lers_report_document_add_item (self, page, LERS_REPORT_ITEM_TEXT);
  gpointer name = NULL, desc = NULL;

  if (item == NULL)
    return;
  font = font != NULL ? font : "";
  if (!g_hash_table_lookup_extended (self->fonts, font, &name, &desc))
    {
      name = g_strdup (font);
      desc = pango_font_description_from_string (font);
      g_hash_table_insert (self->fonts, name, desc);
    }
  item->x = x;
  item->y = y;
  item->width = width;
  item->height = height;
  /* Pango takes only UTF-8: anything else shows as U+FFFD */
  text = text != NULL ? text : "";
  if (g_utf8_validate (text, -1, NULL))
    item->text = g_string_chunk_insert (self->texts, text);
  else
    {
      g_autofree gchar *valid = g_utf8_make_valid (text, -1);

      item->text = g_string_chunk_insert (self->texts, valid);
    }
  item->font = desc;
  item->font_name = name;
  item->align = align;
  item->rgb = rgb;
}

void
lers_report_document_add_rect (LersReportDocument *self, guint page, gdouble x, gdouble y,
                               gdouble width, gdouble height, gboolean has_fill, guint32 fill_rgb,
                               gdouble border)
{
  LersReportItem *item = lers_report_document_add_item (self, page, LERS_REPORT_ITEM_RECT);

  if (item == NULL)
    return;
  item->x = x;
  item->y = y;
  item->width = width;
  item->height = height;
  item->has_fill = has_fill;
  item->rgb = fill_rgb;
  item->line_width = border;
}

void
lers_report_document_add_line (LersReportDocument *self, guint page, gdouble x0, gdouble y0,
                               gdouble x1, gdouble y1, gdouble width, guint32 rgb)
{
  LersReportItem *item = lers_report_document_add_item (self, page, LERS_REPORT_ITEM_LINE);

  if (item == NULL)
    return;
  item->x = x0;
  item->y = y0;
  item->x1 = x1;
  item->y1 = y1;
  item->line_width = width;
  item->rgb = rgb;
}

void
lers_report_document_add_polyline (LersReportDocument *self, guint page, const gdouble *xy,
                                   guint n_points, gdouble width, guint32 rgb)
{
  LersReportItem *item;

  g_return_if_fail (xy != NULL || n_points == 0);
  item = lers_report_document_add_item (self, page, LERS_REPORT_ITEM_POLYLINE);
  if (item == NULL)
    return;
  item->xy = g_memdup2 (xy, sizeof (gdouble) * 2 * n_points);
  item->n_points = n_points;
  item->line_width = width;
  item->rgb = rgb;
}

typedef struct
{
  const guint8 *data;
  gsize size;
  gsize offset;
} LersReportPngReader;

static cairo_status_t
lers_report_png_read (void *closure, unsigned char *data, unsigned int length)
{
  LersReportPngReader *reader = closure;

  if (length > reader->size - reader->offset)
    return CAIRO_STATUS_READ_ERROR;
  memcpy (data, reader->data + reader->offset, length);
  reader->offset += length;
  return CAIRO_STATUS_SUCCESS;
}

gboolean
lers_report_document_add_image (LersReportDocument *self, guint page, gdouble x, gdouble y,
                                gdouble width, gdouble height, GBytes *png, GError **error)
{
  LersReportPngReader reader = { 0 };
  cairo_surface_t *surface;
  LersReportItem *item;

  g_return_val_if_fail (LERS_IS_REPORT_DOCUMENT (self), FALSE);
  g_return_val_if_fail (page < self->pages->len, FALSE);
  g_return_val_if_fail (png != NULL, FALSE);
  reader.data = g_bytes_get_data (png, &reader.size);
  surface = cairo_image_surface_create_from_png_stream (lers_report_png_read, &reader);
  if (cairo_surface_status (surface) != CAIRO_STATUS_SUCCESS
      || cairo_image_surface_get_width (surface) <= 0
      || cairo_image_surface_get_height (surface) <= 0)
    {
      g_set_error (error, LERS_ERROR, LERS_ERROR_INVALID_DATA, _ ("The image is not a PNG: %s"),
                   cairo_status_to_string (cairo_surface_status (surface)));
      cairo_surface_destroy (surface);
      return FALSE;
    }
  cairo_surface_flush (surface);
  item = lers_report_document_add_item (self, page, LERS_REPORT_ITEM_IMAGE);
  item->x = x;
  item->y = y;
  item->width = width;
  item->height = height;
  item->image = surface;
  return TRUE;
}

void
lers_report_document_add_drawing (LersReportDocument *self, guint page, gdouble x, gdouble y,
                                  LersReportDocument *drawing)
{
  LersReportItem *item;

  g_return_if_fail (LERS_IS_REPORT_DOCUMENT (drawing));
  g_return_if_fail (drawing != self);
  item = lers_report_document_add_item (self, page, LERS_REPORT_ITEM_DRAWING);
  if (item == NULL)
    return;
  item->x = x;
  item->y = y;
  item->width = drawing->page_width;
  item->height = drawing->page_height;
  item->drawing = g_object_ref (drawing);
}

/* ---- the flow ---- */

static LersReportBlock *
lers_report_document_append_block (LersReportDocument *self, LersReportBlockKind kind,
                                   const gchar *band)
{
  LersReportBlock block = { 0 };

  block.kind = kind;
  block.band = g_intern_string (band != NULL ? band : "body");
  g_array_append_val (self->blocks, block);
  return &g_array_index (self->blocks, LersReportBlock, self->blocks->len - 1);
}

void
lers_report_document_append_text_block (LersReportDocument *self, const gchar *band,
                                        const gchar *text, gboolean bold, gdouble font_size)
{
  LersReportBlock *block;

  g_return_if_fail (LERS_IS_REPORT_DOCUMENT (self));
  block = lers_report_document_append_block (self, LERS_REPORT_BLOCK_TEXT, band);
  block->text = g_strdup (text != NULL ? text : "");
  block->bold = bold;
  block->font_size = font_size;
}

void
lers_report_document_append_table_block (LersReportDocument *self, const gchar *band,
                                         LersReportTable *table)
{
  g_return_if_fail (LERS_IS_REPORT_DOCUMENT (self));
  g_return_if_fail (LERS_IS_REPORT_TABLE (table));
  lers_report_document_append_block (self, LERS_REPORT_BLOCK_TABLE, band)->table
      = g_object_ref (table);
}

void
lers_report_document_append_drawing_block (LersReportDocument *self, const gchar *band,
                                           LersReportDocument *drawing)
{
  g_return_if_fail (LERS_IS_REPORT_DOCUMENT (self));
  g_return_if_fail (LERS_IS_REPORT_DOCUMENT (drawing) && drawing != self);
  lers_report_document_append_block (self, LERS_REPORT_BLOCK_CHART, band)->drawing
      = g_object_ref (drawing);
}

void
lers_report_document_append_image_block (LersReportDocument *self, const gchar *band, GBytes *png)
{
  g_return_if_fail (LERS_IS_REPORT_DOCUMENT (self));
  g_return_if_fail (png != NULL);
  lers_report_document_append_block (self, LERS_REPORT_BLOCK_IMAGE, band)->image
      = g_bytes_ref (png);
}

void
lers_report_document_append_page_break (LersReportDocument *self)
{
  g_return_if_fail (LERS_IS_REPORT_DOCUMENT (self));
  lers_report_document_append_block (self, LERS_REPORT_BLOCK_PAGE_BREAK, "body");
}

/* ---- reading ---- */

/**
 * lers_report_document_get_title:
 * @self: a #LersReportDocument
 *
 * Returns: the report's title (a PDF's Title), possibly empty
 *
 * Since: 0.6
 */
const gchar *
lers_report_document_get_title (LersReportDocument *self)
{
  g_return_val_if_fail (LERS_IS_REPORT_DOCUMENT (self), NULL);
  return self->title;
}

/**
 * lers_report_document_get_language:
 * @self: a #LersReportDocument
 *
 * Returns: the language the report was laid out in (`ru`, `en`)
 *
 * Since: 0.6
 */
const gchar *
lers_report_document_get_language (LersReportDocument *self)
{
  g_return_val_if_fail (LERS_IS_REPORT_DOCUMENT (self), NULL);
  return self->language;
}

/**
 * lers_report_document_get_page_size:
 * @self: a #LersReportDocument
 * @width: (out) (optional): the page's width in points (1/72 in)
 * @height: (out) (optional): the page's height in points
 *
 * Every page of a document has the same size.
 *
 * Since: 0.6
 */
void
lers_report_document_get_page_size (LersReportDocument *self, gdouble *width, gdouble *height)
{
  g_return_if_fail (LERS_IS_REPORT_DOCUMENT (self));
  if (width != NULL)
    *width = self->page_width;
  if (height != NULL)
    *height = self->page_height;
}

/**
 * lers_report_document_get_n_pages:
 * @self: a #LersReportDocument
 *
 * Returns: how many pages the layout made
 *
 * Since: 0.6
 */
guint
lers_report_document_get_n_pages (LersReportDocument *self)
{
  g_return_val_if_fail (LERS_IS_REPORT_DOCUMENT (self), 0);
  return self->pages->len;
}

GPtrArray *
lers_report_document_get_page_items (LersReportDocument *self, guint page)
{
  g_return_val_if_fail (LERS_IS_REPORT_DOCUMENT (self), NULL);
  return page < self->pages->len ? g_ptr_array_index (self->pages, page) : NULL;
}

/**
 * lers_report_document_get_n_blocks:
 * @self: a #LersReportDocument
 *
 * Returns: how many blocks the document's flow has
 *
 * Since: 0.6
 */
guint
lers_report_document_get_n_blocks (LersReportDocument *self)
{
  g_return_val_if_fail (LERS_IS_REPORT_DOCUMENT (self), 0);
  return self->blocks->len;
}

static const LersReportBlock *
lers_report_document_get_block (LersReportDocument *self, guint block)
{
  g_return_val_if_fail (LERS_IS_REPORT_DOCUMENT (self), NULL);
  g_return_val_if_fail (block < self->blocks->len, NULL);
  return &g_array_index (self->blocks, LersReportBlock, block);
}

/**
 * lers_report_document_get_block_kind:
 * @self: a #LersReportDocument
 * @block: a block, from 0
 *
 * Returns: what the block holds
 *
 * Since: 0.6
 */
LersReportBlockKind
lers_report_document_get_block_kind (LersReportDocument *self, guint block)
{
  const LersReportBlock *b = lers_report_document_get_block (self, block);

  return b != NULL ? b->kind : LERS_REPORT_BLOCK_PAGE_BREAK;
}

/**
 * lers_report_document_get_block_text:
 * @self: a #LersReportDocument
 * @block: a block of kind %LERS_REPORT_BLOCK_TEXT
 *
 * Returns: (nullable): the paragraph's text, %NULL for a block of another kind
 *
 * Since: 0.6
 */
const gchar *
lers_report_document_get_block_text (LersReportDocument *self, guint block)
{
  const LersReportBlock *b = lers_report_document_get_block (self, block);

  return b != NULL ? b->text : NULL;
}

/**
 * lers_report_document_get_block_bold:
 * @self: a #LersReportDocument
 * @block: a block of kind %LERS_REPORT_BLOCK_TEXT
 *
 * Returns: whether the paragraph's font is bold
 *
 * Since: 0.6
 */
gboolean
lers_report_document_get_block_bold (LersReportDocument *self, guint block)
{
  const LersReportBlock *b = lers_report_document_get_block (self, block);

  return b != NULL && b->bold;
}

/**
 * lers_report_document_get_block_font_size:
 * @self: a #LersReportDocument
 * @block: a block of kind %LERS_REPORT_BLOCK_TEXT
 *
 * Returns: the paragraph's font size in points, 0 for a block of another kind
 *
 * Since: 0.6
 */
gdouble
lers_report_document_get_block_font_size (LersReportDocument *self, guint block)
{
  const LersReportBlock *b = lers_report_document_get_block (self, block);

  return b != NULL ? b->font_size : 0;
}

/**
 * lers_report_document_get_block_table:
 * @self: a #LersReportDocument
 * @block: a block of kind %LERS_REPORT_BLOCK_TABLE
 *
 * Returns: (transfer none): the table
 *
 * Since: 0.6
 */
LersReportTable *
lers_report_document_get_block_table (LersReportDocument *self, guint block)
{
  const LersReportBlock *b = lers_report_document_get_block (self, block);

  return b != NULL ? b->table : NULL;
}

/**
 * lers_report_document_get_block_drawing:
 * @self: a #LersReportDocument
 * @block: a block of kind %LERS_REPORT_BLOCK_CHART
 *
 * Returns: (transfer none): the chart, as a one-page document
 *
 * Since: 0.6
 */
LersReportDocument *
lers_report_document_get_block_drawing (LersReportDocument *self, guint block)
{
  const LersReportBlock *b = lers_report_document_get_block (self, block);

  return b != NULL ? b->drawing : NULL;
}

/**
 * lers_report_document_get_block_image:
 * @self: a #LersReportDocument
 * @block: a block of kind %LERS_REPORT_BLOCK_IMAGE
 *
 * Returns: (transfer none) (nullable): the picture's PNG bytes, %NULL for a
 *   block of another kind
 *
 * Since: 0.6
 */
GBytes *
lers_report_document_get_block_image (LersReportDocument *self, guint block)
{
  const LersReportBlock *b = lers_report_document_get_block (self, block);

  return b != NULL ? b->image : NULL;
}

/**
 * lers_report_document_get_block_band:
 * @self: a #LersReportDocument
 * @block: a block, from 0
 *
 * Returns: which part of the report the block came from: `report-header`,
 *   `body` or `summary`
 *
 * Since: 0.6
 */
const gchar *
lers_report_document_get_block_band (LersReportDocument *self, guint block)
{
  const LersReportBlock *b = lers_report_document_get_block (self, block);

  return b != NULL ? b->band : NULL;
}
