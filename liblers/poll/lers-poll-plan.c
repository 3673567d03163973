/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "config.h"

#include <glib/gi18n-lib.h>
#include <inttypes.h>
#include <string.h>

#include "lers-error.h"
#include "poll/lers-poll-queue-private.h"

/* Schedules and the planner of LersPollQueue (see 0006-poll-queue.sql).
 *
 * A slot is an instant whose wall clock in the point's zone shows
 * local midnight + at + k * every (every dividing a day: the same times
 * every day; a whole number of days: counted from 1970-01-01 local), or,
 * for every 0, the 1st of a month at local midnight + at. The hour the
 * clocks go back shows its wall times twice: both instants are slots. A
 * wall time the clocks skip moves forward, as PostgreSQL and
 * lers_time_parse_local() read it (02:05 on a spring-forward night in
 * Berlin is 03:05 CEST).
 *
 * All of it is computed in SQL, so that one statement plans every point:
 *   $1 now (NULL: the database clock), $2 the server's zone (a point whose
 *   territories name none keeps it, as lers_store_get_point_time_zone_sync()
 *   has it). */

/* The zone of each point, as AT TIME ZONE reads it: an IANA name as is, a
 * fixed offset (+03:00, +0300, -05) turned into the POSIX form, whose sign
 * is the other way round (UTC-03:00 is three hours east). */
// clang-format off
#define LERS_PLAN_ZONE_SQL(z)                                                                      \
  "CASE WHEN " z " ~ '^[+-][0-9]' THEN 'UTC' || translate(left(" z ", 1), '+-', '-+')"             \
  " || regexp_replace(substr(" z ", 2), '^([0-9]{2})([0-9]{2})', '\\1:\\2') ELSE " z " END"

/* cl: now; tz: the zone of each territory (computed once per territory);
 * pts: points with their connection, depths, zone and whether they are
 * polled at all; eff: the effective schedule of each point and kind 0..5;
 * sch: each schedule in each zone once (slots are computed per zone and
 * schedule, not per point: a few time zone lookups instead of 30,000);
 * g: its wall slot w0 at or before now's wall clock, the one before and
 * the two after. @where filters pts (p: measure_points, c: connections). */
#define LERS_PLAN_CTE_SQL(where)                                                                   \
  "cl AS (SELECT coalesce($1::timestamptz, now()) AS now),"                                        \
  " tz AS MATERIALIZED (SELECT t.id, lers_territory_time_zone(t.id) AS zone FROM territories t),"  \
  " pts AS MATERIALIZED (SELECT p.id AS point_id, d.connection_id, p.poll_interval,"               \
  "   p.poll_offset, d.depth_hours, d.depth_days, d.depth_months,"                                 \
  "   coalesce(p.poll_interval > 0 AND c.kind <> 1, false) AS polled,"                             \
  "   " LERS_PLAN_ZONE_SQL ("coalesce(nullif(tz.zone, ''), $2::text)") " AS zone"                  \
  "   FROM measure_points p"                                                                       \
  "   LEFT JOIN devices d ON d.id = p.device_id"                                                   \
  "   LEFT JOIN connections c ON c.id = d.connection_id"                                           \
  "   LEFT JOIN nodes n ON n.id = p.node_id"                                                       \
  "   LEFT JOIN tz ON tz.id = n.territory_id"                                                      \
  "  WHERE " where "),"                                                                            \
  " eff AS MATERIALIZED (SELECT q.*, k.kind, s.point_id IS NULL AS is_default,"                    \
  "   coalesce(s.enabled, k.kind BETWEEN 1 AND 3 AND q.poll_interval > 0) AS enabled,"             \
  "   coalesce(s.every_minutes, CASE k.kind WHEN 1 THEN greatest(q.poll_interval / 60, 1)"         \
  "     WHEN 2 THEN 1440 ELSE 0 END)::bigint AS every,"                                            \
  "   coalesce(s.at_minutes, CASE k.kind"                                                          \
  "     WHEN 1 THEN (CASE WHEN q.poll_offset > 0 THEN q.poll_offset / 60 ELSE 5 END)"              \
  "                 % greatest(q.poll_interval / 60, 1)"                                           \
  "     WHEN 2 THEN 30 WHEN 3 THEN 60 ELSE 0 END)::bigint AS at"                                   \
  "   FROM pts q CROSS JOIN generate_series(0, 5) AS k (kind)"                                     \
  "   LEFT JOIN poll_schedules s ON s.point_id = q.point_id AND s.kind = k.kind),"                 \
  " sch AS (SELECT DISTINCT e.zone, e.every, e.at FROM eff e WHERE e.enabled),"                    \
  " w AS (SELECT s.*, (cl.now AT TIME ZONE s.zone) AS wall FROM sch s, cl),"                       \
  " w0 AS (SELECT w.*,"                                                                            \
  "   CASE WHEN w.every > 0 THEN timestamp '1970-01-01' + (w.at"                                   \
  "       + ((floor(extract(epoch FROM w.wall) / 60)::bigint - w.at) / w.every) * w.every)"        \
  "       * interval '1 minute'"                                                                   \
  "     WHEN date_trunc('month', w.wall) + w.at * interval '1 minute' <= w.wall"                   \
  "     THEN date_trunc('month', w.wall) + w.at * interval '1 minute'"                             \
  "     ELSE date_trunc('month', w.wall) - interval '1 month' + w.at * interval '1 minute'"        \
  "   END AS w0 FROM w),"                                                                          \
  " g AS (SELECT w0.*,"                                                                            \
  "   CASE WHEN w0.every > 0 THEN w0.w0 - w0.every * interval '1 minute'"                          \
  "     ELSE date_trunc('month', w0.w0 - w0.at * interval '1 minute') - interval '1 month'"        \
  "          + w0.at * interval '1 minute' END AS wprev,"                                          \
  "   CASE WHEN w0.every > 0 THEN w0.w0 + w0.every * interval '1 minute'"                          \
  "     ELSE date_trunc('month', w0.w0 - w0.at * interval '1 minute') + interval '1 month'"        \
  "          + w0.at * interval '1 minute' END AS wnext,"                                          \
  "   CASE WHEN w0.every > 0 THEN w0.w0 + 2 * w0.every * interval '1 minute'"                      \
  "     ELSE date_trunc('month', w0.w0 - w0.at * interval '1 minute') + interval '2 months'"       \
  "          + w0.at * interval '1 minute' END AS wnext2"                                          \
  "   FROM w0)"

