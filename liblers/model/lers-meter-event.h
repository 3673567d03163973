/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

#if !defined(__LERS_H_INSIDE__) && !defined(LERS_COMPILATION)
#error "Only <lers.h> can be included directly."
#endif

#include <glib-object.h>

#include "model/lers-enums.h"

G_BEGIN_DECLS

#define LERS_TYPE_METER_EVENT (lers_meter_event_get_type ())
G_DECLARE_FINAL_TYPE (LersMeterEvent, lers_meter_event, LERS, METER_EVENT, GObject)

LersMeterEvent *lers_meter_event_new (const gchar *code, GDateTime *start);
gint64 lers_meter_event_get_id (LersMeterEvent *self);
void lers_meter_event_set_id (LersMeterEvent *self, gint64 id);
gint64 lers_meter_event_get_point_id (LersMeterEvent *self);
void lers_meter_event_set_point_id (LersMeterEvent *self, gint64 point_id);
gint64 lers_meter_event_get_device_id (LersMeterEvent *self);
void lers_meter_event_set_device_id (LersMeterEvent *self, gint64 device_id);
guint lers_meter_event_get_channel (LersMeterEvent *self);
void lers_meter_event_set_channel (LersMeterEvent *self, guint channel);
const gchar *lers_meter_event_get_code (LersMeterEvent *self);
void lers_meter_event_set_code (LersMeterEvent *self, const gchar *code);
gint lers_meter_event_get_device_code (LersMeterEvent *self);
void lers_meter_event_set_device_code (LersMeterEvent *self, gint device_code);
const gchar *lers_meter_event_get_text (LersMeterEvent *self);
void lers_meter_event_set_text (LersMeterEvent *self, const gchar *text);
GDateTime *lers_meter_event_get_start (LersMeterEvent *self);
void lers_meter_event_set_start (LersMeterEvent *self, GDateTime *start);
GDateTime *lers_meter_event_get_end (LersMeterEvent *self);
void lers_meter_event_set_end (LersMeterEvent *self, GDateTime *end);
LersMeterEventSeverity lers_meter_event_get_severity (LersMeterEvent *self);
void lers_meter_event_set_severity (LersMeterEvent *self, LersMeterEventSeverity severity);
void lers_meter_event_append_json (LersMeterEvent *self, GString *out, GTimeZone *zone);

G_END_DECLS
