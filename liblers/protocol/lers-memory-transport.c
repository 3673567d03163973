/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "config.h"

#include <glib/gi18n-lib.h>

#include "lers-error.h"
#include "protocol/lers-memory-transport.h"

/**
 * LersMemoryTransport:
 *
 * A link that exists only in memory, for tests: what the driver writes is
 * collected (and announced by #LersMemoryTransport::written, where a test
 * answers), what the test pushes is what the driver reads. Nothing happens
 * unless the test makes it, so with a manual #LersClock a test controls
 * both the bytes and the time.
 *
 * Since: 0.3
 */
struct _LersMemoryTransport
{
  LersTransport parent_instance;
  GByteArray *input;
  GByteArray *output;
  gboolean input_closed;
  GTask *pending_read;
  gulong pending_cancel_handler;
};

G_DEFINE_FINAL_TYPE (LersMemoryTransport, lers_memory_transport, LERS_TYPE_TRANSPORT)

enum
{
  SIGNAL_WRITTEN,
  N_SIGNALS
};
static guint signals[N_SIGNALS];

static void
open_async (LersTransport *transport, GCancellable *cancellable, GAsyncReadyCallback callback,
            gpointer user_data)
{
  g_autoptr (GTask) task = g_task_new (transport, cancellable, callback, user_data);

  g_task_set_source_tag (task, open_async);
  g_task_return_boolean (task, TRUE);
}

static gboolean
finish_boolean (LersTransport *transport, GAsyncResult *result, GError **error)
{
  return g_task_propagate_boolean (G_TASK (result), error);
}

static void
close_async (LersTransport *transport, GCancellable *cancellable, GAsyncReadyCallback callback,
             gpointer user_data)
{
  g_autoptr (GTask) task = g_task_new (transport, cancellable, callback, user_data);

  g_task_set_source_tag (task, close_async);
  g_task_return_boolean (task, TRUE);
}

static void
write_async (LersTransport *transport, GBytes *bytes, GCancellable *cancellable,
             GAsyncReadyCallback callback, gpointer user_data)
{
  LersMemoryTransport *self = LERS_MEMORY_TRANSPORT (transport);
  g_autoptr (GTask) task = g_task_new (transport, cancellable, callback, user_data);

  g_task_set_source_tag (task, write_async);
  g_byte_array_append (self->output, g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes));
  /* the write is done before anyone answers, as on a wire */
  g_task_return_boolean (task, TRUE);
  g_signal_emit (self, signals[SIGNAL_WRITTEN], 0, bytes);
}

static void
finish_pending_read (LersMemoryTransport *self)
{
  g_autoptr (GTask) task = NULL;
  GCancellable *cancellable;

  if (self->pending_read == NULL)
    return;
  cancellable = g_task_get_cancellable (self->pending_read);
  if (self->input->len == 0 && !self->input_closed && !g_cancellable_is_cancelled (cancellable))
    return; /* still waiting */
  task = g_steal_pointer (&self->pending_read);
  if (self->pending_cancel_handler != 0)
    g_cancellable_disconnect (cancellable, self->pending_cancel_handler);
  self->pending_cancel_handler = 0;
  if (self->input->len > 0)
    {
      GBytes *bytes = g_bytes_new (self->input->data, self->input->len);

      g_byte_array_set_size (self->input, 0);
      g_task_return_pointer (task, bytes, (GDestroyNotify) g_bytes_unref);
    }
  else if (self->input_closed)
    g_task_return_new_error (task, LERS_ERROR, LERS_ERROR_CONNECTION,
                             _ ("The link %s was closed by the other end"),
                             lers_transport_get_description (LERS_TRANSPORT (self)));
  else
    g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_CANCELLED, _ ("Cancelled"));
}

static gboolean
cancelled_idle_cb (gpointer user_data)
{
  LersMemoryTransport *self = user_data;

  finish_pending_read (self);
  return G_SOURCE_REMOVE;
}

static void
read_cancelled_cb (GCancellable *cancellable, gpointer user_data)
{
  LersMemoryTransport *self = user_data;
  g_autoptr (GSource) idle = g_idle_source_new ();

  /* not from inside g_cancellable_cancel(): disconnecting there deadlocks;
   * and in the reader's context, which a sync caller iterates */
  g_source_set_callback (idle, cancelled_idle_cb, g_object_ref (self), g_object_unref);
  g_source_set_static_name (idle, "[lers] memory read cancelled");
  g_source_attach (idle, self->pending_read != NULL ? g_task_get_context (self->pending_read)
                                                    : g_main_context_get_thread_default ());
}

