/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Mnemonic diagrams (мнемосхемы): CRUD, the sanitised SVG, bound elements. */
#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "lersd-auth.h"
#include "lersd-resource.h"
#include "lersd-routes.h"
#include "lersd-svg.h"

#define LERSD_DIAGRAMS_MAX_ELEMENTS 2000
#define LERSD_DIAGRAMS_DEFAULT_LIMIT 100
#define LERSD_DIAGRAMS_MAX_LIMIT 1000

/* A refused request: the error and the member of the body it is about. */
typedef struct
{
  GError *error;
  gchar *field;
} LersdDiagramsFault;

static void
lersd_diagrams_fault_clear (LersdDiagramsFault *fault)
{
  g_clear_error (&fault->error);
  g_clear_pointer (&fault->field, g_free);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (LersdDiagramsFault, lersd_diagrams_fault_clear)

static gboolean G_GNUC_PRINTF (4, 5)
    lersd_diagrams_fail (LersdDiagramsFault *fault, const gchar *field, gint code,
                         const gchar *format, ...)
{
  va_list args;

  va_start (args, format);
  fault->error = g_error_new_valist (LERS_ERROR, code, format, args);
  va_end (args);
  fault->field = g_strdup (field);
  return FALSE;
}

static GBytes *
lersd_diagrams_fault_body (LersdDiagramsFault *fault, guint *status)
{
  return lersd_settings_error_body (status, lers_error_to_http_status (fault->error),
                                    lers_error_code_to_string (fault->error), fault->error->message,
                                    fault->field);
}

static GBytes *
lersd_diagrams_node_bytes (JsonNode *node)
{
  g_autoptr (JsonGenerator) gen = json_generator_new ();
  gsize len = 0;
  gchar *text;

  json_generator_set_root (gen, node);
  text = json_generator_to_data (gen, &len);
  return g_bytes_new_take (text, len);
}

static JsonNode *
lersd_diagrams_parse (const gchar *text)
{
  g_autoptr (JsonParser) parser = json_parser_new ();

  if (!json_parser_load_from_data (parser, text, -1, NULL))
    return NULL;
  return json_node_copy (json_parser_get_root (parser));
}

/* The diagram's JSON for the audit log: the drawing as its length and
 * SHA-256 rather than its text. */
static gchar *
lersd_diagrams_audit_text (const gchar *json)
{
  g_autoptr (JsonNode) node = json != NULL ? lersd_diagrams_parse (json) : NULL;
  g_autoptr (JsonGenerator) gen = json_generator_new ();
  JsonObject *o;
  const gchar *svg;

  if (node == NULL || !JSON_NODE_HOLDS_OBJECT (node))
    return NULL;
  o = json_node_get_object (node);
  svg = json_object_get_string_member_with_default (o, "svg", NULL);
  if (svg != NULL)
    {
      g_autofree gchar *sha = g_compute_checksum_for_string (G_CHECKSUM_SHA256, svg, -1);
      json_object_set_int_member (o, "svg_length", strlen (svg));
      json_object_set_string_member (o, "svg_sha256", sha);
    }
  json_object_remove_member (o, "svg");
  json_generator_set_root (gen, node);
  return json_generator_to_data (gen, NULL);
}

/* ---- the body's checks ------------------------------------------------- */

static gboolean
lersd_diagrams_is_number (JsonNode *n)
{
  GType t;

  if (n == NULL || !JSON_NODE_HOLDS_VALUE (n))
    return FALSE;
  t = json_node_get_value_type (n);
  return t == G_TYPE_INT64 || t == G_TYPE_DOUBLE;
}

static gboolean
lersd_diagrams_is_int (JsonNode *n)
{
  return n != NULL && JSON_NODE_HOLDS_VALUE (n) && json_node_get_value_type (n) == G_TYPE_INT64;
}

static gboolean
lersd_diagrams_is_string (JsonNode *n)
{
  return n != NULL && JSON_NODE_HOLDS_VALUE (n) && json_node_get_value_type (n) == G_TYPE_STRING;
}

static gboolean
lersd_diagrams_check_string (JsonNode *n, const gchar *field, guint max_chars,
                             LersdDiagramsFault *fault)
{
  const gchar *s;

  if (!lersd_diagrams_is_string (n))
    return lersd_diagrams_fail (fault, field, LERS_ERROR_INVALID_ARGUMENT, _ ("%s is a string"),
                                field);
  s = json_node_get_string (n);
  if (g_utf8_strlen (s, -1) > max_chars)
    return lersd_diagrams_fail (fault, field, LERS_ERROR_INVALID_ARGUMENT,
                                _ ("%s is at most %u characters"), field, max_chars);
  return TRUE;
}

static gboolean
lersd_diagrams_check_style (JsonNode *n, const gchar *field, LersdDiagramsFault *fault)
{
  JsonObjectIter iter;
  const gchar *name;
  JsonNode *value;

  if (!JSON_NODE_HOLDS_OBJECT (n))
    return lersd_diagrams_fail (fault, field, LERS_ERROR_INVALID_ARGUMENT, _ ("%s is an object"),
                                field);
  json_object_iter_init (&iter, json_node_get_object (n));
  while (json_object_iter_next (&iter, &name, &value))
    {
      g_autofree gchar *member = g_strdup_printf ("%s.%s", field, name);

      if (strcmp (name, "fill") == 0 || strcmp (name, "stroke") == 0)
        {
          const gchar *s;

          if (!lersd_diagrams_check_string (value, member, 64, fault))
            return FALSE;
          /* a colour: no markup, no url(), no CSS beyond the value */
          s = json_node_get_string (value);
          for (const gchar *p = s; *p != '\0'; p++)
            if (!g_ascii_isalnum (*p) && strchr ("#(),.% -", *p) == NULL)
              return lersd_diagrams_fail (fault, member, LERS_ERROR_INVALID_ARGUMENT,
                                          _ ("%s is a colour (#rrggbb, a name or rgb(…))"), member);
        }
      else if (strcmp (name, "font_size") == 0)
        {
          if (!lersd_diagrams_is_number (value) || json_node_get_double (value) < 1
              || json_node_get_double (value) > 1000)
            return lersd_diagrams_fail (fault, member, LERS_ERROR_INVALID_ARGUMENT,
                                        _ ("%s is a number from 1 to 1000"), member);
        }
      else
        return lersd_diagrams_fail (fault, member, LERS_ERROR_INVALID_ARGUMENT,
                                    _ ("%s is not a member of a style (fill, stroke, font_size)"),
                                    member);
    }
  return TRUE;
}

static gboolean
lersd_diagrams_check_element (JsonNode *n, guint index, GArray *point_ids,
                              LersdDiagramsFault *fault)
{
  static const gchar *const kinds[] = { "label", "rect", "circle", "line", "text", NULL };
  g_autofree gchar *field = g_strdup_printf ("elements[%u]", index);
  JsonObjectIter iter;
  const gchar *name;
  JsonNode *value;
  JsonObject *o;
  const gchar *kind;

  if (!JSON_NODE_HOLDS_OBJECT (n))
    return lersd_diagrams_fail (fault, field, LERS_ERROR_INVALID_ARGUMENT, _ ("%s is an object"),
                                field);
  o = json_node_get_object (n);
  json_object_iter_init (&iter, o);
  while (json_object_iter_next (&iter, &name, &value))
    {
      g_autofree gchar *member = g_strdup_printf ("%s.%s", field, name);

      if (strcmp (name, "id") == 0)
        {
          if (!lersd_diagrams_check_string (value, member, 64, fault))
            return FALSE;
        }
      else if (strcmp (name, "kind") == 0)
        {
          if (!lersd_diagrams_is_string (value)
              || !g_strv_contains (kinds, json_node_get_string (value)))
            return lersd_diagrams_fail (fault, member, LERS_ERROR_INVALID_ARGUMENT,
                                        _ ("%s is one of label, rect, circle, line, text"), member);
        }
      else if (strcmp (name, "x") == 0 || strcmp (name, "y") == 0 || strcmp (name, "w") == 0
               || strcmp (name, "h") == 0)
        {
          if (!lersd_diagrams_is_number (value) || json_node_get_double (value) < -100000
              || json_node_get_double (value) > 100000)
            return lersd_diagrams_fail (fault, member, LERS_ERROR_INVALID_ARGUMENT,
                                        _ ("%s is a number from -100000 to 100000"), member);
        }
      else if (strcmp (name, "text") == 0)
        {
          if (!lersd_diagrams_check_string (value, member, 1000, fault))
            return FALSE;
        }
      else if (strcmp (name, "parameter") == 0)
        {
          if (!lersd_diagrams_check_string (value, member, 64, fault))
            return FALSE;
        }
      else if (strcmp (name, "unit") == 0)
        {
          if (!lersd_diagrams_check_string (value, member, 32, fault))
            return FALSE;
        }
      else if (strcmp (name, "point_id") == 0)
        {
          gint64 id;

          if (!lersd_diagrams_is_int (value) || (id = json_node_get_int (value)) < 1
              || id > G_MAXINT32)
            return lersd_diagrams_fail (fault, member, LERS_ERROR_INVALID_ARGUMENT,
                                        _ ("%s is a measure point's id"), member);
          g_array_append_val (point_ids, id);
        }
      else if (strcmp (name, "digits") == 0)
        {
          if (!lersd_diagrams_is_int (value) || json_node_get_int (value) < 0
              || json_node_get_int (value) > 9)
            return lersd_diagrams_fail (fault, member, LERS_ERROR_INVALID_ARGUMENT,
                                        _ ("%s is a whole number from 0 to 9"), member);
        }
      else if (strcmp (name, "style") == 0)
        {
          if (!lersd_diagrams_check_style (value, member, fault))
            return FALSE;
        }
      else
        return lersd_diagrams_fail (fault, member, LERS_ERROR_INVALID_ARGUMENT,
                                    _ ("%s is not a member of an element"), member);
    }
  {
    static const gchar *const required[] = { "id", "kind", "x", "y", NULL };
    for (guint i = 0; required[i] != NULL; i++)
      if (!json_object_has_member (o, required[i]))
        {
          g_autofree gchar *member = g_strdup_printf ("%s.%s", field, required[i]);
          return lersd_diagrams_fail (fault, member, LERS_ERROR_INVALID_ARGUMENT,
                                      _ ("%s is missing"), member);
        }
  }
  kind = json_object_get_string_member (o, "kind");
  if (strcmp (kind, "label") == 0)
    {
      static const gchar *const bound[] = { "point_id", "parameter", NULL };
      for (guint i = 0; bound[i] != NULL; i++)
        if (!json_object_has_member (o, bound[i]))
          {
            g_autofree gchar *member = g_strdup_printf ("%s.%s", field, bound[i]);
            return lersd_diagrams_fail (fault, member, LERS_ERROR_INVALID_ARGUMENT,
                                        _ ("%s is missing: a label shows a point's parameter"),
                                        member);
          }
    }
  return TRUE;
}

/* Checks the body of a POST (@create) or PATCH and makes the fields to
 * store: the drawing sanitised, its size taken from it unless given. */
static gboolean
lersd_diagrams_check_body (LersdRequest *req, gboolean create, gchar **fields,
                           GCancellable *cancellable, LersdDiagramsFault *fault)
{
  g_autoptr (JsonObject) in = NULL;
  g_autoptr (GError) parse_error = NULL;
  g_autoptr (GArray) point_ids = g_array_new (FALSE, FALSE, sizeof (gint64));
  g_autoptr (JsonNode) out_node = NULL;
  g_autoptr (JsonGenerator) gen = json_generator_new ();
  JsonObject *out;
  JsonObjectIter iter;
  const gchar *name;
  JsonNode *value;
  gint svg_width = 0;
  gint svg_height = 0;

  in = lersd_request_parse_json_object (req, &parse_error);
  if (in == NULL)
    {
      fault->error = g_steal_pointer (&parse_error);
      return FALSE;
    }
  out = json_object_new ();
  out_node = json_node_init_object (json_node_alloc (), out);
  json_object_unref (out);
  json_object_iter_init (&iter, in);
  while (json_object_iter_next (&iter, &name, &value))
    {
      if (strcmp (name, "title") == 0)
        {
          if (!lersd_diagrams_check_string (value, name, 200, fault))
            return FALSE;
          if (json_node_get_string (value)[0] == '\0')
            return lersd_diagrams_fail (fault, name, LERS_ERROR_INVALID_ARGUMENT,
                                        _ ("A diagram's title is not empty"));
        }
      else if (strcmp (name, "node_id") == 0 || strcmp (name, "group_id") == 0)
        {
          if (!JSON_NODE_HOLDS_NULL (value)
              && (!lersd_diagrams_is_int (value) || json_node_get_int (value) < 1
                  || json_node_get_int (value) > G_MAXINT32))
            return lersd_diagrams_fail (fault, name, LERS_ERROR_INVALID_ARGUMENT,
                                        _ ("%s is an id or null"), name);
          /* a diagram of a node stops being one of a group, and back */
          if (!JSON_NODE_HOLDS_NULL (value))
            {
              const gchar *other = strcmp (name, "node_id") == 0 ? "group_id" : "node_id";
              if (!json_object_has_member (in, other))
                json_object_set_null_member (out, other);
            }
        }
      else if (strcmp (name, "width") == 0 || strcmp (name, "height") == 0)
        {
          if (!lersd_diagrams_is_int (value) || json_node_get_int (value) < 1
              || json_node_get_int (value) > 10000)
            return lersd_diagrams_fail (fault, name, LERS_ERROR_INVALID_ARGUMENT,
                                        _ ("%s is a whole number from 1 to 10000"), name);
        }
      else if (strcmp (name, "svg") == 0)
        {
          g_autoptr (GError) local_error = NULL;
          g_autofree gchar *clean = NULL;
          const gchar *svg;

          if (JSON_NODE_HOLDS_NULL (value))
            {
              json_object_set_null_member (out, name);
              continue;
            }
          if (!lersd_diagrams_is_string (value))
            return lersd_diagrams_fail (fault, name, LERS_ERROR_INVALID_ARGUMENT,
                                        _ ("%s is SVG text or null"), name);
          svg = json_node_get_string (value);
          clean = lersd_svg_sanitize (svg, strlen (svg), &svg_width, &svg_height, &local_error);
          if (clean == NULL)
            return lersd_diagrams_fail (fault, name, LERS_ERROR_INVALID_ARGUMENT, "%s",
                                        local_error->message);
          json_object_set_string_member (out, name, clean);
          continue;
        }
      else if (strcmp (name, "elements") == 0)
        {
          JsonArray *a;

          if (!JSON_NODE_HOLDS_ARRAY (value))
            return lersd_diagrams_fail (fault, name, LERS_ERROR_INVALID_ARGUMENT,
                                        _ ("%s is an array"), name);
          a = json_node_get_array (value);
          if (json_array_get_length (a) > LERSD_DIAGRAMS_MAX_ELEMENTS)
            return lersd_diagrams_fail (fault, name, LERS_ERROR_INVALID_ARGUMENT,
                                        _ ("A diagram has at most %u elements"),
                                        LERSD_DIAGRAMS_MAX_ELEMENTS);
          for (guint i = 0; i < json_array_get_length (a); i++)
            if (!lersd_diagrams_check_element (json_array_get_element (a, i), i, point_ids, fault))
              return FALSE;
        }
      else
        return lersd_diagrams_fail (fault, name, LERS_ERROR_INVALID_ARGUMENT,
                                    _ ("%s is not a member of a diagram"), name);
      json_object_set_member (out, name, json_node_copy (value));
    }
  if (create && !json_object_has_member (in, "title"))
    return lersd_diagrams_fail (fault, "title", LERS_ERROR_INVALID_ARGUMENT,
                                _ ("A diagram needs a title"));
  if (svg_width > 0 && !json_object_has_member (in, "width"))
    json_object_set_int_member (out, "width", svg_width);
  if (svg_height > 0 && !json_object_has_member (in, "height"))
    json_object_set_int_member (out, "height", svg_height);

  /* every bound point is one the caller sees (404 otherwise): one query
   * for them all, limited to the visible nodes */
  if (point_ids->len > 0)
    {
      g_autoptr (GError) local_error = NULL;
      g_autoptr (GArray) visible = NULL;
      g_autoptr (GVariant) rows = NULL;
      g_autoptr (GHashTable) found
          = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, NULL);
      gboolean all = FALSE;

      visible = lersd_request_get_visible_nodes (req, &all, cancellable, &local_error);
      if (visible != NULL || all)
        rows = lers_store_query_current_sync (
            lersd_request_get_store (req), all ? NULL : (const gint64 *) visible->data,
            all ? 0 : visible->len, (const gint64 *) point_ids->data, point_ids->len, NULL,
            cancellable, &local_error);
      if (rows == NULL)
        {
          fault->error = g_steal_pointer (&local_error);
          return FALSE;
        }
      for (gsize i = 0; i < g_variant_n_children (rows); i++)
        {
          g_autoptr (GVariant) row = g_variant_get_child_value (rows, i);
          gint64 *id = g_new (gint64, 1);

          g_variant_get_child (row, 0, "x", id);
          g_hash_table_add (found, id);
        }
      for (guint i = 0; i < point_ids->len; i++)
        if (!g_hash_table_contains (found, &g_array_index (point_ids, gint64, i)))
          {
            /* ids are at most G_MAXINT32 (lersd_parse_id()) */
            g_set_error (&fault->error, LERS_ERROR, LERS_ERROR_NOT_FOUND,
                         _ ("Measure point %d does not exist"),
                         (gint) g_array_index (point_ids, gint64, i));
            fault->field = g_strdup ("elements");
            return FALSE;
          }
    }
  json_generator_set_root (gen, out_node);
  *fields = json_generator_to_data (gen, NULL);
  return TRUE;
}

