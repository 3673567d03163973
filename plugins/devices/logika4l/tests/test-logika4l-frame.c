/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Frames, checksums, the float and the stamps against the vendor's
 * documents and a third party's recording; a table of bad inputs; the
 * simulator answering the documented requests with the documented bytes. */
#include <string.h>

#include "lers-logika4l-driver.h"
#include "lers-logika4l-simulator.h"
#include "logika4l-archive.h"
#include "logika4l-events.h"
#include "logika4l-frame.h"
#include "logika4l-test-util.h"

static void
assert_bytes (GBytes *bytes, const gchar *hex)
{
  g_autoptr (GBytes) want = l4l_test_hex (hex);

  if (!g_bytes_equal (bytes, want))
    {
      g_autoptr (GString) got = g_string_new (NULL);
      gsize n = 0;
      const guint8 *b = g_bytes_get_data (bytes, &n);
      for (gsize i = 0; i < n; i++)
        g_string_append_printf (got, "%02X ", b[i]);
      g_error ("got %s, expected %s", got->str, hex);
    }
}

/* PROTOCOLS.md §2.4 and DEVELOPER.LOG line 52: the addressless session
 * request. KS = ~(FF + 3F) = ~0x13E → low byte ~3E = C1 */
static void
test_session_request (void)
{
  g_autoptr (GBytes) req = l4l_build_request (0xFF, L4L_FNC_SESSION, 0, 0, 0, 0);
  g_autoptr (GBytes) woken = l4l_build_session (0xFF, 0, TRUE);

  assert_bytes (req, "10 FF 3F 00 00 00 00 C1 16");
  g_assert_cmpuint (g_bytes_get_size (woken), ==, 16 + 9);
  g_assert_cmpuint (((const guint8 *) g_bytes_get_data (woken, NULL))[15], ==, 0xFF);
}

/* DEVELOPER.LOG lines 53–58: a real СПТ943 answers 10 FF 3F 54 2B 0A 38 16:
 * device code 54 2B (prot943 §2.2.1: СПТ943), version 0A;
 * KS = ~(FF+3F+54+2B+0A = 0x1C7) = ~C7 = 38 */
static void
test_session_answer (void)
{
  g_autoptr (GBytes) ans = l4l_test_hex ("10 FF 3F 54 2B 0A 38 16");
  g_autoptr (GError) error = NULL;
  L4lFrame f;

  g_assert_true (
      l4l_parse_answer (g_bytes_get_data (ans, NULL), 8, 0xFF, L4L_FNC_SESSION, 3, &f, &error));
  g_assert_no_error (error);
  g_assert_cmpint (l4l_model_from_code (f.data[0], f.data[1]), ==, L4L_MODEL_943);
  g_assert_cmpuint (f.data[2], ==, 0x0A);
  g_assert_cmpstr (l4l_model_name (L4L_MODEL_943), ==, "СПТ943");
  /* prot941 §2.4.1: 54 29 is the СПТ941; prot941_10-11 §2.2.1: 92 29 */
  g_assert_cmpint (l4l_model_from_code (0x54, 0x29), ==, L4L_MODEL_941);
  g_assert_cmpint (l4l_model_from_code (0x92, 0x29), ==, L4L_MODEL_941_10);
}

/* prot943 appendix 5: e = 129, mantissa bits 0100 1000 … → 6.25;
 * stored low byte first: 00 00 48 81. Sign in bit 7 of byte 2. */
static void
test_float (void)
{
  static const guint8 v625[4] = { 0x00, 0x00, 0x48, 0x81 };
  static const guint8 m625[4] = { 0x00, 0x00, 0xC8, 0x81 };
  static const guint8 one[4] = { 0x00, 0x00, 0x00, 0x7F };  /* 1.0 · 2^0 */
  static const guint8 zero[4] = { 0x12, 0x34, 0x56, 0x00 }; /* e = 0 */
  guint8 enc[4];

  g_assert_cmpfloat (l4l_float (v625), ==, 6.25);
  g_assert_cmpfloat (l4l_float (m625), ==, -6.25);
  g_assert_cmpfloat (l4l_float (one), ==, 1.0);
  g_assert_cmpfloat (l4l_float (zero), ==, 0.0);
  l4l_float_encode (6.25, enc);
  g_assert_cmpmem (enc, 4, v625, 4);
  l4l_float_encode (-6.25, enc);
  g_assert_cmpmem (enc, 4, m625, 4);
}

