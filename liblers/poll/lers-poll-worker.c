/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "config.h"

#include <glib/gi18n-lib.h>
#include <inttypes.h>
#include <unistd.h>

#include "lers-clock.h"
#include "lers-error.h"
#include "poll/lers-poll-spool-private.h"
#include "poll/lers-poll-worker-private.h"
#include "poll/lers-poll-worker.h"
#include "poll/lers-poller-private.h"
#include "store/lers-store-listener.h"

/**
 * LersPollWorker:
 *
 * A polling service at work: what `lersd --role=poller` runs.
 *
 * It registers itself in the queue ([class@Lers.PollQueue]) under
 * [property@Lers.PollWorker:name] with its token and waits until an admin
 * authorises it (`lers poll authorise NAME`). Then it claims links with
 * due jobs, at most [property@Lers.PollWorker:max-links] at once — every
 * [property@Lers.PollWorker:claim-interval] seconds, at once when an urgent
 * job is announced on %LERS_POLL_CHANNEL_JOBS, and whenever a link it read
 * is given back — and reads every job of a link in one hold on its
 * [class@Lers.Poller]. It reports progress (at most once a second a job),
 * results and the link's outcome to the queue, keeps its leases alive with
 * a heartbeat every third of [property@Lers.PollWorker:lease-seconds],
 * records every session on a link, and cancels a job of its own when a
 * cancel is announced on %LERS_POLL_CHANNEL_CANCEL. With
 * [property@Lers.PollWorker:plan] it also runs the planner every 30
 * seconds, backfill every 10 minutes and purges old jobs once a day.
 *
 * Every call to the queue runs on one thread of the worker's own, in
 * order; results come back in the thread-default main context of the
 * thread that called lers_poll_worker_start(), which is never blocked.
 *
 * While the database is unreachable the worker is "offline": it goes on
 * reading what it claimed (the poller keeps archive writes in a local
 * spool under [property@Lers.PollWorker:spool-dir]), keeps the results and
 * link sessions in memory (bounded: the oldest are dropped, with a
 * warning), and tries the database every 5 seconds, backing off to 30.
 * Once it answers, the spool is written, the results are reported and the
 * service registers again.
 *
 * Logs for an operator: a warning for each failed read (point, link,
 * device address and cause), the same point at most once an hour after
 * that, with how often it failed since; a message when such a point reads
 * again; and a summary of what was read every 10 minutes.
 *
 * Since: 0.4
 */

#define LERS_POLL_WORKER_PENDING_RETRY_S 10
#define LERS_POLL_WORKER_OFFLINE_FIRST_S 5
#define LERS_POLL_WORKER_OFFLINE_MAX_S 30
#define LERS_POLL_WORKER_PLAN_S 30
#define LERS_POLL_WORKER_BACKFILL_S 600
#define LERS_POLL_WORKER_BACKFILL_CAP 100
#define LERS_POLL_WORKER_PURGE_S 86400
#define LERS_POLL_WORKER_PURGE_KEEP_DAYS 30
#define LERS_POLL_WORKER_SUMMARY_S 600
#define LERS_POLL_WORKER_PROGRESS_MS 1000
#define LERS_POLL_WORKER_RELOG_MS (3600 * 1000)
#define LERS_POLL_WORKER_OUTBOX_MAX 10000

typedef enum
{
  STATE_STARTING,
  STATE_PENDING,
  STATE_RUNNING,
  STATE_OFFLINE,
  STATE_STOPPED,
} WorkerState;

static const gchar *const state_names[]
    = { "starting", "pending", "running", "offline", "stopped" };

/* One claimed link in hand: its jobs are being read. */
typedef struct
{
  gint64 connection_id;
  guint n_pending;
  guint n_jobs;
  guint n_connection_failures;
  gchar *first_error;
  gchar *open_error; /* from a link session that could not open the link */
} WorkerLink;

/* One claimed job being read. */
typedef struct
{
  LersPollJob *job;
  GCancellable *cancellable;
  LersProgress *progress;
  gint64 last_progress_ms;
  gulong progress_handler;
} WorkerJob;

/* A point's failures since it last read well, for the rate-limited log. */
typedef struct
{
  guint n_failures;
  gint64 last_logged_ms;
  gchar *since; /* HH:MM, local time of the first failure */
} PointFailures;

typedef enum
{
  ITEM_FINISH,
  ITEM_SESSION,
  ITEM_RELEASE,
} ItemKind;

/* What goes to the queue after a read, in order: a job's result, a link
 * session, a link given back. */
typedef struct
{
  ItemKind kind;
  gint64 service_id;
  gint64 id;    /* job id or connection id */
  gint attempt; /* of a job's result: its attempts as claimed */
  gint records;
  GError *failure;
  gchar *text; /* the job's log lines, or the link's error */
  LersLinkSession *session;
  gboolean want_job; /* ::job-finished has handlers: fetch the stored job */
} Item;

struct _LersPollWorker
{
  GObject parent_instance;
  LersStore *store;
  LersEngine *engine;
  LersPollQueue *queue;
  LersPoller *poller;
  LersClock *clock;
  LersStoreListener *listener;
  LersPollSpool *spool;
  gchar *name;
  gchar *token; /* never logged */
  gchar *spool_dir;
  guint64 spool_max_bytes;
  guint lease_seconds;
  guint max_links;
  guint claim_interval;
  gboolean plan;
  gboolean auto_authorise;

  WorkerState state;
  gint64 service_id;
  guint generation; /* bumped by start and stop: late callbacks are dropped */
  GThreadPool *pool;
  GCancellable *cancellable;
  gulong session_handler;

  guint claim_timer, heartbeat_timer, plan_timer, backfill_timer, purge_timer, summary_timer,
      retry_timer;
  gboolean claiming;
  gboolean claim_again;
  gboolean reconnecting;
  guint retry_seconds;
  gboolean pending_logged;
  gboolean denied_logged;
  /* written since the database was lost, for the message when it is back */
  guint back_records, back_results, back_sessions;

  GHashTable *links; /* connection id → WorkerLink */
  GHashTable *jobs;  /* job id → WorkerJob */

  /* shared with the worker thread */
  GMutex lock;
  GQueue outbox; /* of Item */
  /* connection ids of the links claimed and not yet given back, for the
   * heartbeat: filled by the claim on the worker thread, so that a
   * heartbeat right after a claim lists its links */
  GHashTable *held;
  gboolean flush_queued;
  guint outbox_max;
  guint n_dropped;

  GHashTable *failures; /* point id → PointFailures */
  guint period_done, period_failed, period_blocked;
};

G_DEFINE_FINAL_TYPE (LersPollWorker, lers_poll_worker, G_TYPE_OBJECT)

enum
{
  PROP_0,
  PROP_NAME,
  PROP_TOKEN,
  PROP_LEASE_SECONDS,
  PROP_MAX_LINKS,
  PROP_CLAIM_INTERVAL,
  PROP_PLAN,
  PROP_AUTO_AUTHORISE,
  PROP_SPOOL_DIR,
  PROP_SPOOL_MAX_BYTES,
  PROP_STATE,
  PROP_SERVICE_ID,
  N_PROPS
};
static GParamSpec *props[N_PROPS];

enum
{
  SIGNAL_JOB_FINISHED,
  N_SIGNALS
};
static guint signals[N_SIGNALS];

static void lers_poll_worker_claim (LersPollWorker *self);
static void lers_poll_worker_register (LersPollWorker *self);
static void lers_poll_worker_go_offline (LersPollWorker *self, const GError *error);
static void listener_notification_cb (LersStoreListener *listener, const gchar *channel,
                                      const gchar *payload, gpointer user_data);
static void listener_reconnected_cb (LersStoreListener *listener, gpointer user_data);

static void
worker_link_free (WorkerLink *link)
{
  g_free (link->first_error);
  g_free (link->open_error);
  g_free (link);
}

static void
worker_job_free (WorkerJob *wj)
{
  if (wj->progress_handler != 0)
    g_signal_handler_disconnect (wj->progress, wj->progress_handler);
  g_clear_object (&wj->progress);
  g_clear_object (&wj->cancellable);
  g_clear_object (&wj->job);
  g_free (wj);
}

static void
point_failures_free (PointFailures *pf)
{
  g_free (pf->since);
  g_free (pf);
}

static void
item_free (Item *item)
{
  g_clear_error (&item->failure);
  g_free (item->text);
  g_clear_object (&item->session);
  g_free (item);
}

static gboolean
is_cancelled (const GError *error)
{
  return g_error_matches (error, LERS_ERROR, LERS_ERROR_CANCELLED)
         || g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
}

static void
lers_poll_worker_set_state (LersPollWorker *self, WorkerState state)
{
  if (self->state == state)
    return;
  self->state = state;
  g_object_notify_by_pspec (G_OBJECT (self), props[PROP_STATE]);
}

/* Timers ------------------------------------------------------------------ */

typedef void (*WorkerTimerFunc) (LersPollWorker *self);

