/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

#include <lers.h>
#include <libpq-fe.h>

G_BEGIN_DECLS

/* What the archive benchmarks share: the throwaway cluster they run
 * against, a generator of plausible heat-meter hours, and psql as the
 * reference. Any failure ends the program with a message. */

#define BENCH_N_HEAT_PARAMETERS 8
/* the 8 values of a heat hour, in the generator's order */
extern const LersParameter bench_heat_parameters[BENCH_N_HEAT_PARAMETERS];

/* Prints "PROGRAM: @what: @msg" and exits with failure. */
G_NORETURN void bench_die (const gchar *what, const gchar *msg);

/* Runs @query on @conn; the result, which the caller clears. */
PGresult *bench_sql (PGconn *conn, const gchar *query);

/* Deterministic, plausible district-heating hour values: parameter @p
 * (an index into bench_heat_parameters) of @point at @hour. */
gdouble bench_heat_value (guint p, guint point, guint hour);

/* Starts @cluster (a new temporary one), opens a store on it and a libpq
 * connection of its own in @conn; @uri is the cluster's. The store. */
LersStore *bench_start (LersCluster *cluster, gchar **uri, PGconn **conn);

/* Runs the real psql binary's `-c @command` against @uri; the seconds it
 * took. */
gdouble bench_run_psql (const gchar *uri, const gchar *command);

G_END_DECLS
