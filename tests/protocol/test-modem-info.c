/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* LersModemTransport asks the modem for its signal level, firmware and SIM
 * id before dialling (AT+CSQ, AT+CGMR, AT+CCID), against the scripted AT
 * modem on a pseudo-terminal (serial/at-modem-sim.c). The answers are
 * written in the forms of 3GPP TS 27.007: "+CSQ: <rssi>,<ber>" (8.5; rssi 0
 * is −113 dBm, each step 2 dB, 99 not known), the revision text of +CGMR
 * (5.3), and the ICCID most modems give to AT+CCID. */
#include <check.h>
#include <lers.h>
#include <string.h>

#include "at-modem-sim.h"
#include "lers-check.h"

#define PHONE "84951234567"

typedef struct
{
  AtModemSim *sim;
  LersClock *clock;
  LersTransport *line;
  LersTransport *modem;
} Fixture;

static void
fixture_init (Fixture *f)
{
  f->sim = at_modem_sim_new (NULL);
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
}

static void
result_cb (GObject *source, GAsyncResult *result, gpointer user_data)
{
  *(GAsyncResult **) user_data = g_object_ref (result);
}

/* where @text first is in what the modem received; -1 when not there */
static gssize
received_at (AtModemSim *sim, const gchar *text)
{
  GByteArray *r = at_modem_sim_get_received (sim);
  gsize n = strlen (text);

  for (gsize i = 0; i + n <= r->len; i++)
    if (memcmp (r->data + i, text, n) == 0)
      return (gssize) i;
  return -1;
}

static gboolean
open_modem (Fixture *f, GError **error)
{
  g_autoptr (GAsyncResult) result = NULL;

  lers_transport_open_async (f->modem, NULL, result_cb, &result);
  while (result == NULL)
    g_main_context_iteration (NULL, TRUE);
  return lers_transport_open_finish (f->modem, result, error);
}

static LersModemTransport *
modem (Fixture *f)
{
  return LERS_MODEM_TRANSPORT (f->modem);
}

START_TEST (test_modem_info_answers)
{
  Fixture f = { 0 };
  g_autoptr (GError) error = NULL;

  fixture_init (&f);
  at_modem_sim_set_answer (f.sim, "AT+CSQ", "+CSQ: 17,99\r\n\r\nOK");
  at_modem_sim_set_answer (f.sim, "AT+CGMR", "M6315-R01A02V01\r\n\r\nOK");
  /* 19 digits and the F a SIM pads its odd-length ICCID with */
  at_modem_sim_set_answer (f.sim, "AT+CCID", "+CCID: 8970101234567890123F\r\n\r\nOK");
  ck_assert (lers_modem_transport_get_query_info (modem (&f)));
  ck_assert (open_modem (&f, &error));
  lers_check_assert_no_error (error);
  /* −113 + 2 × 17 = −79 dBm */
  ck_assert_int_eq (lers_modem_transport_get_signal_level (modem (&f)), -79);
  ck_assert_str_eq (lers_modem_transport_get_firmware (modem (&f)), "M6315-R01A02V01");
  ck_assert_str_eq (lers_modem_transport_get_sim_id (modem (&f)), "8970101234567890123");
  /* after the init string, before the number */
  ck_assert_int_gt (received_at (f.sim, "AT+CSQ\r"), received_at (f.sim, "ATE0V1\r"));
  ck_assert_int_gt (received_at (f.sim, "AT+CGMR\r"), received_at (f.sim, "AT+CSQ\r"));
  ck_assert_int_gt (received_at (f.sim, "AT+CCID\r"), received_at (f.sim, "AT+CGMR\r"));
  ck_assert_int_gt (received_at (f.sim, "ATD" PHONE "\r"), received_at (f.sim, "AT+CCID\r"));
  ck_assert (lers_transport_is_open (f.modem));
  fixture_clear (&f);
}
END_TEST

/* rssi 99 (not known) is 0; a quoted firmware, an ICCID of 20 digits */
START_TEST (test_modem_info_unknown_signal)
{
  Fixture f = { 0 };
  g_autoptr (GError) error = NULL;

  fixture_init (&f);
  at_modem_sim_set_answer (f.sim, "AT+CSQ", "+CSQ: 99,99\r\n\r\nOK");
  at_modem_sim_set_answer (f.sim, "AT+CGMR", "+CGMR: \"1.04.02\"\r\n\r\nOK");
  at_modem_sim_set_answer (f.sim, "AT+CCID", "89701012345678901234\r\n\r\nOK");
  ck_assert (open_modem (&f, &error));
  lers_check_assert_no_error (error);
  ck_assert_int_eq (lers_modem_transport_get_signal_level (modem (&f)), 0);
  ck_assert_str_eq (lers_modem_transport_get_firmware (modem (&f)), "1.04.02");
  ck_assert_str_eq (lers_modem_transport_get_sim_id (modem (&f)), "89701012345678901234");
  fixture_clear (&f);
}
END_TEST

