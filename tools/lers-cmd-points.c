/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "config.h"

#include <glib/gi18n.h>
#include <stdlib.h>

#include "lers-cli.h"

/* lers points: one line a measure point */
int
lers_cli_points (LersCli *cli, int argc, char **argv)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (GPtrArray) points = NULL;
  LersStore *store = lers_cli_open_store (cli, &error);

  if (store != NULL)
    points = lers_store_list_measure_points_sync (store, 0, NULL, &error);
  if (points == NULL)
    {
      g_printerr ("%s\n", error->message);
      return EXIT_FAILURE;
    }
  for (guint i = 0; i <= points->len; i++)
    {
      LersMeasurePoint *p = i > 0 ? g_ptr_array_index (points, i - 1) : NULL;
      g_autoptr (GString) line = g_string_new (NULL);
      g_autofree gchar *id = NULL;
      g_autofree gchar *node = NULL;
      g_autofree gchar *device = NULL;
      g_autofree gchar *interval = NULL;

      if (p != NULL)
        {
          id = g_strdup_printf ("%" G_GINT64_FORMAT, lers_measure_point_get_id (p));
          node = g_strdup_printf ("%" G_GINT64_FORMAT, lers_measure_point_get_node_id (p));
          device = g_strdup_printf ("%" G_GINT64_FORMAT, lers_measure_point_get_device_id (p));
          interval = g_strdup_printf ("%u", lers_measure_point_get_poll_interval (p));
        }
      lers_cli_pad (line, p != NULL ? id : _ ("ID"), 6, FALSE);
      lers_cli_pad (line, p != NULL ? node : _ ("NODE"), 6, FALSE);
      lers_cli_pad (line,
                    p != NULL ? lers_resource_to_string (lers_measure_point_get_resource (p))
                              : _ ("RESOURCE"),
                    11, FALSE);
      lers_cli_pad (line, p != NULL ? device : _ ("DEVICE"), 8, FALSE);
      lers_cli_pad (line, p != NULL ? interval : _ ("POLL, s"), 8, FALSE);
      g_string_append (line, p != NULL ? lers_measure_point_get_title (p) : _ ("TITLE"));
      g_print ("%s\n", line->str);
    }
  return EXIT_SUCCESS;
}

/* lers db-uri: where the data is, for psql and scripts */
int
lers_cli_db_uri (LersCli *cli, int argc, char **argv)
{
  g_autoptr (GError) error = NULL;
  g_autofree gchar *uri = NULL;

  if (cli->db_uri != NULL)
    {
      g_print ("%s\n", cli->db_uri);
      return EXIT_SUCCESS;
    }
  if (lers_cli_open_store (cli, &error) == NULL)
    {
      g_printerr ("%s\n", error->message);
      return EXIT_FAILURE;
    }
  uri = lers_cluster_get_uri (cli->cluster);
  g_print ("%s\n", uri);
  /* The URI is for psql and scripts run after we exit: leave the shared
   * cluster running (lers and lersd reuse it) rather than stop it in main()
   * as for the other commands. Dropping a persistent cluster object does
   * not stop its server. */
  g_clear_object (&cli->cluster);
  return EXIT_SUCCESS;
}