/* ---- routes ------------------------------------------------------------ */

static gboolean
lersd_diagrams_id (LersdRequest *req, gint64 *id, GError **error)
{
  return lersd_parse_id (lersd_request_get_segment (req, 1), id, error);
}

static gboolean
lersd_diagrams_query_id (LersdRequest *req, const gchar *name, gint64 *id, GError **error)
{
  const gchar *value = lersd_request_get_query (req, name);

  *id = 0;
  if (value == NULL)
    return TRUE;
  if (!lersd_parse_id (value, id, error))
    {
      g_prefix_error (error, "%s: ", name);
      return FALSE;
    }
  return TRUE;
}

static gboolean lersd_diagrams_present (LersdRequest *req, JsonObject *diagram,
                                        GCancellable *cancellable, GError **error);

/* GET /diagrams?node_id=&group_id=&limit=&after=&order=id|-id */
static GBytes *
lersd_diagrams_list_thread (LersdRequest *req, gpointer data, GCancellable *cancellable,
                            guint *status, const gchar **content_type, GError **error)
{
  const gchar *limit_str = lersd_request_get_query (req, "limit");
  const gchar *order = lersd_request_get_query (req, "order");
  guint64 limit = LERSD_DIAGRAMS_DEFAULT_LIMIT;
  gint64 node_id, group_id, after;
  gboolean descending = FALSE;
  g_autofree gchar *text = NULL;
  g_autoptr (JsonNode) items = NULL;
  g_autoptr (JsonBuilder) b = json_builder_new ();
  g_autoptr (JsonNode) root = NULL;
  JsonArray *a;
  guint n;

  if (limit_str != NULL
      && !g_ascii_string_to_unsigned (limit_str, 10, 1, LERSD_DIAGRAMS_MAX_LIMIT, &limit, NULL))
    {
      g_set_error (error, LERS_ERROR, LERS_ERROR_INVALID_ARGUMENT,
                   _ ("limit is a number from 1 to %u"), LERSD_DIAGRAMS_MAX_LIMIT);
      return NULL;
    }
  if (order != NULL && strcmp (order, "id") != 0 && strcmp (order, "-id") != 0)
    {
      g_set_error_literal (error, LERS_ERROR, LERS_ERROR_INVALID_ARGUMENT,
                           _ ("Diagrams are ordered by id or -id"));
      return NULL;
    }
  descending = order != NULL && order[0] == '-';
  if (!lersd_diagrams_query_id (req, "node_id", &node_id, error)
      || !lersd_diagrams_query_id (req, "group_id", &group_id, error)
      || !lersd_diagrams_query_id (req, "after", &after, error))
    return NULL;
  text = lers_accounts_list_diagrams_sync (lersd_request_get_accounts (req),
                                           lersd_request_get_user (req), node_id, group_id, after,
                                           (guint) limit + 1, descending, cancellable, error);
  if (text == NULL)
    return NULL;
  items = lersd_diagrams_parse (text);
  if (items == NULL || !JSON_NODE_HOLDS_ARRAY (items))
    {
      g_set_error_literal (error, LERS_ERROR, LERS_ERROR_FAILED, "diagrams: bad list");
      return NULL;
    }
  a = json_node_get_array (items);
  n = json_array_get_length (a);
  for (guint i = 0; i < n; i++)
    if (JSON_NODE_HOLDS_OBJECT (json_array_get_element (a, i))
        && !lersd_diagrams_present (req, json_array_get_object_element (a, i), cancellable, error))
      return NULL;
  json_builder_begin_object (b);
  json_builder_set_member_name (b, "next");
  if (n > limit)
    {
      JsonObject *last;
      g_autofree gchar *cursor = NULL;

      json_array_remove_element (a, n - 1);
      last = json_array_get_object_element (a, (guint) limit - 1);
      cursor = g_strdup_printf ("%" G_GINT64_FORMAT, json_object_get_int_member (last, "id"));
      json_builder_add_string_value (b, cursor);
    }
  else
    json_builder_add_null_value (b);
  json_builder_set_member_name (b, "items");
  json_builder_add_value (b, g_steal_pointer (&items));
  json_builder_end_object (b);
  root = json_builder_get_root (b);
  return lersd_diagrams_node_bytes (root);
}

