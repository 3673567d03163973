/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * A real ВКТ-7's traffic, logged by a third party (replay-02-vodopad.txt:
 * the vodopad project's dispatcher log of 2016-02-09): every frame checks
 * out; our builders make the same requests; our decoders read the meter's
 * answers to the values worked out by hand below. vodopad's driver asks
 * other lists than ours (all active elements; the fraction digits without
 * the units), so the log cannot drive our session; the units are taken as
 * the document's example (p. 27) shows them: °C, м3, т, Гкал, ч.
 */
#include <check.h>
#include <math.h>
#include <string.h>

#include "lers-check.h"
#include "vkt7-data.h"
#include "vkt7-frame.h"
#include "vkt7-test-util.h"

typedef struct
{
  GPtrArray *tx, *rx; /* GBytes */
} Log;

static void
log_load (Log *log)
{
  g_autofree gchar *text = NULL;
  g_auto (GStrv) lines = NULL;

  ck_assert (g_file_get_contents (VKT7_TEST_DIR "/replay-02-vodopad.txt", &text, NULL, NULL));
  log->tx = g_ptr_array_new_with_free_func ((GDestroyNotify) g_bytes_unref);
  log->rx = g_ptr_array_new_with_free_func ((GDestroyNotify) g_bytes_unref);
  lines = g_strsplit (text, "\n", -1);
  for (guint i = 0; lines[i] != NULL; i++)
    if (lines[i][0] == '>')
      g_ptr_array_add (log->tx, vkt7_test_hex (lines[i] + 1));
    else if (lines[i][0] == '<')
      g_ptr_array_add (log->rx, vkt7_test_hex (lines[i] + 1));
  ck_assert_uint_eq (log->tx->len, 15);
  ck_assert_uint_eq (log->rx->len, 15);
}

static void
log_clear (Log *log)
{
  g_ptr_array_unref (log->tx);
  g_ptr_array_unref (log->rx);
}

static void
reply (Log *log, guint i, Vkt7Frame *f)
{
  GBytes *b = g_ptr_array_index (log->rx, i);
  g_autoptr (GError) error = NULL;

  ck_assert_msg (vkt7_parse_reply (g_bytes_get_data (b, NULL), g_bytes_get_size (b), f, &error),
                 "answer %u: %s", i, error ? error->message : "");
}

START_TEST (test_frames_check_out)
{
  Log log;

  log_load (&log);
  for (guint i = 0; i < log.tx->len; i++)
    {
      GBytes *t = g_ptr_array_index (log.tx, i);
      const guint8 *p = g_bytes_get_data (t, NULL);
      gsize n = g_bytes_get_size (t);
      Vkt7Frame f;

      /* every request after FF FF; CRC-16 over the rest */
      ck_assert (p[0] == 0xFF && p[1] == 0xFF);
      ck_assert_uint_eq (vkt7_crc16 (p + 2, n - 4), (guint) (p[n - 2] | p[n - 1] << 8));
      reply (&log, i, &f);
      ck_assert (!f.exception);
    }
  log_clear (&log);
}
END_TEST

static void
assert_request (Log *log, guint i, GBytes *ours)
{
  g_autoptr (GBytes) owned = ours;
  g_autoptr (GBytes) woken = vkt7_with_wakeup (owned);

  ck_assert_msg (g_bytes_equal (woken, g_ptr_array_index (log->tx, i)), "request %u differs", i);
}

