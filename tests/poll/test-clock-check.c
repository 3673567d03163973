/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The clock check on every device session: a simulated M-Bus meter whose
 * clock stands still at a chosen time (its clock-time), a poller whose
 * server time comes from a manual LersClock, and the meter events the
 * check leaves in the database. The M-Bus clock (type F) has whole
 * minutes, so the meter's times below are whole minutes and the drift is
 * what the server's seconds make of it: meter 10:20:00, server 10:16:55
 * is 185 s ahead. */
#include <check.h>
#include <lers.h>
#include <string.h>

#include "lers-check.h"
#include "poll/lers-poller-private.h"

typedef struct
{
  LersCheckSim sim;
  gint64 point_id;
  GDateTime *hour; /* the start of this hour, UTC */
} Meter;

/* a meter whose clock reads this hour + @minute:00, with the device's
 * @options (a JSON object) */
static void
meter_start (Meter *m, gint minute, const gchar *options)
{
  g_autofree gchar *sql = NULL;
  g_autoptr (GDateTime) clock = NULL;

  m->hour = lers_check_this_hour ();
  clock = g_date_time_add_minutes (m->hour, minute);
  lers_check_sim_start (&m->sim, lers_check_get_engine (), "mbus", "10000042", 7, 42);
  g_object_set (m->sim.simulator, "clock-time", g_date_time_to_unix (clock), NULL);
  m->point_id = lers_check_add_sim_point (m->sim.port, "7", 2, 0, 0);
  sql = g_strdup_printf ("UPDATE devices SET options = '%s'::jsonb", options);
  lers_check_sql_exec (sql);
}

static void
meter_stop (Meter *m)
{
  lers_check_sim_stop (&m->sim);
  g_clear_pointer (&m->hour, g_date_time_unref);
}

typedef struct
{
  gboolean done;
  gint n;
  GError *error;
} Wait;

static void
read_cb (GObject *source, GAsyncResult *result, gpointer user_data)
{
  Wait *w = user_data;

  w->n = lers_poller_read_point_finish (LERS_POLLER (source), result, &w->error);
  w->done = TRUE;
}

/* reads the last 3 hours with the server's clock at this hour +
 * @minute:@second; the records stored */
static gint
read_at (Meter *m, gint minute, gint second)
{
  g_autoptr (LersPoller) poller
      = lers_poller_new (lers_check_get_store (), lers_check_get_engine ());
  g_autoptr (LersClock) clock = lers_clock_new_manual ();
  g_autoptr (GDateTime) now = g_date_time_add_full (m->hour, 0, 0, 0, 0, minute, second);
  g_autoptr (GDateTime) from = g_date_time_add_hours (m->hour, -3);
  Wait w = { 0 };

  lers_clock_set_now_utc (clock, now);
  lers_poller_set_clock (poller, clock);
  lers_poller_read_point_async (poller, m->point_id, LERS_ARCHIVE_KIND_HOUR, from, m->hour, NULL,
                                NULL, read_cb, &w);
  while (!w.done)
    g_main_context_iteration (NULL, TRUE);
  /* the check never fails the read */
  ck_assert_msg (w.error == NULL, "%s", w.error->message);
  return w.n;
}

static gint64
count_events (Meter *m, const gchar *code)
{
  g_autofree gchar *sql = g_strdup_printf (
      "SELECT count(*) FROM meter_events WHERE point_id = %" G_GINT64_FORMAT " AND code = '%s'",
      m->point_id, code);
  return lers_check_sql_int (sql);
}

/* the text and severity of the point's only event with @code */
static gchar *
event_text (Meter *m, const gchar *code, gint64 *severity)
{
  g_autofree gchar *sql = g_strdup_printf (
      "SELECT severity FROM meter_events WHERE point_id = %" G_GINT64_FORMAT " AND code = '%s'",
      m->point_id, code);
  g_autofree gchar *text_sql = g_strdup_printf (
      "SELECT text FROM meter_events WHERE point_id = %" G_GINT64_FORMAT " AND code = '%s'",
      m->point_id, code);

  ck_assert_int_eq (count_events (m, code), 1);
  *severity = lers_check_sql_int (sql);
  return lers_check_sql_value (text_sql);
}

/* 185 s ahead, no correction asked: a warning, the records stored */
START_TEST (test_clock_drift_ahead)
{
  Meter m = { 0 };
  g_autofree gchar *text = NULL;
  gint64 severity;

  meter_start (&m, 20, "{}");
  /* meter 10:20:00, server 10:16:55: 185 s ahead, beyond the default 120 */
  ck_assert_int_eq (read_at (&m, 16, 55), 3);
  text = event_text (&m, "clock-drift", &severity);
  ck_assert_str_eq (text, "The device clock is 185 s ahead of the server");
  ck_assert_int_eq (severity, LERS_METER_EVENT_SEVERITY_WARNING);
  ck_assert_int_eq (count_events (&m, "clock-set"), 0);
  meter_stop (&m);
}
END_TEST

START_TEST (test_clock_drift_behind_and_limit)
{
  Meter m = { 0 };
  g_autofree gchar *text = NULL;
  gint64 severity;

  meter_start (&m, 20, "{\"clock-drift-limit\": \"300\"}");
  /* meter 10:20:00, server 10:23:05: 185 s behind, within the limit of 300 */
  ck_assert_int_eq (read_at (&m, 23, 5), 3);
  ck_assert_int_eq (count_events (&m, "clock-drift"), 0);
  lers_check_sql_exec ("UPDATE devices SET options = '{\"clock-drift-limit\": \"180\"}'::jsonb");
  /* the same 185 s, now beyond a limit of 180 */
  read_at (&m, 23, 5);
  text = event_text (&m, "clock-drift", &severity);
  ck_assert_str_eq (text, "The device clock is 185 s behind the server");
  ck_assert_int_eq (severity, LERS_METER_EVENT_SEVERITY_WARNING);
  meter_stop (&m);
}
END_TEST

