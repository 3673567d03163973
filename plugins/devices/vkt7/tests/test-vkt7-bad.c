/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Bad input: each case gives its exact GError code and message, no crash. */
#include <check.h>
#include <string.h>

#include "lers-check.h"
#include "vkt7-data.h"
#include "vkt7-frame.h"
#include "lers-vkt7-driver.h"
#include "vkt7-test-util.h"

static const struct
{
  const gchar *hex;
  gint code;
  const gchar *message;
} replies[] = {
  /* с. 27's acknowledgement with its last byte changed */
  { "00 10 3F FF 00 00 FD FD", LERS_ERROR_CHECKSUM, "ВКТ-7 frame checksum is FDFD, expected FCFD" },
  { "00 03 4F 02 00", LERS_ERROR_INVALID_DATA, "ВКТ-7 reply of 5 bytes, its header says 0" },
  { "00 10 3F FF 00 00 FD FC 00", LERS_ERROR_INVALID_DATA,
    "ВКТ-7 reply of 9 bytes, its header says 8" },
  { "F5 03 00 00 00", LERS_ERROR_INVALID_DATA, "Not a ВКТ-7 reply (address 245, function 0x03)" },
  { "00 07 00 00 00", LERS_ERROR_INVALID_DATA, "Not a ВКТ-7 reply (address 0, function 0x07)" },
  { "00 83 03", LERS_ERROR_INVALID_DATA, "ВКТ-7 reply of 3 bytes, its header says 0" },
};

START_TEST (test_bad_replies)
{
  for (guint i = 0; i < G_N_ELEMENTS (replies); i++)
    {
      g_autoptr (GBytes) b = vkt7_test_hex (replies[i].hex);
      g_autoptr (GError) error = NULL;
      Vkt7Frame f;

      ck_assert (!vkt7_parse_reply (g_bytes_get_data (b, NULL), g_bytes_get_size (b), &f, &error));
      ck_assert_msg (g_error_matches (error, LERS_ERROR, replies[i].code), "case %u: %s", i,
                     error->message);
      ck_assert_str_eq (error->message, replies[i].message);
    }
}
END_TEST

START_TEST (test_oversize_and_garbage)
{
  guint8 big[300];
  g_autoptr (GError) error = NULL;
  Vkt7Frame f;

  memset (big, 0, sizeof big);
  big[1] = 0x03;
  big[2] = 0xFF;
  ck_assert (!vkt7_parse_reply (big, sizeof big, &f, &error));
  ck_assert_str_eq (error->message, "ВКТ-7 frame too long: 300 bytes");
  /* every short prefix of every byte value: no crash */
  for (guint v = 0; v < 256; v++)
    for (gsize n = 1; n <= 8; n++)
      {
        guint8 buf[8];
        memset (buf, (int) v, sizeof buf);
        ck_assert (!vkt7_parse_reply (buf, n, &f, NULL) || n >= 4);
      }
}
END_TEST

START_TEST (test_bad_data)
{
  static const guint8 seven[7] = { 0 };
  static const guint8 el200[6] = { 200, 0, 0, 0, 2, 0 };
  static const guint8 short_values[5] = { 0x4C, 0x1D, 0xC0, 0x00, 0x40 };
  Vkt7Item items[2] = { { 0, 2 }, { 3, 4 } };
  Vkt7Properties props;
  g_autoptr (GError) e1 = NULL;
  g_autoptr (GError) e2 = NULL;
  g_autoptr (GError) e3 = NULL;
  g_autoptr (GError) e4 = NULL;

  ck_assert_ptr_null (vkt7_active_parse (seven, 7, &e1));
  ck_assert_str_eq (e1->message, "ВКТ-7 active list of 7 bytes, not a multiple of 6");
  ck_assert_ptr_null (vkt7_active_parse (el200, 6, &e2));
  ck_assert_str_eq (e2->message, "ВКТ-7 active list names element 200 of size 2");
  vkt7_properties_init (&props);
  ck_assert_ptr_null (vkt7_values_parse (&props, items, 2, short_values, 5, &e3));
  ck_assert_str_eq (e3->message, "ВКТ-7 data reply of 5 bytes ends inside element 3 (offset 4)");
  ck_assert (!vkt7_properties_parse (&props, short_values, 5, &e4));
  ck_assert (g_error_matches (e4, LERS_ERROR, LERS_ERROR_INVALID_DATA));
  ck_assert_str_eq (e4->message, "ВКТ-7 reply too short for the properties");
  vkt7_properties_clear (&props);
}
END_TEST

#define START_REQ "FF FF 00 10 3F FF 00 00 CC 80 00 00 00 64 54"

