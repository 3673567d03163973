/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "config.h"

#include <glib/gi18n-lib.h>
#include <inttypes.h>
#include <string.h>

#include "lers-error.h"
#include "model/lers-archive-batch-private.h"
#include "store/lers-store-private.h"

/* Reading archives: straight from binary rows into the columns of a
 * LersArchiveBatch, through a cursor fetched a chunk at a time, so neither a
 * per-row object nor the whole result set is ever held. */

/* Rows per FETCH: about 1.5 MB of result at a time. */
#define LERS_STORE_FETCH_ROWS 8192
#define LERS_OID_INT4_ARRAY 1007

/* A query job carries its point ids after the common part, in the same
 * block, so lers_store_job_free()'s g_free() releases them too. */
typedef struct
{
  LersStoreJob base;
  gboolean multi; /* the result is a GPtrArray of batches, not one batch */
  guint n_ids;
  gint64 ids[];
} LersStoreQueryJob;

static gint
lers_store_cmp_int64 (gconstpointer a, gconstpointer b)
{
  gint64 x = *(const gint64 *) a;
  gint64 y = *(const gint64 *) b;
  return x < y ? -1 : x > y;
}

/* Adds one row of (point_id, channel, ts, data) to @batch. */
static gboolean
lers_store_batch_add_row (LersArchiveBatch *batch, PGresult *res, gint row, GError **error)
{
  const guint8 *channel = (const guint8 *) PQgetvalue (res, row, 1);
  const guint8 *ts = (const guint8 *) PQgetvalue (res, row, 2);
  const guint8 *data = (const guint8 *) PQgetvalue (res, row, 3);
  gint len = PQgetlength (res, row, 3);

  if (PQgetlength (res, row, 1) != 2 || PQgetlength (res, row, 2) != 8 || len % 10 != 0)
    {
      g_set_error (error, LERS_ERROR, LERS_ERROR_INVALID_DATA,
                   _ ("Malformed archive row of point %" PRId64),
                   lers_archive_batch_get_point_id (batch));
      return FALSE;
    }
  lers_archive_batch_append_row (batch, (gint64) lers_store_get_be (ts, 8) + LERS_STORE_PG_EPOCH_US,
                                 (guint16) lers_store_get_be (channel, 2));
  for (gint off = 0; off < len; off += 10)
    {
      guint64 bits = 0;
      gdouble value;

      /* A parameter a newer version of LERS wrote: not ours to show. */
      if (lers_parameter_get_name (data[off]) == NULL)
        continue;
      for (guint k = 0; k < 8; k++)
        bits |= (guint64) data[off + 2 + k] << (8 * k);
      memcpy (&value, &bits, sizeof value);
      lers_archive_batch_set_last (batch, data[off], value, data[off + 1]);
    }
  return TRUE;
}

static gint32
lers_store_row_point (PGresult *res, gint row)
{
  if (PQgetlength (res, row, 0) != 4)
    return 0;
  return (gint32) lers_store_get_be ((const guint8 *) PQgetvalue (res, row, 0), 4);
}

/* The rows of @res into their points' batches (@res is ordered by point,
 * then time; *@current is the batch the rows before went to) */
static gboolean
lers_store_query_take_rows (PGresult *res, GHashTable *by_id, LersArchiveBatch **current,
                            gint32 *current_id, GError **error)
{
  gint n = PQntuples (res);

  if (n > 0 && PQnfields (res) != 4)
    {
      g_set_error (error, LERS_ERROR, LERS_ERROR_INVALID_DATA, _ ("Unexpected archive columns"));
      return FALSE;
    }
  for (gint i = 0; i < n; i++)
    {
      gint32 id = lers_store_row_point (res, i);

      if (*current == NULL || id != *current_id)
        {
          gint64 key = id;
          gint same = 1;

          if (*current != NULL)
            lers_archive_batch_trim (*current);
          *current = g_hash_table_lookup (by_id, &key);
          if (*current == NULL)
            {
              g_set_error (error, LERS_ERROR, LERS_ERROR_INVALID_DATA,
                           _ ("Malformed archive row of point %" PRId64), key);
              return FALSE;
            }
          *current_id = id;
          /* size the columns for the rows of this point in the chunk */
          while (i + same < n && lers_store_row_point (res, i + same) == id)
            same++;
          lers_archive_batch_reserve (*current, same);
        }
      else if (i == 0)
        {
          gint same = 1;
          while (same < n && lers_store_row_point (res, same) == id)
            same++;
          lers_archive_batch_reserve (*current, same);
        }
      if (!lers_store_batch_add_row (*current, res, i, error))
        return FALSE;
    }
  return TRUE;
}

