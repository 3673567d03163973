/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Values of report expressions and how a reader sees them: the number and
 * date formats of docs/report-templates.md in Russian and English. */
#include "config.h"

#include <float.h>
#include <math.h>
#include <string.h>

#include "lers-report-value.h"

void
lers_report_value_clear (LersReportValue *value)
{
  g_clear_pointer (&value->string, g_free);
  value->type = LERS_REPORT_VALUE_NULL;
  value->number = 0.0;
  value->time = 0;
  value->boolean = FALSE;
}

void
lers_report_value_copy (const LersReportValue *src, LersReportValue *dest)
{
  if (src == dest)
    return;
  lers_report_value_clear (dest);
  *dest = *src;
  dest->string = g_strdup (src->string);
}

void
lers_report_value_set_number (LersReportValue *value, gdouble number)
{
  lers_report_value_clear (value);
  value->type = LERS_REPORT_VALUE_NUMBER;
  value->number = number;
}

void
lers_report_value_set_string (LersReportValue *value, const gchar *string)
{
  lers_report_value_take_string (value, g_strdup (string));
}

void
lers_report_value_take_string (LersReportValue *value, gchar *string)
{
  lers_report_value_clear (value);
  value->type = LERS_REPORT_VALUE_STRING;
  value->string = string != NULL ? string : g_strdup ("");
}

void
lers_report_value_set_boolean (LersReportValue *value, gboolean boolean)
{
  lers_report_value_clear (value);
  value->type = LERS_REPORT_VALUE_BOOLEAN;
  value->boolean = boolean != FALSE;
}

void
lers_report_value_set_time (LersReportValue *value, gint64 time_us)
{
  lers_report_value_clear (value);
  value->type = LERS_REPORT_VALUE_TIME;
  value->time = time_us;
}

gboolean
lers_report_value_is_true (const LersReportValue *value)
{
  switch (value->type)
    {
    case LERS_REPORT_VALUE_BOOLEAN:
      return value->boolean;
    case LERS_REPORT_VALUE_NUMBER:
      return value->number != 0.0 && !isnan (value->number);
    case LERS_REPORT_VALUE_STRING:
      return value->string != NULL && value->string[0] != '\0';
    case LERS_REPORT_VALUE_TIME:
      return TRUE;
    case LERS_REPORT_VALUE_NULL:
    default:
      return FALSE;
    }
}

/* Number formats: "0", "0.0"…, "#,##0", "#,##0.00"…, each optionally
 * followed by "%". At most 15 decimals. */
typedef struct
{
  guint decimals;
  gboolean thousands;
  gboolean percent;
} NumberFormat;

static gboolean
parse_number_format (const gchar *format, NumberFormat *out)
{
  const gchar *p = format;
  NumberFormat nf = { 0, FALSE, FALSE };

  if (g_str_has_prefix (p, "#,##0"))
    {
      nf.thousands = TRUE;
      p += 5;
    }
  else if (*p == '0')
    p++;
  else
    return FALSE;
  if (*p == '.')
    {
      p++;
      while (*p == '0')
        {
          nf.decimals++;
          p++;
        }
      if (nf.decimals == 0 || nf.decimals > 15)
        return FALSE;
    }
  if (*p == '%')
    {
      nf.percent = TRUE;
      p++;
    }
  if (*p != '\0')
    return FALSE;
  *out = nf;
  return TRUE;
}

/* Date formats: the tokens dd MM MMMM yyyy yy HH mm ss; any other ASCII
 * letter is an error (a typo such as "DD.MM.YYYY" must not pass), every
 * other character is shown as it is. */
typedef enum
{
  DATE_LITERAL,
  DATE_DAY,
  DATE_MONTH,
  DATE_MONTH_NAME,
  DATE_YEAR,
  DATE_YEAR2,
  DATE_HOUR,
  DATE_MINUTE,
  DATE_SECOND,
} DateToken;

/* the token at @p, its length in bytes in @len; -1: not a date format */
static gint
date_token (const gchar *p, gsize *len)
{
  static const struct
  {
    const gchar *text;
    DateToken token;
  } tokens[] = {
    { "yyyy", DATE_YEAR }, { "MMMM", DATE_MONTH_NAME }, { "yy", DATE_YEAR2 },
    { "dd", DATE_DAY },    { "MM", DATE_MONTH },        { "HH", DATE_HOUR },
    { "mm", DATE_MINUTE }, { "ss", DATE_SECOND },
  };
  gsize run = 1;

  if (!g_ascii_isalpha (*p))
    {
      *len = (gsize) (g_utf8_next_char (p) - p);
      return DATE_LITERAL;
    }
  while (p[run] == p[0])
    run++;
  for (guint i = 0; i < G_N_ELEMENTS (tokens); i++)
    if (strlen (tokens[i].text) == run && strncmp (p, tokens[i].text, run) == 0)
      {
        *len = run;
        return (gint) tokens[i].token;
      }
  return -1;
}

