/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The web page in a real browser: lersd serves a known archive from a
 * throwaway PostgreSQL, headless Chromium loads the page, runs its script,
 * and the DOM it leaves is what a person would read. */
#include <check.h>
#include <glib/gstdio.h>
#include <lers.h>
#include <stdlib.h>

#include "lers-web-check.h"

static gint64 point_id;
static void
web_setup (void)
{
  lers_check_store_setup ();
  point_id = lers_check_seed_archive ();
  lers_web_check_lersd_start ();
}

static void
web_teardown (void)
{
  lers_web_check_lersd_stop ();
  lers_check_store_teardown ();
}

static guint
count (const gchar *haystack, const gchar *needle)
{
  guint n = 0;
  for (const gchar *p = strstr (haystack, needle); p != NULL; p = strstr (p + 1, needle))
    n++;
  return n;
}

START_TEST (test_points_page_in_russian)
{
  g_autofree gchar *dom = lers_web_check_browse ("", "ru-RU", NULL);
  g_autofree gchar *link = g_strdup_printf ("href=\"#point=%" G_GINT64_FORMAT "\"", point_id);

  ck_assert_msg (strstr (dom, "Точки учёта") != NULL, "%.1500s",
                 strstr (dom, "<header") ? strstr (dom, "<header") : dom);
  ck_assert_msg (strstr (dom, "<td>Отопление</td>") != NULL, "%.1500s",
                 strstr (dom, "<header") ? strstr (dom, "<header") : dom);
  ck_assert_msg (strstr (dom, link) != NULL, "%.1500s",
                 strstr (dom, "<header") ? strstr (dom, "<header") : dom);
  /* the heading row and one point */
  ck_assert_uint_eq (count (dom, "<tr>"), 2);
}
END_TEST

START_TEST (test_archive_page_in_english)
{
  g_autofree gchar *fragment = g_strdup_printf ("#point=%" G_GINT64_FORMAT, point_id);
  g_autofree gchar *dom = lers_web_check_browse (fragment, "en-US", NULL);

  ck_assert_msg (strstr (dom, "Отопление") != NULL, "%.1500s",
                 strstr (dom, "<header") ? strstr (dom, "<header") : dom);
  ck_assert_msg (strstr (dom, "T_in") != NULL, "%.1500s",
                 strstr (dom, "<header") ? strstr (dom, "<header") : dom);
  ck_assert_msg (strstr (dom, "°C") != NULL, "%.1500s",
                 strstr (dom, "<header") ? strstr (dom, "<header") : dom);
  ck_assert_msg (strstr (dom, "Gcal") != NULL, "%.1500s",
                 strstr (dom, "<header") ? strstr (dom, "<header") : dom);
  /* oldest first: 73 °C and 0.375 Gcal, the calculated value marked */
  ck_assert_msg (strstr (dom, ">73<") != NULL, "%.1500s",
                 strstr (dom, "<header") ? strstr (dom, "<header") : dom);
  ck_assert_msg (strstr (dom, "class=\"num calc\" title=\"calculated\">0.375<") != NULL, "%.1500s",
                 strstr (dom, "<header") ? strstr (dom, "<header") : dom);
  /* the heading row and three hours */
  ck_assert_uint_eq (count (dom, "<tr>"), 4);
}
END_TEST

START_TEST (test_archive_page_numbers_in_russian)
{
  g_autofree gchar *fragment = g_strdup_printf ("#point=%" G_GINT64_FORMAT, point_id);
  g_autofree gchar *dom = lers_web_check_browse (fragment, "ru-RU", NULL);

  /* a decimal comma, as Russian readers write numbers */
  ck_assert_msg (strstr (dom, ">0,375<") != NULL, "%.1500s",
                 strstr (dom, "<header") ? strstr (dom, "<header") : dom);
  ck_assert_msg (strstr (dom, ">72<") != NULL, "%.1500s",
                 strstr (dom, "<header") ? strstr (dom, "<header") : dom);
}
END_TEST

/* Without a session the page asks to sign in, in the reader's language. */
START_TEST (test_login_form_without_session)
{
  g_autofree gchar *dom = lers_web_check_browse_as ("", "ru-RU", NULL, NULL, NULL);

  ck_assert_msg (strstr (dom, "id=\"login-form\"") != NULL, "%.1500s", dom);
  ck_assert_msg (strstr (dom, "Вход в систему") != NULL, "%.1500s", dom);
  ck_assert_msg (strstr (dom, ">Войти<") != NULL, "%.1500s", dom);
  /* nothing of the data shows */
  ck_assert_msg (strstr (dom, "Отопление") == NULL, "%.1500s", dom);
}
END_TEST

/* A wrong password keeps the form and shows the server's refusal. */
START_TEST (test_login_wrong_password)
{
  g_autofree gchar *dom
      = lers_web_check_browse_as ("", "en-US", NULL, LERS_WEB_CHECK_LOGIN, "not-the-password");

  ck_assert_msg (strstr (dom, "id=\"login-form\"") != NULL, "%.1500s", dom);
  ck_assert_msg (strstr (dom, "class=\"error\"") != NULL, "%.1500s", dom);
  ck_assert_msg (strstr (dom, "<td>") == NULL, "%.1500s", dom);
}
END_TEST

/* Signed in, the header names the user and offers to sign out. */
START_TEST (test_signed_in_user_shown)
{
  g_autofree gchar *dom = lers_web_check_browse ("", "en-US", NULL);

  ck_assert_msg (strstr (dom, LERS_WEB_CHECK_LOGIN " (operator)") != NULL, "%.1500s", dom);
  ck_assert_msg (strstr (dom, ">Sign out<") != NULL, "%.1500s", dom);
}
END_TEST

int
main (int argc, char **argv)
{
  Suite *s = suite_create ("web");
  TCase *tc = tcase_create ("web");

  lers_check_init (&argc, &argv);
  lers_web_check_require_chromium ();
  tcase_set_timeout (tc, 120);
  tcase_add_unchecked_fixture (tc, lers_check_cluster_setup, lers_check_cluster_teardown);
  tcase_add_checked_fixture (tc, web_setup, web_teardown);
  tcase_add_test (tc, test_points_page_in_russian);
  tcase_add_test (tc, test_archive_page_in_english);
  tcase_add_test (tc, test_archive_page_numbers_in_russian);
  tcase_add_test (tc, test_login_form_without_session);
  tcase_add_test (tc, test_login_wrong_password);
  tcase_add_test (tc, test_signed_in_user_shown);
  suite_add_tcase (s, tc);
  return lers_check_run_suite (s);
}