static void
lersd_diagrams_list (LersdRequest *req)
{
  lersd_request_run_in_thread (req, lersd_diagrams_list_thread, NULL, NULL);
}

static gboolean
lersd_diagrams_is_subscriber (LersdRequest *req)
{
  LersUser *user = lersd_request_get_user (req);

  return user == NULL || lers_user_get_role (user) == LERS_USER_ROLE_SUBSCRIBER;
}

/* What the caller is shown of @diagram: a subscriber does not see who
 * changed it, and nobody sees the elements bound to points it does not see
 * (a group diagram may span nodes the caller does not). */
static gboolean
lersd_diagrams_present (LersdRequest *req, JsonObject *diagram, GCancellable *cancellable,
                        GError **error)
{
  JsonArray *elements;
  g_autoptr (GArray) point_ids = g_array_new (FALSE, FALSE, sizeof (gint64));
  g_autoptr (GArray) visible = NULL;
  g_autoptr (GVariant) rows = NULL;
  g_autoptr (GHashTable) seen = NULL;
  gboolean all = FALSE;

  if (lersd_diagrams_is_subscriber (req))
    json_object_remove_member (diagram, "updated_by");
  if (!json_object_has_member (diagram, "elements")
      || !JSON_NODE_HOLDS_ARRAY (json_object_get_member (diagram, "elements")))
    return TRUE;
  elements = json_object_get_array_member (diagram, "elements");
  for (guint i = 0; i < json_array_get_length (elements); i++)
    {
      JsonNode *e = json_array_get_element (elements, i);

      if (JSON_NODE_HOLDS_OBJECT (e)
          && json_object_has_member (json_node_get_object (e), "point_id"))
        {
          gint64 id = json_object_get_int_member (json_node_get_object (e), "point_id");

          g_array_append_val (point_ids, id);
        }
    }
  if (point_ids->len == 0)
    return TRUE;
  visible = lersd_request_get_visible_nodes (req, &all, cancellable, error);
  if (visible == NULL && !all)
    return FALSE;
  if (all)
    return TRUE;
  /* one query: which of the bound points are of visible nodes */
  rows = lers_store_query_current_sync (
      lersd_request_get_store (req), (const gint64 *) visible->data, visible->len,
      (const gint64 *) point_ids->data, point_ids->len, NULL, cancellable, error);
  if (rows == NULL)
    return FALSE;
  seen = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, NULL);
  for (gsize i = 0; i < g_variant_n_children (rows); i++)
    {
      g_autoptr (GVariant) row = g_variant_get_child_value (rows, i);
      gint64 *id = g_new (gint64, 1);

      g_variant_get_child (row, 0, "x", id);
      g_hash_table_add (seen, id);
    }
  for (guint i = json_array_get_length (elements); i-- > 0;)
    {
      JsonNode *e = json_array_get_element (elements, i);
      gint64 id;

      if (!JSON_NODE_HOLDS_OBJECT (e)
          || !json_object_has_member (json_node_get_object (e), "point_id"))
        continue;
      id = json_object_get_int_member (json_node_get_object (e), "point_id");
      if (!g_hash_table_contains (seen, &id))
        json_array_remove_element (elements, i);
    }
  return TRUE;
}

