/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* LersModemTransport against a simulated AT modem on a pseudo-terminal
 * (at-modem-sim.c) that, after CONNECT, hands the bytes to the real M-Bus
 * device simulator; the AT answer parser on its own. */
#include <check.h>
#include <lers.h>
#include <string.h>

#include "at-modem-sim.h"
#include "lers-check.h"
#include "protocol/lers-at-answer.h"

#define PHONE "84951234567"

static void
result_cb (GObject *source, GAsyncResult *result, gpointer user_data)
{
  *(GAsyncResult **) user_data = g_object_ref (result);
}

static GAsyncResult *
wait_for (GAsyncResult **result)
{
  while (*result == NULL)
    g_main_context_iteration (NULL, TRUE);
  return *result;
}

static void
drain_context (void)
{
  while (g_main_context_iteration (NULL, FALSE))
    ;
}

static gboolean
received_contains (AtModemSim *sim, const gchar *text)
{
  GByteArray *r = at_modem_sim_get_received (sim);
  gsize n = strlen (text);

  for (gsize i = 0; i + n <= r->len; i++)
    if (memcmp (r->data + i, text, n) == 0)
      return TRUE;
  return FALSE;
}

typedef struct
{
  LersEngine *engine;
  LersDeviceSimulator *meter;
  AtModemSim *sim;
  LersClock *clock;
  LersTransport *line;
  LersTransport *modem;
} Fixture;

static void
fixture_init (Fixture *f, gboolean with_meter)
{
  g_autoptr (GError) error = NULL;

  if (with_meter)
    {
      f->engine = lers_engine_new ();
      /* the M-Bus heat meter of the simulator: serial 10000042, address 7 */
      f->meter = lers_engine_create_device_simulator (f->engine, "mbus", "10000042", 7, 42, &error);
      lers_check_assert_no_error (error);
    }
  f->sim = at_modem_sim_new (f->meter);
  f->clock = lers_clock_new_manual ();
  f->line = lers_serial_transport_new (at_modem_sim_get_path (f->sim));
  f->modem = lers_modem_transport_new (f->line, PHONE);
  lers_transport_set_clock (f->modem, f->clock);
  lers_transport_set_retries (f->modem, 0);
}

static void
fixture_clear (Fixture *f)
{
  g_clear_object (&f->modem);
  g_clear_object (&f->line);
  g_clear_object (&f->clock);
  at_modem_sim_free (f->sim);
  g_clear_object (&f->meter);
  g_clear_object (&f->engine);
}

static gboolean
open_modem (Fixture *f, GError **error)
{
  g_autoptr (GAsyncResult) result = NULL;

  lers_transport_open_async (f->modem, NULL, result_cb, &result);
  return lers_transport_open_finish (f->modem, wait_for (&result), error);
}

/* closes with the guard times on the manual clock: nothing is sent before
 * the first guard time has passed */
static gboolean
close_modem (Fixture *f, GError **error)
{
  g_autoptr (GAsyncResult) result = NULL;
  guint guard = lers_modem_transport_get_guard_ms (LERS_MODEM_TRANSPORT (f->modem));
  guint sent_before = at_modem_sim_get_received (f->sim)->len;
  guint64 line_sent = lers_transport_get_bytes_sent (f->line);

  lers_transport_close_async (f->modem, NULL, result_cb, &result);
  drain_context ();
  lers_clock_advance (f->clock, guard - 1);
  drain_context ();
  ck_assert_uint_eq (at_modem_sim_get_received (f->sim)->len, sent_before);
  lers_clock_advance (f->clock, 1);
  /* the modem got +++ and the transport knows it went out (only then does
   * the second guard time start) */
  while (!received_contains (f->sim, "+++")
         || lers_transport_get_bytes_sent (f->line) < line_sent + 3)
    g_main_context_iteration (NULL, TRUE);
  drain_context ();
  lers_clock_advance (f->clock, guard);
  return lers_transport_close_finish (f->modem, wait_for (&result), error);
}

/* an M-Bus frame ends: E5, a short frame of 5 bytes, a long one of L + 6 */
static gssize
mbus_scanner (const guint8 *data, gsize len, gpointer user_data)
{
  if (data[0] == 0xE5)
    return 1;
  if (data[0] == 0x10)
    return len >= 5 ? 5 : 0;
  if (data[0] == 0x68)
    return len >= 4 ? (len >= (gsize) data[1] + 6 ? (gssize) data[1] + 6 : 0) : 0;
  return -1;
}

static GBytes *
mbus_exchange (Fixture *f, const guint8 *request, gsize len, GError **error)
{
  g_autoptr (GAsyncResult) result = NULL;
  g_autoptr (GBytes) bytes = g_bytes_new (request, len);

  lers_transport_exchange_async (f->modem, bytes, mbus_scanner, NULL, NULL, NULL, result_cb,
                                 &result);
  return lers_transport_exchange_finish (f->modem, wait_for (&result), error);
}

