/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

#include <lers.h>

G_BEGIN_DECLS

/**
 * LersPulsarDriver:
 *
 * Reads Pulsar-M pulse counters (Пульсар-2М … 16М, 16РМ-М, 24М) over a
 * #LersTransport: current readings, the clock, hour, day and month
 * archives per channel. See the plugin's README.md.
 */
#define LERS_TYPE_PULSAR_DRIVER (lers_pulsar_driver_get_type ())
G_DECLARE_FINAL_TYPE (LersPulsarDriver, lers_pulsar_driver, LERS, PULSAR_DRIVER, GObject)

void lers_pulsar_driver_register (GTypeModule *module);
LersPulsarDriver *lers_pulsar_driver_new (void);
guint pulsar_model_channels (const gchar *model);
gboolean pulsar_model_marks_no_power (const gchar *model);

G_END_DECLS
