/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "config.h"

#include <glib/gi18n.h>
#include <inttypes.h>
#include <stdlib.h>

#include "lers-cli.h"

static gboolean
lers_cli_parse_id (const gchar *text, const gchar *what, gint64 *id, GError **error)
{
  guint64 v = 0;

  if (!g_ascii_string_to_unsigned (text, 10, 1, G_MAXINT64, &v, NULL))
    {
      /* TRANSLATORS: the first %s is what was typed, the second what it should be (a node id) */
      g_set_error (error, LERS_ERROR, LERS_ERROR_INVALID_ARGUMENT, _ ("“%s” is not %s"), text,
                   what);
      return FALSE;
    }
  *id = (gint64) v;
  return TRUE;
}

static int
lers_cli_territory_list (LersStore *store)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (GPtrArray) territories = lers_store_list_territories_sync (store, NULL, &error);

  if (territories == NULL)
    {
      g_printerr ("%s\n", error->message);
      return EXIT_FAILURE;
    }
  for (guint i = 0; i <= territories->len; i++)
    {
      LersTerritory *t = i > 0 ? g_ptr_array_index (territories, i - 1) : NULL;
      g_autoptr (GString) line = g_string_new (NULL);
      g_autofree gchar *id = NULL;
      g_autofree gchar *parent = NULL;
      const gchar *zone = NULL;

      if (t != NULL)
        {
          id = g_strdup_printf ("%" G_GINT64_FORMAT, lers_territory_get_id (t));
          parent = lers_territory_get_parent_id (t) > 0
                       ? g_strdup_printf ("%" G_GINT64_FORMAT, lers_territory_get_parent_id (t))
                       : g_strdup ("—");
          zone = lers_territory_get_time_zone (t);
          if (zone == NULL || zone[0] == '\0')
            zone = "—";
        }
      lers_cli_pad (line, t != NULL ? id : _ ("ID"), 6, FALSE);
      lers_cli_pad (line, t != NULL ? parent : _ ("PARENT"), 8, FALSE);
      lers_cli_pad (line, t != NULL ? zone : _ ("TIME ZONE"), 24, FALSE);
      g_string_append (line, t != NULL ? lers_territory_get_title (t) : _ ("TITLE"));
      g_print ("%s\n", line->str);
    }
  return EXIT_SUCCESS;
}

/* lers territory add TITLE [--zone=ZONE] [--parent=ID] */
static int
lers_cli_territory_add (LersStore *store, int argc, char **argv)
{
  g_autoptr (GError) error = NULL;
  g_autofree gchar *zone = NULL;
  gint64 parent = 0;
  GOptionEntry entries[] = {
    { "zone", 'z', 0, G_OPTION_ARG_STRING, &zone,
      N_ ("IANA time zone (Asia/Vladivostok); none for the parent's or the server's"), "ZONE" },
    { "parent", 'p', 0, G_OPTION_ARG_INT64, &parent, N_ ("The territory this one lies in"), "ID" },
    { NULL },
  };
  g_autoptr (GOptionContext) context = g_option_context_new (_ ("TITLE — add a territory"));
  g_autoptr (LersTerritory) territory = lers_territory_new ();

  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  if (!g_option_context_parse (context, &argc, &argv, &error) || argc != 2 || parent < 0)
    {
      g_printerr ("%s\n", error != NULL ? error->message
                                        : _ ("Usage: lers territory add TITLE [--zone=ZONE] "
                                             "[--parent=ID]"));
      return 2;
    }
  g_object_set (territory, "title", argv[1], "time-zone", zone, "parent-id", parent, NULL);
  if (!lers_store_save_territory_sync (store, territory, NULL, &error))
    {
      g_printerr ("%s\n", error->message);
      return EXIT_FAILURE;
    }
  g_print (_ ("Territory %" PRId64 " added\n"), lers_territory_get_id (territory));
  return EXIT_SUCCESS;
}

/* lers territory assign NODE TERRITORY: the node keeps the territory's time */
static int
lers_cli_territory_assign (LersStore *store, int argc, char **argv)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (LersNode) node = NULL;
  g_autoptr (LersTerritory) territory = NULL;
  gint64 node_id = 0, territory_id = 0;

  if (argc != 3)
    {
      g_printerr ("%s\n", _ ("Usage: lers territory assign NODE TERRITORY"));
      return 2;
    }
  if (!lers_cli_parse_id (argv[1], _ ("a node id"), &node_id, &error)
      || !lers_cli_parse_id (argv[2], _ ("a territory id"), &territory_id, &error))
    {
      g_printerr ("%s\n", error->message);
      return 2;
    }
  node = lers_store_get_node_sync (store, node_id, NULL, &error);
  if (node != NULL)
    territory = lers_store_get_territory_sync (store, territory_id, NULL, &error);
  if (territory != NULL)
    {
      lers_node_set_territory_id (node, territory_id);
      lers_store_save_node_sync (store, node, NULL, &error);
    }
  if (error != NULL)
    {
      g_printerr ("%s\n", error->message);
      return EXIT_FAILURE;
    }
  g_print (_ ("Node %" PRId64 " is in territory %" PRId64 " now\n"), node_id, territory_id);
  return EXIT_SUCCESS;
}

/* lers territory [list | add … | assign …] */
int
lers_cli_territory (LersCli *cli, int argc, char **argv)
{
  g_autoptr (GError) error = NULL;
  const gchar *verb = argc > 1 ? argv[1] : "list";
  LersStore *store;

  if (!g_str_equal (verb, "list") && !g_str_equal (verb, "add") && !g_str_equal (verb, "assign"))
    {
      g_printerr ("%s\n", _ ("Usage: lers territory [list | add TITLE [--zone=ZONE] [--parent=ID] "
                             "| assign NODE TERRITORY]"));
      return 2;
    }
  store = lers_cli_open_store (cli, &error);
  if (store == NULL)
    {
      g_printerr ("%s\n", error->message);
      return EXIT_FAILURE;
    }
  if (g_str_equal (verb, "add"))
    return lers_cli_territory_add (store, argc - 1, argv + 1);
  if (g_str_equal (verb, "assign"))
    return lers_cli_territory_assign (store, argc - 1, argv + 1);
  return lers_cli_territory_list (store);
}