START_TEST (test_modem_session)
{
  Fixture f = { 0 };
  g_autoptr (GError) error = NULL;
  g_autoptr (GBytes) ack = NULL;
  g_autoptr (GBytes) rsp = NULL;
  /* SND_NKE to address 7: C=0x40, A=0x07, checksum 0x40+0x07=0x47 */
  static const guint8 snd_nke[] = { 0x10, 0x40, 0x07, 0x47, 0x16 };
  /* REQ_UD2 with FCB: C=0x7B, A=0x07, checksum 0x82 */
  static const guint8 req_ud2[] = { 0x10, 0x7B, 0x07, 0x82, 0x16 };
  const guint8 *p;
  gsize n;
  guint8 sum = 0;

  fixture_init (&f, TRUE);
  ck_assert (open_modem (&f, &error));
  lers_check_assert_no_error (error);
  ck_assert (lers_transport_is_open (f.modem));
  ck_assert_uint_eq (lers_modem_transport_get_connect_speed (LERS_MODEM_TRANSPORT (f.modem)), 9600);
  /* the default init string, one command at a time, then the number */
  ck_assert_uint_eq (at_modem_sim_count_command (f.sim, "ATZ"), 1);
  ck_assert_uint_eq (at_modem_sim_count_command (f.sim, "ATE0V1"), 1);
  ck_assert_uint_eq (at_modem_sim_count_command (f.sim, "ATD" PHONE), 1);
  ck_assert (at_modem_sim_is_online (f.sim));

  /* a real M-Bus exchange through the modem */
  ack = mbus_exchange (&f, snd_nke, sizeof snd_nke, &error);
  lers_check_assert_no_error (error);
  ck_assert_uint_eq (g_bytes_get_size (ack), 1);
  ck_assert_uint_eq (((const guint8 *) g_bytes_get_data (ack, NULL))[0], 0xE5);
  rsp = mbus_exchange (&f, req_ud2, sizeof req_ud2, &error);
  lers_check_assert_no_error (error);
  p = g_bytes_get_data (rsp, &n);
  /* 68 L L 68 C=08 (RSP_UD) A=07 CI=72, identification 10000042 in BCD,
   * low byte first: 42 00 00 10; the checksum is the sum of C…data */
  ck_assert_uint_ge (n, 19);
  ck_assert_uint_eq (p[0], 0x68);
  ck_assert_uint_eq (p[3], 0x68);
  ck_assert_uint_eq (p[1], p[2]);
  ck_assert_uint_eq (n, (gsize) p[1] + 6);
  ck_assert_uint_eq (p[4], 0x08);
  ck_assert_uint_eq (p[5], 0x07);
  ck_assert_uint_eq (p[6], 0x72);
  ck_assert_uint_eq (p[7], 0x42);
  ck_assert_uint_eq (p[8], 0x00);
  ck_assert_uint_eq (p[9], 0x00);
  ck_assert_uint_eq (p[10], 0x10);
  for (gsize i = 4; i < n - 2; i++)
    sum += p[i];
  ck_assert_uint_eq (p[n - 2], sum);
  ck_assert_uint_eq (p[n - 1], 0x16);
  ck_assert_uint_eq (at_modem_sim_get_data_bytes (f.sim), sizeof snd_nke + sizeof req_ud2);

  /* hang up: guard, +++, guard, OK, ATH, OK */
  ck_assert (close_modem (&f, &error));
  lers_check_assert_no_error (error);
  ck_assert_uint_eq (at_modem_sim_count_command (f.sim, "ATH"), 1);
  ck_assert (!at_modem_sim_is_online (f.sim));
  ck_assert (!lers_transport_is_open (f.modem));
  ck_assert (!lers_transport_is_open (f.line));
  fixture_clear (&f);
}
END_TEST

static const struct
{
  const gchar *answer;
  const gchar *word;
} dial_failures[] = {
  { "BUSY", "(BUSY)" },
  { "NO CARRIER", "(NO CARRIER)" },
  { "NO ANSWER", "(NO ANSWER)" },
  { "NO DIALTONE", "(NO DIALTONE)" },
  { "ERROR", "(ERROR)" },
  /* numeric result codes (ATV0): 7 is BUSY */
  { "7", "(BUSY)" },
};

