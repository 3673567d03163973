/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

#if !defined(__LERS_H_INSIDE__) && !defined(LERS_COMPILATION)
#error "Only <lers.h> can be included directly."
#endif

#include <glib-object.h>

#include "model/lers-enums.h"

G_BEGIN_DECLS

/* A row of poll_jobs (0006-poll-queue.sql): read one point's archive of one
 * kind. Properties, one per column: id, connection-id, point-id, kind,
 * from, to (nullable GDateTime), priority, slot (nullable), state, due,
 * attempts, max-attempts, service-id (0: none), cancel-requested, progress
 * (0…1), message, records, error, error-code, log, requested-by, created,
 * started, finished (nullable GDateTime). */
#define LERS_TYPE_POLL_JOB (lers_poll_job_get_type ())
G_DECLARE_FINAL_TYPE (LersPollJob, lers_poll_job, LERS, POLL_JOB, GObject)

LersPollJob *lers_poll_job_new (void);
gint64 lers_poll_job_get_id (LersPollJob *self);
gint64 lers_poll_job_get_connection_id (LersPollJob *self);
gint64 lers_poll_job_get_point_id (LersPollJob *self);
LersArchiveKind lers_poll_job_get_kind (LersPollJob *self);
GDateTime *lers_poll_job_get_from (LersPollJob *self);
GDateTime *lers_poll_job_get_to (LersPollJob *self);
LersPollPriority lers_poll_job_get_priority (LersPollJob *self);
GDateTime *lers_poll_job_get_slot (LersPollJob *self);
LersPollJobState lers_poll_job_get_state (LersPollJob *self);
GDateTime *lers_poll_job_get_due (LersPollJob *self);
gint lers_poll_job_get_attempts (LersPollJob *self);
gint lers_poll_job_get_max_attempts (LersPollJob *self);
gint64 lers_poll_job_get_service_id (LersPollJob *self);
gboolean lers_poll_job_get_cancel_requested (LersPollJob *self);
gdouble lers_poll_job_get_progress (LersPollJob *self);
const gchar *lers_poll_job_get_message (LersPollJob *self);
gint lers_poll_job_get_records (LersPollJob *self);
const gchar *lers_poll_job_get_error (LersPollJob *self);
const gchar *lers_poll_job_get_error_code (LersPollJob *self);
const gchar *lers_poll_job_get_log (LersPollJob *self);
const gchar *lers_poll_job_get_requested_by (LersPollJob *self);
GDateTime *lers_poll_job_get_created (LersPollJob *self);
GDateTime *lers_poll_job_get_started (LersPollJob *self);
GDateTime *lers_poll_job_get_finished (LersPollJob *self);
/* The job as a JSON object (times ISO 8601 in @zone, or UTC), as the HTTP
 * API and `lers poll job --json` print it. */
void lers_poll_job_append_json (LersPollJob *self, GString *out, GTimeZone *zone);

G_END_DECLS
