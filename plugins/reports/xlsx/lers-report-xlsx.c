/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * The XLSX report backend: a laid-out report as an Excel workbook written
 * with libxlsxwriter, with real cells a spreadsheet can compute with.
 *
 * - One worksheet ("Отчёт" in Russian, "Report" in English); the blocks in
 *   reading order down its rows: a text block is a row (bold and size
 *   kept), a table its header row (bold, frozen when it is the sheet's
 *   first table) and its rows, set apart by an empty row.
 * - Numbers are number cells with the cell's number format ("0.00"), so
 *   Excel shows them in the reader's locale; times are Excel dates in the
 *   node's wall-clock time with the cell's date format; texts and truth
 *   values are the text a reader sees.
 * - A total cell is a formula over the detail rows of its range, in sheet
 *   coordinates: =SUM(C5:C35); when group rows lie inside the range, the
 *   runs of detail rows are listed (=SUM(C5:C9,C11:C15)) so footers are not
 *   counted twice. The computed value is stored as the formula's cached
 *   result, for readers that do not recalculate.
 * - Fills and bold are formats; spans are merged cells; column widths come
 *   from the table's (points, as pixels at 96 dpi: Excel's unit).
 * - A chart is its drawing rendered to PNG and placed on the sheet; a
 *   picture is placed as it is. Page breaks are left out.
 *
 * libxlsxwriter writes to a file name: the workbook goes to a temporary
 * file, which is copied to the stream and deleted.
 */
#include "lers-report-xlsx.h"

#include <cairo.h>
#include <glib/gstdio.h>
#include <string.h>
#include <xlsxwriter.h>

#include <glib/gi18n-lib.h>

struct _LersReportXlsx
{
  GObject parent_instance;
};

static void lers_report_xlsx_iface_init (LersReportBackendInterface *iface);

G_DEFINE_DYNAMIC_TYPE_EXTENDED (LersReportXlsx, lers_report_xlsx, G_TYPE_OBJECT, G_TYPE_FLAG_FINAL,
                                G_IMPLEMENT_INTERFACE_DYNAMIC (LERS_TYPE_REPORT_BACKEND,
                                                               lers_report_xlsx_iface_init))

/* Excel's default row is 20 px high (15 pt) */
#define LERS_REPORT_XLSX_ROW_PX 20.0
/* a formula may list at most 255 ranges */
#define LERS_REPORT_XLSX_MAX_RANGES 255

/* one document being written */
typedef struct
{
  lxw_workbook *workbook;
  lxw_worksheet *sheet;
  const gchar *language;
  GHashTable *formats; /* key (gchar *) → lxw_format *, owned by the workbook */
  GPtrArray *buffers;  /* GBytes of the placed pictures, kept until close */
  gdouble *widths;     /* the widest width of each column so far, in pt */
  guint n_widths;
  lxw_row_t row; /* the next free row */
  gboolean frozen;
  GArray *breaks; /* lxw_row_t: rows a printed page starts at */
} LersReportXlsxWriter;

static void
lers_report_xlsx_writer_clear (LersReportXlsxWriter *w)
{
  if (w->workbook != NULL)
    lxw_workbook_free (w->workbook);
  g_clear_pointer (&w->formats, g_hash_table_unref);
  g_clear_pointer (&w->buffers, g_ptr_array_unref);
  g_clear_pointer (&w->widths, g_free);
  g_clear_pointer (&w->breaks, g_array_unref);
}

static gboolean
lers_report_xlsx_check (lxw_error status, GError **error)
{
  if (status == LXW_NO_ERROR)
    return TRUE;
  g_set_error (error, LERS_ERROR, LERS_ERROR_FAILED, _ ("Could not write the spreadsheet: %s"),
               lxw_strerror (status));
  return FALSE;
}

