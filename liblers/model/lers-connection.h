/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

#if !defined(__LERS_H_INSIDE__) && !defined(LERS_COMPILATION)
#error "Only <lers.h> can be included directly."
#endif

#include <glib-object.h>

#include "model/lers-enums.h"

G_BEGIN_DECLS

#define LERS_TYPE_CONNECTION (lers_connection_get_type ())
G_DECLARE_FINAL_TYPE (LersConnection, lers_connection, LERS, CONNECTION, GObject)

LersConnection *lers_connection_new (void);
gint64 lers_connection_get_id (LersConnection *self);
void lers_connection_set_id (LersConnection *self, gint64 id);
const gchar *lers_connection_get_title (LersConnection *self);
void lers_connection_set_title (LersConnection *self, const gchar *title);
LersConnectionKind lers_connection_get_kind (LersConnection *self);
void lers_connection_set_kind (LersConnection *self, LersConnectionKind kind);
const gchar *lers_connection_get_host (LersConnection *self);
void lers_connection_set_host (LersConnection *self, const gchar *host);
guint lers_connection_get_port (LersConnection *self);
void lers_connection_set_port (LersConnection *self, guint port);
guint lers_connection_get_timeout (LersConnection *self);
void lers_connection_set_timeout (LersConnection *self, guint timeout);
const gchar *lers_connection_get_serial_port (LersConnection *self);
void lers_connection_set_serial_port (LersConnection *self, const gchar *serial_port);
guint lers_connection_get_baud_rate (LersConnection *self);
void lers_connection_set_baud_rate (LersConnection *self, guint baud_rate);
guint lers_connection_get_data_bits (LersConnection *self);
void lers_connection_set_data_bits (LersConnection *self, guint data_bits);
LersParity lers_connection_get_parity (LersConnection *self);
void lers_connection_set_parity (LersConnection *self, LersParity parity);
guint lers_connection_get_stop_bits (LersConnection *self);
void lers_connection_set_stop_bits (LersConnection *self, guint stop_bits);
LersFlowControl lers_connection_get_flow_control (LersConnection *self);
void lers_connection_set_flow_control (LersConnection *self, LersFlowControl flow_control);
const gchar *lers_connection_get_phone_number (LersConnection *self);
void lers_connection_set_phone_number (LersConnection *self, const gchar *phone_number);
const gchar *lers_connection_get_modem_init (LersConnection *self);
void lers_connection_set_modem_init (LersConnection *self, const gchar *modem_init);
const gchar *lers_connection_get_identity (LersConnection *self);
void lers_connection_set_identity (LersConnection *self, const gchar *identity);
const gchar *lers_connection_get_handshake (LersConnection *self);
void lers_connection_set_handshake (LersConnection *self, const gchar *handshake);
guint lers_connection_get_first_byte_timeout_ms (LersConnection *self);
void lers_connection_set_first_byte_timeout_ms (LersConnection *self, guint first_byte_timeout_ms);
guint lers_connection_get_inter_byte_timeout_ms (LersConnection *self);
void lers_connection_set_inter_byte_timeout_ms (LersConnection *self, guint inter_byte_timeout_ms);
guint lers_connection_get_answer_timeout_ms (LersConnection *self);
void lers_connection_set_answer_timeout_ms (LersConnection *self, guint answer_timeout_ms);
gint lers_connection_get_retries (LersConnection *self);
void lers_connection_set_retries (LersConnection *self, gint retries);

G_END_DECLS
