/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Framing, CRC and value codecs against values worked out outside this
 * code, and the table of bad input.
 *
 * Sources of the expected bytes:
 *  - CRC-16/MODBUS check value 0x4B37 over "123456789" (the CRC RevEng
 *    catalogue entry "CRC-16/MODBUS").
 *  - 01 03 00 00 00 0A → CRC C5 CD: the Modbus RTU example frame quoted
 *    in many Modbus references (read 10 holding registers from 0).
 *  - The request bytes of the public Python ТВ7 driver (README.md,
 *    "Sources"): its getCurrentValues / getCurrentTime / __getArchives
 *    build these byte lists for net address 0; the CRCs were computed by
 *    a separate six-line Python CRC-16/MODBUS that gives 0x4B37 above.
 *  - Floats and doubles worked out by hand (see each case).
 */
#include <math.h>
#include <string.h>

#include "tv7-test-util.h"

#include "tv7-data.h"
#include "tv7-frame.h"
#include "tv7-json.h"

#define SIM_OBJ(...) g_object_new (LERS_TYPE_TV7_SIMULATOR, __VA_ARGS__)

static void
assert_bytes (GBytes *got, const gchar *hex)
{
  g_autoptr (GBytes) want = tv7_test_hex (hex);
  g_autofree gchar *g = tv7_test_to_hex (got);

  if (!g_bytes_equal (got, want))
    g_error ("got %s, want %s", g, hex);
}

static void
test_crc (void)
{
  static const guint8 req[] = { 0x01, 0x03, 0x00, 0x00, 0x00, 0x0A };

  g_assert_cmphex (tv7_crc16 ((const guint8 *) "123456789", 9), ==, 0x4B37);
  /* low byte first on the wire: C5 CD */
  g_assert_cmphex (tv7_crc16 (req, sizeof req), ==, 0xCDC5);
}

static void
test_requests (void)
{
  g_autoptr (GBytes) cur = tv7_request_read (0, TV7_ADDR_CURRENT, TV7_WORDS_CURRENT, 0);
  g_autoptr (GBytes) clk = tv7_request_read (0, TV7_ADDR_CURRENT, TV7_WORDS_CLOCK, 0);
  /* 2026-11-30 14 h, hour archive (type 0): MM=0x0b DD=0x1e hh=0x0e YY=0x1a */
  g_autoptr (GBytes) arc = tv7_request_archive (0, TV7_ARCHIVE_HOUR, 11, 30, 14, 26, 0);
  g_autoptr (GBytes) rd = tv7_request_read (0, TV7_ADDR_ARCHIVE, TV7_WORDS_ARCHIVE, 1);

  assert_bytes (cur, "00 48 1e 88 00 89 00 00 00 00 00 00 00 00 ea 95");
  assert_bytes (clk, "00 48 1e 88 00 03 00 00 00 00 00 00 00 00 f5 f3");
  assert_bytes (arc, "00 48 00 00 00 00 00 63 00 06 00 0c 00 00 0b 1e 0e 1a 00 00 00 00 00 00 "
                     "00 00 fc f7");
  assert_bytes (rd, "00 48 1b 88 00 8e 00 00 00 00 00 00 00 01 01 69");
}

static void
test_values (void)
{
  /* 70.5 = 1.1015625·2^6: sign 0, exponent 127+6 = 0x85, mantissa
   * .0001101b → 0x428D0000; word-swapped (CDAB) on the wire: 00 00 42 8D */
  static const guint8 f[] = { 0x00, 0x00, 0x42, 0x8D };
  /* 1234.5 = 10011010010.1b = 1.00110100101b·2^10: exponent 1023+10 =
   * 0x409 → 0x40934A0000000000; words 4093 4A00 0000 0000 sent lowest
   * first: 0000 0000 4A00 4093 */
  static const guint8 d[] = { 0x00, 0x00, 0x00, 0x00, 0x4A, 0x00, 0x40, 0x93 };
  guint8 out[8];

  g_assert_cmpfloat (tv7_get_float (f), ==, 70.5);
  g_assert_cmpfloat (tv7_get_double (d), ==, 1234.5);
  tv7_put_float (out, 70.5);
  g_assert_cmpmem (out, 4, f, 4);
  tv7_put_double (out, 1234.5);
  g_assert_cmpmem (out, 8, d, 8);
  g_assert_cmpuint (tv7_get_u16 ((const guint8 *) "\x01\x02"), ==, 0x0102);
}

