/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Meter clocks keep local time: type F and G dates read in the meter's
 * zone, the summer-time flag (SU) telling apart the two 02:xx of the
 * autumn change. The telegram bytes are worked out by hand from
 * EN 13757-3 Annex A:
 *
 *   type F, 4 bytes: minute | IV<<7;  hour | hundred-years<<5 | SU<<7;
 *                    day | (year & 7)<<5;  month | (year & 0x78)<<1
 *   type G, 2 bytes: day | (year & 7)<<5;  month | (year & 0x78)<<1
 *
 * 2026: year 26 = 0b0011010, year & 7 = 2 (0x40 in the day byte),
 * year & 0x78 = 24 (0x30 in the month byte), hundred-years (2026-1900)/100
 * = 1 (0x20 in the hour byte).
 */
#include <check.h>

#include "lers-check.h"
#include "mbus-data.h"
#include "mbus-frame.h"

/* one RSP_UD with the fixed header and the given records */
static MbusData *
decode_records (const guint8 *records, gsize len)
{
  static const guint8 header[] = {
    0x78, 0x56, 0x34, 0x12, /* identification 12345678 */
    0x53, 0x32,             /* manufacturer LRS */
    0x01, 0x04,             /* version, medium heat */
    0x01, 0x00, 0x00, 0x00, /* access number, status, signature */
  };
  g_autoptr (GByteArray) user = g_byte_array_new ();
  g_autoptr (GBytes) frame = NULL;
  g_autoptr (GError) error = NULL;
  MbusData *data;

  g_byte_array_append (user, header, sizeof header);
  g_byte_array_append (user, records, (guint) len);
  frame = mbus_frame_build_long (MBUS_C_RSP_UD, 5, MBUS_CI_RESPONSE_LONG, user->data, user->len);
  data = mbus_data_decode (g_bytes_get_data (frame, NULL), g_bytes_get_size (frame), &error);
  lers_check_assert_no_error (error);
  ck_assert_ptr_nonnull (data);
  return data;
}

static void
assert_local_time (const MbusRecord *rec, const gchar *zone_name, const gchar *expected_utc)
{
  g_autoptr (GTimeZone) zone = lers_time_zone_new (zone_name, NULL);
  g_autoptr (GDateTime) t = mbus_record_dup_local_time_point (rec, zone);
  g_autofree gchar *got = t != NULL ? g_date_time_format (t, "%Y-%m-%dT%H:%M:%SZ") : NULL;

  ck_assert_ptr_nonnull (zone);
  ck_assert_msg (g_strcmp0 (got, expected_utc) == 0, "%s in %s: got %s, expected %s", rec->text,
                 zone_name, got, expected_utc);
}

START_TEST (test_vladivostok_meter)
{
  static const guint8 records[] = {
    /* storage 0, type F: 2026-11-24 11:00 */
    0x04,
    0x6D,
    0x00,
    0x2B,
    0x58,
    0x3B,
    /* storage 0, type G: 2026-11-24 */
    0x02,
    0x6C,
    0x58,
    0x3B,
  };
  g_autoptr (MbusData) data = decode_records (records, sizeof records);

  ck_assert_uint_eq (data->records->len, 2);
  /* 11:00+10 = 01:00Z */
  assert_local_time (g_ptr_array_index (data->records, 0), "Asia/Vladivostok",
                     "2026-11-24T01:00:00Z");
  /* the date is local midnight: 00:00+10 = 14:00Z the day before */
  assert_local_time (g_ptr_array_index (data->records, 1), "Asia/Vladivostok",
                     "2026-11-23T14:00:00Z");
  /* the same bytes from a meter keeping UTC */
  assert_local_time (g_ptr_array_index (data->records, 0), "UTC", "2026-11-24T11:00:00Z");
}
END_TEST

START_TEST (test_berlin_autumn_summer_flag)
{
  static const guint8 records[] = {
    /* storage 1: 2026-10-25 02:00, SU set (hour byte 0x02 | 0x20 | 0x80) */
    0x44,
    0x6D,
    0x00,
    0xA2,
    0x59,
    0x3A,
    /* storage 2: 2026-10-25 02:00, SU clear */
    0x84,
    0x01,
    0x6D,
    0x00,
    0x22,
    0x59,
    0x3A,
    /* storage 3: 2026-10-25 01:00, SU set */
    0xC4,
    0x01,
    0x6D,
    0x00,
    0xA1,
    0x59,
    0x3A,
    /* storage 4: 2026-10-25 03:00, SU clear */
    0x84,
    0x02,
    0x6D,
    0x00,
    0x23,
    0x59,
    0x3A,
  };
  g_autoptr (MbusData) data = decode_records (records, sizeof records);
  const MbusRecord *summer = g_ptr_array_index (data->records, 0);
  const MbusRecord *winter = g_ptr_array_index (data->records, 1);

  ck_assert_uint_eq (data->records->len, 4);
  ck_assert_uint_eq (summer->storage_number, 1);
  ck_assert_uint_eq (winter->storage_number, 2);
  ck_assert (summer->summer_time);
  ck_assert (!winter->summer_time);
  /* the clocks go back at 03:00+02 = 01:00Z: 02:00 summer time is
   * 00:00Z, 02:00 winter time is 01:00Z; one hour apart, none lost */
  assert_local_time (summer, "Europe/Berlin", "2026-10-25T00:00:00Z");
  assert_local_time (winter, "Europe/Berlin", "2026-10-25T01:00:00Z");
  /* 01:00+02 = 23:00Z the day before; 03:00+01 = 02:00Z */
  assert_local_time (g_ptr_array_index (data->records, 2), "Europe/Berlin", "2026-10-24T23:00:00Z");
  assert_local_time (g_ptr_array_index (data->records, 3), "Europe/Berlin", "2026-10-25T02:00:00Z");
}
END_TEST

START_TEST (test_berlin_spring_gap)
{
  static const guint8 records[] = {
    /* 2026-03-29 02:30, SU clear: minute 0x1E, hour 0x22, day 29 | 0x40,
     * month 3 | 0x30 */
    0x04,
    0x6D,
    0x1E,
    0x22,
    0x5D,
    0x33,
    /* 2026-03-29 03:30, SU set */
    0x04,
    0x6D,
    0x1E,
    0xA3,
    0x5D,
    0x33,
  };
  g_autoptr (MbusData) data = decode_records (records, sizeof records);

  /* 02:30 does not exist that night (02:00+01 jumps to 03:00+02 at
   * 01:00Z): the meter has not moved its clock yet, 02:30+01 = 01:30Z,
   * the same instant as 03:30+02 */
  assert_local_time (g_ptr_array_index (data->records, 0), "Europe/Berlin", "2026-03-29T01:30:00Z");
  assert_local_time (g_ptr_array_index (data->records, 1), "Europe/Berlin", "2026-03-29T01:30:00Z");
}
END_TEST

int
main (int argc, char **argv)
{
  Suite *s = suite_create ("mbus-localtime");
  TCase *tc = tcase_create ("localtime");

  lers_check_init (&argc, &argv);
  tcase_add_test (tc, test_vladivostok_meter);
  tcase_add_test (tc, test_berlin_autumn_summer_flag);
  tcase_add_test (tc, test_berlin_spring_gap);
  suite_add_tcase (s, tc);
  return lers_check_run_suite (s);
}
