/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* lers group …: node groups (группы объектов), the unit users are assigned
 * (see docs/users.md). Every change writes an audit entry under the OS
 * user running the command. */
#include "config.h"

#include <glib/gi18n.h>
#include <inttypes.h>
#include <json-glib/json-glib.h>
#include <stdlib.h>

#include "lers-cli.h"

static const gchar *const lers_cli_group_usage
    = N_ ("Usage: lers group list | add TITLE [--comment=TEXT] | rename OLD NEW | remove TITLE | "
          "add-node TITLE NODE_ID | remove-node TITLE NODE_ID");

static int
lers_cli_group_fail (GError *error)
{
  g_printerr ("%s\n", error->message);
  return EXIT_FAILURE;
}

static int
lers_cli_group_usage_fail (const gchar *message)
{
  if (message != NULL)
    g_printerr ("%s\n", message);
  g_printerr ("%s\n", _ (lers_cli_group_usage));
  return 2;
}

static gchar *
lers_cli_group_json (LersNodeGroup *group)
{
  g_autoptr (JsonBuilder) b = json_builder_new ();
  g_autoptr (JsonNode) root = NULL;

  json_builder_begin_object (b);
  json_builder_set_member_name (b, "id");
  json_builder_add_int_value (b, lers_node_group_get_id (group));
  json_builder_set_member_name (b, "title");
  json_builder_add_string_value (b, lers_node_group_get_title (group));
  json_builder_set_member_name (b, "comment");
  if (lers_node_group_get_comment (group) != NULL)
    json_builder_add_string_value (b, lers_node_group_get_comment (group));
  else
    json_builder_add_null_value (b);
  json_builder_end_object (b);
  root = json_builder_get_root (b);
  return json_to_string (root, FALSE);
}

static gchar *
lers_cli_node_groups_json (LersNode *node)
{
  g_autoptr (JsonBuilder) b = json_builder_new ();
  g_autoptr (JsonNode) root = NULL;
  const gchar *const *groups = lers_node_get_groups (node);

  json_builder_begin_object (b);
  json_builder_set_member_name (b, "groups");
  json_builder_begin_array (b);
  for (guint i = 0; groups != NULL && groups[i] != NULL; i++)
    json_builder_add_string_value (b, groups[i]);
  json_builder_end_array (b);
  json_builder_end_object (b);
  root = json_builder_get_root (b);
  return json_to_string (root, FALSE);
}

static void
lers_cli_group_audit (LersAccounts *accounts, const gchar *action, const gchar *entity, gint64 id,
                      const gchar *before, const gchar *after)
{
  g_autoptr (GError) error = NULL;

  if (!lers_accounts_audit_sync (accounts, NULL, action, entity, id, before, after, NULL, NULL,
                                 &error))
    g_printerr (_ ("Warning: the audit log was not written: %s\n"), error->message);
}

static LersNodeGroup *
lers_cli_group_find (LersStore *store, const gchar *title, GError **error)
{
  g_autoptr (LersStoreQuery) query = lers_store_query_new ();
  g_autoptr (GPtrArray) groups = NULL;

  lers_store_query_add_filter_string (query, "title", LERS_STORE_OP_EQ, title);
  groups = lers_store_list_sync (store, LERS_TYPE_NODE_GROUP, query, NULL, error);
  if (groups == NULL)
    return NULL;
  if (groups->len == 0)
    {
      g_set_error (error, LERS_ERROR, LERS_ERROR_NOT_FOUND, _ ("There is no group “%s”"), title);
      return NULL;
    }
  return g_object_ref (g_ptr_array_index (groups, 0));
}

static int
lers_cli_group_list (LersStore *store)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (LersStoreQuery) query = lers_store_query_new ();
  g_autoptr (GPtrArray) groups = NULL;
  g_autoptr (GPtrArray) nodes = NULL;

  lers_store_query_add_order (query, "title", FALSE);
  groups = lers_store_list_sync (store, LERS_TYPE_NODE_GROUP, query, NULL, &error);
  if (groups != NULL)
    nodes = lers_store_list_nodes_sync (store, NULL, &error);
  if (nodes == NULL)
    return lers_cli_group_fail (error);
  for (guint i = 0; i <= groups->len; i++)
    {
      LersNodeGroup *g = i > 0 ? g_ptr_array_index (groups, i - 1) : NULL;
      g_autoptr (GString) line = g_string_new (NULL);
      g_autofree gchar *id = NULL;
      g_autofree gchar *count = NULL;
      guint n = 0;

      if (g != NULL)
        {
          for (guint j = 0; j < nodes->len; j++)
            {
              const gchar *const *names = lers_node_get_groups (g_ptr_array_index (nodes, j));
              if (names != NULL && g_strv_contains (names, lers_node_group_get_title (g)))
                n++;
            }
          id = g_strdup_printf ("%" G_GINT64_FORMAT, lers_node_group_get_id (g));
          count = g_strdup_printf ("%u", n);
        }
      lers_cli_pad (line, g != NULL ? id : _ ("ID"), 6, FALSE);
      lers_cli_pad (line, g != NULL ? count : _ ("NODES"), 6, TRUE);
      lers_cli_pad (line, g != NULL ? lers_node_group_get_title (g) : _ ("TITLE"), 24, FALSE);
      g_string_append (line, g != NULL ? (lers_node_group_get_comment (g) != NULL
                                              ? lers_node_group_get_comment (g)
                                              : "")
                                       : _ ("COMMENT"));
      g_print ("%s\n", line->str);
    }
  return EXIT_SUCCESS;
}

