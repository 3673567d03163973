/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Report templates stored on the server, with their versions (migration
 * 0009). The store keeps text; parsing and checking a template is the
 * caller's (LersReportTemplate). */
#include "config.h"

#include <glib/gi18n-lib.h>
#include <stdlib.h>

#include "lers-error.h"
#include "store/lers-store-private.h"
#include "store/lers-store-report-templates.h"

/* the members every template's JSON has; @v is the versions row of the
 * version shown, t the template */
#define LERS_STORE_TEMPLATE_JSON(v)                                                                \
  "json_build_object('id', t.name, 'title', t.title, 'version', " v ".version, "                   \
  "'latest_version', t.version, 'body', " v ".body, 'created_at', t.created_at, "                  \
  "'created_by', t.created_by, 'updated_at', " v ".created_at, 'updated_by', " v                   \
  ".created_by)::text"

/* A connection of the store's pool for one call, as LersAccounts takes one */
typedef struct
{
  LersStore *store;
  LersStoreConn *conn;
  LersStoreCancel *watch;
} LersStoreTemplatesConn;

static gboolean
lers_store_templates_acquire (LersStore *store, LersStoreTemplatesConn *tc,
                              GCancellable *cancellable, GError **error)
{
  tc->store = store;
  tc->conn = NULL;
  tc->watch = NULL;
  if (g_cancellable_set_error_if_cancelled (cancellable, error))
    return FALSE;
  tc->conn = lers_store_acquire (store, error);
  if (tc->conn == NULL)
    return FALSE;
  if (!lers_store_conn_check (tc->conn, error)
      || !lers_store_apply_bound (store, tc->conn, LERS_STORE_BOUND_OBJECT_WRITE, FALSE, error))
    {
      lers_store_release (store, tc->conn);
      tc->conn = NULL;
      return FALSE;
    }
  tc->watch = lers_store_cancel_watch (store, tc->conn, cancellable);
  return TRUE;
}

/* Rolls back an open transaction unless @ok, and gives the connection back */
static gboolean
lers_store_templates_release (LersStoreTemplatesConn *tc, gboolean ok, GCancellable *cancellable,
                              GError **error)
{
  if (tc->conn == NULL)
    return ok;
  lers_store_cancel_unwatch (tc->watch);
  if (PQstatus (tc->conn->pg) == CONNECTION_OK
      && PQtransactionStatus (tc->conn->pg) != PQTRANS_IDLE)
    PQclear (PQexec (tc->conn->pg, "ROLLBACK"));
  if (!ok)
    lers_store_prefer_cancelled (cancellable, error);
  lers_store_release (tc->store, tc->conn);
  tc->conn = NULL;
  return ok;
}

static void
lers_store_templates_not_found (const gchar *name, GError **error)
{
  g_set_error (error, LERS_ERROR, LERS_ERROR_NOT_FOUND, _ ("There is no report template “%s”"),
               name);
}

/**
 * lers_store_list_report_templates_sync:
 * @self: a #LersStore
 * @cancellable: (nullable): a #GCancellable
 * @error: return location for a #GError
 *
 * Lists the report templates stored on the server (not the system ones,
 * which are files), ordered by id.
 *
 * Returns: (transfer full): a JSON array text of objects with `id` (the
 *   template's id), `title`, `version` (the current one), `latest_version`,
 *   `body`, `created_at`, `created_by`, `updated_at`, `updated_by`; %NULL
 *   with @error set
 *
 * Since: 0.6
 */
gchar *
lers_store_list_report_templates_sync (LersStore *self, GCancellable *cancellable, GError **error)
{
  LersStoreTemplatesConn tc;
  g_autoptr (PGresult) res = NULL;
  gchar *text = NULL;

  g_return_val_if_fail (LERS_IS_STORE (self), NULL);
  if (!lers_store_templates_acquire (self, &tc, cancellable, error))
    return NULL;
  res = lers_store_exec (
      tc.conn,
      "SELECT coalesce(json_agg(o ORDER BY n), '[]')::text FROM ("
      "SELECT t.name AS n, " LERS_STORE_TEMPLATE_JSON (
          "v") "::json AS o FROM report_templates t JOIN report_template_versions v "
               "ON v.template_id = t.id AND v.version = t.version) s",
      0, NULL, error);
  if (res != NULL)
    text = g_strdup (PQgetvalue (res, 0, 0));
  lers_store_templates_release (&tc, text != NULL, cancellable, error);
  return text;
}

/**
 * lers_store_get_report_template_sync:
 * @self: a #LersStore
 * @name: the template's id
 * @version: which version, or 0 for the current one
 * @cancellable: (nullable): a #GCancellable
 * @error: return location for a #GError
 *
 * Reads one stored report template.
 *
 * Returns: (transfer full): a JSON object text (the members of
 *   lers_store_list_report_templates_sync(), `version` and `body` of the
 *   version asked for), or %NULL with %LERS_ERROR_NOT_FOUND when there is
 *   no such template or version
 *
 * Since: 0.6
 */
