/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Laying a report out into pages and a flow: the page frame (report
 * header, page headers and footers, page numbers), the bands in order,
 * paragraphs wrapped with Pango, pictures and spacers. Tables are in
 * lers-report-layout-table.c, charts in lers-report-chart.c. */
#include "config.h"

#include <cairo.h>
#include <glib/gi18n-lib.h>
#include <string.h>

#include "lers-error.h"
#include "lers-report-layout-private.h"

/* the fewest lines of a paragraph split across pages left on either page */
#define LERS_REPORT_MIN_LINES 2

static gboolean
lers_report_layout_resolve (gpointer user_data, const LersReportField *field, guint row,
                            LersReportValue *value, GError **error)
{
  LersReportLayout *layout = user_data;
  LersReportRows rows = layout->rows;

  if (field->scope == LERS_REPORT_FIELD_PAGE)
    {
      lers_report_value_clear (value);
      if (field->id == LERS_REPORT_FIELD_ID_PAGE_COUNT)
        lers_report_value_set_number (value, layout->page_count);
      else
        lers_report_value_set_number (value, layout->page_number);
      return TRUE;
    }
  if (rows == LERS_REPORT_ROWS_NONE && field->scope == LERS_REPORT_FIELD_ROW)
    rows = layout->outside_rows;
  return layout->binding->resolve (layout->binding->user_data, rows, field, row, layout->language,
                                   value, error);
}

void
lers_report_layout_init_context (LersReportLayout *layout, LersReportContext *context, guint row,
                                 guint first, guint end)
{
  context->resolve = lers_report_layout_resolve;
  context->user_data = layout;
  context->row = row;
  context->first = first;
  context->end = end;
  context->language = layout->language;
  context->zone = layout->zone;
  context->strings = layout->strings;
}

gboolean
lers_report_layout_eval (LersReportLayout *layout, const LersReportExpr *expr, guint row,
                         guint first, guint end, LersReportValue *value, GError **error)
{
  LersReportContext context;

  lers_report_layout_init_context (layout, &context, row, first, end);
  return lers_report_expr_eval (expr, &context, value, error);
}

gchar *
lers_report_layout_eval_text (LersReportLayout *layout, const LersReportExpr *expr,
                              const gchar *format, guint row, guint first, guint end,
                              GError **error)
{
  LersReportValue value = LERS_REPORT_VALUE_INIT;
  gchar *text;

  if (expr == NULL)
    return g_strdup ("");
  if (!lers_report_layout_eval (layout, expr, row, first, end, &value, error))
    {
      lers_report_value_clear (&value);
      return NULL;
    }
  text = lers_report_value_format (&value, format, layout->language, layout->zone);
  lers_report_value_clear (&value);
  return text;
}

/* the rows an expression outside any table sees */
static guint
lers_report_layout_outside_end (LersReportLayout *layout)
{
  if (layout->outside_rows == LERS_REPORT_ROWS_NONE)
    return 0;
  return layout->binding->n_rows (layout->binding->user_data, layout->outside_rows);
}

const LersReportStyle *
lers_report_layout_style (LersReportLayout *layout, const LersReportStyle *style,
                          const LersReportStyle *fallback)
{
  if (style != NULL)
    return style;
  if (fallback != NULL)
    return fallback;
  return layout->default_style;
}

/* What a font string says, parsed once (a table asks it per cell): font
 * string → its bold form and whether it is bold. Templates have few fonts;
 * the table lives as long as the process. */
typedef struct
{
  gchar *bold;
  gboolean is_bold;
} LersReportFontFacts;

static GMutex lers_report_font_facts_lock;
static GHashTable *lers_report_font_facts;

