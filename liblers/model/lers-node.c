/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "config.h"

#include "lers-enum-types.h"
#include "model/lers-node.h"

/**
 * LersNode:
 *
 * Объект учёта: a building, heat point or other site whose resources are metered.
 *
 * Since: 0.1
 */
struct _LersNode
{
  GObject parent_instance;
  gint64 id;
  gchar *title;
  gchar *address;
  gchar *number;
  LersNodeType node_type;
  gdouble latitude;
  gdouble longitude;
  gchar *customer;
  gchar *contract;
  gchar *temperature_schedule;
  gchar *comment;
  GStrv groups;
  gint64 territory_id;
};

G_DEFINE_TYPE (LersNode, lers_node, G_TYPE_OBJECT)

enum
{
  PROP_0,
  PROP_ID,
  PROP_TITLE,
  PROP_ADDRESS,
  PROP_NUMBER,
  PROP_NODE_TYPE,
  PROP_LATITUDE,
  PROP_LONGITUDE,
  PROP_CUSTOMER,
  PROP_CONTRACT,
  PROP_TEMPERATURE_SCHEDULE,
  PROP_COMMENT,
  PROP_GROUPS,
  PROP_TERRITORY_ID,
  N_PROPS
};

static GParamSpec *props[N_PROPS];

static void
lers_node_finalize (GObject *object)
{
  LersNode *self = LERS_NODE (object);

  g_free (self->title);
  g_free (self->address);
  g_free (self->number);
  g_free (self->customer);
  g_free (self->contract);
  g_free (self->temperature_schedule);
  g_free (self->comment);
  g_strfreev (self->groups);

  G_OBJECT_CLASS (lers_node_parent_class)->finalize (object);
}

