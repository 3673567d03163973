/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "config.h"

#include <glib/gi18n-lib.h>
#include <json-glib/json-glib.h>
#include <string.h>
#include <errno.h>
#include <math.h>

#include "lers-enum-types.h"
#include "lers-error.h"
#include "lers-json.h"
#include "lers-reading-file.h"
#include "model/lers-meter-event.h"

/**
 * LersReadingFile:
 *
 * What the universal console (`lers read`) took from one meter, in memory:
 * the device, when and by what program it was read, the device clock and
 * its offset from the reading computer's, the archive records by kind and
 * channel, the meter events, and what the device did not support.
 *
 * It is loaded from and saved to a versioned JSON document, described in
 * `docs/reading-file.md`. Loading checks everything: an unknown `format`,
 * a `version` newer than %LERS_READING_FILE_VERSION, malformed JSON, a
 * member of the wrong type, a value that is not a finite number, a time
 * that is not ISO 8601 with an offset or lies outside 1970–2199 each fail
 * with %LERS_ERROR_INVALID_DATA and a message that starts with the JSON
 * path of the fault (`$.archives[0].records[3].time`). A failed load leaves
 * the object as it was.
 *
 * ```python
 * f = Lers.ReadingFile.new()
 * f.load_from_file("meter.lers.json")
 * print(f.get_device().get_serial_number(), len(f.get_records()))
 * ```
 *
 * Since: 0.3
 */

#define LERS_READING_FILE_FORMAT "lers-reading"

struct _LersReadingFile
{
  GObject parent_instance;

  gchar *program;
  GDateTime *read_at;
  LersDevice *device;
  gchar *zone;
  GDateTime *device_clock;
  gint64 clock_offset;
  GPtrArray *records;       /* of LersRecord */
  GPtrArray *events;        /* of LersMeterEvent */
  GPtrArray *not_supported; /* of gchar*, NULL-terminated */
};

G_DEFINE_FINAL_TYPE (LersReadingFile, lers_reading_file, G_TYPE_OBJECT)

/* 1970-01-01T00:00:00Z and 2200-01-01T00:00:00Z */
#define LERS_READING_FILE_MIN_UNIX G_GINT64_CONSTANT (0)
#define LERS_READING_FILE_MAX_UNIX G_GINT64_CONSTANT (7258118400)
/* a device clock more than 100 years off is not a clock */
#define LERS_READING_FILE_MAX_OFFSET G_GINT64_CONSTANT (3155760000)

static void
lers_reading_file_finalize (GObject *object)
{
  LersReadingFile *self = LERS_READING_FILE (object);

  g_free (self->program);
  g_clear_pointer (&self->read_at, g_date_time_unref);
  g_clear_object (&self->device);
  g_free (self->zone);
  g_clear_pointer (&self->device_clock, g_date_time_unref);
  g_ptr_array_unref (self->records);
  g_ptr_array_unref (self->events);
  g_ptr_array_unref (self->not_supported);
  G_OBJECT_CLASS (lers_reading_file_parent_class)->finalize (object);
}

static void
lers_reading_file_class_init (LersReadingFileClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = lers_reading_file_finalize;
}

static GPtrArray *
lers_reading_file_strv_new (void)
{
  GPtrArray *array = g_ptr_array_new_with_free_func (g_free);

  g_ptr_array_add (array, NULL);
  return array;
}

static void
lers_reading_file_init (LersReadingFile *self)
{
  self->program = g_strdup ("lers " LERS_VERSION);
  self->read_at = g_date_time_new_now_utc ();
  self->device = lers_device_new ();
  self->zone = g_strdup ("UTC");
  self->records = g_ptr_array_new_with_free_func (g_object_unref);
  self->events = g_ptr_array_new_with_free_func (g_object_unref);
  self->not_supported = lers_reading_file_strv_new ();
}

/**
 * lers_reading_file_new:
 *
 * Makes an empty reading: read now by this program, a device with no
 * protocol, the zone UTC, no clock, no records, no events.
 *
 * Returns: (transfer full): a new #LersReadingFile
 *
 * Since: 0.3
 */
LersReadingFile *
lers_reading_file_new (void)
{
  return g_object_new (LERS_TYPE_READING_FILE, NULL);
}

/* ---- loading ------------------------------------------------------------ */

static gboolean G_GNUC_PRINTF (3, 4)
    lers_reading_file_fail (GError **error, const gchar *path, const gchar *format, ...)
{
  va_list args;
  g_autofree gchar *message = NULL;
  g_autofree gchar *full = NULL;
  g_autofree gchar *valid = NULL;

  va_start (args, format);
  message = g_strdup_vprintf (format, args);
  va_end (args);
  /* json-glib takes escapes such as \333 that make bytes which are not
   * UTF-8; a message quoting them must still be text */
  full = g_strdup_printf ("%s: %s", path, message);
  valid = g_utf8_make_valid (full, -1);
  g_set_error_literal (error, LERS_ERROR, LERS_ERROR_INVALID_DATA, valid);
  return FALSE;
}

static JsonObject *
lers_reading_file_get_object (JsonNode *node, const gchar *path, GError **error)
{
  if (node == NULL || !JSON_NODE_HOLDS_OBJECT (node))
    {
      lers_reading_file_fail (error, path, _ ("an object is expected"));
      return NULL;
    }
  return json_node_get_object (node);
}

static JsonArray *
lers_reading_file_get_array (JsonNode *node, const gchar *path, GError **error)
{
  if (node == NULL || !JSON_NODE_HOLDS_ARRAY (node))
    {
      lers_reading_file_fail (error, path, _ ("an array is expected"));
      return NULL;
    }
  return json_node_get_array (node);
}

/* A string member; @optional lets it be missing or null (then *value is NULL). */
static gboolean
lers_reading_file_get_string (JsonObject *object, const gchar *member, const gchar *parent,
                              gboolean optional, const gchar **value, GError **error)
{
  JsonNode *node = json_object_get_member (object, member);
  g_autofree gchar *path = g_strdup_printf ("%s.%s", parent, member);

  *value = NULL;
  if (node == NULL || JSON_NODE_HOLDS_NULL (node))
    return optional ? TRUE : lers_reading_file_fail (error, path, _ ("a string is expected"));
  if (!JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_STRING)
    return lers_reading_file_fail (error, path, _ ("a string is expected"));
  if (!g_utf8_validate (json_node_get_string (node), -1, NULL))
    return lers_reading_file_fail (error, path, _ ("the string is not UTF-8 text"));
  *value = json_node_get_string (node);
  return TRUE;
}