static const LersReportFontFacts *
lers_report_font_facts_get (const gchar *font)
{
  LersReportFontFacts *facts;

  font = font != NULL ? font : "";
  g_mutex_lock (&lers_report_font_facts_lock);
  if (lers_report_font_facts == NULL)
    lers_report_font_facts = g_hash_table_new (g_str_hash, g_str_equal);
  facts = g_hash_table_lookup (lers_report_font_facts, font);
  if (facts == NULL)
    {
      g_autoptr (PangoFontDescription) desc = pango_font_description_from_string (font);

      facts = g_new0 (LersReportFontFacts, 1);
      facts->is_bold = pango_font_description_get_weight (desc) >= PANGO_WEIGHT_BOLD;
      pango_font_description_set_weight (desc, PANGO_WEIGHT_BOLD);
      facts->bold = pango_font_description_to_string (desc);
      g_hash_table_insert (lers_report_font_facts, g_strdup (font), facts);
    }
  g_mutex_unlock (&lers_report_font_facts_lock);
  return facts;
}

gchar *
lers_report_font_bold (const gchar *font)
{
  return g_strdup (lers_report_font_facts_get (font)->bold);
}

const gchar *
lers_report_font_bold_kept (const gchar *font)
{
  return lers_report_font_facts_get (font)->bold;
}

typedef struct
{
  const gchar *font;
  gdouble width;
} LersReportMeasureKey;

static guint
lers_report_measure_key_hash (gconstpointer data)
{
  const LersReportMeasureKey *key = data;

  return g_direct_hash (key->font) ^ g_double_hash (&key->width);
}

static gboolean
lers_report_measure_key_equal (gconstpointer a, gconstpointer b)
{
  const LersReportMeasureKey *x = a, *y = b;

  return x->font == y->font && x->width == y->width;
}

gdouble
lers_report_layout_measure (LersReportLayout *layout, const gchar *text, const gchar *font,
                            gdouble width)
{
  LersReportMeasureKey key = { font, width };
  GHashTable *texts;
  gdouble *height;

  if (width <= 0 || font == NULL)
    return lers_report_measure_text (layout->pango, text, font, width, NULL);
  text = text != NULL ? text : "";
  if (layout->measured_texts != NULL && layout->measured_font == font
      && layout->measured_width == width)
    texts = layout->measured_texts;
  else
    {
      texts = g_hash_table_lookup (layout->measured, &key);
      if (texts == NULL)
        {
          texts = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
          g_hash_table_insert (layout->measured, g_memdup2 (&key, sizeof key), texts);
        }
      layout->measured_font = font;
      layout->measured_width = width;
      layout->measured_texts = texts;
    }
  height = g_hash_table_lookup (texts, text);
  if (height == NULL)
    {
      height = g_new (gdouble, 1);
      *height = lers_report_measure_text (layout->pango, text, font, width, NULL);
      g_hash_table_insert (texts, g_strdup (text), height);
    }
  return *height;
}

gboolean
lers_report_font_is_bold (const gchar *font)
{
  return lers_report_font_facts_get (font)->is_bold;
}

static gdouble
lers_report_font_size (const gchar *font)
{
  g_autoptr (PangoFontDescription) desc = pango_font_description_from_string (font);
  gint size = pango_font_description_get_size (desc);

  return size > 0 ? (gdouble) size / PANGO_SCALE : 9.0;
}

LersReportTextAlign
lers_report_text_align (LersReportAlign align)
{
  switch (align)
    {
    case LERS_REPORT_ALIGN_CENTER:
      return LERS_REPORT_TEXT_CENTER;
    case LERS_REPORT_ALIGN_RIGHT:
      return LERS_REPORT_TEXT_RIGHT;
    case LERS_REPORT_ALIGN_LEFT:
    default:
      return LERS_REPORT_TEXT_LEFT;
    }
}

gboolean
lers_report_layout_check_cancelled (LersReportLayout *layout, GError **error)
{
  if (layout->cancellable != NULL && g_cancellable_is_cancelled (layout->cancellable))
    {
      g_set_error_literal (error, LERS_ERROR, LERS_ERROR_CANCELLED, _ ("The report was cancelled"));
      return TRUE;
    }
  return FALSE;
}

