/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * The driver against the simulator, one session: open, clock, current,
 * totals, hour/day/month, events, both heat inputs. Expected values are
 * worked out by hand from the simulator's documented data model (README.md
 * "Simulator"), TZ=UTC, seed 3 (k = 3), clock 2026-11-30T14:45:15Z
 * (Unix 1796049915; the current hour H = 498902 starts 14:00Z):
 *
 *   heat input 0: M1 = 2.0 + 0.3 = 2.3 t/h, M2 = 2.28, V1 = 1.02·2.3 =
 *     2.346, V2 = 1.01·2.28 = 2.3028; t1 = 70 + 0.5·(H mod 24),
 *     t2 = 45 + 0.5·(H mod 12); at 00:00Z H mod 24 = 0 (the epoch starts
 *     at midnight UTC).
 *   heat input 1: M1 = 2.8, t1 + 5, t2 − 2.
 *   НС day: 2 + 3 % 20 = 5 days before 30 Nov: 25 Nov, 10:00–13:00Z.
 */
#include <math.h>

#include "tv7-test-util.h"

#include "lers-tv7-driver.h"
#include "lers-tv7-session.h"

#define CLOCK G_GINT64_CONSTANT (1796049915)

typedef struct
{
  Tv7TestLink link;
  LersDevice *device;
  LersDeviceSession *session;
} Fixture;

static GAsyncResult *
wait_for (GAsyncResult **slot)
{
  while (*slot == NULL)
    g_main_context_iteration (NULL, TRUE);
  return *slot;
}

static void
store_cb (GObject *source, GAsyncResult *result, gpointer user_data)
{
  *(GAsyncResult **) user_data = g_object_ref (result);
}

static void
fixture_setup (Fixture *f, gconstpointer data)
{
  g_autoptr (LersTv7Simulator) sim
      = g_object_new (LERS_TYPE_TV7_SIMULATOR, "address", 5, "seed", 3, "clock-time", CLOCK,
                      "circuits", GPOINTER_TO_UINT (data) == 1 ? 1 : 2, "answer-delay-ms",
                      GPOINTER_TO_UINT (data) == 5 ? 20 : 0, NULL);
  g_autoptr (LersTv7Driver) driver = lers_tv7_driver_new ();
  g_autoptr (GAsyncResult) res = NULL;
  g_autoptr (GError) error = NULL;

  tv7_test_link_open (&f->link, sim);
  f->device = lers_device_new ();
  lers_device_set_network_address (f->device, "5");
  if (GPOINTER_TO_UINT (data) == 3)
    lers_device_set_option (f->device, "hour-stamp", "end");
  if (GPOINTER_TO_UINT (data) == 4)
    lers_device_set_option (f->device, "heat-unit", "gj");
  f->session = lers_device_driver_create_session (LERS_DEVICE_DRIVER (driver), f->link.transport,
                                                  f->device, &error);
  g_assert_no_error (error);
  lers_device_session_open_async (f->session, NULL, store_cb, &res);
  g_assert_true (lers_device_session_open_finish (f->session, wait_for (&res), &error));
  g_assert_no_error (error);
}

static void
fixture_teardown (Fixture *f, gconstpointer data)
{
  g_clear_object (&f->session);
  g_clear_object (&f->device);
  tv7_test_link_close (&f->link);
}

static GPtrArray *
read_kind (Fixture *f, LersArchiveKind kind, const gchar *from, const gchar *to)
{
  g_autoptr (GDateTime) a = from ? g_date_time_new_from_iso8601 (from, NULL) : NULL;
  g_autoptr (GDateTime) b = to ? g_date_time_new_from_iso8601 (to, NULL) : NULL;
  g_autoptr (GAsyncResult) res = NULL;
  g_autoptr (GError) error = NULL;
  g_autoptr (LersProgress) progress = lers_progress_new ();
  GPtrArray *records;

  lers_device_session_read_archive_async (f->session, kind, a, b, progress, NULL, store_cb, &res);
  records = lers_device_session_read_archive_finish (f->session, wait_for (&res), &error);
  g_assert_no_error (error);
  g_assert_nonnull (records);
  return records;
}

static gdouble
value (LersRecord *r, LersParameter p)
{
  gdouble v = NAN;

  g_assert_true (lers_record_get_value (r, p, &v, NULL));
  return v;
}

