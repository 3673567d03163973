/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * КМ-5 framing and decoders against bytes worked out by hand from the
 * layouts in stowage/km-5-pult (IOHelper.java, CommandModuleImpl.java),
 * the only public description of the protocol; the arithmetic is in the
 * comments. Also the bad-input table with exact error codes, and the
 * simulator's answers to those requests.
 */
#include <check.h>
#include <math.h>
#include <string.h>

#include "km5-data.h"
#include "km5-frame.h"
#include "km5-test-util.h"
#include "lers-check.h"
#include "lers-km5-simulator.h"

static void
assert_bytes (GBytes *got, const gchar *hex)
{
  g_autoptr (GBytes) want = km5_test_hex (hex);
  if (!g_bytes_equal (got, want))
    {
      g_autofree gchar *a = g_strdup ("");
      gsize n = 0;
      const guint8 *d = g_bytes_get_data (got, &n);
      for (gsize i = 0; i < n; i++)
        {
          gchar *t = g_strdup_printf ("%s%02x ", a, d[i]);
          g_free (a);
          a = t;
        }
      ck_abort_msg ("bytes differ: got %s, want %s", a, hex);
    }
}

START_TEST (test_address)
{
  guint8 a[4];
  g_autofree gchar *text = NULL;
  g_autoptr (GError) error = NULL;

  /* "12345678": BCD bytes 12 34 56 78, least significant first */
  ck_assert (km5_address_parse ("12345678", a, NULL));
  ck_assert_uint_eq (a[0], 0x78);
  ck_assert_uint_eq (a[1], 0x56);
  ck_assert_uint_eq (a[2], 0x34);
  ck_assert_uint_eq (a[3], 0x12);
  text = km5_address_format (a);
  ck_assert_str_eq (text, "12345678");
  /* "1" is "00000001" (UCSTest.java talks to deviceID "00000001") */
  ck_assert (km5_address_parse ("1", a, NULL));
  ck_assert_uint_eq (a[0], 0x01);
  ck_assert_uint_eq (a[3], 0x00);
  ck_assert (!km5_address_parse ("12a", a, &error));
  ck_assert (g_error_matches (error, LERS_ERROR, LERS_ERROR_INVALID_ARGUMENT));
  g_clear_error (&error);
  ck_assert (!km5_address_parse ("123456789", a, &error));
  ck_assert (g_error_matches (error, LERS_ERROR, LERS_ERROR_INVALID_ARGUMENT));
}
END_TEST

START_TEST (test_requests)
{
  guint8 a[4];
  guint8 d44[9] = { 5 };
  guint8 d52[9] = { 0, 0x05, 0x11, 0x26, 0x14 };
  g_autoptr (GBytes) r1 = NULL, r2 = NULL, r3 = NULL;

  /* command 44 sub-type 5 to 12345678:
   * XOR 78^56=2E ^34=1A ^12=08 ^2C=24 ^05=21 → 21;
   * sum 78+56+34+12+2C+05 = 0x145 → 45 */
  km5_address_parse ("12345678", a, NULL);
  r1 = km5_request_new (a, 44, d44, FALSE);
  assert_bytes (r1, "78 56 34 12 2c 05 00 00 00 00 00 00 00 00 21 45");
  /* backward: the same 16 bytes in reverse order */
  r2 = km5_request_new (a, 44, d44, TRUE);
  assert_bytes (r2, "45 21 00 00 00 00 00 00 00 00 05 2c 12 34 56 78");
  /* command 52, hourly archive (0), 05.11.26 14 h, to 00000001:
   * XOR 01^34=35 ^05=30 ^11=21 ^26=07 ^14=13 → 13;
   * sum 01+34+05+11+26+14 = 0x85 → 85 */
  km5_address_parse ("1", a, NULL);
  r3 = km5_request_new (a, 52, d52, FALSE);
  assert_bytes (r3, "01 00 00 00 34 00 05 11 26 14 00 00 00 00 13 85");
}
END_TEST

START_TEST (test_floats)
{
  /* IEEE 754 single, low byte first:
   * 75.5  = 1.1796875·2^6: exponent 133 (0x85), mantissa .0010111 → 0x42970000
   * 45.25 = 1.4140625·2^5: exponent 132 (0x84), mantissa .0110101 → 0x42350000
   * 0.0625 = 2^-4: exponent 123 → 0x3D800000; −3.5 = −1.75·2^1 → 0xC0600000 */
  static const guint8 f1[] = { 0x00, 0x00, 0x97, 0x42 };
  static const guint8 f2[] = { 0x00, 0x00, 0x35, 0x42 };
  static const guint8 f3[] = { 0x00, 0x00, 0x80, 0x3d };
  static const guint8 f4[] = { 0x00, 0x00, 0x60, 0xc0 };
  guint8 out[4];

  ck_assert (km5_read_float (f1) == 75.5f);
  ck_assert (km5_read_float (f2) == 45.25f);
  ck_assert (km5_read_float (f3) == 0.0625f);
  ck_assert (km5_read_float (f4) == -3.5f);
  km5_write_float (out, 75.5f);
  ck_assert (memcmp (out, f1, 4) == 0);
}
END_TEST

