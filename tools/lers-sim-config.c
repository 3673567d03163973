/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "config.h"

#include <glib/gi18n.h>
#include <json-glib/json-glib.h>

#include "lers-sim-config.h"

/*
 * lers-sim --config=FILE: the meters lers-sim serves as nodes, points and
 * devices for `lers import` (liblers/store/lers-importer.c describes the
 * format). Every heat input of a meter is a point of its own with its
 * channel; the meter's model and clock zone go to its device.
 */

/* the heat inputs a meter's simulator measures (its `circuits`, else 1) */
static guint
lers_sim_meter_circuits (LersSimMeter *meter)
{
  guint circuits = 1;

  if (g_object_class_find_property (G_OBJECT_GET_CLASS (meter->simulator), "circuits") != NULL)
    g_object_get (meter->simulator, "circuits", &circuits, NULL);
  return MAX (circuits, 1);
}

/* the model a meter's simulator simulates (its `model`), else NULL */
static gchar *
lers_sim_meter_model (LersSimMeter *meter)
{
  gchar *model = NULL;

  if (g_object_class_find_property (G_OBJECT_GET_CLASS (meter->simulator), "model") != NULL)
    g_object_get (meter->simulator, "model", &model, NULL);
  if (model != NULL && model[0] == '\0')
    g_clear_pointer (&model, g_free);
  return model;
}

/* The title of heat input @circuit (0-based) of the @index-th meter of its
 * node, of @in_node meters there: "Heat input 2" for a one-input meter of
 * no named model (as before models and channels), else the model (with the
 * meter's number when the node has several: "КМ-5, meter 2"; or "Meter 2")
 * and the input: "ВКТ-7 heat input 1" ("ВКТ-7 ТВ1" in Russian), "КМ-5". */
static gchar *
lers_sim_point_title (const gchar *model, guint index, guint in_node, guint circuit, guint circuits)
{
  g_autofree gchar *meter = NULL;

  if (model == NULL && circuits == 1)
    return g_strdup_printf (_ ("Heat input %u"), index + 1);
  if (model == NULL)
    meter = g_strdup_printf (_ ("Meter %u"), index + 1);
  else if (in_node > 1)
    /* TRANSLATORS: a meter's model and its number in its node ("КМ-5, прибор 2"),
     * when a node has several meters of that model */
    meter = g_strdup_printf (_ ("%s, meter %u"), model, index + 1);
  else
    meter = g_strdup (model);
  if (circuits == 1)
    return g_steal_pointer (&meter);
  /* TRANSLATORS: a meter (its model, "ВКТ-7") and one of its heat inputs
   * (1 or 2): "ВКТ-7 ТВ1" */
  return g_strdup_printf (_ ("%s heat input %u"), meter, circuit + 1);
}

static void
lers_sim_add_member (JsonBuilder *b, const gchar *name, const gchar *value)
{
  json_builder_set_member_name (b, name);
  json_builder_add_string_value (b, value);
}

