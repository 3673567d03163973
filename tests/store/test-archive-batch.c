/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Archive reads as columnar batches: records with known values written
 * through the store come back as timestamps and per-parameter value and
 * flag columns; non-finite values are kept, flagged bad, and shown as null
 * by the HTTP API and as a dash by `lers archive`. */
#include "config.h"

#include <check.h>
#include <json-glib/json-glib.h>
#include <libpq-fe.h>
#include <libsoup/soup.h>
#include <lers.h>
#include <math.h>
#include <string.h>

#include "lers-check-http.h"

/* `date -u -d 2026-03-01T00:00:00Z +%s` prints 1772323200. */
#define MARCH_1_US G_GINT64_CONSTANT (1772323200000000)
#define HOUR_US G_GINT64_CONSTANT (3600000000)

static void
write_records (gint64 point_id, GPtrArray *records)
{
  g_autoptr (GError) error = NULL;

  ck_assert (
      lers_store_write_records_sync (lers_check_get_store (), point_id, records, NULL, &error));
  lers_check_assert_no_error (error);
}

static LersRecord *
record_at (guint hour)
{
  g_autoptr (GDateTime) start = g_date_time_new_utc (2026, 3, 1, 0, 0, 0);
  g_autoptr (GDateTime) ts = g_date_time_add_hours (start, hour);

  return lers_record_new (ts, LERS_ARCHIVE_KIND_HOUR);
}

/* Four hours from 2026-03-01T00:00Z; Q_in is only in hours 0 and 2, M_in
 * only in hours 1 and 3, hour 2's T_in is flagged bad, hour 3 is from
 * channel 2:
 *
 *   hour  T_in        Q_in              M_in
 *   0     70.5        0.125 calculated  —
 *   1     71.25       —                 4.5
 *   2     72 bad      0.25              —
 *   3     -1.5        —                 5
 */
static gint64
seed_four_hours (void)
{
  gint64 point_id = lers_check_make_point ();
  g_autoptr (GPtrArray) records = g_ptr_array_new_with_free_func (g_object_unref);
  LersRecord *r;

  r = record_at (0);
  lers_record_set_value (r, LERS_PARAMETER_T_IN, 70.5, LERS_VALUE_FLAG_NONE);
  lers_record_set_value (r, LERS_PARAMETER_Q_IN, 0.125, LERS_VALUE_FLAG_CALCULATED);
  g_ptr_array_add (records, r);
  r = record_at (1);
  lers_record_set_value (r, LERS_PARAMETER_T_IN, 71.25, LERS_VALUE_FLAG_NONE);
  lers_record_set_value (r, LERS_PARAMETER_M_IN, 4.5, LERS_VALUE_FLAG_NONE);
  g_ptr_array_add (records, r);
  r = record_at (2);
  lers_record_set_value (r, LERS_PARAMETER_T_IN, 72, LERS_VALUE_FLAG_BAD);
  lers_record_set_value (r, LERS_PARAMETER_Q_IN, 0.25, LERS_VALUE_FLAG_NONE);
  g_ptr_array_add (records, r);
  r = record_at (3);
  lers_record_set_channel (r, 2);
  lers_record_set_value (r, LERS_PARAMETER_T_IN, -1.5, LERS_VALUE_FLAG_NONE);
  lers_record_set_value (r, LERS_PARAMETER_M_IN, 5, LERS_VALUE_FLAG_NONE);
  g_ptr_array_add (records, r);
  write_records (point_id, records);
  return point_id;
}

