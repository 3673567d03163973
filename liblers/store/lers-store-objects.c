/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "config.h"

#include <glib/gi18n-lib.h>
#include <inttypes.h>
#include <json-glib/json-glib.h>
#include <string.h>

#include "lers-error.h"
#include "lers-time.h"
#include "store/lers-store-private.h"

/* ---- objects ----------------------------------------------------------- */

gchar *
lers_store_strv_to_array_literal (const gchar *const *strv)
{
  g_autoptr (GString) s = g_string_new ("{");

  for (guint i = 0; strv != NULL && strv[i] != NULL; i++)
    {
      if (i > 0)
        g_string_append_c (s, ',');
      g_string_append_c (s, '"');
      for (const gchar *p = strv[i]; *p != '\0'; p++)
        {
          if (*p == '"' || *p == '\\')
            g_string_append_c (s, '\\');
          g_string_append_c (s, *p);
        }
      g_string_append_c (s, '"');
    }
  g_string_append_c (s, '}');
  return g_string_free (g_steal_pointer (&s), FALSE);
}

/* The text form of one property, or NULL for SQL NULL. */
static gchar *
lers_store_column_to_text (GObject *object, const LersStoreColumn *col)
{
  GParamSpec *pspec = g_object_class_find_property (G_OBJECT_GET_CLASS (object), col->property);
  g_auto (GValue) value = G_VALUE_INIT;
  gchar buf[G_ASCII_DTOSTR_BUF_SIZE];

  g_return_val_if_fail (pspec != NULL, NULL);
  g_value_init (&value, pspec->value_type);
  g_object_get_property (object, col->property, &value);

  switch (col->type)
    {
    case LERS_STORE_COLUMN_TEXT:
    case LERS_STORE_COLUMN_TIME_ZONE:
    case LERS_STORE_COLUMN_JSON:
      return g_value_dup_string (&value);
    case LERS_STORE_COLUMN_REF:
      if (g_value_get_int64 (&value) == 0)
        return NULL;
      return g_strdup_printf ("%" G_GINT64_FORMAT, g_value_get_int64 (&value));
    case LERS_STORE_COLUMN_ENUM:
      return g_strdup_printf ("%d", g_value_get_enum (&value));
    case LERS_STORE_COLUMN_DOUBLE:
      return g_strdup (g_ascii_dtostr (buf, sizeof buf, g_value_get_double (&value)));
    case LERS_STORE_COLUMN_UINT:
      return g_strdup_printf ("%u", g_value_get_uint (&value));
    case LERS_STORE_COLUMN_INT:
      return g_strdup_printf ("%d", g_value_get_int (&value));
    case LERS_STORE_COLUMN_INT64:
      return g_strdup_printf ("%" G_GINT64_FORMAT, g_value_get_int64 (&value));
    case LERS_STORE_COLUMN_BOOLEAN:
      return g_strdup (g_value_get_boolean (&value) ? "true" : "false");
    case LERS_STORE_COLUMN_STRV:
      return lers_store_strv_to_array_literal (g_value_get_boxed (&value));
    case LERS_STORE_COLUMN_DATETIME:
      {
        GDateTime *dt = g_value_get_boxed (&value);
        return dt != NULL ? g_date_time_format_iso8601 (dt) : NULL;
      }
    default:
      g_assert_not_reached ();
    }
}

static gboolean
lers_store_column_from_text (GObject *object, const LersStoreColumn *col, const gchar *text,
                             GError **error)
{
  GParamSpec *pspec = g_object_class_find_property (G_OBJECT_GET_CLASS (object), col->property);
  g_auto (GValue) value = G_VALUE_INIT;

  g_value_init (&value, pspec->value_type);
  switch (col->type)
    {
    case LERS_STORE_COLUMN_TEXT:
    case LERS_STORE_COLUMN_TIME_ZONE:
    case LERS_STORE_COLUMN_JSON:
      g_value_set_string (&value, text);
      break;
    case LERS_STORE_COLUMN_REF:
      g_value_set_int64 (&value, g_ascii_strtoll (text, NULL, 10));
      break;
    case LERS_STORE_COLUMN_ENUM:
      g_value_set_enum (&value, atoi (text));
      break;
    case LERS_STORE_COLUMN_DOUBLE:
      g_value_set_double (&value, g_ascii_strtod (text, NULL));
      break;
    case LERS_STORE_COLUMN_UINT:
      g_value_set_uint (&value, (guint) MIN (g_ascii_strtoull (text, NULL, 10), G_MAXUINT));
      break;
    case LERS_STORE_COLUMN_INT:
      g_value_set_int (&value, (gint) CLAMP (g_ascii_strtoll (text, NULL, 10), G_MININT, G_MAXINT));
      break;
    case LERS_STORE_COLUMN_INT64:
      g_value_set_int64 (&value, g_ascii_strtoll (text, NULL, 10));
      break;
    case LERS_STORE_COLUMN_BOOLEAN:
      g_value_set_boolean (&value, text[0] == 't');
      break;
    case LERS_STORE_COLUMN_STRV:
      {
        g_autoptr (JsonNode) node = json_from_string (text, error);
        g_autoptr (GPtrArray) strv = g_ptr_array_new_with_free_func (g_free);
        JsonArray *array;

        if (node == NULL)
          return FALSE;
        if (!JSON_NODE_HOLDS_ARRAY (node))
          {
            g_set_error (error, LERS_ERROR, LERS_ERROR_INVALID_DATA, _ ("%s is not an array"),
                         col->column);
            return FALSE;
          }
        array = json_node_get_array (node);
        for (guint i = 0; i < json_array_get_length (array); i++)
          {
            const gchar *s = json_array_get_string_element (array, i);
            if (s != NULL)
              g_ptr_array_add (strv, g_strdup (s));
          }
        g_ptr_array_add (strv, NULL);
        g_value_take_boxed (&value, g_ptr_array_steal (strv, NULL));
        break;
      }
    case LERS_STORE_COLUMN_DATETIME:
      g_value_take_boxed (&value,
                          lers_store_datetime_from_unix_us (g_ascii_strtoll (text, NULL, 10)));
      break;
    default:
      g_assert_not_reached ();
    }
  /* Bring out-of-range values (edited by hand in psql) into the property's range. */
  g_param_value_validate (pspec, &value);
  g_object_set_property (object, col->property, &value);
  return TRUE;
}

