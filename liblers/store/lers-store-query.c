/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "config.h"

#include <glib/gi18n-lib.h>
#include <json-glib/json-glib.h>
#include <string.h>

#include "lers-error.h"
#include "store/lers-store-private.h"
#include "store/lers-store-query.h"

/**
 * LersStoreQuery:
 *
 * What [method@Lers.Store.list_sync] returns: filters on properties of the
 * listed type (all of them must hold), an ordering, a page size and a
 * position.
 *
 * Pages are keyset pages: after a list call with a limit, the query holds
 * an opaque cursor naming the last row returned (its ordering values and
 * id), and the next list call with the same query returns the rows after
 * it, so rows inserted or deleted meanwhile never make a page skip or
 * repeat a row. A page shorter than the limit is the last one: the cursor
 * is then %NULL.
 *
 * ```python
 * query = Lers.StoreQuery.new()
 * query.add_filter_string("title", Lers.StoreOp.LIKE, "Котельная%")
 * query.add_order("number", True)
 * query.set_limit(10)
 * while True:
 *     page = store.list_sync(Lers.Node, query, None)
 *     …
 *     if query.get_cursor() is None:
 *         break
 * ```
 *
 * Rows are always ordered by id after the given orderings, so the order is
 * total. Property names are those of the listed GObject type; a name the
 * type does not store is %LERS_ERROR_INVALID_ARGUMENT when the query runs.
 *
 * Since: 0.2
 */

typedef struct
{
  gchar *property;
  LersStoreOp op;
  GValue value; /* G_TYPE_INVALID for IS_NULL */
  GArray *in;   /* of gint64: the property is one of them (op unused), or NULL */
} LersStoreFilter;

typedef struct
{
  gchar *property;
  gboolean descending;
} LersStoreOrder;

struct _LersStoreQuery
{
  GObject parent_instance;
  GArray *filters; /* of LersStoreFilter */
  GArray *orders;  /* of LersStoreOrder */
  guint limit;
  gchar *cursor;
};

G_DEFINE_FINAL_TYPE (LersStoreQuery, lers_store_query, G_TYPE_OBJECT)

static void
lers_store_filter_clear (LersStoreFilter *filter)
{
  g_free (filter->property);
  g_clear_pointer (&filter->in, g_array_unref);
  if (G_IS_VALUE (&filter->value))
    g_value_unset (&filter->value);
}

static void
lers_store_order_clear (LersStoreOrder *order)
{
  g_free (order->property);
}

static void
lers_store_query_finalize (GObject *object)
{
  LersStoreQuery *self = LERS_STORE_QUERY (object);

  g_array_unref (self->filters);
  g_array_unref (self->orders);
  g_free (self->cursor);

  G_OBJECT_CLASS (lers_store_query_parent_class)->finalize (object);
}

static void
lers_store_query_class_init (LersStoreQueryClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = lers_store_query_finalize;
}

static void
lers_store_query_init (LersStoreQuery *self)
{
  self->filters = g_array_new (FALSE, TRUE, sizeof (LersStoreFilter));
  g_array_set_clear_func (self->filters, (GDestroyNotify) lers_store_filter_clear);
  self->orders = g_array_new (FALSE, TRUE, sizeof (LersStoreOrder));
  g_array_set_clear_func (self->orders, (GDestroyNotify) lers_store_order_clear);
}

/**
 * lers_store_query_new:
 *
 * Creates a query with no filter, the order of ids, and no limit.
 *
 * Returns: (transfer full): a new #LersStoreQuery
 *
 * Since: 0.2
 */
LersStoreQuery *
lers_store_query_new (void)
{
  return g_object_new (LERS_TYPE_STORE_QUERY, NULL);
}

/**
 * lers_store_query_add_filter:
 * @self: a #LersStoreQuery
 * @property: the name of a property of the listed type, such as `node-id`
 * @op: how to compare
 * @value: (nullable): the value to compare with; %NULL for
 *   %LERS_STORE_OP_IS_NULL
 *
 * Keeps only the objects whose @property compares with @value as @op says.
 * For an id reference (`node-id`), 0 means "none": `EQ 0` keeps the objects
 * that reference nothing.
 *
 * Since: 0.2
 */
