/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "config.h"

#include "lers-enum-types.h"
#include "lers-json.h"
#include "lers-time.h"
#include "model/lers-poll-service.h"

/**
 * LersPollService:
 *
 * A polling service (a row of `poll_services`): a `lersd --role=poller`
 * process, or the poller of an all-in-one lersd, that claims poll jobs from
 * a #LersPollQueue. It presents a token whose hash only is stored, may claim
 * jobs once authorised, and shows it is alive by its heartbeat.
 *
 * Since: 0.4
 */
struct _LersPollService
{
  GObject parent_instance;
  gint64 id;
  gchar *name;
  gboolean authorised;
  GDateTime *authorised_at;
  gchar *host;
  gchar *version;
  gint pid;
  guint max_links;
  GDateTime *started;
  GDateTime *heartbeat;
  GDateTime *stopped;
  gint64 jobs_done;
  gint64 jobs_failed;
  GDateTime *created;
};

G_DEFINE_FINAL_TYPE (LersPollService, lers_poll_service, G_TYPE_OBJECT)

enum
{
  PROP_0,
  PROP_ID,
  PROP_NAME,
  PROP_AUTHORISED,
  PROP_AUTHORISED_AT,
  PROP_HOST,
  PROP_VERSION,
  PROP_PID,
  PROP_MAX_LINKS,
  PROP_STARTED,
  PROP_HEARTBEAT,
  PROP_STOPPED,
  PROP_JOBS_DONE,
  PROP_JOBS_FAILED,
  PROP_CREATED,
  N_PROPS
};

static GParamSpec *props[N_PROPS];

static void
lers_poll_service_finalize (GObject *object)
{
  LersPollService *self = LERS_POLL_SERVICE (object);

  g_free (self->name);
  g_clear_pointer (&self->authorised_at, g_date_time_unref);
  g_free (self->host);
  g_free (self->version);
  g_clear_pointer (&self->started, g_date_time_unref);
  g_clear_pointer (&self->heartbeat, g_date_time_unref);
  g_clear_pointer (&self->stopped, g_date_time_unref);
  g_clear_pointer (&self->created, g_date_time_unref);

  G_OBJECT_CLASS (lers_poll_service_parent_class)->finalize (object);
}

