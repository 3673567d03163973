/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "config.h"

#include "lers-clock.h"

/**
 * LersClock:
 *
 * Where transports and sessions take their time from. The default clock is
 * the monotonic clock with timeouts on the thread-default main context; a
 * manual clock stands still until a test calls lers_clock_advance(), which
 * runs every timeout that has come due, in order, so timing is tested
 * without sleeping.
 *
 * Since: 0.3
 */
struct _LersClock
{
  GObject parent_instance;
  gboolean manual;
  gint64 now_ms;       /* manual clocks only */
  gint64 wall_base_us; /* manual clocks only: the wall time at now_ms 0 */
  guint next_id;
  GHashTable *timeouts; /* id → Timeout */
  GMutex lock;          /* the default clock is shared by threads */
};

G_DEFINE_TYPE (LersClock, lers_clock, G_TYPE_OBJECT)

typedef struct
{
  LersClock *clock; /* not a reference: the clock owns the table */
  guint id;
  gint64 due_ms;
  LersClockFunc func;
  gpointer user_data;
  GDestroyNotify notify;
  GSource *source; /* real clocks only */
} Timeout;

static void
timeout_free (Timeout *timeout)
{
  if (timeout->source != NULL)
    {
      g_source_destroy (timeout->source);
      g_source_unref (timeout->source);
    }
  if (timeout->notify != NULL)
    timeout->notify (timeout->user_data);
  g_free (timeout);
}

static void
lers_clock_finalize (GObject *object)
{
  LersClock *self = LERS_CLOCK (object);

  g_hash_table_unref (self->timeouts);
  g_mutex_clear (&self->lock);
  G_OBJECT_CLASS (lers_clock_parent_class)->finalize (object);
}

static void
lers_clock_class_init (LersClockClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = lers_clock_finalize;
}

static void
lers_clock_init (LersClock *self)
{
  g_mutex_init (&self->lock);
  self->next_id = 1;
  self->timeouts = g_hash_table_new_full (NULL, NULL, NULL, (GDestroyNotify) timeout_free);
}

/**
 * lers_clock_get_default:
 *
 * Returns: (transfer none): the real clock, shared by the process
 *
 * Since: 0.3
 */
LersClock *
lers_clock_get_default (void)
{
  static LersClock *clock;

  if (g_once_init_enter (&clock))
    g_once_init_leave (&clock, g_object_new (LERS_TYPE_CLOCK, NULL));
  return clock;
}

/**
 * lers_clock_new_manual:
 *
 * Returns: (transfer full): a clock at 0 ms that moves only when advanced
 *
 * Since: 0.3
 */
LersClock *
lers_clock_new_manual (void)
{
  LersClock *self = g_object_new (LERS_TYPE_CLOCK, NULL);

  self->manual = TRUE;
  self->wall_base_us = g_get_real_time ();
  return self;
}

/**
 * lers_clock_is_manual:
 * @self: a #LersClock
 *
 * Returns: whether this is a test clock
 *
 * Since: 0.3
 */
gboolean
lers_clock_is_manual (LersClock *self)
{
  g_return_val_if_fail (LERS_IS_CLOCK (self), FALSE);
  return self->manual;
}

/**
 * lers_clock_get_monotonic_ms:
 * @self: a #LersClock
 *
 * Returns: milliseconds on a clock that never goes back
 *
 * Since: 0.3
 */
gint64
lers_clock_get_monotonic_ms (LersClock *self)
{
  g_return_val_if_fail (LERS_IS_CLOCK (self), 0);
  if (self->manual)
    return self->now_ms;
  return g_get_monotonic_time () / 1000;
}

/**
 * lers_clock_get_now_utc:
 * @self: a #LersClock
 *
 * The wall-clock time: the system's for the default clock; for a manual
 * clock, the time it was created (or set with lers_clock_set_now_utc())
 * plus how far it was advanced since.
 *
 * Returns: (transfer full): the time now, in UTC
 *
 * Since: 0.4
 */
GDateTime *
lers_clock_get_now_utc (LersClock *self)
{
  gint64 us;

  g_return_val_if_fail (LERS_IS_CLOCK (self), NULL);
  if (!self->manual)
    return g_date_time_new_now_utc ();
  g_mutex_lock (&self->lock);
  us = self->wall_base_us + self->now_ms * 1000;
  g_mutex_unlock (&self->lock);
  return g_date_time_new_from_unix_utc (us / G_USEC_PER_SEC);
}

/**
 * lers_clock_set_now_utc:
 * @self: a manual #LersClock
 * @now: the wall-clock time it reads from now on
 *
 * Sets a test clock's wall-clock time; lers_clock_advance() moves it on.
 * Timeouts and the monotonic time are not touched.
 *
 * Since: 0.4
 */
void
lers_clock_set_now_utc (LersClock *self, GDateTime *now)
{
  g_return_if_fail (LERS_IS_CLOCK (self));
  g_return_if_fail (self->manual);
  g_return_if_fail (now != NULL);
  g_mutex_lock (&self->lock);
  self->wall_base_us = g_date_time_to_unix (now) * G_USEC_PER_SEC
                       + g_date_time_get_microsecond (now) - self->now_ms * 1000;
  g_mutex_unlock (&self->lock);
}

typedef struct
{
  LersClock *clock;
  guint id;
} TimeoutRef;

