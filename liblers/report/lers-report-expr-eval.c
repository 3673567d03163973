/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Evaluating a parsed report expression for one row: null semantics,
 * operators, functions and aggregates over the band's rows
 * (docs/report-templates.md, "Expressions"). */
#include "config.h"

#include <math.h>
#include <string.h>

#include "lers-report-expr-private.h"

static gboolean eval (const LersReportExpr *expr, const LersReportContext *ctx,
                      LersReportValue *value, GError **error);

static gchar *
value_text (const LersReportValue *value, const LersReportContext *ctx)
{
  return lers_report_value_format (value, NULL, ctx->language, ctx->zone);
}

static void
set_number_checked (LersReportValue *value, gdouble number)
{
  /* an overflow is a missing value, not "inf" on a statement */
  if (isfinite (number))
    lers_report_value_set_number (value, number);
  else
    lers_report_value_clear (value);
}

/* times stay within ±3000 years of 1970; beyond is null, never an overflow */
#define MAX_TIME_US G_GINT64_CONSTANT (100000000000000000)

static void
set_time_checked (LersReportValue *value, gint64 time_us, gdouble seconds)
{
  gint64 sum;

  lers_report_value_clear (value);
  if (!(fabs (seconds) < 1e11) || time_us > MAX_TIME_US || time_us < -MAX_TIME_US)
    return;
  sum = time_us + (gint64) (seconds * G_USEC_PER_SEC);
  if (sum <= MAX_TIME_US && sum >= -MAX_TIME_US)
    lers_report_value_set_time (value, sum);
}

/* <0, 0, >0; FALSE when the two cannot be compared */
static gboolean
compare (const LersReportValue *a, const LersReportValue *b, gint *result)
{
  if (a->type != b->type)
    return FALSE;
  switch (a->type)
    {
    case LERS_REPORT_VALUE_NUMBER:
      if (isnan (a->number) || isnan (b->number))
        return FALSE;
      *result = a->number < b->number ? -1 : a->number > b->number ? 1 : 0;
      return TRUE;
    case LERS_REPORT_VALUE_TIME:
      *result = a->time < b->time ? -1 : a->time > b->time ? 1 : 0;
      return TRUE;
    case LERS_REPORT_VALUE_STRING:
      *result = g_strcmp0 (a->string, b->string);
      return TRUE;
    case LERS_REPORT_VALUE_BOOLEAN:
      *result = (gint) a->boolean - (gint) b->boolean;
      return TRUE;
    case LERS_REPORT_VALUE_NULL:
    default:
      return FALSE;
    }
}

static void
eval_arithmetic (LersReportOp op, const LersReportValue *a, const LersReportValue *b,
                 LersReportValue *value)
{
  const gboolean numbers
      = a->type == LERS_REPORT_VALUE_NUMBER && b->type == LERS_REPORT_VALUE_NUMBER;

  lers_report_value_clear (value);
  switch (op)
    {
    case LERS_REPORT_OP_ADD:
      if (numbers)
        set_number_checked (value, a->number + b->number);
      /* a time and seconds: a time */
      else if (a->type == LERS_REPORT_VALUE_TIME && b->type == LERS_REPORT_VALUE_NUMBER)
        set_time_checked (value, a->time, b->number);
      else if (a->type == LERS_REPORT_VALUE_NUMBER && b->type == LERS_REPORT_VALUE_TIME)
        set_time_checked (value, b->time, a->number);
      break;
    case LERS_REPORT_OP_SUB:
      if (numbers)
        set_number_checked (value, a->number - b->number);
      /* two times: the seconds between them */
      else if (a->type == LERS_REPORT_VALUE_TIME && b->type == LERS_REPORT_VALUE_TIME)
        lers_report_value_set_number (value,
                                      ((gdouble) a->time - (gdouble) b->time) / G_USEC_PER_SEC);
      else if (a->type == LERS_REPORT_VALUE_TIME && b->type == LERS_REPORT_VALUE_NUMBER)
        set_time_checked (value, a->time, -b->number);
      break;
    case LERS_REPORT_OP_MUL:
      if (numbers)
        set_number_checked (value, a->number * b->number);
      break;
    case LERS_REPORT_OP_DIV:
      if (numbers && b->number != 0.0)
        set_number_checked (value, a->number / b->number);
      break;
    case LERS_REPORT_OP_MOD:
      if (numbers && b->number != 0.0)
        set_number_checked (value, fmod (a->number, b->number));
      break;
    default:
      break;
    }
}

