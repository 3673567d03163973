/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

#if !defined(__LERS_H_INSIDE__) && !defined(LERS_COMPILATION)
#error "Only <lers.h> can be included directly."
#endif

#include <glib-object.h>

#include "model/lers-enums.h"

G_BEGIN_DECLS

/* One entry of the audit log (table audit_log): id, time (GDateTime),
 * user-id (0 when the user is gone or it was the system), login, action,
 * entity, entity-id, before and after (JSON text or NULL), address.
 * Registered with the generic store (read-only: entries are written by
 * lers_accounts_audit_sync()). */
#define LERS_TYPE_AUDIT_ENTRY (lers_audit_entry_get_type ())
G_DECLARE_FINAL_TYPE (LersAuditEntry, lers_audit_entry, LERS, AUDIT_ENTRY, GObject)

LersAuditEntry *lers_audit_entry_new (void);
gint64 lers_audit_entry_get_id (LersAuditEntry *self);
void lers_audit_entry_set_id (LersAuditEntry *self, gint64 id);
GDateTime *lers_audit_entry_get_time (LersAuditEntry *self);
void lers_audit_entry_set_time (LersAuditEntry *self, GDateTime *time);
gint64 lers_audit_entry_get_user_id (LersAuditEntry *self);
void lers_audit_entry_set_user_id (LersAuditEntry *self, gint64 user_id);
const gchar *lers_audit_entry_get_login (LersAuditEntry *self);
void lers_audit_entry_set_login (LersAuditEntry *self, const gchar *login);
const gchar *lers_audit_entry_get_action (LersAuditEntry *self);
void lers_audit_entry_set_action (LersAuditEntry *self, const gchar *action);
const gchar *lers_audit_entry_get_entity (LersAuditEntry *self);
void lers_audit_entry_set_entity (LersAuditEntry *self, const gchar *entity);
gint64 lers_audit_entry_get_entity_id (LersAuditEntry *self);
void lers_audit_entry_set_entity_id (LersAuditEntry *self, gint64 entity_id);
const gchar *lers_audit_entry_get_before (LersAuditEntry *self);
void lers_audit_entry_set_before (LersAuditEntry *self, const gchar *before);
const gchar *lers_audit_entry_get_after (LersAuditEntry *self);
void lers_audit_entry_set_after (LersAuditEntry *self, const gchar *after);
const gchar *lers_audit_entry_get_address (LersAuditEntry *self);
void lers_audit_entry_set_address (LersAuditEntry *self, const gchar *address);

G_END_DECLS
