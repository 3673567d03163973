/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * The M-Bus review findings, one test each: scans on a bus where identical
 * replies overlap cleanly, restarts without SND_NKE, SND_NKE after a
 * select, the line speed given back on close, a wildcard refused as a
 * device's address, a late RSP_UD of another address, a meter that cycles
 * with DIF 1F on every telegram. Memory transport and manual clock, or the
 * simulator over a socket pair, or a pseudo-terminal; nothing sleeps.
 */
#include <check.h>
#include <gio/gio.h>
#include <math.h>
#include <pty.h>
#include <sys/socket.h>
#include <unistd.h>

#include "lers-check.h"
#include "lers-mbus-driver.h"
#include "lers-mbus-session.h"
#include "lers-mbus-simulator.h"
#include "mbus-frame.h"
#include "mbus-test-util.h"

/* ---- helpers ---------------------------------------------------------------- */

static LersDeviceSession *
open_session (LersTransport *transport, LersClock *clock, LersDevice *device, GError **error)
{
  LersDeviceSession *session = lers_mbus_session_new (transport, device);
  MbusTestWait w = { 0 };

  lers_device_session_open_async (session, NULL, mbus_test_wait_cb, &w);
  mbus_test_wait_for (&w, clock, 100);
  if (!lers_device_session_open_finish (session, w.result, error))
    g_clear_object (&session);
  g_object_unref (w.result);
  return session;
}

static void
close_session (LersDeviceSession *session, LersClock *clock)
{
  MbusTestWait w = { 0 };

  lers_device_session_close_async (session, NULL, mbus_test_wait_cb, &w);
  mbus_test_wait_for (&w, clock, 100);
  ck_assert (lers_device_session_close_finish (session, w.result, NULL));
  g_object_unref (w.result);
}

static GPtrArray *
read_kind (LersDeviceSession *session, LersClock *clock, LersArchiveKind kind, GError **error)
{
  MbusTestWait w = { 0 };
  GPtrArray *records;

  lers_device_session_read_archive_async (session, kind, NULL, NULL, NULL, NULL, mbus_test_wait_cb,
                                          &w);
  mbus_test_wait_for (&w, clock, 100);
  records = lers_device_session_read_archive_finish (session, w.result, error);
  g_object_unref (w.result);
  return records;
}

/* ---- the simulator over a socket pair ---------------------------------------- */

static LersMbusSimulator *
make_sim (const gchar *serial, guint address, guint seed, gint64 clock_time)
{
  mbus_test_register_types ();
  return g_object_new (LERS_TYPE_MBUS_SIMULATOR, "serial-number", serial, "address", address,
                       "seed", seed, "circuits", 1, "clock-zone", "UTC", "clock-time", clock_time,
                       NULL);
}

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

/* ---- 1: scans --------------------------------------------------------------- */

/* Two meters on one bus answer SND_NKE: their E5s are the same byte and
 * arrive clean, one E5 (the scan tests below see their RSP_UDs collide) */
START_TEST (test_sim_identical_replies_clean)
{
  g_autoptr (LersMbusSimulator) a = make_sim ("10000001", 5, 1, 0);
  g_autoptr (LersMbusSimulator) b = make_sim ("10000002", 5, 2, 0);
  g_autoptr (GPtrArray) members = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr (GBytes) nke = mbus_test_hex ("10 40 05 45 16");
  g_autoptr (GBytes) ack = NULL;
  g_autoptr (GError) error = NULL;
  MbusTestLink l = { 0 };

  g_ptr_array_add (members, g_object_ref (a));
  g_ptr_array_add (members, g_object_ref (b));
  g_object_set (a, "bus-members", members, NULL);
  mbus_test_link_open (&l, a, FALSE);
  {
    MbusTestWait w = { 0 };

    lers_transport_exchange_async (l.transport, nke, lers_mbus_scan_frame, NULL, NULL, NULL,
                                   mbus_test_wait_cb, &w);
    mbus_test_wait_for (&w, NULL, 0);
    ack = lers_transport_exchange_finish (l.transport, w.result, &error);
    g_object_unref (w.result);
  }
  ck_assert_msg (ack != NULL, "%s", error ? error->message : "");
  ck_assert_uint_eq (g_bytes_get_size (ack), 1);
  ck_assert_uint_eq (((const guint8 *) g_bytes_get_data (ack, NULL))[0], 0xE5);
  mbus_test_link_close (&l);
}
END_TEST