/* An integer member in [@min, @max]. */
static gboolean
lers_reading_file_get_int (JsonObject *object, const gchar *member, const gchar *parent, gint64 min,
                           gint64 max, gint64 *value, GError **error)
{
  JsonNode *node = json_object_get_member (object, member);
  g_autofree gchar *path = g_strdup_printf ("%s.%s", parent, member);

  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node)
      || json_node_get_value_type (node) != G_TYPE_INT64)
    return lers_reading_file_fail (error, path, _ ("an integer is expected"));
  *value = json_node_get_int (node);
  if (*value < min || *value > max)
    return lers_reading_file_fail (error, path, _ ("%lld is out of range (%lld to %lld)"),
                                   (long long) *value, (long long) min, (long long) max);
  return TRUE;
}

/* A time member: ISO 8601 with an offset, 1970-01-01 to 2199-12-31 (UTC). */
static GDateTime *
lers_reading_file_parse_time (JsonNode *node, const gchar *path, GError **error)
{
  g_autoptr (GDateTime) dt = NULL;
  g_autoptr (GTimeZone) utc = NULL;
  const gchar *text;
  gint64 unix_time;

  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node)
      || json_node_get_value_type (node) != G_TYPE_STRING)
    {
      lers_reading_file_fail (error, path, _ ("a time (a string) is expected"));
      return NULL;
    }
  text = json_node_get_string (node);
  utc = g_time_zone_new_utc ();
  /* a time without an offset would be read in UTC: refuse it, the file
   * states every time in UTC (…Z) or with its offset */
  dt = g_date_time_new_from_iso8601 (text, NULL);
  if (dt == NULL)
    {
      lers_reading_file_fail (error, path,
                              _ ("“%s” is not an ISO 8601 time with an offset such as "
                                 "2026-11-01T10:00:00Z"),
                              text);
      return NULL;
    }
  unix_time = g_date_time_to_unix (dt);
  if (unix_time < LERS_READING_FILE_MIN_UNIX || unix_time >= LERS_READING_FILE_MAX_UNIX)
    {
      lers_reading_file_fail (error, path, _ ("%s is outside 1970 to 2199"), text);
      return NULL;
    }
  return g_date_time_to_timezone (dt, utc);
}

/* The members a load fills in, swapped into the object only on success. */
typedef struct
{
  gchar *program;
  GDateTime *read_at;
  LersDevice *device;
  gchar *zone;
  GDateTime *device_clock;
  gint64 clock_offset;
  GPtrArray *records;
  GPtrArray *events;
  GPtrArray *not_supported;
} LersReadingFileState;

