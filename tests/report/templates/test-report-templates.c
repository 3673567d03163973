/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The standard templates (data/templates/) as a reader sees them.
 *
 * A throwaway cluster holds a node «ИТП № 3» at «г. Пермь, ул. Ленина,
 * д. 10» (customer «ТСЖ Ленина 10», contract «ТС-0118») with two points:
 * «Отопление» on a ВКТ-7 heat computer (serial 071234) with the Russian
 * heat computer parameter set, and «Отопление (M-Bus)» on an M-Bus heat
 * meter (serial 10000042) with T_in, T_out, V_in, Q_in only. November 2026
 * (the server zone, UTC) holds one day record a day for both, two days of
 * hours, and the ВКТ-7's totals at the period's boundaries.
 *
 * The ВКТ-7's day d (1…30):
 *   T1 = 65.20 + 0.10 (d − 1) °C    mean 65.20 + 0.10 · 14.5 = 66.65
 *   T2 = 45.00 + 0.10 (d − 1) °C    mean 46.45
 *   M1 = 30.000 + 0.5 (d − 1) t     sum 30 · 30 + 0.5 · 435 = 1117.500
 *   M2 = 29.000 + 0.5 (d − 1) t     sum 1087.500; dM = M1 − M2 = 1.000 a day
 *   V1 = M1 · 1.02, V2 = M2 · 1.02 (not asserted)
 *   P1 = 0.600, P2 = 0.400 MPa
 *   Q  = 1.200 + 0.010 (d − 1) Gcal sum 36 + 0.01 · 435 = 40.350
 *   operating time 24 h, except day 15: 20 h with 4 h stopped
 *                                    ВНР sum 29 · 24 + 20 = 716.00 h, ВОС 4.00 h
 * Totals (meter readings) at 2026-11-01 00:00 and 2026-12-01 00:00:
 *   Q 1234.567 → 1274.917 (delta 40.350), M1 5000.000 → 6117.500 (1117.500),
 *   M2 4000.000 → 5087.500 (1087.500).
 * Its hours h (0…47) on 1 and 2 November, with k = h mod 24 the hour of
 * the day:
 *   T1 = 65.20 + 0.10 k °C   T2 = 45.00 °C   P1 = 0.600, P2 = 0.400 MPa
 *   M1 = 1.250 t, M2 = 1.208 t (dM 0.042 t), V = M · 1.02 (not asserted)
 *   Q  = 0.040 + 0.001 k Gcal  a day 24 · 0.040 + 0.001 · 276 = 1.236,
 *                              both days 2.472
 *   operating time 1 h an hour: 24.00 h a day, 48.00 h in all
 *   M1 a day 30.000, both days 60.000; mean T1 65.20 + 0.10 · 11.5 = 66.35 */
#include "config.h"

#include <cairo.h>
#include <glib/gstdio.h>
#include <math.h>
#include <string.h>

#include "lers-check.h"

#define N_DAYS 30

static gint64 vkt_point;
static gint64 mbus_point;
static LersEngine *engine;
static gchar *work_dir;

static const gchar *const template_names[] = {
  "heat-statement-daily",
  "heat-statement-hourly",
  "node-passport",
  "summary",
  "incidents",
  "calibration-schedule",
  "water-consumption",
  "gas-consumption",
  "electricity-consumption",
};

static gchar *
template_path (const gchar *name)
{
  g_autofree gchar *file = g_strconcat (name, ".xml", NULL);

  return g_build_filename (g_getenv ("LERS_SOURCE_ROOT"), "data", "templates", file, NULL);
}

static void
day_values (LersRecord *r, gint d)
{
  gdouble m1 = 30.0 + 0.5 * (d - 1), m2 = 29.0 + 0.5 * (d - 1);

  lers_record_set_value (r, LERS_PARAMETER_T_IN, 65.20 + 0.10 * (d - 1), 0);
  lers_record_set_value (r, LERS_PARAMETER_T_OUT, 45.00 + 0.10 * (d - 1), 0);
  lers_record_set_value (r, LERS_PARAMETER_M_IN, m1, 0);
  lers_record_set_value (r, LERS_PARAMETER_M_OUT, m2, 0);
  lers_record_set_value (r, LERS_PARAMETER_V_IN, m1 * 1.02, 0);
  lers_record_set_value (r, LERS_PARAMETER_V_OUT, m2 * 1.02, 0);
  lers_record_set_value (r, LERS_PARAMETER_P_IN, 0.600, 0);
  lers_record_set_value (r, LERS_PARAMETER_P_OUT, 0.400, 0);
  lers_record_set_value (r, LERS_PARAMETER_Q_DELTA, 1.200 + 0.010 * (d - 1), 0);
  lers_record_set_value (r, LERS_PARAMETER_NORMAL_OPERATION_DURATION, d == 15 ? 20 : 24, 0);
  lers_record_set_value (r, LERS_PARAMETER_STOP_DURATION, d == 15 ? 4 : 0, 0);
}

