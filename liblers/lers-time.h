/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

#if !defined(__LERS_H_INSIDE__) && !defined(LERS_COMPILATION)
#error "Only <lers.h> can be included directly."
#endif

#include <glib.h>

#include "model/lers-enums.h"

G_BEGIN_DECLS

GDateTime *lers_time_parse (const gchar *text);
GTimeZone *lers_time_zone_new (const gchar *identifier, GError **error);
GDateTime *lers_time_parse_local (const gchar *text, GTimeZone *zone);
gchar *lers_time_format (GDateTime *time, GTimeZone *zone);
GDateTime *lers_time_get_period_start (LersArchiveKind kind, GDateTime *time, GTimeZone *zone,
                                       guint reporting_hour, guint reporting_day);
GDateTime *lers_time_get_period_end (LersArchiveKind kind, GDateTime *time, GTimeZone *zone,
                                     guint reporting_hour, guint reporting_day);

G_END_DECLS
