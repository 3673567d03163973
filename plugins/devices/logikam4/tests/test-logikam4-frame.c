/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Frames, checksums, tagged elements and FastLZ against bytes nobody here
 * wrote:
 *   [P]  ../shared/PROTOCOLS.md §2.5 test vectors
 *   [G]  "Магистральный протокол М4, руководство программиста" РАЖГ.00293-33
 *        (vodopad Drv944/protM4_33_w0203.pdf, the vendor texts *_protM4_*.txt):
 *        §2.3 (BER length 421), §2.4.1 (IntU 421), §2.4.5 (FLAGS),
 *        appendix 1 (the CRC example), §3.2 table 3 (error codes)
 *   [L]  Logika prolog.exe reading an СПТ943 rev. 3, recorded by a serial
 *        monitor (vodopad Drv944/DEVELOPER.LOG; tests/replay-spt943-3.txt)
 *   [H]  worked out by hand, arithmetic in the comment
 * and the bad-input table: exact GError domain, code and message.
 */
#include <math.h>
#include <string.h>

#include "lers-check.h"
#include "lers-logikam4-simulator.h"
#include <json-glib/json-glib.h>

#include "logikam4-frame.h"
#include "logikam4-json.h"
#include "logikam4-test-util.h"
#include "logikam4-tlv.h"

static void
assert_bytes (GBytes *got, const gchar *hex)
{
  g_autoptr (GBytes) want = m4_test_hex (hex);
  g_autofree gchar *text = got != NULL ? m4_test_to_hex (got) : g_strdup ("(none)");

  ck_assert_msg (got != NULL && g_bytes_equal (got, want), "got %s, want %s", text, hex);
}

static M4Frame *
parse_hex (const gchar *hex, GError **error)
{
  g_autoptr (GBytes) b = m4_test_hex (hex);

  return m4_frame_parse (g_bytes_get_data (b, NULL), g_bytes_get_size (b), error);
}

START_TEST (test_vectors_protocols_md)
{
  /* [P][G] full session request: CRC-16/XMODEM of FF 90 00 00 05 00 3F 00
   * 00 00 00 (all after 10) = D9 19, high byte first */
  const guint8 body[] = { 0x3F, 0, 0, 0, 0 };
  const guint8 crc_in[] = { 0xFF, 0x90, 0x00, 0x00, 0x05, 0x00, 0x3F, 0x00, 0x00, 0x00, 0x00 };
  g_autoptr (GBytes) full = m4_frame_build_full (0xFF, 0x00, body, sizeof body);
  g_autoptr (GBytes) shrt = m4_frame_build_short (0xFF, body, sizeof body);
  g_autoptr (GError) error = NULL;
  g_autoptr (M4Frame) f = NULL;

  ck_assert_uint_eq (m4_crc16 (crc_in, sizeof crc_in), 0xD919);
  assert_bytes (full, "10 FF 90 00 00 05 00 3F 00 00 00 00 D9 19");
  /* [P][G] short: KS = ~(FF + 3F + 0 + 0 + 0 + 0) = ~0x3E (low byte of
   * 0x13E) = C1 */
  assert_bytes (shrt, "10 FF 3F 00 00 00 00 C1 16");
  f = parse_hex ("10 FF 90 00 00 05 00 3F 00 00 00 00 D9 19", &error);
  lers_check_assert_no_error (error);
  ck_assert (f->full);
  ck_assert_uint_eq (f->nt, 0xFF);
  ck_assert_uint_eq (g_bytes_get_size (f->body), 5);
  g_clear_pointer (&f, m4_frame_free);
  f = parse_hex ("10 FF 3F 00 00 00 00 C1 16", &error);
  lers_check_assert_no_error (error);
  ck_assert (!f->full);
  ck_assert_uint_eq (((const guint8 *) g_bytes_get_data (f->body, NULL))[0], 0x3F);
}
END_TEST

START_TEST (test_recorded_frames_check)
{
  /* [L] every full frame of the recording has a good CRC */
  g_autofree gchar *text = NULL;
  g_auto (GStrv) lines = NULL;
  guint n = 0;

  ck_assert (g_file_get_contents (LOGIKAM4_TEST_DIR "/replay-spt943-3.txt", &text, NULL, NULL));
  lines = g_strsplit (text, "\n", -1);
  for (guint i = 0; lines[i] != NULL; i++)
    {
      g_autoptr (GError) error = NULL;
      g_autoptr (M4Frame) f = NULL;

      if (!g_str_has_prefix (lines[i], "> 10 FF 90") && !g_str_has_prefix (lines[i], "< 10 FF 90"))
        continue;
      f = parse_hex (lines[i] + 2, &error);
      ck_assert_msg (f != NULL, "%s: %s", lines[i], error->message);
      n++;
    }
  ck_assert_uint_eq (n, 64);
}
END_TEST