void
lers_report_layout_new_page (LersReportLayout *layout)
{
  const LersReportPageSetup *page = layout->page;
  gdouble header_y = page->margin_top;

  layout->page_index = lers_report_document_add_page (layout->document);
  layout->page_number = layout->page_index + 1;
  g_array_append_val (layout->header_y, header_y);
  layout->y = page->margin_top + layout->header_height;
  layout->bottom = page->height - page->margin_bottom - layout->footer_height;
  layout->page_empty = TRUE;
}

void
lers_report_layout_ensure_room (LersReportLayout *layout, gdouble height)
{
  if (layout->y + height > layout->bottom + 0.001 && !layout->page_empty)
    lers_report_layout_new_page (layout);
}

/* A paragraph at the cursor: moved whole to the next page when it does not
 * fit; split only when it is taller than a whole page, and then never with
 * a single line on either side of the break. */
static void
lers_report_layout_paragraph (LersReportLayout *layout, const gchar *text,
                              const LersReportStyle *style, gdouble width)
{
  g_autoptr (PangoLayout) pl = NULL;
  g_autoptr (PangoFontDescription) desc = NULL;
  PangoLayoutIter *iter;
  g_autoptr (GArray) tops = g_array_new (FALSE, FALSE, sizeof (gdouble));
  g_autoptr (GArray) starts = g_array_new (FALSE, FALSE, sizeof (gint));
  LersReportTextAlign align = lers_report_text_align (style->align);
  gdouble x = layout->page->margin_left;
  gdouble pad = style->padding;
  gdouble height = lers_report_measure_text (layout->pango, text, style->font, width, NULL);
  gdouble page_room;
  guint n_lines;
  guint line = 0;
  gdouble total;

  if (style->align == LERS_REPORT_ALIGN_RIGHT)
    x = layout->page->margin_left + layout->content_width - width;
  else if (style->align == LERS_REPORT_ALIGN_CENTER)
    x = layout->page->margin_left + (layout->content_width - width) / 2;

  lers_report_layout_ensure_room (layout, height + 2 * pad);
  if (layout->y + height + 2 * pad <= layout->bottom + 0.001)
    {
      lers_report_document_add_text (layout->document, layout->page_index, x, layout->y + pad,
                                     width, height, text, style->font, align, style->color);
      layout->y += height + 2 * pad;
      layout->page_empty = FALSE;
      return;
    }

  /* taller than a page: break it between lines */
  pl = pango_layout_new (layout->pango);
  desc = pango_font_description_from_string (style->font);
  pango_layout_set_font_description (pl, desc);
  pango_layout_set_width (pl, (gint) (width * PANGO_SCALE));
  pango_layout_set_wrap (pl, PANGO_WRAP_WORD_CHAR);
  pango_layout_set_text (pl, text, -1);
  iter = pango_layout_get_iter (pl);
  do
    {
      PangoRectangle logical;
      gdouble top;
      gint start = pango_layout_iter_get_line_readonly (iter)->start_index;

      pango_layout_iter_get_line_extents (iter, NULL, &logical);
      top = (gdouble) logical.y / PANGO_SCALE;
      g_array_append_val (tops, top);
      g_array_append_val (starts, start);
    }
  while (pango_layout_iter_next_line (iter));
  pango_layout_iter_free (iter);
  n_lines = tops->len;
  {
    PangoRectangle logical;
    pango_layout_get_extents (pl, NULL, &logical);
    total = (gdouble) logical.height / PANGO_SCALE;
  }
  g_array_append_val (tops, total);
  {
    gint end = (gint) strlen (text);
    g_array_append_val (starts, end);
  }

  while (line < n_lines)
    {
      guint last = line;
      gdouble base = g_array_index (tops, gdouble, line);
      g_autofree gchar *part = NULL;
      gint from;
      gint to;

      page_room = layout->bottom - layout->y - 2 * pad;
      while (last < n_lines && g_array_index (tops, gdouble, last + 1) - base <= page_room + 0.001)
        last++;
      /* [line, last) fit here */
      if (last < n_lines)
        {
          if (last - line < LERS_REPORT_MIN_LINES && !layout->page_empty)
            {
              lers_report_layout_new_page (layout);
              continue;
            }
          if (n_lines - last < LERS_REPORT_MIN_LINES && last - line > LERS_REPORT_MIN_LINES)
            last = n_lines - LERS_REPORT_MIN_LINES;
          if (last == line)
            last = line + 1; /* a single line taller than the page */
        }
      from = g_array_index (starts, gint, line);
      to = g_array_index (starts, gint, last);
      part = g_strndup (text + from, to - from);
      g_strchomp (part);
      height = g_array_index (tops, gdouble, last) - base;
      lers_report_document_add_text (layout->document, layout->page_index, x, layout->y + pad,
                                     width, height, part, style->font, align, style->color);
      layout->y += height + 2 * pad;
      layout->page_empty = FALSE;
      line = last;
      if (line < n_lines)
        lers_report_layout_new_page (layout);
    }
}