/* SELECT id, the columns… FROM the table (no WHERE yet). */
static GString *
lers_store_select_sql (const LersStoreModel *model)
{
  GString *sql = g_string_new ("SELECT id");

  for (guint i = 0; i < model->n_columns; i++)
    {
      const LersStoreColumn *col = &model->columns[i];

      if (col->type == LERS_STORE_COLUMN_DATETIME)
        g_string_append_printf (sql, ", (extract(epoch FROM \"%s\") * 1000000)::int8", col->column);
      else if (col->type == LERS_STORE_COLUMN_STRV)
        g_string_append_printf (sql, ", array_to_json(\"%s\")::text", col->column);
      else
        g_string_append_printf (sql, ", \"%s\"", col->column);
    }
  return sql;
}

static GObject *
lers_store_object_from_row (const LersStoreModel *model, PGresult *res, gint row, GError **error)
{
  g_autoptr (GObject) object = g_object_new (lers_store_model_get_gtype (model), NULL);

  g_object_set (object, "id", g_ascii_strtoll (PQgetvalue (res, row, 0), NULL, 10), NULL);
  for (guint i = 0; i < model->n_columns; i++)
    {
      if (PQgetisnull (res, row, i + 1))
        continue;
      if (!lers_store_column_from_text (object, &model->columns[i], PQgetvalue (res, row, i + 1),
                                        error))
        return NULL;
    }
  return g_steal_pointer (&object);
}

static gboolean
lers_store_job_save_run (LersStore *self, LersStoreConn *conn, LersStoreJob *job,
                         GCancellable *cancellable, GError **error)
{
  const LersStoreModel *model = job->model;
  g_autoptr (GString) sql = g_string_new (NULL);
  g_autoptr (PGresult) res = NULL;
  g_autofree gchar *id_str = NULL;
  g_autofree const gchar **values = g_new0 (const gchar *, model->n_columns + 1);

  for (guint i = 0; i < model->n_columns; i++)
    {
      values[i] = g_ptr_array_index (job->params, i);
      if (model->columns[i].type == LERS_STORE_COLUMN_TIME_ZONE && values[i] != NULL)
        {
          g_autoptr (GTimeZone) zone = lers_time_zone_new (values[i], error);
          if (zone == NULL)
            return FALSE;
        }
      if (model->columns[i].type == LERS_STORE_COLUMN_JSON && values[i] != NULL)
        {
          g_autoptr (JsonNode) node = json_from_string (values[i], NULL);
          if (node == NULL || !JSON_NODE_HOLDS_OBJECT (node))
            {
              g_set_error (error, LERS_ERROR, LERS_ERROR_INVALID_ARGUMENT,
                           _ ("%s of %s must be a JSON object"), model->columns[i].column,
                           model->table);
              return FALSE;
            }
        }
    }

  if (job->id == 0)
    {
      g_string_append_printf (sql, "INSERT INTO \"%s\" (", model->table);
      for (guint i = 0; i < model->n_columns; i++)
        g_string_append_printf (sql, "%s\"%s\"", i > 0 ? ", " : "", model->columns[i].column);
      g_string_append (sql, ") VALUES (");
      for (guint i = 0; i < model->n_columns; i++)
        g_string_append_printf (sql, "%s$%u", i > 0 ? ", " : "", i + 1);
      g_string_append (sql, ") RETURNING id");
      res = lers_store_exec (conn, sql->str, model->n_columns, values, error);
      if (res == NULL)
        {
          g_prefix_error (error, _ ("Could not insert into %s: "), model->table);
          return FALSE;
        }
      job->result_id = g_ascii_strtoll (PQgetvalue (res, 0, 0), NULL, 10);
      return TRUE;
    }

  id_str = g_strdup_printf ("%" G_GINT64_FORMAT, job->id);
  values[model->n_columns] = id_str;
  g_string_append_printf (sql, "UPDATE \"%s\" SET ", model->table);
  for (guint i = 0; i < model->n_columns; i++)
    g_string_append_printf (sql, "%s\"%s\" = $%u", i > 0 ? ", " : "", model->columns[i].column,
                            i + 1);
  g_string_append_printf (sql, " WHERE id = $%u::int8", model->n_columns + 1);
  res = lers_store_exec (conn, sql->str, model->n_columns + 1, values, error);
  if (res == NULL)
    {
      g_prefix_error (error, _ ("Could not update %s %" PRId64 ": "), model->table, job->id);
      return FALSE;
    }
  if (g_strcmp0 (PQcmdTuples (res), "0") == 0)
    {
      g_set_error (error, LERS_ERROR, LERS_ERROR_NOT_FOUND, _ ("There is no %s with id %" PRId64),
                   _ (model->noun), job->id);
      return FALSE;
    }
  job->result_id = job->id;
  return TRUE;
}

