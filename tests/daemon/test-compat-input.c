/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The ЛЭРС УЧЁТ API v1 routes (routes/compat*.c) in-process, against a
 * throwaway PostgreSQL, with bad and hostile input: every answer is a 4xx
 * in their error shape ({"errorMessage", "errorCode", "data": {"code"}})
 * naming the problem, never a crash or a 5xx, and a refused PUT writes no
 * row. Runs under AddressSanitizer too (test-compat.py needs the typelib). */
#include "config.h"

#include <check.h>
#include <json-glib/json-glib.h>
#include <libsoup/soup.h>
#include <lers.h>

#include "lers-check.h"
#include "lersd-server.h"

typedef struct
{
  LersdServer *server;
  SoupSession *session;
  guint port;
  gint64 point_id;
  gchar *token;
} Fixture;

static Fixture fx;

typedef struct
{
  guint status;
  gchar *body;
} Response;

static void
response_free (Response *r)
{
  g_free (r->body);
  g_free (r);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Response, response_free)

static void
store_result_cb (GObject *source, GAsyncResult *res, gpointer user_data)
{
  GAsyncResult **out = user_data;
  *out = g_object_ref (res);
}

static void
seed (LersStore *store)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (LersNode) node = lers_node_new ();
  g_autoptr (LersMeasurePoint) point = lers_measure_point_new ();
  g_autoptr (GPtrArray) records = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr (GDateTime) ts = g_date_time_new_utc (2026, 11, 23, 0, 0, 0);
  LersRecord *record;

  lers_node_set_title (node, "Котельная");
  ck_assert_msg (lers_store_save_node_sync (store, node, NULL, &error), "%s", error->message);
  g_object_set (point, "title", "Отопление", "node-id", lers_node_get_id (node), "resource",
                LERS_RESOURCE_HEAT, NULL);
  ck_assert_msg (lers_store_save_measure_point_sync (store, point, NULL, &error), "%s",
                 error->message);
  fx.point_id = lers_measure_point_get_id (point);
  record = lers_record_new (ts, LERS_ARCHIVE_KIND_HOUR);
  lers_record_set_value (record, LERS_PARAMETER_T_IN, 70.5, LERS_VALUE_FLAG_NONE);
  g_ptr_array_add (records, record);
  ck_assert_msg (lers_store_write_records_sync (store, fx.point_id, records, NULL, &error), "%s",
                 error->message);
}

static void
compat_setup (void)
{
  g_autoptr (GError) error = NULL;

  lers_check_store_setup ();
  seed (lers_check_get_store ());
  /* an operator's API token: every route below is open to it */
  {
    g_autoptr (LersAccounts) accounts = lers_accounts_new (lers_check_get_store ());
    g_autoptr (LersUser) user = lers_accounts_add_user_sync (
        accounts, "operator", LERS_USER_ROLE_OPERATOR, "operator-password", NULL, &error);
    ck_assert_msg (user != NULL, "%s", error->message);
    fx.token = lers_accounts_create_session_sync (accounts, lers_user_get_id (user),
                                                  LERS_SESSION_KIND_TOKEN, "test", NULL, NULL, NULL,
                                                  NULL, NULL, &error);
    ck_assert_msg (fx.token != NULL, "%s", error->message);
  }
  fx.server = lersd_server_new (lers_check_get_store ());
  ck_assert_msg (lersd_server_listen (fx.server, "127.0.0.1:0", &error), "%s", error->message);
  fx.port = lersd_server_get_port (fx.server);
  fx.session = soup_session_new_with_options ("proxy-resolver", NULL, "timeout", 30, NULL);
}

static void
compat_teardown (void)
{
  g_clear_object (&fx.session);
  if (fx.server != NULL)
    lersd_server_disconnect (fx.server);
  g_clear_object (&fx.server);
  while (g_main_context_iteration (NULL, FALSE))
    ;
  g_clear_pointer (&fx.token, g_free);
  lers_check_store_teardown ();
}

/* @target: path and query under /api/v1/, as sent */
static Response *
request (const gchar *method, const gchar *target, const gchar *body)
{
  g_autofree gchar *url = g_strdup_printf ("http://127.0.0.1:%u/api/v1/%s", fx.port, target);
  g_autoptr (SoupMessage) msg = soup_message_new (method, url);
  g_autoptr (GAsyncResult) res = NULL;
  g_autoptr (GError) error = NULL;
  g_autoptr (GBytes) bytes = NULL;
  Response *r = g_new0 (Response, 1);

  ck_assert_msg (msg != NULL, "libsoup cannot parse %s", url);
  if (fx.token != NULL)
    {
      g_autofree gchar *auth = g_strdup_printf ("Bearer %s", fx.token);
      soup_message_headers_replace (soup_message_get_request_headers (msg), "Authorization", auth);
    }
  if (body != NULL)
    {
      g_autoptr (GBytes) data = g_bytes_new (body, strlen (body));
      soup_message_set_request_body_from_bytes (msg, "application/json-patch+json", data);
    }
  soup_session_send_and_read_async (fx.session, msg, G_PRIORITY_DEFAULT, NULL, store_result_cb,
                                    &res);
  while (res == NULL)
    g_main_context_iteration (NULL, TRUE);
  bytes = soup_session_send_and_read_finish (fx.session, res, &error);
  ck_assert_msg (bytes != NULL, "%s %s: %s", method, target, error ? error->message : "");
  r->status = soup_message_get_status (msg);
  r->body = g_strndup (g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes));
  return r;
}

