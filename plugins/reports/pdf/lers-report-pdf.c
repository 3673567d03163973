/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* PDF: one PDF page a document page, drawn by Cairo's PDF surface (fonts
 * embedded as subsets with their Unicode maps, so the text can be searched
 * and copied), written to the stream as Cairo produces it. */
#include "config.h"

#include <cairo-pdf.h>
#include <glib/gi18n-lib.h>

#include "lers-report-pdf.h"
#include "lers-report-stream.h"

struct _LersReportPdf
{
  GObject parent_instance;
};

static void lers_report_pdf_backend_init (LersReportBackendInterface *iface);

G_DEFINE_DYNAMIC_TYPE_EXTENDED (LersReportPdf, lers_report_pdf, G_TYPE_OBJECT, G_TYPE_FLAG_FINAL,
                                G_IMPLEMENT_INTERFACE_DYNAMIC (LERS_TYPE_REPORT_BACKEND,
                                                               lers_report_pdf_backend_init))

static const gchar *
lers_report_pdf_get_format (LersReportBackend *backend)
{
  return "pdf";
}

static const gchar *
lers_report_pdf_get_content_type (LersReportBackend *backend)
{
  return "application/pdf";
}

static gboolean
lers_report_pdf_render_document (LersReportBackend *backend, LersReportDocument *document,
                                 GOutputStream *stream, GCancellable *cancellable, GError **error)
{
  GError *local = NULL;
  LersReportStream sink = { stream, cancellable, NULL, FALSE };
  gboolean ok;
  cairo_surface_t *surface;
  cairo_t *cr;
  gdouble width, height;
  guint n_pages = lers_report_document_get_n_pages (document);

  lers_report_document_get_page_size (document, &width, &height);
  surface = cairo_pdf_surface_create_for_stream (lers_report_stream_write, &sink, width, height);
  cairo_pdf_surface_set_metadata (surface, CAIRO_PDF_METADATA_TITLE,
                                  lers_report_document_get_title (document));
  cairo_pdf_surface_set_metadata (surface, CAIRO_PDF_METADATA_CREATOR, "LERS " LERS_VERSION);
  cr = cairo_create (surface);
  /* a document with no pages still gives a valid PDF: one blank page */
  for (guint page = 0; page < MAX (n_pages, 1); page++)
    {
      if (g_cancellable_set_error_if_cancelled (cancellable, &local))
        break;
      if (page < n_pages && !lers_report_document_draw_page (document, page, cr, &local))
        break;
      cairo_show_page (cr);
      if (sink.error != NULL)
        break;
    }
  cairo_destroy (cr);
  /* after a failure the trailer is not written: the stream gets no more */
  sink.stop = local != NULL || sink.error != NULL;
  cairo_surface_finish (surface);
  ok = lers_report_stream_finish (&sink, surface, g_steal_pointer (&local), error);
  cairo_surface_destroy (surface);
  return ok;
}

static void
lers_report_pdf_backend_init (LersReportBackendInterface *iface)
{
  iface->get_format = lers_report_pdf_get_format;
  iface->get_content_type = lers_report_pdf_get_content_type;
  iface->render_document = lers_report_pdf_render_document;
}

static void
lers_report_pdf_class_init (LersReportPdfClass *klass)
{
}

static void
lers_report_pdf_class_finalize (LersReportPdfClass *klass)
{
}

static void
lers_report_pdf_init (LersReportPdf *self)
{
}

/**
 * lers_report_pdf_register:
 * @module: the module the type lives in
 *
 * Registers #LersReportPdf with the type system.
 */
void
lers_report_pdf_register (GTypeModule *module)
{
  lers_report_pdf_register_type (module);
}
