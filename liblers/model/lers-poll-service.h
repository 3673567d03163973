/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

#if !defined(__LERS_H_INSIDE__) && !defined(LERS_COMPILATION)
#error "Only <lers.h> can be included directly."
#endif

#include <glib-object.h>

G_BEGIN_DECLS

/* A row of poll_services: a polling service (lersd --role=poller).
 * Properties: id, name, authorised, authorised-at, host, version, pid,
 * max-links, started, heartbeat, stopped (nullable GDateTime), jobs-done,
 * jobs-failed, created. */
#define LERS_TYPE_POLL_SERVICE (lers_poll_service_get_type ())
G_DECLARE_FINAL_TYPE (LersPollService, lers_poll_service, LERS, POLL_SERVICE, GObject)

LersPollService *lers_poll_service_new (void);
gint64 lers_poll_service_get_id (LersPollService *self);
const gchar *lers_poll_service_get_name (LersPollService *self);
gboolean lers_poll_service_get_authorised (LersPollService *self);
GDateTime *lers_poll_service_get_authorised_at (LersPollService *self);
const gchar *lers_poll_service_get_host (LersPollService *self);
const gchar *lers_poll_service_get_version (LersPollService *self);
gint lers_poll_service_get_pid (LersPollService *self);
guint lers_poll_service_get_max_links (LersPollService *self);
GDateTime *lers_poll_service_get_started (LersPollService *self);
GDateTime *lers_poll_service_get_heartbeat (LersPollService *self);
GDateTime *lers_poll_service_get_stopped (LersPollService *self);
gint64 lers_poll_service_get_jobs_done (LersPollService *self);
gint64 lers_poll_service_get_jobs_failed (LersPollService *self);
GDateTime *lers_poll_service_get_created (LersPollService *self);
/* "pending" (not authorised), "running" (heartbeat within @lease_seconds of
 * @now), "stopped" (stopped cleanly), "dead" (no heartbeat for a lease). */
const gchar *lers_poll_service_get_state (LersPollService *self, GDateTime *now,
                                          guint lease_seconds);
void lers_poll_service_append_json (LersPollService *self, GString *out, GTimeZone *zone,
                                    GDateTime *now, guint lease_seconds);

G_END_DECLS
