/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* The simulator's data model (README.md, "Simulator"): k is the hour's
 * index, floor(Unix time / 3600), of the hour's start; pipelines 1 and 2. */
#define SPBUS_SIM_EPOCH_HOUR 438288 /* 2020-01-01T00:00Z / 3600 */

gdouble spbus_sim_t (guint seed, guint pipe, gint64 k);
gdouble spbus_sim_p (guint pipe, gint64 k);
gdouble spbus_sim_gm (guint pipe, gint64 k);
gdouble spbus_sim_gv (guint pipe, gint64 k);
gdouble spbus_sim_mass (guint pipe, gint64 k);
gdouble spbus_sim_volume (guint pipe, gint64 k);

G_END_DECLS