/* a format of the workbook, made once for each combination */
static lxw_format *
lers_report_xlsx_format (LersReportXlsxWriter *w, const gchar *num_format, gboolean bold,
                         gboolean has_fill, guint32 fill, gboolean border, gdouble size)
{
  g_autofree gchar *key = NULL;
  lxw_format *format;
  gchar buf[G_ASCII_DTOSTR_BUF_SIZE];

  key = g_strdup_printf ("%s|%d|%d|%06x|%d|%s", num_format != NULL ? num_format : "", bold != 0,
                         has_fill != 0, has_fill ? fill & 0xffffff : 0, border != 0,
                         g_ascii_dtostr (buf, sizeof buf, size));
  format = g_hash_table_lookup (w->formats, key);
  if (format != NULL)
    return format;
  format = workbook_add_format (w->workbook);
  if (num_format != NULL && *num_format != '\0')
    format_set_num_format (format, num_format);
  if (bold)
    format_set_bold (format);
  if (has_fill)
    {
      format_set_pattern (format, LXW_PATTERN_SOLID);
      format_set_bg_color (format, fill & 0xffffff);
    }
  if (border)
    format_set_border (format, LXW_BORDER_THIN);
  if (size > 0.0)
    format_set_font_size (format, size);
  g_hash_table_insert (w->formats, g_steal_pointer (&key), format);
  return format;
}

static const gchar *
lers_report_xlsx_function (LersReportAggregate aggregate)
{
  switch (aggregate)
    {
    case LERS_REPORT_AGGREGATE_SUM:
      return "SUM";
    case LERS_REPORT_AGGREGATE_AVG:
      return "AVERAGE";
    case LERS_REPORT_AGGREGATE_MIN:
      return "MIN";
    case LERS_REPORT_AGGREGATE_MAX:
      return "MAX";
    case LERS_REPORT_AGGREGATE_COUNT:
      return "COUNT";
    case LERS_REPORT_AGGREGATE_NONE:
    default:
      return NULL;
    }
}

gchar *
lers_report_xlsx_formula (LersReportTable *table, guint column, LersReportAggregate aggregate,
                          guint first, guint last, guint row0)
{
  const gchar *function = lers_report_xlsx_function (aggregate);
  guint n_rows = lers_report_table_get_n_rows (table);
  g_autoptr (GString) formula = NULL;
  guint n_ranges = 0;

  if (function == NULL || first >= n_rows)
    return NULL;
  last = MIN (last, n_rows - 1);
  formula = g_string_new ("=");
  g_string_append_printf (formula, "%s(", function);
  for (guint r = first; r <= last; r++)
    {
      guint end = r;
      gchar a[32], b[32];

      if (lers_report_table_get_row_kind (table, r) != LERS_REPORT_ROW_DETAIL)
        continue;
      while (end + 1 <= last
             && lers_report_table_get_row_kind (table, end + 1) == LERS_REPORT_ROW_DETAIL)
        end++;
      if (++n_ranges > LERS_REPORT_XLSX_MAX_RANGES)
        return NULL;
      if (n_ranges > 1)
        g_string_append_c (formula, ',');
      lxw_rowcol_to_cell (a, row0 + r, column);
      g_string_append (formula, a);
      if (end > r)
        {
          lxw_rowcol_to_cell (b, row0 + end, column);
          g_string_append_printf (formula, ":%s", b);
        }
      r = end;
    }
  if (n_ranges == 0)
    return NULL;
  g_string_append_c (formula, ')');
  return g_string_free (g_steal_pointer (&formula), FALSE);
}

static gboolean
lers_report_xlsx_write_time (LersReportXlsxWriter *w, LersReportTable *table, guint r, guint c,
                             lxw_row_t row, lxw_format *format, GError **error)
{
  g_autoptr (GDateTime) when = lers_report_table_dup_cell_time (table, r, c);
  lxw_datetime datetime = { 0 };

  /* Excel's dates start in 1900 */
  if (when == NULL || g_date_time_get_year (when) < 1900)
    return lers_report_xlsx_check (
        worksheet_write_string (w->sheet, row, c, lers_report_table_get_cell_text (table, r, c),
                                format),
        error);
  datetime.year = g_date_time_get_year (when);
  datetime.month = g_date_time_get_month (when);
  datetime.day = g_date_time_get_day_of_month (when);
  datetime.hour = g_date_time_get_hour (when);
  datetime.min = g_date_time_get_minute (when);
  datetime.sec = g_date_time_get_seconds (when);
  return lers_report_xlsx_check (worksheet_write_datetime (w->sheet, row, c, &datetime, format),
                                 error);
}