/* Primary scan: meters 10000001 and 10000002 both at address 5, 20000003
 * at 3. Address 5 gives a clean E5 and a garbled RSP_UD: the scan reports
 * it as a warning entry, not as a meter */
START_TEST (test_scan_primary_shared_address)
{
  g_autoptr (LersMbusSimulator) a = make_sim ("10000001", 5, 1, 0);
  g_autoptr (LersMbusSimulator) b = make_sim ("10000002", 5, 2, 0);
  g_autoptr (LersMbusSimulator) c = make_sim ("20000003", 3, 3, 0);
  g_autoptr (GPtrArray) members = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr (GPtrArray) devices = NULL;
  g_autoptr (GError) error = NULL;
  LersDevice *meter = NULL, *warning = NULL;
  MbusTestLink l = { 0 };

  g_ptr_array_add (members, g_object_ref (a));
  g_ptr_array_add (members, g_object_ref (b));
  g_ptr_array_add (members, g_object_ref (c));
  g_object_set (a, "bus-members", members, NULL);
  mbus_test_link_open (&l, a, TRUE);
  devices = scan (&l, "primary", &error);
  ck_assert_msg (devices != NULL, "%s", error ? error->message : "");
  for (guint i = 0; i < devices->len; i++)
    {
      LersDevice *d = g_ptr_array_index (devices, i);
      if (lers_device_get_option (d, "warning") != NULL)
        warning = d;
      else
        meter = d;
    }
  ck_assert_uint_eq (devices->len, 2);
  ck_assert_ptr_nonnull (meter);
  ck_assert_str_eq (lers_device_get_network_address (meter), "3");
  ck_assert_str_eq (lers_device_get_serial_number (meter), "20000003");
  ck_assert_ptr_nonnull (warning);
  ck_assert_str_eq (lers_device_get_network_address (warning), "5");
  ck_assert_str_eq (lers_device_get_option (warning, "warning"),
                    "more than one meter answers at primary address 5; give them different "
                    "addresses or scan by secondary address");
  mbus_test_link_close (&l);
}
END_TEST

/* Secondary scan: 10000001 and 10000002 give one clean E5 to every mask
 * down to 1000000F; only the garbled RSP_UD to 253 tells the collision */
START_TEST (test_scan_secondary_overlapping_e5)
{
  g_autoptr (LersMbusSimulator) a = make_sim ("10000001", 1, 1, 0);
  g_autoptr (LersMbusSimulator) b = make_sim ("10000002", 2, 2, 0);
  g_autoptr (GPtrArray) members = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr (GPtrArray) devices = NULL;
  g_autoptr (GError) error = NULL;
  gboolean seen1 = FALSE, seen2 = FALSE;
  MbusTestLink l = { 0 };

  g_ptr_array_add (members, g_object_ref (a));
  g_ptr_array_add (members, g_object_ref (b));
  g_object_set (a, "bus-members", members, NULL);
  mbus_test_link_open (&l, a, TRUE);
  devices = scan (&l, "1FFFFFFFFFFFFFFF", &error);
  ck_assert_msg (devices != NULL, "%s", error ? error->message : "");
  ck_assert_uint_eq (devices->len, 2);
  for (guint i = 0; i < devices->len; i++)
    {
      const gchar *address = lers_device_get_network_address (g_ptr_array_index (devices, i));
      seen1 |= g_strcmp0 (address, "1000000153320104") == 0;
      seen2 |= g_strcmp0 (address, "1000000253320104") == 0;
    }
  ck_assert (seen1 && seen2);
  mbus_test_link_close (&l);
}
END_TEST

/* ---- 2: restarts without SND_NKE, SND_NKE after select ----------------------- */

/* The simulated meter ignores nothing, but the device says snd-nke=false:
 * each clock read restarts without a reset. The meter's clock moves from
 * 12:30 to 14:45 between the reads; the second read must show 14:45, not
 * take a later telegram (archive only) or the stale one for telegram 1. */