/* The instants of wall slot @x: AT TIME ZONE picks the later of two (and
 * moves a skipped one forward); the earlier one of an hour shown twice is
 * one hour before the earlier wall time's instant, if its wall clock shows
 * @x. (instant, wall to check or NULL) pairs for a VALUES list. */
#define LERS_PLAN_AT(x) "(" x " AT TIME ZONE g.zone, NULL::timestamp)"
#define LERS_PLAN_EARLIER(x)                                                                       \
  "(((" x " - interval '1 hour') AT TIME ZONE g.zone) + interval '1 hour', " x ")"
#define LERS_PLAN_CHECKED "(c.wall IS NULL OR (c.t AT TIME ZONE g.zone) = c.wall)"

/* The current slot: the latest instant of a slot at or before now. */
#define LERS_PLAN_CURRENT_SQL                                                                      \
  "(SELECT max(c.t) FROM (VALUES " LERS_PLAN_AT ("g.w0") ", " LERS_PLAN_EARLIER ("g.w0") ", "      \
  LERS_PLAN_AT ("g.wprev") ", " LERS_PLAN_EARLIER ("g.wnext") ") AS c (t, wall)"                   \
  " WHERE c.t <= cl.now AND " LERS_PLAN_CHECKED ")"

/* The next slot: the earliest instant of a slot after now. */
#define LERS_PLAN_NEXT_SQL                                                                         \
  "(SELECT min(c.t) FROM (VALUES " LERS_PLAN_AT ("g.w0") ", " LERS_PLAN_EARLIER ("g.w0") ", "      \
  LERS_PLAN_AT ("g.wnext") ", " LERS_PLAN_EARLIER ("g.wnext") ", " LERS_PLAN_AT ("g.wnext2")       \
  ") AS c (t, wall) WHERE c.t > cl.now AND " LERS_PLAN_CHECKED ")"

/* Every polled point's routine job for its current slot, unless the slot
 * has one or a routine job of the point and kind is still open (read
 * before the insert: the statement must not scan the rows it adds); the
 * links of the new jobs. */
