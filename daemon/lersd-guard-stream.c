/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "config.h"

#include "lersd-guard-stream.h"

/**
 * LersdGuardStream:
 *
 * The input side of one client connection as libsoup reads it: every chunk
 * goes through a #LersdGuardFunc first (lersd-server.c counts the bytes of
 * a request head there and answers 431 itself), and closing the stream
 * tells the server, which owns the socket, instead of closing the socket
 * (so it can close it gently: see lersd-server.c). Pollable, as libsoup
 * needs.
 *
 * Since: 0.5
 */
struct _LersdGuardStream
{
  GFilterInputStream parent_instance;
  LersdGuardFunc func;
  GSourceFunc closed;
  gpointer data;
  GDestroyNotify data_free;
  gboolean closed_called;
};

static void lersd_guard_stream_pollable_init (GPollableInputStreamInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (LersdGuardStream, lersd_guard_stream, G_TYPE_FILTER_INPUT_STREAM,
                               G_IMPLEMENT_INTERFACE (G_TYPE_POLLABLE_INPUT_STREAM,
                                                      lersd_guard_stream_pollable_init))

static GInputStream *
lersd_guard_stream_base (LersdGuardStream *self)
{
  return g_filter_input_stream_get_base_stream (G_FILTER_INPUT_STREAM (self));
}

static gssize
lersd_guard_stream_check (LersdGuardStream *self, void *buffer, gssize n, GError **error)
{
  if (n > 0 && self->func != NULL && !self->func (self->data, buffer, (gsize) n, error))
    return -1;
  return n;
}

static gssize
lersd_guard_stream_read (GInputStream *stream, void *buffer, gsize count, GCancellable *cancellable,
                         GError **error)
{
  LersdGuardStream *self = LERSD_GUARD_STREAM (stream);
  gssize n
      = g_input_stream_read (lersd_guard_stream_base (self), buffer, count, cancellable, error);

  return lersd_guard_stream_check (self, buffer, n, error);
}

static gboolean
lersd_guard_stream_close (GInputStream *stream, GCancellable *cancellable, GError **error)
{
  LersdGuardStream *self = LERSD_GUARD_STREAM (stream);

  if (!self->closed_called && self->closed != NULL)
    {
      self->closed_called = TRUE;
      self->closed (self->data);
    }
  return TRUE;
}

static gboolean
lersd_guard_stream_can_poll (GPollableInputStream *stream)
{
  GInputStream *base = lersd_guard_stream_base (LERSD_GUARD_STREAM (stream));

  return G_IS_POLLABLE_INPUT_STREAM (base)
         && g_pollable_input_stream_can_poll (G_POLLABLE_INPUT_STREAM (base));
}

static gboolean
lersd_guard_stream_is_readable (GPollableInputStream *stream)
{
  GInputStream *base = lersd_guard_stream_base (LERSD_GUARD_STREAM (stream));

  return g_pollable_input_stream_is_readable (G_POLLABLE_INPUT_STREAM (base));
}

static GSource *
lersd_guard_stream_create_source (GPollableInputStream *stream, GCancellable *cancellable)
{
  GInputStream *base = lersd_guard_stream_base (LERSD_GUARD_STREAM (stream));
  g_autoptr (GSource) base_source
      = g_pollable_input_stream_create_source (G_POLLABLE_INPUT_STREAM (base), NULL);

  return g_pollable_source_new_full (stream, base_source, cancellable);
}

static gssize
lersd_guard_stream_read_nonblocking (GPollableInputStream *stream, void *buffer, gsize count,
                                     GError **error)
{
  LersdGuardStream *self = LERSD_GUARD_STREAM (stream);
  gssize n = g_pollable_input_stream_read_nonblocking (
      G_POLLABLE_INPUT_STREAM (lersd_guard_stream_base (self)), buffer, count, NULL, error);

  return lersd_guard_stream_check (self, buffer, n, error);
}

static void
lersd_guard_stream_pollable_init (GPollableInputStreamInterface *iface)
{
  iface->can_poll = lersd_guard_stream_can_poll;
  iface->is_readable = lersd_guard_stream_is_readable;
  iface->create_source = lersd_guard_stream_create_source;
  iface->read_nonblocking = lersd_guard_stream_read_nonblocking;
}

static void
lersd_guard_stream_finalize (GObject *object)
{
  LersdGuardStream *self = LERSD_GUARD_STREAM (object);

  if (self->data_free != NULL)
    self->data_free (self->data);
  G_OBJECT_CLASS (lersd_guard_stream_parent_class)->finalize (object);
}

static void
lersd_guard_stream_class_init (LersdGuardStreamClass *klass)
{
  GInputStreamClass *input_class = G_INPUT_STREAM_CLASS (klass);

  G_OBJECT_CLASS (klass)->finalize = lersd_guard_stream_finalize;
  input_class->read_fn = lersd_guard_stream_read;
  input_class->close_fn = lersd_guard_stream_close;
}

static void
lersd_guard_stream_init (LersdGuardStream *self)
{
}

/**
 * lersd_guard_stream_new:
 * @base: the connection's input stream (pollable)
 * @func: (scope notified): sees every chunk read
 * @closed: (scope notified): called once when libsoup closes the stream;
 *   @base is left open
 * @data: passed to @func and @closed
 * @data_free: (nullable): frees @data when the stream is finalized
 *
 * Returns: (transfer full): a new #LersdGuardStream
 *
 * Since: 0.5
 */
LersdGuardStream *
lersd_guard_stream_new (GInputStream *base, LersdGuardFunc func, GSourceFunc closed, gpointer data,
                        GDestroyNotify data_free)
{
  LersdGuardStream *self = g_object_new (LERSD_TYPE_GUARD_STREAM, "base-stream", base,
                                         "close-base-stream", FALSE, NULL);

  self->func = func;
  self->closed = closed;
  self->data = data;
  self->data_free = data_free;
  return self;
}
