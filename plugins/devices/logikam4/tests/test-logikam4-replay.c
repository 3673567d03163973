/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * The driver against a recorded СПТ943 rev. 3 (tests/replay-spt943-3.txt:
 * Logika's prolog.exe reading the meter, from the vodopad repository's
 * Drv944/DEVELOPER.LOG). Our requests are not prolog's bytes (other IDs,
 * dates), so the peer answers each request with the recorded answer to
 * the recorded request of the same kind: 3F with 3F; 72 with the answer to
 * the same PNUM list; 61 with the answer for the same Ch and Rectype. The
 * recorded answer's CRC is checked as recorded, then its body is framed
 * with our NT and message ID.
 *
 * Expected values from the recording, decoded by hand (test-logikam4-frame
 * shows the bytes): device 54 2B version 0A = СПТ943.3; clock 29.09.2015
 * 16:07:14; one hourly record per heat input stamped 16:00 (the hour
 * 15:00–16:00) with no measured values (NULL) and the timers Тн = Тш = 0;
 * no daily or monthly records.
 */
#include <string.h>

#include "lers-check.h"
#include "lers-logikam4-session.h"
#include "logikam4-frame.h"
#include "logikam4-test-util.h"
#include "logikam4-tlv.h"

typedef struct
{
  GPtrArray *requests; /* GBytes: recorded request bodies */
  GPtrArray *answers;  /* GBytes: recorded answer bodies */
  GArray *used;        /* gboolean */
  guint n_answered;
} Replay;

static void
replay_load (Replay *r)
{
  g_autofree gchar *text = NULL;
  g_auto (GStrv) lines = NULL;
  GBytes *pending = NULL;

  r->requests = g_ptr_array_new_with_free_func ((GDestroyNotify) g_bytes_unref);
  r->answers = g_ptr_array_new_with_free_func ((GDestroyNotify) g_bytes_unref);
  r->used = g_array_new (FALSE, TRUE, sizeof (gboolean));
  ck_assert (g_file_get_contents (LOGIKAM4_TEST_DIR "/replay-spt943-3.txt", &text, NULL, NULL));
  lines = g_strsplit (text, "\n", -1);
  for (guint i = 0; lines[i] != NULL; i++)
    {
      g_autoptr (GError) error = NULL;
      g_autoptr (M4Frame) f = NULL;
      g_autoptr (GBytes) b = NULL;
      gboolean no = FALSE;

      if (!g_str_has_prefix (lines[i], "> 10 FF 90") && !g_str_has_prefix (lines[i], "< 10 FF 90"))
        continue;
      b = m4_test_hex (lines[i] + 2);
      f = m4_frame_parse (g_bytes_get_data (b, NULL), g_bytes_get_size (b), &error);
      ck_assert_msg (f != NULL, "%s", error ? error->message : "");
      if (lines[i][0] == '>')
        pending = g_bytes_ref (f->body);
      else
        {
          ck_assert_ptr_nonnull (pending);
          g_ptr_array_add (r->requests, pending);
          g_ptr_array_add (r->answers, g_bytes_ref (f->body));
          g_array_append_val (r->used, no);
          pending = NULL;
        }
    }
}

static void
replay_clear (Replay *r)
{
  g_clear_pointer (&r->requests, g_ptr_array_unref);
  g_clear_pointer (&r->answers, g_ptr_array_unref);
  g_clear_pointer (&r->used, g_array_unref);
}

/* does our request body match the recorded one? */
static gboolean
same_kind (GBytes *ours, GBytes *recorded)
{
  gsize a = 0, b = 0;
  const guint8 *p = g_bytes_get_data (ours, &a);
  const guint8 *q = g_bytes_get_data (recorded, &b);

  if (a == 0 || b == 0 || p[0] != q[0])
    return FALSE;
  switch (p[0])
    {
    case 0x3F:
      return TRUE;
    case 0x72:
      return g_bytes_equal (ours, recorded);
    case 0x61:
      /* 61 04 05 CNT_L CNT_H Ch Rectype N …: the same Ch and archive */
      return a > 7 && b > 7 && p[5] == q[5] && (p[6] & 0x0F) == (q[6] & 0x0F);
    default:
      return FALSE;
    }
}

