/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

#include <lers.h>

G_BEGIN_DECLS

/**
 * LersLogikam4Simulator:
 *
 * A simulated Logika M4 meter (СПТ944 by default; property `model`): it
 * answers the session, parameter, archive and clock requests of the M4
 * protocol with data from the model in README.md ("Simulator").
 */
#define LERS_TYPE_LOGIKAM4_SIMULATOR (lers_logikam4_simulator_get_type ())
G_DECLARE_FINAL_TYPE (LersLogikam4Simulator, lers_logikam4_simulator, LERS, LOGIKAM4_SIMULATOR,
                      GObject)

void lers_logikam4_simulator_register (GTypeModule *module);
GBytes *lers_logikam4_simulator_handle (LersLogikam4Simulator *self, const guint8 *frame,
                                        gsize len);

G_END_DECLS
