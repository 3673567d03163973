/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* A field's value from a LersReportData: archive rows read straight from
 * the batch's columns, readings, events, incidents, the points' sums and
 * the point, node and device fields (docs/report-templates.md, "Fields"). */
#include "config.h"

#include <glib/gi18n-lib.h>
#include <math.h>

#include "lers-error.h"
#include "lers-report-data-private.h"

#define SECONDS_PER_HOUR 3600.0

/* the value setters (lers-report-value.c has its own; these keep the data
 * layer apart from the expression language) */
static void
set_null (LersReportValue *value)
{
  g_clear_pointer (&value->string, g_free);
  value->type = LERS_REPORT_VALUE_NULL;
  value->number = 0.0;
  value->time = 0;
  value->boolean = FALSE;
}

static void
set_number (LersReportValue *value, gdouble number)
{
  set_null (value);
  value->type = LERS_REPORT_VALUE_NUMBER;
  value->number = number;
}

static void
set_boolean (LersReportValue *value, gboolean boolean)
{
  set_null (value);
  value->type = LERS_REPORT_VALUE_BOOLEAN;
  value->boolean = boolean;
}

static void
set_time (LersReportValue *value, gint64 time_us)
{
  set_null (value);
  value->type = LERS_REPORT_VALUE_TIME;
  value->time = time_us;
}

static void
set_datetime (LersReportValue *value, GDateTime *time)
{
  if (time != NULL)
    set_time (value, lers_report_data_time_to_us (time));
  else
    set_null (value);
}

/* takes @string; NULL or empty: null */
static void
take_string (LersReportValue *value, gchar *string)
{
  set_null (value);
  if (string == NULL || *string == '\0')
    {
      g_free (string);
      return;
    }
  value->type = LERS_REPORT_VALUE_STRING;
  value->string = string;
}

static void
set_string (LersReportValue *value, const gchar *string)
{
  take_string (value, g_strdup (string));
}

static gboolean
is_english (const gchar *language)
{
  return g_strcmp0 (language, "en") == 0;
}

/* archive rows */

static gint64
row_time (LersArchiveBatch *batch, guint row)
{
  guint n_rows = 0;
  const gint64 *stamps = lers_archive_batch_get_timestamps (batch, &n_rows);

  return row < n_rows ? stamps[row] : 0;
}

/* @parameter at @row of @batch in its report unit (durations: seconds);
 * FALSE when the row has none */
static gboolean
batch_value (LersArchiveBatch *batch, guint row, gint parameter, gdouble *number)
{
  guint n_rows = 0;
  const gdouble *values = lers_archive_batch_get_values (batch, parameter, &n_rows);
  const guint32 *flags = lers_archive_batch_get_flags (batch, parameter, &n_rows);

  if (values == NULL || row >= n_rows || (flags[row] & LERS_VALUE_FLAG_MISSING) != 0
      || !isfinite (values[row]))
    return FALSE;
  *number = values[row];
  if (lers_report_field_is_duration (parameter))
    *number *= SECONDS_PER_HOUR;
  return TRUE;
}

static gboolean
batch_value_or (LersArchiveBatch *batch, guint row, gint parameter, gdouble *number)
{
  return batch_value (batch, row, parameter, number)
         || batch_value (batch, row, lers_report_field_get_fallback (parameter), number);
}

/* whether a warning or alarm of @code (NULL: any) was in force during
 * [@from_us, @to_us) */
static gboolean
event_in_force (LersReportData *data, const gchar *code, gint64 from_us, gint64 to_us)
{
  /* the first point's come first */
  for (guint i = 0; data->incidents != NULL && i < data->incidents->len
                    && g_array_index (data->incident_points, guint, i) == 0;
       i++)
    {
      LersMeterEvent *event = g_ptr_array_index (data->incidents, i);
      GDateTime *end = lers_meter_event_get_end (event);
      gint64 start_us = lers_report_data_time_to_us (lers_meter_event_get_start (event));

      if (start_us < to_us && (end == NULL || lers_report_data_time_to_us (end) > from_us)
          && (code == NULL || g_strcmp0 (lers_meter_event_get_code (event), code) == 0))
        return TRUE;
    }
  return FALSE;
}

