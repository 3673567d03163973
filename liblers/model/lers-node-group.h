/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

#if !defined(__LERS_H_INSIDE__) && !defined(LERS_COMPILATION)
#error "Only <lers.h> can be included directly."
#endif

#include <glib-object.h>

#include "model/lers-enums.h"

G_BEGIN_DECLS

/* A node group (группа объектов; table node_groups): an id, a title and a
 * comment. Its nodes are those whose LersNode:groups name its title.
 * Registered with the generic store. */
#define LERS_TYPE_NODE_GROUP (lers_node_group_get_type ())
G_DECLARE_FINAL_TYPE (LersNodeGroup, lers_node_group, LERS, NODE_GROUP, GObject)

LersNodeGroup *lers_node_group_new (void);
gint64 lers_node_group_get_id (LersNodeGroup *self);
void lers_node_group_set_id (LersNodeGroup *self, gint64 id);
const gchar *lers_node_group_get_title (LersNodeGroup *self);
void lers_node_group_set_title (LersNodeGroup *self, const gchar *title);
const gchar *lers_node_group_get_comment (LersNodeGroup *self);
void lers_node_group_set_comment (LersNodeGroup *self, const gchar *comment);

G_END_DECLS