gchar *
lers_store_get_report_template_sync (LersStore *self, const gchar *name, gint version,
                                     GCancellable *cancellable, GError **error)
{
  LersStoreTemplatesConn tc;
  g_autoptr (PGresult) res = NULL;
  g_autofree gchar *version_s = g_strdup_printf ("%d", version);
  const gchar *values[] = { name, version_s };
  gchar *text = NULL;

  g_return_val_if_fail (LERS_IS_STORE (self), NULL);
  g_return_val_if_fail (name != NULL, NULL);
  if (!lers_store_templates_acquire (self, &tc, cancellable, error))
    return NULL;
  res = lers_store_exec (tc.conn,
                         "SELECT " LERS_STORE_TEMPLATE_JSON (
                             "v") " FROM report_templates t JOIN report_template_versions v "
                                  "ON v.template_id = t.id AND v.version = CASE WHEN $2::int4 = 0 "
                                  "THEN t.version ELSE $2::int4 END WHERE t.name = $1::text",
                         2, values, error);
  if (res != NULL && PQntuples (res) == 1)
    text = g_strdup (PQgetvalue (res, 0, 0));
  else if (res != NULL)
    lers_store_templates_not_found (name, error);
  lers_store_templates_release (&tc, text != NULL, cancellable, error);
  return text;
}

/**
 * lers_store_add_report_template_sync:
 * @self: a #LersStore
 * @name: the template's id (`[a-z0-9-]`, at most 64)
 * @title: its title, for lists
 * @body: the template's text, checked by the caller
 * @author: (nullable): who stores it (a login), or %NULL
 * @cancellable: (nullable): a #GCancellable
 * @error: return location for a #GError
 *
 * Stores a new report template as its version 1.
 *
 * Returns: %TRUE; %FALSE with %G_IO_ERROR_EXISTS when a stored template
 *   has that id already, %LERS_ERROR_INVALID_ARGUMENT for a bad id
 *
 * Since: 0.6
 */
gboolean
lers_store_add_report_template_sync (LersStore *self, const gchar *name, const gchar *title,
                                     const gchar *body, const gchar *author,
                                     GCancellable *cancellable, GError **error)
{
  LersStoreTemplatesConn tc;
  g_autoptr (PGresult) res = NULL;
  const gchar *values[] = { name, title, body, author };
  gboolean ok = FALSE;

  g_return_val_if_fail (LERS_IS_STORE (self), FALSE);
  g_return_val_if_fail (name != NULL && title != NULL && body != NULL, FALSE);
  if (!lers_store_templates_acquire (self, &tc, cancellable, error))
    return FALSE;
  /* one statement: the template and its first version, or neither */
  res = lers_store_exec (tc.conn,
                         "WITH t AS (INSERT INTO report_templates (name, title, body, created_by, "
                         "updated_by) VALUES ($1::text, $2::text, $3::text, $4::text, $4::text) "
                         "ON CONFLICT (name) DO NOTHING RETURNING id) "
                         "INSERT INTO report_template_versions (template_id, version, body, "
                         "created_by) SELECT id, 1, $3::text, $4::text FROM t RETURNING 1",
                         4, values, error);
  if (res != NULL && PQntuples (res) == 1)
    ok = TRUE;
  else if (res != NULL)
    g_set_error (error, G_IO_ERROR, G_IO_ERROR_EXISTS,
                 _ ("A report template with the id “%s” exists already"), name);
  return lers_store_templates_release (&tc, ok, cancellable, error);
}

/**
 * lers_store_update_report_template_sync:
 * @self: a #LersStore
 * @name: the template's id
 * @version: the version the change was made to (the current one)
 * @title: the new title
 * @body: the new text, checked by the caller
 * @author: (nullable): who changes it (a login), or %NULL
 * @cancellable: (nullable): a #GCancellable
 * @error: return location for a #GError
 *
 * Stores a new version of a template, unless someone stored one since
 * @version was read.
 *
 * Returns: the new version; 0 with %LERS_ERROR_NOT_FOUND when there is no
 *   such template, %G_IO_ERROR_EXISTS when @version is not the current one
 *
 * Since: 0.6
 */
