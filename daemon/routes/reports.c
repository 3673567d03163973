/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Report templates (system files and stored, versioned), their check, the
 * field list, and one document rendered (docs/api-reports.md). Batches are
 * routes/reports-jobs.c. */
#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "accounts-common.h"
#include "lersd-resource.h"
#include "reports.h"

gboolean
lersd_reports_check_no_body (LersdRequest *req)
{
  g_autoptr (GBytes) bytes = lersd_request_get_body (req);
  g_autoptr (GError) error = NULL;
  g_autoptr (JsonObject) parsed = NULL;

  if (bytes == NULL || g_bytes_get_size (bytes) == 0)
    return TRUE;
  parsed = lersd_request_parse_json_object (req, &error);
  if (parsed == NULL)
    {
      lersd_request_reply_error (req, error);
      return FALSE;
    }
  return TRUE;
}

void
lersd_reports_reply_template_error (LersdReportsReply *reply, const GError *error)
{
  g_autoptr (JsonBuilder) b = json_builder_new ();
  guint line = 0, column = 0;
  gboolean placed = lers_report_template_get_error_position (error, &line, &column);

  json_builder_begin_object (b);
  json_builder_set_member_name (b, "error");
  json_builder_begin_object (b);
  json_builder_set_member_name (b, "code");
  json_builder_add_string_value (b, "invalid-template");
  json_builder_set_member_name (b, "message");
  json_builder_add_string_value (b, error->message);
  if (placed)
    {
      json_builder_set_member_name (b, "line");
      json_builder_add_int_value (b, line);
      json_builder_set_member_name (b, "column");
      json_builder_add_int_value (b, column);
    }
  json_builder_end_object (b);
  /* beside the error too, as the editor reads them */
  json_builder_set_member_name (b, "line");
  if (placed)
    json_builder_add_int_value (b, line);
  else
    json_builder_add_null_value (b);
  json_builder_set_member_name (b, "column");
  if (placed)
    json_builder_add_int_value (b, column);
  else
    json_builder_add_null_value (b);
  json_builder_end_object (b);
  g_clear_pointer (&reply->body, json_node_unref);
  reply->body = json_builder_get_root (b);
  reply->status = 422;
}

/* ---- templates ---------------------------------------------------------- */

/* The stored template's JSON (from the store), parsed */
static JsonObject *
lersd_reports_parse_object (const gchar *text, GError **error)
{
  g_autoptr (JsonParser) parser = json_parser_new ();
  JsonNode *root;

  if (!json_parser_load_from_data (parser, text, -1, error))
    return NULL;
  root = json_parser_get_root (parser);
  if (root == NULL || !JSON_NODE_HOLDS_OBJECT (root))
    {
      g_set_error_literal (error, LERS_ERROR, LERS_ERROR_FAILED, "report templates: bad JSON");
      return NULL;
    }
  return json_object_ref (json_node_get_object (root));
}

static JsonNode *
lersd_reports_parse_node (const gchar *text, GError **error)
{
  g_autoptr (JsonParser) parser = json_parser_new ();

  if (!json_parser_load_from_data (parser, text, -1, error))
    return NULL;
  return json_node_copy (json_parser_get_root (parser));
}

LersReportTemplate *
lersd_reports_find_template (LersdRequest *req, const gchar *id, gboolean *system,
                             GCancellable *cancellable, GError **error)
{
  g_autoptr (LersReportTemplate) t = lers_report_files_find_system (id, cancellable);
  g_autofree gchar *text = NULL;
  g_autoptr (JsonObject) o = NULL;

  if (system != NULL)
    *system = t != NULL;
  if (t != NULL)
    return g_steal_pointer (&t);
  if (!lers_report_files_is_id (id))
    {
      g_set_error (error, LERS_ERROR, LERS_ERROR_NOT_FOUND, _ ("There is no report template “%s”"),
                   id);
      return NULL;
    }
  text = lers_store_get_report_template_sync (lersd_request_get_store (req), id, 0, cancellable,
                                              error);
  if (text == NULL || (o = lersd_reports_parse_object (text, error)) == NULL)
    return NULL;
  return lers_report_template_new_from_data (json_object_get_string_member (o, "body"), -1, error);
}

/* What a list shows of a template: id, title, system, version, source,
 * kinds, default_kind, period (and, for stored ones, who changed it when) */
