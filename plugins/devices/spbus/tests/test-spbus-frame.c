/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Frame, CRC and decoder tests against third-party vectors: the frames of
 * Moisha/GMIO's tests (Test/Test.Devices.Logica.SPT961.ReqCreator.pas and
 * Test/Test.Devices.Logica.SPT961.Parser.pas; the answers are real
 * СПТ961 traffic) and the values GMIO's tests assert for them. Every CRC
 * below was also checked with Python's binascii.crc_hqx(frame[2:-2], 0)
 * (CRC-16/XMODEM), an implementation independent of this plugin.
 */
#include <lers-check.h>
#include <math.h>

#include <string.h>

#include "lers-spbus-driver.h"
#include "lers-spbus-simulator.h"
#include "spbus-frame.h"
#include "spbus-test-util.h"

/* ReqCreator.pas testCommonPrm: channel 1, parameter 160, address 0 */
#define REQ_READ_1_160 "10 01 00 00 10 1F 1D 10 02 09 31 09 31 36 30 0C 10 03 91 3F"
/* testIndexPrm: channel 0, parameter 96, from 1, 9 items */
#define REQ_INDEX "10 01 00 00 10 1F 0C 10 02 09 30 09 39 36 09 31 09 39 0C 10 03 F6 F9"
/* testArchStructure: channel 0, day slices 65532 */
#define REQ_SLICE_DESC "10 01 00 00 10 1F 19 10 02 09 30 09 36 35 35 33 32 0C 10 03 8E 0D"
/* testArchData: channel 0, 65532, 14.10.2013 00:00:00 */
#define REQ_SLICE                                                                                  \
  "10 01 00 00 10 1F 18 10 02 09 30 09 36 35 35 33 32 0C 09 31 34 09 31 30 09 32 30 31 33 09 30 "  \
  "09 30 09 30 0C 10 03 FB C6"
/* testTimeArray: channel 0, parameter 72, 09.10.2013 to 14.10.2013 (sent newest first) */
#define REQ_ARRAY                                                                                  \
  "10 01 00 00 10 1F 0E 10 02 09 30 09 37 32 0C 09 31 34 09 31 30 09 32 30 31 33 09 30 09 30 09 "  \
  "30 0C 09 39 09 31 30 09 32 30 31 33 09 30 09 30 09 30 0C 10 03 A3 42"
/* Parser.pas TimeArrayDay: the answer to REQ_ARRAY, six records of 0 'C */
#define ANS_DAY                                                                                    \
  "FF FF 10 01 00 00 10 1F 16 10 02 09 30 09 37 32 0C 09 31 34 09 31 30 09 32 30 31 33 09 30 09 "  \
  "30 09 30 0C 09 39 09 31 30 09 32 30 31 33 09 30 09 30 09 30 0C 09 30 09 27 43 09 31 34 2D 31 "  \
  "30 2D 31 33 2F 20 30 3A 30 30 3A 30 30 0C 09 30 09 27 43 09 31 33 2D 31 30 2D 31 33 2F 20 30 "  \
  "3A 30 30 3A 30 30 0C 09 30 09 27 43 09 31 32 2D 31 30 2D 31 33 2F 20 30 3A 30 30 3A 30 30 0C "  \
  "09 30 09 27 43 09 31 31 2D 31 30 2D 31 33 2F 20 30 3A 30 30 3A 30 30 0C 09 30 09 27 43 09 31 "  \
  "30 2D 31 30 2D 31 33 2F 20 30 3A 30 30 3A 30 30 0C 09 30 09 27 43 09 20 39 2D 31 30 2D 31 33 "  \
  "2F 20 30 3A 30 30 3A 30 30 0C 10 03 A9 92"
/* EmptyTimeArray */
#define ANS_EMPTY                                                                                  \
  "FF FF 10 01 00 00 10 1F 16 10 02 09 30 09 37 32 0C 09 32 31 09 30 39 09 32 30 31 33 09 30 09 "  \
  "30 09 30 0C 09 31 09 30 39 09 32 30 31 33 09 30 09 30 09 30 0C 10 03 E4 EC"
/* Value: 0/063 = 20 'C, four captures */
#define ANS_VALUE_MASTER                                                                           \
  "10 01 80 00 10 1F 03 10 02 09 30 09 30 36 33 0C 09 32 30 09 27 43 0C 10 03 D7 E8"
#define ANS_VALUE_0                                                                                \
  "FF FF 10 01 00 00 10 1F 03 10 02 09 30 09 30 36 33 0C 09 32 30 09 27 43 0C 10 03 44 79"
