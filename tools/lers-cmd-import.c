/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "config.h"

#include <glib/gi18n.h>
#include <stdlib.h>
#include <unistd.h>

#include "lers-cli.h"

/*
 * lers import FILE: nodes with their points, each point's device and the
 * device's connection, as JSON (lers-sim --config writes such a file). The
 * work is LersImporter's (format, natural keys, limits: see its comment);
 * this prints its progress and what it did.
 */

static void
lers_cli_import_summary (LersImporter *importer)
{
  struct
  {
    const gchar *name;
    GType type;
  } kinds[] = {
    { N_ ("Nodes"), LERS_TYPE_NODE },
    { N_ ("Measure points"), LERS_TYPE_MEASURE_POINT },
    { N_ ("Devices"), LERS_TYPE_DEVICE },
    { N_ ("Connections"), LERS_TYPE_CONNECTION },
  };
  const gchar *headings[] = { _ ("created"), _ ("updated"), _ ("left as they were") };
  g_autoptr (GString) line = g_string_new (NULL);
  guint width = 0;

  for (gsize i = 0; i < G_N_ELEMENTS (kinds); i++)
    width = MAX (width, (guint) g_utf8_strlen (_ (kinds[i].name), -1));
  lers_cli_pad (line, NULL, width, FALSE);
  for (gsize j = 0; j < G_N_ELEMENTS (headings); j++)
    lers_cli_pad (line, headings[j], 7, TRUE);
  g_strchomp (line->str);
  g_print ("%s\n", line->str);
  for (gsize i = 0; i < G_N_ELEMENTS (kinds); i++)
    {
      guint counts[] = {
        lers_importer_get_n_created (importer, kinds[i].type),
        lers_importer_get_n_updated (importer, kinds[i].type),
        lers_importer_get_n_unchanged (importer, kinds[i].type),
      };
      g_string_truncate (line, 0);
      lers_cli_pad (line, _ (kinds[i].name), width, FALSE);
      for (gsize j = 0; j < G_N_ELEMENTS (counts); j++)
        {
          g_autofree gchar *n = g_strdup_printf ("%u", counts[j]);
          lers_cli_pad (line, n, MAX (7, g_utf8_strlen (headings[j], -1)), TRUE);
        }
      g_strchomp (line->str);
      g_print ("%s\n", line->str);
    }
}

/* lers import [--progress] FILE */
int
lers_cli_import (LersCli *cli, int argc, char **argv)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (LersEngine) engine = lers_engine_new ();
  g_autoptr (LersImporter) importer = lers_importer_new (engine);
  g_autoptr (LersProgress) progress = NULL;
  g_autoptr (GFile) file = NULL;
  gboolean show_progress = FALSE;
  gboolean tty = isatty (2);
  GOptionEntry entries[] = {
    { "progress", 'p', 0, G_OPTION_ARG_NONE, &show_progress,
      N_ ("Show progress on stderr even when it is not a terminal"), NULL },
    { NULL },
  };
  g_autoptr (GOptionContext) context
      = g_option_context_new (_ ("FILE.json — create or update nodes, points, devices and "
                                 "connections, all or nothing"));
  LersStore *store;

  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  if (!g_option_context_parse (context, &argc, &argv, &error) || argc != 2)
    {
      g_printerr ("%s\n", error != NULL ? error->message : _ ("Usage: lers import FILE.json"));
      return 2;
    }
  file = g_file_new_for_commandline_arg (argv[1]);
  if (!lers_importer_load_file (importer, file, NULL, &error))
    {
      g_printerr ("%s: %s\n", argv[1], error->message);
      return EXIT_FAILURE;
    }
  store = lers_cli_open_store (cli, &error);
  if (store == NULL)
    {
      g_printerr ("%s\n", error->message);
      return EXIT_FAILURE;
    }
  if (tty || show_progress)
    {
      progress = lers_progress_new ();
      g_signal_connect (progress, "notify::fraction", G_CALLBACK (lers_cli_show_progress),
                        GINT_TO_POINTER (tty));
    }
  if (!lers_importer_run_sync (importer, store, progress, NULL, &error))
    {
      if (progress != NULL && tty)
        g_printerr ("\n");
      g_printerr ("%s: %s\n", argv[1], error->message);
      /* the connection was lost while committing: COMMIT may have reached
       * the server, only its reply lost (lers_transaction_commit_sync ()) */
      if (lers_importer_get_outcome_unknown (importer))
        g_printerr ("%s\n", _ ("Whether the file was stored is unknown: the connection to the "
                               "database was lost while committing. Run the import again: it "
                               "changes nothing that is already stored."));
      else
        g_printerr ("%s\n", _ ("Nothing was stored."));
      return EXIT_FAILURE;
    }
  if (progress != NULL && tty)
    g_printerr ("\n");
  lers_cli_import_summary (importer);
  return EXIT_SUCCESS;
}