static GBytes *
lersd_diagrams_reply_diagram (LersdRequest *req, gint64 id, GCancellable *cancellable,
                              GError **error)
{
  g_autofree gchar *text = lers_accounts_get_diagram_sync (
      lersd_request_get_accounts (req), lersd_request_get_user (req), id, cancellable, error);
  g_autoptr (JsonNode) node = NULL;

  if (text == NULL)
    return NULL;
  node = lersd_diagrams_parse (text);
  if (node == NULL || !JSON_NODE_HOLDS_OBJECT (node))
    {
      g_set_error_literal (error, LERS_ERROR, LERS_ERROR_FAILED, "diagrams: bad diagram");
      return NULL;
    }
  if (!lersd_diagrams_present (req, json_node_get_object (node), cancellable, error))
    return NULL;
  return lersd_diagrams_node_bytes (node);
}

/* GET /diagrams/{id} */
static GBytes *
lersd_diagrams_get_thread (LersdRequest *req, gpointer data, GCancellable *cancellable,
                           guint *status, const gchar **content_type, GError **error)
{
  gint64 id;

  if (!lersd_diagrams_id (req, &id, error))
    return NULL;
  return lersd_diagrams_reply_diagram (req, id, cancellable, error);
}

static void
lersd_diagrams_get (LersdRequest *req)
{
  lersd_request_run_in_thread (req, lersd_diagrams_get_thread, NULL, NULL);
}

