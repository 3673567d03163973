/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Bad input: frames that fail the parser, error answers, and a session fed
 * wrong answers by a scripted transport. Each gives its exact GError code
 * and message, never a crash or a record.
 *
 * The base frame is the vendor document's clock answer (p. 3):
 * 12345678 04 10 0C0717091F1A 788A 1E1C.
 */
#include <check.h>
#include <string.h>

#include "lers-check.h"
#include "lers-pulsar-session.h"
#include "pulsar-frame.h"
#include "pulsar-test-util.h"

typedef struct
{
  const gchar *hex;
  gint code;
  const gchar *message;
} BadFrame;

static const BadFrame bad_frames[] = {
  /* the CRC's high byte 1C → 1D */
  { "12345678 04 10 0C0717091F1A 788A 1E1D", LERS_ERROR_CHECKSUM,
    "Pulsar frame CRC mismatch: received 1D1E, computed 1C1E" },
  /* cut after 8 bytes */
  { "12345678 04 10 0C07", LERS_ERROR_INVALID_DATA,
    "Pulsar frame too short: 8 bytes, at least 10 expected" },
  { "12345678 04 10 0C0717091F1A 788A 1E", LERS_ERROR_INVALID_DATA,
    "Pulsar frame length byte says 16, the frame has 15 bytes" },
  { NULL, 0, NULL },
};

START_TEST (test_bad_frames)
{
  for (guint i = 0; bad_frames[i].hex != NULL; i++)
    {
      g_autoptr (GBytes) b = pulsar_test_hex (bad_frames[i].hex);
      g_autoptr (GError) error = NULL;
      PulsarFrame f;
      gsize n = 0;
      const guint8 *p = g_bytes_get_data (b, &n);

      ck_assert (!pulsar_frame_parse (p, n, &f, &error));
      ck_assert_msg (g_error_matches (error, LERS_ERROR, bad_frames[i].code), "%u: %s", i,
                     error->message);
      ck_assert_str_eq (error->message, bad_frames[i].message);
    }
}
END_TEST

START_TEST (test_oversize_and_garbage)
{
  guint8 big[256];
  guint8 noise[] = { 0xFF, 0xAB, 0x12, 0x34 };
  guint8 not_bcd[10] = { 0x1A, 0x34, 0x56, 0x78, 0x04, 0x0A, 0x78, 0x8A, 0, 0 };
  g_autoptr (GError) error = NULL;
  g_autoptr (GError) error2 = NULL;
  PulsarFrame f;
  guint16 crc;

  memset (big, 0x11, sizeof big);
  ck_assert (!pulsar_frame_parse (big, sizeof big, &f, &error));
  ck_assert (g_error_matches (error, LERS_ERROR, LERS_ERROR_INVALID_DATA));
  ck_assert_str_eq (error->message, "Pulsar frame too long: 256 bytes, at most 255 allowed");
  /* the scanner drops bytes that cannot start a frame */
  ck_assert_int_eq (pulsar_frame_scan (noise, sizeof noise, NULL), -1);
  ck_assert_int_eq (pulsar_frame_scan (noise + 2, 2, NULL), 0);
  /* a length byte below 10 is noise too */
  ck_assert_int_eq (pulsar_frame_scan ((const guint8 *) "\x12\x34\x56\x78\x04\x09", 6, NULL), -1);
  crc = pulsar_crc16 (not_bcd, 8);
  not_bcd[8] = crc & 0xFF;
  not_bcd[9] = crc >> 8;
  ck_assert (!pulsar_frame_parse (not_bcd, sizeof not_bcd, &f, &error2));
  ck_assert (g_error_matches (error2, LERS_ERROR, LERS_ERROR_INVALID_DATA));
  ck_assert_str_eq (error2->message, "Pulsar frame address 1A345678 is not BCD");
}
END_TEST