/* Rows at most in a read done in one SELECT, without a cursor: a month of
 * hours of a point, a month of days of 60 points */
#define LERS_STORE_SMALL_ROWS 2048

/* At most LERS_STORE_SMALL_ROWS rows a channel can come back for
 * @n_points points of an archive that has a row every hour, day or month
 * (a month at least 28 days) */
static gboolean
lers_store_query_is_small (LersStoreJob *base, guint n_points)
{
  gint64 step;
  gint64 span;

  switch (base->kind)
    {
    case LERS_ARCHIVE_KIND_HOUR:
      step = G_TIME_SPAN_HOUR;
      break;
    case LERS_ARCHIVE_KIND_DAY:
      step = G_TIME_SPAN_DAY;
      break;
    case LERS_ARCHIVE_KIND_MONTH:
      step = 28 * G_TIME_SPAN_DAY;
      break;
    default:
      return FALSE;
    }
  if (base->from == NULL || base->to == NULL)
    return FALSE;
  span = g_date_time_difference (base->to, base->from);
  return span >= 0 && (guint64) n_points * (guint64) (span / step + 1) <= LERS_STORE_SMALL_ROWS;
}

static gboolean
lers_store_job_query_run (LersStore *self, LersStoreConn *conn, LersStoreJob *base,
                          GCancellable *cancellable, GError **error)
{
  LersStoreQueryJob *job = (LersStoreQueryJob *) base;
  g_autoptr (GArray) ids = g_array_sized_new (FALSE, FALSE, sizeof (gint64), job->n_ids);
  g_autoptr (GPtrArray) batches = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr (GHashTable) by_id = g_hash_table_new (g_int64_hash, g_int64_equal);
  g_autofree guint8 *array = NULL;
  guint8 fixed[2 + 8 + 8];
  const gchar *values[4];
  gint lengths[4];
  const Oid types[]
      = { LERS_OID_INT4_ARRAY, LERS_OID_INT2, LERS_OID_TIMESTAMPTZ, LERS_OID_TIMESTAMPTZ };
  LersArchiveBatch *current = NULL;
  gint32 current_id = 0;
  gsize array_len;

  /* One batch for each point asked for, empty for ids that cannot exist. */
  for (guint i = 0; i < job->n_ids; i++)
    {
      gint64 id = job->ids[i];
      LersArchiveBatch *batch = g_hash_table_lookup (by_id, &job->ids[i]);

      if (batch != NULL)
        {
          /* the same point twice: the same batch twice */
          g_ptr_array_add (batches, g_object_ref (batch));
          continue;
        }
      batch = lers_archive_batch_new (id, base->kind);
      /* the hash table holds no reference: the batches array does */
      g_hash_table_insert (by_id, &job->ids[i], batch);
      g_ptr_array_add (batches, batch);
      if (id > 0 && id <= G_MAXINT32)
        g_array_append_val (ids, id);
    }

  if (ids->len > 0)
    {
      /* int4[] in PostgreSQL's binary array form (src/backend/utils/adt/
       * arrayfuncs.c, array_send): ndim, has-nulls, element type, then per
       * dimension its length and lower bound, then each element as length
       * and value. */
      g_array_sort (ids, lers_store_cmp_int64);
      array_len = 20 + (gsize) ids->len * 8;
      array = g_malloc (array_len);
      lers_store_put_be32 (array, 1);
      lers_store_put_be32 (array + 4, 0);
      lers_store_put_be32 (array + 8, LERS_OID_INT4);
      lers_store_put_be32 (array + 12, ids->len);
      lers_store_put_be32 (array + 16, 1);
      for (guint i = 0; i < ids->len; i++)
        {
          lers_store_put_be32 (array + 20 + i * 8, 4);
          lers_store_put_be32 (array + 24 + i * 8, (guint32) g_array_index (ids, gint64, i));
        }
      lers_store_put_be16 (fixed, base->kind);
      /* No bound is -infinity / infinity, which PostgreSQL stores as the
       * smallest and largest int64. */
      lers_store_put_be64 (fixed + 2, base->from != NULL ? lers_store_datetime_to_pg (base->from)
                                                         : G_MININT64);
      lers_store_put_be64 (fixed + 10,
                           base->to != NULL ? lers_store_datetime_to_pg (base->to) : G_MAXINT64);
      values[0] = (const gchar *) array;
      lengths[0] = array_len;
      values[1] = (const gchar *) fixed;
      lengths[1] = 2;
      values[2] = (const gchar *) fixed + 2;
      lengths[2] = 8;
      values[3] = (const gchar *) fixed + 10;
      lengths[3] = 8;

      /* a short read (a statement's month) is one round trip; a long one
       * goes through a cursor, a chunk at a time */
      if (lers_store_query_is_small (base, ids->len))
        {
          g_autoptr (PGresult) res = lers_store_exec_binary (
              conn,
              "SELECT point_id, channel, ts, data FROM archive"
              " WHERE point_id = ANY ($1) AND kind = $2 AND ts >= $3 AND ts < $4"
              " ORDER BY point_id, ts",
              4, types, values, lengths, error);

          if (res == NULL || !lers_store_query_take_rows (res, by_id, &current, &current_id, error))
            return FALSE;
          if (current != NULL)
            lers_archive_batch_trim (current);
        }
      else
        {
          if (!lers_store_exec_simple (conn, "BEGIN READ ONLY", error))
            return FALSE;
          {
            g_autoptr (PGresult) declared = lers_store_exec_binary (
                conn,
                "DECLARE lers_archive_read NO SCROLL CURSOR FOR"
                " SELECT point_id, channel, ts, data FROM archive"
                " WHERE point_id = ANY ($1) AND kind = $2 AND ts >= $3 AND ts < $4"
                " ORDER BY point_id, ts",
                4, types, values, lengths, error);
            if (declared == NULL)
              return FALSE;
          }
          for (;;)
            {
              g_autoptr (PGresult) res = NULL;

              if (g_cancellable_set_error_if_cancelled (cancellable, error))
                return FALSE;
              res = lers_store_exec_binary (
                  conn, "FETCH " G_STRINGIFY (LERS_STORE_FETCH_ROWS) " FROM lers_archive_read", 0,
                  NULL, NULL, NULL, error);
              if (res == NULL
                  || !lers_store_query_take_rows (res, by_id, &current, &current_id, error))
                return FALSE;
              if (PQntuples (res) < LERS_STORE_FETCH_ROWS)
                break;
            }
          if (current != NULL)
            lers_archive_batch_trim (current);
          if (!lers_store_exec_simple (conn, "COMMIT", error))
            return FALSE;
        }
    }

  if (job->multi)
    lers_store_job_set_result (base, g_steal_pointer (&batches),
                               (GDestroyNotify) g_ptr_array_unref);
  else
    lers_store_job_set_result (base, g_object_ref (g_ptr_array_index (batches, 0)), g_object_unref);
  return TRUE;
}

