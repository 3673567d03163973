/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

#if !defined(__LERS_H_INSIDE__) && !defined(LERS_COMPILATION)
#error "Only <lers.h> can be included directly."
#endif

#include <glib-object.h>

#include "model/lers-enums.h"

G_BEGIN_DECLS

#define LERS_TYPE_NODE (lers_node_get_type ())
G_DECLARE_FINAL_TYPE (LersNode, lers_node, LERS, NODE, GObject)

LersNode *lers_node_new (void);
gint64 lers_node_get_id (LersNode *self);
void lers_node_set_id (LersNode *self, gint64 id);
const gchar *lers_node_get_title (LersNode *self);
void lers_node_set_title (LersNode *self, const gchar *title);
const gchar *lers_node_get_address (LersNode *self);
void lers_node_set_address (LersNode *self, const gchar *address);
const gchar *lers_node_get_number (LersNode *self);
void lers_node_set_number (LersNode *self, const gchar *number);
LersNodeType lers_node_get_node_type (LersNode *self);
void lers_node_set_node_type (LersNode *self, LersNodeType node_type);
gdouble lers_node_get_latitude (LersNode *self);
void lers_node_set_latitude (LersNode *self, gdouble latitude);
gdouble lers_node_get_longitude (LersNode *self);
void lers_node_set_longitude (LersNode *self, gdouble longitude);
const gchar *lers_node_get_customer (LersNode *self);
void lers_node_set_customer (LersNode *self, const gchar *customer);
const gchar *lers_node_get_contract (LersNode *self);
void lers_node_set_contract (LersNode *self, const gchar *contract);
const gchar *lers_node_get_temperature_schedule (LersNode *self);
void lers_node_set_temperature_schedule (LersNode *self, const gchar *temperature_schedule);
const gchar *lers_node_get_comment (LersNode *self);
void lers_node_set_comment (LersNode *self, const gchar *comment);
const gchar *const *lers_node_get_groups (LersNode *self);
void lers_node_set_groups (LersNode *self, const gchar *const *groups);
gint64 lers_node_get_territory_id (LersNode *self);
void lers_node_set_territory_id (LersNode *self, gint64 territory_id);

G_END_DECLS
