/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * LersMbusSession on the transport contract: with the memory transport and
 * a manual clock (resends, late duplicates, quirks), and with the simulator
 * over a socket pair (two circuits, day and month archives, the clock, bus
 * scans with collisions). Nothing here sleeps: time moves only when a test
 * advances the manual clock.
 */
#include <check.h>
#include <gio/gio.h>
#include <math.h>
#include <sys/socket.h>

#include "lers-check.h"
#include "lers-mbus-driver.h"
#include "lers-mbus-session.h"
#include "lers-mbus-simulator.h"
#include "mbus-frame.h"
#include "mbus-test-util.h"

/* 1 Gcal = 1.163 MWh */
#define WH_PER_GCAL 1.163e6

/* ---- helpers ---------------------------------------------------------------- */

static LersDeviceSession *
open_session (MbusTestScript *s, LersDevice *device, guint step_ms, GError **error)
{
  LersDeviceSession *session = lers_mbus_session_new (s->transport, device);
  MbusTestWait w = { 0 };

  lers_device_session_open_async (session, NULL, mbus_test_wait_cb, &w);
  mbus_test_wait_for (&w, s->clock, step_ms);
  if (!lers_device_session_open_finish (session, w.result, error))
    g_clear_object (&session);
  g_object_unref (w.result);
  return session;
}

static GPtrArray *
read_kind (LersDeviceSession *session, LersClock *clock, guint step_ms, LersArchiveKind kind,
           GDateTime *from, GDateTime *to, GError **error)
{
  MbusTestWait w = { 0 };
  GPtrArray *records;

  lers_device_session_read_archive_async (session, kind, from, to, NULL, NULL, mbus_test_wait_cb,
                                          &w);
  mbus_test_wait_for (&w, clock, step_ms);
  records = lers_device_session_read_archive_finish (session, w.result, error);
  g_object_unref (w.result);
  return records;
}

/* Telegram 1 ends with DIF 1F and holds 1000 Wh (04 03 E8030000); telegram
 * 2 holds 2000 litres (04 13 D0070000). The first REQ_UD2's answer comes
 * after the timeout: the session resends the same REQ_UD2 (FCB=1), the
 * late answer arrives and is telegram 1; the meter's answer to the resend
 * is telegram 1 again (same access number) and comes before telegram 2.
 * Hand-computed: Q_in = 1000 / 1.163e6 Gcal = 8.598452278589854e-4;
 * V_in = 2000 × 10⁻³ m³ = 2 m³. */
START_TEST (test_late_duplicate_dropped)
{
  MbusTestScript s = { 0 };
  g_autoptr (LersDevice) device = lers_device_new ();
  g_autoptr (LersDeviceSession) session = NULL;
  g_autoptr (GPtrArray) records = NULL;
  g_autoptr (GError) error = NULL;
  g_autoptr (GBytes) t1 = mbus_test_rsp_ud (5, 1, "04 03 E8 03 00 00 1F");
  g_autoptr (GBytes) t2 = mbus_test_rsp_ud (5, 2, "04 13 D0 07 00 00");
  g_autoptr (GByteArray) both = g_byte_array_new ();
  LersRecord *r;

  mbus_test_script_init (&s);
  lers_device_set_network_address (device, "5");
  lers_device_set_option (device, "answer-timeout-ms", "1000");
  g_byte_array_append (both, g_bytes_get_data (t1, NULL), (guint) g_bytes_get_size (t1));
  g_byte_array_append (both, g_bytes_get_data (t2, NULL), (guint) g_bytes_get_size (t2));
  mbus_test_script_answer (&s, mbus_test_hex ("E5")); /* SND_NKE */
  mbus_test_script_answer (&s, NULL);                 /* REQ_UD2 FCB=1: late */
  mbus_test_script_answer (&s, g_bytes_ref (t1));     /* the resend: the late answer arrives */
  mbus_test_script_answer (&s, g_byte_array_free_to_bytes (g_steal_pointer (&both))); /* FCB=0 */
  session = open_session (&s, device, 100, &error);
  ck_assert_msg (session != NULL, "%s", error ? error->message : "");
  records = read_kind (session, s.clock, 100, LERS_ARCHIVE_KIND_CURRENT, NULL, NULL, &error);
  ck_assert_msg (records != NULL, "%s", error ? error->message : "");
  ck_assert_uint_eq (records->len, 1);
  r = g_ptr_array_index (records, 0);
  ck_assert_uint_eq (lers_record_get_channel (r), 0);
  ck_assert_double_eq_tol (mbus_test_value_of (r, LERS_PARAMETER_Q_IN), 8.598452278589854e-4,
                           1e-15);
  ck_assert_double_eq_tol (mbus_test_value_of (r, LERS_PARAMETER_V_IN), 2.0, 1e-12);
  /* SND_NKE to 5; REQ_UD2 FCB=1 (C=7B) twice, the same bytes; FCB=0 (C=5B) */
  mbus_test_assert_output (&s, "1040054516 107B058016 107B058016 105B056016");
  ck_assert_uint_eq (s.n_writes, 4);
  mbus_test_script_clear (&s);
}
END_TEST

