/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

#include <lers.h>

G_BEGIN_DECLS

/**
 * LersLogikam4Driver:
 *
 * Reads Logika heat computers (СПТ944, СПТ941.20, СПТ943 rev. 3) and the
 * СПГ742 gas corrector over the M4 protocol. See the plugin's README.md.
 */
#define LERS_TYPE_LOGIKAM4_DRIVER (lers_logikam4_driver_get_type ())
G_DECLARE_FINAL_TYPE (LersLogikam4Driver, lers_logikam4_driver, LERS, LOGIKAM4_DRIVER, GObject)

void lers_logikam4_driver_register (GTypeModule *module);

G_END_DECLS
