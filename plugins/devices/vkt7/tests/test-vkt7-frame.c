/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Frames, checksums and codecs against the vectors of ../shared/PROTOCOLS.md
 * §2.3 and the ready-made frames of the vendor's document "Реализация
 * протокола обмена для связи с вычислителем ВКТ-7" (30 pages; page numbers
 * below are the document's "с. N").
 */
#include <check.h>
#include <math.h>
#include <string.h>

#include "lers-check.h"
#include "lers-vkt7-session.h"
#include "vkt7-data.h"
#include "vkt7-events.h"
#include "vkt7-frame.h"
#include "vkt7-test-util.h"

/* the properties exchange of с. 27 */
#define DOC_PROPS_LIST                                                                             \
  "00 10 3F FF 00 00 60 2C 00 00 40 07 00 2D 00 00 40 07 00 2E 00 00 40 07 00 2F 00 00 40 07 00 "  \
  "30 00 00 40 07 00 35 00 00 40 07 00 37 00 00 40 07 00 38 00 00 40 07 00 39 00 00 40 01 00 3B "  \
  "00 00 40 01 00 3C 00 00 40 01 00 3D 00 00 40 01 00 42 00 00 40 01 00 46 00 00 40 01 00 45 00 "  \
  "00 40 01 00 4C 00 00 40 01 00 8C 75"
#define DOC_PROPS_ACK "00 10 3F FF 00 00 FD FC"
#define DOC_PROPS_REPLY                                                                            \
  "00 03 4F "                                                                                      \
  "02 00 F8 43 C0 00 04 00 AC 33 2F E7 C0 00 03 00 20 AC 33 C0 00 02 00 20 E2 C0 00 "              \
  "06 00 AA A3 2F E1 AC 32 C0 00 04 00 83 AA A0 AB C0 00 01 00 E7 C0 00 01 00 E7 C0 00 "           \
  "02 C0 00 02 C0 00 02 C0 00 02 C0 00 03 C0 00 02 C0 00 02 C0 00 03 C0 00 B8 33"

static void
assert_frame (GBytes *got, const gchar *hex)
{
  g_autoptr (GBytes) owned = got;
  vkt7_test_assert_bytes (owned, hex);
}

START_TEST (test_builders)
{
  static const guint8 start[4] = { 0x80, 0, 0, 0 };
  static const guint8 daily[2] = { 1, 0 };
  static const guint8 date[4] = { 30, 1, 3, 0 }; /* 30.01.2003 0 h */
  Vkt7Item two[2] = { { 0, 2 }, { 3, 4 } };      /* t1 Тв1 size 2, V1 Тв1 size 4 */
  g_autoptr (GBytes) list = vkt7_list_encode (two, 2);
  g_autoptr (GBytes) props = vkt7_properties_list ();

  /* PROTOCOLS.md §2.3 and с. 13–18 */
  assert_frame (vkt7_build_write_n (0, VKT7_REG_LIST, 0xCC, start, 4),
                "00 10 3F FF 00 00 CC 80 00 00 00 64 54");
  assert_frame (vkt7_build_read (0, VKT7_REG_DATA, 0), "00 03 3F FE 00 00 29 FF");
  assert_frame (vkt7_build_read (0, VKT7_REG_ACTIVE, 0), "00 03 3F FC 00 00 88 3F");
  assert_frame (vkt7_build_write (0, VKT7_REG_TYPE, daily, 2), "00 10 3F FD 00 00 02 01 00 71 42");
  assert_frame (vkt7_build_write (0, VKT7_REG_DATE, date, 4),
                "00 10 3F FB 00 00 04 1E 01 03 00 FA AF");
  assert_frame (
      vkt7_build_write (0, VKT7_REG_LIST, g_bytes_get_data (list, NULL), g_bytes_get_size (list)),
      "00 10 3F FF 00 00 0C 00 00 00 40 02 00 03 00 00 40 04 00 A2 5C");
  /* с. 17, 19, 20, 22 */
  assert_frame (vkt7_build_read (0, VKT7_REG_SERVICE, 0), "00 03 3F F9 00 00 98 3E");
  assert_frame (vkt7_build_read (0, VKT7_REG_RANGE, 0), "00 03 3F F6 00 00 A8 3D");
  assert_frame (vkt7_build_read (0, VKT7_REG_SCHEME1, 1), "00 03 3E CD 00 01 19 CC");
  assert_frame (vkt7_build_read (0, VKT7_REG_DATE, 0), "00 03 3F FB 00 00 39 FE");
  assert_frame (vkt7_build_read (0, 0x3EA6, 8), "00 03 3E A6 00 08 A8 16");
  assert_frame (vkt7_build_read (0, 0x3FEE, 0), "00 03 3F EE 00 00 28 3A");
  /* с. 27: the properties read-list, its acknowledgement */
  assert_frame (
      vkt7_build_write (0, VKT7_REG_LIST, g_bytes_get_data (props, NULL), g_bytes_get_size (props)),
      DOC_PROPS_LIST);
  assert_frame (vkt7_build_write_ack (0, VKT7_REG_LIST, 0), DOC_PROPS_ACK);
  /* wake-up: two FF in front (с. 9, the note; vodopad's driver.vb sends
   * "FF FF 00 10 3F FF 00 00 CC 80 00 00 00 64 54") */
  {
    g_autoptr (GBytes) s = vkt7_build_write_n (0, VKT7_REG_LIST, 0xCC, start, 4);
    assert_frame (vkt7_with_wakeup (s), "FF FF 00 10 3F FF 00 00 CC 80 00 00 00 64 54");
  }
}
END_TEST

