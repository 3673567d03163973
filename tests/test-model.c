/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include <check.h>
#include <lers.h>
#include <stdlib.h>

#include "lers-check.h"

START_TEST (test_record_values)
{
  g_autoptr (GDateTime) ts = g_date_time_new_utc (2026, 11, 1, 10, 0, 0);
  g_autoptr (LersRecord) record = lers_record_new (ts, LERS_ARCHIVE_KIND_HOUR);
  gdouble value = 0;
  LersValueFlags flags = LERS_VALUE_FLAG_NONE;
  LersParameter parameter = 0;

  ck_assert_int_eq (lers_record_get_n_values (record), 0);
  ck_assert (!lers_record_get_value (record, LERS_PARAMETER_T_IN, &value, &flags));

  lers_record_set_value (record, LERS_PARAMETER_T_IN, 71.25, LERS_VALUE_FLAG_NONE);
  lers_record_set_value (record, LERS_PARAMETER_Q_IN, 0.0412, LERS_VALUE_FLAG_CALCULATED);
  ck_assert_int_eq (lers_record_get_n_values (record), 2);
  ck_assert (lers_record_get_value (record, LERS_PARAMETER_Q_IN, &value, &flags));
  ck_assert_double_eq (value, 0.0412);
  ck_assert_int_eq (flags, LERS_VALUE_FLAG_CALCULATED);

  /* a corrected value replaces the old one, it is not added */
  lers_record_set_value (record, LERS_PARAMETER_T_IN, 70.5,
                         LERS_VALUE_FLAG_BAD | LERS_VALUE_FLAG_INTERPOLATED);
  ck_assert_int_eq (lers_record_get_n_values (record), 2);
  ck_assert (lers_record_get_value_at (record, 0, &parameter, &value, &flags));
  ck_assert_int_eq (parameter, LERS_PARAMETER_T_IN);
  ck_assert_double_eq (value, 70.5);
  ck_assert_int_eq (flags, LERS_VALUE_FLAG_BAD | LERS_VALUE_FLAG_INTERPOLATED);
  ck_assert (!lers_record_get_value_at (record, 2, NULL, NULL, NULL));
  ck_assert (g_date_time_equal (lers_record_get_timestamp (record), ts));
  ck_assert_int_eq (lers_record_get_kind (record), LERS_ARCHIVE_KIND_HOUR);
}
END_TEST

START_TEST (test_record_equal)
{
  g_autoptr (GDateTime) ts = g_date_time_new_utc (2026, 11, 1, 10, 0, 0);
  g_autoptr (LersRecord) a = lers_record_new (ts, LERS_ARCHIVE_KIND_HOUR);
  g_autoptr (LersRecord) b = lers_record_new (ts, LERS_ARCHIVE_KIND_HOUR);

  lers_record_set_value (a, LERS_PARAMETER_T_IN, 1, 0);
  lers_record_set_value (a, LERS_PARAMETER_T_OUT, 2, 0);
  lers_record_set_value (b, LERS_PARAMETER_T_OUT, 2, 0);
  ck_assert (!lers_record_equal (a, b));
  lers_record_set_value (b, LERS_PARAMETER_T_IN, 1, 0);
  ck_assert (lers_record_equal (a, b));
  lers_record_set_value (b, LERS_PARAMETER_T_IN, 1, LERS_VALUE_FLAG_RESET);
  ck_assert (!lers_record_equal (a, b));
}
END_TEST

START_TEST (test_parameters)
{
  static const struct
  {
    const gchar *name;
    const gchar *unit;
  } known[] = {
    { "T_in", "degC" },
    { "T_out", "degC" },
    { "T_cw", "degC" },
    { "T_delta", "K" },
    { "M_in", "t" },
    { "M_delta", "t" },
    { "V_in", "m3" },
    { "Q_in", "Gcal" },
    { "P_in", "MPa" },
    { "V_std", "m3" },
    { "CalorificValue", "MJ/m3" },
    { "Ap", "kWh" },
    { "Rn4", "kvarh" },
    { "UA", "V" },
    { "IC", "A" },
    { "CosPhi", "coeff" },
    { "Frequency", "Hz" },
    { "PowerProfile_Pp", "kW" },
    { "NoPowerDuration", "h" },
    { "ValvePercent", "percent" },
    { "HeatPower", "Gcal/h" },
  };
  g_autoptr (GEnumClass) klass = g_type_class_ref (LERS_TYPE_PARAMETER);
  LersParameter p;

  for (gsize i = 0; i < G_N_ELEMENTS (known); i++)
    {
      ck_assert_msg (lers_parameter_from_name (known[i].name, &p), "%s", known[i].name);
      ck_assert_str_eq (lers_parameter_get_name (p), known[i].name);
      ck_assert_str_eq (lers_unit_get_code (lers_parameter_get_unit (p)), known[i].unit);
    }
  /* every enum value has a name, a unit and a description, and names are unique */
  ck_assert_int_eq (klass->n_values, LERS_PARAMETER_LAST);
  for (guint i = 0; i < klass->n_values; i++)
    {
      LersParameter q;
      const gchar *name = lers_parameter_get_name (klass->values[i].value);
      ck_assert_ptr_nonnull (name);
      ck_assert_str_eq (name, klass->values[i].value_nick);
      ck_assert (lers_parameter_from_name (name, &q));
      ck_assert_int_eq (q, klass->values[i].value);
      ck_assert_ptr_nonnull (lers_parameter_get_description (q));
    }
  ck_assert (!lers_parameter_from_name ("T_nowhere", &p));
  ck_assert_ptr_null (lers_parameter_get_name (0));
  ck_assert_ptr_null (lers_parameter_get_name (LERS_PARAMETER_LAST + 1));
  ck_assert_str_eq (lers_unit_get_symbol (LERS_UNIT_DEG_C), "°C");
  ck_assert_str_eq (lers_unit_get_category (LERS_UNIT_GCAL), "heat-energy");
}
END_TEST