START_TEST (test_recorded_values)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (M4Frame) f = NULL;
  g_autoptr (GArray) items = NULL;
  g_autoptr (M4ArchiveReply) reply = NULL;
  const guint8 *body;
  gsize n;
  M4Date d;
  gdouble v;

  /* [L] the session answer: 3F, device code 54 2B (the СПТ943, 943_d7
   * §4.1), version 0A */
  f = parse_hex ("10 FF 90 00 00 04 00 3F 54 2B 0A 86 B6", &error);
  lers_check_assert_no_error (error);
  body = g_bytes_get_data (f->body, &n);
  ck_assert_uint_eq (n, 4);
  ck_assert_uint_eq (body[1] << 8 | body[2], 0x542B);
  ck_assert_uint_eq (body[3], 0x0A);
  g_clear_pointer (&f, m4_frame_free);

  /* [L] the clock: DATE 1D 09 0F 01 = 29.09.(20)15, TIME 00 0E 07 10 =
   * 16:07:14 (0/256 s) */
  f = parse_hex ("10 FF 90 03 00 0D 00 72 48 04 1D 09 0F 01 47 04 00 0E 07 10 E7 F1", &error);
  lers_check_assert_no_error (error);
  body = g_bytes_get_data (f->body, &n);
  items = m4_tlv_parse_all (body + 1, n - 1, &error);
  lers_check_assert_no_error (error);
  ck_assert_uint_eq (items->len, 2);
  ck_assert (m4_archdate_parse (&g_array_index (items, M4Tlv, 0), &d, &error));
  ck_assert_int_eq (d.year, 2015);
  ck_assert_int_eq (d.month, 9);
  ck_assert_int_eq (d.day, 29);
  ck_assert (m4_archdate_parse (&g_array_index (items, M4Tlv, 1), &d, &error));
  ck_assert_int_eq (d.hour, 16);
  ck_assert_int_eq (d.minute, 7);
  ck_assert_int_eq (d.second, 14);
  g_clear_pointer (&items, g_array_unref);
  g_clear_pointer (&f, m4_frame_free);

  /* [L] 72 answer: ASCII "55150" (ИД), "0" (NT), IntU 6E D7 00 00 =
   * 0xD76E = 55150 (the factory number, 8256), 16 bytes, "01", "00" */
  f = parse_hex ("10 FF 90 02 00 2B 00 72 16 05 35 35 31 35 30 16 01 30 41 04 6E D7 00 00 04 10 "
                 "BE AD A1 1A 74 59 D0 43 B9 42 75 75 AD 35 A8 8A 16 02 30 31 16 02 30 30 96 1C",
                 &error);
  lers_check_assert_no_error (error);
  body = g_bytes_get_data (f->body, &n);
  items = m4_tlv_parse_all (body + 1, n - 1, &error);
  lers_check_assert_no_error (error);
  ck_assert_uint_eq (items->len, 6);
  {
    g_autofree gchar *id = m4_tlv_get_text (&g_array_index (items, M4Tlv, 0));
    ck_assert_str_eq (id, "55150");
  }
  ck_assert (m4_tlv_get_number (&g_array_index (items, M4Tlv, 2), &v, &error));
  ck_assert_double_eq (v, 55150.0);
  g_clear_pointer (&items, g_array_unref);
  g_clear_pointer (&f, m4_frame_free);

  /* [L] hourly archive, Ch 1: one record stamped 2015-09-29 16 (ARCHDATE
   * 0F 09 1D 10), a SEQUENCE of 0x62 = 98 bytes (BER 81 62): IntU 99 (СП),
   * 16 NULL (P1 … Qг), 8 floats 0 (Ти … Тш), 2 FLAGS of 4 bytes (НС, ДС) =
   * the 27 items of 943_d7 table 11; then an empty Date(+1): no more */
  f = parse_hex ("10 FF 90 05 00 70 00 61 49 04 0F 09 1D 10 30 81 62 41 04 63 00 00 00 05 00 05 "
                 "00 05 00 05 00 05 00 05 00 05 00 05 00 05 00 05 00 05 00 05 00 05 00 05 00 05 "
                 "00 05 00 43 04 00 00 00 00 43 04 00 00 00 00 43 04 00 00 00 00 43 04 00 00 00 "
                 "00 43 04 00 00 00 00 43 04 00 00 00 00 43 04 00 00 00 00 43 04 00 00 00 00 4B "
                 "04 00 00 00 00 4B 04 00 00 00 00 49 00 30 00 4E 28",
                 &error);
  lers_check_assert_no_error (error);
  body = g_bytes_get_data (f->body, &n);
  reply = m4_archive_reply_parse (body + 1, n - 1, &error);
  lers_check_assert_no_error (error);
  ck_assert_uint_eq (reply->records->len, 1);
  ck_assert (!reply->has_next);
  {
    const M4ArchiveRecord *r = g_ptr_array_index (reply->records, 0);

    ck_assert_int_eq (r->date.year, 2015);
    ck_assert_int_eq (r->date.month, 9);
    ck_assert_int_eq (r->date.day, 29);
    ck_assert_int_eq (r->date.hour, 16);
    ck_assert_uint_eq (r->date.n_fields, 4);
    ck_assert_uint_eq (r->items->len, 27);
    ck_assert (m4_tlv_get_number (&g_array_index (r->items, M4Tlv, 0), &v, NULL));
    ck_assert_double_eq (v, 99.0);
    ck_assert_uint_eq (g_array_index (r->items, M4Tlv, 1).tag, M4_TAG_NULL);
    ck_assert_uint_eq (g_array_index (r->items, M4Tlv, 17).tag, M4_TAG_FLOAT);
    ck_assert_uint_eq (g_array_index (r->items, M4Tlv, 25).tag, M4_TAG_FLAGS);
  }
  g_clear_pointer (&reply, m4_archive_reply_free);
  g_clear_pointer (&f, m4_frame_free);

  /* [L] settings-change archive (Rectype 4): ASCII in Windows-1251,
   * C2 FB EF EE EB ED E5 ED 20 CF D3 D1 CA = "Выполнен ПУСК" */
  f = parse_hex ("10 FF 90 0B 00 1E 00 61 49 08 0F 09 1D 0F 0F 01 00 00 16 0D C2 FB EF EE EB ED "
                 "E5 ED 20 CF D3 D1 CA 49 00 30 00 EA 62",
                 &error);
  lers_check_assert_no_error (error);
  body = g_bytes_get_data (f->body, &n);
  items = m4_tlv_parse_all (body + 1, n - 1, &error);
  lers_check_assert_no_error (error);
  {
    g_autofree gchar *text = m4_tlv_get_text (&g_array_index (items, M4Tlv, 1));
    ck_assert_str_eq (text, "Выполнен ПУСК");
  }
  /* … and as an archive answer: one record at 2015-09-29 15:15:01 whose
   * one element is that text (no SEQUENCE in an asynchronous archive) */
  reply = m4_archive_reply_parse (body + 1, n - 1, &error);
  lers_check_assert_no_error (error);
  ck_assert_uint_eq (reply->records->len, 1);
  {
    const M4ArchiveRecord *r = g_ptr_array_index (reply->records, 0);

    ck_assert_int_eq (r->date.hour, 15);
    ck_assert_int_eq (r->date.minute, 15);
    ck_assert_int_eq (r->date.second, 1);
    ck_assert_uint_eq (r->items->len, 1);
    ck_assert_uint_eq (g_array_index (r->items, M4Tlv, 0).tag, M4_TAG_ASCII);
  }
}
END_TEST