START_TEST (test_document_crcs)
{
  /* every ready-made frame of the document checks out (с. 13–27); the
   * "active database" one is printed "00 03 3f ed 00 01 58 3b" where the
   * text says 3FE9 (с. 20): its CRC is that of 3FE9 */
  static const gchar *const frames[] = {
    "00 03 3f e9 00 01 58 3b",
    "00 10 3f ee 00 00 01 00 01 43 b1",
    DOC_PROPS_ACK,
  };
  for (guint i = 0; i < G_N_ELEMENTS (frames); i++)
    {
      g_autoptr (GBytes) b = vkt7_test_hex (frames[i]);
      gsize n = 0;
      const guint8 *p = g_bytes_get_data (b, &n);

      ck_assert_uint_eq (vkt7_crc16 (p, n - 2), (guint) (p[n - 2] | p[n - 1] << 8));
    }
}
END_TEST

START_TEST (test_properties_reply)
{
  g_autoptr (GBytes) reply = vkt7_test_hex (DOC_PROPS_REPLY);
  g_autoptr (GError) error = NULL;
  Vkt7Properties props;
  Vkt7Frame f;
  gdouble factor = 0;

  ck_assert (
      vkt7_parse_reply (g_bytes_get_data (reply, NULL), g_bytes_get_size (reply), &f, &error));
  ck_assert_uint_eq (f.data_len, 0x4F);
  vkt7_properties_init (&props);
  props.server_version = 1;
  ck_assert (vkt7_properties_parse (&props, f.data, f.data_len, &error));
  /* с. 27: °C, м3/ч, м3, т, кг/см2, Гкал, ч; digits 2 2 2 2 3 2 2 3 */
  ck_assert_str_eq (props.units[VKT7_UNIT_T], "°C");
  ck_assert_str_eq (props.units[VKT7_UNIT_G], "м3/ч");
  ck_assert_str_eq (props.units[VKT7_UNIT_V], "м3");
  ck_assert_str_eq (props.units[VKT7_UNIT_M], "т");
  ck_assert_str_eq (props.units[VKT7_UNIT_P], "кг/см2");
  ck_assert_str_eq (props.units[VKT7_UNIT_Q], "Гкал");
  ck_assert_str_eq (props.units[VKT7_UNIT_HOURS], "ч");
  ck_assert_int_eq (props.digits[VKT7_SCALE_T], 2);
  ck_assert_int_eq (props.digits[VKT7_SCALE_V1], 2);
  ck_assert_int_eq (props.digits[VKT7_SCALE_M1], 2);
  ck_assert_int_eq (props.digits[VKT7_SCALE_P], 2);
  ck_assert_int_eq (props.digits[VKT7_SCALE_Q1], 3);
  ck_assert_int_eq (props.digits[VKT7_SCALE_M2], 2);
  ck_assert_int_eq (props.digits[VKT7_SCALE_V2], 2);
  ck_assert_int_eq (props.digits[VKT7_SCALE_Q2], 3);
  /* 1 kgf/cm² = 0.0980665 MPa (the definition of the kilogram-force) */
  ck_assert (vkt7_unit_factor (VKT7_UNIT_P, props.units[VKT7_UNIT_P], &factor));
  ck_assert_double_eq_tol (factor, 0.0980665, 1e-9);
  /* 1 GJ = 1/4.1868 Gcal; 1 MWh = 1/1.163 Gcal */
  ck_assert (vkt7_unit_factor (VKT7_UNIT_Q, "ГДж", &factor));
  ck_assert_double_eq_tol (factor, 0.238846, 1e-6);
  ck_assert (vkt7_unit_factor (VKT7_UNIT_Q, "МВт*ч", &factor));
  ck_assert_double_eq_tol (factor, 0.859845, 1e-6);
  ck_assert (!vkt7_unit_factor (VKT7_UNIT_Q, "furlong", &factor));
  vkt7_properties_clear (&props);
}
END_TEST

