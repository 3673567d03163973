/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

#if !defined(__LERS_H_INSIDE__) && !defined(LERS_COMPILATION)
#error "Only <lers.h> can be included directly."
#endif

#include <gio/gio.h>

G_BEGIN_DECLS

#define LERS_TYPE_NOTIFIER (lers_notifier_get_type ())
G_DECLARE_INTERFACE (LersNotifier, lers_notifier, LERS, NOTIFIER, GObject)

/**
 * LersNotifierInterface:
 * @parent_iface: the parent interface
 * @get_channel: the channel's short name (`smtp`, `telegram`)
 * @send_async: deliver one message to one recipient
 * @send_finish: finish it
 *
 * One notification channel. The outbox in liblers owns retries and
 * durability; a notifier only tries once.
 *
 * Since: 0.1
 */
struct _LersNotifierInterface
{
  GTypeInterface parent_iface;

  const gchar *(*get_channel) (LersNotifier *self);
  void (*send_async) (LersNotifier *self, const gchar *recipient, const gchar *subject,
                      const gchar *body, GCancellable *cancellable, GAsyncReadyCallback callback,
                      gpointer user_data);
  gboolean (*send_finish) (LersNotifier *self, GAsyncResult *result, GError **error);

  /*< private >*/
  gpointer padding[12];
};

const gchar *lers_notifier_get_channel (LersNotifier *self);
void lers_notifier_send_async (LersNotifier *self, const gchar *recipient, const gchar *subject,
                               const gchar *body, GCancellable *cancellable,
                               GAsyncReadyCallback callback, gpointer user_data);
gboolean lers_notifier_send_finish (LersNotifier *self, GAsyncResult *result, GError **error);

G_END_DECLS