LersStoreJob *
lers_store_job_new_save (const LersStoreModel *model, GObject *object)
{
  LersStoreJob *job = g_new0 (LersStoreJob, 1);

  job->func = lers_store_job_save_run;
  job->model = model;
  job->object = g_object_ref (object);
  job->bound = LERS_STORE_BOUND_OBJECT_WRITE;
  g_object_get (object, "id", &job->id, NULL);
  /* An UPDATE by id may run twice; an INSERT must not (see lers_store_run_job). */
  job->once = job->id == 0;
  /* Snapshot now, in the caller's thread; the worker never reads the object. */
  job->params = g_ptr_array_new_with_free_func (g_free);
  for (guint i = 0; i < model->n_columns; i++)
    g_ptr_array_add (job->params, lers_store_column_to_text (object, &model->columns[i]));
  return job;
}

static gboolean
lers_store_job_get_run (LersStore *self, LersStoreConn *conn, LersStoreJob *job,
                        GCancellable *cancellable, GError **error)
{
  g_autoptr (GString) sql = lers_store_select_sql (job->model);
  g_autofree gchar *id_str = g_strdup_printf ("%" G_GINT64_FORMAT, job->id);
  const gchar *values[] = { id_str };
  g_autoptr (PGresult) res = NULL;
  GObject *object;

  g_string_append_printf (sql, " FROM \"%s\" WHERE id = $1::int8", job->model->table);
  res = lers_store_exec (conn, sql->str, 1, values, error);
  if (res == NULL)
    {
      g_prefix_error (error, _ ("Could not read %s %" PRId64 ": "), job->model->table, job->id);
      return FALSE;
    }
  if (PQntuples (res) == 0)
    {
      g_set_error (error, LERS_ERROR, LERS_ERROR_NOT_FOUND, _ ("There is no %s with id %" PRId64),
                   _ (job->model->noun), job->id);
      return FALSE;
    }
  object = lers_store_object_from_row (job->model, res, 0, error);
  if (object == NULL)
    return FALSE;
  lers_store_job_set_result (job, object, g_object_unref);
  return TRUE;
}

LersStoreJob *
lers_store_job_new_get (const LersStoreModel *model, gint64 id)
{
  LersStoreJob *job = g_new0 (LersStoreJob, 1);

  job->func = lers_store_job_get_run;
  job->model = model;
  job->bound = LERS_STORE_BOUND_READ;
  job->id = id;
  return job;
}

static gboolean
lers_store_job_list_run (LersStore *self, LersStoreConn *conn, LersStoreJob *job,
                         GCancellable *cancellable, GError **error)
{
  g_autoptr (GString) sql = lers_store_select_sql (job->model);
  g_autoptr (GString) tail = g_string_new (NULL);
  g_autoptr (GPtrArray) params = g_ptr_array_new_with_free_func (g_free);
  g_autoptr (PGresult) res = NULL;
  g_autoptr (GPtrArray) objects = g_ptr_array_new_with_free_func (g_object_unref);
  guint n_keys = 0;
  gint n;

  if (!lers_store_query_compile (job->query, job->model, sql, tail, params, &n_keys, error))
    return FALSE;
  g_string_append_printf (sql, " FROM \"%s\"%s", job->model->table, tail->str);
  res = lers_store_exec (conn, sql->str, params->len, (const gchar *const *) params->pdata, error);
  if (res == NULL)
    {
      g_prefix_error (error, _ ("Could not list %s: "), job->model->table);
      return FALSE;
    }
  n = PQntuples (res);
  for (gint i = 0; i < n; i++)
    {
      GObject *object = lers_store_object_from_row (job->model, res, i, error);
      if (object == NULL)
        return FALSE;
      g_ptr_array_add (objects, object);
    }
  /* A full page may have a next one; a short page is the last. */
  g_clear_pointer (&job->next_cursor, g_free);
  if (job->query != NULL && lers_store_query_get_limit (job->query) > 0 && n > 0
      && (guint) n == lers_store_query_get_limit (job->query))
    job->next_cursor = lers_store_cursor_encode (res, n - 1, n_keys);
  lers_store_job_set_result (job, g_steal_pointer (&objects), (GDestroyNotify) g_ptr_array_unref);
  return TRUE;
}

LersStoreJob *
lers_store_job_new_list (const LersStoreModel *model, LersStoreQuery *query)
{
  LersStoreJob *job = g_new0 (LersStoreJob, 1);

  job->func = lers_store_job_list_run;
  job->model = model;
  job->bound = LERS_STORE_BOUND_READ;
  if (query != NULL)
    job->query = lers_store_query_copy (query);
  return job;
}

static gboolean
lers_store_job_delete_run (LersStore *self, LersStoreConn *conn, LersStoreJob *job,
                           GCancellable *cancellable, GError **error)
{
  g_autofree gchar *id_str = g_strdup_printf ("%" G_GINT64_FORMAT, job->id);
  const gchar *values[] = { id_str };
  g_autofree gchar *sql
      = g_strdup_printf ("DELETE FROM \"%s\" WHERE id = $1::int8", job->model->table);
  g_autoptr (PGresult) res = NULL;
  const gchar *archive_sql = NULL;

  /* The archive has no foreign key to the points (see the migration), so
   * the rows of a deleted point go in the same transaction. */
  if (job->model == &lers_store_model_measure_point)
    archive_sql = "DELETE FROM archive WHERE point_id = $1::int8";
  else if (job->model == &lers_store_model_node)
    archive_sql = "DELETE FROM archive WHERE point_id IN "
                  "(SELECT id FROM measure_points WHERE node_id = $1::int8)";

  if (!lers_store_exec_simple (conn, "BEGIN", error))
    return FALSE;
  if (archive_sql != NULL)
    {
      g_autoptr (PGresult) ares = lers_store_exec (conn, archive_sql, 1, values, error);
      if (ares == NULL)
        return FALSE;
    }
  res = lers_store_exec (conn, sql, 1, values, error);
  if (res == NULL)
    {
      g_prefix_error (error, _ ("Could not delete %s %" PRId64 ": "), job->model->table, job->id);
      return FALSE;
    }
  if (g_strcmp0 (PQcmdTuples (res), "0") == 0)
    {
      g_set_error (error, LERS_ERROR, LERS_ERROR_NOT_FOUND, _ ("There is no %s with id %" PRId64),
                   _ (job->model->noun), job->id);
      return FALSE;
    }
  return lers_store_exec_simple (conn, "COMMIT", error);
}

