/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "config.h"

#include "bench-report-common.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bench-common.h"

/* the statement's columns after the date, as heat-statement-*.xml captions
 * them in Russian */
static const gchar *const captions[] = {
  "t1, °C",  "t2, °C",  "dt, °C",  "M1, т",  "M2, т",  "dM, т", "V1, м³", "V2, м³",
  "P1, МПа", "P2, МПа", "Q, Гкал", "ВНР, ч", "ВОС, ч", "НС",    "НС, ч",
};

typedef struct
{
  gdouble t1, t2, m1, m2, v1, v2, p1, p2, q, work, stop;
} Row;

/* plausible values of @point at @row (hours, or days when @hours is 24) */
static Row
row_values (guint point, guint row, guint hours)
{
  Row r;
  gdouble phase = (row % 24) / 24.0 * 2 * G_PI;

  r.t1 = 68.0 + 6.0 * sin (phase) + (point % 7) * 0.5;
  r.t2 = r.t1 - 18.0 - (point % 5) * 0.4;
  r.m1 = hours * (1.20 + 0.01 * (point % 11));
  r.m2 = r.m1 * 0.985;
  r.v1 = r.m1 * 1.021;
  r.v2 = r.m2 * 1.021;
  r.p1 = 0.62;
  r.p2 = 0.41;
  r.q = r.m1 * (r.t1 - r.t2) / 1000.0;
  r.work = (row % 97 == 50) ? hours - 1 : hours;
  r.stop = hours - r.work;
  return r;
}

/* @value with @decimals and a decimal comma, as the Russian template shows it */
static void
append_number (GString *line, gdouble value, guint decimals)
{
  gchar buf[G_ASCII_DTOSTR_BUF_SIZE];
  gchar *dot;

  g_snprintf (buf, sizeof buf, "%.*f", decimals, value);
  dot = strchr (buf, '.');
  if (dot != NULL)
    *dot = ',';
  g_string_append_printf (line, ",\"%s\"", buf);
}

void
bench_report_seed (LersStore *store, guint n_points, LersArchiveKind kind, GDateTime *start,
                   guint n_rows, gint64 *point_ids, const gchar *csv, gboolean with_point)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (LersNode) node = lers_node_new ();
  g_autoptr (GString) text = g_string_new (NULL);
  guint hours = kind == LERS_ARCHIVE_KIND_DAY ? 24 : 1;

  g_object_set (node, "title", "ИТП № 3", "address", "г. Пермь, ул. Ленина, д. 10", "customer",
                "ТСЖ Ленина 10", "contract", "ТС-0118", NULL);
  if (!lers_store_save_node_sync (store, node, NULL, &error))
    bench_die ("node", error->message);
  if (with_point)
    g_string_append (text, "\"point\",");
  g_string_append (text, hours == 1 ? "\"Дата, час\"" : "\"Дата\"");
  for (guint c = 0; c < G_N_ELEMENTS (captions); c++)
    g_string_append_printf (text, ",\"%s\"", captions[c]);
  g_string_append_c (text, '\n');

  for (guint p = 0; p < n_points; p++)
    {
      g_autoptr (LersDevice) device = lers_device_new ();
      g_autoptr (LersMeasurePoint) point = lers_measure_point_new ();
      g_autoptr (GPtrArray) records = g_ptr_array_new_with_free_func (g_object_unref);
      g_autofree gchar *serial = g_strdup_printf ("%06u", 100000 + p);
      g_autofree gchar *title = g_strdup_printf ("Отопление %04u", p + 1);

      g_object_set (device, "protocol", "vkt7", "model", "ВКТ-7", "serial-number", serial, NULL);
      if (!lers_store_save_device_sync (store, device, NULL, &error))
        bench_die ("device", error->message);
      g_object_set (point, "title", title, "node-id", lers_node_get_id (node), "device-id",
                    lers_device_get_id (device), "resource", LERS_RESOURCE_HEAT, NULL);
      if (!lers_store_save_measure_point_sync (store, point, NULL, &error))
        bench_die ("point", error->message);
      point_ids[p] = lers_measure_point_get_id (point);

      for (guint i = 0; i < n_rows; i++)
        {
          g_autoptr (GDateTime) ts
              = hours == 1 ? g_date_time_add_hours (start, i) : g_date_time_add_days (start, i);
          g_autofree gchar *when
              = g_date_time_format (ts, hours == 1 ? "%d.%m.%Y %H:%M" : "%d.%m.%Y");
          LersRecord *r = lers_record_new (ts, kind);
          Row v = row_values (p, i, hours);

          lers_record_set_value (r, LERS_PARAMETER_T_IN, v.t1, 0);
          lers_record_set_value (r, LERS_PARAMETER_T_OUT, v.t2, 0);
          lers_record_set_value (r, LERS_PARAMETER_M_IN, v.m1, 0);
          lers_record_set_value (r, LERS_PARAMETER_M_OUT, v.m2, 0);
          lers_record_set_value (r, LERS_PARAMETER_V_IN, v.v1, 0);
          lers_record_set_value (r, LERS_PARAMETER_V_OUT, v.v2, 0);
          lers_record_set_value (r, LERS_PARAMETER_P_IN, v.p1, 0);
          lers_record_set_value (r, LERS_PARAMETER_P_OUT, v.p2, 0);
          lers_record_set_value (r, LERS_PARAMETER_Q_DELTA, v.q, 0);
          lers_record_set_value (r, LERS_PARAMETER_NORMAL_OPERATION_DURATION, v.work, 0);
          lers_record_set_value (r, LERS_PARAMETER_STOP_DURATION, v.stop, 0);
          g_ptr_array_add (records, r);
          if (csv == NULL)
            continue;
          if (with_point)
            g_string_append_printf (text, "\"%s\",", title);
          g_string_append_printf (text, "\"%s\"", when);
          append_number (text, v.t1, 2);
          append_number (text, v.t2, 2);
          append_number (text, v.t1 - v.t2, 2);
          append_number (text, v.m1, 3);
          append_number (text, v.m2, 3);
          append_number (text, v.m1 - v.m2, 3);
          append_number (text, v.v1, 3);
          append_number (text, v.v2, 3);
          append_number (text, v.p1, 3);
          append_number (text, v.p2, 3);
          append_number (text, v.q, 3);
          append_number (text, v.work, 2);
          append_number (text, v.stop, 2);
          g_string_append (text, ",\"\"");
          append_number (text, 0, 2);
          g_string_append_c (text, '\n');
        }
      if (!lers_store_write_records_sync (store, point_ids[p], records, NULL, &error))
        bench_die ("records", error->message);
    }
  if (csv != NULL && !g_file_set_contents (csv, text->str, text->len, &error))
    bench_die (csv, error->message);
}

