/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "config.h"

#include <glib/gi18n-lib.h>
#include <inttypes.h>
#include <json-glib/json-glib.h>
#include <string.h>

#include "lers-error.h"
#include "store/lers-store-private.h"

/* ---- archive: the write path -------------------------------------------
 *
 * lers-store-writer.c decides which batches go into one transaction; the
 * functions here turn records into rows and write one batch, or a layer of
 * batches of distinct points, with COPY or an upsert. */

static gint
lers_store_row_cmp (gconstpointer a, gconstpointer b)
{
  const LersStoreRow *ra = a;
  const LersStoreRow *rb = b;

  if (ra->kind != rb->kind)
    return ra->kind < rb->kind ? -1 : 1;
  if (ra->ts != rb->ts)
    return ra->ts < rb->ts ? -1 : 1;
  return ra->seq < rb->seq ? -1 : ra->seq > rb->seq;
}

/* Validates the point id and the records and returns them as rows ordered by
 * (kind, ts), keeping only the last of records with the same key. */
GArray *
lers_store_archive_rows_new (gint64 point_id, GPtrArray *records, GError **error)
{
  g_autoptr (GArray) rows = NULL;
  gboolean sorted = TRUE;
  guint out = 0;

  if (point_id <= 0 || point_id > G_MAXINT32)
    {
      g_set_error (error, LERS_ERROR, LERS_ERROR_INVALID_ARGUMENT,
                   _ ("Measure point id %" PRId64 " is out of range"), point_id);
      return NULL;
    }
  rows = g_array_sized_new (FALSE, FALSE, sizeof (LersStoreRow), records->len);
  for (guint i = 0; i < records->len; i++)
    {
      LersRecord *record = g_ptr_array_index (records, i);
      LersStoreRow row = { 0 };
      guint n_values;

      if (!LERS_IS_RECORD (record))
        {
          g_set_error (error, LERS_ERROR, LERS_ERROR_INVALID_ARGUMENT,
                       _ ("Element %u of the records is not a LersRecord"), i);
          return NULL;
        }
      if ((guint) lers_record_get_kind (record) > G_MAXINT16
          || lers_record_get_channel (record) > G_MAXINT16)
        {
          g_set_error (error, LERS_ERROR, LERS_ERROR_INVALID_ARGUMENT,
                       _ ("Record %u: archive kind or channel out of range"), i);
          return NULL;
        }
      if (lers_archive_kind_to_string (lers_record_get_kind (record)) == NULL)
        {
          g_set_error (error, LERS_ERROR, LERS_ERROR_INVALID_ARGUMENT,
                       _ ("Record %u: unknown archive kind %d"), i,
                       (gint) lers_record_get_kind (record));
          return NULL;
        }
      n_values = lers_record_get_n_values (record);
      for (guint j = 0; j < n_values; j++)
        {
          LersParameter parameter = 0;
          LersValueFlags flags = 0;

          lers_record_get_value_at (record, j, &parameter, NULL, &flags);
          if ((guint) parameter == 0 || (guint) parameter > 255 || (guint) flags > 255)
            {
              g_set_error (error, LERS_ERROR, LERS_ERROR_INVALID_ARGUMENT,
                           _ ("Record %u: parameter %u or its flags out of range"), i,
                           (guint) parameter);
              return NULL;
            }
        }
      row.ts = lers_store_datetime_to_pg (lers_record_get_timestamp (record));
      row.seq = i;
      row.kind = lers_record_get_kind (record);
      row.channel = lers_record_get_channel (record);
      row.record = record;
      /* strictly increasing (kind, ts), or the pass below must sort and
       * drop duplicates: an in-order repeat of a key counts as unsorted */
      if (rows->len > 0)
        {
          const LersStoreRow *prev = &g_array_index (rows, LersStoreRow, rows->len - 1);
          if (prev->kind > row.kind || (prev->kind == row.kind && prev->ts >= row.ts))
            sorted = FALSE;
        }
      g_array_append_val (rows, row);
    }

  if (!sorted)
    {
      g_array_sort (rows, lers_store_row_cmp);
      /* The same (kind, ts) twice: the later record wins. */
      for (guint i = 0; i < rows->len; i++)
        {
          LersStoreRow *row = &g_array_index (rows, LersStoreRow, i);
          if (i + 1 < rows->len)
            {
              LersStoreRow *next = &g_array_index (rows, LersStoreRow, i + 1);
              if (next->kind == row->kind && next->ts == row->ts)
                continue;
            }
          g_array_index (rows, LersStoreRow, out++) = *row;
        }
      g_array_set_size (rows, out);
    }
  return g_steal_pointer (&rows);
}

