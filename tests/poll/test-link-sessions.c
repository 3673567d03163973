/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Link sessions stored and listed, and the modem and link statistics of
 * lers_poll_queue_get_traffic_sync() per calendar period, against a real
 * PostgreSQL. Every figure is summed by hand in a comment; Moscow is UTC+3
 * all year, so 30 Nov MSK is [2026-11-29T21:00Z, 2026-11-30T21:00Z). */
#include <check.h>
#include <lers.h>

#include "lers-check.h"

#define NOW_ISO "2026-11-30T10:07:00Z"

static GDateTime *
at (const gchar *iso)
{
  GDateTime *dt = g_date_time_new_from_iso8601 (iso, NULL);

  ck_assert_msg (dt != NULL, "bad time %s", iso);
  return dt;
}

static void
record (LersPollQueue *queue, gint64 connection, const gchar *start, gint seconds, guint64 bytes_in,
        guint64 bytes_out, const gchar *reason, const gchar *error_text, gint signal,
        const gchar *firmware, const gchar *sim)
{
  g_autoptr (GDateTime) started = at (start);
  g_autoptr (GDateTime) ended = g_date_time_add_seconds (started, seconds);
  g_autoptr (LersLinkSession) s = lers_link_session_new (connection, started);
  g_autoptr (GError) error = NULL;

  lers_link_session_set_ended (s, ended);
  lers_link_session_set_bytes (s, bytes_in, bytes_out);
  lers_link_session_set_end_reason (s, reason);
  lers_link_session_set_error (s, error_text);
  lers_link_session_set_signal_level (s, signal);
  lers_link_session_set_firmware (s, firmware);
  lers_link_session_set_sim_id (s, sim);
  if (connection == 2)
    lers_link_session_set_modem_identity (s, "860000000000001");
  ck_assert (lers_poll_queue_record_session_sync (queue, s, NULL, &error));
  lers_check_assert_no_error (error);
  ck_assert_int_gt (lers_link_session_get_id (s), 0);
}

/* conn 1: a gateway on tcp:gw1:4001; conn 2: a GPRS modem that calls in */
static void
fill (LersPollQueue *queue)
{
  lers_check_sql_exec ("INSERT INTO connections (id, kind, host, port) VALUES (1, 0, 'gw1', 4001);"
                       "INSERT INTO connections (id, kind, identity) VALUES"
                       " (2, 1, '860000000000001'), (3, 0, NULL)");
  /* conn 1 */
  record (queue, 1, "2026-11-30T08:00:00Z", 30, 1000, 200, "done", NULL, 0, NULL, NULL); /* a */
  record (queue, 1, "2026-11-30T09:00:00Z", 60, 500, 100, "error", "timeout", 0, NULL,
          NULL);                                                                       /* b */
  record (queue, 1, "2026-11-29T12:00:00Z", 45, 300, 50, "done", NULL, 0, NULL, NULL); /* c */
  /* d: 23:30 MSK on the 29th */
  record (queue, 1, "2026-11-29T20:30:00Z", 10, 10, 5, "done", NULL, 0, NULL, NULL);
  /* e: 00:30 MSK on the 30th, the 29th in UTC */
  record (queue, 1, "2026-11-29T21:30:00Z", 20, 20, 7, "cancelled", NULL, 0, NULL, NULL);
  record (queue, 1, "2026-11-02T10:00:00Z", 100, 4000, 800, "done", NULL, 0, NULL, NULL); /* f */
  record (queue, 1, "2026-10-15T10:00:00Z", 200, 7000, 900, "error", "no answer", 0, NULL,
          NULL); /* g */
  /* h: 1 Nov 00:30 MSK, 31 Oct in UTC */
  record (queue, 1, "2026-10-31T21:30:00Z", 5, 1, 1, "done", NULL, 0, NULL, NULL);
  /* conn 2: i reports all, j only its signal */
  record (queue, 2, "2026-11-30T07:00:00Z", 120, 2000, 300, "done", NULL, -71, "1.2", "8970100");
  record (queue, 2, "2026-11-30T09:30:00Z", 60, 1000, 100, "idle", NULL, -65, NULL, NULL);
}