/* No answer at all: 1 + retries REQ_UD2, all FCB=1, then LERS_ERROR_TIMED_OUT */
START_TEST (test_retries_exhausted)
{
  MbusTestScript s = { 0 };
  g_autoptr (LersDevice) device = lers_device_new ();
  g_autoptr (LersDeviceSession) session = NULL;
  g_autoptr (GPtrArray) records = NULL;
  g_autoptr (GError) error = NULL;

  mbus_test_script_init (&s);
  lers_device_set_network_address (device, "5");
  lers_device_set_option (device, "retries", "2");
  lers_device_set_option (device, "answer-timeout-ms", "500");
  mbus_test_script_answer (&s, mbus_test_hex ("E5"));
  session = open_session (&s, device, 100, &error);
  ck_assert_msg (session != NULL, "%s", error ? error->message : "");
  records = read_kind (session, s.clock, 100, LERS_ARCHIVE_KIND_CURRENT, NULL, NULL, &error);
  ck_assert_ptr_null (records);
  ck_assert_msg (g_error_matches (error, LERS_ERROR, LERS_ERROR_TIMED_OUT), "%s",
                 error ? error->message : "no error");
  ck_assert_ptr_nonnull (strstr (error->message, "3 attempts"));
  mbus_test_assert_output (&s, "1040054516 107B058016 107B058016 107B058016");
  mbus_test_script_clear (&s);
}
END_TEST

/* A garbled answer (checksum 00 instead of the right one) is resent */
START_TEST (test_garbled_answer_resent)
{
  MbusTestScript s = { 0 };
  g_autoptr (LersDevice) device = lers_device_new ();
  g_autoptr (LersDeviceSession) session = NULL;
  g_autoptr (GPtrArray) records = NULL;
  g_autoptr (GError) error = NULL;
  g_autoptr (GBytes) good = mbus_test_rsp_ud (5, 7, "04 13 D0 07 00 00");
  g_autoptr (GByteArray) bad = g_byte_array_new ();

  mbus_test_script_init (&s);
  lers_device_set_network_address (device, "5");
  g_byte_array_append (bad, g_bytes_get_data (good, NULL), (guint) g_bytes_get_size (good));
  bad->data[bad->len - 2] ^= 0xFF;
  mbus_test_script_answer (&s, mbus_test_hex ("E5"));
  mbus_test_script_answer (&s, g_byte_array_free_to_bytes (g_steal_pointer (&bad)));
  mbus_test_script_answer (&s, g_bytes_ref (good));
  session = open_session (&s, device, 100, &error);
  ck_assert_msg (session != NULL, "%s", error ? error->message : "");
  records = read_kind (session, s.clock, 100, LERS_ARCHIVE_KIND_TOTALS, NULL, NULL, &error);
  ck_assert_msg (records != NULL, "%s", error ? error->message : "");
  ck_assert_uint_eq (records->len, 1);
  ck_assert_double_eq_tol (mbus_test_value_of (g_ptr_array_index (records, 0), LERS_PARAMETER_V_IN),
                           2.0, 1e-12);
  mbus_test_assert_output (&s, "1040054516 107B058016 107B058016");
  mbus_test_script_clear (&s);
}
END_TEST