/* a clock reply: addr 01, 48, BC 0006, ID 0000, MM DD hh YY ss mm =
 * 11 30 14 26 15 45 → 2026-11-30 14:45:15 (the order the Python driver
 * reads: recv[6] month … recv[10] second, recv[11] minute) */
static void
test_clock_reply (void)
{
  g_autoptr (GBytes) reply = NULL;
  g_autoptr (Tv7Frame) frame = NULL;
  g_autoptr (GError) error = NULL;
  static const guint8 data[] = { 11, 30, 14, 26, 15, 45 };
  Tv7Clock c;
  gsize n;
  const guint8 *p;

  reply = tv7_reply_new (1, 0, data, sizeof data);
  p = g_bytes_get_data (reply, &n);
  g_assert_cmpuint (n, ==, 14);
  g_assert_cmpuint (tv7_reply_scan (p, n, NULL), ==, 14);
  g_assert_cmpuint (tv7_reply_scan (p, 5, NULL), ==, 0);
  frame = tv7_reply_parse (p, n, &error);
  g_assert_no_error (error);
  g_assert_true (tv7_clock_decode (g_bytes_get_data (frame->data, NULL),
                                   g_bytes_get_size (frame->data), &c, &error));
  g_assert_cmpuint (c.month, ==, 11);
  g_assert_cmpuint (c.day, ==, 30);
  g_assert_cmpuint (c.hour, ==, 14);
  g_assert_cmpuint (c.year, ==, 26);
  g_assert_cmpuint (c.second, ==, 15);
  g_assert_cmpuint (c.minute, ==, 45);
}

/* the simulator answers the Python driver's clock request with the
 * documented layout */
static void
test_simulator_answers (void)
{
  /* 2026-11-30T14:45:15Z = 1796049915 */
  g_autoptr (LersTv7Simulator) sim
      = SIM_OBJ ("address", 1, "clock-time", (gint64) 1796049915, NULL);
  g_autoptr (GBytes) req = tv7_test_hex ("00 48 1e 88 00 03 00 00 00 00 00 00 00 00 f5 f3");
  g_autoptr (GBytes) bad = tv7_test_hex ("00 48 1e 88 00 03 00 00 00 00 00 00 00 00 f5 f4");
  g_autoptr (GBytes) std = tv7_test_hex ("01 03 00 00 00 0a c5 cd");
  g_autoptr (GBytes) other = tv7_request_read (2, TV7_ADDR_CURRENT, 3, 0);
  g_autoptr (GBytes) reply
      = lers_tv7_simulator_answer (sim, g_bytes_get_data (req, NULL), g_bytes_get_size (req));
  g_autoptr (GBytes) refused
      = lers_tv7_simulator_answer (sim, g_bytes_get_data (std, NULL), g_bytes_get_size (std));
  const guint8 *r;

  g_assert_nonnull (reply);
  r = g_bytes_get_data (reply, NULL);
  g_assert_cmpuint (g_bytes_get_size (reply), ==, 14);
  /* address 0 echoed, 48, 6 bytes, id 0, then 11 30 14 26 15 45 */
  g_assert_cmpmem (r, 12, "\x00\x48\x00\x06\x00\x00\x0b\x1e\x0e\x1a\x0f\x2d", 12);
  g_assert_null (
      lers_tv7_simulator_answer (sim, g_bytes_get_data (bad, NULL), g_bytes_get_size (bad)));
  g_assert_null (
      lers_tv7_simulator_answer (sim, g_bytes_get_data (other, NULL), g_bytes_get_size (other)));
  /* standard function 03: illegal function, 83 01 */
  g_assert_nonnull (refused);
  g_assert_cmpmem (g_bytes_get_data (refused, NULL), 3, "\x01\x83\x01", 3);
}

typedef struct
{
  const gchar *name;
  const gchar *hex;
  gint code;
  const gchar *message;
} BadCase;

/* review #13: the exact messages. CRCs: 01 48 00 06 00 00 0b 1e 0e 1a 0f
 * 2d has CRC 0x7b82 (sent 82 7b; independent Python CRC-16/MODBUS) */