static GVariantDict *
entry_of (GVariant *list, gint64 connection)
{
  for (gsize i = 0; i < g_variant_n_children (list); i++)
    {
      g_autoptr (GVariant) child = g_variant_get_child_value (list, i);
      g_autoptr (GVariantDict) dict = g_variant_dict_new (child);
      gint64 id = 0;

      if (g_variant_dict_lookup (dict, "connection_id", "x", &id) && id == connection)
        return g_steal_pointer (&dict);
    }
  ck_abort_msg ("no entry for connection %" G_GINT64_FORMAT, connection);
  return NULL;
}

static void
assert_period (GVariantDict *dict, const gchar *name, guint sessions, guint failed, gint64 seconds,
               guint64 bytes_in, guint64 bytes_out)
{
  g_autoptr (GVariant) period = g_variant_dict_lookup_value (dict, name, G_VARIANT_TYPE ("a{sv}"));
  g_autoptr (GVariantDict) p = NULL;
  guint32 u = 0;
  gint64 x = 0;
  guint64 t = 0;

  ck_assert_msg (period != NULL, "no %s", name);
  p = g_variant_dict_new (period);
  ck_assert (g_variant_dict_lookup (p, "sessions", "u", &u));
  ck_assert_msg (u == sessions, "%s: %u sessions, not %u", name, u, sessions);
  ck_assert (g_variant_dict_lookup (p, "failed", "u", &u));
  ck_assert_msg (u == failed, "%s: %u failed, not %u", name, u, failed);
  ck_assert (g_variant_dict_lookup (p, "seconds", "x", &x));
  ck_assert_msg (x == seconds, "%s: %" G_GINT64_FORMAT " s", name, x);
  ck_assert (g_variant_dict_lookup (p, "bytes_in", "t", &t));
  ck_assert_msg (t == bytes_in, "%s: %" G_GUINT64_FORMAT " in", name, t);
  ck_assert (g_variant_dict_lookup (p, "bytes_out", "t", &t));
  ck_assert_msg (t == bytes_out, "%s: %" G_GUINT64_FORMAT " out", name, t);
}

START_TEST (test_traffic_per_period)
{
  g_autoptr (LersPollQueue) queue = lers_poll_queue_new (lers_check_get_store ());
  g_autoptr (GTimeZone) moscow = g_time_zone_new_identifier ("Europe/Moscow");
  g_autoptr (GDateTime) now = at (NOW_ISO);
  g_autoptr (GVariant) all = NULL;
  g_autoptr (GVariantDict) gw = NULL;
  g_autoptr (GVariantDict) modem = NULL;
  g_autoptr (GError) error = NULL;
  const gchar *s = NULL;
  gint32 level = 0;

  fill (queue);
  all = lers_poll_queue_get_traffic_sync (queue, 0, moscow, now, NULL, &error);
  lers_check_assert_no_error (error);
  ck_assert_str_eq (g_variant_get_type_string (all), "aa{sv}");
  /* connection 3 has no sessions: no entry */
  ck_assert_uint_eq (g_variant_n_children (all), 2);

  gw = entry_of (all, 1);
  ck_assert (g_variant_dict_lookup (gw, "identity", "&s", &s));
  ck_assert_str_eq (s, "");
  ck_assert (g_variant_dict_lookup (gw, "address", "&s", &s));
  ck_assert_str_eq (s, "tcp:gw1:4001");
  ck_assert (!g_variant_dict_contains (gw, "last_signal_level"));
  ck_assert (!g_variant_dict_contains (gw, "firmware"));
  /* today (30 Nov MSK): a, b, e: 3 sessions, b and e failed, 30 + 60 + 20
   * = 110 s, 1000 + 500 + 20 = 1520 in, 200 + 100 + 7 = 307 out */
  assert_period (gw, "today", 3, 2, 110, 1520, 307);
  /* yesterday: c, d: 45 + 10 = 55 s, 310 in, 55 out */
  assert_period (gw, "yesterday", 2, 0, 55, 310, 55);
  /* November MSK: a b c d e f h: 110 + 55 + 100 + 5 = 270 s,
   * 1520 + 310 + 4000 + 1 = 5831 in, 307 + 55 + 800 + 1 = 1163 out */
  assert_period (gw, "this_month", 7, 2, 270, 5831, 1163);
  /* October MSK: g */
  assert_period (gw, "last_month", 1, 1, 200, 7000, 900);

  modem = entry_of (all, 2);
  ck_assert (g_variant_dict_lookup (modem, "identity", "&s", &s));
  ck_assert_str_eq (s, "860000000000001");
  /* the newest that reported each: j's signal, i's firmware and SIM */
  ck_assert (g_variant_dict_lookup (modem, "last_signal_level", "i", &level));
  ck_assert_int_eq (level, -65);
  ck_assert (g_variant_dict_lookup (modem, "firmware", "&s", &s));
  ck_assert_str_eq (s, "1.2");
  ck_assert (g_variant_dict_lookup (modem, "sim_id", "&s", &s));
  ck_assert_str_eq (s, "8970100");
  /* i and j today: 120 + 60 s, j idle counts as failed */
  assert_period (modem, "today", 2, 1, 180, 3000, 400);
  assert_period (modem, "yesterday", 0, 0, 0, 0, 0);
  assert_period (modem, "this_month", 2, 1, 180, 3000, 400);
  assert_period (modem, "last_month", 0, 0, 0, 0, 0);
}
END_TEST

