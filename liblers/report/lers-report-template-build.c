/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Checking a template's tree and building its parts: the report element,
 * title, parameters, page, strings and styles, then the bands
 * (lers-report-template-content.c). Every error names the line and column
 * of what is wrong. */
#include "config.h"

#include <glib/gi18n-lib.h>
#include <math.h>
#include <string.h>

#include "lers-error.h"
#include "lers-report-template-xml.h"

static void
report_style_free (LersReportStyle *style)
{
  g_free (style->font);
  g_free (style);
}

void
lers_tpl_parts_free (LersTplParts *parts)
{
  if (parts == NULL)
    return;
  g_free (parts->id);
  g_free (parts->title_ru);
  g_free (parts->title_en);
  g_free (parts->period);
  g_clear_pointer (&parts->kinds, g_array_unref);
  lers_tpl_band_free (parts->report_header);
  lers_tpl_band_free (parts->page_header);
  lers_tpl_band_free (parts->body);
  lers_tpl_band_free (parts->summary);
  lers_tpl_band_free (parts->page_footer);
  g_clear_pointer (&parts->styles, g_ptr_array_unref);
  g_clear_pointer (&parts->strings_ru, g_hash_table_unref);
  g_clear_pointer (&parts->strings_en, g_hash_table_unref);
  g_free (parts);
}

/* the strings every template has, which <strings> may replace */
static const struct
{
  const gchar *id, *ru, *en;
} builtin_strings[] = {
  { "total", "Итого", "Total" },
  { "period", "Период", "Period" },
  { "signature", "Подпись", "Signature" },
  { "page", "Стр. {0} из {1}", "Page {0} of {1}" },
  { "date", "Дата", "Date" },
};

static gboolean
read_strings (LersTplBuilder *b, LersTplNode *node)
{
  static const gchar *const allowed[] = { "id", "ru", "en", NULL };
  g_autoptr (GHashTable) seen = g_hash_table_new (g_str_hash, g_str_equal);

  if (!lers_tpl_check_node (b, node, NULL, FALSE))
    return FALSE;
  for (guint i = 0; i < node->children->len; i++)
    {
      LersTplNode *s = g_ptr_array_index (node->children, i);
      LersTplAttr *id, *ru, *en;

      if (strcmp (s->name, "s") != 0)
        {
          lers_tpl_unexpected (b, node, s);
          return FALSE;
        }
      if (!lers_tpl_check_node (b, s, allowed, FALSE)
          || (id = lers_tpl_require (b, s, "id")) == NULL)
        return FALSE;
      if (s->children->len > 0)
        {
          lers_tpl_unexpected (b, s, g_ptr_array_index (s->children, 0));
          return FALSE;
        }
      if (!g_hash_table_add (seen, id->value))
        {
          lers_tpl_error (b, id->value_offset, _ ("duplicate string id “%s”"), id->value);
          return FALSE;
        }
      ru = lers_tpl_attr (s, "ru");
      en = lers_tpl_attr (s, "en");
      /* a string in one language only shows in both */
      g_hash_table_insert (b->parts->strings_ru, g_strdup (id->value),
                           g_strdup (ru != NULL   ? ru->value
                                     : en != NULL ? en->value
                                                  : ""));
      g_hash_table_insert (b->parts->strings_en, g_strdup (id->value),
                           g_strdup (en != NULL   ? en->value
                                     : ru != NULL ? ru->value
                                                  : ""));
      g_hash_table_add (b->tr_ids, g_strdup (id->value));
    }
  return TRUE;
}

static gboolean
read_styles (LersTplBuilder *b, LersTplNode *node)
{
  if (!lers_tpl_check_node (b, node, NULL, FALSE))
    return FALSE;
  for (guint i = 0; i < node->children->len; i++)
    {
      LersTplNode *child = g_ptr_array_index (node->children, i);
      LersTplStyle *style;

      if (strcmp (child->name, "style") != 0)
        {
          lers_tpl_unexpected (b, node, child);
          return FALSE;
        }
      style = lers_tpl_read_style (b, child);
      if (style == NULL)
        return FALSE;
      if (g_hash_table_contains (b->styles, lers_tpl_attr (child, "id")->value))
        {
          LersTplAttr *id = lers_tpl_attr (child, "id");

          lers_tpl_style_free (style);
          lers_tpl_error (b, id->value_offset, _ ("duplicate style id “%s”"), id->value);
          return FALSE;
        }
      g_hash_table_insert (b->styles, g_strdup (lers_tpl_attr (child, "id")->value), style);
    }
  return TRUE;
}

