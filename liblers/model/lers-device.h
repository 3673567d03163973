/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

#if !defined(__LERS_H_INSIDE__) && !defined(LERS_COMPILATION)
#error "Only <lers.h> can be included directly."
#endif

#include <glib-object.h>

#include "model/lers-enums.h"

G_BEGIN_DECLS

#define LERS_TYPE_DEVICE (lers_device_get_type ())
G_DECLARE_FINAL_TYPE (LersDevice, lers_device, LERS, DEVICE, GObject)

LersDevice *lers_device_new (void);
gint64 lers_device_get_id (LersDevice *self);
void lers_device_set_id (LersDevice *self, gint64 id);
const gchar *lers_device_get_protocol (LersDevice *self);
void lers_device_set_protocol (LersDevice *self, const gchar *protocol);
const gchar *lers_device_get_model (LersDevice *self);
void lers_device_set_model (LersDevice *self, const gchar *model);
const gchar *lers_device_get_serial_number (LersDevice *self);
void lers_device_set_serial_number (LersDevice *self, const gchar *serial_number);
const gchar *lers_device_get_network_address (LersDevice *self);
void lers_device_set_network_address (LersDevice *self, const gchar *network_address);
const gchar *lers_device_get_password (LersDevice *self);
void lers_device_set_password (LersDevice *self, const gchar *password);
GDateTime *lers_device_get_calibration_date (LersDevice *self);
void lers_device_set_calibration_date (LersDevice *self, GDateTime *calibration_date);
guint lers_device_get_calibration_interval (LersDevice *self);
void lers_device_set_calibration_interval (LersDevice *self, guint calibration_interval);
gint64 lers_device_get_connection_id (LersDevice *self);
void lers_device_set_connection_id (LersDevice *self, gint64 connection_id);
const gchar *lers_device_get_clock_zone (LersDevice *self);
void lers_device_set_clock_zone (LersDevice *self, const gchar *clock_zone);
GTimeZone *lers_device_get_effective_clock_zone (LersDevice *self);
void lers_device_set_effective_clock_zone (LersDevice *self, GTimeZone *zone);
GTimeZone *lers_device_dup_clock_time_zone (LersDevice *self);
const gchar *lers_device_get_option (LersDevice *self, const gchar *key);
void lers_device_set_option (LersDevice *self, const gchar *key, const gchar *value);
gchar *lers_device_dup_options (LersDevice *self);
gboolean lers_device_set_options (LersDevice *self, const gchar *json, GError **error);

G_END_DECLS
