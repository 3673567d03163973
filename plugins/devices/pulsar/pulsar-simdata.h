/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* 2020-01-01T00:00Z: the simulated counters start there */
#define PULSAR_SIM_EPOCH G_GINT64_CONSTANT (1577836800)
#define PULSAR_SIM_HOUR_DEPTH (62 * 24)
#define PULSAR_SIM_DAY_DEPTH 400
#define PULSAR_SIM_MONTH_DEPTH 36

gdouble pulsar_sim_reading (guint seed, guint channel, gint64 unix_time);
gboolean pulsar_sim_no_power (guint seed, gint64 now, gint64 slot_time);
guint8 pulsar_sim_diagnostics (guint seed);

G_END_DECLS
