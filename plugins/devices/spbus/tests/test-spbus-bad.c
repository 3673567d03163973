/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Bad input: frames and data the decoders must refuse with an exact error,
 * and a session whose device answers wrongly or not at all. The good
 * frame these are made from is GMIO's capture "FF FF … 44 79" (0/063 =
 * 20 'C from device 0, Test.Devices.Logica.SPT961.Parser.pas).
 */
#include <lers-check.h>
#include <string.h>

#include "spbus-frame.h"
#include "spbus-test-util.h"

#define GOOD                                                                                       \
  "FF FF 10 01 00 00 10 1F 03 10 02 09 30 09 30 36 33 0C 09 32 30 09 27 43 0C 10 03 44 79"

typedef struct
{
  const gchar *what;
  const gchar *hex;
  gint code;
  const gchar *message;
} BadFrame;

static const BadFrame bad_frames[] = {
  { "wrong CRC",
    "FF FF 10 01 00 00 10 1F 03 10 02 09 30 09 30 36 33 0C 09 32 30 09 27 43 0C 10 03 44 7A",
    LERS_ERROR_CHECKSUM, "A СПСеть frame with CRC 447A, expected 4479" },
  { "a changed byte",
    "FF FF 10 01 00 00 10 1F 03 10 02 09 30 09 30 36 33 0C 09 32 31 09 27 43 0C 10 03 44 79",
    LERS_ERROR_CHECKSUM, NULL },
  { "truncated", "FF FF 10 01 00 00 10 1F 03 10 02 09", LERS_ERROR_INVALID_DATA,
    "A СПСеть frame of 12 bytes is too short" },
  { "no ETX", "10 01 00 00 10 1F 03 10 02 09 30 09 30 36 33 0C 09 32 30 0C 10 04 44 79",
    LERS_ERROR_INVALID_DATA, "A СПСеть frame that does not end with DLE ETX and a CRC" },
  { "garbage", "00 11 22 33 44 55 66 77 88 99 AA BB CC DD EE", LERS_ERROR_INVALID_DATA,
    "Not a СПСеть frame (no DLE SOH … DLE ISI … DLE STX header)" },
  /* DLE inside the data; CRC 0xDED8 by binascii.crc_hqx */
  { "DLE in data", "10 01 00 00 10 1F 03 10 02 09 10 0C 10 03 DE D8", LERS_ERROR_INVALID_DATA,
    "A СПСеть frame with DLE inside its data" },
};

START_TEST (test_bad_frames)
{
  for (guint i = 0; i < G_N_ELEMENTS (bad_frames); i++)
    {
      const BadFrame *b = &bad_frames[i];
      g_autoptr (GBytes) bytes = spbus_test_hex (b->hex);
      g_autoptr (GError) error = NULL;
      gsize n = 0;
      const guint8 *p = g_bytes_get_data (bytes, &n);
      SpbusFrame f;

      ck_assert_msg (!spbus_frame_parse (p, n, &f, &error), "%s parsed", b->what);
      ck_assert_msg (g_error_matches (error, LERS_ERROR, b->code), "%s: %s", b->what,
                     error->message);
      if (b->message != NULL)
        ck_assert_str_eq (error->message, b->message);
    }
}
END_TEST

START_TEST (test_oversize)
{
  g_autofree guint8 *big = g_malloc0 (SPBUS_FRAME_MAX + 10);
  g_autoptr (GError) error = NULL;
  SpbusFrame f;

  big[0] = SPBUS_DLE;
  big[1] = SPBUS_SOH;
  big[4] = SPBUS_DLE;
  big[5] = SPBUS_ISI;
  big[7] = SPBUS_DLE;
  big[8] = SPBUS_STX;
  ck_assert (!spbus_frame_parse (big, SPBUS_FRAME_MAX + 10, &f, &error));
  ck_assert (g_error_matches (error, LERS_ERROR, LERS_ERROR_INVALID_DATA));
  ck_assert_str_eq (error->message, "A СПСеть frame of 65546 bytes is too long");
  /* the scanner gives up on a frame that never ends */
  ck_assert_int_eq (spbus_frame_scan (big, SPBUS_FRAME_MAX + 10, NULL), -1);
  /* and drops line noise one byte at a time */
  ck_assert_int_eq (spbus_frame_scan ((const guint8 *) "\xFF\x10", 2, NULL), -1);
  ck_assert_int_eq (spbus_frame_scan ((const guint8 *) "\x10\x02", 2, NULL), -1);
  ck_assert_int_eq (spbus_frame_scan ((const guint8 *) "\x10", 1, NULL), 0);
}
END_TEST

