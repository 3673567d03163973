/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

/* Internal to liblers, its tests and benchmarks. */

#include "lers-clock.h"
#include "poll/lers-poll-spool-private.h"
#include "poll/lers-poller.h"

G_BEGIN_DECLS

void lers_poller_set_max_links (LersPoller *self, guint max_links);
guint lers_poller_get_max_links (LersPoller *self);
guint lers_poller_get_n_holds (LersPoller *self);
gboolean lers_poller_is_link_held (LersPoller *self, gint64 connection_id);
guint lers_poller_get_n_queued (LersPoller *self);
void lers_poller_set_clock (LersPoller *self, LersClock *clock);
LersClock *lers_poller_get_clock (LersPoller *self);
void lers_poller_set_spool (LersPoller *self, LersPollSpool *spool);
LersPollSpool *lers_poller_get_spool (LersPoller *self);

G_END_DECLS
