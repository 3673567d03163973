/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Link layer and data decoding: builders, codings, and a table of bad inputs
 * that must fail with an exact error code. */
#include <check.h>
#include <math.h>

#include "mbus-data.h"
#include "mbus-frame.h"
#include "mbus-json.h"
#include "lers-check.h"

static GBytes *
hex (const gchar *text)
{
  g_autoptr (GError) error = NULL;
  GBytes *b = mbus_hex_to_bytes (text, &error);
  ck_assert_msg (b != NULL, "%s", error ? error->message : "?");
  return b;
}

static gchar *
to_hex (GBytes *bytes)
{
  gsize n = 0;
  const guint8 *b = g_bytes_get_data (bytes, &n);
  GString *s = g_string_new (NULL);
  for (gsize i = 0; i < n; i++)
    g_string_append_printf (s, i ? " %02X" : "%02X", b[i]);
  return g_string_free (s, FALSE);
}

/* a long RSP_UD frame around @records (after a 12-byte long header) */
static GBytes *
rsp_ud (const gchar *records)
{
  g_autoptr (GBytes) body = hex (records);
  g_autoptr (GByteArray) user = g_byte_array_new ();
  static const guint8 header[]
      = { 0x78, 0x56, 0x34, 0x12, 0x53, 0x32, 0x01, 0x04, 0x07, 0x00, 0x00, 0x00 };
  g_byte_array_append (user, header, sizeof header);
  g_byte_array_append (user, g_bytes_get_data (body, NULL), (guint) g_bytes_get_size (body));
  return mbus_frame_build_long (MBUS_C_RSP_UD, 1, MBUS_CI_RESPONSE_LONG, user->data, user->len);
}

START_TEST (test_frame_builders)
{
  g_autoptr (GBytes) nke = mbus_frame_build_snd_nke (5);
  g_autoptr (GBytes) req1 = mbus_frame_build_req_ud2 (5, TRUE);
  g_autoptr (GBytes) req0 = mbus_frame_build_req_ud2 (5, FALSE);
  g_autoptr (GBytes) sel = mbus_frame_build_select ("12345678");
  g_autoptr (GBytes) ack = mbus_frame_build_ack ();
  g_autofree gchar *s_nke = to_hex (nke);
  g_autofree gchar *s_req1 = to_hex (req1);
  g_autofree gchar *s_req0 = to_hex (req0);
  g_autofree gchar *s_sel = to_hex (sel);
  g_autofree gchar *s_ack = to_hex (ack);

  ck_assert_str_eq (s_nke, "10 40 05 45 16");
  ck_assert_str_eq (s_req1, "10 7B 05 80 16");
  ck_assert_str_eq (s_req0, "10 5B 05 60 16");
  ck_assert_str_eq (s_sel, "68 0B 0B 68 53 FD 52 78 56 34 12 FF FF FF FF B2 16");
  ck_assert_str_eq (s_ack, "E5");
  ck_assert_ptr_null (mbus_frame_build_select ("1234567"));
  ck_assert_ptr_null (mbus_frame_build_select ("1234567x"));
}
END_TEST

START_TEST (test_frame_parse_roundtrip)
{
  g_autoptr (GBytes) sel = mbus_frame_build_select ("00000042");
  g_autoptr (GError) error = NULL;
  g_autoptr (MbusFrame) f
      = mbus_frame_parse (g_bytes_get_data (sel, NULL), g_bytes_get_size (sel), &error);
  gsize n = 0;
  const guint8 *d;

  ck_assert_ptr_nonnull (f);
  ck_assert_int_eq (f->kind, MBUS_FRAME_KIND_LONG);
  ck_assert_uint_eq (f->c, MBUS_C_SND_UD);
  ck_assert_uint_eq (f->a, 0xFD);
  ck_assert_uint_eq (f->ci, MBUS_CI_SELECT);
  d = g_bytes_get_data (f->data, &n);
  ck_assert_uint_eq (n, 8);
  ck_assert_uint_eq (d[0], 0x42);
  /* scanning finds the frame's end inside a stream */
  ck_assert_int_eq (mbus_frame_scan (g_bytes_get_data (sel, NULL), 3, NULL), 0);
  ck_assert_int_eq (mbus_frame_scan (g_bytes_get_data (sel, NULL), g_bytes_get_size (sel), NULL),
                    (gssize) g_bytes_get_size (sel));
}
END_TEST

