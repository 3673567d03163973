/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The polling routes of lersd's HTTP API, in-process on 127.0.0.1 port 0
 * against a throwaway PostgreSQL: manual reads (POST), jobs (list with a
 * keyset cursor, one job with its progress after a hand-made update,
 * cancel), status, services, links, sessions, traffic and a point's
 * schedule; malformed bodies and queries, 404, 405 and 409. Rows are
 * checked with SQL on the test's own connection; times by hand (the points
 * are in Europe/Moscow, UTC+3 all year). */
#include "config.h"

#include <libpq-fe.h>

#include "poll-test-util.h"

static void
api_setup (void)
{
  lers_check_store_setup ();
  poll_seed_points ();
  poll_server_start ();
}

static void
api_teardown (void)
{
  poll_server_stop ();
  lers_check_store_teardown ();
}

static JsonArray *
jobs_of (JsonNode *root)
{
  ck_assert (JSON_NODE_HOLDS_OBJECT (root));
  return json_object_get_array_member (json_node_get_object (root), "jobs");
}

static gint64
job_id_at (JsonArray *jobs, guint i)
{
  return json_object_get_int_member (json_array_get_object_element (jobs, i), "id");
}

/* POSTs a manual read of @points (a JSON array) for hours; the jobs */
static JsonNode *
enqueue (const gchar *points)
{
  g_autofree gchar *body = g_strdup_printf ("{\"points\":%s,\"kinds\":[\"hour\"]}", points);
  g_autoptr (PollResponse) r = poll_request ("POST", "/api/v1/poll/jobs", body);

  ck_assert_msg (r->status == 202, "%u %s", r->status, r->body);
  return poll_response_json (r);
}

START_TEST (test_enqueue)
{
  g_autoptr (PollResponse) r = NULL;
  g_autoptr (JsonNode) root = NULL;
  JsonArray *jobs;

  /* a bare date is midnight in Moscow: 2026-11-30 00:00 +03:00 = 2026-11-29T21:00Z */
  r = poll_request ("POST", "/api/v1/poll/jobs",
                    "{\"points\":[1,2],\"kinds\":[\"hour\",\"day\"],"
                    "\"from\":\"2026-11-29T00:00:00+03:00\",\"to\":\"2026-11-30\"}");
  ck_assert_msg (r->status == 202, "%u %s", r->status, r->body);
  ck_assert_str_eq (r->content_type, "application/json; charset=utf-8");
  root = poll_response_json (r);
  jobs = jobs_of (root);
  ck_assert_uint_eq (json_array_get_length (jobs), 4);
  for (guint i = 0; i < 4; i++)
    {
      JsonObject *job = json_array_get_object_element (jobs, i);
      ck_assert_str_eq (json_object_get_string_member (job, "state"), "queued");
      ck_assert_str_eq (json_object_get_string_member (job, "from"), "2026-11-29T00:00:00+03:00");
      ck_assert_str_eq (json_object_get_string_member (job, "to"), "2026-11-30T00:00:00+03:00");
    }

  /* the rows: 2 points × 2 kinds, manual, queued, asked for by the caller
   * (the fixture's admin, poll-test-util.h) */
  ck_assert_int_eq (lers_check_sql_int ("SELECT count(*) FROM poll_jobs WHERE priority = 0 AND "
                                        "state = 0 AND requested_by = 'lers-test-admin' AND "
                                        "from_at = '2026-11-28T21:00:00Z' AND "
                                        "to_at = '2026-11-29T21:00:00Z'"),
                    4);
  ck_assert_int_eq (lers_check_sql_int ("SELECT count(*) FROM poll_jobs WHERE kind = 1"), 2);
  ck_assert_int_eq (lers_check_sql_int ("SELECT count(*) FROM poll_jobs WHERE kind = 2"), 2);
  ck_assert_int_eq (lers_check_sql_int (
                        "SELECT count(*) FROM poll_jobs WHERE point_id = 2 AND connection_id = 2"),
                    2);

  /* kinds default to hour, from and to to NULL (from the last record, to now) */
  {
    g_autoptr (PollResponse) r2 = poll_request ("POST", "/api/v1/poll/jobs", "{\"points\":[4]}");
    ck_assert_msg (r2->status == 202, "%u %s", r2->status, r2->body);
    ck_assert_int_eq (lers_check_sql_int ("SELECT count(*) FROM poll_jobs WHERE point_id = 4 AND "
                                          "kind = 1 AND from_at IS NULL AND to_at IS NULL"),
                      1);
  }
}
END_TEST