LersStoreJob *
lers_store_job_new_delete (const LersStoreModel *model, gint64 id)
{
  LersStoreJob *job = g_new0 (LersStoreJob, 1);

  job->func = lers_store_job_delete_run;
  job->model = model;
  job->bound = LERS_STORE_BOUND_OBJECT_WRITE;
  job->id = id;
  return job;
}

/**
 * lers_store_save_node_async:
 * @self: a #LersStore
 * @node: the node (объект учёта) to save
 * @cancellable: (nullable): a #GCancellable
 * @callback: (scope async): called when done
 * @user_data: (closure): data for @callback
 *
 * Saves @node in a worker thread; see [method@Lers.Store.save_node_sync].
 * The properties are read now; the id is set by the finish function.
 *
 * Since: 0.1
 */
void
lers_store_save_node_async (LersStore *self, LersNode *node, GCancellable *cancellable,
                            GAsyncReadyCallback callback, gpointer user_data)
{
  g_return_if_fail (LERS_IS_STORE (self));
  g_return_if_fail (LERS_IS_NODE (node));

  lers_store_save_async (self, G_OBJECT (node), cancellable, callback, user_data);
}

/**
 * lers_store_save_node_finish:
 * @self: a #LersStore
 * @result: the #GAsyncResult
 * @error: return location for a #GError
 *
 * Finishes [method@Lers.Store.save_node_async], setting the id of a newly
 * inserted object.
 *
 * Returns: %TRUE on success
 *
 * Since: 0.1
 */
gboolean
lers_store_save_node_finish (LersStore *self, GAsyncResult *result, GError **error)
{
  return lers_store_save_finish (self, result, error);
}

/**
 * lers_store_get_node_async:
 * @self: a #LersStore
 * @id: the id of the node (объект учёта)
 * @cancellable: (nullable): a #GCancellable
 * @callback: (scope async): called when done
 * @user_data: (closure): data for @callback
 *
 * Reads one node (объект учёта) in a worker thread.
 *
 * Since: 0.1
 */
void
lers_store_get_node_async (LersStore *self, gint64 id, GCancellable *cancellable,
                           GAsyncReadyCallback callback, gpointer user_data)
{
  g_return_if_fail (LERS_IS_STORE (self));

  lers_store_get_async (self, LERS_TYPE_NODE, id, cancellable, callback, user_data);
}

/**
 * lers_store_get_node_finish:
 * @self: a #LersStore
 * @result: the #GAsyncResult
 * @error: return location for a #GError
 *
 * Finishes [method@Lers.Store.get_node_async].
 *
 * Returns: (transfer full): the node (объект учёта), or %NULL with
 *   %LERS_ERROR_NOT_FOUND if there is none
 *
 * Since: 0.1
 */
LersNode *
lers_store_get_node_finish (LersStore *self, GAsyncResult *result, GError **error)
{
  return (LersNode *) lers_store_get_finish (self, result, error);
}

/**
 * lers_store_list_nodes_async:
 * @self: a #LersStore
 * @cancellable: (nullable): a #GCancellable
 * @callback: (scope async): called when done
 * @user_data: (closure): data for @callback
 *
 * Reads all nodes in a worker thread.
 *
 * Since: 0.1
 */
void
lers_store_list_nodes_async (LersStore *self, GCancellable *cancellable,
                             GAsyncReadyCallback callback, gpointer user_data)
{
  g_return_if_fail (LERS_IS_STORE (self));

  lers_store_list_async (self, LERS_TYPE_NODE, NULL, cancellable, callback, user_data);
}

/**
 * lers_store_list_nodes_finish:
 * @self: a #LersStore
 * @result: the #GAsyncResult
 * @error: return location for a #GError
 *
 * Finishes [method@Lers.Store.list_nodes_async].
 *
 * Returns: (transfer container) (element-type Lers.Node): the objects, or %NULL on error
 *
 * Since: 0.1
 */
GPtrArray *
lers_store_list_nodes_finish (LersStore *self, GAsyncResult *result, GError **error)
{
  return lers_store_list_finish (self, result, error);
}

/**
 * lers_store_delete_node_async:
 * @self: a #LersStore
 * @id: the id of the node (объект учёта)
 * @cancellable: (nullable): a #GCancellable
 * @callback: (scope async): called when done
 * @user_data: (closure): data for @callback
 *
 * Deletes one node (объект учёта) with its measure points and their archives in a worker thread.
 *
 * Since: 0.1
 */
void
lers_store_delete_node_async (LersStore *self, gint64 id, GCancellable *cancellable,
                              GAsyncReadyCallback callback, gpointer user_data)
{
  g_return_if_fail (LERS_IS_STORE (self));

  lers_store_delete_async (self, LERS_TYPE_NODE, id, cancellable, callback, user_data);
}

/**
 * lers_store_delete_node_finish:
 * @self: a #LersStore
 * @result: the #GAsyncResult
 * @error: return location for a #GError
 *
 * Finishes [method@Lers.Store.delete_node_async].
 *
 * Returns: %TRUE on success, %FALSE with %LERS_ERROR_NOT_FOUND if there
 *   was none
 *
 * Since: 0.1
 */
