/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "config.h"

#include <glib/gi18n-lib.h>

#include "lers-error.h"
#include "poll/lers-poller-private.h"
#include "poll/lers-scheduler-private.h"
#include "poll/lers-scheduler.h"

/**
 * LersScheduler:
 *
 * Reads every measure point that has a #LersMeasurePoint:poll-interval on
 * its schedule: at each multiple of the interval (counted from midnight UTC)
 * plus #LersMeasurePoint:poll-offset. A point never read since the scheduler
 * started is read at once, so a restarted daemon catches up. A failed read is
 * tried again after a minute. At most #LersScheduler:max-parallel links
 * are read at once (due points behind one link are read together); the list of points is refreshed
 * every 30 seconds: new points are read at once, deleted ones (or ones whose interval became 0) are
 * dropped, and a changed interval or offset moves the next read to the new schedule.
 *
 * Points are kept in a hash table by id and a queue ordered by due time, so
 * that a refresh costs O(n log n) for n points and each second's check only
 * looks at the points that are due.
 *
 * It works in the thread-default main context of the thread that starts it
 * and never blocks it.
 *
 * Since: 0.1
 */
/* One point on the schedule. */
typedef struct
{
  gint64 id;
  guint interval;
  guint offset;          /* < interval */
  gint64 due;            /* unix time the next read is due; 0: at once */
  GSequenceIter *queued; /* in LersScheduler:queue; NULL while being read */
  guint generation;      /* of the last refresh that listed it */
} LersSchedulerPoint;

struct _LersScheduler
{
  GObject parent_instance;
  LersStore *store;
  LersEngine *engine;
  LersPoller *poller;
  GCancellable *cancellable;
  GHashTable *points;  /* point id → LersSchedulerPoint, owned */
  GSequence *queue;    /* of LersSchedulerPoint not being read, by due time then id */
  GHashTable *running; /* point ids being read (a point deleted meanwhile has no entry) */
  guint generation;
  guint max_parallel;
  GSource *tick;
  gint64 next_refresh;
  gboolean refreshing;
  gint64 test_time; /* if not 0, the clock (lers_scheduler_set_test_time()) */
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
  g_sequence_free (self->queue);
  g_hash_table_unref (self->points);
  g_hash_table_unref (self->running);
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
   * How many links (connections) are held at once; the points behind
   * one link are read in one hold of it.
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
  self->points = g_hash_table_new_full (g_int64_hash, g_int64_equal, NULL, g_free);
  self->queue = g_sequence_new (NULL);
  self->running = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, NULL);
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
  lers_poller_set_max_links (self->poller, self->max_parallel);
  return self;
}

static gint64
lers_scheduler_now (LersScheduler *self)
{
  return self->test_time != 0 ? self->test_time : g_get_real_time () / G_USEC_PER_SEC;
}

static gint64
lers_scheduler_next_due (guint interval, guint offset, gint64 now)
{
  gint64 slot = ((now - offset) / interval + 1) * interval + offset;
  return slot > now ? slot : slot + interval;
}

static gint
lers_scheduler_point_cmp (gconstpointer a, gconstpointer b, gpointer user_data)
{
  const LersSchedulerPoint *pa = a;
  const LersSchedulerPoint *pb = b;

  if (pa->due != pb->due)
    return pa->due < pb->due ? -1 : 1;
  return pa->id < pb->id ? -1 : pa->id > pb->id;
}

