/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The bounds of the report routes (daemon/routes/reports*.c) that only
 * show when reports wait: an in-process lersd on 127.0.0.1 port 0 against
 * a throwaway PostgreSQL whose archive is locked by a second, plain libpq
 * connection, so every render waits in the database until the test lets
 * go (the store's backends watched in pg_stat_activity, as in
 * test-http-busy.c). The bounds are those of docs/api-reports.md: four
 * queued or running jobs a user (the fifth is 429), two synchronous
 * renders at once (the third is 503 with Retry-After); cancelling a job
 * that ended changes nothing and keeps its result. */
#include "config.h"

#include <libpq-fe.h>

#include "auth-test-util.h"

/* The store's own backends in this test's database waiting for a lock */
#define OUR_WAITERS                                                                                \
  "SELECT count(*) FROM pg_stat_activity WHERE application_name = 'lers'"                          \
  " AND datname = current_database() AND wait_event_type = 'Lock'"

/* A CSV of the day's Q: the point's days, no fonts needed */
static const gchar tpl_text[]
    = "<report version=\"1\" id=\"jobs-check\" source=\"point\">\n"
      "  <title ru=\"Проверка\" en=\"Check\"/>\n"
      "  <parameters kinds=\"day\" default-kind=\"day\" period=\"month\"/>\n"
      "  <table rows=\"archive\">\n"
      "    <column title=\"Q\" value=\"Q\" format=\"0.000\"/>\n"
      "  </table>\n"
      "</report>\n";

static gchar *admin_bearer;
static gchar *operator_bearer;
static PGconn *holder;

static void
jobs_setup (void)
{
  g_autofree gchar *operator_token = NULL;

  lers_check_store_setup ();
  poll_seed_points ();
  /* no bound on the renders' waits: only the test ends them */
  g_object_set (lers_check_get_store (), "lock-timeout", 120000, "statement-timeout", 120000, NULL);
  poll_server_start ();
  admin_bearer = auth_bearer (pfx.token);
  operator_token = lers_check_http_user_token ("operator", LERS_USER_ROLE_OPERATOR, NULL);
  operator_bearer = auth_bearer (operator_token);
  /* someone else holds the archive */
  holder = lers_check_sql_connect ();
  lers_check_sql_exec_on (holder, "BEGIN");
  lers_check_sql_exec_on (holder, "LOCK TABLE archive IN ACCESS EXCLUSIVE MODE");
}

static void
jobs_teardown (void)
{
  /* the lock goes first: renders still waiting end, then the server */
  g_clear_pointer (&holder, PQfinish);
  g_clear_pointer (&admin_bearer, g_free);
  g_clear_pointer (&operator_bearer, g_free);
  auth_strings_clear ();
  poll_server_stop ();
  lers_check_store_teardown ();
}

/* A render or job request of point @point with the test's template */
static gchar *
render_body (gint point)
{
  g_autoptr (JsonNode) node = json_node_init_string (json_node_alloc (), tpl_text);
  g_autofree gchar *quoted = json_to_string (node, FALSE);

  return g_strdup_printf ("{\"body\": %s, \"points\": [%d], \"from\": \"2026-11-01\", "
                          "\"to\": \"2026-11-04\", \"kind\": \"day\", \"format\": \"csv\", "
                          "\"language\": \"en\"}",
                          quoted, point);
}

/* Serves requests until @n of the store's backends wait for the lock (at
 * most 20 s) */
static void
wait_waiters (gint64 n)
{
  gint64 deadline = g_get_monotonic_time () + 20 * G_USEC_PER_SEC;
  gint64 waiting = 0;

  while (g_get_monotonic_time () < deadline && (waiting = lers_check_sql_int (OUR_WAITERS)) < n)
    {
      while (g_main_context_iteration (NULL, FALSE))
        ;
      g_usleep (20000);
    }
  ck_assert_int_eq (waiting, n);
}

/* A job's state, as GET /reports/jobs/{id} tells the admin */
static gchar *
job_state (const gchar *id)
{
  g_autofree gchar *target = g_strdup_printf ("/api/v1/reports/jobs/%s", id);
  g_autoptr (PollResponse) r = poll_request ("GET", target, NULL);
  g_autoptr (JsonNode) root = NULL;

  ck_assert_msg (r->status == 200, "%u %s", r->status, r->body);
  root = poll_response_json (r);
  return g_strdup (json_object_get_string_member (json_node_get_object (root), "state"));
}

/* Polls the job until it is neither queued nor running (at most 60 s) */
static gchar *
wait_job (const gchar *id)
{
  for (gint i = 0; i < 600; i++)
    {
      gchar *state = job_state (id);

      if (g_strcmp0 (state, "queued") != 0 && g_strcmp0 (state, "running") != 0)
        return state;
      g_free (state);
      g_usleep (100000);
    }
  ck_abort_msg ("job %s did not end", id);
  return NULL;
}

