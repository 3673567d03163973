/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Fuzzes the reading file parser (LersReadingFile, what `lers read` writes
 * and `lers sync` reads): the pre-scan (nesting, huge integers), the JSON
 * parser under it and the checks of every member. A file that loads must
 * save and load again to the same text.
 */
#include <lers.h>
#include <string.h>

int LLVMFuzzerTestOneInput (const guint8 *data, size_t size);

int
LLVMFuzzerTestOneInput (const guint8 *data, size_t size)
{
  g_autoptr (LersReadingFile) file = lers_reading_file_new ();
  g_autoptr (GError) error = NULL;

  if (size > G_MAXSSIZE)
    return 0;
  if (lers_reading_file_load_from_data (file, (const gchar *) data, (gssize) size, &error))
    {
      g_autoptr (LersReadingFile) again = lers_reading_file_new ();
      g_autofree gchar *text = NULL;
      g_autofree gchar *text2 = NULL;

      g_assert_no_error (error);
      g_assert (lers_reading_file_get_records (file)->len <= size);
      text = lers_reading_file_to_data (file, NULL);
      g_assert (lers_reading_file_load_from_data (again, text, -1, &error));
      g_assert_no_error (error);
      text2 = lers_reading_file_to_data (again, NULL);
      g_assert_cmpstr (text, ==, text2);
    }
  else
    {
      /* a bad file is always the one error, starting with its JSON path */
      g_assert_error (error, LERS_ERROR, LERS_ERROR_INVALID_DATA);
      g_assert (error->message[0] == '$');
      g_assert (g_utf8_validate (error->message, -1, NULL));
    }
  return 0;
}