/* one point of the import file: heat input @channel of @m */
static void
lers_sim_add_point (JsonBuilder *b, LersSimMeter *m, const gchar *protocol, const gchar *model,
                    const gchar *title, guint channel)
{
  g_autofree gchar *address = NULL;

  /* an M-Bus meter is addressed by its serial (the secondary address, which
   * every meter of a bus has its own), a КМ-5 by its serial (its network
   * number, which its simulator answers to); the others by the network
   * address their simulator was given (ВКТ-7, Logika НТ …) */
  if (g_strcmp0 (protocol, "mbus") == 0 || g_strcmp0 (protocol, "km5") == 0)
    address = g_strdup (m->serial);
  else
    address = g_strdup_printf ("%u", m->address);
  json_builder_begin_object (b);
  lers_sim_add_member (b, "title", title);
  lers_sim_add_member (b, "resource", "heat");
  json_builder_set_member_name (b, "channel");
  json_builder_add_int_value (b, channel);
  json_builder_set_member_name (b, "poll_interval");
  json_builder_add_int_value (b, 3600);
  json_builder_set_member_name (b, "poll_offset");
  json_builder_add_int_value (b, 300);
  json_builder_set_member_name (b, "device");
  json_builder_begin_object (b);
  lers_sim_add_member (b, "protocol", protocol);
  /* model and serial are the device's key: points of one meter share it */
  if (model != NULL)
    lers_sim_add_member (b, "model", model);
  lers_sim_add_member (b, "serial_number", m->serial);
  lers_sim_add_member (b, "network_address", address);
  if (m->clock_zone != NULL)
    lers_sim_add_member (b, "clock_zone", m->clock_zone);
  json_builder_set_member_name (b, "connection");
  json_builder_begin_object (b);
  lers_sim_add_member (b, "host", "127.0.0.1");
  json_builder_set_member_name (b, "port");
  json_builder_add_int_value (b, m->port);
  json_builder_set_member_name (b, "timeout");
  json_builder_add_int_value (b, 5);
  json_builder_end_object (b);
  json_builder_end_object (b);
  json_builder_end_object (b);
}

static void
lers_sim_begin_node (JsonBuilder *b, guint n)
{
  g_autofree gchar *node_title = g_strdup_printf (_ ("Demo house %u"), n + 1);
  g_autofree gchar *address = g_strdup_printf (_ ("Demo street, %u"), n + 1);
  g_autofree gchar *number = g_strdup_printf ("demo-%u", n + 1);

  json_builder_begin_object (b);
  /* the natural key by which `lers import` finds the node again */
  lers_sim_add_member (b, "number", number);
  lers_sim_add_member (b, "title", node_title);
  lers_sim_add_member (b, "address", address);
  lers_sim_add_member (b, "type", "house");
  /* no coordinates: where the houses stand is the demo's to say
   * (scripts/demo-places.sql), and an import would move them back */
  json_builder_set_member_name (b, "points");
  json_builder_begin_array (b);
}

/* The nodes for `lers import`: every 4 meters a node ("Demo house 1",
 * number demo-1), every heat input of a meter a point of its own with its
 * channel (0-based: ТВ1 is channel 0), the meter's model where its
 * simulator has one. */
gboolean
lers_sim_write_config (GPtrArray *meters, const gchar *protocol, const gchar *path, GError **error)
{
  g_autoptr (JsonBuilder) b = json_builder_new ();
  g_autoptr (JsonGenerator) gen = json_generator_new ();
  g_autoptr (JsonNode) root = NULL;
  const guint per_node = 4;

  json_builder_begin_object (b);
  json_builder_set_member_name (b, "nodes");
  json_builder_begin_array (b);
  for (guint i = 0; i < meters->len; i++)
    {
      LersSimMeter *m = g_ptr_array_index (meters, i);
      g_autofree gchar *model = lers_sim_meter_model (m);
      guint circuits = lers_sim_meter_circuits (m);

      if (i % per_node == 0)
        {
          if (i > 0)
            {
              json_builder_end_array (b);
              json_builder_end_object (b);
            }
          lers_sim_begin_node (b, i / per_node);
        }
      for (guint c = 0; c < circuits; c++)
        {
          g_autofree gchar *title = lers_sim_point_title (
              model, i % per_node, MIN (per_node, meters->len - i / per_node * per_node), c,
              circuits);

          lers_sim_add_point (b, m, protocol, model, title, c);
        }
    }
  if (meters->len > 0)
    {
      json_builder_end_array (b);
      json_builder_end_object (b);
    }
  json_builder_end_array (b);
  json_builder_end_object (b);
  root = json_builder_get_root (b);
  json_generator_set_root (gen, root);
  json_generator_set_pretty (gen, TRUE);
  return json_generator_to_file (gen, path, error);
}
