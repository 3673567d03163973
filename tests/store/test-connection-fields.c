/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Migration 0005's link settings on connections and options on devices:
 * saved and read back (rows checked with SQL), bad options refused, a GPRS
 * identity unique among modems that call in; the transport a connection
 * makes, with its timeouts and retries. */
#include <check.h>
#include <libpq-fe.h>
#include <lers.h>
#include <stdlib.h>

#include "lers-check.h"

static LersConnection *
make_serial_connection (void)
{
  LersConnection *c = lers_connection_new ();

  g_object_set (c, "title", "Линия 1", "kind", LERS_CONNECTION_KIND_MODEM, "timeout", 30,
                "serial-port", "/dev/ttyUSB0", "baud-rate", 9600, "data-bits", 7, "parity",
                LERS_PARITY_EVEN, "stop-bits", 2, "flow-control", LERS_FLOW_CONTROL_HARDWARE,
                "phone-number", "+74232000000", "modem-init", "ATZ&F", "identity",
                "356938035643809", "handshake", "id", "first-byte-timeout-ms", 1500,
                "inter-byte-timeout-ms", 40, "answer-timeout-ms", 9000, "retries", 3, NULL);
  return c;
}

START_TEST (test_defaults)
{
  g_autoptr (LersConnection) c = lers_connection_new ();
  g_autoptr (LersConnection) back = NULL;
  g_autoptr (GError) error = NULL;
  g_autofree gchar *row = NULL;

  /* the model's defaults are the migration's (8 data bits, 1 stop bit,
   * -1 retries = the link's default) */
  ck_assert_uint_eq (lers_connection_get_data_bits (c), 8);
  ck_assert_uint_eq (lers_connection_get_stop_bits (c), 1);
  ck_assert_int_eq (lers_connection_get_retries (c), -1);
  ck_assert_uint_eq (lers_connection_get_baud_rate (c), 0);
  ck_assert_int_eq (lers_connection_get_parity (c), LERS_PARITY_NONE);

  /* a row made by SQL alone gets the same defaults */
  lers_check_sql_exec ("INSERT INTO connections (id, host, port) VALUES (500, 'gw', 4001)");
  back = lers_store_get_connection_sync (lers_check_get_store (), 500, NULL, &error);
  lers_check_assert_no_error (error);
  ck_assert_uint_eq (lers_connection_get_data_bits (back), 8);
  ck_assert_uint_eq (lers_connection_get_stop_bits (back), 1);
  ck_assert_int_eq (lers_connection_get_retries (back), -1);
  ck_assert_uint_eq (lers_connection_get_answer_timeout_ms (back), 0);
  ck_assert_ptr_null (lers_connection_get_serial_port (back));
  /* and a device row made by SQL has no options */
  lers_check_sql_exec ("INSERT INTO devices (serial_number) VALUES ('1')");
  row = lers_check_sql_value ("SELECT options::text FROM devices WHERE serial_number = '1'");
  ck_assert_str_eq (row, "{}");
}
END_TEST