void
lers_store_query_add_filter (LersStoreQuery *self, const gchar *property, LersStoreOp op,
                             const GValue *value)
{
  LersStoreFilter filter = { NULL };

  g_return_if_fail (LERS_IS_STORE_QUERY (self));
  g_return_if_fail (property != NULL);
  g_return_if_fail (op <= LERS_STORE_OP_LIKE);
  g_return_if_fail (op == LERS_STORE_OP_IS_NULL || (value != NULL && G_IS_VALUE (value)));

  filter.property = g_strdup (property);
  filter.op = op;
  if (op != LERS_STORE_OP_IS_NULL)
    {
      g_value_init (&filter.value, G_VALUE_TYPE (value));
      g_value_copy (value, &filter.value);
    }
  g_array_append_val (self->filters, filter);
}

/**
 * lers_store_query_add_filter_int64:
 * @self: a #LersStoreQuery
 * @property: the name of a property of the listed type
 * @op: how to compare
 * @value: the number to compare with (an id, an enum value, a count…)
 *
 * Like [method@Lers.StoreQuery.add_filter] with an integer.
 *
 * Since: 0.2
 */
void
lers_store_query_add_filter_int64 (LersStoreQuery *self, const gchar *property, LersStoreOp op,
                                   gint64 value)
{
  g_auto (GValue) v = G_VALUE_INIT;

  g_value_init (&v, G_TYPE_INT64);
  g_value_set_int64 (&v, value);
  lers_store_query_add_filter (self, property, op, &v);
}

/**
 * lers_store_query_add_filter_string:
 * @self: a #LersStoreQuery
 * @property: the name of a property of the listed type
 * @op: how to compare
 * @value: (nullable): the text to compare with, or the `LIKE` pattern
 *   (`%` any run of characters, `_` one character); %NULL compares with
 *   "not set"
 *
 * Like [method@Lers.StoreQuery.add_filter] with a string.
 *
 * Since: 0.2
 */
void
lers_store_query_add_filter_string (LersStoreQuery *self, const gchar *property, LersStoreOp op,
                                    const gchar *value)
{
  g_auto (GValue) v = G_VALUE_INIT;

  g_value_init (&v, G_TYPE_STRING);
  g_value_set_string (&v, value);
  lers_store_query_add_filter (self, property, op, &v);
}

/**
 * lers_store_query_add_filter_in_int64:
 * @self: a #LersStoreQuery
 * @property: the name of an integer property of the listed type, such as
 *   `node-id` or `id`
 * @values: (array length=n_values) (nullable): the numbers the property may
 *   have
 * @n_values: the length of @values
 *
 * Keeps only the objects whose @property is one of @values (SQL `IN`); with
 * no values, none. For an id reference, 0 does not match "none": an object
 * that references nothing is never kept.
 *
 * Since: 0.5
 */
void
lers_store_query_add_filter_in_int64 (LersStoreQuery *self, const gchar *property,
                                      const gint64 *values, gsize n_values)
{
  LersStoreFilter filter = { NULL };

  g_return_if_fail (LERS_IS_STORE_QUERY (self));
  g_return_if_fail (property != NULL);
  g_return_if_fail (values != NULL || n_values == 0);
  g_return_if_fail (n_values <= G_MAXUINT);

  filter.property = g_strdup (property);
  filter.op = LERS_STORE_OP_EQ;
  filter.in = g_array_sized_new (FALSE, FALSE, sizeof (gint64), (guint) n_values);
  if (n_values > 0)
    g_array_append_vals (filter.in, values, (guint) n_values);
  g_array_append_val (self->filters, filter);
}

/**
 * lers_store_query_add_order:
 * @self: a #LersStoreQuery
 * @property: the name of a property of the listed type
 * @descending: %TRUE for the largest first
 *
 * Orders by @property, after any ordering added before. Unset values come
 * last in ascending order and first in descending order.
 *
 * Since: 0.2
 */
void
lers_store_query_add_order (LersStoreQuery *self, const gchar *property, gboolean descending)
{
  LersStoreOrder order = { NULL };

  g_return_if_fail (LERS_IS_STORE_QUERY (self));
  g_return_if_fail (property != NULL);

  order.property = g_strdup (property);
  order.descending = descending;
  g_array_append_val (self->orders, order);
}

/**
 * lers_store_query_set_limit:
 * @self: a #LersStoreQuery
 * @limit: the most objects a list call returns, 0 for no limit
 *
 * Sets the page size.
 *
 * Since: 0.2
 */
void
lers_store_query_set_limit (LersStoreQuery *self, guint limit)
{
  g_return_if_fail (LERS_IS_STORE_QUERY (self));
  self->limit = limit;
}

/**
 * lers_store_query_get_limit:
 * @self: a #LersStoreQuery
 *
 * Returns: the page size, 0 for no limit
 *
 * Since: 0.2
 */
