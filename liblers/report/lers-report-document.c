/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* A laid-out report: pages of drawn items, and the same content as a flow
 * of blocks (docs/report-templates.md). */
#include "config.h"

#include "lers-report-document-private.h"

struct _LersReportDocument
{
  GObject parent_instance;
};

G_DEFINE_FINAL_TYPE (LersReportDocument, lers_report_document, G_TYPE_OBJECT)

static void
lers_report_document_class_init (LersReportDocumentClass *klass)
{
}

static void
lers_report_document_init (LersReportDocument *self)
{
}

/**
 * lers_report_document_get_block_table:
 * @self: a #LersReportDocument
 * @block: a block of kind %LERS_REPORT_BLOCK_TABLE
 *
 * Returns: (transfer none): the table
 *
 * Since: 0.6
 */

/**
 * lers_report_document_get_block_drawing:
 * @self: a #LersReportDocument
 * @block: a block of kind %LERS_REPORT_BLOCK_CHART
 *
 * Returns: (transfer none): the chart, as a one-page document
 *
 * Since: 0.6
 */
