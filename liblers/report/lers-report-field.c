/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The field names report templates use (docs/report-templates.md,
 * "Fields"): which scope each name lives in, its id and its type. */
#include "config.h"

#include <string.h>

#include "lers-report-field.h"
#include "model/lers-parameter.h"

typedef struct
{
  const gchar *name;
  guint id;
  gint parameter; /* -1: none */
  LersReportValueType type;
} FieldEntry;

#define NUM LERS_REPORT_VALUE_NUMBER
#define STR LERS_REPORT_VALUE_STRING
#define BOOL LERS_REPORT_VALUE_BOOLEAN
#define TIME LERS_REPORT_VALUE_TIME

/* report parameters: anywhere */
static const FieldEntry report_fields[] = {
  { "DATE_START", LERS_REPORT_FIELD_ID_DATE_START, -1, TIME },
  { "DATE_END", LERS_REPORT_FIELD_ID_DATE_END, -1, TIME },
  { "DATA_TYPE", LERS_REPORT_FIELD_ID_DATA_TYPE, -1, STR },
  { "Now", LERS_REPORT_FIELD_ID_NOW, -1, TIME },
  { "PointCount", LERS_REPORT_FIELD_ID_POINT_COUNT, -1, NUM },
};

static const FieldEntry page_fields[] = {
  { "PageNumber", LERS_REPORT_FIELD_ID_PAGE_NUMBER, -1, NUM },
  { "PageCount", LERS_REPORT_FIELD_ID_PAGE_COUNT, -1, NUM },
};

static const FieldEntry point_fields[] = {
  { "Point.Title", LERS_REPORT_FIELD_ID_POINT_TITLE, -1, STR },
  { "Point.Address", LERS_REPORT_FIELD_ID_POINT_ADDRESS, -1, STR },
  { "Point.CustomerTitle", LERS_REPORT_FIELD_ID_POINT_CUSTOMER_TITLE, -1, STR },
  { "Point.ResponsibleName", LERS_REPORT_FIELD_ID_POINT_RESPONSIBLE_NAME, -1, STR },
  { "Point.ResponsiblePhone", LERS_REPORT_FIELD_ID_POINT_RESPONSIBLE_PHONE, -1, STR },
  { "Point.ServicerName", LERS_REPORT_FIELD_ID_POINT_SERVICER_NAME, -1, STR },
  { "Point.HeatMeterTitle", LERS_REPORT_FIELD_ID_POINT_HEAT_METER_TITLE, -1, STR },
  { "Point.SerialNumber", LERS_REPORT_FIELD_ID_POINT_SERIAL_NUMBER, -1, STR },
  { "Point.ContractNumber", LERS_REPORT_FIELD_ID_POINT_CONTRACT_NUMBER, -1, STR },
  { "Point.ContractDate", LERS_REPORT_FIELD_ID_POINT_CONTRACT_DATE, -1, TIME },
  { "Point.ContractFlow", LERS_REPORT_FIELD_ID_POINT_CONTRACT_FLOW, -1, NUM },
  { "Point.ContractHeat", LERS_REPORT_FIELD_ID_POINT_CONTRACT_HEAT, -1, NUM },
  { "Point.ColdWater", LERS_REPORT_FIELD_ID_POINT_COLD_WATER, -1, NUM },
  { "Point.HeatLoss", LERS_REPORT_FIELD_ID_POINT_HEAT_LOSS, -1, NUM },
  { "Point.Resource", LERS_REPORT_FIELD_ID_POINT_RESOURCE, -1, STR },
  { "Point.Channel", LERS_REPORT_FIELD_ID_POINT_CHANNEL, -1, NUM },
};

static const FieldEntry node_fields[] = {
  { "Node.Title", LERS_REPORT_FIELD_ID_NODE_TITLE, -1, STR },
  { "Node.Address", LERS_REPORT_FIELD_ID_NODE_ADDRESS, -1, STR },
  { "Node.Territory", LERS_REPORT_FIELD_ID_NODE_TERRITORY, -1, STR },
  { "Node.TimeZone", LERS_REPORT_FIELD_ID_NODE_TIME_ZONE, -1, STR },
};

