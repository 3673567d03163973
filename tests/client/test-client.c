/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* LersClient against an in-process lersd on a throwaway PostgreSQL: what a
 * program using the library gets back (objects with the values the test
 * stored, errors with the server's message and a LERS_ERROR code). */
#include "config.h"

#include <check.h>
#include <lers.h>
#include <libsoup/soup.h>
#include <math.h>
#include <glib/gstdio.h>
#include <string.h>
#include <unistd.h>

#include "lers-check.h"
#include "lersd-server.h"

static LersdServer *server;
static LersClient *client;

static void
client_setup (void)
{
  g_autoptr (GError) error = NULL;
  g_autofree gchar *url = NULL;

  lers_check_store_setup ();
  server = lersd_server_new (lers_check_get_store ());
  ck_assert_msg (lersd_server_listen (server, "127.0.0.1:0", &error), "%s", error->message);
  url = g_strdup_printf ("http://127.0.0.1:%u", lersd_server_get_port (server));
  client = lers_client_new (url);
  {
    /* an administrator's API token, as `lers user token add` makes it */
    g_autoptr (LersAccounts) accounts = lers_accounts_new (lers_check_get_store ());
    g_autoptr (LersUser) admin
        = lers_accounts_add_user_sync (accounts, "admin", LERS_USER_ROLE_ADMIN, NULL, NULL, &error);
    g_autofree gchar *token = NULL;

    lers_check_assert_no_error (error);
    token = lers_accounts_create_session_sync (accounts, lers_user_get_id (admin),
                                               LERS_SESSION_KIND_TOKEN, "test-client", NULL, NULL,
                                               NULL, NULL, NULL, &error);
    lers_check_assert_no_error (error);
    lers_client_set_token (client, token);
  }
}

static void
client_teardown (void)
{
  g_clear_object (&client);
  if (server != NULL)
    lersd_server_disconnect (server);
  while (g_main_context_iteration (NULL, FALSE))
    ;
  g_clear_object (&server);
  lers_check_store_teardown ();
}

static void
result_cb (GObject *source, GAsyncResult *res, gpointer user_data)
{
  *(GAsyncResult **) user_data = g_object_ref (res);
}

/* Runs the main loop until @res is set */
static GAsyncResult *
wait_for (GAsyncResult **res)
{
  while (*res == NULL)
    g_main_context_iteration (NULL, TRUE);
  return *res;
}

static LersArchiveBatch *
get_archive (LersClient *c, gint64 point_id, GDateTime *from, GDateTime *to,
             GCancellable *cancellable, GError **error)
{
  g_autoptr (GAsyncResult) res = NULL;

  lers_client_get_archive_async (c, point_id, LERS_ARCHIVE_KIND_HOUR, from, to, cancellable,
                                 result_cb, &res);
  return lers_client_get_archive_finish (c, wait_for (&res), error);
}

/* 2026-11-24 @hour:00 UTC */
static GDateTime *
at (gint hour)
{
  return g_date_time_new_utc (2026, 11, 24, hour, 0, 0);
}

/* A node "Котельная" with a point "Отопление" and three hours:
 *
 *   10:00Z  T_in 71.3 degC      Q_in 0.097731728 Gcal (calculated)
 *   11:00Z  T_in NaN (bad)      Q_in 0.125 Gcal
 *   12:00Z  T_in 69.5 degC      (no Q_in)
 */
static gint64
seed_archive (void)
{
  LersStore *store = lers_check_get_store ();
  g_autoptr (LersNode) node = lers_node_new ();
  g_autoptr (LersMeasurePoint) point = lers_measure_point_new ();
  g_autoptr (GPtrArray) records = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr (GError) error = NULL;
  g_autoptr (GDateTime) t10 = at (10);
  g_autoptr (GDateTime) t11 = at (11);
  g_autoptr (GDateTime) t12 = at (12);
  LersRecord *r;

  lers_node_set_title (node, "Котельная");
  ck_assert (lers_store_save_node_sync (store, node, NULL, &error));
  g_object_set (point, "node-id", lers_node_get_id (node), "title", "Отопление", NULL);
  ck_assert (lers_store_save_measure_point_sync (store, point, NULL, &error));

  r = lers_record_new (t10, LERS_ARCHIVE_KIND_HOUR);
  lers_record_set_value (r, LERS_PARAMETER_T_IN, 71.3, 0);
  lers_record_set_value (r, LERS_PARAMETER_Q_IN, 0.097731728, LERS_VALUE_FLAG_CALCULATED);
  g_ptr_array_add (records, r);
  r = lers_record_new (t11, LERS_ARCHIVE_KIND_HOUR);
  lers_record_set_value (r, LERS_PARAMETER_T_IN, NAN, LERS_VALUE_FLAG_BAD);
  lers_record_set_value (r, LERS_PARAMETER_Q_IN, 0.125, 0);
  g_ptr_array_add (records, r);
  r = lers_record_new (t12, LERS_ARCHIVE_KIND_HOUR);
  lers_record_set_value (r, LERS_PARAMETER_T_IN, 69.5, 0);
  g_ptr_array_add (records, r);
  ck_assert_msg (lers_store_write_records_sync (store, lers_measure_point_get_id (point), records,
                                                NULL, &error),
                 "%s", error != NULL ? error->message : "");
  return lers_measure_point_get_id (point);
}

START_TEST (test_archive_values)
{
  gint64 point_id = seed_archive ();
  g_autoptr (GDateTime) from = at (0);
  g_autoptr (GDateTime) to = at (24);
  g_autoptr (GError) error = NULL;
  g_autoptr (LersArchiveBatch) batch = NULL;
  g_autoptr (GDateTime) ts0 = NULL;
  g_autoptr (GDateTime) ts2 = NULL;
  LersValueFlags flags = 0;

  batch = get_archive (client, point_id, from, to, NULL, &error);
  lers_check_assert_no_error (error);
  ck_assert_int_eq (lers_archive_batch_get_point_id (batch), point_id);
  ck_assert_int_eq (lers_archive_batch_get_kind (batch), LERS_ARCHIVE_KIND_HOUR);
  ck_assert_uint_eq (lers_archive_batch_get_n_rows (batch), 3);

  ts0 = lers_archive_batch_dup_timestamp (batch, 0);
  ts2 = lers_archive_batch_dup_timestamp (batch, 2);
  ck_assert_int_eq (g_date_time_to_unix (ts0), 1795521600 - 2 * 3600);
  /* 2026-11-24T12:00:00Z = 1795521600 (date -u -d 2026-11-24T12:00:00Z +%s) */
  ck_assert_int_eq (g_date_time_to_unix (ts2), 1795521600);

  /* exactly what was stored: the JSON's shortest form reads back exact */
  ck_assert (lers_archive_batch_get_value (batch, 0, LERS_PARAMETER_T_IN, &flags) == 71.3);
  ck_assert_uint_eq (flags, 0);
  ck_assert (lers_archive_batch_get_value (batch, 0, LERS_PARAMETER_Q_IN, &flags) == 0.097731728);
  ck_assert_uint_eq (flags, LERS_VALUE_FLAG_CALCULATED);
  /* not finite on the server: null with "bad" in the JSON */
  ck_assert (isnan (lers_archive_batch_get_value (batch, 1, LERS_PARAMETER_T_IN, &flags)));
  ck_assert (flags & LERS_VALUE_FLAG_BAD);
  ck_assert (lers_archive_batch_get_value (batch, 1, LERS_PARAMETER_Q_IN, &flags) == 0.125);
  ck_assert (lers_archive_batch_get_value (batch, 2, LERS_PARAMETER_T_IN, &flags) == 69.5);
  /* a value the record does not have */
  lers_archive_batch_get_value (batch, 2, LERS_PARAMETER_Q_IN, &flags);
  ck_assert (flags & LERS_VALUE_FLAG_MISSING);
}
END_TEST

/* The same rows as the store's own query: code moves between the two */
START_TEST (test_archive_same_as_store)
{
  gint64 point_id = seed_archive ();
  g_autoptr (GDateTime) from = at (11);
  g_autoptr (GDateTime) to = at (13);
  g_autoptr (GError) error = NULL;
  g_autoptr (LersArchiveBatch) remote = NULL;
  g_autoptr (LersArchiveBatch) local = NULL;

  remote = get_archive (client, point_id, from, to, NULL, &error);
  lers_check_assert_no_error (error);
  local = lers_store_query_archive_sync (lers_check_get_store (), point_id, LERS_ARCHIVE_KIND_HOUR,
                                         from, to, NULL, &error);
  lers_check_assert_no_error (error);
  ck_assert_uint_eq (lers_archive_batch_get_n_rows (remote), 2);
  ck_assert_uint_eq (lers_archive_batch_get_n_rows (local), 2);
  for (guint row = 0; row < 2; row++)
    {
      g_autoptr (LersRecord) a = lers_archive_batch_dup_record (remote, row);
      g_autoptr (LersRecord) b = lers_archive_batch_dup_record (local, row);

      ck_assert (g_date_time_equal (lers_record_get_timestamp (a), lers_record_get_timestamp (b)));
      ck_assert_uint_eq (lers_record_get_n_values (a), lers_record_get_n_values (b));
      for (guint i = 0; i < lers_record_get_n_values (a); i++)
        {
          LersParameter pa = 0, pb = 0;
          gdouble va = 0, vb = 0;
          LersValueFlags fa = 0, fb = 0;

          ck_assert (lers_record_get_value_at (a, i, &pa, &va, &fa));
          ck_assert (lers_record_get_value_at (b, i, &pb, &vb, &fb));
          ck_assert_int_eq (pa, pb);
          ck_assert ((isnan (va) && isnan (vb)) || va == vb);
          ck_assert_uint_eq (fa, fb);
        }
    }
}
END_TEST

START_TEST (test_not_found)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (LersArchiveBatch) batch = NULL;

  batch = get_archive (client, 987654, NULL, NULL, NULL, &error);
  ck_assert_ptr_null (batch);
  lers_check_assert_error (error, LERS_ERROR, LERS_ERROR_NOT_FOUND);
  /* the server's own message, not a status line */
  ck_assert_msg (strstr (error->message, "987654") != NULL, "%s", error->message);
}
END_TEST

