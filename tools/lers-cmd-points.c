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
  g_print ("%-6s %-6s %-11s %-8s %-8s %s\n", _("ID"), _("NODE"), _("RESOURCE"), _("DEVICE"),
           _("POLL, s"), _("TITLE"));
  for (guint i = 0; i < points->len; i++)
    {
      LersMeasurePoint *p = g_ptr_array_index (points, i);
      g_print ("%-6" G_GINT64_FORMAT " %-6" G_GINT64_FORMAT " %-11s %-8" G_GINT64_FORMAT
               " %-8u %s\n",
               lers_measure_point_get_id (p), lers_measure_point_get_node_id (p),
               lers_resource_to_string (lers_measure_point_get_resource (p)),
               lers_measure_point_get_device_id (p), lers_measure_point_get_poll_interval (p),
               lers_measure_point_get_title (p) != NULL ? lers_measure_point_get_title (p) : "");
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
  return EXIT_SUCCESS;
}