static const FieldEntry device_fields[] = {
  { "Device.Model", LERS_REPORT_FIELD_ID_DEVICE_MODEL, -1, STR },
  { "Device.SerialNumber", LERS_REPORT_FIELD_ID_DEVICE_SERIAL_NUMBER, -1, STR },
  { "Device.NetworkAddress", LERS_REPORT_FIELD_ID_DEVICE_NETWORK_ADDRESS, -1, STR },
  { "Device.Scheme", LERS_REPORT_FIELD_ID_DEVICE_SCHEME, -1, STR },
  { "Device.SoftwareVersion", LERS_REPORT_FIELD_ID_DEVICE_SOFTWARE_VERSION, -1, STR },
  { "Device.ScheduledCalibrationDate", LERS_REPORT_FIELD_ID_DEVICE_SCHEDULED_CALIBRATION_DATE, -1,
    TIME },
  { "Device.Protocol", LERS_REPORT_FIELD_ID_DEVICE_PROTOCOL, -1, STR },
};

/* rows "archive": the names ЛЭРС УЧЁТ users know; any LersParameter name
 * besides. LERS_REPORT_FIELD_ID_PARAMETER_OR reads .parameter, else its
 * fallback (lers_report_field_get_fallback). */
static const FieldEntry archive_fields[] = {
  { "DataDate", LERS_REPORT_FIELD_ID_DATA_DATE, -1, TIME },
  { "T1", LERS_REPORT_FIELD_ID_PARAMETER, LERS_PARAMETER_T_IN, NUM },
  { "T2", LERS_REPORT_FIELD_ID_PARAMETER, LERS_PARAMETER_T_OUT, NUM },
  { "T3", LERS_REPORT_FIELD_ID_PARAMETER, LERS_PARAMETER_T_CW, NUM },
  { "T_delta", LERS_REPORT_FIELD_ID_PARAMETER, LERS_PARAMETER_T_DELTA, NUM },
  { "M1", LERS_REPORT_FIELD_ID_PARAMETER, LERS_PARAMETER_M_IN, NUM },
  { "M2", LERS_REPORT_FIELD_ID_PARAMETER, LERS_PARAMETER_M_OUT, NUM },
  { "M", LERS_REPORT_FIELD_ID_PARAMETER_OR, LERS_PARAMETER_M_DELTA, NUM },
  { "V1", LERS_REPORT_FIELD_ID_PARAMETER, LERS_PARAMETER_V_IN, NUM },
  { "V2", LERS_REPORT_FIELD_ID_PARAMETER, LERS_PARAMETER_V_OUT, NUM },
  { "V", LERS_REPORT_FIELD_ID_PARAMETER_OR, LERS_PARAMETER_V_DELTA, NUM },
  { "P1", LERS_REPORT_FIELD_ID_PARAMETER, LERS_PARAMETER_P_IN, NUM },
  { "P2", LERS_REPORT_FIELD_ID_PARAMETER, LERS_PARAMETER_P_OUT, NUM },
  { "Q", LERS_REPORT_FIELD_ID_PARAMETER_OR, LERS_PARAMETER_Q_DELTA, NUM },
  { "Q1", LERS_REPORT_FIELD_ID_PARAMETER, LERS_PARAMETER_Q_IN, NUM },
  { "Q2", LERS_REPORT_FIELD_ID_PARAMETER, LERS_PARAMETER_Q_OUT, NUM },
  { "WorkTime", LERS_REPORT_FIELD_ID_PARAMETER, LERS_PARAMETER_NORMAL_OPERATION_DURATION, NUM },
  { "StopWorkTime", LERS_REPORT_FIELD_ID_PARAMETER, LERS_PARAMETER_STOP_DURATION, NUM },
  { "NoPowerDuration", LERS_REPORT_FIELD_ID_PARAMETER, LERS_PARAMETER_NO_POWER_DURATION, NUM },
  { "IncidentDuration", LERS_REPORT_FIELD_ID_PARAMETER, LERS_PARAMETER_INCIDENT_DURATION, NUM },
  { "FlowUnderrunExist", LERS_REPORT_FIELD_ID_FLOW_UNDERRUN_EXIST, -1, BOOL },
  { "FlowOverrunExist", LERS_REPORT_FIELD_ID_FLOW_OVERRUN_EXIST, -1, BOOL },
  { "TempDiffLowExist", LERS_REPORT_FIELD_ID_TEMP_DIFF_LOW_EXIST, -1, BOOL },
  { "FunctionalFailureExist", LERS_REPORT_FIELD_ID_FUNCTIONAL_FAILURE_EXIST, -1, BOOL },
  { "FlowDirectionChangeExist", LERS_REPORT_FIELD_ID_FLOW_DIRECTION_CHANGE_EXIST, -1, BOOL },
  { "NoPowerExist", LERS_REPORT_FIELD_ID_NO_POWER_EXIST, -1, BOOL },
  { "NoFlowExist", LERS_REPORT_FIELD_ID_NO_FLOW_EXIST, -1, BOOL },
  { "DeviceErrorCodes", LERS_REPORT_FIELD_ID_DEVICE_ERROR_CODES, -1, STR },
  { "DeviceEventCodes", LERS_REPORT_FIELD_ID_DEVICE_EVENT_CODES, -1, STR },
  { "IncidentMarks", LERS_REPORT_FIELD_ID_INCIDENT_MARKS, -1, STR },
  { "Bad", LERS_REPORT_FIELD_ID_BAD, -1, BOOL },
};