/* a PNG's size in points when the template gives none (96 px an inch) */
static gboolean
lers_report_image_size (GBytes *png, gdouble *width, gdouble *height, GError **error)
{
  gsize size;
  const guchar *data = g_bytes_get_data (png, &size);
  guint32 w;
  guint32 h;

  if (size < 24 || memcmp (data, "\x89PNG\r\n\x1a\n", 8) != 0 || memcmp (data + 12, "IHDR", 4) != 0)
    {
      g_set_error_literal (error, LERS_ERROR, LERS_ERROR_INVALID_DATA,
                           _ ("The image is not a PNG picture"));
      return FALSE;
    }
  w = ((guint32) data[16] << 24) | ((guint32) data[17] << 16) | ((guint32) data[18] << 8)
      | data[19];
  h = ((guint32) data[20] << 24) | ((guint32) data[21] << 16) | ((guint32) data[22] << 8)
      | data[23];
  if (*width <= 0 && *height <= 0)
    {
      *width = w * 0.75;
      *height = h * 0.75;
    }
  else if (*width <= 0)
    *width = w > 0 && h > 0 ? *height * w / h : *height;
  else if (*height <= 0)
    *height = w > 0 && h > 0 ? *width * h / w : *width;
  return TRUE;
}

static gboolean
lers_report_layout_element_shown (LersReportLayout *layout, const LersReportElement *element,
                                  gboolean *shown, GError **error)
{
  LersReportValue value = LERS_REPORT_VALUE_INIT;

  *shown = TRUE;
  if (element->when == NULL)
    return TRUE;
  if (!lers_report_layout_eval (layout, element->when, 0, 0,
                                lers_report_layout_outside_end (layout), &value, error))
    {
      lers_report_value_clear (&value);
      return FALSE;
    }
  *shown = lers_report_value_is_true (&value);
  lers_report_value_clear (&value);
  return TRUE;
}

static gboolean
lers_report_layout_image (LersReportLayout *layout, const LersReportElement *element, gboolean flow,
                          GError **error)
{
  gdouble width = element->image_width;
  gdouble height = element->image_height;
  gdouble x = layout->page->margin_left;

  if (element->image == NULL)
    return TRUE;
  if (!lers_report_image_size (element->image, &width, &height, error))
    return FALSE;
  if (flow)
    lers_report_layout_ensure_room (layout, height);
  if (element->style != NULL && element->style->align == LERS_REPORT_ALIGN_RIGHT)
    x += layout->content_width - width;
  else if (element->style != NULL && element->style->align == LERS_REPORT_ALIGN_CENTER)
    x += (layout->content_width - width) / 2;
  if (!lers_report_document_add_image (layout->document, layout->page_index, x, layout->y, width,
                                       height, element->image, error))
    return FALSE;
  layout->y += height;
  layout->page_empty = FALSE;
  if (flow)
    lers_report_document_append_image_block (layout->document, layout->band, element->image);
  return TRUE;
}

