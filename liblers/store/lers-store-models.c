/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "config.h"

#include <glib/gi18n-lib.h>
#include <inttypes.h>
#include <json-glib/json-glib.h>
#include <string.h>

#include "lers-error.h"
#include "store/lers-store-private.h"

/* The table descriptions: how each model type maps to its table. */

/* ---- models ------------------------------------------------------------ */

static const LersStoreColumn lers_store_node_columns[] = {
  { "title", "title", LERS_STORE_COLUMN_TEXT },
  { "address", "address", LERS_STORE_COLUMN_TEXT },
  { "number", "number", LERS_STORE_COLUMN_TEXT },
  { "node_type", "node-type", LERS_STORE_COLUMN_ENUM },
  { "latitude", "latitude", LERS_STORE_COLUMN_DOUBLE },
  { "longitude", "longitude", LERS_STORE_COLUMN_DOUBLE },
  { "customer", "customer", LERS_STORE_COLUMN_TEXT },
  { "contract", "contract", LERS_STORE_COLUMN_TEXT },
  { "temperature_schedule", "temperature-schedule", LERS_STORE_COLUMN_TEXT },
  { "comment", "comment", LERS_STORE_COLUMN_TEXT },
  { "groups", "groups", LERS_STORE_COLUMN_STRV },
  { "territory_id", "territory-id", LERS_STORE_COLUMN_REF },
};

static const LersStoreColumn lers_store_measure_point_columns[] = {
  { "node_id", "node-id", LERS_STORE_COLUMN_REF },
  { "title", "title", LERS_STORE_COLUMN_TEXT },
  { "resource", "resource", LERS_STORE_COLUMN_ENUM },
  { "device_id", "device-id", LERS_STORE_COLUMN_REF },
  { "channel", "channel", LERS_STORE_COLUMN_UINT },
  { "poll_interval", "poll-interval", LERS_STORE_COLUMN_UINT },
  { "poll_offset", "poll-offset", LERS_STORE_COLUMN_UINT },
  { "reporting_hour", "reporting-hour", LERS_STORE_COLUMN_UINT },
  { "reporting_day", "reporting-day", LERS_STORE_COLUMN_UINT },
};

static const LersStoreColumn lers_store_device_columns[] = {
  { "protocol", "protocol", LERS_STORE_COLUMN_TEXT },
  { "model", "model", LERS_STORE_COLUMN_TEXT },
  { "serial_number", "serial-number", LERS_STORE_COLUMN_TEXT },
  { "network_address", "network-address", LERS_STORE_COLUMN_TEXT },
  { "password", "password", LERS_STORE_COLUMN_TEXT },
  { "calibration_date", "calibration-date", LERS_STORE_COLUMN_DATETIME },
  { "calibration_interval", "calibration-interval", LERS_STORE_COLUMN_UINT },
  { "connection_id", "connection-id", LERS_STORE_COLUMN_REF },
  { "clock_zone", "clock-zone", LERS_STORE_COLUMN_TIME_ZONE },
  { "options", "options", LERS_STORE_COLUMN_JSON },
};

static const LersStoreColumn lers_store_territory_columns[] = {
  { "title", "title", LERS_STORE_COLUMN_TEXT },
  { "parent_id", "parent-id", LERS_STORE_COLUMN_REF },
  { "timezone", "time-zone", LERS_STORE_COLUMN_TIME_ZONE },
};

