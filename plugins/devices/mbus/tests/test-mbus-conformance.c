/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Walks ../shared/conformance/libmbus: every test frame must decode and
 * match the reference's normalised XML record by record; every error frame
 * must fail with the exact error; every unsupported frame must fail cleanly.
 */
#include <check.h>
#include <math.h>

#include "mbus-data.h"
#include "mbus-json.h"
#include "lers-check.h"
#include "mbus-test-util.h"

/* Frames whose decode we know differs from the reference, and why (the
 * README lists the same). Keep this short: each entry is a decision. */
static const struct
{
  const gchar *name;
  const gchar *reason;
} known_differences[] = {
  { "manual_frame2.hex",
    "fixed structure: counter 2 unit 0x3E is 'same but historic' (EN 1434-3): we give "
    "counter 1's unit 'l', the reference prints 'reserved but historic'" },
  { "abb_f95.hex",
    "BCD values with hex nibbles (error state, EN 13757-3 annex B): we give the digits as "
    "text ('DDEBB4DD'), the reference turns them into a meaningless number" },
  { "ELS_Elster-F96-Plus.hex",
    "BCD values with hex nibbles (error state, EN 13757-3 annex B): we give the digits as "
    "text ('DDDDEBBD'), the reference turns them into a meaningless number" },
  { "REL-Relay-Padpuls2.hex",
    "a type F time point with the IV (invalid) bit set: we give the date sent "
    "(2015-07-09T21:33) and flag it invalid, the reference prints a zeroed 1900-01-00" },
};

/* Unsupported frames (libmbus refuses them) that we decode, and why */
static const struct
{
  const gchar *name;
  const gchar *reason;
} unsupported_but_decoded[] = {
  { "svm_f22_telegram2.hex",
    "a telegram whose data is one DIF 1F record (manufacturer data, more records follow): "
    "valid by EN 13757-3, libmbus refuses its length" },
};

/* Error frames: the exact error each must give */
static const struct
{
  const gchar *name;
  gint code;
} error_frames[] = {
  { "application_busy.hex", LERS_ERROR_FAILED },
  { "buffer_too_long.hex", LERS_ERROR_FAILED },
  { "error.hex", LERS_ERROR_FAILED },
  { "premature_end_of_data1.hex", LERS_ERROR_INVALID_DATA },
  { "premature_end_of_data2.hex", LERS_ERROR_INVALID_DATA },
  { "premature_end_of_dif1.hex", LERS_ERROR_INVALID_DATA },
  { "premature_end_of_dif2.hex", LERS_ERROR_INVALID_DATA },
  { "premature_end_of_record.hex", LERS_ERROR_FAILED },
  { "premature_end_of_var_vif1.hex", LERS_ERROR_INVALID_DATA },
  { "premature_end_of_vif1.hex", LERS_ERROR_INVALID_DATA },
  { "too_long_var_vif.hex", LERS_ERROR_INVALID_DATA },
  { "too_many_dife.hex", LERS_ERROR_INVALID_DATA },
  { "too_many_difes.hex", LERS_ERROR_FAILED },
  { "too_many_readouts.hex", LERS_ERROR_FAILED },
  { "too_many_records.hex", LERS_ERROR_FAILED },
  { "too_many_vife.hex", LERS_ERROR_INVALID_DATA },
  { "too_many_vifes.hex", LERS_ERROR_FAILED },
  { "too_short_header.hex", LERS_ERROR_INVALID_DATA },
  { "unimplemented_ci.hex", LERS_ERROR_FAILED },
  { "unspecified_error.hex", LERS_ERROR_FAILED },
};

static const gchar *conformance_dir = MBUS_CONFORMANCE_DIR;

static gchar *
conformance_path (const gchar *sub)
{
  return g_build_filename (conformance_dir, sub, NULL);
}

static GPtrArray *
list_hex (const gchar *sub)
{
  g_autofree gchar *dir = conformance_path (sub);
  g_autoptr (GDir) d = g_dir_open (dir, 0, NULL);
  GPtrArray *names = g_ptr_array_new_with_free_func (g_free);
  const gchar *name;

  ck_assert_msg (d != NULL, "cannot open %s", dir);
  while ((name = g_dir_read_name (d)) != NULL)
    if (g_str_has_suffix (name, ".hex"))
      g_ptr_array_add (names, g_strdup (name));
  g_ptr_array_sort (names, (GCompareFunc) g_strcmp0);
  return names;
}

static gboolean
str_equal_stripped (const gchar *a, const gchar *b)
{
  g_autofree gchar *sa = g_strstrip (g_strdup (a != NULL ? a : ""));
  g_autofree gchar *sb = g_strstrip (g_strdup (b != NULL ? b : ""));
  return g_strcmp0 (sa, sb) == 0;
}

