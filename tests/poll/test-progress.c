/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* LersProgress with weighted steps: the arithmetic of shares, nested
 * children and the messages people see. Expected fractions are worked out
 * by hand in the comments. */
#include <check.h>
#include <lers.h>

#include "lers-check.h"

typedef struct
{
  gdouble last;
  gboolean went_back;
  guint notified;
} Seen;

static void
fraction_cb (GObject *object, GParamSpec *pspec, gpointer user_data)
{
  Seen *seen = user_data;
  gdouble f = lers_progress_get_fraction (LERS_PROGRESS (object));

  seen->notified++;
  seen->went_back |= f < seen->last;
  seen->last = f;
}

START_TEST (test_progress_without_steps)
{
  g_autoptr (LersProgress) progress = lers_progress_new ();

  ck_assert_uint_eq (lers_progress_get_n_steps (progress), 0);
  lers_progress_set_fraction (progress, 0.25);
  ck_assert_double_eq_tol (lers_progress_get_fraction (progress), 0.25, 1e-12);
  lers_progress_set_fraction (progress, 7);
  ck_assert_double_eq (lers_progress_get_fraction (progress), 1.0);
  lers_progress_set_message (progress, "Импорт");
  ck_assert_str_eq (lers_progress_get_message (progress), "Импорт");
  /* step_done without steps changes nothing */
  lers_progress_step_done (progress);
  ck_assert_double_eq (lers_progress_get_fraction (progress), 1.0);
}
END_TEST

START_TEST (test_progress_weights)
{
  g_autoptr (LersProgress) progress = lers_progress_new ();
  LersProgress *child;
  g_autoptr (LersProgress) kept = NULL;
  Seen seen = { 0 };

  g_signal_connect (progress, "notify::fraction", G_CALLBACK (fraction_cb), &seen);
  lers_progress_add_step (progress, 5, "Connecting");
  lers_progress_add_step (progress, 85, "Reading the device");
  lers_progress_add_step (progress, 10, "Saving the archive");
  ck_assert_uint_eq (lers_progress_get_n_steps (progress), 3);
  /* the first step's message is the progress's at once */
  ck_assert_str_eq (lers_progress_get_message (progress), "Connecting");
  ck_assert_double_eq (lers_progress_get_fraction (progress), 0.0);

  /* half of step 1: 0.5 × 5 / 100 = 0.025 */
  child = lers_progress_get_child (progress);
  lers_progress_set_fraction (child, 0.5);
  ck_assert_double_eq_tol (lers_progress_get_fraction (progress), 0.025, 1e-12);

  /* step 1 done: 5 / 100 */
  lers_progress_step_done (progress);
  ck_assert_double_eq_tol (lers_progress_get_fraction (progress), 0.05, 1e-12);
  ck_assert_str_eq (lers_progress_get_message (progress), "Reading the device");

  /* step 2 at 0.5: (5 + 0.5 × 85) / 100 = 0.475 */
  child = lers_progress_get_child (progress);
  lers_progress_set_fraction (child, 0.5);
  ck_assert_double_eq_tol (lers_progress_get_fraction (progress), 0.475, 1e-12);
  /* the driver's message becomes the parent's */
  lers_progress_set_message (child, "Telegram 3");
  ck_assert_str_eq (lers_progress_get_message (progress), "Telegram 3");
  /* at 1.0: (5 + 85) / 100 = 0.9 */
  lers_progress_set_fraction (child, 1.0);
  ck_assert_double_eq_tol (lers_progress_get_fraction (progress), 0.9, 1e-12);

  /* a driver that keeps its child past the step */
  kept = g_object_ref (child);
  lers_progress_step_done (progress);
  ck_assert_double_eq_tol (lers_progress_get_fraction (progress), 0.9, 1e-12);
  ck_assert_str_eq (lers_progress_get_message (progress), "Saving the archive");
  /* the old child no longer moves the parent */
  lers_progress_set_fraction (kept, 0.0);
  lers_progress_set_message (kept, "late");
  ck_assert_str_eq (lers_progress_get_message (progress), "Saving the archive");
  ck_assert_double_eq_tol (lers_progress_get_fraction (progress), 0.9, 1e-12);

  lers_progress_step_done (progress);
  ck_assert_double_eq (lers_progress_get_fraction (progress), 1.0);
  /* no step left: nothing moves */
  lers_progress_step_done (progress);
  ck_assert_double_eq (lers_progress_get_fraction (progress), 1.0);
  ck_assert (!seen.went_back);
  /* 0.025, 0.05, 0.475, 0.9, 1.0 */
  ck_assert_uint_eq (seen.notified, 5);
}
END_TEST