static gboolean
eval_binary (const LersReportExpr *expr, const LersReportContext *ctx, LersReportValue *value,
             GError **error)
{
  g_auto (LersReportValue) a = LERS_REPORT_VALUE_INIT;
  g_auto (LersReportValue) b = LERS_REPORT_VALUE_INIT;
  gint cmp = 0;

  if (!eval (expr->args[0], ctx, &a, error))
    return FALSE;
  /* and/or: null is false, and the right side only when needed */
  if (expr->op == LERS_REPORT_OP_OR || expr->op == LERS_REPORT_OP_AND)
    {
      gboolean left = lers_report_value_is_true (&a);

      if ((expr->op == LERS_REPORT_OP_OR) == left)
        {
          lers_report_value_set_boolean (value, left);
          return TRUE;
        }
      if (!eval (expr->args[1], ctx, &b, error))
        return FALSE;
      lers_report_value_set_boolean (value, lers_report_value_is_true (&b));
      return TRUE;
    }
  if (!eval (expr->args[1], ctx, &b, error))
    return FALSE;
  switch (expr->op)
    {
    case LERS_REPORT_OP_CONCAT:
      {
        /* null joins as empty text */
        g_autofree gchar *left = value_text (&a, ctx);
        g_autofree gchar *right = value_text (&b, ctx);

        lers_report_value_take_string (value, g_strconcat (left, right, NULL));
        return TRUE;
      }
    case LERS_REPORT_OP_EQ:
    case LERS_REPORT_OP_NE:
    case LERS_REPORT_OP_LT:
    case LERS_REPORT_OP_LE:
    case LERS_REPORT_OP_GT:
    case LERS_REPORT_OP_GE:
      lers_report_value_clear (value);
      if (!compare (&a, &b, &cmp))
        return TRUE;
      switch (expr->op)
        {
        case LERS_REPORT_OP_EQ:
          lers_report_value_set_boolean (value, cmp == 0);
          break;
        case LERS_REPORT_OP_NE:
          lers_report_value_set_boolean (value, cmp != 0);
          break;
        case LERS_REPORT_OP_LT:
          lers_report_value_set_boolean (value, cmp < 0);
          break;
        case LERS_REPORT_OP_LE:
          lers_report_value_set_boolean (value, cmp <= 0);
          break;
        case LERS_REPORT_OP_GT:
          lers_report_value_set_boolean (value, cmp > 0);
          break;
        default:
          lers_report_value_set_boolean (value, cmp >= 0);
          break;
        }
      return TRUE;
    default:
      eval_arithmetic (expr->op, &a, &b, value);
      return TRUE;
    }
}

/* sum avg min max count first last over rows [first, end) */
static gboolean
eval_aggregate (const LersReportExpr *expr, const LersReportContext *ctx, LersReportValue *value,
                GError **error)
{
  LersReportContext row_ctx = *ctx;
  LersReportValue best = LERS_REPORT_VALUE_INIT;
  gdouble sum = 0.0;
  guint n = 0;

  lers_report_value_clear (value);
  if (expr->function == LERS_REPORT_FN_COUNT && expr->n_args == 0)
    {
      lers_report_value_set_number (value, ctx->end > ctx->first ? ctx->end - ctx->first : 0);
      return TRUE;
    }
  if (ctx->end <= ctx->first)
    {
      if (expr->function == LERS_REPORT_FN_COUNT)
        lers_report_value_set_number (value, 0);
      return TRUE;
    }
  if (expr->function == LERS_REPORT_FN_FIRST || expr->function == LERS_REPORT_FN_LAST)
    {
      row_ctx.row = expr->function == LERS_REPORT_FN_FIRST ? ctx->first : ctx->end - 1;
      return eval (expr->args[0], &row_ctx, value, error);
    }
  for (guint row = ctx->first; row < ctx->end; row++)
    {
      LersReportValue v = LERS_REPORT_VALUE_INIT;
      gint cmp = 0;

      row_ctx.row = row;
      if (!eval (expr->args[0], &row_ctx, &v, error))
        {
          lers_report_value_clear (&best);
          return FALSE;
        }
      if (v.type == LERS_REPORT_VALUE_NULL)
        continue;
      switch (expr->function)
        {
        case LERS_REPORT_FN_COUNT:
          n++;
          break;
        case LERS_REPORT_FN_SUM:
        case LERS_REPORT_FN_AVG:
          if (v.type == LERS_REPORT_VALUE_NUMBER)
            {
              sum += v.number;
              n++;
            }
          break;
        default: /* min, max: over values of the first value's type */
          if (best.type == LERS_REPORT_VALUE_NULL)
            lers_report_value_copy (&v, &best);
          else if (compare (&v, &best, &cmp)
                   && ((expr->function == LERS_REPORT_FN_MIN && cmp < 0)
                       || (expr->function == LERS_REPORT_FN_MAX && cmp > 0)))
            lers_report_value_copy (&v, &best);
          break;
        }
      lers_report_value_clear (&v);
    }
  switch (expr->function)
    {
    case LERS_REPORT_FN_COUNT:
      lers_report_value_set_number (value, n);
      break;
    case LERS_REPORT_FN_SUM:
      if (n > 0)
        set_number_checked (value, sum);
      break;
    case LERS_REPORT_FN_AVG:
      if (n > 0)
        set_number_checked (value, sum / n);
      break;
    default:
      *value = best;
      return TRUE;
    }
  return TRUE;
}

