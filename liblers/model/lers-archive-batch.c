/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "config.h"

#include <math.h>
#include <string.h>

#include "model/lers-archive-batch-private.h"

/**
 * LersArchiveBatch:
 *
 * Archive rows of one measure point and one archive, column by column: the
 * timestamps, then for each parameter present an array of values and an
 * array of flags, all of the same length and in timestamp order. This is
 * what [method@Lers.Store.query_archive_sync] returns; there is no object
 * per row, so a month of hours of a thousand points costs about what its
 * numbers weigh (8 bytes a timestamp, 12 bytes a value with its flags).
 *
 * Timestamps are UTC, in microseconds since the Unix epoch, ascending; for
 * interval archives each is the start of its interval (see #LersRecord).
 *
 * A row without a value for one of the batch's parameters has NaN there
 * and the flag %LERS_VALUE_FLAG_MISSING. A value stored as NaN or ±infinity
 * (a meter's "no number") is returned as stored, with
 * %LERS_VALUE_FLAG_BAD added, so callers need only test the flags.
 *
 * From Python, `batch.get_timestamps()`, `batch.get_values(Lers.Parameter.T_IN)`
 * and `batch.get_flags(…)` give whole columns as lists; in GJS, arrays.
 *
 * Since: 0.2
 */

struct _LersArchiveBatch
{
  GObject parent_instance;
  gint64 point_id;
  LersArchiveKind kind;
  guint n_rows;
  guint capacity;
  gint64 *timestamps;
  guint16 *channels; /* NULL while every row's channel is 0 */
  guint n_parameters;
  LersParameter *parameters; /* in the order first seen */
  gdouble **values;          /* [n_parameters][capacity] */
  guint32 **flags;           /* [n_parameters][capacity] */
  guint8 columns[256];       /* parameter → its column + 1; 0 when absent */
};

G_DEFINE_FINAL_TYPE (LersArchiveBatch, lers_archive_batch, G_TYPE_OBJECT)

static void
lers_archive_batch_finalize (GObject *object)
{
  LersArchiveBatch *self = LERS_ARCHIVE_BATCH (object);

  for (guint i = 0; i < self->n_parameters; i++)
    {
      g_free (self->values[i]);
      g_free (self->flags[i]);
    }
  g_free (self->values);
  g_free (self->flags);
  g_free (self->parameters);
  g_free (self->timestamps);
  g_free (self->channels);
  G_OBJECT_CLASS (lers_archive_batch_parent_class)->finalize (object);
}

static void
lers_archive_batch_class_init (LersArchiveBatchClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = lers_archive_batch_finalize;
}

static void
lers_archive_batch_init (LersArchiveBatch *self)
{
}

/* ---- filling (the store's reader) -------------------------------------- */

LersArchiveBatch *
lers_archive_batch_new (gint64 point_id, LersArchiveKind kind)
{
  LersArchiveBatch *self = g_object_new (LERS_TYPE_ARCHIVE_BATCH, NULL);

  self->point_id = point_id;
  self->kind = kind;
  return self;
}

static void
lers_archive_batch_set_capacity (LersArchiveBatch *self, guint capacity)
{
  self->timestamps = g_renew (gint64, self->timestamps, capacity);
  if (self->channels != NULL)
    self->channels = g_renew (guint16, self->channels, capacity);
  for (guint i = 0; i < self->n_parameters; i++)
    {
      self->values[i] = g_renew (gdouble, self->values[i], capacity);
      self->flags[i] = g_renew (guint32, self->flags[i], capacity);
    }
  self->capacity = capacity;
}

/* Makes room for @n_more rows; growing by half keeps the slack small. */
void
lers_archive_batch_reserve (LersArchiveBatch *self, guint n_more)
{
  guint need;

  g_return_if_fail (n_more <= G_MAXUINT - self->n_rows);
  need = self->n_rows + n_more;
  if (need <= self->capacity)
    return;
  lers_archive_batch_set_capacity (self, MAX (need, self->capacity + self->capacity / 2));
}