gboolean
lers_store_delete_node_finish (LersStore *self, GAsyncResult *result, GError **error)
{
  return lers_store_delete_finish (self, result, error);
}

/**
 * lers_store_save_measure_point_async:
 * @self: a #LersStore
 * @measure_point: the measure point (точка учёта) to save
 * @cancellable: (nullable): a #GCancellable
 * @callback: (scope async): called when done
 * @user_data: (closure): data for @callback
 *
 * Saves @measure_point in a worker thread; see [method@Lers.Store.save_measure_point_sync].
 * The properties are read now; the id is set by the finish function.
 *
 * Since: 0.1
 */
void
lers_store_save_measure_point_async (LersStore *self, LersMeasurePoint *measure_point,
                                     GCancellable *cancellable, GAsyncReadyCallback callback,
                                     gpointer user_data)
{
  g_return_if_fail (LERS_IS_STORE (self));
  g_return_if_fail (LERS_IS_MEASURE_POINT (measure_point));

  lers_store_save_async (self, G_OBJECT (measure_point), cancellable, callback, user_data);
}

/**
 * lers_store_save_measure_point_finish:
 * @self: a #LersStore
 * @result: the #GAsyncResult
 * @error: return location for a #GError
 *
 * Finishes [method@Lers.Store.save_measure_point_async], setting the id of a newly
 * inserted object.
 *
 * Returns: %TRUE on success
 *
 * Since: 0.1
 */
gboolean
lers_store_save_measure_point_finish (LersStore *self, GAsyncResult *result, GError **error)
{
  return lers_store_save_finish (self, result, error);
}

/**
 * lers_store_get_measure_point_async:
 * @self: a #LersStore
 * @id: the id of the measure point (точка учёта)
 * @cancellable: (nullable): a #GCancellable
 * @callback: (scope async): called when done
 * @user_data: (closure): data for @callback
 *
 * Reads one measure point (точка учёта) in a worker thread.
 *
 * Since: 0.1
 */
void
lers_store_get_measure_point_async (LersStore *self, gint64 id, GCancellable *cancellable,
                                    GAsyncReadyCallback callback, gpointer user_data)
{
  g_return_if_fail (LERS_IS_STORE (self));

  lers_store_get_async (self, LERS_TYPE_MEASURE_POINT, id, cancellable, callback, user_data);
}

/**
 * lers_store_get_measure_point_finish:
 * @self: a #LersStore
 * @result: the #GAsyncResult
 * @error: return location for a #GError
 *
 * Finishes [method@Lers.Store.get_measure_point_async].
 *
 * Returns: (transfer full): the measure point (точка учёта), or %NULL with
 *   %LERS_ERROR_NOT_FOUND if there is none
 *
 * Since: 0.1
 */
LersMeasurePoint *
lers_store_get_measure_point_finish (LersStore *self, GAsyncResult *result, GError **error)
{
  return (LersMeasurePoint *) lers_store_get_finish (self, result, error);
}

/**
 * lers_store_list_measure_points_async:
 * @self: a #LersStore
 * @node_id: the node whose points to list, or 0 for all points
 * @cancellable: (nullable): a #GCancellable
 * @callback: (scope async): called when done
 * @user_data: (closure): data for @callback
 *
 * Reads all measure_points in a worker thread.
 *
 * Since: 0.1
 */
void
lers_store_list_measure_points_async (LersStore *self, gint64 node_id, GCancellable *cancellable,
                                      GAsyncReadyCallback callback, gpointer user_data)
{
  g_autoptr (LersStoreQuery) query = NULL;

  g_return_if_fail (LERS_IS_STORE (self));
  g_return_if_fail (node_id >= 0);

  if (node_id != 0)
    {
      query = lers_store_query_new ();
      lers_store_query_add_filter_int64 (query, "node-id", LERS_STORE_OP_EQ, node_id);
    }
  lers_store_list_async (self, LERS_TYPE_MEASURE_POINT, query, cancellable, callback, user_data);
}

/**
 * lers_store_list_measure_points_finish:
 * @self: a #LersStore
 * @result: the #GAsyncResult
 * @error: return location for a #GError
 *
 * Finishes [method@Lers.Store.list_measure_points_async].
 *
 * Returns: (transfer container) (element-type Lers.MeasurePoint): the objects, or %NULL on error
 *
 * Since: 0.1
 */
GPtrArray *
lers_store_list_measure_points_finish (LersStore *self, GAsyncResult *result, GError **error)
{
  return lers_store_list_finish (self, result, error);
}

/**
 * lers_store_delete_measure_point_async:
 * @self: a #LersStore
 * @id: the id of the measure point (точка учёта)
 * @cancellable: (nullable): a #GCancellable
 * @callback: (scope async): called when done
 * @user_data: (closure): data for @callback
 *
 * Deletes one measure point (точка учёта) and its archive in a worker thread.
 *
 * Since: 0.1
 */
void
lers_store_delete_measure_point_async (LersStore *self, gint64 id, GCancellable *cancellable,
                                       GAsyncReadyCallback callback, gpointer user_data)
{
  g_return_if_fail (LERS_IS_STORE (self));

  lers_store_delete_async (self, LERS_TYPE_MEASURE_POINT, id, cancellable, callback, user_data);
}

/**
 * lers_store_delete_measure_point_finish:
 * @self: a #LersStore
 * @result: the #GAsyncResult
 * @error: return location for a #GError
 *
 * Finishes [method@Lers.Store.delete_measure_point_async].
 *
 * Returns: %TRUE on success, %FALSE with %LERS_ERROR_NOT_FOUND if there
 *   was none
 *
 * Since: 0.1
 */
gboolean
lers_store_delete_measure_point_finish (LersStore *self, GAsyncResult *result, GError **error)
{
  return lers_store_delete_finish (self, result, error);
}

