/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * The model objects as JSON, and the lists of the API (see
 * lersd-resource.h for the convention every route keeps).
 */
#include "config.h"

#include <glib/gi18n.h>
#include <math.h>
#include <string.h>

#include "lersd-resource.h"
#include "routes/lersd-routes.h"

/* Largest page a list answers, and the page when ?limit= is not given. */
#define LERSD_LIST_MAX_LIMIT 1000
#define LERSD_LIST_DEFAULT_LIMIT 100

/* A property the API never shows (nor filters or orders by). */
static gboolean
lersd_property_is_secret (const gchar *name)
{
  return g_strcmp0 (name, "password") == 0 || g_str_has_suffix (name, "-password")
         || g_str_has_suffix (name, "-hash");
}

/* An id of another object: a gint64 named "…-id", 0 for none. */
static gboolean
lersd_property_is_ref (GParamSpec *pspec)
{
  return G_PARAM_SPEC_VALUE_TYPE (pspec) == G_TYPE_INT64 && g_str_has_suffix (pspec->name, "-id");
}

/* "node-type" → "node_type" */
static gchar *
lersd_member_from_property (const gchar *property)
{
  return g_strdelimit (g_strdup (property), "-", '_');
}

/* The readable property a member names ("node_type", "node-type"), or NULL */
static GParamSpec *
lersd_find_property (GObjectClass *klass, const gchar *member)
{
  g_autofree gchar *name = g_strdelimit (g_strdup (member), "_", '-');
  GParamSpec *pspec = g_object_class_find_property (klass, name);

  if (pspec == NULL || !(pspec->flags & G_PARAM_READABLE))
    return NULL;
  return pspec;
}

static void
lersd_builder_add_value (JsonBuilder *b, GParamSpec *pspec, const GValue *value)
{
  GType type = G_VALUE_TYPE (value);

  switch (G_TYPE_FUNDAMENTAL (type))
    {
    case G_TYPE_STRING:
      {
        const gchar *str = g_value_get_string (value);
        if (str == NULL)
          json_builder_add_null_value (b);
        else if (g_utf8_validate (str, -1, NULL))
          json_builder_add_string_value (b, str);
        else
          {
            g_autofree gchar *valid = g_utf8_make_valid (str, -1);
            json_builder_add_string_value (b, valid);
          }
        return;
      }
    case G_TYPE_BOOLEAN:
      json_builder_add_boolean_value (b, g_value_get_boolean (value));
      return;
    case G_TYPE_INT:
      json_builder_add_int_value (b, g_value_get_int (value));
      return;
    case G_TYPE_UINT:
      json_builder_add_int_value (b, g_value_get_uint (value));
      return;
    case G_TYPE_LONG:
      json_builder_add_int_value (b, g_value_get_long (value));
      return;
    case G_TYPE_ULONG:
      json_builder_add_int_value (b, (gint64) g_value_get_ulong (value));
      return;
    case G_TYPE_INT64:
      if (lersd_property_is_ref (pspec) && g_value_get_int64 (value) == 0)
        json_builder_add_null_value (b);
      else
        json_builder_add_int_value (b, g_value_get_int64 (value));
      return;
    case G_TYPE_UINT64:
      json_builder_add_int_value (b, (gint64) g_value_get_uint64 (value));
      return;
    case G_TYPE_DOUBLE:
    case G_TYPE_FLOAT:
      {
        gdouble d = G_TYPE_FUNDAMENTAL (type) == G_TYPE_DOUBLE ? g_value_get_double (value)
                                                               : g_value_get_float (value);
        if (isfinite (d))
          json_builder_add_double_value (b, d);
        else
          json_builder_add_null_value (b);
        return;
      }
    case G_TYPE_ENUM:
      {
        g_autoptr (GEnumClass) klass = g_type_class_ref (type);
        GEnumValue *ev = g_enum_get_value (klass, g_value_get_enum (value));
        if (ev != NULL)
          json_builder_add_string_value (b, ev->value_nick);
        else
          json_builder_add_null_value (b);
        return;
      }
    case G_TYPE_FLAGS:
      {
        g_autoptr (GFlagsClass) klass = g_type_class_ref (type);
        guint flags = g_value_get_flags (value);
        json_builder_begin_array (b);
        for (guint i = 0; i < klass->n_values; i++)
          if (klass->values[i].value != 0
              && (flags & klass->values[i].value) == klass->values[i].value)
            json_builder_add_string_value (b, klass->values[i].value_nick);
        json_builder_end_array (b);
        return;
      }
    default:
      break;
    }
  if (type == G_TYPE_DATE_TIME)
    {
      GDateTime *dt = g_value_get_boxed (value);
      if (dt != NULL)
        {
          g_autofree gchar *str = lers_time_format (dt, g_date_time_get_timezone (dt));
          json_builder_add_string_value (b, str);
        }
      else
        json_builder_add_null_value (b);
      return;
    }
  if (type == G_TYPE_STRV)
    {
      const gchar *const *strv = g_value_get_boxed (value);
      json_builder_begin_array (b);
      for (guint i = 0; strv != NULL && strv[i] != NULL; i++)
        {
          g_autofree gchar *valid = g_utf8_make_valid (strv[i], -1);
          json_builder_add_string_value (b, valid);
        }
      json_builder_end_array (b);
      return;
    }
  json_builder_add_null_value (b);
}

