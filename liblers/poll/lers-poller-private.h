/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

/* Internal to liblers, its tests and benchmarks. */

#include "poll/lers-poller.h"

G_BEGIN_DECLS

void lers_poller_set_max_links (LersPoller *self, guint max_links);
guint lers_poller_get_max_links (LersPoller *self);
guint lers_poller_get_n_holds (LersPoller *self);

G_END_DECLS
