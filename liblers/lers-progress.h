/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

#if !defined(__LERS_H_INSIDE__) && !defined(LERS_COMPILATION)
#error "Only <lers.h> can be included directly."
#endif

#include <glib-object.h>

G_BEGIN_DECLS

#define LERS_TYPE_PROGRESS (lers_progress_get_type ())
G_DECLARE_FINAL_TYPE (LersProgress, lers_progress, LERS, PROGRESS, GObject)

LersProgress *lers_progress_new (void);
gdouble lers_progress_get_fraction (LersProgress *self);
void lers_progress_set_fraction (LersProgress *self, gdouble fraction);
const gchar *lers_progress_get_message (LersProgress *self);
void lers_progress_set_message (LersProgress *self, const gchar *message);
void lers_progress_add_step (LersProgress *self, guint weight, const gchar *message);
guint lers_progress_get_n_steps (LersProgress *self);
LersProgress *lers_progress_get_child (LersProgress *self);
void lers_progress_step_done (LersProgress *self);
void lers_progress_reset (LersProgress *self);

G_END_DECLS