/* a line answer (command 65), 72 bytes: stamp 08.11.26 11:00:00 type 3,
 * ta −3.5, P1 NaN (7FC00000: the meter's "no value"), t1 75.5, t2 45.25,
 * M1 2.0, Q 0.0625, Tp 1.0, the rest 0 */
static GBytes *
line_frame (void)
{
  guint8 f[72] = { 0x01, 0x00, 0x00, 0x00, 65, 0x00, 0x08, 0x11, 0x26, 0x03, 0x11, 0x00, 0x00 };
  static const guint8 ta[] = { 0x00, 0x00, 0x60, 0xc0 }, p1[] = { 0x00, 0x00, 0xc0, 0x7f },
                      t1[] = { 0x00, 0x00, 0x97, 0x42 }, t2[] = { 0x00, 0x00, 0x35, 0x42 },
                      m1[] = { 0x00, 0x00, 0x00, 0x40 }, q[] = { 0x00, 0x00, 0x80, 0x3d },
                      tp[] = { 0x00, 0x00, 0x80, 0x3f };

  memcpy (f + 13 + 4 * 0, ta, 4);
  memcpy (f + 13 + 4 * 1, p1, 4);
  memcpy (f + 13 + 4 * 4, t1, 4);
  memcpy (f + 13 + 4 * 5, t2, 4);
  memcpy (f + 13 + 4 * 7, m1, 4);
  memcpy (f + 13 + 4 * 12, q, 4);
  memcpy (f + 13 + 4 * 13, tp, 4);
  km5_test_checksum (f, sizeof f);
  return g_bytes_new (f, sizeof f);
}

START_TEST (test_line)
{
  g_autoptr (GBytes) wire = line_frame ();
  g_autoptr (GBytes) frame = NULL;
  g_autoptr (GError) error = NULL;
  guint8 a[4];
  Km5Line line;

  km5_address_parse ("1", a, NULL);
  ck_assert_msg (km5_answer_parse (wire, a, 65, FALSE, &frame, &error), "%s",
                 error ? error->message : "");
  ck_assert (km5_decode_line (frame, &line, &error));
  ck_assert_uint_eq (line.stamp.year, 2026);
  ck_assert_uint_eq (line.stamp.month, 11);
  ck_assert_uint_eq (line.stamp.day, 8);
  ck_assert_uint_eq (line.stamp.hour, 11);
  ck_assert_uint_eq (line.stamp.type, 3);
  ck_assert (line.values[KM5_LINE_TA] == -3.5f);
  ck_assert (isnan (line.values[KM5_LINE_P1]));
  ck_assert (line.values[KM5_LINE_T1] == 75.5f);
  ck_assert (line.values[KM5_LINE_T2] == 45.25f);
  ck_assert (line.values[KM5_LINE_M1] == 2.0f);
  ck_assert (line.values[KM5_LINE_Q] == 0.0625f);
  ck_assert (line.values[KM5_LINE_TP] == 1.0f);
}
END_TEST

/* review finding 10: the 8 status bytes of command 8 under km-5-pult's
 * names (CommandModuleImpl.cmdReadStatus: regimeGvs, byteEmptyPipe,
 * byteOfHardErr, regimeGvsMode, byteSettingUp, byteErrDevice,
 * byteFlagOfData, byteDeviceProperties), flags as set bit numbers, no
 * invented НС codes. Bytes 05 05 00 02 00 80 00 03: 05 = bits 0, 2;
 * 80 = bit 7; 03 = bits 0, 1 */
START_TEST (test_status_names)
{
  guint8 f[32] = { 0x01, 0, 0, 0, 8, 0x05, 0x05, 0x00, 0x02, 0x00, 0x80, 0x00, 0x03 };
  g_autofree gchar *json = NULL;
  g_autoptr (GError) error = NULL;

  km5_test_checksum (f, 32);
  json = km5_frame_to_json (f, 32, &error);
  ck_assert_msg (json != NULL, "%s", error ? error->message : "");
  ck_assert_msg (strstr (json, "\"status\":{\"regimeGvs\":5,\"byteEmptyPipe\":[0,2],"
                               "\"byteOfHardErr\":[],\"regimeGvsMode\":2,\"byteSettingUp\":[],"
                               "\"byteErrDevice\":[7],\"byteFlagOfData\":[],"
                               "\"byteDeviceProperties\":[0,1]}")
                     != NULL,
                 "%s", json);
  ck_assert (strstr (json, "codes") == NULL);
}
END_TEST