static gboolean
real_timeout_cb (gpointer user_data)
{
  TimeoutRef *ref = user_data;
  Timeout *timeout;
  LersClockFunc func;
  gpointer data;

  g_mutex_lock (&ref->clock->lock);
  timeout = g_hash_table_lookup (ref->clock->timeouts, GUINT_TO_POINTER (ref->id));
  if (timeout == NULL)
    {
      g_mutex_unlock (&ref->clock->lock);
      return G_SOURCE_REMOVE;
    }
  func = timeout->func;
  data = timeout->user_data;
  /* the source is being dispatched: let GLib drop it, not timeout_free */
  g_clear_pointer (&timeout->source, g_source_unref);
  /* steal: the callback runs before the data's destroy notify */
  timeout->func = NULL;
  g_hash_table_steal (ref->clock->timeouts, GUINT_TO_POINTER (ref->id));
  g_mutex_unlock (&ref->clock->lock);
  func (data);
  timeout_free (timeout);
  return G_SOURCE_REMOVE;
}

/**
 * lers_clock_add_timeout:
 * @self: a #LersClock
 * @ms: how long from now
 * @func: (scope notified) (closure user_data): called once when due
 * @user_data: data for @func
 * @notify: (nullable): frees @user_data after @func ran or the timeout was removed
 *
 * Real clocks run @func from the thread-default main context of the caller.
 *
 * Returns: an id for lers_clock_remove_timeout(), never 0
 *
 * Since: 0.3
 */
guint
lers_clock_add_timeout (LersClock *self, guint ms, LersClockFunc func, gpointer user_data,
                        GDestroyNotify notify)
{
  Timeout *timeout;

  g_return_val_if_fail (LERS_IS_CLOCK (self), 0);
  g_return_val_if_fail (func != NULL, 0);
  timeout = g_new0 (Timeout, 1);
  timeout->clock = self;
  g_mutex_lock (&self->lock);
  timeout->id = self->next_id++;
  if (self->next_id == 0)
    self->next_id = 1;
  g_mutex_unlock (&self->lock);
  timeout->due_ms = lers_clock_get_monotonic_ms (self) + ms;
  timeout->func = func;
  timeout->user_data = user_data;
  timeout->notify = notify;
  if (!self->manual)
    {
      TimeoutRef *ref = g_new0 (TimeoutRef, 1);

      ref->clock = self;
      ref->id = timeout->id;
      timeout->source = g_timeout_source_new (ms);
      g_source_set_static_name (timeout->source, "[lers] clock timeout");
      g_source_set_callback (timeout->source, real_timeout_cb, ref, g_free);
      g_source_attach (timeout->source, g_main_context_get_thread_default ());
    }
  g_mutex_lock (&self->lock);
  g_hash_table_insert (self->timeouts, GUINT_TO_POINTER (timeout->id), timeout);
  g_mutex_unlock (&self->lock);
  return timeout->id;
}

/**
 * lers_clock_remove_timeout:
 * @self: a #LersClock
 * @id: what lers_clock_add_timeout() returned; 0 is ignored
 *
 * Removes a timeout that has not run yet; removing one that ran does nothing.
 *
 * Since: 0.3
 */
void
lers_clock_remove_timeout (LersClock *self, guint id)
{
  Timeout *timeout = NULL;

  g_return_if_fail (LERS_IS_CLOCK (self));
  if (id == 0)
    return;
  g_mutex_lock (&self->lock);
  if (g_hash_table_steal_extended (self->timeouts, GUINT_TO_POINTER (id), NULL,
                                   (gpointer *) &timeout))
    {
      g_mutex_unlock (&self->lock);
      timeout_free (timeout);
      return;
    }
  g_mutex_unlock (&self->lock);
}

static Timeout *
earliest_due (LersClock *self, gint64 until)
{
  GHashTableIter iter;
  Timeout *timeout, *best = NULL;

  g_hash_table_iter_init (&iter, self->timeouts);
  while (g_hash_table_iter_next (&iter, NULL, (gpointer *) &timeout))
    if (timeout->due_ms <= until
        && (best == NULL || timeout->due_ms < best->due_ms
            || (timeout->due_ms == best->due_ms && timeout->id < best->id)))
      best = timeout;
  return best;
}

/**
 * lers_clock_get_next_due_ms:
 * @self: a #LersClock
 *
 * When the earliest armed timeout of @self comes due, on the clock's
 * monotonic scale (lers_clock_get_monotonic_ms()). A test with a manual
 * clock waits for the code under test to arm its timer before advancing
 * the clock past it.
 *
 * Returns: the due time in milliseconds, or -1 if no timeout is armed
 *
 * Since: 0.4
 */
gint64
lers_clock_get_next_due_ms (LersClock *self)
{
  Timeout *timeout;
  gint64 due;

  g_return_val_if_fail (LERS_IS_CLOCK (self), -1);
  g_mutex_lock (&self->lock);
  timeout = earliest_due (self, G_MAXINT64);
  due = timeout != NULL ? timeout->due_ms : -1;
  g_mutex_unlock (&self->lock);
  return due;
}

/**
 * lers_clock_advance:
 * @self: a manual #LersClock
 * @ms: how far to move
 *
 * Moves a manual clock forward and runs, in order of their due time, the
 * timeouts that come due, with the clock standing at each one's time.
 *
 * Since: 0.3
 */
void
lers_clock_advance (LersClock *self, guint ms)
{
  gint64 until;
  Timeout *timeout;

  g_return_if_fail (LERS_IS_CLOCK (self));
  g_return_if_fail (self->manual);
  until = self->now_ms + ms;
  for (;;)
    {
      LersClockFunc func;

      g_mutex_lock (&self->lock);
      timeout = earliest_due (self, until);
      if (timeout == NULL)
        {
          g_mutex_unlock (&self->lock);
          break;
        }
      func = timeout->func;
      self->now_ms = MAX (self->now_ms, timeout->due_ms);
      g_hash_table_steal (self->timeouts, GUINT_TO_POINTER (timeout->id));
      g_mutex_unlock (&self->lock);
      func (timeout->user_data);
      timeout_free (timeout);
    }
  self->now_ms = until;
}