static const LersStoreColumn lers_store_connection_columns[] = {
  { "title", "title", LERS_STORE_COLUMN_TEXT },
  { "kind", "kind", LERS_STORE_COLUMN_ENUM },
  { "host", "host", LERS_STORE_COLUMN_TEXT },
  { "port", "port", LERS_STORE_COLUMN_UINT },
  { "timeout", "timeout", LERS_STORE_COLUMN_UINT },
  { "serial_port", "serial-port", LERS_STORE_COLUMN_TEXT },
  { "baud_rate", "baud-rate", LERS_STORE_COLUMN_UINT },
  { "data_bits", "data-bits", LERS_STORE_COLUMN_UINT },
  { "parity", "parity", LERS_STORE_COLUMN_ENUM },
  { "stop_bits", "stop-bits", LERS_STORE_COLUMN_UINT },
  { "flow_control", "flow-control", LERS_STORE_COLUMN_ENUM },
  { "phone_number", "phone-number", LERS_STORE_COLUMN_TEXT },
  { "modem_init", "modem-init", LERS_STORE_COLUMN_TEXT },
  { "identity", "identity", LERS_STORE_COLUMN_TEXT },
  { "handshake", "handshake", LERS_STORE_COLUMN_TEXT },
  { "first_byte_timeout_ms", "first-byte-timeout-ms", LERS_STORE_COLUMN_UINT },
  { "inter_byte_timeout_ms", "inter-byte-timeout-ms", LERS_STORE_COLUMN_UINT },
  { "answer_timeout_ms", "answer-timeout-ms", LERS_STORE_COLUMN_UINT },
  { "retries", "retries", LERS_STORE_COLUMN_INT },
};

static const LersStoreColumn lers_store_meter_event_columns[] = {
  { "point_id", "point-id", LERS_STORE_COLUMN_REF },
  { "device_id", "device-id", LERS_STORE_COLUMN_REF },
  { "channel", "channel", LERS_STORE_COLUMN_UINT },
  { "code", "code", LERS_STORE_COLUMN_TEXT },
  { "device_code", "device-code", LERS_STORE_COLUMN_INT },
  { "text", "text", LERS_STORE_COLUMN_TEXT },
  { "started_at", "start", LERS_STORE_COLUMN_DATETIME },
  { "ended_at", "end", LERS_STORE_COLUMN_DATETIME },
  { "severity", "severity", LERS_STORE_COLUMN_ENUM },
};

/* users without password_hash: LersAccounts alone reads and writes it */
static const LersStoreColumn lers_store_user_columns[] = {
  { "login", "login", LERS_STORE_COLUMN_TEXT },
  { "display_name", "display-name", LERS_STORE_COLUMN_TEXT },
  { "email", "email", LERS_STORE_COLUMN_TEXT },
  { "phone", "phone", LERS_STORE_COLUMN_TEXT },
  { "role", "role", LERS_STORE_COLUMN_ENUM },
  { "enabled", "enabled", LERS_STORE_COLUMN_BOOLEAN },
  { "language", "language", LERS_STORE_COLUMN_TEXT },
  { "created_at", "created", LERS_STORE_COLUMN_DATETIME },
  { "password_changed_at", "password-changed", LERS_STORE_COLUMN_DATETIME },
  { "last_login_at", "last-login", LERS_STORE_COLUMN_DATETIME },
};

static const LersStoreColumn lers_store_node_group_columns[] = {
  { "title", "title", LERS_STORE_COLUMN_TEXT },
  { "comment", "comment", LERS_STORE_COLUMN_TEXT },
};

static const LersStoreColumn lers_store_audit_entry_columns[] = {
  { "at", "time", LERS_STORE_COLUMN_DATETIME },
  { "user_id", "user-id", LERS_STORE_COLUMN_REF },
  { "login", "login", LERS_STORE_COLUMN_TEXT },
  { "action", "action", LERS_STORE_COLUMN_TEXT },
  { "entity", "entity", LERS_STORE_COLUMN_TEXT },
  { "entity_id", "entity-id", LERS_STORE_COLUMN_REF },
  { "before", "before", LERS_STORE_COLUMN_JSON },
  { "after", "after", LERS_STORE_COLUMN_JSON },
  { "address", "address", LERS_STORE_COLUMN_TEXT },
};

