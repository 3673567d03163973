/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* A table of a laid-out report, as cells with their values, formats and
 * totals, for the formats that keep tables (CSV, XLSX, HTML).
 *
 * The layout fills it row by row (lers-report-table-private.h): a row is
 * appended with all its cells empty, then the cells of that last row are
 * set. Cells hold both what a reader sees (the text) and the value behind
 * it (a number, a moment, a truth value), so a spreadsheet can keep real
 * numbers and dates and show them with the same format. */
#include "config.h"

#include "lers-report-table-private.h"

typedef struct
{
  gchar *title;
  gdouble width;
} LersReportTableColumn;

typedef struct
{
  LersReportCellKind kind;
  const gchar *text; /* in the table's string chunk */
  gdouble number;
  gint64 time; /* µs since the Unix epoch, UTC */
  gboolean boolean;
  GTimeZone *zone;     /* one of the table's zones */
  const gchar *format; /* interned: a table repeats a few formats */
  guint span;
  gboolean bold;
  gboolean has_fill;
  guint32 fill;
  LersReportAggregate aggregate;
  guint first_row;
  guint last_row;
} LersReportTableCell;

typedef struct
{
  LersReportRowKind kind;
  LersReportTableCell *cells; /* n_columns of them */
} LersReportTableRow;

struct _LersReportTable
{
  GObject parent_instance;

  guint n_columns;
  LersReportTableColumn *columns;
  GPtrArray *rows; /* of LersReportTableRow */
  /* what the cells point to, kept once for all of them: their texts, the
   * zones their times are shown in (of GTimeZone*, a reference each) */
  GStringChunk *texts;
  GPtrArray *zones;
};

/**
 * LersReportTable:
 *
 * A table of a laid-out report (#LersReportDocument): its columns, its rows
 * (detail, group header and footer, total) and its cells, each with the
 * text a reader sees and the value behind it (a number, a moment, a truth
 * value), the spreadsheet number format, spans, bold and fill, and for the
 * total cells which aggregate over which rows. Backends that keep tables
 * (CSV, XLSX, HTML) read it; the layout builds it.
 *
 * Since: 0.6
 */

G_DEFINE_FINAL_TYPE (LersReportTable, lers_report_table, G_TYPE_OBJECT)

static void
lers_report_table_row_free (gpointer pointer)
{
  LersReportTableRow *row = pointer;

  /* the cells are in the row's block; what they point to is the table's */
  g_free (row);
}

static void
lers_report_table_finalize (GObject *object)
{
  LersReportTable *self = LERS_REPORT_TABLE (object);

  /* the cells own nothing: their texts and zones are the table's */
  g_ptr_array_unref (self->rows);
  g_string_chunk_free (self->texts);
  g_ptr_array_unref (self->zones);
  for (guint c = 0; c < self->n_columns; c++)
    g_free (self->columns[c].title);
  g_free (self->columns);
  G_OBJECT_CLASS (lers_report_table_parent_class)->finalize (object);
}

static void
lers_report_table_class_init (LersReportTableClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = lers_report_table_finalize;
}

static void
lers_report_table_init (LersReportTable *self)
{
  self->rows = g_ptr_array_new_with_free_func (lers_report_table_row_free);
  self->texts = g_string_chunk_new (4096);
  self->zones = g_ptr_array_new_with_free_func ((GDestroyNotify) g_time_zone_unref);
}

/* @zone (NULL: UTC) as one of the table's zones */
static GTimeZone *
lers_report_table_keep_zone (LersReportTable *self, GTimeZone *zone)
{
  g_autoptr (GTimeZone) utc = NULL;

  if (zone == NULL)
    zone = utc = g_time_zone_new_utc ();
  for (guint i = 0; i < self->zones->len; i++)
    {
      GTimeZone *kept = g_ptr_array_index (self->zones, i);

      if (kept == zone)
        return kept;
    }
  g_ptr_array_add (self->zones, g_time_zone_ref (zone));
  return zone;
}

/* builder (lers-report-table-private.h) */