START_TEST (test_connection_roundtrip)
{
  LersStore *store = lers_check_get_store ();
  g_autoptr (LersConnection) c = make_serial_connection ();
  g_autoptr (LersConnection) back = NULL;
  g_autoptr (GError) error = NULL;
  g_autofree gchar *sql = NULL;
  g_autofree gchar *row = NULL;

  ck_assert (lers_store_save_connection_sync (store, c, NULL, &error));
  lers_check_assert_no_error (error);
  ck_assert_int_gt (lers_connection_get_id (c), 0);

  /* the row as psql shows it (parity 2 = even, flow control 1 = RTS/CTS, kind 3 = modem) */
  sql = g_strdup_printf (
      "SELECT concat_ws('|', kind, timeout, serial_port, baud_rate, data_bits, parity, stop_bits,"
      " flow_control, phone_number, modem_init, identity, handshake, first_byte_timeout_ms,"
      " inter_byte_timeout_ms, answer_timeout_ms, retries) FROM connections WHERE id = "
      "%" G_GINT64_FORMAT,
      lers_connection_get_id (c));
  row = lers_check_sql_value (sql);
  ck_assert_str_eq (
      row, "3|30|/dev/ttyUSB0|9600|7|2|2|1|+74232000000|ATZ&F|356938035643809|id|1500|40|9000|3");

  back = lers_store_get_connection_sync (store, lers_connection_get_id (c), NULL, &error);
  lers_check_assert_no_error (error);
  ck_assert_int_eq (lers_connection_get_kind (back), LERS_CONNECTION_KIND_MODEM);
  ck_assert_str_eq (lers_connection_get_serial_port (back), "/dev/ttyUSB0");
  ck_assert_uint_eq (lers_connection_get_baud_rate (back), 9600);
  ck_assert_uint_eq (lers_connection_get_data_bits (back), 7);
  ck_assert_int_eq (lers_connection_get_parity (back), LERS_PARITY_EVEN);
  ck_assert_uint_eq (lers_connection_get_stop_bits (back), 2);
  ck_assert_int_eq (lers_connection_get_flow_control (back), LERS_FLOW_CONTROL_HARDWARE);
  ck_assert_str_eq (lers_connection_get_phone_number (back), "+74232000000");
  ck_assert_str_eq (lers_connection_get_modem_init (back), "ATZ&F");
  ck_assert_str_eq (lers_connection_get_identity (back), "356938035643809");
  ck_assert_str_eq (lers_connection_get_handshake (back), "id");
  ck_assert_uint_eq (lers_connection_get_first_byte_timeout_ms (back), 1500);
  ck_assert_uint_eq (lers_connection_get_inter_byte_timeout_ms (back), 40);
  ck_assert_uint_eq (lers_connection_get_answer_timeout_ms (back), 9000);
  ck_assert_int_eq (lers_connection_get_retries (back), 3);
  ck_assert_uint_eq (lers_connection_get_timeout (back), 30);
}
END_TEST

START_TEST (test_database_checks_ranges)
{
  PGconn *pg = lers_check_sql_connect ();
  const gchar *bad[] = {
    "INSERT INTO connections (data_bits) VALUES (9)",
    "INSERT INTO connections (stop_bits) VALUES (3)",
    "INSERT INTO connections (parity) VALUES (3)",
    "INSERT INTO connections (retries) VALUES (-2)",
    "INSERT INTO connections (answer_timeout_ms) VALUES (-1)",
    "INSERT INTO devices (options) VALUES ('[1, 2]')",
  };

  for (gsize i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      PGresult *res = PQexec (pg, bad[i]);
      /* 23514 check_violation */
      ck_assert_msg (g_strcmp0 (PQresultErrorField (res, PG_DIAG_SQLSTATE), "23514") == 0, "%s: %s",
                     bad[i], PQresultErrorMessage (res));
      PQclear (res);
    }
  PQfinish (pg);
}
END_TEST

START_TEST (test_gprs_identity_unique)
{
  LersStore *store = lers_check_get_store ();
  g_autoptr (LersConnection) a = lers_connection_new ();
  g_autoptr (LersConnection) b = lers_connection_new ();
  g_autoptr (LersConnection) tcp = lers_connection_new ();
  g_autoptr (GError) error = NULL;

  g_object_set (a, "kind", LERS_CONNECTION_KIND_GPRS_SERVER, "identity", "MODEM-17", NULL);
  g_object_set (b, "kind", LERS_CONNECTION_KIND_GPRS_SERVER, "identity", "MODEM-17", NULL);
  g_object_set (tcp, "kind", LERS_CONNECTION_KIND_TCP_CLIENT, "host", "10.0.0.1", "port", 4001,
                "identity", "MODEM-17", NULL);
  ck_assert (lers_store_save_connection_sync (store, a, NULL, &error));
  lers_check_assert_no_error (error);
  /* a second modem with the same identity could not be told apart */
  ck_assert (!lers_store_save_connection_sync (store, b, NULL, &error));
  lers_check_assert_error (error, LERS_ERROR, LERS_ERROR_INVALID_ARGUMENT);
  g_clear_error (&error);
  /* the identity only counts among modems that call in */
  ck_assert (lers_store_save_connection_sync (store, tcp, NULL, &error));
  lers_check_assert_no_error (error);
  ck_assert_int_eq (
      lers_check_sql_int ("SELECT count(*) FROM connections WHERE identity = 'MODEM-17'"), 2);
}
END_TEST