const LersStoreModel lers_store_model_node = {
  "nodes",
  /* TRANSLATORS: completes "There is no %s with id %<PRId64>" */
  N_ ("node"),
  lers_node_get_type,
  lers_store_node_columns,
  G_N_ELEMENTS (lers_store_node_columns),
  NULL,
};
const LersStoreModel lers_store_model_measure_point = {
  "measure_points",
  /* TRANSLATORS: completes "There is no %s with id %<PRId64>" */
  N_ ("measure point"),
  lers_measure_point_get_type,
  lers_store_measure_point_columns,
  G_N_ELEMENTS (lers_store_measure_point_columns),
  "node_id",
};
const LersStoreModel lers_store_model_device = {
  "devices",
  /* TRANSLATORS: completes "There is no %s with id %<PRId64>" */
  N_ ("device"),
  lers_device_get_type,
  lers_store_device_columns,
  G_N_ELEMENTS (lers_store_device_columns),
  NULL,
};
const LersStoreModel lers_store_model_connection = {
  "connections",
  /* TRANSLATORS: completes "There is no %s with id %<PRId64>" */
  N_ ("connection"),
  lers_connection_get_type,
  lers_store_connection_columns,
  G_N_ELEMENTS (lers_store_connection_columns),
  NULL,
};
const LersStoreModel lers_store_model_territory = {
  "territories",
  /* TRANSLATORS: completes "There is no %s with id %<PRId64>" */
  N_ ("territory"),
  lers_territory_get_type,
  lers_store_territory_columns,
  G_N_ELEMENTS (lers_store_territory_columns),
  "parent_id",
};

const LersStoreModel lers_store_model_meter_event = {
  "meter_events",
  /* TRANSLATORS: completes "There is no %s with id %<PRId64>" */
  N_ ("meter event"),
  lers_meter_event_get_type,
  lers_store_meter_event_columns,
  G_N_ELEMENTS (lers_store_meter_event_columns),
  "point_id",
};

const LersStoreModel lers_store_model_user = {
  "users",
  /* TRANSLATORS: completes "There is no %s with id %<PRId64>" */
  N_ ("user"),
  lers_user_get_type,
  lers_store_user_columns,
  G_N_ELEMENTS (lers_store_user_columns),
  NULL,
};

const LersStoreModel lers_store_model_node_group = {
  "node_groups",
  /* TRANSLATORS: completes "There is no %s with id %<PRId64>" */
  N_ ("node group"),
  lers_node_group_get_type,
  lers_store_node_group_columns,
  G_N_ELEMENTS (lers_store_node_group_columns),
  NULL,
};

const LersStoreModel lers_store_model_audit_entry = {
  "audit_log",
  /* TRANSLATORS: completes "There is no %s with id %<PRId64>" */
  N_ ("audit entry"),
  lers_audit_entry_get_type,
  lers_store_audit_entry_columns,
  G_N_ELEMENTS (lers_store_audit_entry_columns),
  NULL,
};

/* ---- the registry ------------------------------------------------------ */

/* A new entity costs one description: a LersStoreModel like the five above
 * (or a call to lers_store_register_type(), which derives the columns from
 * the GParamSpecs) plus a numbered migration creating its table. The generic
 * calls (lers_store_save_sync() …) find the description by GType here. */
static const LersStoreModel *const lers_store_builtin_models[] = {
  &lers_store_model_node,       &lers_store_model_measure_point, &lers_store_model_device,
  &lers_store_model_connection, &lers_store_model_territory,     &lers_store_model_meter_event,
  &lers_store_model_user,       &lers_store_model_node_group,    &lers_store_model_audit_entry,
};

static GMutex lers_store_registry_lock;
static GHashTable *lers_store_registry; /* GType → LersStoreModel*, never freed */

GType
lers_store_model_get_gtype (const LersStoreModel *model)
{
  return model->get_type != NULL ? model->get_type () : model->type;
}