/* Returns NULL if @rec matches @ref, else why not */
static gchar *
compare_record (const MbusRecord *rec, const MbusTestRefRecord *ref)
{
  g_autofree gchar *sn = g_strdup_printf ("%" G_GUINT64_FORMAT, rec->storage_number);

  if (ref->function != NULL && g_strcmp0 (ref->function, mbus_record_get_function_name (rec)) != 0)
    return g_strdup_printf ("function '%s', reference '%s'", mbus_record_get_function_name (rec),
                            ref->function);
  if (ref->storage_number != NULL && g_strcmp0 (ref->storage_number, sn) != 0)
    return g_strdup_printf ("storage number %s, reference %s", sn, ref->storage_number);
  if (ref->tariff != NULL && g_ascii_strtoull (ref->tariff, NULL, 10) != rec->tariff)
    return g_strdup_printf ("tariff %u, reference %s", rec->tariff, ref->tariff);
  if (ref->device != NULL && g_ascii_strtoull (ref->device, NULL, 10) != rec->subunit)
    return g_strdup_printf ("subunit %u, reference %s", rec->subunit, ref->device);
  if (ref->unit != NULL && g_strcmp0 (ref->unit, rec->unit != NULL ? rec->unit : "") != 0)
    return g_strdup_printf ("unit '%s', reference '%s'", rec->unit, ref->unit);
  if (ref->quantity != NULL
      && g_strcmp0 (ref->quantity, rec->quantity != NULL ? rec->quantity : "") != 0)
    return g_strdup_printf ("quantity '%s', reference '%s'", rec->quantity, ref->quantity);
  if (ref->value != NULL)
    {
      gchar *end = NULL;
      gdouble expected = g_ascii_strtod (ref->value, &end);
      gboolean ref_is_number = end != ref->value && *end == '\0';

      if (ref_is_number && rec->is_number)
        {
          gdouble diff = fabs (rec->number - expected);
          /* six printed decimals: allow their rounding as well */
          if (diff > 1e-6 * fabs (expected) && diff > 1e-6)
            return g_strdup_printf ("value %.9g, reference %s", rec->number, ref->value);
        }
      else if (!rec->is_number)
        {
          if (!str_equal_stripped (rec->text, ref->value))
            return g_strdup_printf ("value '%s', reference '%s'", rec->text, ref->value);
        }
      else
        return g_strdup_printf ("value %.9g, reference '%s'", rec->number, ref->value);
    }
  return NULL;
}

static const gchar *
known_difference (const gchar *name)
{
  for (guint i = 0; i < G_N_ELEMENTS (known_differences); i++)
    if (g_strcmp0 (known_differences[i].name, name) == 0)
      return known_differences[i].reason;
  return NULL;
}

START_TEST (test_conformance_test_frames)
{
  g_autoptr (GPtrArray) names = NULL;
  guint n_frames = 0, n_frames_ok = 0, n_records = 0, n_records_ok = 0;
  guint n_failed = 0;
  g_autoptr (GString) failures = g_string_new (NULL);

  names = list_hex ("test-frames");
  ck_assert_uint_gt (names->len, 0);
  for (guint i = 0; i < names->len; i++)
    {
      const gchar *name = g_ptr_array_index (names, i);
      g_autofree gchar *path = g_build_filename (conformance_dir, "test-frames", name, NULL);
      g_autofree gchar *base = g_strndup (name, strlen (name) - 4);
      g_autofree gchar *norm_name = g_strconcat (base, ".norm.xml", NULL);
      g_autofree gchar *norm = g_build_filename (conformance_dir, "test-frames", norm_name, NULL);
      g_autoptr (GBytes) bytes = NULL;
      g_autoptr (MbusData) data = NULL;
      g_autoptr (GError) error = NULL;
      g_autoptr (GPtrArray) ref = NULL;
      g_autofree gchar *json = NULL;
      const gchar *reason = known_difference (name);
      guint frame_bad = 0;

      if (!g_file_test (norm, G_FILE_TEST_EXISTS))
        continue;
      n_frames++;
      bytes = mbus_test_load_hex (path);
      data = mbus_data_decode (g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes), &error);
      ck_assert_msg (data != NULL, "%s: %s", name, error ? error->message : "?");
      json = mbus_json_render (data, FALSE);
      ck_assert_ptr_nonnull (json);
      ref = mbus_test_ref_load (norm, NULL);
      if (data->records->len != ref->len)
        {
          g_string_append_printf (failures, "%s: %u records, reference %u\n", name,
                                  data->records->len, ref->len);
          frame_bad++;
        }
      for (guint j = 0; j < MIN (data->records->len, ref->len); j++)
        {
          g_autofree gchar *why
              = compare_record (g_ptr_array_index (data->records, j), g_ptr_array_index (ref, j));
          n_records++;
          if (why == NULL)
            {
              n_records_ok++;
              continue;
            }
          frame_bad++;
          g_string_append_printf (failures, "%s record %u: %s%s\n", name, j, why,
                                  reason != NULL ? " (known difference)" : "");
        }
      if (frame_bad == 0)
        {
          n_frames_ok++;
          ck_assert_msg (reason == NULL, "%s is listed as a known difference but matches", name);
        }
      else if (reason == NULL)
        n_failed++;
    }
  g_print ("conformance: %u/%u frames and %u/%u records match the reference; %u known "
           "differences\n",
           n_frames_ok, n_frames, n_records_ok, n_records,
           (guint) G_N_ELEMENTS (known_differences));
  if (failures->len > 0)
    g_print ("%s", failures->str);
  ck_assert_msg (n_failed == 0, "%u frames differ from the reference:\n%s", n_failed,
                 failures->str);
}
END_TEST

