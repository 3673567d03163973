/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* A table band laid out: column widths, the header row (repeated on every
 * page), detail rows with their formats and highlights, group headers and
 * footers, the total row; a row is split across pages only when it is
 * taller than one. Every row also goes into a LersReportTable for the
 * formats that keep cells. */
#include "config.h"

#include <glib/gi18n-lib.h>
#include <math.h>
#include <string.h>

#include "lers-report-layout-private.h"

/* 5 mm in points */
#define LERS_REPORT_TABLE_MIN_SHARED (5 * 72 / 25.4)

typedef struct
{
  gchar *text;
  const LersReportStyle *style;
  gboolean bold;
  guint column;
  guint span;
  gdouble height; /* the text's, once measured; < 0: not yet */
} LersReportLaidCell;

typedef struct
{
  gboolean known;
  LersReportValueType type;
  gdouble number;
} LersReportKeptValue;

typedef struct
{
  LersReportLayout *layout;
  const LersReportTableSpec *spec;
  LersReportTable *table;
  guint n_columns;
  GArray *x;     /* of gdouble: each column's left edge */
  GArray *width; /* of gdouble */
  const LersReportStyle *style;
  const LersReportStyle *header_style;
  GPtrArray *titles; /* of gchar* */
  gdouble header_height;
  guint header_page; /* where the header row was last drawn */
  gboolean header_drawn;
  guint n_rows;
  GArray *table_row;  /* of guint: each source row's row in @table */
  GPtrArray *groups;  /* of LersReportGroup*, outermost first */
  gboolean measuring; /* keep="yes": the first pass only adds up heights */
  gdouble measured;
  gboolean hold;   /* the next detail row waits for its group footer */
  GArray *pending; /* of LersReportLaidCell: that row, or NULL */
  /* each detail cell's value as its row computed it (n_columns × n_rows),
   * for the totals of footers and the total row: a column whose value
   * does not show the page number gives the same value again */
  LersReportKeptValue *kept;
  gboolean *keeps; /* of each column */
  /* asked per cell, answered once: format → its spreadsheet form (or
   * NULL), font string → whether bold (1 + TRUE/FALSE); keyed by address */
  GHashTable *spreadsheet;
  GHashTable *font_bold;
} LersReportTableRun;

static void
lers_report_laid_cell_clear (gpointer data)
{
  LersReportLaidCell *cell = data;

  g_free (cell->text);
}

static gdouble
lers_report_table_run_span_width (LersReportTableRun *run, guint column, guint span)
{
  gdouble width = 0;

  for (guint c = column; c < column + span && c < run->n_columns; c++)
    width += g_array_index (run->width, gdouble, c);
  return width;
}

static const gchar *
lers_report_laid_cell_font (const LersReportLaidCell *cell)
{
  return cell->bold ? lers_report_font_bold_kept (cell->style->font) : cell->style->font;
}

/* the height of @cell's text wrapped in its span less the padding */
static gdouble
lers_report_table_run_text_height (LersReportTableRun *run, LersReportLaidCell *cell)
{
  gdouble pad = cell->style->padding;
  gdouble width = lers_report_table_run_span_width (run, cell->column, cell->span) - 2 * pad;

  if (cell->height < 0)
    cell->height = lers_report_layout_measure (run->layout, cell->text,
                                               lers_report_laid_cell_font (cell), MAX (width, 1));
  return cell->height;
}

static gdouble
lers_report_table_run_measure (LersReportTableRun *run, GArray *cells)
{
  gdouble height = 0;

  for (guint i = 0; i < cells->len; i++)
    {
      LersReportLaidCell *cell = &g_array_index (cells, LersReportLaidCell, i);
      gdouble pad = cell->style->padding;

      height = MAX (height, lers_report_table_run_text_height (run, cell) + 2 * pad);
    }
  return height;
}