START_TEST (test_restart_without_snd_nke)
{
  g_autoptr (GDateTime) now = g_date_time_new_utc (2026, 11, 10, 12, 30, 0);
  g_autoptr (GDateTime) later = g_date_time_new_utc (2026, 11, 10, 14, 45, 0);
  g_autoptr (LersMbusSimulator) sim = make_sim ("10000042", 7, 42, g_date_time_to_unix (now));
  g_autoptr (LersDevice) device = lers_device_new ();
  g_autoptr (LersDeviceSession) session = NULL;
  g_autoptr (GError) error = NULL;
  g_autoptr (GTimeZone) utc = g_time_zone_new_utc ();
  MbusTestLink l = { 0 };

  /* 48 hours: several telegrams, so that the meter is mid-cycle after a read */
  g_object_set (sim, "archive-depth", 48, NULL);
  mbus_test_link_open (&l, sim, FALSE);
  lers_device_set_network_address (device, "7");
  lers_device_set_option (device, "snd-nke", "false");
  lers_device_set_clock_zone (device, "UTC");
  lers_device_set_effective_clock_zone (device, utc);
  session = open_session (l.transport, NULL, device, &error);
  ck_assert_msg (session != NULL, "%s", error ? error->message : "");
  for (guint i = 0; i < 2; i++)
    {
      g_autoptr (GDateTime) t = NULL;
      MbusTestWait w = { 0 };

      if (i == 1)
        g_object_set (sim, "clock-time", g_date_time_to_unix (later), NULL);
      lers_device_session_read_clock_async (session, NULL, mbus_test_wait_cb, &w);
      mbus_test_wait_for (&w, NULL, 0);
      t = lers_device_session_read_clock_finish (session, w.result, &error);
      g_object_unref (w.result);
      ck_assert_msg (t != NULL, "read %u: %s", i + 1, error ? error->message : "");
      ck_assert_msg (g_date_time_equal (t, i == 0 ? now : later), "read %u: %s", i + 1,
                     g_date_time_format_iso8601 (t));
    }
  g_clear_object (&session);
  mbus_test_link_close (&l);
}
END_TEST

/* Secondary address 12345678 5332 01 04: select, then SND_NKE to 253.
 * Select: 68 0B 0B 68, C=53 A=FD CI=52, id 78 56 34 12, manufacturer 53
 * 32, version 01, medium 04; checksum 53+FD+52+78+56+34+12+53+32+01+04 =
 * 0x340 → 40; 16. SND_NKE to 253: 10 40 FD, 40+FD = 0x13D → 3D, 16. */
START_TEST (test_select_then_snd_nke)
{
  MbusTestScript s = { 0 };
  g_autoptr (LersDevice) device = lers_device_new ();
  g_autoptr (LersDeviceSession) session = NULL;
  g_autoptr (GError) error = NULL;

  mbus_test_script_init (&s);
  lers_device_set_network_address (device, "1234567853320104");
  mbus_test_script_answer (&s, mbus_test_hex ("E5"));
  mbus_test_script_answer (&s, mbus_test_hex ("E5"));
  session = open_session (s.transport, s.clock, device, &error);
  ck_assert_msg (session != NULL, "%s", error ? error->message : "");
  mbus_test_assert_output (&s, "680B0B6853FD52785634125332010440 16 1040FD3D16");
  g_clear_object (&session);

  /* the quirk says no SND_NKE: the select only */
  lers_device_set_option (device, "snd-nke", "false");
  mbus_test_script_answer (&s, mbus_test_hex ("E5"));
  session = open_session (s.transport, s.clock, device, &error);
  ck_assert_msg (session != NULL, "%s", error ? error->message : "");
  mbus_test_assert_output (&s, "680B0B6853FD52785634125332010440 16");
  mbus_test_script_clear (&s);
}
END_TEST

/* ---- 3: the line's settings given back on close ---------------------------- */

