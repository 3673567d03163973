/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* A chart over time drawn into a one-page document of its own: line or
 * bar, one series per y field, axes with ticks and labels in the report's
 * language, a legend. */
#include "config.h"

#include <math.h>

#include "lers-report-layout-private.h"

#define LERS_REPORT_CHART_FONT "DejaVu Sans 7"
#define LERS_REPORT_CHART_TITLE_FONT "DejaVu Sans Bold 8"
#define LERS_REPORT_CHART_TICKS 5

static const guint32 lers_report_chart_colours[] = {
  0x1f77b4, 0xd62728, 0x2ca02c, 0xff7f0e, 0x9467bd, 0x8c564b, 0xe377c2, 0x7f7f7f,
};

/* a step of 1, 2 or 5 × 10^n near @range / @n_ticks */
static gdouble
lers_report_chart_step (gdouble range, guint n_ticks)
{
  gdouble raw = range / n_ticks;
  gdouble magnitude = pow (10, floor (log10 (raw)));
  gdouble fraction = raw / magnitude;

  if (fraction <= 1)
    return magnitude;
  if (fraction <= 2)
    return 2 * magnitude;
  if (fraction <= 5)
    return 5 * magnitude;
  return 10 * magnitude;
}

#define LERS_REPORT_CHART_MAX_TICKS 50

/* rounds [@y_min, @y_max] out to whole @steps and returns the number of
 * steps between them, counted with an integer: adding @step to a double
 * may change nothing (the range 1e17…1e17+16 with step 5), so a loop on
 * the value need not end. When the steps cannot be counted that way the
 * axis keeps its ends and has one step between them. */
static guint
lers_report_chart_ticks (gdouble *y_min, gdouble *y_max, gdouble *step)
{
  gdouble low, high, n;

  if (isfinite (*step) && *step > 0)
    {
      low = floor (*y_min / *step) * *step;
      high = ceil (*y_max / *step) * *step;
      n = round ((high - low) / *step);
      if (isfinite (low) && isfinite (high) && low + *step != low && n >= 1
          && n <= LERS_REPORT_CHART_MAX_TICKS)
        {
          *y_min = low;
          *y_max = high;
          return (guint) n;
        }
    }
  *step = *y_max - *y_min;
  return 1;
}

/* where @y sits between @y_min (0) and @y_max (1); in halves, so that
 * -1e308…1e308 (a range past the largest double) stays finite */
static gdouble
lers_report_chart_frac (gdouble y, gdouble y_min, gdouble y_max)
{
  return (y / 2 - y_min / 2) / (y_max / 2 - y_min / 2);
}

/* the number format that shows @step's decimals */
static const gchar *
lers_report_chart_number_format (gdouble step)
{
  if (step >= 1)
    return "0";
  if (step >= 0.1)
    return "0.0";
  if (step >= 0.01)
    return "0.00";
  return "0.000";
}

typedef struct
{
  GArray *x;     /* of gdouble: seconds (times) or numbers */
  gboolean time; /* x are times */
  GPtrArray *y;  /* per series: GArray of gdouble, NAN for missing */
} LersReportChartData;

static gboolean
lers_report_chart_load (LersReportLayout *layout, const LersReportChart *chart, guint n_rows,
                        LersReportChartData *data, GError **error)
{
  for (guint row = 0; row < n_rows; row++)
    {
      LersReportValue value = LERS_REPORT_VALUE_INIT;
      gdouble x = row;

      if (chart->x != NULL
          && !lers_report_layout_eval (layout, chart->x, row, 0, n_rows, &value, error))
        {
          lers_report_value_clear (&value);
          return FALSE;
        }
      if (value.type == LERS_REPORT_VALUE_TIME)
        {
          x = value.time / (gdouble) G_USEC_PER_SEC;
          data->time = TRUE;
        }
      else if (value.type == LERS_REPORT_VALUE_NUMBER)
        x = value.number;
      lers_report_value_clear (&value);
      g_array_append_val (data->x, x);
      for (guint s = 0; s < chart->y->len; s++)
        {
          GArray *series = g_ptr_array_index (data->y, s);
          gdouble y = NAN;

          if (!lers_report_layout_eval (layout, g_ptr_array_index (chart->y, s), row, 0, n_rows,
                                        &value, error))
            {
              lers_report_value_clear (&value);
              return FALSE;
            }
          if (value.type == LERS_REPORT_VALUE_NUMBER && isfinite (value.number))
            y = value.number;
          lers_report_value_clear (&value);
          g_array_append_val (series, y);
        }
    }
  return TRUE;
}

