/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "config.h"

#include <glib/gi18n.h>
#include <stdlib.h>

#include "lers-cli.h"

/*
 * lers sync FILE: uploads a reading file that `lers read` wrote on site.
 * The work is LersReadingSync's (device matching, channel to point, only
 * new or changed records written, idempotent); this prints what it did.
 */

static void
lers_cli_sync_summary (LersReadingSync *sync)
{
  const gchar *headings[]
      = { _ ("Point"), _ ("Channel"), _ ("new"), _ ("changed"), _ ("unchanged"), _ ("events") };
  g_autoptr (GString) line = g_string_new (NULL);
  guint n_channels = 0;
  const guint *channels = lers_reading_sync_get_unmapped_channels (sync, &n_channels);

  g_print (_ ("Device %lld\n"), (long long) lers_reading_sync_get_device_id (sync));
  if (lers_reading_sync_get_n_points (sync) == 0)
    g_print ("%s\n", _ ("The device has no measure points: nothing was stored."));
  else
    {
      for (gsize j = 0; j < G_N_ELEMENTS (headings); j++)
        lers_cli_pad (line, headings[j], MAX (7, g_utf8_strlen (headings[j], -1)), TRUE);
      g_strchomp (line->str);
      g_print ("%s\n", line->str);
    }
  for (guint i = 0; i < lers_reading_sync_get_n_points (sync); i++)
    {
      gint64 cells[] = {
        lers_reading_sync_get_point_id (sync, i),    lers_reading_sync_get_point_channel (sync, i),
        lers_reading_sync_get_n_new (sync, i),       lers_reading_sync_get_n_changed (sync, i),
        lers_reading_sync_get_n_unchanged (sync, i), lers_reading_sync_get_n_events (sync, i),
      };
      g_string_truncate (line, 0);
      for (gsize j = 0; j < G_N_ELEMENTS (cells); j++)
        {
          g_autofree gchar *text = g_strdup_printf ("%" G_GINT64_FORMAT, cells[j]);
          lers_cli_pad (line, text, MAX (7, g_utf8_strlen (headings[j], -1)), TRUE);
        }
      g_strchomp (line->str);
      g_print ("%s\n", line->str);
    }
  for (guint c = 0; c < n_channels; c++)
    g_print (_ ("Channel %u: the device has no measure point for it; its data was not stored\n"),
             channels[c]);
  if (lers_reading_sync_get_n_unmapped (sync) > 0)
    g_print (_ ("Records not stored: %u\n"), lers_reading_sync_get_n_unmapped (sync));
}

/* lers sync FILE [--db URI] */
int
lers_cli_sync (LersCli *cli, int argc, char **argv)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (LersReadingFile) file = lers_reading_file_new ();
  g_autoptr (LersReadingSync) sync = NULL;
  g_autofree gchar *db = NULL;
  GOptionEntry entries[] = {
    { "db", 0, 0, G_OPTION_ARG_STRING, &db,
      N_ ("The database (default: --db before the command, LERS_DB, or the embedded cluster)"),
      N_ ("URI") },
    { NULL },
  };
  g_autoptr (GOptionContext) context = g_option_context_new (
      _ ("FILE — upload a reading file that lers read wrote; syncing it again changes nothing"));
  LersStore *store;

  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  if (!g_option_context_parse (context, &argc, &argv, &error) || argc != 2)
    {
      g_printerr ("%s\n", error != NULL ? error->message : _ ("Usage: lers sync FILE [--db URI]"));
      return 2;
    }
  if (!lers_reading_file_load_from_file (file, argv[1], &error))
    {
      g_printerr ("%s\n", error->message);
      return EXIT_FAILURE;
    }
  if (db != NULL)
    {
      g_free (cli->db_uri);
      cli->db_uri = g_steal_pointer (&db);
    }
  store = lers_cli_open_store (cli, &error);
  if (store == NULL)
    {
      g_printerr ("%s\n", error->message);
      return EXIT_FAILURE;
    }
  sync = lers_reading_sync_new (store);
  if (!lers_reading_sync_run_sync (sync, file, NULL, &error))
    {
      g_printerr ("%s: %s\n", argv[1], error->message);
      return EXIT_FAILURE;
    }
  lers_cli_sync_summary (sync);
  return EXIT_SUCCESS;
}