static void
lers_report_table_run_draw (LersReportTableRun *run, GArray *cells, gdouble height)
{
  LersReportLayout *layout = run->layout;

  for (guint i = 0; i < cells->len; i++)
    {
      LersReportLaidCell *cell = &g_array_index (cells, LersReportLaidCell, i);
      const LersReportStyle *style = cell->style;
      gdouble x = g_array_index (run->x, gdouble, cell->column);
      gdouble width = lers_report_table_run_span_width (run, cell->column, cell->span);
      gdouble pad = style->padding;
      const gchar *font = lers_report_laid_cell_font (cell);
      gdouble text_height;
      gdouble top = layout->y + pad;

      if (style->has_fill || style->border > 0)
        lers_report_document_add_rect (layout->document, layout->page_index, x, layout->y, width,
                                       height, style->has_fill, style->fill, style->border);
      if (cell->text == NULL || cell->text[0] == '\0')
        continue;
      text_height = lers_report_table_run_text_height (run, cell);
      if (style->valign == LERS_REPORT_VALIGN_MIDDLE)
        top = layout->y + (height - text_height) / 2;
      else if (style->valign == LERS_REPORT_VALIGN_BOTTOM)
        top = layout->y + height - pad - text_height;
      lers_report_document_add_text (layout->document, layout->page_index, x + pad, top,
                                     MAX (width - 2 * pad, 1), text_height, cell->text, font,
                                     lers_report_text_align (style->align), style->color);
    }
  layout->y += height;
  layout->page_empty = FALSE;
}

static void
lers_report_table_run_draw_header (LersReportTableRun *run)
{
  g_autoptr (GArray) cells
      = g_array_sized_new (FALSE, TRUE, sizeof (LersReportLaidCell), run->n_columns);

  for (guint c = 0; c < run->n_columns; c++)
    {
      LersReportLaidCell cell
          = { g_strdup (g_ptr_array_index (run->titles, c)), run->header_style, FALSE, c, 1, -1 };
      g_array_append_val (cells, cell);
    }
  g_array_set_clear_func (cells, lers_report_laid_cell_clear);
  lers_report_table_run_draw (run, cells, run->header_height);
  run->header_page = run->layout->page_index;
  run->header_drawn = TRUE;
}

/* splits @cell's text after its last line that ends within @room (the
 * cell's padding included): the head stays in @cell, the rest is
 * returned; at least one line stays when @force */
static gchar *
lers_report_table_run_split_cell (LersReportTableRun *run, LersReportLaidCell *cell, gdouble room,
                                  gboolean force)
{
  g_autoptr (PangoLayout) pl = NULL;
  g_autoptr (PangoFontDescription) desc = NULL;
  g_autofree gchar *bold = cell->bold ? lers_report_font_bold (cell->style->font) : NULL;
  gdouble pad = cell->style->padding;
  gdouble width = lers_report_table_run_span_width (run, cell->column, cell->span) - 2 * pad;
  PangoLayoutIter *iter;
  gint cut = -1;
  gchar *rest;

  if (cell->text == NULL || cell->text[0] == '\0')
    return g_strdup ("");
  pl = pango_layout_new (run->layout->pango);
  desc = pango_font_description_from_string (bold != NULL ? bold : cell->style->font);
  pango_layout_set_font_description (pl, desc);
  pango_layout_set_width (pl, (gint) (MAX (width, 1) * PANGO_SCALE));
  pango_layout_set_wrap (pl, PANGO_WRAP_WORD_CHAR);
  pango_layout_set_text (pl, cell->text, -1);
  iter = pango_layout_get_iter (pl);
  do
    {
      PangoRectangle logical;
      PangoLayoutLine *line = pango_layout_iter_get_line_readonly (iter);

      pango_layout_iter_get_line_extents (iter, NULL, &logical);
      if ((gdouble) (logical.y + logical.height) / PANGO_SCALE + 2 * pad > room + 0.001
          && !(force && cut < 0))
        break;
      cut = line->start_index + line->length;
    }
  while (pango_layout_iter_next_line (iter));
  pango_layout_iter_free (iter);
  if (cut < 0)
    cut = 0;
  rest = g_strdup (cell->text + cut);
  cell->text[cut] = '\0';
  cell->height = -1;
  g_strchomp (cell->text);
  g_strchug (rest);
  return rest;
}

/* draws a row where it fits: on a new page (with the header row again)
 * when it does not fit on this one; a row taller than a page is split
 * between lines, each cell on its own, the header row repeated */
