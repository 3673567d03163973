/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "config.h"

#include <glib/gi18n-lib.h>
#include <inttypes.h>
#include <string.h>

#include "lers-error.h"
#include "store/lers-store-private.h"

/* The latest current record of many measure points in one query, for the
 * live values of the web workstation (lersd's /api/v1/current). */

typedef struct
{
  LersStoreJob base;
  gchar *node_ids;  /* an int8[] literal, or NULL: any node */
  gchar *point_ids; /* an int8[] literal, or NULL: any point */
  gchar *since;     /* Unix microseconds as text, or NULL */
} LersStoreCurrentJob;

static gchar *
lers_store_ids_literal (const gint64 *ids, guint n_ids)
{
  GString *out = g_string_new ("{");

  for (guint i = 0; i < n_ids; i++)
    g_string_append_printf (out, "%s%" G_GINT64_FORMAT, i > 0 ? "," : "", ids[i]);
  g_string_append_c (out, '}');
  return g_string_free (out, FALSE);
}

/* The values of one packed archive row (see 0001-initial.sql) as a(yyd) */
static gboolean
lers_store_current_values (GVariantBuilder *b, const guint8 *data, gsize len, GError **error)
{
  if (len % 10 != 0)
    {
      g_set_error_literal (error, LERS_ERROR, LERS_ERROR_INVALID_DATA,
                           _ ("Malformed current record in the archive"));
      return FALSE;
    }
  g_variant_builder_open (b, G_VARIANT_TYPE ("a(yyd)"));
  for (gsize off = 0; off < len; off += 10)
    {
      guint64 bits = 0;
      gdouble value;

      /* a parameter a newer version of LERS wrote: not ours to show */
      if (lers_parameter_get_name (data[off]) == NULL)
        continue;
      for (guint k = 0; k < 8; k++)
        bits |= (guint64) data[off + 2 + k] << (8 * k);
      memcpy (&value, &bits, sizeof value);
      g_variant_builder_add (b, "(yyd)", data[off], data[off + 1], value);
    }
  g_variant_builder_close (b);
  return TRUE;
}

static gboolean
lers_store_job_current_run (LersStore *self, LersStoreConn *conn, LersStoreJob *base,
                            GCancellable *cancellable, GError **error)
{
  LersStoreCurrentJob *job = (LersStoreCurrentJob *) base;
  const gchar *values[] = { job->node_ids, job->point_ids, job->since };
  g_autoptr (PGresult) res = NULL;
  GVariantBuilder b;
  gint n_rows;

  /* One index probe of (point_id, kind, ts) a point: the newest current
   * record, newer than since when it is given. */
  res = lers_store_exec (conn,
                         "SELECT p.id, p.node_id, p.title, n.title, p.resource, p.poll_interval,"
                         "       coalesce(lers_territory_time_zone(n.territory_id), ''),"
                         "       (extract(epoch FROM a.ts) * 1000000)::int8, a.data"
                         "  FROM measure_points p LEFT JOIN nodes n ON n.id = p.node_id"
                         "  LEFT JOIN LATERAL (SELECT ts, data FROM archive"
                         "                      WHERE point_id = p.id AND kind = 0"
                         "                        AND ($3::int8 IS NULL OR ts > timestamptz "
                         "'epoch' + $3::int8 * interval '1 microsecond')"
                         "                      ORDER BY ts DESC LIMIT 1) a ON true"
                         " WHERE ($1::int8[] IS NULL OR p.node_id = ANY ($1::int8[]))"
                         "   AND ($2::int8[] IS NULL OR p.id = ANY ($2::int8[]))"
                         "   AND ($3::int8 IS NULL OR a.ts IS NOT NULL)"
                         " ORDER BY p.id",
                         G_N_ELEMENTS (values), values, error);
  if (res == NULL)
    {
      g_prefix_error (error, _ ("Could not read the current values: "));
      return FALSE;
    }

  g_variant_builder_init (&b, G_VARIANT_TYPE ("a(xxmsmsixsxa(yyd))"));
  n_rows = PQntuples (res);
  for (gint row = 0; row < n_rows; row++)
    {
      gint64 point_id = g_ascii_strtoll (PQgetvalue (res, row, 0), NULL, 10);
      gint64 node_id
          = PQgetisnull (res, row, 1) ? 0 : g_ascii_strtoll (PQgetvalue (res, row, 1), NULL, 10);
      const gchar *point_title = PQgetisnull (res, row, 2) ? NULL : PQgetvalue (res, row, 2);
      const gchar *node_title = PQgetisnull (res, row, 3) ? NULL : PQgetvalue (res, row, 3);
      gint resource = (gint) g_ascii_strtoll (PQgetvalue (res, row, 4), NULL, 10);
      gint64 interval = g_ascii_strtoll (PQgetvalue (res, row, 5), NULL, 10);
      gboolean read = !PQgetisnull (res, row, 7);
      gint64 ts = read ? g_ascii_strtoll (PQgetvalue (res, row, 7), NULL, 10) : 0;

      g_variant_builder_open (&b, G_VARIANT_TYPE ("(xxmsmsixsxa(yyd))"));
      g_variant_builder_add (&b, "x", point_id);
      g_variant_builder_add (&b, "x", node_id);
      g_variant_builder_add (&b, "ms", point_title);
      g_variant_builder_add (&b, "ms", node_title);
      g_variant_builder_add (&b, "i", resource);
      g_variant_builder_add (&b, "x", interval);
      g_variant_builder_add (&b, "s", PQgetvalue (res, row, 6));
      g_variant_builder_add (&b, "x", read ? ts : G_MININT64);
      if (read)
        {
          gsize len = 0;
          guchar *data = PQunescapeBytea ((const guchar *) PQgetvalue (res, row, 8), &len);
          gboolean ok;

          if (data == NULL)
            {
              g_variant_builder_clear (&b);
              g_set_error_literal (error, LERS_ERROR, LERS_ERROR_FAILED, _ ("Out of memory"));
              return FALSE;
            }
          ok = lers_store_current_values (&b, data, len, error);
          PQfreemem (data);
          if (!ok)
            {
              g_variant_builder_clear (&b);
              return FALSE;
            }
        }
      else
        {
          g_variant_builder_open (&b, G_VARIANT_TYPE ("a(yyd)"));
          g_variant_builder_close (&b);
        }
      g_variant_builder_close (&b);
    }
  lers_store_job_set_result (base, g_variant_ref_sink (g_variant_builder_end (&b)),
                             (GDestroyNotify) g_variant_unref);
  return TRUE;
}