/* Their ResponseParameters: errorMessage (containing @needle), errorCode
 * equal to the status, data.code */
static void
assert_their_error (Response *r, guint status, const gchar *code, const gchar *needle,
                    const gchar *what)
{
  g_autoptr (JsonParser) parser = json_parser_new ();
  g_autoptr (GError) error = NULL;
  JsonObject *object;

  ck_assert_msg (r->status == status, "%s: status %u, not %u: %s", what, r->status, status,
                 r->body);
  ck_assert_msg (json_parser_load_from_data (parser, r->body, -1, &error), "%s: %s", what, r->body);
  object = json_node_get_object (json_parser_get_root (parser));
  ck_assert_msg (json_object_get_int_member (object, "errorCode") == status, "%s: %s", what,
                 r->body);
  ck_assert_str_eq (
      json_object_get_string_member (json_object_get_object_member (object, "data"), "code"), code);
  ck_assert_msg (strstr (json_object_get_string_member (object, "errorMessage"), needle) != NULL,
                 "%s: “%s” not in %s", what, needle, r->body);
}

static gint64
count_archive (void)
{
  return lers_check_sql_int ("SELECT count(*) FROM archive");
}

START_TEST (test_bad_reads)
{
  /* What each request gets wrong, and the word the message must name. */
  static const struct
  {
    const gchar *target;
    guint status;
    const gchar *code;
    const gchar *needle;
  } cases[] = {
    { "Data/MeasurePoints/%s/Consumption/yesterday/today", 400, "invalid-argument", "yesterday" },
    { "Data/MeasurePoints/%s/Consumption/2026-11-24T00:00:00/2026-11-23T00:00:00", 400,
      "invalid-argument", "start" },
    { "Data/MeasurePoints/%s/Consumption/2020-01-01T00:00:00/2026-11-23T00:00:00", 400,
      "invalid-argument", "366" },
    { "Data/MeasurePoints/%s/Totals/9999-12-31T23:59:59/9999-12-31T23:59:59", 400,
      "invalid-argument", "end" },
    { "Data/MeasurePoints/%s/Consumption/2026-11-23T00:00:00/2026-11-23T23:00:00?dataTypes=Week",
      400, "invalid-argument", "Week" },
    { "Data/MeasurePoints/%s/Consumption/2026-11-23T00:00:00/2026-11-23T23:00:00?dataTypes=%%27"
      "%%3B%%20DROP%%20TABLE%%20archive",
      400, "invalid-argument", "DROP" },
    { "Core/MeasurePoints/%s?getDevice=maybe", 400, "invalid-argument", "getDevice" },
    { "Core/Nodes?nodeType=Castle&x=%s", 400, "invalid-argument", "Castle" },
    { "Core/Nodes?nodeGroupId=1&x=%s", 400, "invalid-argument", "nodeGroupId" },
    { "Core/MeasurePoints?type=Apartment&x=%s", 400, "invalid-argument", "Apartment" },
    { "Core/Equipment?id=abc&x=%s", 400, "invalid-argument", "" },
    { "Data/MeasurePoints/9999%s/Consumption/Last", 404, "not-found", "9999" },
    { "Data/MeasurePoints/%s/Totals/Last", 404, "not-found", "totals" },
    { "Core/Equipment/7%s", 404, "not-found", "7" },
  };
  g_autofree gchar *id = g_strdup_printf ("%" G_GINT64_FORMAT, fx.point_id);

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr (GString) target = g_string_new (cases[i].target);
      g_autoptr (Response) r = NULL;

      g_string_replace (target, "%s", id, 1);
      g_string_replace (target, "%%", "%", 0);
      r = request ("GET", target->str, NULL);
      assert_their_error (r, cases[i].status, cases[i].code, cases[i].needle, target->str);
    }
}
END_TEST

