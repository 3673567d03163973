/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "config.h"

#include <glib/gi18n-lib.h>

#include "lers-error.h"
#include "protocol/lers-tcp-transport.h"
#include "protocol/lers-transport.h"

/**
 * lers_transport_new_for_connection:
 * @connection: a stored connection
 * @error: return location for a #GError
 *
 * Makes the transport that reaches a device over @connection, not yet
 * open, with the connection's timeouts and retries applied
 * (lers_transport_apply_connection()):
 *
 * - a TCP client is a #LersTcpTransport to #LersConnection:host and
 *   #LersConnection:port.
 *
 * A GPRS modem calls in: its connection is not opened from here, and asking
 * for it is %LERS_ERROR_NOT_SUPPORTED; so is a kind of link this build
 * cannot open.
 *
 * Returns: (transfer full): the transport, or %NULL with
 *   %LERS_ERROR_INVALID_ARGUMENT when the connection lacks what its kind
 *   needs (a host and port, a serial port, a phone number), or
 *   %LERS_ERROR_NOT_SUPPORTED
 *
 * Since: 0.3
 */
LersTransport *
lers_transport_new_for_connection (LersConnection *connection, GError **error)
{
  g_autoptr (LersTransport) transport = NULL;

  g_return_val_if_fail (LERS_IS_CONNECTION (connection), NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  switch (lers_connection_get_kind (connection))
    {
    case LERS_CONNECTION_KIND_TCP_CLIENT:
      {
        const gchar *host = lers_connection_get_host (connection);
        guint port = lers_connection_get_port (connection);

        if (host == NULL || host[0] == '\0' || port == 0 || port > G_MAXUINT16)
          {
            g_set_error (error, LERS_ERROR, LERS_ERROR_INVALID_ARGUMENT,
                         _ ("Connection %" G_GINT64_FORMAT " has no host and port to connect to"),
                         lers_connection_get_id (connection));
            return NULL;
          }
        transport = lers_tcp_transport_new (host, (guint16) port);
        break;
      }
    case LERS_CONNECTION_KIND_GPRS_SERVER:
      g_set_error_literal (error, LERS_ERROR, LERS_ERROR_NOT_SUPPORTED,
                           _ ("A GPRS modem calls in; it is not opened from here"));
      return NULL;
    case LERS_CONNECTION_KIND_SERIAL:
    case LERS_CONNECTION_KIND_MODEM:
    default:
      g_set_error (error, LERS_ERROR, LERS_ERROR_NOT_SUPPORTED,
                   _ ("Connections of kind %d cannot be opened yet"),
                   (gint) lers_connection_get_kind (connection));
      return NULL;
    }
  lers_transport_apply_connection (transport, connection);
  return g_steal_pointer (&transport);
}