static const gchar plan_sql[] =
  "WITH " LERS_PLAN_CTE_SQL ("p.poll_interval > 0 AND c.kind <> 1") ","
  " cs AS MATERIALIZED (SELECT g.zone, g.every, g.at, " LERS_PLAN_CURRENT_SQL " AS slot"
  "   FROM g, cl),"
  " open AS MATERIALIZED (SELECT j.point_id, j.kind FROM poll_jobs j"
  "   WHERE j.priority = 3 AND j.state IN (0, 1)),"
  " ins AS (INSERT INTO poll_jobs (connection_id, point_id, kind, priority, slot, due_at)"
  "   SELECT e.connection_id, e.point_id, e.kind, 3, cs.slot, cs.slot"
  "     FROM eff e JOIN cs ON cs.zone = e.zone AND cs.every = e.every AND cs.at = e.at"
  "    WHERE e.enabled AND cs.slot IS NOT NULL"
  "      AND NOT EXISTS (SELECT FROM open o WHERE o.point_id = e.point_id AND o.kind = e.kind)"
  "   ON CONFLICT (point_id, kind, slot) WHERE slot IS NOT NULL DO NOTHING"
  "   RETURNING connection_id),"
  " links AS (INSERT INTO poll_links (connection_id) SELECT DISTINCT connection_id FROM ins"
  "   ON CONFLICT DO NOTHING)"
  " SELECT count(*) FROM ins";

/* Holes between consecutive stored records of polled points within their
 * device's depth; per point and kind the oldest hole not tried in the last
 * 24 hours (a part a backfill job tried is skipped), at most one job
 * span long; the oldest first, up to $3 open backfill jobs in all. One
 * step: an hour, or a local day or month. */
#define LERS_PLAN_STEP(t, ts, sign)                                                                \
  "CASE " t ".kind WHEN 1 THEN " ts " " sign " interval '1 hour'"                                  \
  " WHEN 2 THEN ((" ts " AT TIME ZONE " t ".zone) " sign " interval '1 day') AT TIME ZONE " t      \
  ".zone ELSE ((" ts " AT TIME ZONE " t ".zone) " sign " interval '1 month') AT TIME ZONE " t      \
  ".zone END"

static const gchar backfill_sql[] =
  "WITH " LERS_PLAN_CTE_SQL ("p.poll_interval > 0 AND c.kind <> 1") ","
  " pk AS (SELECT e.point_id, e.connection_id, e.kind, e.zone,"
  "   CASE e.kind WHEN 1 THEN cl.now - e.depth_hours * interval '1 hour'"
  "     WHEN 2 THEN ((cl.now AT TIME ZONE e.zone) - e.depth_days * interval '1 day')"
  "                 AT TIME ZONE e.zone"
  "     ELSE ((cl.now AT TIME ZONE e.zone) - e.depth_months * interval '1 month')"
  "          AT TIME ZONE e.zone END AS since"
  "   FROM eff e, cl WHERE e.enabled AND e.kind BETWEEN 1 AND 3"
  "    AND NOT EXISTS (SELECT FROM poll_jobs j WHERE j.point_id = e.point_id"
  "          AND j.kind = e.kind AND j.priority = 2 AND j.state IN (0, 1))),"
  " r AS (SELECT pk.point_id, pk.connection_id, pk.kind, pk.zone, x.ts, x.prev"
  "   FROM pk CROSS JOIN LATERAL (SELECT y.ts, y.prev FROM (SELECT a.ts,"
  "       lag(a.ts) OVER (ORDER BY a.ts) AS prev FROM archive a"
  "      WHERE a.point_id = pk.point_id AND a.kind = pk.kind AND a.ts >= pk.since"
  "        AND a.ts <= (SELECT now FROM cl)) AS y"
  "     WHERE y.ts > y.prev + interval '1 hour') AS x),"
  " h0 AS (SELECT r.point_id, r.connection_id, r.kind, r.zone,"
  "   " LERS_PLAN_STEP ("r", "r.prev", "+") " AS first_missing,"
  "   " LERS_PLAN_STEP ("r", "r.ts", "-") " AS last_missing"
  "   FROM r WHERE r.prev IS NOT NULL),"
  " h AS (SELECT h0.*, (SELECT max(j.to_at) FROM poll_jobs j, cl"
  "     WHERE j.point_id = h0.point_id AND j.kind = h0.kind AND j.priority = 2"
  "       AND j.state IN (2, 3, 4) AND j.finished_at > cl.now - interval '24 hours'"
  "       AND j.from_at <= h0.last_missing AND j.to_at >= h0.first_missing) AS tried_to"
  "   FROM h0 WHERE h0.first_missing <= h0.last_missing),"
  " hs AS (SELECT h.point_id, h.connection_id, h.kind, h.zone, h.last_missing,"
  "   CASE WHEN h.tried_to IS NULL THEN h.first_missing"
  "     ELSE " LERS_PLAN_STEP ("h", "h.tried_to", "+") " END AS from_at FROM h),"
  " span AS (SELECT DISTINCT ON (hs.point_id, hs.kind) hs.point_id, hs.connection_id,"
  "   hs.kind, hs.from_at, least(hs.last_missing, CASE hs.kind"
  "     WHEN 1 THEN hs.from_at + interval '167 hours'"
  "     WHEN 2 THEN ((hs.from_at AT TIME ZONE hs.zone) + interval '61 days') AT TIME ZONE hs.zone"
  "     ELSE ((hs.from_at AT TIME ZONE hs.zone) + interval '11 months') AT TIME ZONE hs.zone"
  "   END) AS to_at"
  "   FROM hs WHERE hs.from_at <= hs.last_missing"
  "  ORDER BY hs.point_id, hs.kind, hs.from_at),"
  " pick AS (SELECT * FROM span ORDER BY span.from_at, span.point_id, span.kind"
  "   LIMIT greatest($3::bigint - (SELECT count(*) FROM poll_jobs"
  "                  WHERE priority = 2 AND state IN (0, 1)), 0)),"
  " ins AS (INSERT INTO poll_jobs (connection_id, point_id, kind, from_at, to_at, priority,"
  "     due_at)"
  "   SELECT pick.connection_id, pick.point_id, pick.kind, pick.from_at, pick.to_at, 2, cl.now"
  "     FROM pick, cl"
  "   ON CONFLICT (point_id, kind) WHERE priority = 2 AND state IN (0, 1) DO NOTHING"
  "   RETURNING connection_id),"
  " links AS (INSERT INTO poll_links (connection_id) SELECT DISTINCT connection_id FROM ins"
  "   ON CONFLICT DO NOTHING)"
  " SELECT count(*) FROM ins";