START_TEST (test_close_restores_line)
{
  int master = -1, slave = -1;
  char name[256];
  g_autoptr (LersTransport) line = NULL;
  g_autoptr (LersDevice) a = lers_device_new ();
  g_autoptr (LersDevice) b = lers_device_new ();
  g_autoptr (LersDeviceSession) session = NULL;
  g_autoptr (GError) error = NULL;
  LersSerialTransport *serial;

  mbus_test_register_types ();
  ck_assert_int_eq (openpty (&master, &slave, name, NULL, NULL), 0);
  line = lers_serial_transport_new (name);
  serial = LERS_SERIAL_TRANSPORT (line);
  ck_assert_msg (lers_transport_open_sync (line, NULL, &error), "%s", error ? error->message : "");
  /* the connection chose 9600 8N1 */
  ck_assert (lers_transport_set_line (line, 9600, 8, LERS_PARITY_NONE, 1, &error));
  /* device A talks at 2400 (no SND_NKE: open sends nothing) */
  lers_device_set_network_address (a, "1");
  lers_device_set_option (a, "baud", "2400");
  lers_device_set_option (a, "snd-nke", "false");
  session = open_session (line, NULL, a, &error);
  ck_assert_msg (session != NULL, "%s", error ? error->message : "");
  ck_assert_uint_eq (lers_serial_transport_get_baud_rate (serial), 2400);
  ck_assert_int_eq (lers_serial_transport_get_parity (serial), LERS_PARITY_EVEN);
  close_session (session, NULL);
  g_clear_object (&session);
  ck_assert_uint_eq (lers_serial_transport_get_baud_rate (serial), 9600);
  ck_assert_int_eq (lers_serial_transport_get_parity (serial), LERS_PARITY_NONE);
  ck_assert (lers_transport_get_line_configured (line));
  /* device B, no speed of its own: the connection's 9600 */
  lers_device_set_network_address (b, "2");
  lers_device_set_option (b, "snd-nke", "false");
  session = open_session (line, NULL, b, &error);
  ck_assert_msg (session != NULL, "%s", error ? error->message : "");
  ck_assert_uint_eq (lers_serial_transport_get_baud_rate (serial), 9600);
  close_session (session, NULL);
  lers_transport_close_sync (line, NULL, NULL);
  close (master);
  close (slave);
}
END_TEST

/* ---- 4: a wildcard is no device's address ------------------------------------ */

START_TEST (test_wildcard_address_refused)
{
  MbusTestScript s = { 0 };
  g_autoptr (LersDevice) device = lers_device_new ();
  g_autoptr (LersDeviceSession) session = NULL;
  g_autoptr (GError) error = NULL;

  mbus_test_script_init (&s);
  lers_device_set_network_address (device, "1234567F53320104");
  session = open_session (s.transport, s.clock, device, &error);
  ck_assert_ptr_null (session);
  ck_assert_msg (g_error_matches (error, LERS_ERROR, LERS_ERROR_INVALID_ARGUMENT), "%s",
                 error ? error->message : "no error");
  ck_assert_ptr_nonnull (strstr (error->message, "1234567F53320104"));
  mbus_test_assert_output (&s, "");
  mbus_test_script_clear (&s);
}
END_TEST

/* ---- 5: a RSP_UD from another primary address -------------------------------- */

/* The answer to REQ_UD2 to 5 comes after a late RSP_UD of meter 9 (3000 l);
 * the session drops it and takes meter 5's 2000 l = 2 m³, one REQ_UD2 */
START_TEST (test_other_address_dropped)
{
  MbusTestScript s = { 0 };
  g_autoptr (LersDevice) device = lers_device_new ();
  g_autoptr (LersDeviceSession) session = NULL;
  g_autoptr (GPtrArray) records = NULL;
  g_autoptr (GError) error = NULL;
  g_autoptr (GBytes) late = mbus_test_rsp_ud (9, 1, "04 13 B8 0B 00 00");
  g_autoptr (GBytes) mine = mbus_test_rsp_ud (5, 1, "04 13 D0 07 00 00");
  g_autoptr (GByteArray) both = g_byte_array_new ();

  mbus_test_script_init (&s);
  lers_device_set_network_address (device, "5");
  g_byte_array_append (both, g_bytes_get_data (late, NULL), (guint) g_bytes_get_size (late));
  g_byte_array_append (both, g_bytes_get_data (mine, NULL), (guint) g_bytes_get_size (mine));
  mbus_test_script_answer (&s, mbus_test_hex ("E5"));
  mbus_test_script_answer (&s, g_byte_array_free_to_bytes (g_steal_pointer (&both)));
  session = open_session (s.transport, s.clock, device, &error);
  ck_assert_msg (session != NULL, "%s", error ? error->message : "");
  records = read_kind (session, s.clock, LERS_ARCHIVE_KIND_CURRENT, &error);
  ck_assert_msg (records != NULL, "%s", error ? error->message : "");
  ck_assert_uint_eq (records->len, 1);
  ck_assert_double_eq_tol (mbus_test_value_of (g_ptr_array_index (records, 0), LERS_PARAMETER_V_IN),
                           2.0, 1e-12);
  mbus_test_assert_output (&s, "1040054516 107B058016");
  mbus_test_script_clear (&s);
}
END_TEST

