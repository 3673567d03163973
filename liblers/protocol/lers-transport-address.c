/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "config.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "lers-error.h"
#include "protocol/lers-modem-transport.h"
#include "protocol/lers-serial-transport.h"
#include "protocol/lers-tcp-transport.h"
#include "protocol/lers-transport.h"

/* lers_transport_new_for_address(): the link addresses of `lers read
 * --port` and `lers scan`. lers_transport_new_for_connection() lives apart,
 * with the stored connections. */

static gboolean
bad_address (GError **error, const gchar *address, const gchar *reason)
{
  /* TRANSLATORS: the first %s is the address as typed, the second why it is wrong */
  g_set_error (error, LERS_ERROR, LERS_ERROR_INVALID_ARGUMENT, _ ("Bad link address “%s”: %s"),
               address, reason);
  return FALSE;
}

static gboolean
parse_uint (const gchar *text, guint64 min, guint64 max, guint64 *out)
{
  return text != NULL && text[0] != '\0'
         && g_ascii_string_to_unsigned (text, 10, min, max, out, NULL);
}

static LersTransport *
new_tcp (const gchar *address, const gchar *rest, GError **error)
{
  g_autofree gchar *host = NULL;
  const gchar *port_text;
  guint64 port;

  if (rest[0] == '[')
    {
      const gchar *close = strchr (rest, ']');

      if (close == NULL || close[1] != ':')
        {
          bad_address (error, address, _ ("an IPv6 address is written [ADDRESS]:PORT"));
          return NULL;
        }
      host = g_strndup (rest + 1, (gsize) (close - rest - 1));
      port_text = close + 2;
    }
  else
    {
      const gchar *colon = strrchr (rest, ':');

      if (colon == NULL)
        {
          bad_address (error, address, _ ("no port (tcp:HOST:PORT)"));
          return NULL;
        }
      host = g_strndup (rest, (gsize) (colon - rest));
      if (strchr (host, ':') != NULL)
        {
          bad_address (error, address, _ ("an IPv6 address is written [ADDRESS]:PORT"));
          return NULL;
        }
      port_text = colon + 1;
    }
  if (host[0] == '\0')
    {
      bad_address (error, address, _ ("no host (tcp:HOST:PORT)"));
      return NULL;
    }
  if (!parse_uint (port_text, 1, 65535, &port))
    {
      bad_address (error, address, _ ("the port is a number from 1 to 65535"));
      return NULL;
    }
  return lers_tcp_transport_new (host, (guint16) port);
}

typedef struct
{
  guint64 baud;
  guint64 data_bits;
  LersParity parity;
  guint64 stop_bits;
  LersFlowControl flow;
  gboolean echo;
  guint64 silence_us;
  gchar *phone;
  gchar *init;
  gchar *dial;
  gboolean has_guard;
  guint64 guard_ms;
  gboolean has_connect_timeout;
  guint64 connect_timeout_ms;
} Options;

static void
options_clear (Options *o)
{
  g_free (o->phone);
  g_free (o->init);
  g_free (o->dial);
}

static gboolean
bad_value (GError **error, const gchar *address, const gchar *key, const gchar *value)
{
  g_autofree gchar *reason = NULL;

  /* TRANSLATORS: a value and the option it was given for */
  reason = g_strdup_printf (_ ("“%s” is not a value for %s"), value, key);
  return bad_address (error, address, reason);
}

