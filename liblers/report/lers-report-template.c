/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Report templates (docs/report-templates.md): a parsed and checked
 * template, read whole or not at all. The reading is in
 * lers-report-template-xml.c (XML to a tree with positions) and
 * lers-report-template-build.c / -table.c (the checks and the parts). */
#include "config.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "lers-error.h"
#include "lers-report-template-private.h"
#include "lers-report-template-xml.h"

/**
 * LersReportTemplate:
 *
 * A report template (docs/report-templates.md): the page setup, bands,
 * tables, charts and expressions of one report, parsed and checked once.
 * A template that does not parse gives an error naming its line and
 * column and no object.
 *
 * Since: 0.6
 */
struct _LersReportTemplate
{
  GObject parent_instance;
  GBytes *text;
  LersTplParts *parts;
};

G_DEFINE_FINAL_TYPE (LersReportTemplate, lers_report_template, G_TYPE_OBJECT)

static void
lers_report_template_finalize (GObject *object)
{
  LersReportTemplate *self = LERS_REPORT_TEMPLATE (object);

  g_clear_pointer (&self->text, g_bytes_unref);
  g_clear_pointer (&self->parts, lers_tpl_parts_free);
  G_OBJECT_CLASS (lers_report_template_parent_class)->finalize (object);
}

static void
lers_report_template_class_init (LersReportTemplateClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = lers_report_template_finalize;
}

static void
lers_report_template_init (LersReportTemplate *self)
{
}

/* Reads "PREFIX<line>MIDDLE<column>SUFFIX" from the start of @message,
 * the pieces split out of @format ("line %u, column %u: %s" or its
 * translation) at its two "%u" and its "%s". */
static gboolean
lers_report_template_read_place (const gchar *message, const gchar *format, guint *line,
                                 guint *column)
{
  g_auto (GStrv) pieces = g_strsplit (format, "%u", 3);
  const gchar *p = message;
  guint64 numbers[2];

  if (g_strv_length (pieces) != 3 || !g_str_has_suffix (pieces[2], "%s"))
    return FALSE;
  pieces[2][strlen (pieces[2]) - 2] = '\0';
  for (guint i = 0; i < 2; i++)
    {
      gchar *end = NULL;

      if (!g_str_has_prefix (p, pieces[i]))
        return FALSE;
      p += strlen (pieces[i]);
      if (!g_ascii_isdigit (*p))
        return FALSE;
      numbers[i] = g_ascii_strtoull (p, &end, 10);
      if (numbers[i] == 0 || numbers[i] > G_MAXUINT)
        return FALSE;
      p = end;
    }
  if (!g_str_has_prefix (p, pieces[2]))
    return FALSE;
  *line = (guint) numbers[0];
  *column = (guint) numbers[1];
  return TRUE;
}

/**
 * lers_report_template_get_error_position:
 * @error: an error from lers_report_template_new_from_bytes() or its
 *   siblings
 * @line: (out) (optional): return location for the line, from 1
 * @column: (out) (optional): return location for the column, from 1, in
 *   characters
 *
 * Where in the template's text the error of a template that did not
 * parse lies. Every error of a template's text (XML, an unknown field, an
 * expression, a loop in groupings) is %LERS_ERROR_INVALID_DATA and names a
 * place; errors of another kind (a file that cannot be read) name none.
 *
 * Returns: %TRUE with @line and @column set, %FALSE when @error names no
 *   place in the text (then @line and @column are 0)
 *
 * Since: 0.6
 */
gboolean
lers_report_template_get_error_position (const GError *error, guint *line, guint *column)
{
  guint l = 0, c = 0;
  gboolean found = FALSE;

  if (error != NULL && g_error_matches (error, LERS_ERROR, LERS_ERROR_INVALID_DATA)
      && error->message != NULL)
    {
      /* the same format every template error is made with
       * (lers_tpl_set_error), in the language it was made in: ours or the
       * untranslated one */
      found = lers_report_template_read_place (error->message, "line %u, column %u: %s", &l, &c)
              || lers_report_template_read_place (error->message, _ ("line %u, column %u: %s"), &l,
                                                  &c);
    }
  if (line != NULL)
    *line = l;
  if (column != NULL)
    *column = c;
  return found;
}

