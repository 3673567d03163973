/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "config.h"

#include <glib/gi18n-lib.h>
#include <inttypes.h>
#include <string.h>

#include "lers-error.h"
#include "lers-sync-call-private.h"
#include "lers-time.h"
#include "poll/lers-poll-spool-private.h"
#include "poll/lers-poller-private.h"
#include "poll/lers-poller.h"
#include "protocol/lers-modem-transport.h"
#include "store/lers-store-query.h"

/**
 * LersPoller:
 *
 * Reads measure points now: looks up each point's device and the link
 * (#LersConnection) it is reached by, opens the link, lets the device's
 * plugin read the archive in a #LersDeviceSession and stores what came
 * back. Used by the polling service (#LersPollWorker), by `lers poll` and by scripts.
 *
 * Bus ownership: a link is held by one read at a time in a process.
 * Reads for points behind a busy link wait; when the link is free, every
 * read waiting for it is served in one hold: the link is opened once, each
 * device behind it gets one session, each archive kind wanted one read,
 * and the records are split by channel and written to every point of the
 * device whose #LersMeasurePoint:channel matches, whether that point was
 * asked for or not. The session also reads the meter's events for the
 * range the archive reads covered, where the driver can (events go to the
 * points of their channel; a device without a journal is fine, and a
 * failed journal read is logged without failing the archive). Then the
 * session is closed, the next device read, and the link closed.
 *
 * Without @from, the read starts where the stored archive ends (or a week
 * back for a point never read); without @to, it ends at the start of the
 * current hour (day and month archives: of the current day or month by the
 * point's reporting hour and day), so only complete intervals are stored.
 *
 * Meter clocks keep local time: the poller hands the driver the device with
 * its #LersDevice:effective-clock-zone set (the device's own
 * #LersDevice:clock-zone, else the zone of its node's territory, else the
 * server's), and the driver stores UTC.
 *
 * Clock check: right after each device session opens, the device's clock
 * is read (a driver that cannot is skipped quietly) and compared with the
 * server's time. The device's options (its own, else its model's quirks)
 * say how: `clock-drift-limit` (seconds, 120 unless set): a drift beyond
 * it adds a meter event `clock-drift` (warning) to every point of the
 * device; `clock-correct` (`true`, off unless set) then sets the device's
 * clock to the server's, with an event `clock-set` (info), provided the
 * shift is within `clock-correct-max` (seconds, 60 unless set; the most the
 * device allows at once) and the server's time is between minute 5 and 55
 * of the hour (never across an archive boundary); otherwise the drift
 * event says why the clock was left alone. The check never fails a read.
 *
 * Each time a hold ends its use of a link, #LersPoller::link-session
 * tells how it went: bytes each way, why it ended and, for a modem, its
 * signal level, firmware and SIM.
 *
 * Messages: a read that fails says which point, link and device address
 * and why ("Point 4 (tcp:127.0.0.1:5000, address 7): reading the device:
 * …"). The poller logs its sessions at debug level only; the service that
 * runs it decides what an operator sees.
 *
 * Since: 0.1
 */
struct _LersPoller
{
  GObject parent_instance;
  LersStore *store;
  LersEngine *engine;
  GHashTable *links; /* connection id → LersPollLink, owned */
  GQueue ready;      /* of LersPollLink waiting for a free hold (max_links) */
  guint n_held;
  guint max_links;          /* 0: no limit */
  guint n_resolving;        /* requests still looking up their point, device and link */
  guint n_holds;            /* holds started, for tests */
  GPtrArray *gprs;          /* of LersPollGprs: the GPRS servers whose modems are read */
  LersClock *clock;         /* the server's time, for clock checks and link sessions */
  LersPollSpool *spool;     /* where rows go while the database is away, or NULL */
  GHashTable *gprs_reasons; /* identity → why the GPRS server ended its session */
};

