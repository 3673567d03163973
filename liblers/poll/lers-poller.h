/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

#if !defined(__LERS_H_INSIDE__) && !defined(LERS_COMPILATION)
#error "Only <lers.h> can be included directly."
#endif

#include <gio/gio.h>

#include "lers-engine.h"
#include "model/lers-enums.h"
#include "model/lers-link-session.h"
#include "lers-progress.h"
#include "protocol/lers-gprs-server.h"
#include "protocol/lers-transport.h"
#include "store/lers-store.h"

G_BEGIN_DECLS

#define LERS_TYPE_POLLER (lers_poller_get_type ())
G_DECLARE_FINAL_TYPE (LersPoller, lers_poller, LERS, POLLER, GObject)

LersPoller *lers_poller_new (LersStore *store, LersEngine *engine);
void lers_poller_read_point_async (LersPoller *self, gint64 point_id, LersArchiveKind kind,
                                   GDateTime *from, GDateTime *to, LersProgress *progress,
                                   GCancellable *cancellable, GAsyncReadyCallback callback,
                                   gpointer user_data);
gint lers_poller_read_point_finish (LersPoller *self, GAsyncResult *result, GError **error);
gint lers_poller_read_point_sync (LersPoller *self, gint64 point_id, LersArchiveKind kind,
                                  GDateTime *from, GDateTime *to, LersProgress *progress,
                                  GCancellable *cancellable, GError **error);
void lers_poller_read_connection_async (LersPoller *self, gint64 connection_id,
                                        LersArchiveKind kind, LersProgress *progress,
                                        GCancellable *cancellable, GAsyncReadyCallback callback,
                                        gpointer user_data);
gint lers_poller_read_connection_finish (LersPoller *self, GAsyncResult *result, GError **error);
gint lers_poller_read_connection_sync (LersPoller *self, gint64 connection_id, LersArchiveKind kind,
                                       LersProgress *progress, GCancellable *cancellable,
                                       GError **error);
void lers_poller_serve_transport_async (LersPoller *self, gint64 connection_id,
                                        LersTransport *open_transport, GCancellable *cancellable,
                                        GAsyncReadyCallback callback, gpointer user_data);
gint lers_poller_serve_transport_finish (LersPoller *self, GAsyncResult *result, GError **error);
void lers_poller_watch_gprs_server (LersPoller *self, LersGprsServer *server);

G_END_DECLS
