/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The report field catalogue against docs/report-templates.md "Fields":
 * which names exist in which table, their scope, parameter and type. */
#include "config.h"

#include "lers-check.h"
#include "report/lers-report-field.h"

static void
assert_field (const gchar *name, LersReportRows rows, LersReportFieldScope scope, guint id,
              gint parameter, LersReportValueType type)
{
  LersReportField field;

  ck_assert_msg (lers_report_field_lookup (name, rows, &field), "%s is unknown in rows %d", name,
                 rows);
  ck_assert_msg (field.scope == scope, "%s: scope %d, not %d", name, field.scope, scope);
  ck_assert_msg (field.id == id, "%s: id %u, not %u", name, field.id, id);
  ck_assert_msg (field.parameter == parameter, "%s: parameter %d, not %d", name, field.parameter,
                 parameter);
  ck_assert_msg (field.type == type, "%s: type %d, not %d", name, field.type, type);
  ck_assert_str_eq (field.name, name);
}

static void
assert_unknown (const gchar *name, LersReportRows rows)
{
  LersReportField field;

  ck_assert_msg (!lers_report_field_lookup (name, rows, &field), "%s is known in rows %d",
                 name != NULL ? name : "(null)", rows);
}

/* the archive table: the names of the doc's table, the parameter each
 * stands for (given in parentheses there), any LersParameter name */
START_TEST (test_field_archive)
{
  const LersReportRows a = LERS_REPORT_ROWS_ARCHIVE;
  const LersReportFieldScope row = LERS_REPORT_FIELD_ROW;

  assert_field ("DataDate", a, row, LERS_REPORT_FIELD_ID_DATA_DATE, -1, LERS_REPORT_VALUE_TIME);
  assert_field ("T1", a, row, LERS_REPORT_FIELD_ID_PARAMETER, LERS_PARAMETER_T_IN,
                LERS_REPORT_VALUE_NUMBER);
  assert_field ("T3", a, row, LERS_REPORT_FIELD_ID_PARAMETER, LERS_PARAMETER_T_CW,
                LERS_REPORT_VALUE_NUMBER);
  assert_field ("M2", a, row, LERS_REPORT_FIELD_ID_PARAMETER, LERS_PARAMETER_M_OUT,
                LERS_REPORT_VALUE_NUMBER);
  /* "M (M_delta, else M)", "Q (Q_delta, else Q_in)" */
  assert_field ("M", a, row, LERS_REPORT_FIELD_ID_PARAMETER_OR, LERS_PARAMETER_M_DELTA,
                LERS_REPORT_VALUE_NUMBER);
  ck_assert_int_eq (lers_report_field_get_fallback (LERS_PARAMETER_M_DELTA), LERS_PARAMETER_M);
  assert_field ("Q", a, row, LERS_REPORT_FIELD_ID_PARAMETER_OR, LERS_PARAMETER_Q_DELTA,
                LERS_REPORT_VALUE_NUMBER);
  ck_assert_int_eq (lers_report_field_get_fallback (LERS_PARAMETER_Q_DELTA), LERS_PARAMETER_Q_IN);
  ck_assert_int_eq (lers_report_field_get_fallback (LERS_PARAMETER_T_IN), LERS_PARAMETER_T_IN);
  assert_field ("WorkTime", a, row, LERS_REPORT_FIELD_ID_PARAMETER,
                LERS_PARAMETER_NORMAL_OPERATION_DURATION, LERS_REPORT_VALUE_NUMBER);
  ck_assert (lers_report_field_is_duration (LERS_PARAMETER_NORMAL_OPERATION_DURATION));
  ck_assert (!lers_report_field_is_duration (LERS_PARAMETER_Q_IN));
  assert_field ("NoFlowExist", a, row, LERS_REPORT_FIELD_ID_NO_FLOW_EXIST, -1,
                LERS_REPORT_VALUE_BOOLEAN);
  assert_field ("IncidentMarks", a, row, LERS_REPORT_FIELD_ID_INCIDENT_MARKS, -1,
                LERS_REPORT_VALUE_STRING);
  assert_field ("Bad", a, row, LERS_REPORT_FIELD_ID_BAD, -1, LERS_REPORT_VALUE_BOOLEAN);
  /* "Any LersParameter name (T_in, Q_delta, Ap, V_std…) may be used" */
  assert_field ("V_std", a, row, LERS_REPORT_FIELD_ID_PARAMETER, LERS_PARAMETER_V_STD,
                LERS_REPORT_VALUE_NUMBER);
  assert_field ("Ap", a, row, LERS_REPORT_FIELD_ID_PARAMETER, LERS_PARAMETER_AP,
                LERS_REPORT_VALUE_NUMBER);
  assert_field ("IncidentDuration", a, row, LERS_REPORT_FIELD_ID_PARAMETER,
                LERS_PARAMETER_INCIDENT_DURATION, LERS_REPORT_VALUE_NUMBER);
  /* point fields keep their scope inside an archive table */
  assert_field ("Point.Title", a, LERS_REPORT_FIELD_POINT, LERS_REPORT_FIELD_ID_POINT_TITLE, -1,
                LERS_REPORT_VALUE_STRING);

  assert_unknown ("T7", a);
  assert_unknown ("t1", a);
  assert_unknown ("", a);
  assert_unknown ("EventTime", a);
  assert_unknown ("Sum.Q", a);
}
END_TEST