static MbusData *
decode_ok (const gchar *records)
{
  g_autoptr (GBytes) f = rsp_ud (records);
  g_autoptr (GError) error = NULL;
  MbusData *d = mbus_data_decode (g_bytes_get_data (f, NULL), g_bytes_get_size (f), &error);
  ck_assert_msg (d != NULL, "%s: %s", records, error ? error->message : "?");
  return d;
}

static const MbusRecord *
rec (const MbusData *d, guint i)
{
  ck_assert_uint_gt (d->records->len, i);
  return g_ptr_array_index (d->records, i);
}

START_TEST (test_data_durations)
{
  /* FD 68..6F: hours and days as seconds, months and years as they are */
  g_autoptr (MbusData) d = decode_ok ("01 FD 68 02 "
                                      "01 FD 69 03 "
                                      "01 FD 6A 05 "
                                      "01 FD 6F 07 ");
  ck_assert_double_eq_tol (rec (d, 0)->number, 7200.0, 1e-9);
  ck_assert_str_eq (rec (d, 0)->unit, "s");
  ck_assert_str_eq (rec (d, 0)->quantity, "Duration since last cumulation");
  ck_assert_double_eq_tol (rec (d, 1)->number, 3 * 86400.0, 1e-9);
  ck_assert_double_eq_tol (rec (d, 2)->number, 5.0, 1e-12);
  ck_assert_str_eq (rec (d, 2)->unit, "month");
  ck_assert_double_eq_tol (rec (d, 3)->number, 7.0, 1e-12);
  ck_assert_str_eq (rec (d, 3)->unit, "year");
  ck_assert_str_eq (rec (d, 3)->quantity, "Operating time battery");
}
END_TEST

START_TEST (test_data_codings)
{
  /* int8 -1 Wh; int16; int24; int32; int48 negative; int64; real32 1.5 °C (x1e-3..)
   * BCD 4 digits negative; BCD 8; var-length text; type G; type F */
  g_autoptr (MbusData) d = decode_ok ("01 03 FF "
                                      "02 13 34 12 "
                                      "03 13 01 00 80 "
                                      "04 2B 10 27 00 00 "
                                      "06 03 FE FF FF FF FF FF "
                                      "07 03 01 00 00 00 00 00 00 00 "
                                      "05 5B 00 00 C0 3F "
                                      "0A 59 34 F2 "
                                      "0C 78 78 56 34 12 "
                                      "0D FD 11 03 43 42 41 "
                                      "02 6C 01 2C "
                                      "04 6D 1A 2F 65 11 "
                                      "C4 01 13 05 00 00 00 "
                                      "84 A0 41 13 07 00 00 00 "
                                      "0D 13 C2 45 23 "
                                      "0D 13 E2 01 02 ");
  ck_assert_double_eq_tol (rec (d, 0)->number, -1.0, 1e-12);
  ck_assert_str_eq (rec (d, 0)->unit, "Wh");
  ck_assert_double_eq_tol (rec (d, 1)->number, 4.66, 1e-9);
  ck_assert_str_eq (rec (d, 1)->unit, "m^3");
  ck_assert_double_eq_tol (rec (d, 2)->number, -8388.607, 1e-9);
  ck_assert_double_eq_tol (rec (d, 3)->number, 10000.0, 1e-9);
  ck_assert_double_eq_tol (rec (d, 4)->number, -2.0, 1e-12);
  ck_assert_double_eq_tol (rec (d, 5)->number, 1.0, 1e-12);
  ck_assert_double_eq_tol (rec (d, 6)->number, 1.5, 1e-12);
  ck_assert_str_eq (rec (d, 6)->quantity, "Flow temperature");
  ck_assert_double_eq_tol (rec (d, 7)->number, -2.34, 1e-12);
  ck_assert_double_eq_tol (rec (d, 8)->number, 12345678.0, 1e-9);
  ck_assert_str_eq (rec (d, 8)->quantity, "Fabrication No");
  ck_assert_str_eq (rec (d, 9)->text, "ABC");
  ck_assert_str_eq (rec (d, 9)->quantity, "Customer");
  ck_assert_str_eq (rec (d, 10)->text, "2016-12-01");
  ck_assert_str_eq (rec (d, 11)->text, "2011-01-05T15:26:00Z");
  ck_assert_uint_eq (rec (d, 12)->storage_number, 3);
  ck_assert_uint_eq (rec (d, 13)->storage_number, 32);
  ck_assert_uint_eq (rec (d, 13)->tariff, 2);
  ck_assert_uint_eq (rec (d, 13)->subunit, 2);
  ck_assert_double_eq_tol (rec (d, 14)->number, 2.345, 1e-12);
  ck_assert_str_eq (rec (d, 15)->text, "02 01");
  ck_assert (!d->more_follows);
}
END_TEST