/* prot943 §2.2.4: the hour record made at 20 h on 01.02.2005 is
 * 105-2-1-20 and covers 19→20 h; 00 h covers 23→24 h of the day before.
 * prot941 §3.3: 101-03-30-01 covers 1→2 h of 30.03.2001 (old СПТ941). */
static void
test_stamps (void)
{
  g_autoptr (GDateTime) s1 = g_date_time_new_utc (2005, 2, 1, 19, 0, 0);
  g_autoptr (GDateTime) s2 = g_date_time_new_utc (2005, 1, 31, 23, 0, 0);
  g_autoptr (GDateTime) s3 = g_date_time_new_utc (2001, 3, 30, 1, 0, 0);
  g_autoptr (GDateTime) d = g_date_time_new_utc (1998, 8, 10, 0, 0, 0);
  guint8 st[4];
  static const guint8 e1[4] = { 105, 2, 1, 20 }, e2[4] = { 105, 2, 1, 0 },
                      e3[4] = { 101, 3, 30, 1 }, e4[4] = { 98, 8, 10, 0 }, e5[4] = { 98, 8, 0, 0 },
                      e6[4] = { 98, 8, 11, 0 }, e7[4] = { 98, 9, 0, 0 };

  l4l_stamp_for_period (L4L_MODEL_943, LERS_ARCHIVE_KIND_HOUR, s1, st);
  g_assert_cmpmem (st, 4, e1, 4);
  l4l_stamp_for_period (L4L_MODEL_943, LERS_ARCHIVE_KIND_HOUR, s2, st);
  g_assert_cmpmem (st, 4, e2, 4);
  l4l_stamp_for_period (L4L_MODEL_941, LERS_ARCHIVE_KIND_HOUR, s3, st);
  g_assert_cmpmem (st, 4, e3, 4);
  /* prot941 §3.3: 98-08-10-00 is the day 10.08.1998 */
  l4l_stamp_for_period (L4L_MODEL_941, LERS_ARCHIVE_KIND_DAY, d, st);
  g_assert_cmpmem (st, 4, e4, 4);
  l4l_stamp_for_period (L4L_MODEL_941, LERS_ARCHIVE_KIND_MONTH, d, st);
  g_assert_cmpmem (st, 4, e5, 4);
  /* 943 РЭ §5: records are dated when made, at the end of the interval:
   * the day 10.08.1998 (ЧР = 0) is 98-08-11, August 98-09 */
  l4l_stamp_for_period (L4L_MODEL_943, LERS_ARCHIVE_KIND_DAY, d, st);
  g_assert_cmpmem (st, 4, e6, 4);
  l4l_stamp_for_period (L4L_MODEL_943, LERS_ARCHIVE_KIND_MONTH, d, st);
  g_assert_cmpmem (st, 4, e7, 4);
  /* and the 943 РЭ's own example: 23→24 h of 31.12.2010 is 01-01-11 00 */
  {
    g_autoptr (GDateTime) h = g_date_time_new_utc (2010, 12, 31, 23, 0, 0);
    static const guint8 e8[4] = { 111, 1, 1, 0 };
    l4l_stamp_for_period (L4L_MODEL_943, LERS_ARCHIVE_KIND_HOUR, h, st);
    g_assert_cmpmem (st, 4, e8, 4);
  }
}

/* the hour request of the example above, by hand:
 * FF+48+69+02+01+14 = 255+72+105+2+1+20 = 455 = 0x1C7, ~C7 = 38 */
static void
test_archive_request (void)
{
  g_autoptr (GBytes) req = l4l_build_request (0xFF, L4L_FNC_HOUR, 105, 2, 1, 20);

  assert_bytes (req, "10 FF 48 69 02 01 14 38 16");
}

/* DEVELOPER.LOG lines 85–96, the extended format (prot943 §2.4): CRC-16
 * 0x1021 over NT..CRC gives 0; data = FNC + basic data */
