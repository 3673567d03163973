/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

#include <lers.h>

G_BEGIN_DECLS

/**
 * LersMbusSimulator:
 *
 * A simulated M-Bus heat meter that serves current values and a 62-day
 * hour archive, deterministic from #LersMbusSimulator:seed.
 *
 * Since: 0.1
 */
#define LERS_TYPE_MBUS_SIMULATOR (lers_mbus_simulator_get_type ())
G_DECLARE_FINAL_TYPE (LersMbusSimulator, lers_mbus_simulator, LERS, MBUS_SIMULATOR, GObject)

void lers_mbus_simulator_register (GTypeModule *module);
LersMbusSimulator *lers_mbus_simulator_new (const gchar *serial_number, guint address, guint seed);
gboolean lers_mbus_simulator_get_totals (LersMbusSimulator *self, GDateTime *time,
                                         gint64 *energy_wh, gint64 *volume_l);
gboolean lers_mbus_simulator_get_circuit_totals (LersMbusSimulator *self, guint subunit,
                                                 GDateTime *time, gint64 *energy_wh,
                                                 gint64 *volume_l);

G_END_DECLS