static gboolean
date_format_is_valid (const gchar *format)
{
  gboolean any = FALSE;

  if (!g_utf8_validate (format, -1, NULL))
    return FALSE;
  for (const gchar *p = format; *p != '\0';)
    {
      gsize len = 0;
      gint token = date_token (p, &len);

      if (token < 0)
        return FALSE;
      if (token != DATE_LITERAL)
        any = TRUE;
      p += len;
    }
  return any;
}

gboolean
lers_report_format_is_valid (const gchar *format)
{
  NumberFormat nf;

  if (format == NULL || format[0] == '\0')
    return FALSE;
  return parse_number_format (format, &nf) || date_format_is_valid (format);
}

static const gchar *const months_ru[] = {
  "январь", "февраль", "март",     "апрель",  "май",    "июнь",
  "июль",   "август",  "сентябрь", "октябрь", "ноябрь", "декабрь",
};
static const gchar *const months_en[] = {
  "January", "February", "March",     "April",   "May",      "June",
  "July",    "August",   "September", "October", "November", "December",
};

static gboolean
is_russian (const gchar *language)
{
  return g_strcmp0 (language, "ru") == 0;
}

/* 10^0 … 10^15, exact as doubles */
static const gdouble powers_of_ten[] = {
  1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15,
};

static gchar *
format_number (gdouble number, const NumberFormat *nf, const gchar *language)
{
  gboolean ru = is_russian (language);
  /* the digits (at most 309 before the point, 15 after), then the text
   * with its separators */
  gchar buf[G_ASCII_DTOSTR_BUF_SIZE + 400], spec[16];
  gchar out[2 * sizeof buf];
  gsize n = 0;
  const gchar *digits, *point;
  gsize int_len;
  gboolean negative, all_zero = TRUE;

  if (!isfinite (number))
    return g_strdup ("");
  if (nf->percent)
    number *= 100.0;
  if (fabs (number) >= 1e300)
    return g_strdup ("");
  /* halves away from zero, as round() and spreadsheets do (printf rounds
   * a binary tie to even: 0.125 → "0.12"); the nudge of a few ulps makes
   * 1.005, stored as 1.00499…, a half too, as its reader wrote it */
  {
    gdouble scale = nf->decimals < G_N_ELEMENTS (powers_of_ten) ? powers_of_ten[nf->decimals]
                                                                : pow (10.0, nf->decimals);
    gdouble scaled = number * scale;

    if (isfinite (scaled) && fabs (scaled) < 4503599627370496.0)
      {
        /* the rounded number's digits are those of this integer (below
         * 2^52, so exact), the point @decimals from the right: what
         * "%.Nf" of round (…) / scale prints, as its error is under half
         * the last decimal, without printf */
        /* a nudge of a few units in the last place of @scaled, which takes
         * a half written as 65.2345 (65.23449999… in binary) up as a
         * reader rounds it; never near half a unit, which would change a
         * big number's last digit (6e11 must not show …000.001) */
        gdouble nudge = MIN (fabs (scaled) * 4 * DBL_EPSILON, 1.0 / 1024);
        gdouble rounded = round (scaled + copysign (nudge, scaled));
        guint64 whole = (guint64) fabs (rounded);
        gchar *end = buf + sizeof buf - 1;
        gchar *p = end;

        *end = '\0';
        do
          {
            *--p = (gchar) ('0' + whole % 10);
            whole /= 10;
          }
        while (whole > 0);
        /* at least one digit before the point */
        while ((gsize) (end - p) < nf->decimals + 1)
          *--p = '0';
        if (rounded < 0)
          *--p = '-';
        if (nf->decimals > 0)
          {
            /* the point before the last @decimals digits */
            memmove (p - 1, p, (gsize) (end - p) - nf->decimals);
            p--;
            end[-(gssize) nf->decimals - 1] = '.';
          }
        memmove (buf, p, (gsize) (end - p) + 1);
      }
    else
      {
        /* g_ascii_formatd: a point whatever LC_NUMERIC says */
        g_snprintf (spec, sizeof spec, "%%.%uf", nf->decimals);
        g_ascii_formatd (buf, sizeof buf, spec, number);
      }
  }
  negative = buf[0] == '-';
  digits = negative ? buf + 1 : buf;
  for (const gchar *p = digits; *p != '\0'; p++)
    if (g_ascii_isdigit (*p) && *p != '0')
      all_zero = FALSE;
  /* "-0.00" is not what a reader expects for -0.001 */
  if (negative && !all_zero)
    out[n++] = '-';
  point = strchr (digits, '.');
  int_len = point != NULL ? (gsize) (point - digits) : strlen (digits);
  for (gsize i = 0; i < int_len; i++)
    {
      if (nf->thousands && i > 0 && (int_len - i) % 3 == 0)
        out[n++] = ru ? ' ' : ',';
      out[n++] = digits[i];
    }
  if (point != NULL)
    {
      gsize len = strlen (point + 1);

      out[n++] = ru ? ',' : '.';
      memcpy (out + n, point + 1, len);
      n += len;
    }
  if (nf->percent)
    out[n++] = '%';
  return g_strndup (out, n);
}

