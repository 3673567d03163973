/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* A template's XML as a tree of nodes with positions. GMarkup parses; it
 * tells where it is only roughly (the end of a start tag), so the reader
 * follows the same document with a small scanner of its own that finds
 * each start tag, attribute value and text as written. GMarkup has
 * accepted every byte the scanner looks at, so the two agree. */
#include "config.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "lers-error.h"
#include "lers-report-template-xml.h"

/* deeper element nesting is refused: no template needs it */
#define MAX_NESTING 32

void
lers_tpl_node_free (LersTplNode *node)
{
  if (node == NULL)
    return;
  g_free (node->name);
  for (guint i = 0; i < node->attrs->len; i++)
    {
      LersTplAttr *attr = g_ptr_array_index (node->attrs, i);

      g_free (attr->name);
      g_free (attr->value);
      g_free (attr);
    }
  g_ptr_array_unref (node->attrs);
  g_ptr_array_unref (node->children);
  g_string_free (node->text, TRUE);
  g_free (node);
}

void
lers_tpl_position (const gchar *doc, gsize offset, guint *line, guint *column)
{
  guint l = 1, c = 1;

  for (const gchar *p = doc; *p != '\0' && (gsize) (p - doc) < offset; p = g_utf8_next_char (p))
    {
      if (*p == '\n')
        {
          l++;
          c = 1;
        }
      else
        c++;
    }
  *line = l;
  *column = c;
}

/* The byte offset of GMarkup's position: its line counts '\n's, its
 * column bytes from 1 (so a Cyrillic letter counted twice; ours counts
 * characters) */
static gsize
lers_tpl_markup_offset (const gchar *doc, gint line, gint column)
{
  gsize offset = 0;

  for (gint l = 1; l < line && doc[offset] != '\0'; offset++)
    if (doc[offset] == '\n')
      l++;
  for (gint c = 1; c < column && doc[offset] != '\0' && doc[offset] != '\n'; c++)
    offset++;
  return offset;
}

void
lers_tpl_set_error (GError **error, const gchar *doc, gsize offset, const gchar *message)
{
  guint line, column;

  lers_tpl_position (doc, offset, &line, &column);
  g_set_error (error, LERS_ERROR, LERS_ERROR_INVALID_DATA, _ ("line %u, column %u: %s"), line,
               column, message);
}

typedef struct
{
  const gchar *doc;
  gsize length;
  gsize cursor; /* the scanner: just after the last tag it passed */
  LersTplNode *root;
  GPtrArray *stack;     /* of LersTplNode*, open elements */
  GArray *self_closing; /* of gboolean, one per open element */
} Reader;

/* from @from, past comments, processing instructions, CDATA and
 * declarations, to the next "<" of a tag; G_MAXSIZE: none */
static gsize
next_tag (const Reader *r, gsize from)
{
  const gchar *doc = r->doc;

  while (from < r->length)
    {
      const gchar *lt = memchr (doc + from, '<', r->length - from);
      const gchar *end = NULL;

      if (lt == NULL)
        return G_MAXSIZE;
      if (g_str_has_prefix (lt, "<!--"))
        end = strstr (lt + 4, "-->");
      else if (g_str_has_prefix (lt, "<![CDATA["))
        end = strstr (lt + 9, "]]>");
      else if (lt[1] == '?')
        end = strstr (lt + 2, "?>");
      else if (lt[1] == '!')
        end = strchr (lt + 2, '>');
      else
        return (gsize) (lt - doc);
      if (end == NULL)
        return G_MAXSIZE;
      from = (gsize) (end - doc) + 1;
    }
  return G_MAXSIZE;
}

static gboolean
is_space (gchar ch)
{
  return ch == ' ' || ch == '\t' || ch == '\n' || ch == '\r';
}

/* Scans the start tag of @node from the cursor: its "<", its attributes'
 * names and values; returns whether it ends with "/>". */