/* a boolean from a duration (> 0: true, 0: false, none: no answer) or a
 * meter event of @code in force in the row (true) */
typedef enum
{
  ANSWER_NONE,
  ANSWER_FALSE,
  ANSWER_TRUE,
} Answer;

static Answer
row_flag (LersReportData *data, guint row, gint duration, const gchar *code)
{
  gint64 start_us = row_time (data->archive, row);
  gdouble seconds;
  Answer answer = ANSWER_NONE;

  if (duration > 0 && batch_value (data->archive, row, duration, &seconds))
    answer = seconds > 0 ? ANSWER_TRUE : ANSWER_FALSE;
  if (answer != ANSWER_TRUE && code != NULL && data->incidents != NULL)
    {
      /* the meter's event log was read: it answers too */
      gint64 end_us = lers_report_data_get_interval_end (data, start_us);
      answer = event_in_force (data, code, start_us, end_us) ? ANSWER_TRUE : ANSWER_FALSE;
    }
  return answer;
}

static Answer
row_no_flow (LersReportData *data, guint row)
{
  static const gint flows[]
      = { LERS_PARAMETER_M_IN, LERS_PARAMETER_V_IN, LERS_PARAMETER_M, LERS_PARAMETER_V };
  gdouble flow;

  for (guint i = 0; i < G_N_ELEMENTS (flows); i++)
    {
      if (batch_value (data->archive, row, flows[i], &flow))
        return flow == 0.0 ? ANSWER_TRUE : ANSWER_FALSE;
    }
  return ANSWER_NONE;
}

static Answer
row_answer (LersReportData *data, guint id, guint row)
{
  switch (id)
    {
    case LERS_REPORT_FIELD_ID_FLOW_UNDERRUN_EXIST:
      return row_flag (data, row, LERS_PARAMETER_FLOW_UNDERRUN_DURATION, NULL);
    case LERS_REPORT_FIELD_ID_FLOW_OVERRUN_EXIST:
      return row_flag (data, row, LERS_PARAMETER_FLOW_OVERRUN_DURATION, NULL);
    case LERS_REPORT_FIELD_ID_TEMP_DIFF_LOW_EXIST:
      return row_flag (data, row, LERS_PARAMETER_TEMP_DIFF_LOW_DURATION, NULL);
    case LERS_REPORT_FIELD_ID_FUNCTIONAL_FAILURE_EXIST:
      return row_flag (data, row, LERS_PARAMETER_UNACCEPTABLE_PHYSICAL_STATE_DURATION,
                       "sensor-fault");
    case LERS_REPORT_FIELD_ID_NO_POWER_EXIST:
      return row_flag (data, row, LERS_PARAMETER_NO_POWER_DURATION, "power-off");
    case LERS_REPORT_FIELD_ID_NO_FLOW_EXIST:
      return row_no_flow (data, row);
    case LERS_REPORT_FIELD_ID_FLOW_DIRECTION_CHANGE_EXIST:
    default:
      /* no parameter or event code of the model says so */
      return ANSWER_NONE;
    }
}

/* the НС marks of a row: ru "НС: dt<, G<", en "dt low, flow low" */
static gchar *
row_incident_marks (LersReportData *data, guint row, const gchar *language)
{
  static const struct
  {
    guint id;
    const gchar *ru;
    const gchar *en;
  } marks[] = {
    { LERS_REPORT_FIELD_ID_TEMP_DIFF_LOW_EXIST, "dt<", "dt low" },
    { LERS_REPORT_FIELD_ID_FLOW_UNDERRUN_EXIST, "G<", "flow low" },
    { LERS_REPORT_FIELD_ID_FLOW_OVERRUN_EXIST, "G>", "flow high" },
    { LERS_REPORT_FIELD_ID_NO_POWER_EXIST, "нет питания", "no power" },
    { LERS_REPORT_FIELD_ID_FUNCTIONAL_FAILURE_EXIST, "ТН", "fault" },
  };
  g_autoptr (GString) text = g_string_new (NULL);

  for (guint i = 0; i < G_N_ELEMENTS (marks); i++)
    {
      if (row_answer (data, marks[i].id, row) != ANSWER_TRUE)
        continue;
      if (text->len > 0)
        g_string_append (text, ", ");
      g_string_append (text, is_english (language) ? marks[i].en : marks[i].ru);
    }
  if (text->len == 0)
    return NULL;
  if (!is_english (language))
    g_string_prepend (text, "НС: ");
  return g_string_free (g_steal_pointer (&text), FALSE);
}