START_TEST (test_batch_columns)
{
  gint64 point_id = seed_four_hours ();
  g_autoptr (GError) error = NULL;
  g_autoptr (LersArchiveBatch) batch = NULL;
  g_autoptr (GDateTime) ts2 = NULL;
  g_autoptr (GDateTime) expected2 = g_date_time_new_utc (2026, 3, 1, 2, 0, 0);
  g_autoptr (LersRecord) record1 = NULL;
  const LersParameter *parameters;
  const gint64 *timestamps;
  const gdouble *t_in, *q_in, *m_in;
  const guint32 *t_in_flags, *q_in_flags, *m_in_flags;
  guint n = 0;
  LersValueFlags flags;
  gdouble value;

  batch = lers_store_query_archive_sync (lers_check_get_store (), point_id, LERS_ARCHIVE_KIND_HOUR,
                                         NULL, NULL, NULL, &error);
  lers_check_assert_no_error (error);
  ck_assert_ptr_nonnull (batch);
  ck_assert_int_eq (lers_archive_batch_get_point_id (batch), point_id);
  ck_assert_int_eq (lers_archive_batch_get_kind (batch), LERS_ARCHIVE_KIND_HOUR);
  ck_assert_uint_eq (lers_archive_batch_get_n_rows (batch), 4);

  timestamps = lers_archive_batch_get_timestamps (batch, &n);
  ck_assert_uint_eq (n, 4);
  for (guint i = 0; i < 4; i++)
    ck_assert_int_eq (timestamps[i], MARCH_1_US + i * HOUR_US);
  ts2 = lers_archive_batch_dup_timestamp (batch, 2);
  ck_assert (g_date_time_equal (ts2, expected2));
  ck_assert_int_eq (g_date_time_get_utc_offset (ts2), 0);

  /* in the order first seen: hour 0 brings T_in and Q_in, hour 1 M_in */
  parameters = lers_archive_batch_get_parameters (batch, &n);
  ck_assert_uint_eq (n, 3);
  ck_assert_int_eq (parameters[0], LERS_PARAMETER_T_IN);
  ck_assert_int_eq (parameters[1], LERS_PARAMETER_Q_IN);
  ck_assert_int_eq (parameters[2], LERS_PARAMETER_M_IN);
  ck_assert (lers_archive_batch_has_parameter (batch, LERS_PARAMETER_M_IN));
  ck_assert (!lers_archive_batch_has_parameter (batch, LERS_PARAMETER_V_IN));

  t_in = lers_archive_batch_get_values (batch, LERS_PARAMETER_T_IN, &n);
  ck_assert_uint_eq (n, 4);
  t_in_flags = lers_archive_batch_get_flags (batch, LERS_PARAMETER_T_IN, &n);
  ck_assert_uint_eq (n, 4);
  ck_assert_double_eq (t_in[0], 70.5);
  ck_assert_double_eq (t_in[1], 71.25);
  ck_assert_double_eq (t_in[2], 72);
  ck_assert_double_eq (t_in[3], -1.5);
  ck_assert_uint_eq (t_in_flags[0], LERS_VALUE_FLAG_NONE);
  ck_assert_uint_eq (t_in_flags[1], LERS_VALUE_FLAG_NONE);
  ck_assert_uint_eq (t_in_flags[2], LERS_VALUE_FLAG_BAD);
  ck_assert_uint_eq (t_in_flags[3], LERS_VALUE_FLAG_NONE);

  q_in = lers_archive_batch_get_values (batch, LERS_PARAMETER_Q_IN, &n);
  q_in_flags = lers_archive_batch_get_flags (batch, LERS_PARAMETER_Q_IN, &n);
  ck_assert_double_eq (q_in[0], 0.125);
  ck_assert (isnan (q_in[1]));
  ck_assert_double_eq (q_in[2], 0.25);
  ck_assert (isnan (q_in[3]));
  ck_assert_uint_eq (q_in_flags[0], LERS_VALUE_FLAG_CALCULATED);
  ck_assert_uint_eq (q_in_flags[1], LERS_VALUE_FLAG_MISSING);
  ck_assert_uint_eq (q_in_flags[2], LERS_VALUE_FLAG_NONE);
  ck_assert_uint_eq (q_in_flags[3], LERS_VALUE_FLAG_MISSING);

  /* a column that appears after the first row is filled in before it */
  m_in = lers_archive_batch_get_values (batch, LERS_PARAMETER_M_IN, &n);
  m_in_flags = lers_archive_batch_get_flags (batch, LERS_PARAMETER_M_IN, &n);
  ck_assert (isnan (m_in[0]));
  ck_assert_double_eq (m_in[1], 4.5);
  ck_assert (isnan (m_in[2]));
  ck_assert_double_eq (m_in[3], 5);
  ck_assert_uint_eq (m_in_flags[0], LERS_VALUE_FLAG_MISSING);
  ck_assert_uint_eq (m_in_flags[1], LERS_VALUE_FLAG_NONE);
  ck_assert_uint_eq (m_in_flags[2], LERS_VALUE_FLAG_MISSING);
  ck_assert_uint_eq (m_in_flags[3], LERS_VALUE_FLAG_NONE);

  /* one value at a time, and a parameter no row has */
  value = lers_archive_batch_get_value (batch, 2, LERS_PARAMETER_T_IN, &flags);
  ck_assert_double_eq (value, 72);
  ck_assert_int_eq (flags, LERS_VALUE_FLAG_BAD);
  value = lers_archive_batch_get_value (batch, 1, LERS_PARAMETER_Q_IN, &flags);
  ck_assert (isnan (value));
  ck_assert_int_eq (flags, LERS_VALUE_FLAG_MISSING);
  value = lers_archive_batch_get_value (batch, 0, LERS_PARAMETER_V_IN, &flags);
  ck_assert (isnan (value));
  ck_assert_int_eq (flags, LERS_VALUE_FLAG_MISSING);
  ck_assert_ptr_null (lers_archive_batch_get_values (batch, LERS_PARAMETER_V_IN, &n));
  ck_assert_uint_eq (n, 0);
  ck_assert_ptr_null (lers_archive_batch_get_flags (batch, LERS_PARAMETER_V_IN, &n));
  ck_assert_uint_eq (n, 0);

  ck_assert_uint_eq (lers_archive_batch_get_channel (batch, 0), 0);
  ck_assert_uint_eq (lers_archive_batch_get_channel (batch, 3), 2);

  /* a row as a record has only the values it has */
  record1 = lers_archive_batch_dup_record (batch, 1);
  ck_assert_uint_eq (lers_record_get_n_values (record1), 2);
  ck_assert (lers_record_get_value (record1, LERS_PARAMETER_T_IN, &value, NULL));
  ck_assert_double_eq (value, 71.25);
  ck_assert (lers_record_get_value (record1, LERS_PARAMETER_M_IN, &value, NULL));
  ck_assert_double_eq (value, 4.5);
  ck_assert (!lers_record_has_value (record1, LERS_PARAMETER_Q_IN));
}
END_TEST

