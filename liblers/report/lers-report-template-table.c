/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* A template's <table>: columns with their highlights and totals, groups
 * with their header and footer cells, and the chain of groups from the
 * innermost outwards, which must not come back to itself. */
#include "config.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "lers-error.h"
#include "lers-report-template-xml.h"

static void
highlight_free (LersReportHighlight *highlight)
{
  g_clear_pointer (&highlight->when, lers_report_expr_free);
  g_free (highlight);
}

static void
column_free (LersReportColumn *column)
{
  g_clear_pointer (&column->title, lers_report_expr_free);
  g_clear_pointer (&column->value, lers_report_expr_free);
  g_free (column->format);
  g_free (column->total_format);
  g_ptr_array_unref (column->highlights);
  g_free (column);
}

static void
cell_free (LersReportCell *cell)
{
  g_clear_pointer (&cell->text, lers_report_expr_free);
  g_free (cell);
}

static void
group_free (LersReportGroup *group)
{
  g_free (group->id);
  g_clear_pointer (&group->by, lers_report_expr_free);
  g_ptr_array_unref (group->header);
  g_ptr_array_unref (group->footer);
  g_free (group);
}

void
lers_tpl_table_free (LersReportTableSpec *table)
{
  if (table == NULL)
    return;
  g_ptr_array_unref (table->columns);
  g_ptr_array_unref (table->groups);
  g_free (table);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (LersReportTableSpec, lers_tpl_table_free)

static LersReportColumn *
read_column (LersTplBuilder *b, LersReportTableSpec *table, LersTplNode *node)
{
  static const gchar *const allowed[]
      = { "title", "value", "format", "width", "align", "style", "total", "total-format", NULL };
  static const gchar *const totals[] = { "sum", "avg", "min", "max", "count", NULL };
  LersReportColumn *column = g_new0 (LersReportColumn, 1);
  LersTplAttr *attr, *value;

  column->highlights = g_ptr_array_new_with_free_func ((GDestroyNotify) highlight_free);
  if (!lers_tpl_check_node (b, node, allowed, FALSE)
      || (value = lers_tpl_require (b, node, "value")) == NULL
      || !lers_tpl_style (b, node, NULL, table->style, &column->style))
    return (column_free (column), NULL);
  if ((attr = lers_tpl_attr (node, "title")) != NULL
      && (column->title = lers_tpl_expr (b, attr->value, attr->value_offset, table->rows, TRUE))
             == NULL)
    return (column_free (column), NULL);
  column->value = lers_tpl_expr (b, value->value, value->value_offset, table->rows, FALSE);
  if (column->value == NULL)
    return (column_free (column), NULL);
  if ((attr = lers_tpl_attr (node, "format")) != NULL)
    {
      if (!lers_tpl_format (b, attr))
        return (column_free (column), NULL);
      column->format = g_strdup (attr->value);
    }
  if ((attr = lers_tpl_attr (node, "width")) != NULL && !lers_tpl_length (b, attr, &column->width))
    return (column_free (column), NULL);
  if ((attr = lers_tpl_attr (node, "total")) != NULL)
    {
      guint i;

      for (i = 0; totals[i] != NULL && strcmp (totals[i], attr->value) != 0; i++)
        ;
      if (totals[i] == NULL)
        {
          lers_tpl_error (b, attr->value_offset, _ ("bad total “%s”: sum, avg, min, max or count"),
                          attr->value);
          return (column_free (column), NULL);
        }
      column->total = (LersReportTotal) (LERS_REPORT_TOTAL_SUM + i);
      table->has_totals = TRUE;
    }
  /* on a column with a total, the total's format; on the first column, the
   * label of the total row, any text */
  if ((attr = lers_tpl_attr (node, "total-format")) != NULL)
    {
      if (column->total != LERS_REPORT_TOTAL_NONE && !lers_tpl_format (b, attr))
        return (column_free (column), NULL);
      column->total_format = g_strdup (attr->value);
    }
  for (guint i = 0; i < node->children->len; i++)
    {
      static const gchar *const highlight_allowed[] = { "when", "style", NULL };
      LersTplNode *child = g_ptr_array_index (node->children, i);
      LersReportHighlight *highlight;
      LersTplAttr *when;

      if (strcmp (child->name, "highlight") != 0)
        {
          lers_tpl_unexpected (b, node, child);
          return (column_free (column), NULL);
        }
      if (!lers_tpl_check_node (b, child, highlight_allowed, FALSE)
          || (when = lers_tpl_require (b, child, "when")) == NULL
          || lers_tpl_require (b, child, "style") == NULL)
        return (column_free (column), NULL);
      highlight = g_new0 (LersReportHighlight, 1);
      g_ptr_array_add (column->highlights, highlight);
      if (!lers_tpl_style (b, child, "style", column->style, &highlight->style))
        return (column_free (column), NULL);
      highlight->when = lers_tpl_expr (b, when->value, when->value_offset, table->rows, FALSE);
      if (highlight->when == NULL)
        return (column_free (column), NULL);
    }
  return column;
}

/* a <group-header> or <group-footer>: its style and cells */
static gboolean
read_group_row (LersTplBuilder *b, LersReportTableSpec *table, LersTplNode *node, GPtrArray *cells,
                const LersReportStyle **style)
{
  static const gchar *const allowed[] = { "style", NULL };
  static const gchar *const cell_allowed[] = { "span", "style", "align", NULL };

  if (!lers_tpl_check_node (b, node, allowed, FALSE)
      || !lers_tpl_style (b, node, "style", table->style, style))
    return FALSE;
  for (guint i = 0; i < node->children->len; i++)
    {
      LersTplNode *child = g_ptr_array_index (node->children, i);
      LersReportCell *cell;
      LersTplAttr *span;
      gsize offset = child->text_offset != G_MAXSIZE ? child->text_offset : child->offset;

      if (strcmp (child->name, "cell") != 0)
        {
          lers_tpl_unexpected (b, node, child);
          return FALSE;
        }
      if (!lers_tpl_check_node (b, child, cell_allowed, TRUE))
        return FALSE;
      if (child->children->len > 0)
        {
          lers_tpl_unexpected (b, child, g_ptr_array_index (child->children, 0));
          return FALSE;
        }
      cell = g_new0 (LersReportCell, 1);
      cell->span = 1;
      g_ptr_array_add (cells, cell);
      if ((span = lers_tpl_attr (child, "span")) != NULL)
        {
          guint64 n = 0;

          if (!g_ascii_string_to_unsigned (span->value, 10, 1, 1000, &n, NULL))
            {
              lers_tpl_error (b, span->value_offset, _ ("bad span “%s”: a number of columns"),
                              span->value);
              return FALSE;
            }
          cell->span = (guint) n;
        }
      if (!lers_tpl_style (b, child, NULL, *style, &cell->style))
        return FALSE;
      cell->text = lers_tpl_expr (b, child->text->str, offset, table->rows, TRUE);
      if (cell->text == NULL)
        return FALSE;
    }
  return TRUE;
}

static LersReportGroup *
read_group (LersTplBuilder *b, LersReportTableSpec *table, LersTplNode *node)
{
  static const gchar *const allowed[] = { "id", "by", "parent", NULL };
  LersReportGroup *group = g_new0 (LersReportGroup, 1);
  LersTplAttr *id, *by;
  gboolean have_header = FALSE, have_footer = FALSE;

  group->header = g_ptr_array_new_with_free_func ((GDestroyNotify) cell_free);
  group->footer = g_ptr_array_new_with_free_func ((GDestroyNotify) cell_free);
  group->header_style = group->footer_style = table->style;
  g_ptr_array_add (table->groups, group);
  if (!lers_tpl_check_node (b, node, allowed, FALSE)
      || (id = lers_tpl_require (b, node, "id")) == NULL
      || (by = lers_tpl_require (b, node, "by")) == NULL)
    return NULL;
  group->id = g_strdup (id->value);
  group->by = lers_tpl_expr (b, by->value, by->value_offset, table->rows, FALSE);
  if (group->by == NULL)
    return NULL;
  for (guint i = 0; i < node->children->len; i++)
    {
      LersTplNode *child = g_ptr_array_index (node->children, i);
      gboolean header = strcmp (child->name, "group-header") == 0;
      gboolean *seen = header ? &have_header : &have_footer;

      if (!header && strcmp (child->name, "group-footer") != 0)
        {
          lers_tpl_unexpected (b, node, child);
          return NULL;
        }
      if (*seen)
        {
          lers_tpl_error (b, child->offset, _ ("<%s> may appear only once"), child->name);
          return NULL;
        }
      *seen = TRUE;
      if (!read_group_row (b, table, child, header ? group->header : group->footer,
                           header ? &group->header_style : &group->footer_style))
        return NULL;
    }
  return group;
}

static LersReportGroup *
find_group (LersReportTableSpec *table, const gchar *id)
{
  for (guint i = 0; i < table->groups->len; i++)
    {
      LersReportGroup *group = g_ptr_array_index (table->groups, i);

      if (strcmp (group->id, id) == 0)
        return group;
    }
  return NULL;
}

/* parents linked, loops refused, the innermost group found */
static gboolean
link_groups (LersTplBuilder *b, LersReportTableSpec *table, LersTplNode *node,
             GPtrArray *group_nodes)
{
  LersTplAttr *innermost = lers_tpl_attr (node, "group");
  LersReportGroup *inner = NULL;

  for (guint i = 0; i < table->groups->len; i++)
    {
      LersReportGroup *group = g_ptr_array_index (table->groups, i);
      LersTplAttr *parent = lers_tpl_attr (g_ptr_array_index (group_nodes, i), "parent");

      if (parent == NULL)
        continue;
      group->parent = find_group (table, parent->value);
      if (group->parent == NULL)
        {
          lers_tpl_error (b, parent->value_offset, _ ("unknown group “%s”"), parent->value);
          return FALSE;
        }
    }
  /* a chain longer than the number of groups comes back to itself */
  for (guint i = 0; i < table->groups->len; i++)
    {
      LersReportGroup *group = g_ptr_array_index (table->groups, i);
      guint steps = 0;

      for (LersReportGroup *g = group; g != NULL && steps <= table->groups->len; g = g->parent)
        steps++;
      if (steps > table->groups->len)
        {
          g_autoptr (GString) chain = NULL;
          LersReportGroup *on_loop = group;
          LersTplAttr *parent = NULL;

          /* the chain may enter a loop that does not hold @group (a → b,
           * b → b): as many steps as there are groups land on the loop */
          for (guint k = 0; k < table->groups->len; k++)
            on_loop = on_loop->parent;
          for (guint k = 0; k < table->groups->len; k++)
            if (g_ptr_array_index (table->groups, k) == on_loop)
              parent = lers_tpl_attr (g_ptr_array_index (group_nodes, k), "parent");
          chain = g_string_new (on_loop->id);
          /* at most one step a group: the walk ends on any chain */
          steps = 0;
          for (LersReportGroup *g = on_loop->parent; g != NULL && steps < table->groups->len;
               g = g->parent, steps++)
            {
              g_string_append_printf (chain, " → %s", g->id);
              if (g == on_loop)
                break;
            }
          lers_tpl_error (b, parent->value_offset, _ ("grouping loop: %s"), chain->str);
          return FALSE;
        }
    }
  if (innermost != NULL)
    {
      inner = find_group (table, innermost->value);
      if (inner == NULL)
        {
          lers_tpl_error (b, innermost->value_offset, _ ("unknown group “%s”"), innermost->value);
          return FALSE;
        }
    }
  else
    {
      /* no group=: the one group that is nobody's parent */
      for (guint i = 0; i < table->groups->len; i++)
        {
          LersReportGroup *group = g_ptr_array_index (table->groups, i);
          gboolean is_parent = FALSE;

          for (guint k = 0; k < table->groups->len; k++)
            is_parent
                |= ((LersReportGroup *) g_ptr_array_index (table->groups, k))->parent == group;
          if (is_parent)
            continue;
          if (inner != NULL)
            {
              lers_tpl_error (b, node->offset,
                              _ ("the table's groups form several chains: name the innermost "
                                 "group with group="));
              return FALSE;
            }
          inner = group;
        }
    }
  table->group = inner;
  return TRUE;
}

LersReportTableSpec *
lers_tpl_build_table (LersTplBuilder *b, LersTplNode *node, const LersReportStyle *base)
{
  static const gchar *const yes_no[] = { "yes", "no", NULL };
  g_autoptr (LersReportTableSpec) table = g_new0 (LersReportTableSpec, 1);
  g_autoptr (GPtrArray) group_nodes = g_ptr_array_new ();
  LersTplAttr *attr, *rows;

  table->columns = g_ptr_array_new_with_free_func ((GDestroyNotify) column_free);
  table->groups = g_ptr_array_new_with_free_func ((GDestroyNotify) group_free);
  table->repeat_header = TRUE;
  if ((rows = lers_tpl_require (b, node, "rows")) == NULL || !lers_tpl_rows (b, rows, &table->rows)
      || !lers_tpl_style (b, node, "style", base, &table->style)
      || !lers_tpl_style (b, node, "header-style", table->style, &table->header_style))
    return NULL;
  if ((attr = lers_tpl_attr (node, "repeat-header")) != NULL)
    {
      if (!g_strv_contains (yes_no, attr->value))
        {
          lers_tpl_error (b, attr->value_offset, _ ("bad value “%s” of “%s”: one of %s"),
                          attr->value, attr->name, "yes, no");
          return NULL;
        }
      table->repeat_header = strcmp (attr->value, "yes") == 0;
    }
  if ((attr = lers_tpl_attr (node, "keep")) != NULL)
    {
      if (!g_strv_contains (yes_no, attr->value))
        {
          lers_tpl_error (b, attr->value_offset, _ ("bad value “%s” of “%s”: one of %s"),
                          attr->value, attr->name, "yes, no");
          return NULL;
        }
      table->keep = strcmp (attr->value, "yes") == 0;
    }
  for (guint i = 0; i < node->children->len; i++)
    {
      LersTplNode *child = g_ptr_array_index (node->children, i);

      if (strcmp (child->name, "column") == 0)
        {
          LersReportColumn *column = read_column (b, table, child);

          if (column == NULL)
            return NULL;
          g_ptr_array_add (table->columns, column);
        }
      else if (strcmp (child->name, "group") == 0)
        {
          LersReportGroup *group = read_group (b, table, child);

          if (group == NULL)
            return NULL;
          if (find_group (table, group->id) != group)
            {
              lers_tpl_error (b, lers_tpl_attr (child, "id")->value_offset,
                              _ ("duplicate group id “%s”"), group->id);
              return NULL;
            }
          g_ptr_array_add (group_nodes, child);
        }
      else
        {
          lers_tpl_unexpected (b, node, child);
          return NULL;
        }
    }
  if (table->columns->len == 0)
    {
      lers_tpl_error (b, node->offset, _ ("a table needs at least one <column>"));
      return NULL;
    }
  if (!link_groups (b, table, node, group_nodes))
    return NULL;
  return g_steal_pointer (&table);
}
