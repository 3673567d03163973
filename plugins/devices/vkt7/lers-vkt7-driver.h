/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

#include <lers.h>

G_BEGIN_DECLS

/**
 * LersVkt7Driver:
 *
 * Reads ВКТ-7 heat computers (Teplokom) over a #LersTransport. See the
 * plugin's README.md.
 *
 * Since: 0.4
 */
#define LERS_TYPE_VKT7_DRIVER (lers_vkt7_driver_get_type ())
G_DECLARE_FINAL_TYPE (LersVkt7Driver, lers_vkt7_driver, LERS, VKT7_DRIVER, GObject)

void lers_vkt7_driver_register (GTypeModule *module);
LersVkt7Driver *lers_vkt7_driver_new (void);

G_END_DECLS
