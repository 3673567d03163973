/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "config.h"

#include "lers-json.h"
#include "lers-time.h"
#include "model/lers-link-session.h"

/**
 * LersLinkSession:
 *
 * One session on a link: a TCP connection to a gateway, a call of a
 * dial-up modem, the visit of a GPRS modem that called in. It keeps when
 * the session began and ended, the bytes that went each way, why it ended
 * and, where the modem reports them, its signal level, firmware and SIM id.
 *
 * The poller makes one each time a hold of a link ends
 * ([signal@Lers.Poller::link-session]); polling services store them in the
 * `link_sessions` table, from which the modem statistics are counted.
 *
 * Since: 0.4
 */
struct _LersLinkSession
{
  GObject parent_instance;
  gint64 id;
  gint64 connection_id;
  gint64 service_id;
  GDateTime *started;
  GDateTime *ended;
  guint64 bytes_in;
  guint64 bytes_out;
  gchar *end_reason;
  gchar *error;
  gint signal_level;
  gchar *firmware;
  gchar *sim_id;
  gchar *modem_identity;
};

G_DEFINE_TYPE (LersLinkSession, lers_link_session, G_TYPE_OBJECT)

enum
{
  PROP_0,
  PROP_ID,
  PROP_CONNECTION_ID,
  PROP_SERVICE_ID,
  PROP_STARTED,
  PROP_ENDED,
  PROP_BYTES_IN,
  PROP_BYTES_OUT,
  PROP_END_REASON,
  PROP_ERROR,
  PROP_SIGNAL_LEVEL,
  PROP_FIRMWARE,
  PROP_SIM_ID,
  PROP_MODEM_IDENTITY,
  N_PROPS
};

static GParamSpec *props[N_PROPS];

static void
lers_link_session_finalize (GObject *object)
{
  LersLinkSession *self = LERS_LINK_SESSION (object);

  g_clear_pointer (&self->started, g_date_time_unref);
  g_clear_pointer (&self->ended, g_date_time_unref);
  g_free (self->end_reason);
  g_free (self->error);
  g_free (self->firmware);
  g_free (self->sim_id);
  g_free (self->modem_identity);

  G_OBJECT_CLASS (lers_link_session_parent_class)->finalize (object);
}

