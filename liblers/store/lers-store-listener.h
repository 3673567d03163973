/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

#if !defined(__LERS_H_INSIDE__) && !defined(LERS_COMPILATION)
#error "Only <lers.h> can be included directly."
#endif

#include <gio/gio.h>

#include "store/lers-store.h"

G_BEGIN_DECLS

/* LISTEN on PostgreSQL channels over a connection of its own, watched by a
 * GSource in the thread-default main context of the thread that starts it
 * (never blocking it: the connection is made with PQconnectStart/PQconnectPoll
 * or in a worker thread). Each notification is emitted as
 * ::notification (channel, payload). When the connection is lost the
 * listener connects again with back-off (1 s doubling to 30 s), LISTENs
 * again and emits ::reconnected, after which a user should look for work it
 * may have missed. :connected says whether it is listening now. */
#define LERS_TYPE_STORE_LISTENER (lers_store_listener_get_type ())
G_DECLARE_FINAL_TYPE (LersStoreListener, lers_store_listener, LERS, STORE_LISTENER, GObject)

LersStoreListener *lers_store_listener_new (LersStore *store);
void lers_store_listener_listen (LersStoreListener *self, const gchar *channel);
void lers_store_listener_start (LersStoreListener *self);
void lers_store_listener_stop (LersStoreListener *self);
gboolean lers_store_listener_get_connected (LersStoreListener *self);

G_END_DECLS
