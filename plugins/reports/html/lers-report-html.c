/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * The HTML report backend: a laid-out report as one self-contained UTF-8
 * page, to open in a browser, mail or print.
 *
 * - `<!DOCTYPE html>`, `<html lang>` from the document's language, its
 *   title, and the styles inline (no file next to it).
 * - Text blocks are paragraphs with their size and weight; a table is a
 *   `<table>` with the column titles in `<thead>` (printed again on every
 *   page), the detail and group rows in `<tbody>` (class `detail`,
 *   `group-header`, `group-footer`) and the total rows in `<tfoot>` (class
 *   `total`, printed once); a cell keeps its span, bold and fill, and its
 *   kind as a class (`number`, `time`, `text`, `boolean`).
 * - Every text is escaped (g_markup_escape_text): a cell that reads
 *   `<script>` stays text.
 * - A chart is its drawing rendered with a Cairo SVG surface into memory
 *   and put in the page as inline SVG; its ids are prefixed so two charts
 *   on one page do not share glyph or clip ids. A picture is an `<img>`
 *   with a data: URI.
 * - Printable: `@page` takes the document's page size; a page break in
 *   the template breaks the printed page.
 */
#include "lers-report-html.h"

#include <cairo-svg.h>
#include <string.h>

#include <glib/gi18n-lib.h>

struct _LersReportHtml
{
  GObject parent_instance;
};

static void lers_report_html_iface_init (LersReportBackendInterface *iface);

G_DEFINE_DYNAMIC_TYPE_EXTENDED (LersReportHtml, lers_report_html, G_TYPE_OBJECT, G_TYPE_FLAG_FINAL,
                                G_IMPLEMENT_INTERFACE_DYNAMIC (LERS_TYPE_REPORT_BACKEND,
                                                               lers_report_html_iface_init))

/* the page margin when printed: the document does not tell its own, and
 * 10 mm suits every printer */
#define LERS_REPORT_HTML_MARGIN_MM 10.0

static const gchar lers_report_html_style[]
    = "body{font-family:\"DejaVu Sans\",Verdana,sans-serif;font-size:9pt;color:#000;"
      "margin:0 auto;max-width:100%}\n"
      "p{margin:0 0 3pt 0;white-space:pre-line}\n"
      "table{border-collapse:collapse;margin:6pt 0}\n"
      "th,td{border:0.5pt solid #000;padding:1.5pt 3pt;vertical-align:top;"
      "white-space:pre-line}\n"
      "th{background:#e8e8e8;font-weight:bold;text-align:center}\n"
      "td.number,td.time,td.boolean{text-align:right}\n"
      "tr.group-header td,tr.group-footer td,tr.total td{font-weight:bold}\n"
      "thead{display:table-header-group}\n"
      "tfoot{display:table-row-group}\n"
      "tr{break-inside:avoid}\n"
      "figure{margin:6pt 0}\n"
      "figure svg,figure img{max-width:100%;height:auto}\n"
      "div.page-break{break-after:page}\n"
      "@media screen{body{margin:12pt}}\n";

static const gchar *
lers_report_html_get_format (LersReportBackend *backend)
{
  return "html";
}

static const gchar *
lers_report_html_get_content_type (LersReportBackend *backend)
{
  return "text/html";
}

static void
lers_report_html_append_escaped (GString *out, const gchar *text)
{
  g_autofree gchar *escaped = g_markup_escape_text (text != NULL ? text : "", -1);

  g_string_append (out, escaped);
}

