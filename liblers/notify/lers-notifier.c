/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "config.h"

#include "lers-error.h"
#include "notify/lers-notifier.h"

/**
 * LersNotifier:
 *
 * The contract of a notification plugin (e-mail, SMS, Telegram, webhook).
 *
 * Since: 0.1
 */

G_DEFINE_INTERFACE (LersNotifier, lers_notifier, G_TYPE_OBJECT)

static void
lers_notifier_default_init (LersNotifierInterface *iface)
{
}

/**
 * lers_notifier_get_channel:
 * @self: a #LersNotifier
 *
 * Returns: the channel's short name
 *
 * Since: 0.1
 */
const gchar *
lers_notifier_get_channel (LersNotifier *self)
{
  LersNotifierInterface *iface;

  g_return_val_if_fail (LERS_IS_NOTIFIER (self), NULL);
  iface = LERS_NOTIFIER_GET_IFACE (self);
  return iface->get_channel != NULL ? iface->get_channel (self) : G_OBJECT_TYPE_NAME (self);
}

/**
 * lers_notifier_send_async:
 * @self: a #LersNotifier
 * @recipient: the address, phone number or chat of the recipient
 * @subject: (nullable): a subject, where the channel has one
 * @body: the text
 * @cancellable: (nullable): a #GCancellable
 * @callback: (scope async): called when done
 * @user_data: data for @callback
 *
 * Since: 0.1
 */
void
lers_notifier_send_async (LersNotifier *self, const gchar *recipient, const gchar *subject,
                          const gchar *body, GCancellable *cancellable,
                          GAsyncReadyCallback callback, gpointer user_data)
{
  LersNotifierInterface *iface;

  g_return_if_fail (LERS_IS_NOTIFIER (self));
  g_return_if_fail (recipient != NULL && body != NULL);
  iface = LERS_NOTIFIER_GET_IFACE (self);
  if (iface->send_async == NULL)
    {
      g_task_report_new_error (self, callback, user_data, lers_notifier_send_async, LERS_ERROR,
                               LERS_ERROR_NOT_SUPPORTED, "the %s notifier cannot send",
                               lers_notifier_get_channel (self));
      return;
    }
  iface->send_async (self, recipient, subject, body, cancellable, callback, user_data);
}

/**
 * lers_notifier_send_finish:
 * @self: a #LersNotifier
 * @result: the #GAsyncResult
 * @error: return location for a #GError
 *
 * Returns: %TRUE if the channel accepted the message
 *
 * Since: 0.1
 */
gboolean
lers_notifier_send_finish (LersNotifier *self, GAsyncResult *result, GError **error)
{
  g_return_val_if_fail (LERS_IS_NOTIFIER (self), FALSE);
  if (g_async_result_is_tagged (result, lers_notifier_send_async))
    return g_task_propagate_boolean (G_TASK (result), error);
  return LERS_NOTIFIER_GET_IFACE (self)->send_finish (self, result, error);
}