static gboolean
read_title (LersTplBuilder *b, LersTplNode *node)
{
  static const gchar *const allowed[] = { "ru", "en", NULL };
  LersTplAttr *ru, *en;

  if (!lers_tpl_check_node (b, node, allowed, FALSE))
    return FALSE;
  ru = lers_tpl_attr (node, "ru");
  en = lers_tpl_attr (node, "en");
  b->parts->title_ru = g_strdup (ru != NULL ? ru->value : en != NULL ? en->value : NULL);
  b->parts->title_en = g_strdup (en != NULL ? en->value : ru != NULL ? ru->value : NULL);
  return TRUE;
}

static gboolean
read_parameters (LersTplBuilder *b, LersTplNode *node)
{
  static const gchar *const allowed[] = { "kinds", "default-kind", "period", NULL };
  static const gchar *const kinds[] = { "hour", "day", "month", NULL };
  static const gchar *const periods[] = { "day", "month", "year", NULL };
  LersTplParts *parts = b->parts;
  LersTplAttr *attr;
  guint index = 0;

  if (!lers_tpl_check_node (b, node, allowed, FALSE))
    return FALSE;
  if ((attr = lers_tpl_attr (node, "kinds")) != NULL)
    {
      g_auto (GStrv) names = g_strsplit_set (attr->value, " \t\n", -1);

      g_array_set_size (parts->kinds, 0);
      for (guint i = 0; names[i] != NULL; i++)
        {
          LersArchiveKind kind;

          if (names[i][0] == '\0')
            continue;
          if (!g_strv_contains (kinds, names[i])
              || !lers_archive_kind_from_string (names[i], &kind))
            {
              lers_tpl_error (b, attr->value_offset,
                              _ ("bad archive kind “%s”: hour, day or month"), names[i]);
              return FALSE;
            }
          g_array_append_val (parts->kinds, kind);
        }
      if (parts->kinds->len == 0)
        {
          lers_tpl_error (b, attr->value_offset, _ ("“kinds” names no archive kind"));
          return FALSE;
        }
      parts->default_kind = g_array_index (parts->kinds, LersArchiveKind, 0);
    }
  if ((attr = lers_tpl_attr (node, "default-kind")) != NULL)
    {
      gboolean listed = FALSE;
      LersArchiveKind kind = LERS_ARCHIVE_KIND_DAY;

      if (lers_tpl_enum (b, attr, kinds, &index))
        lers_archive_kind_from_string (kinds[index], &kind);
      else
        return FALSE;
      for (guint i = 0; i < parts->kinds->len; i++)
        listed |= g_array_index (parts->kinds, LersArchiveKind, i) == kind;
      if (!listed)
        {
          lers_tpl_error (b, attr->value_offset, _ ("the default kind “%s” is not in “kinds”"),
                          attr->value);
          return FALSE;
        }
      parts->default_kind = kind;
    }
  if ((attr = lers_tpl_attr (node, "period")) != NULL)
    {
      if (!lers_tpl_enum (b, attr, periods, &index))
        return FALSE;
      g_free (parts->period);
      parts->period = g_strdup (periods[index]);
    }
  return TRUE;
}

static gboolean
read_page (LersTplBuilder *b, LersTplNode *node)
{
  static const gchar *const allowed[] = { "size", "orientation", "margin", NULL };
  static const gchar *const orientations[] = { "portrait", "landscape", NULL };
  static const struct
  {
    const gchar *name;
    gdouble width_mm, height_mm;
  } sizes[] = {
    { "A4", 210, 297 },
    { "A3", 297, 420 },
    { "A5", 148, 210 },
    { "Letter", 215.9, 279.4 },
  };
  const gdouble mm = 72.0 / 25.4;
  LersReportPageSetup *page = &b->parts->page;
  LersTplAttr *attr;
  guint index = 0;

  if (!lers_tpl_check_node (b, node, allowed, FALSE))
    return FALSE;
  if ((attr = lers_tpl_attr (node, "size")) != NULL)
    {
      gboolean known = FALSE;

      for (guint i = 0; i < G_N_ELEMENTS (sizes); i++)
        if (strcmp (attr->value, sizes[i].name) == 0)
          {
            page->width = sizes[i].width_mm * mm;
            page->height = sizes[i].height_mm * mm;
            known = TRUE;
          }
      if (!known)
        {
          gchar *x = NULL, *end = NULL;
          gdouble w = g_ascii_strtod (attr->value, &x), h = 0;

          if (x != attr->value && *x == 'x' && g_ascii_isdigit (x[1]))
            h = g_ascii_strtod (x + 1, &end);
          if (end == NULL || *end != '\0' || !(w >= 10 && w <= 5000) || !(h >= 10 && h <= 5000))
            {
              lers_tpl_error (b, attr->value_offset,
                              _ ("bad page size “%s”: A4, A3, A5, Letter or WIDTHxHEIGHT in mm"),
                              attr->value);
              return FALSE;
            }
          page->width = w * mm;
          page->height = h * mm;
        }
    }
  if ((attr = lers_tpl_attr (node, "orientation")) != NULL)
    {
      if (!lers_tpl_enum (b, attr, orientations, &index))
        return FALSE;
      if ((index == 1) != (page->width > page->height))
        {
          gdouble w = page->width;

          page->width = page->height;
          page->height = w;
        }
    }
  if ((attr = lers_tpl_attr (node, "margin")) != NULL)
    {
      g_auto (GStrv) words = g_strsplit (attr->value, " ", -1);
      gdouble m[4];
      guint n = 0;

      for (guint i = 0; words[i] != NULL; i++)
        {
          if (words[i][0] == '\0')
            continue;
          if (n == 4 || !lers_tpl_parse_length (words[i], &m[n]))
            {
              n = 5;
              break;
            }
          n++;
        }
      if (n != 1 && n != 4)
        {
          lers_tpl_error (b, attr->value_offset,
                          _ ("bad margin “%s”: one length, or four (top right bottom left)"),
                          attr->value);
          return FALSE;
        }
      if (n == 1)
        m[1] = m[2] = m[3] = m[0];
      page->margin_top = m[0];
      page->margin_right = m[1];
      page->margin_bottom = m[2];
      page->margin_left = m[3];
    }
  if (page->margin_left + page->margin_right >= page->width
      || page->margin_top + page->margin_bottom >= page->height)
    {
      lers_tpl_error (b, node->offset, _ ("the margins leave no room on the page"));
      return FALSE;
    }
  return TRUE;
}