static void
lers_report_html_append_head (GString *out, LersReportDocument *document)
{
  const gchar *language = lers_report_document_get_language (document);
  gdouble width = 0.0, height = 0.0;
  gchar w[G_ASCII_DTOSTR_BUF_SIZE], h[G_ASCII_DTOSTR_BUF_SIZE], m[G_ASCII_DTOSTR_BUF_SIZE];

  lers_report_document_get_page_size (document, &width, &height);
  g_string_append (out, "<!DOCTYPE html>\n<html lang=\"");
  lers_report_html_append_escaped (out, language != NULL && *language != '\0' ? language : "en");
  g_string_append (out, "\">\n<head>\n<meta charset=\"utf-8\">\n<title>");
  lers_report_html_append_escaped (out, lers_report_document_get_title (document));
  g_string_append (out, "</title>\n<style>\n");
  /* the page in mm, as the template set it (points: 1/72 in) */
  if (width > 0.0 && height > 0.0)
    g_string_append_printf (out, "@page{size:%smm %smm;margin:%smm}\n",
                            g_ascii_formatd (w, sizeof w, "%.1f", width * 25.4 / 72.0),
                            g_ascii_formatd (h, sizeof h, "%.1f", height * 25.4 / 72.0),
                            g_ascii_formatd (m, sizeof m, "%.0f", LERS_REPORT_HTML_MARGIN_MM));
  g_string_append (out, lers_report_html_style);
  g_string_append (out, "</style>\n</head>\n<body>\n");
}

static void
lers_report_html_append_text (GString *out, LersReportDocument *document, guint block)
{
  gdouble size = lers_report_document_get_block_font_size (document, block);
  gboolean bold = lers_report_document_get_block_bold (document, block);
  const gchar *band = lers_report_document_get_block_band (document, block);

  g_string_append (out, "<p");
  if (band != NULL && *band != '\0')
    {
      g_string_append (out, " class=\"");
      lers_report_html_append_escaped (out, band);
      g_string_append_c (out, '"');
    }
  if (size > 0.0 || bold)
    {
      g_string_append (out, " style=\"");
      if (size > 0.0)
        {
          gchar buf[G_ASCII_DTOSTR_BUF_SIZE];
          g_string_append_printf (out, "font-size:%spt;",
                                  g_ascii_formatd (buf, sizeof buf, "%.1f", size));
        }
      if (bold)
        g_string_append (out, "font-weight:bold;");
      g_string_append_c (out, '"');
    }
  g_string_append_c (out, '>');
  lers_report_html_append_escaped (out, lers_report_document_get_block_text (document, block));
  g_string_append (out, "</p>\n");
}

static const gchar *
lers_report_html_cell_class (LersReportCellKind kind)
{
  switch (kind)
    {
    case LERS_REPORT_CELL_NUMBER:
      return "number";
    case LERS_REPORT_CELL_TIME:
      return "time";
    case LERS_REPORT_CELL_BOOLEAN:
      return "boolean";
    case LERS_REPORT_CELL_TEXT:
      return "text";
    case LERS_REPORT_CELL_EMPTY:
    default:
      return "empty";
    }
}

static const gchar *
lers_report_html_row_class (LersReportRowKind kind)
{
  switch (kind)
    {
    case LERS_REPORT_ROW_GROUP_HEADER:
      return "group-header";
    case LERS_REPORT_ROW_GROUP_FOOTER:
      return "group-footer";
    case LERS_REPORT_ROW_TOTAL:
      return "total";
    case LERS_REPORT_ROW_DETAIL:
    default:
      return "detail";
    }
}

static void
lers_report_html_append_row (GString *out, LersReportTable *table, guint row)
{
  guint n_columns = lers_report_table_get_n_columns (table);

  g_string_append_printf (out, "<tr class=\"%s\">",
                          lers_report_html_row_class (lers_report_table_get_row_kind (table, row)));
  for (guint c = 0; c < n_columns;)
    {
      guint span = MIN (lers_report_table_get_cell_span (table, row, c), n_columns - c);
      gboolean bold = lers_report_table_get_cell_bold (table, row, c);
      guint32 rgb = 0;
      gboolean fill = lers_report_table_get_cell_fill (table, row, c, &rgb);

      g_string_append_printf (
          out, "<td class=\"%s\"",
          lers_report_html_cell_class (lers_report_table_get_cell_kind (table, row, c)));
      if (span > 1)
        g_string_append_printf (out, " colspan=\"%u\"", span);
      if (bold || fill)
        {
          g_string_append (out, " style=\"");
          if (bold)
            g_string_append (out, "font-weight:bold;");
          if (fill)
            g_string_append_printf (out, "background:#%06x;", (guint) (rgb & 0xffffff));
          g_string_append_c (out, '"');
        }
      g_string_append_c (out, '>');
      lers_report_html_append_escaped (out, lers_report_table_get_cell_text (table, row, c));
      g_string_append (out, "</td>");
      c += MAX (span, 1);
    }
  g_string_append (out, "</tr>\n");
}

