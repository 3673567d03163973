/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "config.h"

#include "lers-enum-types.h"
#include "model/lers-measure-point.h"

/**
 * LersMeasurePoint:
 *
 * Точка учёта: one metered resource of a node, read from one channel of a device.
 *
 * Since: 0.1
 */
struct _LersMeasurePoint
{
  GObject parent_instance;
  gint64 id;
  gint64 node_id;
  gchar *title;
  LersResource resource;
  gint64 device_id;
  guint channel;
  guint poll_interval;
  guint poll_offset;
  guint reporting_hour;
  guint reporting_day;
};

G_DEFINE_TYPE (LersMeasurePoint, lers_measure_point, G_TYPE_OBJECT)

enum
{
  PROP_0,
  PROP_ID,
  PROP_NODE_ID,
  PROP_TITLE,
  PROP_RESOURCE,
  PROP_DEVICE_ID,
  PROP_CHANNEL,
  PROP_POLL_INTERVAL,
  PROP_POLL_OFFSET,
  PROP_REPORTING_HOUR,
  PROP_REPORTING_DAY,
  N_PROPS
};

static GParamSpec *props[N_PROPS];

static void
lers_measure_point_finalize (GObject *object)
{
  LersMeasurePoint *self = LERS_MEASURE_POINT (object);

  g_free (self->title);

  G_OBJECT_CLASS (lers_measure_point_parent_class)->finalize (object);
}