START_TEST (test_enqueue_bad)
{
  static const struct
  {
    const gchar *body;
    const gchar *message; /* a part of the message */
  } bad[] = {
    { "", "must be a JSON object" },
    { "not json", "not valid JSON" },
    { "{\"points\":[1]", "not valid JSON" },
    { "[1,2]", "must be a JSON object" },
    { "{}", "points must be" },
    { "{\"points\":[]}", "points must be" },
    { "{\"points\":1}", "points must be" },
    { "{\"points\":[\"1\"]}", "points must be" },
    { "{\"points\":[0]}", "points must be" },
    { "{\"points\":[1.5]}", "points must be" },
    { "{\"points\":[3000000000]}", "points must be" },
    { "{\"points\":[1],\"kinds\":[\"weekly\"]}", "Unknown archive “weekly”" },
    { "{\"points\":[1],\"kinds\":\"hour\"}", "kinds must be" },
    { "{\"points\":[1],\"kinds\":[]}", "kinds must be" },
    { "{\"points\":[1],\"from\":\"yesterday\"}", "from “yesterday” is not an ISO 8601 time" },
    { "{\"points\":[1],\"to\":5}", "to must be an ISO 8601 time" },
    { "{\"points\":[1],\"from\":\"2026-11-30T00:00:00Z\",\"to\":\"2026-11-29T00:00:00Z\"}",
      "from must be earlier than to" },
    { "{\"points\":[1],\"kinds\":[\"\xff\"]}", "not valid UTF-8" },
  };

  for (gsize i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_autoptr (PollResponse) r = poll_request ("POST", "/api/v1/poll/jobs", bad[i].body);

      poll_assert_error (r, 400, "invalid-argument");
      ck_assert_msg (strstr (r->body, bad[i].message) != NULL, "%s: %s", bad[i].body, r->body);
    }

  /* an unknown point: 404, and the known one is not queued either */
  {
    g_autoptr (PollResponse) r = poll_request ("POST", "/api/v1/poll/jobs", "{\"points\":[1,999]}");
    poll_assert_error (r, 404, "not-found");
    ck_assert_msg (strstr (r->body, "999") != NULL, "%s", r->body);
  }
  /* a point without a device: nothing to read it through */
  {
    g_autoptr (PollResponse) r = poll_request ("POST", "/api/v1/poll/jobs", "{\"points\":[3]}");
    poll_assert_error (r, 400, "invalid-argument");
  }
  /* a body over the 256 KiB bound: 413 (answered from its declared length,
   * before libsoup reads it) */
  {
    g_autoptr (GString) big = g_string_new ("{\"points\":[1],\"pad\":\"");
    g_autoptr (PollResponse) r = NULL;

    for (guint i = 0; i < 300 * 1024; i++)
      g_string_append_c (big, 'x');
    g_string_append (big, "\"}");
    r = poll_request ("POST", "/api/v1/poll/jobs", big->str);
    poll_assert_error (r, 413, "invalid-argument");
    ck_assert_msg (strstr (r->body, "too large") != NULL, "%s", r->body);
  }
  ck_assert_int_eq (lers_check_sql_int ("SELECT count(*) FROM poll_jobs"), 0);
}
END_TEST