guint
lers_store_query_get_limit (LersStoreQuery *self)
{
  g_return_val_if_fail (LERS_IS_STORE_QUERY (self), 0);
  return self->limit;
}

/**
 * lers_store_query_set_cursor:
 * @self: a #LersStoreQuery
 * @cursor: (nullable): a cursor [method@Lers.StoreQuery.get_cursor] gave,
 *   or %NULL for the first page
 *
 * Sets where the next list call starts: after the row @cursor names. A
 * cursor only makes sense with the same filters and ordering; a malformed
 * one is %LERS_ERROR_INVALID_ARGUMENT when the query runs.
 *
 * Since: 0.2
 */
void
lers_store_query_set_cursor (LersStoreQuery *self, const gchar *cursor)
{
  g_return_if_fail (LERS_IS_STORE_QUERY (self));

  if (cursor == self->cursor)
    return;
  g_free (self->cursor);
  self->cursor = g_strdup (cursor);
}

/**
 * lers_store_query_get_cursor:
 * @self: a #LersStoreQuery
 *
 * Gets the position after the last list call: an opaque string naming the
 * last row returned, or %NULL when that call returned a short (last) page
 * or had no limit.
 *
 * Returns: (nullable): the cursor
 *
 * Since: 0.2
 */
const gchar *
lers_store_query_get_cursor (LersStoreQuery *self)
{
  g_return_val_if_fail (LERS_IS_STORE_QUERY (self), NULL);
  return self->cursor;
}

/* ---- compiling into SQL (internal) ------------------------------------- */

static const gchar *
lers_store_column_sql_type (LersStoreColumnType type)
{
  switch (type)
    {
    case LERS_STORE_COLUMN_TEXT:
    case LERS_STORE_COLUMN_TIME_ZONE:
      return "text";
    case LERS_STORE_COLUMN_DOUBLE:
      return "float8";
    case LERS_STORE_COLUMN_STRV:
      return "text[]";
    case LERS_STORE_COLUMN_JSON:
      return "jsonb";
    case LERS_STORE_COLUMN_DATETIME:
      return "timestamptz";
    case LERS_STORE_COLUMN_BOOLEAN:
      return "bool";
    case LERS_STORE_COLUMN_REF:
    case LERS_STORE_COLUMN_ENUM:
    case LERS_STORE_COLUMN_UINT:
    case LERS_STORE_COLUMN_INT:
    case LERS_STORE_COLUMN_INT64:
    default:
      return "int8";
    }
}

static const LersStoreColumn lers_store_id_column = { "id", "id", LERS_STORE_COLUMN_INT64 };

static const LersStoreColumn *
lers_store_find_column (const LersStoreModel *model, const gchar *property, GError **error)
{
  if (g_strcmp0 (property, "id") == 0)
    return &lers_store_id_column;
  for (guint i = 0; i < model->n_columns; i++)
    {
      const LersStoreColumn *col = &model->columns[i];
      /* "node-id" and "node_id" both name the property */
      if (g_strcmp0 (col->property, property) == 0 || g_strcmp0 (col->column, property) == 0)
        return col;
    }
  g_set_error (error, LERS_ERROR, LERS_ERROR_INVALID_ARGUMENT, _ ("%s has no stored property “%s”"),
               g_type_name (model->get_type ()), property);
  return NULL;
}