static void
lers_report_table_run_emit (LersReportTableRun *run, GArray *cells)
{
  LersReportLayout *layout = run->layout;
  gdouble height = lers_report_table_run_measure (run, cells);
  gboolean header
      = run->header_page != layout->page_index && (!run->header_drawn || run->spec->repeat_header);
  g_autoptr (GArray) pending = g_steal_pointer (&run->pending);
  gdouble pending_height = pending != NULL ? lers_report_table_run_measure (run, pending) : 0;
  gdouble need = pending_height + height + (header ? run->header_height : 0);
  gboolean fresh = layout->page_empty;
  g_autoptr (GArray) owned = NULL; /* the rest of a split row */

  if (run->measuring)
    {
      run->measured += height;
      return;
    }
  if (run->hold)
    {
      /* the last row of a group: it goes with the group's footer */
      run->hold = FALSE;
      run->pending = g_array_ref (cells);
      return;
    }
  if (layout->y + need > layout->bottom + 0.001 && !layout->page_empty)
    {
      lers_report_layout_new_page (layout);
      header = !run->header_drawn || run->spec->repeat_header;
      fresh = TRUE;
    }
  if (header)
    lers_report_table_run_draw_header (run);
  if (pending != NULL)
    lers_report_table_run_draw (run, pending, pending_height);
  while (fresh && layout->y + height > layout->bottom + 0.001)
    {
      /* taller than what a page holds: the lines that fit here, the rest
       * on the next page */
      GArray *rest = g_array_new (FALSE, TRUE, sizeof (LersReportLaidCell));
      gdouble room = layout->bottom - layout->y;
      gboolean any = FALSE;
      gboolean text = FALSE;

      /* no text left to split (a page smaller than one empty row): as is */
      for (guint i = 0; i < cells->len; i++)
        {
          const gchar *t = g_array_index (cells, LersReportLaidCell, i).text;

          text = text || (t != NULL && t[0] != '\0');
        }
      if (!text)
        {
          g_array_unref (rest);
          break;
        }
      g_array_set_clear_func (rest, lers_report_laid_cell_clear);
      for (guint i = 0; i < cells->len; i++)
        {
          LersReportLaidCell *cell = &g_array_index (cells, LersReportLaidCell, i);
          LersReportLaidCell tail = *cell;

          tail.height = -1;
          tail.text = lers_report_table_run_split_cell (run, cell, room, FALSE);
          any = any || (cell->text != NULL && cell->text[0] != '\0');
          g_array_append_val (rest, tail);
        }
      if (!any)
        {
          /* not one line fits under the header: one line of each cell */
          for (guint i = 0; i < cells->len; i++)
            {
              LersReportLaidCell *cell = &g_array_index (cells, LersReportLaidCell, i);
              LersReportLaidCell *tail = &g_array_index (rest, LersReportLaidCell, i);

              g_free (cell->text);
              cell->text = g_steal_pointer (&tail->text);
              cell->height = -1;
              tail->text = lers_report_table_run_split_cell (run, cell, room, TRUE);
            }
        }
      lers_report_table_run_draw (run, cells, room);
      lers_report_layout_new_page (layout);
      if (run->spec->repeat_header || !run->header_drawn)
        lers_report_table_run_draw_header (run);
      g_clear_pointer (&owned, g_array_unref);
      owned = rest;
      cells = rest;
      height = lers_report_table_run_measure (run, cells);
    }
  lers_report_table_run_draw (run, cells, height);
}

/* the aggregate of a column's value over source rows [first, end) */
/* the type and number of column @c's value at source @row: as its detail
 * row kept it, else evaluated */
static gboolean
lers_report_table_run_cell_number (LersReportTableRun *run, guint c, guint row,
                                   LersReportValueType *type, gdouble *number, GError **error)
{
  const LersReportColumn *column = g_ptr_array_index (run->spec->columns, c);
  LersReportValue value = LERS_REPORT_VALUE_INIT;
  const LersReportKeptValue *kept = &run->kept[(gsize) row * run->n_columns + c];

  if (kept->known)
    {
      *type = kept->type;
      *number = kept->number;
      return TRUE;
    }
  if (!lers_report_layout_eval (run->layout, column->value, row, 0, run->n_rows, &value, error))
    {
      lers_report_value_clear (&value);
      return FALSE;
    }
  *type = value.type;
  *number = value.number;
  lers_report_value_clear (&value);
  return TRUE;
}