typedef struct
{
  LersPollWorker *self; /* not a reference: stop removes every timer */
  guint *id;
  WorkerTimerFunc func;
} WorkerTimer;

static void
worker_timer_cb (gpointer user_data)
{
  WorkerTimer *timer = user_data;

  *timer->id = 0;
  timer->func (timer->self);
}

static void
lers_poll_worker_arm (LersPollWorker *self, guint *id, guint ms, WorkerTimerFunc func)
{
  WorkerTimer *timer = g_new0 (WorkerTimer, 1);

  lers_clock_remove_timeout (self->clock, *id);
  timer->self = self;
  timer->id = id;
  timer->func = func;
  *id = lers_clock_add_timeout (self->clock, ms, worker_timer_cb, timer, g_free);
}

static void
lers_poll_worker_disarm (LersPollWorker *self, guint *id)
{
  lers_clock_remove_timeout (self->clock, *id);
  *id = 0;
}

/* The worker thread ------------------------------------------------------- */

/* Runs on the worker thread; fills in its data and returns FALSE with
 * @error on failure. */
typedef gboolean (*OpFunc) (LersPollWorker *self, gpointer data, GCancellable *cancellable,
                            GError **error);

typedef struct
{
  OpFunc func;
  gpointer data;
  GDestroyNotify free;
  guint generation;
} Op;

static void
op_free (Op *op)
{
  if (op->free != NULL)
    op->free (op->data);
  g_free (op);
}

static void
lers_poll_worker_thread (gpointer task_data, gpointer pool_data)
{
  GTask *task = task_data;
  LersPollWorker *self = pool_data;
  Op *op = g_task_get_task_data (task);
  GError *error = NULL;

  if (op->func (self, op->data, g_task_get_cancellable (task), &error))
    g_task_return_boolean (task, TRUE);
  else
    g_task_return_error (task, error);
  g_object_unref (task);
}

/* Queues @func on the worker thread; @callback runs in the worker's main
 * context with the task (its data: the Op). */
static void
lers_poll_worker_push (LersPollWorker *self, OpFunc func, gpointer data, GDestroyNotify free,
                       GAsyncReadyCallback callback)
{
  GTask *task = g_task_new (self, self->cancellable, callback, NULL);
  Op *op = g_new0 (Op, 1);

  op->func = func;
  op->data = data;
  op->free = free;
  op->generation = self->generation;
  g_task_set_task_data (task, op, (GDestroyNotify) op_free);
  g_task_set_source_tag (task, lers_poll_worker_push);
  g_task_set_name (task, "[lers] poll worker call");
  g_thread_pool_push (self->pool, task, NULL);
}

/* The op's data if its result is still wanted (the worker was not stopped
 * or started again meanwhile), else NULL; @error set on failure. */
static gpointer
lers_poll_worker_op_finish (LersPollWorker *self, GAsyncResult *result, gboolean *ok,
                            GError **error)
{
  Op *op = g_task_get_task_data (G_TASK (result));

  *ok = g_task_propagate_boolean (G_TASK (result), error);
  if (op->generation != self->generation || self->state == STATE_STOPPED)
    return NULL;
  return op->data;
}

/* Handles a queue call's failure: the database gone → offline; the
 * service no longer authorised → pending. */
static void
lers_poll_worker_call_failed (LersPollWorker *self, const gchar *message, const GError *error)
{
  if (is_cancelled (error))
    return;
  if (g_error_matches (error, LERS_ERROR, LERS_ERROR_CONNECTION))
    {
      lers_poll_worker_go_offline (self, error);
      return;
    }
  if (g_error_matches (error, LERS_ERROR, LERS_ERROR_PERMISSION_DENIED)
      && self->state == STATE_RUNNING)
    {
      /* deauthorised (or deleted): register again, which waits */
      g_warning (_ ("Polling service “%s” may no longer poll: %s"), self->name, error->message);
      self->pending_logged = FALSE;
      lers_poll_worker_set_state (self, STATE_PENDING);
      lers_poll_worker_arm (self, &self->retry_timer, LERS_POLL_WORKER_PENDING_RETRY_S * 1000,
                            lers_poll_worker_register);
      return;
    }
  g_warning ("%s", message);
}

/* The outbox: results, sessions and links given back ---------------------- */

static gboolean
lers_poll_worker_send_item (LersPollWorker *self, Item *item, GPtrArray *finished,
                            GCancellable *cancellable, GError **error)
{
  g_autoptr (GError) error_local = NULL;

  switch (item->kind)
    {
    case ITEM_FINISH:
      {
        LersPollJobState state = lers_poll_queue_finish_job_sync (
            self->queue, item->service_id, item->id, item->attempt, item->records, item->failure,
            item->text, cancellable, &error_local);

        if (error_local == NULL && item->want_job)
          {
            LersPollJob *job
                = lers_poll_queue_get_job_sync (self->queue, item->id, cancellable, &error_local);
            if (job != NULL)
              g_ptr_array_add (finished, job);
          }
        if (error_local == NULL)
          g_debug ("job %" G_GINT64_FORMAT ": state %d", item->id, (gint) state);
        break;
      }
    case ITEM_SESSION:
      lers_poll_queue_record_session_sync (self->queue, item->session, cancellable, &error_local);
      break;
    case ITEM_RELEASE:
      lers_poll_queue_release_link_sync (self->queue, item->service_id, item->id, item->text,
                                         cancellable, &error_local);
      break;
    }
  if (error_local == NULL)
    return TRUE;
  if (g_error_matches (error_local, LERS_ERROR, LERS_ERROR_CONNECTION)
      || is_cancelled (error_local))
    {
      g_propagate_error (error, g_steal_pointer (&error_local));
      return FALSE;
    }
  /* a job taken over by another service while this one was away (its
   * archive rows are upserts: nothing is stored twice) */
  if (g_error_matches (error_local, LERS_ERROR, LERS_ERROR_NOT_FOUND))
    g_debug ("%s", error_local->message);
  else
    g_warning (_ ("Polling service “%s” could not report to the queue: %s"), self->name,
               error_local->message);
  return TRUE;
}

typedef struct
{
  GPtrArray *finished; /* of LersPollJob as stored */
  guint n_finished;
  guint n_sessions;
  guint n_records; /* from the spool */
  LersPollService *service;
} FlushData;

