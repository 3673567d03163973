/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "config.h"

#include <glib/gi18n-lib.h>
#include <json-glib/json-glib.h>
#include <errno.h>
#include <math.h>
#include <string.h>

#include "lers-error.h"
#include "lers-time.h"
#include "store/lers-importer.h"
#include "store/lers-store-private.h"
#include "store/lers-transaction.h"

/**
 * LersImporter:
 *
 * Creates or updates nodes with their measure points, each point's device
 * and the device's connection from a JSON file (`lers-sim --config` writes
 * one), all in one transaction:
 *
 * |[<!-- language="JSON" -->
 * {"nodes": [{"number": "1", "title": "House 1", "type": "house", "points": [
 *   {"title": "Heat input 1", "resource": "heat", "channel": 0,
 *    "poll_interval": 3600, "poll_offset": 300,
 *    "device": {"protocol": "mbus", "model": "…", "serial_number": "10000001",
 *               "network_address": "1",
 *               "connection": {"host": "127.0.0.1", "port": 15001, "timeout": 5}}}]}]}
 * ]|
 *
 * Member names are the models' property names with `_` for `-` (`type` is
 * the node's `node-type`); enums are written by nick. Unknown members, and
 * a member named twice in one object, are an error, so that a typo does not
 * pass unnoticed.
 *
 * Times (a device's `calibration_date`) are ISO 8601; one without an
 * offset, and a bare date (`2026-01-31`), is read as UTC
 * (`2026-01-31T00:00:00Z`), as lers_time_parse() reads it, not in any
 * node's zone: a device may serve points of nodes in different zones.
 * Write the offset (`2026-01-31T00:00:00+10:00`) to mean local midnight.
 * A device's `clock_zone` must be a zone the system knows
 * (lers_time_zone_new()).
 *
 * Importing is idempotent: objects are matched by their natural keys (the
 * unique indexes of migration 0002):
 *
 * - a node by its `number` (required in the file),
 * - a device by `model` + `serial_number` (the serial is required, a missing
 *   model counts as empty),
 * - a connection by its address: `kind` + `host` + `port` (the host is
 *   required),
 * - a measure point, within its node, by device and `channel`.
 *
 * A known object whose members in the file differ from the stored values
 * is updated (members the file leaves out keep their stored values); one
 * that agrees is left alone, not even rewritten. Rows created elsewhere
 * without a number or serial are never matched.
 *
 * Loading (lers_importer_load_file()) parses and checks the whole file
 * before anything touches the database: size (%LERS_IMPORTER_MAX_SIZE),
 * nesting (%LERS_IMPORTER_MAX_DEPTH, checked before parsing, since the JSON
 * parser recurses), UTF-8, NUL characters, types, ranges, enum nicks and
 * protocols (a loaded device plugin). Every error is %LERS_ERROR_INVALID_DATA
 * and names the place in the file: `nodes[3].points[1].device.port: expected
 * an integer, got a string` (indexes count from 0, as in jq). Running
 * (lers_importer_run_sync()) writes in one #LersTransaction: on any error
 * nothing is stored.
 *
 * Since: 0.2
 */

typedef enum
{
  LERS_IMPORT_UNCHANGED,
  LERS_IMPORT_UPDATED,
  LERS_IMPORT_CREATED,
} LersImportOutcome;

enum
{
  LERS_IMPORT_NODE,
  LERS_IMPORT_POINT,
  LERS_IMPORT_DEVICE,
  LERS_IMPORT_CONNECTION,
  LERS_IMPORT_N_KINDS
};

/* One object of the file: its values and which properties the file sets. */
typedef struct _LersImportItem LersImportItem;
struct _LersImportItem
{
  GObject *object;
  GPtrArray *set; /* of interned property names */
  gchar *path;
  LersImportItem *child; /* a point's device, a device's connection */
  GPtrArray *points;     /* a node's points, of LersImportItem* */
};

struct _LersImporter
{
  GObject parent_instance;
  LersEngine *engine;    /* nullable: then protocols are not checked */
  GHashTable *protocols; /* known to be loaded */
  GPtrArray *nodes;      /* of LersImportItem* */
  guint n_points;
  guint counts[LERS_IMPORT_N_KINDS][3];
  gboolean outcome_unknown; /* the last run lost the connection while committing */
};

G_DEFINE_FINAL_TYPE (LersImporter, lers_importer, G_TYPE_OBJECT)

