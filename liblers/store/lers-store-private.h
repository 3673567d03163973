/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

#include <libpq-fe.h>

#include "model/lers-audit-entry.h"
#include "model/lers-node-group.h"
#include "model/lers-user.h"
#include "store/lers-store.h"
#include "store/lers-store-query.h"
#include "store/lers-transaction.h"

G_BEGIN_DECLS

/* Batches up to this size are written with one multi-row INSERT … ON CONFLICT;
 * larger ones with COPY. */
#define LERS_STORE_SMALL_BATCH 64
/* Microseconds between the Unix epoch and PostgreSQL's (2000-01-01). */
#define LERS_STORE_PG_EPOCH_US G_GINT64_CONSTANT (946684800000000)

/* Type OIDs, from PostgreSQL's catalog/pg_type.dat. */
#define LERS_OID_INT8 20
#define LERS_OID_INT2 21
#define LERS_OID_INT4 23
#define LERS_OID_BYTEA 17
#define LERS_OID_TIMESTAMPTZ 1184

typedef struct _LersStoreWriter LersStoreWriter;

struct _LersStoreConn
{
  PGconn *pg;
  gchar sqlstate[6];       /* of the last failed statement, "" if none */
  gboolean has_temp;       /* the session's COPY staging table exists */
  gboolean in_transaction; /* held by a LersTransaction: jobs nest in savepoints */
  gboolean was_idle;       /* taken from the pool, unused for a while */
  gint lock_ms;            /* the session's lock_timeout, -1 if unknown */
  gint statement_ms;       /* the session's statement_timeout, -1 if unknown */
};

struct _LersStore
{
  GObject parent_instance;
  gchar *uri; /* never logged: it may hold a password */
  GThreadPool *pool;
  GThreadPool *cancel_pool; /* sends PQcancel requests, never on a caller's thread */
  GMutex lock;
  GQueue idle;             /* of LersStoreConn* */
  GHashTable *partitions;  /* month index (year * 12 + month - 1) known to exist */
  LersStoreWriter *writer; /* group commit of archive writes; made on the first write */
  guint lock_timeout;      /* ms; 0: the table in lers-store.c */
  guint statement_timeout;
};

/* The kinds of bounded wait; see the table in lers-store.c. */
typedef enum
{
  LERS_STORE_BOUND_DEFAULT, /* inferred: an archive write if the job has records, else a read */
  LERS_STORE_BOUND_READ,
  LERS_STORE_BOUND_OBJECT_WRITE,
  LERS_STORE_BOUND_ARCHIVE_WRITE,
  LERS_STORE_BOUND_TRANSACTION,
  LERS_STORE_BOUND_MIGRATION,
} LersStoreBound;

/* How a model property maps to a column. */
typedef enum
{
  LERS_STORE_COLUMN_TEXT,      /* gchar* property, text column */
  LERS_STORE_COLUMN_REF,       /* gint64 id property, bigint column, 0 is NULL */
  LERS_STORE_COLUMN_ENUM,      /* enum property, smallint column */
  LERS_STORE_COLUMN_DOUBLE,    /* gdouble property, double precision column */
  LERS_STORE_COLUMN_UINT,      /* guint property, bigint column */
  LERS_STORE_COLUMN_STRV,      /* GStrv property, text[] column */
  LERS_STORE_COLUMN_DATETIME,  /* GDateTime property, timestamptz column */
  LERS_STORE_COLUMN_INT,       /* gint property, integer or bigint column */
  LERS_STORE_COLUMN_INT64,     /* gint64 property (not a reference), bigint column */
  LERS_STORE_COLUMN_BOOLEAN,   /* gboolean property, boolean column */
  LERS_STORE_COLUMN_TIME_ZONE, /* gchar* IANA zone name, text column; checked on save */
  LERS_STORE_COLUMN_JSON,      /* gchar* JSON object text, jsonb column; checked on save */
} LersStoreColumnType;