START_TEST (test_bad_data)
{
  g_autoptr (GError) e1 = NULL;
  g_autoptr (GError) e2 = NULL;
  g_autoptr (GError) e3 = NULL;
  g_autoptr (GError) e4 = NULL;
  g_autoptr (GPtrArray) g1 = spbus_data_split ((const guint8 *) "\t1\tX", 4, &e1);
  g_autoptr (GPtrArray) g2 = spbus_data_split ((const guint8 *) "1\f", 2, &e2);
  g_autoptr (GPtrArray) groups = NULL;
  g_autoptr (GBytes) good = spbus_test_hex (GOOD);
  gsize n = 0;
  const guint8 *p = g_bytes_get_data (good, &n);
  SpbusFrame f;
  guint c, r;
  SpbusTime t;
  g_autoptr (GArray) recs = NULL;
  gdouble v;

  ck_assert_ptr_null (g1);
  ck_assert_str_eq (e1->message, "СПСеть data: the last group is not ended by FF");
  ck_assert_ptr_null (g2);
  ck_assert_str_eq (e2->message, "СПСеть data: byte 31 at offset 0 where HT or FF should be");
  /* a value answer is not a time array */
  ck_assert (spbus_frame_parse (p, n, &f, NULL));
  recs = spbus_decode_array (&f, &c, &r, &e3);
  ck_assert_ptr_null (recs);
  ck_assert (g_error_matches (e3, LERS_ERROR, LERS_ERROR_INVALID_DATA));
  ck_assert_str_eq (e3->message, "A СПСеть answer with function 03, expected 16");
  groups = g_ptr_array_new ();
  ck_assert (!spbus_decode_head (&f, groups, SPBUS_FNC_VALUE, &c, &r, &e4));
  ck_assert_str_eq (e4->message, "A СПСеть answer without its channel and parameter");
  /* stamps and values */
  ck_assert (spbus_stamp_parse (" 9-10-13/ 0:00:00", &t));
  ck_assert_uint_eq (t.day, 9);
  ck_assert (!spbus_stamp_parse ("31-02-13/ 0:00:00", &t));
  ck_assert (!spbus_stamp_parse ("14-10-13/24:00:00", &t));
  ck_assert (!spbus_stamp_parse ("14-10-13 00:00:00", &t));
  ck_assert (!spbus_value_parse ("", &v));
  ck_assert (!spbus_value_parse ("2.8x", &v));
  ck_assert (spbus_value_parse (" -1.5 ", &v));
  ck_assert_double_eq (v, -1.5);
}
END_TEST

static void
script_session (SpbusTestSession *t, const gchar *address)
{
  spbus_test_session_script (t, address);
  lers_device_set_option (t->device, "params", "T_in@0=63");
  ck_assert (spbus_test_open (t, NULL));
}

static GError *
read_current (SpbusTestSession *t)
{
  GError *error = NULL;
  g_autoptr (GPtrArray) records
      = spbus_test_read (t, LERS_ARCHIVE_KIND_CURRENT, NULL, NULL, &error);

  ck_assert_ptr_null (records);
  return error;
}