enum
{
  SIGNAL_LINK_SESSION,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

G_DEFINE_TYPE (LersPoller, lers_poller, G_TYPE_OBJECT)

#define LERS_POLLER_FIRST_READ_DAYS 7
/* how long a free link waits for reads still being looked up, so that
 * reads asked for together are served in one hold */
#define LERS_POLLER_GATHER_MS 250

typedef struct _LersPollGroup LersPollGroup;
typedef struct _LersPollLink LersPollLink;

/* One point's read of one archive kind. */
typedef struct
{
  LersPoller *poller; /* the task's or the group's source object keeps it */
  GTask *task;        /* lers_poller_read_point_async()'s; NULL in a group */
  LersPollGroup *group;
  gint64 point_id;
  LersArchiveKind kind;
  GDateTime *from;
  GDateTime *to;
  gboolean to_given;
  LersProgress *progress; /* the caller's, mirrors the hold's; NULL in a group */
  GCancellable *cancellable;
  LersMeasurePoint *point;
  LersDevice *device;
  LersConnection *connection;
  GTimeZone *zone; /* the node's */
  gint n_stored;
  gboolean resolving;
  gboolean done;
  LersPollLink *queued_on; /* the link whose waiting list holds it */
  GSource *queue_cancel;   /* ends it at once when cancelled there */
  gchar *where;            /* "tcp:HOST:PORT, address 7", once at a link */
} LersPollRequest;

/* lers_poller_read_connection_async() and lers_poller_serve_transport_async():
 * every point behind one link */
struct _LersPollGroup
{
  GTask *task;
  gint64 connection_id;
  LersArchiveKind kind;
  LersTransport *transport; /* serve_transport's, open; handed to the hold */
  LersProgress *progress;
  GPtrArray *devices; /* listed, each with its points read in turn */
  guint device_index;
  gboolean listing;
  GPtrArray *resolved; /* of LersPollRequest looked up, waiting for the others */
  guint n_unresolved;
  guint n_pending; /* members not yet done, +1 while listing, +1 for the transport */
  gint n_stored;
  GError *error; /* the first member's */
};

struct _LersPollLink
{
  LersPoller *poller;
  gint64 connection_id;
  GPtrArray *waiting;     /* of LersPollRequest, owned */
  LersPollGroup *offered; /* a group whose open transport waits for the hold */
  gboolean held;
  gboolean in_ready;
  guint gather_source;
  gint64 first_waiting_us;
};

static void lers_poller_link_try_start (LersPoller *self, LersPollLink *link);
static void lers_poller_kick_links (LersPoller *self);
static void lers_poll_group_flush (LersPollGroup *group);
static void lers_poll_group_member_done (LersPollGroup *group, LersPollRequest *request,
                                         GError *error);

static void
lers_poll_request_unqueue (LersPollRequest *request)
{
  request->queued_on = NULL;
  if (request->queue_cancel != NULL)
    {
      g_source_destroy (request->queue_cancel);
      g_clear_pointer (&request->queue_cancel, g_source_unref);
    }
}

static void
lers_poll_request_free (LersPollRequest *request)
{
  lers_poll_request_unqueue (request);
  g_clear_pointer (&request->from, g_date_time_unref);
  g_clear_pointer (&request->to, g_date_time_unref);
  g_clear_object (&request->progress);
  g_clear_object (&request->cancellable);
  g_clear_object (&request->point);
  g_clear_object (&request->device);
  g_clear_object (&request->connection);
  g_clear_pointer (&request->zone, g_time_zone_unref);
  g_clear_object (&request->task);
  g_free (request->where);
  g_free (request);
}

static void
lers_poll_link_free (LersPollLink *link)
{
  g_clear_handle_id (&link->gather_source, g_source_remove);
  g_ptr_array_unref (link->waiting);
  g_free (link);
}

static void
lers_poller_dispose (GObject *object)
{
  LersPoller *self = LERS_POLLER (object);

  g_clear_pointer (&self->gprs, g_ptr_array_unref);
  g_clear_object (&self->spool);
  G_OBJECT_CLASS (lers_poller_parent_class)->dispose (object);
}

static void
lers_poller_finalize (GObject *object)
{
  LersPoller *self = LERS_POLLER (object);

  g_queue_clear (&self->ready);
  g_hash_table_unref (self->links);
  g_clear_object (&self->store);
  g_clear_object (&self->engine);
  g_clear_object (&self->clock);
  g_hash_table_unref (self->gprs_reasons);
  G_OBJECT_CLASS (lers_poller_parent_class)->finalize (object);
}

static void
lers_poller_class_init (LersPollerClass *klass)
{
  G_OBJECT_CLASS (klass)->dispose = lers_poller_dispose;
  G_OBJECT_CLASS (klass)->finalize = lers_poller_finalize;

  /**
   * LersPoller::link-session:
   * @self: the poller
   * @session: the session on the link, ended and not stored
   *
   * Emitted in the poller's main context each time a hold ends its use of
   * a link: after the link is closed, or when opening it failed. @session
   * has the link's connection id, when the hold began and ended (UTC), the
   * bytes the transport received and sent, and why it ended
   * (#LersLinkSession:end-reason): `done`; `open-failed` when the link
   * could not be opened; `error` when a read ended on a fault of the link
   * or device (no answer, a garbled one), with the message in
   * #LersLinkSession:error; `cancelled`; for a GPRS modem that called in,
   * what the GPRS server says (`done`, `idle`, `max-session`, `replaced`,
   * `stopped`) and #LersLinkSession:modem-identity. For a dial-up modem it
   * also carries the modem's signal level, firmware and SIM id. A polling
   * service stores it (the modem statistics); nobody has to listen.
   *
   * Since: 0.4
   */
  signals[SIGNAL_LINK_SESSION]
      = g_signal_new ("link-session", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL,
                      NULL, G_TYPE_NONE, 1, LERS_TYPE_LINK_SESSION);
}

static void
lers_poller_init (LersPoller *self)
{
  self->links = g_hash_table_new_full (g_int64_hash, g_int64_equal, NULL,
                                       (GDestroyNotify) lers_poll_link_free);
  g_queue_init (&self->ready);
  self->clock = g_object_ref (lers_clock_get_default ());
  self->gprs_reasons = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
}

/**
 * lers_poller_new:
 * @store: where points are looked up and archives written
 * @engine: where device drivers come from
 *
 * Returns: (transfer full): a poller
 *
 * Since: 0.1
 */
LersPoller *
lers_poller_new (LersStore *store, LersEngine *engine)
{
  LersPoller *self;

  g_return_val_if_fail (LERS_IS_STORE (store), NULL);
  g_return_val_if_fail (LERS_IS_ENGINE (engine), NULL);
  self = g_object_new (LERS_TYPE_POLLER, NULL);
  self->store = g_object_ref (store);
  self->engine = g_object_ref (engine);
  return self;
}

/*
 * lers_poller_set_max_links:
 * @self: a #LersPoller
 * @max_links: how many links may be held at once; 0 for no limit
 *
 * The polling service's #LersPollWorker:max-links: it counts links, not points.
 */
void
lers_poller_set_max_links (LersPoller *self, guint max_links)
{
  g_return_if_fail (LERS_IS_POLLER (self));
  self->max_links = max_links;
}

guint
lers_poller_get_max_links (LersPoller *self)
{
  g_return_val_if_fail (LERS_IS_POLLER (self), 0);
  return self->max_links;
}

/*
 * lers_poller_set_clock:
 * @self: a #LersPoller
 * @clock: where the server's time comes from (a manual clock in tests)
 *
 * The time clock checks compare device clocks with, and link sessions
 * are stamped with.
 */
void
lers_poller_set_clock (LersPoller *self, LersClock *clock)
{
  g_return_if_fail (LERS_IS_POLLER (self));
  g_return_if_fail (LERS_IS_CLOCK (clock));
  g_set_object (&self->clock, clock);
}

LersClock *
lers_poller_get_clock (LersPoller *self)
{
  g_return_val_if_fail (LERS_IS_POLLER (self), NULL);
  return self->clock;
}

/*
 * lers_poller_set_spool:
 * @self: a #LersPoller
 * @spool: (nullable): where records and events go when the database is
 *   gone, or %NULL for nowhere
 *
 * When a write of records or meter events fails with
 * %LERS_ERROR_CONNECTION, the rows go to @spool instead and the read
 * counts as done (its result: the records read); when @spool is full, the
 * read fails with its %LERS_ERROR_BUSY. Without a spool the read fails
 * with the database's error.
 */
void
lers_poller_set_spool (LersPoller *self, LersPollSpool *spool)
{
  g_return_if_fail (LERS_IS_POLLER (self));
  g_return_if_fail (spool == NULL || LERS_IS_POLL_SPOOL (spool));
  g_set_object (&self->spool, spool);
}

LersPollSpool *
lers_poller_get_spool (LersPoller *self)
{
  g_return_val_if_fail (LERS_IS_POLLER (self), NULL);
  return self->spool;
}

/* how many holds (link opened, devices read, link closed) have started */
guint
lers_poller_get_n_holds (LersPoller *self)
{
  g_return_val_if_fail (LERS_IS_POLLER (self), 0);
  return self->n_holds;
}

/* whether the link of @connection_id is in use: a hold has it open (or is
 * closing it) or reads wait for it. A polling service gives a link back to
 * the queue only once this is FALSE, so that no other service opens the
 * same bus or modem while this one still closes it. */
gboolean
lers_poller_is_link_held (LersPoller *self, gint64 connection_id)
{
  LersPollLink *link;

  g_return_val_if_fail (LERS_IS_POLLER (self), FALSE);
  link = g_hash_table_lookup (self->links, &connection_id);
  return link != NULL && (link->held || link->waiting->len > 0);
}

/* how many reads wait in the links' queues, for tests */
guint
lers_poller_get_n_queued (LersPoller *self)
{
  GHashTableIter iter;
  gpointer value;
  guint n = 0;

  g_return_val_if_fail (LERS_IS_POLLER (self), 0);
  g_hash_table_iter_init (&iter, self->links);
  while (g_hash_table_iter_next (&iter, NULL, &value))
    n += ((LersPollLink *) value)->waiting->len;
  return n;
}

static GDateTime *
lers_poller_hour_floor (GDateTime *dt)
{
  g_autoptr (GDateTime) utc = g_date_time_to_utc (dt);
  return g_date_time_new_utc (g_date_time_get_year (utc), g_date_time_get_month (utc),
                              g_date_time_get_day_of_month (utc), g_date_time_get_hour (utc), 0, 0);
}

static void
lers_poll_request_set_progress (LersPollRequest *request, gdouble fraction, const gchar *message)
{
  /* a group's progress moves with its holds, not with each point */
  if (request->progress == NULL || request->group != NULL)
    return;
  lers_progress_set_message (request->progress, message);
  lers_progress_set_fraction (request->progress, fraction);
}

/* Reports the request's outcome to its caller (or group); takes @error.
 * The request's owner frees it. */
static void
lers_poll_request_report (LersPollRequest *request, GError *error, const gchar *context)
{
  g_return_if_fail (!request->done);
  request->done = TRUE;
  if (error != NULL)
    {
      lers_error_convert (&error);
      if (context != NULL && request->where != NULL)
        g_prefix_error (&error, _ ("Point %" PRId64 " (%s): %s: "), request->point_id,
                        request->where, context);
      else if (context != NULL)
        g_prefix_error (&error, _ ("Point %" PRId64 ": %s: "), request->point_id, context);
    }
  else
    lers_poll_request_set_progress (request, 1.0,
                                    request->n_stored > 0 ? _ ("Done") : _ ("No new records"));
  if (request->group != NULL)
    {
      lers_poll_group_member_done (request->group, request, error);
      return;
    }
  if (error != NULL)
    g_task_return_error (request->task, error);
  else
    g_task_return_int (request->task, request->n_stored);
}

/* A request that ends before it reaches a link: reported and freed here. */
static void
lers_poll_request_end_early (LersPollRequest *request, GError *error, const gchar *context)
{
  g_autoptr (LersPoller) self = g_object_ref (request->poller);

  if (request->resolving)
    {
      request->resolving = FALSE;
      self->n_resolving--;
    }
  if (request->group != NULL)
    {
      request->group->n_unresolved--;
      lers_poll_group_flush (request->group);
    }
  lers_poll_request_report (request, error, context);
  lers_poll_request_free (request);
  if (self->n_resolving == 0)
    lers_poller_kick_links (self);
}

static void lers_poller_enqueue (LersPoller *self, LersPollRequest *request);

static void
lers_poller_resolved (LersPoller *self, LersPollRequest *request)
{
  if (!request->resolving)
    return;
  request->resolving = FALSE;
  self->n_resolving--;
}

static void
lers_poller_kick_links (LersPoller *self)
{
  GHashTableIter iter;
  gpointer value;
  g_autoptr (GPtrArray) links = g_ptr_array_new ();

  g_hash_table_iter_init (&iter, self->links);
  while (g_hash_table_iter_next (&iter, NULL, &value))
    g_ptr_array_add (links, value);
  for (guint i = 0; i < links->len; i++)
    lers_poller_link_try_start (self, g_ptr_array_index (links, i));
}

static void
lers_poll_request_ready (LersPollRequest *request)
{
  if (request->kind != LERS_ARCHIVE_KIND_CURRENT && request->kind != LERS_ARCHIVE_KIND_TOTALS
      && g_date_time_compare (request->from, request->to) >= 0)
    {
      lers_poll_request_set_progress (request, 1.0, _ ("The archive is up to date"));
      request->n_stored = 0;
      lers_poll_request_end_early (request, NULL, NULL);
      return;
    }
  lers_poll_request_set_progress (request, 0.0, _ ("Waiting for the link"));
  if (request->group != NULL)
    {
      LersPollGroup *group = request->group;
      LersPoller *poller = request->poller;

      /* the flush may hand @request to a hold: do not touch it after */
      lers_poller_resolved (poller, request);
      g_ptr_array_add (group->resolved, request);
      group->n_unresolved--;
      lers_poll_group_flush (group);
      if (poller->n_resolving == 0)
        lers_poller_kick_links (poller);
      return;
    }
  lers_poller_enqueue (request->poller, request);
}

/* Where a point's read goes on from: after its stored archive's end
 * (@last), else a week before @to. */
static GDateTime *
lers_poller_from_last (LersArchiveKind kind, GDateTime *last, GTimeZone *zone,
                       LersMeasurePoint *point, GDateTime *to)
{
  GDateTime *from = NULL;

  if (last != NULL && (kind == LERS_ARCHIVE_KIND_DAY || kind == LERS_ARCHIVE_KIND_MONTH))
    from
        = lers_time_get_period_end (kind, last, zone, lers_measure_point_get_reporting_hour (point),
                                    lers_measure_point_get_reporting_day (point));
  else if (last != NULL)
    from = g_date_time_add_hours (last, 1);
  if (from == NULL)
    from = g_date_time_add_days (to, -LERS_POLLER_FIRST_READ_DAYS);
  return from;
}

static void
lers_poller_last_cb (GObject *source, GAsyncResult *result, gpointer user_data)
{
  LersPollRequest *request = user_data;
  GError *error = NULL;
  g_autoptr (GDateTime) last = NULL;

  last = lers_store_get_last_timestamp_finish (LERS_STORE (source), result, &error);
  if (error != NULL)
    {
      lers_poll_request_end_early (request, error, _ ("looking up the archive"));
      return;
    }
  request->from
      = lers_poller_from_last (request->kind, last, request->zone, request->point, request->to);
  lers_poll_request_ready (request);
}

static void
lers_poller_connection_cb (GObject *source, GAsyncResult *result, gpointer user_data)
{
  LersPollRequest *request = user_data;
  GError *error = NULL;

  request->connection = lers_store_get_connection_finish (LERS_STORE (source), result, &error);
  if (request->connection == NULL)
    {
      lers_poll_request_end_early (request, error, _ ("looking up the connection"));
      return;
    }
  if (request->from == NULL)
    {
      lers_store_get_last_timestamp_async (request->poller->store, request->point_id, request->kind,
                                           request->cancellable, lers_poller_last_cb, request);
      return;
    }
  lers_poll_request_ready (request);
}

static void
lers_poller_device_cb (GObject *source, GAsyncResult *result, gpointer user_data)
{
  LersPollRequest *request = user_data;
  GError *error = NULL;
  const gchar *clock_zone;

  request->device = lers_store_get_device_finish (LERS_STORE (source), result, &error);
  if (request->device == NULL)
    {
      lers_poll_request_end_early (request, error, _ ("looking up the device"));
      return;
    }
  /* the device's clock: its own zone, else its node's (which is the
   * territory's or the server's); the driver reads meter times in it */
  clock_zone = lers_device_get_clock_zone (request->device);
  if (clock_zone != NULL && clock_zone[0] != '\0')
    {
      g_autoptr (GTimeZone) zone = lers_time_zone_new (clock_zone, &error);
      if (zone == NULL)
        {
          lers_poll_request_end_early (request, error, _ ("reading the device's clock zone"));
          return;
        }
      lers_device_set_effective_clock_zone (request->device, zone);
    }
  else
    lers_device_set_effective_clock_zone (request->device, request->zone);
  lers_store_get_connection_async (request->poller->store,
                                   lers_device_get_connection_id (request->device),
                                   request->cancellable, lers_poller_connection_cb, request);
}

static void
lers_poller_zone_cb (GObject *source, GAsyncResult *result, gpointer user_data)
{
  LersPollRequest *request = user_data;
  GError *error = NULL;

  request->zone = lers_store_get_point_time_zone_finish (LERS_STORE (source), result, &error);
  if (request->zone == NULL)
    {
      lers_poll_request_end_early (request, error, _ ("looking up the point's time zone"));
      return;
    }
  if (!request->to_given
      && (request->kind == LERS_ARCHIVE_KIND_HOUR || request->kind == LERS_ARCHIVE_KIND_DAY
          || request->kind == LERS_ARCHIVE_KIND_MONTH))
    {
      /* only complete intervals: up to the start of the current one, by
       * the point's reporting hour and day (hours: the zone's own, which
       * start at :30 UTC in a +05:30 zone) */
      g_autoptr (GDateTime) now = g_date_time_new_now_utc ();
      g_autoptr (GDateTime) to = lers_time_get_period_start (
          request->kind, now, request->zone, lers_measure_point_get_reporting_hour (request->point),
          lers_measure_point_get_reporting_day (request->point));
      if (to != NULL)
        {
          g_date_time_unref (request->to);
          request->to = g_steal_pointer (&to);
        }
    }
  lers_store_get_device_async (request->poller->store,
                               lers_measure_point_get_device_id (request->point),
                               request->cancellable, lers_poller_device_cb, request);
}

static void
lers_poller_point_cb (GObject *source, GAsyncResult *result, gpointer user_data)
{
  LersPollRequest *request = user_data;
  GError *error = NULL;

  request->point = lers_store_get_measure_point_finish (LERS_STORE (source), result, &error);
  if (request->point == NULL)
    {
      lers_poll_request_end_early (request, error, _ ("looking up the point"));
      return;
    }
  if (lers_measure_point_get_device_id (request->point) == 0)
    {
      lers_poll_request_end_early (
          request, g_error_new (LERS_ERROR, LERS_ERROR_NOT_FOUND, _ ("the point has no device")),
          _ ("looking up the device"));
      return;
    }
  lers_store_get_point_time_zone_async (request->poller->store, request->point_id,
                                        request->cancellable, lers_poller_zone_cb, request);
}

/* Makes a request and starts looking it up; it reaches the link's queue
 * when its point, device, link and range are known. */
static LersPollRequest *
lers_poll_request_new (LersPoller *self, gint64 point_id, LersArchiveKind kind, GDateTime *from,
                       GDateTime *to, LersProgress *progress, GCancellable *cancellable)
{
  LersPollRequest *request = g_new0 (LersPollRequest, 1);
  g_autoptr (GDateTime) now = g_date_time_new_now_utc ();

  request->poller = self;
  request->point_id = point_id;
  request->kind = kind;
  request->from = from != NULL ? g_date_time_ref (from) : NULL;
  request->to = to != NULL ? g_date_time_ref (to) : lers_poller_hour_floor (now);
  request->to_given = to != NULL;
  request->progress = progress != NULL ? g_object_ref (progress) : NULL;
  request->cancellable = cancellable != NULL ? g_object_ref (cancellable) : NULL;
  return request;
}

static void
lers_poll_request_start (LersPollRequest *request)
{
  request->resolving = TRUE;
  request->poller->n_resolving++;
  lers_poll_request_set_progress (request, 0, _ ("Looking up the point"));
  lers_store_get_measure_point_async (request->poller->store, request->point_id,
                                      request->cancellable, lers_poller_point_cb, request);
}

/* ---- links and holds ---- */

typedef struct
{
  LersDevice *device;  /* the first request's, with its effective clock zone */
  GPtrArray *requests; /* of LersPollRequest for this device, not owned */
  GPtrArray *points;   /* every LersMeasurePoint of the device */
  GArray *kinds;       /* of LersArchiveKind, in the order asked */
  GPtrArray *implicit; /* of LersPollImplicit: the points nobody asked for */
  guint implicit_index;
} LersPollRun;

/* A point of the device that was not asked for one of the kinds read: it
 * gets the rows from its own stored end on, and the read covers them. */
typedef struct
{
  LersMeasurePoint *point;
  LersArchiveKind kind;
  GDateTime *from; /* NULL when its stored end could not be looked up */
} LersPollImplicit;

static void
lers_poll_implicit_free (LersPollImplicit *implicit)
{
  g_clear_object (&implicit->point);
  g_clear_pointer (&implicit->from, g_date_time_unref);
  g_free (implicit);
}

typedef struct
{
  gint64 point_id;
  GPtrArray *records; /* or LersMeterEvents */
} LersPollWrite;

typedef struct
{
  LersPoller *poller;
  LersPollLink *link;
  LersConnection *connection;
  LersTransport *transport;
  LersPollGroup *offered; /* the group whose transport this is, or NULL */
  GPtrArray *requests;    /* of LersPollRequest, owned */
  GPtrArray *runs;        /* of LersPollRun, one a device */
  guint run_index;
  guint kind_index;
  LersArchiveKind kind;
  GDateTime *from;
  GDateTime *to;
  LersDeviceDriver *driver;
  LersDeviceSession *session;
  GPtrArray *writes; /* of LersPollWrite for the current kind */
  guint write_index;
  LersProgress *progress;
  LersProgress *device_progress;
  LersProgress *read_progress;
  GPtrArray *observers; /* the callers' progresses, which mirror progress */
  GCancellable *cancellable;
  GArray *cancel_ids;
  GError *start_error;     /* the link could not be made; reported from an idle */
  LersLinkSession *record; /* what the link-session signal tells */
  GError *open_error;      /* the link could not be opened */
  GError *link_error;      /* the last read that ended on a fault of the link or device */
  GPtrArray *clock_writes; /* of LersPollWrite: the clock check's events */
  guint clock_write_index;
} LersPollHold;

static void lers_poll_hold_next_device (LersPollHold *hold);
static void lers_poll_hold_next_kind (LersPollHold *hold);
static void lers_poll_hold_write_next (LersPollHold *hold);
static void lers_poll_hold_read_events (LersPollHold *hold);
static void lers_poll_hold_next_implicit (LersPollHold *hold);

static void
lers_poll_run_free (LersPollRun *run)
{
  g_clear_object (&run->device);
  g_ptr_array_unref (run->requests);
  g_clear_pointer (&run->points, g_ptr_array_unref);
  g_clear_pointer (&run->implicit, g_ptr_array_unref);
  g_array_unref (run->kinds);
  g_free (run);
}

static void
lers_poll_write_free (LersPollWrite *write)
{
  g_ptr_array_unref (write->records);
  g_free (write);
}

static void lers_poller_gather_done (LersPollLink *link);

static gboolean
lers_poller_gather_cb (gpointer user_data)
{
  LersPollLink *link = user_data;

  link->gather_source = 0;
  lers_poller_gather_done (link);
  return G_SOURCE_REMOVE;
}

static void lers_poll_hold_start (LersPoller *self, LersPollLink *link);

static void
lers_poller_link_try_start (LersPoller *self, LersPollLink *link)
{
  if (link->held || link->waiting->len == 0)
    return;
  if (self->n_resolving > 0 && link->first_waiting_us != 0)
    {
      gint64 waited_ms = (g_get_monotonic_time () - link->first_waiting_us) / 1000;

      if (waited_ms < LERS_POLLER_GATHER_MS)
        {
          if (link->gather_source == 0)
            {
              g_autoptr (GSource) source
                  = g_timeout_source_new (LERS_POLLER_GATHER_MS - (guint) waited_ms);
              g_source_set_callback (source, lers_poller_gather_cb, link, NULL);
              link->gather_source = g_source_attach (source, g_main_context_get_thread_default ());
            }
          return;
        }
    }
  if (self->max_links > 0 && self->n_held >= self->max_links)
    {
      if (!link->in_ready)
        {
          g_queue_push_tail (&self->ready, link);
          link->in_ready = TRUE;
        }
      return;
    }
  if (link->in_ready)
    {
      g_queue_remove (&self->ready, link);
      link->in_ready = FALSE;
    }
  g_clear_handle_id (&link->gather_source, g_source_remove);
  lers_poll_hold_start (self, link);
}

static LersPollLink *
lers_poller_get_link (LersPoller *self, gint64 connection_id)
{
  LersPollLink *link = g_hash_table_lookup (self->links, &connection_id);

  if (link == NULL)
    {
      link = g_new0 (LersPollLink, 1);
      link->connection_id = connection_id;
      link->waiting = g_ptr_array_new ();
      link->poller = self;
      g_hash_table_insert (self->links, &link->connection_id, link);
    }
  return link;
}

/* A queued read that is cancelled ends at once, not when the link is
 * free. */
static gboolean
lers_poll_request_queue_cancelled_cb (GCancellable *cancellable, gpointer user_data)
{
  LersPollRequest *request = user_data;
  LersPollLink *link = request->queued_on;
  g_autoptr (LersPoller) self = g_object_ref (request->poller);

  /* a modem's open link waits for the hold: the hold ends its reads */
  if (link == NULL || link->offered != NULL)
    return G_SOURCE_REMOVE;
  g_ptr_array_remove (link->waiting, request);
  request->queued_on = NULL;
  g_clear_pointer (&request->queue_cancel, g_source_unref); /* the dispatch holds one */
  if (link->waiting->len == 0 && !link->held)
    {
      g_clear_handle_id (&link->gather_source, g_source_remove);
      if (link->in_ready)
        g_queue_remove (&self->ready, link);
      g_hash_table_remove (self->links, &link->connection_id);
    }
  lers_poll_request_report (request,
                            g_error_new (LERS_ERROR, LERS_ERROR_CANCELLED, _ ("Cancelled")), NULL);
  lers_poll_request_free (request);
  return G_SOURCE_REMOVE;
}

static void
lers_poller_link_add_waiting (LersPollLink *link, LersPollRequest *request)
{
  if (link->waiting->len == 0)
    link->first_waiting_us = g_get_monotonic_time ();
  g_ptr_array_add (link->waiting, request);
  request->queued_on = link;
  if (request->cancellable != NULL && request->queue_cancel == NULL)
    {
      request->queue_cancel = g_cancellable_source_new (request->cancellable);
      g_source_set_callback (request->queue_cancel,
                             G_SOURCE_FUNC (lers_poll_request_queue_cancelled_cb), request, NULL);
      g_source_attach (request->queue_cancel, g_main_context_get_thread_default ());
    }
}

static void
lers_poller_gather_done (LersPollLink *link)
{
  /* waited long enough for the reads still being looked up */
  link->first_waiting_us = 0;
  lers_poller_link_try_start (link->poller, link);
}

static void
lers_poller_enqueue_one (LersPoller *self, LersPollRequest *request)
{
  LersPollLink *link = lers_poller_get_link (self, lers_connection_get_id (request->connection));

  lers_poller_resolved (self, request);
  lers_poller_link_add_waiting (link, request);
}

static void
lers_poller_enqueue (LersPoller *self, LersPollRequest *request)
{
  lers_poller_enqueue_one (self, request);
  if (self->n_resolving == 0)
    lers_poller_kick_links (self);
  else
    lers_poller_link_try_start (
        self, lers_poller_get_link (self, lers_connection_get_id (request->connection)));
}

static void
lers_poll_hold_mirror_cb (LersProgress *progress, GParamSpec *pspec, gpointer user_data)
{
  LersPollHold *hold = user_data;

  for (guint i = 0; i < hold->observers->len; i++)
    {
      LersProgress *observer = g_ptr_array_index (hold->observers, i);
      lers_progress_set_message (observer, lers_progress_get_message (progress));
      lers_progress_set_fraction (observer, lers_progress_get_fraction (progress));
    }
}

static void
lers_poll_hold_request_cancelled_cb (GCancellable *cancellable, gpointer user_data)
{
  LersPollHold *hold = user_data;

  /* the link is let go when every read it serves is cancelled */
  for (guint i = 0; i < hold->requests->len; i++)
    {
      LersPollRequest *request = g_ptr_array_index (hold->requests, i);
      if (!request->done
          && (request->cancellable == NULL || !g_cancellable_is_cancelled (request->cancellable)))
        return;
    }
  g_cancellable_cancel (hold->cancellable);
}

/* Reports @request's outcome inside a hold; takes @error. */
/* A fault of the link or the device behind it, rather than of the
 * database or the caller. */
static gboolean
lers_poll_is_link_error (const GError *error)
{
  return error != NULL && error->domain == LERS_ERROR
         && (error->code == LERS_ERROR_CONNECTION || error->code == LERS_ERROR_TIMED_OUT
             || error->code == LERS_ERROR_CHECKSUM || error->code == LERS_ERROR_INVALID_DATA);
}

/* "tcp:127.0.0.1:5000, address 7": where a request's device is */
static gchar *
lers_poll_hold_where (LersPollHold *hold, LersPollRequest *request)
{
  const gchar *link = hold->transport != NULL ? lers_transport_get_description (hold->transport)
                                              : lers_connection_get_title (hold->connection);
  const gchar *address
      = request->device != NULL ? lers_device_get_network_address (request->device) : NULL;

  if (link == NULL || link[0] == '\0')
    link = "?";
  if (address != NULL && address[0] != '\0')
    return g_strdup_printf (_ ("%s, address %s"), link, address);
  return g_strdup (link);
}

/* The link or the device failed a read: the link session ends on it. */
static void
lers_poll_hold_note_link_error (LersPollHold *hold, const GError *error)
{
  if (!lers_poll_is_link_error (error))
    return;
  g_clear_error (&hold->link_error);
  hold->link_error = g_error_copy (error);
}

static void
lers_poll_hold_report (LersPollHold *hold, LersPollRequest *request, GError *error,
                       const gchar *context)
{
  if (request->done)
    {
      g_clear_error (&error);
      return;
    }
  if (error != NULL && request->where == NULL)
    request->where = lers_poll_hold_where (hold, request);
  if (request->progress != NULL)
    {
      gboolean shared = FALSE;

      /* a group's progress is shared by its members: it stops following
       * the hold when the last of them here is done (the group then sets
       * 1.0, which the hold's later steps must not undo) */
      for (guint i = 0; i < hold->requests->len && !shared; i++)
        {
          LersPollRequest *other = g_ptr_array_index (hold->requests, i);
          shared = other != request && !other->done && other->progress == request->progress;
        }
      if (!shared)
        g_ptr_array_remove (hold->observers, request->progress);
    }
  lers_poll_request_report (request, error, context);
}

static void
lers_poll_hold_fail_all (LersPollHold *hold, GPtrArray *requests, const GError *error,
                         const gchar *context)
{
  for (guint i = 0; i < requests->len; i++)
    lers_poll_hold_report (hold, g_ptr_array_index (requests, i), g_error_copy (error), context);
}

/* The identity of a GPRS modem that called in, from its link's
 * description (`gprs:IDENTITY`); NULL for other links. */
static const gchar *
lers_poll_hold_modem_identity (LersPollHold *hold)
{
  const gchar *description;

  if (hold->offered == NULL || hold->transport == NULL)
    return NULL;
  description = lers_transport_get_description (hold->transport);
  if (description == NULL || !g_str_has_prefix (description, "gprs:"))
    return NULL;
  return description + strlen ("gprs:");
}

static gboolean
lers_poll_hold_was_cancelled (LersPollHold *hold)
{
  if (g_cancellable_is_cancelled (hold->cancellable))
    return TRUE;
  for (guint i = 0; i < hold->requests->len; i++)
    {
      LersPollRequest *request = g_ptr_array_index (hold->requests, i);
      if (request->cancellable == NULL || !g_cancellable_is_cancelled (request->cancellable))
        return FALSE;
    }
  return hold->requests->len > 0;
}

/* Tells LersPoller::link-session how the hold's use of the link went. */
static void
lers_poll_hold_emit_session (LersPollHold *hold)
{
  LersLinkSession *record = hold->record;
  g_autoptr (GDateTime) now = lers_clock_get_now_utc (hold->poller->clock);
  const gchar *identity = lers_poll_hold_modem_identity (hold);
  g_autofree gchar *server_reason = NULL;
  const gchar *reason = "done";
  const GError *error = NULL;

  if (record == NULL)
    return;
  /* a clock set back meanwhile must not end a session before it began */
  if (g_date_time_compare (now, lers_link_session_get_started (record)) < 0)
    lers_link_session_set_ended (record, lers_link_session_get_started (record));
  else
    lers_link_session_set_ended (record, now);
  if (hold->transport != NULL)
    lers_link_session_set_bytes (record, lers_transport_get_bytes_received (hold->transport),
                                 lers_transport_get_bytes_sent (hold->transport));
  if (identity != NULL)
    {
      gpointer key = NULL;
      gpointer value = NULL;

      lers_link_session_set_modem_identity (record, identity);
      if (g_hash_table_steal_extended (hold->poller->gprs_reasons, identity, &key, &value))
        {
          g_free (key);
          server_reason = value;
        }
    }
  if (hold->open_error != NULL)
    {
      reason = "open-failed";
      error = hold->open_error;
    }
  else if (lers_poll_hold_was_cancelled (hold))
    reason = "cancelled";
  else if (server_reason != NULL && !g_str_equal (server_reason, "done"))
    {
      /* the GPRS server ended it (idle, max-session, replaced, stopped) */
      reason = server_reason;
      error = hold->link_error;
    }
  else if (hold->link_error != NULL)
    {
      reason = "error";
      error = hold->link_error;
    }
  lers_link_session_set_end_reason (record, reason);
  lers_link_session_set_error (record, error != NULL ? error->message : NULL);
  if (hold->transport != NULL && LERS_IS_MODEM_TRANSPORT (hold->transport))
    {
      LersModemTransport *modem = LERS_MODEM_TRANSPORT (hold->transport);

      lers_link_session_set_signal_level (record, lers_modem_transport_get_signal_level (modem));
      lers_link_session_set_firmware (record, lers_modem_transport_get_firmware (modem));
      lers_link_session_set_sim_id (record, lers_modem_transport_get_sim_id (modem));
    }
  g_debug ("link %" G_GINT64_FORMAT ": session %s, %" G_GUINT64_FORMAT
           " bytes in, %" G_GUINT64_FORMAT " bytes out%s%s",
           lers_link_session_get_connection_id (record), reason,
           lers_link_session_get_bytes_in (record), lers_link_session_get_bytes_out (record),
           error != NULL ? ": " : "", error != NULL ? error->message : "");
  g_signal_emit (hold->poller, signals[SIGNAL_LINK_SESSION], 0, record);
}

static void
lers_poll_hold_end (LersPollHold *hold)
{
  LersPoller *self = hold->poller;
  LersPollLink *link = hold->link;
  g_autoptr (GError) error
      = g_error_new (LERS_ERROR, LERS_ERROR_FAILED, _ ("the read ended unexpectedly"));

  /* every request has its outcome by now; this is a safety net */
  lers_poll_hold_fail_all (hold, hold->requests, error, NULL);
  lers_poll_hold_emit_session (hold);
  for (guint i = 0; i < hold->requests->len; i++)
    {
      LersPollRequest *request = g_ptr_array_index (hold->requests, i);
      gulong id = g_array_index (hold->cancel_ids, gulong, i);
      if (id != 0)
        g_cancellable_disconnect (request->cancellable, id);
    }
  g_signal_handlers_disconnect_by_data (hold->progress, hold);
  if (hold->offered != NULL)
    lers_poll_group_member_done (hold->offered, NULL, NULL);
  g_ptr_array_unref (hold->requests);
  g_ptr_array_unref (hold->runs);
  g_clear_pointer (&hold->writes, g_ptr_array_unref);
  g_clear_pointer (&hold->from, g_date_time_unref);
  g_clear_pointer (&hold->to, g_date_time_unref);
  g_clear_object (&hold->driver);
  g_clear_object (&hold->session);
  g_clear_object (&hold->transport);
  g_clear_object (&hold->connection);
  g_clear_object (&hold->progress);
  g_ptr_array_unref (hold->observers);
  g_clear_object (&hold->cancellable);
  g_array_unref (hold->cancel_ids);
  g_clear_object (&hold->record);
  g_clear_pointer (&hold->clock_writes, g_ptr_array_unref);
  g_clear_error (&hold->open_error);
  g_clear_error (&hold->link_error);
  g_free (hold);

  link->held = FALSE;
  self->n_held--;
  if (link->waiting->len > 0 && !g_queue_is_empty (&self->ready))
    {
      /* others waited for a free hold: this link queues behind them */
      if (!link->in_ready)
        {
          g_queue_push_tail (&self->ready, link);
          link->in_ready = TRUE;
        }
    }
  else if (link->waiting->len > 0)
    lers_poller_link_try_start (self, link);
  else if (!link->in_ready)
    g_hash_table_remove (self->links, &link->connection_id);
  while (!g_queue_is_empty (&self->ready)
         && (self->max_links == 0 || self->n_held < self->max_links))
    {
      LersPollLink *next = g_queue_pop_head (&self->ready);
      next->in_ready = FALSE;
      lers_poller_link_try_start (self, next);
    }
  g_object_unref (self);
}

static void
lers_poll_hold_transport_closed_cb (GObject *source, GAsyncResult *result, gpointer user_data)
{
  LersPollHold *hold = user_data;
  g_autoptr (GError) error = NULL;

  if (!lers_transport_close_finish (LERS_TRANSPORT (source), result, &error))
    g_debug ("closing %s: %s", lers_transport_get_description (LERS_TRANSPORT (source)),
             error->message);
  lers_poll_hold_end (hold);
}

static void
lers_poll_hold_close_transport (LersPollHold *hold)
{
  if (hold->transport == NULL || !lers_transport_is_open (hold->transport))
    {
      lers_poll_hold_end (hold);
      return;
    }
  lers_transport_close_async (hold->transport, NULL, lers_poll_hold_transport_closed_cb, hold);
}

static void
lers_poll_hold_opened_cb (GObject *source, GAsyncResult *result, gpointer user_data)
{
  LersPollHold *hold = user_data;
  GError *error = NULL;

  if (!lers_transport_open_finish (LERS_TRANSPORT (source), result, &error))
    {
      lers_error_convert (&error);
      hold->open_error = g_error_copy (error);
      lers_poll_hold_fail_all (hold, hold->requests, error, _ ("connecting"));
      g_error_free (error);
      lers_poll_hold_end (hold);
      return;
    }
  lers_progress_step_done (hold->progress);
  lers_poll_hold_next_device (hold);
}

static gboolean
lers_poll_hold_start_failed_cb (gpointer user_data)
{
  LersPollHold *hold = user_data;
  g_autoptr (GError) error = g_steal_pointer (&hold->start_error);

  hold->open_error = g_error_copy (error);
  lers_poll_hold_fail_all (hold, hold->requests, error, _ ("connecting"));
  lers_poll_hold_end (hold);
  return G_SOURCE_REMOVE;
}

static void
lers_poll_hold_start (LersPoller *self, LersPollLink *link)
{
  LersPollHold *hold = g_new0 (LersPollHold, 1);
  GError *error = NULL;
  LersPollRequest *first;

  hold->poller = g_object_ref (self);
  hold->link = link;
  hold->requests = g_steal_pointer (&link->waiting);
  link->waiting = g_ptr_array_new ();
  for (guint i = 0; i < hold->requests->len; i++)
    lers_poll_request_unqueue (g_ptr_array_index (hold->requests, i));
  link->first_waiting_us = 0;
  hold->offered = g_steal_pointer (&link->offered);
  link->held = TRUE;
  self->n_held++;
  self->n_holds++;
  first = g_ptr_array_index (hold->requests, 0);
  hold->connection = g_object_ref (first->connection);
  hold->runs = g_ptr_array_new_with_free_func ((GDestroyNotify) lers_poll_run_free);
  hold->observers = g_ptr_array_new ();
  hold->cancellable = g_cancellable_new ();
  hold->cancel_ids = g_array_sized_new (FALSE, TRUE, sizeof (gulong), hold->requests->len);
  g_ptr_array_set_free_func (hold->requests, (GDestroyNotify) lers_poll_request_free);
  {
    g_autoptr (GDateTime) now = lers_clock_get_now_utc (self->clock);
    hold->record = lers_link_session_new (lers_connection_get_id (hold->connection), now);
  }

  /* one run a device, in the order asked */
  for (guint i = 0; i < hold->requests->len; i++)
    {
      LersPollRequest *request = g_ptr_array_index (hold->requests, i);
      gint64 device_id = lers_device_get_id (request->device);
      LersPollRun *run = NULL;
      gboolean has_kind = FALSE;

      for (guint j = 0; j < hold->runs->len && run == NULL; j++)
        {
          LersPollRun *r = g_ptr_array_index (hold->runs, j);
          if (lers_device_get_id (r->device) == device_id)
            run = r;
        }
      if (run == NULL)
        {
          run = g_new0 (LersPollRun, 1);
          run->device = g_object_ref (request->device);
          run->requests = g_ptr_array_new ();
          run->kinds = g_array_new (FALSE, FALSE, sizeof (LersArchiveKind));
          g_ptr_array_add (hold->runs, run);
        }
      g_ptr_array_add (run->requests, request);
      for (guint k = 0; k < run->kinds->len; k++)
        has_kind |= g_array_index (run->kinds, LersArchiveKind, k) == request->kind;
      if (!has_kind)
        g_array_append_val (run->kinds, request->kind);
      if (request->progress != NULL && !g_ptr_array_find (hold->observers, request->progress, NULL))
        g_ptr_array_add (hold->observers, request->progress);
    }

  /* connect 5 %, the devices 90 %, closing the link 5 % */
  hold->progress = lers_progress_new ();
  lers_progress_add_step (hold->progress, 5 * hold->runs->len, _ ("Connecting"));
  for (guint i = 0; i < hold->runs->len; i++)
    lers_progress_add_step (hold->progress, 90, _ ("Reading the device"));
  /* closing the link: a read reports 100 % when its own device is done */
  lers_progress_add_step (hold->progress, 5 * hold->runs->len, NULL);
  g_signal_connect (hold->progress, "notify::fraction", G_CALLBACK (lers_poll_hold_mirror_cb),
                    hold);
  g_signal_connect (hold->progress, "notify::message", G_CALLBACK (lers_poll_hold_mirror_cb), hold);
  lers_poll_hold_mirror_cb (hold->progress, NULL, hold);

  for (guint i = 0; i < hold->requests->len; i++)
    {
      LersPollRequest *request = g_ptr_array_index (hold->requests, i);
      gulong id = 0;
      if (request->cancellable != NULL)
        id = g_cancellable_connect (request->cancellable,
                                    G_CALLBACK (lers_poll_hold_request_cancelled_cb), hold, NULL);
      g_array_append_val (hold->cancel_ids, id);
    }

  if (hold->offered != NULL)
    {
      /* a modem that called in: its link is open */
      hold->transport = g_object_ref (hold->offered->transport);
      lers_transport_apply_connection (hold->transport, hold->connection);
      {
        const gchar *identity = lers_poll_hold_modem_identity (hold);
        /* what the server said of this modem's earlier sessions is not this one's */
        if (identity != NULL)
          g_hash_table_remove (self->gprs_reasons, identity);
      }
      lers_progress_step_done (hold->progress);
      lers_poll_hold_next_device (hold);
      return;
    }
  hold->transport = lers_transport_new_for_connection (hold->connection, &error);
  if (hold->transport == NULL)
    {
      /* never end a hold inside its start: the caller may still be
       * looking at the requests it just handed over */
      g_autoptr (GSource) source = g_idle_source_new ();
      hold->start_error = error;
      g_source_set_callback (source, lers_poll_hold_start_failed_cb, hold, NULL);
      g_source_attach (source, g_main_context_get_thread_default ());
      return;
    }
  lers_transport_open_async (hold->transport, hold->cancellable, lers_poll_hold_opened_cb, hold);
}

static LersPollRun *
lers_poll_hold_run (LersPollHold *hold)
{
  return g_ptr_array_index (hold->runs, hold->run_index);
}

static gboolean
lers_poll_run_is_live (LersPollRun *run)
{
  for (guint i = 0; i < run->requests->len; i++)
    if (!((LersPollRequest *) g_ptr_array_index (run->requests, i))->done)
      return TRUE;
  return FALSE;
}

static void
lers_poll_hold_device_done (LersPollHold *hold)
{
  LersPollRun *run = lers_poll_hold_run (hold);

  /* what is left of the device's reads went well */
  for (guint i = 0; i < run->requests->len; i++)
    lers_poll_hold_report (hold, g_ptr_array_index (run->requests, i), NULL, NULL);
  g_clear_object (&hold->session);
  g_clear_object (&hold->driver);
  hold->read_progress = NULL;
  hold->device_progress = NULL;
  lers_progress_step_done (hold->progress);
  hold->run_index++;
  lers_poll_hold_next_device (hold);
}

static void
lers_poll_hold_session_closed_cb (GObject *source, GAsyncResult *result, gpointer user_data)
{
  LersPollHold *hold = user_data;
  g_autoptr (GError) error = NULL;

  if (!lers_device_session_close_finish (LERS_DEVICE_SESSION (source), result, &error))
    g_debug ("closing the session: %s", error->message);
  lers_poll_hold_device_done (hold);
}

static void
lers_poll_hold_close_session (LersPollHold *hold)
{
  if (hold->session == NULL)
    {
      lers_poll_hold_device_done (hold);
      return;
    }
  lers_device_session_close_async (hold->session, NULL, lers_poll_hold_session_closed_cb, hold);
}

static void lers_poll_hold_write_event_next (LersPollHold *hold);
/* Called when a failed write is dealt with: @error NULL when its rows are
 * kept in the spool, else the error to report (owned by the callee). */
typedef void (*LersPollSpooledFunc) (LersPollHold *hold, GError *error);
static void lers_poll_hold_spool (LersPollHold *hold, gint64 point_id, GPtrArray *records,
                                  GPtrArray *events, GError *error, LersPollSpooledFunc done);
static void lers_poll_hold_events_spooled (LersPollHold *hold, GError *error);

static void
lers_poll_hold_events_written_cb (GObject *source, GAsyncResult *result, gpointer user_data)
{
  LersPollHold *hold = user_data;
  LersPollWrite *write = g_ptr_array_index (hold->writes, hold->write_index);
  GError *error = NULL;

  if (lers_store_write_meter_events_finish (LERS_STORE (source), result, &error) < 0)
    {
      lers_poll_hold_spool (hold, write->point_id, NULL, write->records, error,
                            lers_poll_hold_events_spooled);
      return;
    }
  lers_poll_hold_events_spooled (hold, NULL);
}

static void
lers_poll_hold_events_spooled (LersPollHold *hold, GError *error)
{
  LersPollWrite *write = g_ptr_array_index (hold->writes, hold->write_index);

  if (error != NULL)
    {
      LersPollRun *run = lers_poll_hold_run (hold);

      g_debug ("point %" PRId64 ": saving meter events: %s", write->point_id, error->message);
      /* events lost for want of room are not lost silently */
      if (g_error_matches (error, LERS_ERROR, LERS_ERROR_BUSY))
        for (guint i = 0; i < run->requests->len; i++)
          {
            LersPollRequest *request = g_ptr_array_index (run->requests, i);
            if (request->point_id == write->point_id)
              lers_poll_hold_report (hold, request, g_error_copy (error),
                                     _ ("saving meter events"));
          }
      g_error_free (error);
    }
  hold->write_index++;
  lers_poll_hold_write_event_next (hold);
}

static void
lers_poll_hold_write_event_next (LersPollHold *hold)
{
  LersPollWrite *write;

  if (hold->write_index >= hold->writes->len)
    {
      g_clear_pointer (&hold->writes, g_ptr_array_unref);
      lers_poll_hold_close_session (hold);
      return;
    }
  write = g_ptr_array_index (hold->writes, hold->write_index);
  lers_store_write_meter_events_async (hold->poller->store, write->point_id, write->records,
                                       hold->cancellable, lers_poll_hold_events_written_cb, hold);
}

static void
lers_poll_hold_events_cb (GObject *source, GAsyncResult *result, gpointer user_data)
{
  LersPollHold *hold = user_data;
  LersPollRun *run = lers_poll_hold_run (hold);
  g_autoptr (GPtrArray) events = NULL;
  g_autoptr (GError) error = NULL;

  events = lers_device_session_read_events_finish (LERS_DEVICE_SESSION (source), result, &error);
  if (events == NULL)
    {
      /* a device without a journal is fine; a failed read of it does not
       * undo the archive that was read */
      if (!g_error_matches (error, LERS_ERROR, LERS_ERROR_NOT_SUPPORTED))
        g_debug ("device %s: reading meter events: %s", lers_device_get_serial_number (run->device),
                 error->message);
      lers_poll_hold_close_session (hold);
      return;
    }
  /* each event to every point of the device on its channel */
  hold->writes = g_ptr_array_new_with_free_func ((GDestroyNotify) lers_poll_write_free);
  hold->write_index = 0;
  for (guint p = 0; p < run->points->len; p++)
    {
      LersMeasurePoint *point = g_ptr_array_index (run->points, p);
      GPtrArray *mine = g_ptr_array_new_with_free_func (g_object_unref);
      LersPollWrite *write;

      for (guint i = 0; i < events->len; i++)
        {
          LersMeterEvent *event = g_ptr_array_index (events, i);
          if (lers_meter_event_get_channel (event) == lers_measure_point_get_channel (point))
            g_ptr_array_add (mine, g_object_ref (event));
        }
      if (mine->len == 0)
        {
          g_ptr_array_unref (mine);
          continue;
        }
      write = g_new0 (LersPollWrite, 1);
      write->point_id = lers_measure_point_get_id (point);
      write->records = mine;
      g_ptr_array_add (hold->writes, write);
    }
  lers_poll_hold_write_event_next (hold);
}

/* The meter's journal for the range the device's reads covered. */
static void
lers_poll_hold_read_events (LersPollHold *hold)
{
  LersPollRun *run = lers_poll_hold_run (hold);
  GDateTime *from = NULL;
  GDateTime *to = NULL;

  for (guint i = 0; i < run->requests->len; i++)
    {
      LersPollRequest *request = g_ptr_array_index (run->requests, i);

      if (request->kind == LERS_ARCHIVE_KIND_CURRENT || request->kind == LERS_ARCHIVE_KIND_TOTALS)
        continue;
      if (from == NULL || g_date_time_compare (request->from, from) < 0)
        from = request->from;
      if (to == NULL || g_date_time_compare (request->to, to) > 0)
        to = request->to;
    }
  if (from == NULL || hold->session == NULL || g_cancellable_is_cancelled (hold->cancellable))
    {
      lers_poll_hold_close_session (hold);
      return;
    }
  lers_device_session_read_events_async (hold->session, from, to, NULL, hold->cancellable,
                                         lers_poll_hold_events_cb, hold);
}

typedef struct
{
  LersPollHold *hold;
  gint64 point_id;
  GError *error; /* the database's */
  LersPollSpooledFunc done;
} LersPollSpooling;

static void
lers_poll_hold_spooled_cb (GObject *source, GAsyncResult *result, gpointer user_data)
{
  LersPollSpooling *spooling = user_data;
  GError *spool_error = NULL;

  if (!lers_poll_spool_add_finish (LERS_POLL_SPOOL (source), result, &spool_error))
    {
      g_debug ("point %" PRId64 ": %s; spooling: %s", spooling->point_id, spooling->error->message,
               spool_error->message);
      g_error_free (spooling->error);
      spooling->done (spooling->hold, spool_error);
    }
  else
    {
      g_debug ("point %" PRId64 ": the database is away (%s): rows spooled", spooling->point_id,
               spooling->error->message);
      g_error_free (spooling->error);
      spooling->done (spooling->hold, NULL);
    }
  g_free (spooling);
}

/* A write that failed (@error, taken) because the database is gone goes to
 * the spool, in a worker thread (the write is synced to disk): @done gets
 * NULL when the rows are kept there, else the error to report (the
 * database's, or the spool's LERS_ERROR_BUSY when it is full). */
static void
lers_poll_hold_spool (LersPollHold *hold, gint64 point_id, GPtrArray *records, GPtrArray *events,
                      GError *error, LersPollSpooledFunc done)
{
  LersPollSpool *spool = hold->poller->spool;
  LersPollSpooling *spooling;

  if (spool == NULL || !g_error_matches (error, LERS_ERROR, LERS_ERROR_CONNECTION))
    {
      done (hold, error);
      return;
    }
  spooling = g_new0 (LersPollSpooling, 1);
  spooling->hold = hold;
  spooling->point_id = point_id;
  spooling->error = error;
  spooling->done = done;
  lers_poll_spool_add_async (spool, point_id, records, events, lers_poll_hold_spooled_cb, spooling);
}

static void lers_poll_hold_records_spooled (LersPollHold *hold, GError *error);

static void
lers_poll_hold_written_cb (GObject *source, GAsyncResult *result, gpointer user_data)
{
  LersPollHold *hold = user_data;
  LersPollWrite *write = g_ptr_array_index (hold->writes, hold->write_index);
  GError *error = NULL;

  if (!lers_store_write_records_finish (LERS_STORE (source), result, &error))
    {
      lers_poll_hold_spool (hold, write->point_id, write->records, NULL, error,
                            lers_poll_hold_records_spooled);
      return;
    }
  lers_poll_hold_records_spooled (hold, NULL);
}

static void
lers_poll_hold_records_spooled (LersPollHold *hold, GError *error)
{
  LersPollWrite *write = g_ptr_array_index (hold->writes, hold->write_index);
  LersPollRun *run = lers_poll_hold_run (hold);

  if (error != NULL)
    {
      gboolean asked = FALSE;

      for (guint i = 0; i < run->requests->len; i++)
        {
          LersPollRequest *request = g_ptr_array_index (run->requests, i);
          if (request->point_id == write->point_id && request->kind == hold->kind)
            {
              asked = TRUE;
              lers_poll_hold_report (hold, request, g_error_copy (error), _ ("saving the archive"));
            }
        }
      if (!asked)
        g_debug ("point %" PRId64 ": saving the archive: %s", write->point_id, error->message);
      g_error_free (error);
    }
  hold->write_index++;
  lers_poll_hold_write_next (hold);
}

static void
lers_poll_hold_write_next (LersPollHold *hold)
{
  if (hold->write_index >= hold->writes->len)
    {
      g_clear_pointer (&hold->writes, g_ptr_array_unref);
      hold->kind_index++;
      lers_poll_hold_next_kind (hold);
      return;
    }
  lers_store_write_records_async (
      hold->poller->store,
      ((LersPollWrite *) g_ptr_array_index (hold->writes, hold->write_index))->point_id,
      ((LersPollWrite *) g_ptr_array_index (hold->writes, hold->write_index))->records,
      hold->cancellable, lers_poll_hold_written_cb, hold);
}

static gboolean
lers_poll_request_wants (LersPollRequest *request, LersRecord *record)
{
  GDateTime *ts;

  if (request->kind == LERS_ARCHIVE_KIND_CURRENT || request->kind == LERS_ARCHIVE_KIND_TOTALS)
    return TRUE;
  ts = lers_record_get_timestamp (record);
  return ts != NULL && g_date_time_compare (ts, request->from) >= 0
         && g_date_time_compare (ts, request->to) < 0;
}

/* Where @point_id's rows of @kind start: the earliest of its requests
 * for it, else its own stored end; NULL for current values and totals,
 * or when unknown (then it gets every row). */
static GDateTime *
lers_poll_run_own_from (LersPollRun *run, gint64 point_id, LersArchiveKind kind)
{
  GDateTime *from = NULL;

  if (kind == LERS_ARCHIVE_KIND_CURRENT || kind == LERS_ARCHIVE_KIND_TOTALS)
    return NULL;
  for (guint i = 0; i < run->requests->len; i++)
    {
      LersPollRequest *request = g_ptr_array_index (run->requests, i);

      if (request->point_id == point_id && request->kind == kind && request->from != NULL
          && (from == NULL || g_date_time_compare (request->from, from) < 0))
        from = request->from;
    }
  for (guint i = 0; from == NULL && run->implicit != NULL && i < run->implicit->len; i++)
    {
      LersPollImplicit *implicit = g_ptr_array_index (run->implicit, i);

      if (lers_measure_point_get_id (implicit->point) == point_id && implicit->kind == kind)
        from = implicit->from;
    }
  return from;
}

/* Splits the device's records by channel: to every point of the device
 * whose channel they carry, asked for or not. */
static void
lers_poll_hold_split (LersPollHold *hold, GPtrArray *records)
{
  LersPollRun *run = lers_poll_hold_run (hold);

  hold->writes = g_ptr_array_new_with_free_func ((GDestroyNotify) lers_poll_write_free);
  hold->write_index = 0;
  for (guint p = 0; p < run->points->len; p++)
    {
      LersMeasurePoint *point = g_ptr_array_index (run->points, p);
      guint channel = lers_measure_point_get_channel (point);
      gint64 point_id = lers_measure_point_get_id (point);
      g_autoptr (GPtrArray) mine = g_ptr_array_new_with_free_func (g_object_unref);
      GDateTime *own_from = lers_poll_run_own_from (run, point_id, hold->kind);
      gboolean has_channel = FALSE;

      /* each point only from its own start: rows before it are either
       * stored already or someone else's range */
      for (guint i = 0; i < records->len; i++)
        {
          LersRecord *record = g_ptr_array_index (records, i);
          GDateTime *ts = lers_record_get_timestamp (record);

          if (lers_record_get_channel (record) != channel)
            continue;
          has_channel = TRUE;
          if (own_from != NULL && ts != NULL && g_date_time_compare (ts, own_from) < 0)
            continue;
          g_ptr_array_add (mine, g_object_ref (record));
        }
      for (guint r = 0; r < run->requests->len; r++)
        {
          LersPollRequest *request = g_ptr_array_index (run->requests, r);

          if (request->done || request->point_id != point_id || request->kind != hold->kind)
            continue;
          if (!has_channel && records->len > 0)
            {
              /* the device answered, but not for this point's channel: say
               * so rather than store nothing on every read */
              lers_poll_hold_report (hold, request,
                                     g_error_new (LERS_ERROR, LERS_ERROR_NOT_FOUND,
                                                  _ ("the device has no channel %u"), channel),
                                     _ ("reading the device"));
              continue;
            }
          request->n_stored = 0;
          for (guint i = 0; i < mine->len; i++)
            request->n_stored += lers_poll_request_wants (request, g_ptr_array_index (mine, i));
        }
      if (mine->len > 0)
        {
          LersPollWrite *write = g_new0 (LersPollWrite, 1);
          write->point_id = point_id;
          write->records = g_steal_pointer (&mine);
          g_ptr_array_add (hold->writes, write);
        }
    }
  /* a requested point that is no longer the device's gets nothing */
  for (guint r = 0; r < run->requests->len; r++)
    {
      LersPollRequest *request = g_ptr_array_index (run->requests, r);
      gboolean listed = FALSE;

      for (guint p = 0; p < run->points->len && !listed; p++)
        listed
            = lers_measure_point_get_id (g_ptr_array_index (run->points, p)) == request->point_id;
      if (!listed && !request->done && request->kind == hold->kind)
        lers_poll_hold_report (
            hold, request,
            g_error_new (LERS_ERROR, LERS_ERROR_NOT_FOUND, _ ("the point is no longer there")),
            _ ("saving the archive"));
    }
}

static void
lers_poll_hold_fail_kind (LersPollHold *hold, const GError *error, const gchar *context)
{
  LersPollRun *run = lers_poll_hold_run (hold);

  for (guint i = 0; i < run->requests->len; i++)
    {
      LersPollRequest *request = g_ptr_array_index (run->requests, i);
      if (request->kind == hold->kind)
        lers_poll_hold_report (hold, request, g_error_copy (error), context);
    }
}

static void
lers_poll_hold_read_done (LersPollHold *hold, GPtrArray *records, GError *error)
{
  if (records == NULL)
    {
      lers_poll_hold_note_link_error (hold, error);
      lers_poll_hold_fail_kind (hold, error, _ ("reading the device"));
      g_error_free (error);
      hold->kind_index++;
      lers_poll_hold_next_kind (hold);
      return;
    }
  lers_poll_hold_split (hold, records);
  g_ptr_array_unref (records);
  lers_poll_hold_write_next (hold);
}

static void
lers_poll_hold_read_cb (GObject *source, GAsyncResult *result, gpointer user_data)
{
  LersPollHold *hold = user_data;
  GError *error = NULL;
  GPtrArray *records;

  records = lers_device_session_read_archive_finish (LERS_DEVICE_SESSION (source), result, &error);
  lers_poll_hold_read_done (hold, records, error);
}

static void
lers_poll_hold_next_kind (LersPollHold *hold)
{
  LersPollRun *run = lers_poll_hold_run (hold);
  LersProgress *progress;

  g_clear_pointer (&hold->from, g_date_time_unref);
  g_clear_pointer (&hold->to, g_date_time_unref);
  if (hold->kind_index > 0 && run->kinds->len > 1)
    lers_progress_step_done (hold->read_progress);
  if (hold->kind_index >= run->kinds->len || g_cancellable_is_cancelled (hold->cancellable))
    {
      lers_progress_step_done (hold->device_progress);
      lers_progress_step_done (hold->device_progress);
      lers_poll_hold_read_events (hold);
      return;
    }
  hold->kind = g_array_index (run->kinds, LersArchiveKind, hold->kind_index);
  /* one read for every point of the device that wants this kind: the
   * union of their ranges */
  for (guint i = 0; i < run->requests->len; i++)
    {
      LersPollRequest *request = g_ptr_array_index (run->requests, i);

      if (request->done || request->kind != hold->kind)
        continue;
      if (hold->from == NULL || g_date_time_compare (request->from, hold->from) < 0)
        {
          g_clear_pointer (&hold->from, g_date_time_unref);
          hold->from = g_date_time_ref (request->from);
        }
      if (hold->to == NULL || g_date_time_compare (request->to, hold->to) > 0)
        {
          g_clear_pointer (&hold->to, g_date_time_unref);
          hold->to = g_date_time_ref (request->to);
        }
    }
  if (hold->from == NULL)
    {
      hold->kind_index++;
      lers_poll_hold_next_kind (hold);
      return;
    }
  /* and the device's other points from their own stored ends, so that
   * the rows they get leave no gap */
  for (guint i = 0; run->implicit != NULL && i < run->implicit->len; i++)
    {
      LersPollImplicit *implicit = g_ptr_array_index (run->implicit, i);

      if (implicit->kind != hold->kind || implicit->from == NULL
          || g_date_time_compare (implicit->from, hold->from) >= 0)
        continue;
      g_date_time_unref (hold->from);
      hold->from = g_date_time_ref (implicit->from);
    }
  progress
      = run->kinds->len > 1 ? lers_progress_get_child (hold->read_progress) : hold->read_progress;
  lers_device_session_read_archive_async (hold->session, hold->kind, hold->from, hold->to, progress,
                                          hold->cancellable, lers_poll_hold_read_cb, hold);
}

static void
lers_poll_hold_start_reads (LersPollHold *hold)
{
  LersPollRun *run = lers_poll_hold_run (hold);

  lers_progress_step_done (hold->device_progress);
  hold->read_progress = lers_progress_get_child (hold->device_progress);
  for (guint i = 0; i < run->kinds->len && run->kinds->len > 1; i++)
    lers_progress_add_step (hold->read_progress, 1, NULL);
  hold->kind_index = 0;
  lers_poll_hold_next_kind (hold);
}

/* ---- the clock check ---- */

#define LERS_POLLER_CLOCK_DRIFT_LIMIT 120
#define LERS_POLLER_CLOCK_CORRECT_MAX 60
/* the clock is set only between these minutes of the hour, so that the
 * shift never moves it across an archive boundary */
#define LERS_POLLER_CLOCK_FIRST_MINUTE 5
#define LERS_POLLER_CLOCK_LAST_MINUTE 55

typedef struct
{
  LersPollHold *hold;
  GDateTime *now; /* the server's time when the device's clock was read */
  gint64 drift;   /* device − server, seconds */
  gchar *text;    /* the drift event's */
} LersPollClockCheck;

static void
lers_poll_clock_check_free (LersPollClockCheck *check)
{
  g_clear_pointer (&check->now, g_date_time_unref);
  g_free (check->text);
  g_free (check);
}

static void lers_poll_hold_clock_write_next (LersPollHold *hold);

static void
lers_poll_hold_clock_spooled (LersPollHold *hold, GError *error)
{
  if (error != NULL)
    {
      LersPollWrite *write = g_ptr_array_index (hold->clock_writes, hold->clock_write_index);

      g_debug ("point %" PRId64 ": saving the clock check's events: %s", write->point_id,
               error->message);
      g_error_free (error);
    }
  hold->clock_write_index++;
  lers_poll_hold_clock_write_next (hold);
}

static void
lers_poll_hold_clock_written_cb (GObject *source, GAsyncResult *result, gpointer user_data)
{
  LersPollHold *hold = user_data;
  LersPollWrite *write = g_ptr_array_index (hold->clock_writes, hold->clock_write_index);
  GError *error = NULL;

  if (lers_store_write_meter_events_finish (LERS_STORE (source), result, &error) < 0)
    {
      lers_poll_hold_spool (hold, write->point_id, NULL, write->records, error,
                            lers_poll_hold_clock_spooled);
      return;
    }
  lers_poll_hold_clock_spooled (hold, NULL);
}

static void
lers_poll_hold_clock_write_next (LersPollHold *hold)
{
  LersPollWrite *write;

  if (hold->clock_writes == NULL || hold->clock_write_index >= hold->clock_writes->len)
    {
      g_clear_pointer (&hold->clock_writes, g_ptr_array_unref);
      lers_poll_hold_start_reads (hold);
      return;
    }
  write = g_ptr_array_index (hold->clock_writes, hold->clock_write_index);
  lers_store_write_meter_events_async (hold->poller->store, write->point_id, write->records,
                                       hold->cancellable, lers_poll_hold_clock_written_cb, hold);
}

static LersMeterEvent *
lers_poll_clock_event (LersPollRun *run, LersMeasurePoint *point, const gchar *code,
                       LersMeterEventSeverity severity, GDateTime *start, const gchar *text)
{
  LersMeterEvent *event = lers_meter_event_new (code, start);

  lers_meter_event_set_point_id (event, lers_measure_point_get_id (point));
  lers_meter_event_set_device_id (event, lers_device_get_id (run->device));
  lers_meter_event_set_channel (event, lers_measure_point_get_channel (point));
  lers_meter_event_set_severity (event, severity);
  lers_meter_event_set_text (event, text);
  return event;
}

/* The check's events to every point of the device, then the reads. */
static void
lers_poll_clock_check_done (LersPollClockCheck *check, const gchar *set_text)
{
  LersPollHold *hold = check->hold;
  LersPollRun *run = lers_poll_hold_run (hold);

  hold->clock_writes = g_ptr_array_new_with_free_func ((GDestroyNotify) lers_poll_write_free);
  hold->clock_write_index = 0;
  for (guint p = 0; run->points != NULL && p < run->points->len; p++)
    {
      LersMeasurePoint *point = g_ptr_array_index (run->points, p);
      LersPollWrite *write = g_new0 (LersPollWrite, 1);

      write->point_id = lers_measure_point_get_id (point);
      write->records = g_ptr_array_new_with_free_func (g_object_unref);
      g_ptr_array_add (write->records, lers_poll_clock_event (run, point, "clock-drift",
                                                              LERS_METER_EVENT_SEVERITY_WARNING,
                                                              check->now, check->text));
      if (set_text != NULL)
        g_ptr_array_add (write->records, lers_poll_clock_event (run, point, "clock-set",
                                                                LERS_METER_EVENT_SEVERITY_INFO,
                                                                check->now, set_text));
      g_ptr_array_add (hold->clock_writes, write);
    }
  lers_poll_clock_check_free (check);
  lers_poll_hold_clock_write_next (hold);
}

static void
lers_poll_hold_clock_set_cb (GObject *source, GAsyncResult *result, gpointer user_data)
{
  LersPollClockCheck *check = user_data;
  g_autoptr (GError) error = NULL;
  g_autofree gchar *set_text = NULL;
  gint64 shift = -check->drift;

  if (!lers_device_session_set_clock_finish (LERS_DEVICE_SESSION (source), result, &error))
    {
      gchar *text = g_strdup_printf (_ ("%s; setting it failed: %s"), check->text, error->message);
      g_free (check->text);
      check->text = text;
      lers_poll_clock_check_done (check, NULL);
      return;
    }
  if (shift > 0)
    set_text = g_strdup_printf (
        g_dngettext (GETTEXT_PACKAGE, "The device clock was set %" PRId64 " s forward",
                     "The device clock was set %" PRId64 " s forward", (gulong) shift),
        shift);
  else
    set_text = g_strdup_printf (
        g_dngettext (GETTEXT_PACKAGE, "The device clock was set %" PRId64 " s back",
                     "The device clock was set %" PRId64 " s back", (gulong) -shift),
        -shift);
  lers_poll_clock_check_done (check, set_text);
}

static gboolean
lers_poll_option_is_true (const gchar *value)
{
  return value != NULL
         && (g_ascii_strcasecmp (value, "true") == 0 || g_strcmp0 (value, "1") == 0
             || g_ascii_strcasecmp (value, "yes") == 0);
}

static gint
lers_poll_minute_in (GDateTime *time, GTimeZone *zone)
{
  g_autoptr (GDateTime) local = g_date_time_to_timezone (time, zone);
  return g_date_time_get_minute (local);
}

static void
lers_poll_hold_clock_read_cb (GObject *source, GAsyncResult *result, gpointer user_data)
{
  LersPollHold *hold = user_data;
  LersDeviceSession *session = LERS_DEVICE_SESSION (source);
  LersPollRun *run = lers_poll_hold_run (hold);
  g_autoptr (GError) error = NULL;
  g_autoptr (GDateTime) device_time = NULL;
  LersPollClockCheck *check;
  GTimeZone *zone;
  guint limit, max;
  gint64 drift, magnitude;
  GTimeSpan diff;
  gint minute, device_minute;

  device_time = lers_device_session_read_clock_finish (session, result, &error);
  if (device_time == NULL)
    {
      /* a device without a readable clock is fine; a failed read is for
       * the reads to find out */
      if (!g_error_matches (error, LERS_ERROR, LERS_ERROR_NOT_SUPPORTED))
        g_debug ("device %s: reading the clock: %s", lers_device_get_serial_number (run->device),
                 error->message);
      lers_poll_hold_start_reads (hold);
      return;
    }
  check = g_new0 (LersPollClockCheck, 1);
  check->hold = hold;
  check->now = lers_clock_get_now_utc (hold->poller->clock);
  diff = g_date_time_difference (device_time, check->now);
  drift = (diff + (diff >= 0 ? G_TIME_SPAN_SECOND / 2 : -G_TIME_SPAN_SECOND / 2))
          / G_TIME_SPAN_SECOND;
  check->drift = drift;
  magnitude = ABS (drift);
  limit = lers_device_session_get_option_uint (session, "clock-drift-limit",
                                               LERS_POLLER_CLOCK_DRIFT_LIMIT);
  max = lers_device_session_get_option_uint (session, "clock-correct-max",
                                             LERS_POLLER_CLOCK_CORRECT_MAX);
  g_debug ("device %s: clock drift %" PRId64 " s (limit %u s)",
           lers_device_get_serial_number (run->device), drift, limit);
  if (magnitude <= (gint64) limit)
    {
      lers_poll_clock_check_free (check);
      lers_poll_hold_start_reads (hold);
      return;
    }
  if (drift > 0)
    check->text = g_strdup_printf (
        g_dngettext (GETTEXT_PACKAGE, "The device clock is %" PRId64 " s ahead of the server",
                     "The device clock is %" PRId64 " s ahead of the server", (gulong) magnitude),
        magnitude);
  else
    check->text = g_strdup_printf (
        g_dngettext (GETTEXT_PACKAGE, "The device clock is %" PRId64 " s behind the server",
                     "The device clock is %" PRId64 " s behind the server", (gulong) magnitude),
        magnitude);
  if (!lers_poll_option_is_true (lers_device_session_get_option (session, "clock-correct")))
    {
      lers_poll_clock_check_done (check, NULL);
      return;
    }
  zone = lers_device_get_effective_clock_zone (run->device);
  {
    g_autoptr (GTimeZone) utc = g_time_zone_new_utc ();
    minute = lers_poll_minute_in (check->now, zone != NULL ? zone : utc);
    device_minute = lers_poll_minute_in (device_time, zone != NULL ? zone : utc);
  }
  if (magnitude > (gint64) max)
    {
      gchar *text = g_strdup_printf (
          g_dngettext (GETTEXT_PACKAGE,
                       "%s; not corrected: the device allows a shift of at most %u s at once",
                       "%s; not corrected: the device allows a shift of at most %u s at once", max),
          check->text, max);
      g_free (check->text);
      check->text = text;
      lers_poll_clock_check_done (check, NULL);
      return;
    }
  if (minute < LERS_POLLER_CLOCK_FIRST_MINUTE || minute >= LERS_POLLER_CLOCK_LAST_MINUTE
      || device_minute < LERS_POLLER_CLOCK_FIRST_MINUTE
      || device_minute >= LERS_POLLER_CLOCK_LAST_MINUTE)
    {
      gchar *text = g_strdup_printf (
          _ ("%s; not corrected now: the clock is set only between minute %d and %d of the hour, "
             "never across an archive boundary"),
          check->text, LERS_POLLER_CLOCK_FIRST_MINUTE, LERS_POLLER_CLOCK_LAST_MINUTE);
      g_free (check->text);
      check->text = text;
      lers_poll_clock_check_done (check, NULL);
      return;
    }
  {
    /* the server's time now, not when the device's clock was read */
    g_autoptr (GDateTime) now = lers_clock_get_now_utc (hold->poller->clock);

    lers_device_session_set_clock_async (session, now, hold->cancellable,
                                         lers_poll_hold_clock_set_cb, check);
  }
}

/* Right after the session opens: the device's clock against the server's. */
static void
lers_poll_hold_check_clock (LersPollHold *hold)
{
  if (g_cancellable_is_cancelled (hold->cancellable))
    {
      lers_poll_hold_start_reads (hold);
      return;
    }
  lers_device_session_read_clock_async (hold->session, hold->cancellable,
                                        lers_poll_hold_clock_read_cb, hold);
}

static void
lers_poll_hold_session_opened_cb (GObject *source, GAsyncResult *result, gpointer user_data)
{
  LersPollHold *hold = user_data;
  GError *error = NULL;

  hold->session
      = lers_device_driver_open_session_finish (LERS_DEVICE_DRIVER (source), result, &error);
  if (hold->session == NULL)
    {
      lers_poll_hold_note_link_error (hold, error);
      lers_poll_hold_fail_all (hold, lers_poll_hold_run (hold)->requests, error,
                               _ ("opening the device session"));
      g_error_free (error);
      lers_poll_hold_device_done (hold);
      return;
    }
  lers_poll_hold_check_clock (hold);
}

static void
lers_poll_hold_points_cb (GObject *source, GAsyncResult *result, gpointer user_data)
{
  LersPollHold *hold = user_data;
  LersPollRun *run = lers_poll_hold_run (hold);
  GError *error = NULL;

  run->points = lers_store_list_finish (LERS_STORE (source), result, &error);
  if (run->points == NULL && g_error_matches (error, LERS_ERROR, LERS_ERROR_CONNECTION))
    {
      /* the database is away: read the points asked for (each request knows
       * its point), into the spool; the device's other points wait for the
       * next read */
      g_debug ("device %s: looking up its points: %s; reading the requested ones",
               lers_device_get_serial_number (run->device), error->message);
      g_clear_error (&error);
      run->points = g_ptr_array_new_with_free_func (g_object_unref);
      for (guint r = 0; r < run->requests->len; r++)
        {
          LersPollRequest *request = g_ptr_array_index (run->requests, r);
          gboolean listed = FALSE;

          for (guint p = 0; p < run->points->len && !listed; p++)
            listed = lers_measure_point_get_id (g_ptr_array_index (run->points, p))
                     == request->point_id;
          if (request->point != NULL && !listed)
            g_ptr_array_add (run->points, g_object_ref (request->point));
        }
    }
  if (run->points == NULL)
    {
      lers_poll_hold_fail_all (hold, run->requests, error, _ ("looking up the device's points"));
      g_error_free (error);
      lers_poll_hold_device_done (hold);
      return;
    }
  run->implicit = g_ptr_array_new_with_free_func ((GDestroyNotify) lers_poll_implicit_free);
  for (guint p = 0; p < run->points->len; p++)
    {
      LersMeasurePoint *point = g_ptr_array_index (run->points, p);

      for (guint k = 0; k < run->kinds->len; k++)
        {
          LersArchiveKind kind = g_array_index (run->kinds, LersArchiveKind, k);
          gboolean asked = FALSE;
          LersPollImplicit *implicit;

          if (kind == LERS_ARCHIVE_KIND_CURRENT || kind == LERS_ARCHIVE_KIND_TOTALS)
            continue;
          for (guint r = 0; r < run->requests->len && !asked; r++)
            {
              LersPollRequest *request = g_ptr_array_index (run->requests, r);
              asked
                  = request->kind == kind && request->point_id == lers_measure_point_get_id (point);
            }
          if (asked)
            continue;
          implicit = g_new0 (LersPollImplicit, 1);
          implicit->point = g_object_ref (point);
          implicit->kind = kind;
          g_ptr_array_add (run->implicit, implicit);
        }
    }
  run->implicit_index = 0;
  lers_poll_hold_next_implicit (hold);
}

static void
lers_poll_hold_implicit_last_cb (GObject *source, GAsyncResult *result, gpointer user_data)
{
  LersPollHold *hold = user_data;
  LersPollRun *run = lers_poll_hold_run (hold);
  LersPollImplicit *implicit = g_ptr_array_index (run->implicit, run->implicit_index);
  LersPollRequest *first = g_ptr_array_index (run->requests, 0);
  GDateTime *to = NULL;
  g_autoptr (GDateTime) last = NULL;
  g_autoptr (GError) error = NULL;

  last = lers_store_get_last_timestamp_finish (LERS_STORE (source), result, &error);
  if (error != NULL)
    g_debug ("point %" G_GINT64_FORMAT ": looking up the archive: %s",
             lers_measure_point_get_id (implicit->point), error->message);
  else
    {
      /* the reads' end, for a point never read */
      for (guint i = 0; i < run->requests->len; i++)
        {
          LersPollRequest *request = g_ptr_array_index (run->requests, i);
          if (request->kind == implicit->kind
              && (to == NULL || g_date_time_compare (request->to, to) > 0))
            to = request->to;
        }
      /* the device's points share its node's zone as a rule: the first
       * request's is taken */
      implicit->from
          = lers_poller_from_last (implicit->kind, last, first->zone, implicit->point, to);
    }
  run->implicit_index++;
  lers_poll_hold_next_implicit (hold);
}

static void
lers_poll_hold_next_implicit (LersPollHold *hold)
{
  LersPollRun *run = lers_poll_hold_run (hold);
  LersPollImplicit *implicit;
  GError *error = NULL;

  if (run->implicit_index < run->implicit->len)
    {
      implicit = g_ptr_array_index (run->implicit, run->implicit_index);
      lers_store_get_last_timestamp_async (
          hold->poller->store, lers_measure_point_get_id (implicit->point), implicit->kind,
          hold->cancellable, lers_poll_hold_implicit_last_cb, hold);
      return;
    }
  hold->driver = lers_engine_get_device_driver (hold->poller->engine,
                                                lers_device_get_protocol (run->device), &error);
  if (hold->driver == NULL)
    {
      lers_poll_hold_fail_all (hold, run->requests, error, _ ("loading the device plugin"));
      g_error_free (error);
      lers_poll_hold_device_done (hold);
      return;
    }
  lers_device_driver_open_session_async (hold->driver, hold->transport, run->device,
                                         hold->cancellable, lers_poll_hold_session_opened_cb, hold);
}

static void
lers_poll_hold_next_device (LersPollHold *hold)
{
  LersPollRun *run;
  g_autoptr (LersStoreQuery) query = NULL;

  if (hold->run_index >= hold->runs->len)
    {
      lers_poll_hold_close_transport (hold);
      return;
    }
  run = lers_poll_hold_run (hold);
  /* reads cancelled meanwhile end here; the link is let go when all are */
  for (guint i = 0; i < run->requests->len; i++)
    {
      LersPollRequest *request = g_ptr_array_index (run->requests, i);
      if (request->cancellable != NULL && g_cancellable_is_cancelled (request->cancellable))
        lers_poll_hold_report (
            hold, request, g_error_new (LERS_ERROR, LERS_ERROR_CANCELLED, _ ("Cancelled")), NULL);
    }
  if (g_cancellable_is_cancelled (hold->cancellable))
    {
      g_autoptr (GError) error = g_error_new (LERS_ERROR, LERS_ERROR_CANCELLED, _ ("Cancelled"));
      lers_poll_hold_fail_all (hold, run->requests, error, NULL);
    }
  if (!lers_poll_run_is_live (run))
    {
      lers_poll_hold_device_done (hold);
      return;
    }
  hold->device_progress = lers_progress_get_child (hold->progress);
  lers_progress_add_step (hold->device_progress, 5, _ ("Opening the device session"));
  lers_progress_add_step (hold->device_progress, 80, _ ("Reading the device"));
  lers_progress_add_step (hold->device_progress, 15, _ ("Saving the archive"));
  query = lers_store_query_new ();
  lers_store_query_add_filter_int64 (query, "device-id", LERS_STORE_OP_EQ,
                                     lers_device_get_id (run->device));
  lers_store_list_async (hold->poller->store, LERS_TYPE_MEASURE_POINT, query, hold->cancellable,
                         lers_poll_hold_points_cb, hold);
}

/* ---- groups: every point behind one link ---- */

static void
lers_poll_group_free (LersPollGroup *group)
{
  g_clear_object (&group->transport);
  g_clear_object (&group->progress);
  g_clear_pointer (&group->devices, g_ptr_array_unref);
  g_clear_pointer (&group->resolved, g_ptr_array_unref);
  g_clear_error (&group->error);
  g_free (group);
}

static void
lers_poll_group_release (LersPollGroup *group)
{
  GTask *task = group->task;

  g_assert (group->n_pending > 0);
  if (--group->n_pending > 0)
    return;
  if (group->progress != NULL)
    {
      lers_progress_set_message (group->progress, _ ("Done"));
      lers_progress_set_fraction (group->progress, 1.0);
    }
  if (group->error != NULL)
    g_task_return_error (task, g_steal_pointer (&group->error));
  else
    g_task_return_int (task, group->n_stored);
  g_object_unref (task);
}

static void
lers_poll_group_member_done (LersPollGroup *group, LersPollRequest *request, GError *error)
{
  if (request != NULL && error == NULL)
    group->n_stored += request->n_stored;
  if (error != NULL && group->error == NULL)
    group->error = g_steal_pointer (&error);
  else if (error != NULL)
    {
      /* the first error is returned; the others go to the debug log */
      g_debug ("%s", error->message);
      g_error_free (error);
    }
  lers_poll_group_release (group);
}

static void
lers_poll_group_transport_closed_cb (GObject *source, GAsyncResult *result, gpointer user_data)
{
  LersPollGroup *group = user_data;

  lers_transport_close_finish (LERS_TRANSPORT (source), result, NULL);
  lers_poll_group_release (group);
}

/* Every point is looked up: queue them on the link together, so that one
 * hold serves them all (with the modem's transport, if one called in). */
static void
lers_poll_group_flush (LersPollGroup *group)
{
  LersPoller *self = g_task_get_source_object (group->task);
  LersPollLink *link;

  if (group->n_unresolved > 0 || group->listing)
    return;
  if (group->resolved->len == 0)
    {
      if (group->transport != NULL)
        lers_transport_close_async (group->transport, NULL, lers_poll_group_transport_closed_cb,
                                    group);
      return;
    }
  link = lers_poller_get_link (self, group->connection_id);
  if (group->transport != NULL)
    {
      LersPollGroup *old = g_steal_pointer (&link->offered);

      link->offered = group;
      if (old != NULL)
        {
          /* the modem called in again while its read waited for the link:
           * the server ended the old session ("replaced"), so the hold
           * uses the newer link; the old group's reads, queued already,
           * are served by it too */
          lers_transport_close_async (old->transport, NULL, lers_poll_group_transport_closed_cb,
                                      old);
        }
    }
  for (guint i = 0; i < group->resolved->len; i++)
    lers_poller_link_add_waiting (link, g_ptr_array_index (group->resolved, i));
  g_ptr_array_set_size (group->resolved, 0);
  lers_poller_link_try_start (self, link);
}

static void lers_poll_group_next_device (LersPollGroup *group);

static void
lers_poll_group_points_cb (GObject *source, GAsyncResult *result, gpointer user_data)
{
  LersPollGroup *group = user_data;
  LersPoller *self = g_task_get_source_object (group->task);
  g_autoptr (GPtrArray) points = NULL;
  GError *error = NULL;

  points = lers_store_list_finish (LERS_STORE (source), result, &error);
  if (points == NULL)
    {
      lers_error_convert (&error);
      g_prefix_error (&error, _ ("Looking up the points: "));
      group->listing = FALSE;
      lers_poll_group_flush (group);
      lers_poll_group_member_done (group, NULL, error);
      return;
    }
  for (guint i = 0; i < points->len; i++)
    {
      LersMeasurePoint *point = g_ptr_array_index (points, i);
      LersPollRequest *request
          = lers_poll_request_new (self, lers_measure_point_get_id (point), group->kind, NULL, NULL,
                                   group->progress, g_task_get_cancellable (group->task));
      request->group = group;
      group->n_pending++;
      group->n_unresolved++;
      lers_poll_request_start (request);
    }
  group->device_index++;
  lers_poll_group_next_device (group);
}

static void
lers_poll_group_next_device (LersPollGroup *group)
{
  LersPoller *self = g_task_get_source_object (group->task);
  g_autoptr (LersStoreQuery) query = NULL;

  if (group->device_index >= group->devices->len)
    {
      group->listing = FALSE;
      lers_poll_group_flush (group);
      lers_poll_group_release (group); /* the listing's */
      return;
    }
  query = lers_store_query_new ();
  lers_store_query_add_filter_int64 (
      query, "device-id", LERS_STORE_OP_EQ,
      lers_device_get_id (g_ptr_array_index (group->devices, group->device_index)));
  lers_store_list_async (self->store, LERS_TYPE_MEASURE_POINT, query,
                         g_task_get_cancellable (group->task), lers_poll_group_points_cb, group);
}

static void
lers_poll_group_devices_cb (GObject *source, GAsyncResult *result, gpointer user_data)
{
  LersPollGroup *group = user_data;
  GError *error = NULL;

  group->devices = lers_store_list_finish (LERS_STORE (source), result, &error);
  if (group->devices == NULL)
    {
      lers_error_convert (&error);
      g_prefix_error (&error, _ ("Looking up the devices: "));
      group->listing = FALSE;
      lers_poll_group_flush (group);
      lers_poll_group_member_done (group, NULL, error);
      return;
    }
  lers_poll_group_next_device (group);
}

static void
lers_poll_group_start (LersPoller *self, GTask *task, gint64 connection_id, LersArchiveKind kind,
                       LersTransport *transport, LersProgress *progress)
{
  LersPollGroup *group = g_new0 (LersPollGroup, 1);
  g_autoptr (LersStoreQuery) query = lers_store_query_new ();

  group->task = task;
  group->connection_id = connection_id;
  group->kind = kind;
  group->transport = transport != NULL ? g_object_ref (transport) : NULL;
  group->progress = progress != NULL ? g_object_ref (progress) : NULL;
  group->resolved = g_ptr_array_new ();
  group->listing = TRUE;
  group->n_pending = transport != NULL ? 2 : 1;
  g_task_set_task_data (task, group, (GDestroyNotify) lers_poll_group_free);
  if (progress != NULL)
    {
      lers_progress_set_message (progress, _ ("Looking up the points"));
      lers_progress_set_fraction (progress, 0);
    }
  lers_store_query_add_filter_int64 (query, "connection-id", LERS_STORE_OP_EQ, connection_id);
  lers_store_list_async (self->store, LERS_TYPE_DEVICE, query, g_task_get_cancellable (task),
                         lers_poll_group_devices_cb, group);
}

/* ---- the API ---- */

/**
 * lers_poller_read_point_async:
 * @self: a #LersPoller
 * @point_id: the measure point to read
 * @kind: the archive to read
 * @from: (nullable): the first timestamp wanted; %NULL to go on from the stored archive
 * @to: (nullable): the timestamp after the last wanted; %NULL for the start of this hour
 * @progress: (nullable): told how far the read has come
 * @cancellable: (nullable): a #GCancellable
 * @callback: (scope async): called when the records are stored
 * @user_data: data for @callback
 *
 * Reads the point's device and stores the records. Re-reading a range that
 * is already stored replaces it and adds no rows. While the point's link is
 * held by another read, this one waits, and is then served together with
 * every other read waiting for the link; the device's other points get
 * the records of their channels from the same session.
 *
 * Since: 0.1
 */
void
lers_poller_read_point_async (LersPoller *self, gint64 point_id, LersArchiveKind kind,
                              GDateTime *from, GDateTime *to, LersProgress *progress,
                              GCancellable *cancellable, GAsyncReadyCallback callback,
                              gpointer user_data)
{
  g_autoptr (GTask) task = NULL;
  LersPollRequest *request;

  g_return_if_fail (LERS_IS_POLLER (self));
  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, lers_poller_read_point_async);
  request = lers_poll_request_new (self, point_id, kind, from, to, progress, cancellable);
  if (request->from != NULL && g_date_time_compare (request->from, request->to) > 0)
    {
      lers_poll_request_free (request);
      g_task_return_new_error (task, LERS_ERROR, LERS_ERROR_INVALID_ARGUMENT,
                               _ ("The start of the range is after its end"));
      return;
    }
  request->task = g_steal_pointer (&task);
  lers_poll_request_start (request);
}

