/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* lersd when the database is having a bad day: a table locked by someone
 * else. lersd's server runs in-process on 127.0.0.1 port 0 against a
 * throwaway PostgreSQL; the lock is held by a second, plain libpq
 * connection; the store's backends are watched in pg_stat_activity. */
#include "config.h"

#include <check.h>
#include <json-glib/json-glib.h>
#include <libpq-fe.h>
#include <libsoup/soup.h>
#include <lers.h>
#include <string.h>

#include "lers-check-http.h"
#include "lers-check.h"
#include "lersd-server.h"

/* The store's own backends in this test's database (lers names them "lers"). */
#define OUR_WAITERS                                                                                \
  "SELECT count(*) FROM pg_stat_activity WHERE application_name = 'lers'"                          \
  " AND datname = current_database() AND wait_event_type = 'Lock'"

static LersdServer *server;
static SoupSession *session;
static guint port;
static gint64 point_id;
static PGconn *holder;
static gchar *token; /* an admin's API token: every request carries it */

static void
result_cb (GObject *source, GAsyncResult *res, gpointer user_data)
{
  *(GAsyncResult **) user_data = g_object_ref (res);
}

static GAsyncResult *
wait_result (GAsyncResult **slot)
{
  while (*slot == NULL)
    g_main_context_iteration (NULL, TRUE);
  return *slot;
}

/* Runs @sql on @conn; returns the first field as a number (or 0). */
static gint64
sql_on (PGconn *conn, const gchar *sql)
{
  PGresult *res = PQexec (conn, sql);
  gint64 v = 0;

  ck_assert_msg (PQresultStatus (res) == PGRES_COMMAND_OK
                     || PQresultStatus (res) == PGRES_TUPLES_OK,
                 "%s: %s", sql, PQresultErrorMessage (res));
  if (PQresultStatus (res) == PGRES_TUPLES_OK && PQntuples (res) > 0)
    v = g_ascii_strtoll (PQgetvalue (res, 0, 0), NULL, 10);
  PQclear (res);
  return v;
}

static gint64
sql_fresh (const gchar *sql)
{
  PGconn *conn = PQconnectdb (lers_check_get_uri ());
  gint64 v;

  ck_assert_msg (PQstatus (conn) == CONNECTION_OK, "%s", PQerrorMessage (conn));
  v = sql_on (conn, sql);
  PQfinish (conn);
  return v;
}

static void
setup (void)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (LersMeasurePoint) point = lers_measure_point_new ();
  g_autoptr (GPtrArray) records = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr (GDateTime) ts = g_date_time_new_utc (2026, 11, 1, 0, 0, 0);
  LersRecord *record;
  LersStore *store;

  lers_check_store_setup ();
  store = lers_check_get_store ();
  g_object_set (point, "title", "Отопление", NULL);
  ck_assert (lers_store_save_sync (store, G_OBJECT (point), NULL, &error));
  point_id = lers_measure_point_get_id (point);
  record = lers_record_new (ts, LERS_ARCHIVE_KIND_HOUR);
  lers_record_set_value (record, LERS_PARAMETER_T_IN, 70.0, LERS_VALUE_FLAG_NONE);
  g_ptr_array_add (records, record);
  ck_assert (lers_store_write_records_sync (store, point_id, records, NULL, &error));

  server = lersd_server_new (store);
  ck_assert_msg (lersd_server_listen (server, "127.0.0.1:0", &error), "%s", error->message);
  port = lersd_server_get_port (server);
  session = soup_session_new_with_options ("proxy-resolver", NULL, "timeout", 60, NULL);
  token = lers_check_http_admin_token ();
  lers_check_http_authorize (session, token);

  /* someone else holds the archive */
  holder = PQconnectdb (lers_check_get_uri ());
  ck_assert (PQstatus (holder) == CONNECTION_OK);
  sql_on (holder, "BEGIN");
  sql_on (holder, "LOCK TABLE archive IN ACCESS EXCLUSIVE MODE");
}

static void
teardown (void)
{
  g_clear_pointer (&holder, PQfinish);
  g_clear_object (&session);
  g_clear_pointer (&token, g_free);
  if (server != NULL)
    lersd_server_disconnect (server);
  g_clear_object (&server);
  while (g_main_context_iteration (NULL, FALSE))
    ;
  lers_check_store_teardown ();
}

static gchar *
archive_target (void)
{
  return g_strdup_printf ("/api/v1/points/%" G_GINT64_FORMAT
                          "/archive?kind=hour&from=2026-11-01T00:00:00Z&to=2026-11-02T00:00:00Z",
                          point_id);
}

/* GET @target; returns the status, and the body and Retry-After if asked. */
static guint
http_get (const gchar *target, gchar **body, gchar **retry_after)
{
  g_autofree gchar *url = g_strdup_printf ("http://127.0.0.1:%u%s", port, target);
  g_autoptr (SoupMessage) msg = soup_message_new ("GET", url);
  g_autoptr (GAsyncResult) res = NULL;
  g_autoptr (GError) error = NULL;
  g_autoptr (GBytes) bytes = NULL;

  soup_session_send_and_read_async (session, msg, G_PRIORITY_DEFAULT, NULL, result_cb, &res);
  bytes = soup_session_send_and_read_finish (session, wait_result (&res), &error);
  ck_assert_msg (bytes != NULL, "GET %s: %s", target, error != NULL ? error->message : "");
  if (body != NULL)
    *body = g_strndup (g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes));
  if (retry_after != NULL)
    *retry_after = g_strdup (
        soup_message_headers_get_one (soup_message_get_response_headers (msg), "Retry-After"));
  return soup_message_get_status (msg);
}