/* The quirks of "LRS pulse adapter v1" (models.ini): no SND_NKE, a first
 * byte may take 3000 ms. The device's own option beats the quirk. Without
 * SND_NKE the first answer may be the meter's stale repeat: it is dropped,
 * and the read goes on until the cycle is seen whole (the adapter has one
 * telegram: the third answer repeats the second). */
START_TEST (test_model_quirks)
{
  MbusTestScript s = { 0 };
  g_autoptr (LersDevice) device = lers_device_new ();
  g_autoptr (LersDeviceSession) session = NULL;
  g_autoptr (GError) error = NULL;
  MbusTestWait w = { 0 };
  g_autoptr (GPtrArray) records = NULL;
  g_autoptr (GBytes) answer = mbus_test_rsp_ud (5, 3, "04 13 D0 07 00 00");

  mbus_test_script_init (&s);
  lers_transport_set_first_byte_timeout_ms (s.transport, 700);
  lers_device_set_network_address (device, "5");
  lers_device_set_model (device, "LRS pulse adapter v1");
  mbus_test_script_answer (&s, NULL); /* REQ_UD2 FCB=1 */
  mbus_test_script_answer (&s, NULL); /* its resend, answered below */
  mbus_test_script_answer (&s, mbus_test_rsp_ud (5, 4, "04 13 D0 07 00 00")); /* FCB=0 */
  mbus_test_script_answer (
      &s, mbus_test_rsp_ud (5, 5, "04 13 D0 07 00 00")); /* FCB=1: the cycle wrapped */
  session = open_session (&s, device, 100, &error);
  ck_assert_msg (session != NULL, "%s", error ? error->message : "");
  ck_assert_str_eq (lers_device_session_get_option (session, "answer-timeout-ms"), "3000");
  lers_device_session_read_archive_async (session, LERS_ARCHIVE_KIND_CURRENT, NULL, NULL, NULL,
                                          NULL, mbus_test_wait_cb, &w);
  mbus_test_drain ();
  lers_clock_advance (s.clock, 2999);
  mbus_test_drain ();
  /* no SND_NKE; one REQ_UD2 so far: 2999 ms is within the quirk's timeout */
  mbus_test_assert_output (&s, "107B058016");
  lers_clock_advance (s.clock, 1);
  mbus_test_drain ();
  mbus_test_assert_output (&s, "107B058016");
  lers_memory_transport_push_input (LERS_MEMORY_TRANSPORT (s.transport), answer);
  mbus_test_wait_for (&w, s.clock, 100);
  records = lers_device_session_read_archive_finish (session, w.result, &error);
  g_object_unref (w.result);
  ck_assert_msg (records != NULL, "%s", error ? error->message : "");
  ck_assert_uint_eq (records->len, 1);
  /* 2000 l = 2 m³ */
  ck_assert_double_eq_tol (mbus_test_value_of (g_ptr_array_index (records, 0), LERS_PARAMETER_V_IN),
                           2.0, 1e-12);
  /* the FCB goes on: 5B, then 7B */
  mbus_test_assert_output (&s, "105B056016 107B058016");

  /* set-clock is not among this model's quirks */
  {
    g_autoptr (GDateTime) t = g_date_time_new_utc (2026, 11, 10, 5, 0, 0);
    MbusTestWait c = { 0 };
    g_autoptr (GError) clock_error = NULL;

    lers_device_session_set_clock_async (session, t, NULL, mbus_test_wait_cb, &c);
    mbus_test_wait_for (&c, s.clock, 100);
    ck_assert (!lers_device_session_set_clock_finish (session, c.result, &clock_error));
    ck_assert (g_error_matches (clock_error, LERS_ERROR, LERS_ERROR_NOT_SUPPORTED));
    g_object_unref (c.result);
  }
  /* the link is shared: closing gives it back its own timeout */
  ck_assert_uint_eq (lers_transport_get_first_byte_timeout_ms (s.transport), 3000);
  {
    MbusTestWait c = { 0 };

    lers_device_session_close_async (session, NULL, mbus_test_wait_cb, &c);
    mbus_test_wait_for (&c, s.clock, 100);
    ck_assert (lers_device_session_close_finish (session, c.result, NULL));
    g_object_unref (c.result);
  }
  ck_assert_uint_eq (lers_transport_get_first_byte_timeout_ms (s.transport), 700);
  mbus_test_script_clear (&s);
}
END_TEST

