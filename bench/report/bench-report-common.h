/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

#include <lers.h>

G_BEGIN_DECLS

/* What the report benchmarks share: heat points with a generated archive in
 * the store, the same rows as a CSV for the reference programs, rendering
 * one document of a report, the reference programs, peak RSS. Any failure
 * ends the program with a message (bench_die). */

/* Stores a node and @n_points heat points (a ВКТ-7 each), and @n_rows
 * records of @kind from @start for each (T_in, T_out, M_in, M_out, V_in,
 * V_out, P_in, P_out, Q_delta, operating and stop time); their ids in
 * @point_ids. When @csv is set, writes the same rows there as the
 * statement's table shows them (the caption line of
 * data/templates/heat-statement-*.xml in Russian, values formatted as the
 * template does), the point's title first when @with_point. */
void bench_report_seed (LersStore *store, guint n_points, LersArchiveKind kind, GDateTime *start,
                        guint n_rows, gint64 *point_ids, const gchar *csv, gboolean with_point);

/* The standard template @name (data/templates/@name.xml). */
LersReportTemplate *bench_report_template (const gchar *name);

/* Builds document @index of @report and writes it with @backend to @stream;
 * the document's pages in @n_pages and the seconds the build (data and
 * layout, before drawing) took in @build_seconds, when set. */
void bench_report_render (LersReport *report, guint index, LersReportBackend *backend,
                          GOutputStream *stream, guint *n_pages, gdouble *build_seconds);

/* Runs @argv to its end (a missing program or a failure ends the bench);
 * the wall time it took in seconds; its standard output in @out if set. */
gdouble bench_report_spawn (const gchar *const *argv, gchar **out);

/* The "seconds: S" line that bench/report/reportlab-statement.py prints. */
gdouble bench_report_reportlab (const gchar *mode, const gchar *csv, const gchar *out,
                                gdouble *wall);

/* /proc/self/status VmHWM in kB; bench_report_reset_hwm() starts it anew
 * from the current RSS (Linux clear_refs 5). */
gint64 bench_report_hwm_kb (void);
void bench_report_reset_hwm (void);

gdouble bench_report_median (gdouble *values, guint n);

G_END_DECLS