static void
lers_measure_point_get_property (GObject *object, guint prop_id, GValue *value, GParamSpec *pspec)
{
  LersMeasurePoint *self = LERS_MEASURE_POINT (object);

  switch (prop_id)
    {
    case PROP_ID:
      g_value_set_int64 (value, self->id);
      break;
    case PROP_NODE_ID:
      g_value_set_int64 (value, self->node_id);
      break;
    case PROP_TITLE:
      g_value_set_string (value, self->title);
      break;
    case PROP_RESOURCE:
      g_value_set_enum (value, self->resource);
      break;
    case PROP_DEVICE_ID:
      g_value_set_int64 (value, self->device_id);
      break;
    case PROP_CHANNEL:
      g_value_set_uint (value, self->channel);
      break;
    case PROP_POLL_INTERVAL:
      g_value_set_uint (value, self->poll_interval);
      break;
    case PROP_POLL_OFFSET:
      g_value_set_uint (value, self->poll_offset);
      break;
    case PROP_REPORTING_HOUR:
      g_value_set_uint (value, self->reporting_hour);
      break;
    case PROP_REPORTING_DAY:
      g_value_set_uint (value, self->reporting_day);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
lers_measure_point_set_property (GObject *object, guint prop_id, const GValue *value,
                                 GParamSpec *pspec)
{
  LersMeasurePoint *self = LERS_MEASURE_POINT (object);

  switch (prop_id)
    {
    case PROP_ID:
      lers_measure_point_set_id (self, g_value_get_int64 (value));
      break;
    case PROP_NODE_ID:
      lers_measure_point_set_node_id (self, g_value_get_int64 (value));
      break;
    case PROP_TITLE:
      lers_measure_point_set_title (self, g_value_get_string (value));
      break;
    case PROP_RESOURCE:
      lers_measure_point_set_resource (self, g_value_get_enum (value));
      break;
    case PROP_DEVICE_ID:
      lers_measure_point_set_device_id (self, g_value_get_int64 (value));
      break;
    case PROP_CHANNEL:
      lers_measure_point_set_channel (self, g_value_get_uint (value));
      break;
    case PROP_POLL_INTERVAL:
      lers_measure_point_set_poll_interval (self, g_value_get_uint (value));
      break;
    case PROP_POLL_OFFSET:
      lers_measure_point_set_poll_offset (self, g_value_get_uint (value));
      break;
    case PROP_REPORTING_HOUR:
      lers_measure_point_set_reporting_hour (self, g_value_get_uint (value));
      break;
    case PROP_REPORTING_DAY:
      lers_measure_point_set_reporting_day (self, g_value_get_uint (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
lers_measure_point_class_init (LersMeasurePointClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = lers_measure_point_finalize;
  object_class->get_property = lers_measure_point_get_property;
  object_class->set_property = lers_measure_point_set_property;

  /**
   * LersMeasurePoint:id:
   *
   * Database id; 0 until stored.
   *
   * Since: 0.1
   */
  props[PROP_ID]
      = g_param_spec_int64 ("id", NULL, NULL, 0, G_MAXINT64, 0,
                            G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  /**
   * LersMeasurePoint:node-id:
   *
   * The node it belongs to.
   *
   * Since: 0.1
   */
  props[PROP_NODE_ID]
      = g_param_spec_int64 ("node-id", NULL, NULL, 0, G_MAXINT64, 0,
                            G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  /**
   * LersMeasurePoint:title:
   *
   * Name operators see.
   *
   * Since: 0.1
   */
  props[PROP_TITLE]
      = g_param_spec_string ("title", NULL, NULL, NULL,
                             G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  /**
   * LersMeasurePoint:resource:
   *
   * What it meters.
   *
   * Since: 0.1
   */
  props[PROP_RESOURCE]
      = g_param_spec_enum ("resource", NULL, NULL, LERS_TYPE_RESOURCE, LERS_RESOURCE_HEAT,
                           G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  /**
   * LersMeasurePoint:device-id:
   *
   * The device it is read from; 0 for none.
   *
   * Since: 0.1
   */
  props[PROP_DEVICE_ID]
      = g_param_spec_int64 ("device-id", NULL, NULL, 0, G_MAXINT64, 0,
                            G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  /**
   * LersMeasurePoint:channel:
   *
   * Channel (subunit, heat system) on the device.
   *
   * Since: 0.1
   */
  props[PROP_CHANNEL]
      = g_param_spec_uint ("channel", NULL, NULL, 0, G_MAXUINT, 0,
                           G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  /**
   * LersMeasurePoint:poll-interval:
   *
   * Seconds between scheduled reads; 0 reads only on demand.
   *
   * Since: 0.1
   */
  props[PROP_POLL_INTERVAL]
      = g_param_spec_uint ("poll-interval", NULL, NULL, 0, G_MAXUINT, 0,
                           G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  /**
   * LersMeasurePoint:poll-offset:
   *
   * Seconds after each interval boundary to read at.
   *
   * Since: 0.1
   */
  props[PROP_POLL_OFFSET]
      = g_param_spec_uint ("poll-offset", NULL, NULL, 0, G_MAXUINT, 0,
                           G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  /**
   * LersMeasurePoint:reporting-hour:
   *
   * Reporting hour (отчётный час), 0–23: the day archive of local date D
   * covers [D at this hour, D+1 at this hour) in the node's zone.
   *
   * Since: 0.2
   */
  props[PROP_REPORTING_HOUR]
      = g_param_spec_uint ("reporting-hour", NULL, NULL, 0, 23, 0,
                           G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  /**
   * LersMeasurePoint:reporting-day:
   *
   * Reporting day (отчётный день), 1–28: the month archive of M starts on
   * this day of M at the reporting hour.
   *
   * Since: 0.2
   */
  props[PROP_REPORTING_DAY]
      = g_param_spec_uint ("reporting-day", NULL, NULL, 1, 28, 1,
                           G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, props);
}

static void
lers_measure_point_init (LersMeasurePoint *self)
{
  /* calendar months: the month archive starts on the 1st */
  self->reporting_day = 1;
}

/**
 * lers_measure_point_new:
 *
 * Returns: (transfer full): a new, unsaved #LersMeasurePoint
 *
 * Since: 0.1
 */
LersMeasurePoint *
lers_measure_point_new (void)
{
  return g_object_new (LERS_TYPE_MEASURE_POINT, NULL);
}

/**
 * lers_measure_point_get_id:
 * @self: a #LersMeasurePoint
 *
 * Returns:: database id; 0 until stored
 *
 * Since: 0.1
 */
gint64
lers_measure_point_get_id (LersMeasurePoint *self)
{
  g_return_val_if_fail (LERS_IS_MEASURE_POINT (self), 0);
  return self->id;
}

/**
 * lers_measure_point_set_id:
 * @self: a #LersMeasurePoint
 * @id:: database id; 0 until stored
 *
 * Since: 0.1
 */
void
lers_measure_point_set_id (LersMeasurePoint *self, gint64 id)
{
  g_return_if_fail (LERS_IS_MEASURE_POINT (self));
  if (self->id == id)
    return;
  self->id = id;
  g_object_notify_by_pspec (G_OBJECT (self), props[PROP_ID]);
}

/**
 * lers_measure_point_get_node_id:
 * @self: a #LersMeasurePoint
 *
 * Returns:: the node it belongs to
 *
 * Since: 0.1
 */
gint64
lers_measure_point_get_node_id (LersMeasurePoint *self)
{
  g_return_val_if_fail (LERS_IS_MEASURE_POINT (self), 0);
  return self->node_id;
}

/**
 * lers_measure_point_set_node_id:
 * @self: a #LersMeasurePoint
 * @node_id:: the node it belongs to
 *
 * Since: 0.1
 */
void
lers_measure_point_set_node_id (LersMeasurePoint *self, gint64 node_id)
{
  g_return_if_fail (LERS_IS_MEASURE_POINT (self));
  if (self->node_id == node_id)
    return;
  self->node_id = node_id;
  g_object_notify_by_pspec (G_OBJECT (self), props[PROP_NODE_ID]);
}

/**
 * lers_measure_point_get_title:
 * @self: a #LersMeasurePoint
 *
 * Returns: (nullable): name operators see
 *
 * Since: 0.1
 */
const gchar *
lers_measure_point_get_title (LersMeasurePoint *self)
{
  g_return_val_if_fail (LERS_IS_MEASURE_POINT (self), NULL);
  return self->title;
}

/**
 * lers_measure_point_set_title:
 * @self: a #LersMeasurePoint
 * @title: (nullable): name operators see
 *
 * Since: 0.1
 */
void
lers_measure_point_set_title (LersMeasurePoint *self, const gchar *title)
{
  g_return_if_fail (LERS_IS_MEASURE_POINT (self));
  if (g_strcmp0 (self->title, title) == 0)
    return;
  g_free (self->title);
  self->title = g_strdup (title);
  g_object_notify_by_pspec (G_OBJECT (self), props[PROP_TITLE]);
}

/**
 * lers_measure_point_get_resource:
 * @self: a #LersMeasurePoint
 *
 * Returns:: what it meters
 *
 * Since: 0.1
 */
LersResource
lers_measure_point_get_resource (LersMeasurePoint *self)
{
  g_return_val_if_fail (LERS_IS_MEASURE_POINT (self), 0);
  return self->resource;
}

/**
 * lers_measure_point_set_resource:
 * @self: a #LersMeasurePoint
 * @resource:: what it meters
 *
 * Since: 0.1
 */
void
lers_measure_point_set_resource (LersMeasurePoint *self, LersResource resource)
{
  g_return_if_fail (LERS_IS_MEASURE_POINT (self));
  if (self->resource == resource)
    return;
  self->resource = resource;
  g_object_notify_by_pspec (G_OBJECT (self), props[PROP_RESOURCE]);
}

/**
 * lers_measure_point_get_device_id:
 * @self: a #LersMeasurePoint
 *
 * Returns:: the device it is read from; 0 for none
 *
 * Since: 0.1
 */
gint64
lers_measure_point_get_device_id (LersMeasurePoint *self)
{
  g_return_val_if_fail (LERS_IS_MEASURE_POINT (self), 0);
  return self->device_id;
}

/**
 * lers_measure_point_set_device_id:
 * @self: a #LersMeasurePoint
 * @device_id:: the device it is read from; 0 for none
 *
 * Since: 0.1
 */
void
lers_measure_point_set_device_id (LersMeasurePoint *self, gint64 device_id)
{
  g_return_if_fail (LERS_IS_MEASURE_POINT (self));
  if (self->device_id == device_id)
    return;
  self->device_id = device_id;
  g_object_notify_by_pspec (G_OBJECT (self), props[PROP_DEVICE_ID]);
}

/**
 * lers_measure_point_get_channel:
 * @self: a #LersMeasurePoint
 *
 * Returns:: channel (subunit, heat system) on the device
 *
 * Since: 0.1
 */
guint
lers_measure_point_get_channel (LersMeasurePoint *self)
{
  g_return_val_if_fail (LERS_IS_MEASURE_POINT (self), 0);
  return self->channel;
}

/**
 * lers_measure_point_set_channel:
 * @self: a #LersMeasurePoint
 * @channel:: channel (subunit, heat system) on the device
 *
 * Since: 0.1
 */
void
lers_measure_point_set_channel (LersMeasurePoint *self, guint channel)
{
  g_return_if_fail (LERS_IS_MEASURE_POINT (self));
  if (self->channel == channel)
    return;
  self->channel = channel;
  g_object_notify_by_pspec (G_OBJECT (self), props[PROP_CHANNEL]);
}

/**
 * lers_measure_point_get_poll_interval:
 * @self: a #LersMeasurePoint
 *
 * Returns:: seconds between scheduled reads; 0 reads only on demand
 *
 * Since: 0.1
 */
guint
lers_measure_point_get_poll_interval (LersMeasurePoint *self)
{
  g_return_val_if_fail (LERS_IS_MEASURE_POINT (self), 0);
  return self->poll_interval;
}

/**
 * lers_measure_point_set_poll_interval:
 * @self: a #LersMeasurePoint
 * @poll_interval:: seconds between scheduled reads; 0 reads only on demand
 *
 * Since: 0.1
 */
void
lers_measure_point_set_poll_interval (LersMeasurePoint *self, guint poll_interval)
{
  g_return_if_fail (LERS_IS_MEASURE_POINT (self));
  if (self->poll_interval == poll_interval)
    return;
  self->poll_interval = poll_interval;
  g_object_notify_by_pspec (G_OBJECT (self), props[PROP_POLL_INTERVAL]);
}

/**
 * lers_measure_point_get_poll_offset:
 * @self: a #LersMeasurePoint
 *
 * Returns:: seconds after each interval boundary to read at
 *
 * Since: 0.1
 */
guint
lers_measure_point_get_poll_offset (LersMeasurePoint *self)
{
  g_return_val_if_fail (LERS_IS_MEASURE_POINT (self), 0);
  return self->poll_offset;
}

/**
 * lers_measure_point_set_poll_offset:
 * @self: a #LersMeasurePoint
 * @poll_offset:: seconds after each interval boundary to read at
 *
 * Since: 0.1
 */
void
lers_measure_point_set_poll_offset (LersMeasurePoint *self, guint poll_offset)
{
  g_return_if_fail (LERS_IS_MEASURE_POINT (self));
  if (self->poll_offset == poll_offset)
    return;
  self->poll_offset = poll_offset;
  g_object_notify_by_pspec (G_OBJECT (self), props[PROP_POLL_OFFSET]);
}

/**
 * lers_measure_point_get_reporting_hour:
 * @self: a #LersMeasurePoint
 *
 * Returns: the local hour, 0–23, at which the point's day begins
 *
 * Since: 0.2
 */
guint
lers_measure_point_get_reporting_hour (LersMeasurePoint *self)
{
  g_return_val_if_fail (LERS_IS_MEASURE_POINT (self), 0);
  return self->reporting_hour;
}

/**
 * lers_measure_point_set_reporting_hour:
 * @self: a #LersMeasurePoint
 * @reporting_hour: the local hour, 0–23, at which the point's day begins
 *
 * Since: 0.2
 */
void
lers_measure_point_set_reporting_hour (LersMeasurePoint *self, guint reporting_hour)
{
  g_return_if_fail (LERS_IS_MEASURE_POINT (self));
  g_return_if_fail (reporting_hour <= 23);
  if (self->reporting_hour == reporting_hour)
    return;
  self->reporting_hour = reporting_hour;
  g_object_notify_by_pspec (G_OBJECT (self), props[PROP_REPORTING_HOUR]);
}

/**
 * lers_measure_point_get_reporting_day:
 * @self: a #LersMeasurePoint
 *
 * Returns: the day of the month, 1–28, on which the point's month begins
 *
 * Since: 0.2
 */
guint
lers_measure_point_get_reporting_day (LersMeasurePoint *self)
{
  g_return_val_if_fail (LERS_IS_MEASURE_POINT (self), 0);
  return self->reporting_day;
}

/**
 * lers_measure_point_set_reporting_day:
 * @self: a #LersMeasurePoint
 * @reporting_day: the day of the month, 1–28, on which the point's month begins
 *
 * Since: 0.2
 */
void
lers_measure_point_set_reporting_day (LersMeasurePoint *self, guint reporting_day)
{
  g_return_if_fail (LERS_IS_MEASURE_POINT (self));
  g_return_if_fail (reporting_day >= 1 && reporting_day <= 28);
  if (self->reporting_day == reporting_day)
    return;
  self->reporting_day = reporting_day;
  g_object_notify_by_pspec (G_OBJECT (self), props[PROP_REPORTING_DAY]);
}