/* Appends a row with no values (NaN, missing) in every column. */
void
lers_archive_batch_append_row (LersArchiveBatch *self, gint64 timestamp, guint channel)
{
  guint row;

  lers_archive_batch_reserve (self, 1);
  row = self->n_rows++;
  self->timestamps[row] = timestamp;
  if (channel != 0 && self->channels == NULL)
    self->channels = g_new0 (guint16, self->capacity);
  if (self->channels != NULL)
    self->channels[row] = channel;
  for (guint i = 0; i < self->n_parameters; i++)
    {
      self->values[i][row] = NAN;
      self->flags[i][row] = LERS_VALUE_FLAG_MISSING;
    }
}

/* Sets a value of the last row; a value that is not finite is flagged bad. */
void
lers_archive_batch_set_last (LersArchiveBatch *self, LersParameter parameter, gdouble value,
                             guint32 flags)
{
  guint column;

  g_return_if_fail (self->n_rows > 0);
  g_return_if_fail ((guint) parameter > 0 && (guint) parameter < G_N_ELEMENTS (self->columns));

  column = self->columns[parameter];
  if (column == 0)
    {
      guint i = self->n_parameters++;

      self->parameters = g_renew (LersParameter, self->parameters, self->n_parameters);
      self->values = g_renew (gdouble *, self->values, self->n_parameters);
      self->flags = g_renew (guint32 *, self->flags, self->n_parameters);
      self->parameters[i] = parameter;
      self->values[i] = g_new (gdouble, self->capacity);
      self->flags[i] = g_new (guint32, self->capacity);
      for (guint row = 0; row < self->n_rows; row++)
        {
          self->values[i][row] = NAN;
          self->flags[i][row] = LERS_VALUE_FLAG_MISSING;
        }
      self->columns[parameter] = column = i + 1;
    }
  if (!isfinite (value))
    flags |= LERS_VALUE_FLAG_BAD;
  self->values[column - 1][self->n_rows - 1] = value;
  self->flags[column - 1][self->n_rows - 1] = flags;
}

/* Gives back the slack: the arrays are exactly n_rows long. */
void
lers_archive_batch_trim (LersArchiveBatch *self)
{
  if (self->capacity == self->n_rows)
    return;
  if (self->n_rows == 0)
    {
      for (guint i = 0; i < self->n_parameters; i++)
        {
          g_clear_pointer (&self->values[i], g_free);
          g_clear_pointer (&self->flags[i], g_free);
        }
      g_clear_pointer (&self->timestamps, g_free);
      g_clear_pointer (&self->channels, g_free);
      self->capacity = 0;
      return;
    }
  lers_archive_batch_set_capacity (self, self->n_rows);
}

/* ---- reading ----------------------------------------------------------- */

/**
 * lers_archive_batch_get_point_id:
 * @self: a #LersArchiveBatch
 *
 * Returns: the measure point the rows belong to
 *
 * Since: 0.2
 */
gint64
lers_archive_batch_get_point_id (LersArchiveBatch *self)
{
  g_return_val_if_fail (LERS_IS_ARCHIVE_BATCH (self), 0);
  return self->point_id;
}

/**
 * lers_archive_batch_get_kind:
 * @self: a #LersArchiveBatch
 *
 * Returns: the archive the rows belong to
 *
 * Since: 0.2
 */
LersArchiveKind
lers_archive_batch_get_kind (LersArchiveBatch *self)
{
  g_return_val_if_fail (LERS_IS_ARCHIVE_BATCH (self), LERS_ARCHIVE_KIND_CURRENT);
  return self->kind;
}

/**
 * lers_archive_batch_get_n_rows:
 * @self: a #LersArchiveBatch
 *
 * Returns: the number of rows (timestamps), possibly 0
 *
 * Since: 0.2
 */
guint
lers_archive_batch_get_n_rows (LersArchiveBatch *self)
{
  g_return_val_if_fail (LERS_IS_ARCHIVE_BATCH (self), 0);
  return self->n_rows;
}

/**
 * lers_archive_batch_get_timestamps:
 * @self: a #LersArchiveBatch
 * @n_rows: (out): the number of rows
 *
 * Returns the timestamps of all rows: UTC, microseconds since the Unix
 * epoch (1970-01-01T00:00:00Z), ascending. Divide by 10⁶ for the Unix time
 * in seconds.
 *
 * Returns: (array length=n_rows) (transfer none) (nullable): the
 *   timestamps, owned by @self; %NULL when there are no rows
 *
 * Since: 0.2
 */
