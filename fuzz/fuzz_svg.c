/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Fuzzes the SVG sanitiser of mnemonic diagrams (daemon/lersd-svg.c): any
 * input is refused with LERS_ERROR_INVALID_ARGUMENT or gives a drawing
 * with no script or foreign content and a size within 1..10000, which the
 * sanitiser then keeps as it is (sanitising twice changes nothing).
 */
#include "config.h"

#include <lers.h>
#include <string.h>

#include "lersd-svg.h"

int LLVMFuzzerTestOneInput (const guint8 *data, size_t size);

int
LLVMFuzzerTestOneInput (const guint8 *data, size_t size)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (GError) again_error = NULL;
  g_autofree gchar *out = NULL;
  g_autofree gchar *again = NULL;
  gint width = 0, height = 0, width2 = 0, height2 = 0;

  out = lersd_svg_sanitize ((const gchar *) data, size, &width, &height, &error);
  if (out == NULL)
    {
      g_assert (g_error_matches (error, LERS_ERROR, LERS_ERROR_INVALID_ARGUMENT));
      return 0;
    }
  g_assert (width >= 1 && width <= 10000 && height >= 1 && height <= 10000);
  g_assert (strstr (out, "<script") == NULL);
  g_assert (strstr (out, "<foreignObject") == NULL);
  g_assert (strstr (out, "<!") == NULL);
  g_assert (strstr (out, "<?") == NULL);
  again = lersd_svg_sanitize (out, strlen (out), &width2, &height2, &again_error);
  g_assert (again != NULL);
  g_assert_cmpstr (again, ==, out);
  g_assert_cmpint (width2, ==, width);
  g_assert_cmpint (height2, ==, height);
  return 0;
}