static void
lers_store_current_job_free (LersStoreCurrentJob *job)
{
  g_free (job->node_ids);
  g_free (job->point_ids);
  g_free (job->since);
  lers_store_job_free (&job->base);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (LersStoreCurrentJob, lers_store_current_job_free)

/**
 * lers_store_query_current_sync:
 * @self: a #LersStore
 * @node_ids: (array length=n_node_ids) (nullable): only the points of these
 *   nodes, or %NULL for every point (points without a node too)
 * @n_node_ids: the length of @node_ids
 * @point_ids: (array length=n_point_ids) (nullable): only these points, or
 *   %NULL for any
 * @n_point_ids: the length of @point_ids
 * @since: (nullable): when set, only the points whose newest current record
 *   is later than @since
 * @cancellable: (nullable): a #GCancellable
 * @error: return location for a #GError
 *
 * Reads the newest record of the current archive (%LERS_ARCHIVE_KIND_CURRENT)
 * of many measure points in one query, ordered by point id. Each item of
 * the result, `(xxmsmsixsxa(yyd))`, is: the point's id, its node's id (0
 * without a node), the point's title, the node's title, the resource
 * (#LersResource), the poll interval in seconds (0: none), the name of the
 * point's time zone ("" for the server's), the record's time in Unix
 * microseconds (%G_MININT64 when the point has no current record: then its
 * values are empty), and its values as (parameter, #LersValueFlags, value)
 * in the record's order. Without @since a point never read is listed too.
 *
 * Returns: (transfer full): the items, or %NULL on error
 *
 * Since: 0.5
 */
GVariant *
lers_store_query_current_sync (LersStore *self, const gint64 *node_ids, guint n_node_ids,
                               const gint64 *point_ids, guint n_point_ids, GDateTime *since,
                               GCancellable *cancellable, GError **error)
{
  g_autoptr (LersStoreCurrentJob) job = g_new0 (LersStoreCurrentJob, 1);

  g_return_val_if_fail (LERS_IS_STORE (self), NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  job->base.func = lers_store_job_current_run;
  if (node_ids != NULL)
    job->node_ids = lers_store_ids_literal (node_ids, n_node_ids);
  if (point_ids != NULL)
    job->point_ids = lers_store_ids_literal (point_ids, n_point_ids);
  if (since != NULL)
    job->since = g_strdup_printf ("%" G_GINT64_FORMAT, g_date_time_to_unix (since) * G_USEC_PER_SEC
                                                           + g_date_time_get_microsecond (since));
  if (!lers_store_run_job (self, &job->base, cancellable, error))
    return NULL;
  return lers_store_job_steal_result (&job->base);
}