static void
lers_store_append_values (GByteArray *buf, LersRecord *record)
{
  guint n_values = lers_record_get_n_values (record);

  for (guint j = 0; j < n_values; j++)
    {
      LersParameter parameter = 0;
      LersValueFlags flags = 0;
      gdouble value = 0;
      guint64 bits;
      guint8 entry[10];

      lers_record_get_value_at (record, j, &parameter, &value, &flags);
      /* "no value" (from a LersArchiveBatch) is never stored */
      if (flags & LERS_VALUE_FLAG_MISSING)
        continue;
      memcpy (&bits, &value, sizeof bits);
      entry[0] = parameter;
      entry[1] = flags;
      for (guint k = 0; k < 8; k++)
        entry[2 + k] = (bits >> (8 * k)) & 0xff;
      g_byte_array_append (buf, entry, sizeof entry);
    }
}

/* Creates the monthly partitions the rows need, once per store. */
gboolean
lers_store_archive_ensure_partitions (LersStore *self, LersStoreConn *conn, GArray *rows,
                                      GError **error)
{
  g_autoptr (GHashTable) months = g_hash_table_new (NULL, NULL);
  gint64 lo = G_MAXINT64, hi = G_MININT64;
  GHashTableIter iter;
  gpointer key;

  for (guint i = 0; i < rows->len; i++)
    {
      const LersStoreRow *row = &g_array_index (rows, LersStoreRow, i);
      g_autoptr (GDateTime) dt = NULL;
      g_autoptr (GDateTime) start = NULL;
      g_autoptr (GDateTime) end = NULL;
      gint year, month;

      if (row->ts >= lo && row->ts < hi)
        continue;
      dt = lers_store_datetime_from_unix_us (row->ts + LERS_STORE_PG_EPOCH_US);
      g_date_time_get_ymd (dt, &year, &month, NULL);
      start = g_date_time_new_utc (year, month, 1, 0, 0, 0);
      end = g_date_time_add_months (start, 1);
      lo = lers_store_datetime_to_pg (start);
      hi = end != NULL ? lers_store_datetime_to_pg (end) : G_MAXINT64;
      g_hash_table_add (months, GINT_TO_POINTER (year * 12 + month - 1));
    }

  g_hash_table_iter_init (&iter, months);
  while (g_hash_table_iter_next (&iter, &key, NULL))
    {
      gint index = GPOINTER_TO_INT (key);
      g_autofree gchar *at = NULL;
      const gchar *values[1];
      gboolean known;

      g_mutex_lock (&self->lock);
      known = g_hash_table_contains (self->partitions, key);
      g_mutex_unlock (&self->lock);
      if (known)
        continue;

      /* Outside the write's transaction, so the DDL lock is short. */
      at = g_strdup_printf ("%04d-%02d-01T00:00:00Z", index / 12, index % 12 + 1);
      values[0] = at;
      {
        g_autoptr (PGresult) res = lers_store_exec (
            conn, "SELECT lers_archive_ensure_partition($1::timestamptz)", 1, values, error);
        if (res == NULL)
          {
            g_prefix_error (error, _ ("Could not create the archive partition for %s: "), at);
            return FALSE;
          }
      }
      g_mutex_lock (&self->lock);
      g_hash_table_add (self->partitions, key);
      g_mutex_unlock (&self->lock);
    }
  return TRUE;
}

