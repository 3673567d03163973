/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The names a report template may use (docs/report-templates.md, "Fields").
 * Internal to liblers. */
#pragma once

#include <glib.h>

#include "lers-report-value.h"

G_BEGIN_DECLS

/* where a field's value comes from */
typedef enum
{
  LERS_REPORT_FIELD_REPORT = 0,      /* DATE_START, DATE_END, DATA_TYPE, Now, PointCount */
  LERS_REPORT_FIELD_PAGE,            /* PageNumber, PageCount: the layout fills these */
  LERS_REPORT_FIELD_POINT,           /* Point.* */
  LERS_REPORT_FIELD_NODE,            /* Node.* */
  LERS_REPORT_FIELD_DEVICE,          /* Device.* */
  LERS_REPORT_FIELD_READING,         /* Start.X, End.X, Delta.X */
  LERS_REPORT_FIELD_ROW,             /* a field of the row of a table's source */
  LERS_REPORT_FIELD_POINT_AGGREGATE, /* Sum.X, Avg.X: rows "points" */
} LersReportFieldScope;

/* a table's (or chart's) row source: <table rows="…"> */
typedef enum
{
  LERS_REPORT_ROWS_NONE = 0, /* outside any table */
  LERS_REPORT_ROWS_ARCHIVE,
  LERS_REPORT_ROWS_POINTS,
  LERS_REPORT_ROWS_EVENTS,
  LERS_REPORT_ROWS_INCIDENTS,
  LERS_REPORT_ROWS_READINGS,
} LersReportRows;

typedef struct
{
  LersReportFieldScope scope;
  guint id;       /* which field within its scope: one of the enum below */
  gint parameter; /* a LersParameter for archive values, Sum./Avg./Start./End./Delta.; else -1 */
  LersReportValueType type;
  const gchar *name; /* the canonical name, static */
} LersReportField;

/* ids within scopes (the parameter-valued row fields all have
 * LERS_REPORT_FIELD_ID_PARAMETER and .parameter set) */
enum
{
  LERS_REPORT_FIELD_ID_PARAMETER = 0,
  /* REPORT */
  LERS_REPORT_FIELD_ID_DATE_START,
  LERS_REPORT_FIELD_ID_DATE_END,
  LERS_REPORT_FIELD_ID_DATA_TYPE,
  LERS_REPORT_FIELD_ID_NOW,
  LERS_REPORT_FIELD_ID_POINT_COUNT,
  /* PAGE */
  LERS_REPORT_FIELD_ID_PAGE_NUMBER,
  LERS_REPORT_FIELD_ID_PAGE_COUNT,
  /* the rest: the data layer (lers-report-data.c) maps each named field of
   * docs/report-templates.md to an id of its own above 100 */
  LERS_REPORT_FIELD_ID_NAMED = 100,

  /* rows "archive" and "readings" (row fields) */
  LERS_REPORT_FIELD_ID_DATA_DATE = 101,
  LERS_REPORT_FIELD_ID_PARAMETER_OR, /* .parameter, else lers_report_field_get_fallback() */
  LERS_REPORT_FIELD_ID_FLOW_UNDERRUN_EXIST,
  LERS_REPORT_FIELD_ID_FLOW_OVERRUN_EXIST,
  LERS_REPORT_FIELD_ID_TEMP_DIFF_LOW_EXIST,
  LERS_REPORT_FIELD_ID_FUNCTIONAL_FAILURE_EXIST,
  LERS_REPORT_FIELD_ID_FLOW_DIRECTION_CHANGE_EXIST,
  LERS_REPORT_FIELD_ID_NO_POWER_EXIST,
  LERS_REPORT_FIELD_ID_NO_FLOW_EXIST,
  LERS_REPORT_FIELD_ID_DEVICE_ERROR_CODES,
  LERS_REPORT_FIELD_ID_DEVICE_EVENT_CODES,
  LERS_REPORT_FIELD_ID_INCIDENT_MARKS,
  LERS_REPORT_FIELD_ID_BAD,