/* POSTs a job of point @point as @bearer; its id (202 asserted) */
static gchar *
post_job (const gchar *bearer, gint point)
{
  g_autofree gchar *body = render_body (point);
  g_autoptr (AuthResponse) r = auth_as (bearer, "POST", "/api/v1/reports/jobs", body);
  g_autoptr (JsonNode) root = NULL;

  ck_assert_msg (r->status == 202, "%u %s", r->status, r->body);
  return g_strdup (json_object_get_string_member (auth_object (r, &root), "id"));
}

/* Four jobs of one user at once; the fifth is 429, another user's is not;
 * one cancelled makes room. Cancelling a job that ended keeps it done. */
START_TEST (test_jobs_per_user)
{
  g_autofree gchar *fifth_body = render_body (1);
  g_autoptr (AuthResponse) fifth = NULL;
  g_autoptr (AuthResponse) cancel = NULL;
  g_autoptr (AuthResponse) cancel_done = NULL;
  g_autoptr (AuthResponse) cancel_again = NULL;
  g_autoptr (AuthResponse) result = NULL;
  g_autoptr (AuthResponse) result_cancelled = NULL;
  g_autoptr (JsonNode) root = NULL;
  g_autoptr (JsonNode) cancel_root = NULL;
  g_autoptr (JsonNode) done_root = NULL;
  g_autoptr (JsonNode) again_root = NULL;
  g_autofree gchar *operator_job = NULL;
  g_autofree gchar *sixth = NULL;
  g_autofree gchar *target = NULL;
  gchar *ids[4];
  guint queued = 0, running = 0;
  JsonObject *e;

  for (guint i = 0; i < 4; i++)
    ids[i] = post_job (admin_bearer, 1);
  /* two workers: two jobs wait in the database, two in the queue */
  wait_waiters (2);
  for (guint i = 0; i < 4; i++)
    {
      g_autofree gchar *state = job_state (ids[i]);

      queued += g_strcmp0 (state, "queued") == 0;
      running += g_strcmp0 (state, "running") == 0;
    }
  ck_assert_uint_eq (running, 2);
  ck_assert_uint_eq (queued, 2);

  fifth = auth_as (admin_bearer, "POST", "/api/v1/reports/jobs", fifth_body);
  ck_assert_msg (fifth->status == 429, "%u %s", fifth->status, fifth->body);
  e = json_object_get_object_member (auth_object (fifth, &root), "error");
  ck_assert_str_eq (json_object_get_string_member (e, "code"), "too-many-requests");
  ck_assert_str_eq (json_object_get_string_member (e, "message"),
                    "You have 4 report jobs queued or running: wait for one to end, or cancel one");
  /* the bound is a user's: the operator's first job is taken */
  operator_job = post_job (operator_bearer, 2);

  /* a queued one cancelled (the last posted waits behind the others):
   * room for one more */
  target = g_strdup_printf ("/api/v1/reports/jobs/%s/cancel", ids[3]);
  cancel = auth_as (admin_bearer, "POST", target, NULL);
  ck_assert_msg (cancel->status == 200, "%u %s", cancel->status, cancel->body);
  ck_assert_str_eq (json_object_get_string_member (auth_object (cancel, &cancel_root), "state"),
                    "cancelled");
  sixth = post_job (admin_bearer, 1);

  /* the lock goes: every job that was not cancelled ends done */
  lers_check_sql_exec_on (holder, "COMMIT");
  for (guint i = 0; i < 3; i++)
    {
      g_autofree gchar *state = wait_job (ids[i]);

      ck_assert_str_eq (state, "done");
    }
  {
    g_autofree gchar *s1 = wait_job (sixth);
    g_autofree gchar *s2 = wait_job (operator_job);
    g_autofree gchar *s3 = job_state (ids[3]);

    ck_assert_str_eq (s1, "done");
    ck_assert_str_eq (s2, "done");
    ck_assert_str_eq (s3, "cancelled");
  }

  /* cancelling a job that ended: 200, still done, its result still there */
  g_free (target);
  target = g_strdup_printf ("/api/v1/reports/jobs/%s/cancel", ids[0]);
  cancel_done = auth_as (admin_bearer, "POST", target, NULL);
  ck_assert_msg (cancel_done->status == 200, "%u %s", cancel_done->status, cancel_done->body);
  ck_assert_str_eq (json_object_get_string_member (auth_object (cancel_done, &done_root), "state"),
                    "done");
  g_free (target);
  target = g_strdup_printf ("/api/v1/reports/jobs/%s/result", ids[0]);
  result = auth_as (admin_bearer, "GET", target, NULL);
  ck_assert_msg (result->status == 200, "%u", result->status);
  ck_assert_str_eq (auth_header (result, "Content-Type"), "application/zip");
  /* a zip starts with its first entry's header, "PK\3\4" */
  ck_assert (g_str_has_prefix (result->body, "PK\003\004"));
  /* and one cancelled twice stays cancelled, with no result */
  g_free (target);
  target = g_strdup_printf ("/api/v1/reports/jobs/%s/cancel", ids[3]);
  cancel_again = auth_as (admin_bearer, "POST", target, NULL);
  ck_assert_msg (cancel_again->status == 200, "%u %s", cancel_again->status, cancel_again->body);
  ck_assert_str_eq (
      json_object_get_string_member (auth_object (cancel_again, &again_root), "state"),
      "cancelled");
  g_free (target);
  target = g_strdup_printf ("/api/v1/reports/jobs/%s/result", ids[3]);
  result_cancelled = auth_as (admin_bearer, "GET", target, NULL);
  auth_assert_error (result_cancelled, 409, "conflict");
  for (guint i = 0; i < 4; i++)
    g_free (ids[i]);
}
END_TEST

