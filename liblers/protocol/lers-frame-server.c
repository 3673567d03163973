/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "config.h"

#include "protocol/lers-frame-server.h"

/**
 * LersFrameServer:
 *
 * The serve loop of a simulated device: reads a #GIOStream in chunks,
 * delimits requests with a #LersFrameScanner, asks a #LersFrameAnswerFunc
 * for each answer, waits the delay it asks for and writes the answer back,
 * until the peer closes the stream.
 *
 * Bytes the scanner rejects (it returns minus a count) are dropped as line
 * noise; a request the answer function leaves unanswered (%NULL) is
 * dropped too. A partial request at the end of the stream is discarded.
 *
 * Since: 0.5
 */

#define CHUNK_SIZE 512

struct _LersFrameServer
{
  GObject parent_instance;

  GIOStream *stream;
  LersFrameScanner scanner;
  gpointer scanner_data;
  GDestroyNotify scanner_destroy;
  LersFrameAnswerFunc answer;
  gpointer answer_data;
  GDestroyNotify answer_destroy;

  /* the current run */
  GByteArray *rx;
  guint8 chunk[CHUNK_SIZE];
  GBytes *reply;
  GSource *delay_source;
  gboolean running;
};

G_DEFINE_FINAL_TYPE (LersFrameServer, lers_frame_server, G_TYPE_OBJECT)

static void
lers_frame_server_finalize (GObject *object)
{
  LersFrameServer *self = LERS_FRAME_SERVER (object);

  if (self->delay_source != NULL)
    {
      g_source_destroy (self->delay_source);
      g_source_unref (self->delay_source);
    }
  g_clear_pointer (&self->reply, g_bytes_unref);
  g_clear_pointer (&self->rx, g_byte_array_unref);
  if (self->scanner_destroy != NULL)
    self->scanner_destroy (self->scanner_data);
  if (self->answer_destroy != NULL)
    self->answer_destroy (self->answer_data);
  g_clear_object (&self->stream);
  G_OBJECT_CLASS (lers_frame_server_parent_class)->finalize (object);
}

static void
lers_frame_server_class_init (LersFrameServerClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = lers_frame_server_finalize;
}

static void
lers_frame_server_init (LersFrameServer *self)
{
  self->rx = g_byte_array_new ();
}

/**
 * lers_frame_server_new:
 * @stream: the stream to serve
 * @scanner: (scope notified) (closure scanner_data) (destroy scanner_destroy):
 *   delimits requests in the received bytes
 * @scanner_data: (nullable): data for @scanner
 * @scanner_destroy: (nullable): frees @scanner_data when the server is
 *   finalized
 * @answer: (scope notified) (closure answer_data) (destroy answer_destroy):
 *   computes the answer to one request
 * @answer_data: (nullable): data for @answer
 * @answer_destroy: (nullable): frees @answer_data when the server is
 *   finalized
 *
 * Creates a server for one connection; start it with
 * lers_frame_server_run_async().
 *
 * Returns: (transfer full): a new #LersFrameServer
 *
 * Since: 0.5
 */
LersFrameServer *
lers_frame_server_new (GIOStream *stream, LersFrameScanner scanner, gpointer scanner_data,
                       GDestroyNotify scanner_destroy, LersFrameAnswerFunc answer,
                       gpointer answer_data, GDestroyNotify answer_destroy)
{
  LersFrameServer *self;

  g_return_val_if_fail (G_IS_IO_STREAM (stream), NULL);
  g_return_val_if_fail (scanner != NULL, NULL);
  g_return_val_if_fail (answer != NULL, NULL);

  self = g_object_new (LERS_TYPE_FRAME_SERVER, NULL);
  self->stream = g_object_ref (stream);
  self->scanner = scanner;
  self->scanner_data = scanner_data;
  self->scanner_destroy = scanner_destroy;
  self->answer = answer;
  self->answer_data = answer_data;
  self->answer_destroy = answer_destroy;
  return self;
}

static void serve_process (GTask *task);

