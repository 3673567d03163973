/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

#if !defined(__LERS_H_INSIDE__) && !defined(LERS_COMPILATION)
#error "Only <lers.h> can be included directly."
#endif

#include <gio/gio.h>

#include "lers-engine.h"
#include "poll/lers-poll-queue.h"
#include "poll/lers-poller.h"
#include "store/lers-store.h"

G_BEGIN_DECLS

/* A polling service at work (what `lersd --role=poller` runs): registers
 * itself under :name with its :token, waits until it is authorised, then
 * plans routine and backfill jobs, claims links with due jobs (on a timer
 * and at once on a LERS_POLL_CHANNEL_JOBS notification), reads them on its
 * LersPoller (one hold per link), reports progress and results to the
 * queue, keeps its leases alive with a heartbeat, records every link
 * session, and, while the database is unreachable, goes on with what it has
 * claimed and keeps what it read in a bounded local spool that it writes
 * once the database is back.
 *
 * Properties: name, token (construct-only; the token is never logged),
 * lease-seconds (default 60), max-links (default 32), claim-interval
 * (seconds, default 5), plan (gboolean, default TRUE: also run the
 * planner), auto-authorise (gboolean, default FALSE: an all-in-one daemon
 * authorises itself), spool-dir (default $XDG_STATE_HOME/lers/spool/NAME),
 * spool-max-bytes (default 256 MiB), state (read-only: "starting",
 * "pending", "running", "offline", "stopped"), service-id (read-only).
 *
 * Signals: ::job-finished (LersPollJob *job, as stored after the finish),
 * for tests and the log. */
#define LERS_TYPE_POLL_WORKER (lers_poll_worker_get_type ())
G_DECLARE_FINAL_TYPE (LersPollWorker, lers_poll_worker, LERS, POLL_WORKER, GObject)

LersPollWorker *lers_poll_worker_new (LersStore *store, LersEngine *engine, const gchar *name,
                                      const gchar *token);
void lers_poll_worker_start (LersPollWorker *self);
void lers_poll_worker_stop (LersPollWorker *self);
LersPoller *lers_poll_worker_get_poller (LersPollWorker *self);
LersPollQueue *lers_poll_worker_get_queue (LersPollWorker *self);
gint64 lers_poll_worker_get_service_id (LersPollWorker *self);
const gchar *lers_poll_worker_get_state (LersPollWorker *self);

G_END_DECLS
