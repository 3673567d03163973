/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

#include <lers.h>

#include "tv7-data.h"

G_BEGIN_DECLS

/**
 * LersTv7Simulator:
 *
 * A simulated ТВ7 heat computer with two heat inputs, served on a
 * #GIOStream. Its data model is in README.md ("Simulator").
 *
 * Since: 0.4
 */
#define LERS_TYPE_TV7_SIMULATOR (lers_tv7_simulator_get_type ())
G_DECLARE_FINAL_TYPE (LersTv7Simulator, lers_tv7_simulator, LERS, TV7_SIMULATOR, GObject)

void lers_tv7_simulator_register (GTypeModule *module);

/* plugin-internal: the reply to one request frame, NULL for silence */
GBytes *lers_tv7_simulator_answer (LersTv7Simulator *self, const guint8 *request, gsize len);

G_END_DECLS