START_TEST (test_archive_kinds)
{
  LersArchiveKind kind;
  LersResource resource;

  ck_assert (lers_archive_kind_from_string ("hour", &kind));
  ck_assert_int_eq (kind, LERS_ARCHIVE_KIND_HOUR);
  ck_assert (lers_archive_kind_from_string ("power-profile", &kind));
  ck_assert_int_eq (kind, LERS_ARCHIVE_KIND_POWER_PROFILE);
  ck_assert (!lers_archive_kind_from_string ("hours", &kind));
  ck_assert (!lers_archive_kind_from_string (NULL, &kind));
  ck_assert_str_eq (lers_archive_kind_to_string (LERS_ARCHIVE_KIND_TOTALS), "totals");
  ck_assert (lers_resource_from_string ("hot-water", &resource));
  ck_assert_int_eq (resource, LERS_RESOURCE_HOT_WATER);
  ck_assert_str_eq (lers_resource_to_string (LERS_RESOURCE_ELECTRICITY), "electricity");
}
END_TEST

static void
count_notify (GObject *obj, GParamSpec *pspec, gpointer user_data)
{
  (*(guint *) user_data)++;
}

START_TEST (test_node_properties)
{
  g_autoptr (LersNode) node = lers_node_new ();
  const gchar *groups[] = { "Котельная 1", "ЖКХ", NULL };
  guint notified = 0;

  g_signal_connect (node, "notify", G_CALLBACK (count_notify), &notified);
  lers_node_set_title (node, "ИТП ул. Ленина, 5");
  lers_node_set_title (node, "ИТП ул. Ленина, 5");
  lers_node_set_node_type (node, LERS_NODE_TYPE_HOUSE);
  lers_node_set_latitude (node, 55.75);
  lers_node_set_groups (node, groups);
  g_object_set (node, "longitude", 37.62, "customer", "ТСЖ «Ленина 5»", NULL);
  ck_assert_uint_eq (notified, 6);
  ck_assert_str_eq (lers_node_get_title (node), "ИТП ул. Ленина, 5");
  ck_assert_int_eq (lers_node_get_node_type (node), LERS_NODE_TYPE_HOUSE);
  ck_assert_double_eq (lers_node_get_longitude (node), 37.62);
  ck_assert_str_eq (lers_node_get_groups (node)[1], "ЖКХ");
  ck_assert_str_eq (lers_node_get_customer (node), "ТСЖ «Ленина 5»");
  ck_assert_ptr_null (lers_node_get_comment (node));
}
END_TEST

START_TEST (test_device_and_point)
{
  g_autoptr (LersDevice) device = lers_device_new ();
  g_autoptr (LersMeasurePoint) point = lers_measure_point_new ();
  g_autoptr (LersConnection) connection = lers_connection_new ();
  g_autoptr (GDateTime) calibrated = g_date_time_new_utc (2024, 5, 17, 0, 0, 0);

  lers_device_set_calibration_date (device, calibrated);
  lers_device_set_calibration_interval (device, 48);
  lers_device_set_network_address (device, "12345678");
  ck_assert (g_date_time_equal (lers_device_get_calibration_date (device), calibrated));
  lers_device_set_calibration_date (device, NULL);
  ck_assert_ptr_null (lers_device_get_calibration_date (device));

  g_object_set (point, "resource", LERS_RESOURCE_HOT_WATER, "channel", 2, "poll-interval", 3600,
                NULL);
  ck_assert_int_eq (lers_measure_point_get_resource (point), LERS_RESOURCE_HOT_WATER);
  ck_assert_uint_eq (lers_measure_point_get_channel (point), 2);

  lers_connection_set_host (connection, "127.0.0.1");
  lers_connection_set_port (connection, 10001);
  ck_assert_int_eq (lers_connection_get_kind (connection), LERS_CONNECTION_KIND_TCP_CLIENT);
  ck_assert_uint_eq (lers_connection_get_port (connection), 10001);
}
END_TEST