/* outside tables: report parameters, point, node, device and readings;
 * no row field */
START_TEST (test_field_outside_tables)
{
  const LersReportRows none = LERS_REPORT_ROWS_NONE;

  assert_field ("DATE_START", none, LERS_REPORT_FIELD_REPORT, LERS_REPORT_FIELD_ID_DATE_START, -1,
                LERS_REPORT_VALUE_TIME);
  assert_field ("DATA_TYPE", none, LERS_REPORT_FIELD_REPORT, LERS_REPORT_FIELD_ID_DATA_TYPE, -1,
                LERS_REPORT_VALUE_STRING);
  assert_field ("PageCount", none, LERS_REPORT_FIELD_PAGE, LERS_REPORT_FIELD_ID_PAGE_COUNT, -1,
                LERS_REPORT_VALUE_NUMBER);
  assert_field ("Point.CustomerTitle", none, LERS_REPORT_FIELD_POINT,
                LERS_REPORT_FIELD_ID_POINT_CUSTOMER_TITLE, -1, LERS_REPORT_VALUE_STRING);
  assert_field ("Node.TimeZone", none, LERS_REPORT_FIELD_NODE, LERS_REPORT_FIELD_ID_NODE_TIME_ZONE,
                -1, LERS_REPORT_VALUE_STRING);
  assert_field ("Device.ScheduledCalibrationDate", none, LERS_REPORT_FIELD_DEVICE,
                LERS_REPORT_FIELD_ID_DEVICE_SCHEDULED_CALIBRATION_DATE, -1, LERS_REPORT_VALUE_TIME);
  assert_field ("Start.M1", none, LERS_REPORT_FIELD_READING, LERS_REPORT_FIELD_ID_START,
                LERS_PARAMETER_M_IN, LERS_REPORT_VALUE_NUMBER);
  assert_field ("Delta.Q", none, LERS_REPORT_FIELD_READING, LERS_REPORT_FIELD_ID_DELTA_OR,
                LERS_PARAMETER_Q_DELTA, LERS_REPORT_VALUE_NUMBER);
  /* W: active energy */
  assert_field ("End.W", none, LERS_REPORT_FIELD_READING, LERS_REPORT_FIELD_ID_END,
                LERS_PARAMETER_AP, LERS_REPORT_VALUE_NUMBER);

  assert_unknown ("T1", none);
  assert_unknown ("DataDate", none);
  assert_unknown ("Sum.Q", none);
  assert_unknown ("Start.DataDate", none);
  assert_unknown ("Start.", none);
  assert_unknown ("Point.Colour", none);
  assert_unknown (NULL, none);
}
END_TEST

/* rows "points": point fields become row fields; Sum.X and Avg.X exist */
START_TEST (test_field_points)
{
  const LersReportRows p = LERS_REPORT_ROWS_POINTS;

  assert_field ("Point.Title", p, LERS_REPORT_FIELD_ROW, LERS_REPORT_FIELD_ID_POINT_TITLE, -1,
                LERS_REPORT_VALUE_STRING);
  assert_field ("Device.Model", p, LERS_REPORT_FIELD_ROW, LERS_REPORT_FIELD_ID_DEVICE_MODEL, -1,
                LERS_REPORT_VALUE_STRING);
  assert_field ("End.M1", p, LERS_REPORT_FIELD_ROW, LERS_REPORT_FIELD_ID_END, LERS_PARAMETER_M_IN,
                LERS_REPORT_VALUE_NUMBER);
  assert_field ("Sum.Q", p, LERS_REPORT_FIELD_POINT_AGGREGATE, LERS_REPORT_FIELD_ID_SUM_OR,
                LERS_PARAMETER_Q_DELTA, LERS_REPORT_VALUE_NUMBER);
  assert_field ("Avg.T1", p, LERS_REPORT_FIELD_POINT_AGGREGATE, LERS_REPORT_FIELD_ID_AVG,
                LERS_PARAMETER_T_IN, LERS_REPORT_VALUE_NUMBER);
  assert_field ("Sum.WorkTime", p, LERS_REPORT_FIELD_POINT_AGGREGATE, LERS_REPORT_FIELD_ID_SUM,
                LERS_PARAMETER_NORMAL_OPERATION_DURATION, LERS_REPORT_VALUE_NUMBER);
  assert_field ("Sum.V_std", p, LERS_REPORT_FIELD_POINT_AGGREGATE, LERS_REPORT_FIELD_ID_SUM,
                LERS_PARAMETER_V_STD, LERS_REPORT_VALUE_NUMBER);
  assert_field ("PointCount", p, LERS_REPORT_FIELD_REPORT, LERS_REPORT_FIELD_ID_POINT_COUNT, -1,
                LERS_REPORT_VALUE_NUMBER);

  assert_unknown ("Sum.DataDate", p);
  assert_unknown ("Sum.Bad", p);
  assert_unknown ("T1", p);
}
END_TEST

