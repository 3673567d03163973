/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "config.h"

#include "model/lers-record.h"

/**
 * LersRecord:
 *
 * One archive record: the values a device reported for one timestamp of one
 * archive (an hour, a day, the current moment). Each value has a parameter
 * (`T_in`, `Q_in`…), a number in the parameter's storage unit and status flags.
 *
 * For interval archives the timestamp is the start of the interval: the hour
 * record of 10:00 holds what was consumed from 10:00 to 11:00.
 *
 * Since: 0.1
 */

typedef struct
{
  LersParameter parameter;
  LersValueFlags flags;
  gdouble value;
} LersRecordValue;

struct _LersRecord
{
  GObject parent_instance;
  GDateTime *timestamp;
  LersArchiveKind kind;
  guint channel;
  GArray *values; /* of LersRecordValue, in insertion order */
};

G_DEFINE_TYPE (LersRecord, lers_record, G_TYPE_OBJECT)

static void
lers_record_finalize (GObject *object)
{
  LersRecord *self = LERS_RECORD (object);

  g_clear_pointer (&self->timestamp, g_date_time_unref);
  g_array_unref (self->values);
  G_OBJECT_CLASS (lers_record_parent_class)->finalize (object);
}

static void
lers_record_class_init (LersRecordClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = lers_record_finalize;
}

static void
lers_record_init (LersRecord *self)
{
  self->values = g_array_new (FALSE, FALSE, sizeof (LersRecordValue));
}

/**
 * lers_record_new:
 * @timestamp: when the record applies (start of the interval)
 * @kind: the archive it belongs to
 *
 * Returns: (transfer full): a record with no values
 *
 * Since: 0.1
 */
LersRecord *
lers_record_new (GDateTime *timestamp, LersArchiveKind kind)
{
  LersRecord *self;

  g_return_val_if_fail (timestamp != NULL, NULL);
  self = g_object_new (LERS_TYPE_RECORD, NULL);
  self->timestamp = g_date_time_ref (timestamp);
  self->kind = kind;
  return self;
}

/**
 * lers_record_get_timestamp:
 * @self: a #LersRecord
 *
 * Returns: (transfer none): when the record applies
 *
 * Since: 0.1
 */
GDateTime *
lers_record_get_timestamp (LersRecord *self)
{
  g_return_val_if_fail (LERS_IS_RECORD (self), NULL);
  return self->timestamp;
}

/**
 * lers_record_get_kind:
 * @self: a #LersRecord
 *
 * Returns: the archive the record belongs to
 *
 * Since: 0.1
 */
LersArchiveKind
lers_record_get_kind (LersRecord *self)
{
  g_return_val_if_fail (LERS_IS_RECORD (self), LERS_ARCHIVE_KIND_CURRENT);
  return self->kind;
}

/**
 * lers_record_get_channel:
 * @self: a #LersRecord
 *
 * Returns: the device channel (subunit, heat system) the values came from
 *
 * Since: 0.1
 */
guint
lers_record_get_channel (LersRecord *self)
{
  g_return_val_if_fail (LERS_IS_RECORD (self), 0);
  return self->channel;
}

/**
 * lers_record_set_channel:
 * @self: a #LersRecord
 * @channel: the device channel
 *
 * Since: 0.1
 */
void
lers_record_set_channel (LersRecord *self, guint channel)
{
  g_return_if_fail (LERS_IS_RECORD (self));
  self->channel = channel;
}

static LersRecordValue *
lers_record_find (LersRecord *self, LersParameter parameter)
{
  for (guint i = 0; i < self->values->len; i++)
    {
      LersRecordValue *v = &g_array_index (self->values, LersRecordValue, i);
      if (v->parameter == parameter)
        return v;
    }
  return NULL;
}

/**
 * lers_record_set_value:
 * @self: a #LersRecord
 * @parameter: which parameter
 * @value: the value, in the parameter's unit (lers_parameter_get_unit())
 * @flags: its status
 *
 * Sets a value, replacing any earlier value of the same parameter.
 *
 * Since: 0.1
 */