/**
 * lers_poller_read_point_finish:
 * @self: a #LersPoller
 * @result: the #GAsyncResult
 * @error: return location for a #GError
 *
 * Returns: how many records were stored, or -1 on error
 *
 * Since: 0.1
 */
gint
lers_poller_read_point_finish (LersPoller *self, GAsyncResult *result, GError **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), -1);
  return (gint) g_task_propagate_int (G_TASK (result), error);
}

/**
 * lers_poller_read_point_sync:
 * @self: a #LersPoller
 * @point_id: the measure point to read
 * @kind: the archive to read
 * @from: (nullable): the first timestamp wanted; %NULL to go on from the stored archive
 * @to: (nullable): the timestamp after the last wanted; %NULL for the start of this hour
 * @progress: (nullable): told how far the read has come
 * @cancellable: (nullable): a #GCancellable
 * @error: return location for a #GError
 *
 * The blocking form of lers_poller_read_point_async(), for scripts. It runs
 * a private main context, so the caller's main loop does not run meanwhile.
 *
 * Returns: how many records were stored, or -1 on error
 *
 * Since: 0.1
 */
gint
lers_poller_read_point_sync (LersPoller *self, gint64 point_id, LersArchiveKind kind,
                             GDateTime *from, GDateTime *to, LersProgress *progress,
                             GCancellable *cancellable, GError **error)
{
  LersSyncCall call;
  gint n;

  lers_sync_call_begin (&call);
  lers_poller_read_point_async (self, point_id, kind, from, to, progress, cancellable,
                                lers_sync_call_done, &call);
  n = lers_poller_read_point_finish (self, lers_sync_call_wait (&call), error);
  lers_sync_call_end (&call);
  return n;
}