START_TEST (test_modem_dial_failures)
{
  Fixture f = { 0 };
  g_autoptr (GError) error = NULL;

  fixture_init (&f, FALSE);
  at_modem_sim_set_dial_result (f.sim, dial_failures[_i].answer);
  ck_assert (!open_modem (&f, &error));
  lers_check_assert_error (error, LERS_ERROR, LERS_ERROR_CONNECTION);
  ck_assert_msg (strstr (error->message, dial_failures[_i].word) != NULL, "%s", error->message);
  ck_assert (!lers_transport_is_open (f.modem));
  /* the line is closed again: another program may take it */
  ck_assert (!lers_transport_is_open (f.line));
  ck_assert_uint_eq (at_modem_sim_count_command (f.sim, "ATD" PHONE), 1);
  fixture_clear (&f);
}
END_TEST

START_TEST (test_modem_messages)
{
  Fixture f = { 0 };
  g_autoptr (GError) error = NULL;
  g_autofree gchar *expected = NULL;
  g_autofree gchar *description = NULL;

  /* the whole message a user sees for a busy number */
  fixture_init (&f, FALSE);
  at_modem_sim_set_dial_result (f.sim, "BUSY");
  ck_assert (!open_modem (&f, &error));
  lers_check_assert_error (error, LERS_ERROR, LERS_ERROR_CONNECTION);
  expected = g_strdup_printf ("modem:%s?phone=" PHONE ": " PHONE " is busy (BUSY)",
                              at_modem_sim_get_path (f.sim));
  description = g_strdup_printf ("modem:%s?phone=" PHONE, at_modem_sim_get_path (f.sim));
  ck_assert_str_eq (lers_transport_get_description (f.modem), description);
  ck_assert_msg (g_str_has_suffix (error->message, expected), "%s", error->message);
  fixture_clear (&f);
}
END_TEST

START_TEST (test_modem_busy_in_russian)
{
  Fixture f = { 0 };
  g_autoptr (GError) error = NULL;

  /* our users read Russian: the modem's word stays as it sent it */
  lers_i18n_init ();
  g_setenv ("LANGUAGE", "ru", TRUE);
  fixture_init (&f, FALSE);
  at_modem_sim_set_dial_result (f.sim, "BUSY");
  ck_assert (!open_modem (&f, &error));
  g_setenv ("LANGUAGE", "en", TRUE);
  lers_check_assert_error (error, LERS_ERROR, LERS_ERROR_CONNECTION);
  ck_assert_msg (strstr (error->message, "номер " PHONE " занят (BUSY)") != NULL, "%s",
                 error->message);
  fixture_clear (&f);
}
END_TEST

START_TEST (test_modem_noise_and_init_string)
{
  Fixture f = { 0 };
  g_autoptr (GError) error = NULL;

  fixture_init (&f, FALSE);
  at_modem_sim_set_noise (f.sim, "\x00\xfe~#\x7f noise\r\n\r\n", 13);
  lers_modem_transport_set_init_string (LERS_MODEM_TRANSPORT (f.modem), "ATZ\nAT&F ; ATE0V1");
  lers_modem_transport_set_dial_prefix (LERS_MODEM_TRANSPORT (f.modem), "ATDT");
  at_modem_sim_set_dial_result (f.sim, "CONNECT 2400/V110");
  ck_assert (open_modem (&f, &error));
  lers_check_assert_no_error (error);
  ck_assert_uint_eq (at_modem_sim_count_command (f.sim, "ATZ"), 1);
  ck_assert_uint_eq (at_modem_sim_count_command (f.sim, "AT&F"), 1);
  ck_assert_uint_eq (at_modem_sim_count_command (f.sim, "ATE0V1"), 1);
  ck_assert_uint_eq (at_modem_sim_count_command (f.sim, "ATDT" PHONE), 1);
  ck_assert_uint_eq (lers_modem_transport_get_connect_speed (LERS_MODEM_TRANSPORT (f.modem)), 2400);
  ck_assert (close_modem (&f, &error));
  lers_check_assert_no_error (error);
  fixture_clear (&f);
}
END_TEST

START_TEST (test_modem_far_end_hung_up)
{
  Fixture f = { 0 };
  g_autoptr (GError) error = NULL;

  fixture_init (&f, TRUE);
  ck_assert (open_modem (&f, &error));
  at_modem_sim_drop_carrier (f.sim);
  /* NO CARRIER came: closing does not fail, and ATH is not needed */
  ck_assert (close_modem (&f, &error));
  lers_check_assert_no_error (error);
  ck_assert_uint_eq (at_modem_sim_count_command (f.sim, "ATH"), 0);
  ck_assert (!lers_transport_is_open (f.line));
  fixture_clear (&f);
}
END_TEST