static gboolean
lers_store_write_small (LersStoreConn *conn, gint32 point_id, GArray *rows, GError **error)
{
  guint n = rows->len * 5;
  g_autoptr (GString) sql
      = g_string_new ("INSERT INTO archive AS a (point_id, kind, channel, ts, data) VALUES ");
  g_autofree Oid *types = g_new (Oid, n);
  g_autofree const gchar **values = g_new (const gchar *, n);
  g_autofree gint *lengths = g_new (gint, n);
  g_autofree guint8 *fixed = g_new (guint8, rows->len * 16);
  g_autoptr (GPtrArray) datas
      = g_ptr_array_new_with_free_func ((GDestroyNotify) g_byte_array_unref);
  g_autoptr (PGresult) res = NULL;

  for (guint i = 0; i < rows->len; i++)
    {
      const LersStoreRow *row = &g_array_index (rows, LersStoreRow, i);
      guint8 *f = fixed + i * 16;
      GByteArray *data = g_byte_array_new ();
      guint p = i * 5;

      lers_store_put_be32 (f, point_id);
      lers_store_put_be16 (f + 4, row->kind);
      lers_store_put_be16 (f + 6, row->channel);
      lers_store_put_be64 (f + 8, row->ts);
      lers_store_append_values (data, row->record);
      g_ptr_array_add (datas, data);

      types[p] = LERS_OID_INT4;
      values[p] = (const gchar *) f;
      lengths[p] = 4;
      types[p + 1] = LERS_OID_INT2;
      values[p + 1] = (const gchar *) f + 4;
      lengths[p + 1] = 2;
      types[p + 2] = LERS_OID_INT2;
      values[p + 2] = (const gchar *) f + 6;
      lengths[p + 2] = 2;
      types[p + 3] = LERS_OID_TIMESTAMPTZ;
      values[p + 3] = (const gchar *) f + 8;
      lengths[p + 3] = 8;
      types[p + 4] = LERS_OID_BYTEA;
      values[p + 4] = data->len > 0 ? (const gchar *) data->data : "";
      lengths[p + 4] = data->len;
      g_string_append_printf (sql, "%s($%u, $%u, $%u, $%u, $%u)", i > 0 ? ", " : "", p + 1, p + 2,
                              p + 3, p + 4, p + 5);
    }
  g_string_append (sql, " ON CONFLICT (point_id, kind, ts) DO UPDATE"
                        " SET channel = EXCLUDED.channel, data = EXCLUDED.data"
                        " WHERE (a.channel, a.data) IS DISTINCT FROM"
                        " (EXCLUDED.channel, EXCLUDED.data)");
  res = lers_store_exec_binary (conn, sql->str, n, types, values, lengths, error);
  return res != NULL;
}

/* COPY … (FORMAT binary): a header, rows from lers_store_copy_append (), and
 * the trailer from lers_store_copy_end (). */
static GByteArray *
lers_store_copy_begin (guint n_rows)
{
  static const guint8 header[]
      = { 'P', 'G', 'C', 'O', 'P', 'Y', '\n', 0xff, '\r', '\n', 0, 0, 0, 0, 0, 0, 0, 0, 0 };
  GByteArray *buf = g_byte_array_sized_new (sizeof header + n_rows * 128 + 2);

  g_byte_array_append (buf, header, sizeof header);
  return buf;
}

static void
lers_store_copy_append (GByteArray *buf, gint32 point_id, GArray *rows)
{
  for (guint i = 0; i < rows->len; i++)
    {
      const LersStoreRow *row = &g_array_index (rows, LersStoreRow, i);
      guint8 fixed[2 + 8 + 6 + 6 + 12 + 4];
      guint len_at;

      lers_store_put_be16 (fixed, 5);
      lers_store_put_be32 (fixed + 2, 4);
      lers_store_put_be32 (fixed + 6, point_id);
      lers_store_put_be32 (fixed + 10, 2);
      lers_store_put_be16 (fixed + 14, row->kind);
      lers_store_put_be32 (fixed + 16, 2);
      lers_store_put_be16 (fixed + 20, row->channel);
      lers_store_put_be32 (fixed + 22, 8);
      lers_store_put_be64 (fixed + 26, row->ts);
      g_byte_array_append (buf, fixed, sizeof fixed);
      len_at = buf->len - 4;
      lers_store_append_values (buf, row->record);
      lers_store_put_be32 (buf->data + len_at, buf->len - len_at - 4);
    }
}

