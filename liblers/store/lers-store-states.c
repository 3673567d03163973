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
    = "WITH p AS (SELECT n.id AS node_id, mp.id, mp.device_id FROM nodes n"
      "  LEFT JOIN measure_points mp ON mp.node_id = n.id"
      "  WHERE $1::bigint[] IS NULL OR n.id = ANY ($1::bigint[]))"
      " SELECT coalesce (p.id, 0), p.node_id, p.device_id IS NOT NULL,"
      "  coalesce (floor (extract (epoch FROM greatest (h.ts, c.ts, o.ts)))::bigint, 0),"
      "  coalesce ((SELECT bool_or ((get_byte (r.data, i * 10 + 1) & 1) <> 0)"
      "    FROM (SELECT coalesce (c.data, h.data) AS data) r,"
      "    generate_series (0, length (r.data) / 10 - 1) AS i), false),"
      "  coalesce (ev.code, ''), coalesce (j.state = 3, false), coalesce (j.error, '')"
      " FROM p"
      /* the newest hourly record, then a newer current one, then newer
       * records of the other kinds: each probe after the first only reads
       * the partitions after what was found */
      " LEFT JOIN LATERAL (SELECT a.ts, a.data FROM archive a WHERE a.point_id = p.id"
      "   AND a.kind = 1 ORDER BY a.ts DESC LIMIT 1) h ON true"
      " LEFT JOIN LATERAL (SELECT a.ts, a.data FROM archive a WHERE a.point_id = p.id"
      "   AND a.kind = 0 AND a.ts > coalesce (h.ts, '-infinity')"
      "   ORDER BY a.ts DESC LIMIT 1) c ON true"
      " LEFT JOIN LATERAL (SELECT max (t.ts) AS ts FROM unnest ('{2,3,4,5}'::int2[]) AS k (kind),"
      "   LATERAL (SELECT a.ts FROM archive a WHERE a.point_id = p.id AND a.kind = k.kind"
      "     AND a.ts > coalesce (greatest (h.ts, c.ts), '-infinity')"
      "     ORDER BY a.ts DESC LIMIT 1) t) o ON true"
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
 * point; a node without points gives one row with @point_id 0.
 * @last_reading is the unix time of the point's newest archive record of
 * any kind (0 when it has none); @bad is %TRUE when a value of its newest
 * record of the hourly and current archives (the newer of the two)
 * carries %LERS_VALUE_FLAG_BAD; @alarm_code is the code of its newest meter event
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
  g_autoptr (PGresult) begin = NULL;
  g_autoptr (PGresult) res = NULL;
  g_autoptr (PGresult) end = NULL;
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
  /* The planner's estimate of the probes is high enough for JIT, whose
   * compiling took 0.5 s of 1.3 s for 30,000 points: without it the
   * statement is cheaper. SET LOCAL ends with the transaction. */
  begin = lers_store_exec (conn, "BEGIN READ ONLY", 0, NULL, error);
  if (begin != NULL)
    {
      g_autoptr (PGresult) set = lers_store_exec (conn, "SET LOCAL jit = off", 0, NULL, error);

      if (set != NULL)
        res = lers_store_exec (conn, point_facts_sql, 2, params, error);
      if (res != NULL)
        end = lers_store_exec (conn, "COMMIT", 0, NULL, error);
      else
        end = PQexec (conn->pg, "ROLLBACK");
    }
  lers_store_cancel_unwatch (watch);
  lers_store_release (self, conn);
  if (res != NULL && end == NULL)
    g_clear_pointer (&res, PQclear);
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
