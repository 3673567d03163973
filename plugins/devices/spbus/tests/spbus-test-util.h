/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

#include <lers.h>

#include "lers-check-device.h"

#include "lers-spbus-simulator.h"

G_BEGIN_DECLS

void spbus_test_register_types (void);
#define spbus_test_hex lers_check_hex
#define spbus_test_to_hex lers_check_to_hex
#define spbus_test_utc lers_check_utc

/* runs the default main context until *result is set */
#define spbus_test_wait_cb lers_check_wait_cb
#define spbus_test_wait lers_check_wait

/* a session over a transport, its calls run to completion */
typedef LersCheckSession SpbusTestSession;

void spbus_test_session_sim (SpbusTestSession *t, LersSpbusSimulator *sim, const gchar *address);
void spbus_test_session_script (SpbusTestSession *t, const gchar *address);
void spbus_test_session_create (SpbusTestSession *t);
#define spbus_test_set_zone(t, zone) lers_check_device_set_zone ((t)->device, (zone))
#define spbus_test_session_clear lers_check_session_clear
#define spbus_test_script_answer lers_check_session_answer
void spbus_test_script_identity (SpbusTestSession *t, guint8 address, const gchar *model,
                                 const gchar *report_hour);

gboolean spbus_test_open (SpbusTestSession *t, GError **error);
#define spbus_test_read(t, ...) lers_check_session_read ((t)->session, __VA_ARGS__)
#define spbus_test_events(t, ...) lers_check_session_events ((t)->session, __VA_ARGS__)
#define spbus_test_clock(t, error) lers_check_session_clock ((t)->session, (error))
#define spbus_test_set_clock(t, ...) lers_check_session_set_clock ((t)->session, __VA_ARGS__)

#define spbus_test_find lers_check_find
#define spbus_test_value lers_check_value

G_END_DECLS