static LersRecord *
find (GPtrArray *records, const gchar *iso, guint channel)
{
  g_autoptr (GDateTime) t = g_date_time_new_from_iso8601 (iso, NULL);

  for (guint i = 0; i < records->len; i++)
    {
      LersRecord *r = g_ptr_array_index (records, i);
      if (lers_record_get_channel (r) == channel
          && g_date_time_equal (lers_record_get_timestamp (r), t))
        return r;
    }
  g_error ("no record at %s channel %u", iso, channel);
  return NULL;
}

#define assert_near(a, b) g_assert_cmpfloat_with_epsilon ((a), (b), 1e-6 * MAX (1.0, fabs (b)))

static void
test_clock (Fixture *f, gconstpointer data)
{
  g_autoptr (GAsyncResult) res = NULL;
  g_autoptr (GAsyncResult) res2 = NULL;
  g_autoptr (GError) error = NULL;
  g_autoptr (GDateTime) t = NULL;
  g_autoptr (GDateTime) now = g_date_time_new_now_utc ();

  lers_device_session_read_clock_async (f->session, NULL, store_cb, &res);
  t = lers_device_session_read_clock_finish (f->session, wait_for (&res), &error);
  g_assert_no_error (error);
  g_assert_cmpint (g_date_time_to_unix (t), ==, CLOCK);
  lers_device_session_set_clock_async (f->session, now, NULL, store_cb, &res2);
  g_assert_false (lers_device_session_set_clock_finish (f->session, wait_for (&res2), &error));
  g_assert_error (error, LERS_ERROR, LERS_ERROR_NOT_SUPPORTED);
}

static void
test_current (Fixture *f, gconstpointer data)
{
  g_autoptr (GPtrArray) rec = read_kind (f, LERS_ARCHIVE_KIND_CURRENT, NULL, NULL);
  LersRecord *r0, *r1;

  g_assert_cmpuint (rec->len, ==, 2);
  /* the hour 14:00Z: H mod 24 = 14, H mod 12 = 2 */
  r0 = find (rec, "2026-11-30T14:45:15Z", 0);
  r1 = find (rec, "2026-11-30T14:45:15Z", 1);
  assert_near (value (r0, LERS_PARAMETER_T_IN), 77.0);
  assert_near (value (r0, LERS_PARAMETER_T_OUT), 46.0);
  assert_near (value (r1, LERS_PARAMETER_T_IN), 82.0);
  assert_near (value (r1, LERS_PARAMETER_T_OUT), 44.0);
  g_assert_cmpfloat_with_epsilon (value (r0, LERS_PARAMETER_FLOW_M_IN), 2.3, 1e-6);
  g_assert_cmpfloat_with_epsilon (value (r0, LERS_PARAMETER_FLOW_V_IN), 2.346, 1e-6);
  g_assert_cmpfloat_with_epsilon (value (r1, LERS_PARAMETER_FLOW_M_IN), 2.8, 1e-6);
  g_assert_cmpfloat_with_epsilon (value (r0, LERS_PARAMETER_P_IN), 0.6, 1e-6);
}

static void
test_totals (Fixture *f, gconstpointer data)
{
  g_autoptr (GPtrArray) rec = read_kind (f, LERS_ARCHIVE_KIND_TOTALS, NULL, NULL);
  LersRecord *r0, *r1;

  /* 2024-01-01T00Z → 2026-11-30T14Z: 1064 days 14 hours = 25550 hours;
   * heat input 0 lost the 3 НС hours */
  g_assert_cmpuint (rec->len, ==, 2);
  r0 = find (rec, "2026-11-30T14:45:15Z", 0);
  r1 = find (rec, "2026-11-30T14:45:15Z", 1);
  /* 1000 + 3 + 2.3·25547 = 59761.1 */
  g_assert_cmpfloat_with_epsilon (value (r0, LERS_PARAMETER_M_IN), 59761.1, 1e-6);
  /* 1003 + 2.346·25547 = 60936.262 */
  g_assert_cmpfloat_with_epsilon (value (r0, LERS_PARAMETER_V_IN), 60936.262, 1e-6);
  /* 1103 + 2.856·25550 = 74073.8 */
  g_assert_cmpfloat_with_epsilon (value (r1, LERS_PARAMETER_V_IN), 74073.8, 1e-6);
  /* dt summed: 1064 days·24·28 = 715008, the 14 hours of 30 Nov 12·25 +
   * 2·31 = 362, less the НС hours 25 + 25 + 31 = 81 → 715289;
   * Q = 503 + 2.3·715289/1000 = 2148.1647 */
  g_assert_cmpfloat_with_epsilon (value (r0, LERS_PARAMETER_Q_DELTA), 2148.1647, 1e-6);
  g_assert_cmpfloat (value (r0, LERS_PARAMETER_NORMAL_OPERATION_DURATION), ==, 25547);
  g_assert_cmpfloat (value (r0, LERS_PARAMETER_STOP_DURATION), ==, 3);
  g_assert_cmpfloat (value (r1, LERS_PARAMETER_NORMAL_OPERATION_DURATION), ==, 25550);
}

