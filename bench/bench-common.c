/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "config.h"

#include "bench-common.h"

#include <math.h>
#include <stdlib.h>

const LersParameter bench_heat_parameters[BENCH_N_HEAT_PARAMETERS] = {
  LERS_PARAMETER_T_IN, LERS_PARAMETER_T_OUT, LERS_PARAMETER_M_IN, LERS_PARAMETER_M_OUT,
  LERS_PARAMETER_V_IN, LERS_PARAMETER_V_OUT, LERS_PARAMETER_Q_IN, LERS_PARAMETER_Q_DELTA,
};

void
bench_die (const gchar *what, const gchar *msg)
{
  g_printerr ("%s: %s: %s\n", g_get_prgname () != NULL ? g_get_prgname () : "bench", what, msg);
  exit (EXIT_FAILURE);
}

PGresult *
bench_sql (PGconn *conn, const gchar *query)
{
  PGresult *res = PQexec (conn, query);

  if (PQresultStatus (res) != PGRES_COMMAND_OK && PQresultStatus (res) != PGRES_TUPLES_OK)
    bench_die (query, PQresultErrorMessage (res));
  return res;
}

gdouble
bench_heat_value (guint p, guint point, guint hour)
{
  gdouble day = sin (2 * G_PI * (hour % 24) / 24.0);
  gdouble t_in = 75 + 8 * day + (point % 7);
  gdouble m = 4.2 + 0.3 * day + (point % 13) * 0.1;

  switch (p)
    {
    case 0:
      return t_in;
    case 1:
      return t_in - 24.5 - (point % 3);
    case 2:
      return m;
    case 3:
      return m * 0.985;
    case 4:
      return m * 1.027;
    case 5:
      return m * 1.011;
    case 6:
      return m * t_in / 1000.0;
    default:
      return m * 24.5 / 1000.0;
    }
}

LersStore *
bench_start (LersCluster *cluster, gchar **uri, PGconn **conn)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (LersStore) store = NULL;

  if (!lers_cluster_start (cluster, NULL, &error))
    bench_die ("cluster", error->message);
  *uri = lers_cluster_get_uri (cluster);
  store = lers_store_new (*uri);
  if (!lers_store_open_sync (store, NULL, &error))
    bench_die ("open", error->message);
  *conn = PQconnectdb (*uri);
  if (PQstatus (*conn) != CONNECTION_OK)
    bench_die ("connect", PQerrorMessage (*conn));
  return g_steal_pointer (&store);
}

gdouble
bench_run_psql (const gchar *uri, const gchar *command)
{
  g_autofree gchar *psql = g_find_program_in_path ("psql");
  g_autoptr (GTimer) timer = NULL;
  g_autoptr (GError) error = NULL;
  g_autofree gchar *out = NULL;
  gint status;

  if (psql == NULL)
    psql = g_strdup ("/usr/lib/postgresql/15/bin/psql");
  {
    const gchar *args[]
        = { psql, "-X", "-q", "-v", "ON_ERROR_STOP=1", "-d", uri, "-c", command, NULL };

    timer = g_timer_new ();
    if (!g_spawn_sync (NULL, (gchar **) args, NULL, G_SPAWN_DEFAULT, NULL, NULL, &out, NULL,
                       &status, &error)
        || !g_spawn_check_wait_status (status, &error))
      bench_die ("psql \\copy", error->message);
  }
  return g_timer_elapsed (timer, NULL);
}
