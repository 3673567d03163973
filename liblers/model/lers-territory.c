/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "config.h"

#include "model/lers-territory.h"

/**
 * LersTerritory:
 *
 * A territory (территория): a town, a district, a branch of the utility. It
 * groups nodes and says which time zone they keep: meter clocks, the times
 * the API and the CLI show, and where a day begins follow the zone of a
 * node's territory (or of the nearest parent that names one; the server's
 * zone when none does).
 *
 * Since: 0.2
 */
struct _LersTerritory
{
  GObject parent_instance;
  gint64 id;
  gchar *title;
  gint64 parent_id;
  gchar *time_zone;
};

G_DEFINE_TYPE (LersTerritory, lers_territory, G_TYPE_OBJECT)

enum
{
  PROP_0,
  PROP_ID,
  PROP_TITLE,
  PROP_PARENT_ID,
  PROP_TIME_ZONE,
  N_PROPS
};

static GParamSpec *props[N_PROPS];

static void
lers_territory_finalize (GObject *object)
{
  LersTerritory *self = LERS_TERRITORY (object);

  g_free (self->title);
  g_free (self->time_zone);

  G_OBJECT_CLASS (lers_territory_parent_class)->finalize (object);
}

static void
lers_territory_get_property (GObject *object, guint prop_id, GValue *value, GParamSpec *pspec)
{
  LersTerritory *self = LERS_TERRITORY (object);

  switch (prop_id)
    {
    case PROP_ID:
      g_value_set_int64 (value, self->id);
      break;
    case PROP_TITLE:
      g_value_set_string (value, self->title);
      break;
    case PROP_PARENT_ID:
      g_value_set_int64 (value, self->parent_id);
      break;
    case PROP_TIME_ZONE:
      g_value_set_string (value, self->time_zone);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
lers_territory_set_property (GObject *object, guint prop_id, const GValue *value, GParamSpec *pspec)
{
  LersTerritory *self = LERS_TERRITORY (object);

  switch (prop_id)
    {
    case PROP_ID:
      lers_territory_set_id (self, g_value_get_int64 (value));
      break;
    case PROP_TITLE:
      lers_territory_set_title (self, g_value_get_string (value));
      break;
    case PROP_PARENT_ID:
      lers_territory_set_parent_id (self, g_value_get_int64 (value));
      break;
    case PROP_TIME_ZONE:
      lers_territory_set_time_zone (self, g_value_get_string (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
lers_territory_class_init (LersTerritoryClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = lers_territory_finalize;
  object_class->get_property = lers_territory_get_property;
  object_class->set_property = lers_territory_set_property;

  /**
   * LersTerritory:id:
   *
   * Database id; 0 until stored.
   *
   * Since: 0.2
   */
  props[PROP_ID]
      = g_param_spec_int64 ("id", NULL, NULL, 0, G_MAXINT64, 0,
                            G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  /**
   * LersTerritory:title:
   *
   * Name operators see (`Владивосток`).
   *
   * Since: 0.2
   */
  props[PROP_TITLE]
      = g_param_spec_string ("title", NULL, NULL, NULL,
                             G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  /**
   * LersTerritory:parent-id:
   *
   * The territory this one lies in; 0 for none.
   *
   * Since: 0.2
   */
  props[PROP_PARENT_ID]
      = g_param_spec_int64 ("parent-id", NULL, NULL, 0, G_MAXINT64, 0,
                            G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  /**
   * LersTerritory:time-zone:
   *
   * IANA time zone (`Asia/Vladivostok`); %NULL or empty for the parent's
   * zone, or the server's when no parent names one. The store refuses a
   * name the system does not know (see lers_time_zone_new()).
   *
   * Since: 0.2
   */
  props[PROP_TIME_ZONE]
      = g_param_spec_string ("time-zone", NULL, NULL, NULL,
                             G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, props);
}

static void
lers_territory_init (LersTerritory *self)
{
}

/**
 * lers_territory_new:
 *
 * Returns: (transfer full): a new, unsaved #LersTerritory
 *
 * Since: 0.2
 */
LersTerritory *
lers_territory_new (void)
{
  return g_object_new (LERS_TYPE_TERRITORY, NULL);
}

/**
 * lers_territory_get_id:
 * @self: a #LersTerritory
 *
 * Returns: database id; 0 until stored
 *
 * Since: 0.2
 */
gint64
lers_territory_get_id (LersTerritory *self)
{
  g_return_val_if_fail (LERS_IS_TERRITORY (self), 0);
  return self->id;
}

/**
 * lers_territory_set_id:
 * @self: a #LersTerritory
 * @id: database id; 0 until stored
 *
 * Since: 0.2
 */
void
lers_territory_set_id (LersTerritory *self, gint64 id)
{
  g_return_if_fail (LERS_IS_TERRITORY (self));
  if (self->id == id)
    return;
  self->id = id;
  g_object_notify_by_pspec (G_OBJECT (self), props[PROP_ID]);
}

/**
 * lers_territory_get_title:
 * @self: a #LersTerritory
 *
 * Returns: (nullable): name operators see
 *
 * Since: 0.2
 */
const gchar *
lers_territory_get_title (LersTerritory *self)
{
  g_return_val_if_fail (LERS_IS_TERRITORY (self), NULL);
  return self->title;
}

/**
 * lers_territory_set_title:
 * @self: a #LersTerritory
 * @title: (nullable): name operators see
 *
 * Since: 0.2
 */
void
lers_territory_set_title (LersTerritory *self, const gchar *title)
{
  g_return_if_fail (LERS_IS_TERRITORY (self));
  if (g_strcmp0 (self->title, title) == 0)
    return;
  g_free (self->title);
  self->title = g_strdup (title);
  g_object_notify_by_pspec (G_OBJECT (self), props[PROP_TITLE]);
}

/**
 * lers_territory_get_parent_id:
 * @self: a #LersTerritory
 *
 * Returns: the territory this one lies in; 0 for none
 *
 * Since: 0.2
 */
gint64
lers_territory_get_parent_id (LersTerritory *self)
{
  g_return_val_if_fail (LERS_IS_TERRITORY (self), 0);
  return self->parent_id;
}

/**
 * lers_territory_set_parent_id:
 * @self: a #LersTerritory
 * @parent_id: the territory this one lies in; 0 for none
 *
 * Since: 0.2
 */
void
lers_territory_set_parent_id (LersTerritory *self, gint64 parent_id)
{
  g_return_if_fail (LERS_IS_TERRITORY (self));
  if (self->parent_id == parent_id)
    return;
  self->parent_id = parent_id;
  g_object_notify_by_pspec (G_OBJECT (self), props[PROP_PARENT_ID]);
}

/**
 * lers_territory_get_time_zone:
 * @self: a #LersTerritory
 *
 * Returns: (nullable): the IANA time zone; %NULL or empty for the parent's
 *   or the server's
 *
 * Since: 0.2
 */
const gchar *
lers_territory_get_time_zone (LersTerritory *self)
{
  g_return_val_if_fail (LERS_IS_TERRITORY (self), NULL);
  return self->time_zone;
}

/**
 * lers_territory_set_time_zone:
 * @self: a #LersTerritory
 * @time_zone: (nullable): an IANA time zone (`Asia/Vladivostok`); %NULL or
 *   empty for the parent's or the server's
 *
 * Since: 0.2
 */
void
lers_territory_set_time_zone (LersTerritory *self, const gchar *time_zone)
{
  g_return_if_fail (LERS_IS_TERRITORY (self));
  if (g_strcmp0 (self->time_zone, time_zone) == 0)
    return;
  g_free (self->time_zone);
  self->time_zone = g_strdup (time_zone);
  g_object_notify_by_pspec (G_OBJECT (self), props[PROP_TIME_ZONE]);
}
