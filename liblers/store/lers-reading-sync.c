/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "config.h"

#include <glib/gi18n-lib.h>

#include "lers-error.h"
#include "model/lers-archive-batch.h"
#include "model/lers-measure-point.h"
#include "model/lers-meter-event.h"
#include "store/lers-reading-sync.h"
#include "store/lers-store-query.h"
#include "store/lers-transaction.h"

/**
 * LersReadingSync:
 *
 * Uploads a [class@Lers.ReadingFile] (what `lers read` took from a meter
 * on site) into a store, as `lers sync` does:
 *
 * - the device is found by the file's protocol, model and serial number
 *   (by protocol and serial number alone when the file names no model; a
 *   device whose model was never entered matches any model);
 *   none is %LERS_ERROR_NOT_FOUND, several %LERS_ERROR_FAILED, and nothing
 *   is written;
 * - each channel of the file goes to every measure point of that device
 *   with that channel; records of a channel no point reads are counted
 *   (lers_reading_sync_get_n_unmapped()) and not stored;
 * - per point, each record is compared with the stored one of the same
 *   kind and time: new and changed records are written, through the
 *   archive's idempotent upsert, all points in one transaction; identical
 *   ones are left alone, so syncing a file again writes nothing. A stored
 *   row keeps the parameters the file does not carry (the file wins for
 *   those it does);
 * - then, after that transaction, the meter events of each channel go to the same points through
 *   lers_store_write_meter_events_sync(), which is idempotent as well
 *   (lers_reading_sync_get_n_events() counts those added or changed).
 *
 * ```python
 * f = Lers.ReadingFile.new()
 * f.load_from_file("meter.lers.json")
 * sync = Lers.ReadingSync.new(store)
 * sync.run_sync(f, None)
 * for i in range(sync.get_n_points()):
 *     print(sync.get_point_id(i), sync.get_n_new(i), sync.get_n_changed(i))
 * ```
 *
 * Since: 0.3
 */

typedef struct
{
  gint64 point_id;
  guint channel;
  guint n_new;
  guint n_changed;
  guint n_unchanged;
  guint n_events;
} LersReadingSyncPoint;

struct _LersReadingSync
{
  GObject parent_instance;

  LersStore *store;
  gint64 device_id;
  GArray *points;   /* of LersReadingSyncPoint */
  GArray *unmapped; /* of guint: channels with no point */
  guint n_unmapped;
};

G_DEFINE_FINAL_TYPE (LersReadingSync, lers_reading_sync, G_TYPE_OBJECT)

static void
lers_reading_sync_finalize (GObject *object)
{
  LersReadingSync *self = LERS_READING_SYNC (object);

  g_clear_object (&self->store);
  g_array_unref (self->points);
  g_array_unref (self->unmapped);
  G_OBJECT_CLASS (lers_reading_sync_parent_class)->finalize (object);
}

static void
lers_reading_sync_class_init (LersReadingSyncClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = lers_reading_sync_finalize;
}

static void
lers_reading_sync_init (LersReadingSync *self)
{
  self->points = g_array_new (FALSE, TRUE, sizeof (LersReadingSyncPoint));
  self->unmapped = g_array_new (FALSE, TRUE, sizeof (guint));
}

/**
 * lers_reading_sync_new:
 * @store: an open #LersStore
 *
 * Returns: (transfer full): a new #LersReadingSync writing into @store
 *
 * Since: 0.3
 */
LersReadingSync *
lers_reading_sync_new (LersStore *store)
{
  LersReadingSync *self;

  g_return_val_if_fail (LERS_IS_STORE (store), NULL);
  self = g_object_new (LERS_TYPE_READING_SYNC, NULL);
  self->store = g_object_ref (store);
  return self;
}

