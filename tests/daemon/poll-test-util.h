/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

/* What test-poll-api.c and test-metrics.c share: an in-process lersd on
 * 127.0.0.1 port 0 with a libsoup client that sends any method and body,
 * and the hand-built polling situation both check. Static functions: each
 * test program includes this once. */

#include <check.h>
#include <json-glib/json-glib.h>
#include <libsoup/soup.h>
#include <lers.h>
#include <string.h>

#include "lers-check-http.h"
#include "lers-check.h"
#include "lersd-server.h"

typedef struct
{
  LersdServer *server;
  SoupSession *session;
  guint port;
  gchar *token; /* an admin's API token: every request carries it */
} PollFixture;

static PollFixture pfx;

typedef struct
{
  guint status;
  gchar *content_type;
  gchar *allow;
  gchar *body;
} PollResponse;

static void
poll_response_free (PollResponse *r)
{
  g_free (r->content_type);
  g_free (r->allow);
  g_free (r->body);
  g_free (r);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (PollResponse, poll_response_free)

static void
poll_result_cb (GObject *source, GAsyncResult *res, gpointer user_data)
{
  *(GAsyncResult **) user_data = g_object_ref (res);
}

/* @method @target (path and query) with @body (NULL: none) as JSON, as
 * @authorization says (NULL: the admin's token, "": no credentials) */
static PollResponse *
poll_request_as (const gchar *method, const gchar *target, const gchar *body,
                 const gchar *authorization)
{
  g_autofree gchar *url = g_strdup_printf ("http://127.0.0.1:%u%s", pfx.port, target);
  g_autoptr (SoupMessage) msg = soup_message_new (method, url);
  g_autoptr (GAsyncResult) res = NULL;
  g_autoptr (GError) error = NULL;
  g_autoptr (GBytes) bytes = NULL;
  PollResponse *r = g_new0 (PollResponse, 1);
  SoupMessageHeaders *headers;

  ck_assert_msg (msg != NULL, "libsoup cannot parse %s", url);
  if (authorization != NULL)
    soup_message_headers_replace (soup_message_get_request_headers (msg), "Authorization",
                                  authorization);
  if (body != NULL)
    {
      g_autoptr (GBytes) request = g_bytes_new (body, strlen (body));
      soup_message_set_request_body_from_bytes (msg, "application/json", request);
    }
  soup_session_send_and_read_async (pfx.session, msg, G_PRIORITY_DEFAULT, NULL, poll_result_cb,
                                    &res);
  while (res == NULL)
    g_main_context_iteration (NULL, TRUE);
  bytes = soup_session_send_and_read_finish (pfx.session, res, &error);
  lers_check_assert_no_error (error);
  r->status = soup_message_get_status (msg);
  headers = soup_message_get_response_headers (msg);
  r->content_type = g_strdup (soup_message_headers_get_one (headers, "Content-Type"));
  r->allow = g_strdup (soup_message_headers_get_one (headers, "Allow"));
  r->body = g_strndup (g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes));
  return r;
}

/* @method @target with @body (NULL: none) as JSON, as the admin */
static PollResponse *
poll_request (const gchar *method, const gchar *target, const gchar *body)
{
  return poll_request_as (method, target, body, NULL);
}

/* The body as JSON; fails the test if it is not */
static JsonNode *
poll_response_json (PollResponse *r)
{
  g_autoptr (JsonParser) parser = json_parser_new ();
  g_autoptr (GError) error = NULL;

  ck_assert_msg (json_parser_load_from_data (parser, r->body, -1, &error), "not JSON: %s", r->body);
  return json_node_copy (json_parser_get_root (parser));
}

/* Fails unless @r is a JSON error with @status and @code */
static void
poll_assert_error (PollResponse *r, guint status, const gchar *code)
{
  g_autoptr (JsonNode) root = NULL;
  JsonObject *error;

  ck_assert_msg (r->status == status, "expected %u, got %u: %s", status, r->status, r->body);
  root = poll_response_json (r);
  ck_assert (JSON_NODE_HOLDS_OBJECT (root));
  error = json_object_get_object_member (json_node_get_object (root), "error");
  ck_assert_msg (error != NULL, "%s", r->body);
  ck_assert_str_eq (json_object_get_string_member (error, "code"), code);
  ck_assert (strlen (json_object_get_string_member (error, "message")) > 0);
}

static void
poll_true_cb (gpointer user_data)
{
  *(gboolean *) user_data = TRUE;
}

static void
poll_server_start (void)
{
  g_autoptr (GError) error = NULL;

  pfx.server = lersd_server_new (lers_check_get_store ());
  ck_assert_msg (lersd_server_listen (pfx.server, "127.0.0.1:0", &error), "%s", error->message);
  pfx.port = lersd_server_get_port (pfx.server);
  ck_assert_uint_ne (pfx.port, 0);
  pfx.session = soup_session_new_with_options ("proxy-resolver", NULL, "timeout", 30, NULL);
  pfx.token = lers_check_http_admin_token ();
  lers_check_http_authorize (pfx.session, pfx.token);
}

static void
poll_server_stop (void)
{
  gboolean done = FALSE;

  g_clear_object (&pfx.session);
  g_timeout_add_once (50, poll_true_cb, &done);
  while (!done)
    g_main_context_iteration (NULL, TRUE);
  lersd_server_disconnect (pfx.server);
  g_clear_object (&pfx.server);
  g_clear_pointer (&pfx.token, g_free);
  while (g_main_context_iteration (NULL, FALSE))
    ;
}

