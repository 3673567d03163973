/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "config.h"

#include <glib-unix.h>
#include <glib/gi18n-lib.h>

#include "lers-error.h"
#include "store/lers-store-listener.h"
#include "store/lers-store-private.h"

/**
 * LersStoreListener:
 *
 * Listens on PostgreSQL channels (`LISTEN`/`NOTIFY`) over a connection of
 * its own, so that a polling service hears at once of an urgent job
 * (%LERS_POLL_CHANNEL_JOBS) or of a cancel (%LERS_POLL_CHANNEL_CANCEL).
 *
 * The connection is made in a worker thread and then watched by a source in
 * the thread-default main context of the thread that called
 * lers_store_listener_start(): that thread never blocks on the database, and
 * the signals are emitted there. When the connection is lost (the server
 * restarted, the session was terminated), the listener connects again with
 * back-off (1 s doubling to 30 s), listens again and emits
 * #LersStoreListener::reconnected: notifications sent meanwhile are lost, so
 * a user should then look for work it may have missed.
 *
 * Since: 0.4
 */

#define LERS_STORE_LISTENER_MIN_DELAY 1
#define LERS_STORE_LISTENER_MAX_DELAY 30

struct _LersStoreListener
{
  GObject parent_instance;
  LersStore *store;
  GPtrArray *channels; /* of gchar*, in the order listened to */
  GMainContext *context;
  GCancellable *connecting; /* of the connect under way, or NULL */
  PGconn *pg;
  GSource *watch;
  GSource *retry;
  guint delay; /* seconds before the next attempt to connect */
  gboolean started;
  gboolean connected;
  gboolean missed; /* a connection was lost or an attempt failed */
};

G_DEFINE_FINAL_TYPE (LersStoreListener, lers_store_listener, G_TYPE_OBJECT)

enum
{
  PROP_0,
  PROP_CONNECTED,
  N_PROPS
};

static GParamSpec *props[N_PROPS];