/**
 * lers_poller_read_connection_async:
 * @self: a #LersPoller
 * @connection_id: the link (a #LersConnection's id)
 * @kind: the archive to read
 * @progress: (nullable): told how far the read has come
 * @cancellable: (nullable): a #GCancellable
 * @callback: (scope async): called when every point is read
 * @user_data: data for @callback
 *
 * Reads every measure point of every device behind the link in one hold
 * of it, each point going on from its stored archive.
 *
 * Since: 0.3
 */
void
lers_poller_read_connection_async (LersPoller *self, gint64 connection_id, LersArchiveKind kind,
                                   LersProgress *progress, GCancellable *cancellable,
                                   GAsyncReadyCallback callback, gpointer user_data)
{
  GTask *task;

  g_return_if_fail (LERS_IS_POLLER (self));
  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, lers_poller_read_connection_async);
  lers_poll_group_start (self, task, connection_id, kind, NULL, progress);
}

/**
 * lers_poller_read_connection_finish:
 * @self: a #LersPoller
 * @result: the #GAsyncResult
 * @error: return location for a #GError
 *
 * Returns: how many records were stored for all the points, or -1 when a
 *   point could not be read (the error is the first such point's; the
 *   others are logged, and every point that could be read is stored)
 *
 * Since: 0.3
 */