/* A type the API can show */
static gboolean
lersd_value_type_is_shown (GType type)
{
  switch (G_TYPE_FUNDAMENTAL (type))
    {
    case G_TYPE_STRING:
    case G_TYPE_BOOLEAN:
    case G_TYPE_INT:
    case G_TYPE_UINT:
    case G_TYPE_LONG:
    case G_TYPE_ULONG:
    case G_TYPE_INT64:
    case G_TYPE_UINT64:
    case G_TYPE_DOUBLE:
    case G_TYPE_FLOAT:
    case G_TYPE_ENUM:
    case G_TYPE_FLAGS:
      return TRUE;
    default:
      return type == G_TYPE_DATE_TIME || type == G_TYPE_STRV;
    }
}

/**
 * lersd_object_to_json:
 * @object: a model object (#LersNode, #LersDevice…)
 *
 * Shows @object as the API does: one member per readable property, named
 * with "_" for "-", secrets (password, *-password, *-hash) left out.
 *
 * Returns: (transfer full): a JSON object node
 *
 * Since: 0.5
 */
JsonNode *
lersd_object_to_json (GObject *object)
{
  g_autoptr (JsonBuilder) b = json_builder_new ();
  g_autofree GParamSpec **pspecs = NULL;
  guint n_pspecs = 0;

  g_return_val_if_fail (G_IS_OBJECT (object), NULL);

  pspecs = g_object_class_list_properties (G_OBJECT_GET_CLASS (object), &n_pspecs);
  json_builder_begin_object (b);
  /* "id" first, as a reader expects it */
  for (guint pass = 0; pass < 2; pass++)
    for (guint i = 0; i < n_pspecs; i++)
      {
        GParamSpec *pspec = pspecs[i];
        g_auto (GValue) value = G_VALUE_INIT;
        g_autofree gchar *member = NULL;
        gboolean is_id = g_strcmp0 (pspec->name, "id") == 0;

        if ((pass == 0) != is_id || !(pspec->flags & G_PARAM_READABLE)
            || lersd_property_is_secret (pspec->name)
            || !lersd_value_type_is_shown (G_PARAM_SPEC_VALUE_TYPE (pspec)))
          continue;
        g_value_init (&value, G_PARAM_SPEC_VALUE_TYPE (pspec));
        g_object_get_property (object, pspec->name, &value);
        member = lersd_member_from_property (pspec->name);
        json_builder_set_member_name (b, member);
        lersd_builder_add_value (b, pspec, &value);
      }
  json_builder_end_object (b);
  return json_builder_get_root (b);
}

static gboolean
lersd_set_invalid (GError **error, const gchar *member, const gchar *expected)
{
  g_autofree gchar *quoted = lersd_quote_input (member);

  /* TRANSLATORS: %s is a member of a JSON object, then what it should be
   * ("a string", "an integer"…) */
  g_set_error (error, LERS_ERROR, LERS_ERROR_INVALID_ARGUMENT, _ ("“%s” must be %s"), quoted,
               expected);
  return FALSE;
}

/* The enum's nicks, "heat, hot-water, …" */
static gchar *
lersd_enum_nicks (GType type)
{
  g_autoptr (GEnumClass) klass = g_type_class_ref (type);
  g_autoptr (GString) out = g_string_new (NULL);

  for (guint i = 0; i < klass->n_values; i++)
    {
      if (i > 0)
        g_string_append (out, ", ");
      g_string_append (out, klass->values[i].value_nick);
    }
  return g_string_free (g_steal_pointer (&out), FALSE);
}

