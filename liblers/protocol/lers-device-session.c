/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "config.h"

#include <glib/gi18n-lib.h>

#include "lers-error.h"
#include "lers-sync-call-private.h"
#include "protocol/lers-device-session.h"

/**
 * LersDeviceSession:
 *
 * One conversation with one device: opened once (wake-up, login, speed
 * switch), then any number of reads, then closed. The session holds its
 * #LersTransport from open to close, so nothing else talks on the link
 * meanwhile; the poller reads every point of the device through it.
 *
 * Options are looked up in the device's own #LersDevice:options first,
 * then in the model's group of the quirks file the driver set with
 * lers_device_session_set_quirks(), then the driver's default applies.
 *
 * Since: 0.3
 */
typedef struct
{
  LersTransport *transport;
  LersDevice *device;
  GKeyFile *quirks;
  GHashTable *quirk_values; /* key → the model's value, kept for the session */
  gboolean open;
} LersDeviceSessionPrivate;

G_DEFINE_TYPE_WITH_PRIVATE (LersDeviceSession, lers_device_session, G_TYPE_OBJECT)

enum
{
  PROP_0,
  PROP_TRANSPORT,
  PROP_DEVICE,
  N_PROPS
};
static GParamSpec *props[N_PROPS];

static void
lers_device_session_finalize (GObject *object)
{
  LersDeviceSessionPrivate *priv
      = lers_device_session_get_instance_private (LERS_DEVICE_SESSION (object));

  g_clear_object (&priv->transport);
  g_clear_object (&priv->device);
  g_clear_pointer (&priv->quirks, g_key_file_unref);
  g_hash_table_unref (priv->quirk_values);
  G_OBJECT_CLASS (lers_device_session_parent_class)->finalize (object);
}