static void
lers_store_copy_end (GByteArray *buf)
{
  static const guint8 trailer[] = { 0xff, 0xff };

  g_byte_array_append (buf, trailer, sizeof trailer);
}

static gboolean
lers_store_copy_in (LersStoreConn *conn, const gchar *sql, GByteArray *buf, GError **error)
{
  const gsize chunk = 1024 * 1024;
  PGresult *res = PQexec (conn->pg, sql);
  gboolean ok;

  if (PQresultStatus (res) != PGRES_COPY_IN)
    {
      lers_store_set_error (error, conn, res);
      PQclear (res);
      return FALSE;
    }
  PQclear (res);
  for (gsize off = 0; off < buf->len; off += chunk)
    {
      if (PQputCopyData (conn->pg, (const gchar *) buf->data + off, MIN (chunk, buf->len - off))
          != 1)
        break;
    }
  PQputCopyEnd (conn->pg, NULL);
  res = PQgetResult (conn->pg);
  ok = PQresultStatus (res) == PGRES_COMMAND_OK;
  if (!ok)
    lers_store_set_error (error, conn, res);
  PQclear (res);
  while ((res = PQgetResult (conn->pg)) != NULL)
    PQclear (res);
  return ok;
}

static void
lers_store_rows_range (GArray *rows, gint64 *lo, gint64 *hi)
{
  *lo = G_MAXINT64;
  *hi = G_MININT64;
  for (guint i = 0; i < rows->len; i++)
    {
      const LersStoreRow *row = &g_array_index (rows, LersStoreRow, i);
      *lo = MIN (*lo, row->ts);
      *hi = MAX (*hi, row->ts);
    }
}

/* Is there any stored row of this point in the batch's time range? */
static gint
lers_store_range_has_rows (LersStoreConn *conn, gint32 point_id, GArray *rows, GError **error)
{
  guint8 buf[4 + 8 + 8];
  const gchar *values[]
      = { (const gchar *) buf, (const gchar *) buf + 4, (const gchar *) buf + 12 };
  const gint lengths[] = { 4, 8, 8 };
  const Oid types[] = { LERS_OID_INT4, LERS_OID_TIMESTAMPTZ, LERS_OID_TIMESTAMPTZ };
  gint64 lo, hi;
  g_autoptr (PGresult) res = NULL;

  lers_store_rows_range (rows, &lo, &hi);
  lers_store_put_be32 (buf, point_id);
  lers_store_put_be64 (buf + 4, lo);
  lers_store_put_be64 (buf + 12, hi);
  res = lers_store_exec_binary (conn,
                                "SELECT 1 FROM archive WHERE point_id = $1"
                                " AND ts BETWEEN $2 AND $3 LIMIT 1",
                                3, types, values, lengths, error);
  if (res == NULL)
    return -1;
  return PQntuples (res) > 0;
}

/* The session's staging table for upserts. Made outside any transaction,
 * so that a rolled back (sub)transaction cannot take it away unnoticed: the
 * group writer calls this before its BEGIN. */
gboolean
lers_store_archive_prepare (LersStoreConn *conn, GError **error)
{
  if (conn->has_temp)
    return TRUE;
  if (!lers_store_exec_simple (conn,
                               "CREATE TEMP TABLE IF NOT EXISTS lers_archive_in ("
                               " point_id int4, kind int2, channel int2,"
                               " ts timestamptz, data bytea) ON COMMIT DELETE ROWS",
                               error))
    return FALSE;
  conn->has_temp = TRUE;
  return TRUE;
}