static void
test_extended (void)
{
  static const gchar *const frames[] = {
    "10 FF 90 01 00 05 00 3F 00 00 00 00 32 3A",
    "10 FF 90 01 00 04 00 3F 54 2B 0A C1 65",
    "10 FF 90 00 00 05 00 42 03 00 00 00 7E 39",
    "10 FF 90 00 00 01 00 42 34 63",
    /* PROTOCOLS.md §2.5 vector */
    "10 FF 90 00 00 05 00 3F 00 00 00 00 D9 19",
  };
  L4lFrame f;
  guint8 id = 0;
  g_autoptr (GError) error = NULL;

  for (guint i = 0; i < G_N_ELEMENTS (frames); i++)
    {
      g_autoptr (GBytes) b = l4l_test_hex (frames[i]);
      gsize n = 0;
      const guint8 *p = g_bytes_get_data (b, &n);
      g_assert_cmpint (l4l_scan_extended (p, n), ==, (gssize) n);
      g_assert_true (l4l_parse_extended (p, n, &f, &id, &error));
      g_assert_no_error (error);
    }
  {
    g_autoptr (GBytes) b = l4l_test_hex (frames[1]);
    g_assert_true (l4l_parse_extended (g_bytes_get_data (b, NULL), 13, &f, &id, NULL));
    g_assert_cmpuint (id, ==, 1);
    g_assert_cmpuint (f.fnc, ==, 0x3F);
    g_assert_cmpuint (f.len, ==, 3);
    g_assert_cmpuint (f.data[0], ==, 0x54);
    g_assert_cmpuint (f.data[1], ==, 0x2B);
  }
  {
    g_autoptr (GBytes) b = l4l_test_hex ("10 FF 90 00 00 01 00 42 34 64");
    g_assert_false (l4l_parse_extended (g_bytes_get_data (b, NULL), 10, &f, &id, &error));
    g_assert_error (error, LERS_ERROR, LERS_ERROR_CHECKSUM);
  }
}

typedef struct
{
  const gchar *hex;
  guint8 nt;
  guint8 fnc;
  gsize expected;
  gint code;
  const gchar *message;
} Bad;

/* error replies: KS = ~(FF + 21 + code): 21 00 → ~20 = DF, 21 01 → DE,
 * 21 02 → DD, 21 03 → DC; from NT 5: ~(05 + 3F + 54 + 2B + 0A = 0xCD) = 32 */
static const Bad bad[] = {
  { "10 FF 3F 54 2B 0A 39 16", 0xFF, 0x3F, 3, LERS_ERROR_CHECKSUM,
    "Logika frame checksum is 39, expected 38" },
  { "10 FF 3F 54", 0xFF, 0x3F, 3, LERS_ERROR_INVALID_DATA, "Logika frame too short: 4 bytes" },
  { "10 05 3F 54 2B 0A 32 16", 3, 0x3F, 3, LERS_ERROR_INVALID_DATA,
    "Logika answer from address 5, expected 3" },
  { "10 FF 21 03 DC 16", 0xFF, 0x48, 68, LERS_ERROR_NOT_FOUND, "Logika device error 3: no data" },
  { "10 FF 21 01 DE 16", 0xFF, 0x44, 0, LERS_ERROR_PERMISSION_DENIED,
    "Logika device error 1: write protected" },
  { "10 FF 21 00 DF 16", 0xFF, 0x3F, 3, LERS_ERROR_INVALID_DATA,
    "Logika device error 0: request structure broken" },
  { "10 FF 21 02 DD 16", 0xFF, 0x52, 6, LERS_ERROR_INVALID_DATA,
    "Logika device error 2: invalid request parameters" },
  { "10 FF 3F 54 2B 0A 38 17", 0xFF, 0x3F, 3, LERS_ERROR_INVALID_DATA,
    "Logika frame without its start or end byte" },
  { "68 FF 3F 54 2B 0A 38 16", 0xFF, 0x3F, 3, LERS_ERROR_INVALID_DATA,
    "Logika frame without its start or end byte" },
  /* a session answer where a RAM answer was expected */
  { "10 FF 3F 54 2B 0A 38 16", 0xFF, 0x52, 3, LERS_ERROR_INVALID_DATA,
    "Logika answer to function 3F, expected 52" },
  { "10 FF 3F 54 2B 0A 38 16", 0xFF, 0x3F, 4, LERS_ERROR_INVALID_DATA,
    "Logika answer has 3 data bytes, expected 4" },
};