static gboolean
lers_report_xlsx_write_cell (LersReportXlsxWriter *w, LersReportTable *table, guint r, guint c,
                             lxw_row_t row0, GError **error)
{
  lxw_row_t row = row0 + r;
  LersReportCellKind kind = lers_report_table_get_cell_kind (table, r, c);
  const gchar *num_format = lers_report_table_get_cell_format (table, r, c);
  const gchar *text = lers_report_table_get_cell_text (table, r, c);
  guint32 fill = 0;
  gboolean has_fill = lers_report_table_get_cell_fill (table, r, c, &fill);
  gboolean bold = lers_report_table_get_cell_bold (table, r, c);
  guint span = lers_report_table_get_cell_span (table, r, c);
  guint first = 0, last = 0;
  LersReportAggregate aggregate = lers_report_table_get_cell_aggregate (table, r, c, &first, &last);
  lxw_format *format;

  if (kind == LERS_REPORT_CELL_TIME && num_format == NULL)
    num_format = g_strcmp0 (w->language, "ru") == 0 ? "dd.mm.yyyy hh:mm" : "yyyy-mm-dd hh:mm";
  if (kind != LERS_REPORT_CELL_NUMBER && kind != LERS_REPORT_CELL_TIME)
    num_format = NULL;
  format = lers_report_xlsx_format (w, num_format, bold, has_fill, fill, TRUE, 0.0);

  if (span > 1
      && !lers_report_xlsx_check (
          worksheet_merge_range (w->sheet, row, c, row, c + span - 1, "", format), error))
    return FALSE;

  switch (kind)
    {
    case LERS_REPORT_CELL_NUMBER:
      {
        gdouble number = lers_report_table_get_cell_number (table, r, c);
        g_autofree gchar *formula = NULL;

        if (aggregate != LERS_REPORT_AGGREGATE_NONE)
          formula = lers_report_xlsx_formula (table, c, aggregate, first, last, row0);
        if (formula != NULL)
          return lers_report_xlsx_check (
              worksheet_write_formula_num (w->sheet, row, c, formula, format, number), error);
        return lers_report_xlsx_check (worksheet_write_number (w->sheet, row, c, number, format),
                                       error);
      }
    case LERS_REPORT_CELL_TIME:
      return lers_report_xlsx_write_time (w, table, r, c, row, format, error);
    case LERS_REPORT_CELL_TEXT:
    case LERS_REPORT_CELL_BOOLEAN:
      if (text != NULL && *text != '\0')
        return lers_report_xlsx_check (worksheet_write_string (w->sheet, row, c, text, format),
                                       error);
      break;
    case LERS_REPORT_CELL_EMPTY:
    default:
      break;
    }
  if (span > 1)
    return TRUE; /* the merge wrote the blank */
  return lers_report_xlsx_check (worksheet_write_blank (w->sheet, row, c, format), error);
}

static gboolean
lers_report_xlsx_write_table (LersReportXlsxWriter *w, LersReportTable *table, GError **error)
{
  guint n_columns = lers_report_table_get_n_columns (table);
  guint n_rows = lers_report_table_get_n_rows (table);
  lxw_format *header = lers_report_xlsx_format (w, NULL, TRUE, TRUE, 0xe8e8e8, TRUE, 0.0);
  lxw_row_t header_row;

  if (w->row > 0)
    w->row++; /* an empty row before */
  header_row = w->row;
  if (n_columns > w->n_widths)
    {
      w->widths = g_renew (gdouble, w->widths, n_columns);
      for (guint c = w->n_widths; c < n_columns; c++)
        w->widths[c] = 0.0;
      w->n_widths = n_columns;
    }
  for (guint c = 0; c < n_columns; c++)
    {
      w->widths[c] = MAX (w->widths[c], lers_report_table_get_column_width (table, c));
      if (!lers_report_xlsx_check (
              worksheet_write_string (w->sheet, header_row, c,
                                      lers_report_table_get_column_title (table, c), header),
              error))
        return FALSE;
    }
  if (!w->frozen)
    {
      /* on screen and on every printed page */
      worksheet_freeze_panes (w->sheet, header_row + 1, 0);
      if (!lers_report_xlsx_check (worksheet_repeat_rows (w->sheet, header_row, header_row), error))
        return FALSE;
      w->frozen = TRUE;
    }
  for (guint r = 0; r < n_rows; r++)
    for (guint c = 0; c < n_columns;)
      {
        guint span = MIN (lers_report_table_get_cell_span (table, r, c), n_columns - c);

        if (!lers_report_xlsx_write_cell (w, table, r, c, header_row + 1, error))
          return FALSE;
        c += MAX (span, 1);
      }
  w->row = header_row + 1 + n_rows + 1; /* and an empty row after */
  return TRUE;
}