static void
lersd_reports_describe (JsonBuilder *b, LersReportTemplate *t, const gchar *language,
                        JsonObject *stored)
{
  guint n_kinds = 0;
  const LersArchiveKind *kinds = t != NULL ? lers_report_template_get_kinds (t, &n_kinds) : NULL;
  static const gchar *const copied[]
      = { "version", "created_at", "created_by", "updated_at", "updated_by", NULL };

  json_builder_set_member_name (b, "id");
  json_builder_add_string_value (b, t != NULL ? lers_report_template_get_id (t)
                                              : json_object_get_string_member (stored, "id"));
  json_builder_set_member_name (b, "title");
  json_builder_add_string_value (b, t != NULL ? lers_report_template_get_title (t, language)
                                              : json_object_get_string_member (stored, "title"));
  json_builder_set_member_name (b, "system");
  json_builder_add_boolean_value (b, stored == NULL);
  json_builder_set_member_name (b, "source");
  if (t != NULL)
    json_builder_add_string_value (
        b, lers_report_files_source_nick (lers_report_template_get_source (t)));
  else
    json_builder_add_null_value (b);
  json_builder_set_member_name (b, "kinds");
  json_builder_begin_array (b);
  for (guint i = 0; i < n_kinds; i++)
    json_builder_add_string_value (b, lers_archive_kind_to_string (kinds[i]));
  json_builder_end_array (b);
  json_builder_set_member_name (b, "default_kind");
  if (t != NULL)
    json_builder_add_string_value (
        b, lers_archive_kind_to_string (lers_report_template_get_default_kind (t)));
  else
    json_builder_add_null_value (b);
  json_builder_set_member_name (b, "period");
  if (t != NULL && lers_report_template_get_default_period (t) != NULL)
    json_builder_add_string_value (b, lers_report_template_get_default_period (t));
  else
    json_builder_add_null_value (b);
  for (guint i = 0; copied[i] != NULL; i++)
    {
      json_builder_set_member_name (b, copied[i]);
      if (stored != NULL && json_object_has_member (stored, copied[i]))
        json_builder_add_value (b, json_node_copy (json_object_get_member (stored, copied[i])));
      else
        json_builder_add_null_value (b);
    }
  /* a stored template whose text no longer parses (the engine grew
   * stricter) is listed, marked, so that it can be fixed */
  json_builder_set_member_name (b, "valid");
  json_builder_add_boolean_value (b, t != NULL);
}

/* GET /reports/templates */
static gboolean
lersd_reports_list_thread (LersdRequest *req, JsonObject *body, LersdReportsReply *reply,
                           GCancellable *cancellable, GError **error)
{
  const gchar *language = lersd_request_get_language (req);
  g_autoptr (GPtrArray) system = lers_report_files_list_system (cancellable);
  g_autofree gchar *text
      = lers_store_list_report_templates_sync (lersd_request_get_store (req), cancellable, error);
  g_autoptr (JsonNode) stored = NULL;
  g_autoptr (JsonBuilder) b = json_builder_new ();
  JsonArray *a;

  if (text == NULL || (stored = lersd_reports_parse_node (text, error)) == NULL)
    return FALSE;
  a = json_node_get_array (stored);
  json_builder_begin_array (b);
  for (guint i = 0; i < system->len; i++)
    {
      json_builder_begin_object (b);
      lersd_reports_describe (b, system->pdata[i], language, NULL);
      json_builder_end_object (b);
    }
  for (guint i = 0; i < json_array_get_length (a); i++)
    {
      JsonObject *o = json_array_get_object_element (a, i);
      g_autoptr (LersReportTemplate) t = lers_report_template_new_from_data (
          json_object_get_string_member (o, "body"), -1, NULL);

      json_builder_begin_object (b);
      lersd_reports_describe (b, t, language, o);
      json_builder_end_object (b);
    }
  json_builder_end_array (b);
  reply->body = json_builder_get_root (b);
  return TRUE;
}

static void
lersd_reports_list (LersdRequest *req)
{
  lersd_accounts_run (req, FALSE, lersd_reports_list_thread);
}

/* GET /reports/templates/{id}[?version=N]: the list's members and body */
static gboolean
lersd_reports_get_thread (LersdRequest *req, JsonObject *body, LersdReportsReply *reply,
                          GCancellable *cancellable, GError **error)
{
  const gchar *id = lersd_request_get_segment (req, 2);
  const gchar *version_s = lersd_request_get_query (req, "version");
  guint64 version = 0;
  g_autoptr (LersReportTemplate) system = lers_report_files_find_system (id, cancellable);
  g_autoptr (JsonBuilder) b = json_builder_new ();
  g_autoptr (LersReportTemplate) t = NULL;
  g_autoptr (JsonObject) stored = NULL;
  g_autofree gchar *text = NULL;
  g_autoptr (GBytes) system_text = NULL;

  if (version_s != NULL
      && !g_ascii_string_to_unsigned (version_s, 10, 1, G_MAXINT32, &version, NULL))
    {
      g_set_error_literal (error, LERS_ERROR, LERS_ERROR_INVALID_ARGUMENT,
                           _ ("version is a whole number from 1"));
      return FALSE;
    }
  json_builder_begin_object (b);
  if (system != NULL)
    {
      if (version > 0)
        {
          g_set_error (error, LERS_ERROR, LERS_ERROR_NOT_FOUND,
                       _ ("A system template has no versions: “%s” is a file"), id);
          return FALSE;
        }
      system_text = lers_report_template_get_text (system);
      lersd_reports_describe (b, system, lersd_request_get_language (req), NULL);
      json_builder_set_member_name (b, "body");
      json_builder_add_string_value (b, g_bytes_get_data (system_text, NULL));
    }
  else
    {
      if (!lers_report_files_is_id (id))
        {
          g_set_error (error, LERS_ERROR, LERS_ERROR_NOT_FOUND,
                       _ ("There is no report template “%s”"), id);
          return FALSE;
        }
      text = lers_store_get_report_template_sync (lersd_request_get_store (req), id, (gint) version,
                                                  cancellable, error);
      if (text == NULL || (stored = lersd_reports_parse_object (text, error)) == NULL)
        return FALSE;
      t = lers_report_template_new_from_data (json_object_get_string_member (stored, "body"), -1,
                                              NULL);
      lersd_reports_describe (b, t, lersd_request_get_language (req), stored);
      json_builder_set_member_name (b, "latest_version");
      json_builder_add_value (b,
                              json_node_copy (json_object_get_member (stored, "latest_version")));
      json_builder_set_member_name (b, "body");
      json_builder_add_string_value (b, json_object_get_string_member (stored, "body"));
    }
  json_builder_end_object (b);
  reply->body = json_builder_get_root (b);
  return TRUE;
}

