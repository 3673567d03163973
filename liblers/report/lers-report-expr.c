/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The expression parser: a hand-written lexer and a precedence-climbing
 * parser (docs/report-templates.md, "Expressions"). Names and functions are
 * checked here, once, so that evaluating a row never meets an unknown name;
 * every error names the template's line and column. */
#include "config.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "lers-error.h"
#include "lers-report-expr-private.h"

/* deeper nesting is refused, so that no input exhausts the stack */
#define MAX_DEPTH 64
/* a flat chain "1+1+…" nests one node a term, which evaluating and freeing
 * walk recursively: more binary operators than this are refused */
#define MAX_OPERATORS 1000

static const struct
{
  const gchar *name;
  LersReportFunction function;
  guint min_args;
  guint max_args; /* G_MAXUINT: any number */
} functions[] = {
  { "sum", LERS_REPORT_FN_SUM, 1, 1 },
  { "avg", LERS_REPORT_FN_AVG, 1, 1 },
  { "min", LERS_REPORT_FN_MIN, 1, 1 },
  { "max", LERS_REPORT_FN_MAX, 1, 1 },
  { "count", LERS_REPORT_FN_COUNT, 0, 1 },
  { "first", LERS_REPORT_FN_FIRST, 1, 1 },
  { "last", LERS_REPORT_FN_LAST, 1, 1 },
  { "if", LERS_REPORT_FN_IF, 3, 3 },
  { "coalesce", LERS_REPORT_FN_COALESCE, 1, G_MAXUINT },
  { "round", LERS_REPORT_FN_ROUND, 1, 2 },
  { "abs", LERS_REPORT_FN_ABS, 1, 1 },
  { "format", LERS_REPORT_FN_FORMAT, 2, 2 },
  { "duration", LERS_REPORT_FN_DURATION, 1, 1 },
  { "upper", LERS_REPORT_FN_UPPER, 1, 1 },
  { "lower", LERS_REPORT_FN_LOWER, 1, 1 },
  { "tr", LERS_REPORT_FN_TR, 1, G_MAXUINT },
};

void
lers_report_expr_free (LersReportExpr *expr)
{
  if (expr == NULL)
    return;
  for (guint i = 0; i < expr->n_args; i++)
    lers_report_expr_free (expr->args[i]);
  g_free (expr->args);
  g_free (expr->tr_id);
  lers_report_value_clear (&expr->literal);
  g_free (expr);
}

static LersReportExpr *
node_new (LersReportNodeKind kind, guint n_args)
{
  LersReportExpr *expr = g_new0 (LersReportExpr, 1);

  expr->kind = kind;
  expr->n_args = n_args;
  expr->args = n_args > 0 ? g_new0 (LersReportExpr *, n_args) : NULL;
  return expr;
}

static gboolean
is_keyword (LersReportParser *p, const gchar *word)
{
  return p->tok.kind == TOK_NAME && strcmp (p->tok.string, word) == 0;
}

static gboolean
enter (LersReportParser *p)
{
  if (++p->depth > MAX_DEPTH)
    {
      lers_report_parser_error (p, p->tok.start, _ ("expression nested too deeply"));
      return FALSE;
    }
  return TRUE;
}

static LersReportExpr *parse_or (LersReportParser *p);

static LersReportExpr *
unexpected (LersReportParser *p)
{
  g_autofree gchar *what = lers_report_parser_token_text (p);

  if (p->tok.kind == TOK_END)
    lers_report_parser_error (p, p->tok.start, _ ("expected an expression"));
  else
    lers_report_parser_error (p, p->tok.start, _ ("unexpected “%s”"), what);
  return NULL;
}

static LersReportExpr *
literal_node (void)
{
  return node_new (LERS_REPORT_NODE_LITERAL, 0);
}