/* "Стр. {0} из {1}" with the arguments as text */
static gboolean
eval_tr (const LersReportExpr *expr, const LersReportContext *ctx, LersReportValue *value,
         GError **error)
{
  const gchar *pattern
      = ctx->strings != NULL ? g_hash_table_lookup (ctx->strings, expr->tr_id) : NULL;
  g_autoptr (GString) out = g_string_new (NULL);

  if (pattern == NULL)
    pattern = expr->tr_id;
  for (const gchar *p = pattern; *p != '\0'; p++)
    {
      gchar *end = NULL;
      guint64 index;

      if (*p == '{' && g_ascii_isdigit (p[1]))
        {
          index = g_ascii_strtoull (p + 1, &end, 10);
          if (*end == '}' && index < expr->n_args)
            {
              LersReportValue arg = LERS_REPORT_VALUE_INIT;
              g_autofree gchar *text = NULL;

              if (!eval (expr->args[index], ctx, &arg, error))
                return FALSE;
              text = value_text (&arg, ctx);
              lers_report_value_clear (&arg);
              g_string_append (out, text);
              p = end;
              continue;
            }
        }
      g_string_append_c (out, *p);
    }
  lers_report_value_take_string (value, g_string_free (g_steal_pointer (&out), FALSE));
  return TRUE;
}

/* seconds as h:mm, rounded to the minute */
static gchar *
format_duration (gdouble seconds)
{
  gdouble minutes = round (fabs (seconds) / 60.0);
  guint64 m = (guint64) minutes;

  return g_strdup_printf ("%s%" G_GUINT64_FORMAT ":%02u", seconds < 0 && m > 0 ? "-" : "", m / 60,
                          (guint) (m % 60));
}

