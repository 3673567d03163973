/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The simulator's data model (README.md "Simulator"): values of one
 * period of one heat input, deterministic from the seed. */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

#define L4L_SIM_HOUR_DEPTH 1500 /* hours: 62.5 days */
#define L4L_SIM_DAY_DEPTH 365
#define L4L_SIM_MONTH_DEPTH 100

typedef struct
{
  gdouble p1, p2, t1, t2, t3, tx, tv;
  gdouble v1, v2, v3, m1, m2, m3, q, ti, qg;
  guint32 ns;
} L4lSimValues;

void l4l_sim_hour (guint seed, guint channel, gint64 start, gint64 clock, L4lSimValues *out);
/* sums and means over [start, end) of whole hours */
void l4l_sim_span (guint seed, guint channel, gint64 start, gint64 end, gint64 clock,
                   L4lSimValues *out);
/* the start of the day with the seed's НС hours */
gint64 l4l_sim_ns_day (guint seed, gint64 clock);

G_END_DECLS