static LersReportExpr *
parse_call (LersReportParser *p, const gchar *name, gsize name_start)
{
  g_autoptr (GPtrArray) args
      = g_ptr_array_new_with_free_func ((GDestroyNotify) lers_report_expr_free);
  LersReportExpr *expr;
  guint index = G_N_ELEMENTS (functions);
  gboolean aggregate;
  gsize first_arg = 0, second_arg = 0;
  g_autofree gchar *tr_id = NULL;

  for (guint i = 0; i < G_N_ELEMENTS (functions); i++)
    if (strcmp (functions[i].name, name) == 0)
      index = i;
  if (index == G_N_ELEMENTS (functions))
    {
      lers_report_parser_error (p, name_start, _ ("unknown function “%s”"), name);
      return NULL;
    }
  aggregate = LERS_REPORT_FN_IS_AGGREGATE (functions[index].function);
  if (aggregate && p->aggregate_depth > 0)
    {
      lers_report_parser_error (p, name_start, _ ("aggregate %s() inside another aggregate"), name);
      return NULL;
    }
  if (!enter (p) || !lers_report_parser_lex (p)) /* past "(" */
    return NULL;
  if (aggregate)
    p->aggregate_depth++;
  first_arg = p->tok.start;
  if (p->tok.kind != TOK_RPAREN)
    for (;;)
      {
        LersReportExpr *arg = parse_or (p);

        if (arg == NULL)
          return NULL;
        g_ptr_array_add (args, arg);
        if (p->tok.kind == TOK_COMMA)
          {
            if (!lers_report_parser_lex (p))
              return NULL;
            if (args->len == 1)
              second_arg = p->tok.start;
            continue;
          }
        if (p->tok.kind != TOK_RPAREN)
          return unexpected (p);
        break;
      }
  if (aggregate)
    p->aggregate_depth--;
  p->depth--;
  if (args->len < functions[index].min_args || args->len > functions[index].max_args)
    {
      const guint min = functions[index].min_args, max = functions[index].max_args;

      if (max == G_MAXUINT)
        lers_report_parser_error (p, name_start, _ ("%s() takes at least one argument"), name);
      else if (min == max && min == 1)
        lers_report_parser_error (p, name_start, _ ("%s() takes one argument, not %u"), name,
                                  args->len);
      else if (min == max)
        lers_report_parser_error (p, name_start, _ ("%s() takes %u arguments, not %u"), name, min,
                                  args->len);
      else
        lers_report_parser_error (p, name_start, _ ("%s() takes %u or %u arguments, not %u"), name,
                                  min, max, args->len);
      return NULL;
    }
  if (functions[index].function == LERS_REPORT_FN_TR)
    {
      LersReportExpr *id = g_ptr_array_index (args, 0);

      if (id->kind != LERS_REPORT_NODE_LITERAL || id->literal.type != LERS_REPORT_VALUE_STRING)
        {
          lers_report_parser_error (p, first_arg,
                                    _ ("the first argument of tr() must be a string id"));
          return NULL;
        }
      if (p->source->tr_ids != NULL
          && !g_hash_table_contains (p->source->tr_ids, id->literal.string))
        {
          lers_report_parser_error (p, first_arg, _ ("unknown string id “%s”"), id->literal.string);
          return NULL;
        }
      tr_id = g_strdup (id->literal.string);
      g_ptr_array_remove_index (args, 0);
    }
  if (functions[index].function == LERS_REPORT_FN_FORMAT)
    {
      LersReportExpr *format = g_ptr_array_index (args, 1);

      /* a literal format is checked here, like format="…" */
      if (format->kind == LERS_REPORT_NODE_LITERAL
          && format->literal.type == LERS_REPORT_VALUE_STRING
          && !lers_report_format_is_valid (format->literal.string))
        {
          lers_report_parser_error (p, second_arg, _ ("bad format “%s”"), format->literal.string);
          return NULL;
        }
    }
  if (!lers_report_parser_lex (p)) /* past ")" */
    return NULL;
  expr = node_new (LERS_REPORT_NODE_CALL, args->len);
  expr->function = functions[index].function;
  expr->tr_id = g_steal_pointer (&tr_id);
  for (guint i = 0; i < args->len; i++)
    expr->args[i] = g_steal_pointer (&args->pdata[i]);
  g_ptr_array_set_free_func (args, NULL);
  return expr;
}

static LersReportExpr *
parse_name (LersReportParser *p)
{
  g_autofree gchar *name = g_steal_pointer (&p->tok.string);
  gsize start = p->tok.start;
  LersReportFieldLookup lookup = p->source->lookup;
  gpointer lookup_data = p->source->lookup_data;
  LersReportField field = { 0 };
  LersReportExpr *expr;

  if (!lers_report_parser_lex (p))
    return NULL;
  if (p->tok.kind == TOK_LPAREN)
    return parse_call (p, name, start);
  if (strcmp (name, "true") == 0 || strcmp (name, "false") == 0)
    {
      expr = literal_node ();
      lers_report_value_set_boolean (&expr->literal, name[0] == 't');
      return expr;
    }
  if (strcmp (name, "null") == 0)
    return literal_node ();
  if (strcmp (name, "and") == 0 || strcmp (name, "or") == 0 || strcmp (name, "not") == 0)
    {
      lers_report_parser_error (p, start, _ ("unexpected “%s”"), name);
      return NULL;
    }
  if (p->aggregate_depth > 0 && p->source->aggregate_lookup != NULL)
    {
      lookup = p->source->aggregate_lookup;
      lookup_data = p->source->aggregate_lookup_data;
    }
  if (lookup == NULL || !lookup (name, lookup_data, &field))
    {
      lers_report_parser_error (p, start, _ ("unknown field “%s”"), name);
      return NULL;
    }
  expr = node_new (LERS_REPORT_NODE_FIELD, 0);
  expr->field = field;
  return expr;
}