static void
test_bad_inputs (void)
{
  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_autoptr (GBytes) b = l4l_test_hex (bad[i].hex);
      g_autoptr (GError) error = NULL;
      L4lFrame f;
      gsize n = 0;
      const guint8 *p = g_bytes_get_data (b, &n);

      g_assert_false (l4l_parse_answer (p, n, bad[i].nt, bad[i].fnc, bad[i].expected, &f, &error));
      g_assert_error (error, LERS_ERROR, bad[i].code);
      g_assert_cmpstr (error->message, ==, bad[i].message);
    }
  /* oversize: 80 data bytes */
  {
    guint8 big[85];
    g_autoptr (GError) error = NULL;
    L4lFrame f;
    memset (big, 0, sizeof big);
    big[0] = 0x10;
    big[84] = 0x16;
    g_assert_false (l4l_parse (big, sizeof big, &f, &error));
    g_assert_error (error, LERS_ERROR, LERS_ERROR_INVALID_DATA);
    g_assert_cmpstr (error->message, ==, "Logika frame too long: 85 bytes");
  }
  /* the scanner: noise before the start byte is dropped, an error reply
   * is one data byte long whatever was expected */
  {
    static const guint8 noise[] = { 0xFF, 0x10 };
    static const guint8 err[] = { 0x10, 0xFF, 0x21, 0x03, 0xDC, 0x16 };
    g_assert_cmpint (l4l_scan (noise, 2, 3), ==, -1);
    g_assert_cmpint (l4l_scan (err, 6, 68), ==, 6);
    g_assert_cmpint (l4l_scan (err, 3, 68), ==, 0);
  }
}

/* the simulator, as the device: the documented bytes */
static void
test_simulator_vectors (void)
{
  g_autoptr (LersLogika4lSimulator) sim = NULL;
  g_autoptr (GBytes) req = l4l_test_hex ("10 FF 3F 00 00 00 00 C1 16");
  g_autoptr (GBytes) bad_ks = l4l_test_hex ("10 FF 3F 00 00 00 00 C2 16");
  g_autoptr (GBytes) other = l4l_test_hex ("10 05 3F 00 00 00 00 BB 16");
  g_autoptr (GBytes) unknown = l4l_test_hex ("10 FF 77 00 00 00 00 89 16");
  g_autoptr (GBytes) a1 = NULL, a2 = NULL, a3 = NULL, a4 = NULL;

  l4l_test_register_types ();
  sim = lers_logika4l_simulator_new ("1", 3, 1);
  a1 = lers_logika4l_simulator_answer (sim, g_bytes_get_data (req, NULL), 9);
  assert_bytes (a1, "10 FF 3F 54 2B 0A 38 16");
  /* prot941 table 2.3: a wrong KS is error 0 */
  a2 = lers_logika4l_simulator_answer (sim, g_bytes_get_data (bad_ks, NULL), 9);
  assert_bytes (a2, "10 FF 21 00 DF 16");
  /* prot943 §2.3: another NT gets no answer at all
   * (KS: ~(05 + 3F = 44) = BB) */
  a3 = lers_logika4l_simulator_answer (sim, g_bytes_get_data (other, NULL), 9);
  g_assert_null (a3);
  /* an unknown function: ~(FF + 77 = 0x176) = ~76 = 89 → error 0 */
  a4 = lers_logika4l_simulator_answer (sim, g_bytes_get_data (unknown, NULL), 9);
  assert_bytes (a4, "10 FF 21 00 DF 16");
}