/* The text form of a filter value, or NULL for "not set". */
static gchar *
lers_store_value_to_text (const GValue *value, GError **error)
{
  gchar buf[G_ASCII_DTOSTR_BUF_SIZE];
  GType type = G_VALUE_TYPE (value);

  switch (G_TYPE_FUNDAMENTAL (type))
    {
    case G_TYPE_STRING:
      return g_value_dup_string (value);
    case G_TYPE_BOOLEAN:
      return g_strdup (g_value_get_boolean (value) ? "true" : "false");
    case G_TYPE_INT:
      return g_strdup_printf ("%d", g_value_get_int (value));
    case G_TYPE_UINT:
      return g_strdup_printf ("%u", g_value_get_uint (value));
    case G_TYPE_LONG:
      return g_strdup_printf ("%ld", g_value_get_long (value));
    case G_TYPE_ULONG:
      return g_strdup_printf ("%lu", g_value_get_ulong (value));
    case G_TYPE_INT64:
      return g_strdup_printf ("%" G_GINT64_FORMAT, g_value_get_int64 (value));
    case G_TYPE_UINT64:
      return g_strdup_printf ("%" G_GUINT64_FORMAT, g_value_get_uint64 (value));
    case G_TYPE_ENUM:
      return g_strdup_printf ("%d", g_value_get_enum (value));
    case G_TYPE_FLAGS:
      return g_strdup_printf ("%u", g_value_get_flags (value));
    case G_TYPE_DOUBLE:
      return g_strdup (g_ascii_dtostr (buf, sizeof buf, g_value_get_double (value)));
    case G_TYPE_FLOAT:
      return g_strdup (g_ascii_dtostr (buf, sizeof buf, g_value_get_float (value)));
    default:
      break;
    }
  if (type == G_TYPE_DATE_TIME)
    {
      GDateTime *dt = g_value_get_boxed (value);
      return dt != NULL ? g_date_time_format_iso8601 (dt) : NULL;
    }
  if (type == G_TYPE_STRV)
    return lers_store_strv_to_array_literal (g_value_get_boxed (value));
  g_set_error (error, LERS_ERROR, LERS_ERROR_INVALID_ARGUMENT,
               _ ("A filter cannot compare with a value of type %s"), g_type_name (type));
  return NULL;
}

static gchar *
lers_store_add_param (GPtrArray *params, gchar *text)
{
  g_ptr_array_add (params, text);
  return g_strdup_printf ("$%u", params->len);
}

static gboolean
lers_store_append_filter (GString *where, const LersStoreModel *model,
                          const LersStoreFilter *filter, GPtrArray *params, GError **error)
{
  static const gchar *const ops[] = { "=", "<>", "<", "<=", ">", ">=", NULL, "LIKE" };
  const LersStoreColumn *col = lers_store_find_column (model, filter->property, error);
  g_autofree gchar *text = NULL;
  g_autofree gchar *param = NULL;
  gboolean is_ref;

  if (col == NULL)
    return FALSE;
  g_string_append (where, where->len == 0 ? " WHERE " : " AND ");
  if (filter->in != NULL)
    {
      g_autoptr (GString) array = g_string_new ("{");

      if (g_strcmp0 (lers_store_column_sql_type (col->type), "int8") != 0)
        {
          g_set_error (error, LERS_ERROR, LERS_ERROR_INVALID_ARGUMENT,
                       _ ("Property “%s” is not an integer: IN cannot compare it"),
                       filter->property);
          return FALSE;
        }
      for (guint i = 0; i < filter->in->len; i++)
        g_string_append_printf (array, "%s%" G_GINT64_FORMAT, i > 0 ? "," : "",
                                g_array_index (filter->in, gint64, i));
      g_string_append_c (array, '}');
      param = lers_store_add_param (params, g_string_free (g_steal_pointer (&array), FALSE));
      g_string_append_printf (where, "\"%s\" = ANY (%s::int8[])", col->column, param);
      return TRUE;
    }
  if (filter->op == LERS_STORE_OP_IS_NULL)
    {
      g_string_append_printf (where, "\"%s\" IS NULL", col->column);
      return TRUE;
    }
  if (filter->op == LERS_STORE_OP_LIKE && col->type != LERS_STORE_COLUMN_TEXT)
    {
      g_set_error (error, LERS_ERROR, LERS_ERROR_INVALID_ARGUMENT,
                   _ ("Property “%s” is not text: LIKE cannot compare it"), filter->property);
      return FALSE;
    }
  text = lers_store_value_to_text (&filter->value, error);
  if (text == NULL && error != NULL && *error != NULL)
    return FALSE;
  is_ref = col->type == LERS_STORE_COLUMN_REF;
  /* "not set": NULL for any column, and id 0 for a reference */
  if (text == NULL || (is_ref && g_strcmp0 (text, "0") == 0))
    {
      if (filter->op == LERS_STORE_OP_EQ)
        g_string_append_printf (where, "\"%s\" IS NULL", col->column);
      else if (filter->op == LERS_STORE_OP_NE)
        g_string_append_printf (where, "\"%s\" IS NOT NULL", col->column);
      else
        g_string_append (where, "FALSE");
      return TRUE;
    }
  param = lers_store_add_param (params, g_steal_pointer (&text));
  g_string_append_printf (where, "\"%s\" %s %s::%s", col->column, ops[filter->op], param,
                          lers_store_column_sql_type (col->type));
  return TRUE;
}