const LersStoreModel *
lers_store_model_lookup (GType type, GError **error)
{
  const LersStoreModel *model = NULL;

  for (guint i = 0; i < G_N_ELEMENTS (lers_store_builtin_models); i++)
    if (lers_store_builtin_models[i]->get_type () == type)
      return lers_store_builtin_models[i];
  g_mutex_lock (&lers_store_registry_lock);
  if (lers_store_registry != NULL)
    model = g_hash_table_lookup (lers_store_registry, GSIZE_TO_POINTER (type));
  g_mutex_unlock (&lers_store_registry_lock);
  if (model == NULL)
    g_set_error (error, LERS_ERROR, LERS_ERROR_INVALID_ARGUMENT,
                 _ ("Objects of type %s are not stored"),
                 type != G_TYPE_INVALID ? g_type_name (type) : "(invalid)");
  return model;
}

static gboolean
lers_store_column_type_for (GParamSpec *pspec, LersStoreColumnType *type)
{
  GType vtype = pspec->value_type;

  if (vtype == G_TYPE_STRING)
    *type = LERS_STORE_COLUMN_TEXT;
  else if (vtype == G_TYPE_INT64)
    *type = g_str_has_suffix (pspec->name, "-id") ? LERS_STORE_COLUMN_REF : LERS_STORE_COLUMN_INT64;
  else if (vtype == G_TYPE_INT)
    *type = LERS_STORE_COLUMN_INT;
  else if (vtype == G_TYPE_UINT)
    *type = LERS_STORE_COLUMN_UINT;
  else if (vtype == G_TYPE_BOOLEAN)
    *type = LERS_STORE_COLUMN_BOOLEAN;
  else if (vtype == G_TYPE_DOUBLE)
    *type = LERS_STORE_COLUMN_DOUBLE;
  else if (G_TYPE_IS_ENUM (vtype))
    *type = LERS_STORE_COLUMN_ENUM;
  else if (vtype == G_TYPE_STRV)
    *type = LERS_STORE_COLUMN_STRV;
  else if (vtype == G_TYPE_DATE_TIME)
    *type = LERS_STORE_COLUMN_DATETIME;
  else
    return FALSE;
  return TRUE;
}

/**
 * lers_store_register_type:
 * @type: a #GObject type with a writable `id` property of type #gint64
 * @table: the table that stores it, created by a migration
 *
 * Describes a new entity to the store, so that the generic calls
 * ([method@Lers.Store.save_sync], [method@Lers.Store.get_sync],
 * [method@Lers.Store.list_sync], [method@Lers.Store.delete_sync] and their
 * transaction forms) accept objects of @type.
 *
 * Every readable and writable property other than `id` is a column of
 * @table with the property's name, dashes turned into underscores; the
 * column type follows the property type: string `text`, #gint64 `bigint`
 * (a name ending in `-id` is a reference: 0 is stored as `NULL`), #gint
 * `integer`, #guint and enums `bigint` or `smallint`, #gboolean `boolean`,
 * #gdouble `double precision`, #GStrv `text[]`, #GDateTime `timestamptz`.
 * The table has `id bigint GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY`.
 *
 * Entities that ship with LERS are described by a row in
 * `liblers/store/lers-store-models.c` and a migration in
 * `liblers/store/migrations/`; this call is for plugins and tests.
 *
 * Returns: %TRUE on success; %FALSE with %LERS_ERROR_INVALID_ARGUMENT if a
 *   property has a type the store cannot keep, or @type is registered with
 *   another table
 *
 * Since: 0.2
 */