static void
flush_data_free (FlushData *data)
{
  g_ptr_array_unref (data->finished);
  g_clear_object (&data->service);
  g_free (data);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (FlushData, flush_data_free)

static FlushData *
flush_data_new (void)
{
  FlushData *data = g_new0 (FlushData, 1);

  data->finished = g_ptr_array_new_with_free_func (g_object_unref);
  return data;
}

/* On the worker thread: sends the outbox until it is empty. On a lost
 * database the item goes back to the head and the rest stay. */
static gboolean
lers_poll_worker_flush_sync (LersPollWorker *self, FlushData *data, GCancellable *cancellable,
                             GError **error)
{
  for (;;)
    {
      Item *item;

      g_mutex_lock (&self->lock);
      item = g_queue_pop_head (&self->outbox);
      if (item == NULL)
        self->flush_queued = FALSE;
      g_mutex_unlock (&self->lock);
      if (item == NULL)
        return TRUE;
      if (!lers_poll_worker_send_item (self, item, data->finished, cancellable, error))
        {
          g_mutex_lock (&self->lock);
          g_queue_push_head (&self->outbox, item);
          self->flush_queued = FALSE;
          g_mutex_unlock (&self->lock);
          return FALSE;
        }
      if (item->kind == ITEM_FINISH)
        data->n_finished++;
      else if (item->kind == ITEM_SESSION)
        data->n_sessions++;
      item_free (item);
    }
}

static gboolean
flush_op (LersPollWorker *self, gpointer data, GCancellable *cancellable, GError **error)
{
  return lers_poll_worker_flush_sync (self, data, cancellable, error);
}

static void
lers_poll_worker_emit_finished (LersPollWorker *self, GPtrArray *finished)
{
  for (guint i = 0; i < finished->len; i++)
    g_signal_emit (self, signals[SIGNAL_JOB_FINISHED], 0, g_ptr_array_index (finished, i));
}

static void
flush_cb (GObject *source, GAsyncResult *result, gpointer user_data)
{
  LersPollWorker *self = LERS_POLL_WORKER (source);
  g_autoptr (GError) error = NULL;
  gboolean ok;
  FlushData *data = lers_poll_worker_op_finish (self, result, &ok, &error);

  if (data == NULL)
    return;
  lers_poll_worker_emit_finished (self, data->finished);
  if (!ok)
    {
      g_autofree gchar *message = g_strdup_printf (
          _ ("Polling service “%s” could not report results: %s"), self->name, error->message);
      lers_poll_worker_call_failed (self, message, error);
    }
}

/* Sends what the outbox holds, unless a send is already on its way or the
 * database is away. */
static void
lers_poll_worker_kick_flush (LersPollWorker *self)
{
  gboolean push = FALSE;

  if (self->state == STATE_OFFLINE || self->state == STATE_STOPPED || self->pool == NULL)
    return;
  g_mutex_lock (&self->lock);
  if (!self->flush_queued && self->outbox.length > 0)
    push = self->flush_queued = TRUE;
  g_mutex_unlock (&self->lock);
  if (push)
    lers_poll_worker_push (self, flush_op, flush_data_new (), (GDestroyNotify) flush_data_free,
                           flush_cb);
}

static void
lers_poll_worker_post (LersPollWorker *self, Item *item)
{
  Item *dropped = NULL;

  g_mutex_lock (&self->lock);
  g_queue_push_tail (&self->outbox, item);
  if (self->outbox.length > self->outbox_max)
    {
      dropped = g_queue_pop_head (&self->outbox);
      self->n_dropped++;
    }
  g_mutex_unlock (&self->lock);
  if (dropped != NULL)
    {
      /* once per hundred, so that a long outage does not flood the log */
      if (self->n_dropped % 100 == 1)
        g_warning (g_dngettext (GETTEXT_PACKAGE,
                                "Polling service “%s” keeps at most %u results while the database "
                                "is away: %u dropped so far",
                                "Polling service “%s” keeps at most %u results while the database "
                                "is away: %u dropped so far",
                                self->n_dropped),
                   self->name, self->outbox_max, self->n_dropped);
      item_free (dropped);
    }
  lers_poll_worker_kick_flush (self);
}

/* Logs -------------------------------------------------------------------- */

static void
lers_poll_worker_log_failure (LersPollWorker *self, LersPollJob *job, const GError *error)
{
  gint64 point_id = lers_poll_job_get_point_id (job);
  gint64 now = lers_clock_get_monotonic_ms (self->clock);
  PointFailures *pf = g_hash_table_lookup (self->failures, &point_id);

  self->period_failed++;
  if (pf == NULL)
    {
      g_autoptr (GDateTime) local = g_date_time_new_now_local ();

      pf = g_new0 (PointFailures, 1);
      pf->since = g_date_time_format (local, "%H:%M");
      g_hash_table_insert (self->failures, g_memdup2 (&point_id, sizeof point_id), pf);
    }
  pf->n_failures++;
  if (pf->n_failures == 1)
    {
      /* TRANSLATORS: a link (connection) id, then why the read failed:
       * the point, the link's address, the device's address and the cause */
      g_warning (_ ("Link %" PRId64 ": %s"), lers_poll_job_get_connection_id (job), error->message);
      pf->last_logged_ms = now;
    }
  else if (now - pf->last_logged_ms >= LERS_POLL_WORKER_RELOG_MS)
    {
      /* TRANSLATORS: a link id, why the read failed, how often and since
       * when (HH:MM) the point has failed */
      g_warning (g_dngettext (GETTEXT_PACKAGE, "Link %" PRId64 ": %s (failed %u time since %s)",
                              "Link %" PRId64 ": %s (failed %u times since %s)", pf->n_failures),
                 lers_poll_job_get_connection_id (job), error->message, pf->n_failures, pf->since);
      pf->last_logged_ms = now;
    }
  else
    g_debug ("link %" G_GINT64_FORMAT ": %s", lers_poll_job_get_connection_id (job),
             error->message);
}

static void
lers_poll_worker_log_success (LersPollWorker *self, LersPollJob *job, gint n)
{
  gint64 point_id = lers_poll_job_get_point_id (job);

  self->period_done++;
  if (g_hash_table_contains (self->failures, &point_id))
    {
      g_message (_ ("Point %" PRId64 " reads again"), point_id);
      g_hash_table_remove (self->failures, &point_id);
    }
  g_debug ("job %" G_GINT64_FORMAT ": point %" G_GINT64_FORMAT ", %d records",
           lers_poll_job_get_id (job), point_id, n);
}

static void
lers_poll_worker_summary (LersPollWorker *self)
{
  if (self->period_done + self->period_failed + self->period_blocked > 0)
    {
      g_autofree gchar *done = g_strdup_printf ("%'u", self->period_done);

      /* TRANSLATORS: jobs read (a number with thousands separators), jobs
       * failed, links blocked after failed sessions */
      g_message (_ ("Read %s jobs, %u failed, %u links blocked in the last 10 minutes"), done,
                 self->period_failed, self->period_blocked);
    }
  self->period_done = self->period_failed = self->period_blocked = 0;
  lers_poll_worker_arm (self, &self->summary_timer, LERS_POLL_WORKER_SUMMARY_S * 1000,
                        lers_poll_worker_summary);
}

/* Reading ----------------------------------------------------------------- */

typedef struct
{
  LersPollWorker *self; /* owned */
  gint64 job_id;
  guint generation;
} ReadData;

typedef struct
{
  gint64 service_id;
  gint64 job_id;
  gint attempt;
  gdouble fraction;
  gchar *message;
} ProgressData;

static void
progress_data_free (ProgressData *data)
{
  g_free (data->message);
  g_free (data);
}

static gboolean
progress_op (LersPollWorker *self, gpointer data, GCancellable *cancellable, GError **error)
{
  ProgressData *p = data;

  return lers_poll_queue_set_progress_sync (self->queue, p->service_id, p->job_id, p->attempt,
                                            p->fraction, p->message, cancellable, error);
}

static void
progress_cb (GObject *source, GAsyncResult *result, gpointer user_data)
{
  LersPollWorker *self = LERS_POLL_WORKER (source);
  g_autoptr (GError) error = NULL;
  gboolean ok;

  if (lers_poll_worker_op_finish (self, result, &ok, &error) == NULL || ok)
    return;
  if (g_error_matches (error, LERS_ERROR, LERS_ERROR_CONNECTION))
    lers_poll_worker_go_offline (self, error);
  else if (!is_cancelled (error))
    g_debug ("progress: %s", error->message);
}

static void
job_progress_cb (LersProgress *progress, GParamSpec *pspec, gpointer user_data)
{
  ReadData *read = user_data;
  LersPollWorker *self = read->self;
  WorkerJob *wj = g_hash_table_lookup (self->jobs, &read->job_id);
  gint64 now = lers_clock_get_monotonic_ms (self->clock);
  gdouble fraction = lers_progress_get_fraction (progress);
  ProgressData *data;

  if (wj == NULL || self->state != STATE_RUNNING || fraction >= 1.0
      || now - wj->last_progress_ms < LERS_POLL_WORKER_PROGRESS_MS)
    return;
  wj->last_progress_ms = now;
  data = g_new0 (ProgressData, 1);
  data->service_id = self->service_id;
  data->job_id = read->job_id;
  data->attempt = lers_poll_job_get_attempts (wj->job);
  data->fraction = fraction;
  data->message = g_strdup (lers_progress_get_message (progress));
  lers_poll_worker_push (self, progress_op, data, (GDestroyNotify) progress_data_free, progress_cb);
}

static void
lers_poll_worker_link_done (LersPollWorker *self, WorkerLink *link)
{
  Item *item = g_new0 (Item, 1);
  const gchar *link_error = NULL;

  if (link->open_error != NULL)
    link_error = link->open_error;
  else if (link->n_connection_failures == link->n_jobs && link->first_error != NULL)
    link_error = link->first_error;
  if (link_error != NULL)
    self->period_blocked++;
  item->kind = ITEM_RELEASE;
  item->service_id = self->service_id;
  item->id = link->connection_id;
  item->text = g_strdup (link_error);
  g_mutex_lock (&self->lock);
  g_hash_table_remove (self->held, &link->connection_id);
  g_mutex_unlock (&self->lock);
  g_hash_table_remove (self->links, &link->connection_id);
  lers_poll_worker_post (self, item);
  /* a port is free */
  lers_poll_worker_claim (self);
}

/* A link whose jobs are all finished, waiting for the poller's hold to
 * close it before it goes back to the queue. */
typedef struct
{
  LersPollWorker *self;
  gint64 connection_id;
  guint generation;
} LinkWait;

static void
link_wait_free (gpointer user_data)
{
  LinkWait *wait = user_data;

  g_object_unref (wait->self);
  g_free (wait);
}

static gboolean
link_wait_cb (gpointer user_data)
{
  LinkWait *wait = user_data;
  LersPollWorker *self = wait->self;
  WorkerLink *link;

  if (wait->generation != self->generation || self->state == STATE_STOPPED)
    return G_SOURCE_REMOVE;
  link = g_hash_table_lookup (self->links, &wait->connection_id);
  if (link == NULL || link->n_pending > 0)
    return G_SOURCE_REMOVE;
  if (lers_poller_is_link_held (self->poller, wait->connection_id))
    return G_SOURCE_CONTINUE;
  lers_poll_worker_link_done (self, link);
  return G_SOURCE_REMOVE;
}

/* Every job of @link has its result: release the link once the poller has
 * closed it (the results may come before the hold has hung up), so that no
 * other service opens the same bus or modem while this one still has it. */
static void
lers_poll_worker_release_when_closed (LersPollWorker *self, WorkerLink *link)
{
  LinkWait *wait;
  GSource *source;

  if (!lers_poller_is_link_held (self->poller, link->connection_id))
    {
      lers_poll_worker_link_done (self, link);
      return;
    }
  wait = g_new0 (LinkWait, 1);
  wait->self = g_object_ref (self);
  wait->connection_id = link->connection_id;
  wait->generation = self->generation;
  source = g_timeout_source_new (20);
  g_source_set_callback (source, link_wait_cb, wait, link_wait_free);
  g_source_attach (source, g_main_context_get_thread_default ());
  g_source_unref (source);
}

static void
read_cb (GObject *source, GAsyncResult *result, gpointer user_data)
{
  ReadData *read = user_data;
  LersPollWorker *self = read->self;
  g_autoptr (GError) error = NULL;
  gint n = lers_poller_read_point_finish (LERS_POLLER (source), result, &error);
  WorkerJob *wj;
  WorkerLink *link;
  Item *item;

  wj = g_hash_table_lookup (self->jobs, &read->job_id);
  /* stopped meanwhile: stop_service gave the job back to the queue */
  if (read->generation != self->generation || self->state == STATE_STOPPED || wj == NULL)
    {
      g_object_unref (self);
      g_free (read);
      return;
    }
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    {
      g_clear_error (&error);
      g_set_error_literal (&error, LERS_ERROR, LERS_ERROR_CANCELLED, _ ("The read was cancelled"));
    }

  item = g_new0 (Item, 1);
  item->kind = ITEM_FINISH;
  item->service_id = self->service_id;
  item->id = read->job_id;
  item->attempt = lers_poll_job_get_attempts (wj->job);
  item->want_job = g_signal_has_handler_pending (self, signals[SIGNAL_JOB_FINISHED], 0, FALSE);
  if (error == NULL)
    {
      item->records = n;
      /* TRANSLATORS: a job's log line: the polling service, then records stored */
      item->text = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "Service “%s”: %d record stored",
                                                 "Service “%s”: %d records stored", n),
                                    self->name, n);
      lers_poll_worker_log_success (self, wj->job, n);
    }
  else
    {
      item->failure = g_error_copy (error);
      /* TRANSLATORS: a job's log line; the cause follows on a line of its own */
      item->text = g_strdup_printf (_ ("Service “%s”: the read failed"), self->name);
      if (!is_cancelled (error))
        lers_poll_worker_log_failure (self, wj->job, error);
    }

  link = g_hash_table_lookup (self->links, &(gint64){ lers_poll_job_get_connection_id (wj->job) });
  g_hash_table_remove (self->jobs, &read->job_id);
  lers_poll_worker_post (self, item);
  if (link != NULL)
    {
      if (error != NULL && g_error_matches (error, LERS_ERROR, LERS_ERROR_CONNECTION))
        link->n_connection_failures++;
      if (error != NULL && !is_cancelled (error) && link->first_error == NULL)
        link->first_error = g_strdup (error->message);
      if (--link->n_pending == 0)
        lers_poll_worker_release_when_closed (self, link);
    }
  g_object_unref (self);
  g_free (read);
}