static void
test_bad_input (void)
{
  static const BadCase cases[] = {
    { "wrong CRC", "01 48 00 06 00 00 0b 1e 0e 1a 0f 2d 00 00", LERS_ERROR_CHECKSUM,
      "TV7 frame CRC mismatch: 0x0000 in the frame, 0x7b82 computed" },
    /* the header announces 6 data bytes: 6 + 6 + 2 = 14 bytes, 8 here */
    { "truncated", "01 48 00 06 00 00 0b 1e", LERS_ERROR_INVALID_DATA,
      "TV7 frame too short: 8 bytes" },
    /* function 0xFF has the error bit: an error reply is 5 bytes */
    { "garbage", "ff ff ff", LERS_ERROR_INVALID_DATA, "TV7 frame too short: 3 bytes" },
    { "garbage function", "ff 00 ff", LERS_ERROR_INVALID_DATA, "not a TV7 reply: function 0x00" },
    /* BC = 0xFFFF = 65535: 6 + 65535 + 2 bytes, over the 600-byte limit */
    { "oversize", "01 48 ff ff 00 00", LERS_ERROR_INVALID_DATA,
      "TV7 reply announces 65535 data bytes, more than a frame of 600 bytes holds" },
    { "trailing byte", "01 48 00 06 00 00 0b 1e 0e 1a 0f 2d 82 7b 00", LERS_ERROR_INVALID_DATA,
      "TV7 reply of 15 bytes where its header says 14" },
    { "empty", "", LERS_ERROR_INVALID_DATA, "TV7 frame too short: 0 bytes" },
    { "short error", "01 c8", LERS_ERROR_INVALID_DATA, "TV7 frame too short: 2 bytes" },
    /* 01 C8 02 with one byte of its CRC (f6 01, computed in Python) */
    { "error no crc", "01 c8 02 f6", LERS_ERROR_INVALID_DATA, "TV7 frame too short: 4 bytes" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr (GBytes) b = tv7_test_hex (cases[i].hex);
      g_autoptr (GError) error = NULL;
      g_autoptr (Tv7Frame) f
          = tv7_reply_parse (g_bytes_get_data (b, NULL), g_bytes_get_size (b), &error);
      g_autofree gchar *json = NULL;

      g_test_message ("%s", cases[i].name);
      g_assert_null (f);
      g_assert_error (error, LERS_ERROR, cases[i].code);
      g_assert_cmpstr (error->message, ==, cases[i].message);
      g_clear_error (&error);
      json = tv7_json_decode (g_bytes_get_data (b, NULL), g_bytes_get_size (b), &error);
      g_assert_null (json);
      g_assert_nonnull (error);
    }
}

static void
test_error_reply (void)
{
  g_autoptr (GBytes) e = tv7_reply_error (1, TV7_FN_BLOCK, 0x02);
  g_autoptr (Tv7Frame) f = NULL;
  g_autoptr (GError) error = NULL;

  g_assert_cmpuint (g_bytes_get_size (e), ==, 5);
  g_assert_cmpmem (g_bytes_get_data (e, NULL), 3, "\x01\xc8\x02", 3);
  f = tv7_reply_parse (g_bytes_get_data (e, NULL), 5, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (f->function, ==, TV7_FN_ERROR);
  g_assert_cmpuint (f->error_code, ==, 2);
}

static void
test_short_blocks (void)
{
  static const guint8 z[8] = { 0 };
  Tv7Archive a;
  Tv7Current c;
  Tv7Totals t;
  g_autoptr (GError) e1 = NULL;
  g_autoptr (GError) e2 = NULL;
  g_autoptr (GError) e3 = NULL;

  g_assert_false (tv7_archive_decode (z, sizeof z, &a, &e1));
  g_assert_error (e1, LERS_ERROR, LERS_ERROR_INVALID_DATA);
  g_assert_false (tv7_current_decode (z, sizeof z, &c, &e2));
  g_assert_error (e2, LERS_ERROR, LERS_ERROR_INVALID_DATA);
  g_assert_false (tv7_totals_decode (z, 0, &t, &e3));
  g_assert_error (e3, LERS_ERROR, LERS_ERROR_INVALID_DATA);
}

int
main (int argc, char **argv)
{
  tv7_test_init (&argc, &argv);
  g_test_add_func ("/tv7/frame/crc", test_crc);
  g_test_add_func ("/tv7/frame/requests", test_requests);
  g_test_add_func ("/tv7/frame/values", test_values);
  g_test_add_func ("/tv7/frame/clock-reply", test_clock_reply);
  g_test_add_func ("/tv7/frame/simulator-answers", test_simulator_answers);
  g_test_add_func ("/tv7/frame/bad-input", test_bad_input);
  g_test_add_func ("/tv7/frame/error-reply", test_error_reply);
  g_test_add_func ("/tv7/frame/short-blocks", test_short_blocks);
  return g_test_run ();
}