START_TEST (test_data_special_difs)
{
  g_autoptr (MbusData) d = decode_ok ("2F 2F 04 13 01 00 00 00 2F 1F 01 02 03");
  g_autofree gchar *json = mbus_json_render (d, FALSE);

  ck_assert_uint_eq (d->records->len, 2);
  ck_assert_int_eq (rec (d, 1)->function, MBUS_FUNCTION_MORE_FOLLOWS);
  ck_assert_str_eq (rec (d, 1)->text, "01 02 03");
  ck_assert (d->more_follows);
  ck_assert_ptr_nonnull (strstr (json, "\"manufacturer\":\"LRS\""));
  ck_assert_ptr_nonnull (strstr (json, "\"records\":[{\"storage_number\":0"));
}
END_TEST

/* frames that must fail, with the exact code */
static const struct
{
  const gchar *name;
  const gchar *hex;
  gint code;
} bad_frames[] = {
  { "empty", "", LERS_ERROR_INVALID_DATA },
  { "bad start byte", "20 01 02 03 16", LERS_ERROR_INVALID_DATA },
  { "ack with trailing byte", "E5 E5", LERS_ERROR_INVALID_DATA },
  { "short frame truncated", "10 40 01 41", LERS_ERROR_INVALID_DATA },
  { "short frame too long", "10 40 01 41 16 16", LERS_ERROR_INVALID_DATA },
  { "short frame bad checksum", "10 40 01 42 16", LERS_ERROR_CHECKSUM },
  { "short frame bad stop byte", "10 40 01 41 17", LERS_ERROR_INVALID_DATA },
  { "long frame header truncated", "68 03", LERS_ERROR_INVALID_DATA },
  { "long frame truncated", "68 05 05 68 08 01 72 00", LERS_ERROR_INVALID_DATA },
  { "long frame L fields differ", "68 03 04 68 08 01 72 7B 16", LERS_ERROR_INVALID_DATA },
  { "long frame L below 3", "68 02 02 68 08 01 09 16", LERS_ERROR_INVALID_DATA },
  { "long frame second start byte", "68 03 03 69 08 01 72 7B 16", LERS_ERROR_INVALID_DATA },
  { "long frame bad checksum", "68 03 03 68 08 01 72 7C 16", LERS_ERROR_CHECKSUM },
  { "long frame bad stop byte", "68 03 03 68 08 01 72 7B 17", LERS_ERROR_INVALID_DATA },
  { "long frame trailing byte", "68 03 03 68 08 01 72 7B 16 00", LERS_ERROR_INVALID_DATA },
  { "long frame longer than L", "68 03 03 68 08 01 72 00 7B 16", LERS_ERROR_INVALID_DATA },
  { "no application data (short frame)", "10 08 01 09 16", LERS_ERROR_INVALID_DATA },
  { "header too short", "68 05 05 68 08 01 72 78 56 49 16", LERS_ERROR_INVALID_DATA },
  { "select is not a response", "68 0B 0B 68 53 FD 52 78 56 34 12 FF FF FF FF B2 16",
    LERS_ERROR_NOT_SUPPORTED },
  { "application error", "68 04 04 68 08 01 70 08 81 16", LERS_ERROR_FAILED },
};