START_TEST (test_jobs_list)
{
  g_autoptr (JsonNode) a = enqueue ("[1]");
  g_autoptr (JsonNode) b = enqueue ("[2]");
  g_autoptr (JsonNode) c = enqueue ("[4]");
  gint64 id_a = job_id_at (jobs_of (a), 0);
  gint64 id_b = job_id_at (jobs_of (b), 0);
  gint64 id_c = job_id_at (jobs_of (c), 0);
  g_autofree gchar *second_page
      = g_strdup_printf ("/api/v1/poll/jobs?limit=2&before=%" G_GINT64_FORMAT, id_b);

  ck_assert (id_a < id_b && id_b < id_c);
  /* newest first, two a page; next is the last id shown */
  {
    g_autoptr (PollResponse) r = poll_request ("GET", "/api/v1/poll/jobs?limit=2", NULL);
    g_autoptr (JsonNode) root = poll_response_json (r);
    JsonArray *jobs = jobs_of (root);

    ck_assert_uint_eq (r->status, 200);
    ck_assert_uint_eq (json_array_get_length (jobs), 2);
    ck_assert_int_eq (job_id_at (jobs, 0), id_c);
    ck_assert_int_eq (job_id_at (jobs, 1), id_b);
    ck_assert_int_eq (json_object_get_int_member (json_node_get_object (root), "next"), id_b);
  }
  {
    g_autoptr (PollResponse) r = poll_request ("GET", second_page, NULL);
    g_autoptr (JsonNode) root = poll_response_json (r);
    JsonArray *jobs = jobs_of (root);

    ck_assert_uint_eq (r->status, 200);
    ck_assert_uint_eq (json_array_get_length (jobs), 1);
    ck_assert_int_eq (job_id_at (jobs, 0), id_a);
    ck_assert (json_object_get_null_member (json_node_get_object (root), "next"));
  }
  /* by point and by state */
  {
    g_autoptr (PollResponse) r = poll_request ("GET", "/api/v1/poll/jobs?point=2", NULL);
    g_autoptr (JsonNode) root = poll_response_json (r);
    JsonArray *jobs = jobs_of (root);

    ck_assert_uint_eq (json_array_get_length (jobs), 1);
    ck_assert_int_eq (job_id_at (jobs, 0), id_b);
  }
  {
    g_autoptr (PollResponse) r = poll_request ("GET", "/api/v1/poll/jobs?state=running", NULL);
    ck_assert_uint_eq (r->status, 200);
    ck_assert_str_eq (r->body, "{\"jobs\":[],\"next\":null}");
  }
  {
    static const gchar *const bad[] = {
      "/api/v1/poll/jobs?state=asleep", "/api/v1/poll/jobs?limit=0",
      "/api/v1/poll/jobs?limit=1001",   "/api/v1/poll/jobs?point=abc",
      "/api/v1/poll/jobs?before=-1",
    };
    for (gsize i = 0; i < G_N_ELEMENTS (bad); i++)
      {
        g_autoptr (PollResponse) r = poll_request ("GET", bad[i], NULL);
        poll_assert_error (r, 400, "invalid-argument");
      }
  }
}
END_TEST

START_TEST (test_job_progress)
{
  g_autoptr (JsonNode) queued = enqueue ("[1]");
  gint64 id = job_id_at (jobs_of (queued), 0);
  g_autofree gchar *target = g_strdup_printf ("/api/v1/poll/jobs/%" G_GINT64_FORMAT, id);
  g_autofree gchar *sql = NULL;

  /* a polling service at work, by hand: half read, started 07:00Z = 10:00 Moscow */
  sql = g_strdup_printf ("UPDATE poll_jobs SET state = 1, attempts = 1, progress = 0.5, "
                         "message = 'Часовой архив: 12 из 24', "
                         "started_at = '2026-11-30T07:00:00Z' WHERE id = %" G_GINT64_FORMAT,
                         id);
  lers_check_sql_exec (sql);
  {
    g_autoptr (PollResponse) r = poll_request ("GET", target, NULL);
    g_autoptr (JsonNode) root = poll_response_json (r);
    JsonObject *job = json_node_get_object (root);

    ck_assert_uint_eq (r->status, 200);
    ck_assert_int_eq (json_object_get_int_member (job, "id"), id);
    ck_assert_str_eq (json_object_get_string_member (job, "state"), "running");
    ck_assert_double_eq (json_object_get_double_member (job, "progress"), 0.5);
    ck_assert_str_eq (json_object_get_string_member (job, "message"), "Часовой архив: 12 из 24");
    ck_assert_str_eq (json_object_get_string_member (job, "started"), "2026-11-30T10:00:00+03:00");
    ck_assert_int_eq (json_object_get_int_member (job, "attempts"), 1);
  }

  /* and done: 24 records, the log kept */
  g_free (sql);
  sql = g_strdup_printf ("UPDATE poll_jobs SET state = 2, progress = 1, records = 24, "
                         "finished_at = '2026-11-30T07:01:30Z', "
                         "log = E'10:00:00 connected\\n10:01:30 24 records\\n' "
                         "WHERE id = %" G_GINT64_FORMAT,
                         id);
  lers_check_sql_exec (sql);
  {
    g_autoptr (PollResponse) r = poll_request ("GET", target, NULL);
    g_autoptr (JsonNode) root = poll_response_json (r);
    JsonObject *job = json_node_get_object (root);

    ck_assert_str_eq (json_object_get_string_member (job, "state"), "done");
    ck_assert_int_eq (json_object_get_int_member (job, "records"), 24);
    ck_assert_str_eq (json_object_get_string_member (job, "finished"), "2026-11-30T10:01:30+03:00");
    ck_assert_str_eq (json_object_get_string_member (job, "log"),
                      "10:00:00 connected\n10:01:30 24 records\n");
    ck_assert (json_object_get_null_member (job, "error"));
  }
  {
    g_autoptr (PollResponse) r = poll_request ("GET", "/api/v1/poll/jobs/999999", NULL);
    poll_assert_error (r, 404, "not-found");
  }
  {
    g_autoptr (PollResponse) r = poll_request ("GET", "/api/v1/poll/jobs/abc", NULL);
    poll_assert_error (r, 400, "invalid-argument");
  }
}
END_TEST

