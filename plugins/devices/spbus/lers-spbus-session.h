/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

#include <lers.h>

G_BEGIN_DECLS

/**
 * LersSpbusSession:
 *
 * One conversation with one Logika СПТ961 / СПГ761 family device on
 * СПСеть: parameter reads (function 0x1D) and time-array archive reads
 * (function 0x0E), one request at a time, each answer matched by the
 * device's address, the function and the channel and parameter it echoes.
 */
#define LERS_TYPE_SPBUS_SESSION (lers_spbus_session_get_type ())
G_DECLARE_FINAL_TYPE (LersSpbusSession, lers_spbus_session, LERS, SPBUS_SESSION, LersDeviceSession)

void lers_spbus_session_register (GTypeModule *module);
LersDeviceSession *lers_spbus_session_new (LersTransport *transport, LersDevice *device);

G_END_DECLS
