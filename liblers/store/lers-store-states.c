/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* What the state of a node or measure point is derived from, for all of
 * them at once (the workstation's map and tree). */
#include "config.h"

#include <glib/gi18n-lib.h>
#include <inttypes.h>

#include "lers-store-private.h"
#include "store/lers-store-states.h"

/* One row per measure point of the given nodes. Each LATERAL is an index
 * probe of the point (archive's key (point_id, kind, ts), meter_events'
 * (point_id, started_at), poll_jobs' (point_id, created_at)), so the cost
 * grows with the number of points, not with the size of the archive.
 *
 *   $1  bigint[] of node ids, or NULL for every node
 *   $2  now (timestamptz): events of the 24 hours before it count
 */
static const gchar point_facts_sql[]
    = "WITH p AS (SELECT mp.id, mp.node_id, mp.device_id FROM measure_points mp"
      "  WHERE mp.node_id IS NOT NULL AND ($1::bigint[] IS NULL OR mp.node_id = ANY "
      "($1::bigint[])))"
      " SELECT p.id, p.node_id, p.device_id IS NOT NULL,"
      "  coalesce(floor(extract(epoch FROM lr.ts))::bigint, 0),"
      "  coalesce(bad.any_bad, false), coalesce(ev.code, ''),"
      "  coalesce(j.state = 3, false), coalesce(j.error, '')"
      " FROM p"
      " LEFT JOIN LATERAL (SELECT max(t.ts) AS ts"
      "   FROM unnest ('{0,1,2,3,4,5,6}'::int2[]) AS k (kind),"
      "   LATERAL (SELECT a.ts FROM archive a WHERE a.point_id = p.id AND a.kind = k.kind"
      "     ORDER BY a.ts DESC LIMIT 1) t) lr ON true"
      " LEFT JOIN LATERAL (SELECT bool_or ((get_byte (r.data, i * 10 + 1) & 1) <> 0) AS any_bad"
      "   FROM unnest ('{0,1}'::int2[]) AS k (kind),"
      "   LATERAL (SELECT a.data FROM archive a WHERE a.point_id = p.id AND a.kind = k.kind"
      "     ORDER BY a.ts DESC LIMIT 1) r,"
      "   generate_series (0, length (r.data) / 10 - 1) AS i) bad ON true"
      " LEFT JOIN LATERAL (SELECT e.code FROM meter_events e WHERE e.point_id = p.id"
      "   AND e.severity = 2 AND e.started_at > $2::timestamptz - interval '24 hours'"
      "   AND e.started_at <= $2::timestamptz"
      "   ORDER BY e.started_at DESC LIMIT 1) ev ON true"
      " LEFT JOIN LATERAL (SELECT j.state, j.error FROM poll_jobs j WHERE j.point_id = p.id"
      "   AND j.state IN (2, 3) ORDER BY j.created_at DESC, j.id DESC LIMIT 1) j ON true"
      " ORDER BY p.node_id, p.id";

/**
 * lers_store_list_point_facts_sync:
 * @self: a #LersStore
 * @node_ids: (array length=n_node_ids) (nullable): the nodes whose points to list
 * @n_node_ids: the number of @node_ids
 * @all_nodes: %TRUE to list the points of every node (@node_ids is ignored)
 * @now: the time the last 24 hours of meter events end at
 * @cancellable: (nullable): a #GCancellable
 * @error: return location for a #GError
 *
 * Reads, in one query, what the state of each measure point of the given
 * nodes is derived from: `(point_id, node_id, has_device, last_reading,
 * bad, alarm_code, last_job_failed, last_job_error)`, ordered by node and
 * point. @last_reading is the unix time of the point's newest archive
 * record of any kind (0 when it has none); @bad is %TRUE when a value of
 * its newest hourly or newest current record carries
 * %LERS_VALUE_FLAG_BAD; @alarm_code is the code of its newest meter event
 * of severity alarm that started in the 24 hours before @now ("" when
 * none); @last_job_failed says whether its newest finished poll job
 * failed, and @last_job_error is that job's error text ("" when none).
 *
 * Returns: (transfer full): a #GVariant of type
 *   %LERS_STORE_POINT_FACTS_TYPE, or %NULL on error
 *
 * Since: 0.5
 */
GVariant *
lers_store_list_point_facts_sync (LersStore *self, const gint64 *node_ids, guint n_node_ids,
                                  gboolean all_nodes, GDateTime *now, GCancellable *cancellable,
                                  GError **error)
{
  g_autoptr (GString) ids = NULL;
  g_autofree gchar *now_text = NULL;
  g_autoptr (PGresult) res = NULL;
  const gchar *params[2];
  LersStoreConn *conn;
  LersStoreCancel *watch;
  GVariantBuilder b;

  g_return_val_if_fail (LERS_IS_STORE (self), NULL);
  g_return_val_if_fail (node_ids != NULL || n_node_ids == 0, NULL);
  g_return_val_if_fail (now != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (!all_nodes)
    {
      ids = g_string_new ("{");
      for (guint i = 0; i < n_node_ids; i++)
        g_string_append_printf (ids, "%s%" PRId64, i > 0 ? "," : "", node_ids[i]);
      g_string_append_c (ids, '}');
    }
  now_text = g_date_time_format_iso8601 (now);
  params[0] = ids != NULL ? ids->str : NULL;
  params[1] = now_text;

  if (g_cancellable_set_error_if_cancelled (cancellable, error))
    return NULL;
  conn = lers_store_acquire (self, error);
  if (conn == NULL)
    return NULL;
  if (!lers_store_conn_check (conn, error))
    {
      lers_store_release (self, conn);
      return NULL;
    }
  watch = lers_store_cancel_watch (self, conn, cancellable);
  res = lers_store_exec (conn, point_facts_sql, 2, params, error);
  lers_store_cancel_unwatch (watch);
  lers_store_release (self, conn);
  if (res == NULL)
    {
      g_prefix_error (error, _ ("Could not read the states of the measure points: "));
      return NULL;
    }

  g_variant_builder_init (&b, G_VARIANT_TYPE (LERS_STORE_POINT_FACTS_TYPE));
  for (gint i = 0; i < PQntuples (res); i++)
    {
      g_autofree gchar *code = g_utf8_make_valid (PQgetvalue (res, i, 5), -1);
      g_autofree gchar *job_error = g_utf8_make_valid (PQgetvalue (res, i, 7), -1);

      g_variant_builder_add (
          &b, "(xxbxbsbs)", g_ascii_strtoll (PQgetvalue (res, i, 0), NULL, 10),
          g_ascii_strtoll (PQgetvalue (res, i, 1), NULL, 10), PQgetvalue (res, i, 2)[0] == 't',
          g_ascii_strtoll (PQgetvalue (res, i, 3), NULL, 10), PQgetvalue (res, i, 4)[0] == 't',
          code, PQgetvalue (res, i, 6)[0] == 't', job_error);
    }
  return g_variant_ref_sink (g_variant_builder_end (&b));
}