/* One territory on Europe/Moscow (UTC+3 all year), one node, three TCP
 * links each with one device and one hourly point (points 1, 2, 4 on
 * links 1, 2, 3), and point 3 without a device. */
static void
poll_seed_points (void)
{
  lers_check_sql_exec ("INSERT INTO territories (id, title, timezone) VALUES "
                       "(1, 'Москва', 'Europe/Moscow')");
  lers_check_sql_exec ("INSERT INTO nodes (id, territory_id, title) VALUES (1, 1, 'ИТП 1')");
  lers_check_sql_exec ("INSERT INTO connections (id, kind, host, port) VALUES "
                       "(1, 0, '127.0.0.1', 15001), (2, 0, '127.0.0.1', 15002), "
                       "(3, 0, '127.0.0.1', 15003)");
  lers_check_sql_exec ("INSERT INTO devices (id, protocol, serial_number, network_address, "
                       "connection_id) VALUES (1, 'mbus', '10000001', '1', 1), "
                       "(2, 'mbus', '10000002', '2', 2), (3, 'mbus', '10000003', '3', 3)");
  lers_check_sql_exec ("INSERT INTO measure_points (id, node_id, title, device_id, poll_interval) "
                       "VALUES (1, 1, 'Отопление', 1, 3600), (2, 1, 'ГВС', 2, 3600), "
                       "(3, 1, 'Без прибора', NULL, 0), (4, 1, 'ХВС', 3, 3600)");
}

/* The situation the status and the metrics are checked against (lease 60 s),
 * over poll_seed_points():
 *
 *   services  north     authorised, heartbeat 10 s ago, 8 ports, 120 done, 3 failed  → running
 *             south     not authorised, never started                                → pending
 *             east      authorised, stopped an hour ago, 7 done, 1 failed            → stopped
 *             dead "x"\y authorised, heartbeat 300 s ago, 16 ports, 50 done, 2 failed → dead
 *   ports     8 (north's), 1 busy (link 1 leased to north), 7 free
 *   links     3 with points: 1 active (north), 2 blocked for 10 min, 3 free
 *   jobs      point 1 running (north); point 2 queued, due 120 s ago; point 4 queued,
 *             due in an hour → 2 queued, 1 due, 1 running; oldest due 120 s late
 *             finished in 24 h: 2 done (1 h ago), 1 failed (2 h ago); 1 done 2 days
 *             ago is not counted
 */
G_GNUC_UNUSED static void
poll_seed_situation (void)
{
  lers_check_sql_exec (
      "INSERT INTO poll_services (name, token_hash, authorised, host, version, max_links, "
      "started_at, heartbeat_at, stopped_at, jobs_done, jobs_failed) VALUES "
      "('north', sha256(convert_to('north-token', 'UTF8')), true, 'poll1', '0.4.0', 8, "
      " now() - interval '1 hour', now() - interval '10 seconds', NULL, 120, 3), "
      "('south', sha256(convert_to('south-token', 'UTF8')), false, 'poll2', '0.4.0', 4, "
      " NULL, NULL, NULL, 0, 0), "
      "('east', sha256(convert_to('east-token', 'UTF8')), true, 'poll3', '0.4.0', 4, "
      " now() - interval '3 hours', now() - interval '1 hour', now() - interval '1 hour', 7, 1), "
      "(E'dead \"x\"\\\\y', sha256(convert_to('dead-token', 'UTF8')), true, 'poll4', '0.4.0', "
      " 16, now() - interval '3 hours', now() - interval '300 seconds', NULL, 50, 2)");
  lers_check_sql_exec (
      "INSERT INTO poll_links (connection_id, lease_owner, lease_until, blocked_until, failures, "
      "last_error) VALUES "
      "(1, (SELECT id FROM poll_services WHERE name = 'north'), now() + interval '60 seconds', "
      " NULL, 0, NULL), "
      "(2, NULL, NULL, now() + interval '10 minutes', 3, 'No answer from 127.0.0.1:15002'), "
      "(3, NULL, NULL, NULL, 0, NULL)");
  lers_check_sql_exec (
      "INSERT INTO poll_jobs (connection_id, point_id, kind, priority, state, due_at, attempts, "
      "service_id, started_at, finished_at, records) VALUES "
      "(1, 1, 1, 3, 1, now() - interval '40 seconds', 1, "
      " (SELECT id FROM poll_services WHERE name = 'north'), now() - interval '30 seconds', NULL, "
      "0), "
      "(2, 2, 1, 3, 0, now() - interval '120 seconds', 0, NULL, NULL, NULL, 0), "
      "(3, 4, 1, 3, 0, now() + interval '1 hour', 0, NULL, NULL, NULL, 0), "
      "(1, 1, 2, 3, 2, now() - interval '2 hours', 1, NULL, now() - interval '61 minutes', "
      " now() - interval '1 hour', 1), "
      "(3, 4, 2, 3, 2, now() - interval '2 hours', 1, NULL, now() - interval '61 minutes', "
      " now() - interval '1 hour', 1), "
      "(2, 2, 2, 3, 3, now() - interval '3 hours', 5, NULL, now() - interval '121 minutes', "
      " now() - interval '2 hours', 0), "
      "(1, 1, 3, 3, 2, now() - interval '3 days', 1, NULL, now() - interval '2 days', "
      " now() - interval '2 days', 1)");
}