START_TEST (test_cancel)
{
  g_autoptr (JsonNode) a = enqueue ("[1]");
  g_autoptr (JsonNode) b = enqueue ("[2]");
  gint64 id_a = job_id_at (jobs_of (a), 0);
  gint64 id_b = job_id_at (jobs_of (b), 0);
  g_autofree gchar *cancel_a
      = g_strdup_printf ("/api/v1/poll/jobs/%" G_GINT64_FORMAT "/cancel", id_a);
  g_autofree gchar *cancel_b
      = g_strdup_printf ("/api/v1/poll/jobs/%" G_GINT64_FORMAT "/cancel", id_b);
  g_autofree gchar *sql = NULL;

  /* a queued job is cancelled at once */
  {
    g_autoptr (PollResponse) r = poll_request ("POST", cancel_a, NULL);
    g_autoptr (JsonNode) root = poll_response_json (r);

    ck_assert_msg (r->status == 202, "%u %s", r->status, r->body);
    ck_assert_str_eq (json_object_get_string_member (json_node_get_object (root), "state"),
                      "cancelled");
  }
  sql = g_strdup_printf ("SELECT state FROM poll_jobs WHERE id = %" G_GINT64_FORMAT, id_a);
  ck_assert_int_eq (lers_check_sql_int (sql), 4);
  /* again: it has finished */
  {
    g_autoptr (PollResponse) r = poll_request ("POST", cancel_a, NULL);
    poll_assert_error (r, 409, "conflict");
  }
  /* a running job: its service is asked to stop */
  g_free (sql);
  sql = g_strdup_printf ("UPDATE poll_jobs SET state = 1, started_at = now() WHERE id = "
                         "%" G_GINT64_FORMAT,
                         id_b);
  lers_check_sql_exec (sql);
  {
    g_autoptr (PollResponse) r = poll_request ("POST", cancel_b, NULL);
    g_autoptr (JsonNode) root = poll_response_json (r);
    JsonObject *job = json_node_get_object (root);

    ck_assert_msg (r->status == 202, "%u %s", r->status, r->body);
    ck_assert_str_eq (json_object_get_string_member (job, "state"), "running");
    ck_assert (json_object_get_boolean_member (job, "cancel_requested"));
  }
  g_free (sql);
  sql = g_strdup_printf ("SELECT cancel_requested::int FROM poll_jobs WHERE id = %" G_GINT64_FORMAT,
                         id_b);
  ck_assert_int_eq (lers_check_sql_int (sql), 1);
  {
    g_autoptr (PollResponse) r = poll_request ("POST", "/api/v1/poll/jobs/999999/cancel", NULL);
    poll_assert_error (r, 404, "not-found");
  }
  /* cancel is a POST; the job itself a GET */
  {
    g_autoptr (PollResponse) r = poll_request ("GET", cancel_b, NULL);
    poll_assert_error (r, 405, "method-not-allowed");
    ck_assert_str_eq (r->allow, "POST");
  }
}
END_TEST