static int
lers_cli_group_add (LersAccounts *accounts, int argc, char **argv)
{
  g_autoptr (GError) error = NULL;
  g_autofree gchar *comment = NULL;
  g_autoptr (LersNodeGroup) group = NULL;
  g_autofree gchar *after = NULL;
  GOptionEntry entries[] = {
    { "comment", 'c', 0, G_OPTION_ARG_STRING, &comment, N_ ("Free text"), "TEXT" },
    { NULL },
  };
  g_autoptr (GOptionContext) context = g_option_context_new (_ ("TITLE — add a node group"));

  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  if (!g_option_context_parse (context, &argc, &argv, &error))
    return lers_cli_group_usage_fail (error->message);
  if (argc != 2)
    return lers_cli_group_usage_fail (NULL);
  group = lers_accounts_add_group_sync (accounts, argv[1], comment, NULL, &error);
  if (group == NULL)
    return lers_cli_group_fail (error);
  after = lers_cli_group_json (group);
  lers_cli_group_audit (accounts, "create", "node-group", lers_node_group_get_id (group), NULL,
                        after);
  g_print (_ ("Group “%s” added with id %" PRId64 "\n"), lers_node_group_get_title (group),
           lers_node_group_get_id (group));
  return EXIT_SUCCESS;
}

static int
lers_cli_group_member (LersAccounts *accounts, LersNodeGroup *group, const gchar *node_text,
                       gboolean member)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (LersNode) node = NULL;
  g_autoptr (LersNode) changed = NULL;
  g_autofree gchar *before = NULL;
  g_autofree gchar *after = NULL;
  LersStore *store = lers_accounts_get_store (accounts);
  guint64 node_id = 0;

  if (!g_ascii_string_to_unsigned (node_text, 10, 1, G_MAXINT64, &node_id, NULL))
    {
      /* TRANSLATORS: the first %s is what was typed, the second what it should be (a node id) */
      g_printerr (_ ("“%s” is not %s\n"), node_text, _ ("a node id"));
      return 2;
    }
  node = lers_store_get_node_sync (store, (gint64) node_id, NULL, &error);
  if (node == NULL)
    return lers_cli_group_fail (error);
  before = lers_cli_node_groups_json (node);
  if (!lers_accounts_set_group_member_sync (accounts, lers_node_group_get_id (group),
                                            (gint64) node_id, member, NULL, &error))
    return lers_cli_group_fail (error);
  changed = lers_store_get_node_sync (store, (gint64) node_id, NULL, &error);
  if (changed != NULL)
    after = lers_cli_node_groups_json (changed);
  lers_cli_group_audit (accounts, "update", "node", (gint64) node_id, before, after);
  if (member)
    g_print (_ ("Node %" PRId64 " is in group “%s” now\n"), (gint64) node_id,
             lers_node_group_get_title (group));
  else
    g_print (_ ("Node %" PRId64 " is no longer in group “%s”\n"), (gint64) node_id,
             lers_node_group_get_title (group));
  return EXIT_SUCCESS;
}

/* lers group [list | add | rename | remove | add-node | remove-node] */
int
lers_cli_group (LersCli *cli, int argc, char **argv)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (LersAccounts) accounts = NULL;
  g_autoptr (LersNodeGroup) group = NULL;
  g_autofree gchar *before = NULL;
  g_autofree gchar *after = NULL;
  const gchar *verb = argc > 1 ? argv[1] : "list";
  static const gchar *const verbs[]
      = { "list", "add", "rename", "remove", "add-node", "remove-node", NULL };
  LersStore *store;

  if (!g_strv_contains (verbs, verb))
    return lers_cli_group_usage_fail (NULL);
  store = lers_cli_open_store (cli, &error);
  if (store == NULL)
    return lers_cli_group_fail (error);
  accounts = lers_accounts_new (store);
  if (g_str_equal (verb, "list"))
    return argc <= 2 ? lers_cli_group_list (store) : lers_cli_group_usage_fail (NULL);
  if (g_str_equal (verb, "add"))
    return lers_cli_group_add (accounts, argc - 1, argv + 1);

  if (argc != (g_str_equal (verb, "remove") ? 3 : 4))
    return lers_cli_group_usage_fail (NULL);
  group = lers_cli_group_find (store, argv[2], &error);
  if (group == NULL)
    return lers_cli_group_fail (error);
  if (g_str_equal (verb, "add-node") || g_str_equal (verb, "remove-node"))
    return lers_cli_group_member (accounts, group, argv[3], g_str_equal (verb, "add-node"));

  before = lers_cli_group_json (group);
  if (g_str_equal (verb, "rename"))
    {
      lers_node_group_set_title (group, argv[3]);
      if (!lers_accounts_update_group_sync (accounts, group, NULL, &error))
        return lers_cli_group_fail (error);
      after = lers_cli_group_json (group);
      lers_cli_group_audit (accounts, "update", "node-group", lers_node_group_get_id (group),
                            before, after);
      g_print (_ ("Group “%s” is called “%s” now\n"), argv[2], argv[3]);
      return EXIT_SUCCESS;
    }
  if (!lers_accounts_delete_group_sync (accounts, lers_node_group_get_id (group), NULL, &error))
    return lers_cli_group_fail (error);
  lers_cli_group_audit (accounts, "delete", "node-group", lers_node_group_get_id (group), before,
                        NULL);
  g_print (_ ("Group “%s” removed\n"), argv[2]);
  return EXIT_SUCCESS;
}