static void
test_hours (Fixture *f, gconstpointer data)
{
  g_autoptr (GPtrArray) rec
      = read_kind (f, LERS_ARCHIVE_KIND_HOUR, "2026-11-29T00:00:00Z", "2026-11-29T03:00:00Z");
  LersRecord *r;

  /* [00:00, 03:00): the hours 00, 01, 02 on two heat inputs */
  g_assert_cmpuint (rec->len, ==, 6);
  r = find (rec, "2026-11-29T00:00:00Z", 0);
  assert_near (value (r, LERS_PARAMETER_T_IN), 70.0);
  assert_near (value (r, LERS_PARAMETER_T_OUT), 45.0);
  g_assert_cmpfloat_with_epsilon (value (r, LERS_PARAMETER_M_IN), 2.3, 1e-6);
  g_assert_cmpfloat_with_epsilon (value (r, LERS_PARAMETER_M_OUT), 2.28, 1e-6);
  g_assert_cmpfloat_with_epsilon (value (r, LERS_PARAMETER_V_OUT), 2.3028, 1e-6);
  /* Q = 2.3·25/1000 */
  g_assert_cmpfloat_with_epsilon (value (r, LERS_PARAMETER_Q_DELTA), 0.0575, 1e-7);
  g_assert_cmpfloat (value (r, LERS_PARAMETER_NORMAL_OPERATION_DURATION), ==, 1.0);
  g_assert_cmpfloat (value (r, LERS_PARAMETER_STOP_DURATION), ==, 0.0);
  r = find (rec, "2026-11-29T01:00:00Z", 0);
  assert_near (value (r, LERS_PARAMETER_T_IN), 70.5);
  assert_near (value (r, LERS_PARAMETER_T_OUT), 45.5);
  r = find (rec, "2026-11-29T02:00:00Z", 1);
  /* 71 + 5, 46 − 2; Q = 2.8·(76 − 44)/1000 */
  assert_near (value (r, LERS_PARAMETER_T_IN), 76.0);
  assert_near (value (r, LERS_PARAMETER_T_OUT), 44.0);
  g_assert_cmpfloat_with_epsilon (value (r, LERS_PARAMETER_Q_DELTA), 0.0896, 1e-7);
}

static void
test_hours_ns_and_future (Fixture *f, gconstpointer data)
{
  /* 25 Nov 10:00Z, heat input 0: counting stopped; 30 Nov 14:00Z is not
   * complete at 14:45 and has no record */
  g_autoptr (GPtrArray) ns
      = read_kind (f, LERS_ARCHIVE_KIND_HOUR, "2026-11-25T10:00:00Z", "2026-11-25T11:00:00Z");
  g_autoptr (GPtrArray) fut
      = read_kind (f, LERS_ARCHIVE_KIND_HOUR, "2026-11-30T13:00:00Z", "2026-11-30T15:00:00Z");
  LersRecord *r = find (ns, "2026-11-25T10:00:00Z", 0);

  g_assert_cmpfloat (value (r, LERS_PARAMETER_M_IN), ==, 0.0);
  g_assert_cmpfloat (value (r, LERS_PARAMETER_STOP_DURATION), ==, 1.0);
  g_assert_cmpfloat (value (r, LERS_PARAMETER_NORMAL_OPERATION_DURATION), ==, 0.0);
  g_assert_cmpuint (fut->len, ==, 2);
  find (fut, "2026-11-30T13:00:00Z", 0);
  find (fut, "2026-11-30T13:00:00Z", 1);
}