START_TEST (test_bad_argument)
{
  gint64 point_id = seed_archive ();
  g_autoptr (GDateTime) from = at (12);
  g_autoptr (GDateTime) to = at (10);
  g_autoptr (GError) error = NULL;
  g_autoptr (LersArchiveBatch) batch = NULL;

  /* to before from: the server's 400 "from must be earlier than to" */
  lers_client_set_language (client, "en");
  batch = get_archive (client, point_id, from, to, NULL, &error);
  ck_assert_ptr_null (batch);
  lers_check_assert_error (error, LERS_ERROR, LERS_ERROR_INVALID_ARGUMENT);
  ck_assert_str_eq (error->message, "from must be earlier than to");
}
END_TEST

START_TEST (test_server_gone)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (LersArchiveBatch) batch = NULL;
  g_autofree gchar *url = g_strdup (lers_client_get_base_url (client));

  lersd_server_disconnect (server);
  g_clear_object (&server);
  while (g_main_context_iteration (NULL, FALSE))
    ;
  batch = get_archive (client, 1, NULL, NULL, NULL, &error);
  ck_assert_ptr_null (batch);
  lers_check_assert_error (error, LERS_ERROR, LERS_ERROR_CONNECTION);
  ck_assert_msg (strstr (error->message, url) != NULL, "%s", error->message);
}
END_TEST