/* One row per kind 0..5 of point $3: the kind, whether it is read, its
 * schedule, whether that is the default, whether the point is polled at
 * all, and the next slot (Unix time). */
static const gchar schedules_sql[] =
  "WITH " LERS_PLAN_CTE_SQL ("p.id = $3::int8") ","
  " ns AS (SELECT g.zone, g.every, g.at, " LERS_PLAN_NEXT_SQL " AS next FROM g, cl)"
  " SELECT e.kind, e.enabled, e.every, e.at, e.is_default, e.polled,"
  "   floor(extract(epoch FROM ns.next))::int8"
  "   FROM eff e LEFT JOIN ns ON e.enabled AND ns.zone = e.zone AND ns.every = e.every"
  "    AND ns.at = e.at"
  "  ORDER BY e.kind";
// clang-format on

/* The zone of the server, as PostgreSQL can name it: GLib's identifier of
 * the local zone, or its offset now when that is no plain name. */
static gchar *
lers_poll_plan_server_zone (void)
{
  g_autoptr (GTimeZone) zone = g_time_zone_new_local ();
  const gchar *id = g_time_zone_get_identifier (zone);
  gboolean plain = id != NULL && id[0] != '\0' && id[0] != '/' && strlen (id) < 64;
  g_autoptr (GDateTime) now = NULL;
  gint32 offset;

  for (const gchar *p = id; plain && *p != '\0'; p++)
    plain = g_ascii_isalnum (*p) || strchr ("/_+-:", *p) != NULL;
  if (plain)
    return g_strdup (id);
  now = g_date_time_new_now (zone);
  offset = (gint32) (g_date_time_get_utc_offset (now) / G_TIME_SPAN_SECOND);
  return g_strdup_printf ("%c%02d:%02d", offset < 0 ? '-' : '+', ABS (offset) / 3600,
                          ABS (offset) / 60 % 60);
}

typedef struct
{
  const gchar *sql;
  const gchar *lock;
  GDateTime *now;
  guint max_jobs;
  guint count;
} LersPlanData;