START_TEST (test_document_examples)
{
  /* [G] §2.3: a length of 421 = 0x1A5 is 10000010b 00000001b 10100101b */
  g_autoptr (GByteArray) big = g_byte_array_new ();
  g_autoptr (GError) error = NULL;
  guint8 head[4] = { 0x04, 0x82, 0x01, 0xA5 };
  guint8 zero[421] = { 0 };
  /* [G] §2.4.1: IntU 421 = 41 02 A5 01; §2.4.5: FLAGS 4B 02 61 80 = flags
   * 0, 5, 6, 15 (01100001b 10000000b, low byte first) */
  const guint8 intu[] = { 0x41, 0x02, 0xA5, 0x01 };
  const guint8 flags[] = { 0x4B, 0x02, 0x61, 0x80 };
  LersByteReader reader;
  M4Tlv t;
  gdouble v;
  GByteArray *enc = g_byte_array_new ();

  g_byte_array_append (big, head, 4);
  g_byte_array_append (big, zero, sizeof zero);
  lers_byte_reader_init (&reader, big->data, big->len);
  ck_assert (m4_tlv_read (&reader, &t, &error));
  ck_assert_uint_eq (t.len, 421);
  m4_tlv_append (enc, M4_TAG_OCTET_STRING, zero, sizeof zero);
  ck_assert_uint_eq (enc->len, big->len);
  ck_assert (memcmp (enc->data, big->data, 4) == 0);
  g_byte_array_unref (enc);

  lers_byte_reader_init (&reader, intu, sizeof intu);
  ck_assert (m4_tlv_read (&reader, &t, &error));
  ck_assert (m4_tlv_get_number (&t, &v, &error));
  ck_assert_double_eq (v, 421.0);

  lers_byte_reader_init (&reader, flags, sizeof flags);
  ck_assert (m4_tlv_read (&reader, &t, &error));
  for (guint bit = 0; bit < 16; bit++)
    ck_assert_int_eq (m4_tlv_flag_is_set (&t, bit), bit == 0 || bit == 5 || bit == 6 || bit == 15);
}
END_TEST