static gchar *
lers_report_chart_x_label (LersReportLayout *layout, gboolean time, gdouble x, gdouble span)
{
  LersReportValue value = LERS_REPORT_VALUE_INIT;
  const gchar *format;
  gchar *text;

  if (time)
    {
      lers_report_value_set_time (&value, (gint64) (x * G_USEC_PER_SEC));
      if (span <= 2 * 86400)
        format = "HH:mm";
      else if (span > 400 * 86400)
        format = g_strcmp0 (layout->language, "ru") == 0 ? "MM.yyyy" : "yyyy-MM";
      else
        format = g_strcmp0 (layout->language, "ru") == 0 ? "dd.MM" : "MM-dd";
    }
  else
    {
      lers_report_value_set_number (&value, x);
      format = "0";
    }
  text = lers_report_value_format (&value, format, layout->language, layout->zone);
  lers_report_value_clear (&value);
  return text;
}

static void
lers_report_chart_draw (LersReportLayout *layout, const LersReportChart *chart,
                        LersReportDocument *drawing, const gchar *title, gdouble width,
                        LersReportChartData *data)
{
  PangoContext *pango = layout->pango;
  gdouble height = chart->height;
  gdouble line_height = lers_report_measure_text (pango, "0", LERS_REPORT_CHART_FONT, 1000, NULL);
  gdouble title_height = 0;
  gdouble y_min = G_MAXDOUBLE;
  gdouble y_max = -G_MAXDOUBLE;
  gdouble x_min = G_MAXDOUBLE;
  gdouble x_max = -G_MAXDOUBLE;
  gdouble step;
  guint n_ticks;
  gdouble label_width = 0;
  gdouble left, right, top, bottom;
  const gchar *y_format;
  guint n = data->x->len;
  gdouble legend_x;

  if (title != NULL && title[0] != '\0')
    {
      title_height
          = lers_report_measure_text (pango, title, LERS_REPORT_CHART_TITLE_FONT, width, NULL);
      lers_report_document_add_text (drawing, 0, 0, 0, width, title_height, title,
                                     LERS_REPORT_CHART_TITLE_FONT, LERS_REPORT_TEXT_CENTER, 0);
    }
  for (guint s = 0; s < data->y->len; s++)
    {
      GArray *series = g_ptr_array_index (data->y, s);

      for (guint i = 0; i < series->len; i++)
        {
          gdouble y = g_array_index (series, gdouble, i);

          if (isnan (y))
            continue;
          y_min = MIN (y_min, y);
          y_max = MAX (y_max, y);
        }
    }
  for (guint i = 0; i < n; i++)
    {
      x_min = MIN (x_min, g_array_index (data->x, gdouble, i));
      x_max = MAX (x_max, g_array_index (data->x, gdouble, i));
    }
  if (y_min > y_max)
    {
      y_min = 0;
      y_max = 1;
    }
  if (chart->kind == LERS_REPORT_CHART_BAR)
    {
      y_min = MIN (y_min, 0);
      y_max = MAX (y_max, 0);
    }
  if (y_max - y_min < 1e-9)
    {
      y_min -= 1;
      y_max += 1;
    }
  step = lers_report_chart_step (y_max - y_min, LERS_REPORT_CHART_TICKS);
  n_ticks = lers_report_chart_ticks (&y_min, &y_max, &step);
  y_format = lers_report_chart_number_format (step);
  for (guint i = 0; i <= n_ticks; i++)
    {
      LersReportValue value = LERS_REPORT_VALUE_INIT;
      g_autofree gchar *text = NULL;
      gdouble v = i == n_ticks ? y_max : y_min + i * step;

      lers_report_value_set_number (&value, fabs (v) < step / 1e6 ? 0 : v);
      text = lers_report_value_format (&value, y_format, layout->language, layout->zone);
      label_width
          = MAX (label_width, lers_report_measure_text_width (pango, text, LERS_REPORT_CHART_FONT));
      lers_report_value_clear (&value);
    }

  left = label_width + 4;
  right = width - 2;
  top = title_height + line_height / 2 + 2;
  bottom = height - 2 * line_height - 6; /* x labels, then the legend */
  if (bottom <= top + 4 || right <= left + 4)
    return;

  /* the y axis: grid lines and labels */
  for (guint i = 0; i <= n_ticks; i++)
    {
      LersReportValue value = LERS_REPORT_VALUE_INIT;
      g_autofree gchar *text = NULL;
      gdouble v = i == n_ticks ? y_max : y_min + i * step;
      /* by the tick's index: the value may not be exact when the range is
       * tiny next to the values */
      gdouble y = bottom - (gdouble) i / n_ticks * (bottom - top);

      lers_report_value_set_number (&value, fabs (v) < step / 1e6 ? 0 : v);
      text = lers_report_value_format (&value, y_format, layout->language, layout->zone);
      lers_report_value_clear (&value);
      lers_report_document_add_line (drawing, 0, left, y, right, y, 0.25, 0xd0d0d0);
      lers_report_document_add_text (drawing, 0, 0, y - line_height / 2, label_width, line_height,
                                     text, LERS_REPORT_CHART_FONT, LERS_REPORT_TEXT_RIGHT, 0);
    }
  lers_report_document_add_line (drawing, 0, left, top, left, bottom, 0.5, 0);
  lers_report_document_add_line (drawing, 0, left, bottom, right, bottom, 0.5, 0);

  /* the x axis: about six labelled ticks */
  if (n > 0)
    {
      guint every = MAX (1, (n + 5) / 6);
      gdouble slot = (right - left) / n;
      gdouble span = x_max - x_min;

      /* the series */
      for (guint s = 0; s < data->y->len; s++)
        {
          GArray *series = g_ptr_array_index (data->y, s);
          guint32 colour = lers_report_chart_colours[s % G_N_ELEMENTS (lers_report_chart_colours)];
          g_autoptr (GArray) xy = g_array_new (FALSE, FALSE, sizeof (gdouble));

          for (guint i = 0; i < n; i++)
            {
              gdouble yv = g_array_index (series, gdouble, i);
              gdouble xv = g_array_index (data->x, gdouble, i);
              gdouble x = chart->kind == LERS_REPORT_CHART_BAR || span <= 0
                              ? left + slot * (i + 0.5)
                              : left + (xv - x_min) / span * (right - left);
              gdouble y = bottom - lers_report_chart_frac (yv, y_min, y_max) * (bottom - top);

              if (chart->kind == LERS_REPORT_CHART_BAR)
                {
                  gdouble bar = slot * 0.8 / data->y->len;
                  gdouble zero = bottom - lers_report_chart_frac (0, y_min, y_max) * (bottom - top);

                  if (!isnan (yv))
                    lers_report_document_add_rect (drawing, 0, x - slot * 0.4 + bar * s,
                                                   MIN (y, zero), bar, fabs (zero - y), TRUE,
                                                   colour, 0);
                  continue;
                }
              if (isnan (yv))
                {
                  /* a gap: draw what came before it */
                  if (xy->len >= 4)
                    lers_report_document_add_polyline (drawing, 0, (gdouble *) xy->data,
                                                       xy->len / 2, 1.0, colour);
                  g_array_set_size (xy, 0);
                  continue;
                }
              g_array_append_val (xy, x);
              g_array_append_val (xy, y);
            }
          if (xy->len >= 4)
            lers_report_document_add_polyline (drawing, 0, (gdouble *) xy->data, xy->len / 2, 1.0,
                                               colour);
          else if (xy->len == 2)
            lers_report_document_add_rect (drawing, 0, g_array_index (xy, gdouble, 0) - 1,
                                           g_array_index (xy, gdouble, 1) - 1, 2, 2, TRUE, colour,
                                           0);
        }

      for (guint i = 0; i < n; i += every)
        {
          gdouble xv = g_array_index (data->x, gdouble, i);
          gdouble x;
          g_autofree gchar *text = lers_report_chart_x_label (layout, data->time, xv, span);
          gdouble text_width = lers_report_measure_text_width (pango, text, LERS_REPORT_CHART_FONT);

          if (chart->kind == LERS_REPORT_CHART_BAR || span <= 0)
            x = left + slot * (i + 0.5);
          else
            x = left + (xv - x_min) / span * (right - left);
          lers_report_document_add_line (drawing, 0, x, bottom, x, bottom + 3, 0.5, 0);
          lers_report_document_add_text (drawing, 0, x - text_width / 2 - 1, bottom + 3,
                                         text_width + 2, line_height, text, LERS_REPORT_CHART_FONT,
                                         LERS_REPORT_TEXT_CENTER, 0);
        }
    }

  /* the legend, under the x labels */
  legend_x = left;
  for (guint s = 0; s < chart->y_names->len; s++)
    {
      const gchar *name = g_ptr_array_index (chart->y_names, s);
      guint32 colour = lers_report_chart_colours[s % G_N_ELEMENTS (lers_report_chart_colours)];
      gdouble text_width = lers_report_measure_text_width (pango, name, LERS_REPORT_CHART_FONT);
      gdouble y = height - line_height - 1;

      lers_report_document_add_rect (drawing, 0, legend_x, y + line_height / 2 - 3, 10, 6, TRUE,
                                     colour, 0);
      lers_report_document_add_text (drawing, 0, legend_x + 13, y, text_width + 2, line_height,
                                     name, LERS_REPORT_CHART_FONT, LERS_REPORT_TEXT_LEFT, 0);
      legend_x += 13 + text_width + 12;
    }
}

