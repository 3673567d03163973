/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * The driver replays a session built from the vendor document's example
 * frames (replay-vendor-doc.txt, where they come from is written there):
 * it must send exactly the document's requests, given the document's
 * request IDs, and decode the document's answers to the document's values.
 */
#include <check.h>
#include <string.h>

#include "lers-check.h"
#include "lers-pulsar-session.h"
#include "pulsar-test-util.h"

static void
load (PulsarTestSession *t, GString *requests)
{
  g_autofree gchar *text = NULL;
  g_autoptr (GError) error = NULL;
  g_auto (GStrv) lines = NULL;

  ck_assert_msg (
      g_file_get_contents (PULSAR_TEST_DIR "/replay-vendor-doc.txt", &text, NULL, &error), "%s",
      error ? error->message : "");
  lines = g_strsplit (text, "\n", -1);
  for (guint i = 0; lines[i] != NULL; i++)
    {
      if (g_str_has_prefix (lines[i], "< "))
        pulsar_test_script_answer (t, lines[i] + 2);
      else if (g_str_has_prefix (lines[i], "> "))
        {
          g_autoptr (GBytes) b = pulsar_test_hex (lines[i] + 2);
          g_autofree gchar *hex = pulsar_test_to_hex (b);
          g_string_append_printf (requests, "%s\n", hex);
        }
    }
}

START_TEST (test_replay_vendor_document)
{
  static const guint16 ids[] = { 0x8A78, 0x8A78, 0xA45E, 0xBF6B, 0x8D10 };
  g_autoptr (GString) requests = g_string_new (NULL);
  g_autoptr (GError) error = NULL;
  g_autoptr (GPtrArray) current = NULL;
  g_autoptr (GPtrArray) hours = NULL;
  g_autoptr (GDateTime) clock_time = pulsar_test_utc ("2012-07-23T09:31:26Z");
  PulsarTestSession t;
  LersRecord *r;
  LersValueFlags flags = 0;

  pulsar_test_session_script (&t, "12345678");
  load (&t, requests);
  lers_device_set_option (t.device, "channels", "2");
  pulsar_test_session_create (&t);
  lers_pulsar_session_queue_ids (LERS_PULSAR_SESSION (t.session), ids, G_N_ELEMENTS (ids));
  ck_assert_msg (pulsar_test_open (&t, &error), "%s", error ? error->message : "");

  /* p. 2: channel 2 reads 2.13 (the printed float64 is 2.1299999971),
   * stamped with the clock 2012-07-23 09:31:26 */
  current = pulsar_test_read (&t, LERS_ARCHIVE_KIND_CURRENT, NULL, NULL, &error);
  ck_assert_msg (current != NULL, "%s", error ? error->message : "");
  ck_assert_uint_eq (current->len, 1);
  r = g_ptr_array_index (current, 0);
  ck_assert_uint_eq (lers_record_get_channel (r), 1);
  ck_assert (g_date_time_equal (lers_record_get_timestamp (r), clock_time));
  ck_assert_double_eq_tol (pulsar_test_value (r, LERS_PARAMETER_V_IN, &flags), 2.13, 1e-8);

  /* p. 6: ten hourly slots 00:00 … 09:00 of 2.13 → nine hours of 0 m³ */
  hours = pulsar_test_read (&t, LERS_ARCHIVE_KIND_HOUR, "2012-07-23T00:00:00Z",
                            "2012-07-23T09:00:00Z", &error);
  ck_assert_msg (hours != NULL, "%s", error ? error->message : "");
  ck_assert_uint_eq (hours->len, 9);
  for (guint i = 0; i < hours->len; i++)
    {
      r = g_ptr_array_index (hours, i);
      ck_assert_uint_eq (lers_record_get_channel (r), 1);
      ck_assert_double_eq (pulsar_test_value (r, LERS_PARAMETER_V_IN, &flags), 0.0);
      ck_assert_int_eq (flags, LERS_VALUE_FLAG_CALCULATED);
    }
  r = pulsar_test_find (hours, "2012-07-23T08:00:00Z", 1);
  ck_assert_ptr_nonnull (r);

  /* p. 4: the clock set to 2012-07-23 08:19:50, R = 01 */
  ck_assert_msg (pulsar_test_set_clock (&t, "2012-07-23T08:19:50Z", &error), "%s",
                 error ? error->message : "");

  /* every request, byte for byte, as the document prints it */
  ck_assert_str_eq (t.written->str, requests->str);
  pulsar_test_session_clear (&t);
}
END_TEST

static Suite *
pulsar_replay_suite (void)
{
  Suite *s = suite_create ("pulsar-replay");
  TCase *tc = tcase_create ("replay");

  tcase_add_test (tc, test_replay_vendor_document);
  suite_add_tcase (s, tc);
  return s;
}

int
main (int argc, char **argv)
{
  lers_check_init (&argc, &argv);
  return lers_check_run_suite (pulsar_replay_suite ());
}