START_TEST (test_session_errors)
{
  SpbusTestSession t;
  g_autoptr (GError) e1 = NULL;
  g_autoptr (GError) e2 = NULL;
  g_autoptr (GError) e3 = NULL;
  g_autoptr (GError) e4 = NULL;
  g_autoptr (GError) e5 = NULL;
  g_autoptr (GPtrArray) ok = NULL;

  /* a wrong CRC twice (retries = 1) */
  script_session (&t, "0");
  spbus_test_script_answer (&t, "FF FF 10 01 00 00 10 1F 03 10 02 09 30 09 30 36 33 0C 09 32 30 "
                                "09 27 43 0C 10 03 44 7A");
  spbus_test_script_answer (&t, "FF FF 10 01 00 00 10 1F 03 10 02 09 30 09 30 36 33 0C 09 32 30 "
                                "09 27 43 0C 10 03 44 7A");
  e1 = read_current (&t);
  ck_assert (g_error_matches (e1, LERS_ERROR, LERS_ERROR_CHECKSUM));
  ck_assert_str_eq (e1->message, "СПСеть read of 0/063 from address 0, 2 attempts: A СПСеть "
                                 "frame with CRC 447A, expected 4479");
  /* both requests went out: 0/63 from address 0 (CRC 6602, binascii.crc_hqx) */
  ck_assert_str_eq (t.written->str, "10010000101F1D1002093009363"
                                    "30C10036602\n10010000101F1D100209300936330C10036602\n");
  spbus_test_session_clear (&t);

  /* silence */
  script_session (&t, "0");
  e2 = read_current (&t);
  ck_assert (g_error_matches (e2, LERS_ERROR, LERS_ERROR_TIMED_OUT));

  spbus_test_session_clear (&t);
  /* the answer of device 11 to a request for device 0, twice */
  script_session (&t, "0");
  spbus_test_script_answer (&t, "FF FF 10 01 00 0B 10 1F 03 10 02 09 30 09 30 36 33 0C 09 32 30 "
                                "09 27 43 0C 10 03 AC B2");
  spbus_test_script_answer (&t, "FF FF 10 01 00 0B 10 1F 03 10 02 09 30 09 30 36 33 0C 09 32 30 "
                                "09 27 43 0C 10 03 AC B2");
  e3 = read_current (&t);
  ck_assert (g_error_matches (e3, LERS_ERROR, LERS_ERROR_INVALID_DATA));
  ck_assert (g_str_has_suffix (e3->message, "A СПСеть answer from address 11, not 0"));
  spbus_test_session_clear (&t);

  /* an answer about another parameter (2/155 of device 1), twice */
  script_session (&t, "1");
  spbus_test_script_answer (&t, "10 01 81 01 10 1F 03 10 02 09 32 09 31 35 35 0C 09 32 2E 38 37 "
                                "34 09 AA A3 E1 2F 63 AC 32 0C 10 03 75 9E");
  spbus_test_script_answer (&t, "10 01 81 01 10 1F 03 10 02 09 32 09 31 35 35 0C 09 32 2E 38 37 "
                                "34 09 AA A3 E1 2F 63 AC 32 0C 10 03 75 9E");
  e4 = read_current (&t);
  ck_assert (g_error_matches (e4, LERS_ERROR, LERS_ERROR_INVALID_DATA));
  ck_assert (g_str_has_suffix (e4->message, "A СПСеть answer about 2/155, not 0/063"));
  spbus_test_session_clear (&t);

  /* the first answer garbled, the resent request answered */
  script_session (&t, "0");
  spbus_test_script_answer (&t, "FF FF 10 01 00 00 10");
  spbus_test_script_answer (&t, GOOD);
  ok = spbus_test_read (&t, LERS_ARCHIVE_KIND_CURRENT, NULL, NULL, &e5);
  ck_assert_msg (ok != NULL, "%s", e5 ? e5->message : "");
  ck_assert_uint_eq (ok->len, 1);
  ck_assert_double_eq_tol (spbus_test_value (g_ptr_array_index (ok, 0), LERS_PARAMETER_T_IN, NULL),
                           20, 1e-9);
  spbus_test_session_clear (&t);
}
END_TEST

/* review #9: a garbled answer with the start of another frame behind it;
 * the resent request's answer must be read alone, not behind that rest.
 * (The transport's exchange also drops stale input before each write, so
 * this passed before the session's own discard too.) */
START_TEST (test_resend_discards)
{
  SpbusTestSession t;
  g_autoptr (GPtrArray) ok = NULL;
  g_autoptr (GError) error = NULL;

  script_session (&t, "0");
  /* GOOD with its last CRC byte 79 → 7A, then "10 01 00" */
  spbus_test_script_answer (
      &t, "FF FF 10 01 00 00 10 1F 03 10 02 09 30 09 30 36 33 0C 09 32 30 09 27 43 0C 10 03 44 7A "
          "10 01 00");
  spbus_test_script_answer (&t, GOOD);
  ok = spbus_test_read (&t, LERS_ARCHIVE_KIND_CURRENT, NULL, NULL, &error);
  ck_assert_msg (ok != NULL, "%s", error ? error->message : "");
  ck_assert_uint_eq (ok->len, 1);
  ck_assert_uint_eq (t.n_writes, 4); /* open's 099 and 024, the read, its resend */
  spbus_test_session_clear (&t);
}
END_TEST

/* review #6: open reads 0/099 and 0/024 (LogikaPython Logika6.py: the
 * model and the report hour) */