START_TEST (test_methods)
{
  {
    g_autoptr (PollResponse) r = poll_request ("DELETE", "/api/v1/poll/jobs", NULL);
    poll_assert_error (r, 405, "method-not-allowed");
    ck_assert_str_eq (r->allow, "POST, GET, HEAD");
  }
  {
    g_autoptr (PollResponse) r = poll_request ("POST", "/api/v1/poll/status", "{}");
    poll_assert_error (r, 405, "method-not-allowed");
    ck_assert_str_eq (r->allow, "GET, HEAD");
  }
  {
    g_autoptr (PollResponse) r = poll_request ("GET", "/api/v1/poll/nothing", NULL);
    poll_assert_error (r, 404, "not-found");
  }
  {
    /* /metrics is outside the API prefix, and only there */
    g_autoptr (PollResponse) r = poll_request ("GET", "/api/v1/metrics", NULL);
    poll_assert_error (r, 404, "not-found");
  }
}
END_TEST

static JsonObject *
find_by (JsonArray *array, const gchar *member, const gchar *value)
{
  for (guint i = 0; i < json_array_get_length (array); i++)
    {
      JsonObject *o = json_array_get_object_element (array, i);
      if (g_strcmp0 (json_object_get_string_member (o, member), value) == 0)
        return o;
    }
  ck_abort_msg ("no %s = %s", member, value);
  return NULL;
}

static JsonObject *
find_link (JsonArray *array, gint64 id)
{
  for (guint i = 0; i < json_array_get_length (array); i++)
    {
      JsonObject *o = json_array_get_object_element (array, i);
      if (json_object_get_int_member (o, "connection_id") == id)
        return o;
    }
  ck_abort_msg ("no link %" G_GINT64_FORMAT, id);
  return NULL;
}

START_TEST (test_status_services_links)
{
  poll_seed_situation ();
  {
    g_autoptr (PollResponse) r = poll_request ("GET", "/api/v1/poll/status", NULL);
    g_autoptr (JsonNode) root = poll_response_json (r);
    JsonObject *s = json_node_get_object (root);
    gint64 late;

    ck_assert_uint_eq (r->status, 200);
    /* worked out in poll-test-util.h's table */
    ck_assert_int_eq (json_object_get_int_member (s, "services"), 4);
    ck_assert_int_eq (json_object_get_int_member (s, "services_running"), 1);
    ck_assert_int_eq (json_object_get_int_member (s, "services_pending"), 1);
    ck_assert_int_eq (json_object_get_int_member (s, "ports_total"), 8);
    ck_assert_int_eq (json_object_get_int_member (s, "ports_busy"), 1);
    ck_assert_int_eq (json_object_get_int_member (s, "ports_free"), 7);
    ck_assert_int_eq (json_object_get_int_member (s, "links_total"), 3);
    ck_assert_int_eq (json_object_get_int_member (s, "links_active"), 1);
    ck_assert_int_eq (json_object_get_int_member (s, "links_blocked"), 1);
    ck_assert_int_eq (json_object_get_int_member (s, "links_free"), 1);
    ck_assert_int_eq (json_object_get_int_member (s, "jobs_queued"), 2);
    ck_assert_int_eq (json_object_get_int_member (s, "jobs_due"), 1);
    ck_assert_int_eq (json_object_get_int_member (s, "jobs_running"), 1);
    ck_assert_int_eq (json_object_get_int_member (s, "jobs_done_24h"), 2);
    ck_assert_int_eq (json_object_get_int_member (s, "jobs_failed_24h"), 1);
    late = json_object_get_int_member (s, "oldest_due_seconds");
    ck_assert_msg (late >= 120 && late < 180, "%" G_GINT64_FORMAT, late);
  }
  {
    g_autoptr (PollResponse) r = poll_request ("GET", "/api/v1/poll/services", NULL);
    g_autoptr (JsonNode) root = poll_response_json (r);
    JsonArray *services;

    ck_assert_uint_eq (r->status, 200);
    ck_assert (JSON_NODE_HOLDS_ARRAY (root));
    services = json_node_get_array (root);
    ck_assert_uint_eq (json_array_get_length (services), 4);
    ck_assert_str_eq (json_object_get_string_member (find_by (services, "name", "north"), "state"),
                      "running");
    ck_assert_str_eq (json_object_get_string_member (find_by (services, "name", "south"), "state"),
                      "pending");
    ck_assert_str_eq (json_object_get_string_member (find_by (services, "name", "east"), "state"),
                      "stopped");
    ck_assert_str_eq (
        json_object_get_string_member (find_by (services, "name", "dead \"x\"\\y"), "state"),
        "dead");
    ck_assert_int_eq (json_object_get_int_member (find_by (services, "name", "north"), "jobs_done"),
                      120);
    ck_assert (strstr (r->body, "token") == NULL);
  }
  {
    g_autoptr (PollResponse) r = poll_request ("GET", "/api/v1/poll/links", NULL);
    g_autoptr (JsonNode) root = poll_response_json (r);
    JsonArray *links;
    JsonObject *blocked;

    ck_assert_uint_eq (r->status, 200);
    links = json_node_get_array (root);
    ck_assert_uint_eq (json_array_get_length (links), 3);
    ck_assert_str_eq (json_object_get_string_member (find_link (links, 1), "state"), "active");
    ck_assert_str_eq (json_object_get_string_member (find_link (links, 1), "service"), "north");
    blocked = find_link (links, 2);
    ck_assert_str_eq (json_object_get_string_member (blocked, "state"), "blocked");
    ck_assert_int_eq (json_object_get_int_member (blocked, "failures"), 3);
    ck_assert_str_eq (json_object_get_string_member (blocked, "last_error"),
                      "No answer from 127.0.0.1:15002");
    /* a time, ISO 8601 in UTC */
    ck_assert (g_str_has_suffix (json_object_get_string_member (blocked, "blocked_until"), "Z"));
    ck_assert_str_eq (json_object_get_string_member (find_link (links, 3), "state"), "free");
  }
}
END_TEST