/**
 * lers_report_template_new_from_bytes:
 * @bytes: the template's XML, UTF-8
 * @error: return location for a #GError
 *
 * Parses and checks a template. An error is %LERS_ERROR_INVALID_DATA with
 * a message that starts with the line and column of what is wrong
 * ("line 12, column 18: unknown field “T7”").
 *
 * Returns: (transfer full): the template, or %NULL with @error set
 *
 * Since: 0.6
 */
LersReportTemplate *
lers_report_template_new_from_bytes (GBytes *bytes, GError **error)
{
  g_autoptr (LersReportTemplate) self = NULL;
  g_autoptr (LersTplNode) root = NULL;
  g_autofree gchar *doc = NULL;
  gsize length = 0;
  const gchar *data;

  g_return_val_if_fail (bytes != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  data = g_bytes_get_data (bytes, &length);
  /* a NUL-terminated copy: positions are counted in it */
  doc = g_malloc (length + 1);
  if (length > 0)
    memcpy (doc, data, length);
  doc[length] = '\0';
  root = lers_tpl_read (doc, length, error);
  if (root == NULL)
    return NULL;
  self = g_object_new (LERS_TYPE_REPORT_TEMPLATE, NULL);
  self->parts = lers_tpl_build (doc, root, error);
  if (self->parts == NULL)
    return NULL;
  self->text = g_bytes_ref (bytes);
  return g_steal_pointer (&self);
}

/**
 * lers_report_template_new_from_data:
 * @text: the template's XML, UTF-8
 * @length: the length of @text in bytes, or -1 when it is NUL-terminated
 * @error: return location for a #GError
 *
 * Parses and checks a template, as lers_report_template_new_from_bytes().
 *
 * Returns: (transfer full): the template, or %NULL with @error set
 *
 * Since: 0.6
 */
LersReportTemplate *
lers_report_template_new_from_data (const gchar *text, gssize length, GError **error)
{
  g_autoptr (GBytes) bytes = NULL;

  g_return_val_if_fail (text != NULL || length == 0, NULL);
  if (length < 0)
    length = (gssize) strlen (text);
  bytes = g_bytes_new (text, (gsize) length);
  return lers_report_template_new_from_bytes (bytes, error);
}

/**
 * lers_report_template_new_from_file:
 * @file: a template file
 * @cancellable: (nullable): a #GCancellable
 * @error: return location for a #GError
 *
 * Reads @file and parses it, as lers_report_template_new_from_bytes().
 *
 * Returns: (transfer full): the template, or %NULL with @error set
 *
 * Since: 0.6
 */
LersReportTemplate *
lers_report_template_new_from_file (GFile *file, GCancellable *cancellable, GError **error)
{
  g_autoptr (GBytes) bytes = NULL;

  g_return_val_if_fail (G_IS_FILE (file), NULL);
  bytes = g_file_load_bytes (file, cancellable, NULL, error);
  if (bytes == NULL)
    return NULL;
  return lers_report_template_new_from_bytes (bytes, error);
}

/**
 * lers_report_template_get_id:
 * @self: a #LersReportTemplate
 *
 * Returns: the template's id (`<report id="…">`)
 *
 * Since: 0.6
 */
const gchar *
lers_report_template_get_id (LersReportTemplate *self)
{
  g_return_val_if_fail (LERS_IS_REPORT_TEMPLATE (self), NULL);
  return self->parts->id;
}

/**
 * lers_report_template_get_title:
 * @self: a #LersReportTemplate
 * @language: (nullable): "ru" or "en" (%NULL or anything else: "en")
 *
 * The report's name in @language, else in the other language, else its id.
 *
 * Returns: (transfer none): the title
 *
 * Since: 0.6
 */
const gchar *
lers_report_template_get_title (LersReportTemplate *self, const gchar *language)
{
  g_return_val_if_fail (LERS_IS_REPORT_TEMPLATE (self), NULL);
  return g_hash_table_lookup (lers_report_template_get_strings (self, language), "title");
}

/**
 * lers_report_template_get_source:
 * @self: a #LersReportTemplate
 *
 * Returns: what one document of the report covers
 *
 * Since: 0.6
 */
LersReportSource
lers_report_template_get_source (LersReportTemplate *self)
{
  g_return_val_if_fail (LERS_IS_REPORT_TEMPLATE (self), LERS_REPORT_SOURCE_POINT);
  return self->parts->source;
}

/**
 * lers_report_template_get_kinds:
 * @self: a #LersReportTemplate
 * @n_kinds: (out): the number of kinds
 *
 * The archive kinds the report accepts (`<parameters kinds="…">`; hour,
 * day and month when the template does not say).
 *
 * Returns: (transfer none) (array length=n_kinds): the kinds
 *
 * Since: 0.6
 */
const LersArchiveKind *
lers_report_template_get_kinds (LersReportTemplate *self, guint *n_kinds)
{
  g_return_val_if_fail (LERS_IS_REPORT_TEMPLATE (self), NULL);
  g_return_val_if_fail (n_kinds != NULL, NULL);
  *n_kinds = self->parts->kinds->len;
  return (const LersArchiveKind *) (gconstpointer) self->parts->kinds->data;
}

/**
 * lers_report_template_get_default_kind:
 * @self: a #LersReportTemplate
 *
 * Returns: the archive kind the report uses unless told otherwise
 *
 * Since: 0.6
 */
LersArchiveKind
lers_report_template_get_default_kind (LersReportTemplate *self)
{
  g_return_val_if_fail (LERS_IS_REPORT_TEMPLATE (self), LERS_ARCHIVE_KIND_DAY);
  return self->parts->default_kind;
}

/**
 * lers_report_template_get_default_period:
 * @self: a #LersReportTemplate
 *
 * Returns: the period the UI offers first: "day", "month" or "year"
 *
 * Since: 0.6
 */
const gchar *
lers_report_template_get_default_period (LersReportTemplate *self)
{
  g_return_val_if_fail (LERS_IS_REPORT_TEMPLATE (self), NULL);
  return self->parts->period;
}

/**
 * lers_report_template_get_text:
 * @self: a #LersReportTemplate
 *
 * Returns: (transfer full): the template's XML as it was read
 *
 * Since: 0.6
 */
GBytes *
lers_report_template_get_text (LersReportTemplate *self)
{
  g_return_val_if_fail (LERS_IS_REPORT_TEMPLATE (self), NULL);
  return g_bytes_ref (self->text);
}

/**
 * lers_report_template_list_fields:
 * @rows: (nullable): a table's row source ("archive", "points", "events",
 *   "incidents", "readings"), or %NULL for the fields outside tables
 *
 * Every field name a template may use there, for an editor's field list.
 *
 * Returns: (transfer full) (array zero-terminated=1) (nullable): the
 *   names, or %NULL when @rows is not a row source
 *
 * Since: 0.6
 */
gchar **
lers_report_template_list_fields (const gchar *rows)
{
  static const gchar *const names[]
      = { "archive", "points", "events", "incidents", "readings", NULL };
  LersReportRows source = LERS_REPORT_ROWS_NONE;
  const gchar *const *fields;
  guint n = 0;
  gchar **out;

  if (rows != NULL)
    {
      guint i;

      for (i = 0; names[i] != NULL && g_strcmp0 (names[i], rows) != 0; i++)
        ;
      if (names[i] == NULL)
        return NULL;
      source = (LersReportRows) (LERS_REPORT_ROWS_ARCHIVE + i);
    }
  fields = lers_report_field_list (source, &n);
  out = g_new0 (gchar *, n + 1);
  for (guint i = 0; i < n; i++)
    out[i] = g_strdup (fields[i]);
  return out;
}

const LersReportPageSetup *
lers_report_template_get_page (LersReportTemplate *self)
{
  return &self->parts->page;
}

const LersReportBand *
lers_report_template_get_report_header (LersReportTemplate *self)
{
  return self->parts->report_header;
}

const LersReportBand *
lers_report_template_get_page_header (LersReportTemplate *self)
{
  return self->parts->page_header;
}

const LersReportBand *
lers_report_template_get_body (LersReportTemplate *self)
{
  return self->parts->body;
}

const LersReportBand *
lers_report_template_get_summary (LersReportTemplate *self)
{
  return self->parts->summary;
}

const LersReportBand *
lers_report_template_get_page_footer (LersReportTemplate *self)
{
  return self->parts->page_footer;
}

const LersReportStyle *
lers_report_template_get_default_style (LersReportTemplate *self)
{
  return self->parts->default_style;
}

GHashTable *
lers_report_template_get_strings (LersReportTemplate *self, const gchar *language)
{
  return g_strcmp0 (language, "ru") == 0 ? self->parts->strings_ru : self->parts->strings_en;
}

guint
lers_report_template_get_rows_used (LersReportTemplate *self)
{
  return self->parts->rows_used;
}