/* ERROR to a query, or no answer at all within 2 s, does not fail the call */
START_TEST (test_modem_info_error_and_silence)
{
  Fixture f = { 0 };
  g_autoptr (GError) error = NULL;
  g_autoptr (GAsyncResult) result = NULL;

  fixture_init (&f);
  at_modem_sim_set_answer (f.sim, "AT+CSQ", "+CSQ: 31,0\r\n\r\nOK");
  at_modem_sim_set_answer (f.sim, "AT+CGMR", "ERROR");
  at_modem_sim_set_answer (f.sim, "AT+CCID", NULL);
  lers_transport_open_async (f.modem, NULL, result_cb, &result);
  while (received_at (f.sim, "AT+CCID\r") < 0)
    g_main_context_iteration (NULL, TRUE);
  /* the query's 2 s wait is armed once its write has completed, which may
   * come after the simulator saw the bytes */
  while (lers_clock_get_next_due_ms (f.clock) != lers_clock_get_monotonic_ms (f.clock) + 2000)
    g_main_context_iteration (NULL, TRUE);
  while (g_main_context_iteration (NULL, FALSE))
    ;
  /* the modem says nothing: 1999 ms on, it still waits, not dialling */
  lers_clock_advance (f.clock, 1999);
  while (g_main_context_iteration (NULL, FALSE))
    ;
  ck_assert (result == NULL);
  ck_assert_int_lt (received_at (f.sim, "ATD"), 0);
  lers_clock_advance (f.clock, 1);
  while (result == NULL)
    g_main_context_iteration (NULL, TRUE);
  ck_assert (lers_transport_open_finish (f.modem, result, &error));
  lers_check_assert_no_error (error);
  /* −113 + 2 × 31 = −51 dBm */
  ck_assert_int_eq (lers_modem_transport_get_signal_level (modem (&f)), -51);
  ck_assert_ptr_null (lers_modem_transport_get_firmware (modem (&f)));
  ck_assert_ptr_null (lers_modem_transport_get_sim_id (modem (&f)));
  ck_assert_uint_eq (at_modem_sim_count_command (f.sim, "ATD" PHONE), 1);
  ck_assert (lers_transport_is_open (f.modem));
  fixture_clear (&f);
}
END_TEST

/* query-info off: nothing asked, nothing known */
START_TEST (test_modem_info_off)
{
  Fixture f = { 0 };
  g_autoptr (GError) error = NULL;

  fixture_init (&f);
  at_modem_sim_set_answer (f.sim, "AT+CSQ", "+CSQ: 17,99\r\n\r\nOK");
  g_object_set (f.modem, "query-info", FALSE, NULL);
  ck_assert (open_modem (&f, &error));
  lers_check_assert_no_error (error);
  ck_assert_uint_eq (at_modem_sim_count_command (f.sim, "AT+CSQ"), 0);
  ck_assert_uint_eq (at_modem_sim_count_command (f.sim, "AT+CGMR"), 0);
  ck_assert_uint_eq (at_modem_sim_count_command (f.sim, "AT+CCID"), 0);
  ck_assert_uint_eq (at_modem_sim_count_command (f.sim, "ATD" PHONE), 1);
  ck_assert_int_eq (lers_modem_transport_get_signal_level (modem (&f)), 0);
  ck_assert_ptr_null (lers_modem_transport_get_firmware (modem (&f)));
  fixture_clear (&f);
}
END_TEST

/* garbage where a number or an ICCID should be is not taken */
START_TEST (test_modem_info_garbage)
{
  Fixture f = { 0 };
  g_autoptr (GError) error = NULL;

  fixture_init (&f);
  at_modem_sim_set_answer (f.sim, "AT+CSQ", "+CSQ: strong\r\n\r\nOK");
  at_modem_sim_set_answer (f.sim, "AT+CCID", "+CCID: SIM NOT INSERTED\r\n\r\nOK");
  ck_assert (open_modem (&f, &error));
  lers_check_assert_no_error (error);
  ck_assert_int_eq (lers_modem_transport_get_signal_level (modem (&f)), 0);
  ck_assert_ptr_null (lers_modem_transport_get_sim_id (modem (&f)));
  fixture_clear (&f);
}
END_TEST

static Suite *
modem_info_suite (void)
{
  Suite *s = suite_create ("modem-info");
  TCase *tc = tcase_create ("info");

  tcase_add_test (tc, test_modem_info_answers);
  tcase_add_test (tc, test_modem_info_unknown_signal);
  tcase_add_test (tc, test_modem_info_error_and_silence);
  tcase_add_test (tc, test_modem_info_off);
  tcase_add_test (tc, test_modem_info_garbage);
  suite_add_tcase (s, tc);
  return s;
}

int
main (int argc, char **argv)
{
  lers_check_init (&argc, &argv);
  return lers_check_run_suite (modem_info_suite ());
}
