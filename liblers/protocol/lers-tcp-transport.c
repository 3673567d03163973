/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "config.h"

#include <glib/gi18n-lib.h>
#include <netinet/in.h>
#include <netinet/tcp.h>

#include "lers-error.h"
#include "protocol/lers-tcp-transport.h"

/**
 * LersTcpTransport:
 *
 * A TCP connection we open: a meter with Ethernet, an RS-485/Ethernet
 * gateway, a ser2net port, a GPRS modem in client-answering mode. No proxy
 * is looked up (meters sit on the operator's own network) and small
 * requests go out at once (TCP_NODELAY).
 *
 * Since: 0.3
 */
struct _LersTcpTransport
{
  LersTransport parent_instance;
  gchar *host;
  guint16 port;
};

G_DEFINE_FINAL_TYPE (LersTcpTransport, lers_tcp_transport, LERS_TYPE_TRANSPORT)

static void
connected_cb (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr (GTask) task = user_data;
  LersTransport *self = g_task_get_source_object (task);
  GError *error = NULL;
  g_autoptr (GSocketConnection) connection = NULL;

  connection = g_socket_client_connect_to_host_finish (G_SOCKET_CLIENT (source), result, &error);
  if (connection == NULL)
    {
      lers_error_convert (&error);
      g_task_return_error (task, error);
      return;
    }
  g_socket_set_option (g_socket_connection_get_socket (connection), IPPROTO_TCP, TCP_NODELAY, 1,
                       NULL);
  lers_transport_set_stream (self, G_IO_STREAM (connection));
  g_task_return_boolean (task, TRUE);
}

static void
lers_tcp_transport_open_async (LersTransport *transport, GCancellable *cancellable,
                               GAsyncReadyCallback callback, gpointer user_data)
{
  LersTcpTransport *self = LERS_TCP_TRANSPORT (transport);
  g_autoptr (GSocketClient) client = g_socket_client_new ();
  GTask *task = g_task_new (self, cancellable, callback, user_data);

  g_task_set_source_tag (task, lers_tcp_transport_open_async);
  g_socket_client_set_enable_proxy (client, FALSE);
  g_socket_client_connect_to_host_async (client, self->host, self->port, cancellable, connected_cb,
                                         task);
}

static gboolean
lers_tcp_transport_open_finish (LersTransport *transport, GAsyncResult *result, GError **error)
{
  return g_task_propagate_boolean (G_TASK (result), error);
}

static void
closed_cb (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr (GTask) task = user_data;
  GError *error = NULL;

  lers_transport_set_stream (g_task_get_source_object (task), NULL);
  if (!g_io_stream_close_finish (G_IO_STREAM (source), result, &error))
    {
      lers_error_convert (&error);
      g_task_return_error (task, error);
      return;
    }
  g_task_return_boolean (task, TRUE);
}

static void
lers_tcp_transport_close_async (LersTransport *transport, GCancellable *cancellable,
                                GAsyncReadyCallback callback, gpointer user_data)
{
  g_autoptr (GTask) task = g_task_new (transport, cancellable, callback, user_data);
  GIOStream *stream = lers_transport_get_stream (transport);

  g_task_set_source_tag (task, lers_tcp_transport_close_async);
  if (stream == NULL)
    {
      g_task_return_boolean (task, TRUE);
      return;
    }
  g_io_stream_close_async (stream, G_PRIORITY_DEFAULT, cancellable, closed_cb,
                           g_steal_pointer (&task));
}

static gboolean
lers_tcp_transport_close_finish (LersTransport *transport, GAsyncResult *result, GError **error)
{
  return g_task_propagate_boolean (G_TASK (result), error);
}

static void
lers_tcp_transport_finalize (GObject *object)
{
  LersTcpTransport *self = LERS_TCP_TRANSPORT (object);

  g_free (self->host);
  G_OBJECT_CLASS (lers_tcp_transport_parent_class)->finalize (object);
}

static void
lers_tcp_transport_class_init (LersTcpTransportClass *klass)
{
  LersTransportClass *transport_class = LERS_TRANSPORT_CLASS (klass);

  G_OBJECT_CLASS (klass)->finalize = lers_tcp_transport_finalize;
  transport_class->open_async = lers_tcp_transport_open_async;
  transport_class->open_finish = lers_tcp_transport_open_finish;
  transport_class->close_async = lers_tcp_transport_close_async;
  transport_class->close_finish = lers_tcp_transport_close_finish;
}

static void
lers_tcp_transport_init (LersTcpTransport *self)
{
}

/**
 * lers_tcp_transport_new:
 * @host: a host name or address
 * @port: the TCP port
 *
 * Returns: (transfer full): a closed transport; open it with
 *   lers_transport_open_async()
 *
 * Since: 0.3
 */
LersTransport *
lers_tcp_transport_new (const gchar *host, guint16 port)
{
  g_autofree gchar *description = NULL;
  LersTcpTransport *self;

  g_return_val_if_fail (host != NULL, NULL);
  description = strchr (host, ':') != NULL ? g_strdup_printf ("tcp:[%s]:%u", host, port)
                                           : g_strdup_printf ("tcp:%s:%u", host, port);
  self = g_object_new (LERS_TYPE_TCP_TRANSPORT, "description", description, NULL);
  self->host = g_strdup (host);
  self->port = port;
  return LERS_TRANSPORT (self);
}

/**
 * lers_tcp_transport_get_host:
 * @self: a #LersTcpTransport
 *
 * Returns: the host connected to
 *
 * Since: 0.3
 */
const gchar *
lers_tcp_transport_get_host (LersTcpTransport *self)
{
  g_return_val_if_fail (LERS_IS_TCP_TRANSPORT (self), NULL);
  return self->host;
}

/**
 * lers_tcp_transport_get_port:
 * @self: a #LersTcpTransport
 *
 * Returns: the port connected to
 *
 * Since: 0.3
 */
guint16
lers_tcp_transport_get_port (LersTcpTransport *self)
{
  g_return_val_if_fail (LERS_IS_TCP_TRANSPORT (self), 0);
  return self->port;
}