static void
lers_import_item_free (LersImportItem *item)
{
  if (item == NULL)
    return;
  g_clear_object (&item->object);
  g_clear_pointer (&item->set, g_ptr_array_unref);
  g_free (item->path);
  lers_import_item_free (item->child);
  g_clear_pointer (&item->points, g_ptr_array_unref);
  g_free (item);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (LersImportItem, lers_import_item_free)

static void
lers_importer_finalize (GObject *object)
{
  LersImporter *self = LERS_IMPORTER (object);

  g_clear_object (&self->engine);
  g_hash_table_unref (self->protocols);
  g_ptr_array_unref (self->nodes);
  G_OBJECT_CLASS (lers_importer_parent_class)->finalize (object);
}

static void
lers_importer_class_init (LersImporterClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = lers_importer_finalize;
}

static void
lers_importer_init (LersImporter *self)
{
  self->protocols = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  self->nodes = g_ptr_array_new_with_free_func ((GDestroyNotify) lers_import_item_free);
}

/**
 * lers_importer_new:
 * @engine: (nullable): the plugin engine that checks each device's protocol,
 *   or %NULL to accept any protocol
 *
 * Returns: (transfer full): a new importer with nothing loaded
 *
 * Since: 0.2
 */
LersImporter *
lers_importer_new (LersEngine *engine)
{
  LersImporter *self;

  g_return_val_if_fail (engine == NULL || LERS_IS_ENGINE (engine), NULL);
  self = g_object_new (LERS_TYPE_IMPORTER, NULL);
  if (engine != NULL)
    self->engine = g_object_ref (engine);
  return self;
}

/* ---- checking the file ------------------------------------------------ */

/* The pre-scan turned each \u0000 escape into \uFFFF (a noncharacter the
 * file may not hold itself), since the parser would cut the string there. */
#define LERS_IMPORT_NUL_MARK "\xef\xbf\xbf"

static void lers_import_error (GError **error, const gchar *path, const gchar *format, ...)
    G_GNUC_PRINTF (3, 4);

static void
lers_import_error (GError **error, const gchar *path, const gchar *format, ...)
{
  g_autofree gchar *message = NULL;
  va_list args;

  va_start (args, format);
  message = g_strdup_vprintf (format, args);
  va_end (args);
  if (path != NULL && path[0] != '\0')
    {
      /* a member name with a NUL in it: show it as the file has it; one with
       * a lone surrogate (invalid UTF-8 once parsed): show U+FFFD */
      g_auto (GStrv) parts = g_strsplit (path, LERS_IMPORT_NUL_MARK, -1);
      g_autofree gchar *joined = g_strjoinv ("\\u0000", parts);
      g_autofree gchar *shown = g_utf8_make_valid (joined, -1);
      g_autofree gchar *valid = g_utf8_make_valid (message, -1);
      g_set_error (error, LERS_ERROR, LERS_ERROR_INVALID_DATA, "%s: %s", shown, valid);
    }
  else
    {
      g_autofree gchar *valid = g_utf8_make_valid (message, -1);
      g_set_error_literal (error, LERS_ERROR, LERS_ERROR_INVALID_DATA, valid);
    }
}

static const gchar *
lers_import_json_kind (JsonNode *node)
{
  switch (JSON_NODE_TYPE (node))
    {
    case JSON_NODE_OBJECT:
      return _ ("an object");
    case JSON_NODE_ARRAY:
      return _ ("an array");
    case JSON_NODE_NULL:
      return _ ("null");
    case JSON_NODE_VALUE:
    default:
      switch (json_node_get_value_type (node))
        {
        case G_TYPE_BOOLEAN:
          return _ ("a boolean");
        case G_TYPE_INT64:
          return _ ("an integer");
        case G_TYPE_DOUBLE:
          return _ ("a number with a fraction");
        default:
          return _ ("a string");
        }
    }
}

static void
lers_import_type_error (GError **error, const gchar *path, const gchar *expected, JsonNode *node)
{
  /* TRANSLATORS: "expected an integer, got a string" */
  lers_import_error (error, path, _ ("expected %s, got %s"), expected,
                     lers_import_json_kind (node));
}

static gboolean
lers_import_holds (JsonNode *node, GType type)
{
  return JSON_NODE_HOLDS_VALUE (node) && json_node_get_value_type (node) == type;
}

static gboolean
lers_import_check_string (const gchar *text, const gchar *path, GError **error)
{
  if (!g_utf8_validate (text, -1, NULL))
    {
      lers_import_error (error, path, _ ("invalid UTF-8 in a string (a lone \\u surrogate?)"));
      return FALSE;
    }
  if (strstr (text, LERS_IMPORT_NUL_MARK) != NULL)
    {
      lers_import_error (error, path, _ ("a string must not contain a NUL character (\\u0000)"));
      return FALSE;
    }
  return TRUE;
}

static gchar *
lers_import_member_path (const gchar *path, const gchar *member)
{
  return path[0] == '\0' ? g_strdup (member) : g_strconcat (path, ".", member, NULL);
}

/* Whether a file may set @pspec: a stored, writable property of a type
 * lers_import_set_property() reads, not an id or a reference (derived ones
 * such as a device's effective-clock-zone, a GTimeZone, are left out). */
static gboolean
lers_import_can_take (GParamSpec *pspec)
{
  GType vt = pspec->value_type;

  if (g_strcmp0 (pspec->name, "id") == 0 || g_str_has_suffix (pspec->name, "-id")
      || (pspec->flags & G_PARAM_WRITABLE) == 0)
    return FALSE;
  return vt == G_TYPE_STRING || G_TYPE_IS_ENUM (vt) || vt == G_TYPE_UINT || vt == G_TYPE_INT
         || vt == G_TYPE_INT64 || vt == G_TYPE_BOOLEAN || vt == G_TYPE_DOUBLE
         || vt == G_TYPE_DATE_TIME || vt == G_TYPE_STRV;
}

/* The properties a file may set on objects of @type, `_` for `-`. */
static gchar *
lers_import_known_members (GType type)
{
  g_autoptr (GTypeClass) klass = g_type_class_ref (type);
  g_autoptr (GString) list = g_string_new (NULL);
  g_autofree GParamSpec **pspecs = NULL;
  guint n = 0;

  pspecs = g_object_class_list_properties (G_OBJECT_CLASS (klass), &n);
  for (guint i = 0; i < n; i++)
    {
      g_autofree gchar *name = NULL;
      if (!lers_import_can_take (pspecs[i]))
        continue;
      name = g_strdelimit (g_strdup (pspecs[i]->name), "-", '_');
      if (type == LERS_TYPE_NODE && g_strcmp0 (name, "node_type") == 0)
        g_string_append (list, "type");
      else
        g_string_append (list, name);
      g_string_append (list, ", ");
    }
  if (list->len > 2)
    g_string_truncate (list, list->len - 2);
  return g_string_free (g_steal_pointer (&list), FALSE);
}

static gboolean
lers_import_set_property (GObject *object, GParamSpec *pspec, JsonNode *node, const gchar *path,
                          GError **error)
{
  g_auto (GValue) value = G_VALUE_INIT;
  GType vt = pspec->value_type;

  g_value_init (&value, vt);
  if (vt == G_TYPE_STRING)
    {
      if (JSON_NODE_HOLDS_NULL (node))
        g_value_set_string (&value, NULL);
      else if (lers_import_holds (node, G_TYPE_STRING))
        {
          if (!lers_import_check_string (json_node_get_string (node), path, error))
            return FALSE;
          g_value_set_string (&value, json_node_get_string (node));
        }
      else
        {
          lers_import_type_error (error, path, _ ("a string"), node);
          return FALSE;
        }
    }
  else if (G_TYPE_IS_ENUM (vt))
    {
      g_autoptr (GEnumClass) klass = g_type_class_ref (vt);
      const gchar *nick;
      GEnumValue *ev;

      if (!lers_import_holds (node, G_TYPE_STRING))
        {
          lers_import_type_error (error, path, _ ("a string"), node);
          return FALSE;
        }
      nick = json_node_get_string (node);
      if (!lers_import_check_string (nick, path, error))
        return FALSE;
      ev = g_enum_get_value_by_nick (klass, nick);
      if (ev == NULL)
        {
          g_autoptr (GString) nicks = g_string_new (NULL);
          for (guint i = 0; i < klass->n_values; i++)
            g_string_append_printf (nicks, "%s%s", i > 0 ? ", " : "", klass->values[i].value_nick);
          lers_import_error (error, path, _ ("“%s” is not one of: %s"), nick, nicks->str);
          return FALSE;
        }
      g_value_set_enum (&value, ev->value);
    }
  else if (vt == G_TYPE_UINT)
    {
      GParamSpecUInt *spec = G_PARAM_SPEC_UINT (pspec);
      gint64 v;

      if (lers_import_holds (node, G_TYPE_DOUBLE)
          && json_node_get_double (node) == floor (json_node_get_double (node)))
        {
          /* 5.0, or an integer too large for 64 bits (see the pre-scan) */
          gdouble d = json_node_get_double (node);
          if (d < spec->minimum || d > spec->maximum)
            {
              g_autofree gchar *text = g_strdup_printf ("%.0f", d);
              lers_import_error (error, path, _ ("%s is out of range (%u to %u)"), text,
                                 spec->minimum, spec->maximum);
              return FALSE;
            }
          g_value_set_uint (&value, (guint) d);
          g_object_set_property (object, pspec->name, &value);
          return TRUE;
        }
      if (!lers_import_holds (node, G_TYPE_INT64))
        {
          lers_import_type_error (error, path, _ ("an integer"), node);
          return FALSE;
        }
      v = json_node_get_int (node);
      if (v < (gint64) spec->minimum || v > (gint64) spec->maximum)
        {
          g_autofree gchar *text = g_strdup_printf ("%" G_GINT64_FORMAT, v);
          lers_import_error (error, path, _ ("%s is out of range (%u to %u)"), text, spec->minimum,
                             spec->maximum);
          return FALSE;
        }
      g_value_set_uint (&value, (guint) v);
    }
  else if (vt == G_TYPE_INT || vt == G_TYPE_INT64)
    {
      gint64 min = vt == G_TYPE_INT ? G_PARAM_SPEC_INT (pspec)->minimum
                                    : G_PARAM_SPEC_INT64 (pspec)->minimum;
      gint64 max = vt == G_TYPE_INT ? G_PARAM_SPEC_INT (pspec)->maximum
                                    : G_PARAM_SPEC_INT64 (pspec)->maximum;
      gint64 v;

      if (!lers_import_holds (node, G_TYPE_INT64))
        {
          lers_import_type_error (error, path, _ ("an integer"), node);
          return FALSE;
        }
      v = json_node_get_int (node);
      if (v < min || v > max)
        {
          g_autofree gchar *text = g_strdup_printf ("%" G_GINT64_FORMAT, v);
          g_autofree gchar *min_text = g_strdup_printf ("%" G_GINT64_FORMAT, min);
          g_autofree gchar *max_text = g_strdup_printf ("%" G_GINT64_FORMAT, max);
          lers_import_error (error, path, _ ("%s is out of range (%s to %s)"), text, min_text,
                             max_text);
          return FALSE;
        }
      if (vt == G_TYPE_INT)
        g_value_set_int (&value, (gint) v);
      else
        g_value_set_int64 (&value, v);
    }
  else if (vt == G_TYPE_BOOLEAN)
    {
      if (!lers_import_holds (node, G_TYPE_BOOLEAN))
        {
          lers_import_type_error (error, path, _ ("true or false"), node);
          return FALSE;
        }
      g_value_set_boolean (&value, json_node_get_boolean (node));
    }
  else if (vt == G_TYPE_DOUBLE)
    {
      GParamSpecDouble *spec = G_PARAM_SPEC_DOUBLE (pspec);
      gdouble v;

      if (!lers_import_holds (node, G_TYPE_INT64) && !lers_import_holds (node, G_TYPE_DOUBLE))
        {
          lers_import_type_error (error, path, _ ("a number"), node);
          return FALSE;
        }
      v = lers_import_holds (node, G_TYPE_INT64) ? (gdouble) json_node_get_int (node)
                                                 : json_node_get_double (node);
      if (!isfinite (v) || v < spec->minimum || v > spec->maximum)
        {
          lers_import_error (error, path, _ ("%g is out of range (%g to %g)"), v, spec->minimum,
                             spec->maximum);
          return FALSE;
        }
      g_value_set_double (&value, v);
    }
  else if (vt == G_TYPE_DATE_TIME)
    {
      g_autoptr (GDateTime) dt = NULL;

      if (!lers_import_holds (node, G_TYPE_STRING))
        {
          lers_import_type_error (error, path, _ ("a string"), node);
          return FALSE;
        }
      if (!lers_import_check_string (json_node_get_string (node), path, error))
        return FALSE;
      dt = lers_time_parse (json_node_get_string (node));
      if (dt == NULL)
        {
          lers_import_error (error, path, _ ("“%s” is not a date and time (ISO 8601)"),
                             json_node_get_string (node));
          return FALSE;
        }
      g_value_set_boxed (&value, dt);
    }
  else if (vt == G_TYPE_STRV)
    {
      g_autoptr (GStrvBuilder) builder = g_strv_builder_new ();
      JsonArray *array;

      if (!JSON_NODE_HOLDS_ARRAY (node))
        {
          lers_import_type_error (error, path, _ ("an array"), node);
          return FALSE;
        }
      array = json_node_get_array (node);
      for (guint i = 0; i < json_array_get_length (array); i++)
        {
          JsonNode *element = json_array_get_element (array, i);
          g_autofree gchar *element_path = g_strdup_printf ("%s[%u]", path, i);
          if (!lers_import_holds (element, G_TYPE_STRING))
            {
              lers_import_type_error (error, element_path, _ ("a string"), element);
              return FALSE;
            }
          if (!lers_import_check_string (json_node_get_string (element), element_path, error))
            return FALSE;
          g_strv_builder_add (builder, json_node_get_string (element));
        }
      g_value_take_boxed (&value, g_strv_builder_end (builder));
    }
  else
    {
      lers_import_error (error, path, _ ("unknown member"));
      return FALSE;
    }
  g_object_set_property (object, pspec->name, &value);
  return TRUE;
}

/* Reads the members of the object at @node into a new @type, except those
 * in @children, which the caller reads. */
static LersImportItem *
lers_import_read_item (GType type, JsonNode *node, const gchar *path, const gchar *const *children,
                       GError **error)
{
  g_autoptr (LersImportItem) item = g_new0 (LersImportItem, 1);
  g_autoptr (GList) members = NULL;
  JsonObject *json;

  if (!JSON_NODE_HOLDS_OBJECT (node))
    {
      lers_import_type_error (error, path, _ ("an object"), node);
      return NULL;
    }
  json = json_node_get_object (node);
  item->object = g_object_new (type, NULL);
  item->set = g_ptr_array_new ();
  item->path = g_strdup (path);
  members = json_object_get_members (json);
  for (GList *l = members; l != NULL; l = l->next)
    {
      const gchar *member = l->data;
      g_autofree gchar *member_path = lers_import_member_path (path, member);
      g_autofree gchar *name = NULL;
      GParamSpec *pspec;

      if (!lers_import_check_string (member, member_path, error))
        return NULL;
      if (children != NULL && g_strv_contains (children, member))
        continue;
      name = g_strdelimit (g_strdup (member), "_", '-');
      if (type == LERS_TYPE_NODE && g_strcmp0 (name, "type") == 0)
        {
          g_free (name);
          name = g_strdup ("node-type");
        }
      else if (type == LERS_TYPE_NODE && g_strcmp0 (name, "node-type") == 0)
        name[0] = '\0'; /* written `type` in the file */
      pspec = g_object_class_find_property (G_OBJECT_GET_CLASS (item->object), name);
      if (pspec == NULL || !lers_import_can_take (pspec) || strchr (member, '-') != NULL)
        {
          g_autofree gchar *known = lers_import_known_members (type);
          lers_import_error (error, member_path, _ ("unknown member (known: %s)"), known);
          return NULL;
        }
      if (!lers_import_set_property (item->object, pspec, json_object_get_member (json, member),
                                     member_path, error))
        return NULL;
      g_ptr_array_add (item->set, (gpointer) g_intern_string (pspec->name));
    }
  return g_steal_pointer (&item);
}

static gboolean
lers_import_require (LersImportItem *item, const gchar *property, const gchar *member,
                     const gchar *why, GError **error)
{
  g_autofree gchar *value = NULL;
  g_autofree gchar *path = lers_import_member_path (item->path, member);

  g_object_get (item->object, property, &value, NULL);
  if (value == NULL || value[0] == '\0')
    {
      /* TRANSLATORS: the second %s says why the member is needed */
      lers_import_error (error, path, _ ("missing; %s"), why);
      return FALSE;
    }
  return TRUE;
}

static JsonNode *
lers_import_get_member (JsonNode *node, const gchar *member, const gchar *path, GError **error)
{
  JsonNode *child = json_object_get_member (json_node_get_object (node), member);

  if (child == NULL)
    {
      g_autofree gchar *child_path = lers_import_member_path (path, member);
      lers_import_error (error, child_path, _ ("missing"));
    }
  return child;
}

static gboolean
lers_importer_check_protocol (LersImporter *self, LersImportItem *device, GError **error)
{
  g_autofree gchar *protocol = NULL;
  g_autofree gchar *path = lers_import_member_path (device->path, "protocol");
  g_autoptr (LersDeviceDriver) driver = NULL;

  if (self->engine == NULL)
    return TRUE;
  g_object_get (device->object, "protocol", &protocol, NULL);
  if (g_hash_table_contains (self->protocols, protocol))
    return TRUE;
  driver = lers_engine_get_device_driver (self->engine, protocol, NULL);
  if (driver == NULL)
    {
      lers_import_error (error, path, _ ("“%s” is not a loaded device plugin"), protocol);
      return FALSE;
    }
  g_hash_table_add (self->protocols, g_steal_pointer (&protocol));
  return TRUE;
}

/* A device's clock_zone must name a zone the system knows, or the store
 * refuses it only when the import runs, far from the place in the file. */
static gboolean
lers_import_check_clock_zone (LersImportItem *device, GError **error)
{
  g_autofree gchar *zone_name = NULL;
  g_autoptr (GTimeZone) zone = NULL;
  g_autoptr (GError) local = NULL;

  g_object_get (device->object, "clock-zone", &zone_name, NULL);
  if (zone_name == NULL || zone_name[0] == '\0')
    return TRUE;
  zone = lers_time_zone_new (zone_name, &local);
  if (zone == NULL)
    {
      g_autofree gchar *path = lers_import_member_path (device->path, "clock_zone");
      lers_import_error (error, path, "%s", local->message);
      return FALSE;
    }
  return TRUE;
}

static LersImportItem *
lers_importer_read_point (LersImporter *self, JsonNode *node, const gchar *path, GError **error)
{
  static const gchar *point_children[] = { "device", NULL };
  static const gchar *device_children[] = { "connection", NULL };
  g_autoptr (LersImportItem) point = NULL;
  g_autofree gchar *device_path = lers_import_member_path (path, "device");
  g_autofree gchar *connection_path = lers_import_member_path (device_path, "connection");
  LersImportItem *device;
  JsonNode *jdevice;
  JsonNode *jconnection;

  point = lers_import_read_item (LERS_TYPE_MEASURE_POINT, node, path, point_children, error);
  if (point == NULL)
    return NULL;
  jdevice = lers_import_get_member (node, "device", path, error);
  if (jdevice == NULL)
    return NULL;
  point->child
      = lers_import_read_item (LERS_TYPE_DEVICE, jdevice, device_path, device_children, error);
  if (point->child == NULL)
    return NULL;
  device = point->child;
  jconnection = lers_import_get_member (jdevice, "connection", device_path, error);
  if (jconnection == NULL)
    return NULL;
  device->child
      = lers_import_read_item (LERS_TYPE_CONNECTION, jconnection, connection_path, NULL, error);
  if (device->child == NULL)
    return NULL;
  if (!lers_import_require (device, "protocol", "protocol", _ ("which plugin reads the device"),
                            error)
      || !lers_importer_check_protocol (self, device, error)
      || !lers_import_require (device, "serial-number", "serial_number",
                               _ ("model and serial number identify a device"), error)
      || !lers_import_require (device->child, "host", "host",
                               _ ("kind, host and port identify a connection"), error)
      || !lers_import_check_clock_zone (device, error))
    return NULL;
  return g_steal_pointer (&point);
}

static gboolean
lers_importer_read (LersImporter *self, JsonNode *root, GError **error)
{
  static const gchar *root_children[] = { "nodes", NULL };
  static const gchar *node_children[] = { "points", NULL };
  g_autoptr (GPtrArray) nodes
      = g_ptr_array_new_with_free_func ((GDestroyNotify) lers_import_item_free);
  g_autoptr (GList) members = NULL;
  JsonNode *jnodes;
  JsonArray *array;
  guint n_points = 0;

  if (!JSON_NODE_HOLDS_OBJECT (root))
    {
      lers_import_error (error, NULL,
                         _ ("The file must hold an object with a “nodes” array, not %s"),
                         lers_import_json_kind (root));
      return FALSE;
    }
  members = json_object_get_members (json_node_get_object (root));
  for (GList *l = members; l != NULL; l = l->next)
    {
      if (!g_strv_contains (root_children, l->data))
        {
          if (!lers_import_check_string (l->data, l->data, error))
            return FALSE;
          lers_import_error (error, l->data, _ ("unknown member (known: %s)"), "nodes");
          return FALSE;
        }
    }
  jnodes = lers_import_get_member (root, "nodes", "", error);
  if (jnodes == NULL)
    return FALSE;
  if (!JSON_NODE_HOLDS_ARRAY (jnodes))
    {
      lers_import_type_error (error, "nodes", _ ("an array"), jnodes);
      return FALSE;
    }
  array = json_node_get_array (jnodes);
  for (guint i = 0; i < json_array_get_length (array); i++)
    {
      JsonNode *jnode = json_array_get_element (array, i);
      g_autofree gchar *path = g_strdup_printf ("nodes[%u]", i);
      g_autofree gchar *points_path = g_strdup_printf ("nodes[%u].points", i);
      g_autoptr (LersImportItem) node = NULL;
      JsonNode *jpoints;

      node = lers_import_read_item (LERS_TYPE_NODE, jnode, path, node_children, error);
      if (node == NULL
          || !lers_import_require (node, "number", "number",
                                   _ ("the number is how a second import finds the node"), error))
        return FALSE;
      node->points = g_ptr_array_new_with_free_func ((GDestroyNotify) lers_import_item_free);
      jpoints = json_object_get_member (json_node_get_object (jnode), "points");
      if (jpoints != NULL && !JSON_NODE_HOLDS_ARRAY (jpoints))
        {
          lers_import_type_error (error, points_path, _ ("an array"), jpoints);
          return FALSE;
        }
      for (guint j = 0;
           jpoints != NULL && j < json_array_get_length (json_node_get_array (jpoints)); j++)
        {
          g_autofree gchar *point_path = g_strdup_printf ("%s[%u]", points_path, j);
          LersImportItem *point = lers_importer_read_point (
              self, json_array_get_element (json_node_get_array (jpoints), j), point_path, error);
          if (point == NULL)
            return FALSE;
          g_ptr_array_add (node->points, point);
          n_points++;
        }
      g_ptr_array_add (nodes, g_steal_pointer (&node));
    }
  g_ptr_array_unref (self->nodes);
  self->nodes = g_steal_pointer (&nodes);
  self->n_points = n_points;
  return TRUE;
}

static void
lers_import_too_large (GError **error)
{
  lers_import_error (error, NULL,
                     _ ("The file is larger than %u bytes (16 MiB), the most import reads"),
                     (guint) LERS_IMPORTER_MAX_SIZE);
}

static guint
lers_import_line (const gchar *data, const gchar *at)
{
  guint line = 1;

  for (const gchar *p = data; p < at; p++)
    line += *p == '\n';
  return line;
}

/* Checks what the JSON parser would not before it runs: size, UTF-8, NUL,
 * nesting depth (the parser recurses, so 100000 `[` would overflow the
 * stack). Returns a copy for the parser in which each \u0000 escape is
 * marked (the parser would cut the string there) and each integer too large
 * for 64 bits is written as a float (the parser would wrap it around, so
 * that 18446744073709551617 read as 1); the checks of members then name the
 * place of either. */
/* An object or array the pre-scan is inside of. */
typedef struct
{
  GHashTable *members; /* of an object: the member names met so far; NULL for an array */
  gchar *member;       /* of an object: the member being read */
  guint index;         /* of an array: the element being read */
  gboolean expect_key; /* of an object: the next string is a member name */
} LersImportFrame;

static void
lers_import_frame_clear (gpointer data)
{
  LersImportFrame *frame = data;

  g_clear_pointer (&frame->members, g_hash_table_unref);
  g_clear_pointer (&frame->member, g_free);
}

/* The path (`nodes[0].points`) of the innermost object or array. */
static gchar *
lers_import_frames_path (GArray *frames)
{
  g_autoptr (GString) path = g_string_new (NULL);

  for (guint i = 0; i + 1 < frames->len; i++)
    {
      LersImportFrame *frame = &g_array_index (frames, LersImportFrame, i);
      if (frame->members == NULL)
        g_string_append_printf (path, "[%u]", frame->index);
      else
        g_string_append_printf (path, "%s%s", path->len > 0 ? "." : "",
                                frame->member != NULL ? frame->member : "");
    }
  return g_string_free (g_steal_pointer (&path), FALSE);
}

/* A member name as the parser will read it: the raw text between the
 * quotes, with its escapes (\u006e) decoded. */
static gchar *
lers_import_decode_name (const gchar *raw, gsize length)
{
  g_autofree gchar *quoted = NULL;
  g_autoptr (JsonNode) node = NULL;

  if (memchr (raw, '\\', length) == NULL)
    return g_strndup (raw, length);
  quoted = g_strdup_printf ("\"%.*s\"", (int) length, raw);
  node = json_from_string (quoted, NULL);
  if (node == NULL || !lers_import_holds (node, G_TYPE_STRING))
    return g_strndup (raw, length);
  return g_strdup (json_node_get_string (node));
}

/* Notes the member name data[start, end) of the innermost object; FALSE
 * with an error if the object already has one so named (the parser would
 * keep only the last, silently). */
static gboolean
lers_import_note_member (GArray *frames, const gchar *data, gsize start, gsize end, GError **error)
{
  LersImportFrame *frame = &g_array_index (frames, LersImportFrame, frames->len - 1);
  g_autofree gchar *name = lers_import_decode_name (data + start, end - start);

  if (g_hash_table_contains (frame->members, name))
    {
      g_autofree gchar *path = lers_import_frames_path (frames);
      /* TRANSLATORS: a JSON object names the member twice */
      lers_import_error (error, path, _ ("duplicate member “%s”"), name);
      return FALSE;
    }
  g_free (frame->member);
  frame->member = g_strdup (name);
  g_hash_table_add (frame->members, g_steal_pointer (&name));
  return TRUE;
}

static GString *
lers_import_prescan (const gchar *data, gsize length, GError **error)
{
  g_autoptr (GArray) frames = g_array_new (FALSE, TRUE, sizeof (LersImportFrame));
  gsize key_start = 0;
  gboolean in_key = FALSE;
  g_autoptr (GString) text = NULL;
  const gchar *end = NULL;
  gboolean in_string = FALSE;
  guint depth = 0;
  guint line = 1;
  gsize i;

  if (length > LERS_IMPORTER_MAX_SIZE)
    {
      lers_import_too_large (error);
      return NULL;
    }
  for (i = 0; i < length && g_ascii_isspace (data[i]); i++)
    ;
  if (i == length)
    {
      lers_import_error (error, NULL, _ ("The file is empty"));
      return NULL;
    }
  if (!g_utf8_validate_len (data, length, &end))
    {
      if (*end == '\0')
        lers_import_error (error, NULL, _ ("line %u: a NUL byte"), lers_import_line (data, end));
      else
        lers_import_error (error, NULL, _ ("line %u: invalid UTF-8"), lers_import_line (data, end));
      return NULL;
    }
  g_array_set_clear_func (frames, lers_import_frame_clear);
  text = g_string_sized_new (length + 16);
  for (i = 0; i < length; i++)
    {
      gchar c = data[i];

      line += c == '\n';
      if (length - i >= 3 && memcmp (data + i, LERS_IMPORT_NUL_MARK, 3) == 0)
        {
          lers_import_error (error, NULL, _ ("line %u: U+FFFF is not a character"), line);
          return NULL;
        }
      if (in_string)
        {
          if (c == '\\' && length - i >= 6 && data[i + 1] == 'u')
            {
              if (memcmp (data + i + 2, "0000", 4) == 0)
                {
                  g_string_append (text, "\\uFFFF");
                  i += 5;
                  continue;
                }
              if (g_ascii_strncasecmp (data + i + 2, "FFFF", 4) == 0)
                {
                  lers_import_error (error, NULL, _ ("line %u: U+FFFF is not a character"), line);
                  return NULL;
                }
            }
          g_string_append_c (text, c);
          if (c == '\\' && i + 1 < length)
            {
              i++;
              line += data[i] == '\n';
              g_string_append_c (text, data[i]);
            }
          else if (c == '"')
            {
              in_string = FALSE;
              if (in_key && !lers_import_note_member (frames, data, key_start, i, error))
                return NULL;
              in_key = FALSE;
            }
          continue;
        }
      if (c == '-' || g_ascii_isdigit (c))
        {
          gsize n = 1;
          gboolean integer = TRUE;
          g_autofree gchar *token = NULL;

          while (i + n < length && strchr ("0123456789+-.eE", data[i + n]) != NULL)
            {
              integer = integer && g_ascii_isdigit (data[i + n]);
              n++;
            }
          token = g_strndup (data + i, n);
          g_string_append (text, token);
          if (integer)
            {
              errno = 0;
              g_ascii_strtoll (token, NULL, 10);
              if (errno == ERANGE)
                g_string_append (text, "e0");
            }
          i += n - 1;
          continue;
        }
      g_string_append_c (text, c);
      if (c == '"')
        {
          LersImportFrame *top
              = frames->len > 0 ? &g_array_index (frames, LersImportFrame, frames->len - 1) : NULL;
          in_string = TRUE;
          in_key = top != NULL && top->members != NULL && top->expect_key;
          key_start = i + 1;
        }
      else if (c == '[' || c == '{')
        {
          LersImportFrame frame = { NULL, NULL, 0, TRUE };

          if (++depth > LERS_IMPORTER_MAX_DEPTH)
            {
              lers_import_error (error, NULL, _ ("line %u: nested deeper than %u levels"), line,
                                 LERS_IMPORTER_MAX_DEPTH);
              return NULL;
            }
          if (c == '{')
            frame.members = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
          g_array_append_val (frames, frame);
        }
      else if ((c == ']' || c == '}') && depth > 0)
        {
          depth--;
          g_array_set_size (frames, frames->len - 1);
        }
      else if ((c == ',' || c == ':') && frames->len > 0)
        {
          LersImportFrame *top = &g_array_index (frames, LersImportFrame, frames->len - 1);
          if (top->members != NULL)
            top->expect_key = c == ',';
          else if (c == ',')
            top->index++;
        }
    }
  return g_steal_pointer (&text);
}

/**
 * lers_importer_load_data:
 * @self: a #LersImporter
 * @data: (array length=length) (element-type guint8): the JSON text
 * @length: its length in bytes
 * @error: return location for a #GError
 *
 * Parses and checks an import file held in memory; see #LersImporter for
 * the format. On success the importer holds the file's objects, replacing
 * any loaded before; on error it keeps what it held.
 *
 * Returns: %TRUE if the file is valid; %FALSE with %LERS_ERROR_INVALID_DATA
 *   naming the place in the file otherwise
 *
 * Since: 0.2
 */
gboolean
lers_importer_load_data (LersImporter *self, const gchar *data, gsize length, GError **error)
{
  g_autoptr (JsonParser) parser = json_parser_new_immutable ();
  g_autoptr (GError) local = NULL;
  g_autoptr (GString) text = NULL;

  g_return_val_if_fail (LERS_IS_IMPORTER (self), FALSE);
  g_return_val_if_fail (data != NULL || length == 0, FALSE);
  text = lers_import_prescan (data != NULL ? data : "", length, error);
  if (text == NULL)
    return FALSE;
  if (!json_parser_load_from_data (parser, text->str, (gssize) text->len, &local))
    {
      lers_import_error (error, NULL, _ ("Not a JSON file: %s"), local->message);
      return FALSE;
    }
  if (json_parser_get_root (parser) == NULL)
    {
      lers_import_error (error, NULL, _ ("The file is empty"));
      return FALSE;
    }
  return lers_importer_read (self, json_parser_get_root (parser), error);
}

/**
 * lers_importer_load_file:
 * @self: a #LersImporter
 * @file: the JSON file
 * @cancellable: (nullable): a #GCancellable
 * @error: return location for a #GError
 *
 * Reads, parses and checks an import file, like lers_importer_load_data().
 * A file larger than %LERS_IMPORTER_MAX_SIZE is refused before it is read.
 *
 * Returns: %TRUE if the file is valid
 *
 * Since: 0.2
 */
gboolean
lers_importer_load_file (LersImporter *self, GFile *file, GCancellable *cancellable, GError **error)
{
  g_autoptr (GFileInputStream) stream = NULL;
  g_autoptr (GFileInfo) info = NULL;
  g_autoptr (GByteArray) buffer = g_byte_array_new ();
  gsize n = 0;

  g_return_val_if_fail (LERS_IS_IMPORTER (self), FALSE);
  g_return_val_if_fail (G_IS_FILE (file), FALSE);
  stream = g_file_read (file, cancellable, error);
  if (stream == NULL)
    return FALSE;
  info = g_file_input_stream_query_info (stream, G_FILE_ATTRIBUTE_STANDARD_SIZE, cancellable, NULL);
  if (info != NULL && g_file_info_has_attribute (info, G_FILE_ATTRIBUTE_STANDARD_SIZE)
      && g_file_info_get_size (info) > LERS_IMPORTER_MAX_SIZE)
    {
      lers_import_too_large (error);
      return FALSE;
    }
  /* a pipe has no size: read at most one byte more than the limit */
  do
    {
      gsize old = buffer->len;
      g_byte_array_set_size (buffer, old + 65536);
      if (!g_input_stream_read_all (G_INPUT_STREAM (stream), buffer->data + old, 65536, &n,
                                    cancellable, error))
        return FALSE;
      g_byte_array_set_size (buffer, old + n);
    }
  while (n == 65536 && buffer->len <= LERS_IMPORTER_MAX_SIZE);
  return lers_importer_load_data (self, (const gchar *) buffer->data, buffer->len, error);
}

/**
 * lers_importer_get_n_nodes:
 * @self: a #LersImporter
 *
 * Returns: how many nodes the loaded file holds
 *
 * Since: 0.2
 */
guint
lers_importer_get_n_nodes (LersImporter *self)
{
  g_return_val_if_fail (LERS_IS_IMPORTER (self), 0);
  return self->nodes->len;
}

/**
 * lers_importer_get_n_points:
 * @self: a #LersImporter
 *
 * Returns: how many measure points the loaded file holds
 *
 * Since: 0.2
 */
guint
lers_importer_get_n_points (LersImporter *self)
{
  g_return_val_if_fail (LERS_IS_IMPORTER (self), 0);
  return self->n_points;
}

/* ---- writing ------------------------------------------------------------ */

/* The unit of work the import runs in. */
typedef struct
{
  LersStore *store;
  LersTransaction *transaction;
  GHashTable *known[LERS_IMPORT_N_KINDS];    /* natural key → GObject, stored */
  GHashTable *outcomes[LERS_IMPORT_N_KINDS]; /* id → LersImportOutcome + 1 */
} LersImportRun;

static void
lers_import_run_free (LersImportRun *run)
{
  if (run->transaction != NULL)
    lers_transaction_rollback (run->transaction);
  g_clear_object (&run->transaction);
  for (guint i = 0; i < LERS_IMPORT_N_KINDS; i++)
    {
      g_clear_pointer (&run->known[i], g_hash_table_unref);
      g_clear_pointer (&run->outcomes[i], g_hash_table_unref);
    }
  g_free (run);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (LersImportRun, lers_import_run_free)

static GType
lers_import_kind_type (guint kind)
{
  switch (kind)
    {
    case LERS_IMPORT_NODE:
      return LERS_TYPE_NODE;
    case LERS_IMPORT_POINT:
      return LERS_TYPE_MEASURE_POINT;
    case LERS_IMPORT_DEVICE:
      return LERS_TYPE_DEVICE;
    default:
      return LERS_TYPE_CONNECTION;
    }
}

static guint
lers_import_type_kind (GType type)
{
  for (guint kind = 0; kind < LERS_IMPORT_N_KINDS; kind++)
    if (lers_import_kind_type (kind) == type)
      return kind;
  return LERS_IMPORT_N_KINDS;
}

static gchar *
lers_import_key (guint kind, GObject *object)
{
  switch (kind)
    {
    case LERS_IMPORT_NODE:
      return g_strdup (lers_node_get_number (LERS_NODE (object)));
    case LERS_IMPORT_POINT:
      {
        LersMeasurePoint *point = LERS_MEASURE_POINT (object);
        return g_strdup_printf (
            "%" G_GINT64_FORMAT "/%" G_GINT64_FORMAT "/%u", lers_measure_point_get_node_id (point),
            lers_measure_point_get_device_id (point), lers_measure_point_get_channel (point));
      }
    case LERS_IMPORT_DEVICE:
      {
        LersDevice *device = LERS_DEVICE (object);
        const gchar *serial = lers_device_get_serial_number (device);
        if (serial == NULL || serial[0] == '\0')
          return NULL;
        /* U+001F (unit separator) cannot occur: strings are checked */
        return g_strdup_printf ("%s\x1f%s", lers_device_get_model (device) ?: "", serial);
      }
    default:
      {
        LersConnection *connection = LERS_CONNECTION (object);
        const gchar *host = lers_connection_get_host (connection);
        if (host == NULL || host[0] == '\0')
          return NULL;
        return g_strdup_printf ("%d\x1f%s\x1f%u", (gint) lers_connection_get_kind (connection),
                                host, lers_connection_get_port (connection));
      }
    }
}

static gboolean
lers_import_values_equal (const GValue *a, const GValue *b)
{
  GType type = G_VALUE_TYPE (a);

  if (type == G_TYPE_STRING)
    return g_strcmp0 (g_value_get_string (a), g_value_get_string (b)) == 0;
  if (G_TYPE_IS_ENUM (type))
    return g_value_get_enum (a) == g_value_get_enum (b);
  if (type == G_TYPE_UINT)
    return g_value_get_uint (a) == g_value_get_uint (b);
  if (type == G_TYPE_INT64)
    return g_value_get_int64 (a) == g_value_get_int64 (b);
  if (type == G_TYPE_INT)
    return g_value_get_int (a) == g_value_get_int (b);
  if (type == G_TYPE_BOOLEAN)
    return g_value_get_boolean (a) == g_value_get_boolean (b);
  if (type == G_TYPE_DOUBLE)
    return g_value_get_double (a) == g_value_get_double (b);
  if (type == G_TYPE_DATE_TIME)
    {
      GDateTime *x = g_value_get_boxed (a);
      GDateTime *y = g_value_get_boxed (b);
      return (x == NULL && y == NULL) || (x != NULL && y != NULL && g_date_time_equal (x, y));
    }
  if (type == G_TYPE_STRV)
    {
      const gchar *const empty[] = { NULL };
      const gchar *const *x = g_value_get_boxed (a);
      const gchar *const *y = g_value_get_boxed (b);
      return g_strv_equal (x != NULL ? x : empty, y != NULL ? y : empty);
    }
  return FALSE;
}

/* Copies the properties the file sets from @from to @to; returns whether
 * any changed. */
static gboolean
lers_import_copy_set (GObject *from, GObject *to, GPtrArray *set)
{
  gboolean changed = FALSE;

  for (guint i = 0; i < set->len; i++)
    {
      const gchar *name = g_ptr_array_index (set, i);
      GParamSpec *pspec = g_object_class_find_property (G_OBJECT_GET_CLASS (from), name);
      g_auto (GValue) a = G_VALUE_INIT;
      g_auto (GValue) b = G_VALUE_INIT;

      g_value_init (&a, pspec->value_type);
      g_value_init (&b, pspec->value_type);
      g_object_get_property (from, name, &a);
      g_object_get_property (to, name, &b);
      if (!lers_import_values_equal (&a, &b))
        {
          g_object_set_property (to, name, &a);
          changed = TRUE;
        }
    }
  return changed;
}

static GPtrArray *
lers_import_run_list (LersImportRun *run, GType type, GCancellable *cancellable, GError **error)
{
  return lers_transaction_list_sync (run->transaction, type, NULL, cancellable, error);
}

static gboolean
lers_import_run_save (LersImportRun *run, LersImportItem *item, GObject *object,
                      GCancellable *cancellable, GError **error)
{
  LersStoreConn *conn = lers_transaction_get_conn (run->transaction);
  g_autoptr (GError) local = NULL;

  conn->sqlstate[0] = '\0';
  if (lers_transaction_save_sync (run->transaction, object, cancellable, &local))
    return TRUE;
  if (g_strcmp0 (conn->sqlstate, "23505") == 0) /* unique_violation */
    g_set_error (error, LERS_ERROR, LERS_ERROR_BUSY,
                 _ ("%s: stored by someone else while the import ran (its number, serial or "
                    "address is taken now); import the file again"),
                 item->path);
  else
    {
      g_propagate_prefixed_error (error, g_steal_pointer (&local), "%s: ", item->path);
    }
  return FALSE;
}

static gint64
lers_import_get_id (GObject *object)
{
  gint64 id = 0;

  g_object_get (object, "id", &id, NULL);
  return id;
}

static void
lers_import_run_note (LersImportRun *run, guint kind, GObject *object, LersImportOutcome outcome)
{
  gint64 id = lers_import_get_id (object);
  guint old = GPOINTER_TO_UINT (g_hash_table_lookup (run->outcomes[kind], &id));

  /* an object met twice in one file counts once, as its strongest outcome */
  if (outcome + 1 > old)
    g_hash_table_insert (run->outcomes[kind], g_memdup2 (&id, sizeof id),
                         GUINT_TO_POINTER (outcome + 1));
}

/* Creates, updates or leaves alone the object of @item, whose references
 * (@extra, e.g. "node-id") are already set; returns the stored object. */
static GObject *
lers_import_run_apply (LersImportRun *run, guint kind, LersImportItem *item,
                       GCancellable *cancellable, GError **error)
{
  g_autofree gchar *key = lers_import_key (kind, item->object);
  GObject *known = key != NULL ? g_hash_table_lookup (run->known[kind], key) : NULL;

  if (known == NULL)
    {
      /* a fresh object, so that the loaded one stays as the file says */
      g_autoptr (GObject) object = g_object_new (G_OBJECT_TYPE (item->object), NULL);
      lers_import_copy_set (item->object, object, item->set);
      if (!lers_import_run_save (run, item, object, cancellable, error))
        return NULL;
      lers_import_run_note (run, kind, object, LERS_IMPORT_CREATED);
      known = object;
      g_hash_table_insert (run->known[kind], g_steal_pointer (&key), g_steal_pointer (&object));
      return known;
    }
  if (lers_import_copy_set (item->object, known, item->set))
    {
      if (!lers_import_run_save (run, item, known, cancellable, error))
        return NULL;
      lers_import_run_note (run, kind, known, LERS_IMPORT_UPDATED);
    }
  else
    lers_import_run_note (run, kind, known, LERS_IMPORT_UNCHANGED);
  return known;
}

static void
lers_import_add_set (LersImportItem *item, const gchar *name)
{
  name = g_intern_string (name);
  if (!g_ptr_array_find (item->set, name, NULL))
    g_ptr_array_add (item->set, (gpointer) name);
}

static gboolean
lers_importer_run_node (LersImporter *self, LersImportRun *run, LersImportItem *node,
                        GCancellable *cancellable, GError **error)
{
  GObject *stored_node = lers_import_run_apply (run, LERS_IMPORT_NODE, node, cancellable, error);

  if (stored_node == NULL)
    return FALSE;
  for (guint j = 0; j < node->points->len; j++)
    {
      LersImportItem *point = g_ptr_array_index (node->points, j);
      LersImportItem *device = point->child;
      LersImportItem *connection = device->child;
      GObject *stored;

      stored = lers_import_run_apply (run, LERS_IMPORT_CONNECTION, connection, cancellable, error);
      if (stored == NULL)
        return FALSE;
      lers_device_set_connection_id (LERS_DEVICE (device->object), lers_import_get_id (stored));
      lers_import_add_set (device, "connection-id");
      stored = lers_import_run_apply (run, LERS_IMPORT_DEVICE, device, cancellable, error);
      if (stored == NULL)
        return FALSE;
      lers_measure_point_set_device_id (LERS_MEASURE_POINT (point->object),
                                        lers_import_get_id (stored));
      lers_measure_point_set_node_id (LERS_MEASURE_POINT (point->object),
                                      lers_import_get_id (stored_node));
      lers_import_add_set (point, "device-id");
      lers_import_add_set (point, "node-id");
      if (lers_import_run_apply (run, LERS_IMPORT_POINT, point, cancellable, error) == NULL)
        return FALSE;
    }
  return TRUE;
}

/**
 * lers_importer_run_sync:
 * @self: a #LersImporter with a file loaded
 * @store: an open #LersStore
 * @progress: (nullable): where to report how far the import has come
 * @cancellable: (nullable): a #GCancellable
 * @error: return location for a #GError
 *
 * Writes the loaded file in one transaction: creates what is new, updates
 * what the file changes and leaves the rest alone (see #LersImporter). On
 * error nothing is stored, except that when the connection is lost while
 * committing the outcome is unknown (lers_importer_get_outcome_unknown()).
 * Imports run one at a time: one that starts while another runs waits
 * (within the store's lock timeout, else %LERS_ERROR_BUSY) and then finds
 * what the other stored. The counts of what was done are then read with
 * lers_importer_get_n_created() and its siblings.
 *
 * Returns: %TRUE if the transaction committed
 *
 * Since: 0.2
 */
gboolean
lers_importer_run_sync (LersImporter *self, LersStore *store, LersProgress *progress,
                        GCancellable *cancellable, GError **error)
{
  g_autoptr (LersImportRun) run = g_new0 (LersImportRun, 1);
  g_autoptr (GError) local = NULL;

  g_return_val_if_fail (LERS_IS_IMPORTER (self), FALSE);
  g_return_val_if_fail (LERS_IS_STORE (store), FALSE);
  g_return_val_if_fail (progress == NULL || LERS_IS_PROGRESS (progress), FALSE);

  memset (self->counts, 0, sizeof self->counts);
  self->outcome_unknown = FALSE;
  if (progress != NULL)
    {
      lers_progress_set_message (progress, _ ("Reading what is stored"));
      lers_progress_set_fraction (progress, 0);
    }
  run->store = store;
  run->transaction = lers_store_begin_sync (store, cancellable, error);
  if (run->transaction == NULL)
    return FALSE;
  /* one import at a time: each lists what is stored and inserts what it
   * did not find, so two at once would both insert the same new objects */
  if (!lers_transaction_advisory_lock_sync (run->transaction, "lers_import", cancellable, error))
    {
      if (error != NULL && g_error_matches (*error, LERS_ERROR, LERS_ERROR_BUSY))
        {
          g_clear_error (error);
          g_set_error_literal (error, LERS_ERROR, LERS_ERROR_BUSY,
                               _ ("Another import is running; try again when it has finished"));
        }
      return FALSE;
    }
  /* what is stored, by natural key: one query a table, whatever the file's size */
  for (guint kind = 0; kind < LERS_IMPORT_N_KINDS; kind++)
    {
      g_autoptr (GPtrArray) stored
          = lers_import_run_list (run, lers_import_kind_type (kind), cancellable, error);

      if (stored == NULL)
        return FALSE;
      run->known[kind] = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_object_unref);
      run->outcomes[kind] = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, NULL);
      for (guint i = 0; i < stored->len; i++)
        {
          GObject *object = g_ptr_array_index (stored, i);
          gchar *key = lers_import_key (kind, object);
          /* two stored rows with one key (points of nodes migration 0002
           * merged): the lowest id wins, as in the migration; the list is
           * in id order */
          if (key == NULL || key[0] == '\0' || g_hash_table_contains (run->known[kind], key))
            g_free (key);
          else
            g_hash_table_insert (run->known[kind], key, g_object_ref (object));
        }
    }
  if (progress != NULL)
    {
      lers_progress_set_message (progress, _ ("Importing nodes"));
      lers_progress_set_fraction (progress, 0.05);
    }
  for (guint i = 0; i < self->nodes->len; i++)
    {
      if (g_cancellable_set_error_if_cancelled (cancellable, error))
        return FALSE;
      if (!lers_importer_run_node (self, run, g_ptr_array_index (self->nodes, i), cancellable,
                                   error))
        return FALSE;
      if (progress != NULL)
        lers_progress_set_fraction (progress, 0.05 + 0.9 * (i + 1) / self->nodes->len);
    }
  if (progress != NULL)
    lers_progress_set_message (progress, _ ("Committing"));
  if (!lers_transaction_commit_sync (run->transaction, cancellable, &local))
    {
      /* COMMIT may have reached the server and only its reply been lost */
      self->outcome_unknown = g_error_matches (local, LERS_ERROR, LERS_ERROR_CONNECTION);
      g_propagate_error (error, g_steal_pointer (&local));
      return FALSE;
    }
  g_clear_object (&run->transaction);
  for (guint kind = 0; kind < LERS_IMPORT_N_KINDS; kind++)
    {
      GHashTableIter iter;
      gpointer value;

      g_hash_table_iter_init (&iter, run->outcomes[kind]);
      while (g_hash_table_iter_next (&iter, NULL, &value))
        self->counts[kind][GPOINTER_TO_UINT (value) - 1]++;
    }
  if (progress != NULL)
    {
      lers_progress_set_message (progress, _ ("Done"));
      lers_progress_set_fraction (progress, 1);
    }
  return TRUE;
}

