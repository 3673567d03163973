/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* lers_json_append_double: the shortest of printf's %.15g, %.16g and %.17g
 * that reads back as the same double, whichever way it is computed. The
 * reference below is that rule with the C library's printf and strtod. */
#include "config.h"

#include <check.h>
#include <lers.h>
#include <math.h>
#include <string.h>

#include "lers-check.h"

static gchar *
reference (gdouble value)
{
  static const gchar *const formats[] = { "%.15g", "%.16g", "%.17g" };
  gchar buf[G_ASCII_DTOSTR_BUF_SIZE];

  for (gsize i = 0; i < G_N_ELEMENTS (formats); i++)
    {
      g_ascii_formatd (buf, sizeof (buf), formats[i], value);
      if (g_ascii_strtod (buf, NULL) == value)
        break;
    }
  return g_strdup (buf);
}

static void
check_value (gdouble value)
{
  g_autoptr (GString) out = g_string_new ("[");
  g_autofree gchar *expected = reference (value);

  ck_assert (lers_json_append_double (out, value));
  /* appended after what was there */
  ck_assert_msg (g_str_equal (out->str + 1, expected), "%.17g: got %s, printf says %s", value,
                 out->str + 1, expected);
  ck_assert (g_ascii_strtod (out->str + 1, NULL) == value);
}

START_TEST (test_examples)
{
  /* by hand: what a reader expects */
  const struct
  {
    gdouble value;
    const gchar *text;
  } cases[] = {
    { 71.3, "71.3" },
    { 0.097731728, "0.097731728" },
    { -12.5, "-12.5" },
    { 0.5, "0.5" },
    { 100, "100" },
    { 0.0001, "0.0001" },
    { 0.00001, "1e-05" },
    { 1e15, "1e+15" },
    { 999999999999999, "999999999999999" },
    { 0, "0" },
    { 1.0 / 3, "0.3333333333333333" },
  };

  for (gsize i = 0; i < G_N_ELEMENTS (cases); i++)
    check_value (cases[i].value);
  for (gsize i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr (GString) out = g_string_new (NULL);

      lers_json_append_double (out, cases[i].value);
      ck_assert_str_eq (out->str, cases[i].text);
    }
}
END_TEST

/* Meter-like decimals of every width, and arbitrary doubles */
START_TEST (test_same_as_printf)
{
  g_autoptr (GRand) rand = g_rand_new_with_seed (14);

  for (guint i = 0; i < 50000; i++)
    {
      gint decimals = g_rand_int_range (rand, 0, 12);
      gint64 n = g_rand_int_range (rand, -2000000000, 2000000000);
      gdouble scale = pow (10, g_rand_int_range (rand, 0, 8));
      gdouble bits_value;
      guint64 bits = ((guint64) g_rand_int (rand) << 32) | g_rand_int (rand);

      check_value ((gdouble) n / pow (10, decimals));
      check_value ((gdouble) n * scale / pow (10, decimals));
      check_value (g_rand_double_range (rand, -1e6, 1e6));
      memcpy (&bits_value, &bits, sizeof bits_value);
      if (isfinite (bits_value))
        check_value (bits_value);
    }
}
END_TEST

START_TEST (test_not_finite)
{
  g_autoptr (GString) out = g_string_new (NULL);

  ck_assert (!lers_json_append_double (out, NAN));
  ck_assert (!lers_json_append_double (out, -INFINITY));
  ck_assert_str_eq (out->str, "nullnull");
}
END_TEST

int
main (int argc, char **argv)
{
  Suite *s = suite_create ("json-number");
  TCase *tc = tcase_create ("json-number");

  lers_check_init (&argc, &argv);
  tcase_set_timeout (tc, 120);
  tcase_add_test (tc, test_examples);
  tcase_add_test (tc, test_same_as_printf);
  tcase_add_test (tc, test_not_finite);
  suite_add_tcase (s, tc);
  return lers_check_run_suite (s);
}
