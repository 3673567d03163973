/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* GET /metrics: Prometheus's text exposition format 0.0.4 for a hand-built
 * polling situation (poll-test-util.h: four services in each state, three
 * links, jobs in each state). The values are worked out by hand in that
 * table; the syntax is checked line by line against the format's grammar
 * (https://prometheus.io/docs/instrumenting/exposition_formats/): HELP and
 * TYPE once per family and before its samples, metric and label names,
 * label values escaped (\\, \", \n), numeric values. */
#include "config.h"

#include "poll-test-util.h"
#include "routes/lersd-routes.h"

static void
metrics_setup (void)
{
  lers_check_store_setup ();
  poll_seed_points ();
  poll_server_start ();
}

static void
metrics_teardown (void)
{
  poll_server_stop ();
  lers_check_store_teardown ();
}

/* The value of the sample whose name and labels are @series; fails if it
 * is not there exactly once */
static gdouble
sample (const gchar *text, const gchar *series)
{
  g_auto (GStrv) lines = g_strsplit (text, "\n", -1);
  gdouble value = 0;
  guint found = 0;

  for (guint i = 0; lines[i] != NULL; i++)
    if (g_str_has_prefix (lines[i], series) && lines[i][strlen (series)] == ' ')
      {
        value = g_ascii_strtod (lines[i] + strlen (series) + 1, NULL);
        found++;
      }
  ck_assert_msg (found == 1, "%s found %u times in\n%s", series, found, text);
  return value;
}

/* The exposition format 0.0.4, line by line */
static void
assert_exposition_syntax (const gchar *text)
{
  g_autoptr (GRegex) help = g_regex_new ("^# HELP ([a-zA-Z_:][a-zA-Z0-9_:]*) [^\\n]+$", 0, 0, NULL);
  g_autoptr (GRegex) type = g_regex_new (
      "^# TYPE ([a-zA-Z_:][a-zA-Z0-9_:]*) (counter|gauge|histogram|summary|untyped)$", 0, 0, NULL);
  g_autoptr (GRegex) sample_re
      = g_regex_new ("^([a-zA-Z_:][a-zA-Z0-9_:]*)"
                     "(\\{[a-zA-Z_][a-zA-Z0-9_]*=\"(?:[^\"\\\\\\n]|\\\\\\\\|\\\\\"|\\\\n)*\""
                     "(,[a-zA-Z_][a-zA-Z0-9_]*=\"(?:[^\"\\\\\\n]|\\\\\\\\|\\\\\"|\\\\n)*\")*\\})?"
                     " (-?[0-9]+(\\.[0-9]+)?([eE][-+]?[0-9]+)?|NaN|[-+]Inf)$",
                     0, 0, NULL);
  g_autoptr (GHashTable) typed = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_autoptr (GHashTable) helped = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_auto (GStrv) lines = NULL;
  guint n_samples = 0;

  ck_assert_msg (g_str_has_suffix (text, "\n"), "the text must end with a line feed");
  lines = g_strsplit (text, "\n", -1);
  for (guint i = 0; lines[i] != NULL && lines[i + 1] != NULL; i++)
    {
      g_autoptr (GMatchInfo) match = NULL;
      g_autofree gchar *name = NULL;

      if (g_regex_match (help, lines[i], 0, &match))
        {
          name = g_match_info_fetch (match, 1);
          ck_assert_msg (!g_hash_table_contains (helped, name), "HELP twice: %s", lines[i]);
          g_hash_table_add (helped, g_steal_pointer (&name));
          continue;
        }
      g_clear_pointer (&match, g_match_info_free);
      if (g_regex_match (type, lines[i], 0, &match))
        {
          name = g_match_info_fetch (match, 1);
          ck_assert_msg (!g_hash_table_contains (typed, name), "TYPE twice: %s", lines[i]);
          g_hash_table_add (typed, g_steal_pointer (&name));
          continue;
        }
      g_clear_pointer (&match, g_match_info_free);
      ck_assert_msg (g_regex_match (sample_re, lines[i], 0, &match), "not a sample: «%s»",
                     lines[i]);
      name = g_match_info_fetch (match, 1);
      /* a histogram's samples are its name with _bucket, _sum or _count */
      if (!g_hash_table_contains (typed, name))
        for (guint k = 0; k < 3; k++)
          {
            const gchar *suffix = (const gchar *[]){ "_bucket", "_sum", "_count" }[k];

            if (g_str_has_suffix (name, suffix))
              name[strlen (name) - strlen (suffix)] = '\0';
          }
      ck_assert_msg (g_hash_table_contains (typed, name), "sample before its TYPE: %s", lines[i]);
      n_samples++;
    }
  ck_assert_uint_gt (n_samples, 0);
}

START_TEST (test_metrics_values)
{
  g_autoptr (PollResponse) r = NULL;
  gdouble late, age;

  poll_seed_situation ();
  r = poll_request ("GET", "/metrics", NULL);
  ck_assert_msg (r->status == 200, "%u %s", r->status, r->body);
  ck_assert_str_eq (r->content_type, "text/plain; version=0.0.4; charset=utf-8");
  assert_exposition_syntax (r->body);

  /* the table in poll-test-util.h */
  ck_assert_double_eq (sample (r->body, "lers_poll_services{state=\"running\"}"), 1);
  ck_assert_double_eq (sample (r->body, "lers_poll_services{state=\"pending\"}"), 1);
  ck_assert_double_eq (sample (r->body, "lers_poll_services{state=\"stopped\"}"), 1);
  ck_assert_double_eq (sample (r->body, "lers_poll_services{state=\"dead\"}"), 1);
  ck_assert_double_eq (sample (r->body, "lers_poll_ports{state=\"busy\"}"), 1);
  ck_assert_double_eq (sample (r->body, "lers_poll_ports{state=\"free\"}"), 7);
  ck_assert_double_eq (sample (r->body, "lers_poll_links{state=\"active\"}"), 1);
  ck_assert_double_eq (sample (r->body, "lers_poll_links{state=\"free\"}"), 1);
  ck_assert_double_eq (sample (r->body, "lers_poll_links{state=\"blocked\"}"), 1);
  ck_assert_double_eq (sample (r->body, "lers_poll_jobs{state=\"queued\"}"), 2);
  ck_assert_double_eq (sample (r->body, "lers_poll_jobs{state=\"due\"}"), 1);
  ck_assert_double_eq (sample (r->body, "lers_poll_jobs{state=\"running\"}"), 1);
  ck_assert_double_eq (sample (r->body, "lers_poll_jobs_finished_24h{result=\"done\"}"), 2);
  ck_assert_double_eq (sample (r->body, "lers_poll_jobs_finished_24h{result=\"failed\"}"), 1);
  /* due 120 s before the seed; the request comes a moment later */
  late = sample (r->body, "lers_poll_oldest_due_seconds");
  ck_assert_msg (late >= 120 && late < 180, "%f", late);
  age = sample (r->body, "lers_poll_service_heartbeat_age_seconds{service=\"north\"}");
  ck_assert_msg (age >= 10 && age < 70, "%f", age);
  /* the name dead "x"\y, escaped */
  age = sample (r->body,
                "lers_poll_service_heartbeat_age_seconds{service=\"dead \\\"x\\\"\\\\y\"}");
  ck_assert_msg (age >= 300 && age < 360, "%f", age);
  /* south never started: no heartbeat, no age */
  ck_assert (strstr (r->body, "heartbeat_age_seconds{service=\"south\"}") == NULL);
  ck_assert_double_eq (
      sample (r->body, "lers_poll_service_jobs_total{service=\"north\",result=\"done\"}"), 120);
  ck_assert_double_eq (
      sample (r->body, "lers_poll_service_jobs_total{service=\"north\",result=\"failed\"}"), 3);
  ck_assert_double_eq (
      sample (r->body, "lers_poll_service_jobs_total{service=\"east\",result=\"done\"}"), 7);
  ck_assert_double_eq (
      sample (r->body,
              "lers_poll_service_jobs_total{service=\"dead \\\"x\\\"\\\\y\",result=\"failed\"}"),
      2);
  ck_assert (strstr (r->body, "# TYPE lers_poll_service_jobs_total counter\n") != NULL);
  ck_assert (strstr (r->body, "# TYPE lers_poll_services gauge\n") != NULL);
}
END_TEST

/* Nothing at all: every family is there, with zeros */
START_TEST (test_metrics_empty)
{
  g_autoptr (PollResponse) r = poll_request ("GET", "/metrics", NULL);

  ck_assert_uint_eq (r->status, 200);
  assert_exposition_syntax (r->body);
  ck_assert_double_eq (sample (r->body, "lers_poll_services{state=\"running\"}"), 0);
  ck_assert_double_eq (sample (r->body, "lers_poll_ports{state=\"free\"}"), 0);
  /* points 1, 2 and 4 have links that no job has touched: free */
  ck_assert_double_eq (sample (r->body, "lers_poll_jobs{state=\"queued\"}"), 0);
  ck_assert_double_eq (sample (r->body, "lers_poll_oldest_due_seconds"), 0);
  ck_assert (strstr (r->body, "lers_poll_service_jobs_total{") == NULL);
}
END_TEST

START_TEST (test_metrics_escape)
{
  static const struct
  {
    const gchar *value;
    const gchar *escaped;
  } cases[] = {
    { "plain", "plain" },
    { "a\"b", "a\\\"b" },
    { "back\\slash", "back\\\\slash" },
    { "two\nlines", "two\\nlines" },
    { "опрос-1", "опрос-1" },
    { "", "" },
  };

  for (gsize i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree gchar *escaped = lersd_metrics_escape_label (cases[i].value);
      ck_assert_str_eq (escaped, cases[i].escaped);
    }
  /* and through the route: a service named with a line feed stays one line */
  lers_check_sql_exec ("INSERT INTO poll_services (name, token_hash, authorised, heartbeat_at) "
                       "VALUES (E'a\\nb', sha256(convert_to('t', 'UTF8')), true, now())");
  {
    g_autoptr (PollResponse) r = poll_request ("GET", "/metrics", NULL);
    assert_exposition_syntax (r->body);
    ck_assert_double_eq (
        sample (r->body, "lers_poll_service_jobs_total{service=\"a\\nb\",result=\"done\"}"), 0);
  }
}
END_TEST

START_TEST (test_metrics_methods)
{
  g_autoptr (PollResponse) r = poll_request ("POST", "/metrics", "{}");

  poll_assert_error (r, 405, "method-not-allowed");
  ck_assert_str_eq (r->allow, "GET, HEAD");
}
END_TEST

int
main (int argc, char **argv)
{
  Suite *s = suite_create ("metrics");
  TCase *tc = tcase_create ("metrics");

  lers_check_init (&argc, &argv);
  tcase_set_timeout (tc, 120);
  tcase_add_unchecked_fixture (tc, lers_check_cluster_setup, lers_check_cluster_teardown);
  tcase_add_checked_fixture (tc, metrics_setup, metrics_teardown);
  tcase_add_test (tc, test_metrics_values);
  tcase_add_test (tc, test_metrics_empty);
  tcase_add_test (tc, test_metrics_escape);
  tcase_add_test (tc, test_metrics_methods);
  suite_add_tcase (s, tc);
  return lers_check_run_suite (s);
}