static void
lersd_reports_get (LersdRequest *req)
{
  lersd_accounts_run (req, FALSE, lersd_reports_get_thread);
}

/* The body's "body": a template's text, parsed. NULL with @error (400)
 * when missing, or with reply set (422) when it does not parse. */
static LersReportTemplate *
lersd_reports_read_body (LersdRequest *req, JsonObject *body, LersdReportsReply *reply,
                         const gchar **text, GError **error)
{
  g_autoptr (GError) parse_error = NULL;
  LersReportTemplate *t;

  if (!lersd_accounts_get_string (body, "body", TRUE, text, error))
    {
      lersd_request_set_error_field (req, "body");
      return NULL;
    }
  if (*text == NULL || (*text)[0] == '\0')
    {
      g_set_error_literal (error, LERS_ERROR, LERS_ERROR_INVALID_ARGUMENT,
                           _ ("body is a template's XML text"));
      lersd_request_set_error_field (req, "body");
      return NULL;
    }
  t = lers_report_template_new_from_data (*text, -1, &parse_error);
  if (t == NULL)
    lersd_reports_reply_template_error (reply, parse_error);
  return t;
}

static gchar *
lersd_reports_audit_text (const gchar *id, gint version)
{
  return g_strdup_printf ("{\"id\": \"%s\", \"version\": %d}", id, version);
}

/* The answer to a POST or PUT: the template as GET shows it */
static gboolean
lersd_reports_reply_stored (LersdRequest *req, const gchar *id, LersdReportsReply *reply,
                            GCancellable *cancellable, GError **error)
{
  g_autofree gchar *text = lers_store_get_report_template_sync (lersd_request_get_store (req), id,
                                                                0, cancellable, error);
  g_autoptr (JsonObject) stored = NULL;
  g_autoptr (LersReportTemplate) t = NULL;
  g_autoptr (JsonBuilder) b = json_builder_new ();

  if (text == NULL || (stored = lersd_reports_parse_object (text, error)) == NULL)
    return FALSE;
  t = lers_report_template_new_from_data (json_object_get_string_member (stored, "body"), -1, NULL);
  json_builder_begin_object (b);
  lersd_reports_describe (b, t, lersd_request_get_language (req), stored);
  json_builder_set_member_name (b, "body");
  json_builder_add_string_value (b, json_object_get_string_member (stored, "body"));
  json_builder_end_object (b);
  reply->body = json_builder_get_root (b);
  return TRUE;
}

/* FALSE with 422 in @reply when @id cannot be a stored template's (the
 * table holds ids of 1 to 64 of [a-z0-9-]) */
static gboolean
lersd_reports_check_id (const gchar *id, LersdReportsReply *reply)
{
  g_autoptr (GError) id_error = NULL;

  if (lers_report_files_is_id (id))
    return TRUE;
  id_error = g_error_new_literal (
      LERS_ERROR, LERS_ERROR_INVALID_DATA,
      _ ("A stored template's id has 1 to 64 small Latin letters, digits or '-'"));
  lersd_reports_reply_template_error (reply, id_error);
  return FALSE;
}

/* After a failed write: the database's own words (a table, a row) go to
 * the log, never to the client. Always FALSE. */
static gboolean
lersd_reports_store_failed (GError **error)
{
  if (error != NULL && *error != NULL
      && g_error_matches (*error, LERS_ERROR, LERS_ERROR_INVALID_ARGUMENT))
    {
      g_message ("report templates: the database refused a write: %s", (*error)->message);
      g_clear_error (error);
      g_set_error_literal (error, LERS_ERROR, LERS_ERROR_INVALID_ARGUMENT,
                           _ ("The database refused to store the template; lersd's log says why"));
    }
  return FALSE;
}

