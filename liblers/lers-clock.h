/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

#if !defined(__LERS_H_INSIDE__) && !defined(LERS_COMPILATION)
#error "Only <lers.h> can be included directly."
#endif

#include <glib-object.h>

G_BEGIN_DECLS

/**
 * LersClockFunc:
 * @user_data: the data given with the timeout
 *
 * Called once when a timeout of a #LersClock is due.
 *
 * Since: 0.3
 */
typedef void (*LersClockFunc) (gpointer user_data);

#define LERS_TYPE_CLOCK (lers_clock_get_type ())
G_DECLARE_FINAL_TYPE (LersClock, lers_clock, LERS, CLOCK, GObject)

LersClock *lers_clock_get_default (void);
LersClock *lers_clock_new_manual (void);
gboolean lers_clock_is_manual (LersClock *self);
gint64 lers_clock_get_monotonic_ms (LersClock *self);
guint lers_clock_add_timeout (LersClock *self, guint ms, LersClockFunc func, gpointer user_data,
                              GDestroyNotify notify);
void lers_clock_remove_timeout (LersClock *self, guint id);
void lers_clock_advance (LersClock *self, guint ms);
gint64 lers_clock_get_next_due_ms (LersClock *self);
GDateTime *lers_clock_get_now_utc (LersClock *self);
void lers_clock_set_now_utc (LersClock *self, GDateTime *now);

G_END_DECLS