/* rows "readings" (the totals archive), and X of Start.X, End.X, Delta.X;
 * any LersParameter name besides */
static const FieldEntry readings_fields[] = {
  { "DataDate", LERS_REPORT_FIELD_ID_DATA_DATE, -1, TIME },
  { "M1", LERS_REPORT_FIELD_ID_PARAMETER, LERS_PARAMETER_M_IN, NUM },
  { "M2", LERS_REPORT_FIELD_ID_PARAMETER, LERS_PARAMETER_M_OUT, NUM },
  { "M", LERS_REPORT_FIELD_ID_PARAMETER_OR, LERS_PARAMETER_M_DELTA, NUM },
  { "V1", LERS_REPORT_FIELD_ID_PARAMETER, LERS_PARAMETER_V_IN, NUM },
  { "V2", LERS_REPORT_FIELD_ID_PARAMETER, LERS_PARAMETER_V_OUT, NUM },
  { "V", LERS_REPORT_FIELD_ID_PARAMETER_OR, LERS_PARAMETER_V_DELTA, NUM },
  { "W", LERS_REPORT_FIELD_ID_PARAMETER, LERS_PARAMETER_AP, NUM },
  { "Q", LERS_REPORT_FIELD_ID_PARAMETER_OR, LERS_PARAMETER_Q_DELTA, NUM },
  { "Q1", LERS_REPORT_FIELD_ID_PARAMETER, LERS_PARAMETER_Q_IN, NUM },
  { "Q2", LERS_REPORT_FIELD_ID_PARAMETER, LERS_PARAMETER_Q_OUT, NUM },
};

static const FieldEntry events_fields[] = {
  { "EventTime", LERS_REPORT_FIELD_ID_EVENT_TIME, -1, TIME },
  { "EventCode", LERS_REPORT_FIELD_ID_EVENT_CODE, -1, STR },
  { "EventText", LERS_REPORT_FIELD_ID_EVENT_TEXT, -1, STR },
};

static const FieldEntry incidents_fields[] = {
  { "IncidentStart", LERS_REPORT_FIELD_ID_INCIDENT_START, -1, TIME },
  { "IncidentEnd", LERS_REPORT_FIELD_ID_INCIDENT_END, -1, TIME },
  { "IncidentDuration", LERS_REPORT_FIELD_ID_INCIDENT_ROW_DURATION, -1, NUM },
  { "IncidentText", LERS_REPORT_FIELD_ID_INCIDENT_TEXT, -1, STR },
};