START_TEST (test_error_status)
{
  g_autoptr (GError) io = g_error_new_literal (G_IO_ERROR, G_IO_ERROR_TIMED_OUT, "slow meter");
  g_autoptr (GError) other = g_error_new_literal (G_FILE_ERROR, G_FILE_ERROR_NOENT, "x");
  g_autoptr (GError) nf = g_error_new_literal (LERS_ERROR, LERS_ERROR_NOT_FOUND, "x");

  ck_assert_uint_eq (lers_error_to_http_status (nf), 404);
  /* the domain name every LERS GError carries (G_DEFINE_QUARK's argument) */
  ck_assert_str_eq (g_quark_to_string (nf->domain), "lers-error-quark");
  lers_error_convert (&io);
  ck_assert (g_error_matches (io, LERS_ERROR, LERS_ERROR_TIMED_OUT));
  ck_assert_str_eq (io->message, "slow meter");
  ck_assert_uint_eq (lers_error_to_http_status (io), 504);
  lers_error_convert (&other);
  ck_assert (g_error_matches (other, LERS_ERROR, LERS_ERROR_FAILED));
  ck_assert_uint_eq (lers_error_to_http_status (other), 500);
}
END_TEST

START_TEST (test_byte_reader)
{
  static const guint8 data[] = { 0x68, 0x34, 0x12, 0x78, 0x56, 0x34, 0x12, 0xff };
  LersByteReader reader;
  guint8 u8;
  guint16 u16;
  guint32 u32;
  guint64 u64;
  const guint8 *bytes;
  g_autoptr (GError) error = NULL;

  lers_byte_reader_init (&reader, data, sizeof (data));
  ck_assert (lers_byte_reader_read_u8 (&reader, &u8, NULL));
  ck_assert_uint_eq (u8, 0x68);
  ck_assert (lers_byte_reader_read_u16_le (&reader, &u16, NULL));
  ck_assert_uint_eq (u16, 0x1234);
  ck_assert (lers_byte_reader_read_u32_le (&reader, &u32, NULL));
  ck_assert_uint_eq (u32, 0x12345678);
  ck_assert_uint_eq (lers_byte_reader_get_remaining (&reader), 1);
  ck_assert (!lers_byte_reader_read_uint_le (&reader, 2, &u64, &error));
  ck_assert (g_error_matches (error, LERS_ERROR, LERS_ERROR_INVALID_DATA));
  ck_assert_uint_eq (lers_byte_reader_get_remaining (&reader), 1);
  ck_assert (!lers_byte_reader_read_bytes (&reader, G_MAXSIZE, &bytes, NULL));
  ck_assert (lers_byte_reader_skip (&reader, 1, NULL));
  ck_assert (!lers_byte_reader_peek_u8 (&reader, &u8, NULL));
}
END_TEST

START_TEST (test_progress)
{
  g_autoptr (LersProgress) progress = lers_progress_new ();
  guint notified = 0;

  g_signal_connect (progress, "notify::fraction", G_CALLBACK (count_notify), &notified);
  lers_progress_set_fraction (progress, 0.5);
  lers_progress_set_fraction (progress, 0.5);
  lers_progress_set_fraction (progress, 7);
  ck_assert_uint_eq (notified, 2);
  ck_assert_double_eq (lers_progress_get_fraction (progress), 1.0);
}
END_TEST

START_TEST (test_time_parse)
{
  static const struct
  {
    const gchar *text;
    const gchar *utc; /* NULL: not a time */
  } cases[] = {
    { "2026-11-01T10:00:00Z", "2026-11-01T10:00:00Z" },
    { "2026-11-01T13:00:00+03:00", "2026-11-01T10:00:00Z" },
    { "2026-11-01T10:00:00", "2026-11-01T10:00:00Z" },
    { "2026-11-01", "2026-11-01T00:00:00Z" },
    { "2026-13-01", NULL },
    { "yesterday", NULL },
    { "", NULL },
    { "2026-11-01T10:00:00Z                                                             ", NULL },
  };

  for (gsize i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr (GDateTime) dt = lers_time_parse (cases[i].text);
      g_autofree gchar *iso = dt != NULL ? g_date_time_format_iso8601 (dt) : NULL;
      ck_assert_msg (g_strcmp0 (iso, cases[i].utc) == 0, "%s → %s", cases[i].text, iso);
    }
}
END_TEST

static Suite *
model_suite (void)
{
  Suite *s = suite_create ("model");
  TCase *tc = tcase_create ("model");

  tcase_add_test (tc, test_record_values);
  tcase_add_test (tc, test_record_equal);
  tcase_add_test (tc, test_parameters);
  tcase_add_test (tc, test_archive_kinds);
  tcase_add_test (tc, test_node_properties);
  tcase_add_test (tc, test_device_and_point);
  tcase_add_test (tc, test_error_status);
  tcase_add_test (tc, test_byte_reader);
  tcase_add_test (tc, test_progress);
  tcase_add_test (tc, test_time_parse);
  suite_add_tcase (s, tc);
  return s;
}

int
main (int argc, char **argv)
{
  lers_check_init (&argc, &argv);
  return lers_check_run_suite (model_suite ());
}