gint
lers_poller_read_connection_finish (LersPoller *self, GAsyncResult *result, GError **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), -1);
  return (gint) g_task_propagate_int (G_TASK (result), error);
}

/**
 * lers_poller_read_connection_sync:
 * @self: a #LersPoller
 * @connection_id: the link (a #LersConnection's id)
 * @kind: the archive to read
 * @progress: (nullable): told how far the read has come
 * @cancellable: (nullable): a #GCancellable
 * @error: return location for a #GError
 *
 * The blocking form of lers_poller_read_connection_async(), for scripts;
 * it runs a private main context.
 *
 * Returns: how many records were stored, or -1 on error
 *
 * Since: 0.3
 */
gint
lers_poller_read_connection_sync (LersPoller *self, gint64 connection_id, LersArchiveKind kind,
                                  LersProgress *progress, GCancellable *cancellable, GError **error)
{
  LersSyncCall call;
  gint n;

  lers_sync_call_begin (&call);
  lers_poller_read_connection_async (self, connection_id, kind, progress, cancellable,
                                     lers_sync_call_done, &call);
  n = lers_poller_read_connection_finish (self, lers_sync_call_wait (&call), error);
  lers_sync_call_end (&call);
  return n;
}

/**
 * lers_poller_serve_transport_async:
 * @self: a #LersPoller
 * @connection_id: the link the transport belongs to (the #LersConnection
 *   a GPRS modem's identity matched)
 * @open_transport: the link, already open (a modem that called in)
 * @cancellable: (nullable): a #GCancellable
 * @callback: (scope async): called when everything is read and the
 *   transport is closed
 * @user_data: data for @callback
 *
 * Reads the hour archive of every measure point behind the link over
 * @open_transport, each point going on from its stored archive, in one
 * hold of the link; then closes @open_transport. Reads of these points
 * that were waiting for the link are served in the same hold.
 *
 * Since: 0.3
 */