typedef struct
{
  const gchar *column;
  const gchar *property;
  LersStoreColumnType type;
} LersStoreColumn;

typedef struct
{
  const gchar *table;
  const gchar *noun; /* for messages */
  GType (*get_type) (void);
  const LersStoreColumn *columns;
  guint n_columns;
  const gchar *filter_column; /* the parent reference (node_id for points) or NULL; unused */
  GType type;                 /* set for types registered at run time (get_type is NULL) */
} LersStoreModel;

G_GNUC_INTERNAL
const LersStoreModel *lers_store_model_lookup (GType type, GError **error);
G_GNUC_INTERNAL
GType lers_store_model_get_gtype (const LersStoreModel *model);
G_GNUC_INTERNAL
gchar *lers_store_strv_to_array_literal (const gchar *const *strv);

G_GNUC_INTERNAL
extern const LersStoreModel lers_store_model_node;
G_GNUC_INTERNAL
extern const LersStoreModel lers_store_model_measure_point;
G_GNUC_INTERNAL
extern const LersStoreModel lers_store_model_device;
G_GNUC_INTERNAL
extern const LersStoreModel lers_store_model_connection;
G_GNUC_INTERNAL
extern const LersStoreModel lers_store_model_territory;
G_GNUC_INTERNAL
extern const LersStoreModel lers_store_model_meter_event;
G_GNUC_INTERNAL
extern const LersStoreModel lers_store_model_user;
G_GNUC_INTERNAL
extern const LersStoreModel lers_store_model_node_group;
G_GNUC_INTERNAL
extern const LersStoreModel lers_store_model_audit_entry;

typedef struct _LersStoreConn LersStoreConn;
typedef struct _LersStoreJob LersStoreJob;

/* Runs in a worker thread (or the caller's, for the sync API) with a
 * connection of its own. Must leave results in @job only on success. */
typedef gboolean (*LersStoreJobFunc) (LersStore *self, LersStoreConn *conn, LersStoreJob *job,
                                      GCancellable *cancellable, GError **error);

struct _LersStoreJob
{
  LersStoreJobFunc func;
  const LersStoreModel *model;
  gint64 id; /* object id, point id, or list filter */
  gint kind;
  GPtrArray *params; /* of gchar*, the snapshot of an object to save */
  GObject *object;   /* the object being saved */
  GPtrArray *records;
  GDateTime *from;
  GDateTime *to;
  LersStoreBound bound;   /* which timeouts apply */
  gboolean once;          /* not idempotent (an INSERT): never sent twice */
  gboolean keep_conn;     /* on success the connection stays with the result (a transaction) */
  LersStoreQuery *query;  /* of a list job: a private copy of the caller's */
  gpointer writer_leader; /* lers-store-writer.c's state of a group run, not owned */
  /* results */
  gint64 result_id;
  gchar *next_cursor; /* of a list job with a limit and a full page */
  gpointer result;
  GDestroyNotify result_free;
};

G_GNUC_INTERNAL
LersStoreJob *lers_store_job_new_open (void);
G_GNUC_INTERNAL
LersStoreJob *lers_store_job_new_save (const LersStoreModel *model, GObject *object);
G_GNUC_INTERNAL
LersStoreJob *lers_store_job_new_get (const LersStoreModel *model, gint64 id);
G_GNUC_INTERNAL
LersStoreJob *lers_store_job_new_list (const LersStoreModel *model, LersStoreQuery *query);
G_GNUC_INTERNAL
void lers_store_job_apply_list (LersStoreJob *job, LersStoreQuery *query);
G_GNUC_INTERNAL
LersStoreJob *lers_store_job_new_delete (const LersStoreModel *model, gint64 id);
G_GNUC_INTERNAL
LersStoreJob *lers_store_job_new_query (gint64 point_id, LersArchiveKind kind, GDateTime *from,
                                        GDateTime *to);