static void
lers_scheduler_enqueue (LersScheduler *self, LersSchedulerPoint *point)
{
  point->queued = g_sequence_insert_sorted (self->queue, point, lers_scheduler_point_cmp, NULL);
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
  gint64 now = lers_scheduler_now (self);
  gint n = lers_poller_read_point_finish (LERS_POLLER (source), result, &error);
  LersSchedulerPoint *point;

  g_hash_table_remove (self->running, &read->point_id);
  /* none if the point was deleted meanwhile */
  point = g_hash_table_lookup (self->points, &read->point_id);
  if (g_error_matches (error, LERS_ERROR, LERS_ERROR_CANCELLED)
      || g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    {
      /* stopped: still due when started again */
      if (point != NULL && point->queued == NULL)
        lers_scheduler_enqueue (self, point);
      g_object_unref (self);
      g_free (read);
      return;
    }
  if (g_error_matches (error, LERS_ERROR, LERS_ERROR_NOT_SUPPORTED))
    /* a point behind a GPRS modem that calls in by itself: read when it
     * does, not on the clock; once a minute in the log says nothing */
    g_debug ("%s", error->message);
  else if (error != NULL)
    g_warning ("%s", error->message);
  else
    g_debug ("point %" G_GINT64_FORMAT ": %d records stored", read->point_id, n);
  if (point != NULL && point->queued == NULL)
    {
      point->due = error != NULL ? now + LERS_SCHEDULER_RETRY_SECONDS
                                 : lers_scheduler_next_due (point->interval, point->offset, now);
      lers_scheduler_enqueue (self, point);
    }
  g_signal_emit (self, signals[SIGNAL_POINT_READ], 0, read->point_id, error != NULL ? -1 : n,
                 error != NULL ? error->message : NULL);
  g_object_unref (self);
  g_free (read);
}

/*
 * lers_scheduler_apply_points:
 * @self: a #LersScheduler
 * @points: (element-type LersMeasurePoint): every measure point
 *
 * Brings the schedule in line with @points, in O(n log n): a point not seen
 * before is due at once; one whose interval or offset changed is due at its
 * next slot on the new schedule (unless it was never read, or is being
 * read); points missing from @points, or with no interval, are forgotten.
 */
void
lers_scheduler_apply_points (LersScheduler *self, GPtrArray *points)
{
  gint64 now = lers_scheduler_now (self);
  GHashTableIter iter;
  gpointer value;

  g_return_if_fail (LERS_IS_SCHEDULER (self));
  g_return_if_fail (points != NULL);

  self->generation++;
  for (guint i = 0; i < points->len; i++)
    {
      LersMeasurePoint *mp = g_ptr_array_index (points, i);
      gint64 id = lers_measure_point_get_id (mp);
      guint interval = lers_measure_point_get_poll_interval (mp);
      guint offset;
      LersSchedulerPoint *point;

      if (interval == 0)
        continue;
      offset = lers_measure_point_get_poll_offset (mp) % interval;
      point = g_hash_table_lookup (self->points, &id);
      if (point == NULL)
        {
          point = g_new0 (LersSchedulerPoint, 1);
          point->id = id;
          point->interval = interval;
          point->offset = offset;
          point->due = 0;
          g_hash_table_insert (self->points, &point->id, point);
          /* one deleted and listed again while its read runs is queued
           * when that read ends */
          if (!g_hash_table_contains (self->running, &id))
            lers_scheduler_enqueue (self, point);
        }
      else if (point->interval != interval || point->offset != offset)
        {
          point->interval = interval;
          point->offset = offset;
          if (point->queued != NULL && point->due != 0)
            {
              point->due = lers_scheduler_next_due (interval, offset, now);
              g_sequence_sort_changed (point->queued, lers_scheduler_point_cmp, NULL);
            }
        }
      point->generation = self->generation;
    }

  /* forget points that were deleted or stopped being polled */
  g_hash_table_iter_init (&iter, self->points);
  while (g_hash_table_iter_next (&iter, NULL, &value))
    {
      LersSchedulerPoint *point = value;

      if (point->generation == self->generation)
        continue;
      if (point->queued != NULL)
        g_sequence_remove (point->queued);
      g_hash_table_iter_remove (&iter);
    }
}

static void
lers_scheduler_list_cb (GObject *source, GAsyncResult *result, gpointer user_data)
{
  LersScheduler *self = user_data;
  g_autoptr (GPtrArray) points = NULL;
  g_autoptr (GError) error = NULL;

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
  lers_scheduler_apply_points (self, points);
  g_object_unref (self);
}

static gboolean
lers_scheduler_tick (gpointer user_data)
{
  LersScheduler *self = user_data;
  gint64 now = lers_scheduler_now (self);

  if (now >= self->next_refresh && !self->refreshing)
    {
      self->refreshing = TRUE;
      self->next_refresh = now + LERS_SCHEDULER_REFRESH_SECONDS;
      lers_store_list_measure_points_async (self->store, 0, self->cancellable,
                                            lers_scheduler_list_cb, g_object_ref (self));
    }
  /* the queue is ordered by due time: stop at the first point not due.
   * Every due point goes to the poller at once: it serves the points
   * behind one link in one hold and holds at most max-parallel links. */
  while (!g_sequence_is_empty (self->queue))
    {
      GSequenceIter *first = g_sequence_get_begin_iter (self->queue);
      LersSchedulerPoint *point = g_sequence_get (first);
      LersSchedulerRead *read;

      if (point->due > now)
        break;
      g_sequence_remove (first);
      point->queued = NULL;
      g_hash_table_add (self->running, g_memdup2 (&point->id, sizeof (point->id)));
      read = g_new0 (LersSchedulerRead, 1);
      read->self = g_object_ref (self);
      read->point_id = point->id;
      lers_poller_read_point_async (self->poller, point->id, LERS_ARCHIVE_KIND_HOUR, NULL, NULL,
                                    NULL, self->cancellable, lers_scheduler_read_cb, read);
    }
  return G_SOURCE_CONTINUE;
}

/*
 * lers_scheduler_refresh_sync:
 * @self: a #LersScheduler
 * @cancellable: (nullable): a #GCancellable
 * @error: return location for a #GError
 *
 * Lists the points from the store now and applies them, as the 30-second
 * refresh does; for tests, which cannot wait for it.
 *
 * Returns: %TRUE if the points were listed
 */
gboolean
lers_scheduler_refresh_sync (LersScheduler *self, GCancellable *cancellable, GError **error)
{
  g_autoptr (GPtrArray) points = NULL;

  g_return_val_if_fail (LERS_IS_SCHEDULER (self), FALSE);
  points = lers_store_list_measure_points_sync (self->store, 0, cancellable, error);
  if (points == NULL)
    return FALSE;
  lers_scheduler_apply_points (self, points);
  return TRUE;
}

/*
 * lers_scheduler_get_due:
 * @self: a #LersScheduler
 * @point_id: a measure point
 *
 * Returns: when the point's next read is due (unix time; 0: at once), or -1
 *   if it is not on the schedule or is being read
 */
gint64
lers_scheduler_get_due (LersScheduler *self, gint64 point_id)
{
  LersSchedulerPoint *point;

  g_return_val_if_fail (LERS_IS_SCHEDULER (self), -1);
  point = g_hash_table_lookup (self->points, &point_id);
  return point != NULL && point->queued != NULL ? point->due : -1;
}

/*
 * lers_scheduler_get_n_points:
 * @self: a #LersScheduler
 *
 * Returns: how many points are on the schedule, being read or not
 */
guint
lers_scheduler_get_n_points (LersScheduler *self)
{
  g_return_val_if_fail (LERS_IS_SCHEDULER (self), 0);
  return g_hash_table_size (self->points);
}

/*
 * lers_scheduler_set_test_time:
 * @self: a #LersScheduler
 * @unix_time: the time the scheduler takes as now, or 0 for the real clock
 *
 * For tests: due times then follow from a known now.
 */
void
lers_scheduler_set_test_time (LersScheduler *self, gint64 unix_time)
{
  g_return_if_fail (LERS_IS_SCHEDULER (self));
  self->test_time = unix_time;
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
 * @max_parallel: how many links to read at once, at least 1
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
  if (self->poller != NULL)
    lers_poller_set_max_links (self->poller, max_parallel);
  g_object_notify_by_pspec (G_OBJECT (self), props[PROP_MAX_PARALLEL]);
}

/**
 * lers_scheduler_get_poller:
 * @self: a #LersScheduler
 *
 * The poller the scheduler reads with. Give other reads in the same
 * process (a GPRS modem that calls in, lers_poller_watch_gprs_server())
 * to it, so that every link is held by one read at a time.
 *
 * Returns: (transfer none): the scheduler's poller
 *
 * Since: 0.3
 */
LersPoller *
lers_scheduler_get_poller (LersScheduler *self)
{
  g_return_val_if_fail (LERS_IS_SCHEDULER (self), NULL);
  return self->poller;
}
