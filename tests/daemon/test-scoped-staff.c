/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Staff with scopes stay in them (docs/users.md): an operator scoped to
 * territory 1 (node 1, points 1..4) cannot reach territory 2 (node 2,
 * point 5), neither through what serves many nodes (territories, devices,
 * connections, node groups, the poll queue: 403) nor by asking for a point
 * it does not see (404, nothing queued). An unscoped operator is not
 * affected. In-process lersd on 127.0.0.1 port 0 against a throwaway
 * PostgreSQL. */
#include "config.h"

#include "poll-test-util.h"

static gchar *op_bearer;

/* Territory 2 with node 2 and point 5 (its own link and device) beside
 * poll_seed_points()'s territory 1; node group 1 "A" */
static void
scoped_seed (void)
{
  lers_check_sql_exec ("INSERT INTO territories (id, title, timezone) VALUES "
                       "(2, 'Тверь', 'Europe/Moscow')");
  lers_check_sql_exec ("INSERT INTO nodes (id, territory_id, title) VALUES (2, 2, 'ИТП 2')");
  lers_check_sql_exec ("INSERT INTO connections (id, kind, host, port) VALUES "
                       "(4, 0, '127.0.0.1', 15004)");
  lers_check_sql_exec ("INSERT INTO devices (id, protocol, serial_number, network_address, "
                       "connection_id) VALUES (4, 'mbus', '10000004', '4', 4)");
  lers_check_sql_exec ("INSERT INTO measure_points (id, node_id, title, device_id, poll_interval) "
                       "VALUES (5, 2, 'Отопление 2', 4, 3600)");
  lers_check_sql_exec ("INSERT INTO node_groups (id, title) VALUES (1, 'A')");
}

static void
scoped_setup (void)
{
  g_autoptr (LersAccounts) accounts = NULL;
  g_autoptr (GError) error = NULL;
  g_autofree gchar *token = NULL;
  gint64 op_id;

  lers_check_store_setup ();
  poll_seed_points ();
  scoped_seed ();
  poll_server_start ();
  token = lers_check_http_user_token ("scoped-op", LERS_USER_ROLE_OPERATOR, NULL);
  op_id = lers_check_sql_int ("SELECT id FROM users WHERE login = 'scoped-op'");
  accounts = lers_accounts_new (lers_check_get_store ());
  ck_assert_msg (
      lers_accounts_add_scope_sync (accounts, op_id, LERS_SCOPE_KIND_TERRITORY, 1, NULL, &error),
      "%s", error != NULL ? error->message : "");
  op_bearer = g_strdup_printf ("Bearer %s", token);
}

static void
scoped_teardown (void)
{
  g_clear_pointer (&op_bearer, g_free);
  poll_server_stop ();
  lers_check_store_teardown ();
}

static PollResponse *
as_op (const gchar *method, const gchar *target, const gchar *body)
{
  return poll_request_as (method, target, body, op_bearer);
}

/* Territories, devices, connections, groups: 403, nothing changed */
START_TEST (test_shared_objects_forbidden)
{
  g_autoptr (PollResponse) pull = as_op ("PATCH", "/api/v1/territories/2", "{\"parent_id\": 1}");
  g_autoptr (PollResponse) own = as_op ("GET", "/api/v1/territories/1", NULL);
  g_autoptr (PollResponse) devices = as_op ("GET", "/api/v1/devices", NULL);
  g_autoptr (PollResponse) device_del = as_op ("DELETE", "/api/v1/devices/4", NULL);
  g_autoptr (PollResponse) connections = as_op ("GET", "/api/v1/connections", NULL);
  g_autoptr (PollResponse) sessions = as_op ("GET", "/api/v1/connections/1/sessions", NULL);
  g_autoptr (PollResponse) rename = as_op ("PATCH", "/api/v1/groups/1", "{\"title\": \"Z\"}");
  g_autoptr (PollResponse) group_new = as_op ("POST", "/api/v1/groups", "{\"title\": \"Z\"}");
  g_autoptr (PollResponse) member = as_op ("PUT", "/api/v1/groups/1/nodes/1", NULL);

  ck_assert_msg (pull->status == 403, "%u %s", pull->status, pull->body);
  ck_assert_int_eq (lers_check_sql_int ("SELECT parent_id FROM territories WHERE id = 2"), -1);
  ck_assert_msg (own->status == 403, "%u %s", own->status, own->body);
  ck_assert_msg (devices->status == 403, "%u %s", devices->status, devices->body);
  ck_assert_msg (strstr (devices->body, "sees every node") != NULL, "%s", devices->body);
  ck_assert_msg (device_del->status == 403, "%u %s", device_del->status, device_del->body);
  ck_assert_int_eq (lers_check_sql_int ("SELECT count(*) FROM devices WHERE id = 4"), 1);
  ck_assert_msg (connections->status == 403, "%u %s", connections->status, connections->body);
  ck_assert_msg (sessions->status == 403, "%u %s", sessions->status, sessions->body);
  ck_assert_msg (rename->status == 403, "%u %s", rename->status, rename->body);
  ck_assert_msg (group_new->status == 403, "%u %s", group_new->status, group_new->body);
  ck_assert_msg (member->status == 403, "%u %s", member->status, member->body);
  ck_assert_int_eq (lers_check_sql_int ("SELECT count(*) FROM node_groups WHERE title = 'A'"), 1);
  ck_assert_int_eq (lers_check_sql_int ("SELECT count(*) FROM node_groups"), 1);
}
END_TEST