static void
test_days (Fixture *f, gconstpointer data)
{
  g_autoptr (GPtrArray) rec
      = read_kind (f, LERS_ARCHIVE_KIND_DAY, "2026-11-25T00:00:00Z", "2026-11-30T00:00:00Z");
  LersRecord *r;

  /* [25 Nov, 30 Nov): 5 days on two heat inputs */
  g_assert_cmpuint (rec->len, ==, 10);
  r = find (rec, "2026-11-29T00:00:00Z", 0);
  /* 24 hours: M1 = 2.3·24 = 55.2; t1 mean 70 + 0.5·11.5 = 75.75; t2 mean
   * 45 + 0.5·5.5 = 47.75; Q = 2.3·24·28/1000 = 1.5456 */
  g_assert_cmpfloat_with_epsilon (value (r, LERS_PARAMETER_M_IN), 55.2, 1e-4);
  assert_near (value (r, LERS_PARAMETER_T_IN), 75.75);
  assert_near (value (r, LERS_PARAMETER_T_OUT), 47.75);
  g_assert_cmpfloat_with_epsilon (value (r, LERS_PARAMETER_Q_DELTA), 1.5456, 1e-5);
  g_assert_cmpfloat (value (r, LERS_PARAMETER_NORMAL_OPERATION_DURATION), ==, 24.0);
  /* the НС day: 21 counted hours, 3 stopped */
  r = find (rec, "2026-11-25T00:00:00Z", 0);
  g_assert_cmpfloat_with_epsilon (value (r, LERS_PARAMETER_M_IN), 48.3, 1e-4);
  g_assert_cmpfloat (value (r, LERS_PARAMETER_STOP_DURATION), ==, 3.0);
  g_assert_cmpfloat (value (r, LERS_PARAMETER_NORMAL_OPERATION_DURATION), ==, 21.0);
  r = find (rec, "2026-11-25T00:00:00Z", 1);
  g_assert_cmpfloat (value (r, LERS_PARAMETER_STOP_DURATION), ==, 0.0);
}

static void
test_months (Fixture *f, gconstpointer data)
{
  g_autoptr (GPtrArray) rec
      = read_kind (f, LERS_ARCHIVE_KIND_MONTH, "2026-10-01T00:00:00Z", "2026-11-01T00:00:00Z");
  LersRecord *r;

  /* November is not over: October only, both heat inputs */
  g_assert_cmpuint (rec->len, ==, 2);
  r = find (rec, "2026-10-01T00:00:00Z", 0);
  /* 31 days = 744 hours: M1 = 2.3·744 = 1711.2; Q = 2.3·744·28/1000 = 47.9136 */
  g_assert_cmpfloat_with_epsilon (value (r, LERS_PARAMETER_M_IN), 1711.2, 1e-3);
  g_assert_cmpfloat_with_epsilon (value (r, LERS_PARAMETER_Q_DELTA), 47.9136, 1e-4);
  r = find (rec, "2026-10-01T00:00:00Z", 1);
  /* 2.8·744 = 2083.2 */
  g_assert_cmpfloat_with_epsilon (value (r, LERS_PARAMETER_M_IN), 2083.2, 1e-3);
}

static void
test_events (Fixture *f, gconstpointer data)
{
  g_autoptr (GDateTime) a = g_date_time_new_from_iso8601 ("2026-11-25T00:00:00Z", NULL);
  g_autoptr (GDateTime) b = g_date_time_new_from_iso8601 ("2026-11-25T23:00:00Z", NULL);
  g_autoptr (GDateTime) start = g_date_time_new_from_iso8601 ("2026-11-25T10:00:00Z", NULL);
  g_autoptr (GDateTime) end = g_date_time_new_from_iso8601 ("2026-11-25T13:00:00Z", NULL);
  g_autoptr (GAsyncResult) res = NULL;
  g_autoptr (GError) error = NULL;
  g_autoptr (GPtrArray) events = NULL;
  LersMeterEvent *e;

  lers_device_session_read_events_async (f->session, a, b, NULL, NULL, store_cb, &res);
  events = lers_device_session_read_events_finish (f->session, wait_for (&res), &error);
  g_assert_no_error (error);
  g_assert_cmpuint (events->len, ==, 1);
  e = g_ptr_array_index (events, 0);
  g_assert_cmpstr (lers_meter_event_get_code (e), ==, "other");
  g_assert_cmpuint (lers_meter_event_get_channel (e), ==, 0);
  g_assert_true (g_date_time_equal (lers_meter_event_get_start (e), start));
  g_assert_true (g_date_time_equal (lers_meter_event_get_end (e), end));
  g_assert_cmpint (lers_meter_event_get_severity (e), ==, LERS_METER_EVENT_SEVERITY_WARNING);
}

