/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Report jobs: a batch of documents (one per point, or one over a group's
 * points) rendered in the background into a zip, with progress. Jobs live
 * in lersd's memory; results are files in a temporary folder, removed an
 * hour after the job ends (docs/api-reports.md). */
#include "config.h"

#include <glib/gi18n.h>
#include <glib/gstdio.h>
#include <string.h>

#include "accounts-common.h"
#include "lersd-resource.h"
#include "reports.h"

/* at most this many points in one job */
#define LERSD_REPORTS_MAX_POINTS 10000
/* jobs rendered at once; more wait, queued */
#define LERSD_REPORTS_WORKERS 2
/* queued and running jobs of one user at once; one more answers 429 */
#define LERSD_REPORTS_JOBS_PER_USER 4
/* how long a finished job and its result are kept, in seconds */
#define LERSD_REPORTS_KEEP 3600

typedef enum
{
  LERSD_REPORT_JOB_QUEUED,
  LERSD_REPORT_JOB_RUNNING,
  LERSD_REPORT_JOB_DONE,
  LERSD_REPORT_JOB_FAILED,
  LERSD_REPORT_JOB_CANCELLED,
} LersdReportJobState;

static const gchar *const lersd_report_job_states[]
    = { "queued", "running", "done", "failed", "cancelled" };

typedef struct
{
  gint ref_count;
  gchar *id;
  gint64 owner; /* the user's id */
  LersStore *store;
  LersdReportsRequest r;
  GArray *points; /* of gint64 */
  GDateTime *from;
  GDateTime *to;
  GCancellable *cancellable;
  GDateTime *created;
  /* under lersd_report_jobs_lock */
  LersdReportJobState state;
  guint done;
  guint total;
  gchar *error;
  gchar *dir;   /* the temporary folder of the result */
  gchar *path;  /* the zip */
  gint64 ended; /* monotonic µs, 0 while not ended */
} LersdReportJob;

static GMutex lersd_report_jobs_lock;
static GHashTable *lersd_report_jobs; /* id → LersdReportJob* */
static GThreadPool *lersd_report_jobs_pool;
static guint lersd_report_jobs_sweep_id; /* the periodic expiry */

static LersdReportJob *
lersd_report_job_ref (LersdReportJob *job)
{
  g_atomic_int_inc (&job->ref_count);
  return job;
}

static void
lersd_report_job_remove_files (LersdReportJob *job)
{
  if (job->path != NULL)
    g_unlink (job->path);
  if (job->dir != NULL)
    g_rmdir (job->dir);
}