static LersReportExpr *
parse_primary (LersReportParser *p)
{
  LersReportExpr *expr;

  switch (p->tok.kind)
    {
    case TOK_NUMBER:
      expr = literal_node ();
      lers_report_value_set_number (&expr->literal, p->tok.number);
      return lers_report_parser_lex (p) ? expr : (lers_report_expr_free (expr), NULL);
    case TOK_STRING:
      expr = literal_node ();
      lers_report_value_take_string (&expr->literal, g_steal_pointer (&p->tok.string));
      return lers_report_parser_lex (p) ? expr : (lers_report_expr_free (expr), NULL);
    case TOK_NAME:
      return parse_name (p);
    case TOK_LPAREN:
      {
        gsize open = p->tok.start;

        if (!enter (p) || !lers_report_parser_lex (p))
          return NULL;
        expr = parse_or (p);
        if (expr == NULL)
          return NULL;
        p->depth--;
        if (p->tok.kind != TOK_RPAREN)
          {
            lers_report_expr_free (expr);
            if (p->tok.kind == TOK_END)
              lers_report_parser_error (p, open, _ ("unclosed “(”"));
            else
              unexpected (p);
            return NULL;
          }
        return lers_report_parser_lex (p) ? expr : (lers_report_expr_free (expr), NULL);
      }
    default:
      return unexpected (p);
    }
}

static LersReportExpr *
unary_node (LersReportNodeKind kind, LersReportExpr *arg)
{
  LersReportExpr *expr = node_new (kind, 1);

  expr->args[0] = arg;
  return expr;
}

static LersReportExpr *
binary_node (LersReportOp op, LersReportExpr *left, LersReportExpr *right)
{
  LersReportExpr *expr = node_new (LERS_REPORT_NODE_BINARY, 2);

  expr->op = op;
  expr->args[0] = left;
  expr->args[1] = right;
  return expr;
}

static LersReportExpr *
parse_unary (LersReportParser *p)
{
  LersReportExpr *arg, *expr;

  if (p->tok.kind != TOK_MINUS)
    return parse_primary (p);
  if (!enter (p) || !lers_report_parser_lex (p))
    return NULL;
  arg = parse_unary (p);
  p->depth--;
  if (arg == NULL)
    return NULL;
  /* a literal "-5" stays a literal */
  if (arg->kind == LERS_REPORT_NODE_LITERAL && arg->literal.type == LERS_REPORT_VALUE_NUMBER)
    {
      arg->literal.number = -arg->literal.number;
      return arg;
    }
  expr = unary_node (LERS_REPORT_NODE_NEGATE, arg);
  return expr;
}

/* one level of left-associative binary operators; @next parses the level
 * above, @op_of maps a token to an operator (FALSE: not this level) */
static LersReportExpr *
parse_level (LersReportParser *p, LersReportExpr *(*next) (LersReportParser *),
             gboolean (*op_of) (LersReportParser *, LersReportOp *))
{
  LersReportExpr *left = next (p);
  LersReportOp op;

  while (left != NULL && op_of (p, &op))
    {
      LersReportExpr *right;

      if (++p->n_operators > MAX_OPERATORS)
        {
          lers_report_parser_error (
              p, p->tok.start, _ ("expression too long: more than %u operators"), MAX_OPERATORS);
          lers_report_expr_free (left);
          return NULL;
        }
      if (!lers_report_parser_lex (p))
        {
          lers_report_expr_free (left);
          return NULL;
        }
      right = next (p);
      if (right == NULL)
        {
          lers_report_expr_free (left);
          return NULL;
        }
      left = binary_node (op, left, right);
    }
  return left;
}

static gboolean
op_mul (LersReportParser *p, LersReportOp *op)
{
  switch (p->tok.kind)
    {
    case TOK_STAR:
      *op = LERS_REPORT_OP_MUL;
      return TRUE;
    case TOK_SLASH:
      *op = LERS_REPORT_OP_DIV;
      return TRUE;
    case TOK_PERCENT:
      *op = LERS_REPORT_OP_MOD;
      return TRUE;
    default:
      return FALSE;
    }
}