/* POST /reports/templates {body} → 201 */
static gboolean
lersd_reports_post_thread (LersdRequest *req, JsonObject *body, LersdReportsReply *reply,
                           GCancellable *cancellable, GError **error)
{
  const gchar *text = NULL;
  g_autoptr (LersReportTemplate) t = lersd_reports_read_body (req, body, reply, &text, error);
  g_autoptr (LersReportTemplate) system = NULL;
  g_autofree gchar *after = NULL;
  g_autofree gchar *location = NULL;
  const gchar *id;
  LersUser *user = lersd_request_get_user (req);

  if (t == NULL)
    return reply->body != NULL;
  id = lers_report_template_get_id (t);
  if (!lersd_reports_check_id (id, reply))
    return TRUE;
  system = lers_report_files_find_system (id, cancellable);
  if (system != NULL)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_EXISTS,
                   _ ("“%s” is the id of a system template: give the copy an id of its own"), id);
      lersd_request_set_error_field (req, "body");
      return FALSE;
    }
  if (!lers_store_add_report_template_sync (
          lersd_request_get_store (req), id, lers_report_template_get_title (t, "en"), text,
          user != NULL ? lers_user_get_login (user) : NULL, cancellable, error))
    return lersd_reports_store_failed (error);
  after = lersd_reports_audit_text (id, 1);
  if (!lersd_request_audit (req, "create", "report-template", 0, NULL, after, cancellable, error))
    return lersd_reports_store_failed (error);
  location = g_strdup_printf (LERSD_API_PREFIX "/reports/templates/%s", id);
  lersd_accounts_reply_header (reply, "Location", location);
  reply->status = SOUP_STATUS_CREATED;
  return lersd_reports_reply_stored (req, id, reply, cancellable, error);
}

static void
lersd_reports_post (LersdRequest *req)
{
  lersd_accounts_run (req, TRUE, lersd_reports_post_thread);
}

static gboolean
lersd_reports_refuse_system (const gchar *id, GCancellable *cancellable, GError **error)
{
  g_autoptr (LersReportTemplate) system = lers_report_files_find_system (id, cancellable);

  if (system == NULL)
    return TRUE;
  g_set_error (error, LERS_ERROR, LERS_ERROR_PERMISSION_DENIED,
               _ ("“%s” is a system template: it is read-only; store a copy under an id of "
                  "your own"),
               id);
  return FALSE;
}

/* PUT /reports/templates/{id} {body, version} → the new version */
static gboolean
lersd_reports_put_thread (LersdRequest *req, JsonObject *body, LersdReportsReply *reply,
                          GCancellable *cancellable, GError **error)
{
  const gchar *id = lersd_request_get_segment (req, 2);
  const gchar *text = NULL;
  g_autoptr (LersReportTemplate) t = NULL;
  g_autofree gchar *before = NULL;
  g_autofree gchar *after = NULL;
  LersUser *user = lersd_request_get_user (req);
  JsonNode *version_node;
  gint64 version;
  gint new_version;

  if (!lersd_reports_refuse_system (id, cancellable, error))
    return FALSE;
  if (!lersd_reports_check_id (id, reply))
    return TRUE;
  version_node = json_object_get_member (body, "version");
  if (version_node == NULL || !JSON_NODE_HOLDS_VALUE (version_node)
      || json_node_get_value_type (version_node) != G_TYPE_INT64
      || (version = json_node_get_int (version_node)) < 1 || version > G_MAXINT32)
    {
      g_set_error_literal (error, LERS_ERROR, LERS_ERROR_INVALID_ARGUMENT,
                           _ ("version is the version the change was made to (a whole number)"));
      lersd_request_set_error_field (req, "version");
      return FALSE;
    }
  t = lersd_reports_read_body (req, body, reply, &text, error);
  if (t == NULL)
    return reply->body != NULL;
  if (g_strcmp0 (lers_report_template_get_id (t), id) != 0)
    {
      g_set_error (error, LERS_ERROR, LERS_ERROR_INVALID_ARGUMENT,
                   _ ("The template's id is “%s”: it stays “%s” (store a copy with POST)"),
                   lers_report_template_get_id (t), id);
      lersd_request_set_error_field (req, "body");
      return FALSE;
    }
  new_version = lers_store_update_report_template_sync (
      lersd_request_get_store (req), id, (gint) version, lers_report_template_get_title (t, "en"),
      text, user != NULL ? lers_user_get_login (user) : NULL, cancellable, error);
  if (new_version == 0)
    return lersd_reports_store_failed (error);
  before = lersd_reports_audit_text (id, (gint) version);
  after = lersd_reports_audit_text (id, new_version);
  if (!lersd_request_audit (req, "update", "report-template", 0, before, after, cancellable, error))
    return lersd_reports_store_failed (error);
  return lersd_reports_reply_stored (req, id, reply, cancellable, error);
}

