/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* A plan: 4L requests sent one after another, each resent on a timeout or
 * a garbled answer, each answer handed to the plan's callback. */
#pragma once

#include <lers.h>

#include "logika4l-frame.h"

G_BEGIN_DECLS

typedef struct _L4lPlan L4lPlan;

/* called with each answer (NULL when the device said "no data" to a step
 * marked optional); may add steps; FALSE with @error ends the plan */
typedef gboolean (*L4lPlanReply) (L4lPlan *plan, guint tag, const L4lFrame *frame, gpointer data,
                                  GError **error);

L4lPlan *l4l_plan_new (LersTransport *transport, guint8 nt, L4lPlanReply reply, gpointer data,
                       GDestroyNotify destroy);
void l4l_plan_free (L4lPlan *plan);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (L4lPlan, l4l_plan_free)

void l4l_plan_add (L4lPlan *plan, GBytes *request, guint8 fnc, gsize expected, gboolean optional,
                   guint tag);
void l4l_plan_set_progress (L4lPlan *plan, LersProgress *progress);
/* @ms: the pause after the 0xFF start sequence of a session request
 * (prot943 §2.6 t2); 0 sends the request in one write */
void l4l_plan_set_wake_pause (L4lPlan *plan, guint ms);
gpointer l4l_plan_get_data (L4lPlan *plan);

/* runs @plan (taking it); the result is a boolean */
void l4l_plan_run_async (L4lPlan *plan, gpointer source, GCancellable *cancellable,
                         GAsyncReadyCallback callback, gpointer user_data);
gboolean l4l_plan_run_finish (GAsyncResult *result, gpointer *data, GError **error);

G_END_DECLS