START_TEST (test_same_requests)
{
  static const guint8 start[4] = { 0x80, 0, 0, 0 };
  static const guint8 type6[2] = { 6, 0 }, type4[2] = { 4, 0 }, type5[2] = { 5, 0 };
  Vkt7Item digits[20];
  g_autoptr (GArray) active = NULL;
  g_autoptr (GBytes) list = NULL;
  g_autoptr (GBytes) dlist = NULL;
  Log log;
  Vkt7Frame f;

  log_load (&log);
  for (guint i = 0; i < 20; i++)
    digits[i].id = 57 + i, digits[i].size = 1;
  dlist = vkt7_list_encode (digits, 20);
  assert_request (&log, 0, vkt7_build_write_n (0, VKT7_REG_LIST, 0xCC, start, 4));
  assert_request (&log, 1, vkt7_build_write (0, VKT7_REG_TYPE, type6, 2));
  assert_request (&log, 2,
                  vkt7_build_write (0, VKT7_REG_LIST, g_bytes_get_data (dlist, NULL),
                                    g_bytes_get_size (dlist)));
  assert_request (&log, 3, vkt7_build_read (0, VKT7_REG_DATA, 0));
  assert_request (&log, 4, vkt7_build_write (0, VKT7_REG_TYPE, type4, 2));
  assert_request (&log, 5, vkt7_build_read (0, VKT7_REG_ACTIVE, 0));
  /* the meter's active list, written back as the read-list: the same bytes */
  reply (&log, 5, &f);
  active = vkt7_active_parse (f.data, f.data_len, NULL);
  ck_assert_uint_eq (active->len, 17);
  list = vkt7_list_encode ((Vkt7Item *) active->data, active->len);
  assert_request (
      &log, 6,
      vkt7_build_write (0, VKT7_REG_LIST, g_bytes_get_data (list, NULL), g_bytes_get_size (list)));
  assert_request (&log, 8, vkt7_build_write (0, VKT7_REG_TYPE, type5, 2));
  /* the acknowledgements the document shows (с. 27) */
  vkt7_test_assert_bytes (g_ptr_array_index (log.rx, 0), "00 10 3F FF 00 00 FD FC");
  log_clear (&log);
}
END_TEST

static GArray *
decode (Log *log, guint i, const Vkt7Properties *props)
{
  g_autoptr (GArray) active = NULL;
  g_autoptr (GError) error = NULL;
  GArray *values;
  Vkt7Frame f;

  reply (log, 5, &f);
  active = vkt7_active_parse (f.data, f.data_len, NULL);
  reply (log, i, &f);
  values = vkt7_values_parse (props, (Vkt7Item *) active->data, active->len, f.data, f.data_len,
                              &error);
  ck_assert_msg (values != NULL, "%s", error ? error->message : "");
  return values;
}

static const Vkt7Value *
value_of (GArray *values, guint id)
{
  for (guint i = 0; i < values->len; i++)
    if (g_array_index (values, Vkt7Value, i).id == id)
      return &g_array_index (values, Vkt7Value, i);
  ck_abort_msg ("no element %u", id);
  return NULL;
}