START_TEST (test_progress_nested)
{
  g_autoptr (LersProgress) progress = lers_progress_new ();
  LersProgress *devices;
  LersProgress *device;

  /* connect 10, read 90; the read is two devices of weight 1 each, and
   * the second device's read is half done:
   * (10 + 90 × (1 + 0.5) / 2) / 100 = (10 + 67.5) / 100 = 0.775 */
  lers_progress_add_step (progress, 10, "Connecting");
  lers_progress_add_step (progress, 90, "Reading");
  lers_progress_step_done (progress);
  devices = lers_progress_get_child (progress);
  lers_progress_add_step (devices, 1, "Meter 1");
  lers_progress_add_step (devices, 1, "Meter 2");
  /* the child's first step names it, and so the parent */
  ck_assert_str_eq (lers_progress_get_message (progress), "Meter 1");
  lers_progress_step_done (devices);
  ck_assert_str_eq (lers_progress_get_message (progress), "Meter 2");
  /* (10 + 90 × 1/2) / 100 = 0.55 */
  ck_assert_double_eq_tol (lers_progress_get_fraction (progress), 0.55, 1e-12);
  device = lers_progress_get_child (devices);
  lers_progress_set_fraction (device, 0.5);
  ck_assert_double_eq_tol (lers_progress_get_fraction (devices), 0.75, 1e-12);
  ck_assert_double_eq_tol (lers_progress_get_fraction (progress), 0.775, 1e-12);
  lers_progress_step_done (devices);
  ck_assert_double_eq_tol (lers_progress_get_fraction (progress), 1.0, 1e-12);
  lers_progress_step_done (progress);
  ck_assert_double_eq (lers_progress_get_fraction (progress), 1.0);
}
END_TEST

START_TEST (test_progress_reset)
{
  g_autoptr (LersProgress) progress = lers_progress_new ();

  lers_progress_add_step (progress, 1, "One");
  lers_progress_add_step (progress, 3, "Two");
  lers_progress_step_done (progress);
  /* 1 / 4 */
  ck_assert_double_eq_tol (lers_progress_get_fraction (progress), 0.25, 1e-12);
  lers_progress_reset (progress);
  ck_assert_uint_eq (lers_progress_get_n_steps (progress), 0);
  ck_assert_double_eq (lers_progress_get_fraction (progress), 0.0);
  ck_assert_ptr_null (lers_progress_get_message (progress));
  /* steps again, from the start: 2 of 2 + 6 → 0.25 */
  lers_progress_add_step (progress, 2, "A");
  lers_progress_add_step (progress, 6, "B");
  ck_assert_str_eq (lers_progress_get_message (progress), "A");
  lers_progress_step_done (progress);
  ck_assert_double_eq_tol (lers_progress_get_fraction (progress), 0.25, 1e-12);
}
END_TEST

int
main (int argc, char **argv)
{
  Suite *s = suite_create ("progress");
  TCase *tc = tcase_create ("progress");

  lers_check_init (&argc, &argv);
  tcase_add_test (tc, test_progress_without_steps);
  tcase_add_test (tc, test_progress_weights);
  tcase_add_test (tc, test_progress_nested);
  tcase_add_test (tc, test_progress_reset);
  suite_add_tcase (s, tc);
  return lers_check_run_suite (s);
}