static gboolean
scan_start_tag (Reader *r, LersTplNode *node)
{
  const gchar *doc = r->doc;
  gsize i = r->cursor;
  guint n = 0;

  /* end tags before this start tag were passed by end_element */
  for (;;)
    {
      i = next_tag (r, i);
      if (i == G_MAXSIZE)
        return FALSE;
      if (doc[i + 1] != '/')
        break;
      i++;
    }
  node->offset = i;
  i++;
  while (i < r->length && !is_space (doc[i]) && doc[i] != '>' && doc[i] != '/')
    i++;
  for (;;)
    {
      gsize name_start;
      gchar quote;

      while (i < r->length && is_space (doc[i]))
        i++;
      if (i >= r->length)
        return FALSE;
      if (doc[i] == '>' || doc[i] == '/')
        break;
      name_start = i;
      while (i < r->length && doc[i] != '=' && !is_space (doc[i]))
        i++;
      while (i < r->length && (is_space (doc[i]) || doc[i] == '='))
        i++;
      if (i >= r->length || (doc[i] != '"' && doc[i] != '\''))
        return FALSE;
      quote = doc[i++];
      if (n < node->attrs->len)
        {
          LersTplAttr *attr = g_ptr_array_index (node->attrs, n);

          attr->name_offset = name_start;
          attr->value_offset = i;
        }
      n++;
      while (i < r->length && doc[i] != quote)
        i++;
      i++;
    }
  r->cursor = doc[i] == '/' ? i + 2 : i + 1;
  return doc[i] == '/';
}

static void
start_element (GMarkupParseContext *context, const gchar *element_name,
               const gchar **attribute_names, const gchar **attribute_values, gpointer user_data,
               GError **error)
{
  Reader *r = user_data;
  LersTplNode *node = g_new0 (LersTplNode, 1);
  gboolean self_closing;

  node->name = g_strdup (element_name);
  node->attrs = g_ptr_array_new ();
  node->children = g_ptr_array_new_with_free_func ((GDestroyNotify) lers_tpl_node_free);
  node->text = g_string_new (NULL);
  node->text_offset = G_MAXSIZE;
  for (guint i = 0; attribute_names[i] != NULL; i++)
    {
      LersTplAttr *attr = g_new0 (LersTplAttr, 1);

      attr->name = g_strdup (attribute_names[i]);
      attr->value = g_strdup (attribute_values[i]);
      attr->name_offset = attr->value_offset = r->cursor; /* until the scanner finds them */
      g_ptr_array_add (node->attrs, attr);
    }
  /* GMarkup stands at the end of the tag; the scanner finds its start */
  node->offset = r->cursor;
  self_closing = scan_start_tag (r, node);
  if (r->stack->len == 0 && r->root != NULL)
    {
      /* GMarkup takes a second top-level element; a template has one */
      g_autofree gchar *message
          = g_strdup_printf (_ ("<%s> after the end of <%s>"), node->name, r->root->name);

      lers_tpl_set_error (error, r->doc, node->offset, message);
      lers_tpl_node_free (node);
      return;
    }
  if (r->stack->len == 0)
    r->root = node;
  else
    g_ptr_array_add (((LersTplNode *) g_ptr_array_index (r->stack, r->stack->len - 1))->children,
                     node);
  g_ptr_array_add (r->stack, node);
  g_array_append_val (r->self_closing, self_closing);
  if (r->stack->len > MAX_NESTING)
    lers_tpl_set_error (error, r->doc, node->offset, _ ("elements nested too deeply"));
}

static void
end_element (GMarkupParseContext *context, const gchar *element_name, gpointer user_data,
             GError **error)
{
  Reader *r = user_data;
  gboolean self_closing = g_array_index (r->self_closing, gboolean, r->self_closing->len - 1);

  if (!self_closing)
    {
      gsize lt = next_tag (r, r->cursor);

      if (lt != G_MAXSIZE)
        {
          const gchar *gt = strchr (r->doc + lt, '>');

          r->cursor = gt != NULL ? (gsize) (gt - r->doc) + 1 : r->length;
        }
    }
  g_ptr_array_remove_index (r->stack, r->stack->len - 1);
  g_array_remove_index (r->self_closing, r->self_closing->len - 1);
}

