/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

#if !defined(__LERS_H_INSIDE__) && !defined(LERS_COMPILATION)
#error "Only <lers.h> can be included directly."
#endif

#include "protocol/lers-transport.h"

G_BEGIN_DECLS

#define LERS_TYPE_MODEM_TRANSPORT (lers_modem_transport_get_type ())
G_DECLARE_FINAL_TYPE (LersModemTransport, lers_modem_transport, LERS, MODEM_TRANSPORT,
                      LersTransport)

LersTransport *lers_modem_transport_new (LersTransport *line, const gchar *phone_number);
LersTransport *lers_modem_transport_get_line (LersModemTransport *self);
const gchar *lers_modem_transport_get_phone_number (LersModemTransport *self);
const gchar *lers_modem_transport_get_init_string (LersModemTransport *self);
void lers_modem_transport_set_init_string (LersModemTransport *self, const gchar *init_string);
const gchar *lers_modem_transport_get_dial_prefix (LersModemTransport *self);
void lers_modem_transport_set_dial_prefix (LersModemTransport *self, const gchar *dial_prefix);
guint lers_modem_transport_get_guard_ms (LersModemTransport *self);
void lers_modem_transport_set_guard_ms (LersModemTransport *self, guint guard_ms);
guint lers_modem_transport_get_connect_speed (LersModemTransport *self);
gboolean lers_modem_transport_get_query_info (LersModemTransport *self);
void lers_modem_transport_set_query_info (LersModemTransport *self, gboolean query_info);
gint lers_modem_transport_get_signal_level (LersModemTransport *self);
const gchar *lers_modem_transport_get_firmware (LersModemTransport *self);
const gchar *lers_modem_transport_get_sim_id (LersModemTransport *self);

G_END_DECLS
