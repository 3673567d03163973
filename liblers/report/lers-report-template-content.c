/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The content of a template's bands and body: text, images, charts,
 * spacers, page breaks and tables (lers-report-template-table.c). */
#include "config.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "lers-error.h"
#include "lers-report-template-xml.h"

static LersReportElement *
element_new (LersTplBuilder *b, LersTplNode *node, LersReportElementKind kind,
             const LersReportStyle *style)
{
  LersReportElement *element = g_new0 (LersReportElement, 1);

  element->kind = kind;
  element->style = style;
  lers_tpl_position (b->doc, node->offset, &element->line, &element->column);
  return element;
}

static void
element_free (LersReportElement *element)
{
  g_clear_pointer (&element->when, lers_report_expr_free);
  g_clear_pointer (&element->text, lers_report_expr_free);
  g_clear_pointer (&element->table, lers_tpl_table_free);
  if (element->chart != NULL)
    {
      g_clear_pointer (&element->chart->x, lers_report_expr_free);
      g_clear_pointer (&element->chart->title, lers_report_expr_free);
      g_ptr_array_unref (element->chart->y);
      g_ptr_array_unref (element->chart->y_names);
      g_free (element->chart);
    }
  g_clear_pointer (&element->image, g_bytes_unref);
  g_free (element);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (LersReportElement, element_free)

static gboolean
read_when (LersTplBuilder *b, LersTplNode *node, LersReportElement *element)
{
  LersTplAttr *when = lers_tpl_attr (node, "when");

  if (when == NULL)
    return TRUE;
  element->when = lers_tpl_expr (b, when->value, when->value_offset, LERS_REPORT_ROWS_NONE, FALSE);
  return element->when != NULL;
}

static LersReportElement *
read_text (LersTplBuilder *b, LersTplNode *node, const LersReportStyle *base)
{
  static const gchar *const allowed[] = { "style", "align", "when", "width", NULL };
  g_autoptr (LersReportElement) element = NULL;
  const LersReportStyle *style = NULL;
  LersTplAttr *width;
  gsize offset = node->text_offset != G_MAXSIZE ? node->text_offset : node->offset;

  if (!lers_tpl_check_node (b, node, allowed, TRUE)
      || !lers_tpl_style (b, node, NULL, base, &style))
    return NULL;
  if (node->children->len > 0)
    {
      lers_tpl_unexpected (b, node, g_ptr_array_index (node->children, 0));
      return NULL;
    }
  element = element_new (b, node, LERS_REPORT_ELEMENT_TEXT, style);
  if ((width = lers_tpl_attr (node, "width")) != NULL
      && !lers_tpl_length (b, width, &element->width))
    return NULL;
  if (!read_when (b, node, element))
    return NULL;
  element->text = lers_tpl_expr (b, node->text->str, offset, LERS_REPORT_ROWS_NONE, TRUE);
  return element->text != NULL ? g_steal_pointer (&element) : NULL;
}

/* a PNG's width and height, in pixels, at most */
#define MAX_IMAGE_PX 10000

/* data:image/png;base64,… with a PNG inside; sizes from the PNG (96 dpi)
 * when the template gives none */
static LersReportElement *
read_image (LersTplBuilder *b, LersTplNode *node, const LersReportStyle *base)
{
  static const gchar *const allowed[] = { "src", "width", "height", NULL };
  static const guint8 signature[] = { 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n' };
  static const gchar prefix[] = "data:image/png;base64,";
  g_autoptr (LersReportElement) element = NULL;
  LersTplAttr *src, *width, *height;
  g_autofree guint8 *png = NULL;
  gsize len = 0;
  gdouble px_w, px_h;

  if (!lers_tpl_check_node (b, node, allowed, FALSE)
      || (src = lers_tpl_require (b, node, "src")) == NULL)
    return NULL;
  if (!g_str_has_prefix (src->value, prefix)
      || strspn (src->value + strlen (prefix),
                 "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/= \t\r\n")
             != strlen (src->value + strlen (prefix)))
    {
      lers_tpl_error (b, src->value_offset, _ ("the image must be data:image/png;base64,…"));
      return NULL;
    }
  png = g_base64_decode (src->value + strlen (prefix), &len);
  if (len < 24 || memcmp (png, signature, sizeof signature) != 0)
    {
      lers_tpl_error (b, src->value_offset, _ ("the image is not a PNG"));
      return NULL;
    }
  element = element_new (b, node, LERS_REPORT_ELEMENT_IMAGE, base);
  /* IHDR: width and height, big-endian, at bytes 16 and 20 */
  px_w = (gdouble) (((guint32) png[16] << 24) | ((guint32) png[17] << 16) | ((guint32) png[18] << 8)
                    | png[19]);
  px_h = (gdouble) (((guint32) png[20] << 24) | ((guint32) png[21] << 16) | ((guint32) png[22] << 8)
                    | png[23]);
  if (px_w < 1 || px_h < 1 || px_w > MAX_IMAGE_PX || px_h > MAX_IMAGE_PX)
    {
      lers_tpl_error (b, src->value_offset,
                      _ ("the image is %.0f × %.0f pixels: each side must be 1 to %u"), px_w, px_h,
                      (guint) MAX_IMAGE_PX);
      return NULL;
    }
  element->image_width = px_w * 0.75;
  element->image_height = px_h * 0.75;
  width = lers_tpl_attr (node, "width");
  height = lers_tpl_attr (node, "height");
  if (width == NULL && height == NULL)
    {
      /* the picture's own size, shrunk into the page's content area */
      const LersReportPageSetup *page = &b->parts->page;
      gdouble content_w = page->width - page->margin_left - page->margin_right;
      gdouble content_h = page->height - page->margin_top - page->margin_bottom;
      gdouble scale = 1;

      if (content_w > 0 && element->image_width > content_w)
        scale = content_w / element->image_width;
      if (content_h > 0 && element->image_height * scale > content_h)
        scale = content_h / element->image_height;
      element->image_width *= scale;
      element->image_height *= scale;
    }
  if (width != NULL && !lers_tpl_length (b, width, &element->image_width))
    return NULL;
  if (height != NULL && !lers_tpl_length (b, height, &element->image_height))
    return NULL;
  /* one size given: the other keeps the picture's proportions */
  if (width != NULL && height == NULL && px_w > 0)
    element->image_height = element->image_width * px_h / px_w;
  if (height != NULL && width == NULL && px_h > 0)
    element->image_width = element->image_height * px_w / px_h;
  element->image = g_bytes_new_take (g_steal_pointer (&png), len);
  return g_steal_pointer (&element);
}

static LersReportElement *
read_chart (LersTplBuilder *b, LersTplNode *node, const LersReportStyle *base)
{
  static const gchar *const allowed[] = { "kind", "rows", "x", "y", "height", "title", NULL };
  static const gchar *const kinds[] = { "line", "bar", NULL };
  g_autoptr (LersReportElement) element = NULL;
  LersReportChart *chart;
  LersTplAttr *attr, *y;
  guint index = 0;

  if (!lers_tpl_check_node (b, node, allowed, FALSE)
      || (y = lers_tpl_require (b, node, "y")) == NULL)
    return NULL;
  element = element_new (b, node, LERS_REPORT_ELEMENT_CHART, base);
  chart = element->chart = g_new0 (LersReportChart, 1);
  chart->rows = LERS_REPORT_ROWS_ARCHIVE;
  chart->height = 60.0 * 72.0 / 25.4;
  chart->y = g_ptr_array_new_with_free_func ((GDestroyNotify) lers_report_expr_free);
  chart->y_names = g_ptr_array_new_with_free_func (g_free);
  if ((attr = lers_tpl_attr (node, "kind")) != NULL)
    {
      if (!lers_tpl_enum (b, attr, kinds, &index))
        return NULL;
      chart->kind = (LersReportChartKind) index;
    }
  if ((attr = lers_tpl_attr (node, "rows")) != NULL && !lers_tpl_rows (b, attr, &chart->rows))
    return NULL;
  if ((attr = lers_tpl_attr (node, "height")) != NULL && !lers_tpl_length (b, attr, &chart->height))
    return NULL;
  if ((attr = lers_tpl_attr (node, "x")) != NULL)
    chart->x = lers_tpl_expr (b, attr->value, attr->value_offset, chart->rows, FALSE);
  else
    chart->x = lers_tpl_expr (b, "DataDate", node->offset, chart->rows, FALSE);
  if (chart->x == NULL)
    return NULL;
  if ((attr = lers_tpl_attr (node, "title")) != NULL
      && (chart->title = lers_tpl_expr (b, attr->value, attr->value_offset, chart->rows, TRUE))
             == NULL)
    return NULL;
  /* y: field names apart by spaces, each checked where it stands */
  for (const gchar *p = y->value; *p != '\0';)
    {
      const gchar *end = p;
      g_autofree gchar *name = NULL;
      LersReportExpr *series;

      if (g_ascii_isspace (*p))
        {
          p++;
          continue;
        }
      while (*end != '\0' && !g_ascii_isspace (*end))
        end++;
      name = g_strndup (p, (gsize) (end - p));
      series
          = lers_tpl_expr (b, name, y->value_offset + (gsize) (p - y->value), chart->rows, FALSE);
      if (series == NULL)
        return NULL;
      g_ptr_array_add (chart->y, series);
      g_ptr_array_add (chart->y_names, g_steal_pointer (&name));
      p = end;
    }
  b->parts->rows_used |= 1u << chart->rows;
  if (chart->y->len == 0)
    {
      lers_tpl_error (b, y->value_offset, _ ("a chart needs at least one field in “y”"));
      return NULL;
    }
  return g_steal_pointer (&element);
}

LersReportElement *
lers_tpl_read_element (LersTplBuilder *b, LersTplNode *parent, LersTplNode *node,
                       const LersReportStyle *base)
{
  if (strcmp (node->name, "text") == 0)
    return read_text (b, node, base);
  if (strcmp (node->name, "image") == 0)
    return read_image (b, node, base);
  if (strcmp (node->name, "chart") == 0)
    return read_chart (b, node, base);
  if (strcmp (node->name, "table") == 0)
    {
      static const gchar *const allowed[]
          = { "rows", "style", "header-style", "repeat-header", "keep", "group", "when", NULL };
      g_autoptr (LersReportElement) element = NULL;

      if (!lers_tpl_check_node (b, node, allowed, FALSE))
        return NULL;
      element = element_new (b, node, LERS_REPORT_ELEMENT_TABLE, base);
      if (!read_when (b, node, element))
        return NULL;
      element->table = lers_tpl_build_table (b, node, base);
      if (element->table == NULL)
        return NULL;
      element->style = element->table->style;
      b->parts->rows_used |= 1u << element->table->rows;
      return g_steal_pointer (&element);
    }
  if (strcmp (node->name, "spacer") == 0)
    {
      static const gchar *const allowed[] = { "height", NULL };
      g_autoptr (LersReportElement) element = NULL;
      LersTplAttr *height;

      if (!lers_tpl_check_node (b, node, allowed, FALSE)
          || (height = lers_tpl_require (b, node, "height")) == NULL)
        return NULL;
      element = element_new (b, node, LERS_REPORT_ELEMENT_SPACER, base);
      return lers_tpl_length (b, height, &element->image_height) ? g_steal_pointer (&element)
                                                                 : NULL;
    }
  if (strcmp (node->name, "page-break") == 0 && strcmp (parent->name, "page-header") != 0
      && strcmp (parent->name, "page-footer") != 0)
    {
      if (!lers_tpl_check_node (b, node, NULL, FALSE))
        return NULL;
      return element_new (b, node, LERS_REPORT_ELEMENT_PAGE_BREAK, base);
    }
  lers_tpl_unexpected (b, parent, node);
  return NULL;
}

void
lers_tpl_band_free (LersReportBand *band)
{
  if (band == NULL)
    return;
  g_ptr_array_unref (band->elements);
  g_free (band);
}

LersReportBand *
lers_tpl_band_new (const LersReportStyle *style)
{
  LersReportBand *band = g_new0 (LersReportBand, 1);

  band->style = style;
  band->elements = g_ptr_array_new_with_free_func ((GDestroyNotify) element_free);
  return band;
}

LersReportBand *
lers_tpl_read_band (LersTplBuilder *b, LersTplNode *node)
{
  static const gchar *const allowed[] = { "style", NULL };
  const LersReportStyle *style = NULL;
  LersReportBand *band;

  if (!lers_tpl_check_node (b, node, allowed, FALSE)
      || !lers_tpl_style (b, node, "style", b->parts->default_style, &style))
    return NULL;
  band = lers_tpl_band_new (style);
  for (guint i = 0; i < node->children->len; i++)
    {
      LersReportElement *element
          = lers_tpl_read_element (b, node, g_ptr_array_index (node->children, i), style);

      if (element == NULL)
        {
          lers_tpl_band_free (band);
          return NULL;
        }
      g_ptr_array_add (band->elements, element);
    }
  return band;
}
