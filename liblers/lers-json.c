/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "config.h"

#include <math.h>

#include "lers-json.h"
#include "lers-time.h"

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