#define ANS_VALUE_11                                                                               \
  "FF FF 10 01 00 0B 10 1F 03 10 02 09 30 09 30 36 33 0C 09 32 30 09 27 43 0C 10 03 AC B2"
#define ANS_VALUE_KGF                                                                              \
  "10 01 81 01 10 1F 03 10 02 09 32 09 31 35 35 0C 09 32 2E 38 37 34 09 AA A3 E1 2F 63 AC 32 0C "  \
  "10 03 75 9E"

static void
assert_bytes (GBytes *got, const gchar *hex)
{
  g_autoptr (GBytes) want = spbus_test_hex (hex);
  g_autofree gchar *a = spbus_test_to_hex (got);
  g_autofree gchar *b = spbus_test_to_hex (want);

  ck_assert_str_eq (a, b);
}

START_TEST (test_crc_vectors)
{
  const gchar *frames[]
      = { REQ_READ_1_160, REQ_INDEX,        REQ_SLICE_DESC, REQ_SLICE,    REQ_ARRAY,    ANS_DAY,
          ANS_EMPTY,      ANS_VALUE_MASTER, ANS_VALUE_0,    ANS_VALUE_11, ANS_VALUE_KGF };

  for (guint i = 0; i < G_N_ELEMENTS (frames); i++)
    {
      g_autoptr (GBytes) b = spbus_test_hex (frames[i]);
      g_autoptr (GError) error = NULL;
      gsize n = 0;
      const guint8 *p = g_bytes_get_data (b, &n);
      SpbusFrame f;
      gsize skip = p[0] == 0xFF ? 2 : 0;

      ck_assert_msg (spbus_frame_parse (p, n, &f, &error), "%u: %s", i,
                     error ? error->message : "");
      ck_assert_uint_eq (f.preamble, skip);
      /* the scanner drops the FF FF, then sees the whole frame */
      ck_assert_int_eq (spbus_frame_scan (p, n, NULL), skip ? -1 : (gssize) n);
      ck_assert_int_eq (spbus_frame_scan (p + skip, n - skip, NULL), (gssize) (n - skip));
      ck_assert_int_eq (spbus_frame_scan (p + skip, n - skip - 1, NULL), 0);
      ck_assert_uint_eq (spbus_crc16 (p + skip + 2, n - skip - 4),
                         (guint) (p[n - 2] << 8 | p[n - 1]));
    }
}
END_TEST

START_TEST (test_requests)
{
  SpbusTime from = { 2013, 10, 9, 0, 0, 0 };
  SpbusTime to = { 2013, 10, 14, 0, 0, 0 };
  g_autoptr (GBytes) r1 = spbus_request_read_param (0, 1, 160);
  g_autoptr (GBytes) r2 = spbus_request_read_index (0, 0, 96, 1, 9);
  g_autoptr (GBytes) r3 = spbus_request_slice_desc (0, 0, 65532);
  g_autoptr (GBytes) r4 = spbus_request_slice (0, 0, 65532, &to);
  g_autoptr (GBytes) r5 = spbus_request_read_array (0, 0, 72, &from, &to);
  g_autoptr (GBytes) r6 = spbus_request_read_param (0x18, 0, 63);

  assert_bytes (r1, REQ_READ_1_160);
  assert_bytes (r2, REQ_INDEX);
  assert_bytes (r3, REQ_SLICE_DESC);
  assert_bytes (r4, REQ_SLICE);
  assert_bytes (r5, REQ_ARRAY);
  /* ReqCreator.pas CheckRequests[0]: address 0x18, 0/63 */
  assert_bytes (r6, "10 01 18 18 10 1F 1D 10 02 09 30 09 36 33 0C 10 03 22 51");
}
END_TEST

static void
check_value (const gchar *hex, guint sad, guint chn, guint prm, gdouble value, const gchar *units)
{
  g_autoptr (GBytes) b = spbus_test_hex (hex);
  g_autoptr (GError) error = NULL;
  g_autofree gchar *v = NULL;
  g_autofree gchar *u = NULL;
  gsize n = 0;
  const guint8 *p = g_bytes_get_data (b, &n);
  SpbusFrame f;
  guint c = 99, r = 99;
  gdouble x = NAN;

  ck_assert (spbus_frame_parse (p, n, &f, &error));
  ck_assert_uint_eq (f.sad, sad);
  ck_assert_uint_eq (f.fnc, SPBUS_FNC_VALUE);
  ck_assert_msg (spbus_decode_value (&f, &c, &r, &v, &u, &error), "%s",
                 error ? error->message : "");
  ck_assert_uint_eq (c, chn);
  ck_assert_uint_eq (r, prm);
  ck_assert (spbus_value_parse (v, &x));
  ck_assert_double_eq_tol (x, value, 1e-9);
  ck_assert_str_eq (u, units);
}