  /* POINT (ROW in rows "points") */
  LERS_REPORT_FIELD_ID_POINT_TITLE = 120,
  LERS_REPORT_FIELD_ID_POINT_ADDRESS,
  LERS_REPORT_FIELD_ID_POINT_CUSTOMER_TITLE,
  LERS_REPORT_FIELD_ID_POINT_RESPONSIBLE_NAME,
  LERS_REPORT_FIELD_ID_POINT_RESPONSIBLE_PHONE,
  LERS_REPORT_FIELD_ID_POINT_SERVICER_NAME,
  LERS_REPORT_FIELD_ID_POINT_HEAT_METER_TITLE,
  LERS_REPORT_FIELD_ID_POINT_SERIAL_NUMBER,
  LERS_REPORT_FIELD_ID_POINT_CONTRACT_NUMBER,
  LERS_REPORT_FIELD_ID_POINT_CONTRACT_DATE,
  LERS_REPORT_FIELD_ID_POINT_CONTRACT_FLOW,
  LERS_REPORT_FIELD_ID_POINT_CONTRACT_HEAT,
  LERS_REPORT_FIELD_ID_POINT_COLD_WATER,
  LERS_REPORT_FIELD_ID_POINT_HEAT_LOSS,
  LERS_REPORT_FIELD_ID_POINT_RESOURCE,
  LERS_REPORT_FIELD_ID_POINT_CHANNEL,

  /* NODE (ROW in rows "points") */
  LERS_REPORT_FIELD_ID_NODE_TITLE = 140,
  LERS_REPORT_FIELD_ID_NODE_ADDRESS,
  LERS_REPORT_FIELD_ID_NODE_TERRITORY,
  LERS_REPORT_FIELD_ID_NODE_TIME_ZONE,

  /* DEVICE (ROW in rows "points") */
  LERS_REPORT_FIELD_ID_DEVICE_MODEL = 150,
  LERS_REPORT_FIELD_ID_DEVICE_SERIAL_NUMBER,
  LERS_REPORT_FIELD_ID_DEVICE_NETWORK_ADDRESS,
  LERS_REPORT_FIELD_ID_DEVICE_SCHEME,
  LERS_REPORT_FIELD_ID_DEVICE_SOFTWARE_VERSION,
  LERS_REPORT_FIELD_ID_DEVICE_SCHEDULED_CALIBRATION_DATE,
  LERS_REPORT_FIELD_ID_DEVICE_PROTOCOL,

  /* READING (ROW in rows "points"): Start.X, End.X, Delta.X with
   * .parameter; the _OR ids read .parameter, else its fallback */
  LERS_REPORT_FIELD_ID_START = 160,
  LERS_REPORT_FIELD_ID_END,
  LERS_REPORT_FIELD_ID_DELTA,
  LERS_REPORT_FIELD_ID_START_OR,
  LERS_REPORT_FIELD_ID_END_OR,
  LERS_REPORT_FIELD_ID_DELTA_OR,

  /* POINT_AGGREGATE (rows "points"): Sum.X, Avg.X with .parameter */
  LERS_REPORT_FIELD_ID_SUM = 170,
  LERS_REPORT_FIELD_ID_AVG,
  LERS_REPORT_FIELD_ID_SUM_OR,
  LERS_REPORT_FIELD_ID_AVG_OR,

  /* rows "events" */
  LERS_REPORT_FIELD_ID_EVENT_TIME = 180,
  LERS_REPORT_FIELD_ID_EVENT_CODE,
  LERS_REPORT_FIELD_ID_EVENT_TEXT,

  /* rows "incidents" */
  LERS_REPORT_FIELD_ID_INCIDENT_START = 190,
  LERS_REPORT_FIELD_ID_INCIDENT_END,
  LERS_REPORT_FIELD_ID_INCIDENT_ROW_DURATION, /* IncidentDuration of rows "incidents" */
  LERS_REPORT_FIELD_ID_INCIDENT_TEXT,
};

/* Looks @name up. @rows is the enclosing table's source (row fields exist
 * only there; LERS_REPORT_ROWS_POINTS makes Point.* etc. row fields too).
 * Returns FALSE for an unknown name. */
gboolean lers_report_field_lookup (const gchar *name, LersReportRows rows, LersReportField *field);
/* every field name a template may use in @rows (NONE: outside tables), for
 * the editor's field list; static strings */
const gchar *const *lers_report_field_list (LersReportRows rows, guint *n_names);

/* the LersParameter an _OR field falls back to when a row lacks @parameter
 * (M_delta → M, V_delta → V, Q_delta → Q_in); @parameter itself otherwise */
gint lers_report_field_get_fallback (gint parameter);
/* whether @parameter is a *Duration (stored in hours, resolved in seconds) */
gboolean lers_report_field_is_duration (gint parameter);

G_END_DECLS
