/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "config.h"

#include <errno.h>
#include <glib/gi18n-lib.h>
#include <inttypes.h>
#include <stdlib.h>
#include <sys/random.h>
#include <unistd.h>

#include "lers-enum-types.h"
#include "lers-error.h"
#include "poll/lers-poll-queue-private.h"

/* LersPollQueue: polling services, their heartbeat, the status of services,
 * ports and links (0006-poll-queue.sql). Tokens are compared by their
 * SHA-256 in SQL, and never logged or put in a message. */

#define SERVICE_SELECT "SELECT " LERS_POLL_SERVICE_COLUMNS

static gboolean
lers_poll_queue_check_name (const gchar *name, GError **error)
{
  if (name == NULL || name[0] == '\0' || !g_utf8_validate (name, -1, NULL))
    {
      g_set_error_literal (error, LERS_ERROR, LERS_ERROR_INVALID_ARGUMENT,
                           _ ("A polling service needs a name"));
      return FALSE;
    }
  return TRUE;
}

static gboolean
lers_poll_queue_check_token (const gchar *token, GError **error)
{
  if (token == NULL || token[0] == '\0' || !g_utf8_validate (token, -1, NULL))
    {
      g_set_error_literal (error, LERS_ERROR, LERS_ERROR_INVALID_ARGUMENT,
                           _ ("A polling service needs a token"));
      return FALSE;
    }
  return TRUE;
}

/* 32 random bytes as base64url without padding (43 characters) */
static gchar *
lers_poll_queue_new_token (GError **error)
{
  guint8 bytes[32];
  gsize done = 0;
  gchar *token;

  while (done < sizeof bytes)
    {
      ssize_t n = getrandom (bytes + done, sizeof bytes - done, 0);
      if (n < 0)
        {
          if (errno == EINTR)
            continue;
          g_set_error (error, LERS_ERROR, LERS_ERROR_FAILED, _ ("Could not make a token: %s"),
                       g_strerror (errno));
          return NULL;
        }
      done += (gsize) n;
    }
  token = g_base64_encode (bytes, sizeof bytes);
  for (gchar *p = token; *p != '\0'; p++)
    {
      if (*p == '+')
        *p = '-';
      else if (*p == '/')
        *p = '_';
      else if (*p == '=')
        {
          *p = '\0';
          break;
        }
    }
  return token;
}

typedef struct
{
  const gchar *name;
  const gchar *token;
  const gchar *host;
  const gchar *version;
  guint max_links;
  gboolean authorise;
  gint64 service_id;
  guint lease_seconds;
  LersPollService *service;
  GPtrArray *services;
  GVariant *result;
  const gint64 *held;
  guint n_held;
  GArray *lost;
} ServiceData;

static gboolean
register_func (LersStoreConn *conn, gpointer user_data, GError **error)
{
  ServiceData *data = user_data;
  g_autofree gchar *pid = g_strdup_printf ("%d", (gint) getpid ());
  g_autofree gchar *max_links = g_strdup_printf ("%u", data->max_links);
  /* the token's hash, never the token, goes to the server (and its log) */
  g_autofree gchar *token_hash = g_compute_checksum_for_string (G_CHECKSUM_SHA256, data->token, -1);
  const gchar *params[]
      = { data->name, token_hash, data->authorise ? "t" : "f", data->host, data->version,
          pid,        max_links };
  g_autoptr (PGresult) res = lers_store_exec (
      conn,
      "WITH s AS (INSERT INTO poll_services AS s (name, token_hash, authorised, authorised_at,"
      "  host, version, pid, max_links, started_at, heartbeat_at)"
      " VALUES ($1, " LERS_POLL_SQL_TOKEN (
          "$2") ", $3::boolean,"
                "  CASE WHEN $3::boolean THEN now() END, $4, $5, $6::integer, $7::integer, now(), "
                "now())"
                " ON CONFLICT (name) DO UPDATE SET host = EXCLUDED.host, version = "
                "EXCLUDED.version,"
                "  pid = EXCLUDED.pid, max_links = EXCLUDED.max_links, started_at = now(),"
                "  heartbeat_at = now(), stopped_at = NULL"
                " WHERE s.token_hash = EXCLUDED.token_hash RETURNING *) " SERVICE_SELECT " FROM s",
      7, params, error);

  if (res == NULL)
    return FALSE;
  if (PQntuples (res) == 0)
    {
      g_set_error (error, LERS_ERROR, LERS_ERROR_PERMISSION_DENIED,
                   _ ("A polling service named “%s” is registered with another token"), data->name);
      return FALSE;
    }
  data->service = lers_poll_queue_object_from_row (LERS_TYPE_POLL_SERVICE, res, 0);
  return TRUE;
}