static gboolean
lers_store_job_query_run_prefixed (LersStore *self, LersStoreConn *conn, LersStoreJob *base,
                                   GCancellable *cancellable, GError **error)
{
  LersStoreQueryJob *job = (LersStoreQueryJob *) base;

  if (lers_store_job_query_run (self, conn, base, cancellable, error))
    return TRUE;
  if (error != NULL && *error != NULL && (*error)->domain == LERS_ERROR)
    {
      if (job->multi)
        g_prefix_error (error, _ ("Could not read the archives: "));
      else
        g_prefix_error (error, _ ("Could not read the archive of point %" PRId64 ": "),
                        job->ids[0]);
    }
  return FALSE;
}

static LersStoreJob *
lers_store_job_new_query_points (const gint64 *point_ids, guint n_point_ids, gboolean multi,
                                 LersArchiveKind kind, GDateTime *from, GDateTime *to)
{
  LersStoreQueryJob *job
      = g_malloc0 (sizeof (LersStoreQueryJob) + (gsize) n_point_ids * sizeof (gint64));

  job->base.func = lers_store_job_query_run_prefixed;
  job->base.kind = kind;
  job->base.from = from != NULL ? g_date_time_ref (from) : NULL;
  job->base.to = to != NULL ? g_date_time_ref (to) : NULL;
  job->multi = multi;
  job->n_ids = n_point_ids;
  if (n_point_ids > 0)
    memcpy (job->ids, point_ids, n_point_ids * sizeof (gint64));
  return &job->base;
}

