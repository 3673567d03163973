/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

#if !defined(__LERS_H_INSIDE__) && !defined(LERS_COMPILATION)
#error "Only <lers.h> can be included directly."
#endif

#include "protocol/lers-transport.h"

G_BEGIN_DECLS

#define LERS_TYPE_MEMORY_TRANSPORT (lers_memory_transport_get_type ())
G_DECLARE_FINAL_TYPE (LersMemoryTransport, lers_memory_transport, LERS, MEMORY_TRANSPORT,
                      LersTransport)

LersTransport *lers_memory_transport_new (void);
void lers_memory_transport_push_input (LersMemoryTransport *self, GBytes *bytes);
void lers_memory_transport_close_input (LersMemoryTransport *self);
GBytes *lers_memory_transport_take_output (LersMemoryTransport *self);

G_END_DECLS