/**
 * lers_store_save_device_async:
 * @self: a #LersStore
 * @device: the device (прибор учёта) to save
 * @cancellable: (nullable): a #GCancellable
 * @callback: (scope async): called when done
 * @user_data: (closure): data for @callback
 *
 * Saves @device in a worker thread; see [method@Lers.Store.save_device_sync].
 * The properties are read now; the id is set by the finish function.
 *
 * Since: 0.1
 */
void
lers_store_save_device_async (LersStore *self, LersDevice *device, GCancellable *cancellable,
                              GAsyncReadyCallback callback, gpointer user_data)
{
  g_return_if_fail (LERS_IS_STORE (self));
  g_return_if_fail (LERS_IS_DEVICE (device));

  lers_store_save_async (self, G_OBJECT (device), cancellable, callback, user_data);
}

/**
 * lers_store_save_device_finish:
 * @self: a #LersStore
 * @result: the #GAsyncResult
 * @error: return location for a #GError
 *
 * Finishes [method@Lers.Store.save_device_async], setting the id of a newly
 * inserted object.
 *
 * Returns: %TRUE on success
 *
 * Since: 0.1
 */
gboolean
lers_store_save_device_finish (LersStore *self, GAsyncResult *result, GError **error)
{
  return lers_store_save_finish (self, result, error);
}

/**
 * lers_store_get_device_async:
 * @self: a #LersStore
 * @id: the id of the device (прибор учёта)
 * @cancellable: (nullable): a #GCancellable
 * @callback: (scope async): called when done
 * @user_data: (closure): data for @callback
 *
 * Reads one device (прибор учёта) in a worker thread.
 *
 * Since: 0.1
 */
void
lers_store_get_device_async (LersStore *self, gint64 id, GCancellable *cancellable,
                             GAsyncReadyCallback callback, gpointer user_data)
{
  g_return_if_fail (LERS_IS_STORE (self));

  lers_store_get_async (self, LERS_TYPE_DEVICE, id, cancellable, callback, user_data);
}

/**
 * lers_store_get_device_finish:
 * @self: a #LersStore
 * @result: the #GAsyncResult
 * @error: return location for a #GError
 *
 * Finishes [method@Lers.Store.get_device_async].
 *
 * Returns: (transfer full): the device (прибор учёта), or %NULL with
 *   %LERS_ERROR_NOT_FOUND if there is none
 *
 * Since: 0.1
 */
LersDevice *
lers_store_get_device_finish (LersStore *self, GAsyncResult *result, GError **error)
{
  return (LersDevice *) lers_store_get_finish (self, result, error);
}

/**
 * lers_store_list_devices_async:
 * @self: a #LersStore
 * @cancellable: (nullable): a #GCancellable
 * @callback: (scope async): called when done
 * @user_data: (closure): data for @callback
 *
 * Reads all devices in a worker thread.
 *
 * Since: 0.1
 */
void
lers_store_list_devices_async (LersStore *self, GCancellable *cancellable,
                               GAsyncReadyCallback callback, gpointer user_data)
{
  g_return_if_fail (LERS_IS_STORE (self));

  lers_store_list_async (self, LERS_TYPE_DEVICE, NULL, cancellable, callback, user_data);
}

/**
 * lers_store_list_devices_finish:
 * @self: a #LersStore
 * @result: the #GAsyncResult
 * @error: return location for a #GError
 *
 * Finishes [method@Lers.Store.list_devices_async].
 *
 * Returns: (transfer container) (element-type Lers.Device): the objects, or %NULL on error
 *
 * Since: 0.1
 */
GPtrArray *
lers_store_list_devices_finish (LersStore *self, GAsyncResult *result, GError **error)
{
  return lers_store_list_finish (self, result, error);
}

/**
 * lers_store_delete_device_async:
 * @self: a #LersStore
 * @id: the id of the device (прибор учёта)
 * @cancellable: (nullable): a #GCancellable
 * @callback: (scope async): called when done
 * @user_data: (closure): data for @callback
 *
 * Deletes one device (прибор учёта) in a worker thread.
 *
 * Since: 0.1
 */
void
lers_store_delete_device_async (LersStore *self, gint64 id, GCancellable *cancellable,
                                GAsyncReadyCallback callback, gpointer user_data)
{
  g_return_if_fail (LERS_IS_STORE (self));

  lers_store_delete_async (self, LERS_TYPE_DEVICE, id, cancellable, callback, user_data);
}

/**
 * lers_store_delete_device_finish:
 * @self: a #LersStore
 * @result: the #GAsyncResult
 * @error: return location for a #GError
 *
 * Finishes [method@Lers.Store.delete_device_async].
 *
 * Returns: %TRUE on success, %FALSE with %LERS_ERROR_NOT_FOUND if there
 *   was none
 *
 * Since: 0.1
 */
gboolean
lers_store_delete_device_finish (LersStore *self, GAsyncResult *result, GError **error)
{
  return lers_store_delete_finish (self, result, error);
}

/**
 * lers_store_save_connection_async:
 * @self: a #LersStore
 * @connection: the connection to save
 * @cancellable: (nullable): a #GCancellable
 * @callback: (scope async): called when done
 * @user_data: (closure): data for @callback
 *
 * Saves @connection in a worker thread; see [method@Lers.Store.save_connection_sync].
 * The properties are read now; the id is set by the finish function.
 *
 * Since: 0.1
 */
void
lers_store_save_connection_async (LersStore *self, LersConnection *connection,
                                  GCancellable *cancellable, GAsyncReadyCallback callback,
                                  gpointer user_data)
{
  g_return_if_fail (LERS_IS_STORE (self));
  g_return_if_fail (LERS_IS_CONNECTION (connection));

  lers_store_save_async (self, G_OBJECT (connection), cancellable, callback, user_data);
}

