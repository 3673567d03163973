/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "config.h"

#include <glib/gi18n.h>
#include <stdlib.h>

#include "lers-cli.h"

static void
lers_cli_print_row (const gchar *name, const gchar *version, const gchar *loader,
                    const gchar *provides, const gchar *description)
{
  g_autoptr (GString) line = g_string_new (NULL);

  lers_cli_pad (line, name, 14, FALSE);
  lers_cli_pad (line, version, 9, FALSE);
  lers_cli_pad (line, loader, 9, FALSE);
  lers_cli_pad (line, provides, 32, FALSE);
  g_string_append (line, description != NULL ? description : "");
  g_print ("%s\n", line->str);
}

/* lers plugins: each plugin found, its version, loader and what it provides */
int
lers_cli_plugins (LersCli *cli, int argc, char **argv)
{
  g_autoptr (LersEngine) engine = lers_engine_new ();
  g_auto (GStrv) names = lers_engine_list_plugins (engine);
  int status = EXIT_SUCCESS;

  if (names[0] == NULL)
    {
      g_auto (GStrv) paths = lers_engine_get_search_paths (engine);
      g_autofree gchar *joined = g_strjoinv (":", paths);
      g_printerr (_ ("No plugins found in %s\n"), joined);
      return EXIT_FAILURE;
    }
  lers_cli_print_row (_ ("PLUGIN"), _ ("VERSION"), _ ("LOADER"), _ ("PROVIDES"), _ ("DESCRIPTION"));
  for (guint i = 0; names[i] != NULL; i++)
    {
      g_autoptr (GError) error = NULL;
      g_auto (GStrv) provides = lers_engine_get_plugin_provides (engine, names[i], &error);
      g_autofree gchar *what = provides != NULL ? g_strjoinv (",", provides) : NULL;

      if (provides == NULL)
        {
          g_printerr ("%s: %s\n", names[i], error->message);
          status = EXIT_FAILURE;
          continue;
        }
      lers_cli_print_row (names[i], lers_engine_get_plugin_version (engine, names[i]),
                          lers_engine_get_plugin_loader (engine, names[i]), what,
                          lers_engine_get_plugin_description (engine, names[i]));
    }
  return status;
}