static void
test_one_circuit (Fixture *f, gconstpointer data)
{
  g_autoptr (GPtrArray) rec
      = read_kind (f, LERS_ARCHIVE_KIND_HOUR, "2026-11-29T00:00:00Z", "2026-11-29T02:00:00Z");
  g_autoptr (GPtrArray) cur = read_kind (f, LERS_ARCHIVE_KIND_CURRENT, NULL, NULL);

  /* [00:00, 02:00) is 2 hours; heat input 1 all NaN: not configured, no
   * records */
  g_assert_cmpuint (rec->len, ==, 2);
  g_assert_cmpuint (cur->len, ==, 1);
  g_assert_cmpuint (lers_record_get_channel (g_ptr_array_index (rec, 0)), ==, 0);
}

/* hour-stamp=end: the hour 00:00 is asked for as 01 h, so it gets the
 * simulator's 01:00 record (t1 = 70.5), stamped 00:00 */
static void
test_stamp_end (Fixture *f, gconstpointer data)
{
  g_autoptr (GPtrArray) rec
      = read_kind (f, LERS_ARCHIVE_KIND_HOUR, "2026-11-29T00:00:00Z", "2026-11-29T01:00:00Z");

  g_assert_cmpuint (rec->len, ==, 2);
  assert_near (value (find (rec, "2026-11-29T00:00:00Z", 0), LERS_PARAMETER_T_IN), 70.5);
}

/* heat-unit=gj: the device's 0.0575 read as GJ is 0.0575/4.1868 Gcal */
static void
test_heat_unit (Fixture *f, gconstpointer data)
{
  g_autoptr (GPtrArray) rec
      = read_kind (f, LERS_ARCHIVE_KIND_HOUR, "2026-11-29T00:00:00Z", "2026-11-29T01:00:00Z");

  g_assert_cmpfloat_with_epsilon (
      value (find (rec, "2026-11-29T00:00:00Z", 0), LERS_PARAMETER_Q_DELTA), 0.0575 / 4.1868, 1e-7);
}

/* review #2: [from, to) excludes to: [00:00, 01:00) is the hour 00:00 on
 * the two heat inputs, and an empty range has no period */
static void
test_range_exclusive (Fixture *f, gconstpointer data)
{
  g_autoptr (GPtrArray) one
      = read_kind (f, LERS_ARCHIVE_KIND_HOUR, "2026-11-29T00:00:00Z", "2026-11-29T01:00:00Z");
  g_autoptr (GPtrArray) none
      = read_kind (f, LERS_ARCHIVE_KIND_DAY, "2026-11-29T00:00:00Z", "2026-11-29T00:00:00Z");

  g_assert_cmpuint (one->len, ==, 2);
  find (one, "2026-11-29T00:00:00Z", 0);
  find (one, "2026-11-29T00:00:00Z", 1);
  g_assert_cmpuint (none->len, ==, 0);
}

/* review #9: an archive read without a range is an invalid argument */
static void
test_null_range (Fixture *f, gconstpointer data)
{
  g_autoptr (GAsyncResult) res = NULL;
  g_autoptr (GError) error = NULL;

  lers_device_session_read_archive_async (f->session, LERS_ARCHIVE_KIND_HOUR, NULL, NULL, NULL,
                                          NULL, store_cb, &res);
  g_assert_null (lers_device_session_read_archive_finish (f->session, wait_for (&res), &error));
  g_assert_error (error, LERS_ERROR, LERS_ERROR_INVALID_ARGUMENT);
}

static gboolean
cancel_cb (gpointer user_data)
{
  g_cancellable_cancel (user_data);
  return G_SOURCE_REMOVE;
}

/* review #3, the reviewer's probe: the simulator answers after 20 ms; an
 * hour read cancelled at 50 ms leaves an answer in flight; the clock read
 * that follows must drop it and read the clock */
