/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

#include <lers.h>

G_BEGIN_DECLS

/**
 * LersPulsarSimulator:
 *
 * A simulated Pulsar-M pulse counter: channels of water meters whose
 * readings grow by a documented rule (README.md, "Simulator"), an hour,
 * day and month archive, a clock that can be set, and a few hours without
 * power on a seed-chosen day.
 */
#define LERS_TYPE_PULSAR_SIMULATOR (lers_pulsar_simulator_get_type ())
G_DECLARE_FINAL_TYPE (LersPulsarSimulator, lers_pulsar_simulator, LERS, PULSAR_SIMULATOR, GObject)

void lers_pulsar_simulator_register (GTypeModule *module);
LersPulsarSimulator *lers_pulsar_simulator_new (const gchar *serial_number, guint address,
                                                guint seed);

G_END_DECLS
