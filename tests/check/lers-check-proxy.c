/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "config.h"

#include <check.h>
#include <unistd.h>

#include "lers-check-proxy.h"
#include "lers-check.h"

typedef struct
{
  LersCheckProxy *proxy;
  GIOStream *from; /* kept alive while pumping */
  GIOStream *to;
  guint64 *counter;
  guint8 buf[4096];
} Pump;

static void pump_read (Pump *pump);

static void
pump_free (Pump *pump)
{
  g_io_stream_close (pump->from, NULL, NULL);
  g_io_stream_close (pump->to, NULL, NULL);
  g_object_unref (pump->from);
  g_object_unref (pump->to);
  g_free (pump);
}

static void
pump_written_cb (GObject *source, GAsyncResult *result, gpointer user_data)
{
  Pump *pump = user_data;

  if (!g_output_stream_write_all_finish (G_OUTPUT_STREAM (source), result, NULL, NULL))
    {
      pump_free (pump);
      return;
    }
  pump_read (pump);
}

static void
pump_read_cb (GObject *source, GAsyncResult *result, gpointer user_data)
{
  Pump *pump = user_data;
  LersCheckProxy *proxy = pump->proxy;
  gssize n = g_input_stream_read_finish (G_INPUT_STREAM (source), result, NULL);

  if (n <= 0)
    {
      pump_free (pump);
      return;
    }
  if (pump->counter == &proxy->to_target && !proxy->first_seen)
    {
      proxy->first_seen = TRUE;
      if (proxy->on_first_request != NULL)
        proxy->on_first_request (proxy->user_data);
    }
  *pump->counter += (guint64) n;
  g_output_stream_write_all_async (g_io_stream_get_output_stream (pump->to), pump->buf, (gsize) n,
                                   G_PRIORITY_DEFAULT, NULL, pump_written_cb, pump);
}

static void
pump_read (Pump *pump)
{
  g_input_stream_read_async (g_io_stream_get_input_stream (pump->from), pump->buf, sizeof pump->buf,
                             G_PRIORITY_DEFAULT, NULL, pump_read_cb, pump);
}

static void
pump_start (LersCheckProxy *proxy, GIOStream *from, GIOStream *to, guint64 *counter)
{
  Pump *pump = g_new0 (Pump, 1);

  pump->proxy = proxy;
  pump->from = g_object_ref (from);
  pump->to = g_object_ref (to);
  pump->counter = counter;
  pump_read (pump);
}

static gboolean
proxy_incoming_cb (GSocketService *service, GSocketConnection *connection, GObject *source,
                   gpointer user_data)
{
  LersCheckProxy *proxy = user_data;
  g_autoptr (GSocketClient) client = g_socket_client_new ();
  g_autoptr (GSocketConnection) meter = NULL;
  g_autoptr (GError) error = NULL;

  g_socket_client_set_enable_proxy (client, FALSE);
  meter = g_socket_client_connect_to_host (client, "127.0.0.1", proxy->target, NULL, &error);
  ck_assert_msg (meter != NULL, "%s", error != NULL ? error->message : "");
  proxy->n_connections++;
  pump_start (proxy, G_IO_STREAM (connection), G_IO_STREAM (meter), &proxy->to_target);
  pump_start (proxy, G_IO_STREAM (meter), G_IO_STREAM (connection), &proxy->from_target);
  return TRUE;
}

/* Listens on a free port of 127.0.0.1 (proxy->port) and passes every
 * connection on to @target. */
void
lers_check_proxy_start (LersCheckProxy *proxy, guint16 target)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (GInetAddress) loopback = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4);
  g_autoptr (GSocketAddress) address = g_inet_socket_address_new (loopback, 0);
  g_autoptr (GSocketAddress) bound = NULL;

  proxy->target = target;
  proxy->service = g_socket_service_new ();
  ck_assert_msg (g_socket_listener_add_address (G_SOCKET_LISTENER (proxy->service), address,
                                                G_SOCKET_TYPE_STREAM, G_SOCKET_PROTOCOL_TCP, NULL,
                                                &bound, &error),
                 "%s", error != NULL ? error->message : "");
  proxy->port = g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (bound));
  g_signal_connect (proxy->service, "incoming", G_CALLBACK (proxy_incoming_cb), proxy);
  g_socket_service_start (proxy->service);
}

void
lers_check_proxy_stop (LersCheckProxy *proxy)
{
  g_socket_service_stop (proxy->service);
  g_socket_listener_close (G_SOCKET_LISTENER (proxy->service));
  g_clear_object (&proxy->service);
}

void
lers_check_cluster_ctl (const gchar *action)
{
  const gchar *datadir = lers_cluster_get_datadir (lers_check_get_cluster ());
  g_autofree gchar *bindir = NULL;
  g_autofree gchar *program = NULL;
  g_autofree gchar *logfile = g_build_filename (datadir, "..", "restart.log", NULL);
  g_autoptr (GPtrArray) argv = g_ptr_array_new ();
  g_autoptr (GError) error = NULL;
  const gchar *config_argv[] = { "pg_config", "--bindir", NULL };
  gint status = 0;

  if (!g_spawn_sync (NULL, (gchar **) config_argv, NULL, G_SPAWN_SEARCH_PATH, NULL, NULL, &bindir,
                     NULL, &status, NULL)
      || !g_spawn_check_wait_status (status, NULL))
    bindir = g_strdup ("/usr/lib/postgresql/15/bin");
  g_strstrip (bindir);
  program = g_build_filename (bindir, "pg_ctl", NULL);
  /* as lers_cluster_start() does: root runs the server as postgres */
  if (getuid () == 0)
    {
      g_ptr_array_add (argv, (gpointer) "runuser");
      g_ptr_array_add (argv, (gpointer) "-u");
      g_ptr_array_add (argv, (gpointer) "postgres");
      g_ptr_array_add (argv, (gpointer) "--");
    }
  g_ptr_array_add (argv, program);
  g_ptr_array_add (argv, (gpointer) action);
  g_ptr_array_add (argv, (gpointer) "-D");
  g_ptr_array_add (argv, (gpointer) datadir);
  g_ptr_array_add (argv, (gpointer) "-w");
  g_ptr_array_add (argv, (gpointer) "-s");
  if (g_str_equal (action, "stop"))
    {
      g_ptr_array_add (argv, (gpointer) "-m");
      g_ptr_array_add (argv, (gpointer) "fast");
    }
  else
    {
      g_ptr_array_add (argv, (gpointer) "-l");
      g_ptr_array_add (argv, logfile);
    }
  g_ptr_array_add (argv, NULL);
  ck_assert_msg (g_spawn_sync (NULL, (gchar **) argv->pdata, NULL, G_SPAWN_SEARCH_PATH, NULL, NULL,
                               NULL, NULL, &status, &error),
                 "%s", error != NULL ? error->message : "");
  ck_assert_msg (g_spawn_check_wait_status (status, &error), "pg_ctl %s: %s", action,
                 error != NULL ? error->message : "");
}
