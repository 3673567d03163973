/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

#if !defined(__LERS_H_INSIDE__) && !defined(LERS_COMPILATION)
#error "Only <lers.h> can be included directly."
#endif

#include <gio/gio.h>

#include "model/lers-device.h"
#include "model/lers-enums.h"
#include "model/lers-record.h"
#include "lers-progress.h"
#include "protocol/lers-device-session.h"
#include "protocol/lers-transport.h"

G_BEGIN_DECLS

#define LERS_TYPE_DEVICE_DRIVER (lers_device_driver_get_type ())
G_DECLARE_INTERFACE (LersDeviceDriver, lers_device_driver, LERS, DEVICE_DRIVER, GObject)

/**
 * LersDeviceDriverInterface:
 * @parent_iface: the parent interface
 * @get_protocol: the protocol's short name, the plugin's module name (`mbus`)
 * @get_models: the device models this driver knows
 * @decode_frame: decode one frame of this protocol into JSON text (for `lers decode`)
 * @create_session: make (not yet open) a #LersDeviceSession subclass for
 *   @device over @transport
 * @scan_async: look for devices on @transport; @pattern narrows the search
 *   in the protocol's own terms (an M-Bus secondary address with `F`
 *   wildcards), %NULL for all
 * @scan_finish: the devices found, each with its protocol, model, serial
 *   number and network address set
 *
 * 0.3 replaced the read_archive_async and read_archive_finish vfuncs of
 * 0.2 (a driver given a connected #GIOStream) with @create_session; their
 * two slots are padding again, so the structure keeps its size.
 *
 * One protocol family. A plugin leaving a vfunc empty makes the wrapper
 * answer %LERS_ERROR_NOT_SUPPORTED.
 *
 * Since: 0.1
 */
struct _LersDeviceDriverInterface
{
  GTypeInterface parent_iface;

  const gchar *(*get_protocol) (LersDeviceDriver *self);
  GStrv (*get_models) (LersDeviceDriver *self);
  gchar *(*decode_frame) (LersDeviceDriver *self, GBytes *frame, GError **error);
  LersDeviceSession *(*create_session) (LersDeviceDriver *self, LersTransport *transport,
                                        LersDevice *device, GError **error);
  void (*scan_async) (LersDeviceDriver *self, LersTransport *transport, const gchar *pattern,
                      LersProgress *progress, GCancellable *cancellable,
                      GAsyncReadyCallback callback, gpointer user_data);
  GPtrArray *(*scan_finish) (LersDeviceDriver *self, GAsyncResult *result, GError **error);

  /*< private >*/
  gpointer padding[11];
};

const gchar *lers_device_driver_get_protocol (LersDeviceDriver *self);
GStrv lers_device_driver_get_models (LersDeviceDriver *self);
gchar *lers_device_driver_decode_frame (LersDeviceDriver *self, GBytes *frame, GError **error);
LersDeviceSession *lers_device_driver_create_session (LersDeviceDriver *self,
                                                      LersTransport *transport, LersDevice *device,
                                                      GError **error);
void lers_device_driver_open_session_async (LersDeviceDriver *self, LersTransport *transport,
                                            LersDevice *device, GCancellable *cancellable,
                                            GAsyncReadyCallback callback, gpointer user_data);
LersDeviceSession *lers_device_driver_open_session_finish (LersDeviceDriver *self,
                                                           GAsyncResult *result, GError **error);
LersDeviceSession *lers_device_driver_open_session_sync (LersDeviceDriver *self,
                                                         LersTransport *transport,
                                                         LersDevice *device,
                                                         GCancellable *cancellable, GError **error);
void lers_device_driver_scan_async (LersDeviceDriver *self, LersTransport *transport,
                                    const gchar *pattern, LersProgress *progress,
                                    GCancellable *cancellable, GAsyncReadyCallback callback,
                                    gpointer user_data);
GPtrArray *lers_device_driver_scan_finish (LersDeviceDriver *self, GAsyncResult *result,
                                           GError **error);

G_END_DECLS