enum
{
  SIGNAL_NOTIFICATION,
  SIGNAL_RECONNECTED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static void lers_store_listener_connect (LersStoreListener *self);

static void
lers_store_listener_set_connected (LersStoreListener *self, gboolean connected)
{
  if (self->connected == connected)
    return;
  self->connected = connected;
  g_object_notify_by_pspec (G_OBJECT (self), props[PROP_CONNECTED]);
}

/* Drops the connection and its watch, without signals. */
static void
lers_store_listener_close (LersStoreListener *self)
{
  if (self->watch != NULL)
    {
      g_source_destroy (self->watch);
      g_clear_pointer (&self->watch, g_source_unref);
    }
  g_clear_pointer (&self->pg, PQfinish);
}

static gboolean
lers_store_listener_retry_cb (gpointer user_data)
{
  LersStoreListener *self = user_data;

  g_clear_pointer (&self->retry, g_source_unref);
  lers_store_listener_connect (self);
  return G_SOURCE_REMOVE;
}

/* Waits out the back-off, then connects again. */
static void
lers_store_listener_schedule_retry (LersStoreListener *self)
{
  g_return_if_fail (self->retry == NULL);
  self->missed = TRUE;
  self->retry = g_timeout_source_new_seconds (self->delay);
  g_source_set_callback (self->retry, lers_store_listener_retry_cb, self, NULL);
  g_source_set_static_name (self->retry, "[lers] listener retry");
  g_source_attach (self->retry, self->context);
  self->delay = MIN (self->delay * 2, LERS_STORE_LISTENER_MAX_DELAY);
}

static void
lers_store_listener_lost (LersStoreListener *self, const gchar *why)
{
  g_message ("Lost the database connection that listens for notifications: %s; connecting again",
             why);
  lers_store_listener_close (self);
  lers_store_listener_set_connected (self, FALSE);
  lers_store_listener_schedule_retry (self);
}

static gboolean
lers_store_listener_watch_cb (gint fd, GIOCondition condition, gpointer user_data)
{
  g_autoptr (LersStoreListener) self = g_object_ref (user_data);
  PGnotify *notify;

  if (!PQconsumeInput (self->pg))
    {
      g_autofree gchar *why = g_strstrip (g_strdup (PQerrorMessage (self->pg)));
      g_clear_pointer (&self->watch, g_source_unref);
      lers_store_listener_lost (self, why);
      return G_SOURCE_REMOVE;
    }
  /* the answers to LISTENs sent since the connection was made */
  while (!PQisBusy (self->pg))
    {
      PGresult *res = PQgetResult (self->pg);
      if (res == NULL)
        break;
      if (PQresultStatus (res) != PGRES_COMMAND_OK)
        g_warning ("LISTEN failed: %s", PQresultErrorMessage (res));
      PQclear (res);
    }
  while (self->pg != NULL && (notify = PQnotifies (self->pg)) != NULL)
    {
      g_autofree gchar *channel = g_strdup (notify->relname);
      g_autofree gchar *payload = g_strdup (notify->extra != NULL ? notify->extra : "");
      PQfreemem (notify);
      g_signal_emit (self, signals[SIGNAL_NOTIFICATION], 0, channel, payload);
    }
  /* a handler may have stopped the listener */
  if (self->pg == NULL)
    return G_SOURCE_REMOVE;
  if (PQstatus (self->pg) != CONNECTION_OK)
    {
      g_autofree gchar *why = g_strstrip (g_strdup (PQerrorMessage (self->pg)));
      g_clear_pointer (&self->watch, g_source_unref);
      lers_store_listener_lost (self, why);
      return G_SOURCE_REMOVE;
    }
  return G_SOURCE_CONTINUE;
}

static gchar *
lers_store_listener_listen_sql (PGconn *pg, const gchar *channel)
{
  g_autofree gchar *quoted = NULL;
  gchar *escaped = PQescapeIdentifier (pg, channel, strlen (channel));

  if (escaped == NULL)
    return NULL;
  quoted = g_strdup (escaped);
  PQfreemem (escaped);
  return g_strconcat ("LISTEN ", quoted, NULL);
}

/* What a connect in a worker thread needs: not the listener itself, so
 * that a listener dropped meanwhile is finalized at once (and emits
 * nothing more) rather than when the thread lets the task go. */
typedef struct
{
  GWeakRef listener;
  LersStore *store;
  GStrv channels;
} ConnectData;

static void
connect_data_free (ConnectData *data)
{
  g_weak_ref_clear (&data->listener);
  g_object_unref (data->store);
  g_strfreev (data->channels);
  g_free (data);
}

/* In a worker thread: connect and LISTEN on every channel. */
static void
lers_store_listener_connect_thread (GTask *task, gpointer source_object, gpointer task_data,
                                    GCancellable *cancellable)
{
  ConnectData *data = task_data;
  GError *error = NULL;
  PGconn *pg;

  pg = lers_store_connect (data->store, &error);
  if (pg == NULL)
    {
      g_task_return_error (task, error);
      return;
    }
  for (guint i = 0; data->channels[i] != NULL; i++)
    {
      g_autofree gchar *sql = lers_store_listener_listen_sql (pg, data->channels[i]);
      g_autoptr (PGresult) res = sql != NULL ? PQexec (pg, sql) : NULL;

      if (res == NULL || PQresultStatus (res) != PGRES_COMMAND_OK)
        {
          g_task_return_new_error (task, LERS_ERROR, LERS_ERROR_DATABASE,
                                   _ ("Could not listen on channel “%s”: %s"), data->channels[i],
                                   PQerrorMessage (pg));
          PQfinish (pg);
          return;
        }
    }
  if (g_task_return_error_if_cancelled (task))
    {
      PQfinish (pg);
      return;
    }
  g_task_return_pointer (task, pg, (GDestroyNotify) PQfinish);
}

static void
lers_store_listener_connect_cb (GObject *source, GAsyncResult *result, gpointer user_data)
{
  ConnectData *data = g_task_get_task_data (G_TASK (result));
  g_autoptr (LersStoreListener) self = g_weak_ref_get (&data->listener);
  GCancellable *cancellable = g_task_get_cancellable (G_TASK (result));
  g_autoptr (GError) error = NULL;
  PGconn *pg;

  pg = g_task_propagate_pointer (G_TASK (result), &error);
  /* dropped, or stopped (and perhaps started again) meanwhile: not ours */
  if (self == NULL || cancellable != self->connecting || g_cancellable_is_cancelled (cancellable))
    {
      g_clear_pointer (&pg, PQfinish);
      return;
    }
  g_clear_object (&self->connecting);
  if (pg == NULL)
    {
      g_message ("Could not listen for notifications: %s; trying again in %u s", error->message,
                 self->delay);
      lers_store_listener_schedule_retry (self);
      return;
    }
  self->pg = pg;
  self->delay = LERS_STORE_LISTENER_MIN_DELAY;
  self->watch = g_unix_fd_source_new (PQsocket (pg), G_IO_IN | G_IO_ERR | G_IO_HUP);
  g_source_set_callback (self->watch, G_SOURCE_FUNC (lers_store_listener_watch_cb), self, NULL);
  g_source_set_static_name (self->watch, "[lers] listener");
  g_source_attach (self->watch, self->context);
  lers_store_listener_set_connected (self, TRUE);
  if (self->missed && self->pg != NULL)
    {
      self->missed = FALSE;
      g_signal_emit (self, signals[SIGNAL_RECONNECTED], 0);
    }
}

static void
lers_store_listener_connect (LersStoreListener *self)
{
  g_autoptr (GTask) task = NULL;
  ConnectData *data = g_new0 (ConnectData, 1);

  g_weak_ref_init (&data->listener, self);
  data->store = g_object_ref (self->store);
  g_ptr_array_add (self->channels, NULL);
  data->channels = g_strdupv ((GStrv) self->channels->pdata);
  g_ptr_array_remove_index (self->channels, self->channels->len - 1);

  g_clear_object (&self->connecting);
  self->connecting = g_cancellable_new ();
  g_main_context_push_thread_default (self->context);
  task = g_task_new (NULL, self->connecting, lers_store_listener_connect_cb, NULL);
  g_main_context_pop_thread_default (self->context);
  g_task_set_source_tag (task, lers_store_listener_connect);
  g_task_set_task_data (task, data, (GDestroyNotify) connect_data_free);
  g_task_run_in_thread (task, lers_store_listener_connect_thread);
}

static void
lers_store_listener_halt (LersStoreListener *self)
{
  self->started = FALSE;
  if (self->connecting != NULL)
    {
      g_cancellable_cancel (self->connecting);
      g_clear_object (&self->connecting);
    }
  if (self->retry != NULL)
    {
      g_source_destroy (self->retry);
      g_clear_pointer (&self->retry, g_source_unref);
    }
  lers_store_listener_close (self);
}

static void
lers_store_listener_dispose (GObject *object)
{
  LersStoreListener *self = LERS_STORE_LISTENER (object);

  lers_store_listener_halt (self);
  self->connected = FALSE;
  G_OBJECT_CLASS (lers_store_listener_parent_class)->dispose (object);
}

static void
lers_store_listener_finalize (GObject *object)
{
  LersStoreListener *self = LERS_STORE_LISTENER (object);

  g_clear_object (&self->store);
  g_clear_pointer (&self->channels, g_ptr_array_unref);
  g_clear_pointer (&self->context, g_main_context_unref);
  G_OBJECT_CLASS (lers_store_listener_parent_class)->finalize (object);
}

static void
lers_store_listener_get_property (GObject *object, guint prop_id, GValue *value, GParamSpec *pspec)
{
  LersStoreListener *self = LERS_STORE_LISTENER (object);

  switch (prop_id)
    {
    case PROP_CONNECTED:
      g_value_set_boolean (value, self->connected);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
lers_store_listener_class_init (LersStoreListenerClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = lers_store_listener_dispose;
  object_class->finalize = lers_store_listener_finalize;
  object_class->get_property = lers_store_listener_get_property;

  /**
   * LersStoreListener:connected:
   *
   * Whether the listener is connected and listening now.
   *
   * Since: 0.4
   */
  props[PROP_CONNECTED]
      = g_param_spec_boolean ("connected", NULL, NULL, FALSE,
                              G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, props);

  /**
   * LersStoreListener::notification:
   * @self: the listener
   * @channel: the channel the notification came on
   * @payload: its payload ("" when it had none)
   *
   * A notification arrived on one of the channels listened to.
   *
   * Since: 0.4
   */
  signals[SIGNAL_NOTIFICATION]
      = g_signal_new ("notification", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL,
                      NULL, G_TYPE_NONE, 2, G_TYPE_STRING, G_TYPE_STRING);
  /**
   * LersStoreListener::reconnected:
   * @self: the listener
   *
   * The listener is listening again after its connection was lost (or
   * could not be made at first). Notifications sent meanwhile were not
   * heard: look for work that may have been missed.
   *
   * Since: 0.4
   */
  signals[SIGNAL_RECONNECTED]
      = g_signal_new ("reconnected", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL,
                      NULL, G_TYPE_NONE, 0);
}

static void
lers_store_listener_init (LersStoreListener *self)
{
  self->channels = g_ptr_array_new_with_free_func (g_free);
  self->delay = LERS_STORE_LISTENER_MIN_DELAY;
}

/**
 * lers_store_listener_new:
 * @store: the store whose database to listen to
 *
 * Returns: (transfer full): a listener, not started
 *
 * Since: 0.4
 */
LersStoreListener *
lers_store_listener_new (LersStore *store)
{
  LersStoreListener *self;

  g_return_val_if_fail (LERS_IS_STORE (store), NULL);
  self = g_object_new (LERS_TYPE_STORE_LISTENER, NULL);
  self->store = g_object_ref (store);
  return self;
}

/**
 * lers_store_listener_listen:
 * @self: a listener
 * @channel: a channel name, such as %LERS_POLL_CHANNEL_JOBS
 *
 * Listens on @channel too: from now on if connected, else from when the
 * listener connects. Call it in the thread that started the listener.
 *
 * Since: 0.4
 */
void
lers_store_listener_listen (LersStoreListener *self, const gchar *channel)
{
  g_autofree gchar *sql = NULL;

  g_return_if_fail (LERS_IS_STORE_LISTENER (self));
  g_return_if_fail (channel != NULL && channel[0] != '\0');

  for (guint i = 0; i < self->channels->len; i++)
    if (g_strcmp0 (g_ptr_array_index (self->channels, i), channel) == 0)
      return;
  g_ptr_array_add (self->channels, g_strdup (channel));
  if (self->pg == NULL)
    return;
  /* the answer is read by the watch; a failed send is a lost connection */
  sql = lers_store_listener_listen_sql (self->pg, channel);
  if (sql == NULL || !PQsendQuery (self->pg, sql))
    {
      g_autofree gchar *why = g_strstrip (g_strdup (PQerrorMessage (self->pg)));
      lers_store_listener_lost (self, why);
    }
}

/**
 * lers_store_listener_start:
 * @self: a listener
 *
 * Connects in a worker thread and then listens, emitting the signals in the
 * thread-default main context of the calling thread. Does nothing if
 * started already.
 *
 * Since: 0.4
 */
void
lers_store_listener_start (LersStoreListener *self)
{
  g_return_if_fail (LERS_IS_STORE_LISTENER (self));

  if (self->started)
    return;
  self->started = TRUE;
  self->missed = FALSE;
  self->delay = LERS_STORE_LISTENER_MIN_DELAY;
  g_clear_pointer (&self->context, g_main_context_unref);
  self->context = g_main_context_ref_thread_default ();
  lers_store_listener_connect (self);
}

/**
 * lers_store_listener_stop:
 * @self: a listener
 *
 * Stops listening and closes the connection, without waiting for a connect
 * under way (its connection is closed when it ends).
 *
 * Since: 0.4
 */
void
lers_store_listener_stop (LersStoreListener *self)
{
  g_return_if_fail (LERS_IS_STORE_LISTENER (self));

  lers_store_listener_halt (self);
  lers_store_listener_set_connected (self, FALSE);
}

/**
 * lers_store_listener_get_connected:
 * @self: a listener
 *
 * Returns: whether the listener is connected and listening now
 *
 * Since: 0.4
 */
gboolean
lers_store_listener_get_connected (LersStoreListener *self)
{
  g_return_val_if_fail (LERS_IS_STORE_LISTENER (self), FALSE);
  return self->connected;
}
