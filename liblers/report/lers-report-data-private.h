/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* What a LersReportData holds, shared by its loader (lers-report-data.c)
 * and its field resolver (lers-report-data-resolve.c). Internal to
 * liblers/report. */
#pragma once

#include "lers-report-data.h"

G_BEGIN_DECLS

/* Sum.X, Avg.X of one point: X is .parameter (or, with .fallback, the
 * parameter else its fallback, row by row) */
typedef struct
{
  gint parameter;
  gboolean fallback;
  gdouble sum;
  guint n;
} LersReportPointSum;

/* Start.X, End.X of one point: the last value of .parameter in the totals
 * archive at or before the period's start and end */
typedef struct
{
  gint parameter;
  gboolean has_start;
  gboolean has_end;
  gdouble start;
  gdouble end;
} LersReportReading;

typedef struct
{
  gint64 id;
  LersMeasurePoint *point;
  LersNode *node;     /* nullable */
  LersDevice *device; /* nullable */
  gchar *territory;   /* the node's territory's title; nullable */
  gchar *zone_id;     /* the point's time zone's identifier */
  GArray *aggregates; /* LersReportPointSum; NULL unless rows "points" are used */
  GArray *readings;   /* LersReportReading */
} LersReportDataPoint;

struct _LersReportData
{
  LersArchiveKind kind;
  gint64 from_us; /* the period [from, to), µs UTC */
  gint64 to_us;
  GTimeZone *zone;
  GPtrArray *points; /* LersReportDataPoint, in the order asked for */
  /* the first point's rows: */
  LersArchiveBatch *archive; /* rows "archive"; NULL when not used */
  LersArchiveBatch *totals;  /* rows "readings" are its rows [totals_first, +totals_n) */
  guint totals_first;
  guint totals_n;
  /* every point's rows (the first point's alone unless rows "events" or
   * "incidents" are used), point by point, each point's by start: */
  GPtrArray *events;       /* LersMeterEvent started in the period */
  GArray *event_points;    /* guint: the index in .points of each event's point */
  GPtrArray *incidents;    /* LersMeterEvent of warning or alarm severity overlapping the period */
  GArray *incident_points; /* guint: the same for .incidents */
};

/* a moment as µs since the Unix epoch (GLib 2.74 lacks the _usec calls) */
GDateTime *lers_report_data_time_new (gint64 us);
gint64 lers_report_data_time_to_us (GDateTime *time);
/* the end of the archive interval that starts at @start_us (µs UTC) */
gint64 lers_report_data_get_interval_end (LersReportData *data, gint64 start_us);

G_END_DECLS