static void
read_async (LersTransport *transport, GCancellable *cancellable, GAsyncReadyCallback callback,
            gpointer user_data)
{
  LersMemoryTransport *self = LERS_MEMORY_TRANSPORT (transport);
  GTask *task = g_task_new (transport, cancellable, callback, user_data);

  g_task_set_source_tag (task, read_async);
  if (self->pending_read != NULL)
    {
      g_task_return_new_error (task, LERS_ERROR, LERS_ERROR_BUSY, _ ("A read is pending"));
      g_object_unref (task);
      return;
    }
  self->pending_read = task;
  if (cancellable != NULL)
    self->pending_cancel_handler
        = g_cancellable_connect (cancellable, G_CALLBACK (read_cancelled_cb), self, NULL);
  finish_pending_read (self);
}

static GBytes *
read_finish (LersTransport *transport, GAsyncResult *result, GError **error)
{
  return g_task_propagate_pointer (G_TASK (result), error);
}

static void
discard_input (LersTransport *transport)
{
  g_byte_array_set_size (LERS_MEMORY_TRANSPORT (transport)->input, 0);
}

static void
lers_memory_transport_dispose (GObject *object)
{
  LersMemoryTransport *self = LERS_MEMORY_TRANSPORT (object);

  if (self->pending_read != NULL)
    {
      self->input_closed = TRUE;
      finish_pending_read (self);
    }
  G_OBJECT_CLASS (lers_memory_transport_parent_class)->dispose (object);
}

static void
lers_memory_transport_finalize (GObject *object)
{
  LersMemoryTransport *self = LERS_MEMORY_TRANSPORT (object);

  g_byte_array_unref (self->input);
  g_byte_array_unref (self->output);
  G_OBJECT_CLASS (lers_memory_transport_parent_class)->finalize (object);
}

static void
lers_memory_transport_class_init (LersMemoryTransportClass *klass)
{
  LersTransportClass *transport_class = LERS_TRANSPORT_CLASS (klass);

  G_OBJECT_CLASS (klass)->dispose = lers_memory_transport_dispose;
  G_OBJECT_CLASS (klass)->finalize = lers_memory_transport_finalize;
  transport_class->open_async = open_async;
  transport_class->open_finish = finish_boolean;
  transport_class->close_async = close_async;
  transport_class->close_finish = finish_boolean;
  transport_class->write_async = write_async;
  transport_class->write_finish = finish_boolean;
  transport_class->read_async = read_async;
  transport_class->read_finish = read_finish;
  transport_class->discard_input = discard_input;

  /**
   * LersMemoryTransport::written:
   * @self: the transport
   * @bytes: what the driver just wrote
   *
   * Emitted after each write, so a test can answer with
   * lers_memory_transport_push_input().
   *
   * Since: 0.3
   */
  signals[SIGNAL_WRITTEN] = g_signal_new ("written", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                          0, NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_BYTES);
}

static void
lers_memory_transport_init (LersMemoryTransport *self)
{
  self->input = g_byte_array_new ();
  self->output = g_byte_array_new ();
}

/**
 * lers_memory_transport_new:
 *
 * Returns: (transfer full): a closed in-memory link
 *
 * Since: 0.3
 */
LersTransport *
lers_memory_transport_new (void)
{
  return g_object_new (LERS_TYPE_MEMORY_TRANSPORT, "description", "memory", NULL);
}

/**
 * lers_memory_transport_push_input:
 * @self: a #LersMemoryTransport
 * @bytes: what the "device" sends
 *
 * A pending read gets the bytes at once.
 *
 * Since: 0.3
 */
void
lers_memory_transport_push_input (LersMemoryTransport *self, GBytes *bytes)
{
  g_return_if_fail (LERS_IS_MEMORY_TRANSPORT (self));
  g_return_if_fail (bytes != NULL);
  g_byte_array_append (self->input, g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes));
  if (self->pending_read != NULL && self->input->len > 0)
    finish_pending_read (self);
}

/**
 * lers_memory_transport_close_input:
 * @self: a #LersMemoryTransport
 *
 * The "device" hangs up: reads fail with %LERS_ERROR_CONNECTION once the
 * pushed bytes are read.
 *
 * Since: 0.3
 */
void
lers_memory_transport_close_input (LersMemoryTransport *self)
{
  g_return_if_fail (LERS_IS_MEMORY_TRANSPORT (self));
  self->input_closed = TRUE;
  finish_pending_read (self);
}

/**
 * lers_memory_transport_take_output:
 * @self: a #LersMemoryTransport
 *
 * Returns: (transfer full): everything written since the last call
 *
 * Since: 0.3
 */
GBytes *
lers_memory_transport_take_output (LersMemoryTransport *self)
{
  GBytes *bytes;

  g_return_val_if_fail (LERS_IS_MEMORY_TRANSPORT (self), NULL);
  bytes = g_bytes_new (self->output->data, self->output->len);
  g_byte_array_set_size (self->output, 0);
  return bytes;
}
