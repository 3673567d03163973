/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

#if !defined(__LERS_H_INSIDE__) && !defined(LERS_COMPILATION)
#error "Only <lers.h> can be included directly."
#endif

#include <gio/gio.h>

#include "notify/lers-notifier.h"
#include "protocol/lers-device-driver.h"
#include "protocol/lers-device-simulator.h"
#include "report/lers-report-backend.h"

G_BEGIN_DECLS

#define LERS_TYPE_ENGINE (lers_engine_get_type ())
G_DECLARE_FINAL_TYPE (LersEngine, lers_engine, LERS, ENGINE, GObject)

LersEngine *lers_engine_new (void);
GStrv lers_engine_get_search_paths (LersEngine *self);
GStrv lers_engine_list_plugins (LersEngine *self);
gboolean lers_engine_load_plugin (LersEngine *self, const gchar *name, GError **error);
const gchar *lers_engine_get_plugin_version (LersEngine *self, const gchar *name);
const gchar *lers_engine_get_plugin_description (LersEngine *self, const gchar *name);
const gchar *lers_engine_get_plugin_loader (LersEngine *self, const gchar *name);
GStrv lers_engine_get_plugin_provides (LersEngine *self, const gchar *name, GError **error);
LersDeviceDriver *lers_engine_get_device_driver (LersEngine *self, const gchar *protocol,
                                                 GError **error);
LersDeviceSimulator *lers_engine_create_device_simulator (LersEngine *self, const gchar *protocol,
                                                          const gchar *serial_number, guint address,
                                                          guint seed, GError **error);
LersReportBackend *lers_engine_get_report_backend (LersEngine *self, const gchar *format,
                                                   GError **error);
LersNotifier *lers_engine_get_notifier (LersEngine *self, const gchar *channel, GError **error);

G_END_DECLS
