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

/* the parser's state, shared with the lexer (lers-report-expr-lex.c) */
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
} LersReportTokenKind;

typedef struct
{
  LersReportTokenKind kind;
  gsize start; /* byte offset in the text */
  gsize end;
  gdouble number;
  gchar *string; /* STRING: unescaped; NAME: the name */
} LersReportToken;

typedef struct
{
  const gchar *text;
  gsize length;
  const LersReportExprSource *source;
  gsize pos;           /* the lexer's next byte */
  LersReportToken tok; /* the current token */
  guint depth;
  guint aggregate_depth;
  GError **error;
  guint n_operators; /* binary operators so far, in this expression or {…} */
} LersReportParser;

/* reads the next token into p->tok; FALSE with the error set */
G_GNUC_INTERNAL gboolean lers_report_parser_lex (LersReportParser *p);
/* sets the parser's error, "line L, column C: …", for byte @offset */
G_GNUC_INTERNAL void lers_report_parser_error (LersReportParser *p, gsize offset,
                                               const gchar *format, ...) G_GNUC_PRINTF (3, 4);
/* the current token as written, for messages */
G_GNUC_INTERNAL gchar *lers_report_parser_token_text (LersReportParser *p);

G_END_DECLS