START_TEST (test_fastlz)
{
  /* [H] FastLZ level 1 ("Block format" of ariya/FastLZ):
   *   02 61 62 63  literal run of 2 + 1 = 3: "abc"
   *   80 02        match: length (0x80 >> 5) + 2 = 6, offset 2 + 1 = 3 back
   *   00 58        literal run of 1: "X"           → "abcabcabcX"
   *   00 61 E0 03 00: "a", then a match of 7 + 2 + 3 = 12 from 1 back → 13 × a */
  const guint8 a[] = { 0x02, 0x61, 0x62, 0x63, 0x80, 0x02, 0x00, 0x58 };
  const guint8 b[] = { 0x00, 0x61, 0xE0, 0x03, 0x00 };
  g_autoptr (GError) error = NULL;
  g_autoptr (GBytes) out = m4_flz_decompress (a, sizeof a, &error);
  g_autoptr (GBytes) out2 = NULL;
  g_autoptr (GBytes) packed = NULL;
  g_autoptr (GBytes) round = NULL;
  const gchar *text = "ARCHDATE ARCHDATE ARCHDATE 43 04 00 00 00 00 43 04 00 00 00 00 the end";

  lers_check_assert_no_error (error);
  ck_assert_uint_eq (g_bytes_get_size (out), 10);
  ck_assert (memcmp (g_bytes_get_data (out, NULL), "abcabcabcX", 10) == 0);
  out2 = m4_flz_decompress (b, sizeof b, &error);
  lers_check_assert_no_error (error);
  ck_assert_uint_eq (g_bytes_get_size (out2), 13);
  ck_assert (memcmp (g_bytes_get_data (out2, NULL), "aaaaaaaaaaaaa", 13) == 0);
  packed = m4_flz_compress ((const guint8 *) text, strlen (text));
  ck_assert_uint_lt (g_bytes_get_size (packed), strlen (text));
  round = m4_flz_decompress (g_bytes_get_data (packed, NULL), g_bytes_get_size (packed), &error);
  lers_check_assert_no_error (error);
  ck_assert_uint_eq (g_bytes_get_size (round), strlen (text));
  ck_assert (memcmp (g_bytes_get_data (round, NULL), text, strlen (text)) == 0);
}
END_TEST