LersStoreJob *
lers_store_job_new_query (gint64 point_id, LersArchiveKind kind, GDateTime *from, GDateTime *to)
{
  LersStoreJob *job = lers_store_job_new_query_points (&point_id, 1, FALSE, kind, from, to);

  job->id = point_id;
  return job;
}

static gboolean
lers_store_job_last_run (LersStore *self, LersStoreConn *conn, LersStoreJob *job,
                         GCancellable *cancellable, GError **error)
{
  guint8 buf[4 + 2];
  const gchar *values[] = { (const gchar *) buf, (const gchar *) buf + 4 };
  const gint lengths[] = { 4, 2 };
  const Oid types[] = { LERS_OID_INT4, LERS_OID_INT2 };
  g_autoptr (PGresult) res = NULL;

  if (job->id <= 0 || job->id > G_MAXINT32)
    return TRUE;
  lers_store_put_be32 (buf, job->id);
  lers_store_put_be16 (buf + 4, job->kind);
  res = lers_store_exec_binary (conn,
                                "SELECT ts FROM archive WHERE point_id = $1 AND kind = $2"
                                " ORDER BY ts DESC LIMIT 1",
                                2, types, values, lengths, error);
  if (res == NULL)
    {
      g_prefix_error (error, _ ("Could not read the archive of point %" PRId64 ": "), job->id);
      return FALSE;
    }
  if (PQntuples (res) == 1 && PQgetlength (res, 0, 0) == 8)
    {
      gint64 ts = lers_store_get_be ((const guint8 *) PQgetvalue (res, 0, 0), 8);
      lers_store_job_set_result (job,
                                 lers_store_datetime_from_unix_us (ts + LERS_STORE_PG_EPOCH_US),
                                 (GDestroyNotify) g_date_time_unref);
    }
  return TRUE;
}

LersStoreJob *
lers_store_job_new_last (gint64 point_id, LersArchiveKind kind)
{
  LersStoreJob *job = g_new0 (LersStoreJob, 1);

  job->func = lers_store_job_last_run;
  job->id = point_id;
  job->kind = kind;
  return job;
}

/* ---- blocking API ------------------------------------------------------ */

/**
 * lers_store_query_archive_sync:
 * @self: a #LersStore
 * @point_id: the measure point
 * @kind: the archive
 * @from: (nullable): the first timestamp included, or %NULL for no lower bound
 * @to: (nullable): the first timestamp excluded, or %NULL for no upper bound
 * @cancellable: (nullable): a #GCancellable
 * @error: return location for a #GError
 *
 * Reads the rows of one archive of a measure point whose timestamps are in
 * [@from, @to), as columns: timestamps (UTC) and, per parameter, values
 * and flags. No object is made per row, and the rows are fetched from the
 * server in chunks, so memory stays close to the size of the numbers.
 *
 * Returns: (transfer full): the rows ordered by time (possibly none), or
 *   %NULL on error
 *
 * Since: 0.2
 */
