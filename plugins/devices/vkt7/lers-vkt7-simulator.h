/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

#include <lers.h>

G_BEGIN_DECLS

/**
 * LersVkt7Simulator:
 *
 * A simulated ВКТ-7 heat computer with one or two heat inputs; its data
 * model is described in the plugin's README.md.
 *
 * Since: 0.4
 */
#define LERS_TYPE_VKT7_SIMULATOR (lers_vkt7_simulator_get_type ())
G_DECLARE_FINAL_TYPE (LersVkt7Simulator, lers_vkt7_simulator, LERS, VKT7_SIMULATOR, GObject)

void lers_vkt7_simulator_register (GTypeModule *module);
LersVkt7Simulator *lers_vkt7_simulator_new (const gchar *serial_number, guint address, guint seed);

/* the simulator's data model, for the benchmark and the simulator's own
 * code (tests work their values out from README.md instead) */
typedef struct
{
  gint32 t1, t2, dt, p1, p2, tx, ta; /* ×100 */
  gint32 v1, v2, m1, m2, mg;         /* ×100 */
  gint32 q;                          /* ×1000 */
  gint32 hours_ok, hours_stop;
  guint16 ns[5];
  gboolean ns_flag;
} Vkt7SimRow;

void vkt7_sim_hour (guint seed, guint channel, gint64 hour, Vkt7SimRow *row);

G_END_DECLS
