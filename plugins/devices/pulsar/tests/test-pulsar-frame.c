/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Frames, CRC and payloads against bytes nobody here wrote:
 *
 * [doc] Teplovodokhran, "Описание протокола обмена «ПУЛЬСАР-М»",
 *       02.08.2012 (protocol_pulsar_m_ru.pdf in srgsf/tvh-pulsar): the
 *       example frames of sections 3 (p. 2), 5 and 6 (p. 3–4), 7 (p. 5–6)
 *       and 8 (p. 7), device №12345678. The archive answer of p. 6 prints
 *       only its first and last value (EC 51 08 40); with all ten values
 *       equal its printed CRC EB 75 comes out, so the frame is whole.
 * [wb]  wb-mqtt-serial test/pulsar_test.cpp (PROTOCOLS.md §2.9): device
 *       107080, channel 3 read as float32 = 24.71257 °C.
 */
#include <check.h>
#include <math.h>
#include <string.h>

#include "lers-check.h"
#include "pulsar-archive.h"
#include "pulsar-frame.h"
#include "pulsar-test-util.h"

#define DOC_ADDR 12345678
#define DOC_READ_CH2 "12345678 01 0E 02000000 5EA4 4163"
#define DOC_READ_CH2_ANS "12345678 01 12 000040703D0A0140 5EA4 8237"
#define DOC_CLOCK "12345678 04 0A 788A 9BB4"
#define DOC_CLOCK_ANS "12345678 04 10 0C0717091F1A 788A 1E1C"
#define DOC_SET_CLOCK "12345678 05 10 0C0717081332 108D 9F43"
#define DOC_SET_CLOCK_ANS "12345678 05 0E 01000000 108D B4DD"
#define DOC_ARCHIVE "12345678 06 1C 02000000 0100 0C0717000000 0C0717090000 6BBF EB48"
#define DOC_ARCHIVE_ANS                                                                            \
  "12345678 06 3C 02000000 0C0717000000 EC510840 EC510840 EC510840 EC510840 EC510840 "             \
  "EC510840 EC510840 EC510840 EC510840 EC510840 6BBF EB75"
#define DOC_WEIGHT_ANS "12345678 07 0E 0AD7233C A0B7 7E36"
#define WB_READ_CH3 "00107080 01 0E 04000000 0000 7CA7"
#define WB_READ_CH3_ANS "00107080 01 0E 5AB3C541 0000 18DB"

static void
assert_bytes (GBytes *got, const gchar *expected_hex)
{
  g_autoptr (GBytes) want = pulsar_test_hex (expected_hex);
  g_autofree gchar *hex = pulsar_test_to_hex (got);

  ck_assert_msg (g_bytes_equal (got, want), "got %s, want %s", hex, expected_hex);
}

static void
parse (GBytes *bytes, PulsarFrame *frame)
{
  g_autoptr (GError) error = NULL;
  gsize n = 0;
  const guint8 *p = g_bytes_get_data (bytes, &n);

  ck_assert_msg (pulsar_frame_parse (p, n, frame, &error), "%s", error ? error->message : "");
}

START_TEST (test_crc_vectors)
{
  /* every example frame's last two bytes are the CRC of the rest, LE */
  static const gchar *frames[]
      = { DOC_READ_CH2,   DOC_READ_CH2_ANS,  DOC_CLOCK,      DOC_CLOCK_ANS,
          DOC_SET_CLOCK,  DOC_SET_CLOCK_ANS, DOC_ARCHIVE,    DOC_ARCHIVE_ANS,
          DOC_WEIGHT_ANS, WB_READ_CH3,       WB_READ_CH3_ANS };

  for (guint i = 0; i < G_N_ELEMENTS (frames); i++)
    {
      g_autoptr (GBytes) b = pulsar_test_hex (frames[i]);
      gsize n = 0;
      const guint8 *p = g_bytes_get_data (b, &n);
      ck_assert_uint_eq (pulsar_crc16 (p, n - 2), p[n - 2] | (p[n - 1] << 8));
      ck_assert_int_eq (pulsar_frame_scan (p, n, NULL), (gssize) n);
    }
  /* CRC-16/MODBUS check value of "123456789" */
  ck_assert_uint_eq (pulsar_crc16 ((const guint8 *) "123456789", 9), 0x4B37);
}
END_TEST

