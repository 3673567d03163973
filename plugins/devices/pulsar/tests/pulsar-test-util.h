/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

#include <lers.h>

#include "lers-check-device.h"

#include "lers-pulsar-simulator.h"

G_BEGIN_DECLS

void pulsar_test_register_types (void);
#define pulsar_test_hex lers_check_hex
#define pulsar_test_to_hex lers_check_to_hex
#define pulsar_test_utc lers_check_utc

/* runs the default main context until *result is set */
#define pulsar_test_wait_cb lers_check_wait_cb
#define pulsar_test_wait lers_check_wait

/* a session over a transport, its calls run to completion */
typedef LersCheckSession PulsarTestSession;

void pulsar_test_session_sim (PulsarTestSession *t, LersPulsarSimulator *sim, const gchar *address);
void pulsar_test_session_script (PulsarTestSession *t, const gchar *address);
void pulsar_test_session_create (PulsarTestSession *t);
#define pulsar_test_set_zone(t, zone) lers_check_device_set_zone ((t)->device, (zone))
#define pulsar_test_session_clear lers_check_session_clear
#define pulsar_test_script_answer lers_check_session_answer

gboolean pulsar_test_open (PulsarTestSession *t, GError **error);
#define pulsar_test_read(t, ...) lers_check_session_read ((t)->session, __VA_ARGS__)
#define pulsar_test_events(t, ...) lers_check_session_events ((t)->session, __VA_ARGS__)
#define pulsar_test_clock(t, error) lers_check_session_clock ((t)->session, (error))
#define pulsar_test_set_clock(t, ...) lers_check_session_set_clock ((t)->session, __VA_ARGS__)

#define pulsar_test_find lers_check_find
#define pulsar_test_value lers_check_value

G_END_DECLS
