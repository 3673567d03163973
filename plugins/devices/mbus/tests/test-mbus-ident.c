/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * An M-Bus session tells who the meter is: a device with no serial number
 * or model learns them from the first RSP_UD; a device whose serial number
 * differs from the meter's is refused (a mis-addressed meter). A scripted
 * meter on the memory transport with a manual clock; nothing sleeps.
 */
#include <check.h>
#include <string.h>

#include "lers-check.h"
#include "lers-mbus-driver.h"
#include "lers-mbus-session.h"
#include "mbus-frame.h"
#include "mbus-test-util.h"

typedef struct
{
  GAsyncResult *result;
} Wait;

static void
wait_cb (GObject *source, GAsyncResult *result, gpointer user_data)
{
  Wait *w = user_data;
  w->result = g_object_ref (result);
}

static void
wait_for (Wait *w, LersClock *clock)
{
  for (guint i = 0; w->result == NULL && i < 100000; i++)
    {
      while (g_main_context_iteration (NULL, FALSE))
        ;
      if (w->result == NULL)
        lers_clock_advance (clock, 10);
    }
  ck_assert_ptr_nonnull (w->result);
}

/* The meter's RSP_UD from primary address 5: identification number
 * 12345678 (BCD 78 56 34 12), manufacturer 0x3253 = "LRS" (0x3253 >> 10 =
 * 12 → L, (0x3253 >> 5) & 31 = 18 → R, 0x3253 & 31 = 19 → S), version 1,
 * medium 04 (heat); one record 04 03 E8030000 (1000 Wh). So the scan and
 * the session name it serial "12345678", model "LRS heat meter v1". */
static GBytes *
rsp_ud (void)
{
  static const guint8 user[] = { 0x78, 0x56, 0x34, 0x12, 0x53, 0x32, 0x01, 0x04, 0x01,
                                 0x00, 0x00, 0x00, 0x04, 0x03, 0xE8, 0x03, 0x00, 0x00 };
  return mbus_frame_build_long (MBUS_C_RSP_UD, 5, MBUS_CI_RESPONSE_LONG, user, sizeof user);
}

static void
written_cb (LersMemoryTransport *transport, GBytes *bytes, gpointer user_data)
{
  guint *n_writes = user_data;
  static const guint8 e5 = 0xE5;

  /* SND_NKE → E5, then every REQ_UD2 → the telegram */
  if ((*n_writes)++ == 0)
    {
      g_autoptr (GBytes) ack = g_bytes_new_static (&e5, 1);
      lers_memory_transport_push_input (transport, ack);
    }
  else
    {
      g_autoptr (GBytes) answer = rsp_ud ();
      lers_memory_transport_push_input (transport, answer);
    }
}

/* Opens a session on @device and reads current values; the records or NULL
 * and @error */
static GPtrArray *
read_current (LersDevice *device, GError **error)
{
  g_autoptr (LersTransport) transport = lers_memory_transport_new ();
  g_autoptr (LersClock) clock = lers_clock_new_manual ();
  g_autoptr (LersDeviceSession) session = NULL;
  Wait w = { 0 };
  Wait r = { 0 };
  guint n_writes = 0;
  GPtrArray *records;

  mbus_test_register_types ();
  lers_transport_set_clock (transport, clock);
  g_signal_connect (transport, "written", G_CALLBACK (written_cb), &n_writes);
  ck_assert (lers_transport_open_sync (transport, NULL, NULL));
  session = lers_mbus_session_new (transport, device);
  lers_device_session_open_async (session, NULL, wait_cb, &w);
  wait_for (&w, clock);
  ck_assert (lers_device_session_open_finish (session, w.result, NULL));
  g_object_unref (w.result);
  lers_device_session_read_archive_async (session, LERS_ARCHIVE_KIND_CURRENT, NULL, NULL, NULL,
                                          NULL, wait_cb, &r);
  wait_for (&r, clock);
  records = lers_device_session_read_archive_finish (session, r.result, error);
  g_object_unref (r.result);
  return records;
}

/* A device with only its address learns the meter's serial number and model */
START_TEST (test_learns_identity)
{
  g_autoptr (LersDevice) device = lers_device_new ();
  g_autoptr (GPtrArray) records = NULL;
  g_autoptr (GError) error = NULL;

  lers_device_set_protocol (device, "mbus");
  lers_device_set_network_address (device, "5");
  ck_assert_ptr_null (lers_device_get_serial_number (device));
  records = read_current (device, &error);
  ck_assert_msg (records != NULL, "%s", error ? error->message : "");
  ck_assert_str_eq (lers_device_get_serial_number (device), "12345678");
  ck_assert_str_eq (lers_device_get_model (device), "LRS heat meter v1");
}
END_TEST

/* A model the device already has is kept; the same serial number passes */
START_TEST (test_keeps_model_same_serial)
{
  g_autoptr (LersDevice) device = lers_device_new ();
  g_autoptr (GPtrArray) records = NULL;
  g_autoptr (GError) error = NULL;

  lers_device_set_protocol (device, "mbus");
  lers_device_set_network_address (device, "5");
  lers_device_set_serial_number (device, "12345678");
  lers_device_set_model (device, "EN 13757-3 heat meter");
  records = read_current (device, &error);
  ck_assert_msg (records != NULL, "%s", error ? error->message : "");
  ck_assert_uint_eq (records->len, 1);
  ck_assert_str_eq (lers_device_get_serial_number (device), "12345678");
  ck_assert_str_eq (lers_device_get_model (device), "EN 13757-3 heat meter");
}
END_TEST

/* Another meter on the address: INVALID_DATA naming both numbers, no records */
START_TEST (test_wrong_meter_refused)
{
  g_autoptr (LersDevice) device = lers_device_new ();
  g_autoptr (GPtrArray) records = NULL;
  g_autoptr (GError) error = NULL;

  lers_device_set_protocol (device, "mbus");
  lers_device_set_network_address (device, "5");
  lers_device_set_serial_number (device, "87654321");
  records = read_current (device, &error);
  ck_assert_ptr_null (records);
  ck_assert_msg (g_error_matches (error, LERS_ERROR, LERS_ERROR_INVALID_DATA), "%s",
                 error ? error->message : "no error");
  ck_assert_msg (strstr (error->message, "12345678") != NULL, "%s", error->message);
  ck_assert_msg (strstr (error->message, "87654321") != NULL, "%s", error->message);
  ck_assert_str_eq (lers_device_get_serial_number (device), "87654321");
}
END_TEST

int
main (int argc, char **argv)
{
  Suite *s = suite_create ("mbus-ident");
  TCase *tc = tcase_create ("ident");

  lers_check_init (&argc, &argv);
  tcase_add_test (tc, test_learns_identity);
  tcase_add_test (tc, test_keeps_model_same_serial);
  tcase_add_test (tc, test_wrong_meter_refused);
  suite_add_tcase (s, tc);
  return lers_check_run_suite (s);
}