/* Decodes a cursor into its n_keys texts (NULL for SQL NULL) and the id. */
static GPtrArray *
lers_store_cursor_decode (const gchar *cursor, guint n_keys, GError **error)
{
  g_autofree guchar *raw = NULL;
  g_autofree gchar *json = NULL;
  g_autoptr (JsonNode) node = NULL;
  g_autoptr (GPtrArray) keys = g_ptr_array_new_with_free_func (g_free);
  g_autofree gchar *b64 = g_strdup (cursor);
  JsonArray *array;
  gsize len = 0;

  g_strdelimit (b64, "-", '+');
  g_strdelimit (b64, "_", '/');
  raw = g_base64_decode (b64, &len);
  json = g_strndup ((const gchar *) raw, len);
  node = json_from_string (json, NULL);
  if (node == NULL || !JSON_NODE_HOLDS_ARRAY (node)
      || json_array_get_length (array = json_node_get_array (node)) != n_keys + 1)
    {
      g_set_error_literal (error, LERS_ERROR, LERS_ERROR_INVALID_ARGUMENT,
                           _ ("The page cursor is malformed or belongs to another ordering"));
      return NULL;
    }
  for (guint i = 0; i <= n_keys; i++)
    {
      JsonNode *element = json_array_get_element (array, i);
      if (JSON_NODE_HOLDS_NULL (element) && i < n_keys)
        g_ptr_array_add (keys, NULL);
      else if (JSON_NODE_HOLDS_VALUE (element)
               && json_node_get_value_type (element) == G_TYPE_STRING)
        g_ptr_array_add (keys, g_strdup (json_node_get_string (element)));
      else
        {
          g_set_error_literal (error, LERS_ERROR, LERS_ERROR_INVALID_ARGUMENT,
                               _ ("The page cursor is malformed or belongs to another ordering"));
          return NULL;
        }
    }
  return g_steal_pointer (&keys);
}

/* The cursor naming @row of @res, whose last @n_keys columns hold the
 * ordering values as text. */
gchar *
lers_store_cursor_encode (PGresult *res, gint row, guint n_keys)
{
  g_autoptr (JsonBuilder) b = json_builder_new ();
  g_autoptr (JsonNode) root = NULL;
  g_autofree gchar *json = NULL;
  gint first = PQnfields (res) - (gint) n_keys;
  gchar *b64;

  json_builder_begin_array (b);
  for (guint i = 0; i < n_keys; i++)
    {
      if (PQgetisnull (res, row, first + i))
        json_builder_add_null_value (b);
      else
        json_builder_add_string_value (b, PQgetvalue (res, row, first + i));
    }
  json_builder_add_string_value (b, PQgetvalue (res, row, 0));
  json_builder_end_array (b);
  root = json_builder_get_root (b);
  json = json_to_string (root, FALSE);
  b64 = g_base64_encode ((const guchar *) json, strlen (json));
  g_strdelimit (b64, "+", '-');
  g_strdelimit (b64, "/", '_');
  return b64;
}

/* "row comes after the cursor" for one key, with PostgreSQL's defaults:
 * NULLs last ascending, first descending. */
static void
lers_store_append_after (GString *sql, const gchar *column, const gchar *sql_type,
                         gboolean descending, const gchar *param, gboolean strict)
{
  if (param == NULL)
    {
      if (strict && descending)
        g_string_append_printf (sql, "\"%s\" IS NOT NULL", column);
      else if (strict)
        g_string_append (sql, "FALSE");
      else
        g_string_append_printf (sql, "\"%s\" IS NULL", column);
      return;
    }
  if (!strict)
    g_string_append_printf (sql, "\"%s\" = %s::%s", column, param, sql_type);
  else if (descending)
    g_string_append_printf (sql, "\"%s\" < %s::%s", column, param, sql_type);
  else
    g_string_append_printf (sql, "(\"%s\" > %s::%s OR \"%s\" IS NULL)", column, param, sql_type,
                            column);
}

/* Compiles @query (may be NULL) into the WHERE … ORDER BY … LIMIT tail of a
 * SELECT from @model's table, adding the cursor's columns to @select.
 * Values go to @params. *@n_keys is the number of ordering columns whose
 * text the SELECT returns last, for the next cursor. */