static gboolean
eval_call (const LersReportExpr *expr, const LersReportContext *ctx, LersReportValue *value,
           GError **error)
{
  LersReportValue a = LERS_REPORT_VALUE_INIT, b = LERS_REPORT_VALUE_INIT;

  if (LERS_REPORT_FN_IS_AGGREGATE (expr->function))
    return eval_aggregate (expr, ctx, value, error);
  switch (expr->function)
    {
    case LERS_REPORT_FN_TR:
      return eval_tr (expr, ctx, value, error);
    case LERS_REPORT_FN_IF:
      if (!eval (expr->args[0], ctx, &a, error))
        return FALSE;
      {
        gboolean c = lers_report_value_is_true (&a);

        lers_report_value_clear (&a);
        return eval (expr->args[c ? 1 : 2], ctx, value, error);
      }
    case LERS_REPORT_FN_COALESCE:
      for (guint i = 0; i < expr->n_args; i++)
        {
          if (!eval (expr->args[i], ctx, value, error))
            return FALSE;
          if (value->type != LERS_REPORT_VALUE_NULL)
            return TRUE;
        }
      return TRUE;
    default:
      break;
    }
  if (!eval (expr->args[0], ctx, &a, error))
    return FALSE;
  if (expr->n_args > 1 && !eval (expr->args[1], ctx, &b, error))
    {
      lers_report_value_clear (&a);
      return FALSE;
    }
  lers_report_value_clear (value);
  switch (expr->function)
    {
    case LERS_REPORT_FN_ROUND:
      if (a.type == LERS_REPORT_VALUE_NUMBER
          && (expr->n_args == 1 || b.type == LERS_REPORT_VALUE_NUMBER))
        {
          gdouble n = expr->n_args > 1 ? CLAMP (round (b.number), -15, 15) : 0;
          gdouble scale = pow (10.0, n);

          /* a number with no digits that fine is already rounded */
          if (!isfinite (a.number * scale) || fabs (a.number * scale) >= 4503599627370496.0)
            set_number_checked (value, a.number);
          else
            set_number_checked (value, round (a.number * scale) / scale);
        }
      break;
    case LERS_REPORT_FN_ABS:
      if (a.type == LERS_REPORT_VALUE_NUMBER)
        lers_report_value_set_number (value, fabs (a.number));
      break;
    case LERS_REPORT_FN_FORMAT:
      if (a.type != LERS_REPORT_VALUE_NULL)
        lers_report_value_take_string (
            value,
            lers_report_value_format (&a, b.type == LERS_REPORT_VALUE_STRING ? b.string : NULL,
                                      ctx->language, ctx->zone));
      break;
    case LERS_REPORT_FN_DURATION:
      if (a.type == LERS_REPORT_VALUE_NUMBER && fabs (a.number) < 1e15)
        lers_report_value_take_string (value, format_duration (a.number));
      break;
    case LERS_REPORT_FN_UPPER:
    case LERS_REPORT_FN_LOWER:
      if (a.type != LERS_REPORT_VALUE_NULL)
        {
          g_autofree gchar *text = value_text (&a, ctx);

          lers_report_value_take_string (value, expr->function == LERS_REPORT_FN_UPPER
                                                    ? g_utf8_strup (text, -1)
                                                    : g_utf8_strdown (text, -1));
        }
      break;
    default:
      break;
    }
  lers_report_value_clear (&a);
  lers_report_value_clear (&b);
  return TRUE;
}

static gboolean
eval (const LersReportExpr *expr, const LersReportContext *ctx, LersReportValue *value,
      GError **error)
{
  LersReportValue a = LERS_REPORT_VALUE_INIT;

  switch (expr->kind)
    {
    case LERS_REPORT_NODE_LITERAL:
      lers_report_value_copy (&expr->literal, value);
      return TRUE;
    case LERS_REPORT_NODE_FIELD:
      lers_report_value_clear (value);
      if (ctx->resolve == NULL)
        return TRUE;
      return ctx->resolve (ctx->user_data, &expr->field, ctx->row, value, error);
    case LERS_REPORT_NODE_NEGATE:
      if (!eval (expr->args[0], ctx, &a, error))
        return FALSE;
      lers_report_value_clear (value);
      if (a.type == LERS_REPORT_VALUE_NUMBER)
        lers_report_value_set_number (value, -a.number);
      lers_report_value_clear (&a);
      return TRUE;
    case LERS_REPORT_NODE_NOT:
      if (!eval (expr->args[0], ctx, &a, error))
        return FALSE;
      lers_report_value_set_boolean (value, !lers_report_value_is_true (&a));
      lers_report_value_clear (&a);
      return TRUE;
    case LERS_REPORT_NODE_BINARY:
      return eval_binary (expr, ctx, value, error);
    case LERS_REPORT_NODE_CALL:
      return eval_call (expr, ctx, value, error);
    case LERS_REPORT_NODE_TEXT:
      {
        g_autoptr (GString) out = g_string_new (NULL);

        for (guint i = 0; i < expr->n_args; i++)
          {
            g_autofree gchar *text = NULL;

            if (!eval (expr->args[i], ctx, &a, error))
              return FALSE;
            text = value_text (&a, ctx);
            lers_report_value_clear (&a);
            g_string_append (out, text);
          }
        lers_report_value_take_string (value, g_string_free (g_steal_pointer (&out), FALSE));
        return TRUE;
      }
    default:
      lers_report_value_clear (value);
      return TRUE;
    }
}

gboolean
lers_report_expr_eval (const LersReportExpr *expr, const LersReportContext *context,
                       LersReportValue *value, GError **error)
{
  g_return_val_if_fail (expr != NULL, FALSE);
  g_return_val_if_fail (context != NULL, FALSE);
  g_return_val_if_fail (value != NULL, FALSE);

  lers_report_value_clear (value);
  if (!eval (expr, context, value, error))
    {
      lers_report_value_clear (value);
      return FALSE;
    }
  return TRUE;
}
