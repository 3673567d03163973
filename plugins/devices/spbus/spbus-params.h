/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

#include <lers.h>

G_BEGIN_DECLS

#define SPBUS_NO_PARAM (-1)
#define SPBUS_MAX_PIPES 12

/* one LERS quantity of one device channel and the parameter numbers that
 * hold it: current value, hour, day and month archive (SPBUS_NO_PARAM
 * where not established) */
typedef struct
{
  LersParameter parameter;
  guint channel;      /* the device's channel: 0 common, 1… pipelines */
  guint lers_channel; /* = channel: the common channel 0 is its own point, pipeline t is t */
  gint current, hour, day, month;
  gboolean total; /* a counter (TOTALS), not an instantaneous value */
} SpbusParam;

const gchar *const *spbus_models (void);
gboolean spbus_model_known (const gchar *model);
GArray *spbus_params_default (const gchar *model, guint pipes);
gboolean spbus_params_parse (const gchar *text, GArray *out, GError **error);
gdouble spbus_units_factor (const gchar *units, LersParameter parameter, gboolean *known);

G_END_DECLS