/* a number shown without a format: up to three decimals, no trailing zeros */
static gchar *
format_number_default (gdouble number, const gchar *language)
{
  NumberFormat nf = { 3, FALSE, FALSE };
  gchar *text = format_number (number, &nf, language);
  gchar *comma = strchr (text, is_russian (language) ? ',' : '.');

  if (comma != NULL)
    {
      gchar *end = text + strlen (text);

      while (end > comma + 1 && end[-1] == '0')
        *--end = '\0';
      if (end == comma + 1)
        *comma = '\0';
    }
  return text;
}

static GDateTime *
time_in_zone (gint64 time_us, GTimeZone *zone)
{
  gint64 seconds = time_us / G_USEC_PER_SEC;
  g_autoptr (GDateTime) utc = NULL;
  g_autoptr (GTimeZone) fallback = NULL;

  if (time_us % G_USEC_PER_SEC < 0)
    seconds--;
  utc = g_date_time_new_from_unix_utc (seconds);
  if (utc == NULL)
    return NULL;
  if (zone == NULL)
    zone = fallback = g_time_zone_new_utc ();
  return g_date_time_to_timezone (utc, zone);
}

/* "%0*d" of @value (≥ 0) in @width digits, without printf */
static void
append_padded (GString *out, gint value, guint width)
{
  gchar digits[16];
  guint n = 0;
  guint v = (guint) MAX (value, 0);

  do
    {
      digits[n++] = (gchar) ('0' + v % 10);
      v /= 10;
    }
  while (v > 0 && n < sizeof digits);
  while (n < width && n < sizeof digits)
    digits[n++] = '0';
  while (n > 0)
    g_string_append_c (out, digits[--n]);
}

/* a moment as a reader of its zone reads it */
typedef struct
{
  gint year, month, day, hour, minute, second;
} LocalTime;

/* 1900-01-01 and 2200-01-01 UTC in Unix seconds: the moments taken apart
 * here; outside, GDateTime does it */
#define FAST_TIME_MIN G_GINT64_CONSTANT (-2208988800)
#define FAST_TIME_MAX G_GINT64_CONSTANT (7258118400)

static gboolean
local_time (gint64 time_us, GTimeZone *zone, LocalTime *lt)
{
  gint64 seconds = time_us / G_USEC_PER_SEC;
  g_autoptr (GDateTime) dt = NULL;

  if (time_us % G_USEC_PER_SEC < 0)
    seconds--;
  if (seconds >= FAST_TIME_MIN && seconds < FAST_TIME_MAX)
    {
      /* what g_date_time_to_timezone does: the offset of the zone's
       * interval at that instant; then the civil date of the local day
       * (days since 1970-01-01, proleptic Gregorian: H. Hinnant's
       * civil_from_days) */
      gint interval
          = zone != NULL ? g_time_zone_find_interval (zone, G_TIME_TYPE_UNIVERSAL, seconds) : 0;

      if (interval >= 0)
        {
          gint64 local = seconds + (zone != NULL ? g_time_zone_get_offset (zone, interval) : 0);
          gint64 days = local >= 0 ? local / 86400 : -((-local + 86399) / 86400);
          gint64 of_day = local - days * 86400;
          gint64 z = days + 719468;
          gint64 era = (z >= 0 ? z : z - 146096) / 146097;
          gint64 doe = z - era * 146097;
          gint64 yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
          gint64 doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
          gint64 mp = (5 * doy + 2) / 153;
          gint64 month = mp < 10 ? mp + 3 : mp - 9;

          lt->year = (gint) (yoe + era * 400 + (month <= 2 ? 1 : 0));
          lt->month = (gint) month;
          lt->day = (gint) (doy - (153 * mp + 2) / 5 + 1);
          lt->hour = (gint) (of_day / 3600);
          lt->minute = (gint) (of_day % 3600 / 60);
          lt->second = (gint) (of_day % 60);
          return TRUE;
        }
    }
  dt = time_in_zone (time_us, zone);
  if (dt == NULL)
    return FALSE;
  g_date_time_get_ymd (dt, &lt->year, &lt->month, &lt->day);
  lt->hour = g_date_time_get_hour (dt);
  lt->minute = g_date_time_get_minute (dt);
  lt->second = g_date_time_get_second (dt);
  return TRUE;
}

