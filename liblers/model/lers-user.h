/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

#if !defined(__LERS_H_INSIDE__) && !defined(LERS_COMPILATION)
#error "Only <lers.h> can be included directly."
#endif

#include <glib-object.h>

#include "model/lers-enums.h"

G_BEGIN_DECLS

/* A user of the server (table users). The password hash is not part of the
 * model: LersAccounts sets and checks passwords. Properties: id, login,
 * display-name, email, phone, role (LersUserRole), enabled, language
 * ("ru", "en" or NULL for the server's), created (GDateTime),
 * password-changed (GDateTime, nullable), last-login (GDateTime, nullable).
 * Registered with the generic store (lers-store-models.c), so
 * lers_store_list_sync (store, LERS_TYPE_USER, query, …) lists users with
 * filters, ordering and keyset paging. */
#define LERS_TYPE_USER (lers_user_get_type ())
G_DECLARE_FINAL_TYPE (LersUser, lers_user, LERS, USER, GObject)

LersUser *lers_user_new (void);
gint64 lers_user_get_id (LersUser *self);
void lers_user_set_id (LersUser *self, gint64 id);
const gchar *lers_user_get_login (LersUser *self);
void lers_user_set_login (LersUser *self, const gchar *login);
const gchar *lers_user_get_display_name (LersUser *self);
void lers_user_set_display_name (LersUser *self, const gchar *display_name);
const gchar *lers_user_get_email (LersUser *self);
void lers_user_set_email (LersUser *self, const gchar *email);
const gchar *lers_user_get_phone (LersUser *self);
void lers_user_set_phone (LersUser *self, const gchar *phone);
LersUserRole lers_user_get_role (LersUser *self);
void lers_user_set_role (LersUser *self, LersUserRole role);
gboolean lers_user_get_enabled (LersUser *self);
void lers_user_set_enabled (LersUser *self, gboolean enabled);
const gchar *lers_user_get_language (LersUser *self);
void lers_user_set_language (LersUser *self, const gchar *language);
GDateTime *lers_user_get_created (LersUser *self);
void lers_user_set_created (LersUser *self, GDateTime *created);
GDateTime *lers_user_get_password_changed (LersUser *self);
void lers_user_set_password_changed (LersUser *self, GDateTime *password_changed);
GDateTime *lers_user_get_last_login (LersUser *self);
void lers_user_set_last_login (LersUser *self, GDateTime *last_login);

gboolean lers_user_can_write (LersUser *self);

G_END_DECLS
