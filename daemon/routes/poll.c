/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Polling: manual reads, jobs, services, links, sessions, traffic and a
 * point's schedule (docs/api-poll.md has bodies and examples).
 *
 *   POST /api/v1/poll/jobs            {"points":[1,2],"kinds":["hour"],"from":…,"to":…}
 *                                     → 202 {"jobs":[job, …]}
 *   GET  /api/v1/poll/jobs?point=&state=&before=&limit=
 *                                     → {"jobs":[job, …],"next":ID|null}
 *   GET  /api/v1/poll/jobs/{id}       → job (with its log)
 *   POST /api/v1/poll/jobs/{id}/cancel → 202 job; 409 when it has finished
 *   GET  /api/v1/poll/status          → counts of services, ports, links, jobs
 *   GET  /api/v1/poll/services        → [service, …]
 *   GET  /api/v1/poll/links           → [link, …]
 *   GET  /api/v1/poll/sessions?connection=&from=&to=&limit=  → [session, …]
 *   GET  /api/v1/poll/traffic?connection=&zone=              → [modem, …]
 *   GET  /api/v1/points/{id}/schedule → [kind, …]
 *   PUT  /api/v1/points/{id}/schedule [kind, …] → [kind, …] (audited)
 *   POST /api/v1/poll/services/{name}/authorise {"authorised":bool} → service (audited)
 *
 * Every LersPollQueue call blocks: each route runs it on a worker thread
 * with lersd_request_run_in_thread(), so the main loop never waits. A job's
 * times are in its point's zone; services, links and sessions belong to no
 * point and are shown in UTC.
 *
 * The queue serves every node: a user with scopes gets 403 on every route
 * but POST /poll/jobs and a point's schedule, where a point it does not see
 * is 404 like a missing one.
 */
#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "lersd-auth.h"
#include "lersd-resource.h"
#include "lersd-routes.h"

#define LERSD_POLL_DEFAULT_LIMIT 100
#define LERSD_POLL_MAX_LIMIT 1000
#define LERSD_POLL_MAX_POINTS 10000

/* ---------------------------------------------------------------------------
 * Helpers
 * ------------------------------------------------------------------------- */

static GBytes *
lersd_poll_string_to_bytes (GString *out)
{
  return g_string_free_to_bytes (out);
}

static GBytes *
lersd_poll_builder_to_bytes (JsonBuilder *b)
{
  g_autoptr (JsonGenerator) gen = json_generator_new ();
  g_autoptr (JsonNode) root = json_builder_get_root (b);
  gsize len = 0;
  gchar *text;

  json_generator_set_root (gen, root);
  text = json_generator_to_data (gen, &len);
  return g_bytes_new_take (text, len);
}

/* A query parameter that is an id (1…2^31−1); 0 when absent */
static gboolean
lersd_poll_query_id (LersdRequest *req, const gchar *name, gint64 *id, GError **error)
{
  const gchar *value = lersd_request_get_query (req, name);

  *id = 0;
  if (value == NULL)
    return TRUE;
  if (!lersd_parse_id (value, id, error))
    {
      g_prefix_error (error, "%s: ", name);
      return FALSE;
    }
  return TRUE;
}

static gboolean
lersd_poll_query_limit (LersdRequest *req, guint *limit, GError **error)
{
  const gchar *value = lersd_request_get_query (req, "limit");
  guint64 n = 0;

  *limit = LERSD_POLL_DEFAULT_LIMIT;
  if (value == NULL)
    return TRUE;
  if (!g_ascii_string_to_unsigned (value, 10, 1, LERSD_POLL_MAX_LIMIT, &n, NULL))
    {
      g_set_error (error, LERS_ERROR, LERS_ERROR_INVALID_ARGUMENT,
                   _ ("limit must be a number from 1 to %d"), LERSD_POLL_MAX_LIMIT);
      return FALSE;
    }
  *limit = (guint) n;
  return TRUE;
}

static GDateTime *
lersd_poll_parse_time (const gchar *name, const gchar *str, GTimeZone *zone, GError **error)
{
  GDateTime *dt = lers_time_parse_local (str, zone);

  if (dt == NULL)
    {
      g_autofree gchar *quoted = lersd_quote_input (str);
      g_set_error (error, LERS_ERROR, LERS_ERROR_INVALID_ARGUMENT,
                   _ ("%s “%s” is not an ISO 8601 time such as 2026-01-31T10:00:00Z"), name,
                   quoted);
    }
  return dt;
}

/* The zone of @point_id, looked up once per request in @zones */
static GTimeZone *
lersd_poll_point_zone (LersStore *store, GHashTable *zones, gint64 point_id,
                       GCancellable *cancellable, GError **error)
{
  GTimeZone *zone = g_hash_table_lookup (zones, &point_id);
  gint64 *key;

  if (zone != NULL)
    return zone;
  zone = lers_store_get_point_time_zone_sync (store, point_id, cancellable, error);
  if (zone == NULL)
    return NULL;
  key = g_new (gint64, 1);
  *key = point_id;
  g_hash_table_insert (zones, key, zone);
  return zone;
}

static GHashTable *
lersd_poll_zones_new (void)
{
  return g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free,
                                (GDestroyNotify) g_time_zone_unref);
}

/* Appends @jobs as a JSON array, each in its point's zone */
static gboolean
lersd_poll_append_jobs (LersStore *store, GString *out, GPtrArray *jobs, guint n,
                        GCancellable *cancellable, GError **error)
{
  g_autoptr (GHashTable) zones = lersd_poll_zones_new ();

  g_string_append_c (out, '[');
  for (guint i = 0; i < n; i++)
    {
      LersPollJob *job = g_ptr_array_index (jobs, i);
      GTimeZone *zone = lersd_poll_point_zone (store, zones, lers_poll_job_get_point_id (job),
                                               cancellable, error);

      if (zone == NULL)
        return FALSE;
      if (i > 0)
        g_string_append_c (out, ',');
      lers_poll_job_append_json (job, out, zone);
    }
  g_string_append_c (out, ']');
  return TRUE;
}

/* Keys of the queue's dictionaries that hold a unix time: shown as ISO 8601 */
static gboolean
lersd_poll_is_time_key (const gchar *key)
{
  return g_str_equal (key, "lease_until") || g_str_equal (key, "blocked_until")
         || g_str_equal (key, "last_session") || g_str_equal (key, "next")
         || g_str_has_suffix (key, "_at");
}

/**
 * lersd_variant_to_json:
 * @b: where to add the value
 * @value: a dictionary, array or basic value from a #LersPollQueue call
 * @zone: (nullable): the zone of times; %NULL for UTC
 *
 * Adds @value to @b: dictionaries (`a{sv}`) as objects, arrays as arrays,
 * numbers, booleans and strings as themselves. A dictionary's times
 * (`x` unix seconds under the keys `next`, `lease_until`, `blocked_until`,
 * `last_session` and `*_at`) become ISO 8601 in @zone, 0 becomes null.
 *
 * Since: 0.4
 */
