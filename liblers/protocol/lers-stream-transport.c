/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "config.h"

#include "protocol/lers-stream-transport.h"

/**
 * LersStreamTransport:
 *
 * A link over a stream that is already connected: a GPRS modem that
 * called in, a pseudo-terminal a test opened, a connection a program made
 * itself. It is open from the start; closing it closes the stream.
 *
 * Since: 0.3
 */
struct _LersStreamTransport
{
  LersTransport parent_instance;
};

G_DEFINE_FINAL_TYPE (LersStreamTransport, lers_stream_transport, LERS_TYPE_TRANSPORT)

static void
lers_stream_transport_class_init (LersStreamTransportClass *klass)
{
}

static void
lers_stream_transport_init (LersStreamTransport *self)
{
}

/**
 * lers_stream_transport_new:
 * @stream: a connected stream
 * @description: (nullable): the link in logs (`gprs:356938035643809`)
 *
 * Returns: (transfer full): an open transport over @stream
 *
 * Since: 0.3
 */
LersTransport *
lers_stream_transport_new (GIOStream *stream, const gchar *description)
{
  LersTransport *self;

  g_return_val_if_fail (G_IS_IO_STREAM (stream), NULL);
  self = g_object_new (LERS_TYPE_STREAM_TRANSPORT, "description",
                       description != NULL ? description : "stream", NULL);
  lers_transport_set_stream (self, stream);
  return self;
}
