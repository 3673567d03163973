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