START_TEST (test_simulator_answers_recorded_requests)
{
  /* [L] given prolog.exe's requests, a simulated СПТ943.3 whose clock reads
   * 2015-09-29 16:07:14 (Unix 1443542834) answers the recorded bytes */
  g_autoptr (LersLogikam4Simulator) sim = NULL;
  g_autoptr (GBytes) req = NULL;
  g_autoptr (GBytes) ans = NULL;

  m4_test_register_types ();
  sim = g_object_new (LERS_TYPE_LOGIKAM4_SIMULATOR, "model", "СПТ943.3", "clock-time",
                      (gint64) 1443542834, NULL);
  req = m4_test_hex ("10 FF 90 00 00 05 00 3F 00 00 00 00 D9 19");
  ans = lers_logikam4_simulator_handle (sim, g_bytes_get_data (req, NULL), g_bytes_get_size (req));
  assert_bytes (ans, "10 FF 90 00 00 04 00 3F 54 2B 0A 86 B6");
  g_clear_pointer (&req, g_bytes_unref);
  g_clear_pointer (&ans, g_bytes_unref);
  req = m4_test_hex ("10 FF 90 03 00 0B 00 72 4A 03 00 01 04 4A 03 00 00 04 B1 F0");
  ans = lers_logikam4_simulator_handle (sim, g_bytes_get_data (req, NULL), g_bytes_get_size (req));
  assert_bytes (ans, "10 FF 90 03 00 0D 00 72 48 04 1D 09 0F 01 47 04 00 0E 07 10 E7 F1");
  g_clear_pointer (&req, g_bytes_unref);
  g_clear_pointer (&ans, g_bytes_unref);
  /* [L] the short session request and its recorded answer: 3F 54 2B 0A,
   * KS = ~(FF + 3F + 54 + 2B + 0A = 0x1C7) = 0x38 */
  req = m4_test_hex ("10 FF 3F 00 00 00 00 C1 16");
  ans = lers_logikam4_simulator_handle (sim, g_bytes_get_data (req, NULL), g_bytes_get_size (req));
  assert_bytes (ans, "10 FF 3F 54 2B 0A 38 16");
  g_clear_pointer (&req, g_bytes_unref);
  g_clear_pointer (&ans, g_bytes_unref);
  /* §3.2: a frame with a bad CRC gets no answer */
  req = m4_test_hex ("10 FF 90 00 00 05 00 3F 00 00 00 00 D9 18");
  ans = lers_logikam4_simulator_handle (sim, g_bytes_get_data (req, NULL), g_bytes_get_size (req));
  ck_assert_ptr_null (ans);
  /* [G] table 3: an unknown function is error 0 (bad request structure):
   * 10 FF 90 07 00 01 00 55 + CRC */
  {
    const guint8 body[] = { 0x55 };
    g_autoptr (GBytes) r = m4_frame_build_full (0xFF, 7, body, 1);
    const guint8 err[] = { 0x21, 0x00 };
    g_autoptr (GBytes) want = m4_frame_build_full (0xFF, 7, err, 2);

    ans = lers_logikam4_simulator_handle (sim, g_bytes_get_data (r, NULL), g_bytes_get_size (r));
    ck_assert (g_bytes_equal (ans, want));
  }
}
END_TEST

/* ---- bad input ---------------------------------------------------------- */

typedef struct
{
  const gchar *hex;
  gint code;
  const gchar *message;
} BadFrame;

static const BadFrame bad_frames[] = {
  { "10 FF 90 00 00 05 00 3F 00 00 00 00 D9 18", LERS_ERROR_CHECKSUM,
    "M4 frame CRC is 0xd918, computed 0xd919" },
  { "10 FF 90 00 00 05 00 3F 00 00", LERS_ERROR_INVALID_DATA,
    "M4 frame of 10 bytes announces 5 bytes of body" },
  { "10 FF", LERS_ERROR_INVALID_DATA, "short M4 frame: 2 bytes" },
  { "10 FF 90 00 00 D1 02 3F 00 00 00", LERS_ERROR_INVALID_DATA,
    "M4 frame too long: 721 bytes of body" },
  { "68 FF 90 00 00 05 00 3F", LERS_ERROR_INVALID_DATA, "an M4 frame starts with 0x10, not 0x68" },
  { "10 FF 3F 00 00 00 00 C2 16", LERS_ERROR_CHECKSUM,
    "short M4 frame checksum is 0xc2, computed 0xc1" },
  { "10 FF 3F 00 00 00 00 C1 17", LERS_ERROR_INVALID_DATA,
    "a short M4 frame ends with 0x16, not 0x17" },
};

START_TEST (test_bad_frames)
{
  for (guint i = 0; i < G_N_ELEMENTS (bad_frames); i++)
    {
      g_autoptr (GError) error = NULL;
      g_autoptr (M4Frame) f = parse_hex (bad_frames[i].hex, &error);

      ck_assert_msg (f == NULL, "%s parsed", bad_frames[i].hex);
      lers_check_assert_error (error, LERS_ERROR, bad_frames[i].code);
      ck_assert_str_eq (error->message, bad_frames[i].message);
    }
}
END_TEST

