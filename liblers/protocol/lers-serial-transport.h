/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

#if !defined(__LERS_H_INSIDE__) && !defined(LERS_COMPILATION)
#error "Only <lers.h> can be included directly."
#endif

#include "model/lers-enums.h"
#include "protocol/lers-transport.h"

G_BEGIN_DECLS

#define LERS_TYPE_SERIAL_TRANSPORT (lers_serial_transport_get_type ())
G_DECLARE_FINAL_TYPE (LersSerialTransport, lers_serial_transport, LERS, SERIAL_TRANSPORT,
                      LersTransport)

LersTransport *lers_serial_transport_new (const gchar *path);
const gchar *lers_serial_transport_get_path (LersSerialTransport *self);
guint lers_serial_transport_get_baud_rate (LersSerialTransport *self);
gboolean lers_serial_transport_set_baud_rate (LersSerialTransport *self, guint baud_rate,
                                              GError **error);
guint lers_serial_transport_get_data_bits (LersSerialTransport *self);
void lers_serial_transport_set_data_bits (LersSerialTransport *self, guint data_bits);
LersParity lers_serial_transport_get_parity (LersSerialTransport *self);
void lers_serial_transport_set_parity (LersSerialTransport *self, LersParity parity);
guint lers_serial_transport_get_stop_bits (LersSerialTransport *self);
void lers_serial_transport_set_stop_bits (LersSerialTransport *self, guint stop_bits);
LersFlowControl lers_serial_transport_get_flow_control (LersSerialTransport *self);
void lers_serial_transport_set_flow_control (LersSerialTransport *self,
                                             LersFlowControl flow_control);
guint lers_serial_transport_get_inter_frame_silence_us (LersSerialTransport *self);
void lers_serial_transport_set_inter_frame_silence_us (LersSerialTransport *self, guint value);
gboolean lers_serial_transport_get_echo (LersSerialTransport *self);
void lers_serial_transport_set_echo (LersSerialTransport *self, gboolean echo);

G_END_DECLS