START_TEST (test_field_events_incidents_readings)
{
  assert_field ("EventCode", LERS_REPORT_ROWS_EVENTS, LERS_REPORT_FIELD_ROW,
                LERS_REPORT_FIELD_ID_EVENT_CODE, -1, LERS_REPORT_VALUE_STRING);
  /* IncidentDuration of rows "incidents" is the incident's, not the
   * archive's parameter */
  assert_field ("IncidentDuration", LERS_REPORT_ROWS_INCIDENTS, LERS_REPORT_FIELD_ROW,
                LERS_REPORT_FIELD_ID_INCIDENT_ROW_DURATION, -1, LERS_REPORT_VALUE_NUMBER);
  assert_field ("IncidentEnd", LERS_REPORT_ROWS_INCIDENTS, LERS_REPORT_FIELD_ROW,
                LERS_REPORT_FIELD_ID_INCIDENT_END, -1, LERS_REPORT_VALUE_TIME);
  assert_field ("W", LERS_REPORT_ROWS_READINGS, LERS_REPORT_FIELD_ROW,
                LERS_REPORT_FIELD_ID_PARAMETER, LERS_PARAMETER_AP, LERS_REPORT_VALUE_NUMBER);
  assert_field ("DataDate", LERS_REPORT_ROWS_READINGS, LERS_REPORT_FIELD_ROW,
                LERS_REPORT_FIELD_ID_DATA_DATE, -1, LERS_REPORT_VALUE_TIME);
  assert_unknown ("T1", LERS_REPORT_ROWS_EVENTS);
  assert_unknown ("EventText", LERS_REPORT_ROWS_INCIDENTS);
}
END_TEST

static gboolean
list_has (const gchar *const *names, const gchar *name)
{
  return g_strv_contains (names, name);
}

/* the editor's lists: each name looks up in its rows, none twice */
START_TEST (test_field_list)
{
  for (guint rows = LERS_REPORT_ROWS_NONE; rows <= LERS_REPORT_ROWS_READINGS; rows++)
    {
      guint n = 0;
      const gchar *const *names = lers_report_field_list (rows, &n);
      g_autoptr (GHashTable) seen = g_hash_table_new (g_str_hash, g_str_equal);

      ck_assert_uint_eq (g_strv_length ((gchar **) names), n);
      for (guint i = 0; i < n; i++)
        {
          LersReportField field;

          ck_assert_msg (lers_report_field_lookup (names[i], rows, &field),
                         "%s listed but unknown in rows %u", names[i], rows);
          ck_assert_msg (g_hash_table_add (seen, (gpointer) names[i]), "%s listed twice", names[i]);
        }
    }
  ck_assert (list_has (lers_report_field_list (LERS_REPORT_ROWS_ARCHIVE, NULL), "IncidentMarks"));
  ck_assert (list_has (lers_report_field_list (LERS_REPORT_ROWS_ARCHIVE, NULL), "V_std"));
  ck_assert (list_has (lers_report_field_list (LERS_REPORT_ROWS_ARCHIVE, NULL), "Point.Title"));
  ck_assert (!list_has (lers_report_field_list (LERS_REPORT_ROWS_ARCHIVE, NULL), "EventTime"));
  ck_assert (list_has (lers_report_field_list (LERS_REPORT_ROWS_NONE, NULL), "Delta.W"));
  ck_assert (!list_has (lers_report_field_list (LERS_REPORT_ROWS_NONE, NULL), "T1"));
  ck_assert (list_has (lers_report_field_list (LERS_REPORT_ROWS_POINTS, NULL), "Avg.T1"));
  ck_assert (list_has (lers_report_field_list (LERS_REPORT_ROWS_POINTS, NULL), "Sum.WorkTime"));
}
END_TEST

static Suite *
report_field_suite (void)
{
  Suite *s = suite_create ("report-field");
  TCase *tc = tcase_create ("catalogue");

  tcase_add_test (tc, test_field_archive);
  tcase_add_test (tc, test_field_outside_tables);
  tcase_add_test (tc, test_field_points);
  tcase_add_test (tc, test_field_events_incidents_readings);
  tcase_add_test (tc, test_field_list);
  suite_add_tcase (s, tc);
  return s;
}

int
main (int argc, char **argv)
{
  lers_check_init (&argc, &argv);
  return lers_check_run_suite (report_field_suite ());
}