START_TEST (test_device_options_roundtrip)
{
  LersStore *store = lers_check_get_store ();
  g_autoptr (LersDevice) d = lers_device_new ();
  g_autoptr (LersDevice) back = NULL;
  g_autoptr (GError) error = NULL;
  g_autofree gchar *sql = NULL;
  g_autofree gchar *baud = NULL;
  g_autofree gchar *keys = NULL;
  g_autofree gchar *options = NULL;

  lers_device_set_serial_number (d, "20000001");
  ck_assert (lers_device_set_options (d, "{\"baud\": 2400, \"password\": \"секрет\"}", &error));
  lers_check_assert_no_error (error);
  lers_device_set_option (d, "retries", "2");
  ck_assert (lers_store_save_device_sync (store, d, NULL, &error));
  lers_check_assert_no_error (error);

  sql = g_strdup_printf ("SELECT options->>'baud' FROM devices WHERE id = %" G_GINT64_FORMAT,
                         lers_device_get_id (d));
  baud = lers_check_sql_value (sql);
  ck_assert_str_eq (baud, "2400");
  g_free (sql);
  sql = g_strdup_printf ("SELECT string_agg(k || '=' || (options->>k), ',' ORDER BY k)"
                         " FROM devices, jsonb_object_keys(options) k WHERE id = %" G_GINT64_FORMAT,
                         lers_device_get_id (d));
  keys = lers_check_sql_value (sql);
  ck_assert_str_eq (keys, "baud=2400,password=секрет,retries=2");

  back = lers_store_get_device_sync (store, lers_device_get_id (d), NULL, &error);
  lers_check_assert_no_error (error);
  ck_assert_str_eq (lers_device_get_option (back, "password"), "секрет");
  ck_assert_str_eq (lers_device_get_option (back, "baud"), "2400");
  ck_assert_str_eq (lers_device_get_option (back, "retries"), "2");
  options = lers_device_dup_options (back);
  ck_assert_str_eq (options, "{\"baud\":\"2400\",\"password\":\"секрет\",\"retries\":\"2\"}");
}
END_TEST

START_TEST (test_bad_options_refused)
{
  const gchar *bad[]
      = { "[1]", "\"text\"", "{\"a\": [1]}", "{\"a\": {\"b\": 1}}", "{broken", "42" };
  g_autoptr (LersDevice) d = lers_device_new ();

  lers_device_set_option (d, "keep", "1");
  for (gsize i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_autoptr (GError) error = NULL;

      ck_assert_msg (!lers_device_set_options (d, bad[i], &error), "%s accepted", bad[i]);
      lers_check_assert_error (error, LERS_ERROR, LERS_ERROR_INVALID_ARGUMENT);
      /* unchanged */
      ck_assert_str_eq (lers_device_get_option (d, "keep"), "1");
    }
}
END_TEST

START_TEST (test_transport_for_tcp)
{
  g_autoptr (LersConnection) c = lers_connection_new ();
  g_autoptr (LersConnection) plain = lers_connection_new ();
  g_autoptr (LersTransport) t = NULL;
  g_autoptr (LersTransport) d = NULL;
  g_autoptr (LersTransport) defaults = NULL;
  g_autoptr (GError) error = NULL;

  g_object_set (c, "host", "127.0.0.1", "port", 4001, "timeout", 7, "first-byte-timeout-ms", 1500,
                "inter-byte-timeout-ms", 40, "answer-timeout-ms", 9000, "retries", 0, NULL);
  t = lers_transport_new_for_connection (c, &error);
  lers_check_assert_no_error (error);
  ck_assert (LERS_IS_TCP_TRANSPORT (t));
  ck_assert (!lers_transport_is_open (t));
  ck_assert_uint_eq (lers_transport_get_connect_timeout_ms (t), 7000);
  ck_assert_uint_eq (lers_transport_get_first_byte_timeout_ms (t), 1500);
  ck_assert_uint_eq (lers_transport_get_inter_byte_timeout_ms (t), 40);
  ck_assert_uint_eq (lers_transport_get_answer_timeout_ms (t), 9000);
  /* 0 retries is a value of its own, not the default */
  ck_assert_uint_eq (lers_transport_get_retries (t), 0);

  /* 0 timeouts and -1 retries keep a fresh transport's defaults */
  g_object_set (plain, "host", "127.0.0.1", "port", 4001, NULL);
  d = lers_transport_new_for_connection (plain, &error);
  lers_check_assert_no_error (error);
  defaults = lers_tcp_transport_new ("127.0.0.1", 4001);
  ck_assert_uint_eq (lers_transport_get_connect_timeout_ms (d),
                     lers_transport_get_connect_timeout_ms (defaults));
  ck_assert_uint_eq (lers_transport_get_first_byte_timeout_ms (d),
                     lers_transport_get_first_byte_timeout_ms (defaults));
  ck_assert_uint_eq (lers_transport_get_inter_byte_timeout_ms (d),
                     lers_transport_get_inter_byte_timeout_ms (defaults));
  ck_assert_uint_eq (lers_transport_get_answer_timeout_ms (d),
                     lers_transport_get_answer_timeout_ms (defaults));
  ck_assert_uint_eq (lers_transport_get_retries (d), lers_transport_get_retries (defaults));
}
END_TEST