/* POST /diagrams → 201, PATCH /diagrams/{id} → 200: the diagram */
static GBytes *
lersd_diagrams_save_thread (LersdRequest *req, gpointer data, GCancellable *cancellable,
                            guint *status, const gchar **content_type, GError **error)
{
  gboolean create = strcmp (lersd_request_get_method (req), "POST") == 0;
  g_auto (LersdDiagramsFault) fault = { 0 };
  g_autofree gchar *fields = NULL;
  g_autofree gchar *before = NULL;
  g_autofree gchar *after = NULL;
  g_autofree gchar *before_audit = NULL;
  g_autofree gchar *after_audit = NULL;
  LersAccounts *accounts = lersd_request_get_accounts (req);
  gsize len;
  gint64 id = 0;

  if (!create && !lersd_diagrams_id (req, &id, error))
    return NULL;
  if (!create)
    {
      /* one the caller does not see is 404 before its body is looked at */
      g_autofree gchar *seen = lers_accounts_get_diagram_sync (
          accounts, lersd_request_get_user (req), id, cancellable, error);
      if (seen == NULL)
        return NULL;
    }
  if (!lersd_diagrams_check_body (req, create, &fields, cancellable, &fault))
    return lersd_diagrams_fault_body (&fault, status);
  id = lers_accounts_save_diagram_sync (accounts, lersd_request_get_user (req), id, fields, &before,
                                        cancellable, error);
  if (id == 0)
    return NULL;
  after = lers_accounts_get_diagram_sync (accounts, lersd_request_get_user (req), id, cancellable,
                                          error);
  if (after == NULL)
    return NULL;
  before_audit = lersd_diagrams_audit_text (before);
  after_audit = lersd_diagrams_audit_text (after);
  if (!lersd_request_audit (req, create ? "create" : "update", "diagram", id, before_audit,
                            after_audit, cancellable, error))
    return NULL;
  *status = create ? SOUP_STATUS_CREATED : SOUP_STATUS_OK;
  len = strlen (after);
  return g_bytes_new_take (g_steal_pointer (&after), len);
}

