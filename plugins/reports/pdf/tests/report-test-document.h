/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* What the Cairo backends' tests share: a document built by hand through
 * the private builder (its geometry is below, in points from the page's
 * top-left corner, so tests can compute where things are), the backends
 * loaded by libpeas from the build tree, a render into memory, a stream
 * that fails or cancels, and third-party programs run on a file. */
#pragma once

#include <string.h>

#include <lers.h>

#include "report/lers-report-document-private.h"

G_BEGIN_DECLS

/* A4 portrait */
#define REPORT_TEST_PAGE_WIDTH (210.0 / 25.4 * 72.0)
#define REPORT_TEST_PAGE_HEIGHT (297.0 / 25.4 * 72.0)

/* page 1 */
#define REPORT_TEST_TITLE "Ведомость учёта"
/* a solid red box, no border */
#define REPORT_TEST_RED_X 400.0
#define REPORT_TEST_RED_Y 200.0
#define REPORT_TEST_RED_W 120.0
#define REPORT_TEST_RED_H 60.0
/* a blue polyline 4 pt wide: (40,300) (200,300) (260,360) (320,300) */
#define REPORT_TEST_LINE_Y 300.0
/* a 20 × 10 px PNG (left half green #00a000, right half #ffd000) scaled
 * into this box */
#define REPORT_TEST_IMAGE_X 400.0
#define REPORT_TEST_IMAGE_Y 300.0
#define REPORT_TEST_IMAGE_W 100.0
#define REPORT_TEST_IMAGE_H 50.0
/* a 200 × 100 chart (grey #f0f0f0 ground, bordered) drawn here */
#define REPORT_TEST_CHART_X 40.0
#define REPORT_TEST_CHART_Y 420.0
/* "ЖЖЖЖ" in DejaVu Sans 40 in a box only 20 pt high: clipped to it */
#define REPORT_TEST_CLIP_X 300.0
#define REPORT_TEST_CLIP_Y 600.0
#define REPORT_TEST_CLIP_W 200.0
#define REPORT_TEST_CLIP_H 20.0

GBytes *report_test_png_new (void);
LersReportDocument *report_test_chart_new (void);
LersReportDocument *report_test_document_new (void);

LersReportBackend *report_test_backend (const gchar *module);
GBytes *report_test_render (LersReportBackend *backend, LersReportDocument *document,
                            GError **error);
/* a stream that takes @limit bytes, then fails with G_IO_ERROR_NO_SPACE
 * or, with @cancel, cancels it and goes on taking */
GOutputStream *report_test_stream_new (gsize limit, GCancellable *cancel);
gsize report_test_stream_get_written (GOutputStream *stream);

/* runs @argv with "FILE" replaced by a file named @suffix holding @data;
 * its stdout */
GBytes *report_test_run (GBytes *data, const gchar *suffix, const gchar *const *argv);
gchar *report_test_run_text (GBytes *data, const gchar *suffix, const gchar *const *argv);

/* main's return: g_test_run()'s status, after freeing the font caches */
gint report_test_finish (gint status);

G_END_DECLS
