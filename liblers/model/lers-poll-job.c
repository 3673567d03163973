/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "config.h"

#include "lers-enum-types.h"
#include "lers-json.h"
#include "lers-time.h"
#include "model/lers-poll-job.h"

/**
 * LersPollJob:
 *
 * One poll job (a row of `poll_jobs`): read one measure point's archive of
 * one kind, over the link (connection) of the point's device. Jobs are made
 * by the planner from the points' schedules, by backfill and by users
 * (manual reads); polling services claim them from a #LersPollQueue and
 * report progress, the number of records stored and how each attempt ended.
 *
 * Since: 0.4
 */
struct _LersPollJob
{
  GObject parent_instance;
  gint64 id;
  gint64 connection_id;
  gint64 point_id;
  LersArchiveKind kind;
  GDateTime *from;
  GDateTime *to;
  LersPollPriority priority;
  GDateTime *slot;
  LersPollJobState state;
  GDateTime *due;
  gint attempts;
  gint max_attempts;
  gint64 service_id;
  gboolean cancel_requested;
  gdouble progress;
  gchar *message;
  gint records;
  gchar *error;
  gchar *error_code;
  gchar *log;
  gchar *requested_by;
  GDateTime *created;
  GDateTime *started;
  GDateTime *finished;
};

G_DEFINE_FINAL_TYPE (LersPollJob, lers_poll_job, G_TYPE_OBJECT)

enum
{
  PROP_0,
  PROP_ID,
  PROP_CONNECTION_ID,
  PROP_POINT_ID,
  PROP_KIND,
  PROP_FROM,
  PROP_TO,
  PROP_PRIORITY,
  PROP_SLOT,
  PROP_STATE,
  PROP_DUE,
  PROP_ATTEMPTS,
  PROP_MAX_ATTEMPTS,
  PROP_SERVICE_ID,
  PROP_CANCEL_REQUESTED,
  PROP_PROGRESS,
  PROP_MESSAGE,
  PROP_RECORDS,
  PROP_ERROR,
  PROP_ERROR_CODE,
  PROP_LOG,
  PROP_REQUESTED_BY,
  PROP_CREATED,
  PROP_STARTED,
  PROP_FINISHED,
  N_PROPS
};

static GParamSpec *props[N_PROPS];

static void
lers_poll_job_finalize (GObject *object)
{
  LersPollJob *self = LERS_POLL_JOB (object);

  g_clear_pointer (&self->from, g_date_time_unref);
  g_clear_pointer (&self->to, g_date_time_unref);
  g_clear_pointer (&self->slot, g_date_time_unref);
  g_clear_pointer (&self->due, g_date_time_unref);
  g_free (self->message);
  g_free (self->error);
  g_free (self->error_code);
  g_free (self->log);
  g_free (self->requested_by);
  g_clear_pointer (&self->created, g_date_time_unref);
  g_clear_pointer (&self->started, g_date_time_unref);
  g_clear_pointer (&self->finished, g_date_time_unref);

  G_OBJECT_CLASS (lers_poll_job_parent_class)->finalize (object);
}