/* Cancelled before it is sent */
START_TEST (test_cancel_before)
{
  g_autoptr (GCancellable) cancellable = g_cancellable_new ();
  g_autoptr (GError) error = NULL;
  g_autoptr (LersArchiveBatch) batch = NULL;
  g_autoptr (GAsyncResult) res = NULL;

  g_cancellable_cancel (cancellable);
  lers_client_get_archive_async (client, 1, LERS_ARCHIVE_KIND_HOUR, NULL, NULL, cancellable,
                                 result_cb, &res);
  batch = lers_client_get_archive_finish (client, wait_for (&res), &error);
  ck_assert_ptr_null (batch);
  lers_check_assert_error (error, LERS_ERROR, LERS_ERROR_CANCELLED);
}
END_TEST

static gboolean
cancel_on_incoming_cb (GSocketService *service, GSocketConnection *connection,
                       GObject *source_object, gpointer user_data)
{
  /* keep the connection open and silent; cancel now that the request
   * has reached the server */
  g_object_set_data_full (G_OBJECT (service), "connection", g_object_ref (connection),
                          g_object_unref);
  g_cancellable_cancel (user_data);
  return TRUE;
}

/* Cancelled while waiting for a server that never answers */
START_TEST (test_cancel_waiting)
{
  g_autoptr (GSocketService) silent = g_socket_service_new ();
  g_autoptr (GCancellable) cancellable = g_cancellable_new ();
  g_autoptr (GError) error = NULL;
  g_autoptr (GAsyncResult) res = NULL;
  g_autoptr (GPtrArray) nodes = NULL;
  g_autoptr (LersClient) c = NULL;
  g_autofree gchar *url = NULL;
  guint16 port;

  port = g_socket_listener_add_any_inet_port (G_SOCKET_LISTENER (silent), NULL, &error);
  lers_check_assert_no_error (error);
  g_signal_connect (silent, "incoming", G_CALLBACK (cancel_on_incoming_cb), cancellable);
  url = g_strdup_printf ("http://127.0.0.1:%u", port);
  c = lers_client_new (url);
  lers_client_list_nodes_async (c, NULL, 0, cancellable, result_cb, &res);
  nodes = lers_client_list_nodes_finish (c, wait_for (&res), &error);
  ck_assert_ptr_null (nodes);
  lers_check_assert_error (error, LERS_ERROR, LERS_ERROR_CANCELLED);
  g_socket_service_stop (silent);
  g_socket_listener_close (G_SOCKET_LISTENER (silent));
}
END_TEST