LersReportTable *
lers_report_table_new (guint n_columns)
{
  LersReportTable *self = g_object_new (LERS_TYPE_REPORT_TABLE, NULL);

  self->n_columns = n_columns;
  self->columns = g_new0 (LersReportTableColumn, MAX (n_columns, 1));
  return self;
}

void
lers_report_table_set_column (LersReportTable *self, guint column, const gchar *title,
                              gdouble width)
{
  g_return_if_fail (LERS_IS_REPORT_TABLE (self));
  g_return_if_fail (column < self->n_columns);
  g_free (self->columns[column].title);
  self->columns[column].title = g_strdup (title != NULL ? title : "");
  self->columns[column].width = width;
}

guint
lers_report_table_append_row (LersReportTable *self, LersReportRowKind kind)
{
  LersReportTableRow *row;

  g_return_val_if_fail (LERS_IS_REPORT_TABLE (self), 0);
  /* one block: the row, then its cells */
  row = g_malloc0 (sizeof (LersReportTableRow)
                   + sizeof (LersReportTableCell) * MAX (self->n_columns, 1));
  row->kind = kind;
  row->cells = (LersReportTableCell *) (row + 1);
  for (guint c = 0; c < self->n_columns; c++)
    row->cells[c].span = 1;
  g_ptr_array_add (self->rows, row);
  return self->rows->len - 1;
}

/* a cell of the last row, for the setters; NULL (with a critical) when
 * there is no row yet or @column is out of range */
static LersReportTableCell *
lers_report_table_last_cell (LersReportTable *self, guint column)
{
  LersReportTableRow *row;

  g_return_val_if_fail (LERS_IS_REPORT_TABLE (self), NULL);
  g_return_val_if_fail (self->rows->len > 0, NULL);
  g_return_val_if_fail (column < self->n_columns, NULL);
  row = g_ptr_array_index (self->rows, self->rows->len - 1);
  return &row->cells[column];
}

void
lers_report_table_set_cell_interned (LersReportTable *self, guint column,
                                     const LersReportValue *value, const gchar *text,
                                     const gchar *format, GTimeZone *zone)
{
  LersReportTableCell *cell = lers_report_table_last_cell (self, column);

  if (cell == NULL)
    return;
  cell->text = NULL;
  cell->format = NULL;
  cell->zone = NULL;
  cell->kind = LERS_REPORT_CELL_EMPTY;
  cell->number = 0.0;
  cell->time = 0;
  cell->boolean = FALSE;
  switch (value != NULL ? value->type : LERS_REPORT_VALUE_NULL)
    {
    case LERS_REPORT_VALUE_NULL:
      /* a null value is empty; a label without a value (NULL) is text */
      cell->kind = text != NULL && *text != '\0' ? LERS_REPORT_CELL_TEXT : LERS_REPORT_CELL_EMPTY;
      break;
    case LERS_REPORT_VALUE_NUMBER:
      cell->kind = LERS_REPORT_CELL_NUMBER;
      cell->number = value->number;
      break;
    case LERS_REPORT_VALUE_STRING:
      cell->kind = LERS_REPORT_CELL_TEXT;
      break;
    case LERS_REPORT_VALUE_BOOLEAN:
      cell->kind = LERS_REPORT_CELL_BOOLEAN;
      cell->boolean = value->boolean;
      break;
    case LERS_REPORT_VALUE_TIME:
      cell->kind = LERS_REPORT_CELL_TIME;
      cell->time = value->time;
      break;
    default:
      break;
    }
  if (cell->kind == LERS_REPORT_CELL_TEXT && (text == NULL || *text == '\0') && value != NULL
      && value->string != NULL)
    text = value->string;
  cell->text = g_string_chunk_insert (self->texts, text != NULL ? text : "");
  cell->format = format;
  cell->zone = lers_report_table_keep_zone (self, zone);
}