static gboolean
lers_report_layout_band (LersReportLayout *layout, const LersReportBand *band, const gchar *name,
                         GError **error)
{
  const LersReportStyle *band_style;

  if (band == NULL)
    return TRUE;
  band_style = lers_report_layout_style (layout, band->style, NULL);
  layout->band = name;
  for (guint i = 0; i < band->elements->len; i++)
    {
      const LersReportElement *element = g_ptr_array_index (band->elements, i);
      const LersReportStyle *style = lers_report_layout_style (layout, element->style, band_style);
      gboolean shown;

      if (lers_report_layout_check_cancelled (layout, error))
        return FALSE;
      if (!lers_report_layout_element_shown (layout, element, &shown, error))
        return FALSE;
      if (!shown)
        continue;
      switch (element->kind)
        {
        case LERS_REPORT_ELEMENT_TEXT:
          {
            g_autofree gchar *text = NULL;
            gdouble width = element->width > 0 ? MIN (element->width, layout->content_width)
                                               : layout->content_width;

            text = lers_report_layout_eval_text (layout, element->text, NULL, 0, 0,
                                                 lers_report_layout_outside_end (layout), error);
            if (text == NULL)
              return FALSE;
            lers_report_layout_paragraph (layout, text, style, width);
            lers_report_document_append_text_block (layout->document, name, text,
                                                    lers_report_font_is_bold (style->font),
                                                    lers_report_font_size (style->font));
            break;
          }
        case LERS_REPORT_ELEMENT_TABLE:
          if (element->table != NULL && !lers_report_layout_table (layout, element->table, error))
            return FALSE;
          break;
        case LERS_REPORT_ELEMENT_CHART:
          {
            g_autoptr (LersReportDocument) drawing = NULL;

            if (element->chart == NULL)
              break;
            drawing
                = lers_report_layout_chart (layout, element->chart, layout->content_width, error);
            if (drawing == NULL)
              return FALSE;
            lers_report_layout_ensure_room (layout, element->chart->height);
            lers_report_document_add_drawing (layout->document, layout->page_index,
                                              layout->page->margin_left, layout->y, drawing);
            layout->y += element->chart->height;
            layout->page_empty = FALSE;
            lers_report_document_append_drawing_block (layout->document, name, drawing);
            break;
          }
        case LERS_REPORT_ELEMENT_IMAGE:
          if (!lers_report_layout_image (layout, element, TRUE, error))
            return FALSE;
          break;
        case LERS_REPORT_ELEMENT_SPACER:
          if (layout->y + element->image_height > layout->bottom)
            lers_report_layout_new_page (layout);
          else
            {
              layout->y += element->image_height;
              layout->page_empty = FALSE;
            }
          break;
        case LERS_REPORT_ELEMENT_PAGE_BREAK:
          lers_report_layout_new_page (layout);
          lers_report_document_append_page_break (layout->document);
          break;
        default:
          break;
        }
    }
  return TRUE;
}

/* A page header or footer at the cursor of page @layout->page_index:
 * text, pictures and spacers (tables and charts belong in the body). With
 * @measure, nothing is drawn: the cursor only moves. */