/* JSON → model, the inverse of the server's lersd_object_to_json() */
START_TEST (test_object_from_json)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (GObject) node = NULL;
  g_autoptr (GObject) job = NULL;
  g_autoptr (GObject) bad = NULL;

  node = lers_client_object_from_json (
      LERS_TYPE_NODE,
      "{\"id\": 3, \"title\": \"ИТП 1\", \"node_type\": \"node\", \"address\": null, "
      "\"latitude\": 43.1, \"groups\": [\"север\", \"школы\"], \"territory_id\": null, "
      "\"added_in_0_9\": true}",
      &error);
  lers_check_assert_no_error (error);
  ck_assert_int_eq (lers_node_get_id (LERS_NODE (node)), 3);
  ck_assert_str_eq (lers_node_get_title (LERS_NODE (node)), "ИТП 1");
  ck_assert_ptr_null (lers_node_get_address (LERS_NODE (node)));
  ck_assert (lers_node_get_latitude (LERS_NODE (node)) == 43.1);
  ck_assert_str_eq (lers_node_get_groups (LERS_NODE (node))[1], "школы");
  ck_assert_int_eq (lers_node_get_territory_id (LERS_NODE (node)), 0);

  job = lers_client_object_from_json (
      LERS_TYPE_POLL_JOB,
      "{\"id\": 9, \"point_id\": 4, \"kind\": \"day\", \"state\": \"failed\", "
      "\"from\": \"2026-11-24T00:00:00+10:00\", \"progress\": 0.5, \"attempts\": 2}",
      &error);
  lers_check_assert_no_error (error);
  ck_assert_int_eq (lers_poll_job_get_kind (LERS_POLL_JOB (job)), LERS_ARCHIVE_KIND_DAY);
  ck_assert_int_eq (lers_poll_job_get_state (LERS_POLL_JOB (job)), LERS_POLL_JOB_STATE_FAILED);
  ck_assert_int_eq (lers_poll_job_get_attempts (LERS_POLL_JOB (job)), 2);
  /* midnight at +10:00 is 14:00 UTC the day before */
  ck_assert_int_eq (g_date_time_to_unix (lers_poll_job_get_from (LERS_POLL_JOB (job))),
                    1795442400); /* date -u -d 2026-11-23T14:00:00Z +%s */

  bad = lers_client_object_from_json (LERS_TYPE_NODE, "{\"title\": 5}", &error);
  ck_assert_ptr_null (bad);
  lers_check_assert_error (error, LERS_ERROR, LERS_ERROR_INVALID_DATA);
  ck_assert_msg (strstr (error->message, "title") != NULL, "%s", error->message);
}
END_TEST

/* 250 nodes "Узел 001"…"Узел 250" */
static void
seed_nodes (void)
{
  LersStore *store = lers_check_get_store ();

  for (guint i = 1; i <= 250; i++)
    {
      g_autoptr (LersNode) node = lers_node_new ();
      g_autofree gchar *title = g_strdup_printf ("Узел %03u", i);
      g_autoptr (GError) error = NULL;

      lers_node_set_title (node, title);
      ck_assert (lers_store_save_node_sync (store, node, NULL, &error));
    }
}

static GPtrArray *
list_nodes (const gchar *filter, guint limit, GError **error)
{
  g_autoptr (GAsyncResult) res = NULL;

  lers_client_list_nodes_async (client, filter, limit, NULL, result_cb, &res);
  return lers_client_list_nodes_finish (client, wait_for (&res), error);
}

START_TEST (test_nodes_pages)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (GPtrArray) all = NULL;
  g_autoptr (GPtrArray) some = NULL;
  g_autoptr (GPtrArray) filtered = NULL;

  seed_nodes ();
  /* pages of 100: 100, 100, 50 */
  g_object_set (client, "page-size", 100, NULL);
  all = list_nodes ("order=-title", 0, &error);
  lers_check_assert_no_error (error);
  ck_assert_uint_eq (all->len, 250);
  for (guint i = 0; i < 250; i++)
    {
      g_autofree gchar *title = g_strdup_printf ("Узел %03u", 250 - i);
      ck_assert_str_eq (lers_node_get_title (g_ptr_array_index (all, i)), title);
    }

  /* a limit across pages: 100 + 20 */
  some = list_nodes ("order=title", 120, &error);
  lers_check_assert_no_error (error);
  ck_assert_uint_eq (some->len, 120);
  ck_assert_str_eq (lers_node_get_title (g_ptr_array_index (some, 119)), "Узел 120");

  /* a filter: "Узел 24_" is 240…249 */
  filtered = list_nodes ("title.like=%D0%A3%D0%B7%D0%B5%D0%BB%2024_&order=title", 0, &error);
  lers_check_assert_no_error (error);
  ck_assert_uint_eq (filtered->len, 10);
  ck_assert_str_eq (lers_node_get_title (g_ptr_array_index (filtered, 0)), "Узел 240");
}
END_TEST