/* The device's option `address` overrides its network address; a bad one
 * is LERS_ERROR_INVALID_ARGUMENT before anything is sent */
START_TEST (test_address_option)
{
  MbusTestScript s = { 0 };
  g_autoptr (LersDevice) device = lers_device_new ();
  g_autoptr (LersDeviceSession) session = NULL;
  g_autoptr (GError) error = NULL;

  mbus_test_script_init (&s);
  lers_device_set_network_address (device, "5");
  lers_device_set_option (device, "address", "9");
  mbus_test_script_answer (&s, mbus_test_hex ("E5"));
  session = open_session (&s, device, 100, &error);
  ck_assert_msg (session != NULL, "%s", error ? error->message : "");
  /* SND_NKE to 9: 10 40 09, checksum 0x40 + 0x09 = 0x49, 16 */
  mbus_test_assert_output (&s, "1040094916");
  g_clear_object (&session);

  lers_device_set_option (device, "address", "251");
  session = open_session (&s, device, 100, &error);
  ck_assert_ptr_null (session);
  ck_assert (g_error_matches (error, LERS_ERROR, LERS_ERROR_INVALID_ARGUMENT));
  ck_assert_ptr_nonnull (strstr (error->message, "251"));
  mbus_test_assert_output (&s, "");
  mbus_test_script_clear (&s);
}
END_TEST

/* ---- the simulator over a socket pair ---------------------------------------- */

static LersDeviceSession *
link_session (MbusTestLink *l, LersDevice *device)
{
  g_autoptr (GError) error = NULL;
  LersDeviceSession *session = lers_mbus_session_new (l->transport, device);
  MbusTestWait w = { 0 };

  lers_device_session_open_async (session, NULL, mbus_test_wait_cb, &w);
  mbus_test_wait_for (&w, l->clock, 50);
  ck_assert_msg (lers_device_session_open_finish (session, w.result, &error), "%s",
                 error ? error->message : "");
  g_object_unref (w.result);
  return session;
}

/* the zone the device's clock keeps, as the store resolves it */
static void
set_zone (LersDevice *device, const gchar *name)
{
  g_autoptr (GTimeZone) zone = g_time_zone_new_identifier (name);

  ck_assert_ptr_nonnull (zone);
  lers_device_set_clock_zone (device, name);
  lers_device_set_effective_clock_zone (device, zone);
}

static LersMbusSimulator *
make_sim (const gchar *serial, guint address, guint seed, guint circuits, gint64 clock_time)
{
  mbus_test_register_types ();
  return g_object_new (LERS_TYPE_MBUS_SIMULATOR, "serial-number", serial, "address", address,
                       "seed", seed, "circuits", circuits, "clock-zone", "UTC", "clock-time",
                       clock_time, NULL);
}

