/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

/* Internal to liblers, its tests and benchmarks: the scheduler's refresh
 * without waiting 30 seconds, and its schedule as it stands. */

#include "poll/lers-scheduler.h"

G_BEGIN_DECLS

void lers_scheduler_apply_points (LersScheduler *self, GPtrArray *points);
gboolean lers_scheduler_refresh_sync (LersScheduler *self, GCancellable *cancellable,
                                      GError **error);
gint64 lers_scheduler_get_due (LersScheduler *self, gint64 point_id);
guint lers_scheduler_get_n_points (LersScheduler *self);
void lers_scheduler_set_test_time (LersScheduler *self, gint64 unix_time);

G_END_DECLS