static gboolean
parse_option (Options *o, gboolean modem, const gchar *address, const gchar *key,
              const gchar *value, GError **error)
{
  if (g_str_equal (key, "baud"))
    {
      if (!parse_uint (value, 300, 230400, &o->baud))
        return bad_value (error, address, key, value);
    }
  else if (g_str_equal (key, "data-bits"))
    {
      if (!parse_uint (value, 5, 8, &o->data_bits))
        return bad_value (error, address, key, value);
    }
  else if (g_str_equal (key, "stop-bits"))
    {
      if (!parse_uint (value, 1, 2, &o->stop_bits))
        return bad_value (error, address, key, value);
    }
  else if (g_str_equal (key, "parity"))
    {
      if (g_ascii_strcasecmp (value, "none") == 0 || g_ascii_strcasecmp (value, "n") == 0)
        o->parity = LERS_PARITY_NONE;
      else if (g_ascii_strcasecmp (value, "odd") == 0 || g_ascii_strcasecmp (value, "o") == 0)
        o->parity = LERS_PARITY_ODD;
      else if (g_ascii_strcasecmp (value, "even") == 0 || g_ascii_strcasecmp (value, "e") == 0)
        o->parity = LERS_PARITY_EVEN;
      else
        return bad_value (error, address, key, value);
    }
  else if (g_str_equal (key, "flow"))
    {
      if (g_str_equal (value, "none"))
        o->flow = LERS_FLOW_CONTROL_NONE;
      else if (g_str_equal (value, "hardware") || g_str_equal (value, "rtscts"))
        o->flow = LERS_FLOW_CONTROL_HARDWARE;
      else if (g_str_equal (value, "software") || g_str_equal (value, "xonxoff"))
        o->flow = LERS_FLOW_CONTROL_SOFTWARE;
      else
        return bad_value (error, address, key, value);
    }
  else if (g_str_equal (key, "echo"))
    {
      if (g_str_equal (value, "1") || g_str_equal (value, "true"))
        o->echo = TRUE;
      else if (g_str_equal (value, "0") || g_str_equal (value, "false"))
        o->echo = FALSE;
      else
        return bad_value (error, address, key, value);
    }
  else if (g_str_equal (key, "silence-us"))
    {
      if (!parse_uint (value, 0, 10000000, &o->silence_us))
        return bad_value (error, address, key, value);
    }
  else if (modem && g_str_equal (key, "phone"))
    {
      if (value[0] == '\0' || strpbrk (value, "\r\n;") != NULL)
        return bad_value (error, address, key, value);
      g_free (o->phone);
      o->phone = g_strdup (value);
    }
  else if (modem && g_str_equal (key, "init"))
    {
      g_free (o->init);
      o->init = g_strdup (value);
    }
  else if (modem && g_str_equal (key, "dial"))
    {
      if (strpbrk (value, "\r\n;") != NULL)
        return bad_value (error, address, key, value);
      g_free (o->dial);
      o->dial = g_strdup (value);
    }
  else if (modem && g_str_equal (key, "guard-ms"))
    {
      if (!parse_uint (value, 0, 60000, &o->guard_ms))
        return bad_value (error, address, key, value);
      o->has_guard = TRUE;
    }
  else if (modem && g_str_equal (key, "connect-timeout-ms"))
    {
      if (!parse_uint (value, 1000, 600000, &o->connect_timeout_ms))
        return bad_value (error, address, key, value);
      o->has_connect_timeout = TRUE;
    }
  else
    {
      g_autofree gchar *reason = g_strdup_printf (_ ("unknown option “%s”"), key);
      return bad_address (error, address, reason);
    }
  return TRUE;
}

