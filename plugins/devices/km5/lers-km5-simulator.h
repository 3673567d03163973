/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

#include <lers.h>

G_BEGIN_DECLS

#define LERS_TYPE_KM5_SIMULATOR (lers_km5_simulator_get_type ())
G_DECLARE_FINAL_TYPE (LersKm5Simulator, lers_km5_simulator, LERS, KM5_SIMULATOR, GObject)

void lers_km5_simulator_register (GTypeModule *module);
LersKm5Simulator *lers_km5_simulator_new (const gchar *serial_number, guint address, guint seed);
GBytes *lers_km5_simulator_answer (LersKm5Simulator *self, const guint8 *request, gsize len);

G_END_DECLS
