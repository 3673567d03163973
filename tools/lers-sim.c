/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "config.h"

#include <glib-unix.h>
#include <glib/gi18n.h>
#include <json-glib/json-glib.h>
#include <stdlib.h>

#include <lers.h>

/*
 * lers-sim: serves simulated meters of any device plugin on loopback TCP
 * ports, one meter a port, until SIGINT or SIGTERM. With --config it writes
 * the matching nodes/points/devices as JSON for `lers import`.
 */

typedef struct
{
  LersDeviceSimulator *simulator;
  guint port;
  gchar *serial;
  guint address;
} LersSimMeter;

static void
lers_sim_meter_free (LersSimMeter *meter)
{
  g_object_unref (meter->simulator);
  g_free (meter->serial);
  g_free (meter);
}

static void
lers_sim_served_cb (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (GSocketConnection) connection = user_data;

  if (!lers_device_simulator_serve_finish (LERS_DEVICE_SIMULATOR (source), result, &error)
      && !g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    g_message ("%s", error->message);
}

static gboolean
lers_sim_incoming_cb (GSocketService *service, GSocketConnection *connection,
                      GObject *source_object, gpointer user_data)
{
  LersSimMeter *meter = g_object_get_data (source_object, "lers-sim-meter");

  lers_device_simulator_serve_async (meter->simulator, G_IO_STREAM (connection), NULL,
                                     lers_sim_served_cb, g_object_ref (connection));
  return TRUE;
}

static gboolean
lers_sim_quit_cb (gpointer user_data)
{
  g_main_loop_quit (user_data);
  return G_SOURCE_REMOVE;
}

static gboolean
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
      g_autofree gchar *title = NULL;

      if (i % per_node == 0)
        {
          g_autofree gchar *node_title = g_strdup_printf (_ ("Demo house %u"), i / per_node + 1);
          g_autofree gchar *address = g_strdup_printf (_ ("Demo street, %u"), i / per_node + 1);
          g_autofree gchar *number = g_strdup_printf ("demo-%u", i / per_node + 1);
          if (i > 0)
            {
              json_builder_end_array (b);
              json_builder_end_object (b);
            }
          json_builder_begin_object (b);
          /* the natural key by which `lers import` finds the node again */
          json_builder_set_member_name (b, "number");
          json_builder_add_string_value (b, number);
          json_builder_set_member_name (b, "title");
          json_builder_add_string_value (b, node_title);
          json_builder_set_member_name (b, "address");
          json_builder_add_string_value (b, address);
          json_builder_set_member_name (b, "type");
          json_builder_add_string_value (b, "house");
          json_builder_set_member_name (b, "latitude");
          json_builder_add_double_value (b, 55.75 + 0.01 * (i / per_node));
          json_builder_set_member_name (b, "longitude");
          json_builder_add_double_value (b, 37.62 + 0.01 * (i / per_node));
          json_builder_set_member_name (b, "points");
          json_builder_begin_array (b);
        }
      title = g_strdup_printf (_ ("Heat input %u"), i % per_node + 1);
      json_builder_begin_object (b);
      json_builder_set_member_name (b, "title");
      json_builder_add_string_value (b, title);
      json_builder_set_member_name (b, "resource");
      json_builder_add_string_value (b, "heat");
      json_builder_set_member_name (b, "poll_interval");
      json_builder_add_int_value (b, 3600);
      json_builder_set_member_name (b, "poll_offset");
      json_builder_add_int_value (b, 300);
      json_builder_set_member_name (b, "device");
      json_builder_begin_object (b);
      json_builder_set_member_name (b, "protocol");
      json_builder_add_string_value (b, protocol);
      json_builder_set_member_name (b, "serial_number");
      json_builder_add_string_value (b, m->serial);
      json_builder_set_member_name (b, "network_address");
      json_builder_add_string_value (b, m->serial);
      json_builder_set_member_name (b, "connection");
      json_builder_begin_object (b);
      json_builder_set_member_name (b, "host");
      json_builder_add_string_value (b, "127.0.0.1");
      json_builder_set_member_name (b, "port");
      json_builder_add_int_value (b, m->port);
      json_builder_set_member_name (b, "timeout");
      json_builder_add_int_value (b, 5);
      json_builder_end_object (b);
      json_builder_end_object (b);
      json_builder_end_object (b);
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

int
main (int argc, char **argv)
{
  g_autofree gchar *protocol = g_strdup ("mbus");
  g_autofree gchar *config = NULL;
  gint count = 1;
  gint port = 0;
  gint seed = 1;
  GOptionEntry entries[] = {
    { "protocol", 'p', 0, G_OPTION_ARG_STRING, &protocol, N_ ("Device plugin to simulate (mbus)"),
      "NAME" },
    { "count", 'n', 0, G_OPTION_ARG_INT, &count, N_ ("How many meters"), "N" },
    { "port", 0, 0, G_OPTION_ARG_INT, &port, N_ ("First TCP port on 127.0.0.1; 0 picks free ports"),
      "PORT" },
    { "seed", 's', 0, G_OPTION_ARG_INT, &seed, N_ ("Seed of the first meter's data"), "SEED" },
    { "config", 'c', 0, G_OPTION_ARG_FILENAME, &config,
      N_ ("Write nodes and points for “lers import” to FILE"), "FILE" },
    { NULL },
  };
  g_autoptr (GOptionContext) context = g_option_context_new (_ ("— serve simulated meters"));
  g_autoptr (GError) error = NULL;
  g_autoptr (LersEngine) engine = NULL;
  g_autoptr (GPtrArray) meters
      = g_ptr_array_new_with_free_func ((GDestroyNotify) lers_sim_meter_free);
  g_autoptr (GPtrArray) services = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr (GMainLoop) loop = g_main_loop_new (NULL, FALSE);

  lers_i18n_init ();
  textdomain (GETTEXT_PACKAGE);

  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  if (!g_option_context_parse (context, &argc, &argv, &error))
    {
      g_printerr ("%s\n", error->message);
      return 2;
    }
  if (count < 1 || count > 10000 || port < 0 || port + count > 65536 || seed < 0)
    {
      g_printerr ("%s\n", _ ("--count must be 1 to 10000 and the ports must fit below 65536"));
      return 2;
    }
  engine = lers_engine_new ();
  for (gint i = 0; i < count; i++)
    {
      LersSimMeter *meter = g_new0 (LersSimMeter, 1);
      g_autoptr (GSocketService) service = g_socket_service_new ();
      g_autoptr (GInetAddress) loopback = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4);
      g_autoptr (GSocketAddress) address = NULL;
      g_autoptr (GSocketAddress) effective = NULL;
      g_autoptr (GObject) tag = g_object_new (G_TYPE_OBJECT, NULL);

      meter->serial = g_strdup_printf ("%08u", 10000000 + (guint) seed + i);
      meter->address = (guint) i % 250 + 1;
      meter->simulator = lers_engine_create_device_simulator (
          engine, protocol, meter->serial, meter->address, (guint) seed + i, &error);
      if (meter->simulator == NULL)
        {
          g_printerr ("%s\n", error->message);
          g_free (meter->serial);
          g_free (meter);
          return EXIT_FAILURE;
        }
      g_ptr_array_add (meters, meter);
      address = g_inet_socket_address_new (loopback, port == 0 ? 0 : (guint16) (port + i));
      g_object_set_data (tag, "lers-sim-meter", meter);
      if (!g_socket_listener_add_address (G_SOCKET_LISTENER (service), address,
                                          G_SOCKET_TYPE_STREAM, G_SOCKET_PROTOCOL_TCP, tag,
                                          &effective, &error))
        {
          g_printerr (_ ("Cannot listen on port %d: %s\n"), port + i, error->message);
          return EXIT_FAILURE;
        }
      meter->port = g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (effective));
      g_signal_connect (service, "incoming", G_CALLBACK (lers_sim_incoming_cb), NULL);
      g_socket_service_start (service);
      g_ptr_array_add (services, g_steal_pointer (&service));
      g_print (_ ("Meter %s (%s, address %u) on 127.0.0.1:%u\n"), meter->serial, protocol,
               meter->address, meter->port);
    }
  if (config != NULL && !lers_sim_write_config (meters, protocol, config, &error))
    {
      g_printerr ("%s: %s\n", config, error->message);
      return EXIT_FAILURE;
    }
  g_unix_signal_add (SIGINT, lers_sim_quit_cb, loop);
  g_unix_signal_add (SIGTERM, lers_sim_quit_cb, loop);
  g_main_loop_run (loop);
  for (guint i = 0; i < services->len; i++)
    g_socket_service_stop (g_ptr_array_index (services, i));
  return EXIT_SUCCESS;
}
