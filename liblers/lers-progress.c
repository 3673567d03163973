/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "config.h"

#include "lers-progress.h"

/**
 * LersProgress:
 *
 * How far a long operation (a meter read, an import) has come: a fraction
 * from 0 to 1 and a message for people. Watch `notify::fraction` to show it.
 *
 * Since: 0.1
 */
struct _LersProgress
{
  GObject parent_instance;
  gdouble fraction;
  gchar *message;
};

G_DEFINE_TYPE (LersProgress, lers_progress, G_TYPE_OBJECT)

enum
{
  PROP_0,
  PROP_FRACTION,
  PROP_MESSAGE,
  N_PROPS
};
static GParamSpec *props[N_PROPS];

static void
lers_progress_finalize (GObject *object)
{
  LersProgress *self = LERS_PROGRESS (object);
  g_free (self->message);
  G_OBJECT_CLASS (lers_progress_parent_class)->finalize (object);
}

static void
lers_progress_get_property (GObject *object, guint prop_id, GValue *value, GParamSpec *pspec)
{
  LersProgress *self = LERS_PROGRESS (object);
  switch (prop_id)
    {
    case PROP_FRACTION:
      g_value_set_double (value, self->fraction);
      break;
    case PROP_MESSAGE:
      g_value_set_string (value, self->message);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
lers_progress_set_property (GObject *object, guint prop_id, const GValue *value, GParamSpec *pspec)
{
  LersProgress *self = LERS_PROGRESS (object);
  switch (prop_id)
    {
    case PROP_FRACTION:
      lers_progress_set_fraction (self, g_value_get_double (value));
      break;
    case PROP_MESSAGE:
      lers_progress_set_message (self, g_value_get_string (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
lers_progress_class_init (LersProgressClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = lers_progress_finalize;
  object_class->get_property = lers_progress_get_property;
  object_class->set_property = lers_progress_set_property;

  /**
   * LersProgress:fraction:
   *
   * Done so far, from 0 to 1.
   *
   * Since: 0.1
   */
  props[PROP_FRACTION]
      = g_param_spec_double ("fraction", NULL, NULL, 0, 1, 0,
                             G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  /**
   * LersProgress:message:
   *
   * What is being done now, for people.
   *
   * Since: 0.1
   */
  props[PROP_MESSAGE]
      = g_param_spec_string ("message", NULL, NULL, NULL,
                             G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, props);
}

static void
lers_progress_init (LersProgress *self)
{
}

/**
 * lers_progress_new:
 *
 * Returns: (transfer full): a progress at 0
 *
 * Since: 0.1
 */
LersProgress *
lers_progress_new (void)
{
  return g_object_new (LERS_TYPE_PROGRESS, NULL);
}

/**
 * lers_progress_get_fraction:
 * @self: a #LersProgress
 *
 * Returns: done so far, from 0 to 1
 *
 * Since: 0.1
 */
gdouble
lers_progress_get_fraction (LersProgress *self)
{
  g_return_val_if_fail (LERS_IS_PROGRESS (self), 0);
  return self->fraction;
}

/**
 * lers_progress_set_fraction:
 * @self: a #LersProgress
 * @fraction: done so far; clamped to 0..1
 *
 * Since: 0.1
 */
void
lers_progress_set_fraction (LersProgress *self, gdouble fraction)
{
  g_return_if_fail (LERS_IS_PROGRESS (self));
  fraction = CLAMP (fraction, 0.0, 1.0);
  if (fraction == self->fraction)
    return;
  self->fraction = fraction;
  g_object_notify_by_pspec (G_OBJECT (self), props[PROP_FRACTION]);
}

/**
 * lers_progress_get_message:
 * @self: a #LersProgress
 *
 * Returns: (nullable): what is being done now
 *
 * Since: 0.1
 */
const gchar *
lers_progress_get_message (LersProgress *self)
{
  g_return_val_if_fail (LERS_IS_PROGRESS (self), NULL);
  return self->message;
}

/**
 * lers_progress_set_message:
 * @self: a #LersProgress
 * @message: (nullable): what is being done now
 *
 * Since: 0.1
 */
void
lers_progress_set_message (LersProgress *self, const gchar *message)
{
  g_return_if_fail (LERS_IS_PROGRESS (self));
  if (g_strcmp0 (self->message, message) == 0)
    return;
  g_free (self->message);
  self->message = g_strdup (message);
  g_object_notify_by_pspec (G_OBJECT (self), props[PROP_MESSAGE]);
}