static gboolean
lers_report_table_run_aggregate (LersReportTableRun *run, guint c, LersReportTotal total,
                                 guint first, guint end, LersReportValue *result, GError **error)
{
  gdouble sum = 0;
  gdouble min = G_MAXDOUBLE;
  gdouble max = -G_MAXDOUBLE;
  guint count = 0;

  lers_report_value_clear (result);
  for (guint row = first; row < end; row++)
    {
      LersReportValueType type;
      gdouble number;

      if (!lers_report_table_run_cell_number (run, c, row, &type, &number, error))
        return FALSE;
      if (type != LERS_REPORT_VALUE_NULL)
        count++;
      if (type == LERS_REPORT_VALUE_NUMBER)
        {
          sum += number;
          min = MIN (min, number);
          max = MAX (max, number);
        }
    }
  switch (total)
    {
    case LERS_REPORT_TOTAL_COUNT:
      lers_report_value_set_number (result, count);
      break;
    case LERS_REPORT_TOTAL_SUM:
      if (min <= max)
        lers_report_value_set_number (result, sum);
      break;
    case LERS_REPORT_TOTAL_AVG:
      if (min <= max)
        {
          guint n = 0;

          /* the average of the numbers: count only those */
          for (guint row = first; row < end; row++)
            {
              LersReportValueType type;
              gdouble number;

              if (!lers_report_table_run_cell_number (run, c, row, &type, &number, error))
                return FALSE;
              if (type == LERS_REPORT_VALUE_NUMBER)
                n++;
            }
          lers_report_value_set_number (result, sum / n);
        }
      break;
    case LERS_REPORT_TOTAL_MIN:
      if (min <= max)
        lers_report_value_set_number (result, min);
      break;
    case LERS_REPORT_TOTAL_MAX:
      if (min <= max)
        lers_report_value_set_number (result, max);
      break;
    case LERS_REPORT_TOTAL_NONE:
    default:
      break;
    }
  /* a sum past the largest double is ±inf: no number a reader (or an XLSX
   * cell) can hold, so the total is empty */
  if (result->type == LERS_REPORT_VALUE_NUMBER && !isfinite (result->number))
    lers_report_value_clear (result);
  return TRUE;
}

static LersReportAggregate
lers_report_total_to_aggregate (LersReportTotal total)
{
  switch (total)
    {
    case LERS_REPORT_TOTAL_SUM:
      return LERS_REPORT_AGGREGATE_SUM;
    case LERS_REPORT_TOTAL_AVG:
      return LERS_REPORT_AGGREGATE_AVG;
    case LERS_REPORT_TOTAL_MIN:
      return LERS_REPORT_AGGREGATE_MIN;
    case LERS_REPORT_TOTAL_MAX:
      return LERS_REPORT_AGGREGATE_MAX;
    case LERS_REPORT_TOTAL_COUNT:
      return LERS_REPORT_AGGREGATE_COUNT;
    case LERS_REPORT_TOTAL_NONE:
    default:
      return LERS_REPORT_AGGREGATE_NONE;
    }
}

/* sets a model cell of the last row and returns the text shown */
static gchar *
lers_report_table_run_set_cell (LersReportTableRun *run, guint column, const LersReportValue *value,
                                const gchar *format, const LersReportStyle *style, gboolean bold)
{
  LersReportLayout *layout = run->layout;
  gchar *text = lers_report_value_format (value, format, layout->language, layout->zone);
  const gchar *spreadsheet = NULL;
  gpointer font_bold;

  if (format != NULL
      && (value->type == LERS_REPORT_VALUE_NUMBER || value->type == LERS_REPORT_VALUE_TIME))
    {
      gpointer found;

      if (g_hash_table_lookup_extended (run->spreadsheet, format, NULL, &found))
        spreadsheet = found;
      else
        {
          g_autofree gchar *made = lers_report_format_to_spreadsheet (format);

          spreadsheet
              = made != NULL && *made != '\0' ? lers_report_table_intern (run->table, made) : NULL;
          g_hash_table_insert (run->spreadsheet, (gpointer) format, (gpointer) spreadsheet);
        }
    }
  lers_report_table_set_cell_interned (run->table, column, value, text, spreadsheet, layout->zone);
  font_bold = g_hash_table_lookup (run->font_bold, style->font);
  if (font_bold == NULL)
    {
      font_bold = GINT_TO_POINTER (1 + (lers_report_font_is_bold (style->font) ? 1 : 0));
      g_hash_table_insert (run->font_bold, (gpointer) style->font, font_bold);
    }
  lers_report_table_set_cell_style (run->table, column, bold || GPOINTER_TO_INT (font_bold) == 2,
                                    style->has_fill, style->fill);
  return text;
}

