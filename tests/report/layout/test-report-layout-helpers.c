/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "config.h"

#include <cairo-pdf.h>
#include <glib/gstdio.h>
#include <math.h>

#include "test-report-layout-helpers.h"

static guint
test_n_rows (gpointer user_data, LersReportRows rows)
{
  TestData *data = user_data;

  return rows == LERS_REPORT_ROWS_ARCHIVE ? data->n_rows : 0;
}

static void
test_set_number (LersReportValue *value, gdouble number)
{
  if (!isnan (number))
    lers_report_value_set_number (value, number);
}

static gboolean
test_resolve (gpointer user_data, LersReportRows rows, const LersReportField *field, guint row,
              const gchar *language, LersReportValue *value, GError **error)
{
  TestData *data = user_data;
  const TestRow *r = row < data->n_rows ? &data->rows[row] : NULL;

  lers_report_value_clear (value);
  if (g_strcmp0 (field->name, "Point.Title") == 0)
    {
      lers_report_value_set_string (value, data->point_title);
      return TRUE;
    }
  if (field->scope != LERS_REPORT_FIELD_ROW)
    return TRUE; /* null: no data */
  ck_assert_int_eq (rows, LERS_REPORT_ROWS_ARCHIVE);
  ck_assert_ptr_nonnull (r);
  if (g_strcmp0 (field->name, "DataDate") == 0)
    lers_report_value_set_time (value, r->time);
  else if (g_strcmp0 (field->name, "T1") == 0)
    test_set_number (value, r->t1);
  else if (g_strcmp0 (field->name, "T2") == 0)
    test_set_number (value, r->t2);
  else if (g_strcmp0 (field->name, "Q") == 0)
    test_set_number (value, r->q);
  return TRUE;
}

void
test_binding_init (LersReportBinding *binding, TestData *data)
{
  binding->n_rows = test_n_rows;
  binding->resolve = test_resolve;
  binding->zone = NULL;
  binding->user_data = data;
}

TestRow *
test_rows_daily (guint n_rows, const gdouble *q)
{
  TestRow *rows = g_new0 (TestRow, n_rows);
  g_autoptr (GDateTime) start = g_date_time_new_utc (2026, 10, 1, 0, 0, 0);

  for (guint i = 0; i < n_rows; i++)
    {
      g_autoptr (GDateTime) day = g_date_time_add_days (start, i);

      rows[i].time = g_date_time_to_unix (day) * G_USEC_PER_SEC;
      rows[i].t1 = 60 + i;
      rows[i].t2 = 40 + i;
      rows[i].q = q != NULL ? q[i] : 1 + i;
    }
  return rows;
}

LersReportTemplate *
test_template (const gchar *xml)
{
  g_autoptr (GError) error = NULL;
  LersReportTemplate *template_ = lers_report_template_new_from_data (xml, -1, &error);

  if (template_ == NULL)
    ck_abort_msg ("the template does not parse: %s", error->message);
  return template_;
}

LersReportDocument *
test_layout (const gchar *xml, TestData *data, const gchar *language)
{
  g_autoptr (LersReportTemplate) template_ = test_template (xml);
  g_autoptr (GError) error = NULL;
  LersReportBinding binding;
  LersReportDocument *document;

  test_binding_init (&binding, data);
  document = lers_report_layout_run (template_, &binding, language, NULL, &error);
  if (document == NULL)
    ck_abort_msg ("the layout failed: %s", error->message);
  return document;
}

gchar *
test_page_text (LersReportDocument *document, guint page)
{
  g_autofree gchar *pdftotext = g_find_program_in_path ("pdftotext");
  g_autoptr (GError) error = NULL;
  g_autofree gchar *dir = g_dir_make_tmp ("test-report-layout-XXXXXX", &error);
  g_autofree gchar *pdf = NULL;
  g_autofree gchar *out = NULL;
  g_autofree gchar *first = g_strdup_printf ("%u", page + 1);
  gchar *argv[] = { NULL, "-layout", "-f", NULL, "-l", NULL, NULL, "-", NULL };
  cairo_surface_t *surface;
  cairo_t *cr;
  gdouble width;
  gdouble height;
  gint status = 0;

  /* a missing tool fails the test (poppler-utils is in scripts/deps.sh) */
  ck_assert_msg (pdftotext != NULL, "pdftotext is missing (poppler-utils)");
  ck_assert_ptr_nonnull (dir);
  pdf = g_build_filename (dir, "page.pdf", NULL);
  lers_report_document_get_page_size (document, &width, &height);
  surface = cairo_pdf_surface_create (pdf, width, height);
  cr = cairo_create (surface);
  for (guint i = 0; i < lers_report_document_get_n_pages (document); i++)
    {
      if (!lers_report_document_draw_page (document, i, cr, &error))
        ck_abort_msg ("page %u does not draw: %s", i, error->message);
      cairo_show_page (cr);
    }
  cairo_destroy (cr);
  cairo_surface_finish (surface);
  ck_assert_int_eq (cairo_surface_status (surface), CAIRO_STATUS_SUCCESS);
  cairo_surface_destroy (surface);

  argv[0] = pdftotext;
  argv[3] = first;
  argv[5] = first;
  argv[6] = pdf;
  if (!g_spawn_sync (NULL, argv, NULL, G_SPAWN_DEFAULT, NULL, NULL, &out, NULL, &status, &error))
    ck_abort_msg ("pdftotext: %s", error->message);
  ck_assert_msg (g_spawn_check_wait_status (status, NULL), "pdftotext failed");
  g_unlink (pdf);
  g_rmdir (dir);
  return g_steal_pointer (&out);
}

LersReportTable *
test_first_table (LersReportDocument *document)
{
  for (guint i = 0; i < lers_report_document_get_n_blocks (document); i++)
    if (lers_report_document_get_block_kind (document, i) == LERS_REPORT_BLOCK_TABLE)
      return lers_report_document_get_block_table (document, i);
  ck_abort_msg ("no table block");
  return NULL;
}

int
test_run_suite (Suite *suite)
{
  SRunner *runner = srunner_create (suite);
  int failed;

  srunner_run_all (runner, CK_NORMAL);
  failed = srunner_ntests_failed (runner);
  srunner_free (runner);
  lers_report_document_clear_font_maps ();
  return failed == 0 ? 0 : 1;
}