void
lers_report_table_set_cell (LersReportTable *self, guint column, const LersReportValue *value,
                            const gchar *text, const gchar *format, GTimeZone *zone)
{
  lers_report_table_set_cell_interned (
      self, column, value, text,
      format != NULL && *format != '\0' ? lers_report_table_intern (self, format) : NULL, zone);
}

const gchar *
lers_report_table_intern (LersReportTable *self, const gchar *text)
{
  /* not g_intern_string: a daemon's templates bring formats without end */
  return g_string_chunk_insert_const (self->texts, text);
}

void
lers_report_table_set_cell_span (LersReportTable *self, guint column, guint span)
{
  LersReportTableCell *cell = lers_report_table_last_cell (self, column);

  if (cell == NULL)
    return;
  /* a span never runs past the last column */
  cell->span = CLAMP (span, 1, self->n_columns - column);
}

void
lers_report_table_set_cell_style (LersReportTable *self, guint column, gboolean bold,
                                  gboolean has_fill, guint32 fill)
{
  LersReportTableCell *cell = lers_report_table_last_cell (self, column);

  if (cell == NULL)
    return;
  cell->bold = bold;
  cell->has_fill = has_fill;
  cell->fill = has_fill ? fill & 0xffffff : 0;
}

void
lers_report_table_set_cell_aggregate (LersReportTable *self, guint column,
                                      LersReportAggregate aggregate, guint first_row,
                                      guint last_row)
{
  LersReportTableCell *cell = lers_report_table_last_cell (self, column);

  if (cell == NULL)
    return;
  g_return_if_fail (first_row <= last_row);
  cell->aggregate = aggregate;
  cell->first_row = first_row;
  cell->last_row = last_row;
}

/* accessors */

static LersReportTableCell *
lers_report_table_get_cell (LersReportTable *self, guint row, guint column)
{
  LersReportTableRow *r;

  g_return_val_if_fail (LERS_IS_REPORT_TABLE (self), NULL);
  g_return_val_if_fail (row < self->rows->len, NULL);
  g_return_val_if_fail (column < self->n_columns, NULL);
  r = g_ptr_array_index (self->rows, row);
  return &r->cells[column];
}

/**
 * lers_report_table_get_n_columns:
 * @self: a #LersReportTable
 *
 * Returns: how many columns the table has
 *
 * Since: 0.6
 */
guint
lers_report_table_get_n_columns (LersReportTable *self)
{
  g_return_val_if_fail (LERS_IS_REPORT_TABLE (self), 0);
  return self->n_columns;
}

/**
 * lers_report_table_get_column_title:
 * @self: a #LersReportTable
 * @column: a column, from 0
 *
 * Returns: (transfer none): the column's title as a reader sees it in the
 *   header row ("" when it has none)
 *
 * Since: 0.6
 */
const gchar *
lers_report_table_get_column_title (LersReportTable *self, guint column)
{
  g_return_val_if_fail (LERS_IS_REPORT_TABLE (self), NULL);
  g_return_val_if_fail (column < self->n_columns, NULL);
  return self->columns[column].title != NULL ? self->columns[column].title : "";
}

/**
 * lers_report_table_get_column_width:
 * @self: a #LersReportTable
 * @column: a column, from 0
 *
 * Returns: the column's width on the page, in points (1/72 in)
 *
 * Since: 0.6
 */
gdouble
lers_report_table_get_column_width (LersReportTable *self, guint column)
{
  g_return_val_if_fail (LERS_IS_REPORT_TABLE (self), 0.0);
  g_return_val_if_fail (column < self->n_columns, 0.0);
  return self->columns[column].width;
}

/**
 * lers_report_table_get_n_rows:
 * @self: a #LersReportTable
 *
 * Returns: how many rows the table has, not counting the header row (the
 *   column titles)
 *
 * Since: 0.6
 */
guint
lers_report_table_get_n_rows (LersReportTable *self)
{
  g_return_val_if_fail (LERS_IS_REPORT_TABLE (self), 0);
  return self->rows->len;
}