void
lersd_variant_to_json (JsonBuilder *b, GVariant *value, GTimeZone *zone)
{
  const GVariantType *type = g_variant_get_type (value);

  if (g_variant_is_of_type (value, G_VARIANT_TYPE_VARDICT))
    {
      GVariantIter iter;
      const gchar *key;
      GVariant *child;

      json_builder_begin_object (b);
      g_variant_iter_init (&iter, value);
      while (g_variant_iter_loop (&iter, "{&sv}", &key, &child))
        {
          json_builder_set_member_name (b, key);
          if (lersd_poll_is_time_key (key) && g_variant_is_of_type (child, G_VARIANT_TYPE_INT64))
            {
              gint64 unix_time = g_variant_get_int64 (child);
              g_autoptr (GDateTime) dt
                  = unix_time != 0 ? g_date_time_new_from_unix_utc (unix_time) : NULL;
              g_autofree gchar *text = dt != NULL ? lers_time_format (dt, zone) : NULL;

              if (text != NULL)
                json_builder_add_string_value (b, text);
              else
                json_builder_add_null_value (b);
            }
          else
            lersd_variant_to_json (b, child, zone);
        }
      json_builder_end_object (b);
    }
  else if (g_variant_type_is_array (type) || g_variant_type_is_tuple (type))
    {
      GVariantIter iter;
      GVariant *child;

      json_builder_begin_array (b);
      g_variant_iter_init (&iter, value);
      while ((child = g_variant_iter_next_value (&iter)) != NULL)
        {
          lersd_variant_to_json (b, child, zone);
          g_variant_unref (child);
        }
      json_builder_end_array (b);
    }
  else if (g_variant_type_is_variant (type))
    {
      g_autoptr (GVariant) inner = g_variant_get_variant (value);
      lersd_variant_to_json (b, inner, zone);
    }
  else if (g_variant_type_is_maybe (type))
    {
      g_autoptr (GVariant) inner = g_variant_get_maybe (value);
      if (inner != NULL)
        lersd_variant_to_json (b, inner, zone);
      else
        json_builder_add_null_value (b);
    }
  else if (g_variant_is_of_type (value, G_VARIANT_TYPE_BOOLEAN))
    json_builder_add_boolean_value (b, g_variant_get_boolean (value));
  else if (g_variant_is_of_type (value, G_VARIANT_TYPE_BYTE))
    json_builder_add_int_value (b, g_variant_get_byte (value));
  else if (g_variant_is_of_type (value, G_VARIANT_TYPE_INT16))
    json_builder_add_int_value (b, g_variant_get_int16 (value));
  else if (g_variant_is_of_type (value, G_VARIANT_TYPE_UINT16))
    json_builder_add_int_value (b, g_variant_get_uint16 (value));
  else if (g_variant_is_of_type (value, G_VARIANT_TYPE_INT32))
    json_builder_add_int_value (b, g_variant_get_int32 (value));
  else if (g_variant_is_of_type (value, G_VARIANT_TYPE_UINT32))
    json_builder_add_int_value (b, g_variant_get_uint32 (value));
  else if (g_variant_is_of_type (value, G_VARIANT_TYPE_INT64))
    json_builder_add_int_value (b, g_variant_get_int64 (value));
  else if (g_variant_is_of_type (value, G_VARIANT_TYPE_UINT64))
    json_builder_add_int_value (b, (gint64) MIN (g_variant_get_uint64 (value), G_MAXINT64));
  else if (g_variant_is_of_type (value, G_VARIANT_TYPE_DOUBLE))
    json_builder_add_double_value (b, g_variant_get_double (value));
  else if (g_variant_is_of_type (value, G_VARIANT_TYPE_STRING)
           || g_variant_is_of_type (value, G_VARIANT_TYPE_OBJECT_PATH))
    {
      g_autofree gchar *valid = g_utf8_make_valid (g_variant_get_string (value, NULL), -1);
      json_builder_add_string_value (b, valid);
    }
  else
    json_builder_add_null_value (b);
}

static GBytes *
lersd_poll_variant_to_bytes (GVariant *value, GTimeZone *zone)
{
  g_autoptr (JsonBuilder) b = json_builder_new ();

  lersd_variant_to_json (b, value, zone);
  return lersd_poll_builder_to_bytes (b);
}

/* ---------------------------------------------------------------------------
 * POST /poll/jobs
 * ------------------------------------------------------------------------- */

typedef struct
{
  GArray *points; /* of gint64 */
  GArray *kinds;  /* of LersArchiveKind */
  gchar *from_str;
  gchar *to_str;
} LersdEnqueueData;