G_GNUC_INTERNAL
LersStoreJob *lers_store_job_new_last (gint64 point_id, LersArchiveKind kind);
G_GNUC_INTERNAL
void lers_store_job_free (LersStoreJob *job);
G_GNUC_INTERNAL
gpointer lers_store_job_steal_result (LersStoreJob *job);
G_GNUC_INTERNAL
void lers_store_job_apply_save (LersStoreJob *job);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (LersStoreJob, lers_store_job_free)

G_GNUC_INTERNAL
PGconn *lers_store_connect (LersStore *self, GError **error);
G_GNUC_INTERNAL
LersStoreConn *lers_store_acquire (LersStore *self, GError **error);
G_GNUC_INTERNAL
void lers_store_release (LersStore *self, LersStoreConn *conn);
G_GNUC_INTERNAL
gboolean lers_store_apply_bound (LersStore *self, LersStoreConn *conn, LersStoreBound bound,
                                 gboolean local, GError **error);
G_GNUC_INTERNAL
gboolean lers_store_conn_check (LersStoreConn *conn, GError **error);
typedef struct _LersStoreCancel LersStoreCancel;
G_GNUC_INTERNAL
LersStoreCancel *lers_store_cancel_watch (LersStore *self, LersStoreConn *conn,
                                          GCancellable *cancellable);
G_GNUC_INTERNAL
void lers_store_cancel_unwatch (LersStoreCancel *cancel);
G_GNUC_INTERNAL
void lers_store_prefer_cancelled (GCancellable *cancellable, GError **error);
G_GNUC_INTERNAL
gboolean lers_store_run_on (LersStore *self, LersStoreConn *conn, LersStoreJob *job,
                            GCancellable *cancellable, GError **error);
G_GNUC_INTERNAL
gboolean lers_store_run_job (LersStore *self, LersStoreJob *job, GCancellable *cancellable,
                             GError **error);
G_GNUC_INTERNAL
void lers_store_queue_job (LersStore *self, LersStoreJob *job, gpointer source_tag,
                           GCancellable *cancellable, GAsyncReadyCallback callback,
                           gpointer user_data);
G_GNUC_INTERNAL
gboolean lers_store_finish_boolean (LersStore *self, GAsyncResult *result, gpointer source_tag,
                                    GError **error);
G_GNUC_INTERNAL
gboolean lers_store_finish_save (LersStore *self, GAsyncResult *result, gpointer source_tag,
                                 GError **error);
G_GNUC_INTERNAL
gpointer lers_store_finish_pointer (LersStore *self, GAsyncResult *result, gpointer source_tag,
                                    GError **error);

G_GNUC_INTERNAL
GPtrArray *lers_store_list_objects_sync (LersStore *self, const LersStoreModel *model,
                                         LersStoreQuery *query, GCancellable *cancellable,
                                         GError **error);
G_GNUC_INTERNAL
gboolean lers_store_query_compile (LersStoreQuery *query, const LersStoreModel *model,
                                   GString *select, GString *tail, GPtrArray *params, guint *n_keys,
                                   GError **error);
G_GNUC_INTERNAL
gchar *lers_store_cursor_encode (PGresult *res, gint row, guint n_keys);
G_GNUC_INTERNAL
LersStoreQuery *lers_store_query_copy (LersStoreQuery *query);
G_GNUC_INTERNAL
LersStoreConn *lers_transaction_get_conn (LersTransaction *self);
G_GNUC_INTERNAL
gboolean lers_transaction_advisory_lock_sync (LersTransaction *self, const gchar *name,
                                              GCancellable *cancellable, GError **error);

static inline void
lers_store_put_be16 (guint8 *p, guint16 v)
{
  p[0] = v >> 8;
  p[1] = v & 0xff;
}

static inline void
lers_store_put_be32 (guint8 *p, guint32 v)
{
  p[0] = v >> 24;
  p[1] = (v >> 16) & 0xff;
  p[2] = (v >> 8) & 0xff;
  p[3] = v & 0xff;
}