static LersDevice *
lers_reading_sync_find_device (LersReadingSync *self, LersDevice *wanted, GCancellable *cancellable,
                               GError **error)
{
  g_autoptr (LersStoreQuery) query = lers_store_query_new ();
  g_autoptr (GPtrArray) devices = NULL;
  const gchar *protocol = lers_device_get_protocol (wanted);
  const gchar *model = lers_device_get_model (wanted);
  const gchar *serial = lers_device_get_serial_number (wanted);

  if (serial == NULL || serial[0] == '\0')
    {
      g_set_error (error, LERS_ERROR, LERS_ERROR_INVALID_DATA,
                   _ ("The file names no serial number: the device cannot be found"));
      return NULL;
    }
  lers_store_query_add_filter_string (query, "protocol", LERS_STORE_OP_EQ, protocol);
  lers_store_query_add_filter_string (query, "serial-number", LERS_STORE_OP_EQ, serial);
  lers_store_query_add_order (query, "id", FALSE);
  devices = lers_store_list_sync (self->store, LERS_TYPE_DEVICE, query, cancellable, error);
  if (devices == NULL)
    return NULL;
  /* a file that names a model (given, or as the device reported it) goes to
   * the device of that model, else to one whose model was never entered */
  if (model != NULL && model[0] != '\0')
    {
      g_autoptr (GPtrArray) same = g_ptr_array_new_with_free_func (g_object_unref);
      g_autoptr (GPtrArray) unknown = g_ptr_array_new_with_free_func (g_object_unref);

      for (guint i = 0; i < devices->len; i++)
        {
          LersDevice *d = g_ptr_array_index (devices, i);
          const gchar *m = lers_device_get_model (d);
          if (g_strcmp0 (m, model) == 0)
            g_ptr_array_add (same, g_object_ref (d));
          else if (m == NULL || m[0] == '\0')
            g_ptr_array_add (unknown, g_object_ref (d));
        }
      g_ptr_array_unref (devices);
      devices = same->len > 0 ? g_steal_pointer (&same) : g_steal_pointer (&unknown);
    }
  if (devices->len == 0)
    {
      g_set_error (error, LERS_ERROR, LERS_ERROR_NOT_FOUND,
                   _ ("No device has protocol %s, model %s and serial number %s"), protocol,
                   model != NULL && model[0] != '\0' ? model : _ ("(any)"), serial);
      return NULL;
    }
  if (devices->len > 1)
    {
      g_autoptr (GString) ids = g_string_new (NULL);
      for (guint i = 0; i < devices->len; i++)
        g_string_append_printf (ids, "%s%" G_GINT64_FORMAT, i > 0 ? ", " : "",
                                lers_device_get_id (g_ptr_array_index (devices, i)));
      g_set_error (error, LERS_ERROR, LERS_ERROR_FAILED,
                   _ ("%u devices have protocol %s, model %s and serial number %s (ids %s): "
                      "the file cannot be matched to one"),
                   devices->len, protocol, model != NULL && model[0] != '\0' ? model : _ ("(any)"),
                   serial, ids->str);
      return NULL;
    }
  return g_object_ref (g_ptr_array_index (devices, 0));
}

/* Compares @records (one point's, of any kinds) with the stored archive of
 * @point_id; counts them into @point and returns those to write. */