static gboolean
op_add (LersReportParser *p, LersReportOp *op)
{
  switch (p->tok.kind)
    {
    case TOK_PLUS:
      *op = LERS_REPORT_OP_ADD;
      return TRUE;
    case TOK_MINUS:
      *op = LERS_REPORT_OP_SUB;
      return TRUE;
    case TOK_AMP:
      *op = LERS_REPORT_OP_CONCAT;
      return TRUE;
    default:
      return FALSE;
    }
}

static gboolean
op_compare (LersReportParser *p, LersReportOp *op)
{
  switch (p->tok.kind)
    {
    case TOK_EQ:
      *op = LERS_REPORT_OP_EQ;
      return TRUE;
    case TOK_NE:
      *op = LERS_REPORT_OP_NE;
      return TRUE;
    case TOK_LT:
      *op = LERS_REPORT_OP_LT;
      return TRUE;
    case TOK_LE:
      *op = LERS_REPORT_OP_LE;
      return TRUE;
    case TOK_GT:
      *op = LERS_REPORT_OP_GT;
      return TRUE;
    case TOK_GE:
      *op = LERS_REPORT_OP_GE;
      return TRUE;
    default:
      return FALSE;
    }
}

static gboolean
op_and (LersReportParser *p, LersReportOp *op)
{
  *op = LERS_REPORT_OP_AND;
  return is_keyword (p, "and");
}

static gboolean
op_or (LersReportParser *p, LersReportOp *op)
{
  *op = LERS_REPORT_OP_OR;
  return is_keyword (p, "or");
}

static LersReportExpr *
parse_mul (LersReportParser *p)
{
  return parse_level (p, parse_unary, op_mul);
}

static LersReportExpr *
parse_add (LersReportParser *p)
{
  return parse_level (p, parse_mul, op_add);
}

static LersReportExpr *
parse_compare (LersReportParser *p)
{
  return parse_level (p, parse_add, op_compare);
}

static LersReportExpr *
parse_not (LersReportParser *p)
{
  LersReportExpr *arg;

  if (!is_keyword (p, "not"))
    return parse_compare (p);
  if (!enter (p) || !lers_report_parser_lex (p))
    return NULL;
  arg = parse_not (p);
  p->depth--;
  return arg != NULL ? unary_node (LERS_REPORT_NODE_NOT, arg) : NULL;
}

static LersReportExpr *
parse_and (LersReportParser *p)
{
  return parse_level (p, parse_not, op_and);
}

static LersReportExpr *
parse_or (LersReportParser *p)
{
  return parse_level (p, parse_and, op_or);
}

/* "{T1} °C": literal parts with "{{" and "}}", and expressions in braces */
static LersReportExpr *
parse_text (LersReportParser *p)
{
  g_autoptr (GPtrArray) parts
      = g_ptr_array_new_with_free_func ((GDestroyNotify) lers_report_expr_free);
  g_autoptr (GString) literal = g_string_new (NULL);
  LersReportExpr *expr;
  gsize i = 0;

  while (i < p->length)
    {
      gchar ch = p->text[i];

      if (ch == '}')
        {
          if (i + 1 < p->length && p->text[i + 1] == '}')
            {
              g_string_append_c (literal, '}');
              i += 2;
              continue;
            }
          lers_report_parser_error (p, i, _ ("“}” outside an expression: write “}}” for a brace"));
          return NULL;
        }
      if (ch != '{')
        {
          g_string_append_c (literal, ch);
          i++;
          continue;
        }
      if (i + 1 < p->length && p->text[i + 1] == '{')
        {
          g_string_append_c (literal, '{');
          i += 2;
          continue;
        }
      if (literal->len > 0)
        {
          LersReportExpr *part = literal_node ();

          lers_report_value_set_string (&part->literal, literal->str);
          g_ptr_array_add (parts, part);
          g_string_truncate (literal, 0);
        }
      p->pos = i + 1;
      if (!lers_report_parser_lex (p))
        return NULL;
      if (p->tok.kind == TOK_RBRACE)
        {
          lers_report_parser_error (p, p->tok.start, _ ("expected an expression"));
          return NULL;
        }
      p->n_operators = 0; /* each {…} is an expression of its own */
      expr = parse_or (p);
      if (expr == NULL)
        return NULL;
      g_ptr_array_add (parts, expr);
      if (p->tok.kind == TOK_END)
        {
          lers_report_parser_error (p, i, _ ("unclosed “{”"));
          return NULL;
        }
      if (p->tok.kind != TOK_RBRACE)
        return unexpected (p);
      i = p->tok.end;
    }
  if (literal->len > 0 || parts->len == 0)
    {
      LersReportExpr *part = literal_node ();

      lers_report_value_set_string (&part->literal, literal->str);
      g_ptr_array_add (parts, part);
    }
  /* plain text is a literal */
  if (parts->len == 1 && ((LersReportExpr *) parts->pdata[0])->kind == LERS_REPORT_NODE_LITERAL
      && ((LersReportExpr *) parts->pdata[0])->literal.type == LERS_REPORT_VALUE_STRING)
    return g_ptr_array_steal_index (parts, 0);
  expr = node_new (LERS_REPORT_NODE_TEXT, parts->len);
  for (guint k = 0; k < parts->len; k++)
    expr->args[k] = g_steal_pointer (&parts->pdata[k]);
  g_ptr_array_set_free_func (parts, NULL);
  return expr;
}

