/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

#include <lers.h>

#include "logikam4-model.h"

G_BEGIN_DECLS

/* The simulated meter's data, a pure function of the seed and the wall
 * clock (seconds since 1970 of the meter's local time read as UTC). The
 * formulas are in README.md ("Simulator"); tests work values out from them
 * by hand. */
typedef struct
{
  guint seed;
  guint circuits;
} M4SimData;

/* the first hour of the totals */
#define M4_SIM_ORIGIN 1704067200 /* 2024-01-01 00:00 */

gboolean m4_sim_hour_ns (const M4SimData *d, gint64 hour_start, gint64 clock, guint channel);
gboolean m4_sim_value (const M4SimData *d, LersArchiveKind kind, gint64 start, gint64 clock,
                       LersParameter p, guint channel, gdouble *value);
gboolean m4_sim_total (const M4SimData *d, LersParameter p, guint channel, gint64 clock,
                       gdouble *value);
gint64 m4_sim_period_end (LersArchiveKind kind, gint64 start);
gint64 m4_sim_period_floor (LersArchiveKind kind, gint64 t);

G_END_DECLS