static void
test_decode_frame (void)
{
  g_autoptr (LersLogika4lDriver) driver = NULL;
  g_autoptr (GBytes) text = g_bytes_new_static ("10 FF 3F 54 2B 0A 38 16", 23);
  g_autoptr (GError) error = NULL;
  g_autofree gchar *json = NULL;

  l4l_test_register_types ();
  driver = lers_logika4l_driver_new ();
  json = lers_device_driver_decode_frame (LERS_DEVICE_DRIVER (driver), text, &error);
  g_assert_no_error (error);
  g_assert_nonnull (strstr (json, "\"model\": \"СПТ943\""));
  g_assert_nonnull (strstr (json, "\"version\": 10"));
  /* a 68-byte hour record (prot943 appendix 2 table 2) built by hand: НС
   * bytes 00 20 00 (НС13), scheme 0, sixteen floats 00 00 48 81 = 6.25;
   * KS = ~(FF + 48 + 20 + 16·(48 + 81) = 0x167 + 0xC90 = 0xDF7) = ~F7 = 08 */
  {
    GByteArray *rec = g_byte_array_new ();
    static const guint8 head[] = { 0x10, 0xFF, 0x48, 0x00, 0x20, 0x00, 0x00 };
    static const guint8 f625[] = { 0x00, 0x00, 0x48, 0x81 };
    static const guint8 tail[] = { 0x08, 0x16 };
    g_autoptr (GBytes) frame = NULL;
    g_autofree gchar *rjson = NULL;

    g_byte_array_append (rec, head, sizeof head);
    for (guint i = 0; i < 16; i++)
      g_byte_array_append (rec, f625, 4);
    g_byte_array_append (rec, tail, sizeof tail);
    frame = g_byte_array_free_to_bytes (rec);
    rjson = lers_device_driver_decode_frame (LERS_DEVICE_DRIVER (driver), frame, &error);
    g_assert_no_error (error);
    g_assert_nonnull (strstr (rjson, "\"ns\": \"002000\""));
    g_assert_nonnull (strstr (rjson, "\"t1\": 6.25"));
    g_assert_nonnull (strstr (rjson, "\"Qg\": 6.25"));
  }
}

/* the НС log (prot943 appendix 2 table 5), built by hand: 10 yy mm dd hh
 * mm nn flag */
static void
test_ns_log (void)
{
  guint8 log[L4L_943_NS_LOG_SIZE];
  static const guint8 recs[3][8] = {
    { 0x10, 26, 3, 6, 10, 5, 13, 1 },  /* НС13 set 06.03.26 10:05 */
    { 0x10, 26, 3, 6, 12, 47, 13, 0 }, /* cleared 12:47 */
    { 0x10, 26, 3, 6, 20, 0, 8, 1 },   /* НС08 set 20:00, still on */
  };
  g_autoptr (GTimeZone) utc = g_time_zone_new_utc ();
  g_autoptr (GDateTime) from = g_date_time_new_utc (2026, 3, 6, 0, 0, 0);
  g_autoptr (GDateTime) to = g_date_time_new_utc (2026, 3, 7, 0, 0, 0);
  g_autoptr (GPtrArray) events = g_ptr_array_new_with_free_func (g_object_unref);
  LersMeterEvent *e;

  memset (log, 0, sizeof log);
  memcpy (log, recs, sizeof recs);
  g_assert_true (
      l4l_events_from_log (L4L_MODEL_943, utc, 1, TRUE, log, sizeof log, from, to, events));
  g_assert_cmpuint (events->len, ==, 2);
  e = g_ptr_array_index (events, 0);
  g_assert_cmpint (lers_meter_event_get_device_code (e), ==, 13);
  g_assert_cmpint (g_date_time_to_unix (lers_meter_event_get_end (e))
                       - g_date_time_to_unix (lers_meter_event_get_start (e)),
                   ==, 2 * 3600 + 42 * 60);
  e = g_ptr_array_index (events, 1);
  g_assert_cmpint (lers_meter_event_get_device_code (e), ==, 8);
  g_assert_cmpstr (lers_meter_event_get_code (e), ==, "sensor-fault");
  g_assert_null (lers_meter_event_get_end (e));
  g_assert_cmpuint (lers_meter_event_get_channel (e), ==, 1);

  /* a full log whose oldest record is after @from does not reach back */
  for (guint i = 0; i < L4L_943_NS_LOG_RECORDS; i++)
    {
      static const guint8 later[8] = { 0x10, 26, 3, 10, 1, 0, 13, 1 };
      memcpy (log + 8 * i, later, 8);
    }
  g_ptr_array_set_size (events, 0);
  g_assert_false (
      l4l_events_from_log (L4L_MODEL_943, utc, 0, TRUE, log, sizeof log, from, to, events));
  g_assert_cmpuint (events->len, ==, 0);
}