START_TEST (test_error_answers)
{
  /* the error answer: ADDR 00 0B CODE ID CRC (document p. 16) */
  static const struct
  {
    guint8 code;
    gint lers_code;
    const gchar *message;
  } table[] = {
    { 1, LERS_ERROR_NOT_SUPPORTED,
      "The Pulsar device answered error 1: the requested function is missing" },
    { 2, LERS_ERROR_INVALID_ARGUMENT,
      "The Pulsar device answered error 2: error in the request's channel mask" },
    { 3, LERS_ERROR_INVALID_ARGUMENT, "The Pulsar device answered error 3: wrong request length" },
    { 4, LERS_ERROR_NOT_FOUND, "The Pulsar device answered error 4: the parameter is missing" },
    { 5, LERS_ERROR_PERMISSION_DENIED,
      "The Pulsar device answered error 5: writing is locked, authorisation required" },
    { 6, LERS_ERROR_INVALID_ARGUMENT,
      "The Pulsar device answered error 6: the value written is out of range" },
    { 7, LERS_ERROR_NOT_SUPPORTED,
      "The Pulsar device answered error 7: the requested archive type is missing" },
    { 8, LERS_ERROR_INVALID_ARGUMENT,
      "The Pulsar device answered error 8: too many archive values requested in one frame" },
    { 0x2A, LERS_ERROR_FAILED, "The Pulsar device answered error 42: unknown error" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (table); i++)
    {
      g_autoptr (GBytes) b = pulsar_frame_build (12345678, 0x00, &table[i].code, 1, 0x1234);
      g_autoptr (GError) error = NULL;
      gdouble v[1];
      PulsarFrame f;
      gsize n = 0;
      const guint8 *p = g_bytes_get_data (b, &n);

      ck_assert_uint_eq (n, 11);
      ck_assert (pulsar_frame_parse (p, n, &f, NULL));
      ck_assert (!pulsar_decode_channels (&f, 1, v, &error));
      ck_assert_msg (g_error_matches (error, LERS_ERROR, table[i].lers_code), "%s", error->message);
      ck_assert_str_eq (error->message, table[i].message);
    }
}
END_TEST

/* ---- a session fed wrong answers ------------------------------------- */

static gchar *
answer_hex (guint32 address, guint8 fn, const gchar *payload_hex, guint16 id)
{
  g_autoptr (GBytes) payload = pulsar_test_hex (payload_hex);
  g_autoptr (GBytes) frame = pulsar_frame_build (address, fn, g_bytes_get_data (payload, NULL),
                                                 g_bytes_get_size (payload), id);
  return pulsar_test_to_hex (frame);
}

/* the clock answer of the document, with the session's ID 0x0001 */
#define CLOCK_PAYLOAD "0C0717091F1A"

static void
script_open (PulsarTestSession *t)
{
  g_autofree gchar *clock = answer_hex (12345678, 0x04, CLOCK_PAYLOAD, 1);
  g_autoptr (GError) error = NULL;

  pulsar_test_session_script (t, "12345678");
  pulsar_test_script_answer (t, clock);
  ck_assert_msg (pulsar_test_open (t, &error), "%s", error ? error->message : "");
}

START_TEST (test_session_wrong_address)
{
  PulsarTestSession t;
  g_autofree gchar *a = answer_hex (12345679, 0x04, CLOCK_PAYLOAD, 2);
  g_autoptr (GError) error = NULL;
  g_autoptr (GDateTime) clock = NULL;

  script_open (&t);
  pulsar_test_script_answer (&t, a);
  pulsar_test_script_answer (&t, a);
  clock = pulsar_test_clock (&t, &error);
  ck_assert_ptr_null (clock);
  ck_assert (g_error_matches (error, LERS_ERROR, LERS_ERROR_INVALID_DATA));
  ck_assert_str_eq (error->message, "Pulsar clock read to address 12345678, 2 attempts: "
                                    "A Pulsar answer from address 12345679, not 12345678");
  pulsar_test_session_clear (&t);
}
END_TEST

START_TEST (test_session_wrong_id_then_good)
{
  PulsarTestSession t;
  g_autofree gchar *wrong = answer_hex (12345678, 0x04, CLOCK_PAYLOAD, 7);
  g_autofree gchar *good = answer_hex (12345678, 0x04, CLOCK_PAYLOAD, 2);
  g_autoptr (GError) error = NULL;
  g_autoptr (GDateTime) clock = NULL;
  g_autoptr (GDateTime) want = pulsar_test_utc ("2012-07-23T09:31:26Z");

  script_open (&t);
  pulsar_test_script_answer (&t, wrong);
  pulsar_test_script_answer (&t, good);
  clock = pulsar_test_clock (&t, &error);
  ck_assert_msg (clock != NULL, "%s", error ? error->message : "");
  ck_assert (g_date_time_equal (clock, want));
  /* the request was sent twice, the same bytes (ID 0002) */
  ck_assert_uint_eq (t.n_writes, 3);
  pulsar_test_session_clear (&t);
}
END_TEST

START_TEST (test_session_bad_crc_and_silence)
{
  PulsarTestSession t;
  g_autoptr (GError) error = NULL;
  g_autoptr (GDateTime) clock = NULL;

  script_open (&t);
  /* a garbled answer, then nothing */
  pulsar_test_script_answer (&t, "12345678 04 10 0C0717091F1A 0200 0000");
  pulsar_test_script_answer (&t, NULL);
  clock = pulsar_test_clock (&t, &error);
  ck_assert_ptr_null (clock);
  ck_assert_msg (g_error_matches (error, LERS_ERROR, LERS_ERROR_TIMED_OUT), "%s", error->message);
  pulsar_test_session_clear (&t);
}
END_TEST

START_TEST (test_session_clock_locked)
{
  PulsarTestSession t;
  g_autofree gchar *locked = answer_hex (12345678, 0x00, "05", 2);
  g_autofree gchar *refused = answer_hex (12345678, 0x05, "00000000", 3);
  g_autoptr (GError) error = NULL;
  g_autoptr (GError) error2 = NULL;

  script_open (&t);
  pulsar_test_script_answer (&t, locked);
  pulsar_test_script_answer (&t, refused);
  ck_assert (!pulsar_test_set_clock (&t, "2012-07-23T08:19:50Z", &error));
  ck_assert (g_error_matches (error, LERS_ERROR, LERS_ERROR_PERMISSION_DENIED));
  ck_assert_str_eq (
      error->message,
      "The Pulsar device answered error 5: writing is locked, authorisation required");
  /* an error answer is not resent: the next request is the next answer */
  ck_assert (!pulsar_test_set_clock (&t, "2012-07-23T08:19:50Z", &error2));
  ck_assert (g_error_matches (error2, LERS_ERROR, LERS_ERROR_PERMISSION_DENIED));
  ck_assert_str_eq (error2->message, "The Pulsar device did not set its clock");
  pulsar_test_session_clear (&t);
}
END_TEST

START_TEST (test_session_archive_wrong_channel)
{
  PulsarTestSession t;
  /* asked: channel 1 (mask 01); answered: channel 2's archive */
  g_autofree gchar *a = answer_hex (12345678, 0x06, "02000000 0C0717000000 EC510840 EC510840", 2);
  g_autoptr (GError) error = NULL;
  g_autoptr (GPtrArray) r = NULL;

  pulsar_test_session_script (&t, "12345678");
  lers_device_set_option (t.device, "channels", "1");
  {
    g_autofree gchar *clock = answer_hex (12345678, 0x04, CLOCK_PAYLOAD, 1);
    pulsar_test_script_answer (&t, clock);
    ck_assert (pulsar_test_open (&t, NULL));
  }
  pulsar_test_script_answer (&t, a);
  r = pulsar_test_read (&t, LERS_ARCHIVE_KIND_HOUR, "2012-07-23T00:00:00Z", "2012-07-23T01:00:00Z",
                        &error);
  ck_assert_ptr_null (r);
  ck_assert (g_error_matches (error, LERS_ERROR, LERS_ERROR_INVALID_DATA));
  ck_assert_str_eq (error->message, "A Pulsar archive answer for channel mask 00000002, not "
                                    "channel 1");
  pulsar_test_session_clear (&t);
}
END_TEST

START_TEST (test_session_bad_options)
{
  static const struct
  {
    const gchar *address, *key, *value, *message;
  } table[] = {
    { "12x", NULL, NULL, "'12x' is not a Pulsar network address (up to 8 decimal digits)" },
    { "123456789", NULL, NULL,
      "'123456789' is not a Pulsar network address (up to 8 decimal digits)" },
    { "", NULL, NULL, "A Pulsar device needs its network address (up to 8 decimal digits)" },
    { "1", "channels", "0", "Pulsar option channels=0: '0' is not a channel number 1 to 32" },
    { "1", "quantity", "litres",
      "Pulsar option quantity=litres: not one of volume, mass, gas, heat-gcal, heat-gj, "
      "heat-kwh, energy-kwh" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (table); i++)
    {
      PulsarTestSession t;
      g_autoptr (GError) error = NULL;

      pulsar_test_session_script (&t, table[i].address);
      if (table[i].key != NULL)
        lers_device_set_option (t.device, table[i].key, table[i].value);
      ck_assert (!pulsar_test_open (&t, &error));
      ck_assert (g_error_matches (error, LERS_ERROR, LERS_ERROR_INVALID_ARGUMENT));
      ck_assert_str_eq (error->message, table[i].message);
      ck_assert_uint_eq (t.n_writes, 0);
      pulsar_test_session_clear (&t);
    }
}
END_TEST

static Suite *
pulsar_bad_suite (void)
{
  Suite *s = suite_create ("pulsar-bad");
  TCase *tc = tcase_create ("bad");

  tcase_set_timeout (tc, 30);
  tcase_add_test (tc, test_bad_frames);
  tcase_add_test (tc, test_oversize_and_garbage);
  tcase_add_test (tc, test_error_answers);
  tcase_add_test (tc, test_session_wrong_address);
  tcase_add_test (tc, test_session_wrong_id_then_good);
  tcase_add_test (tc, test_session_bad_crc_and_silence);
  tcase_add_test (tc, test_session_clock_locked);
  tcase_add_test (tc, test_session_archive_wrong_channel);
  tcase_add_test (tc, test_session_bad_options);
  suite_add_tcase (s, tc);
  return s;
}

int
main (int argc, char **argv)
{
  lers_check_init (&argc, &argv);
  return lers_check_run_suite (pulsar_bad_suite ());
}