typedef struct
{
  const gchar *body; /* FNC and data */
  guint8 nt;
  gint code;
  const gchar *message;
} BadReply;

static const BadReply bad_replies[] = {
  { "21 00", 0xFF, LERS_ERROR_INVALID_ARGUMENT,
    "the meter refused the request: bad request structure (error 0)" },
  { "21 01", 0xFF, LERS_ERROR_PERMISSION_DENIED,
    "the meter refused the request: write-protected (error 1)" },
  { "21 02", 0xFF, LERS_ERROR_NOT_SUPPORTED,
    "the meter refused the request: invalid parameter values (error 2)" },
  { "21 07", 0xFF, LERS_ERROR_FAILED, "the meter refused the request: error 7" },
  { "72 16 01 30", 0x05, LERS_ERROR_INVALID_DATA, "an answer from address 255, not 5" },
  { "61 49 00 30 00", 0xFF, LERS_ERROR_INVALID_DATA,
    "expected an answer with function 0x72, got 0x61" },
};

START_TEST (test_bad_replies)
{
  for (guint i = 0; i < G_N_ELEMENTS (bad_replies); i++)
    {
      g_autoptr (GBytes) body = m4_test_hex (bad_replies[i].body);
      g_autoptr (GBytes) frame
          = m4_frame_build_full (0xFF, 1, g_bytes_get_data (body, NULL), g_bytes_get_size (body));
      g_autoptr (GError) error = NULL;
      g_autoptr (M4Frame) f
          = m4_frame_parse (g_bytes_get_data (frame, NULL), g_bytes_get_size (frame), &error);

      lers_check_assert_no_error (error);
      ck_assert (!m4_frame_check_reply (f, bad_replies[i].nt, 0x72, &error));
      lers_check_assert_error (error, LERS_ERROR, bad_replies[i].code);
      ck_assert_str_eq (error->message, bad_replies[i].message);
    }
}
END_TEST

typedef struct
{
  const gchar *hex;
  gint code;
  const gchar *message;
} BadData;

static const BadData bad_archives[] = {
  { "49 04 0F 09 1D 10 30 02 05 00", LERS_ERROR_INVALID_DATA,
    "archive answer without the closing date" },
  { "49 04 0F 09 1D 10 30 05 05 00", LERS_ERROR_INVALID_DATA,
    "M4 element 0x30 of 5 bytes, only 2 left" },
  { "49 04 0F 0D 1D 10 30 02 05 00 49 00 30 00", LERS_ERROR_INVALID_DATA,
    "invalid M4 date 2015-13-29 16:00:00" },
  { "41 01 00 49 00 30 00", LERS_ERROR_INVALID_DATA,
    "archive answer: expected ARCHDATE and SEQUENCE, got 0x41 and 0x49" },
  { "49 00 30 00 FF", LERS_ERROR_INVALID_DATA, "1 bytes after the end of an archive answer" },
  { "49 85 00 00 00 00 00", LERS_ERROR_INVALID_DATA,
    "M4 element 0x49: a length of 5 length bytes" },
  /* compressed: level 2, a match before the start, a cut literal run */
  { "04 02 20 00", LERS_ERROR_NOT_SUPPORTED,
    "compressed archive answer: FastLZ level 2 is not supported" },
  { "04 04 00 61 20 05", LERS_ERROR_INVALID_DATA,
    "compressed archive answer: FastLZ match before the start of the output" },
  { "04 02 05 61", LERS_ERROR_INVALID_DATA, "compressed archive answer: truncated FastLZ data" },
};

START_TEST (test_bad_archives)
{
  for (guint i = 0; i < G_N_ELEMENTS (bad_archives); i++)
    {
      g_autoptr (GBytes) b = m4_test_hex (bad_archives[i].hex);
      g_autoptr (GError) error = NULL;
      g_autoptr (M4ArchiveReply) r
          = m4_archive_reply_parse (g_bytes_get_data (b, NULL), g_bytes_get_size (b), &error);

      ck_assert_msg (r == NULL, "%s parsed", bad_archives[i].hex);
      lers_check_assert_error (error, LERS_ERROR, bad_archives[i].code);
      ck_assert_str_eq (error->message, bad_archives[i].message);
    }
}
END_TEST