static const gchar *
event_code_text (LersMeterEvent *event, gchar buffer[16])
{
  if (lers_meter_event_get_device_code (event) != 0)
    {
      g_snprintf (buffer, 16, "%d", lers_meter_event_get_device_code (event));
      return buffer;
    }
  return lers_meter_event_get_code (event);
}

/* the device's text, else LERS's code */
static const gchar *
event_text (LersMeterEvent *event)
{
  const gchar *text = lers_meter_event_get_text (event);

  return text != NULL && *text != '\0' ? text : lers_meter_event_get_code (event);
}

/* the codes of the meter events started in the row (@errors: of warning
 * or alarm severity; else the others), each once, in order */
static gchar *
row_event_codes (LersReportData *data, guint row, gboolean errors)
{
  gint64 start_us = row_time (data->archive, row);
  gint64 end_us = lers_report_data_get_interval_end (data, start_us);
  g_autoptr (GPtrArray) codes = g_ptr_array_new_with_free_func (g_free);

  for (guint i = 0; data->events != NULL && i < data->events->len
                    && g_array_index (data->event_points, guint, i) == 0;
       i++)
    {
      LersMeterEvent *event = g_ptr_array_index (data->events, i);
      gint64 event_us = lers_report_data_time_to_us (lers_meter_event_get_start (event));
      gboolean error = lers_meter_event_get_severity (event) >= LERS_METER_EVENT_SEVERITY_WARNING;
      gchar buffer[16];
      const gchar *code;

      if (event_us < start_us || event_us >= end_us || error != errors)
        continue;
      code = event_code_text (event, buffer);
      if (!g_ptr_array_find_with_equal_func (codes, code, g_str_equal, NULL))
        g_ptr_array_add (codes, g_strdup (code));
    }
  if (codes->len == 0)
    return NULL;
  g_ptr_array_add (codes, NULL);
  return g_strjoinv (", ", (gchar **) codes->pdata);
}

static gboolean
row_bad (LersReportData *data, guint row)
{
  const LersParameter *parameters;
  guint n_parameters = 0;

  parameters = lers_archive_batch_get_parameters (data->archive, &n_parameters);
  for (guint i = 0; i < n_parameters; i++)
    {
      guint n_rows = 0;
      const guint32 *flags = lers_archive_batch_get_flags (data->archive, parameters[i], &n_rows);

      if (flags != NULL && row < n_rows
          && (flags[row] & (LERS_VALUE_FLAG_BAD | LERS_VALUE_FLAG_MISSING)) != 0)
        return TRUE;
    }
  return FALSE;
}

static void
resolve_archive (LersReportData *data, const LersReportField *field, guint row,
                 const gchar *language, LersReportValue *value)
{
  gdouble number;
  Answer answer;

  switch (field->id)
    {
    case LERS_REPORT_FIELD_ID_DATA_DATE:
      set_time (value, row_time (data->archive, row));
      return;
    case LERS_REPORT_FIELD_ID_PARAMETER:
      if (batch_value (data->archive, row, field->parameter, &number))
        set_number (value, number);
      return;
    case LERS_REPORT_FIELD_ID_PARAMETER_OR:
      if (batch_value_or (data->archive, row, field->parameter, &number))
        set_number (value, number);
      return;
    case LERS_REPORT_FIELD_ID_DEVICE_ERROR_CODES:
      take_string (value, row_event_codes (data, row, TRUE));
      return;
    case LERS_REPORT_FIELD_ID_DEVICE_EVENT_CODES:
      take_string (value, row_event_codes (data, row, FALSE));
      return;
    case LERS_REPORT_FIELD_ID_INCIDENT_MARKS:
      take_string (value, row_incident_marks (data, row, language));
      return;
    case LERS_REPORT_FIELD_ID_BAD:
      set_boolean (value, row_bad (data, row));
      return;
    default:
      answer = row_answer (data, field->id, row);
      if (answer != ANSWER_NONE)
        set_boolean (value, answer == ANSWER_TRUE);
      return;
    }
}