static LersTransport *
new_serial (const gchar *address, const gchar *rest, gboolean modem, GError **error)
{
  const gchar *query = strchr (rest, '?');
  g_autofree gchar *path
      = query != NULL ? g_strndup (rest, (gsize) (query - rest)) : g_strdup (rest);
  g_auto (GStrv) pairs = NULL;
  g_autoptr (LersTransport) line = NULL;
  LersSerialTransport *serial;
  Options o = { .data_bits = 8, .parity = LERS_PARITY_NONE, .stop_bits = 1 };
  LersTransport *result = NULL;

  if (path[0] != '/' || path[1] == '\0')
    {
      bad_address (error, address, _ ("a serial line is a device file such as /dev/ttyUSB0"));
      return NULL;
    }
  pairs = g_strsplit (query != NULL ? query + 1 : "", "&", -1);
  for (guint i = 0; pairs[i] != NULL; i++)
    {
      const gchar *eq = strchr (pairs[i], '=');
      g_autofree gchar *key = NULL;
      g_autofree gchar *value = NULL;

      if (pairs[i][0] == '\0' && query != NULL && pairs[1] == NULL)
        continue; /* "…?" with nothing after it */
      if (eq == NULL)
        {
          g_autofree gchar *reason = g_strdup_printf (_ ("“%s” is not NAME=VALUE"), pairs[i]);
          bad_address (error, address, reason);
          options_clear (&o);
          return NULL;
        }
      key = g_strndup (pairs[i], (gsize) (eq - pairs[i]));
      value = g_uri_unescape_string (eq + 1, NULL);
      if (value == NULL)
        {
          bad_value (error, address, key, eq + 1);
          options_clear (&o);
          return NULL;
        }
      if (!parse_option (&o, modem, address, key, value, error))
        {
          options_clear (&o);
          return NULL;
        }
    }
  if (modem && o.phone == NULL)
    {
      bad_address (error, address, _ ("a modem needs the number to dial (?phone=NUMBER)"));
      options_clear (&o);
      return NULL;
    }
  line = lers_serial_transport_new (path);
  serial = LERS_SERIAL_TRANSPORT (line);
  lers_serial_transport_set_data_bits (serial, (guint) o.data_bits);
  lers_serial_transport_set_parity (serial, o.parity);
  lers_serial_transport_set_stop_bits (serial, (guint) o.stop_bits);
  lers_serial_transport_set_flow_control (serial, o.flow);
  lers_serial_transport_set_echo (serial, o.echo);
  lers_serial_transport_set_inter_frame_silence_us (serial, (guint) o.silence_us);
  if (o.baud != 0 && !lers_serial_transport_set_baud_rate (serial, (guint) o.baud, error))
    {
      g_prefix_error (error, "%s: ", address);
      options_clear (&o);
      return NULL;
    }
  if (!modem)
    {
      options_clear (&o);
      return g_steal_pointer (&line);
    }
  result = lers_modem_transport_new (line, o.phone);
  if (o.init != NULL)
    lers_modem_transport_set_init_string (LERS_MODEM_TRANSPORT (result), o.init);
  if (o.dial != NULL)
    lers_modem_transport_set_dial_prefix (LERS_MODEM_TRANSPORT (result), o.dial);
  if (o.has_guard)
    lers_modem_transport_set_guard_ms (LERS_MODEM_TRANSPORT (result), (guint) o.guard_ms);
  if (o.has_connect_timeout)
    lers_transport_set_connect_timeout_ms (result, (guint) o.connect_timeout_ms);
  options_clear (&o);
  return result;
}

/**
 * lers_transport_new_for_address:
 * @address: a link address
 * @error: return location for a #GError
 *
 * Makes a closed transport from an address as users type it:
 *
 * - `tcp:HOST:PORT`, `tcp:[IPv6]:PORT`: a #LersTcpTransport;
 * - `/dev/ttyUSB0` or
 * `serial:/dev/ttyUSB0?baud=2400&parity=even&data-bits=8&stop-bits=1&flow=none&echo=1&silence-us=4000`:
 *   a #LersSerialTransport (`flow` is `none`, `hardware` or `software`; a
 *   given `baud` fixes the line, otherwise the driver's usual one applies);
 * - `modem:/dev/ttyS0?phone=84951234567&init=ATZ&dial=ATDT&guard-ms=1000&baud=9600`:
 *   a #LersModemTransport over a serial line (which takes the serial
 *   options); `connect-timeout-ms` bounds the call (60 s by default).
 *
 * Option values may be %-escaped.
 *
 * Returns: (transfer full): the transport, or %NULL with
 *   %LERS_ERROR_INVALID_ARGUMENT naming the address
 *
 * Since: 0.3
 */
LersTransport *
lers_transport_new_for_address (const gchar *address, GError **error)
{
  g_return_val_if_fail (address != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (g_str_has_prefix (address, "tcp:"))
    return new_tcp (address, address + 4, error);
  if (g_str_has_prefix (address, "serial:"))
    return new_serial (address, address + 7, FALSE, error);
  if (g_str_has_prefix (address, "modem:"))
    return new_serial (address, address + 6, TRUE, error);
  if (g_str_has_prefix (address, "/dev/"))
    return new_serial (address, address, FALSE, error);
  bad_address (error, address,
               _ ("use tcp:HOST:PORT, /dev/…, serial:/dev/…?baud=… or modem:/dev/…?phone=…"));
  return NULL;
}
