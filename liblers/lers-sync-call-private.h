/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

/* The blocking form of an async call, for scripts: begin pushes a private
 * main context, the call gets lers_sync_call_done as its callback and the
 * call as its data, wait iterates that context until the result is in, end
 * pops and frees it. The caller's own main loop does not run meanwhile. */
typedef struct
{
  GMainContext *context;
  GAsyncResult *result;
} LersSyncCall;

static inline void
lers_sync_call_begin (LersSyncCall *call)
{
  call->context = g_main_context_new ();
  call->result = NULL;
  g_main_context_push_thread_default (call->context);
}

static inline void
lers_sync_call_done (GObject *source, GAsyncResult *result, gpointer user_data)
{
  ((LersSyncCall *) user_data)->result = g_object_ref (result);
}

static inline GAsyncResult *
lers_sync_call_wait (LersSyncCall *call)
{
  while (call->result == NULL)
    g_main_context_iteration (call->context, TRUE);
  return call->result;
}

static inline void
lers_sync_call_end (LersSyncCall *call)
{
  g_main_context_pop_thread_default (call->context);
  g_main_context_unref (call->context);
  g_clear_object (&call->result);
}

G_END_DECLS