/* ---- bad input: exact codes -------------------------------------------------- */

typedef struct
{
  const gchar *name;
  const gchar *hex; /* NULL: the line frame, mutated by `mutate` */
  gint mutate;
  guint8 command;
  gint code;
  const gchar *message;
} BadCase;

/* review finding 15: codes and messages. The line frame's checksums are
 * 92 00 (as km5_test_checksum, the tests' own, computes them); flipping
 * bit 0 of CS2 gives 92 01 */
static const BadCase bad_cases[] = {
  { "wrong checksum", NULL, 1, 65, LERS_ERROR_CHECKSUM,
    "КМ-5 frame checksum mismatch: got 92 01, computed 92 00" },
  { "truncated", NULL, 2, 65, LERS_ERROR_INVALID_DATA,
    "КМ-5 answer to command 65 has 40 bytes, expected 72" },
  { "wrong address", NULL, 3, 65, LERS_ERROR_INVALID_DATA,
    "КМ-5 answer from address 00000002, expected 00000001" },
  { "wrong command echo", NULL, 0, 64, LERS_ERROR_INVALID_DATA,
    "КМ-5 answer echoes command 65, expected 64" },
  { "oversize", NULL, 4, 65, LERS_ERROR_INVALID_DATA,
    "КМ-5 answer to command 65 has 73 bytes, expected 72" },
  { "all zeros", NULL, 5, 65, LERS_ERROR_CHECKSUM,
    "КМ-5 answer with both checksum bytes 0 is refused" },
  { "garbage", "ff ff ff", 0, 0, LERS_ERROR_INVALID_DATA,
    "КМ-5 answer to command 0 has 3 bytes, expected 32" },
};

START_TEST (test_bad_input)
{
  const BadCase *c = &bad_cases[_i];
  g_autoptr (GBytes) wire = NULL;
  g_autoptr (GBytes) frame = NULL;
  g_autoptr (GError) error = NULL;
  guint8 a[4];

  km5_address_parse ("1", a, NULL);
  if (c->hex != NULL)
    wire = km5_test_hex (c->hex);
  else
    {
      g_autoptr (GBytes) line = line_frame ();
      gsize n = 0;
      guint8 *f = g_bytes_unref_to_data (g_steal_pointer (&line), &n);
      switch (c->mutate)
        {
        case 1:
          f[71] ^= 0x01;
          break;
        case 2:
          n = 40;
          break;
        case 3:
          f[0] = 0x02;
          km5_test_checksum (f, 72);
          break;
        case 4:
          f = g_realloc (f, 73);
          f[72] = 0;
          n = 73;
          break;
        case 5:
          memset (f, 0, 72);
          break;
        default:
          break;
        }
      wire = g_bytes_new_take (f, n);
    }
  ck_assert_msg (!km5_answer_parse (wire, a, c->command, FALSE, &frame, &error), "%s", c->name);
  ck_assert_msg (g_error_matches (error, LERS_ERROR, c->code), "%s: %s", c->name, error->message);
  ck_assert_str_eq (error->message, c->message);
}
END_TEST

START_TEST (test_bad_payloads)
{
  g_autoptr (GError) error = NULL;
  guint8 f[32] = { 0x01, 0, 0, 0, 52, 0x01 };
  guint8 g[32] = { 0x01, 0, 0, 0, 44, 0x00, 0x32, 0x13, 0x26 };
  g_autoptr (GBytes) found = NULL;
  g_autoptr (GBytes) clock = NULL;
  Km5Found fd;
  Km5Stamp st;

  /* command 52 with indication 1: no such line */
  km5_test_checksum (f, 32);
  found = g_bytes_new (f, 32);
  ck_assert (!km5_decode_found (found, &fd, &error));
  ck_assert (g_error_matches (error, LERS_ERROR, LERS_ERROR_NOT_FOUND));
  g_clear_error (&error);
  /* day 32, month 13: not a date */
  km5_test_checksum (g, 32);
  clock = g_bytes_new (g, 32);
  ck_assert (!km5_decode_clock (clock, &st, &error));
  ck_assert (g_error_matches (error, LERS_ERROR, LERS_ERROR_INVALID_DATA));
}
END_TEST

/* review finding 5: "31.12.05 24:00:00" is 01.01.2006 00:00:00 (km-5-pult
 * FormatUtils.toJDate: an hour past 23 is the next day's 00:00); 24:30 is
 * not a time */