const gint64 *
lers_archive_batch_get_timestamps (LersArchiveBatch *self, guint *n_rows)
{
  g_return_val_if_fail (LERS_IS_ARCHIVE_BATCH (self), NULL);
  g_return_val_if_fail (n_rows != NULL, NULL);
  *n_rows = self->n_rows;
  return self->n_rows > 0 ? self->timestamps : NULL;
}

/**
 * lers_archive_batch_dup_timestamp:
 * @self: a #LersArchiveBatch
 * @row: a row, less than [method@Lers.ArchiveBatch.get_n_rows]
 *
 * Returns: (transfer full): the timestamp of @row, in UTC
 *
 * Since: 0.2
 */
GDateTime *
lers_archive_batch_dup_timestamp (LersArchiveBatch *self, guint row)
{
  g_autoptr (GDateTime) secs = NULL;
  gint64 us;

  g_return_val_if_fail (LERS_IS_ARCHIVE_BATCH (self), NULL);
  g_return_val_if_fail (row < self->n_rows, NULL);

  us = self->timestamps[row];
  /* floor division: the microseconds part is never negative */
  secs = g_date_time_new_from_unix_utc (us / G_USEC_PER_SEC - (us % G_USEC_PER_SEC < 0 ? 1 : 0));
  if (secs == NULL)
    return NULL;
  return g_date_time_add (secs, ((us % G_USEC_PER_SEC) + G_USEC_PER_SEC) % G_USEC_PER_SEC);
}

/**
 * lers_archive_batch_get_channel:
 * @self: a #LersArchiveBatch
 * @row: a row, less than [method@Lers.ArchiveBatch.get_n_rows]
 *
 * Returns: the device channel @row was read from (see
 *   [method@Lers.Record.get_channel])
 *
 * Since: 0.2
 */
guint
lers_archive_batch_get_channel (LersArchiveBatch *self, guint row)
{
  g_return_val_if_fail (LERS_IS_ARCHIVE_BATCH (self), 0);
  g_return_val_if_fail (row < self->n_rows, 0);
  return self->channels != NULL ? self->channels[row] : 0;
}

/**
 * lers_archive_batch_get_parameters:
 * @self: a #LersArchiveBatch
 * @n_parameters: (out): the number of parameters
 *
 * Returns the parameters that have a value in at least one row, in the
 * order they first appear (for meter data, the order the driver reports
 * them in).
 *
 * The elements are #LersParameter values; the introspection type is
 * guint32, as GJS cannot read arrays of enumerations.
 *
 * Returns: (array length=n_parameters) (element-type guint32) (transfer none)
 *   (nullable): the parameters, owned by @self; %NULL when there are none
 *
 * Since: 0.2
 */
const LersParameter *
lers_archive_batch_get_parameters (LersArchiveBatch *self, guint *n_parameters)
{
  g_return_val_if_fail (LERS_IS_ARCHIVE_BATCH (self), NULL);
  g_return_val_if_fail (n_parameters != NULL, NULL);
  *n_parameters = self->n_parameters;
  return self->n_parameters > 0 ? self->parameters : NULL;
}

static gint
lers_archive_batch_column (LersArchiveBatch *self, LersParameter parameter)
{
  if ((guint) parameter >= G_N_ELEMENTS (self->columns))
    return -1;
  return (gint) self->columns[parameter] - 1;
}

/**
 * lers_archive_batch_has_parameter:
 * @self: a #LersArchiveBatch
 * @parameter: a parameter
 *
 * Returns: %TRUE if at least one row has a value of @parameter
 *
 * Since: 0.2
 */
gboolean
lers_archive_batch_has_parameter (LersArchiveBatch *self, LersParameter parameter)
{
  g_return_val_if_fail (LERS_IS_ARCHIVE_BATCH (self), FALSE);
  return lers_archive_batch_column (self, parameter) >= 0;
}

/**
 * lers_archive_batch_get_values:
 * @self: a #LersArchiveBatch
 * @parameter: a parameter
 * @n_rows: (out): the number of rows, or 0 if @parameter is not in the batch
 *
 * Returns the values of @parameter in every row, in the parameter's
 * storage unit (lers_parameter_get_unit()). A row without one has NaN;
 * look at [method@Lers.ArchiveBatch.get_flags] to tell a missing value
 * (%LERS_VALUE_FLAG_MISSING) from a bad one (%LERS_VALUE_FLAG_BAD).
 *
 * Returns: (array length=n_rows) (transfer none) (nullable): the values,
 *   owned by @self, or %NULL if no row has @parameter
 *
 * Since: 0.2
 */