static inline void
lers_store_put_be64 (guint8 *p, guint64 v)
{
  lers_store_put_be32 (p, v >> 32);
  lers_store_put_be32 (p + 4, v & 0xffffffff);
}

static inline guint64
lers_store_get_be (const guint8 *p, guint n)
{
  guint64 v = 0;
  for (guint i = 0; i < n; i++)
    v = (v << 8) | p[i];
  return v;
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (PGresult, PQclear)

G_GNUC_INTERNAL
GDateTime *lers_store_datetime_from_unix_us (gint64 us);
G_GNUC_INTERNAL
gint64 lers_store_datetime_to_pg (GDateTime *dt);
G_GNUC_INTERNAL
void lers_store_set_error (GError **error, LersStoreConn *conn, const PGresult *res);
G_GNUC_INTERNAL
gboolean lers_store_result_ok (const PGresult *res);
G_GNUC_INTERNAL
PGresult *lers_store_exec (LersStoreConn *conn, const gchar *sql, gint n_params,
                           const gchar *const *values, GError **error);
G_GNUC_INTERNAL
PGresult *lers_store_exec_binary (LersStoreConn *conn, const gchar *sql, gint n_params,
                                  const Oid *types, const gchar *const *values, const gint *lengths,
                                  GError **error);
G_GNUC_INTERNAL
gboolean lers_store_exec_simple (LersStoreConn *conn, const gchar *sql, GError **error);
G_GNUC_INTERNAL
void lers_store_job_set_result (LersStoreJob *job, gpointer result, GDestroyNotify result_free);

/* ---- archive writes ----------------------------------------------------
 *
 * lers-store-archive.c turns records into rows and writes them;
 * lers-store-writer.c coalesces concurrent write calls into group commits. */

/* One archive row to write, from a validated record. */
typedef struct
{
  gint64 ts; /* PostgreSQL microseconds */
  guint seq;
  gint16 kind;
  gint16 channel;
  LersRecord *record;
} LersStoreRow;

/* One caller's batch as the group writer sees it. */
typedef struct
{
  gint32 point_id;
  GArray *rows; /* of LersStoreRow, ordered by (kind, ts), no two with one key */
} LersStoreBatch;

G_GNUC_INTERNAL
GArray *lers_store_archive_rows_new (gint64 point_id, GPtrArray *records, GError **error);
G_GNUC_INTERNAL
gboolean lers_store_archive_ensure_partitions (LersStore *self, LersStoreConn *conn, GArray *rows,
                                               GError **error);
G_GNUC_INTERNAL
gboolean lers_store_archive_prepare (LersStoreConn *conn, GError **error);
G_GNUC_INTERNAL
gboolean lers_store_archive_write_batch (LersStore *self, LersStoreConn *conn,
                                         const LersStoreBatch *batch, gboolean in_transaction,
                                         GError **error);
G_GNUC_INTERNAL
gboolean lers_store_archive_write_layer (LersStoreConn *conn, const LersStoreBatch *batches,
                                         guint n_batches, GError **error);

G_GNUC_INTERNAL
void lers_store_writer_free (LersStoreWriter *writer);
G_GNUC_INTERNAL
gboolean lers_store_writer_write_sync (LersStore *self, gint64 point_id, GPtrArray *records,
                                       GCancellable *cancellable, GError **error);
G_GNUC_INTERNAL
void lers_store_writer_write_async (LersStore *self, gint64 point_id, GPtrArray *records,
                                    GCancellable *cancellable, GAsyncReadyCallback callback,
                                    gpointer user_data, gpointer source_tag);

/* Debugging counters of the group writer, for tests and benchmarks (exported
 * but in no public header): write requests received, transactions committed,
 * and requests waiting in the queue now (not yet taken by a group). */
typedef struct
{
  guint64 n_requests;
  guint64 n_commits;
  guint n_queued;
} LersStoreWriterStats;

void lers_store_writer_get_stats (LersStore *self, LersStoreWriterStats *stats);

G_END_DECLS
