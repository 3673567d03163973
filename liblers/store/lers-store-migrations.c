/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "config.h"

#include <glib/gi18n-lib.h>
#include <inttypes.h>
#include <json-glib/json-glib.h>
#include <string.h>

#include "lers-error.h"
#include "store/lers-store-private.h"
#include "store/lers-store-resources.h"

#define LERS_STORE_MIGRATIONS_PATH "/org/lers/store/migrations/"

/* ---- migrations -------------------------------------------------------- */

static gint
lers_store_cmp_names (gconstpointer a, gconstpointer b)
{
  return g_strcmp0 (*(const gchar *const *) a, *(const gchar *const *) b);
}

static gboolean
lers_store_apply_migrations (LersStoreConn *conn, GError **error)
{
  GResource *resource = lers_store_get_resource ();
  g_auto (GStrv) names = NULL;
  g_autoptr (GHashTable) applied = g_hash_table_new (NULL, NULL);
  g_autoptr (PGresult) res = NULL;

  names = g_resource_enumerate_children (resource, LERS_STORE_MIGRATIONS_PATH, 0, error);
  if (names == NULL)
    return FALSE;
  qsort (names, g_strv_length (names), sizeof (gchar *), lers_store_cmp_names);

  if (!lers_store_exec_simple (conn,
                               "CREATE TABLE IF NOT EXISTS schema_migrations ("
                               " version integer PRIMARY KEY,"
                               " applied_at timestamptz NOT NULL DEFAULT now())",
                               error))
    return FALSE;
  res = lers_store_exec (conn, "SELECT version FROM schema_migrations", 0, NULL, error);
  if (res == NULL)
    return FALSE;
  for (gint i = 0; i < PQntuples (res); i++)
    g_hash_table_add (applied, GINT_TO_POINTER (atoi (PQgetvalue (res, i, 0))));

  for (guint i = 0; names[i] != NULL; i++)
    {
      g_autofree gchar *path = g_strconcat (LERS_STORE_MIGRATIONS_PATH, names[i], NULL);
      g_autofree gchar *version_str = NULL;
      g_autoptr (GBytes) bytes = NULL;
      g_autofree gchar *sql = NULL;
      gint version = atoi (names[i]);
      const gchar *params[1];

      if (version <= 0 || !g_str_has_suffix (names[i], ".sql"))
        continue;
      if (g_hash_table_contains (applied, GINT_TO_POINTER (version)))
        continue;
      bytes = g_resource_lookup_data (resource, path, 0, error);
      if (bytes == NULL)
        return FALSE;
      sql = g_strndup (g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes));
      version_str = g_strdup_printf ("%d", version);
      params[0] = version_str;

      g_debug ("applying migration %s", names[i]);
      if (!lers_store_exec_simple (conn, "BEGIN", error))
        return FALSE;
      {
        /* A migration is several statements: the simple protocol runs them all. */
        g_autoptr (PGresult) mres = PQexec (conn->pg, sql);
        if (!lers_store_result_ok (mres))
          {
            lers_store_set_error (error, conn, mres);
            g_prefix_error (error, _ ("Migration %s failed: "), names[i]);
            return FALSE;
          }
      }
      {
        g_autoptr (PGresult) ires = lers_store_exec (
            conn, "INSERT INTO schema_migrations (version) VALUES ($1::int4)", 1, params, error);
        if (ires == NULL)
          return FALSE;
      }
      if (!lers_store_exec_simple (conn, "COMMIT", error))
        return FALSE;
    }
  return TRUE;
}

static gboolean
lers_store_job_open_run (LersStore *self, LersStoreConn *conn, LersStoreJob *job,
                         GCancellable *cancellable, GError **error)
{
  gboolean ok;

  /* Two processes opening the same database wait for each other here. */
  if (!lers_store_exec_simple (conn, "SELECT pg_advisory_lock(hashtext('lers_store_migrations'))",
                               error))
    return FALSE;
  ok = lers_store_apply_migrations (conn, error);
  if (PQstatus (conn->pg) == CONNECTION_OK)
    {
      if (PQtransactionStatus (conn->pg) != PQTRANS_IDLE)
        PQclear (PQexec (conn->pg, "ROLLBACK"));
      PQclear (PQexec (conn->pg, "SELECT pg_advisory_unlock(hashtext('lers_store_migrations'))"));
    }
  if (!ok)
    g_prefix_error (error, _ ("Could not update the database schema: "));
  return ok;
}

LersStoreJob *
lers_store_job_new_open (void)
{
  LersStoreJob *job = g_new0 (LersStoreJob, 1);
  job->func = lers_store_job_open_run;
  job->bound = LERS_STORE_BOUND_MIGRATION;
  return job;
}
