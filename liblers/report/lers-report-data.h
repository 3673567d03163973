/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* What one report document is bound to: the points, their nodes and
 * devices, the period, and the rows of each source, loaded from the store
 * in columnar batches. Internal to liblers. */
#pragma once

#include <gio/gio.h>

#include "lers-report-field.h"
#include "lers-report-layout.h"
#include "model/lers-enums.h"
#include "store/lers-store.h"

G_BEGIN_DECLS

typedef struct _LersReportData LersReportData;

/* Loads the data of @point_ids (one for a source="point" document, all of
 * them for source="points") for [@from, @to) and archive @kind. @rows_used
 * is lers_report_template_get_rows_used(): sources not in it are not
 * loaded. The zone is the first point's node's (its territory's) zone.
 * LERS_ERROR_NOT_FOUND for a point that does not exist.
 * Rows "archive" and "readings" are the first point's; rows "events" and
 * "incidents" every point's, point by point (the point fields of such a
 * row are its point's); rows "points" hold each point's Sum./Avg. only,
 * so a document over many points holds one point's archive at a time. */
LersReportData *lers_report_data_load (LersStore *store, const gint64 *point_ids, guint n_point_ids,
                                       LersArchiveKind kind, GDateTime *from, GDateTime *to,
                                       guint rows_used, GCancellable *cancellable, GError **error);
void lers_report_data_free (LersReportData *data);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (LersReportData, lers_report_data_free)

GTimeZone *lers_report_data_get_zone (LersReportData *data);
/* the number of rows of @rows (ARCHIVE: the archive's rows in time order;
 * POINTS: one per point, in the order given) */
guint lers_report_data_get_n_rows (LersReportData *data, LersReportRows rows);
/* @field's value at @row of @rows (row is ignored for fields that are not
 * row fields; outside a table @rows is NONE). Fields with no data are
 * null. @language ("ru"/"en") for text fields such as DATA_TYPE and
 * IncidentMarks. Suits LersReportContext.resolve with a small wrapper. */
gboolean lers_report_data_resolve (LersReportData *data, LersReportRows rows,
                                   const LersReportField *field, guint row, const gchar *language,
                                   LersReportValue *value, GError **error);
/* a short name for the document, for file names in a batch archive:
 * "<point id>-<point title>" with characters unsafe in file names replaced */
gchar *lers_report_data_dup_name (LersReportData *data);
/* fills @binding to read @data, for lers_report_layout_run() (valid while
 * @data is) */
void lers_report_data_init_binding (LersReportData *data, LersReportBinding *binding);

G_END_DECLS