static void
hour_values (LersRecord *r, gint h)
{
  gint k = h % 24;

  lers_record_set_value (r, LERS_PARAMETER_T_IN, 65.20 + 0.10 * k, 0);
  lers_record_set_value (r, LERS_PARAMETER_T_OUT, 45.00, 0);
  lers_record_set_value (r, LERS_PARAMETER_M_IN, 1.250, 0);
  lers_record_set_value (r, LERS_PARAMETER_M_OUT, 1.208, 0);
  lers_record_set_value (r, LERS_PARAMETER_V_IN, 1.250 * 1.02, 0);
  lers_record_set_value (r, LERS_PARAMETER_V_OUT, 1.208 * 1.02, 0);
  lers_record_set_value (r, LERS_PARAMETER_P_IN, 0.600, 0);
  lers_record_set_value (r, LERS_PARAMETER_P_OUT, 0.400, 0);
  lers_record_set_value (r, LERS_PARAMETER_Q_DELTA, 0.040 + 0.001 * k, 0);
  lers_record_set_value (r, LERS_PARAMETER_NORMAL_OPERATION_DURATION, 1, 0);
  lers_record_set_value (r, LERS_PARAMETER_STOP_DURATION, 0, 0);
}

static void
write_records (LersStore *store, gint64 point, GPtrArray *records)
{
  g_autoptr (GError) error = NULL;

  ck_assert_msg (lers_store_write_records_sync (store, point, records, NULL, &error), "%s",
                 error != NULL ? error->message : "");
}

static void
add_totals (GPtrArray *totals, gint day, gint month, gdouble q, gdouble m1, gdouble m2)
{
  g_autoptr (GDateTime) ts = g_date_time_new_utc (2026, month, day, 0, 0, 0);
  LersRecord *r = lers_record_new (ts, LERS_ARCHIVE_KIND_TOTALS);

  lers_record_set_value (r, LERS_PARAMETER_Q_IN, q, 0);
  lers_record_set_value (r, LERS_PARAMETER_M_IN, m1, 0);
  lers_record_set_value (r, LERS_PARAMETER_M_OUT, m2, 0);
  g_ptr_array_add (totals, r);
}

static gint64
add_point (LersStore *store, LersNode *node, const gchar *protocol, const gchar *model,
           const gchar *serial, const gchar *title)
{
  g_autoptr (LersDevice) device = lers_device_new ();
  g_autoptr (LersMeasurePoint) point = lers_measure_point_new ();
  g_autoptr (GDateTime) calibrated = g_date_time_new_utc (2023, 3, 15, 0, 0, 0);
  g_autoptr (GError) error = NULL;

  g_object_set (device, "protocol", protocol, "model", model, "serial-number", serial,
                "network-address", "7", "calibration-date", calibrated, "calibration-interval", 48,
                NULL);
  ck_assert_msg (lers_store_save_device_sync (store, device, NULL, &error), "%s",
                 error ? error->message : "");
  g_object_set (point, "title", title, "node-id", lers_node_get_id (node), "device-id",
                lers_device_get_id (device), "resource", LERS_RESOURCE_HEAT, NULL);
  ck_assert_msg (lers_store_save_measure_point_sync (store, point, NULL, &error), "%s",
                 error ? error->message : "");
  return lers_measure_point_get_id (point);
}