/**
 * lers_report_table_get_row_kind:
 * @self: a #LersReportTable
 * @row: a row, from 0
 *
 * Returns: what the row is: a detail row, a group's header or footer, the
 *   total row
 *
 * Since: 0.6
 */
LersReportRowKind
lers_report_table_get_row_kind (LersReportTable *self, guint row)
{
  LersReportTableRow *r;

  g_return_val_if_fail (LERS_IS_REPORT_TABLE (self), LERS_REPORT_ROW_DETAIL);
  g_return_val_if_fail (row < self->rows->len, LERS_REPORT_ROW_DETAIL);
  r = g_ptr_array_index (self->rows, row);
  return r->kind;
}

/**
 * lers_report_table_get_cell_kind:
 * @self: a #LersReportTable
 * @row: a row, from 0
 * @column: a column, from 0
 *
 * The kind of value behind the cell, from the type of the expression's
 * result: a number, a moment, a truth value, text, or nothing (a null
 * value, or a cell no one set, such as one covered by a span).
 *
 * Returns: the cell's kind
 *
 * Since: 0.6
 */
LersReportCellKind
lers_report_table_get_cell_kind (LersReportTable *self, guint row, guint column)
{
  LersReportTableCell *cell = lers_report_table_get_cell (self, row, column);

  return cell != NULL ? cell->kind : LERS_REPORT_CELL_EMPTY;
}

/**
 * lers_report_table_get_cell_text:
 * @self: a #LersReportTable
 * @row: a row, from 0
 * @column: a column, from 0
 *
 * Returns: (transfer none): the cell as a reader sees it, formatted in the
 *   report's language ("65,23" in Russian); "" for an empty cell
 *
 * Since: 0.6
 */
const gchar *
lers_report_table_get_cell_text (LersReportTable *self, guint row, guint column)
{
  LersReportTableCell *cell = lers_report_table_get_cell (self, row, column);

  return cell != NULL && cell->text != NULL ? cell->text : "";
}

/**
 * lers_report_table_get_cell_number:
 * @self: a #LersReportTable
 * @row: a row, from 0
 * @column: a column, from 0
 *
 * Returns: the number behind a %LERS_REPORT_CELL_NUMBER cell (not rounded
 *   to the format); 1 or 0 for a %LERS_REPORT_CELL_BOOLEAN cell; 0 for
 *   the other kinds
 *
 * Since: 0.6
 */
gdouble
lers_report_table_get_cell_number (LersReportTable *self, guint row, guint column)
{
  LersReportTableCell *cell = lers_report_table_get_cell (self, row, column);

  if (cell == NULL)
    return 0.0;
  if (cell->kind == LERS_REPORT_CELL_BOOLEAN)
    return cell->boolean ? 1.0 : 0.0;
  return cell->kind == LERS_REPORT_CELL_NUMBER ? cell->number : 0.0;
}

/**
 * lers_report_table_dup_cell_time:
 * @self: a #LersReportTable
 * @row: a row, from 0
 * @column: a column, from 0
 *
 * The moment behind a %LERS_REPORT_CELL_TIME cell, in the time zone the
 * report shows it in (the node's), so its wall-clock fields are what the
 * cell's text shows.
 *
 * Returns: (transfer full) (nullable): the moment, or %NULL when the cell
 *   is not a %LERS_REPORT_CELL_TIME cell
 *
 * Since: 0.6
 */
GDateTime *
lers_report_table_dup_cell_time (LersReportTable *self, guint row, guint column)
{
  LersReportTableCell *cell = lers_report_table_get_cell (self, row, column);
  g_autoptr (GDateTime) utc = NULL;
  g_autoptr (GDateTime) exact = NULL;
  gint64 seconds;
  gint64 micro;

  if (cell == NULL || cell->kind != LERS_REPORT_CELL_TIME)
    return NULL;
  /* floor division: moments before 1970 keep a non-negative µs part */
  seconds = cell->time / G_USEC_PER_SEC;
  micro = cell->time % G_USEC_PER_SEC;
  if (micro < 0)
    {
      seconds--;
      micro += G_USEC_PER_SEC;
    }
  utc = g_date_time_new_from_unix_utc (seconds);
  if (utc == NULL)
    return NULL;
  exact = g_date_time_add (utc, micro);
  if (exact == NULL)
    return NULL;
  return g_date_time_to_timezone (exact, cell->zone);
}