static void
lers_report_html_append_table (GString *out, LersReportTable *table)
{
  guint n_columns = lers_report_table_get_n_columns (table);
  guint n_rows = lers_report_table_get_n_rows (table);
  gboolean any_total = FALSE;

  g_string_append (out, "<table>\n<colgroup>");
  for (guint c = 0; c < n_columns; c++)
    {
      gdouble width = lers_report_table_get_column_width (table, c);
      if (width > 0.0)
        {
          gchar buf[G_ASCII_DTOSTR_BUF_SIZE];
          g_string_append_printf (out, "<col style=\"width:%spt\">",
                                  g_ascii_formatd (buf, sizeof buf, "%.1f", width));
        }
      else
        g_string_append (out, "<col>");
    }
  g_string_append (out, "</colgroup>\n<thead>\n<tr>");
  for (guint c = 0; c < n_columns; c++)
    {
      g_string_append (out, "<th>");
      lers_report_html_append_escaped (out, lers_report_table_get_column_title (table, c));
      g_string_append (out, "</th>");
    }
  g_string_append (out, "</tr>\n</thead>\n<tbody>\n");
  for (guint r = 0; r < n_rows; r++)
    {
      if (lers_report_table_get_row_kind (table, r) == LERS_REPORT_ROW_TOTAL)
        any_total = TRUE;
      else
        lers_report_html_append_row (out, table, r);
    }
  g_string_append (out, "</tbody>\n");
  if (any_total)
    {
      g_string_append (out, "<tfoot>\n");
      for (guint r = 0; r < n_rows; r++)
        if (lers_report_table_get_row_kind (table, r) == LERS_REPORT_ROW_TOTAL)
          lers_report_html_append_row (out, table, r);
      g_string_append (out, "</tfoot>\n");
    }
  g_string_append (out, "</table>\n");
}

static cairo_status_t
lers_report_html_svg_write (void *closure, const unsigned char *data, unsigned int length)
{
  g_string_append_len (closure, (const gchar *) data, length);
  return CAIRO_STATUS_SUCCESS;
}

/* @svg's ids and the references to them with @prefix in front */
static gchar *
lers_report_html_prefix_ids (const gchar *svg, const gchar *prefix)
{
  static const gchar *const patterns[] = { "id=\"", "href=\"#", "url(#" };
  g_autofree gchar *text = g_strdup (svg);

  for (gsize i = 0; i < G_N_ELEMENTS (patterns); i++)
    {
      g_auto (GStrv) parts = g_strsplit (text, patterns[i], -1);
      g_autofree gchar *with = g_strconcat (patterns[i], prefix, NULL);

      g_free (text);
      text = g_strjoinv (with, parts);
    }
  return g_steal_pointer (&text);
}

static gboolean
lers_report_html_append_chart (GString *out, LersReportDocument *drawing, guint index,
                               GError **error)
{
  g_autoptr (GString) svg = g_string_new (NULL);
  gdouble width = 0.0, height = 0.0;
  cairo_surface_t *surface;
  cairo_t *cr;
  cairo_status_t status;
  gboolean ok;
  const gchar *start;
  g_autofree gchar *prefix = g_strdup_printf ("chart%u-", index);
  g_autofree gchar *prefixed = NULL;

  lers_report_document_get_page_size (drawing, &width, &height);
  if (width <= 0.0 || height <= 0.0 || lers_report_document_get_n_pages (drawing) == 0)
    return TRUE; /* nothing to draw */
  surface = cairo_svg_surface_create_for_stream (lers_report_html_svg_write, svg, width, height);
  cr = cairo_create (surface);
  ok = lers_report_document_draw_page (drawing, 0, cr, error);
  cairo_destroy (cr);
  cairo_surface_finish (surface);
  status = cairo_surface_status (surface);
  cairo_surface_destroy (surface);
  if (!ok)
    return FALSE;
  if (status != CAIRO_STATUS_SUCCESS)
    {
      g_set_error (error, LERS_ERROR, LERS_ERROR_FAILED, _ ("Could not draw a chart as SVG: %s"),
                   cairo_status_to_string (status));
      return FALSE;
    }
  /* the <svg> element alone: no XML declaration inside HTML */
  start = strstr (svg->str, "<svg");
  if (start == NULL)
    return TRUE;
  prefixed = lers_report_html_prefix_ids (start, prefix);
  g_string_append (out, "<figure class=\"chart\">\n");
  g_string_append (out, prefixed);
  g_string_append (out, "</figure>\n");
  return TRUE;
}