/* rows "readings": the totals archive in the period */
static void
resolve_readings (LersReportData *data, const LersReportField *field, guint row,
                  LersReportValue *value)
{
  guint r = data->totals_first + row;
  gdouble number;

  if (field->id == LERS_REPORT_FIELD_ID_DATA_DATE)
    set_time (value, row_time (data->totals, r));
  else if (field->id == LERS_REPORT_FIELD_ID_PARAMETER
           && batch_value (data->totals, r, field->parameter, &number))
    set_number (value, number);
  else if (field->id == LERS_REPORT_FIELD_ID_PARAMETER_OR
           && batch_value_or (data->totals, r, field->parameter, &number))
    set_number (value, number);
}

static void
resolve_event (LersReportData *data, const LersReportField *field, guint row,
               LersReportValue *value)
{
  LersMeterEvent *event = g_ptr_array_index (data->events, row);
  gchar buffer[16];

  switch (field->id)
    {
    case LERS_REPORT_FIELD_ID_EVENT_TIME:
      set_datetime (value, lers_meter_event_get_start (event));
      break;
    case LERS_REPORT_FIELD_ID_EVENT_CODE:
      set_string (value, event_code_text (event, buffer));
      break;
    case LERS_REPORT_FIELD_ID_EVENT_TEXT:
      set_string (value, event_text (event));
      break;
    default:
      break;
    }
}

/* rows "incidents": an open incident lasts until the period's end */
static void
resolve_incident (LersReportData *data, const LersReportField *field, guint row,
                  LersReportValue *value)
{
  LersMeterEvent *event = g_ptr_array_index (data->incidents, row);
  GDateTime *end = lers_meter_event_get_end (event);
  gint64 start_us = lers_report_data_time_to_us (lers_meter_event_get_start (event));
  gint64 end_us = end != NULL ? lers_report_data_time_to_us (end) : data->to_us;

  switch (field->id)
    {
    case LERS_REPORT_FIELD_ID_INCIDENT_START:
      set_time (value, start_us);
      break;
    case LERS_REPORT_FIELD_ID_INCIDENT_END:
      set_datetime (value, end);
      break;
    case LERS_REPORT_FIELD_ID_INCIDENT_ROW_DURATION:
      set_number (value, MAX (end_us - start_us, 0) / (gdouble) G_USEC_PER_SEC);
      break;
    case LERS_REPORT_FIELD_ID_INCIDENT_TEXT:
      set_string (value, event_text (event));
      break;
    default:
      break;
    }
}

/* the point, node, device fields */

/* the point of @row: in rows "points" the row's, in rows "events" and
 * "incidents" the event's, else the first */
static LersReportDataPoint *
point_at (LersReportData *data, LersReportRows rows, guint row)
{
  guint index = 0;

  if (rows == LERS_REPORT_ROWS_POINTS)
    index = row;
  else if (rows == LERS_REPORT_ROWS_EVENTS)
    index = g_array_index (data->event_points, guint, row);
  else if (rows == LERS_REPORT_ROWS_INCIDENTS)
    index = g_array_index (data->incident_points, guint, row);
  return g_ptr_array_index (data->points, index);
}

