/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* A value in a report expression: null, a number, text, a truth value or a
 * moment in time. Internal to liblers. */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef enum
{
  LERS_REPORT_VALUE_NULL = 0,
  LERS_REPORT_VALUE_NUMBER,
  LERS_REPORT_VALUE_STRING,
  LERS_REPORT_VALUE_BOOLEAN,
  LERS_REPORT_VALUE_TIME, /* .time: microseconds since the Unix epoch, UTC */
} LersReportValueType;

typedef struct
{
  LersReportValueType type;
  gdouble number;
  gint64 time;
  gboolean boolean;
  gchar *string; /* owned */
} LersReportValue;

#define LERS_REPORT_VALUE_INIT                                                                     \
  {                                                                                                \
    LERS_REPORT_VALUE_NULL, 0.0, 0, FALSE, NULL                                                    \
  }

void lers_report_value_clear (LersReportValue *value);
G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (LersReportValue, lers_report_value_clear)
void lers_report_value_copy (const LersReportValue *src, LersReportValue *dest);
void lers_report_value_set_number (LersReportValue *value, gdouble number);
void lers_report_value_set_string (LersReportValue *value, const gchar *string);
void lers_report_value_take_string (LersReportValue *value, gchar *string);
void lers_report_value_set_boolean (LersReportValue *value, gboolean boolean);
void lers_report_value_set_time (LersReportValue *value, gint64 time_us);
/* true for true booleans, numbers != 0, non-empty strings; null is false */
gboolean lers_report_value_is_true (const LersReportValue *value);

/* @value as the text a reader sees. @format is a number or date format of
 * docs/report-templates.md, or NULL for the value's default; @language is
 * "ru" or "en"; @zone shows times (NULL: UTC). Null gives "". Never fails:
 * a format that does not fit the value's type is ignored. */
gchar *lers_report_value_format (const LersReportValue *value, const gchar *format,
                                 const gchar *language, GTimeZone *zone);
/* whether @format is a valid number or date format */
gboolean lers_report_format_is_valid (const gchar *format);
/* @format in spreadsheet syntax ("0.00", "dd.mm.yyyy hh:mm", "#,##0.00"),
 * for XLSX cells; NULL when it has none */
gchar *lers_report_format_to_spreadsheet (const gchar *format);

G_END_DECLS