static void
lers_reading_file_state_clear (LersReadingFileState *state)
{
  g_clear_pointer (&state->program, g_free);
  g_clear_pointer (&state->read_at, g_date_time_unref);
  g_clear_object (&state->device);
  g_clear_pointer (&state->zone, g_free);
  g_clear_pointer (&state->device_clock, g_date_time_unref);
  g_clear_pointer (&state->records, g_ptr_array_unref);
  g_clear_pointer (&state->events, g_ptr_array_unref);
  g_clear_pointer (&state->not_supported, g_ptr_array_unref);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (LersReadingFileState, lers_reading_file_state_clear)

static gboolean
lers_reading_file_load_device (LersReadingFileState *state, JsonObject *root, GError **error)
{
  static const gchar *const members[] = { "protocol", "model", "serial_number", "network_address" };
  const gchar *values[G_N_ELEMENTS (members)];
  JsonObject *object
      = lers_reading_file_get_object (json_object_get_member (root, "device"), "$.device", error);

  if (object == NULL)
    return FALSE;
  for (gsize i = 0; i < G_N_ELEMENTS (members); i++)
    if (!lers_reading_file_get_string (object, members[i], "$.device", i != 0, &values[i], error))
      return FALSE;
  if (values[0][0] == '\0')
    return lers_reading_file_fail (error, "$.device.protocol", _ ("the protocol is empty"));
  state->device = lers_device_new ();
  lers_device_set_protocol (state->device, values[0]);
  lers_device_set_model (state->device, values[1]);
  lers_device_set_serial_number (state->device, values[2]);
  lers_device_set_network_address (state->device, values[3]);
  return TRUE;
}

static gboolean
lers_reading_file_load_clock (LersReadingFileState *state, JsonObject *root, GError **error)
{
  JsonObject *object
      = lers_reading_file_get_object (json_object_get_member (root, "clock"), "$.clock", error);
  JsonNode *device;
  const gchar *zone;
  g_autoptr (GTimeZone) tz = NULL;

  if (object == NULL)
    return FALSE;
  if (!lers_reading_file_get_string (object, "zone", "$.clock", FALSE, &zone, error))
    return FALSE;
  tz = g_time_zone_new_identifier (zone);
  if (tz == NULL)
    return lers_reading_file_fail (error, "$.clock.zone", _ ("“%s” is not a time zone"), zone);
  state->zone = g_strdup (zone);
  device = json_object_get_member (object, "device");
  if (device != NULL && !JSON_NODE_HOLDS_NULL (device))
    {
      state->device_clock = lers_reading_file_parse_time (device, "$.clock.device", error);
      if (state->device_clock == NULL)
        return FALSE;
      if (!lers_reading_file_get_int (object, "offset_seconds", "$.clock",
                                      -LERS_READING_FILE_MAX_OFFSET, LERS_READING_FILE_MAX_OFFSET,
                                      &state->clock_offset, error))
        return FALSE;
    }
  return TRUE;
}

static gboolean
lers_reading_file_load_flags (JsonObject *flags, LersRecord *record, const gchar *path,
                              GError **error)
{
  g_autoptr (GList) members = json_object_get_members (flags);
  g_autoptr (GFlagsClass) klass = g_type_class_ref (LERS_TYPE_VALUE_FLAGS);

  for (GList *l = members; l != NULL; l = l->next)
    {
      const gchar *name = l->data;
      g_autofree gchar *member_path = g_strdup_printf ("%s.%s", path, name);
      LersParameter parameter;
      gdouble value;
      guint bits = 0;
      JsonArray *array;

      if (!lers_parameter_from_name (name, &parameter)
          || !lers_record_get_value (record, parameter, &value, NULL))
        return lers_reading_file_fail (error, member_path,
                                       _ ("flags for a parameter the record has no value of"));
      array
          = lers_reading_file_get_array (json_object_get_member (flags, name), member_path, error);
      if (array == NULL)
        return FALSE;
      for (guint i = 0; i < json_array_get_length (array); i++)
        {
          JsonNode *node = json_array_get_element (array, i);
          g_autofree gchar *flag_path = g_strdup_printf ("%s[%u]", member_path, i);
          GFlagsValue *flag = NULL;

          if (JSON_NODE_HOLDS_VALUE (node) && json_node_get_value_type (node) == G_TYPE_STRING)
            flag = g_flags_get_value_by_nick (klass, json_node_get_string (node));
          if (flag == NULL || flag->value == LERS_VALUE_FLAG_NONE
              || flag->value == LERS_VALUE_FLAG_MISSING)
            return lers_reading_file_fail (error, flag_path,
                                           _ ("a flag is expected: bad, calculated, "
                                              "interpolated or reset"));
          bits |= flag->value;
        }
      lers_record_set_value (record, parameter, value, bits);
    }
  return TRUE;
}

static LersRecord *
lers_reading_file_load_record (JsonNode *node, LersArchiveKind kind, guint channel,
                               const gchar *path, GError **error)
{
  JsonObject *object = lers_reading_file_get_object (node, path, error);
  g_autofree gchar *time_path = g_strdup_printf ("%s.time", path);
  g_autofree gchar *values_path = g_strdup_printf ("%s.values", path);
  g_autoptr (GDateTime) time = NULL;
  g_autoptr (LersRecord) record = NULL;
  g_autoptr (GList) members = NULL;
  JsonObject *values;
  JsonNode *flags;

  if (object == NULL)
    return NULL;
  time = lers_reading_file_parse_time (json_object_get_member (object, "time"), time_path, error);
  if (time == NULL)
    return NULL;
  values = lers_reading_file_get_object (json_object_get_member (object, "values"), values_path,
                                         error);
  if (values == NULL)
    return NULL;
  record = lers_record_new (time, kind);
  lers_record_set_channel (record, channel);
  members = json_object_get_members (values);
  for (GList *l = members; l != NULL; l = l->next)
    {
      const gchar *name = l->data;
      JsonNode *value = json_object_get_member (values, name);
      g_autofree gchar *value_path = g_strdup_printf ("%s.%s", values_path, name);
      LersParameter parameter;
      GType type;
      gdouble v;

      if (!lers_parameter_from_name (name, &parameter))
        {
          lers_reading_file_fail (error, value_path, _ ("“%s” is not a parameter"), name);
          return NULL;
        }
      type = JSON_NODE_HOLDS_VALUE (value) ? json_node_get_value_type (value) : G_TYPE_INVALID;
      if (type != G_TYPE_INT64 && type != G_TYPE_DOUBLE)
        {
          lers_reading_file_fail (error, value_path, _ ("a number is expected"));
          return NULL;
        }
      v = type == G_TYPE_INT64 ? (gdouble) json_node_get_int (value) : json_node_get_double (value);
      if (!isfinite (v))
        {
          lers_reading_file_fail (error, value_path, _ ("the number is not finite"));
          return NULL;
        }
      lers_record_set_value (record, parameter, v, LERS_VALUE_FLAG_NONE);
    }
  flags = json_object_get_member (object, "flags");
  if (flags != NULL && !JSON_NODE_HOLDS_NULL (flags))
    {
      g_autofree gchar *flags_path = g_strdup_printf ("%s.flags", path);
      JsonObject *flags_object = lers_reading_file_get_object (flags, flags_path, error);
      if (flags_object == NULL
          || !lers_reading_file_load_flags (flags_object, record, flags_path, error))
        return NULL;
    }
  return g_steal_pointer (&record);
}

static gboolean
lers_reading_file_load_archives (LersReadingFileState *state, JsonObject *root, GError **error)
{
  JsonNode *node = json_object_get_member (root, "archives");
  JsonArray *archives;

  g_autoptr (GHashTable) seen = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);

  state->records = g_ptr_array_new_with_free_func (g_object_unref);
  if (node == NULL)
    return TRUE;
  archives = lers_reading_file_get_array (node, "$.archives", error);
  if (archives == NULL)
    return FALSE;
  for (guint i = 0; i < json_array_get_length (archives); i++)
    {
      g_autofree gchar *path = g_strdup_printf ("$.archives[%u]", i);
      g_autofree gchar *kind_path = g_strdup_printf ("%s.kind", path);
      g_autofree gchar *records_path = g_strdup_printf ("%s.records", path);
      JsonObject *archive
          = lers_reading_file_get_object (json_array_get_element (archives, i), path, error);
      const gchar *kind_name;
      LersArchiveKind kind;
      gint64 channel;
      JsonArray *records;

      if (archive == NULL
          || !lers_reading_file_get_string (archive, "kind", path, FALSE, &kind_name, error))
        return FALSE;
      if (!lers_archive_kind_from_string (kind_name, &kind) || kind == LERS_ARCHIVE_KIND_EVENTS)
        return lers_reading_file_fail (error, kind_path,
                                       _ ("“%s” is not an archive kind: hour, day, month, totals, "
                                          "current or power-profile"),
                                       kind_name);
      /* the store keeps a channel in a smallint */
      if (!lers_reading_file_get_int (archive, "channel", path, 0, G_MAXINT16, &channel, error))
        return FALSE;
      records = lers_reading_file_get_array (json_object_get_member (archive, "records"),
                                             records_path, error);
      if (records == NULL)
        return FALSE;
      for (guint j = 0; j < json_array_get_length (records); j++)
        {
          g_autofree gchar *record_path = g_strdup_printf ("%s[%u]", records_path, j);
          LersRecord *record = lers_reading_file_load_record (
              json_array_get_element (records, j), kind, (guint) channel, record_path, error);
          g_autofree gchar *key = NULL;

          if (record == NULL)
            return FALSE;
          g_ptr_array_add (state->records, record);
          /* one record a (kind, channel, time): with two, what is stored
           * would depend on their order and no sync would be the last */
          key = g_strdup_printf ("%d/%u/%" G_GINT64_FORMAT "/%d", kind, (guint) channel,
                                 g_date_time_to_unix (lers_record_get_timestamp (record)),
                                 g_date_time_get_microsecond (lers_record_get_timestamp (record)));
          if (!g_hash_table_add (seen, g_steal_pointer (&key)))
            {
              g_autofree gchar *time_path = g_strdup_printf ("%s.time", record_path);
              return lers_reading_file_fail (error, time_path,
                                             _ ("a second record of this archive and channel "
                                                "at the same time"));
            }
        }
    }
  return TRUE;
}