void
lers_poller_serve_transport_async (LersPoller *self, gint64 connection_id,
                                   LersTransport *open_transport, GCancellable *cancellable,
                                   GAsyncReadyCallback callback, gpointer user_data)
{
  GTask *task;

  g_return_if_fail (LERS_IS_POLLER (self));
  g_return_if_fail (LERS_IS_TRANSPORT (open_transport));
  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, lers_poller_serve_transport_async);
  lers_poll_group_start (self, task, connection_id, LERS_ARCHIVE_KIND_HOUR, open_transport, NULL);
}

/**
 * lers_poller_serve_transport_finish:
 * @self: a #LersPoller
 * @result: the #GAsyncResult
 * @error: return location for a #GError
 *
 * Returns: how many records were stored, or -1 when a point could not be
 *   read (the first such point's error)
 *
 * Since: 0.3
 */
gint
lers_poller_serve_transport_finish (LersPoller *self, GAsyncResult *result, GError **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), -1);
  return (gint) g_task_propagate_int (G_TASK (result), error);
}

/* ---- GPRS modems that call in ---- */

#define LERS_POLLER_GPRS_REFRESH_SECONDS 30

typedef struct
{
  LersPoller *poller; /* owns this */
  LersGprsServer *server;
  GHashTable *identities; /* identity → connection id */
  GCancellable *cancellable;
  GSource *refresh;
  gulong connected_id;
  gulong disconnected_id;
  gboolean refreshing;
} LersPollGprs;