START_TEST (test_batch_range)
{
  gint64 point_id = seed_four_hours ();
  g_autoptr (GError) error = NULL;
  g_autoptr (GDateTime) from = g_date_time_new_utc (2026, 3, 1, 1, 0, 0);
  g_autoptr (GDateTime) to = g_date_time_new_utc (2026, 3, 1, 3, 0, 0);
  g_autoptr (LersArchiveBatch) batch = NULL;
  g_autoptr (LersArchiveBatch) empty = NULL;
  const gint64 *timestamps;
  const gdouble *values;
  guint n = 0;

  /* [01:00, 03:00): hours 1 and 2; Q_in is in hour 2 only, M_in in hour 1 */
  batch = lers_store_query_archive_sync (lers_check_get_store (), point_id, LERS_ARCHIVE_KIND_HOUR,
                                         from, to, NULL, &error);
  lers_check_assert_no_error (error);
  timestamps = lers_archive_batch_get_timestamps (batch, &n);
  ck_assert_uint_eq (n, 2);
  ck_assert_int_eq (timestamps[0], MARCH_1_US + HOUR_US);
  ck_assert_int_eq (timestamps[1], MARCH_1_US + 2 * HOUR_US);
  lers_archive_batch_get_parameters (batch, &n);
  ck_assert_uint_eq (n, 3);
  values = lers_archive_batch_get_values (batch, LERS_PARAMETER_M_IN, &n);
  ck_assert_uint_eq (n, 2);
  ck_assert_double_eq (values[0], 4.5);
  ck_assert (isnan (values[1]));

  /* no rows: another archive, an unknown point, an id that cannot exist */
  empty = lers_store_query_archive_sync (lers_check_get_store (), point_id, LERS_ARCHIVE_KIND_DAY,
                                         NULL, NULL, NULL, &error);
  lers_check_assert_no_error (error);
  ck_assert_uint_eq (lers_archive_batch_get_n_rows (empty), 0);
  ck_assert_ptr_null (lers_archive_batch_get_timestamps (empty, &n));
  ck_assert_uint_eq (n, 0);
  ck_assert_ptr_null (lers_archive_batch_get_parameters (empty, &n));
  ck_assert_uint_eq (n, 0);
  g_clear_object (&empty);
  empty = lers_store_query_archive_sync (lers_check_get_store (), point_id + 1,
                                         LERS_ARCHIVE_KIND_HOUR, NULL, NULL, NULL, &error);
  lers_check_assert_no_error (error);
  ck_assert_uint_eq (lers_archive_batch_get_n_rows (empty), 0);
  g_clear_object (&empty);
  empty = lers_store_query_archive_sync (lers_check_get_store (), -5, LERS_ARCHIVE_KIND_HOUR, NULL,
                                         NULL, NULL, &error);
  lers_check_assert_no_error (error);
  ck_assert_uint_eq (lers_archive_batch_get_n_rows (empty), 0);
  ck_assert_int_eq (lers_archive_batch_get_point_id (empty), -5);
}
END_TEST