static const LersReportStyle *
lers_report_table_run_column_style (LersReportTableRun *run, guint c)
{
  const LersReportColumn *column = g_ptr_array_index (run->spec->columns, c);

  return lers_report_layout_style (run->layout, column->style, run->style);
}

static gboolean
lers_report_table_run_detail (LersReportTableRun *run, guint row, GError **error)
{
  g_autoptr (GArray) cells
      = g_array_sized_new (FALSE, TRUE, sizeof (LersReportLaidCell), run->n_columns);
  guint index = lers_report_table_append_row (run->table, LERS_REPORT_ROW_DETAIL);

  g_array_set_clear_func (cells, lers_report_laid_cell_clear);
  g_array_append_val (run->table_row, index);
  for (guint c = 0; c < run->n_columns; c++)
    {
      const LersReportColumn *column = g_ptr_array_index (run->spec->columns, c);
      const LersReportStyle *style = lers_report_table_run_column_style (run, c);
      LersReportValue value = LERS_REPORT_VALUE_INIT;
      LersReportLaidCell cell = { NULL, style, FALSE, c, 1, -1 };

      if (!lers_report_layout_eval (run->layout, column->value, row, 0, run->n_rows, &value, error))
        {
          lers_report_value_clear (&value);
          return FALSE;
        }
      if (run->keeps[c])
        {
          LersReportKeptValue *kept = &run->kept[(gsize) row * run->n_columns + c];

          kept->known = TRUE;
          kept->type = value.type;
          kept->number = value.number;
        }
      for (guint h = 0; column->highlights != NULL && h < column->highlights->len; h++)
        {
          const LersReportHighlight *highlight = g_ptr_array_index (column->highlights, h);
          LersReportValue when = LERS_REPORT_VALUE_INIT;
          gboolean match;

          if (!lers_report_layout_eval (run->layout, highlight->when, row, 0, run->n_rows, &when,
                                        error))
            {
              lers_report_value_clear (&when);
              lers_report_value_clear (&value);
              return FALSE;
            }
          match = lers_report_value_is_true (&when);
          lers_report_value_clear (&when);
          if (match)
            {
              cell.style = lers_report_layout_style (run->layout, highlight->style, style);
              break;
            }
        }
      cell.text
          = lers_report_table_run_set_cell (run, c, &value, column->format, cell.style, FALSE);
      lers_report_value_clear (&value);
      g_array_append_val (cells, cell);
    }
  lers_report_table_run_emit (run, cells);
  return TRUE;
}

/* a group header or footer, or (with @group NULL) the total row, over
 * source rows [first, end) */