gint
lers_store_update_report_template_sync (LersStore *self, const gchar *name, gint version,
                                        const gchar *title, const gchar *body, const gchar *author,
                                        GCancellable *cancellable, GError **error)
{
  LersStoreTemplatesConn tc;
  g_autoptr (PGresult) res = NULL;
  g_autoptr (PGresult) current = NULL;
  g_autofree gchar *version_s = g_strdup_printf ("%d", version);
  const gchar *values[] = { name, version_s, title, body, author };
  gint result = 0;

  g_return_val_if_fail (LERS_IS_STORE (self), 0);
  g_return_val_if_fail (name != NULL && title != NULL && body != NULL, 0);
  if (!lers_store_templates_acquire (self, &tc, cancellable, error))
    return 0;
  /* the compare and the write in one statement: two editors saving over
   * the same version cannot both win */
  res = lers_store_exec (
      tc.conn,
      "WITH t AS (UPDATE report_templates SET version = version + 1, title = $3::text, "
      "body = $4::text, updated_at = now(), updated_by = $5::text "
      "WHERE name = $1::text AND version = $2::int4 RETURNING id, version) "
      "INSERT INTO report_template_versions (template_id, version, body, created_by) "
      "SELECT id, version, $4::text, $5::text FROM t RETURNING version",
      5, values, error);
  if (res != NULL && PQntuples (res) == 1)
    result = atoi (PQgetvalue (res, 0, 0));
  else if (res != NULL)
    {
      const gchar *one[] = { name };

      current = lers_store_exec (tc.conn, "SELECT version FROM report_templates WHERE name = $1", 1,
                                 one, error);
      if (current != NULL && PQntuples (current) == 0)
        lers_store_templates_not_found (name, error);
      else if (current != NULL)
        g_set_error (error, G_IO_ERROR, G_IO_ERROR_EXISTS,
                     _ ("Report template “%s” is at version %s now, not %d: "
                        "someone changed it since you read it"),
                     name, PQgetvalue (current, 0, 0), version);
    }
  lers_store_templates_release (&tc, result > 0, cancellable, error);
  return result;
}

/**
 * lers_store_list_report_template_versions_sync:
 * @self: a #LersStore
 * @name: the template's id
 * @cancellable: (nullable): a #GCancellable
 * @error: return location for a #GError
 *
 * Lists the versions of a stored template, newest first.
 *
 * Returns: (transfer full): a JSON array text of `{version, created_at,
 *   created_by, length}` (length: of the body in characters), or %NULL
 *   with %LERS_ERROR_NOT_FOUND when there is no such template
 *
 * Since: 0.6
 */
gchar *
lers_store_list_report_template_versions_sync (LersStore *self, const gchar *name,
                                               GCancellable *cancellable, GError **error)
{
  LersStoreTemplatesConn tc;
  g_autoptr (PGresult) res = NULL;
  const gchar *values[] = { name };
  gchar *text = NULL;

  g_return_val_if_fail (LERS_IS_STORE (self), NULL);
  g_return_val_if_fail (name != NULL, NULL);
  if (!lers_store_templates_acquire (self, &tc, cancellable, error))
    return NULL;
  res = lers_store_exec (tc.conn,
                         "SELECT (SELECT json_agg(json_build_object('version', v.version, "
                         "'created_at', v.created_at, 'created_by', v.created_by, 'length', "
                         "length(v.body)) ORDER BY v.version DESC) FROM report_template_versions v "
                         "WHERE v.template_id = t.id)::text FROM report_templates t "
                         "WHERE t.name = $1::text",
                         1, values, error);
  if (res != NULL && PQntuples (res) == 1)
    text = g_strdup (PQgetvalue (res, 0, 0));
  else if (res != NULL)
    lers_store_templates_not_found (name, error);
  lers_store_templates_release (&tc, text != NULL, cancellable, error);
  return text;
}

/**
 * lers_store_delete_report_template_sync:
 * @self: a #LersStore
 * @name: the template's id
 * @cancellable: (nullable): a #GCancellable
 * @error: return location for a #GError
 *
 * Removes a stored template with all its versions.
 *
 * Returns: %TRUE; %FALSE with %LERS_ERROR_NOT_FOUND when there is no such
 *   template
 *
 * Since: 0.6
 */
gboolean
lers_store_delete_report_template_sync (LersStore *self, const gchar *name,
                                        GCancellable *cancellable, GError **error)
{
  LersStoreTemplatesConn tc;
  g_autoptr (PGresult) res = NULL;
  const gchar *values[] = { name };
  gboolean ok = FALSE;

  g_return_val_if_fail (LERS_IS_STORE (self), FALSE);
  g_return_val_if_fail (name != NULL, FALSE);
  if (!lers_store_templates_acquire (self, &tc, cancellable, error))
    return FALSE;
  res = lers_store_exec (tc.conn, "DELETE FROM report_templates WHERE name = $1::text RETURNING 1",
                         1, values, error);
  if (res != NULL && PQntuples (res) == 1)
    ok = TRUE;
  else if (res != NULL)
    lers_store_templates_not_found (name, error);
  return lers_store_templates_release (&tc, ok, cancellable, error);
}
