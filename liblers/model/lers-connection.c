/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "config.h"

#include "lers-enum-types.h"
#include "model/lers-connection.h"

/**
 * LersConnection:
 *
 * How a device is reached: TCP host and port now; GPRS, serial and modem later.
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
  N_PROPS
};

static GParamSpec *props[N_PROPS];

static void
lers_connection_finalize (GObject *object)
{
  LersConnection *self = LERS_CONNECTION (object);

  g_free (self->title);
  g_free (self->host);

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
   * Seconds to wait for an answer.
   *
   * Since: 0.1
   */
  props[PROP_TIMEOUT]
      = g_param_spec_uint ("timeout", NULL, NULL, 0, G_MAXUINT, 0,
                           G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, props);
}

static void
lers_connection_init (LersConnection *self)
{
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
 * Returns:: seconds to wait for an answer
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
 * @timeout:: seconds to wait for an answer
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