static gboolean
read_report (LersTplBuilder *b, LersTplNode *root)
{
  static const gchar *const allowed[] = { "version", "id", "source", NULL };
  static const gchar *const sources[] = { "point", "points", NULL };
  LersTplAttr *version, *id, *source;
  guint index = 0;

  if (strcmp (root->name, "report") != 0)
    {
      lers_tpl_error (b, root->offset, _ ("the root element must be <report>, not <%s>"),
                      root->name);
      return FALSE;
    }
  /* the version first: a later version may have anything else */
  if ((version = lers_tpl_require (b, root, "version")) == NULL)
    return FALSE;
  if (strcmp (version->value, "1") != 0)
    {
      lers_tpl_error (b, version->value_offset,
                      _ ("unsupported template version “%s”: this version of LERS reads version 1"),
                      version->value);
      return FALSE;
    }
  if (!lers_tpl_check_node (b, root, allowed, FALSE)
      || (id = lers_tpl_require (b, root, "id")) == NULL)
    return FALSE;
  if (id->value[0] == '\0'
      || strspn (id->value, "abcdefghijklmnopqrstuvwxyz0123456789-") != strlen (id->value))
    {
      lers_tpl_error (b, id->value_offset, _ ("bad report id “%s”: use a-z, 0-9 and -"), id->value);
      return FALSE;
    }
  b->parts->id = g_strdup (id->value);
  if ((source = lers_tpl_attr (root, "source")) != NULL)
    {
      if (!lers_tpl_enum (b, source, sources, &index))
        return FALSE;
      b->parts->source = (LersReportSource) index;
    }
  return TRUE;
}

static const gchar *const once[]
    = { "title",         "parameters",  "page",        "strings", "styles",
        "report-header", "page-header", "page-footer", "summary", NULL };

/* the children of <report> that come once, by name; FALSE on a repeat */
static gboolean
find_once (LersTplBuilder *b, LersTplNode *root, GHashTable *found)
{
  for (guint i = 0; i < root->children->len; i++)
    {
      LersTplNode *child = g_ptr_array_index (root->children, i);

      if (!g_strv_contains (once, child->name))
        continue;
      if (g_hash_table_contains (found, child->name))
        {
          lers_tpl_error (b, child->offset, _ ("<%s> may appear only once"), child->name);
          return FALSE;
        }
      g_hash_table_insert (found, child->name, child);
    }
  return TRUE;
}

/* rows that aggregates outside tables run over: the first table's */
static LersReportRows
first_table_rows (LersTplNode *root)
{
  for (guint i = 0; i < root->children->len; i++)
    {
      LersTplNode *child = g_ptr_array_index (root->children, i);
      LersTplAttr *rows = lers_tpl_attr (child, "rows");
      static const gchar *const names[]
          = { "archive", "points", "events", "incidents", "readings", NULL };

      if (strcmp (child->name, "table") != 0 || rows == NULL)
        continue;
      for (guint k = 0; names[k] != NULL; k++)
        if (strcmp (rows->value, names[k]) == 0)
          return (LersReportRows) (LERS_REPORT_ROWS_ARCHIVE + k);
    }
  return LERS_REPORT_ROWS_ARCHIVE;
}