static gboolean
lersd_enum_from_nick (GType type, const gchar *member, const gchar *nick, gint *out, GError **error)
{
  g_autoptr (GEnumClass) klass = g_type_class_ref (type);
  GEnumValue *ev = nick != NULL ? g_enum_get_value_by_nick (klass, nick) : NULL;

  if (ev == NULL)
    {
      g_autofree gchar *nicks = lersd_enum_nicks (type);
      g_autofree gchar *quoted_member = lersd_quote_input (member);
      g_autofree gchar *quoted = lersd_quote_input (nick != NULL ? nick : "");
      /* TRANSLATORS: a member or query parameter, its value, the values allowed */
      g_set_error (error, LERS_ERROR, LERS_ERROR_INVALID_ARGUMENT,
                   _ ("“%s”: unknown value “%s”; use one of %s"), quoted_member, quoted, nicks);
      return FALSE;
    }
  *out = ev->value;
  return TRUE;
}

static GDateTime *
lersd_parse_iso8601 (const gchar *member, const gchar *str, GError **error)
{
  g_autoptr (GTimeZone) utc = g_time_zone_new_utc ();
  GDateTime *dt = str != NULL ? lers_time_parse_local (str, utc) : NULL;

  if (dt == NULL)
    {
      g_autofree gchar *quoted_member = lersd_quote_input (member);
      g_autofree gchar *quoted = lersd_quote_input (str != NULL ? str : "");
      g_set_error (error, LERS_ERROR, LERS_ERROR_INVALID_ARGUMENT,
                   _ ("“%s”: “%s” is not an ISO 8601 time such as 2026-01-31T10:00:00Z"),
                   quoted_member, quoted);
    }
  return dt;
}

/* An integer JSON node's value, checked against @pspec's range */
static gboolean
lersd_json_get_int (JsonNode *node, const gchar *member, gint64 *out, GError **error)
{
  if (!JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_INT64)
    return lersd_set_invalid (error, member, _ ("an integer"));
  *out = json_node_get_int (node);
  return TRUE;
}