START_TEST (test_values)
{
  /* worked by hand, digits t=2 V1=2 P=2 Q1=3, units of с. 27:
   *   t1 Тв1  33 22 C0 00           0x2233 = 8755 → 87.55 °C
   *   V1 Тв1  A0 86 01 00 50 03     0x000186A0 = 100000 → 1000.00 m³, НС 3
   *   P1 Тв1  58 02 0C 00           600 → 6.00 kgf/cm² = 0.588399 MPa, out of range
   *   ta      18 FC C0 FF           −1000 → −10.00 °C, НС elsewhere
   *   G1 Тв1  00 00 20 41 C0 00     IEEE 754 0x41200000 = 10.0 m³/h
   *   Qо Тв1  39 30 00 00 C0 00     12345 → 12.345 Gcal
   *   NS Тв1  2A C0 00              "*"
   *   QntNS1  01 00 02 00 00 00 00 00 05 00 C0 00
   *   t2 Тв2  00 00 04 00           absent from the scheme */
  static const guint8 data[]
      = { 0x33, 0x22, 0xC0, 0x00, 0xA0, 0x86, 0x01, 0x00, 0x50, 0x03, 0x58, 0x02, 0x0C,
          0x00, 0x18, 0xFC, 0xC0, 0xFF, 0x00, 0x00, 0x20, 0x41, 0xC0, 0x00, 0x39, 0x30,
          0x00, 0x00, 0xC0, 0x00, 0x2A, 0xC0, 0x00, 0x01, 0x00, 0x02, 0x00, 0x00, 0x00,
          0x00, 0x00, 0x05, 0x00, 0xC0, 0x00, 0x00, 0x00, 0x04, 0x00 };
  Vkt7Item items[] = { { 0, 2 },  { 3, 4 },  { 9, 2 },   { 16, 2 }, { 19, 4 },
                       { 12, 4 }, { 77, 1 }, { 79, 10 }, { 23, 2 } };
  Vkt7Properties props;
  g_autoptr (GError) error = NULL;
  g_autoptr (GArray) v = NULL;

  vkt7_properties_init (&props);
  props.units[VKT7_UNIT_T] = g_strdup ("°C");
  props.units[VKT7_UNIT_V] = g_strdup ("м3");
  props.units[VKT7_UNIT_P] = g_strdup ("кг/см2");
  props.units[VKT7_UNIT_G] = g_strdup ("м3/ч");
  props.units[VKT7_UNIT_Q] = g_strdup ("Гкал");
  props.digits[VKT7_SCALE_T] = 2, props.digits[VKT7_SCALE_V1] = 2;
  props.digits[VKT7_SCALE_P] = 2, props.digits[VKT7_SCALE_Q1] = 3;
  v = vkt7_values_parse (&props, items, G_N_ELEMENTS (items), data, sizeof data, &error);
  ck_assert_msg (v != NULL, "%s", error ? error->message : "");
  ck_assert_uint_eq (v->len, 9);
#define V(i) (&g_array_index (v, Vkt7Value, i))
  ck_assert_double_eq_tol (V (0)->value, 87.55, 1e-9);
  ck_assert_uint_eq (V (0)->quality, VKT7_Q_GOOD);
  ck_assert_double_eq_tol (V (1)->value, 1000.0, 1e-9);
  ck_assert_uint_eq (V (1)->quality, VKT7_Q_NS);
  ck_assert_uint_eq (V (1)->ns, 3);
  ck_assert_double_eq_tol (V (2)->value, 0.588399, 1e-6);
  ck_assert_uint_eq (V (2)->quality, VKT7_Q_OUT_OF_RANGE);
  ck_assert_double_eq_tol (V (3)->value, -10.0, 1e-9);
  ck_assert_uint_eq (V (3)->ns, 0xFF);
  ck_assert_double_eq_tol (V (4)->value, 10.0, 1e-9);
  ck_assert_double_eq_tol (V (5)->value, 12.345, 1e-9);
  ck_assert (V (6)->ns_flag);
  ck_assert_uint_eq (V (7)->ns_durations[0], 1);
  ck_assert_uint_eq (V (7)->ns_durations[1], 2);
  ck_assert_uint_eq (V (7)->ns_durations[4], 5);
  ck_assert_uint_eq (V (8)->quality, VKT7_Q_ABSENT);
#undef V
  vkt7_properties_clear (&props);
}
END_TEST