START_TEST (test_scan)
{
  /* noise before a frame is dropped; a frame is complete at its length */
  const guint8 noise[] = { 0xFF, 0xFF, 0x10, 0xFF };
  g_autoptr (GBytes) full = m4_test_hex ("10 FF 90 00 00 05 00 3F 00 00 00 00 D9 19");
  g_autoptr (GBytes) shrt = m4_test_hex ("10 FF 3F 54 2B 0A 38 16");

  ck_assert_int_eq (lers_logikam4_scan_frame (noise, sizeof noise, NULL), -2);
  ck_assert_int_eq (lers_logikam4_scan_frame (g_bytes_get_data (full, NULL), 13, NULL), 0);
  ck_assert_int_eq (lers_logikam4_scan_frame (g_bytes_get_data (full, NULL), 14, NULL), 14);
  ck_assert_int_eq (lers_logikam4_scan_frame (g_bytes_get_data (shrt, NULL), 8, NULL), 8);
}
END_TEST

START_TEST (test_json)
{
  /* [L] `lers decode logikam4` of the recorded clock answer and of the
   * recorded hourly answer (27 items stamped 2015-09-29 16:00) */
  g_autoptr (GBytes) clock
      = m4_test_hex ("10 FF 90 03 00 0D 00 72 48 04 1D 09 0F 01 47 04 00 0E 07 10 E7 F1");
  g_autoptr (GBytes) arch = m4_test_hex (
      "10 FF 90 05 00 70 00 61 49 04 0F 09 1D 10 30 81 62 41 04 63 00 00 00 05 00 05 "
      "00 05 00 05 00 05 00 05 00 05 00 05 00 05 00 05 00 05 00 05 00 05 00 05 00 05 "
      "00 05 00 43 04 00 00 00 00 43 04 00 00 00 00 43 04 00 00 00 00 43 04 00 00 00 "
      "00 43 04 00 00 00 00 43 04 00 00 00 00 43 04 00 00 00 00 43 04 00 00 00 00 4B "
      "04 00 00 00 00 4B 04 00 00 00 00 49 00 30 00 4E 28");
  g_autoptr (GError) error = NULL;
  g_autofree gchar *a
      = m4_json_decode (g_bytes_get_data (clock, NULL), g_bytes_get_size (clock), &error);
  g_autofree gchar *b = NULL;
  g_autoptr (JsonParser) parser = json_parser_new ();
  JsonObject *root, *rec;

  lers_check_assert_no_error (error);
  ck_assert (json_parser_load_from_data (parser, a, -1, NULL));
  root = json_node_get_object (json_parser_get_root (parser));
  ck_assert_int_eq (json_object_get_int_member (root, "function"), 0x72);
  ck_assert_str_eq (
      json_object_get_string_member (
          json_array_get_object_element (json_object_get_array_member (root, "elements"), 1),
          "value"),
      "16:07:14.000");
  b = m4_json_decode (g_bytes_get_data (arch, NULL), g_bytes_get_size (arch), &error);
  lers_check_assert_no_error (error);
  ck_assert (json_parser_load_from_data (parser, b, -1, NULL));
  root = json_node_get_object (json_parser_get_root (parser));
  rec = json_array_get_object_element (json_object_get_array_member (root, "records"), 0);
  ck_assert_str_eq (json_object_get_string_member (rec, "date"), "2015-09-29T16:00:00.000");
  ck_assert_uint_eq (json_array_get_length (json_object_get_array_member (rec, "items")), 27);
  ck_assert (json_object_get_null_member (root, "next"));
}
END_TEST

static Suite *
frame_suite (void)
{
  Suite *s = suite_create ("logikam4-frame");
  TCase *tc = tcase_create ("frame");

  tcase_add_test (tc, test_vectors_protocols_md);
  tcase_add_test (tc, test_recorded_frames_check);
  tcase_add_test (tc, test_recorded_values);
  tcase_add_test (tc, test_document_examples);
  tcase_add_test (tc, test_fastlz);
  tcase_add_test (tc, test_simulator_answers_recorded_requests);
  tcase_add_test (tc, test_bad_frames);
  tcase_add_test (tc, test_bad_replies);
  tcase_add_test (tc, test_bad_archives);
  tcase_add_test (tc, test_scan);
  tcase_add_test (tc, test_json);
  suite_add_tcase (s, tc);
  return s;
}

int
main (int argc, char **argv)
{
  lers_check_init (&argc, &argv);
  return lers_check_run_suite (frame_suite ());
}
