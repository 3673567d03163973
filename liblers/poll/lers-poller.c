/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "config.h"

#include <glib/gi18n-lib.h>
#include <inttypes.h>

#include "lers-error.h"
#include "lers-time.h"
#include "poll/lers-poller.h"

/**
 * LersPoller:
 *
 * Reads one measure point now: looks up its device and connection, connects,
 * lets the device's plugin read the archive and stores what came back. Used
 * by the scheduler, by `lers poll` and by scripts.
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
 * Since: 0.1
 */
struct _LersPoller
{
  GObject parent_instance;
  LersStore *store;
  LersEngine *engine;
};

G_DEFINE_TYPE (LersPoller, lers_poller, G_TYPE_OBJECT)

#define LERS_POLLER_FIRST_READ_DAYS 7
#define LERS_POLLER_DEFAULT_TIMEOUT 10

typedef struct
{
  gint64 point_id;
  LersArchiveKind kind;
  GDateTime *from;
  GDateTime *to;
  LersProgress *progress;
  LersProgress *device_progress; /* the driver's 0..1, shown as 5..90 % */
  LersMeasurePoint *point;
  LersDevice *device;
  LersConnection *connection;
  LersDeviceDriver *driver;
  GIOStream *stream;
  GTimeZone *zone; /* the node's */
  gboolean to_given;
  gint n_stored;
} LersPollJob;

static void
lers_poll_job_free (LersPollJob *job)
{
  g_clear_pointer (&job->from, g_date_time_unref);
  g_clear_pointer (&job->to, g_date_time_unref);
  if (job->device_progress != NULL)
    g_signal_handlers_disconnect_by_data (job->device_progress, job);
  g_clear_object (&job->device_progress);
  g_clear_object (&job->progress);
  g_clear_object (&job->point);
  g_clear_object (&job->device);
  g_clear_object (&job->connection);
  g_clear_object (&job->driver);
  g_clear_pointer (&job->zone, g_time_zone_unref);
  if (job->stream != NULL)
    g_io_stream_close (job->stream, NULL, NULL);
  g_clear_object (&job->stream);
  g_free (job);
}

static void
lers_poller_finalize (GObject *object)
{
  LersPoller *self = LERS_POLLER (object);

  g_clear_object (&self->store);
  g_clear_object (&self->engine);
  G_OBJECT_CLASS (lers_poller_parent_class)->finalize (object);
}

static void
lers_poller_class_init (LersPollerClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = lers_poller_finalize;
}