/* More rows than one FETCH (8192) brings, across two points, so a point's
 * rows continue from one chunk into the next. */
START_TEST (test_batch_points)
{
  const guint n_a = 8190, n_b = 10;
  gint64 a = lers_check_make_point ();
  gint64 b = lers_check_make_point ();
  g_autoptr (GPtrArray) records_a = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr (GPtrArray) records_b = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr (GError) error = NULL;
  g_autoptr (GPtrArray) batches = NULL;
  g_autoptr (GCancellable) cancellable = g_cancellable_new ();
  gint64 ids[5];
  const gint64 *timestamps;
  const gdouble *values;
  guint n = 0;

  for (guint i = 0; i < n_a; i++)
    {
      LersRecord *r = record_at (i);
      lers_record_set_value (r, LERS_PARAMETER_T_IN, i, LERS_VALUE_FLAG_NONE);
      g_ptr_array_add (records_a, r);
    }
  for (guint i = 0; i < n_b; i++)
    {
      LersRecord *r = record_at (i);
      lers_record_set_value (r, LERS_PARAMETER_Q_IN, 1000 + i, LERS_VALUE_FLAG_NONE);
      g_ptr_array_add (records_b, r);
    }
  write_records (a, records_a);
  write_records (b, records_b);

  /* b first, an unknown point, a twice, an id that cannot exist */
  ids[0] = b;
  ids[1] = b + 100;
  ids[2] = a;
  ids[3] = a;
  ids[4] = 0;
  batches = lers_store_query_archive_points_sync (lers_check_get_store (), ids, G_N_ELEMENTS (ids),
                                                  LERS_ARCHIVE_KIND_HOUR, NULL, NULL, NULL, &error);
  lers_check_assert_no_error (error);
  ck_assert_uint_eq (batches->len, 5);
  for (guint i = 0; i < batches->len; i++)
    ck_assert_int_eq (lers_archive_batch_get_point_id (g_ptr_array_index (batches, i)), ids[i]);
  ck_assert_uint_eq (lers_archive_batch_get_n_rows (g_ptr_array_index (batches, 1)), 0);
  ck_assert_uint_eq (lers_archive_batch_get_n_rows (g_ptr_array_index (batches, 4)), 0);
  ck_assert_ptr_eq (g_ptr_array_index (batches, 2), g_ptr_array_index (batches, 3));

  timestamps = lers_archive_batch_get_timestamps (g_ptr_array_index (batches, 2), &n);
  ck_assert_uint_eq (n, n_a);
  values = lers_archive_batch_get_values (g_ptr_array_index (batches, 2), LERS_PARAMETER_T_IN, &n);
  ck_assert_uint_eq (n, n_a);
  for (guint i = 0; i < n_a; i++)
    {
      ck_assert_int_eq (timestamps[i], MARCH_1_US + i * HOUR_US);
      ck_assert_double_eq (values[i], i);
    }
  ck_assert (
      !lers_archive_batch_has_parameter (g_ptr_array_index (batches, 2), LERS_PARAMETER_Q_IN));

  /* b's rows: 2 in the first chunk, 8 in the second */
  timestamps = lers_archive_batch_get_timestamps (g_ptr_array_index (batches, 0), &n);
  ck_assert_uint_eq (n, n_b);
  values = lers_archive_batch_get_values (g_ptr_array_index (batches, 0), LERS_PARAMETER_Q_IN, &n);
  ck_assert_uint_eq (n, n_b);
  for (guint i = 0; i < n_b; i++)
    {
      ck_assert_int_eq (timestamps[i], MARCH_1_US + i * HOUR_US);
      ck_assert_double_eq (values[i], 1000 + i);
    }

  /* a cancelled read fails as cancelled */
  g_clear_pointer (&batches, g_ptr_array_unref);
  g_cancellable_cancel (cancellable);
  batches = lers_store_query_archive_points_sync (lers_check_get_store (), ids, G_N_ELEMENTS (ids),
                                                  LERS_ARCHIVE_KIND_HOUR, NULL, NULL, cancellable,
                                                  &error);
  ck_assert_ptr_null (batches);
  lers_check_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
}
END_TEST