START_TEST (test_bad_filter)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (GPtrArray) nodes = NULL;

  nodes = list_nodes ("colour=red", 0, &error);
  ck_assert_ptr_null (nodes);
  lers_check_assert_error (error, LERS_ERROR, LERS_ERROR_INVALID_ARGUMENT);
  ck_assert_msg (strstr (error->message, "colour") != NULL, "%s", error->message);
}
END_TEST

START_TEST (test_node_and_points)
{
  gint64 point_id = seed_archive ();
  g_autoptr (GError) error = NULL;
  g_autoptr (GAsyncResult) res = NULL;
  g_autoptr (GAsyncResult) res2 = NULL;
  g_autoptr (GAsyncResult) res3 = NULL;
  g_autoptr (GPtrArray) points = NULL;
  g_autoptr (LersNode) node = NULL;
  g_autoptr (LersNode) missing = NULL;
  LersMeasurePoint *point;

  lers_client_list_measure_points_async (client, 0, NULL, result_cb, &res);
  points = lers_client_list_measure_points_finish (client, wait_for (&res), &error);
  lers_check_assert_no_error (error);
  ck_assert_uint_eq (points->len, 1);
  point = g_ptr_array_index (points, 0);
  ck_assert_int_eq (lers_measure_point_get_id (point), point_id);
  ck_assert_str_eq (lers_measure_point_get_title (point), "Отопление");

  lers_client_get_node_async (client, lers_measure_point_get_node_id (point), NULL, result_cb,
                              &res2);
  node = lers_client_get_node_finish (client, wait_for (&res2), &error);
  lers_check_assert_no_error (error);
  ck_assert_str_eq (lers_node_get_title (node), "Котельная");

  lers_client_get_node_async (client, 987654, NULL, result_cb, &res3);
  missing = lers_client_get_node_finish (client, wait_for (&res3), &error);
  ck_assert_ptr_null (missing);
  lers_check_assert_error (error, LERS_ERROR, LERS_ERROR_NOT_FOUND);
}
END_TEST

START_TEST (test_token_file)
{
  g_autoptr (GError) error = NULL;
  g_autofree gchar *path = NULL;
  g_autofree gchar *empty = NULL;
  gint fd;

  fd = g_file_open_tmp ("lers-token-XXXXXX", &path, &error);
  lers_check_assert_no_error (error);
  ck_assert (write (fd, "  abc123\n", 9) == 9);
  close (fd);
  ck_assert (lers_client_set_token_from_file (client, path, &error));
  ck_assert_str_eq (lers_client_get_token (client), "abc123");
  g_unlink (path);

  fd = g_file_open_tmp ("lers-token-XXXXXX", &empty, &error);
  close (fd);
  ck_assert (!lers_client_set_token_from_file (client, empty, &error));
  lers_check_assert_error (error, LERS_ERROR, LERS_ERROR_INVALID_ARGUMENT);
  g_clear_error (&error);
  ck_assert (!lers_client_set_token_from_file (client, path, &error));
  lers_check_assert_error (error, LERS_ERROR, LERS_ERROR_NOT_FOUND);
  g_unlink (empty);
  /* a failed read leaves the token as it was */
  ck_assert_str_eq (lers_client_get_token (client), "abc123");

  /* a token that would end the header and start another is never sent */
  {
    g_autoptr (GAsyncResult) res = NULL;
    g_autoptr (GPtrArray) points = NULL;

    g_clear_error (&error);
    lers_client_set_token (client, "abc\r\nX-Evil: 1");
    lers_client_list_measure_points_async (client, 0, NULL, result_cb, &res);
    points = lers_client_list_measure_points_finish (client, wait_for (&res), &error);
    ck_assert_ptr_null (points);
    lers_check_assert_error (error, LERS_ERROR, LERS_ERROR_INVALID_ARGUMENT);
  }
}
END_TEST

/* A user "ivanova" (operator) with a password, made as `lers user add`
 * makes it */
static LersUser *
add_user (void)
{
  g_autoptr (LersAccounts) accounts = lers_accounts_new (lers_check_get_store ());
  g_autoptr (GError) error = NULL;
  LersUser *user = lers_accounts_add_user_sync (accounts, "ivanova", LERS_USER_ROLE_OPERATOR,
                                                "Верный пароль 1", NULL, &error);

  lers_check_assert_no_error (error);
  return user;
}