START_TEST (test_transport_for_serial)
{
  g_autoptr (LersConnection) c = lers_connection_new ();
  g_autoptr (LersTransport) t = NULL;
  g_autoptr (LersConnection) unset = lers_connection_new ();
  g_autoptr (LersTransport) u = NULL;
  g_autoptr (GError) error = NULL;
  LersSerialTransport *serial;

  /* 2400 7O2 with RTS/CTS; the port need not exist until it is opened */
  g_object_set (c, "kind", LERS_CONNECTION_KIND_SERIAL, "serial-port", "/dev/ttyLERS-test",
                "baud-rate", 2400, "data-bits", 7, "parity", LERS_PARITY_ODD, "stop-bits", 2,
                "flow-control", LERS_FLOW_CONTROL_HARDWARE, "answer-timeout-ms", 4000,
                "inter-byte-timeout-ms", 60, "retries", 2, NULL);
  t = lers_transport_new_for_connection (c, &error);
  lers_check_assert_no_error (error);
  ck_assert (LERS_IS_SERIAL_TRANSPORT (t));
  serial = LERS_SERIAL_TRANSPORT (t);
  ck_assert_str_eq (lers_serial_transport_get_path (serial), "/dev/ttyLERS-test");
  ck_assert_uint_eq (lers_serial_transport_get_baud_rate (serial), 2400);
  ck_assert_uint_eq (lers_serial_transport_get_data_bits (serial), 7);
  ck_assert_int_eq (lers_serial_transport_get_parity (serial), LERS_PARITY_ODD);
  ck_assert_uint_eq (lers_serial_transport_get_stop_bits (serial), 2);
  ck_assert_int_eq (lers_serial_transport_get_flow_control (serial), LERS_FLOW_CONTROL_HARDWARE);
  ck_assert_uint_eq (lers_transport_get_answer_timeout_ms (t), 4000);
  ck_assert_uint_eq (lers_transport_get_inter_byte_timeout_ms (t), 60);
  ck_assert_uint_eq (lers_transport_get_retries (t), 2);

  /* baud 0: no speed chosen, the driver's default applies later */
  g_object_set (unset, "kind", LERS_CONNECTION_KIND_SERIAL, "serial-port", "/dev/ttyLERS-test",
                NULL);
  u = lers_transport_new_for_connection (unset, &error);
  lers_check_assert_no_error (error);
  ck_assert_uint_eq (lers_serial_transport_get_baud_rate (LERS_SERIAL_TRANSPORT (u)), 0);
  ck_assert (!lers_transport_get_line_configured (u));
}
END_TEST

START_TEST (test_transport_for_modem)
{
  g_autoptr (LersConnection) c = lers_connection_new ();
  g_autoptr (LersTransport) t = NULL;
  g_autoptr (GError) error = NULL;
  LersTransport *line;

  g_object_set (c, "kind", LERS_CONNECTION_KIND_MODEM, "serial-port", "/dev/ttyLERS-modem",
                "baud-rate", 9600, "parity", LERS_PARITY_EVEN, "phone-number", "84232000000",
                "modem-init", "ATZ&F0", "timeout", 60, "first-byte-timeout-ms", 3000, NULL);
  t = lers_transport_new_for_connection (c, &error);
  lers_check_assert_no_error (error);
  ck_assert (LERS_IS_MODEM_TRANSPORT (t));
  ck_assert_str_eq (lers_modem_transport_get_phone_number (LERS_MODEM_TRANSPORT (t)),
                    "84232000000");
  ck_assert_str_eq (lers_modem_transport_get_init_string (LERS_MODEM_TRANSPORT (t)), "ATZ&F0");
  /* dialling may take a minute: the connect timeout is the connection's */
  ck_assert_uint_eq (lers_transport_get_connect_timeout_ms (t), 60000);
  ck_assert_uint_eq (lers_transport_get_first_byte_timeout_ms (t), 3000);
  line = lers_modem_transport_get_line (LERS_MODEM_TRANSPORT (t));
  ck_assert (LERS_IS_SERIAL_TRANSPORT (line));
  ck_assert_str_eq (lers_serial_transport_get_path (LERS_SERIAL_TRANSPORT (line)),
                    "/dev/ttyLERS-modem");
  ck_assert_uint_eq (lers_serial_transport_get_baud_rate (LERS_SERIAL_TRANSPORT (line)), 9600);
  ck_assert_int_eq (lers_serial_transport_get_parity (LERS_SERIAL_TRANSPORT (line)),
                    LERS_PARITY_EVEN);
}
END_TEST

