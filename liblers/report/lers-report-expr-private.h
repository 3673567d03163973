/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The tree of a parsed report expression, shared by the parser
 * (lers-report-expr.c) and the evaluator (lers-report-expr-eval.c). */
#pragma once

#include "lers-report-expr.h"

G_BEGIN_DECLS

typedef enum
{
  LERS_REPORT_NODE_LITERAL = 0,
  LERS_REPORT_NODE_FIELD,
  LERS_REPORT_NODE_NEGATE,
  LERS_REPORT_NODE_NOT,
  LERS_REPORT_NODE_BINARY,
  LERS_REPORT_NODE_CALL,
  LERS_REPORT_NODE_TEXT, /* the parts of "{T1} °C", joined as text */
} LersReportNodeKind;

typedef enum
{
  LERS_REPORT_OP_OR = 0,
  LERS_REPORT_OP_AND,
  LERS_REPORT_OP_EQ,
  LERS_REPORT_OP_NE,
  LERS_REPORT_OP_LT,
  LERS_REPORT_OP_LE,
  LERS_REPORT_OP_GT,
  LERS_REPORT_OP_GE,
  LERS_REPORT_OP_ADD,
  LERS_REPORT_OP_SUB,
  LERS_REPORT_OP_CONCAT,
  LERS_REPORT_OP_MUL,
  LERS_REPORT_OP_DIV,
  LERS_REPORT_OP_MOD,
} LersReportOp;

typedef enum
{
  LERS_REPORT_FN_SUM = 0,
  LERS_REPORT_FN_AVG,
  LERS_REPORT_FN_MIN,
  LERS_REPORT_FN_MAX,
  LERS_REPORT_FN_COUNT,
  LERS_REPORT_FN_FIRST,
  LERS_REPORT_FN_LAST,
  LERS_REPORT_FN_IF,
  LERS_REPORT_FN_COALESCE,
  LERS_REPORT_FN_ROUND,
  LERS_REPORT_FN_ABS,
  LERS_REPORT_FN_FORMAT,
  LERS_REPORT_FN_DURATION,
  LERS_REPORT_FN_UPPER,
  LERS_REPORT_FN_LOWER,
  LERS_REPORT_FN_TR,
} LersReportFunction;

/* the first functions of LersReportFunction run over the band's rows */
#define LERS_REPORT_FN_IS_AGGREGATE(fn) ((fn) <= LERS_REPORT_FN_LAST)

struct _LersReportExpr
{
  LersReportNodeKind kind;
  LersReportValue literal;     /* LITERAL */
  LersReportField field;       /* FIELD */
  LersReportOp op;             /* BINARY */
  LersReportFunction function; /* CALL */
  gchar *tr_id;                /* CALL of tr(): the string id; args are the rest */
  LersReportExpr **args;       /* NEGATE, NOT: 1; BINARY: 2; CALL: arguments; TEXT: parts */
  guint n_args;
};

G_END_DECLS