/* One render request sent, not waited for */
typedef struct
{
  SoupSession *session;
  SoupMessage *msg;
  GAsyncResult *res;
} Pending;

static Pending *
pending_send (const gchar *body)
{
  g_autofree gchar *url = g_strdup_printf ("http://127.0.0.1:%u/api/v1/reports/render", pfx.port);
  g_autoptr (GBytes) request = g_bytes_new (body, strlen (body));
  Pending *p = g_new0 (Pending, 1);

  /* a session each: libsoup would queue a third message to one host */
  p->session = soup_session_new_with_options ("proxy-resolver", NULL, "timeout", 60, NULL);
  p->msg = soup_message_new ("POST", url);
  soup_message_headers_replace (soup_message_get_request_headers (p->msg), "Authorization",
                                admin_bearer);
  soup_message_set_request_body_from_bytes (p->msg, "application/json", request);
  soup_session_send_and_read_async (p->session, p->msg, G_PRIORITY_DEFAULT, NULL, poll_result_cb,
                                    &p->res);
  return p;
}

/* Waits for @p's answer; its status, the body in @body */
static guint
pending_finish (Pending *p, gchar **body)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (GBytes) bytes = NULL;
  guint status;

  while (p->res == NULL)
    g_main_context_iteration (NULL, TRUE);
  bytes = soup_session_send_and_read_finish (p->session, p->res, &error);
  lers_check_assert_no_error (error);
  status = soup_message_get_status (p->msg);
  *body = g_strndup (g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes));
  g_clear_object (&p->res);
  g_clear_object (&p->msg);
  g_clear_object (&p->session);
  g_free (p);
  return status;
}

/* Two synchronous renders at once: the third is 503 busy with Retry-After
 * at once; the two end 200 once the database answers */
START_TEST (test_render_busy)
{
  g_autofree gchar *body = render_body (1);
  Pending *first = pending_send (body);
  Pending *second = pending_send (body);
  g_autoptr (AuthResponse) third = NULL;
  g_autoptr (JsonNode) root = NULL;
  g_autofree gchar *first_body = NULL;
  g_autofree gchar *second_body = NULL;
  JsonObject *e;

  wait_waiters (2);
  third = auth_as (admin_bearer, "POST", "/api/v1/reports/render", body);
  ck_assert_msg (third->status == 503, "%u %s", third->status, third->body);
  ck_assert_str_eq (auth_header (third, "Retry-After"), "2");
  e = json_object_get_object_member (auth_object (third, &root), "error");
  ck_assert_str_eq (json_object_get_string_member (e, "code"), "busy");
  ck_assert_str_eq (json_object_get_string_member (e, "message"),
                    "Other reports are being rendered; try again in a moment, or start a job");
  /* nothing more of ours waits: the third never reached the database */
  ck_assert_int_eq (lers_check_sql_int (OUR_WAITERS), 2);

  lers_check_sql_exec_on (holder, "COMMIT");
  ck_assert_uint_eq (pending_finish (first, &first_body), 200);
  ck_assert_uint_eq (pending_finish (second, &second_body), 200);
  /* the CSV (a UTF-8 BOM, then the header row: the column's title) */
  ck_assert_msg (g_str_has_prefix (first_body, "\xef\xbb\xbfQ\r\n"), "%s", first_body);
  ck_assert_str_eq (second_body, first_body);
}
END_TEST

int
main (int argc, char **argv)
{
  Suite *s = suite_create ("reports-jobs");
  TCase *tc = tcase_create ("bounds");

  lers_check_init (&argc, &argv);
  tcase_add_unchecked_fixture (tc, lers_check_cluster_setup, lers_check_cluster_teardown);
  tcase_add_checked_fixture (tc, jobs_setup, jobs_teardown);
  tcase_set_timeout (tc, 180);
  tcase_add_test (tc, test_jobs_per_user);
  tcase_add_test (tc, test_render_busy);
  suite_add_tcase (s, tc);
  return lers_check_run_suite (s);
}
