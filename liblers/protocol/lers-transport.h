/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

#if !defined(__LERS_H_INSIDE__) && !defined(LERS_COMPILATION)
#error "Only <lers.h> can be included directly."
#endif

#include <gio/gio.h>

#include "lers-clock.h"
#include "model/lers-connection.h"

G_BEGIN_DECLS

/**
 * LersFrameScanner:
 * @data: (array length=len) (element-type guint8): the bytes received so far
 * @len: how many
 * @user_data: the scanner's data
 *
 * Tells lers_transport_exchange_async() where an answer ends.
 *
 * Returns: the length of the complete frame at the start of @data; 0 when
 *   more bytes are needed; minus the number of leading bytes to drop as
 *   line noise
 *
 * Since: 0.3
 */
typedef gssize (*LersFrameScanner) (const guint8 *data, gsize len, gpointer user_data);

#define LERS_TYPE_TRANSPORT (lers_transport_get_type ())
G_DECLARE_DERIVABLE_TYPE (LersTransport, lers_transport, LERS, TRANSPORT, GObject)

/**
 * LersTransportClass:
 * @parent_class: the parent class
 * @open_async: connect, open the line or dial; the base class applies
 *   #LersTransport:connect-timeout-ms and #LersTransport:retries around it.
 *   The default does nothing (a transport made over a stream is open).
 * @open_finish: finish it
 * @close_async: hang up or close; the default closes the stream
 * @close_finish: finish it
 * @write_async: send all of @bytes; the default writes to the stream set
 *   with lers_transport_set_stream()
 * @write_finish: finish it
 * @read_async: wait for at least one byte; the default reads the stream
 * @read_finish: the bytes that came, never empty; a closed peer is
 *   %LERS_ERROR_CONNECTION
 * @set_line: change speed and framing mid-session (serial lines only)
 * @discard_input: drop what the line received and nobody read
 *
 * One physical link: a TCP connection, an incoming GPRS connection, a
 * serial line, a dial-up modem, or a scripted in-memory line for tests.
 *
 * Since: 0.3
 */
struct _LersTransportClass
{
  GObjectClass parent_class;

  void (*open_async) (LersTransport *self, GCancellable *cancellable, GAsyncReadyCallback callback,
                      gpointer user_data);
  gboolean (*open_finish) (LersTransport *self, GAsyncResult *result, GError **error);
  void (*close_async) (LersTransport *self, GCancellable *cancellable, GAsyncReadyCallback callback,
                       gpointer user_data);
  gboolean (*close_finish) (LersTransport *self, GAsyncResult *result, GError **error);
  void (*write_async) (LersTransport *self, GBytes *bytes, GCancellable *cancellable,
                       GAsyncReadyCallback callback, gpointer user_data);
  gboolean (*write_finish) (LersTransport *self, GAsyncResult *result, GError **error);
  void (*read_async) (LersTransport *self, GCancellable *cancellable, GAsyncReadyCallback callback,
                      gpointer user_data);
  GBytes *(*read_finish) (LersTransport *self, GAsyncResult *result, GError **error);
  gboolean (*set_line) (LersTransport *self, guint baud_rate, guint data_bits, LersParity parity,
                        guint stop_bits, GError **error);
  void (*discard_input) (LersTransport *self);

  /*< private >*/
  gpointer padding[12];
};

const gchar *lers_transport_get_description (LersTransport *self);
LersClock *lers_transport_get_clock (LersTransport *self);
void lers_transport_set_clock (LersTransport *self, LersClock *clock);
guint lers_transport_get_connect_timeout_ms (LersTransport *self);
void lers_transport_set_connect_timeout_ms (LersTransport *self, guint value);
guint lers_transport_get_first_byte_timeout_ms (LersTransport *self);
void lers_transport_set_first_byte_timeout_ms (LersTransport *self, guint value);
guint lers_transport_get_inter_byte_timeout_ms (LersTransport *self);
void lers_transport_set_inter_byte_timeout_ms (LersTransport *self, guint value);
guint lers_transport_get_answer_timeout_ms (LersTransport *self);
void lers_transport_set_answer_timeout_ms (LersTransport *self, guint value);
guint lers_transport_get_retries (LersTransport *self);
void lers_transport_set_retries (LersTransport *self, guint value);
guint64 lers_transport_get_bytes_sent (LersTransport *self);
guint64 lers_transport_get_bytes_received (LersTransport *self);
gboolean lers_transport_is_open (LersTransport *self);
void lers_transport_apply_connection (LersTransport *self, LersConnection *connection);

void lers_transport_open_async (LersTransport *self, GCancellable *cancellable,
                                GAsyncReadyCallback callback, gpointer user_data);
gboolean lers_transport_open_finish (LersTransport *self, GAsyncResult *result, GError **error);
gboolean lers_transport_open_sync (LersTransport *self, GCancellable *cancellable, GError **error);
void lers_transport_close_async (LersTransport *self, GCancellable *cancellable,
                                 GAsyncReadyCallback callback, gpointer user_data);
gboolean lers_transport_close_finish (LersTransport *self, GAsyncResult *result, GError **error);
gboolean lers_transport_close_sync (LersTransport *self, GCancellable *cancellable, GError **error);
void lers_transport_write_async (LersTransport *self, GBytes *bytes, GCancellable *cancellable,
                                 GAsyncReadyCallback callback, gpointer user_data);
gboolean lers_transport_write_finish (LersTransport *self, GAsyncResult *result, GError **error);
void lers_transport_read_async (LersTransport *self, GCancellable *cancellable,
                                GAsyncReadyCallback callback, gpointer user_data);
GBytes *lers_transport_read_finish (LersTransport *self, GAsyncResult *result, GError **error);
void lers_transport_exchange_async (LersTransport *self, GBytes *request, LersFrameScanner scanner,
                                    gpointer scanner_data, GDestroyNotify scanner_destroy,
                                    GCancellable *cancellable, GAsyncReadyCallback callback,
                                    gpointer user_data);
GBytes *lers_transport_exchange_finish (LersTransport *self, GAsyncResult *result, GError **error);
GBytes *lers_transport_exchange_sync (LersTransport *self, GBytes *request,
                                      LersFrameScanner scanner, gpointer scanner_data,
                                      GCancellable *cancellable, GError **error);
gboolean lers_transport_set_line (LersTransport *self, guint baud_rate, guint data_bits,
                                  LersParity parity, guint stop_bits, GError **error);
gboolean lers_transport_set_line_default (LersTransport *self, guint baud_rate, guint data_bits,
                                          LersParity parity, guint stop_bits, GError **error);
gboolean lers_transport_get_line_configured (LersTransport *self);
void lers_transport_discard_input (LersTransport *self);

/* for subclasses */
void lers_transport_set_stream (LersTransport *self, GIOStream *stream);
GIOStream *lers_transport_get_stream (LersTransport *self);

/* made in lers-transport-address.c */
LersTransport *lers_transport_new_for_address (const gchar *address, GError **error);
LersTransport *lers_transport_new_for_connection (LersConnection *connection, GError **error);

G_END_DECLS