START_TEST (test_traffic_zone_and_filter)
{
  g_autoptr (LersPollQueue) queue = lers_poll_queue_new (lers_check_get_store ());
  g_autoptr (GTimeZone) utc = g_time_zone_new_utc ();
  g_autoptr (GDateTime) now = at (NOW_ISO);
  g_autoptr (GVariant) one = NULL;
  g_autoptr (GVariant) none = NULL;
  g_autoptr (GVariantDict) gw = NULL;
  g_autoptr (GError) error = NULL;

  fill (queue);
  /* in UTC e (29th 21:30Z) is yesterday's and h (31 Oct) October's */
  one = lers_poll_queue_get_traffic_sync (queue, 1, utc, now, NULL, &error);
  lers_check_assert_no_error (error);
  ck_assert_uint_eq (g_variant_n_children (one), 1);
  gw = entry_of (one, 1);
  /* today: a, b: 90 s, 1500 in, 300 out */
  assert_period (gw, "today", 2, 1, 90, 1500, 300);
  /* yesterday: c, d, e: 75 s, 330 in, 62 out */
  assert_period (gw, "yesterday", 3, 1, 75, 330, 62);
  /* November: a b c d e f: 265 s, 5830 in, 1162 out */
  assert_period (gw, "this_month", 6, 2, 265, 5830, 1162);
  /* October: g h: 205 s, 7001 in, 901 out */
  assert_period (gw, "last_month", 2, 1, 205, 7001, 901);

  none = lers_poll_queue_get_traffic_sync (queue, 3, utc, now, NULL, &error);
  lers_check_assert_no_error (error);
  ck_assert_uint_eq (g_variant_n_children (none), 0);
}
END_TEST

START_TEST (test_list_sessions)
{
  g_autoptr (LersPollQueue) queue = lers_poll_queue_new (lers_check_get_store ());
  g_autoptr (GPtrArray) all = NULL;
  g_autoptr (GPtrArray) three = NULL;
  g_autoptr (GPtrArray) day = NULL;
  g_autoptr (GDateTime) from = at ("2026-11-29T00:00:00Z");
  g_autoptr (GDateTime) to = at ("2026-11-30T00:00:00Z");
  g_autoptr (GError) error = NULL;
  LersLinkSession *b, *i;
  g_autofree gchar *b_start = NULL;
  g_autofree gchar *b_end = NULL;

  fill (queue);
  all = lers_poll_queue_list_sessions_sync (queue, 0, NULL, NULL, 0, NULL, &error);
  lers_check_assert_no_error (error);
  ck_assert_uint_eq (all->len, 10);

  /* newest first: b (30th 09:00), a (08:00), e (29th 21:30) */
  three = lers_poll_queue_list_sessions_sync (queue, 1, NULL, NULL, 3, NULL, &error);
  lers_check_assert_no_error (error);
  ck_assert_uint_eq (three->len, 3);
  b = g_ptr_array_index (three, 0);
  b_start = g_date_time_format_iso8601 (lers_link_session_get_started (b));
  b_end = g_date_time_format_iso8601 (lers_link_session_get_ended (b));
  ck_assert_str_eq (b_start, "2026-11-30T09:00:00Z");
  ck_assert_str_eq (b_end, "2026-11-30T09:01:00Z");
  ck_assert_int_eq (lers_link_session_get_connection_id (b), 1);
  ck_assert_uint_eq (lers_link_session_get_bytes_in (b), 500);
  ck_assert_uint_eq (lers_link_session_get_bytes_out (b), 100);
  ck_assert_str_eq (lers_link_session_get_end_reason (b), "error");
  ck_assert_str_eq (lers_link_session_get_error (b), "timeout");
  ck_assert_int_eq (lers_link_session_get_signal_level (b), 0);
  ck_assert (lers_link_session_get_firmware (b) == NULL);
  ck_assert_uint_eq (lers_link_session_get_bytes_in (g_ptr_array_index (three, 1)), 1000);
  ck_assert_uint_eq (lers_link_session_get_bytes_in (g_ptr_array_index (three, 2)), 20);

  /* started on the 29th (UTC): e, d, c */
  day = lers_poll_queue_list_sessions_sync (queue, 1, from, to, 0, NULL, &error);
  lers_check_assert_no_error (error);
  ck_assert_uint_eq (day->len, 3);
  ck_assert_uint_eq (lers_link_session_get_bytes_in (g_ptr_array_index (day, 0)), 20);
  ck_assert_uint_eq (lers_link_session_get_bytes_in (g_ptr_array_index (day, 1)), 10);
  ck_assert_uint_eq (lers_link_session_get_bytes_in (g_ptr_array_index (day, 2)), 300);

  /* the modem's: what it reported comes back */
  g_clear_pointer (&all, g_ptr_array_unref);
  all = lers_poll_queue_list_sessions_sync (queue, 2, NULL, NULL, 0, NULL, &error);
  lers_check_assert_no_error (error);
  ck_assert_uint_eq (all->len, 2);
  i = g_ptr_array_index (all, 1);
  ck_assert_int_eq (lers_link_session_get_signal_level (i), -71);
  ck_assert_str_eq (lers_link_session_get_firmware (i), "1.2");
  ck_assert_str_eq (lers_link_session_get_sim_id (i), "8970100");
  ck_assert_str_eq (lers_link_session_get_modem_identity (i), "860000000000001");
}
END_TEST