/**
 * lers_poll_queue_register_service_sync:
 * @self: a queue
 * @name: the service's unique name
 * @token: the service's secret token
 * @host: (nullable): the host it runs on
 * @version: (nullable): the LERS version it runs
 * @max_links: how many links it reads at once
 * @authorise: whether a service new to the database is authorised at once
 *   (an all-in-one lersd); an existing one keeps its authorisation
 * @cancellable: (nullable): a #GCancellable
 * @error: return location for a #GError
 *
 * Registers a polling service as it starts: adds it, or updates its host,
 * version, process id, links, start and heartbeat if @token is the one it
 * was added with. A name taken with another token is
 * %LERS_ERROR_PERMISSION_DENIED. A service that is not authorised is
 * registered but may not claim jobs until an administrator authorises it
 * (lers_poll_queue_authorise_service_sync()).
 *
 * Returns: (transfer full): the service; %NULL on error
 *
 * Since: 0.4
 */
LersPollService *
lers_poll_queue_register_service_sync (LersPollQueue *self, const gchar *name, const gchar *token,
                                       const gchar *host, const gchar *version, guint max_links,
                                       gboolean authorise, GCancellable *cancellable,
                                       GError **error)
{
  ServiceData data = { .name = name,
                       .token = token,
                       .host = host,
                       .version = version,
                       .max_links = MIN (max_links, G_MAXINT32),
                       .authorise = authorise };

  g_return_val_if_fail (LERS_IS_POLL_QUEUE (self), NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);
  if (!lers_poll_queue_check_name (name, error) || !lers_poll_queue_check_token (token, error))
    return NULL;
  if (!lers_poll_queue_run (self, register_func, &data, cancellable, error))
    return NULL;
  return data.service;
}

static gboolean
add_func (LersStoreConn *conn, gpointer user_data, GError **error)
{
  ServiceData *data = user_data;
  /* the token's hash, never the token, goes to the server (and its log) */
  g_autofree gchar *token_hash = g_compute_checksum_for_string (G_CHECKSUM_SHA256, data->token, -1);
  const gchar *params[] = { data->name, token_hash };
  g_autoptr (PGresult) res = lers_store_exec (
      conn,
      "WITH s AS (INSERT INTO poll_services (name, token_hash, authorised, authorised_at)"
      " VALUES ($1, " LERS_POLL_SQL_TOKEN (
          "$2") ", true, now())"
                " ON CONFLICT (name) DO NOTHING RETURNING *) " SERVICE_SELECT " FROM s",
      2, params, error);

  if (res == NULL)
    return FALSE;
  if (PQntuples (res) == 0)
    {
      g_set_error (error, LERS_ERROR, LERS_ERROR_INVALID_ARGUMENT,
                   _ ("A polling service named “%s” exists already"), data->name);
      return FALSE;
    }
  data->service = lers_poll_queue_object_from_row (LERS_TYPE_POLL_SERVICE, res, 0);
  return TRUE;
}

/**
 * lers_poll_queue_add_service_sync:
 * @self: a queue
 * @name: the new service's unique name
 * @token: (out) (transfer full) (optional): its token, shown only this once
 * @cancellable: (nullable): a #GCancellable
 * @error: return location for a #GError
 *
 * Adds an authorised polling service with a fresh random token (32 bytes,
 * base64url), as an administrator does before starting `lersd
 * --role=poller` elsewhere with that token. Only the token's hash is
 * stored: it cannot be shown again. A name taken is
 * %LERS_ERROR_INVALID_ARGUMENT.
 *
 * Returns: (transfer full): the service; %NULL on error
 *
 * Since: 0.4
 */
