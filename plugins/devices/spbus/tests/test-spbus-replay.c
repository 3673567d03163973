/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Recorded exchanges of real СПТ961 devices, from Moisha/GMIO's tests
 * (replay-gmio-day.hex: request and answer; replay-gmio-hour.hex: an
 * answer), replayed against the session: the session must send the
 * recorded request byte for byte and make the records GMIO's test asserts
 * from the answer, each stored at the start of its period (the device
 * stamps the end).
 */
#include <lers-check.h>
#include <string.h>

#include "spbus-test-util.h"

/* the '>' and '<' lines of a replay file as two hex strings */
static void
load (const gchar *name, gchar **request, gchar **answer)
{
  g_autofree gchar *path = g_build_filename (SPBUS_TEST_DIR, name, NULL);
  g_autofree gchar *text = NULL;
  g_auto (GStrv) lines = NULL;
  GString *req = g_string_new (NULL);
  GString *ans = g_string_new (NULL);

  ck_assert (g_file_get_contents (path, &text, NULL, NULL));
  lines = g_strsplit (text, "\n", -1);
  for (guint i = 0; lines[i] != NULL; i++)
    {
      if (g_str_has_prefix (lines[i], "> "))
        g_string_append_printf (req, "%s ", lines[i] + 2);
      else if (g_str_has_prefix (lines[i], "< "))
        g_string_append_printf (ans, "%s ", lines[i] + 2);
      else if (lines[i][0] != '#' && lines[i][0] != '\0')
        g_string_append_printf (ans, "%s ", lines[i]);
    }
  *request = g_string_free (req, FALSE);
  *answer = g_string_free (ans, FALSE);
}

START_TEST (test_day_replay)
{
  SpbusTestSession t;
  g_autoptr (GError) error = NULL;
  g_autoptr (GPtrArray) records = NULL;
  g_autofree gchar *request = NULL;
  g_autofree gchar *answer = NULL;
  g_autoptr (GBytes) want = NULL;
  g_autofree gchar *want_hex = NULL;

  load ("replay-gmio-day.hex", &request, &answer);
  spbus_test_session_script (&t, "0");
  lers_device_set_option (t.device, "params", "T_cw@0=-/-/72");
  spbus_test_script_answer (&t, answer);
  ck_assert (spbus_test_open (&t, NULL));
  /* the days 8 … 13 October end at the stamps 9 … 14 October 00:00 */
  records = spbus_test_read (&t, LERS_ARCHIVE_KIND_DAY, "2013-10-08T00:00:00Z",
                             "2013-10-14T00:00:00Z", &error);
  ck_assert_msg (records != NULL, "%s", error ? error->message : "");
  want = spbus_test_hex (request);
  want_hex = spbus_test_to_hex (want);
  ck_assert_str_eq (g_strstrip (t.written->str), want_hex);
  ck_assert_uint_eq (records->len, 6);
  for (guint d = 8; d <= 13; d++)
    {
      g_autofree gchar *iso = g_strdup_printf ("2013-10-%02uT00:00:00Z", d);
      LersRecord *r = spbus_test_find (records, iso, 0);
      ck_assert_msg (r != NULL, "no record for %s", iso);
      ck_assert_double_eq (spbus_test_value (r, LERS_PARAMETER_T_CW, NULL), 0);
    }
  spbus_test_session_clear (&t);
}
END_TEST

START_TEST (test_hour_replay)
{
  SpbusTestSession t;
  g_autoptr (GError) error = NULL;
  g_autoptr (GPtrArray) records = NULL;
  g_autofree gchar *request = NULL;
  g_autofree gchar *answer = NULL;

  load ("replay-gmio-hour.hex", &request, &answer);
  spbus_test_session_script (&t, "11");
  lers_device_set_option (t.device, "params", "T_outdoor@0=-/82");
  spbus_test_script_answer (&t, answer);
  ck_assert (spbus_test_open (&t, NULL));
  /* hours 13.02 23:00 … 14.02 16:00 end at the stamps 14.02 00:00 … 17:00 */
  records = spbus_test_read (&t, LERS_ARCHIVE_KIND_HOUR, "2014-02-13T23:00:00Z",
                             "2014-02-14T17:00:00Z", &error);
  ck_assert_msg (records != NULL, "%s", error ? error->message : "");
  /* request: 0/82, newest 14.02.2014 17:00:00, oldest 14.02.2014 00:00:00,
   * address 11 (0x0B) as DAD and SAD */
  ck_assert (g_str_has_prefix (t.written->str, "10010B0B101F0E100209300938320C"
                                               "0931340932093230313409313709300930"
                                               "0C093134093209323031340930093009300C1003"));
  /* 17 records: the 16:00 stamp (the hour from 15:00) is missing */
  ck_assert_uint_eq (records->len, 17);
  ck_assert_ptr_null (spbus_test_find (records, "2014-02-14T15:00:00Z", 0));
  ck_assert_double_eq (spbus_test_value (spbus_test_find (records, "2014-02-14T16:00:00Z", 0),
                                         LERS_PARAMETER_T_OUTDOOR, NULL),
                       20);
  ck_assert_double_eq (spbus_test_value (spbus_test_find (records, "2014-02-13T23:00:00Z", 0),
                                         LERS_PARAMETER_T_OUTDOOR, NULL),
                       20);
  spbus_test_session_clear (&t);
}
END_TEST

static Suite *
spbus_replay_suite (void)
{
  Suite *s = suite_create ("spbus-replay");
  TCase *tc = tcase_create ("gmio");

  tcase_add_test (tc, test_day_replay);
  tcase_add_test (tc, test_hour_replay);
  suite_add_tcase (s, tc);
  return s;
}

int
main (int argc, char **argv)
{
  lers_check_init (&argc, &argv);
  return lers_check_run_suite (spbus_replay_suite ());
}
