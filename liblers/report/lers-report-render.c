/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* All of a LersReport's documents rendered on worker threads, handed to the
 * caller in order: a batch of a thousand statements uses every core of
 * the machine (each document is built and drawn on its own), while the
 * caller writes them one after another (into an archive, a mail) on its
 * own thread. No more than two documents a thread are ahead of the caller,
 * so the memory a batch takes does not grow with the number of points. */
#include "config.h"

#include <glib/gi18n-lib.h>
#include <locale.h>

#include "lers-error.h"
#include "lers-report.h"

typedef struct
{
  LersReportDocument *document;
  gchar *name;
  GBytes *bytes;
  GError *error;
} LersReportRendered;

typedef struct
{
  LersReport *report;
  LersReportBackend *backend;
  GCancellable *cancellable;
  locale_t locale; /* the caller's: messages in its language */
  GMutex lock;
  GCond ready;
  LersReportRendered **done; /* by index; NULL until rendered */
} LersReportRender;

static void
lers_report_rendered_free (LersReportRendered *rendered)
{
  if (rendered == NULL)
    return;
  g_clear_object (&rendered->document);
  g_free (rendered->name);
  g_clear_pointer (&rendered->bytes, g_bytes_unref);
  g_clear_error (&rendered->error);
  g_free (rendered);
}

static void
lers_report_render_one (gpointer data, gpointer user_data)
{
  LersReportRender *render = user_data;
  guint index = GPOINTER_TO_UINT (data) - 1;
  LersReportRendered *rendered = g_new0 (LersReportRendered, 1);
  locale_t old = uselocale (render->locale);
  LersReportDocument *document = lers_report_build_document_sync (
      render->report, index, &rendered->name, render->cancellable, &rendered->error);

  rendered->document = document;
  if (document != NULL)
    {
      g_autoptr (GOutputStream) stream = g_memory_output_stream_new_resizable ();

      if (lers_report_backend_render_document (render->backend, document, stream,
                                               render->cancellable, &rendered->error)
          && g_output_stream_close (stream, NULL, &rendered->error))
        rendered->bytes = g_memory_output_stream_steal_as_bytes (G_MEMORY_OUTPUT_STREAM (stream));
    }
  uselocale (old);
  g_mutex_lock (&render->lock);
  render->done[index] = rendered;
  g_cond_broadcast (&render->ready);
  g_mutex_unlock (&render->lock);
}

/**
 * LersReportRenderedFunc:
 * @report: the #LersReport
 * @index: the document's index, from 0
 * @document: the laid-out document (its title, pages)
 * @name: the document's short name (see lers_report_build_document_sync())
 * @bytes: the rendered file
 * @user_data: the data given to lers_report_render_documents()
 *
 * Takes one rendered document of lers_report_render_documents().
 *
 * Returns: %TRUE to go on, %FALSE to stop the rendering (when the file
 *   cannot be kept, say)
 *
 * Since: 0.6
 */

/**
 * lers_report_render_documents:
 * @self: a #LersReport
 * @backend: the format to render to
 * @n_threads: how many documents to build and render at once; 0 for as
 *   many as the machine has processors
 * @cancellable: (nullable): a #GCancellable: stops the rendering
 * @func: (scope call): called on the calling thread for each document, in
 *   the order of their indexes
 * @user_data: data for @func
 * @error: return location for a #GError
 *
 * Builds and renders every document of the report (see
 * lers_report_get_n_documents()) on @n_threads worker threads and gives
 * each to @func in order, as soon as it and those before it are ready.
 * No more than 2 × @n_threads + 1 documents are held at once. The workers
 * take the calling thread's locale (uselocale()), so errors come in its
 * language. The report's settings must not change while this runs. Blocks: call it from a
 * thread.
 *
 * Returns: %TRUE when every document was rendered and given to @func;
 *   %FALSE with @error set at the first document that failed, the error
 *   prefixed with its point ("Point 12: ") or its number (those being
 *   rendered are stopped, those after them not started), when @cancellable was cancelled, or with
 *   %G_IO_ERROR_CANCELLED when @func stopped it
 *
 * Since: 0.6
 */
/* a document's error, prefixed with what it is: its point when the report
 * makes a document a point, else its number; a cancel says only that */