/* Reads @node into @value (initialised to the property's type). */
static gboolean
lersd_value_from_json (GParamSpec *pspec, const gchar *member, JsonNode *node, GValue *value,
                       GError **error)
{
  GType type = G_PARAM_SPEC_VALUE_TYPE (pspec);
  gboolean is_null = JSON_NODE_HOLDS_NULL (node);
  gint64 i = 0;

  switch (G_TYPE_FUNDAMENTAL (type))
    {
    case G_TYPE_STRING:
      if (is_null)
        return TRUE;
      if (!JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_STRING)
        return lersd_set_invalid (error, member, _ ("a string"));
      g_value_set_string (value, json_node_get_string (node));
      return TRUE;
    case G_TYPE_BOOLEAN:
      if (!JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_BOOLEAN)
        return lersd_set_invalid (error, member, _ ("true or false"));
      g_value_set_boolean (value, json_node_get_boolean (node));
      return TRUE;
    case G_TYPE_INT:
    case G_TYPE_UINT:
    case G_TYPE_LONG:
    case G_TYPE_ULONG:
    case G_TYPE_INT64:
    case G_TYPE_UINT64:
      {
        g_auto (GValue) v = G_VALUE_INIT;

        if (is_null && lersd_property_is_ref (pspec))
          i = 0;
        else if (!lersd_json_get_int (node, member, &i, error))
          return FALSE;
        g_value_init (&v, G_TYPE_INT64);
        g_value_set_int64 (&v, i);
        /* negative into unsigned would wrap: refuse it before transforming */
        if ((i < 0
             && (G_TYPE_FUNDAMENTAL (type) == G_TYPE_UINT
                 || G_TYPE_FUNDAMENTAL (type) == G_TYPE_ULONG
                 || G_TYPE_FUNDAMENTAL (type) == G_TYPE_UINT64))
            || (G_TYPE_FUNDAMENTAL (type) == G_TYPE_INT && (i < G_MININT || i > G_MAXINT))
            || (G_TYPE_FUNDAMENTAL (type) == G_TYPE_UINT && i > G_MAXUINT)
            || !g_value_transform (&v, value))
          return lersd_set_invalid (error, member, _ ("an integer in range"));
        break;
      }
    case G_TYPE_DOUBLE:
    case G_TYPE_FLOAT:
      {
        gdouble d;

        if (!JSON_NODE_HOLDS_VALUE (node)
            || (json_node_get_value_type (node) != G_TYPE_DOUBLE
                && json_node_get_value_type (node) != G_TYPE_INT64))
          return lersd_set_invalid (error, member, _ ("a number"));
        d = json_node_get_double (node);
        if (G_TYPE_FUNDAMENTAL (type) == G_TYPE_DOUBLE)
          g_value_set_double (value, d);
        else
          g_value_set_float (value, (gfloat) d);
        break;
      }
    case G_TYPE_ENUM:
      {
        gint e = 0;

        if (!JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_STRING)
          return lersd_set_invalid (error, member, _ ("a string"));
        if (!lersd_enum_from_nick (type, member, json_node_get_string (node), &e, error))
          return FALSE;
        g_value_set_enum (value, e);
        return TRUE;
      }
    case G_TYPE_FLAGS:
      {
        g_autoptr (GFlagsClass) klass = g_type_class_ref (type);
        JsonArray *array;
        guint flags = 0;

        if (!JSON_NODE_HOLDS_ARRAY (node))
          return lersd_set_invalid (error, member, _ ("an array of strings"));
        array = json_node_get_array (node);
        for (guint k = 0; k < json_array_get_length (array); k++)
          {
            JsonNode *element = json_array_get_element (array, k);
            GFlagsValue *fv;

            if (!JSON_NODE_HOLDS_VALUE (element)
                || json_node_get_value_type (element) != G_TYPE_STRING
                || (fv = g_flags_get_value_by_nick (klass, json_node_get_string (element))) == NULL)
              return lersd_set_invalid (error, member, _ ("an array of strings"));
            flags |= fv->value;
          }
        g_value_set_flags (value, flags);
        return TRUE;
      }
    default:
      if (type == G_TYPE_DATE_TIME)
        {
          g_autoptr (GDateTime) dt = NULL;

          if (is_null)
            return TRUE;
          if (!JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_STRING)
            return lersd_set_invalid (error, member, _ ("an ISO 8601 time"));
          dt = lersd_parse_iso8601 (member, json_node_get_string (node), error);
          if (dt == NULL)
            return FALSE;
          g_value_set_boxed (value, dt);
          return TRUE;
        }
      if (type == G_TYPE_STRV)
        {
          g_autoptr (GStrvBuilder) sb = g_strv_builder_new ();
          g_auto (GStrv) strv = NULL;
          JsonArray *array;

          if (is_null)
            return TRUE;
          if (!JSON_NODE_HOLDS_ARRAY (node))
            return lersd_set_invalid (error, member, _ ("an array of strings"));
          array = json_node_get_array (node);
          for (guint k = 0; k < json_array_get_length (array); k++)
            {
              JsonNode *element = json_array_get_element (array, k);

              if (!JSON_NODE_HOLDS_VALUE (element)
                  || json_node_get_value_type (element) != G_TYPE_STRING)
                return lersd_set_invalid (error, member, _ ("an array of strings"));
              g_strv_builder_add (sb, json_node_get_string (element));
            }
          strv = g_strv_builder_end (sb);
          g_value_set_boxed (value, strv);
          return TRUE;
        }
      {
        g_autofree gchar *quoted = lersd_quote_input (member);
        g_set_error (error, LERS_ERROR, LERS_ERROR_INVALID_ARGUMENT, _ ("“%s” cannot be changed"),
                     quoted);
        return FALSE;
      }
    }

  /* numbers: within the property's own bounds */
  if (g_param_value_validate (pspec, value))
    return lersd_set_invalid (error, member, _ ("a number in range"));
  return TRUE;
}

/**
 * lersd_object_patch:
 * @object: a model object
 * @members: the members to change, named as lersd_object_to_json() shows them
 * @error: return location for a #GError
 *
 * Sets the properties @members names, all or none: "id", an unknown or
 * read-only member, and a value of the wrong type are
 * %LERS_ERROR_INVALID_ARGUMENT naming the member, and leave @object as it
 * was. A secret (password) may be set though it is never shown.
 *
 * Returns: %TRUE when every member was set
 *
 * Since: 0.5
 */
gboolean
lersd_object_patch (GObject *object, JsonObject *members, GError **error)
{
  return lersd_object_patch_full (object, members, NULL, error);
}

