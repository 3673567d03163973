/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* lers_transport_new_for_address(): a table of good addresses with the
 * transport each makes, and one of bad ones with the exact error. */
#include <check.h>
#include <lers.h>
#include <string.h>

#include "lers-check.h"

static const struct
{
  const gchar *address;
  const gchar *type; /* the GType's name */
  const gchar *host_or_path;
  guint port_or_baud;
  LersParity parity;
  guint data_bits;
  guint stop_bits;
  LersFlowControl flow;
  gboolean echo;
  const gchar *phone;
  const gchar *init;
} good[] = {
  { "tcp:127.0.0.1:4001", "LersTcpTransport", "127.0.0.1", 4001 },
  { "tcp:meter-17.example.net:10001", "LersTcpTransport", "meter-17.example.net", 10001 },
  { "tcp:[::1]:502", "LersTcpTransport", "::1", 502 },
  { "tcp:[fe80::1%eth0]:65535", "LersTcpTransport", "fe80::1%eth0", 65535 },
  { "/dev/ttyUSB0", "LersSerialTransport", "/dev/ttyUSB0", 0, LERS_PARITY_NONE, 8, 1 },
  { "serial:/dev/ttyS1", "LersSerialTransport", "/dev/ttyS1", 0, LERS_PARITY_NONE, 8, 1 },
  { "serial:/dev/ttyS1?baud=2400&parity=even&data-bits=8&stop-bits=1&flow=none&echo=1",
    "LersSerialTransport", "/dev/ttyS1", 2400, LERS_PARITY_EVEN, 8, 1, LERS_FLOW_CONTROL_NONE,
    TRUE },
  { "serial:/dev/ttyS1?baud=300&data-bits=7&parity=e", "LersSerialTransport", "/dev/ttyS1", 300,
    LERS_PARITY_EVEN, 7, 1 },
  { "serial:/dev/ttyUSB2?baud=19200&parity=odd&stop-bits=2&flow=hardware", "LersSerialTransport",
    "/dev/ttyUSB2", 19200, LERS_PARITY_ODD, 8, 2, LERS_FLOW_CONTROL_HARDWARE },
  { "/dev/serial/by-id/usb-FTDI-if00?flow=software&echo=0", "LersSerialTransport",
    "/dev/serial/by-id/usb-FTDI-if00", 0, LERS_PARITY_NONE, 8, 1, LERS_FLOW_CONTROL_SOFTWARE },
  { "modem:/dev/ttyS0?phone=84951234567", "LersModemTransport", "/dev/ttyS0", 0, LERS_PARITY_NONE,
    8, 1, LERS_FLOW_CONTROL_NONE, FALSE, "84951234567", "ATZ;ATE0V1" },
  { "modem:/dev/ttyS0?phone=84951234567&init=ATZ&baud=19200", "LersModemTransport", "/dev/ttyS0",
    19200, LERS_PARITY_NONE, 8, 1, LERS_FLOW_CONTROL_NONE, FALSE, "84951234567", "ATZ" },
  { "modem:/dev/ttyACM0?init=AT%26F%3BATE0&phone=W8495", "LersModemTransport", "/dev/ttyACM0", 0,
    LERS_PARITY_NONE, 8, 1, LERS_FLOW_CONTROL_NONE, FALSE, "W8495", "AT&F;ATE0" },
};