static void
lersd_reports_put (LersdRequest *req)
{
  lersd_accounts_run (req, TRUE, lersd_reports_put_thread);
}

/* DELETE /reports/templates/{id} → 204 */
static gboolean
lersd_reports_delete_thread (LersdRequest *req, JsonObject *body, LersdReportsReply *reply,
                             GCancellable *cancellable, GError **error)
{
  const gchar *id = lersd_request_get_segment (req, 2);
  g_autofree gchar *before = lersd_reports_audit_text (id, 0);

  if (!lersd_reports_refuse_system (id, cancellable, error))
    return FALSE;
  if (!lers_report_files_is_id (id))
    {
      g_set_error (error, LERS_ERROR, LERS_ERROR_NOT_FOUND, _ ("There is no report template “%s”"),
                   id);
      return FALSE;
    }
  if (!lers_store_delete_report_template_sync (lersd_request_get_store (req), id, cancellable,
                                               error)
      || !lersd_request_audit (req, "delete", "report-template", 0, before, NULL, cancellable,
                               error))
    return lersd_reports_store_failed (error);
  reply->status = SOUP_STATUS_NO_CONTENT;
  return TRUE;
}

static void
lersd_reports_delete (LersdRequest *req)
{
  lersd_accounts_run (req, FALSE, lersd_reports_delete_thread);
}

/* GET /reports/templates/{id}/versions: newest first; [] for a system one */
static gboolean
lersd_reports_versions_thread (LersdRequest *req, JsonObject *body, LersdReportsReply *reply,
                               GCancellable *cancellable, GError **error)
{
  const gchar *id = lersd_request_get_segment (req, 2);
  g_autoptr (LersReportTemplate) system = lers_report_files_find_system (id, cancellable);
  g_autofree gchar *text = NULL;

  if (system != NULL)
    {
      reply->body = json_node_init_array (json_node_alloc (), json_array_new ());
      return TRUE;
    }
  if (!lers_report_files_is_id (id))
    {
      g_set_error (error, LERS_ERROR, LERS_ERROR_NOT_FOUND, _ ("There is no report template “%s”"),
                   id);
      return FALSE;
    }
  text = lers_store_list_report_template_versions_sync (lersd_request_get_store (req), id,
                                                        cancellable, error);
  if (text == NULL)
    return FALSE;
  reply->body = lersd_reports_parse_node (text, error);
  return reply->body != NULL;
}

static void
lersd_reports_versions (LersdRequest *req)
{
  lersd_accounts_run (req, FALSE, lersd_reports_versions_thread);
}

/* POST /reports/templates/check {body} → {ok, errors: [{line, column,
 * message}]}: 200 when the template is good, 422 (the same body, with an
 * error member) when it is not */
static gboolean
lersd_reports_check_thread (LersdRequest *req, JsonObject *body, LersdReportsReply *reply,
                            GCancellable *cancellable, GError **error)
{
  const gchar *text = NULL;
  g_autoptr (GError) parse_error = NULL;
  g_autoptr (LersReportTemplate) t = NULL;
  g_autoptr (JsonBuilder) b = json_builder_new ();
  guint line = 0, column = 0;

  if (!lersd_accounts_get_string (body, "body", TRUE, &text, error) || text == NULL)
    {
      if (text == NULL && (error == NULL || *error == NULL))
        g_set_error_literal (error, LERS_ERROR, LERS_ERROR_INVALID_ARGUMENT,
                             _ ("body is a template's XML text"));
      lersd_request_set_error_field (req, "body");
      return FALSE;
    }
  t = lers_report_template_new_from_data (text, -1, &parse_error);
  json_builder_begin_object (b);
  json_builder_set_member_name (b, "ok");
  json_builder_add_boolean_value (b, t != NULL);
  if (t != NULL)
    {
      json_builder_set_member_name (b, "id");
      json_builder_add_string_value (b, lers_report_template_get_id (t));
    }
  json_builder_set_member_name (b, "errors");
  json_builder_begin_array (b);
  if (t == NULL)
    {
      gboolean placed = lers_report_template_get_error_position (parse_error, &line, &column);

      json_builder_begin_object (b);
      json_builder_set_member_name (b, "line");
      if (placed)
        json_builder_add_int_value (b, line);
      else
        json_builder_add_null_value (b);
      json_builder_set_member_name (b, "column");
      if (placed)
        json_builder_add_int_value (b, column);
      else
        json_builder_add_null_value (b);
      json_builder_set_member_name (b, "message");
      json_builder_add_string_value (b, parse_error->message);
      json_builder_end_object (b);
    }
  json_builder_end_array (b);
  if (t == NULL)
    {
      /* the shape of every error answer too */
      json_builder_set_member_name (b, "error");
      json_builder_begin_object (b);
      json_builder_set_member_name (b, "code");
      json_builder_add_string_value (b, "invalid-template");
      json_builder_set_member_name (b, "message");
      json_builder_add_string_value (b, parse_error->message);
      json_builder_end_object (b);
      reply->status = 422;
    }
  json_builder_end_object (b);
  reply->body = json_builder_get_root (b);
  return TRUE;
}

