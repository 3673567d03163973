/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

#if !defined(__LERS_H_INSIDE__) && !defined(LERS_COMPILATION)
#error "Only <lers.h> can be included directly."
#endif

#include "protocol/lers-transport.h"

G_BEGIN_DECLS

#define LERS_TYPE_STREAM_TRANSPORT (lers_stream_transport_get_type ())
G_DECLARE_FINAL_TYPE (LersStreamTransport, lers_stream_transport, LERS, STREAM_TRANSPORT,
                      LersTransport)

LersTransport *lers_stream_transport_new (GIOStream *stream, const gchar *description);

G_END_DECLS