static gchar *
format_time (gint64 time_us, const gchar *format, const gchar *language, GTimeZone *zone)
{
  LocalTime lt;
  g_autoptr (GString) out = NULL;

  if (!local_time (time_us, zone, &lt))
    return g_strdup ("");
  out = g_string_sized_new (32);
  for (const gchar *p = format; *p != '\0';)
    {
      gsize len = 0;
      gint token = date_token (p, &len);

      switch (token)
        {
        case DATE_DAY:
          append_padded (out, lt.day, 2);
          break;
        case DATE_MONTH:
          append_padded (out, lt.month, 2);
          break;
        case DATE_MONTH_NAME:
          {
            const gchar *const *names = is_russian (language) ? months_ru : months_en;

            g_string_append (out, names[CLAMP (lt.month, 1, 12) - 1]);
            break;
          }
        case DATE_YEAR:
          append_padded (out, lt.year, 4);
          break;
        case DATE_YEAR2:
          append_padded (out, lt.year % 100, 2);
          break;
        case DATE_HOUR:
          append_padded (out, lt.hour, 2);
          break;
        case DATE_MINUTE:
          append_padded (out, lt.minute, 2);
          break;
        case DATE_SECOND:
          append_padded (out, lt.second, 2);
          break;
        case DATE_LITERAL:
        default:
          g_string_append_len (out, p, (gssize) len);
          break;
        }
      p += len;
    }
  return g_string_free (g_steal_pointer (&out), FALSE);
}

gchar *
lers_report_value_format (const LersReportValue *value, const gchar *format, const gchar *language,
                          GTimeZone *zone)
{
  NumberFormat nf;

  if (format != NULL && format[0] == '\0')
    format = NULL;
  switch (value->type)
    {
    case LERS_REPORT_VALUE_NUMBER:
      if (format != NULL && parse_number_format (format, &nf))
        return format_number (value->number, &nf, language);
      return format_number_default (value->number, language);
    case LERS_REPORT_VALUE_TIME:
      if (format == NULL || !date_format_is_valid (format))
        format = is_russian (language) ? "dd.MM.yyyy HH:mm" : "yyyy-MM-dd HH:mm";
      return format_time (value->time, format, language, zone);
    case LERS_REPORT_VALUE_STRING:
      return g_strdup (value->string != NULL ? value->string : "");
    case LERS_REPORT_VALUE_BOOLEAN:
      if (is_russian (language))
        return g_strdup (value->boolean ? "да" : "нет");
      return g_strdup (value->boolean ? "yes" : "no");
    case LERS_REPORT_VALUE_NULL:
    default:
      return g_strdup ("");
    }
}

gchar *
lers_report_format_to_spreadsheet (const gchar *format)
{
  NumberFormat nf;
  g_autoptr (GString) out = NULL;

  if (format == NULL || format[0] == '\0')
    return NULL;
  /* the number formats are spreadsheet syntax already */
  if (parse_number_format (format, &nf))
    return g_strdup (format);
  if (!date_format_is_valid (format))
    return NULL;
  out = g_string_new (NULL);
  for (const gchar *p = format; *p != '\0';)
    {
      gsize len = 0;
      gint token = date_token (p, &len);

      switch (token)
        {
        case DATE_DAY:
          g_string_append (out, "dd");
          break;
        case DATE_MONTH:
        case DATE_MINUTE:
          g_string_append (out, "mm");
          break;
        case DATE_MONTH_NAME:
          g_string_append (out, "mmmm");
          break;
        case DATE_YEAR:
          g_string_append (out, "yyyy");
          break;
        case DATE_YEAR2:
          g_string_append (out, "yy");
          break;
        case DATE_HOUR:
          g_string_append (out, "hh");
          break;
        case DATE_SECOND:
          g_string_append (out, "ss");
          break;
        case DATE_LITERAL:
        default:
          /* separators stand as they are; anything else is quoted */
          if (len == 1 && strchr (".-:/ ,()", *p) != NULL)
            g_string_append_c (out, *p);
          else
            {
              g_string_append_c (out, '\\');
              g_string_append_len (out, p, (gssize) len);
            }
          break;
        }
      p += len;
    }
  return g_string_free (g_steal_pointer (&out), FALSE);
}