static void
written_cb (LersMemoryTransport *transport, GBytes *bytes, gpointer user_data)
{
  Replay *r = user_data;
  g_autoptr (M4Frame) f = NULL;

  f = m4_frame_parse (g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes), NULL);
  if (f == NULL)
    return; /* the 16 × FF start sequence */
  /* an unused recorded answer first; asked again, the last one again */
  for (guint i = 0, pass = 0; pass < 2; i++)
    {
      GBytes *answer;
      g_autoptr (GBytes) framed = NULL;

      if (i == r->requests->len)
        {
          i = G_MAXUINT;
          pass++;
          continue;
        }
      answer = g_ptr_array_index (r->answers, i);
      if ((pass == 0 && g_array_index (r->used, gboolean, i))
          || !same_kind (f->body, g_ptr_array_index (r->requests, i)))
        continue;
      g_array_index (r->used, gboolean, i) = TRUE;
      framed = m4_frame_build_full (f->nt, f->id, g_bytes_get_data (answer, NULL),
                                    g_bytes_get_size (answer));
      lers_memory_transport_push_input (transport, framed);
      r->n_answered++;
      return;
    }
  ck_abort_msg ("no recorded answer for our request");
}

START_TEST (test_replay_spt943_3)
{
  Replay r = { 0 };
  g_autoptr (LersTransport) transport = NULL;
  g_autoptr (LersDevice) device = lers_device_new ();
  g_autoptr (LersDeviceSession) s = NULL;
  g_autoptr (GError) error = NULL;
  g_autoptr (GDateTime) t = NULL;
  g_autoptr (GPtrArray) hours = NULL, days = NULL, months = NULL;
  g_autoptr (GTimeZone) msk = g_time_zone_new_identifier ("Europe/Moscow");
  g_autoptr (GDateTime) from = NULL, to = NULL;
  LersRecord *rec;

  m4_test_register_types ();
  replay_load (&r);
  transport = lers_memory_transport_new ();
  g_signal_connect (transport, "written", G_CALLBACK (written_cb), &r);
  ck_assert (lers_transport_open_sync (transport, NULL, NULL));
  lers_device_set_protocol (device, "logikam4");
  lers_device_set_clock_zone (device, "Europe/Moscow");
  lers_device_set_effective_clock_zone (device, msk);
  lers_device_set_option (device, "wake-up-ms", "0");
  /* the recording asked ЕИ alone: we take the units from options instead */
  lers_device_set_option (device, "pressure-unit", "kgf/cm2");
  lers_device_set_option (device, "energy-unit", "gcal");
  lers_device_set_option (device, "reporting-hour", "0");

  s = m4_test_open (transport, device, &error);
  lers_check_assert_no_error (error);
  ck_assert_str_eq (lers_logikam4_session_get_model_name (LERS_LOGIKAM4_SESSION (s)), "СПТ943.3");

  t = m4_test_clock (s, &error);
  lers_check_assert_no_error (error);
  {
    g_autoptr (GDateTime) want = g_date_time_new (msk, 2015, 9, 29, 16, 7, 14);
    ck_assert (g_date_time_equal (t, want));
  }

  from = g_date_time_new (msk, 2015, 9, 29, 12, 0, 0);
  to = g_date_time_new (msk, 2015, 9, 29, 18, 0, 0);
  hours = m4_test_read (s, LERS_ARCHIVE_KIND_HOUR, from, to, &error);
  lers_check_assert_no_error (error);
  ck_assert_uint_eq (hours->len, 2);
  rec = m4_test_find (hours, "2015-09-29T12:00:00Z", 0); /* 15:00 MSK */
  ck_assert (!lers_record_has_value (rec, LERS_PARAMETER_T_IN));
  ck_assert_double_eq (m4_test_value (rec, LERS_PARAMETER_INCIDENT_DURATION), 0.0);
  ck_assert_double_eq (m4_test_value (rec, LERS_PARAMETER_NORMAL_OPERATION_DURATION), 0.0);
  rec = m4_test_find (hours, "2015-09-29T12:00:00Z", 1);
  ck_assert (!lers_record_has_value (rec, LERS_PARAMETER_M_IN));

  g_clear_pointer (&from, g_date_time_unref);
  g_clear_pointer (&to, g_date_time_unref);
  from = g_date_time_new (msk, 2015, 9, 1, 0, 0, 0);
  to = g_date_time_new (msk, 2015, 9, 30, 0, 0, 0);
  days = m4_test_read (s, LERS_ARCHIVE_KIND_DAY, from, to, &error);
  lers_check_assert_no_error (error);
  ck_assert_uint_eq (days->len, 0);
  months = m4_test_read (s, LERS_ARCHIVE_KIND_MONTH, from, to, &error);
  lers_check_assert_no_error (error);
  ck_assert_uint_eq (months->len, 0);
  /* 3F, 72 clock, 61 × 2 heat inputs × 3 archives */
  ck_assert_uint_eq (r.n_answered, 8);
  /* events: the hourly НС flags are all 0, the event log (Rectype 6,
   * recorded alike for Ch 1 and 2: the meter's one log) is empty and asked
   * once, on Ch 1: 8 + 2 hourly + 1 = 11 answers (review 2) */
  {
    g_autoptr (GPtrArray) events = NULL;
    g_autoptr (GDateTime) a = g_date_time_new (msk, 2015, 9, 29, 0, 0, 0);
    g_autoptr (GDateTime) b = g_date_time_new (msk, 2015, 9, 30, 0, 0, 0);

    events = m4_test_events (s, a, b, &error);
    lers_check_assert_no_error (error);
    ck_assert_uint_eq (events->len, 0);
    ck_assert_uint_eq (r.n_answered, 11);
  }
  m4_test_close (s);
  replay_clear (&r);
}
END_TEST