static GPtrArray *
lers_reading_sync_diff (LersReadingSync *self, GPtrArray *records, LersReadingSyncPoint *point,
                        GCancellable *cancellable, GError **error)
{
  g_autoptr (GPtrArray) to_write = g_ptr_array_new_with_free_func (g_object_unref);

  for (LersArchiveKind kind = LERS_ARCHIVE_KIND_CURRENT; kind < LERS_ARCHIVE_KIND_EVENTS; kind++)
    {
      g_autoptr (GDateTime) from = NULL;
      g_autoptr (GDateTime) to = NULL;
      g_autoptr (LersArchiveBatch) batch = NULL;
      g_autoptr (GHashTable) rows = NULL;
      const gint64 *timestamps;
      guint n_rows = 0;

      for (guint i = 0; i < records->len; i++)
        {
          LersRecord *record = g_ptr_array_index (records, i);
          GDateTime *ts = lers_record_get_timestamp (record);

          if (lers_record_get_kind (record) != kind)
            continue;
          if (from == NULL || g_date_time_compare (ts, from) < 0)
            {
              g_clear_pointer (&from, g_date_time_unref);
              from = g_date_time_ref (ts);
            }
          if (to == NULL || g_date_time_compare (ts, to) >= 0)
            {
              g_clear_pointer (&to, g_date_time_unref);
              to = g_date_time_add (ts, 1); /* [from, to): one microsecond past the last */
            }
        }
      if (from == NULL)
        continue;
      batch = lers_store_query_archive_sync (self->store, point->point_id, kind, from, to,
                                             cancellable, error);
      if (batch == NULL)
        return NULL;
      rows = g_hash_table_new (g_int64_hash, g_int64_equal);
      timestamps = lers_archive_batch_get_timestamps (batch, &n_rows);
      for (guint r = 0; r < n_rows; r++)
        g_hash_table_insert (rows, (gpointer) &timestamps[r], GUINT_TO_POINTER (r + 1));
      for (guint i = 0; i < records->len; i++)
        {
          LersRecord *record = g_ptr_array_index (records, i);
          gint64 us;
          guint row;

          if (lers_record_get_kind (record) != kind)
            continue;
          us = g_date_time_to_unix (lers_record_get_timestamp (record)) * G_USEC_PER_SEC
               + g_date_time_get_microsecond (lers_record_get_timestamp (record));
          row = GPOINTER_TO_UINT (g_hash_table_lookup (rows, &us));
          if (row == 0)
            point->n_new++;
          else
            {
              /* the stored row is replaced as a whole on write: keep the
               * parameters the file does not carry, the file winning for
               * those it does */
              g_autoptr (LersRecord) stored = lers_archive_batch_dup_record (batch, row - 1);
              g_autoptr (LersRecord) merged = lers_archive_batch_dup_record (batch, row - 1);

              for (guint v = 0; v < lers_record_get_n_values (record); v++)
                {
                  LersParameter parameter;
                  gdouble value;
                  LersValueFlags flags;

                  if (lers_record_get_value_at (record, v, &parameter, &value, &flags))
                    lers_record_set_value (merged, parameter, value, flags);
                }
              if (lers_record_equal (stored, merged))
                {
                  point->n_unchanged++;
                  continue;
                }
              point->n_changed++;
              g_ptr_array_add (to_write, g_steal_pointer (&merged));
              continue;
            }
          g_ptr_array_add (to_write, g_object_ref (record));
        }
    }
  return g_steal_pointer (&to_write);
}

/**
 * lers_reading_sync_run_sync:
 * @self: a #LersReadingSync
 * @file: the reading to upload
 * @cancellable: (nullable): a #GCancellable
 * @error: return location for a #GError
 *
 * Uploads @file as the type's description says. The counts of an earlier
 * run are replaced. Runs the store's blocking calls in the calling thread.
 *
 * Returns: %TRUE if every record with a point was stored or already
 *   there; %LERS_ERROR_NOT_FOUND when no device matches,
 *   %LERS_ERROR_FAILED when several do, %LERS_ERROR_INVALID_DATA when the
 *   file names no serial number, a store error otherwise (then no record
 *   of @file was written if the error came before the records' commit;
 *   an error while writing the events leaves the records stored, and
 *   running the sync again adds the events)
 *
 * Since: 0.3
 */