void
lers_record_set_value (LersRecord *self, LersParameter parameter, gdouble value,
                       LersValueFlags flags)
{
  LersRecordValue *v;

  g_return_if_fail (LERS_IS_RECORD (self));
  g_return_if_fail (lers_parameter_get_name (parameter) != NULL);

  v = lers_record_find (self, parameter);
  if (v == NULL)
    {
      LersRecordValue nv = { parameter, flags, value };
      g_array_append_val (self->values, nv);
      return;
    }
  v->value = value;
  v->flags = flags;
}

/**
 * lers_record_get_value:
 * @self: a #LersRecord
 * @parameter: which parameter
 * @value: (out) (optional): the value
 * @flags: (out) (optional): its status
 *
 * Returns: %TRUE if the record has a value of @parameter
 *
 * Since: 0.1
 */
gboolean
lers_record_get_value (LersRecord *self, LersParameter parameter, gdouble *value,
                       LersValueFlags *flags)
{
  LersRecordValue *v;

  g_return_val_if_fail (LERS_IS_RECORD (self), FALSE);
  v = lers_record_find (self, parameter);
  if (v == NULL)
    return FALSE;
  if (value != NULL)
    *value = v->value;
  if (flags != NULL)
    *flags = v->flags;
  return TRUE;
}

/**
 * lers_record_has_value:
 * @self: a #LersRecord
 * @parameter: which parameter
 *
 * Returns: %TRUE if the record has a value of @parameter
 *
 * Since: 0.1
 */
gboolean
lers_record_has_value (LersRecord *self, LersParameter parameter)
{
  return lers_record_get_value (self, parameter, NULL, NULL);
}

/**
 * lers_record_get_n_values:
 * @self: a #LersRecord
 *
 * Returns: how many values the record holds
 *
 * Since: 0.1
 */
guint
lers_record_get_n_values (LersRecord *self)
{
  g_return_val_if_fail (LERS_IS_RECORD (self), 0);
  return self->values->len;
}

/**
 * lers_record_get_value_at:
 * @self: a #LersRecord
 * @index: from 0 to lers_record_get_n_values() - 1
 * @parameter: (out) (optional): the parameter
 * @value: (out) (optional): the value
 * @flags: (out) (optional): its status
 *
 * Returns: %TRUE if @index is in range
 *
 * Since: 0.1
 */
gboolean
lers_record_get_value_at (LersRecord *self, guint index, LersParameter *parameter, gdouble *value,
                          LersValueFlags *flags)
{
  LersRecordValue *v;

  g_return_val_if_fail (LERS_IS_RECORD (self), FALSE);
  if (index >= self->values->len)
    return FALSE;
  v = &g_array_index (self->values, LersRecordValue, index);
  if (parameter != NULL)
    *parameter = v->parameter;
  if (value != NULL)
    *value = v->value;
  if (flags != NULL)
    *flags = v->flags;
  return TRUE;
}

/**
 * lers_record_equal:
 * @self: a #LersRecord
 * @other: another #LersRecord
 *
 * Returns: %TRUE if both have the same timestamp, kind, channel and values
 *   (in any order) with the same flags
 *
 * Since: 0.1
 */
gboolean
lers_record_equal (LersRecord *self, LersRecord *other)
{
  g_return_val_if_fail (LERS_IS_RECORD (self), FALSE);
  g_return_val_if_fail (LERS_IS_RECORD (other), FALSE);

  if (self->kind != other->kind || self->channel != other->channel
      || !g_date_time_equal (self->timestamp, other->timestamp)
      || self->values->len != other->values->len)
    return FALSE;
  for (guint i = 0; i < self->values->len; i++)
    {
      LersRecordValue *a = &g_array_index (self->values, LersRecordValue, i);
      LersRecordValue *b = lers_record_find (other, a->parameter);
      if (b == NULL || a->value != b->value || a->flags != b->flags)
        return FALSE;
    }
  return TRUE;
}