/**
 * lersd_object_patch_full:
 * @object: a model object
 * @members: the members to change, named as lersd_object_to_json() shows them
 * @field: (out) (optional) (transfer full): where to put the member that
 *   was refused, on error
 * @error: return location for a #GError
 *
 * As lersd_object_patch(), and tells which member was refused, so that an
 * answer can name it (`"field"`, see lersd_request_set_error_field()).
 *
 * Returns: %TRUE when every member was set
 *
 * Since: 0.5
 */
gboolean
lersd_object_patch_full (GObject *object, JsonObject *members, gchar **field, GError **error)
{
  GObjectClass *klass;
  g_autoptr (GList) names = NULL;
  g_autoptr (GPtrArray) props = g_ptr_array_new ();
  g_autoptr (GArray) values = g_array_new (FALSE, TRUE, sizeof (GValue));

  g_return_val_if_fail (G_IS_OBJECT (object), FALSE);
  g_return_val_if_fail (members != NULL, FALSE);

  klass = G_OBJECT_GET_CLASS (object);
  g_array_set_clear_func (values, (GDestroyNotify) g_value_unset);
  names = json_object_get_members (members);
  for (GList *l = names; l != NULL; l = l->next)
    {
      const gchar *member = l->data;
      GParamSpec *pspec = NULL;
      GValue *value;

      if (g_strcmp0 (member, "id") != 0 && strchr (member, '-') == NULL)
        {
          g_autofree gchar *name = g_strdelimit (g_strdup (member), "_", '-');
          pspec = g_object_class_find_property (klass, name);
        }
      if (pspec == NULL || !(pspec->flags & G_PARAM_WRITABLE)
          || (pspec->flags & G_PARAM_CONSTRUCT_ONLY)
          || !lersd_value_type_is_shown (G_PARAM_SPEC_VALUE_TYPE (pspec)))
        {
          g_autofree gchar *quoted = lersd_quote_input (member);
          if (g_strcmp0 (member, "id") == 0)
            g_set_error_literal (error, LERS_ERROR, LERS_ERROR_INVALID_ARGUMENT,
                                 _ ("“id” cannot be changed"));
          else
            g_set_error (error, LERS_ERROR, LERS_ERROR_INVALID_ARGUMENT,
                         _ ("Unknown or read-only member “%s”"), quoted);
          if (field != NULL)
            *field = g_strdup (member);
          return FALSE;
        }
      g_array_set_size (values, values->len + 1);
      value = &g_array_index (values, GValue, values->len - 1);
      g_value_init (value, G_PARAM_SPEC_VALUE_TYPE (pspec));
      if (!lersd_value_from_json (pspec, member, json_object_get_member (members, member), value,
                                  error))
        {
          if (field != NULL)
            *field = g_strdup (member);
          return FALSE;
        }
      g_ptr_array_add (props, (gpointer) pspec->name);
    }

  g_object_freeze_notify (object);
  for (guint i = 0; i < props->len; i++)
    g_object_set_property (object, g_ptr_array_index (props, i),
                           &g_array_index (values, GValue, i));
  g_object_thaw_notify (object);
  return TRUE;
}

static const gchar *const lersd_list_ops[] = {
  [LERS_STORE_OP_EQ] = "eq",        [LERS_STORE_OP_NE] = "ne",     [LERS_STORE_OP_LT] = "lt",
  [LERS_STORE_OP_LE] = "le",        [LERS_STORE_OP_GT] = "gt",     [LERS_STORE_OP_GE] = "ge",
  [LERS_STORE_OP_IS_NULL] = "null", [LERS_STORE_OP_LIKE] = "like",
};

/* The filterable, orderable property a member names, or NULL */
static GParamSpec *
lersd_list_find_property (GObjectClass *klass, const gchar *member)
{
  GParamSpec *pspec;

  if (strchr (member, '-') != NULL)
    return NULL;
  pspec = lersd_find_property (klass, member);
  if (pspec == NULL || lersd_property_is_secret (pspec->name)
      || !lersd_value_type_is_shown (G_PARAM_SPEC_VALUE_TYPE (pspec)))
    return NULL;
  return pspec;
}

