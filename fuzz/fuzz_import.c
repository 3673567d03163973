/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Fuzzes the import file reader (LersImporter): the pre-scan (size, UTF-8,
 * NUL, nesting, huge integers), the JSON parser under it and the checks of
 * every member. No database: loading never touches one. Protocols are not
 * checked (no plugin engine), so that the fuzzer reaches everything behind.
 */
#include <lers.h>

int LLVMFuzzerTestOneInput (const guint8 *data, size_t size);

int
LLVMFuzzerTestOneInput (const guint8 *data, size_t size)
{
  g_autoptr (LersImporter) importer = lers_importer_new (NULL);
  g_autoptr (GError) error = NULL;

  if (lers_importer_load_data (importer, (const gchar *) data, size, &error))
    {
      g_assert_no_error (error);
      g_assert (lers_importer_get_n_points (importer) <= size);
      g_assert (lers_importer_get_n_nodes (importer) <= size);
    }
  else
    {
      /* a bad file is always the one error, with a message a user can read */
      g_assert_error (error, LERS_ERROR, LERS_ERROR_INVALID_DATA);
      g_assert (error->message[0] != '\0');
      g_assert (g_utf8_validate (error->message, -1, NULL));
    }
  return 0;
}