/* Copies @buf into the staging table and upserts it into the archive: a
 * re-written hour replaces changed values, an unchanged one writes nothing.
 * In a transaction; the staging table is emptied first, since an earlier
 * statement of the same transaction may have used it. */
static gboolean
lers_store_upsert_staged (LersStoreConn *conn, GByteArray *buf, GError **error)
{
  if (!lers_store_exec_simple (conn, "DELETE FROM lers_archive_in", error))
    return FALSE;
  if (!lers_store_copy_in (conn, "COPY lers_archive_in FROM STDIN (FORMAT binary)", buf, error))
    return FALSE;
  return lers_store_exec_simple (conn,
                                 "INSERT INTO archive AS a (point_id, kind, channel, ts, data)"
                                 " SELECT point_id, kind, channel, ts, data FROM lers_archive_in"
                                 " ON CONFLICT (point_id, kind, ts) DO UPDATE"
                                 " SET channel = EXCLUDED.channel, data = EXCLUDED.data"
                                 " WHERE (a.channel, a.data) IS DISTINCT FROM"
                                 " (EXCLUDED.channel, EXCLUDED.data)",
                                 error);
}

/* Writes one batch with COPY. Alone, it is its own transaction; inside the
 * caller's transaction (@in_transaction), it uses a savepoint instead. */
static gboolean
lers_store_write_copy (LersStoreConn *conn, gint32 point_id, GArray *rows, gboolean in_transaction,
                       GError **error)
{
  g_autoptr (GByteArray) buf = lers_store_copy_begin (rows->len);
  g_autoptr (GError) copy_error = NULL;
  gint existing;

  lers_store_copy_append (buf, point_id, rows);
  lers_store_copy_end (buf);
  if (!in_transaction && !lers_store_archive_prepare (conn, error))
    return FALSE;

  /* New hours (the common case: polling goes forward in time) are copied
   * straight into the archive; a range that already has rows goes through a
   * staging table and INSERT … ON CONFLICT, so re-reading is idempotent. */
  existing = lers_store_range_has_rows (conn, point_id, rows, error);
  if (existing < 0)
    return FALSE;
  if (existing == 0)
    {
      if (!lers_store_exec_simple (conn, in_transaction ? "SAVEPOINT lers_copy" : "BEGIN", error))
        return FALSE;
      if (lers_store_copy_in (conn,
                              "COPY archive (point_id, kind, channel, ts, data)"
                              " FROM STDIN (FORMAT binary)",
                              buf, &copy_error))
        return lers_store_exec_simple (
            conn, in_transaction ? "RELEASE SAVEPOINT lers_copy" : "COMMIT", error);
      /* A concurrent writer got there first: fall back to the upsert. */
      if (PQstatus (conn->pg) != CONNECTION_OK
          || g_strcmp0 (conn->sqlstate, "23505") != 0 /* unique_violation */)
        {
          g_propagate_error (error, g_steal_pointer (&copy_error));
          return FALSE;
        }
      if (!lers_store_exec_simple (
              conn, in_transaction ? "ROLLBACK TO SAVEPOINT lers_copy" : "ROLLBACK", error))
        return FALSE;
    }

  if (!in_transaction && !lers_store_exec_simple (conn, "BEGIN", error))
    return FALSE;
  if (!lers_store_upsert_staged (conn, buf, error))
    return FALSE;
  return in_transaction || lers_store_exec_simple (conn, "COMMIT", error);
}

static gboolean
lers_store_write_batch_once (LersStoreConn *conn, const LersStoreBatch *batch,
                             gboolean in_transaction, GError **error)
{
  if (in_transaction && !lers_store_exec_simple (conn, "SAVEPOINT lers_batch", error))
    return FALSE;
  if (batch->rows->len <= LERS_STORE_SMALL_BATCH
          ? lers_store_write_small (conn, batch->point_id, batch->rows, error)
          : lers_store_write_copy (conn, batch->point_id, batch->rows, in_transaction, error))
    return !in_transaction || lers_store_exec_simple (conn, "RELEASE SAVEPOINT lers_batch", error);

  /* Leave the caller's transaction as it was before the batch. */
  if (in_transaction && PQstatus (conn->pg) == CONNECTION_OK)
    PQclear (PQexec (conn->pg, "ROLLBACK TO SAVEPOINT lers_batch"));
  return FALSE;
}