static void
seed (void)
{
  LersStore *store;
  g_autoptr (LersNode) node = lers_node_new ();
  g_autoptr (GPtrArray) vkt_days = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr (GPtrArray) mbus_days = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr (GPtrArray) hours = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr (GPtrArray) totals = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr (GError) error = NULL;

  lers_check_store_setup ();
  store = lers_check_get_store ();
  g_object_set (node, "title", "ИТП № 3", "address", "г. Пермь, ул. Ленина, д. 10", "customer",
                "ТСЖ Ленина 10", "contract", "ТС-0118", NULL);
  ck_assert (lers_store_save_node_sync (store, node, NULL, &error));
  vkt_point = add_point (store, node, "vkt7", "ВКТ-7", "071234", "Отопление");
  mbus_point = add_point (store, node, "mbus", "MULTICAL 603", "10000042", "Отопление (M-Bus)");

  for (gint d = 1; d <= N_DAYS; d++)
    {
      g_autoptr (GDateTime) day = g_date_time_new_utc (2026, 11, d, 0, 0, 0);
      LersRecord *r = lers_record_new (day, LERS_ARCHIVE_KIND_DAY);
      LersRecord *m = lers_record_new (day, LERS_ARCHIVE_KIND_DAY);

      day_values (r, d);
      g_ptr_array_add (vkt_days, r);
      lers_record_set_value (m, LERS_PARAMETER_T_IN, 70.0, 0);
      lers_record_set_value (m, LERS_PARAMETER_T_OUT, 50.0, 0);
      lers_record_set_value (m, LERS_PARAMETER_V_IN, 12.5, 0);
      lers_record_set_value (m, LERS_PARAMETER_Q_IN, 0.25, 0);
      g_ptr_array_add (mbus_days, m);
    }
  for (gint h = 0; h < 48; h++)
    {
      g_autoptr (GDateTime) start = g_date_time_new_utc (2026, 11, 1, 0, 0, 0);
      g_autoptr (GDateTime) hour = g_date_time_add_hours (start, h);
      LersRecord *r = lers_record_new (hour, LERS_ARCHIVE_KIND_HOUR);

      hour_values (r, h);
      g_ptr_array_add (hours, r);
    }
  add_totals (totals, 1, 11, 1234.567, 5000.000, 4000.000);
  add_totals (totals, 1, 12, 1274.917, 6117.500, 5087.500);
  write_records (store, vkt_point, vkt_days);
  write_records (store, vkt_point, hours);
  write_records (store, vkt_point, totals);
  write_records (store, mbus_point, mbus_days);
}

static void
fixture_setup (void)
{
  g_autoptr (GError) error = NULL;

  seed ();
  engine = lers_engine_new ();
  work_dir = g_dir_make_tmp ("lers-report-templates-XXXXXX", &error);
  lers_check_assert_no_error (error);
}

static void
fixture_teardown (void)
{
  lers_check_remove_tree (work_dir);
  g_clear_pointer (&work_dir, g_free);
  g_clear_object (&engine);
  lers_check_store_teardown ();
}

/* Renders @name for @points in @language to @format; the file's path in
 * the work folder. */
static gchar *
render (const gchar *name, const gint64 *points, guint n_points, const gchar *language,
        const gchar *format)
{
  g_autoptr (GError) error = NULL;
  g_autofree gchar *path = template_path (name);
  g_autoptr (GFile) file = g_file_new_for_path (path);
  g_autoptr (LersReportTemplate) template_ = NULL;
  g_autoptr (LersReport) report = NULL;
  g_autoptr (LersReportDocument) document = NULL;
  g_autoptr (LersReportBackend) backend = NULL;
  g_autoptr (GOutputStream) stream = NULL;
  g_autoptr (GDateTime) from = g_date_time_new_utc (2026, 11, 1, 0, 0, 0);
  g_autoptr (GDateTime) to = g_date_time_new_utc (2026, 12, 1, 0, 0, 0);
  g_autofree gchar *out_name = NULL;
  g_autofree gchar *out = NULL;
  g_autoptr (GFile) out_file = NULL;
  g_autofree gchar *plugin = g_strconcat ("report-", format, NULL);

  template_ = lers_report_template_new_from_file (file, NULL, &error);
  ck_assert_msg (template_ != NULL, "%s: %s", name, error != NULL ? error->message : "");
  report = lers_report_new (template_, lers_check_get_store ());
  lers_report_set_points (report, points, n_points);
  lers_report_set_period (report, from, to);
  lers_report_set_kind (report, lers_report_template_get_default_kind (template_));
  lers_report_set_language (report, language);
  ck_assert_uint_ge (lers_report_get_n_documents (report), 1);
  document = lers_report_build_document_sync (report, 0, NULL, NULL, &error);
  ck_assert_msg (document != NULL, "%s (%s): %s", name, language,
                 error != NULL ? error->message : "");
  /* the backend plugins are named report-FORMAT */
  backend = lers_engine_get_report_backend (engine, plugin, &error);
  ck_assert_msg (backend != NULL, "%s: %s", format, error != NULL ? error->message : "");

  out_name = g_strdup_printf ("%s-%" G_GINT64_FORMAT "-%s.%s", name, points[0], language, format);
  out = g_build_filename (work_dir, out_name, NULL);
  out_file = g_file_new_for_path (out);
  stream
      = G_OUTPUT_STREAM (g_file_replace (out_file, NULL, FALSE, G_FILE_CREATE_NONE, NULL, &error));
  lers_check_assert_no_error (error);
  ck_assert_msg (lers_report_backend_render_document (backend, document, stream, NULL, &error),
                 "%s (%s) to %s: %s", name, language, format, error != NULL ? error->message : "");
  ck_assert (g_output_stream_close (stream, NULL, &error));
  return g_steal_pointer (&out);
}

