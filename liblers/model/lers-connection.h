/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

#if !defined(__LERS_H_INSIDE__) && !defined(LERS_COMPILATION)
#error "Only <lers.h> can be included directly."
#endif

#include <glib-object.h>

#include "model/lers-enums.h"

G_BEGIN_DECLS

#define LERS_TYPE_CONNECTION (lers_connection_get_type ())
G_DECLARE_FINAL_TYPE (LersConnection, lers_connection, LERS, CONNECTION, GObject)

LersConnection *lers_connection_new (void);
gint64 lers_connection_get_id (LersConnection *self);
void lers_connection_set_id (LersConnection *self, gint64 id);
const gchar *lers_connection_get_title (LersConnection *self);
void lers_connection_set_title (LersConnection *self, const gchar *title);
LersConnectionKind lers_connection_get_kind (LersConnection *self);
void lers_connection_set_kind (LersConnection *self, LersConnectionKind kind);
const gchar *lers_connection_get_host (LersConnection *self);
void lers_connection_set_host (LersConnection *self, const gchar *host);
guint lers_connection_get_port (LersConnection *self);
void lers_connection_set_port (LersConnection *self, guint port);
guint lers_connection_get_timeout (LersConnection *self);
void lers_connection_set_timeout (LersConnection *self, guint timeout);

G_END_DECLS