static cairo_status_t
lers_report_xlsx_png_write (void *closure, const unsigned char *data, unsigned int length)
{
  g_byte_array_append (closure, data, length);
  return CAIRO_STATUS_SUCCESS;
}

typedef struct
{
  const guint8 *data;
  gsize size;
  gsize offset;
} LersReportXlsxPngReader;

static cairo_status_t
lers_report_xlsx_png_read (void *closure, unsigned char *data, unsigned int length)
{
  LersReportXlsxPngReader *reader = closure;

  if (reader->size - reader->offset < length)
    return CAIRO_STATUS_READ_ERROR;
  memcpy (data, reader->data + reader->offset, length);
  reader->offset += length;
  return CAIRO_STATUS_SUCCESS;
}

/* places @png at the next row and moves past it; @height_px is its height */
static gboolean
lers_report_xlsx_place_png (LersReportXlsxWriter *w, GBytes *png, gdouble height_px, GError **error)
{
  gsize size = 0;
  const guint8 *data = g_bytes_get_data (png, &size);

  if (w->row > 0)
    w->row++;
  g_ptr_array_add (w->buffers, g_bytes_ref (png));
  if (!lers_report_xlsx_check (worksheet_insert_image_buffer (w->sheet, w->row, 0, data, size),
                               error))
    return FALSE;
  w->row += (lxw_row_t) (height_px / LERS_REPORT_XLSX_ROW_PX) + 2;
  return TRUE;
}

static gboolean
lers_report_xlsx_write_chart (LersReportXlsxWriter *w, LersReportDocument *drawing, GError **error)
{
  gdouble width = 0.0, height = 0.0;
  gdouble scale = 96.0 / 72.0; /* pixels at Excel's 96 dpi */
  cairo_surface_t *surface;
  cairo_t *cr;
  gboolean ok;
  cairo_status_t status;
  g_autoptr (GByteArray) png = g_byte_array_new ();
  g_autoptr (GBytes) bytes = NULL;
  gint px_w, px_h;

  lers_report_document_get_page_size (drawing, &width, &height);
  if (width <= 0.0 || height <= 0.0 || lers_report_document_get_n_pages (drawing) == 0)
    return TRUE;
  px_w = (gint) (width * scale + 0.5);
  px_h = (gint) (height * scale + 0.5);
  surface = cairo_image_surface_create (CAIRO_FORMAT_ARGB32, MAX (px_w, 1), MAX (px_h, 1));
  cr = cairo_create (surface);
  cairo_set_source_rgb (cr, 1, 1, 1);
  cairo_paint (cr);
  cairo_scale (cr, scale, scale);
  ok = lers_report_document_draw_page (drawing, 0, cr, error);
  cairo_destroy (cr);
  status = ok ? cairo_surface_write_to_png_stream (surface, lers_report_xlsx_png_write, png)
              : CAIRO_STATUS_SUCCESS;
  cairo_surface_destroy (surface);
  if (!ok)
    return FALSE;
  if (status != CAIRO_STATUS_SUCCESS)
    {
      g_set_error (error, LERS_ERROR, LERS_ERROR_FAILED, _ ("Could not draw a chart as PNG: %s"),
                   cairo_status_to_string (status));
      return FALSE;
    }
  bytes = g_byte_array_free_to_bytes (g_steal_pointer (&png));
  return lers_report_xlsx_place_png (w, bytes, px_h, error);
}

static gboolean
lers_report_xlsx_write_image (LersReportXlsxWriter *w, GBytes *png, GError **error)
{
  LersReportXlsxPngReader reader = { 0 };
  cairo_surface_t *surface;
  gdouble height;

  /* its height, for the rows it covers; a picture that does not decode is
   * left out (the layout has checked it already) */
  reader.data = g_bytes_get_data (png, &reader.size);
  surface = cairo_image_surface_create_from_png_stream (lers_report_xlsx_png_read, &reader);
  if (cairo_surface_status (surface) != CAIRO_STATUS_SUCCESS)
    {
      cairo_surface_destroy (surface);
      return TRUE;
    }
  height = cairo_image_surface_get_height (surface);
  cairo_surface_destroy (surface);
  return lers_report_xlsx_place_png (w, png, height, error);
}