static void
lers_poll_service_get_property (GObject *object, guint prop_id, GValue *value, GParamSpec *pspec)
{
  LersPollService *self = LERS_POLL_SERVICE (object);

  switch (prop_id)
    {
    case PROP_ID:
      g_value_set_int64 (value, self->id);
      break;
    case PROP_NAME:
      g_value_set_string (value, self->name);
      break;
    case PROP_AUTHORISED:
      g_value_set_boolean (value, self->authorised);
      break;
    case PROP_AUTHORISED_AT:
      g_value_set_boxed (value, self->authorised_at);
      break;
    case PROP_HOST:
      g_value_set_string (value, self->host);
      break;
    case PROP_VERSION:
      g_value_set_string (value, self->version);
      break;
    case PROP_PID:
      g_value_set_int (value, self->pid);
      break;
    case PROP_MAX_LINKS:
      g_value_set_uint (value, self->max_links);
      break;
    case PROP_STARTED:
      g_value_set_boxed (value, self->started);
      break;
    case PROP_HEARTBEAT:
      g_value_set_boxed (value, self->heartbeat);
      break;
    case PROP_STOPPED:
      g_value_set_boxed (value, self->stopped);
      break;
    case PROP_JOBS_DONE:
      g_value_set_int64 (value, self->jobs_done);
      break;
    case PROP_JOBS_FAILED:
      g_value_set_int64 (value, self->jobs_failed);
      break;
    case PROP_CREATED:
      g_value_set_boxed (value, self->created);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
lers_poll_service_set_property (GObject *object, guint prop_id, const GValue *value,
                                GParamSpec *pspec)
{
  LersPollService *self = LERS_POLL_SERVICE (object);

  switch (prop_id)
    {
    case PROP_ID:
      self->id = g_value_get_int64 (value);
      break;
    case PROP_NAME:
      g_free (self->name);
      self->name = g_value_dup_string (value);
      break;
    case PROP_AUTHORISED:
      self->authorised = g_value_get_boolean (value);
      break;
    case PROP_AUTHORISED_AT:
      g_clear_pointer (&self->authorised_at, g_date_time_unref);
      self->authorised_at = g_value_dup_boxed (value);
      break;
    case PROP_HOST:
      g_free (self->host);
      self->host = g_value_dup_string (value);
      break;
    case PROP_VERSION:
      g_free (self->version);
      self->version = g_value_dup_string (value);
      break;
    case PROP_PID:
      self->pid = g_value_get_int (value);
      break;
    case PROP_MAX_LINKS:
      self->max_links = g_value_get_uint (value);
      break;
    case PROP_STARTED:
      g_clear_pointer (&self->started, g_date_time_unref);
      self->started = g_value_dup_boxed (value);
      break;
    case PROP_HEARTBEAT:
      g_clear_pointer (&self->heartbeat, g_date_time_unref);
      self->heartbeat = g_value_dup_boxed (value);
      break;
    case PROP_STOPPED:
      g_clear_pointer (&self->stopped, g_date_time_unref);
      self->stopped = g_value_dup_boxed (value);
      break;
    case PROP_JOBS_DONE:
      self->jobs_done = g_value_get_int64 (value);
      break;
    case PROP_JOBS_FAILED:
      self->jobs_failed = g_value_get_int64 (value);
      break;
    case PROP_CREATED:
      g_clear_pointer (&self->created, g_date_time_unref);
      self->created = g_value_dup_boxed (value);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
lers_poll_service_class_init (LersPollServiceClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = lers_poll_service_finalize;
  object_class->get_property = lers_poll_service_get_property;
  object_class->set_property = lers_poll_service_set_property;

  /**
   * LersPollService:id:
   *
   * Database id.
   *
   * Since: 0.4
   */
  props[PROP_ID] = g_param_spec_int64 ("id", NULL, NULL, 0, G_MAXINT64, 0,
                                       G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS);
  /**
   * LersPollService:name:
   *
   * The service's unique name (by default its host name).
   *
   * Since: 0.4
   */
  props[PROP_NAME]
      = g_param_spec_string ("name", NULL, NULL, NULL, G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS);
  /**
   * LersPollService:authorised:
   *
   * Whether the service may claim jobs.
   *
   * Since: 0.4
   */
  props[PROP_AUTHORISED] = g_param_spec_boolean ("authorised", NULL, NULL, FALSE,
                                                 G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS);
  /**
   * LersPollService:authorised-at:
   *
   * When it was authorised; %NULL if it is not.
   *
   * Since: 0.4
   */
  props[PROP_AUTHORISED_AT] = g_param_spec_boxed ("authorised-at", NULL, NULL, G_TYPE_DATE_TIME,
                                                  G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS);
  /**
   * LersPollService:host:
   *
   * The host the service last ran on.
   *
   * Since: 0.4
   */
  props[PROP_HOST]
      = g_param_spec_string ("host", NULL, NULL, NULL, G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS);
  /**
   * LersPollService:version:
   *
   * The LERS version the service last ran.
   *
   * Since: 0.4
   */
  props[PROP_VERSION] = g_param_spec_string ("version", NULL, NULL, NULL,
                                             G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS);
  /**
   * LersPollService:pid:
   *
   * The process id it last ran as; 0: not known.
   *
   * Since: 0.4
   */
  props[PROP_PID] = g_param_spec_int ("pid", NULL, NULL, 0, G_MAXINT32, 0,
                                      G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS);
  /**
   * LersPollService:max-links:
   *
   * How many links (ports) the service reads at once.
   *
   * Since: 0.4
   */
  props[PROP_MAX_LINKS] = g_param_spec_uint ("max-links", NULL, NULL, 0, G_MAXINT32, 0,
                                             G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS);
  /**
   * LersPollService:started:
   *
   * When the service last started; %NULL if it never did.
   *
   * Since: 0.4
   */
  props[PROP_STARTED] = g_param_spec_boxed ("started", NULL, NULL, G_TYPE_DATE_TIME,
                                            G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS);
  /**
   * LersPollService:heartbeat:
   *
   * When the service last said it is alive.
   *
   * Since: 0.4
   */
  props[PROP_HEARTBEAT] = g_param_spec_boxed ("heartbeat", NULL, NULL, G_TYPE_DATE_TIME,
                                              G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS);
  /**
   * LersPollService:stopped:
   *
   * When the service last stopped cleanly; %NULL while it runs.
   *
   * Since: 0.4
   */
  props[PROP_STOPPED] = g_param_spec_boxed ("stopped", NULL, NULL, G_TYPE_DATE_TIME,
                                            G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS);
  /**
   * LersPollService:jobs-done:
   *
   * How many jobs the service has finished.
   *
   * Since: 0.4
   */
  props[PROP_JOBS_DONE] = g_param_spec_int64 ("jobs-done", NULL, NULL, 0, G_MAXINT64, 0,
                                              G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS);
  /**
   * LersPollService:jobs-failed:
   *
   * How many jobs failed for good on the service.
   *
   * Since: 0.4
   */
  props[PROP_JOBS_FAILED] = g_param_spec_int64 ("jobs-failed", NULL, NULL, 0, G_MAXINT64, 0,
                                                G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS);
  /**
   * LersPollService:created:
   *
   * When the service was added.
   *
   * Since: 0.4
   */
  props[PROP_CREATED] = g_param_spec_boxed ("created", NULL, NULL, G_TYPE_DATE_TIME,
                                            G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, props);
}

static void
lers_poll_service_init (LersPollService *self)
{
}

/**
 * lers_poll_service_new:
 *
 * Returns: (transfer full): a new, empty #LersPollService
 *
 * Since: 0.4
 */
LersPollService *
lers_poll_service_new (void)
{
  return g_object_new (LERS_TYPE_POLL_SERVICE, NULL);
}

/**
 * lers_poll_service_get_id:
 * @self: a #LersPollService
 *
 * Returns: database id.
 *
 * Since: 0.4
 */
gint64
lers_poll_service_get_id (LersPollService *self)
{
  g_return_val_if_fail (LERS_IS_POLL_SERVICE (self), 0);
  return self->id;
}

/**
 * lers_poll_service_get_name:
 * @self: a #LersPollService
 *
 * Returns: (nullable): the service's unique name (by default its host name).
 *
 * Since: 0.4
 */
const gchar *
lers_poll_service_get_name (LersPollService *self)
{
  g_return_val_if_fail (LERS_IS_POLL_SERVICE (self), NULL);
  return self->name;
}

/**
 * lers_poll_service_get_authorised:
 * @self: a #LersPollService
 *
 * Returns: whether the service may claim jobs.
 *
 * Since: 0.4
 */
gboolean
lers_poll_service_get_authorised (LersPollService *self)
{
  g_return_val_if_fail (LERS_IS_POLL_SERVICE (self), 0);
  return self->authorised;
}

/**
 * lers_poll_service_get_authorised_at:
 * @self: a #LersPollService
 *
 * Returns: (transfer none) (nullable): when it was authorised; %NULL if it is not.
 *
 * Since: 0.4
 */
GDateTime *
lers_poll_service_get_authorised_at (LersPollService *self)
{
  g_return_val_if_fail (LERS_IS_POLL_SERVICE (self), NULL);
  return self->authorised_at;
}

/**
 * lers_poll_service_get_host:
 * @self: a #LersPollService
 *
 * Returns: (nullable): the host the service last ran on.
 *
 * Since: 0.4
 */
const gchar *
lers_poll_service_get_host (LersPollService *self)
{
  g_return_val_if_fail (LERS_IS_POLL_SERVICE (self), NULL);
  return self->host;
}

/**
 * lers_poll_service_get_version:
 * @self: a #LersPollService
 *
 * Returns: (nullable): the LERS version the service last ran.
 *
 * Since: 0.4
 */
const gchar *
lers_poll_service_get_version (LersPollService *self)
{
  g_return_val_if_fail (LERS_IS_POLL_SERVICE (self), NULL);
  return self->version;
}

/**
 * lers_poll_service_get_pid:
 * @self: a #LersPollService
 *
 * Returns: the process id it last ran as; 0: not known.
 *
 * Since: 0.4
 */
gint
lers_poll_service_get_pid (LersPollService *self)
{
  g_return_val_if_fail (LERS_IS_POLL_SERVICE (self), 0);
  return self->pid;
}

/**
 * lers_poll_service_get_max_links:
 * @self: a #LersPollService
 *
 * Returns: how many links (ports) the service reads at once.
 *
 * Since: 0.4
 */
guint
lers_poll_service_get_max_links (LersPollService *self)
{
  g_return_val_if_fail (LERS_IS_POLL_SERVICE (self), 0);
  return self->max_links;
}

/**
 * lers_poll_service_get_started:
 * @self: a #LersPollService
 *
 * Returns: (transfer none) (nullable): when the service last started; %NULL if it never did.
 *
 * Since: 0.4
 */
GDateTime *
lers_poll_service_get_started (LersPollService *self)
{
  g_return_val_if_fail (LERS_IS_POLL_SERVICE (self), NULL);
  return self->started;
}

/**
 * lers_poll_service_get_heartbeat:
 * @self: a #LersPollService
 *
 * Returns: (transfer none) (nullable): when the service last said it is alive.
 *
 * Since: 0.4
 */
GDateTime *
lers_poll_service_get_heartbeat (LersPollService *self)
{
  g_return_val_if_fail (LERS_IS_POLL_SERVICE (self), NULL);
  return self->heartbeat;
}

/**
 * lers_poll_service_get_stopped:
 * @self: a #LersPollService
 *
 * Returns: (transfer none) (nullable): when the service last stopped cleanly; %NULL while it runs.
 *
 * Since: 0.4
 */
GDateTime *
lers_poll_service_get_stopped (LersPollService *self)
{
  g_return_val_if_fail (LERS_IS_POLL_SERVICE (self), NULL);
  return self->stopped;
}

/**
 * lers_poll_service_get_jobs_done:
 * @self: a #LersPollService
 *
 * Returns: how many jobs the service has finished.
 *
 * Since: 0.4
 */
gint64
lers_poll_service_get_jobs_done (LersPollService *self)
{
  g_return_val_if_fail (LERS_IS_POLL_SERVICE (self), 0);
  return self->jobs_done;
}

/**
 * lers_poll_service_get_jobs_failed:
 * @self: a #LersPollService
 *
 * Returns: how many jobs failed for good on the service.
 *
 * Since: 0.4
 */
gint64
lers_poll_service_get_jobs_failed (LersPollService *self)
{
  g_return_val_if_fail (LERS_IS_POLL_SERVICE (self), 0);
  return self->jobs_failed;
}

/**
 * lers_poll_service_get_created:
 * @self: a #LersPollService
 *
 * Returns: (transfer none) (nullable): when the service was added.
 *
 * Since: 0.4
 */
GDateTime *
lers_poll_service_get_created (LersPollService *self)
{
  g_return_val_if_fail (LERS_IS_POLL_SERVICE (self), NULL);
  return self->created;
}

/**
 * lers_poll_service_get_state:
 * @self: a #LersPollService
 * @now: the time to judge by (the server's clock)
 * @lease_seconds: how long a heartbeat keeps a service alive
 *
 * Tells what an operator sees of the service: `pending` (not authorised
 * yet, so it may not claim jobs), `stopped` (it stopped cleanly, or never
 * started), `running` (its last heartbeat is within @lease_seconds of
 * @now) or `dead` (no heartbeat for a lease: it was killed or stalled, and
 * its links are taken over).
 *
 * Returns: the state's name
 *
 * Since: 0.4
 */
const gchar *
lers_poll_service_get_state (LersPollService *self, GDateTime *now, guint lease_seconds)
{
  g_return_val_if_fail (LERS_IS_POLL_SERVICE (self), NULL);
  g_return_val_if_fail (now != NULL, NULL);

  if (!self->authorised)
    return "pending";
  if (self->heartbeat == NULL
      || (self->stopped != NULL && g_date_time_compare (self->stopped, self->heartbeat) >= 0))
    return "stopped";
  if (g_date_time_difference (now, self->heartbeat)
      <= (GTimeSpan) lease_seconds * G_TIME_SPAN_SECOND)
    return "running";
  return "dead";
}

/**
 * lers_poll_service_append_json:
 * @self: a #LersPollService
 * @out: the string to append to
 * @zone: (nullable): the zone times are shown in, with their offset; %NULL: UTC
 * @now: the time to judge the state by
 * @lease_seconds: how long a heartbeat keeps a service alive
 *
 * Appends @self as one JSON object, as the HTTP API and `lers poll
 * services --json` show it: `{"id": 1, "name": "poller-1", "state":
 * "running", "authorised": true, "authorised_at": …, "host": "srv2",
 * "version": "0.4.0", "pid": 4242, "max_links": 8, "started": …,
 * "heartbeat": …, "stopped": null, "jobs_done": 120, "jobs_failed": 2,
 * "created": …}` (state: see lers_poll_service_get_state()).
 *
 * Since: 0.4
 */
void
lers_poll_service_append_json (LersPollService *self, GString *out, GTimeZone *zone, GDateTime *now,
                               guint lease_seconds)
{
  g_autoptr (GTimeZone) utc = NULL;

  g_return_if_fail (LERS_IS_POLL_SERVICE (self));
  g_return_if_fail (out != NULL);
  g_return_if_fail (now != NULL);

  if (zone == NULL)
    zone = utc = g_time_zone_new_utc ();
  g_string_append_printf (out, "{\"id\":%" G_GINT64_FORMAT ",\"name\":", self->id);
  lers_json_append_string (out, self->name != NULL ? self->name : "");
  g_string_append (out, ",\"state\":");
  lers_json_append_string (out, lers_poll_service_get_state (self, now, lease_seconds));
  g_string_append_printf (
      out, ",\"authorised\":%s,\"authorised_at\":", self->authorised ? "true" : "false");
  lers_json_append_time (out, self->authorised_at, zone);
  g_string_append (out, ",\"host\":");
  lers_json_append_nullable_string (out, self->host);
  g_string_append (out, ",\"version\":");
  lers_json_append_nullable_string (out, self->version);
  g_string_append_printf (out, ",\"pid\":%d,\"max_links\":%u,\"started\":", self->pid,
                          self->max_links);
  lers_json_append_time (out, self->started, zone);
  g_string_append (out, ",\"heartbeat\":");
  lers_json_append_time (out, self->heartbeat, zone);
  g_string_append (out, ",\"stopped\":");
  lers_json_append_time (out, self->stopped, zone);
  g_string_append_printf (
      out, ",\"jobs_done\":%" G_GINT64_FORMAT ",\"jobs_failed\":%" G_GINT64_FORMAT ",\"created\":",
      self->jobs_done, self->jobs_failed);
  lers_json_append_time (out, self->created, zone);
  g_string_append_c (out, '}');
}
