/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

#if !defined(__LERS_H_INSIDE__) && !defined(LERS_COMPILATION)
#error "Only <lers.h> can be included directly."
#endif

#include <gio/gio.h>

#include "lers-clock.h"
#include "protocol/lers-gprs-handshake.h"

G_BEGIN_DECLS

#define LERS_TYPE_GPRS_SERVER (lers_gprs_server_get_type ())
G_DECLARE_FINAL_TYPE (LersGprsServer, lers_gprs_server, LERS, GPRS_SERVER, GObject)

LersGprsServer *lers_gprs_server_new (void);
gboolean lers_gprs_server_listen (LersGprsServer *self, const gchar *address, guint16 port,
                                  GError **error);
guint16 lers_gprs_server_get_port (LersGprsServer *self);
void lers_gprs_server_stop (LersGprsServer *self);
LersGprsHandshake *lers_gprs_server_get_handshake (LersGprsServer *self);
void lers_gprs_server_set_handshake (LersGprsServer *self, LersGprsHandshake *rule);
void lers_gprs_server_add_modem (LersGprsServer *self, const gchar *identity);
gboolean lers_gprs_server_remove_modem (LersGprsServer *self, const gchar *identity);
gboolean lers_gprs_server_has_modem (LersGprsServer *self, const gchar *identity);
guint lers_gprs_server_get_n_sessions (LersGprsServer *self);
LersClock *lers_gprs_server_get_clock (LersGprsServer *self);
void lers_gprs_server_set_clock (LersGprsServer *self, LersClock *clock);
guint lers_gprs_server_get_handshake_timeout_ms (LersGprsServer *self);
void lers_gprs_server_set_handshake_timeout_ms (LersGprsServer *self, guint value);
guint lers_gprs_server_get_idle_timeout_ms (LersGprsServer *self);
void lers_gprs_server_set_idle_timeout_ms (LersGprsServer *self, guint value);
guint lers_gprs_server_get_max_session_ms (LersGprsServer *self);
void lers_gprs_server_set_max_session_ms (LersGprsServer *self, guint value);

G_END_DECLS
