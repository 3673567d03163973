/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "config.h"

#include <glib/gi18n-lib.h>
#include <inttypes.h>

#include "lers-error.h"
#include "protocol/lers-modem-transport.h"
#include "protocol/lers-serial-transport.h"
#include "protocol/lers-tcp-transport.h"
#include "protocol/lers-transport.h"

/* The serial line of a serial or modem connection, with its settings. */
static LersTransport *
lers_transport_new_serial_line (LersConnection *connection, GError **error)
{
  const gchar *path = lers_connection_get_serial_port (connection);
  g_autoptr (LersTransport) line = NULL;
  LersSerialTransport *serial;
  guint baud = lers_connection_get_baud_rate (connection);

  if (path == NULL || path[0] == '\0')
    {
      g_set_error (error, LERS_ERROR, LERS_ERROR_INVALID_ARGUMENT,
                   _ ("Connection %" PRId64 " has no serial port (such as /dev/ttyUSB0)"),
                   lers_connection_get_id (connection));
      return NULL;
    }
  line = lers_serial_transport_new (path);
  serial = LERS_SERIAL_TRANSPORT (line);
  lers_serial_transport_set_data_bits (serial, lers_connection_get_data_bits (connection));
  lers_serial_transport_set_parity (serial, lers_connection_get_parity (connection));
  lers_serial_transport_set_stop_bits (serial, lers_connection_get_stop_bits (connection));
  lers_serial_transport_set_flow_control (serial, lers_connection_get_flow_control (connection));
  /* 0: not configured, the driver's default speed applies */
  if (baud != 0 && !lers_serial_transport_set_baud_rate (serial, baud, error))
    {
      g_prefix_error (error, _ ("Connection %" PRId64 ": "), lers_connection_get_id (connection));
      return NULL;
    }
  return g_steal_pointer (&line);
}

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
 *   #LersConnection:port;
 * - a serial line is a #LersSerialTransport on #LersConnection:serial-port
 *   with the line settings (#LersConnection:baud-rate,
 *   #LersConnection:data-bits, #LersConnection:parity,
 *   #LersConnection:stop-bits, #LersConnection:flow-control); a baud rate
 *   of 0 leaves the speed to the protocol (the driver sets its default);
 * - a dial-up modem is a #LersModemTransport that dials
 *   #LersConnection:phone-number, after #LersConnection:modem-init when
 *   set, over such a serial line.
 *
 * A GPRS modem calls in: its connection is not opened from here, and asking
 * for it is %LERS_ERROR_NOT_SUPPORTED.
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
                         _ ("Connection %" PRId64 " has no host and port to connect to"),
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
      transport = lers_transport_new_serial_line (connection, error);
      if (transport == NULL)
        return NULL;
      if (lers_connection_get_kind (connection) == LERS_CONNECTION_KIND_MODEM)
        {
          const gchar *phone = lers_connection_get_phone_number (connection);
          const gchar *init = lers_connection_get_modem_init (connection);
          g_autoptr (LersTransport) line = g_steal_pointer (&transport);

          if (phone == NULL || phone[0] == '\0')
            {
              g_set_error (error, LERS_ERROR, LERS_ERROR_INVALID_ARGUMENT,
                           _ ("Connection %" PRId64 " is a dial-up modem with no number to dial"),
                           lers_connection_get_id (connection));
              return NULL;
            }
          transport = lers_modem_transport_new (line, phone);
          if (init != NULL && init[0] != '\0')
            lers_modem_transport_set_init_string (LERS_MODEM_TRANSPORT (transport), init);
        }
      break;
    default:
      g_set_error (error, LERS_ERROR, LERS_ERROR_NOT_SUPPORTED,
                   _ ("Connections of kind %d cannot be opened"),
                   (gint) lers_connection_get_kind (connection));
      return NULL;
    }
  lers_transport_apply_connection (transport, connection);
  return g_steal_pointer (&transport);
}