START_TEST (test_transport_refused)
{
  g_autoptr (LersConnection) gprs = lers_connection_new ();
  g_autoptr (LersConnection) no_host = lers_connection_new ();
  g_autoptr (LersTransport) t = NULL;
  g_autoptr (GError) error = NULL;

  g_object_set (gprs, "kind", LERS_CONNECTION_KIND_GPRS_SERVER, "identity", "MODEM-17", NULL);
  t = lers_transport_new_for_connection (gprs, &error);
  ck_assert_ptr_null (t);
  lers_check_assert_error (error, LERS_ERROR, LERS_ERROR_NOT_SUPPORTED);
  g_clear_error (&error);

  g_object_set (no_host, "kind", LERS_CONNECTION_KIND_TCP_CLIENT, "port", 4001, NULL);
  t = lers_transport_new_for_connection (no_host, &error);
  ck_assert_ptr_null (t);
  lers_check_assert_error (error, LERS_ERROR, LERS_ERROR_INVALID_ARGUMENT);
  g_clear_error (&error);

  /* what each kind needs: a serial port; a number for a modem; a baud
   * rate a serial line can run at */
  {
    g_autoptr (LersConnection) no_port = lers_connection_new ();
    g_autoptr (LersConnection) no_phone = lers_connection_new ();
    g_autoptr (LersConnection) odd_baud = lers_connection_new ();

    g_object_set (no_port, "kind", LERS_CONNECTION_KIND_SERIAL, "baud-rate", 9600, NULL);
    ck_assert_ptr_null (lers_transport_new_for_connection (no_port, &error));
    lers_check_assert_error (error, LERS_ERROR, LERS_ERROR_INVALID_ARGUMENT);
    g_clear_error (&error);
    g_object_set (no_phone, "kind", LERS_CONNECTION_KIND_MODEM, "serial-port", "/dev/ttyS0", NULL);
    ck_assert_ptr_null (lers_transport_new_for_connection (no_phone, &error));
    lers_check_assert_error (error, LERS_ERROR, LERS_ERROR_INVALID_ARGUMENT);
    g_clear_error (&error);
    g_object_set (odd_baud, "kind", LERS_CONNECTION_KIND_SERIAL, "serial-port", "/dev/ttyS0",
                  "baud-rate", 12345, NULL);
    ck_assert_ptr_null (lers_transport_new_for_connection (odd_baud, &error));
    lers_check_assert_error (error, LERS_ERROR, LERS_ERROR_INVALID_ARGUMENT);
  }
}
END_TEST

int
main (int argc, char **argv)
{
  Suite *s = suite_create ("store-connection-fields");
  TCase *tc = tcase_create ("connection-fields");
  TCase *tt = tcase_create ("transport");

  lers_check_init (&argc, &argv);
  tcase_add_unchecked_fixture (tc, lers_check_cluster_setup, lers_check_cluster_teardown);
  tcase_add_checked_fixture (tc, lers_check_store_setup, lers_check_store_teardown);
  tcase_add_test (tc, test_defaults);
  tcase_add_test (tc, test_connection_roundtrip);
  tcase_add_test (tc, test_database_checks_ranges);
  tcase_add_test (tc, test_gprs_identity_unique);
  tcase_add_test (tc, test_device_options_roundtrip);
  tcase_add_test (tc, test_bad_options_refused);
  suite_add_tcase (s, tc);
  tcase_add_test (tt, test_transport_for_tcp);
  tcase_add_test (tt, test_transport_for_serial);
  tcase_add_test (tt, test_transport_for_modem);
  tcase_add_test (tt, test_transport_refused);
  suite_add_tcase (s, tt);
  return lers_check_run_suite (s);
}