static LersUser *
login (const gchar *name, const gchar *password, GError **error)
{
  g_autoptr (GAsyncResult) res = NULL;

  lers_client_login_async (client, name, password, NULL, result_cb, &res);
  return lers_client_login_finish (client, wait_for (&res), error);
}

START_TEST (test_login)
{
  g_autoptr (LersUser) stored = add_user ();
  g_autoptr (LersUser) user = NULL;
  g_autoptr (GError) error = NULL;
  g_autofree gchar *secret_sql = NULL;
  g_autoptr (GPtrArray) points = NULL;
  g_autoptr (GAsyncResult) res = NULL;

  user = login ("ivanova", "Верный пароль 1", &error);
  lers_check_assert_no_error (error);
  ck_assert_int_eq (lers_user_get_id (user), lers_user_get_id (stored));
  ck_assert_str_eq (lers_user_get_login (user), "ivanova");
  ck_assert_int_eq (lers_user_get_role (user), LERS_USER_ROLE_OPERATOR);
  ck_assert (lers_user_get_enabled (user));
  /* a token titled "LersClient" now in user_sessions, and the client uses it */
  ck_assert_ptr_nonnull (lers_client_get_token (client));
  ck_assert_int_eq (lers_check_sql_int ("select count(*) from user_sessions"
                                        " where kind = 1 and title = 'LersClient'"),
                    1);
  /* the token the client now sends is that one: its SHA-256 is stored */
  ck_assert (strspn (lers_client_get_token (client),
                     "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_")
             == strlen (lers_client_get_token (client)));
  secret_sql = g_strdup_printf ("select count(*) from user_sessions where title = 'LersClient'"
                                " and user_id = %" G_GINT64_FORMAT " and secret_hash ="
                                " sha256(convert_to('%s', 'UTF8'))",
                                lers_user_get_id (stored), lers_client_get_token (client));
  ck_assert_int_eq (lers_check_sql_int (secret_sql), 1);
  lers_client_list_measure_points_async (client, 0, NULL, result_cb, &res);
  points = lers_client_list_measure_points_finish (client, wait_for (&res), &error);
  lers_check_assert_no_error (error);
}
END_TEST

START_TEST (test_login_wrong)
{
  g_autoptr (LersUser) stored = add_user ();
  g_autoptr (LersUser) user = NULL;
  g_autoptr (GError) error = NULL;

  user = login ("ivanova", "неверный пароль", &error);
  ck_assert_ptr_null (user);
  lers_check_assert_error (error, LERS_ERROR, LERS_ERROR_PERMISSION_DENIED);
  /* the server's sentence, not the status line the client makes up */
  ck_assert_msg (!g_str_has_prefix (error->message, "The server answered"), "%s", error->message);
  /* the administrator's token is kept; no new one */
  ck_assert_ptr_nonnull (lers_client_get_token (client));
  ck_assert_int_eq (lers_check_sql_int ("select count(*) from user_sessions"
                                        " where title = 'LersClient'"),
                    0);
}
END_TEST

/* A request with a token the server does not know */
START_TEST (test_bad_token)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (GPtrArray) points = NULL;
  g_autoptr (GAsyncResult) res = NULL;

  lers_client_set_token (client, "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA");
  lers_client_list_measure_points_async (client, 0, NULL, result_cb, &res);
  points = lers_client_list_measure_points_finish (client, wait_for (&res), &error);
  ck_assert_ptr_null (points);
  lers_check_assert_error (error, LERS_ERROR, LERS_ERROR_PERMISSION_DENIED);
}
END_TEST

/* GET /api/v1/openapi.json's info, without a login */
START_TEST (test_server_info)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (GVariant) info = NULL;
  g_autoptr (GAsyncResult) res = NULL;
  const gchar *version = NULL;

  lers_client_get_server_info_async (client, NULL, result_cb, &res);
  info = lers_client_get_server_info_finish (client, wait_for (&res), &error);
  lers_check_assert_no_error (error);
  ck_assert (g_variant_lookup (info, "version", "&s", &version));
  /* as daemon/openapi/base.json says */
  ck_assert_str_eq (version, "0.5");
  ck_assert (g_variant_lookup (info, "title", "&s", &version));
  ck_assert_str_eq (version, "LERS API");
}
END_TEST

/* Two hourly points on two TCP links, each with an M-Bus device (ids
 * given, as tests/daemon/poll-test-util.h does) */