static gboolean
lers_report_xlsx_write_text (LersReportXlsxWriter *w, LersReportDocument *document, guint block,
                             GError **error)
{
  const gchar *text = lers_report_document_get_block_text (document, block);
  gdouble size = lers_report_document_get_block_font_size (document, block);
  gboolean bold = lers_report_document_get_block_bold (document, block);
  lxw_format *format = lers_report_xlsx_format (w, NULL, bold, FALSE, 0, FALSE, size);

  if (text != NULL && *text != '\0'
      && !lers_report_xlsx_check (worksheet_write_string (w->sheet, w->row, 0, text, format),
                                  error))
    return FALSE;
  w->row++;
  return TRUE;
}

static gboolean
lers_report_xlsx_write_document (LersReportXlsxWriter *w, LersReportDocument *document,
                                 GCancellable *cancellable, GError **error)
{
  guint n_blocks = lers_report_document_get_n_blocks (document);

  for (guint b = 0; b < n_blocks; b++)
    {
      gboolean ok = TRUE;

      if (g_cancellable_set_error_if_cancelled (cancellable, error))
        return FALSE;
      switch (lers_report_document_get_block_kind (document, b))
        {
        case LERS_REPORT_BLOCK_TEXT:
          ok = lers_report_xlsx_write_text (w, document, b, error);
          break;
        case LERS_REPORT_BLOCK_TABLE:
          {
            LersReportTable *table = lers_report_document_get_block_table (document, b);
            ok = table == NULL || lers_report_xlsx_write_table (w, table, error);
          }
          break;
        case LERS_REPORT_BLOCK_CHART:
          {
            LersReportDocument *drawing = lers_report_document_get_block_drawing (document, b);
            ok = drawing == NULL || lers_report_xlsx_write_chart (w, drawing, error);
          }
          break;
        case LERS_REPORT_BLOCK_IMAGE:
          {
            GBytes *png = lers_report_document_get_block_image (document, b);
            ok = png == NULL || lers_report_xlsx_write_image (w, png, error);
          }
          break;
        case LERS_REPORT_BLOCK_PAGE_BREAK:
          /* Excel takes at most 1023 manual breaks */
          if (w->row > 0 && w->breaks->len < 1023)
            g_array_append_val (w->breaks, w->row);
          break;
        default:
          break;
        }
      if (!ok)
        return FALSE;
    }
  if (w->breaks->len > 0)
    {
      lxw_row_t end = 0;

      g_array_append_val (w->breaks, end); /* the list ends with 0 */
      if (!lers_report_xlsx_check (
              worksheet_set_h_pagebreaks (w->sheet, (lxw_row_t *) (gpointer) w->breaks->data),
              error))
        return FALSE;
    }
  /* the widths in pixels at 96 dpi, the unit Excel's columns have */
  for (guint c = 0; c < w->n_widths; c++)
    if (w->widths[c] > 0.0
        && !lers_report_xlsx_check (
            worksheet_set_column_pixels (w->sheet, c, c, (guint32) (w->widths[c] * 96.0 / 72.0),
                                         NULL),
            error))
      return FALSE;
  return TRUE;
}

/* the printed page: the document's paper and orientation, the sheet fit
 * to the page's width */
static void
lers_report_xlsx_set_page (LersReportXlsxWriter *w, LersReportDocument *document)
{
  /* Excel's paper codes and their short and long sides in points */
  static const struct
  {
    guint8 code;
    gdouble short_side;
    gdouble long_side;
  } papers[] = {
    { 9, 595.28, 841.89 },  /* A4 */
    { 8, 841.89, 1190.55 }, /* A3 */
    { 11, 419.53, 595.28 }, /* A5 */
    { 1, 612.0, 792.0 },    /* Letter */
  };
  gdouble width = 0.0, height = 0.0;

  lers_report_document_get_page_size (document, &width, &height);
  if (width <= 0.0 || height <= 0.0)
    return;
  if (width > height)
    worksheet_set_landscape (w->sheet);
  for (gsize i = 0; i < G_N_ELEMENTS (papers); i++)
    if (ABS (MIN (width, height) - papers[i].short_side) < 2.0
        && ABS (MAX (width, height) - papers[i].long_side) < 2.0)
      worksheet_set_paper (w->sheet, papers[i].code);
  worksheet_fit_to_pages (w->sheet, 1, 0);
}