/* A scripted meter: the n-th frame we write gets the n-th answer (NULL:
 * silence); the 16 × FF are not frames and get nothing. */
typedef struct
{
  const gchar *const *answers;
  guint n_frames;
} Script;

static void
script_written_cb (LersMemoryTransport *transport, GBytes *bytes, gpointer user_data)
{
  Script *sc = user_data;
  g_autoptr (M4Frame) f
      = m4_frame_parse (g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes), NULL);
  const gchar *hex;

  if (f == NULL)
    return;
  hex = sc->answers[sc->n_frames++];
  if (hex != NULL && hex[0] == '^' && sc->n_frames >= 2)
    {
      /* "^" before the body: first a late copy of the previous answer,
       * with the previous request's message ID */
      const gchar *prev = sc->answers[sc->n_frames - 2];
      g_autoptr (GBytes) body = m4_test_hex (prev[0] == '^' || prev[0] == '!' ? prev + 1 : prev);
      g_autoptr (GBytes) stale = m4_frame_build_full (
          f->nt, (guint8) (f->id - 1), g_bytes_get_data (body, NULL), g_bytes_get_size (body));

      lers_memory_transport_push_input (transport, stale);
      hex++;
    }
  if (hex != NULL && *hex != '\0')
    {
      g_autoptr (GBytes) body = m4_test_hex (hex[0] == '!' ? hex + 1 : hex);
      g_autoptr (GBytes) framed = NULL;

      /* "!" before the body: the answer's CRC spoilt */
      framed = m4_frame_build_full (f->nt, f->id, g_bytes_get_data (body, NULL),
                                    g_bytes_get_size (body));
      if (hex[0] == '!')
        {
          g_autoptr (GByteArray) bad = g_bytes_unref_to_array (g_steal_pointer (&framed));
          bad->data[bad->len - 1] ^= 0xFF;
          framed = g_byte_array_free_to_bytes (g_steal_pointer (&bad));
        }
      lers_memory_transport_push_input (transport, framed);
    }
}

