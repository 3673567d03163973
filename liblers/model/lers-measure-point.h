/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

#if !defined(__LERS_H_INSIDE__) && !defined(LERS_COMPILATION)
#error "Only <lers.h> can be included directly."
#endif

#include <glib-object.h>

#include "model/lers-enums.h"

G_BEGIN_DECLS

#define LERS_TYPE_MEASURE_POINT (lers_measure_point_get_type ())
G_DECLARE_FINAL_TYPE (LersMeasurePoint, lers_measure_point, LERS, MEASURE_POINT, GObject)

LersMeasurePoint *lers_measure_point_new (void);
gint64 lers_measure_point_get_id (LersMeasurePoint *self);
void lers_measure_point_set_id (LersMeasurePoint *self, gint64 id);
gint64 lers_measure_point_get_node_id (LersMeasurePoint *self);
void lers_measure_point_set_node_id (LersMeasurePoint *self, gint64 node_id);
const gchar *lers_measure_point_get_title (LersMeasurePoint *self);
void lers_measure_point_set_title (LersMeasurePoint *self, const gchar *title);
LersResource lers_measure_point_get_resource (LersMeasurePoint *self);
void lers_measure_point_set_resource (LersMeasurePoint *self, LersResource resource);
gint64 lers_measure_point_get_device_id (LersMeasurePoint *self);
void lers_measure_point_set_device_id (LersMeasurePoint *self, gint64 device_id);
guint lers_measure_point_get_channel (LersMeasurePoint *self);
void lers_measure_point_set_channel (LersMeasurePoint *self, guint channel);
guint lers_measure_point_get_poll_interval (LersMeasurePoint *self);
void lers_measure_point_set_poll_interval (LersMeasurePoint *self, guint poll_interval);
guint lers_measure_point_get_poll_offset (LersMeasurePoint *self);
void lers_measure_point_set_poll_offset (LersMeasurePoint *self, guint poll_offset);
guint lers_measure_point_get_reporting_hour (LersMeasurePoint *self);
void lers_measure_point_set_reporting_hour (LersMeasurePoint *self, guint reporting_hour);
guint lers_measure_point_get_reporting_day (LersMeasurePoint *self);
void lers_measure_point_set_reporting_day (LersMeasurePoint *self, guint reporting_day);

G_END_DECLS