START_TEST (test_record_bad_session)
{
  g_autoptr (LersPollQueue) queue = lers_poll_queue_new (lers_check_get_store ());
  g_autoptr (GDateTime) started = at ("2026-11-30T09:00:00Z");
  g_autoptr (GDateTime) before = at ("2026-11-30T08:59:59Z");
  g_autoptr (LersLinkSession) open = NULL;
  g_autoptr (LersLinkSession) backwards = NULL;
  g_autoptr (LersLinkSession) nowhere = NULL;
  g_autoptr (GError) e1 = NULL;
  g_autoptr (GError) e2 = NULL;
  g_autoptr (GError) e3 = NULL;

  lers_check_sql_exec ("INSERT INTO connections (id, kind, host, port) VALUES (1, 0, 'gw1', 4001)");
  open = lers_link_session_new (1, started);
  ck_assert (!lers_poll_queue_record_session_sync (queue, open, NULL, &e1));
  lers_check_assert_error (e1, LERS_ERROR, LERS_ERROR_INVALID_ARGUMENT);

  backwards = lers_link_session_new (1, started);
  lers_link_session_set_ended (backwards, before);
  ck_assert (!lers_poll_queue_record_session_sync (queue, backwards, NULL, &e2));
  lers_check_assert_error (e2, LERS_ERROR, LERS_ERROR_INVALID_ARGUMENT);

  nowhere = lers_link_session_new (999, started);
  lers_link_session_set_ended (nowhere, started);
  ck_assert (!lers_poll_queue_record_session_sync (queue, nowhere, NULL, &e3));
  lers_check_assert_error (e3, LERS_ERROR, LERS_ERROR_NOT_FOUND);
  ck_assert_int_eq (lers_link_session_get_id (nowhere), 0);

  ck_assert_int_eq (lers_check_sql_int ("SELECT count(*) FROM link_sessions"), 0);
}
END_TEST

static Suite *
sessions_suite (void)
{
  Suite *s = suite_create ("link-sessions");
  TCase *tc = tcase_create ("sessions");

  tcase_add_unchecked_fixture (tc, lers_check_cluster_setup, lers_check_cluster_teardown);
  tcase_add_checked_fixture (tc, lers_check_store_setup, lers_check_store_teardown);
  tcase_add_test (tc, test_traffic_per_period);
  tcase_add_test (tc, test_traffic_zone_and_filter);
  tcase_add_test (tc, test_list_sessions);
  tcase_add_test (tc, test_record_bad_session);
  suite_add_tcase (s, tc);
  return s;
}

int
main (int argc, char **argv)
{
  lers_check_init (&argc, &argv);
  return lers_check_run_suite (sessions_suite ());
}
