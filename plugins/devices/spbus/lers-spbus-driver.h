/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

#include <lers.h>

G_BEGIN_DECLS

/**
 * LersSpbusDriver:
 *
 * Reads Logika СПТ961 / СПГ761 family devices over СПСеть (SPBus): current
 * values, totals, hour and day archives by parameter number. See the
 * plugin's README.md for what is established and what is inferred.
 */
#define LERS_TYPE_SPBUS_DRIVER (lers_spbus_driver_get_type ())
G_DECLARE_FINAL_TYPE (LersSpbusDriver, lers_spbus_driver, LERS, SPBUS_DRIVER, GObject)

void lers_spbus_driver_register (GTypeModule *module);
LersSpbusDriver *lers_spbus_driver_new (void);

G_END_DECLS