LersPollService *
lers_poll_queue_add_service_sync (LersPollQueue *self, const gchar *name, gchar **token,
                                  GCancellable *cancellable, GError **error)
{
  g_autofree gchar *secret = NULL;
  ServiceData data = { .name = name };

  g_return_val_if_fail (LERS_IS_POLL_QUEUE (self), NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);
  if (!lers_poll_queue_check_name (name, error))
    return NULL;
  secret = lers_poll_queue_new_token (error);
  if (secret == NULL)
    return NULL;
  data.token = secret;
  if (!lers_poll_queue_run (self, add_func, &data, cancellable, error))
    return NULL;
  if (token != NULL)
    *token = g_steal_pointer (&secret);
  return data.service;
}

static gboolean
authorise_func (LersStoreConn *conn, gpointer user_data, GError **error)
{
  ServiceData *data = user_data;
  const gchar *params[] = { data->name, data->authorise ? "t" : "f" };
  g_autoptr (PGresult) res = NULL;
  g_autoptr (PGresult) links = NULL;

  if (!lers_store_exec_simple (conn, "BEGIN", error))
    return FALSE;
  res = lers_store_exec (conn,
                         "UPDATE poll_services SET authorised = $2::boolean,"
                         " authorised_at = CASE WHEN NOT $2::boolean THEN NULL"
                         "  WHEN authorised THEN authorised_at ELSE now() END"
                         " WHERE name = $1 RETURNING id",
                         2, params, error);
  if (res == NULL)
    return FALSE;
  if (PQntuples (res) == 0)
    {
      g_set_error (error, LERS_ERROR, LERS_ERROR_NOT_FOUND,
                   _ ("There is no polling service named “%s”"), data->name);
      return FALSE;
    }
  /* a service no longer authorised holds no link: others take them over */
  if (!data->authorise)
    {
      const gchar *lparams[] = { PQgetvalue (res, 0, 0) };
      links = lers_store_exec (conn,
                               "UPDATE poll_links SET lease_owner = NULL, lease_until = NULL"
                               " WHERE lease_owner = $1",
                               1, lparams, error);
      if (links == NULL)
        return FALSE;
    }
  return lers_store_exec_simple (conn, "COMMIT", error);
}

/**
 * lers_poll_queue_authorise_service_sync:
 * @self: a queue
 * @name: a service's name
 * @authorised: %TRUE to let it claim jobs, %FALSE to stop it
 * @cancellable: (nullable): a #GCancellable
 * @error: return location for a #GError
 *
 * Authorises a polling service, or withdraws its authorisation: then its
 * heartbeat and claims are refused and the links it held are free for
 * other services. An unknown name is %LERS_ERROR_NOT_FOUND.
 *
 * Returns: %TRUE on success
 *
 * Since: 0.4
 */
gboolean
lers_poll_queue_authorise_service_sync (LersPollQueue *self, const gchar *name, gboolean authorised,
                                        GCancellable *cancellable, GError **error)
{
  ServiceData data = { .name = name, .authorise = authorised };

  g_return_val_if_fail (LERS_IS_POLL_QUEUE (self), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);
  if (!lers_poll_queue_check_name (name, error))
    return FALSE;
  return lers_poll_queue_run (self, authorise_func, &data, cancellable, error);
}

static gboolean
delete_func (LersStoreConn *conn, gpointer user_data, GError **error)
{
  ServiceData *data = user_data;
  const gchar *params[] = { data->name };
  g_autoptr (PGresult) res
      = lers_store_exec (conn, "DELETE FROM poll_services WHERE name = $1", 1, params, error);

  if (res == NULL)
    return FALSE;
  if (g_strcmp0 (PQcmdTuples (res), "0") == 0)
    {
      g_set_error (error, LERS_ERROR, LERS_ERROR_NOT_FOUND,
                   _ ("There is no polling service named “%s”"), data->name);
      return FALSE;
    }
  return TRUE;
}