const gdouble *
lers_archive_batch_get_values (LersArchiveBatch *self, LersParameter parameter, guint *n_rows)
{
  gint column;

  g_return_val_if_fail (LERS_IS_ARCHIVE_BATCH (self), NULL);
  g_return_val_if_fail (n_rows != NULL, NULL);

  column = lers_archive_batch_column (self, parameter);
  *n_rows = column >= 0 ? self->n_rows : 0;
  return column >= 0 && self->n_rows > 0 ? self->values[column] : NULL;
}

/**
 * lers_archive_batch_get_flags:
 * @self: a #LersArchiveBatch
 * @parameter: a parameter
 * @n_rows: (out): the number of rows, or 0 if @parameter is not in the batch
 *
 * Returns the #LersValueFlags of @parameter's value in every row;
 * %LERS_VALUE_FLAG_MISSING where a row has no value of it.
 *
 * Returns: (array length=n_rows) (transfer none) (nullable): the flags,
 *   owned by @self, or %NULL if no row has @parameter
 *
 * Since: 0.2
 */
const guint32 *
lers_archive_batch_get_flags (LersArchiveBatch *self, LersParameter parameter, guint *n_rows)
{
  gint column;

  g_return_val_if_fail (LERS_IS_ARCHIVE_BATCH (self), NULL);
  g_return_val_if_fail (n_rows != NULL, NULL);

  column = lers_archive_batch_column (self, parameter);
  *n_rows = column >= 0 ? self->n_rows : 0;
  return column >= 0 && self->n_rows > 0 ? self->flags[column] : NULL;
}

/**
 * lers_archive_batch_get_value:
 * @self: a #LersArchiveBatch
 * @row: a row, less than [method@Lers.ArchiveBatch.get_n_rows]
 * @parameter: a parameter
 * @flags: (out) (optional): the value's flags
 *
 * One value of one row. A row with no value of @parameter gives NaN and
 * %LERS_VALUE_FLAG_MISSING.
 *
 * Returns: the value, in the parameter's storage unit, or NaN
 *
 * Since: 0.2
 */
gdouble
lers_archive_batch_get_value (LersArchiveBatch *self, guint row, LersParameter parameter,
                              LersValueFlags *flags)
{
  gint column;

  if (flags != NULL)
    *flags = LERS_VALUE_FLAG_MISSING;
  g_return_val_if_fail (LERS_IS_ARCHIVE_BATCH (self), NAN);
  g_return_val_if_fail (row < self->n_rows, NAN);

  column = lers_archive_batch_column (self, parameter);
  if (column < 0)
    return NAN;
  if (flags != NULL)
    *flags = self->flags[column][row];
  return self->values[column][row];
}

/**
 * lers_archive_batch_dup_record:
 * @self: a #LersArchiveBatch
 * @row: a row, less than [method@Lers.ArchiveBatch.get_n_rows]
 *
 * Makes a #LersRecord of one row, with the values the row has (missing
 * ones left out), for code that edits and writes back a record. Reading
 * many rows is cheaper through the column accessors.
 *
 * Returns: (transfer full): a new record
 *
 * Since: 0.2
 */
LersRecord *
lers_archive_batch_dup_record (LersArchiveBatch *self, guint row)
{
  g_autoptr (GDateTime) ts = NULL;
  LersRecord *record;

  g_return_val_if_fail (LERS_IS_ARCHIVE_BATCH (self), NULL);
  g_return_val_if_fail (row < self->n_rows, NULL);

  ts = lers_archive_batch_dup_timestamp (self, row);
  g_return_val_if_fail (ts != NULL, NULL);
  record = lers_record_new (ts, self->kind);
  lers_record_set_channel (record, lers_archive_batch_get_channel (self, row));
  for (guint i = 0; i < self->n_parameters; i++)
    {
      guint32 flags = self->flags[i][row];

      if (flags & LERS_VALUE_FLAG_MISSING)
        continue;
      lers_record_set_value (record, self->parameters[i], self->values[i][row], flags);
    }
  return record;
}