START_TEST (test_sessions_traffic)
{
  /* two sessions on link 1 a minute ago (one failed), one on link 2 */
  lers_check_sql_exec (
      "INSERT INTO link_sessions (connection_id, started_at, ended_at, bytes_in, bytes_out, "
      "end_reason, error, signal_level, firmware, sim_id) VALUES "
      "(1, now() - interval '70 seconds', now() - interval '60 seconds', 1200, 300, 'done', "
      " NULL, -71, 'M590 1.2', '8970101'), "
      "(1, now() - interval '50 seconds', now() - interval '45 seconds', 10, 20, 'error', "
      " 'No answer', NULL, NULL, NULL), "
      "(2, '2026-11-02T10:00:00Z', '2026-11-02T10:01:00Z', 5, 5, 'done', NULL, NULL, NULL, "
      " NULL)");
  {
    g_autoptr (PollResponse) r = poll_request ("GET", "/api/v1/poll/sessions?connection=1", NULL);
    g_autoptr (JsonNode) root = poll_response_json (r);

    ck_assert_uint_eq (r->status, 200);
    ck_assert_uint_eq (json_array_get_length (json_node_get_array (root)), 2);
  }
  {
    g_autoptr (PollResponse) r = poll_request (
        "GET", "/api/v1/poll/sessions?from=2026-11-01T00:00:00Z&to=2026-11-03T00:00:00Z", NULL);
    g_autoptr (JsonNode) root = poll_response_json (r);
    JsonObject *session;

    ck_assert_uint_eq (r->status, 200);
    ck_assert_uint_eq (json_array_get_length (json_node_get_array (root)), 1);
    session = json_array_get_object_element (json_node_get_array (root), 0);
    ck_assert_int_eq (json_object_get_int_member (session, "connection_id"), 2);
  }
  {
    g_autoptr (PollResponse) r
        = poll_request ("GET", "/api/v1/poll/traffic?connection=1&zone=Europe/Moscow", NULL);
    g_autoptr (JsonNode) root = poll_response_json (r);
    JsonObject *modem, *today, *yesterday, *this_month, *last_month;

    ck_assert_msg (r->status == 200, "%u %s", r->status, r->body);
    ck_assert_uint_eq (json_array_get_length (json_node_get_array (root)), 1);
    modem = json_array_get_object_element (json_node_get_array (root), 0);
    ck_assert_int_eq (json_object_get_int_member (modem, "connection_id"), 1);
    ck_assert_int_eq (json_object_get_int_member (modem, "last_signal_level"), -71);
    ck_assert_str_eq (json_object_get_string_member (modem, "firmware"), "M590 1.2");
    ck_assert_str_eq (json_object_get_string_member (modem, "sim_id"), "8970101");
    today = json_object_get_object_member (modem, "today");
    yesterday = json_object_get_object_member (modem, "yesterday");
    this_month = json_object_get_object_member (modem, "this_month");
    last_month = json_object_get_object_member (modem, "last_month");
    /* a minute ago is today, or yesterday just after midnight: the two
     * sessions are in one of them; 1210 bytes in, 320 out, 10 + 5 s, 1 failed */
    ck_assert_int_eq (json_object_get_int_member (today, "sessions")
                          + json_object_get_int_member (yesterday, "sessions"),
                      2);
    ck_assert_int_eq (json_object_get_int_member (this_month, "bytes_in")
                          + json_object_get_int_member (last_month, "bytes_in"),
                      1210);
    ck_assert_int_eq (json_object_get_int_member (this_month, "bytes_out")
                          + json_object_get_int_member (last_month, "bytes_out"),
                      320);
    ck_assert_int_eq (json_object_get_int_member (this_month, "failed")
                          + json_object_get_int_member (last_month, "failed"),
                      1);
    ck_assert_int_eq (json_object_get_int_member (this_month, "seconds")
                          + json_object_get_int_member (last_month, "seconds"),
                      15);
  }
  {
    static const gchar *const bad[] = {
      "/api/v1/poll/traffic?zone=Mars/Olympus",
      "/api/v1/poll/traffic?connection=0",
      "/api/v1/poll/sessions?from=yesterday",
      "/api/v1/poll/sessions?from=2026-11-03T00:00:00Z&to=2026-11-01T00:00:00Z",
      "/api/v1/poll/sessions?limit=x",
    };
    for (gsize i = 0; i < G_N_ELEMENTS (bad); i++)
      {
        g_autoptr (PollResponse) r = poll_request ("GET", bad[i], NULL);
        poll_assert_error (r, 400, "invalid-argument");
      }
  }
}
END_TEST

