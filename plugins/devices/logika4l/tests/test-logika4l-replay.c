/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * replay-943-devlog.txt (Logika's prolog.exe and a real СПТ943, from
 * vodopad's Drv943.1/DEVELOPER.LOG) against the driver: its session opens
 * on the recorded answer and names the device as the recording does; every
 * extended-format frame of the recording passes our CRC, and the 4L
 * requests in it (3F, 42) decode to what the document says they are.
 */
#include <string.h>

#include "lers-logika4l-driver.h"
#include "logika4l-frame.h"
#include "logika4l-test-util.h"

typedef struct
{
  GPtrArray *tx; /* GBytes */
  GPtrArray *rx;
  guint n_writes;
} Replay;

static void
load_replay (Replay *r)
{
  g_autofree gchar *path = g_build_filename (L4L_TEST_DIR, "replay-943-devlog.txt", NULL);
  g_autofree gchar *text = NULL;
  g_auto (GStrv) lines = NULL;

  g_assert_true (g_file_get_contents (path, &text, NULL, NULL));
  lines = g_strsplit (text, "\n", -1);
  r->tx = g_ptr_array_new_with_free_func ((GDestroyNotify) g_bytes_unref);
  r->rx = g_ptr_array_new_with_free_func ((GDestroyNotify) g_bytes_unref);
  for (guint i = 0; lines[i] != NULL; i++)
    {
      if (lines[i][0] == '>')
        g_ptr_array_add (r->tx, l4l_test_hex (lines[i] + 1));
      else if (lines[i][0] == '<')
        g_ptr_array_add (r->rx, l4l_test_hex (lines[i] + 1));
    }
  g_assert_cmpuint (r->tx->len, ==, r->rx->len);
}

static void
written_cb (LersMemoryTransport *transport, GBytes *bytes, gpointer user_data)
{
  Replay *r = user_data;
  guint i = r->n_writes++;

  if (i < r->rx->len)
    lers_memory_transport_push_input (transport, g_ptr_array_index (r->rx, i));
}

static const guint8 *
skip_ff (GBytes *b, gsize *n)
{
  const guint8 *p = g_bytes_get_data (b, n);

  while (*n > 0 && p[0] == 0xFF)
    {
      p++;
      (*n)--;
    }
  return p;
}

static void
test_replay_open (void)
{
  Replay r = { 0 };
  g_autoptr (LersTransport) transport = lers_memory_transport_new ();
  g_autoptr (LersClock) clock = lers_clock_new_manual ();
  g_autoptr (LersLogika4lDriver) driver = NULL;
  g_autoptr (LersDevice) device = lers_device_new ();
  g_autoptr (LersDeviceSession) session = NULL;
  g_autoptr (GError) error = NULL;
  g_autoptr (GBytes) written = NULL;
  gsize n_logged = 0, n_ours = 0;
  const guint8 *logged, *ours;

  l4l_test_register_types ();
  load_replay (&r);
  driver = lers_logika4l_driver_new ();
  lers_transport_set_clock (transport, clock);
  g_signal_connect (transport, "written", G_CALLBACK (written_cb), &r);
  g_assert_true (lers_transport_open_sync (transport, NULL, NULL));
  /* the recording has no reads of the database or the status register:
   * units, heat inputs, ЧР and СР are given, the identifier not read */
  lers_device_set_option (device, "units", "gcal");
  lers_device_set_option (device, "heat-inputs", "1,2");
  lers_device_set_option (device, "check-id", "false");
  lers_device_set_option (device, "reporting-hour", "0");
  lers_device_set_option (device, "reporting-day", "1");
  session = lers_device_driver_open_session_sync (LERS_DEVICE_DRIVER (driver), transport, device,
                                                  NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (session);
  g_assert_cmpuint (r.n_writes, ==, 1);
  /* the same request as prolog.exe after the FF wake-up (it sends 24 FF,
   * we send 16) */
  written = lers_memory_transport_take_output (LERS_MEMORY_TRANSPORT (transport));
  logged = skip_ff (g_ptr_array_index (r.tx, 0), &n_logged);
  ours = skip_ff (written, &n_ours);
  g_assert_cmpmem (ours, n_ours, logged, n_logged);
  g_assert_cmpuint (g_bytes_get_size (written) - n_ours, ==, 16);
  g_ptr_array_unref (r.tx);
  g_ptr_array_unref (r.rx);
}

static void
test_replay_frames (void)
{
  Replay r = { 0 };
  g_autoptr (LersLogika4lDriver) driver = NULL;
  guint n_extended = 0;

  l4l_test_register_types ();
  load_replay (&r);
  driver = lers_logika4l_driver_new ();
  for (guint i = 0; i < r.tx->len * 2; i++)
    {
      GBytes *b = g_ptr_array_index (i % 2 ? r.rx : r.tx, i / 2);
      gsize n = 0;
      const guint8 *p = skip_ff (b, &n);

      if (n > 7 && p[2] == L4L_FNC_EXTENDED)
        {
          L4lFrame f;
          g_autoptr (GError) error = NULL;

          g_assert_cmpint (l4l_scan_extended (p, n), ==, (gssize) n);
          g_assert_cmpuint (l4l_crc16 (p + 1, n - 1), ==, 0);
          n_extended++;
          if (p[7] == L4L_FNC_SESSION || p[7] == L4L_FNC_BAUD)
            {
              g_assert_true (l4l_parse_extended (p, n, &f, NULL, &error));
              g_assert_no_error (error);
              /* answers: 3F 54 2B 0A (СПТ943, version 0A); 42 (baud ack) */
              if (i % 2 && f.fnc == L4L_FNC_SESSION)
                {
                  g_assert_cmpuint (f.len, ==, 3);
                  g_assert_cmpuint (f.data[0], ==, 0x54);
                  g_assert_cmpuint (f.data[1], ==, 0x2B);
                  g_assert_cmpuint (f.data[2], ==, 0x0A);
                }
              /* the request 42 03: 19200 bit/s (prot943 §2.2.8) */
              if (!(i % 2) && f.fnc == L4L_FNC_BAUD)
                g_assert_cmpuint (f.data[0], ==, 3);
            }
        }
      else
        {
          g_autoptr (GBytes) frame = g_bytes_new (p, n);
          g_autoptr (GError) error = NULL;
          g_autofree gchar *json
              = lers_device_driver_decode_frame (LERS_DEVICE_DRIVER (driver), frame, &error);
          g_assert_no_error (error);
          if (i == 1)
            g_assert_nonnull (strstr (json, "\"model\": \"СПТ943\""));
        }
    }
  /* 33 exchanges, all but the first in the extended format */
  g_assert_cmpuint (n_extended, ==, 2 * (r.tx->len - 1));
  g_ptr_array_unref (r.tx);
  g_ptr_array_unref (r.rx);
}

/* scripted answers: the n-th write gets the n-th answer (NULL: silence) */
typedef struct
{
  const gchar *const *answers;
  guint n_writes;
  const gchar *wake_pause_ms; /* the option, or NULL */
  gsize first_len;            /* bytes of the first write */
  gint64 first_at, second_at; /* monotonic µs of the first two writes */
} Script;

static void
script_written_cb (LersMemoryTransport *transport, GBytes *bytes, gpointer user_data)
{
  Script *s = user_data;
  guint i = s->n_writes++;

  if (i == 0)
    {
      s->first_len = g_bytes_get_size (bytes);
      s->first_at = g_get_monotonic_time ();
    }
  else if (i == 1)
    s->second_at = g_get_monotonic_time ();

  if (s->answers[i] != NULL)
    {
      g_autoptr (GBytes) b = l4l_test_hex (s->answers[i]);
      lers_memory_transport_push_input (transport, b);
    }
}

static LersDeviceSession *
open_scripted (Script *s, guint retries, GError **error)
{
  g_autoptr (LersTransport) transport = lers_memory_transport_new ();
  g_autoptr (LersClock) clock = lers_clock_new_manual ();
  g_autoptr (LersLogika4lDriver) driver = NULL;
  g_autoptr (LersDevice) device = lers_device_new ();

  l4l_test_register_types ();
  driver = lers_logika4l_driver_new ();
  lers_transport_set_clock (transport, clock);
  lers_transport_set_retries (transport, retries);
  g_signal_connect (transport, "written", G_CALLBACK (script_written_cb), s);
  g_assert_true (lers_transport_open_sync (transport, NULL, NULL));
  lers_device_set_option (device, "units", "gcal");
  lers_device_set_option (device, "heat-inputs", "1,2");
  lers_device_set_option (device, "check-id", "false");
  if (s->wake_pause_ms != NULL)
    lers_device_set_option (device, "wake-pause-ms", s->wake_pause_ms);
  lers_device_set_option (device, "reporting-hour", "0");
  lers_device_set_option (device, "reporting-day", "1");
  return lers_device_driver_open_session_sync (LERS_DEVICE_DRIVER (driver), transport, device, NULL,
                                               error);
}

/* a garbled answer (KS 39 instead of 38) and one from another NT (5:
 * KS ~(05+3F+54+2B+0A = CD) = 32) are resent; the third answer opens */
static void
test_resend (void)
{
  static const gchar *const answers[]
      = { "10 FF 3F 54 2B 0A 39 16", "10 05 3F 54 2B 0A 32 16", "10 FF 3F 54 2B 0A 38 16", NULL };
  Script s = { answers, 0 };
  g_autoptr (GError) error = NULL;
  g_autoptr (LersDeviceSession) session = open_scripted (&s, 2, &error);

  g_assert_no_error (error);
  g_assert_nonnull (session);
  g_assert_cmpuint (s.n_writes, ==, 3);
}

/* with no resends left the checksum error is the session's error */
static void
test_resend_exhausted (void)
{
  static const gchar *const answers[]
      = { "10 FF 3F 54 2B 0A 39 16", "10 FF 3F 54 2B 0A 39 16", NULL };
  Script s = { answers, 0 };
  g_autoptr (GError) error = NULL;
  g_autoptr (LersDeviceSession) session = open_scripted (&s, 1, &error);

  g_assert_null (session);
  g_assert_error (error, LERS_ERROR, LERS_ERROR_CHECKSUM);
  g_assert_cmpuint (s.n_writes, ==, 2);
}

/* error 4 (only protected exchange, prot943 §2.5.1): not resent;
 * KS ~(FF + 21 + 04 = 0x124) = DB */
static void
test_protected (void)
{
  static const gchar *const answers[] = { "10 FF 21 04 DB 16", NULL };
  Script s = { answers, 0 };
  g_autoptr (GError) error = NULL;
  g_autoptr (LersDeviceSession) session = open_scripted (&s, 3, &error);

  g_assert_null (session);
  g_assert_error (error, LERS_ERROR, LERS_ERROR_PERMISSION_DENIED);
  g_assert_cmpstr (error->message, ==, "Logika device error 4: only protected exchange possible");
  g_assert_cmpuint (s.n_writes, ==, 1);
}

/* an unknown device code: ~(FF+3F+12+34+01 = 0x185) = 7A */
static void
test_unknown_device (void)
{
  static const gchar *const answers[] = { "10 FF 3F 12 34 01 7A 16", NULL };
  Script s = { answers, 0 };
  g_autoptr (GError) error = NULL;
  g_autoptr (LersDeviceSession) session = open_scripted (&s, 3, &error);

  g_assert_null (session);
  g_assert_error (error, LERS_ERROR, LERS_ERROR_NOT_SUPPORTED);
  g_assert_cmpstr (error->message, ==, "Logika device code 12 34 is not a known СПТ941/942/943");
}

/* СПТ942 (54 2A, Vadsxd/LogikaPython): named, but nothing read;
 * KS ~(FF+3F+54+2A+05 = 0x1C1) = 3E */
static void
test_942 (void)
{
  static const gchar *const answers[] = { "10 FF 3F 54 2A 05 3E 16", NULL };
  Script s = { answers, 0 };
  g_autoptr (GError) error = NULL;
  g_autoptr (LersDeviceSession) session = open_scripted (&s, 0, &error);
  g_autoptr (GDateTime) from = g_date_time_new_utc (2026, 1, 1, 0, 0, 0);
  g_autoptr (GDateTime) to = g_date_time_new_utc (2026, 1, 2, 0, 0, 0);
  g_autoptr (GPtrArray) records = NULL;
  g_autoptr (GDateTime) clock = NULL;

  g_assert_no_error (error);
  g_assert_cmpstr (lers_device_get_model (lers_device_session_get_device (session)), ==, "СПТ942");
  records = lers_device_session_read_archive_sync (session, LERS_ARCHIVE_KIND_HOUR, from, to, NULL,
                                                   NULL, &error);
  g_assert_null (records);
  g_assert_error (error, LERS_ERROR, LERS_ERROR_NOT_SUPPORTED);
  g_clear_error (&error);
  clock = lers_device_session_read_clock_sync (session, NULL, &error);
  g_assert_null (clock);
  g_assert_error (error, LERS_ERROR, LERS_ERROR_NOT_SUPPORTED);
  g_assert_cmpuint (s.n_writes, ==, 1);
}

/* review finding 13: device errors 0 (request structure broken) and 2
 * (invalid request parameters) are the device's answer, not a garbled
 * line: not resent. KS ~(FF+21+00 = 0x120) = DF, ~(FF+21+02) = DD */
static void
test_device_error_not_resent (void)
{
  static const gchar *const answers0[] = { "10 FF 21 00 DF 16", "10 FF 21 00 DF 16", NULL };
  static const gchar *const answers2[] = { "10 FF 21 02 DD 16", "10 FF 21 02 DD 16", NULL };
  Script s0 = { answers0, 0 };
  Script s2 = { answers2, 0 };
  g_autoptr (GError) error0 = NULL;
  g_autoptr (GError) error2 = NULL;
  g_autoptr (LersDeviceSession) session0 = open_scripted (&s0, 3, &error0);
  g_autoptr (LersDeviceSession) session2 = open_scripted (&s2, 3, &error2);

  g_assert_null (session0);
  g_assert_error (error0, LERS_ERROR, LERS_ERROR_INVALID_DATA);
  g_assert_cmpstr (error0->message, ==, "Logika device error 0: request structure broken");
  g_assert_cmpuint (s0.n_writes, ==, 1);
  g_assert_null (session2);
  g_assert_error (error2, LERS_ERROR, LERS_ERROR_INVALID_DATA);
  g_assert_cmpstr (error2->message, ==, "Logika device error 2: invalid request parameters");
  g_assert_cmpuint (s2.n_writes, ==, 1);
}

/* review finding 16: prot943 §2.6 table 2.3 asks t2 ≥ 1000 ms between the
 * 0xFF start sequence and the session request; with wake-pause-ms the 16
 * FF go alone, the request follows after the pause (here 200 ms) */
static void
test_wake_pause (void)
{
  static const gchar *const answers[] = { NULL, "10 FF 3F 54 2B 0A 38 16", NULL };
  Script s = { answers, 0, "200" };
  Script plain = { answers + 1, 0 };
  g_autoptr (GError) error = NULL;
  g_autoptr (LersDeviceSession) session = open_scripted (&s, 0, &error);
  g_autoptr (LersDeviceSession) session1 = NULL;

  g_assert_no_error (error);
  g_assert_nonnull (session);
  g_assert_cmpuint (s.n_writes, ==, 2);
  g_assert_cmpuint (s.first_len, ==, 16);
  g_assert_cmpint (s.second_at - s.first_at, >=, 200 * 1000);
  /* default: one write, FF and request `10 FF 3F 00 00 00 00 KS 16` together
   * (16 + 9 bytes) */
  session1 = open_scripted (&plain, 0, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (plain.n_writes, ==, 1);
  g_assert_cmpuint (plain.first_len, ==, 25);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/logika4l/replay/open", test_replay_open);
  g_test_add_func ("/logika4l/replay/frames", test_replay_frames);
  g_test_add_func ("/logika4l/script/resend", test_resend);
  g_test_add_func ("/logika4l/script/resend-exhausted", test_resend_exhausted);
  g_test_add_func ("/logika4l/script/protected", test_protected);
  g_test_add_func ("/logika4l/script/wake-pause", test_wake_pause);
  g_test_add_func ("/logika4l/script/device-error", test_device_error_not_resent);
  g_test_add_func ("/logika4l/script/unknown-device", test_unknown_device);
  g_test_add_func ("/logika4l/script/942", test_942);
  return g_test_run ();
}
