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

typedef enum
{
  TOK_END = 0,
  TOK_NUMBER,
  TOK_STRING,
  TOK_NAME,
  TOK_LPAREN,
  TOK_RPAREN,
  TOK_COMMA,
  TOK_RBRACE,
  TOK_PLUS,
  TOK_MINUS,
  TOK_STAR,
  TOK_SLASH,
  TOK_PERCENT,
  TOK_AMP,
  TOK_EQ,
  TOK_NE,
  TOK_LT,
  TOK_LE,
  TOK_GT,
  TOK_GE,
} TokenKind;

typedef struct
{
  TokenKind kind;
  gsize start; /* byte offset in the text */
  gsize end;
  gdouble number;
  gchar *string; /* STRING: unescaped; NAME: the name */
} Token;

typedef struct
{
  const gchar *text;
  gsize length;
  const LersReportExprSource *source;
  gsize pos; /* the lexer's next byte */
  Token tok; /* the current token */
  guint depth;
  guint aggregate_depth;
  GError **error;
} Parser;

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

/* Counts lines and characters up to @offset. With a raw source, walks the
 * text as written: an entity ("&lt;", "&#1076;") is one character of the
 * parsed text and several of the file. */
void
lers_report_expr_source_position (const LersReportExprSource *source, const gchar *text,
                                  gsize offset, guint *line, guint *column)
{
  const gchar *raw = source->raw != NULL ? source->raw : text;
  gboolean escaped = source->raw != NULL;
  gsize done = 0; /* bytes of @text passed */
  guint l = source->line, c = source->column;

  while (done < offset && *raw != '\0')
    {
      if (escaped && *raw == '&')
        {
          const gchar *semi = strchr (raw, ';');
          gsize decoded = 1;

          if (semi != NULL && semi - raw < 12)
            {
              if (raw[1] == '#')
                {
                  gunichar ch = raw[2] == 'x' ? (gunichar) g_ascii_strtoull (raw + 3, NULL, 16)
                                              : (gunichar) g_ascii_strtoull (raw + 2, NULL, 10);
                  decoded = (gsize) g_unichar_to_utf8 (ch, NULL);
                }
              c += (guint) g_utf8_strlen (raw, semi + 1 - raw);
              raw = semi + 1;
              done += decoded;
              continue;
            }
        }
      if (*raw == '\n')
        {
          l++;
          c = 1;
          done++;
          raw++;
          continue;
        }
      {
        const gchar *next = g_utf8_next_char (raw);

        done += (gsize) (next - raw);
        raw = next;
        c++;
      }
    }
  *line = l;
  *column = c;
}

static void G_GNUC_PRINTF (3, 4) parser_error (Parser *p, gsize offset, const gchar *format, ...)
{
  va_list args;
  g_autofree gchar *message = NULL;
  guint line = 0, column = 0;

  if (p->error == NULL || *p->error != NULL)
    return;
  va_start (args, format);
  message = g_strdup_vprintf (format, args);
  va_end (args);
  lers_report_expr_source_position (p->source, p->text, offset, &line, &column);
  g_set_error (p->error, LERS_ERROR, LERS_ERROR_INVALID_DATA,
               /* TRANSLATORS: where an error is in a report template, and the error */
               _ ("line %u, column %u: %s"), line, column, message);
}

/* the current token as the reader wrote it, for messages */
static gchar *
token_text (Parser *p)
{
  if (p->tok.kind == TOK_END)
    return g_strdup ("");
  return g_strndup (p->text + p->tok.start, p->tok.end - p->tok.start);
}

static gboolean
lex_string (Parser *p, gchar quote)
{
  g_autoptr (GString) s = g_string_new (NULL);
  gsize i = p->pos + 1;

  while (i < p->length && p->text[i] != quote)
    {
      if (p->text[i] == '\\')
        {
          if (i + 1 < p->length
              && (p->text[i + 1] == '\'' || p->text[i + 1] == '"' || p->text[i + 1] == '\\'))
            {
              g_string_append_c (s, p->text[i + 1]);
              i += 2;
              continue;
            }
          parser_error (p, i, _ ("unknown escape in a string: write \\\\, \\' or \\\""));
          return FALSE;
        }
      g_string_append_c (s, p->text[i]);
      i++;
    }
  if (i >= p->length)
    {
      parser_error (p, p->pos, _ ("unterminated string"));
      return FALSE;
    }
  p->tok.kind = TOK_STRING;
  p->tok.string = g_string_free (g_steal_pointer (&s), FALSE);
  p->tok.end = i + 1;
  return TRUE;
}

