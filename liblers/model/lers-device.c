/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "config.h"

#include "lers-enum-types.h"
#include "model/lers-device.h"

#include <glib/gi18n-lib.h>
#include <json-glib/json-glib.h>

#include "lers-error.h"
#include "lers-json.h"

/**
 * LersDevice:
 *
 * A meter or heat calculator (прибор учёта).
 *
 * Since: 0.1
 */
struct _LersDevice
{
  GObject parent_instance;
  gint64 id;
  gchar *protocol;
  gchar *model;
  gchar *serial_number;
  gchar *network_address;
  gchar *password;
  GDateTime *calibration_date;
  guint calibration_interval;
  gint64 connection_id;
  gchar *clock_zone;
  GTimeZone *effective_clock_zone;
  GHashTable *options; /* key → value, both strings */
};

G_DEFINE_TYPE (LersDevice, lers_device, G_TYPE_OBJECT)

enum
{
  PROP_0,
  PROP_ID,
  PROP_PROTOCOL,
  PROP_MODEL,
  PROP_SERIAL_NUMBER,
  PROP_NETWORK_ADDRESS,
  PROP_PASSWORD,
  PROP_CALIBRATION_DATE,
  PROP_CALIBRATION_INTERVAL,
  PROP_CONNECTION_ID,
  PROP_CLOCK_ZONE,
  PROP_EFFECTIVE_CLOCK_ZONE,
  PROP_OPTIONS,
  N_PROPS
};

static GParamSpec *props[N_PROPS];

static void
lers_device_finalize (GObject *object)
{
  LersDevice *self = LERS_DEVICE (object);

  g_free (self->clock_zone);
  g_clear_pointer (&self->effective_clock_zone, g_time_zone_unref);
  g_hash_table_unref (self->options);
  g_free (self->protocol);
  g_free (self->model);
  g_free (self->serial_number);
  g_free (self->network_address);
  g_free (self->password);
  g_clear_pointer (&self->calibration_date, g_date_time_unref);

  G_OBJECT_CLASS (lers_device_parent_class)->finalize (object);
}

