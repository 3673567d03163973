/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

#if !defined(__LERS_H_INSIDE__) && !defined(LERS_COMPILATION)
#error "Only <lers.h> can be included directly."
#endif

#include <gio/gio.h>

#include "lers-engine.h"
#include "poll/lers-poller.h"
#include "store/lers-store.h"

G_BEGIN_DECLS

#define LERS_TYPE_SCHEDULER (lers_scheduler_get_type ())
G_DECLARE_FINAL_TYPE (LersScheduler, lers_scheduler, LERS, SCHEDULER, GObject)

LersScheduler *lers_scheduler_new (LersStore *store, LersEngine *engine);
void lers_scheduler_start (LersScheduler *self);
void lers_scheduler_stop (LersScheduler *self);
guint lers_scheduler_get_max_parallel (LersScheduler *self);
void lers_scheduler_set_max_parallel (LersScheduler *self, guint max_parallel);
LersPoller *lers_scheduler_get_poller (LersScheduler *self);

G_END_DECLS
