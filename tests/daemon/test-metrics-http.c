/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* GET /metrics: the HTTP families, lers_http_requests_total{method,status}
 * and the histogram lers_http_request_duration_seconds, for requests counted
 * with lersd_metrics_count_request(). The expected numbers are worked out by
 * hand from the five requests below and Prometheus's default buckets. */
#include "config.h"

#include "poll-test-util.h"
#include "routes/lersd-routes.h"

static void
setup (void)
{
  lers_check_store_setup ();
  poll_seed_points ();
  poll_server_start ();
}

static void
teardown (void)
{
  poll_server_stop ();
  lers_check_store_teardown ();
}

/* The value of the line starting with @series and a space; fails unless it
 * is there exactly once */
static const gchar *
sample (const gchar *text, const gchar *series)
{
  g_auto (GStrv) lines = g_strsplit (text, "\n", -1);
  static gchar value[64];
  guint found = 0;

  for (guint i = 0; lines[i] != NULL; i++)
    if (g_str_has_prefix (lines[i], series) && lines[i][strlen (series)] == ' ')
      {
        g_strlcpy (value, lines[i] + strlen (series) + 1, sizeof value);
        found++;
      }
  ck_assert_msg (found == 1, "%s found %u times in\n%s", series, found, text);
  return value;
}

START_TEST (test_http_counts)
{
  g_autoptr (PollResponse) r = NULL;
  const gchar *sum;

  poll_seed_situation ();
  lersd_metrics_reset_http ();
  lersd_metrics_count_request ("GET", 200, 0.003);
  lersd_metrics_count_request ("GET", 200, 0.2);
  lersd_metrics_count_request ("POST", 404, 3);
  /* an unknown method counts as "other", a status outside 100–599 as 0, a
   * negative time as 0: clients cannot grow the label sets */
  lersd_metrics_count_request ("BREW", 418, 0.01);
  lersd_metrics_count_request ("GET", 999, -1);

  r = poll_request ("GET", "/metrics", NULL);
  ck_assert_msg (r->status == 200, "%u %s", r->status, r->body);
  ck_assert (strstr (r->body, "# TYPE lers_http_requests_total counter\n") != NULL);
  ck_assert (strstr (r->body, "# TYPE lers_http_request_duration_seconds histogram\n") != NULL);
  ck_assert_str_eq (sample (r->body, "lers_http_requests_total{method=\"GET\",status=\"200\"}"),
                    "2");
  ck_assert_str_eq (sample (r->body, "lers_http_requests_total{method=\"POST\",status=\"404\"}"),
                    "1");
  ck_assert_str_eq (sample (r->body, "lers_http_requests_total{method=\"other\",status=\"418\"}"),
                    "1");
  ck_assert_str_eq (sample (r->body, "lers_http_requests_total{method=\"GET\",status=\"0\"}"), "1");
  ck_assert (strstr (r->body, "method=\"BREW\"") == NULL);
  ck_assert (strstr (r->body, "status=\"999\"") == NULL);
  /* cumulative buckets: 0.003 and 0 ≤ 0.005; + 0.01 ≤ 0.01; + 0.2 ≤ 0.25; + 3 ≤ 5 */
  ck_assert_str_eq (sample (r->body, "lers_http_request_duration_seconds_bucket{le=\"0.005\"}"),
                    "2");
  ck_assert_str_eq (sample (r->body, "lers_http_request_duration_seconds_bucket{le=\"0.01\"}"),
                    "3");
  ck_assert_str_eq (sample (r->body, "lers_http_request_duration_seconds_bucket{le=\"0.1\"}"), "3");
  ck_assert_str_eq (sample (r->body, "lers_http_request_duration_seconds_bucket{le=\"0.25\"}"),
                    "4");
  ck_assert_str_eq (sample (r->body, "lers_http_request_duration_seconds_bucket{le=\"2.5\"}"), "4");
  ck_assert_str_eq (sample (r->body, "lers_http_request_duration_seconds_bucket{le=\"5\"}"), "5");
  ck_assert_str_eq (sample (r->body, "lers_http_request_duration_seconds_bucket{le=\"+Inf\"}"),
                    "5");
  ck_assert_str_eq (sample (r->body, "lers_http_request_duration_seconds_count"), "5");
  /* 0.003 + 0.2 + 3 + 0.01 + 0 */
  sum = sample (r->body, "lers_http_request_duration_seconds_sum");
  ck_assert_str_eq (sum, "3.213000");
}
END_TEST

/* Nothing counted: the families are there, the histogram with zeros */
START_TEST (test_http_empty)
{
  g_autoptr (PollResponse) r = NULL;

  lersd_metrics_reset_http ();
  r = poll_request ("GET", "/metrics", NULL);
  ck_assert_uint_eq (r->status, 200);
  ck_assert (strstr (r->body, "# HELP lers_http_requests_total ") != NULL);
  ck_assert (strstr (r->body, "lers_http_requests_total{") == NULL);
  ck_assert_str_eq (sample (r->body, "lers_http_request_duration_seconds_bucket{le=\"+Inf\"}"),
                    "0");
  ck_assert_str_eq (sample (r->body, "lers_http_request_duration_seconds_count"), "0");
}
END_TEST

/* Still STAFF's GET only */
START_TEST (test_http_methods)
{
  g_autoptr (PollResponse) r = poll_request ("DELETE", "/metrics", NULL);

  poll_assert_error (r, 405, "method-not-allowed");
}
END_TEST

int
main (int argc, char **argv)
{
  Suite *s = suite_create ("metrics-http");
  TCase *tc = tcase_create ("metrics-http");

  lers_check_init (&argc, &argv);
  tcase_set_timeout (tc, 120);
  tcase_add_unchecked_fixture (tc, lers_check_cluster_setup, lers_check_cluster_teardown);
  tcase_add_checked_fixture (tc, setup, teardown);
  tcase_add_test (tc, test_http_counts);
  tcase_add_test (tc, test_http_empty);
  tcase_add_test (tc, test_http_methods);
  suite_add_tcase (s, tc);
  return lers_check_run_suite (s);
}