/* correction allowed: the clock is set, and the next read finds it right */
START_TEST (test_clock_corrected)
{
  Meter m = { 0 };
  g_autofree gchar *drift = NULL;
  g_autofree gchar *set = NULL;
  gint64 severity;

  meter_start (&m, 20,
               "{\"clock-correct\": \"true\", \"clock-correct-max\": \"300\","
               " \"set-clock\": \"true\"}");
  ck_assert_int_eq (read_at (&m, 16, 55), 3);
  drift = event_text (&m, "clock-drift", &severity);
  ck_assert_str_eq (drift, "The device clock is 185 s ahead of the server");
  set = event_text (&m, "clock-set", &severity);
  ck_assert_str_eq (set, "The device clock was set 185 s back");
  ck_assert_int_eq (severity, LERS_METER_EVENT_SEVERITY_INFO);
  /* the meter took 10:16 (type F has no seconds): 55 s behind at 10:16:55,
   * within the limit, so no new event */
  read_at (&m, 16, 55);
  ck_assert_int_eq (count_events (&m, "clock-drift"), 1);
  ck_assert_int_eq (count_events (&m, "clock-set"), 1);
  meter_stop (&m);
}
END_TEST

/* correction on, but the device allows 60 s at once: left alone, says why */
START_TEST (test_clock_shift_too_large)
{
  Meter m = { 0 };
  g_autofree gchar *text = NULL;
  gint64 severity;

  meter_start (&m, 20, "{\"clock-correct\": \"true\", \"set-clock\": \"true\"}");
  read_at (&m, 16, 55);
  text = event_text (&m, "clock-drift", &severity);
  ck_assert_str_eq (text, "The device clock is 185 s ahead of the server; not corrected: the "
                          "device allows a shift of at most 60 s at once");
  ck_assert_int_eq (count_events (&m, "clock-set"), 0);
  /* the clock was not touched: the next read finds the same drift */
  read_at (&m, 16, 56);
  ck_assert_int_eq (count_events (&m, "clock-drift"), 2);
  meter_stop (&m);
}
END_TEST

/* correction off: the same drift, no correction and no reason needed */
START_TEST (test_clock_correction_off)
{
  Meter m = { 0 };

  meter_start (&m, 20,
               "{\"clock-correct\": \"false\", \"clock-correct-max\": \"300\","
               " \"set-clock\": \"true\"}");
  read_at (&m, 16, 55);
  ck_assert_int_eq (count_events (&m, "clock-drift"), 1);
  ck_assert_int_eq (count_events (&m, "clock-set"), 0);
  read_at (&m, 16, 56);
  ck_assert_int_eq (count_events (&m, "clock-drift"), 2);
  meter_stop (&m);
}
END_TEST

/* minute 2 of the hour: never across an archive boundary */
START_TEST (test_clock_not_near_the_hour)
{
  Meter m = { 0 };
  g_autofree gchar *text = NULL;
  gint64 severity;

  meter_start (&m, 6,
               "{\"clock-correct\": \"true\", \"clock-correct-max\": \"300\","
               " \"set-clock\": \"true\"}");
  /* meter 10:06:00, server 10:02:55: 185 s ahead, the server at minute 2 */
  read_at (&m, 2, 55);
  text = event_text (&m, "clock-drift", &severity);
  ck_assert_str_eq (text, "The device clock is 185 s ahead of the server; not corrected now: the "
                          "clock is set only between minute 5 and 55 of the hour, never across "
                          "an archive boundary");
  ck_assert_int_eq (count_events (&m, "clock-set"), 0);
  meter_stop (&m);
}
END_TEST

/* our users read Russian: the event's text is the server's language */
START_TEST (test_clock_drift_in_russian)
{
  Meter m = { 0 };
  g_autofree gchar *drift = NULL;
  g_autofree gchar *set = NULL;
  gint64 severity;

  lers_i18n_init ();
  g_setenv ("LANGUAGE", "ru", TRUE);
  meter_start (&m, 20,
               "{\"clock-correct\": \"true\", \"clock-correct-max\": \"300\","
               " \"set-clock\": \"true\"}");
  read_at (&m, 16, 55);
  g_setenv ("LANGUAGE", "en", TRUE);
  drift = event_text (&m, "clock-drift", &severity);
  ck_assert_str_eq (drift, "Часы прибора спешат на 185 с");
  set = event_text (&m, "clock-set", &severity);
  ck_assert_str_eq (set, "Часы прибора переведены на 185 с назад");
  meter_stop (&m);
}
END_TEST

int
main (int argc, char **argv)
{
  Suite *s = suite_create ("clock-check");
  TCase *tc = tcase_create ("clock-check");

  lers_check_init (&argc, &argv);
  tcase_set_timeout (tc, 60);
  tcase_add_unchecked_fixture (tc, lers_check_cluster_setup, lers_check_cluster_teardown);
  tcase_add_checked_fixture (tc, lers_check_sim_setup, lers_check_sim_teardown);
  tcase_add_test (tc, test_clock_drift_ahead);
  tcase_add_test (tc, test_clock_drift_behind_and_limit);
  tcase_add_test (tc, test_clock_corrected);
  tcase_add_test (tc, test_clock_shift_too_large);
  tcase_add_test (tc, test_clock_correction_off);
  tcase_add_test (tc, test_clock_not_near_the_hour);
  tcase_add_test (tc, test_clock_drift_in_russian);
  suite_add_tcase (s, tc);
  return lers_check_run_suite (s);
}