static gboolean
lers_poll_plan_run (LersStoreConn *conn, gpointer user_data, GError **error)
{
  LersPlanData *data = user_data;
  g_autofree gchar *now_str = NULL;
  g_autofree gchar *zone = lers_poll_plan_server_zone ();
  g_autofree gchar *max_str = g_strdup_printf ("%u", data->max_jobs);
  const gchar *lock_values[] = { data->lock };
  const gchar *values[3];
  g_autoptr (PGresult) lock = NULL;
  g_autoptr (PGresult) res = NULL;

  if (data->now != NULL)
    now_str = g_date_time_format_iso8601 (data->now);
  values[0] = now_str;
  values[1] = zone;
  values[2] = max_str;
  if (!lers_store_exec_simple (conn, "BEGIN", error))
    return FALSE;
  /* another planner at work: it plans what this one would */
  lock = lers_store_exec (conn, "SELECT pg_try_advisory_xact_lock(hashtext($1))", 1, lock_values,
                          error);
  if (lock == NULL)
    return FALSE;
  if (strcmp (PQgetvalue (lock, 0, 0), "t") != 0)
    {
      data->count = 0;
      return lers_store_exec_simple (conn, "ROLLBACK", error);
    }
  res = lers_store_exec (conn, data->sql, data->sql == plan_sql ? 2 : 3, values, error);
  if (res == NULL)
    return FALSE;
  data->count = (guint) g_ascii_strtoull (PQgetvalue (res, 0, 0), NULL, 10);
  return lers_store_exec_simple (conn, "COMMIT", error);
}

/**
 * lers_poll_queue_plan_sync:
 * @self: a queue
 * @now: (nullable): the time to plan for; %NULL for the database's clock
 * @cancellable: (nullable): a #GCancellable
 * @error: return location for a #GError
 *
 * Turns schedules into routine jobs: for every polled point (a
 * #LersMeasurePoint:poll-interval above 0 and a device whose connection is
 * not a GPRS modem that calls in, which is read when it calls) and every
 * archive kind its schedule reads, a job for the current slot (the latest
 * at or before @now), due at the slot and reading from the last stored
 * record, unless that slot already has one or a routine job of the point
 * and kind is still queued or running (a link that is down does not pile
 * up jobs). Schedules are those set with
 * lers_poll_queue_set_schedule_sync(), else the defaults: the hour archive
 * every poll-interval at :05 (or at the poll-offset), the day archive at
 * 00:30 and the month archive on the 1st at 01:00, local time of the
 * point's territory.
 *
 * Any number of services may call it at once: one plans, the others return
 * 0 at once.
 *
 * Returns: the number of jobs added; 0 with @error set on failure
 *
 * Since: 0.4
 */
guint
lers_poll_queue_plan_sync (LersPollQueue *self, GDateTime *now, GCancellable *cancellable,
                           GError **error)
{
  LersPlanData data = { plan_sql, "lers_poll_plan", now, 0, 0 };

  g_return_val_if_fail (LERS_IS_POLL_QUEUE (self), 0);
  g_return_val_if_fail (error == NULL || *error == NULL, 0);

  if (!lers_poll_queue_run (self, lers_poll_plan_run, &data, cancellable, error))
    {
      g_prefix_error (error, _ ("Could not plan poll jobs: "));
      return 0;
    }
  return data.count;
}

/**
 * lers_poll_queue_plan_backfill_sync:
 * @self: a queue
 * @now: (nullable): the time to plan for; %NULL for the database's clock
 * @max_jobs: how many backfill jobs may be open (queued or running) in
 *   all, counting those already open
 * @cancellable: (nullable): a #GCancellable
 * @error: return location for a #GError
 *
 * Finds holes in the stored hour, day and month archives of polled points
 * (two consecutive records more than one step apart: an hour, or a day or
 * month of the point's local calendar), within the depth their device
 * keeps (#LersDevice depth, counted back from @now), and adds a backfill
 * job for each, the oldest hole first, reading from its first missing
 * record to its last: at most one open backfill job a point and kind, at
 * most @max_jobs open in all, and at most 7 days of hours, 62 days or 12
 * months a job (the rest of the hole is planned next time). The part of a
 * hole that a backfill job tried in the last 24 hours (done, failed or
 * cancelled) is not planned again, so a device that has nothing for it is
 * not asked over and over.
 *
 * Routine reads are not starved: a service claims all due jobs of a link
 * at once, whatever their priority, so the link's routine jobs are read in
 * the same hold as its backfill, and the cap keeps backfill from taking
 * every link.
 *
 * Returns: the number of jobs added; 0 with @error set on failure
 *
 * Since: 0.4
 */