START_TEST (test_conformance_error_frames)
{
  g_autoptr (GPtrArray) names = NULL;

  names = list_hex ("error-frames");
  ck_assert_uint_eq (names->len, G_N_ELEMENTS (error_frames));
  for (guint i = 0; i < names->len; i++)
    {
      const gchar *name = g_ptr_array_index (names, i);
      g_autofree gchar *path = g_build_filename (conformance_dir, "error-frames", name, NULL);
      g_autoptr (GBytes) bytes = mbus_test_load_hex (path);
      g_autoptr (GError) error = NULL;
      g_autoptr (MbusData) data = NULL;
      gint code = -1;

      for (guint j = 0; j < G_N_ELEMENTS (error_frames); j++)
        if (g_strcmp0 (error_frames[j].name, name) == 0)
          code = error_frames[j].code;
      ck_assert_msg (code >= 0, "%s: no expected error in the table", name);
      data = mbus_data_decode (g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes), &error);
      ck_assert_msg (data == NULL, "%s decoded", name);
      ck_assert_msg (g_error_matches (error, LERS_ERROR, code),
                     "%s: expected code %d, got %s %d: %s", name, code,
                     g_quark_to_string (error->domain), error->code, error->message);
    }
}
END_TEST

START_TEST (test_conformance_unsupported_frames)
{
  g_autoptr (GPtrArray) names = NULL;

  names = list_hex ("unsupported-frames");
  for (guint i = 0; i < names->len; i++)
    {
      const gchar *name = g_ptr_array_index (names, i);
      g_autofree gchar *path = g_build_filename (conformance_dir, "unsupported-frames", name, NULL);
      g_autofree gchar *text = NULL;
      g_autoptr (GBytes) bytes = NULL;
      g_autoptr (GError) error = NULL;
      g_autoptr (MbusData) data = NULL;
      gboolean decoded_ok = FALSE;

      ck_assert (g_file_get_contents (path, &text, NULL, NULL));
      bytes = mbus_hex_to_bytes (text, &error);
      if (bytes == NULL)
        {
          ck_assert (g_error_matches (error, LERS_ERROR, LERS_ERROR_INVALID_DATA));
          continue;
        }
      data = mbus_data_decode (g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes), &error);
      for (guint j = 0; j < G_N_ELEMENTS (unsupported_but_decoded); j++)
        if (g_strcmp0 (unsupported_but_decoded[j].name, name) == 0)
          decoded_ok = TRUE;
      if (decoded_ok)
        {
          ck_assert_msg (data != NULL, "%s: %s", name, error->message);
          continue;
        }
      ck_assert_msg (data == NULL, "%s decoded", name);
      ck_assert_msg (error != NULL && error->domain == LERS_ERROR, "%s: no LERS_ERROR", name);
    }
}
END_TEST

static Suite *
conformance_suite (void)
{
  Suite *s = suite_create ("mbus-conformance");
  TCase *tc = tcase_create ("libmbus");

  tcase_add_test (tc, test_conformance_test_frames);
  tcase_add_test (tc, test_conformance_error_frames);
  tcase_add_test (tc, test_conformance_unsupported_frames);
  suite_add_tcase (s, tc);
  return s;
}

int
main (int argc, char **argv)
{
  lers_check_init (&argc, &argv);
  /* LERS_MBUS_CONFORMANCE_DIR points the test at another copy of the data;
   * a missing folder skips outside CI and fails under CI */
  if (g_getenv ("LERS_MBUS_CONFORMANCE_DIR") != NULL)
    conformance_dir = g_getenv ("LERS_MBUS_CONFORMANCE_DIR");
  lers_check_require_path (conformance_dir);
  return lers_check_run_suite (conformance_suite ());
}