/* the standard output of @argv (which must succeed) */
static gchar *
run (const gchar *const *argv)
{
  g_autoptr (GError) error = NULL;
  g_autofree gchar *err = NULL;
  gchar *out = NULL;
  gint status = 0;
  g_autofree gchar *program = g_find_program_in_path (argv[0]);

  ck_assert_msg (program != NULL, "%s is not installed", argv[0]);
  ck_assert_msg (g_spawn_sync (NULL, (gchar **) argv, NULL, G_SPAWN_SEARCH_PATH, NULL, NULL, &out,
                               &err, &status, &error),
                 "%s: %s", argv[0], error != NULL ? error->message : "");
  ck_assert_msg (g_spawn_check_wait_status (status, NULL), "%s failed: %s", argv[0], err);
  return out;
}

static gchar *
pdf_text (const gchar *pdf)
{
  const gchar *argv[] = { "pdftotext", "-layout", "-enc", "UTF-8", pdf, "-", NULL };

  return run (argv);
}

static guint
pdf_pages (const gchar *pdf)
{
  const gchar *argv[] = { "pdfinfo", pdf, NULL };
  g_autofree gchar *info = run (argv);
  const gchar *pages = strstr (info, "Pages:");

  ck_assert_msg (pages != NULL, "pdfinfo: %s", info);
  return (guint) g_ascii_strtoull (pages + strlen ("Pages:"), NULL, 10);
}

/* copies @path into the build tree (tests/report/templates/@name), to
 * look at after a run or to make a reference anew */
static void
keep (const gchar *path, const gchar *name)
{
  g_autofree gchar *kept
      = g_build_filename (g_getenv ("LERS_BUILD_ROOT"), "tests", "report", "templates", name, NULL);
  g_autofree gchar *data = NULL;
  gsize size = 0;

  ck_assert (g_file_get_contents (path, &data, &size, NULL));
  ck_assert (g_file_set_contents (kept, data, size, NULL));
}

/* the line of @text whose first word is @date: a table row */
static gchar *
table_row (const gchar *text, const gchar *date)
{
  g_auto (GStrv) lines = g_strsplit (text, "\n", -1);

  for (guint i = 0; lines[i] != NULL; i++)
    if (g_str_has_prefix (g_strchug (lines[i]), date))
      return g_strdup (lines[i]);
  ck_abort_msg ("no row for %s:\n%s", date, text);
  return NULL;
}

#define assert_holds(text, needle)                                                                 \
  ck_assert_msg (strstr ((text), (needle)) != NULL, "«%s» not in the text:\n%s", (needle), (text))

/* Every template parses and renders, for each point and in both languages,
 * to a PDF that pdfinfo reads (kept in the build tree to look at). */
START_TEST (test_every_template_renders)
{
  const gint64 points[] = { vkt_point, mbus_point };
  const gchar *languages[] = { "ru", "en" };

  for (guint t = 0; t < G_N_ELEMENTS (template_names); t++)
    for (guint p = 0; p < G_N_ELEMENTS (points); p++)
      for (guint l = 0; l < G_N_ELEMENTS (languages); l++)
        {
          g_autofree gchar *pdf = render (template_names[t], &points[p], 1, languages[l], "pdf");

          ck_assert_msg (pdf_pages (pdf) >= 1, "%s", pdf);
          keep (pdf, strrchr (pdf, G_DIR_SEPARATOR) + 1);
        }
}
END_TEST