START_TEST (test_bad_writes)
{
  static const struct
  {
    const gchar *body;
    const gchar *needle;
  } cases[] = {
    { "{", "JSON" },
    { "[]", "JSON object" },
    { "", "body" },
    { "{\"consumption\": 5}", "consumption" },
    { "{\"consumption\": {\"consumption\": []}}", "dataType" },
    { "{\"consumption\": {\"dataType\": \"Week\", \"consumption\": []}}", "dataType" },
    { "{\"consumption\": {\"dataType\": \"Hour\", \"consumption\": [5]}}", "Record 0" },
    { "{\"consumption\": {\"dataType\": \"Hour\", \"consumption\": [{\"dateTime\": 5}]}}",
      "dateTime" },
    { "{\"consumption\": {\"dataType\": \"Hour\", \"consumption\": [{\"dateTime\": "
      "\"2026-13-40T99:00:00\"}]}}",
      "2026-13-40" },
    { "{\"totals\": [{\"dateTime\": \"2026-11-23T00:00:00\", \"values\": {}}]}", "values" },
    { "{\"totals\": [{\"dateTime\": \"2026-11-23T00:00:00\", \"values\": [{\"dataParameter\": "
      "\"'; DROP TABLE archive; --\", \"value\": 1}]}]}",
      "DROP TABLE" },
    { "{\"totals\": [{\"dateTime\": \"2026-11-23T00:00:00\", \"values\": [{\"dataParameter\": "
      "\"HeatPower\", \"value\": 1}]}]}",
      "HeatPower" },
    { "{\"totals\": [{\"dateTime\": \"2026-11-23T00:00:00\", \"values\": [{\"dataParameter\": "
      "\"M_in\", \"value\": \"12\"}]}]}",
      "number" },
    { "{\"totals\": [{\"dateTime\": \"2026-11-23T00:00:00\", \"values\": [{\"dataParameter\": "
      "\"M_in\", \"value\": 1, \"isBad\": \"yes\"}]}]}",
      "isBad" },
    /* the first record is good, the second not: nothing is written */
    { "{\"totals\": [{\"dateTime\": \"2026-11-23T00:00:00\", \"values\": [{\"dataParameter\": "
      "\"M_in\", \"value\": 1}]}, {\"values\": []}]}",
      "Record 1" },
  };
  g_autofree gchar *target = g_strdup_printf ("Data/MeasurePoints/%" G_GINT64_FORMAT, fx.point_id);
  gint64 before = count_archive ();

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr (Response) r = request ("PUT", target, cases[i].body);
      assert_their_error (r, 400, "invalid-argument", cases[i].needle, cases[i].body);
    }
  ck_assert_int_eq (count_archive (), before);
  {
    g_autoptr (Response) r = request ("PUT", "Data/MeasurePoints/424242", "{\"totals\": []}");
    assert_their_error (r, 404, "not-found", "424242", "PUT to a point that is not");
  }
  {
    /* huge but finite values are stored as they are; 1e308 by hand */
    g_autoptr (Response) r
        = request ("PUT", target,
                   "{\"totals\": [{\"dateTime\": \"2026-11-23T00:00:00Z\", \"values\": "
                   "[{\"dataParameter\": \"M_in\", \"value\": 1e308}]}]}");
    g_autofree gchar *value = NULL;

    ck_assert_msg (r->status == 200, "%u %s", r->status, r->body);
    ck_assert_str_eq (r->body, "{\"written\":1,\"skipped\":0}");
    value = lers_check_sql_value ("SELECT value FROM archive_values WHERE kind = 4 AND param = 7");
    ck_assert_str_eq (value, "1e+308");
  }
}
END_TEST

START_TEST (test_bad_login)
{
  static const struct
  {
    const gchar *body;
    const gchar *needle;
  } cases[] = {
    { "{", "JSON" },
    { "{\"password\": \"x\"}", "login" },
    { "{\"login\": 5, \"password\": \"x\"}", "login" },
    { "{\"login\": \"a\", \"password\": [1]}", "password" },
    { "{\"login\": \"a\", \"password\": \"b\", \"application\": {}}", "application" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr (Response) r = request ("POST", "Login", cases[i].body);
      assert_their_error (r, 400, "invalid-argument", cases[i].needle, cases[i].body);
    }
}
END_TEST

static Suite *
compat_suite (void)
{
  Suite *s = suite_create ("compat-input");
  TCase *tc = tcase_create ("input");

  tcase_add_unchecked_fixture (tc, lers_check_cluster_setup, lers_check_cluster_teardown);
  tcase_add_checked_fixture (tc, compat_setup, compat_teardown);
  tcase_add_test (tc, test_bad_reads);
  tcase_add_test (tc, test_bad_writes);
  tcase_add_test (tc, test_bad_login);
  suite_add_tcase (s, tc);
  return s;
}

int
main (int argc, char **argv)
{
  lers_check_init (&argc, &argv);
  g_thread_pool_set_max_unused_threads (0);
  return lers_check_run_suite (compat_suite ());
}