START_TEST (test_simulator_answers_document)
{
  g_autoptr (LersVkt7Simulator) sim = NULL;
  Vkt7TestLink l = { 0 };
  static const gchar *const steps[][2] = {
    /* the session start (с. 18), type = properties (с. 14, type 6), the
     * properties list and read (с. 27) */
    { "FF FF 00 10 3F FF 00 00 CC 80 00 00 00 64 54", NULL },
    /* CRC by an independent CRC-16/MODBUS (Python, appendix A algorithm) */
    { "FF FF 00 10 3F FD 00 00 02 06 00 73 72", NULL },
    { "FF FF " DOC_PROPS_LIST, DOC_PROPS_ACK },
    { "FF FF 00 03 3F FE 00 00 29 FF", DOC_PROPS_REPLY },
  };

  vkt7_test_register_types ();
  sim = lers_vkt7_simulator_new ("1", 0, 1);
  vkt7_test_link_open (&l, sim);
  for (guint i = 0; i < G_N_ELEMENTS (steps); i++)
    {
      g_autoptr (GBytes) req = vkt7_test_hex (steps[i][0]);
      g_autoptr (GError) error = NULL;
      g_autoptr (GBytes) answer = lers_transport_exchange_sync (
          l.transport, req, lers_vkt7_scan_frame, NULL, NULL, &error);

      ck_assert_msg (answer != NULL, "step %u: %s", i, error ? error->message : "");
      if (steps[i][1] != NULL)
        vkt7_test_assert_bytes (answer, steps[i][1]);
    }
  vkt7_test_link_close (&l);
}
END_TEST

START_TEST (test_scanner)
{
  static const guint8 read_reply[] = { 0x00, 0x03, 0x02, 0x11, 0x22, 0xAA, 0xBB };
  static const guint8 exc[] = { 0x01, 0x83, 0x03, 0x00, 0x00, 0x00 };

  ck_assert_int_eq (vkt7_scan_reply (read_reply, 2), 0);
  ck_assert_int_eq (vkt7_scan_reply (read_reply, 6), 0);
  ck_assert_int_eq (vkt7_scan_reply (read_reply, 7), 7);
  ck_assert_int_eq (vkt7_scan_reply (exc, 6), 6);
  ck_assert_int_eq (vkt7_scan_reply ((const guint8 *) "\xFF", 1), -1);
  ck_assert_int_eq (vkt7_scan_reply ((const guint8 *) "\x01\x07", 2), -1);
}
END_TEST

/* review #3: read_events returns events oldest first
 * (lers-device-session.h), not grouped by kind and heat input. Hours
 * (Unix seconds): ТВ2 power off at 7200; ТВ1 G<min at 3600–7200; ТВ1
 * power off at 0. Expected order by start: 0 (ТВ1, kind 1), 3600 (ТВ1,
 * kind 2), 7200 (ТВ2, kind 1). */
START_TEST (test_events_oldest_first)
{
  g_autoptr (GArray) hours = g_array_new (FALSE, TRUE, sizeof (Vkt7NsHour));
  g_autoptr (GTimeZone) utc = g_time_zone_new_utc ();
  g_autoptr (GPtrArray) events = NULL;
  Vkt7NsHour h = { 0 };
  const gint64 start[3] = { 0, 3600, 7200 };
  const guint channel[3] = { 0, 0, 1 };
  const gint code[3] = { 1, 2, 1 };

  h.has_durations = TRUE;
  h.start = 7200, h.channel = 1, h.durations[0] = 1;
  g_array_append_val (hours, h);
  h.durations[0] = 0;
  h.start = 3600, h.channel = 0, h.durations[1] = 0.5;
  g_array_append_val (hours, h);
  h.start = 7200, h.durations[1] = 1; /* the next hour: one event 3600–10800 */
  g_array_append_val (hours, h);
  h.durations[1] = 0;
  h.start = 0, h.channel = 0, h.durations[0] = 1;
  g_array_append_val (hours, h);
  events = vkt7_events_build (hours, utc);
  ck_assert_uint_eq (events->len, 3);
  for (guint i = 0; i < 3; i++)
    {
      LersMeterEvent *ev = g_ptr_array_index (events, i);

      ck_assert_int_eq (g_date_time_to_unix (lers_meter_event_get_start (ev)), start[i]);
      ck_assert_uint_eq (lers_meter_event_get_channel (ev), channel[i]);
      ck_assert_int_eq (lers_meter_event_get_device_code (ev), code[i]);
    }
  ck_assert_int_eq (g_date_time_to_unix (lers_meter_event_get_end (g_ptr_array_index (events, 1))),
                    10800);
}
END_TEST

int
main (int argc, char **argv)
{
  Suite *s = suite_create ("vkt7-frame");
  TCase *tc = tcase_create ("frame");

  lers_check_init (&argc, &argv);
  tcase_add_test (tc, test_builders);
  tcase_add_test (tc, test_document_crcs);
  tcase_add_test (tc, test_properties_reply);
  tcase_add_test (tc, test_values);
  tcase_add_test (tc, test_simulator_answers_document);
  tcase_add_test (tc, test_scanner);
  tcase_add_test (tc, test_events_oldest_first);
  suite_add_tcase (s, tc);
  return lers_check_run_suite (s);
}