START_TEST (test_answers)
{
  g_autoptr (GError) error = NULL;
  SpbusFrame f;
  guint c = 0, r = 0;

  /* Parser.pas Value: 0/063 = 20 from devices 0, 0, 11; 2/155 = 2.874 from device 1 */
  check_value (ANS_VALUE_MASTER, 0, 0, 63, 20, "'C");
  check_value (ANS_VALUE_0, 0, 0, 63, 20, "'C");
  check_value (ANS_VALUE_11, 11, 0, 63, 20, "'C");
  check_value (ANS_VALUE_KGF, 1, 2, 155, 2.874, "кгс/cм2");

  /* TimeArrayDay: device 0, 0/72, six zeros stamped 14.10.2013 … 9.10.2013 00:00 */
  {
    g_autoptr (GBytes) b = spbus_test_hex (ANS_DAY);
    gsize n = 0;
    const guint8 *p = g_bytes_get_data (b, &n);
    g_autoptr (GArray) recs = NULL;

    ck_assert (spbus_frame_parse (p, n, &f, &error));
    recs = spbus_decode_array (&f, &c, &r, &error);
    ck_assert_ptr_nonnull (recs);
    ck_assert_uint_eq (f.sad, 0);
    ck_assert_uint_eq (c, 0);
    ck_assert_uint_eq (r, 72);
    ck_assert_uint_eq (recs->len, 6);
    for (guint i = 0; i < 6; i++)
      {
        SpbusArrayRecord *a = &g_array_index (recs, SpbusArrayRecord, i);
        ck_assert_str_eq (a->value, "0");
        ck_assert_str_eq (a->units, "'C");
        ck_assert_uint_eq (a->stamp.year, 2013);
        ck_assert_uint_eq (a->stamp.month, 10);
        ck_assert_uint_eq (a->stamp.day, 14 - i);
        ck_assert_uint_eq (a->stamp.hour, 0);
      }
  }
  /* EmptyTimeArray: no records */
  {
    g_autoptr (GBytes) b = spbus_test_hex (ANS_EMPTY);
    gsize n = 0;
    const guint8 *p = g_bytes_get_data (b, &n);
    g_autoptr (GArray) recs = NULL;

    ck_assert (spbus_frame_parse (p, n, &f, &error));
    recs = spbus_decode_array (&f, &c, &r, &error);
    ck_assert_ptr_nonnull (recs);
    ck_assert_uint_eq (recs->len, 0);
    ck_assert_uint_eq (r, 72);
  }
}
END_TEST

START_TEST (test_hour_capture)
{
  /* TimeArrayHour: device 11, 0/82, 17 records of 20 'C, 17:00 then 15:00
   * down to 00:00 on 14.02.2014 (16:00 missing) */
  g_autoptr (GError) error = NULL;
  g_autofree gchar *path = g_build_filename (SPBUS_TEST_DIR, "replay-gmio-hour.hex", NULL);
  g_autofree gchar *text = NULL;
  g_autoptr (GBytes) b = NULL;
  g_autoptr (GArray) recs = NULL;
  gsize n = 0;
  const guint8 *p;
  SpbusFrame f;
  guint c = 0, r = 0;

  ck_assert (g_file_get_contents (path, &text, NULL, NULL));
  b = spbus_test_hex (text);
  p = g_bytes_get_data (b, &n);
  ck_assert_uint_eq (n, 482);
  ck_assert (spbus_frame_parse (p, n, &f, &error));
  ck_assert_uint_eq (f.sad, 11);
  recs = spbus_decode_array (&f, &c, &r, &error);
  ck_assert_ptr_nonnull (recs);
  ck_assert_uint_eq (r, 82);
  ck_assert_uint_eq (recs->len, 17);
  for (guint i = 0; i < 17; i++)
    {
      SpbusArrayRecord *a = &g_array_index (recs, SpbusArrayRecord, i);
      ck_assert_str_eq (a->value, "20");
      ck_assert_uint_eq (a->stamp.day, 14);
      ck_assert_uint_eq (a->stamp.month, 2);
      ck_assert_uint_eq (a->stamp.year, 2014);
      ck_assert_uint_eq (a->stamp.hour, 17 - i - (i > 0 ? 1 : 0));
    }
}
END_TEST