static void
lersd_reports_check (LersdRequest *req)
{
  lersd_accounts_run (req, TRUE, lersd_reports_check_thread);
}

/* GET /reports/fields?rows=archive → {rows, fields: [names]}: the names a
 * template may use there (rows absent or "none": outside tables) */
static void
lersd_reports_fields (LersdRequest *req)
{
  static const gchar *const rows_known[]
      = { "none", "archive", "points", "events", "incidents", "readings", NULL };
  const gchar *rows = lersd_request_get_query (req, "rows");
  g_auto (GStrv) names = NULL;
  g_autoptr (JsonBuilder) b = json_builder_new ();
  g_autoptr (JsonNode) root = NULL;

  if (rows != NULL && !g_strv_contains (rows_known, rows))
    {
      lersd_request_reply_error_literal (
          req, SOUP_STATUS_BAD_REQUEST, "invalid-argument",
          _ ("rows is one of none, archive, points, events, incidents, readings"));
      return;
    }
  names = lers_report_template_list_fields (g_strcmp0 (rows, "none") == 0 ? NULL : rows);
  json_builder_begin_object (b);
  json_builder_set_member_name (b, "rows");
  json_builder_add_string_value (b, rows != NULL ? rows : "none");
  json_builder_set_member_name (b, "fields");
  json_builder_begin_array (b);
  for (guint i = 0; names != NULL && names[i] != NULL; i++)
    json_builder_add_string_value (b, names[i]);
  json_builder_end_array (b);
  json_builder_end_object (b);
  root = json_builder_get_root (b);
  lersd_request_reply_json (req, SOUP_STATUS_OK, root);
}

/* ---- rendering ---------------------------------------------------------- */

static GMutex lersd_reports_engine_lock;
static LersEngine *lersd_reports_engine;

static LersReportBackend *
lersd_reports_get_backend (const gchar *format, GError **error)
{
  g_autoptr (GMutexLocker) locker = g_mutex_locker_new (&lersd_reports_engine_lock);

  /* one engine for the daemon's life: plugins load once */
  if (lersd_reports_engine == NULL)
    lersd_reports_engine = lers_engine_new ();
  return lers_report_files_get_backend (lersd_reports_engine, format, error);
}

void
lersd_reports_request_clear (LersdReportsRequest *r)
{
  g_clear_object (&r->template_);
  g_clear_object (&r->backend);
  g_clear_pointer (&r->format, g_free);
  g_clear_pointer (&r->language, g_free);
}

/* TRUE when the caller may write templates (LERSD_ACCESS_OPERATE) */
static gboolean
lersd_reports_may_edit (LersdRequest *req)
{
  LersUser *user = lersd_request_get_user (req);
  LersUserRole role = user != NULL ? lers_user_get_role (user) : LERS_USER_ROLE_SUBSCRIBER;

  return role == LERS_USER_ROLE_ADMIN || role == LERS_USER_ROLE_OPERATOR;
}

