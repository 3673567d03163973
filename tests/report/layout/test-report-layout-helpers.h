/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The layout tests' helpers: a hand-made binding over rows the test
 * chooses, and the text a reader sees on a page (drawn to PDF, read back
 * with pdftotext). */
#pragma once

#include <check.h>

/* the parsed <table> and the table GObject share a name in the private
 * headers: the layout's own header sorts that out */
#include "report/lers-report-layout-private.h"

G_BEGIN_DECLS

typedef struct
{
  gint64 time; /* DataDate: µs since the epoch, UTC */
  gdouble t1;  /* NAN: no value */
  gdouble t2;
  gdouble q;
} TestRow;

typedef struct
{
  const TestRow *rows;
  guint n_rows;
  const gchar *point_title;
} TestData;

/* a binding over @data's rows (archive) in UTC */
void test_binding_init (LersReportBinding *binding, TestData *data);
/* @n_rows daily rows from 2026-10-01 with t1 = 60 + i, t2 = 40 + i and
 * q = @q[i] (or 1 + i when @q is NULL) */
TestRow *test_rows_daily (guint n_rows, const gdouble *q);

LersReportTemplate *test_template (const gchar *xml);
LersReportDocument *test_layout (const gchar *xml, TestData *data, const gchar *language);
/* the text pdftotext reads from page @page (0-based) of @document */
gchar *test_page_text (LersReportDocument *document, guint page);
/* the first table block of @document */
LersReportTable *test_first_table (LersReportDocument *document);

/* main's return: runs @suite, then lets go of draw_page's font maps
 * (fontconfig's caches stay to the end: tests/lsan.supp says why) */
int test_run_suite (Suite *suite);

G_END_DECLS