/* the X of Sum.X / Avg.X the editor lists (any numeric archive field works) */
static const gchar *const aggregate_names[] = {
  "T1",
  "T2",
  "T3",
  "T_delta",
  "M1",
  "M2",
  "M",
  "V1",
  "V2",
  "V",
  "P1",
  "P2",
  "Q",
  "Q1",
  "Q2",
  "WorkTime",
  "StopWorkTime",
  "NoPowerDuration",
  "IncidentDuration",
};
/* the X of Start.X, End.X, Delta.X the editor lists */
static const gchar *const reading_names[] = { "M1", "M2", "V1", "V2", "W", "Q" };

static gboolean
find_entry (const FieldEntry *entries, gsize n_entries, const gchar *name,
            LersReportFieldScope scope, LersReportField *field)
{
  for (gsize i = 0; i < n_entries; i++)
    {
      if (g_strcmp0 (entries[i].name, name) == 0)
        {
          field->scope = scope;
          field->id = entries[i].id;
          field->parameter = entries[i].parameter;
          field->type = entries[i].type;
          field->name = entries[i].name;
          return TRUE;
        }
    }
  return FALSE;
}

#define FIND(entries, name, scope, field)                                                          \
  find_entry ((entries), G_N_ELEMENTS (entries), (name), (scope), (field))

/* a named field of @entries, else a LersParameter by its name */
static gboolean
find_value_field (const FieldEntry *entries, gsize n_entries, const gchar *name,
                  LersReportField *field)
{
  LersParameter parameter;

  if (find_entry (entries, n_entries, name, LERS_REPORT_FIELD_ROW, field))
    return TRUE;
  if (!lers_parameter_from_name (name, &parameter))
    return FALSE;
  field->scope = LERS_REPORT_FIELD_ROW;
  field->id = LERS_REPORT_FIELD_ID_PARAMETER;
  field->parameter = parameter;
  field->type = NUM;
  field->name = lers_parameter_get_name (parameter);
  return TRUE;
}

/* Start.X, End.X, Delta.X (@id_base: START, START_OR follows) */
static gboolean
lookup_prefixed (const gchar *name, const gchar *prefix, guint id_parameter, guint id_parameter_or,
                 gboolean readings, LersReportFieldScope scope, LersReportField *field)
{
  static GHashTable *names = NULL; /* "Start.M1" → static copy */
  static GMutex lock;
  LersReportField inner;
  const gchar *rest;
  gchar *canonical;

  if (!g_str_has_prefix (name, prefix))
    return FALSE;
  rest = name + strlen (prefix);
  if (readings ? !find_value_field (readings_fields, G_N_ELEMENTS (readings_fields), rest, &inner)
               : !find_value_field (archive_fields, G_N_ELEMENTS (archive_fields), rest, &inner))
    return FALSE;
  if (inner.id == LERS_REPORT_FIELD_ID_PARAMETER)
    field->id = id_parameter;
  else if (inner.id == LERS_REPORT_FIELD_ID_PARAMETER_OR)
    field->id = id_parameter_or;
  else
    return FALSE; /* DataDate, the booleans and texts have no readings or sums */
  field->scope = scope;
  field->parameter = inner.parameter;
  field->type = NUM;

  /* the canonical name is static: keep one copy of each for the process */
  g_mutex_lock (&lock);
  if (names == NULL)
    names = g_hash_table_new (g_str_hash, g_str_equal);
  canonical = g_hash_table_lookup (names, name);
  if (canonical == NULL)
    {
      canonical = g_strdup (name);
      g_hash_table_add (names, canonical);
    }
  g_mutex_unlock (&lock);
  field->name = canonical;
  return TRUE;
}