static void
lers_poller_init (LersPoller *self)
{
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

static void
lers_poll_job_progress (LersPollJob *job, gdouble fraction, const gchar *message)
{
  if (job->progress == NULL)
    return;
  lers_progress_set_message (job->progress, message);
  lers_progress_set_fraction (job->progress, fraction);
}

static void
lers_poll_job_device_progress_cb (LersProgress *device_progress, GParamSpec *pspec, gpointer data)
{
  LersPollJob *job = data;
  const gchar *message = lers_progress_get_message (device_progress);

  lers_poll_job_progress (job, 0.05 + 0.85 * lers_progress_get_fraction (device_progress),
                          message != NULL ? message : lers_progress_get_message (job->progress));
}

static GDateTime *
lers_poller_hour_floor (GDateTime *dt)
{
  g_autoptr (GDateTime) utc = g_date_time_to_utc (dt);
  return g_date_time_new_utc (g_date_time_get_year (utc), g_date_time_get_month (utc),
                              g_date_time_get_day_of_month (utc), g_date_time_get_hour (utc), 0, 0);
}

static void
lers_poller_fail (GTask *task, GError *error, const gchar *context)
{
  LersPollJob *job = g_task_get_task_data (task);

  lers_error_convert (&error);
  g_prefix_error (&error, _ ("Point %" PRId64 ": %s: "), job->point_id, context);
  g_task_return_error (task, error);
  g_object_unref (task);
}

static void
lers_poller_written_cb (GObject *source, GAsyncResult *result, gpointer user_data)
{
  GTask *task = user_data;
  LersPollJob *job = g_task_get_task_data (task);
  GError *error = NULL;

  if (!lers_store_write_records_finish (LERS_STORE (source), result, &error))
    {
      lers_poller_fail (task, error, _ ("saving the archive"));
      return;
    }
  lers_poll_job_progress (job, 1.0, _ ("Done"));
  g_task_return_int (task, job->n_stored);
  g_object_unref (task);
}

static void
lers_poller_read_cb (GObject *source, GAsyncResult *result, gpointer user_data)
{
  GTask *task = user_data;
  LersPoller *self = g_task_get_source_object (task);
  LersPollJob *job = g_task_get_task_data (task);
  g_autoptr (GPtrArray) records = NULL;
  g_autoptr (GPtrArray) mine = g_ptr_array_new_with_free_func (g_object_unref);
  guint channel = lers_measure_point_get_channel (job->point);
  GError *error = NULL;

  records = lers_device_driver_read_archive_finish (LERS_DEVICE_DRIVER (source), result, &error);
  if (records == NULL)
    {
      lers_poller_fail (task, error, _ ("reading the device"));
      return;
    }
  /* a device with several heat systems answers for all; keep this point's */
  for (guint i = 0; i < records->len; i++)
    {
      LersRecord *record = g_ptr_array_index (records, i);
      if (lers_record_get_channel (record) == channel)
        g_ptr_array_add (mine, g_object_ref (record));
    }
  job->n_stored = mine->len;
  g_io_stream_close (job->stream, NULL, NULL);
  g_clear_object (&job->stream);
  if (mine->len == 0 && records->len > 0)
    {
      /* the device answered, but not for this point's channel: say so
       * rather than store nothing on every read */
      lers_poller_fail (task,
                        g_error_new (LERS_ERROR, LERS_ERROR_NOT_FOUND,
                                     _ ("the device has no channel %u"), channel),
                        _ ("reading the device"));
      return;
    }
  if (mine->len == 0)
    {
      lers_poll_job_progress (job, 1.0, _ ("No new records"));
      g_task_return_int (task, 0);
      g_object_unref (task);
      return;
    }
  lers_poll_job_progress (job, 0.95, _ ("Saving the archive"));
  lers_store_write_records_async (self->store, job->point_id, mine, g_task_get_cancellable (task),
                                  lers_poller_written_cb, task);
}

static void
lers_poller_connected_cb (GObject *source, GAsyncResult *result, gpointer user_data)
{
  GTask *task = user_data;
  LersPollJob *job = g_task_get_task_data (task);
  GError *error = NULL;
  GSocketConnection *connection;

  connection = g_socket_client_connect_to_host_finish (G_SOCKET_CLIENT (source), result, &error);
  if (connection == NULL)
    {
      lers_poller_fail (task, error, _ ("connecting"));
      return;
    }
  job->stream = G_IO_STREAM (connection);
  lers_poll_job_progress (job, 0.05, _ ("Reading the device"));
  if (job->progress != NULL)
    {
      job->device_progress = lers_progress_new ();
      g_signal_connect (job->device_progress, "notify::fraction",
                        G_CALLBACK (lers_poll_job_device_progress_cb), job);
    }
  lers_device_driver_read_archive_async (job->driver, job->stream, job->device, job->kind,
                                         job->from, job->to, job->device_progress,
                                         g_task_get_cancellable (task), lers_poller_read_cb, task);
}

static void
lers_poller_connect (GTask *task)
{
  LersPoller *self = g_task_get_source_object (task);
  LersPollJob *job = g_task_get_task_data (task);
  g_autoptr (GSocketClient) client = NULL;
  GError *error = NULL;
  guint timeout = lers_connection_get_timeout (job->connection);

  if (g_date_time_compare (job->from, job->to) >= 0 && job->kind != LERS_ARCHIVE_KIND_CURRENT)
    {
      lers_poll_job_progress (job, 1.0, _ ("The archive is up to date"));
      g_task_return_int (task, 0);
      g_object_unref (task);
      return;
    }
  job->driver = lers_engine_get_device_driver (self->engine, lers_device_get_protocol (job->device),
                                               &error);
  if (job->driver == NULL)
    {
      lers_poller_fail (task, error, _ ("loading the device plugin"));
      return;
    }
  if (lers_connection_get_kind (job->connection) != LERS_CONNECTION_KIND_TCP_CLIENT)
    {
      lers_poller_fail (task,
                        g_error_new (LERS_ERROR, LERS_ERROR_NOT_SUPPORTED,
                                     _ ("only TCP client connections can be polled so far")),
                        _ ("connecting"));
      return;
    }
  client = g_socket_client_new ();
  /* meters sit on the operator's own network: no proxy look-ups */
  g_socket_client_set_enable_proxy (client, FALSE);
  g_socket_client_set_timeout (client, timeout > 0 ? timeout : LERS_POLLER_DEFAULT_TIMEOUT);
  lers_poll_job_progress (job, 0.01, _ ("Connecting"));
  g_socket_client_connect_to_host_async (client, lers_connection_get_host (job->connection),
                                         lers_connection_get_port (job->connection),
                                         g_task_get_cancellable (task), lers_poller_connected_cb,
                                         task);
}

static void
lers_poller_last_cb (GObject *source, GAsyncResult *result, gpointer user_data)
{
  GTask *task = user_data;
  LersPollJob *job = g_task_get_task_data (task);
  GError *error = NULL;
  g_autoptr (GDateTime) last = NULL;

  last = lers_store_get_last_timestamp_finish (LERS_STORE (source), result, &error);
  if (error != NULL)
    {
      lers_poller_fail (task, error, _ ("looking up the archive"));
      return;
    }
  if (last != NULL && (job->kind == LERS_ARCHIVE_KIND_DAY || job->kind == LERS_ARCHIVE_KIND_MONTH))
    job->from = lers_time_get_period_end (job->kind, last, job->zone,
                                          lers_measure_point_get_reporting_hour (job->point),
                                          lers_measure_point_get_reporting_day (job->point));
  else if (last != NULL)
    job->from = g_date_time_add_hours (last, 1);
  if (job->from == NULL)
    job->from = g_date_time_add_days (job->to, -LERS_POLLER_FIRST_READ_DAYS);
  lers_poller_connect (task);
}

static void
lers_poller_connection_cb (GObject *source, GAsyncResult *result, gpointer user_data)
{
  GTask *task = user_data;
  LersPoller *self = g_task_get_source_object (task);
  LersPollJob *job = g_task_get_task_data (task);
  GError *error = NULL;

  job->connection = lers_store_get_connection_finish (LERS_STORE (source), result, &error);
  if (job->connection == NULL)
    {
      lers_poller_fail (task, error, _ ("looking up the connection"));
      return;
    }
  if (job->from == NULL)
    {
      lers_store_get_last_timestamp_async (self->store, job->point_id, job->kind,
                                           g_task_get_cancellable (task), lers_poller_last_cb,
                                           task);
      return;
    }
  lers_poller_connect (task);
}

static void
lers_poller_device_cb (GObject *source, GAsyncResult *result, gpointer user_data)
{
  GTask *task = user_data;
  LersPoller *self = g_task_get_source_object (task);
  LersPollJob *job = g_task_get_task_data (task);
  GError *error = NULL;
  const gchar *clock_zone;

  job->device = lers_store_get_device_finish (LERS_STORE (source), result, &error);
  if (job->device == NULL)
    {
      lers_poller_fail (task, error, _ ("looking up the device"));
      return;
    }
  /* the device's clock: its own zone, else its node's (which is the
   * territory's or the server's); the driver reads meter times in it */
  clock_zone = lers_device_get_clock_zone (job->device);
  if (clock_zone != NULL && clock_zone[0] != '\0')
    {
      g_autoptr (GTimeZone) zone = lers_time_zone_new (clock_zone, &error);
      if (zone == NULL)
        {
          lers_poller_fail (task, error, _ ("reading the device's clock zone"));
          return;
        }
      lers_device_set_effective_clock_zone (job->device, zone);
    }
  else
    lers_device_set_effective_clock_zone (job->device, job->zone);
  lers_store_get_connection_async (self->store, lers_device_get_connection_id (job->device),
                                   g_task_get_cancellable (task), lers_poller_connection_cb, task);
}

static void
lers_poller_zone_cb (GObject *source, GAsyncResult *result, gpointer user_data)
{
  GTask *task = user_data;
  LersPoller *self = g_task_get_source_object (task);
  LersPollJob *job = g_task_get_task_data (task);
  GError *error = NULL;

  job->zone = lers_store_get_point_time_zone_finish (LERS_STORE (source), result, &error);
  if (job->zone == NULL)
    {
      lers_poller_fail (task, error, _ ("looking up the point's time zone"));
      return;
    }
  if (!job->to_given
      && (job->kind == LERS_ARCHIVE_KIND_HOUR || job->kind == LERS_ARCHIVE_KIND_DAY
          || job->kind == LERS_ARCHIVE_KIND_MONTH))
    {
      /* only complete intervals: up to the start of the current one, by
       * the point's reporting hour and day (hours: the zone's own, which
       * start at :30 UTC in a +05:30 zone) */
      g_autoptr (GDateTime) now = g_date_time_new_now_utc ();
      g_autoptr (GDateTime) to = lers_time_get_period_start (
          job->kind, now, job->zone, lers_measure_point_get_reporting_hour (job->point),
          lers_measure_point_get_reporting_day (job->point));
      if (to != NULL)
        {
          g_date_time_unref (job->to);
          job->to = g_steal_pointer (&to);
        }
    }
  lers_store_get_device_async (self->store, lers_measure_point_get_device_id (job->point),
                               g_task_get_cancellable (task), lers_poller_device_cb, task);
}

static void
lers_poller_point_cb (GObject *source, GAsyncResult *result, gpointer user_data)
{
  GTask *task = user_data;
  LersPoller *self = g_task_get_source_object (task);
  LersPollJob *job = g_task_get_task_data (task);
  GError *error = NULL;

  job->point = lers_store_get_measure_point_finish (LERS_STORE (source), result, &error);
  if (job->point == NULL)
    {
      lers_poller_fail (task, error, _ ("looking up the point"));
      return;
    }
  if (lers_measure_point_get_device_id (job->point) == 0)
    {
      lers_poller_fail (
          task, g_error_new (LERS_ERROR, LERS_ERROR_NOT_FOUND, _ ("the point has no device")),
          _ ("looking up the device"));
      return;
    }
  lers_store_get_point_time_zone_async (self->store, job->point_id, g_task_get_cancellable (task),
                                        lers_poller_zone_cb, task);
}

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
 * is already stored replaces it and adds no rows.
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
  g_autoptr (GDateTime) now = g_date_time_new_now_utc ();
  LersPollJob *job;

  g_return_if_fail (LERS_IS_POLLER (self));
  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, lers_poller_read_point_async);
  job = g_new0 (LersPollJob, 1);
  job->point_id = point_id;
  job->kind = kind;
  job->from = from != NULL ? g_date_time_ref (from) : NULL;
  job->to = to != NULL ? g_date_time_ref (to) : lers_poller_hour_floor (now);
  job->to_given = to != NULL;
  job->progress = progress != NULL ? g_object_ref (progress) : NULL;
  g_task_set_task_data (task, job, (GDestroyNotify) lers_poll_job_free);

  if (job->from != NULL && g_date_time_compare (job->from, job->to) > 0)
    {
      g_task_return_new_error (task, LERS_ERROR, LERS_ERROR_INVALID_ARGUMENT,
                               _ ("The start of the range is after its end"));
      return;
    }
  lers_poll_job_progress (job, 0, _ ("Looking up the point"));
  lers_store_get_measure_point_async (self->store, point_id, cancellable, lers_poller_point_cb,
                                      g_steal_pointer (&task));
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

static void
lers_poller_sync_cb (GObject *source, GAsyncResult *result, gpointer user_data)
{
  *(GAsyncResult **) user_data = g_object_ref (result);
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
  g_autoptr (GMainContext) context = g_main_context_new ();
  g_autoptr (GAsyncResult) result = NULL;
  gint n;

  g_main_context_push_thread_default (context);
  lers_poller_read_point_async (self, point_id, kind, from, to, progress, cancellable,
                                lers_poller_sync_cb, &result);
  while (result == NULL)
    g_main_context_iteration (context, TRUE);
  n = lers_poller_read_point_finish (self, result, error);
  g_main_context_pop_thread_default (context);
  return n;
}