START_TEST (test_wrong_address)
{
  Vkt7TestScript s;
  g_autoptr (GError) error = NULL;
  g_autoptr (LersDeviceSession) session = NULL;

  vkt7_test_script_init (&s);
  /* address 6 answers a request to address 0, twice */
  vkt7_test_script_add (&s, START_REQ, vkt7_build_write_ack (6, 0x3FFF, 0));
  vkt7_test_script_add (&s, START_REQ, vkt7_build_write_ack (6, 0x3FFF, 0));
  session = vkt7_test_script_open (&s, "{\"retries\": \"1\"}", &error);
  ck_assert_ptr_null (session);
  ck_assert (g_error_matches (error, LERS_ERROR, LERS_ERROR_INVALID_DATA));
  ck_assert_str_eq (error->message,
                    "ВКТ-7 at address 0, 2 attempts: ВКТ-7 reply from address 6, expected 0");
  vkt7_test_script_clear (&s);
}
END_TEST

START_TEST (test_silence)
{
  Vkt7TestScript s;
  g_autoptr (GError) error = NULL;
  g_autoptr (LersDeviceSession) session = NULL;

  vkt7_test_script_init (&s);
  vkt7_test_script_add (&s, START_REQ, NULL);
  vkt7_test_script_add (&s, START_REQ, NULL);
  session = vkt7_test_script_open (&s, "{\"retries\": \"1\"}", &error);
  ck_assert_ptr_null (session);
  ck_assert (g_error_matches (error, LERS_ERROR, LERS_ERROR_TIMED_OUT));
  ck_assert_uint_eq (s.n_writes, 2);
  vkt7_test_script_clear (&s);
}
END_TEST

/* the open sequence up to the properties' type, whose write is refused */
START_TEST (test_error_reply_and_retry)
{
  Vkt7TestScript s;
  g_autoptr (GError) error = NULL;
  g_autoptr (LersDeviceSession) session = NULL;
  guint8 block[64] = { 0 };
  static const guint8 svc[1] = { 0x27 };
  g_autoptr (GBytes) bad_crc = vkt7_test_hex ("00 10 3F FF 00 00 FD FD");

  vkt7_test_script_init (&s);
  vkt7_test_script_add (&s, START_REQ, g_bytes_ref (bad_crc)); /* garbled: sent again */
  vkt7_test_script_add (&s, START_REQ, vkt7_build_write_ack (0, 0x3FFF, 0));
  vkt7_test_script_add (&s, "FF FF 00 03 3F FE 00 00 29 FF", vkt7_build_reply (0, 3, block, 64));
  vkt7_test_script_add (&s, "FF FF 00 03 3F F9 00 00 98 3E", vkt7_build_reply (0, 3, svc, 1));
  vkt7_test_script_add (&s, NULL, vkt7_build_exception (0, 0x10, 2));
  session = vkt7_test_script_open (&s, NULL, &error);
  ck_assert_ptr_null (session);
  ck_assert (g_error_matches (error, LERS_ERROR, LERS_ERROR_INVALID_DATA));
  ck_assert_str_eq (error->message, "ВКТ-7 error 2: no such element or value type");
  vkt7_test_script_clear (&s);
}
END_TEST

START_TEST (test_bad_address_option)
{
  Vkt7TestScript s;
  g_autoptr (GError) error = NULL;
  g_autoptr (LersVkt7Driver) driver = NULL;
  g_autoptr (LersDevice) device = lers_device_new ();
  g_autoptr (LersDeviceSession) session = NULL;

  vkt7_test_script_init (&s);
  driver = lers_vkt7_driver_new ();
  lers_device_set_network_address (device, "241");
  session = lers_device_driver_open_session_sync (LERS_DEVICE_DRIVER (driver), s.transport, device,
                                                  NULL, &error);
  ck_assert_ptr_null (session);
  ck_assert (g_error_matches (error, LERS_ERROR, LERS_ERROR_INVALID_ARGUMENT));
  ck_assert_str_eq (error->message, "ВКТ-7 network address “241” is not a number from 0 to 240");
  vkt7_test_script_clear (&s);
}
END_TEST

int
main (int argc, char **argv)
{
  Suite *s = suite_create ("vkt7-bad");
  TCase *tc = tcase_create ("bad");

  lers_check_init (&argc, &argv);
  tcase_add_test (tc, test_bad_replies);
  tcase_add_test (tc, test_oversize_and_garbage);
  tcase_add_test (tc, test_bad_data);
  tcase_add_test (tc, test_wrong_address);
  tcase_add_test (tc, test_silence);
  tcase_add_test (tc, test_error_reply_and_retry);
  tcase_add_test (tc, test_bad_address_option);
  suite_add_tcase (s, tc);
  return lers_check_run_suite (s);
}
