/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The thin module: registers the driver and the simulator with libpeas. */
#include <libpeas/peas.h>
#include <lers.h>

#include "lers-spbus-driver.h"
#include "lers-spbus-session.h"
#include "lers-spbus-simulator.h"

G_MODULE_EXPORT void peas_register_types (PeasObjectModule *module);

/**
 * peas_register_types:
 * @module: the module libpeas loaded
 *
 * Registers #LersSpbusDriver as a #LersDeviceDriver and
 * #LersSpbusSimulator as a #LersDeviceSimulator.
 */
G_MODULE_EXPORT void
peas_register_types (PeasObjectModule *module)
{
  lers_spbus_driver_register (G_TYPE_MODULE (module));
  lers_spbus_simulator_register (G_TYPE_MODULE (module));
  lers_spbus_session_register (G_TYPE_MODULE (module));
  peas_object_module_register_extension_type (module, LERS_TYPE_DEVICE_DRIVER,
                                              LERS_TYPE_SPBUS_DRIVER);
  peas_object_module_register_extension_type (module, LERS_TYPE_DEVICE_SIMULATOR,
                                              LERS_TYPE_SPBUS_SIMULATOR);
}