gboolean
lers_store_register_type (GType type, const gchar *table, GError **error)
{
  g_autoptr (GTypeClass) klass = NULL;
  g_autoptr (GArray) columns = NULL;
  g_autofree GParamSpec **pspecs = NULL;
  GParamSpec *id;
  LersStoreModel *model;
  const LersStoreModel *known;
  guint n_pspecs = 0;

  g_return_val_if_fail (g_type_is_a (type, G_TYPE_OBJECT), FALSE);
  g_return_val_if_fail (table != NULL && table[0] != '\0', FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  known = lers_store_model_lookup (type, NULL);
  if (known != NULL)
    {
      if (g_ascii_strcasecmp (known->table, table) == 0)
        return TRUE;
      g_set_error (error, LERS_ERROR, LERS_ERROR_INVALID_ARGUMENT,
                   _ ("%s is already stored in table %s"), g_type_name (type), known->table);
      return FALSE;
    }
  for (const gchar *p = table; *p != '\0'; p++)
    if (!g_ascii_isalnum (*p) && *p != '_')
      {
        g_set_error (error, LERS_ERROR, LERS_ERROR_INVALID_ARGUMENT,
                     _ ("“%s” is not a plain table name"), table);
        return FALSE;
      }

  klass = g_type_class_ref (type);
  id = g_object_class_find_property (G_OBJECT_CLASS (klass), "id");
  if (id == NULL || id->value_type != G_TYPE_INT64
      || (id->flags & G_PARAM_READWRITE) != G_PARAM_READWRITE)
    {
      g_set_error (error, LERS_ERROR, LERS_ERROR_INVALID_ARGUMENT,
                   _ ("%s has no readable and writable gint64 property “id”"), g_type_name (type));
      return FALSE;
    }
  columns = g_array_new (FALSE, TRUE, sizeof (LersStoreColumn));
  pspecs = g_object_class_list_properties (G_OBJECT_CLASS (klass), &n_pspecs);
  for (guint i = 0; i < n_pspecs; i++)
    {
      GParamSpec *pspec = pspecs[i];
      LersStoreColumn col = { NULL };

      if (pspec == id || (pspec->flags & G_PARAM_READWRITE) != G_PARAM_READWRITE
          || (pspec->flags & G_PARAM_CONSTRUCT_ONLY) != 0)
        continue;
      if (!lers_store_column_type_for (pspec, &col.type))
        {
          g_set_error (error, LERS_ERROR, LERS_ERROR_INVALID_ARGUMENT,
                       _ ("Property “%s” of %s has type %s, which the store cannot keep"),
                       pspec->name, g_type_name (type), g_type_name (pspec->value_type));
          return FALSE;
        }
      col.property = g_intern_string (pspec->name);
      {
        /* lower case, as PostgreSQL folds an unquoted name: the store
         * quotes the names it emits (a property may be called "order") */
        g_autofree gchar *lower = g_ascii_strdown (pspec->name, -1);
        col.column = g_intern_string (g_strdelimit (lower, "-", '_'));
      }
      g_array_append_val (columns, col);
    }

  model = g_new0 (LersStoreModel, 1);
  {
    g_autofree gchar *lower = g_ascii_strdown (table, -1);
    model->table = g_intern_string (lower);
  }
  model->noun = model->table;
  model->type = type;
  model->n_columns = columns->len;
  model->columns = (const LersStoreColumn *) g_array_free (g_steal_pointer (&columns), FALSE);

  g_mutex_lock (&lers_store_registry_lock);
  if (lers_store_registry == NULL)
    lers_store_registry = g_hash_table_new (NULL, NULL);
  known = g_hash_table_lookup (lers_store_registry, GSIZE_TO_POINTER (type));
  if (known != NULL)
    {
      /* another thread was first: fine with the same table, refused with
       * another, as above */
      gboolean same = known->table == model->table; /* both interned */
      if (!same)
        g_set_error (error, LERS_ERROR, LERS_ERROR_INVALID_ARGUMENT,
                     _ ("%s is already stored in table %s"), g_type_name (type), known->table);
      g_mutex_unlock (&lers_store_registry_lock);
      g_free ((gpointer) model->columns);
      g_free (model);
      return same;
    }
  g_hash_table_insert (lers_store_registry, GSIZE_TO_POINTER (type), model);
  g_mutex_unlock (&lers_store_registry_lock);
  return TRUE;
}