/* A query parameter's text as a filter value of @pspec's type */
static gboolean
lersd_list_parse_value (GParamSpec *pspec, const gchar *param, const gchar *text, GValue *value,
                        GError **error)
{
  GType type = G_PARAM_SPEC_VALUE_TYPE (pspec);
  g_autofree gchar *quoted = lersd_quote_input (text);
  g_autofree gchar *quoted_param = lersd_quote_input (param);

  switch (G_TYPE_FUNDAMENTAL (type))
    {
    case G_TYPE_STRING:
      g_value_init (value, G_TYPE_STRING);
      g_value_set_string (value, text);
      return TRUE;
    case G_TYPE_BOOLEAN:
      if (g_strcmp0 (text, "true") != 0 && g_strcmp0 (text, "false") != 0)
        break;
      g_value_init (value, G_TYPE_BOOLEAN);
      g_value_set_boolean (value, g_strcmp0 (text, "true") == 0);
      return TRUE;
    case G_TYPE_INT:
    case G_TYPE_UINT:
    case G_TYPE_LONG:
    case G_TYPE_ULONG:
    case G_TYPE_INT64:
    case G_TYPE_UINT64:
      {
        gint64 i;

        if (!g_ascii_string_to_signed (text, 10, G_MININT64, G_MAXINT64, &i, NULL))
          break;
        g_value_init (value, G_TYPE_INT64);
        g_value_set_int64 (value, i);
        return TRUE;
      }
    case G_TYPE_DOUBLE:
    case G_TYPE_FLOAT:
      {
        gchar *end = NULL;
        gdouble d = g_ascii_strtod (text, &end);

        if (text[0] == '\0' || *end != '\0' || !isfinite (d))
          break;
        g_value_init (value, G_TYPE_DOUBLE);
        g_value_set_double (value, d);
        return TRUE;
      }
    case G_TYPE_ENUM:
      {
        gint e;

        if (!lersd_enum_from_nick (type, param, text, &e, error))
          return FALSE;
        g_value_init (value, type);
        g_value_set_enum (value, e);
        return TRUE;
      }
    default:
      if (type == G_TYPE_DATE_TIME)
        {
          g_autoptr (GDateTime) dt = lersd_parse_iso8601 (param, text, error);

          if (dt == NULL)
            return FALSE;
          g_value_init (value, G_TYPE_DATE_TIME);
          g_value_set_boxed (value, dt);
          return TRUE;
        }
      if (type == G_TYPE_STRV)
        {
          /* an array equal to one element */
          const gchar *strv[] = { text, NULL };
          g_value_init (value, G_TYPE_STRV);
          g_value_set_boxed (value, strv);
          return TRUE;
        }
      break;
    }
  /* TRANSLATORS: a query parameter, then its value */
  g_set_error (error, LERS_ERROR, LERS_ERROR_INVALID_ARGUMENT, _ ("%s: bad value “%s”"),
               quoted_param, quoted);
  return FALSE;
}

static gboolean
lersd_list_add_filter (GObjectClass *klass, LersStoreQuery *query, const gchar *param,
                       const gchar *text, GError **error)
{
  g_autofree gchar *member = g_strdup (param);
  gchar *dot = strchr (member, '.');
  LersStoreOp op = LERS_STORE_OP_EQ;
  g_auto (GValue) value = G_VALUE_INIT;
  GParamSpec *pspec;

  if (dot != NULL)
    {
      gboolean found = FALSE;

      *dot = '\0';
      for (guint i = 0; i < G_N_ELEMENTS (lersd_list_ops); i++)
        if (g_strcmp0 (dot + 1, lersd_list_ops[i]) == 0)
          {
            op = i;
            found = TRUE;
          }
      if (!found)
        {
          g_autofree gchar *quoted = lersd_quote_input (dot + 1);
          g_autofree gchar *quoted_param = lersd_quote_input (param);
          g_set_error (error, LERS_ERROR, LERS_ERROR_INVALID_ARGUMENT,
                       _ ("%s: unknown operator “%s”; use eq, ne, lt, le, gt, ge, like or null"),
                       quoted_param, quoted);
          return FALSE;
        }
    }
  pspec = lersd_list_find_property (klass, member);
  if (pspec == NULL)
    {
      g_autofree gchar *quoted = lersd_quote_input (param);
      g_set_error (error, LERS_ERROR, LERS_ERROR_INVALID_ARGUMENT, _ ("Unknown filter “%s”"),
                   quoted);
      return FALSE;
    }

  if (op == LERS_STORE_OP_IS_NULL)
    {
      if (g_strcmp0 (text, "true") == 0)
        lers_store_query_add_filter (query, pspec->name, LERS_STORE_OP_IS_NULL, NULL);
      else if (g_strcmp0 (text, "false") == 0)
        lers_store_query_add_filter_string (query, pspec->name, LERS_STORE_OP_NE, NULL);
      else
        {
          g_autofree gchar *quoted = lersd_quote_input (param);
          g_set_error (error, LERS_ERROR, LERS_ERROR_INVALID_ARGUMENT,
                       _ ("%s must be true or false"), quoted);
          return FALSE;
        }
      return TRUE;
    }
  if (op == LERS_STORE_OP_LIKE && G_PARAM_SPEC_VALUE_TYPE (pspec) != G_TYPE_STRING)
    {
      g_autofree gchar *quoted = lersd_quote_input (param);
      g_set_error (error, LERS_ERROR, LERS_ERROR_INVALID_ARGUMENT,
                   _ ("%s: like compares text only"), quoted);
      return FALSE;
    }
  if (!lersd_list_parse_value (pspec, param, text, &value, error))
    return FALSE;
  lers_store_query_add_filter (query, pspec->name, op, &value);
  return TRUE;
}