static guint
lers_importer_get_count (LersImporter *self, GType type, LersImportOutcome outcome)
{
  guint kind = lers_import_type_kind (type);

  g_return_val_if_fail (LERS_IS_IMPORTER (self), 0);
  g_return_val_if_fail (kind < LERS_IMPORT_N_KINDS, 0);
  return self->counts[kind][outcome];
}

/**
 * lers_importer_get_n_created:
 * @self: a #LersImporter
 * @type: %LERS_TYPE_NODE, %LERS_TYPE_MEASURE_POINT, %LERS_TYPE_DEVICE or
 *   %LERS_TYPE_CONNECTION
 *
 * Returns: how many objects of @type the last successful
 *   lers_importer_run_sync() created
 *
 * Since: 0.2
 */
guint
lers_importer_get_n_created (LersImporter *self, GType type)
{
  return lers_importer_get_count (self, type, LERS_IMPORT_CREATED);
}

/**
 * lers_importer_get_n_updated:
 * @self: a #LersImporter
 * @type: %LERS_TYPE_NODE, %LERS_TYPE_MEASURE_POINT, %LERS_TYPE_DEVICE or
 *   %LERS_TYPE_CONNECTION
 *
 * Returns: how many stored objects of @type the last successful
 *   lers_importer_run_sync() changed
 *
 * Since: 0.2
 */
