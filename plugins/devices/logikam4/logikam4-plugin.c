/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The thin module: registers the driver and the simulator with libpeas. */
#include <libpeas/peas.h>
#include <lers.h>

#include "lers-logikam4-driver.h"
#include "lers-logikam4-session.h"
#include "lers-logikam4-simulator.h"

G_MODULE_EXPORT void peas_register_types (PeasObjectModule *module);

/**
 * peas_register_types:
 * @module: the module libpeas loaded
 *
 * Registers #LersLogikam4Driver as a #LersDeviceDriver and
 * #LersLogikam4Simulator as a #LersDeviceSimulator.
 */
G_MODULE_EXPORT void
peas_register_types (PeasObjectModule *module)
{
  lers_logikam4_driver_register (G_TYPE_MODULE (module));
  lers_logikam4_simulator_register (G_TYPE_MODULE (module));
  lers_logikam4_session_register (G_TYPE_MODULE (module));
  peas_object_module_register_extension_type (module, LERS_TYPE_DEVICE_DRIVER,
                                              LERS_TYPE_LOGIKAM4_DRIVER);
  peas_object_module_register_extension_type (module, LERS_TYPE_DEVICE_SIMULATOR,
                                              LERS_TYPE_LOGIKAM4_SIMULATOR);
}