static gboolean
lers_report_table_run_band_row (LersReportTableRun *run, const LersReportGroup *group,
                                gboolean footer, guint first, guint end, GError **error)
{
  LersReportLayout *layout = run->layout;
  g_autoptr (GArray) cells
      = g_array_sized_new (FALSE, TRUE, sizeof (LersReportLaidCell), run->n_columns);
  GPtrArray *declared = NULL;
  const LersReportStyle *row_style = run->style;
  gboolean bold = TRUE;
  gboolean totals = footer;
  guint column = 0;
  LersReportRowKind kind = LERS_REPORT_ROW_TOTAL;

  g_array_set_clear_func (cells, lers_report_laid_cell_clear);
  if (group != NULL)
    {
      declared = footer ? group->footer : group->header;
      kind = footer ? LERS_REPORT_ROW_GROUP_FOOTER : LERS_REPORT_ROW_GROUP_HEADER;
      if ((footer ? group->footer_style : group->header_style) != NULL)
        {
          row_style = footer ? group->footer_style : group->header_style;
          bold = FALSE;
        }
      if (declared == NULL || declared->len == 0)
        return TRUE; /* no such row */
    }
  lers_report_table_append_row (run->table, kind);

  /* the declared cells, from the first column on */
  for (guint i = 0; declared != NULL && i < declared->len && column < run->n_columns; i++)
    {
      const LersReportCell *spec = g_ptr_array_index (declared, i);
      guint span = MAX (spec->span, 1);
      const LersReportStyle *style = lers_report_layout_style (layout, spec->style, row_style);
      LersReportValue value = LERS_REPORT_VALUE_INIT;
      LersReportLaidCell cell = { NULL, style, bold && spec->style == NULL, column, 0, -1 };

      span = MIN (span, run->n_columns - column);
      cell.span = span;
      if (spec->text != NULL
          && !lers_report_layout_eval (layout, spec->text, first, first, end, &value, error))
        {
          lers_report_value_clear (&value);
          return FALSE;
        }
      cell.text = lers_report_table_run_set_cell (run, column, &value, NULL, style, cell.bold);
      lers_report_value_clear (&value);
      if (span > 1)
        lers_report_table_set_cell_span (run->table, column, span);
      g_array_append_val (cells, cell);
      column += span;
    }

  /* the total row's label: in the first column when it has no total */
  if (group == NULL && column == 0 && run->n_columns > 0)
    {
      const LersReportColumn *first_column = g_ptr_array_index (run->spec->columns, 0);

      if (first_column->total == LERS_REPORT_TOTAL_NONE)
        {
          const gchar *label = first_column->total_format;
          LersReportValue value = LERS_REPORT_VALUE_INIT;
          LersReportLaidCell cell = { NULL, row_style, bold, 0, 1, -1 };

          if (label == NULL && layout->strings != NULL)
            label = g_hash_table_lookup (layout->strings, "total");
          if (label == NULL)
            label = g_strcmp0 (layout->language, "ru") == 0 ? "Итого" : "Total";
          lers_report_value_set_string (&value, label);
          cell.text = lers_report_table_run_set_cell (run, 0, &value, NULL, row_style, bold);
          lers_report_value_clear (&value);
          g_array_append_val (cells, cell);
          column = 1;
        }
    }

  /* the rest: the columns' totals in footers and the total row */
  for (; column < run->n_columns; column++)
    {
      const LersReportColumn *spec = g_ptr_array_index (run->spec->columns, column);
      const LersReportStyle *style
          = lers_report_layout_style (layout, row_style == run->style ? NULL : row_style,
                                      lers_report_table_run_column_style (run, column));
      LersReportValue value = LERS_REPORT_VALUE_INIT;
      LersReportLaidCell cell = { NULL, style, bold, column, 1, -1 };

      if (totals && spec->total != LERS_REPORT_TOTAL_NONE && end > first)
        {
          const gchar *format = spec->total_format != NULL ? spec->total_format : spec->format;
          guint first_row = g_array_index (run->table_row, guint, first);
          guint last_row = g_array_index (run->table_row, guint, end - 1);

          if (!lers_report_table_run_aggregate (run, column, spec->total, first, end, &value,
                                                error))
            {
              lers_report_value_clear (&value);
              return FALSE;
            }
          cell.text = lers_report_table_run_set_cell (run, column, &value, format, style, bold);
          lers_report_table_set_cell_aggregate (run->table, column,
                                                lers_report_total_to_aggregate (spec->total),
                                                first_row, last_row);
        }
      else
        {
          cell.text = g_strdup ("");
          lers_report_table_set_cell_style (run->table, column, bold, style->has_fill, style->fill);
        }
      lers_report_value_clear (&value);
      g_array_append_val (cells, cell);
    }
  lers_report_table_run_emit (run, cells);
  return TRUE;
}