static void
lers_device_get_property (GObject *object, guint prop_id, GValue *value, GParamSpec *pspec)
{
  LersDevice *self = LERS_DEVICE (object);

  switch (prop_id)
    {
    case PROP_ID:
      g_value_set_int64 (value, self->id);
      break;
    case PROP_PROTOCOL:
      g_value_set_string (value, self->protocol);
      break;
    case PROP_MODEL:
      g_value_set_string (value, self->model);
      break;
    case PROP_SERIAL_NUMBER:
      g_value_set_string (value, self->serial_number);
      break;
    case PROP_NETWORK_ADDRESS:
      g_value_set_string (value, self->network_address);
      break;
    case PROP_PASSWORD:
      g_value_set_string (value, self->password);
      break;
    case PROP_CALIBRATION_DATE:
      g_value_set_boxed (value, self->calibration_date);
      break;
    case PROP_CALIBRATION_INTERVAL:
      g_value_set_uint (value, self->calibration_interval);
      break;
    case PROP_CONNECTION_ID:
      g_value_set_int64 (value, self->connection_id);
      break;
    case PROP_CLOCK_ZONE:
      g_value_set_string (value, self->clock_zone);
      break;
    case PROP_EFFECTIVE_CLOCK_ZONE:
      g_value_set_boxed (value, self->effective_clock_zone);
      break;
    case PROP_OPTIONS:
      g_value_take_string (value, lers_device_dup_options (self));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
lers_device_set_property (GObject *object, guint prop_id, const GValue *value, GParamSpec *pspec)
{
  LersDevice *self = LERS_DEVICE (object);

  switch (prop_id)
    {
    case PROP_ID:
      lers_device_set_id (self, g_value_get_int64 (value));
      break;
    case PROP_PROTOCOL:
      lers_device_set_protocol (self, g_value_get_string (value));
      break;
    case PROP_MODEL:
      lers_device_set_model (self, g_value_get_string (value));
      break;
    case PROP_SERIAL_NUMBER:
      lers_device_set_serial_number (self, g_value_get_string (value));
      break;
    case PROP_NETWORK_ADDRESS:
      lers_device_set_network_address (self, g_value_get_string (value));
      break;
    case PROP_PASSWORD:
      lers_device_set_password (self, g_value_get_string (value));
      break;
    case PROP_CALIBRATION_DATE:
      lers_device_set_calibration_date (self, g_value_get_boxed (value));
      break;
    case PROP_CALIBRATION_INTERVAL:
      lers_device_set_calibration_interval (self, g_value_get_uint (value));
      break;
    case PROP_CONNECTION_ID:
      lers_device_set_connection_id (self, g_value_get_int64 (value));
      break;
    case PROP_CLOCK_ZONE:
      lers_device_set_clock_zone (self, g_value_get_string (value));
      break;
    case PROP_EFFECTIVE_CLOCK_ZONE:
      lers_device_set_effective_clock_zone (self, g_value_get_boxed (value));
      break;
    case PROP_OPTIONS:
      lers_device_set_options (self, g_value_get_string (value), NULL);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
lers_device_class_init (LersDeviceClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = lers_device_finalize;
  object_class->get_property = lers_device_get_property;
  object_class->set_property = lers_device_set_property;

  /**
   * LersDevice:id:
   *
   * Database id; 0 until stored.
   *
   * Since: 0.1
   */
  props[PROP_ID]
      = g_param_spec_int64 ("id", NULL, NULL, 0, G_MAXINT64, 0,
                            G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  /**
   * LersDevice:protocol:
   *
   * Plugin that talks to it (`mbus`).
   *
   * Since: 0.1
   */
  props[PROP_PROTOCOL]
      = g_param_spec_string ("protocol", NULL, NULL, NULL,
                             G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  /**
   * LersDevice:model:
   *
   * Device model.
   *
   * Since: 0.1
   */
  props[PROP_MODEL]
      = g_param_spec_string ("model", NULL, NULL, NULL,
                             G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  /**
   * LersDevice:serial-number:
   *
   * Serial number.
   *
   * Since: 0.1
   */
  props[PROP_SERIAL_NUMBER]
      = g_param_spec_string ("serial-number", NULL, NULL, NULL,
                             G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  /**
   * LersDevice:network-address:
   *
   * Network address on its bus (M-Bus: primary 1–250 or 8-digit secondary).
   *
   * Since: 0.1
   */
  props[PROP_NETWORK_ADDRESS]
      = g_param_spec_string ("network-address", NULL, NULL, NULL,
                             G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  /**
   * LersDevice:password:
   *
   * Access password, if the device has one.
   *
   * Since: 0.1
   */
  props[PROP_PASSWORD]
      = g_param_spec_string ("password", NULL, NULL, NULL,
                             G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  /**
   * LersDevice:calibration-date:
   *
   * Date of the last calibration (поверка).
   *
   * Since: 0.1
   */
  props[PROP_CALIBRATION_DATE]
      = g_param_spec_boxed ("calibration-date", NULL, NULL, G_TYPE_DATE_TIME,
                            G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  /**
   * LersDevice:calibration-interval:
   *
   * Months between calibrations.
   *
   * Since: 0.1
   */
  props[PROP_CALIBRATION_INTERVAL]
      = g_param_spec_uint ("calibration-interval", NULL, NULL, 0, G_MAXUINT, 0,
                           G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  /**
   * LersDevice:connection-id:
   *
   * The connection used to reach it.
   *
   * Since: 0.1
   */
  props[PROP_CONNECTION_ID]
      = g_param_spec_int64 ("connection-id", NULL, NULL, 0, G_MAXINT64, 0,
                            G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  /**
   * LersDevice:clock-zone:
   *
   * The IANA time zone the device's clock keeps (`Europe/Moscow`), when it
   * is not its node's; %NULL or empty for the node's zone. Meter
   * timestamps are read in this zone and stored in UTC.
   *
   * Since: 0.2
   */
  props[PROP_CLOCK_ZONE]
      = g_param_spec_string ("clock-zone", NULL, NULL, NULL,
                             G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  /**
   * LersDevice:effective-clock-zone:
   *
   * The zone the device's clock keeps, as the poller resolved it before
   * handing the device to its driver: #LersDevice:clock-zone, else the zone
   * of its node's territory, else the server's. %NULL until resolved, which
   * drivers read as the server's zone. Not stored.
   *
   * Since: 0.2
   */
  props[PROP_EFFECTIVE_CLOCK_ZONE]
      = g_param_spec_boxed ("effective-clock-zone", NULL, NULL, G_TYPE_TIME_ZONE,
                            G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  /**
   * LersDevice:options:
   *
   * The device's own settings for its driver, as a JSON object of strings:
   * `{"answer-timeout-ms": "3000", "retries": "2", "password": "…", "baud": "2400"}`.
   * A key set here wins over the model's quirks file and the driver's
   * default. Each plugin's README lists the keys it reads.
   *
   * Since: 0.3
   */
  props[PROP_OPTIONS]
      = g_param_spec_string ("options", NULL, NULL, "{}",
                             G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, props);
}

static void
lers_device_init (LersDevice *self)
{
  self->options = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
}

/**
 * lers_device_new:
 *
 * Returns: (transfer full): a new, unsaved #LersDevice
 *
 * Since: 0.1
 */
LersDevice *
lers_device_new (void)
{
  return g_object_new (LERS_TYPE_DEVICE, NULL);
}

/**
 * lers_device_get_id:
 * @self: a #LersDevice
 *
 * Returns:: database id; 0 until stored
 *
 * Since: 0.1
 */
gint64
lers_device_get_id (LersDevice *self)
{
  g_return_val_if_fail (LERS_IS_DEVICE (self), 0);
  return self->id;
}

/**
 * lers_device_set_id:
 * @self: a #LersDevice
 * @id:: database id; 0 until stored
 *
 * Since: 0.1
 */
void
lers_device_set_id (LersDevice *self, gint64 id)
{
  g_return_if_fail (LERS_IS_DEVICE (self));
  if (self->id == id)
    return;
  self->id = id;
  g_object_notify_by_pspec (G_OBJECT (self), props[PROP_ID]);
}

/**
 * lers_device_get_protocol:
 * @self: a #LersDevice
 *
 * Returns: (nullable): plugin that talks to it (`mbus`)
 *
 * Since: 0.1
 */
const gchar *
lers_device_get_protocol (LersDevice *self)
{
  g_return_val_if_fail (LERS_IS_DEVICE (self), NULL);
  return self->protocol;
}

/**
 * lers_device_set_protocol:
 * @self: a #LersDevice
 * @protocol: (nullable): plugin that talks to it (`mbus`)
 *
 * Since: 0.1
 */
void
lers_device_set_protocol (LersDevice *self, const gchar *protocol)
{
  g_return_if_fail (LERS_IS_DEVICE (self));
  if (g_strcmp0 (self->protocol, protocol) == 0)
    return;
  g_free (self->protocol);
  self->protocol = g_strdup (protocol);
  g_object_notify_by_pspec (G_OBJECT (self), props[PROP_PROTOCOL]);
}

/**
 * lers_device_get_model:
 * @self: a #LersDevice
 *
 * Returns: (nullable): device model
 *
 * Since: 0.1
 */
const gchar *
lers_device_get_model (LersDevice *self)
{
  g_return_val_if_fail (LERS_IS_DEVICE (self), NULL);
  return self->model;
}

/**
 * lers_device_set_model:
 * @self: a #LersDevice
 * @model: (nullable): device model
 *
 * Since: 0.1
 */
void
lers_device_set_model (LersDevice *self, const gchar *model)
{
  g_return_if_fail (LERS_IS_DEVICE (self));
  if (g_strcmp0 (self->model, model) == 0)
    return;
  g_free (self->model);
  self->model = g_strdup (model);
  g_object_notify_by_pspec (G_OBJECT (self), props[PROP_MODEL]);
}

/**
 * lers_device_get_serial_number:
 * @self: a #LersDevice
 *
 * Returns: (nullable): serial number
 *
 * Since: 0.1
 */
const gchar *
lers_device_get_serial_number (LersDevice *self)
{
  g_return_val_if_fail (LERS_IS_DEVICE (self), NULL);
  return self->serial_number;
}

/**
 * lers_device_set_serial_number:
 * @self: a #LersDevice
 * @serial_number: (nullable): serial number
 *
 * Since: 0.1
 */
void
lers_device_set_serial_number (LersDevice *self, const gchar *serial_number)
{
  g_return_if_fail (LERS_IS_DEVICE (self));
  if (g_strcmp0 (self->serial_number, serial_number) == 0)
    return;
  g_free (self->serial_number);
  self->serial_number = g_strdup (serial_number);
  g_object_notify_by_pspec (G_OBJECT (self), props[PROP_SERIAL_NUMBER]);
}

/**
 * lers_device_get_network_address:
 * @self: a #LersDevice
 *
 * Returns: (nullable): network address on its bus (M-Bus: primary 1–250 or 8-digit secondary)
 *
 * Since: 0.1
 */
const gchar *
lers_device_get_network_address (LersDevice *self)
{
  g_return_val_if_fail (LERS_IS_DEVICE (self), NULL);
  return self->network_address;
}

/**
 * lers_device_set_network_address:
 * @self: a #LersDevice
 * @network_address: (nullable): network address on its bus (M-Bus: primary 1–250 or 8-digit
 * secondary)
 *
 * Since: 0.1
 */
void
lers_device_set_network_address (LersDevice *self, const gchar *network_address)
{
  g_return_if_fail (LERS_IS_DEVICE (self));
  if (g_strcmp0 (self->network_address, network_address) == 0)
    return;
  g_free (self->network_address);
  self->network_address = g_strdup (network_address);
  g_object_notify_by_pspec (G_OBJECT (self), props[PROP_NETWORK_ADDRESS]);
}

/**
 * lers_device_get_password:
 * @self: a #LersDevice
 *
 * Returns: (nullable): access password, if the device has one
 *
 * Since: 0.1
 */
const gchar *
lers_device_get_password (LersDevice *self)
{
  g_return_val_if_fail (LERS_IS_DEVICE (self), NULL);
  return self->password;
}

/**
 * lers_device_set_password:
 * @self: a #LersDevice
 * @password: (nullable): access password, if the device has one
 *
 * Since: 0.1
 */
void
lers_device_set_password (LersDevice *self, const gchar *password)
{
  g_return_if_fail (LERS_IS_DEVICE (self));
  if (g_strcmp0 (self->password, password) == 0)
    return;
  g_free (self->password);
  self->password = g_strdup (password);
  g_object_notify_by_pspec (G_OBJECT (self), props[PROP_PASSWORD]);
}

/**
 * lers_device_get_calibration_date:
 * @self: a #LersDevice
 *
 * Returns: (nullable) (transfer none): date of the last calibration (поверка)
 *
 * Since: 0.1
 */
GDateTime *
lers_device_get_calibration_date (LersDevice *self)
{
  g_return_val_if_fail (LERS_IS_DEVICE (self), NULL);
  return self->calibration_date;
}

/**
 * lers_device_set_calibration_date:
 * @self: a #LersDevice
 * @calibration_date: (nullable): date of the last calibration (поверка)
 *
 * Since: 0.1
 */
void
lers_device_set_calibration_date (LersDevice *self, GDateTime *calibration_date)
{
  g_return_if_fail (LERS_IS_DEVICE (self));
  if (self->calibration_date == calibration_date
      || (self->calibration_date != NULL && calibration_date != NULL
          && g_date_time_equal (self->calibration_date, calibration_date)))
    return;
  g_clear_pointer (&self->calibration_date, g_date_time_unref);
  self->calibration_date = calibration_date != NULL ? g_date_time_ref (calibration_date) : NULL;
  g_object_notify_by_pspec (G_OBJECT (self), props[PROP_CALIBRATION_DATE]);
}

/**
 * lers_device_get_calibration_interval:
 * @self: a #LersDevice
 *
 * Returns:: months between calibrations
 *
 * Since: 0.1
 */
guint
lers_device_get_calibration_interval (LersDevice *self)
{
  g_return_val_if_fail (LERS_IS_DEVICE (self), 0);
  return self->calibration_interval;
}

/**
 * lers_device_set_calibration_interval:
 * @self: a #LersDevice
 * @calibration_interval:: months between calibrations
 *
 * Since: 0.1
 */
void
lers_device_set_calibration_interval (LersDevice *self, guint calibration_interval)
{
  g_return_if_fail (LERS_IS_DEVICE (self));
  if (self->calibration_interval == calibration_interval)
    return;
  self->calibration_interval = calibration_interval;
  g_object_notify_by_pspec (G_OBJECT (self), props[PROP_CALIBRATION_INTERVAL]);
}

/**
 * lers_device_get_connection_id:
 * @self: a #LersDevice
 *
 * Returns:: the connection used to reach it
 *
 * Since: 0.1
 */
gint64
lers_device_get_connection_id (LersDevice *self)
{
  g_return_val_if_fail (LERS_IS_DEVICE (self), 0);
  return self->connection_id;
}

/**
 * lers_device_set_connection_id:
 * @self: a #LersDevice
 * @connection_id:: the connection used to reach it
 *
 * Since: 0.1
 */
void
lers_device_set_connection_id (LersDevice *self, gint64 connection_id)
{
  g_return_if_fail (LERS_IS_DEVICE (self));
  if (self->connection_id == connection_id)
    return;
  self->connection_id = connection_id;
  g_object_notify_by_pspec (G_OBJECT (self), props[PROP_CONNECTION_ID]);
}

/**
 * lers_device_get_clock_zone:
 * @self: a #LersDevice
 *
 * Returns: (nullable): the IANA time zone the device clock keeps; %NULL or empty for its node's
 *
 * Since: 0.2
 */
const gchar *
lers_device_get_clock_zone (LersDevice *self)
{
  g_return_val_if_fail (LERS_IS_DEVICE (self), NULL);
  return self->clock_zone;
}

/**
 * lers_device_set_clock_zone:
 * @self: a #LersDevice
 * @clock_zone: (nullable): the IANA time zone the device clock keeps; %NULL or empty for its node's
 *
 * Since: 0.2
 */
void
lers_device_set_clock_zone (LersDevice *self, const gchar *clock_zone)
{
  g_return_if_fail (LERS_IS_DEVICE (self));
  if (g_strcmp0 (self->clock_zone, clock_zone) == 0)
    return;
  g_free (self->clock_zone);
  self->clock_zone = g_strdup (clock_zone);
  g_object_notify_by_pspec (G_OBJECT (self), props[PROP_CLOCK_ZONE]);
}

/**
 * lers_device_get_effective_clock_zone:
 * @self: a #LersDevice
 *
 * Returns: (nullable) (transfer none): the zone the device's clock keeps, as
 *   the poller resolved it; %NULL for the server's
 *
 * Since: 0.2
 */
GTimeZone *
lers_device_get_effective_clock_zone (LersDevice *self)
{
  g_return_val_if_fail (LERS_IS_DEVICE (self), NULL);
  return self->effective_clock_zone;
}

/**
 * lers_device_set_effective_clock_zone:
 * @self: a #LersDevice
 * @zone: (nullable): the zone the device's clock keeps; %NULL for the server's
 *
 * Since: 0.2
 */
void
lers_device_set_effective_clock_zone (LersDevice *self, GTimeZone *zone)
{
  g_return_if_fail (LERS_IS_DEVICE (self));
  if (self->effective_clock_zone == zone)
    return;
  g_clear_pointer (&self->effective_clock_zone, g_time_zone_unref);
  self->effective_clock_zone = zone != NULL ? g_time_zone_ref (zone) : NULL;
  g_object_notify_by_pspec (G_OBJECT (self), props[PROP_EFFECTIVE_CLOCK_ZONE]);
}

/**
 * lers_device_dup_clock_time_zone:
 * @self: a #LersDevice
 *
 * The zone a driver reads the device's clock in: its
 * #LersDevice:effective-clock-zone, or the server's zone when that is unset.
 *
 * Returns: (transfer full): the zone
 *
 * Since: 0.2
 */
GTimeZone *
lers_device_dup_clock_time_zone (LersDevice *self)
{
  g_return_val_if_fail (LERS_IS_DEVICE (self), NULL);
  if (self->effective_clock_zone != NULL)
    return g_time_zone_ref (self->effective_clock_zone);
  return g_time_zone_new_local ();
}

/**
 * lers_device_get_option:
 * @self: a #LersDevice
 * @key: an option's name (`answer-timeout-ms`)
 *
 * Returns: (nullable): the device's own value for @key
 *
 * Since: 0.3
 */
const gchar *
lers_device_get_option (LersDevice *self, const gchar *key)
{
  g_return_val_if_fail (LERS_IS_DEVICE (self), NULL);
  g_return_val_if_fail (key != NULL, NULL);
  return g_hash_table_lookup (self->options, key);
}

/**
 * lers_device_set_option:
 * @self: a #LersDevice
 * @key: an option's name
 * @value: (nullable): its value; %NULL removes it
 *
 * Since: 0.3
 */
void
lers_device_set_option (LersDevice *self, const gchar *key, const gchar *value)
{
  g_return_if_fail (LERS_IS_DEVICE (self));
  g_return_if_fail (key != NULL);
  if (g_strcmp0 (g_hash_table_lookup (self->options, key), value) == 0)
    return;
  if (value == NULL)
    g_hash_table_remove (self->options, key);
  else
    g_hash_table_replace (self->options, g_strdup (key), g_strdup (value));
  g_object_notify_by_pspec (G_OBJECT (self), props[PROP_OPTIONS]);
}

/**
 * lers_device_dup_options:
 * @self: a #LersDevice
 *
 * Returns: (transfer full): #LersDevice:options as JSON text, keys sorted
 *
 * Since: 0.3
 */
gchar *
lers_device_dup_options (LersDevice *self)
{
  g_autoptr (GList) keys = NULL;
  GString *json = g_string_new ("{");

  g_return_val_if_fail (LERS_IS_DEVICE (self), NULL);
  keys = g_list_sort (g_hash_table_get_keys (self->options), (GCompareFunc) g_strcmp0);
  for (GList *l = keys; l != NULL; l = l->next)
    {
      if (l != keys)
        g_string_append_c (json, ',');
      lers_json_append_string (json, l->data);
      g_string_append_c (json, ':');
      lers_json_append_string (json, g_hash_table_lookup (self->options, l->data));
    }
  g_string_append_c (json, '}');
  return g_string_free (json, FALSE);
}

/**
 * lers_device_set_options:
 * @self: a #LersDevice
 * @json: (nullable): a JSON object whose values are strings, numbers or
 *   booleans; %NULL or empty for none
 * @error: return location for a #GError
 *
 * Replaces every option. Numbers and booleans are kept as their text.
 *
 * Returns: %FALSE, with %LERS_ERROR_INVALID_ARGUMENT, when @json is not
 *   such an object; the options are then unchanged
 *
 * Since: 0.3
 */
gboolean
lers_device_set_options (LersDevice *self, const gchar *json, GError **error)
{
  g_autoptr (JsonParser) parser = json_parser_new ();
  g_autoptr (GHashTable) options = NULL;
  g_autoptr (GError) local_error = NULL;
  JsonObject *object;
  JsonObjectIter iter;
  const gchar *key;
  JsonNode *node;

  g_return_val_if_fail (LERS_IS_DEVICE (self), FALSE);
  options = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  if (json != NULL && json[0] != '\0')
    {
      if (!json_parser_load_from_data (parser, json, -1, &local_error)
          || !JSON_NODE_HOLDS_OBJECT (json_parser_get_root (parser)))
        {
          g_set_error (error, LERS_ERROR, LERS_ERROR_INVALID_ARGUMENT,
                       _ ("Device options must be a JSON object: %s"),
                       local_error != NULL ? local_error->message : json);
          return FALSE;
        }
      object = json_node_get_object (json_parser_get_root (parser));
      json_object_iter_init (&iter, object);
      while (json_object_iter_next (&iter, &key, &node))
        {
          GValue value = G_VALUE_INIT;
          g_autofree gchar *text = NULL;

          if (!JSON_NODE_HOLDS_VALUE (node))
            {
              g_set_error (error, LERS_ERROR, LERS_ERROR_INVALID_ARGUMENT,
                           _ ("Device option “%s” must be a string or a number"), key);
              return FALSE;
            }
          json_node_get_value (node, &value);
          if (G_VALUE_HOLDS_STRING (&value))
            text = g_value_dup_string (&value);
          else if (G_VALUE_HOLDS_INT64 (&value))
            text = g_strdup_printf ("%" G_GINT64_FORMAT, g_value_get_int64 (&value));
          else if (G_VALUE_HOLDS_DOUBLE (&value))
            text = g_strdup_printf ("%.17g", g_value_get_double (&value));
          else if (G_VALUE_HOLDS_BOOLEAN (&value))
            text = g_strdup (g_value_get_boolean (&value) ? "true" : "false");
          g_value_unset (&value);
          if (text != NULL)
            g_hash_table_replace (options, g_strdup (key), g_steal_pointer (&text));
        }
    }
  g_hash_table_unref (self->options);
  self->options = g_steal_pointer (&options);
  g_object_notify_by_pspec (G_OBJECT (self), props[PROP_OPTIONS]);
  return TRUE;
}