LersReportDocument *
lers_report_layout_chart (LersReportLayout *layout, const LersReportChart *chart, gdouble width,
                          GError **error)
{
  g_autoptr (LersReportDocument) drawing = NULL;
  g_autoptr (GArray) x = g_array_new (FALSE, FALSE, sizeof (gdouble));
  g_autoptr (GPtrArray) y = g_ptr_array_new_with_free_func ((GDestroyNotify) g_array_unref);
  g_autofree gchar *title = NULL;
  LersReportChartData data = { x, FALSE, y };
  LersReportRows outer_rows = layout->rows;
  guint n_rows;
  gboolean ok;

  for (guint s = 0; s < chart->y->len; s++)
    g_ptr_array_add (y, g_array_new (FALSE, FALSE, sizeof (gdouble)));
  if (chart->title != NULL)
    {
      title = lers_report_layout_eval_text (layout, chart->title, NULL, 0, 0, 0, error);
      if (title == NULL)
        return NULL;
    }
  layout->rows = chart->rows;
  n_rows = layout->binding->n_rows (layout->binding->user_data, chart->rows);
  ok = lers_report_chart_load (layout, chart, n_rows, &data, error);
  layout->rows = outer_rows;
  if (!ok)
    return NULL;
  drawing = lers_report_document_new (title != NULL ? title : "", layout->language, width,
                                      chart->height);
  lers_report_document_add_page (drawing);
  lers_report_chart_draw (layout, chart, drawing, title, width, &data);
  return g_steal_pointer (&drawing);
}
