/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

/* Internal to liblers and its tests. */

#include "lers-clock.h"
#include "poll/lers-poll-worker.h"

G_BEGIN_DECLS

/* How many links the service holds now. */
guint lers_poll_worker_get_n_links (LersPollWorker *self);
/* How many results, link sessions and links given back wait to be reported
 * to the queue (while the database is away, say). */
guint lers_poll_worker_get_n_unreported (LersPollWorker *self);
/* The bound of what waits to be reported (default 10 000): past it the
 * oldest is dropped, with a warning. */
void lers_poll_worker_set_max_unreported (LersPollWorker *self, guint max);

/* The clock of the service's timers, set before it starts (tests give a
 * manual one); by default the real clock. */
void lers_poll_worker_set_clock (LersPollWorker *self, LersClock *clock);
/* Whether the service listens for notifications now. */
gboolean lers_poll_worker_is_listening (LersPollWorker *self);

G_END_DECLS