START_TEST (test_requests)
{
  /* [doc] p. 5: hourly archive of channel 2 from 2012-07-23 00:00 to 09:00 */
  PulsarTime start = { 2012, 7, 23, 0, 0, 0 }, end = { 2012, 7, 23, 9, 0, 0 };
  PulsarTime set = { 2012, 7, 23, 8, 19, 50 };
  g_autoptr (GBytes) ch2 = pulsar_request_read_channels (DOC_ADDR, 0x02, 0xA45E);
  g_autoptr (GBytes) clock = pulsar_request_read_clock (DOC_ADDR, 0x8A78);
  g_autoptr (GBytes) set_clock = pulsar_request_write_clock (DOC_ADDR, &set, 0x8D10);
  g_autoptr (GBytes) archive
      = pulsar_request_read_archive (DOC_ADDR, 2, PULSAR_ARCHIVE_HOUR, &start, &end, 0xBF6B);
  g_autoptr (GBytes) wb = pulsar_request_read_channels (107080, 0x04, 0x0000);

  assert_bytes (ch2, DOC_READ_CH2);
  assert_bytes (clock, DOC_CLOCK);
  assert_bytes (set_clock, DOC_SET_CLOCK);
  assert_bytes (archive, DOC_ARCHIVE);
  assert_bytes (wb, WB_READ_CH3);
}
END_TEST

START_TEST (test_answers)
{
  g_autoptr (GBytes) ch2 = pulsar_test_hex (DOC_READ_CH2_ANS);
  g_autoptr (GBytes) clock = pulsar_test_hex (DOC_CLOCK_ANS);
  g_autoptr (GBytes) set_clock = pulsar_test_hex (DOC_SET_CLOCK_ANS);
  g_autoptr (GBytes) archive = pulsar_test_hex (DOC_ARCHIVE_ANS);
  g_autoptr (GBytes) wb = pulsar_test_hex (WB_READ_CH3_ANS);
  g_autoptr (GArray) raw = g_array_new (FALSE, FALSE, sizeof (guint32));
  g_autoptr (GError) error = NULL;
  PulsarTime start = { 2012, 7, 23, 0, 0, 0 }, t;
  PulsarFrame f;
  gdouble v[1];

  /* [doc] p. 2: channel 2 = 2.13 (float64 40 01 0A 3D 70 40 00 00) */
  parse (ch2, &f);
  ck_assert_uint_eq (f.address, DOC_ADDR);
  ck_assert_uint_eq (f.id, 0xA45E);
  ck_assert (pulsar_decode_channels (&f, 1, v, &error));
  ck_assert_double_eq_tol (v[0], 2.13, 1e-8);
  /* [doc] p. 3: 0C 07 17 09 1F 1A = 2012-07-23 09:31:26 */
  parse (clock, &f);
  ck_assert_uint_eq (f.function, PULSAR_FN_READ_CLOCK);
  ck_assert (pulsar_time_get (f.payload, &t, &error));
  ck_assert_uint_eq (t.year, 2012);
  ck_assert_uint_eq (t.month, 7);
  ck_assert_uint_eq (t.day, 23);
  ck_assert_uint_eq (t.hour, 9);
  ck_assert_uint_eq (t.minute, 31);
  ck_assert_uint_eq (t.second, 26);
  /* [doc] p. 4: R = 01, written */
  parse (set_clock, &f);
  ck_assert (pulsar_decode_write_status (&f, &error));
  /* [doc] p. 6: ten hourly values of 2.13 (float32 EC 51 08 40) */
  parse (archive, &f);
  ck_assert (pulsar_decode_archive (&f, 2, &start, raw, &error));
  ck_assert_uint_eq (raw->len, 10);
  for (guint i = 0; i < raw->len; i++)
    ck_assert_float_eq_tol (pulsar_float_from_bits (g_array_index (raw, guint32, i)), 2.13f, 1e-6f);
  /* [wb]: float32 5A B3 C5 41 = 24.71257 */
  parse (wb, &f);
  ck_assert_uint_eq (f.address, 107080);
  ck_assert (pulsar_decode_channels (&f, 1, v, &error));
  ck_assert_double_eq_tol (v[0], 24.71257, 1e-5);
}
END_TEST

