/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

#if !defined(__LERS_H_INSIDE__) && !defined(LERS_COMPILATION)
#error "Only <lers.h> can be included directly."
#endif

#include "protocol/lers-transport.h"

G_BEGIN_DECLS

#define LERS_TYPE_TCP_TRANSPORT (lers_tcp_transport_get_type ())
G_DECLARE_FINAL_TYPE (LersTcpTransport, lers_tcp_transport, LERS, TCP_TRANSPORT, LersTransport)

LersTransport *lers_tcp_transport_new (const gchar *host, guint16 port);
const gchar *lers_tcp_transport_get_host (LersTcpTransport *self);
guint16 lers_tcp_transport_get_port (LersTcpTransport *self);

G_END_DECLS