static void
lersd_enqueue_data_free (gpointer p)
{
  LersdEnqueueData *data = p;

  g_array_unref (data->points);
  g_array_unref (data->kinds);
  g_free (data->from_str);
  g_free (data->to_str);
  g_free (data);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (LersdEnqueueData, lersd_enqueue_data_free)

static gboolean
lersd_enqueue_fail (GError **error, const gchar *message)
{
  g_set_error_literal (error, LERS_ERROR, LERS_ERROR_INVALID_ARGUMENT, message);
  return FALSE;
}

/* A body that carries nothing: empty, or a JSON object (its members are
 * ignored). Anything else is INVALID_ARGUMENT. */
static gboolean
lersd_poll_check_empty_body (GBytes *body, GError **error)
{
  g_autoptr (JsonParser) parser = NULL;
  g_autoptr (GError) error_local = NULL;
  JsonNode *root;
  gsize size = 0;
  const gchar *text = body != NULL ? g_bytes_get_data (body, &size) : NULL;

  if (size == 0 || text == NULL)
    return TRUE;
  if (!g_utf8_validate_len (text, size, NULL) || memchr (text, '\0', size) != NULL)
    return lersd_enqueue_fail (error, _ ("The request body is not valid UTF-8 text"));
  parser = json_parser_new ();
  if (!json_parser_load_from_data (parser, text, (gssize) size, &error_local))
    {
      g_set_error (error, LERS_ERROR, LERS_ERROR_INVALID_ARGUMENT,
                   _ ("The request body is not valid JSON: %s"), error_local->message);
      return FALSE;
    }
  root = json_parser_get_root (parser);
  if (root == NULL || !JSON_NODE_HOLDS_OBJECT (root))
    return lersd_enqueue_fail (error, _ ("The request body must be a JSON object"));
  return TRUE;
}

/* The body as documented; any other shape is INVALID_ARGUMENT. Times are
 * checked here in UTC and read again in the first point's zone. */
static gboolean
lersd_enqueue_parse (GBytes *body, LersdEnqueueData *data, GError **error)
{
  g_autoptr (JsonParser) parser = json_parser_new ();
  g_autoptr (GError) error_local = NULL;
  g_autoptr (GTimeZone) utc = g_time_zone_new_utc ();
  JsonNode *root;
  JsonObject *object;
  JsonNode *node;
  JsonArray *array;
  gsize size = 0;
  const gchar *text = g_bytes_get_data (body, &size);

  if (size == 0 || text == NULL)
    return lersd_enqueue_fail (error, _ ("The request body must be a JSON object"));
  if (!g_utf8_validate_len (text, size, NULL) || memchr (text, '\0', size) != NULL)
    return lersd_enqueue_fail (error, _ ("The request body is not valid UTF-8 text"));
  if (!json_parser_load_from_data (parser, text, (gssize) size, &error_local))
    {
      g_set_error (error, LERS_ERROR, LERS_ERROR_INVALID_ARGUMENT,
                   _ ("The request body is not valid JSON: %s"), error_local->message);
      return FALSE;
    }
  root = json_parser_get_root (parser);
  if (root == NULL || !JSON_NODE_HOLDS_OBJECT (root))
    return lersd_enqueue_fail (error, _ ("The request body must be a JSON object"));
  object = json_node_get_object (root);

  node = json_object_get_member (object, "points");
  if (node == NULL || !JSON_NODE_HOLDS_ARRAY (node)
      || json_array_get_length (json_node_get_array (node)) == 0)
    return lersd_enqueue_fail (error, _ ("points must be a non-empty array of point ids"));
  array = json_node_get_array (node);
  if (json_array_get_length (array) > LERSD_POLL_MAX_POINTS)
    return lersd_enqueue_fail (error, _ ("Too many points in one request"));
  for (guint i = 0; i < json_array_get_length (array); i++)
    {
      JsonNode *item = json_array_get_element (array, i);
      gint64 id;

      if (!JSON_NODE_HOLDS_VALUE (item) || json_node_get_value_type (item) != G_TYPE_INT64
          || (id = json_node_get_int (item)) < 1 || id > G_MAXINT32)
        return lersd_enqueue_fail (error, _ ("points must be a non-empty array of point ids"));
      g_array_append_val (data->points, id);
    }

  node = json_object_get_member (object, "kinds");
  if (node != NULL && !JSON_NODE_HOLDS_NULL (node))
    {
      if (!JSON_NODE_HOLDS_ARRAY (node) || json_array_get_length (json_node_get_array (node)) == 0)
        return lersd_enqueue_fail (error,
                                   _ ("kinds must be a non-empty array of archive kinds such as "
                                      "\"hour\""));
      array = json_node_get_array (node);
      for (guint i = 0; i < json_array_get_length (array); i++)
        {
          JsonNode *item = json_array_get_element (array, i);
          LersArchiveKind kind;

          if (!JSON_NODE_HOLDS_VALUE (item) || json_node_get_value_type (item) != G_TYPE_STRING)
            return lersd_enqueue_fail (error,
                                       _ ("kinds must be a non-empty array of archive kinds such "
                                          "as \"hour\""));
          if (!lers_archive_kind_from_string (json_node_get_string (item), &kind))
            {
              g_autofree gchar *quoted = lersd_quote_input (json_node_get_string (item));
              g_set_error (error, LERS_ERROR, LERS_ERROR_INVALID_ARGUMENT,
                           _ ("Unknown archive “%s”"), quoted);
              return FALSE;
            }
          g_array_append_val (data->kinds, kind);
        }
    }
  else
    {
      LersArchiveKind hour = LERS_ARCHIVE_KIND_HOUR;
      g_array_append_val (data->kinds, hour);
    }

  for (guint k = 0; k < 2; k++)
    {
      const gchar *name = k == 0 ? "from" : "to";
      gchar **slot = k == 0 ? &data->from_str : &data->to_str;
      g_autoptr (GDateTime) dt = NULL;

      node = json_object_get_member (object, name);
      if (node == NULL || JSON_NODE_HOLDS_NULL (node))
        continue;
      if (!JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_STRING)
        {
          g_set_error (error, LERS_ERROR, LERS_ERROR_INVALID_ARGUMENT,
                       _ ("%s must be an ISO 8601 time such as 2026-01-31T10:00:00Z"), name);
          return FALSE;
        }
      dt = lersd_poll_parse_time (name, json_node_get_string (node), utc, error);
      if (dt == NULL)
        return FALSE;
      *slot = g_strdup (json_node_get_string (node));
    }
  if (data->from_str != NULL && data->to_str != NULL)
    {
      g_autoptr (GDateTime) from = lers_time_parse_local (data->from_str, utc);
      g_autoptr (GDateTime) to = lers_time_parse_local (data->to_str, utc);

      if (g_date_time_compare (from, to) >= 0)
        return lersd_enqueue_fail (error, _ ("from must be earlier than to"));
    }
  return TRUE;
}

static GBytes *
lersd_enqueue_run (LersdRequest *req, gpointer user_data, GCancellable *cancellable, guint *status,
                   const gchar **content_type, GError **error)
{
  LersdEnqueueData *data = user_data;
  LersStore *store = lersd_request_get_store (req);
  g_autoptr (GTimeZone) zone = NULL;
  g_autoptr (GDateTime) from = NULL;
  g_autoptr (GDateTime) to = NULL;
  g_autoptr (GPtrArray) jobs = NULL;
  g_autoptr (GString) out = NULL;

  /* all or nothing: a point the caller does not see is 404 like a missing
   * one, and then no job is queued */
  for (guint i = 0; i < data->points->len; i++)
    if (!lersd_request_check_point (req, g_array_index (data->points, gint64, i), cancellable,
                                    error))
      return NULL;
  /* a time without an offset is wall-clock time of the first point */
  zone = lers_store_get_point_time_zone_sync (store, g_array_index (data->points, gint64, 0),
                                              cancellable, error);
  if (zone == NULL)
    return NULL;
  if (data->from_str != NULL
      && (from = lersd_poll_parse_time ("from", data->from_str, zone, error)) == NULL)
    return NULL;
  if (data->to_str != NULL
      && (to = lersd_poll_parse_time ("to", data->to_str, zone, error)) == NULL)
    return NULL;
  jobs = lers_poll_queue_enqueue_sync (
      lersd_request_get_queue (req), (const gint64 *) data->points->data, data->points->len,
      (const LersArchiveKind *) data->kinds->data, data->kinds->len, from, to,
      LERS_POLL_PRIORITY_MANUAL, lers_user_get_login (lersd_request_get_user (req)), cancellable,
      error);
  if (jobs == NULL)
    return NULL;
  out = g_string_new ("{\"jobs\":");
  if (!lersd_poll_append_jobs (store, out, jobs, jobs->len, cancellable, error))
    return NULL;
  g_string_append_c (out, '}');
  *status = SOUP_STATUS_ACCEPTED;
  return lersd_poll_string_to_bytes (g_steal_pointer (&out));
}

/**
 * lersd_route_poll_jobs_post:
 * @req: the request
 *
 * `POST /api/v1/poll/jobs`: a manual read.
 *
 * Since: 0.4
 */
void
lersd_route_poll_jobs_post (LersdRequest *req)
{
  g_autoptr (LersdEnqueueData) data = g_new0 (LersdEnqueueData, 1);
  g_autoptr (GBytes) body = lersd_request_get_body (req);
  g_autoptr (GError) error = NULL;

  data->points = g_array_new (FALSE, FALSE, sizeof (gint64));
  data->kinds = g_array_new (FALSE, FALSE, sizeof (LersArchiveKind));
  if (!lersd_enqueue_parse (body, data, &error))
    {
      lersd_request_reply_error (req, error);
      return;
    }
  lersd_request_run_in_thread (req, lersd_enqueue_run, g_steal_pointer (&data),
                               lersd_enqueue_data_free);
}

/* ---------------------------------------------------------------------------
 * GET /poll/jobs, GET /poll/jobs/{id}, POST /poll/jobs/{id}/cancel
 * ------------------------------------------------------------------------- */

typedef struct
{
  gint64 point_id;
  gint state; /* −1: any */
  gint64 before_id;
  guint limit;
} LersdJobsQuery;

static GBytes *
lersd_jobs_list_run (LersdRequest *req, gpointer user_data, GCancellable *cancellable,
                     guint *status, const gchar **content_type, GError **error)
{
  LersdJobsQuery *q = user_data;
  g_autoptr (GPtrArray) jobs = NULL;
  g_autoptr (GString) out = g_string_new ("{\"jobs\":");
  guint shown;

  if (!lersd_request_check_unscoped (req, cancellable, error))
    return NULL;
  /* one more than asked: whether there is a next page */
  jobs = lers_poll_queue_list_jobs_sync (lersd_request_get_queue (req), q->point_id, q->state,
                                         q->before_id, q->limit + 1, cancellable, error);
  if (jobs == NULL)
    return NULL;
  shown = MIN (jobs->len, q->limit);
  if (!lersd_poll_append_jobs (lersd_request_get_store (req), out, jobs, shown, cancellable, error))
    return NULL;
  g_string_append (out, ",\"next\":");
  if (jobs->len > q->limit)
    g_string_append_printf (out, "%" G_GINT64_FORMAT,
                            lers_poll_job_get_id (g_ptr_array_index (jobs, shown - 1)));
  else
    g_string_append (out, "null");
  g_string_append_c (out, '}');
  return lersd_poll_string_to_bytes (g_steal_pointer (&out));
}

/**
 * lersd_route_poll_jobs_list:
 * @req: the request
 *
 * `GET /api/v1/poll/jobs?point=&state=&before=&limit=`: newest first; `next`
 * is the `before` of the next page.
 *
 * Since: 0.4
 */
void
lersd_route_poll_jobs_list (LersdRequest *req)
{
  g_autofree LersdJobsQuery *q = g_new0 (LersdJobsQuery, 1);
  g_autoptr (GError) error = NULL;
  const gchar *state = lersd_request_get_query (req, "state");

  q->state = -1;
  if (!lersd_poll_query_id (req, "point", &q->point_id, &error)
      || !lersd_poll_query_id (req, "before", &q->before_id, &error)
      || !lersd_poll_query_limit (req, &q->limit, &error))
    {
      lersd_request_reply_error (req, error);
      return;
    }
  if (state != NULL)
    {
      GEnumClass *klass = g_type_class_ref (LERS_TYPE_POLL_JOB_STATE);
      GEnumValue *value = g_enum_get_value_by_nick (klass, state);

      if (value != NULL)
        q->state = value->value;
      g_type_class_unref (klass);
      if (value == NULL)
        {
          g_autofree gchar *quoted = lersd_quote_input (state);
          g_set_error (&error, LERS_ERROR, LERS_ERROR_INVALID_ARGUMENT,
                       _ ("Unknown job state “%s”: use queued, running, done, failed or "
                          "cancelled"),
                       quoted);
          lersd_request_reply_error (req, error);
          return;
        }
    }
  lersd_request_run_in_thread (req, lersd_jobs_list_run, g_steal_pointer (&q), g_free);
}

static GBytes *
lersd_job_reply (LersdRequest *req, LersPollJob *job, GCancellable *cancellable, GError **error)
{
  g_autoptr (GTimeZone) zone = NULL;
  g_autoptr (GString) out = g_string_new (NULL);

  zone = lers_store_get_point_time_zone_sync (lersd_request_get_store (req),
                                              lers_poll_job_get_point_id (job), cancellable, error);
  if (zone == NULL)
    return NULL;
  lers_poll_job_append_json (job, out, zone);
  return lersd_poll_string_to_bytes (g_steal_pointer (&out));
}

static GBytes *
lersd_job_get_run (LersdRequest *req, gpointer user_data, GCancellable *cancellable, guint *status,
                   const gchar **content_type, GError **error)
{
  gint64 *job_id = user_data;
  g_autoptr (LersPollJob) job = NULL;

  if (!lersd_request_check_unscoped (req, cancellable, error))
    return NULL;
  job = lers_poll_queue_get_job_sync (lersd_request_get_queue (req), *job_id, cancellable, error);
  if (job == NULL)
    return NULL;
  return lersd_job_reply (req, job, cancellable, error);
}

static gint64 *
lersd_poll_job_id (LersdRequest *req)
{
  g_autoptr (GError) error = NULL;
  gint64 id = 0;

  if (!lersd_parse_id (lersd_request_get_segment (req, 2), &id, &error))
    {
      lersd_request_reply_error (req, error);
      return NULL;
    }
  return g_memdup2 (&id, sizeof id);
}

/**
 * lersd_route_poll_job_get:
 * @req: the request
 *
 * `GET /api/v1/poll/jobs/{id}`: state, progress, message, records, error and
 * log of a job.
 *
 * Since: 0.4
 */
void
lersd_route_poll_job_get (LersdRequest *req)
{
  gint64 *job_id = lersd_poll_job_id (req);

  if (job_id != NULL)
    lersd_request_run_in_thread (req, lersd_job_get_run, job_id, g_free);
}

static GBytes *
lersd_job_cancel_run (LersdRequest *req, gpointer user_data, GCancellable *cancellable,
                      guint *status, const gchar **content_type, GError **error)
{
  gint64 *job_id = user_data;
  LersPollQueue *queue = lersd_request_get_queue (req);
  g_autoptr (LersPollJob) job = NULL;
  g_autoptr (GError) error_local = NULL;

  if (!lersd_request_check_unscoped (req, cancellable, error))
    return NULL;
  if (!lers_poll_queue_cancel_job_sync (queue, *job_id, cancellable, &error_local))
    {
      /* the job has finished: a conflict with its state, not a bad request */
      if (g_error_matches (error_local, LERS_ERROR, LERS_ERROR_INVALID_ARGUMENT))
        {
          g_autoptr (JsonBuilder) b = json_builder_new ();

          json_builder_begin_object (b);
          json_builder_set_member_name (b, "error");
          json_builder_begin_object (b);
          json_builder_set_member_name (b, "code");
          json_builder_add_string_value (b, "conflict");
          json_builder_set_member_name (b, "message");
          json_builder_add_string_value (b, error_local->message);
          json_builder_end_object (b);
          json_builder_end_object (b);
          *status = SOUP_STATUS_CONFLICT;
          return lersd_poll_builder_to_bytes (b);
        }
      g_propagate_error (error, g_steal_pointer (&error_local));
      return NULL;
    }
  job = lers_poll_queue_get_job_sync (queue, *job_id, cancellable, error);
  if (job == NULL)
    return NULL;
  *status = SOUP_STATUS_ACCEPTED;
  return lersd_job_reply (req, job, cancellable, error);
}

/**
 * lersd_route_poll_job_cancel:
 * @req: the request
 *
 * `POST /api/v1/poll/jobs/{id}/cancel`: 202 with the job (cancelled, or
 * running with cancel_requested until its service stops it), 409 when it
 * has finished.
 *
 * Since: 0.4
 */
void
lersd_route_poll_job_cancel (LersdRequest *req)
{
  g_autoptr (GBytes) body = lersd_request_get_body (req);
  g_autoptr (GError) error = NULL;
  gint64 *job_id;

  /* The body says nothing, but what is sent must be what the document
   * says: none, or a JSON object. Anything else is a client's mistake. */
  if (!lersd_poll_check_empty_body (body, &error))
    {
      lersd_request_reply_error (req, error);
      return;
    }
  job_id = lersd_poll_job_id (req);
  if (job_id != NULL)
    lersd_request_run_in_thread (req, lersd_job_cancel_run, job_id, g_free);
}

/* ---------------------------------------------------------------------------
 * Status, services, links
 * ------------------------------------------------------------------------- */

static GBytes *
lersd_status_run (LersdRequest *req, gpointer user_data, GCancellable *cancellable, guint *status,
                  const gchar **content_type, GError **error)
{
  guint lease = lersd_server_get_poll_lease (lersd_request_get_server (req));
  g_autoptr (GVariant) value = NULL;

  if (!lersd_request_check_unscoped (req, cancellable, error))
    return NULL;
  value
      = lers_poll_queue_get_status_sync (lersd_request_get_queue (req), lease, cancellable, error);
  if (value == NULL)
    return NULL;
  return lersd_poll_variant_to_bytes (value, NULL);
}

/**
 * lersd_route_poll_status:
 * @req: the request
 *
 * `GET /api/v1/poll/status`.
 *
 * Since: 0.4
 */
void
lersd_route_poll_status (LersdRequest *req)
{
  lersd_request_run_in_thread (req, lersd_status_run, NULL, NULL);
}

static GBytes *
lersd_services_run (LersdRequest *req, gpointer user_data, GCancellable *cancellable, guint *status,
                    const gchar **content_type, GError **error)
{
  guint lease = lersd_server_get_poll_lease (lersd_request_get_server (req));
  g_autoptr (GPtrArray) services = NULL;
  g_autoptr (GDateTime) now = g_date_time_new_now_utc ();
  g_autoptr (GString) out = g_string_new ("[");

  if (!lersd_request_check_unscoped (req, cancellable, error))
    return NULL;
  services = lers_poll_queue_list_services_sync (lersd_request_get_queue (req), cancellable, error);
  if (services == NULL)
    return NULL;
  for (guint i = 0; i < services->len; i++)
    {
      if (i > 0)
        g_string_append_c (out, ',');
      lers_poll_service_append_json (g_ptr_array_index (services, i), out, NULL, now, lease);
    }
  g_string_append_c (out, ']');
  return lersd_poll_string_to_bytes (g_steal_pointer (&out));
}

/**
 * lersd_route_poll_services:
 * @req: the request
 *
 * `GET /api/v1/poll/services`.
 *
 * Since: 0.4
 */
void
lersd_route_poll_services (LersdRequest *req)
{
  lersd_request_run_in_thread (req, lersd_services_run, NULL, NULL);
}

static GBytes *
lersd_links_run (LersdRequest *req, gpointer user_data, GCancellable *cancellable, guint *status,
                 const gchar **content_type, GError **error)
{
  g_autoptr (GVariant) value = NULL;

  if (!lersd_request_check_unscoped (req, cancellable, error))
    return NULL;
  value = lers_poll_queue_list_links_sync (lersd_request_get_queue (req), cancellable, error);
  if (value == NULL)
    return NULL;
  return lersd_poll_variant_to_bytes (value, NULL);
}

/**
 * lersd_route_poll_links:
 * @req: the request
 *
 * `GET /api/v1/poll/links`.
 *
 * Since: 0.4
 */
void
lersd_route_poll_links (LersdRequest *req)
{
  lersd_request_run_in_thread (req, lersd_links_run, NULL, NULL);
}

/* ---------------------------------------------------------------------------
 * Sessions and traffic
 * ------------------------------------------------------------------------- */

typedef struct
{
  gint64 connection_id;
  GDateTime *from;
  GDateTime *to;
  guint limit;
  GTimeZone *zone;
} LersdSessionsQuery;

static void
lersd_sessions_query_free (gpointer p)
{
  LersdSessionsQuery *q = p;

  g_clear_pointer (&q->from, g_date_time_unref);
  g_clear_pointer (&q->to, g_date_time_unref);
  g_clear_pointer (&q->zone, g_time_zone_unref);
  g_free (q);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (LersdSessionsQuery, lersd_sessions_query_free)

static GBytes *
lersd_sessions_run (LersdRequest *req, gpointer user_data, GCancellable *cancellable, guint *status,
                    const gchar **content_type, GError **error)
{
  LersdSessionsQuery *q = user_data;
  g_autoptr (GPtrArray) sessions = NULL;
  g_autoptr (GString) out = g_string_new ("[");

  if (!lersd_request_check_unscoped (req, cancellable, error))
    return NULL;
  sessions = lers_poll_queue_list_sessions_sync (lersd_request_get_queue (req), q->connection_id,
                                                 q->from, q->to, q->limit, cancellable, error);
  if (sessions == NULL)
    return NULL;
  for (guint i = 0; i < sessions->len; i++)
    {
      if (i > 0)
        g_string_append_c (out, ',');
      lers_link_session_append_json (g_ptr_array_index (sessions, i), out, NULL);
    }
  g_string_append_c (out, ']');
  return lersd_poll_string_to_bytes (g_steal_pointer (&out));
}

static gboolean
lersd_sessions_parse (LersdRequest *req, LersdSessionsQuery *q, GError **error)
{
  g_autoptr (GTimeZone) utc = g_time_zone_new_utc ();
  const gchar *from = lersd_request_get_query (req, "from");
  const gchar *to = lersd_request_get_query (req, "to");

  if (!lersd_poll_query_id (req, "connection", &q->connection_id, error)
      || !lersd_poll_query_limit (req, &q->limit, error))
    return FALSE;
  if (from != NULL && (q->from = lersd_poll_parse_time ("from", from, utc, error)) == NULL)
    return FALSE;
  if (to != NULL && (q->to = lersd_poll_parse_time ("to", to, utc, error)) == NULL)
    return FALSE;
  if (q->from != NULL && q->to != NULL && g_date_time_compare (q->from, q->to) >= 0)
    {
      g_set_error_literal (error, LERS_ERROR, LERS_ERROR_INVALID_ARGUMENT,
                           _ ("from must be earlier than to"));
      return FALSE;
    }
  return TRUE;
}

/**
 * lersd_route_poll_sessions:
 * @req: the request
 *
 * `GET /api/v1/poll/sessions?connection=&from=&to=&limit=`: sessions on
 * links, newest first; a time without an offset is UTC.
 *
 * Since: 0.4
 */
void
lersd_route_poll_sessions (LersdRequest *req)
{
  g_autoptr (LersdSessionsQuery) q = g_new0 (LersdSessionsQuery, 1);
  g_autoptr (GError) error = NULL;

  if (!lersd_sessions_parse (req, q, &error))
    {
      lersd_request_reply_error (req, error);
      return;
    }
  lersd_request_run_in_thread (req, lersd_sessions_run, g_steal_pointer (&q),
                               lersd_sessions_query_free);
}

static GBytes *
lersd_traffic_run (LersdRequest *req, gpointer user_data, GCancellable *cancellable, guint *status,
                   const gchar **content_type, GError **error)
{
  LersdSessionsQuery *q = user_data;
  g_autoptr (GDateTime) now = g_date_time_new_now_utc ();
  g_autoptr (GVariant) value = NULL;

  if (!lersd_request_check_unscoped (req, cancellable, error))
    return NULL;
  value = lers_poll_queue_get_traffic_sync (lersd_request_get_queue (req), q->connection_id,
                                            q->zone, now, cancellable, error);
  if (value == NULL)
    return NULL;
  return lersd_poll_variant_to_bytes (value, q->zone);
}

/**
 * lersd_route_poll_traffic:
 * @req: the request
 *
 * `GET /api/v1/poll/traffic?connection=&zone=`: sessions, failures, time
 * and bytes per modem today, yesterday, this month and last month (calendar
 * periods in `zone`, an IANA name; the server's zone by default).
 *
 * Since: 0.4
 */
void
lersd_route_poll_traffic (LersdRequest *req)
{
  g_autoptr (LersdSessionsQuery) q = g_new0 (LersdSessionsQuery, 1);
  g_autoptr (GError) error = NULL;
  const gchar *zone = lersd_request_get_query (req, "zone");

  if (!lersd_poll_query_id (req, "connection", &q->connection_id, &error))
    {
      lersd_request_reply_error (req, error);
      return;
    }
  if (zone != NULL)
    q->zone = lers_time_zone_new (zone, &error);
  else
    q->zone = g_time_zone_new_local ();
  if (q->zone == NULL)
    {
      lersd_request_reply_error (req, error);
      return;
    }
  lersd_request_run_in_thread (req, lersd_traffic_run, g_steal_pointer (&q),
                               lersd_sessions_query_free);
}

/* ---------------------------------------------------------------------------
 * GET /points/{id}/schedule
 * ------------------------------------------------------------------------- */

static GBytes *
lersd_schedule_run (LersdRequest *req, gpointer user_data, GCancellable *cancellable, guint *status,
                    const gchar **content_type, GError **error)
{
  gint64 *point_id = user_data;
  g_autoptr (GTimeZone) zone = NULL;
  g_autoptr (GVariant) value = NULL;
  g_autoptr (GDateTime) now = g_date_time_new_now_utc ();

  if (!lersd_request_check_point (req, *point_id, cancellable, error))
    return NULL;
  zone = lers_store_get_point_time_zone_sync (lersd_request_get_store (req), *point_id, cancellable,
                                              error);
  if (zone == NULL)
    return NULL;
  value = lers_poll_queue_list_schedules_sync (lersd_request_get_queue (req), *point_id, now,
                                               cancellable, error);
  if (value == NULL)
    return NULL;
  return lersd_poll_variant_to_bytes (value, zone);
}

/**
 * lersd_route_poll_schedule_get:
 * @req: the request
 *
 * `GET /api/v1/points/{id}/schedule`: one entry per archive kind, with the
 * next slot in the point's zone.
 *
 * Since: 0.4
 */
void
lersd_route_poll_schedule_get (LersdRequest *req)
{
  g_autoptr (GError) error = NULL;
  gint64 point_id = 0;

  if (!lersd_parse_id (lersd_request_get_segment (req, 1), &point_id, &error))
    {
      lersd_request_reply_error (req, error);
      return;
    }
  lersd_request_run_in_thread (req, lersd_schedule_run, g_memdup2 (&point_id, sizeof point_id),
                               g_free);
}

/* ---------------------------------------------------------------------------
 * PUT /points/{id}/schedule
 * ------------------------------------------------------------------------- */

typedef struct
{
  LersArchiveKind kind;
  gboolean is_default; /* back to the default: the rest is ignored */
  gboolean enabled;
  guint every_minutes;
  guint at_minutes;
} LersdScheduleEntry;

typedef struct
{
  gint64 point_id;
  GArray *entries; /* of LersdScheduleEntry */
} LersdScheduleData;

static void
lersd_schedule_data_free (gpointer p)
{
  LersdScheduleData *data = p;

  g_clear_pointer (&data->entries, g_array_unref);
  g_free (data);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (LersdScheduleData, lersd_schedule_data_free)

/* The rule of lers_poll_queue_set_schedule_sync(), checked before anything
 * is stored so that a bad entry leaves every kind as it was */
static gboolean
lersd_schedule_check (const LersdScheduleEntry *e, const gchar *nick, GError **error)
{
  gboolean ok;

  if (e->every_minutes == 0)
    ok = e->at_minutes < 44640;
  else if (e->every_minutes <= 1440)
    ok = 1440 % e->every_minutes == 0 && e->at_minutes < e->every_minutes;
  else
    ok = e->every_minutes % 1440 == 0 && e->every_minutes <= 44640
         && e->at_minutes < e->every_minutes;
  if (!ok)
    g_set_error (error, LERS_ERROR, LERS_ERROR_INVALID_ARGUMENT,
                 _ ("Schedule of %s: every_minutes must divide a day (1440), be a whole number "
                    "of days up to 44640, or be 0 (monthly); at_minutes must be less than "
                    "every_minutes"),
                 nick);
  return ok;
}

static gboolean
lersd_schedule_member_uint (JsonObject *o, const gchar *nick, const gchar *name, guint *value,
                            GError **error)
{
  JsonNode *node = json_object_get_member (o, name);

  if (node == NULL)
    return TRUE;
  if (!JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_INT64
      || json_node_get_int (node) < 0 || json_node_get_int (node) > 44640)
    {
      g_set_error (error, LERS_ERROR, LERS_ERROR_INVALID_ARGUMENT,
                   _ ("Schedule of %s: %s must be a number from 0 to 44640"), nick, name);
      return FALSE;
    }
  *value = (guint) json_node_get_int (node);
  return TRUE;
}

static gboolean
lersd_schedule_member_bool (JsonObject *o, const gchar *nick, const gchar *name, gboolean *value,
                            GError **error)
{
  JsonNode *node = json_object_get_member (o, name);

  if (node == NULL)
    return TRUE;
  if (!JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_BOOLEAN)
    {
      g_set_error (error, LERS_ERROR, LERS_ERROR_INVALID_ARGUMENT,
                   _ ("Schedule of %s: %s must be true or false"), nick, name);
      return FALSE;
    }
  *value = json_node_get_boolean (node);
  return TRUE;
}

/* The body: the array GET returns (or {"items": that array}); per entry
 * "kind" and either "default": true or "enabled", "every_minutes",
 * "at_minutes". "polled" and "next" are the server's and ignored. */
static GArray *
lersd_schedule_parse (GBytes *body, GError **error)
{
  g_autoptr (JsonParser) parser = json_parser_new_immutable ();
  g_autoptr (GError) error_local = NULL;
  g_autoptr (GArray) entries = g_array_new (FALSE, TRUE, sizeof (LersdScheduleEntry));
  g_autoptr (GEnumClass) kinds = g_type_class_ref (LERS_TYPE_ARCHIVE_KIND);
  gsize size = 0;
  const gchar *text = body != NULL ? g_bytes_get_data (body, &size) : NULL;
  JsonNode *root;
  JsonArray *array = NULL;

  if (size == 0 || text == NULL || size > G_MAXSSIZE)
    {
      lersd_enqueue_fail (error, _ ("The request body is not valid JSON: it is empty"));
      return NULL;
    }
  if (!g_utf8_validate_len (text, size, NULL) || memchr (text, '\0', size) != NULL)
    {
      lersd_enqueue_fail (error, _ ("The request body is not valid UTF-8 text"));
      return NULL;
    }
  if (!json_parser_load_from_data (parser, text, (gssize) size, &error_local))
    {
      g_set_error (error, LERS_ERROR, LERS_ERROR_INVALID_ARGUMENT,
                   _ ("The request body is not valid JSON: %s"), error_local->message);
      return NULL;
    }
  root = json_parser_get_root (parser);
  if (root != NULL && JSON_NODE_HOLDS_ARRAY (root))
    array = json_node_get_array (root);
  else if (root != NULL && JSON_NODE_HOLDS_OBJECT (root)
           && json_object_has_member (json_node_get_object (root), "items")
           && JSON_NODE_HOLDS_ARRAY (json_object_get_member (json_node_get_object (root), "items")))
    array = json_object_get_array_member (json_node_get_object (root), "items");
  /* an empty array would change nothing: a client's mistake */
  if (array == NULL || json_array_get_length (array) == 0)
    {
      lersd_enqueue_fail (error, _ ("The body must be an array of schedules, as GET returns it"));
      return NULL;
    }
  for (guint i = 0; i < json_array_get_length (array); i++)
    {
      JsonNode *item = json_array_get_element (array, i);
      JsonObject *o = JSON_NODE_HOLDS_OBJECT (item) ? json_node_get_object (item) : NULL;
      JsonNode *kind_node = o != NULL ? json_object_get_member (o, "kind") : NULL;
      const gchar *nick = NULL;
      GEnumValue *kind = NULL;
      LersdScheduleEntry e = { 0 };

      if (kind_node != NULL && JSON_NODE_HOLDS_VALUE (kind_node)
          && json_node_get_value_type (kind_node) == G_TYPE_STRING)
        nick = json_node_get_string (kind_node);
      if (nick != NULL)
        kind = g_enum_get_value_by_nick (kinds, nick);
      if (kind == NULL || kind->value > LERS_ARCHIVE_KIND_POWER_PROFILE)
        {
          lersd_enqueue_fail (error,
                              _ ("Each schedule needs a kind: current, hour, day, month, totals or "
                                 "power-profile"));
          return NULL;
        }
      for (guint j = 0; j < entries->len; j++)
        if (g_array_index (entries, LersdScheduleEntry, j).kind == (LersArchiveKind) kind->value)
          {
            g_set_error (error, LERS_ERROR, LERS_ERROR_INVALID_ARGUMENT,
                         _ ("The schedule of %s is given twice"), nick);
            return NULL;
          }
      e.kind = kind->value;
      e.enabled = TRUE;
      if (!lersd_schedule_member_bool (o, nick, "default", &e.is_default, error))
        return NULL;
      if (!e.is_default)
        {
          if (!json_object_has_member (o, "every_minutes"))
            {
              g_set_error (error, LERS_ERROR, LERS_ERROR_INVALID_ARGUMENT,
                           _ ("Schedule of %s: every_minutes is missing"), nick);
              return NULL;
            }
          if (!lersd_schedule_member_bool (o, nick, "enabled", &e.enabled, error)
              || !lersd_schedule_member_uint (o, nick, "every_minutes", &e.every_minutes, error)
              || !lersd_schedule_member_uint (o, nick, "at_minutes", &e.at_minutes, error)
              || !lersd_schedule_check (&e, nick, error))
            return NULL;
        }
      g_array_append_val (entries, e);
    }
  return g_steal_pointer (&entries);
}

/* The audit's before or after: {"schedules": [kind, …]} (an object) */
static gchar *
lersd_schedule_text (GVariant *value, GTimeZone *zone)
{
  g_autoptr (GBytes) bytes = lersd_poll_variant_to_bytes (value, zone);
  gsize size = 0;
  const gchar *data = g_bytes_get_data (bytes, &size);

  return g_strdup_printf ("{\"schedules\":%.*s}", (int) size, data);
}

static GBytes *
lersd_schedule_put_run (LersdRequest *req, gpointer user_data, GCancellable *cancellable,
                        guint *status, const gchar **content_type, GError **error)
{
  LersdScheduleData *data = user_data;
  LersPollQueue *queue = lersd_request_get_queue (req);
  g_autoptr (GTimeZone) zone = NULL;
  g_autoptr (GVariant) before = NULL;
  g_autoptr (GVariant) after = NULL;
  g_autoptr (GDateTime) now = g_date_time_new_now_utc ();
  g_autofree gchar *before_text = NULL;
  g_autofree gchar *after_text = NULL;

  if (!lersd_request_check_point (req, data->point_id, cancellable, error))
    return NULL;
  zone = lers_store_get_point_time_zone_sync (lersd_request_get_store (req), data->point_id,
                                              cancellable, error);
  if (zone == NULL)
    return NULL;
  before = lers_poll_queue_list_schedules_sync (queue, data->point_id, now, cancellable, error);
  if (before == NULL)
    return NULL;
  for (guint i = 0; i < data->entries->len; i++)
    {
      const LersdScheduleEntry *e = &g_array_index (data->entries, LersdScheduleEntry, i);
      gboolean ok;

      if (e->is_default)
        ok = lers_poll_queue_reset_schedule_sync (queue, data->point_id, e->kind, cancellable,
                                                  error);
      else
        ok = lers_poll_queue_set_schedule_sync (queue, data->point_id, e->kind, e->enabled,
                                                e->every_minutes, e->at_minutes, cancellable,
                                                error);
      if (!ok)
        return NULL;
    }
  after = lers_poll_queue_list_schedules_sync (queue, data->point_id, now, cancellable, error);
  if (after == NULL)
    return NULL;
  before_text = lersd_schedule_text (before, zone);
  after_text = lersd_schedule_text (after, zone);
  if (!lersd_request_audit (req, "update", "schedule", data->point_id, before_text, after_text,
                            cancellable, error))
    return NULL;
  return lersd_poll_variant_to_bytes (after, zone);
}

/**
 * lersd_route_poll_schedule_put:
 * @req: the request
 *
 * `PUT /api/v1/points/{id}/schedule`: sets the schedules given (the array
 * GET returns; an entry with `"default": true` goes back to the default,
 * kinds not given stay as they are) and answers the new schedule. Audited.
 *
 * Since: 0.5
 */
void
lersd_route_poll_schedule_put (LersdRequest *req)
{
  g_autoptr (LersdScheduleData) data = g_new0 (LersdScheduleData, 1);
  g_autoptr (GBytes) body = lersd_request_get_body (req);
  g_autoptr (GError) error = NULL;

  if (!lersd_parse_id (lersd_request_get_segment (req, 1), &data->point_id, &error)
      || (data->entries = lersd_schedule_parse (body, &error)) == NULL)
    {
      lersd_request_reply_error (req, error);
      return;
    }
  lersd_request_run_in_thread (req, lersd_schedule_put_run, g_steal_pointer (&data),
                               lersd_schedule_data_free);
}

/* ---------------------------------------------------------------------------
 * POST /poll/services/{name}/authorise
 * ------------------------------------------------------------------------- */

typedef struct
{
  gchar *name;
  gboolean authorised;
} LersdAuthoriseData;

static void
lersd_authorise_data_free (gpointer p)
{
  LersdAuthoriseData *data = p;

  g_free (data->name);
  g_free (data);
}

static LersPollService *
lersd_poll_find_service (LersPollQueue *queue, const gchar *name, GCancellable *cancellable,
                         GError **error)
{
  g_autoptr (GPtrArray) services = lers_poll_queue_list_services_sync (queue, cancellable, error);

  if (services == NULL)
    return NULL;
  for (guint i = 0; i < services->len; i++)
    {
      LersPollService *service = g_ptr_array_index (services, i);

      if (g_strcmp0 (lers_poll_service_get_name (service), name) == 0)
        return g_object_ref (service);
    }
  g_set_error (error, LERS_ERROR, LERS_ERROR_NOT_FOUND,
               _ ("There is no polling service named “%s”"), name);
  return NULL;
}

static GBytes *
lersd_authorise_run (LersdRequest *req, gpointer user_data, GCancellable *cancellable,
                     guint *status, const gchar **content_type, GError **error)
{
  LersdAuthoriseData *data = user_data;
  LersPollQueue *queue = lersd_request_get_queue (req);
  guint lease = lersd_server_get_poll_lease (lersd_request_get_server (req));
  g_autoptr (LersPollService) before = NULL;
  g_autoptr (LersPollService) after = NULL;
  g_autoptr (GDateTime) now = g_date_time_new_now_utc ();
  g_autoptr (GString) out = g_string_new (NULL);
  const gchar *before_text, *after_text;

  if (!lersd_request_check_unscoped (req, cancellable, error))
    return NULL;
  before = lersd_poll_find_service (queue, data->name, cancellable, error);
  if (before == NULL)
    return NULL;
  if (!lers_poll_queue_authorise_service_sync (queue, data->name, data->authorised, cancellable,
                                               error))
    return NULL;
  after = lersd_poll_find_service (queue, data->name, cancellable, error);
  if (after == NULL)
    return NULL;
  before_text = lers_poll_service_get_authorised (before) ? "{\"authorised\":true}"
                                                          : "{\"authorised\":false}";
  after_text = data->authorised ? "{\"authorised\":true}" : "{\"authorised\":false}";
  if (!lersd_request_audit (req, data->authorised ? "authorise" : "unauthorise", "poll-service",
                            lers_poll_service_get_id (after), before_text, after_text, cancellable,
                            error))
    return NULL;
  lers_poll_service_append_json (after, out, NULL, now, lease);
  return lersd_poll_string_to_bytes (g_steal_pointer (&out));
}

/**
 * lersd_route_poll_service_authorise:
 * @req: the request
 *
 * `POST /api/v1/poll/services/{name}/authorise` with `{"authorised": bool}`:
 * lets a polling service claim jobs, or stops it; answers the service.
 * Audited.
 *
 * Since: 0.5
 */
void
lersd_route_poll_service_authorise (LersdRequest *req)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (JsonObject) body = lersd_request_parse_json_object (req, &error);
  JsonNode *node;
  LersdAuthoriseData *data;

  if (body == NULL)
    {
      lersd_request_reply_error (req, error);
      return;
    }
  node = json_object_get_member (body, "authorised");
  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node)
      || json_node_get_value_type (node) != G_TYPE_BOOLEAN)
    {
      g_set_error_literal (&error, LERS_ERROR, LERS_ERROR_INVALID_ARGUMENT,
                           _ ("authorised must be true or false"));
      lersd_request_reply_error (req, error);
      return;
    }
  data = g_new0 (LersdAuthoriseData, 1);
  data->name = g_strdup (lersd_request_get_segment (req, 2));
  data->authorised = json_node_get_boolean (node);
  lersd_request_run_in_thread (req, lersd_authorise_run, data, lersd_authorise_data_free);
}