START_TEST (test_json)
{
  g_autoptr (LersSpbusDriver) driver = NULL;
  g_autoptr (GBytes) b = NULL;
  g_autoptr (GError) error = NULL;
  g_autofree gchar *json = NULL;

  spbus_test_register_types ();
  driver = lers_spbus_driver_new ();
  /* as the text of a .hex file */
  b = g_bytes_new_static (ANS_VALUE_KGF, strlen (ANS_VALUE_KGF));
  json = lers_device_driver_decode_frame (LERS_DEVICE_DRIVER (driver), b, &error);
  ck_assert_msg (json != NULL, "%s", error ? error->message : "");
  ck_assert_ptr_nonnull (strstr (json, "\"value\" : 2.874"));
  ck_assert_ptr_nonnull (strstr (json, "\"units\" : \"кгс/cм2\""));
  ck_assert_ptr_nonnull (strstr (json, "\"dad_master\" : true"));
  ck_assert_ptr_nonnull (strstr (json, "\"parameter\" : 155"));
}
END_TEST

static void
assert_answer (LersSpbusSimulator *sim, const gchar *request, const gchar *answer)
{
  g_autoptr (GBytes) req = spbus_test_hex (request);
  gsize n = 0;
  const guint8 *p = g_bytes_get_data (req, &n);
  g_autoptr (GBytes) got = lers_spbus_simulator_answer (sim, p, n);

  ck_assert_ptr_nonnull (got);
  assert_bytes (got, answer);
}

START_TEST (test_simulator_vectors)
{
  g_autoptr (LersSpbusSimulator) sim = NULL;

  spbus_test_register_types ();
  sim = lers_spbus_simulator_new ("1", 0, 0);
  /* 2013-10-14T12:00:00Z: the day records up to 14.10.2013 00:00 exist */
  g_object_set (sim, "clock-time", (gint64) 1381752000, NULL);
  /* GMIO's request of TimeArray answered with GMIO's TimeArrayDay capture */
  assert_answer (sim, REQ_ARRAY, ANS_DAY);
  /* 0/63 from address 0 (CRC 6602 by binascii.crc_hqx) answered with the
   * capture "with FF FF and number 0" */
  assert_answer (sim, "10 01 00 00 10 1F 1D 10 02 09 30 09 36 33 0C 10 03 66 02", ANS_VALUE_0);
}
END_TEST

/* review #6: open's requests for 0/099 and 0/024 and the simulator's
 * answers (README, simulator: 099 = "961" for the СПТ961, 024 = 0); the
 * frames laid out as GMIO's 0/63 pair above, CRCs by binascii.crc_hqx
 * (which gives GMIO's 4479 for ANS_VALUE_0) */
START_TEST (test_simulator_identity)
{
  g_autoptr (LersSpbusSimulator) sim = NULL;
  g_autoptr (GBytes) r99 = spbus_request_read_param (0, 0, 99);
  g_autoptr (GBytes) r24 = spbus_request_read_param (0, 0, 24);

  spbus_test_register_types ();
  sim = lers_spbus_simulator_new ("1", 0, 0);
  assert_bytes (r99, "10 01 00 00 10 1F 1D 10 02 09 30 09 39 39 0C 10 03 6B 50");
  assert_bytes (r24, "10 01 00 00 10 1F 1D 10 02 09 30 09 32 34 0C 10 03 BE 29");
  assert_answer (
      sim, "10 01 00 00 10 1F 1D 10 02 09 30 09 39 39 0C 10 03 6B 50",
      "FF FF 10 01 00 00 10 1F 03 10 02 09 30 09 30 39 39 0C 09 39 36 31 0C 10 03 EE B8");
  assert_answer (sim, "10 01 00 00 10 1F 1D 10 02 09 30 09 32 34 0C 10 03 BE 29",
                 "FF FF 10 01 00 00 10 1F 03 10 02 09 30 09 30 32 34 0C 09 30 0C 10 03 45 A5");
}
END_TEST

static Suite *
spbus_frame_suite (void)
{
  Suite *s = suite_create ("spbus-frame");
  TCase *tc = tcase_create ("vectors");

  tcase_add_test (tc, test_crc_vectors);
  tcase_add_test (tc, test_requests);
  tcase_add_test (tc, test_answers);
  tcase_add_test (tc, test_hour_capture);
  tcase_add_test (tc, test_json);
  tcase_add_test (tc, test_simulator_vectors);
  tcase_add_test (tc, test_simulator_identity);
  suite_add_tcase (s, tc);
  return s;
}

int
main (int argc, char **argv)
{
  lers_check_init (&argc, &argv);
  return lers_check_run_suite (spbus_frame_suite ());
}