static LersTplParts *
parts_new (void)
{
  LersTplParts *parts = g_new0 (LersTplParts, 1);
  const gdouble mm = 72.0 / 25.4;
  LersArchiveKind all[]
      = { LERS_ARCHIVE_KIND_HOUR, LERS_ARCHIVE_KIND_DAY, LERS_ARCHIVE_KIND_MONTH };

  parts->kinds = g_array_new (FALSE, FALSE, sizeof (LersArchiveKind));
  g_array_append_vals (parts->kinds, all, G_N_ELEMENTS (all));
  parts->default_kind = LERS_ARCHIVE_KIND_DAY;
  parts->period = g_strdup ("month");
  parts->page.width = 210 * mm;
  parts->page.height = 297 * mm;
  parts->page.margin_top = parts->page.margin_right = parts->page.margin_bottom
      = parts->page.margin_left = 10 * mm;
  parts->styles = g_ptr_array_new_with_free_func ((GDestroyNotify) report_style_free);
  parts->default_style = g_new0 (LersReportStyle, 1);
  parts->default_style->font = g_strdup ("DejaVu Sans 9");
  parts->default_style->padding = 1.5;
  g_ptr_array_add (parts->styles, parts->default_style);
  parts->strings_ru = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  parts->strings_en = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  return parts;
}

static LersReportBand *
read_optional_band (LersTplBuilder *b, GHashTable *found, const gchar *name, gboolean *ok)
{
  LersTplNode *node = g_hash_table_lookup (found, name);
  LersReportBand *band;

  if (node == NULL || !*ok)
    return NULL;
  band = lers_tpl_read_band (b, node);
  *ok = band != NULL;
  return band;
}

LersTplParts *
lers_tpl_build (const gchar *doc, LersTplNode *root, GError **error)
{
  g_autoptr (LersTplParts) parts = parts_new ();
  g_autoptr (GHashTable) styles = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                                         (GDestroyNotify) lers_tpl_style_free);
  g_autoptr (GHashTable) tr_ids = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_autoptr (GHashTable) found = g_hash_table_new (g_str_hash, g_str_equal);
  LersTplBuilder builder = { doc, parts, styles, tr_ids, LERS_REPORT_ROWS_ARCHIVE, error };
  LersTplBuilder *b = &builder;
  LersTplNode *node;
  gboolean ok = TRUE;

  if (!read_report (b, root) || !find_once (b, root, found))
    return NULL;
  b->body_rows = first_table_rows (root);
  for (guint i = 0; i < G_N_ELEMENTS (builtin_strings); i++)
    {
      g_hash_table_insert (parts->strings_ru, g_strdup (builtin_strings[i].id),
                           g_strdup (builtin_strings[i].ru));
      g_hash_table_insert (parts->strings_en, g_strdup (builtin_strings[i].id),
                           g_strdup (builtin_strings[i].en));
      g_hash_table_add (tr_ids, g_strdup (builtin_strings[i].id));
    }
  if ((node = g_hash_table_lookup (found, "title")) != NULL && !read_title (b, node))
    return NULL;
  /* tr('title') is the report's name */
  g_hash_table_insert (parts->strings_ru, g_strdup ("title"),
                       g_strdup (parts->title_ru != NULL ? parts->title_ru : parts->id));
  g_hash_table_insert (parts->strings_en, g_strdup ("title"),
                       g_strdup (parts->title_en != NULL ? parts->title_en : parts->id));
  g_hash_table_add (tr_ids, g_strdup ("title"));
  if (((node = g_hash_table_lookup (found, "parameters")) != NULL && !read_parameters (b, node))
      || ((node = g_hash_table_lookup (found, "page")) != NULL && !read_page (b, node))
      || ((node = g_hash_table_lookup (found, "strings")) != NULL && !read_strings (b, node))
      || ((node = g_hash_table_lookup (found, "styles")) != NULL && !read_styles (b, node)))
    return NULL;
  parts->report_header = read_optional_band (b, found, "report-header", &ok);
  parts->page_header = read_optional_band (b, found, "page-header", &ok);
  parts->page_footer = read_optional_band (b, found, "page-footer", &ok);
  parts->summary = read_optional_band (b, found, "summary", &ok);
  if (!ok)
    return NULL;
  /* the body: everything else, in document order */
  parts->body = lers_tpl_band_new (parts->default_style);
  for (guint i = 0; i < root->children->len; i++)
    {
      LersTplNode *child = g_ptr_array_index (root->children, i);
      LersReportElement *element;

      if (g_strv_contains (once, child->name))
        continue;
      element = lers_tpl_read_element (b, root, child, parts->default_style);
      if (element == NULL)
        return NULL;
      g_ptr_array_add (parts->body->elements, element);
    }
  return g_steal_pointer (&parts);
}