LersReportExpr *
lers_report_expr_parse_source (const gchar *text, gssize length, gboolean is_text,
                               const LersReportExprSource *source, GError **error)
{
  g_autoptr (GError) local = NULL;
  LersReportParser p = { 0 };
  LersReportExpr *expr = NULL;

  g_return_val_if_fail (text != NULL, NULL);
  g_return_val_if_fail (source != NULL, NULL);
  p.text = text;
  p.length = length < 0 ? strlen (text) : (gsize) length;
  p.source = source;
  p.error = &local;
  if (memchr (text, '\0', p.length) != NULL || !g_utf8_validate (text, (gssize) p.length, NULL))
    {
      lers_report_parser_error (&p, 0, _ ("the expression is not valid UTF-8 text"));
      g_propagate_error (error, g_steal_pointer (&local));
      return NULL;
    }
  if (is_text)
    expr = parse_text (&p);
  else if (lers_report_parser_lex (&p))
    {
      expr = parse_or (&p);
      if (expr != NULL && p.tok.kind != TOK_END)
        {
          g_clear_pointer (&expr, lers_report_expr_free);
          unexpected (&p);
        }
    }
  g_clear_pointer (&p.tok.string, g_free);
  if (expr == NULL)
    {
      /* every failing path has set the error */
      if (local == NULL)
        g_set_error_literal (&local, LERS_ERROR, LERS_ERROR_INVALID_DATA, _ ("bad expression"));
      g_propagate_error (error, g_steal_pointer (&local));
      return NULL;
    }
  return expr;
}

LersReportExpr *
lers_report_expr_parse (const gchar *text, gssize length, guint line, guint column,
                        LersReportFieldLookup lookup, gpointer lookup_data, GHashTable *tr_ids,
                        GError **error)
{
  LersReportExprSource source = { line, column, NULL, lookup, lookup_data, NULL, NULL, tr_ids };

  return lers_report_expr_parse_source (text, length, FALSE, &source, error);
}

LersReportExpr *
lers_report_expr_parse_text (const gchar *text, gssize length, guint line, guint column,
                             LersReportFieldLookup lookup, gpointer lookup_data, GHashTable *tr_ids,
                             GError **error)
{
  LersReportExprSource source = { line, column, NULL, lookup, lookup_data, NULL, NULL, tr_ids };

  return lers_report_expr_parse_source (text, length, TRUE, &source, error);
}

gboolean
lers_report_expr_has_aggregate (const LersReportExpr *expr)
{
  if (expr->kind == LERS_REPORT_NODE_CALL && LERS_REPORT_FN_IS_AGGREGATE (expr->function))
    return TRUE;
  for (guint i = 0; i < expr->n_args; i++)
    if (lers_report_expr_has_aggregate (expr->args[i]))
      return TRUE;
  return FALSE;
}

gboolean
lers_report_expr_uses_page (const LersReportExpr *expr)
{
  if (expr->kind == LERS_REPORT_NODE_FIELD && expr->field.scope == LERS_REPORT_FIELD_PAGE)
    return TRUE;
  for (guint i = 0; i < expr->n_args; i++)
    if (lers_report_expr_uses_page (expr->args[i]))
      return TRUE;
  return FALSE;
}

const LersReportField *
lers_report_expr_get_field (const LersReportExpr *expr)
{
  return expr->kind == LERS_REPORT_NODE_FIELD ? &expr->field : NULL;
}