static LersRecord *
find_record (GPtrArray *records, guint channel, GDateTime *time)
{
  for (guint i = 0; i < records->len; i++)
    {
      LersRecord *r = g_ptr_array_index (records, i);
      if (lers_record_get_channel (r) == channel
          && g_date_time_equal (lers_record_get_timestamp (r), time))
        return r;
    }
  return NULL;
}

static gdouble
circuit_gcal (LersMbusSimulator *sim, guint subunit, GDateTime *t)
{
  gint64 e = 0;
  ck_assert (lers_mbus_simulator_get_circuit_totals (sim, subunit, t, &e, NULL));
  return (gdouble) e / WH_PER_GCAL;
}

/* A two-circuit meter: circuit 2 (DIFE subunit 1) lands on channel 1, with
 * its own registers, hour by hour */
START_TEST (test_two_circuits)
{
  g_autoptr (GDateTime) now = g_date_time_new_utc (2026, 11, 10, 12, 30, 0);
  g_autoptr (LersMbusSimulator) sim = make_sim ("10000042", 7, 42, 2, g_date_time_to_unix (now));
  g_autoptr (LersDevice) device = lers_device_new ();
  g_autoptr (LersDeviceSession) session = NULL;
  g_autoptr (GPtrArray) current = NULL;
  g_autoptr (GPtrArray) hours = NULL;
  g_autoptr (GDateTime) from = g_date_time_new_utc (2026, 11, 10, 9, 0, 0);
  g_autoptr (GDateTime) to = g_date_time_new_utc (2026, 11, 10, 12, 0, 0);
  g_autoptr (GError) error = NULL;
  MbusTestLink l = { 0 };

  mbus_test_link_open (&l, sim, FALSE);
  lers_device_set_network_address (device, "7");
  set_zone (device, "UTC");
  session = link_session (&l, device);
  current = read_kind (session, NULL, 0, LERS_ARCHIVE_KIND_CURRENT, NULL, NULL, &error);
  ck_assert_msg (current != NULL, "%s", error ? error->message : "");
  ck_assert_uint_eq (current->len, 2);
  ck_assert_uint_eq (lers_record_get_channel (g_ptr_array_index (current, 1)), 1);
  ck_assert (mbus_test_value_of (g_ptr_array_index (current, 1), LERS_PARAMETER_T_IN) >= 70.5);
  ck_assert (mbus_test_value_of (g_ptr_array_index (current, 1), LERS_PARAMETER_T_IN) <= 94.5);

  hours = read_kind (session, NULL, 0, LERS_ARCHIVE_KIND_HOUR, from, to, &error);
  ck_assert_msg (hours != NULL, "%s", error ? error->message : "");
  ck_assert_uint_eq (hours->len, 6); /* 3 hours × 2 circuits */
  for (guint h = 9; h < 12; h++)
    for (guint ch = 0; ch < 2; ch++)
      {
        g_autoptr (GDateTime) s = g_date_time_new_utc (2026, 11, 10, (gint) h, 0, 0);
        g_autoptr (GDateTime) e = g_date_time_add_hours (s, 1);
        LersRecord *r = find_record (hours, ch, s);
        ck_assert_msg (r != NULL, "no record for %u:00 channel %u", h, ch);
        ck_assert_double_eq_tol (mbus_test_value_of (r, LERS_PARAMETER_Q_IN),
                                 circuit_gcal (sim, ch, e) - circuit_gcal (sim, ch, s), 1e-9);
      }
  /* the circuits differ */
  ck_assert (circuit_gcal (sim, 0, from) != circuit_gcal (sim, 1, from));
  mbus_test_link_close (&l);
}
END_TEST

/* Day and month records from the registers stored at midnight and on the
 * first of the month (the hour archive's time points); no averages */