static gboolean
lers_report_table_run_setup (LersReportTableRun *run, GError **error)
{
  LersReportLayout *layout = run->layout;
  g_autoptr (GArray) cells = g_array_new (FALSE, TRUE, sizeof (LersReportLaidCell));
  gdouble fixed = 0;
  guint n_shared = 0;
  gdouble shared = 0;
  gdouble scale = 1;
  gdouble x = layout->page->margin_left;

  g_array_set_clear_func (cells, lers_report_laid_cell_clear);
  for (guint c = 0; c < run->n_columns; c++)
    {
      const LersReportColumn *column = g_ptr_array_index (run->spec->columns, c);

      if (column->width > 0)
        fixed += column->width;
      else
        n_shared++;
    }
  /* flexible columns share what the fixed ones leave, at least 5 mm each;
   * when that does not fit in the body, every width shrinks by the same
   * factor (fixed columns past the margin would be cut off) */
  if (n_shared > 0)
    shared = MAX ((layout->content_width - fixed) / n_shared, LERS_REPORT_TABLE_MIN_SHARED);
  if (fixed + shared * n_shared > layout->content_width && fixed + shared * n_shared > 0)
    scale = layout->content_width / (fixed + shared * n_shared);
  for (guint c = 0; c < run->n_columns; c++)
    {
      const LersReportColumn *column = g_ptr_array_index (run->spec->columns, c);
      gdouble width = column->width;
      g_autofree gchar *title = NULL;

      if (width <= 0)
        width = shared;
      width *= scale;
      g_array_append_val (run->x, x);
      g_array_append_val (run->width, width);
      x += width;
      /* titles see the table's rows as the report header does */
      title = lers_report_layout_eval_text (layout, column->title, NULL, 0, 0, run->n_rows, error);
      if (title == NULL)
        return FALSE;
      lers_report_table_set_column (run->table, c, title, width);
      g_ptr_array_add (run->titles, g_steal_pointer (&title));
    }
  for (guint c = 0; c < run->n_columns; c++)
    {
      LersReportLaidCell cell
          = { g_strdup (g_ptr_array_index (run->titles, c)), run->header_style, FALSE, c, 1, -1 };
      g_array_append_val (cells, cell);
    }
  run->header_height = lers_report_table_run_measure (run, cells);
  for (const LersReportGroup *group = run->spec->group; group != NULL; group = group->parent)
    {
      g_ptr_array_insert (run->groups, 0, (gpointer) group);
      if (run->groups->len > 64)
        break; /* a loop the parser let through */
    }
  return TRUE;
}

/* for each row, the outermost group level that starts there (n_groups:
 * none) */
static guint *
lers_report_table_run_changes (LersReportTableRun *run, GError **error)
{
  guint n_groups = run->groups->len;
  g_autofree guint *changes = g_new0 (guint, MAX (run->n_rows, 1));
  g_autoptr (GPtrArray) previous = g_ptr_array_new_with_free_func (g_free);

  for (guint g = 0; g < n_groups; g++)
    g_ptr_array_add (previous, NULL);
  for (guint row = 0; row < run->n_rows; row++)
    {
      changes[row] = row == 0 ? 0 : n_groups;
      for (guint g = 0; g < n_groups; g++)
        {
          const LersReportGroup *group = g_ptr_array_index (run->groups, g);
          g_autofree gchar *key = NULL;

          key = lers_report_layout_eval_text (run->layout, group->by, NULL, row, 0, run->n_rows,
                                              error);
          if (key == NULL)
            return NULL;
          if (row > 0 && changes[row] == n_groups
              && g_strcmp0 (key, g_ptr_array_index (previous, g)) != 0)
            changes[row] = g;
          g_free (g_ptr_array_index (previous, g));
          g_ptr_array_index (previous, g) = g_steal_pointer (&key);
        }
    }
  return g_steal_pointer (&changes);
}

static gboolean
lers_report_table_run_rows (LersReportTableRun *run, GError **error)
{
  LersReportLayout *layout = run->layout;
  GPtrArray *groups = run->groups;
  guint n_groups = groups->len;
  g_autofree guint *changes = NULL;
  g_autofree guint *starts = NULL;

  changes = lers_report_table_run_changes (run, error);
  if (changes == NULL)
    return FALSE;
  starts = g_new0 (guint, n_groups + 1);
  for (guint row = 0; row < run->n_rows; row++)
    {
      if (lers_report_layout_check_cancelled (layout, error))
        return FALSE;
      if (changes[row] < n_groups)
        {
          /* close the groups that end here, innermost first */
          for (guint g = n_groups; row > 0 && g-- > changes[row];)
            if (!lers_report_table_run_band_row (run, g_ptr_array_index (groups, g), TRUE,
                                                 starts[g], row, error))
              return FALSE;
          /* open the new ones, outermost first */
          for (guint g = changes[row]; g < n_groups; g++)
            {
              guint end = row + 1;

              while (end < run->n_rows && changes[end] > g)
                end++;
              starts[g] = row;
              if (!lers_report_table_run_band_row (run, g_ptr_array_index (groups, g), FALSE, row,
                                                   end, error))
                return FALSE;
            }
        }
      /* a group footer follows this row: never let it start a page alone */
      if (!run->measuring)
        for (guint g = row + 1 < run->n_rows ? changes[row + 1] : 0; g < n_groups; g++)
          {
            const LersReportGroup *group = g_ptr_array_index (groups, g);

            if (group->footer != NULL && group->footer->len > 0)
              run->hold = TRUE;
          }
      if (!lers_report_table_run_detail (run, row, error))
        return FALSE;
    }
  for (guint g = n_groups; run->n_rows > 0 && g-- > 0;)
    if (!lers_report_table_run_band_row (run, g_ptr_array_index (groups, g), TRUE, starts[g],
                                         run->n_rows, error))
      return FALSE;
  if (run->spec->has_totals
      && !lers_report_table_run_band_row (run, NULL, TRUE, 0, run->n_rows, error))
    return FALSE;
  if (!run->header_drawn && !run->measuring)
    {
      lers_report_layout_ensure_room (layout, run->header_height);
      lers_report_table_run_draw_header (run);
    }
  return TRUE;
}