gboolean
lersd_reports_read_request (LersdRequest *req, JsonObject *body, LersdReportsRequest *r,
                            LersdReportsReply *reply, GCancellable *cancellable, GError **error)
{
  const gchar *id = NULL, *text = NULL, *kind = NULL, *format = NULL, *language = NULL;

  if (!lersd_accounts_get_string (body, "template", FALSE, &id, error)
      || !lersd_accounts_get_string (body, "body", FALSE, &text, error)
      || !lersd_accounts_get_string (body, "kind", FALSE, &kind, error)
      || !lersd_accounts_get_string (body, "format", TRUE, &format, error)
      || !lersd_accounts_get_string (body, "language", FALSE, &language, error))
    return FALSE;
  if ((id == NULL) == (text == NULL))
    {
      g_set_error_literal (error, LERS_ERROR, LERS_ERROR_INVALID_ARGUMENT,
                           _ ("Give either template (an id) or body (a template's text)"));
      lersd_request_set_error_field (req, "template");
      return FALSE;
    }
  if (text != NULL && !lersd_reports_may_edit (req))
    {
      /* a template's text reads any field (a device's address, say): only
       * those who may write templates give one; others render stored or
       * system templates, whose fields their points scope */
      g_set_error_literal (error, LERS_ERROR, LERS_ERROR_PERMISSION_DENIED,
                           _ ("Only admins and operators may render a template's text; render "
                              "a stored or system template by its id"));
      lersd_request_set_error_field (req, "body");
      return FALSE;
    }
  if (language != NULL && g_strcmp0 (language, "ru") != 0 && g_strcmp0 (language, "en") != 0)
    {
      g_set_error_literal (error, LERS_ERROR, LERS_ERROR_INVALID_ARGUMENT,
                           _ ("language is ru or en"));
      lersd_request_set_error_field (req, "language");
      return FALSE;
    }
  r->language = g_strdup (language != NULL ? language : lersd_request_get_language (req));
  if (id != NULL)
    r->template_ = lersd_reports_find_template (req, id, NULL, cancellable, error);
  else
    {
      g_autoptr (GError) parse_error = NULL;

      r->template_ = lers_report_template_new_from_data (text, -1, &parse_error);
      if (r->template_ == NULL)
        {
          lersd_reports_reply_template_error (reply, parse_error);
          return TRUE;
        }
    }
  if (r->template_ == NULL)
    return FALSE;
  r->kind = lers_report_template_get_default_kind (r->template_);
  if (kind != NULL)
    {
      guint n = 0;
      const LersArchiveKind *kinds = lers_report_template_get_kinds (r->template_, &n);
      gboolean accepted = FALSE;

      if (lers_archive_kind_from_string (kind, &r->kind))
        for (guint i = 0; i < n; i++)
          accepted |= kinds[i] == r->kind;
      if (!accepted)
        {
          g_autofree gchar *known = lers_report_files_kinds_text (r->template_);
          g_set_error (error, LERS_ERROR, LERS_ERROR_INVALID_ARGUMENT,
                       _ ("Template “%s” takes the archives %s, not %s"),
                       lers_report_template_get_id (r->template_), known, kind);
          lersd_request_set_error_field (req, "kind");
          return FALSE;
        }
    }
  r->format = g_strdup (format);
  r->backend = lersd_reports_get_backend (format, error);
  if (r->backend == NULL)
    {
      /* an unknown format is the client's mistake */
      g_autoptr (GError) local_error = g_steal_pointer (error);
      g_set_error (error, LERS_ERROR, LERS_ERROR_INVALID_ARGUMENT, "%s", local_error->message);
      lersd_request_set_error_field (req, "format");
      return FALSE;
    }
  return TRUE;
}

gboolean
lersd_reports_read_period (JsonObject *body, GTimeZone *zone, GDateTime **from, GDateTime **to,
                           GError **error)
{
  const gchar *from_s = NULL, *to_s = NULL;

  if (!lersd_accounts_get_string (body, "from", TRUE, &from_s, error)
      || !lersd_accounts_get_string (body, "to", TRUE, &to_s, error))
    return FALSE;
  if (from_s == NULL || to_s == NULL)
    {
      g_set_error_literal (error, LERS_ERROR, LERS_ERROR_INVALID_ARGUMENT,
                           _ ("from and to are dates or times"));
      return FALSE;
    }
  return lersd_parse_range (from_s, to_s, zone, 0, from, to, error);
}

/* Content-Disposition for @name: an ASCII fallback and the UTF-8 name */
static gchar *
lersd_reports_disposition (const gchar *name)
{
  g_autoptr (GString) ascii = g_string_new (NULL);
  g_autofree gchar *escaped = g_uri_escape_string (name, NULL, FALSE);

  /* one '_' a character, not a byte: "Отчёт.pdf" → "_____.pdf" */
  for (const gchar *p = name; *p != '\0'; p = g_utf8_next_char (p))
    g_string_append_c (ascii, g_ascii_isalnum (*p) || strchr ("-_.", *p) ? *p : '_');
  return g_strdup_printf ("attachment; filename=\"%s\"; filename*=UTF-8''%s", ascii->str, escaped);
}

/* synchronous renders at once; one more answers 503 (a job waits instead) */
#define LERSD_REPORTS_RENDERS 2
static gint lersd_reports_renders;

/* POST /reports/render: one document of one point, synchronously */
static gboolean lersd_reports_render_work (LersdRequest *req, JsonObject *body,
                                           LersdReportsReply *reply, GCancellable *cancellable,
                                           GError **error);

static gboolean
lersd_reports_render_thread (LersdRequest *req, JsonObject *body, LersdReportsReply *reply,
                             GCancellable *cancellable, GError **error)
{
  gboolean ok;

  if (g_atomic_int_add (&lersd_reports_renders, 1) >= LERSD_REPORTS_RENDERS)
    {
      g_atomic_int_add (&lersd_reports_renders, -1);
      lersd_accounts_reply_header (reply, "Retry-After", "2");
      lersd_accounts_reply_code (
          reply, SOUP_STATUS_SERVICE_UNAVAILABLE, "busy",
          _ ("Other reports are being rendered; try again in a moment, or start a job"));
      return TRUE;
    }
  ok = lersd_reports_render_work (req, body, reply, cancellable, error);
  g_atomic_int_add (&lersd_reports_renders, -1);
  return ok;
}