START_TEST (test_json)
{
  g_autoptr (GBytes) archive = pulsar_test_hex (DOC_ARCHIVE_ANS);
  g_autoptr (GError) error = NULL;
  gsize n = 0;
  const guint8 *p = g_bytes_get_data (archive, &n);
  g_autofree gchar *json = pulsar_frame_to_json (p, n, &error);

  ck_assert_msg (json != NULL, "%s", error ? error->message : "");
  ck_assert_ptr_nonnull (strstr (json, "\"address\" : \"12345678\""));
  ck_assert_ptr_nonnull (strstr (json, "\"start\" : \"2012-07-23T00:00:00\""));
  ck_assert_ptr_nonnull (strstr (json, "\"function\" : 6"));
}
END_TEST

/* the simulator, asked the document's clock requests, answers the
 * document's bytes: its clock fixed at 2012-07-23 09:31:26 UTC */
static GBytes *
sim_exchange (PulsarTestSession *t, const gchar *request_hex)
{
  g_autoptr (GBytes) request = pulsar_test_hex (request_hex);
  g_autoptr (GAsyncResult) result = NULL;
  g_autoptr (GError) error = NULL;
  GBytes *answer;

  lers_transport_exchange_async (t->transport, request, pulsar_frame_scan, NULL, NULL, NULL,
                                 pulsar_test_wait_cb, &result);
  answer = lers_transport_exchange_finish (t->transport, pulsar_test_wait (&result), &error);
  ck_assert_msg (answer != NULL, "%s", error ? error->message : "");
  return answer;
}

START_TEST (test_simulator_vectors)
{
  g_autoptr (GDateTime) when = pulsar_test_utc ("2012-07-23T09:31:26Z");
  g_autoptr (LersPulsarSimulator) sim = NULL;
  g_autoptr (GBytes) a = NULL;
  g_autoptr (GBytes) b = NULL;
  PulsarTestSession t;

  pulsar_test_register_types ();
  sim = lers_pulsar_simulator_new ("12345678", DOC_ADDR, 0);
  g_object_set (sim, "clock-time", g_date_time_to_unix (when), NULL);
  pulsar_test_session_sim (&t, sim, "12345678");
  a = sim_exchange (&t, DOC_CLOCK);
  assert_bytes (a, DOC_CLOCK_ANS);
  b = sim_exchange (&t, DOC_SET_CLOCK);
  assert_bytes (b, DOC_SET_CLOCK_ANS);
  pulsar_test_session_clear (&t);
}
END_TEST

/* parameter 0x0006: [doc] §19 ERR_F 0x04 EEPROM write, 0x08 negative value;
 * 2021 specification §4.1 bit 0 "character error in the channel(s)" */
START_TEST (test_diag_flags)
{
  g_autoptr (GPtrArray) events = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr (GDateTime) now = pulsar_test_utc ("2012-07-23T09:31:26Z");
  static const gint codes[] = { 4, 1, 8 };
  static const LersMeterEventSeverity severities[]
      = { LERS_METER_EVENT_SEVERITY_ALARM, LERS_METER_EVENT_SEVERITY_WARNING,
          LERS_METER_EVENT_SEVERITY_WARNING };

  pulsar_archive_build_diag_events (events, 0x0D | 0x02, now);
  ck_assert_uint_eq (events->len, 3);
  for (guint i = 0; i < events->len; i++)
    {
      LersMeterEvent *ev = g_ptr_array_index (events, i);
      ck_assert_int_eq (lers_meter_event_get_device_code (ev), codes[i]);
      ck_assert_int_eq (lers_meter_event_get_severity (ev), severities[i]);
      ck_assert_str_eq (lers_meter_event_get_code (ev), "other");
      ck_assert (g_date_time_equal (lers_meter_event_get_start (ev), now));
      ck_assert_ptr_null (lers_meter_event_get_end (ev));
    }
  g_ptr_array_set_size (events, 0);
  pulsar_archive_build_diag_events (events, 0x00, now);
  ck_assert_uint_eq (events->len, 0);
}
END_TEST

static Suite *
pulsar_frame_suite (void)
{
  Suite *s = suite_create ("pulsar-frame");
  TCase *tc = tcase_create ("vectors");

  tcase_add_test (tc, test_crc_vectors);
  tcase_add_test (tc, test_requests);
  tcase_add_test (tc, test_answers);
  tcase_add_test (tc, test_json);
  tcase_add_test (tc, test_simulator_vectors);
  tcase_add_test (tc, test_diag_flags);
  suite_add_tcase (s, tc);
  return s;
}

int
main (int argc, char **argv)
{
  lers_check_init (&argc, &argv);
  return lers_check_run_suite (pulsar_frame_suite ());
}