static LersMeterEvent *
lers_reading_file_load_event (JsonNode *node, const gchar *path, GError **error)
{
  JsonObject *object = lers_reading_file_get_object (node, path, error);
  g_autofree gchar *start_path = g_strdup_printf ("%s.start", path);
  g_autofree gchar *end_path = g_strdup_printf ("%s.end", path);
  g_autofree gchar *severity_path = g_strdup_printf ("%s.severity", path);
  g_autoptr (GDateTime) start = NULL;
  g_autoptr (GDateTime) end = NULL;
  g_autoptr (LersMeterEvent) event = NULL;
  g_autoptr (GEnumClass) severities = NULL;
  const gchar *code;
  const gchar *text;
  const gchar *severity;
  GEnumValue *severity_value = NULL;
  gint64 device_code = 0;
  gint64 channel = 0;
  JsonNode *end_node;

  if (object == NULL)
    return NULL;
  if (!lers_reading_file_get_string (object, "code", path, TRUE, &code, error)
      || !lers_reading_file_get_string (object, "text", path, TRUE, &text, error)
      || !lers_reading_file_get_string (object, "severity", path, FALSE, &severity, error))
    return NULL;
  if (json_object_has_member (object, "device_code")
      && !lers_reading_file_get_int (object, "device_code", path, G_MININT32, G_MAXINT32,
                                     &device_code, error))
    return NULL;
  if (json_object_has_member (object, "channel")
      && !lers_reading_file_get_int (object, "channel", path, 0, G_MAXINT16, &channel, error))
    return NULL;
  severities = g_type_class_ref (LERS_TYPE_METER_EVENT_SEVERITY);
  severity_value = g_enum_get_value_by_nick (severities, severity);
  if (severity_value == NULL)
    {
      lers_reading_file_fail (error, severity_path,
                              _ ("“%s” is not a severity: info, warning or alarm"), severity);
      return NULL;
    }
  start
      = lers_reading_file_parse_time (json_object_get_member (object, "start"), start_path, error);
  if (start == NULL)
    return NULL;
  end_node = json_object_get_member (object, "end");
  if (end_node != NULL && !JSON_NODE_HOLDS_NULL (end_node))
    {
      end = lers_reading_file_parse_time (end_node, end_path, error);
      if (end == NULL)
        return NULL;
      if (g_date_time_compare (end, start) < 0)
        {
          lers_reading_file_fail (error, end_path, _ ("the event ends before it starts"));
          return NULL;
        }
    }
  event = lers_meter_event_new (code, start);
  lers_meter_event_set_end (event, end);
  lers_meter_event_set_device_code (event, (gint) device_code);
  lers_meter_event_set_text (event, text);
  lers_meter_event_set_severity (event, (LersMeterEventSeverity) severity_value->value);
  lers_meter_event_set_channel (event, (guint) channel);
  return g_steal_pointer (&event);
}

static gboolean
lers_reading_file_load_events (LersReadingFileState *state, JsonObject *root, GError **error)
{
  JsonNode *node = json_object_get_member (root, "events");
  JsonArray *events;

  state->events = g_ptr_array_new_with_free_func (g_object_unref);
  if (node == NULL)
    return TRUE;
  events = lers_reading_file_get_array (node, "$.events", error);
  if (events == NULL)
    return FALSE;
  for (guint i = 0; i < json_array_get_length (events); i++)
    {
      g_autofree gchar *path = g_strdup_printf ("$.events[%u]", i);
      LersMeterEvent *event
          = lers_reading_file_load_event (json_array_get_element (events, i), path, error);

      if (event == NULL)
        return FALSE;
      g_ptr_array_add (state->events, event);
    }
  return TRUE;
}

static gboolean
lers_reading_file_load_not_supported (LersReadingFileState *state, JsonObject *root, GError **error)
{
  JsonNode *node = json_object_get_member (root, "not_supported");
  JsonArray *array;

  state->not_supported = lers_reading_file_strv_new ();
  if (node == NULL)
    return TRUE;
  array = lers_reading_file_get_array (node, "$.not_supported", error);
  if (array == NULL)
    return FALSE;
  for (guint i = 0; i < json_array_get_length (array); i++)
    {
      JsonNode *element = json_array_get_element (array, i);
      g_autofree gchar *path = g_strdup_printf ("$.not_supported[%u]", i);

      if (!JSON_NODE_HOLDS_VALUE (element) || json_node_get_value_type (element) != G_TYPE_STRING)
        return lers_reading_file_fail (error, path, _ ("a string is expected"));
      g_ptr_array_insert (state->not_supported, state->not_supported->len - 1,
                          g_strdup (json_node_get_string (element)));
    }
  return TRUE;
}

/* What the JSON parser does not check, checked before it runs: nesting
 * (the parser recurses, so 100000 `[` would overflow the stack; the format
 * nests 7 deep) and integers too large for 64 bits (the parser would wrap
 * them around, so that 18446744073709551617 read as 1). */
#define LERS_READING_FILE_MAX_DEPTH 16

static gboolean
lers_reading_file_prescan (const gchar *data, gsize length, GError **error)
{
  gboolean in_string = FALSE;
  guint depth = 0;

  for (gsize i = 0; i < length; i++)
    {
      gchar c = data[i];

      if (in_string)
        {
          if (c == '\\')
            i++;
          else if (c == '"')
            in_string = FALSE;
          continue;
        }
      if (c == '"')
        in_string = TRUE;
      else if (c == '[' || c == '{')
        {
          if (++depth > LERS_READING_FILE_MAX_DEPTH)
            return lers_reading_file_fail (error, "$", _ ("nested deeper than %u levels"),
                                           LERS_READING_FILE_MAX_DEPTH);
        }
      else if ((c == ']' || c == '}') && depth > 0)
        depth--;
      else if (c == '-' || g_ascii_isdigit (c))
        {
          gsize n = 1;
          gboolean integer = TRUE;
          g_autofree gchar *token = NULL;

          while (i + n < length && strchr ("0123456789+-.eE", data[i + n]) != NULL)
            {
              integer = integer && g_ascii_isdigit (data[i + n]);
              n++;
            }
          if (integer)
            {
              token = g_strndup (data + i, n);
              errno = 0;
              g_ascii_strtoll (token, NULL, 10);
              if (errno == ERANGE)
                return lers_reading_file_fail (error, "$", _ ("the integer %s is too large"),
                                               token);
            }
          i += n - 1;
        }
    }
  return TRUE;
}