static const gchar *
lers_report_xlsx_get_format (LersReportBackend *backend)
{
  return "xlsx";
}

static const gchar *
lers_report_xlsx_get_content_type (LersReportBackend *backend)
{
  return "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";
}

static gboolean
lers_report_xlsx_render_document (LersReportBackend *backend, LersReportDocument *document,
                                  GOutputStream *stream, GCancellable *cancellable, GError **error)
{
  LersReportXlsxWriter w = { 0 };
  g_autoptr (GFile) file = NULL;
  g_autoptr (GFileInputStream) input = NULL;
  lxw_workbook_options options = { 0 };
  lxw_doc_properties properties = { 0 };
  lxw_error status;
  gchar *tmp_path = NULL;
  g_autofree gchar *path = NULL;
  g_autofree gchar *title = NULL;
  gint fd;
  gboolean ok;

  fd = g_file_open_tmp ("lers-report-XXXXXX.xlsx", &tmp_path, error);
  if (fd < 0)
    return FALSE;
  g_close (fd, NULL);
  path = tmp_path;

  w.language = lers_report_document_get_language (document);
  options.tmpdir = (char *) g_get_tmp_dir ();
  w.workbook = workbook_new_opt (path, &options);
  if (w.workbook == NULL)
    {
      g_set_error (error, LERS_ERROR, LERS_ERROR_FAILED,
                   _ ("Could not start a spreadsheet in “%s”"), path);
      g_unlink (path);
      return FALSE;
    }
  w.formats = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  w.buffers = g_ptr_array_new_with_free_func ((GDestroyNotify) g_bytes_unref);
  w.breaks = g_array_new (FALSE, FALSE, sizeof (lxw_row_t));
  w.sheet
      = workbook_add_worksheet (w.workbook, g_strcmp0 (w.language, "ru") == 0 ? "Отчёт" : "Report");
  title = g_strdup (lers_report_document_get_title (document));
  properties.title = title;
  workbook_set_properties (w.workbook, &properties);

  if (w.sheet != NULL)
    lers_report_xlsx_set_page (&w, document);
  ok = w.sheet != NULL && lers_report_xlsx_write_document (&w, document, cancellable, error);
  if (!ok)
    {
      if (w.sheet == NULL)
        g_set_error_literal (error, LERS_ERROR, LERS_ERROR_FAILED,
                             _ ("Could not add a worksheet to the spreadsheet"));
      lers_report_xlsx_writer_clear (&w);
      g_unlink (path);
      return FALSE;
    }
  status = workbook_close (w.workbook); /* writes and frees it */
  w.workbook = NULL;
  lers_report_xlsx_writer_clear (&w);
  if (!lers_report_xlsx_check (status, error))
    {
      g_unlink (path);
      return FALSE;
    }

  file = g_file_new_for_path (path);
  input = g_file_read (file, cancellable, error);
  ok = input != NULL
       && g_output_stream_splice (stream, G_INPUT_STREAM (input),
                                  G_OUTPUT_STREAM_SPLICE_CLOSE_SOURCE, cancellable, error)
              >= 0;
  g_unlink (path);
  return ok;
}

static void
lers_report_xlsx_iface_init (LersReportBackendInterface *iface)
{
  iface->get_format = lers_report_xlsx_get_format;
  iface->get_content_type = lers_report_xlsx_get_content_type;
  iface->render_document = lers_report_xlsx_render_document;
}

static void
lers_report_xlsx_class_init (LersReportXlsxClass *klass)
{
}

static void
lers_report_xlsx_class_finalize (LersReportXlsxClass *klass)
{
}

static void
lers_report_xlsx_init (LersReportXlsx *self)
{
}

/**
 * lers_report_xlsx_register:
 * @module: the plugin's module
 *
 * Registers #LersReportXlsx with the type system.
 *
 * Since: 0.6
 */
void
lers_report_xlsx_register (GTypeModule *module)
{
  lers_report_xlsx_register_type (module);
}