static void
serve_write_cb (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr (GTask) task = user_data;
  LersFrameServer *self = g_task_get_source_object (task);
  g_autoptr (GError) error = NULL;

  g_clear_pointer (&self->reply, g_bytes_unref);
  if (!g_output_stream_write_all_finish (G_OUTPUT_STREAM (source), result, NULL, &error))
    {
      self->running = FALSE;
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  serve_process (g_steal_pointer (&task));
}

static void
serve_write (GTask *task)
{
  LersFrameServer *self = g_task_get_source_object (task);
  gsize n = 0;
  const guint8 *bytes = g_bytes_get_data (self->reply, &n);

  g_output_stream_write_all_async (g_io_stream_get_output_stream (self->stream), bytes, n,
                                   G_PRIORITY_DEFAULT, g_task_get_cancellable (task),
                                   serve_write_cb, task);
}

static gboolean
serve_delay_cb (gpointer user_data)
{
  GTask *task = user_data;
  LersFrameServer *self = g_task_get_source_object (task);

  g_clear_pointer (&self->delay_source, g_source_unref);
  if (g_task_return_error_if_cancelled (task))
    {
      /* the answer is not sent; a later run starts afresh */
      g_clear_pointer (&self->reply, g_bytes_unref);
      g_byte_array_set_size (self->rx, 0);
      self->running = FALSE;
      g_object_unref (task);
      return G_SOURCE_REMOVE;
    }
  serve_write (task);
  return G_SOURCE_REMOVE;
}

static void
serve_read_cb (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr (GTask) task = user_data;
  LersFrameServer *self = g_task_get_source_object (task);
  g_autoptr (GError) error = NULL;
  gssize n = g_input_stream_read_finish (G_INPUT_STREAM (source), result, &error);

  if (n < 0)
    {
      self->running = FALSE;
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  if (n == 0)
    {
      /* the peer closed; a partial request is dropped with the connection */
      g_byte_array_set_size (self->rx, 0);
      self->running = FALSE;
      g_task_return_boolean (task, TRUE);
      return;
    }
  g_byte_array_append (self->rx, self->chunk, (guint) n);
  serve_process (g_steal_pointer (&task));
}

static void
serve_process (GTask *task)
{
  LersFrameServer *self = g_task_get_source_object (task);

  for (;;)
    {
      g_autoptr (GBytes) reply = NULL;
      guint delay_ms = 0;
      gssize len;

      /* a scanner sees at least a byte, as the transport's scanners do */
      if (self->rx->len == 0)
        break;
      len = self->scanner (self->rx->data, self->rx->len, self->scanner_data);
      if (len < 0)
        {
          /* line noise, a preamble: drop what the scanner says, at least a byte */
          g_byte_array_remove_range (self->rx, 0,
                                     (guint) CLAMP ((gsize) -len, 1, (gsize) self->rx->len));
          continue;
        }
      if (len == 0)
        break;
      len = MIN ((gsize) len, self->rx->len);
      reply = self->answer (self->answer_data, self->rx->data, (gsize) len, &delay_ms);
      g_byte_array_remove_range (self->rx, 0, (guint) len);
      if (reply == NULL)
        continue;
      self->reply = g_steal_pointer (&reply);
      if (delay_ms > 0)
        {
          self->delay_source = g_timeout_source_new (delay_ms);
          g_source_set_callback (self->delay_source, serve_delay_cb, task, NULL);
          g_source_attach (self->delay_source, g_task_get_context (task));
          return;
        }
      serve_write (task);
      return;
    }
  g_input_stream_read_async (g_io_stream_get_input_stream (self->stream), self->chunk,
                             sizeof self->chunk, G_PRIORITY_DEFAULT, g_task_get_cancellable (task),
                             serve_read_cb, task);
}

/**
 * lers_frame_server_run_async:
 * @self: a #LersFrameServer
 * @cancellable: (nullable): a #GCancellable
 * @callback: (scope async): called when the peer closes the stream, on an
 *   error or on cancellation
 * @user_data: data for @callback
 *
 * Serves the stream: reads requests and writes the answers until the peer
 * closes. A server runs once at a time: starting a second run while one is
 * going is a programming error (a critical; its @callback is not called).
 * Cancelling while an answer waits out its delay takes effect when the
 * delay ends; the answer is then not sent.
 *
 * Since: 0.5
 */
void
lers_frame_server_run_async (LersFrameServer *self, GCancellable *cancellable,
                             GAsyncReadyCallback callback, gpointer user_data)
{
  GTask *task;

  g_return_if_fail (LERS_IS_FRAME_SERVER (self));
  g_return_if_fail (!self->running);

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, lers_frame_server_run_async);
  self->running = TRUE;
  serve_process (task);
}

/**
 * lers_frame_server_run_finish:
 * @self: a #LersFrameServer
 * @result: the #GAsyncResult
 * @error: return location for a #GError
 *
 * Finishes lers_frame_server_run_async().
 *
 * Returns: %TRUE when the peer closed the stream, %FALSE with @error set on
 *   a read or write error or on cancellation
 *
 * Since: 0.5
 */
gboolean
lers_frame_server_run_finish (LersFrameServer *self, GAsyncResult *result, GError **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  return g_task_propagate_boolean (G_TASK (result), error);
}

static void
serve_done_cb (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr (GTask) task = user_data;
  GError *error = NULL;

  if (lers_frame_server_run_finish (LERS_FRAME_SERVER (source), result, &error))
    g_task_return_boolean (task, TRUE);
  else
    g_task_return_error (task, error);
}

/**
 * lers_frame_server_serve_async: (skip)
 * @self: a #LersFrameServer
 * @source_object: (type GObject): the object the result comes from: the
 *   simulator whose serve_async this is
 * @source_tag: the result's source tag
 * @cancellable: (nullable): a #GCancellable
 * @callback: (scope async): called as for lers_frame_server_run_async()
 * @user_data: data for @callback
 *
 * Runs the server as lers_frame_server_run_async() does, for a
 * #LersDeviceSimulator's serve_async: the result is a #GTask of
 * @source_object tagged @source_tag, whose serve_finish is
 * g_task_propagate_boolean().
 *
 * Since: 0.5
 */
void
lers_frame_server_serve_async (LersFrameServer *self, gpointer source_object, gpointer source_tag,
                               GCancellable *cancellable, GAsyncReadyCallback callback,
                               gpointer user_data)
{
  GTask *task;

  g_return_if_fail (LERS_IS_FRAME_SERVER (self));
  g_return_if_fail (G_IS_OBJECT (source_object));

  task = g_task_new (source_object, cancellable, callback, user_data);
  g_task_set_source_tag (task, source_tag);
  lers_frame_server_run_async (self, cancellable, serve_done_cb, task);
}
