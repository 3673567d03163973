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

G_END_DECLS
