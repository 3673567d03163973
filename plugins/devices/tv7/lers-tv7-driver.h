/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

#include <lers.h>

G_BEGIN_DECLS

/**
 * LersTv7Driver:
 *
 * Reads ТВ7 heat computers (Термотроник) over a #LersTransport. See the
 * plugin's README.md.
 *
 * Since: 0.4
 */
#define LERS_TYPE_TV7_DRIVER (lers_tv7_driver_get_type ())
G_DECLARE_FINAL_TYPE (LersTv7Driver, lers_tv7_driver, LERS, TV7_DRIVER, GObject)

void lers_tv7_driver_register (GTypeModule *module);
LersTv7Driver *lers_tv7_driver_new (void);

G_END_DECLS
