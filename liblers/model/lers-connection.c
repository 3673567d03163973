/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "config.h"

#include "lers-enum-types.h"
#include "model/lers-connection.h"

/**
 * LersConnection:
 *
 * How a device is reached: a TCP client (host and port, also for RS-485
 * gateways and ser2net), a GPRS modem that calls in (identity and
 * handshake), a serial line (port and line settings) or a dial-up modem on a
 * serial line (phone number and init string); with the link's timeouts and
 * retries.
 *
 * Since: 0.1
 */
struct _LersConnection
{
  GObject parent_instance;
  gint64 id;
  gchar *title;
  LersConnectionKind kind;
  gchar *host;
  guint port;
  guint timeout;
  gchar *serial_port;
  guint baud_rate;
  guint data_bits;
  LersParity parity;
  guint stop_bits;
  LersFlowControl flow_control;
  gchar *phone_number;
  gchar *modem_init;
  gchar *identity;
  gchar *handshake;
  guint first_byte_timeout_ms;
  guint inter_byte_timeout_ms;
  guint answer_timeout_ms;
  gint retries;
};

G_DEFINE_TYPE (LersConnection, lers_connection, G_TYPE_OBJECT)

enum
{
  PROP_0,
  PROP_ID,
  PROP_TITLE,
  PROP_KIND,
  PROP_HOST,
  PROP_PORT,
  PROP_TIMEOUT,
  PROP_SERIAL_PORT,
  PROP_BAUD_RATE,
  PROP_DATA_BITS,
  PROP_PARITY,
  PROP_STOP_BITS,
  PROP_FLOW_CONTROL,
  PROP_PHONE_NUMBER,
  PROP_MODEM_INIT,
  PROP_IDENTITY,
  PROP_HANDSHAKE,
  PROP_FIRST_BYTE_TIMEOUT_MS,
  PROP_INTER_BYTE_TIMEOUT_MS,
  PROP_ANSWER_TIMEOUT_MS,
  PROP_RETRIES,
  N_PROPS
};

static GParamSpec *props[N_PROPS];

static void
lers_connection_finalize (GObject *object)
{
  LersConnection *self = LERS_CONNECTION (object);

  g_free (self->title);
  g_free (self->host);
  g_free (self->serial_port);
  g_free (self->phone_number);
  g_free (self->modem_init);
  g_free (self->identity);
  g_free (self->handshake);

  G_OBJECT_CLASS (lers_connection_parent_class)->finalize (object);
}