START_TEST (test_modem_no_connect_in_time)
{
  Fixture f = { 0 };
  g_autoptr (GError) error = NULL;
  g_autoptr (GAsyncResult) result = NULL;

  fixture_init (&f, FALSE);
  at_modem_sim_set_dial_result (f.sim, "RING"); /* not a final answer: the call goes on */
  lers_transport_set_connect_timeout_ms (f.modem, 60000);
  lers_transport_open_async (f.modem, NULL, result_cb, &result);
  while (at_modem_sim_count_command (f.sim, "ATD" PHONE) == 0)
    g_main_context_iteration (NULL, TRUE);
  drain_context ();
  /* the first-byte timeout of the line (5 s) does not cut the call short */
  lers_clock_advance (f.clock, 59999);
  drain_context ();
  ck_assert (result == NULL);
  lers_clock_advance (f.clock, 1);
  ck_assert (!lers_transport_open_finish (f.modem, wait_for (&result), &error));
  lers_check_assert_error (error, LERS_ERROR, LERS_ERROR_TIMED_OUT);
  ck_assert_msg (strstr (error->message, "did not open within 60000 ms") != NULL, "%s",
                 error->message);
  ck_assert (!lers_transport_is_open (f.line));
  fixture_clear (&f);
}
END_TEST

/* ---- the AT answer parser ------------------------------------------------ */

static const struct
{
  const gchar *data;
  LersAtResult result;
  gsize end;
  guint speed;
} parse_table[] = {
  { "\r\nOK\r\n", LERS_AT_RESULT_OK, 6, 0 },
  { "ATZ\r\r\nOK\r\n", LERS_AT_RESULT_OK, 10, 0 }, /* echo first */
  { "\r\nCONNECT 9600\r\nDATA", LERS_AT_RESULT_CONNECT, 16, 9600 },
  { "\r\nCONNECT 14400/ARQ\r\n", LERS_AT_RESULT_CONNECT, 21, 14400 },
  { "\r\nCONNECT\r\n", LERS_AT_RESULT_CONNECT, 11, 0 },
  { "\r\nCONNECT 9600\r", LERS_AT_RESULT_NONE, 0, 0 }, /* its LF is still to come */
  { "\r\nRING\r\n\r\nBUSY\r\n", LERS_AT_RESULT_BUSY, 16, 0 },
  { "\r\nNO CARRIER\r\n", LERS_AT_RESULT_NO_CARRIER, 14, 0 },
  { "\r\nNO ANSWER\r\n", LERS_AT_RESULT_NO_ANSWER, 13, 0 },
  { "\r\nNO DIALTONE\r\n", LERS_AT_RESULT_NO_DIALTONE, 15, 0 },
  { "\r\nERROR\r\n", LERS_AT_RESULT_ERROR, 9, 0 },
  { "0\r", LERS_AT_RESULT_OK, 2, 0 },
  { "3\r", LERS_AT_RESULT_NO_CARRIER, 2, 0 },
  { "garbage OK\r\n", LERS_AT_RESULT_NONE, 0, 0 },
  { "\r\nOKAY\r\n", LERS_AT_RESULT_NONE, 0, 0 },
  { "\r\nOK", LERS_AT_RESULT_NONE, 0, 0 },
  { "", LERS_AT_RESULT_NONE, 0, 0 },
  { "\r\nCONNECT 99999999999999\r\n", LERS_AT_RESULT_CONNECT, 26, 0 },
};

START_TEST (test_at_answer_parse)
{
  const gchar *data = parse_table[_i].data;
  gsize end = 99;
  guint speed = 99;
  LersAtResult result = lers_at_answer_parse ((const guint8 *) data, strlen (data), &end, &speed);

  ck_assert_msg (result == parse_table[_i].result, "%s: %d", data, result);
  ck_assert_uint_eq (end, parse_table[_i].end);
  ck_assert_uint_eq (speed, parse_table[_i].speed);
}
END_TEST

static Suite *
modem_suite (void)
{
  Suite *s = suite_create ("modem");
  TCase *tc = tcase_create ("pty");
  TCase *parser = tcase_create ("parser");

  tcase_add_test (tc, test_modem_session);
  tcase_add_loop_test (tc, test_modem_dial_failures, 0, G_N_ELEMENTS (dial_failures));
  tcase_add_test (tc, test_modem_messages);
  tcase_add_test (tc, test_modem_busy_in_russian);
  tcase_add_test (tc, test_modem_noise_and_init_string);
  tcase_add_test (tc, test_modem_far_end_hung_up);
  tcase_add_test (tc, test_modem_no_connect_in_time);
  tcase_add_loop_test (parser, test_at_answer_parse, 0, G_N_ELEMENTS (parse_table));
  suite_add_tcase (s, tc);
  suite_add_tcase (s, parser);
  return s;
}

int
main (int argc, char **argv)
{
  lers_check_init (&argc, &argv);
  return lers_check_run_suite (modem_suite ());
}