static void
lers_poll_worker_start_job (LersPollWorker *self, LersPollJob *job)
{
  gint64 job_id = lers_poll_job_get_id (job);
  gint64 connection_id = lers_poll_job_get_connection_id (job);
  WorkerLink *link;
  WorkerJob *wj;
  ReadData *read;

  if (g_hash_table_contains (self->jobs, &job_id))
    return;
  link = g_hash_table_lookup (self->links, &connection_id);
  if (link == NULL)
    {
      link = g_new0 (WorkerLink, 1);
      link->connection_id = connection_id;
      g_hash_table_insert (self->links, &link->connection_id, link);
    }
  link->n_pending++;
  link->n_jobs++;

  read = g_new0 (ReadData, 1);
  read->self = g_object_ref (self);
  read->job_id = job_id;
  read->generation = self->generation;
  wj = g_new0 (WorkerJob, 1);
  wj->job = g_object_ref (job);
  wj->cancellable = g_cancellable_new ();
  wj->progress = lers_progress_new ();
  wj->last_progress_ms = lers_clock_get_monotonic_ms (self->clock);
  wj->progress_handler
      = g_signal_connect (wj->progress, "notify::fraction", G_CALLBACK (job_progress_cb), read);
  g_hash_table_insert (self->jobs, g_memdup2 (&job_id, sizeof job_id), wj);
  lers_poller_read_point_async (self->poller, lers_poll_job_get_point_id (job),
                                lers_poll_job_get_kind (job), lers_poll_job_get_from (job),
                                lers_poll_job_get_to (job), wj->progress, wj->cancellable, read_cb,
                                read);
}

static void
poller_session_cb (LersPoller *poller, LersLinkSession *session, gpointer user_data)
{
  LersPollWorker *self = user_data;
  gint64 connection_id = lers_link_session_get_connection_id (session);
  WorkerLink *link = g_hash_table_lookup (self->links, &connection_id);
  Item *item;

  if (self->state == STATE_STOPPED || self->service_id == 0)
    return;
  if (link != NULL && g_strcmp0 (lers_link_session_get_end_reason (session), "open-failed") == 0
      && link->open_error == NULL)
    link->open_error = g_strdup (lers_link_session_get_error (session) != NULL
                                     ? lers_link_session_get_error (session)
                                     : lers_link_session_get_end_reason (session));
  lers_link_session_set_service_id (session, self->service_id);
  item = g_new0 (Item, 1);
  item->kind = ITEM_SESSION;
  item->session = g_object_ref (session);
  lers_poll_worker_post (self, item);
}

/* Claiming ---------------------------------------------------------------- */

typedef struct
{
  gint64 service_id;
  gchar *token;
  guint n_links;
  guint lease;
  GPtrArray *jobs;
} ClaimData;

static void
claim_data_free (ClaimData *data)
{
  g_free (data->token);
  g_clear_pointer (&data->jobs, g_ptr_array_unref);
  g_free (data);
}

static gboolean
claim_op (LersPollWorker *self, gpointer data, GCancellable *cancellable, GError **error)
{
  ClaimData *claim = data;

  g_autoptr (GError) error_local = NULL;

  claim->jobs
      = lers_poll_queue_claim_sync (self->queue, claim->service_id, claim->token, claim->n_links,
                                    claim->lease, cancellable, &error_local);
  if (error_local != NULL)
    {
      g_propagate_error (error, g_steal_pointer (&error_local));
      return FALSE;
    }
  if (claim->jobs == NULL)
    claim->jobs = g_ptr_array_new_with_free_func (g_object_unref);
  g_mutex_lock (&self->lock);
  for (guint i = 0; i < claim->jobs->len; i++)
    {
      gint64 link = lers_poll_job_get_connection_id (g_ptr_array_index (claim->jobs, i));

      g_hash_table_add (self->held, g_memdup2 (&link, sizeof link));
    }
  g_mutex_unlock (&self->lock);
  return TRUE;
}

static void
claim_cb (GObject *source, GAsyncResult *result, gpointer user_data)
{
  LersPollWorker *self = LERS_POLL_WORKER (source);
  g_autoptr (GError) error = NULL;
  gboolean ok;
  ClaimData *claim = lers_poll_worker_op_finish (self, result, &ok, &error);

  if (claim == NULL)
    return;
  self->claiming = FALSE;
  if (!ok)
    {
      {
        g_autofree gchar *message = g_strdup_printf (
            _ ("Polling service “%s” could not claim jobs: %s"), self->name, error->message);
        lers_poll_worker_call_failed (self, message, error);
      }
      return;
    }
  if (claim->jobs->len > 0)
    g_debug ("claimed %u jobs", claim->jobs->len);
  for (guint i = 0; i < claim->jobs->len; i++)
    lers_poll_worker_start_job (self, g_ptr_array_index (claim->jobs, i));
  if (self->claim_again)
    {
      self->claim_again = FALSE;
      lers_poll_worker_claim (self);
    }
}

/* Claims links for the ports that are free, once at a time. */
static void
lers_poll_worker_claim (LersPollWorker *self)
{
  ClaimData *claim;
  guint held = g_hash_table_size (self->links);

  if (self->state != STATE_RUNNING)
    return;
  if (self->claiming)
    {
      self->claim_again = TRUE;
      return;
    }
  if (held >= self->max_links)
    return;
  self->claiming = TRUE;
  claim = g_new0 (ClaimData, 1);
  claim->service_id = self->service_id;
  claim->token = g_strdup (self->token);
  claim->n_links = self->max_links - held;
  claim->lease = self->lease_seconds;
  lers_poll_worker_push (self, claim_op, claim, (GDestroyNotify) claim_data_free, claim_cb);
}

static void
lers_poll_worker_claim_tick (LersPollWorker *self)
{
  lers_poll_worker_claim (self);
  lers_poll_worker_arm (self, &self->claim_timer, self->claim_interval * 1000,
                        lers_poll_worker_claim_tick);
}

/* Heartbeat, planner, purge ----------------------------------------------- */

typedef struct
{
  gint64 service_id;
  gchar *token;
  guint lease;
  guint n;
  GDateTime *now;
  GArray *lost; /* of the heartbeat: links taken over */
} CallData;