/* records (inside a valid RSP_UD) that must fail */
static const struct
{
  const gchar *name;
  const gchar *records;
  gint code;
} bad_records[] = {
  { "11 DIFEs", "84 80 80 80 80 80 80 80 80 80 80 00 13 00 00 00 00", LERS_ERROR_INVALID_DATA },
  { "10 DIFEs, last one open", "84 80 80 80 80 80 80 80 80 80 80", LERS_ERROR_INVALID_DATA },
  { "11 VIFEs", "04 93 80 80 80 80 80 80 80 80 80 80 00 00 00 00 00", LERS_ERROR_INVALID_DATA },
  { "DIFE missing", "84", LERS_ERROR_INVALID_DATA },
  { "VIF missing", "04", LERS_ERROR_INVALID_DATA },
  { "VIFE missing", "04 93", LERS_ERROR_INVALID_DATA },
  { "data truncated", "04 13 00 00", LERS_ERROR_INVALID_DATA },
  { "plain-text VIF overruns", "02 FC 09 41 42 00 00", LERS_ERROR_INVALID_DATA },
  { "variable length overruns", "0D 13 05 41", LERS_ERROR_INVALID_DATA },
  { "reserved variable length", "0D 13 F8 00", LERS_ERROR_INVALID_DATA },
  { "reserved special DIF", "3F 00", LERS_ERROR_INVALID_DATA },
};

START_TEST (test_bad_frames)
{
  for (guint i = 0; i < G_N_ELEMENTS (bad_frames); i++)
    {
      g_autoptr (GBytes) b = hex (bad_frames[i].hex);
      g_autoptr (GError) error = NULL;
      g_autoptr (MbusData) d
          = mbus_data_decode (g_bytes_get_data (b, NULL), g_bytes_get_size (b), &error);
      ck_assert_msg (d == NULL, "%s: decoded", bad_frames[i].name);
      ck_assert_msg (g_error_matches (error, LERS_ERROR, bad_frames[i].code),
                     "%s: expected code %d, got %s %d (%s)", bad_frames[i].name, bad_frames[i].code,
                     g_quark_to_string (error->domain), error->code, error->message);
    }
}
END_TEST

START_TEST (test_bad_records)
{
  for (guint i = 0; i < G_N_ELEMENTS (bad_records); i++)
    {
      g_autoptr (GBytes) f = rsp_ud (bad_records[i].records);
      g_autoptr (GError) error = NULL;
      g_autoptr (MbusData) d
          = mbus_data_decode (g_bytes_get_data (f, NULL), g_bytes_get_size (f), &error);
      ck_assert_msg (d == NULL, "%s: decoded", bad_records[i].name);
      ck_assert_msg (g_error_matches (error, LERS_ERROR, bad_records[i].code),
                     "%s: expected code %d, got %d (%s)", bad_records[i].name, bad_records[i].code,
                     error->code, error->message);
    }
}
END_TEST

START_TEST (test_truncations)
{
  /* every proper prefix of a good frame fails with INVALID_DATA, never crashes */
  g_autoptr (GBytes) f = rsp_ud ("04 13 01 00 00 00 02 59 10 27 0D FD 11 02 41 42");
  gsize n = g_bytes_get_size (f);
  const guint8 *b = g_bytes_get_data (f, NULL);

  for (gsize len = 0; len < n; len++)
    {
      g_autoptr (GError) error = NULL;
      g_autoptr (MbusData) d = mbus_data_decode (b, len, &error);
      ck_assert_ptr_null (d);
      ck_assert_msg (g_error_matches (error, LERS_ERROR, LERS_ERROR_INVALID_DATA),
                     "prefix %" G_GSIZE_FORMAT ": %s", len, error->message);
    }
}
END_TEST

START_TEST (test_hex_reader)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (GBytes) b = mbus_hex_to_bytes (" 68 0a\n\t0A  ", &error);

  ck_assert_ptr_nonnull (b);
  ck_assert_uint_eq (g_bytes_get_size (b), 3);
  ck_assert_ptr_null (mbus_hex_to_bytes ("6", &error));
  ck_assert_ptr_null (mbus_hex_to_bytes ("6G", NULL));
}
END_TEST

int
main (int argc, char **argv)
{
  Suite *s = suite_create ("mbus-frame");
  TCase *tc = tcase_create ("frame");

  lers_check_init (&argc, &argv);
  tcase_add_test (tc, test_frame_builders);
  tcase_add_test (tc, test_frame_parse_roundtrip);
  tcase_add_test (tc, test_data_codings);
  tcase_add_test (tc, test_data_durations);
  tcase_add_test (tc, test_data_special_difs);
  tcase_add_test (tc, test_bad_frames);
  tcase_add_test (tc, test_bad_records);
  tcase_add_test (tc, test_truncations);
  tcase_add_test (tc, test_hex_reader);
  suite_add_tcase (s, tc);
  return lers_check_run_suite (s);
}
