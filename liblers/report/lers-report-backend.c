/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "config.h"

#include "lers-error.h"
#include "report/lers-report-backend.h"

/**
 * LersReportBackend:
 *
 * The contract of a report plugin: one output format.
 *
 * Since: 0.1
 */

G_DEFINE_INTERFACE (LersReportBackend, lers_report_backend, G_TYPE_OBJECT)

static void
lers_report_backend_default_init (LersReportBackendInterface *iface)
{
}

/**
 * lers_report_backend_get_format:
 * @self: a #LersReportBackend
 *
 * Returns: the format's short name
 *
 * Since: 0.1
 */
const gchar *
lers_report_backend_get_format (LersReportBackend *self)
{
  LersReportBackendInterface *iface;

  g_return_val_if_fail (LERS_IS_REPORT_BACKEND (self), NULL);
  iface = LERS_REPORT_BACKEND_GET_IFACE (self);
  return iface->get_format != NULL ? iface->get_format (self) : G_OBJECT_TYPE_NAME (self);
}

/**
 * lers_report_backend_get_content_type:
 * @self: a #LersReportBackend
 *
 * Returns: the MIME type of what the backend writes
 *
 * Since: 0.1
 */
const gchar *
lers_report_backend_get_content_type (LersReportBackend *self)
{
  LersReportBackendInterface *iface;

  g_return_val_if_fail (LERS_IS_REPORT_BACKEND (self), NULL);
  iface = LERS_REPORT_BACKEND_GET_IFACE (self);
  return iface->get_content_type != NULL ? iface->get_content_type (self)
                                         : "application/octet-stream";
}

/**
 * lers_report_backend_render_records:
 * @self: a #LersReportBackend
 * @records: (element-type Lers.Record): the records, oldest first
 * @stream: where to write
 * @cancellable: (nullable): a #GCancellable
 * @error: return location for a #GError
 *
 * Writes @records as a table in the backend's format.
 *
 * Returns: %TRUE on success
 *
 * Since: 0.1
 */
gboolean
lers_report_backend_render_records (LersReportBackend *self, GPtrArray *records,
                                    GOutputStream *stream, GCancellable *cancellable,
                                    GError **error)
{
  LersReportBackendInterface *iface;

  g_return_val_if_fail (LERS_IS_REPORT_BACKEND (self), FALSE);
  g_return_val_if_fail (records != NULL, FALSE);
  g_return_val_if_fail (G_IS_OUTPUT_STREAM (stream), FALSE);
  iface = LERS_REPORT_BACKEND_GET_IFACE (self);
  if (iface->render_records == NULL)
    {
      g_set_error (error, LERS_ERROR, LERS_ERROR_NOT_SUPPORTED,
                   "the %s report backend cannot render records",
                   lers_report_backend_get_format (self));
      return FALSE;
    }
  return iface->render_records (self, records, stream, cancellable, error);
}