gboolean
lers_report_layout_table (LersReportLayout *layout, const LersReportTableSpec *spec, GError **error)
{
  LersReportTableRun run = { 0 };
  g_autoptr (LersReportTable) table = NULL;
  g_autoptr (GArray) x = g_array_new (FALSE, FALSE, sizeof (gdouble));
  g_autoptr (GArray) width = g_array_new (FALSE, FALSE, sizeof (gdouble));
  g_autoptr (GArray) table_row = g_array_new (FALSE, FALSE, sizeof (guint));
  g_autoptr (GPtrArray) titles = g_ptr_array_new_with_free_func (g_free);
  g_autoptr (GPtrArray) groups = g_ptr_array_new ();
  LersReportRows outer_rows = layout->rows;
  g_autofree LersReportKeptValue *kept = NULL;
  g_autofree gboolean *keeps = NULL;
  g_autoptr (GHashTable) spreadsheet = g_hash_table_new (NULL, NULL);
  g_autoptr (GHashTable) font_bold = g_hash_table_new (NULL, NULL);
  gboolean ok;

  if (spec->columns == NULL || spec->columns->len == 0)
    return TRUE;
  layout->rows = spec->rows;
  run.layout = layout;
  run.spec = spec;
  run.n_columns = spec->columns->len;
  table = lers_report_table_new (run.n_columns);
  run.table = table;
  run.x = x;
  run.width = width;
  run.titles = titles;
  run.table_row = table_row;
  run.groups = groups;
  run.style = lers_report_layout_style (layout, spec->style, NULL);
  run.header_style = lers_report_layout_style (layout, spec->header_style, run.style);
  run.header_page = G_MAXUINT;
  run.n_rows = layout->binding->n_rows (layout->binding->user_data, spec->rows);
  kept = g_new0 (LersReportKeptValue, (gsize) run.n_columns * MAX (run.n_rows, 1));
  keeps = g_new0 (gboolean, run.n_columns);
  for (guint c = 0; c < run.n_columns; c++)
    {
      const LersReportColumn *column = g_ptr_array_index (spec->columns, c);

      keeps[c] = column->value != NULL && !lers_report_expr_uses_page (column->value);
    }
  run.kept = kept;
  run.keeps = keeps;
  run.spreadsheet = spreadsheet;
  run.font_bold = font_bold;

  ok = lers_report_table_run_setup (&run, error);
  if (ok && spec->keep)
    {
      /* keep="yes": a first pass adds up the rows' heights (into a table
       * thrown away); the whole table starts on a new page when it does not
       * fit in what is left of this one (a table taller than a page still
       * flows from the top of the next) */
      g_autoptr (LersReportTable) scratch = lers_report_table_new (run.n_columns);

      run.table = scratch;
      run.measuring = TRUE;
      ok = lers_report_table_run_rows (&run, error);
      run.measuring = FALSE;
      run.table = table;
      /* the formats it kept were the scratch table's */
      g_hash_table_remove_all (spreadsheet);
      g_array_set_size (table_row, 0);
      if (ok && layout->y + run.header_height + run.measured > layout->bottom + 0.001
          && !layout->page_empty)
        lers_report_layout_new_page (layout);
    }
  ok = ok && lers_report_table_run_rows (&run, error);
  g_clear_pointer (&run.pending, g_array_unref);
  layout->rows = outer_rows;
  if (ok)
    lers_report_document_append_table_block (layout->document, layout->band, table);
  return ok;
}