/**
 * lers_poll_queue_delete_service_sync:
 * @self: a queue
 * @name: a service's name
 * @cancellable: (nullable): a #GCancellable
 * @error: return location for a #GError
 *
 * Deletes a polling service; the links it held are free for others, its
 * jobs keep their history. An unknown name is %LERS_ERROR_NOT_FOUND.
 *
 * Returns: %TRUE on success
 *
 * Since: 0.4
 */
gboolean
lers_poll_queue_delete_service_sync (LersPollQueue *self, const gchar *name,
                                     GCancellable *cancellable, GError **error)
{
  ServiceData data = { .name = name };

  g_return_val_if_fail (LERS_IS_POLL_QUEUE (self), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);
  if (!lers_poll_queue_check_name (name, error))
    return FALSE;
  return lers_poll_queue_run (self, delete_func, &data, cancellable, error);
}

static gboolean
list_services_func (LersStoreConn *conn, gpointer user_data, GError **error)
{
  ServiceData *data = user_data;
  g_autoptr (PGresult) res = lers_store_exec (
      conn, SERVICE_SELECT " FROM poll_services s ORDER BY s.name", 0, NULL, error);

  if (res == NULL)
    return FALSE;
  data->services = lers_poll_queue_objects_from_result (LERS_TYPE_POLL_SERVICE, res);
  return TRUE;
}

/**
 * lers_poll_queue_list_services_sync:
 * @self: a queue
 * @cancellable: (nullable): a #GCancellable
 * @error: return location for a #GError
 *
 * Returns: (transfer container) (element-type LersPollService): every
 *   polling service, by name; %NULL on error
 *
 * Since: 0.4
 */
GPtrArray *
lers_poll_queue_list_services_sync (LersPollQueue *self, GCancellable *cancellable, GError **error)
{
  ServiceData data = { 0 };

  g_return_val_if_fail (LERS_IS_POLL_QUEUE (self), NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);
  if (!lers_poll_queue_run (self, list_services_func, &data, cancellable, error))
    return NULL;
  return data.services;
}

static gboolean
heartbeat_func (LersStoreConn *conn, gpointer user_data, GError **error)
{
  ServiceData *data = user_data;
  g_autofree gchar *id = g_strdup_printf ("%" G_GINT64_FORMAT, data->service_id);
  g_autofree gchar *lease = g_strdup_printf ("%u", data->lease_seconds);
  g_autoptr (GString) held = g_string_new ("{");
  g_autoptr (PGresult) res = NULL;

  for (guint i = 0; i < data->n_held; i++)
    g_string_append_printf (held, "%s%" G_GINT64_FORMAT, i > 0 ? "," : "", data->held[i]);
  g_string_append_c (held, '}');
  {
    /* the token's hash, never the token, goes to the server (and its log) */
    g_autofree gchar *token_hash
        = g_compute_checksum_for_string (G_CHECKSUM_SHA256, data->token, -1);
    const gchar *params[] = { id, token_hash, lease, held->str };
    /* Every listed link the service still owns gets a new lease, even one
     * run out (nobody took it: the service is still reading it); a link
     * it owns but did not list (a claim whose reply it never got) is
     * freed; the listed links it no longer owns are returned. */
    res = lers_store_exec (
        conn,
        "WITH s AS (UPDATE poll_services SET heartbeat_at = now(), stopped_at = NULL"
        "  WHERE id = $1::bigint AND authorised AND token_hash = " LERS_POLL_SQL_TOKEN (
            "$2") "  RETURNING id),"
                  " kept AS (UPDATE poll_links SET lease_until = now() + make_interval(secs => "
                  "$3::integer)"
                  "  WHERE lease_owner IN (SELECT id FROM s)"
                  "  AND connection_id = ANY ($4::bigint[]) RETURNING connection_id),"
                  " freed AS (UPDATE poll_links SET lease_owner = NULL, lease_until = NULL"
                  "  WHERE lease_owner IN (SELECT id FROM s)"
                  "  AND connection_id <> ALL ($4::bigint[]) RETURNING 1)"
                  " SELECT (SELECT count(*) FROM s), h.id FROM"
                  "  (SELECT DISTINCT unnest($4::bigint[]) AS id) AS h"
                  "  WHERE h.id NOT IN (SELECT connection_id FROM kept)"
                  " UNION ALL SELECT (SELECT count(*) FROM s), NULL ORDER BY 2 NULLS FIRST",
        4, params, error);
  }
  if (res == NULL)
    return FALSE;
  if (strcmp (PQgetvalue (res, 0, 0), "0") == 0)
    {
      g_set_error (
          error, LERS_ERROR, LERS_ERROR_PERMISSION_DENIED,
          _ ("Polling service %" PRId64 " is unknown, not authorised or presented another token"),
          data->service_id);
      return FALSE;
    }
  data->lost = g_array_new (FALSE, FALSE, sizeof (gint64));
  for (gint row = 1; row < PQntuples (res); row++)
    {
      gint64 link = g_ascii_strtoll (PQgetvalue (res, row, 1), NULL, 10);
      g_array_append_val (data->lost, link);
    }
  return TRUE;
}

