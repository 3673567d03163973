/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

#if !defined(__LERS_H_INSIDE__) && !defined(LERS_COMPILATION)
#error "Only <lers.h> can be included directly."
#endif

#include <glib-object.h>

G_BEGIN_DECLS

/* A row of link_sessions: one session on a link (a TCP connection, a modem
 * call, a GPRS modem's visit). Properties: id, connection-id, service-id,
 * started, ended (GDateTime), bytes-in, bytes-out (guint64), end-reason
 * ("done", "error", "cancelled", "idle", "replaced", "hangup", …), error
 * (nullable text), signal-level (gint dBm; 0: not reported), firmware,
 * sim-id, modem-identity (nullable). Duration is ended − started. */
#define LERS_TYPE_LINK_SESSION (lers_link_session_get_type ())
G_DECLARE_FINAL_TYPE (LersLinkSession, lers_link_session, LERS, LINK_SESSION, GObject)

LersLinkSession *lers_link_session_new (gint64 connection_id, GDateTime *started);
gint64 lers_link_session_get_id (LersLinkSession *self);
void lers_link_session_set_id (LersLinkSession *self, gint64 id);
gint64 lers_link_session_get_connection_id (LersLinkSession *self);
gint64 lers_link_session_get_service_id (LersLinkSession *self);
void lers_link_session_set_service_id (LersLinkSession *self, gint64 service_id);
GDateTime *lers_link_session_get_started (LersLinkSession *self);
GDateTime *lers_link_session_get_ended (LersLinkSession *self);
void lers_link_session_set_ended (LersLinkSession *self, GDateTime *ended);
guint64 lers_link_session_get_bytes_in (LersLinkSession *self);
guint64 lers_link_session_get_bytes_out (LersLinkSession *self);
void lers_link_session_set_bytes (LersLinkSession *self, guint64 bytes_in, guint64 bytes_out);
const gchar *lers_link_session_get_end_reason (LersLinkSession *self);
void lers_link_session_set_end_reason (LersLinkSession *self, const gchar *end_reason);
const gchar *lers_link_session_get_error (LersLinkSession *self);
void lers_link_session_set_error (LersLinkSession *self, const gchar *error);
gint lers_link_session_get_signal_level (LersLinkSession *self);
void lers_link_session_set_signal_level (LersLinkSession *self, gint signal_level);
const gchar *lers_link_session_get_firmware (LersLinkSession *self);
void lers_link_session_set_firmware (LersLinkSession *self, const gchar *firmware);
const gchar *lers_link_session_get_sim_id (LersLinkSession *self);
void lers_link_session_set_sim_id (LersLinkSession *self, const gchar *sim_id);
const gchar *lers_link_session_get_modem_identity (LersLinkSession *self);
void lers_link_session_set_modem_identity (LersLinkSession *self, const gchar *modem_identity);
void lers_link_session_append_json (LersLinkSession *self, GString *out, GTimeZone *zone);

G_END_DECLS