/* A stored row whose values are not whole 10-byte entries: a clear error,
 * and the other rows are still there. */
START_TEST (test_batch_malformed_row)
{
  gint64 point_id = seed_four_hours ();
  g_autoptr (GError) error = NULL;
  g_autoptr (LersArchiveBatch) batch = NULL;
  g_autoptr (GDateTime) from = g_date_time_new_utc (2026, 3, 1, 0, 0, 0);
  g_autoptr (GDateTime) to = g_date_time_new_utc (2026, 3, 1, 4, 0, 0);
  g_autofree gchar *insert = g_strdup_printf (
      "INSERT INTO archive (point_id, kind, channel, ts, data)"
      " VALUES (%" G_GINT64_FORMAT ", 1, 0, '2026-03-01T05:00:00Z', '\\x010203')",
      point_id);
  g_autofree gchar *count = NULL;

  g_free (lers_check_sql_value (insert));
  batch = lers_store_query_archive_sync (lers_check_get_store (), point_id, LERS_ARCHIVE_KIND_HOUR,
                                         NULL, NULL, NULL, &error);
  ck_assert_ptr_null (batch);
  lers_check_assert_error (error, LERS_ERROR, LERS_ERROR_INVALID_DATA);
  g_clear_error (&error);

  batch = lers_store_query_archive_sync (lers_check_get_store (), point_id, LERS_ARCHIVE_KIND_HOUR,
                                         from, to, NULL, &error);
  lers_check_assert_no_error (error);
  ck_assert_uint_eq (lers_archive_batch_get_n_rows (batch), 4);
  count = lers_check_sql_value ("SELECT count(*) FROM archive");
  ck_assert_str_eq (count, "5");
}
END_TEST

/* ---- non-finite values: store, API, CLI -------------------------------- */

/* One hour, 2026-03-01T00:00Z: T_in NaN, Q_in +Inf (calculated), T_out
 * -Inf, M_in 4.5. */
