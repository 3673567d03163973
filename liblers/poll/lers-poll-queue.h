/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

#if !defined(__LERS_H_INSIDE__) && !defined(LERS_COMPILATION)
#error "Only <lers.h> can be included directly."
#endif

#include <gio/gio.h>

#include "model/lers-enums.h"
#include "model/lers-link-session.h"
#include "model/lers-poll-job.h"
#include "model/lers-poll-service.h"
#include "store/lers-store.h"

G_BEGIN_DECLS

/**
 * LERS_POLL_CHANNEL_JOBS:
 *
 * The LISTEN/NOTIFY channel on which a new urgent job is announced; the
 * payload is the job's connection id.
 *
 * Since: 0.4
 */
#define LERS_POLL_CHANNEL_JOBS "lers_poll_jobs"
/**
 * LERS_POLL_CHANNEL_CANCEL:
 *
 * The channel on which a cancel of a running job is announced; the payload
 * is the job id.
 *
 * Since: 0.4
 */
#define LERS_POLL_CHANNEL_CANCEL "lers_poll_cancel"

#define LERS_TYPE_POLL_QUEUE (lers_poll_queue_get_type ())
G_DECLARE_FINAL_TYPE (LersPollQueue, lers_poll_queue, LERS, POLL_QUEUE, GObject)

LersPollQueue *lers_poll_queue_new (LersStore *store);
LersStore *lers_poll_queue_get_store (LersPollQueue *self);
void lers_poll_queue_set_retry_delay (LersPollQueue *self, guint base_seconds, guint max_seconds);

/* Polling services (lers-poll-queue-services.c) */
LersPollService *lers_poll_queue_register_service_sync (LersPollQueue *self, const gchar *name,
                                                        const gchar *token, const gchar *host,
                                                        const gchar *version, guint max_links,
                                                        gboolean authorise,
                                                        GCancellable *cancellable, GError **error);
LersPollService *lers_poll_queue_add_service_sync (LersPollQueue *self, const gchar *name,
                                                   gchar **token, GCancellable *cancellable,
                                                   GError **error);
gboolean lers_poll_queue_authorise_service_sync (LersPollQueue *self, const gchar *name,
                                                 gboolean authorised, GCancellable *cancellable,
                                                 GError **error);
gboolean lers_poll_queue_delete_service_sync (LersPollQueue *self, const gchar *name,
                                              GCancellable *cancellable, GError **error);
GPtrArray *lers_poll_queue_list_services_sync (LersPollQueue *self, GCancellable *cancellable,
                                               GError **error);
gboolean lers_poll_queue_heartbeat_sync (LersPollQueue *self, gint64 service_id, const gchar *token,
                                         guint lease_seconds, GCancellable *cancellable,
                                         GError **error);
gboolean lers_poll_queue_stop_service_sync (LersPollQueue *self, gint64 service_id,
                                            const gchar *token, GCancellable *cancellable,
                                            GError **error);
GVariant *lers_poll_queue_get_status_sync (LersPollQueue *self, guint lease_seconds,
                                           GCancellable *cancellable, GError **error);
GVariant *lers_poll_queue_list_links_sync (LersPollQueue *self, GCancellable *cancellable,
                                           GError **error);

/* Jobs (lers-poll-queue.c) */
GPtrArray *lers_poll_queue_claim_sync (LersPollQueue *self, gint64 service_id, const gchar *token,
                                       guint max_links, guint lease_seconds,
                                       GCancellable *cancellable, GError **error);
gboolean lers_poll_queue_set_progress_sync (LersPollQueue *self, gint64 job_id, gdouble fraction,
                                            const gchar *message, GCancellable *cancellable,
                                            GError **error);
LersPollJobState lers_poll_queue_finish_job_sync (LersPollQueue *self, gint64 service_id,
                                                  gint64 job_id, gint records,
                                                  const GError *failure, const gchar *log,
                                                  GCancellable *cancellable, GError **error);
gboolean lers_poll_queue_complete_job_sync (LersPollQueue *self, gint64 service_id, gint64 job_id,
                                            gint records, const gchar *log,
                                            GCancellable *cancellable, GError **error);
gboolean lers_poll_queue_release_link_sync (LersPollQueue *self, gint64 service_id,
                                            gint64 connection_id, const gchar *link_error,
                                            GCancellable *cancellable, GError **error);
GPtrArray *lers_poll_queue_enqueue_sync (LersPollQueue *self, const gint64 *point_ids,
                                         guint n_points, const LersArchiveKind *kinds,
                                         guint n_kinds, GDateTime *from, GDateTime *to,
                                         LersPollPriority priority, const gchar *requested_by,
                                         GCancellable *cancellable, GError **error);
gboolean lers_poll_queue_cancel_job_sync (LersPollQueue *self, gint64 job_id,
                                          GCancellable *cancellable, GError **error);
LersPollJob *lers_poll_queue_get_job_sync (LersPollQueue *self, gint64 job_id,
                                           GCancellable *cancellable, GError **error);
GPtrArray *lers_poll_queue_list_jobs_sync (LersPollQueue *self, gint64 point_id, gint state,
                                           gint64 before_id, guint limit, GCancellable *cancellable,
                                           GError **error);
guint lers_poll_queue_purge_sync (LersPollQueue *self, guint keep_days, GCancellable *cancellable,
                                  GError **error);

/* Schedules and planning (lers-poll-plan.c) */
guint lers_poll_queue_plan_sync (LersPollQueue *self, GDateTime *now, GCancellable *cancellable,
                                 GError **error);
guint lers_poll_queue_plan_backfill_sync (LersPollQueue *self, GDateTime *now, guint max_jobs,
                                          GCancellable *cancellable, GError **error);
gboolean lers_poll_queue_set_schedule_sync (LersPollQueue *self, gint64 point_id,
                                            LersArchiveKind kind, gboolean enabled,
                                            guint every_minutes, guint at_minutes,
                                            GCancellable *cancellable, GError **error);
gboolean lers_poll_queue_reset_schedule_sync (LersPollQueue *self, gint64 point_id,
                                              LersArchiveKind kind, GCancellable *cancellable,
                                              GError **error);
GVariant *lers_poll_queue_list_schedules_sync (LersPollQueue *self, gint64 point_id, GDateTime *now,
                                               GCancellable *cancellable, GError **error);

/* Link sessions and modem statistics (lers-poll-sessions.c) */
gboolean lers_poll_queue_record_session_sync (LersPollQueue *self, LersLinkSession *session,
                                              GCancellable *cancellable, GError **error);
GPtrArray *lers_poll_queue_list_sessions_sync (LersPollQueue *self, gint64 connection_id,
                                               GDateTime *from, GDateTime *to, guint limit,
                                               GCancellable *cancellable, GError **error);
GVariant *lers_poll_queue_get_traffic_sync (LersPollQueue *self, gint64 connection_id,
                                            GTimeZone *zone, GDateTime *now,
                                            GCancellable *cancellable, GError **error);

G_END_DECLS
