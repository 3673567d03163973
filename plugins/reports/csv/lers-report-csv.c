/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * The CSV report backend: a laid-out report's text and tables as RFC 4180
 * records, for a spreadsheet or a script.
 *
 * - UTF-8 with a byte order mark: Excel reads a CSV file without one in the
 *   ANSI code page and garbles Cyrillic; with it, it opens the file right.
 * - Lines end with CRLF, as RFC 4180 says (every spreadsheet and Python's
 *   csv module read them).
 * - The separator is “;” for Russian documents (Russian Excel takes “,” for
 *   the decimal comma and splits on “;”) and “,” for English ones.
 * - A field is quoted when it holds the separator, a quote, CR or LF; its
 *   quotes are doubled.
 * - Blocks in reading order: a text block is a one-field record; a table
 *   is its header record (the column titles) and one record a row, each
 *   cell as shown (its text: "65,23" in Russian); a table is set apart from
 *   what comes before and after it by an empty line. Charts, images and
 *   page breaks have no place in CSV and are left out.
 * - A text (a text block, a text cell) that a spreadsheet would take for a
 *   formula (it starts with =, +, @, a tab or CR, or - not followed by a
 *   digit) gets an apostrophe in front, as OWASP advises against CSV
 *   injection: point names and meter event texts come from users and
 *   devices. Numbers are never changed ("-1,500").
 *
 * render_records (the archive export before templates) writes a header
 * "timestamp" and one column a parameter ("T_in, degC"), timestamps in
 * ISO 8601 UTC, numbers with a decimal point, separated by “,”.
 */
#include "lers-report-csv.h"

#include <string.h>

struct _LersReportCsv
{
  GObject parent_instance;
};

static void lers_report_csv_iface_init (LersReportBackendInterface *iface);

G_DEFINE_DYNAMIC_TYPE_EXTENDED (LersReportCsv, lers_report_csv, G_TYPE_OBJECT, G_TYPE_FLAG_FINAL,
                                G_IMPLEMENT_INTERFACE_DYNAMIC (LERS_TYPE_REPORT_BACKEND,
                                                               lers_report_csv_iface_init))

#define LERS_REPORT_CSV_EOL "\r\n"
#define LERS_REPORT_CSV_BOM "\xEF\xBB\xBF"

void
lers_report_csv_append_field (GString *out, const gchar *field, gchar separator)
{
  gboolean quote = FALSE;

  if (field == NULL)
    return;
  for (const gchar *p = field; *p != '\0' && !quote; p++)
    quote = *p == separator || *p == '"' || *p == '\r' || *p == '\n';
  if (!quote)
    {
      g_string_append (out, field);
      return;
    }
  g_string_append_c (out, '"');
  for (const gchar *p = field; *p != '\0'; p++)
    {
      if (*p == '"')
        g_string_append_c (out, '"');
      g_string_append_c (out, *p);
    }
  g_string_append_c (out, '"');
}

/* @text as a field, with an apostrophe in front when a spreadsheet would
 * run it as a formula */
static void
lers_report_csv_append_text_field (GString *out, const gchar *text, gchar separator)
{
  gboolean formula;

  if (text == NULL)
    return;
  formula = text[0] == '=' || text[0] == '+' || text[0] == '@' || text[0] == '\t' || text[0] == '\r'
            || (text[0] == '-' && !g_ascii_isdigit (text[1]));
  if (formula)
    {
      g_autofree gchar *guarded = g_strconcat ("'", text, NULL);
      lers_report_csv_append_field (out, guarded, separator);
    }
  else
    lers_report_csv_append_field (out, text, separator);
}

/* writes and empties @out */
static gboolean
lers_report_csv_flush (GString *out, GOutputStream *stream, GCancellable *cancellable,
                       GError **error)
{
  gboolean ok;

  if (out->len == 0)
    return TRUE;
  ok = g_output_stream_write_all (stream, out->str, out->len, NULL, cancellable, error);
  g_string_truncate (out, 0);
  return ok;
}

static const gchar *
lers_report_csv_get_format (LersReportBackend *backend)
{
  return "csv";
}

static const gchar *
lers_report_csv_get_content_type (LersReportBackend *backend)
{
  return "text/csv";
}