/* The next :05 after @now, in Moscow, as the API writes it */
static gchar *
next_hour_slot (GDateTime *now)
{
  g_autoptr (GTimeZone) msk = g_time_zone_new_identifier ("Europe/Moscow");
  g_autoptr (GDateTime) local = g_date_time_to_timezone (now, msk);
  g_autoptr (GDateTime) slot
      = g_date_time_new (msk, g_date_time_get_year (local), g_date_time_get_month (local),
                         g_date_time_get_day_of_month (local), g_date_time_get_hour (local), 5, 0);
  g_autoptr (GDateTime) next = NULL;

  if (g_date_time_compare (slot, local) <= 0)
    next = g_date_time_add_hours (slot, 1);
  else
    next = g_date_time_ref (slot);
  return g_date_time_format (next, "%Y-%m-%dT%H:%M:%S+03:00");
}

START_TEST (test_schedule)
{
  g_autoptr (GDateTime) before = g_date_time_new_now_utc ();
  g_autoptr (PollResponse) r = poll_request ("GET", "/api/v1/points/1/schedule", NULL);
  g_autoptr (GDateTime) after = g_date_time_new_now_utc ();
  g_autoptr (JsonNode) root = poll_response_json (r);
  g_autofree gchar *next_before = next_hour_slot (before);
  g_autofree gchar *next_after = next_hour_slot (after);
  JsonArray *kinds;
  JsonObject *hour, *current;
  const gchar *next;

  ck_assert_msg (r->status == 200, "%u %s", r->status, r->body);
  kinds = json_node_get_array (root);
  ck_assert_uint_eq (json_array_get_length (kinds), 6);
  /* the default for an hourly point: every 60 minutes at :05 */
  hour = find_by (kinds, "kind", "hour");
  ck_assert (json_object_get_boolean_member (hour, "enabled"));
  ck_assert (json_object_get_boolean_member (hour, "default"));
  ck_assert_int_eq (json_object_get_int_member (hour, "every_minutes"), 60);
  ck_assert_int_eq (json_object_get_int_member (hour, "at_minutes"), 5);
  next = json_object_get_string_member (hour, "next");
  ck_assert_msg (g_strcmp0 (next, next_before) == 0 || g_strcmp0 (next, next_after) == 0,
                 "%s, expected %s", next, next_before);
  /* current values are not read by default */
  current = find_by (kinds, "kind", "current");
  ck_assert (!json_object_get_boolean_member (current, "enabled"));

  {
    g_autoptr (PollResponse) r404 = poll_request ("GET", "/api/v1/points/999/schedule", NULL);
    poll_assert_error (r404, 404, "not-found");
  }
  {
    g_autoptr (PollResponse) r400 = poll_request ("GET", "/api/v1/points/x/schedule", NULL);
    poll_assert_error (r400, 400, "invalid-argument");
  }
}
END_TEST