static gboolean
lookup_anywhere (const gchar *name, gboolean as_row, LersReportField *field)
{
  LersReportFieldScope row = LERS_REPORT_FIELD_ROW;

  if (FIND (report_fields, name, LERS_REPORT_FIELD_REPORT, field))
    return TRUE;
  if (FIND (page_fields, name, LERS_REPORT_FIELD_PAGE, field))
    return TRUE;
  if (FIND (point_fields, name, as_row ? row : LERS_REPORT_FIELD_POINT, field))
    return TRUE;
  if (FIND (node_fields, name, as_row ? row : LERS_REPORT_FIELD_NODE, field))
    return TRUE;
  if (FIND (device_fields, name, as_row ? row : LERS_REPORT_FIELD_DEVICE, field))
    return TRUE;
  if (lookup_prefixed (name, "Start.", LERS_REPORT_FIELD_ID_START, LERS_REPORT_FIELD_ID_START_OR,
                       TRUE, as_row ? row : LERS_REPORT_FIELD_READING, field))
    return TRUE;
  if (lookup_prefixed (name, "End.", LERS_REPORT_FIELD_ID_END, LERS_REPORT_FIELD_ID_END_OR, TRUE,
                       as_row ? row : LERS_REPORT_FIELD_READING, field))
    return TRUE;
  if (lookup_prefixed (name, "Delta.", LERS_REPORT_FIELD_ID_DELTA, LERS_REPORT_FIELD_ID_DELTA_OR,
                       TRUE, as_row ? row : LERS_REPORT_FIELD_READING, field))
    return TRUE;
  return FALSE;
}

gboolean
lers_report_field_lookup (const gchar *name, LersReportRows rows, LersReportField *field)
{
  g_return_val_if_fail (field != NULL, FALSE);

  if (name == NULL || *name == '\0')
    return FALSE;

  switch (rows)
    {
    case LERS_REPORT_ROWS_ARCHIVE:
      if (find_value_field (archive_fields, G_N_ELEMENTS (archive_fields), name, field))
        return TRUE;
      break;
    case LERS_REPORT_ROWS_READINGS:
      if (find_value_field (readings_fields, G_N_ELEMENTS (readings_fields), name, field))
        return TRUE;
      break;
    case LERS_REPORT_ROWS_EVENTS:
      if (FIND (events_fields, name, LERS_REPORT_FIELD_ROW, field))
        return TRUE;
      break;
    case LERS_REPORT_ROWS_INCIDENTS:
      if (FIND (incidents_fields, name, LERS_REPORT_FIELD_ROW, field))
        return TRUE;
      break;
    case LERS_REPORT_ROWS_POINTS:
      if (lookup_prefixed (name, "Sum.", LERS_REPORT_FIELD_ID_SUM, LERS_REPORT_FIELD_ID_SUM_OR,
                           FALSE, LERS_REPORT_FIELD_POINT_AGGREGATE, field))
        return TRUE;
      if (lookup_prefixed (name, "Avg.", LERS_REPORT_FIELD_ID_AVG, LERS_REPORT_FIELD_ID_AVG_OR,
                           FALSE, LERS_REPORT_FIELD_POINT_AGGREGATE, field))
        return TRUE;
      return lookup_anywhere (name, TRUE, field);
    case LERS_REPORT_ROWS_NONE:
    default:
      break;
    }
  return lookup_anywhere (name, FALSE, field);
}

gint
lers_report_field_get_fallback (gint parameter)
{
  switch (parameter)
    {
    case LERS_PARAMETER_M_DELTA:
      return LERS_PARAMETER_M;
    case LERS_PARAMETER_V_DELTA:
      return LERS_PARAMETER_V;
    case LERS_PARAMETER_Q_DELTA:
      return LERS_PARAMETER_Q_IN;
    default:
      return parameter;
    }
}

gboolean
lers_report_field_is_duration (gint parameter)
{
  return parameter >= LERS_PARAMETER_NORMAL_OPERATION_DURATION
         && parameter <= LERS_PARAMETER_UNACCEPTABLE_PHYSICAL_STATE_DURATION;
}

static void
add_entries (GPtrArray *names, const FieldEntry *entries, gsize n_entries)
{
  for (gsize i = 0; i < n_entries; i++)
    g_ptr_array_add (names, (gpointer) entries[i].name);
}

