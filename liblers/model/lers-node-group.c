/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "config.h"
#include "model/lers-node-group.h"

/**
 * LersNodeGroup:
 *
 * A node group (группа объектов; table `node_groups`). Its nodes are those
 * whose [property@Lers.Node:groups] name its title; a group can be assigned
 * to users (see [class@Lers.Accounts]). Registered with the generic store.
 *
 * Since: 0.5
 */
struct _LersNodeGroup
{
  GObject parent_instance;
  gint64 id;
  gchar *title;
  gchar *comment;
};

G_DEFINE_TYPE (LersNodeGroup, lers_node_group, G_TYPE_OBJECT)

enum
{
  PROP_0,
  PROP_ID,
  PROP_TITLE,
  PROP_COMMENT,
  N_PROPS
};

static GParamSpec *props[N_PROPS];

static void
lers_node_group_finalize (GObject *object)
{
  LersNodeGroup *self = LERS_NODE_GROUP (object);

  g_free (self->title);
  g_free (self->comment);

  G_OBJECT_CLASS (lers_node_group_parent_class)->finalize (object);
}

static void
lers_node_group_get_property (GObject *object, guint prop_id, GValue *value, GParamSpec *pspec)
{
  LersNodeGroup *self = LERS_NODE_GROUP (object);

  switch (prop_id)
    {
    case PROP_ID:
      g_value_set_int64 (value, self->id);
      break;
    case PROP_TITLE:
      g_value_set_string (value, self->title);
      break;
    case PROP_COMMENT:
      g_value_set_string (value, self->comment);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
lers_node_group_set_property (GObject *object, guint prop_id, const GValue *value,
                              GParamSpec *pspec)
{
  LersNodeGroup *self = LERS_NODE_GROUP (object);

  switch (prop_id)
    {
    case PROP_ID:
      lers_node_group_set_id (self, g_value_get_int64 (value));
      break;
    case PROP_TITLE:
      lers_node_group_set_title (self, g_value_get_string (value));
      break;
    case PROP_COMMENT:
      lers_node_group_set_comment (self, g_value_get_string (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
lers_node_group_class_init (LersNodeGroupClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = lers_node_group_finalize;
  object_class->get_property = lers_node_group_get_property;
  object_class->set_property = lers_node_group_set_property;

  /**
   * LersNodeGroup:id:
   *
   * Database id; 0 until stored.
   *
   * Since: 0.5
   */
  props[PROP_ID]
      = g_param_spec_int64 ("id", NULL, NULL, 0, G_MAXINT64, 0,
                            G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  /**
   * LersNodeGroup:title:
   *
   * The group's name, unique and not empty (`Школы`).
   *
   * Since: 0.5
   */
  props[PROP_TITLE]
      = g_param_spec_string ("title", NULL, NULL, NULL,
                             G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  /**
   * LersNodeGroup:comment:
   *
   * Free text; %NULL for none.
   *
   * Since: 0.5
   */
  props[PROP_COMMENT]
      = g_param_spec_string ("comment", NULL, NULL, NULL,
                             G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, props);
}

static void
lers_node_group_init (LersNodeGroup *self)
{
}

/**
 * lers_node_group_new:
 *
 * Returns: (transfer full): a new, unsaved #LersNodeGroup
 *
 * Since: 0.5
 */
LersNodeGroup *
lers_node_group_new (void)
{
  return g_object_new (LERS_TYPE_NODE_GROUP, NULL);
}

/**
 * lers_node_group_get_id:
 * @self: a #LersNodeGroup
 *
 * Gets #LersNodeGroup:id.
 *
 * Returns: database id; 0 until stored.
 *
 * Since: 0.5
 */
gint64
lers_node_group_get_id (LersNodeGroup *self)
{
  g_return_val_if_fail (LERS_IS_NODE_GROUP (self), 0);
  return self->id;
}

/**
 * lers_node_group_set_id:
 * @self: a #LersNodeGroup
 * @id: the new value
 *
 * Sets #LersNodeGroup:id.
 *
 * Since: 0.5
 */
void
lers_node_group_set_id (LersNodeGroup *self, gint64 id)
{
  g_return_if_fail (LERS_IS_NODE_GROUP (self));
  if (self->id == id)
    return;
  self->id = id;
  g_object_notify_by_pspec (G_OBJECT (self), props[PROP_ID]);
}

/**
 * lers_node_group_get_title:
 * @self: a #LersNodeGroup
 *
 * Gets #LersNodeGroup:title.
 *
 * Returns: (nullable): the group's name, unique and not empty (`Школы`).
 *
 * Since: 0.5
 */
const gchar *
lers_node_group_get_title (LersNodeGroup *self)
{
  g_return_val_if_fail (LERS_IS_NODE_GROUP (self), NULL);
  return self->title;
}

/**
 * lers_node_group_set_title:
 * @self: a #LersNodeGroup
 * @title: (nullable): the new value
 *
 * Sets #LersNodeGroup:title.
 *
 * Since: 0.5
 */
void
lers_node_group_set_title (LersNodeGroup *self, const gchar *title)
{
  g_return_if_fail (LERS_IS_NODE_GROUP (self));
  if (g_strcmp0 (self->title, title) == 0)
    return;
  g_free (self->title);
  self->title = g_strdup (title);
  g_object_notify_by_pspec (G_OBJECT (self), props[PROP_TITLE]);
}

/**
 * lers_node_group_get_comment:
 * @self: a #LersNodeGroup
 *
 * Gets #LersNodeGroup:comment.
 *
 * Returns: (nullable): free text; %NULL for none.
 *
 * Since: 0.5
 */
const gchar *
lers_node_group_get_comment (LersNodeGroup *self)
{
  g_return_val_if_fail (LERS_IS_NODE_GROUP (self), NULL);
  return self->comment;
}

/**
 * lers_node_group_set_comment:
 * @self: a #LersNodeGroup
 * @comment: (nullable): the new value
 *
 * Sets #LersNodeGroup:comment.
 *
 * Since: 0.5
 */
void
lers_node_group_set_comment (LersNodeGroup *self, const gchar *comment)
{
  g_return_if_fail (LERS_IS_NODE_GROUP (self));
  if (g_strcmp0 (self->comment, comment) == 0)
    return;
  g_free (self->comment);
  self->comment = g_strdup (comment);
  g_object_notify_by_pspec (G_OBJECT (self), props[PROP_COMMENT]);
}