/**
 * lers_report_table_get_cell_format:
 * @self: a #LersReportTable
 * @row: a row, from 0
 * @column: a column, from 0
 *
 * Returns: (transfer none) (nullable): the cell's number or date format in
 *   spreadsheet syntax (`0.00`, `dd.mm.yyyy hh:mm`), or %NULL when it has
 *   none (the spreadsheet's general format)
 *
 * Since: 0.6
 */
const gchar *
lers_report_table_get_cell_format (LersReportTable *self, guint row, guint column)
{
  LersReportTableCell *cell = lers_report_table_get_cell (self, row, column);

  return cell != NULL ? cell->format : NULL;
}

/**
 * lers_report_table_get_cell_span:
 * @self: a #LersReportTable
 * @row: a row, from 0
 * @column: a column, from 0
 *
 * How many columns the cell covers, itself included: the cells it covers
 * to its right are empty.
 *
 * Returns: the span, 1 or more
 *
 * Since: 0.6
 */
guint
lers_report_table_get_cell_span (LersReportTable *self, guint row, guint column)
{
  LersReportTableCell *cell = lers_report_table_get_cell (self, row, column);

  return cell != NULL ? MAX (cell->span, 1) : 1;
}

/**
 * lers_report_table_get_cell_bold:
 * @self: a #LersReportTable
 * @row: a row, from 0
 * @column: a column, from 0
 *
 * Returns: whether the cell's font is bold
 *
 * Since: 0.6
 */
gboolean
lers_report_table_get_cell_bold (LersReportTable *self, guint row, guint column)
{
  LersReportTableCell *cell = lers_report_table_get_cell (self, row, column);

  return cell != NULL && cell->bold;
}

/**
 * lers_report_table_get_cell_fill:
 * @self: a #LersReportTable
 * @row: a row, from 0
 * @column: a column, from 0
 * @rgb: (out) (optional): the fill colour, 0xRRGGBB
 *
 * Returns: whether the cell has a background fill (its own style's or a
 *   matching highlight's)
 *
 * Since: 0.6
 */
gboolean
lers_report_table_get_cell_fill (LersReportTable *self, guint row, guint column, guint32 *rgb)
{
  LersReportTableCell *cell = lers_report_table_get_cell (self, row, column);

  if (rgb != NULL)
    *rgb = cell != NULL ? cell->fill : 0;
  return cell != NULL && cell->has_fill;
}

/**
 * lers_report_table_get_cell_aggregate:
 * @self: a #LersReportTable
 * @row: a row, from 0
 * @column: a column, from 0
 * @first_row: (out) (optional): the first table row it aggregates over
 * @last_row: (out) (optional): the last table row it aggregates over
 *   (inclusive)
 *
 * Whether the cell is a total of its column: a spreadsheet writes it as a
 * formula (`=SUM(C5:C35)`) over [@first_row, @last_row], in which only the
 * detail rows count. The cell's number is the computed value.
 *
 * Returns: the aggregate, or %LERS_REPORT_AGGREGATE_NONE for a plain cell
 *   (then @first_row and @last_row are 0)
 *
 * Since: 0.6
 */
LersReportAggregate
lers_report_table_get_cell_aggregate (LersReportTable *self, guint row, guint column,
                                      guint *first_row, guint *last_row)
{
  LersReportTableCell *cell = lers_report_table_get_cell (self, row, column);
  gboolean set = cell != NULL && cell->aggregate != LERS_REPORT_AGGREGATE_NONE;

  if (first_row != NULL)
    *first_row = set ? cell->first_row : 0;
  if (last_row != NULL)
    *last_row = set ? cell->last_row : 0;
  return set ? cell->aggregate : LERS_REPORT_AGGREGATE_NONE;
}
