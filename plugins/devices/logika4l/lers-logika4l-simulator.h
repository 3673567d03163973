/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

#include <lers.h>

G_BEGIN_DECLS

/**
 * LersLogika4lSimulator:
 *
 * A simulated Logika СПТ943 (two heat inputs) or СПТ941 (models 10, 11)
 * on the 4L protocol. Its data model is in the plugin's README.md.
 *
 * Since: 0.4
 */
#define LERS_TYPE_LOGIKA4L_SIMULATOR (lers_logika4l_simulator_get_type ())
G_DECLARE_FINAL_TYPE (LersLogika4lSimulator, lers_logika4l_simulator, LERS, LOGIKA4L_SIMULATOR,
                      GObject)

void lers_logika4l_simulator_register (GTypeModule *module);
LersLogika4lSimulator *lers_logika4l_simulator_new (const gchar *serial_number, guint address,
                                                    guint seed);
/* answers one request as the device would: the reply bytes, or NULL for
 * none (also for the test vectors) */
GBytes *lers_logika4l_simulator_answer (LersLogika4lSimulator *self, const guint8 *frame,
                                        gsize len);

G_END_DECLS
