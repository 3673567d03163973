/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "config.h"

#include "lers-error.h"
#include "protocol/lers-device-driver.h"

/**
 * LersDeviceDriver:
 *
 * The contract of a device plugin: one protocol family, read over any
 * #GIOStream (a TCP connection now; GPRS sockets, serial lines and modems use
 * the same contract).
 *
 * Since: 0.1
 */

G_DEFINE_INTERFACE (LersDeviceDriver, lers_device_driver, G_TYPE_OBJECT)

static void
lers_device_driver_default_init (LersDeviceDriverInterface *iface)
{
}

/**
 * lers_device_driver_get_protocol:
 * @self: a #LersDeviceDriver
 *
 * Returns: the protocol's short name (`mbus`)
 *
 * Since: 0.1
 */
const gchar *
lers_device_driver_get_protocol (LersDeviceDriver *self)
{
  LersDeviceDriverInterface *iface;

  g_return_val_if_fail (LERS_IS_DEVICE_DRIVER (self), NULL);
  iface = LERS_DEVICE_DRIVER_GET_IFACE (self);
  return iface->get_protocol != NULL ? iface->get_protocol (self) : G_OBJECT_TYPE_NAME (self);
}

/**
 * lers_device_driver_get_models:
 * @self: a #LersDeviceDriver
 *
 * Returns: (transfer full): the device models the driver knows
 *
 * Since: 0.1
 */
GStrv
lers_device_driver_get_models (LersDeviceDriver *self)
{
  LersDeviceDriverInterface *iface;

  g_return_val_if_fail (LERS_IS_DEVICE_DRIVER (self), NULL);
  iface = LERS_DEVICE_DRIVER_GET_IFACE (self);
  if (iface->get_models == NULL)
    return g_new0 (gchar *, 1);
  return iface->get_models (self);
}

/**
 * lers_device_driver_read_archive_async:
 * @self: a #LersDeviceDriver
 * @stream: a connected stream to the device
 * @device: the device to read (its address, password, model)
 * @kind: the archive to read
 * @from: the first timestamp wanted
 * @to: the timestamp after the last wanted
 * @progress: (nullable): told how far the read has come
 * @cancellable: (nullable): a #GCancellable
 * @callback: (scope async): called when done
 * @user_data: data for @callback
 *
 * Reads the records of @kind whose timestamps lie in [@from, @to).
 *
 * Since: 0.1
 */
void
lers_device_driver_read_archive_async (LersDeviceDriver *self, GIOStream *stream,
                                       LersDevice *device, LersArchiveKind kind, GDateTime *from,
                                       GDateTime *to, LersProgress *progress,
                                       GCancellable *cancellable, GAsyncReadyCallback callback,
                                       gpointer user_data)
{
  LersDeviceDriverInterface *iface;

  g_return_if_fail (LERS_IS_DEVICE_DRIVER (self));
  g_return_if_fail (G_IS_IO_STREAM (stream));
  g_return_if_fail (LERS_IS_DEVICE (device));
  g_return_if_fail (from != NULL && to != NULL);

  iface = LERS_DEVICE_DRIVER_GET_IFACE (self);
  if (iface->read_archive_async == NULL)
    {
      g_task_report_new_error (self, callback, user_data, lers_device_driver_read_archive_async,
                               LERS_ERROR, LERS_ERROR_NOT_SUPPORTED,
                               "the %s driver cannot read archives",
                               lers_device_driver_get_protocol (self));
      return;
    }
  iface->read_archive_async (self, stream, device, kind, from, to, progress, cancellable, callback,
                             user_data);
}

/**
 * lers_device_driver_read_archive_finish:
 * @self: a #LersDeviceDriver
 * @result: the #GAsyncResult
 * @error: return location for a #GError
 *
 * Returns: (transfer container) (element-type Lers.Record): the records, oldest first
 *
 * Since: 0.1
 */
GPtrArray *
lers_device_driver_read_archive_finish (LersDeviceDriver *self, GAsyncResult *result,
                                        GError **error)
{
  LersDeviceDriverInterface *iface;

  g_return_val_if_fail (LERS_IS_DEVICE_DRIVER (self), NULL);
  if (g_async_result_is_tagged (result, lers_device_driver_read_archive_async))
    return g_task_propagate_pointer (G_TASK (result), error);
  iface = LERS_DEVICE_DRIVER_GET_IFACE (self);
  return iface->read_archive_finish (self, result, error);
}

/**
 * lers_device_driver_decode_frame:
 * @self: a #LersDeviceDriver
 * @frame: the frame's bytes as received
 * @error: return location for a #GError
 *
 * Decodes one frame of the protocol for people and scripts (`lers decode`).
 *
 * Returns: (transfer full): the decoded frame as JSON text
 *
 * Since: 0.1
 */
gchar *
lers_device_driver_decode_frame (LersDeviceDriver *self, GBytes *frame, GError **error)
{
  LersDeviceDriverInterface *iface;

  g_return_val_if_fail (LERS_IS_DEVICE_DRIVER (self), NULL);
  g_return_val_if_fail (frame != NULL, NULL);
  iface = LERS_DEVICE_DRIVER_GET_IFACE (self);
  if (iface->decode_frame == NULL)
    {
      g_set_error (error, LERS_ERROR, LERS_ERROR_NOT_SUPPORTED,
                   "the %s driver cannot decode frames", lers_device_driver_get_protocol (self));
      return NULL;
    }
  return iface->decode_frame (self, frame, error);
}