/**
 * lers_store_save_connection_finish:
 * @self: a #LersStore
 * @result: the #GAsyncResult
 * @error: return location for a #GError
 *
 * Finishes [method@Lers.Store.save_connection_async], setting the id of a newly
 * inserted object.
 *
 * Returns: %TRUE on success
 *
 * Since: 0.1
 */
gboolean
lers_store_save_connection_finish (LersStore *self, GAsyncResult *result, GError **error)
{
  return lers_store_save_finish (self, result, error);
}

/**
 * lers_store_get_connection_async:
 * @self: a #LersStore
 * @id: the id of the connection
 * @cancellable: (nullable): a #GCancellable
 * @callback: (scope async): called when done
 * @user_data: (closure): data for @callback
 *
 * Reads one connection in a worker thread.
 *
 * Since: 0.1
 */
void
lers_store_get_connection_async (LersStore *self, gint64 id, GCancellable *cancellable,
                                 GAsyncReadyCallback callback, gpointer user_data)
{
  g_return_if_fail (LERS_IS_STORE (self));

  lers_store_get_async (self, LERS_TYPE_CONNECTION, id, cancellable, callback, user_data);
}

/**
 * lers_store_get_connection_finish:
 * @self: a #LersStore
 * @result: the #GAsyncResult
 * @error: return location for a #GError
 *
 * Finishes [method@Lers.Store.get_connection_async].
 *
 * Returns: (transfer full): the connection, or %NULL with
 *   %LERS_ERROR_NOT_FOUND if there is none
 *
 * Since: 0.1
 */
LersConnection *
lers_store_get_connection_finish (LersStore *self, GAsyncResult *result, GError **error)
{
  return (LersConnection *) lers_store_get_finish (self, result, error);
}

/**
 * lers_store_list_connections_async:
 * @self: a #LersStore
 * @cancellable: (nullable): a #GCancellable
 * @callback: (scope async): called when done
 * @user_data: (closure): data for @callback
 *
 * Reads all connections in a worker thread.
 *
 * Since: 0.1
 */
void
lers_store_list_connections_async (LersStore *self, GCancellable *cancellable,
                                   GAsyncReadyCallback callback, gpointer user_data)
{
  g_return_if_fail (LERS_IS_STORE (self));

  lers_store_list_async (self, LERS_TYPE_CONNECTION, NULL, cancellable, callback, user_data);
}

/**
 * lers_store_list_connections_finish:
 * @self: a #LersStore
 * @result: the #GAsyncResult
 * @error: return location for a #GError
 *
 * Finishes [method@Lers.Store.list_connections_async].
 *
 * Returns: (transfer container) (element-type Lers.Connection): the objects, or %NULL on error
 *
 * Since: 0.1
 */
GPtrArray *
lers_store_list_connections_finish (LersStore *self, GAsyncResult *result, GError **error)
{
  return lers_store_list_finish (self, result, error);
}

/**
 * lers_store_delete_connection_async:
 * @self: a #LersStore
 * @id: the id of the connection
 * @cancellable: (nullable): a #GCancellable
 * @callback: (scope async): called when done
 * @user_data: (closure): data for @callback
 *
 * Deletes one connection in a worker thread.
 *
 * Since: 0.1
 */
void
lers_store_delete_connection_async (LersStore *self, gint64 id, GCancellable *cancellable,
                                    GAsyncReadyCallback callback, gpointer user_data)
{
  g_return_if_fail (LERS_IS_STORE (self));

  lers_store_delete_async (self, LERS_TYPE_CONNECTION, id, cancellable, callback, user_data);
}

/**
 * lers_store_delete_connection_finish:
 * @self: a #LersStore
 * @result: the #GAsyncResult
 * @error: return location for a #GError
 *
 * Finishes [method@Lers.Store.delete_connection_async].
 *
 * Returns: %TRUE on success, %FALSE with %LERS_ERROR_NOT_FOUND if there
 *   was none
 *
 * Since: 0.1
 */
gboolean
lers_store_delete_connection_finish (LersStore *self, GAsyncResult *result, GError **error)
{
  return lers_store_delete_finish (self, result, error);
}

/* ---- the generic API, asynchronous -------------------------------------- */

static gboolean
lers_store_queue_or_report (LersStore *self, LersStoreJob *job, GError *error, gpointer source_tag,
                            GCancellable *cancellable, GAsyncReadyCallback callback,
                            gpointer user_data)
{
  if (job == NULL)
    {
      g_task_report_error (self, callback, user_data, source_tag, error);
      return FALSE;
    }
  lers_store_queue_job (self, job, source_tag, cancellable, callback, user_data);
  return TRUE;
}

/**
 * lers_store_save_async:
 * @self: a #LersStore
 * @object: the object to save: a #LersNode, #LersMeasurePoint, #LersDevice,
 *   #LersConnection or a type given to lers_store_register_type()
 * @cancellable: (nullable): a #GCancellable
 * @callback: (scope async): called when done
 * @user_data: (closure): data for @callback
 *
 * Saves @object in a worker thread; see [method@Lers.Store.save_sync]. The
 * properties are read now; the id of a new object is set by the finish
 * function.
 *
 * Since: 0.2
 */
void
lers_store_save_async (LersStore *self, GObject *object, GCancellable *cancellable,
                       GAsyncReadyCallback callback, gpointer user_data)
{
  const LersStoreModel *model;
  GError *error = NULL;

  g_return_if_fail (LERS_IS_STORE (self));
  g_return_if_fail (G_IS_OBJECT (object));

  model = lers_store_model_lookup (G_OBJECT_TYPE (object), &error);
  lers_store_queue_or_report (self, model != NULL ? lers_store_job_new_save (model, object) : NULL,
                              error, lers_store_save_async, cancellable, callback, user_data);
}

