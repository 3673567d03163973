/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

#include <lers.h>

G_BEGIN_DECLS

/**
 * LersLogika4lDriver:
 *
 * Reads Logika СПТ941, СПТ942 and СПТ943 heat computers over their "4L"
 * protocol. See the plugin's README.md.
 *
 * Since: 0.4
 */
#define LERS_TYPE_LOGIKA4L_DRIVER (lers_logika4l_driver_get_type ())
G_DECLARE_FINAL_TYPE (LersLogika4lDriver, lers_logika4l_driver, LERS, LOGIKA4L_DRIVER, GObject)

void lers_logika4l_driver_register (GTypeModule *module);
LersLogika4lDriver *lers_logika4l_driver_new (void);

/* a frame as JSON text (plugin-internal: `lers decode logika4l`) */
gchar *l4l_describe_frame (const guint8 *bytes, gsize len, GError **error);

G_END_DECLS