LersArchiveBatch *
lers_store_query_archive_sync (LersStore *self, gint64 point_id, LersArchiveKind kind,
                               GDateTime *from, GDateTime *to, GCancellable *cancellable,
                               GError **error)
{
  g_autoptr (LersStoreJob) job = NULL;

  g_return_val_if_fail (LERS_IS_STORE (self), NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  job = lers_store_job_new_query (point_id, kind, from, to);
  if (!lers_store_run_job (self, job, cancellable, error))
    return NULL;
  return lers_store_job_steal_result (job);
}

/**
 * lers_store_query_archive_points_sync:
 * @self: a #LersStore
 * @point_ids: (array length=n_point_ids): the measure points
 * @n_point_ids: the number of @point_ids
 * @kind: the archive
 * @from: (nullable): the first timestamp included, or %NULL for no lower bound
 * @to: (nullable): the first timestamp excluded, or %NULL for no upper bound
 * @cancellable: (nullable): a #GCancellable
 * @error: return location for a #GError
 *
 * Reads one archive of many measure points in one query, as
 * [method@Lers.Store.query_archive_sync] reads one: for reports and exports
 * over a whole district, one round of chunked fetches instead of one query
 * a point.
 *
 * Returns: (transfer container) (element-type Lers.ArchiveBatch): one
 *   batch for each of @point_ids, in the same order (a point with no rows,
 *   or that does not exist, gets an empty batch), or %NULL on error
 *
 * Since: 0.2
 */
GPtrArray *
lers_store_query_archive_points_sync (LersStore *self, const gint64 *point_ids, guint n_point_ids,
                                      LersArchiveKind kind, GDateTime *from, GDateTime *to,
                                      GCancellable *cancellable, GError **error)
{
  g_autoptr (LersStoreJob) job = NULL;

  g_return_val_if_fail (LERS_IS_STORE (self), NULL);
  g_return_val_if_fail (point_ids != NULL || n_point_ids == 0, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  job = lers_store_job_new_query_points (point_ids, n_point_ids, TRUE, kind, from, to);
  if (!lers_store_run_job (self, job, cancellable, error))
    return NULL;
  return lers_store_job_steal_result (job);
}

/**
 * lers_store_get_last_timestamp_sync:
 * @self: a #LersStore
 * @point_id: the measure point
 * @kind: the archive
 * @cancellable: (nullable): a #GCancellable
 * @error: return location for a #GError
 *
 * Finds the timestamp of the newest stored record of one archive of a
 * measure point, so a poller knows where to continue. %NULL with no error
 * set means the archive is empty.
 *
 * Returns: (transfer full) (nullable): the timestamp (UTC), or %NULL
 *
 * Since: 0.1
 */
GDateTime *
lers_store_get_last_timestamp_sync (LersStore *self, gint64 point_id, LersArchiveKind kind,
                                    GCancellable *cancellable, GError **error)
{
  g_autoptr (LersStoreJob) job = NULL;

  g_return_val_if_fail (LERS_IS_STORE (self), NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  job = lers_store_job_new_last (point_id, kind);
  if (!lers_store_run_job (self, job, cancellable, error))
    return NULL;
  return lers_store_job_steal_result (job);
}

/* ---- asynchronous API -------------------------------------------------- */

/**
 * lers_store_query_archive_async:
 * @self: a #LersStore
 * @point_id: the measure point
 * @kind: the archive
 * @from: (nullable): the first timestamp included, or %NULL for no lower bound
 * @to: (nullable): the first timestamp excluded, or %NULL for no upper bound
 * @cancellable: (nullable): a #GCancellable
 * @callback: (scope async): called when done
 * @user_data: (closure): data for @callback
 *
 * Reads archive rows in a worker thread; see
 * [method@Lers.Store.query_archive_sync].
 *
 * Since: 0.1
 */
void
lers_store_query_archive_async (LersStore *self, gint64 point_id, LersArchiveKind kind,
                                GDateTime *from, GDateTime *to, GCancellable *cancellable,
                                GAsyncReadyCallback callback, gpointer user_data)
{
  g_return_if_fail (LERS_IS_STORE (self));

  lers_store_queue_job (self, lers_store_job_new_query (point_id, kind, from, to),
                        lers_store_query_archive_async, cancellable, callback, user_data);
}

/**
 * lers_store_query_archive_finish:
 * @self: a #LersStore
 * @result: the #GAsyncResult
 * @error: return location for a #GError
 *
 * Finishes [method@Lers.Store.query_archive_async].
 *
 * Returns: (transfer full): the rows ordered by time (possibly none), or
 *   %NULL on error
 *
 * Since: 0.2
 */
LersArchiveBatch *
lers_store_query_archive_finish (LersStore *self, GAsyncResult *result, GError **error)
{
  return lers_store_finish_pointer (self, result, lers_store_query_archive_async, error);
}

/**
 * lers_store_query_archive_points_async:
 * @self: a #LersStore
 * @point_ids: (array length=n_point_ids): the measure points
 * @n_point_ids: the number of @point_ids
 * @kind: the archive
 * @from: (nullable): the first timestamp included, or %NULL for no lower bound
 * @to: (nullable): the first timestamp excluded, or %NULL for no upper bound
 * @cancellable: (nullable): a #GCancellable
 * @callback: (scope async): called when done
 * @user_data: (closure): data for @callback
 *
 * Reads one archive of many points in a worker thread; see
 * [method@Lers.Store.query_archive_points_sync]. @point_ids is copied.
 *
 * Since: 0.2
 */
void
lers_store_query_archive_points_async (LersStore *self, const gint64 *point_ids, guint n_point_ids,
                                       LersArchiveKind kind, GDateTime *from, GDateTime *to,
                                       GCancellable *cancellable, GAsyncReadyCallback callback,
                                       gpointer user_data)
{
  g_return_if_fail (LERS_IS_STORE (self));
  g_return_if_fail (point_ids != NULL || n_point_ids == 0);

  lers_store_queue_job (
      self, lers_store_job_new_query_points (point_ids, n_point_ids, TRUE, kind, from, to),
      lers_store_query_archive_points_async, cancellable, callback, user_data);
}

/**
 * lers_store_query_archive_points_finish:
 * @self: a #LersStore
 * @result: the #GAsyncResult
 * @error: return location for a #GError
 *
 * Finishes [method@Lers.Store.query_archive_points_async].
 *
 * Returns: (transfer container) (element-type Lers.ArchiveBatch): one
 *   batch for each point asked for, in the same order, or %NULL on error
 *
 * Since: 0.2
 */
GPtrArray *
lers_store_query_archive_points_finish (LersStore *self, GAsyncResult *result, GError **error)
{
  return lers_store_finish_pointer (self, result, lers_store_query_archive_points_async, error);
}

/**
 * lers_store_get_last_timestamp_async:
 * @self: a #LersStore
 * @point_id: the measure point
 * @kind: the archive
 * @cancellable: (nullable): a #GCancellable
 * @callback: (scope async): called when done
 * @user_data: (closure): data for @callback
 *
 * Finds the newest stored record in a worker thread; see
 * [method@Lers.Store.get_last_timestamp_sync].
 *
 * Since: 0.1
 */
void
lers_store_get_last_timestamp_async (LersStore *self, gint64 point_id, LersArchiveKind kind,
                                     GCancellable *cancellable, GAsyncReadyCallback callback,
                                     gpointer user_data)
{
  g_return_if_fail (LERS_IS_STORE (self));

  lers_store_queue_job (self, lers_store_job_new_last (point_id, kind),
                        lers_store_get_last_timestamp_async, cancellable, callback, user_data);
}

/**
 * lers_store_get_last_timestamp_finish:
 * @self: a #LersStore
 * @result: the #GAsyncResult
 * @error: return location for a #GError
 *
 * Finishes [method@Lers.Store.get_last_timestamp_async]. %NULL with no
 * error set means the archive is empty.
 *
 * Returns: (transfer full) (nullable): the timestamp of the newest record,
 *   or %NULL
 *
 * Since: 0.1
 */
GDateTime *
lers_store_get_last_timestamp_finish (LersStore *self, GAsyncResult *result, GError **error)
{
  return lers_store_finish_pointer (self, result, lers_store_get_last_timestamp_async, error);
}