static void
add_prefixed (GPtrArray *names, const gchar *prefix, const gchar *const *xs, gsize n_xs)
{
  for (gsize i = 0; i < n_xs; i++)
    {
      LersReportField field;
      g_autofree gchar *name = g_strconcat (prefix, xs[i], NULL);

      /* the canonical static copy */
      if (lookup_prefixed (name, prefix, 0, 0,
                           g_str_equal (prefix, "Start.") || g_str_equal (prefix, "End.")
                               || g_str_equal (prefix, "Delta."),
                           LERS_REPORT_FIELD_ROW, &field))
        g_ptr_array_add (names, (gpointer) field.name);
    }
}

static void
add_anywhere (GPtrArray *names)
{
  add_entries (names, report_fields, G_N_ELEMENTS (report_fields));
  add_entries (names, page_fields, G_N_ELEMENTS (page_fields));
  add_entries (names, point_fields, G_N_ELEMENTS (point_fields));
  add_entries (names, node_fields, G_N_ELEMENTS (node_fields));
  add_entries (names, device_fields, G_N_ELEMENTS (device_fields));
  add_prefixed (names, "Start.", reading_names, G_N_ELEMENTS (reading_names));
  add_prefixed (names, "End.", reading_names, G_N_ELEMENTS (reading_names));
  add_prefixed (names, "Delta.", reading_names, G_N_ELEMENTS (reading_names));
}

static void
add_parameters (GPtrArray *names, const FieldEntry *entries, gsize n_entries)
{
  for (gint p = LERS_PARAMETER_T_IN; p <= LERS_PARAMETER_LAST; p++)
    {
      const gchar *name = lers_parameter_get_name ((LersParameter) p);
      gboolean shadowed = FALSE;

      if (name == NULL)
        continue;
      for (gsize i = 0; i < n_entries && !shadowed; i++)
        shadowed = g_str_equal (entries[i].name, name);
      if (!shadowed)
        g_ptr_array_add (names, (gpointer) name);
    }
}

static GPtrArray *
build_list (LersReportRows rows)
{
  GPtrArray *names = g_ptr_array_new ();

  switch (rows)
    {
    case LERS_REPORT_ROWS_ARCHIVE:
      add_entries (names, archive_fields, G_N_ELEMENTS (archive_fields));
      add_parameters (names, archive_fields, G_N_ELEMENTS (archive_fields));
      break;
    case LERS_REPORT_ROWS_READINGS:
      add_entries (names, readings_fields, G_N_ELEMENTS (readings_fields));
      add_parameters (names, readings_fields, G_N_ELEMENTS (readings_fields));
      break;
    case LERS_REPORT_ROWS_EVENTS:
      add_entries (names, events_fields, G_N_ELEMENTS (events_fields));
      break;
    case LERS_REPORT_ROWS_INCIDENTS:
      add_entries (names, incidents_fields, G_N_ELEMENTS (incidents_fields));
      break;
    case LERS_REPORT_ROWS_POINTS:
      add_prefixed (names, "Sum.", aggregate_names, G_N_ELEMENTS (aggregate_names));
      add_prefixed (names, "Avg.", aggregate_names, G_N_ELEMENTS (aggregate_names));
      break;
    case LERS_REPORT_ROWS_NONE:
    default:
      break;
    }
  add_anywhere (names);
  g_ptr_array_add (names, NULL);
  return names;
}

const gchar *const *
lers_report_field_list (LersReportRows rows, guint *n_names)
{
  static GPtrArray *lists[LERS_REPORT_ROWS_READINGS + 1];
  static gsize initialised = 0;

  if (g_once_init_enter (&initialised))
    {
      for (guint i = 0; i < G_N_ELEMENTS (lists); i++)
        lists[i] = build_list ((LersReportRows) i);
      g_once_init_leave (&initialised, 1);
    }
  if ((guint) rows >= G_N_ELEMENTS (lists))
    rows = LERS_REPORT_ROWS_NONE;
  if (n_names != NULL)
    *n_names = lists[rows]->len - 1;
  return (const gchar *const *) lists[rows]->pdata;
}