static void
seed_pollable (void)
{
  lers_check_sql_exec ("INSERT INTO nodes (id, title) VALUES (1, 'ИТП 1')");
  lers_check_sql_exec ("INSERT INTO connections (id, kind, host, port) VALUES "
                       "(1, 0, '127.0.0.1', 15001), (2, 0, '127.0.0.1', 15002)");
  lers_check_sql_exec ("INSERT INTO devices (id, protocol, serial_number, network_address, "
                       "connection_id, password) VALUES (1, 'mbus', '10000002', '2', 2, 'секрет'), "
                       "(2, 'mbus', '10000001', '1', 1, NULL)");
  lers_check_sql_exec ("INSERT INTO measure_points (id, node_id, title, device_id, poll_interval) "
                       "VALUES (1, 1, 'Отопление', 1, 3600), (2, 1, 'ГВС', 2, 3600)");
}

START_TEST (test_poll_and_jobs)
{
  const gint64 points[] = { 1, 2 };
  const LersArchiveKind kinds[] = { LERS_ARCHIVE_KIND_HOUR, LERS_ARCHIVE_KIND_DAY };
  g_autoptr (GError) error = NULL;
  g_autoptr (GAsyncResult) res = NULL;
  g_autoptr (GAsyncResult) res2 = NULL;
  g_autoptr (GPtrArray) queued = NULL;
  g_autoptr (GPtrArray) listed = NULL;
  gint64 sum_queued = 0, sum_listed = 0;

  seed_pollable ();
  lers_client_poll_async (client, points, 2, kinds, 2, NULL, result_cb, &res);
  queued = lers_client_poll_finish (client, wait_for (&res), &error);
  lers_check_assert_no_error (error);
  /* 2 points × 2 kinds, queued, as the rows say */
  ck_assert_uint_eq (queued->len, 4);
  ck_assert_int_eq (lers_check_sql_int ("select count(*) from poll_jobs where state = 0"
                                        " and point_id in (1, 2) and kind in (1, 2)"),
                    4);
  for (guint i = 0; i < queued->len; i++)
    {
      LersPollJob *job = g_ptr_array_index (queued, i);

      ck_assert_int_eq (lers_poll_job_get_state (job), LERS_POLL_JOB_STATE_QUEUED);
      ck_assert (lers_poll_job_get_point_id (job) == 1 || lers_poll_job_get_point_id (job) == 2);
      sum_queued += lers_poll_job_get_id (job);
    }

  /* pages of 3: the client follows the jobs' own cursor */
  g_object_set (client, "page-size", 3, NULL);
  lers_client_list_poll_jobs_async (client, NULL, 0, NULL, result_cb, &res2);
  listed = lers_client_list_poll_jobs_finish (client, wait_for (&res2), &error);
  lers_check_assert_no_error (error);
  ck_assert_uint_eq (listed->len, 4);
  for (guint i = 0; i < listed->len; i++)
    sum_listed += lers_poll_job_get_id (g_ptr_array_index (listed, i));
  ck_assert_int_eq (sum_listed, sum_queued);
  ck_assert_int_eq (sum_listed, lers_check_sql_int ("select sum(id) from poll_jobs"));
}
END_TEST

START_TEST (test_devices)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (GAsyncResult) res = NULL;
  g_autoptr (GPtrArray) devices = NULL;

  seed_pollable ();
  lers_client_list_devices_async (client, "order=serial_number", 0, NULL, result_cb, &res);
  devices = lers_client_list_devices_finish (client, wait_for (&res), &error);
  lers_check_assert_no_error (error);
  ck_assert_uint_eq (devices->len, 2);
  ck_assert_str_eq (lers_device_get_serial_number (g_ptr_array_index (devices, 0)), "10000001");
  ck_assert_int_eq (lers_device_get_id (g_ptr_array_index (devices, 0)), 2);
  ck_assert_str_eq (lers_device_get_serial_number (g_ptr_array_index (devices, 1)), "10000002");
  /* the server never sends a device's password */
  ck_assert_ptr_null (lers_device_get_password (g_ptr_array_index (devices, 1)));
}
END_TEST

/* A server that answers every path with a canned status and body */
static const struct
{
  const gchar *path;
  guint status;
  const gchar *body;
  LersError code;
} hostile[] = {
  { "/api/v1/nodes", 200, "{\"items\": 5}", LERS_ERROR_INVALID_DATA },
  { "/api/v1/nodes", 200, "{\"items\": [1, \"x\", null]}", LERS_ERROR_INVALID_DATA },
  { "/api/v1/nodes", 200, "{\"items\": [{\"title\": {\"a\": 1}}]}", LERS_ERROR_INVALID_DATA },
  { "/api/v1/nodes", 200, "{\"items\": [{\"latitude\": 1000}]}", LERS_ERROR_INVALID_DATA },
  { "/api/v1/nodes", 200, "{\"items\": [{\"node_type\": \"castle\"}]}", LERS_ERROR_INVALID_DATA },
  { "/api/v1/nodes", 200, "<html>proxy login</html>", LERS_ERROR_INVALID_DATA },
  { "/api/v1/nodes", 500, "{\"error\": \"x\"}", LERS_ERROR_FAILED },
  { "/api/v1/nodes", 502, "", LERS_ERROR_CONNECTION },
  { "/api/v1/nodes", 429, "{\"error\": {\"code\": 7}}", LERS_ERROR_BUSY },
  { "/api/v1/points/1/archive", 200, "{\"records\": [5]}", LERS_ERROR_INVALID_DATA },
  { "/api/v1/points/1/archive", 200,
    "{\"records\": [{\"timestamp\": \"yesterday\", \"values\": []}]}", LERS_ERROR_INVALID_DATA },
  { "/api/v1/points/1/archive", 200, "[]", LERS_ERROR_INVALID_DATA },
};

