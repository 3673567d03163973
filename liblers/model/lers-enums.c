/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "config.h"

#include "lers-enum-types.h"
#include "model/lers-enums.h"

static const gchar *
lers_enum_to_nick (GType type, gint value)
{
  g_autoptr (GEnumClass) klass = g_type_class_ref (type);
  GEnumValue *ev = g_enum_get_value (klass, value);
  return ev != NULL ? ev->value_nick : NULL;
}

static gboolean
lers_enum_from_nick (GType type, const gchar *nick, gint *value)
{
  g_autoptr (GEnumClass) klass = NULL;
  GEnumValue *ev;

  if (nick == NULL)
    return FALSE;
  klass = g_type_class_ref (type);
  ev = g_enum_get_value_by_nick (klass, nick);
  if (ev == NULL)
    return FALSE;
  *value = ev->value;
  return TRUE;
}

/**
 * lers_archive_kind_to_string:
 * @kind: a #LersArchiveKind
 *
 * Returns: (nullable): the kind's nick (`hour`), as the API and CLI write it
 *
 * Since: 0.1
 */
const gchar *
lers_archive_kind_to_string (LersArchiveKind kind)
{
  return lers_enum_to_nick (LERS_TYPE_ARCHIVE_KIND, kind);
}

/**
 * lers_archive_kind_from_string:
 * @str: (nullable): a nick such as `hour`
 * @kind: (out): the kind
 *
 * Returns: %TRUE if @str names an archive kind
 *
 * Since: 0.1
 */
gboolean
lers_archive_kind_from_string (const gchar *str, LersArchiveKind *kind)
{
  gint v;
  if (!lers_enum_from_nick (LERS_TYPE_ARCHIVE_KIND, str, &v))
    return FALSE;
  *kind = v;
  return TRUE;
}

/**
 * lers_resource_to_string:
 * @resource: a #LersResource
 *
 * Returns: (nullable): the resource's nick (`heat`, `hot-water`)
 *
 * Since: 0.1
 */
const gchar *
lers_resource_to_string (LersResource resource)
{
  return lers_enum_to_nick (LERS_TYPE_RESOURCE, resource);
}

/**
 * lers_resource_from_string:
 * @str: (nullable): a nick such as `heat`
 * @resource: (out): the resource
 *
 * Returns: %TRUE if @str names a resource
 *
 * Since: 0.1
 */
gboolean
lers_resource_from_string (const gchar *str, LersResource *resource)
{
  gint v;
  if (!lers_enum_from_nick (LERS_TYPE_RESOURCE, str, &v))
    return FALSE;
  *resource = v;
  return TRUE;
}