guint
lers_poll_queue_plan_backfill_sync (LersPollQueue *self, GDateTime *now, guint max_jobs,
                                    GCancellable *cancellable, GError **error)
{
  LersPlanData data = { backfill_sql, "lers_poll_backfill", now, max_jobs, 0 };

  g_return_val_if_fail (LERS_IS_POLL_QUEUE (self), 0);
  g_return_val_if_fail (error == NULL || *error == NULL, 0);

  if (max_jobs == 0)
    return 0;
  if (!lers_poll_queue_run (self, lers_poll_plan_run, &data, cancellable, error))
    {
      g_prefix_error (error, _ ("Could not plan backfill jobs: "));
      return 0;
    }
  return data.count;
}

/* ---- schedules ------------------------------------------------------------ */

static gboolean
lers_poll_plan_check_kind (LersArchiveKind kind, GError **error)
{
  if ((gint) kind < LERS_ARCHIVE_KIND_CURRENT || kind > LERS_ARCHIVE_KIND_POWER_PROFILE)
    {
      g_set_error (error, LERS_ERROR, LERS_ERROR_INVALID_ARGUMENT,
                   _ ("Archive kind %d has no schedule: use current, hour, day, month, totals or "
                      "power-profile"),
                   (gint) kind);
      return FALSE;
    }
  return TRUE;
}

typedef struct
{
  const gchar *sql;
  gint n_params; /* of $1 point, $2 kind, $3 enabled, $4 every, $5 at */
  gint64 point_id;
  LersArchiveKind kind;
  gboolean enabled;
  guint every;
  guint at;
  GDateTime *now;
  GVariant *result;
} LersScheduleData;

static gboolean
lers_poll_plan_point_exists (LersStoreConn *conn, const gchar *id, GError **error)
{
  const gchar *values[] = { id };
  g_autoptr (PGresult) res
      = lers_store_exec (conn, "SELECT FROM measure_points WHERE id = $1::int8", 1, values, error);

  if (res == NULL)
    return FALSE;
  if (PQntuples (res) == 0)
    {
      g_set_error (error, LERS_ERROR, LERS_ERROR_NOT_FOUND, _ ("There is no %s with id %s"),
                   _ ("measure point"), id);
      return FALSE;
    }
  return TRUE;
}

static gboolean
lers_poll_plan_schedule_run (LersStoreConn *conn, gpointer user_data, GError **error)
{
  LersScheduleData *data = user_data;
  g_autofree gchar *id = g_strdup_printf ("%" G_GINT64_FORMAT, data->point_id);
  g_autofree gchar *kind = g_strdup_printf ("%d", (gint) data->kind);
  g_autofree gchar *every = g_strdup_printf ("%u", data->every);
  g_autofree gchar *at = g_strdup_printf ("%u", data->at);
  const gchar *values[] = { id, kind, data->enabled ? "t" : "f", every, at };
  g_autoptr (PGresult) res = NULL;

  if (id[0] == '-' || data->point_id > G_MAXINT32)
    {
      g_set_error (error, LERS_ERROR, LERS_ERROR_NOT_FOUND, _ ("There is no %s with id %s"),
                   _ ("measure point"), id);
      return FALSE;
    }
  if (!lers_poll_plan_point_exists (conn, id, error))
    return FALSE;
  res = lers_store_exec (conn, data->sql, data->n_params, values, error);
  return res != NULL;
}

/**
 * lers_poll_queue_set_schedule_sync:
 * @self: a queue
 * @point_id: the measure point
 * @kind: the archive kind (%LERS_ARCHIVE_KIND_CURRENT to
 *   %LERS_ARCHIVE_KIND_POWER_PROFILE)
 * @enabled: whether the planner reads it at all
 * @every_minutes: minutes between slots: a divisor of 1440 (every so many
 *   minutes of a day), a multiple of 1440 up to 44640 (every so many days),
 *   or 0 (once a month)
 * @at_minutes: minutes after local midnight of the first slot (less than
 *   @every_minutes), or, monthly, after midnight of the 1st (less than 44640)
 * @cancellable: (nullable): a #GCancellable
 * @error: return location for a #GError
 *
 * Sets the schedule of one archive of a point, in place of the default,
 * in the local time of the point's territory: for example the current
 * values every 15 minutes (kind current, 15, 0), or no day archive
 * (enabled %FALSE). A bad value is refused with
 * %LERS_ERROR_INVALID_ARGUMENT and a point that does not exist with
 * %LERS_ERROR_NOT_FOUND; nothing is stored then.
 *
 * Returns: %TRUE on success
 *
 * Since: 0.4
 */
