/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

#include <lers.h>

#include "vkt7-data.h"

G_BEGIN_DECLS

/* the НС state of one hour of one heat input */
typedef struct
{
  gint64 start; /* Unix seconds */
  guint channel;
  gboolean flag;          /* NSPrint said "*" */
  gboolean has_durations; /* QntNS was read */
  gdouble durations[VKT7_N_NS_KINDS];
} Vkt7NsHour;

GPtrArray *vkt7_events_build (GArray *hours, GTimeZone *zone);
LersParameter vkt7_ns_parameter (guint kind);

G_END_DECLS