static guint hostile_case;

static void
hostile_cb (SoupServer *soup, SoupServerMessage *msg, const char *path, GHashTable *query,
            gpointer user_data)
{
  soup_server_message_set_status (msg, hostile[hostile_case].status, NULL);
  soup_server_message_set_response (msg, "application/json", SOUP_MEMORY_STATIC,
                                    hostile[hostile_case].body,
                                    strlen (hostile[hostile_case].body));
}

START_TEST (test_hostile_answers)
{
  g_autoptr (SoupServer) soup = soup_server_new (NULL, NULL);
  g_autoptr (GError) error = NULL;
  g_autoptr (GSList) uris = NULL;
  g_autoptr (LersClient) c = NULL;
  g_autofree gchar *url = NULL;

  soup_server_add_handler (soup, NULL, hostile_cb, NULL, NULL);
  ck_assert (soup_server_listen_local (soup, 0, SOUP_SERVER_LISTEN_IPV4_ONLY, &error));
  uris = soup_server_get_uris (soup);
  url = g_strdup_printf ("http://127.0.0.1:%d", g_uri_get_port (uris->data));
  g_slist_free_full (g_steal_pointer (&uris), (GDestroyNotify) g_uri_unref);
  c = lers_client_new (url);
  for (hostile_case = 0; hostile_case < G_N_ELEMENTS (hostile); hostile_case++)
    {
      g_autoptr (GAsyncResult) res = NULL;
      g_autoptr (GError) local_error = NULL;
      gpointer result;

      if (g_str_has_suffix (hostile[hostile_case].path, "/archive"))
        {
          lers_client_get_archive_async (c, 1, LERS_ARCHIVE_KIND_HOUR, NULL, NULL, NULL, result_cb,
                                         &res);
          result = lers_client_get_archive_finish (c, wait_for (&res), &local_error);
        }
      else
        {
          lers_client_list_nodes_async (c, NULL, 0, NULL, result_cb, &res);
          result = lers_client_list_nodes_finish (c, wait_for (&res), &local_error);
        }
      ck_assert_msg (result == NULL, "%s", hostile[hostile_case].body);
      ck_assert_msg (local_error != NULL && local_error->domain == LERS_ERROR
                         && local_error->code == (gint) hostile[hostile_case].code,
                     "%s: %s", hostile[hostile_case].body,
                     local_error != NULL ? local_error->message : "no error");
    }
  soup_server_disconnect (soup);
}
END_TEST

int
main (int argc, char **argv)
{
  Suite *s = suite_create ("client");
  TCase *tc = tcase_create ("client");

  lers_check_init (&argc, &argv);
  tcase_add_unchecked_fixture (tc, lers_check_cluster_setup, lers_check_cluster_teardown);
  tcase_add_checked_fixture (tc, client_setup, client_teardown);
  tcase_set_timeout (tc, 120);
  tcase_add_test (tc, test_archive_values);
  tcase_add_test (tc, test_archive_same_as_store);
  tcase_add_test (tc, test_not_found);
  tcase_add_test (tc, test_bad_argument);
  tcase_add_test (tc, test_server_gone);
  tcase_add_test (tc, test_cancel_before);
  tcase_add_test (tc, test_cancel_waiting);
  tcase_add_test (tc, test_object_from_json);
  tcase_add_test (tc, test_nodes_pages);
  tcase_add_test (tc, test_bad_filter);
  tcase_add_test (tc, test_node_and_points);
  tcase_add_test (tc, test_token_file);
  tcase_add_test (tc, test_login);
  tcase_add_test (tc, test_login_wrong);
  tcase_add_test (tc, test_bad_token);
  tcase_add_test (tc, test_server_info);
  tcase_add_test (tc, test_poll_and_jobs);
  tcase_add_test (tc, test_devices);
  tcase_add_test (tc, test_hostile_answers);
  suite_add_tcase (s, tc);
  return lers_check_run_suite (s);
}