static gboolean
lex_number (Parser *p)
{
  gsize i = p->pos;
  g_autofree gchar *copy = NULL;
  gchar *end = NULL;

  while (i < p->length && g_ascii_isdigit (p->text[i]))
    i++;
  if (i + 1 < p->length && p->text[i] == '.' && g_ascii_isdigit (p->text[i + 1]))
    {
      i++;
      while (i < p->length && g_ascii_isdigit (p->text[i]))
        i++;
    }
  if (i < p->length && (p->text[i] == 'e' || p->text[i] == 'E'))
    {
      gsize j = i + 1;

      if (j < p->length && (p->text[j] == '+' || p->text[j] == '-'))
        j++;
      if (j < p->length && g_ascii_isdigit (p->text[j]))
        {
          while (j < p->length && g_ascii_isdigit (p->text[j]))
            j++;
          i = j;
        }
    }
  if (i < p->length && (g_ascii_isalpha (p->text[i]) || p->text[i] == '_'))
    {
      parser_error (p, p->pos, _ ("bad number"));
      return FALSE;
    }
  copy = g_strndup (p->text + p->pos, i - p->pos);
  p->tok.kind = TOK_NUMBER;
  p->tok.number = g_ascii_strtod (copy, &end);
  p->tok.end = i;
  return TRUE;
}

/* Reads the next token into p->tok. */
static gboolean
lex (Parser *p)
{
  const gchar *t = p->text;
  gchar ch;

  g_clear_pointer (&p->tok.string, g_free);
  while (p->pos < p->length
         && (t[p->pos] == ' ' || t[p->pos] == '\t' || t[p->pos] == '\n' || t[p->pos] == '\r'))
    p->pos++;
  p->tok.start = p->pos;
  p->tok.end = p->pos + 1;
  if (p->pos >= p->length)
    {
      p->tok.kind = TOK_END;
      p->tok.end = p->pos;
      return TRUE;
    }
  ch = t[p->pos];
  if (g_ascii_isdigit (ch))
    {
      if (!lex_number (p))
        return FALSE;
    }
  else if (ch == '\'' || ch == '"')
    {
      if (!lex_string (p, ch))
        return FALSE;
    }
  else if (g_ascii_isalpha (ch) || ch == '_')
    {
      gsize i = p->pos;

      while (i < p->length && (g_ascii_isalnum (t[i]) || t[i] == '_' || t[i] == '.'))
        i++;
      p->tok.kind = TOK_NAME;
      p->tok.string = g_strndup (t + p->pos, i - p->pos);
      p->tok.end = i;
    }
  else
    {
      gchar next = p->pos + 1 < p->length ? t[p->pos + 1] : '\0';

      switch (ch)
        {
        case '(':
          p->tok.kind = TOK_LPAREN;
          break;
        case ')':
          p->tok.kind = TOK_RPAREN;
          break;
        case ',':
          p->tok.kind = TOK_COMMA;
          break;
        case '}':
          p->tok.kind = TOK_RBRACE;
          break;
        case '+':
          p->tok.kind = TOK_PLUS;
          break;
        case '-':
          p->tok.kind = TOK_MINUS;
          break;
        case '*':
          p->tok.kind = TOK_STAR;
          break;
        case '/':
          p->tok.kind = TOK_SLASH;
          break;
        case '%':
          p->tok.kind = TOK_PERCENT;
          break;
        case '&':
          p->tok.kind = TOK_AMP;
          break;
        case '=':
          p->tok.kind = TOK_EQ;
          break;
        case '<':
          p->tok.kind = next == '=' ? TOK_LE : TOK_LT;
          break;
        case '>':
          p->tok.kind = next == '=' ? TOK_GE : TOK_GT;
          break;
        case '!':
          if (next == '=')
            {
              p->tok.kind = TOK_NE;
              break;
            }
          G_GNUC_FALLTHROUGH;
        default:
          {
            const gchar *end = g_utf8_find_next_char (t + p->pos, t + p->length);
            g_autofree gchar *what = g_strndup (
                t + p->pos, (gsize) ((end != NULL ? end : t + p->length) - (t + p->pos)));

            parser_error (p, p->pos, _ ("unexpected character “%s”"),
                          g_utf8_validate (what, -1, NULL) ? what : "?");
            return FALSE;
          }
        }
      if (p->tok.kind == TOK_LE || p->tok.kind == TOK_GE || p->tok.kind == TOK_NE)
        p->tok.end = p->pos + 2;
    }
  p->pos = p->tok.end;
  return TRUE;
}

