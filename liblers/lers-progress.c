/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "config.h"

#include "lers-progress.h"

/**
 * LersProgress:
 *
 * How far a long operation (a meter read, an import) has come: a fraction
 * from 0 to 1 and a message for people. Watch `notify::fraction` to show it.
 *
 * A progress can be split into weighted steps (after fwupd's FuProgress):
 * lers_progress_add_step() for each, lers_progress_get_child() for the
 * part that works on the current step (its fraction maps into the step's
 * share, its message becomes the parent's), lers_progress_step_done() to
 * move on. With steps 5, 85 and 10, a child at 0.5 in the second step puts
 * the parent at (5 + 0.5 × 85) / 100 = 0.475. Children can have steps of
 * their own. A progress without steps is set with
 * lers_progress_set_fraction().
 *
 * Since: 0.1
 */
typedef struct
{
  guint weight;
  gchar *message;
} LersProgressStep;

struct _LersProgress
{
  GObject parent_instance;
  gdouble fraction;
  gchar *message;
  GArray *steps;       /* of LersProgressStep */
  guint current;       /* the step being worked on; steps->len when all are done */
  guint weight_done;   /* of the steps before current */
  guint weight_total;  /* of all steps */
  LersProgress *child; /* of the current step, made on demand */
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

  if (self->child != NULL)
    g_signal_handlers_disconnect_by_data (self->child, self);
  g_clear_object (&self->child);
  g_array_unref (self->steps);
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
lers_progress_step_clear (gpointer data)
{
  LersProgressStep *step = data;
  g_free (step->message);
}

static void
lers_progress_init (LersProgress *self)
{
  self->steps = g_array_new (FALSE, TRUE, sizeof (LersProgressStep));
  g_array_set_clear_func (self->steps, lers_progress_step_clear);
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
 * On a progress with steps, this sets the whole progress's fraction;
 * steps are usually moved by their child and lers_progress_step_done().
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

static void
lers_progress_drop_child (LersProgress *self)
{
  if (self->child == NULL)
    return;
  g_signal_handlers_disconnect_by_data (self->child, self);
  g_clear_object (&self->child);
}

static void
lers_progress_child_fraction_cb (LersProgress *child, GParamSpec *pspec, gpointer user_data)
{
  LersProgress *self = user_data;
  LersProgressStep *step;

  if (self->current >= self->steps->len || self->weight_total == 0)
    return;
  step = &g_array_index (self->steps, LersProgressStep, self->current);
  lers_progress_set_fraction (self, (self->weight_done + step->weight * child->fraction)
                                        / (gdouble) self->weight_total);
}

static void
lers_progress_child_message_cb (LersProgress *child, GParamSpec *pspec, gpointer user_data)
{
  LersProgress *self = user_data;

  if (child->message != NULL)
    lers_progress_set_message (self, child->message);
}

/**
 * lers_progress_add_step:
 * @self: a #LersProgress
 * @weight: the step's share, relative to the other steps' weights
 * @message: (nullable): what the step does, for people; it becomes the
 *   progress's message while the step is worked on
 *
 * Adds a step at the end. The first step added becomes the current one.
 *
 * Since: 0.3
 */
void
lers_progress_add_step (LersProgress *self, guint weight, const gchar *message)
{
  LersProgressStep step = { weight, g_strdup (message) };

  g_return_if_fail (LERS_IS_PROGRESS (self));
  g_array_append_val (self->steps, step);
  self->weight_total += weight;
  if (self->steps->len == 1 && message != NULL)
    lers_progress_set_message (self, message);
}

/**
 * lers_progress_get_n_steps:
 * @self: a #LersProgress
 *
 * Returns: how many steps were added
 *
 * Since: 0.3
 */
guint
lers_progress_get_n_steps (LersProgress *self)
{
  g_return_val_if_fail (LERS_IS_PROGRESS (self), 0);
  return self->steps->len;
}

/**
 * lers_progress_get_child:
 * @self: a #LersProgress with steps
 *
 * The progress of the current step, for the code that does it (a driver
 * gets the poller's "reading the device" child). Its fraction maps into
 * the step's share of @self; its message, when set, becomes @self's. After
 * lers_progress_step_done() a new child stands for the next step, and the
 * old one no longer moves @self.
 *
 * Returns: (transfer none): the current step's child; with no step left, a
 *   child that moves nothing
 *
 * Since: 0.3
 */
LersProgress *
lers_progress_get_child (LersProgress *self)
{
  g_return_val_if_fail (LERS_IS_PROGRESS (self), NULL);
  if (self->child == NULL)
    {
      self->child = lers_progress_new ();
      g_signal_connect (self->child, "notify::fraction",
                        G_CALLBACK (lers_progress_child_fraction_cb), self);
      g_signal_connect (self->child, "notify::message", G_CALLBACK (lers_progress_child_message_cb),
                        self);
    }
  return self->child;
}

/**
 * lers_progress_step_done:
 * @self: a #LersProgress with steps
 *
 * Ends the current step: the fraction moves to the end of its share, and
 * the message becomes the next step's. After the last step the fraction
 * is 1. Calling it with no step left does nothing.
 *
 * Since: 0.3
 */
void
lers_progress_step_done (LersProgress *self)
{
  LersProgressStep *step;

  g_return_if_fail (LERS_IS_PROGRESS (self));
  if (self->current >= self->steps->len)
    return;
  lers_progress_drop_child (self);
  step = &g_array_index (self->steps, LersProgressStep, self->current);
  self->weight_done += step->weight;
  self->current++;
  if (self->current < self->steps->len)
    {
      const gchar *message = g_array_index (self->steps, LersProgressStep, self->current).message;
      if (message != NULL)
        lers_progress_set_message (self, message);
    }
  lers_progress_set_fraction (self, self->current == self->steps->len
                                        ? 1.0
                                        : self->weight_done / (gdouble) self->weight_total);
}

/**
 * lers_progress_reset:
 * @self: a #LersProgress
 *
 * Forgets the steps and the child, and puts the fraction back to 0 and the
 * message to none, for the next operation.
 *
 * Since: 0.3
 */
void
lers_progress_reset (LersProgress *self)
{
  g_return_if_fail (LERS_IS_PROGRESS (self));
  lers_progress_drop_child (self);
  g_array_set_size (self->steps, 0);
  self->current = 0;
  self->weight_done = 0;
  self->weight_total = 0;
  if (self->fraction != 0)
    {
      self->fraction = 0;
      g_object_notify_by_pspec (G_OBJECT (self), props[PROP_FRACTION]);
    }
  lers_progress_set_message (self, NULL);
}
