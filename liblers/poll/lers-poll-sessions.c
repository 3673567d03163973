/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "config.h"

#include <glib/gi18n-lib.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "lers-error.h"
#include "poll/lers-poll-queue-private.h"

/* Link sessions (0006-poll-queue.sql's link_sessions) and the modem and
 * link statistics made of them. */

typedef struct
{
  LersLinkSession *session;
  gint64 connection_id;
  GDateTime *from;
  GDateTime *to;
  guint limit;
  const gchar *const *bounds; /* of get_traffic: 6 times */
  GPtrArray *list;
  GVariant *result;
} LersSessionsData;

static gchar *
lers_poll_sessions_time (GDateTime *dt)
{
  return dt != NULL ? g_date_time_format_iso8601 (dt) : NULL;
}

static gboolean
lers_poll_sessions_record_run (LersStoreConn *conn, gpointer user_data, GError **error)
{
  LersSessionsData *data = user_data;
  LersLinkSession *s = data->session;
  g_autofree gchar *connection_id
      = g_strdup_printf ("%" G_GINT64_FORMAT, lers_link_session_get_connection_id (s));
  g_autofree gchar *service_id = NULL;
  g_autofree gchar *started = lers_poll_sessions_time (lers_link_session_get_started (s));
  g_autofree gchar *ended = lers_poll_sessions_time (lers_link_session_get_ended (s));
  g_autofree gchar *bytes_in
      = g_strdup_printf ("%" G_GUINT64_FORMAT, lers_link_session_get_bytes_in (s));
  g_autofree gchar *bytes_out
      = g_strdup_printf ("%" G_GUINT64_FORMAT, lers_link_session_get_bytes_out (s));
  g_autofree gchar *signal = NULL;
  const gchar *values[12];
  g_autoptr (PGresult) res = NULL;

  if (lers_link_session_get_service_id (s) > 0)
    service_id = g_strdup_printf ("%" G_GINT64_FORMAT, lers_link_session_get_service_id (s));
  if (lers_link_session_get_signal_level (s) != 0)
    signal = g_strdup_printf ("%d", lers_link_session_get_signal_level (s));
  values[0] = connection_id;
  values[1] = service_id;
  values[2] = started;
  values[3] = ended;
  values[4] = bytes_in;
  values[5] = bytes_out;
  values[6] = lers_link_session_get_end_reason (s);
  values[7] = lers_link_session_get_error (s);
  values[8] = signal;
  values[9] = lers_link_session_get_firmware (s);
  values[10] = lers_link_session_get_sim_id (s);
  values[11] = lers_link_session_get_modem_identity (s);
  res = lers_store_exec (conn,
                         "INSERT INTO link_sessions (connection_id, service_id, started_at,"
                         " ended_at, bytes_in, bytes_out, end_reason, error, signal_level,"
                         " firmware, sim_id, modem_identity)"
                         " SELECT c.id, $2::int8, $3::timestamptz, $4::timestamptz, $5::int8,"
                         " $6::int8, $7, $8, $9::int2, $10, $11, $12"
                         "   FROM connections c WHERE c.id = $1::int8"
                         " RETURNING id",
                         12, values, error);
  if (res == NULL)
    return FALSE;
  if (PQntuples (res) == 0)
    {
      g_set_error (error, LERS_ERROR, LERS_ERROR_NOT_FOUND, _ ("There is no %s with id %s"),
                   _ ("connection"), connection_id);
      return FALSE;
    }
  g_object_set (s, "id", (gint64) g_ascii_strtoll (PQgetvalue (res, 0, 0), NULL, 10), NULL);
  return TRUE;
}

/**
 * lers_poll_queue_record_session_sync:
 * @self: a queue
 * @session: a session that has ended
 * @cancellable: (nullable): a #GCancellable
 * @error: return location for a #GError
 *
 * Stores one session on a link (a TCP connection, a modem call, a GPRS
 * modem's visit) for the modem and link statistics, and sets its
 * #LersLinkSession:id. A session that has not ended, ends before it
 * starts, or has no end reason is refused with
 * %LERS_ERROR_INVALID_ARGUMENT; one on a connection that does not exist
 * with %LERS_ERROR_NOT_FOUND.
 *
 * Returns: %TRUE on success
 *
 * Since: 0.4
 */