/* Writes one caller's batch: alone as its own transaction, or inside the
 * caller's one (@in_transaction, after lers_store_archive_prepare ()) where
 * a failure rolls back this batch only.
 * The partitions the rows need must exist already. */
gboolean
lers_store_archive_write_batch (LersStore *self, LersStoreConn *conn, const LersStoreBatch *batch,
                                gboolean in_transaction, GError **error)
{
  for (guint attempt = 0;; attempt++)
    {
      g_autoptr (GError) local_error = NULL;

      if (lers_store_write_batch_once (conn, batch, in_transaction, &local_error))
        return TRUE;

      /* A partition dropped behind our back: forget what we know, retry. */
      if (attempt == 0
          && PQstatus (conn->pg) == CONNECTION_OK
          /* check_violation: the archive has no CHECK, only partition bounds */
          && g_strcmp0 (conn->sqlstate, "23514") == 0)
        {
          if (!in_transaction && PQtransactionStatus (conn->pg) != PQTRANS_IDLE)
            PQclear (PQexec (conn->pg, "ROLLBACK"));
          g_mutex_lock (&self->lock);
          g_hash_table_remove_all (self->partitions);
          g_mutex_unlock (&self->lock);
          if (!lers_store_archive_ensure_partitions (self, conn, batch->rows, error))
            return FALSE;
          continue;
        }
      g_propagate_prefixed_error (error, g_steal_pointer (&local_error),
                                  _ ("Could not write the archive of point %" PRId64 ": "),
                                  (gint64) batch->point_id);
      return FALSE;
    }
}

/* Which of the batches have stored rows in their time range? One query for
 * the whole layer; returns a bitmap indexed like @batches. */
static gboolean *
lers_store_layer_existing (LersStoreConn *conn, const LersStoreBatch *batches, guint n_batches,
                           GError **error)
{
  g_autofree gboolean *existing = g_new0 (gboolean, n_batches);
  g_autoptr (GString) points = g_string_new ("{");
  g_autoptr (GString) los = g_string_new ("{");
  g_autoptr (GString) his = g_string_new ("{");
  const gchar *values[3];
  g_autoptr (PGresult) res = NULL;

  for (guint i = 0; i < n_batches; i++)
    {
      gint64 lo, hi;
      g_autoptr (GDateTime) dlo = NULL;
      g_autoptr (GDateTime) dhi = NULL;
      g_autofree gchar *slo = NULL;
      g_autofree gchar *shi = NULL;

      lers_store_rows_range (batches[i].rows, &lo, &hi);
      dlo = lers_store_datetime_from_unix_us (lo + LERS_STORE_PG_EPOCH_US);
      dhi = lers_store_datetime_from_unix_us (hi + LERS_STORE_PG_EPOCH_US);
      /* the timestamps came from GDateTime, so they convert back */
      g_return_val_if_fail (dlo != NULL && dhi != NULL, NULL);
      slo = g_date_time_format (dlo, "%Y-%m-%d %H:%M:%S.%f+00");
      shi = g_date_time_format (dhi, "%Y-%m-%d %H:%M:%S.%f+00");
      g_string_append_printf (points, "%s%d", i > 0 ? "," : "", (gint) batches[i].point_id);
      g_string_append_printf (los, "%s\"%s\"", i > 0 ? "," : "", slo);
      g_string_append_printf (his, "%s\"%s\"", i > 0 ? "," : "", shi);
    }
  g_string_append_c (points, '}');
  g_string_append_c (los, '}');
  g_string_append_c (his, '}');
  values[0] = points->str;
  values[1] = los->str;
  values[2] = his->str;
  res = lers_store_exec (conn,
                         "SELECT r.i FROM unnest($1::int4[], $2::timestamptz[], $3::timestamptz[])"
                         " WITH ORDINALITY AS r (p, lo, hi, i)"
                         " WHERE EXISTS (SELECT 1 FROM archive a WHERE a.point_id = r.p"
                         " AND a.ts BETWEEN r.lo AND r.hi)",
                         3, values, error);
  if (res == NULL)
    return NULL;
  for (gint i = 0; i < PQntuples (res); i++)
    {
      gint64 k = g_ascii_strtoll (PQgetvalue (res, i, 0), NULL, 10);
      if (k >= 1 && k <= n_batches)
        existing[k - 1] = TRUE;
    }
  return g_steal_pointer (&existing);
}