static const gchar *
resource_text (LersResource resource, const gchar *language)
{
  static const struct
  {
    LersResource resource;
    const gchar *ru;
    const gchar *en;
  } names[] = {
    { LERS_RESOURCE_HEAT, "отопление", "heat" },
    { LERS_RESOURCE_HOT_WATER, "ГВС", "hot water" },
    { LERS_RESOURCE_COLD_WATER, "ХВС", "cold water" },
    { LERS_RESOURCE_GAS, "газ", "gas" },
    { LERS_RESOURCE_ELECTRICITY, "электроэнергия", "electricity" },
    { LERS_RESOURCE_STEAM, "пар", "steam" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (names); i++)
    {
      if (names[i].resource == resource)
        return is_english (language) ? names[i].en : names[i].ru;
    }
  return NULL;
}

/* when the device is due for calibration: its last calibration and its
 * interval in months; null without either */
static void
set_calibration_due (LersDevice *device, LersReportValue *value)
{
  GDateTime *last = lers_device_get_calibration_date (device);
  guint months = lers_device_get_calibration_interval (device);
  g_autoptr (GDateTime) due = NULL;

  if (last == NULL || months == 0)
    return;
  due = g_date_time_add_months (last, (gint) months);
  set_datetime (value, due);
}

static void
resolve_point (LersReportDataPoint *point, const LersReportField *field, const gchar *language,
               LersReportValue *value)
{
  LersNode *node = point->node;
  LersDevice *device = point->device;

  switch (field->id)
    {
    case LERS_REPORT_FIELD_ID_POINT_TITLE:
      set_string (value, lers_measure_point_get_title (point->point));
      break;
    case LERS_REPORT_FIELD_ID_POINT_ADDRESS:
    case LERS_REPORT_FIELD_ID_NODE_ADDRESS:
      if (node != NULL)
        set_string (value, lers_node_get_address (node));
      break;
    case LERS_REPORT_FIELD_ID_POINT_CUSTOMER_TITLE:
      if (node != NULL)
        set_string (value, lers_node_get_customer (node));
      break;
    case LERS_REPORT_FIELD_ID_POINT_CONTRACT_NUMBER:
      if (node != NULL)
        set_string (value, lers_node_get_contract (node));
      break;
    case LERS_REPORT_FIELD_ID_POINT_HEAT_METER_TITLE:
    case LERS_REPORT_FIELD_ID_DEVICE_MODEL:
      if (device != NULL)
        set_string (value, lers_device_get_model (device));
      break;
    case LERS_REPORT_FIELD_ID_POINT_SERIAL_NUMBER:
    case LERS_REPORT_FIELD_ID_DEVICE_SERIAL_NUMBER:
      if (device != NULL)
        set_string (value, lers_device_get_serial_number (device));
      break;
    case LERS_REPORT_FIELD_ID_POINT_RESOURCE:
      set_string (value, resource_text (lers_measure_point_get_resource (point->point), language));
      break;
    case LERS_REPORT_FIELD_ID_POINT_CHANNEL:
      set_number (value, lers_measure_point_get_channel (point->point));
      break;
    case LERS_REPORT_FIELD_ID_NODE_TITLE:
      if (node != NULL)
        set_string (value, lers_node_get_title (node));
      break;
    case LERS_REPORT_FIELD_ID_NODE_TERRITORY:
      set_string (value, point->territory);
      break;
    case LERS_REPORT_FIELD_ID_NODE_TIME_ZONE:
      set_string (value, point->zone_id);
      break;
    case LERS_REPORT_FIELD_ID_DEVICE_NETWORK_ADDRESS:
      if (device != NULL)
        set_string (value, lers_device_get_network_address (device));
      break;
    case LERS_REPORT_FIELD_ID_DEVICE_SCHEME:
      if (device != NULL)
        set_string (value, lers_device_get_option (device, "scheme"));
      break;
    case LERS_REPORT_FIELD_ID_DEVICE_SOFTWARE_VERSION:
      if (device != NULL)
        set_string (value, lers_device_get_option (device, "software-version"));
      break;
    case LERS_REPORT_FIELD_ID_DEVICE_SCHEDULED_CALIBRATION_DATE:
      if (device != NULL)
        set_calibration_due (device, value);
      break;
    case LERS_REPORT_FIELD_ID_DEVICE_PROTOCOL:
      if (device != NULL)
        set_string (value, lers_device_get_protocol (device));
      break;
    default:
      /* ResponsibleName, ResponsiblePhone, ServicerName, ContractDate,
       * ContractFlow, ContractHeat, ColdWater, HeatLoss: the model has no
       * such property, so they are null */
      break;
    }
}

static const LersReportReading *
point_reading (LersReportDataPoint *point, gint parameter, gboolean start)
{
  for (guint i = 0; point->readings != NULL && i < point->readings->len; i++)
    {
      const LersReportReading *reading = &g_array_index (point->readings, LersReportReading, i);

      if (reading->parameter == parameter && (start ? reading->has_start : reading->has_end))
        return reading;
    }
  return NULL;
}

/* Start.X, End.X, Delta.X (X: .parameter, else its fallback for the _OR
 * ids) */
static void
resolve_reading (LersReportDataPoint *point, const LersReportField *field, LersReportValue *value)
{
  gboolean fallback = field->id >= LERS_REPORT_FIELD_ID_START_OR;
  guint which = field->id - (fallback ? LERS_REPORT_FIELD_ID_START_OR : LERS_REPORT_FIELD_ID_START);
  gint parameter = field->parameter;
  const LersReportReading *start = point_reading (point, parameter, TRUE);
  const LersReportReading *end = point_reading (point, parameter, FALSE);
  gdouble scale = lers_report_field_is_duration (parameter) ? SECONDS_PER_HOUR : 1.0;

  if (fallback
      && (which == 0   ? start == NULL
          : which == 1 ? end == NULL
                       : start == NULL || end == NULL))
    {
      parameter = lers_report_field_get_fallback (parameter);
      start = point_reading (point, parameter, TRUE);
      end = point_reading (point, parameter, FALSE);
    }
  if (which == 0 && start != NULL)
    set_number (value, start->start * scale);
  else if (which == 1 && end != NULL)
    set_number (value, end->end * scale);
  else if (which == 2 && start != NULL && end != NULL)
    set_number (value, (end->end - start->start) * scale);
}

/* Sum.X, Avg.X */
static void
resolve_aggregate (LersReportDataPoint *point, const LersReportField *field, LersReportValue *value)
{
  gboolean fallback
      = field->id == LERS_REPORT_FIELD_ID_SUM_OR || field->id == LERS_REPORT_FIELD_ID_AVG_OR;
  gboolean sum = field->id == LERS_REPORT_FIELD_ID_SUM || field->id == LERS_REPORT_FIELD_ID_SUM_OR;
  gdouble scale = lers_report_field_is_duration (field->parameter) ? SECONDS_PER_HOUR : 1.0;

  for (guint i = 0; point->aggregates != NULL && i < point->aggregates->len; i++)
    {
      const LersReportPointSum *aggregate
          = &g_array_index (point->aggregates, LersReportPointSum, i);

      if (aggregate->parameter != field->parameter || aggregate->fallback != fallback)
        continue;
      if (aggregate->n > 0)
        set_number (value, (sum ? aggregate->sum : aggregate->sum / aggregate->n) * scale);
      return;
    }
}

/* DATE_START, DATE_END (the start of the last day included), DATA_TYPE,
 * Now, PointCount */
static void
resolve_report (LersReportData *data, const LersReportField *field, const gchar *language,
                LersReportValue *value)
{
  static const struct
  {
    LersArchiveKind kind;
    const gchar *ru;
    const gchar *en;
  } kinds[] = {
    { LERS_ARCHIVE_KIND_HOUR, "часовой", "hourly" },
    { LERS_ARCHIVE_KIND_DAY, "суточный", "daily" },
    { LERS_ARCHIVE_KIND_MONTH, "месячный", "monthly" },
    { LERS_ARCHIVE_KIND_TOTALS, "итоговый", "totals" },
    { LERS_ARCHIVE_KIND_CURRENT, "текущий", "current" },
  };

  switch (field->id)
    {
    case LERS_REPORT_FIELD_ID_DATE_START:
      set_time (value, data->from_us);
      break;
    case LERS_REPORT_FIELD_ID_DATE_END:
      {
        g_autoptr (GDateTime) last
            = lers_report_data_time_new (MAX (data->to_us - 1, data->from_us));
        g_autoptr (GDateTime) local = g_date_time_to_timezone (last, data->zone);
        g_autoptr (GDateTime) day = g_date_time_new (data->zone, g_date_time_get_year (local),
                                                     g_date_time_get_month (local),
                                                     g_date_time_get_day_of_month (local), 0, 0, 0);

        set_datetime (value, day);
        break;
      }
    case LERS_REPORT_FIELD_ID_DATA_TYPE:
      for (guint i = 0; i < G_N_ELEMENTS (kinds); i++)
        {
          if (kinds[i].kind == data->kind)
            set_string (value, is_english (language) ? kinds[i].en : kinds[i].ru);
        }
      break;
    case LERS_REPORT_FIELD_ID_NOW:
      set_time (value, g_get_real_time ());
      break;
    case LERS_REPORT_FIELD_ID_POINT_COUNT:
      set_number (value, data->points->len);
      break;
    default:
      /* PageNumber, PageCount: the layout's */
      break;
    }
}

static gboolean
is_point_field (guint id)
{
  return id >= LERS_REPORT_FIELD_ID_POINT_TITLE && id <= LERS_REPORT_FIELD_ID_DEVICE_PROTOCOL;
}

static gboolean
is_reading_field (guint id)
{
  return id >= LERS_REPORT_FIELD_ID_START && id <= LERS_REPORT_FIELD_ID_DELTA_OR;
}

static gboolean
is_aggregate_field (guint id)
{
  return id >= LERS_REPORT_FIELD_ID_SUM && id <= LERS_REPORT_FIELD_ID_AVG_OR;
}

static gboolean
row_out_of_range (LersReportData *data, LersReportRows rows, guint row, GError **error)
{
  guint n_rows = lers_report_data_get_n_rows (data, rows);

  if (row < n_rows)
    return FALSE;
  g_set_error (error, LERS_ERROR, LERS_ERROR_INVALID_ARGUMENT,
               _ ("Report row %u is past the last row (%u rows)"), row, n_rows);
  return TRUE;
}

gboolean
lers_report_data_resolve (LersReportData *data, LersReportRows rows, const LersReportField *field,
                          guint row, const gchar *language, LersReportValue *value, GError **error)
{
  g_return_val_if_fail (data != NULL && field != NULL && value != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  set_null (value);
  if (field->scope == LERS_REPORT_FIELD_REPORT || field->scope == LERS_REPORT_FIELD_PAGE)
    {
      resolve_report (data, field, language, value);
      return TRUE;
    }
  if (is_point_field (field->id) || is_reading_field (field->id) || is_aggregate_field (field->id))
    {
      LersReportDataPoint *point;

      if ((rows == LERS_REPORT_ROWS_POINTS || rows == LERS_REPORT_ROWS_EVENTS
           || rows == LERS_REPORT_ROWS_INCIDENTS)
          && row_out_of_range (data, rows, row, error))
        return FALSE;
      point = point_at (data, rows, row);
      if (is_point_field (field->id))
        resolve_point (point, field, language, value);
      else if (is_reading_field (field->id))
        resolve_reading (point, field, value);
      else
        resolve_aggregate (point, field, value);
      return TRUE;
    }

  /* a row field of the table's source */
  switch (rows)
    {
    case LERS_REPORT_ROWS_ARCHIVE:
      if (row_out_of_range (data, rows, row, error))
        return FALSE;
      resolve_archive (data, field, row, language, value);
      return TRUE;
    case LERS_REPORT_ROWS_READINGS:
      if (row_out_of_range (data, rows, row, error))
        return FALSE;
      resolve_readings (data, field, row, value);
      return TRUE;
    case LERS_REPORT_ROWS_EVENTS:
      if (row_out_of_range (data, rows, row, error))
        return FALSE;
      resolve_event (data, field, row, value);
      return TRUE;
    case LERS_REPORT_ROWS_INCIDENTS:
      if (row_out_of_range (data, rows, row, error))
        return FALSE;
      resolve_incident (data, field, row, value);
      return TRUE;
    case LERS_REPORT_ROWS_POINTS:
    case LERS_REPORT_ROWS_NONE:
    default:
      g_set_error (error, LERS_ERROR, LERS_ERROR_INVALID_ARGUMENT,
                   _ ("The report field “%s” has no value outside its table"),
                   field->name != NULL ? field->name : "?");
      return FALSE;
    }
}