static void
text (GMarkupParseContext *context, const gchar *text, gsize text_len, gpointer user_data,
      GError **error)
{
  Reader *r = user_data;
  LersTplNode *node;

  if (r->stack->len == 0)
    return;
  node = g_ptr_array_index (r->stack, r->stack->len - 1);
  if (node->text_offset == G_MAXSIZE)
    node->text_offset = r->cursor;
  g_string_append_len (node->text, text, (gssize) text_len);
}

/* GMarkup hands CDATA over as passthrough, brackets and all: its inside is
 * text, as written (comments and processing instructions are not) */
static void
passthrough (GMarkupParseContext *context, const gchar *passthrough_text, gsize text_len,
             gpointer user_data, GError **error)
{
  static const gchar open[] = "<![CDATA[", close[] = "]]>";

  if (text_len >= strlen (open) + strlen (close)
      && strncmp (passthrough_text, open, strlen (open)) == 0)
    text (context, passthrough_text + strlen (open), text_len - strlen (open) - strlen (close),
          user_data, error);
}

LersTplNode *
lers_tpl_read (const gchar *doc, gsize length, GError **error)
{
  static const GMarkupParser parser = { start_element, end_element, text, passthrough, NULL };
  g_autoptr (GMarkupParseContext) context = NULL;
  g_autoptr (GPtrArray) stack = g_ptr_array_new ();
  g_autoptr (GArray) self_closing = g_array_new (FALSE, FALSE, sizeof (gboolean));
  g_autoptr (GError) local = NULL;
  Reader r = { doc, length, 0, NULL, stack, self_closing };
  gboolean parsed;

  /* a NUL inside, or bytes that are not UTF-8: the first bad byte */
  {
    const gchar *end = NULL;

    if (!g_utf8_validate (doc, (gssize) length, &end))
      {
        lers_tpl_set_error (error, doc, (gsize) (end - doc), _ ("the template is not UTF-8 text"));
        return NULL;
      }
  }
  context = g_markup_parse_context_new (&parser, 0, &r, NULL);
  parsed = g_markup_parse_context_parse (context, doc, (gssize) length, &local);
  if (!parsed || !g_markup_parse_context_end_parse (context, &local))
    {
      gint line = 0, column = 0;

      if (local->domain == LERS_ERROR)
        g_propagate_error (error, g_steal_pointer (&local));
      else if (parsed && stack->len > 0)
        {
          /* the document ended with elements open: name the innermost */
          LersTplNode *open = g_ptr_array_index (stack, stack->len - 1);
          g_autofree gchar *message
              = g_strdup_printf (_ ("element <%s> is not closed"), open->name);

          lers_tpl_set_error (error, doc, open->offset, message);
        }
      else
        {
          g_autofree gchar *prefix = NULL;
          g_autofree gchar *message = NULL;
          const gchar *text;

          g_markup_parse_context_get_position (context, &line, &column);
          /* GMarkup names the position its own way: ours replaces it */
          prefix
              = g_strdup_printf (g_dgettext ("glib20", "Error on line %d char %d: "), line, column);
          text = g_str_has_prefix (local->message, prefix) ? local->message + strlen (prefix)
                                                           : local->message;
          message = g_utf8_make_valid (text, -1);
          lers_tpl_set_error (error, doc, lers_tpl_markup_offset (doc, line, column), message);
        }
      g_clear_pointer (&r.root, lers_tpl_node_free);
      return NULL;
    }
  if (r.root == NULL)
    {
      lers_tpl_set_error (error, doc, 0, _ ("the template has no <report> element"));
      return NULL;
    }
  return r.root;
}