static void
lers_report_render_error (LersReport *self, guint index, guint n, GError *document_error,
                          GError **error)
{
  guint n_points = 0;
  const gint64 *points = lers_report_get_points (self, &n_points);

  if (g_error_matches (document_error, G_IO_ERROR, G_IO_ERROR_CANCELLED) || n == 1)
    g_propagate_error (error, document_error);
  else if (n == n_points
           && lers_report_template_get_source (lers_report_get_template (self))
                  == LERS_REPORT_SOURCE_POINT)
    {
      g_autofree gchar *id = g_strdup_printf ("%" G_GINT64_FORMAT, points[index]);

      g_propagate_prefixed_error (error, document_error, _ ("Point %s: "), id);
    }
  else
    g_propagate_prefixed_error (error, document_error, _ ("Document %u of %u: "), index + 1, n);
}

static void
lers_report_render_cancel (GCancellable *cancellable, gpointer stop)
{
  g_cancellable_cancel (stop);
}

gboolean
lers_report_render_documents (LersReport *self, LersReportBackend *backend, guint n_threads,
                              GCancellable *cancellable, LersReportRenderedFunc func,
                              gpointer user_data, GError **error)
{
  g_autoptr (GCancellable) stop = g_cancellable_new ();
  LersReportRender render = { self, backend, stop, uselocale ((locale_t) 0) };
  GThreadPool *pool;
  guint n, pushed = 0, window;
  gulong cancelled = 0;
  gboolean ok = TRUE;

  g_return_val_if_fail (LERS_IS_REPORT (self), FALSE);
  g_return_val_if_fail (LERS_IS_REPORT_BACKEND (backend), FALSE);
  g_return_val_if_fail (func != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  n = lers_report_get_n_documents (self);
  if (n_threads == 0)
    n_threads = MAX (g_get_num_processors (), 1);
  n_threads = MIN (n_threads, MAX (n, 1));
  window = 2 * n_threads;
  /* the workers stop at the caller's cancel, and at a failure here */
  if (cancellable != NULL)
    cancelled
        = g_cancellable_connect (cancellable, G_CALLBACK (lers_report_render_cancel), stop, NULL);
  g_mutex_init (&render.lock);
  g_cond_init (&render.ready);
  render.done = g_new0 (LersReportRendered *, MAX (n, 1));
  pool = g_thread_pool_new (lers_report_render_one, &render, (gint) n_threads, FALSE, error);
  ok = pool != NULL;
  for (; ok && pushed < MIN (n, window); pushed++)
    ok = g_thread_pool_push (pool, GUINT_TO_POINTER (pushed + 1), error);
  for (guint i = 0; ok && i < n; i++)
    {
      LersReportRendered *rendered;

      if (g_cancellable_set_error_if_cancelled (cancellable, error))
        {
          ok = FALSE;
          break;
        }
      g_mutex_lock (&render.lock);
      while (render.done[i] == NULL)
        g_cond_wait (&render.ready, &render.lock);
      rendered = g_steal_pointer (&render.done[i]);
      g_mutex_unlock (&render.lock);
      if (rendered->error != NULL)
        {
          lers_report_render_error (self, i, n, g_steal_pointer (&rendered->error), error);
          ok = FALSE;
        }
      else if (pushed < n && !g_thread_pool_push (pool, GUINT_TO_POINTER (++pushed), error))
        ok = FALSE;
      else if (!func (self, i, rendered->document, rendered->name, rendered->bytes, user_data))
        {
          g_set_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED,
                       _ ("The rendering was stopped after document %u of %u"), i + 1, n);
          ok = FALSE;
        }
      lers_report_rendered_free (rendered);
    }
  /* after a failure: the documents not started are dropped, those being
   * rendered are told to stop and waited for */
  if (!ok)
    g_cancellable_cancel (stop);
  if (pool != NULL)
    g_thread_pool_free (pool, TRUE, TRUE);
  g_cancellable_disconnect (cancellable, cancelled);
  for (guint i = 0; i < n; i++)
    lers_report_rendered_free (render.done[i]);
  g_free (render.done);
  g_cond_clear (&render.ready);
  g_mutex_clear (&render.lock);
  return ok;
}