gboolean
lers_poll_queue_record_session_sync (LersPollQueue *self, LersLinkSession *session,
                                     GCancellable *cancellable, GError **error)
{
  LersSessionsData data = { 0 };
  GDateTime *started, *ended;
  const gchar *reason;

  g_return_val_if_fail (LERS_IS_POLL_QUEUE (self), FALSE);
  g_return_val_if_fail (LERS_IS_LINK_SESSION (session), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  started = lers_link_session_get_started (session);
  ended = lers_link_session_get_ended (session);
  reason = lers_link_session_get_end_reason (session);
  if (started == NULL || ended == NULL)
    {
      g_set_error (error, LERS_ERROR, LERS_ERROR_INVALID_ARGUMENT,
                   _ ("A link session is stored once it has ended"));
      return FALSE;
    }
  if (g_date_time_compare (ended, started) < 0)
    {
      g_set_error (error, LERS_ERROR, LERS_ERROR_INVALID_ARGUMENT,
                   _ ("A link session cannot end before it starts"));
      return FALSE;
    }
  if (reason == NULL || reason[0] == '\0')
    {
      g_set_error (error, LERS_ERROR, LERS_ERROR_INVALID_ARGUMENT,
                   _ ("A link session needs the reason it ended"));
      return FALSE;
    }
  if (lers_link_session_get_bytes_in (session) > G_MAXINT64
      || lers_link_session_get_bytes_out (session) > G_MAXINT64)
    {
      g_set_error (error, LERS_ERROR, LERS_ERROR_INVALID_ARGUMENT,
                   _ ("A link session's byte count is out of range"));
      return FALSE;
    }
  if (lers_link_session_get_signal_level (session) < G_MININT16
      || lers_link_session_get_signal_level (session) > G_MAXINT16)
    {
      g_set_error (error, LERS_ERROR, LERS_ERROR_INVALID_ARGUMENT,
                   _ ("Signal level %d dBm is out of range"),
                   lers_link_session_get_signal_level (session));
      return FALSE;
    }
  data.session = session;
  if (!lers_poll_queue_run (self, lers_poll_sessions_record_run, &data, cancellable, error))
    {
      g_prefix_error (error, _ ("Could not store a session of link %" PRId64 ": "),
                      lers_link_session_get_connection_id (session));
      return FALSE;
    }
  return TRUE;
}

static GDateTime *
lers_poll_sessions_datetime (PGresult *res, gint row, gint col)
{
  if (PQgetisnull (res, row, col))
    return NULL;
  return lers_store_datetime_from_unix_us (g_ascii_strtoll (PQgetvalue (res, row, col), NULL, 10));
}

static const gchar *
lers_poll_sessions_text (PGresult *res, gint row, gint col)
{
  return PQgetisnull (res, row, col) ? NULL : PQgetvalue (res, row, col);
}

static gboolean
lers_poll_sessions_list_run (LersStoreConn *conn, gpointer user_data, GError **error)
{
  LersSessionsData *data = user_data;
  g_autofree gchar *connection_id = g_strdup_printf ("%" G_GINT64_FORMAT, data->connection_id);
  g_autofree gchar *from = lers_poll_sessions_time (data->from);
  g_autofree gchar *to = lers_poll_sessions_time (data->to);
  g_autofree gchar *limit = data->limit > 0 ? g_strdup_printf ("%u", data->limit) : NULL;
  const gchar *values[] = { connection_id, from, to, limit };
  g_autoptr (PGresult) res = NULL;
  g_autoptr (GPtrArray) list = g_ptr_array_new_with_free_func (g_object_unref);

  res = lers_store_exec (
      conn,
      "SELECT id, connection_id, coalesce(service_id, 0),"
      " (extract(epoch FROM started_at) * 1000000)::int8,"
      " (extract(epoch FROM ended_at) * 1000000)::int8, bytes_in, bytes_out, end_reason, error,"
      " coalesce(signal_level, 0), firmware, sim_id, modem_identity"
      "  FROM link_sessions"
      " WHERE ($1::int8 = 0 OR connection_id = $1::int8)"
      "   AND ($2::timestamptz IS NULL OR started_at >= $2::timestamptz)"
      "   AND ($3::timestamptz IS NULL OR started_at < $3::timestamptz)"
      " ORDER BY started_at DESC, id DESC LIMIT $4::int8",
      4, values, error);
  if (res == NULL)
    return FALSE;
  for (gint i = 0; i < PQntuples (res); i++)
    {
      g_autoptr (GDateTime) started = lers_poll_sessions_datetime (res, i, 3);
      g_autoptr (GDateTime) ended = lers_poll_sessions_datetime (res, i, 4);
      LersLinkSession *s
          = lers_link_session_new (g_ascii_strtoll (PQgetvalue (res, i, 1), NULL, 10), started);

      g_object_set (s, "id", (gint64) g_ascii_strtoll (PQgetvalue (res, i, 0), NULL, 10), NULL);
      lers_link_session_set_service_id (s, g_ascii_strtoll (PQgetvalue (res, i, 2), NULL, 10));
      lers_link_session_set_ended (s, ended);
      lers_link_session_set_bytes (s, g_ascii_strtoull (PQgetvalue (res, i, 5), NULL, 10),
                                   g_ascii_strtoull (PQgetvalue (res, i, 6), NULL, 10));
      lers_link_session_set_end_reason (s, PQgetvalue (res, i, 7));
      lers_link_session_set_error (s, lers_poll_sessions_text (res, i, 8));
      lers_link_session_set_signal_level (s, atoi (PQgetvalue (res, i, 9)));
      lers_link_session_set_firmware (s, lers_poll_sessions_text (res, i, 10));
      lers_link_session_set_sim_id (s, lers_poll_sessions_text (res, i, 11));
      lers_link_session_set_modem_identity (s, lers_poll_sessions_text (res, i, 12));
      g_ptr_array_add (list, s);
    }
  data->list = g_steal_pointer (&list);
  return TRUE;
}

/**
 * lers_poll_queue_list_sessions_sync:
 * @self: a queue
 * @connection_id: the connection (link) whose sessions to list; 0 for all
 * @from: (nullable): list sessions that started at or after this
 * @to: (nullable): list sessions that started before this
 * @limit: at most this many; 0 for all
 * @cancellable: (nullable): a #GCancellable
 * @error: return location for a #GError
 *
 * Lists stored link sessions, the newest first.
 *
 * Returns: (transfer container) (element-type Lers.LinkSession): the
 *   sessions, or %NULL on error
 *
 * Since: 0.4
 */
GPtrArray *
lers_poll_queue_list_sessions_sync (LersPollQueue *self, gint64 connection_id, GDateTime *from,
                                    GDateTime *to, guint limit, GCancellable *cancellable,
                                    GError **error)
{
  LersSessionsData data = { 0 };

  g_return_val_if_fail (LERS_IS_POLL_QUEUE (self), NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  data.connection_id = connection_id;
  data.from = from;
  data.to = to;
  data.limit = limit;
  if (!lers_poll_queue_run (self, lers_poll_sessions_list_run, &data, cancellable, error))
    {
      g_prefix_error (error, _ ("Could not list link sessions: "));
      return NULL;
    }
  return data.list;
}

/* The five figures of sessions that started in [$lo, $hi). */
// clang-format off
#define LERS_TRAFFIC_PERIOD(lo, hi)                                                                \
  " count(*) FILTER (WHERE s.started_at >= $" lo "::timestamptz"                                  \
  "   AND s.started_at < $" hi "::timestamptz),"                                                   \
  " count(*) FILTER (WHERE s.started_at >= $" lo "::timestamptz"                                  \
  "   AND s.started_at < $" hi "::timestamptz AND s.end_reason <> 'done'),"                        \
  " coalesce(floor(extract(epoch FROM sum(s.ended_at - s.started_at) FILTER ("                     \
  "   WHERE s.started_at >= $" lo "::timestamptz AND s.started_at < $" hi "::timestamptz))),"     \
  "   0)::int8,"                                                                                   \
  " coalesce(sum(s.bytes_in) FILTER (WHERE s.started_at >= $" lo "::timestamptz"                  \
  "   AND s.started_at < $" hi "::timestamptz), 0)::int8,"                                         \
  " coalesce(sum(s.bytes_out) FILTER (WHERE s.started_at >= $" lo "::timestamptz"                 \
  "   AND s.started_at < $" hi "::timestamptz), 0)::int8"

/* The newest session of connection c that reported @col. */
#define LERS_TRAFFIC_NEWEST(col)                                                                   \
  " (SELECT n." col " FROM link_sessions n WHERE n.connection_id = c.id AND n." col " IS NOT NULL" \
  "   ORDER BY n.started_at DESC, n.id DESC LIMIT 1)"

static const gchar traffic_sql[] =
  "SELECT c.id, coalesce(nullif(c.identity, ''), " LERS_TRAFFIC_NEWEST ("modem_identity") ", ''),"
  " CASE c.kind WHEN 0 THEN 'tcp:' || coalesce(c.host, '') || ':' || c.port"
  "   WHEN 2 THEN coalesce(c.serial_port, '')"
  "   WHEN 3 THEN coalesce(c.phone_number, c.serial_port, '') ELSE '' END,"
  " " LERS_TRAFFIC_NEWEST ("signal_level") ", " LERS_TRAFFIC_NEWEST ("firmware") ","
  " " LERS_TRAFFIC_NEWEST ("sim_id") ","
  LERS_TRAFFIC_PERIOD ("3", "4") "," /* today */
  LERS_TRAFFIC_PERIOD ("2", "3") "," /* yesterday */
  LERS_TRAFFIC_PERIOD ("6", "7") "," /* this month */
  LERS_TRAFFIC_PERIOD ("5", "6")     /* last month */
  "  FROM connections c JOIN link_sessions s ON s.connection_id = c.id"
  " WHERE $1::int8 = 0 OR c.id = $1::int8"
  " GROUP BY c.id ORDER BY c.id";
// clang-format on

static void
lers_poll_sessions_add_period (GVariantBuilder *builder, const gchar *name, PGresult *res, gint row,
                               gint col)
{
  GVariantBuilder period;

  g_variant_builder_init (&period, G_VARIANT_TYPE ("a{sv}"));
  g_variant_builder_add (&period, "{sv}", "sessions",
                         g_variant_new_uint32 ((guint32) atol (PQgetvalue (res, row, col))));
  g_variant_builder_add (&period, "{sv}", "failed",
                         g_variant_new_uint32 ((guint32) atol (PQgetvalue (res, row, col + 1))));
  g_variant_builder_add (
      &period, "{sv}", "seconds",
      g_variant_new_int64 (g_ascii_strtoll (PQgetvalue (res, row, col + 2), NULL, 10)));
  g_variant_builder_add (
      &period, "{sv}", "bytes_in",
      g_variant_new_uint64 (g_ascii_strtoull (PQgetvalue (res, row, col + 3), NULL, 10)));
  g_variant_builder_add (
      &period, "{sv}", "bytes_out",
      g_variant_new_uint64 (g_ascii_strtoull (PQgetvalue (res, row, col + 4), NULL, 10)));
  g_variant_builder_add (builder, "{sv}", name, g_variant_builder_end (&period));
}

static gboolean
lers_poll_sessions_traffic_run (LersStoreConn *conn, gpointer user_data, GError **error)
{
  static const gchar *const periods[] = { "today", "yesterday", "this_month", "last_month" };
  LersSessionsData *data = user_data;
  g_autofree gchar *connection_id = g_strdup_printf ("%" G_GINT64_FORMAT, data->connection_id);
  const gchar *values[7];
  g_autoptr (PGresult) res = NULL;
  GVariantBuilder builder;

  values[0] = connection_id;
  for (guint i = 0; i < 6; i++)
    values[i + 1] = data->bounds[i];
  res = lers_store_exec (conn, traffic_sql, 7, values, error);
  if (res == NULL)
    return FALSE;
  g_variant_builder_init (&builder, G_VARIANT_TYPE ("aa{sv}"));
  for (gint i = 0; i < PQntuples (res); i++)
    {
      g_variant_builder_open (&builder, G_VARIANT_TYPE ("a{sv}"));
      g_variant_builder_add (
          &builder, "{sv}", "connection_id",
          g_variant_new_int64 (g_ascii_strtoll (PQgetvalue (res, i, 0), NULL, 10)));
      g_variant_builder_add (&builder, "{sv}", "identity",
                             g_variant_new_string (PQgetvalue (res, i, 1)));
      g_variant_builder_add (&builder, "{sv}", "address",
                             g_variant_new_string (PQgetvalue (res, i, 2)));
      if (!PQgetisnull (res, i, 3))
        g_variant_builder_add (&builder, "{sv}", "last_signal_level",
                               g_variant_new_int32 (atoi (PQgetvalue (res, i, 3))));
      if (!PQgetisnull (res, i, 4))
        g_variant_builder_add (&builder, "{sv}", "firmware",
                               g_variant_new_string (PQgetvalue (res, i, 4)));
      if (!PQgetisnull (res, i, 5))
        g_variant_builder_add (&builder, "{sv}", "sim_id",
                               g_variant_new_string (PQgetvalue (res, i, 5)));
      for (guint p = 0; p < G_N_ELEMENTS (periods); p++)
        lers_poll_sessions_add_period (&builder, periods[p], res, i, 6 + 5 * p);
      g_variant_builder_close (&builder);
    }
  data->result = g_variant_ref_sink (g_variant_builder_end (&builder));
  return TRUE;
}

/**
 * lers_poll_queue_get_traffic_sync:
 * @self: a queue
 * @connection_id: the connection (a modem, a gateway) whose figures to
 *   read; 0 for every connection that has sessions
 * @zone: (nullable): the zone whose calendar the periods follow; %NULL for
 *   the server's
 * @now: (nullable): the time the periods are counted at; %NULL for now
 * @cancellable: (nullable): a #GCancellable
 * @error: return location for a #GError
 *
 * Sums up the stored link sessions per connection: the modem and link
 * statistics. Each entry holds `connection_id` (x), `identity` (s: the
 * connection's, or what the modem last called itself), `address` (s:
 * `tcp:HOST:PORT`, the serial line or the phone number), from the newest
 * session that reported them `last_signal_level` (i, dBm), `firmware` (s)
 * and `sim_id` (s) when any did, and for each of `today`, `yesterday`,
 * `this_month` and `last_month` (calendar periods in @zone at @now; a
 * session counts in the period it started in) an `a{sv}` of `sessions`
 * (u), `failed` (u: ended for any reason but `done`), `seconds` (x: their
 * durations summed), `bytes_in` (t) and `bytes_out` (t).
 *
 * Returns: (transfer full): an `aa{sv}`, one entry a connection with
 *   sessions, by connection id; %NULL on error
 *
 * Since: 0.4
 */
GVariant *
lers_poll_queue_get_traffic_sync (LersPollQueue *self, gint64 connection_id, GTimeZone *zone,
                                  GDateTime *now, GCancellable *cancellable, GError **error)
{
  LersSessionsData data = { 0 };
  g_autoptr (GTimeZone) local = NULL;
  g_autoptr (GDateTime) clock = NULL;
  g_autoptr (GDateTime) here = NULL;
  g_autoptr (GDateTime) today = NULL;
  GDateTime *marks[6];
  gchar *bounds[6];

  g_return_val_if_fail (LERS_IS_POLL_QUEUE (self), NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (zone == NULL)
    zone = local = g_time_zone_new_local ();
  if (now == NULL)
    now = clock = g_date_time_new_now_utc ();
  here = g_date_time_to_timezone (now, zone);
  today = g_date_time_new (zone, g_date_time_get_year (here), g_date_time_get_month (here),
                           g_date_time_get_day_of_month (here), 0, 0, 0);
  /* yesterday, today, tomorrow, last month, this month, next month */
  marks[0] = g_date_time_add_days (today, -1);
  marks[1] = g_date_time_ref (today);
  marks[2] = g_date_time_add_days (today, 1);
  marks[4] = g_date_time_new (zone, g_date_time_get_year (here), g_date_time_get_month (here), 1, 0,
                              0, 0);
  marks[3] = g_date_time_add_months (marks[4], -1);
  marks[5] = g_date_time_add_months (marks[4], 1);
  for (guint i = 0; i < 6; i++)
    {
      bounds[i] = g_date_time_format_iso8601 (marks[i]);
      g_date_time_unref (marks[i]);
    }
  data.connection_id = connection_id;
  data.bounds = (const gchar *const *) bounds;
  if (!lers_poll_queue_run (self, lers_poll_sessions_traffic_run, &data, cancellable, error))
    g_prefix_error (error, _ ("Could not sum up link sessions: "));
  for (guint i = 0; i < 6; i++)
    g_free (bounds[i]);
  return data.result;
}
