/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The JSON of `lers decode mbus`: non-finite reals print as null with the
 * flag "bad", numbers in their shortest round-trip form, and the output
 * always parses. */
#include <check.h>
#include <json-glib/json-glib.h>
#include <string.h>

#include "lers-check.h"
#include "mbus-data.h"
#include "mbus-frame.h"
#include "mbus-json.h"

/* The frame of tests/tools/test-cli-defects.c, worked out there by hand:
 * RSP_UD from address 1, id 12345678, maker "LER", heat (outlet); record 1
 * `04 13 31 D4 00 00` = 54321 × 10⁻³ m³ = 54.321 m³; record 2
 * `05 FF 3A 00 00 C0 FF`, a 32-bit real, manufacturer-specific VIF with
 * VIFE 3A, holding 0xFFC00000 = NaN; checksum 0x94. */
#define NAN_FRAME                                                                                  \
  "68 1C 1C 68 08 01 72 78 56 34 12 B2 30 01 04 05 00 00 00 "                                      \
  "04 13 31 D4 00 00 05 FF 3A 00 00 C0 FF 94 16"

/* The same header with one record `05 13 00 00 80 7F`: a 32-bit real, volume
 * in 10⁻³ m³, 0x7F800000 = +infinity. L = 3 + 12 + 6 = 21 = 0x15; checksum
 * 08+01+72 = 0x7B, header 0x200, 05+13+00+00+80+7F = 0x117; 0x7B + 0x200 +
 * 0x117 = 0x392 → 0x92. */
#define INF_FRAME                                                                                  \
  "68 15 15 68 08 01 72 78 56 34 12 B2 30 01 04 05 00 00 00 "                                      \
  "05 13 00 00 80 7F 92 16"

static MbusData *
decode_hex (const gchar *hex)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (GBytes) bytes = mbus_hex_to_bytes (hex, &error);
  MbusData *data;

  lers_check_assert_no_error (error);
  data = mbus_data_decode (g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes), &error);
  lers_check_assert_no_error (error);
  return data;
}

static JsonArray *
parse_records (JsonParser *parser, const gchar *json)
{
  g_autoptr (GError) error = NULL;

  ck_assert_msg (json_parser_load_from_data (parser, json, -1, &error), "%s: %s",
                 error != NULL ? error->message : "", json);
  return json_object_get_array_member (json_node_get_object (json_parser_get_root (parser)),
                                       "records");
}

START_TEST (test_nan_is_null_flagged_bad)
{
  g_autoptr (MbusData) data = decode_hex (NAN_FRAME);
  g_autofree gchar *pretty = mbus_json_render (data, TRUE);
  g_autofree gchar *compact = mbus_json_render (data, FALSE);
  g_autoptr (JsonParser) parser = json_parser_new ();
  JsonArray *records;
  JsonObject *rec;

  ck_assert_msg (strstr (pretty, "nan") == NULL, "%s", pretty);
  records = parse_records (parser, pretty);
  ck_assert_uint_eq (json_array_get_length (records), 2);
  rec = json_array_get_object_element (records, 1);
  ck_assert_str_eq (json_object_get_string_member (rec, "quantity"), "Manufacturer specific");
  ck_assert (json_object_get_null_member (rec, "value"));
  ck_assert_str_eq (json_array_get_string_element (json_object_get_array_member (rec, "flags"), 0),
                    "bad");
  ck_assert_uint_eq (json_array_get_length (json_object_get_array_member (rec, "flags")), 1);
  ck_assert (!json_object_has_member (json_array_get_object_element (records, 0), "flags"));

  /* compact, as json-glib writes it, but for the numbers */
  ck_assert_msg (strstr (compact, "\"unit\":\"m^3\",\"value\":54.321}") != NULL, "%s", compact);
  ck_assert_msg (strstr (compact, "\"unit\":\"\",\"value\":null,\"flags\":[\"bad\"]}]}") != NULL,
                 "%s", compact);
  ck_assert_msg (g_str_has_prefix (compact, "{\"id\":\"12345678\",\"manufacturer\":\"LER\","
                                            "\"version\":1,"),
                 "%s", compact);
  parse_records (parser, compact);
}
END_TEST

START_TEST (test_infinity_is_null_flagged_bad)
{
  g_autoptr (MbusData) data = decode_hex (INF_FRAME);
  g_autofree gchar *pretty = mbus_json_render (data, TRUE);
  g_autoptr (JsonParser) parser = json_parser_new ();
  JsonArray *records = parse_records (parser, pretty);
  JsonObject *rec;

  ck_assert_msg (strstr (pretty, "inf") == NULL, "%s", pretty);
  ck_assert_uint_eq (json_array_get_length (records), 1);
  rec = json_array_get_object_element (records, 0);
  ck_assert_str_eq (json_object_get_string_member (rec, "quantity"), "Volume");
  ck_assert (json_object_get_null_member (rec, "value"));
  ck_assert_str_eq (json_array_get_string_element (json_object_get_array_member (rec, "flags"), 0),
                    "bad");
}
END_TEST

/* lers_json_append_double() against values worked out by hand */
static const struct
{
  gdouble value;
  const gchar *text;
  gboolean finite;
} doubles[] = {
  { 54.321, "54.321", TRUE },                 /* %.17g: 54.320999999999998 */
  { 0.1 + 0.2, "0.30000000000000004", TRUE }, /* needs all 17 digits */
  { 2.0, "2", TRUE },
  { -0.5, "-0.5", TRUE },
  { 1e21, "1e+21", TRUE },
  { 11490378.0, "11490378", TRUE },
  { NAN, "null", FALSE },
  { -NAN, "null", FALSE },
  { INFINITY, "null", FALSE },
  { -INFINITY, "null", FALSE },
};

START_TEST (test_shortest_double)
{
  g_autoptr (GString) s = g_string_new (NULL);
  gboolean finite = lers_json_append_double (s, doubles[_i].value);

  ck_assert_str_eq (s->str, doubles[_i].text);
  ck_assert_int_eq (finite, doubles[_i].finite);
}
END_TEST

int
main (int argc, char **argv)
{
  Suite *s = suite_create ("mbus-json");
  TCase *tc = tcase_create ("json");

  lers_check_init (&argc, &argv);
  tcase_add_test (tc, test_nan_is_null_flagged_bad);
  tcase_add_test (tc, test_infinity_is_null_flagged_bad);
  tcase_add_loop_test (tc, test_shortest_double, 0, G_N_ELEMENTS (doubles));
  suite_add_tcase (s, tc);
  return lers_check_run_suite (s);
}