/* ---- 6: a meter that sets DIF 1F on every telegram and cycles --------------- */

/* Telegram 1: 2000 l (04 13 D0070000) and 1F; telegram 2: 1000 Wh (04 03
 * E8030000) and 1F; then telegram 1 again with 2001 l: the same records,
 * the cycle wrapped. The read stops there (three REQ_UD2) with V_in =
 * 2 m³ and Q_in = 1000 / 1.163e6 Gcal = 8.598452278589854e-4. */
START_TEST (test_dif_1f_cycle_stops)
{
  MbusTestScript s = { 0 };
  g_autoptr (LersDevice) device = lers_device_new ();
  g_autoptr (LersDeviceSession) session = NULL;
  g_autoptr (GPtrArray) records = NULL;
  g_autoptr (GError) error = NULL;
  LersRecord *r;

  mbus_test_script_init (&s);
  lers_device_set_network_address (device, "5");
  lers_device_set_option (device, "retries", "0");
  mbus_test_script_answer (&s, mbus_test_hex ("E5"));
  for (guint8 access = 1; access <= 8; access += 2)
    {
      mbus_test_script_answer (
          &s, mbus_test_rsp_ud (5, access,
                                access == 1 ? "04 13 D0 07 00 00 1F" : "04 13 D1 07 00 00 1F"));
      mbus_test_script_answer (&s, mbus_test_rsp_ud (5, access + 1, "04 03 E8 03 00 00 1F"));
    }
  session = open_session (s.transport, s.clock, device, &error);
  ck_assert_msg (session != NULL, "%s", error ? error->message : "");
  records = read_kind (session, s.clock, LERS_ARCHIVE_KIND_CURRENT, &error);
  ck_assert_msg (records != NULL, "%s", error ? error->message : "");
  ck_assert_uint_eq (records->len, 1);
  r = g_ptr_array_index (records, 0);
  ck_assert_double_eq_tol (mbus_test_value_of (r, LERS_PARAMETER_V_IN), 2.0, 1e-12);
  ck_assert_double_eq_tol (mbus_test_value_of (r, LERS_PARAMETER_Q_IN), 8.598452278589854e-4,
                           1e-15);
  ck_assert_uint_eq (s.n_writes, 4);
  mbus_test_assert_output (&s, "1040054516 107B058016 105B056016 107B058016");
  mbus_test_script_clear (&s);
}
END_TEST

int
main (int argc, char **argv)
{
  Suite *s = suite_create ("mbus-review");
  TCase *tc = tcase_create ("review");

  lers_check_init (&argc, &argv);
  tcase_add_test (tc, test_sim_identical_replies_clean);
  tcase_add_test (tc, test_scan_primary_shared_address);
  tcase_add_test (tc, test_scan_secondary_overlapping_e5);
  tcase_add_test (tc, test_restart_without_snd_nke);
  tcase_add_test (tc, test_select_then_snd_nke);
  tcase_add_test (tc, test_close_restores_line);
  tcase_add_test (tc, test_wildcard_address_refused);
  tcase_add_test (tc, test_other_address_dropped);
  tcase_add_test (tc, test_dif_1f_cycle_stops);
  tcase_set_timeout (tc, 60);
  suite_add_tcase (s, tc);
  return lers_check_run_suite (s);
}