static gboolean
lers_report_layout_page_band (LersReportLayout *layout, const LersReportBand *band,
                              gboolean measure, GError **error)
{
  const LersReportStyle *band_style;

  if (band == NULL)
    return TRUE;
  band_style = lers_report_layout_style (layout, band->style, NULL);
  for (guint i = 0; i < band->elements->len; i++)
    {
      const LersReportElement *element = g_ptr_array_index (band->elements, i);
      const LersReportStyle *style = lers_report_layout_style (layout, element->style, band_style);
      gboolean shown;

      if (!lers_report_layout_element_shown (layout, element, &shown, error))
        return FALSE;
      if (!shown)
        continue;
      if (element->kind == LERS_REPORT_ELEMENT_TEXT)
        {
          g_autofree gchar *text = NULL;
          gdouble width = element->width > 0 ? MIN (element->width, layout->content_width)
                                             : layout->content_width;
          gdouble height;
          gdouble x = layout->page->margin_left;

          text = lers_report_layout_eval_text (layout, element->text, NULL, 0, 0,
                                               lers_report_layout_outside_end (layout), error);
          if (text == NULL)
            return FALSE;
          height = lers_report_measure_text (layout->pango, text, style->font, width, NULL);
          if (style->align == LERS_REPORT_ALIGN_RIGHT)
            x += layout->content_width - width;
          else if (style->align == LERS_REPORT_ALIGN_CENTER)
            x += (layout->content_width - width) / 2;
          if (!measure)
            lers_report_document_add_text (
                layout->document, layout->page_index, x, layout->y + style->padding, width, height,
                text, style->font, lers_report_text_align (style->align), style->color);
          layout->y += height + 2 * style->padding;
        }
      else if (element->kind == LERS_REPORT_ELEMENT_IMAGE)
        {
          gdouble width = element->image_width;
          gdouble height = element->image_height;

          if (element->image == NULL)
            continue;
          if (measure)
            {
              if (!lers_report_image_size (element->image, &width, &height, error))
                return FALSE;
              layout->y += height;
            }
          else if (!lers_report_layout_image (layout, element, FALSE, error))
            return FALSE;
        }
      else if (element->kind == LERS_REPORT_ELEMENT_SPACER)
        layout->y += element->image_height;
    }
  return TRUE;
}

static gdouble
lers_report_layout_measure_page_band (LersReportLayout *layout, const LersReportBand *band,
                                      GError **error)
{
  layout->y = 0;
  if (!lers_report_layout_page_band (layout, band, TRUE, error))
    return -1;
  return layout->y;
}

/* the report's rows outside tables: the archive when the template uses it,
 * else the first source it uses */
static LersReportRows
lers_report_layout_pick_outside_rows (LersReportTemplate *template_)
{
  guint used = lers_report_template_get_rows_used (template_);

  if (used & (1u << LERS_REPORT_ROWS_ARCHIVE))
    return LERS_REPORT_ROWS_ARCHIVE;
  for (guint rows = LERS_REPORT_ROWS_ARCHIVE; rows <= LERS_REPORT_ROWS_READINGS; rows++)
    if (used & (1u << rows))
      return rows;
  return LERS_REPORT_ROWS_ARCHIVE;
}

/* whether a band of the flow shows PageNumber or PageCount: then the
 * layout runs twice, the second time knowing the page count */
static gboolean
lers_report_band_uses_page (const LersReportBand *band)
{
  for (guint i = 0; band != NULL && i < band->elements->len; i++)
    {
      const LersReportElement *element = g_ptr_array_index (band->elements, i);

      if (element->kind == LERS_REPORT_ELEMENT_TEXT && element->text != NULL
          && lers_report_expr_uses_page (element->text))
        return TRUE;
    }
  return FALSE;
}

/* One layout of the whole report; @page_count is what PageCount shows in
 * the flow (the page bands always get the real count). */
