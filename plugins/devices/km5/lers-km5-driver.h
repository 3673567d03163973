/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

#include <lers.h>

G_BEGIN_DECLS

/**
 * LersKm5Driver:
 *
 * The КМ-5 / РМ-5 (ТБН Энергосервис) protocol family: models, frame
 * decoding, sessions.
 */
#define LERS_TYPE_KM5_DRIVER (lers_km5_driver_get_type ())
G_DECLARE_FINAL_TYPE (LersKm5Driver, lers_km5_driver, LERS, KM5_DRIVER, GObject)

void lers_km5_driver_register (GTypeModule *module);

G_END_DECLS