START_TEST (test_open_identity)
{
  SpbusTestSession t;
  g_autoptr (GError) e1 = NULL;
  g_autoptr (GError) e2 = NULL;
  g_autoptr (GError) e3 = NULL;
  g_autoptr (GError) e4 = NULL;
  g_autoptr (GPtrArray) days = NULL;

  /* an absent device: open fails, timed out after 1 + 1 tries */
  spbus_test_session_script (&t, "0");
  g_ptr_array_set_size (t.answers, 0);
  ck_assert (!spbus_test_open (&t, &e1));
  ck_assert (g_error_matches (e1, LERS_ERROR, LERS_ERROR_TIMED_OUT));
  ck_assert (g_str_has_prefix (e1->message, "СПСеть read of 0/099 from address 0, 2 attempts: "));
  ck_assert_uint_eq (t.n_writes, 2);
  spbus_test_session_clear (&t);

  /* configured СПГ761, the device says 961 */
  spbus_test_session_script (&t, "0");
  lers_device_set_model (t.device, "СПГ761");
  ck_assert (!spbus_test_open (&t, &e2));
  ck_assert (g_error_matches (e2, LERS_ERROR, LERS_ERROR_INVALID_DATA));
  ck_assert_str_eq (e2->message, "The СПСеть device says it is model “961” (parameter 099), but "
                                 "it is configured as “СПГ761”");
  spbus_test_session_clear (&t);

  /* an unconfigured device takes the model it names */
  spbus_test_session_script (&t, "0");
  ck_assert (spbus_test_open (&t, &e3));
  ck_assert_str_eq (lers_device_get_model (t.device), "СПТ961");
  spbus_test_session_clear (&t);

  /* report hour 9 from 024: the day from 2013-10-08 09:00 ends at the
   * stamp 9.10.2013 09:00:00, sent as "\t9\t10\t2013\t9\t0\t0" (GMIO's
   * stamp format, test_hour_replay) */
  spbus_test_session_script (&t, "0");
  g_ptr_array_set_size (t.answers, 0);
  spbus_test_script_identity (&t, 0, "961", "9");
  lers_device_set_option (t.device, "params", "T_cw@0=-/-/72");
  ck_assert (spbus_test_open (&t, NULL));
  days = spbus_test_read (&t, LERS_ARCHIVE_KIND_DAY, "2013-10-08T09:00:00Z", "2013-10-09T09:00:00Z",
                          &e4);
  ck_assert_ptr_null (days); /* nobody answers the read */
  ck_assert_ptr_nonnull (strstr (t.written->str, "0939093130093230313309390930093"));
  spbus_test_session_clear (&t);
}
END_TEST

START_TEST (test_bad_options)
{
  SpbusTestSession t;
  g_autoptr (GError) e1 = NULL;
  g_autoptr (GError) e2 = NULL;
  g_autoptr (GError) e3 = NULL;

  spbus_test_session_script (&t, "200");
  ck_assert (!spbus_test_open (&t, &e1));
  ck_assert (g_error_matches (e1, LERS_ERROR, LERS_ERROR_INVALID_ARGUMENT));
  ck_assert_str_eq (e1->message, "'200' is not a СПСеть address (0 to 31)");
  spbus_test_session_clear (&t);
  /* review #8: LogikaPython's BusAddress.py lists device addresses 0–31 */
  spbus_test_session_script (&t, "32");
  ck_assert (!spbus_test_open (&t, &e3));
  ck_assert (g_error_matches (e3, LERS_ERROR, LERS_ERROR_INVALID_ARGUMENT));
  ck_assert_str_eq (e3->message, "'32' is not a СПСеть address (0 to 31)");
  spbus_test_session_clear (&t);
  spbus_test_session_script (&t, "1");
  lers_device_set_option (t.device, "params", "T_in@1=156;Nonsense@1=1");
  ck_assert (!spbus_test_open (&t, &e2));
  ck_assert_str_eq (e2->message, "СПСеть option params: 'Nonsense@1=1' is not "
                                 "NAME@CHANNEL=CURRENT/HOUR/DAY/MONTH");
  spbus_test_session_clear (&t);
}
END_TEST

static Suite *
spbus_bad_suite (void)
{
  Suite *s = suite_create ("spbus-bad");
  TCase *tc = tcase_create ("bad");

  tcase_add_test (tc, test_bad_frames);
  tcase_add_test (tc, test_oversize);
  tcase_add_test (tc, test_bad_data);
  tcase_add_test (tc, test_session_errors);
  tcase_add_test (tc, test_bad_options);
  tcase_add_test (tc, test_resend_discards);
  tcase_add_test (tc, test_open_identity);
  suite_add_tcase (s, tc);
  return s;
}

int
main (int argc, char **argv)
{
  lers_check_init (&argc, &argv);
  return lers_check_run_suite (spbus_bad_suite ());
}