/**
 * lers_poll_queue_heartbeat_sync:
 * @self: a queue
 * @service_id: the service's id
 * @token: its token
 * @lease_seconds: how long its leases last from now
 * @held: (array length=n_held) (nullable): the links (connection ids) the
 *   service is reading or about to read
 * @n_held: the length of @held
 * @cancellable: (nullable): a #GCancellable
 * @error: return location for a #GError
 *
 * Tells the queue the service is alive: its heartbeat is now, and the
 * leases of the links in @held that it still owns last @lease_seconds
 * more, even a lease that ran out (no other service took the link). A link
 * the service owns but does not list (a claim whose reply was lost) is
 * freed for any service to claim.
 *
 * A service that is unknown, not authorised or presents another token is
 * %LERS_ERROR_PERMISSION_DENIED.
 *
 * Returns: (transfer full) (element-type gint64): the links of @held the
 *   service no longer owns (taken over by another service, or freed): it
 *   must stop reading them; %NULL on error
 *
 * Since: 0.4
 */
GArray *
lers_poll_queue_heartbeat_sync (LersPollQueue *self, gint64 service_id, const gchar *token,
                                guint lease_seconds, const gint64 *held, guint n_held,
                                GCancellable *cancellable, GError **error)
{
  ServiceData data = { .service_id = service_id,
                       .token = token,
                       .lease_seconds = CLAMP (lease_seconds, 1, G_MAXINT32),
                       .held = held,
                       .n_held = held != NULL ? n_held : 0 };

  g_return_val_if_fail (LERS_IS_POLL_QUEUE (self), NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);
  if (!lers_poll_queue_check_token (token, error))
    return NULL;
  if (!lers_poll_queue_run (self, heartbeat_func, &data, cancellable, error))
    {
      g_clear_pointer (&data.lost, g_array_unref);
      return NULL;
    }
  return data.lost;
}

static gboolean
stop_func (LersStoreConn *conn, gpointer user_data, GError **error)
{
  ServiceData *data = user_data;
  g_autofree gchar *id = g_strdup_printf ("%" G_GINT64_FORMAT, data->service_id);
  /* the token's hash, never the token, goes to the server (and its log) */
  g_autofree gchar *token_hash = g_compute_checksum_for_string (G_CHECKSUM_SHA256, data->token, -1);
  const gchar *params[] = { id, token_hash };
  g_autoptr (PGresult) res = lers_store_exec (
      conn,
      "WITH s AS (UPDATE poll_services SET stopped_at = greatest(now(), heartbeat_at)"
      "  WHERE id = $1::bigint AND token_hash = " LERS_POLL_SQL_TOKEN (
          "$2") " RETURNING id),"
                " l AS (UPDATE poll_links SET lease_owner = NULL, lease_until = NULL"
                "  WHERE lease_owner IN (SELECT id FROM s) RETURNING 1)"
                " SELECT (SELECT count(*) FROM s), (SELECT count(*) FROM l)",
      2, params, error);

  if (res == NULL)
    return FALSE;
  if (strcmp (PQgetvalue (res, 0, 0), "0") == 0)
    {
      g_set_error (error, LERS_ERROR, LERS_ERROR_PERMISSION_DENIED,
                   _ ("Polling service %" PRId64 " is unknown or presented another token"),
                   data->service_id);
      return FALSE;
    }
  return TRUE;
}