START_TEST (test_day_and_month)
{
  g_autoptr (GDateTime) now = g_date_time_new_utc (2026, 11, 10, 12, 30, 0);
  g_autoptr (LersMbusSimulator) sim = make_sim ("10000042", 7, 42, 1, g_date_time_to_unix (now));
  g_autoptr (LersDevice) device = lers_device_new ();
  g_autoptr (LersDeviceSession) session = NULL;
  g_autoptr (GPtrArray) days = NULL;
  g_autoptr (GPtrArray) months = NULL;
  g_autoptr (GDateTime) d7 = g_date_time_new_utc (2026, 11, 7, 0, 0, 0);
  g_autoptr (GDateTime) d8 = g_date_time_new_utc (2026, 11, 8, 0, 0, 0);
  g_autoptr (GDateTime) d9 = g_date_time_new_utc (2026, 11, 9, 0, 0, 0);
  g_autoptr (GDateTime) oct = g_date_time_new_utc (2026, 10, 1, 0, 0, 0);
  g_autoptr (GDateTime) nov = g_date_time_new_utc (2026, 11, 1, 0, 0, 0);
  g_autoptr (GError) error = NULL;
  LersRecord *r;
  MbusTestLink l = { 0 };

  mbus_test_link_open (&l, sim, FALSE);
  lers_device_set_network_address (device, "7");
  set_zone (device, "UTC");
  session = link_session (&l, device);
  days = read_kind (session, NULL, 0, LERS_ARCHIVE_KIND_DAY, d7, d9, &error);
  ck_assert_msg (days != NULL, "%s", error ? error->message : "");
  ck_assert_uint_eq (days->len, 2);
  r = find_record (days, 0, d7);
  ck_assert_ptr_nonnull (r);
  ck_assert_int_eq (lers_record_get_kind (r), LERS_ARCHIVE_KIND_DAY);
  ck_assert_double_eq_tol (mbus_test_value_of (r, LERS_PARAMETER_Q_IN),
                           circuit_gcal (sim, 0, d8) - circuit_gcal (sim, 0, d7), 1e-9);
  ck_assert (!lers_record_has_value (r, LERS_PARAMETER_T_IN));

  months = read_kind (session, NULL, 0, LERS_ARCHIVE_KIND_MONTH, oct, nov, &error);
  ck_assert_msg (months != NULL, "%s", error ? error->message : "");
  ck_assert_uint_eq (months->len, 1);
  r = g_ptr_array_index (months, 0);
  ck_assert (g_date_time_equal (lers_record_get_timestamp (r), oct));
  ck_assert_double_eq_tol (mbus_test_value_of (r, LERS_PARAMETER_Q_IN),
                           circuit_gcal (sim, 0, nov) - circuit_gcal (sim, 0, oct), 1e-9);
  mbus_test_link_close (&l);
}
END_TEST

static GDateTime *
read_clock (LersDeviceSession *session, GError **error)
{
  MbusTestWait w = { 0 };
  GDateTime *t;

  lers_device_session_read_clock_async (session, NULL, mbus_test_wait_cb, &w);
  mbus_test_wait_for (&w, NULL, 0);
  t = lers_device_session_read_clock_finish (session, w.result, error);
  g_object_unref (w.result);
  return t;
}

static gboolean
set_clock (LersDeviceSession *session, GDateTime *time, GError **error)
{
  MbusTestWait w = { 0 };
  gboolean ok;

  lers_device_session_set_clock_async (session, time, NULL, mbus_test_wait_cb, &w);
  mbus_test_wait_for (&w, NULL, 0);
  ok = lers_device_session_set_clock_finish (session, w.result, error);
  g_object_unref (w.result);
  return ok;
}

/* Time sync (CI 0x6C) on a model whose quirks allow it; the meter's clock
 * then reads back as set, in the device's clock zone */
