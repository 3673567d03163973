/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The thin module: registers the driver and the simulator with libpeas. */
#include <libpeas/peas.h>
#include <lers.h>

#include "lers-logika4l-driver.h"
#include "lers-logika4l-session.h"
#include "lers-logika4l-simulator.h"

G_MODULE_EXPORT void peas_register_types (PeasObjectModule *module);

/**
 * peas_register_types:
 * @module: the module libpeas loaded
 *
 * Registers #LersLogika4lDriver as a #LersDeviceDriver and
 * #LersLogika4lSimulator as a #LersDeviceSimulator.
 *
 * Since: 0.4
 */
G_MODULE_EXPORT void
peas_register_types (PeasObjectModule *module)
{
  lers_logika4l_driver_register (G_TYPE_MODULE (module));
  lers_logika4l_simulator_register (G_TYPE_MODULE (module));
  lers_logika4l_session_register (G_TYPE_MODULE (module));
  peas_object_module_register_extension_type (module, LERS_TYPE_DEVICE_DRIVER,
                                              LERS_TYPE_LOGIKA4L_DRIVER);
  peas_object_module_register_extension_type (module, LERS_TYPE_DEVICE_SIMULATOR,
                                              LERS_TYPE_LOGIKA4L_SIMULATOR);
}
