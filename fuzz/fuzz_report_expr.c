/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Fuzzes report expressions: the lexer, the parser (names through the real
 * field catalogue of archive rows), and the evaluator with its aggregates,
 * formats and tr(). The first byte chooses an expression or a text with
 * {expression} parts and the language; the rest is the expression.
 */
#include <math.h>
#include <string.h>

#include "lers-error.h"
#include "report/lers-report-expr.h"

int LLVMFuzzerTestOneInput (const guint8 *data, size_t size);

static gboolean
lookup (const gchar *name, gpointer user_data, LersReportField *field)
{
  return lers_report_field_lookup (name, LERS_REPORT_ROWS_ARCHIVE, field);
}

/* every type, and null, depending on the field and the row */
static gboolean
resolve (gpointer user_data, const LersReportField *field, guint row, LersReportValue *value,
         GError **error)
{
  g_assert (row < 3);
  if ((row + field->id) % 4 == 3)
    return TRUE;
  switch (field->type)
    {
    case LERS_REPORT_VALUE_NUMBER:
      lers_report_value_set_number (value, row == 1 ? -1234.5678 : 65.25 + row);
      break;
    case LERS_REPORT_VALUE_TIME:
      lers_report_value_set_time (value,
                                  (G_GINT64_CONSTANT (1793907000) + 3600 * row) * G_USEC_PER_SEC);
      break;
    case LERS_REPORT_VALUE_BOOLEAN:
      lers_report_value_set_boolean (value, row == 2);
      break;
    default:
      lers_report_value_set_string (value, row == 0 ? "ТК-1 {0}" : "");
      break;
    }
  return TRUE;
}

int
LLVMFuzzerTestOneInput (const guint8 *data, size_t size)
{
  g_autoptr (GHashTable) ids = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr (GTimeZone) zone = g_time_zone_new_offset (5 * 3600);
  g_autoptr (LersReportExpr) expr = NULL;
  g_autoptr (GError) error = NULL;
  g_auto (LersReportValue) value = LERS_REPORT_VALUE_INIT;
  gboolean is_text;
  const gchar *language;

  if (size < 1)
    return 0;
  is_text = (data[0] & 1) != 0;
  language = (data[0] & 2) != 0 ? "ru" : "en";
  g_hash_table_insert (ids, "page", "Стр. {0} из {1} {2} {10}");
  g_hash_table_insert (ids, "total", "Итого");
  if (is_text)
    expr = lers_report_expr_parse_text ((const gchar *) data + 1, (gssize) size - 1, 3, 7, lookup,
                                        NULL, ids, &error);
  else
    expr = lers_report_expr_parse ((const gchar *) data + 1, (gssize) size - 1, 3, 7, lookup, NULL,
                                   ids, &error);
  if (expr == NULL)
    {
      g_assert_error (error, LERS_ERROR, LERS_ERROR_INVALID_DATA);
      g_assert (g_str_has_prefix (error->message, "line "));
      g_assert (g_utf8_validate (error->message, -1, NULL));
      return 0;
    }
  for (guint row = 0; row < 3; row++)
    {
      LersReportContext ctx = { resolve, NULL, row, 0, 3, language, zone, ids };
      g_autofree gchar *text = NULL;

      g_assert (lers_report_expr_eval (expr, &ctx, &value, &error));
      g_assert_no_error (error);
      if (value.type == LERS_REPORT_VALUE_NUMBER)
        g_assert (isfinite (value.number));
      text = lers_report_value_format (&value, (data[0] & 4) != 0 ? "#,##0.00" : NULL, language,
                                       zone);
      g_assert (g_utf8_validate (text, -1, NULL));
      if (is_text)
        g_assert (value.type == LERS_REPORT_VALUE_STRING);
    }
  lers_report_expr_has_aggregate (expr);
  lers_report_expr_uses_page (expr);
  lers_report_expr_get_field (expr);
  return 0;
}