START_TEST (test_set_and_read_clock)
{
  g_autoptr (GDateTime) now = g_date_time_new_utc (2026, 11, 10, 12, 30, 0);
  g_autoptr (LersMbusSimulator) sim = make_sim ("10000042", 7, 42, 1, g_date_time_to_unix (now));
  g_autoptr (LersDevice) device = lers_device_new ();
  g_autoptr (LersDeviceSession) session = NULL;
  g_autoptr (GDateTime) target = g_date_time_new_utc (2026, 11, 10, 5, 17, 0);
  g_autoptr (GDateTime) before = NULL;
  g_autoptr (GDateTime) after = NULL;
  g_autoptr (GError) error = NULL;
  MbusTestLink l = { 0 };

  g_object_set (sim, "clock-zone", "Asia/Vladivostok", NULL);
  mbus_test_link_open (&l, sim, FALSE);
  lers_device_set_network_address (device, "7");
  lers_device_set_model (device, "LRS heat meter v1");
  set_zone (device, "Asia/Vladivostok");
  session = link_session (&l, device);
  before = read_clock (session, &error);
  ck_assert_msg (before != NULL, "%s", error ? error->message : "");
  ck_assert_msg (g_date_time_equal (before, now), "%s", g_date_time_format_iso8601 (before));
  /* the device's zone: 12:30 UTC is 22:30 in Vladivostok (UTC+10) */
  ck_assert_int_eq (g_date_time_get_hour (before), 22);
  ck_assert (set_clock (session, target, &error));
  after = read_clock (session, &error);
  ck_assert_msg (after != NULL, "%s", error ? error->message : "");
  ck_assert (g_date_time_equal (after, target));
  ck_assert_int_eq (g_date_time_get_hour (after), 15);
  mbus_test_link_close (&l);
}
END_TEST

/* ---- bus scans ------------------------------------------------------------ */

static GPtrArray *
scan (MbusTestLink *l, const gchar *pattern, GError **error)
{
  g_autoptr (LersMbusDriver) driver = g_object_new (LERS_TYPE_MBUS_DRIVER, NULL);
  MbusTestWait w = { 0 };
  GPtrArray *devices;

  lers_transport_set_first_byte_timeout_ms (l->transport, 300);
  lers_transport_set_inter_byte_timeout_ms (l->transport, 50);
  lers_device_driver_scan_async (LERS_DEVICE_DRIVER (driver), l->transport, pattern, NULL, NULL,
                                 mbus_test_wait_cb, &w);
  mbus_test_wait_for (&w, l->clock, 50);
  devices = lers_device_driver_scan_finish (LERS_DEVICE_DRIVER (driver), w.result, error);
  g_object_unref (w.result);
  return devices;
}

static gboolean
has_device (GPtrArray *devices, const gchar *network_address, const gchar *serial,
            const gchar *model)
{
  for (guint i = 0; i < devices->len; i++)
    {
      LersDevice *d = g_ptr_array_index (devices, i);
      if (g_strcmp0 (lers_device_get_network_address (d), network_address) == 0
          && g_strcmp0 (lers_device_get_serial_number (d), serial) == 0
          && g_strcmp0 (lers_device_get_model (d), model) == 0
          && g_strcmp0 (lers_device_get_protocol (d), "mbus") == 0)
        return TRUE;
    }
  return FALSE;
}

/* three meters on one bus; 10000001 and 10000002 collide on every mask
 * down to the last digit. "LRS" is 0x3253, written "5332" (frame order); version 1 (one circuit) or
 * 2 (two); medium 04 (heat). */
static LersMbusSimulator *
make_bus (void)
{
  LersMbusSimulator *a = make_sim ("10000001", 1, 1, 1, 0);
  g_autoptr (LersMbusSimulator) b = make_sim ("10000002", 2, 2, 1, 0);
  g_autoptr (LersMbusSimulator) c = make_sim ("20000003", 3, 3, 2, 0);
  g_autoptr (GPtrArray) members = g_ptr_array_new_with_free_func (g_object_unref);

  g_ptr_array_add (members, g_object_ref (a));
  g_ptr_array_add (members, g_object_ref (b));
  g_ptr_array_add (members, g_object_ref (c));
  g_object_set (a, "bus-members", members, NULL);
  return a;
}

