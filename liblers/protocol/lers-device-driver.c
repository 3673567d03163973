/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "config.h"

#include <glib/gi18n-lib.h>

#include "lers-error.h"
#include "lers-sync-call-private.h"
#include "protocol/lers-device-driver.h"

/**
 * LersDeviceDriver:
 *
 * The contract of a device plugin: one protocol family. The driver makes a
 * #LersDeviceSession for a device over any #LersTransport (TCP, an incoming
 * GPRS modem, a serial line, a dial-up modem); the session logs in once and
 * serves every read the poller needs from that device.
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
                   _ ("The %s driver cannot decode frames"),
                   lers_device_driver_get_protocol (self));
      return NULL;
    }
  return iface->decode_frame (self, frame, error);
}

/**
 * lers_device_driver_create_session:
 * @self: a #LersDeviceDriver
 * @transport: the link to the device, open or not
 * @device: the device, with its network address and options
 * @error: return location for a #GError
 *
 * Returns: (transfer full): a session, not yet open; %NULL with
 *   %LERS_ERROR_NOT_SUPPORTED for a plugin without sessions, or an error
 *   about @device (a bad address)
 *
 * Since: 0.3
 */
LersDeviceSession *
lers_device_driver_create_session (LersDeviceDriver *self, LersTransport *transport,
                                   LersDevice *device, GError **error)
{
  LersDeviceDriverInterface *iface;

  g_return_val_if_fail (LERS_IS_DEVICE_DRIVER (self), NULL);
  g_return_val_if_fail (LERS_IS_TRANSPORT (transport), NULL);
  g_return_val_if_fail (LERS_IS_DEVICE (device), NULL);
  iface = LERS_DEVICE_DRIVER_GET_IFACE (self);
  if (iface->create_session == NULL)
    {
      g_set_error (error, LERS_ERROR, LERS_ERROR_NOT_SUPPORTED,
                   _ ("The %s plugin has no device sessions"),
                   lers_device_driver_get_protocol (self));
      return NULL;
    }
  return iface->create_session (self, transport, device, error);
}

static void
open_session_cb (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr (GTask) task = user_data;
  GError *error = NULL;

  if (!lers_device_session_open_finish (LERS_DEVICE_SESSION (source), result, &error))
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, g_object_ref (source), g_object_unref);
}

/**
 * lers_device_driver_open_session_async:
 * @self: a #LersDeviceDriver
 * @transport: the link to the device, already open
 * @device: the device, with its network address and options
 * @cancellable: (nullable): a #GCancellable
 * @callback: (scope async): called when the session is open
 * @user_data: data for @callback
 *
 * Makes a session with lers_device_driver_create_session() and opens it.
 *
 * Since: 0.3
 */
void
lers_device_driver_open_session_async (LersDeviceDriver *self, LersTransport *transport,
                                       LersDevice *device, GCancellable *cancellable,
                                       GAsyncReadyCallback callback, gpointer user_data)
{
  g_autoptr (GTask) task = NULL;
  g_autoptr (LersDeviceSession) session = NULL;
  GError *error = NULL;

  g_return_if_fail (LERS_IS_DEVICE_DRIVER (self));
  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, lers_device_driver_open_session_async);
  session = lers_device_driver_create_session (self, transport, device, &error);
  if (session == NULL)
    {
      g_task_return_error (task, error);
      return;
    }
  lers_device_session_open_async (session, cancellable, open_session_cb, g_steal_pointer (&task));
}

/**
 * lers_device_driver_open_session_finish:
 * @self: a #LersDeviceDriver
 * @result: the #GAsyncResult
 * @error: return location for a #GError
 *
 * Returns: (transfer full): the open session; close it with
 *   lers_device_session_close_async()
 *
 * Since: 0.3
 */
LersDeviceSession *
lers_device_driver_open_session_finish (LersDeviceDriver *self, GAsyncResult *result,
                                        GError **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}

/**
 * lers_device_driver_open_session_sync:
 * @self: a #LersDeviceDriver
 * @transport: the link to the device, already open
 * @device: the device
 * @cancellable: (nullable): a #GCancellable
 * @error: return location for a #GError
 *
 * The blocking form, for scripts; it runs a private main context.
 *
 * Returns: (transfer full): the open session
 *
 * Since: 0.3
 */
LersDeviceSession *
lers_device_driver_open_session_sync (LersDeviceDriver *self, LersTransport *transport,
                                      LersDevice *device, GCancellable *cancellable, GError **error)
{
  LersSyncCall call;
  LersDeviceSession *session;

  lers_sync_call_begin (&call);
  lers_device_driver_open_session_async (self, transport, device, cancellable, lers_sync_call_done,
                                         &call);
  session = lers_device_driver_open_session_finish (self, lers_sync_call_wait (&call), error);
  lers_sync_call_end (&call);
  return session;
}

/**
 * lers_device_driver_scan_async:
 * @self: a #LersDeviceDriver
 * @transport: an open link
 * @pattern: (nullable): what to look for, in the protocol's terms; %NULL for all
 * @progress: (nullable): told how far the scan has come
 * @cancellable: (nullable): a #GCancellable
 * @callback: (scope async): called when the scan is done
 * @user_data: data for @callback
 *
 * Since: 0.3
 */
void
lers_device_driver_scan_async (LersDeviceDriver *self, LersTransport *transport,
                               const gchar *pattern, LersProgress *progress,
                               GCancellable *cancellable, GAsyncReadyCallback callback,
                               gpointer user_data)
{
  LersDeviceDriverInterface *iface;

  g_return_if_fail (LERS_IS_DEVICE_DRIVER (self));
  g_return_if_fail (LERS_IS_TRANSPORT (transport));
  iface = LERS_DEVICE_DRIVER_GET_IFACE (self);
  if (iface->scan_async == NULL)
    {
      g_autoptr (GTask) task = g_task_new (self, cancellable, callback, user_data);
      g_task_set_source_tag (task, lers_device_driver_scan_async);
      g_task_return_new_error (task, LERS_ERROR, LERS_ERROR_NOT_SUPPORTED,
                               _ ("The %s plugin cannot scan for devices"),
                               lers_device_driver_get_protocol (self));
      return;
    }
  iface->scan_async (self, transport, pattern, progress, cancellable, callback, user_data);
}

/**
 * lers_device_driver_scan_finish:
 * @self: a #LersDeviceDriver
 * @result: the #GAsyncResult
 * @error: return location for a #GError
 *
 * Returns: (transfer full) (element-type LersDevice): the devices found
 *
 * Since: 0.3
 */
GPtrArray *
lers_device_driver_scan_finish (LersDeviceDriver *self, GAsyncResult *result, GError **error)
{
  LersDeviceDriverInterface *iface;

  g_return_val_if_fail (LERS_IS_DEVICE_DRIVER (self), NULL);
  if (g_task_is_valid (result, self)
      && g_task_get_source_tag (G_TASK (result)) == lers_device_driver_scan_async)
    return g_task_propagate_pointer (G_TASK (result), error);
  iface = LERS_DEVICE_DRIVER_GET_IFACE (self);
  return iface->scan_finish (self, result, error);
}
