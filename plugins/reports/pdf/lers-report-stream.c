/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "config.h"

#include <glib/gi18n-lib.h>
#include <lers.h>

#include "lers-report-stream.h"

cairo_status_t
lers_report_stream_write (void *closure, const unsigned char *data, unsigned int length)
{
  LersReportStream *sink = closure;

  if (sink->stop || sink->error != NULL)
    return CAIRO_STATUS_WRITE_ERROR;
  if (!g_output_stream_write_all (sink->stream, data, length, NULL, sink->cancellable,
                                  &sink->error))
    return CAIRO_STATUS_WRITE_ERROR;
  return CAIRO_STATUS_SUCCESS;
}

gboolean
lers_report_stream_finish (LersReportStream *sink, cairo_surface_t *surface, GError *failure,
                           GError **error)
{
  cairo_status_t status = cairo_surface_status (surface);

  if (sink->error != NULL)
    {
      g_clear_error (&failure);
      g_propagate_error (error, g_steal_pointer (&sink->error));
      return FALSE;
    }
  if (failure != NULL)
    {
      g_propagate_error (error, failure);
      return FALSE;
    }
  if (status != CAIRO_STATUS_SUCCESS)
    {
      g_set_error (error, LERS_ERROR, LERS_ERROR_FAILED, _ ("Cairo could not write the report: %s"),
                   cairo_status_to_string (status));
      return FALSE;
    }
  return TRUE;
}