static gboolean
lersd_list_add_order (GObjectClass *klass, LersStoreQuery *query, const gchar *text, GError **error)
{
  g_auto (GStrv) keys = g_strsplit (text, ",", 0);

  for (guint i = 0; keys[i] != NULL; i++)
    {
      const gchar *key = keys[i];
      gboolean descending = key[0] == '-';
      GParamSpec *pspec;

      if (descending)
        key++;
      pspec = key[0] != '\0' ? lersd_list_find_property (klass, key) : NULL;
      if (pspec == NULL)
        {
          g_autofree gchar *quoted = lersd_quote_input (keys[i]);
          g_set_error (error, LERS_ERROR, LERS_ERROR_INVALID_ARGUMENT, _ ("Cannot order by “%s”"),
                       quoted);
          return FALSE;
        }
      lers_store_query_add_order (query, pspec->name, descending);
    }
  return TRUE;
}

/**
 * lersd_list_query_parse:
 * @req: a request for a list
 * @type: the listed model type
 * @query: where to add the filters, order, limit and cursor
 * @error: return location for a #GError
 *
 * Reads `?limit=`, `?after=`, `?order=` and every other query parameter as
 * a filter on @type's properties (see lersd-resource.h).
 *
 * Returns: %TRUE, or %FALSE with %LERS_ERROR_INVALID_ARGUMENT naming the
 *   parameter
 *
 * Since: 0.5
 */
gboolean
lersd_list_query_parse (LersdRequest *req, GType type, LersStoreQuery *query, GError **error)
{
  g_autoptr (GTypeClass) klass = g_type_class_ref (type);
  GHashTable *params = lersd_request_get_query_table (req);
  g_autoptr (GList) names = NULL;
  const gchar *limit_str = lersd_request_get_query (req, "limit");
  const gchar *after = lersd_request_get_query (req, "after");
  const gchar *order = lersd_request_get_query (req, "order");
  guint64 limit = LERSD_LIST_DEFAULT_LIMIT;

  g_return_val_if_fail (G_TYPE_IS_OBJECT (type), FALSE);

  if (limit_str != NULL
      && !g_ascii_string_to_unsigned (limit_str, 10, 1, LERSD_LIST_MAX_LIMIT, &limit, NULL))
    {
      g_autofree gchar *quoted = lersd_quote_input (limit_str);
      g_set_error (error, LERS_ERROR, LERS_ERROR_INVALID_ARGUMENT,
                   _ ("limit “%s” is not a number from 1 to 1000"), quoted);
      return FALSE;
    }
  lers_store_query_set_limit (query, (guint) limit);
  if (after != NULL)
    {
      if (after[0] == '\0')
        {
          g_set_error_literal (error, LERS_ERROR, LERS_ERROR_INVALID_ARGUMENT,
                               _ ("The page cursor is malformed or belongs to another ordering"));
          return FALSE;
        }
      lers_store_query_set_cursor (query, after);
    }

  /* filters in a stable order, so a message names the same one each time */
  if (params != NULL)
    names = g_list_sort (g_hash_table_get_keys (params), (GCompareFunc) g_strcmp0);
  for (GList *l = names; l != NULL; l = l->next)
    {
      const gchar *name = l->data;

      if (g_str_equal (name, "limit") || g_str_equal (name, "after") || g_str_equal (name, "order"))
        continue;
      if (!lersd_list_add_filter (G_OBJECT_CLASS (klass), query, name,
                                  g_hash_table_lookup (params, name), error))
        return FALSE;
    }
  if (order != NULL && !lersd_list_add_order (G_OBJECT_CLASS (klass), query, order, error))
    return FALSE;
  return TRUE;
}