START_TEST (test_locked_archive_is_busy)
{
  g_autofree gchar *target = archive_target ();
  g_autofree gchar *body = NULL;
  g_autofree gchar *retry_after = NULL;
  g_autoptr (JsonNode) json = NULL;
  JsonObject *err;
  gint64 t0, elapsed;
  guint status;

  /* the read bound (2 s lock wait, the table in lers-store.c) runs out */
  t0 = g_get_monotonic_time ();
  status = http_get (target, &body, &retry_after);
  elapsed = g_get_monotonic_time () - t0;
  ck_assert_uint_eq (status, 503);
  ck_assert_msg (retry_after != NULL && g_strcmp0 (retry_after, "2") == 0, "Retry-After: %s",
                 retry_after);
  ck_assert_msg (elapsed >= 1900000 && elapsed < 10000000, "answered after %" G_GINT64_FORMAT " us",
                 elapsed);
  json = json_from_string (body, NULL);
  ck_assert_msg (json != NULL && JSON_NODE_HOLDS_OBJECT (json), "%s", body);
  err = json_object_get_object_member (json_node_get_object (json), "error");
  ck_assert_str_eq (json_object_get_string_member (err, "code"), "busy");
  ck_assert_uint_eq (sql_fresh (OUR_WAITERS), 0);

  /* other routes answer meanwhile */
  g_clear_pointer (&body, g_free);
  status = http_get ("/api/v1/points", &body, NULL);
  ck_assert_uint_eq (status, 200);
  ck_assert_msg (strstr (body, "Отопление") != NULL, "%s", body);

  /* and once the lock goes, the archive answers */
  sql_on (holder, "COMMIT");
  g_clear_pointer (&body, g_free);
  status = http_get (target, &body, NULL);
  ck_assert_uint_eq (status, 200);
}
END_TEST

START_TEST (test_client_gone_leaves_no_waiter)
{
  g_autofree gchar *target = archive_target ();
  g_autofree gchar *request
      = g_strdup_printf ("GET %s HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer %s\r\n"
                         "Connection: close\r\n\r\n",
                         target, token);
  g_autoptr (GSocketClient) client = g_socket_client_new ();
  g_autoptr (GSocketConnection) conn = NULL;
  g_autoptr (GAsyncResult) res = NULL;
  g_autoptr (GError) error = NULL;
  gint64 deadline;
  gint64 waiting = 0;

  /* a bound far away: only the client's leaving can end this wait */
  g_object_set (lers_check_get_store (), "lock-timeout", 120000, "statement-timeout", 120000, NULL);
  g_socket_client_connect_to_host_async (client, "127.0.0.1", port, NULL, result_cb, &res);
  conn = g_socket_client_connect_to_host_finish (client, wait_result (&res), &error);
  ck_assert_msg (conn != NULL, "%s", error != NULL ? error->message : "");
  ck_assert (g_output_stream_write_all (g_io_stream_get_output_stream (G_IO_STREAM (conn)), request,
                                        strlen (request), NULL, NULL, &error));

  /* the request reaches the database and waits for the lock */
  deadline = g_get_monotonic_time () + 10 * G_USEC_PER_SEC;
  while (g_get_monotonic_time () < deadline && (waiting = sql_fresh (OUR_WAITERS)) == 0)
    while (g_main_context_iteration (NULL, FALSE))
      ;
  ck_assert_int_eq (waiting, 1);

  /* the client leaves; within a few seconds nothing of ours waits */
  ck_assert (g_io_stream_close (G_IO_STREAM (conn), NULL, &error));
  deadline = g_get_monotonic_time () + 5 * G_USEC_PER_SEC;
  while (g_get_monotonic_time () < deadline && (waiting = sql_fresh (OUR_WAITERS)) > 0)
    {
      g_usleep (20000);
      while (g_main_context_iteration (NULL, FALSE))
        ;
    }
  ck_assert_int_eq (waiting, 0);
  /* the lock is still held: the wait ended because we cancelled it */
  ck_assert_int_eq (PQtransactionStatus (holder), PQTRANS_INTRANS);
}
END_TEST

int
main (int argc, char **argv)
{
  Suite *s = suite_create ("http-busy");
  TCase *tc = tcase_create ("busy");

  lers_check_init (&argc, &argv);
  tcase_add_unchecked_fixture (tc, lers_check_cluster_setup, lers_check_cluster_teardown);
  tcase_add_checked_fixture (tc, setup, teardown);
  tcase_add_test (tc, test_locked_archive_is_busy);
  tcase_add_test (tc, test_client_gone_leaves_no_waiter);
  suite_add_tcase (s, tc);
  return lers_check_run_suite (s);
}