START_TEST (test_values)
{
  Log log;
  Vkt7Properties props;
  g_autoptr (GArray) current = NULL;
  g_autoptr (GArray) totals = NULL;
  Vkt7Frame f;

  log_load (&log);
  vkt7_properties_init (&props);
  /* the meter's fraction digits: 20 × (digits, C0, 00) for 57…76 */
  reply (&log, 3, &f);
  ck_assert_uint_eq (f.data_len, 60);
  ck_assert_uint_eq (f.data[0], 2);      /* t: 57 */
  ck_assert_uint_eq (f.data[2 * 3], 2);  /* V1: 59 */
  ck_assert_uint_eq (f.data[3 * 3], 2);  /* M1: 60 */
  ck_assert_uint_eq (f.data[9 * 3], 3);  /* Q1: 66 */
  ck_assert_uint_eq (f.data[19 * 3], 3); /* Q2: 76 */
  props.digits[VKT7_SCALE_T] = 2, props.digits[VKT7_SCALE_V1] = 2;
  props.digits[VKT7_SCALE_M1] = 2, props.digits[VKT7_SCALE_P] = 2;
  props.digits[VKT7_SCALE_Q1] = 3;
  props.units[VKT7_UNIT_T] = g_strdup ("°C");
  props.units[VKT7_UNIT_V] = g_strdup ("м3");
  props.units[VKT7_UNIT_M] = g_strdup ("т");
  props.units[VKT7_UNIT_Q] = g_strdup ("Гкал");
  props.units[VKT7_UNIT_G] = g_strdup ("м3/ч");
  props.units[VKT7_UNIT_HOURS] = g_strdup ("ч");

  /* current values (answer 7):
   *   t1 93 1B C0 00: 0x1B93 = 7059 → 70.59 °C; t2 6C 12: 4716 → 47.16 °C
   *   dt 27 09: 2343 → 23.43 = 70.59 − 47.16
   *   V1 … quality 04: not a current value
   *   G1 39 04 18 40: IEEE 754 0x40180439 = 2.37526 m³/h
   *   NS Тв1 20: " ", no НС */
  current = decode (&log, 7, &props);
  ck_assert_double_eq_tol (value_of (current, 0)->value, 70.59, 1e-9);
  ck_assert_double_eq_tol (value_of (current, 1)->value, 47.16, 1e-9);
  ck_assert_double_eq_tol (value_of (current, 14)->value, 23.43, 1e-9);
  ck_assert_uint_eq (value_of (current, 3)->quality, VKT7_Q_ABSENT);
  ck_assert_double_eq_tol (value_of (current, 19)->value, 2.37526, 1e-5);
  ck_assert (!value_of (current, 77)->ns_flag);
  ck_assert_uint_eq (value_of (current, 77)->quality, VKT7_Q_GOOD);

  /* totals (answer 11):
   *   V1 82 43 2B 00: 0x2B4382 = 2835330 → 28353.30 m³
   *   M1 DA 3A 2A 00: 0x2A3ADA = 2767578 → 27675.78 t
   *   M2 DB 21 2A 00: 0x2A21DB = 2761179 → 27611.79 t
   *   Mг FF 18 00 00: 6399 → 63.99 t = M1 − M2
   *   Qо 1A F9 0A 00: 0x0AF91A = 719130 → 719.130 Gcal
   *   ВНР BE 48 00 00: 18622 h; ВОС 02 00 00 00: 2 h
   *   t1 … quality 04: not a total */
  totals = decode (&log, 11, &props);
  ck_assert_double_eq_tol (value_of (totals, 3)->value, 28353.30, 1e-6);
  ck_assert_double_eq_tol (value_of (totals, 6)->value, 27675.78, 1e-6);
  ck_assert_double_eq_tol (value_of (totals, 7)->value, 27611.79, 1e-6);
  ck_assert_double_eq_tol (value_of (totals, 11)->value, 63.99, 1e-9);
  ck_assert_double_eq_tol (value_of (totals, 12)->value, 719.130, 1e-9);
  ck_assert_double_eq_tol (value_of (totals, 17)->value, 18622, 1e-9);
  ck_assert_double_eq_tol (value_of (totals, 18)->value, 2, 1e-9);
  ck_assert_uint_eq (value_of (totals, 0)->quality, VKT7_Q_ABSENT);

  /* the clock (answer 12): 09 02 10 10 09 33 → 09.02.2016 16:09:51; the
   * request was vodopad's short form "00 03 3F FB" + CRC, which the meter
   * answered all the same */
  reply (&log, 12, &f);
  ck_assert_uint_eq (f.data_len, 8);
  ck_assert_uint_eq (f.data[0], 9);
  ck_assert_uint_eq (f.data[2], 16);
  ck_assert_uint_eq (f.data[5], 51);
  vkt7_properties_clear (&props);
  log_clear (&log);
}
END_TEST

int
main (int argc, char **argv)
{
  Suite *s = suite_create ("vkt7-vodopad");
  TCase *tc = tcase_create ("vodopad");

  lers_check_init (&argc, &argv);
  tcase_add_test (tc, test_frames_check_out);
  tcase_add_test (tc, test_same_requests);
  tcase_add_test (tc, test_values);
  suite_add_tcase (s, tc);
  return lers_check_run_suite (s);
}
