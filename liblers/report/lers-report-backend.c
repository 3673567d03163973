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

/**
 * lers_report_backend_render_document:
 * @self: a #LersReportBackend
 * @document: a laid-out report
 * @stream: where to write
 * @cancellable: (nullable): a #GCancellable
 * @error: return location for a #GError
 *
 * Writes @document in the backend's format. Blocks: call it from a worker
 * thread, or use lers_report_backend_render_document_async().
 *
 * Returns: %TRUE on success
 *
 * Since: 0.6
 */
gboolean
lers_report_backend_render_document (LersReportBackend *self, LersReportDocument *document,
                                     GOutputStream *stream, GCancellable *cancellable,
                                     GError **error)
{
  LersReportBackendInterface *iface;

  g_return_val_if_fail (LERS_IS_REPORT_BACKEND (self), FALSE);
  g_return_val_if_fail (LERS_IS_REPORT_DOCUMENT (document), FALSE);
  g_return_val_if_fail (G_IS_OUTPUT_STREAM (stream), FALSE);
  iface = LERS_REPORT_BACKEND_GET_IFACE (self);
  if (iface->render_document == NULL)
    {
      g_set_error (error, LERS_ERROR, LERS_ERROR_NOT_SUPPORTED,
                   "the %s report backend cannot render documents",
                   lers_report_backend_get_format (self));
      return FALSE;
    }
  if (g_cancellable_set_error_if_cancelled (cancellable, error))
    return FALSE;
  return iface->render_document (self, document, stream, cancellable, error);
}

typedef struct
{
  LersReportDocument *document;
  GOutputStream *stream;
} LersReportBackendRenderData;

static void
lers_report_backend_render_data_free (gpointer pointer)
{
  LersReportBackendRenderData *data = pointer;

  g_clear_object (&data->document);
  g_clear_object (&data->stream);
  g_free (data);
}

static void
lers_report_backend_render_thread (GTask *task, gpointer source, gpointer task_data,
                                   GCancellable *cancellable)
{
  LersReportBackendRenderData *data = task_data;
  GError *error = NULL;

  if (lers_report_backend_render_document (LERS_REPORT_BACKEND (source), data->document,
                                           data->stream, cancellable, &error))
    g_task_return_boolean (task, TRUE);
  else
    g_task_return_error (task, error);
}

/**
 * lers_report_backend_render_document_async:
 * @self: a #LersReportBackend
 * @document: a laid-out report
 * @stream: where to write; not used by anyone else until the call finishes
 * @cancellable: (nullable): a #GCancellable
 * @callback: called when the document is written
 * @user_data: for @callback
 *
 * lers_report_backend_render_document() in a worker thread, so the main
 * loop is never held up by a long report.
 *
 * Since: 0.6
 */
void
lers_report_backend_render_document_async (LersReportBackend *self, LersReportDocument *document,
                                           GOutputStream *stream, GCancellable *cancellable,
                                           GAsyncReadyCallback callback, gpointer user_data)
{
  g_autoptr (GTask) task = NULL;
  LersReportBackendRenderData *data;

  g_return_if_fail (LERS_IS_REPORT_BACKEND (self));
  g_return_if_fail (LERS_IS_REPORT_DOCUMENT (document));
  g_return_if_fail (G_IS_OUTPUT_STREAM (stream));
  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, lers_report_backend_render_document_async);
  data = g_new0 (LersReportBackendRenderData, 1);
  data->document = g_object_ref (document);
  data->stream = g_object_ref (stream);
  g_task_set_task_data (task, data, lers_report_backend_render_data_free);
  g_task_run_in_thread (task, lers_report_backend_render_thread);
}

/**
 * lers_report_backend_render_document_finish:
 * @self: a #LersReportBackend
 * @result: the #GAsyncResult
 * @error: return location for a #GError
 *
 * Returns: %TRUE when the document was written
 *
 * Since: 0.6
 */
gboolean
lers_report_backend_render_document_finish (LersReportBackend *self, GAsyncResult *result,
                                            GError **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  return g_task_propagate_boolean (G_TASK (result), error);
}