/**
 * lers_poll_queue_stop_service_sync:
 * @self: a queue
 * @service_id: the service's id
 * @token: its token
 * @cancellable: (nullable): a #GCancellable
 * @error: return location for a #GError
 *
 * Records that the service stopped cleanly and frees the links it held
 * (a job it left running is taken over by the next claim of its link).
 *
 * Returns: %TRUE on success
 *
 * Since: 0.4
 */
gboolean
lers_poll_queue_stop_service_sync (LersPollQueue *self, gint64 service_id, const gchar *token,
                                   GCancellable *cancellable, GError **error)
{
  ServiceData data = { .service_id = service_id, .token = token };

  g_return_val_if_fail (LERS_IS_POLL_QUEUE (self), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);
  if (!lers_poll_queue_check_token (token, error))
    return FALSE;
  return lers_poll_queue_run (self, stop_func, &data, cancellable, error);
}

/* ---- status -------------------------------------------------------------- */

/* A service counts as running while authorised, not stopped since its last
 * heartbeat, and heard from within the lease ($1 seconds). */
#define RUNNING_SERVICE                                                                            \
  "s.authorised AND s.heartbeat_at >= now() - make_interval(secs => $1::integer)"                  \
  " AND (s.stopped_at IS NULL OR s.stopped_at < s.heartbeat_at)"

/* Connections that have measure points */
#define POLLED_CONNECTIONS                                                                         \
  "SELECT c.id FROM connections c WHERE EXISTS (SELECT 1 FROM devices d"                           \
  " JOIN measure_points p ON p.device_id = d.id WHERE d.connection_id = c.id)"

static gboolean
status_func (LersStoreConn *conn, gpointer user_data, GError **error)
{
  static const gchar *const names[]
      = { "services",     "services_running", "services_pending", "ports_total",       "ports_busy",
          "links_total",  "links_active",     "links_blocked",    "jobs_queued",       "jobs_due",
          "jobs_running", "jobs_done_24h",    "jobs_failed_24h",  "oldest_due_seconds" };
  ServiceData *data = user_data;
  g_autofree gchar *lease = g_strdup_printf ("%u", data->lease_seconds);
  const gchar *params[] = { lease };
  g_autoptr (PGresult) res = lers_store_exec (
      conn,
      "WITH rs AS (SELECT s.id, s.max_links FROM poll_services s WHERE " RUNNING_SERVICE "),"
      " pc AS (" POLLED_CONNECTIONS "),"
      " pl AS (SELECT l.*, (l.lease_owner IS NOT NULL AND l.lease_until > now()) AS active,"
      "   (l.blocked_until > now()) AS blocked"
      "  FROM poll_links l JOIN pc ON pc.id = l.connection_id)"
      " SELECT (SELECT count(*) FROM poll_services),"
      "  (SELECT count(*) FROM rs),"
      "  (SELECT count(*) FROM poll_services WHERE NOT authorised),"
      "  (SELECT coalesce(sum(max_links), 0) FROM rs),"
      "  (SELECT count(*) FROM poll_links l WHERE l.lease_until > now()"
      "    AND l.lease_owner IN (SELECT id FROM rs)),"
      "  (SELECT count(*) FROM pc),"
      "  (SELECT count(*) FROM pl WHERE active),"
      "  (SELECT count(*) FROM pl WHERE blocked AND NOT active),"
      "  (SELECT count(*) FROM poll_jobs WHERE state = 0),"
      "  (SELECT count(*) FROM poll_jobs WHERE state = 0 AND due_at <= now()),"
      "  (SELECT count(*) FROM poll_jobs WHERE state = 1),"
      "  (SELECT count(*) FROM poll_jobs WHERE state = 2"
      "    AND finished_at > now() - interval '24 hours'),"
      "  (SELECT count(*) FROM poll_jobs WHERE state = 3"
      "    AND finished_at > now() - interval '24 hours'),"
      "  (SELECT coalesce(floor(extract(epoch FROM now() - min(due_at))), 0)::bigint"
      "    FROM poll_jobs WHERE state = 0 AND due_at <= now())",
      1, params, error);
  g_auto (GVariantDict) dict = G_VARIANT_DICT_INIT (NULL);
  guint64 v[G_N_ELEMENTS (names)];

  if (res == NULL)
    return FALSE;
  for (guint i = 0; i < G_N_ELEMENTS (names); i++)
    v[i] = g_ascii_strtoull (PQgetvalue (res, 0, (gint) i), NULL, 10);
  for (guint i = 0; i < 5; i++)
    g_variant_dict_insert (&dict, names[i], "u", (guint32) v[i]);
  g_variant_dict_insert (&dict, "ports_free", "u", (guint32) (v[3] > v[4] ? v[3] - v[4] : 0));
  for (guint i = 5; i < 8; i++)
    g_variant_dict_insert (&dict, names[i], "u", (guint32) v[i]);
  g_variant_dict_insert (&dict, "links_free", "u",
                         (guint32) (v[5] > v[6] + v[7] ? v[5] - v[6] - v[7] : 0));
  for (guint i = 8; i < 13; i++)
    g_variant_dict_insert (&dict, names[i], "u", (guint32) v[i]);
  g_variant_dict_insert (&dict, names[13], "x",
                         (gint64) g_ascii_strtoll (PQgetvalue (res, 0, 13), NULL, 10));
  data->result = g_variant_ref_sink (g_variant_dict_end (&dict));
  return TRUE;
}

