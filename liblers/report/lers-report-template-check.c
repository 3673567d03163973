/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* What every part of a template's check shares: errors with positions,
 * attributes, expressions, lengths, enumerations, colours and styles. */
#include "config.h"

#include <glib/gi18n-lib.h>
#include <math.h>
#include <string.h>

#include "lers-error.h"
#include "lers-report-template-xml.h"

/* a <style> as written: only what it sets */
enum
{
  SET_FONT = 1 << 0,
  SET_ALIGN = 1 << 1,
  SET_VALIGN = 1 << 2,
  SET_COLOR = 1 << 3,
  SET_FILL = 1 << 4,
  SET_BORDER = 1 << 5,
  SET_PADDING = 1 << 6,
};

struct _LersTplStyle
{
  guint set;
  LersReportStyle style;
};

void
lers_tpl_style_free (LersTplStyle *style)
{
  g_free (style->style.font);
  g_free (style);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (LersTplStyle, lers_tpl_style_free)

void
lers_tpl_error (LersTplBuilder *b, gsize offset, const gchar *format, ...)
{
  va_list args;
  g_autofree gchar *message = NULL;

  if (b->error == NULL || *b->error != NULL)
    return;
  va_start (args, format);
  message = g_strdup_vprintf (format, args);
  va_end (args);
  lers_tpl_set_error (b->error, b->doc, offset, message);
}

LersTplAttr *
lers_tpl_attr (LersTplNode *node, const gchar *name)
{
  for (guint i = 0; i < node->attrs->len; i++)
    {
      LersTplAttr *attr = g_ptr_array_index (node->attrs, i);

      if (strcmp (attr->name, name) == 0)
        return attr;
    }
  return NULL;
}

static gboolean
is_blank (const gchar *text)
{
  for (; *text != '\0'; text++)
    if (!g_ascii_isspace (*text))
      return FALSE;
  return TRUE;
}

gboolean
lers_tpl_check_node (LersTplBuilder *b, LersTplNode *node, const gchar *const *allowed,
                     gboolean takes_text)
{
  for (guint i = 0; i < node->attrs->len; i++)
    {
      LersTplAttr *attr = g_ptr_array_index (node->attrs, i);

      if (allowed == NULL || !g_strv_contains (allowed, attr->name))
        {
          lers_tpl_error (b, attr->name_offset, _ ("unknown attribute “%s” of <%s>"), attr->name,
                          node->name);
          return FALSE;
        }
    }
  if (!takes_text && !is_blank (node->text->str))
    {
      gsize offset = node->text_offset;

      /* point at the first letter, not the line break before it */
      for (const gchar *p = b->doc + offset; g_ascii_isspace (*p); p++)
        offset++;
      lers_tpl_error (b, offset, _ ("<%s> holds no text"), node->name);
      return FALSE;
    }
  return TRUE;
}

LersTplAttr *
lers_tpl_require (LersTplBuilder *b, LersTplNode *node, const gchar *name)
{
  LersTplAttr *attr = lers_tpl_attr (node, name);

  if (attr == NULL)
    lers_tpl_error (b, node->offset, _ ("<%s> needs the attribute “%s”"), node->name, name);
  return attr;
}

static const gchar *const known_elements[] = {
  "report",       "title",         "parameters",  "page",        "strings",   "s",     "styles",
  "style",        "report-header", "page-header", "page-footer", "summary",   "table", "group",
  "group-header", "group-footer",  "cell",        "column",      "highlight", "text",  "chart",
  "image",        "spacer",        "page-break",  NULL,
};

void
lers_tpl_unexpected (LersTplBuilder *b, LersTplNode *parent, LersTplNode *child)
{
  if (!g_strv_contains (known_elements, child->name))
    lers_tpl_error (b, child->offset, _ ("unknown element <%s>"), child->name);
  else
    lers_tpl_error (b, child->offset, _ ("<%s> is not allowed inside <%s>"), child->name,
                    parent->name);
}

static gboolean
lookup_field (const gchar *name, gpointer user_data, LersReportField *field)
{
  return lers_report_field_lookup (name, (LersReportRows) GPOINTER_TO_INT (user_data), field);
}

LersReportExpr *
lers_tpl_expr (LersTplBuilder *b, const gchar *text, gsize offset, LersReportRows rows,
               gboolean is_text)
{
  LersReportRows aggregate_rows = rows != LERS_REPORT_ROWS_NONE ? rows : b->body_rows;
  LersReportExprSource source = { 1,
                                  1,
                                  b->doc + offset,
                                  lookup_field,
                                  GINT_TO_POINTER (rows),
                                  lookup_field,
                                  GINT_TO_POINTER (aggregate_rows),
                                  b->tr_ids };

  lers_tpl_position (b->doc, offset, &source.line, &source.column);
  return lers_report_expr_parse_source (text, -1, is_text, &source, b->error);
}

gboolean
lers_tpl_parse_length (const gchar *text, gdouble *points)
{
  static const struct
  {
    const gchar *unit;
    gdouble points;
  } units[] = { { "mm", 72.0 / 25.4 }, { "cm", 72.0 / 2.54 }, { "pt", 1.0 }, { "in", 72.0 } };
  gchar *end = NULL;
  gdouble value;

  if (!g_ascii_isdigit (text[0]) && text[0] != '.')
    return FALSE;
  value = g_ascii_strtod (text, &end);
  if (end == text || !isfinite (value) || value < 0 || value > 10000)
    return FALSE;
  for (guint i = 0; i < G_N_ELEMENTS (units); i++)
    if (strcmp (end, units[i].unit) == 0)
      {
        *points = value * units[i].points;
        return TRUE;
      }
  return FALSE;
}

gboolean
lers_tpl_length (LersTplBuilder *b, LersTplAttr *attr, gdouble *points)
{
  if (lers_tpl_parse_length (attr->value, points))
    return TRUE;
  lers_tpl_error (b, attr->value_offset, _ ("bad length “%s”: write a number and mm, cm, pt or in"),
                  attr->value);
  return FALSE;
}

gboolean
lers_tpl_enum (LersTplBuilder *b, LersTplAttr *attr, const gchar *const *names, guint *index)
{
  for (guint i = 0; names[i] != NULL; i++)
    if (strcmp (attr->value, names[i]) == 0)
      {
        *index = i;
        return TRUE;
      }
  {
    g_autofree gchar *choices = g_strjoinv (", ", (gchar **) names);

    lers_tpl_error (b, attr->value_offset, _ ("bad value “%s” of “%s”: one of %s"), attr->value,
                    attr->name, choices);
  }
  return FALSE;
}

gboolean
lers_tpl_rows (LersTplBuilder *b, LersTplAttr *attr, LersReportRows *rows)
{
  static const gchar *const names[]
      = { "archive", "points", "events", "incidents", "readings", NULL };
  guint index = 0;

  if (!lers_tpl_enum (b, attr, names, &index))
    return FALSE;
  *rows = (LersReportRows) (LERS_REPORT_ROWS_ARCHIVE + index);
  return TRUE;
}

gboolean
lers_tpl_format (LersTplBuilder *b, LersTplAttr *attr)
{
  if (lers_report_format_is_valid (attr->value))
    return TRUE;
  lers_tpl_error (b, attr->value_offset, _ ("bad format “%s”"), attr->value);
  return FALSE;
}

static gboolean
parse_colour (LersTplBuilder *b, LersTplAttr *attr, guint32 *colour)
{
  const gchar *v = attr->value;

  if (v[0] == '#' && strlen (v) == 7 && strspn (v + 1, "0123456789abcdefABCDEF") == 6)
    {
      *colour = (guint32) g_ascii_strtoull (v + 1, NULL, 16);
      return TRUE;
    }
  lers_tpl_error (b, attr->value_offset, _ ("bad colour “%s”: write #rrggbb"), v);
  return FALSE;
}

static const gchar *const align_names[] = { "left", "center", "right", NULL };

/* a <style> as written */
LersTplStyle *
lers_tpl_read_style (LersTplBuilder *b, LersTplNode *node)
{
  static const gchar *const allowed[]
      = { "id", "font", "align", "valign", "color", "fill", "border", "padding", NULL };
  static const gchar *const valign_names[] = { "top", "middle", "bottom", NULL };
  g_autoptr (LersTplStyle) style = g_new0 (LersTplStyle, 1);
  LersTplAttr *attr;
  guint index = 0;

  if (!lers_tpl_check_node (b, node, allowed, FALSE) || lers_tpl_require (b, node, "id") == NULL)
    return NULL;
  if (node->children->len > 0)
    {
      lers_tpl_unexpected (b, node, g_ptr_array_index (node->children, 0));
      return NULL;
    }
  if ((attr = lers_tpl_attr (node, "font")) != NULL)
    {
      style->set |= SET_FONT;
      style->style.font = g_strdup (attr->value);
    }
  if ((attr = lers_tpl_attr (node, "align")) != NULL)
    {
      if (!lers_tpl_enum (b, attr, align_names, &index))
        return NULL;
      style->set |= SET_ALIGN;
      style->style.align = (LersReportAlign) index;
    }
  if ((attr = lers_tpl_attr (node, "valign")) != NULL)
    {
      if (!lers_tpl_enum (b, attr, valign_names, &index))
        return NULL;
      style->set |= SET_VALIGN;
      style->style.valign = (LersReportVAlign) index;
    }
  if ((attr = lers_tpl_attr (node, "color")) != NULL)
    {
      if (!parse_colour (b, attr, &style->style.color))
        return NULL;
      style->set |= SET_COLOR;
    }
  if ((attr = lers_tpl_attr (node, "fill")) != NULL)
    {
      if (!parse_colour (b, attr, &style->style.fill))
        return NULL;
      style->set |= SET_FILL;
      style->style.has_fill = TRUE;
    }
  if ((attr = lers_tpl_attr (node, "border")) != NULL)
    {
      gchar *end = NULL;

      style->style.border = g_ascii_strtod (attr->value, &end);
      if (end == attr->value || *end != '\0' || !(style->style.border >= 0)
          || style->style.border > 100)
        {
          lers_tpl_error (b, attr->value_offset, _ ("bad border “%s”: write its width in pt"),
                          attr->value);
          return NULL;
        }
      style->set |= SET_BORDER;
    }
  if ((attr = lers_tpl_attr (node, "padding")) != NULL)
    {
      if (!lers_tpl_length (b, attr, &style->style.padding))
        return NULL;
      style->set |= SET_PADDING;
    }
  return g_steal_pointer (&style);
}

static const LersReportStyle *
derive_style (LersTplBuilder *b, const LersReportStyle *base, const LersTplStyle *over,
              gboolean has_align, LersReportAlign align)
{
  LersReportStyle *style = g_new0 (LersReportStyle, 1);

  *style = *base;
  style->font = g_strdup (over != NULL && (over->set & SET_FONT) ? over->style.font : base->font);
  if (over != NULL)
    {
      if (over->set & SET_ALIGN)
        style->align = over->style.align;
      if (over->set & SET_VALIGN)
        style->valign = over->style.valign;
      if (over->set & SET_COLOR)
        style->color = over->style.color;
      if (over->set & SET_FILL)
        {
          style->has_fill = TRUE;
          style->fill = over->style.fill;
        }
      if (over->set & SET_BORDER)
        style->border = over->style.border;
      if (over->set & SET_PADDING)
        style->padding = over->style.padding;
    }
  if (has_align)
    style->align = align;
  g_ptr_array_add (b->parts->styles, style);
  return style;
}

gboolean
lers_tpl_style (LersTplBuilder *b, LersTplNode *node, const gchar *style_attr,
                const LersReportStyle *base, const LersReportStyle **style)
{
  LersTplAttr *named = lers_tpl_attr (node, style_attr != NULL ? style_attr : "style");
  LersTplAttr *align = style_attr == NULL ? lers_tpl_attr (node, "align") : NULL;
  const LersTplStyle *over = NULL;
  guint index = 0;

  if (named != NULL)
    {
      over = g_hash_table_lookup (b->styles, named->value);
      if (over == NULL)
        {
          lers_tpl_error (b, named->value_offset, _ ("unknown style “%s”"), named->value);
          return FALSE;
        }
    }
  if (align != NULL && !lers_tpl_enum (b, align, align_names, &index))
    return FALSE;
  if (over == NULL && align == NULL)
    *style = base;
  else
    *style = derive_style (b, base, over, align != NULL, (LersReportAlign) index);
  return TRUE;
}
