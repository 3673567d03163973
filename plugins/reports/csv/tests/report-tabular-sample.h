/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

#include <lers.h>

#include "report/lers-report-document-private.h"
#include "report/lers-report-table-private.h"

G_BEGIN_DECLS

/* the sample table alone (see the .c for its rows and values) */
LersReportTable *report_tabular_sample_table (const gchar *language);
/* a document in @language ("ru", "en"): two text blocks, the table, a
 * chart, a picture, a page break, a text block with markup in it */
LersReportDocument *report_tabular_sample_new (const gchar *language);

G_END_DECLS
