/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Which parameter numbers hold which quantity. The only public map found
 * is Moisha/GMIO's for the СПТ961 (DB/Builder/FillTables_ParamlistGuide_
 * SPT961.sql, used in production): for pipeline t (channel t, 1–12)
 *   P   155, hour archive 205, day archive 206 (kgf/cm²)
 *   T   156, hour 200, day 201
 *   Gm  157, hour 210, day 211 (mass flow)
 *   Gv  171, hour 220, day 221 (volume flow)
 *   M   160 (mass counter),  V   163 (volume counter)
 * and on channel 0: 063 outdoor-air temperature (hour 82, day 83), 065
 * cold-water temperature (hour 71, day 72), 066 cold-water pressure (hour
 * 74, day 75). No month archive numbers and nothing for the СПГ761 family
 * were found: the option `params` gives them.
 */
#include "spbus-params.h"

#include <glib/gi18n-lib.h>
#include <string.h>

static const gchar *const models[] = {
  "СПТ961", "СПТ961М", "СПТ961.1", "СПТ962", "СПТ963", "СПГ761", "СПГ761.1", "СПГ761.3", NULL,
};

const gchar *const *
spbus_models (void)
{
  return models;
}

gboolean
spbus_model_known (const gchar *model)
{
  return model != NULL && g_strv_contains (models, model);
}

static void
add (GArray *a, LersParameter p, guint chn, gint cur, gint hour, gint day, gboolean total)
{
  SpbusParam e = { p, chn, chn, cur, hour, day, SPBUS_NO_PARAM, total };

  g_array_append_val (a, e);
}

/**
 * spbus_params_default:
 * @model: (nullable): the model; NULL means СПТ961
 * @pipes: how many pipelines (1–12)
 *
 * Returns: (transfer full) (element-type SpbusParam): GMIO's map for the
 *   СПТ961 (applied to all СПТ96x models), empty for the СПГ761 family
 */
GArray *
spbus_params_default (const gchar *model, guint pipes)
{
  GArray *a = g_array_new (FALSE, TRUE, sizeof (SpbusParam));

  if (model != NULL && g_str_has_prefix (model, "СПГ"))
    return a;
  pipes = CLAMP (pipes, 1, SPBUS_MAX_PIPES);
  for (guint t = 1; t <= pipes; t++)
    {
      add (a, LERS_PARAMETER_T_IN, t, 156, 200, 201, FALSE);
      add (a, LERS_PARAMETER_P_IN, t, 155, 205, 206, FALSE);
      add (a, LERS_PARAMETER_FLOW_M_IN, t, 157, 210, 211, FALSE);
      add (a, LERS_PARAMETER_FLOW_V_IN, t, 171, 220, 221, FALSE);
      add (a, LERS_PARAMETER_M_IN, t, 160, SPBUS_NO_PARAM, SPBUS_NO_PARAM, TRUE);
      add (a, LERS_PARAMETER_V_IN, t, 163, SPBUS_NO_PARAM, SPBUS_NO_PARAM, TRUE);
    }
  return a;
}

static gboolean
number (const gchar *s, gint *out)
{
  guint64 v;

  if (g_strcmp0 (s, "-") == 0 || *s == '\0')
    {
      *out = SPBUS_NO_PARAM;
      return TRUE;
    }
  if (!g_ascii_string_to_unsigned (s, 10, 0, 65535, &v, NULL))
    return FALSE;
  *out = (gint) v;
  return TRUE;
}

/**
 * spbus_params_parse:
 * @text: entries separated by ';': NAME@CHN=CUR/HOUR/DAY/MONTH with NAME a
 *   LERS parameter name (T_in, M_in …), CHN the device channel, the
 *   numbers '-' where absent (trailing ones may be left out); a NAME that
 *   starts with '+' is a counter (read as a total)
 * @out: (element-type SpbusParam): where the entries go
 * @error: %LERS_ERROR_INVALID_ARGUMENT
 *
 * Returns: whether all of @text was understood
 */
gboolean
spbus_params_parse (const gchar *text, GArray *out, GError **error)
{
  g_auto (GStrv) entries = g_strsplit (text, ";", -1);

  for (guint i = 0; entries[i] != NULL; i++)
    {
      g_autofree gchar *e = g_strstrip (g_strdup (entries[i]));
      g_auto (GStrv) nums = NULL;
      gchar *at, *eq, *name = e;
      SpbusParam p = { 0 };
      gint chn = 0;
      gint v[4] = { SPBUS_NO_PARAM, SPBUS_NO_PARAM, SPBUS_NO_PARAM, SPBUS_NO_PARAM };
      guint n;

      if (*e == '\0')
        continue;
      at = strchr (e, '@');
      eq = strchr (e, '=');
      if (at == NULL || eq == NULL || eq < at)
        goto bad;
      *at = '\0';
      *eq = '\0';
      if (*name == '+')
        {
          p.total = TRUE;
          name++;
        }
      if (!lers_parameter_from_name (name, &p.parameter) || !number (at + 1, &chn) || chn < 0)
        goto bad;
      nums = g_strsplit (eq + 1, "/", -1);
      n = g_strv_length (nums);
      if (n < 1 || n > 4)
        goto bad;
      for (guint k = 0; k < n; k++)
        if (!number (nums[k], &v[k]))
          goto bad;
      p.channel = (guint) chn;
      p.lers_channel = (guint) chn;
      p.current = v[0];
      p.hour = v[1];
      p.day = v[2];
      p.month = v[3];
      g_array_append_val (out, p);
      continue;
    bad:
      g_set_error (error, LERS_ERROR, LERS_ERROR_INVALID_ARGUMENT,
                   _ ("СПСеть option params: '%s' is not NAME@CHANNEL=CURRENT/HOUR/DAY/MONTH"),
                   entries[i]);
      return FALSE;
    }
  return TRUE;
}

/**
 * spbus_units_factor:
 * @units: the units the device sent (UTF-8)
 * @parameter: the LERS parameter the value goes to
 * @known: (out): whether @units were recognised
 *
 * Returns: the factor from @units to @parameter's LERS unit: kgf/cm² ×
 *   0.0980665 to MPa, GJ ÷ 4.1868 to Gcal, MW·h ÷ 1.163 to Gcal, the rest 1
 */
gdouble
spbus_units_factor (const gchar *units, LersParameter parameter, gboolean *known)
{
  g_autofree gchar *u = g_utf8_strdown (units, -1);
  /* the device writes "кгс/cм2" with a Latin c (GMIO's capture) */
  static const struct
  {
    const gchar *units;
    gdouble factor;
  } table[] = {
    { "'c", 1.0 },
    { "°c", 1.0 },
    { "кгс/cм2", 0.0980665 },
    { "кгс/см2", 0.0980665 },
    { "мпа", 1.0 },
    { "кпа", 0.001 },
    { "т", 1.0 },
    { "т/ч", 1.0 },
    { "м3", 1.0 },
    { "м3/ч", 1.0 },
    { "гкал", 1.0 },
    { "гкал/ч", 1.0 },
    { "гдж", 1 / 4.1868 },
    { "мвт*ч", 1 / 1.163 },
    { "мвт·ч", 1 / 1.163 },
    { "ч", 1.0 },
  };

  g_strstrip (u);
  for (guint i = 0; i < G_N_ELEMENTS (table); i++)
    if (strcmp (u, table[i].units) == 0)
      {
        *known = TRUE;
        return table[i].factor;
      }
  *known = FALSE;
  return 1.0;
}