/**
 * lers_store_save_finish:
 * @self: a #LersStore
 * @result: the #GAsyncResult
 * @error: return location for a #GError
 *
 * Finishes [method@Lers.Store.save_async], setting the id of a newly
 * inserted object.
 *
 * Returns: %TRUE on success
 *
 * Since: 0.2
 */
gboolean
lers_store_save_finish (LersStore *self, GAsyncResult *result, GError **error)
{
  return lers_store_finish_save (self, result, lers_store_save_async, error);
}

/**
 * lers_store_get_async:
 * @self: a #LersStore
 * @type: the stored type, such as `LERS_TYPE_NODE`
 * @id: the id of the object
 * @cancellable: (nullable): a #GCancellable
 * @callback: (scope async): called when done
 * @user_data: (closure): data for @callback
 *
 * Reads one object in a worker thread; see [method@Lers.Store.get_sync].
 *
 * Since: 0.2
 */
void
lers_store_get_async (LersStore *self, GType type, gint64 id, GCancellable *cancellable,
                      GAsyncReadyCallback callback, gpointer user_data)
{
  const LersStoreModel *model;
  GError *error = NULL;

  g_return_if_fail (LERS_IS_STORE (self));

  model = lers_store_model_lookup (type, &error);
  lers_store_queue_or_report (self, model != NULL ? lers_store_job_new_get (model, id) : NULL,
                              error, lers_store_get_async, cancellable, callback, user_data);
}

/**
 * lers_store_get_finish:
 * @self: a #LersStore
 * @result: the #GAsyncResult
 * @error: return location for a #GError
 *
 * Finishes [method@Lers.Store.get_async].
 *
 * Returns: (transfer full): the object, or %NULL with %LERS_ERROR_NOT_FOUND
 *   if there is none
 *
 * Since: 0.2
 */
GObject *
lers_store_get_finish (LersStore *self, GAsyncResult *result, GError **error)
{
  return lers_store_finish_pointer (self, result, lers_store_get_async, error);
}

/**
 * lers_store_list_async:
 * @self: a #LersStore
 * @type: the stored type, such as `LERS_TYPE_MEASURE_POINT`
 * @query: (nullable): filters, ordering and page, or %NULL for all objects
 *   by id
 * @cancellable: (nullable): a #GCancellable
 * @callback: (scope async): called when done
 * @user_data: (closure): data for @callback
 *
 * Lists objects in a worker thread; see [method@Lers.Store.list_sync]. The
 * finish function updates the cursor of @query.
 *
 * Since: 0.2
 */
void
lers_store_list_async (LersStore *self, GType type, LersStoreQuery *query,
                       GCancellable *cancellable, GAsyncReadyCallback callback, gpointer user_data)
{
  const LersStoreModel *model;
  LersStoreJob *job = NULL;
  GError *error = NULL;

  g_return_if_fail (LERS_IS_STORE (self));
  g_return_if_fail (query == NULL || LERS_IS_STORE_QUERY (query));

  model = lers_store_model_lookup (type, &error);
  if (model != NULL)
    {
      job = lers_store_job_new_list (model, query);
      if (query != NULL)
        job->object = g_object_ref (G_OBJECT (query));
    }
  lers_store_queue_or_report (self, job, error, lers_store_list_async, cancellable, callback,
                              user_data);
}

/**
 * lers_store_list_finish:
 * @self: a #LersStore
 * @result: the #GAsyncResult
 * @error: return location for a #GError
 *
 * Finishes [method@Lers.Store.list_async].
 *
 * Returns: (transfer container) (element-type GObject): the objects, or
 *   %NULL on error
 *
 * Since: 0.2
 */
GPtrArray *
lers_store_list_finish (LersStore *self, GAsyncResult *result, GError **error)
{
  LersStoreJob *job;

  if (!lers_store_finish_boolean (self, result, lers_store_list_async, error))
    return NULL;
  job = g_task_get_task_data (G_TASK (result));
  if (job->object != NULL)
    lers_store_job_apply_list (job, LERS_STORE_QUERY (job->object));
  return lers_store_job_steal_result (job);
}

/**
 * lers_store_delete_async:
 * @self: a #LersStore
 * @type: the stored type
 * @id: the id of the object
 * @cancellable: (nullable): a #GCancellable
 * @callback: (scope async): called when done
 * @user_data: (closure): data for @callback
 *
 * Deletes one object in a worker thread; see [method@Lers.Store.delete_sync].
 *
 * Since: 0.2
 */
void
lers_store_delete_async (LersStore *self, GType type, gint64 id, GCancellable *cancellable,
                         GAsyncReadyCallback callback, gpointer user_data)
{
  const LersStoreModel *model;
  GError *error = NULL;

  g_return_if_fail (LERS_IS_STORE (self));

  model = lers_store_model_lookup (type, &error);
  lers_store_queue_or_report (self, model != NULL ? lers_store_job_new_delete (model, id) : NULL,
                              error, lers_store_delete_async, cancellable, callback, user_data);
}

/**
 * lers_store_delete_finish:
 * @self: a #LersStore
 * @result: the #GAsyncResult
 * @error: return location for a #GError
 *
 * Finishes [method@Lers.Store.delete_async].
 *
 * Returns: %TRUE on success, %FALSE with %LERS_ERROR_NOT_FOUND if there
 *   was none
 *
 * Since: 0.2
 */
gboolean
lers_store_delete_finish (LersStore *self, GAsyncResult *result, GError **error)
{
  return lers_store_finish_boolean (self, result, lers_store_delete_async, error);
}
