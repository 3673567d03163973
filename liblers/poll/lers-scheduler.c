/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "config.h"

#include <glib/gi18n-lib.h>

#include "lers-error.h"
#include "poll/lers-poller.h"
#include "poll/lers-scheduler.h"

/**
 * LersScheduler:
 *
 * Reads every measure point that has a #LersMeasurePoint:poll-interval on
 * its schedule: at each multiple of the interval (counted from midnight UTC)
 * plus #LersMeasurePoint:poll-offset. A point never read since the scheduler
 * started is read at once, so a restarted daemon catches up. A failed read is
 * tried again after a minute. At most #LersScheduler:max-parallel reads run
 * at once; the list of points is refreshed every 30 seconds.
 *
 * It works in the thread-default main context of the thread that starts it
 * and never blocks it.
 *
 * Since: 0.1
 */
struct _LersScheduler
{
  GObject parent_instance;
  LersStore *store;
  LersEngine *engine;
  LersPoller *poller;
  GCancellable *cancellable;
  GHashTable *due;      /* point id → gint64 unix time the next read is due */
  GHashTable *running;  /* point ids being read */
  GHashTable *interval; /* point id → (interval << 32 | offset) */
  guint max_parallel;
  GSource *tick;
  gint64 next_refresh;
  gboolean refreshing;
};

G_DEFINE_TYPE (LersScheduler, lers_scheduler, G_TYPE_OBJECT)

enum
{
  PROP_0,
  PROP_MAX_PARALLEL,
  N_PROPS
};
static GParamSpec *props[N_PROPS];

enum
{
  SIGNAL_POINT_READ,
  N_SIGNALS
};
static guint signals[N_SIGNALS];

#define LERS_SCHEDULER_REFRESH_SECONDS 30
#define LERS_SCHEDULER_RETRY_SECONDS 60

static void
lers_scheduler_finalize (GObject *object)
{
  LersScheduler *self = LERS_SCHEDULER (object);

  lers_scheduler_stop (self);
  g_hash_table_unref (self->due);
  g_hash_table_unref (self->running);
  g_hash_table_unref (self->interval);
  g_clear_object (&self->poller);
  g_clear_object (&self->store);
  g_clear_object (&self->engine);
  G_OBJECT_CLASS (lers_scheduler_parent_class)->finalize (object);
}

