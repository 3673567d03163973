/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

#if !defined(__LERS_H_INSIDE__) && !defined(LERS_COMPILATION)
#error "Only <lers.h> can be included directly."
#endif

#include <glib-object.h>

G_BEGIN_DECLS

#define LERS_TYPE_TERRITORY (lers_territory_get_type ())
G_DECLARE_FINAL_TYPE (LersTerritory, lers_territory, LERS, TERRITORY, GObject)

LersTerritory *lers_territory_new (void);
gint64 lers_territory_get_id (LersTerritory *self);
void lers_territory_set_id (LersTerritory *self, gint64 id);
const gchar *lers_territory_get_title (LersTerritory *self);
void lers_territory_set_title (LersTerritory *self, const gchar *title);
gint64 lers_territory_get_parent_id (LersTerritory *self);
void lers_territory_set_parent_id (LersTerritory *self, gint64 parent_id);
const gchar *lers_territory_get_time_zone (LersTerritory *self);
void lers_territory_set_time_zone (LersTerritory *self, const gchar *time_zone);

G_END_DECLS