/* A queue call that waits for a lock (a table held by another session)
 * blocks a worker thread, never the main loop: another request is answered
 * meanwhile, and the waiting one is answered once the lock goes. */
START_TEST (test_main_loop_free)
{
  PGconn *locker = lers_check_sql_connect ();
  g_autofree gchar *url = g_strdup_printf ("http://127.0.0.1:%u/api/v1/poll/jobs", pfx.port);
  g_autoptr (SoupMessage) msg = soup_message_new ("GET", url);
  g_autoptr (GAsyncResult) res = NULL;
  g_autoptr (GBytes) body = NULL;
  g_autoptr (GError) error = NULL;
  guint status;

  lers_check_sql_exec_on (locker, "BEGIN");
  lers_check_sql_exec_on (locker, "LOCK TABLE poll_jobs IN ACCESS EXCLUSIVE MODE");
  soup_session_send_and_read_async (pfx.session, msg, G_PRIORITY_DEFAULT, NULL, poll_result_cb,
                                    &res);
  /* until the route's query waits for the lock */
  for (guint i = 0; i < 1000 && res == NULL
                    && lers_check_sql_int ("SELECT count(*) FROM pg_locks WHERE NOT granted") == 0;
       i++)
    {
      while (g_main_context_iteration (NULL, FALSE))
        ;
      g_usleep (10 * 1000);
    }
  ck_assert_msg (res == NULL, "the route did not wait for the lock");
  {
    g_autoptr (PollResponse) other = poll_request ("GET", "/api/v1/points/1", NULL);
    ck_assert_uint_eq (other->status, 200);
  }
  ck_assert_msg (res == NULL, "the locked route answered before the lock went");
  lers_check_sql_exec_on (locker, "COMMIT");
  PQfinish (locker);
  while (res == NULL)
    g_main_context_iteration (NULL, TRUE);
  body = soup_session_send_and_read_finish (pfx.session, res, &error);
  lers_check_assert_no_error (error);
  /* answered: the list, or 503 if the store's lock bound ran out first */
  status = soup_message_get_status (msg);
  ck_assert_msg (status == 200 || status == 503, "%u", status);
}
END_TEST

int
main (int argc, char **argv)
{
  Suite *s = suite_create ("poll-api");
  TCase *tc = tcase_create ("poll-api");

  lers_check_init (&argc, &argv);
  tcase_set_timeout (tc, 120);
  tcase_add_unchecked_fixture (tc, lers_check_cluster_setup, lers_check_cluster_teardown);
  tcase_add_checked_fixture (tc, api_setup, api_teardown);
  tcase_add_test (tc, test_enqueue);
  tcase_add_test (tc, test_enqueue_bad);
  tcase_add_test (tc, test_jobs_list);
  tcase_add_test (tc, test_job_progress);
  tcase_add_test (tc, test_cancel);
  tcase_add_test (tc, test_methods);
  tcase_add_test (tc, test_status_services_links);
  tcase_add_test (tc, test_sessions_traffic);
  tcase_add_test (tc, test_schedule);
  tcase_add_test (tc, test_main_loop_free);
  suite_add_tcase (s, tc);
  return lers_check_run_suite (s);
}