/**
 * lers_reading_file_load_from_data:
 * @self: a #LersReadingFile
 * @data: the file's bytes, JSON in UTF-8
 * @length: the length of @data, or -1 if it is NUL-terminated
 * @error: return location for a #GError
 *
 * Replaces what @self holds with the reading in @data. On failure @self
 * keeps what it held.
 *
 * Returns: %TRUE on success; %LERS_ERROR_INVALID_DATA for anything wrong in
 *   @data, the message starting with the JSON path of the fault (`$` for
 *   the document, `$.version` for a version newer than this library reads)
 *
 * Since: 0.3
 */
gboolean
lers_reading_file_load_from_data (LersReadingFile *self, const gchar *data, gssize length,
                                  GError **error)
{
  g_autoptr (JsonParser) parser = json_parser_new_immutable ();
  g_auto (LersReadingFileState) state = { 0 };
  g_autoptr (GError) parse_error = NULL;
  JsonObject *root;
  const gchar *format;
  const gchar *program;
  gint64 version;

  g_return_val_if_fail (LERS_IS_READING_FILE (self), FALSE);
  g_return_val_if_fail (data != NULL || length == 0, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (length < 0)
    length = strlen (data);
  if (!g_utf8_validate (data, length, NULL))
    return lers_reading_file_fail (error, "$", _ ("the file is not UTF-8 text"));
  if (!lers_reading_file_prescan (data, length, error))
    return FALSE;
  if (!json_parser_load_from_data (parser, length > 0 ? data : "", length, &parse_error))
    return lers_reading_file_fail (error, "$", _ ("not JSON: %s"), parse_error->message);
  root = lers_reading_file_get_object (json_parser_get_root (parser), "$", error);
  if (root == NULL)
    return FALSE;
  if (!lers_reading_file_get_string (root, "format", "$", FALSE, &format, error))
    return FALSE;
  if (g_strcmp0 (format, LERS_READING_FILE_FORMAT) != 0)
    return lers_reading_file_fail (error, "$.format",
                                   _ ("“%s” is not a reading file format (expected “%s”)"), format,
                                   LERS_READING_FILE_FORMAT);
  if (!lers_reading_file_get_int (root, "version", "$", 1, G_MAXINT32, &version, error))
    return FALSE;
  if (version > LERS_READING_FILE_VERSION)
    return lers_reading_file_fail (
        error, "$.version",
        _ ("the file is version %lld, newer than version %d that lers %s reads"),
        (long long) version, LERS_READING_FILE_VERSION, LERS_VERSION);
  if (!lers_reading_file_get_string (root, "program", "$", FALSE, &program, error))
    return FALSE;
  state.program = g_strdup (program);
  state.read_at
      = lers_reading_file_parse_time (json_object_get_member (root, "read_at"), "$.read_at", error);
  if (state.read_at == NULL)
    return FALSE;
  if (!lers_reading_file_load_device (&state, root, error)
      || !lers_reading_file_load_clock (&state, root, error)
      || !lers_reading_file_load_archives (&state, root, error)
      || !lers_reading_file_load_events (&state, root, error)
      || !lers_reading_file_load_not_supported (&state, root, error))
    return FALSE;

#define LERS_SWAP(member)                                                                          \
  G_STMT_START                                                                                     \
  {                                                                                                \
    gpointer tmp = self->member;                                                                   \
    self->member = state.member;                                                                   \
    state.member = tmp;                                                                            \
  }                                                                                                \
  G_STMT_END
  LERS_SWAP (program);
  LERS_SWAP (read_at);
  LERS_SWAP (device);
  LERS_SWAP (zone);
  LERS_SWAP (device_clock);
  LERS_SWAP (records);
  LERS_SWAP (events);
  LERS_SWAP (not_supported);
#undef LERS_SWAP
  self->clock_offset = state.clock_offset;
  return TRUE;
}

/**
 * lers_reading_file_load_from_file:
 * @self: a #LersReadingFile
 * @filename: (type filename): the file to read
 * @error: return location for a #GError
 *
 * Reads @filename and loads it as lers_reading_file_load_from_data() does.
 *
 * Returns: %TRUE on success; a %G_FILE_ERROR if the file cannot be read,
 *   %LERS_ERROR_INVALID_DATA (prefixed with the file name) for its content
 *
 * Since: 0.3
 */
gboolean
lers_reading_file_load_from_file (LersReadingFile *self, const gchar *filename, GError **error)
{
  g_autofree gchar *data = NULL;
  gsize length = 0;

  g_return_val_if_fail (LERS_IS_READING_FILE (self), FALSE);
  g_return_val_if_fail (filename != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (!g_file_get_contents (filename, &data, &length, error))
    return FALSE;
  if (length > G_MAXSSIZE)
    return lers_reading_file_fail (error, "$", _ ("the file is too large"));
  if (!lers_reading_file_load_from_data (self, data, (gssize) length, error))
    {
      g_prefix_error (error, "%s: ", filename);
      return FALSE;
    }
  return TRUE;
}

/* ---- saving ------------------------------------------------------------- */

static gchar *
lers_reading_file_format_time (GDateTime *dt)
{
  g_autoptr (GDateTime) utc = g_date_time_to_utc (dt);

  return g_date_time_format (utc, g_date_time_get_microsecond (utc) != 0 ? "%Y-%m-%dT%H:%M:%S.%fZ"
                                                                         : "%Y-%m-%dT%H:%M:%SZ");
}

/* The writer: json-glib's generator writes some doubles as no JSON reader
 * takes them (`1e+308.0`), so the document is written here, with
 * lers_json_append_double()'s shortest round-trip numbers. */

static void
lers_reading_file_put_string (GString *out, const gchar *value)
{
  if (value != NULL)
    lers_json_append_string (out, value);
  else
    g_string_append (out, "null");
}

static void
lers_reading_file_put_time (GString *out, GDateTime *dt)
{
  g_autofree gchar *text = dt != NULL ? lers_reading_file_format_time (dt) : NULL;

  lers_reading_file_put_string (out, text);
}

static void
lers_reading_file_put_double (GString *out, gdouble value)
{
  /* -0 would read back as the integer 0 */
  lers_json_append_double (out, value == 0 ? 0 : value);
}

static void
lers_reading_file_put_record (GString *out, LersRecord *record)
{
  g_autoptr (GFlagsClass) klass = g_type_class_ref (LERS_TYPE_VALUE_FLAGS);
  guint n = lers_record_get_n_values (record);
  gboolean first = TRUE;
  gboolean any_flags = FALSE;

  g_string_append (out, "{\"time\": ");
  lers_reading_file_put_time (out, lers_record_get_timestamp (record));
  g_string_append (out, ", \"values\": {");
  for (guint i = 0; i < n; i++)
    {
      LersParameter parameter;
      gdouble value;
      LersValueFlags flags;
      const gchar *name;

      lers_record_get_value_at (record, i, &parameter, &value, &flags);
      name = lers_parameter_get_name (parameter);
      /* JSON has no NaN or infinity: such a value is not written */
      if (name == NULL || !isfinite (value))
        continue;
      g_string_append (out, first ? "" : ", ");
      lers_json_append_string (out, name);
      g_string_append (out, ": ");
      lers_reading_file_put_double (out, value);
      any_flags |= (flags & ~LERS_VALUE_FLAG_MISSING) != 0;
      first = FALSE;
    }
  g_string_append (out, "}");
  if (any_flags)
    {
      g_string_append (out, ", \"flags\": {");
      first = TRUE;
      for (guint i = 0; i < n; i++)
        {
          LersParameter parameter;
          gdouble value;
          LersValueFlags flags;
          const gchar *name;
          gboolean first_flag = TRUE;

          lers_record_get_value_at (record, i, &parameter, &value, &flags);
          name = lers_parameter_get_name (parameter);
          flags &= ~LERS_VALUE_FLAG_MISSING;
          if (name == NULL || !isfinite (value) || flags == 0)
            continue;
          g_string_append (out, first ? "" : ", ");
          lers_json_append_string (out, name);
          g_string_append (out, ": [");
          for (guint b = 0; b < klass->n_values; b++)
            if (klass->values[b].value != 0 && (flags & klass->values[b].value) != 0
                && klass->values[b].value != LERS_VALUE_FLAG_MISSING)
              {
                g_string_append (out, first_flag ? "" : ", ");
                lers_json_append_string (out, klass->values[b].value_nick);
                first_flag = FALSE;
              }
          g_string_append (out, "]");
          first = FALSE;
        }
      g_string_append (out, "}");
    }
  g_string_append (out, "}");
}

static void
lers_reading_file_put_archives (LersReadingFile *self, GString *out)
{
  /* one archive object per (kind, channel), in the order they first appear */
  g_autoptr (GArray) keys = g_array_new (FALSE, FALSE, sizeof (guint64));

  for (guint i = 0; i < self->records->len; i++)
    {
      LersRecord *record = g_ptr_array_index (self->records, i);
      guint64 key
          = ((guint64) lers_record_get_kind (record) << 32) | lers_record_get_channel (record);
      gboolean seen = FALSE;

      for (guint k = 0; k < keys->len && !seen; k++)
        seen = g_array_index (keys, guint64, k) == key;
      if (!seen)
        g_array_append_val (keys, key);
    }
  g_string_append (out, " \"archives\": [");
  for (guint k = 0; k < keys->len; k++)
    {
      guint64 key = g_array_index (keys, guint64, k);
      LersArchiveKind kind = (LersArchiveKind) (key >> 32);
      guint channel = (guint) (key & G_MAXUINT32);
      gboolean first = TRUE;

      g_string_append (out, k == 0 ? "\n  {\"kind\": " : ",\n  {\"kind\": ");
      lers_reading_file_put_string (out, lers_archive_kind_to_string (kind));
      g_string_append_printf (out, ", \"channel\": %u, \"records\": [", channel);
      for (guint i = 0; i < self->records->len; i++)
        {
          LersRecord *record = g_ptr_array_index (self->records, i);
          if (lers_record_get_kind (record) != kind || lers_record_get_channel (record) != channel)
            continue;
          g_string_append (out, first ? "\n   " : ",\n   ");
          lers_reading_file_put_record (out, record);
          first = FALSE;
        }
      g_string_append (out, first ? "]}" : "\n  ]}");
    }
  g_string_append (out, keys->len > 0 ? "\n ],\n" : "],\n");
}

static void
lers_reading_file_put_event (GString *out, LersMeterEvent *event)
{
  g_autoptr (GEnumClass) severities = g_type_class_ref (LERS_TYPE_METER_EVENT_SEVERITY);
  GEnumValue *severity = g_enum_get_value (severities, lers_meter_event_get_severity (event));

  g_string_append (out, "{\"code\": ");
  lers_reading_file_put_string (out, lers_meter_event_get_code (event));
  g_string_append_printf (
      out, ", \"device_code\": %d, \"text\": ", lers_meter_event_get_device_code (event));
  lers_reading_file_put_string (out, lers_meter_event_get_text (event));
  g_string_append (out, ", \"start\": ");
  lers_reading_file_put_time (out, lers_meter_event_get_start (event));
  g_string_append (out, ", \"end\": ");
  lers_reading_file_put_time (out, lers_meter_event_get_end (event));
  g_string_append (out, ", \"severity\": ");
  lers_reading_file_put_string (out, severity != NULL ? severity->value_nick : "info");
  g_string_append_printf (out, ", \"channel\": %u}", lers_meter_event_get_channel (event));
}

/**
 * lers_reading_file_to_data:
 * @self: a #LersReadingFile
 * @length: (out) (optional): where to store the length in bytes
 *
 * Writes the reading as the JSON document of `docs/reading-file.md`,
 * version %LERS_READING_FILE_VERSION, ending with a newline. Loading it
 * back gives an equal reading.
 *
 * Returns: (transfer full): the document, NUL-terminated
 *
 * Since: 0.3
 */
gchar *
lers_reading_file_to_data (LersReadingFile *self, gsize *length)
{
  g_autoptr (GString) out = g_string_new (NULL);

  g_return_val_if_fail (LERS_IS_READING_FILE (self), NULL);

  g_string_append_printf (out, "{\n \"format\": \"%s\",\n \"version\": %d,\n \"program\": ",
                          LERS_READING_FILE_FORMAT, LERS_READING_FILE_VERSION);
  lers_reading_file_put_string (out, self->program);
  g_string_append (out, ",\n \"read_at\": ");
  lers_reading_file_put_time (out, self->read_at);

  g_string_append (out, ",\n \"device\": {\"protocol\": ");
  lers_reading_file_put_string (out, lers_device_get_protocol (self->device));
  g_string_append (out, ", \"model\": ");
  lers_reading_file_put_string (out, lers_device_get_model (self->device));
  g_string_append (out, ", \"serial_number\": ");
  lers_reading_file_put_string (out, lers_device_get_serial_number (self->device));
  g_string_append (out, ", \"network_address\": ");
  lers_reading_file_put_string (out, lers_device_get_network_address (self->device));

  g_string_append (out, "},\n \"clock\": {\"device\": ");
  lers_reading_file_put_time (out, self->device_clock);
  if (self->device_clock != NULL)
    g_string_append_printf (out, ", \"offset_seconds\": %" G_GINT64_FORMAT, self->clock_offset);
  else
    g_string_append (out, ", \"offset_seconds\": null");
  g_string_append (out, ", \"zone\": ");
  lers_reading_file_put_string (out, self->zone);
  g_string_append (out, "},\n");

  lers_reading_file_put_archives (self, out);

  g_string_append (out, " \"events\": [");
  for (guint i = 0; i < self->events->len; i++)
    {
      g_string_append (out, i == 0 ? "\n  " : ",\n  ");
      lers_reading_file_put_event (out, g_ptr_array_index (self->events, i));
    }
  g_string_append (out, self->events->len > 0 ? "\n ],\n" : "],\n");

  g_string_append (out, " \"not_supported\": [");
  for (guint i = 0; i + 1 < self->not_supported->len; i++)
    {
      g_string_append (out, i == 0 ? "" : ", ");
      lers_reading_file_put_string (out, g_ptr_array_index (self->not_supported, i));
    }
  g_string_append (out, "]\n}\n");
  if (length != NULL)
    *length = out->len;
  return g_string_free (g_steal_pointer (&out), FALSE);
}

/**
 * lers_reading_file_save_to_file:
 * @self: a #LersReadingFile
 * @filename: (type filename): where to write
 * @error: return location for a #GError
 *
 * Writes lers_reading_file_to_data() to @filename atomically: a reader
 * sees the old file or the whole new one, never a part. The text is read
 * back first: a file that lers_reading_file_load_from_data() would refuse
 * (a channel or a time out of range) is not written, so a reading carried
 * back from site always syncs.
 *
 * Returns: %TRUE on success; %LERS_ERROR_INVALID_DATA with the fault's
 *   JSON path when the reading cannot be stored as a file (nothing is
 *   written then), a %G_FILE_ERROR when writing fails
 *
 * Since: 0.3
 */
gboolean
lers_reading_file_save_to_file (LersReadingFile *self, const gchar *filename, GError **error)
{
  g_autofree gchar *data = NULL;
  g_autoptr (LersReadingFile) check = lers_reading_file_new ();
  gsize length = 0;

  g_return_val_if_fail (LERS_IS_READING_FILE (self), FALSE);
  g_return_val_if_fail (filename != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  data = lers_reading_file_to_data (self, &length);
  if (!lers_reading_file_load_from_data (check, data, (gssize) length, error))
    return FALSE;
  return g_file_set_contents (filename, data, (gssize) length, error);
}

/* ---- members ------------------------------------------------------------ */

/**
 * lers_reading_file_get_program:
 * @self: a #LersReadingFile
 *
 * Returns: the program that read the meter, such as `lers 0.3.0`
 *
 * Since: 0.3
 */
const gchar *
lers_reading_file_get_program (LersReadingFile *self)
{
  g_return_val_if_fail (LERS_IS_READING_FILE (self), NULL);
  return self->program;
}

/**
 * lers_reading_file_set_program:
 * @self: a #LersReadingFile
 * @program: the program that read the meter
 *
 * Since: 0.3
 */
void
lers_reading_file_set_program (LersReadingFile *self, const gchar *program)
{
  g_return_if_fail (LERS_IS_READING_FILE (self));
  g_return_if_fail (program != NULL);
  g_free (self->program);
  self->program = g_strdup (program);
}

/**
 * lers_reading_file_get_read_at:
 * @self: a #LersReadingFile
 *
 * Returns: (transfer none): when the meter was read, by the reading
 *   computer's clock, in UTC
 *
 * Since: 0.3
 */
GDateTime *
lers_reading_file_get_read_at (LersReadingFile *self)
{
  g_return_val_if_fail (LERS_IS_READING_FILE (self), NULL);
  return self->read_at;
}

/**
 * lers_reading_file_set_read_at:
 * @self: a #LersReadingFile
 * @read_at: when the meter was read
 *
 * Since: 0.3
 */
void
lers_reading_file_set_read_at (LersReadingFile *self, GDateTime *read_at)
{
  g_return_if_fail (LERS_IS_READING_FILE (self));
  g_return_if_fail (read_at != NULL);
  g_date_time_unref (self->read_at);
  self->read_at = g_date_time_to_utc (read_at);
}

/**
 * lers_reading_file_get_device:
 * @self: a #LersReadingFile
 *
 * The device read: its protocol, model, serial number and network address
 * (the file keeps no other device property).
 *
 * Returns: (transfer none): the device
 *
 * Since: 0.3
 */
LersDevice *
lers_reading_file_get_device (LersReadingFile *self)
{
  g_return_val_if_fail (LERS_IS_READING_FILE (self), NULL);
  return self->device;
}

/**
 * lers_reading_file_set_device:
 * @self: a #LersReadingFile
 * @device: the device read
 *
 * Copies @device's protocol, model, serial number and network address.
 *
 * Since: 0.3
 */
void
lers_reading_file_set_device (LersReadingFile *self, LersDevice *device)
{
  g_return_if_fail (LERS_IS_READING_FILE (self));
  g_return_if_fail (LERS_IS_DEVICE (device));
  lers_device_set_protocol (self->device, lers_device_get_protocol (device));
  lers_device_set_model (self->device, lers_device_get_model (device));
  lers_device_set_serial_number (self->device, lers_device_get_serial_number (device));
  lers_device_set_network_address (self->device, lers_device_get_network_address (device));
}

/**
 * lers_reading_file_get_zone:
 * @self: a #LersReadingFile
 *
 * Returns: the device's time zone, an IANA name such as `Europe/Moscow`
 *   or an offset such as `+03:00`; the file's times are UTC all the same
 *
 * Since: 0.3
 */
const gchar *
lers_reading_file_get_zone (LersReadingFile *self)
{
  g_return_val_if_fail (LERS_IS_READING_FILE (self), NULL);
  return self->zone;
}

/**
 * lers_reading_file_set_zone:
 * @self: a #LersReadingFile
 * @zone: a time zone identifier that g_time_zone_new_identifier() accepts
 *
 * Since: 0.3
 */
void
lers_reading_file_set_zone (LersReadingFile *self, const gchar *zone)
{
  g_return_if_fail (LERS_IS_READING_FILE (self));
  g_return_if_fail (zone != NULL);
  g_free (self->zone);
  self->zone = g_strdup (zone);
}

/**
 * lers_reading_file_get_device_clock:
 * @self: a #LersReadingFile
 *
 * Returns: (transfer none) (nullable): the device's clock as read, in
 *   UTC, or %NULL if it was not read
 *
 * Since: 0.3
 */
GDateTime *
lers_reading_file_get_device_clock (LersReadingFile *self)
{
  g_return_val_if_fail (LERS_IS_READING_FILE (self), NULL);
  return self->device_clock;
}

/**
 * lers_reading_file_get_clock_offset:
 * @self: a #LersReadingFile
 *
 * Returns: how many seconds the device's clock was ahead of the reading
 *   computer's (negative: behind); 0 when the clock was not read
 *
 * Since: 0.3
 */
gint64
lers_reading_file_get_clock_offset (LersReadingFile *self)
{
  g_return_val_if_fail (LERS_IS_READING_FILE (self), 0);
  return self->clock_offset;
}

/**
 * lers_reading_file_set_device_clock:
 * @self: a #LersReadingFile
 * @device_clock: (nullable): the device's clock as read, or %NULL
 * @offset_seconds: how many seconds it was ahead of the reading computer's
 *
 * Since: 0.3
 */
void
lers_reading_file_set_device_clock (LersReadingFile *self, GDateTime *device_clock,
                                    gint64 offset_seconds)
{
  g_return_if_fail (LERS_IS_READING_FILE (self));
  g_clear_pointer (&self->device_clock, g_date_time_unref);
  self->device_clock = device_clock != NULL ? g_date_time_to_utc (device_clock) : NULL;
  self->clock_offset = device_clock != NULL ? offset_seconds : 0;
}

/**
 * lers_reading_file_add_records:
 * @self: a #LersReadingFile
 * @records: (element-type Lers.Record): records of any kinds and channels
 *
 * Adds @records (referenced, not copied). The file groups them by kind and
 * channel.
 *
 * Since: 0.3
 */
void
lers_reading_file_add_records (LersReadingFile *self, GPtrArray *records)
{
  g_return_if_fail (LERS_IS_READING_FILE (self));
  g_return_if_fail (records != NULL);
  for (guint i = 0; i < records->len; i++)
    {
      LersRecord *record = g_ptr_array_index (records, i);
      g_return_if_fail (LERS_IS_RECORD (record));
      g_ptr_array_add (self->records, g_object_ref (record));
    }
}

/**
 * lers_reading_file_get_records:
 * @self: a #LersReadingFile
 *
 * Returns: (transfer none) (element-type Lers.Record): every record, in the
 *   order added (after a load: grouped by kind and channel as in the file)
 *
 * Since: 0.3
 */
GPtrArray *
lers_reading_file_get_records (LersReadingFile *self)
{
  g_return_val_if_fail (LERS_IS_READING_FILE (self), NULL);
  return self->records;
}

/**
 * lers_reading_file_add_events:
 * @self: a #LersReadingFile
 * @events: (element-type LersMeterEvent): meter events as a device session
 *   returns them
 *
 * Adds @events (referenced, not copied). An event with no start cannot be
 * saved and is left out; an event that ends before it starts (the meter's
 * clock was set back meanwhile) loses its end, here and in @events.
 *
 * Since: 0.3
 */
void
lers_reading_file_add_events (LersReadingFile *self, GPtrArray *events)
{
  g_return_if_fail (LERS_IS_READING_FILE (self));
  g_return_if_fail (events != NULL);
  for (guint i = 0; i < events->len; i++)
    {
      LersMeterEvent *event = g_ptr_array_index (events, i);
      g_return_if_fail (LERS_IS_METER_EVENT (event));
      if (lers_meter_event_get_start (event) == NULL)
        continue;
      if (lers_meter_event_get_end (event) != NULL
          && g_date_time_compare (lers_meter_event_get_end (event),
                                  lers_meter_event_get_start (event))
                 < 0)
        {
          /* the meter's clock was set back during the event: its end is
           * unknown, not before its start */
          g_debug ("meter event %s: its end is before its start; kept without an end",
                   lers_meter_event_get_code (event));
          lers_meter_event_set_end (event, NULL);
        }
      g_ptr_array_add (self->events, g_object_ref (event));
    }
}

/**
 * lers_reading_file_get_events:
 * @self: a #LersReadingFile
 *
 * Returns: (transfer none) (element-type LersMeterEvent): the meter events,
 *   in the order added
 *
 * Since: 0.3
 */
GPtrArray *
lers_reading_file_get_events (LersReadingFile *self)
{
  g_return_val_if_fail (LERS_IS_READING_FILE (self), NULL);
  return self->events;
}

/**
 * lers_reading_file_add_not_supported:
 * @self: a #LersReadingFile
 * @what: what the device could not give, such as `events` or `clock`
 *
 * Notes that the device does not support @what (a read that failed with
 * %LERS_ERROR_NOT_SUPPORTED); the same name is noted once.
 *
 * Since: 0.3
 */
void
lers_reading_file_add_not_supported (LersReadingFile *self, const gchar *what)
{
  g_return_if_fail (LERS_IS_READING_FILE (self));
  g_return_if_fail (what != NULL);
  if (g_strv_contains ((const gchar *const *) self->not_supported->pdata, what))
    return;
  g_ptr_array_insert (self->not_supported, self->not_supported->len - 1, g_strdup (what));
}

/**
 * lers_reading_file_get_not_supported:
 * @self: a #LersReadingFile
 *
 * Returns: (transfer none) (array zero-terminated=1): what the device did
 *   not support
 *
 * Since: 0.3
 */
const gchar *const *
lers_reading_file_get_not_supported (LersReadingFile *self)
{
  g_return_val_if_fail (LERS_IS_READING_FILE (self), NULL);
  return (const gchar *const *) self->not_supported->pdata;
}