static gboolean
is_keyword (Parser *p, const gchar *word)
{
  return p->tok.kind == TOK_NAME && strcmp (p->tok.string, word) == 0;
}

static gboolean
enter (Parser *p)
{
  if (++p->depth > MAX_DEPTH)
    {
      parser_error (p, p->tok.start, _ ("expression nested too deeply"));
      return FALSE;
    }
  return TRUE;
}

static LersReportExpr *parse_or (Parser *p);

static LersReportExpr *
unexpected (Parser *p)
{
  g_autofree gchar *what = token_text (p);

  if (p->tok.kind == TOK_END)
    parser_error (p, p->tok.start, _ ("expected an expression"));
  else
    parser_error (p, p->tok.start, _ ("unexpected “%s”"), what);
  return NULL;
}

static LersReportExpr *
literal_node (void)
{
  return node_new (LERS_REPORT_NODE_LITERAL, 0);
}

static LersReportExpr *
parse_call (Parser *p, const gchar *name, gsize name_start)
{
  g_autoptr (GPtrArray) args
      = g_ptr_array_new_with_free_func ((GDestroyNotify) lers_report_expr_free);
  LersReportExpr *expr;
  guint index = G_N_ELEMENTS (functions);
  gboolean aggregate;
  gsize first_arg = 0;
  g_autofree gchar *tr_id = NULL;

  for (guint i = 0; i < G_N_ELEMENTS (functions); i++)
    if (strcmp (functions[i].name, name) == 0)
      index = i;
  if (index == G_N_ELEMENTS (functions))
    {
      parser_error (p, name_start, _ ("unknown function “%s”"), name);
      return NULL;
    }
  aggregate = LERS_REPORT_FN_IS_AGGREGATE (functions[index].function);
  if (aggregate && p->aggregate_depth > 0)
    {
      parser_error (p, name_start, _ ("aggregate %s() inside another aggregate"), name);
      return NULL;
    }
  if (!enter (p) || !lex (p)) /* past "(" */
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
            if (!lex (p))
              return NULL;
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
        parser_error (p, name_start, _ ("%s() takes at least one argument"), name);
      else if (min == max && min == 1)
        parser_error (p, name_start, _ ("%s() takes one argument, not %u"), name, args->len);
      else if (min == max)
        parser_error (p, name_start, _ ("%s() takes %u arguments, not %u"), name, min, args->len);
      else
        parser_error (p, name_start, _ ("%s() takes %u or %u arguments, not %u"), name, min, max,
                      args->len);
      return NULL;
    }
  if (functions[index].function == LERS_REPORT_FN_TR)
    {
      LersReportExpr *id = g_ptr_array_index (args, 0);

      if (id->kind != LERS_REPORT_NODE_LITERAL || id->literal.type != LERS_REPORT_VALUE_STRING)
        {
          parser_error (p, first_arg, _ ("the first argument of tr() must be a string id"));
          return NULL;
        }
      if (p->source->tr_ids != NULL
          && !g_hash_table_contains (p->source->tr_ids, id->literal.string))
        {
          parser_error (p, first_arg, _ ("unknown string id “%s”"), id->literal.string);
          return NULL;
        }
      tr_id = g_strdup (id->literal.string);
      g_ptr_array_remove_index (args, 0);
    }
  if (!lex (p)) /* past ")" */
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
parse_name (Parser *p)
{
  g_autofree gchar *name = g_steal_pointer (&p->tok.string);
  gsize start = p->tok.start;
  LersReportFieldLookup lookup = p->source->lookup;
  gpointer lookup_data = p->source->lookup_data;
  LersReportField field = { 0 };
  LersReportExpr *expr;

  if (!lex (p))
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
      parser_error (p, start, _ ("unexpected “%s”"), name);
      return NULL;
    }
  if (p->aggregate_depth > 0 && p->source->aggregate_lookup != NULL)
    {
      lookup = p->source->aggregate_lookup;
      lookup_data = p->source->aggregate_lookup_data;
    }
  if (lookup == NULL || !lookup (name, lookup_data, &field))
    {
      parser_error (p, start, _ ("unknown field “%s”"), name);
      return NULL;
    }
  expr = node_new (LERS_REPORT_NODE_FIELD, 0);
  expr->field = field;
  return expr;
}