static void
lersd_report_job_unref (LersdReportJob *job)
{
  if (!g_atomic_int_dec_and_test (&job->ref_count))
    return;
  lersd_report_job_remove_files (job);
  g_free (job->id);
  g_clear_object (&job->store);
  lersd_reports_request_clear (&job->r);
  g_array_unref (job->points);
  g_clear_pointer (&job->from, g_date_time_unref);
  g_clear_pointer (&job->to, g_date_time_unref);
  g_clear_object (&job->cancellable);
  g_clear_pointer (&job->created, g_date_time_unref);
  g_free (job->error);
  g_free (job->dir);
  g_free (job->path);
  g_free (job);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (LersdReportJob, lersd_report_job_unref)

/* Drops the jobs that ended over an hour ago, with their files. Called
 * under the lock, on every jobs request and every minute while there are
 * jobs (lersd_reports_jobs_stop() ends that timer). */
static void
lersd_report_jobs_expire (void)
{
  GHashTableIter iter;
  LersdReportJob *job;
  gint64 now = g_get_monotonic_time ();

  if (lersd_report_jobs == NULL)
    return;
  g_hash_table_iter_init (&iter, lersd_report_jobs);
  while (g_hash_table_iter_next (&iter, NULL, (gpointer *) &job))
    if (job->ended > 0 && now - job->ended > (gint64) LERSD_REPORTS_KEEP * G_USEC_PER_SEC)
      g_hash_table_iter_remove (&iter);
}

/* Under lersd_report_jobs_lock */
static void
lersd_report_job_end_locked (LersdReportJob *job, LersdReportJobState state, const gchar *error)
{
  job->state = state;
  g_free (job->error);
  job->error = g_strdup (error);
  job->ended = g_get_monotonic_time ();
  if (state != LERSD_REPORT_JOB_DONE)
    {
      lersd_report_job_remove_files (job);
      g_clear_pointer (&job->path, g_free);
    }
}

/* Queued and running jobs of @owner; under the lock */
static guint
lersd_report_jobs_unended (gint64 owner)
{
  GHashTableIter iter;
  LersdReportJob *job;
  guint n = 0;

  g_hash_table_iter_init (&iter, lersd_report_jobs);
  while (g_hash_table_iter_next (&iter, NULL, (gpointer *) &job))
    n += job->owner == owner
         && (job->state == LERSD_REPORT_JOB_QUEUED || job->state == LERSD_REPORT_JOB_RUNNING);
  return n;
}

static gboolean
lersd_report_jobs_sweep (gpointer user_data)
{
  g_autoptr (GMutexLocker) locker = g_mutex_locker_new (&lersd_report_jobs_lock);

  lersd_report_jobs_expire ();
  return G_SOURCE_CONTINUE;
}

void
lersd_reports_jobs_stop (void)
{
  GThreadPool *pool;
  GHashTable *jobs;

  g_mutex_lock (&lersd_report_jobs_lock);
  if (lersd_report_jobs_sweep_id != 0)
    g_source_remove (lersd_report_jobs_sweep_id);
  lersd_report_jobs_sweep_id = 0;
  if (lersd_report_jobs != NULL)
    {
      GHashTableIter iter;
      LersdReportJob *job;

      g_hash_table_iter_init (&iter, lersd_report_jobs);
      while (g_hash_table_iter_next (&iter, NULL, (gpointer *) &job))
        {
          g_cancellable_cancel (job->cancellable);
          if (job->state == LERSD_REPORT_JOB_QUEUED)
            lersd_report_job_end_locked (job, LERSD_REPORT_JOB_CANCELLED, NULL);
        }
    }
  pool = g_steal_pointer (&lersd_report_jobs_pool);
  g_mutex_unlock (&lersd_report_jobs_lock);
  /* the queued ones return at once, the running ones at their next step */
  if (pool != NULL)
    g_thread_pool_free (pool, FALSE, TRUE);
  g_mutex_lock (&lersd_report_jobs_lock);
  jobs = g_steal_pointer (&lersd_report_jobs);
  g_mutex_unlock (&lersd_report_jobs_lock);
  /* each job's files go with its last reference */
  g_clear_pointer (&jobs, g_hash_table_unref);
}

static void
lersd_report_job_end (LersdReportJob *job, LersdReportJobState state, const gchar *error)
{
  g_autoptr (GMutexLocker) locker = g_mutex_locker_new (&lersd_report_jobs_lock);

  lersd_report_job_end_locked (job, state, error);
}

/* What a failed job says: the engine's words, but never a server path
 * (@file_error: writing the zip failed, its message names the result's
 * folder): that goes to the log */
static gchar *
lersd_report_job_error_text (const GError *error, gboolean file_error)
{
  if (!file_error && error->domain == LERS_ERROR)
    return g_strdup (error->message);
  g_message ("report job: %s", error->message);
  return g_strdup (_ ("Could not write the job's result; lersd's log says why"));
}

typedef struct
{
  LersdReportJob *job;
  LersReportZip *zip;
  gboolean one_per_point;
  GError *error; /* writing the zip failed */
} LersdReportJobWrite;

/* One rendered document into the job's zip, done counted after each */
static gboolean
lersd_report_job_write (LersReport *report, guint index, LersReportDocument *document,
                        const gchar *doc_name, GBytes *bytes, gpointer user_data)
{
  LersdReportJobWrite *write = user_data;
  LersdReportJob *job = write->job;
  gint64 point_id = write->one_per_point ? g_array_index (job->points, gint64, index) : 0;
  g_autofree gchar *name = lers_report_files_document_name (
      point_id, lers_report_document_get_title (document), job->r.format);

  if (!lers_report_zip_add (write->zip, name, bytes, &write->error))
    return FALSE;
  g_mutex_lock (&lersd_report_jobs_lock);
  job->done = index + 1;
  g_mutex_unlock (&lersd_report_jobs_lock);
  return TRUE;
}

/* The worker: every document into the zip */
static void
lersd_report_job_run (gpointer data, gpointer user_data)
{
  g_autoptr (LersdReportJob) job = data;
  g_autoptr (LersReport) report = NULL;
  g_autoptr (LersReportZip) zip = NULL;
  g_autoptr (GError) error = NULL;
  gpointer old = lersd_language_enter (job->r.language);
  g_autofree gchar *path = NULL;
  gboolean file_error = FALSE;
  gboolean one_per_point;
  guint n;

  {
    g_autoptr (GMutexLocker) locker = g_mutex_locker_new (&lersd_report_jobs_lock);
    if (job->state != LERSD_REPORT_JOB_QUEUED)
      {
        lersd_language_leave (old);
        return;
      }
    /* from here on a cancel only signals job->cancellable: the job ends
     * here, and job->path stays while it runs */
    job->state = LERSD_REPORT_JOB_RUNNING;
    path = g_strdup (job->path);
  }
  report = lers_report_new (job->r.template_, job->store);
  lers_report_set_points (report, (const gint64 *) job->points->data, job->points->len);
  lers_report_set_period (report, job->from, job->to);
  lers_report_set_kind (report, job->r.kind);
  lers_report_set_language (report, job->r.language);
  n = lers_report_get_n_documents (report);
  one_per_point = lers_report_template_get_source (job->r.template_) == LERS_REPORT_SOURCE_POINT
                  && n == job->points->len;
  {
    g_autoptr (GMutexLocker) locker = g_mutex_locker_new (&lersd_report_jobs_lock);
    job->total = n;
  }
  zip = lers_report_zip_new (path, &error);
  file_error = zip == NULL;
  if (zip != NULL)
    {
      LersdReportJobWrite write = { job, zip, one_per_point, NULL };

      /* the documents built and drawn on the machine's cores, shared with
       * the other jobs that may run (each thread holds a database
       * connection while it builds), written to the zip here in order */
      if (!lers_report_render_documents (report, job->r.backend,
                                         MAX (g_get_num_processors () / LERSD_REPORTS_WORKERS, 1),
                                         job->cancellable, lersd_report_job_write, &write, &error)
          && write.error != NULL)
        {
          g_clear_error (&error);
          error = g_steal_pointer (&write.error);
          file_error = TRUE;
        }
    }
  if (error == NULL && zip != NULL)
    file_error = !lers_report_zip_close (zip, &error);
  /* a cancel that came after the last document does not undo the job */
  if (error != NULL && g_cancellable_is_cancelled (job->cancellable))
    lersd_report_job_end (job, LERSD_REPORT_JOB_CANCELLED, NULL);
  else if (error != NULL)
    {
      g_autofree gchar *text = lersd_report_job_error_text (error, file_error);

      lersd_report_job_end (job, LERSD_REPORT_JOB_FAILED, text);
    }
  else
    lersd_report_job_end (job, LERSD_REPORT_JOB_DONE, NULL);
  lersd_language_leave (old);
}

static JsonNode *
lersd_report_job_to_json (LersdReportJob *job)
{
  g_autoptr (JsonBuilder) b = json_builder_new ();
  g_autofree gchar *created = lersd_format_timestamp (job->created);
  g_autoptr (GMutexLocker) locker = g_mutex_locker_new (&lersd_report_jobs_lock);

  json_builder_begin_object (b);
  json_builder_set_member_name (b, "id");
  json_builder_add_string_value (b, job->id);
  json_builder_set_member_name (b, "state");
  json_builder_add_string_value (b, lersd_report_job_states[job->state]);
  json_builder_set_member_name (b, "done");
  json_builder_add_int_value (b, job->done);
  json_builder_set_member_name (b, "total");
  json_builder_add_int_value (b, job->total);
  json_builder_set_member_name (b, "error");
  if (job->error != NULL)
    json_builder_add_string_value (b, job->error);
  else
    json_builder_add_null_value (b);
  json_builder_set_member_name (b, "template");
  json_builder_add_string_value (b, lers_report_template_get_id (job->r.template_));
  json_builder_set_member_name (b, "format");
  json_builder_add_string_value (b, job->r.format);
  json_builder_set_member_name (b, "points");
  json_builder_add_int_value (b, job->points->len);
  json_builder_set_member_name (b, "created_at");
  json_builder_add_string_value (b, created);
  json_builder_end_object (b);
  return json_builder_get_root (b);
}

/* The points of a group the caller sees, ordered by id */
static gboolean
lersd_reports_group_points (LersdRequest *req, gint64 group_id, GArray *points,
                            GCancellable *cancellable, GError **error)
{
  LersStore *store = lersd_request_get_store (req);
  g_autoptr (LersNodeGroup) group = NULL;
  g_autoptr (GPtrArray) nodes = NULL;
  g_autoptr (GArray) visible = NULL;
  gboolean all = FALSE;

  group = (LersNodeGroup *) lers_store_get_sync (store, LERS_TYPE_NODE_GROUP, group_id, cancellable,
                                                 error);
  if (group == NULL)
    return FALSE;
  visible = lersd_request_get_visible_nodes (req, &all, cancellable, error);
  if (visible == NULL && !all)
    return FALSE;
  nodes = lers_store_list_nodes_sync (store, cancellable, error);
  if (nodes == NULL)
    return FALSE;
  for (guint i = 0; i < nodes->len; i++)
    {
      LersNode *node = nodes->pdata[i];
      const gchar *const *groups = lers_node_get_groups (node);
      gint64 node_id = lers_node_get_id (node);
      g_autoptr (GPtrArray) node_points = NULL;
      gboolean seen = all;

      if (groups == NULL || !g_strv_contains (groups, lers_node_group_get_title (group)))
        continue;
      for (guint k = 0; !seen && k < visible->len; k++)
        seen = g_array_index (visible, gint64, k) == node_id;
      if (!seen)
        continue;
      node_points = lers_store_list_measure_points_sync (store, node_id, cancellable, error);
      if (node_points == NULL)
        return FALSE;
      for (guint k = 0; k < node_points->len; k++)
        {
          gint64 id = lers_measure_point_get_id (node_points->pdata[k]);
          g_array_append_val (points, id);
        }
    }
  if (points->len == 0)
    {
      /* the same answer for a group of no points and one not seen */
      g_set_error (error, LERS_ERROR, LERS_ERROR_NOT_FOUND,
                   _ ("Node group %d has no measure points you see"), (gint) group_id);
      return FALSE;
    }
  return TRUE;
}

static gint
lersd_reports_cmp_id (gconstpointer a, gconstpointer b)
{
  gint64 x = *(const gint64 *) a, y = *(const gint64 *) b;

  return x < y ? -1 : x > y;
}

/* POST /reports/jobs → 202 {id, state, done, total} */
static gboolean
lersd_reports_jobs_post_thread (LersdRequest *req, JsonObject *body, LersdReportsReply *reply,
                                GCancellable *cancellable, GError **error)
{
  g_autoptr (LersdReportJob) job = g_new0 (LersdReportJob, 1);
  JsonNode *points = json_object_get_member (body, "points");
  JsonNode *group = json_object_get_member (body, "group");
  g_autoptr (GTimeZone) zone = NULL;
  g_autofree gchar *location = NULL;
  LersUser *user = lersd_request_get_user (req);

  job->ref_count = 1;
  job->points = g_array_new (FALSE, FALSE, sizeof (gint64));
  if ((points == NULL || JSON_NODE_HOLDS_NULL (points))
      == (group == NULL || JSON_NODE_HOLDS_NULL (group)))
    {
      g_set_error_literal (error, LERS_ERROR, LERS_ERROR_INVALID_ARGUMENT,
                           _ ("Give either points (ids) or group (a node group's id)"));
      lersd_request_set_error_field (req, "points");
      return FALSE;
    }
  if (points != NULL && !JSON_NODE_HOLDS_NULL (points))
    {
      JsonArray *a = JSON_NODE_HOLDS_ARRAY (points) ? json_node_get_array (points) : NULL;
      guint n = a != NULL ? json_array_get_length (a) : 0;

      if (n == 0 || n > LERSD_REPORTS_MAX_POINTS)
        {
          g_set_error (error, LERS_ERROR, LERS_ERROR_INVALID_ARGUMENT,
                       _ ("points is an array of 1 to %u points' ids"), LERSD_REPORTS_MAX_POINTS);
          lersd_request_set_error_field (req, "points");
          return FALSE;
        }
      for (guint i = 0; i < n; i++)
        {
          JsonNode *e = json_array_get_element (a, i);
          gint64 id;

          if (!JSON_NODE_HOLDS_VALUE (e) || json_node_get_value_type (e) != G_TYPE_INT64
              || (id = json_node_get_int (e)) < 1 || id > G_MAXINT32)
            {
              g_set_error (error, LERS_ERROR, LERS_ERROR_INVALID_ARGUMENT,
                           _ ("points[%u] is a point's id"), i);
              lersd_request_set_error_field (req, "points");
              return FALSE;
            }
          g_array_append_val (job->points, id);
        }
      /* each point once, and each one the caller sees (404 otherwise) */
      g_array_sort (job->points, lersd_reports_cmp_id);
      for (guint i = job->points->len; i-- > 1;)
        if (g_array_index (job->points, gint64, i) == g_array_index (job->points, gint64, i - 1))
          g_array_remove_index (job->points, i);
      for (guint i = 0; i < job->points->len; i++)
        if (!lersd_request_check_point (req, g_array_index (job->points, gint64, i), cancellable,
                                        error))
          return FALSE;
    }
  else
    {
      gint64 group_id;

      if (!lersd_accounts_get_id (body, "group", &group_id, error))
        {
          lersd_request_set_error_field (req, "group");
          return FALSE;
        }
      if (!lersd_reports_group_points (req, group_id, job->points, cancellable, error))
        return FALSE;
      if (job->points->len > LERSD_REPORTS_MAX_POINTS)
        {
          g_set_error (error, LERS_ERROR, LERS_ERROR_INVALID_ARGUMENT,
                       _ ("A job has at most %u points"), LERSD_REPORTS_MAX_POINTS);
          return FALSE;
        }
    }
  if (!lersd_reports_read_request (req, body, &job->r, reply, cancellable, error))
    return FALSE;
  if (reply->body != NULL)
    return TRUE;
  /* the period in the first point's zone, as `lers report` reads it */
  zone = lers_store_get_point_time_zone_sync (
      lersd_request_get_store (req), g_array_index (job->points, gint64, 0), cancellable, error);
  if (zone == NULL || !lersd_reports_read_period (body, zone, &job->from, &job->to, error))
    return FALSE;
  job->dir = g_dir_make_tmp ("lersd-report-XXXXXX", error);
  if (job->dir == NULL)
    return FALSE;
  job->id = g_uuid_string_random ();
  job->path = g_build_filename (job->dir, "reports.zip", NULL);
  job->owner = user != NULL ? lers_user_get_id (user) : 0;
  job->store = g_object_ref (lersd_request_get_store (req));
  job->cancellable = g_cancellable_new ();
  job->created = g_date_time_new_now_utc ();
  job->state = LERSD_REPORT_JOB_QUEUED;
  job->total = job->points->len;
  {
    g_autoptr (GMutexLocker) locker = g_mutex_locker_new (&lersd_report_jobs_lock);

    lersd_report_jobs_expire ();
    if (lersd_report_jobs == NULL)
      lersd_report_jobs = g_hash_table_new_full (g_str_hash, g_str_equal, NULL,
                                                 (GDestroyNotify) lersd_report_job_unref);
    if (lersd_report_jobs_pool == NULL)
      lersd_report_jobs_pool
          = g_thread_pool_new (lersd_report_job_run, NULL, LERSD_REPORTS_WORKERS, FALSE, NULL);
    if (lersd_report_jobs_sweep_id == 0)
      lersd_report_jobs_sweep_id = g_timeout_add_seconds (60, lersd_report_jobs_sweep, NULL);
    if (lersd_report_jobs_unended (job->owner) >= LERSD_REPORTS_JOBS_PER_USER)
      {
        g_autofree gchar *message = g_strdup_printf (
            _ ("You have %u report jobs queued or running: wait for one to end, or cancel one"),
            LERSD_REPORTS_JOBS_PER_USER);

        lersd_accounts_reply_code (reply, 429 /* Too Many Requests */, "too-many-requests",
                                   message);
        return TRUE;
      }
    g_hash_table_insert (lersd_report_jobs, job->id, lersd_report_job_ref (job));
    /* under the lock: lersd_reports_jobs_stop() may free the pool */
    g_thread_pool_push (lersd_report_jobs_pool, lersd_report_job_ref (job), NULL);
  }
  location = g_strdup_printf (LERSD_API_PREFIX "/reports/jobs/%s", job->id);
  lersd_accounts_reply_header (reply, "Location", location);
  reply->status = SOUP_STATUS_ACCEPTED;
  reply->body = lersd_report_job_to_json (job);
  return TRUE;
}

void
lersd_route_reports_jobs_post (LersdRequest *req)
{
  lersd_accounts_run (req, TRUE, lersd_reports_jobs_post_thread);
}

/* The job of the path, the caller's own (an admin sees every job); NULL
 * with a 404 answer sent */
static LersdReportJob *
lersd_reports_job_lookup (LersdRequest *req)
{
  const gchar *id = lersd_request_get_segment (req, 2);
  LersUser *user = lersd_request_get_user (req);
  LersdReportJob *job = NULL;
  g_autoptr (GMutexLocker) locker = g_mutex_locker_new (&lersd_report_jobs_lock);

  lersd_report_jobs_expire ();
  if (lersd_report_jobs != NULL && id != NULL)
    job = g_hash_table_lookup (lersd_report_jobs, id);
  if (job != NULL && user != NULL
      && (job->owner == lers_user_get_id (user)
          || lers_user_get_role (user) == LERS_USER_ROLE_ADMIN))
    return lersd_report_job_ref (job);
  g_clear_pointer (&locker, g_mutex_locker_free);
  lersd_request_reply_error_literal (req, SOUP_STATUS_NOT_FOUND, "not-found",
                                     _ ("There is no report job with this id"));
  return NULL;
}

/* GET /reports/jobs/{id} */
void
lersd_route_reports_job_get (LersdRequest *req)
{
  g_autoptr (LersdReportJob) job = lersd_reports_job_lookup (req);
  g_autoptr (JsonNode) root = NULL;

  if (job == NULL)
    return;
  root = lersd_report_job_to_json (job);
  lersd_request_reply_json (req, SOUP_STATUS_OK, root);
}

/* GET /reports/jobs/{id}/result: the zip of a done job */
static gboolean
lersd_reports_job_result_thread (LersdRequest *req, JsonObject *body, LersdReportsReply *reply,
                                 GCancellable *cancellable, GError **error)
{
  g_autoptr (LersdReportJob) job = NULL;
  g_autofree gchar *path = NULL;
  g_autoptr (GMappedFile) mapped = NULL;
  g_autoptr (GError) local_error = NULL;
  g_autofree gchar *disposition = NULL;
  const gchar *id = lersd_request_get_segment (req, 2);

  {
    g_autoptr (GMutexLocker) locker = g_mutex_locker_new (&lersd_report_jobs_lock);
    LersdReportJob *found = NULL;
    LersUser *user = lersd_request_get_user (req);

    /* an expired job's result is gone, whatever asks for it */
    lersd_report_jobs_expire ();
    found = lersd_report_jobs != NULL ? g_hash_table_lookup (lersd_report_jobs, id) : NULL;

    if (found != NULL && user != NULL
        && (found->owner == lers_user_get_id (user)
            || lers_user_get_role (user) == LERS_USER_ROLE_ADMIN))
      job = lersd_report_job_ref (found);
    if (job == NULL)
      {
        g_set_error_literal (error, LERS_ERROR, LERS_ERROR_NOT_FOUND,
                             _ ("There is no report job with this id"));
        return FALSE;
      }
    if (job->state != LERSD_REPORT_JOB_DONE)
      {
        g_set_error (error, G_IO_ERROR, G_IO_ERROR_EXISTS,
                     _ ("The report job is %s: its result is there once it is done"),
                     lersd_report_job_states[job->state]);
        return FALSE;
      }
    path = g_strdup (job->path);
  }
  /* mapped, not read: the pages go out as libsoup writes them, and the
   * mapping outlives an expiry that removes the file meanwhile */
  mapped = g_mapped_file_new (path, FALSE, &local_error);
  if (mapped == NULL)
    {
      g_message ("report job %s: %s", id, local_error->message);
      g_set_error_literal (error, LERS_ERROR, LERS_ERROR_NOT_FOUND,
                           _ ("There is no report job with this id"));
      return FALSE;
    }
  reply->bytes = g_mapped_file_get_bytes (mapped);
  reply->content_type = "application/zip";
  disposition = g_strdup_printf ("attachment; filename=\"reports-%s.zip\"", id);
  lersd_accounts_reply_header (reply, "Content-Disposition", disposition);
  return TRUE;
}

void
lersd_route_reports_job_result (LersdRequest *req)
{
  lersd_accounts_run (req, FALSE, lersd_reports_job_result_thread);
}

/* POST /reports/jobs/{id}/cancel: the job as it is then (cancelled, or
 * ended already: cancelling twice is no error) */
void
lersd_route_reports_job_cancel (LersdRequest *req)
{
  g_autoptr (LersdReportJob) job = NULL;
  g_autoptr (JsonNode) root = NULL;

  if (!lersd_reports_check_no_body (req) || (job = lersd_reports_job_lookup (req)) == NULL)
    return;
  g_cancellable_cancel (job->cancellable);
  g_mutex_lock (&lersd_report_jobs_lock);
  /* a queued job never starts (the worker checks the state under the same
   * lock); a running one stops at its next document */
  if (job->state == LERSD_REPORT_JOB_QUEUED)
    lersd_report_job_end_locked (job, LERSD_REPORT_JOB_CANCELLED, NULL);
  g_mutex_unlock (&lersd_report_jobs_lock);
  root = lersd_report_job_to_json (job);
  lersd_request_reply_json (req, SOUP_STATUS_OK, root);
}