static gboolean
lers_report_csv_render_records (LersReportBackend *backend, GPtrArray *records,
                                GOutputStream *stream, GCancellable *cancellable, GError **error)
{
  g_autoptr (GArray) columns = g_array_new (FALSE, FALSE, sizeof (LersParameter));
  g_autoptr (GString) out = g_string_new (LERS_REPORT_CSV_BOM "timestamp");

  /* the columns: every parameter any record has, in order of appearance */
  for (guint i = 0; i < records->len; i++)
    {
      LersRecord *record = g_ptr_array_index (records, i);
      for (guint j = 0; j < lers_record_get_n_values (record); j++)
        {
          LersParameter parameter;
          gboolean seen = FALSE;

          lers_record_get_value_at (record, j, &parameter, NULL, NULL);
          for (guint k = 0; k < columns->len && !seen; k++)
            seen = g_array_index (columns, LersParameter, k) == parameter;
          if (!seen)
            g_array_append_val (columns, parameter);
        }
    }
  for (guint k = 0; k < columns->len; k++)
    {
      LersParameter parameter = g_array_index (columns, LersParameter, k);
      g_autofree gchar *title
          = g_strdup_printf ("%s, %s", lers_parameter_get_name (parameter),
                             lers_unit_get_code (lers_parameter_get_unit (parameter)));
      g_string_append_c (out, ',');
      lers_report_csv_append_field (out, title, ',');
    }
  g_string_append (out, LERS_REPORT_CSV_EOL);

  for (guint i = 0; i < records->len; i++)
    {
      LersRecord *record = g_ptr_array_index (records, i);
      g_autoptr (GDateTime) utc = g_date_time_to_utc (lers_record_get_timestamp (record));
      g_autofree gchar *when = g_date_time_format_iso8601 (utc);

      g_string_append (out, when);
      for (guint k = 0; k < columns->len; k++)
        {
          gchar buf[G_ASCII_DTOSTR_BUF_SIZE];
          gdouble value;

          g_string_append_c (out, ',');
          if (lers_record_get_value (record, g_array_index (columns, LersParameter, k), &value,
                                     NULL))
            g_string_append (out, g_ascii_dtostr (buf, sizeof buf, value));
        }
      g_string_append (out, LERS_REPORT_CSV_EOL);
      if (out->len > 65536 && !lers_report_csv_flush (out, stream, cancellable, error))
        return FALSE;
    }
  return lers_report_csv_flush (out, stream, cancellable, error);
}

static void
lers_report_csv_append_table (GString *out, LersReportTable *table, gchar separator)
{
  guint n_columns = lers_report_table_get_n_columns (table);
  guint n_rows = lers_report_table_get_n_rows (table);

  for (guint c = 0; c < n_columns; c++)
    {
      if (c > 0)
        g_string_append_c (out, separator);
      lers_report_csv_append_text_field (out, lers_report_table_get_column_title (table, c),
                                         separator);
    }
  g_string_append (out, LERS_REPORT_CSV_EOL);
  for (guint r = 0; r < n_rows; r++)
    {
      for (guint c = 0; c < n_columns; c++)
        {
          const gchar *text = lers_report_table_get_cell_text (table, r, c);

          if (c > 0)
            g_string_append_c (out, separator);
          if (lers_report_table_get_cell_kind (table, r, c) == LERS_REPORT_CELL_TEXT)
            lers_report_csv_append_text_field (out, text, separator);
          else
            lers_report_csv_append_field (out, text, separator);
        }
      g_string_append (out, LERS_REPORT_CSV_EOL);
    }
}

static gboolean
lers_report_csv_render_document (LersReportBackend *backend, LersReportDocument *document,
                                 GOutputStream *stream, GCancellable *cancellable, GError **error)
{
  const gchar *language = lers_report_document_get_language (document);
  gchar separator = g_strcmp0 (language, "ru") == 0 ? ';' : ',';
  guint n_blocks = lers_report_document_get_n_blocks (document);
  g_autoptr (GString) out = g_string_new (LERS_REPORT_CSV_BOM);
  gboolean written = FALSE;     /* any record yet */
  gboolean after_table = FALSE; /* the last record ended a table */

  for (guint b = 0; b < n_blocks; b++)
    {
      LersReportBlockKind kind = lers_report_document_get_block_kind (document, b);

      if (g_cancellable_set_error_if_cancelled (cancellable, error))
        return FALSE;
      if (kind == LERS_REPORT_BLOCK_TEXT)
        {
          if (after_table)
            g_string_append (out, LERS_REPORT_CSV_EOL);
          lers_report_csv_append_text_field (out, lers_report_document_get_block_text (document, b),
                                             separator);
          g_string_append (out, LERS_REPORT_CSV_EOL);
          written = TRUE;
          after_table = FALSE;
        }
      else if (kind == LERS_REPORT_BLOCK_TABLE)
        {
          LersReportTable *table = lers_report_document_get_block_table (document, b);

          if (table == NULL)
            continue;
          if (written)
            g_string_append (out, LERS_REPORT_CSV_EOL);
          lers_report_csv_append_table (out, table, separator);
          written = TRUE;
          after_table = TRUE;
        }
      if (out->len > 65536 && !lers_report_csv_flush (out, stream, cancellable, error))
        return FALSE;
    }
  return lers_report_csv_flush (out, stream, cancellable, error);
}

static void
lers_report_csv_iface_init (LersReportBackendInterface *iface)
{
  iface->get_format = lers_report_csv_get_format;
  iface->get_content_type = lers_report_csv_get_content_type;
  iface->render_records = lers_report_csv_render_records;
  iface->render_document = lers_report_csv_render_document;
}

static void
lers_report_csv_class_init (LersReportCsvClass *klass)
{
}

static void
lers_report_csv_class_finalize (LersReportCsvClass *klass)
{
}

static void
lers_report_csv_init (LersReportCsv *self)
{
}

/**
 * lers_report_csv_register:
 * @module: the plugin's module
 *
 * Registers #LersReportCsv with the type system.
 *
 * Since: 0.6
 */
void
lers_report_csv_register (GTypeModule *module)
{
  lers_report_csv_register_type (module);
}