static void
lers_device_session_get_property (GObject *object, guint prop_id, GValue *value, GParamSpec *pspec)
{
  LersDeviceSessionPrivate *priv
      = lers_device_session_get_instance_private (LERS_DEVICE_SESSION (object));

  switch (prop_id)
    {
    case PROP_TRANSPORT:
      g_value_set_object (value, priv->transport);
      break;
    case PROP_DEVICE:
      g_value_set_object (value, priv->device);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
lers_device_session_set_property (GObject *object, guint prop_id, const GValue *value,
                                  GParamSpec *pspec)
{
  LersDeviceSessionPrivate *priv
      = lers_device_session_get_instance_private (LERS_DEVICE_SESSION (object));

  switch (prop_id)
    {
    case PROP_TRANSPORT:
      priv->transport = g_value_dup_object (value);
      break;
    case PROP_DEVICE:
      priv->device = g_value_dup_object (value);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
lers_device_session_class_init (LersDeviceSessionClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = lers_device_session_finalize;
  object_class->get_property = lers_device_session_get_property;
  object_class->set_property = lers_device_session_set_property;

  /**
   * LersDeviceSession:transport:
   *
   * The link the session talks over.
   *
   * Since: 0.3
   */
  props[PROP_TRANSPORT]
      = g_param_spec_object ("transport", NULL, NULL, LERS_TYPE_TRANSPORT,
                             G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  /**
   * LersDeviceSession:device:
   *
   * The device talked to: its model, network address, passwords and
   * options, and its clock zone.
   *
   * Since: 0.3
   */
  props[PROP_DEVICE]
      = g_param_spec_object ("device", NULL, NULL, LERS_TYPE_DEVICE,
                             G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, props);
}

static void
lers_device_session_init (LersDeviceSession *self)
{
  LersDeviceSessionPrivate *priv = lers_device_session_get_instance_private (self);

  priv->quirk_values = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
}

/**
 * lers_device_session_get_transport:
 * @self: a #LersDeviceSession
 *
 * Returns: (transfer none): the link
 *
 * Since: 0.3
 */
LersTransport *
lers_device_session_get_transport (LersDeviceSession *self)
{
  LersDeviceSessionPrivate *priv = lers_device_session_get_instance_private (self);

  g_return_val_if_fail (LERS_IS_DEVICE_SESSION (self), NULL);
  return priv->transport;
}

/**
 * lers_device_session_get_device:
 * @self: a #LersDeviceSession
 *
 * Returns: (transfer none): the device
 *
 * Since: 0.3
 */
LersDevice *
lers_device_session_get_device (LersDeviceSession *self)
{
  LersDeviceSessionPrivate *priv = lers_device_session_get_instance_private (self);

  g_return_val_if_fail (LERS_IS_DEVICE_SESSION (self), NULL);
  return priv->device;
}

/**
 * lers_device_session_get_quirks:
 * @self: a #LersDeviceSession
 *
 * Returns: (transfer none) (nullable): the driver's per-model quirks, one
 *   group a model
 *
 * Since: 0.3
 */
GKeyFile *
lers_device_session_get_quirks (LersDeviceSession *self)
{
  LersDeviceSessionPrivate *priv = lers_device_session_get_instance_private (self);

  g_return_val_if_fail (LERS_IS_DEVICE_SESSION (self), NULL);
  return priv->quirks;
}

/**
 * lers_device_session_set_quirks:
 * @self: a #LersDeviceSession
 * @quirks: (nullable): the plugin's quirks file, one group a model (the
 *   model's name as the driver lists it), keys as #LersDevice:options
 *
 * For drivers, when they make the session.
 *
 * Since: 0.3
 */
void
lers_device_session_set_quirks (LersDeviceSession *self, GKeyFile *quirks)
{
  LersDeviceSessionPrivate *priv = lers_device_session_get_instance_private (self);

  g_return_if_fail (LERS_IS_DEVICE_SESSION (self));
  if (quirks != NULL)
    g_key_file_ref (quirks);
  g_clear_pointer (&priv->quirks, g_key_file_unref);
  priv->quirks = quirks;
  g_hash_table_remove_all (priv->quirk_values);
}

/**
 * lers_device_session_get_option:
 * @self: a #LersDeviceSession
 * @key: the option (`timeout-ms`, `password`, …)
 *
 * Returns: (nullable): the device's own value, else its model's quirk,
 *   else %NULL for the driver's default
 *
 * Since: 0.3
 */
const gchar *
lers_device_session_get_option (LersDeviceSession *self, const gchar *key)
{
  LersDeviceSessionPrivate *priv = lers_device_session_get_instance_private (self);
  const gchar *value, *model;
  gchar *quirk;

  g_return_val_if_fail (LERS_IS_DEVICE_SESSION (self), NULL);
  g_return_val_if_fail (key != NULL, NULL);
  value = lers_device_get_option (priv->device, key);
  if (value != NULL)
    return value;
  model = lers_device_get_model (priv->device);
  if (priv->quirks == NULL || model == NULL)
    return NULL;
  quirk = g_hash_table_lookup (priv->quirk_values, key);
  if (quirk != NULL)
    return quirk;
  quirk = g_key_file_get_string (priv->quirks, model, key, NULL);
  if (quirk == NULL)
    return NULL;
  /* kept as long as the session, not the process: quirks may hold secrets */
  g_hash_table_insert (priv->quirk_values, g_strdup (key), quirk);
  return quirk;
}

/**
 * lers_device_session_get_option_uint:
 * @self: a #LersDeviceSession
 * @key: the option
 * @default_value: the driver's default
 *
 * Returns: the option as a number; @default_value when unset or not a
 *   whole number (a warning is logged then)
 *
 * Since: 0.3
 */
guint
lers_device_session_get_option_uint (LersDeviceSession *self, const gchar *key, guint default_value)
{
  const gchar *text = lers_device_session_get_option (self, key);
  guint64 value;

  if (text == NULL)
    return default_value;
  if (!g_ascii_string_to_unsigned (text, 10, 0, G_MAXUINT, &value, NULL))
    {
      g_warning ("device option %s=%s is not a whole number; using %u", key, text, default_value);
      return default_value;
    }
  return (guint) value;
}

/**
 * lers_device_session_is_open:
 * @self: a #LersDeviceSession
 *
 * Returns: whether open succeeded and close has not been called
 *
 * Since: 0.3
 */
gboolean
lers_device_session_is_open (LersDeviceSession *self)
{
  LersDeviceSessionPrivate *priv = lers_device_session_get_instance_private (self);

  g_return_val_if_fail (LERS_IS_DEVICE_SESSION (self), FALSE);
  return priv->open;
}

static void
return_not_supported (LersDeviceSession *self, gpointer tag, const gchar *what,
                      GCancellable *cancellable, GAsyncReadyCallback callback, gpointer user_data)
{
  g_autoptr (GTask) task = g_task_new (self, cancellable, callback, user_data);

  g_task_set_source_tag (task, tag);
  /* TRANSLATORS: %s is what was asked, e.g. "reading meter events" */
  g_task_return_new_error (task, LERS_ERROR, LERS_ERROR_NOT_SUPPORTED,
                           _ ("The device's driver does not support %s"), what);
}

/* Returns whether the session may be read; otherwise answers the caller */
static gboolean
check_open (LersDeviceSession *self, gpointer tag, GCancellable *cancellable,
            GAsyncReadyCallback callback, gpointer user_data)
{
  LersDeviceSessionPrivate *priv = lers_device_session_get_instance_private (self);
  g_autoptr (GTask) task = NULL;

  if (priv->open)
    return TRUE;
  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, tag);
  g_task_return_new_error (task, LERS_ERROR, LERS_ERROR_CONNECTION,
                           _ ("The session with the device on %s is not open"),
                           lers_transport_get_description (priv->transport));
  return FALSE;
}

static gboolean
is_own_task (LersDeviceSession *self, GAsyncResult *result, gpointer tag)
{
  return g_task_is_valid (result, self) && g_task_get_source_tag (G_TASK (result)) == tag;
}

static void
open_cb (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr (GTask) task = user_data;
  LersDeviceSession *self = LERS_DEVICE_SESSION (source);
  LersDeviceSessionPrivate *priv = lers_device_session_get_instance_private (self);
  GError *error = NULL;

  if (!LERS_DEVICE_SESSION_GET_CLASS (self)->open_finish (self, result, &error))
    {
      g_task_return_error (task, error);
      return;
    }
  priv->open = TRUE;
  g_task_return_boolean (task, TRUE);
}

/**
 * lers_device_session_open_async:
 * @self: a #LersDeviceSession
 * @cancellable: (nullable): a #GCancellable
 * @callback: (scope async): called when the device is ready for reads
 * @user_data: data for @callback
 *
 * The transport must already be open.
 *
 * Since: 0.3
 */
void
lers_device_session_open_async (LersDeviceSession *self, GCancellable *cancellable,
                                GAsyncReadyCallback callback, gpointer user_data)
{
  LersDeviceSessionPrivate *priv = lers_device_session_get_instance_private (self);
  LersDeviceSessionClass *klass;
  g_autoptr (GTask) task = NULL;

  g_return_if_fail (LERS_IS_DEVICE_SESSION (self));
  klass = LERS_DEVICE_SESSION_GET_CLASS (self);
  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, lers_device_session_open_async);
  if (!lers_transport_is_open (priv->transport))
    {
      g_task_return_new_error (task, LERS_ERROR, LERS_ERROR_CONNECTION,
                               _ ("The link %s is not open"),
                               lers_transport_get_description (priv->transport));
      return;
    }
  if (klass->open_async == NULL)
    {
      priv->open = TRUE;
      g_task_return_boolean (task, TRUE);
      return;
    }
  klass->open_async (self, cancellable, open_cb, g_steal_pointer (&task));
}

/**
 * lers_device_session_open_finish:
 * @self: a #LersDeviceSession
 * @result: the #GAsyncResult
 * @error: return location for a #GError
 *
 * Returns: whether the device is ready
 *
 * Since: 0.3
 */
gboolean
lers_device_session_open_finish (LersDeviceSession *self, GAsyncResult *result, GError **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  return g_task_propagate_boolean (G_TASK (result), error);
}

/**
 * lers_device_session_read_archive_async:
 * @self: an open #LersDeviceSession
 * @kind: current, hour, day, month or totals
 * @from: (nullable): the first timestamp wanted; %NULL for current values and totals
 * @to: (nullable): the timestamp after the last wanted
 * @progress: (nullable): told how far the read has come
 * @cancellable: (nullable): a #GCancellable
 * @callback: (scope async): called with the records
 * @user_data: data for @callback
 *
 * Since: 0.3
 */
void
lers_device_session_read_archive_async (LersDeviceSession *self, LersArchiveKind kind,
                                        GDateTime *from, GDateTime *to, LersProgress *progress,
                                        GCancellable *cancellable, GAsyncReadyCallback callback,
                                        gpointer user_data)
{
  LersDeviceSessionClass *klass;

  g_return_if_fail (LERS_IS_DEVICE_SESSION (self));
  if (!check_open (self, lers_device_session_read_archive_async, cancellable, callback, user_data))
    return;
  klass = LERS_DEVICE_SESSION_GET_CLASS (self);
  if (klass->read_archive_async == NULL)
    {
      return_not_supported (self, lers_device_session_read_archive_async, _ ("reading archives"),
                            cancellable, callback, user_data);
      return;
    }
  klass->read_archive_async (self, kind, from, to, progress, cancellable, callback, user_data);
}

/**
 * lers_device_session_read_archive_finish:
 * @self: a #LersDeviceSession
 * @result: the #GAsyncResult
 * @error: return location for a #GError
 *
 * Returns: (transfer container) (element-type LersRecord): the records,
 *   oldest first, each with its device channel
 *
 * Since: 0.3
 */
GPtrArray *
lers_device_session_read_archive_finish (LersDeviceSession *self, GAsyncResult *result,
                                         GError **error)
{
  g_return_val_if_fail (LERS_IS_DEVICE_SESSION (self), NULL);
  if (is_own_task (self, result, lers_device_session_read_archive_async))
    return g_task_propagate_pointer (G_TASK (result), error);
  return LERS_DEVICE_SESSION_GET_CLASS (self)->read_archive_finish (self, result, error);
}

/**
 * lers_device_session_read_events_async:
 * @self: an open #LersDeviceSession
 * @from: the first start time wanted
 * @to: the start time after the last wanted
 * @progress: (nullable): told how far the read has come
 * @cancellable: (nullable): a #GCancellable
 * @callback: (scope async): called with the events
 * @user_data: data for @callback
 *
 * Since: 0.3
 */
void
lers_device_session_read_events_async (LersDeviceSession *self, GDateTime *from, GDateTime *to,
                                       LersProgress *progress, GCancellable *cancellable,
                                       GAsyncReadyCallback callback, gpointer user_data)
{
  LersDeviceSessionClass *klass;

  g_return_if_fail (LERS_IS_DEVICE_SESSION (self));
  if (!check_open (self, lers_device_session_read_events_async, cancellable, callback, user_data))
    return;
  klass = LERS_DEVICE_SESSION_GET_CLASS (self);
  if (klass->read_events_async == NULL)
    {
      return_not_supported (self, lers_device_session_read_events_async, _ ("reading meter events"),
                            cancellable, callback, user_data);
      return;
    }
  klass->read_events_async (self, from, to, progress, cancellable, callback, user_data);
}

/**
 * lers_device_session_read_events_finish:
 * @self: a #LersDeviceSession
 * @result: the #GAsyncResult
 * @error: return location for a #GError
 *
 * Returns: (transfer container) (element-type LersMeterEvent): the meter events
 *   (#LersMeterEvent), oldest first
 *
 * Since: 0.3
 */
GPtrArray *
lers_device_session_read_events_finish (LersDeviceSession *self, GAsyncResult *result,
                                        GError **error)
{
  g_return_val_if_fail (LERS_IS_DEVICE_SESSION (self), NULL);
  if (is_own_task (self, result, lers_device_session_read_events_async))
    return g_task_propagate_pointer (G_TASK (result), error);
  return LERS_DEVICE_SESSION_GET_CLASS (self)->read_events_finish (self, result, error);
}

/**
 * lers_device_session_read_clock_async:
 * @self: an open #LersDeviceSession
 * @cancellable: (nullable): a #GCancellable
 * @callback: (scope async): called with the device's time
 * @user_data: data for @callback
 *
 * Since: 0.3
 */
void
lers_device_session_read_clock_async (LersDeviceSession *self, GCancellable *cancellable,
                                      GAsyncReadyCallback callback, gpointer user_data)
{
  LersDeviceSessionClass *klass;

  g_return_if_fail (LERS_IS_DEVICE_SESSION (self));
  if (!check_open (self, lers_device_session_read_clock_async, cancellable, callback, user_data))
    return;
  klass = LERS_DEVICE_SESSION_GET_CLASS (self);
  if (klass->read_clock_async == NULL)
    {
      return_not_supported (self, lers_device_session_read_clock_async, _ ("reading the clock"),
                            cancellable, callback, user_data);
      return;
    }
  klass->read_clock_async (self, cancellable, callback, user_data);
}

/**
 * lers_device_session_read_clock_finish:
 * @self: a #LersDeviceSession
 * @result: the #GAsyncResult
 * @error: return location for a #GError
 *
 * Returns: (transfer full): the device's time
 *
 * Since: 0.3
 */
GDateTime *
lers_device_session_read_clock_finish (LersDeviceSession *self, GAsyncResult *result,
                                       GError **error)
{
  g_return_val_if_fail (LERS_IS_DEVICE_SESSION (self), NULL);
  if (is_own_task (self, result, lers_device_session_read_clock_async))
    return g_task_propagate_pointer (G_TASK (result), error);
  return LERS_DEVICE_SESSION_GET_CLASS (self)->read_clock_finish (self, result, error);
}

/**
 * lers_device_session_set_clock_async:
 * @self: an open #LersDeviceSession
 * @time: the time to set
 * @cancellable: (nullable): a #GCancellable
 * @callback: (scope async): called when set
 * @user_data: data for @callback
 *
 * Since: 0.3
 */
void
lers_device_session_set_clock_async (LersDeviceSession *self, GDateTime *time,
                                     GCancellable *cancellable, GAsyncReadyCallback callback,
                                     gpointer user_data)
{
  LersDeviceSessionClass *klass;

  g_return_if_fail (LERS_IS_DEVICE_SESSION (self));
  g_return_if_fail (time != NULL);
  if (!check_open (self, lers_device_session_set_clock_async, cancellable, callback, user_data))
    return;
  klass = LERS_DEVICE_SESSION_GET_CLASS (self);
  if (klass->set_clock_async == NULL)
    {
      return_not_supported (self, lers_device_session_set_clock_async, _ ("setting the clock"),
                            cancellable, callback, user_data);
      return;
    }
  klass->set_clock_async (self, time, cancellable, callback, user_data);
}

/**
 * lers_device_session_set_clock_finish:
 * @self: a #LersDeviceSession
 * @result: the #GAsyncResult
 * @error: return location for a #GError
 *
 * Returns: whether the clock was set
 *
 * Since: 0.3
 */
gboolean
lers_device_session_set_clock_finish (LersDeviceSession *self, GAsyncResult *result, GError **error)
{
  g_return_val_if_fail (LERS_IS_DEVICE_SESSION (self), FALSE);
  if (is_own_task (self, result, lers_device_session_set_clock_async))
    return g_task_propagate_boolean (G_TASK (result), error);
  return LERS_DEVICE_SESSION_GET_CLASS (self)->set_clock_finish (self, result, error);
}

static void
close_cb (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr (GTask) task = user_data;
  LersDeviceSession *self = LERS_DEVICE_SESSION (source);
  GError *error = NULL;

  if (!LERS_DEVICE_SESSION_GET_CLASS (self)->close_finish (self, result, &error))
    g_task_return_error (task, error);
  else
    g_task_return_boolean (task, TRUE);
}

/**
 * lers_device_session_close_async:
 * @self: a #LersDeviceSession
 * @cancellable: (nullable): a #GCancellable
 * @callback: (scope async): called when closed
 * @user_data: data for @callback
 *
 * Ends the conversation; the transport stays open for the next device on
 * the link. A session that was never opened closes at once.
 *
 * Since: 0.3
 */
void
lers_device_session_close_async (LersDeviceSession *self, GCancellable *cancellable,
                                 GAsyncReadyCallback callback, gpointer user_data)
{
  LersDeviceSessionPrivate *priv = lers_device_session_get_instance_private (self);
  LersDeviceSessionClass *klass;
  g_autoptr (GTask) task = NULL;
  gboolean was_open;

  g_return_if_fail (LERS_IS_DEVICE_SESSION (self));
  klass = LERS_DEVICE_SESSION_GET_CLASS (self);
  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, lers_device_session_close_async);
  was_open = priv->open;
  priv->open = FALSE;
  if (!was_open || klass->close_async == NULL)
    {
      g_task_return_boolean (task, TRUE);
      return;
    }
  klass->close_async (self, cancellable, close_cb, g_steal_pointer (&task));
}

/**
 * lers_device_session_close_finish:
 * @self: a #LersDeviceSession
 * @result: the #GAsyncResult
 * @error: return location for a #GError
 *
 * Returns: whether the device said goodbye properly
 *
 * Since: 0.3
 */
gboolean
lers_device_session_close_finish (LersDeviceSession *self, GAsyncResult *result, GError **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  return g_task_propagate_boolean (G_TASK (result), error);
}

/* ---- blocking forms, for scripts: each runs a private main context ---- */

/**
 * lers_device_session_open_sync:
 * @self: a #LersDeviceSession
 * @cancellable: (nullable): a #GCancellable
 * @error: return location for a #GError
 *
 * Returns: whether the device is ready
 *
 * Since: 0.3
 */
gboolean
lers_device_session_open_sync (LersDeviceSession *self, GCancellable *cancellable, GError **error)
{
  LersSyncCall sync;
  gboolean ok;

  lers_sync_call_begin (&sync);
  lers_device_session_open_async (self, cancellable, lers_sync_call_done, &sync);
  lers_sync_call_wait (&sync);
  ok = lers_device_session_open_finish (self, sync.result, error);
  lers_sync_call_end (&sync);
  return ok;
}

/**
 * lers_device_session_read_archive_sync:
 * @self: an open #LersDeviceSession
 * @kind: the archive
 * @from: (nullable): the first timestamp wanted
 * @to: (nullable): the timestamp after the last wanted
 * @progress: (nullable): told how far the read has come
 * @cancellable: (nullable): a #GCancellable
 * @error: return location for a #GError
 *
 * Returns: (transfer container) (element-type LersRecord): the records
 *
 * Since: 0.3
 */
GPtrArray *
lers_device_session_read_archive_sync (LersDeviceSession *self, LersArchiveKind kind,
                                       GDateTime *from, GDateTime *to, LersProgress *progress,
                                       GCancellable *cancellable, GError **error)
{
  LersSyncCall sync;
  GPtrArray *records;

  lers_sync_call_begin (&sync);
  lers_device_session_read_archive_async (self, kind, from, to, progress, cancellable,
                                          lers_sync_call_done, &sync);
  lers_sync_call_wait (&sync);
  records = lers_device_session_read_archive_finish (self, sync.result, error);
  lers_sync_call_end (&sync);
  return records;
}

/**
 * lers_device_session_read_events_sync:
 * @self: an open #LersDeviceSession
 * @from: the first start time wanted
 * @to: the start time after the last wanted
 * @progress: (nullable): told how far the read has come
 * @cancellable: (nullable): a #GCancellable
 * @error: return location for a #GError
 *
 * Returns: (transfer container) (element-type LersMeterEvent): the meter events
 *
 * Since: 0.3
 */
GPtrArray *
lers_device_session_read_events_sync (LersDeviceSession *self, GDateTime *from, GDateTime *to,
                                      LersProgress *progress, GCancellable *cancellable,
                                      GError **error)
{
  LersSyncCall sync;
  GPtrArray *events;

  lers_sync_call_begin (&sync);
  lers_device_session_read_events_async (self, from, to, progress, cancellable, lers_sync_call_done,
                                         &sync);
  lers_sync_call_wait (&sync);
  events = lers_device_session_read_events_finish (self, sync.result, error);
  lers_sync_call_end (&sync);
  return events;
}

/**
 * lers_device_session_read_clock_sync:
 * @self: an open #LersDeviceSession
 * @cancellable: (nullable): a #GCancellable
 * @error: return location for a #GError
 *
 * Returns: (transfer full): the device's time
 *
 * Since: 0.3
 */
GDateTime *
lers_device_session_read_clock_sync (LersDeviceSession *self, GCancellable *cancellable,
                                     GError **error)
{
  LersSyncCall sync;
  GDateTime *time;

  lers_sync_call_begin (&sync);
  lers_device_session_read_clock_async (self, cancellable, lers_sync_call_done, &sync);
  lers_sync_call_wait (&sync);
  time = lers_device_session_read_clock_finish (self, sync.result, error);
  lers_sync_call_end (&sync);
  return time;
}

/**
 * lers_device_session_set_clock_sync:
 * @self: an open #LersDeviceSession
 * @time: the time to set
 * @cancellable: (nullable): a #GCancellable
 * @error: return location for a #GError
 *
 * Returns: whether the clock was set
 *
 * Since: 0.3
 */
gboolean
lers_device_session_set_clock_sync (LersDeviceSession *self, GDateTime *time,
                                    GCancellable *cancellable, GError **error)
{
  LersSyncCall sync;
  gboolean ok;

  lers_sync_call_begin (&sync);
  lers_device_session_set_clock_async (self, time, cancellable, lers_sync_call_done, &sync);
  lers_sync_call_wait (&sync);
  ok = lers_device_session_set_clock_finish (self, sync.result, error);
  lers_sync_call_end (&sync);
  return ok;
}

/**
 * lers_device_session_close_sync:
 * @self: a #LersDeviceSession
 * @cancellable: (nullable): a #GCancellable
 * @error: return location for a #GError
 *
 * Returns: whether the device said goodbye properly
 *
 * Since: 0.3
 */
gboolean
lers_device_session_close_sync (LersDeviceSession *self, GCancellable *cancellable, GError **error)
{
  LersSyncCall sync;
  gboolean ok;

  lers_sync_call_begin (&sync);
  lers_device_session_close_async (self, cancellable, lers_sync_call_done, &sync);
  lers_sync_call_wait (&sync);
  ok = lers_device_session_close_finish (self, sync.result, error);
  lers_sync_call_end (&sync);
  return ok;
}