static gboolean
lersd_reports_render_work (LersdRequest *req, JsonObject *body, LersdReportsReply *reply,
                           GCancellable *cancellable, GError **error)
{
  g_auto (LersdReportsRequest) r = { 0 };
  g_autoptr (GTimeZone) zone = NULL;
  g_autoptr (GDateTime) from = NULL;
  g_autoptr (GDateTime) to = NULL;
  g_autoptr (LersReport) report = NULL;
  g_autoptr (LersReportDocument) document = NULL;
  g_autoptr (GOutputStream) out = NULL;
  g_autofree gchar *doc_name = NULL;
  g_autofree gchar *name = NULL;
  g_autofree gchar *disposition = NULL;
  JsonNode *points = json_object_get_member (body, "points");
  JsonNode *point_node;
  gint64 point_id;

  if (points == NULL || !JSON_NODE_HOLDS_ARRAY (points)
      || json_array_get_length (json_node_get_array (points)) != 1)
    {
      g_set_error_literal (error, LERS_ERROR, LERS_ERROR_INVALID_ARGUMENT,
                           _ ("points is an array of one point's id; for more, use "
                              "/reports/jobs"));
      lersd_request_set_error_field (req, "points");
      return FALSE;
    }
  point_node = json_array_get_element (json_node_get_array (points), 0);
  if (!JSON_NODE_HOLDS_VALUE (point_node) || json_node_get_value_type (point_node) != G_TYPE_INT64
      || (point_id = json_node_get_int (point_node)) < 1 || point_id > G_MAXINT32)
    {
      g_set_error_literal (error, LERS_ERROR, LERS_ERROR_INVALID_ARGUMENT,
                           _ ("points is an array of one point's id"));
      lersd_request_set_error_field (req, "points");
      return FALSE;
    }
  if (!lersd_reports_read_request (req, body, &r, reply, cancellable, error))
    return FALSE;
  if (reply->body != NULL)
    return TRUE;
  if (!lersd_request_check_point (req, point_id, cancellable, error))
    return FALSE;
  zone = lers_store_get_point_time_zone_sync (lersd_request_get_store (req), point_id, cancellable,
                                              error);
  if (zone == NULL || !lersd_reports_read_period (body, zone, &from, &to, error))
    return FALSE;
  report = lers_report_new (r.template_, lersd_request_get_store (req));
  lers_report_set_points (report, &point_id, 1);
  lers_report_set_period (report, from, to);
  lers_report_set_kind (report, r.kind);
  lers_report_set_language (report, r.language);
  document = lers_report_build_document_sync (report, 0, &doc_name, cancellable, error);
  if (document == NULL)
    return FALSE;
  out = g_memory_output_stream_new_resizable ();
  if (!lers_report_backend_render_document (r.backend, document, out, cancellable, error)
      || !g_output_stream_close (out, cancellable, error))
    return FALSE;
  reply->bytes = g_memory_output_stream_steal_as_bytes (G_MEMORY_OUTPUT_STREAM (out));
  reply->content_type = lers_report_backend_get_content_type (r.backend);
  name = lers_report_files_document_name (
      lers_report_template_get_source (r.template_) == LERS_REPORT_SOURCE_POINT ? point_id : 0,
      lers_report_document_get_title (document), r.format);
  disposition = lersd_reports_disposition (name);
  lersd_accounts_reply_header (reply, "Content-Disposition", disposition);
  return TRUE;
}

static void
lersd_reports_render (LersdRequest *req)
{
  lersd_accounts_run (req, TRUE, lersd_reports_render_thread);
}

const LersdRoute lersd_routes_reports[] = {
  { "GET", "reports/templates", LERSD_ACCESS_READ, lersd_reports_list },
  { "POST", "reports/templates", LERSD_ACCESS_OPERATE, lersd_reports_post },
  { "POST", "reports/templates/check", LERSD_ACCESS_READ, lersd_reports_check },
  { "GET", "reports/templates/*", LERSD_ACCESS_READ, lersd_reports_get },
  { "PUT", "reports/templates/*", LERSD_ACCESS_OPERATE, lersd_reports_put },
  { "DELETE", "reports/templates/*", LERSD_ACCESS_OPERATE, lersd_reports_delete },
  { "GET", "reports/templates/*/versions", LERSD_ACCESS_READ, lersd_reports_versions },
  { "GET", "reports/fields", LERSD_ACCESS_READ, lersd_reports_fields },
  { "POST", "reports/render", LERSD_ACCESS_READ, lersd_reports_render },
  { "POST", "reports/jobs", LERSD_ACCESS_READ, lersd_route_reports_jobs_post },
  { "GET", "reports/jobs/*", LERSD_ACCESS_READ, lersd_route_reports_job_get },
  { "GET", "reports/jobs/*/result", LERSD_ACCESS_READ, lersd_route_reports_job_result },
  { "POST", "reports/jobs/*/cancel", LERSD_ACCESS_READ, lersd_route_reports_job_cancel },
  { NULL },
};