static gint64
seed_non_finite (void)
{
  gint64 point_id = lers_check_make_point ();
  g_autoptr (GPtrArray) records = g_ptr_array_new_with_free_func (g_object_unref);
  LersRecord *r = record_at (0);

  lers_record_set_value (r, LERS_PARAMETER_T_IN, NAN, LERS_VALUE_FLAG_NONE);
  lers_record_set_value (r, LERS_PARAMETER_Q_IN, INFINITY, LERS_VALUE_FLAG_CALCULATED);
  lers_record_set_value (r, LERS_PARAMETER_T_OUT, -INFINITY, LERS_VALUE_FLAG_NONE);
  lers_record_set_value (r, LERS_PARAMETER_M_IN, 4.5, LERS_VALUE_FLAG_NONE);
  g_ptr_array_add (records, r);
  write_records (point_id, records);
  return point_id;
}

START_TEST (test_non_finite_store)
{
  gint64 point_id = seed_non_finite ();
  g_autoptr (GError) error = NULL;
  g_autoptr (LersArchiveBatch) batch = NULL;
  g_autofree gchar *sql = NULL;
  g_autofree gchar *stored = NULL;
  LersValueFlags flags;
  gdouble value;

  /* float8 keeps them: PostgreSQL itself prints NaN and Infinity */
  sql = g_strdup_printf ("SELECT string_agg(value::text, ' ' ORDER BY param) FROM archive_values"
                         " WHERE point_id = %" G_GINT64_FORMAT,
                         point_id);
  stored = lers_check_sql_value (sql);
  /* params in order: T_in (1), T_out (2), M_in (7), Q_in (15) */
  ck_assert_str_eq (stored, "NaN -Infinity 4.5 Infinity");

  batch = lers_store_query_archive_sync (lers_check_get_store (), point_id, LERS_ARCHIVE_KIND_HOUR,
                                         NULL, NULL, NULL, &error);
  lers_check_assert_no_error (error);
  ck_assert_uint_eq (lers_archive_batch_get_n_rows (batch), 1);
  value = lers_archive_batch_get_value (batch, 0, LERS_PARAMETER_T_IN, &flags);
  ck_assert (isnan (value));
  ck_assert_int_eq (flags, LERS_VALUE_FLAG_BAD);
  value = lers_archive_batch_get_value (batch, 0, LERS_PARAMETER_Q_IN, &flags);
  ck_assert (isinf (value) && value > 0);
  ck_assert_int_eq (flags, LERS_VALUE_FLAG_BAD | LERS_VALUE_FLAG_CALCULATED);
  value = lers_archive_batch_get_value (batch, 0, LERS_PARAMETER_T_OUT, &flags);
  ck_assert (isinf (value) && value < 0);
  ck_assert_int_eq (flags, LERS_VALUE_FLAG_BAD);
  value = lers_archive_batch_get_value (batch, 0, LERS_PARAMETER_M_IN, &flags);
  ck_assert_double_eq (value, 4.5);
  ck_assert_int_eq (flags, LERS_VALUE_FLAG_NONE);
}
END_TEST

START_TEST (test_non_finite_api)
{
  gint64 point_id = seed_non_finite ();
  g_autoptr (GError) error = NULL;
  g_autoptr (JsonParser) parser = json_parser_new ();
  g_autofree gchar *target
      = g_strdup_printf ("/api/v1/points/%" G_GINT64_FORMAT
                         "/archive?kind=hour&from=2026-03-01T00:00:00Z&to=2026-03-01T01:00:00Z",
                         point_id);
  guint status = 0;
  g_autofree gchar *text = lers_check_http_get (target, &status);

  ck_assert_uint_eq (status, 200);

  /* valid JSON (no nan, no inf), values in the order the driver gave them */
  ck_assert_msg (json_parser_load_from_data (parser, text, -1, &error), "%s", text);
  ck_assert_msg (strstr (text, "nan") == NULL && strstr (text, "inf") == NULL, "%s", text);
  ck_assert_msg (strstr (text, "\"values\":["
                               "{\"parameter\":\"T_in\",\"value\":null,\"unit\":\"degC\","
                               "\"flags\":[\"bad\"]},"
                               "{\"parameter\":\"Q_in\",\"value\":null,\"unit\":\"Gcal\","
                               "\"flags\":[\"bad\",\"calculated\"]},"
                               "{\"parameter\":\"T_out\",\"value\":null,\"unit\":\"degC\","
                               "\"flags\":[\"bad\"]},"
                               "{\"parameter\":\"M_in\",\"value\":4.5,\"unit\":\"t\","
                               "\"flags\":[]}]")
                     != NULL,
                 "%s", text);
}
END_TEST