const LersdRoute lersd_routes_poll[] = {
  { "GET", "points/*/schedule", LERSD_ACCESS_STAFF, lersd_route_poll_schedule_get },
  { "PUT", "points/*/schedule", LERSD_ACCESS_OPERATE, lersd_route_poll_schedule_put },
  { "POST", "poll/services/*/authorise", LERSD_ACCESS_ADMIN, lersd_route_poll_service_authorise },
  { "POST", "poll/jobs", LERSD_ACCESS_OPERATE, lersd_route_poll_jobs_post },
  { "GET", "poll/jobs", LERSD_ACCESS_STAFF, lersd_route_poll_jobs_list },
  { "GET", "poll/jobs/*", LERSD_ACCESS_STAFF, lersd_route_poll_job_get },
  { "POST", "poll/jobs/*/cancel", LERSD_ACCESS_OPERATE, lersd_route_poll_job_cancel },
  { "GET", "poll/status", LERSD_ACCESS_STAFF, lersd_route_poll_status },
  { "GET", "poll/services", LERSD_ACCESS_STAFF, lersd_route_poll_services },
  { "GET", "poll/links", LERSD_ACCESS_STAFF, lersd_route_poll_links },
  { "GET", "poll/sessions", LERSD_ACCESS_STAFF, lersd_route_poll_sessions },
  { "GET", "poll/traffic", LERSD_ACCESS_STAFF, lersd_route_poll_traffic },
  { NULL },
};
