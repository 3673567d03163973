/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "config.h"

#include <math.h>

#include "lers-json.h"

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