gboolean
lers_poll_queue_set_schedule_sync (LersPollQueue *self, gint64 point_id, LersArchiveKind kind,
                                   gboolean enabled, guint every_minutes, guint at_minutes,
                                   GCancellable *cancellable, GError **error)
{
  LersScheduleData data = {
    .sql = "INSERT INTO poll_schedules (point_id, kind, enabled, every_minutes, at_minutes)"
           " VALUES ($1::int8, $2::int2, $3::bool, $4::int4, $5::int4)"
           " ON CONFLICT (point_id, kind) DO UPDATE SET enabled = EXCLUDED.enabled,"
           " every_minutes = EXCLUDED.every_minutes, at_minutes = EXCLUDED.at_minutes",
    .n_params = 5,
    .point_id = point_id,
    .kind = kind,
    .enabled = enabled,
    .every = every_minutes,
    .at = at_minutes,
  };

  g_return_val_if_fail (LERS_IS_POLL_QUEUE (self), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (!lers_poll_plan_check_kind (kind, error))
    return FALSE;
  if (every_minutes != 0 && 1440 % every_minutes != 0
      && (every_minutes % 1440 != 0 || every_minutes > 44640))
    {
      g_set_error (error, LERS_ERROR, LERS_ERROR_INVALID_ARGUMENT,
                   _ ("Every %u minutes is not a schedule: use a divisor of 1440 (a day), a "
                      "multiple of 1440 up to 44640, or 0 for monthly"),
                   every_minutes);
      return FALSE;
    }
  if (every_minutes != 0 && at_minutes >= every_minutes)
    {
      g_set_error (error, LERS_ERROR, LERS_ERROR_INVALID_ARGUMENT,
                   _ ("A schedule every %u minutes starts at a minute below %u, not at %u"),
                   every_minutes, every_minutes, at_minutes);
      return FALSE;
    }
  if (every_minutes == 0 && at_minutes >= 44640)
    {
      g_set_error (error, LERS_ERROR, LERS_ERROR_INVALID_ARGUMENT,
                   _ ("A monthly schedule starts at a minute below 44640 after the 1st, not at %u"),
                   at_minutes);
      return FALSE;
    }
  if (!lers_poll_queue_run (self, lers_poll_plan_schedule_run, &data, cancellable, error))
    {
      g_prefix_error (error, _ ("Could not set the schedule of point %" PRId64 ": "), point_id);
      return FALSE;
    }
  return TRUE;
}

/**
 * lers_poll_queue_reset_schedule_sync:
 * @self: a queue
 * @point_id: the measure point
 * @kind: the archive kind
 * @cancellable: (nullable): a #GCancellable
 * @error: return location for a #GError
 *
 * Puts one archive of a point back on its default schedule (see
 * lers_poll_queue_plan_sync()).
 *
 * Returns: %TRUE on success, also if it had no schedule of its own;
 *   %LERS_ERROR_NOT_FOUND if there is no such point
 *
 * Since: 0.4
 */
gboolean
lers_poll_queue_reset_schedule_sync (LersPollQueue *self, gint64 point_id, LersArchiveKind kind,
                                     GCancellable *cancellable, GError **error)
{
  LersScheduleData data = {
    .sql = "DELETE FROM poll_schedules WHERE point_id = $1::int8 AND kind = $2::int2",
    .n_params = 2,
    .point_id = point_id,
    .kind = kind,
  };

  g_return_val_if_fail (LERS_IS_POLL_QUEUE (self), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (!lers_poll_plan_check_kind (kind, error))
    return FALSE;
  if (!lers_poll_queue_run (self, lers_poll_plan_schedule_run, &data, cancellable, error))
    {
      g_prefix_error (error, _ ("Could not reset the schedule of point %" PRId64 ": "), point_id);
      return FALSE;
    }
  return TRUE;
}

static gboolean
lers_poll_plan_list_run (LersStoreConn *conn, gpointer user_data, GError **error)
{
  LersScheduleData *data = user_data;
  g_autofree gchar *id = g_strdup_printf ("%" G_GINT64_FORMAT, data->point_id);
  g_autofree gchar *now_str = NULL;
  g_autofree gchar *zone = lers_poll_plan_server_zone ();
  const gchar *values[3];
  g_autoptr (PGresult) res = NULL;
  GVariantBuilder builder;

  if (id[0] == '-' || data->point_id > G_MAXINT32)
    {
      g_set_error (error, LERS_ERROR, LERS_ERROR_NOT_FOUND, _ ("There is no %s with id %s"),
                   _ ("measure point"), id);
      return FALSE;
    }
  if (data->now != NULL)
    now_str = g_date_time_format_iso8601 (data->now);
  values[0] = now_str;
  values[1] = zone;
  values[2] = id;
  res = lers_store_exec (conn, schedules_sql, 3, values, error);
  if (res == NULL)
    return FALSE;
  if (PQntuples (res) == 0)
    {
      g_set_error (error, LERS_ERROR, LERS_ERROR_NOT_FOUND, _ ("There is no %s with id %s"),
                   _ ("measure point"), id);
      return FALSE;
    }
  g_variant_builder_init (&builder, G_VARIANT_TYPE ("aa{sv}"));
  for (gint i = 0; i < PQntuples (res); i++)
    {
      LersArchiveKind kind = (LersArchiveKind) atoi (PQgetvalue (res, i, 0));
      gboolean enabled = strcmp (PQgetvalue (res, i, 1), "t") == 0;
      gboolean polled = strcmp (PQgetvalue (res, i, 5), "t") == 0;

      g_variant_builder_open (&builder, G_VARIANT_TYPE ("a{sv}"));
      g_variant_builder_add (&builder, "{sv}", "kind",
                             g_variant_new_string (lers_archive_kind_to_string (kind)));
      g_variant_builder_add (&builder, "{sv}", "enabled", g_variant_new_boolean (enabled));
      g_variant_builder_add (&builder, "{sv}", "every_minutes",
                             g_variant_new_uint32 ((guint32) atol (PQgetvalue (res, i, 2))));
      g_variant_builder_add (&builder, "{sv}", "at_minutes",
                             g_variant_new_uint32 ((guint32) atol (PQgetvalue (res, i, 3))));
      g_variant_builder_add (&builder, "{sv}", "default",
                             g_variant_new_boolean (strcmp (PQgetvalue (res, i, 4), "t") == 0));
      g_variant_builder_add (&builder, "{sv}", "polled", g_variant_new_boolean (polled));
      if (enabled && polled && !PQgetisnull (res, i, 6))
        g_variant_builder_add (
            &builder, "{sv}", "next",
            g_variant_new_int64 (g_ascii_strtoll (PQgetvalue (res, i, 6), NULL, 10)));
      g_variant_builder_close (&builder);
    }
  data->result = g_variant_ref_sink (g_variant_builder_end (&builder));
  return TRUE;
}

/**
 * lers_poll_queue_list_schedules_sync:
 * @self: a queue
 * @point_id: the measure point
 * @now: (nullable): the time the next slots follow; %NULL for the
 *   database's clock
 * @cancellable: (nullable): a #GCancellable
 * @error: return location for a #GError
 *
 * Lists the schedule of each archive kind of a point (current, hour, day,
 * month, totals, power-profile), as the planner reads it. Each entry holds
 * `kind` (s, the nick), `enabled` (b), `every_minutes` (u), `at_minutes`
 * (u), `default` (b: no schedule of its own), `polled` (b: the point is
 * polled at all: a poll interval and a link that is not a GPRS modem that
 * calls in) and, when enabled and polled, `next` (x: the Unix time of the
 * next slot after @now).
 *
 * Returns: (transfer full): an `aa{sv}`, or %NULL with
 *   %LERS_ERROR_NOT_FOUND if there is no such point
 *
 * Since: 0.4
 */
GVariant *
lers_poll_queue_list_schedules_sync (LersPollQueue *self, gint64 point_id, GDateTime *now,
                                     GCancellable *cancellable, GError **error)
{
  LersScheduleData data = { .point_id = point_id, .now = now };

  g_return_val_if_fail (LERS_IS_POLL_QUEUE (self), NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (!lers_poll_queue_run (self, lers_poll_plan_list_run, &data, cancellable, error))
    {
      g_prefix_error (error, _ ("Could not list the schedules of point %" PRId64 ": "), point_id);
      return NULL;
    }
  return data.result;
}