static void
lers_poll_gprs_free (LersPollGprs *gprs)
{
  g_cancellable_cancel (gprs->cancellable);
  g_clear_object (&gprs->cancellable);
  if (gprs->refresh != NULL)
    g_source_destroy (gprs->refresh);
  g_clear_pointer (&gprs->refresh, g_source_unref);
  g_clear_signal_handler (&gprs->connected_id, gprs->server);
  g_clear_signal_handler (&gprs->disconnected_id, gprs->server);
  g_clear_object (&gprs->server);
  g_hash_table_unref (gprs->identities);
  g_free (gprs);
}

typedef struct
{
  LersPollGprs *gprs;
  GCancellable *cancellable;
} LersPollGprsRefresh;

static void
lers_poll_gprs_listed_cb (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autofree LersPollGprsRefresh *refresh = user_data;
  g_autoptr (GCancellable) cancellable = refresh->cancellable;
  LersPollGprs *gprs = refresh->gprs;
  g_autoptr (GPtrArray) connections = NULL;
  g_autoptr (GHashTable) identities = NULL;
  g_autoptr (GError) error = NULL;
  GHashTableIter iter;
  gpointer key;

  connections = lers_store_list_connections_finish (LERS_STORE (source), result, &error);
  if (g_cancellable_is_cancelled (cancellable))
    return; /* the watch is gone */
  gprs->refreshing = FALSE;
  if (connections == NULL)
    {
      g_warning (_ ("Cannot list the GPRS modems: %s"), error->message);
      return;
    }
  identities = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  for (guint i = 0; i < connections->len; i++)
    {
      LersConnection *connection = g_ptr_array_index (connections, i);
      const gchar *identity = lers_connection_get_identity (connection);

      if (lers_connection_get_kind (connection) != LERS_CONNECTION_KIND_GPRS_SERVER
          || identity == NULL || identity[0] == '\0')
        continue;
      g_hash_table_replace (
          identities, g_strdup (identity),
          g_memdup2 (&(gint64){ lers_connection_get_id (connection) }, sizeof (gint64)));
      lers_gprs_server_add_modem (gprs->server, identity);
    }
  /* modems whose connection is gone (or changed identity) are dropped */
  g_hash_table_iter_init (&iter, gprs->identities);
  while (g_hash_table_iter_next (&iter, &key, NULL))
    if (!g_hash_table_contains (identities, key))
      lers_gprs_server_remove_modem (gprs->server, key);
  g_hash_table_unref (gprs->identities);
  gprs->identities = g_steal_pointer (&identities);
}