START_TEST (test_address_good)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (LersTransport) t = lers_transport_new_for_address (good[_i].address, &error);
  LersTransport *line;
  LersSerialTransport *serial;

  lers_check_assert_no_error (error);
  ck_assert (t != NULL);
  ck_assert_str_eq (G_OBJECT_TYPE_NAME (t), good[_i].type);
  ck_assert (!lers_transport_is_open (t));
  if (LERS_IS_TCP_TRANSPORT (t))
    {
      ck_assert_str_eq (lers_tcp_transport_get_host (LERS_TCP_TRANSPORT (t)),
                        good[_i].host_or_path);
      ck_assert_uint_eq (lers_tcp_transport_get_port (LERS_TCP_TRANSPORT (t)),
                         good[_i].port_or_baud);
      return;
    }
  line = t;
  if (LERS_IS_MODEM_TRANSPORT (t))
    {
      LersModemTransport *modem = LERS_MODEM_TRANSPORT (t);

      ck_assert_str_eq (lers_modem_transport_get_phone_number (modem), good[_i].phone);
      ck_assert_str_eq (lers_modem_transport_get_init_string (modem), good[_i].init);
      ck_assert_str_eq (lers_modem_transport_get_dial_prefix (modem), "ATD");
      line = lers_modem_transport_get_line (modem);
    }
  serial = LERS_SERIAL_TRANSPORT (line);
  ck_assert_str_eq (lers_serial_transport_get_path (serial), good[_i].host_or_path);
  ck_assert_uint_eq (lers_serial_transport_get_baud_rate (serial), good[_i].port_or_baud);
  /* a speed in the address fixes the line; without one the driver's applies */
  ck_assert_uint_eq (lers_transport_get_line_configured (line), good[_i].port_or_baud != 0);
  ck_assert_int_eq (lers_serial_transport_get_parity (serial), good[_i].parity);
  ck_assert_uint_eq (lers_serial_transport_get_data_bits (serial), good[_i].data_bits);
  ck_assert_uint_eq (lers_serial_transport_get_stop_bits (serial), good[_i].stop_bits);
  ck_assert_int_eq (lers_serial_transport_get_flow_control (serial), good[_i].flow);
  ck_assert_int_eq (lers_serial_transport_get_echo (serial), good[_i].echo);
}
END_TEST

static const gchar *const bad[] = {
  "",
  "127.0.0.1:4001",
  "udp:127.0.0.1:4001",
  "tcp:",
  "tcp:host",
  "tcp:host:",
  "tcp::4001",
  "tcp:host:0",
  "tcp:host:65536",
  "tcp:host:40x1",
  "tcp:host:-1",
  "tcp:::1:502",
  "tcp:[::1]502",
  "tcp:[::1",
  "tcp:[]:502",
  "ttyUSB0",
  "serial:",
  "serial:ttyS0",
  "serial:/",
  "serial:/dev/ttyS0?baud=1234",
  "serial:/dev/ttyS0?baud=96OO",
  "serial:/dev/ttyS0?baud=460800",
  "serial:/dev/ttyS0?baud=",
  "serial:/dev/ttyS0?baud",
  "serial:/dev/ttyS0?parity=mark",
  "serial:/dev/ttyS0?data-bits=9",
  "serial:/dev/ttyS0?data-bits=4",
  "serial:/dev/ttyS0?stop-bits=0",
  "serial:/dev/ttyS0?stop-bits=3",
  "serial:/dev/ttyS0?flow=maybe",
  "serial:/dev/ttyS0?echo=yes",
  "serial:/dev/ttyS0?speed=9600",
  "serial:/dev/ttyS0?phone=84951234567",
  "serial:/dev/ttyS0?baud=9600&&parity=even",
  "serial:/dev/ttyS0?parity=%ZZ",
  "modem:/dev/ttyS0",
  "modem:/dev/ttyS0?phone=",
  "modem:/dev/ttyS0?phone=849%0D5",
  "modem:/dev/ttyS0?phone=1;ATH",
  "modem:ttyS0?phone=84951234567",
  "modem:/dev/ttyS0?phone=1&guard-ms=99999999",
};

START_TEST (test_address_bad)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (LersTransport) t = lers_transport_new_for_address (bad[_i], &error);

  ck_assert_msg (t == NULL, "%s was taken", bad[_i]);
  lers_check_assert_error (error, LERS_ERROR, LERS_ERROR_INVALID_ARGUMENT);
  /* the message names the address as typed */
  ck_assert_msg (strstr (error->message, bad[_i]) != NULL, "%s", error->message);
}
END_TEST

static Suite *
address_suite (void)
{
  Suite *s = suite_create ("transport-address");
  TCase *tc = tcase_create ("table");

  tcase_add_loop_test (tc, test_address_good, 0, G_N_ELEMENTS (good));
  tcase_add_loop_test (tc, test_address_bad, 0, G_N_ELEMENTS (bad));
  suite_add_tcase (s, tc);
  return s;
}

int
main (int argc, char **argv)
{
  lers_check_init (&argc, &argv);
  return lers_check_run_suite (address_suite ());
}
