/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

#if !defined(__LERS_H_INSIDE__) && !defined(LERS_COMPILATION)
#error "Only <lers.h> can be included directly."
#endif

#include <gio/gio.h>

G_BEGIN_DECLS

#define LERS_TYPE_DEVICE_SIMULATOR (lers_device_simulator_get_type ())
G_DECLARE_INTERFACE (LersDeviceSimulator, lers_device_simulator, LERS, DEVICE_SIMULATOR, GObject)

/**
 * LersDeviceSimulatorInterface:
 * @parent_iface: the parent interface
 * @get_protocol: the protocol's short name, as the driver's
 * @serve_async: answer requests arriving on @stream, as the meter would,
 *   until the peer closes it or @cancellable fires
 * @serve_finish: finish it
 *
 * A simulated meter of one plugin's protocol. Implementations have the
 * properties #LersDeviceSimulator:serial-number, #LersDeviceSimulator:address
 * and #LersDeviceSimulator:seed; the data they serve depends only on those
 * and on the wall clock, so two runs with the same seed agree.
 *
 * Since: 0.1
 */
struct _LersDeviceSimulatorInterface
{
  GTypeInterface parent_iface;

  const gchar *(*get_protocol) (LersDeviceSimulator *self);
  void (*serve_async) (LersDeviceSimulator *self, GIOStream *stream, GCancellable *cancellable,
                       GAsyncReadyCallback callback, gpointer user_data);
  gboolean (*serve_finish) (LersDeviceSimulator *self, GAsyncResult *result, GError **error);

  /*< private >*/
  gpointer padding[12];
};

const gchar *lers_device_simulator_get_protocol (LersDeviceSimulator *self);
void lers_device_simulator_serve_async (LersDeviceSimulator *self, GIOStream *stream,
                                        GCancellable *cancellable, GAsyncReadyCallback callback,
                                        gpointer user_data);
gboolean lers_device_simulator_serve_finish (LersDeviceSimulator *self, GAsyncResult *result,
                                             GError **error);

G_END_DECLS