START_TEST (test_scan_secondary)
{
  g_autoptr (LersMbusSimulator) bus = make_bus ();
  g_autoptr (GPtrArray) devices = NULL;
  g_autoptr (GPtrArray) narrowed = NULL;
  g_autoptr (GError) error = NULL;
  MbusTestLink l = { 0 };

  mbus_test_link_open (&l, bus, TRUE);
  devices = scan (&l, "secondary", &error);
  ck_assert_msg (devices != NULL, "%s", error ? error->message : "");
  ck_assert_uint_eq (devices->len, 3);
  ck_assert (has_device (devices, "1000000153320104", "10000001", "LRS heat meter v1"));
  ck_assert (has_device (devices, "1000000253320104", "10000002", "LRS heat meter v1"));
  ck_assert (has_device (devices, "2000000353320204", "20000003", "LRS heat meter v2"));
  /* a mask narrows the search */
  narrowed = scan (&l, "2FFFFFFFFFFFFFFF", &error);
  ck_assert_msg (narrowed != NULL, "%s", error ? error->message : "");
  ck_assert_uint_eq (narrowed->len, 1);
  ck_assert (has_device (narrowed, "2000000353320204", "20000003", "LRS heat meter v2"));
  mbus_test_link_close (&l);
}
END_TEST

START_TEST (test_scan_primary)
{
  g_autoptr (LersMbusSimulator) bus = make_bus ();
  g_autoptr (GPtrArray) devices = NULL;
  g_autoptr (GError) error = NULL;
  MbusTestLink l = { 0 };

  mbus_test_link_open (&l, bus, TRUE);
  devices = scan (&l, NULL, &error);
  ck_assert_msg (devices != NULL, "%s", error ? error->message : "");
  ck_assert_uint_eq (devices->len, 3);
  ck_assert (has_device (devices, "1", "10000001", "LRS heat meter v1"));
  ck_assert (has_device (devices, "2", "10000002", "LRS heat meter v1"));
  ck_assert (has_device (devices, "3", "20000003", "LRS heat meter v2"));
  mbus_test_link_close (&l);
}
END_TEST

START_TEST (test_scan_bad_mask)
{
  g_autoptr (LersMbusSimulator) bus = make_bus ();
  g_autoptr (GError) error = NULL;
  g_autoptr (GPtrArray) devices = NULL;
  MbusTestLink l = { 0 };

  mbus_test_link_open (&l, bus, TRUE);
  devices = scan (&l, "12AB", &error);
  ck_assert_ptr_null (devices);
  ck_assert (g_error_matches (error, LERS_ERROR, LERS_ERROR_INVALID_ARGUMENT));
  mbus_test_link_close (&l);
}
END_TEST

int
main (int argc, char **argv)
{
  Suite *s = suite_create ("mbus-contract");
  TCase *memory = tcase_create ("memory");
  TCase *sim = tcase_create ("simulator");

  lers_check_init (&argc, &argv);
  tcase_add_test (memory, test_late_duplicate_dropped);
  tcase_add_test (memory, test_retries_exhausted);
  tcase_add_test (memory, test_garbled_answer_resent);
  tcase_add_test (memory, test_model_quirks);
  tcase_add_test (memory, test_address_option);
  tcase_add_test (sim, test_two_circuits);
  tcase_add_test (sim, test_day_and_month);
  tcase_add_test (sim, test_set_and_read_clock);
  tcase_add_test (sim, test_scan_secondary);
  tcase_add_test (sim, test_scan_primary);
  tcase_add_test (sim, test_scan_bad_mask);
  tcase_set_timeout (sim, 60);
  suite_add_tcase (s, memory);
  suite_add_tcase (s, sim);
  return lers_check_run_suite (s);
}