static void
lers_link_session_get_property (GObject *object, guint prop_id, GValue *value, GParamSpec *pspec)
{
  LersLinkSession *self = LERS_LINK_SESSION (object);

  switch (prop_id)
    {
    case PROP_ID:
      g_value_set_int64 (value, self->id);
      break;
    case PROP_CONNECTION_ID:
      g_value_set_int64 (value, self->connection_id);
      break;
    case PROP_SERVICE_ID:
      g_value_set_int64 (value, self->service_id);
      break;
    case PROP_STARTED:
      g_value_set_boxed (value, self->started);
      break;
    case PROP_ENDED:
      g_value_set_boxed (value, self->ended);
      break;
    case PROP_BYTES_IN:
      g_value_set_uint64 (value, self->bytes_in);
      break;
    case PROP_BYTES_OUT:
      g_value_set_uint64 (value, self->bytes_out);
      break;
    case PROP_END_REASON:
      g_value_set_string (value, self->end_reason);
      break;
    case PROP_ERROR:
      g_value_set_string (value, self->error);
      break;
    case PROP_SIGNAL_LEVEL:
      g_value_set_int (value, self->signal_level);
      break;
    case PROP_FIRMWARE:
      g_value_set_string (value, self->firmware);
      break;
    case PROP_SIM_ID:
      g_value_set_string (value, self->sim_id);
      break;
    case PROP_MODEM_IDENTITY:
      g_value_set_string (value, self->modem_identity);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
lers_link_session_set_property (GObject *object, guint prop_id, const GValue *value,
                                GParamSpec *pspec)
{
  LersLinkSession *self = LERS_LINK_SESSION (object);

  switch (prop_id)
    {
    case PROP_ID:
      lers_link_session_set_id (self, g_value_get_int64 (value));
      break;
    case PROP_CONNECTION_ID:
      self->connection_id = g_value_get_int64 (value);
      break;
    case PROP_SERVICE_ID:
      lers_link_session_set_service_id (self, g_value_get_int64 (value));
      break;
    case PROP_STARTED:
      g_clear_pointer (&self->started, g_date_time_unref);
      self->started = g_value_dup_boxed (value);
      break;
    case PROP_ENDED:
      lers_link_session_set_ended (self, g_value_get_boxed (value));
      break;
    case PROP_BYTES_IN:
      lers_link_session_set_bytes (self, g_value_get_uint64 (value), self->bytes_out);
      break;
    case PROP_BYTES_OUT:
      lers_link_session_set_bytes (self, self->bytes_in, g_value_get_uint64 (value));
      break;
    case PROP_END_REASON:
      lers_link_session_set_end_reason (self, g_value_get_string (value));
      break;
    case PROP_ERROR:
      lers_link_session_set_error (self, g_value_get_string (value));
      break;
    case PROP_SIGNAL_LEVEL:
      lers_link_session_set_signal_level (self, g_value_get_int (value));
      break;
    case PROP_FIRMWARE:
      lers_link_session_set_firmware (self, g_value_get_string (value));
      break;
    case PROP_SIM_ID:
      lers_link_session_set_sim_id (self, g_value_get_string (value));
      break;
    case PROP_MODEM_IDENTITY:
      lers_link_session_set_modem_identity (self, g_value_get_string (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
lers_link_session_class_init (LersLinkSessionClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = lers_link_session_finalize;
  object_class->get_property = lers_link_session_get_property;
  object_class->set_property = lers_link_session_set_property;

  /**
   * LersLinkSession:id:
   *
   * Database id; 0 until stored.
   *
   * Since: 0.4
   */
  props[PROP_ID]
      = g_param_spec_int64 ("id", NULL, NULL, 0, G_MAXINT64, 0,
                            G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  /**
   * LersLinkSession:connection-id:
   *
   * The connection (link) the session was on.
   *
   * Since: 0.4
   */
  props[PROP_CONNECTION_ID]
      = g_param_spec_int64 ("connection-id", NULL, NULL, 0, G_MAXINT64, 0,
                            G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  /**
   * LersLinkSession:service-id:
   *
   * The polling service that held the link; 0 when none (a `lers poll` run, a test).
   *
   * Since: 0.4
   */
  props[PROP_SERVICE_ID]
      = g_param_spec_int64 ("service-id", NULL, NULL, 0, G_MAXINT64, 0,
                            G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  /**
   * LersLinkSession:started:
   *
   * When the session began (the link was being opened), UTC.
   *
   * Since: 0.4
   */
  props[PROP_STARTED]
      = g_param_spec_boxed ("started", NULL, NULL, G_TYPE_DATE_TIME,
                            G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  /**
   * LersLinkSession:ended:
   *
   * When the session ended (the link was closed, or opening it failed), UTC; %NULL until it ends.
   *
   * Since: 0.4
   */
  props[PROP_ENDED]
      = g_param_spec_boxed ("ended", NULL, NULL, G_TYPE_DATE_TIME,
                            G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  /**
   * LersLinkSession:bytes-in:
   *
   * Bytes received on the link in the session.
   *
   * Since: 0.4
   */
  props[PROP_BYTES_IN]
      = g_param_spec_uint64 ("bytes-in", NULL, NULL, 0, G_MAXINT64, 0,
                             G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  /**
   * LersLinkSession:bytes-out:
   *
   * Bytes sent on the link in the session.
   *
   * Since: 0.4
   */
  props[PROP_BYTES_OUT]
      = g_param_spec_uint64 ("bytes-out", NULL, NULL, 0, G_MAXINT64, 0,
                             G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  /**
   * LersLinkSession:end-reason:
   *
   * Why the session ended: `done`, `open-failed`, `error`, `cancelled`, or for a GPRS modem what
   * the GPRS server says (`idle`, `replaced`, `hangup` …).
   *
   * Since: 0.4
   */
  props[PROP_END_REASON]
      = g_param_spec_string ("end-reason", NULL, NULL, "done",
                             G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  /**
   * LersLinkSession:error:
   *
   * The error message the session ended with; %NULL when none.
   *
   * Since: 0.4
   */
  props[PROP_ERROR]
      = g_param_spec_string ("error", NULL, NULL, NULL,
                             G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  /**
   * LersLinkSession:signal-level:
   *
   * The modem's signal level in dBm; 0 when not reported.
   *
   * Since: 0.4
   */
  props[PROP_SIGNAL_LEVEL]
      = g_param_spec_int ("signal-level", NULL, NULL, -200, 0, 0,
                          G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  /**
   * LersLinkSession:firmware:
   *
   * The modem's firmware version, when it reports one.
   *
   * Since: 0.4
   */
  props[PROP_FIRMWARE]
      = g_param_spec_string ("firmware", NULL, NULL, NULL,
                             G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  /**
   * LersLinkSession:sim-id:
   *
   * The modem SIM card's id (ICCID), when it reports one.
   *
   * Since: 0.4
   */
  props[PROP_SIM_ID]
      = g_param_spec_string ("sim-id", NULL, NULL, NULL,
                             G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  /**
   * LersLinkSession:modem-identity:
   *
   * The identity (IMEI) a GPRS modem called in with.
   *
   * Since: 0.4
   */
  props[PROP_MODEM_IDENTITY]
      = g_param_spec_string ("modem-identity", NULL, NULL, NULL,
                             G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, props);
}

static void
lers_link_session_init (LersLinkSession *self)
{
  self->end_reason = g_strdup ("done");
}

/**
 * lers_link_session_new:
 * @connection_id: the connection (link) the session is on
 * @started: (nullable): when it began; %NULL for now
 *
 * Returns: (transfer full): a new, unsaved #LersLinkSession that has not ended yet
 *
 * Since: 0.4
 */
LersLinkSession *
lers_link_session_new (gint64 connection_id, GDateTime *started)
{
  g_autoptr (GDateTime) now = NULL;

  g_return_val_if_fail (connection_id >= 0, NULL);
  if (started == NULL)
    started = now = g_date_time_new_now_utc ();
  return g_object_new (LERS_TYPE_LINK_SESSION, "connection-id", connection_id, "started", started,
                       NULL);
}

/**
 * lers_link_session_get_id:
 * @self: a #LersLinkSession
 *
 * Returns: database id; 0 until stored.
 *
 * Since: 0.4
 */
gint64
lers_link_session_get_id (LersLinkSession *self)
{
  g_return_val_if_fail (LERS_IS_LINK_SESSION (self), 0);
  return self->id;
}

/**
 * lers_link_session_set_id:
 * @self: a #LersLinkSession
 * @id: the new value
 *
 * Sets #LersLinkSession:id.
 *
 * Since: 0.4
 */
void
lers_link_session_set_id (LersLinkSession *self, gint64 id)
{
  g_return_if_fail (LERS_IS_LINK_SESSION (self));
  g_return_if_fail (id >= 0);
  if (self->id == id)
    return;
  self->id = id;
  g_object_notify_by_pspec (G_OBJECT (self), props[PROP_ID]);
}

/**
 * lers_link_session_get_connection_id:
 * @self: a #LersLinkSession
 *
 * Returns: the connection (link) the session was on.
 *
 * Since: 0.4
 */
gint64
lers_link_session_get_connection_id (LersLinkSession *self)
{
  g_return_val_if_fail (LERS_IS_LINK_SESSION (self), 0);
  return self->connection_id;
}

/**
 * lers_link_session_get_service_id:
 * @self: a #LersLinkSession
 *
 * Returns: the polling service that held the link; 0 when none (a `lers poll` run, a test).
 *
 * Since: 0.4
 */
gint64
lers_link_session_get_service_id (LersLinkSession *self)
{
  g_return_val_if_fail (LERS_IS_LINK_SESSION (self), 0);
  return self->service_id;
}

/**
 * lers_link_session_set_service_id:
 * @self: a #LersLinkSession
 * @service_id: the new value
 *
 * Sets #LersLinkSession:service-id.
 *
 * Since: 0.4
 */
void
lers_link_session_set_service_id (LersLinkSession *self, gint64 service_id)
{
  g_return_if_fail (LERS_IS_LINK_SESSION (self));
  g_return_if_fail (service_id >= 0);
  if (self->service_id == service_id)
    return;
  self->service_id = service_id;
  g_object_notify_by_pspec (G_OBJECT (self), props[PROP_SERVICE_ID]);
}

/**
 * lers_link_session_get_started:
 * @self: a #LersLinkSession
 *
 * Returns: (transfer none): when the session began (the link was being opened), UTC.
 *
 * Since: 0.4
 */
GDateTime *
lers_link_session_get_started (LersLinkSession *self)
{
  g_return_val_if_fail (LERS_IS_LINK_SESSION (self), NULL);
  return self->started;
}

/**
 * lers_link_session_get_ended:
 * @self: a #LersLinkSession
 *
 * Returns: (nullable) (transfer none): when the session ended (the link was closed, or opening it
 * failed), UTC; %NULL until it ends.
 *
 * Since: 0.4
 */
GDateTime *
lers_link_session_get_ended (LersLinkSession *self)
{
  g_return_val_if_fail (LERS_IS_LINK_SESSION (self), NULL);
  return self->ended;
}

/**
 * lers_link_session_set_ended:
 * @self: a #LersLinkSession
 * @ended: (nullable): the new value
 *
 * Sets #LersLinkSession:ended.
 *
 * Since: 0.4
 */
void
lers_link_session_set_ended (LersLinkSession *self, GDateTime *ended)
{
  g_return_if_fail (LERS_IS_LINK_SESSION (self));
  if (self->ended == ended
      || (self->ended != NULL && ended != NULL && g_date_time_equal (self->ended, ended)))
    return;
  g_clear_pointer (&self->ended, g_date_time_unref);
  self->ended = ended != NULL ? g_date_time_ref (ended) : NULL;
  g_object_notify_by_pspec (G_OBJECT (self), props[PROP_ENDED]);
}

/**
 * lers_link_session_get_bytes_in:
 * @self: a #LersLinkSession
 *
 * Returns: bytes received on the link in the session.
 *
 * Since: 0.4
 */
guint64
lers_link_session_get_bytes_in (LersLinkSession *self)
{
  g_return_val_if_fail (LERS_IS_LINK_SESSION (self), 0);
  return self->bytes_in;
}

/**
 * lers_link_session_set_bytes:
 * @self: a #LersLinkSession
 * @bytes_in: bytes received
 * @bytes_out: bytes sent
 *
 * Sets #LersLinkSession:bytes-in and #LersLinkSession:bytes-out.
 *
 * Since: 0.4
 */
void
lers_link_session_set_bytes (LersLinkSession *self, guint64 bytes_in, guint64 bytes_out)
{
  g_return_if_fail (LERS_IS_LINK_SESSION (self));
  g_return_if_fail (bytes_in <= G_MAXINT64 && bytes_out <= G_MAXINT64);
  g_object_freeze_notify (G_OBJECT (self));
  if (self->bytes_in != bytes_in)
    {
      self->bytes_in = bytes_in;
      g_object_notify_by_pspec (G_OBJECT (self), props[PROP_BYTES_IN]);
    }
  if (self->bytes_out != bytes_out)
    {
      self->bytes_out = bytes_out;
      g_object_notify_by_pspec (G_OBJECT (self), props[PROP_BYTES_OUT]);
    }
  g_object_thaw_notify (G_OBJECT (self));
}

/**
 * lers_link_session_get_bytes_out:
 * @self: a #LersLinkSession
 *
 * Returns: bytes sent on the link in the session.
 *
 * Since: 0.4
 */
guint64
lers_link_session_get_bytes_out (LersLinkSession *self)
{
  g_return_val_if_fail (LERS_IS_LINK_SESSION (self), 0);
  return self->bytes_out;
}

/**
 * lers_link_session_get_end_reason:
 * @self: a #LersLinkSession
 *
 * Returns: why the session ended: `done`, `open-failed`, `error`, `cancelled`, or for a GPRS modem
 * what the GPRS server says (`idle`, `replaced`, `hangup` …).
 *
 * Since: 0.4
 */
const gchar *
lers_link_session_get_end_reason (LersLinkSession *self)
{
  g_return_val_if_fail (LERS_IS_LINK_SESSION (self), NULL);
  return self->end_reason;
}

/**
 * lers_link_session_set_end_reason:
 * @self: a #LersLinkSession
 * @end_reason: (nullable): the new value; %NULL or empty for `done`
 *
 * Sets #LersLinkSession:end-reason.
 *
 * Since: 0.4
 */
void
lers_link_session_set_end_reason (LersLinkSession *self, const gchar *end_reason)
{
  g_return_if_fail (LERS_IS_LINK_SESSION (self));
  if (end_reason == NULL || end_reason[0] == '\0')
    end_reason = "done";
  if (g_strcmp0 (self->end_reason, end_reason) == 0)
    return;
  g_free (self->end_reason);
  self->end_reason = g_strdup (end_reason);
  g_object_notify_by_pspec (G_OBJECT (self), props[PROP_END_REASON]);
}

/**
 * lers_link_session_get_error:
 * @self: a #LersLinkSession
 *
 * Returns: (nullable): the error message the session ended with; %NULL when none.
 *
 * Since: 0.4
 */
const gchar *
lers_link_session_get_error (LersLinkSession *self)
{
  g_return_val_if_fail (LERS_IS_LINK_SESSION (self), NULL);
  return self->error;
}

/**
 * lers_link_session_set_error:
 * @self: a #LersLinkSession
 * @error: (nullable): the new value
 *
 * Sets #LersLinkSession:error.
 *
 * Since: 0.4
 */
void
lers_link_session_set_error (LersLinkSession *self, const gchar *error)
{
  g_return_if_fail (LERS_IS_LINK_SESSION (self));
  if (g_strcmp0 (self->error, error) == 0)
    return;
  g_free (self->error);
  self->error = g_strdup (error);
  g_object_notify_by_pspec (G_OBJECT (self), props[PROP_ERROR]);
}

/**
 * lers_link_session_get_signal_level:
 * @self: a #LersLinkSession
 *
 * Returns: the modem's signal level in dBm; 0 when not reported.
 *
 * Since: 0.4
 */
gint
lers_link_session_get_signal_level (LersLinkSession *self)
{
  g_return_val_if_fail (LERS_IS_LINK_SESSION (self), 0);
  return self->signal_level;
}

/**
 * lers_link_session_set_signal_level:
 * @self: a #LersLinkSession
 * @signal_level: the level in dBm (−113 … −51); 0 when not reported
 *
 * Sets #LersLinkSession:signal-level.
 *
 * Since: 0.4
 */
void
lers_link_session_set_signal_level (LersLinkSession *self, gint signal_level)
{
  g_return_if_fail (LERS_IS_LINK_SESSION (self));
  g_return_if_fail (signal_level >= -200 && signal_level <= 0);
  if (self->signal_level == signal_level)
    return;
  self->signal_level = signal_level;
  g_object_notify_by_pspec (G_OBJECT (self), props[PROP_SIGNAL_LEVEL]);
}

/**
 * lers_link_session_get_firmware:
 * @self: a #LersLinkSession
 *
 * Returns: (nullable): the modem's firmware version, when it reports one.
 *
 * Since: 0.4
 */
const gchar *
lers_link_session_get_firmware (LersLinkSession *self)
{
  g_return_val_if_fail (LERS_IS_LINK_SESSION (self), NULL);
  return self->firmware;
}

/**
 * lers_link_session_set_firmware:
 * @self: a #LersLinkSession
 * @firmware: (nullable): the new value
 *
 * Sets #LersLinkSession:firmware.
 *
 * Since: 0.4
 */
void
lers_link_session_set_firmware (LersLinkSession *self, const gchar *firmware)
{
  g_return_if_fail (LERS_IS_LINK_SESSION (self));
  if (g_strcmp0 (self->firmware, firmware) == 0)
    return;
  g_free (self->firmware);
  self->firmware = g_strdup (firmware);
  g_object_notify_by_pspec (G_OBJECT (self), props[PROP_FIRMWARE]);
}

/**
 * lers_link_session_get_sim_id:
 * @self: a #LersLinkSession
 *
 * Returns: (nullable): the modem SIM card's id (ICCID), when it reports one.
 *
 * Since: 0.4
 */
const gchar *
lers_link_session_get_sim_id (LersLinkSession *self)
{
  g_return_val_if_fail (LERS_IS_LINK_SESSION (self), NULL);
  return self->sim_id;
}

/**
 * lers_link_session_set_sim_id:
 * @self: a #LersLinkSession
 * @sim_id: (nullable): the new value
 *
 * Sets #LersLinkSession:sim-id.
 *
 * Since: 0.4
 */
void
lers_link_session_set_sim_id (LersLinkSession *self, const gchar *sim_id)
{
  g_return_if_fail (LERS_IS_LINK_SESSION (self));
  if (g_strcmp0 (self->sim_id, sim_id) == 0)
    return;
  g_free (self->sim_id);
  self->sim_id = g_strdup (sim_id);
  g_object_notify_by_pspec (G_OBJECT (self), props[PROP_SIM_ID]);
}

/**
 * lers_link_session_get_modem_identity:
 * @self: a #LersLinkSession
 *
 * Returns: (nullable): the identity (IMEI) a GPRS modem called in with.
 *
 * Since: 0.4
 */
const gchar *
lers_link_session_get_modem_identity (LersLinkSession *self)
{
  g_return_val_if_fail (LERS_IS_LINK_SESSION (self), NULL);
  return self->modem_identity;
}

/**
 * lers_link_session_set_modem_identity:
 * @self: a #LersLinkSession
 * @modem_identity: (nullable): the new value
 *
 * Sets #LersLinkSession:modem-identity.
 *
 * Since: 0.4
 */
void
lers_link_session_set_modem_identity (LersLinkSession *self, const gchar *modem_identity)
{
  g_return_if_fail (LERS_IS_LINK_SESSION (self));
  if (g_strcmp0 (self->modem_identity, modem_identity) == 0)
    return;
  g_free (self->modem_identity);
  self->modem_identity = g_strdup (modem_identity);
  g_object_notify_by_pspec (G_OBJECT (self), props[PROP_MODEM_IDENTITY]);
}

/**
 * lers_link_session_append_json:
 * @self: a #LersLinkSession
 * @out: the string to append to
 * @zone: (nullable): the zone the times are shown in, with their offset; %NULL for UTC
 *
 * Appends @self as one JSON object, as the HTTP API and the CLI show it:
 * `{"id": 7, "connection_id": 2, "service_id": 1, "started":
 * "2026-11-24T12:00:00+10:00", "ended": "2026-11-24T12:00:42+10:00",
 * "duration": 42.0, "bytes_in": 1200, "bytes_out": 96, "end_reason": "done",
 * "error": null, "signal_level": -79, "firmware": "1.04", "sim_id":
 * "8970101…", "modem_identity": null}`. "duration" is in seconds (null
 * until the session ends), "service_id" and "signal_level" are null when 0,
 * the strings null when not known.
 *
 * Since: 0.4
 */
void
lers_link_session_append_json (LersLinkSession *self, GString *out, GTimeZone *zone)
{
  g_autoptr (GTimeZone) utc = NULL;

  g_return_if_fail (LERS_IS_LINK_SESSION (self));
  g_return_if_fail (out != NULL);

  if (zone == NULL)
    zone = utc = g_time_zone_new_utc ();
  g_string_append_printf (out, "{\"id\":%" G_GINT64_FORMAT ",\"connection_id\":%" G_GINT64_FORMAT,
                          self->id, self->connection_id);
  if (self->service_id != 0)
    g_string_append_printf (out, ",\"service_id\":%" G_GINT64_FORMAT, self->service_id);
  else
    g_string_append (out, ",\"service_id\":null");
  g_string_append (out, ",\"started\":");
  lers_json_append_time (out, self->started, zone);
  g_string_append (out, ",\"ended\":");
  lers_json_append_time (out, self->ended, zone);
  g_string_append (out, ",\"duration\":");
  if (self->started != NULL && self->ended != NULL)
    lers_json_append_double (out, (gdouble) g_date_time_difference (self->ended, self->started)
                                      / G_TIME_SPAN_SECOND);
  else
    g_string_append (out, "null");
  g_string_append_printf (out,
                          ",\"bytes_in\":%" G_GUINT64_FORMAT ",\"bytes_out\":%" G_GUINT64_FORMAT
                          ",\"end_reason\":",
                          self->bytes_in, self->bytes_out);
  lers_json_append_string (out, self->end_reason);
  g_string_append (out, ",\"error\":");
  lers_json_append_nullable_string (out, self->error);
  if (self->signal_level != 0)
    g_string_append_printf (out, ",\"signal_level\":%d", self->signal_level);
  else
    g_string_append (out, ",\"signal_level\":null");
  g_string_append (out, ",\"firmware\":");
  lers_json_append_nullable_string (out, self->firmware);
  g_string_append (out, ",\"sim_id\":");
  lers_json_append_nullable_string (out, self->sim_id);
  g_string_append (out, ",\"modem_identity\":");
  lers_json_append_nullable_string (out, self->modem_identity);
  g_string_append_c (out, '}');
}