gboolean
lers_reading_sync_run_sync (LersReadingSync *self, LersReadingFile *file, GCancellable *cancellable,
                            GError **error)
{
  g_autoptr (LersDevice) device = NULL;
  g_autoptr (LersStoreQuery) query = lers_store_query_new ();
  g_autoptr (GPtrArray) points = NULL;
  g_autoptr (GPtrArray) writes
      = g_ptr_array_new_with_free_func ((GDestroyNotify) g_ptr_array_unref);
  g_autoptr (LersTransaction) transaction = NULL;
  GPtrArray *records;
  GPtrArray *events;
  gboolean any = FALSE;

  g_return_val_if_fail (LERS_IS_READING_SYNC (self), FALSE);
  g_return_val_if_fail (LERS_IS_READING_FILE (file), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  self->device_id = 0;
  g_array_set_size (self->points, 0);
  g_array_set_size (self->unmapped, 0);
  self->n_unmapped = 0;

  device = lers_reading_sync_find_device (self, lers_reading_file_get_device (file), cancellable,
                                          error);
  if (device == NULL)
    return FALSE;
  lers_store_query_add_filter_int64 (query, "device-id", LERS_STORE_OP_EQ,
                                     lers_device_get_id (device));
  lers_store_query_add_order (query, "id", FALSE);
  points = lers_store_list_sync (self->store, LERS_TYPE_MEASURE_POINT, query, cancellable, error);
  if (points == NULL)
    return FALSE;

  records = lers_reading_file_get_records (file);
  for (guint i = 0; i < records->len; i++)
    {
      LersRecord *record = g_ptr_array_index (records, i);
      guint channel = lers_record_get_channel (record);
      gboolean mapped = FALSE;
      gboolean listed = FALSE;

      for (guint p = 0; p < points->len && !mapped; p++)
        mapped = lers_measure_point_get_channel (g_ptr_array_index (points, p)) == channel;
      if (mapped)
        continue;
      self->n_unmapped++;
      for (guint c = 0; c < self->unmapped->len && !listed; c++)
        listed = g_array_index (self->unmapped, guint, c) == channel;
      if (!listed)
        g_array_append_val (self->unmapped, channel);
    }

  events = lers_reading_file_get_events (file);
  for (guint i = 0; i < events->len; i++)
    {
      guint channel = lers_meter_event_get_channel (g_ptr_array_index (events, i));
      gboolean mapped = FALSE;
      gboolean listed = FALSE;

      for (guint p = 0; p < points->len && !mapped; p++)
        mapped = lers_measure_point_get_channel (g_ptr_array_index (points, p)) == channel;
      for (guint c = 0; c < self->unmapped->len && !listed; c++)
        listed = g_array_index (self->unmapped, guint, c) == channel;
      if (!mapped && !listed)
        g_array_append_val (self->unmapped, channel);
    }

  for (guint p = 0; p < points->len; p++)
    {
      LersMeasurePoint *mp = g_ptr_array_index (points, p);
      LersReadingSyncPoint point = { 0 };
      g_autoptr (GPtrArray) mine = g_ptr_array_new ();
      GPtrArray *to_write;

      point.point_id = lers_measure_point_get_id (mp);
      point.channel = lers_measure_point_get_channel (mp);
      for (guint i = 0; i < records->len; i++)
        if (lers_record_get_channel (g_ptr_array_index (records, i)) == point.channel)
          g_ptr_array_add (mine, g_ptr_array_index (records, i));
      to_write = lers_reading_sync_diff (self, mine, &point, cancellable, error);
      if (to_write == NULL)
        return FALSE;
      any |= to_write->len > 0;
      g_ptr_array_add (writes, to_write);
      g_array_append_val (self->points, point);
    }
  self->device_id = lers_device_get_id (device);

  /* every point's records in one transaction: all or nothing */
  if (any)
    {
      transaction = lers_store_begin_sync (self->store, cancellable, error);
      if (transaction == NULL)
        return FALSE;
      for (guint p = 0; p < writes->len; p++)
        {
          GPtrArray *to_write = g_ptr_array_index (writes, p);
          if (to_write->len > 0
              && !lers_transaction_write_records_sync (
                  transaction, g_array_index (self->points, LersReadingSyncPoint, p).point_id,
                  to_write, cancellable, error))
            {
              lers_transaction_rollback (transaction);
              return FALSE;
            }
        }
      if (!lers_transaction_commit_sync (transaction, cancellable, error))
        return FALSE;
    }

  /* then the events, point by point (each write is idempotent) */
  for (guint p = 0; p < self->points->len; p++)
    {
      LersReadingSyncPoint *point = &g_array_index (self->points, LersReadingSyncPoint, p);
      g_autoptr (GPtrArray) mine = g_ptr_array_new ();
      gint n;

      for (guint i = 0; i < events->len; i++)
        if (lers_meter_event_get_channel (g_ptr_array_index (events, i)) == point->channel)
          g_ptr_array_add (mine, g_ptr_array_index (events, i));
      if (mine->len == 0)
        continue;
      n = lers_store_write_meter_events_sync (self->store, point->point_id, mine, cancellable,
                                              error);
      if (n < 0)
        return FALSE;
      point->n_events = (guint) n;
    }
  return TRUE;
}

/**
 * lers_reading_sync_get_device_id:
 * @self: a #LersReadingSync
 *
 * Returns: the id of the device the last run matched, or 0
 *
 * Since: 0.3
 */
gint64
lers_reading_sync_get_device_id (LersReadingSync *self)
{
  g_return_val_if_fail (LERS_IS_READING_SYNC (self), 0);
  return self->device_id;
}

/**
 * lers_reading_sync_get_n_points:
 * @self: a #LersReadingSync
 *
 * Returns: how many measure points of the device the last run looked at
 *
 * Since: 0.3
 */
guint
lers_reading_sync_get_n_points (LersReadingSync *self)
{
  g_return_val_if_fail (LERS_IS_READING_SYNC (self), 0);
  return self->points->len;
}

static LersReadingSyncPoint *
lers_reading_sync_get_point (LersReadingSync *self, guint index)
{
  g_return_val_if_fail (LERS_IS_READING_SYNC (self), NULL);
  g_return_val_if_fail (index < self->points->len, NULL);
  return &g_array_index (self->points, LersReadingSyncPoint, index);
}

/**
 * lers_reading_sync_get_point_id:
 * @self: a #LersReadingSync
 * @index: a point, less than lers_reading_sync_get_n_points()
 *
 * Returns: the measure point's id
 *
 * Since: 0.3
 */
gint64
lers_reading_sync_get_point_id (LersReadingSync *self, guint index)
{
  LersReadingSyncPoint *point = lers_reading_sync_get_point (self, index);
  return point != NULL ? point->point_id : 0;
}

/**
 * lers_reading_sync_get_point_channel:
 * @self: a #LersReadingSync
 * @index: a point, less than lers_reading_sync_get_n_points()
 *
 * Returns: the device channel the point reads
 *
 * Since: 0.3
 */
guint
lers_reading_sync_get_point_channel (LersReadingSync *self, guint index)
{
  LersReadingSyncPoint *point = lers_reading_sync_get_point (self, index);
  return point != NULL ? point->channel : 0;
}

/**
 * lers_reading_sync_get_n_new:
 * @self: a #LersReadingSync
 * @index: a point, less than lers_reading_sync_get_n_points()
 *
 * Returns: how many records the point had no record of that kind and time
 *   for, now stored
 *
 * Since: 0.3
 */
guint
lers_reading_sync_get_n_new (LersReadingSync *self, guint index)
{
  LersReadingSyncPoint *point = lers_reading_sync_get_point (self, index);
  return point != NULL ? point->n_new : 0;
}

/**
 * lers_reading_sync_get_n_changed:
 * @self: a #LersReadingSync
 * @index: a point, less than lers_reading_sync_get_n_points()
 *
 * Returns: how many stored records had other values or flags and were
 *   replaced by the file's
 *
 * Since: 0.3
 */
guint
lers_reading_sync_get_n_changed (LersReadingSync *self, guint index)
{
  LersReadingSyncPoint *point = lers_reading_sync_get_point (self, index);
  return point != NULL ? point->n_changed : 0;
}

/**
 * lers_reading_sync_get_n_unchanged:
 * @self: a #LersReadingSync
 * @index: a point, less than lers_reading_sync_get_n_points()
 *
 * Returns: how many records were stored already, identical
 *
 * Since: 0.3
 */
guint
lers_reading_sync_get_n_unchanged (LersReadingSync *self, guint index)
{
  LersReadingSyncPoint *point = lers_reading_sync_get_point (self, index);
  return point != NULL ? point->n_unchanged : 0;
}

/**
 * lers_reading_sync_get_n_events:
 * @self: a #LersReadingSync
 * @index: a point, less than lers_reading_sync_get_n_points()
 *
 * Returns: how many meter events of the point were added or changed
 *
 * Since: 0.3
 */
guint
lers_reading_sync_get_n_events (LersReadingSync *self, guint index)
{
  LersReadingSyncPoint *point = lers_reading_sync_get_point (self, index);
  return point != NULL ? point->n_events : 0;
}

/**
 * lers_reading_sync_get_n_unmapped:
 * @self: a #LersReadingSync
 *
 * Returns: how many records of the file were of channels no point of the
 *   device reads, and so not stored
 *
 * Since: 0.3
 */
guint
lers_reading_sync_get_n_unmapped (LersReadingSync *self)
{
  g_return_val_if_fail (LERS_IS_READING_SYNC (self), 0);
  return self->n_unmapped;
}

/**
 * lers_reading_sync_get_unmapped_channels:
 * @self: a #LersReadingSync
 * @n_channels: (out): how many channels
 *
 * Returns: (array length=n_channels) (transfer none): the channels of the
 *   file's records and events that no point of the device reads
 *
 * Since: 0.3
 */
const guint *
lers_reading_sync_get_unmapped_channels (LersReadingSync *self, guint *n_channels)
{
  g_return_val_if_fail (LERS_IS_READING_SYNC (self), NULL);
  g_return_val_if_fail (n_channels != NULL, NULL);
  *n_channels = self->unmapped->len;
  return (const guint *) self->unmapped->data;
}