static void
lers_connection_get_property (GObject *object, guint prop_id, GValue *value, GParamSpec *pspec)
{
  LersConnection *self = LERS_CONNECTION (object);

  switch (prop_id)
    {
    case PROP_ID:
      g_value_set_int64 (value, self->id);
      break;
    case PROP_TITLE:
      g_value_set_string (value, self->title);
      break;
    case PROP_KIND:
      g_value_set_enum (value, self->kind);
      break;
    case PROP_HOST:
      g_value_set_string (value, self->host);
      break;
    case PROP_PORT:
      g_value_set_uint (value, self->port);
      break;
    case PROP_TIMEOUT:
      g_value_set_uint (value, self->timeout);
      break;
    case PROP_SERIAL_PORT:
      g_value_set_string (value, self->serial_port);
      break;
    case PROP_BAUD_RATE:
      g_value_set_uint (value, self->baud_rate);
      break;
    case PROP_DATA_BITS:
      g_value_set_uint (value, self->data_bits);
      break;
    case PROP_PARITY:
      g_value_set_enum (value, self->parity);
      break;
    case PROP_STOP_BITS:
      g_value_set_uint (value, self->stop_bits);
      break;
    case PROP_FLOW_CONTROL:
      g_value_set_enum (value, self->flow_control);
      break;
    case PROP_PHONE_NUMBER:
      g_value_set_string (value, self->phone_number);
      break;
    case PROP_MODEM_INIT:
      g_value_set_string (value, self->modem_init);
      break;
    case PROP_IDENTITY:
      g_value_set_string (value, self->identity);
      break;
    case PROP_HANDSHAKE:
      g_value_set_string (value, self->handshake);
      break;
    case PROP_FIRST_BYTE_TIMEOUT_MS:
      g_value_set_uint (value, self->first_byte_timeout_ms);
      break;
    case PROP_INTER_BYTE_TIMEOUT_MS:
      g_value_set_uint (value, self->inter_byte_timeout_ms);
      break;
    case PROP_ANSWER_TIMEOUT_MS:
      g_value_set_uint (value, self->answer_timeout_ms);
      break;
    case PROP_RETRIES:
      g_value_set_int (value, self->retries);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
lers_connection_set_property (GObject *object, guint prop_id, const GValue *value,
                              GParamSpec *pspec)
{
  LersConnection *self = LERS_CONNECTION (object);

  switch (prop_id)
    {
    case PROP_ID:
      lers_connection_set_id (self, g_value_get_int64 (value));
      break;
    case PROP_TITLE:
      lers_connection_set_title (self, g_value_get_string (value));
      break;
    case PROP_KIND:
      lers_connection_set_kind (self, g_value_get_enum (value));
      break;
    case PROP_HOST:
      lers_connection_set_host (self, g_value_get_string (value));
      break;
    case PROP_PORT:
      lers_connection_set_port (self, g_value_get_uint (value));
      break;
    case PROP_TIMEOUT:
      lers_connection_set_timeout (self, g_value_get_uint (value));
      break;
    case PROP_SERIAL_PORT:
      lers_connection_set_serial_port (self, g_value_get_string (value));
      break;
    case PROP_BAUD_RATE:
      lers_connection_set_baud_rate (self, g_value_get_uint (value));
      break;
    case PROP_DATA_BITS:
      lers_connection_set_data_bits (self, g_value_get_uint (value));
      break;
    case PROP_PARITY:
      lers_connection_set_parity (self, g_value_get_enum (value));
      break;
    case PROP_STOP_BITS:
      lers_connection_set_stop_bits (self, g_value_get_uint (value));
      break;
    case PROP_FLOW_CONTROL:
      lers_connection_set_flow_control (self, g_value_get_enum (value));
      break;
    case PROP_PHONE_NUMBER:
      lers_connection_set_phone_number (self, g_value_get_string (value));
      break;
    case PROP_MODEM_INIT:
      lers_connection_set_modem_init (self, g_value_get_string (value));
      break;
    case PROP_IDENTITY:
      lers_connection_set_identity (self, g_value_get_string (value));
      break;
    case PROP_HANDSHAKE:
      lers_connection_set_handshake (self, g_value_get_string (value));
      break;
    case PROP_FIRST_BYTE_TIMEOUT_MS:
      lers_connection_set_first_byte_timeout_ms (self, g_value_get_uint (value));
      break;
    case PROP_INTER_BYTE_TIMEOUT_MS:
      lers_connection_set_inter_byte_timeout_ms (self, g_value_get_uint (value));
      break;
    case PROP_ANSWER_TIMEOUT_MS:
      lers_connection_set_answer_timeout_ms (self, g_value_get_uint (value));
      break;
    case PROP_RETRIES:
      lers_connection_set_retries (self, g_value_get_int (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
lers_connection_class_init (LersConnectionClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = lers_connection_finalize;
  object_class->get_property = lers_connection_get_property;
  object_class->set_property = lers_connection_set_property;

  /**
   * LersConnection:id:
   *
   * Database id; 0 until stored.
   *
   * Since: 0.1
   */
  props[PROP_ID]
      = g_param_spec_int64 ("id", NULL, NULL, 0, G_MAXINT64, 0,
                            G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  /**
   * LersConnection:title:
   *
   * Name operators see.
   *
   * Since: 0.1
   */
  props[PROP_TITLE]
      = g_param_spec_string ("title", NULL, NULL, NULL,
                             G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  /**
   * LersConnection:kind:
   *
   * How to connect.
   *
   * Since: 0.1
   */
  props[PROP_KIND] = g_param_spec_enum (
      "kind", NULL, NULL, LERS_TYPE_CONNECTION_KIND, LERS_CONNECTION_KIND_TCP_CLIENT,
      G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  /**
   * LersConnection:host:
   *
   * Host name or address (TCP client).
   *
   * Since: 0.1
   */
  props[PROP_HOST]
      = g_param_spec_string ("host", NULL, NULL, NULL,
                             G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  /**
   * LersConnection:port:
   *
   * TCP port.
   *
   * Since: 0.1
   */
  props[PROP_PORT]
      = g_param_spec_uint ("port", NULL, NULL, 0, 65535, 0,
                           G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  /**
   * LersConnection:timeout:
   *
   * Seconds to wait for a connection to open (the connect timeout); 0 for
   * the link's default.
   *
   * Since: 0.1
   */
  props[PROP_TIMEOUT]
      = g_param_spec_uint ("timeout", NULL, NULL, 0, G_MAXUINT, 0,
                           G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  /**
   * LersConnection:serial-port:
   *
   * The serial device a serial line or a dial-up modem is on, such as `/dev/ttyUSB0`.
   *
   * Since: 0.3
   */
  props[PROP_SERIAL_PORT]
      = g_param_spec_string ("serial-port", NULL, NULL, NULL,
                             G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  /**
   * LersConnection:baud-rate:
   *
   * Line speed in bit/s of a serial line or a modem's line; 0 for the protocol's default.
   *
   * Since: 0.3
   */
  props[PROP_BAUD_RATE]
      = g_param_spec_uint ("baud-rate", NULL, NULL, 0, 4000000, 0,
                           G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  /**
   * LersConnection:data-bits:
   *
   * Data bits of a character on a serial line: 5 to 8.
   *
   * Since: 0.3
   */
  props[PROP_DATA_BITS]
      = g_param_spec_uint ("data-bits", NULL, NULL, 5, 8, 8,
                           G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  /**
   * LersConnection:parity:
   *
   * Parity of a serial line.
   *
   * Since: 0.3
   */
  props[PROP_PARITY]
      = g_param_spec_enum ("parity", NULL, NULL, LERS_TYPE_PARITY, LERS_PARITY_NONE,
                           G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  /**
   * LersConnection:stop-bits:
   *
   * Stop bits of a serial line: 1 or 2.
   *
   * Since: 0.3
   */
  props[PROP_STOP_BITS]
      = g_param_spec_uint ("stop-bits", NULL, NULL, 1, 2, 1,
                           G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  /**
   * LersConnection:flow-control:
   *
   * Flow control of a serial line.
   *
   * Since: 0.3
   */
  props[PROP_FLOW_CONTROL] = g_param_spec_enum (
      "flow-control", NULL, NULL, LERS_TYPE_FLOW_CONTROL, LERS_FLOW_CONTROL_NONE,
      G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  /**
   * LersConnection:phone-number:
   *
   * The number a dial-up modem calls.
   *
   * Since: 0.3
   */
  props[PROP_PHONE_NUMBER]
      = g_param_spec_string ("phone-number", NULL, NULL, NULL,
                             G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  /**
   * LersConnection:modem-init:
   *
   * The AT initialisation string sent to a dial-up modem before it dials; %NULL for the transport's
   * default.
   *
   * Since: 0.3
   */
  props[PROP_MODEM_INIT]
      = g_param_spec_string ("modem-init", NULL, NULL, NULL,
                             G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  /**
   * LersConnection:identity:
   *
   * How a GPRS modem that calls in identifies itself: its IMEI or identification string. Unique
   * among gprs-server connections.
   *
   * Since: 0.3
   */
  props[PROP_IDENTITY]
      = g_param_spec_string ("identity", NULL, NULL, NULL,
                             G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  /**
   * LersConnection:handshake:
   *
   * The rule a GPRS modem's identification follows; %NULL for the default, `id` (the modem sends
   * its identity on connect).
   *
   * Since: 0.3
   */
  props[PROP_HANDSHAKE]
      = g_param_spec_string ("handshake", NULL, NULL, NULL,
                             G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  /**
   * LersConnection:first-byte-timeout-ms:
   *
   * Milliseconds to wait for the first byte of an answer; 0 for the link's default.
   *
   * Since: 0.3
   */
  props[PROP_FIRST_BYTE_TIMEOUT_MS]
      = g_param_spec_uint ("first-byte-timeout-ms", NULL, NULL, 0, 86400000, 0,
                           G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  /**
   * LersConnection:inter-byte-timeout-ms:
   *
   * Milliseconds of silence between two bytes of an answer that end it; 0 for the link's default.
   *
   * Since: 0.3
   */
  props[PROP_INTER_BYTE_TIMEOUT_MS]
      = g_param_spec_uint ("inter-byte-timeout-ms", NULL, NULL, 0, 86400000, 0,
                           G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  /**
   * LersConnection:answer-timeout-ms:
   *
   * Milliseconds a whole answer may take; 0 for the link's default.
   *
   * Since: 0.3
   */
  props[PROP_ANSWER_TIMEOUT_MS]
      = g_param_spec_uint ("answer-timeout-ms", NULL, NULL, 0, 86400000, 0,
                           G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  /**
   * LersConnection:retries:
   *
   * How many times a request is sent again after a timeout; -1 for the link's default.
   *
   * Since: 0.3
   */
  props[PROP_RETRIES]
      = g_param_spec_int ("retries", NULL, NULL, -1, 100, -1,
                          G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, props);
}

static void
lers_connection_init (LersConnection *self)
{
  self->data_bits = 8;
  self->stop_bits = 1;
  self->retries = -1;
}

/**
 * lers_connection_new:
 *
 * Returns: (transfer full): a new, unsaved #LersConnection
 *
 * Since: 0.1
 */
LersConnection *
lers_connection_new (void)
{
  return g_object_new (LERS_TYPE_CONNECTION, NULL);
}

/**
 * lers_connection_get_id:
 * @self: a #LersConnection
 *
 * Returns:: database id; 0 until stored
 *
 * Since: 0.1
 */
gint64
lers_connection_get_id (LersConnection *self)
{
  g_return_val_if_fail (LERS_IS_CONNECTION (self), 0);
  return self->id;
}

/**
 * lers_connection_set_id:
 * @self: a #LersConnection
 * @id:: database id; 0 until stored
 *
 * Since: 0.1
 */
void
lers_connection_set_id (LersConnection *self, gint64 id)
{
  g_return_if_fail (LERS_IS_CONNECTION (self));
  if (self->id == id)
    return;
  self->id = id;
  g_object_notify_by_pspec (G_OBJECT (self), props[PROP_ID]);
}

/**
 * lers_connection_get_title:
 * @self: a #LersConnection
 *
 * Returns: (nullable): name operators see
 *
 * Since: 0.1
 */
const gchar *
lers_connection_get_title (LersConnection *self)
{
  g_return_val_if_fail (LERS_IS_CONNECTION (self), NULL);
  return self->title;
}

/**
 * lers_connection_set_title:
 * @self: a #LersConnection
 * @title: (nullable): name operators see
 *
 * Since: 0.1
 */
void
lers_connection_set_title (LersConnection *self, const gchar *title)
{
  g_return_if_fail (LERS_IS_CONNECTION (self));
  if (g_strcmp0 (self->title, title) == 0)
    return;
  g_free (self->title);
  self->title = g_strdup (title);
  g_object_notify_by_pspec (G_OBJECT (self), props[PROP_TITLE]);
}

/**
 * lers_connection_get_kind:
 * @self: a #LersConnection
 *
 * Returns:: how to connect
 *
 * Since: 0.1
 */
LersConnectionKind
lers_connection_get_kind (LersConnection *self)
{
  g_return_val_if_fail (LERS_IS_CONNECTION (self), 0);
  return self->kind;
}

/**
 * lers_connection_set_kind:
 * @self: a #LersConnection
 * @kind:: how to connect
 *
 * Since: 0.1
 */
void
lers_connection_set_kind (LersConnection *self, LersConnectionKind kind)
{
  g_return_if_fail (LERS_IS_CONNECTION (self));
  if (self->kind == kind)
    return;
  self->kind = kind;
  g_object_notify_by_pspec (G_OBJECT (self), props[PROP_KIND]);
}

/**
 * lers_connection_get_host:
 * @self: a #LersConnection
 *
 * Returns: (nullable): host name or address (TCP client)
 *
 * Since: 0.1
 */
const gchar *
lers_connection_get_host (LersConnection *self)
{
  g_return_val_if_fail (LERS_IS_CONNECTION (self), NULL);
  return self->host;
}

/**
 * lers_connection_set_host:
 * @self: a #LersConnection
 * @host: (nullable): host name or address (TCP client)
 *
 * Since: 0.1
 */
void
lers_connection_set_host (LersConnection *self, const gchar *host)
{
  g_return_if_fail (LERS_IS_CONNECTION (self));
  if (g_strcmp0 (self->host, host) == 0)
    return;
  g_free (self->host);
  g_free (self->serial_port);
  g_free (self->phone_number);
  g_free (self->modem_init);
  g_free (self->identity);
  g_free (self->handshake);
  self->host = g_strdup (host);
  g_object_notify_by_pspec (G_OBJECT (self), props[PROP_HOST]);
}

/**
 * lers_connection_get_port:
 * @self: a #LersConnection
 *
 * Returns:: tCP port
 *
 * Since: 0.1
 */
guint
lers_connection_get_port (LersConnection *self)
{
  g_return_val_if_fail (LERS_IS_CONNECTION (self), 0);
  return self->port;
}

/**
 * lers_connection_set_port:
 * @self: a #LersConnection
 * @port:: tCP port
 *
 * Since: 0.1
 */
void
lers_connection_set_port (LersConnection *self, guint port)
{
  g_return_if_fail (LERS_IS_CONNECTION (self));
  if (self->port == port)
    return;
  self->port = port;
  g_object_notify_by_pspec (G_OBJECT (self), props[PROP_PORT]);
}

/**
 * lers_connection_get_timeout:
 * @self: a #LersConnection
 *
 * Returns:: seconds to wait for the link to open (the connect timeout); 0 for the default
 *
 * Since: 0.1
 */
guint
lers_connection_get_timeout (LersConnection *self)
{
  g_return_val_if_fail (LERS_IS_CONNECTION (self), 0);
  return self->timeout;
}

/**
 * lers_connection_set_timeout:
 * @self: a #LersConnection
 * @timeout:: seconds to wait for the link to open (the connect timeout); 0 for the default
 *
 * Since: 0.1
 */
void
lers_connection_set_timeout (LersConnection *self, guint timeout)
{
  g_return_if_fail (LERS_IS_CONNECTION (self));
  if (self->timeout == timeout)
    return;
  self->timeout = timeout;
  g_object_notify_by_pspec (G_OBJECT (self), props[PROP_TIMEOUT]);
}

/**
 * lers_connection_get_serial_port:
 * @self: a #LersConnection
 *
 * Returns: (nullable): the serial device a serial line or a dial-up modem is on, such as
 * `/dev/ttyUSB0`.
 *
 * Since: 0.3
 */
const gchar *
lers_connection_get_serial_port (LersConnection *self)
{
  g_return_val_if_fail (LERS_IS_CONNECTION (self), NULL);
  return self->serial_port;
}

/**
 * lers_connection_set_serial_port:
 * @self: a #LersConnection
 * @serial_port: (nullable): the new value
 *
 * Sets #LersConnection:serial-port.
 *
 * Since: 0.3
 */
void
lers_connection_set_serial_port (LersConnection *self, const gchar *serial_port)
{
  g_return_if_fail (LERS_IS_CONNECTION (self));
  if (g_strcmp0 (self->serial_port, serial_port) == 0)
    return;
  g_free (self->serial_port);
  self->serial_port = g_strdup (serial_port);
  g_object_notify_by_pspec (G_OBJECT (self), props[PROP_SERIAL_PORT]);
}

/**
 * lers_connection_get_baud_rate:
 * @self: a #LersConnection
 *
 * Returns: line speed in bit/s of a serial line or a modem's line; 0 for the protocol's default.
 *
 * Since: 0.3
 */
guint
lers_connection_get_baud_rate (LersConnection *self)
{
  g_return_val_if_fail (LERS_IS_CONNECTION (self), 0);
  return self->baud_rate;
}

/**
 * lers_connection_set_baud_rate:
 * @self: a #LersConnection
 * @baud_rate: the new value
 *
 * Sets #LersConnection:baud-rate.
 *
 * Since: 0.3
 */
void
lers_connection_set_baud_rate (LersConnection *self, guint baud_rate)
{
  g_return_if_fail (LERS_IS_CONNECTION (self));
  g_return_if_fail (baud_rate <= 4000000);
  if (self->baud_rate == baud_rate)
    return;
  self->baud_rate = baud_rate;
  g_object_notify_by_pspec (G_OBJECT (self), props[PROP_BAUD_RATE]);
}

/**
 * lers_connection_get_data_bits:
 * @self: a #LersConnection
 *
 * Returns: data bits of a character on a serial line: 5 to 8.
 *
 * Since: 0.3
 */
guint
lers_connection_get_data_bits (LersConnection *self)
{
  g_return_val_if_fail (LERS_IS_CONNECTION (self), 8);
  return self->data_bits;
}

/**
 * lers_connection_set_data_bits:
 * @self: a #LersConnection
 * @data_bits: the new value
 *
 * Sets #LersConnection:data-bits.
 *
 * Since: 0.3
 */
void
lers_connection_set_data_bits (LersConnection *self, guint data_bits)
{
  g_return_if_fail (LERS_IS_CONNECTION (self));
  g_return_if_fail (data_bits >= 5 && data_bits <= 8);
  if (self->data_bits == data_bits)
    return;
  self->data_bits = data_bits;
  g_object_notify_by_pspec (G_OBJECT (self), props[PROP_DATA_BITS]);
}

/**
 * lers_connection_get_parity:
 * @self: a #LersConnection
 *
 * Returns: parity of a serial line.
 *
 * Since: 0.3
 */
LersParity
lers_connection_get_parity (LersConnection *self)
{
  g_return_val_if_fail (LERS_IS_CONNECTION (self), LERS_PARITY_NONE);
  return self->parity;
}

/**
 * lers_connection_set_parity:
 * @self: a #LersConnection
 * @parity: the new value
 *
 * Sets #LersConnection:parity.
 *
 * Since: 0.3
 */
void
lers_connection_set_parity (LersConnection *self, LersParity parity)
{
  g_return_if_fail (LERS_IS_CONNECTION (self));
  if (self->parity == parity)
    return;
  self->parity = parity;
  g_object_notify_by_pspec (G_OBJECT (self), props[PROP_PARITY]);
}

/**
 * lers_connection_get_stop_bits:
 * @self: a #LersConnection
 *
 * Returns: stop bits of a serial line: 1 or 2.
 *
 * Since: 0.3
 */
guint
lers_connection_get_stop_bits (LersConnection *self)
{
  g_return_val_if_fail (LERS_IS_CONNECTION (self), 1);
  return self->stop_bits;
}

/**
 * lers_connection_set_stop_bits:
 * @self: a #LersConnection
 * @stop_bits: the new value
 *
 * Sets #LersConnection:stop-bits.
 *
 * Since: 0.3
 */
void
lers_connection_set_stop_bits (LersConnection *self, guint stop_bits)
{
  g_return_if_fail (LERS_IS_CONNECTION (self));
  g_return_if_fail (stop_bits >= 1 && stop_bits <= 2);
  if (self->stop_bits == stop_bits)
    return;
  self->stop_bits = stop_bits;
  g_object_notify_by_pspec (G_OBJECT (self), props[PROP_STOP_BITS]);
}

/**
 * lers_connection_get_flow_control:
 * @self: a #LersConnection
 *
 * Returns: flow control of a serial line.
 *
 * Since: 0.3
 */
LersFlowControl
lers_connection_get_flow_control (LersConnection *self)
{
  g_return_val_if_fail (LERS_IS_CONNECTION (self), LERS_FLOW_CONTROL_NONE);
  return self->flow_control;
}

/**
 * lers_connection_set_flow_control:
 * @self: a #LersConnection
 * @flow_control: the new value
 *
 * Sets #LersConnection:flow-control.
 *
 * Since: 0.3
 */
void
lers_connection_set_flow_control (LersConnection *self, LersFlowControl flow_control)
{
  g_return_if_fail (LERS_IS_CONNECTION (self));
  if (self->flow_control == flow_control)
    return;
  self->flow_control = flow_control;
  g_object_notify_by_pspec (G_OBJECT (self), props[PROP_FLOW_CONTROL]);
}

/**
 * lers_connection_get_phone_number:
 * @self: a #LersConnection
 *
 * Returns: (nullable): the number a dial-up modem calls.
 *
 * Since: 0.3
 */
const gchar *
lers_connection_get_phone_number (LersConnection *self)
{
  g_return_val_if_fail (LERS_IS_CONNECTION (self), NULL);
  return self->phone_number;
}

/**
 * lers_connection_set_phone_number:
 * @self: a #LersConnection
 * @phone_number: (nullable): the new value
 *
 * Sets #LersConnection:phone-number.
 *
 * Since: 0.3
 */
void
lers_connection_set_phone_number (LersConnection *self, const gchar *phone_number)
{
  g_return_if_fail (LERS_IS_CONNECTION (self));
  if (g_strcmp0 (self->phone_number, phone_number) == 0)
    return;
  g_free (self->phone_number);
  self->phone_number = g_strdup (phone_number);
  g_object_notify_by_pspec (G_OBJECT (self), props[PROP_PHONE_NUMBER]);
}

/**
 * lers_connection_get_modem_init:
 * @self: a #LersConnection
 *
 * Returns: (nullable): the AT initialisation string sent to a dial-up modem before it dials; %NULL
 * for the transport's default.
 *
 * Since: 0.3
 */
const gchar *
lers_connection_get_modem_init (LersConnection *self)
{
  g_return_val_if_fail (LERS_IS_CONNECTION (self), NULL);
  return self->modem_init;
}

/**
 * lers_connection_set_modem_init:
 * @self: a #LersConnection
 * @modem_init: (nullable): the new value
 *
 * Sets #LersConnection:modem-init.
 *
 * Since: 0.3
 */
void
lers_connection_set_modem_init (LersConnection *self, const gchar *modem_init)
{
  g_return_if_fail (LERS_IS_CONNECTION (self));
  if (g_strcmp0 (self->modem_init, modem_init) == 0)
    return;
  g_free (self->modem_init);
  self->modem_init = g_strdup (modem_init);
  g_object_notify_by_pspec (G_OBJECT (self), props[PROP_MODEM_INIT]);
}

/**
 * lers_connection_get_identity:
 * @self: a #LersConnection
 *
 * Returns: (nullable): how a GPRS modem that calls in identifies itself: its IMEI or identification
 * string. Unique among gprs-server connections.
 *
 * Since: 0.3
 */
const gchar *
lers_connection_get_identity (LersConnection *self)
{
  g_return_val_if_fail (LERS_IS_CONNECTION (self), NULL);
  return self->identity;
}

/**
 * lers_connection_set_identity:
 * @self: a #LersConnection
 * @identity: (nullable): the new value
 *
 * Sets #LersConnection:identity.
 *
 * Since: 0.3
 */
void
lers_connection_set_identity (LersConnection *self, const gchar *identity)
{
  g_return_if_fail (LERS_IS_CONNECTION (self));
  if (g_strcmp0 (self->identity, identity) == 0)
    return;
  g_free (self->identity);
  self->identity = g_strdup (identity);
  g_object_notify_by_pspec (G_OBJECT (self), props[PROP_IDENTITY]);
}

/**
 * lers_connection_get_handshake:
 * @self: a #LersConnection
 *
 * Returns: (nullable): the rule a GPRS modem's identification follows; %NULL for the default, `id`
 * (the modem sends its identity on connect).
 *
 * Since: 0.3
 */
const gchar *
lers_connection_get_handshake (LersConnection *self)
{
  g_return_val_if_fail (LERS_IS_CONNECTION (self), NULL);
  return self->handshake;
}

/**
 * lers_connection_set_handshake:
 * @self: a #LersConnection
 * @handshake: (nullable): the new value
 *
 * Sets #LersConnection:handshake.
 *
 * Since: 0.3
 */
void
lers_connection_set_handshake (LersConnection *self, const gchar *handshake)
{
  g_return_if_fail (LERS_IS_CONNECTION (self));
  if (g_strcmp0 (self->handshake, handshake) == 0)
    return;
  g_free (self->handshake);
  self->handshake = g_strdup (handshake);
  g_object_notify_by_pspec (G_OBJECT (self), props[PROP_HANDSHAKE]);
}

/**
 * lers_connection_get_first_byte_timeout_ms:
 * @self: a #LersConnection
 *
 * Returns: milliseconds to wait for the first byte of an answer; 0 for the link's default.
 *
 * Since: 0.3
 */
guint
lers_connection_get_first_byte_timeout_ms (LersConnection *self)
{
  g_return_val_if_fail (LERS_IS_CONNECTION (self), 0);
  return self->first_byte_timeout_ms;
}

/**
 * lers_connection_set_first_byte_timeout_ms:
 * @self: a #LersConnection
 * @first_byte_timeout_ms: the new value
 *
 * Sets #LersConnection:first-byte-timeout-ms.
 *
 * Since: 0.3
 */
void
lers_connection_set_first_byte_timeout_ms (LersConnection *self, guint first_byte_timeout_ms)
{
  g_return_if_fail (LERS_IS_CONNECTION (self));
  g_return_if_fail (first_byte_timeout_ms <= 86400000);
  if (self->first_byte_timeout_ms == first_byte_timeout_ms)
    return;
  self->first_byte_timeout_ms = first_byte_timeout_ms;
  g_object_notify_by_pspec (G_OBJECT (self), props[PROP_FIRST_BYTE_TIMEOUT_MS]);
}

/**
 * lers_connection_get_inter_byte_timeout_ms:
 * @self: a #LersConnection
 *
 * Returns: milliseconds of silence between two bytes of an answer that end it; 0 for the link's
 * default.
 *
 * Since: 0.3
 */
guint
lers_connection_get_inter_byte_timeout_ms (LersConnection *self)
{
  g_return_val_if_fail (LERS_IS_CONNECTION (self), 0);
  return self->inter_byte_timeout_ms;
}

/**
 * lers_connection_set_inter_byte_timeout_ms:
 * @self: a #LersConnection
 * @inter_byte_timeout_ms: the new value
 *
 * Sets #LersConnection:inter-byte-timeout-ms.
 *
 * Since: 0.3
 */
void
lers_connection_set_inter_byte_timeout_ms (LersConnection *self, guint inter_byte_timeout_ms)
{
  g_return_if_fail (LERS_IS_CONNECTION (self));
  g_return_if_fail (inter_byte_timeout_ms <= 86400000);
  if (self->inter_byte_timeout_ms == inter_byte_timeout_ms)
    return;
  self->inter_byte_timeout_ms = inter_byte_timeout_ms;
  g_object_notify_by_pspec (G_OBJECT (self), props[PROP_INTER_BYTE_TIMEOUT_MS]);
}

/**
 * lers_connection_get_answer_timeout_ms:
 * @self: a #LersConnection
 *
 * Returns: milliseconds a whole answer may take; 0 for the link's default.
 *
 * Since: 0.3
 */
guint
lers_connection_get_answer_timeout_ms (LersConnection *self)
{
  g_return_val_if_fail (LERS_IS_CONNECTION (self), 0);
  return self->answer_timeout_ms;
}

/**
 * lers_connection_set_answer_timeout_ms:
 * @self: a #LersConnection
 * @answer_timeout_ms: the new value
 *
 * Sets #LersConnection:answer-timeout-ms.
 *
 * Since: 0.3
 */
void
lers_connection_set_answer_timeout_ms (LersConnection *self, guint answer_timeout_ms)
{
  g_return_if_fail (LERS_IS_CONNECTION (self));
  g_return_if_fail (answer_timeout_ms <= 86400000);
  if (self->answer_timeout_ms == answer_timeout_ms)
    return;
  self->answer_timeout_ms = answer_timeout_ms;
  g_object_notify_by_pspec (G_OBJECT (self), props[PROP_ANSWER_TIMEOUT_MS]);
}

/**
 * lers_connection_get_retries:
 * @self: a #LersConnection
 *
 * Returns: how many times a request is sent again after a timeout; -1 for the link's default.
 *
 * Since: 0.3
 */
gint
lers_connection_get_retries (LersConnection *self)
{
  g_return_val_if_fail (LERS_IS_CONNECTION (self), -1);
  return self->retries;
}

/**
 * lers_connection_set_retries:
 * @self: a #LersConnection
 * @retries: the new value
 *
 * Sets #LersConnection:retries.
 *
 * Since: 0.3
 */
void
lers_connection_set_retries (LersConnection *self, gint retries)
{
  g_return_if_fail (LERS_IS_CONNECTION (self));
  g_return_if_fail (retries >= -1 && retries <= 100);
  if (self->retries == retries)
    return;
  self->retries = retries;
  g_object_notify_by_pspec (G_OBJECT (self), props[PROP_RETRIES]);
}
