/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* PNG: the document's first page only (a picture has one page; a preview
 * or a thumbnail wants the first), at 150 dpi on a white ground. */
#include "config.h"

#include <math.h>

#include <glib/gi18n-lib.h>

#include "lers-report-png.h"
#include "lers-report-stream.h"

/* pixels an inch; a point is 1/72 in */
#define LERS_REPORT_PNG_DPI 150.0

struct _LersReportPng
{
  GObject parent_instance;
};

static void lers_report_png_backend_init (LersReportBackendInterface *iface);

G_DEFINE_DYNAMIC_TYPE_EXTENDED (LersReportPng, lers_report_png, G_TYPE_OBJECT, G_TYPE_FLAG_FINAL,
                                G_IMPLEMENT_INTERFACE_DYNAMIC (LERS_TYPE_REPORT_BACKEND,
                                                               lers_report_png_backend_init))

static const gchar *
lers_report_png_get_format (LersReportBackend *backend)
{
  return "png";
}

static const gchar *
lers_report_png_get_content_type (LersReportBackend *backend)
{
  return "image/png";
}

static gboolean
lers_report_png_render_document (LersReportBackend *backend, LersReportDocument *document,
                                 GOutputStream *stream, GCancellable *cancellable, GError **error)
{
  GError *local = NULL;
  LersReportStream sink = { stream, cancellable, NULL, FALSE };
  cairo_surface_t *surface;
  cairo_t *cr;
  gdouble width, height;
  gdouble scale = LERS_REPORT_PNG_DPI / 72.0;
  gboolean ok;

  lers_report_document_get_page_size (document, &width, &height);
  /* A4 (595.28 × 841.89 pt) is 1240 × 1754 px */
  surface = cairo_image_surface_create (CAIRO_FORMAT_RGB24, (gint) lround (width * scale),
                                        (gint) lround (height * scale));
  cr = cairo_create (surface);
  cairo_set_source_rgb (cr, 1, 1, 1);
  cairo_paint (cr);
  cairo_scale (cr, scale, scale);
  /* a document with no pages is a blank page */
  if (lers_report_document_get_n_pages (document) > 0)
    lers_report_document_draw_page (document, 0, cr, &local);
  cairo_destroy (cr);
  if (local == NULL && !g_cancellable_set_error_if_cancelled (cancellable, &local))
    {
      cairo_status_t status
          = cairo_surface_write_to_png_stream (surface, lers_report_stream_write, &sink);

      if (status != CAIRO_STATUS_SUCCESS && sink.error == NULL)
        local = g_error_new (LERS_ERROR, LERS_ERROR_FAILED,
                             _ ("Cairo could not write the report: %s"),
                             cairo_status_to_string (status));
    }
  ok = lers_report_stream_finish (&sink, surface, local, error);
  cairo_surface_destroy (surface);
  return ok;
}

static void
lers_report_png_backend_init (LersReportBackendInterface *iface)
{
  iface->get_format = lers_report_png_get_format;
  iface->get_content_type = lers_report_png_get_content_type;
  iface->render_document = lers_report_png_render_document;
}

static void
lers_report_png_class_init (LersReportPngClass *klass)
{
}

static void
lers_report_png_class_finalize (LersReportPngClass *klass)
{
}

static void
lers_report_png_init (LersReportPng *self)
{
}

/**
 * lers_report_png_register:
 * @module: the module the type lives in
 *
 * Registers #LersReportPng with the type system.
 */
void
lers_report_png_register (GTypeModule *module)
{
  lers_report_png_register_type (module);
}