static LersReportDocument *
lers_report_layout_pass (LersReportTemplate *template_, const LersReportBinding *binding,
                         const gchar *language, guint page_count, GCancellable *cancellable,
                         GError **error)
{
  g_autoptr (LersReportDocument) document = NULL;
  g_autoptr (GObject) pango = NULL; /* a PangoContext */
  g_autoptr (GArray) header_y = g_array_new (FALSE, FALSE, sizeof (gdouble));
  g_autoptr (GHashTable) measured
      = g_hash_table_new_full (lers_report_measure_key_hash, lers_report_measure_key_equal, g_free,
                               (GDestroyNotify) g_hash_table_unref);
  const LersReportPageSetup *page = lers_report_template_get_page (template_);
  LersReportLayout layout = { 0 };
  gdouble report_header_end;
  guint n_pages;

  pango = G_OBJECT (lers_report_pango_context_new ());
  document = lers_report_document_new (lers_report_template_get_title (template_, language),
                                       language, page->width, page->height);
  layout.template_ = template_;
  layout.binding = binding;
  layout.language = language;
  layout.zone = binding->zone;
  layout.strings = lers_report_template_get_strings (template_, language);
  layout.cancellable = cancellable;
  layout.pango = PANGO_CONTEXT (pango);
  layout.document = document;
  layout.page = page;
  layout.default_style = lers_report_template_get_default_style (template_);
  layout.content_width = page->width - page->margin_left - page->margin_right;
  layout.header_y = header_y;
  layout.measured = measured;
  layout.rows = LERS_REPORT_ROWS_NONE;
  layout.outside_rows = lers_report_layout_pick_outside_rows (template_);
  layout.page_number = 1;
  layout.page_count = page_count;

  /* the page header and footer keep their height on every page; measured
   * here as page 1 of 1 */
  layout.header_height = lers_report_layout_measure_page_band (
      &layout, lers_report_template_get_page_header (template_), error);
  if (layout.header_height < 0)
    return NULL;
  layout.footer_height = lers_report_layout_measure_page_band (
      &layout, lers_report_template_get_page_footer (template_), error);
  if (layout.footer_height < 0)
    return NULL;

  /* page 1: the report header, then the page header, then the body */
  lers_report_layout_new_page (&layout);
  layout.y = page->margin_top;
  if (!lers_report_layout_band (&layout, lers_report_template_get_report_header (template_),
                                "report-header", error))
    return NULL;
  report_header_end = layout.y;
  if (layout.page_index == 0)
    {
      g_array_index (header_y, gdouble, 0) = report_header_end;
      layout.y = report_header_end + layout.header_height;
    }
  if (!lers_report_layout_band (&layout, lers_report_template_get_body (template_), "body", error))
    return NULL;
  if (!lers_report_layout_band (&layout, lers_report_template_get_summary (template_), "summary",
                                error))
    return NULL;

  /* now that the pages are counted: every page's header and footer */
  n_pages = lers_report_document_get_n_pages (document);
  layout.page_count = n_pages;
  layout.band = NULL;
  for (guint i = 0; i < n_pages; i++)
    {
      if (lers_report_layout_check_cancelled (&layout, error))
        return NULL;
      layout.page_index = i;
      layout.page_number = i + 1;
      layout.y = g_array_index (header_y, gdouble, i);
      if (!lers_report_layout_page_band (&layout, lers_report_template_get_page_header (template_),
                                         FALSE, error))
        return NULL;
      layout.y = page->height - page->margin_bottom - layout.footer_height;
      if (!lers_report_layout_page_band (&layout, lers_report_template_get_page_footer (template_),
                                         FALSE, error))
        return NULL;
    }
  return g_steal_pointer (&document);
}

LersReportDocument *
lers_report_layout_run (LersReportTemplate *template_, const LersReportBinding *binding,
                        const gchar *language, GCancellable *cancellable, GError **error)
{
  g_autoptr (LersReportDocument) document = NULL;
  guint n_pages;

  g_return_val_if_fail (LERS_IS_REPORT_TEMPLATE (template_), NULL);
  g_return_val_if_fail (binding != NULL, NULL);

  if (g_strcmp0 (language, "ru") != 0)
    language = "en";
  document = lers_report_layout_pass (template_, binding, language, 1, cancellable, error);
  if (document == NULL)
    return NULL;
  if (!lers_report_band_uses_page (lers_report_template_get_report_header (template_))
      && !lers_report_band_uses_page (lers_report_template_get_body (template_))
      && !lers_report_band_uses_page (lers_report_template_get_summary (template_)))
    return g_steal_pointer (&document);
  n_pages = lers_report_document_get_n_pages (document);
  g_clear_object (&document);
  return lers_report_layout_pass (template_, binding, language, n_pages, cancellable, error);
}