/* The poll queue: only its own points, all or nothing; the rest 403 */
START_TEST (test_poll_scoped)
{
  g_autoptr (PollResponse) other = as_op ("POST", "/api/v1/poll/jobs", "{\"points\":[5]}");
  g_autoptr (PollResponse) mixed = as_op ("POST", "/api/v1/poll/jobs", "{\"points\":[1,5]}");
  g_autoptr (PollResponse) mine = NULL;
  g_autoptr (PollResponse) jobs = as_op ("GET", "/api/v1/poll/jobs", NULL);
  g_autoptr (PollResponse) status = as_op ("GET", "/api/v1/poll/status", NULL);
  g_autoptr (PollResponse) links = as_op ("GET", "/api/v1/poll/links", NULL);
  g_autoptr (PollResponse) other_schedule = as_op ("GET", "/api/v1/points/5/schedule", NULL);
  g_autoptr (PollResponse) my_schedule = as_op ("GET", "/api/v1/points/1/schedule", NULL);

  poll_assert_error (other, 404, "not-found");
  poll_assert_error (mixed, 404, "not-found");
  ck_assert_int_eq (lers_check_sql_int ("SELECT count(*) FROM poll_jobs"), 0);
  mine = as_op ("POST", "/api/v1/poll/jobs", "{\"points\":[1]}");
  ck_assert_msg (mine->status == 202, "%u %s", mine->status, mine->body);
  ck_assert_int_gt (lers_check_sql_int ("SELECT count(*) FROM poll_jobs WHERE point_id = 1"), 0);
  ck_assert_int_eq (lers_check_sql_int ("SELECT count(*) FROM poll_jobs WHERE point_id <> 1"), 0);
  ck_assert_msg (jobs->status == 403, "%u %s", jobs->status, jobs->body);
  ck_assert_msg (status->status == 403, "%u %s", status->status, status->body);
  ck_assert_msg (links->status == 403, "%u %s", links->status, links->body);
  poll_assert_error (other_schedule, 404, "not-found");
  ck_assert_msg (my_schedule->status == 200, "%u %s", my_schedule->status, my_schedule->body);
}
END_TEST

/* Unscoped staff and the admin see all, as before */
START_TEST (test_unscoped_unchanged)
{
  g_autofree gchar *token = lers_check_http_user_token ("free-op", LERS_USER_ROLE_OPERATOR, NULL);
  g_autofree gchar *bearer = g_strdup_printf ("Bearer %s", token);
  g_autoptr (PollResponse) devices = poll_request_as ("GET", "/api/v1/devices", NULL, bearer);
  g_autoptr (PollResponse) jobs = poll_request_as ("GET", "/api/v1/poll/jobs", NULL, bearer);
  g_autoptr (PollResponse) schedule
      = poll_request_as ("GET", "/api/v1/points/5/schedule", NULL, bearer);
  g_autoptr (PollResponse) admin = poll_request ("GET", "/api/v1/territories", NULL);

  ck_assert_msg (devices->status == 200, "%u %s", devices->status, devices->body);
  ck_assert_msg (jobs->status == 200, "%u %s", jobs->status, jobs->body);
  ck_assert_msg (schedule->status == 200, "%u %s", schedule->status, schedule->body);
  ck_assert_msg (admin->status == 200, "%u %s", admin->status, admin->body);
}
END_TEST

static Suite *
scoped_suite (void)
{
  Suite *s = suite_create ("scoped-staff");
  TCase *tc = tcase_create ("http");

  tcase_set_timeout (tc, 120);
  tcase_add_unchecked_fixture (tc, lers_check_cluster_setup, lers_check_cluster_teardown);
  tcase_add_checked_fixture (tc, scoped_setup, scoped_teardown);
  tcase_add_test (tc, test_shared_objects_forbidden);
  tcase_add_test (tc, test_poll_scoped);
  tcase_add_test (tc, test_unscoped_unchanged);
  suite_add_tcase (s, tc);
  return s;
}

int
main (int argc, char **argv)
{
  lers_check_init (&argc, &argv);
  return lers_check_run_suite (scoped_suite ());
}