static void
call_data_free (CallData *data)
{
  g_clear_pointer (&data->lost, g_array_unref);
  g_free (data->token);
  g_clear_pointer (&data->now, g_date_time_unref);
  g_free (data);
}

static CallData *
lers_poll_worker_call_data (LersPollWorker *self)
{
  CallData *data = g_new0 (CallData, 1);

  data->service_id = self->service_id;
  data->token = g_strdup (self->token);
  data->lease = self->lease_seconds;
  return data;
}

static gboolean
heartbeat_op (LersPollWorker *self, gpointer data, GCancellable *cancellable, GError **error)
{
  CallData *call = data;
  g_autoptr (GArray) held = g_array_new (FALSE, FALSE, sizeof (gint64));
  GHashTableIter iter;
  gpointer key;

  /* the links held now, on this thread: a claim sent before this
   * heartbeat has added its links already */
  g_mutex_lock (&self->lock);
  g_hash_table_iter_init (&iter, self->held);
  while (g_hash_table_iter_next (&iter, &key, NULL))
    g_array_append_val (held, *(gint64 *) key);
  g_mutex_unlock (&self->lock);
  call->lost
      = lers_poll_queue_heartbeat_sync (self->queue, call->service_id, call->token, call->lease,
                                        (const gint64 *) held->data, held->len, cancellable, error);
  return call->lost != NULL;
}

static void
heartbeat_cb (GObject *source, GAsyncResult *result, gpointer user_data)
{
  LersPollWorker *self = LERS_POLL_WORKER (source);
  g_autoptr (GError) error = NULL;
  gboolean ok;
  CallData *call = lers_poll_worker_op_finish (self, result, &ok, &error);

  if (call == NULL)
    return;
  if (!ok)
    {
      {
        g_autofree gchar *message
            = g_strdup_printf (_ ("Polling service “%s” could not send its heartbeat: %s"),
                               self->name, error->message);
        lers_poll_worker_call_failed (self, message, error);
      }
      return;
    }
  /* links another service took over (this one ran too long, or was
   * thought dead): stop reading them, the jobs are that service's now */
  for (guint i = 0; i < call->lost->len; i++)
    {
      gint64 link = g_array_index (call->lost, gint64, i);
      GHashTableIter iter;
      gpointer value;

      g_mutex_lock (&self->lock);
      g_hash_table_remove (self->held, &link);
      g_mutex_unlock (&self->lock);
      if (!g_hash_table_contains (self->links, &link))
        continue;
      g_message (_ ("Polling service “%s” lost link %" PRId64 " to another service; its reads "
                    "stop"),
                 self->name, link);
      g_hash_table_iter_init (&iter, self->jobs);
      while (g_hash_table_iter_next (&iter, NULL, &value))
        if (lers_poll_job_get_connection_id (((WorkerJob *) value)->job) == link)
          g_cancellable_cancel (((WorkerJob *) value)->cancellable);
    }
}

static void
lers_poll_worker_heartbeat (LersPollWorker *self)
{
  if (self->state == STATE_RUNNING)
    lers_poll_worker_push (self, heartbeat_op, lers_poll_worker_call_data (self),
                           (GDestroyNotify) call_data_free, heartbeat_cb);
  lers_poll_worker_arm (self, &self->heartbeat_timer, MAX (self->lease_seconds * 1000 / 3, 100),
                        lers_poll_worker_heartbeat);
}

static gboolean
plan_op (LersPollWorker *self, gpointer data, GCancellable *cancellable, GError **error)
{
  CallData *call = data;
  g_autoptr (GError) error_local = NULL;

  call->n = lers_poll_queue_plan_sync (self->queue, NULL, cancellable, &error_local);
  if (error_local != NULL)
    {
      g_propagate_error (error, g_steal_pointer (&error_local));
      return FALSE;
    }
  return TRUE;
}

static gboolean
backfill_op (LersPollWorker *self, gpointer data, GCancellable *cancellable, GError **error)
{
  CallData *call = data;
  g_autoptr (GError) error_local = NULL;

  call->n = lers_poll_queue_plan_backfill_sync (self->queue, NULL, LERS_POLL_WORKER_BACKFILL_CAP,
                                                cancellable, &error_local);
  if (error_local != NULL)
    {
      g_propagate_error (error, g_steal_pointer (&error_local));
      return FALSE;
    }
  return TRUE;
}

static gboolean
purge_op (LersPollWorker *self, gpointer data, GCancellable *cancellable, GError **error)
{
  CallData *call = data;
  g_autoptr (GError) error_local = NULL;

  call->n = lers_poll_queue_purge_sync (self->queue, LERS_POLL_WORKER_PURGE_KEEP_DAYS, cancellable,
                                        &error_local);
  if (error_local != NULL)
    {
      g_propagate_error (error, g_steal_pointer (&error_local));
      return FALSE;
    }
  return TRUE;
}

static void
planned_cb (GObject *source, GAsyncResult *result, gpointer user_data)
{
  LersPollWorker *self = LERS_POLL_WORKER (source);
  g_autoptr (GError) error = NULL;
  gboolean ok;
  CallData *call = lers_poll_worker_op_finish (self, result, &ok, &error);

  if (call == NULL)
    return;
  if (!ok)
    {
      {
        g_autofree gchar *message = g_strdup_printf (
            _ ("Polling service “%s” could not plan jobs: %s"), self->name, error->message);
        lers_poll_worker_call_failed (self, message, error);
      }
      return;
    }
  if (call->n > 0)
    {
      g_debug ("%u jobs planned", call->n);
      lers_poll_worker_claim (self);
    }
}

static void
purged_cb (GObject *source, GAsyncResult *result, gpointer user_data)
{
  LersPollWorker *self = LERS_POLL_WORKER (source);
  g_autoptr (GError) error = NULL;
  gboolean ok;
  CallData *call = lers_poll_worker_op_finish (self, result, &ok, &error);

  if (call == NULL)
    return;
  if (!ok)
    {
      g_autofree gchar *message = g_strdup_printf (
          _ ("Polling service “%s” could not purge old jobs: %s"), self->name, error->message);
      lers_poll_worker_call_failed (self, message, error);
    }
  else if (call->n > 0)
    g_debug ("%u finished jobs purged", call->n);
}

static void
lers_poll_worker_plan_tick (LersPollWorker *self)
{
  if (self->state == STATE_RUNNING)
    lers_poll_worker_push (self, plan_op, lers_poll_worker_call_data (self),
                           (GDestroyNotify) call_data_free, planned_cb);
  lers_poll_worker_arm (self, &self->plan_timer, LERS_POLL_WORKER_PLAN_S * 1000,
                        lers_poll_worker_plan_tick);
}

static void
lers_poll_worker_backfill_tick (LersPollWorker *self)
{
  if (self->state == STATE_RUNNING)
    lers_poll_worker_push (self, backfill_op, lers_poll_worker_call_data (self),
                           (GDestroyNotify) call_data_free, planned_cb);
  lers_poll_worker_arm (self, &self->backfill_timer, LERS_POLL_WORKER_BACKFILL_S * 1000,
                        lers_poll_worker_backfill_tick);
}

static void
lers_poll_worker_purge_tick (LersPollWorker *self)
{
  if (self->state == STATE_RUNNING)
    lers_poll_worker_push (self, purge_op, lers_poll_worker_call_data (self),
                           (GDestroyNotify) call_data_free, purged_cb);
  lers_poll_worker_arm (self, &self->purge_timer, LERS_POLL_WORKER_PURGE_S * 1000,
                        lers_poll_worker_purge_tick);
}

/* Running: every timer armed, the listener listening */
static void
lers_poll_worker_run (LersPollWorker *self)
{
  lers_poll_worker_set_state (self, STATE_RUNNING);
  lers_poll_worker_heartbeat (self);
  if (self->plan)
    {
      lers_poll_worker_plan_tick (self);
      lers_poll_worker_backfill_tick (self);
      lers_poll_worker_purge_tick (self);
    }
  lers_poll_worker_claim_tick (self);
  if (self->summary_timer == 0)
    lers_poll_worker_arm (self, &self->summary_timer, LERS_POLL_WORKER_SUMMARY_S * 1000,
                          lers_poll_worker_summary);
  lers_poll_worker_kick_flush (self);
}

/* Registering and coming back --------------------------------------------- */

typedef struct
{
  gboolean first; /* the first registration of this start */
  FlushData *flush;
  LersPollService *service;
  guint n_records;
  gboolean drained;
} RegisterData;

static void
register_data_free (RegisterData *data)
{
  g_clear_object (&data->service);
  g_clear_pointer (&data->flush, flush_data_free);
  g_free (data);
}