/**
 * lers_poll_queue_get_status_sync:
 * @self: a queue
 * @lease_seconds: how long a heartbeat keeps a service running
 * @cancellable: (nullable): a #GCancellable
 * @error: return location for a #GError
 *
 * Counts what the status bar, `lers poll status` and the metrics show, as
 * an `a{sv}` of `u` values: `services`, `services_running` (heard from
 * within @lease_seconds), `services_pending` (not authorised),
 * `ports_total` (the links the running services read at once),
 * `ports_busy` (links leased to them), `ports_free`; `links_total`
 * (connections with measure points), `links_active` (leased now),
 * `links_blocked` (in back-off after failed sessions), `links_free`;
 * `jobs_queued`, `jobs_due` (queued and due now), `jobs_running`,
 * `jobs_done_24h`, `jobs_failed_24h`; and `oldest_due_seconds` (`x`): how
 * late the longest-waiting due job is, 0 when none waits.
 *
 * Returns: (transfer full): the counts; %NULL on error
 *
 * Since: 0.4
 */
GVariant *
lers_poll_queue_get_status_sync (LersPollQueue *self, guint lease_seconds,
                                 GCancellable *cancellable, GError **error)
{
  ServiceData data = { .lease_seconds = MIN (lease_seconds, G_MAXINT32) };

  g_return_val_if_fail (LERS_IS_POLL_QUEUE (self), NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);
  if (!lers_poll_queue_run (self, status_func, &data, cancellable, error))
    return NULL;
  return data.result;
}

