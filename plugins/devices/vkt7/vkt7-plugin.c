/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The thin module: registers the driver and the simulator with libpeas. */
#include <libpeas/peas.h>
#include <lers.h>

#include "lers-vkt7-driver.h"
#include "lers-vkt7-session.h"
#include "lers-vkt7-simulator.h"

G_MODULE_EXPORT void peas_register_types (PeasObjectModule *module);

G_MODULE_EXPORT void
peas_register_types (PeasObjectModule *module)
{
  lers_vkt7_driver_register (G_TYPE_MODULE (module));
  lers_vkt7_simulator_register (G_TYPE_MODULE (module));
  lers_vkt7_session_register (G_TYPE_MODULE (module));
  peas_object_module_register_extension_type (module, LERS_TYPE_DEVICE_DRIVER,
                                              LERS_TYPE_VKT7_DRIVER);
  peas_object_module_register_extension_type (module, LERS_TYPE_DEVICE_SIMULATOR,
                                              LERS_TYPE_VKT7_SIMULATOR);
}