/**
 * lersd_list_to_json:
 * @objects: (element-type GObject): one page of objects
 * @next_cursor: (nullable): the cursor of the next page, %NULL on the last
 *
 * Returns: (transfer full): `{"items": [...], "next": "<cursor>" | null}`
 *
 * Since: 0.5
 */
JsonNode *
lersd_list_to_json (GPtrArray *objects, const gchar *next_cursor)
{
  g_autoptr (JsonObject) obj = json_object_new ();
  JsonArray *items = json_array_sized_new (objects != NULL ? objects->len : 0);
  JsonNode *root;

  for (guint i = 0; objects != NULL && i < objects->len; i++)
    json_array_add_element (items, lersd_object_to_json (g_ptr_array_index (objects, i)));
  json_object_set_array_member (obj, "items", items);
  if (next_cursor != NULL)
    json_object_set_string_member (obj, "next", next_cursor);
  else
    json_object_set_null_member (obj, "next");
  root = json_node_new (JSON_NODE_OBJECT);
  json_node_set_object (root, obj);
  return root;
}

/* Whether the JSON text escapes a NUL character (\u0000) in a string: the
 * parsed C string would silently end there. An escaped backslash is
 * skipped, so "\\u0000" (a backslash, then "u0000") is plain text. */
gboolean
lersd_json_has_nul_escape (const gchar *data, gsize len)
{
  for (gsize i = 0; i + 1 < len; i++)
    {
      if (data[i] != '\\')
        continue;
      if (data[i + 1] == 'u' && i + 5 < len && memcmp (data + i + 2, "0000", 4) == 0)
        return TRUE;
      i++; /* the escaped character */
    }
  return FALSE;
}

/**
 * lersd_request_parse_json_object:
 * @req: a request with a body
 * @error: return location for a #GError
 *
 * Returns: (transfer full) (nullable): the body as a JSON object, or %NULL
 *   with %LERS_ERROR_INVALID_ARGUMENT
 *
 * Since: 0.5
 */
JsonObject *
lersd_request_parse_json_object (LersdRequest *req, GError **error)
{
  g_autoptr (GBytes) body = lersd_request_get_body (req);
  g_autoptr (JsonParser) parser = json_parser_new_immutable ();
  g_autoptr (GError) local_error = NULL;
  gsize len = 0;
  const gchar *data = g_bytes_get_data (body, &len);
  JsonNode *root;

  if (len == 0 || len > G_MAXSSIZE)
    {
      g_set_error_literal (error, LERS_ERROR, LERS_ERROR_INVALID_ARGUMENT,
                           _ ("The request body is not valid JSON: it is empty"));
      return NULL;
    }
  if (!g_utf8_validate_len (data, len, NULL))
    {
      g_set_error_literal (error, LERS_ERROR, LERS_ERROR_INVALID_ARGUMENT,
                           _ ("The request body is not valid JSON: it is not UTF-8"));
      return NULL;
    }
  if (!json_parser_load_from_data (parser, data, (gssize) len, &local_error))
    {
      g_set_error (error, LERS_ERROR, LERS_ERROR_INVALID_ARGUMENT,
                   _ ("The request body is not valid JSON: %s"), local_error->message);
      return NULL;
    }
  root = json_parser_get_root (parser);
  if (root == NULL || !JSON_NODE_HOLDS_OBJECT (root))
    {
      g_set_error_literal (error, LERS_ERROR, LERS_ERROR_INVALID_ARGUMENT,
                           _ ("The request body must be a JSON object"));
      return NULL;
    }
  /* json-glib's strings are C strings: "a\u0000b" would be stored as "a" */
  if (lersd_json_has_nul_escape (data, len))
    {
      g_set_error_literal (error, LERS_ERROR, LERS_ERROR_INVALID_ARGUMENT,
                           _ ("A string of the request body holds a NUL character (\\u0000)"));
      return NULL;
    }
  return json_object_ref (json_node_get_object (root));
}
