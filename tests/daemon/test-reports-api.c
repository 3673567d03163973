/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The report routes (docs/api-reports.md) on an in-process lersd on
 * 127.0.0.1 port 0 against a throwaway PostgreSQL: stored templates with
 * versions (409 on a stale one), read-only system templates (403), bad
 * templates 422 with line and column, the check and the field list, one
 * point rendered (pdftotext shows the values written here and their sum,
 * worked out by hand), a job's progress to done and its zip's entries
 * (python3's zipfile), and who may do what: a subscriber renders only its
 * own points (404 for another's), never edits templates (403), never sees
 * another user's job (404); hostile bodies 400 or 413. */
#include "config.h"

#include <glib/gstdio.h>

#include "auth-test-util.h"

/* The test's template: the point's title, the days with Q and its sum */
static const gchar tpl_text[]
    = "<report version=\"1\" id=\"api-check\" source=\"point\">\n"
      "  <title ru=\"Проверка\" en=\"Check report\"/>\n"
      "  <parameters kinds=\"day hour\" default-kind=\"day\" period=\"month\"/>\n"
      "  <report-header><text>{Point.Title}</text></report-header>\n"
      "  <table rows=\"archive\">\n"
      "    <column title=\"Date\" value=\"DataDate\" format=\"dd.MM.yyyy\"/>\n"
      "    <column title=\"Q\" value=\"Q\" format=\"0.000\" total=\"sum\"/>\n"
      "  </table>\n"
      "</report>\n";

/* the same with another title: version 2 */
static const gchar tpl_text2[]
    = "<report version=\"1\" id=\"api-check\" source=\"point\">\n"
      "  <title ru=\"Проверка 2\" en=\"Check report 2\"/>\n"
      "  <parameters kinds=\"day hour\" default-kind=\"day\" period=\"month\"/>\n"
      "  <table rows=\"archive\">\n"
      "    <column title=\"Q\" value=\"Q\" format=\"0.000\"/>\n"
      "  </table>\n"
      "</report>\n";

/* T7 is no field: an error on line 4 */
static const gchar bad_text[] = "<report version=\"1\" id=\"api-bad\" source=\"point\">\n"
                                "  <title ru=\"x\" en=\"x\"/>\n"
                                "  <table rows=\"archive\">\n"
                                "    <column title=\"T\" value=\"T7\"/>\n"
                                "  </table>\n"
                                "</report>\n";

/* the system template of this test's template folder */
static const gchar sys_text[]
    = "<report version=\"1\" id=\"sys-check\" source=\"point\">\n"
      "  <title ru=\"Системный\" en=\"System one\"/>\n"
      "  <parameters kinds=\"day\" default-kind=\"day\" period=\"month\"/>\n"
      "  <table rows=\"archive\">\n"
      "    <column title=\"Q\" value=\"Q\" format=\"0.000\"/>\n"
      "  </table>\n"
      "</report>\n";

static gchar *sub_bearer;    /* subscriber of node 1 (points 1–4) */
static gchar *viewer_bearer; /* a viewer: reads, never writes */
static gchar *admin_bearer;
static gchar *sys_dir;

/* Q of 2026-11-01..03 for point 1; sum by hand: 1.234 + 2.000 + 0.500 = 3.734 */
static const gdouble q1[] = { 1.234, 2.0, 0.5 };

static gchar *
reports_user (const gchar *login, LersUserRole role, gboolean scoped)
{
  g_autoptr (LersAccounts) accounts = lers_accounts_new (lers_check_get_store ());
  g_autoptr (GError) error = NULL;
  g_autofree gchar *token = lers_check_http_user_token (login, role, NULL);
  g_autofree gchar *sql = g_strdup_printf ("SELECT id FROM users WHERE login = '%s'", login);

  if (scoped)
    ck_assert_msg (lers_accounts_add_scope_sync (accounts, lers_check_sql_int (sql),
                                                 LERS_SCOPE_KIND_NODE, 1, NULL, &error),
                   "%s", error != NULL ? error->message : "");
  return auth_bearer (token);
}

static void
reports_setup (void)
{
  g_autoptr (GPtrArray) records = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr (GTimeZone) zone = g_time_zone_new_identifier ("Europe/Moscow");
  g_autoptr (GError) error = NULL;
  g_autofree gchar *sys_path = NULL;

  lers_check_store_setup ();
  poll_seed_points ();
  /* node 2 with point 5, in group 1 "A" */
  lers_check_sql_exec ("INSERT INTO nodes (id, territory_id, title, groups) VALUES "
                       "(2, 1, 'ИТП 2', '{A}')");
  lers_check_sql_exec ("INSERT INTO measure_points (id, node_id, title, poll_interval) "
                       "VALUES (5, 2, 'Отопление 2', 3600)");
  lers_check_sql_exec ("INSERT INTO node_groups (id, title) VALUES (1, 'A')");
  for (gint i = 0; i < 3; i++)
    {
      g_autoptr (GDateTime) ts = g_date_time_new (zone, 2026, 11, 1 + i, 0, 0, 0);
      LersRecord *r = lers_record_new (ts, LERS_ARCHIVE_KIND_DAY);

      lers_record_set_value (r, LERS_PARAMETER_Q_IN, q1[i], 0);
      g_ptr_array_add (records, r);
    }
  ck_assert_msg (lers_store_write_records_sync (lers_check_get_store (), 1, records, NULL, &error),
                 "%s", error != NULL ? error->message : "");
  /* this test's system templates, and only them */
  sys_dir = g_dir_make_tmp ("lers-templates-XXXXXX", NULL);
  sys_path = g_build_filename (sys_dir, "sys-check.xml", NULL);
  ck_assert (g_file_set_contents (sys_path, sys_text, -1, NULL));
  g_setenv ("LERS_TEMPLATE_PATH", sys_dir, TRUE);
  poll_server_start ();
  sub_bearer = reports_user ("sub", LERS_USER_ROLE_SUBSCRIBER, TRUE);
  viewer_bearer = reports_user ("viewer", LERS_USER_ROLE_VIEWER, FALSE);
  admin_bearer = auth_bearer (pfx.token);
}

static void
reports_teardown (void)
{
  g_clear_pointer (&sub_bearer, g_free);
  g_clear_pointer (&viewer_bearer, g_free);
  g_clear_pointer (&admin_bearer, g_free);
  auth_strings_clear ();
  poll_server_stop ();
  lers_check_remove_tree (sys_dir);
  g_clear_pointer (&sys_dir, g_free);
  lers_check_store_teardown ();
}

/* {"body": @text} (and more members, as JSON text, when @more) */
static gchar *
with_body (const gchar *text, const gchar *more)
{
  g_autoptr (JsonNode) node = json_node_init_string (json_node_alloc (), text);
  g_autofree gchar *quoted = json_to_string (node, FALSE);

  return g_strdup_printf ("{\"body\": %s%s%s}", quoted, more != NULL ? ", " : "",
                          more != NULL ? more : "");
}

/* An answer whose body may be binary (a PDF, a zip) */
typedef struct
{
  guint status;
  GBytes *body;
  SoupMessageHeaders *headers;
} RawResponse;

static void
raw_response_free (RawResponse *r)
{
  g_clear_pointer (&r->body, g_bytes_unref);
  g_clear_pointer (&r->headers, soup_message_headers_unref);
  g_free (r);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (RawResponse, raw_response_free)

static RawResponse *
raw_request (const gchar *bearer, const gchar *method, const gchar *target, const gchar *body)
{
  g_autofree gchar *url = g_strdup_printf ("http://127.0.0.1:%u%s", pfx.port, target);
  g_autoptr (SoupSession) session
      = soup_session_new_with_options ("proxy-resolver", NULL, "timeout", 60, NULL);
  g_autoptr (SoupMessage) msg = soup_message_new (method, url);
  g_autoptr (GAsyncResult) res = NULL;
  g_autoptr (GError) error = NULL;
  RawResponse *r = g_new0 (RawResponse, 1);

  soup_message_headers_replace (soup_message_get_request_headers (msg), "Authorization", bearer);
  if (body != NULL)
    {
      g_autoptr (GBytes) request = g_bytes_new (body, strlen (body));
      soup_message_set_request_body_from_bytes (msg, "application/json", request);
    }
  soup_session_send_and_read_async (session, msg, G_PRIORITY_DEFAULT, NULL, poll_result_cb, &res);
  while (res == NULL)
    g_main_context_iteration (NULL, TRUE);
  r->body = soup_session_send_and_read_finish (session, res, &error);
  lers_check_assert_no_error (error);
  r->status = soup_message_get_status (msg);
  r->headers = soup_message_headers_ref (soup_message_get_response_headers (msg));
  return r;
}

static gchar *
need_program (const gchar *name)
{
  gchar *path = g_find_program_in_path (name);

  ck_assert_msg (path != NULL, "%s is not installed", name);
  return path;
}

/* What @args prints for @bytes written to a file named last (then @after) */
static gchar *
run_on_file (GBytes *bytes, const gchar *suffix, const gchar *const *args, const gchar *after)
{
  g_autofree gchar *path = g_build_filename (sys_dir, suffix, NULL);
  g_autoptr (GPtrArray) argv = g_ptr_array_new ();
  g_autofree gchar *out = NULL;
  g_autofree gchar *err = NULL;
  gint status = 0;

  ck_assert (g_file_set_contents (path, g_bytes_get_data (bytes, NULL),
                                  (gssize) g_bytes_get_size (bytes), NULL));
  for (guint i = 0; args[i] != NULL; i++)
    g_ptr_array_add (argv, (gpointer) args[i]);
  g_ptr_array_add (argv, path);
  if (after != NULL)
    g_ptr_array_add (argv, (gpointer) after);
  g_ptr_array_add (argv, NULL);
  ck_assert (g_spawn_sync (NULL, (gchar **) argv->pdata, NULL, G_SPAWN_DEFAULT, NULL, NULL, &out,
                           &err, &status, NULL));
  ck_assert_msg (g_spawn_check_wait_status (status, NULL), "%s: %s", args[0], err);
  g_unlink (path);
  return g_steal_pointer (&out);
}

/* Stored templates: create, 409 twice, new version, 409 stale, versions,
 * an old version, delete */
START_TEST (test_templates_stored)
{
  g_autofree gchar *post_body = with_body (tpl_text, NULL);
  g_autoptr (AuthResponse) post
      = auth_as (admin_bearer, "POST", "/api/v1/reports/templates", post_body);
  g_autoptr (AuthResponse) again
      = auth_as (admin_bearer, "POST", "/api/v1/reports/templates", post_body);
  g_autofree gchar *put_body = with_body (tpl_text2, "\"version\": 1");
  g_autoptr (AuthResponse) put = NULL;
  g_autoptr (AuthResponse) stale = NULL;
  g_autoptr (AuthResponse) versions = NULL;
  g_autoptr (AuthResponse) old = NULL;
  g_autoptr (AuthResponse) list = NULL;
  g_autoptr (AuthResponse) del = NULL;
  g_autoptr (AuthResponse) gone = NULL;
  g_autoptr (JsonNode) root = NULL;
  g_autoptr (JsonNode) root2 = NULL;
  g_autoptr (JsonNode) root3 = NULL;
  g_autoptr (JsonNode) root4 = NULL;
  g_autoptr (JsonNode) root5 = NULL;
  JsonObject *o;
  JsonArray *a;

  ck_assert_msg (post->status == 201, "%u %s", post->status, post->body);
  ck_assert_str_eq (auth_header (post, "Location"), "/api/v1/reports/templates/api-check");
  o = auth_object (post, &root);
  ck_assert_str_eq (json_object_get_string_member (o, "id"), "api-check");
  ck_assert_int_eq (json_object_get_int_member (o, "version"), 1);
  ck_assert (!json_object_get_boolean_member (o, "system"));
  ck_assert_str_eq (json_object_get_string_member (o, "body"), tpl_text);
  ck_assert_str_eq (json_object_get_string_member (o, "source"), "point");
  ck_assert_str_eq (auth_sql ("SELECT name || ' ' || version || ' ' || created_by FROM "
                              "report_templates"),
                    "api-check 1 lers-test-admin");
  auth_assert_error (again, 409, "conflict");

  put = auth_as (admin_bearer, "PUT", "/api/v1/reports/templates/api-check", put_body);
  ck_assert_msg (put->status == 200, "%u %s", put->status, put->body);
  o = auth_object (put, &root2);
  ck_assert_int_eq (json_object_get_int_member (o, "version"), 2);
  ck_assert_str_eq (json_object_get_string_member (o, "title"), "Проверка 2");
  /* (titles in the request's language: Russian, the server's) */
  /* a second editor saving over version 1 too */
  stale = auth_as (admin_bearer, "PUT", "/api/v1/reports/templates/api-check", put_body);
  auth_assert_error (stale, 409, "conflict");
  ck_assert_msg (strstr (stale->body, "version 2") != NULL, "%s", stale->body);

  versions = auth_as (admin_bearer, "GET", "/api/v1/reports/templates/api-check/versions", NULL);
  ck_assert_msg (versions->status == 200, "%u %s", versions->status, versions->body);
  root3
      = poll_response_json (&(PollResponse){ .status = versions->status, .body = versions->body });
  a = json_node_get_array (root3);
  ck_assert_uint_eq (json_array_get_length (a), 2);
  ck_assert_int_eq (json_object_get_int_member (json_array_get_object_element (a, 0), "version"),
                    2);
  ck_assert_int_eq (json_object_get_int_member (json_array_get_object_element (a, 1), "length"),
                    g_utf8_strlen (tpl_text, -1));

  old = auth_as (admin_bearer, "GET", "/api/v1/reports/templates/api-check?version=1", NULL);
  o = auth_object (old, &root4);
  ck_assert_str_eq (json_object_get_string_member (o, "body"), tpl_text);
  ck_assert_int_eq (json_object_get_int_member (o, "version"), 1);
  ck_assert_int_eq (json_object_get_int_member (o, "latest_version"), 2);

  /* the list: the system one first, then the stored one */
  list = auth_as (admin_bearer, "GET", "/api/v1/reports/templates", NULL);
  root5 = poll_response_json (&(PollResponse){ .status = list->status, .body = list->body });
  a = json_node_get_array (root5);
  ck_assert_uint_eq (json_array_get_length (a), 2);
  o = json_array_get_object_element (a, 0);
  ck_assert_str_eq (json_object_get_string_member (o, "id"), "sys-check");
  ck_assert (json_object_get_boolean_member (o, "system"));
  ck_assert (json_object_get_null_member (o, "version"));
  o = json_array_get_object_element (a, 1);
  ck_assert_str_eq (json_object_get_string_member (o, "id"), "api-check");
  ck_assert_int_eq (json_object_get_int_member (o, "version"), 2);
  ck_assert_str_eq (json_array_get_string_element (json_object_get_array_member (o, "kinds"), 0),
                    "day");
  ck_assert_str_eq (json_array_get_string_element (json_object_get_array_member (o, "kinds"), 1),
                    "hour");

  del = auth_as (admin_bearer, "DELETE", "/api/v1/reports/templates/api-check", NULL);
  ck_assert_msg (del->status == 204, "%u %s", del->status, del->body);
  gone = auth_as (admin_bearer, "GET", "/api/v1/reports/templates/api-check", NULL);
  auth_assert_error (gone, 404, "not-found");
  ck_assert_str_eq (auth_sql ("SELECT count(*) FROM report_template_versions"), "0");
  /* the audit log has the three changes */
  ck_assert_str_eq (auth_sql ("SELECT string_agg(action, ' ' ORDER BY id) FROM audit_log "
                              "WHERE entity = 'report-template'"),
                    "create update delete");
}
END_TEST

/* System templates are read-only files; a copy needs an id of its own */
START_TEST (test_templates_system)
{
  g_autofree gchar *put_body = with_body (sys_text, "\"version\": 1");
  g_autofree gchar *copy_body = with_body (sys_text, NULL);
  g_autoptr (AuthResponse) get
      = auth_as (admin_bearer, "GET", "/api/v1/reports/templates/sys-check", NULL);
  g_autoptr (AuthResponse) put
      = auth_as (admin_bearer, "PUT", "/api/v1/reports/templates/sys-check", put_body);
  g_autoptr (AuthResponse) del
      = auth_as (admin_bearer, "DELETE", "/api/v1/reports/templates/sys-check", NULL);
  g_autoptr (AuthResponse) copy
      = auth_as (admin_bearer, "POST", "/api/v1/reports/templates", copy_body);
  g_autoptr (PollResponse) versions
      = poll_request ("GET", "/api/v1/reports/templates/sys-check/versions", NULL);
  g_autoptr (AuthResponse) missing
      = auth_as (admin_bearer, "GET", "/api/v1/reports/templates/no-such", NULL);
  g_autoptr (AuthResponse) bad_id
      = auth_as (admin_bearer, "GET", "/api/v1/reports/templates/Bad%20Id", NULL);
  g_autoptr (JsonNode) root = NULL;
  JsonObject *o = auth_object (get, &root);

  ck_assert (json_object_get_boolean_member (o, "system"));
  ck_assert_str_eq (json_object_get_string_member (o, "body"), sys_text);
  ck_assert_str_eq (json_object_get_string_member (o, "title"), "Системный");
  auth_assert_error (put, 403, "permission-denied");
  auth_assert_error (del, 403, "permission-denied");
  /* the message says why (the tests' LANGUAGE=en: the msgid) */
  {
    g_autoptr (JsonNode) del_root = NULL;
    JsonObject *e = json_object_get_object_member (auth_object (del, &del_root), "error");

    ck_assert_str_eq (json_object_get_string_member (e, "message"),
                      "“sys-check” is a system template: it is read-only; store a copy under an id "
                      "of your own");
  }
  auth_assert_error (copy, 409, "conflict");
  ck_assert_msg (versions->status == 200, "%u %s", versions->status, versions->body);
  ck_assert_str_eq (versions->body, "[]");
  auth_assert_error (missing, 404, "not-found");
  auth_assert_error (bad_id, 404, "not-found");
}
END_TEST

/* Bad templates: 422 with line and column; the check; the field list */
START_TEST (test_templates_check)
{
  g_autofree gchar *bad_body = with_body (bad_text, NULL);
  g_autofree gchar *good_body = with_body (tpl_text, NULL);
  g_autoptr (AuthResponse) post
      = auth_as (admin_bearer, "POST", "/api/v1/reports/templates", bad_body);
  g_autoptr (AuthResponse) check_bad
      = auth_as (sub_bearer, "POST", "/api/v1/reports/templates/check", bad_body);
  g_autoptr (AuthResponse) check_good
      = auth_as (sub_bearer, "POST", "/api/v1/reports/templates/check", good_body);
  g_autoptr (AuthResponse) fields
      = auth_as (sub_bearer, "GET", "/api/v1/reports/fields?rows=archive", NULL);
  g_autoptr (AuthResponse) fields_bad
      = auth_as (sub_bearer, "GET", "/api/v1/reports/fields?rows=bogus", NULL);
  g_autoptr (JsonNode) root = NULL;
  g_autoptr (JsonNode) root2 = NULL;
  g_autoptr (JsonNode) root3 = NULL;
  g_autoptr (JsonNode) root4 = NULL;
  JsonObject *o;
  JsonObject *e;
  JsonArray *names;
  gboolean has_date = FALSE, has_t1 = FALSE;

  ck_assert_msg (post->status == 422, "%u %s", post->status, post->body);
  o = auth_object (post, &root);
  e = json_object_get_object_member (o, "error");
  ck_assert_str_eq (json_object_get_string_member (e, "code"), "invalid-template");
  /* bad_text's line 4: 4 spaces and `<column title="T" value="` (25
   * characters) before T7, at column 30 */
  ck_assert_int_eq (json_object_get_int_member (e, "line"), 4);
  ck_assert_int_eq (json_object_get_int_member (e, "column"), 30);
  ck_assert_int_eq (json_object_get_int_member (o, "line"), 4);
  ck_assert_int_eq (json_object_get_int_member (o, "column"), 30);
  ck_assert_msg (strstr (json_object_get_string_member (e, "message"), "T7") != NULL, "%s",
                 post->body);
  ck_assert_str_eq (auth_sql ("SELECT count(*) FROM report_templates"), "0");

  /* an id of 65 letters (the table holds 64): 422 before the database,
   * whose own words (the table's name) never reach the client */
  {
    g_autofree gchar *long_id = g_strnfill (65, 'a');
    g_autofree gchar *id_attr = g_strdup_printf ("id=\"%s\"", long_id);
    g_auto (GStrv) parts = g_strsplit (tpl_text, "id=\"api-check\"", 2);
    g_autofree gchar *long_text = g_strjoin (id_attr, parts[0], parts[1], NULL);
    g_autofree gchar *long_body = with_body (long_text, NULL);
    g_autofree gchar *long_put_body = with_body (long_text, "\"version\": 1");
    g_autofree gchar *put_target = g_strdup_printf ("/api/v1/reports/templates/%s", long_id);
    g_autoptr (AuthResponse) long_post
        = auth_as (admin_bearer, "POST", "/api/v1/reports/templates", long_body);
    g_autoptr (AuthResponse) long_put = auth_as (admin_bearer, "PUT", put_target, long_put_body);
    g_autoptr (JsonNode) long_root = NULL;

    ck_assert_msg (strstr (long_text, long_id) != NULL, "%s", long_text);
    ck_assert_msg (long_post->status == 422, "%u %s", long_post->status, long_post->body);
    o = auth_object (long_post, &long_root);
    e = json_object_get_object_member (o, "error");
    ck_assert_str_eq (json_object_get_string_member (e, "code"), "invalid-template");
    ck_assert_msg (strstr (long_post->body, "64") != NULL, "%s", long_post->body);
    ck_assert_msg (strstr (long_post->body, "report_templates") == NULL, "%s", long_post->body);
    ck_assert_msg (long_put->status == 422, "%u %s", long_put->status, long_put->body);
    ck_assert_msg (strstr (long_put->body, "report_templates") == NULL, "%s", long_put->body);
    ck_assert_str_eq (auth_sql ("SELECT count(*) FROM report_templates"), "0");
  }

  ck_assert_msg (check_bad->status == 422, "%u %s", check_bad->status, check_bad->body);
  o = auth_object (check_bad, &root2);
  ck_assert (!json_object_get_boolean_member (o, "ok"));
  e = json_array_get_object_element (json_object_get_array_member (o, "errors"), 0);
  ck_assert_int_eq (json_object_get_int_member (e, "line"), 4);
  ck_assert_int_eq (json_object_get_int_member (e, "column"), 30);
  ck_assert_msg (check_good->status == 200, "%u %s", check_good->status, check_good->body);
  o = auth_object (check_good, &root3);
  ck_assert (json_object_get_boolean_member (o, "ok"));
  ck_assert_uint_eq (json_array_get_length (json_object_get_array_member (o, "errors")), 0);

  o = auth_object (fields, &root4);
  names = json_object_get_array_member (o, "fields");
  for (guint i = 0; i < json_array_get_length (names); i++)
    {
      has_date |= g_strcmp0 (json_array_get_string_element (names, i), "DataDate") == 0;
      has_t1 |= g_strcmp0 (json_array_get_string_element (names, i), "T1") == 0;
    }
  ck_assert_msg (has_date && has_t1, "%s", fields->body);
  auth_assert_error (fields_bad, 400, "invalid-argument");
}
END_TEST

/* Who may change templates: operators and admins; a viewer and a
 * subscriber read them */
START_TEST (test_templates_rights)
{
  g_autofree gchar *body = with_body (tpl_text, NULL);
  g_autofree gchar *put_body = with_body (tpl_text, "\"version\": 1");
  g_autoptr (AuthResponse) sub_post
      = auth_as (sub_bearer, "POST", "/api/v1/reports/templates", body);
  g_autoptr (AuthResponse) viewer_post
      = auth_as (viewer_bearer, "POST", "/api/v1/reports/templates", body);
  g_autoptr (AuthResponse) post = auth_as (admin_bearer, "POST", "/api/v1/reports/templates", body);
  g_autoptr (AuthResponse) sub_put
      = auth_as (sub_bearer, "PUT", "/api/v1/reports/templates/api-check", put_body);
  g_autoptr (AuthResponse) sub_del
      = auth_as (sub_bearer, "DELETE", "/api/v1/reports/templates/api-check", NULL);
  g_autoptr (AuthResponse) sub_list
      = auth_as (sub_bearer, "GET", "/api/v1/reports/templates", NULL);
  g_autoptr (AuthResponse) sub_get
      = auth_as (sub_bearer, "GET", "/api/v1/reports/templates/api-check", NULL);

  auth_assert_error (sub_post, 403, "forbidden");
  auth_assert_error (viewer_post, 403, "forbidden");
  ck_assert_msg (post->status == 201, "%u %s", post->status, post->body);
  auth_assert_error (sub_put, 403, "forbidden");
  auth_assert_error (sub_del, 403, "forbidden");
  ck_assert_msg (sub_list->status == 200, "%u %s", sub_list->status, sub_list->body);
  ck_assert_msg (sub_get->status == 200, "%u %s", sub_get->status, sub_get->body);
  ck_assert_str_eq (auth_sql ("SELECT version FROM report_templates"), "1");
}
END_TEST

static gchar *
render_body (const gchar *points, const gchar *format)
{
  g_autofree gchar *more = g_strdup_printf (
      "\"points\": %s, \"from\": \"2026-11-01\", \"to\": \"2026-11-04\", \"kind\": \"day\", "
      "\"format\": \"%s\", \"language\": \"en\"",
      points, format);
  return with_body (tpl_text, more);
}

/* The render request of @points with the stored template "api-check" */
static gchar *
render_stored (const gchar *points, const gchar *language)
{
  return g_strdup_printf (
      "{\"template\": \"api-check\", \"points\": %s, \"from\": \"2026-11-01\", \"to\": "
      "\"2026-11-04\", \"kind\": \"day\", \"format\": \"pdf\", \"language\": \"%s\"}",
      points, language);
}

/* One point to a PDF: its text as pdftotext reads it; a subscriber's own
 * point only, with a stored template only (a template's text could read
 * fields /devices refuses it: 403); bad requests */
START_TEST (test_render)
{
  g_autofree gchar *pdftotext = need_program ("pdftotext");
  g_autofree gchar *store_body = with_body (tpl_text, NULL);
  g_autoptr (AuthResponse) stored
      = auth_as (admin_bearer, "POST", "/api/v1/reports/templates", store_body);
  g_autofree gchar *body = render_stored ("[1]", "en");
  g_autoptr (RawResponse) pdf = raw_request (sub_bearer, "POST", "/api/v1/reports/render", body);
  g_autofree gchar *text_body = render_body ("[1]", "pdf");
  g_autoptr (AuthResponse) sub_text
      = auth_as (sub_bearer, "POST", "/api/v1/reports/render", text_body);
  g_autoptr (AuthResponse) sub_job
      = auth_as (sub_bearer, "POST", "/api/v1/reports/jobs", text_body);
  g_autoptr (RawResponse) admin_text
      = raw_request (admin_bearer, "POST", "/api/v1/reports/render", text_body);
  g_autofree gchar *ru_body = render_stored ("[1]", "ru");
  g_autoptr (RawResponse) ru = raw_request (sub_bearer, "POST", "/api/v1/reports/render", ru_body);
  g_autofree gchar *other_body = render_stored ("[5]", "en");
  g_autoptr (AuthResponse) other
      = auth_as (sub_bearer, "POST", "/api/v1/reports/render", other_body);
  g_autofree gchar *two_body = render_body ("[1, 2]", "pdf");
  g_autoptr (AuthResponse) two = auth_as (admin_bearer, "POST", "/api/v1/reports/render", two_body);
  g_autofree gchar *format_body = render_body ("[1]", "doc");
  g_autoptr (AuthResponse) format
      = auth_as (admin_bearer, "POST", "/api/v1/reports/render", format_body);
  g_autofree gchar *bad_body
      = with_body (bad_text, "\"points\": [1], \"from\": \"2026-11-01\", \"to\": \"2026-11-04\", "
                             "\"format\": \"pdf\"");
  g_autoptr (AuthResponse) bad = auth_as (admin_bearer, "POST", "/api/v1/reports/render", bad_body);
  g_autoptr (AuthResponse) unknown
      = auth_as (admin_bearer, "POST", "/api/v1/reports/render",
                 "{\"template\": \"no-such\", \"points\": [1], \"from\": \"2026-11-01\", \"to\": "
                 "\"2026-11-04\", \"format\": \"pdf\"}");
  g_autoptr (AuthResponse) broken
      = auth_as (admin_bearer, "POST", "/api/v1/reports/render", "{\"bo");
  g_autofree gchar *filler = g_strnfill (300 * 1024, 'x');
  g_autofree gchar *huge_body = with_body (filler, NULL);
  g_autoptr (AuthResponse) huge
      = auth_as (admin_bearer, "POST", "/api/v1/reports/render", huge_body);
  const gchar *const args[] = { pdftotext, "-layout", NULL };
  g_autofree gchar *text = NULL;
  const gchar *disposition;

  ck_assert_msg (stored->status == 201, "%u %s", stored->status, stored->body);
  ck_assert_msg (pdf->status == 200, "%u %.*s", pdf->status, (int) g_bytes_get_size (pdf->body),
                 (const gchar *) g_bytes_get_data (pdf->body, NULL));
  auth_assert_error (sub_text, 403, "permission-denied");
  auth_assert_error (sub_job, 403, "permission-denied");
  ck_assert_msg (admin_text->status == 200, "%u", admin_text->status);
  /* the Russian title "Проверка" (8 letters, 16 bytes): the ASCII fallback
   * has one '_' a letter, the UTF-8 name its percent-escapes */
  ck_assert_msg (ru->status == 200, "%u", ru->status);
  disposition = soup_message_headers_get_one (ru->headers, "Content-Disposition");
  ck_assert_msg (disposition != NULL && strstr (disposition, "filename=\"1-________.pdf\"") != NULL
                     && strstr (disposition, "filename*=UTF-8''1-%D0%9F%D1%80%D0%BE%D0%B2%D0%B5%D1%"
                                             "80%D0%BA%D0%B0.pdf")
                            != NULL,
                 "%s", disposition);
  ck_assert_str_eq (soup_message_headers_get_content_type (pdf->headers, NULL), "application/pdf");
  disposition = soup_message_headers_get_one (pdf->headers, "Content-Disposition");
  ck_assert_msg (disposition != NULL
                     && strstr (disposition, "filename*=UTF-8''1-Check_report.pdf") != NULL,
                 "%s", disposition);
  text = run_on_file (pdf->body, "render.pdf", args, "-");
  ck_assert_msg (strstr (text, "Отопление") != NULL, "%s", text);
  ck_assert_msg (strstr (text, "1.234") != NULL, "%s", text);
  ck_assert_msg (strstr (text, "3.734") != NULL, "%s", text);
  /* point 5 is of node 2, which the subscriber does not see */
  auth_assert_error (other, 404, "not-found");
  auth_assert_error (two, 400, "invalid-argument");
  auth_assert_error (format, 400, "invalid-argument");
  ck_assert_msg (bad->status == 422, "%u %s", bad->status, bad->body);
  auth_assert_error (unknown, 404, "not-found");
  auth_assert_error (broken, 400, "invalid-argument");
  /* over lersd's bound on bodies (256 KiB) */
  ck_assert_msg (huge->status == 413, "%u %s", huge->status, huge->body);
}
END_TEST

/* A job's answer, polled until it ends (at most 60 s) */
static JsonNode *
wait_job (const gchar *bearer, const gchar *id)
{
  g_autofree gchar *target = g_strdup_printf ("/api/v1/reports/jobs/%s", id);

  for (gint i = 0; i < 600; i++)
    {
      g_autoptr (AuthResponse) r = auth_as (bearer, "GET", target, NULL);
      JsonNode *root = NULL;
      JsonObject *o = auth_object (r, &root);
      const gchar *state = json_object_get_string_member (o, "state");

      if (g_strcmp0 (state, "queued") != 0 && g_strcmp0 (state, "running") != 0)
        return root;
      json_node_unref (root);
      g_usleep (100000);
    }
  ck_abort_msg ("job %s did not end", id);
  return NULL;
}

/* Two points: 202, progress to done 2/2, the zip's two PDFs; a group */
START_TEST (test_jobs)
{
  g_autofree gchar *python = need_program ("python3");
  g_autofree gchar *body = render_body ("[2, 1]", "pdf");
  g_autoptr (AuthResponse) post = auth_as (admin_bearer, "POST", "/api/v1/reports/jobs", body);
  g_autoptr (JsonNode) root = NULL;
  g_autoptr (JsonNode) done = NULL;
  g_autoptr (JsonNode) group_done = NULL;
  g_autoptr (RawResponse) zip = NULL;
  g_autoptr (RawResponse) group_zip = NULL;
  g_autoptr (AuthResponse) sub_get = NULL;
  g_autoptr (AuthResponse) sub_result = NULL;
  g_autoptr (AuthResponse) cancel = NULL;
  g_autoptr (AuthResponse) sub_job = NULL;
  g_autoptr (AuthResponse) nothing = NULL;
  g_autoptr (AuthResponse) both = NULL;
  g_autoptr (JsonNode) cancel_root = NULL;
  g_autofree gchar *id = NULL;
  g_autofree gchar *target = NULL;
  g_autofree gchar *names = NULL;
  g_autofree gchar *group_names = NULL;
  g_autofree gchar *sub_body
      = g_strdup ("{\"template\": \"sys-check\", \"points\": [5], \"from\": \"2026-11-01\", "
                  "\"to\": \"2026-11-04\", \"format\": \"pdf\"}");
  const gchar *const args[] = {
    python, "-c",
    "import sys, zipfile\n"
    "z = zipfile.ZipFile(sys.argv[1])\n"
    "assert z.testzip() is None\n"
    "print(' '.join(i.filename + ':' + z.read(i)[:5].decode('latin-1') for i in z.infolist()))\n",
    NULL
  };
  JsonObject *o;

  ck_assert_msg (post->status == 202, "%u %s", post->status, post->body);
  o = auth_object (post, &root);
  id = g_strdup (json_object_get_string_member (o, "id"));
  ck_assert_int_eq (json_object_get_int_member (o, "total"), 2);
  ck_assert_int_eq (json_object_get_int_member (o, "done"), 0);
  done = wait_job (admin_bearer, id);
  o = json_node_get_object (done);
  ck_assert_msg (g_strcmp0 (json_object_get_string_member (o, "state"), "done") == 0, "%s",
                 json_to_string (done, FALSE));
  ck_assert_int_eq (json_object_get_int_member (o, "done"), 2);
  ck_assert_int_eq (json_object_get_int_member (o, "total"), 2);
  target = g_strdup_printf ("/api/v1/reports/jobs/%s/result", id);
  zip = raw_request (admin_bearer, "GET", target, NULL);
  ck_assert_uint_eq (zip->status, 200);
  ck_assert_str_eq (soup_message_headers_get_content_type (zip->headers, NULL), "application/zip");
  names = run_on_file (zip->body, "job.zip", args, NULL);
  /* one PDF a point, by point id */
  ck_assert_str_eq (names, "1-Check_report.pdf:%PDF- 2-Check_report.pdf:%PDF-\n");

  /* another user does not see the job */
  {
    g_autofree gchar *job_target = g_strdup_printf ("/api/v1/reports/jobs/%s", id);
    sub_get = auth_as (sub_bearer, "GET", job_target, NULL);
  }
  auth_assert_error (sub_get, 404, "not-found");
  sub_result = auth_as (sub_bearer, "GET", target, NULL);
  auth_assert_error (sub_result, 404, "not-found");
  /* cancelling an ended job changes nothing */
  {
    g_autofree gchar *cancel_target = g_strdup_printf ("/api/v1/reports/jobs/%s/cancel", id);
    cancel = auth_as (admin_bearer, "POST", cancel_target, NULL);
    o = auth_object (cancel, &cancel_root);
    ck_assert_str_eq (json_object_get_string_member (o, "state"), "done");
  }

  /* group 1 "A": node 2's point 5 */
  {
    g_autofree gchar *group_body
        = with_body (tpl_text, "\"group\": 1, \"from\": \"2026-11-01\", \"to\": \"2026-11-04\", "
                               "\"format\": \"pdf\", \"language\": \"en\"");
    g_autoptr (AuthResponse) g = auth_as (admin_bearer, "POST", "/api/v1/reports/jobs", group_body);
    g_autoptr (JsonNode) g_root = NULL;
    g_autofree gchar *g_target = NULL;

    ck_assert_msg (g->status == 202, "%u %s", g->status, g->body);
    o = auth_object (g, &g_root);
    ck_assert_int_eq (json_object_get_int_member (o, "total"), 1);
    group_done = wait_job (admin_bearer, json_object_get_string_member (o, "id"));
    ck_assert_str_eq (json_object_get_string_member (json_node_get_object (group_done), "state"),
                      "done");
    g_target = g_strdup_printf ("/api/v1/reports/jobs/%s/result",
                                json_object_get_string_member (o, "id"));
    group_zip = raw_request (admin_bearer, "GET", g_target, NULL);
    group_names = run_on_file (group_zip->body, "group.zip", args, NULL);
    ck_assert_str_eq (group_names, "5-Check_report.pdf:%PDF-\n");
  }
  /* the subscriber: not another node's point, nor a group it does not see */
  sub_job = auth_as (sub_bearer, "POST", "/api/v1/reports/jobs", sub_body);
  auth_assert_error (sub_job, 404, "not-found");
  nothing = auth_as (admin_bearer, "POST", "/api/v1/reports/jobs",
                     "{\"from\": \"2026-11-01\", \"to\": \"2026-11-04\", \"format\": \"pdf\", "
                     "\"template\": \"sys-check\"}");
  auth_assert_error (nothing, 400, "invalid-argument");
  both = auth_as (
      admin_bearer, "POST", "/api/v1/reports/jobs",
      "{\"points\": [1], \"group\": 1, \"from\": \"2026-11-01\", \"to\": \"2026-11-04\", "
      "\"format\": \"pdf\", \"template\": \"sys-check\"}");
  auth_assert_error (both, 400, "invalid-argument");
}
END_TEST

static Suite *
reports_suite (void)
{
  Suite *s = suite_create ("reports-api");
  TCase *tc = tcase_create ("reports");

  tcase_add_unchecked_fixture (tc, lers_check_cluster_setup, lers_check_cluster_teardown);
  tcase_add_checked_fixture (tc, reports_setup, reports_teardown);
  tcase_set_timeout (tc, 180);
  tcase_add_test (tc, test_templates_stored);
  tcase_add_test (tc, test_templates_system);
  tcase_add_test (tc, test_templates_check);
  tcase_add_test (tc, test_templates_rights);
  tcase_add_test (tc, test_render);
  tcase_add_test (tc, test_jobs);
  suite_add_tcase (s, tc);
  return s;
}

int
main (int argc, char **argv)
{
  lers_check_init (&argc, &argv);
  return lers_check_run_suite (reports_suite ());
}
