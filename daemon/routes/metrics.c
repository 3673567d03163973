/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Prometheus metrics of polling and of the HTTP server.
 *
 *   GET /metrics   → text/plain; version=0.0.4 (STAFF: a scraper uses a
 *                    viewer's API token)
 *
 * Gauges of the polling services, ports, links and jobs as the status shows
 * them, and counters per service. The HTTP server's requests are counted by
 * method and status, their durations in a histogram: lersd-server.c calls
 * lersd_metrics_request_started() and lersd_metrics_request_finished() (or
 * lersd_metrics_count_request()) for every request. The text format is Prometheus's 0.0.4
 * exposition format: `# HELP` and `# TYPE` before each family, label values
 * escaped (backslash, double quote, line feed). The HELP texts are not
 * translated: they are for the monitoring system, not for operators.
 */
#include "config.h"

#include <glib/gi18n.h>

#include "lersd-routes.h"

#define LERSD_METRICS_CONTENT_TYPE "text/plain; version=0.0.4; charset=utf-8"

/**
 * lersd_metrics_escape_label:
 * @value: a label value
 *
 * Returns: (transfer full): @value escaped for a label of the text format:
 *   `\` as `\\`, `"` as `\"`, a line feed as `\n`; invalid UTF-8 replaced
 *
 * Since: 0.4
 */
gchar *
lersd_metrics_escape_label (const gchar *value)
{
  g_autofree gchar *valid = g_utf8_make_valid (value != NULL ? value : "", -1);
  GString *out = g_string_sized_new (strlen (valid) + 2);

  for (const gchar *p = valid; *p != '\0'; p++)
    {
      if (*p == '\\')
        g_string_append (out, "\\\\");
      else if (*p == '"')
        g_string_append (out, "\\\"");
      else if (*p == '\n')
        g_string_append (out, "\\n");
      else
        g_string_append_c (out, *p);
    }
  return g_string_free (out, FALSE);
}

static guint64
lersd_metrics_get (GVariant *status, const gchar *key)
{
  g_autoptr (GVariant) value = g_variant_lookup_value (status, key, NULL);

  if (value == NULL)
    return 0;
  if (g_variant_is_of_type (value, G_VARIANT_TYPE_UINT32))
    return g_variant_get_uint32 (value);
  if (g_variant_is_of_type (value, G_VARIANT_TYPE_INT32))
    return (guint64) MAX (g_variant_get_int32 (value), 0);
  if (g_variant_is_of_type (value, G_VARIANT_TYPE_INT64))
    return (guint64) MAX (g_variant_get_int64 (value), 0);
  if (g_variant_is_of_type (value, G_VARIANT_TYPE_UINT64))
    return g_variant_get_uint64 (value);
  return 0;
}

static void
lersd_metrics_family (GString *out, const gchar *name, const gchar *type, const gchar *help)
{
  g_string_append_printf (out, "# HELP %s %s\n# TYPE %s %s\n", name, help, name, type);
}

/* One gauge family with a label @label taking the values @values from the
 * status keys @keys */
static void
lersd_metrics_labelled (GString *out, GVariant *status, const gchar *name, const gchar *help,
                        const gchar *label, const gchar *const *values, const gchar *const *keys)
{
  lersd_metrics_family (out, name, "gauge", help);
  for (guint i = 0; values[i] != NULL; i++)
    g_string_append_printf (out, "%s{%s=\"%s\"} %" G_GUINT64_FORMAT "\n", name, label, values[i],
                            lersd_metrics_get (status, keys[i]));
}

/**
 * lersd_metrics_append:
 * @out: where to write
 * @status: what lers_poll_queue_get_status_sync() returned
 * @services: (element-type LersPollService): what
 *   lers_poll_queue_list_services_sync() returned
 * @now: the time the heartbeats' age is measured at
 * @lease_seconds: the lease: a service without a heartbeat for this long
 *   is dead
 *
 * Writes the metrics in Prometheus's text format 0.0.4.
 *
 * Since: 0.4
 */
void
lersd_metrics_append (GString *out, GVariant *status, GPtrArray *services, GDateTime *now,
                      guint lease_seconds)
{
  static const gchar *const service_states[] = { "running", "pending", "stopped", "dead", NULL };
  guint n_state[G_N_ELEMENTS (service_states)] = { 0 };

  for (guint i = 0; i < services->len; i++)
    {
      const gchar *state
          = lers_poll_service_get_state (g_ptr_array_index (services, i), now, lease_seconds);

      for (guint k = 0; service_states[k] != NULL; k++)
        if (g_strcmp0 (state, service_states[k]) == 0)
          n_state[k]++;
    }
  lersd_metrics_family (out, "lers_poll_services", "gauge", "Polling services by state.");
  for (guint k = 0; service_states[k] != NULL; k++)
    g_string_append_printf (out, "lers_poll_services{state=\"%s\"} %u\n", service_states[k],
                            n_state[k]);

  lersd_metrics_labelled (out, status, "lers_poll_ports",
                          "Ports (links a running service may hold at once), busy or free.",
                          "state", (const gchar *const[]){ "busy", "free", NULL },
                          (const gchar *const[]){ "ports_busy", "ports_free", NULL });
  lersd_metrics_labelled (
      out, status, "lers_poll_links",
      "Links with points: held by a service (active), backing off (blocked) or free.", "state",
      (const gchar *const[]){ "active", "free", "blocked", NULL },
      (const gchar *const[]){ "links_active", "links_free", "links_blocked", NULL });
  lersd_metrics_labelled (
      out, status, "lers_poll_jobs",
      "Poll jobs waiting (queued), of them due now (due), and being read (running).", "state",
      (const gchar *const[]){ "queued", "due", "running", NULL },
      (const gchar *const[]){ "jobs_queued", "jobs_due", "jobs_running", NULL });
  lersd_metrics_labelled (out, status, "lers_poll_jobs_finished_24h",
                          "Poll jobs finished in the last 24 hours, by result.", "result",
                          (const gchar *const[]){ "done", "failed", NULL },
                          (const gchar *const[]){ "jobs_done_24h", "jobs_failed_24h", NULL });
  lersd_metrics_family (out, "lers_poll_oldest_due_seconds", "gauge",
                        "How late the oldest due poll job is, in seconds (0: none is late).");
  g_string_append_printf (out, "lers_poll_oldest_due_seconds %" G_GUINT64_FORMAT "\n",
                          lersd_metrics_get (status, "oldest_due_seconds"));

  lersd_metrics_family (out, "lers_poll_service_heartbeat_age_seconds", "gauge",
                        "Seconds since a polling service's last heartbeat.");
  for (guint i = 0; i < services->len; i++)
    {
      LersPollService *service = g_ptr_array_index (services, i);
      GDateTime *heartbeat = lers_poll_service_get_heartbeat (service);
      g_autofree gchar *name = NULL;
      GTimeSpan age;

      if (heartbeat == NULL)
        continue;
      name = lersd_metrics_escape_label (lers_poll_service_get_name (service));
      age = MAX (g_date_time_difference (now, heartbeat), 0);
      g_string_append_printf (
          out, "lers_poll_service_heartbeat_age_seconds{service=\"%s\"} %" G_GINT64_FORMAT "\n",
          name, age / G_TIME_SPAN_SECOND);
    }
  lersd_metrics_family (out, "lers_poll_service_jobs_total", "counter",
                        "Poll jobs a polling service has finished, by result.");
  for (guint i = 0; i < services->len; i++)
    {
      LersPollService *service = g_ptr_array_index (services, i);
      g_autofree gchar *name = lersd_metrics_escape_label (lers_poll_service_get_name (service));

      g_string_append_printf (
          out,
          "lers_poll_service_jobs_total{service=\"%s\",result=\"done\"} %" G_GINT64_FORMAT "\n",
          name, lers_poll_service_get_jobs_done (service));
      g_string_append_printf (
          out,
          "lers_poll_service_jobs_total{service=\"%s\",result=\"failed\"} %" G_GINT64_FORMAT "\n",
          name, lers_poll_service_get_jobs_failed (service));
    }
}

/* HTTP requests: counters by method and status, one histogram of
 * durations. Methods outside the list count as "other" and statuses outside
 * 100–599 as 0, so that no client can make the label sets grow. */
static const gchar *const lersd_metrics_methods[]
    = { "GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS", "other" };
#define LERSD_METRICS_N_METHODS G_N_ELEMENTS (lersd_metrics_methods)
#define LERSD_METRICS_N_STATUS 600
/* Prometheus's default buckets, in seconds */
static const gdouble lersd_metrics_buckets[]
    = { 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10 };
#define LERSD_METRICS_N_BUCKETS G_N_ELEMENTS (lersd_metrics_buckets)

static GMutex lersd_metrics_lock;
static guint64 lersd_metrics_requests[LERSD_METRICS_N_METHODS][LERSD_METRICS_N_STATUS];
static guint64 lersd_metrics_bucket_counts[LERSD_METRICS_N_BUCKETS];
static guint64 lersd_metrics_duration_count;
static gdouble lersd_metrics_duration_sum;

/**
 * lersd_metrics_count_request:
 * @method: the request's method
 * @status: the status it was answered with
 * @seconds: how long it took, from its head read to its answer sent
 *
 * Counts one finished HTTP request in `lers_http_requests_total` and
 * `lers_http_request_duration_seconds`. Thread-safe.
 *
 * Since: 0.5
 */
void
lersd_metrics_count_request (const gchar *method, guint status, gdouble seconds)
{
  guint m = LERSD_METRICS_N_METHODS - 1;

  for (guint i = 0; i + 1 < LERSD_METRICS_N_METHODS; i++)
    if (g_strcmp0 (method, lersd_metrics_methods[i]) == 0)
      m = i;
  if (status < 100 || status >= LERSD_METRICS_N_STATUS)
    status = 0;
  if (!(seconds >= 0)) /* NaN too */
    seconds = 0;

  g_mutex_lock (&lersd_metrics_lock);
  lersd_metrics_requests[m][status]++;
  for (guint b = 0; b < LERSD_METRICS_N_BUCKETS; b++)
    if (seconds <= lersd_metrics_buckets[b])
      lersd_metrics_bucket_counts[b]++;
  lersd_metrics_duration_count++;
  lersd_metrics_duration_sum += seconds;
  g_mutex_unlock (&lersd_metrics_lock);
}

#define LERSD_METRICS_START_KEY "lersd-metrics-start"

/**
 * lersd_metrics_request_started:
 * @server: the server
 * @msg: a message whose head has been read
 * @user_data: unused
 *
 * Notes when @msg started, for lersd_metrics_request_finished(). Connect it
 * to #SoupServer::request-started.
 *
 * Since: 0.5
 */
void
lersd_metrics_request_started (SoupServer *server, SoupServerMessage *msg, gpointer user_data)
{
  gint64 *start = g_new (gint64, 1);

  *start = g_get_monotonic_time ();
  g_object_set_data_full (G_OBJECT (msg), LERSD_METRICS_START_KEY, start, g_free);
}

/**
 * lersd_metrics_request_finished:
 * @msg: a message that has been answered
 *
 * Counts @msg (lersd_metrics_count_request()) with the time since
 * lersd_metrics_request_started(), 0 if that was not called.
 *
 * Since: 0.5
 */
void
lersd_metrics_request_finished (SoupServerMessage *msg)
{
  gint64 *start = g_object_get_data (G_OBJECT (msg), LERSD_METRICS_START_KEY);
  gdouble seconds = 0;

  if (start != NULL)
    seconds = (gdouble) (g_get_monotonic_time () - *start) / G_USEC_PER_SEC;
  lersd_metrics_count_request (soup_server_message_get_method (msg),
                               soup_server_message_get_status (msg), seconds);
}

/**
 * lersd_metrics_reset_http:
 *
 * Forgets the HTTP requests counted so far (for tests).
 *
 * Since: 0.5
 */
void
lersd_metrics_reset_http (void)
{
  g_mutex_lock (&lersd_metrics_lock);
  memset (lersd_metrics_requests, 0, sizeof lersd_metrics_requests);
  memset (lersd_metrics_bucket_counts, 0, sizeof lersd_metrics_bucket_counts);
  lersd_metrics_duration_count = 0;
  lersd_metrics_duration_sum = 0;
  g_mutex_unlock (&lersd_metrics_lock);
}

/**
 * lersd_metrics_append_http:
 * @out: where to write
 *
 * Writes `lers_http_requests_total{method,status}` (the pairs seen so far)
 * and the histogram `lers_http_request_duration_seconds` in Prometheus's
 * text format 0.0.4.
 *
 * Since: 0.5
 */
void
lersd_metrics_append_http (GString *out)
{
  gchar number[G_ASCII_DTOSTR_BUF_SIZE];

  g_mutex_lock (&lersd_metrics_lock);
  lersd_metrics_family (out, "lers_http_requests_total", "counter",
                        "HTTP requests answered, by method and status.");
  for (guint m = 0; m < LERSD_METRICS_N_METHODS; m++)
    for (guint s = 0; s < LERSD_METRICS_N_STATUS; s++)
      if (lersd_metrics_requests[m][s] > 0)
        g_string_append_printf (
            out, "lers_http_requests_total{method=\"%s\",status=\"%u\"} %" G_GUINT64_FORMAT "\n",
            lersd_metrics_methods[m], s, lersd_metrics_requests[m][s]);
  lersd_metrics_family (out, "lers_http_request_duration_seconds", "histogram",
                        "How long HTTP requests took to answer, in seconds.");
  for (guint b = 0; b < LERSD_METRICS_N_BUCKETS; b++)
    g_string_append_printf (
        out, "lers_http_request_duration_seconds_bucket{le=\"%s\"} %" G_GUINT64_FORMAT "\n",
        g_ascii_formatd (number, sizeof number, "%g", lersd_metrics_buckets[b]),
        lersd_metrics_bucket_counts[b]);
  g_string_append_printf (
      out, "lers_http_request_duration_seconds_bucket{le=\"+Inf\"} %" G_GUINT64_FORMAT "\n",
      lersd_metrics_duration_count);
  g_string_append_printf (
      out, "lers_http_request_duration_seconds_sum %s\n",
      g_ascii_formatd (number, sizeof number, "%.6f", lersd_metrics_duration_sum));
  g_string_append_printf (out, "lers_http_request_duration_seconds_count %" G_GUINT64_FORMAT "\n",
                          lersd_metrics_duration_count);
  g_mutex_unlock (&lersd_metrics_lock);
}

static GBytes *
lersd_metrics_run (LersdRequest *req, gpointer user_data, GCancellable *cancellable, guint *status,
                   const gchar **content_type, GError **error)
{
  LersPollQueue *queue = lersd_request_get_queue (req);
  guint lease = lersd_server_get_poll_lease (lersd_request_get_server (req));
  g_autoptr (GVariant) counts = NULL;
  g_autoptr (GPtrArray) services = NULL;
  g_autoptr (GDateTime) now = g_date_time_new_now_utc ();
  GString *out;

  counts = lers_poll_queue_get_status_sync (queue, lease, cancellable, error);
  if (counts == NULL)
    return NULL;
  services = lers_poll_queue_list_services_sync (queue, cancellable, error);
  if (services == NULL)
    return NULL;
  out = g_string_sized_new (2048);
  lersd_metrics_append (out, counts, services, now, lease);
  lersd_metrics_append_http (out);
  *content_type = LERSD_METRICS_CONTENT_TYPE;
  return g_string_free_to_bytes (out);
}

/**
 * lersd_route_metrics:
 * @req: the request
 *
 * `GET /metrics`.
 *
 * Since: 0.4
 */
void
lersd_route_metrics (LersdRequest *req)
{
  lersd_request_run_in_thread (req, lersd_metrics_run, NULL, NULL);
}

const LersdRoute lersd_routes_metrics[] = {
  { "GET", "/metrics", LERSD_ACCESS_STAFF, lersd_route_metrics },
  { NULL },
};
