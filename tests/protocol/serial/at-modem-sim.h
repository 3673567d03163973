/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

#include <lers.h>

G_BEGIN_DECLS

/* A simulated Hayes (AT) modem on a pseudo-terminal pair, served by the
 * thread-default main context. The code under test opens
 * at_modem_sim_get_path(); the simulator reads the master side. In command
 * mode it echoes (until ATE0), answers each AT command with OK and a dial
 * (ATD…) with the configured result; after CONNECT the bytes pass to
 * @device (a real device simulator) and back, until `+++` arrives alone,
 * which returns to command mode (OK); ATH then hangs up (OK). */
typedef struct _AtModemSim AtModemSim;

AtModemSim *at_modem_sim_new (LersDeviceSimulator *device);
void at_modem_sim_free (AtModemSim *sim);
const gchar *at_modem_sim_get_path (AtModemSim *sim);
/* what ATD answers: "CONNECT 9600" unless set ("BUSY", "NO CARRIER", …) */
void at_modem_sim_set_dial_result (AtModemSim *sim, const gchar *result);
/* what @command (e.g. "AT+CSQ") answers instead of OK: the lines of
 * @answer, each framed by CR LF as a modem sends them ("+CSQ: 17,99\r\n\r\nOK"),
 * or nothing at all for %NULL (a modem that ignores it) */
void at_modem_sim_set_answer (AtModemSim *sim, const gchar *command, const gchar *answer);
/* bytes sent before the answer to the first command (line noise) */
void at_modem_sim_set_noise (AtModemSim *sim, const gchar *noise, gsize len);
/* the far end hangs up: NO CARRIER, back to command mode */
void at_modem_sim_drop_carrier (AtModemSim *sim);
gboolean at_modem_sim_is_online (AtModemSim *sim);
/* everything the simulator received, as a NUL-terminated string (NULs in
 * data show as is: use the length) */
GByteArray *at_modem_sim_get_received (AtModemSim *sim);
/* how many command lines equal to @command (without CR) it got */
guint at_modem_sim_count_command (AtModemSim *sim, const gchar *command);
/* how many data bytes reached the device simulator */
gsize at_modem_sim_get_data_bytes (AtModemSim *sim);

G_END_DECLS