static gboolean
list_links_func (LersStoreConn *conn, gpointer user_data, GError **error)
{
  ServiceData *data = user_data;
  g_autoptr (GEnumClass) kinds = g_type_class_ref (LERS_TYPE_CONNECTION_KIND);
  g_autoptr (PGresult) res = lers_store_exec (
      conn,
      "SELECT c.id, c.kind,"
      " CASE c.kind WHEN 0 THEN c.host || ':' || c.port WHEN 1 THEN c.identity"
      "  WHEN 2 THEN c.serial_port WHEN 3 THEN c.phone_number END,"
      " CASE WHEN l.lease_owner IS NOT NULL AND l.lease_until > now() THEN 'active'"
      "  WHEN l.blocked_until > now() THEN 'blocked' ELSE 'free' END,"
      " CASE WHEN l.lease_owner IS NOT NULL AND l.lease_until > now() THEN s.name END,"
      " floor(extract(epoch FROM l.lease_until))::bigint,"
      " floor(extract(epoch FROM l.blocked_until))::bigint,"
      " coalesce(l.failures, 0), l.last_error,"
      " (SELECT count(*) FROM poll_jobs j WHERE j.connection_id = c.id AND j.state = 0),"
      " floor(extract(epoch FROM l.last_session_at))::bigint"
      " FROM connections c LEFT JOIN poll_links l ON l.connection_id = c.id"
      " LEFT JOIN poll_services s ON s.id = l.lease_owner"
      " WHERE c.id IN (" POLLED_CONNECTIONS ") ORDER BY c.id",
      0, NULL, error);
  GVariantBuilder links;

  if (res == NULL)
    return FALSE;
  g_variant_builder_init (&links, G_VARIANT_TYPE ("aa{sv}"));
  for (gint i = 0; i < PQntuples (res); i++)
    {
      GEnumValue *kind = g_enum_get_value (kinds, atoi (PQgetvalue (res, i, 1)));
      g_auto (GVariantDict) link = G_VARIANT_DICT_INIT (NULL);

      g_variant_dict_insert (&link, "connection_id", "x",
                             (gint64) g_ascii_strtoll (PQgetvalue (res, i, 0), NULL, 10));
      g_variant_dict_insert (&link, "kind", "s", kind != NULL ? kind->value_nick : "");
      g_variant_dict_insert (&link, "address", "s", PQgetvalue (res, i, 2));
      g_variant_dict_insert (&link, "state", "s", PQgetvalue (res, i, 3));
      if (!PQgetisnull (res, i, 4))
        g_variant_dict_insert (&link, "service", "s", PQgetvalue (res, i, 4));
      if (!PQgetisnull (res, i, 5))
        g_variant_dict_insert (&link, "lease_until", "x",
                               (gint64) g_ascii_strtoll (PQgetvalue (res, i, 5), NULL, 10));
      if (!PQgetisnull (res, i, 6))
        g_variant_dict_insert (&link, "blocked_until", "x",
                               (gint64) g_ascii_strtoll (PQgetvalue (res, i, 6), NULL, 10));
      g_variant_dict_insert (&link, "failures", "i", atoi (PQgetvalue (res, i, 7)));
      if (!PQgetisnull (res, i, 8))
        g_variant_dict_insert (&link, "last_error", "s", PQgetvalue (res, i, 8));
      g_variant_dict_insert (&link, "queued", "u",
                             (guint32) g_ascii_strtoull (PQgetvalue (res, i, 9), NULL, 10));
      if (!PQgetisnull (res, i, 10))
        g_variant_dict_insert (&link, "last_session", "x",
                               (gint64) g_ascii_strtoll (PQgetvalue (res, i, 10), NULL, 10));
      g_variant_builder_add_value (&links, g_variant_dict_end (&link));
    }
  data->result = g_variant_ref_sink (g_variant_builder_end (&links));
  return TRUE;
}

/**
 * lers_poll_queue_list_links_sync:
 * @self: a queue
 * @cancellable: (nullable): a #GCancellable
 * @error: return location for a #GError
 *
 * Lists every link (connection) that has measure points, as `aa{sv}`:
 * `connection_id` (`x`), `kind` (`s`, the #LersConnectionKind nick),
 * `address` (`s`: host:port, serial port, phone number or modem identity),
 * `state` (`s`: `active` while leased, `blocked` in back-off, else
 * `free`), `service` (`s`, the holder's name, when active), `lease_until`
 * and `blocked_until` (`x`, Unix time, when set), `failures` (`i`, failed
 * sessions in a row), `last_error` (`s`, when set), `queued` (`u`, queued
 * jobs) and `last_session` (`x`, Unix time of the last good session, when
 * there was one).
 *
 * Returns: (transfer full): the links, by connection id; %NULL on error
 *
 * Since: 0.4
 */
GVariant *
lers_poll_queue_list_links_sync (LersPollQueue *self, GCancellable *cancellable, GError **error)
{
  ServiceData data = { 0 };

  g_return_val_if_fail (LERS_IS_POLL_QUEUE (self), NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);
  if (!lers_poll_queue_run (self, list_links_func, &data, cancellable, error))
    return NULL;
  return data.result;
}
