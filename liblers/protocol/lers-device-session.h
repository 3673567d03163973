/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

#if !defined(__LERS_H_INSIDE__) && !defined(LERS_COMPILATION)
#error "Only <lers.h> can be included directly."
#endif

#include <gio/gio.h>

#include "lers-progress.h"
#include "model/lers-device.h"
#include "model/lers-enums.h"
#include "protocol/lers-transport.h"

G_BEGIN_DECLS

#define LERS_TYPE_DEVICE_SESSION (lers_device_session_get_type ())
G_DECLARE_DERIVABLE_TYPE (LersDeviceSession, lers_device_session, LERS, DEVICE_SESSION, GObject)

/**
 * LersDeviceSessionClass:
 * @parent_class: the parent class
 * @open_async: wake the device up, log in with its passwords, switch the
 *   line's speed: whatever the protocol needs before the first read
 * @open_finish: finish it
 * @read_archive_async: read records of @kind (current, hour, day, month,
 *   totals) whose timestamps lie in [@from, @to); current values and
 *   totals ignore the range
 * @read_archive_finish: the #LersRecord<!-- -->s, oldest first, each with
 *   the device channel (heat input, subunit) it belongs to
 * @read_events_async: read the meter's events that started in [@from, @to)
 * @read_events_finish: the #LersMeterEvent<!-- -->s, oldest first
 * @read_clock_async: read the device's clock
 * @read_clock_finish: the device's time, in its clock zone
 * @set_clock_async: set the device's clock
 * @set_clock_finish: finish it
 * @close_async: log out, put the device back to sleep
 * @close_finish: finish it
 *
 * One conversation with one device over a #LersTransport, which the
 * session holds from open to close. Drivers subclass it; a vfunc left
 * empty makes the wrapper answer %LERS_ERROR_NOT_SUPPORTED (open and close
 * default to doing nothing).
 *
 * Since: 0.3
 */
struct _LersDeviceSessionClass
{
  GObjectClass parent_class;

  void (*open_async) (LersDeviceSession *self, GCancellable *cancellable,
                      GAsyncReadyCallback callback, gpointer user_data);
  gboolean (*open_finish) (LersDeviceSession *self, GAsyncResult *result, GError **error);
  void (*read_archive_async) (LersDeviceSession *self, LersArchiveKind kind, GDateTime *from,
                              GDateTime *to, LersProgress *progress, GCancellable *cancellable,
                              GAsyncReadyCallback callback, gpointer user_data);
  GPtrArray *(*read_archive_finish) (LersDeviceSession *self, GAsyncResult *result, GError **error);
  void (*read_events_async) (LersDeviceSession *self, GDateTime *from, GDateTime *to,
                             LersProgress *progress, GCancellable *cancellable,
                             GAsyncReadyCallback callback, gpointer user_data);
  GPtrArray *(*read_events_finish) (LersDeviceSession *self, GAsyncResult *result, GError **error);
  void (*read_clock_async) (LersDeviceSession *self, GCancellable *cancellable,
                            GAsyncReadyCallback callback, gpointer user_data);
  GDateTime *(*read_clock_finish) (LersDeviceSession *self, GAsyncResult *result, GError **error);
  void (*set_clock_async) (LersDeviceSession *self, GDateTime *time, GCancellable *cancellable,
                           GAsyncReadyCallback callback, gpointer user_data);
  gboolean (*set_clock_finish) (LersDeviceSession *self, GAsyncResult *result, GError **error);
  void (*close_async) (LersDeviceSession *self, GCancellable *cancellable,
                       GAsyncReadyCallback callback, gpointer user_data);
  gboolean (*close_finish) (LersDeviceSession *self, GAsyncResult *result, GError **error);

  /*< private >*/
  gpointer padding[12];
};

LersTransport *lers_device_session_get_transport (LersDeviceSession *self);
LersDevice *lers_device_session_get_device (LersDeviceSession *self);
GKeyFile *lers_device_session_get_quirks (LersDeviceSession *self);
void lers_device_session_set_quirks (LersDeviceSession *self, GKeyFile *quirks);
const gchar *lers_device_session_get_option (LersDeviceSession *self, const gchar *key);
guint lers_device_session_get_option_uint (LersDeviceSession *self, const gchar *key,
                                           guint default_value);
gboolean lers_device_session_is_open (LersDeviceSession *self);

void lers_device_session_open_async (LersDeviceSession *self, GCancellable *cancellable,
                                     GAsyncReadyCallback callback, gpointer user_data);
gboolean lers_device_session_open_finish (LersDeviceSession *self, GAsyncResult *result,
                                          GError **error);
void lers_device_session_read_archive_async (LersDeviceSession *self, LersArchiveKind kind,
                                             GDateTime *from, GDateTime *to, LersProgress *progress,
                                             GCancellable *cancellable,
                                             GAsyncReadyCallback callback, gpointer user_data);
GPtrArray *lers_device_session_read_archive_finish (LersDeviceSession *self, GAsyncResult *result,
                                                    GError **error);
void lers_device_session_read_events_async (LersDeviceSession *self, GDateTime *from, GDateTime *to,
                                            LersProgress *progress, GCancellable *cancellable,
                                            GAsyncReadyCallback callback, gpointer user_data);
GPtrArray *lers_device_session_read_events_finish (LersDeviceSession *self, GAsyncResult *result,
                                                   GError **error);
void lers_device_session_read_clock_async (LersDeviceSession *self, GCancellable *cancellable,
                                           GAsyncReadyCallback callback, gpointer user_data);
GDateTime *lers_device_session_read_clock_finish (LersDeviceSession *self, GAsyncResult *result,
                                                  GError **error);
void lers_device_session_set_clock_async (LersDeviceSession *self, GDateTime *time,
                                          GCancellable *cancellable, GAsyncReadyCallback callback,
                                          gpointer user_data);
gboolean lers_device_session_set_clock_finish (LersDeviceSession *self, GAsyncResult *result,
                                               GError **error);
void lers_device_session_close_async (LersDeviceSession *self, GCancellable *cancellable,
                                      GAsyncReadyCallback callback, gpointer user_data);
gboolean lers_device_session_close_finish (LersDeviceSession *self, GAsyncResult *result,
                                           GError **error);

gboolean lers_device_session_open_sync (LersDeviceSession *self, GCancellable *cancellable,
                                        GError **error);
GPtrArray *lers_device_session_read_archive_sync (LersDeviceSession *self, LersArchiveKind kind,
                                                  GDateTime *from, GDateTime *to,
                                                  LersProgress *progress, GCancellable *cancellable,
                                                  GError **error);
GPtrArray *lers_device_session_read_events_sync (LersDeviceSession *self, GDateTime *from,
                                                 GDateTime *to, LersProgress *progress,
                                                 GCancellable *cancellable, GError **error);
GDateTime *lers_device_session_read_clock_sync (LersDeviceSession *self, GCancellable *cancellable,
                                                GError **error);
gboolean lers_device_session_set_clock_sync (LersDeviceSession *self, GDateTime *time,
                                             GCancellable *cancellable, GError **error);
gboolean lers_device_session_close_sync (LersDeviceSession *self, GCancellable *cancellable,
                                         GError **error);

G_END_DECLS