/* Writes several batches of distinct points inside the caller's
 * transaction (after lers_store_archive_prepare ()): those whose time
 * ranges hold no rows yet with one COPY into the archive, the others with
 * one staged upsert. On failure the caller
 * rolls back (to its savepoint) and writes the batches one by one. */
gboolean
lers_store_archive_write_layer (LersStoreConn *conn, const LersStoreBatch *batches, guint n_batches,
                                GError **error)
{
  g_autofree gboolean *existing = NULL;
  g_autoptr (GByteArray) fresh = NULL;
  g_autoptr (GByteArray) staged = NULL;
  guint n_rows = 0, n_fresh = 0, n_staged = 0;

  existing = lers_store_layer_existing (conn, batches, n_batches, error);
  if (existing == NULL)
    return FALSE;
  for (guint i = 0; i < n_batches; i++)
    n_rows += batches[i].rows->len;
  fresh = lers_store_copy_begin (n_rows);
  staged = lers_store_copy_begin (0);
  for (guint i = 0; i < n_batches; i++)
    {
      if (batches[i].rows->len == 0)
        continue;
      if (existing[i])
        {
          lers_store_copy_append (staged, batches[i].point_id, batches[i].rows);
          n_staged++;
        }
      else
        {
          lers_store_copy_append (fresh, batches[i].point_id, batches[i].rows);
          n_fresh++;
        }
    }
  lers_store_copy_end (fresh);
  lers_store_copy_end (staged);
  if (n_fresh > 0
      && !lers_store_copy_in (conn,
                              "COPY archive (point_id, kind, channel, ts, data)"
                              " FROM STDIN (FORMAT binary)",
                              fresh, error))
    return FALSE;
  if (n_staged > 0 && !lers_store_upsert_staged (conn, staged, error))
    return FALSE;
  return TRUE;
}

/* ---- asynchronous API -------------------------------------------------- */

/**
 * lers_store_write_records_async:
 * @self: a #LersStore
 * @point_id: the measure point the records belong to
 * @records: (element-type Lers.Record): the records; they must not change until
 *   the operation completes
 * @cancellable: (nullable): a #GCancellable
 * @callback: (scope async): called when done
 * @user_data: (closure): data for @callback
 *
 * Writes archive records in a worker thread; see
 * [method@Lers.Store.write_records_sync]. Calls in flight at the same time
 * (from this or other threads) share one transaction and one flush to disk;
 * each completes when its own records are durable, or with its own error.
 *
 * Since: 0.1
 */
void
lers_store_write_records_async (LersStore *self, gint64 point_id, GPtrArray *records,
                                GCancellable *cancellable, GAsyncReadyCallback callback,
                                gpointer user_data)
{
  g_return_if_fail (LERS_IS_STORE (self));
  g_return_if_fail (records != NULL);

  lers_store_writer_write_async (self, point_id, records, cancellable, callback, user_data,
                                 lers_store_write_records_async);
}

/**
 * lers_store_write_records_finish:
 * @self: a #LersStore
 * @result: the #GAsyncResult
 * @error: return location for a #GError
 *
 * Finishes [method@Lers.Store.write_records_async].
 *
 * Returns: %TRUE if all records were stored
 *
 * Since: 0.1
 */
gboolean
lers_store_write_records_finish (LersStore *self, GAsyncResult *result, GError **error)
{
  return lers_store_finish_boolean (self, result, lers_store_write_records_async, error);
}