START_TEST (test_non_finite_cli)
{
  gint64 point_id = seed_non_finite ();
  g_autofree gchar *lers = g_build_filename (g_getenv ("LERS_BUILD_ROOT"), "tools", "lers", NULL);
  g_autofree gchar *db = g_strconcat ("--db=", lers_check_get_uri (), NULL);
  g_autofree gchar *id = g_strdup_printf ("%" G_GINT64_FORMAT, point_id);
  const gchar *argv[] = {
    lers, db, "archive", id, "--from=2026-03-01T00:00:00Z", "--to=2026-03-01T01:00:00Z", NULL
  };
  g_autoptr (GError) error = NULL;
  g_autofree gchar *out = NULL;
  g_autofree gchar *err = NULL;
  g_auto (GStrv) lines = NULL;
  gint status;

  ck_assert (g_spawn_sync (NULL, (gchar **) argv, NULL, G_SPAWN_DEFAULT, NULL, NULL, &out, &err,
                           &status, &error));
  ck_assert_msg (g_spawn_check_wait_status (status, NULL), "%s", err);
  /* a header, one row, the count */
  lines = g_strsplit (out, "\n", -1);
  ck_assert_uint_eq (g_strv_length (lines), 4);
  ck_assert_msg (strstr (lines[0], "T_in, °C") && strstr (lines[0], "Q_in, Gcal")
                     && strstr (lines[0], "T_out, °C") && strstr (lines[0], "M_in, t"),
                 "%s", lines[0]);
  /* the three non-finite values are a dash marked bad; M_in is a number */
  /* each cell right-aligned in 14 characters, then a space */
  ck_assert_msg (g_str_has_suffix (lines[1], "            —! "
                                             "            —! "
                                             "            —! "
                                             "        4.5000 "),
                 "%s", lines[1]);
  ck_assert_str_eq (lines[2], "1 record");
}
END_TEST

static Suite *
archive_batch_suite (void)
{
  Suite *s = suite_create ("archive-batch");
  TCase *tc = tcase_create ("batch");
  TCase *http;

  tcase_add_unchecked_fixture (tc, lers_check_cluster_setup, lers_check_cluster_teardown);
  tcase_add_checked_fixture (tc, lers_check_store_setup, lers_check_store_teardown);
  tcase_set_timeout (tc, 120);
  tcase_add_test (tc, test_batch_columns);
  tcase_add_test (tc, test_batch_range);
  tcase_add_test (tc, test_batch_points);
  tcase_add_test (tc, test_batch_malformed_row);
  tcase_add_test (tc, test_non_finite_store);
  tcase_add_test (tc, test_non_finite_cli);
  suite_add_tcase (s, tc);

  /* The in-process HTTP server: libsoup closes streams on GIO's shared
   * GTask threads, whose per-thread data outlives the test, so scripts/test's
   * valgrind job leaves this case out (CK_EXCLUDE_TAGS=http); ASan and LSan
   * still run it. */
  http = tcase_create ("http");
  tcase_add_unchecked_fixture (http, lers_check_cluster_setup, lers_check_cluster_teardown);
  tcase_add_checked_fixture (http, lers_check_store_setup, lers_check_store_teardown);
  tcase_set_timeout (http, 120);
  tcase_set_tags (http, "http");
  tcase_add_test (http, test_non_finite_api);
  suite_add_tcase (s, http);
  return s;
}

int
main (int argc, char **argv)
{
  lers_check_init (&argc, &argv);
  return lers_check_run_suite (archive_batch_suite ());
}
