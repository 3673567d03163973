/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Runs a fuzz target over files without a fuzzing engine: each argument is a
 * file or a folder of files, each file one input. Used by `meson test` to
 * replay the seed corpus (and any crash files) on every build.
 */
#include <glib.h>

int LLVMFuzzerTestOneInput (const guint8 *data, size_t size);

static gboolean
run_file (const gchar *path)
{
  g_autofree gchar *contents = NULL;
  gsize len = 0;
  g_autoptr (GError) error = NULL;

  if (!g_file_get_contents (path, &contents, &len, &error))
    {
      g_printerr ("%s: %s\n", path, error->message);
      return FALSE;
    }
  /* a copy of exactly len bytes, so that a read past the end is caught */
  {
    g_autofree guint8 *copy = g_memdup2 (contents, len);
    LLVMFuzzerTestOneInput (copy, len);
  }
  return TRUE;
}

int
main (int argc, char **argv)
{
  guint n_files = 0;
  gboolean ok = TRUE;

  if (argc < 2)
    {
      g_printerr ("usage: %s FILE-OR-FOLDER…\n", argv[0]);
      return 2;
    }
  for (int i = 1; i < argc; i++)
    {
      if (g_file_test (argv[i], G_FILE_TEST_IS_DIR))
        {
          g_autoptr (GDir) dir = g_dir_open (argv[i], 0, NULL);
          const gchar *name;
          while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
            {
              g_autofree gchar *path = g_build_filename (argv[i], name, NULL);
              ok = run_file (path) && ok;
              n_files++;
            }
        }
      else
        {
          ok = run_file (argv[i]) && ok;
          n_files++;
        }
    }
  /* the empty input too */
  LLVMFuzzerTestOneInput (NULL, 0);
  g_print ("ran %u inputs\n", n_files);
  return ok && n_files > 0 ? 0 : 1;
}