static void
lers_scheduler_get_property (GObject *object, guint prop_id, GValue *value, GParamSpec *pspec)
{
  LersScheduler *self = LERS_SCHEDULER (object);

  switch (prop_id)
    {
    case PROP_MAX_PARALLEL:
      g_value_set_uint (value, self->max_parallel);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
lers_scheduler_set_property (GObject *object, guint prop_id, const GValue *value, GParamSpec *pspec)
{
  LersScheduler *self = LERS_SCHEDULER (object);

  switch (prop_id)
    {
    case PROP_MAX_PARALLEL:
      lers_scheduler_set_max_parallel (self, g_value_get_uint (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
lers_scheduler_class_init (LersSchedulerClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = lers_scheduler_finalize;
  object_class->get_property = lers_scheduler_get_property;
  object_class->set_property = lers_scheduler_set_property;

  /**
   * LersScheduler:max-parallel:
   *
   * How many points are read at once.
   *
   * Since: 0.1
   */
  props[PROP_MAX_PARALLEL]
      = g_param_spec_uint ("max-parallel", NULL, NULL, 1, 10000, 16,
                           G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, props);

  /**
   * LersScheduler::point-read:
   * @self: the scheduler
   * @point_id: the point
   * @n_records: records stored, or -1 if the read failed
   * @error_message: (nullable): why it failed
   *
   * Emitted after each scheduled read.
   *
   * Since: 0.1
   */
  signals[SIGNAL_POINT_READ]
      = g_signal_new ("point-read", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL,
                      NULL, G_TYPE_NONE, 3, G_TYPE_INT64, G_TYPE_INT, G_TYPE_STRING);
}

static void
lers_scheduler_init (LersScheduler *self)
{
  self->due = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, g_free);
  self->running = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, NULL);
  self->interval = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, g_free);
  self->max_parallel = 16;
}

/**
 * lers_scheduler_new:
 * @store: the store points are listed from and archives written to
 * @engine: where device drivers come from
 *
 * Returns: (transfer full): a scheduler, not yet started
 *
 * Since: 0.1
 */
LersScheduler *
lers_scheduler_new (LersStore *store, LersEngine *engine)
{
  LersScheduler *self;

  g_return_val_if_fail (LERS_IS_STORE (store), NULL);
  g_return_val_if_fail (LERS_IS_ENGINE (engine), NULL);
  self = g_object_new (LERS_TYPE_SCHEDULER, NULL);
  self->store = g_object_ref (store);
  self->engine = g_object_ref (engine);
  self->poller = lers_poller_new (store, engine);
  return self;
}

static gint64 *
lers_int64_dup (gint64 v)
{
  return g_memdup2 (&v, sizeof (v));
}

static gint64
lers_scheduler_next_due (guint interval, guint offset, gint64 now)
{
  gint64 slot = ((now - offset) / interval + 1) * interval + offset;
  return slot > now ? slot : slot + interval;
}

typedef struct
{
  LersScheduler *self;
  gint64 point_id;
} LersSchedulerRead;

static void
lers_scheduler_read_cb (GObject *source, GAsyncResult *result, gpointer user_data)
{
  LersSchedulerRead *read = user_data;
  LersScheduler *self = read->self;
  g_autoptr (GError) error = NULL;
  gint64 now = g_get_real_time () / G_USEC_PER_SEC;
  gint n = lers_poller_read_point_finish (LERS_POLLER (source), result, &error);
  guint64 *iv;

  g_hash_table_remove (self->running, &read->point_id);
  if (g_error_matches (error, LERS_ERROR, LERS_ERROR_CANCELLED)
      || g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    {
      g_object_unref (self);
      g_free (read);
      return;
    }
  iv = g_hash_table_lookup (self->interval, &read->point_id);
  if (error != NULL)
    {
      g_warning ("%s", error->message);
      /* unless the point was deleted meanwhile */
      if (iv != NULL)
        g_hash_table_insert (self->due, lers_int64_dup (read->point_id),
                             lers_int64_dup (now + LERS_SCHEDULER_RETRY_SECONDS));
    }
  else
    {
      g_debug ("point %" G_GINT64_FORMAT ": %d records stored", read->point_id, n);
      if (iv != NULL)
        g_hash_table_insert (
            self->due, lers_int64_dup (read->point_id),
            lers_int64_dup (lers_scheduler_next_due (*iv >> 32, *iv & 0xffffffff, now)));
    }
  g_signal_emit (self, signals[SIGNAL_POINT_READ], 0, read->point_id, error != NULL ? -1 : n,
                 error != NULL ? error->message : NULL);
  g_object_unref (self);
  g_free (read);
}

static void
lers_scheduler_list_cb (GObject *source, GAsyncResult *result, gpointer user_data)
{
  LersScheduler *self = user_data;
  g_autoptr (GPtrArray) points = NULL;
  g_autoptr (GError) error = NULL;
  GHashTableIter iter;
  gpointer key;

  self->refreshing = FALSE;
  points = lers_store_list_measure_points_finish (LERS_STORE (source), result, &error);
  if (points == NULL)
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED)
          && !g_error_matches (error, LERS_ERROR, LERS_ERROR_CANCELLED))
        g_warning (_ ("Cannot list the points to poll: %s"), error->message);
      g_object_unref (self);
      return;
    }
  for (guint i = 0; i < points->len; i++)
    {
      LersMeasurePoint *point = g_ptr_array_index (points, i);
      gint64 id = lers_measure_point_get_id (point);
      guint interval = lers_measure_point_get_poll_interval (point);
      guint offset = lers_measure_point_get_poll_offset (point);

      if (interval == 0)
        continue;
      g_hash_table_insert (
          self->interval, lers_int64_dup (id),
          g_memdup2 (&(guint64){ ((guint64) interval << 32) | (offset % interval) },
                     sizeof (guint64)));
      if (!g_hash_table_contains (self->due, &id))
        g_hash_table_insert (self->due, lers_int64_dup (id), lers_int64_dup (0));
    }
  /* forget points that were deleted or stopped being polled */
  g_hash_table_iter_init (&iter, self->due);
  while (g_hash_table_iter_next (&iter, &key, NULL))
    {
      gboolean found = FALSE;
      for (guint i = 0; i < points->len && !found; i++)
        found = lers_measure_point_get_id (g_ptr_array_index (points, i)) == *(gint64 *) key
                && lers_measure_point_get_poll_interval (g_ptr_array_index (points, i)) > 0;
      if (!found)
        {
          g_hash_table_remove (self->interval, key);
          g_hash_table_iter_remove (&iter);
        }
    }
  g_object_unref (self);
}

static gboolean
lers_scheduler_tick (gpointer user_data)
{
  LersScheduler *self = user_data;
  gint64 now = g_get_real_time () / G_USEC_PER_SEC;
  GHashTableIter iter;
  gpointer key, value;

  if (now >= self->next_refresh && !self->refreshing)
    {
      self->refreshing = TRUE;
      self->next_refresh = now + LERS_SCHEDULER_REFRESH_SECONDS;
      lers_store_list_measure_points_async (self->store, 0, self->cancellable,
                                            lers_scheduler_list_cb, g_object_ref (self));
    }
  g_hash_table_iter_init (&iter, self->due);
  while (g_hash_table_iter_next (&iter, &key, &value)
         && g_hash_table_size (self->running) < self->max_parallel)
    {
      gint64 id = *(gint64 *) key;
      LersSchedulerRead *read;

      if (*(gint64 *) value > now || g_hash_table_contains (self->running, &id))
        continue;
      g_hash_table_add (self->running, lers_int64_dup (id));
      read = g_new0 (LersSchedulerRead, 1);
      read->self = g_object_ref (self);
      read->point_id = id;
      lers_poller_read_point_async (self->poller, id, LERS_ARCHIVE_KIND_HOUR, NULL, NULL, NULL,
                                    self->cancellable, lers_scheduler_read_cb, read);
    }
  return G_SOURCE_CONTINUE;
}

/**
 * lers_scheduler_start:
 * @self: a #LersScheduler
 *
 * Starts reading points on their schedules in the thread-default main context.
 *
 * Since: 0.1
 */
void
lers_scheduler_start (LersScheduler *self)
{
  g_return_if_fail (LERS_IS_SCHEDULER (self));
  if (self->tick != NULL)
    return;
  self->cancellable = g_cancellable_new ();
  self->next_refresh = 0;
  self->tick = g_timeout_source_new_seconds (1);
  g_source_set_callback (self->tick, lers_scheduler_tick, self, NULL);
  g_source_set_name (self->tick, "[lers] scheduler");
  g_source_attach (self->tick, g_main_context_get_thread_default ());
  lers_scheduler_tick (self);
}

/**
 * lers_scheduler_stop:
 * @self: a #LersScheduler
 *
 * Stops scheduling and cancels the reads under way.
 *
 * Since: 0.1
 */
void
lers_scheduler_stop (LersScheduler *self)
{
  g_return_if_fail (LERS_IS_SCHEDULER (self));
  if (self->tick != NULL)
    {
      g_source_destroy (self->tick);
      g_clear_pointer (&self->tick, g_source_unref);
    }
  if (self->cancellable != NULL)
    g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
}

/**
 * lers_scheduler_get_max_parallel:
 * @self: a #LersScheduler
 *
 * Returns: how many points are read at once
 *
 * Since: 0.1
 */
guint
lers_scheduler_get_max_parallel (LersScheduler *self)
{
  g_return_val_if_fail (LERS_IS_SCHEDULER (self), 0);
  return self->max_parallel;
}

/**
 * lers_scheduler_set_max_parallel:
 * @self: a #LersScheduler
 * @max_parallel: how many points to read at once, at least 1
 *
 * Since: 0.1
 */
void
lers_scheduler_set_max_parallel (LersScheduler *self, guint max_parallel)
{
  g_return_if_fail (LERS_IS_SCHEDULER (self));
  max_parallel = MAX (max_parallel, 1);
  if (self->max_parallel == max_parallel)
    return;
  self->max_parallel = max_parallel;
  g_object_notify_by_pspec (G_OBJECT (self), props[PROP_MAX_PARALLEL]);
}