guint
lers_importer_get_n_updated (LersImporter *self, GType type)
{
  return lers_importer_get_count (self, type, LERS_IMPORT_UPDATED);
}

/**
 * lers_importer_get_n_unchanged:
 * @self: a #LersImporter
 * @type: %LERS_TYPE_NODE, %LERS_TYPE_MEASURE_POINT, %LERS_TYPE_DEVICE or
 *   %LERS_TYPE_CONNECTION
 *
 * Returns: how many stored objects of @type the last successful
 *   lers_importer_run_sync() found as the file has them and left alone
 *
 * Since: 0.2
 */
guint
lers_importer_get_n_unchanged (LersImporter *self, GType type)
{
  return lers_importer_get_count (self, type, LERS_IMPORT_UNCHANGED);
}

/**
 * lers_importer_get_outcome_unknown:
 * @self: a #LersImporter
 *
 * Tells whether the last lers_importer_run_sync() failed in a way that
 * leaves unknown whether the file was stored: the connection to the
 * database was lost while committing (%LERS_ERROR_CONNECTION), so the
 * commit may have reached the server with only its reply lost. Running the
 * import again is safe: it is idempotent.
 *
 * Returns: %TRUE if the outcome of the last run is unknown; %FALSE if it
 *   succeeded or if, on failure, nothing was stored
 *
 * Since: 0.2
 */
gboolean
lers_importer_get_outcome_unknown (LersImporter *self)
{
  g_return_val_if_fail (LERS_IS_IMPORTER (self), FALSE);
  return self->outcome_unknown;
}
