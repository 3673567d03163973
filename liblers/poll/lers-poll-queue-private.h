/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

/* Internal to liblers: what the files of LersPollQueue share. */

#include <libpq-fe.h>

#include "poll/lers-poll-queue.h"
#include "store/lers-store-private.h"

G_BEGIN_DECLS

struct _LersPollQueue
{
  GObject parent_instance;
  LersStore *store;
  guint retry_base;  /* s: the back-off of a failed job or link after its first failure */
  guint retry_max;   /* s: the longest back-off */
  guint max_runtime; /* s: an attempt running longer is taken over */
};

/* A timestamptz column as the microseconds since the Unix epoch (NULL stays
 * NULL), as lers_poll_queue_object_from_row() reads GDateTime properties. */
#define LERS_POLL_SQL_US(x) "(extract(epoch FROM " x ") * 1000000)::bigint"
/* A token's hash as stored: the parameter ($n) is the SHA-256 of the token
 * in hex, computed here so that the token itself never reaches the server
 * (whose log may print a statement's parameters) */
#define LERS_POLL_SQL_TOKEN(n) "decode(" n ", 'hex')"

/* The columns of poll_jobs j named as LersPollJob's properties (times in
 * microseconds, as LERS_POLL_SQL_US) */
#define LERS_POLL_JOB_COLUMNS                                                                      \
  "j.id, j.connection_id AS \"connection-id\", j.point_id AS \"point-id\", j.kind, "               \
  "(extract(epoch FROM j.from_at) * 1000000)::bigint AS \"from\", "                                \
  "(extract(epoch FROM j.to_at) * 1000000)::bigint AS \"to\", "                                    \
  "j.priority, (extract(epoch FROM j.slot) * 1000000)::bigint AS slot, j.state, "                  \
  "(extract(epoch FROM j.due_at) * 1000000)::bigint AS due, j.attempts, "                          \
  "j.max_attempts AS \"max-attempts\", j.service_id AS \"service-id\", "                           \
  "j.cancel_requested AS \"cancel-requested\", j.progress, j.message, j.records, "                 \
  "j.error, j.error_code AS \"error-code\", j.log, j.requested_by AS \"requested-by\", "           \
  "(extract(epoch FROM j.created_at) * 1000000)::bigint AS created, "                              \
  "(extract(epoch FROM j.started_at) * 1000000)::bigint AS started, "                              \
  "(extract(epoch FROM j.finished_at) * 1000000)::bigint AS finished"

/* The columns of poll_services s named as LersPollService's properties */
#define LERS_POLL_SERVICE_COLUMNS                                                                  \
  "s.id, s.name, s.authorised, "                                                                   \
  "(extract(epoch FROM s.authorised_at) * 1000000)::bigint AS \"authorised-at\", "                 \
  "s.host, s.version, s.pid, s.max_links AS \"max-links\", "                                       \
  "(extract(epoch FROM s.started_at) * 1000000)::bigint AS started, "                              \
  "(extract(epoch FROM s.heartbeat_at) * 1000000)::bigint AS heartbeat, "                          \
  "(extract(epoch FROM s.stopped_at) * 1000000)::bigint AS stopped, "                              \
  "s.jobs_done AS \"jobs-done\", s.jobs_failed AS \"jobs-failed\", "                               \
  "(extract(epoch FROM s.created_at) * 1000000)::bigint AS created"

/* A new object of @type with the properties the columns of @row name
 * (NULL columns keep the default). */
G_GNUC_INTERNAL
gpointer lers_poll_queue_object_from_row (GType type, PGresult *res, gint row);
/* Every row of @res as an object of @type. */
G_GNUC_INTERNAL
GPtrArray *lers_poll_queue_objects_from_result (GType type, PGresult *res);
/* The back-off after the @n-th failure (n >= 1), in seconds. */
G_GNUC_INTERNAL
guint lers_poll_queue_get_backoff (LersPollQueue *self, gint n);

/* Runs @func on a connection of the store's pool, in the calling thread.
 * @func sends its statements with lers_store_exec() (parameters only) and
 * sets @error on failure; a statement block that must be atomic runs in
 * BEGIN … COMMIT inside @func. If the connection was lost before @func
 * could run, the call connects again and runs it once more; a connection
 * lost while @func ran is an error of code %LERS_ERROR_CONNECTION. */
typedef gboolean (*LersPollQueueFunc) (LersStoreConn *conn, gpointer data, GError **error);

G_GNUC_INTERNAL
gboolean lers_poll_queue_run (LersPollQueue *self, LersPollQueueFunc func, gpointer data,
                              GCancellable *cancellable, GError **error);

G_END_DECLS