LersReportTemplate *
bench_report_template (const gchar *name)
{
  g_autoptr (GError) error = NULL;
  g_autofree gchar *file_name = g_strconcat (name, ".xml", NULL);
  g_autofree gchar *path
      = g_build_filename (LERS_BENCH_SOURCE_ROOT, "data", "templates", file_name, NULL);
  g_autoptr (GFile) file = g_file_new_for_path (path);
  LersReportTemplate *template_ = lers_report_template_new_from_file (file, NULL, &error);

  if (template_ == NULL)
    bench_die (path, error->message);
  return template_;
}

void
bench_report_render (LersReport *report, guint index, LersReportBackend *backend,
                     GOutputStream *stream, guint *n_pages, gdouble *build_seconds)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (GTimer) timer = g_timer_new ();
  g_autoptr (LersReportDocument) document
      = lers_report_build_document_sync (report, index, NULL, NULL, &error);

  if (document == NULL)
    bench_die ("build", error->message);
  if (build_seconds != NULL)
    *build_seconds = g_timer_elapsed (timer, NULL);
  if (!lers_report_backend_render_document (backend, document, stream, NULL, &error))
    bench_die ("render", error->message);
  if (n_pages != NULL)
    *n_pages = lers_report_document_get_n_pages (document);
}

gdouble
bench_report_spawn (const gchar *const *argv, gchar **out)
{
  g_autoptr (GError) error = NULL;
  g_autofree gchar *program = g_find_program_in_path (argv[0]);
  g_autofree gchar *err = NULL;
  g_autoptr (GTimer) timer = NULL;
  gint status = 0;

  if (program == NULL)
    bench_die (argv[0], "not installed: the reference is missing (scripts/deps.sh "
                        "LERS_BENCH_PACKAGES)");
  timer = g_timer_new ();
  if (!g_spawn_sync (NULL, (gchar **) argv, NULL, G_SPAWN_SEARCH_PATH, NULL, NULL, out, &err,
                     &status, &error))
    bench_die (argv[0], error->message);
  if (!g_spawn_check_wait_status (status, &error))
    bench_die (argv[0], err != NULL && *err != '\0' ? err : error->message);
  return g_timer_elapsed (timer, NULL);
}

gdouble
bench_report_reportlab (const gchar *mode, const gchar *csv, const gchar *out, gdouble *wall)
{
  g_autofree gchar *script = g_build_filename (LERS_BENCH_SOURCE_ROOT, "bench", "report",
                                               "reportlab-statement.py", NULL);
  const gchar *argv[] = { "/usr/bin/python3", script, mode, csv, out, NULL };
  g_autofree gchar *output = NULL;
  const gchar *seconds;
  gdouble elapsed = bench_report_spawn (argv, &output);

  seconds = strstr (output, "seconds: ");
  if (seconds == NULL)
    bench_die ("reportlab", output);
  if (wall != NULL)
    *wall = elapsed;
  return g_ascii_strtod (seconds + strlen ("seconds: "), NULL);
}

gint64
bench_report_hwm_kb (void)
{
  g_autofree gchar *status = NULL;
  const gchar *line;

  if (!g_file_get_contents ("/proc/self/status", &status, NULL, NULL))
    return -1;
  line = strstr (status, "VmHWM:");
  return line != NULL ? g_ascii_strtoll (line + strlen ("VmHWM:"), NULL, 10) : -1;
}

void
bench_report_reset_hwm (void)
{
  FILE *f = fopen ("/proc/self/clear_refs", "w");

  if (f == NULL)
    bench_die ("/proc/self/clear_refs", g_strerror (errno));
  fputs ("5", f);
  fclose (f);
}

static gint
compare_doubles (gconstpointer a, gconstpointer b)
{
  gdouble x = *(const gdouble *) a, y = *(const gdouble *) b;

  return (x > y) - (x < y);
}

gdouble
bench_report_median (gdouble *values, guint n)
{
  qsort (values, n, sizeof *values, compare_doubles);
  return n % 2 ? values[n / 2] : (values[n / 2 - 1] + values[n / 2]) / 2;
}