static void
lersd_diagrams_save (LersdRequest *req)
{
  lersd_request_run_in_thread (req, lersd_diagrams_save_thread, NULL, NULL);
}

/* DELETE /diagrams/{id} → 204 */
static GBytes *
lersd_diagrams_delete_thread (LersdRequest *req, gpointer data, GCancellable *cancellable,
                              guint *status, const gchar **content_type, GError **error)
{
  g_autofree gchar *before = NULL;
  g_autofree gchar *before_audit = NULL;
  gint64 id;

  if (!lersd_diagrams_id (req, &id, error)
      || !lers_accounts_delete_diagram_sync (lersd_request_get_accounts (req),
                                             lersd_request_get_user (req), id, &before, cancellable,
                                             error))
    return NULL;
  before_audit = lersd_diagrams_audit_text (before);
  if (!lersd_request_audit (req, "delete", "diagram", id, before_audit, NULL, cancellable, error))
    return NULL;
  *status = SOUP_STATUS_NO_CONTENT;
  return g_bytes_new (NULL, 0);
}

static void
lersd_diagrams_delete (LersdRequest *req)
{
  lersd_request_run_in_thread (req, lersd_diagrams_delete_thread, NULL, NULL);
}

const LersdRoute lersd_routes_diagrams[] = {
  { "GET", "diagrams", LERSD_ACCESS_READ, lersd_diagrams_list },
  { "POST", "diagrams", LERSD_ACCESS_OPERATE, lersd_diagrams_save },
  { "GET", "diagrams/*", LERSD_ACCESS_READ, lersd_diagrams_get },
  { "PATCH", "diagrams/*", LERSD_ACCESS_OPERATE, lersd_diagrams_save },
  { "DELETE", "diagrams/*", LERSD_ACCESS_OPERATE, lersd_diagrams_delete },
  { NULL },
};