/* What a supplier reads in the daily statement, in Russian. */
START_TEST (test_daily_statement_ru)
{
  g_autofree gchar *pdf = render ("heat-statement-daily", &vkt_point, 1, "ru", "pdf");
  g_autofree gchar *text = pdf_text (pdf);
  guint pages = pdf_pages (pdf);

  keep (pdf, "heat-statement-daily-ru.pdf");
  assert_holds (text, "ВЕДОМОСТЬ УЧЁТА ПАРАМЕТРОВ ТЕПЛОПОТРЕБЛЕНИЯ");
  assert_holds (text, "за период с 01.11.2026 по 30.11.2026");
  assert_holds (text, "г. Пермь, ул. Ленина, д. 10");
  assert_holds (text, "ТСЖ Ленина 10");
  assert_holds (text, "ВКТ-7, зав. № 071234");
  for (gint d = 1; d <= N_DAYS; d++)
    {
      g_autofree gchar *date = g_strdup_printf ("%02d.11.2026", d);
      /* T1 and Q of the day, as chosen in seed(), with decimal commas */
      g_autofree gchar *t1
          = g_strdup_printf ("%d,%02d", (6520 + 10 * (d - 1)) / 100, (6520 + 10 * (d - 1)) % 100);
      g_autofree gchar *q = g_strdup_printf ("1,%03d", 200 + 10 * (d - 1));
      g_autofree gchar *row = table_row (text, date);

      assert_holds (row, t1);
      assert_holds (row, q);
    }
  assert_holds (text, "66,65");    /* mean T1 */
  assert_holds (text, "40,350");   /* total Q */
  assert_holds (text, "1117,500"); /* total M1, and its readings' delta */
  assert_holds (text, "716,00");   /* operating time */
  assert_holds (text, "1234,567"); /* Q reading at the start */
  assert_holds (text, "1274,917"); /* … at the end */
  assert_holds (text, "6117,500"); /* M1 at the end */
  assert_holds (text, "На начало периода");
  assert_holds (text, "Разность");
  assert_holds (text, "Представитель теплоснабжающей организации");
  ck_assert_uint_eq (pages, 2);
  assert_holds (text, "Стр. 1 из 2");
  assert_holds (text, "Стр. 2 из 2");
}
END_TEST

/* The same statement in English: decimal points, English captions. */
START_TEST (test_daily_statement_en)
{
  g_autofree gchar *pdf = render ("heat-statement-daily", &vkt_point, 1, "en", "pdf");
  g_autofree gchar *text = pdf_text (pdf);

  assert_holds (text, "HEAT CONSUMPTION PARAMETER STATEMENT");
  assert_holds (text, "г. Пермь, ул. Ленина, д. 10");
  assert_holds (text, "65.20");
  assert_holds (text, "68.10"); /* T1 of day 30 */
  assert_holds (text, "1.490"); /* Q of day 30 */
  assert_holds (text, "66.65");
  assert_holds (text, "40.350");
  assert_holds (text, "1274.917");
  assert_holds (text, "Page 1 of 2");
  ck_assert_msg (strstr (text, "65,20") == NULL, "a decimal comma in English:\n%s", text);
}
END_TEST

/* The hourly statement of 1 and 2 November: the hours' values and the
 * totals worked out in the comment on top. */
START_TEST (test_hourly_statement_ru)
{
  g_autofree gchar *pdf = render ("heat-statement-hourly", &vkt_point, 1, "ru", "pdf");
  g_autofree gchar *text = pdf_text (pdf);
  g_autofree gchar *first = table_row (text, "01.11.2026 00:00");
  g_autofree gchar *last = table_row (text, "02.11.2026 23:00");

  keep (pdf, "heat-statement-hourly-ru.pdf");
  assert_holds (first, "65,20"); /* T1, k = 0 */
  assert_holds (first, "0,040"); /* Q */
  assert_holds (first, "1,00");  /* ВНР */
  assert_holds (last, "67,50");  /* T1, k = 23 */
  assert_holds (last, "0,063");  /* Q */
  assert_holds (text, "1,236");  /* Q of a day */
  assert_holds (text, "2,472");  /* Q of both */
  assert_holds (text, "24,00");  /* ВНР of a day */
  assert_holds (text, "48,00");  /* ВНР of both */
  assert_holds (text, "60,000"); /* M1 of both */
  assert_holds (text, "66,35");  /* mean T1 */
  /* not the day's 24 h of operating time in an hour */
  ck_assert_msg (strstr (first, "24,00") == NULL, "a day's values in an hour: %s", first);
}
END_TEST

