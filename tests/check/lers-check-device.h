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

/* a device and its session's calls run to completion; times are UTC
 * ISO 8601 texts */
GDateTime *lers_check_utc (const gchar *iso);
LersDevice *lers_check_device_new (const gchar *protocol, const gchar *address);
void lers_check_device_set_zone (LersDevice *device, const gchar *zone);
LersTransport *lers_check_script_transport_new (GPtrArray *answers, guint *n_writes,
                                                GString *written);
/* a session over a transport: the simulator on a socket pair, or a
 * scripted memory transport (lers_check_script_transport_new) */
typedef struct
{
  LersTransport *transport;
  LersDevice *device;
  LersDeviceSession *session;
  /* the simulator's side (NULL for a scripted memory transport) */
  LersDeviceSimulator *sim;
  GIOStream *server;
  GCancellable *cancel;
  /* memory transport: one answer a write, in order (NULL = silence) */
  GPtrArray *answers;
  guint n_writes;
  GString *written;
} LersCheckSession;

void lers_check_session_sim (LersCheckSession *t, LersDeviceSimulator *sim, const gchar *protocol,
                             const gchar *address);
void lers_check_session_script (LersCheckSession *t, const gchar *protocol, const gchar *address);
void lers_check_session_answer (LersCheckSession *t, const gchar *hex);
void lers_check_session_create (LersCheckSession *t, LersDeviceDriver *driver);
void lers_check_session_clear (LersCheckSession *t);

gboolean lers_check_session_open (LersDeviceSession *session, GError **error);
GPtrArray *lers_check_session_read (LersDeviceSession *session, LersArchiveKind kind,
                                    const gchar *from, const gchar *to, GError **error);
GPtrArray *lers_check_session_events (LersDeviceSession *session, const gchar *from,
                                      const gchar *to, GError **error);
GDateTime *lers_check_session_clock (LersDeviceSession *session, GError **error);
gboolean lers_check_session_set_clock (LersDeviceSession *session, const gchar *time,
                                       GError **error);
LersRecord *lers_check_find (GPtrArray *records, const gchar *time, guint channel);
gdouble lers_check_value (LersRecord *r, LersParameter p, LersValueFlags *flags);

G_END_DECLS