static void
lers_poll_job_get_property (GObject *object, guint prop_id, GValue *value, GParamSpec *pspec)
{
  LersPollJob *self = LERS_POLL_JOB (object);

  switch (prop_id)
    {
    case PROP_ID:
      g_value_set_int64 (value, self->id);
      break;
    case PROP_CONNECTION_ID:
      g_value_set_int64 (value, self->connection_id);
      break;
    case PROP_POINT_ID:
      g_value_set_int64 (value, self->point_id);
      break;
    case PROP_KIND:
      g_value_set_enum (value, self->kind);
      break;
    case PROP_FROM:
      g_value_set_boxed (value, self->from);
      break;
    case PROP_TO:
      g_value_set_boxed (value, self->to);
      break;
    case PROP_PRIORITY:
      g_value_set_enum (value, self->priority);
      break;
    case PROP_SLOT:
      g_value_set_boxed (value, self->slot);
      break;
    case PROP_STATE:
      g_value_set_enum (value, self->state);
      break;
    case PROP_DUE:
      g_value_set_boxed (value, self->due);
      break;
    case PROP_ATTEMPTS:
      g_value_set_int (value, self->attempts);
      break;
    case PROP_MAX_ATTEMPTS:
      g_value_set_int (value, self->max_attempts);
      break;
    case PROP_SERVICE_ID:
      g_value_set_int64 (value, self->service_id);
      break;
    case PROP_CANCEL_REQUESTED:
      g_value_set_boolean (value, self->cancel_requested);
      break;
    case PROP_PROGRESS:
      g_value_set_double (value, self->progress);
      break;
    case PROP_MESSAGE:
      g_value_set_string (value, self->message);
      break;
    case PROP_RECORDS:
      g_value_set_int (value, self->records);
      break;
    case PROP_ERROR:
      g_value_set_string (value, self->error);
      break;
    case PROP_ERROR_CODE:
      g_value_set_string (value, self->error_code);
      break;
    case PROP_LOG:
      g_value_set_string (value, self->log);
      break;
    case PROP_REQUESTED_BY:
      g_value_set_string (value, self->requested_by);
      break;
    case PROP_CREATED:
      g_value_set_boxed (value, self->created);
      break;
    case PROP_STARTED:
      g_value_set_boxed (value, self->started);
      break;
    case PROP_FINISHED:
      g_value_set_boxed (value, self->finished);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
lers_poll_job_set_property (GObject *object, guint prop_id, const GValue *value, GParamSpec *pspec)
{
  LersPollJob *self = LERS_POLL_JOB (object);

  switch (prop_id)
    {
    case PROP_ID:
      self->id = g_value_get_int64 (value);
      break;
    case PROP_CONNECTION_ID:
      self->connection_id = g_value_get_int64 (value);
      break;
    case PROP_POINT_ID:
      self->point_id = g_value_get_int64 (value);
      break;
    case PROP_KIND:
      self->kind = g_value_get_enum (value);
      break;
    case PROP_FROM:
      g_clear_pointer (&self->from, g_date_time_unref);
      self->from = g_value_dup_boxed (value);
      break;
    case PROP_TO:
      g_clear_pointer (&self->to, g_date_time_unref);
      self->to = g_value_dup_boxed (value);
      break;
    case PROP_PRIORITY:
      self->priority = g_value_get_enum (value);
      break;
    case PROP_SLOT:
      g_clear_pointer (&self->slot, g_date_time_unref);
      self->slot = g_value_dup_boxed (value);
      break;
    case PROP_STATE:
      self->state = g_value_get_enum (value);
      break;
    case PROP_DUE:
      g_clear_pointer (&self->due, g_date_time_unref);
      self->due = g_value_dup_boxed (value);
      break;
    case PROP_ATTEMPTS:
      self->attempts = g_value_get_int (value);
      break;
    case PROP_MAX_ATTEMPTS:
      self->max_attempts = g_value_get_int (value);
      break;
    case PROP_SERVICE_ID:
      self->service_id = g_value_get_int64 (value);
      break;
    case PROP_CANCEL_REQUESTED:
      self->cancel_requested = g_value_get_boolean (value);
      break;
    case PROP_PROGRESS:
      self->progress = g_value_get_double (value);
      break;
    case PROP_MESSAGE:
      g_free (self->message);
      self->message = g_value_dup_string (value);
      break;
    case PROP_RECORDS:
      self->records = g_value_get_int (value);
      break;
    case PROP_ERROR:
      g_free (self->error);
      self->error = g_value_dup_string (value);
      break;
    case PROP_ERROR_CODE:
      g_free (self->error_code);
      self->error_code = g_value_dup_string (value);
      break;
    case PROP_LOG:
      g_free (self->log);
      self->log = g_value_dup_string (value);
      break;
    case PROP_REQUESTED_BY:
      g_free (self->requested_by);
      self->requested_by = g_value_dup_string (value);
      break;
    case PROP_CREATED:
      g_clear_pointer (&self->created, g_date_time_unref);
      self->created = g_value_dup_boxed (value);
      break;
    case PROP_STARTED:
      g_clear_pointer (&self->started, g_date_time_unref);
      self->started = g_value_dup_boxed (value);
      break;
    case PROP_FINISHED:
      g_clear_pointer (&self->finished, g_date_time_unref);
      self->finished = g_value_dup_boxed (value);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
lers_poll_job_class_init (LersPollJobClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = lers_poll_job_finalize;
  object_class->get_property = lers_poll_job_get_property;
  object_class->set_property = lers_poll_job_set_property;

  /**
   * LersPollJob:id:
   *
   * Database id.
   *
   * Since: 0.4
   */
  props[PROP_ID] = g_param_spec_int64 ("id", NULL, NULL, 0, G_MAXINT64, 0,
                                       G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS);
  /**
   * LersPollJob:connection-id:
   *
   * The connection (link) the job is read over.
   *
   * Since: 0.4
   */
  props[PROP_CONNECTION_ID] = g_param_spec_int64 ("connection-id", NULL, NULL, 0, G_MAXINT64, 0,
                                                  G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS);
  /**
   * LersPollJob:point-id:
   *
   * The measure point to read.
   *
   * Since: 0.4
   */
  props[PROP_POINT_ID] = g_param_spec_int64 ("point-id", NULL, NULL, 0, G_MAXINT64, 0,
                                             G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS);
  /**
   * LersPollJob:kind:
   *
   * The archive to read.
   *
   * Since: 0.4
   */
  props[PROP_KIND]
      = g_param_spec_enum ("kind", NULL, NULL, LERS_TYPE_ARCHIVE_KIND, LERS_ARCHIVE_KIND_HOUR,
                           G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS);
  /**
   * LersPollJob:from:
   *
   * Start of the range to read; %NULL: from the last stored record.
   *
   * Since: 0.4
   */
  props[PROP_FROM] = g_param_spec_boxed ("from", NULL, NULL, G_TYPE_DATE_TIME,
                                         G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS);
  /**
   * LersPollJob:to:
   *
   * End of the range to read; %NULL: up to now.
   *
   * Since: 0.4
   */
  props[PROP_TO] = g_param_spec_boxed ("to", NULL, NULL, G_TYPE_DATE_TIME,
                                       G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS);
  /**
   * LersPollJob:priority:
   *
   * Which jobs are claimed first: the lower, the sooner.
   *
   * Since: 0.4
   */
  props[PROP_PRIORITY]
      = g_param_spec_enum ("priority", NULL, NULL, LERS_TYPE_POLL_PRIORITY,
                           LERS_POLL_PRIORITY_ROUTINE, G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS);
  /**
   * LersPollJob:slot:
   *
   * The schedule slot of a routine job; %NULL for other jobs.
   *
   * Since: 0.4
   */
  props[PROP_SLOT] = g_param_spec_boxed ("slot", NULL, NULL, G_TYPE_DATE_TIME,
                                         G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS);
  /**
   * LersPollJob:state:
   *
   * Where the job is.
   *
   * Since: 0.4
   */
  props[PROP_STATE]
      = g_param_spec_enum ("state", NULL, NULL, LERS_TYPE_POLL_JOB_STATE,
                           LERS_POLL_JOB_STATE_QUEUED, G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS);
  /**
   * LersPollJob:due:
   *
   * Not to be read before this time (a retry waits out its back-off).
   *
   * Since: 0.4
   */
  props[PROP_DUE] = g_param_spec_boxed ("due", NULL, NULL, G_TYPE_DATE_TIME,
                                        G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS);
  /**
   * LersPollJob:attempts:
   *
   * How many times a polling service has started the job.
   *
   * Since: 0.4
   */
  props[PROP_ATTEMPTS] = g_param_spec_int ("attempts", NULL, NULL, 0, G_MAXINT32, 0,
                                           G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS);
  /**
   * LersPollJob:max-attempts:
   *
   * After this many attempts a failing job fails for good.
   *
   * Since: 0.4
   */
  props[PROP_MAX_ATTEMPTS] = g_param_spec_int ("max-attempts", NULL, NULL, 1, 100, 5,
                                               G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS);
  /**
   * LersPollJob:service-id:
   *
   * The polling service running or last running the job; 0: none.
   *
   * Since: 0.4
   */
  props[PROP_SERVICE_ID] = g_param_spec_int64 ("service-id", NULL, NULL, 0, G_MAXINT64, 0,
                                               G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS);
  /**
   * LersPollJob:cancel-requested:
   *
   * A user asked to cancel the running job.
   *
   * Since: 0.4
   */
  props[PROP_CANCEL_REQUESTED] = g_param_spec_boolean ("cancel-requested", NULL, NULL, FALSE,
                                                       G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS);
  /**
   * LersPollJob:progress:
   *
   * How far the read is, from 0 to 1.
   *
   * Since: 0.4
   */
  props[PROP_PROGRESS] = g_param_spec_double ("progress", NULL, NULL, 0, 1, 0,
                                              G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS);
  /**
   * LersPollJob:message:
   *
   * What the read is doing now, as a user reads it.
   *
   * Since: 0.4
   */
  props[PROP_MESSAGE] = g_param_spec_string ("message", NULL, NULL, NULL,
                                             G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS);
  /**
   * LersPollJob:records:
   *
   * How many records the job stored.
   *
   * Since: 0.4
   */
  props[PROP_RECORDS] = g_param_spec_int ("records", NULL, NULL, 0, G_MAXINT32, 0,
                                          G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS);
  /**
   * LersPollJob:error:
   *
   * Why the last attempt failed; %NULL if it did not.
   *
   * Since: 0.4
   */
  props[PROP_ERROR]
      = g_param_spec_string ("error", NULL, NULL, NULL, G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS);
  /**
   * LersPollJob:error-code:
   *
   * The code of the last failure as the HTTP API names it (`timed-out`, `connection`, …).
   *
   * Since: 0.4
   */
  props[PROP_ERROR_CODE] = g_param_spec_string ("error-code", NULL, NULL, NULL,
                                                G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS);
  /**
   * LersPollJob:log:
   *
   * What happened on each attempt, one line each, as a user reads it.
   *
   * Since: 0.4
   */
  props[PROP_LOG]
      = g_param_spec_string ("log", NULL, NULL, NULL, G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS);
  /**
   * LersPollJob:requested-by:
   *
   * Who asked for a manual read (a user name or a program).
   *
   * Since: 0.4
   */
  props[PROP_REQUESTED_BY] = g_param_spec_string ("requested-by", NULL, NULL, NULL,
                                                  G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS);
  /**
   * LersPollJob:created:
   *
   * When the job was made.
   *
   * Since: 0.4
   */
  props[PROP_CREATED] = g_param_spec_boxed ("created", NULL, NULL, G_TYPE_DATE_TIME,
                                            G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS);
  /**
   * LersPollJob:started:
   *
   * When the first attempt started (a retry keeps it); %NULL before.
   *
   * Since: 0.4
   */
  props[PROP_STARTED] = g_param_spec_boxed ("started", NULL, NULL, G_TYPE_DATE_TIME,
                                            G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS);
  /**
   * LersPollJob:finished:
   *
   * When the job finished (done, failed or cancelled); %NULL before.
   *
   * Since: 0.4
   */
  props[PROP_FINISHED] = g_param_spec_boxed ("finished", NULL, NULL, G_TYPE_DATE_TIME,
                                             G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, props);
}

static void
lers_poll_job_init (LersPollJob *self)
{
  self->kind = LERS_ARCHIVE_KIND_HOUR;
  self->priority = LERS_POLL_PRIORITY_ROUTINE;
  self->state = LERS_POLL_JOB_STATE_QUEUED;
  self->max_attempts = 5;
}

/**
 * lers_poll_job_new:
 *
 * Returns: (transfer full): a new, empty #LersPollJob
 *
 * Since: 0.4
 */
LersPollJob *
lers_poll_job_new (void)
{
  return g_object_new (LERS_TYPE_POLL_JOB, NULL);
}

/**
 * lers_poll_job_get_id:
 * @self: a #LersPollJob
 *
 * Returns: database id.
 *
 * Since: 0.4
 */
gint64
lers_poll_job_get_id (LersPollJob *self)
{
  g_return_val_if_fail (LERS_IS_POLL_JOB (self), 0);
  return self->id;
}

/**
 * lers_poll_job_get_connection_id:
 * @self: a #LersPollJob
 *
 * Returns: the connection (link) the job is read over.
 *
 * Since: 0.4
 */
gint64
lers_poll_job_get_connection_id (LersPollJob *self)
{
  g_return_val_if_fail (LERS_IS_POLL_JOB (self), 0);
  return self->connection_id;
}

/**
 * lers_poll_job_get_point_id:
 * @self: a #LersPollJob
 *
 * Returns: the measure point to read.
 *
 * Since: 0.4
 */
gint64
lers_poll_job_get_point_id (LersPollJob *self)
{
  g_return_val_if_fail (LERS_IS_POLL_JOB (self), 0);
  return self->point_id;
}

/**
 * lers_poll_job_get_kind:
 * @self: a #LersPollJob
 *
 * Returns: the archive to read.
 *
 * Since: 0.4
 */
LersArchiveKind
lers_poll_job_get_kind (LersPollJob *self)
{
  g_return_val_if_fail (LERS_IS_POLL_JOB (self), 0);
  return self->kind;
}

/**
 * lers_poll_job_get_from:
 * @self: a #LersPollJob
 *
 * Returns: (transfer none) (nullable): start of the range to read; %NULL: from the last stored
 * record.
 *
 * Since: 0.4
 */
GDateTime *
lers_poll_job_get_from (LersPollJob *self)
{
  g_return_val_if_fail (LERS_IS_POLL_JOB (self), NULL);
  return self->from;
}

/**
 * lers_poll_job_get_to:
 * @self: a #LersPollJob
 *
 * Returns: (transfer none) (nullable): end of the range to read; %NULL: up to now.
 *
 * Since: 0.4
 */
GDateTime *
lers_poll_job_get_to (LersPollJob *self)
{
  g_return_val_if_fail (LERS_IS_POLL_JOB (self), NULL);
  return self->to;
}

/**
 * lers_poll_job_get_priority:
 * @self: a #LersPollJob
 *
 * Returns: which jobs are claimed first: the lower, the sooner.
 *
 * Since: 0.4
 */
LersPollPriority
lers_poll_job_get_priority (LersPollJob *self)
{
  g_return_val_if_fail (LERS_IS_POLL_JOB (self), 0);
  return self->priority;
}

/**
 * lers_poll_job_get_slot:
 * @self: a #LersPollJob
 *
 * Returns: (transfer none) (nullable): the schedule slot of a routine job; %NULL for other jobs.
 *
 * Since: 0.4
 */
GDateTime *
lers_poll_job_get_slot (LersPollJob *self)
{
  g_return_val_if_fail (LERS_IS_POLL_JOB (self), NULL);
  return self->slot;
}

/**
 * lers_poll_job_get_state:
 * @self: a #LersPollJob
 *
 * Returns: where the job is.
 *
 * Since: 0.4
 */
LersPollJobState
lers_poll_job_get_state (LersPollJob *self)
{
  g_return_val_if_fail (LERS_IS_POLL_JOB (self), 0);
  return self->state;
}

/**
 * lers_poll_job_get_due:
 * @self: a #LersPollJob
 *
 * Returns: (transfer none) (nullable): not to be read before this time (a retry waits out its
 * back-off).
 *
 * Since: 0.4
 */
GDateTime *
lers_poll_job_get_due (LersPollJob *self)
{
  g_return_val_if_fail (LERS_IS_POLL_JOB (self), NULL);
  return self->due;
}

/**
 * lers_poll_job_get_attempts:
 * @self: a #LersPollJob
 *
 * Returns: how many times a polling service has started the job.
 *
 * Since: 0.4
 */
gint
lers_poll_job_get_attempts (LersPollJob *self)
{
  g_return_val_if_fail (LERS_IS_POLL_JOB (self), 0);
  return self->attempts;
}

/**
 * lers_poll_job_get_max_attempts:
 * @self: a #LersPollJob
 *
 * Returns: after this many attempts a failing job fails for good.
 *
 * Since: 0.4
 */
gint
lers_poll_job_get_max_attempts (LersPollJob *self)
{
  g_return_val_if_fail (LERS_IS_POLL_JOB (self), 0);
  return self->max_attempts;
}

/**
 * lers_poll_job_get_service_id:
 * @self: a #LersPollJob
 *
 * Returns: the polling service running or last running the job; 0: none.
 *
 * Since: 0.4
 */
gint64
lers_poll_job_get_service_id (LersPollJob *self)
{
  g_return_val_if_fail (LERS_IS_POLL_JOB (self), 0);
  return self->service_id;
}

/**
 * lers_poll_job_get_cancel_requested:
 * @self: a #LersPollJob
 *
 * Returns: a user asked to cancel the running job.
 *
 * Since: 0.4
 */
gboolean
lers_poll_job_get_cancel_requested (LersPollJob *self)
{
  g_return_val_if_fail (LERS_IS_POLL_JOB (self), 0);
  return self->cancel_requested;
}

/**
 * lers_poll_job_get_progress:
 * @self: a #LersPollJob
 *
 * Returns: how far the read is, from 0 to 1.
 *
 * Since: 0.4
 */
gdouble
lers_poll_job_get_progress (LersPollJob *self)
{
  g_return_val_if_fail (LERS_IS_POLL_JOB (self), 0);
  return self->progress;
}

/**
 * lers_poll_job_get_message:
 * @self: a #LersPollJob
 *
 * Returns: (nullable): what the read is doing now, as a user reads it.
 *
 * Since: 0.4
 */
const gchar *
lers_poll_job_get_message (LersPollJob *self)
{
  g_return_val_if_fail (LERS_IS_POLL_JOB (self), NULL);
  return self->message;
}

/**
 * lers_poll_job_get_records:
 * @self: a #LersPollJob
 *
 * Returns: how many records the job stored.
 *
 * Since: 0.4
 */
gint
lers_poll_job_get_records (LersPollJob *self)
{
  g_return_val_if_fail (LERS_IS_POLL_JOB (self), 0);
  return self->records;
}

/**
 * lers_poll_job_get_error:
 * @self: a #LersPollJob
 *
 * Returns: (nullable): why the last attempt failed; %NULL if it did not.
 *
 * Since: 0.4
 */
const gchar *
lers_poll_job_get_error (LersPollJob *self)
{
  g_return_val_if_fail (LERS_IS_POLL_JOB (self), NULL);
  return self->error;
}

/**
 * lers_poll_job_get_error_code:
 * @self: a #LersPollJob
 *
 * Returns: (nullable): the code of the last failure as the HTTP API names it (`timed-out`,
 * `connection`, …).
 *
 * Since: 0.4
 */
const gchar *
lers_poll_job_get_error_code (LersPollJob *self)
{
  g_return_val_if_fail (LERS_IS_POLL_JOB (self), NULL);
  return self->error_code;
}

/**
 * lers_poll_job_get_log:
 * @self: a #LersPollJob
 *
 * Returns: (nullable): what happened on each attempt, one line each, as a user reads it.
 *
 * Since: 0.4
 */
const gchar *
lers_poll_job_get_log (LersPollJob *self)
{
  g_return_val_if_fail (LERS_IS_POLL_JOB (self), NULL);
  return self->log;
}

/**
 * lers_poll_job_get_requested_by:
 * @self: a #LersPollJob
 *
 * Returns: (nullable): who asked for a manual read (a user name or a program).
 *
 * Since: 0.4
 */
const gchar *
lers_poll_job_get_requested_by (LersPollJob *self)
{
  g_return_val_if_fail (LERS_IS_POLL_JOB (self), NULL);
  return self->requested_by;
}

/**
 * lers_poll_job_get_created:
 * @self: a #LersPollJob
 *
 * Returns: (transfer none) (nullable): when the job was made.
 *
 * Since: 0.4
 */
GDateTime *
lers_poll_job_get_created (LersPollJob *self)
{
  g_return_val_if_fail (LERS_IS_POLL_JOB (self), NULL);
  return self->created;
}

/**
 * lers_poll_job_get_started:
 * @self: a #LersPollJob
 *
 * Returns: (transfer none) (nullable): when the first attempt started (a
 *   retry keeps it); %NULL before.
 *
 * Since: 0.4
 */
GDateTime *
lers_poll_job_get_started (LersPollJob *self)
{
  g_return_val_if_fail (LERS_IS_POLL_JOB (self), NULL);
  return self->started;
}

/**
 * lers_poll_job_get_finished:
 * @self: a #LersPollJob
 *
 * Returns: (transfer none) (nullable): when the job finished (done, failed or cancelled); %NULL
 * before.
 *
 * Since: 0.4
 */
GDateTime *
lers_poll_job_get_finished (LersPollJob *self)
{
  g_return_val_if_fail (LERS_IS_POLL_JOB (self), NULL);
  return self->finished;
}

static const gchar *
enum_nick (GType type, gint value)
{
  g_autoptr (GEnumClass) klass = g_type_class_ref (type);
  GEnumValue *ev = g_enum_get_value (klass, value);

  return ev != NULL ? ev->value_nick : "";
}

/**
 * lers_poll_job_append_json:
 * @self: a #LersPollJob
 * @out: the string to append to
 * @zone: (nullable): the zone times are shown in, with their offset; %NULL: UTC
 *
 * Appends @self as one JSON object, as the HTTP API and `lers poll job
 * --json` show it: `{"id": 7, "connection_id": 2, "point_id": 3, "kind":
 * "hour", "from": null, "to": null, "priority": "manual", "slot": null,
 * "state": "running", "due": "2026-11-24T12:05:00+10:00", "attempts": 1,
 * "max_attempts": 5, "service_id": 1, "cancel_requested": false,
 * "progress": 0.5, "message": …, "records": 0, "error": null,
 * "error_code": null, "log": "", "requested_by": "admin", "created": …,
 * "started": …, "finished": null}`. Kind, priority and state are the
 * enums' nicks; a service_id of 0 is null.
 *
 * Since: 0.4
 */
void
lers_poll_job_append_json (LersPollJob *self, GString *out, GTimeZone *zone)
{
  g_autoptr (GTimeZone) utc = NULL;

  g_return_if_fail (LERS_IS_POLL_JOB (self));
  g_return_if_fail (out != NULL);

  if (zone == NULL)
    zone = utc = g_time_zone_new_utc ();
  g_string_append_printf (out,
                          "{\"id\":%" G_GINT64_FORMAT ",\"connection_id\":%" G_GINT64_FORMAT
                          ",\"point_id\":%" G_GINT64_FORMAT ",\"kind\":",
                          self->id, self->connection_id, self->point_id);
  lers_json_append_string (out, enum_nick (LERS_TYPE_ARCHIVE_KIND, self->kind));
  g_string_append (out, ",\"from\":");
  lers_json_append_time (out, self->from, zone);
  g_string_append (out, ",\"to\":");
  lers_json_append_time (out, self->to, zone);
  g_string_append (out, ",\"priority\":");
  lers_json_append_string (out, enum_nick (LERS_TYPE_POLL_PRIORITY, self->priority));
  g_string_append (out, ",\"slot\":");
  lers_json_append_time (out, self->slot, zone);
  g_string_append (out, ",\"state\":");
  lers_json_append_string (out, enum_nick (LERS_TYPE_POLL_JOB_STATE, self->state));
  g_string_append (out, ",\"due\":");
  lers_json_append_time (out, self->due, zone);
  g_string_append_printf (out,
                          ",\"attempts\":%d,\"max_attempts\":%d,\"service_id\":", self->attempts,
                          self->max_attempts);
  if (self->service_id != 0)
    g_string_append_printf (out, "%" G_GINT64_FORMAT, self->service_id);
  else
    g_string_append (out, "null");
  g_string_append_printf (
      out, ",\"cancel_requested\":%s,\"progress\":", self->cancel_requested ? "true" : "false");
  lers_json_append_double (out, self->progress);
  g_string_append (out, ",\"message\":");
  lers_json_append_nullable_string (out, self->message);
  g_string_append_printf (out, ",\"records\":%d,\"error\":", self->records);
  lers_json_append_nullable_string (out, self->error);
  g_string_append (out, ",\"error_code\":");
  lers_json_append_nullable_string (out, self->error_code);
  g_string_append (out, ",\"log\":");
  lers_json_append_string (out, self->log != NULL ? self->log : "");
  g_string_append (out, ",\"requested_by\":");
  lers_json_append_nullable_string (out, self->requested_by);
  g_string_append (out, ",\"created\":");
  lers_json_append_time (out, self->created, zone);
  g_string_append (out, ",\"started\":");
  lers_json_append_time (out, self->started, zone);
  g_string_append (out, ",\"finished\":");
  lers_json_append_time (out, self->finished, zone);
  g_string_append_c (out, '}');
}
