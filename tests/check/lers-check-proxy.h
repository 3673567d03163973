/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

/* A TCP proxy on 127.0.0.1 between the code under test and a simulated
 * meter, in the thread-default main context: it counts the bytes each way
 * and can run a hook when the first bytes toward the meter arrive (stop the
 * database just as the poller reaches the meter, cancel a read mid-session).
 * The fields are for the test to read. */
typedef struct
{
  GSocketService *service;
  guint16 port;   /* where it listens */
  guint16 target; /* the meter's port */
  guint64 to_target;
  guint64 from_target;
  guint n_connections;
  /* called once, before the first bytes toward the target are passed on */
  void (*on_first_request) (gpointer user_data);
  gpointer user_data;
  gboolean first_seen;
} LersCheckProxy;

void lers_check_proxy_start (LersCheckProxy *proxy, guint16 target);
void lers_check_proxy_stop (LersCheckProxy *proxy);

/* Runs pg_ctl @action ("stop", fast, or "start") on the throwaway cluster,
 * keeping its data (lers_cluster_stop() removes a temporary cluster). */
void lers_check_cluster_ctl (const gchar *action);

G_END_DECLS