static gboolean
lers_poll_gprs_refresh_cb (gpointer user_data)
{
  LersPollGprs *gprs = user_data;
  LersPollGprsRefresh *refresh;

  if (gprs->refreshing)
    return G_SOURCE_CONTINUE;
  gprs->refreshing = TRUE;
  refresh = g_new0 (LersPollGprsRefresh, 1);
  refresh->gprs = gprs;
  refresh->cancellable = g_object_ref (gprs->cancellable);
  lers_store_list_connections_async (gprs->poller->store, gprs->cancellable,
                                     lers_poll_gprs_listed_cb, refresh);
  return G_SOURCE_CONTINUE;
}

static void
lers_poll_gprs_served_cb (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autofree gchar *identity = user_data;
  g_autoptr (GError) error = NULL;
  gint n = lers_poller_serve_transport_finish (LERS_POLLER (source), result, &error);

  /* one line a session is the polling service's to log, rate-limited */
  if (n < 0)
    g_debug ("GPRS modem %s: %s", identity, error->message);
  else
    g_debug ("GPRS modem %s: %d records stored", identity, n);
}

static void
lers_poll_gprs_modem_connected_cb (LersGprsServer *server, const gchar *identity,
                                   LersTransport *transport, gpointer user_data)
{
  LersPollGprs *gprs = user_data;
  gint64 *connection_id = g_hash_table_lookup (gprs->identities, identity);

  if (connection_id == NULL)
    {
      /* its connection was deleted since the last refresh */
      g_message (_ ("GPRS modem %s called in, but no connection has this identity"), identity);
      lers_transport_close_async (transport, NULL, NULL, NULL);
      return;
    }
  lers_poller_serve_transport_async (gprs->poller, *connection_id, transport, gprs->cancellable,
                                     lers_poll_gprs_served_cb, g_strdup (identity));
}

static void
lers_poll_gprs_modem_disconnected_cb (LersGprsServer *server, const gchar *identity,
                                      const gchar *reason, gpointer user_data)
{
  LersPollGprs *gprs = user_data;

  /* the hold on this modem's link tells it in its link session */
  g_hash_table_replace (gprs->poller->gprs_reasons, g_strdup (identity), g_strdup (reason));
}

/**
 * lers_poller_watch_gprs_server:
 * @self: a #LersPoller
 * @server: a #LersGprsServer, listening or not
 *
 * Reads the GPRS modems that call @server. The modems @server knows are
 * the stored connections of kind %LERS_CONNECTION_KIND_GPRS_SERVER with a
 * #LersConnection:identity, listed now and every 30 seconds in the
 * thread-default main context; a modem that calls in and identifies itself
 * is matched to its connection, and every measure point behind that
 * connection is read over the modem's link
 * (lers_poller_serve_transport_async()), which is closed afterwards. An
 * unknown identity is dropped by @server. Outcomes go to the log.
 *
 * Since: 0.3
 */
void
lers_poller_watch_gprs_server (LersPoller *self, LersGprsServer *server)
{
  LersPollGprs *gprs;

  g_return_if_fail (LERS_IS_POLLER (self));
  g_return_if_fail (LERS_IS_GPRS_SERVER (server));
  gprs = g_new0 (LersPollGprs, 1);
  gprs->poller = self;
  gprs->server = g_object_ref (server);
  gprs->identities = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  gprs->cancellable = g_cancellable_new ();
  gprs->connected_id = g_signal_connect (server, "modem-connected",
                                         G_CALLBACK (lers_poll_gprs_modem_connected_cb), gprs);
  gprs->disconnected_id = g_signal_connect (
      server, "modem-disconnected", G_CALLBACK (lers_poll_gprs_modem_disconnected_cb), gprs);
  gprs->refresh = g_timeout_source_new_seconds (LERS_POLLER_GPRS_REFRESH_SECONDS);
  g_source_set_callback (gprs->refresh, lers_poll_gprs_refresh_cb, gprs, NULL);
  g_source_attach (gprs->refresh, g_main_context_get_thread_default ());
  if (self->gprs == NULL)
    self->gprs = g_ptr_array_new_with_free_func ((GDestroyNotify) lers_poll_gprs_free);
  g_ptr_array_add (self->gprs, gprs);
  lers_poll_gprs_refresh_cb (gprs);
}