START_TEST (test_retries)
{
  /* a garbled answer (bad CRC) is asked again, the same bytes: the second
   * answer opens the СПТ944 (54 2C, 944_d7 §4.1); then the units and ЧР */
  static const gchar *const answers[]
      = { "!3F 54 2C 00", "3F 54 2C 00", "72 16 01 31 16 01 30 16 02 30 30", NULL };
  Script sc = { answers, 0 };
  g_autoptr (LersTransport) transport = lers_memory_transport_new ();
  g_autoptr (LersDevice) device = lers_device_new ();
  g_autoptr (LersDeviceSession) s = NULL;
  g_autoptr (GError) error = NULL;

  m4_test_register_types ();
  g_signal_connect (transport, "written", G_CALLBACK (script_written_cb), &sc);
  ck_assert (lers_transport_open_sync (transport, NULL, NULL));
  lers_transport_set_first_byte_timeout_ms (transport, 50);
  lers_device_set_option (device, "wake-up-ms", "0");
  s = m4_test_open (transport, device, &error);
  lers_check_assert_no_error (error);
  ck_assert_uint_eq (sc.n_frames, 3);
  ck_assert_str_eq (lers_logikam4_session_get_model_name (LERS_LOGIKAM4_SESSION (s)), "СПТ944");
}
END_TEST

START_TEST (test_late_answer_old_id)
{
  /* review 7: while the session waits for the answer to its 72 (the units
   * and ЧР of the СПТ944), a late copy of the 3F answer with the previous
   * message ID comes first: it is skipped (no resend: 2 frames written)
   * and the right answer read on */
  static const gchar *const answers[]
      = { "3F 54 2C 00", "^72 16 01 31 16 01 30 16 02 31 31", NULL };
  Script sc = { answers, 0 };
  g_autoptr (LersTransport) transport = lers_memory_transport_new ();
  g_autoptr (LersDevice) device = lers_device_new ();
  g_autoptr (LersDeviceSession) s = NULL;
  g_autoptr (GError) error = NULL;

  m4_test_register_types ();
  g_signal_connect (transport, "written", G_CALLBACK (script_written_cb), &sc);
  ck_assert (lers_transport_open_sync (transport, NULL, NULL));
  lers_transport_set_first_byte_timeout_ms (transport, 50);
  lers_device_set_option (device, "wake-up-ms", "0");
  s = m4_test_open (transport, device, &error);
  lers_check_assert_no_error (error);
  ck_assert_uint_eq (sc.n_frames, 2);
  ck_assert_str_eq (lers_logikam4_session_get_model_name (LERS_LOGIKAM4_SESSION (s)), "СПТ944");
}
END_TEST

START_TEST (test_error_reply)
{
  /* an error answer is not asked again: 21 02 → NOT_SUPPORTED at once */
  static const gchar *const answers[] = { "3F 92 29 80", "72 16 01 31 16 01 30", "21 02", NULL };
  Script sc = { answers, 0 };
  g_autoptr (LersTransport) transport = lers_memory_transport_new ();
  g_autoptr (LersDevice) device = lers_device_new ();
  g_autoptr (LersDeviceSession) s = NULL;
  g_autoptr (GError) error = NULL;
  g_autoptr (GPtrArray) records = NULL;

  m4_test_register_types ();
  g_signal_connect (transport, "written", G_CALLBACK (script_written_cb), &sc);
  ck_assert (lers_transport_open_sync (transport, NULL, NULL));
  lers_device_set_option (device, "wake-up-ms", "0");
  s = m4_test_open (transport, device, &error);
  lers_check_assert_no_error (error);
  records = m4_test_read (s, LERS_ARCHIVE_KIND_TOTALS, NULL, NULL, &error);
  ck_assert_ptr_null (records);
  lers_check_assert_error (error, LERS_ERROR, LERS_ERROR_NOT_SUPPORTED);
  ck_assert_str_eq (error->message,
                    "the meter refused the request: invalid parameter values (error 2)");
  ck_assert_uint_eq (sc.n_frames, 3);
}
END_TEST

static Suite *
replay_suite (void)
{
  Suite *s = suite_create ("logikam4-replay");
  TCase *tc = tcase_create ("replay");

  tcase_add_test (tc, test_replay_spt943_3);
  tcase_add_test (tc, test_retries);
  tcase_add_test (tc, test_late_answer_old_id);
  tcase_add_test (tc, test_error_reply);
  suite_add_tcase (s, tc);
  return s;
}

int
main (int argc, char **argv)
{
  lers_check_init (&argc, &argv);
  return lers_check_run_suite (replay_suite ());
}