static void
lers_node_get_property (GObject *object, guint prop_id, GValue *value, GParamSpec *pspec)
{
  LersNode *self = LERS_NODE (object);

  switch (prop_id)
    {
    case PROP_ID:
      g_value_set_int64 (value, self->id);
      break;
    case PROP_TITLE:
      g_value_set_string (value, self->title);
      break;
    case PROP_ADDRESS:
      g_value_set_string (value, self->address);
      break;
    case PROP_NUMBER:
      g_value_set_string (value, self->number);
      break;
    case PROP_NODE_TYPE:
      g_value_set_enum (value, self->node_type);
      break;
    case PROP_LATITUDE:
      g_value_set_double (value, self->latitude);
      break;
    case PROP_LONGITUDE:
      g_value_set_double (value, self->longitude);
      break;
    case PROP_CUSTOMER:
      g_value_set_string (value, self->customer);
      break;
    case PROP_CONTRACT:
      g_value_set_string (value, self->contract);
      break;
    case PROP_TEMPERATURE_SCHEDULE:
      g_value_set_string (value, self->temperature_schedule);
      break;
    case PROP_COMMENT:
      g_value_set_string (value, self->comment);
      break;
    case PROP_GROUPS:
      g_value_set_boxed (value, self->groups);
      break;
    case PROP_TERRITORY_ID:
      g_value_set_int64 (value, self->territory_id);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
lers_node_set_property (GObject *object, guint prop_id, const GValue *value, GParamSpec *pspec)
{
  LersNode *self = LERS_NODE (object);

  switch (prop_id)
    {
    case PROP_ID:
      lers_node_set_id (self, g_value_get_int64 (value));
      break;
    case PROP_TITLE:
      lers_node_set_title (self, g_value_get_string (value));
      break;
    case PROP_ADDRESS:
      lers_node_set_address (self, g_value_get_string (value));
      break;
    case PROP_NUMBER:
      lers_node_set_number (self, g_value_get_string (value));
      break;
    case PROP_NODE_TYPE:
      lers_node_set_node_type (self, g_value_get_enum (value));
      break;
    case PROP_LATITUDE:
      lers_node_set_latitude (self, g_value_get_double (value));
      break;
    case PROP_LONGITUDE:
      lers_node_set_longitude (self, g_value_get_double (value));
      break;
    case PROP_CUSTOMER:
      lers_node_set_customer (self, g_value_get_string (value));
      break;
    case PROP_CONTRACT:
      lers_node_set_contract (self, g_value_get_string (value));
      break;
    case PROP_TEMPERATURE_SCHEDULE:
      lers_node_set_temperature_schedule (self, g_value_get_string (value));
      break;
    case PROP_COMMENT:
      lers_node_set_comment (self, g_value_get_string (value));
      break;
    case PROP_GROUPS:
      lers_node_set_groups (self, g_value_get_boxed (value));
      break;
    case PROP_TERRITORY_ID:
      lers_node_set_territory_id (self, g_value_get_int64 (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
lers_node_class_init (LersNodeClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = lers_node_finalize;
  object_class->get_property = lers_node_get_property;
  object_class->set_property = lers_node_set_property;

  /**
   * LersNode:id:
   *
   * Database id; 0 until stored.
   *
   * Since: 0.1
   */
  props[PROP_ID]
      = g_param_spec_int64 ("id", NULL, NULL, 0, G_MAXINT64, 0,
                            G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  /**
   * LersNode:title:
   *
   * Name operators see.
   *
   * Since: 0.1
   */
  props[PROP_TITLE]
      = g_param_spec_string ("title", NULL, NULL, NULL,
                             G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  /**
   * LersNode:address:
   *
   * Postal address.
   *
   * Since: 0.1
   */
  props[PROP_ADDRESS]
      = g_param_spec_string ("address", NULL, NULL, NULL,
                             G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  /**
   * LersNode:number:
   *
   * Operator's number of the node.
   *
   * Since: 0.1
   */
  props[PROP_NUMBER]
      = g_param_spec_string ("number", NULL, NULL, NULL,
                             G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  /**
   * LersNode:node-type:
   *
   * What kind of site it is.
   *
   * Since: 0.1
   */
  props[PROP_NODE_TYPE]
      = g_param_spec_enum ("node-type", NULL, NULL, LERS_TYPE_NODE_TYPE, LERS_NODE_TYPE_NODE,
                           G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  /**
   * LersNode:latitude:
   *
   * Latitude, degrees (WGS 84).
   *
   * Since: 0.1
   */
  props[PROP_LATITUDE]
      = g_param_spec_double ("latitude", NULL, NULL, -90, 90, 0,
                             G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  /**
   * LersNode:longitude:
   *
   * Longitude, degrees (WGS 84).
   *
   * Since: 0.1
   */
  props[PROP_LONGITUDE]
      = g_param_spec_double ("longitude", NULL, NULL, -180, 180, 0,
                             G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  /**
   * LersNode:customer:
   *
   * Customer (абонент).
   *
   * Since: 0.1
   */
  props[PROP_CUSTOMER]
      = g_param_spec_string ("customer", NULL, NULL, NULL,
                             G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  /**
   * LersNode:contract:
   *
   * Supply contract number.
   *
   * Since: 0.1
   */
  props[PROP_CONTRACT]
      = g_param_spec_string ("contract", NULL, NULL, NULL,
                             G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  /**
   * LersNode:temperature-schedule:
   *
   * Name of the heating temperature schedule.
   *
   * Since: 0.1
   */
  props[PROP_TEMPERATURE_SCHEDULE]
      = g_param_spec_string ("temperature-schedule", NULL, NULL, NULL,
                             G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  /**
   * LersNode:comment:
   *
   * Free text.
   *
   * Since: 0.1
   */
  props[PROP_COMMENT]
      = g_param_spec_string ("comment", NULL, NULL, NULL,
                             G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  /**
   * LersNode:groups:
   *
   * Node groups it belongs to.
   *
   * Since: 0.1
   */
  props[PROP_GROUPS]
      = g_param_spec_boxed ("groups", NULL, NULL, G_TYPE_STRV,
                            G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  /**
   * LersNode:territory-id:
   *
   * The territory the node lies in; its time zone is the node's.
   * 0 for none: the node keeps the server's zone.
   *
   * Since: 0.2
   */
  props[PROP_TERRITORY_ID]
      = g_param_spec_int64 ("territory-id", NULL, NULL, 0, G_MAXINT64, 0,
                            G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, props);
}

static void
lers_node_init (LersNode *self)
{
}

/**
 * lers_node_new:
 *
 * Returns: (transfer full): a new, unsaved #LersNode
 *
 * Since: 0.1
 */
LersNode *
lers_node_new (void)
{
  return g_object_new (LERS_TYPE_NODE, NULL);
}

/**
 * lers_node_get_id:
 * @self: a #LersNode
 *
 * Returns:: database id; 0 until stored
 *
 * Since: 0.1
 */
gint64
lers_node_get_id (LersNode *self)
{
  g_return_val_if_fail (LERS_IS_NODE (self), 0);
  return self->id;
}

/**
 * lers_node_set_id:
 * @self: a #LersNode
 * @id:: database id; 0 until stored
 *
 * Since: 0.1
 */
void
lers_node_set_id (LersNode *self, gint64 id)
{
  g_return_if_fail (LERS_IS_NODE (self));
  if (self->id == id)
    return;
  self->id = id;
  g_object_notify_by_pspec (G_OBJECT (self), props[PROP_ID]);
}

/**
 * lers_node_get_title:
 * @self: a #LersNode
 *
 * Returns: (nullable): name operators see
 *
 * Since: 0.1
 */
const gchar *
lers_node_get_title (LersNode *self)
{
  g_return_val_if_fail (LERS_IS_NODE (self), NULL);
  return self->title;
}

/**
 * lers_node_set_title:
 * @self: a #LersNode
 * @title: (nullable): name operators see
 *
 * Since: 0.1
 */
void
lers_node_set_title (LersNode *self, const gchar *title)
{
  g_return_if_fail (LERS_IS_NODE (self));
  if (g_strcmp0 (self->title, title) == 0)
    return;
  g_free (self->title);
  self->title = g_strdup (title);
  g_object_notify_by_pspec (G_OBJECT (self), props[PROP_TITLE]);
}

/**
 * lers_node_get_address:
 * @self: a #LersNode
 *
 * Returns: (nullable): postal address
 *
 * Since: 0.1
 */
const gchar *
lers_node_get_address (LersNode *self)
{
  g_return_val_if_fail (LERS_IS_NODE (self), NULL);
  return self->address;
}

/**
 * lers_node_set_address:
 * @self: a #LersNode
 * @address: (nullable): postal address
 *
 * Since: 0.1
 */
void
lers_node_set_address (LersNode *self, const gchar *address)
{
  g_return_if_fail (LERS_IS_NODE (self));
  if (g_strcmp0 (self->address, address) == 0)
    return;
  g_free (self->address);
  self->address = g_strdup (address);
  g_object_notify_by_pspec (G_OBJECT (self), props[PROP_ADDRESS]);
}

/**
 * lers_node_get_number:
 * @self: a #LersNode
 *
 * Returns: (nullable): operator's number of the node
 *
 * Since: 0.1
 */
const gchar *
lers_node_get_number (LersNode *self)
{
  g_return_val_if_fail (LERS_IS_NODE (self), NULL);
  return self->number;
}

/**
 * lers_node_set_number:
 * @self: a #LersNode
 * @number: (nullable): operator's number of the node
 *
 * Since: 0.1
 */
void
lers_node_set_number (LersNode *self, const gchar *number)
{
  g_return_if_fail (LERS_IS_NODE (self));
  if (g_strcmp0 (self->number, number) == 0)
    return;
  g_free (self->number);
  self->number = g_strdup (number);
  g_object_notify_by_pspec (G_OBJECT (self), props[PROP_NUMBER]);
}

/**
 * lers_node_get_node_type:
 * @self: a #LersNode
 *
 * Returns:: what kind of site it is
 *
 * Since: 0.1
 */
LersNodeType
lers_node_get_node_type (LersNode *self)
{
  g_return_val_if_fail (LERS_IS_NODE (self), 0);
  return self->node_type;
}

/**
 * lers_node_set_node_type:
 * @self: a #LersNode
 * @node_type:: what kind of site it is
 *
 * Since: 0.1
 */
void
lers_node_set_node_type (LersNode *self, LersNodeType node_type)
{
  g_return_if_fail (LERS_IS_NODE (self));
  if (self->node_type == node_type)
    return;
  self->node_type = node_type;
  g_object_notify_by_pspec (G_OBJECT (self), props[PROP_NODE_TYPE]);
}

/**
 * lers_node_get_latitude:
 * @self: a #LersNode
 *
 * Returns:: latitude, degrees (WGS 84)
 *
 * Since: 0.1
 */
gdouble
lers_node_get_latitude (LersNode *self)
{
  g_return_val_if_fail (LERS_IS_NODE (self), 0);
  return self->latitude;
}

/**
 * lers_node_set_latitude:
 * @self: a #LersNode
 * @latitude:: latitude, degrees (WGS 84)
 *
 * Since: 0.1
 */
void
lers_node_set_latitude (LersNode *self, gdouble latitude)
{
  g_return_if_fail (LERS_IS_NODE (self));
  if (self->latitude == latitude)
    return;
  self->latitude = latitude;
  g_object_notify_by_pspec (G_OBJECT (self), props[PROP_LATITUDE]);
}

/**
 * lers_node_get_longitude:
 * @self: a #LersNode
 *
 * Returns:: longitude, degrees (WGS 84)
 *
 * Since: 0.1
 */
gdouble
lers_node_get_longitude (LersNode *self)
{
  g_return_val_if_fail (LERS_IS_NODE (self), 0);
  return self->longitude;
}

/**
 * lers_node_set_longitude:
 * @self: a #LersNode
 * @longitude:: longitude, degrees (WGS 84)
 *
 * Since: 0.1
 */
void
lers_node_set_longitude (LersNode *self, gdouble longitude)
{
  g_return_if_fail (LERS_IS_NODE (self));
  if (self->longitude == longitude)
    return;
  self->longitude = longitude;
  g_object_notify_by_pspec (G_OBJECT (self), props[PROP_LONGITUDE]);
}

/**
 * lers_node_get_customer:
 * @self: a #LersNode
 *
 * Returns: (nullable): customer (абонент)
 *
 * Since: 0.1
 */
const gchar *
lers_node_get_customer (LersNode *self)
{
  g_return_val_if_fail (LERS_IS_NODE (self), NULL);
  return self->customer;
}

/**
 * lers_node_set_customer:
 * @self: a #LersNode
 * @customer: (nullable): customer (абонент)
 *
 * Since: 0.1
 */
void
lers_node_set_customer (LersNode *self, const gchar *customer)
{
  g_return_if_fail (LERS_IS_NODE (self));
  if (g_strcmp0 (self->customer, customer) == 0)
    return;
  g_free (self->customer);
  self->customer = g_strdup (customer);
  g_object_notify_by_pspec (G_OBJECT (self), props[PROP_CUSTOMER]);
}

/**
 * lers_node_get_contract:
 * @self: a #LersNode
 *
 * Returns: (nullable): supply contract number
 *
 * Since: 0.1
 */
const gchar *
lers_node_get_contract (LersNode *self)
{
  g_return_val_if_fail (LERS_IS_NODE (self), NULL);
  return self->contract;
}

/**
 * lers_node_set_contract:
 * @self: a #LersNode
 * @contract: (nullable): supply contract number
 *
 * Since: 0.1
 */
void
lers_node_set_contract (LersNode *self, const gchar *contract)
{
  g_return_if_fail (LERS_IS_NODE (self));
  if (g_strcmp0 (self->contract, contract) == 0)
    return;
  g_free (self->contract);
  self->contract = g_strdup (contract);
  g_object_notify_by_pspec (G_OBJECT (self), props[PROP_CONTRACT]);
}

/**
 * lers_node_get_temperature_schedule:
 * @self: a #LersNode
 *
 * Returns: (nullable): name of the heating temperature schedule
 *
 * Since: 0.1
 */
const gchar *
lers_node_get_temperature_schedule (LersNode *self)
{
  g_return_val_if_fail (LERS_IS_NODE (self), NULL);
  return self->temperature_schedule;
}

/**
 * lers_node_set_temperature_schedule:
 * @self: a #LersNode
 * @temperature_schedule: (nullable): name of the heating temperature schedule
 *
 * Since: 0.1
 */
void
lers_node_set_temperature_schedule (LersNode *self, const gchar *temperature_schedule)
{
  g_return_if_fail (LERS_IS_NODE (self));
  if (g_strcmp0 (self->temperature_schedule, temperature_schedule) == 0)
    return;
  g_free (self->temperature_schedule);
  self->temperature_schedule = g_strdup (temperature_schedule);
  g_object_notify_by_pspec (G_OBJECT (self), props[PROP_TEMPERATURE_SCHEDULE]);
}

/**
 * lers_node_get_comment:
 * @self: a #LersNode
 *
 * Returns: (nullable): free text
 *
 * Since: 0.1
 */
const gchar *
lers_node_get_comment (LersNode *self)
{
  g_return_val_if_fail (LERS_IS_NODE (self), NULL);
  return self->comment;
}

/**
 * lers_node_set_comment:
 * @self: a #LersNode
 * @comment: (nullable): free text
 *
 * Since: 0.1
 */
void
lers_node_set_comment (LersNode *self, const gchar *comment)
{
  g_return_if_fail (LERS_IS_NODE (self));
  if (g_strcmp0 (self->comment, comment) == 0)
    return;
  g_free (self->comment);
  self->comment = g_strdup (comment);
  g_object_notify_by_pspec (G_OBJECT (self), props[PROP_COMMENT]);
}

/**
 * lers_node_get_groups:
 * @self: a #LersNode
 *
 * Returns: (nullable) (transfer none) (array zero-terminated=1): node groups it belongs to
 *
 * Since: 0.1
 */
const gchar *const *
lers_node_get_groups (LersNode *self)
{
  g_return_val_if_fail (LERS_IS_NODE (self), NULL);
  return (const gchar *const *) self->groups;
}

/**
 * lers_node_set_groups:
 * @self: a #LersNode
 * @groups: (nullable) (array zero-terminated=1): node groups it belongs to
 *
 * Since: 0.1
 */
void
lers_node_set_groups (LersNode *self, const gchar *const *groups)
{
  g_return_if_fail (LERS_IS_NODE (self));
  if (self->groups != NULL && groups != NULL
      && g_strv_equal ((const gchar *const *) self->groups, groups))
    return;
  g_strfreev (self->groups);
  self->groups = g_strdupv ((gchar **) groups);
  g_object_notify_by_pspec (G_OBJECT (self), props[PROP_GROUPS]);
}

/**
 * lers_node_get_territory_id:
 * @self: a #LersNode
 *
 * Returns: the territory (its time zone); 0 for none: the server's zone
 *
 * Since: 0.2
 */
gint64
lers_node_get_territory_id (LersNode *self)
{
  g_return_val_if_fail (LERS_IS_NODE (self), 0);
  return self->territory_id;
}

/**
 * lers_node_set_territory_id:
 * @self: a #LersNode
 * @territory_id: the territory (its time zone); 0 for none: the server's zone
 *
 * Since: 0.2
 */
void
lers_node_set_territory_id (LersNode *self, gint64 territory_id)
{
  g_return_if_fail (LERS_IS_NODE (self));
  if (self->territory_id == territory_id)
    return;
  self->territory_id = territory_id;
  g_object_notify_by_pspec (G_OBJECT (self), props[PROP_TERRITORY_ID]);
}
