/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

#include <lers.h>

#include "mbus-data.h"

G_BEGIN_DECLS

/**
 * LersMbusDriver:
 *
 * Reads wired M-Bus meters (EN 13757-2/-3) over a #LersTransport: the hour
 * archive, current values and totals. See the plugin's README.md.
 *
 * Since: 0.1
 */
#define LERS_TYPE_MBUS_DRIVER (lers_mbus_driver_get_type ())
G_DECLARE_FINAL_TYPE (LersMbusDriver, lers_mbus_driver, LERS, MBUS_DRIVER, GObject)

void lers_mbus_driver_register (GTypeModule *module);
LersMbusDriver *lers_mbus_driver_new (void);

/* the model name of a meter's telegram, such as "LRS heat meter v1"
 * (plugin-internal, not exported) */
gchar *mbus_model_name (const MbusData *data);

G_END_DECLS
