/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

#include <lers.h>

G_BEGIN_DECLS

/**
 * LersSpbusSimulator:
 *
 * A simulated Logika СПТ961 on СПСеть: supply and return pipelines (1 and
 * 2, and 3 and 4 with two heat inputs) whose values follow spbus-simdata.c, the common channel 0
 * with the constants of GMIO's captured answers, an hour archive of 64 days and a day archive of
 * 400 days ending at its clock.
 */
#define LERS_TYPE_SPBUS_SIMULATOR (lers_spbus_simulator_get_type ())
G_DECLARE_FINAL_TYPE (LersSpbusSimulator, lers_spbus_simulator, LERS, SPBUS_SIMULATOR, GObject)

void lers_spbus_simulator_register (GTypeModule *module);
LersSpbusSimulator *lers_spbus_simulator_new (const gchar *serial_number, guint address,
                                              guint seed);
GBytes *lers_spbus_simulator_answer (LersSpbusSimulator *self, const guint8 *data, gsize len);

G_END_DECLS
