/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

#if !defined(__LERS_H_INSIDE__) && !defined(LERS_COMPILATION)
#error "Only <lers.h> can be included directly."
#endif

#include <glib.h>

G_BEGIN_DECLS

gboolean lers_json_append_double (GString *string, gdouble value);
void lers_json_append_string (GString *string, const gchar *value);
void lers_json_append_nullable_string (GString *string, const gchar *value);
void lers_json_append_time (GString *string, GDateTime *time, GTimeZone *zone);

G_END_DECLS