static void
lers_report_html_append_image (GString *out, GBytes *png)
{
  gsize size = 0;
  const guint8 *data = g_bytes_get_data (png, &size);
  g_autofree gchar *base64 = g_base64_encode (data, size);

  g_string_append (out, "<figure class=\"image\"><img alt=\"\" src=\"data:image/png;base64,");
  g_string_append (out, base64);
  g_string_append (out, "\"></figure>\n");
}

/* writes and empties @out */
static gboolean
lers_report_html_flush (GString *out, GOutputStream *stream, GCancellable *cancellable,
                        GError **error)
{
  gboolean ok;

  if (out->len == 0)
    return TRUE;
  ok = g_output_stream_write_all (stream, out->str, out->len, NULL, cancellable, error);
  g_string_truncate (out, 0);
  return ok;
}

static gboolean
lers_report_html_render_document (LersReportBackend *backend, LersReportDocument *document,
                                  GOutputStream *stream, GCancellable *cancellable, GError **error)
{
  g_autoptr (GString) out = g_string_new (NULL);
  guint n_blocks = lers_report_document_get_n_blocks (document);
  guint n_charts = 0;

  lers_report_html_append_head (out, document);
  for (guint b = 0; b < n_blocks; b++)
    {
      if (g_cancellable_set_error_if_cancelled (cancellable, error))
        return FALSE;
      switch (lers_report_document_get_block_kind (document, b))
        {
        case LERS_REPORT_BLOCK_TEXT:
          lers_report_html_append_text (out, document, b);
          break;
        case LERS_REPORT_BLOCK_TABLE:
          {
            LersReportTable *table = lers_report_document_get_block_table (document, b);
            if (table != NULL)
              lers_report_html_append_table (out, table);
          }
          break;
        case LERS_REPORT_BLOCK_CHART:
          {
            LersReportDocument *drawing = lers_report_document_get_block_drawing (document, b);
            if (drawing != NULL && !lers_report_html_append_chart (out, drawing, n_charts++, error))
              return FALSE;
          }
          break;
        case LERS_REPORT_BLOCK_IMAGE:
          {
            GBytes *png = lers_report_document_get_block_image (document, b);
            if (png != NULL)
              lers_report_html_append_image (out, png);
          }
          break;
        case LERS_REPORT_BLOCK_PAGE_BREAK:
          g_string_append (out, "<div class=\"page-break\"></div>\n");
          break;
        default:
          break;
        }
      if (out->len > 65536 && !lers_report_html_flush (out, stream, cancellable, error))
        return FALSE;
    }
  g_string_append (out, "</body>\n</html>\n");
  return lers_report_html_flush (out, stream, cancellable, error);
}

static void
lers_report_html_iface_init (LersReportBackendInterface *iface)
{
  iface->get_format = lers_report_html_get_format;
  iface->get_content_type = lers_report_html_get_content_type;
  iface->render_document = lers_report_html_render_document;
}

static void
lers_report_html_class_init (LersReportHtmlClass *klass)
{
}

static void
lers_report_html_class_finalize (LersReportHtmlClass *klass)
{
}

static void
lers_report_html_init (LersReportHtml *self)
{
}

/**
 * lers_report_html_register:
 * @module: the plugin's module
 *
 * Registers #LersReportHtml with the type system.
 *
 * Since: 0.6
 */
void
lers_report_html_register (GTypeModule *module)
{
  lers_report_html_register_type (module);
}
