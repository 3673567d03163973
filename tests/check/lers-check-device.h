/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* What the device plugins' tests share: the plugin's dynamic types
 * registered without libpeas, hex text <-> GBytes, the default main context
 * run until an async call is done, and a simulator served on one end of a
 * socket pair with a transport on the other. Each plugin keeps its own
 * protocol-specific helpers in its tests/NAME-test-util.{c,h}. */
#pragma once

#include <lers.h>

G_BEGIN_DECLS

typedef void (*LersCheckRegisterFunc) (GTypeModule *module);

GTypeModule *lers_check_type_module_new (void);
void lers_check_register_types (LersCheckRegisterFunc first, ...) G_GNUC_NULL_TERMINATED;

GBytes *lers_check_hex (const gchar *text);
gchar *lers_check_to_hex (GBytes *bytes);

void lers_check_drain (void);
void lers_check_wait_cb (GObject *source, GAsyncResult *result, gpointer user_data);
GAsyncResult *lers_check_wait (GAsyncResult **result);

GIOStream *lers_check_socket_stream (int fd);
void lers_check_socketpair (GIOStream **server, GIOStream **client);
LersTransport *lers_check_serve_socketpair (LersDeviceSimulator *sim, GCancellable *cancel,
                                            GIOStream **server);
GThread *lers_check_serve_in_thread (LersDeviceSimulator *sim, GIOStream *server,
                                     GCancellable *cancel);
void lers_check_unserve (LersTransport **transport, GIOStream **server, GCancellable **cancel);

G_END_DECLS