/* review finding 12: the old СПТ941's FLASH tables (prot941 §3.3.1–3.3.8):
 * hour headers from page 8 00h, data pages 91…631 (two records a page);
 * day headers from page 75 24h, data pages 632…816 (185 records); month
 * headers from page 87 0Ch, data pages 817…865 */
static void
test_941_tables (void)
{
  guint first, count, page, offset;

  l4l_941_table (LERS_ARCHIVE_KIND_HOUR, &first, &count);
  g_assert_cmpuint (first, ==, 8 * 64);
  l4l_941_data_page (LERS_ARCHIVE_KIND_HOUR, count - 1, &page, &offset);
  g_assert_cmpuint (page, ==, 631);
  l4l_941_table (LERS_ARCHIVE_KIND_DAY, &first, &count);
  g_assert_cmpuint (first, ==, 75 * 64 + 0x24);
  g_assert_cmpuint (count, ==, 185);
  l4l_941_data_page (LERS_ARCHIVE_KIND_DAY, 0, &page, &offset);
  g_assert_cmpuint (page, ==, 632);
  l4l_941_data_page (LERS_ARCHIVE_KIND_DAY, count - 1, &page, &offset);
  g_assert_cmpuint (page, ==, 816);
  l4l_941_table (LERS_ARCHIVE_KIND_MONTH, &first, &count);
  g_assert_cmpuint (first, ==, 87 * 64 + 0x0C);
  l4l_941_data_page (LERS_ARCHIVE_KIND_MONTH, 0, &page, &offset);
  g_assert_cmpuint (page, ==, 817);
  l4l_941_data_page (LERS_ARCHIVE_KIND_MONTH, count - 1, &page, &offset);
  g_assert_cmpuint (page, ==, 865);
}

/* review finding 15: the НС bytes of a 943 archive page, from the document
 * not the simulator: prot943 appendix 2 table 2 lists "НС байт 2, НС байт
 * 1, НС байт 0" first, the low bit of the assembly being НС00. Bytes
 * 80 20 01: byte 2 = 80h → НС23, byte 1 = 20h → НС13, byte 0 = 01h →
 * НС00: mask 0x802001 */
static void
test_ns_byte_order (void)
{
  guint8 page[68];
  guint32 mask = 0;
  g_autoptr (GDateTime) start = g_date_time_new_utc (2026, 3, 6, 10, 0, 0);
  g_autoptr (LersRecord) record = NULL;
  g_autoptr (GError) error = NULL;

  memset (page, 0, sizeof page);
  page[0] = 0x80;
  page[1] = 0x20;
  page[2] = 0x01;
  g_assert_cmpuint (l4l_block_size (L4L_MODEL_943, LERS_ARCHIVE_KIND_HOUR), ==, sizeof page);
  g_assert_true (l4l_decode_record (L4L_MODEL_943, L4L_UNITS_GCAL, LERS_ARCHIVE_KIND_HOUR, page,
                                    sizeof page, start, 0, &mask, &record, &error));
  g_assert_no_error (error);
  g_assert_cmphex (mask, ==, 0x802001);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/logika4l/frame/session-request", test_session_request);
  g_test_add_func ("/logika4l/frame/session-answer", test_session_answer);
  g_test_add_func ("/logika4l/frame/float", test_float);
  g_test_add_func ("/logika4l/frame/stamps", test_stamps);
  g_test_add_func ("/logika4l/frame/archive-request", test_archive_request);
  g_test_add_func ("/logika4l/frame/extended", test_extended);
  g_test_add_func ("/logika4l/frame/bad-inputs", test_bad_inputs);
  g_test_add_func ("/logika4l/frame/simulator-vectors", test_simulator_vectors);
  g_test_add_func ("/logika4l/frame/decode-frame", test_decode_frame);
  g_test_add_func ("/logika4l/frame/ns-log", test_ns_log);
  g_test_add_func ("/logika4l/frame/941-tables", test_941_tables);
  g_test_add_func ("/logika4l/frame/ns-byte-order", test_ns_byte_order);
  return g_test_run ();
}