static gboolean
register_op (LersPollWorker *self, gpointer data, GCancellable *cancellable, GError **error)
{
  RegisterData *reg = data;

  /* what the poller kept while the database was away (also from an
   * earlier run), then the results and sessions kept in memory */
  if (self->spool != NULL && lers_poll_spool_get_n_files (self->spool) > 0)
    {
      g_autoptr (GError) error_local = NULL;

      if (lers_poll_spool_drain_sync (self->spool, self->store, &reg->n_records, cancellable,
                                      &error_local))
        reg->drained = TRUE;
      else if (g_error_matches (error_local, LERS_ERROR, LERS_ERROR_CONNECTION)
               || is_cancelled (error_local))
        {
          g_propagate_error (error, g_steal_pointer (&error_local));
          return FALSE;
        }
      else
        /* what the spool could not write stays there, for the next time */
        g_warning (_ ("Polling service “%s” could not write its spool: %s"), self->name,
                   error_local->message);
    }
  if (reg->flush != NULL && !lers_poll_worker_flush_sync (self, reg->flush, cancellable, error))
    return FALSE;

  reg->service = lers_poll_queue_register_service_sync (
      self->queue, self->name, self->token, g_get_host_name (), LERS_VERSION, self->max_links,
      self->auto_authorise, cancellable, error);
  if (reg->service == NULL)
    return FALSE;
  if (reg->first && lers_poll_service_get_authorised (reg->service))
    {
      /* a service started again under the same name (after kill -9, say)
       * gives back the links its former self still holds (the next claim
       * takes over the jobs left running on them), then registers anew:
       * otherwise its heartbeat would keep those leases alive for ever */
      if (!lers_poll_queue_stop_service_sync (self->queue, lers_poll_service_get_id (reg->service),
                                              self->token, cancellable, error))
        return FALSE;
      g_clear_object (&reg->service);
      reg->service = lers_poll_queue_register_service_sync (
          self->queue, self->name, self->token, g_get_host_name (), LERS_VERSION, self->max_links,
          self->auto_authorise, cancellable, error);
      if (reg->service == NULL)
        return FALSE;
    }
  return TRUE;
}

static void
register_cb (GObject *source, GAsyncResult *result, gpointer user_data)
{
  LersPollWorker *self = LERS_POLL_WORKER (source);
  g_autoptr (GError) error = NULL;
  gboolean ok;
  RegisterData *reg = lers_poll_worker_op_finish (self, result, &ok, &error);
  gboolean was_offline;

  if (reg == NULL)
    return;
  was_offline = self->state == STATE_OFFLINE;
  self->reconnecting = FALSE;
  self->back_records += reg->n_records;
  if (reg->flush != NULL)
    {
      self->back_results += reg->flush->n_finished;
      self->back_sessions += reg->flush->n_sessions;
      /* the op may have failed before it sent anything */
      g_mutex_lock (&self->lock);
      self->flush_queued = FALSE;
      g_mutex_unlock (&self->lock);
      lers_poll_worker_emit_finished (self, reg->flush->finished);
    }
  if (!ok)
    {
      if (is_cancelled (error))
        return;
      if (g_error_matches (error, LERS_ERROR, LERS_ERROR_CONNECTION))
        {
          lers_poll_worker_go_offline (self, error);
          return;
        }
      if (!self->denied_logged)
        g_warning (_ ("Polling service “%s” cannot register: %s"), self->name, error->message);
      self->denied_logged = TRUE;
      if (!was_offline)
        lers_poll_worker_set_state (self, STATE_PENDING);
      lers_poll_worker_arm (self, &self->retry_timer, LERS_POLL_WORKER_PENDING_RETRY_S * 1000,
                            lers_poll_worker_register);
      return;
    }
  self->denied_logged = FALSE;
  if (self->service_id != lers_poll_service_get_id (reg->service))
    {
      self->service_id = lers_poll_service_get_id (reg->service);
      g_object_notify_by_pspec (G_OBJECT (self), props[PROP_SERVICE_ID]);
    }
  if (was_offline)
    {
      g_message (_ ("Polling service “%s” reaches the database again: wrote %u records from the "
                    "spool, %u job results and %u link sessions"),
                 self->name, self->back_records, self->back_results, self->back_sessions);
      self->retry_seconds = 0;
    }
  else if (reg->drained)
    g_message (_ ("Polling service “%s” wrote %u records left in its spool"), self->name,
               reg->n_records);
  if (!lers_poll_service_get_authorised (reg->service))
    {
      if (!self->pending_logged)
        g_message (_ ("Polling service “%s” waits to be authorised: run lers poll authorise %s"),
                   self->name, self->name);
      self->pending_logged = TRUE;
      lers_poll_worker_set_state (self, STATE_PENDING);
      lers_poll_worker_arm (self, &self->retry_timer, LERS_POLL_WORKER_PENDING_RETRY_S * 1000,
                            lers_poll_worker_register);
      return;
    }
  if (self->state == STATE_PENDING && self->pending_logged)
    g_message (_ ("Polling service “%s” is authorised"), self->name);
  self->pending_logged = FALSE;
  if (self->listener == NULL)
    {
      self->listener = lers_store_listener_new (self->store);
      lers_store_listener_listen (self->listener, LERS_POLL_CHANNEL_JOBS);
      lers_store_listener_listen (self->listener, LERS_POLL_CHANNEL_CANCEL);
      g_signal_connect (self->listener, "notification", G_CALLBACK (listener_notification_cb),
                        self);
      g_signal_connect (self->listener, "reconnected", G_CALLBACK (listener_reconnected_cb), self);
      lers_store_listener_start (self->listener);
    }
  lers_poll_worker_run (self);
}

static void
lers_poll_worker_register_full (LersPollWorker *self, gboolean first)
{
  RegisterData *reg;

  if (self->state == STATE_STOPPED || self->reconnecting)
    return;
  self->reconnecting = TRUE;
  reg = g_new0 (RegisterData, 1);
  reg->first = first || self->service_id == 0;
  if (self->state == STATE_OFFLINE)
    {
      g_mutex_lock (&self->lock);
      self->flush_queued = TRUE;
      g_mutex_unlock (&self->lock);
      reg->flush = flush_data_new ();
    }
  lers_poll_worker_push (self, register_op, reg, (GDestroyNotify) register_data_free, register_cb);
}

static void
lers_poll_worker_register (LersPollWorker *self)
{
  lers_poll_worker_register_full (self, FALSE);
}

static void
lers_poll_worker_go_offline (LersPollWorker *self, const GError *error)
{
  guint delay;

  if (self->state == STATE_STOPPED)
    return;
  self->reconnecting = FALSE;
  self->claiming = FALSE;
  self->claim_again = FALSE;
  if (self->state != STATE_OFFLINE)
    {
      g_warning (_ ("Polling service “%s” cannot reach the database (%s): it goes on reading what "
                    "it claimed and keeps the results until the database is back"),
                 self->name, error->message);
      lers_poll_worker_set_state (self, STATE_OFFLINE);
      self->back_records = self->back_results = self->back_sessions = 0;
      lers_poll_worker_disarm (self, &self->claim_timer);
      lers_poll_worker_disarm (self, &self->heartbeat_timer);
      lers_poll_worker_disarm (self, &self->plan_timer);
      lers_poll_worker_disarm (self, &self->backfill_timer);
      lers_poll_worker_disarm (self, &self->purge_timer);
      self->retry_seconds = 0;
    }
  /* 5 s, then doubling up to 30 s */
  delay = self->retry_seconds == 0 ? LERS_POLL_WORKER_OFFLINE_FIRST_S
                                   : MIN (self->retry_seconds * 2, LERS_POLL_WORKER_OFFLINE_MAX_S);
  self->retry_seconds = delay;
  lers_poll_worker_arm (self, &self->retry_timer, delay * 1000, lers_poll_worker_register);
}

/* Notifications ----------------------------------------------------------- */

static void
listener_notification_cb (LersStoreListener *listener, const gchar *channel, const gchar *payload,
                          gpointer user_data)
{
  LersPollWorker *self = user_data;

  if (g_strcmp0 (channel, LERS_POLL_CHANNEL_JOBS) == 0)
    lers_poll_worker_claim (self);
  else if (g_strcmp0 (channel, LERS_POLL_CHANNEL_CANCEL) == 0 && payload != NULL)
    {
      gint64 job_id = g_ascii_strtoll (payload, NULL, 10);
      WorkerJob *wj = g_hash_table_lookup (self->jobs, &job_id);

      if (wj != NULL)
        {
          g_debug ("job %" G_GINT64_FORMAT ": cancelled", job_id);
          g_cancellable_cancel (wj->cancellable);
        }
    }
}

static void
listener_reconnected_cb (LersStoreListener *listener, gpointer user_data)
{
  /* notifications may have been missed */
  lers_poll_worker_claim (user_data);
}

/* GObject ----------------------------------------------------------------- */

static void
lers_poll_worker_dispose (GObject *object)
{
  LersPollWorker *self = LERS_POLL_WORKER (object);

  lers_poll_worker_stop (self);
  if (self->poller != NULL && self->session_handler != 0)
    g_clear_signal_handler (&self->session_handler, self->poller);
  G_OBJECT_CLASS (lers_poll_worker_parent_class)->dispose (object);
}