gboolean
lers_store_query_compile (LersStoreQuery *query, const LersStoreModel *model, GString *select,
                          GString *tail, GPtrArray *params, guint *n_keys, GError **error)
{
  g_autoptr (GString) where = g_string_new (NULL);
  g_autoptr (GPtrArray) cols = g_ptr_array_new ();
  g_autoptr (GPtrArray) cursor = NULL;

  *n_keys = 0;
  if (query == NULL)
    {
      g_string_append (tail, " ORDER BY id");
      return TRUE;
    }
  for (guint i = 0; i < query->filters->len; i++)
    if (!lers_store_append_filter (
            where, model, &g_array_index (query->filters, LersStoreFilter, i), params, error))
      return FALSE;
  for (guint i = 0; i < query->orders->len; i++)
    {
      const LersStoreOrder *order = &g_array_index (query->orders, LersStoreOrder, i);
      const LersStoreColumn *col = lers_store_find_column (model, order->property, error);
      if (col == NULL)
        return FALSE;
      g_ptr_array_add (cols, (gpointer) col);
      g_string_append_printf (select, ", (\"%s\")::text AS lers_key%u", col->column, i);
    }
  *n_keys = cols->len;

  if (query->cursor != NULL)
    {
      g_autoptr (GString) after = g_string_new (NULL);
      g_autofree gchar *id_param = NULL;
      g_autofree gchar **ps = g_new0 (gchar *, cols->len + 1);

      cursor = lers_store_cursor_decode (query->cursor, cols->len, error);
      if (cursor == NULL)
        return FALSE;
      /* (k1 after c1) OR (k1 = c1 AND k2 after c2) OR … OR (all equal AND id > c_id) */
      for (guint i = 0; i < cols->len; i++)
        ps[i] = g_ptr_array_index (cursor, i) != NULL
                    ? lers_store_add_param (params, g_strdup (g_ptr_array_index (cursor, i)))
                    : NULL;
      id_param = lers_store_add_param (params, g_strdup (g_ptr_array_index (cursor, cols->len)));
      for (guint i = 0; i <= cols->len; i++)
        {
          g_string_append (after, i == 0 ? "(" : " OR (");
          for (guint j = 0; j < i; j++)
            {
              const LersStoreColumn *c = g_ptr_array_index (cols, j);
              const LersStoreOrder *o = &g_array_index (query->orders, LersStoreOrder, j);
              lers_store_append_after (after, c->column, lers_store_column_sql_type (c->type),
                                       o->descending, ps[j], FALSE);
              g_string_append (after, " AND ");
            }
          if (i < cols->len)
            {
              const LersStoreColumn *c = g_ptr_array_index (cols, i);
              const LersStoreOrder *o = &g_array_index (query->orders, LersStoreOrder, i);
              lers_store_append_after (after, c->column, lers_store_column_sql_type (c->type),
                                       o->descending, ps[i], TRUE);
            }
          else
            g_string_append_printf (after, "id > %s::int8", id_param);
          g_string_append (after, ")");
        }
      for (guint i = 0; i < cols->len; i++)
        g_free (ps[i]);
      g_string_append_printf (where, "%s(%s)", where->len == 0 ? " WHERE " : " AND ", after->str);
    }

  g_string_append (tail, where->str);
  g_string_append (tail, " ORDER BY ");
  for (guint i = 0; i < cols->len; i++)
    {
      const LersStoreColumn *c = g_ptr_array_index (cols, i);
      const LersStoreOrder *o = &g_array_index (query->orders, LersStoreOrder, i);
      g_string_append_printf (tail, "\"%s\".\"%s\"%s, ", model->table, c->column,
                              o->descending ? " DESC" : "");
    }
  g_string_append_printf (tail, "\"%s\".id", model->table);
  if (query->limit > 0)
    g_string_append_printf (tail, " LIMIT %u", query->limit);
  return TRUE;
}

/* A copy a worker thread may read while the caller keeps using @query. */
LersStoreQuery *
lers_store_query_copy (LersStoreQuery *query)
{
  LersStoreQuery *copy = lers_store_query_new ();

  for (guint i = 0; i < query->filters->len; i++)
    {
      const LersStoreFilter *f = &g_array_index (query->filters, LersStoreFilter, i);
      if (f->in != NULL)
        lers_store_query_add_filter_in_int64 (copy, f->property, (const gint64 *) f->in->data,
                                              f->in->len);
      else
        lers_store_query_add_filter (copy, f->property, f->op,
                                     f->op == LERS_STORE_OP_IS_NULL ? NULL : &f->value);
    }
  for (guint i = 0; i < query->orders->len; i++)
    {
      const LersStoreOrder *o = &g_array_index (query->orders, LersStoreOrder, i);
      lers_store_query_add_order (copy, o->property, o->descending);
    }
  copy->limit = query->limit;
  copy->cursor = g_strdup (query->cursor);
  return copy;
}
