/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The thin module: registers the driver and the simulator with libpeas. */
#include <libpeas/peas.h>
#include <lers.h>

#include "lers-mbus-driver.h"
#include "lers-mbus-session.h"
#include "lers-mbus-simulator.h"

G_MODULE_EXPORT void peas_register_types (PeasObjectModule *module);

/**
 * peas_register_types:
 * @module: the module libpeas loaded
 *
 * Registers #LersMbusDriver as a #LersDeviceDriver and #LersMbusSimulator
 * as a #LersDeviceSimulator.
 *
 * Since: 0.1
 */
G_MODULE_EXPORT void
peas_register_types (PeasObjectModule *module)
{
  lers_mbus_driver_register (G_TYPE_MODULE (module));
  lers_mbus_simulator_register (G_TYPE_MODULE (module));
  lers_mbus_session_register (G_TYPE_MODULE (module));
  peas_object_module_register_extension_type (module, LERS_TYPE_DEVICE_DRIVER,
                                              LERS_TYPE_MBUS_DRIVER);
  peas_object_module_register_extension_type (module, LERS_TYPE_DEVICE_SIMULATOR,
                                              LERS_TYPE_MBUS_SIMULATOR);
}