static void
lers_poll_worker_finalize (GObject *object)
{
  LersPollWorker *self = LERS_POLL_WORKER (object);

  g_queue_clear_full (&self->outbox, (GDestroyNotify) item_free);
  g_mutex_clear (&self->lock);
  g_hash_table_unref (self->links);
  g_hash_table_unref (self->held);
  g_hash_table_unref (self->jobs);
  g_hash_table_unref (self->failures);
  g_clear_object (&self->listener);
  g_clear_object (&self->spool);
  g_clear_object (&self->poller);
  g_clear_object (&self->queue);
  g_clear_object (&self->engine);
  g_clear_object (&self->store);
  g_clear_object (&self->clock);
  g_clear_object (&self->cancellable);
  g_free (self->name);
  g_free (self->token);
  g_free (self->spool_dir);
  G_OBJECT_CLASS (lers_poll_worker_parent_class)->finalize (object);
}

static void
lers_poll_worker_get_property (GObject *object, guint prop_id, GValue *value, GParamSpec *pspec)
{
  LersPollWorker *self = LERS_POLL_WORKER (object);

  switch (prop_id)
    {
    case PROP_NAME:
      g_value_set_string (value, self->name);
      break;
    case PROP_LEASE_SECONDS:
      g_value_set_uint (value, self->lease_seconds);
      break;
    case PROP_MAX_LINKS:
      g_value_set_uint (value, self->max_links);
      break;
    case PROP_CLAIM_INTERVAL:
      g_value_set_uint (value, self->claim_interval);
      break;
    case PROP_PLAN:
      g_value_set_boolean (value, self->plan);
      break;
    case PROP_AUTO_AUTHORISE:
      g_value_set_boolean (value, self->auto_authorise);
      break;
    case PROP_SPOOL_DIR:
      g_value_set_string (value, self->spool_dir);
      break;
    case PROP_SPOOL_MAX_BYTES:
      g_value_set_uint64 (value, self->spool_max_bytes);
      break;
    case PROP_STATE:
      g_value_set_string (value, state_names[self->state]);
      break;
    case PROP_SERVICE_ID:
      g_value_set_int64 (value, self->service_id);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
lers_poll_worker_set_property (GObject *object, guint prop_id, const GValue *value,
                               GParamSpec *pspec)
{
  LersPollWorker *self = LERS_POLL_WORKER (object);

  switch (prop_id)
    {
    case PROP_NAME:
      g_free (self->name);
      self->name = g_value_dup_string (value);
      break;
    case PROP_TOKEN:
      g_free (self->token);
      self->token = g_value_dup_string (value);
      break;
    case PROP_LEASE_SECONDS:
      self->lease_seconds = g_value_get_uint (value);
      break;
    case PROP_MAX_LINKS:
      self->max_links = g_value_get_uint (value);
      if (self->poller != NULL)
        lers_poller_set_max_links (self->poller, self->max_links);
      break;
    case PROP_CLAIM_INTERVAL:
      self->claim_interval = g_value_get_uint (value);
      break;
    case PROP_PLAN:
      self->plan = g_value_get_boolean (value);
      break;
    case PROP_AUTO_AUTHORISE:
      self->auto_authorise = g_value_get_boolean (value);
      break;
    case PROP_SPOOL_DIR:
      g_free (self->spool_dir);
      self->spool_dir = g_value_dup_string (value);
      break;
    case PROP_SPOOL_MAX_BYTES:
      self->spool_max_bytes = g_value_get_uint64 (value);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
lers_poll_worker_class_init (LersPollWorkerClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GParamFlags rw = G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS;
  GParamFlags construct = G_PARAM_WRITABLE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS;

  object_class->dispose = lers_poll_worker_dispose;
  object_class->finalize = lers_poll_worker_finalize;
  object_class->get_property = lers_poll_worker_get_property;
  object_class->set_property = lers_poll_worker_set_property;

  /**
   * LersPollWorker:name:
   *
   * The polling service's name, unique among the services of a database
   * (`lersd --name`, by default the host name).
   *
   * Since: 0.4
   */
  props[PROP_NAME]
      = g_param_spec_string ("name", NULL, NULL, NULL,
                             G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  /**
   * LersPollWorker:token:
   *
   * The secret the service proves its name with; never logged or read back.
   *
   * Since: 0.4
   */
  props[PROP_TOKEN] = g_param_spec_string ("token", NULL, NULL, NULL, construct);
  /**
   * LersPollWorker:lease-seconds:
   *
   * How long a claimed link stays the service's without a heartbeat; the
   * heartbeat runs every third of it. Set before starting.
   *
   * Since: 0.4
   */
  props[PROP_LEASE_SECONDS] = g_param_spec_uint ("lease-seconds", NULL, NULL, 3, 86400, 60, rw);
  /**
   * LersPollWorker:max-links:
   *
   * How many links (ports) the service reads at once.
   *
   * Since: 0.4
   */
  props[PROP_MAX_LINKS] = g_param_spec_uint ("max-links", NULL, NULL, 1, 100000, 32, rw);
  /**
   * LersPollWorker:claim-interval:
   *
   * Seconds between looks for due jobs (urgent jobs are claimed at once,
   * on their notification). Set before starting.
   *
   * Since: 0.4
   */
  props[PROP_CLAIM_INTERVAL] = g_param_spec_uint ("claim-interval", NULL, NULL, 1, 86400, 5, rw);
  /**
   * LersPollWorker:plan:
   *
   * Whether the service also runs the planner (every 30 s), backfill
   * (every 10 minutes) and the purge of old jobs (daily). Set before
   * starting.
   *
   * Since: 0.4
   */
  props[PROP_PLAN] = g_param_spec_boolean ("plan", NULL, NULL, TRUE, rw);
  /**
   * LersPollWorker:auto-authorise:
   *
   * Whether a service registered for the first time authorises itself (an
   * all-in-one daemon). Set before starting.
   *
   * Since: 0.4
   */
  props[PROP_AUTO_AUTHORISE] = g_param_spec_boolean ("auto-authorise", NULL, NULL, FALSE, rw);
  /**
   * LersPollWorker:spool-dir:
   *
   * Where archive writes wait while the database is unreachable; %NULL
   * for `$XDG_STATE_HOME/lers/spool/NAME` (`/var/lib/lers/spool/NAME` as
   * root). Set before starting.
   *
   * Since: 0.4
   */
  props[PROP_SPOOL_DIR] = g_param_spec_string ("spool-dir", NULL, NULL, NULL, rw);
  /**
   * LersPollWorker:spool-max-bytes:
   *
   * The bound of the spool. Set before starting.
   *
   * Since: 0.4
   */
  props[PROP_SPOOL_MAX_BYTES] = g_param_spec_uint64 ("spool-max-bytes", NULL, NULL, 4096,
                                                     G_MAXUINT64, 256 * 1024 * 1024, rw);
  /**
   * LersPollWorker:state:
   *
   * "starting", "pending" (waits to be authorised), "running", "offline"
   * (the database is unreachable) or "stopped".
   *
   * Since: 0.4
   */
  props[PROP_STATE] = g_param_spec_string ("state", NULL, NULL, "stopped",
                                           G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  /**
   * LersPollWorker:service-id:
   *
   * The service's id in the queue once registered, else 0.
   *
   * Since: 0.4
   */
  props[PROP_SERVICE_ID] = g_param_spec_int64 ("service-id", NULL, NULL, 0, G_MAXINT64, 0,
                                               G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, props);

  /**
   * LersPollWorker::job-finished:
   * @self: the worker
   * @job: the job as stored after its result was reported
   *
   * Emitted when the queue took a job's result (done, queued again for a
   * retry, failed or cancelled).
   *
   * Since: 0.4
   */
  signals[SIGNAL_JOB_FINISHED]
      = g_signal_new ("job-finished", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL,
                      NULL, G_TYPE_NONE, 1, LERS_TYPE_POLL_JOB);
}

static void
lers_poll_worker_init (LersPollWorker *self)
{
  self->lease_seconds = 60;
  self->max_links = 32;
  self->claim_interval = 5;
  self->plan = TRUE;
  self->spool_max_bytes = 256 * 1024 * 1024;
  self->state = STATE_STOPPED;
  self->outbox_max = LERS_POLL_WORKER_OUTBOX_MAX;
  g_mutex_init (&self->lock);
  g_queue_init (&self->outbox);
  self->held = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, NULL);
  self->links = g_hash_table_new_full (g_int64_hash, g_int64_equal, NULL,
                                       (GDestroyNotify) worker_link_free);
  self->jobs = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free,
                                      (GDestroyNotify) worker_job_free);
  self->failures = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free,
                                          (GDestroyNotify) point_failures_free);
}

/**
 * lers_poll_worker_new:
 * @store: an open store
 * @engine: where device drivers come from
 * @name: the service's name
 * @token: its secret; never logged
 *
 * Returns: (transfer full): a polling service, not yet started
 *
 * Since: 0.4
 */
LersPollWorker *
lers_poll_worker_new (LersStore *store, LersEngine *engine, const gchar *name, const gchar *token)
{
  LersPollWorker *self;

  g_return_val_if_fail (LERS_IS_STORE (store), NULL);
  g_return_val_if_fail (LERS_IS_ENGINE (engine), NULL);
  g_return_val_if_fail (name != NULL && name[0] != '\0', NULL);
  g_return_val_if_fail (token != NULL && token[0] != '\0', NULL);
  self = g_object_new (LERS_TYPE_POLL_WORKER, "name", name, "token", token, NULL);
  self->store = g_object_ref (store);
  self->engine = g_object_ref (engine);
  self->queue = lers_poll_queue_new (store);
  self->poller = lers_poller_new (store, engine);
  lers_poller_set_max_links (self->poller, self->max_links);
  self->clock = g_object_ref (lers_clock_get_default ());
  self->session_handler
      = g_signal_connect (self->poller, "link-session", G_CALLBACK (poller_session_cb), self);
  return self;
}

/* where the service @name keeps its spool by default */
static gchar *
lers_poll_worker_get_default_spool_dir (const gchar *name)
{
  g_autofree gchar *safe = g_strdup (name);

  g_return_val_if_fail (name != NULL, NULL);
  g_strdelimit (safe, "/\\", '_');
  if (getuid () == 0)
    return g_build_filename ("/var/lib/lers", "spool", safe, NULL);
  return g_build_filename (g_get_user_state_dir (), "lers", "spool", safe, NULL);
}

/**
 * lers_poll_worker_start:
 * @self: a worker
 *
 * Starts the service in the thread-default main context of the calling
 * thread: it registers, and once authorised claims and reads jobs. Does
 * not block. A spool that cannot be made is logged, and the service runs
 * without one.
 *
 * Since: 0.4
 */
void
lers_poll_worker_start (LersPollWorker *self)
{
  g_autoptr (GError) error = NULL;

  g_return_if_fail (LERS_IS_POLL_WORKER (self));
  if (self->state != STATE_STOPPED)
    return;
  self->generation++;
  g_clear_object (&self->cancellable);
  self->cancellable = g_cancellable_new ();
  self->pool = g_thread_pool_new (lers_poll_worker_thread, self, 1, TRUE, NULL);
  lers_poller_set_max_links (self->poller, self->max_links);
  if (self->spool == NULL)
    {
      g_autofree gchar *dir = self->spool_dir != NULL
                                  ? g_strdup (self->spool_dir)
                                  : lers_poll_worker_get_default_spool_dir (self->name);

      self->spool = lers_poll_spool_new (dir, self->spool_max_bytes, &error);
      if (self->spool == NULL)
        g_warning (_ ("Polling service “%s” has no spool for when the database is away: %s"),
                   self->name, error->message);
      else
        lers_poller_set_spool (self->poller, self->spool);
    }
  self->pending_logged = FALSE;
  self->denied_logged = FALSE;
  self->reconnecting = FALSE;
  self->claiming = FALSE;
  self->claim_again = FALSE;
  self->retry_seconds = 0;
  lers_poll_worker_set_state (self, STATE_STARTING);
  lers_poll_worker_register_full (self, TRUE);
}

/**
 * lers_poll_worker_stop:
 * @self: a worker
 *
 * Stops the service: cancels its reads, reports what it can, and tells the
 * queue it stopped, which gives back its links (their running jobs are
 * queued again). Blocks until the queue has been told. A stopped service
 * may be started again.
 *
 * Since: 0.4
 */
void
lers_poll_worker_stop (LersPollWorker *self)
{
  GHashTableIter iter;
  gpointer value;
  gboolean offline;

  g_return_if_fail (LERS_IS_POLL_WORKER (self));
  if (self->state == STATE_STOPPED)
    return;
  offline = self->state == STATE_OFFLINE;
  self->generation++;
  lers_poll_worker_set_state (self, STATE_STOPPED);
  lers_poll_worker_disarm (self, &self->claim_timer);
  lers_poll_worker_disarm (self, &self->heartbeat_timer);
  lers_poll_worker_disarm (self, &self->plan_timer);
  lers_poll_worker_disarm (self, &self->backfill_timer);
  lers_poll_worker_disarm (self, &self->purge_timer);
  lers_poll_worker_disarm (self, &self->summary_timer);
  lers_poll_worker_disarm (self, &self->retry_timer);
  if (self->listener != NULL)
    {
      g_signal_handlers_disconnect_by_data (self->listener, self);
      lers_store_listener_stop (self->listener);
      g_clear_object (&self->listener);
    }
  g_hash_table_iter_init (&iter, self->jobs);
  while (g_hash_table_iter_next (&iter, NULL, &value))
    g_cancellable_cancel (((WorkerJob *) value)->cancellable);
  g_hash_table_remove_all (self->jobs);
  g_hash_table_remove_all (self->links);
  g_mutex_lock (&self->lock);
  g_hash_table_remove_all (self->held);
  g_mutex_unlock (&self->lock);
  self->claiming = FALSE;
  self->claim_again = FALSE;
  self->reconnecting = FALSE;
  /* the calls still queued end at once; then the last ones from here */
  g_cancellable_cancel (self->cancellable);
  g_thread_pool_free (self->pool, FALSE, TRUE);
  self->pool = NULL;
  if (self->service_id != 0 && !offline)
    {
      g_autoptr (FlushData) flush = flush_data_new ();
      g_autoptr (GError) error = NULL;

      if (!lers_poll_worker_flush_sync (self, flush, NULL, &error)
          || !lers_poll_queue_stop_service_sync (self->queue, self->service_id, self->token, NULL,
                                                 &error))
        g_debug ("stopping: %s", error->message);
    }
  g_mutex_lock (&self->lock);
  g_queue_clear_full (&self->outbox, (GDestroyNotify) item_free);
  self->flush_queued = FALSE;
  g_mutex_unlock (&self->lock);
}

/**
 * lers_poll_worker_get_poller:
 * @self: a worker
 *
 * Returns: (transfer none): the poller the service reads on (for modems
 *   that call in: lers_poller_watch_gprs_server())
 *
 * Since: 0.4
 */
LersPoller *
lers_poll_worker_get_poller (LersPollWorker *self)
{
  g_return_val_if_fail (LERS_IS_POLL_WORKER (self), NULL);
  return self->poller;
}

/**
 * lers_poll_worker_get_queue:
 * @self: a worker
 *
 * Returns: (transfer none): the queue the service works on
 *
 * Since: 0.4
 */
LersPollQueue *
lers_poll_worker_get_queue (LersPollWorker *self)
{
  g_return_val_if_fail (LERS_IS_POLL_WORKER (self), NULL);
  return self->queue;
}

/**
 * lers_poll_worker_get_service_id:
 * @self: a worker
 *
 * Returns: the service's id in the queue once registered, else 0
 *
 * Since: 0.4
 */
gint64
lers_poll_worker_get_service_id (LersPollWorker *self)
{
  g_return_val_if_fail (LERS_IS_POLL_WORKER (self), 0);
  return self->service_id;
}

/**
 * lers_poll_worker_get_state:
 * @self: a worker
 *
 * Returns: "starting", "pending", "running", "offline" or "stopped"
 *
 * Since: 0.4
 */
const gchar *
lers_poll_worker_get_state (LersPollWorker *self)
{
  g_return_val_if_fail (LERS_IS_POLL_WORKER (self), NULL);
  return state_names[self->state];
}

/* how many links the service holds now, for tests */
guint
lers_poll_worker_get_n_links (LersPollWorker *self)
{
  g_return_val_if_fail (LERS_IS_POLL_WORKER (self), 0);
  return g_hash_table_size (self->links);
}

/* how many results, sessions and links given back wait to be reported */
guint
lers_poll_worker_get_n_unreported (LersPollWorker *self)
{
  guint n;

  g_return_val_if_fail (LERS_IS_POLL_WORKER (self), 0);
  g_mutex_lock (&self->lock);
  n = self->outbox.length;
  g_mutex_unlock (&self->lock);
  return n;
}

void
lers_poll_worker_set_max_unreported (LersPollWorker *self, guint max)
{
  g_return_if_fail (LERS_IS_POLL_WORKER (self));
  g_mutex_lock (&self->lock);
  self->outbox_max = MAX (max, 1);
  g_mutex_unlock (&self->lock);
}

/* the clock of the service's timers (before it starts); tests give a
 * manual one */
void
lers_poll_worker_set_clock (LersPollWorker *self, LersClock *clock)
{
  g_return_if_fail (LERS_IS_POLL_WORKER (self));
  g_return_if_fail (LERS_IS_CLOCK (clock));
  g_return_if_fail (self->state == STATE_STOPPED);
  g_set_object (&self->clock, clock);
}

/* whether the service listens for notifications now */
gboolean
lers_poll_worker_is_listening (LersPollWorker *self)
{
  g_return_val_if_fail (LERS_IS_POLL_WORKER (self), FALSE);
  return self->listener != NULL && lers_store_listener_get_connected (self->listener);
}