/* CSV and XLSX read back by a third-party reader (openpyxl, Python's csv)
 * hold the archive's values, and the XLSX total of Q is a =SUM formula
 * whose cached value is the sum. */
START_TEST (test_daily_statement_tabular)
{
  g_autofree gchar *csv = render ("heat-statement-daily", &vkt_point, 1, "ru", "csv");
  g_autofree gchar *xlsx = render ("heat-statement-daily", &vkt_point, 1, "ru", "xlsx");
  g_autofree gchar *script = g_build_filename (g_getenv ("LERS_SOURCE_ROOT"), "tests", "report",
                                               "templates", "check-tabular.py", NULL);
  const gchar *argv[] = { g_getenv ("LERS_PYTHON"), script, csv, xlsx, NULL };
  g_autofree gchar *out = run (argv);

  assert_holds (out, "ok");
}
END_TEST

/* The «Сформировано …» text of the page footer (the time of rendering, the
 * one thing that differs between runs) on page 1 at 150 dpi, in pixels:
 * pdftotext -bbox puts «Сформировано 01.12.2026 01:09» at x 645.0…765.0 pt,
 * y 557.3…565.4 pt on the PDF page, × 150 / 72: x 1344…1594, y 1161…1178
 * px; 4 px of margin, and «Стр.» starts at 773.9 pt (1612 px), outside. */
#define NOW_LEFT 1340
#define NOW_TOP 1157
#define NOW_RIGHT 1598
#define NOW_BOTTOM 1182

/* The share (0…1) of the pixels of two ARGB images of the same size, the
 * «Сформировано …» box left out, that differ: a pixel differs when any of
 * its channels differs by more than 64 of 255. */
static gdouble
pixels_differing (cairo_surface_t *a, cairo_surface_t *b)
{
  gint width = cairo_image_surface_get_width (a), height = cairo_image_surface_get_height (a);
  const guint8 *pa, *pb;
  gint sa, sb;
  guint64 compared = 0, differing = 0;

  ck_assert_int_eq (width, cairo_image_surface_get_width (b));
  ck_assert_int_eq (height, cairo_image_surface_get_height (b));
  cairo_surface_flush (a);
  cairo_surface_flush (b);
  pa = cairo_image_surface_get_data (a);
  pb = cairo_image_surface_get_data (b);
  sa = cairo_image_surface_get_stride (a);
  sb = cairo_image_surface_get_stride (b);
  for (gint y = 0; y < height; y++)
    for (gint x = 0; x < width; x++)
      {
        gboolean differs = FALSE;

        if (x >= NOW_LEFT && x < NOW_RIGHT && y >= NOW_TOP && y < NOW_BOTTOM)
          continue;
        compared++;
        for (gint c = 0; c < 4; c++)
          differs |= ABS ((gint) pa[y * sa + 4 * x + c] - (gint) pb[y * sb + 4 * x + c]) > 64;
        differing += differs;
      }
  return (gdouble) differing / (gdouble) compared;
}

static cairo_surface_t *
load_png (const gchar *path)
{
  cairo_surface_t *image = cairo_image_surface_create_from_png (path);

  ck_assert_msg (cairo_surface_status (image) == CAIRO_STATUS_SUCCESS, "%s: %s", path,
                 cairo_status_to_string (cairo_surface_status (image)));
  return image;
}

/* Page 1 of the Russian daily statement as PNG, against
 * heat-statement-daily-ru-page1.png: see README.md in this folder for
 * what the reference shows. Only the «Сформировано …» box is left out; at
 * most 0.1 % of the other pixels may differ (antialiasing). The M-Bus
 * point's statement (other device, serial, values) differs from the
 * reference in 3.28 % of its pixels: the comparison tells it apart,
 * where the old 2 % mean difference per channel (1.82 % for it) did not. */
