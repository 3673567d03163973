/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "config.h"

#include <math.h>

#include "lers-json.h"
#include "lers-time.h"

/* A value that is a short decimal (what meters send: 71.3, 0.097731) in
 * fixed notation without printf: n / 10^d == |@value| exactly for the
 * fewest decimals d, with at most 15 digits in n. In [1e-4, 1e15) "%.15g"
 * prints the same text (fixed notation; rounding the double to 15 digits
 * gives n back, since n / 10^d is within half an ulp of it, and the
 * trailing zeros are stripped), so the output does not change; it is
 * ~10 times faster, and the archive route writes ~6000 numbers a request.
 * FALSE: the caller formats @value itself. */
static gboolean
lers_json_append_short_decimal (GString *string, gdouble value)
{
  static const gdouble pow10[]
      = { 1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15 };
  gdouble a = value < 0 ? -value : value;

  if (!(a >= 1e-4 && a < 1e15))
    return FALSE;
  for (guint d = 0; d < G_N_ELEMENTS (pow10); d++)
    {
      gdouble scaled = a * pow10[d];
      gchar digits[24];
      guint i = sizeof digits;
      gdouble n;
      guint64 v;

      /* more than 15 digits: printf's */
      if (scaled >= 1e15)
        return FALSE;
      /* a candidate (no libm): a wrong one fails the check below */
      n = (gdouble) (guint64) (scaled + 0.5);
      if (n / pow10[d] != a)
        continue;
      /* n's digits from the right, the point after d of them; at least
       * one digit before it ("0.5") */
      v = (guint64) n;
      for (guint k = 0; k < d; k++, v /= 10)
        digits[--i] = (gchar) ('0' + v % 10);
      if (d > 0)
        digits[--i] = '.';
      do
        digits[--i] = (gchar) ('0' + v % 10);
      while ((v /= 10) > 0);
      if (value < 0)
        digits[--i] = '-';
      g_string_append_len (string, digits + i, sizeof digits - i);
      return TRUE;
    }
  return FALSE;
}

/**
 * lers_json_append_double:
 * @string: where to append
 * @value: a number
 *
 * Appends @value to @string as a JSON number in its shortest round-trip
 * form: the fewest of 15, 16 or 17 significant digits that read back as
 * the same double (`54.321`, not `54.320999999999998`), in the C locale.
 *
 * JSON has no NaN or infinity: a non-finite @value is appended as `null`
 * and %FALSE is returned, so that the caller can flag the value (the API
 * and `lers decode` add `"flags": ["bad"]`).
 *
 * Returns: %TRUE if @value was finite and appended as a number
 *
 * Since: 0.2
 */
gboolean
lers_json_append_double (GString *string, gdouble value)
{
  static const gchar *const formats[] = { "%.15g", "%.16g", "%.17g" };
  gchar buf[G_ASCII_DTOSTR_BUF_SIZE];

  g_return_val_if_fail (string != NULL, FALSE);

  if (!isfinite (value))
    {
      g_string_append (string, "null");
      return FALSE;
    }
  if (lers_json_append_short_decimal (string, value))
    return TRUE;
  for (gsize i = 0; i < G_N_ELEMENTS (formats); i++)
    {
      g_ascii_formatd (buf, sizeof (buf), formats[i], value);
      if (g_ascii_strtod (buf, NULL) == value)
        break;
    }
  g_string_append (string, buf);
  return TRUE;
}

/**
 * lers_json_append_string:
 * @string: where to append
 * @value: UTF-8 text
 *
 * Appends @value to @string as a JSON string: quoted, `"` and `\` escaped,
 * and control characters as json-glib writes them (`\n`, `\t`, `\b`, `\f`,
 * `\r`, else `\u00XX`); other characters as they are.
 *
 * Since: 0.2
 */
void
lers_json_append_string (GString *string, const gchar *value)
{
  g_return_if_fail (string != NULL);
  g_return_if_fail (value != NULL);

  g_string_append_c (string, '"');
  for (const gchar *p = value; *p != '\0'; p++)
    {
      guchar c = (guchar) *p;

      switch (c)
        {
        case '"':
          g_string_append (string, "\\\"");
          break;
        case '\\':
          g_string_append (string, "\\\\");
          break;
        case '\b':
          g_string_append (string, "\\b");
          break;
        case '\f':
          g_string_append (string, "\\f");
          break;
        case '\n':
          g_string_append (string, "\\n");
          break;
        case '\r':
          g_string_append (string, "\\r");
          break;
        case '\t':
          g_string_append (string, "\\t");
          break;
        default:
          if (c < 0x20)
            g_string_append_printf (string, "\\u%04x", c);
          else
            g_string_append_c (string, (gchar) c);
        }
    }
  g_string_append_c (string, '"');
}

/**
 * lers_json_append_nullable_string:
 * @string: where to append
 * @value: (nullable): a UTF-8 string
 *
 * Appends @value as lers_json_append_string() does, or `null` when @value
 * is %NULL.
 *
 * Since: 0.4
 */
void
lers_json_append_nullable_string (GString *string, const gchar *value)
{
  if (value != NULL)
    lers_json_append_string (string, value);
  else
    g_string_append (string, "null");
}

/**
 * lers_json_append_time:
 * @string: where to append
 * @time: (nullable): a time
 * @zone: (nullable): the zone it is shown in, with its offset; %NULL for UTC
 *
 * Appends @time as a JSON string in ISO 8601 (lers_time_format()), or
 * `null` when @time is %NULL, as the models' JSON forms show times.
 *
 * Since: 0.4
 */
void
lers_json_append_time (GString *string, GDateTime *time, GTimeZone *zone)
{
  g_autofree gchar *str = NULL;

  if (time == NULL)
    {
      g_string_append (string, "null");
      return;
    }
  str = lers_time_format (time, zone);
  lers_json_append_string (string, str);
}