static void
test_cancel_then_clock (Fixture *f, gconstpointer data)
{
  g_autoptr (GCancellable) cancel = g_cancellable_new ();
  g_autoptr (GDateTime) a = g_date_time_new_from_iso8601 ("2026-11-20T00:00:00Z", NULL);
  g_autoptr (GDateTime) b = g_date_time_new_from_iso8601 ("2026-11-29T00:00:00Z", NULL);
  g_autoptr (GAsyncResult) res = NULL;
  g_autoptr (GAsyncResult) res2 = NULL;
  g_autoptr (GError) error = NULL;
  g_autoptr (GPtrArray) records = NULL;
  g_autoptr (GDateTime) t = NULL;

  g_timeout_add (50, cancel_cb, cancel);
  lers_device_session_read_archive_async (f->session, LERS_ARCHIVE_KIND_HOUR, a, b, NULL, cancel,
                                          store_cb, &res);
  records = lers_device_session_read_archive_finish (f->session, wait_for (&res), &error);
  g_assert_null (records);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_clear_error (&error);
  lers_device_session_read_clock_async (f->session, NULL, store_cb, &res2);
  t = lers_device_session_read_clock_finish (f->session, wait_for (&res2), &error);
  g_assert_no_error (error);
  g_assert_cmpint (g_date_time_to_unix (t), ==, CLOCK);
}

/* a meter at another address stays silent: the session times out */
static void
test_wrong_address (void)
{
  g_autoptr (LersTv7Simulator) sim
      = g_object_new (LERS_TYPE_TV7_SIMULATOR, "address", 9, "clock-time", CLOCK, NULL);
  g_autoptr (LersTv7Driver) driver = lers_tv7_driver_new ();
  g_autoptr (LersDevice) device = lers_device_new ();
  g_autoptr (LersDeviceSession) session = NULL;
  g_autoptr (GAsyncResult) res = NULL;
  g_autoptr (GError) error = NULL;
  Tv7TestLink link;

  tv7_test_link_open (&link, sim);
  lers_transport_set_first_byte_timeout_ms (link.transport, 100);
  lers_transport_set_answer_timeout_ms (link.transport, 100);
  lers_device_set_network_address (device, "5");
  lers_device_set_option (device, "retries", "1");
  session = lers_device_driver_create_session (LERS_DEVICE_DRIVER (driver), link.transport, device,
                                               NULL);
  lers_device_session_open_async (session, NULL, store_cb, &res);
  g_assert_false (lers_device_session_open_finish (session, wait_for (&res), &error));
  g_assert_error (error, LERS_ERROR, LERS_ERROR_TIMED_OUT);
  g_clear_object (&session);
  tv7_test_link_close (&link);
}

static void
test_bad_options (void)
{
  g_autoptr (LersTv7Driver) driver = lers_tv7_driver_new ();
  g_autoptr (LersDevice) device = lers_device_new ();
  g_autoptr (LersTransport) transport = lers_memory_transport_new ();
  g_autoptr (LersDeviceSession) session = NULL;
  g_autoptr (GAsyncResult) res = NULL;
  g_autoptr (GError) error = NULL;

  g_assert_true (lers_transport_open_sync (transport, NULL, NULL));
  lers_device_set_network_address (device, "300");
  session
      = lers_device_driver_create_session (LERS_DEVICE_DRIVER (driver), transport, device, NULL);
  lers_device_session_open_async (session, NULL, store_cb, &res);
  g_assert_false (lers_device_session_open_finish (session, wait_for (&res), &error));
  g_assert_error (error, LERS_ERROR, LERS_ERROR_INVALID_ARGUMENT);
}

#define ADD(path, fn, data)                                                                        \
  g_test_add (path, Fixture, GUINT_TO_POINTER (data), fixture_setup, fn, fixture_teardown)

int
main (int argc, char **argv)
{
  tv7_test_init (&argc, &argv);
  ADD ("/tv7/session/clock", test_clock, 2);
  ADD ("/tv7/session/current", test_current, 2);
  ADD ("/tv7/session/totals", test_totals, 2);
  ADD ("/tv7/session/hours", test_hours, 2);
  ADD ("/tv7/session/hours-ns-future", test_hours_ns_and_future, 2);
  ADD ("/tv7/session/days", test_days, 2);
  ADD ("/tv7/session/months", test_months, 2);
  ADD ("/tv7/session/events", test_events, 2);
  ADD ("/tv7/session/one-circuit", test_one_circuit, 1);
  ADD ("/tv7/session/hour-stamp-end", test_stamp_end, 3);
  ADD ("/tv7/session/heat-unit", test_heat_unit, 4);
  ADD ("/tv7/session/range-exclusive", test_range_exclusive, 2);
  ADD ("/tv7/session/null-range", test_null_range, 2);
  ADD ("/tv7/session/cancel-then-clock", test_cancel_then_clock, 5);
  g_test_add_func ("/tv7/session/wrong-address", test_wrong_address);
  g_test_add_func ("/tv7/session/bad-options", test_bad_options);
  return g_test_run ();
}