START_TEST (test_hour_24)
{
  static const guint8 h24[8] = { 0x00, 0x31, 0x12, 0x05, 0x01, 0x24, 0x00, 0x00 };
  static const guint8 h2430[8] = { 0x00, 0x31, 0x12, 0x05, 0x01, 0x24, 0x30, 0x00 };
  g_autoptr (GError) error = NULL;
  Km5Stamp st;

  ck_assert (km5_stamp_decode (h24, &st, &error));
  ck_assert_uint_eq (st.day, 1);
  ck_assert_uint_eq (st.month, 1);
  ck_assert_uint_eq (st.year, 2006);
  ck_assert_uint_eq (st.hour, 0);
  ck_assert_uint_eq (st.minute, 0);
  ck_assert (!km5_stamp_decode (h2430, &st, &error));
  ck_assert (g_error_matches (error, LERS_ERROR, LERS_ERROR_INVALID_DATA));
  ck_assert_str_eq (error->message, "КМ-5 date or time is not valid: 31.12.05 24:30:00");
}
END_TEST

/* ---- the simulator answers those requests ---------------------------------- */

START_TEST (test_simulator_answers)
{
  g_autoptr (LersKm5Simulator) sim = NULL;
  g_autoptr (GBytes) req0 = km5_test_hex ("01 00 00 00 00 00 00 00 00 00 00 00 00 00 01 01");
  g_autoptr (GBytes) req44 = km5_test_hex ("01 00 00 00 2c 00 00 00 00 00 00 00 00 00 2d 2d");
  g_autoptr (GBytes) bad = km5_test_hex ("01 00 00 00 00 00 00 00 00 00 00 00 00 00 01 02");
  g_autoptr (GBytes) other = km5_test_hex ("02 00 00 00 00 00 00 00 00 00 00 00 00 00 02 02");
  g_autoptr (GBytes) rev0 = km5_test_hex ("01 01 00 00 00 00 00 00 00 00 00 00 00 00 00 01");
  g_autoptr (GBytes) a0 = NULL, a44 = NULL, a_bad = NULL, a_other = NULL, a_rev = NULL;

  km5_test_register_types ();
  /* 2026-11-15 12:40:45 UTC */
  sim = g_object_new (LERS_TYPE_KM5_SIMULATOR, "serial-number", "00000001", "seed", 7, "clock-time",
                      G_GINT64_CONSTANT (1794746445), NULL);
  /* command 0: version byte 0x52 (README); XOR 01^52 = 53, sum 01+52 = 53 */
  a0 = lers_km5_simulator_answer (sim, g_bytes_get_data (req0, NULL), 16);
  assert_bytes (a0, "01 00 00 00 00 52 00 00 00 00 00 00 00 00 00 00 "
                    "00 00 00 00 00 00 00 00 00 00 00 00 00 00 53 53");
  /* command 44/0: flag 0, 15 11 26, type 3, 12 40 45;
   * XOR 01^2C=2D ^15=38 ^11=29 ^26=0F ^03=0C ^12=1E ^40=5E ^45=1B → 1B;
   * sum 01+2C=2D +15=42 +11=53 +26=79 +03=7C +12=8E +40=CE +45=113 → 13 */
  a44 = lers_km5_simulator_answer (sim, g_bytes_get_data (req44, NULL), 16);
  assert_bytes (a44, "01 00 00 00 2c 00 15 11 26 03 12 40 45 00 00 00 "
                     "00 00 00 00 00 00 00 00 00 00 00 00 00 00 1b 13");
  /* a bad checksum or another address: silence */
  a_bad = lers_km5_simulator_answer (sim, g_bytes_get_data (bad, NULL), 16);
  ck_assert (a_bad == NULL);
  a_other = lers_km5_simulator_answer (sim, g_bytes_get_data (other, NULL), 16);
  ck_assert (a_other == NULL);
  /* asked backward, answers backward */
  a_rev = lers_km5_simulator_answer (sim, g_bytes_get_data (rev0, NULL), 16);
  assert_bytes (a_rev, "53 53 00 00 00 00 00 00 00 00 00 00 00 00 00 00 "
                       "00 00 00 00 00 00 00 00 00 00 52 00 00 00 00 01");
}
END_TEST

int
main (int argc, char **argv)
{
  Suite *s = suite_create ("km5-frame");
  TCase *tc = tcase_create ("frame");

  lers_check_init (&argc, &argv);
  tcase_add_test (tc, test_address);
  tcase_add_test (tc, test_requests);
  tcase_add_test (tc, test_floats);
  tcase_add_test (tc, test_line);
  tcase_add_test (tc, test_status_names);
  tcase_add_loop_test (tc, test_bad_input, 0, G_N_ELEMENTS (bad_cases));
  tcase_add_test (tc, test_bad_payloads);
  tcase_add_test (tc, test_hour_24);
  tcase_add_test (tc, test_simulator_answers);
  suite_add_tcase (s, tc);
  return lers_check_run_suite (s);
}
