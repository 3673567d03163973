/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Report expressions (docs/report-templates.md, "Expressions"): parsed once
 * when a template is read, evaluated for every row. Internal to liblers. */
#pragma once

#include <glib.h>

#include "lers-report-field.h"
#include "lers-report-value.h"

G_BEGIN_DECLS

typedef struct _LersReportExpr LersReportExpr;

/* How a name in an expression becomes a field: the template parser passes
 * lers_report_field_lookup() with the enclosing table's rows; tests pass
 * their own. FALSE: unknown field. */
typedef gboolean (*LersReportFieldLookup) (const gchar *name, gpointer user_data,
                                           LersReportField *field);

/* Parses @text (@length bytes, or -1). @line and @column (1-based) are
 * where @text starts in the template, so errors name the template's line
 * and column: LERS_ERROR_INVALID_DATA, "line 3, column 17: unknown field
 * “T7”". @tr_ids (may be NULL) are the <strings> ids tr() may name.
 * Aggregates inside aggregates are an error. */
LersReportExpr *lers_report_expr_parse (const gchar *text, gssize length, guint line, guint column,
                                        LersReportFieldLookup lookup, gpointer lookup_data,
                                        GHashTable *tr_ids, GError **error);
/* Parses text with {expression} parts ("{T1} °C", "{{" and "}}" for braces)
 * into one expression joining the parts as strings. Same errors. */
LersReportExpr *lers_report_expr_parse_text (const gchar *text, gssize length, guint line,
                                             guint column, LersReportFieldLookup lookup,
                                             gpointer lookup_data, GHashTable *tr_ids,
                                             GError **error);
void lers_report_expr_free (LersReportExpr *expr);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (LersReportExpr, lers_report_expr_free)

/* whether the expression uses an aggregate function or PageNumber/PageCount */
gboolean lers_report_expr_has_aggregate (const LersReportExpr *expr);
gboolean lers_report_expr_uses_page (const LersReportExpr *expr);
/* the single field @expr is, when it is just a field name (for a column's
 * number cells), else NULL */
const LersReportField *lers_report_expr_get_field (const LersReportExpr *expr);

/* What an evaluation sees. resolve() gives a field's value at @row of the
 * current rows (row is ignored for fields that are not row fields);
 * aggregates run their argument over rows [first, end). */
typedef struct
{
  gboolean (*resolve) (gpointer user_data, const LersReportField *field, guint row,
                       LersReportValue *value, GError **error);
  gpointer user_data;
  guint row;
  guint first;
  guint end;
  const gchar *language; /* "ru" or "en" */
  GTimeZone *zone;       /* for format() of times */
  GHashTable *strings;   /* tr(): id → const gchar * in @language */
} LersReportContext;

/* Evaluates @expr into @value (which it clears first). Errors only come
 * from resolve(); type mismatches give null, never an error. */
gboolean lers_report_expr_eval (const LersReportExpr *expr, const LersReportContext *context,
                                LersReportValue *value, GError **error);

/* Where an expression's text sits in the template and what it may name:
 * the template parser's way in (lers_report_expr_parse() and _parse_text()
 * fill one of these). @raw, when set, is the source as written, in which
 * the parsed text has XML entities decoded ("&lt;" is "<"): line and
 * column are counted in @raw, so an error points at the right character of
 * the file. Names inside aggregate functions are looked up with
 * @aggregate_lookup when set (a summary's sum(Q) names the rows of the
 * body's table), else with @lookup. */
typedef struct
{
  guint line;
  guint column;
  const gchar *raw;
  LersReportFieldLookup lookup;
  gpointer lookup_data;
  LersReportFieldLookup aggregate_lookup;
  gpointer aggregate_lookup_data;
  GHashTable *tr_ids;
} LersReportExprSource;

/* lers_report_expr_parse() (@is_text FALSE) or _parse_text() (TRUE) */
LersReportExpr *lers_report_expr_parse_source (const gchar *text, gssize length, gboolean is_text,
                                               const LersReportExprSource *source, GError **error);
/* the line and column of byte @offset of @text parsed from @source */
void lers_report_expr_source_position (const LersReportExprSource *source, const gchar *text,
                                       gsize offset, guint *line, guint *column);

G_END_DECLS