START_TEST (test_daily_statement_png)
{
  g_autofree gchar *png = render ("heat-statement-daily", &vkt_point, 1, "ru", "png");
  g_autofree gchar *mbus_png = render ("heat-statement-daily", &mbus_point, 1, "ru", "png");
  g_autofree gchar *reference
      = g_build_filename (g_getenv ("LERS_SOURCE_ROOT"), "tests", "report", "templates",
                          "heat-statement-daily-ru-page1.png", NULL);
  cairo_surface_t *got, *want, *mbus, *white;
  cairo_t *cr;
  gdouble difference;

  keep (png, "heat-statement-daily-ru-page1.png");
  got = load_png (png);
  want = load_png (reference);
  mbus = load_png (mbus_png);
  /* not blank: a white page differs from the reference in many pixels */
  white = cairo_image_surface_create (CAIRO_FORMAT_RGB24, cairo_image_surface_get_width (want),
                                      cairo_image_surface_get_height (want));
  cr = cairo_create (white);
  cairo_set_source_rgb (cr, 1, 1, 1);
  cairo_paint (cr);
  cairo_destroy (cr);
  difference = pixels_differing (want, white);
  /* 11.12 % for the reference */
  ck_assert_msg (difference > 0.02, "the reference is near blank: %.3f %%", 100 * difference);
  difference = pixels_differing (mbus, want);
  ck_assert_msg (difference > 0.001, "the M-Bus statement passes for the reference: %.3f %%",
                 100 * difference);
  difference = pixels_differing (got, want);
  ck_assert_msg (difference <= 0.001,
                 "page 1 differs from the reference in %.3f %% of its pixels (%s)",
                 100 * difference,
                 "tests/report/templates/heat-statement-daily-ru-page1.png in the build tree");
  cairo_surface_destroy (white);
  cairo_surface_destroy (mbus);
  cairo_surface_destroy (got);
  cairo_surface_destroy (want);
}
END_TEST

/* A copy of the daily statement with the unknown field T7 in place of T1
 * at line 93 (`<column title="{tr('t1')}" value="T7" …`) is refused with
 * the line and column of the name and the name itself: no template, so
 * nothing to render. */
START_TEST (test_bad_template)
{
  g_autofree gchar *path = template_path ("heat-statement-daily");
  g_autofree gchar *text = NULL;
  g_autofree gchar *bad = NULL;
  g_autoptr (GError) error = NULL;
  g_autoptr (LersReportTemplate) template_ = NULL;
  const gchar *needle = "value=\"T1\"";
  gchar *at;
  guint line = 1;

  ck_assert (g_file_get_contents (path, &text, NULL, NULL));
  at = strstr (text, needle);
  ck_assert (at != NULL);
  at[8] = '7';
  for (const gchar *c = text; c < at; c++)
    line += *c == '\n';
  ck_assert_uint_eq (line, 93);
  template_ = lers_report_template_new_from_data (text, -1, &error);
  ck_assert (template_ == NULL);
  lers_check_assert_error (error, LERS_ERROR, LERS_ERROR_INVALID_DATA);
  /* the field's first letter: 4 spaces and `<column title="{tr('t1')}" value="`
   * (34 characters) come before it */
  bad = g_strdup_printf ("line %u, column 39: ", line);
  ck_assert_msg (g_str_has_prefix (error->message, bad), "%s", error->message);
  assert_holds (error->message, "T7");
}
END_TEST

static Suite *
templates_suite (void)
{
  Suite *s = suite_create ("report-templates");
  TCase *tc = tcase_create ("templates");

  tcase_add_unchecked_fixture (tc, lers_check_cluster_setup, lers_check_cluster_teardown);
  tcase_add_checked_fixture (tc, fixture_setup, fixture_teardown);
  tcase_set_timeout (tc, 600);
  tcase_add_test (tc, test_bad_template);
  tcase_add_test (tc, test_daily_statement_ru);
  tcase_add_test (tc, test_daily_statement_en);
  tcase_add_test (tc, test_hourly_statement_ru);
  tcase_add_test (tc, test_daily_statement_tabular);
  tcase_add_test (tc, test_daily_statement_png);
  tcase_add_test (tc, test_every_template_renders);
  suite_add_tcase (s, tc);
  return s;
}

/* LeakSanitizer reads these besides tests/lsan.supp. fontconfig 2.14
 * (Debian 12) never frees the configuration and font sets PangoFc loads
 * in a thread of its own when text is drawn, and freeing them (FcFini)
 * aborts at random while that thread holds a font map (see
 * tests/lsan.supp): they are left, and named. */
const char *__lsan_default_suppressions (void);

const char *
__lsan_default_suppressions (void)
{
  return "leak:libfontconfig.so.1\n";
}

int
main (int argc, char **argv)
{
  lers_check_init (&argc, &argv);
  return lers_check_run_suite (templates_suite ());
}
