/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Per-model field lists: `models/<id>.ini` in the module's GResource, parsed
 * once. Each names the model's session code, its archive record items in
 * order (what LERS parameter and channel each goes to) and the parameters
 * (Ch:Pn) read for current values and totals. See README.md.
 */
#include "logikam4-model.h"

#include <stdlib.h>
#include <string.h>

#include "logikam4-resources.h"

static const gchar *const model_files[] = { "spt944", "spt943-3", "spt941-20", "spg742" };

static gboolean
parse_target (const gchar *text, M4Target *target)
{
  g_auto (GStrv) parts = g_strsplit (text, "@", 2);

  target->ns = FALSE;
  target->channel = -1;
  if (parts[1] != NULL)
    target->channel = atoi (parts[1]);
  if (g_str_equal (parts[0], "ns"))
    {
      target->ns = TRUE;
      return TRUE;
    }
  return lers_parameter_from_name (parts[0], &target->parameter);
}

static GArray *
parse_params (GKeyFile *kf, const gchar *group, const gchar *file)
{
  g_auto (GStrv) list = g_key_file_get_string_list (kf, group, "params", NULL, NULL);
  GArray *params = g_array_new (FALSE, FALSE, sizeof (M4Param));

  for (guint i = 0; list != NULL && list[i] != NULL; i++)
    {
      g_auto (GStrv) f = g_strsplit (list[i], ":", 3);
      M4Param p = { 0 };

      if (g_strv_length (f) != 3 || !parse_target (f[2], &p.target))
        {
          g_critical ("models/%s.ini [%s]: bad entry %s", file, group, list[i]);
          continue;
        }
      p.ch = (guint8) atoi (f[0]);
      p.number = (guint16) atoi (f[1]);
      g_array_append_val (params, p);
    }
  return params;
}

static M4ParamRef
parse_ref (GKeyFile *kf, const gchar *key)
{
  g_autofree gchar *text = g_key_file_get_string (kf, "model", key, NULL);
  M4ParamRef ref = { 0 };
  g_auto (GStrv) f = NULL;

  if (text == NULL)
    return ref;
  f = g_strsplit (text, ":", 2);
  if (g_strv_length (f) == 2)
    {
      ref.ch = (guint8) atoi (f[0]);
      ref.number = (guint16) atoi (f[1]);
      ref.present = TRUE;
    }
  return ref;
}

static M4Model *
model_load (const gchar *file)
{
  g_autofree gchar *path = g_strdup_printf ("/org/lers/plugins/logikam4/models/%s.ini", file);
  g_autoptr (GBytes) bytes = g_resource_lookup_data (lers_logikam4_get_resource (), path,
                                                     G_RESOURCE_LOOKUP_FLAGS_NONE, NULL);
  g_autoptr (GKeyFile) kf = g_key_file_new ();
  g_autoptr (GError) error = NULL;
  g_autofree gchar *code = NULL;
  M4Model *m;
  g_auto (GStrv) channels = NULL;
  g_auto (GStrv) items = NULL;

  if (bytes == NULL || !g_key_file_load_from_bytes (kf, bytes, G_KEY_FILE_NONE, &error))
    {
      g_critical ("models/%s.ini: %s", file, error != NULL ? error->message : "missing");
      return NULL;
    }
  m = g_new0 (M4Model, 1);
  m->id = g_strdup (file);
  m->name = g_key_file_get_string (kf, "model", "name", NULL);
  code = g_key_file_get_string (kf, "model", "code", NULL);
  m->code = code != NULL ? (guint16) g_ascii_strtoull (code, NULL, 16) : 0;
  m->version_min = (guint) g_key_file_get_integer (kf, "model", "version-min", NULL);
  m->version_max = (guint) g_key_file_get_integer (kf, "model", "version-max", NULL);
  m->circuits = MAX (1, g_key_file_get_integer (kf, "model", "circuits", NULL));
  m->flz = g_key_file_get_boolean (kf, "model", "flz", NULL);
  m->ns_table = g_key_file_get_string (kf, "model", "ns-table", NULL);
  m->pressure_unit = parse_ref (kf, "pressure-unit");
  m->energy_unit = parse_ref (kf, "energy-unit");
  m->reporting_hour = parse_ref (kf, "reporting-hour");
  m->archive_channels = g_array_new (FALSE, FALSE, sizeof (guint8));
  m->items = g_ptr_array_new_with_free_func ((GDestroyNotify) g_array_unref);
  channels = g_key_file_get_string_list (kf, "archive", "channels", NULL, NULL);
  items = g_key_file_get_string_list (kf, "archive", "items", NULL, NULL);
  for (guint i = 0; channels != NULL && channels[i] != NULL; i++)
    {
      guint8 ch = (guint8) atoi (channels[i]);
      g_array_append_val (m->archive_channels, ch);
    }
  for (guint i = 0; items != NULL && items[i] != NULL; i++)
    {
      g_auto (GStrv) targets = g_strsplit (items[i], "+", -1);
      GArray *list = g_array_new (FALSE, FALSE, sizeof (M4Target));

      for (guint j = 0; targets[j] != NULL; j++)
        {
          M4Target t;

          if (g_str_equal (targets[j], "-"))
            continue;
          if (!parse_target (targets[j], &t))
            {
              g_critical ("models/%s.ini: unknown item %s", file, targets[j]);
              continue;
            }
          g_array_append_val (list, t);
        }
      g_ptr_array_add (m->items, list);
    }
  m->current = parse_params (kf, "current", file);
  m->totals = parse_params (kf, "totals", file);
  return m;
}

GPtrArray *
m4_model_list (void)
{
  static GPtrArray *models;

  if (g_once_init_enter (&models))
    {
      GPtrArray *list = g_ptr_array_new ();

      for (guint i = 0; i < G_N_ELEMENTS (model_files); i++)
        {
          M4Model *m = model_load (model_files[i]);
          if (m != NULL)
            g_ptr_array_add (list, m);
        }
      g_once_init_leave (&models, list);
    }
  return models;
}

const M4Model *
m4_model_find (const gchar *name)
{
  GPtrArray *models = m4_model_list ();

  if (name == NULL)
    return NULL;
  for (guint i = 0; i < models->len; i++)
    {
      const M4Model *m = g_ptr_array_index (models, i);
      if (g_strcmp0 (m->name, name) == 0 || g_strcmp0 (m->id, name) == 0)
        return m;
    }
  return NULL;
}

const M4Model *
m4_model_find_by_code (guint16 code, guint version)
{
  GPtrArray *models = m4_model_list ();

  for (guint i = 0; i < models->len; i++)
    {
      const M4Model *m = g_ptr_array_index (models, i);
      if (m->code == code && version >= m->version_min && version <= m->version_max)
        return m;
    }
  return NULL;
}