static LersReportExpr *
parse_primary (Parser *p)
{
  LersReportExpr *expr;

  switch (p->tok.kind)
    {
    case TOK_NUMBER:
      expr = literal_node ();
      lers_report_value_set_number (&expr->literal, p->tok.number);
      return lex (p) ? expr : (lers_report_expr_free (expr), NULL);
    case TOK_STRING:
      expr = literal_node ();
      lers_report_value_take_string (&expr->literal, g_steal_pointer (&p->tok.string));
      return lex (p) ? expr : (lers_report_expr_free (expr), NULL);
    case TOK_NAME:
      return parse_name (p);
    case TOK_LPAREN:
      {
        gsize open = p->tok.start;

        if (!enter (p) || !lex (p))
          return NULL;
        expr = parse_or (p);
        if (expr == NULL)
          return NULL;
        p->depth--;
        if (p->tok.kind != TOK_RPAREN)
          {
            lers_report_expr_free (expr);
            if (p->tok.kind == TOK_END)
              parser_error (p, open, _ ("unclosed “(”"));
            else
              unexpected (p);
            return NULL;
          }
        return lex (p) ? expr : (lers_report_expr_free (expr), NULL);
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
parse_unary (Parser *p)
{
  LersReportExpr *arg, *expr;

  if (p->tok.kind != TOK_MINUS)
    return parse_primary (p);
  if (!enter (p) || !lex (p))
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
parse_level (Parser *p, LersReportExpr *(*next) (Parser *),
             gboolean (*op_of) (Parser *, LersReportOp *))
{
  LersReportExpr *left = next (p);
  LersReportOp op;

  while (left != NULL && op_of (p, &op))
    {
      LersReportExpr *right;

      if (!lex (p))
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
op_mul (Parser *p, LersReportOp *op)
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
op_add (Parser *p, LersReportOp *op)
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
op_compare (Parser *p, LersReportOp *op)
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
op_and (Parser *p, LersReportOp *op)
{
  *op = LERS_REPORT_OP_AND;
  return is_keyword (p, "and");
}

static gboolean
op_or (Parser *p, LersReportOp *op)
{
  *op = LERS_REPORT_OP_OR;
  return is_keyword (p, "or");
}

static LersReportExpr *
parse_mul (Parser *p)
{
  return parse_level (p, parse_unary, op_mul);
}

static LersReportExpr *
parse_add (Parser *p)
{
  return parse_level (p, parse_mul, op_add);
}

static LersReportExpr *
parse_compare (Parser *p)
{
  return parse_level (p, parse_add, op_compare);
}

static LersReportExpr *
parse_not (Parser *p)
{
  LersReportExpr *arg;

  if (!is_keyword (p, "not"))
    return parse_compare (p);
  if (!enter (p) || !lex (p))
    return NULL;
  arg = parse_not (p);
  p->depth--;
  return arg != NULL ? unary_node (LERS_REPORT_NODE_NOT, arg) : NULL;
}

static LersReportExpr *
parse_and (Parser *p)
{
  return parse_level (p, parse_not, op_and);
}

static LersReportExpr *
parse_or (Parser *p)
{
  return parse_level (p, parse_and, op_or);
}

/* "{T1} °C": literal parts with "{{" and "}}", and expressions in braces */
static LersReportExpr *
parse_text (Parser *p)
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
          parser_error (p, i, _ ("“}” outside an expression: write “}}” for a brace"));
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
      if (!lex (p))
        return NULL;
      if (p->tok.kind == TOK_RBRACE)
        {
          parser_error (p, p->tok.start, _ ("expected an expression"));
          return NULL;
        }
      expr = parse_or (p);
      if (expr == NULL)
        return NULL;
      g_ptr_array_add (parts, expr);
      if (p->tok.kind == TOK_END)
        {
          parser_error (p, i, _ ("unclosed “{”"));
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
  if (parts->len == 1 && ((LersReportExpr *) parts->pdata[0])->kind == LERS_REPORT_NODE_LITERAL)
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
  Parser p = { 0 };
  LersReportExpr *expr = NULL;

  g_return_val_if_fail (text != NULL, NULL);
  g_return_val_if_fail (source != NULL, NULL);
  p.text = text;
  p.length = length < 0 ? strlen (text) : (gsize) length;
  p.source = source;
  p.error = &local;
  if (memchr (text, '\0', p.length) != NULL || !g_utf8_validate (text, (gssize) p.length, NULL))
    {
      parser_error (&p, 0, _ ("the expression is not valid UTF-8 text"));
      g_propagate_error (error, g_steal_pointer (&local));
      return NULL;
    }
  if (is_text)
    expr = parse_text (&p);
  else if (lex (&p))
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
