/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "config.h"

#include "lers-error.h"
#include "protocol/lers-device-simulator.h"

/**
 * LersDeviceSimulator:
 *
 * A simulated meter: the plugin's protocol served on a stream with
 * deterministic data, for the demo, tests and benchmarks.
 *
 * Since: 0.1
 */

G_DEFINE_INTERFACE (LersDeviceSimulator, lers_device_simulator, G_TYPE_OBJECT)

static void
lers_device_simulator_default_init (LersDeviceSimulatorInterface *iface)
{
  /**
   * LersDeviceSimulator:serial-number:
   *
   * The simulated meter's serial number (its secondary address, where the
   * protocol has one).
   *
   * Since: 0.1
   */
  g_object_interface_install_property (
      iface, g_param_spec_string ("serial-number", NULL, NULL, NULL,
                                  G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS));
  /**
   * LersDeviceSimulator:address:
   *
   * The simulated meter's network (primary) address.
   *
   * Since: 0.1
   */
  g_object_interface_install_property (
      iface, g_param_spec_uint ("address", NULL, NULL, 0, G_MAXUINT, 1,
                                G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS));
  /**
   * LersDeviceSimulator:seed:
   *
   * Seed of the simulated data; equal seeds give equal data.
   *
   * Since: 0.1
   */
  g_object_interface_install_property (
      iface, g_param_spec_uint ("seed", NULL, NULL, 0, G_MAXUINT, 0,
                                G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS));
}

/**
 * lers_device_simulator_get_protocol:
 * @self: a #LersDeviceSimulator
 *
 * Returns: the protocol's short name (`mbus`)
 *
 * Since: 0.1
 */
const gchar *
lers_device_simulator_get_protocol (LersDeviceSimulator *self)
{
  LersDeviceSimulatorInterface *iface;

  g_return_val_if_fail (LERS_IS_DEVICE_SIMULATOR (self), NULL);
  iface = LERS_DEVICE_SIMULATOR_GET_IFACE (self);
  return iface->get_protocol != NULL ? iface->get_protocol (self) : G_OBJECT_TYPE_NAME (self);
}

/**
 * lers_device_simulator_serve_async:
 * @self: a #LersDeviceSimulator
 * @stream: a connection from a driver
 * @cancellable: (nullable): a #GCancellable
 * @callback: (scope async): called when the peer has gone or on error
 * @user_data: data for @callback
 *
 * Answers requests on @stream as the meter would, until the peer closes it.
 *
 * Since: 0.1
 */
void
lers_device_simulator_serve_async (LersDeviceSimulator *self, GIOStream *stream,
                                   GCancellable *cancellable, GAsyncReadyCallback callback,
                                   gpointer user_data)
{
  LersDeviceSimulatorInterface *iface;

  g_return_if_fail (LERS_IS_DEVICE_SIMULATOR (self));
  g_return_if_fail (G_IS_IO_STREAM (stream));
  iface = LERS_DEVICE_SIMULATOR_GET_IFACE (self);
  if (iface->serve_async == NULL)
    {
      g_task_report_new_error (self, callback, user_data, lers_device_simulator_serve_async,
                               LERS_ERROR, LERS_ERROR_NOT_SUPPORTED,
                               "the %s simulator cannot serve",
                               lers_device_simulator_get_protocol (self));
      return;
    }
  iface->serve_async (self, stream, cancellable, callback, user_data);
}

/**
 * lers_device_simulator_serve_finish:
 * @self: a #LersDeviceSimulator
 * @result: the #GAsyncResult
 * @error: return location for a #GError
 *
 * Returns: %TRUE if the peer closed the connection normally
 *
 * Since: 0.1
 */
gboolean
lers_device_simulator_serve_finish (LersDeviceSimulator *self, GAsyncResult *result, GError **error)
{
  g_return_val_if_fail (LERS_IS_DEVICE_SIMULATOR (self), FALSE);
  if (g_async_result_is_tagged (result, lers_device_simulator_serve_async))
    return g_task_propagate_boolean (G_TASK (result), error);
  return LERS_DEVICE_SIMULATOR_GET_IFACE (self)->serve_finish (self, result, error);
}
